/*
 * test_reports.c: the outcomes report over a small cohort inserted with
 * SQL (places, neighbourhoods, organisations, participants, referrals with
 * their frozen equity columns and scores, consents): every figure against
 * values worked out by hand, suppression of small cells (primary and
 * secondary), consent withdrawal, the scope filters and the date range.
 * The clock is FX_NOW, 2026-11-26T09:00Z, so the default range is
 * 2025-11-27 to 2026-11-26.
 *
 * Place 1 ("North") has neighbourhoods 1 and 2; place 2 ("South") has 3.
 * Organisation 1 refers; 2 and 3 receive (services svc-a and svc-b).
 *
 * The North cohort, all sent 2026-03-01 (those sent), IMD quintile 1 for
 * r1-r6 and 3 for r7-r12, all aged 25-34, female, white:
 *   r1-r6   completed, neighbourhood 1, svc-a; first contact after 1..6 days;
 *           SWEMWBS 20 -> 25, 23, 21, 20, 17, 26 (changes 5, 3, 1, 0, -3, 6);
 *           ONS life changes 1, 2, 3, 1, 2, 3; anxiety -2 each; worthwhile
 *           +1 for r1-r4 only; UCLA changes -2, -2, -1, -1, 0, 0
 *   r7, r8  dropped_out (r7 has a SWEMWBS baseline only), neighbourhood 2, svc-a;
 *           contact after 7 and 8 days
 *   r9      started, neighbourhood 2, svc-a, contact after 9 days
 *   r10     declined, neighbourhood 2, svc-b (organisation 3), no contact
 *   r11     draft, neighbourhood 2, svc-b
 *   r12     cancelled before sending, neighbourhood 2, svc-b, made 2026-03-02 late
 *   r13     completed, neighbourhood 1, svc-a, SWEMWBS 10 -> 30: the person has
 *           withdrawn consent to anonymised reporting, so it never counts
 *   r14     completed, made 2025-06-01: before the default range
 * r1's person withdrew and then gave consent again: they count.
 *
 * Hand-computed figures for North (12 referrals):
 *   by status: completed 6; dropped_out 2, started 1, declined 1, draft 1,
 *   cancelled 1, sent/accepted/waitlisted 0 (all under 5: hidden)
 *   sent 10; uptake 9/10 = 0.9; completion 6/9 = 0.666667
 *   days to first contact: 1..9, n 9, mean 5, median 5
 *   SWEMWBS n 6, mean 2, sd 3.346640, t(5) 2.570582, se 1.366260,
 *   interval (-1.512084, 5.512084); improved 3/6 (5, 3, 6), declined 1/6 (-3)
 *   ONS life n 6, mean 2, sd 0.894427, interval 2 -+ 0.938644
 *   ONS anxiety n 6, mean -2, interval (-2, -2); worthwhile n 4: hidden;
 *   happiness n 0: hidden
 *   UCLA n 6, mean -1, interval -1 -+ 0.938644 = (-1.938644, -0.061356)
 */
#include "unit.h"

#include "reports_world.h"

#include <math.h>
#include <stdio.h>

static void consent(struct fx *f, long long pid, int given, const char *at)
{
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO consents (participant_id, scope, given, method,"
                               " recorded_at, recorded_by, created_at, updated_at) VALUES ($1,"
                               " 'anonymised_reporting', $2, 'verbal', $3, 'test', $3, $3)",
                               "iit", pid, (long long)given, at),
                     1);
}

