/*
 * markdown.h: a small Markdown renderer that is safe by construction, for
 * text people write into chis (the bodies of illustrative examples).
 *
 * What it understands:
 *
 *     # Heading, ## Heading, ### Heading    (four or more #: plain text)
 *     paragraphs: lines of text, separated by blank lines
 *     - item, * item, + item                an unordered list
 *     1. item, 1) item                      an ordered list (start taken from the first)
 *     *emphasis*, **strong**, ***both***
 *     `code`, ``code with ` inside``
 *     [text](url)                           a link, only for http://, https://, mailto:
 *                                           and site-relative "/..." URLs; any other URL
 *                                           leaves the text, unlinked, and drops the URL
 *     \*                                    a backslash before punctuation: that character
 *
 * Everything else is text. Every character of text is escaped with
 * html_escape() (web/html.h), so raw HTML in the Markdown comes out as
 * visible text ("<script>" becomes "&lt;script&gt;"), and the only tags in
 * the output are those this renderer writes: h1-h6, p, ul, ol (with an
 * optional start="N"), li, em, strong, code and a (with href only). They
 * are always well nested: each construct is closed in the same call that
 * opened it.
 *
 * Work is linear in the input for all practical purposes (searches for
 * closing markers remember where they failed), nesting of emphasis and
 * links is bounded, and there is no limit on line length.
 */
#ifndef CHIS_MARKDOWN_H
#define CHIS_MARKDOWN_H

#include "base/buf.h"

/*
 * Append the HTML for the Markdown text md (NUL-terminated; NULL is empty)
 * to b. Headings are given at least top_level (1-6): a page whose own title
 * is the h1 passes 2, so a "#" heading in the text becomes an h2.
 */
void markdown_html(buf *b, const char *md, int top_level);

#endif
