/*
 * test_referral_capacity.c: the places a service offers (per cohort and
 * per calendar week), the waitlist taken in order of referral, who may set
 * a service's places, and the governance gate and consent on creating and
 * sending. The clock is FX_NOW, Thursday 2026-11-26T09:00Z: its week runs
 * from Monday 2026-11-23 to Sunday 2026-11-29.
 */
#include "unit.h"

#include "referrals_world.h"

#include "domain/referrals_internal.h"

/* A sent referral of a new person to service, sent at the clock's time now. */
static long long sent_to(struct fx *f, const char *service)
{
    long long p =
        w_participant(f, "Person", W.ref, 0, 0, 0, "1980-01-01", "female", "white_british");
    long long id = w_refer(f, p, service);
    w_move(f, id, "sent", NULL);
    return id;
}

/* The provider tries to move id to `to`; returns the result (detail in f->c.detail). */
static result provider_moves(struct fx *f, long long id, const char *to)
{
    as_prov(f);
    rec *out = NULL;
    return referral_transition(&f->c, id, to, NULL, NULL, &out);
}

static long long position(struct fx *f, long long id)
{
    as_prov(f);
    rec *out = NULL;
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    return rec_int(out, "waitlist_position", 0);
}

static void the_week_runs_monday_to_sunday(void **state)
{
    struct fx *f = *state;
    const char *from, *to;
    referral_week_bounds(&f->c, FX_NOW, &from, &to);
    assert_string_equal(from, "2026-11-23T00:00:00Z");
    assert_string_equal(to, "2026-11-30T00:00:00Z");
    referral_week_bounds(&f->c, 1795392000 /* Monday 2026-11-23T00:00Z */, &from, &to);
    assert_string_equal(from, "2026-11-23T00:00:00Z");
    referral_week_bounds(&f->c, 1795996799 /* Sunday 2026-11-29T23:59:59Z */, &from, &to);
    assert_string_equal(from, "2026-11-23T00:00:00Z");
    assert_string_equal(to, "2026-11-30T00:00:00Z");
    referral_week_bounds(&f->c, 0 /* Thursday 1970-01-01 */, &from, &to);
    assert_string_equal(from, "1969-12-29T00:00:00Z");
}

static void a_full_cohort_waitlists_in_order(void **state)
{
    struct fx *f = *state;
    struct service_capacity cap;
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 2, "cohort", &cap), RES_OK);
    assert_int_equal(cap.places, 2);
    assert_string_equal(cap.period, "cohort");
    assert_int_equal(cap.used, 0);

    long long a = sent_to(f, "S2");
    ctx_set_now(&f->c, FX_NOW + 60);
    long long b = sent_to(f, "S2");
    ctx_set_now(&f->c, FX_NOW + 120);
    long long c = sent_to(f, "S2");
    ctx_set_now(&f->c, FX_NOW + 180);
    long long d = sent_to(f, "S2");
    ctx_set_now(&f->c, FX_NOW + 240);
    long long e = sent_to(f, "S2");

    assert_int_equal(provider_moves(f, a, "accepted"), RES_OK);
    assert_int_equal(provider_moves(f, b, "accepted"), RES_OK);
    assert_int_equal(provider_moves(f, b, "started"), RES_OK); /* started still holds a place */
    assert_int_equal(provider_moves(f, c, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail, "The service is full (2 of 2 places); waitlist the referral.");
    assert_string_equal(ref_text(f, c, "status"), "sent");

    /* Waitlisted out of order of waitlisting; the list follows the order of referral. */
    assert_int_equal(provider_moves(f, e, "waitlisted"), RES_OK);
    assert_int_equal(provider_moves(f, c, "waitlisted"), RES_OK);
    assert_int_equal(provider_moves(f, d, "waitlisted"), RES_OK);
    assert_int_equal(position(f, c), 1);
    assert_int_equal(position(f, d), 2);
    assert_int_equal(position(f, e), 3);
    assert_int_equal(position(f, a), 0);
    fx_operator(f);
    assert_int_equal(service_capacity_get(&f->c, "S2", &cap), RES_OK);
    assert_int_equal(cap.used, 2);
    assert_int_equal(cap.waitlisted, 3);

    /* Full: even the first in line waits. */
    assert_int_equal(provider_moves(f, c, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail,
                        "The service is full (2 of 2 places); the referral stays on the waitlist.");
    /* A place frees up (completion ends the place); nobody jumps the queue. */
    assert_int_equal(provider_moves(f, b, "completed"), RES_OK);
    assert_int_equal(provider_moves(f, e, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail, "2 referrals are ahead on the waitlist.");
    assert_int_equal(provider_moves(f, d, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail, "1 referral is ahead on the waitlist.");
    assert_int_equal(provider_moves(f, c, "accepted"), RES_OK);
    assert_int_equal(position(f, d), 1);
    assert_int_equal(position(f, e), 2);

    /* A newly sent referral does not jump those waiting either, even with room. */
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 10, "cohort", &cap), RES_OK);
    ctx_set_now(&f->c, FX_NOW + 300);
    long long g = sent_to(f, "S2");
    assert_int_equal(provider_moves(f, g, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail, "2 referrals are ahead on the waitlist.");
    /* The person at the front declines: the next moves up. */
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, d, "declined", "Busy", NULL, &out), RES_OK);
    assert_int_equal(position(f, e), 1);
    assert_int_equal(provider_moves(f, e, "accepted"), RES_OK);
    assert_int_equal(provider_moves(f, g, "accepted"), RES_OK);

    /* Removing the limit: nothing full any more. */
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", -1, NULL, &cap), RES_OK);
    assert_int_equal(cap.places, -1);
    assert_null(cap.period);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM service_capacity"), 0);
}

