/*
 * test_geo_import.c: the geography that places a person: loading LSOA
 * deprivation deciles and LSOA -> neighbourhood from the CSV fixtures in
 * tests/fixtures/geo (all or nothing), a neighbourhood's LSOAs replaced by
 * who may, and participants placed again when the mapping changes. When
 * ../shared is present, the whole IMD 2019 file loads too.
 */
#include "unit.h"

#include "domain/geo_import.h"
#include "domain/participants.h"

#include <stdio.h>
#include <unistd.h>

#define FIX "tests/fixtures/geo/"
#define SHARED_IMD "../shared/data/geo/imd2019-england-lsoa.csv"

static long long place_id, central, west, other_place;

static long long neighbourhood(struct fx *f, long long place, const char *name, const char *code,
                               int imd)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO neighbourhoods (place_id, name, code, population, imd_decile,"
                        " created_at, updated_at) VALUES ($1, $2, $3, 100, $4, 'x', 'x')"
                        " RETURNING id",
                        "ittI", place, name, code, (long long)imd) != 1)
        fail_msg("neighbourhood: %s", store_errmsg(f->c.db));
    return id;
}

static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    if (store_exec(f->c.db, "INSERT INTO places (name, created_at, updated_at) VALUES"
                            " ('Calderdale', 'x', 'x'), ('Elsewhere', 'x', 'x');"
                            "INSERT INTO organisations (name, sector, created_at, updated_at)"
                            " VALUES ('Org', 'vcse', 'x', 'x');") != 0)
        return -1;
    place_id = 1;
    other_place = 2;
    central = neighbourhood(f, place_id, "Central", "TST-HX-CENTRAL", 5);
    west = neighbourhood(f, place_id, "West", "TST-HX-WEST", 6);
    return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)

static void lsoa_codes_are_shaped(void **state)
{
    (void)state;
    assert_true(lsoa_code_valid("E01010994"));
    assert_true(lsoa_code_valid("W01000001"));
    assert_false(lsoa_code_valid("E02002251")); /* an MSOA */
    assert_false(lsoa_code_valid("E0101099"));
    assert_false(lsoa_code_valid("e01010994"));
    assert_false(lsoa_code_valid("E01010994 "));
    assert_false(lsoa_code_valid(NULL));
}

static void the_fixture_files_load_and_place_people(void **state)
{
    struct fx *f = *state;
    /* Someone already recorded at HX1 1EB before the geography existed. */
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO postcodes (postcode, latitude, longitude, lsoa) VALUES"
                               " ('HX11EB', 53.7, -1.9, 'E01010995')",
                               NULL),
                     1);
    rec *in = rec_new(f->c.a), *p = NULL;
    rec_set_text(in, "name", "Ada");
    rec_set_text(in, "date_of_birth", "1980-01-01");
    rec_set_text(in, "postcode", "HX1 1EB");
    rec_set_int(in, "organisation_id", 1);
    assert_int_equal(participant_create(&f->c, in, &p), RES_OK);
    long long pid = rec_int(p, "id", 0);
    assert_true(rec_is_null(p, "neighbourhood_id"));

    struct geo_import_report r;
    assert_int_equal(geo_import_imd(&f->c, FIX "imd2019-slice.csv", &r), RES_OK);
    assert_int_equal(r.rows, 4);
    assert_int_equal(r.imported, 4);
    assert_int_equal(r.placed, 1);
    assert_int_equal(fx_count(f, "SELECT imd_decile FROM lsoa_imd WHERE lsoa = 'E01000002'"), 10);
    assert_int_equal(geo_import_lsoas(&f->c, FIX "neighbourhood-lsoas.csv", &r), RES_OK);
    assert_int_equal(r.rows, 3);
    assert_int_equal(r.imported, 3);
    /* Codes match without regard to case. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhood_lsoas WHERE"
                                 " neighbourhood_id = 1"),
                     2);
    rec *now = NULL;
    assert_int_equal(participant_get(&f->c, pid, &now), RES_OK);
    assert_int_equal(rec_int(now, "neighbourhood_id", 0), central);
    assert_int_equal(rec_int(now, "place_id", 0), place_id);
    assert_int_equal(rec_int(now, "imd_decile", 0), 1);
    /* Loading again changes nothing. */
    assert_int_equal(geo_import_lsoas(&f->c, FIX "neighbourhood-lsoas.csv", &r), RES_OK);
    assert_int_equal(r.imported, 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'import'"), 3);
}

