/*
 * outcomes.c: outcome measures recorded against a referral (see
 * outcomes.h): the stage rules, recording a questionnaire with the
 * referral's score columns kept in step, the list of a referral's
 * outcomes, and the paired changes. Goals, stories and attendance are in
 * outcome_records.c, one-time links in outcome_links.c, feedback in
 * feedback.c.
 *
 * An outcome record carries its scores as the measure gave them. Records
 * hold no real numbers, so the SWEMWBS metric score travels as text with
 * the two decimals of the published table ("19.25"); the API writes it as
 * a JSON number.
 */
#include "domain/outcomes_internal.h"

#include "base/buf.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/participants.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const outcome_stages[] = {"baseline", "midpoint", "final", NULL};

/* See outcomes_internal.h. */
int oc_stage_index(const char *stage)
{
    for (int i = 0; stage && outcome_stages[i]; i++)
        if (strcmp(stage, outcome_stages[i]) == 0) return i;
    return -1;
}

/* See outcomes_internal.h. The rule is a table: which statuses allow each stage. */
result oc_stage_allowed(struct ctx *c, enum referral_status status, const char *stage)
{
    static const struct {
        const char *stage;
        unsigned statuses; /* 1 << enum referral_status */
        const char *when;
    } rules[] = {
        {"baseline",
         1u << REFERRAL_ACCEPTED | 1u << REFERRAL_STARTED | 1u << REFERRAL_COMPLETED |
             1u << REFERRAL_DROPPED_OUT,
         "once the referral has been accepted"},
        {"midpoint", 1u << REFERRAL_STARTED, "while the person is taking part (started)"},
        {"final", 1u << REFERRAL_STARTED | 1u << REFERRAL_COMPLETED | 1u << REFERRAL_DROPPED_OUT,
         "once the person has started"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (strcmp(rules[i].stage, stage) != 0) continue;
        if (rules[i].statuses & (1u << status)) return RES_OK;
        return ctx_fail(c, RES_CONFLICT,
                        "The referral is %s: a %s measure can be recorded only %s.",
                        referral_status_name(status), stage, rules[i].when);
    }
    return ctx_fail(c, RES_INVALID, "Unknown stage");
}

/* See outcomes_internal.h. */
result oc_access(struct ctx *c, long long referral_id, unsigned *sides,
                 enum referral_status *status, long long *participant_id)
{
    unsigned s = 0;
    enum referral_status st = REFERRAL_DRAFT;
    long long pid = 0;
    result res = referral_access(c, referral_id, &s, &st, &pid);
    if (res != RES_OK) return res;
    if (sides) *sides = s;
    if (status) *status = st;
    if (participant_id) *participant_id = pid;
    return RES_OK;
}

/* See outcomes_internal.h. */
result oc_writable(struct ctx *c, long long participant_id)
{
    long long anonymised = 0;
    int rc = store_query_int(c->db, &anonymised,
                             "SELECT anonymised_at IS NOT NULL FROM participants WHERE id = $1",
                             "i", participant_id);
    if (rc < 0) return ctx_store_failure(c, rc, "participant anonymised");
    if (rc == 1 && anonymised)
        return ctx_fail(c, RES_CONFLICT, "This person's record has been anonymised");
    return RES_OK;
}

/* See outcomes_internal.h. */
bool oc_shared_with(struct ctx *c, unsigned sides, long long participant_id)
{
    return (sides & SIDE_PROVIDER) || consent_given(c, participant_id, "outcomes_to_referrer");
}

/* See outcomes_internal.h. */
result oc_readable(struct ctx *c, unsigned sides, long long participant_id)
{
    if (oc_shared_with(c, sides, participant_id)) return RES_OK;
    return ctx_fail(c, RES_FORBIDDEN,
                    "The person has withdrawn their consent to share their outcomes with the"
                    " referrer.");
}

/* See outcomes_internal.h. */
const char *oc_col_text(struct ctx *c, store_stmt *st, int col)
{
    return store_col_null(st, col) ? NULL : arena_strdup(c->a, store_col_text(st, col));
}

/* See outcomes_internal.h. */
void oc_check_text(struct ctx *c, const char *field, const char *s, size_t max, bool required)
{
    if (!s || !*s) {
        if (required) ctx_field_error(c, field, "Enter the %s", field);
        return;
    }
    if (!text_utf8_valid(s) || text_has_unsafe_chars(s, true))
        ctx_field_error(c, field, "The %s has characters that cannot be kept", field);
    else if (strlen(s) > max)
        ctx_field_error(c, field, "The %s must be %zu characters or fewer", field, max);
}

/* See outcomes_internal.h. */
result oc_rollback(struct ctx *c, result res)
{
    store_rollback(c->db);
    return res;
}

/* See outcomes_internal.h. */
int oc_read_rows(struct ctx *c, store_stmt *st, oc_row_fn *row, struct store_page *out)
{
    int cap = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW)
        store_page_push(out, &cap, row(c, st), c->a);
    store_done(st);
    out->total = out->nrows;
    return rc < 0 ? rc : STORE_DONE;
}

