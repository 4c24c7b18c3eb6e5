/*
 * test_dir_store.c: the directory core (domain/dir_store.c, dir_org.c,
 * dir_objects.c, dir_text.c, dir_postcode.c): whole HSDS services stored,
 * normalised, rendered back the same, replaced, refreshed and purged;
 * postcodes, distances and times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/accounts.h"
#include "domain/dir_internal.h"
#include "domain/directory.h"
#include "dir_world.h"
#include "unit.h"

static const char service_text[] =
    "{\"id\":\"svc-1\",\"organization_id\":\"org-1\",\"name\":\"  Singing   for the Brain \","
    "\"description\":\"<p>Songs &amp; friends.</p>\\\\nEvery week.\",\"status\":\"Active\","
    "\"minimum_age\":\"18\",\"fees\":\"Free\","
    "\"service_at_locations\":[{\"id\":\"sal-1\",\"location\":{\"id\":\"loc-1\","
    "\"name\":\"Square Chapel\",\"latitude\":53.72,\"longitude\":-1.86,\"place_id\":null,"
    "\"addresses\":[{\"address_1\":\"10 Square Road\",\"city\":\"Halifax\","
    "\"postal_code\":\"HX1 1QG\",\"country\":\"GB\",\"state_province\":\"West Yorkshire\"}]},"
    "\"schedules\":[{\"freq\":\"weekly\",\"byday\":\"mo, we\",\"opens_at\":\"9:30am\","
    "\"closes_at\":\"12 PM\"}]}],"
    "\"cost_options\":[{\"option\":\"Session\",\"amount\":0}],"
    "\"attributes\":[{\"taxonomy_term_id\":\"term-sing\",\"link_type\":\"activity\"}]}";

/* Stored, the service is normalised and renders back as it was stored. */
static void a_stored_service_renders_back_the_same(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    result res;
    json_t *r = dir_service_render(&f->c, "svc-1", &res);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "name")), "Singing for the Brain");
    assert_string_equal(json_string_value(json_object_get(r, "status")), "active");
    assert_string_equal(json_string_value(json_object_get(r, "description")),
                        "Songs & friends.\n\nEvery week.");
    assert_int_equal(json_integer_value(json_object_get(r, "minimum_age")), 18);
    assert_string_equal(json_string_value(json_object_get(r, "fees")), "Free");
    assert_string_equal(json_string_value(json_object_get(r, "state")), "published");
    json_t *sal = json_array_get(json_object_get(r, "service_at_locations"), 0);
    json_t *sch = json_array_get(json_object_get(sal, "schedules"), 0);
    assert_string_equal(json_string_value(json_object_get(sch, "opens_at")), "09:30:00");
    assert_string_equal(json_string_value(json_object_get(sch, "closes_at")), "12:00:00");
    assert_string_equal(json_string_value(json_object_get(sch, "byday")), "MO,WE");
    assert_string_equal(json_string_value(json_object_get(sch, "freq")), "WEEKLY");
    json_t *loc = json_object_get(sal, "location");
    assert_string_equal(json_string_value(json_object_get(loc, "location_type")), "physical");
    json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
    assert_string_equal(json_string_value(json_object_get(addr, "address_type")), "physical");
    assert_int_equal(strlen(json_string_value(json_object_get(addr, "id"))), 36); /* a UUID */
    json_t *attr = json_array_get(json_object_get(r, "attributes"), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(attr, "taxonomy_term"), "name")),
        "Singing");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r, "organization"), "name")),
        "Calder Arts");

    /* The cached public document says what the rows say. */
    store_stmt *st = store_prepare(f->c.db, "SELECT document, free, keywords FROM dir_services");
    assert_int_equal(store_step(st), STORE_ROW);
    json_t *cached = J(store_col_text(st, 0));
    assert_int_equal(store_col_int(st, 1), 1);
    assert_non_null(strstr(store_col_text(st, 2), "Singing"));
    assert_non_null(strstr(store_col_text(st, 2), "Calder Arts"));
    store_done(st);
    json_object_del(r, "state");
    assert_true(json_equal(cached, r));
    json_decref(cached);
    json_decref(r);
    /* The full-text index follows the table. */
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM dir_services_fts WHERE dir_services_fts MATCH 'sing'"),
        1);
}

