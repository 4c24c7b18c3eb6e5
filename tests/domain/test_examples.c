/*
 * test_examples.c: the shipped illustrative examples arrive once and stay
 * as edited; examples are validated and only leads write them; and the
 * demo now loads leadership, strategy and governance records with the
 * shape the views need (gaps in coverage, a network with separate parts,
 * all three compliance states, accountability chains without loops), with
 * dates that follow the clock.
 */
#include "unit.h"

#include "domain/compliance.h"
#include "domain/demo.h"
#include "domain/examples.h"

#include <stdio.h>

/* A count from SQL with one text parameter. */
static long long count_with(struct fx *f, const char *sql, const char *text)
{
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n, sql, "t", text), 1);
    return n;
}

/* The ctx's clock plus days, as YYYY-MM-DD (static storage, one at a time). */
static const char *date_from_now(struct fx *f, int days)
{
    static char out[40];
    time_t t = f->c.now + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, sizeof out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return out;
}

/* A valid new example, as a system lead would send it. */
static rec *new_example(struct fx *f, const char *slug)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "slug", slug);
    rec_set_text(r, "title", "Singing for lung health in a market town");
    rec_set_text(r, "system_name", "Somewhere ICS");
    rec_set_text(r, "illustrates", "leadership: champions");
    rec_set_text(r, "body_markdown", "## What it is\n\nA <b>choir</b>.\n\n- one\n- two\n");
    return r;
}

static void examples_ensure_adds_the_shipped_examples_once(void **state)
{
    struct fx *f = *state;
    long long n = (long long)shipped_examples_len;
    assert_true(n >= 3);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM examples"), 0);
    assert_int_equal(examples_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM examples"), n);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'examples'"
                                 " AND action = 'create'"),
                     n);
    assert_int_equal(examples_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM examples"), n);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'examples'"), n);
    for (size_t i = 0; i < shipped_examples_len; i++)
        assert_int_equal(count_with(f, "SELECT count(*) FROM examples WHERE slug = $1",
                                    shipped_examples[i].slug),
                         1);

    /* An edit survives the next open; a shipped example that went missing comes back. */
    long long id =
        count_with(f, "SELECT id FROM examples WHERE slug = $1", shipped_examples[0].slug);
    rec *change = rec_new(f->c.a);
    rec_set_text(change, "title", "Our own title");
    assert_int_equal(entity_update(&f->c, &entity_examples, id, change, NULL), RES_OK);
    assert_true(store_run(f->c.db, "DELETE FROM examples WHERE slug = $1", "t",
                          shipped_examples[1].slug) == 1);
    assert_int_equal(examples_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM examples"), n);
    assert_int_equal(
        count_with(f, "SELECT count(*) FROM examples WHERE title = $1", "Our own title"), 1);
}

