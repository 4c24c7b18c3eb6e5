/*
 * test_router.c: route patterns, percent-decoding and form parsing.
 */
#include "unit.h"

#include "http/request.h"
#include "http/server.h"

static void patterns_match_whole_segments_and_capture(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    const char *p[REQ_MAX_PARAMS];
    int n = 0;
    assert_true(route_match("/api/v1/places", "/api/v1/places", a, p, &n));
    assert_int_equal(n, 0);
    assert_true(route_match("/api/v1/places/{id}", "/api/v1/places/42", a, p, &n));
    assert_int_equal(n, 1);
    assert_string_equal(p[0], "42");
    /* libmicrohttpd decodes the path before routing: segments are taken as they are. */
    assert_true(route_match("/a/{x}/b/{y}", "/a/h i/b/j", a, p, &n));
    assert_int_equal(n, 2);
    assert_string_equal(p[0], "h i");
    assert_string_equal(p[1], "j");
    assert_false(route_match("/api/v1/places/{id}", "/api/v1/places/", a, p, &n));
    assert_false(route_match("/api/v1/places/{id}", "/api/v1/places/1/2", a, p, &n));
    assert_false(route_match("/api/v1/places", "/api/v1/placesx", a, p, &n));
    assert_false(route_match("/api/v1/places", "/api/v1/place", a, p, &n));
    assert_true(route_match("/x/{id}", "/x/%31", a, p, &n)); /* not decoded a second time */
    assert_string_equal(p[0], "%31");
    assert_false(route_match("/x/{id}", "/x/a/b", a, p, &n));
    assert_false(route_match("/x/{id}", "//x/1", a, p, &n));
    assert_true(route_match("/", "/", a, p, &n));
    arena_free(a);
}

static void url_decoding_and_encoding(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    assert_string_equal(url_decode(a, "a+b%21", 6, true), "a b!");
    assert_string_equal(url_decode(a, "a+b", 3, false), "a+b");
    assert_null(url_decode(a, "%2", 2, true));
    assert_null(url_decode(a, "%g1", 3, true));
    assert_string_equal(url_encode(a, "/places?x=1&y=é"), "%2Fplaces%3Fx%3D1%26y%3D%C3%A9");
    arena_free(a);
}

static void forms_parse_repeated_and_empty_fields(void **state)
{
    (void)state;
    struct req r = {0};
    r.a = arena_new(1024);
    const char *body = "name=A+%26+B&place_ids=1&place_ids=3&empty=&flag&csrf=x%2By";
    assert_int_equal(req_parse_form(&r, body, strlen(body)), 0);
    assert_string_equal(req_form(&r, "name"), "A & B");
    assert_string_equal(req_form(&r, "empty"), "");
    assert_string_equal(req_form(&r, "flag"), "");
    assert_string_equal(req_form(&r, "csrf"), "x+y");
    assert_null(req_form(&r, "missing"));
    const char *ids[4];
    assert_int_equal(req_form_all(&r, "place_ids", ids, 4), 2);
    assert_string_equal(ids[1], "3");
    assert_int_equal(req_parse_form(&r, "a=%4", 4), -1);
    arena_free(r.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patterns_match_whole_segments_and_capture),
        cmocka_unit_test(url_decoding_and_encoding),
        cmocka_unit_test(forms_parse_repeated_and_empty_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
