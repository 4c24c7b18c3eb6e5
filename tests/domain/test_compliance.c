/*
 * test_compliance.c: policy compliance (the 30-day window, missing domains,
 * the newest policy counting, optional domains, list filters and who sees
 * what) and the governance views built on the registers: chains of
 * accountability, sharing agreements due for review and the digest. The
 * clock is fixed at FX_NOW, 2026-11-26T09:00Z: today is 2026-11-26 and the
 * window ends on 2026-12-26.
 */
#include "unit.h"

#include "domain/compliance.h"
#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"
#include "domain/structure.h"
#include "domain/views.h"

#define FAR "2028-01-01" /* a review date well outside the window */

/* Creates a record as the operator and returns its id (fails the test on refusal). */
static long long make(struct fx *f, const struct entity *e, rec *r)
{
    bool was_operator = f->c.by_operator;
    const struct actor *was = f->c.actor;
    fx_operator(f);
    rec *out = NULL;
    result res = entity_create(&f->c, e, r, &out);
    if (res != RES_OK)
        fail_msg("create %s: %s (%s: %s)", e->name, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    f->c.by_operator = was_operator;
    f->c.actor = was;
    return rec_int(out, "id", 0);
}

static long long place(struct fx *f, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    return make(f, &entity_places, r);
}

/* An organisation serving the n places given. */
static long long organisation(struct fx *f, const char *name, const long long *places, int n)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "sector", "vcse");
    rec_set_ids(r, "place_ids", places, n);
    return make(f, &entity_organisations, r);
}

static long long person(struct fx *f, long long org, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "organisation_id", org);
    rec_set_text(r, "name", name);
    return make(f, &entity_people, r);
}

static long long policy(struct fx *f, long long org, const char *domain, const char *approved_on,
                        const char *review_due)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "organisation_id", org);
    rec_set_text(r, "domain", domain);
    rec_set_text(r, "version", "1.0");
    rec_set_text(r, "approved_on", approved_on);
    rec_set_text(r, "approved_by", "The board of trustees");
    rec_set_text(r, "review_due", review_due);
    return make(f, &entity_policies, r);
}

/* Every required policy, approved last year, each due for review on due. */
static void all_policies(struct fx *f, long long org, const char *due)
{
    for (int i = 0; policy_required_domains[i]; i++)
        policy(f, org, policy_required_domains[i], "2025-12-01", due);
}

static long long line(struct fx *f, long long org, const char *domain, long long person_id)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "organisation_id", org);
    rec_set_text(r, "domain", domain);
    rec_set_int(r, "accountable_person_id", person_id);
    return make(f, &entity_accountability, r);
}

static long long agreement(struct fx *f, const char *title, long long a, long long b,
                           const char *review_date)
{
    rec *r = rec_new(f->c.a);
    long long parties[] = {a, b};
    rec_set_text(r, "title", title);
    rec_set_ids(r, "party_ids", parties, 2);
    rec_set_text(r, "purpose", "Referrals");
    rec_set_text(r, "lawful_basis", "public_task");
    rec_set_text(r, "data_categories", "Names and contact details");
    rec_set_text(r, "start_date", "2025-01-01");
    rec_set_text(r, "review_date", review_date);
    return make(f, &entity_sharing_agreements, r);
}

/* The compliance of a new organisation whose policies are all in order but one, due on due. */
static struct compliance one_due_on(struct fx *f, const char *name, const char *domain,
                                    const char *due)
{
    long long org = organisation(f, name, NULL, 0);
    for (int i = 0; policy_required_domains[i]; i++)
        policy(f, org, policy_required_domains[i], "2025-12-01",
               strcmp(policy_required_domains[i], domain) == 0 ? due : FAR);
    struct compliance c;
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.organisation_id, org);
    return c;
}

