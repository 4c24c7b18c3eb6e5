/*
 * outcomes_internal.h: what the files of the outcomes module share
 * (outcomes.c, outcome_records.c, outcome_links.c, feedback.c): the stage
 * rules, the one writer of an outcome (used by the practitioner's entry
 * and by a one-time link), the one writer of a story, and the paired
 * changes read from the referral's score columns. Not for other modules.
 */
#ifndef CHIS_OUTCOMES_INTERNAL_H
#define CHIS_OUTCOMES_INTERNAL_H

#include "domain/outcomes.h"
#include "domain/referrals.h"

/* Longest text kept for a story, a goal, a note or a message (bytes). */
#define OUTCOME_TEXT_MAX 10000

/* The index of stage in outcome_stages, or -1. */
int oc_stage_index(const char *stage);

/*
 * Is stage allowed for a referral in status? RES_OK, or RES_CONFLICT with
 * a detail naming the status (a baseline once accepted; midpoint once
 * started; final once started, and after completion or drop-out).
 */
result oc_stage_allowed(struct ctx *c, enum referral_status status, const char *stage);

/*
 * The referral as the actor may touch it: its sides, status and person.
 * RES_NOT_FOUND (passed through) when the actor may not see it.
 */
result oc_access(struct ctx *c, long long referral_id, unsigned *sides,
                 enum referral_status *status, long long *participant_id);

/*
 * Write one scored questionnaire for the referral at stage (via
 * "practitioner" or "link"), and keep the referral's baseline/final score
 * columns in step. The caller holds the transaction. RES_CONFLICT when
 * (referral, measure, stage) is already recorded. *out (may be NULL) as
 * outcome_record's.
 */
result oc_write(struct ctx *c, long long referral_id, long long participant_id,
                const struct measure_score *s, const char *stage, const char *via, rec **out);

/*
 * Check and write a story (body non-empty, at most OUTCOME_TEXT_MAX bytes,
 * field "body"). The caller holds the transaction. *out (may be NULL) as
 * story_add's.
 */
result oc_story_write(struct ctx *c, long long referral_id, const char *body, const char *via,
                      rec **out);

/*
 * RES_OK while the person has a record to add to; RES_CONFLICT once they
 * have been anonymised (erasure or retention). Nothing new is written
 * about an anonymised person: erasure has run and would not come back to
 * remove it.
 */
result oc_writable(struct ctx *c, long long participant_id);

/*
 * RES_OK when an actor acting for sides may read the person's outcomes,
 * goals and words: the provider side always, the referrer side only while
 * the person's outcomes_to_referrer consent is in force (RES_FORBIDDEN
 * with a detail saying so otherwise).
 */
result oc_readable(struct ctx *c, unsigned sides, long long participant_id);

/* Is sharing the person's outcomes with an actor acting for sides in force? (As oc_readable.) */
bool oc_shared_with(struct ctx *c, unsigned sides, long long participant_id);

/* The referral's outcome changes, from its score columns (no access check). */
result oc_changes(struct ctx *c, long long referral_id, struct outcome_changes *out);

/* A copy in c->a of text column col of the current row (NULL stays NULL). */
const char *oc_col_text(struct ctx *c, store_stmt *st, int col);

/* Check an optional free text: valid UTF-8, at most max bytes; field error otherwise. */
void oc_check_text(struct ctx *c, const char *field, const char *s, size_t max, bool required);

/* Roll back the caller's transaction and pass res on. */
result oc_rollback(struct ctx *c, result res);

/* Makes the record of the current row of st (in c->a). */
typedef rec *oc_row_fn(struct ctx *c, store_stmt *st);

/*
 * Read every remaining row of st (prepared and bound by the caller)
 * through row into out (in c->a), then store_done(st); out->total is the
 * count. STORE_DONE, or the failing step's STORE_E_*.
 */
int oc_read_rows(struct ctx *c, store_stmt *st, oc_row_fn *row, struct store_page *out);

/*
 * The row sql selects with $1 = id, made by row into *out (in c->a).
 * 1 when found, 0 when not, or STORE_E_*.
 */
int oc_read_one(struct ctx *c, const char *sql, long long id, oc_row_fn *row, rec **out);

/* How far a list of what a referral records is guarded. */
enum oc_gate {
    OC_OPEN,     /* either side (attendance) */
    OC_OUTCOMES, /* and shared with this side (oc_readable): outcomes */
    OC_WORDS,    /* and the actor sees the person: goals and stories, the person's own words */
};

/*
 * A list of what a referral records (outcomes, goals, stories, attendance):
 * the actor must see the referral, and pass gate. Then every row sql
 * selects with $1 = the referral, made by row, audited as a read of table
 * (it is about a person). what names the list in failures. Rows belong to
 * c->a.
 */
result oc_list(struct ctx *c, long long referral_id, enum oc_gate gate, const char *sql,
               oc_row_fn *row, const char *table, const char *what, struct store_page *out);

#endif
