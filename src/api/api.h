/*
 * api.h: the JSON API under /api/v1 (and /healthz, /readyz). Errors are RFC
 * 9457 problem+json; the transport calls api_problem() for errors it finds
 * itself.
 */
#ifndef CHIS_API_H
#define CHIS_API_H

#include "http/request.h"

#include <stddef.h>

extern const struct route api_routes[];
extern const size_t api_routes_len;

/* Answer with an application/problem+json body. detail may be NULL. When the
 * ctx holds field errors they are listed under "errors". */
void api_problem(struct req *r, int status, const char *title, const char *detail);

#endif
