/*
 * test_openreferral_openapi.c: the OpenAPI document of the public Open
 * Referral UK API (docs/openreferral-openapi.json, served at
 * /openreferral/openapi.json) is kept true to the routes: every
 * /openreferral route is in it, everything in it is a route (or the
 * document itself), and the query parameters it lists for the services
 * lists are the ones the search reads.
 */
#include "openapi_check.h"

#include "domain/dir_search.h"

#define PREFIX "/openreferral"

/* The document's path for a route pattern ("/openreferral/services" ->
 * "/services"; the API's root with or without its slash -> "/"), or NULL
 * when the route is not part of this API. */
static const char *doc_path(const char *pattern)
{
    size_t n = strlen(PREFIX);
    if (strncmp(pattern, PREFIX, n) != 0 || (pattern[n] != '/' && pattern[n] != '\0')) return NULL;
    return pattern[n] ? pattern + n : "/";
}

/* The document, parsed (the caller decrefs it), served as JSON. */
static json_t *load_document(void)
{
    const struct asset *a = asset_find(PREFIX "/openapi.json");
    assert_non_null(a);
    assert_string_equal(a->content_type, "application/json");
    return oa_load(PREFIX "/openapi.json");
}

static void every_route_is_documented(void **state)
{
    (void)state;
    json_t *doc = load_document();
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(doc, "servers"), 0), "url")),
                        PREFIX);
    int seen = 0;
    assert_int_equal(oa_routes_missing(doc, doc_path, ROUTE_PUBLIC, &seen), 0);
    assert_true(seen >= 12);
    json_decref(doc);
}

static void every_documented_operation_is_a_route(void **state)
{
    (void)state;
    json_t *doc = load_document();
    assert_int_equal(oa_operations_unserved(doc, doc_path, "/openapi.json"), 0);
    json_decref(doc);
}

/* A well-formed value for each documented parameter of the services lists. */
static const char *sample_value(const char *name)
{
    static const struct {
        const char *name, *value;
    } v[] = {
        {"search", "music"},
        {"page", "2"},
        {"per_page", "10"},
        {"taxonomy_term_id", "t"},
        {"taxonomy_id", "x"},
        {"organization_id", "o"},
        {"modified_after", "2025-01-31"},
        {"minimum_age", "18"},
        {"maximum_age", "65"},
        {"start_time", "09:00"},
        {"end_time", "17:30"},
        {"day", "MO"},
        {"postcode", "HX1 1AA"},
        {"proximity", "5000"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strcmp(v[i].name, name) == 0) return v[i].value;
    return NULL;
}

/* The parameters the services lists handle themselves (api/openreferral.c). */
static const char *const own[] = {"format", "full", NULL};

/* The parameters the document lists for a path's GET, by name (resolving refs). */
static int documented_params(json_t *doc, const char *path, const char **names, int max)
{
    json_t *params = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "paths"), path), "get"), "parameters");
    json_t *comp = json_object_get(json_object_get(doc, "components"), "parameters");
    int n = 0;
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p)
    {
        const char *ref = json_string_value(json_object_get(p, "$ref"));
        if (ref) p = json_object_get(comp, strrchr(ref, '/') + 1);
        assert_non_null(p);
        if (n < max) names[n++] = json_string_value(json_object_get(p, "name"));
    }
    return n;
}

static void the_services_parameters_are_the_ones_the_search_reads(void **state)
{
    struct fx *f = *state;
    json_t *doc = load_document();
    const char *lists[] = {"/services", "/service_at_locations"};
    /* What the ORUK 3.0 API and HSDS 3.0 name for these lists. */
    const char *const standard[] = {
        "search",      "page",        "per_page",        "taxonomy_term_id", "taxonomy_id",
        "minimum_age", "maximum_age", "start_time",      "end_time",         "day",
        "postcode",    "proximity",   "organization_id", "modified_after",   "format",
        NULL};
    for (int l = 0; l < 2; l++) {
        const char *names[32];
        int n = documented_params(doc, lists[l], names, 32);
        for (int k = 0; standard[k]; k++) {
            bool listed = false;
            for (int i = 0; i < n; i++)
                listed |= strcmp(names[i], standard[k]) == 0;
            if (!listed) fail_msg("%s does not document %s", lists[l], standard[k]);
        }
        struct dir_param p[32];
        int np = 0;
        for (int i = 0; i < n; i++) {
            bool mine = false;
            for (int k = 0; own[k]; k++)
                mine |= strcmp(names[i], own[k]) == 0;
            if (mine) continue;
            const char *v = sample_value(names[i]);
            if (!v) fail_msg("%s documents %s, which the search does not read", lists[l], names[i]);
            p[np++] = (struct dir_param){names[i], v};
        }
        struct dir_query q;
        dir_query_init(&q, DIR_UNIT_SERVICE);
        ctx_clear_errors(&f->c);
        result res = dir_query_parse(&f->c, &q, p, np, 0, own);
        if (res != RES_OK)
            fail_msg("%s: %s: %s", lists[l], f->c.errors[0].field, f->c.errors[0].message);
    }
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_is_documented),
        cmocka_unit_test(every_documented_operation_is_a_route),
        cmocka_unit_test_setup_teardown(the_services_parameters_are_the_ones_the_search_reads,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
