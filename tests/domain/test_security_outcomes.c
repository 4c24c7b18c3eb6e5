/*
 * test_security_outcomes.c: the data-protection rules of outcomes,
 * feedback and the outcomes report, checked where a security review found
 * them broken: a withdrawal of outcomes_to_referrer holding for every
 * route to the data (the lists, and the GP's copy of the feedback), nothing
 * new recorded about an anonymised person and their links closed, the
 * person's words kept out of the audit log, reads of messages audited, and
 * small cells that could be worked out from the figures shown (hidden
 * zeros taken as protection, rates telling their numerators, the status
 * counts against uptake and completion). The clock is FX_NOW,
 * 2026-11-26T09:00Z.
 */
#include "unit.h"

#include "outcomes_world.h"
#include "reports_world.h"

#include <stdio.h>

/* ---- consent ---- */

/*
 * After the person withdraws outcomes_to_referrer, the referrer side may
 * not read their outcomes, goals or words by the lists, nor through the
 * GP's copy of the feedback; the provider still may.
 */
static void withdrawal_holds_for_every_route(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, NULL), RES_OK);
    assert_int_equal(record(f, ref, "swemwbs", "final", sw28, 7, NULL), RES_OK);
    rec *out;
    assert_int_equal(story_add(&f->c, ref, "I sing again.", &out), RES_OK);
    assert_int_equal(goal_add(&f->c, ref, "Leave the house weekly", 3, &out), RES_OK);
    withdraw_outcomes_to_referrer(f);

    as_referrer(f);
    struct store_page pg;
    assert_int_equal(outcome_list(&f->c, ref, &pg), RES_FORBIDDEN);
    as_referrer(f);
    assert_int_equal(story_list(&f->c, ref, &pg), RES_FORBIDDEN);
    as_referrer(f);
    assert_int_equal(goal_list(&f->c, ref, &pg), RES_FORBIDDEN);
    as_referrer(f);
    struct outcome_changes ch;
    assert_int_equal(outcome_changes_get(&f->c, ref, &ch), RES_FORBIDDEN);
    assert_false(ch.has_swemwbs);
    /* The GP's consent stands, but its copy is no way round for the referrer. */
    as_referrer(f);
    struct feedback fb;
    assert_int_equal(feedback_get(&f->c, ref, "gp", &fb), RES_OK);
    assert_false(fb.outcomes_shared);
    assert_false(fb.has_swemwbs);
    assert_int_equal(fb.stories.nrows, 0);
    assert_int_equal(fb.goals.nrows, 0);

    /* The provider side still sees all, and the GP's copy carries it. */
    as_provider(f);
    assert_int_equal(story_list(&f->c, ref, &pg), RES_OK);
    assert_int_equal(pg.nrows, 1);
    as_provider(f);
    assert_int_equal(feedback_get(&f->c, ref, "gp", &fb), RES_OK);
    assert_true(fb.outcomes_shared);
    assert_true(fb.has_swemwbs);
    assert_int_equal(fb.stories.nrows, 1);
}

/* ---- anonymised people ---- */

/*
 * Once the person is anonymised nothing new is written about them (erasure
 * would not come back for it), and a link made before no longer opens even
 * if erasure left it unexpired.
 */
static void nothing_recorded_after_anonymising(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    const char *token = NULL;
    rec *out = NULL;
    assert_int_equal(outcome_link_create(&f->c, ref, "final", "swemwbs", &token, &out), RES_OK);
    fx_sql(f,
           "UPDATE participants SET name = NULL, date_of_birth = NULL,"
           " anonymised_at = '2026-11-26T08:00:00Z', anonymised_reason = 'erasure' WHERE id = 1");

    as_provider(f);
    assert_int_equal(story_add(&f->c, ref, "New words after erasure", &out), RES_CONFLICT);
    as_provider(f);
    assert_int_equal(goal_add(&f->c, ref, "A goal after erasure", -1, &out), RES_CONFLICT);
    as_provider(f);
    assert_int_equal(attendance_record(&f->c, ref, "2026-11-20", true, "note", &out), RES_CONFLICT);
    as_provider(f);
    assert_int_equal(feedback_message_add(&f->c, ref, "referrer", "About Ada", &out), RES_CONFLICT);
    as_provider(f);
    assert_int_equal(record(f, ref, "swemwbs", "baseline", sw21, 7, NULL), RES_CONFLICT);
    as_provider(f);
    const char *again = NULL;
    assert_int_equal(outcome_link_create(&f->c, ref, "midpoint", "swemwbs", &again, &out),
                     RES_CONFLICT);
    assert_null(again);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM stories"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM goals"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM attendance"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM feedback_messages"), 0);

    /* The link made before: not openable, and a submission stores nothing. */
    f->c.actor = NULL;
    f->c.by_operator = false;
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_open(&f->c, token, &out), RES_NOT_FOUND);
    struct outcome_input in = {"swemwbs", "final", sw28, 7};
    ctx_clear_errors(&f->c);
    assert_int_equal(outcome_link_submit(&f->c, token, &in, 1, "My story"), RES_NOT_FOUND);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM stories"), 0);
}