static void the_window_is_thirty_days_inclusive(void **state)
{
    struct fx *f = *state;
    struct compliance c = one_due_on(f, "At the edge", "safeguarding", "2026-12-26");
    assert_int_equal(c.status, COMPLIANCE_EXPIRING);
    assert_int_equal(c.nexpiring, 1);
    assert_string_equal(c.expiring[0], "safeguarding");
    assert_int_equal(c.nmissing + c.nexpired, 0);

    c = one_due_on(f, "Just past the edge", "safeguarding", "2026-12-27");
    assert_int_equal(c.status, COMPLIANCE_COMPLIANT);
    assert_int_equal(c.nexpiring + c.nmissing + c.nexpired, 0);

    c = one_due_on(f, "Due today", "data_management", "2026-11-26");
    assert_int_equal(c.status, COMPLIANCE_EXPIRING);
    assert_int_equal(c.nexpiring, 1);
    assert_string_equal(c.expiring[0], "data_management");

    c = one_due_on(f, "Due yesterday", "working_standards", "2026-11-25");
    assert_int_equal(c.status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(c.nexpired, 1);
    assert_string_equal(c.expired[0], "working_standards");
    assert_int_equal(c.nexpiring, 0);
    assert_string_equal(compliance_status_name(c.status), "non_compliant");
    assert_string_equal(compliance_status_name(COMPLIANCE_EXPIRING), "expiring");
    assert_string_equal(compliance_status_name(COMPLIANCE_COMPLIANT), "compliant");

    /* The clock decides: a day later the edge is inside the window, the day before outside. */
    long long org = organisation(f, "Moving clock", NULL, 0);
    all_policies(f, org, "2026-12-27");
    ctx_set_now(&f->c, FX_NOW + 86400);
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_EXPIRING);
    assert_int_equal(c.nexpiring, 4);
    ctx_set_now(&f->c, FX_NOW + 32 * 86400);
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(c.nexpired, 4);
}