/* See outcomes_internal.h. */
int oc_read_one(struct ctx *c, const char *sql, long long id, oc_row_fn *row, rec **out)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int rc = store_step(st);
    if (rc == STORE_ROW) *out = row(c, st);
    store_done(st);
    return rc == STORE_ROW ? 1 : rc;
}

/* See outcomes_internal.h. */
result oc_list(struct ctx *c, long long referral_id, enum oc_gate gate, const char *sql,
               oc_row_fn *row, const char *table, const char *what, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    unsigned sides;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, NULL, &participant_id);
    if (res == RES_OK && gate != OC_OPEN) res = oc_readable(c, sides, participant_id);
    if (res == RES_OK && gate == OC_WORDS && participant_access(c, participant_id) != RES_OK)
        res = ctx_fail(c, RES_FORBIDDEN,
                       "The person's own words are kept from those who may not"
                       " see the person.");
    if (res != RES_OK) return res;
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, what);
    store_bind_int(st, 1, referral_id);
    int rc = oc_read_rows(c, st, row, out);
    if (rc < 0) return ctx_store_failure(c, rc, what);
    return audit_read(c, table, 0, out->rows, out->nrows);
}

/* The SQL keeping the referral's score columns in step, by measure and stage (0 b, 1 f). */
static const char *const score_sql[3][2] = {
    [MEASURE_SWEMWBS] = {"UPDATE referrals SET swemwbs_b = $2 WHERE id = $1",
                         "UPDATE referrals SET swemwbs_f = $2 WHERE id = $1"},
    [MEASURE_ONS4] = {"UPDATE referrals SET ons_life_b = $2, ons_worth_b = $3, ons_happy_b = $4,"
                      " ons_anxious_b = $5 WHERE id = $1",
                      "UPDATE referrals SET ons_life_f = $2, ons_worth_f = $3, ons_happy_f = $4,"
                      " ons_anxious_f = $5 WHERE id = $1"},
    [MEASURE_UCLA3] = {"UPDATE referrals SET ucla_b = $2 WHERE id = $1",
                       "UPDATE referrals SET ucla_f = $2 WHERE id = $1"},
};

/* Sets the referral's score columns for a baseline or final; nothing for a midpoint. */
static result keep_scores_in_step(struct ctx *c, long long referral_id,
                                  const struct measure_score *s, const char *stage)
{
    int which = strcmp(stage, "baseline") == 0 ? 0 : strcmp(stage, "final") == 0 ? 1 : -1;
    if (which < 0) return RES_OK;
    const char *sql = score_sql[s->measure][which];
    long long rc;
    if (s->measure == MEASURE_SWEMWBS)
        rc = store_run(c->db, sql, "id", referral_id, s->metric);
    else if (s->measure == MEASURE_UCLA3)
        rc = store_run(c->db, sql, "ii", referral_id, (long long)s->raw);
    else
        rc = store_run(c->db, sql, "iiiii", referral_id, (long long)s->items[0],
                       (long long)s->items[1], (long long)s->items[2], (long long)s->items[3]);
    return rc < 0 ? ctx_store_failure(c, rc, "referral scores") : RES_OK;
}

/* The answers as JSON text, e.g. "[3,4,2]", in c->a. */
static const char *answers_text(struct ctx *c, const struct measure_score *s)
{
    buf b;
    buf_init(&b, c->a, 64);
    buf_puts(&b, "[");
    for (int i = 0; i < s->nitems; i++)
        buf_printf(&b, "%s%d", i ? "," : "", s->items[i]);
    buf_puts(&b, "]");
    return b.data;
}

/*
 * Returns the record of an outcome row (columns as OUTCOME_COLS below), with
 * the ONS4 items and their bands unpacked from the answers. In c->a.
 */
#define OUTCOME_COLS                                                                               \
    "id, referral_id, measure, stage, answers, raw_score, metric_score, via, recorded_at"

/* The current row of an OUTCOME_COLS select as a record in c->a, with the
 * ONS4 items and bands spread out and the metric score as text. */
