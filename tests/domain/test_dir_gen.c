/*
 * test_dir_gen.c: the synthetic directory generator (chis gen directory):
 * the same seed makes the same ids and names in any database, the counts
 * are what was asked, every service is complete (organization linked to a
 * chis organisation, venues, schedules, costs, shipped taxonomy terms), and
 * every location's postcode is in the postcode table where the location is.
 */
#include "unit.h"

#include "base/buf.h"
#include "domain/dir_builtin.h"
#include "domain/dir_gen.h"
#include "domain/directory.h"

#include <math.h>

/* Generate n services with seed into f; asserts it worked. */
static struct dir_gen_result generate(struct fx *f, long long n, unsigned long long seed)
{
    struct dir_gen g = {.services = n, .seed = seed};
    struct dir_gen_result out;
    result res = dir_generate(&f->c, &g, &out);
    if (res != RES_OK)
        fail_msg("dir_generate: %s (%s: %s)", f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return out;
}

/* Every row of sql (text columns joined by '|', rows by newlines), in f's arena. */
static const char *dump(struct fx *f, const char *sql)
{
    buf b;
    buf_init(&b, f->c.a, 4096);
    store_stmt *st = store_prepare(f->c.db, sql);
    assert_non_null(st);
    while (store_step(st) == STORE_ROW) {
        for (int i = 0; i < store_col_count(st); i++)
            buf_printf(&b, "%s%s", i ? "|" : "",
                       store_col_null(st, i) ? "" : store_col_text(st, i));
        buf_printf(&b, "\n");
    }
    store_done(st);
    return b.data;
}

static const char *const fingerprint_sql[] = {
    "SELECT id, name, organization_id, description, minimum_age, maximum_age FROM dir_services"
    " ORDER BY id",
    "SELECT id, name FROM dir_organizations ORDER BY id",
    "SELECT id, name, latitude, longitude FROM dir_locations ORDER BY id",
    "SELECT id, location_id, address_1, city, postal_code FROM dir_addresses ORDER BY id",
    "SELECT id, service_id, byday, opens_at, closes_at FROM dir_schedules ORDER BY id",
    "SELECT id, service_id, option, amount FROM dir_cost_options ORDER BY id",
    "SELECT id, link_id, taxonomy_term_id FROM dir_attributes ORDER BY id",
    "SELECT postcode, latitude, longitude FROM postcodes ORDER BY postcode",
};

static void the_same_seed_makes_the_same_directory(void **state)
{
    struct fx *f = *state;
    void *other_state = NULL;
    assert_int_equal(fx_setup(&other_state), 0);
    struct fx *g = other_state;
    struct dir_gen_result a = generate(f, 60, 42), b = generate(g, 60, 42);
    assert_int_equal(a.services, 60);
    assert_int_equal(a.organizations, b.organizations);
    assert_int_equal(a.locations, b.locations);
    assert_int_equal(a.postcodes, b.postcodes);
    for (size_t i = 0; i < sizeof fingerprint_sql / sizeof fingerprint_sql[0]; i++) {
        const char *x = dump(f, fingerprint_sql[i]), *y = dump(g, fingerprint_sql[i]);
        assert_true(strlen(x) > 10);
        assert_string_equal(x, y);
    }
    /* Another seed, another directory. */
    fx_teardown(&other_state);
    assert_int_equal(fx_setup(&other_state), 0);
    g = other_state;
    generate(g, 60, 43);
    assert_string_not_equal(dump(f, fingerprint_sql[0]), dump(g, fingerprint_sql[0]));
    fx_teardown(&other_state);
}

static void generating_again_updates_in_place(void **state)
{
    struct fx *f = *state;
    struct dir_gen_result first = generate(f, 40, 7);
    const char *before = dump(f, fingerprint_sql[0]);
    long long orgs = fx_count(f, "SELECT count(*) FROM organisations");
    struct dir_gen_result again = generate(f, 40, 7);
    assert_int_equal(again.services, 40);
    assert_int_equal(again.postcodes, 0); /* all there already */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 40);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), first.organizations);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), orgs);
    assert_string_equal(dump(f, fingerprint_sql[0]), before);
}

