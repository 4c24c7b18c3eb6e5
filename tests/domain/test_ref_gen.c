/*
 * test_ref_gen.c: the synthetic cohort generator (chis gen referrals): it
 * refuses without a directory; the same seed makes the same rows; the
 * counts are those asked for; every referral's timestamps, events and
 * status tell one consistent story; the score columns are the outcome
 * rows' scores, and those are measures.h's; the frozen equity columns are
 * the person's; SNOMED codes and episodes follow referrals.h; the mix of
 * states and the change in wellbeing look like a real service's.
 */
#include "unit.h"

#include "base/buf.h"
#include "domain/dir_gen.h"
#include "domain/measures.h"
#include "domain/participants.h"
#include "domain/ref_gen.h"
#include "domain/referrals.h"

#include <math.h>

/* A directory of n services from seed 7 in f; asserts it worked. */
static void directory(struct fx *f, long long n)
{
    struct dir_gen g = {.services = n, .seed = 7};
    struct dir_gen_result out;
    assert_int_equal(dir_generate(&f->c, &g, &out), RES_OK);
}

/* A cohort of n people; asserts it worked. */
static struct ref_gen_result cohort(struct fx *f, long long n, double k, unsigned long long seed)
{
    struct ref_gen g = {.participants = n, .per_participant = k, .seed = seed};
    struct ref_gen_result out;
    result res = ref_generate(&f->c, &g, &out);
    if (res != RES_OK)
        fail_msg("ref_generate: %s (%s)", f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return out;
}

/* Every row of sql (columns joined by '|', rows by newlines), in f's arena. */
static const char *dump(struct fx *f, const char *sql)
{
    buf b;
    buf_init(&b, f->c.a, 1 << 16);
    store_stmt *st = store_prepare(f->c.db, sql);
    assert_non_null(st);
    while (store_step(st) == STORE_ROW) {
        for (int i = 0; i < store_col_count(st); i++)
            buf_printf(&b, "%s%s", i ? "|" : "",
                       store_col_null(st, i) ? "~" : store_col_text(st, i));
        buf_printf(&b, "\n");
    }
    store_done(st);
    return b.data;
}

static const char *const tables_sql[] = {
    "SELECT * FROM participants ORDER BY id",    "SELECT * FROM consents ORDER BY id",
    "SELECT * FROM referrals ORDER BY id",       "SELECT * FROM referral_needs ORDER BY 1, 2",
    "SELECT * FROM referral_events ORDER BY id", "SELECT * FROM outcomes ORDER BY id",
    "SELECT * FROM places ORDER BY id",          "SELECT * FROM neighbourhoods ORDER BY id",
};

static void refuses_without_a_directory(void **state)
{
    struct fx *f = *state;
    struct ref_gen g = {.participants = 10, .seed = 1};
    struct ref_gen_result out;
    assert_int_equal(ref_generate(&f->c, &g, &out), RES_CONFLICT);
    assert_non_null(strstr(f->c.detail, "chis gen directory"));
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants"), 0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM places"), 0);
    /* Sizes out of range, and anyone but the operator. */
    directory(f, 5);
    g.participants = 0;
    assert_int_equal(ref_generate(&f->c, &g, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "participants"));
    ctx_clear_errors(&f->c);
    g = (struct ref_gen){.participants = 5, .per_participant = 0.5, .until = "2026-13-01"};
    assert_int_equal(ref_generate(&f->c, &g, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "per_participant"));
    assert_non_null(fx_field_error(f, "until"));
    fx_act_as(f, ROLE_ADMIN, 1, 1, NULL, 0);
    g = (struct ref_gen){.participants = 5};
    assert_int_equal(ref_generate(&f->c, &g, &out), RES_FORBIDDEN);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals"), 0);
}