static rec *outcome_row(struct ctx *c, store_stmt *st)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", store_col_int(st, 0));
    rec_set_int(r, "referral_id", store_col_int(st, 1));
    const char *measure = oc_col_text(c, st, 2);
    rec_set_text(r, "measure", measure);
    rec_set_text(r, "stage", oc_col_text(c, st, 3));
    const char *answers = oc_col_text(c, st, 4);
    rec_set_text(r, "answers", answers);
    if (store_col_null(st, 5))
        rec_set_null(r, "raw_score");
    else
        rec_set_int(r, "raw_score", (long long)store_col_double(st, 5));
    if (store_col_null(st, 6))
        rec_set_null(r, "metric_score");
    else
        rec_set_text(r, "metric_score", arena_printf(c->a, "%.2f", store_col_double(st, 6)));
    if (measure && strcmp(measure, "ons4") == 0) {
        json_t *j = json_loads(answers ? answers : "[]", 0, NULL);
        for (int i = 0; i < 4; i++) {
            json_t *v = json_array_get(j, (size_t)i);
            int x = json_is_integer(v) ? (int)json_integer_value(v) : -1;
            const char *band = ons4_band(i, x);
            if (band) {
                rec_set_int(r, ons4_items[i], x);
                rec_set_text(r, arena_printf(c->a, "%s_band", ons4_items[i]), band);
            } else {
                rec_set_null(r, ons4_items[i]);
                rec_set_null(r, arena_printf(c->a, "%s_band", ons4_items[i]));
            }
        }
        json_decref(j);
    }
    rec_set_text(r, "via", oc_col_text(c, st, 7));
    rec_set_text(r, "recorded_at", oc_col_text(c, st, 8));
    return r;
}

/* Reads outcome id into *out. */
static result outcome_read(struct ctx *c, long long id, rec **out)
{
    int rc =
        oc_read_one(c, "SELECT " OUTCOME_COLS " FROM outcomes WHERE id = $1", id, outcome_row, out);
    if (rc < 0) return ctx_store_failure(c, rc, "outcome read");
    return rc == 1 ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "There is no such outcome");
}

/* See outcomes_internal.h. */
result oc_write(struct ctx *c, long long referral_id, long long participant_id,
                const struct measure_score *s, const char *stage, const char *via, rec **out)
{
    const char *measure = measure_name(s->measure);
    long long dup = 0;
    int rc = store_query_int(c->db, &dup,
                             "SELECT id FROM outcomes WHERE referral_id = $1 AND measure = $2"
                             " AND stage = $3",
                             "itt", referral_id, measure, stage);
    if (rc < 0) return ctx_store_failure(c, rc, "outcome duplicate");
    if (rc == 1)
        return ctx_fail(c, RES_CONFLICT, "The %s %s has already been recorded for this referral.",
                        stage, measure);
    long long user = c->actor ? c->actor->user_id : 0;
    long long id = 0;
    const char *sql =
        "INSERT INTO outcomes (referral_id, participant_id, measure, stage, answers, raw_score,"
        " metric_score, via, recorded_at, recorded_by_user_id, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $9) RETURNING id";
    if (s->measure == MEASURE_ONS4)
        rc = store_query_int(c->db, &id,
                             "INSERT INTO outcomes (referral_id, participant_id, measure, stage,"
                             " answers, via, recorded_at, recorded_by_user_id, created_at,"
                             " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $7)"
                             " RETURNING id",
                             "iitttttI", referral_id, participant_id, measure, stage,
                             answers_text(c, s), via, c->now_iso, user);
    else if (s->measure == MEASURE_SWEMWBS)
        rc = store_query_int(c->db, &id, sql, "iitttddttI", referral_id, participant_id, measure,
                             stage, answers_text(c, s), (double)s->raw, s->metric, via, c->now_iso,
                             user);
    else
        rc = store_query_int(c->db, &id,
                             "INSERT INTO outcomes (referral_id, participant_id, measure, stage,"
                             " answers, raw_score, via, recorded_at, recorded_by_user_id,"
                             " created_at, updated_at)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $8) RETURNING id",
                             "iitttdttI", referral_id, participant_id, measure, stage,
                             answers_text(c, s), (double)s->raw, via, c->now_iso, user);
    if (rc == STORE_E_CONSTRAINT)
        return ctx_fail(c, RES_CONFLICT, "The %s %s has already been recorded for this referral.",
                        stage, measure);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "outcome insert");
    result res = keep_scores_in_step(c, referral_id, s, stage);
    if (res != RES_OK) return res;
    rec *row = NULL;
    res = outcome_read(c, id, &row);
    if (res != RES_OK) return res;
    res = audit_record(c, "create", "outcomes", id, NULL, row);
    if (res != RES_OK) return res;
    if (out) *out = row;
    return RES_OK;
}

