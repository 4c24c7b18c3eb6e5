/*
 * test_jsonr.c: the fast JSON reader gives exactly what json_loadb() with
 * JSON_REJECT_DUPLICATES gives: the same tree (types, values, key order) or,
 * through jsonr_load(), the same error; and its fast path alone never
 * returns a tree jansson would not.
 */
#include "unit.h"

#include "base/jsonr.h"

#include <stdio.h>

/* What an input must do. FAST: jansson reads it and the fast path must read
 * it itself, to the same tree. REJECT: jansson refuses it, so the fast path
 * declines and jsonr_load() gives jansson's error. EITHER: the fast path may
 * decline, but any tree it gives is jansson's, and jsonr_load() matches
 * jansson whatever jansson says. */
enum want { FAST, REJECT, EITHER };

/* Are a and b the same tree, node by node: same types, integers, reals to
 * the bit (-0.0 is not 0.0), string bytes, and members in the same order? */
static bool same_tree(const json_t *a, const json_t *b)
{
    if (json_typeof(a) != json_typeof(b)) return false;
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b)) return false;
        void *ia = json_object_iter((json_t *)a), *ib = json_object_iter((json_t *)b);
        for (; ia && ib; ia = json_object_iter_next((json_t *)a, ia),
                         ib = json_object_iter_next((json_t *)b, ib)) {
            size_t la = json_object_iter_key_len(ia), lb = json_object_iter_key_len(ib);
            if (la != lb || memcmp(json_object_iter_key(ia), json_object_iter_key(ib), la) != 0)
                return false;
            if (!same_tree(json_object_iter_value(ia), json_object_iter_value(ib))) return false;
        }
        return !ia && !ib;
    }
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_tree(json_array_get(a, i), json_array_get(b, i))) return false;
        return true;
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_INTEGER:
        return json_integer_value(a) == json_integer_value(b);
    case JSON_REAL: {
        double x = json_real_value(a), y = json_real_value(b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    default:
        return true;
    }
}

/* Fail the test, naming the input (cut short, control bytes shown). */
static void fail_on(const char *text, size_t len, const char *why)
{
    char shown[120];
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < sizeof shown; i++) {
        unsigned char ch = (unsigned char)text[i];
        o += (size_t)snprintf(shown + o, sizeof shown - o,
                              ch >= 0x20 && ch < 0x7f ? "%c" : "\\x%02X", ch);
    }
    fail_msg("%s, for input (%zu bytes) '%s%s'", why, len, shown,
             o + 5 >= sizeof shown ? "..." : "");
}

/* The trees are jansson-equal, write the same compact text (which shows key
 * order) and match node by node. */
static void assert_same_tree(const json_t *got, const json_t *ref, const char *text, size_t len,
                             const char *who)
{
    char why[80];
    if (!json_equal((json_t *)got, (json_t *)ref)) {
        snprintf(why, sizeof why, "%s: json_equal() says the trees differ", who);
        fail_on(text, len, why);
    }
    char *g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
    char *r = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(g);
    assert_non_null(r);
    if (strcmp(g, r) != 0) {
        snprintf(why, sizeof why, "%s: writes differently from jansson's tree", who);
        fail_on(text, len, why);
    }
    free(g);
    free(r);
    if (!same_tree(got, ref)) {
        snprintf(why, sizeof why, "%s: types or values differ from jansson's", who);
        fail_on(text, len, why);
    }
}

/* The whole contract for one input of len bytes, read from a malloc'd copy
 * of exactly len bytes (no NUL after it), so that a read past the end shows
 * under AddressSanitizer (make check). */
static void check_len(const char *src, size_t len, enum want want)
{
    char *text = malloc(len ? len : 1);
    assert_non_null(text);
    memcpy(text, src, len);

    json_error_t ref_err, got_err;
    json_t *ref = json_loadb(text, len, JSON_REJECT_DUPLICATES, &ref_err);
    json_t *fast = jsonr_load_fast(text, len);
    json_t *got = jsonr_load(text, len, &got_err);

    if (want == FAST && !ref) fail_on(text, len, "jansson rejects an input meant to be valid");
    if (want == REJECT && ref) fail_on(text, len, "jansson accepts an input meant to be invalid");
    if (want == FAST && !fast) fail_on(text, len, "the fast path declined");
    if (fast && !ref) fail_on(text, len, "the fast path gave a tree where jansson rejects");
    if (fast) assert_same_tree(fast, ref, text, len, "jsonr_load_fast");
    if (!got != !ref) fail_on(text, len, "jsonr_load() and jansson disagree on accepting");
    if (got) {
        assert_same_tree(got, ref, text, len, "jsonr_load");
    } else {
        assert_string_equal(got_err.text, ref_err.text);
        assert_string_equal(got_err.source, ref_err.source);
        assert_int_equal(got_err.line, ref_err.line);
        assert_int_equal(got_err.column, ref_err.column);
        assert_int_equal(got_err.position, ref_err.position);
    }
    json_decref(fast);
    json_decref(got);
    json_decref(ref);
    free(text);
}

