/*
 * test_outcomes.c: outcomes of a referral (domain/outcomes.c and its
 * siblings) without HTTP: recording questionnaires with the referral's
 * score columns kept in step, the stage rules, duplicates, goals,
 * attendance (provider side only), one-time links (open, submit, spent,
 * expired, wrong answers keep it usable) and feedback with consent given
 * and withdrawn. The referral rows are made with SQL, so these tests need
 * only referral_access from the referrals module.
 */
#include "unit.h"

#include "outcomes_world.h"

#include <math.h>
#include <stdio.h>

/* Sets a referral's status with SQL (the lifecycle is another module's). */
static void set_status(struct fx *f, long long id, const char *status)
{
    assert_int_equal(
        store_run(f->c.db, "UPDATE referrals SET status = $1 WHERE id = $2", "ti", status, id), 1);
}

/* A real number column of referral id. */
static double ref_real(struct fx *f, long long id, const char *col)
{
    char q[160];
    snprintf(q, sizeof q, "SELECT %s FROM referrals WHERE id = $1", col);
    store_stmt *st = store_prepare(f->c.db, q);
    store_bind_int(st, 1, id);
    assert_int_equal(store_step(st), STORE_ROW);
    double v = store_col_null(st, 0) ? NAN : store_col_double(st, 0);
    store_done(st);
    return v;
}

static const int sw22[7] = {4, 3, 3, 3, 3, 3, 3}; /* raw 22 -> 19.98 */
static const int ons_b[4] = {4, 6, 8, 7};
static const int ons_f[4] = {7, 7, 9, 2};
static const int ucla_b[3] = {3, 2, 3};
static const int ucla_f[3] = {2, 1, 2};

/* Recording scores the answers and keeps the referral's columns in step. */
static void test_record_keeps_scores(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "accepted");
    as_provider(f);
    rec *out = NULL;
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, &out), RES_OK);
    assert_int_equal(rec_int(out, "raw_score", 0), 21);
    assert_string_equal(rec_text(out, "metric_score"), "19.25");
    assert_string_equal(rec_text(out, "answers"), "[3,3,3,3,3,3,3]");
    assert_string_equal(rec_text(out, "via"), "practitioner");
    assert_true(fabs(ref_real(f, ref, "swemwbs_b") - 19.25) < 1e-9);
    assert_true(isnan(ref_real(f, ref, "swemwbs_f")));

    as_referrer(f); /* the referrer side records too */
    assert_int_equal(record(f, ref, "ons4", "baseline", ons_b, 4, &out), RES_OK);
    assert_int_equal(rec_int(out, "life_satisfaction", -1), 4);
    assert_string_equal(rec_text(out, "life_satisfaction_band"), "low");
    assert_string_equal(rec_text(out, "happiness_band"), "high");
    assert_string_equal(rec_text(out, "anxiety_band"), "high");
    assert_true(rec_is_null(out, "raw_score"));
    assert_int_equal((long long)ref_real(f, ref, "ons_life_b"), 4);
    assert_int_equal((long long)ref_real(f, ref, "ons_worth_b"), 6);
    assert_int_equal((long long)ref_real(f, ref, "ons_happy_b"), 8);
    assert_int_equal((long long)ref_real(f, ref, "ons_anxious_b"), 7);
    assert_int_equal(record(f, ref, "ucla3", "baseline", ucla_b, 3, &out), RES_OK);
    assert_int_equal(rec_int(out, "raw_score", 0), 8);
    assert_int_equal((long long)ref_real(f, ref, "ucla_b"), 8);

    set_status(f, ref, "started");
    assert_int_equal(record(f, ref, "swemwbs", "midpoint", sw22, 7, NULL), RES_OK);
    assert_true(isnan(ref_real(f, ref, "swemwbs_f"))); /* a midpoint touches no column */
    set_status(f, ref, "completed");
    assert_int_equal(record(f, ref, "swemwbs", "final", sw28, 7, NULL), RES_OK);
    assert_int_equal(record(f, ref, "ons4", "final", ons_f, 4, NULL), RES_OK);
    assert_int_equal(record(f, ref, "ucla3", "final", ucla_f, 3, NULL), RES_OK);
    assert_true(fabs(ref_real(f, ref, "swemwbs_f") - 25.03) < 1e-9);
    assert_int_equal((long long)ref_real(f, ref, "ucla_f"), 5);
    assert_int_equal((long long)ref_real(f, ref, "ons_anxious_f"), 2);

    struct outcome_changes ch;
    assert_int_equal(outcome_changes_get(&f->c, ref, &ch), RES_OK);
    assert_true(ch.has_swemwbs && ch.has_ucla && ch.has_ons4);
    assert_true(fabs(ch.swemwbs_change - 5.78) < 1e-9);
    assert_true(ch.swemwbs_meaningful);
    assert_int_equal(ch.ucla_final - ch.ucla_baseline, -3);
    assert_int_equal(ch.ons4_final[0] - ch.ons4_baseline[0], 3);

    struct store_page pg;
    assert_int_equal(outcome_list(&f->c, ref, &pg), RES_OK);
    assert_int_equal(pg.nrows, 7);
    assert_string_equal(rec_text(pg.rows[0], "stage"), "baseline");
    assert_string_equal(rec_text(pg.rows[3], "stage"), "midpoint");
    assert_string_equal(rec_text(pg.rows[6], "stage"), "final");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'outcomes'"
                                 " AND action = 'create'"),
                     7);
    /* Reading the list is audited: it is health data about a person. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'outcomes'"
                                 " AND action = 'read'"),
                     1);
    /* The person's last contact moved to now. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM participants WHERE last_contact_at ="
                                 " '2026-11-26T09:00:00Z'"),
                     1);
}

/* A change under 3 metric points is not meaningful; exactly 3.00 would be. */
static void test_meaningful_threshold(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, NULL), RES_OK);
    assert_int_equal(record(f, ref, "swemwbs", "final", sw22, 7, NULL), RES_OK);
    struct outcome_changes ch;
    assert_int_equal(outcome_changes_get(&f->c, ref, &ch), RES_OK);
    assert_true(fabs(ch.swemwbs_change - 0.73) < 1e-9);
    assert_false(ch.swemwbs_meaningful);
    assert_false(ch.has_ucla);
    assert_false(ch.has_ons4);
}

