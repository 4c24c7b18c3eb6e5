/*
 * referrals_world.h: a small world for the referral tests, written with SQL
 * so that it depends on nothing but the schema. Two places; a referring
 * organisation (REF) with a link worker; a provider (PROV) with two
 * directory services (S1 at a venue in place two, S2 for capacity); another
 * provider organisation (OTHER) with a service, a provider and a link
 * worker; organisations whose policies are missing (NC) or expiring (EXP);
 * a directory organization linked to no chis organisation; a deleted and a
 * pending service; two taxonomy terms; users of every role. Every provider
 * organisation but NC has its four required policies in order.
 */
#ifndef CHIS_TEST_REFERRALS_WORLD_H
#define CHIS_TEST_REFERRALS_WORLD_H

#include "unit.h"

#include "sql_rows.h"

#include <stdio.h>

#include "domain/referrals.h"

struct world {
    long long place1, place2, hood1;
    long long ref, prov, other, nc, exp, icb;
    /* users */
    long long lw, prov_user, other_prov, other_lw, admin, sys_lead, place_lead, viewer;
};

static struct world W;

/* The four required policies of org, each reviewed on due (one domain on other_due). */
static inline void w_policies(struct fx *f, long long org, const char *due, const char *odd_domain,
                              const char *odd_due)
{
    const char *domains[] = {"quality_assurance", "working_standards", "safeguarding",
                             "data_management"};
    for (int i = 0; i < 4; i++)
        insert_id(f,
                  "INSERT INTO policies (organisation_id, domain, version, approved_on,"
                  " approved_by, review_due, created_at, updated_at) VALUES (%lld, '%s', '1',"
                  " '2026-01-01', 'Board', '%s', '" NOW_ISO "', '" NOW_ISO "') RETURNING id",
                  org, domains[i],
                  odd_domain && strcmp(odd_domain, domains[i]) == 0 ? odd_due : due);
}

static inline void w_dir_org(struct fx *f, const char *id, long long org)
{
    char link[32];
    if (org)
        snprintf(link, sizeof link, "%lld", org);
    else
        snprintf(link, sizeof link, "NULL");
    insert_id(f,
              "INSERT INTO dir_organizations (id, organisation_id, name) VALUES ('%s', %s,"
              " 'Dir %s') RETURNING rid",
              id, link, id);
}

static inline void w_service(struct fx *f, const char *id, const char *dir_org, const char *extra)
{
    insert_id(f,
              "INSERT INTO dir_services (id, organization_id, name, status, last_modified, state,"
              " deleted_at) VALUES ('%s', '%s', 'Service %s', 'active', '" NOW_ISO "', %s)"
              " RETURNING rid",
              id, dir_org, id, extra ? extra : "'published', NULL");
}

/* A participant held by organisation org; place 0 leaves them unplaced. */
static inline long long w_participant(struct fx *f, const char *name, long long org,
                                      long long place, long long hood, int decile, const char *dob,
                                      const char *sex, const char *ethnicity)
{
    char p[24], h[24], d[8];
    snprintf(p, sizeof p, place ? "%lld" : "NULL", place);
    snprintf(h, sizeof h, hood ? "%lld" : "NULL", hood);
    snprintf(d, sizeof d, decile ? "%d" : "NULL", decile);
    return insert_id(f,
                     "INSERT INTO participants (name, date_of_birth, place_id, neighbourhood_id,"
                     " imd_decile, sex, ethnicity, organisation_id, last_contact_at, created_at,"
                     " updated_at) VALUES ('%s', '%s', %s, %s, %s, '%s', '%s', %lld,"
                     " '2026-01-01T00:00:00Z', '" NOW_ISO "', '" NOW_ISO "') RETURNING id",
                     name, dob, p, h, d, sex, ethnicity, org);
}

