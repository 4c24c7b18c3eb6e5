/*
 * test_plans.c: the leadership and strategy views (domain/plans.c) without
 * HTTP: champion coverage, resource totals, the alignment matrix, overdue
 * actions and the co-production record, on the fixed clock (today is
 * 2026-11-26).
 */
#include "unit.h"

#include "base/date.h"

#include "domain/leadership.h"
#include "domain/plans.h"
#include "domain/strategy.h"
#include "domain/structure.h"

/* Create a record as the operator; fails the test with the reason if refused. */
static long long make(struct fx *f, const struct entity *e, rec *r)
{
    rec *out = NULL;
    result res = entity_create(&f->c, e, r, &out);
    if (res != RES_OK)
        fail_msg("create %s: %s (%s: %s)", e->name, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

/* A place named name; its id. */
static long long place(struct fx *f, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    return make(f, &entity_places, r);
}

/* A neighbourhood of place_id; its id. */
static long long neighbourhood(struct fx *f, long long place_id, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "place_id", place_id);
    rec_set_text(r, "name", name);
    rec_set_int(r, "population", 30000);
    rec_set_int(r, "imd_decile", 2);
    return make(f, &entity_neighbourhoods, r);
}

/* An organisation of sector serving no place yet; its id. */
static long long organisation(struct fx *f, const char *name, const char *sector)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "sector", sector);
    return make(f, &entity_organisations, r);
}

/* A person working in org; their id. */
static long long person(struct fx *f, long long org, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "organisation_id", org);
    rec_set_text(r, "name", name);
    return make(f, &entity_people, r);
}

/* A champion at level for area (a place or a neighbourhood id; 0 for system). */
static long long champion(struct fx *f, long long person_id, const char *level, long long area,
                          const char *start, const char *end)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "person_id", person_id);
    rec_set_text(r, "level", level);
    if (strcmp(level, "place") == 0) rec_set_int(r, "place_id", area);
    if (strcmp(level, "neighbourhood") == 0) rec_set_int(r, "neighbourhood_id", area);
    rec_set_text(r, "sector", "nhs");
    rec_set_text(r, "start_date", start);
    if (end) rec_set_text(r, "end_date", end);
    return make(f, &entity_champions, r);
}

/* A resource; amount or hours < 0 leaves it out, place 0 is system-wide, end NULL is open. */
static void resource(struct fx *f, long long org, long long place_id, long long amount,
                     long long hours, const char *start, const char *end)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "kind", amount >= 0 ? "funding" : "staff_time");
    rec_set_int(r, "organisation_id", org);
    if (place_id) rec_set_int(r, "place_id", place_id);
    if (amount >= 0) rec_set_int(r, "amount_pence", amount);
    if (hours >= 0) rec_set_int(r, "hours", hours);
    rec_set_text(r, "period_start", start);
    if (end) rec_set_text(r, "period_end", end);
    make(f, &entity_resources, r);
}

/* A strategy of kind, for place_id (0: the system); its id. */
static long long strategy(struct fx *f, const char *name, const char *kind, long long place_id)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "kind", kind);
    rec_set_text(r, "level", place_id ? "place" : "system");
    if (place_id) rec_set_int(r, "place_id", place_id);
    return make(f, &entity_strategies, r);
}

/* A priority of a strategy at position; its id. */
static long long priority(struct fx *f, long long strategy_id, const char *title, int position)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "strategy_id", strategy_id);
    rec_set_text(r, "title", title);
    rec_set_int(r, "position", position);
    return make(f, &entity_priorities, r);
}

/* An alignment of Creative Health priority ch with another strategy's priority; its id. */
static long long align(struct fx *f, long long ch, long long other)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "creative_health_priority_id", ch);
    rec_set_int(r, "priority_id", other);
    rec_set_text(r, "rationale", "Because it helps");
    return make(f, &entity_alignments, r);
}

/* An action titled by its due date, owned by owner; its id. */
static long long action(struct fx *f, long long place_id, long long owner, const char *due,
                        const char *status)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "title", due);
    if (place_id) rec_set_int(r, "place_id", place_id);
    rec_set_int(r, "owner_person_id", owner);
    rec_set_text(r, "due_date", due);
    rec_set_text(r, "status", status);
    return make(f, &entity_actions, r);
}