/* Storing again by id replaces the children and never duplicates. */
static void storing_again_replaces_children(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    doc = J(service_text);
    json_object_set_new(doc, "name", json_string("Singing Together"));
    json_object_set_new(doc, "cost_options", J("[{\"option\":\"Term\",\"amount\":30}]"));
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_cost_options"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_at_locations"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_addresses"), 1);
    assert_int_equal(fx_count(f, "SELECT free FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts WHERE dir_services_fts"
                                 " MATCH 'together'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 1);
}

/* A location its document does not place is placed by its postcode, through
 * the postcode's LSOA and the neighbourhood that LSOA lies in; a place given
 * in the document wins, and an unknown LSOA places nothing. */
static void locations_are_placed_by_postcode(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    assert_int_equal(store_exec(f->c.db,
                                "INSERT INTO places (id, name, created_at, updated_at) VALUES"
                                " (7, 'Calderdale', 'x', 'x');"
                                "INSERT INTO neighbourhoods (id, place_id, name, population,"
                                " imd_decile, created_at, updated_at) VALUES"
                                " (70, 7, 'Central Halifax', 9000, 2, 'x', 'x');"
                                "INSERT INTO neighbourhood_lsoas VALUES ('E01010994', 70);"
                                "INSERT INTO postcodes VALUES ('HX11QG', 53.72, -1.86,"
                                " 'E01010994'), ('HX15AA', 53.71, -1.87, 'E01099999');"),
                     0);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT neighbourhood_id FROM dir_locations WHERE id = 'loc-1'"),
                     70);
    assert_int_equal(fx_count(f, "SELECT place_id FROM dir_locations WHERE id = 'loc-1'"), 7);

    /* An LSOA in no neighbourhood: the location stays where it was. */
    doc = J(service_text);
    json_t *sal = json_array_get(json_object_get(doc, "service_at_locations"), 0);
    json_t *where = json_object_get(sal, "location");
    json_object_set_new(where, "id", json_string("loc-2"));
    json_object_set_new(json_array_get(json_object_get(where, "addresses"), 0), "postal_code",
                        json_string("HX1 5AA"));
    json_object_set_new(sal, "id", json_string("sal-2"));
    json_object_set_new(doc, "id", json_string("svc-2"));
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM dir_locations WHERE id = 'loc-2' AND place_id IS NULL"
                    " AND neighbourhood_id IS NULL"),
        1);
}

/* Bad documents are refused whole, with errors naming the path. */
static void bad_documents_are_refused_with_paths(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    json_object_set_new(doc, "status", json_string("open"));
    json_t *loc = json_object_get(json_array_get(json_object_get(doc, "service_at_locations"), 0),
                                  "location");
    json_object_set_new(loc, "latitude", json_real(123.0));
    json_object_set_new(doc, "maximum_age", json_integer(10));
    json_object_set_new(doc, "url", json_string("javascript:alert(1)"));
    json_object_set_new(doc, "attributes", J("[{\"taxonomy_term_id\":\"nope\"}]"));
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "status"));
    assert_non_null(fx_field_error(f, "service_at_locations[0].location.latitude"));
    assert_non_null(fx_field_error(f, "maximum_age"));
    assert_non_null(fx_field_error(f, "url"));
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 0);

    fx_operator(f);
    doc = J(service_text);
    json_object_set_new(doc, "organization_id", json_string("missing"));
    json_object_set_new(doc, "attributes", J("[{\"taxonomy_term_id\":\"nope\"}]"));
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "organization_id"));
    assert_non_null(fx_field_error(f, "attributes[0].taxonomy_term_id"));
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 0);
}

