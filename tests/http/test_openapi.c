/*
 * test_openapi.c: the OpenAPI document served at /api/v1/openapi.json is
 * kept true to the routes: every API route the server answers is in it,
 * and everything in it is a route the server answers.
 */
#include "unit.h"

#include "cli/cli.h"
#include "http/server.h"
#include "web/assets.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>

/* The route's method in OpenAPI's spelling (lower case). */
static const char *lower(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
    return out;
}

static bool is_api(const char *pattern)
{
    return strncmp(pattern, "/api/", 5) == 0 || strcmp(pattern, "/healthz") == 0 ||
           strcmp(pattern, "/readyz") == 0;
}

static json_t *load_document(void)
{
    const struct asset *a = asset_find("/api/v1/openapi.json");
    assert_non_null(a);
    json_error_t err;
    json_t *doc = json_loadb((const char *)a->data, a->len, 0, &err);
    if (!doc) fail_msg("openapi.json does not parse: %s (line %d)", err.text, err.line);
    return doc;
}

static void every_api_route_is_documented(void **state)
{
    (void)state;
    json_t *doc = load_document();
    json_t *paths = json_object_get(doc, "paths");
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX), missing = 0;
    for (int t = 0; t < nt; t++)
        for (size_t i = 0; i < tables[t].len; i++) {
            const struct route *r = &tables[t].routes[i];
            if (!is_api(r->pattern)) continue;
            char m[16];
            json_t *path = json_object_get(paths, r->pattern);
            if (!path || !json_object_get(path, lower(m, sizeof m, r->method))) {
                fprintf(stderr, "not in openapi.json: %s %s\n", r->method, r->pattern);
                missing++;
            }
        }
    json_decref(doc);
    assert_int_equal(missing, 0);
}

static void every_documented_operation_is_a_route(void **state)
{
    (void)state;
    json_t *doc = load_document();
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX), extra = 0;
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            if (!strstr("get post put patch delete", method)) continue;
            bool found = strcmp(path, "/api/v1/openapi.json") == 0; /* an embedded asset */
            for (int t = 0; t < nt && !found; t++)
                for (size_t i = 0; i < tables[t].len && !found; i++) {
                    char m[16];
                    found = strcmp(tables[t].routes[i].pattern, path) == 0 &&
                            strcmp(lower(m, sizeof m, tables[t].routes[i].method), method) == 0;
                }
            if (!found) {
                fprintf(stderr, "documented but not served: %s %s\n", method, path);
                extra++;
            }
        }
    }
    json_decref(doc);
    assert_int_equal(extra, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_api_route_is_documented),
        cmocka_unit_test(every_documented_operation_is_a_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
