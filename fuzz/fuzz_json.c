/*
 * fuzz_json.c: text that jansson accepts as an object of strings, integers,
 * booleans and nulls survives rec -> jsonw -> jansson unchanged, so the
 * hand-written JSON writer escapes everything correctly; and any tree
 * jansson reads, jsonw_tree() writes exactly as json_dumps() does.
 */
#include "base/jsonw.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (in) { /* any tree: jsonw_tree writes what json_dumps writes */
        arena *ta = arena_new(4096);
        buf tb;
        buf_init(&tb, ta, 64);
        jsonw_tree(&tb, in);
        char *want = json_dumps(in, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!want || strcmp(want, tb.data) != 0) abort();
        free(want);
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
