/*
 * test_markdown.c: the Markdown renderer renders each feature it claims,
 * and hostile input (HTML, script links, unclosed and nested markers,
 * enormous lines) comes out escaped, with only the renderer's own tags,
 * properly nested.
 */
#include "unit.h"

#include "domain/examples.h"
#include "base/markdown.h"

#include <stdio.h>
#include <strings.h>

/* The HTML for md with headings from top_level, in arena a. */
static const char *md(arena *a, const char *text, int top_level)
{
    buf b;
    buf_init(&b, a, 256);
    markdown_html(&b, text, top_level);
    return b.data;
}

/* Is tag one of the renderer's block tags (at the top level only)? */
static bool is_block(const char *t)
{
    return strcmp(t, "p") == 0 || strcmp(t, "ul") == 0 || strcmp(t, "ol") == 0 ||
           (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2]);
}

/* Does an href value start as the renderer allows (never javascript: and the like)? */
static bool href_allowed(const char *v, size_t n)
{
    if (n >= 1 && v[0] == '/') return n == 1 || v[1] != '/';
    return (n > 8 && strncasecmp(v, "https://", 8) == 0) ||
           (n > 7 && strncasecmp(v, "http://", 7) == 0) ||
           (n > 7 && strncasecmp(v, "mailto:", 7) == 0);
}

/*
 * NULL when html holds only the renderer's tags (h1-h6, p, ul, ol, li, em,
 * strong, code, a), properly nested, with escaped text in between, no
 * "<script" and only allowed hrefs; else what is wrong.
 */
static const char *check_html(const char *html)
{
    static const char *const known[] = {"h1", "h2", "h3", "h4", "h5",     "h6",   "p",
                                        "ul", "ol", "li", "em", "strong", "code", "a"};
    const char *stack[256];
    int depth = 0;
    char lower[8];
    for (const char *p = html; *p; p++) {
        if (strncasecmp(p, "<script", 7) == 0) return "<script in the output";
        if (*p == '>' || *p == '"' || *p == '\'') return "an unescaped > or quote in text";
        if (*p != '<') continue;
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (len == 0 || len >= sizeof lower) return "a < that does not start a known tag";
        memcpy(lower, name, len);
        lower[len] = '\0';
        const char *tag = NULL;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(known[i], lower) == 0) tag = known[i];
        if (!tag) return "an unknown tag";
        const char *q = name + len;
        if (closing) {
            if (*q != '>') return "a malformed closing tag";
            if (depth == 0 || strcmp(stack[depth - 1], tag) != 0) return "a misnested closing tag";
            depth--;
            p = q;
            continue;
        }
        if (*q == ' ') {
            const char *attr = strcmp(tag, "a") == 0    ? " href=\""
                               : strcmp(tag, "ol") == 0 ? " start=\""
                                                        : NULL;
            if (!attr || strncmp(q, attr, strlen(attr)) != 0) return "an unexpected attribute";
            const char *v = q + strlen(attr);
            size_t vn = strcspn(v, "\"<>");
            if (v[vn] != '"') return "a malformed attribute";
            if (strcmp(tag, "a") == 0 && !href_allowed(v, vn)) return "a forbidden href";
            if (strcmp(tag, "ol") == 0 && strspn(v, "0123456789") != vn) return "a bad start";
            q = v + vn + 1;
        }
        if (*q != '>') return "a malformed opening tag";
        const char *parent = depth ? stack[depth - 1] : NULL;
        if (is_block(tag) && parent) return "a block inside another element";
        if (strcmp(tag, "li") == 0 && (!parent || (strcmp(parent, "ul") && strcmp(parent, "ol"))))
            return "a list item outside a list";
        if (!is_block(tag) && strcmp(tag, "li") != 0 &&
            (!parent || !strcmp(parent, "ul") || !strcmp(parent, "ol")))
            return "inline markup outside a block";
        if (parent && strcmp(parent, "code") == 0) return "markup inside code";
        for (int i = 0; i < depth; i++)
            if (strcmp(tag, "a") == 0 && strcmp(stack[i], "a") == 0) return "a link in a link";
        if (depth == (int)(sizeof stack / sizeof stack[0])) return "nesting too deep";
        stack[depth++] = tag;
        p = q;
    }
    return depth ? "an element left open" : NULL;
}

/* Render and insist on a well-formed result; returns the HTML. */
static const char *safe(arena *a, const char *text)
{
    const char *html = md(a, text, 1);
    const char *why = check_html(html);
    if (why) fail_msg("%s\n  input: %.200s\n  output: %.400s", why, text, html);
    return html;
}

static void headings_from_one_to_three_hashes(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "# One\n## Two ##\n###   Three  \n#### Four\n#NoSpace", 1),
                        "<h1>One</h1>\n<h2>Two</h2>\n<h3>Three</h3>\n"
                        "<p>#### Four\n#NoSpace</p>\n");
    /* A page whose title is the h1 raises the text's headings below it. */
    assert_string_equal(md(a, "# One\n## Two\n### Three", 2),
                        "<h2>One</h2>\n<h2>Two</h2>\n<h3>Three</h3>\n");
    assert_string_equal(md(a, "## *Our* work #1", 1), "<h2><em>Our</em> work #1</h2>\n");
    assert_string_equal(md(a, "#", 1), "<h1></h1>\n");
    arena_free(a);
}