/* Imports may bring their terms inline; they are created. */
static void inline_terms_are_created_when_allowed(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    json_object_set_new(doc, "attributes",
                        J("[{\"taxonomy_term\":{\"id\":\"t-new\",\"name\":\"Choirs\"}}]"));
    struct dir_write_opts o = {.create_terms = true};
    assert_int_equal(dir_service_store(&f->c, doc, &o), RES_OK);
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms WHERE id = 't-new'"), 1);
}

/* Organizations link to chis organisations and refresh their services. */
static void organizations_link_and_refresh(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    long long linked = fx_count(f, "SELECT organisation_id FROM dir_organizations");
    assert_true(linked > 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations WHERE name = 'Calder Arts'"
                                 " AND sector = 'other'"),
                     1);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    json_t *org = J("{\"id\":\"org-1\",\"name\":\"Calder Arts Trust\",\"description\":\"\"}");
    assert_int_equal(dir_organization_store(&f->c, org, 0), RES_OK);
    json_decref(org);
    assert_int_equal(fx_count(f, "SELECT organisation_id FROM dir_organizations"), linked);
    /* The summary (the document's start) is the document's one-to-one
     * members, fees and organization: valid JSON, no lists. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM (SELECT document, " DIR_SUMMARY_SQL
                                 " AS summary FROM dir_services) WHERE json_valid(summary)"
                                 " AND summary ->> '$.organization.name' = 'Calder Arts Trust'"
                                 " AND document LIKE '%Calder Arts Trust%'"
                                 " AND summary ->> '$.fees' = 'Free'"
                                 " AND summary ->> '$.name' = document ->> '$.name'"
                                 " AND summary -> '$.service_at_locations' IS NULL"
                                 " AND document -> '$.service_at_locations' IS NOT NULL"),
                     1);
    result res;
    json_t *r = dir_organization_render(&f->c, "org-1", true, &res);
    assert_string_equal(json_string_value(json_object_get(r, "description")), "");
    assert_int_equal(json_integer_value(json_object_get(r, "organisation_id")), linked);
    json_decref(r);
    assert_null(dir_organization_render(&f->c, "nope", false, &res));
    assert_int_equal(res, RES_NOT_FOUND);
}

/* The same organization stored again writes nothing (a feed imported twice). */
static void an_unchanged_organization_is_not_rewritten(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    ctx_set_now(&f->c, FX_NOW + 3600);
    json_t *org = J("{\"id\":\"org-1\",\"name\":\"Calder Arts\",\"description\":\"A charity\"}");
    assert_int_equal(dir_organization_store(&f->c, org, 0), RES_OK);
    json_decref(org);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"
                                 " WHERE updated_at = '2026-11-26T09:00:00Z'"),
                     1);
    org = J("{\"id\":\"org-1\",\"name\":\"Calder Arts\",\"description\":\"A local charity\"}");
    assert_int_equal(dir_organization_store(&f->c, org, 0), RES_OK);
    json_decref(org);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"
                                 " WHERE updated_at = '2026-11-26T10:00:00Z'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE document LIKE"
                                 " '%A local charity%'"),
                     1);
}

/* A bulk write holds its services' rows back, writes them at its flush,
 * indexes them once there, and keeps them at its end. */
static void a_bulk_write_indexes_at_its_end(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    struct dir_bulk *b = dir_bulk_begin(&f->c);
    assert_non_null(b);
    json_t *doc = J(service_text);
    struct dir_write_opts o = {.bulk = b};
    assert_int_equal(dir_service_store(&f->c, doc, &o), RES_OK);
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 0);
    assert_int_equal(dir_bulk_flush(&f->c, b), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts_queue"), 0);
    assert_int_equal(dir_bulk_end(&f->c, b, true), RES_OK);
    assert_false(store_in_tx(f->c.db));
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM dir_services_fts WHERE dir_services_fts MATCH 'brain'"),
        1);
}

