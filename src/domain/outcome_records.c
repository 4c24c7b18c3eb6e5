/*
 * outcome_records.c: what else a referral records besides questionnaires
 * (see outcomes.h): personal goals in the person's words with their own
 * 0-10 ratings at each stage, stories in their own words, and attendance
 * at sessions (the provider's record).
 *
 * Goals and stories may be written by either side of the referral while it
 * is open to them; attendance by the provider side only, once the referral
 * has been accepted. Every write is one transaction with its audit entry.
 */
#include "domain/outcomes_internal.h"

#include "base/text.h"
#include "domain/audit.h"
#include "domain/participants.h"

#include <string.h>

/* ---- goals ---- */

/* A goal with its rating at each stage, one row per goal. */
#define GOAL_SELECT                                                                                \
    "SELECT g.id, g.referral_id, g.goal, g.created_at, b.rating, m.rating, f.rating FROM goals g"  \
    " LEFT JOIN goal_ratings b ON b.goal_id = g.id AND b.stage = 'baseline'"                       \
    " LEFT JOIN goal_ratings m ON m.goal_id = g.id AND m.stage = 'midpoint'"                       \
    " LEFT JOIN goal_ratings f ON f.goal_id = g.id AND f.stage = 'final'"

/* The record of a goal row (GOAL_SELECT): id, referral_id, goal, baseline,
 * midpoint, final (null when not rated), created_at. */
static rec *goal_row(struct ctx *c, store_stmt *st)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", store_col_int(st, 0));
    rec_set_int(r, "referral_id", store_col_int(st, 1));
    rec_set_text(r, "goal", oc_col_text(c, st, 2));
    for (int i = 0; outcome_stages[i]; i++) {
        if (store_col_null(st, 4 + i))
            rec_set_null(r, outcome_stages[i]);
        else
            rec_set_int(r, outcome_stages[i], store_col_int(st, 4 + i));
    }
    rec_set_text(r, "created_at", oc_col_text(c, st, 3));
    return r;
}

/* Reads goal id with its ratings into *out (fields as goal_row's), and its referral. */
static result goal_read(struct ctx *c, long long id, long long *referral_id, rec **out)
{
    int rc = oc_read_one(c, GOAL_SELECT " WHERE g.id = $1", id, goal_row, out);
    if (rc < 0) return ctx_store_failure(c, rc, "goal read");
    if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no such goal");
    *referral_id = rec_int(*out, "referral_id", 0);
    return RES_OK;
}

/*
 * The audit image of a goal row: everything but the goal itself, which is
 * in the person's words and must go when erasure clears goals.goal (the
 * audit log is not erased). In c->a.
 */
static rec *goal_image(struct ctx *c, const rec *row)
{
    return rec_without(c->a, row, "goal");
}

/* Adds a field error unless rating is a whole number 0-10. */
static void check_rating(struct ctx *c, int rating)
{
    if (rating < 0 || rating > 10)
        ctx_field_error(c, "rating", "The rating must be a whole number from 0 to 10");
}

/* Writes a rating of goal at stage; RES_CONFLICT when that stage is rated already. */
static result rating_write(struct ctx *c, long long goal_id, const char *stage, int rating)
{
    long long rc = store_run(c->db,
                             "INSERT INTO goal_ratings (goal_id, stage, rating, recorded_at)"
                             " VALUES ($1, $2, $3, $4) ON CONFLICT (goal_id, stage) DO NOTHING",
                             "itit", goal_id, stage, (long long)rating, c->now_iso);
    if (rc < 0) return ctx_store_failure(c, rc, "goal rating");
    if (rc == 0) return ctx_fail(c, RES_CONFLICT, "This goal already has a %s rating.", stage);
    return RES_OK;
}

