/*
 * test_base.c: arena, buf, rec and csv.
 */
#include "unit.h"

#include "base/buf.h"
#include "base/csv.h"
#include "base/rec.h"

#include <stdint.h>

static void arena_allocations_are_zeroed_aligned_and_survive_growth(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    char *first = arena_alloc(a, 10);
    memcpy(first, "012345678", 10);
    for (int i = 0; i < 1000; i++) {
        unsigned char *p = arena_alloc(a, (size_t)(i % 97) + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i % 97 + 1; k++) assert_int_equal(p[k], 0);
        memset(p, 0xab, (size_t)(i % 97) + 1);
    }
    char *big = arena_alloc(a, 100000); /* larger than a block: gets its own */
    assert_non_null(big);
    assert_int_equal(big[99999], 0);
    assert_string_equal(first, "012345678");
    assert_true(arena_used(a) >= 100000);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    assert_string_equal(arena_printf(a, "%s-%d", "x", 42), "x-42");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    arena_free(a);
}

static void buf_grows_and_stays_terminated(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 8);
    for (int i = 0; i < 500; i++) buf_printf(&b, "%03d,", i);
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data + 1996, "499,", 4);
    buf_truncate(&b, 3);
    assert_string_equal(b.data, "000");
    arena_free(a);
}

static void rec_replaces_fields_and_compares_id_sets_as_sets(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    rec *r = rec_new(a);
    for (int i = 0; i < 40; i++) rec_set_int(r, arena_printf(a, "f%d", i), i);
    rec_set_text(r, "f3", "three");
    assert_int_equal(r->n, 40);
    assert_string_equal(rec_text(r, "f3"), "three");
    assert_int_equal(rec_int(r, "f39", -1), 39);
    assert_int_equal(rec_int(r, "missing", -1), -1);
    rec_set_text(r, "nullish", NULL);
    assert_true(rec_is_null(r, "nullish"));
    assert_true(rec_is_null(r, "absent"));
    long long x[] = {3, 1, 2}, y[] = {2, 3, 1}, z[] = {1, 2, 4};
    rec_set_ids(r, "x", x, 3);
    rec_set_ids(r, "y", y, 3);
    rec_set_ids(r, "z", z, 3);
    assert_true(val_equal(rec_get(r, "x"), rec_get(r, "y")));
    assert_false(val_equal(rec_get(r, "x"), rec_get(r, "z")));
    rec *j = rec_new(a);
    rec_set_text(j, "name", "A \"quoted\" <b>");
    rec_set_ids(j, "ids", x, 3);
    rec_set_bool(j, "on", true);
    rec_set_null(j, "gone");
    assert_string_equal(rec_to_json_text(j, a),
                        "{\"name\":\"A \\\"quoted\\\" <b>\",\"ids\":[3,1,2],\"on\":true,\"gone\":null}");
    assert_string_equal(rec_to_json_text(NULL, a), "null");
    arena_free(a);
}

static void csv_quotes_and_neutralises_formulas(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 16);
    csv_cell(&b, "plain", 0);
    csv_cell(&b, "a,b", 0);
    csv_cell(&b, "say \"hi\"", 0);
    csv_cell(&b, "=1+2", 0);
    csv_cell(&b, NULL, 0);
    csv_cell(&b, "-5", 1);
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"'=1+2\",,\"'-5\"\r\n");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_allocations_are_zeroed_aligned_and_survive_growth),
        cmocka_unit_test(buf_grows_and_stays_terminated),
        cmocka_unit_test(rec_replaces_fields_and_compares_id_sets_as_sets),
        cmocka_unit_test(csv_quotes_and_neutralises_formulas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