/* An edit cannot take another service's rows by naming their ids. */
static void another_services_rows_cannot_be_taken(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    json_object_set_new(doc, "phones", J("[{\"id\":\"ph-1\",\"number\":\"01632 960001\"}]"));
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    doc = J("{\"id\":\"svc-2\",\"organization_id\":\"org-1\",\"name\":\"Other\","
            "\"status\":\"active\",\"phones\":[{\"id\":\"ph-1\",\"number\":\"09098 790000\"}]}");
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "phones[0].id"));
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_phones WHERE id = 'ph-1'"
                                 " AND service_id = 'svc-1' AND number = '01632 960001'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE id = 'svc-2'"), 0);
    /* The same through a schedule at a location, and an address. */
    fx_operator(f);
    doc = J(service_text);
    json_t *sal = json_array_get(json_object_get(doc, "service_at_locations"), 0);
    json_object_set_new(sal, "id", json_string("sal-2"));
    json_object_set_new(json_object_get(sal, "location"), "id", json_string("loc-2"));
    json_object_set_new(doc, "id", json_string("svc-3"));
    store_stmt *st = store_prepare(f->c.db, "SELECT id FROM dir_schedules");
    assert_int_equal(store_step(st), STORE_ROW);
    json_t *sch = json_array_get(json_object_get(sal, "schedules"), 0);
    json_object_set_new(sch, "id", json_string(store_col_text(st, 0)));
    store_done(st);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "schedules[0].id"));
    json_decref(doc);
    assert_int_equal(fx_count(f,
                              "SELECT count(*) FROM dir_schedules s JOIN dir_service_at_locations"
                              " a ON a.id = s.service_at_location_id WHERE a.service_id = 'svc-1'"),
                     1);
}

