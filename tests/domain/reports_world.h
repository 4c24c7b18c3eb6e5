/*
 * reports_world.h: referrals for the outcomes report tests, inserted with
 * SQL with their frozen equity columns and scores (each with a person of
 * its own held by organisation 1, the referrer), and the lookup of a
 * breakdown's cell in a built report.
 */
#ifndef CHIS_TEST_REPORTS_WORLD_H
#define CHIS_TEST_REPORTS_WORLD_H

#include "unit.h"

#include <stdio.h>

#include "domain/reports.h"

#define T0 "'2026-01-01T00:00:00Z'"

/* What one inserted referral holds (NULL / -1: not set). */
struct r {
    long long place, hood, org;
    const char *service, *status, *sent_at, *contact_at, *created_at;
    int imd;
    const char *age, *sex, *eth;
    double sw_b, sw_f; /* < 0: none */
    int ucla_b, ucla_f, life_b, life_f, worth_b, worth_f, anx_b, anx_f;
};

/* Inserts a participant and their referral as r describes; returns the participant's id. */
static inline long long add(struct fx *f, const struct r *r)
{
    long long pid = 0;
    assert_int_equal(
        store_query_int(f->c.db, &pid,
                        "INSERT INTO participants (organisation_id, last_contact_at, created_at,"
                        " updated_at) VALUES (1, " T0 ", " T0 ", " T0 ") RETURNING id",
                        NULL),
        1);
    long long n = store_run(
        f->c.db,
        "INSERT INTO referrals (participant_id, service_id, service_name, referring_org_id,"
        " receiving_org_id, status, episode_id, sent_at, first_contact_at, place_id,"
        " neighbourhood_id, imd_quintile, age_band, sex, ethnicity_group, created_at, updated_at)"
        " VALUES ($1, $2, $2, 1, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        "ititttIIItttt", pid, r->service, r->org, r->status, r->sent_at, r->contact_at, r->place,
        r->hood, (long long)r->imd, r->age, r->sex, r->eth, r->created_at);
    assert_int_equal(n, 1);
    char buf[512];
    if (r->sw_b >= 0) {
        snprintf(buf, sizeof buf, "UPDATE referrals SET swemwbs_b = %g WHERE participant_id = %lld",
                 r->sw_b, pid);
        fx_sql(f, buf);
    }
    if (r->sw_f >= 0) {
        snprintf(buf, sizeof buf, "UPDATE referrals SET swemwbs_f = %g WHERE participant_id = %lld",
                 r->sw_f, pid);
        fx_sql(f, buf);
    }
    const char *cols[] = {"ucla_b",      "ucla_f",      "ons_life_b",    "ons_life_f",
                          "ons_worth_b", "ons_worth_f", "ons_anxious_b", "ons_anxious_f"};
    const int vals[] = {r->ucla_b,  r->ucla_f,  r->life_b, r->life_f,
                        r->worth_b, r->worth_f, r->anx_b,  r->anx_f};
    for (int i = 0; i < 8; i++)
        if (vals[i] >= 0) {
            snprintf(buf, sizeof buf, "UPDATE referrals SET %s = %d WHERE participant_id = %lld",
                     cols[i], vals[i], pid);
            fx_sql(f, buf);
        }
    return pid;
}

/* A referral with no scores, for cohorts counted only. */
static inline struct r plain(long long place, long long hood, const char *status, const char *sex)
{
    return (struct r){place,  hood,
                      2,      "svc-a",
                      status, "2026-04-01T09:00:00Z",
                      NULL,   "2026-04-01T09:00:00Z",
                      2,      "45-54",
                      sex,    "asian",
                      -1,     -1,
                      -1,     -1,
                      -1,     -1,
                      -1,     -1,
                      -1,     -1};
}

/* The breakdown cell bd/code of rep (fails the test when there is none). */
static inline const struct report_cell *cell(const struct outcome_report *rep, const char *bd,
                                             const char *code)
{
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++)
        if (strcmp(rep->breakdowns[d].name, bd) == 0)
            for (int i = 0; i < rep->breakdowns[d].ncells; i++)
                if (strcmp(rep->breakdowns[d].cells[i].code, code) == 0)
                    return &rep->breakdowns[d].cells[i];
    fail_msg("no cell %s/%s", bd, code);
    return NULL;
}

#endif
