/*
 * openapi_check.h: holding an OpenAPI document true to the route tables,
 * both ways, for the tests of each document (test_openapi.c,
 * test_openreferral_openapi.c). Each test says how a route pattern maps to
 * a path of its document (doc_path: NULL when the route is not part of it).
 */
#ifndef CHIS_TEST_OPENAPI_CHECK_H
#define CHIS_TEST_OPENAPI_CHECK_H

#include "unit.h"

#include "cli/cli.h"
#include "http/server.h"
#include "web/assets.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>

typedef const char *doc_path_fn(const char *pattern);

/* The route's method in OpenAPI's spelling (lower case), in out. */
static inline const char *oa_lower(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
    return out;
}

/* The embedded document at asset path, parsed (the caller decrefs it). */
static inline json_t *oa_load(const char *asset)
{
    const struct asset *a = asset_find(asset);
    assert_non_null(a);
    json_error_t err;
    json_t *doc = json_loadb((const char *)a->data, a->len, 0, &err);
    if (!doc) fail_msg("%s does not parse: %s (line %d)", asset, err.text, err.line);
    return doc;
}

/*
 * How many routes doc_path maps into the document whose operation the
 * document lacks (each named on stderr); *seen (if not NULL) counts the
 * routes mapped, and each must have the route flags `flags`.
 */
static inline int oa_routes_missing(json_t *doc, doc_path_fn *doc_path, unsigned flags, int *seen)
{
    json_t *paths = json_object_get(doc, "paths");
    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int nt = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX), missing = 0, n = 0;
    assert_true(nt > 0);
    for (int t = 0; t < nt; t++)
        for (size_t i = 0; i < tables[t].len; i++) {
            const struct route *r = &tables[t].routes[i];
            const char *p = doc_path(r->pattern);
            if (!p) continue;
            n++;
            assert_int_equal(r->flags & flags, flags);
            char m[16];
            json_t *item = json_object_get(paths, p);
            if (!item || !json_object_get(item, oa_lower(m, sizeof m, r->method))) {
                fprintf(stderr, "not in the document: %s %s\n", r->method, r->pattern);
                missing++;
            }
        }
    if (seen) *seen = n;
    return missing;
}

/* How many operations the document lists that no route serves (each
 * named on stderr); self is the document's own path, an embedded asset. */
static inline int oa_operations_unserved(json_t *doc, doc_path_fn *doc_path, const char *self)
{
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
            bool found = strcmp(path, self) == 0;
            for (int t = 0; t < nt && !found; t++)
                for (size_t i = 0; i < tables[t].len && !found; i++) {
                    char m[16];
                    const char *p = doc_path(tables[t].routes[i].pattern);
                    found = p && strcmp(p, path) == 0 &&
                            strcmp(oa_lower(m, sizeof m, tables[t].routes[i].method), method) == 0;
                }
            if (!found) {
                fprintf(stderr, "documented but not served: %s %s\n", method, path);
                extra++;
            }
        }
    }
    return extra;
}

#endif
