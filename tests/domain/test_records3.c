/*
 * test_records3.c: the rules of issue 3's records (leadership, strategy,
 * governance) that live in their descriptions and check hooks, and the
 * place scoping of who may change them.
 */
#include "unit.h"

#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"
#include "domain/structure.h"

/* Create a record as the operator; fail the test with the reasons if refused. */
static long long make(struct fx *f, const struct entity *e, rec *r)
{
    bool op = f->c.by_operator;
    const struct actor *who = f->c.actor;
    fx_operator(f);
    rec *out = NULL;
    result res = entity_create(&f->c, e, r, &out);
    if (res != RES_OK)
        fail_msg("create %s: %s (%s: %s)", e->name, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    f->c.by_operator = op;
    f->c.actor = who;
    return rec_int(out, "id", 0);
}

struct world {
    long long p1, p2, n1, n2, org1, org2, org_both, person1, person2;
};

/* Two places with a neighbourhood each, organisations in each and one in both, a person in each. */
static struct world build(struct fx *f)
{
    struct world w;
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", "North");
    w.p1 = make(f, &entity_places, r);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "South");
    w.p2 = make(f, &entity_places, r);
    long long *places[] = {&w.p1, &w.p2};
    long long *nbs[] = {&w.n1, &w.n2};
    for (int i = 0; i < 2; i++) {
        r = rec_new(f->c.a);
        rec_set_int(r, "place_id", *places[i]);
        rec_set_text(r, "name", i ? "South Bay" : "North End");
        rec_set_int(r, "population", 30000);
        rec_set_int(r, "imd_decile", 2);
        *nbs[i] = make(f, &entity_neighbourhoods, r);
    }
    const char *names[] = {"North Arts", "South Choir", "Both Ways Trust"};
    long long *orgs[] = {&w.org1, &w.org2, &w.org_both};
    for (int i = 0; i < 3; i++) {
        r = rec_new(f->c.a);
        rec_set_text(r, "name", names[i]);
        rec_set_text(r, "sector", i == 2 ? "nhs" : "vcse");
        long long both[] = {w.p1, w.p2};
        if (i == 2)
            rec_set_ids(r, "place_ids", both, 2);
        else
            rec_set_ids(r, "place_ids", i ? &w.p2 : &w.p1, 1);
        *orgs[i] = make(f, &entity_organisations, r);
    }
    long long *people[] = {&w.person1, &w.person2};
    for (int i = 0; i < 2; i++) {
        r = rec_new(f->c.a);
        rec_set_int(r, "organisation_id", i ? w.org_both : w.org1);
        rec_set_text(r, "name", i ? "Trust Lead" : "Arts Lead");
        *people[i] = make(f, &entity_people, r);
    }
    return w;
}

static rec *champion(struct fx *f, const struct world *w, const char *level)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "person_id", w->person1);
    rec_set_text(r, "level", level);
    rec_set_text(r, "sector", "vcse");
    rec_set_text(r, "start_date", "2026-01-01");
    return r;
}

static void a_champions_level_decides_its_area(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    rec *r = champion(f, &w, "neighbourhood");
    rec_set_int(r, "neighbourhood_id", w.n2);
    rec *out = NULL;
    assert_int_equal(entity_create(&f->c, &entity_champions, r, &out), RES_OK);
    assert_int_equal(rec_int(out, "place_id", 0), w.p2); /* filled from the neighbourhood */
    r = champion(f, &w, "place");
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "place_id"), "Choose the place they champion");
    fx_operator(f);
    r = champion(f, &w, "system");
    rec_set_int(r, "place_id", w.p1);
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    fx_operator(f);
    r = champion(f, &w, "neighbourhood");
    rec_set_int(r, "neighbourhood_id", w.n1);
    rec_set_int(r, "place_id", w.p2); /* contradicts the neighbourhood */
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_INVALID);
    fx_operator(f);
    r = champion(f, &w, "place");
    rec_set_int(r, "place_id", w.p1);
    rec_set_text(r, "end_date", "2025-12-31"); /* before the start */
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "end_date"),
                        "The end date must be on or after the start date");
    fx_operator(f);
    r = champion(f, &w, "place");
    rec_set_int(r, "place_id", w.p1);
    rec_set_text(r, "start_date", "2026-02-30"); /* no such day */
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "start_date"), "real date"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM champions"), 1);
}

