/*
 * test_base.c: arena, buf, rec and csv.
 */
#include "unit.h"

#include "base/buf.h"
#include "base/csv.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/rec.h"
#include "base/text.h"

#include <unistd.h>

#include <math.h>
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
        for (int k = 0; k < i % 97 + 1; k++)
            assert_int_equal(p[k], 0);
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
    for (int i = 0; i < 500; i++)
        buf_printf(&b, "%03d,", i);
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
    for (int i = 0; i < 40; i++)
        rec_set_int(r, arena_printf(a, "f%d", i), i);
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
    assert_string_equal(
        rec_to_json_text(j, a),
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

static void utf8_is_checked_strictly(void **state)
{
    (void)state;
    assert_true(text_utf8_valid("plain"));
    assert_true(text_utf8_valid("Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xb5")); /* é € 🎵 */
    assert_false(text_utf8_valid("\xff"));                                     /* never valid */
    assert_false(text_utf8_valid("\xc0\xaf"));                                 /* overlong '/' */
    assert_false(text_utf8_valid("\xed\xa0\x80"));                             /* a surrogate */
    assert_false(text_utf8_valid("\xf4\x90\x80\x80"));                         /* past U+10FFFF */
    assert_false(text_utf8_valid("\xe2\x82"));                                 /* truncated */
    assert_false(text_has_unsafe_chars("Line one\nline two", true));
    assert_true(text_has_unsafe_chars("Line one\nline two", false));
    assert_true(text_has_unsafe_chars("abc\xe2\x80\xae"
                                      "cba",
                                      true));               /* RIGHT-TO-LEFT OVERRIDE */
    assert_true(text_has_unsafe_chars("x\xc2\x85y", true)); /* C1 NEXT LINE */
    assert_int_equal(text_id("12"), 12);
    assert_int_equal(text_id("+5"), 0);
    assert_int_equal(text_id(" 5"), 0);
    assert_int_equal(text_id("5 OR 1=1"), 0);
    assert_int_equal(text_id("0"), 0);
    assert_int_equal(text_id("99999999999999999999"), 0);
}

static void json_writer_always_writes_valid_json(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 16);
    jsonw_string(&b, "q\"\\\n\x01 \xc3\xa9 bad\xff!");
    assert_string_equal(b.data, "\"q\\\"\\\\\\n\\u0001 \xc3\xa9 bad\\ufffd!\"");
    arena_free(a);
}

static void log_lines_cannot_be_forged(void **state)
{
    (void)state;
    char path[] = "/tmp/chis-log-XXXXXX";
    int fd = mkstemp(path);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    log_msg(LOG_INFO, "GET %s", "/healthz\n2026-01-01T00:00:00Z info FORGED");
    dup2(saved, STDERR_FILENO);
    close(saved);
    char text[512] = {0};
    lseek(fd, 0, SEEK_SET);
    assert_true(read(fd, text, sizeof text - 1) > 0);
    close(fd);
    unlink(path);
    assert_non_null(strstr(text, "GET /healthz?2026-01-01T00:00:00Z info FORGED\n"));
    assert_null(strchr(text, '\n') == text + strlen(text) - 1 ? NULL : "two lines");
}

/* A jansson tree written by jsonw_tree reads the same as json_dumps writes it. */
static void json_tree_writer_matches_jansson(void **state)
{
    (void)state;
    const char *text =
        "{\"id\":\"a\\\"b\",\"n\":12,\"neg\":-3,\"r\":1.5,\"whole\":2.0,\"tiny\":1e-07,"
        "\"t\":true,\"f\":false,\"z\":null,\"s\":\"line\\nnext\\t\u00e9\\u0001\","
        /* jansson's own escapes (\\b, \\f, upper-case hex), and runs longer
         * than the eight bytes the writer takes at a time, broken by a
         * quote, a backslash and a two-byte character at odd places. */
        "\"e\":\"\\b\\f\\u001f\\u007f plain run of text \\\"quoted\\\" back\\\\slash caf\u00e9s\","
        "\"a\":[1,[],{},[{\"k\":\"v\"}]],\"o\":{\"x\":{\"y\":[true,null]}}}";
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    char *want = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 16);
    jsonw_tree(&b, v);
    assert_string_equal(b.data, want);
    free(want);
    json_decref(v);
    arena_free(a);
}

/* A cut noted before a member: the text up to it, closed, is the object
 * without that member and the ones after; the whole text is unchanged. */