/* ---- the audit log ---- */

/* A goal's words and an attendance note stay out of the audit log. */
static void no_personal_words_in_audit(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    rec *out = NULL;
    assert_int_equal(goal_add(&f->c, ref, "Visit my sister in Leeds", 2, &out), RES_OK);
    long long goal = rec_int(out, "id", 0);
    as_provider(f);
    assert_int_equal(goal_rate(&f->c, goal, "midpoint", 6, &out), RES_OK);
    as_provider(f);
    assert_int_equal(
        attendance_record(&f->c, ref, "2026-11-20", false, "In hospital with a fall", &out),
        RES_OK);
    assert_true(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'goals'") >= 2);
    assert_int_equal(fx_audit_mentions(f, "Visit my sister"), 0);
    assert_int_equal(fx_audit_mentions(f, "In hospital"), 0);
    /* What the entries do keep: the ratings and the attendance mark. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'goals'"
                                 " AND instr(after_json, '\"midpoint\":6') > 0"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'attendance'"
                                 " AND instr(after_json, '2026-11-20') > 0"),
                     1);
}

/* Reading the feedback audits the messages read (they are about the person). */
static void feedback_messages_read_audited(void **state)
{
    struct fx *f = *state;
    long long ref = referral(f, "started");
    as_provider(f);
    rec *out = NULL;
    assert_int_equal(feedback_message_add(&f->c, ref, "referrer", "Ada came every week", &out),
                     RES_OK);
    long long id = rec_int(out, "id", 0);
    as_referrer(f);
    struct feedback fb;
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_OK);
    assert_int_equal(fb.messages.nrows, 1);
    char q[200];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'feedback_messages'"
             " AND actor_user_id = 1 AND instr(after_json, '%lld') > 0",
             id);
    assert_int_equal(fx_count(f, q), 1);
}

/* ---- the report's disclosure control ---- */

/* A hidden zero is no protection: a lone small cell beside zeros gets a secondary. */
/* The person's own words (goals, stories) reach only those who may see the
 * person: an administrator of the referring organisation acts for its side
 * but sees no personal data, so neither the lists nor the feedback carry
 * the words to them; the link worker's do. */
static void words_only_to_those_who_see_the_person(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "INSERT INTO users (id, email, name, role, organisation_id, password_hash,"
              " created_at, updated_at) VALUES (4, 'ad@example.org', 'Admin', 'admin', 1, 'x',"
              " " OW_T0 ", " OW_T0 ")");
    long long ref = referral(f, "started");
    rec *out = NULL;
    as_provider(f);
    assert_int_equal(story_add(&f->c, ref, "I sang in front of people.", &out), RES_OK);
    as_provider(f);
    assert_int_equal(goal_add(&f->c, ref, "Leave the house weekly", 3, &out), RES_OK);

    fx_act_as(f, ROLE_ADMIN, 4, 1, NULL, 0);
    struct store_page pg;
    assert_int_equal(story_list(&f->c, ref, &pg), RES_FORBIDDEN);
    fx_act_as(f, ROLE_ADMIN, 4, 1, NULL, 0);
    assert_int_equal(goal_list(&f->c, ref, &pg), RES_FORBIDDEN);
    struct feedback fb;
    fx_act_as(f, ROLE_ADMIN, 4, 1, NULL, 0);
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_OK);
    assert_true(fb.outcomes_shared);
    assert_int_equal(fb.stories.nrows, 0);
    assert_int_equal(fb.goals.nrows, 0);

    as_referrer(f);
    assert_int_equal(feedback_get(&f->c, ref, "referrer", &fb), RES_OK);
    assert_int_equal(fb.stories.nrows, 1);
    assert_int_equal(fb.goals.nrows, 1);
}

static void zeros_do_not_protect(void **state)
{
    (void)state;
    bool s[5];
    const long long lone[] = {0, 4, 10, 11};
    assert_int_equal(cells_suppress(lone, s, 4), 3);
    assert_true(s[0] && s[1] && s[2]);
    assert_false(s[3]);
    /* Zeros alone tell nobody's anything: no secondary. */
    const long long zeros[] = {0, 20, 6};
    assert_int_equal(cells_suppress(zeros, s, 3), 1);
    assert_true(s[0]);
    assert_false(s[1] || s[2]);
    /* cells_protect keeps what another rule hid: one hidden (9) needs a partner. */
    bool h[4] = {false, true, false, false};
    const long long kept[] = {12, 9, 7, 30};
    assert_int_equal(cells_protect(kept, h, 4), 2);
    assert_true(h[1] && h[2]);
    assert_false(h[0] || h[3]);
}

/*
 * Inserts n referrals made 2026-03-01 in place 1 with status, IMD quintile
 * and sex, sent unless a draft, first contact after days (< 0: none).
 */
static void cohort(struct fx *f, int n, const char *status, int imd, const char *sex, int days)
{
    for (int i = 0; i < n; i++) {
        struct r r = plain(1, 0, status, sex);
        r.sent_at = strcmp(status, "draft") == 0 ? NULL : "2026-03-01T09:00:00Z";
        r.contact_at = days < 0 ? NULL : arena_printf(f->c.a, "2026-03-%02dT12:00:00Z", 1 + days);
        r.created_at = "2026-03-01T10:00:00Z";
        r.imd = imd;
        r.age = "25-34";
        r.eth = "white";
        add(f, &r);
    }
}

