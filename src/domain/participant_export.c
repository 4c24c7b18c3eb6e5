/*
 * participant_export.c: subject access. Everything held about one person
 * as one JSON document: the participant record, their consent history,
 * and each referral with its needs, events, outcomes, goals and ratings,
 * stories, attendance, one-time links (never the token hashes) and the
 * messages back to the referrer and GP.
 *
 * The tables are read directly, so the export shows what is stored, not
 * what another module chooses to present. An organisation exports the
 * referrals it is party to (the referrals module's rule: the referring
 * side, and the receiving side once sent, so not a draft cancelled before
 * it was sent); the operator exports all.
 */
#include "domain/participants.h"

#include "base/buf.h"
#include "domain/audit.h"
#include "domain/participants_internal.h"
#include "domain/referrals.h"

#include <string.h>

/* A column to export and how to read it: 'i' integer, 'r' real, 't' text,
 * 'b' boolean, 'j' JSON stored as text. */
struct jcol {
    const char *name;
    char type;
};

/* The value of column i of the current row as a new JSON value. */
static json_t *col_json(store_stmt *st, int i, char type)
{
    if (store_col_null(st, i)) return json_null();
    switch (type) {
    case 'i':
        return json_integer(store_col_int(st, i));
    case 'r':
        return json_real(store_col_double(st, i));
    case 'b':
        return json_boolean(store_col_int(st, i) != 0);
    case 'j': {
        json_t *j = json_loads(store_col_text(st, i), JSON_DECODE_ANY, NULL);
        return j ? j : json_string(store_col_text(st, i));
    }
    default:
        return json_string(store_col_text(st, i));
    }
}

/*
 * Append to arr one object per row of table matching where (which uses
 * $1, bound to id, and $2, bound to id2 when that is not 0), in order. Identifiers come from this
 * file only. 0 or STORE_E_*.
 */
static int rows_json(struct ctx *c, json_t *arr, const char *table, const struct jcol *cols, int n,
                     const char *where, const char *order, long long id, long long id2)
{
    buf sql;
    buf_init(&sql, c->a, 512);
    buf_puts(&sql, "SELECT ");
    for (int i = 0; i < n; i++)
        buf_printf(&sql, "%s%s", i ? ", " : "", cols[i].name);
    buf_printf(&sql, " FROM %s WHERE %s ORDER BY %s", table, where, order);
    store_stmt *st = store_prepare(c->db, sql.data);
    if (!st) return STORE_E_ERROR;
    if (id2)
        store_bindf(st, "ii", id, id2);
    else
        store_bindf(st, "i", id);
    int s;
    while ((s = store_step(st)) == STORE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < n; i++)
            json_object_set_new(o, cols[i].name, col_json(st, i, cols[i].type));
        json_array_append_new(arr, o);
    }
    store_done(st);
    return s < 0 ? s : 0;
}

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const struct jcol consent_cols[] = {
    {"id", 'i'},          {"scope", 't'},       {"given", 'b'}, {"method", 't'},
    {"recorded_at", 't'}, {"recorded_by", 't'}, {"note", 't'},  {"created_at", 't'},
};

static const struct jcol referral_cols[] = {
    {"id", 'i'},
    {"service_id", 't'},
    {"service_name", 't'},
    {"referring_org_id", 'i'},
    {"receiving_org_id", 'i'},
    {"referrer_user_id", 'i'},
    {"self_referral", 'b'},
    {"status", 't'},
    {"snomed_code", 't'},
    {"episode_id", 'i'},
    {"urgency", 't'},
    {"notes", 't'},
    {"reason", 't'},
    {"declined_by", 't'},
    {"sent_at", 't'},
    {"first_contact_at", 't'},
    {"accepted_at", 't'},
    {"started_at", 't'},
    {"ended_at", 't'},
    {"place_id", 'i'},
    {"neighbourhood_id", 'i'},
    {"imd_quintile", 'i'},
    {"age_band", 't'},
    {"sex", 't'},
    {"ethnicity_group", 't'},
    {"swemwbs_b", 'r'},
    {"swemwbs_f", 'r'},
    {"ucla_b", 'i'},
    {"ucla_f", 'i'},
    {"ons_life_b", 'i'},
    {"ons_worth_b", 'i'},
    {"ons_happy_b", 'i'},
    {"ons_anxious_b", 'i'},
    {"ons_life_f", 'i'},
    {"ons_worth_f", 'i'},
    {"ons_happy_f", 'i'},
    {"ons_anxious_f", 'i'},
    {"created_at", 't'},
    {"updated_at", 't'},
};

