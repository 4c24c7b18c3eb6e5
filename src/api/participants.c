/* participants.c: placeholder route table while the area is being built. */
#include "api/api.h"

const struct route api_participant_routes[1];
const size_t api_participant_routes_len = 0;
