/*
 * concerns.c: concerns, escalation and notifications routes (being built; see issue 3).
 */
#include "api/api.h"

const struct route api_concern_routes[1] = {{0}};
const size_t api_concern_routes_len = 0;