static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    fx_sql(f, "INSERT INTO places (id, name, created_at, updated_at) VALUES"
              " (1, 'North', " T0 ", " T0 "), (2, 'South', " T0 ", " T0 ");"
              "INSERT INTO neighbourhoods (id, place_id, name, population, imd_decile, created_at,"
              " updated_at) VALUES (1, 1, 'N One', 100, 1, " T0 ", " T0 "),"
              " (2, 1, 'N Two', 100, 5, " T0 ", " T0 "), (3, 2, 'S One', 100, 3, " T0 ", " T0 ");"
              "INSERT INTO organisations (id, name, sector, created_at, updated_at) VALUES"
              " (1, 'Referrer', 'nhs', " T0 ", " T0 "), (2, 'Arts A', 'vcse', " T0 ", " T0 "),"
              " (3, 'Arts B', 'vcse', " T0 ", " T0 ");");
    const char *sent = "2026-03-01T09:00:00Z", *made = "2026-03-01T10:00:00Z";
    static const double sw_f[] = {25, 23, 21, 20, 17, 26};
    static const int life[] = {1, 2, 3, 1, 2, 3}, ucla[] = {-2, -2, -1, -1, 0, 0};
    for (int i = 0; i < 6; i++) {
        char *contact = arena_printf(f->c.a, "2026-03-%02dT15:00:00Z", 2 + i);
        struct r r = {1,
                      1,
                      2,
                      "svc-a",
                      "completed",
                      sent,
                      contact,
                      made,
                      1,
                      "25-34",
                      "female",
                      "white",
                      20,
                      sw_f[i],
                      8,
                      8 + ucla[i],
                      5,
                      5 + life[i],
                      i < 4 ? 6 : -1,
                      i < 4 ? 7 : -1,
                      6,
                      4};
        long long pid = add(f, &r);
        if (i == 0) { /* withdrew, then agreed again: counts */
            consent(f, pid, 0, "2026-01-01T00:00:00Z");
            consent(f, pid, 1, "2026-02-01T00:00:00Z");
        }
    }
    const char *later[] = {"dropped_out", "dropped_out", "started"};
    for (int i = 0; i < 3; i++) {
        char *contact = arena_printf(f->c.a, "2026-03-%02dT08:00:00Z", 8 + i);
        struct r r = {1,
                      2,
                      2,
                      "svc-a",
                      later[i],
                      sent,
                      contact,
                      made,
                      3,
                      "25-34",
                      "female",
                      "white",
                      i == 0 ? 18 : -1,
                      -1,
                      -1,
                      -1,
                      -1,
                      -1,
                      -1,
                      -1,
                      -1,
                      -1};
        add(f, &r);
    }
    struct r declined = {1,  2,       3,        "svc-b", "declined", sent, NULL, made,
                         3,  "25-34", "female", "white", -1,         -1,   -1,   -1,
                         -1, -1,      -1,       -1,      -1,         -1};
    add(f, &declined);
    struct r draft = declined;
    draft.status = "draft";
    draft.sent_at = NULL;
    add(f, &draft);
    struct r cancelled = draft;
    cancelled.status = "cancelled";
    cancelled.created_at = "2026-03-02T23:59:59Z";
    add(f, &cancelled);
    struct r withdrawn = {1,    1,  2,       "svc-a",  "completed", sent, "2026-03-02T15:00:00Z",
                          made, 1,  "25-34", "female", "white",     10,   30,
                          -1,   -1, -1,      -1,       -1,          -1,   -1,
                          -1};
    long long x = add(f, &withdrawn);
    consent(f, x, 1, "2026-01-01T00:00:00Z");
    consent(f, x, 0, "2026-02-01T00:00:00Z");
    struct r old = withdrawn;
    old.created_at = "2025-06-01T10:00:00Z";
    old.sent_at = "2025-06-01T10:00:00Z";
    old.contact_at = NULL;
    add(f, &old);

    /* South: 33 referrals, by sex female 10, male 8, indeterminate 5,
     * not_known 6, not recorded 4. */
    static const char *const sexes[] = {"female", "male", "indeterminate", "not_known", NULL};
    static const int counts[] = {10, 8, 5, 6, 4};
    for (int s = 0; s < 5; s++)
        for (int k = 0; k < counts[s]; k++) {
            struct r r = plain(2, 3, "sent", sexes[s]);
            add(f, &r);
        }
    fx_act_as(f, ROLE_VIEWER, 9, 1, NULL, 0);
    return 0;
}

