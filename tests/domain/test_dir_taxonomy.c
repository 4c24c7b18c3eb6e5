/*
 * test_dir_taxonomy.c: the Creative Health taxonomy chis ships and the
 * built-in outcode centroids: installed once, idempotent and cheap when
 * current, brought up to date when its version changes, a proper tree of
 * UUID-identified terms, and outcodes that make postcode_locate() fall back
 * to a district's centroid out of the box.
 */
#include "unit.h"

#include "domain/dir_builtin.h"
#include "domain/directory.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>

/* Lower-case UUID of version 4's shape: 8-4-4-4-12 hex, '4', variant 8-b. */
static bool uuid_v4_shaped(const char *s)
{
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
            return false;
        }
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

/* The text of a one-value query with one text parameter, in the arena. */
static const char *text_of(struct fx *f, const char *sql, const char *arg)
{
    store_stmt *st = store_prepare(f->c.db, sql);
    assert_non_null(st);
    store_bindf(st, "t", arg);
    const char *v = NULL;
    if (store_step(st) == STORE_ROW && !store_col_null(st, 0))
        v = arena_strdup(f->c.a, store_col_text(st, 0));
    store_done(st);
    return v;
}

static void installs_the_taxonomy_once(void **state)
{
    struct fx *f = *state;
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomies"), 1);
    long long terms = fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms");
    assert_int_equal(terms, (long long)dir_ch_terms_len);
    const char *first =
        text_of(f, "SELECT updated_at FROM dir_taxonomies WHERE id = $1", DIR_CH_TAXONOMY_ID);
    assert_string_equal(first, "2026-11-26T09:00:00Z");

    /* Again, an hour later: nothing is rewritten (the version is current). */
    ctx_set_now(&f->c, FX_NOW + 3600);
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomies"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms"), terms);
    assert_string_equal(
        text_of(f, "SELECT updated_at FROM dir_taxonomies WHERE id = $1", DIR_CH_TAXONOMY_ID),
        first);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms"
                                 " WHERE updated_at <> '2026-11-26T09:00:00Z'"),
                     0);
}

static void a_changed_version_brings_the_terms_up_to_date(void **state)
{
    struct fx *f = *state;
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    const char *music = dir_ch_term_id("CH-ACT-MUSIC");
    assert_true(store_run(f->c.db, "UPDATE dir_taxonomy_terms SET name = 'Noise' WHERE id = $1",
                          "t", music) == 1);
    /* Same version: a local change stays. */
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_string_equal(text_of(f, "SELECT name FROM dir_taxonomy_terms WHERE id = $1", music),
                        "Noise");
    /* An older version installed: the shipped text comes back, no duplicates. */
    assert_true(store_run(f->c.db,
                          "UPDATE settings SET value = 'old' WHERE key ="
                          " 'directory.taxonomy.version'",
                          "") == 1);
    ctx_set_now(&f->c, FX_NOW + 60);
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_string_equal(text_of(f, "SELECT name FROM dir_taxonomy_terms WHERE id = $1", music),
                        "Music");
    assert_string_equal(
        text_of(f, "SELECT updated_at FROM dir_taxonomy_terms WHERE id = $1", music),
        "2026-11-26T09:01:00Z");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms"),
                     (long long)dir_ch_terms_len);
}