static void missing_domains_are_listed_in_order(void **state)
{
    struct fx *f = *state;
    long long org = organisation(f, "Half done", NULL, 0);
    policy(f, org, "working_standards", "2026-01-01", FAR);
    policy(f, org, "data_management", "2026-01-01", "2026-12-01");
    struct compliance c;
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(c.nmissing, 2);
    assert_string_equal(c.missing[0], "quality_assurance");
    assert_string_equal(c.missing[1], "safeguarding");
    assert_int_equal(c.nexpiring, 1); /* reported even when something else makes it non-compliant */
    assert_string_equal(c.expiring[0], "data_management");

    long long none = organisation(f, "Nothing yet", NULL, 0);
    assert_int_equal(policy_compliance(&f->c, none, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(c.nmissing, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(c.missing[i], policy_required_domains[i]);

    assert_int_equal(policy_compliance(&f->c, 9999, &c), RES_NOT_FOUND);
}

static void the_newest_policy_counts(void **state)
{
    struct fx *f = *state;
    long long org = organisation(f, "Renewed", NULL, 0);
    all_policies(f, org, FAR);
    policy(f, org, "safeguarding", "2023-05-01", "2024-05-01"); /* older, long expired */
    struct compliance c;
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_COMPLIANT);

    /* The newest approval counts even when an older one reviews later. */
    long long other = organisation(f, "Replaced", NULL, 0);
    all_policies(f, other, FAR);
    policy(f, other, "quality_assurance", "2026-03-01", "2026-11-01");
    assert_int_equal(policy_compliance(&f->c, other, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(c.nexpired, 1);
    assert_string_equal(c.expired[0], "quality_assurance");
}

static void optional_domains_are_never_required(void **state)
{
    struct fx *f = *state;
    long long org = organisation(f, "Insured", NULL, 0);
    all_policies(f, org, FAR);
    policy(f, org, "insurance", "2024-01-01", "2025-01-01");
    policy(f, org, "background_checks", "2024-01-01", "2026-11-30");
    struct compliance c;
    assert_int_equal(policy_compliance(&f->c, org, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_COMPLIANT);
    assert_int_equal(c.nexpired + c.nexpiring + c.nmissing, 0);

    long long only = organisation(f, "Only optional", NULL, 0);
    policy(f, only, "insurance", "2026-01-01", FAR);
    policy(f, only, "background_checks", "2026-01-01", FAR);
    assert_int_equal(policy_compliance(&f->c, only, &c), RES_OK);
    assert_int_equal(c.nmissing, 4);
    for (int i = 0; i < c.nmissing; i++) {
        assert_string_not_equal(c.missing[i], "insurance");
        assert_string_not_equal(c.missing[i], "background_checks");
    }
}

/* Two places and four organisations: A and B in the first, C in the second, D in both. */
struct world {
    long long p1, p2, a, b, c, d;
};

static struct world build_world(struct fx *f)
{
    struct world w;
    w.p1 = place(f, "Riverside");
    w.p2 = place(f, "Moorland");
    long long both[] = {w.p1, w.p2};
    w.d = organisation(f, "Delta Dance", both, 2);
    w.b = organisation(f, "Bravo Books", &w.p1, 1);
    w.c = organisation(f, "Charlie Choirs", &w.p2, 1);
    w.a = organisation(f, "Alpha Arts", &w.p1, 1);
    all_policies(f, w.a, FAR);          /* compliant */
    all_policies(f, w.c, "2026-12-10"); /* expiring */
    all_policies(f, w.d, FAR);
    policy(f, w.d, "safeguarding", "2026-06-01", "2026-11-01"); /* non-compliant */
    return w;                                                   /* B has nothing: non-compliant */
}

static void the_list_filters_by_place_and_status(void **state)
{
    struct fx *f = *state;
    struct world w = build_world(f);
    struct compliance *list;
    int n;
    assert_int_equal(compliance_list(&f->c, 0, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 4);
    long long by_name[] = {w.a, w.b, w.c, w.d};
    for (int i = 0; i < n; i++)
        assert_int_equal(list[i].organisation_id, by_name[i]);
    assert_int_equal(list[0].status, COMPLIANCE_COMPLIANT);
    assert_int_equal(list[1].status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(list[2].status, COMPLIANCE_EXPIRING);
    assert_int_equal(list[3].status, COMPLIANCE_NON_COMPLIANT);

    assert_int_equal(compliance_list(&f->c, w.p1, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].organisation_id, w.a);
    assert_int_equal(list[1].organisation_id, w.b);
    assert_int_equal(list[2].organisation_id, w.d);

    assert_int_equal(compliance_list(&f->c, w.p1, "non_compliant", &list, &n), RES_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].organisation_id, w.b);
    assert_int_equal(list[1].organisation_id, w.d);
    assert_int_equal(compliance_list(&f->c, 0, "expiring", &list, &n), RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].organisation_id, w.c);
    assert_int_equal(compliance_list(&f->c, w.p2, "compliant", &list, &n), RES_OK);
    assert_int_equal(n, 0);

    /* Names come with the overview, in the same order. */
    struct compliance_row *rows;
    assert_int_equal(compliance_overview(&f->c, w.p2, NULL, &rows, &n), RES_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "Charlie Choirs");
    assert_string_equal(rows[1].name, "Delta Dance");

    assert_int_equal(compliance_list(&f->c, 0, "lapsed", &list, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "status"));
    ctx_clear_errors(&f->c);
    assert_int_equal(compliance_list(&f->c, 999, NULL, &list, &n), RES_INVALID);
    assert_string_equal(fx_field_error(f, "place_id"), "There is no place with id 999");
    ctx_clear_errors(&f->c);
    assert_int_equal(compliance_list(&f->c, -1, "", &list, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    assert_non_null(fx_field_error(f, "status"));
}

static void a_provider_sees_only_its_own_organisation(void **state)
{
    struct fx *f = *state;
    struct world w = build_world(f);
    struct compliance *list;
    int n;
    fx_act_as(f, ROLE_PROVIDER, 7, w.b, NULL, 0);
    assert_int_equal(compliance_list(&f->c, 0, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].organisation_id, w.b);
    assert_int_equal(list[0].status, COMPLIANCE_NON_COMPLIANT);
    assert_int_equal(compliance_list(&f->c, w.p2, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 0); /* B does not serve the second place */
    assert_int_equal(compliance_list(&f->c, 0, "compliant", &list, &n), RES_OK);
    assert_int_equal(n, 0);

    struct compliance_row row;
    assert_int_equal(organisation_compliance(&f->c, w.b, &row), RES_OK);
    assert_string_equal(row.name, "Bravo Books");
    assert_int_equal(organisation_compliance(&f->c, w.a, &row), RES_FORBIDDEN);
    /* Other capabilities (referrals) may still ask about any organisation. */
    struct compliance c;
    assert_int_equal(policy_compliance(&f->c, w.a, &c), RES_OK);
    assert_int_equal(c.status, COMPLIANCE_COMPLIANT);

    long long places[] = {w.p2};
    fx_act_as(f, ROLE_VIEWER, 8, w.c, NULL, 0);
    assert_int_equal(compliance_list(&f->c, 0, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 4);
    fx_act_as(f, ROLE_PLACE_LEAD, 9, w.c, places, 1);
    assert_int_equal(compliance_list(&f->c, 0, NULL, &list, &n), RES_OK);
    assert_int_equal(n, 4);
    assert_int_equal(organisation_compliance(&f->c, w.a, &row), RES_OK);

    f->c.actor = NULL; /* nobody signed in */
    f->c.by_operator = false;
    assert_int_equal(compliance_list(&f->c, 0, NULL, &list, &n), RES_UNAUTHENTICATED);
    assert_int_equal(policy_compliance(&f->c, w.a, &c), RES_UNAUTHENTICATED);
}

static void chains_follow_lines_upward_to_the_top(void **state)
{
    struct fx *f = *state;
    long long icb = organisation(f, "Integrated Care Board", NULL, 0);
    long long council = organisation(f, "City Council", NULL, 0);
    long long charity = organisation(f, "Arts Charity", NULL, 0);
    long long choir = organisation(f, "Community Choir", NULL, 0);
    long long chief = person(f, icb, "Chidi Chief-Nurse");
    long long director = person(f, council, "Dana Director");
    long long manager = person(f, charity, "Mo Manager");
    line(f, charity, "safeguarding", director);
    line(f, council, "safeguarding", chief);
    line(f, choir, "safeguarding", manager);
    line(f, choir, "quality", chief);
    long long audits = fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'");

    struct chain *chains;
    int n;
    assert_int_equal(accountability_chains(&f->c, "safeguarding", &chains, &n), RES_OK);
    assert_int_equal(n, 3);
    /* By organisation name: Arts Charity, City Council, Community Choir. */
    assert_int_equal(chains[0].organisation_id, charity);
    assert_string_equal(chains[0].organisation_name, "Arts Charity");
    assert_int_equal(chains[0].nsteps, 2);
    assert_int_equal(chains[0].steps[0].organisation_id, charity);
    assert_int_equal(chains[0].steps[0].person_id, director);
    assert_string_equal(chains[0].steps[0].person_name, "Dana Director");
    assert_int_equal(chains[0].steps[0].person_organisation_id, council);
    assert_int_equal(chains[0].steps[1].organisation_id, council);
    assert_int_equal(chains[0].steps[1].person_id, chief);
    assert_int_equal(chains[0].steps[1].person_organisation_id, icb);
    assert_string_equal(chains[0].steps[1].person_organisation_name, "Integrated Care Board");
    assert_false(chains[0].truncated);
    assert_int_equal(chains[1].organisation_id, council);
    assert_int_equal(chains[1].nsteps, 1);
    assert_int_equal(chains[2].organisation_id, choir);
    assert_int_equal(chains[2].nsteps, 3);
    assert_int_equal(chains[2].steps[2].person_organisation_id, icb);
    /* Naming the people is a read of personal data. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'"), audits + 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                 " entity = 'people' AND after_json LIKE '%\"ids\"%'"),
                     1);

    /* Every domain: quality first in the domain order after safeguarding. */
    assert_int_equal(accountability_chains(&f->c, NULL, &chains, &n), RES_OK);
    assert_int_equal(n, 4);
    assert_string_equal(chains[3].domain, "quality");
    assert_int_equal(chains[3].nsteps, 1);

    assert_int_equal(accountability_chains(&f->c, "finance", &chains, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "domain"));
    ctx_clear_errors(&f->c);
    assert_int_equal(accountability_chains(&f->c, "data", &chains, &n), RES_OK);
    assert_int_equal(n, 0);

    /* A loop made behind the rules' back stops at the guard. */
    long long chair = person(f, charity, "Cass Chair");
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO accountability (organisation_id, domain,"
                               " accountable_person_id, created_at, updated_at)"
                               " VALUES ($1, 'safeguarding', $2, $3, $3)",
                               "iit", icb, chair, f->c.now_iso),
                     1);
    assert_int_equal(accountability_chains(&f->c, "safeguarding", &chains, &n), RES_OK);
    for (int i = 0; i < n; i++) {
        assert_true(chains[i].truncated);
        assert_int_equal(chains[i].nsteps, CHAIN_MAX_STEPS);
    }
}

static void agreements_due_for_review(void **state)
{
    struct fx *f = *state;
    struct world w = build_world(f);
    long long late = agreement(f, "Late", w.a, w.b, "2026-11-21");
    long long soon = agreement(f, "Soon", w.c, w.d, "2026-12-06");
    agreement(f, "Later", w.a, w.c, "2027-01-05");
    struct agreement_due *due;
    int n;
    assert_int_equal(sharing_agreements_due(&f->c, 30, 0, &due, &n), RES_OK);
    assert_int_equal(n, 2);
    assert_int_equal(due[0].id, late);
    assert_int_equal(due[0].days_left, -5);
    assert_int_equal(due[1].id, soon);
    assert_int_equal(due[1].days_left, 10);
    assert_string_equal(due[1].title, "Soon");
    assert_int_equal(due[1].nparties, 2);
    assert_string_equal(due[1].party_names[0], "Charlie Choirs");
    assert_int_equal(due[1].party_ids[1], w.d);

    assert_int_equal(sharing_agreements_due(&f->c, 0, 0, &due, &n), RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sharing_agreements_due(&f->c, 40, 0, &due, &n), RES_OK);
    assert_int_equal(n, 3);
    assert_int_equal(sharing_agreements_due(&f->c, 30, w.p2, &due, &n), RES_OK);
    assert_int_equal(n, 1); /* only "Soon" has a party in the second place */
    assert_int_equal(due[0].id, soon);

    assert_int_equal(sharing_agreements_due(&f->c, DUE_MAX_DAYS + 1, 0, &due, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "days"));
    ctx_clear_errors(&f->c);
    assert_int_equal(sharing_agreements_due(&f->c, 30, 4242, &due, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
}

/* A concern straight into the table: the concerns module is built elsewhere. */
static void concern(struct fx *f, long long org, const char *severity, const char *status)
{
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO concerns (organisation_id, category, severity,"
                               " description, status, created_at, updated_at)"
                               " VALUES ($1, 'quality', $2, 'Sessions cancelled', $3, $4, $4)",
                               "ittt", org, severity, status, f->c.now_iso),
                     1);
}

static long long action(struct fx *f, const char *title, long long place_id, long long owner,
                        const char *due, const char *status)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "title", title);
    if (place_id) rec_set_int(r, "place_id", place_id);
    rec_set_int(r, "owner_person_id", owner);
    rec_set_text(r, "due_date", due);
    rec_set_text(r, "status", status);
    return make(f, &entity_actions, r);
}

static long long connection(struct fx *f, long long from, long long to)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "from_organisation_id", from);
    rec_set_int(r, "to_organisation_id", to);
    rec_set_text(r, "kind", "referral_pathway");
    rec_set_text(r, "start_date", "2026-11-01");
    return make(f, &entity_connections, r);
}

static void the_digest_summarises_a_place(void **state)
{
    struct fx *f = *state;
    struct world w = build_world(f);
    concern(f, w.a, "urgent", "open");
    concern(f, w.b, "high", "acknowledged");
    concern(f, w.b, "high", "open");
    concern(f, w.c, "low", "open");        /* the second place only */
    concern(f, w.a, "medium", "resolved"); /* no longer open */
    long long owner = person(f, w.a, "Olu Owner");
    long long late = action(f, "Map the offer", w.p1, owner, "2026-11-01", "at_risk");
    action(f, "Done already", w.p1, owner, "2026-10-01", "done");
    action(f, "Not yet due", w.p1, owner, "2026-11-26", "on_track");
    long long elsewhere = action(f, "Moorland survey", w.p2, owner, "2026-09-01", "off_track");
    ctx_set_now(&f->c, FX_NOW - 40 * 86400);
    connection(f, w.a, w.b); /* made 40 days ago: not new */
    ctx_set_now(&f->c, FX_NOW);
    long long fresh = connection(f, w.b, w.a);
    long long moor = connection(f, w.c, w.d); /* C (second place) with D (both) */
    agreement(f, "Due soon", w.a, w.b, "2026-12-01");

    struct digest d;
    assert_int_equal(digest_build(&f->c, w.p1, false, &d), RES_OK);
    assert_int_equal(d.place_id, w.p1);
    assert_string_equal(d.place_name, "Riverside");
    assert_int_equal(d.open_by_severity[0], 1); /* urgent */
    assert_int_equal(d.open_by_severity[1], 2); /* high */
    assert_int_equal(d.open_by_severity[2], 0);
    assert_int_equal(d.open_by_severity[3], 0);
    assert_int_equal(d.compliance[COMPLIANCE_COMPLIANT], 1); /* A */
    assert_int_equal(d.compliance[COMPLIANCE_EXPIRING], 0);
    assert_int_equal(d.compliance[COMPLIANCE_NON_COMPLIANT], 2); /* B, D */
    assert_int_equal(d.noverdue, 1);
    assert_int_equal(d.overdue[0].id, late);
    assert_string_equal(d.overdue[0].due_date, "2026-11-01");
    assert_int_equal(d.overdue[0].owner_person_id, owner);
    assert_null(d.overdue[0].owner_name);
    assert_int_equal(d.nconnections, 2); /* B-A, and C-D through D */
    assert_int_equal(d.connections[0].id, moor);
    assert_int_equal(d.connections[1].id, fresh);
    assert_string_equal(d.connections[1].from_name, "Bravo Books");
    assert_int_equal(d.nagreements, 1);

    assert_int_equal(digest_build(&f->c, 0, true, &d), RES_OK);
    assert_null(d.place_name);
    assert_int_equal(d.open_by_severity[3], 1);
    assert_int_equal(d.compliance[COMPLIANCE_EXPIRING], 1);
    assert_int_equal(d.noverdue, 2);
    assert_int_equal(d.overdue[0].id, elsewhere);
    assert_string_equal(d.overdue[0].owner_name, "Olu Owner");
    assert_int_equal(d.nconnections, 2);

    /* A provider's digest counts every organisation: the counts name nobody. */
    fx_act_as(f, ROLE_PROVIDER, 7, w.b, NULL, 0);
    assert_int_equal(digest_build(&f->c, 0, false, &d), RES_OK);
    assert_int_equal(d.compliance[0] + d.compliance[1] + d.compliance[2], 4);

    assert_int_equal(digest_build(&f->c, 777, false, &d), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_window_is_thirty_days_inclusive),
        T(missing_domains_are_listed_in_order),
        T(the_newest_policy_counts),
        T(optional_domains_are_never_required),
        T(the_list_filters_by_place_and_status),
        T(a_provider_sees_only_its_own_organisation),
        T(chains_follow_lines_upward_to_the_top),
        T(agreements_due_for_review),
        T(the_digest_summarises_a_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