/*
 * Checks measure and stage of in and scores its answers; field errors
 * measure, stage, answers, answers[i]. RES_OK with *m and *s filled.
 */
static result check_input(struct ctx *c, const struct outcome_input *in, struct measure_score *s)
{
    enum measure m = MEASURE_SWEMWBS;
    bool known = in->measure && measure_parse(in->measure, &m);
    if (!known) ctx_field_error(c, "measure", "The measure must be swemwbs, ons4 or ucla3");
    if (oc_stage_index(in->stage) < 0)
        ctx_field_error(c, "stage", "The stage must be baseline, midpoint or final");
    if (!in->answers && in->nanswers) ctx_field_error(c, "answers", "Give the answers");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the questionnaire.");
    return measure_score(c, m, in->answers, in->nanswers, s);
}

/* See outcomes.h. */
result outcome_record(struct ctx *c, long long referral_id, const struct outcome_input *in,
                      rec **out)
{
    unsigned sides;
    enum referral_status status;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, &status, &participant_id);
    if (res == RES_OK) res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    struct measure_score s;
    res = check_input(c, in, &s);
    if (res != RES_OK) return res;
    res = oc_stage_allowed(c, status, in->stage);
    if (res != RES_OK) return res;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "outcome begin");
    res = oc_write(c, referral_id, participant_id, &s, in->stage, "practitioner", out);
    if (res == RES_OK) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "outcome commit");
    return RES_OK;
}

/* See outcomes.h. Ordered baseline, midpoint, final, then measure; health
 * data about a person, so gated by consent and audited. */
result outcome_list(struct ctx *c, long long referral_id, struct store_page *out)
{
    return oc_list(c, referral_id, OC_OUTCOMES,
                   "SELECT " OUTCOME_COLS " FROM outcomes WHERE referral_id = $1 ORDER BY"
                   " CASE stage WHEN 'baseline' THEN 0 WHEN 'midpoint' THEN 1 ELSE 2 END,"
                   " measure, id",
                   outcome_row, "outcomes", "outcome list", out);
}

/* See outcomes_internal.h. */
result oc_changes(struct ctx *c, long long referral_id, struct outcome_changes *out)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_prepare(
        c->db, "SELECT swemwbs_b, swemwbs_f, ucla_b, ucla_f, ons_life_b, ons_worth_b,"
               " ons_happy_b, ons_anxious_b, ons_life_f, ons_worth_f, ons_happy_f, ons_anxious_f"
               " FROM referrals WHERE id = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "outcome changes");
    store_bind_int(st, 1, referral_id);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        if (!store_col_null(st, 0) && !store_col_null(st, 1)) {
            out->has_swemwbs = true;
            out->swemwbs_baseline = store_col_double(st, 0);
            out->swemwbs_final = store_col_double(st, 1);
            /* The table's scores have two decimals: round the difference to
             * them so that 3.00 is not 2.9999999. */
            long long hundredths =
                (long long)((out->swemwbs_final - out->swemwbs_baseline) * 100.0 +
                            (out->swemwbs_final >= out->swemwbs_baseline ? 0.5 : -0.5));
            out->swemwbs_change = (double)hundredths / 100.0;
            out->swemwbs_meaningful = hundredths >= (long long)(SWEMWBS_MEANINGFUL_CHANGE * 100);
        }
        if (!store_col_null(st, 2) && !store_col_null(st, 3)) {
            out->has_ucla = true;
            out->ucla_baseline = (int)store_col_int(st, 2);
            out->ucla_final = (int)store_col_int(st, 3);
        }
        bool all = true;
        for (int i = 4; i < 12; i++)
            all = all && !store_col_null(st, i);
        if (all) {
            out->has_ons4 = true;
            for (int i = 0; i < 4; i++) {
                out->ons4_baseline[i] = (int)store_col_int(st, 4 + i);
                out->ons4_final[i] = (int)store_col_int(st, 8 + i);
            }
        }
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "outcome changes");
    return rc == STORE_ROW ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "There is no such referral");
}

/* See outcomes.h. */
result outcome_changes_get(struct ctx *c, long long referral_id, struct outcome_changes *out)
{
    memset(out, 0, sizeof *out);
    unsigned sides;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, NULL, &participant_id);
    if (res == RES_OK) res = oc_readable(c, sides, participant_id);
    if (res != RES_OK) return res;
    return oc_changes(c, referral_id, out);
}