static void the_same_seed_makes_the_same_cohort(void **state)
{
    struct fx *f = *state;
    void *other = NULL;
    assert_int_equal(fx_setup(&other), 0);
    struct fx *g = other;
    directory(f, 30);
    directory(g, 30);
    struct ref_gen_result a = cohort(f, 200, 2.5, 99), b = cohort(g, 200, 2.5, 99);
    assert_int_equal(a.referrals, b.referrals);
    assert_int_equal(a.outcomes, b.outcomes);
    for (size_t i = 0; i < sizeof tables_sql / sizeof tables_sql[0]; i++) {
        const char *x = dump(f, tables_sql[i]), *y = dump(g, tables_sql[i]);
        assert_true(strlen(x) > 10);
        assert_string_equal(x, y);
    }
    fx_teardown(&other);
    /* Another seed, another cohort. */
    assert_int_equal(fx_setup(&other), 0);
    g = other;
    directory(g, 30);
    cohort(g, 200, 2.5, 100);
    assert_string_not_equal(dump(f, tables_sql[2]), dump(g, tables_sql[2]));
    fx_teardown(&other);
}

static void the_counts_are_those_asked_for(void **state)
{
    struct fx *f = *state;
    directory(f, 20);
    struct ref_gen_result r = cohort(f, 301, 1.7, 5);
    assert_int_equal(r.participants, 301);
    assert_int_equal(r.referrals, 512); /* 301 x 1.7 = 511.7 */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants"), 301);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals"), 512);
    assert_int_equal(fx_count(f, "SELECT COUNT(DISTINCT participant_id) FROM referrals"), 301);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outcomes"), r.outcomes);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referral_events"), r.events);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referral_needs"), r.needs);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM consents"), r.consents);
    assert_true(r.consents >= 301);
    long long sum = 0;
    for (int s = 0; s < 9; s++) {
        long long n = 0;
        assert_int_equal(store_query_int(f->c.db, &n,
                                         "SELECT COUNT(*) FROM referrals WHERE status = $1", "t",
                                         ref_gen_status_name(s)),
                         1);
        assert_int_equal(n, r.by_status[s]);
        sum += n;
    }
    assert_int_equal(sum, 512);
    /* With no neighbourhoods it made four places of ten, and a referrer each. */
    assert_int_equal(r.places, 4);
    assert_int_equal(r.neighbourhoods, 40);
    assert_int_equal(r.organisations, 4);
    assert_int_equal(fx_count(f, "SELECT COUNT(DISTINCT referring_org_id) FROM referrals"), 4);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r JOIN organisation_places op"
                                 " ON op.organisation_id = r.referring_org_id"
                                 " AND op.place_id = r.place_id"),
                     512);
    /* Receiving organisations are the services' own. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r"
                                 " JOIN dir_services s ON s.id = r.service_id"
                                 " JOIN dir_organizations o ON o.id = s.organization_id"
                                 " WHERE o.organisation_id = r.receiving_org_id"
                                 " AND s.name = r.service_name"),
                     512);
    /* The busiest place and service are reported as the rows have them. */
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n,
                                     "SELECT COUNT(*) FROM referrals WHERE place_id = $1"
                                     " AND referring_org_id = $2",
                                     "ii", r.top_place_id, r.top_place_referrer),
                     1);
    assert_int_equal(n, r.top_place_referrals);
    assert_int_equal(fx_count(f, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM referrals"
                                 " GROUP BY place_id)"),
                     r.top_place_referrals);
    assert_non_null(r.top_service_id);
    assert_int_equal(store_query_int(f->c.db, &n,
                                     "SELECT COUNT(*) FROM referrals WHERE service_id = $1"
                                     " AND receiving_org_id = $2",
                                     "ti", r.top_service_id, r.top_service_org),
                     1);
    assert_int_equal(n, r.top_service_referrals);
    assert_int_equal(fx_count(f, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM referrals"
                                 " GROUP BY service_id)"),
                     r.top_service_referrals);
    /* A second run adds to the first, with ids after its own. */
    struct ref_gen_result again = cohort(f, 10, 1, 6);
    assert_int_equal(again.places, 0);
    assert_int_equal(again.organisations, 0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals"), 522);
    assert_int_equal(fx_count(f, "SELECT MAX(id) FROM participants"), 311);
}

