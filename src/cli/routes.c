/*
 * routes.c: the composition of every route table the server answers from.
 * Kept apart from serve.c so the tests can check the whole set.
 */
#include "cli/cli.h"

#include "api/api.h"
#include "http/server.h"
#include "web/web.h"

int chis_route_tables(struct route_table *out, int max)
{
    /* The router takes the first match, so the feature tables, whose fixed
     * words ("/champions/coverage") would otherwise fall to a record's
     * "/champions/{id}", come before the generic record tables. */
    const struct route_table all[] = {
        {api_network_routes, api_network_routes_len},
        {api_concern_routes, api_concern_routes_len},
        {api_view_routes, api_view_routes_len},
        {api_example_routes, api_example_routes_len},
        {api_plan_routes, api_plan_routes_len},
        {api_openreferral_routes, api_openreferral_routes_len},
        {api_directory_routes, api_directory_routes_len},
        {api_participant_routes, api_participant_routes_len},
        {api_referral_routes, api_referral_routes_len},
        {api_outcome_routes, api_outcome_routes_len},
        {api_fhir_routes, api_fhir_routes_len},
        {api_report_routes, api_report_routes_len},
        {api_routes, api_routes_len},
        {web_network_routes, web_network_routes_len},
        {web_concern_routes, web_concern_routes_len},
        {web_view_routes, web_view_routes_len},
        {web_example_routes, web_example_routes_len},
        {web_plan_routes, web_plan_routes_len},
        {web_directory_routes, web_directory_routes_len},
        {web_directory_edit_routes, web_directory_edit_routes_len},
        {web_referral_routes, web_referral_routes_len},
        {web_outcome_form_routes, web_outcome_form_routes_len},
        {web_report_routes, web_report_routes_len},
        {web_routes, web_routes_len},
    };
    int n = (int)(sizeof all / sizeof all[0]);
    if (n > max) return -1;
    for (int i = 0; i < n; i++)
        out[i] = all[i];
    return n;
}