static void paragraphs_are_separated_by_blank_lines(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "First line\nsecond line\n\n\n  Next paragraph  \n", 1),
                        "<p>First line\nsecond line</p>\n<p>Next paragraph</p>\n");
    assert_string_equal(md(a, "Windows\r\nlines\r\n\r\nend", 1),
                        "<p>Windows\nlines</p>\n<p>end</p>\n");
    assert_string_equal(md(a, "Text\n# Heading\nmore", 1),
                        "<p>Text</p>\n<h1>Heading</h1>\n<p>more</p>\n");
    assert_string_equal(md(a, "", 1), "");
    assert_string_equal(md(a, NULL, 1), "");
    assert_string_equal(md(a, "\n \n\t\n", 1), "");
    arena_free(a);
}

static void emphasis_strong_and_both(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "*em* and **strong** and ***both***", 1),
                        "<p><em>em</em> and <strong>strong</strong> and "
                        "<strong><em>both</em></strong></p>\n");
    assert_string_equal(md(a, "**bold with *em* inside**", 1),
                        "<p><strong>bold with <em>em</em> inside</strong></p>\n");
    /* Markers need text beside them: spaced stars and lone stars are text. */
    assert_string_equal(md(a, "2 * 3 * 4 and * alone and a*", 1),
                        "<p>2 * 3 * 4 and * alone and a*</p>\n");
    assert_string_equal(md(a, "\\*not emphasis\\*", 1), "<p>*not emphasis*</p>\n");
    /* Emphasis may span lines of a paragraph, but not paragraphs. */
    assert_string_equal(md(a, "*one\ntwo*", 1), "<p><em>one\ntwo</em></p>\n");
    assert_string_equal(md(a, "*one\n\ntwo*", 1), "<p>*one</p>\n<p>two*</p>\n");
    arena_free(a);
}

static void unordered_and_ordered_lists(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "- one\n* two\n+ three", 1),
                        "<ul>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ul>\n");
    assert_string_equal(md(a, "1. one\n2) two\n\n3. three", 1),
                        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"
                        "<ol start=\"3\">\n<li>three</li>\n</ol>\n");
    /* A lazy continuation line belongs to the item; switching kinds starts a new list. */
    assert_string_equal(md(a, "Intro:\n- a **b**\n  continued\n1. x\nafter", 1),
                        "<p>Intro:</p>\n<ul>\n<li>a <strong>b</strong>\ncontinued</li>\n</ul>\n"
                        "<ol>\n<li>x\nafter</li>\n</ol>\n");
    /* A number that does not count from 1 does not break a paragraph. */
    assert_string_equal(md(a, "It began in\n2024. Then more.", 1),
                        "<p>It began in\n2024. Then more.</p>\n");
    assert_string_equal(md(a, "-not a list\n-", 1), "<p>-not a list\n-</p>\n");
    arena_free(a);
}

static void links_only_to_safe_places(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(
        md(a,
           "[NHS](https://www.nhs.uk/) [plain](http://example.org/a_(b)) "
           "[home](/examples?a=1&b=2) [mail](mailto:hello@example.org) [root](/)",
           1),
        "<p><a href=\"https://www.nhs.uk/\">NHS</a> <a href=\"http://example.org/a_(b)\">plain</a> "
        "<a href=\"/examples?a=1&amp;b=2\">home</a> "
        "<a href=\"mailto:hello@example.org\">mail</a> <a href=\"/\">root</a></p>\n");
    assert_string_equal(md(a, "[**bold** link](/x)", 1),
                        "<p><a href=\"/x\"><strong>bold</strong> link</a></p>\n");
    /* Anything else keeps its text and loses the link. */
    static const char *const bad[] = {
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](data:text/html,hi)",
        "[x](vbscript:msgbox)",
        "[x](//evil.example/)",
        "[x](/\\evil.example/)",
        "[x](ftp://example.org/)",
        "[x](http:)",
        "[x](https://)",
        "[x](mailto:)",
        "[x](https://a.example/\"x)",
        "[x](https://a.example/<b>)",
        "[x](example.org)",
        "[x](#top)",
        "[x](&#106;avascript:alert(1))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *html = safe(a, bad[i]);
        if (strstr(html, "<a")) fail_msg("%s was linked: %s", bad[i], html);
        if (!strstr(html, "x")) fail_msg("%s lost its text: %s", bad[i], html);
    }
    assert_string_equal(md(a, "[click](javascript:alert(1))", 1), "<p>click</p>\n");
    /* Not link syntax at all: left as text. */
    assert_string_equal(md(a, "[a] (b) [c](d e) [unclosed(", 1),
                        "<p>[a] (b) [c](d e) [unclosed(</p>\n");
    arena_free(a);
}