static void check(const char *text, enum want want)
{
    check_len(text, strlen(text), want);
}

static void check_all(const char *const *texts, size_t n, enum want want)
{
    for (size_t i = 0; i < n; i++)
        check(texts[i], want);
}

#define CHECK_ALL(texts, want) check_all(texts, sizeof texts / sizeof *texts, want)

/* Objects and arrays, nested or empty, with white space anywhere it may go
 * and the three literals: the fast path reads them all to jansson's tree. */
static void fast_path_reads_objects_arrays_and_literals_as_jansson(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{}",
        "[]",
        "{\"a\":1,\"b\":\"two\",\"c\":[1,2,3]}",
        "[1,\"x\",true,false,null,{},[]]",
        "{\"z\":1,\"a\":2,\"m\":3}", /* key order is kept, not sorted */
        "{\"a\":{\"b\":{\"c\":[[[{\"d\":[]}]]]}}}",
        "[[],[[]],{},[{}],{\"\":{}}]",
        " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n, \t\r\n"
        "\"b\" \t\r\n: \t\r\nnull \t\r\n} \t\r\n",
        "[ ]",
        "{ }",
        "[true,false,null]",
        "{\"t\":true,\"f\":false,\"n\":null}",
        "{\"\":\"empty key\"}",
        "{\"\":1,\"a\":2}",
        "[\"\"]",
        "[\"\\u0001 \\u001f \\u007f\"]",
        "[\"a\177b\"]", /* DEL is not a control character to jansson */
    };
    CHECK_ALL(texts, FAST);
}

/* Every simple escape, and \u escapes to one, two, three and (as a
 * surrogate pair) four UTF-8 bytes, in either case of hex digit, decode as
 * jansson decodes them. */
static void fast_path_decodes_every_escape_as_jansson(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[\"\\\"\"]",
        "[\"\\\\\"]",
        "[\"\\/\"]",
        "[\"\\b\\f\\n\\r\\t\"]",
        "[\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"]",
        "[\"\\u0041\\u007a\"]",        /* ASCII */
        "[\"\\u00e9\\u00E9\\u07ff\"]", /* two bytes */
        "[\"\\u20ac\\u20AC\\uffff\"]", /* three bytes */
        "[\"\\ud83c\\udfb5\"]",        /* U+1F3B5 from a pair */
        "[\"\\uD83C\\uDFB5\\uDBFF\\uDFFF\"]",
        "[\"\\ud800\\udc00\"]", /* U+10000 */
        "[\"plain then \\n escape then plain\"]",
        "[\"\\n\",\"plain\",\"\\t\"]", /* the scratch buffer, then the text, then it again */
        "[\"caf\\u00e9 \\u20ac5 \\ud83c\\udfb5 done\"]",
    };
    CHECK_ALL(texts, FAST);
}

/* Raw multi-byte UTF-8 in values and keys, and keys with escapes: copied as
 * jansson copies them. */
static void fast_path_keeps_utf8_and_escaped_keys(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[\"é\"]",
        "[\"€\"]",
        "[\"🎵\"]",
        "[\"é€🎵 mixed with ASCII\"]",
        "{\"café\":\"naïve\"}",
        "{\"€\":1,\"🎵\":2,\"é\":3}",
        "{\"k\\ney\":1}",
        "{\"\\u00e9\":\"\\u20ac\"}",
        "{\"a\\tb\":{\"c\\nd\":\"e\\rf\"}}",
        "[\"\xf4\x8f\xbf\xbf\"]", /* U+10FFFF, the last code point */
        "[\"\xef\xbf\xbe\"]",     /* U+FFFE is a code point jansson takes */
    };
    CHECK_ALL(texts, FAST);
}

/* A key decoded into the scratch buffer keeps its bytes when its value is a
 * string decoded into the same buffer (and longer, so that it grows it). */