static void examples_are_validated_and_only_leads_change_them(void **state)
{
    struct fx *f = *state;
    assert_int_equal(examples_ensure(&f->c), RES_OK);
    rec *out = NULL;

    fx_act_as(f, ROLE_VIEWER, 1, 1, NULL, 0);
    assert_false(examples_may_write(&f->c));
    assert_int_equal(entity_create(&f->c, &entity_examples, new_example(f, "choir"), NULL),
                     RES_FORBIDDEN);
    assert_int_equal(entity_get(&f->c, &entity_examples, 1, &out), RES_OK);
    rec *change = rec_new(f->c.a);
    rec_set_text(change, "title", "Mine now");
    assert_int_equal(entity_update(&f->c, &entity_examples, 1, change, NULL), RES_FORBIDDEN);
    long long led[] = {1};
    fx_act_as(f, ROLE_PLACE_LEAD, 2, 1, led, 1);
    assert_int_equal(entity_update(&f->c, &entity_examples, 1, change, NULL), RES_FORBIDDEN);
    fx_act_as(f, ROLE_PROVIDER, 3, 1, NULL, 0);
    assert_int_equal(entity_create(&f->c, &entity_examples, new_example(f, "choir"), NULL),
                     RES_FORBIDDEN);

    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    assert_true(examples_may_write(&f->c));
    static const char *const bad_slugs[] = {"Choir",        "ab",         "-choir",     "choir-",
                                            "two--hyphens", "with space", "caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad_slugs / sizeof bad_slugs[0]; i++) {
        fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
        assert_int_equal(entity_create(&f->c, &entity_examples, new_example(f, bad_slugs[i]), NULL),
                         RES_INVALID);
        assert_non_null(fx_field_error(f, "slug"));
    }
    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    assert_int_equal(
        entity_create(&f->c, &entity_examples, new_example(f, shipped_examples[0].slug), NULL),
        RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "slug"), "already exists"));

    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    rec *r = new_example(f, "market-town-choir");
    rec_set_null(r, "title");
    rec_set_text(r, "colour", "red");
    assert_int_equal(entity_create(&f->c, &entity_examples, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "title"), "Enter the title");
    assert_non_null(fx_field_error(f, "colour"));

    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    char *big = arena_alloc(f->c.a, EXAMPLE_BODY_MAX + 2);
    memset(big, 'x', EXAMPLE_BODY_MAX + 1);
    r = new_example(f, "market-town-choir");
    rec_set_text(r, "body_markdown", big);
    assert_int_equal(entity_create(&f->c, &entity_examples, r, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "body_markdown"));

    /* Markdown is stored as written (HTML included): it is made safe when it is rendered. */
    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    assert_int_equal(
        entity_create(&f->c, &entity_examples, new_example(f, "market-town-choir"), &out), RES_OK);
    long long id = rec_int(out, "id", 0);
    assert_non_null(strstr(rec_text(out, "body_markdown"), "<b>choir</b>"));
    assert_null(rec_text(out, "place_name"));

    fx_act_as(f, ROLE_SYSTEM_LEAD, 4, 1, NULL, 0);
    change = rec_new(f->c.a);
    rec_set_text(change, "slug", "another-name");
    assert_int_equal(entity_update(&f->c, &entity_examples, id, change, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "slug"), "The slug cannot be changed");

    fx_act_as(f, ROLE_ADMIN, 5, 1, NULL, 0);
    change = rec_new(f->c.a);
    rec_set_text(change, "slug", "market-town-choir"); /* the same slug is no change */
    rec_set_text(change, "place_name", "Kirkmoor");
    assert_int_equal(entity_update(&f->c, &entity_examples, id, change, &out), RES_OK);
    assert_string_equal(rec_text(out, "place_name"), "Kirkmoor");
    assert_int_equal(count_with(f,
                                "SELECT count(*) FROM audit WHERE entity = 'examples'"
                                " AND action = $1",
                                "update"),
                     1);
}

/* Words in s: runs of characters other than white space and Markdown markers. */
static int words(const char *s)
{
    int n = 0;
    bool in = false;
    for (; *s; s++) {
        bool w = !strchr(" \t\n#*-`[]()", *s);
        if (w && !in) n++;
        in = w;
    }
    return n;
}

static void shipped_examples_are_complete_summaries(void **state)
{
    (void)state;
    for (size_t i = 0; i < shipped_examples_len; i++) {
        const struct shipped_example *x = &shipped_examples[i];
        int n = words(x->body_markdown);
        if (n < 250 || n > 420) fail_msg("%s has %d words", x->slug, n);
        assert_non_null(strstr(x->body_markdown, "## "));
        assert_non_null(strstr(x->body_markdown, "\n- "));
        assert_non_null(strchr(x->illustrates, ':'));
        assert_true(strlen(x->title) > 10 && strlen(x->system_name) > 5);
        assert_null(strchr(x->body_markdown, '<'));
    }
}

/* The organisation a person works for. */
static long long org_of(struct fx *f, long long person)
{
    long long org = 0;
    assert_int_equal(store_query_int(f->c.db, &org,
                                     "SELECT organisation_id FROM people WHERE id = $1", "i",
                                     person),
                     1);
    return org;
}

