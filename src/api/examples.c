/*
 * examples.c: the library of illustrative examples (being built; see issue 3).
 */
#include "api/api.h"

const struct route api_example_routes[1] = {{0}};
const size_t api_example_routes_len = 0;
