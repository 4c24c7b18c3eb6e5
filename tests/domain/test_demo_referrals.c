/*
 * test_demo_referrals.c: the demo's social prescribing caseload loads with
 * the demo: referrals in every state from the demo link worker's
 * organisation to demo services, people placed by their postcodes, test
 * NHS numbers that pass the check, timestamps and SNOMED codes as the
 * lifecycle leaves them, outcomes in step with the referrals' scores,
 * consent (with a withdrawal that stops outcomes going back), a full course
 * with a waitlist, attendance and messages back; and the access rules
 * hold over it (the provider sees its own services' referrals only,
 * leads and viewers see none).
 */
#include "unit.h"

#include "domain/demo.h"
#include "domain/demo_referrals.h"
#include "domain/outcomes.h"
#include "domain/participants.h"
#include "domain/referrals.h"

/* Load the demo into the fixture; asserts it worked. */
static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    struct demo_login logins[DEMO_LOGINS];
    result res = demo_load(&f->c, logins);
    if (res != RES_OK) {
        fprintf(stderr, "demo_load: %s (%s: %s)\n", f->c.detail ? f->c.detail : "",
                f->c.nerrors ? f->c.errors[0].field : "",
                f->c.nerrors ? f->c.errors[0].message : "");
        return -1;
    }
    return 0;
}

/* An id from SQL with one text parameter (asserts one row). */
static long long id_of(struct fx *f, const char *sql, const char *key)
{
    long long id = 0;
    assert_int_equal(store_query_int(f->c.db, &id, sql, "t", key), 1);
    return id;
}

/* A number from SQL with one integer parameter (asserts one row). */
static long long int_of(struct fx *f, const char *sql, long long key)
{
    long long v = 0;
    assert_int_equal(store_query_int(f->c.db, &v, sql, "i", key), 1);
    return v;
}

/* A user's actor (arena-owned), by email. */
static void act_as_user(struct fx *f, const char *email)
{
    long long id = id_of(f, "SELECT id FROM users WHERE email = $1", email);
    long long org = id_of(f, "SELECT organisation_id FROM users WHERE email = $1", email);
    const char *role = NULL;
    store_stmt *st = store_prepare(f->c.db, "SELECT role FROM users WHERE id = $1");
    store_bindf(st, "i", id);
    assert_int_equal(store_step(st), STORE_ROW);
    role = arena_strdup(f->c.a, store_col_text(st, 0));
    store_done(st);
    long long places[4];
    int n = 0;
    st = store_prepare(f->c.db, "SELECT place_id FROM user_places WHERE user_id = $1");
    store_bindf(st, "i", id);
    while (n < 4 && store_step(st) == STORE_ROW)
        places[n++] = store_col_int(st, 0);
    store_done(st);
    fx_act_as(f, role_parse(role), id, org, places, n);
}

