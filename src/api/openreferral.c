/*
 * openreferral.c: the public Open Referral UK 3.0 API under /openreferral (to be written)
 */
#include "api/api.h"

const struct route api_openreferral_routes[1] = {{0}};
const size_t api_openreferral_routes_len = 0;