/* The transitions the issue allows (from, to), and the creation of a draft. */
static bool allowed(const char *from, const char *to)
{
    static const char *const moves[][2] = {
        {"", "draft"},
        {"draft", "sent"},
        {"sent", "accepted"},
        {"sent", "declined"},
        {"sent", "waitlisted"},
        {"waitlisted", "accepted"},
        {"waitlisted", "declined"},
        {"accepted", "started"},
        {"started", "completed"},
        {"started", "dropped_out"},
        {"draft", "cancelled"},
        {"sent", "cancelled"},
        {"waitlisted", "cancelled"},
        {"accepted", "cancelled"},
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (strcmp(moves[i][0], from) == 0 && strcmp(moves[i][1], to) == 0) return true;
    return false;
}

static void every_referral_tells_one_story(void **state)
{
    struct fx *f = *state;
    directory(f, 20);
    cohort(f, 400, 2.5, 11);
    /* Timestamps in lifecycle order (NULLs skipped). */
    assert_int_equal(
        fx_count(f, "SELECT COUNT(*) FROM referrals WHERE"
                    " COALESCE(sent_at, created_at) < created_at"
                    " OR COALESCE(first_contact_at, sent_at) < sent_at"
                    " OR COALESCE(accepted_at, first_contact_at) < first_contact_at"
                    " OR COALESCE(started_at, accepted_at) < accepted_at"
                    " OR COALESCE(ended_at, started_at) < started_at"
                    " OR ended_at < COALESCE(accepted_at, first_contact_at, sent_at, created_at)"
                    " OR updated_at < created_at OR ended_at > '2026-10-31T23:59:59Z'"),
        0);
    /* What each status has and has not. */
    static const char *const rules[] = {
        "status = 'draft' AND (sent_at IS NOT NULL OR ended_at IS NOT NULL)",
        "status = 'sent' AND (sent_at IS NULL OR first_contact_at IS NOT NULL)",
        "status = 'waitlisted' AND (first_contact_at IS NULL OR accepted_at IS NOT NULL)",
        "status = 'accepted' AND (accepted_at IS NULL OR started_at IS NOT NULL)",
        "status = 'started' AND (started_at IS NULL OR ended_at IS NOT NULL)",
        "status IN ('completed','dropped_out') AND (started_at IS NULL OR ended_at IS NULL)",
        "status = 'declined' AND (ended_at IS NULL OR first_contact_at IS NULL OR started_at IS"
        " NOT NULL OR declined_by IS NULL OR reason IS NULL)",
        "status = 'cancelled' AND (ended_at IS NULL OR started_at IS NOT NULL OR reason IS NULL)",
        "status = 'dropped_out' AND reason IS NULL",
        "status <> 'declined' AND declined_by IS NOT NULL",
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        long long n = -1;
        assert_int_equal(store_query_int(f->c.db, &n,
                                         arena_printf(f->c.a,
                                                      "SELECT COUNT(*) FROM referrals"
                                                      " WHERE %s",
                                                      rules[i]),
                                         NULL),
                         1);
        if (n != 0) fail_msg("%lld referrals break: %s", n, rules[i]);
    }
    /* The events: allowed moves, each from where the last left, in time order,
     * ending in the referral's status at its updated_at. */
    store_stmt *st =
        store_prepare(f->c.db, "SELECT e.referral_id, COALESCE(e.from_status, ''),"
                               " e.to_status, e.at, r.status, r.updated_at"
                               " FROM referral_events e JOIN referrals r"
                               " ON r.id = e.referral_id ORDER BY e.referral_id, e.id");
    long long prev_id = 0, n = 0;
    char prev_to[16] = "", prev_at[24] = "", status[16] = "", updated[24] = "";
    while (store_step(st) == STORE_ROW) {
        long long id = store_col_int(st, 0);
        const char *from = store_col_text(st, 1), *to = store_col_text(st, 2);
        const char *at = store_col_text(st, 3);
        if (id != prev_id) {
            if (prev_id) { /* the previous referral ended where its row says */
                assert_string_equal(prev_to, status);
                assert_string_equal(prev_at, updated);
            }
            assert_string_equal(from, "");
            prev_id = id;
        } else {
            assert_string_equal(from, prev_to);
            assert_true(strcmp(at, prev_at) >= 0);
        }
        if (!allowed(from, to)) fail_msg("referral %lld moved %s -> %s", id, from, to);
        snprintf(prev_to, sizeof prev_to, "%s", to);
        snprintf(prev_at, sizeof prev_at, "%s", at);
        snprintf(status, sizeof status, "%s", store_col_text(st, 4));
        snprintf(updated, sizeof updated, "%s", store_col_text(st, 5));
        n++;
    }
    store_done(st);
    assert_true(n > 1000);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r WHERE NOT EXISTS"
                                 " (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id)"),
                     0);
    /* Needs are terms of the taxonomy. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referral_needs n WHERE NOT EXISTS"
                                 " (SELECT 1 FROM dir_taxonomy_terms t WHERE t.id = n.term_id)"),
                     0);
    /* SNOMED and episodes: a person's first referral opens an episode; the
     * person's declines carry the declined code; an episode is the person's. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r WHERE r.id ="
                                 " (SELECT MIN(id) FROM referrals x WHERE x.participant_id ="
                                 " r.participant_id) AND (r.episode_id <> r.id OR"
                                 " r.snomed_code IS NULL)"),
                     0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE (declined_by = 'person')"
                                 " <> (COALESCE(snomed_code, '') = '" SNOMED_SP_DECLINED "')"),
                     0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r JOIN referrals e"
                                 " ON e.id = r.episode_id WHERE e.participant_id <>"
                                 " r.participant_id OR e.id > r.id"
                                 " OR (e.id = r.id) <> (r.snomed_code IS NOT NULL AND"
                                 " r.snomed_code = '" SNOMED_SP_REFERRAL "')"
                                 " AND r.declined_by IS NOT 'person'"),
                     0);
    assert_true(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE episode_id <> id") > 0);
    /* A referral is in a new episode exactly when none of the person's
     * earlier ones was still open when it was made. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r WHERE (r.episode_id = r.id) <>"
                                 " NOT EXISTS (SELECT 1 FROM referrals x WHERE x.participant_id ="
                                 " r.participant_id AND x.id < r.id AND (x.ended_at IS NULL OR"
                                 " x.ended_at > r.created_at))"),
                     0);
}

static void scores_match_the_outcomes_and_the_person(void **state)
{
    struct fx *f = *state;
    directory(f, 20);
    cohort(f, 500, 2, 3);
    /* Every outcome row scored as measures.h scores its answers. */
    store_stmt *st = store_prepare(f->c.db, "SELECT measure, answers, raw_score, metric_score,"
                                            " stage, recorded_at FROM outcomes");
    long long n = 0;
    while (store_step(st) == STORE_ROW) {
        enum measure m;
        assert_true(measure_parse(store_col_text(st, 0), &m));
        int answers[MEASURE_MAX_ITEMS], k = 0;
        const char *p = store_col_text(st, 1);
        assert_int_equal(*p, '[');
        for (p++; *p && *p != ']' && k < MEASURE_MAX_ITEMS; k++) {
            answers[k] = (int)strtol(p, (char **)&p, 10);
            if (*p == ',') p++;
        }
        struct measure_score s;
        assert_int_equal(measure_score(&f->c, m, answers, k, &s), RES_OK);
        if (m == MEASURE_ONS4) {
            assert_true(store_col_null(st, 2));
        } else {
            assert_true(fabs(store_col_double(st, 2) - s.raw) < 1e-9);
        }
        if (m == MEASURE_SWEMWBS)
            assert_true(fabs(store_col_double(st, 3) - s.metric) < 1e-9);
        else
            assert_true(store_col_null(st, 3));
        n++;
    }
    store_done(st);
    assert_true(n > 500);
    /* The referral's score columns are its outcome rows'. */
    static const char *const pairs[] = {
        "r.swemwbs_b IS NOT o.metric_score FROM referrals r LEFT JOIN outcomes o ON"
        " o.referral_id = r.id AND o.measure = 'swemwbs' AND o.stage = 'baseline'",
        "r.swemwbs_f IS NOT o.metric_score FROM referrals r LEFT JOIN outcomes o ON"
        " o.referral_id = r.id AND o.measure = 'swemwbs' AND o.stage = 'final'",
        "r.ucla_b IS NOT CAST(o.raw_score AS INTEGER) FROM referrals r LEFT JOIN outcomes o ON"
        " o.referral_id = r.id AND o.measure = 'ucla3' AND o.stage = 'baseline'",
        "r.ucla_f IS NOT CAST(o.raw_score AS INTEGER) FROM referrals r LEFT JOIN outcomes o ON"
        " o.referral_id = r.id AND o.measure = 'ucla3' AND o.stage = 'final'",
        "(r.ons_life_b || ',' || r.ons_worth_b || ',' || r.ons_happy_b || ',' ||"
        " r.ons_anxious_b) IS NOT substr(o.answers, 2, length(o.answers) - 2) FROM referrals r"
        " LEFT JOIN outcomes o ON o.referral_id = r.id AND o.measure = 'ons4' AND"
        " o.stage = 'baseline'",
        "(r.ons_life_f || ',' || r.ons_worth_f || ',' || r.ons_happy_f || ',' ||"
        " r.ons_anxious_f) IS NOT substr(o.answers, 2, length(o.answers) - 2) FROM referrals r"
        " LEFT JOIN outcomes o ON o.referral_id = r.id AND o.measure = 'ons4' AND"
        " o.stage = 'final'",
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        long long bad = -1;
        const char *from = strstr(pairs[i], " FROM ");
        const char *sql =
            arena_printf(f->c.a, "SELECT COUNT(*) FROM (SELECT %.*s AS bad%s) WHERE bad",
                         (int)(from - pairs[i]), pairs[i], from);
        assert_int_equal(store_query_int(f->c.db, &bad, sql, NULL), 1);
        if (bad != 0) fail_msg("%lld referrals disagree with their outcomes: %s", bad, pairs[i]);
    }
    /* Outcomes belong to the referral's person, at the right moments. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outcomes o JOIN referrals r ON"
                                 " r.id = o.referral_id WHERE o.participant_id <> r.participant_id"
                                 " OR (o.stage = 'baseline' AND o.recorded_at IS NOT r.started_at)"
                                 " OR (o.stage = 'final' AND (r.status <> 'completed' OR"
                                 " o.recorded_at IS NOT r.ended_at))"),
                     0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM outcomes o WHERE o.stage = 'final' AND"
                                 " NOT EXISTS (SELECT 1 FROM outcomes b WHERE b.referral_id ="
                                 " o.referral_id AND b.measure = o.measure AND b.stage ="
                                 " 'baseline')"),
                     0);
    /* The frozen equity columns are the person's. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM referrals r JOIN participants p ON"
                                 " p.id = r.participant_id WHERE r.imd_quintile <>"
                                 " (p.imd_decile + 1) / 2 OR r.sex IS NOT p.sex OR r.place_id IS"
                                 " NOT p.place_id OR r.neighbourhood_id IS NOT p.neighbourhood_id"
                                 " OR r.referring_org_id <> p.organisation_id"),
                     0);
    st = store_prepare(f->c.db, "SELECT p.date_of_birth, r.created_at, r.age_band, p.ethnicity,"
                                " r.ethnicity_group FROM referrals r JOIN participants p"
                                " ON p.id = r.participant_id");
    n = 0;
    while (store_step(st) == STORE_ROW) {
        const char *band = age_band(store_col_text(st, 0), store_col_text(st, 1));
        assert_non_null(band);
        assert_string_equal(band, store_col_text(st, 2));
        const char *group = ethnicity_group(store_col_text(st, 3));
        assert_non_null(group);
        assert_string_equal(group, store_col_text(st, 4));
        n++;
    }
    store_done(st);
    assert_int_equal(n, 1000);
    /* The person's neighbourhood and decile are the neighbourhood's. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants p JOIN neighbourhoods n ON"
                                 " n.id = p.neighbourhood_id WHERE n.imd_decile <> p.imd_decile"
                                 " OR n.place_id <> p.place_id"),
                     0);
    /* Last contact is the person's latest event. */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants p WHERE p.last_contact_at <>"
                                 " (SELECT MAX(e.at) FROM referral_events e JOIN referrals r ON"
                                 " r.id = e.referral_id WHERE r.participant_id = p.id)"),
                     0);
}

