/*
 * html.c: the escaping HTML builder. See html.h for the format directives.
 */
#include "base/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Append s to b with the five characters that matter in HTML text and in
 * double- or single-quoted attribute values replaced by entities. NULL
 * appends nothing.
 */
void html_escape(buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        default:
            continue;
        }
        buf_append(b, run, (size_t)(p - run));
        buf_puts(b, ent);
        run = p + 1;
    }
    buf_puts(b, run);
}

/*
 * Append s percent-encoded for a URL component (everything but letters,
 * digits and -_.~ becomes %XX), which leaves nothing HTML could mistake.
 */
static void url_component(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s) return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

/*
 * Append the format to b, copying its literal text as it is and each
 * directive's argument as html.h says. An unknown directive aborts: it is a
 * programming error, and guessing could print an argument unescaped.
 */
void html_fmt(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        buf_append(b, run, (size_t)(p - run));
        p++;
        if (*p == 's') {
            html_escape(b, va_arg(ap, const char *));
        } else if (*p == 'U') {
            url_component(b, va_arg(ap, const char *));
        } else if (*p == 'd') {
            buf_printf(b, "%d", va_arg(ap, int));
        } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
            buf_printf(b, "%lld", va_arg(ap, long long));
            p += 2;
        } else if (*p == '%') {
            buf_putc(b, '%');
        } else if (*p == 'H') {
            const struct html_frag *f = va_arg(ap, const struct html_frag *);
            if (f && f->html) buf_append(b, f->html, f->len);
        } else {
            fprintf(stderr, "html_fmt: bad directive in \"%s\"\n", fmt);
            abort();
        }
        run = p + 1;
    }
    buf_puts(b, run);
    va_end(ap);
}

/* A fragment viewing b's current contents; valid while b is not appended to. */
struct html_frag html_frag_of(const buf *b)
{
    return (struct html_frag){b->data ? b->data : "", b->len};
}