static struct outcome_report build(struct fx *f, struct report_query q)
{
    struct outcome_report rep;
    ctx_clear_errors(&f->c);
    result res = outcome_report_build(&f->c, &q, &rep);
    if (res != RES_OK)
        fail_msg("report: %s (%s: %s)", f->c.detail, f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rep;
}

static void shown(const struct report_value *v, long long n, double value)
{
    assert_false(v->suppressed);
    assert_int_equal(v->n, n);
    assert_float_equal(v->value, value, 1e-6);
}

static void hidden(const struct report_value *v)
{
    assert_true(v->suppressed);
    assert_int_equal(v->n, 0); /* nothing left to leak */
    assert_float_equal(v->value, 0, 0);
}

/* The key SQLite packs as a referral is written (the migration's CASEs)
 * unpacks to the cells and status reports.c lists, for every code there is;
 * unknown and missing codes land in the unknown cell. */
static void the_report_key_agrees_with_the_dimensions(void **state)
{
    struct fx *f = *state;
    static const char *const cols[] = {"imd_quintile", "age_band", "sex", "ethnicity_group"};
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++)
        for (int i = 0; report_dimension_code(d, i); i++) {
            const char *code = report_dimension_code(d, i);
            bool unknown = strcmp(code, "unknown") == 0;
            struct r r = plain(1, 1, "sent", "female");
            r.imd = 0;
            r.age = r.sex = r.eth = NULL;
            if (d == 0) r.imd = unknown ? 0 : atoi(code);
            if (d == 1) r.age = unknown ? "no such band" : code;
            if (d == 2) r.sex = unknown ? NULL : code;
            if (d == 3) r.eth = unknown ? "martian" : code;
            long long pid = add(f, &r), key = -1;
            assert_int_equal(store_query_int(f->c.db, &key,
                                             "SELECT report_key FROM referrals WHERE"
                                             " participant_id = $1",
                                             "i", pid),
                             1);
            struct report_key k;
            assert_true(report_key_decode(key, &k));
            if (k.cell[d] != i) fail_msg("%s '%s' unpacks to cell %d", cols[d], code, k.cell[d]);
            assert_int_equal(k.status, REFERRAL_SENT);
            assert_true(k.sent);
        }
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        struct r r = plain(1, 1, referral_status_name((enum referral_status)s), "male");
        r.sent_at = s == REFERRAL_DRAFT ? NULL : r.sent_at;
        long long pid = add(f, &r), key = -1;
        assert_int_equal(store_query_int(f->c.db, &key,
                                         "SELECT report_key FROM referrals WHERE"
                                         " participant_id = $1",
                                         "i", pid),
                         1);
        struct report_key k;
        assert_true(report_key_decode(key, &k));
        assert_int_equal(k.status, s);
        assert_int_equal(k.sent, s != REFERRAL_DRAFT);
    }
    struct report_key k;
    assert_false(report_key_decode(15, &k));
    assert_false(report_key_decode(-1, &k));
}

/* The scans of the larger scopes read an index alone, never the table:
 * what keeps a report over a quarter of a million referrals fast. A column
 * added to the scan but not to the indexes would fail here. */
static void large_scopes_scan_covering_indexes(void **state)
{
    struct fx *f = *state;
    const enum report_scope covered[] = {SCOPE_SYSTEM, SCOPE_ORGANISATION, SCOPE_PLACE,
                                         SCOPE_NEIGHBOURHOOD};
    for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++) {
        const char *sql =
            arena_printf(f->c.a, "EXPLAIN QUERY PLAN %s", report_scan_sql(covered[i]));
        store_stmt *st = store_prepare(f->c.db, sql);
        assert_non_null(st);
        store_bind_text(st, 1, "2026-01-01");
        store_bind_text(st, 2, "2027-01-01");
        if (covered[i] != SCOPE_SYSTEM) store_bind_int(st, 3, 1);
        bool covering = false;
        while (store_step(st) == STORE_ROW)
            covering |= strstr(store_col_text(st, 3), "COVERING INDEX") != NULL;
        store_done(st);
        if (!covering) fail_msg("scope %d does not scan a covering index", (int)covered[i]);
    }
}