static void champion_coverage_counts_each_level_on_the_day(void **state)
{
    struct fx *f = *state;
    long long east = place(f, "East"), west = place(f, "West");
    long long n1 = neighbourhood(f, east, "Ash PCN"), n2 = neighbourhood(f, east, "Birch PCN");
    long long n3 = neighbourhood(f, west, "Cedar PCN");
    long long who = person(f, organisation(f, "Trust", "nhs"), "Cara Champion");
    champion(f, who, "place", east, "2026-01-01", NULL);
    champion(f, who, "neighbourhood", n1, "2025-01-01", "2026-11-25"); /* ended yesterday */
    champion(f, who, "neighbourhood", n2, "2026-12-01", NULL);         /* not started */
    champion(f, who, "neighbourhood", n3, "2026-11-26", "2026-11-26"); /* today only */
    champion(f, who, "system", 0, "2020-01-01", "2021-01-01");

    struct champion_coverage cov;
    assert_int_equal(plans_champion_coverage(&f->c, NULL, &cov), RES_OK);
    assert_string_equal(cov.at, "2026-11-26");
    assert_int_equal(cov.active_champions, 2);
    assert_false(cov.system_has_champion);
    assert_int_equal(cov.nplaces, 1); /* East's champion covers East only */
    assert_int_equal(cov.places[0].id, west);
    assert_int_equal(cov.nneighbourhoods, 2); /* a place champion covers no neighbourhood */
    assert_int_equal(cov.neighbourhoods[0].id, n1);
    assert_int_equal(cov.neighbourhoods[1].id, n2);
    assert_int_equal(cov.neighbourhoods[1].place_id, east);
    assert_string_equal(cov.neighbourhoods[1].place_name, "East");

    assert_int_equal(plans_champion_coverage(&f->c, "2026-11-25", &cov), RES_OK);
    assert_int_equal(cov.active_champions, 2); /* East's and Ash's, on its last day */
    assert_int_equal(cov.nneighbourhoods, 2);
    assert_int_equal(cov.neighbourhoods[0].id, n2);
    assert_int_equal(cov.neighbourhoods[1].id, n3);

    assert_int_equal(plans_champion_coverage(&f->c, "2026-12-01", &cov), RES_OK);
    assert_int_equal(cov.nneighbourhoods, 2);
    assert_int_equal(cov.neighbourhoods[0].id, n1);
    assert_int_equal(cov.neighbourhoods[1].id, n3);

    assert_int_equal(plans_champion_coverage(&f->c, "2020-06-01", &cov), RES_OK);
    assert_true(cov.system_has_champion);
    assert_int_equal(cov.nplaces, 2);

    assert_int_equal(plans_champion_coverage(&f->c, "2026-02-29", &cov), RES_INVALID);
    assert_non_null(fx_field_error(f, "at"));
    fx_operator(f);
    assert_int_equal(plans_champion_coverage(&f->c, "", &cov), RES_OK); /* empty is today */
    assert_string_equal(cov.at, "2026-11-26");
}

