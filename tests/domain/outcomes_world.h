/*
 * outcomes_world.h: a small world for the outcomes tests, written with SQL
 * so that they need only referral_access from the referrals module.
 * Organisation 1 (Valley Surgery) refers, 2 (Harbour Arts) provides and 3
 * (Elsewhere Trust) is a stranger; user n works for organisation n (1 a
 * link worker, 2 and 3 providers); person 1 is Ada Example, held by 1.
 */
#ifndef CHIS_TEST_OUTCOMES_WORLD_H
#define CHIS_TEST_OUTCOMES_WORLD_H

#include "unit.h"

#include "domain/outcomes.h"
#include "domain/referrals.h"

#define OW_T0 "'2026-01-01T00:00:00Z'"

/* Makes the organisations, users and person described above. */
static inline void make_world(struct fx *f)
{
    fx_sql(f,
           "INSERT INTO organisations (id, name, sector, created_at, updated_at) VALUES"
           " (1, 'Valley Surgery', 'nhs', " OW_T0 ", " OW_T0 "),"
           " (2, 'Harbour Arts', 'vcse', " OW_T0 ", " OW_T0 "),"
           " (3, 'Elsewhere Trust', 'vcse', " OW_T0 ", " OW_T0 ");"
           "INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at,"
           " updated_at) VALUES"
           " (1, 'lw@example.org', 'Link Worker', 'link_worker', 1, 'x', " OW_T0 ", " OW_T0 "),"
           " (2, 'pr@example.org', 'Provider', 'provider', 2, 'x', " OW_T0 ", " OW_T0 "),"
           " (3, 'ot@example.org', 'Other', 'provider', 3, 'x', " OW_T0 ", " OW_T0 ");"
           "INSERT INTO participants (id, name, date_of_birth, organisation_id, last_contact_at,"
           " created_at, updated_at) VALUES (1, 'Ada Example', '1950-03-04', 1, " OW_T0 ", " OW_T0
           ", " OW_T0 ");");
}

/* A fixture with the world made (for cmocka's setup). */
static inline int outcomes_setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    make_world(*state);
    return 0;
}

/* A referral of person 1 from organisation 1 to 2 in status, sent 2026-11-01; its id. */
static inline long long referral(struct fx *f, const char *status)
{
    long long id = 0;
    assert_int_equal(
        store_query_int(f->c.db, &id,
                        "INSERT INTO referrals (participant_id, service_id, service_name,"
                        " referring_org_id, receiving_org_id, referrer_user_id, status, episode_id,"
                        " sent_at, created_at, updated_at) VALUES (1, 'svc-1', 'Singing for the"
                        " Brain', 1, 2, 1, $1, 0, '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z',"
                        " '2026-11-01T09:00:00Z') RETURNING id",
                        "t", status),
        1);
    return id;
}

/* Person 1 withdraws consent to share outcomes with the referrer (an hour before now). */
static inline void withdraw_outcomes_to_referrer(struct fx *f)
{
    fx_sql(f,
           "INSERT INTO consents (participant_id, scope, given, method, recorded_at, recorded_by,"
           " created_at, updated_at) VALUES (1, 'outcomes_to_referrer', 0, 'verbal',"
           " '2026-11-26T08:00:00Z', 'pr@example.org', '2026-11-26T08:00:00Z',"
           " '2026-11-26T08:00:00Z')");
}

/* Act as the link worker of organisation 1, the provider of 2, or the provider of 3. */
static inline void as_referrer(struct fx *f)
{
    fx_act_as(f, ROLE_LINK_WORKER, 1, 1, NULL, 0);
}

static inline void as_provider(struct fx *f)
{
    fx_act_as(f, ROLE_PROVIDER, 2, 2, NULL, 0);
}

static inline void as_other(struct fx *f)
{
    fx_act_as(f, ROLE_PROVIDER, 3, 3, NULL, 0);
}

/* Records measure at stage with answers as whoever acts; the result (and *out when asked). */
static inline result record(struct fx *f, long long ref, const char *measure, const char *stage,
                            const int *answers, int n, rec **out)
{
    struct outcome_input in = {measure, stage, answers, n};
    ctx_clear_errors(&f->c);
    rec *dummy;
    return outcome_record(&f->c, ref, &in, out ? out : &dummy);
}

/* SWEMWBS answers: raw 21 (metric 19.25) and raw 28 (25.03). */
static const int sw21[7] = {3, 3, 3, 3, 3, 3, 3};
static const int sw28[7] = {4, 4, 4, 4, 4, 4, 4};

#endif