static void inline_code_is_text(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "Use `<b>` and ``a`b`` and `` `x` `` and `*no em*`", 1),
                        "<p>Use <code>&lt;b&gt;</code> and <code>a`b</code> and "
                        "<code>`x`</code> and <code>*no em*</code></p>\n");
    assert_string_equal(md(a, "`unclosed and ``two", 1), "<p>`unclosed and ``two</p>\n");
    assert_string_equal(md(a, "*a `*` b*", 1), "<p><em>a <code>*</code> b</em></p>\n");
    arena_free(a);
}

static void html_never_passes_through(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_string_equal(md(a, "<script>alert('x')</script>", 1),
                        "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>\n");
    assert_string_equal(md(a, "# <img src=x onerror=\"alert(1)\">", 1),
                        "<h1>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</h1>\n");
    assert_string_equal(md(a, "- <a href=\"javascript:x\">y</a> & &amp;", 1),
                        "<ul>\n<li>&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt; &amp; "
                        "&amp;amp;</li>\n</ul>\n");
    static const char *const hostile[] = {
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "[<script>](https://example.org/)",
        "**<script>**alert(1)**</script>**",
        "`</code><script>`",
        "<!-- comment --><style>body{}</style>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "[x](https://example.org/\"><script>alert(1)</script>)",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        safe(a, hostile[i]);
    arena_free(a);
}

static void nested_and_unclosed_markers_stay_well_formed(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    static const char *const cases[] = {
        "**bold *both** em*",
        "*a **b* c**",
        "***",
        "****x****",
        "* * *",
        "**",
        "*",
        "***a**",
        "**a***",
        "*a**b*c**",
        "[*a](/x)*",
        "*[a*](/x)",
        "[a](/x*)*b*",
        "`*`*`*`",
        "\\",
        "\\\\*a*",
        "[",
        "]",
        "](",
        "[]()",
        "[a]()",
        "[](/x)",
        "1. \n2.",
        "- \n- ",
        "# \n## \n###",
        "1)x",
        "99999999999. big",
        "1234567890. ten",
        "*a `b* c`",
        "**a `b** c` d**",
        "[a `]` b](/x)",
        "_under_ __score__",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        safe(a, cases[i]);
    assert_string_equal(md(a, "[](/x)", 1), "<p><a href=\"/x\"></a></p>\n");
    /* Deep nesting stops at a bound and the rest is text. */
    buf deep;
    buf_init(&deep, a, 4096);
    for (int i = 0; i < 200; i++)
        buf_puts(&deep, "*a **b ");
    for (int i = 0; i < 200; i++)
        buf_puts(&deep, "b** a* ");
    safe(a, deep.data);
    buf_truncate(&deep, 0);
    for (int i = 0; i < 5000; i++)
        buf_puts(&deep, "[*");
    safe(a, deep.data);
    arena_free(a);
}

static void very_long_lines_and_many_markers_are_fine(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    const size_t n = 400000;
    static const char *const units[] = {"word ", "*a `", "[a](", "**", "`", "*x* ", "[x](/y) "};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t k = strlen(units[u]);
        char *big = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            big[i] = units[u][i % k];
        big[n] = '\0';
        clock_t t0 = clock();
        const char *html = safe(a, big);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (secs > 2.0) fail_msg("%zu bytes of \"%s\" took %.2fs", n, units[u], secs);
        assert_true(strlen(html) >= n / 2);
        free(big);
        arena_reset(a);
    }
    arena_free(a);
}

/* A cheap deterministic fuzz: random mixtures of the characters that matter. */
static void random_markdown_is_always_well_formed(void **state)
{
    (void)state;
    static const char alphabet[] = "*`[]()\\#-+1. \n\n<>\"'&/:hjavscript:mailto:https://x_";
    arena *a = arena_new(1 << 16);
    unsigned long long seed = 0x9e3779b97f4a7c15ULL;
    char text[200];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t len = (size_t)(seed >> 33) % (sizeof text - 1);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            text[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        safe(a, text);
        arena_reset(a);
    }
    arena_free(a);
}

static void shipped_examples_render_with_headings_and_lists(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    for (size_t i = 0; i < shipped_examples_len; i++) {
        const char *html = safe(a, shipped_examples[i].body_markdown);
        assert_non_null(strstr(html, "<h2>"));
        assert_non_null(strstr(html, "<ul>\n<li>"));
        assert_non_null(strstr(html, "<strong>"));
        assert_null(strstr(html, "**"));
        /* Raised below a page's own h1, there is still no h1. */
        assert_null(strstr(md(a, shipped_examples[i].body_markdown, 2), "<h1>"));
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headings_from_one_to_three_hashes),
        cmocka_unit_test(paragraphs_are_separated_by_blank_lines),
        cmocka_unit_test(emphasis_strong_and_both),
        cmocka_unit_test(unordered_and_ordered_lists),
        cmocka_unit_test(links_only_to_safe_places),
        cmocka_unit_test(inline_code_is_text),
        cmocka_unit_test(html_never_passes_through),
        cmocka_unit_test(nested_and_unclosed_markers_stay_well_formed),
        cmocka_unit_test(very_long_lines_and_many_markers_are_fine),
        cmocka_unit_test(random_markdown_is_always_well_formed),
        cmocka_unit_test(shipped_examples_render_with_headings_and_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