static void every_state_from_the_link_worker_to_demo_services(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants"), demo_participants_len);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals"), demo_referrals_len);
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        long long n = 0;
        assert_int_equal(store_query_int(f->c.db, &n,
                                         "SELECT COUNT(*) FROM referrals WHERE status = $1", "t",
                                         referral_status_name((enum referral_status)s)),
                         1);
        if (n == 0) fail_msg("no demo referral is %s", referral_status_name(s));
    }
    /* All from the link worker's organisation, to the organisations that run
     * the services in the directory, the provider's among them. */
    long long lw_org = id_of(f, "SELECT organisation_id FROM users WHERE email = $1",
                             "link.worker@demo.chis.example.org");
    long long pat_org = id_of(f, "SELECT organisation_id FROM users WHERE email = $1",
                              "provider@demo.chis.example.org");
    long long n = int_of(f, "SELECT COUNT(*) FROM referrals WHERE referring_org_id = $1", lw_org);
    assert_int_equal(n, demo_referrals_len);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r JOIN dir_services s ON"
                                 " s.id = r.service_id JOIN dir_organizations o ON"
                                 " o.id = s.organization_id WHERE o.organisation_id ="
                                 " r.receiving_org_id AND s.name = r.service_name"),
                     demo_referrals_len);
    n = int_of(f,
               "SELECT COUNT(*) FROM referrals WHERE receiving_org_id = $1"
               " AND status <> 'draft'",
               pat_org);
    assert_true(n >= 8);
    /* Everyone but the person with an unknown postcode is placed, in Riverside City. */
    assert_int_equal(
        fx_count(f, "SELECT COUNT(*) FROM participants WHERE neighbourhood_id IS NULL"), 1);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants p JOIN places pl ON"
                                 " pl.id = p.place_id WHERE pl.name = 'Riverside City' AND"
                                 " p.lsoa LIKE 'X01%' AND p.imd_decile IS NOT NULL"),
                     demo_participants_len - 1);
    /* NHS numbers: a few, all from the test range, all passing the check. */
    store_stmt *st = store_prepare(f->c.db, "SELECT nhs_number FROM participants"
                                            " WHERE nhs_number IS NOT NULL");
    int k = 0;
    while (store_step(st) == STORE_ROW) {
        const char *nhs = store_col_text(st, 0);
        assert_true(nhs_number_valid(nhs));
        assert_memory_equal(nhs, "999", 3);
        k++;
    }
    store_done(st);
    assert_true(k >= 3 && k <= 8);
    /* The clock is back where it was. */
    assert_int_equal((long long)f->c.now, (long long)FX_NOW);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE updated_at >"
                                 " '2026-11-26T09:00:00Z' OR created_at < '2026-04-01'"),
                     0);
}

