/*
 * jsonr.c: a JSON reader that builds jansson trees (see jsonr.h).
 *
 * It scans the text in place: a string without escapes goes to jansson
 * straight from the text, one with escapes is decoded into a scratch
 * buffer. It follows RFC 8259 as jansson does, with jansson's limits: no
 * "\u0000", UTF-8 checked as strictly (no overlong forms, no surrogates,
 * nothing past U+10FFFF), integers that fit a json_int_t, reals that do not
 * overflow, duplicate keys refused, JSON_PARSER_MAX_DEPTH. Anything else,
 * and anything it would rather not handle, it declines, and jsonr_load()
 * asks jansson: a decline costs a second reading, never a different answer.
 */
#include "base/jsonr.h"

#include "base/text.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    const char *p, *end;
    int depth;
    char *tmp; /* decoded strings (malloc'd, grown as needed) */
    size_t tmpcap;
};

/* Can a string hold this byte as it is? Printable ASCII but '"' and '\'. */
static inline bool plain(unsigned char ch)
{
    return ch >= 0x20 && ch < 0x80 && ch != '"' && ch != '\\';
}

/* Skip JSON white space. */
static inline void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* Four hex digits at p (before end) as a number; -1 when they are not. */
static long hex4(const char *p, const char *end)
{
    if (end - p < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Make room for n more bytes after the first used of r->tmp. -1 when
 * memory runs out. */
static int tmp_room(struct reader *r, size_t used, size_t n)
{
    if (used + n <= r->tmpcap) return 0;
    size_t cap = r->tmpcap ? r->tmpcap : 256;
    while (cap < used + n)
        cap *= 2;
    char *t = realloc(r->tmp, cap);
    if (!t) return -1;
    r->tmp = t;
    r->tmpcap = cap;
    return 0;
}

/* Encode code point cp as UTF-8 at out; the bytes written. */
static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The escape after the backslash at r->p (which it passes), decoded at
 * out; the bytes written, or 0 to decline. */
static size_t read_escape(struct reader *r, char *out)
{
    const char *p = r->p + 1;
    if (p >= r->end) return 0;
    static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (const char *s = simple; *s; s += 2)
        if (*p == s[0]) {
            *out = s[1];
            r->p = p + 1;
            return 1;
        }
    if (*p != 'u') return 0;
    long cp = hex4(p + 1, r->end);
    if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return 0; /* NUL, or a lone low half */
    p += 5;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u') return 0;
        long lo = hex4(p + 2, r->end);
        if (lo < 0xDC00 || lo > 0xDFFF) return 0;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
    }
    r->p = p;
    return utf8_put(out, (uint32_t)cp);
}

/*
 * The string whose opening quote is at r->p: *s and *len are its bytes,
 * borrowed from the text, or from r->tmp when it had escapes (valid until
 * the next string). Passes the closing quote. -1 to decline.
 */
static int read_string(struct reader *r, const char **s, size_t *len)
{
    const char *start = r->p + 1, *p = start, *end = r->end;
    uint64_t w;
    while (end - p >= 8 && (memcpy(&w, p, 8), !text_json_word_special(w)))
        p += 8;
    while (p < end && plain((unsigned char)*p))
        p++;
    if (p < end && *p == '"') {
        *s = start;
        *len = (size_t)(p - start);
        r->p = p + 1;
        return 0;
    }
    size_t o = (size_t)(p - start);
    if (tmp_room(r, 0, o + 64) != 0) return -1;
    memcpy(r->tmp, start, o);
    while (p < end) {
        unsigned char ch = (unsigned char)*p;
        if (tmp_room(r, o, 4) != 0) return -1;
        if (plain(ch)) {
            r->tmp[o++] = (char)ch;
            p++;
        } else if (ch == '"') {
            *s = r->tmp;
            *len = o;
            r->p = p + 1;
            return 0;
        } else if (ch == '\\') {
            r->p = p;
            size_t n = read_escape(r, r->tmp + o);
            if (!n) return -1;
            o += n;
            p = r->p;
        } else if (ch >= 0x80) {
            /* text_utf8_next() reads up to four bytes, or to a NUL: near
             * the end of the text, from a copy that has one. */
            char last[5] = {0};
            const char *at = p;
            if (end - p < 4) at = memcpy(last, p, (size_t)(end - p));
            unsigned cp;
            int n = text_utf8_next(at, &cp);
            if (!n) return -1;
            memcpy(r->tmp + o, p, (size_t)n);
            o += (size_t)n;
            p += n;
        } else {
            return -1; /* a control character */
        }
    }
    return -1;
}

/* The number at r->p, as jansson reads it: an integer unless it has a
 * fraction or an exponent. NULL to decline. */
static json_t *read_number(struct reader *r)
{
    const char *s = r->p, *p = s, *end = r->end;
    bool neg = p < end && *p == '-', real = false;
    if (neg) p++;
    if (p >= end) return NULL;
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9') return NULL;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    } else {
        return NULL;
    }
    size_t digits = (size_t)(p - s) - neg;
    if (p < end && *p == '.') {
        real = true;
        if (++p >= end || *p < '0' || *p > '9') return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || *p < '0' || *p > '9') return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    r->p = p;
    if (!real && digits <= 18) { /* cannot overflow a json_int_t */
        json_int_t v = 0;
        for (const char *d = s + neg; d < p; d++)
            v = v * 10 + (*d - '0');
        return json_integer(neg ? -v : v);
    }
    /* Longer integers may not fit, and strtod() reads the locale's decimal
     * point: both are jansson's to handle. */
    char num[64];
    if (!real || (size_t)(p - s) >= sizeof num || localeconv()->decimal_point[0] != '.')
        return NULL;
    memcpy(num, s, (size_t)(p - s));
    num[p - s] = '\0';
    errno = 0;
    double v = strtod(num, NULL);
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) return NULL;
    return json_real(v);
}

