/*
 * markdown.c: the safe Markdown renderer (see markdown.h for what it reads).
 *
 * Two passes over each block. The block pass reads lines and decides what
 * each is: a heading, a list item, a line of a paragraph, or a blank line
 * that ends what was open. The inline pass renders one block's text:
 * it copies text through html_escape() and recognises code spans,
 * emphasis and links. Each inline construct is rendered by one call that
 * writes its opening tag, renders what lies between its markers (a
 * recursive call on that slice), and writes its closing tag, so the tags
 * nest properly whatever the input.
 *
 * The text arrives checked by the domain (valid UTF-8, no control
 * characters) but nothing here relies on that: any bytes come out either
 * escaped or as they were, and only the characters html_escape() replaces
 * matter to HTML.
 */
#include "base/markdown.h"

#include "base/html.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MD_MAX_DEPTH 8  /* emphasis inside emphasis inside a link...: deeper is text */
#define MD_MAX_RUN 16   /* the longest run of backticks that can open a code span */
#define MD_MAX_URL 2048 /* longer link targets are not links */
#define NONE SIZE_MAX

/* One stretch of inline text, and where searches for closing markers in it failed. */
struct span {
    const char *s;
    size_t n;
    size_t star_fail[4];              /* [k]: a search for k closing stars from here on fails */
    size_t tick_fail[MD_MAX_RUN + 1]; /* [k]: the same for k closing backticks */
};

/* Where the parts of a [text](url) link lie in a span. */
struct link {
    size_t text_end; /* the ']' */
    size_t url, url_end;
    size_t end; /* just past the ')' */
};

/*
 * Append n bytes of s to b as escaped text. html_escape() takes a string,
 * so the bytes go through it in small NUL-terminated pieces.
 */
static void text(buf *b, const char *s, size_t n)
{
    char piece[257];
    while (n > 0) {
        size_t k = n < sizeof piece - 1 ? n : sizeof piece - 1;
        memcpy(piece, s, k);
        piece[k] = '\0';
        html_escape(b, piece);
        s += k;
        n -= k;
    }
}

/* Space, tab or a line break. */
static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* ASCII punctuation: what a backslash makes literal. */
static bool is_punct(char ch)
{
    return ch != '\0' && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", ch) != NULL;
}

/* How many ch in a row start at i. */
static size_t run_len(const struct span *sp, size_t i, char ch)
{
    size_t k = 0;
    while (i + k < sp->n && sp->s[i + k] == ch)
        k++;
    return k;
}

/*
 * The start of the next run of exactly k backticks at or after from, or
 * NONE. from always follows a whole run, so runs are seen the same way from
 * any later starting point, and a failed search stays failed for them.
 */
static size_t find_ticks(struct span *sp, size_t from, size_t k)
{
    if (from >= sp->tick_fail[k]) return NONE;
    for (size_t p = from; p < sp->n;) {
        if (sp->s[p] != '`') {
            p++;
            continue;
        }
        size_t m = run_len(sp, p, '`');
        if (m == k) return p;
        p += m;
    }
    sp->tick_fail[k] = from;
    return NONE;
}

/*
 * The start of the run of exactly k stars that closes emphasis opened just
 * before from: after at least one character, not preceded by white space,
 * not escaped and not inside a code span. NONE when there is none.
 */
static size_t find_stars(struct span *sp, size_t from, size_t k)
{
    if (from >= sp->star_fail[k]) return NONE;
    const char *s = sp->s;
    for (size_t p = from; p < sp->n;) {
        char ch = s[p];
        if (ch == '\\' && p + 1 < sp->n && is_punct(s[p + 1])) {
            p += 2;
        } else if (ch == '`') {
            size_t m = run_len(sp, p, '`');
            size_t close = m <= MD_MAX_RUN ? find_ticks(sp, p + m, m) : NONE;
            p = close == NONE ? p + m : close + m;
        } else if (ch == '*') {
            size_t m = run_len(sp, p, '*');
            if (m == k && p > from && !is_space(s[p - 1])) return p;
            p += m;
        } else {
            p++;
        }
    }
    sp->star_fail[k] = from;
    return NONE;
}

/*
 * Is [text](url) at i? Neither the text nor the URL may hold brackets, so
 * a failed try never rescans far; the URL has no white space and may hold
 * balanced parentheses.
 */
static bool parse_link(const struct span *sp, size_t i, struct link *l)
{
    const char *s = sp->s;
    size_t n = sp->n, p = i + 1;
    while (p < n && s[p] != ']' && s[p] != '[')
        p += s[p] == '\\' && p + 1 < n ? 2 : 1;
    if (p + 1 >= n || s[p] != ']' || s[p + 1] != '(') return false;
    l->text_end = p;
    l->url = p + 2;
    int depth = 0;
    size_t q = l->url;
    for (; q < n && q - l->url <= MD_MAX_URL; q++) {
        if (is_space(s[q]) || s[q] == '[' || s[q] == ']') return false;
        if (s[q] == '(') {
            depth++;
        } else if (s[q] == ')') {
            if (depth == 0) break;
            depth--;
        }
    }
    if (q >= n || s[q] != ')') return false;
    l->url_end = q;
    l->end = q + 1;
    return true;
}