static void every_figure_for_a_place(void **state)
{
    struct fx *f = *state;
    struct outcome_report rep = build(f, (struct report_query){.place_id = 1});
    assert_string_equal(rep.scope_type, "place");
    assert_int_equal(rep.scope_id, 1);
    assert_string_equal(rep.scope_name, "North");
    assert_string_equal(rep.from, "2025-11-27");
    assert_string_equal(rep.to, "2026-11-26");
    const struct report_value *t = rep.total.fig;
    shown(&t[RF_REFERRALS], 12, 12);
    shown(&t[RF_SENT], 10, 10);
    shown(&t[RF_UPTAKE], 10, 0.9);
    shown(&t[RF_COMPLETION], 9, 6.0 / 9);
    shown(&t[RF_DAYS], 9, 5);
    assert_float_equal(t[RF_DAYS].median, 5, 0);
    shown(&t[RF_SWEMWBS], 6, 2);
    assert_true(t[RF_SWEMWBS].has_ci);
    assert_float_equal(t[RF_SWEMWBS].ci_low, -1.512084, 1e-5);
    assert_float_equal(t[RF_SWEMWBS].ci_high, 5.512084, 1e-5);
    assert_float_equal(t[RF_SWEMWBS].improved, 0.5, 1e-12);
    assert_float_equal(t[RF_SWEMWBS].declined, 1.0 / 6, 1e-12);
    shown(&t[RF_ONS_LIFE], 6, 2);
    assert_float_equal(t[RF_ONS_LIFE].ci_low, 2 - 0.938644, 1e-5);
    assert_float_equal(t[RF_ONS_LIFE].ci_high, 2 + 0.938644, 1e-5);
    shown(&t[RF_ONS_ANXIOUS], 6, -2);
    assert_float_equal(t[RF_ONS_ANXIOUS].ci_low, -2, 1e-9);
    assert_float_equal(t[RF_ONS_ANXIOUS].ci_high, -2, 1e-9);
    hidden(&t[RF_ONS_WORTH]); /* 4 pairs */
    hidden(&t[RF_ONS_HAPPY]); /* none */
    shown(&t[RF_UCLA], 6, -1);
    assert_float_equal(t[RF_UCLA].ci_low, -1.938644, 1e-5);
    assert_float_equal(t[RF_UCLA].ci_high, -0.061356, 1e-5);

    /* By status: only completed (6) is 5 or more; the rest are hidden. */
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        if (s == REFERRAL_COMPLETED)
            shown(&rep.status[s], 6, 6);
        else
            hidden(&rep.status[s]);

    /* IMD quintile 1 holds r1-r6: the same SWEMWBS figures; quintile 3 has
     * 6 referrals but 4 sent (uptake hidden) and 3 started (completion
     * hidden). Quintile 1's uptake, completion and days are hidden too:
     * with the whole scope's figures shown, they would give quintile 3's
     * away by subtraction (the other quintiles are empty). */
    const struct report_cell *q1 = cell(&rep, "imd_quintile", "1");
    assert_string_equal(q1->label, "1 (most deprived)");
    shown(&q1->fig[RF_REFERRALS], 6, 6);
    hidden(&q1->fig[RF_UPTAKE]);
    hidden(&q1->fig[RF_COMPLETION]);
    hidden(&q1->fig[RF_DAYS]);
    shown(&q1->fig[RF_SWEMWBS], 6, 2);
    assert_float_equal(q1->fig[RF_SWEMWBS].ci_low, -1.512084, 1e-5);
    assert_float_equal(q1->fig[RF_SWEMWBS].improved, 0.5, 1e-12);
    const struct report_cell *q3 = cell(&rep, "imd_quintile", "3");
    shown(&q3->fig[RF_REFERRALS], 6, 6);
    hidden(&q3->fig[RF_UPTAKE]);
    hidden(&q3->fig[RF_COMPLETION]);
    hidden(&q3->fig[RF_SWEMWBS]);
    hidden(&cell(&rep, "imd_quintile", "5")->fig[RF_REFERRALS]);
    hidden(&cell(&rep, "imd_quintile", "unknown")->fig[RF_REFERRALS]);
    shown(&cell(&rep, "age_band", "25-34")->fig[RF_REFERRALS], 12, 12);
    shown(&cell(&rep, "sex", "female")->fig[RF_UPTAKE], 10, 0.9);
    shown(&cell(&rep, "ethnicity_group", "white")->fig[RF_SWEMWBS], 6, 2);
    hidden(&cell(&rep, "ethnicity_group", "asian")->fig[RF_REFERRALS]);
}

