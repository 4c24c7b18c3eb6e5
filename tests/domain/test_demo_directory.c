/*
 * test_demo_directory.c: the demo's Creative Health directory loads with
 * the demo, every service complete and placed (a location in a demo
 * neighbourhood of the right place, a fictional postcode that the postcode
 * table knows, coordinates near its neighbours), linked to the demo's own
 * organisations, and with the provider's proposals waiting for approval.
 */
#include "unit.h"

#include "domain/demo.h"
#include "domain/demo_data.h"
#include "domain/demo_directory.h"
#include "domain/directory.h"

#include <jansson.h>

/* Load the demo into the fixture; asserts it worked. */
static void load(struct fx *f)
{
    struct demo_login logins[DEMO_LOGINS];
    result res = demo_load(&f->c, logins);
    if (res != RES_OK)
        fail_msg("demo_load: %s (%s: %s)", f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
}

static void the_demo_has_a_directory(void **state)
{
    struct fx *f = *state;
    load(f);
    long long published = (long long)demo_dir_services_len;
    assert_true(published >= 40);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE state = 'published'"),
                     published);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE state = 'pending'"),
                     DEMO_DIR_PENDING_NEW);
    /* Directory organizations are the demo's own organisations, none new. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations d JOIN organisations o"
                                 " ON o.id = d.organisation_id AND o.name = d.name"),
                     fx_count(f, "SELECT count(*) FROM dir_organizations"));
    assert_true(fx_count(f, "SELECT count(*) FROM dir_organizations") >= 30);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), (long long)demo_orgs_len);
    /* Every service: a location, a weekly schedule, a cost, shipped terms. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE NOT EXISTS (SELECT 1"
                                 " FROM dir_service_at_locations l WHERE l.service_id = s.id)"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE NOT EXISTS (SELECT 1"
                                 " FROM dir_schedules h WHERE h.service_id = s.id AND h.freq ="
                                 " 'WEEKLY' AND h.byday IS NOT NULL AND h.opens_at < h.closes_at)"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE NOT EXISTS (SELECT 1"
                                 " FROM dir_cost_options o WHERE o.service_id = s.id)"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services s WHERE (SELECT count(*)"
                                 " FROM dir_attributes a JOIN dir_taxonomy_terms t ON t.id ="
                                 " a.taxonomy_term_id WHERE a.link_id = s.id AND t.taxonomy_id ="
                                 " '" DIR_CH_TAXONOMY_ID "') < 2"),
                     0);
    /* Most are free. */
    assert_true(fx_count(f, "SELECT count(*) FROM dir_services WHERE free = 1") * 3 >
                published * 2);
    /* Searchable by its words. */
    assert_true(fx_count(f, "SELECT count(*) FROM dir_services WHERE lower(name) LIKE"
                            " '%singing%'") >= 2);
}

static void locations_are_placed_in_neighbourhoods(void **state)
{
    struct fx *f = *state;
    load(f);
    long long locations = fx_count(f, "SELECT count(*) FROM dir_locations");
    assert_true(locations >= 35);
    /* In a neighbourhood of the place it names. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations l JOIN neighbourhoods n"
                                 " ON n.id = l.neighbourhood_id AND n.place_id = l.place_id"),
                     locations);
    /* A fictional postcode the table knows, in the demo's postcode areas. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_addresses a JOIN postcodes p"
                                 " ON p.postcode = replace(a.postal_code, ' ', '')"
                                 " WHERE substr(a.postal_code, 1, 2) IN ('RV','MO','AX','BQ')"),
                     locations);
    /* Coherent coordinates: a location is at its postcode, and within a few
     * kilometres of every other location in its neighbourhood. */
    store_stmt *st = store_prepare(f->c.db, "SELECT a.postal_code, l.latitude, l.longitude,"
                                            " l.neighbourhood_id, l.place_id FROM dir_locations l"
                                            " JOIN dir_addresses a ON a.location_id = l.id"
                                            " ORDER BY l.rid");
    assert_non_null(st);
    struct {
        double lat, lng;
        long long hood, place;
    } seen[128];
    int n = 0;
    while (store_step(st) == STORE_ROW && n < 128) {
        const char *pc = arena_strdup(f->c.a, store_col_text(st, 0));
        seen[n].lat = store_col_double(st, 1);
        seen[n].lng = store_col_double(st, 2);
        seen[n].hood = store_col_int(st, 3);
        seen[n].place = store_col_int(st, 4);
        double lat, lng;
        bool approximate = true;
        assert_int_equal(postcode_locate(&f->c, pc, &lat, &lng, &approximate), RES_OK);
        assert_false(approximate);
        assert_true(geo_distance_m(lat, lng, seen[n].lat, seen[n].lng) < 1);
        n++;
    }
    store_done(st);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            double d = geo_distance_m(seen[i].lat, seen[i].lng, seen[j].lat, seen[j].lng);
            if (seen[i].hood == seen[j].hood) assert_true(d < 2000);
            if (seen[i].place != seen[j].place) assert_true(d > 5000);
        }
    /* A district alone finds its neighbourhood's centre. */
    double lat, lng;
    bool approximate = false;
    assert_int_equal(postcode_locate(&f->c, "mo4", &lat, &lng, &approximate), RES_OK);
    assert_true(approximate);
    assert_true(geo_distance_m(lat, lng, 54.262, -2.095) < 1);
    /* The render shows the location's place and neighbourhood to editors. */
    result res;
    const char *id = NULL;
    store_stmt *q = store_prepare(f->c.db, "SELECT id FROM dir_services WHERE name = $1");
    store_bindf(q, "t", "Singing for Lung Health");
    assert_int_equal(store_step(q), STORE_ROW);
    id = arena_strdup(f->c.a, store_col_text(q, 0));
    store_done(q);
    json_t *doc = dir_service_render(&f->c, id, &res);
    assert_int_equal(res, RES_OK);
    json_t *loc = json_object_get(json_array_get(json_object_get(doc, "service_at_locations"), 0),
                                  "location");
    assert_true(json_integer_value(json_object_get(loc, "neighbourhood_id")) > 0);
    assert_true(json_integer_value(json_object_get(loc, "place_id")) > 0);
    json_decref(doc);
}

static void the_provider_has_proposals_waiting(void **state)
{
    struct fx *f = *state;
    load(f);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions WHERE state ="
                                 " 'pending' AND created_by = 'provider@demo.chis.example.org'"),
                     DEMO_DIR_PENDING_NEW + DEMO_DIR_PENDING_CHANGES);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions WHERE state ="
                                 " 'pending' AND action = 'create'"),
                     DEMO_DIR_PENDING_NEW);
    /* The proposed change leaves the published service as it was. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE name ="
                                 " 'Northgate Community Choir' AND state = 'published'"
                                 " AND minimum_age = 16"),
                     1);
    /* The proposals are the provider's own organisation's. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions v JOIN dir_services s"
                                 " ON s.id = v.service_id JOIN dir_organizations d ON d.id ="
                                 " s.organization_id JOIN users u ON u.organisation_id ="
                                 " d.organisation_id WHERE v.state = 'pending' AND u.email ="
                                 " 'provider@demo.chis.example.org'"),
                     DEMO_DIR_PENDING_NEW + DEMO_DIR_PENDING_CHANGES);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_demo_has_a_directory),
        T(locations_are_placed_in_neighbourhoods),
        T(the_provider_has_proposals_waiting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