/* Every line of accountability leads out of its organisation and up a chain without loops. */
static void assert_accountability_chains_end(struct fx *f)
{
    long long(*rows)[3] = calloc(1000, sizeof *rows);
    int n = 0;
    store_stmt *st = store_prepare(f->c.db, "SELECT organisation_id, accountable_person_id,"
                                            " CASE domain WHEN 'safeguarding' THEN 0"
                                            " WHEN 'quality' THEN 1 WHEN 'data' THEN 2"
                                            " WHEN 'capacity' THEN 3 ELSE 4 END"
                                            " FROM accountability");
    assert_non_null(st);
    while (n < 1000 && store_step(st) == STORE_ROW) {
        for (int k = 0; k < 3; k++)
            rows[n][k] = store_col_int(st, k);
        n++;
    }
    store_done(st);
    static const char *const domains[] = {"safeguarding", "quality", "data", "capacity", "general"};
    for (int i = 0; i < n; i++) {
        long long start = rows[i][0], at = org_of(f, rows[i][1]);
        assert_true(at != start);
        for (int steps = 0;; steps++) {
            assert_true(steps < 20);
            assert_true(at != start);
            long long next = 0;
            if (store_query_int(f->c.db, &next,
                                "SELECT accountable_person_id FROM accountability"
                                " WHERE organisation_id = $1 AND domain = $2",
                                "it", at, domains[rows[i][2]]) != 1)
                break;
            at = org_of(f, next);
        }
    }
    free(rows);
}

/*
 * Components of the network of organisations, counting connections that
 * have not ended: the size of the largest, how many others have two or
 * more members, and how many organisations have no connection at all.
 */
static void network_parts(struct fx *f, long long *largest, int *clusters, int *isolated)
{
    enum { MAX = 1000 };
    int *parent = calloc(MAX, sizeof *parent), *size = calloc(MAX, sizeof *size);
    for (int i = 0; i < MAX; i++)
        parent[i] = i;
    store_stmt *st = store_prepare(f->c.db, "SELECT from_organisation_id, to_organisation_id"
                                            " FROM connections WHERE end_date IS NULL"
                                            " OR end_date >= $1");
    assert_non_null(st);
    store_bind_text(st, 1, date_from_now(f, 0));
    while (store_step(st) == STORE_ROW) {
        int a = (int)store_col_int(st, 0), b = (int)store_col_int(st, 1);
        assert_true(a < MAX && b < MAX);
        while (parent[a] != a)
            a = parent[a];
        while (parent[b] != b)
            b = parent[b];
        parent[a] = b;
    }
    store_done(st);
    long long norgs = fx_count(f, "SELECT max(id) FROM organisations");
    assert_true(norgs < MAX);
    for (int i = 1; i <= norgs; i++) {
        int r = i;
        while (parent[r] != r)
            r = parent[r];
        size[r]++;
    }
    *largest = 0;
    *clusters = *isolated = 0;
    for (int i = 1; i <= norgs; i++) {
        if (size[i] > *largest) *largest = size[i];
        if (size[i] == 1) ++*isolated;
    }
    for (int i = 1; i <= norgs; i++)
        if (size[i] >= 2 && size[i] < *largest) ++*clusters;
    free(parent);
    free(size);
}