static void the_records_tell_one_story(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_count(f,
                              "SELECT COUNT(*) FROM referrals WHERE"
                              " COALESCE(sent_at, created_at) < created_at"
                              " OR COALESCE(first_contact_at, sent_at) < sent_at"
                              " OR COALESCE(accepted_at, first_contact_at) < first_contact_at"
                              " OR COALESCE(started_at, accepted_at) < accepted_at"
                              " OR COALESCE(ended_at, started_at) < started_at"
                              " OR (status IN ('completed','dropped_out','declined','cancelled'))"
                              "    <> (ended_at IS NOT NULL)"),
                     0);
    /* Two offers declined by the person carry the declined code; one referral
     * made while another was open shares its episode and carries none. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE declined_by = 'person'"
                                 " AND snomed_code = '" SNOMED_SP_DECLINED "'"),
                     2);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE episode_id <> id"
                                 " AND snomed_code IS NULL"),
                     1);
    assert_int_equal(
        fx_count(f, "SELECT COUNT(*) FROM referrals WHERE episode_id = id"
                    " AND declined_by IS NOT 'person' AND snomed_code IS NOT '" SNOMED_SP_REFERRAL
                    "'"),
        0);
    /* Every event in order, the last one the referral's state. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r WHERE r.status <> (SELECT"
                                 " e.to_status FROM referral_events e WHERE e.referral_id = r.id"
                                 " ORDER BY e.id DESC LIMIT 1)"),
                     0);
    /* Outcomes: baselines for all that started with measures, finals for the
     * completed, and the referral's columns in step. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM outcomes WHERE stage = 'final'") >= 12);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r LEFT JOIN outcomes o ON"
                                 " o.referral_id = r.id AND o.measure = 'swemwbs' AND o.stage ="
                                 " 'baseline' WHERE r.swemwbs_b IS NOT o.metric_score"),
                     0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r LEFT JOIN outcomes o ON"
                                 " o.referral_id = r.id AND o.measure = 'swemwbs' AND o.stage ="
                                 " 'final' WHERE r.swemwbs_f IS NOT o.metric_score"),
                     0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r LEFT JOIN outcomes o ON"
                                 " o.referral_id = r.id AND o.measure = 'ucla3' AND o.stage ="
                                 " 'final' WHERE r.ucla_f IS NOT CAST(o.raw_score AS INTEGER)"),
                     0);
    /* On average wellbeing rises, and most change meaningfully. */
    assert_true(fx_count(f, "SELECT AVG(swemwbs_f - swemwbs_b) > 2 FROM referrals") == 1);
    assert_true(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE swemwbs_f - swemwbs_b >= 3") >=
                6);
    /* The choir's members have goals, attendance and messages back; one story. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM goal_ratings WHERE stage = 'final'") >= 3);
    assert_true(fx_count(f, "SELECT COUNT(*) FROM attendance WHERE attended = 0") >= 1);
    assert_true(fx_count(f, "SELECT COUNT(*) FROM attendance") >= 20);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM stories"), 1);
    assert_int_equal(fx_count(f, "SELECT COUNT(DISTINCT recipient) FROM feedback_messages"), 2);
}

static void consent_and_its_withdrawal(void **state)
{
    struct fx *f = *state;
    long long priya = id_of(f, "SELECT id FROM participants WHERE name = $1", "Priya Chandran");
    long long margaret =
        id_of(f, "SELECT id FROM participants WHERE name = $1", "Margaret Ellison");
    assert_false(consent_given(&f->c, priya, "outcomes_to_referrer"));
    assert_true(consent_given(&f->c, priya, "referral_to_provider"));
    assert_true(consent_given(&f->c, margaret, "outcomes_to_referrer"));
    assert_true(consent_given(&f->c, margaret, "story_public"));
    /* The referrer hears Margaret's outcomes and words, but no longer Priya's. */
    act_as_user(f, "link.worker@demo.chis.example.org");
    long long r1 = int_of(f, "SELECT MIN(id) FROM referrals WHERE participant_id = $1", margaret);
    long long r2 = int_of(f, "SELECT MIN(id) FROM referrals WHERE participant_id = $1", priya);
    struct feedback fb;
    assert_int_equal(feedback_get(&f->c, r1, "referrer", &fb), RES_OK);
    assert_true(fb.outcomes_shared);
    assert_true(fb.has_swemwbs);
    assert_true(fb.swemwbs_change > 0);
    assert_true(fb.sessions_attended > 0);
    assert_true(fb.messages.nrows >= 1);
    assert_int_equal(feedback_get(&f->c, r2, "referrer", &fb), RES_OK);
    assert_false(fb.outcomes_shared);
    assert_false(fb.has_swemwbs);
}

static void a_full_course_keeps_a_waitlist(void **state)
{
    struct fx *f = *state;
    const char *course = NULL;
    store_stmt *st = store_prepare(f->c.db, "SELECT id FROM dir_services WHERE name = $1");
    store_bindf(st, "t", "Arts on Prescription: Eight-Week Course");
    assert_int_equal(store_step(st), STORE_ROW);
    course = arena_strdup(f->c.a, store_col_text(st, 0));
    store_done(st);
    act_as_user(f, "link.worker@demo.chis.example.org");
    struct service_capacity cap;
    assert_int_equal(service_capacity_get(&f->c, course, &cap), RES_OK);
    assert_int_equal(cap.places, 2);
    assert_int_equal(cap.used, 2);
    assert_int_equal(cap.waitlisted, 3);
    /* The first to wait is the first in line. */
    long long first = id_of(f,
                            "SELECT id FROM referrals WHERE service_id = $1 AND status ="
                            " 'waitlisted' ORDER BY sent_at, id LIMIT 1",
                            course);
    rec *r = NULL;
    assert_int_equal(referral_get(&f->c, first, &r), RES_OK);
    assert_int_equal(rec_int(r, "waitlist_position", 0), 1);
    /* The course's own staff cannot accept anyone while it is full. */
    long long org = int_of(f, "SELECT receiving_org_id FROM referrals WHERE id = $1", first);
    fx_act_as(f, ROLE_PROVIDER, 0, org, NULL, 0);
    assert_int_equal(referral_transition(&f->c, first, "accepted", NULL, NULL, NULL), RES_CONFLICT);
}

