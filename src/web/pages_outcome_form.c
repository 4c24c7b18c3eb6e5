/* pages_outcome_form.c: placeholder route table while the area is being built. */
#include "web/web.h"

const struct route web_outcome_form_routes[1];
const size_t web_outcome_form_routes_len = 0;
