/*
 * jsonw.c: escapes '"', '\\' and control characters; well-formed UTF-8 is
 * copied as is, and a byte that is not (which validation keeps out of the
 * store) becomes U+FFFD, so the output is always valid JSON. Runs of plain
 * bytes are appended in one call.
 */
#include "base/jsonw.h"

#include "base/text.h"

#include <string.h>

void jsonw_string(buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            unsigned cp;
            int n = text_utf8_next((const char *)p, &cp);
            if (n) {
                p += n - 1;
                continue;
            }
            /* Not UTF-8 (validation keeps it out of the store): never emit invalid JSON. */
            buf_append(b, run, (size_t)((const char *)p - run));
            buf_puts(b, "\\ufffd");
            run = (const char *)p + 1;
            continue;
        }
        if (*p >= 0x20 && *p != '"' && *p != '\\') continue;
        buf_append(b, run, (size_t)((const char *)p - run));
        switch (*p) {
        case '"':
            buf_puts(b, "\\\"");
            break;
        case '\\':
            buf_puts(b, "\\\\");
            break;
        case '\n':
            buf_puts(b, "\\n");
            break;
        case '\r':
            buf_puts(b, "\\r");
            break;
        case '\t':
            buf_puts(b, "\\t");
            break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            buf_puts(b, u);
        }
        }
        run = (const char *)p + 1;
    }
    buf_puts(b, run);
    buf_putc(b, '"');
}

void jsonw_rec(buf *b, const rec *r)
{
    buf_putc(b, '{');
    for (int i = 0; i < r->n; i++) {
        const struct val *v = &r->f[i].v;
        if (i) buf_putc(b, ',');
        jsonw_string(b, r->f[i].name);
        buf_putc(b, ':');
        switch (v->type) {
        case VAL_NULL:
            buf_puts(b, "null");
            break;
        case VAL_INT:
            buf_printf(b, "%lld", v->i);
            break;
        case VAL_BOOL:
            buf_puts(b, v->i ? "true" : "false");
            break;
        case VAL_TEXT:
            jsonw_string(b, v->s);
            break;
        case VAL_IDS:
            buf_putc(b, '[');
            for (int k = 0; k < v->nids; k++)
                buf_printf(b, k ? ",%lld" : "%lld", v->ids[k]);
            buf_putc(b, ']');
            break;
        }
    }
    buf_putc(b, '}');
}
