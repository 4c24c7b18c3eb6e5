/*
 * fuzz_json.c: text that jansson accepts as an object of strings, integers,
 * booleans and nulls survives rec -> jsonw -> jansson unchanged, so the
 * hand-written JSON writer escapes everything correctly; any tree jansson
 * reads, jsonw_tree() writes exactly as json_dumps() does; and for an object,
 * jsonw_tree_cut() writes the same text, with a cut that ends a top-level
 * member (the rule dir_search.c checks) and whose start, closed, is the
 * object of the members before the stop key (a service's list summary);
 * and for a number, jsonw_tenths() writes what printf's "%.1f" does.
 */
#include "base/jsonw.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * jsonw_tree_cut() on obj, stopping at its second key (or at a key it lacks,
 * when it has fewer): aborts unless the text is whole (as jsonw_tree wrote
 * it) and the cut is where a summary reader expects it.
 */
static void check_cut(arena *a, json_t *obj, const char *whole, size_t n)
{
    const char *stop = "service_at_locations";
    void *it = json_object_iter(obj);
    if (it && (it = json_object_iter_next(obj, it))) stop = json_object_iter_key(it);
    buf b;
    buf_init(&b, a, 64);
    size_t cut;
    jsonw_tree_cut(&b, obj, stop, &cut);
    if (b.len != n || memcmp(b.data, whole, n) != 0) abort();
    if (cut < 1 || cut >= n || (cut > 1 && whole[cut] != ',' && cut != n - 1)) abort();
    json_t *before = json_object();
    for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        if (strcmp(json_object_iter_key(it), stop) == 0) break;
        json_object_set(before, json_object_iter_key(it), json_object_iter_value(it));
    }
    char *want = json_dumps(before, JSON_COMPACT);
    if (!want || strlen(want) != cut + 1 || memcmp(want, whole, cut) != 0 || want[cut] != '}')
        abort();
    free(want);
    json_decref(before);
}

/* jsonw_tenths() writes what printf's "%.1f" does (null for what is not
 * finite), for v and its neighbours, whose products with ten can land on
 * a half. */
static void check_tenths(arena *a, double v)
{
    double near[] = {v, nextafter(v, -INFINITY), nextafter(v, INFINITY), v / 10, v * 10};
    for (size_t i = 0; i < sizeof near / sizeof *near; i++) {
        buf b;
        buf_init(&b, a, 16);
        jsonw_tenths(&b, near[i]);
        char want[400];
        if (isfinite(near[i]))
            snprintf(want, sizeof want, "%.1f", near[i]);
        else
            strcpy(want, "null");
        if (strcmp(b.data, want) != 0) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *any = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (any && json_is_number(any)) { /* a bare number: the distances' writer */
        arena *na = arena_new(1024);
        check_tenths(na, json_number_value(any));
        arena_free(na);
    }
    json_decref(any);
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (in) { /* any tree: jsonw_tree writes what json_dumps writes */
        arena *ta = arena_new(4096);
        buf tb;
        buf_init(&tb, ta, 64);
        jsonw_tree(&tb, in);
        char *want = json_dumps(in, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!want || strcmp(want, tb.data) != 0) abort();
        free(want);
        if (json_is_object(in)) {
            check_cut(ta, in, tb.data, tb.len);
            const char *k;
            json_t *m;
            json_object_foreach(in, k, m)
            {
                if (json_is_number(m)) check_tenths(ta, json_number_value(m));
            }
        }
        arena_free(ta);
    }
    if (!in || !json_is_object(in)) {
        json_decref(in);
        return 0;
    }
    arena *a = arena_new(4096);
    rec *r = rec_new(a);
    const char *key;
    json_t *v;
    json_t *expect = json_object();
    json_object_foreach(in, key, v)
    {
        if (json_is_string(v))
            rec_set_text(r, key, json_string_value(v));
        else if (json_is_integer(v))
            rec_set_int(r, key, json_integer_value(v));
        else if (json_is_boolean(v))
            rec_set_bool(r, key, json_is_true(v));
        else if (json_is_null(v))
            rec_set_null(r, key);
        else
            continue;
        json_object_set(expect, key, v);
    }
    buf b;
    buf_init(&b, a, 64);
    jsonw_rec(&b, r);
    json_error_t err;
    json_t *out = json_loadb(b.data, b.len, 0, &err);
    if (!out || !json_equal(out, expect)) abort();
    json_decref(out);
    json_decref(expect);
    json_decref(in);
    arena_free(a);
    return 0;
}