static void escaped_key_survives_its_escaped_value(void **state)
{
    (void)state;
    check("{\"k\\u00e9y\\n\":\"v\\u20acal\\tue\"}", FAST);
    /* A value long enough to move the scratch buffer. */
    char text[4096];
    int n = snprintf(text, sizeof text, "{\"key\\t1\":\"");
    for (int i = 0; i < 500; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "\\n\\u00e9");
    n += snprintf(text + n, sizeof text - (size_t)n, "\",\"key\\t2\":{\"in\\ner\":\"x\\ty\"}}");
    check(text, FAST);

    json_t *v = jsonr_load_fast(text, (size_t)n);
    assert_non_null(v);
    assert_non_null(json_object_get(v, "key\t1"));
    assert_int_equal(json_string_length(json_object_get(v, "key\t1")), 500 * 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "key\t2"), "in\ner")),
                        "x\ty");
    json_decref(v);
}

/* Integers stay integers and reals stay reals, with jansson's values. */
static void fast_path_reads_numbers_with_jansson_types(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[0]",
        "[-0]",
        "[7,-7,42]",
        "[123456789012345678]", /* 18 digits */
        "[-123456789012345678]",
        "[999999999999999999]",
        "[1.5]",
        "[-0.0]",
        "[0.0]",
        "[1e10]",
        "[1E-3]",
        "[2.5e+3]",
        "[-2.5E-3]",
        "[0e0]",
        "[1.0]",
        "[0.1,0.2,0.30000000000000004]",
        "[1e-400]", /* underflow is no error to jansson */
        "{\"i\":1,\"r\":1.0,\"e\":1e0}",
    };
    CHECK_ALL(texts, FAST);

    /* The types are the ones jansson gives, checked directly as well. */
    json_t *v = jsonr_load_fast("[1,1.0,1e0,-0]", 14);
    assert_non_null(v);
    assert_true(json_is_integer(json_array_get(v, 0)));
    assert_true(json_is_real(json_array_get(v, 1)));
    assert_true(json_is_real(json_array_get(v, 2)));
    assert_true(json_is_integer(json_array_get(v, 3)));
    json_decref(v);
}

/* The reader stays within len: text after it is never seen, and a
 * multi-byte character, a \u escape or a literal cut by the end is refused
 * (each read from a copy of exactly len bytes). */
static void reads_only_within_len(void **state)
{
    (void)state;
    check_len("[\"é\"]", strlen("[\"é\"]"), FAST);
    check_len("[\"🎵\"]", strlen("[\"🎵\"]"), FAST);
    check_len("{\"a\":\"x€\"}", strlen("{\"a\":\"x€\"}"), FAST);
    check_len("[1]garbage", 3, FAST);
    check_len("{\"a\":\"b\"}}}}", 9, FAST);
    /* Cut short: the end falls inside a value. */
    static const char *const cut[] = {
        "[\"é\"]", "[\"🎵\"]",  "[\"\\u00e9\"]", "[\"\\ud83c\\udfb5\"]", "[true]", "[null]",
        "[false]", "[1.5e10]", "{\"a\":1}",     "[\"a\\n\"]",
    };
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++)
        for (size_t len = 0; len < strlen(cut[i]); len++)
            check_len(cut[i], len, REJECT);
    /* A string at the very end of the buffer with a multi-byte character
     * as its last byte(s): never terminated, so refused. */
    check_len("[\"é", strlen("[\"é"), REJECT);
    check_len("[\"\xe2\x82", 4, REJECT);     /* € cut after two of its bytes */
    check_len("[\"\xf0\x9f\x8e", 5, REJECT); /* 🎵 cut after three */
}

/* Syntax jansson refuses is refused, with jansson's error. */
static void syntax_errors_are_refused_with_janssons_error(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"a\":1,\"a\":2}", /* duplicate key */
        "{\"a\":1,\"b\":{},\"a\":2}",
        "{\"\\u0061\":1,\"a\":2}",
        "{\"a\":1,}", /* trailing commas */
        "[1,]",
        "[,1]",
        "{,}",
        "{\"a\" 1}", /* missing colon */
        "{\"a\"}",
        "{\"a\":}",
        "{a:1}", /* unquoted key */
        "{1:1}",
        "[1] x", /* trailing garbage */
        "[1][2]",
        "{}{}",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "['a']", /* single quotes */
        "{'a':1}",
        "[1 /* c */]", /* comments */
        "// c\n[1]",
        "[1] # c",
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "[nan]",
        "[tru]",
        "[truex]",
        "[True]",
        "[nul]",
        "[",
        "{",
        "]",
        "[}",
        "{]",
        "\xef\xbb\xbf[]", /* a byte order mark */
    };
    CHECK_ALL(texts, REJECT);
    check_len("[1]\0", 4, REJECT);
    check_len("[\"a\0\"]", 6, REJECT);
}

/* Strings jansson refuses: \u0000, lone or mismatched surrogates, bad
 * escapes, raw control characters and malformed UTF-8. */
