/*
 * fuzz_route.c: any path against the real route patterns; a captured
 * parameter never holds a '/'.
 */
#include "api/api.h"
#include "http/server.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new(4096);
    char *path = arena_strndup(a, (const char *)data, size);
    if (strlen(path) != size) {
        arena_free(a);
        return 0;
    }
    for (size_t i = 0; i < api_routes_len; i++) {
        const char *params[REQ_MAX_PARAMS];
        int n = 0;
        if (route_match(api_routes[i].pattern, path, a, params, &n))
            for (int k = 0; k < n; k++)
                if (strchr(params[k], '/')) abort();
    }
    arena_free(a);
    return 0;
}
