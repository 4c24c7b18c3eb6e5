/*
 * network.c: the network analysis routes (being built; see issue 3).
 */
#include "api/api.h"

const struct route api_network_routes[1] = {{0}};
const size_t api_network_routes_len = 0;