static void place_leads_change_leadership_records_only_in_their_places(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    fx_act_as(f, ROLE_PLACE_LEAD, 5, w.org1, &w.p1, 1);
    rec *r = champion(f, &w, "neighbourhood");
    rec_set_int(r, "neighbourhood_id", w.n1);
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_OK);
    r = champion(f, &w, "neighbourhood");
    rec_set_int(r, "neighbourhood_id", w.n2);
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_FORBIDDEN);
    r = champion(f, &w, "system");
    assert_int_equal(entity_create(&f->c, &entity_champions, r, NULL), RES_FORBIDDEN);

    rec *c = rec_new(f->c.a);
    rec_set_int(c, "from_organisation_id", w.org1);
    rec_set_int(c, "to_organisation_id", w.org_both);
    rec_set_text(c, "kind", "mou");
    rec_set_text(c, "start_date", "2026-03-01");
    rec_set_int(c, "place_id", w.p1);
    rec *out = NULL;
    assert_int_equal(entity_create(&f->c, &entity_connections, c, &out), RES_OK);
    rec *move = rec_new(f->c.a);
    rec_set_int(move, "place_id", w.p2); /* out of my place */
    assert_int_equal(entity_update(&f->c, &entity_connections, rec_int(out, "id", 0), move, NULL),
                     RES_FORBIDDEN);
    rec *sys = rec_new(f->c.a);
    rec_set_null(sys, "place_id"); /* system-wide is for leads */
    assert_int_equal(entity_update(&f->c, &entity_connections, rec_int(out, "id", 0), sys, NULL),
                     RES_FORBIDDEN);
    fx_operator(f);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM connections WHERE place_id = 1"), 1);
}

static void place_leads_record_only_their_places_organisations(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    rec *o = rec_new(f->c.a);
    rec_set_text(o, "name", "South Gardens");
    rec_set_text(o, "sector", "vcse");
    rec_set_ids(o, "place_ids", &w.p2, 1);
    long long south2 = make(f, &entity_organisations, o);
    fx_act_as(f, ROLE_PLACE_LEAD, 5, w.org1, &w.p1, 1);
    rec *c = rec_new(f->c.a);
    rec_set_int(c, "from_organisation_id", w.org2); /* both serve only South */
    rec_set_int(c, "to_organisation_id", south2);
    rec_set_text(c, "kind", "contract");
    rec_set_text(c, "start_date", "2026-01-01");
    rec_set_int(c, "place_id", w.p1);
    assert_int_equal(entity_create(&f->c, &entity_connections, c, NULL), RES_FORBIDDEN);
    rec_set_int(c, "to_organisation_id", w.org_both); /* one end serves North: fine */
    assert_int_equal(entity_create(&f->c, &entity_connections, c, NULL), RES_OK);
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "kind", "funding");
    rec_set_int(r, "organisation_id", w.org2); /* serves only South */
    rec_set_int(r, "place_id", w.p1);
    rec_set_int(r, "amount_pence", 100000000000LL);
    rec_set_text(r, "period_start", "2026-04-01");
    assert_int_equal(entity_create(&f->c, &entity_resources, r, NULL), RES_FORBIDDEN);
    rec_set_int(r, "organisation_id", w.org1);
    assert_int_equal(entity_create(&f->c, &entity_resources, r, NULL), RES_OK);
    fx_operator(f);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM connections"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM resources"), 1);
}

