/*
 * outcomes.h: what a referral achieves and how the referrer hears of it:
 * outcome measures (scored by measures.h), personal goals with the
 * person's own 0-10 ratings, stories in their own words, attendance,
 * one-time outcome links for the person to answer on their own phone, and
 * feedback to the referrer and the GP.
 *
 * Who: both sides of a referral (referrals.h) record outcomes, goals and
 * stories; the provider side records attendance and writes messages back.
 * A baseline may be recorded once the referral is accepted; midpoint and
 * final once it has started (final also after completion or drop-out).
 * Each (referral, measure, stage) is recorded once: a second is
 * RES_CONFLICT. Recording a baseline or final keeps the referral's score
 * columns (swemwbs_b/_f, ucla_b/_f, ons_*_b/_f) in step, in the same
 * transaction, for the reports.
 *
 * One-time links: a random 256-bit secret (only its hash is stored), for
 * one stage and a list of measures, expiring 14 days after it was made and
 * spent by its first successful use. Opening or submitting one needs no
 * account; a used, expired or unknown link answers RES_NOT_FOUND with a
 * detail the person can read ("This link has already been used.", "This
 * link has expired.").
 *
 * Feedback carries status and attendance always; outcome changes and the
 * person's words only while the consent for that recipient is in force
 * (outcomes_to_referrer, outcomes_to_gp: participants.h).
 *
 * Consent and erasure hold for every route to the data, not only the
 * feedback: a user acting only for the referrer side reads the outcomes,
 * changes, goals and stories (lists, feedback for either recipient) only
 * while outcomes_to_referrer is in force (RES_FORBIDDEN otherwise). Once
 * the person has been anonymised, nothing more is recorded about them
 * (outcomes, goals, ratings, stories, attendance, messages, links:
 * RES_CONFLICT) and their unused links no longer open. Audit entries keep
 * no free text (goals, stories, notes, messages), as erasure clears it.
 */
#ifndef CHIS_OUTCOMES_H
#define CHIS_OUTCOMES_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "domain/measures.h"
#include "store/records.h"

#include <stdbool.h>

#define OUTCOME_LINK_DAYS 14

extern const char *const outcome_stages[]; /* baseline midpoint final; NULL-terminated */

struct outcome_input {
    const char *measure; /* "swemwbs", "ons4", "ucla3" */
    const char *stage;   /* "baseline", "midpoint", "final" */
    const int *answers;
    int nanswers;
};

/*
 * Record one questionnaire for a referral (via "practitioner"). RES_INVALID
 * with field errors measure, stage, answers, answers[i] (422);
 * RES_CONFLICT when already recorded or the referral's state does not
 * allow the stage. *out: id, referral_id, measure, stage, answers (JSON
 * text), raw_score (SWEMWBS, UCLA3), metric_score (SWEMWBS), for ONS4
 * life_satisfaction, worthwhile, happiness, anxiety and <item>_band,
 * via, recorded_at.
 */
result outcome_record(struct ctx *c, long long referral_id, const struct outcome_input *in,
                      rec **out);

/* The referral's outcomes, in stage then measure order (rows as above). */
result outcome_list(struct ctx *c, long long referral_id, struct store_page *out);

/*
 * The paired change of each measure recorded at both baseline and final for
 * the referral (from its score columns): what the outcome list and the
 * feedback report. (Added by the outcomes module.)
 */
struct outcome_changes {
    bool has_swemwbs;
    double swemwbs_baseline, swemwbs_final, swemwbs_change; /* metric scores */
    bool swemwbs_meaningful; /* change >= SWEMWBS_MEANINGFUL_CHANGE (an improvement) */
    bool has_ucla;
    int ucla_baseline, ucla_final; /* totals 3-9: lower is less lonely */
    bool has_ons4;
    int ons4_baseline[4], ons4_final[4]; /* in ons4_items order */
};

/* The referral's changes, for an actor who sees it. */
result outcome_changes_get(struct ctx *c, long long referral_id, struct outcome_changes *out);

/* Add a goal in the person's words, optionally with a baseline rating
 * (rating < 0: none). *out: id, referral_id, goal, ratings as
 * baseline/midpoint/final (null when not rated). */
result goal_add(struct ctx *c, long long referral_id, const char *goal, int rating, rec **out);

/* Rate a goal 0-10 at a stage (once per stage: RES_CONFLICT). */
result goal_rate(struct ctx *c, long long goal_id, const char *stage, int rating, rec **out);
result goal_list(struct ctx *c, long long referral_id, struct store_page *out);

/* A story in the person's own words. *out: id, referral_id, body, via, created_at. */
result story_add(struct ctx *c, long long referral_id, const char *body, rec **out);
result story_list(struct ctx *c, long long referral_id, struct store_page *out);

/* Attendance at one session (date YYYY-MM-DD, not in the future); a second
 * record for the same date replaces the first. Provider side only. */
result attendance_record(struct ctx *c, long long referral_id, const char *session_date,
                         bool attended, const char *note, rec **out);
result attendance_list(struct ctx *c, long long referral_id, struct store_page *out);

/*
 * Make a one-time link for the referral's person to answer the measures
 * (comma-separated, e.g. "swemwbs,ons4,ucla3") at stage. *token (in c->a)
 * is the secret for the URL /outcome/{token}, shown once; *out: id,
 * referral_id, stage, measures, expires_at.
 */
result outcome_link_create(struct ctx *c, long long referral_id, const char *stage,
                           const char *measures, const char **token, rec **out);

/* What a link asks for (no actor needed): stage, measures, expires_at,
 * service_name. RES_NOT_FOUND (with a readable detail) when unusable. */
result outcome_link_open(struct ctx *c, const char *token, rec **out);

/*
 * Submit a link's answers: one outcome_input per measure the link asks for
 * (all of them), optionally a story (NULL: none). All or nothing; the link
 * is spent on success only. Field errors are named "<measure>" and
 * "<measure>[i]" (e.g. "swemwbs[3]").
 */
result outcome_link_submit(struct ctx *c, const char *token, const struct outcome_input *in, int n,
                           const char *story);

/* A message back from the provider to "referrer" or "gp". */
result feedback_message_add(struct ctx *c, long long referral_id, const char *recipient,
                            const char *body, rec **out);

struct feedback {
    rec *referral;         /* as referral_get() */
    const char *recipient; /* "referrer" or "gp" */
    long long sessions_attended, sessions_missed;
    bool outcomes_shared; /* consent in force for this recipient */
    /* When outcomes_shared: each measure's paired change (NaN-free: has_*). */
    bool has_swemwbs;
    double swemwbs_baseline, swemwbs_final, swemwbs_change;
    bool swemwbs_meaningful;
    bool has_ucla;
    int ucla_baseline, ucla_final;
    bool has_ons4;
    int ons4_baseline[4], ons4_final[4];
    struct store_page goals;    /* when outcomes_shared */
    struct store_page stories;  /* the person's words, when outcomes_shared */
    struct store_page messages; /* to this recipient, oldest first */
};

/* The feedback for one recipient of a referral the actor sees. */
result feedback_get(struct ctx *c, long long referral_id, const char *recipient,
                    struct feedback *out);

#endif
