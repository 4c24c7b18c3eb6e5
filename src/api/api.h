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

/* Route tables of the feature areas, each in its own file. */
extern const struct route api_network_routes[]; /* api/network.c */
extern const size_t api_network_routes_len;
extern const struct route api_concern_routes[]; /* api/concerns.c */
extern const size_t api_concern_routes_len;
extern const struct route api_view_routes[]; /* api/views.c */
extern const size_t api_view_routes_len;
extern const struct route api_example_routes[]; /* api/examples.c */
extern const size_t api_example_routes_len;
extern const struct route api_plan_routes[]; /* api/plans.c */
extern const size_t api_plan_routes_len;
extern const struct route api_openreferral_routes[]; /* api/openreferral.c */
extern const size_t api_openreferral_routes_len;
extern const struct route api_directory_routes[]; /* api/directory.c */
extern const size_t api_directory_routes_len;
extern const struct route api_participant_routes[]; /* api/participants.c */
extern const size_t api_participant_routes_len;
extern const struct route api_referral_routes[]; /* api/referrals.c */
extern const size_t api_referral_routes_len;
extern const struct route api_outcome_routes[]; /* api/outcomes.c */
extern const size_t api_outcome_routes_len;
extern const struct route api_fhir_routes[]; /* api/fhir.c: /fhir/... */
extern const size_t api_fhir_routes_len;
extern const struct route api_report_routes[]; /* api/reports.c */
extern const size_t api_report_routes_len;

/* Answer with an application/problem+json body. detail may be NULL. When the
 * ctx holds field errors they are listed under "errors". */
void api_problem(struct req *r, int status, const char *title, const char *detail);

#endif