static void connections_and_resources_hold_their_shape(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    rec *c = rec_new(f->c.a);
    rec_set_int(c, "from_organisation_id", w.org1);
    rec_set_int(c, "to_organisation_id", w.org1);
    rec_set_text(c, "kind", "joint_event");
    rec_set_text(c, "start_date", "2026-03-01");
    assert_int_equal(entity_create(&f->c, &entity_connections, c, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "to_organisation_id"));
    fx_operator(f);
    rec_set_int(c, "to_organisation_id", w.org2);
    rec_set_text(c, "kind", "friendship");
    assert_int_equal(entity_create(&f->c, &entity_connections, c, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "kind"));
    assert_true(connection_is_formal("mou"));
    assert_false(connection_is_formal("joint_event"));

    fx_operator(f);
    rec *res = rec_new(f->c.a);
    rec_set_text(res, "kind", "funding");
    rec_set_int(res, "organisation_id", w.org1);
    rec_set_text(res, "period_start", "2026-04-01");
    assert_int_equal(entity_create(&f->c, &entity_resources, res, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "amount_pence"));
    fx_operator(f);
    rec_set_int(res, "amount_pence", -5);
    assert_int_equal(entity_create(&f->c, &entity_resources, res, NULL), RES_INVALID);
    fx_operator(f);
    rec_set_int(res, "amount_pence", 2500000);
    assert_int_equal(entity_create(&f->c, &entity_resources, res, NULL), RES_OK);
}

static long long strategy(struct fx *f, const char *kind, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "kind", kind);
    rec_set_text(r, "level", "system");
    return make(f, &entity_strategies, r);
}

static long long priority(struct fx *f, long long strategy_id, const char *title)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "strategy_id", strategy_id);
    rec_set_text(r, "title", title);
    return make(f, &entity_priorities, r);
}

static void alignments_join_creative_health_to_other_strategies(void **state)
{
    struct fx *f = *state;
    long long ch = strategy(f, "creative_health", "Creative Health");
    long long pc = strategy(f, "personalised_care", "Personalised Care");
    long long ch1 = priority(f, ch, "Arts on prescription"), ch2 = priority(f, ch, "Heritage");
    long long pc1 = priority(f, pc, "Social prescribing for all");
    rec *a = rec_new(f->c.a);
    rec_set_int(a, "creative_health_priority_id", ch1);
    rec_set_int(a, "priority_id", pc1);
    rec_set_text(a, "rationale", "Arts activities are a main social prescribing offer");
    assert_int_equal(entity_create(&f->c, &entity_alignments, a, NULL), RES_OK);
    assert_int_equal(entity_create(&f->c, &entity_alignments, a, NULL), RES_INVALID); /* twice */
    fx_operator(f);
    rec_set_int(a, "priority_id", ch2); /* two Creative Health priorities */
    assert_int_equal(entity_create(&f->c, &entity_alignments, a, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "priority_id"));
    fx_operator(f);
    rec_set_int(a, "creative_health_priority_id", pc1); /* the wrong way round */
    rec_set_int(a, "priority_id", ch1);
    assert_int_equal(entity_create(&f->c, &entity_alignments, a, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "creative_health_priority_id"));
    /* A place's Creative Health priority may not reach into another place's strategy. */
    fx_operator(f);
    rec *pl = rec_new(f->c.a);
    rec_set_text(pl, "name", "East");
    long long east = make(f, &entity_places, pl);
    rec_set_text(pl, "name", "West");
    long long west = make(f, &entity_places, pl);
    long long s_east = strategy(f, "creative_health", "East CH"),
              s_west = strategy(f, "personalised_care", "West PC");
    store_run(f->c.db, "UPDATE strategies SET level = 'place', place_id = $1 WHERE id = $2", "ii",
              east, s_east);
    store_run(f->c.db, "UPDATE strategies SET level = 'place', place_id = $1 WHERE id = $2", "ii",
              west, s_west);
    rec *cross = rec_new(f->c.a);
    rec_set_int(cross, "creative_health_priority_id", priority(f, s_east, "East arts"));
    rec_set_int(cross, "priority_id", priority(f, s_west, "West choice"));
    rec_set_text(cross, "rationale", "Reaching across");
    assert_int_equal(entity_create(&f->c, &entity_alignments, cross, NULL), RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "priority_id"), "another place"));
    fx_operator(f);
    rec_set_int(cross, "priority_id", pc1); /* a system priority is fine */
    assert_int_equal(entity_create(&f->c, &entity_alignments, cross, NULL), RES_OK);
    fx_operator(f);
    assert_int_equal(entity_delete(&f->c, &entity_priorities, ch1), RES_CONFLICT);
    assert_non_null(strstr(f->c.detail, "alignments"));
    assert_int_equal(entity_delete(&f->c, &entity_strategies, pc), RES_CONFLICT);
}