static void the_cohort_looks_like_a_real_service(void **state)
{
    struct fx *f = *state;
    directory(f, 40);
    struct ref_gen_result r = cohort(f, 2000, 2.5, 2026);
    /* Most complete; every state shows up. */
    for (int s = 0; s < 9; s++)
        if (s != REFERRAL_COMPLETED) assert_true(r.by_status[REFERRAL_COMPLETED] > r.by_status[s]);
    assert_true(r.by_status[REFERRAL_COMPLETED] * 2 > r.referrals);
    for (int s = REFERRAL_SENT; s <= REFERRAL_CANCELLED; s++)
        if (r.by_status[s] == 0) fail_msg("no referral is %s", ref_gen_status_name(s));
    /* About two outcome rows a referral. */
    assert_true(r.outcomes > r.referrals * 17 / 10 && r.outcomes < r.referrals * 23 / 10);
    /* A modest mean improvement in SWEMWBS, and UCLA loneliness down. */
    store_stmt *st = store_prepare(f->c.db, "SELECT AVG(swemwbs_f - swemwbs_b), AVG(ucla_f -"
                                            " ucla_b), AVG(swemwbs_b), COUNT(swemwbs_f)"
                                            " FROM referrals");
    assert_int_equal(store_step(st), STORE_ROW);
    double change = store_col_double(st, 0), ucla = store_col_double(st, 1);
    double baseline = store_col_double(st, 2);
    long long paired = store_col_int(st, 3);
    store_done(st);
    assert_true(change > 1.0 && change < 5.0);
    assert_true(ucla < 0);
    assert_true(baseline > 16 && baseline < 23);
    assert_true(paired > 1000);
    /* More referrals from the most deprived neighbourhoods than the least. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE imd_quintile = 1") >
                2 * fx_count(f, "SELECT COUNT(*) FROM referrals WHERE imd_quintile = 5") / 1.2);
    /* More women than men, and several ethnic groups and age bands. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM participants WHERE sex = 'female'") >
                fx_count(f, "SELECT COUNT(*) FROM participants WHERE sex = 'male'"));
    assert_true(fx_count(f, "SELECT COUNT(DISTINCT ethnicity_group) FROM referrals") >= 5);
    assert_true(fx_count(f, "SELECT COUNT(DISTINCT age_band) FROM referrals") >= 7);
    /* Open referrals are recent ones: those made in the last year hold most. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM referrals WHERE status IN ('sent','accepted',"
                            "'waitlisted','started') AND created_at >= '2025-10-31'") >
                fx_count(f, "SELECT COUNT(*) FROM referrals WHERE status IN ('sent','accepted',"
                            "'waitlisted','started') AND created_at < '2025-10-31'"));
    /* A few people withdrew anonymised reporting. */
    long long withdrawn = fx_count(f, "SELECT COUNT(*) FROM consents WHERE scope ="
                                      " 'anonymised_reporting' AND given = 0");
    assert_true(withdrawn > 5 && withdrawn < 60);
}