static void a_bad_file_loads_nothing(void **state)
{
    struct fx *f = *state;
    struct geo_import_report r;
    assert_int_equal(geo_import_lsoas(&f->c, FIX "neighbourhood-lsoas-bad.csv", &r), RES_INVALID);
    assert_int_equal(r.nproblems, 2);
    assert_non_null(strstr(r.problems[0], "row 3: 'HX1 1AA' is not an LSOA code"));
    assert_non_null(strstr(r.problems[1], "row 4: there is no neighbourhood"));
    assert_int_equal(r.imported, 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhood_lsoas"), 0);
    /* The wrong file for the kind: its header lacks the columns. */
    ctx_clear_errors(&f->c);
    assert_int_equal(geo_import_imd(&f->c, FIX "neighbourhood-lsoas.csv", &r), RES_INVALID);
    assert_non_null(strstr(f->c.detail, "lsoa_code and IMD_decile"));
    ctx_clear_errors(&f->c);
    assert_int_equal(geo_import_imd(&f->c, FIX "no-such-file.csv", &r), RES_NOT_FOUND);
    /* A decile out of range. */
    char path[] = "/tmp/chis-imd-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs("LSOA_CODE,imd_decile\nE01000001,11\nE01000002,3\n", out);
    fclose(out);
    ctx_clear_errors(&f->c);
    assert_int_equal(geo_import_imd(&f->c, path, &r), RES_INVALID);
    assert_int_equal(r.nproblems, 1);
    assert_non_null(strstr(r.problems[0], "row 2: the IMD decile '11'"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM lsoa_imd"), 0);
    unlink(path);
    /* Not the operator or an administrator: refused. */
    fx_act_as(f, ROLE_SYSTEM_LEAD, 0, 1, NULL, 0);
    assert_int_equal(geo_import_imd(&f->c, FIX "imd2019-slice.csv", &r), RES_FORBIDDEN);
}

static void a_neighbourhoods_lsoas_are_replaced_by_those_who_may(void **state)
{
    struct fx *f = *state;
    const char *two[] = {"E01010994", "E01010995", "E01010994"};
    assert_int_equal(neighbourhood_lsoas_set(&f->c, central, two, 3), RES_OK);
    const char **got;
    int n;
    assert_int_equal(neighbourhood_lsoas_get(&f->c, central, &got, &n), RES_OK);
    assert_int_equal(n, 2);
    assert_string_equal(got[0], "E01010994");
    assert_string_equal(got[1], "E01010995");
    /* Another neighbourhood's LSOA, and a malformed code, are refused. */
    const char *theirs[] = {"E01010989", "E01010994", "nonsense"};
    assert_int_equal(neighbourhood_lsoas_set(&f->c, west, theirs, 3), RES_INVALID);
    assert_non_null(fx_field_error(f, "lsoas[1]"));
    assert_non_null(fx_field_error(f, "lsoas[2]"));
    assert_null(fx_field_error(f, "lsoas[0]"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhood_lsoas"), 2);
    /* A place lead of the place may; of another place, or a viewer, may not. */
    long long led = place_id, elsewhere = other_place;
    fx_act_as(f, ROLE_PLACE_LEAD, 0, 1, &led, 1);
    const char *one[] = {"E01010989"};
    assert_int_equal(neighbourhood_lsoas_set(&f->c, west, one, 1), RES_OK);
    fx_act_as(f, ROLE_PLACE_LEAD, 0, 1, &elsewhere, 1);
    assert_int_equal(neighbourhood_lsoas_set(&f->c, west, NULL, 0), RES_FORBIDDEN);
    fx_act_as(f, ROLE_VIEWER, 0, 1, NULL, 0);
    assert_int_equal(neighbourhood_lsoas_set(&f->c, west, NULL, 0), RES_FORBIDDEN);
    assert_int_equal(neighbourhood_lsoas_get(&f->c, west, &got, &n), RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(neighbourhood_lsoas_get(&f->c, 999, &got, &n), RES_NOT_FOUND);
    fx_act_as(f, ROLE_ADMIN, 0, 1, NULL, 0);
    assert_int_equal(neighbourhood_lsoas_set(&f->c, west, NULL, 0), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhood_lsoas WHERE"
                                 " neighbourhood_id = 2"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity ="
                                 " 'neighbourhood_lsoas' AND action = 'update'"),
                     3);
}

/* The real file, when ../shared is there: all 32,844 LSOAs. */
static void the_whole_imd_file_loads(void **state)
{
    struct fx *f = *state;
    if (access(SHARED_IMD, R_OK) != 0) {
        printf("skipped: %s is absent (a fresh clone has no ../shared)\n", SHARED_IMD);
        return;
    }
    struct geo_import_report r;
    assert_int_equal(geo_import_imd(&f->c, SHARED_IMD, &r), RES_OK);
    assert_int_equal(r.rows, 32844);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM lsoa_imd"), 32844);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM lsoa_imd WHERE imd_decile = 1"), 3284);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lsoa_codes_are_shaped),
        T(the_fixture_files_load_and_place_people),
        T(a_bad_file_loads_nothing),
        T(a_neighbourhoods_lsoas_are_replaced_by_those_who_may),
        T(the_whole_imd_file_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
