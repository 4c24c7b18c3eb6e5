/*
 * outcomes.c: the JSON routes of a referral's outcomes (domain/outcomes.h):
 *
 *   POST /api/v1/referrals/{id}/outcomes       {"measure","stage","answers":[ints]}
 *   GET  /api/v1/referrals/{id}/outcomes       the list, with paired "changes"
 *   POST /api/v1/referrals/{id}/goals          {"goal","rating"?}
 *   GET  /api/v1/referrals/{id}/goals
 *   POST /api/v1/goals/{id}/ratings            {"stage","rating"}
 *   POST /api/v1/referrals/{id}/stories        {"body"}
 *   GET  /api/v1/referrals/{id}/stories
 *   POST /api/v1/referrals/{id}/attendance     {"session_date","attended","note"?}
 *   GET  /api/v1/referrals/{id}/attendance
 *   POST /api/v1/referrals/{id}/outcome-links  {"stage","measures":[names]}
 *   POST /api/v1/referrals/{id}/messages       {"recipient","body"}
 *   GET  /api/v1/referrals/{id}/feedback?recipient=referrer|gp
 *
 * A referral the caller may not see answers 404 (the domain decides). Field
 * values of the wrong JSON type are 422 naming the field; the domain's own
 * refusals map as usual (422, 403, 404, 409).
 */
#include "api/api.h"

#include "api/json.h"
#include "domain/outcomes.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON helpers ---- */

/*
 * The body as a JSON object (the caller decrefs it), or NULL when the
 * request has been answered already (415, 400).
 */
static json_t *body_object(struct req *r)
{
    json_t *j = json_body(r);
    if (!j) return NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        api_problem(r, 400, "Malformed JSON", "The body must be a JSON object.");
        return NULL;
    }
    return j;
}

/* Member key of o as a string copied into r->a; NULL (with a field error when present but not a
 * string). */
static const char *member_text(struct req *r, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        ctx_field_error(&r->ctx, key, "'%s' must be text", key);
        return NULL;
    }
    return arena_strdup(r->a, json_string_value(v));
}

/*
 * Member key of o as a whole number in an int's range: dflt when absent or
 * null, dflt with a field error when of another type or out of range.
 */
static int member_int(struct req *r, json_t *o, const char *key, int dflt)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return dflt;
    if (!json_is_integer(v) || json_integer_value(v) < -1000000 ||
        json_integer_value(v) > 1000000) {
        ctx_field_error(&r->ctx, key, "'%s' must be a whole number", key);
        return dflt;
    }
    return (int)json_integer_value(v);
}

/* Answers 422 with the field errors gathered so far; true when there were any. */
static bool type_errors(struct req *r)
{
    if (!r->ctx.nerrors) return false;
    api_problem(r, 422, NULL, "Some fields have values of the wrong type.");
    return true;
}

/* A page of records as {"items": [...], "total"} (the caller owns it). */
static json_t *items_json(const struct store_page *pg)
{
    json_t *items = json_array();
    for (int i = 0; i < pg->nrows; i++)
        json_array_append_new(items, json_from_rec(pg->rows[i]));
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)pg->nrows);
}

/*
 * One outcome record as JSON (the caller owns it): the answers as an
 * array, the SWEMWBS metric score as a number and its licence notice.
 */
static json_t *outcome_json(const rec *row)
{
    json_t *o = json_from_rec(row);
    const char *answers = rec_text(row, "answers");
    json_t *a = answers ? json_loads(answers, 0, NULL) : NULL;
    json_object_set_new(o, "answers", a ? a : json_array());
    const char *metric = rec_text(row, "metric_score");
    json_object_set_new(o, "metric_score", metric ? json_real(strtod(metric, NULL)) : json_null());
    const char *measure = rec_text(row, "measure");
    if (measure && strcmp(measure, "swemwbs") == 0)
        json_object_set_new(o, "notice", json_string(SWEMWBS_NOTICE));
    return o;
}