static void the_demo_loads_leadership_strategy_and_governance(void **state)
{
    struct fx *f = *state;
    struct demo_login logins[DEMO_LOGINS];
    result r = demo_load(&f->c, logins);
    if (r != RES_OK)
        fail_msg("demo_load: %s (%s: %s)", f->c.detail, f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    const char *today = arena_strdup(f->c.a, date_from_now(f, 0));
    assert_string_equal(today, "2026-11-26");

    long long champions = fx_count(f, "SELECT count(*) FROM champions");
    long long connections = fx_count(f, "SELECT count(*) FROM connections");
    assert_true(champions >= 10);
    assert_true(connections >= 80 && connections <= 120);
    assert_true(fx_count(f, "SELECT count(*) FROM resources") >= 20);
    assert_true(fx_count(f, "SELECT count(*) FROM strategies") >= 6);
    assert_true(fx_count(f, "SELECT count(*) FROM priorities") >= 20);
    assert_true(fx_count(f, "SELECT count(*) FROM alignments") >= 10);
    assert_true(fx_count(f, "SELECT count(*) FROM actions") >= 10);
    assert_true(fx_count(f, "SELECT count(*) FROM action_notes") > 0);
    assert_true(fx_count(f, "SELECT count(*) FROM coproduction") > 0);
    assert_true(fx_count(f, "SELECT count(*) FROM policies") > 100);
    assert_true(fx_count(f, "SELECT count(*) FROM accountability") > 50);
    assert_true(fx_count(f, "SELECT count(*) FROM sharing_agreements") >= 2);
    /* Everything went through the domain: one audited create per record. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'champions'"
                                 " AND action = 'create'"),
                     champions);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'connections'"
                                 " AND action = 'create'"),
                     connections);

    /* Champions at every level, some ended; a place and many neighbourhoods without one. */
    for (int i = 0; i < 3; i++) {
        static const char *const levels[] = {"system", "place", "neighbourhood"};
        assert_true(count_with(f, "SELECT count(*) FROM champions WHERE level = $1", levels[i]) >
                    0);
    }
    assert_true(count_with(f, "SELECT count(*) FROM champions WHERE end_date < $1", today) >= 1);
    assert_true(count_with(f,
                           "SELECT count(*) FROM places p WHERE NOT EXISTS (SELECT 1 FROM"
                           " champions c WHERE c.place_id = p.id AND c.level = 'place'"
                           " AND (c.end_date IS NULL OR c.end_date >= $1))",
                           today) >= 1);
    assert_true(count_with(f,
                           "SELECT count(*) FROM neighbourhoods n WHERE NOT EXISTS (SELECT 1"
                           " FROM champions c WHERE c.neighbourhood_id = n.id"
                           " AND (c.end_date IS NULL OR c.end_date >= $1))",
                           today) >= 3);

    /* Formal and informal connections, some ended; a main network, clusters, isolates. */
    assert_true(fx_count(f, "SELECT count(*) FROM connections WHERE kind IN ('contract', 'mou',"
                            " 'information_sharing', 'commissioning', 'referral_pathway')") > 20);
    assert_true(fx_count(f, "SELECT count(*) FROM connections WHERE kind IN"
                            " ('network_membership', 'joint_event', 'shared_practice')") > 20);
    assert_true(count_with(f, "SELECT count(*) FROM connections WHERE end_date < $1", today) > 0);
    assert_true(fx_count(f, "SELECT count(*) FROM connections WHERE place_id IS NULL") > 5);
    long long largest;
    int clusters, isolated;
    network_parts(f, &largest, &clusters, &isolated);
    assert_true(largest >= 40);
    assert_true(clusters >= 2);
    assert_true(isolated >= 2);

    /* The Creative Health strategy and the four it lines up with, and a place strategy. */
    static const char *const kinds[] = {"creative_health", "personalised_care",
                                        "health_inequalities", "health_and_wellbeing",
                                        "joint_forward_plan"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_true(count_with(f,
                               "SELECT count(*) FROM strategies WHERE kind = $1 AND"
                               " level = 'system' AND vision IS NOT NULL AND"
                               " local_need IS NOT NULL",
                               kinds[i]) == 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM strategies WHERE level = 'place'"
                                 " AND kind = 'creative_health'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM strategies s WHERE (SELECT count(*)"
                                 " FROM priorities p WHERE p.strategy_id = s.id) NOT BETWEEN 3"
                                 " AND 5"),
                     0);
    assert_true(fx_count(f,
                         "SELECT count(*) FROM priorities p JOIN strategies s ON"
                         " s.id = p.strategy_id WHERE s.kind <> 'creative_health' AND NOT"
                         " EXISTS (SELECT 1 FROM alignments a WHERE a.priority_id = p.id)") >= 1);
    assert_true(count_with(f,
                           "SELECT count(*) FROM actions WHERE due_date < $1"
                           " AND status <> 'done'",
                           today) >= 3);
    assert_true(fx_count(f, "SELECT count(*) FROM actions WHERE status = 'done'") >= 1);
    assert_true(count_with(f, "SELECT count(*) FROM actions WHERE due_date > $1", today) >= 3);

    /* Policies in all three compliance states, by the rules in compliance.h. */
    const char *soon = arena_strdup(f->c.a, date_from_now(f, COMPLIANCE_WINDOW_DAYS));
    static const char per_org[] =
        "WITH req(domain) AS (VALUES ('quality_assurance'), ('working_standards'),"
        " ('safeguarding'), ('data_management')),"
        " due AS (SELECT o.id AS org, (SELECT p.review_due FROM policies p"
        "  WHERE p.organisation_id = o.id AND p.domain = req.domain"
        "  ORDER BY p.approved_on DESC, p.id DESC LIMIT 1) AS review"
        "  FROM organisations o CROSS JOIN req WHERE o.sector = 'vcse'),"
        " st AS (SELECT org, sum(review IS NULL OR review < $1) AS bad,"
        "  sum(review >= $1 AND review <= $2) AS expiring FROM due GROUP BY org)";
    long long compliant = -1, expiring = -1, non_compliant = -1;
    assert_int_equal(store_query_int(f->c.db, &compliant,
                                     arena_printf(f->c.a,
                                                  "%s SELECT count(*) FROM st WHERE"
                                                  " bad = 0 AND expiring = 0",
                                                  per_org),
                                     "tt", today, soon),
                     1);
    assert_int_equal(store_query_int(f->c.db, &expiring,
                                     arena_printf(f->c.a,
                                                  "%s SELECT count(*) FROM st WHERE"
                                                  " bad = 0 AND expiring > 0",
                                                  per_org),
                                     "tt", today, soon),
                     1);
    assert_int_equal(store_query_int(f->c.db, &non_compliant,
                                     arena_printf(f->c.a,
                                                  "%s SELECT count(*) FROM st WHERE"
                                                  " bad > 0",
                                                  per_org),
                                     "tt", today, soon),
                     1);
    if (!(compliant > expiring && expiring >= 2 && non_compliant >= 2))
        fail_msg("compliant %lld, expiring %lld, non-compliant %lld", compliant, expiring,
                 non_compliant);
    /* Once compliance.c is built, it must see the same three states. */
    struct compliance *list = NULL;
    int nlist = 0;
    if (compliance_list(&f->c, 0, NULL, &list, &nlist) == RES_OK) {
        int seen[3] = {0};
        for (int i = 0; i < nlist; i++)
            seen[list[i].status]++;
        assert_true(seen[COMPLIANCE_COMPLIANT] > 0 && seen[COMPLIANCE_EXPIRING] > 0 &&
                    seen[COMPLIANCE_NON_COMPLIANT] > 0);
    }
    ctx_clear_errors(&f->c);
    f->c.detail = NULL;

    /* Accountability in all five domains, leading out and up without loops. */
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT domain) FROM accountability"), 5);
    assert_accountability_chains_end(f);

    /* One sharing agreement is due for review within 30 days. */
    assert_true(count_with(f, "SELECT count(*) FROM sharing_agreements WHERE review_date <= $1",
                           soon) >= 1);
    assert_true(fx_count(f, "SELECT count(*) FROM sharing_agreements s WHERE (SELECT count(*)"
                            " FROM sharing_agreement_parties p WHERE p.sharing_agreement_id ="
                            " s.id) < 2") == 0);
}