static void services_are_complete(void **state)
{
    struct fx *f = *state;
    struct dir_gen_result r = generate(f, 200, 20261126);
    assert_int_equal(r.services, 200);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE state = 'published'"),
                     200);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), r.organizations);
    /* About five services to an organization. */
    assert_true(r.organizations >= 25 && r.organizations <= 70);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), r.locations);
    /* Each organization is linked to a chis organisation of the same name. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations d JOIN organisations o"
                                 " ON o.id = d.organisation_id AND o.name = d.name"),
                     r.organizations);
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT name) FROM dir_organizations"),
                     r.organizations);
    /* One or two locations, one or two schedules, one cost option each. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE (SELECT count(*)"
                                 " FROM dir_service_at_locations l WHERE l.service_id = s.id)"
                                 " NOT BETWEEN 1 AND 2"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE (SELECT count(*)"
                                 " FROM dir_schedules h WHERE h.service_id = s.id)"
                                 " NOT BETWEEN 1 AND 2"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE (SELECT count(*)"
                                 " FROM dir_cost_options o WHERE o.service_id = s.id) <> 1"),
                     0);
    /* Most are free, some are not. */
    long long free = fx_count(f, "SELECT count(*) FROM dir_services WHERE free = 1");
    assert_true(free > 100 && free < 190);
    /* One to three activity types and one or two needs, all shipped terms. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_attributes a WHERE NOT EXISTS"
                                 " (SELECT 1 FROM dir_taxonomy_terms t WHERE t.id ="
                                 " a.taxonomy_term_id AND t.parent_id IS NOT NULL)"),
                     0);
    static const char *const per_root =
        "SELECT count(*) FROM dir_services s WHERE (SELECT count(*) FROM dir_attributes a"
        " JOIN dir_taxonomy_terms t ON t.id = a.taxonomy_term_id WHERE a.link_id = s.id"
        " AND t.parent_id = $1) NOT BETWEEN $2 AND $3";
    long long bad = -1;
    assert_int_equal(store_query_int(f->c.db, &bad, per_root, "tii", DIR_CH_ACTIVITY_ROOT, 1, 3),
                     1);
    assert_int_equal(bad, 0);
    assert_int_equal(store_query_int(f->c.db, &bad, per_root, "tii", DIR_CH_NEED_ROOT, 1, 2), 1);
    assert_int_equal(bad, 0);
    /* Ages make sense where given. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE minimum_age >"
                                 " maximum_age"),
                     0);
    /* A common word is in a fair share of them, as in real directories. */
    long long music = fx_count(f, "SELECT count(*) FROM dir_services WHERE lower(name || ' ' ||"
                                  " description || ' ' || keywords) LIKE '%music%'");
    assert_true(music >= 10 && music <= 60);
}

static void every_location_has_its_postcode(void **state)
{
    struct fx *f = *state;
    generate(f, 120, 99);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_addresses a WHERE NOT EXISTS"
                                 " (SELECT 1 FROM postcodes p WHERE p.postcode ="
                                 " replace(a.postal_code, ' ', ''))"),
                     0);
    store_stmt *st = store_prepare(f->c.db, "SELECT a.postal_code, l.latitude, l.longitude"
                                            " FROM dir_locations l JOIN dir_addresses a"
                                            " ON a.location_id = l.id");
    assert_non_null(st);
    int n = 0;
    while (store_step(st) == STORE_ROW) {
        const char *pc = arena_strdup(f->c.a, store_col_text(st, 0));
        double lat = store_col_double(st, 1), lng = store_col_double(st, 2), plat, plng;
        bool approximate = true;
        char key[16], display[16];
        bool outcode = true;
        assert_int_equal(postcode_normalise(pc, key, display, &outcode), 0);
        assert_false(outcode);
        assert_string_equal(display, pc); /* written in the display form */
        assert_int_equal(postcode_locate(&f->c, pc, &plat, &plng, &approximate), RES_OK);
        assert_false(approximate);
        /* The venue is a few doors from its postcode, which lies in its district. */
        assert_true(geo_distance_m(lat, lng, plat, plng) < 100);
        key[strlen(key) - 3] = '\0';
        double olat = 0, olng = 0;
        assert_int_equal(postcode_locate(&f->c, key, &olat, &olng, &approximate), RES_OK);
        assert_true(geo_distance_m(plat, plng, olat, olng) < 3000);
        n++;
    }
    store_done(st);
    assert_true(n >= 120 / 9);
}

static void sizes_and_rights_are_checked(void **state)
{
    struct fx *f = *state;
    struct dir_gen g = {.services = 0, .seed = 1};
    struct dir_gen_result out;
    assert_int_equal(dir_generate(&f->c, &g, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "services"));
    fx_act_as(f, ROLE_ADMIN, 1, 1, NULL, 0);
    g.services = 5;
    assert_int_equal(dir_generate(&f->c, &g, &out), RES_FORBIDDEN);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_same_seed_makes_the_same_directory),
        T(generating_again_updates_in_place),
        T(services_are_complete),
        T(every_location_has_its_postcode),
        T(sizes_and_rights_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