/* Does u (n bytes) start with prefix, ignoring ASCII case? */
static bool has_prefix(const char *u, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k) return false;
    for (size_t i = 0; i < k; i++) {
        char ch = u[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch != prefix[i]) return false;
    }
    return true;
}

/*
 * May a link point at u? Only http, https and mailto with something after
 * the scheme, or a path on this site ("/x", but not "//host", which leaves
 * it). Printable ASCII only, without quotes, angle brackets, backslashes or
 * backticks: browsers read "\" as "/" in URLs, and nothing legitimate needs
 * the others unencoded.
 */
static bool url_allowed(const char *u, size_t n)
{
    if (n == 0 || n > MD_MAX_URL) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)u[i];
        if (ch <= 0x20 || ch >= 0x7f || strchr("\"'<>\\`", ch)) return false;
    }
    if (u[0] == '/') return n == 1 || u[1] != '/';
    return (has_prefix(u, n, "https://") && n > 8) || (has_prefix(u, n, "http://") && n > 7) ||
           (has_prefix(u, n, "mailto:") && n > 7);
}

/*
 * Render n bytes of inline text. depth counts the constructs around it;
 * links false inside a link's text (no links within links).
 */
static void inlines(buf *b, const char *s, size_t n, int depth, bool links)
{
    struct span sp = {.s = s, .n = n};
    for (size_t k = 0; k < sizeof sp.star_fail / sizeof sp.star_fail[0]; k++)
        sp.star_fail[k] = NONE;
    for (size_t k = 0; k <= MD_MAX_RUN; k++)
        sp.tick_fail[k] = NONE;
    size_t i = 0, plain = 0; /* s[plain..i) is text still to write */
    while (i < n) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n && is_punct(s[i + 1])) {
            text(b, s + plain, i - plain);
            plain = i + 1; /* the punctuation itself is text */
            i += 2;
        } else if (ch == '`') {
            size_t k = run_len(&sp, i, '`');
            size_t close = k <= MD_MAX_RUN ? find_ticks(&sp, i + k, k) : NONE;
            if (close == NONE) {
                i += k;
                continue;
            }
            size_t from = i + k, len = close - from;
            /* One space each side is padding, as in ``  `x`  ``. */
            if (len >= 2 && s[from] == ' ' && s[close - 1] == ' ') {
                from++;
                len -= 2;
            }
            text(b, s + plain, i - plain);
            H(b, "<code>");
            text(b, s + from, len);
            H(b, "</code>");
            i = plain = close + k;
        } else if (ch == '*' && depth < MD_MAX_DEPTH) {
            size_t k = run_len(&sp, i, '*');
            size_t close = NONE;
            if (k <= 3 && i + k < n && !is_space(s[i + k])) close = find_stars(&sp, i + k, k);
            if (close == NONE) {
                i += k;
                continue;
            }
            text(b, s + plain, i - plain);
            if (k >= 2) H(b, "<strong>");
            if (k != 2) H(b, "<em>");
            inlines(b, s + i + k, close - i - k, depth + 1, links);
            if (k != 2) H(b, "</em>");
            if (k >= 2) H(b, "</strong>");
            i = plain = close + k;
        } else if (ch == '[' && links && depth < MD_MAX_DEPTH) {
            struct link l;
            if (!parse_link(&sp, i, &l)) {
                i++;
                continue;
            }
            text(b, s + plain, i - plain);
            bool linked = url_allowed(s + l.url, l.url_end - l.url);
            if (linked) H(b, "<a href=\"%s\">", arena_strndup(b->a, s + l.url, l.url_end - l.url));
            inlines(b, s + i + 1, l.text_end - i - 1, depth + 1, false);
            if (linked) H(b, "</a>");
            i = plain = l.end;
        } else {
            i++;
        }
    }
    text(b, s + plain, n - plain);
}

/* ---- blocks ---- */

enum block { BLOCK_NONE, BLOCK_PARA, BLOCK_ITEM };
enum list { LIST_NONE, LIST_UL, LIST_OL };

struct blocks {
    buf *b;
    buf acc; /* the open paragraph's or list item's text, lines joined by '\n' */
    enum block open;
    enum list list;
    int top; /* the least heading level */
};

/* Write the open paragraph or list item, if any. */
static void close_block(struct blocks *st)
{
    if (st->open == BLOCK_NONE) return;
    const char *tag = st->open == BLOCK_PARA ? "p" : "li";
    H(st->b, "<%s>", tag);
    inlines(st->b, st->acc.data, st->acc.len, 0, true);
    H(st->b, "</%s>\n", tag);
    st->open = BLOCK_NONE;
    buf_truncate(&st->acc, 0);
}

