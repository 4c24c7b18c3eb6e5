/*
 * fuzz_jsonr.c: the fast JSON reader against jansson. For any input, a tree
 * from the fast path is one jansson reads too, and the same tree (equal,
 * and written to the same text, so members in the same order and reals to
 * the same digits); jsonr_load() gives exactly what json_loadb() gives;
 * and the first value jsonr_load_first() reads is what jansson reads of
 * the text up to where it said the value ended.
 */
#include "base/jsonr.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Both NULL, or equal and written alike. */
static int same(json_t *a, json_t *b)
{
    if (!a || !b) return !a && !b;
    if (!json_equal(a, b)) return 0;
    char *sa = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY);
    char *sb = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY);
    int ok = sa && sb && strcmp(sa, sb) == 0;
    free(sa);
    free(sb);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_t *ref = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL);
    json_t *fast = jsonr_load_fast(text, size);
    if (fast && !same(fast, ref)) abort();
    json_error_t e, ref_e;
    json_t *got = jsonr_load(text, size, &e);
    if (!same(got, ref)) abort();
    if (!got) { /* jansson's own error */
        json_decref(json_loadb(text, size, JSON_REJECT_DUPLICATES, &ref_e));
        if (strcmp(e.text, ref_e.text) != 0 || e.position != ref_e.position) abort();
    }
    size_t used = 0;
    json_t *first = jsonr_load_first(text, size, &used);
    if (first) {
        if (used > size) abort();
        json_t *prefix = json_loadb(text, used, JSON_REJECT_DUPLICATES, NULL);
        if (!same(first, prefix)) abort();
        json_decref(prefix);
    }
    json_decref(first);
    json_decref(got);
    json_decref(fast);
    json_decref(ref);
    return 0;
}
