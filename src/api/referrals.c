/*
 * referrals.c: the JSON routes for referrals, their transitions and the
 * places a directory service offers. The rules (who sees what, the
 * lifecycle, capacity and the waitlist, the governance gate) are all in
 * domain/referrals*.c; these handlers turn JSON into calls and answers.
 */
#include "api/api.h"

#include "api/json.h"
#include "base/text.h"
#include "domain/referrals.h"

#include <string.h>

/* Is name among the NULL-terminated list? */
static bool one_of(const char *const *list, const char *name)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0) return true;
    return false;
}

/* A text member of o (copied into a), NULL when absent or null; a field error when not text. */
static const char *member_text(struct req *r, json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        ctx_field_error(&r->ctx, name, "The %s must be text", name);
        return NULL;
    }
    return arena_strdup(r->a, json_string_value(v));
}

/* Names every member of o not in allowed as a field error. */
static void only_members(struct req *r, json_t *o, const char *const *allowed, const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (!one_of(allowed, key))
            ctx_field_error(&r->ctx, arena_strdup(r->a, key), "'%s' is not a field of %s", key,
                            what);
    }
}

/* The body as a JSON object (the caller releases it), or NULL having answered. */
static json_t *body_object(struct req *r)
{
    json_t *j = json_body(r);
    if (j && !json_is_object(j)) {
        json_decref(j);
        api_problem(r, 400, "Malformed JSON", "The body must be a JSON object.");
        return NULL;
    }
    return j;
}

/* GET /api/v1/referrals: queue, status, service_id, participant_id, paging. */
static void referrals_list(struct req *r)
{
    static const char *const allowed[] = {"queue", "status",   "service_id", "participant_id",
                                          "page",  "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    struct referral_query q = {0};
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    q.status = api_query_value(r, "status");
    q.service_id = api_query_value(r, "service_id");
    const char *p = api_query_value(r, "participant_id");
    if (p && !(q.participant_id = text_id(p)))
        ctx_field_error(&r->ctx, "participant_id",
                        "participant_id must be a positive whole number");
    if (!referral_queue_parse(api_query_value(r, "queue"), &q.queue))
        ctx_field_error(&r->ctx, "queue", "queue must be outgoing, incoming or all");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the list parameters.");
        return;
    }
    struct store_page pg;
    result res = referral_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, q.page ? q.page : 1, q.per_page ? q.per_page : 20));
}

/* POST /api/v1/referrals: {"participant_id", "service_id", "needs", "notes", "urgency"}; 201. */
static void referrals_create(struct req *r)
{
    json_t *j = body_object(r);
    if (!j) return;
    static const char *const accepted[] = {"participant_id", "service_id", "needs",
                                           "notes",          "urgency",    NULL};
    only_members(r, j, accepted, "a referral");
    struct referral_input in = {0};
    json_t *v = json_object_get(j, "participant_id");
    if (v && !json_is_null(v)) {
        if (json_is_integer(v) && json_integer_value(v) > 0)
            in.participant_id = json_integer_value(v);
        else
            ctx_field_error(&r->ctx, "participant_id",
                            "The participant_id must be a participant's id");
    }
    in.service_id = member_text(r, j, "service_id");
    in.notes = member_text(r, j, "notes");
    in.urgency = member_text(r, j, "urgency");
    v = json_object_get(j, "needs");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v)) {
            ctx_field_error(&r->ctx, "needs", "The needs must be a list of taxonomy term ids");
        } else {
            size_t n = json_array_size(v);
            const char **needs = arena_alloc(r->a, sizeof *needs * (n ? n : 1));
            for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(v, i);
                if (!json_is_string(e))
                    ctx_field_error(&r->ctx, arena_printf(r->a, "needs[%zu]", i),
                                    "Each need must be a taxonomy term id (text)");
                else
                    needs[i] = arena_strdup(r->a, json_string_value(e));
            }
            in.needs = needs;
            in.nneeds = (int)n;
        }
    }
    json_decref(j);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Check the referral's details.");
        return;
    }
    rec *out = NULL;
    result res = referral_create(&r->ctx, &in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/referrals/%lld", rec_int(out, "id", 0)));
    api_json(r, 201, json_from_rec(out));
}