static void terms_form_two_trees_with_uuid_ids(void **state)
{
    struct fx *f = *state;
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_true(uuid_v4_shaped(DIR_CH_TAXONOMY_ID));
    assert_true(uuid_v4_shaped(DIR_CH_ACTIVITY_ROOT));
    assert_true(uuid_v4_shaped(DIR_CH_NEED_ROOT));
    store_stmt *st = store_prepare(f->c.db, "SELECT id, code, name, description, parent_id,"
                                            " taxonomy, taxonomy_id FROM dir_taxonomy_terms");
    assert_non_null(st);
    int roots = 0, activities = 0, needs = 0;
    while (store_step(st) == STORE_ROW) {
        const char *id = store_col_text(st, 0), *code = store_col_text(st, 1);
        assert_true(uuid_v4_shaped(id));
        assert_true(strlen(store_col_text(st, 2)) > 2);
        assert_true(strlen(store_col_text(st, 3)) > 20); /* a useful description */
        assert_string_equal(store_col_text(st, 5), DIR_CH_TAXONOMY_NAME);
        assert_string_equal(store_col_text(st, 6), DIR_CH_TAXONOMY_ID);
        if (store_col_null(st, 4)) {
            roots++;
            assert_true(strcmp(id, DIR_CH_ACTIVITY_ROOT) == 0 || strcmp(id, DIR_CH_NEED_ROOT) == 0);
        } else if (strncmp(code, "CH-ACT-", 7) == 0) {
            activities++;
            assert_string_equal(store_col_text(st, 4), DIR_CH_ACTIVITY_ROOT);
        } else {
            assert_memory_equal(code, "CH-NEED-", 8);
            needs++;
            assert_string_equal(store_col_text(st, 4), DIR_CH_NEED_ROOT);
        }
    }
    store_done(st);
    assert_int_equal(roots, 2);
    assert_true(activities >= 12);
    assert_true(needs >= 6);
    /* Every id distinct, every code distinct. */
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT code) FROM dir_taxonomy_terms"),
                     (long long)dir_ch_terms_len);
    /* The activity types and needs the issue names are all there. */
    static const char *const named[] = {"Music",
                                        "Singing",
                                        "Dance and movement",
                                        "Visual arts",
                                        "Crafts",
                                        "Drama and theatre",
                                        "Creative writing",
                                        "Reading",
                                        "Heritage and museums",
                                        "Nature and gardening",
                                        "Film and photography",
                                        "Digital arts",
                                        "Loneliness and isolation",
                                        "Mental wellbeing",
                                        "Long-term conditions",
                                        "Dementia",
                                        "Young people",
                                        "Carers"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        assert_non_null(text_of(f, "SELECT id FROM dir_taxonomy_terms WHERE name = $1", named[i]));
    /* The terms render as HSDS taxonomy terms. */
    result res;
    json_t *t = dir_taxonomy_term_render(&f->c, dir_ch_term_id("CH-ACT-SINGING"), &res);
    assert_int_equal(res, RES_OK);
    assert_string_equal(json_string_value(json_object_get(t, "name")), "Singing");
    assert_string_equal(json_string_value(json_object_get(t, "code")), "CH-ACT-SINGING");
    assert_string_equal(json_string_value(json_object_get(t, "parent_id")), DIR_CH_ACTIVITY_ROOT);
    assert_string_equal(json_string_value(json_object_get(t, "taxonomy_id")), DIR_CH_TAXONOMY_ID);
    json_decref(t);
    json_t *tax = dir_taxonomy_render(&f->c, DIR_CH_TAXONOMY_ID, &res);
    assert_int_equal(res, RES_OK);
    assert_string_equal(json_string_value(json_object_get(tax, "name")), DIR_CH_TAXONOMY_NAME);
    json_decref(tax);
    assert_null(dir_ch_term_id("CH-ACT-NOPE"));
}

static void outcodes_are_loaded_and_kept(void **state)
{
    struct fx *f = *state;
    /* A district already known (say, from a better source) is kept as it is,
     * also when the built-in table is loaded again (its version changed). */
    assert_true(store_run(f->c.db,
                          "INSERT INTO outcodes (outcode, latitude, longitude)"
                          " VALUES ('HG1', 54.0, -1.5) ON CONFLICT (outcode) DO UPDATE"
                          " SET latitude = 54.0, longitude = -1.5",
                          "") == 1);
    assert_true(store_run(f->c.db, "DELETE FROM settings WHERE key = 'directory.outcodes.version'",
                          "") >= 0);
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcodes"), (long long)dir_outcodes_len);
    assert_true(dir_outcodes_len > 2800);
    double lat = 0, lng = 0;
    bool approximate = false;
    /* HX1 (Halifax) from the built-in table: a full postcode nobody loaded
     * falls back to its district's centroid. */
    assert_int_equal(postcode_locate(&f->c, "hx1 9zz", &lat, &lng, &approximate), RES_OK);
    assert_true(approximate);
    assert_true(fabs(lat - 53.72) < 0.05 && fabs(lng - -1.86) < 0.05);
    assert_int_equal(postcode_locate(&f->c, "HG1", &lat, &lng, &approximate), RES_OK);
    assert_true(lat == 54.0 && lng == -1.5);
    /* Loading again adds nothing and takes one read. */
    assert_true(store_run(f->c.db, "DELETE FROM outcodes WHERE outcode = 'HX1'", "") == 1);
    assert_int_equal(dir_taxonomy_ensure(&f->c), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcodes"), (long long)dir_outcodes_len - 1);
    /* The table is sorted and every centroid lies in or around Great Britain. */
    for (size_t i = 0; i < dir_outcodes_len; i++) {
        assert_true(dir_outcodes[i].lat > 49 && dir_outcodes[i].lat < 61);
        assert_true(dir_outcodes[i].lng > -9 && dir_outcodes[i].lng < 2);
        assert_true(*dir_outcodes[i].town);
        if (i) assert_true(strcmp(dir_outcodes[i - 1].outcode, dir_outcodes[i].outcode) < 0);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(installs_the_taxonomy_once),
        T(a_changed_version_brings_the_terms_up_to_date),
        T(terms_form_two_trees_with_uuid_ids),
        T(outcodes_are_loaded_and_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