static long long line(struct fx *f, long long org, const char *domain, long long person)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "organisation_id", org);
    rec_set_text(r, "domain", domain);
    rec_set_int(r, "accountable_person_id", person);
    rec *out = NULL;
    result res = entity_create(&f->c, &entity_accountability, r, &out);
    return res == RES_OK ? rec_int(out, "id", 0) : 0;
}

static void lines_of_accountability_lead_out_and_never_loop(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    /* person1 works in org1, person2 in org_both. */
    assert_int_equal(line(f, w.org1, "safeguarding", w.person1), 0); /* own organisation */
    assert_non_null(strstr(fx_field_error(f, "accountable_person_id"), "another organisation"));
    fx_operator(f);
    assert_true(line(f, w.org1, "safeguarding", w.person2) > 0);
    assert_int_equal(line(f, w.org1, "safeguarding", w.person2), 0); /* one per domain */
    fx_operator(f);
    assert_int_equal(line(f, w.org_both, "safeguarding", w.person1), 0); /* would loop */
    assert_non_null(strstr(fx_field_error(f, "accountable_person_id"), "loop"));
    fx_operator(f);
    assert_true(line(f, w.org_both, "quality", w.person1) > 0); /* another domain is fine */
}

static void policies_and_agreements_follow_their_organisations(void **state)
{
    struct fx *f = *state;
    struct world w = build(f);
    rec *p = rec_new(f->c.a);
    rec_set_int(p, "organisation_id", w.org1);
    rec_set_text(p, "domain", "safeguarding");
    rec_set_text(p, "version", "2.1");
    rec_set_text(p, "approved_on", "2026-01-10");
    rec_set_text(p, "approved_by", "Board of trustees");
    rec_set_text(p, "review_due", "2025-01-10"); /* before approval */
    fx_act_as(f, ROLE_PROVIDER, 8, w.org1, NULL, 0);
    assert_int_equal(entity_create(&f->c, &entity_policies, p, NULL), RES_INVALID);
    ctx_clear_errors(&f->c);
    rec_set_text(p, "review_due", "2027-01-10");
    assert_int_equal(entity_create(&f->c, &entity_policies, p, NULL), RES_OK);
    rec_set_int(p, "organisation_id", w.org2);
    assert_int_equal(entity_create(&f->c, &entity_policies, p, NULL), RES_FORBIDDEN);

    rec *a = rec_new(f->c.a);
    rec_set_text(a, "title", "Referral data sharing");
    long long parties[] = {w.org1, w.org2};
    rec_set_ids(a, "party_ids", parties, 1);
    rec_set_text(a, "purpose", "Referrals and outcomes");
    rec_set_text(a, "lawful_basis", "public_task");
    rec_set_text(a, "data_categories", "Names, contact details, wellbeing scores");
    rec_set_text(a, "start_date", "2026-01-01");
    rec_set_text(a, "review_date", "2027-01-01");
    fx_operator(f);
    assert_int_equal(entity_create(&f->c, &entity_sharing_agreements, a, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "party_ids"));
    fx_act_as(f, ROLE_PLACE_LEAD, 5, w.org1, &w.p1, 1);
    rec_set_ids(a, "party_ids", parties, 2); /* South Choir serves only South */
    assert_int_equal(entity_create(&f->c, &entity_sharing_agreements, a, NULL), RES_FORBIDDEN);
    long long mine[] = {w.org1, w.org_both};
    rec_set_ids(a, "party_ids", mine, 2);
    assert_int_equal(entity_create(&f->c, &entity_sharing_agreements, a, NULL), RES_OK);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_champions_level_decides_its_area),
        T(place_leads_change_leadership_records_only_in_their_places),
        T(place_leads_record_only_their_places_organisations),
        T(connections_and_resources_hold_their_shape),
        T(alignments_join_creative_health_to_other_strategies),
        T(lines_of_accountability_lead_out_and_never_loop),
        T(policies_and_agreements_follow_their_organisations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
