/*
 * web.h: the server-rendered HTML pages (NHS.UK frontend), which work with
 * JavaScript off. The transport calls web_error_page() for errors it finds
 * itself (no route, wrong method, body too large, bad CSRF token).
 */
#ifndef CHIS_WEB_H
#define CHIS_WEB_H

#include "http/request.h"

#include <stdbool.h>
#include <stddef.h>

extern const struct route web_routes[];
extern const size_t web_routes_len;

/* Route tables of the feature areas, each in its own file. */
extern const struct route web_network_routes[]; /* web/pages_network.c */
extern const size_t web_network_routes_len;
extern const struct route web_concern_routes[]; /* web/pages_concerns.c */
extern const size_t web_concern_routes_len;
extern const struct route web_view_routes[]; /* web/pages_views.c */
extern const size_t web_view_routes_len;
extern const struct route web_example_routes[]; /* web/pages_examples.c */
extern const size_t web_example_routes_len;
extern const struct route web_plan_routes[]; /* web/pages_plans.c */
extern const size_t web_plan_routes_len;
extern const struct route web_directory_routes[]; /* web/pages_directory.c */
extern const size_t web_directory_routes_len;
extern const struct route web_directory_edit_routes[]; /* web/pages_directory_edit.c */
extern const size_t web_directory_edit_routes_len;
extern const struct route web_referral_routes[]; /* web/pages_referrals.c */
extern const size_t web_referral_routes_len;
extern const struct route web_outcome_form_routes[]; /* web/pages_outcome_form.c */
extern const size_t web_outcome_form_routes_len;
extern const struct route web_report_routes[]; /* web/pages_reports.c */
extern const size_t web_report_routes_len;

/* Serve an embedded asset (GET) if the path names one; true when handled. */
bool web_serve_static(struct req *r);

/* Render a complete error page with this status. */
void web_error_page(struct req *r, int status, const char *title, const char *detail);

#endif