static void small_cells_and_secondary_suppression(void **state)
{
    struct fx *f = *state;
    struct outcome_report rep = build(f, (struct report_query){.place_id = 2});
    shown(&rep.total.fig[RF_REFERRALS], 33, 33);
    shown(&rep.status[REFERRAL_SENT], 33, 33);
    /* Not recorded has 4: hidden. It is the only small cell, so the next
     * smallest, indeterminate (5), is hidden too, else 33 - 10 - 8 - 6 - 5
     * would give it away. */
    shown(&cell(&rep, "sex", "female")->fig[RF_REFERRALS], 10, 10);
    shown(&cell(&rep, "sex", "male")->fig[RF_REFERRALS], 8, 8);
    shown(&cell(&rep, "sex", "not_known")->fig[RF_REFERRALS], 6, 6);
    hidden(&cell(&rep, "sex", "unknown")->fig[RF_REFERRALS]);
    hidden(&cell(&rep, "sex", "indeterminate")->fig[RF_REFERRALS]);
    /* Nobody started: the uptake of 0 of 10 is shown, completion (of nobody) is not. */
    shown(&cell(&rep, "sex", "female")->fig[RF_UPTAKE], 10, 0);
    hidden(&cell(&rep, "sex", "female")->fig[RF_COMPLETION]);
    /* No pairs anywhere: every change is hidden. */
    hidden(&rep.total.fig[RF_SWEMWBS]);
    hidden(&rep.total.fig[RF_UCLA]);
    /* IMD: all in quintile 2, so several cells are empty and no secondary is needed. */
    shown(&cell(&rep, "imd_quintile", "2")->fig[RF_REFERRALS], 33, 33);
    hidden(&cell(&rep, "imd_quintile", "1")->fig[RF_REFERRALS]);
}

static void withdrawn_consent_excludes(void **state)
{
    struct fx *f = *state;
    /* Neighbourhood 1 holds r1-r6 and r13 (withdrawn): six count. */
    struct outcome_report rep = build(f, (struct report_query){.neighbourhood_id = 1});
    shown(&rep.total.fig[RF_REFERRALS], 6, 6);
    shown(&rep.total.fig[RF_SWEMWBS], 6, 2);
    /* Consent given again later: that person is back among the six; once
     * withdrawn again, five remain. */
    fx_sql(f, "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
              " recorded_by, created_at, updated_at) SELECT participant_id,"
              " 'anonymised_reporting', 0, 'written', '2026-05-01T00:00:00Z', 'test',"
              " '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z' FROM referrals WHERE"
              " swemwbs_f = 25");
    rep = build(f, (struct report_query){.neighbourhood_id = 1});
    shown(&rep.total.fig[RF_REFERRALS], 5, 5);
    shown(&rep.total.fig[RF_SWEMWBS], 5, 1.4); /* 3, 1, 0, -3, 6 */
    /* Other scopes of consent do not matter. */
    fx_sql(f, "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
              " recorded_by, created_at, updated_at) SELECT participant_id,"
              " 'story_public', 0, 'written', '2026-05-01T00:00:00Z', 'test',"
              " '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z' FROM referrals WHERE"
              " swemwbs_f = 23");
    rep = build(f, (struct report_query){.neighbourhood_id = 1});
    shown(&rep.total.fig[RF_REFERRALS], 5, 5);
}