/* {"baseline","final","change"} of two whole numbers (the caller owns it). */
static json_t *int_change(int b, int f)
{
    return json_pack("{s:i, s:i, s:i}", "baseline", b, "final", f, "change", f - b);
}

/*
 * The paired changes as JSON (the caller owns it): swemwbs {baseline,
 * final, change, meaningful}, ucla3 {baseline, final, change}, ons4 {item:
 * {baseline, final, change}}; each only when recorded at both stages.
 */
static json_t *changes_json(const struct outcome_changes *ch)
{
    json_t *o = json_object();
    if (ch->has_swemwbs)
        json_object_set_new(o, "swemwbs",
                            json_pack("{s:f, s:f, s:f, s:b}", "baseline", ch->swemwbs_baseline,
                                      "final", ch->swemwbs_final, "change", ch->swemwbs_change,
                                      "meaningful", ch->swemwbs_meaningful));
    if (ch->has_ucla)
        json_object_set_new(o, "ucla3", int_change(ch->ucla_baseline, ch->ucla_final));
    if (ch->has_ons4) {
        json_t *ons = json_object();
        for (int i = 0; i < 4; i++)
            json_object_set_new(ons, ons4_items[i],
                                int_change(ch->ons4_baseline[i], ch->ons4_final[i]));
        json_object_set_new(o, "ons4", ons);
    }
    return o;
}

/* ---- outcomes ---- */

/* POST /api/v1/referrals/{id}/outcomes: 201 with the scored outcome. */
static void api_outcome_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    struct outcome_input in = {0};
    in.measure = member_text(r, body, "measure");
    in.stage = member_text(r, body, "stage");
    json_t *answers = json_object_get(body, "answers");
    if (!answers || json_is_null(answers)) {
        ctx_field_error(&r->ctx, "answers", "Give the answers, as a list of whole numbers");
    } else if (!json_is_array(answers) || json_array_size(answers) > 64) {
        ctx_field_error(&r->ctx, "answers", "'answers' must be a list of whole numbers");
    } else {
        size_t n = json_array_size(answers);
        int *vals = arena_alloc(r->a, sizeof *vals * (n ? n : 1));
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(answers, i);
            if (!json_is_integer(v) || json_integer_value(v) < -1000 ||
                json_integer_value(v) > 1000)
                ctx_field_error(&r->ctx, arena_printf(r->a, "answers[%zu]", i),
                                "item %zu must be a whole number", i + 1);
            else
                vals[i] = (int)json_integer_value(v);
        }
        in.answers = vals;
        in.nanswers = (int)n;
    }
    json_decref(body);
    if (type_errors(r)) return;
    rec *out = NULL;
    result res = outcome_record(&r->ctx, id, &in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, outcome_json(out));
}

/* GET /api/v1/referrals/{id}/outcomes: {"items", "total", "changes"}. */
static void api_outcome_list(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    static const char *const allowed[] = {NULL};
    if (!api_only_params(r, allowed)) return;
    struct store_page pg;
    result res = outcome_list(&r->ctx, id, &pg);
    struct outcome_changes ch;
    if (res == RES_OK) res = outcome_changes_get(&r->ctx, id, &ch);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < pg.nrows; i++)
        json_array_append_new(items, outcome_json(pg.rows[i]));
    api_json(r, 200,
             json_pack("{s:o, s:I, s:o}", "items", items, "total", (json_int_t)pg.nrows, "changes",
                       changes_json(&ch)));
}

/* ---- goals ---- */