/* See outcomes.h. Either side of the referral; rating < 0 means none yet. */
result goal_add(struct ctx *c, long long referral_id, const char *goal, int rating, rec **out)
{
    long long participant_id;
    result res = oc_access(c, referral_id, NULL, NULL, &participant_id);
    if (res == RES_OK) res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    oc_check_text(c, "goal", goal, 2000, true);
    if (rating >= 0) check_rating(c, rating);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the goal.");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "goal begin");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO goals (referral_id, goal, created_at, updated_at)"
                             " VALUES ($1, $2, $3, $3) RETURNING id",
                             "itt", referral_id, goal, c->now_iso);
    if (rc != 1) return oc_rollback(c, ctx_store_failure(c, rc < 0 ? rc : -1, "goal insert"));
    if (rating >= 0) res = rating_write(c, id, "baseline", rating);
    rec *row = NULL;
    long long rid;
    if (res == RES_OK) res = goal_read(c, id, &rid, &row);
    if (res == RES_OK) res = audit_record(c, "create", "goals", id, NULL, goal_image(c, row));
    if (res == RES_OK) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "goal commit");
    if (out) *out = row;
    return RES_OK;
}

/* See outcomes.h. */
result goal_rate(struct ctx *c, long long goal_id, const char *stage, int rating, rec **out)
{
    rec *before = NULL;
    long long referral_id = 0, participant_id;
    result res = goal_read(c, goal_id, &referral_id, &before);
    if (res != RES_OK) return res;
    /* A goal of a referral the actor may not see does not exist for them. */
    res = oc_access(c, referral_id, NULL, NULL, &participant_id);
    if (res != RES_OK) return ctx_fail(c, RES_NOT_FOUND, "There is no such goal");
    res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    if (oc_stage_index(stage) < 0)
        ctx_field_error(c, "stage", "The stage must be baseline, midpoint or final");
    check_rating(c, rating);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the rating.");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "rating begin");
    res = rating_write(c, goal_id, stage, rating);
    rec *after = NULL;
    if (res == RES_OK) res = goal_read(c, goal_id, &referral_id, &after);
    if (res == RES_OK)
        res = audit_record(c, "update", "goals", goal_id, goal_image(c, before),
                           goal_image(c, after));
    if (res == RES_OK) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "rating commit");
    if (out) *out = after;
    return RES_OK;
}

/* See outcomes.h. Oldest first; the referrer side only while consent allows,
 * and only those who see the person (the goals are in their words). */
result goal_list(struct ctx *c, long long referral_id, struct store_page *out)
{
    return oc_list(c, referral_id, OC_WORDS, GOAL_SELECT " WHERE g.referral_id = $1 ORDER BY g.id",
                   goal_row, "goals", "goal list", out);
}

/* ---- stories ---- */

#define STORY_COLS "id, referral_id, body, via, created_at"

/* The record of a story row (columns STORY_COLS). */
static rec *story_row(struct ctx *c, store_stmt *st)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", store_col_int(st, 0));
    rec_set_int(r, "referral_id", store_col_int(st, 1));
    rec_set_text(r, "body", oc_col_text(c, st, 2));
    rec_set_text(r, "via", oc_col_text(c, st, 3));
    rec_set_text(r, "created_at", oc_col_text(c, st, 4));
    return r;
}

/* See outcomes_internal.h. */
result oc_story_write(struct ctx *c, long long referral_id, const char *body, const char *via,
                      rec **out)
{
    oc_check_text(c, "body", body, OUTCOME_TEXT_MAX, true);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the story.");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO stories (referral_id, body, via, recorded_by_user_id,"
                             " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)"
                             " RETURNING id",
                             "ittIt", referral_id, body, via, c->actor ? c->actor->user_id : 0LL,
                             c->now_iso);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : -1, "story insert");
    rec *row = NULL;
    if (oc_read_one(c, "SELECT " STORY_COLS " FROM stories WHERE id = $1", id, story_row, &row) !=
        1)
        return ctx_store_failure(c, STORE_E_ERROR, "story read");
    /* The audit entry names the story, not its words: they are the person's. */
    rec *image = rec_new(c->a);
    rec_set_int(image, "referral_id", referral_id);
    rec_set_text(image, "via", via);
    result res = audit_record(c, "create", "stories", id, NULL, image);
    if (res != RES_OK) return res;
    if (out) *out = row;
    return RES_OK;
}

/* See outcomes.h. */
result story_add(struct ctx *c, long long referral_id, const char *body, rec **out)
{
    long long participant_id;
    result res = oc_access(c, referral_id, NULL, NULL, &participant_id);
    if (res == RES_OK) res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "story begin");
    res = oc_story_write(c, referral_id, body, "practitioner", out);
    if (res == RES_OK) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "story commit");
    return RES_OK;
}