static void json_tree_cut_gives_the_leading_members(void **state)
{
    (void)state;
    json_t *v = json_loads("{\"id\":\"s1\",\"org\":{\"n\":\"x,}\"},\"lists\":[1,2],"
                           "\"more\":{}}",
                           0, NULL);
    assert_non_null(v);
    arena *a = arena_new(1024);
    buf b;
    buf_init(&b, a, 16);
    buf_puts(&b, "prefix:");
    size_t cut;
    jsonw_tree_cut(&b, v, "lists", &cut);
    const char *whole = b.data + 7;
    buf w;
    buf_init(&w, a, 16);
    jsonw_tree(&w, v);
    assert_string_equal(whole, w.data);
    char head[128];
    snprintf(head, sizeof head, "%.*s}", (int)cut, whole);
    assert_string_equal(head, "{\"id\":\"s1\",\"org\":{\"n\":\"x,}\"}}");
    /* The first member as the cut: an empty object. */
    buf_init(&w, a, 16);
    jsonw_tree_cut(&w, v, "id", &cut);
    assert_int_equal(cut, 1);
    /* No such member: the whole object. */
    buf_init(&w, a, 16);
    jsonw_tree_cut(&w, v, "absent", &cut);
    assert_int_equal(cut, strlen(w.data) - 1);
    json_decref(v);
    arena_free(a);
}

/* One decimal, as printf writes it: over random distances, values whose
 * tenths end in a half (where the product ten times v rounds either way),
 * signs, huge values, and non-finite ones (null). */
static void json_tenths_match_printf(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    char want[64];
    static const double special[] = {0,    -0.0,        0.05,  0.15,    0.25,   0.35,
                                     1.25, 2.675,       9.95,  99.95,   1e15,   1e15 - 0.05,
                                     1e20, 1e14 + 0.25, -3.25, 0.04999, 1e-300, 123456.789};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) {
        buf b;
        buf_init(&b, a, 8);
        jsonw_tenths(&b, special[i]);
        snprintf(want, sizeof want, "%.1f", special[i]);
        assert_string_equal(b.data, want);
    }
    /* Deterministic pseudo-random values over the range of distances in
     * metres, and halves of a tenth written in decimal. */
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = i % 2 ? (double)(x >> 11) / (double)(1ull << 53) * 2e6
                         : (double)(x % 2000000) / 10 + 0.05;
        /* and the doubles either side of each, whose products can round
         * onto the half */
        double near[] = {v, nextafter(v, 0), nextafter(v, INFINITY)};
        for (int k = 0; k < 3; k++) {
            buf b;
            buf_init(&b, a, 8);
            jsonw_tenths(&b, near[k]);
            snprintf(want, sizeof want, "%.1f", near[k]);
            assert_string_equal(b.data, want);
        }
        arena_reset(a);
    }
    buf b;
    buf_init(&b, a, 8);
    jsonw_tenths(&b, NAN);
    buf_putc(&b, ' ');
    jsonw_tenths(&b, -INFINITY);
    assert_string_equal(b.data, "null null");
    arena_free(a);
}

/* A field from libcsv as a string: empty for NULL, cut to fit, header
 * names lower-cased (letters only). */
static void csv_fields_become_strings(void **state)
{
    (void)state;
    char out[8];
    csv_field_text(out, sizeof out, NULL, 5, false);
    assert_string_equal(out, "");
    csv_field_text(out, sizeof out, "PCDS", 4, true);
    assert_string_equal(out, "pcds");
    csv_field_text(out, sizeof out, "LSOA11CD", 8, false);
    assert_string_equal(out, "LSOA11C"); /* cut to 7 and the NUL */
    csv_field_text(out, sizeof out, "Lat_1,x", 5, true);
    assert_string_equal(out, "lat_1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_fields_become_strings),
        cmocka_unit_test(json_tree_cut_gives_the_leading_members),
        cmocka_unit_test(json_tenths_match_printf),
        cmocka_unit_test(arena_allocations_are_zeroed_aligned_and_survive_growth),
        cmocka_unit_test(buf_grows_and_stays_terminated),
        cmocka_unit_test(rec_replaces_fields_and_compares_id_sets_as_sets),
        cmocka_unit_test(csv_quotes_and_neutralises_formulas),
        cmocka_unit_test(utf8_is_checked_strictly),
        cmocka_unit_test(json_writer_always_writes_valid_json),
        cmocka_unit_test(json_tree_writer_matches_jansson),
        cmocka_unit_test(log_lines_cannot_be_forged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