static void resource_totals_count_overlapping_periods_by_place_and_sector(void **state)
{
    struct fx *f = *state;
    long long east = place(f, "East"), west = place(f, "West");
    long long trust = organisation(f, "Trust", "nhs"), charity = organisation(f, "Charity", "vcse");
    resource(f, trust, east, 100000, -1, "2026-04-01", "2027-03-31"); /* the whole year */
    resource(f, charity, east, -1, 30, "2025-01-01", "2026-04-01");   /* ends on the first day */
    resource(f, charity, west, 2550, 5, "2027-03-31", NULL);          /* starts on the last */
    resource(f, trust, 0, 50000, 10, "2026-10-01", NULL);             /* system-wide, open */
    resource(f, trust, east, 777, -1, "2025-01-01", "2026-03-31");    /* ended the day before */
    resource(f, charity, west, 888, -1, "2027-04-01", NULL);          /* starts the day after */

    struct resource_totals t;
    assert_int_equal(plans_resource_totals(&f->c, "2026-04-01", "2027-03-31", &t), RES_OK);
    assert_string_equal(t.from, "2026-04-01");
    assert_int_equal(t.nplaces, 2);
    assert_string_equal(t.places[0].name, "East");
    assert_int_equal(t.places[0].sum.amount_pence, 100000);
    assert_int_equal(t.places[0].sum.hours, 30);
    assert_int_equal(t.places[1].place_id, west);
    assert_int_equal(t.places[1].sum.amount_pence, 2550);
    assert_int_equal(t.places[1].sum.hours, 5);
    assert_string_equal(t.sectors[0].sector, "nhs");
    assert_int_equal(t.sectors[0].sum.amount_pence, 150000);
    assert_int_equal(t.sectors[0].sum.hours, 10);
    assert_string_equal(t.sectors[1].sector, "local_authority");
    assert_int_equal(t.sectors[1].sum.amount_pence, 0);
    assert_string_equal(t.sectors[2].sector, "vcse");
    assert_int_equal(t.sectors[2].sum.amount_pence, 2550);
    assert_int_equal(t.sectors[2].sum.hours, 35);
    assert_int_equal(t.system_wide.amount_pence, 50000);
    assert_int_equal(t.system_wide.hours, 10);
    assert_int_equal(t.total.amount_pence, 152550);
    assert_int_equal(t.total.hours, 45);

    /* Open ends: everything from a day on, everything up to a day, everything. */
    assert_int_equal(plans_resource_totals(&f->c, "2027-04-01", NULL, &t), RES_OK);
    assert_null(t.to);
    assert_int_equal(t.total.amount_pence, 50000 + 2550 + 888);
    assert_int_equal(plans_resource_totals(&f->c, NULL, "2026-03-31", &t), RES_OK);
    assert_int_equal(t.total.amount_pence, 777);
    assert_int_equal(t.total.hours, 30);
    assert_int_equal(plans_resource_totals(&f->c, NULL, NULL, &t), RES_OK);
    assert_int_equal(t.total.amount_pence, 100000 + 2550 + 50000 + 777 + 888);

    assert_int_equal(plans_resource_totals(&f->c, "2027-01-01", "2026-01-01", &t), RES_INVALID);
    assert_non_null(fx_field_error(f, "to"));
    fx_operator(f);
    assert_int_equal(plans_resource_totals(&f->c, "01/04/2026", "2026-13-01", &t), RES_INVALID);
    assert_non_null(fx_field_error(f, "from"));
    assert_non_null(fx_field_error(f, "to"));
}

