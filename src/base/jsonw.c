/*
 * jsonw.c: escapes '"', '\\' and control characters; well-formed UTF-8 is
 * copied as is, and a byte that is not (which validation keeps out of the
 * store) becomes U+FFFD, so the output is always valid JSON. Runs of plain
 * bytes are appended in one call.
 */
#include "base/jsonw.h"

#include "base/text.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* len bytes of s as a JSON string (see jsonw.h). Plain ASCII goes eight
 * bytes at a time to the end of its run, then in one append. */
void jsonw_stringn(buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    uint64_t w;
    while (end - p >= 8 && (memcpy(&w, p, 8), !text_json_word_special(w)))
        p += 8;
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
    buf_putc(b, '"');
    if (p == end) { /* most strings: nothing to escape, one copy */
        buf_append(b, s, len);
        buf_putc(b, '"');
        return;
    }
    const unsigned char *run = (const unsigned char *)s;
    while (p < end) {
        if (end - p >= 8 && (memcpy(&w, p, 8), !text_json_word_special(w))) {
            p += 8;
            continue;
        }
        if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
            p++;
            continue;
        }
        if (*p >= 0x80) {
            /* text_utf8_next() stops at a NUL: near the end, read a copy
             * that has one. */
            char last[5] = {0};
            const char *at = (const char *)p;
            if (end - p < 4) at = memcpy(last, p, (size_t)(end - p));
            unsigned cp;
            int n = text_utf8_next(at, &cp);
            if (n) {
                p += n;
                continue;
            }
            /* Not UTF-8 (validation keeps it out of the store): never emit invalid JSON. */
            buf_append(b, (const char *)run, (size_t)(p - run));
            buf_puts(b, "\\ufffd");
            run = ++p;
            continue;
        }
        buf_append(b, (const char *)run, (size_t)(p - run));
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
        case '\b':
            buf_puts(b, "\\b");
            break;
        case '\f':
            buf_puts(b, "\\f");
            break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            buf_puts(b, u);
        }
        }
        run = ++p;
    }
    buf_append(b, (const char *)run, (size_t)(p - run));
    buf_putc(b, '"');
}

void jsonw_string(buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    jsonw_stringn(b, s, strlen(s));
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

/* A jansson tree as compact JSON (see jsonw.h). */
void jsonw_tree(buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        buf_putc(b, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first) buf_putc(b, ',');
            first = false;
            jsonw_stringn(b, json_object_iter_key(it), json_object_iter_key_len(it));
            buf_putc(b, ':');
            jsonw_tree(b, json_object_iter_value(it));
        }
        buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY: {
        buf_putc(b, '[');
        size_t i;
        json_t *m;
        json_array_foreach((json_t *)v, i, m)
        {
            if (i) buf_putc(b, ',');
            jsonw_tree(b, m);
        }
        buf_putc(b, ']');
        break;
    }
    case JSON_STRING:
        jsonw_stringn(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL: {
        double d = json_real_value(v);
        if (!isfinite(d)) {
            buf_puts(b, "null");
            break;
        }
        char num[40];
        snprintf(num, sizeof num, "%.17g", d);
        /* As jansson writes it: a real always reads back as a real, and an
         * exponent has no "+" and no leading zeros ("1e-7", not "1e-07"). */
        char *e = strchr(num, 'e');
        if (e) {
            char *from = e + 1, *to = e + 1;
            if (*from == '-') *to++ = *from++;
            if (*from == '+') from++;
            while (*from == '0' && from[1])
                from++;
            memmove(to, from, strlen(from) + 1);
        }
        buf_puts(b, num);
        if (!strpbrk(num, ".e")) buf_puts(b, ".0");
        break;
    }
    case JSON_TRUE:
        buf_puts(b, "true");
        break;
    case JSON_FALSE:
        buf_puts(b, "false");
        break;
    default:
        buf_puts(b, "null");
    }
}

/* An object with a cut noted before member stop (see jsonw.h). */
void jsonw_tree_cut(buf *b, const json_t *obj, const char *stop, size_t *cut)
{
    size_t start = b->len;
    *cut = 0;
    buf_putc(b, '{');
    bool first = true;
    for (void *it = json_object_iter((json_t *)obj); it;
         it = json_object_iter_next((json_t *)obj, it)) {
        const char *key = json_object_iter_key(it);
        if (!*cut && strcmp(key, stop) == 0) *cut = b->len - start;
        if (!first) buf_putc(b, ',');
        first = false;
        jsonw_stringn(b, key, json_object_iter_key_len(it));
        buf_putc(b, ':');
        jsonw_tree(b, json_object_iter_value(it));
    }
    if (!*cut) *cut = b->len - start;
    buf_putc(b, '}');
}

/*
 * v with one decimal (see jsonw.h). printf rounds v's exact binary value
 * to tenths, ties to even. Ten times v in doubles rounds that exact product
 * to the nearest double, and below 2^52 every k + 0.5 is a double, so the
 * rounding never carries the product across a half: it lands on one or
 * stays on its side. So unless the product is exactly a half (where the
 * exact value could lie either side), rounding the product rounds the same
 * way, and integer arithmetic writes the digits. The rest (halves, negative
 * or huge values) goes to printf itself.
 */
void jsonw_tenths(buf *b, double v)
{
    if (!isfinite(v)) {
        buf_puts(b, "null");
        return;
    }
    if (v >= 0 && !signbit(v) && v < 1e14) {
        double t = v * 10, whole = floor(t);
        if (t - whole != 0.5) { /* exact: t and whole are close, below 2^52 */
            uint64_t n = (uint64_t)whole + (t - whole > 0.5);
            char num[24], *p = num + sizeof num;
            *--p = (char)('0' + n % 10);
            *--p = '.';
            n /= 10;
            do
                *--p = (char)('0' + n % 10);
            while (n /= 10);
            buf_append(b, p, (size_t)(num + sizeof num - p));
            return;
        }
    }
    buf_printf(b, "%.1f", v);
}
