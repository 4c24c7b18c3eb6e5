/*
 * views.c: the JSON routes of the governance views (domain/views.h):
 *
 *   GET /api/v1/compliance?place_id=&status=
 *   GET /api/v1/organisations/{id}/compliance
 *   GET /api/v1/accountability/chains?domain=
 *   GET /api/v1/sharing-agreements/expiring?days=&place_id=
 *   GET /api/v1/digest?place_id=
 *
 * Query parameters are checked here only for their form (a whole number, a
 * known parameter); what they mean is checked by the domain. Either way a
 * bad one is a 400 problem naming it under "errors". An empty value is the
 * same as none, as forms send it.
 */
#include "api/api.h"

#include "api/json.h"
#include "base/text.h"
#include "domain/views.h"

#include <string.h>

/*
 * Checks that every query parameter is one of the names allowed (a
 * NULL-terminated list); an unknown one becomes a field error. Returns true
 * when all are known.
 */
static bool known_params(struct req *r, const char *const *allowed)
{
    struct form_field args[16];
    int n = req_query_all(r, args, 16);
    for (int i = 0; i < n; i++) {
        bool known = false;
        for (int k = 0; allowed[k] && !known; k++)
            known = strcmp(args[i].name, allowed[k]) == 0;
        if (!known)
            ctx_field_error(&r->ctx, args[i].name, "'%s' is not a parameter here", args[i].name);
    }
    return r->ctx.nerrors == 0;
}

/*
 * Returns the query parameter name as a positive id, 0 when it is absent
 * or empty, and -1 (with a field error) when it is not a whole number of 1
 * or more.
 */
static long long query_id(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return 0;
    long long v = text_id(s);
    if (v) return v;
    ctx_field_error(&r->ctx, name, "%s must be a whole number, 1 or more", name);
    return -1;
}

/* Returns the query parameter name, or NULL when it is absent or empty. */
static const char *query_text(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    return s && *s ? s : NULL;
}

/* Answers 400 naming the bad parameters when the ctx holds field errors; true when it did. */
static bool bad_params(struct req *r)
{
    if (!r->ctx.nerrors) return false;
    api_problem(r, 400, NULL, "Check the query parameters.");
    return true;
}

/* Returns a new JSON array of the n static strings (the caller owns it). */
static json_t *string_array(const char *const *s, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

/* Returns a new JSON array of the n ids (the caller owns it). */
static json_t *id_array(const long long *ids, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return a;
}

/*
 * Returns a new JSON object for one organisation's compliance (the caller
 * owns it): organisation_id, name, status, missing, expiring, expired.
 */
static json_t *compliance_json(const struct compliance_row *row)
{
    const struct compliance *c = &row->c;
    json_t *o = json_object();
    json_object_set_new(o, "organisation_id", json_integer(c->organisation_id));
    json_object_set_new(o, "name", row->name ? json_string(row->name) : json_null());
    json_object_set_new(o, "status", json_string(compliance_status_name(c->status)));
    json_object_set_new(o, "missing", string_array(c->missing, c->nmissing));
    json_object_set_new(o, "expiring", string_array(c->expiring, c->nexpiring));
    json_object_set_new(o, "expired", string_array(c->expired, c->nexpired));
    return o;
}

/* GET /api/v1/compliance: {"organisations": [...]}, by organisation name. */
static void api_compliance_list(struct req *r)
{
    static const char *const allowed[] = {"place_id", "status", NULL};
    known_params(r, allowed);
    long long place_id = query_id(r, "place_id");
    const char *status = query_text(r, "status");
    if (bad_params(r)) return;
    struct compliance_row *rows;
    int n;
    result res = compliance_overview(&r->ctx, place_id, status, &rows, &n);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, compliance_json(&rows[i]));
    json_t *o = json_object();
    json_object_set_new(o, "organisations", list);
    api_json(r, 200, o);
}

/* GET /api/v1/organisations/{id}/compliance: one organisation's compliance object. */
static void api_compliance_one(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    struct compliance_row row;
    result res = organisation_compliance(&r->ctx, id, &row);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, compliance_json(&row));
}

/*
 * GET /api/v1/accountability/chains: {"domain", "chains": [{"domain",
 * "organisation_id", "organisation_name", "steps": [{"organisation_id",
 * "person_id", "person_name", "person_organisation_id"}], "truncated"}]}.
 */
static void api_chains(struct req *r)
{
    static const char *const allowed[] = {"domain", NULL};
    known_params(r, allowed);
    const char *domain = query_text(r, "domain");
    if (bad_params(r)) return;
    struct chain *chains;
    int n;
    result res = accountability_chains(&r->ctx, domain, &chains, &n);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        const struct chain *ch = &chains[i];
        json_t *steps = json_array();
        for (int k = 0; k < ch->nsteps; k++) {
            const struct chain_step *s = &ch->steps[k];
            json_array_append_new(steps, json_pack("{s:I, s:I, s:s?, s:I}", "organisation_id",
                                                   (json_int_t)s->organisation_id, "person_id",
                                                   (json_int_t)s->person_id, "person_name",
                                                   s->person_name, "person_organisation_id",
                                                   (json_int_t)s->person_organisation_id));
        }
        json_array_append_new(list, json_pack("{s:s, s:I, s:s?, s:o, s:b}", "domain", ch->domain,
                                              "organisation_id", (json_int_t)ch->organisation_id,
                                              "organisation_name", ch->organisation_name, "steps",
                                              steps, "truncated", ch->truncated));
    }
    json_t *o = json_object();
    json_object_set_new(o, "domain", domain ? json_string(domain) : json_null());
    json_object_set_new(o, "chains", list);
    api_json(r, 200, o);
}

