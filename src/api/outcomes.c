/* outcomes.c: placeholder route table while the area is being built. */
#include "api/api.h"

const struct route api_outcome_routes[1];
const size_t api_outcome_routes_len = 0;