static json_t *read_value(struct reader *r);

/* The object whose '{' is at r->p. NULL to decline. */
static json_t *read_object(struct reader *r)
{
    json_t *obj = json_object();
    if (!obj) return NULL;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return obj;
    }
    for (;;) {
        const char *k;
        size_t klen;
        if (r->p >= r->end || *r->p != '"' || read_string(r, &k, &klen) != 0) break;
        /* A key decoded into the scratch buffer would be overwritten by
         * the strings of its value: it gets its own copy. */
        char *own = NULL;
        if (k == r->tmp) {
            own = malloc(klen ? klen : 1);
            if (!own) break;
            memcpy(own, k, klen);
            k = own;
        }
        skip_ws(r);
        json_t *v = NULL;
        if (r->p < r->end && *r->p == ':') {
            r->p++;
            skip_ws(r);
            v = read_value(r);
        }
        size_t before = json_object_size(obj);
        /* The value is the object's even when the set fails; a set that
         * does not add a member replaced a duplicate key's. */
        bool added = v && json_object_setn_new_nocheck(obj, k, klen, v) == 0 &&
                     json_object_size(obj) > before;
        free(own);
        if (!added) break;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            return obj;
        }
        break;
    }
    json_decref(obj);
    return NULL;
}

/* The array whose '[' is at r->p. NULL to decline. */
static json_t *read_array(struct reader *r)
{
    json_t *arr = json_array();
    if (!arr) return NULL;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return arr;
    }
    for (;;) {
        json_t *v = read_value(r);
        if (!v || json_array_append_new(arr, v) != 0) break;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == ']') {
            r->p++;
            return arr;
        }
        break;
    }
    json_decref(arr);
    return NULL;
}

/* Does the literal word (len bytes) start at r->p? Passes it if so. */
static bool literal(struct reader *r, const char *word, size_t len)
{
    if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0) return false;
    r->p += len;
    return true;
}

/* The value at r->p (white space skipped). NULL to decline. jansson
 * counts every value's depth, scalars too: one inside the deepest
 * container it allows is already too deep. */
static json_t *read_value(struct reader *r)
{
    if (r->p >= r->end || ++r->depth > JSON_PARSER_MAX_DEPTH) return NULL;
    json_t *v;
    const char *s;
    size_t len;
    switch (*r->p) {
    case '"':
        v = read_string(r, &s, &len) == 0 ? json_stringn_nocheck(s, len) : NULL;
        break;
    case '{':
        v = read_object(r);
        break;
    case '[':
        v = read_array(r);
        break;
    case 't':
        v = literal(r, "true", 4) ? json_true() : NULL;
        break;
    case 'f':
        v = literal(r, "false", 5) ? json_false() : NULL;
        break;
    case 'n':
        v = literal(r, "null", 4) ? json_null() : NULL;
        break;
    default:
        v = read_number(r);
    }
    r->depth--;
    return v;
}

/* The fast reader on the first value of the text (see jsonr.h). The
 * caller owns the result. */
json_t *jsonr_load_first(const char *text, size_t len, size_t *used)
{
    struct reader r = {.p = text, .end = text + len};
    skip_ws(&r);
    if (r.p >= r.end || (*r.p != '{' && *r.p != '[')) return NULL;
    json_t *v = read_value(&r);
    free(r.tmp);
    *used = (size_t)(r.p - text);
    return v;
}

/* The fast reader alone (see jsonr.h). The caller owns the result. */
json_t *jsonr_load_fast(const char *text, size_t len)
{
    size_t used = 0;
    json_t *v = jsonr_load_first(text, len, &used);
    struct reader rest = {.p = text + used, .end = text + len};
    skip_ws(&rest);
    if (v && rest.p != rest.end) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

/* Read an object or array, as json_loadb() would (see jsonr.h). The
 * caller owns the result. */
json_t *jsonr_load(const char *text, size_t len, json_error_t *err)
{
    json_t *v = jsonr_load_fast(text, len);
    return v ? v : json_loadb(text, len, JSON_REJECT_DUPLICATES, err);
}