static int report_setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    fx_sql(f, "INSERT INTO places (id, name, created_at, updated_at) VALUES (1, 'North', " T0
              ", " T0 ");"
              "INSERT INTO organisations (id, name, sector, created_at, updated_at) VALUES"
              " (1, 'Referrer', 'nhs', " T0 ", " T0 "), (2, 'Arts', 'vcse', " T0 ", " T0 ");");
    return 0;
}

/* Builds the place's report as a viewer. */
static struct outcome_report place_report(struct fx *f)
{
    fx_act_as(f, ROLE_VIEWER, 9, 1, NULL, 0);
    ctx_clear_errors(&f->c);
    struct outcome_report rep;
    assert_int_equal(outcome_report_build(&f->c, &(struct report_query){.place_id = 1}, &rep),
                     RES_OK);
    return rep;
}

/*
 * Six in IMD quintile 1, three in quintile 3, the other quintiles empty:
 * with the total shown, quintile 1 shown would give quintile 3's hidden
 * figures away (for days to first contact its n and its exact mean).
 */
static void lone_small_cell_beside_zeros(void **state)
{
    struct fx *f = *state;
    cohort(f, 6, "completed", 1, "female", 2);
    cohort(f, 3, "started", 3, "female", 8);
    struct outcome_report rep = place_report(f);
    assert_false(rep.total.fig[RF_DAYS].suppressed);
    assert_int_equal(rep.total.fig[RF_DAYS].n, 9);
    assert_true(cell(&rep, "imd_quintile", "3")->fig[RF_DAYS].suppressed);
    assert_true(cell(&rep, "imd_quintile", "1")->fig[RF_DAYS].suppressed);
    assert_true(cell(&rep, "imd_quintile", "1")->fig[RF_COMPLETION].suppressed);
    /* Referrals: 6 and 3 as well. */
    assert_true(cell(&rep, "imd_quintile", "1")->fig[RF_REFERRALS].suppressed);
    /* The sex breakdown has one cell of 9: nothing to hide. */
    assert_false(cell(&rep, "sex", "female")->fig[RF_DAYS].suppressed);
}

/*
 * A rate tells its numerator: 3 of 10 women took up (a count under 5), and
 * completion 3 of 9 tells the 3 completed the status table hides; and the
 * statuses started and sent, shown, would give completed and accepted
 * away through uptake (started + completed + dropped out = 9).
 */
static void rates_and_statuses_tell_no_small_count(void **state)
{
    struct fx *f = *state;
    cohort(f, 3, "completed", 2, "female", 1);
    cohort(f, 7, "sent", 2, "female", -1);
    cohort(f, 6, "started", 2, "male", 1);
    cohort(f, 4, "accepted", 2, "male", 1);
    struct outcome_report rep = place_report(f);
    const struct report_value *t = rep.total.fig;
    assert_false(t[RF_UPTAKE].suppressed); /* 9 of 20 */
    assert_int_equal(t[RF_UPTAKE].n, 20);
    assert_true(t[RF_COMPLETION].suppressed);                            /* 3 of 9 */
    assert_true(cell(&rep, "sex", "female")->fig[RF_UPTAKE].suppressed); /* 3 of 10 */
    assert_true(cell(&rep, "sex", "male")->fig[RF_UPTAKE].suppressed);   /* 9 - 6 = 3 */
    assert_false(cell(&rep, "sex", "female")->fig[RF_SENT].suppressed);
    /* Completion's n (who started) is hidden for women (3): uptake must not tell it. */
    assert_true(cell(&rep, "sex", "female")->fig[RF_COMPLETION].suppressed);
    /* Statuses: completed 3 and accepted 4 hidden, and a partner for each. */
    assert_true(rep.status[REFERRAL_COMPLETED].suppressed);
    assert_true(rep.status[REFERRAL_ACCEPTED].suppressed);
    assert_true(rep.status[REFERRAL_STARTED].suppressed);
    assert_true(rep.status[REFERRAL_SENT].suppressed);
    /* A rate of 0 may show: nobody is described by it. */
    cohort(f, 5, "declined", 2, "indeterminate", -1);
    rep = place_report(f);
    assert_false(cell(&rep, "sex", "indeterminate")->fig[RF_UPTAKE].suppressed);
    assert_int_equal(cell(&rep, "sex", "indeterminate")->fig[RF_UPTAKE].n, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(withdrawal_holds_for_every_route, outcomes_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(nothing_recorded_after_anonymising, outcomes_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(no_personal_words_in_audit, outcomes_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(feedback_messages_read_audited, outcomes_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(words_only_to_those_who_see_the_person, outcomes_setup,
                                        fx_teardown),
        cmocka_unit_test(zeros_do_not_protect),
        cmocka_unit_test_setup_teardown(lone_small_cell_beside_zeros, report_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rates_and_statuses_tell_no_small_count, report_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
