/*
 * directory.c: the internal directory API under /api/v1/directory (to be written)
 */
#include "api/api.h"

const struct route api_directory_routes[1] = {{0}};
const size_t api_directory_routes_len = 0;