/* See outcomes.h. Oldest first; a story removed on erasure (body NULL) is left out;
 * the referrer side only while consent allows, and only those who see the
 * person. */
result story_list(struct ctx *c, long long referral_id, struct store_page *out)
{
    return oc_list(c, referral_id, OC_WORDS,
                   "SELECT " STORY_COLS " FROM stories WHERE referral_id = $1"
                   " AND body IS NOT NULL ORDER BY id",
                   story_row, "stories", "story list", out);
}

/* ---- attendance ---- */

#define ATTENDANCE_COLS "id, referral_id, session_date, attended, note, created_at, updated_at"

/* The record of an attendance row (columns ATTENDANCE_COLS). */
static rec *attendance_row(struct ctx *c, store_stmt *st)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", store_col_int(st, 0));
    rec_set_int(r, "referral_id", store_col_int(st, 1));
    rec_set_text(r, "session_date", oc_col_text(c, st, 2));
    rec_set_bool(r, "attended", store_col_int(st, 3) != 0);
    rec_set_text(r, "note", oc_col_text(c, st, 4));
    rec_set_text(r, "created_at", oc_col_text(c, st, 5));
    rec_set_text(r, "updated_at", oc_col_text(c, st, 6));
    return r;
}

/* See outcomes.h. The provider side, once the referral has been accepted. */
result attendance_record(struct ctx *c, long long referral_id, const char *session_date,
                         bool attended, const char *note, rec **out)
{
    unsigned sides;
    enum referral_status status;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, &status, &participant_id);
    if (res != RES_OK) return res;
    if (!(sides & SIDE_PROVIDER))
        return ctx_fail(c, RES_FORBIDDEN, "Only the provider records attendance.");
    res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    if (!session_date || !text_date_valid(session_date))
        ctx_field_error(c, "session_date", "The session date must be a date like 2026-11-26");
    else if (strncmp(session_date, c->now_iso, 10) > 0)
        ctx_field_error(c, "session_date", "The session date must be today or in the past");
    oc_check_text(c, "note", note, 2000, false);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the attendance.");
    if (status != REFERRAL_ACCEPTED && status != REFERRAL_STARTED && status != REFERRAL_COMPLETED &&
        status != REFERRAL_DROPPED_OUT)
        return ctx_fail(c, RES_CONFLICT,
                        "The referral is %s: attendance is recorded once it has been accepted.",
                        referral_status_name(status));
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "attendance begin");
    long long id = 0;
    /* A second record for the same date replaces the first. */
    int rc = store_query_int(
        c->db, &id,
        "INSERT INTO attendance (referral_id, session_date, attended, note, recorded_by_user_id,"
        " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
        " ON CONFLICT (referral_id, session_date) DO UPDATE SET attended = excluded.attended,"
        " note = excluded.note, recorded_by_user_id = excluded.recorded_by_user_id,"
        " updated_at = excluded.updated_at RETURNING id",
        "itbtIt", referral_id, session_date, (int)attended, note && *note ? note : NULL,
        c->actor ? c->actor->user_id : 0LL, c->now_iso);
    if (rc != 1) return oc_rollback(c, ctx_store_failure(c, rc < 0 ? rc : -1, "attendance"));
    rec *row = NULL;
    if (oc_read_one(c, "SELECT " ATTENDANCE_COLS " FROM attendance WHERE id = $1", id,
                    attendance_row, &row) != 1)
        return oc_rollback(c, ctx_store_failure(c, STORE_E_ERROR, "attendance read"));
    /* The audit entry leaves out the note: free text about the person,
     * cleared by erasure, which the audit log is not. */
    res = audit_record(c, "create", "attendance", id, NULL, rec_without(c->a, row, "note"));
    if (res == RES_OK && attended) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "attendance commit");
    if (out) *out = row;
    return RES_OK;
}

/* See outcomes.h. By session date; either side of the referral, not gated
 * by the outcomes consent (feedback shares attendance always). */
result attendance_list(struct ctx *c, long long referral_id, struct store_page *out)
{
    return oc_list(c, referral_id, OC_OPEN,
                   "SELECT " ATTENDANCE_COLS " FROM attendance WHERE referral_id = $1"
                   " ORDER BY session_date, id",
                   attendance_row, "attendance", "attendance list", out);
}
