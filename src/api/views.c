/*
 * views.c: computed governance and strategy views (being built; see issue 3).
 */
#include "api/api.h"

const struct route api_view_routes[1] = {{0}};
const size_t api_view_routes_len = 0;