/* Builds the world described above into W. */
static inline void world(struct fx *f)
{
    W.place1 = w_place(f, "Riverside");
    W.place2 = w_place(f, "Moorland");
    W.hood1 = w_hood(f, W.place1, "Northgate", 5000, 3);
    W.icb = w_org(f, "ICB");
    W.ref = w_org(f, "Referrers");
    W.prov = w_org(f, "Providers");
    W.other = w_org(f, "Others");
    W.nc = w_org(f, "Not Compliant");
    W.exp = w_org(f, "Expiring");
    w_policies(f, W.prov, "2028-01-01", NULL, NULL);
    w_policies(f, W.other, "2028-01-01", NULL, NULL);
    w_policies(f, W.ref, "2028-01-01", NULL, NULL);
    w_policies(f, W.exp, "2028-01-01", "safeguarding", "2026-12-10");
    W.lw = w_user(f, "lw@x.org", "link_worker", W.ref);
    W.prov_user = w_user(f, "prov@x.org", "provider", W.prov);
    W.other_prov = w_user(f, "oprov@x.org", "provider", W.other);
    W.other_lw = w_user(f, "olw@x.org", "link_worker", W.other);
    W.admin = w_user(f, "admin@x.org", "admin", W.icb);
    W.sys_lead = w_user(f, "sys@x.org", "system_lead", W.icb);
    W.place_lead = w_user(f, "pl@x.org", "place_lead", W.ref);
    W.viewer = w_user(f, "viewer@x.org", "viewer", W.ref);
    w_dir_org(f, "DO-PROV", W.prov);
    w_dir_org(f, "DO-OTHER", W.other);
    w_dir_org(f, "DO-NC", W.nc);
    w_dir_org(f, "DO-EXP", W.exp);
    w_dir_org(f, "DO-NONE", 0);
    w_service(f, "S1", "DO-PROV", NULL);
    w_service(f, "S2", "DO-PROV", NULL);
    w_service(f, "S-OTHER", "DO-OTHER", NULL);
    w_service(f, "S-NC", "DO-NC", NULL);
    w_service(f, "S-EXP", "DO-EXP", NULL);
    w_service(f, "S-NONE", "DO-NONE", NULL);
    w_service(f, "S-DEL", "DO-PROV", "'published', '2026-11-01T00:00:00Z'");
    w_service(f, "S-PEND", "DO-PROV", "'pending', NULL");
    insert_id(f, "INSERT INTO dir_locations (id, name, place_id) VALUES ('L0', 'Nowhere', NULL)"
                 " RETURNING rid");
    insert_id(f,
              "INSERT INTO dir_locations (id, name, place_id) VALUES ('L1', 'Hall', %lld)"
              " RETURNING rid",
              W.place2);
    insert_id(f, "INSERT INTO dir_service_at_locations (id, service_id, location_id)"
                 " VALUES ('SAL1', 'S1', 'L1') RETURNING rid");
    insert_id(f, "INSERT INTO dir_service_at_locations (id, service_id, location_id)"
                 " VALUES ('SAL2', 'S1', 'L0') RETURNING rid");
    insert_id(f, "INSERT INTO dir_taxonomy_terms (id, name) VALUES ('T-LONELY', 'Loneliness')"
                 " RETURNING rid");
    insert_id(f, "INSERT INTO dir_taxonomy_terms (id, name) VALUES ('T-ANXIETY', 'Anxiety')"
                 " RETURNING rid");
}

/* A fixture with the world built (for cmocka's setup). */
static inline int world_setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    world(*state);
    return 0;
}

/* Act as user u of organisation org with role. */
static inline void as(struct fx *f, enum role role, long long user, long long org)
{
    fx_act_as(f, role, user, org, NULL, 0);
}

static inline void as_lw(struct fx *f)
{
    as(f, ROLE_LINK_WORKER, W.lw, W.ref);
}

static inline void as_prov(struct fx *f)
{
    as(f, ROLE_PROVIDER, W.prov_user, W.prov);
}

/* A new draft referral of participant p to service with notes (or none), made by the link
 * worker; its id. */
static inline long long w_refer_notes(struct fx *f, long long p, const char *service,
                                      const char *notes)
{
    as_lw(f);
    struct referral_input in = {.participant_id = p, .service_id = service, .notes = notes};
    rec *out = NULL;
    result res = referral_create(&f->c, &in, &out);
    if (res != RES_OK)
        fail_msg("referral_create: %d %s (%s: %s)", res, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

/* A new draft referral of participant p to service made by the link worker; its id. */
static inline long long w_refer(struct fx *f, long long p, const char *service)
{
    return w_refer_notes(f, p, service, NULL);
}

/* Moves referral id to `to` as the operator, failing the test on refusal. */
static inline rec *w_move(struct fx *f, long long id, const char *to, const char *reason)
{
    fx_operator(f);
    rec *out = NULL;
    result res = referral_transition(&f->c, id, to, reason, NULL, &out);
    if (res != RES_OK)
        fail_msg("transition %lld -> %s: %d %s (%s)", id, to, res, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].message : "");
    return out;
}

/* The text of column col of referral id, in f->c.a (NULL when null). */
static inline const char *ref_text(struct fx *f, long long id, const char *col)
{
    store_stmt *st =
        store_prepare(f->c.db, arena_printf(f->c.a, "SELECT %s FROM referrals WHERE id = $1", col));
    assert_non_null(st);
    store_bind_int(st, 1, id);
    assert_int_equal(store_step(st), STORE_ROW);
    const char *s = store_col_null(st, 0) ? NULL : arena_strdup(f->c.a, store_col_text(st, 0));
    store_done(st);
    return s;
}

static inline long long ref_int(struct fx *f, long long id, const char *col)
{
    long long v = -1;
    assert_int_equal(
        store_query_int(
            f->c.db, &v,
            arena_printf(f->c.a, "SELECT COALESCE(%s, -1) FROM referrals WHERE id = %lld", col, id),
            NULL),
        1);
    return v;
}

#endif
