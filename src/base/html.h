/*
 * html.h: building HTML that is escaped by construction.
 *
 * Every piece of page text goes through H(), whose format must be a string
 * literal (the macro pastes "" in front of it, so anything else does not
 * compile). The format is trusted markup; the values are not:
 *
 *     %s    text, escaped for element content and double-quoted attributes
 *           (& < > " ' become entities); NULL prints nothing
 *     %U    text percent-encoded for a URL query value or path segment, then
 *           escaped: for href="/places?q=%U" and href="/places/%U"
 *     %d    int
 *     %lld  long long
 *     %%    a percent sign
 *     %H    const struct html_frag *: markup built earlier by H() (trusted)
 *
 * There is no other way to put raw text into a page, so a value can reach
 * the browser unescaped only if someone writes it into a format literal.
 * Quote every attribute with double quotes.
 */
#ifndef CHIS_HTML_H
#define CHIS_HTML_H

#include "base/buf.h"

#include <stddef.h>

/* A piece of finished, trusted markup (built by H() into a buf). */
struct html_frag {
    const char *html;
    size_t len;
};

/* Append fmt with its arguments to b; see above. Use the H() macro, not this. */
void html_fmt(buf *b, const char *fmt, ...);

#define H(b, ...) html_fmt((b), "" __VA_ARGS__)

/* The markup built so far in b, as a fragment for %H. It points into b's storage. */
struct html_frag html_frag_of(const buf *b);

/* Append s to b escaped for HTML text or a double-quoted attribute. */
void html_escape(buf *b, const char *s);

#endif