static const struct jcol need_cols[] = {{"term_id", 't'}};
static const struct jcol event_cols[] = {{"id", 'i'}, {"from_status", 't'}, {"to_status", 't'},
                                         {"at", 't'}, {"actor", 't'},       {"reason", 't'}};
static const struct jcol outcome_cols[] = {
    {"id", 'i'},        {"measure", 't'},      {"stage", 't'}, {"answers", 'j'},
    {"raw_score", 'r'}, {"metric_score", 'r'}, {"via", 't'},   {"recorded_at", 't'},
};
static const struct jcol goal_cols[] = {{"id", 'i'}, {"goal", 't'}, {"created_at", 't'}};
static const struct jcol rating_cols[] = {{"stage", 't'}, {"rating", 'i'}, {"recorded_at", 't'}};
static const struct jcol story_cols[] = {
    {"id", 'i'}, {"body", 't'}, {"via", 't'}, {"created_at", 't'}};
static const struct jcol attendance_cols[] = {
    {"id", 'i'}, {"session_date", 't'}, {"attended", 'b'}, {"note", 't'}, {"created_at", 't'}};
static const struct jcol message_cols[] = {
    {"id", 'i'}, {"recipient", 't'}, {"body", 't'}, {"author", 't'}, {"created_at", 't'}};
/* Never token_hash: the export must not carry anything that opens a link. */
static const struct jcol link_cols[] = {{"id", 'i'},         {"stage", 't'},   {"measures", 't'},
                                        {"expires_at", 't'}, {"used_at", 't'}, {"created_at", 't'}};

/* Fill one referral object (already holding its columns) with what hangs
 * off it. 0 or STORE_E_*. */
static int referral_parts(struct ctx *c, json_t *ref)
{
    long long rid = json_integer_value(json_object_get(ref, "id"));
    json_t *needs = json_array(), *events = json_array(), *outcomes = json_array(),
           *goals = json_array(), *stories = json_array(), *attendance = json_array(),
           *messages = json_array(), *links = json_array();
    json_object_set_new(ref, "events", events);
    json_object_set_new(ref, "outcomes", outcomes);
    json_object_set_new(ref, "goals", goals);
    json_object_set_new(ref, "stories", stories);
    json_object_set_new(ref, "attendance", attendance);
    json_object_set_new(ref, "feedback_messages", messages);
    json_object_set_new(ref, "outcome_links", links);
    int rc = rows_json(c, needs, "referral_needs", need_cols, N(need_cols), "referral_id = $1",
                       "term_id", rid, 0);
    json_t *terms = json_array();
    for (size_t i = 0; i < json_array_size(needs); i++)
        json_array_append(terms, json_object_get(json_array_get(needs, i), "term_id"));
    json_decref(needs);
    json_object_set_new(ref, "needs", terms);
    if (rc >= 0)
        rc = rows_json(c, events, "referral_events", event_cols, N(event_cols), "referral_id = $1",
                       "id", rid, 0);
    if (rc >= 0)
        rc = rows_json(c, outcomes, "outcomes", outcome_cols, N(outcome_cols), "referral_id = $1",
                       "id", rid, 0);
    if (rc >= 0)
        rc =
            rows_json(c, goals, "goals", goal_cols, N(goal_cols), "referral_id = $1", "id", rid, 0);
    for (size_t i = 0; rc >= 0 && i < json_array_size(goals); i++) {
        json_t *g = json_array_get(goals, i), *ratings = json_array();
        json_object_set_new(g, "ratings", ratings);
        rc = rows_json(c, ratings, "goal_ratings", rating_cols, N(rating_cols), "goal_id = $1",
                       "recorded_at", json_integer_value(json_object_get(g, "id")), 0);
    }
    if (rc >= 0)
        rc = rows_json(c, stories, "stories", story_cols, N(story_cols), "referral_id = $1", "id",
                       rid, 0);
    if (rc >= 0)
        rc = rows_json(c, attendance, "attendance", attendance_cols, N(attendance_cols),
                       "referral_id = $1", "session_date", rid, 0);
    if (rc >= 0)
        rc = rows_json(c, messages, "feedback_messages", message_cols, N(message_cols),
                       "referral_id = $1", "id", rid, 0);
    if (rc >= 0)
        rc = rows_json(c, links, "outcome_links", link_cols, N(link_cols), "referral_id = $1", "id",
                       rid, 0);
    return rc;
}