/* GET /api/v1/referrals/{id}: 404 also when the actor may not see it. */
static void referral_get_one(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *out = NULL;
    result res = referral_get(&r->ctx, id, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* POST /api/v1/referrals/{id}/transitions: {"to", "reason", "declined_by"}; 200 with the referral.
 */
static void referral_transition_post(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *j = body_object(r);
    if (!j) return;
    static const char *const accepted[] = {"to", "reason", "declined_by", NULL};
    only_members(r, j, accepted, "a transition");
    const char *to = member_text(r, j, "to");
    const char *reason = member_text(r, j, "reason");
    const char *declined_by = member_text(r, j, "declined_by");
    json_decref(j);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Check the transition's details.");
        return;
    }
    rec *out = NULL;
    result res = referral_transition(&r->ctx, id, to, reason, declined_by, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* GET /api/v1/referrals/{id}/transitions: the events, oldest first. */
static void referral_transitions_get(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    struct store_page pg;
    result res = referral_events(&r->ctx, id, &pg);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, 0, 0));
}

/* A service's capacity as JSON (the caller owns it). */
static json_t *capacity_json(const struct service_capacity *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "service_id", json_string(s->service_id));
    bool limited = s->places >= 0;
    json_object_set_new(o, "places", limited ? json_integer(s->places) : json_null());
    json_object_set_new(o, "period", limited ? json_string(s->period) : json_null());
    json_object_set_new(o, "used", json_integer(s->used));
    json_object_set_new(o, "available",
                        limited ? json_integer(s->places > s->used ? s->places - s->used : 0)
                                : json_null());
    json_object_set_new(o, "waitlisted", json_integer(s->waitlisted));
    return o;
}

/* GET /api/v1/services/{id}/capacity: the places, use now and the waitlist's length. */
static void capacity_get(struct req *r)
{
    struct service_capacity s;
    result res = service_capacity_get(&r->ctx, r->params[0], &s);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, capacity_json(&s));
}

/* PUT /api/v1/services/{id}/capacity: {"places", "period"}; places null removes the limit. */
static void capacity_put(struct req *r)
{
    json_t *j = body_object(r);
    if (!j) return;
    static const char *const accepted[] = {"places", "period", NULL};
    only_members(r, j, accepted, "a service's capacity");
    long long places = -1;
    json_t *v = json_object_get(j, "places");
    if (!v)
        ctx_field_error(&r->ctx, "places", "Give the number of places (null for no limit)");
    else if (json_is_integer(v) && json_integer_value(v) >= 0)
        places = json_integer_value(v);
    else if (!json_is_null(v))
        ctx_field_error(&r->ctx, "places",
                        "The places must be a whole number of 0 or more, or null");
    const char *period = member_text(r, j, "period");
    json_decref(j);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Check the places and the period.");
        return;
    }
    struct service_capacity s;
    result res = service_capacity_set(&r->ctx, r->params[0], places, period, &s);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, capacity_json(&s));
}

const struct route api_referral_routes[] = {
    {"GET", "/api/v1/referrals", referrals_list, 0, NULL},
    {"POST", "/api/v1/referrals", referrals_create, 0, NULL},
    {"GET", "/api/v1/referrals/{id}", referral_get_one, 0, NULL},
    {"POST", "/api/v1/referrals/{id}/transitions", referral_transition_post, 0, NULL},
    {"GET", "/api/v1/referrals/{id}/transitions", referral_transitions_get, 0, NULL},
    {"GET", "/api/v1/services/{id}/capacity", capacity_get, 0, NULL},
    {"PUT", "/api/v1/services/{id}/capacity", capacity_put, 0, NULL},
};

const size_t api_referral_routes_len = sizeof api_referral_routes / sizeof api_referral_routes[0];