static void a_weekly_limit_counts_this_weeks_acceptances(void **state)
{
    struct fx *f = *state;
    struct service_capacity cap;
    as(f, ROLE_SYSTEM_LEAD, W.sys_lead, W.icb);
    assert_int_equal(service_capacity_set(&f->c, "S2", 1, "week", &cap), RES_OK);
    long long a = sent_to(f, "S2");
    long long b = sent_to(f, "S2");
    /* Accepted last week: does not count against this week. */
    long long old = sent_to(f, "S2");
    store_run(f->c.db,
              "UPDATE referrals SET status = 'started', accepted_at = '2026-11-22T23:59:59Z'"
              " WHERE id = $1",
              "i", old);
    assert_int_equal(provider_moves(f, a, "accepted"), RES_OK);
    assert_int_equal(provider_moves(f, a, "started"), RES_OK);
    assert_int_equal(provider_moves(f, a, "completed"), RES_OK); /* still accepted this week */
    assert_int_equal(provider_moves(f, b, "accepted"), RES_CONFLICT);
    assert_string_equal(f->c.detail,
                        "The service is full (1 of 1 places this week); waitlist the referral.");
    fx_operator(f);
    assert_int_equal(service_capacity_get(&f->c, "S2", &cap), RES_OK);
    assert_int_equal(cap.used, 1);
    assert_string_equal(cap.period, "week");
    /* Sunday night: still this week. Monday: a new week. */
    ctx_set_now(&f->c, 1795996799);
    assert_int_equal(provider_moves(f, b, "accepted"), RES_CONFLICT);
    ctx_set_now(&f->c, 1795996800);
    assert_int_equal(provider_moves(f, b, "accepted"), RES_OK);
}

static void who_sets_a_services_places(void **state)
{
    struct fx *f = *state;
    struct service_capacity cap;
    as(f, ROLE_PROVIDER, W.other_prov, W.other);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "cohort", &cap), RES_FORBIDDEN);
    as_lw(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "cohort", &cap), RES_FORBIDDEN);
    as(f, ROLE_PLACE_LEAD, W.place_lead, W.ref);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "cohort", &cap), RES_FORBIDDEN);
    as(f, ROLE_VIEWER, W.viewer, W.prov);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "cohort", &cap), RES_FORBIDDEN);
    as(f, ROLE_ADMIN, W.admin, W.icb);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "cohort", &cap), RES_OK);
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, "month", &cap), RES_INVALID);
    assert_non_null(fx_field_error(f, "period"));
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 5, NULL, &cap), RES_INVALID);
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "NOPE", 5, "cohort", &cap), RES_NOT_FOUND);
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S-DEL", 5, "cohort", &cap), RES_NOT_FOUND);
    as_prov(f);
    assert_int_equal(service_capacity_set(&f->c, "S2", 8, "week", &cap), RES_OK);
    assert_int_equal(fx_count(f, "SELECT places FROM service_capacity WHERE service_id = 'S2'"), 8);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'service_capacity'"
                                 " AND action = 'update'"),
                     2);
    /* Anyone signed in reads it; an unknown service is not found. */
    as(f, ROLE_VIEWER, W.viewer, W.ref);
    assert_int_equal(service_capacity_get(&f->c, "S2", &cap), RES_OK);
    assert_int_equal(cap.places, 8);
    assert_int_equal(service_capacity_get(&f->c, "S1", &cap), RES_OK);
    assert_int_equal(cap.places, -1);
    assert_int_equal(service_capacity_get(&f->c, "NOPE", &cap), RES_NOT_FOUND);
    f->c.actor = NULL;
    assert_int_equal(service_capacity_get(&f->c, "S2", &cap), RES_UNAUTHENTICATED);
}