static void bad_strings_are_refused_with_janssons_error(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[\"\\u0000\"]",
        "{\"\\u0000\":1}",
        "{\"a\\u0000b\":1}",
        "[\"\\ud83c\"]", /* lone high surrogate */
        "[\"\\ud83cx\"]",
        "[\"\\ud83c\\n\"]",
        "[\"\\udfb5\"]",        /* lone low surrogate */
        "[\"\\udfb5\\ud83c\"]", /* the pair the wrong way round */
        "[\"\\ud83c\\u0041\"]", /* high surrogate then a non-low \u */
        "[\"\\ud83c\\ud83c\"]",
        "[\"\\ud83c\\uzzzz\"]",
        "[\"\\u12\"]", /* invalid hex */
        "[\"\\u12g4\"]",
        "[\"\\uGGGG\"]",
        "[\"\\u\"]",
        "[\"\\x41\"]", /* not an escape */
        "[\"\\a\"]",
        "[\"\\U0041\"]",
        "[\"\\",
        "[\"a\nb\"]", /* raw control characters */
        "[\"a\tb\"]",
        "[\"a\001b\"]",
        "[\"a\037b\"]",
        "{\"a\nb\":1}",
        "[\"\xc0\xaf\"]", /* overlong */
        "[\"\xc1\xbf\"]",
        "[\"\xe0\x80\xaf\"]",
        "[\"\xf0\x80\x80\xaf\"]",
        "[\"\xed\xa0\x80\"]", /* an encoded surrogate */
        "[\"\xed\xbf\xbf\"]",
        "[\"\xf5\x80\x80\x80\"]", /* F5 lead byte */
        "[\"\xf4\x90\x80\x80\"]", /* past U+10FFFF */
        "[\"\xff\"]",
        "[\"\x80\"]", /* a stray continuation byte */
        "[\"\xc3\"]", /* truncated before the quote */
        "[\"\xe2\x82\"]",
        "[\"\xc3(\"]",
        "{\"\xc3\":1}",
        "[\"unterminated]",
    };
    CHECK_ALL(texts, REJECT);
    check_len("[\"\xc3", 3, REJECT); /* truncated at the end of the buffer */
    check_len("[\"\xf0\x9f", 4, REJECT);
    check_len("[\"a\0b\"]", 7, REJECT); /* a raw NUL in a string */
}

/* Numbers outside JSON's grammar are refused, with jansson's error. */
static void bad_numbers_are_refused_with_janssons_error(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[01]",   "[-01]",  "[00]",  "[-]",   "[1.]",  "[1.e3]",    "[1e]",
        "[1e+]",  "[1E-]",  "[.5]",  "[+1]",  "[-.5]", "[1..2]",    "[1.5.3]",
        "[0x10]", "[1e5x]", "[--1]", "[- 1]", "[1-2]", "{\"a\":-}", "{\"a\":01}",
    };
    CHECK_ALL(texts, REJECT);
}

/* Only one object or array is a document: no bare scalar, no empty input. */
static void top_level_must_be_an_object_or_array(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "1", "-1", "1.5", "\"x\"", "true", "false", "null", "", " ", " \t\r\n ",
    };
    CHECK_ALL(texts, REJECT);
}

/* Numbers the fast path may hand to jansson: the answer is still jansson's,
 * whether a tree or an error. */
static void large_numbers_give_janssons_answer(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "[9223372036854775807]",  /* 19 digits that fit */
        "[-9223372036854775808]", /* the least json_int_t */
        "[9223372036854775808]",  /* one past: jansson refuses */
        "[-9223372036854775809]",
        "[99999999999999999999999]",
        "[1000000000000000000]",
        "[1e999]", /* a real that overflows: refused */
        "[-1e999]",
        "[1.7976931348623157e308]",
        "[1.7976931348623159e308]",
        "[4.9e-324]",
        "[2.2250738585072011e-308]",
        "[3.14159265358979323846264338327950288419716939937510582097494459230781640628]",
        "[0.000000000000000000000000000000000000000000000000000000000000000000000000001]",
        "[123456789012345678901234567890123456789012345678901234567890123456789.5]",
        "[1e00000000000000000000000000000000000000000000000000000000000000000000001]",
        "{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"c\":1e308}",
    };
    CHECK_ALL(texts, EITHER);
}

/* Arrays nested 2048 deep (JSON_PARSER_MAX_DEPTH) are read, to jansson's
 * tree; 2049 deep are refused with jansson's error. */
