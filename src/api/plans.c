/*
 * plans.c: computed leadership and strategy views (being built; see issue 3).
 */
#include "api/api.h"

const struct route api_plan_routes[1] = {{0}};
const size_t api_plan_routes_len = 0;