static void the_governance_gate(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Gil", W.ref, 0, 0, 0, "1980-01-01", "male", "white_british");
    struct referral_input in = {.participant_id = p, .service_id = "S-NC"};
    rec *out = NULL;
    long long before = fx_count(f, "SELECT count(*) FROM referrals");
    as_lw(f);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_INVALID);
    const char *why = fx_field_error(f, "service_id");
    assert_non_null(why);
    assert_non_null(strstr(why, "Not Compliant"));
    assert_non_null(strstr(why, "missing policies: quality assurance, working standards,"
                                " safeguarding, data management"));
    assert_non_null(strstr(f->c.detail, "not compliant"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referrals"), before);

    /* Expiring: made, with a warning naming the policy. */
    in.service_id = "S-EXP";
    as_lw(f);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_OK);
    const char *warning = rec_text(out, "governance_warning");
    assert_non_null(warning);
    assert_non_null(strstr(warning, "safeguarding"));
    long long id = rec_int(out, "id", 0);
    as_lw(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_non_null(rec_text(out, "governance_warning"));
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "sent", NULL, NULL, &out), RES_OK);
    assert_non_null(rec_text(out, "governance_warning"));

    /* A draft made while compliant cannot be sent once a policy has expired. */
    long long d = w_refer(f, p, "S1");
    store_run(f->c.db,
              "UPDATE policies SET review_due = '2026-11-01' WHERE organisation_id = $1"
              " AND domain = 'data_management'",
              "i", W.prov);
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, d, "sent", NULL, NULL, &out), RES_INVALID);
    why = fx_field_error(f, "service_id");
    assert_non_null(why);
    assert_non_null(strstr(why, "expired policy: data management"));
    assert_string_equal(ref_text(f, d, "status"), "draft");
    /* Put right: it goes. */
    store_run(f->c.db, "UPDATE policies SET review_due = '2028-01-01' WHERE organisation_id = $1",
              "i", W.prov);
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, d, "sent", NULL, NULL, &out), RES_OK);
    assert_false(rec_has(out, "governance_warning"));
}

static void sending_needs_the_persons_consent(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Cy", W.ref, 0, 0, 0, "1980-01-01", "male", "white_british");
    long long id = w_refer(f, p, "S1");
    store_run(f->c.db,
              "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
              " recorded_by, created_at, updated_at) VALUES ($1, 'referral_to_provider', 0,"
              " 'verbal', $2, 'test', $2, $2)",
              "it", p, NOW_ISO);
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, id, "sent", NULL, NULL, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "consent"));
    assert_non_null(strstr(f->c.detail, "consent"));
    assert_string_equal(ref_text(f, id, "status"), "draft");
    /* Given again (a newer record): it may be sent. */
    ctx_set_now(&f->c, FX_NOW + 60);
    store_run(f->c.db,
              "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
              " recorded_by, created_at, updated_at) VALUES ($1, 'referral_to_provider', 1,"
              " 'written', $2, 'test', $2, $2)",
              "it", p, "2026-11-26T09:01:00Z");
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "sent", NULL, NULL, &out), RES_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_week_runs_monday_to_sunday, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_full_cohort_waitlists_in_order, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_weekly_limit_counts_this_weeks_acceptances, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(who_sets_a_services_places, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_governance_gate, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sending_needs_the_persons_consent, world_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