/* Soft delete is reversible; a purge removes the service and its orphans. */
static void delete_undelete_and_purge(void **state)
{
    struct fx *f = *state;
    dir_world_basics(f);
    json_t *doc = J(service_text);
    assert_int_equal(dir_service_store(&f->c, doc, NULL), RES_OK);
    json_decref(doc);
    assert_int_equal(dir_service_set_deleted(&f->c, "svc-1", true), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE deleted_at IS NOT NULL"),
                     1);
    assert_int_equal(dir_service_set_deleted(&f->c, "svc-1", false), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE deleted_at IS NULL"), 1);
    assert_int_equal(dir_service_set_deleted(&f->c, "nope", true), RES_NOT_FOUND);
    assert_int_equal(dir_service_purge(&f->c, "svc-1"), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 0);
}

/* Postcodes normalise; an unknown one falls back to its outcode. */
static void postcodes_normalise_and_locate(void **state)
{
    struct fx *f = *state;
    char key[16], disp[16];
    bool out;
    assert_int_equal(postcode_normalise(" hx1  1qg", key, disp, &out), 0);
    assert_string_equal(key, "HX11QG");
    assert_string_equal(disp, "HX1 1QG");
    assert_false(out);
    assert_int_equal(postcode_normalise("sw1a1aa", key, disp, &out), 0);
    assert_string_equal(disp, "SW1A 1AA");
    assert_int_equal(postcode_normalise("HX1", key, disp, &out), 0);
    assert_true(out);
    const char *bad[] = {"", "12345", "HX1 1Q", "HX1-1QG", "HXX1 1QG", "H", "HX1 1QGG", NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(postcode_normalise(bad[i], key, disp, &out), -1);

    store_run(f->c.db, "INSERT INTO postcodes VALUES ('HX11QG', 53.72, -1.86, NULL)", "");
    store_run(f->c.db, "INSERT INTO outcodes VALUES ('HX1', 53.70, -1.85)", "");
    double lat, lng;
    bool approx;
    assert_int_equal(postcode_locate(&f->c, "hx1 1qg", &lat, &lng, &approx), RES_OK);
    assert_false(approx);
    assert_true(lat == 53.72);
    assert_int_equal(postcode_locate(&f->c, "HX1 9ZZ", &lat, &lng, &approx), RES_OK);
    assert_true(approx);
    assert_true(lat == 53.70);
    assert_int_equal(postcode_locate(&f->c, "LS1 1AA", &lat, &lng, &approx), RES_NOT_FOUND);
    assert_int_equal(postcode_locate(&f->c, "nonsense", &lat, &lng, &approx), RES_INVALID);
}

/* Distances: a known pair (Halifax to Harrogate, about 36 km). */
static void distances_are_great_circle_metres(void **state)
{
    (void)state;
    double d = geo_distance_m(53.7243, -1.8575, 53.9937, -1.5414);
    assert_true(d > 36000 && d < 37000);
    assert_true(geo_distance_m(51.5, -0.1, 51.5, -0.1) == 0);
    double one_degree = geo_distance_m(0, 0, 1, 0);
    assert_true(one_degree > 111000 && one_degree < 111400);
}

/* Times as feeds write them. */
static void times_normalise(void **state)
{
    (void)state;
    const char *in[] = {"9:00am",   "9am",  "12 PM",     "12am", "17:30",
                        "17:30:15", "0930", "9.15 p.m.", "09:00"};
    const char *want[] = {"09:00:00", "09:00:00", "12:00:00", "00:00:00", "17:30:00",
                          "17:30:15", "09:30:00", "21:15:00", "09:00:00"};
    char out[9];
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        assert_int_equal(dir_time_normalise(in[i], out), 0);
        assert_string_equal(out, want[i]);
    }
    const char *bad[] = {"", "25:00", "13pm", "9:7", "noon", "9:00 xm", "12345"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dir_time_normalise(bad[i], out), -1);
}

/* Text tidying keeps paragraphs and reads the common escapes. */
/* Each column of every description is found among an object's members by
 * its name (however the name table's slots fall), members that only look
 * like a column's name are not, and absent columns stay NULL. */
static void members_are_found_by_column(void **state)
{
    (void)state;
    for (size_t k = 0; k < dir_objects_count; k++) {
        const struct dobj *o = dir_objects_all[k];
        json_t *obj = json_object();
        /* Every other column set, to its own index; near misses beside. */
        for (int i = 0; i < o->ncols; i += 2) {
            char near[96];
            json_object_set_new(obj, o->cols[i].name, json_integer(i));
            snprintf(near, sizeof near, "%s_", o->cols[i].name);
            json_object_set_new(obj, near, json_integer(-1));
            snprintf(near, sizeof near, "%.*s", (int)strlen(o->cols[i].name) - 1, o->cols[i].name);
            if (!dobj_col(o, near)) json_object_set_new(obj, near, json_integer(-1));
        }
        json_object_set_new(obj, "", json_integer(-1));
        json_t *member[DOBJ_MAX_COLS];
        dobj_members(o, obj, member);
        for (int i = 0; i < o->ncols; i++) {
            if (i % 2) {
                assert_null(member[i]);
                continue;
            }
            assert_non_null(member[i]);
            assert_int_equal(json_integer_value(member[i]), i);
        }
        json_decref(obj);
    }
}

static void long_text_is_tidied(void **state)
{
    struct fx *f = *state;
    assert_string_equal(dir_clean_longtext(&f->c, "  a <b>bold</b>\\r\\n\\n\\nstep&nbsp;two "),
                        "a bold\n\nstep two");
    assert_string_equal(dir_clean_longtext(&f->c, "x < y & z"), "x < y & z");
    const char *clean = "Already clean.\nTwo lines.";
    assert_ptr_equal(dir_clean_longtext(&f->c, clean), clean); /* no copy */
    assert_string_equal(dir_clean_text(&f->c, "\t a \n b  "), "a b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_stored_service_renders_back_the_same, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(storing_again_replaces_children, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(locations_are_placed_by_postcode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_documents_are_refused_with_paths, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(inline_terms_are_created_when_allowed, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(organizations_link_and_refresh, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(delete_undelete_and_purge, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(an_unchanged_organization_is_not_rewritten, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_bulk_write_indexes_at_its_end, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(another_services_rows_cannot_be_taken, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(postcodes_normalise_and_locate, fx_setup, fx_teardown),
        cmocka_unit_test(distances_are_great_circle_metres),
        cmocka_unit_test(times_normalise),
        cmocka_unit_test_setup_teardown(long_text_is_tidied, fx_setup, fx_teardown),
        cmocka_unit_test(members_are_found_by_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
