/*
 * pages_network.c: pages for issue 3 (being built).
 */
#include "web/web.h"

const struct route web_network_routes[1] = {{0}};
const size_t web_network_routes_len = 0;
