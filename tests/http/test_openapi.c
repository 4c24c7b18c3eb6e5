/*
 * test_openapi.c: the OpenAPI document served at /api/v1/openapi.json is
 * kept true to the routes: every API route the server answers (the JSON
 * API, FHIR, the health checks) is in it, and everything in it is a route
 * the server answers.
 */
#include "openapi_check.h"

/* The path of an API route in the document: the pattern itself, for the
 * JSON API, FHIR and the health checks; NULL for pages and open data. */
static const char *doc_path(const char *pattern)
{
    bool api = strncmp(pattern, "/api/", 5) == 0 || strncmp(pattern, "/fhir/", 6) == 0 ||
               strcmp(pattern, "/healthz") == 0 || strcmp(pattern, "/readyz") == 0;
    return api ? pattern : NULL;
}

static void every_api_route_is_documented(void **state)
{
    (void)state;
    json_t *doc = oa_load("/api/v1/openapi.json");
    int seen = 0;
    assert_int_equal(oa_routes_missing(doc, doc_path, 0, &seen), 0);
    assert_true(seen > 100);
    json_decref(doc);
}

static void every_documented_operation_is_a_route(void **state)
{
    (void)state;
    json_t *doc = oa_load("/api/v1/openapi.json");
    assert_int_equal(oa_operations_unserved(doc, doc_path, "/api/v1/openapi.json"), 0);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_api_route_is_documented),
        cmocka_unit_test(every_documented_operation_is_a_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
