/*
 * pages_directory.c: the public directory search and service pages (to be written)
 */
#include "web/web.h"

const struct route web_directory_routes[1] = {{0}};
const size_t web_directory_routes_len = 0;