static void alignment_matrix_finds_unsupported_and_unaligned_priorities(void **state)
{
    struct fx *f = *state;
    long long east = place(f, "East");
    long long ch = strategy(f, "Creative Health", "creative_health", 0);
    long long jfp = strategy(f, "Joint Forward Plan", "joint_forward_plan", 0);
    long long hi = strategy(f, "Health Inequalities", "health_inequalities", 0);
    long long pc = strategy(f, "Personalised Care", "personalised_care", 0);
    long long east_ch = strategy(f, "East Creative Health", "creative_health", east);
    long long east_hwb = strategy(f, "East Health and Wellbeing", "health_and_wellbeing", east);
    long long a = priority(f, ch, "Arts on prescription", 1);
    long long c = priority(f, ch, "Heritage", 3);
    long long b = priority(f, ch, "Green", 2);
    long long j1 = priority(f, jfp, "Prevention", 1);
    long long h1 = priority(f, hi, "Core20PLUS5", 1);
    long long p2 = priority(f, pc, "Shared decisions", 2);
    long long p1 = priority(f, pc, "Social prescribing", 1);
    long long e1 = priority(f, east_ch, "East arts", 1);
    long long w1 = priority(f, east_hwb, "Healthy towns", 1);
    long long ap1 = align(f, a, p1);
    align(f, b, p1);
    align(f, a, h1);
    align(f, e1, p2); /* a place's alignment does not count at system level */

    struct alignment_matrix m;
    assert_int_equal(plans_alignment_matrix(&f->c, NULL, NULL, &m), RES_OK);
    assert_string_equal(m.level, "system");
    assert_int_equal(m.nstrategies, 1);
    assert_int_equal(m.strategies[0].id, ch);
    assert_int_equal(m.nrows, 3);
    assert_int_equal(m.rows[0].id, a);
    assert_int_equal(m.rows[1].id, b);
    assert_int_equal(m.rows[2].id, c);
    /* Columns by kind (strategy_kinds order), then position; no place strategy. */
    assert_int_equal(m.ncols, 4);
    assert_int_equal(m.cols[0].id, p1);
    assert_int_equal(m.cols[1].id, p2);
    assert_int_equal(m.cols[2].id, h1);
    assert_int_equal(m.cols[3].id, j1);
    assert_string_equal(m.cols[3].strategy_name, "Joint Forward Plan");
    /* Cells by row then column. */
    assert_int_equal(m.ncells, 3);
    assert_int_equal(m.cells[0].row, 0);
    assert_int_equal(m.cells[0].col, 0);
    assert_int_equal(m.cells[0].alignment_id, ap1);
    assert_string_equal(m.cells[0].rationale, "Because it helps");
    assert_int_equal(m.cells[1].row, 0);
    assert_int_equal(m.cells[1].col, 2);
    assert_int_equal(m.cells[2].row, 1);
    assert_int_equal(m.cells[2].col, 0);
    /* Unsupported: Shared decisions and Prevention; unaligned: Heritage. */
    assert_int_equal(m.cols[1].nlinks, 0);
    assert_int_equal(m.cols[3].nlinks, 0);
    assert_int_equal(m.cols[0].nlinks, 2);
    assert_int_equal(m.cols[2].nlinks, 1);
    assert_int_equal(m.rows[2].nlinks, 0);
    assert_int_equal(m.rows[0].nlinks, 2);

    /* The place: its own strategy's priorities, against its others and the system's. */
    const char *east_id = arena_printf(f->c.a, "%lld", east);
    assert_int_equal(plans_alignment_matrix(&f->c, "place", east_id, &m), RES_OK);
    assert_int_equal(m.place_id, east);
    assert_int_equal(m.nrows, 1);
    assert_int_equal(m.rows[0].id, e1);
    assert_int_equal(m.ncols, 5);
    assert_int_equal(m.cols[3].id, w1); /* health_and_wellbeing comes before joint_forward_plan */
    assert_int_equal(m.ncells, 1);
    assert_int_equal(m.cols[m.cells[0].col].id, p2);
    assert_int_equal(m.rows[0].nlinks, 1);
    assert_int_equal(plans_alignment_matrix(&f->c, NULL, east_id, &m), RES_OK);
    assert_string_equal(m.level, "place");

    assert_int_equal(plans_alignment_matrix(&f->c, "county", NULL, &m), RES_INVALID);
    assert_non_null(fx_field_error(f, "level"));
    fx_operator(f);
    assert_int_equal(plans_alignment_matrix(&f->c, "place", NULL, &m), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    fx_operator(f);
    assert_int_equal(plans_alignment_matrix(&f->c, "system", east_id, &m), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    fx_operator(f);
    assert_int_equal(plans_alignment_matrix(&f->c, "place", "999", &m), RES_INVALID);
    assert_string_equal(fx_field_error(f, "place_id"), "There is no place with id 999");
}

static void overdue_means_due_before_today_and_not_done(void **state)
{
    struct fx *f = *state;
    long long east = place(f, "East"), west = place(f, "West");
    long long council = organisation(f, "Council", "local_authority");
    long long owner = person(f, council, "Olu Owner");
    action(f, east, owner, "2026-11-26", "on_track");                      /* due today */
    long long yesterday = action(f, east, owner, "2026-11-25", "at_risk"); /* overdue */
    action(f, east, owner, "2026-10-01", "done");                          /* done: never */
    long long old = action(f, 0, owner, "2026-11-01", "off_track");        /* system-wide */
    long long west_late = action(f, west, owner, "2026-11-20", "not_started");

    struct overdue_action *a;
    int n;
    assert_int_equal(plans_overdue_actions(&f->c, NULL, &a, &n), RES_OK);
    assert_int_equal(n, 3);
    assert_int_equal(a[0].id, old);
    assert_int_equal(a[0].days_overdue, 25);
    assert_int_equal(a[0].place_id, 0);
    assert_null(a[0].place_name);
    assert_int_equal(a[1].id, west_late);
    assert_int_equal(a[2].id, yesterday);
    assert_int_equal(a[2].days_overdue, 1);
    assert_string_equal(a[2].status, "at_risk");
    assert_string_equal(a[2].owner_name, "Olu Owner");
    assert_int_equal(a[2].organisation_id, council);
    assert_string_equal(a[2].organisation_name, "Council");
    assert_string_equal(a[2].place_name, "East");

    assert_int_equal(plans_overdue_actions(&f->c, arena_printf(f->c.a, "%lld", east), &a, &n),
                     RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].id, yesterday);

    /* A day later, what was due today is overdue too. */
    ctx_set_now(&f->c, FX_NOW + 86400);
    assert_int_equal(plans_overdue_actions(&f->c, arena_printf(f->c.a, "%lld", east), &a, &n),
                     RES_OK);
    assert_int_equal(n, 2);
    assert_int_equal(a[1].days_overdue, 1);

    assert_int_equal(plans_overdue_actions(&f->c, "-1", &a, &n), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
}

static void coproduction_record_totals_participants_by_type(void **state)
{
    struct fx *f = *state;
    long long s = strategy(f, "Creative Health", "creative_health", 0);
    priority(f, s, "Second", 2);
    priority(f, s, "First", 1);
    static const struct {
        const char *held_on, *title;
        long long counts[PLANS_NPARTICIPANTS];
        const char *what_changed;
    } acts[] = {
        {"2026-06-01", "Panel", {10, 5, 0, 2, 1}, "A priority on loneliness"},
        {"2026-02-01", "Survey", {200, 0, 3, 0, 0}, NULL},
    };
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
        rec *r = rec_new(f->c.a);
        rec_set_int(r, "strategy_id", s);
        rec_set_text(r, "held_on", acts[i].held_on);
        rec_set_text(r, "kind", "workshop");
        rec_set_text(r, "title", acts[i].title);
        for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
            rec_set_int(r, coproduction_participants[k], acts[i].counts[k]);
        if (acts[i].what_changed) rec_set_text(r, "what_changed", acts[i].what_changed);
        make(f, &entity_coproduction, r);
    }

    struct coproduction_record cr;
    assert_int_equal(plans_coproduction_record(&f->c, s, &cr), RES_OK);
    assert_string_equal(cr.name, "Creative Health");
    assert_string_equal(cr.level, "system");
    assert_int_equal(cr.npriorities, 2);
    assert_string_equal(cr.priorities[0].title, "First");
    assert_int_equal(cr.nactivities, 2);
    assert_string_equal(cr.activities[0].title, "Survey");
    assert_null(cr.activities[0].what_changed);
    assert_string_equal(cr.activities[1].what_changed, "A priority on loneliness");
    long long want[PLANS_NPARTICIPANTS] = {210, 5, 3, 2, 1};
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        assert_int_equal(cr.totals[k], want[k]);
    assert_int_equal(cr.participants, 221);

    assert_int_equal(plans_coproduction_record(&f->c, s + 100, &cr), RES_NOT_FOUND);
}

static void any_signed_in_actor_reads_the_views_and_nobody_else(void **state)
{
    struct fx *f = *state;
    struct champion_coverage cov;
    struct resource_totals t;
    struct alignment_matrix m;
    struct overdue_action *a;
    int n;
    fx_act_as(f, ROLE_VIEWER, 1, 1, NULL, 0);
    assert_int_equal(plans_champion_coverage(&f->c, NULL, &cov), RES_OK);
    fx_act_as(f, ROLE_PROVIDER, 1, 1, NULL, 0);
    assert_int_equal(plans_resource_totals(&f->c, NULL, NULL, &t), RES_OK);
    assert_int_equal(plans_alignment_matrix(&f->c, NULL, NULL, &m), RES_OK);
    assert_int_equal(m.nrows + m.ncols + m.nstrategies, 0);
    assert_int_equal(plans_overdue_actions(&f->c, NULL, &a, &n), RES_OK);
    assert_int_equal(n, 0);
    f->c.actor = NULL; /* fx_act_as left the operator off: nobody is signed in */
    assert_int_equal(plans_champion_coverage(&f->c, NULL, &cov), RES_UNAUTHENTICATED);
    assert_int_equal(plans_resource_totals(&f->c, NULL, NULL, &t), RES_UNAUTHENTICATED);
    assert_int_equal(plans_alignment_matrix(&f->c, NULL, NULL, &m), RES_UNAUTHENTICATED);
    assert_int_equal(plans_overdue_actions(&f->c, NULL, &a, &n), RES_UNAUTHENTICATED);
}

static void days_between_crosses_months_years_and_leap_days(void **state)
{
    (void)state;
    assert_int_equal(date_days_between("2026-11-25", "2026-11-26"), 1);
    assert_int_equal(date_days_between("2024-02-28", "2024-03-01"), 2);
    assert_int_equal(date_days_between("2025-02-28", "2025-03-01"), 1);
    assert_int_equal(date_days_between("2025-12-31", "2026-01-01"), 1);
    assert_int_equal(date_days_between("1970-01-01", "2026-11-26"), FX_NOW / 86400);
    assert_int_equal(date_days_between("2026-11-26", "2026-11-01"), -25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(champion_coverage_counts_each_level_on_the_day, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(
            resource_totals_count_overlapping_periods_by_place_and_sector, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(alignment_matrix_finds_unsupported_and_unaligned_priorities,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(overdue_means_due_before_today_and_not_done, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(coproduction_record_totals_participants_by_type, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(any_signed_in_actor_reads_the_views_and_nobody_else,
                                        fx_setup, fx_teardown),
        cmocka_unit_test(days_between_crosses_months_years_and_leap_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