/* The cohort lives in the neighbourhoods there are, placed by their LSOAs
 * and deprivation, and the organisation with a link worker refers them. */
static void uses_the_structure_there_is(void **state)
{
    struct fx *f = *state;
    directory(f, 10);
    const char *now = "2026-01-01T00:00:00Z";
    assert_true(store_run(f->c.db,
                          "INSERT INTO places (name, created_at, updated_at)"
                          " VALUES ('Testplace', $1, $1)",
                          "t", now) == 1);
    assert_true(store_run(f->c.db,
                          "INSERT INTO neighbourhoods (place_id, name, population,"
                          " imd_decile, created_at, updated_at) VALUES (1, 'One', 100,"
                          " 9, $1, $1), (1, 'Two', 100, 2, $1, $1)",
                          "t", now) == 2);
    assert_true(store_run(f->c.db,
                          "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id)"
                          " VALUES ('X01000001', 1), ('X01000002', 1)",
                          NULL) == 2);
    assert_true(store_run(f->c.db,
                          "INSERT INTO lsoa_imd (lsoa, imd_decile) VALUES"
                          " ('X01000002', 3)",
                          NULL) == 1);
    assert_true(store_run(f->c.db,
                          "INSERT INTO organisations (name, sector, created_at,"
                          " updated_at) VALUES ('Test PCN', 'nhs', $1, $1)",
                          "t", now) == 1);
    long long org = fx_count(f, "SELECT id FROM organisations WHERE name = 'Test PCN'");
    assert_true(store_run(f->c.db, "INSERT INTO organisation_places VALUES ($1, 1)", "i", org) ==
                1);
    assert_true(store_run(f->c.db,
                          "INSERT INTO users (email, name, role, organisation_id,"
                          " password_hash, created_at, updated_at) VALUES"
                          " ('lw@example.org', 'LW', 'link_worker', $1, 'x', $2, $2)",
                          "it", org, now) == 1);
    struct ref_gen_result r = cohort(f, 300, 1, 4);
    assert_int_equal(r.places + r.neighbourhoods + r.organisations, 0);
    long long others = -1;
    assert_int_equal(store_query_int(f->c.db, &others,
                                     "SELECT COUNT(*) FROM referrals WHERE referring_org_id <> $1",
                                     "i", org),
                     1);
    assert_int_equal(others, 0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants WHERE place_id <> 1"), 0);
    /* People in One have one of its LSOAs and that LSOA's decile (or One's). */
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants WHERE neighbourhood_id = 1"
                                 " AND NOT ((lsoa = 'X01000001' AND imd_decile = 9) OR"
                                 " (lsoa = 'X01000002' AND imd_decile = 3))"),
                     0);
    assert_true(fx_count(f, "SELECT COUNT(*) FROM participants WHERE lsoa = 'X01000002'") > 0);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM participants WHERE neighbourhood_id = 2"
                                 " AND (lsoa IS NOT NULL OR imd_decile <> 2)"),
                     0);
    /* Two is more deprived: more of the people live there. */
    assert_true(fx_count(f, "SELECT COUNT(*) FROM participants WHERE neighbourhood_id = 2") >
                fx_count(f, "SELECT COUNT(*) FROM participants WHERE neighbourhood_id = 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(refuses_without_a_directory, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_same_seed_makes_the_same_cohort, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_counts_are_those_asked_for, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(every_referral_tells_one_story, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scores_match_the_outcomes_and_the_person, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(the_cohort_looks_like_a_real_service, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(uses_the_structure_there_is, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
