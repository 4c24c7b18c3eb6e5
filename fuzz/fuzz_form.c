/*
 * fuzz_form.c: urlencoded form parsing and percent-decoding must never read
 * out of bounds, and every decoded field must be a NUL-terminated string.
 */
#include "http/request.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.a = arena_new(4096);
    char *copy = arena_strndup(r.a, (const char *)data, size);
    if (req_parse_form(&r, copy, size) == 0) {
        for (int i = 0; i < r.nform; i++) {
            (void)strlen(r.form[i].name);
            (void)strlen(r.form[i].value);
        }
    }
    char *dec = url_decode(r.a, copy, size, true);
    if (dec) (void)url_encode(r.a, dec);
    arena_free(r.a);
    return 0;
}
