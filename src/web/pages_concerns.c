/*
 * pages_concerns.c: pages for issue 3 (being built).
 */
#include "web/web.h"

const struct route web_concern_routes[1] = {{0}};
const size_t web_concern_routes_len = 0;
