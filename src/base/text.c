/*
 * text.c: strict parsing; strtoll alone accepts leading spaces, signs and
 * trailing junk, which would let "1 OR 1=1" or "+5" pass as ids.
 */
#include "base/text.h"

#include <errno.h>
#include <stdlib.h>

long long text_id(const char *s)
{
    if (!s || *s < '0' || *s > '9') return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || *end || v <= 0 ? 0 : v;
}

int text_utf8_next(const char *s, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    int n;
    unsigned min;
    if (c == 0) return 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) n = 2, c &= 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef) n = 3, c &= 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, c &= 0x07, min = 0x10000;
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return n;
}

bool text_utf8_valid(const char *s)
{
    unsigned cp;
    while (*s) {
        int n = text_utf8_next(s, &cp);
        if (!n) return false;
        s += n;
    }
    return true;
}

bool text_has_unsafe_chars(const char *s, bool multiline)
{
    unsigned cp;
    while (*s) {
        int n = text_utf8_next(s, &cp);
        if (!n) return true;
        s += n;
        if (cp < 0x20 && !(multiline && (cp == '\n' || cp == '\r' || cp == '\t'))) return true;
        if (cp >= 0x7f && cp <= 0x9f) return true;                          /* DEL and C1 */
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;
    }
    return false;
}