/* See participants.h. *out is a new JSON object the caller decrefs. */
result participant_export(struct ctx *c, long long id, json_t **out)
{
    *out = NULL;
    result r = participant_access(c, id);
    if (r != RES_OK) return r;
    rec *p = NULL;
    int rc = participant_load(c, id, &p);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "participant read");

    json_t *doc = json_object();
    json_object_set_new(doc, "exported_at", json_string(c->now_iso));
    json_t *pj = json_object();
    for (int i = 0; i < p->n; i++) {
        const struct val *v = &p->f[i].v;
        json_object_set_new(pj, p->f[i].name,
                            v->type == VAL_INT    ? json_integer(v->i)
                            : v->type == VAL_BOOL ? json_boolean(v->i)
                            : v->type == VAL_TEXT ? json_string(v->s)
                                                  : json_null());
    }
    json_object_set_new(doc, "participant", pj);
    json_t *consents = json_array(), *referrals = json_array();
    json_object_set_new(doc, "consents", consents);
    json_object_set_new(doc, "referrals", referrals);
    rc = rows_json(c, consents, "consents", consent_cols, N(consent_cols), "participant_id = $1",
                   "recorded_at, id", id, 0);
    if (rc >= 0) {
        if (c->by_operator)
            rc = rows_json(c, referrals, "referrals", referral_cols, N(referral_cols),
                           "participant_id = $1", "id", id, 0);
        else
            rc = rows_json(c, referrals, "referrals", referral_cols, N(referral_cols),
                           "participant_id = $1 AND (referring_org_id = $2 OR"
                           " (receiving_org_id = $2 AND status <> 'draft' AND"
                           " (status <> 'cancelled' OR sent_at IS NOT NULL)))",
                           "id", id, c->actor->org_id);
    }
    for (size_t i = 0; rc >= 0 && i < json_array_size(referrals); i++) {
        json_t *ref = json_array_get(referrals, i);
        rc = referral_parts(c, ref);
        /* An episode named by a referral this organisation may not see
         * (to another provider) must not reveal that referral. */
        long long rid = json_integer_value(json_object_get(ref, "id"));
        long long ep = json_integer_value(json_object_get(ref, "episode_id"));
        const char *detail = c->detail;
        if (rc >= 0 && !c->by_operator && ep && ep != rid &&
            referral_access(c, ep, NULL, NULL, NULL) != RES_OK)
            json_object_set_new(ref, "episode_id", json_null());
        c->detail = detail;
    }
    if (rc < 0) {
        json_decref(doc);
        return ctx_store_failure(c, rc, "participant export");
    }
    if (audit_read(c, "participants", id, NULL, 0) != RES_OK) {
        json_decref(doc);
        return RES_INTERNAL;
    }
    *out = doc;
    return RES_OK;
}
