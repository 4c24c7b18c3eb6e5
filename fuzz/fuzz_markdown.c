/*
 * fuzz_markdown.c: whatever the Markdown, the HTML the renderer writes holds
 * only its own tags (h1-h6, p, ul, ol, li, em, strong, code, a), properly
 * nested, with escaped text between them; never "<script"; and every href
 * starts with http://, https://, mailto: or a single "/" (so never
 * javascript: or any other scheme). A violation aborts with the reason.
 */
#include "base/markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Stop the run, saying what was wrong and where in the output. */
static void bad(const char *why, const char *html, const char *at)
{
    fprintf(stderr, "fuzz_markdown: %s at offset %ld of:\n%.2000s\n", why, (long)(at - html), html);
    abort();
}

/* A block tag, allowed only at the top level. */
static bool is_block(const char *t)
{
    return strcmp(t, "p") == 0 || strcmp(t, "ul") == 0 || strcmp(t, "ol") == 0 ||
           (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2]);
}

/* An href the renderer may write. */
static bool href_allowed(const char *v, size_t n)
{
    if (n >= 1 && v[0] == '/') return n == 1 || v[1] != '/';
    return (n > 8 && strncasecmp(v, "https://", 8) == 0) ||
           (n > 7 && strncasecmp(v, "http://", 7) == 0) ||
           (n > 7 && strncasecmp(v, "mailto:", 7) == 0);
}

/* Walk the output as a strict parser of the renderer's little language would. */
static void check(const char *html)
{
    static const char *const known[] = {"h1", "h2", "h3", "h4", "h5",     "h6",   "p",
                                        "ul", "ol", "li", "em", "strong", "code", "a"};
    const char *stack[4096];
    int depth = 0;
    char name[8];
    for (const char *p = html; *p; p++) {
        if (strncasecmp(p, "<script", 7) == 0) bad("<script", html, p);
        if (*p == '>' || *p == '"' || *p == '\'') bad("unescaped > or quote", html, p);
        if (*p != '<') continue;
        bool closing = p[1] == '/';
        const char *n = p + 1 + closing;
        size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (len == 0 || len >= sizeof name) bad("< not starting a tag", html, p);
        memcpy(name, n, len);
        name[len] = '\0';
        const char *tag = NULL;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(known[i], name) == 0) tag = known[i];
        if (!tag) bad("unknown tag", html, p);
        const char *q = n + len;
        if (closing) {
            if (*q != '>') bad("malformed closing tag", html, p);
            if (depth == 0 || strcmp(stack[depth - 1], tag) != 0) bad("misnested", html, p);
            depth--;
            p = q;
            continue;
        }
        if (*q == ' ') {
            const char *attr = strcmp(tag, "a") == 0    ? " href=\""
                               : strcmp(tag, "ol") == 0 ? " start=\""
                                                        : NULL;
            if (!attr || strncmp(q, attr, strlen(attr)) != 0) bad("unexpected attribute", html, p);
            const char *v = q + strlen(attr);
            size_t vn = strcspn(v, "\"<>");
            if (v[vn] != '"') bad("malformed attribute", html, p);
            if (strcmp(tag, "a") == 0 && !href_allowed(v, vn)) bad("forbidden href", html, p);
            if (strcmp(tag, "ol") == 0 && strspn(v, "0123456789") != vn) bad("bad start", html, p);
            q = v + vn + 1;
        }
        if (*q != '>') bad("malformed opening tag", html, p);
        const char *parent = depth ? stack[depth - 1] : NULL;
        if (is_block(tag) && parent) bad("block inside an element", html, p);
        if (strcmp(tag, "li") == 0 && (!parent || (strcmp(parent, "ul") && strcmp(parent, "ol"))))
            bad("list item outside a list", html, p);
        if (!is_block(tag) && strcmp(tag, "li") != 0 &&
            (!parent || !strcmp(parent, "ul") || !strcmp(parent, "ol")))
            bad("inline markup outside a block", html, p);
        if (parent && strcmp(parent, "code") == 0) bad("markup inside code", html, p);
        for (int i = 0; i < depth; i++)
            if (strcmp(tag, "a") == 0 && strcmp(stack[i], "a") == 0) bad("link in a link", html, p);
        if (depth == (int)(sizeof stack / sizeof stack[0])) bad("too deep", html, p);
        stack[depth++] = tag;
        p = q;
    }
    if (depth) bad("element left open", html, html + strlen(html));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new(4096);
    char *md = arena_strndup(a, (const char *)data, size); /* stops at a NUL, as C text does */
    buf b;
    buf_init(&b, a, 256);
    markdown_html(&b, md, 1 + (int)(size % 3));
    check(b.data);
    arena_free(a);
    return 0;
}
