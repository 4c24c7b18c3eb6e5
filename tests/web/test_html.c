/*
 * test_html.c: the page builder escapes every value, and every kind of
 * record in the registry has its API and web routes.
 */
#include "unit.h"

#include "api/api.h"
#include "cli/cli.h"
#include "domain/registry.h"
#include "http/server.h"
#include "base/html.h"
#include "web/web.h"

#include <stdio.h>

static void values_are_escaped_in_text_and_attributes(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 16);
    H(&b, "<p title=\"%s\">%s</p>", "\" onmouseover=\"x", "<script>alert('1') & more</script>");
    assert_string_equal(b.data,
                        "<p title=\"&quot; onmouseover=&quot;x\">&lt;script&gt;alert(&#39;1&#39;)"
                        " &amp; more&lt;/script&gt;</p>");
    buf_truncate(&b, 0);
    H(&b, "<a href=\"/places?q=%U\">%d %lld %%</a>", "a&b c\"<", 7, 123456789012LL);
    assert_string_equal(b.data, "<a href=\"/places?q=a%26b%20c%22%3C\">7 123456789012 %</a>");
    buf_truncate(&b, 0);
    H(&b, "[%s]", (const char *)NULL);
    assert_string_equal(b.data, "[]");
    arena_free(a);
}

static void fragments_are_the_only_raw_markup(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    buf inner, outer;
    buf_init(&inner, a, 16);
    buf_init(&outer, a, 16);
    H(&inner, "<b>%s</b>", "<i>");
    struct html_frag f = html_frag_of(&inner);
    H(&outer, "<div>%H</div>", &f);
    assert_string_equal(outer.data, "<div><b>&lt;i&gt;</b></div>");
    arena_free(a);
}

static bool has_route(const struct route *routes, size_t n, const char *method, const char *pattern)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].pattern, pattern) == 0)
            return true;
    return false;
}

static void every_registered_entity_has_api_and_web_routes(void **state)
{
    (void)state;
    char p[128];
    for (size_t i = 0; entity_at(i); i++) {
        const char *name = entity_at(i)->name;
        snprintf(p, sizeof p, "/api/v1/%s", name);
        assert_true(has_route(api_routes, api_routes_len, "GET", p));
        assert_true(has_route(api_routes, api_routes_len, "POST", p));
        snprintf(p, sizeof p, "/api/v1/%s/{id}", name);
        assert_true(has_route(api_routes, api_routes_len, "PATCH", p));
        assert_true(has_route(api_routes, api_routes_len, "DELETE", p));
        snprintf(p, sizeof p, "/%s", name);
        assert_true(has_route(web_routes, web_routes_len, "GET", p));
        snprintf(p, sizeof p, "/%s/{id}/edit", name);
        assert_true(has_route(web_routes, web_routes_len, "POST", p));
        snprintf(p, sizeof p, "/%s/{id}/delete", name);
        assert_true(has_route(web_routes, web_routes_len, "POST", p));
    }
}

static void no_two_routes_share_a_method_and_pattern(void **state)
{
    (void)state;
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX);
    assert_true(nt > 0);
    for (int t = 0; t < nt; t++)
        for (size_t i = 0; i < tables[t].len; i++)
            for (int u = t; u < nt; u++)
                for (size_t k = u == t ? i + 1 : 0; k < tables[u].len; k++)
                    if (strcmp(tables[t].routes[i].method, tables[u].routes[k].method) == 0 &&
                        strcmp(tables[t].routes[i].pattern, tables[u].routes[k].pattern) == 0)
                        fail_msg("duplicate route %s %s", tables[t].routes[i].method,
                                 tables[t].routes[i].pattern);
}

/* No route hides a later one: "/x/{id}" before "/x/coverage" would swallow it. */
static void no_route_is_hidden_by_an_earlier_one(void **state)
{
    (void)state;
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX);
    assert_true(nt > 0);
    const struct route *all[1024];
    int n = 0;
    for (int t = 0; t < nt; t++)
        for (size_t i = 0; i < tables[t].len; i++) {
            assert_true(n < 1024);
            all[n++] = &tables[t].routes[i];
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < j; i++)
            if (strcmp(all[i]->method, all[j]->method) == 0 &&
                strcmp(all[i]->pattern, all[j]->pattern) != 0 &&
                route_match(all[i]->pattern, all[j]->pattern, NULL, NULL, NULL))
                fail_msg("%s %s is hidden by the earlier %s", all[j]->method, all[j]->pattern,
                         all[i]->pattern);
}

/* Every table is handed over: none is dropped for want of room. */
static void every_route_table_is_served(void **state)
{
    (void)state;
    struct route_table few[2];
    assert_int_equal(chis_route_tables(few, 2), -1);
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX);
    bool web_routes_seen = false;
    for (int t = 0; t < nt; t++)
        web_routes_seen |= tables[t].routes == web_routes;
    assert_true(web_routes_seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_escaped_in_text_and_attributes),
        cmocka_unit_test(fragments_are_the_only_raw_markup),
        cmocka_unit_test(every_registered_entity_has_api_and_web_routes),
        cmocka_unit_test(no_two_routes_share_a_method_and_pattern),
        cmocka_unit_test(no_route_is_hidden_by_an_earlier_one),
        cmocka_unit_test(every_route_table_is_served),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