/* POST /api/v1/referrals/{id}/goals: 201 with the goal. */
static void api_goal_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *goal = member_text(r, body, "goal");
    int rating = member_int(r, body, "rating", -1);
    json_t *given = json_object_get(body, "rating");
    if (json_is_integer(given) && rating < 0)
        ctx_field_error(&r->ctx, "rating", "The rating must be a whole number from 0 to 10");
    json_decref(body);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Check the goal.");
        return;
    }
    rec *out = NULL;
    result res = goal_add(&r->ctx, id, goal, rating, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* POST /api/v1/goals/{id}/ratings: 201 with the goal and its ratings. */
static void api_goal_rate(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *stage = member_text(r, body, "stage");
    int rating = member_int(r, body, "rating", -1);
    if (!json_object_get(body, "rating"))
        ctx_field_error(&r->ctx, "rating", "Give the rating, a whole number from 0 to 10");
    json_decref(body);
    if (type_errors(r)) return;
    rec *out = NULL;
    result res = goal_rate(&r->ctx, id, stage, rating, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* A list of a referral's records: the domain call, as a route's data. */
struct lister {
    result (*fn)(struct ctx *, long long, struct store_page *);
};
static const struct lister goals_lister = {goal_list};
static const struct lister stories_lister = {story_list};
static const struct lister attendance_lister = {attendance_list};

/* GET /api/v1/referrals/{id}/goals, /stories, /attendance: {"items", "total"}. */
static void api_referral_list(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    static const char *const allowed[] = {NULL};
    if (!api_only_params(r, allowed)) return;
    struct store_page pg;
    const struct lister *l = r->route->data;
    result res = l->fn(&r->ctx, id, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, items_json(&pg));
}

/* ---- stories and attendance ---- */

/* POST /api/v1/referrals/{id}/stories: 201 with the story. */
static void api_story_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *text = member_text(r, body, "body");
    json_decref(body);
    if (type_errors(r)) return;
    rec *out = NULL;
    result res = story_add(&r->ctx, id, text, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* POST /api/v1/referrals/{id}/attendance: 201 with the record (a second for a date replaces it). */
static void api_attendance_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *date = member_text(r, body, "session_date");
    const char *note = member_text(r, body, "note");
    json_t *att = json_object_get(body, "attended");
    bool attended = json_is_true(att);
    if (!json_is_boolean(att))
        ctx_field_error(&r->ctx, "attended", "'attended' must be true or false");
    json_decref(body);
    if (type_errors(r)) return;
    rec *out = NULL;
    result res = attendance_record(&r->ctx, id, date, attended, note, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* ---- one-time links ---- */

/*
 * POST /api/v1/referrals/{id}/outcome-links: 201 with id, referral_id,
 * stage, measures (a list), expires_at, token and url (/outcome/<token>).
 * The token is shown this once: only its hash is kept.
 */
static void api_link_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *stage = member_text(r, body, "stage");
    json_t *list = json_object_get(body, "measures");
    buf measures;
    buf_init(&measures, r->a, 32);
    if (json_is_array(list) && json_array_size(list) <= 8) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *m = json_array_get(list, i);
            if (!json_is_string(m) || strchr(json_string_value(m), ',')) {
                ctx_field_error(&r->ctx, "measures", "'measures' must be a list of names");
                break;
            }
            if (i) buf_putc(&measures, ',');
            buf_puts(&measures, json_string_value(m));
        }
    } else {
        ctx_field_error(&r->ctx, "measures",
                        "'measures' must be a list of names: swemwbs, ons4, ucla3");
    }
    json_decref(body);
    if (type_errors(r)) return;
    const char *token = NULL;
    rec *out = NULL;
    result res = outcome_link_create(&r->ctx, id, stage, measures.data, &token, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    json_t *o = json_from_rec(out);
    json_t *names = json_array();
    const char *p = rec_text(out, "measures");
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        json_array_append_new(names, json_stringn(p, len));
        p += len + (comma ? 1 : 0);
    }
    json_object_set_new(o, "measures", names);
    json_object_set_new(o, "token", json_string(token));
    json_object_set_new(o, "url", json_string(arena_printf(r->a, "/outcome/%s", token)));
    resp_header(r, "Cache-Control", "no-store");
    api_json(r, 201, o);
}

/* ---- feedback ---- */

/* POST /api/v1/referrals/{id}/messages: 201 with the message (provider side). */
static void api_message_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = body_object(r);
    if (!body) return;
    const char *recipient = member_text(r, body, "recipient");
    const char *text = member_text(r, body, "body");
    json_decref(body);
    if (type_errors(r)) return;
    rec *out = NULL;
    result res = feedback_message_add(&r->ctx, id, recipient, text, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* A page of records as a JSON array (the caller owns it). */
static json_t *rows_json(const struct store_page *pg)
{
    json_t *a = json_array();
    for (int i = 0; i < pg->nrows; i++)
        json_array_append_new(a, json_from_rec(pg->rows[i]));
    return a;
}

/*
 * GET /api/v1/referrals/{id}/feedback?recipient=referrer|gp (default
 * referrer): referral, recipient, status, attendance {attended, missed},
 * outcomes_shared, and while shared changes, goals and stories (otherwise
 * changes null and the lists empty), and the messages to the recipient.
 */
static void api_feedback(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    static const char *const allowed[] = {"recipient", NULL};
    if (!api_only_params(r, allowed)) return;
    const char *recipient = api_query_value(r, "recipient");
    struct feedback fb;
    result res = feedback_get(&r->ctx, id, recipient ? recipient : "referrer", &fb);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "referral_id", json_integer(id));
    json_object_set_new(o, "recipient", json_string(fb.recipient));
    const char *status = rec_text(fb.referral, "status");
    json_object_set_new(o, "status", status ? json_string(status) : json_null());
    json_object_set_new(o, "referral", json_from_rec(fb.referral));
    json_object_set_new(o, "attendance",
                        json_pack("{s:I, s:I}", "attended", (json_int_t)fb.sessions_attended,
                                  "missed", (json_int_t)fb.sessions_missed));
    json_object_set_new(o, "outcomes_shared", json_boolean(fb.outcomes_shared));
    if (fb.outcomes_shared) {
        struct outcome_changes ch = {
            .has_swemwbs = fb.has_swemwbs,
            .swemwbs_baseline = fb.swemwbs_baseline,
            .swemwbs_final = fb.swemwbs_final,
            .swemwbs_change = fb.swemwbs_change,
            .swemwbs_meaningful = fb.swemwbs_meaningful,
            .has_ucla = fb.has_ucla,
            .ucla_baseline = fb.ucla_baseline,
            .ucla_final = fb.ucla_final,
            .has_ons4 = fb.has_ons4,
        };
        memcpy(ch.ons4_baseline, fb.ons4_baseline, sizeof ch.ons4_baseline);
        memcpy(ch.ons4_final, fb.ons4_final, sizeof ch.ons4_final);
        json_object_set_new(o, "changes", changes_json(&ch));
    } else {
        json_object_set_new(o, "changes", json_null());
    }
    json_object_set_new(o, "goals", rows_json(&fb.goals));
    json_object_set_new(o, "stories", rows_json(&fb.stories));
    json_object_set_new(o, "messages", rows_json(&fb.messages));
    api_json(r, 200, o);
}

#define REF "/api/v1/referrals/{id}"

const struct route api_outcome_routes[] = {
    {"POST", REF "/outcomes", api_outcome_create, 0, NULL},
    {"GET", REF "/outcomes", api_outcome_list, 0, NULL},
    {"POST", REF "/goals", api_goal_create, 0, NULL},
    {"GET", REF "/goals", api_referral_list, 0, &goals_lister},
    {"POST", "/api/v1/goals/{id}/ratings", api_goal_rate, 0, NULL},
    {"POST", REF "/stories", api_story_create, 0, NULL},
    {"GET", REF "/stories", api_referral_list, 0, &stories_lister},
    {"POST", REF "/attendance", api_attendance_create, 0, NULL},
    {"GET", REF "/attendance", api_referral_list, 0, &attendance_lister},
    {"POST", REF "/outcome-links", api_link_create, 0, NULL},
    {"POST", REF "/messages", api_message_create, 0, NULL},
    {"GET", REF "/feedback", api_feedback, 0, NULL},
};
const size_t api_outcome_routes_len = sizeof api_outcome_routes / sizeof api_outcome_routes[0];