static void nesting_to_janssons_maximum_depth(void **state)
{
    (void)state;
    enum { MAX = JSON_PARSER_MAX_DEPTH };
    char *text = malloc(2 * (MAX + 1) + 64);
    assert_non_null(text);
    size_t n = 0;
    for (int i = 0; i < MAX; i++)
        text[n++] = '[';
    for (int i = 0; i < MAX; i++)
        text[n++] = ']';
    check_len(text, n, FAST);

    n = 0;
    for (int i = 0; i < MAX + 1; i++)
        text[n++] = '[';
    for (int i = 0; i < MAX + 1; i++)
        text[n++] = ']';
    check_len(text, n, REJECT);

    /* Objects count as arrays do. */
    n = 0;
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = '[';
    memcpy(text + n, "{\"a\":{}}", 8);
    n += 8;
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = ']';
    check_len(text, n, REJECT);
    free(text);
}

/* jansson counts every value towards the depth, scalars too: a scalar inside
 * the 2048th container is at depth 2049 and refused. */
static void a_scalar_inside_the_deepest_container_is_refused(void **state)
{
    (void)state;
    enum { MAX = JSON_PARSER_MAX_DEPTH };
    static const char *const inner[] = {"1", "\"x\"", "true", "null", "1.5"};
    char *text = malloc(2 * MAX + 64);
    assert_non_null(text);
    for (size_t k = 0; k < sizeof inner / sizeof *inner; k++) {
        size_t n = 0;
        for (int i = 0; i < MAX; i++)
            text[n++] = '[';
        memcpy(text + n, inner[k], strlen(inner[k]));
        n += strlen(inner[k]);
        for (int i = 0; i < MAX; i++)
            text[n++] = ']';
        check_len(text, n, REJECT);
    }
    /* As a member of an object at depth 2048. */
    size_t n = 0;
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = '[';
    memcpy(text + n, "{\"a\":1}", 7);
    n += 7;
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = ']';
    check_len(text, n, REJECT);
    /* One level up, the same scalar is read. */
    n = 0;
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = '[';
    text[n++] = '1';
    for (int i = 0; i < MAX - 1; i++)
        text[n++] = ']';
    check_len(text, n, FAST);
    free(text);
}

/* The first value of a text of many, read where it stands: it ends where
 * its closing bracket is, whatever follows (the importer reads an array's
 * items and concatenated documents so); a text that does not start with an
 * object or array, or whose first value is broken, is declined. */
static void the_first_of_many_values_ends_at_its_bracket(void **state)
{
    (void)state;
    static const char text[] = "  {\"a\": [1, {\"b\": \"}]\"}]},\n{\"c\": 2}";
    size_t used = 0;
    json_t *first = jsonr_load_first(text, sizeof text - 1, &used);
    assert_non_null(first);
    assert_int_equal(used, strlen("  {\"a\": [1, {\"b\": \"}]\"}]}"));
    json_t *ref = json_loads("{\"a\": [1, {\"b\": \"}]\"}]}", 0, NULL);
    assert_true(json_equal(first, ref));
    json_decref(ref);
    json_decref(first);
    size_t rest = used + 2; /* past ",\n" */
    json_t *second = jsonr_load_first(text + rest, sizeof text - 1 - rest, &used);
    assert_non_null(second);
    assert_int_equal(json_integer_value(json_object_get(second, "c")), 2);
    assert_int_equal(used, sizeof text - 1 - rest);
    json_decref(second);
    assert_null(jsonr_load_first("12, {}", 6, &used));
    assert_null(jsonr_load_first("{\"a\": tru}, {}", 15, &used));
    assert_null(jsonr_load_first("{\"a\": 1", 8, &used));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_path_reads_objects_arrays_and_literals_as_jansson),
        cmocka_unit_test(fast_path_decodes_every_escape_as_jansson),
        cmocka_unit_test(fast_path_keeps_utf8_and_escaped_keys),
        cmocka_unit_test(escaped_key_survives_its_escaped_value),
        cmocka_unit_test(fast_path_reads_numbers_with_jansson_types),
        cmocka_unit_test(reads_only_within_len),
        cmocka_unit_test(syntax_errors_are_refused_with_janssons_error),
        cmocka_unit_test(bad_strings_are_refused_with_janssons_error),
        cmocka_unit_test(bad_numbers_are_refused_with_janssons_error),
        cmocka_unit_test(top_level_must_be_an_object_or_array),
        cmocka_unit_test(large_numbers_give_janssons_answer),
        cmocka_unit_test(nesting_to_janssons_maximum_depth),
        cmocka_unit_test(a_scalar_inside_the_deepest_container_is_refused),
        cmocka_unit_test(the_first_of_many_values_ends_at_its_bracket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
