/*
 * dir_text.c: tidying the text real directory feeds carry. Feeds are
 * exported from many systems, and the same description arrives with HTML
 * markup, with its newlines escaped as the two characters "\n", with runs of
 * spaces and with times written "9:00am". What can be read without guessing
 * is normalised here; what cannot is left for the check to refuse.
 */
#include "domain/dir_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Does s need any tidying as one-line text? (The common case: no.) */
static bool text_is_clean(const char *s)
{
    if (*s == ' ' || *s == '\t') return false;
    const char *p = s;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f) return false;
        if (ch == ' ' && p[1] == ' ') return false;
    }
    return p == s || p[-1] != ' ';
}

/* Trimmed, spaces collapsed, control characters made spaces (see header). */
const char *dir_clean_text(struct ctx *c, const char *s)
{
    if (text_is_clean(s)) return s;
    char *out = arena_alloc_raw(c->a, strlen(s) + 1), *o = out;
    bool space = true; /* drops leading spaces */
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f || ch == ' ') {
            if (!space) *o++ = ' ';
            space = true;
            continue;
        }
        *o++ = (char)ch;
        space = false;
    }
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

/* The character an HTML entity at p stands for, and its length in *len;
 * 0 for one we do not read. */
static char entity_char(const char *p, size_t *len)
{
    static const struct {
        const char *name;
        char ch;
    } known[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},   {"&quot;", '"'},
                 {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}, {"&#160;", ' '}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i].name);
        if (strncasecmp(p, known[i].name, n) == 0) {
            *len = n;
            return known[i].ch;
        }
    }
    return 0;
}

/* Is the tag at p (just after '<') one that ends a line: br, p, div, li? */
static bool tag_breaks_line(const char *p)
{
    if (*p == '/') p++;
    static const char *const tags[] = {"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t n = strlen(tags[i]);
        if (strncasecmp(p, tags[i], n) == 0 && !isalnum((unsigned char)p[n])) return true;
    }
    return false;
}

/* Does s need any tidying as multi-line text? */
static bool longtext_is_clean(const char *s)
{
    if (*s == ' ' || *s == '\n') return false;
    const char *p = s;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch < 0x20 && ch != '\n') || ch == 0x7f || ch == '<' || ch == '&') return false;
        if (ch == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't')) return false;
        if ((ch == ' ' || ch == '\n') && (p[1] == ' ' || p[1] == '\n')) return false;
    }
    return p == s || (p[-1] != ' ' && p[-1] != '\n');
}

/* Markup stripped, "\n" read, spaces collapsed, paragraphs kept (see header). */
const char *dir_clean_longtext(struct ctx *c, const char *s)
{
    if (longtext_is_clean(s)) return s;
    char *out = arena_alloc_raw(c->a, strlen(s) + 1), *o = out;
    int newlines = 2; /* as if after a paragraph: drops leading space */
    bool space = true;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        size_t len;
        if (ch == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't')) {
            ch = p[1] == 't' ? ' ' : p[1] == 'n' ? '\n' : '\0';
            p++;
            if (!ch) continue;
        } else if (ch == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!')) {
            const char *end = strchr(p, '>');
            if (end) {
                ch = tag_breaks_line(p + 1) ? '\n' : ' ';
                p = end;
            }
        } else if (ch == '&') {
            char decoded = entity_char(p, &len);
            if (decoded) {
                ch = decoded;
                p += len - 1;
            }
        } else if (ch == '\r') {
            continue;
        }
        if (ch == '\n') {
            while (o > out && o[-1] == ' ')
                o--;
            if (newlines < 2) *o++ = '\n';
            newlines++;
            space = true;
            continue;
        }
        if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == ' ') {
            if (!space) *o++ = ' ';
            space = true;
            continue;
        }
        *o++ = ch;
        space = false;
        newlines = 0;
    }
    while (o > out && (o[-1] == ' ' || o[-1] == '\n'))
        o--;
    *o = '\0';
    return out;
}

/* "9:00am", "9am", "12 PM", "17:30", "17:30:00", "0930" -> "HH:MM:SS". */
int dir_time_normalise(const char *in, char out[9])
{
    int h = 0, m = 0, sec = 0, digits = 0;
    const char *p = in;
    while (*p == ' ')
        p++;
    while (isdigit((unsigned char)*p) && digits < 4) {
        h = h * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || isdigit((unsigned char)*p)) return -1;
    if (digits > 2) { /* "0930" */
        if (digits != 4) return -1;
        m = h % 100;
        h /= 100;
    } else if (*p == ':' || *p == '.') {
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return -1;
        m = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
        if (*p == ':') {
            p++;
            if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return -1;
            sec = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        }
    }
    while (*p == ' ')
        p++;
    if (*p) {
        bool pm = tolower((unsigned char)*p) == 'p';
        if (!pm && tolower((unsigned char)*p) != 'a') return -1;
        p++;
        if (*p == '.') p++;
        if (tolower((unsigned char)*p) == 'm') p++;
        if (*p == '.') p++;
        while (*p == ' ')
            p++;
        if (*p || h < 1 || h > 12) return -1;
        h = h % 12 + (pm ? 12 : 0);
    }
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return -1;
    const char digits2[] = {(char)('0' + h / 10),   (char)('0' + h % 10),   ':',
                            (char)('0' + m / 10),   (char)('0' + m % 10),   ':',
                            (char)('0' + sec / 10), (char)('0' + sec % 10), '\0'};
    memcpy(out, digits2, sizeof digits2);
    return 0;
}
