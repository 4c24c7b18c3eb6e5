/*
 * pages_plans.c: pages for issue 3 (being built).
 */
#include "web/web.h"

const struct route web_plan_routes[1] = {{0}};
const size_t web_plan_routes_len = 0;
