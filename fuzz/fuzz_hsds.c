/*
 * fuzz_hsds.c: the directory's normalisation of HSDS documents is safe on
 * any input. Whatever JSON arrives, dir_service_check() returns without a
 * memory error, and a document it accepts is accepted again when checked
 * again (an import followed by an edit never turns valid into invalid).
 * Tidied text has no control characters and no space at either end; the
 * one-line tidier, times and postcodes normalise to themselves. (Reading
 * markup and entities cannot be idempotent: "&amp;lt;" is "&lt;" once.)
 */
#include "domain/dir_internal.h"
#include "domain/directory.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) abort();
        ready = 1;
    }
    struct ctx c;
    ctx_init(&c, arena_new(4096), NULL, 1795683600);
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    /* The one-string normalisers. */
    const char *t1 = dir_clean_longtext(&c, text);
    size_t n1 = strlen(t1);
    if (n1 && (t1[0] == ' ' || t1[0] == '\n' || t1[n1 - 1] == ' ' || t1[n1 - 1] == '\n')) abort();
    for (const char *p = t1; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f) abort();
    const char *t2 = dir_clean_text(&c, text);
    if (strcmp(dir_clean_text(&c, t2), t2) != 0) abort();
    char hhmmss[9], again[9];
    if (dir_time_normalise(text, hhmmss) == 0 &&
        (dir_time_normalise(hhmmss, again) != 0 || strcmp(hhmmss, again) != 0))
        abort();
    char key[16], disp[16], key2[16], disp2[16];
    bool out, out2;
    if (postcode_normalise(text, key, disp, &out) == 0 &&
        (postcode_normalise(disp, key2, disp2, &out2) != 0 || strcmp(key, key2) != 0 ||
         out != out2))
        abort();

    /* Whole documents. */
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (doc && dir_service_check(&c, doc) == RES_OK) {
        json_t *copy = json_deep_copy(doc);
        ctx_clear_errors(&c);
        if (dir_service_check(&c, copy) != RES_OK) abort();
        json_decref(copy);
    }
    json_decref(doc);
    free(text);
    arena_free(c.a);
    return 0;
}