/* Baseline once accepted; midpoint while started; final once started. */
static void test_stage_rules(void **state)
{
    struct fx *f = *state;
    as_provider(f);
    static const struct {
        const char *status, *stage;
        result want;
    } cases[] = {
        {"sent", "baseline", RES_CONFLICT},     {"waitlisted", "baseline", RES_CONFLICT},
        {"declined", "baseline", RES_CONFLICT}, {"cancelled", "final", RES_CONFLICT},
        {"accepted", "baseline", RES_OK},       {"accepted", "midpoint", RES_CONFLICT},
        {"accepted", "final", RES_CONFLICT},    {"started", "baseline", RES_OK},
        {"started", "midpoint", RES_OK},        {"started", "final", RES_OK},
        {"completed", "final", RES_OK},         {"completed", "midpoint", RES_CONFLICT},
        {"dropped_out", "final", RES_OK},       {"dropped_out", "baseline", RES_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long ref = referral(f, cases[i].status);
        result res = record(f, ref, "ucla3", cases[i].stage, ucla_b, 3, NULL);
        if (res != cases[i].want)
            fail_msg("%s %s: got %d want %d (%s)", cases[i].status, cases[i].stage, res,
                     cases[i].want, f->c.detail);
        if (res == RES_CONFLICT) assert_non_null(strstr(f->c.detail, cases[i].status));
    }
    /* A draft is not the provider's to see at all. */
    long long draft = referral(f, "draft");
    result res = record(f, draft, "ucla3", "baseline", ucla_b, 3, NULL);
    assert_true(res == RES_NOT_FOUND);
}

/* A second (referral, measure, stage) is a conflict and writes nothing. */
static void test_duplicate(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "accepted");
    as_provider(f);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, NULL), RES_OK);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw28, 7, NULL), RES_CONFLICT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 1);
    assert_true(fabs(ref_real(f, ref, "swemwbs_b") - 19.25) < 1e-9);
}

