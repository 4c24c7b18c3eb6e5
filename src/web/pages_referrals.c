/* pages_referrals.c: placeholder route table while the area is being built. */
#include "web/web.h"

const struct route web_referral_routes[1];
const size_t web_referral_routes_len = 0;