/*
 * Returns a new JSON array of agreements due for review (the caller owns
 * it): id, title, lawful_basis, start_date, review_date, days_left,
 * overdue, party_ids.
 */
static json_t *agreements_json(const struct agreement_due *due, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        const struct agreement_due *a = &due[i];
        json_array_append_new(list, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:I, s:b, s:o}", "id",
                                              (json_int_t)a->id, "title", a->title, "lawful_basis",
                                              a->lawful_basis, "start_date", a->start_date,
                                              "review_date", a->review_date, "days_left",
                                              (json_int_t)a->days_left, "overdue", a->days_left < 0,
                                              "party_ids", id_array(a->party_ids, a->nparties)));
    }
    return list;
}

/*
 * Returns the days parameter: 30 when absent or empty, -1 (with a field
 * error) when it is not a whole number (0 allowed; the domain checks the
 * range).
 */
static long long query_days(struct req *r)
{
    const char *s = req_query(r, "days");
    if (!s || !*s) return 30;
    if (strcmp(s, "0") == 0) return 0;
    long long v = text_id(s);
    if (v) return v;
    ctx_field_error(&r->ctx, "days", "days must be a whole number from 0 to %d", DUE_MAX_DAYS);
    return -1;
}

/* GET /api/v1/sharing-agreements/expiring: {"days", "place_id", "items": [...]}. */
static void api_agreements_due(struct req *r)
{
    static const char *const allowed[] = {"days", "place_id", NULL};
    known_params(r, allowed);
    long long days = query_days(r);
    long long place_id = query_id(r, "place_id");
    if (bad_params(r)) return;
    struct agreement_due *due;
    int n;
    result res = sharing_agreements_due(&r->ctx, days, place_id, &due, &n);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "days", json_integer(days));
    json_object_set_new(o, "place_id", place_id ? json_integer(place_id) : json_null());
    json_object_set_new(o, "items", agreements_json(due, n));
    api_json(r, 200, o);
}

/* GET /api/v1/digest: the digest for a place, or the whole system without place_id. */
static void api_digest(struct req *r)
{
    static const char *const allowed[] = {"place_id", NULL};
    known_params(r, allowed);
    long long place_id = query_id(r, "place_id");
    if (bad_params(r)) return;
    struct digest d;
    result res = digest_build(&r->ctx, place_id, false, &d);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *sev = json_object();
    for (int i = 0; digest_severities[i]; i++)
        json_object_set_new(sev, digest_severities[i], json_integer(d.open_by_severity[i]));
    json_t *comp = json_object();
    for (int s = COMPLIANCE_COMPLIANT; s <= COMPLIANCE_NON_COMPLIANT; s++)
        json_object_set_new(comp, compliance_status_name((enum compliance_status)s),
                            json_integer(d.compliance[s]));
    json_t *overdue = json_array();
    for (int i = 0; i < d.noverdue; i++) {
        const struct digest_action *a = &d.overdue[i];
        json_array_append_new(overdue,
                              json_pack("{s:I, s:s?, s:s?, s:I}", "id", (json_int_t)a->id, "title",
                                        a->title, "due_date", a->due_date, "owner_person_id",
                                        (json_int_t)a->owner_person_id));
    }
    json_t *fresh = json_array();
    for (int i = 0; i < d.nconnections; i++) {
        const struct digest_connection *k = &d.connections[i];
        json_array_append_new(fresh,
                              json_pack("{s:I, s:I, s:I, s:s?, s:s?}", "id", (json_int_t)k->id,
                                        "from_organisation_id", (json_int_t)k->from_organisation_id,
                                        "to_organisation_id", (json_int_t)k->to_organisation_id,
                                        "kind", k->kind, "start_date", k->start_date));
    }
    json_t *o = json_object();
    json_object_set_new(o, "place_id", place_id ? json_integer(place_id) : json_null());
    json_object_set_new(o, "concerns", json_pack("{s:o}", "open_by_severity", sev));
    json_object_set_new(o, "compliance", comp);
    json_object_set_new(o, "overdue_actions", overdue);
    json_object_set_new(o, "new_connections", fresh);
    json_object_set_new(o, "expiring_agreements", agreements_json(d.agreements, d.nagreements));
    api_json(r, 200, o);
}

const struct route api_view_routes[] = {
    {"GET", "/api/v1/compliance", api_compliance_list, 0, NULL},
    {"GET", "/api/v1/organisations/{id}/compliance", api_compliance_one, 0, NULL},
    {"GET", "/api/v1/accountability/chains", api_chains, 0, NULL},
    {"GET", "/api/v1/sharing-agreements/expiring", api_agreements_due, 0, NULL},
    {"GET", "/api/v1/digest", api_digest, 0, NULL},
};
const size_t api_view_routes_len = sizeof api_view_routes / sizeof api_view_routes[0];