/* Wrong counts, out of range answers and unknown names are field errors; nothing is written. */
static void test_invalid_answers(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "accepted");
    as_provider(f);
    static const int short6[6] = {3, 3, 3, 3, 3, 3};
    assert_int_equal(record(f, ref, "swemwbs", "baseline", short6, 6, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers"));
    static const int bad[7] = {3, 3, 6, 3, 0, 3, 3};
    assert_int_equal(record(f, ref, "swemwbs", "baseline", bad, 7, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers[2]"));
    assert_non_null(fx_field_error(f, "answers[4]"));
    static const int ons_bad[4] = {11, 0, 0, 0};
    assert_int_equal(record(f, ref, "ons4", "baseline", ons_bad, 4, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers[0]"));
    assert_int_equal(record(f, ref, "phq9", "baseline", sw21, 7, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "measure"));
    assert_int_equal(record(f, ref, "swemwbs", "start", sw21, 7, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "stage"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 0);
    assert_true(isnan(ref_real(f, ref, "swemwbs_b")));
}

/* Another organisation learns nothing: 404 for every call. */
static void test_other_org_not_found(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_other(f);
    assert_int_equal(record(f, ref, "ucla3", "baseline", ucla_b, 3, NULL), RES_NOT_FOUND);
    struct store_page pg;
    assert_int_equal(outcome_list(&f->c, ref, &pg), RES_NOT_FOUND);
    assert_int_equal(goal_list(&f->c, ref, &pg), RES_NOT_FOUND);
    rec *out;
    assert_int_equal(story_add(&f->c, ref, "Hello", &out), RES_NOT_FOUND);
    const char *token;
    assert_int_equal(outcome_link_create(&f->c, ref, "final", "ucla3", &token, &out),
                     RES_NOT_FOUND);
    struct feedback fb;
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_NOT_FOUND);
}

/* Goals with ratings per stage, once each; stories in the person's words. */
static void test_goals_and_stories(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_referrer(f);
    rec *g = NULL;
    assert_int_equal(goal_add(&f->c, ref, "Walk to the shops without help", 3, &g), RES_OK);
    assert_int_equal(rec_int(g, "baseline", -1), 3);
    assert_true(rec_is_null(g, "final"));
    long long gid = rec_int(g, "id", 0);
    as_provider(f);
    assert_int_equal(goal_rate(&f->c, gid, "final", 8, &g), RES_OK);
    assert_int_equal(rec_int(g, "final", -1), 8);
    assert_int_equal(goal_rate(&f->c, gid, "final", 9, &g), RES_CONFLICT);
    ctx_clear_errors(&f->c);
    assert_int_equal(goal_rate(&f->c, gid, "midpoint", 11, &g), RES_INVALID);
    assert_non_null(fx_field_error(f, "rating"));
    ctx_clear_errors(&f->c);
    assert_int_equal(goal_add(&f->c, ref, "", -1, &g), RES_INVALID);
    assert_non_null(fx_field_error(f, "goal"));
    ctx_clear_errors(&f->c);
    assert_int_equal(goal_add(&f->c, ref, "Sing in the choir", -1, &g), RES_OK);
    assert_true(rec_is_null(g, "baseline"));
    struct store_page pg;
    assert_int_equal(goal_list(&f->c, ref, &pg), RES_OK);
    assert_int_equal(pg.nrows, 2);
    assert_int_equal(rec_int(pg.rows[0], "final", -1), 8);
    as_other(f);
    assert_int_equal(goal_rate(&f->c, gid, "midpoint", 5, &g), RES_NOT_FOUND);

    as_provider(f);
    rec *s = NULL;
    assert_int_equal(story_add(&f->c, ref, "I feel I belong somewhere again.", &s), RES_OK);
    assert_string_equal(rec_text(s, "via"), "practitioner");
    ctx_clear_errors(&f->c);
    assert_int_equal(story_add(&f->c, ref, "", &s), RES_INVALID);
    assert_int_equal(story_list(&f->c, ref, &pg), RES_OK);
    assert_int_equal(pg.nrows, 1);
    assert_string_equal(rec_text(pg.rows[0], "body"), "I feel I belong somewhere again.");
    /* The audit entry does not copy the person's words. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'stories'"
                                 " AND after_json LIKE '%belong%'"),
                     0);
}

/* Attendance is the provider's record; a date's second record replaces the first. */
static void test_attendance(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    rec *a = NULL;
    as_referrer(f);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-20", true, NULL, &a), RES_FORBIDDEN);
    as_provider(f);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-20", true, "Sang well", &a), RES_OK);
    assert_true(rec_int(a, "attended", 0));
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-20", false, NULL, &a), RES_OK);
    assert_false(rec_int(a, "attended", 1));
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-13", true, NULL, &a), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM attendance"), 2);
    ctx_clear_errors(&f->c);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-27", true, NULL, &a), RES_INVALID);
    assert_non_null(fx_field_error(f, "session_date"));
    ctx_clear_errors(&f->c);
    assert_int_equal(attendance_record(&f->c, ref, "20 Nov", true, NULL, &a), RES_INVALID);
    struct store_page pg;
    as_referrer(f); /* the referrer may read it */
    assert_int_equal(attendance_list(&f->c, ref, &pg), RES_OK);
    assert_int_equal(pg.nrows, 2);
    assert_string_equal(rec_text(pg.rows[0], "session_date"), "2026-11-13");
    long long sent = referral(f, "sent");
    as_provider(f);
    assert_int_equal(attendance_record(&f->c, sent, "2026-11-20", true, NULL, &a), RES_CONFLICT);
}

/* Makes a link as the provider; returns the token. */
static const char *make_link(struct fx *f, long long ref, const char *stage, const char *measures)
{
    as_provider(f);
    const char *token = NULL;
    rec *out = NULL;
    result res = outcome_link_create(&f->c, ref, stage, measures, &token, &out);
    if (res != RES_OK) fail_msg("link: %s", f->c.detail);
    assert_string_equal(rec_text(out, "expires_at"), "2026-12-10T09:00:00Z");
    return token;
}

/* Acts as nobody (the person with the link). */
static void as_nobody(struct fx *f)
{
    f->c.actor = NULL;
    f->c.by_operator = false;
    ctx_clear_errors(&f->c);
}

/* A link opens, refuses wrong answers without being spent, then is spent once. */
static void test_link_lifecycle(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "accepted");
    const char *token = make_link(f, ref, "baseline", "swemwbs,ucla3");
    assert_int_equal(strlen(token), 43);
    /* Only a hash is kept. */
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n,
                                     "SELECT count(*) FROM outcome_links WHERE token_hash = $1",
                                     "t", token),
                     1);
    assert_int_equal(n, 0);

    as_nobody(f);
    rec *l = NULL;
    assert_int_equal(outcome_link_open(&f->c, token, &l), RES_OK);
    assert_string_equal(rec_text(l, "measures"), "swemwbs,ucla3");
    assert_string_equal(rec_text(l, "stage"), "baseline");
    assert_string_equal(rec_text(l, "service_name"), "Singing for the Brain");

    /* Out of range: field errors named by measure, nothing stored, still usable. */
    static const int bad[7] = {3, 3, 9, 3, 3, 3, 3};
    struct outcome_input in[2] = {{"swemwbs", "baseline", bad, 7},
                                  {"ucla3", "baseline", ucla_b, 3}};
    assert_int_equal(outcome_link_submit(&f->c, token, in, 2, "Good"), RES_INVALID);
    assert_non_null(fx_field_error(f, "swemwbs[2]"));
    /* A measure missing altogether. */
    ctx_clear_errors(&f->c);
    in[0].answers = sw21;
    assert_int_equal(outcome_link_submit(&f->c, token, in, 1, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "ucla3"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcome_links WHERE used_at IS NULL"), 1);

    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_submit(&f->c, token, in, 2, "The singing lifts me."), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes WHERE via = 'link'"), 2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM stories WHERE via = 'link'"), 1);
    assert_true(fabs(ref_real(f, ref, "swemwbs_b") - 19.25) < 1e-9);
    assert_int_equal((long long)ref_real(f, ref, "ucla_b"), 8);

    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_open(&f->c, token, &l), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, "This link has already been used.");
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_submit(&f->c, token, in, 2, NULL), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, "This link has already been used.");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 2);

    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_open(&f->c, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &l),
                     RES_NOT_FOUND);
    assert_non_null(strstr(f->c.detail, "not valid"));

    /* A stage already recorded cannot have a link. */
    as_provider(f);
    const char *t2;
    assert_int_equal(outcome_link_create(&f->c, ref, "baseline", "swemwbs", &t2, &l), RES_CONFLICT);
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_create(&f->c, ref, "baseline", "swemwbs,swemwbs", &t2, &l),
                     RES_INVALID);
    assert_non_null(fx_field_error(f, "measures"));
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_create(&f->c, ref, "final", "ons4", &t2, &l), RES_CONFLICT);
}

