/*
 * concerns.c: the JSON routes for concerns, their events and transitions,
 * the signed-in user's notifications, and the concern deadline settings.
 * The rules (routing, visibility, deadlines, the state machine) are all in
 * domain/concerns.c; these handlers turn JSON into calls and answers.
 */
#include "api/api.h"

#include "api/json.h"
#include "base/text.h"
#include "domain/concerns.h"
#include "domain/notifications.h"

#include <string.h>

/* GET /api/v1/concerns: status, severity, organisation_id, queue=mine|raised|all, paging. */
static void concerns_list(struct req *r)
{
    static const char *const allowed[] = {
        "status", "severity", "organisation_id", "queue", "page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    struct concern_query q = {0};
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    q.status = api_query_value(r, "status");
    q.severity = api_query_value(r, "severity");
    const char *org = api_query_value(r, "organisation_id");
    if (org && !(q.organisation_id = text_id(org)))
        ctx_field_error(&r->ctx, "organisation_id",
                        "organisation_id must be a positive whole number");
    if (!concern_queue_parse(api_query_value(r, "queue"), &q.queue))
        ctx_field_error(&r->ctx, "queue", "queue must be mine, raised or all");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the list parameters.");
        return;
    }
    struct store_page pg;
    result res = concern_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, q.page, q.per_page ? q.per_page : 20));
}

/* POST /api/v1/concerns: 201 with the routed concern and its Location. */
static void concerns_create(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return;
    rec *out = NULL;
    result res = concern_raise(&r->ctx, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/concerns/%lld", rec_int(out, "id", 0)));
    api_json(r, 201, json_from_rec(out));
}

/* GET /api/v1/concerns/{id}: 404 also when the actor may not see it. */
static void concern_get_one(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *out = NULL;
    result res = concern_get(&r->ctx, id, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* GET /api/v1/concerns/{id}/events: {"items": [...], "total"}, oldest first. */
static void concern_events_list(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    struct store_page pg;
    result res = concern_events(&r->ctx, id, &pg);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, 0, 0));
}

/* The actions as route data. */
static const enum concern_action act_acknowledge = CONCERN_ACKNOWLEDGE,
                                 act_resolve = CONCERN_RESOLVE, act_close = CONCERN_CLOSE,
                                 act_note = CONCERN_NOTE;

/*
 * POST /api/v1/concerns/{id}/{acknowledge,resolve,close,notes}. The body is
 * {"outcome"} for resolve and close, {"note"} for notes and (optionally, or
 * no body at all) acknowledge. 200 with the concern (201 for a note).
 */
static void concern_transition(struct req *r)
{
    enum concern_action action = *(const enum concern_action *)r->route->data;
    const char *field = action == CONCERN_RESOLVE || action == CONCERN_CLOSE ? "outcome" : "note";
    long long id = api_path_id(r, 0);
    if (!id) return;
    const char *text = NULL;
    if (r->body_len > 0 || action != CONCERN_ACKNOWLEDGE) {
        rec *in = json_body_rec(r);
        if (!in) return;
        for (int i = 0; i < in->n; i++)
            if (strcmp(in->f[i].name, field) != 0)
                ctx_field_error(&r->ctx, in->f[i].name, "'%s' is not accepted here: send %s",
                                in->f[i].name, field);
        const struct val *v = rec_get(in, field);
        if (v && v->type != VAL_NULL && v->type != VAL_TEXT)
            ctx_field_error(&r->ctx, field, "The %s must be text", field);
        if (r->ctx.nerrors) {
            api_problem(r, 422, NULL, "Check the fields sent.");
            return;
        }
        text = rec_text(in, field);
    }
    rec *out = NULL;
    result res = concern_act(&r->ctx, id, action, text, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, action == CONCERN_NOTE ? 201 : 200, json_from_rec(out));
}

/* GET /api/v1/notifications: the signed-in user's, newest first; unread=true for unread only. */
static void notifications_get(struct req *r)
{
    static const char *const allowed[] = {"unread", "page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    long long page, per;
    if (api_paging(r, &page, &per) != 0) return;
    const char *u = api_query_value(r, "unread");
    if (u && strcmp(u, "true") != 0 && strcmp(u, "false") != 0) {
        ctx_field_error(&r->ctx, "unread", "unread must be true or false");
        api_problem(r, 400, NULL, "Check the list parameters.");
        return;
    }
    struct store_page pg;
    long long unread = 0;
    result res = notifications_list(&r->ctx, u && strcmp(u, "true") == 0, page, per, &pg, &unread);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *o = api_page_json(&pg, page, per ? per : 20);
    json_object_set_new(o, "unread", json_integer(unread));
    api_json(r, 200, o);
}

/* POST /api/v1/notifications/{id}/read: 200 with the notification (404 if not yours). */
static void notification_read(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *out = NULL;
    result res = notification_mark_read(&r->ctx, id, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* The lengths as {"urgent", "high", "medium", "low"}; the caller owns the object. */
static json_t *deadlines_json(const struct concern_deadlines *d)
{
    json_t *o = json_object();
    for (int i = CONCERN_SEVERITIES - 1; i >= 0; i--)
        json_object_set_new(o, concern_severities[i], json_string(d->length[i]));
    return o;
}

/* GET /api/v1/settings/concern-deadlines: {"urgent": "4h", "high": "1wd", ...}. */
static void deadlines_get(struct req *r)
{
    struct concern_deadlines d;
    result res = concern_deadlines_get(&r->ctx, &d);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, deadlines_json(&d));
}

/* PUT /api/v1/settings/concern-deadlines: any of urgent, high, medium, low; 200 with all four. */
static void deadlines_put(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return;
    struct concern_deadlines d;
    result res = concern_deadlines_set(&r->ctx, in, &d);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, deadlines_json(&d));
}

const struct route api_concern_routes[] = {
    {"GET", "/api/v1/concerns", concerns_list, 0, NULL},
    {"POST", "/api/v1/concerns", concerns_create, 0, NULL},
    {"GET", "/api/v1/concerns/{id}", concern_get_one, 0, NULL},
    {"GET", "/api/v1/concerns/{id}/events", concern_events_list, 0, NULL},
    {"POST", "/api/v1/concerns/{id}/acknowledge", concern_transition, 0, &act_acknowledge},
    {"POST", "/api/v1/concerns/{id}/resolve", concern_transition, 0, &act_resolve},
    {"POST", "/api/v1/concerns/{id}/close", concern_transition, 0, &act_close},
    {"POST", "/api/v1/concerns/{id}/notes", concern_transition, 0, &act_note},
    {"GET", "/api/v1/notifications", notifications_get, 0, NULL},
    {"POST", "/api/v1/notifications/{id}/read", notification_read, 0, NULL},
    {"GET", "/api/v1/settings/concern-deadlines", deadlines_get, 0, NULL},
    {"PUT", "/api/v1/settings/concern-deadlines", deadlines_put, 0, NULL},
};

const size_t api_concern_routes_len = sizeof api_concern_routes / sizeof api_concern_routes[0];