static void the_access_rules_hold(void **state)
{
    struct fx *f = *state;
    long long pat_org = id_of(f, "SELECT organisation_id FROM users WHERE email = $1",
                              "provider@demo.chis.example.org");
    long long choir_ref =
        int_of(f, "SELECT MIN(id) FROM referrals WHERE receiving_org_id = $1", pat_org);
    long long museum_ref = id_of(f, "SELECT MIN(id) FROM referrals WHERE service_name = $1",
                                 "Museum Memories Morning");
    long long draft = int_of(f,
                             "SELECT MIN(id) FROM referrals WHERE receiving_org_id = $1"
                             " AND status = 'draft'",
                             pat_org);
    long long museum_person =
        int_of(f, "SELECT participant_id FROM referrals WHERE id = $1", museum_ref);
    long long choir_person =
        int_of(f, "SELECT participant_id FROM referrals WHERE id = $1", choir_ref);
    rec *r = NULL;
    /* The link worker sees every referral the council made. */
    act_as_user(f, "link.worker@demo.chis.example.org");
    struct referral_query q = {.queue = REFERRALS_OUTGOING, .per_page = 100};
    struct store_page page;
    assert_int_equal(referral_list(&f->c, &q, &page), RES_OK);
    assert_int_equal(page.total, demo_referrals_len);
    assert_int_equal(participant_get(&f->c, museum_person, &r), RES_OK);
    /* The provider sees the choir's referrals (not drafts), and nobody else's. */
    act_as_user(f, "provider@demo.chis.example.org");
    assert_int_equal(referral_get(&f->c, choir_ref, &r), RES_OK);
    assert_int_equal(referral_get(&f->c, museum_ref, &r), RES_NOT_FOUND);
    assert_int_equal(referral_get(&f->c, draft, &r), RES_NOT_FOUND);
    assert_int_equal(participant_get(&f->c, choir_person, &r), RES_OK);
    assert_int_equal(participant_get(&f->c, museum_person, &r), RES_NOT_FOUND);
    q = (struct referral_query){.queue = REFERRALS_INCOMING, .per_page = 100};
    assert_int_equal(referral_list(&f->c, &q, &page), RES_OK);
    long long visible = int_of(f,
                               "SELECT COUNT(*) FROM referrals WHERE receiving_org_id = $1"
                               " AND status <> 'draft'",
                               pat_org);
    assert_int_equal(page.total, visible);
    /* The museum's staff do not see the choir's. */
    long long museum_org =
        int_of(f, "SELECT receiving_org_id FROM referrals WHERE id = $1", museum_ref);
    fx_act_as(f, ROLE_PROVIDER, 0, museum_org, NULL, 0);
    assert_int_equal(referral_get(&f->c, choir_ref, &r), RES_NOT_FOUND);
    assert_int_equal(referral_get(&f->c, museum_ref, &r), RES_OK);
    /* Leads and viewers see no referral and no person. */
    const char *const others[] = {"viewer@demo.chis.example.org",
                                  "place.lead@demo.chis.example.org",
                                  "system.lead@demo.chis.example.org"};
    for (int i = 0; i < 3; i++) {
        act_as_user(f, others[i]);
        assert_int_equal(referral_get(&f->c, choir_ref, &r), RES_NOT_FOUND);
        assert_int_equal(participant_get(&f->c, choir_person, &r), RES_NOT_FOUND);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_from_the_link_worker_to_demo_services),
        cmocka_unit_test(the_records_tell_one_story),
        cmocka_unit_test(consent_and_its_withdrawal),
        cmocka_unit_test(a_full_course_keeps_a_waitlist),
        cmocka_unit_test(the_access_rules_hold),
    };
    return cmocka_run_group_tests(tests, setup, fx_teardown);
}