/* Write the open block and close the open list, if any. */
static void close_list(struct blocks *st)
{
    close_block(st);
    if (st->list == LIST_UL) H(st->b, "</ul>\n");
    if (st->list == LIST_OL) H(st->b, "</ol>\n");
    st->list = LIST_NONE;
}

/* Append text to the open block, without its trailing white space. */
static void add_text(struct blocks *st, const char *t, size_t n)
{
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (st->acc.len) buf_putc(&st->acc, '\n');
    buf_append(&st->acc, t, n);
}

/* "#" to "###" and then a space or the end of the line: the level, else 0. */
static int heading_level(const char *t, size_t n)
{
    size_t k = 0;
    while (k < n && t[k] == '#')
        k++;
    if (k == 0 || k > 3) return 0;
    return k == n || t[k] == ' ' || t[k] == '\t' ? (int)k : 0;
}

/* Write a heading line of the given level (its "#"s included in t). */
static void heading(struct blocks *st, const char *t, size_t n, int level)
{
    size_t from = (size_t)level;
    while (from < n && (t[from] == ' ' || t[from] == '\t'))
        from++;
    size_t end = n;
    while (end > from && (t[end - 1] == ' ' || t[end - 1] == '\t'))
        end--;
    /* A closing run of "#" is decoration when white space comes before it. */
    size_t hashes = end;
    while (hashes > from && t[hashes - 1] == '#')
        hashes--;
    if (hashes < end && (hashes == from || t[hashes - 1] == ' ' || t[hashes - 1] == '\t')) {
        end = hashes;
        while (end > from && (t[end - 1] == ' ' || t[end - 1] == '\t'))
            end--;
    }
    int shown = level < st->top ? st->top : level;
    if (shown > 6) shown = 6;
    H(st->b, "<h%d>", shown);
    inlines(st->b, t + from, end - from, 0, true);
    H(st->b, "</h%d>\n", shown);
}

/*
 * Does t start a list item? "-", "*" or "+", or 1-9 digits and "." or ")",
 * then white space. Sets the kind, where the item's text starts and the
 * number an ordered item has.
 */
static bool list_marker(const char *t, size_t n, enum list *kind, size_t *body, long long *number)
{
    size_t k = 0;
    if (n >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+')) {
        *kind = LIST_UL;
        k = 1;
    } else {
        long long v = 0;
        while (k < n && k < 9 && t[k] >= '0' && t[k] <= '9')
            v = v * 10 + (t[k++] - '0');
        if (k == 0 || k >= n || (t[k] != '.' && t[k] != ')')) return false;
        *kind = LIST_OL;
        *number = v;
        k++;
    }
    if (k >= n || (t[k] != ' ' && t[k] != '\t')) return false;
    while (k < n && (t[k] == ' ' || t[k] == '\t'))
        k++;
    *body = k;
    return true;
}

/* See markdown.h. */
void markdown_html(buf *b, const char *md, int top_level)
{
    struct blocks st = {.b = b, .open = BLOCK_NONE, .list = LIST_NONE};
    st.top = top_level < 1 ? 1 : top_level > 6 ? 6 : top_level;
    buf_init(&st.acc, b->a, 256);
    for (const char *p = md ? md : ""; *p;) {
        const char *line = p;
        size_t len = strcspn(p, "\n");
        p += len;
        if (*p == '\n') p++;
        if (len && line[len - 1] == '\r') len--;
        size_t indent = 0;
        while (indent < len && (line[indent] == ' ' || line[indent] == '\t'))
            indent++;
        const char *t = line + indent;
        size_t n = len - indent;
        if (n == 0) { /* a blank line ends the paragraph and the list */
            close_list(&st);
            continue;
        }
        int level = heading_level(t, n);
        if (level) {
            close_list(&st);
            heading(&st, t, n, level);
            continue;
        }
        enum list kind;
        size_t body = 0;
        long long number = 1;
        /* An ordered item interrupts a paragraph only when it counts from 1 ("2026. was..."). */
        if (list_marker(t, n, &kind, &body, &number) &&
            !(st.open == BLOCK_PARA && kind == LIST_OL && number != 1)) {
            close_block(&st);
            if (st.list != kind) {
                close_list(&st);
                if (kind == LIST_UL)
                    H(b, "<ul>\n");
                else if (number != 1)
                    H(b, "<ol start=\"%lld\">\n", number);
                else
                    H(b, "<ol>\n");
                st.list = kind;
            }
            st.open = BLOCK_ITEM;
            add_text(&st, t + body, n - body);
            continue;
        }
        if (st.open == BLOCK_NONE) st.open = BLOCK_PARA;
        add_text(&st, t, n);
    }
    close_list(&st);
}