static void the_demo_dates_follow_the_clock(void **state)
{
    struct fx *f = *state;
    ctx_set_now(&f->c, FX_NOW + (time_t)500 * 86400);
    struct demo_login logins[DEMO_LOGINS];
    assert_int_equal(demo_load(&f->c, logins), RES_OK);
    const char *today = arena_strdup(f->c.a, date_from_now(f, 0));
    const char *soon = arena_strdup(f->c.a, date_from_now(f, COMPLIANCE_WINDOW_DAYS));
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n,
                                     "SELECT count(*) FROM policies WHERE review_due >= $1"
                                     " AND review_due <= $2",
                                     "tt", today, soon),
                     1);
    assert_true(n >= 2);
    assert_true(count_with(f,
                           "SELECT count(*) FROM actions WHERE due_date < $1"
                           " AND status <> 'done'",
                           today) >= 3);
    assert_true(count_with(f, "SELECT count(*) FROM sharing_agreements WHERE review_date <= $1",
                           soon) >= 1);
    assert_true(count_with(f, "SELECT count(*) FROM champions WHERE end_date < $1", today) >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(examples_ensure_adds_the_shipped_examples_once, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(examples_are_validated_and_only_leads_change_them, fx_setup,
                                        fx_teardown),
        cmocka_unit_test(shipped_examples_are_complete_summaries),
        cmocka_unit_test_setup_teardown(the_demo_loads_leadership_strategy_and_governance, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(the_demo_dates_follow_the_clock, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