/* A link expires 14 days after it was made. */
static void test_link_expiry(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    const char *token = make_link(f, ref, "final", "ons4");
    as_nobody(f);
    rec *l;
    ctx_set_now(&f->c, FX_NOW + 13 * 86400);
    assert_int_equal(outcome_link_open(&f->c, token, &l), RES_OK);
    ctx_set_now(&f->c, FX_NOW + 15 * 86400);
    assert_int_equal(outcome_link_open(&f->c, token, &l), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, "This link has expired.");
    struct outcome_input in = {"ons4", "final", ons_f, 4};
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_submit(&f->c, token, &in, 1, NULL), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, "This link has expired.");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 0);
}

/* Feedback carries outcomes and words while consent holds; messages notify the referrer. */
static void test_feedback_consent(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, NULL), RES_OK);
    assert_int_equal(record(f, ref, "swemwbs", "final", sw28, 7, NULL), RES_OK);
    rec *out;
    assert_int_equal(story_add(&f->c, ref, "I made friends.", &out), RES_OK);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-20", true, NULL, &out), RES_OK);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-13", false, NULL, &out), RES_OK);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-06", true, NULL, &out), RES_OK);

    as_referrer(f);
    assert_int_equal(feedback_message_add(&f->c, ref, "referrer", "Hello", &out), RES_FORBIDDEN);
    as_provider(f);
    assert_int_equal(feedback_message_add(&f->c, ref, "referrer", "Ada has joined in.", &out),
                     RES_OK);
    assert_int_equal(feedback_message_add(&f->c, ref, "gp", "Attending weekly.", &out), RES_OK);
    ctx_clear_errors(&f->c);
    assert_int_equal(feedback_message_add(&f->c, ref, "family", "x", &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "recipient"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM notifications WHERE recipient_user_id = 1"
                                 " AND kind = 'referral_feedback'"),
                     1);

    as_referrer(f);
    struct feedback fb;
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_OK);
    assert_string_equal(rec_text(fb.referral, "status"), "started");
    assert_int_equal(fb.sessions_attended, 2);
    assert_int_equal(fb.sessions_missed, 1);
    assert_true(fb.outcomes_shared);
    assert_true(fb.has_swemwbs);
    assert_true(fb.swemwbs_meaningful);
    assert_int_equal(fb.stories.nrows, 1);
    assert_int_equal(fb.messages.nrows, 1);
    assert_string_equal(rec_text(fb.messages.rows[0], "body"), "Ada has joined in.");

    /* The person withdraws consent to share outcomes with the referrer. */
    withdraw_outcomes_to_referrer(f);
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_OK);
    assert_false(fb.outcomes_shared);
    assert_false(fb.has_swemwbs);
    assert_int_equal(fb.stories.nrows, 0);
    assert_int_equal(fb.goals.nrows, 0);
    assert_int_equal(fb.sessions_attended, 2); /* status and attendance always */
    assert_int_equal(fb.messages.nrows, 1);
    /* The GP's consent is separate and still stands: the provider's copy
     * for the GP carries the outcomes. */
    as_provider(f);
    assert_int_equal(feedback_get(&f->c, ref, "gp", &fb), RES_OK);
    assert_true(fb.outcomes_shared);
    assert_true(fb.has_swemwbs);
    assert_int_equal(fb.messages.nrows, 1);
    assert_string_equal(rec_text(fb.messages.rows[0], "body"), "Attending weekly.");
    ctx_clear_errors(&f->c);
    assert_int_equal(feedback_get(&f->c, ref, "family", &fb), RES_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_keeps_scores, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_meaningful_threshold, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stage_rules, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_answers, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_other_org_not_found, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_goals_and_stories, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_attendance, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_link_lifecycle, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_link_expiry, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_feedback_consent, outcomes_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
