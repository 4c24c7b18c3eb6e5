/*
 * text.c: strict parsing; strtoll alone accepts leading spaces, signs and
 * trailing junk, which would let "1 OR 1=1" or "+5" pass as ids.
 */
#include "base/text.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
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
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, c &= 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, c &= 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, c &= 0x07, min = 0x10000;
    else
        return 0;
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
        if (cp >= 0x7f && cp <= 0x9f) return true; /* DEL and C1 */
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;
    }
    return false;
}

bool text_date_or_time_valid(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 20) return false;
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i]) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap)) return false;
    return n == 10 || (atoi(s + 11) <= 23 && atoi(s + 14) <= 59 && atoi(s + 17) <= 59);
}

bool text_date_valid(const char *s)
{
    return strlen(s) == 10 && text_date_or_time_valid(s);
}

/* See text.h. The copy belongs to a. */
char *text_trimmed(arena *a, const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

/* See text.h. Counts the bytes that do not continue a sequence. */
size_t text_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80) n++;
    return n;
}

/* See text.h. */
bool text_phone_valid(const char *s)
{
    int digits = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            digits++;
        else if (!strchr(" +()-", *s))
            return false;
    }
    return digits >= 7 && digits <= 15;
}
