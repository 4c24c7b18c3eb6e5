/* fhir.c: placeholder route table while the area is being built. */
#include "api/api.h"

const struct route api_fhir_routes[1];
const size_t api_fhir_routes_len = 0;