static void scopes(void **state)
{
    struct fx *f = *state;
    struct outcome_report rep = build(f, (struct report_query){.service_id = "svc-a"});
    assert_string_equal(rep.scope_type, "service");
    assert_string_equal(rep.scope_name, "svc-a"); /* not in the directory: the referral's name */
    shown(&rep.total.fig[RF_REFERRALS], 9 + 33, 42);
    rep = build(f, (struct report_query){.service_id = "svc-b"});
    hidden(&rep.total.fig[RF_REFERRALS]); /* 3 */
    rep = build(f, (struct report_query){.organisation_id = 2});
    assert_string_equal(rep.scope_name, "Arts A");
    shown(&rep.total.fig[RF_REFERRALS], 42, 42);
    rep = build(f, (struct report_query){.organisation_id = 3});
    hidden(&rep.total.fig[RF_REFERRALS]);
    rep = build(f, (struct report_query){.neighbourhood_id = 2});
    assert_string_equal(rep.scope_name, "N Two");
    shown(&rep.total.fig[RF_REFERRALS], 6, 6);
    hidden(&rep.total.fig[RF_UPTAKE]); /* 4 sent */
    rep = build(f, (struct report_query){0});
    assert_string_equal(rep.scope_type, "system");
    assert_null(rep.scope_name);
    shown(&rep.total.fig[RF_REFERRALS], 45, 45);
}

static void date_range(void **state)
{
    struct fx *f = *state;
    /* to is inclusive: r1-r11 were made on 1 March at 10:00; r12 on 2 March. */
    struct outcome_report rep =
        build(f, (struct report_query){.place_id = 1, .from = "2026-03-01", .to = "2026-03-01"});
    shown(&rep.total.fig[RF_REFERRALS], 11, 11);
    rep = build(f, (struct report_query){.place_id = 1, .from = "2026-03-02", .to = "2026-03-02"});
    hidden(&rep.total.fig[RF_REFERRALS]); /* 1 */
    /* From further back, r14 counts (the range is 13 referrals). */
    rep = build(f, (struct report_query){.place_id = 1, .from = "2025-01-01"});
    shown(&rep.total.fig[RF_REFERRALS], 13, 13);
    assert_string_equal(rep.to, "2026-11-26");
    /* Only to: the twelve months before it. */
    rep = build(f, (struct report_query){.place_id = 1, .to = "2025-12-31"});
    assert_string_equal(rep.from, "2025-01-01");
    hidden(&rep.total.fig[RF_REFERRALS]); /* r14 only */
}

static void bad_parameters(void **state)
{
    struct fx *f = *state;
    struct outcome_report rep;
    struct report_query two = {.place_id = 1, .service_id = "svc-a"};
    assert_int_equal(outcome_report_build(&f->c, &two, &rep), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    assert_non_null(fx_field_error(f, "service_id"));
    ctx_clear_errors(&f->c);
    struct report_query cases[] = {
        {.place_id = 99},
        {.neighbourhood_id = 99},
        {.organisation_id = 99},
        {.service_id = "no-such-service"},
        {.from = "2026-02-30"},
        {.to = "26-01-01"},
        {.from = "2026-05-02", .to = "2026-05-01"},
        {.place_id = -1},
    };
    const char *fields[] = {
        "place_id", "neighbourhood_id", "organisation_id", "service_id", "from", "to",
        "from",     "place_id"};
    for (int i = 0; i < 8; i++) {
        ctx_clear_errors(&f->c);
        assert_int_equal(outcome_report_build(&f->c, &cases[i], &rep), RES_INVALID);
        if (!fx_field_error(f, fields[i])) fail_msg("case %d names no %s", i, fields[i]);
    }
    fx_operator(f);
    f->c.by_operator = false;
    struct report_query none = {0};
    assert_int_equal(outcome_report_build(&f->c, &none, &rep), RES_UNAUTHENTICATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_report_key_agrees_with_the_dimensions, setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(large_scopes_scan_covering_indexes, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(every_figure_for_a_place, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(small_cells_and_secondary_suppression, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(withdrawn_consent_excludes, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scopes, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(date_range, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_parameters, setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
