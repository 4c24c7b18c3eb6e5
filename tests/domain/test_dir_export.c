/*
 * test_dir_export.c: chis export hsds. What is exported imports back to the
 * same content: the fixtures (both tabular layouts and a JSON service) go
 * in, out as JSON and as CSV, each export into a fresh database, out again,
 * and the files are byte for byte the same. The CSV is an HSDS 3.0 tabular
 * package with its datapackage.json, and data, not a spreadsheet: a phone
 * number "+44 ..." is not formula-guarded. Deleted services stay out.
 */
#include "unit.h"

#include "domain/dir_export.h"
#include "domain/dir_import.h"
#include "domain/directory.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX "tests/fixtures/hsds/"

static const char *const json_files[] = {"services.json", "organizations.json", "taxonomies.json",
                                         "taxonomy_terms.json", NULL};
static const char *const csv_files[] = {"datapackage.json",
                                        "organizations.csv",
                                        "services.csv",
                                        "locations.csv",
                                        "service_at_location.csv",
                                        "addresses.csv",
                                        "phones.csv",
                                        "contacts.csv",
                                        "schedules.csv",
                                        "cost_options.csv",
                                        "service_areas.csv",
                                        "languages.csv",
                                        "accessibility.csv",
                                        "funding.csv",
                                        "attributes.csv",
                                        "taxonomies.csv",
                                        "taxonomy_terms.csv",
                                        NULL};

/* The fixture plus the shipped taxonomy, as cli_open has. */
static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    return dir_taxonomy_ensure(&f->c) == RES_OK ? 0 : -1;
}

/* A new empty folder under /tmp (static storage per call site). */
static char *temp_dir(char *buf)
{
    strcpy(buf, "/tmp/chis-export-XXXXXX");
    assert_non_null(mkdtemp(buf));
    return buf;
}

/* Remove a folder and the files in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* A whole file into malloc'd memory (*len set); NULL if unreadable. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

/* Are the named files the same in both folders? */
static void assert_same_files(const char *a, const char *b, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        size_t la = 0, lb = 0;
        char *x = slurp(a, names[i], &la), *y = slurp(b, names[i], &lb);
        if (!x || !y || la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s differs between %s and %s", names[i], a, b);
        free(x);
        free(y);
    }
}

/* Import path into f, expecting no problems. */
static void import_ok(struct fx *f, const char *path)
{
    struct dir_import_report r;
    result res = dir_import_hsds(&f->c, path, NULL, &r);
    if (res != RES_OK || r.nproblems) {
        dir_import_report_print(&r, stderr, false);
        fail_msg("importing %s", path);
    }
    dir_import_report_free(&r);
}

/* Export f's directory into dir in format, expecting success. */
static void export_ok(struct fx *f, const char *dir, enum dir_export_format format,
                      struct dir_export_report *r)
{
    result res = dir_export_hsds(&f->c, dir, format, NULL, r);
    if (res != RES_OK) fail_msg("export: %s", f->c.detail ? f->c.detail : "failed");
}

/* Import an export into a fresh database and export that again, in both
 * formats, into again_json and again_csv. */
static void round_trip(const char *from, char *again_json, char *again_csv)
{
    void *other = NULL;
    assert_int_equal(setup(&other), 0);
    struct fx *g = other;
    import_ok(g, from);
    struct dir_export_report r;
    export_ok(g, temp_dir(again_json), DIR_EXPORT_JSON, &r);
    export_ok(g, temp_dir(again_csv), DIR_EXPORT_CSV, &r);
    fx_teardown(&other);
}

static void exports_import_back_to_the_same_content(void **state)
{
    struct fx *f = *state;
    import_ok(f, FIX "v1-small");
    import_ok(f, FIX "v3-small");
    import_ok(f, FIX "json/service.json");
    char json[64], csv[64], jj[64], jc[64], cj[64], cc[64];
    struct dir_export_report r;
    export_ok(f, temp_dir(json), DIR_EXPORT_JSON, &r);
    assert_int_equal(r.services, 6);
    assert_int_equal(r.organizations, 4);
    assert_int_equal(r.locations, 4);
    assert_int_equal(r.files, 4);
    export_ok(f, temp_dir(csv), DIR_EXPORT_CSV, &r);
    assert_int_equal(r.services, 6);
    assert_int_equal(r.files, 17);
    round_trip(json, jj, jc);
    round_trip(csv, cj, cc);
    assert_same_files(json, jj, json_files);
    assert_same_files(json, cj, json_files);
    assert_same_files(csv, jc, csv_files);
    assert_same_files(csv, cc, csv_files);
    const char *dirs[] = {json, csv, jj, jc, cj, cc};
    for (int i = 0; i < 6; i++)
        remove_dir(dirs[i]);
}

/* Only what the public API shows: an organization with no published
 * service (every one pending or deleted) is not in the files. */
static void only_public_organizations_are_exported(void **state)
{
    struct fx *f = *state;
    import_ok(f, FIX "v3-small");
    char dir[64];
    struct dir_export_report r;
    export_ok(f, temp_dir(dir), DIR_EXPORT_JSON, &r);
    long long orgs = r.organizations;
    remove_dir(dir);
    assert_true(orgs > 0);
    /* Every service of one organization deleted: that organization goes. */
    assert_int_equal(store_run(f->c.db,
                               "UPDATE dir_services SET deleted_at = '2026-11-26T09:00:00Z'"
                               " WHERE organization_id = (SELECT organization_id FROM dir_services"
                               " ORDER BY rid LIMIT 1)",
                               "") > 0,
                     1);
    export_ok(f, temp_dir(dir), DIR_EXPORT_JSON, &r);
    assert_int_equal(r.organizations, orgs - 1);
    remove_dir(dir);
}

static void csv_is_an_hsds_3_tabular_package(void **state)
{
    struct fx *f = *state;
    import_ok(f, FIX "v1-small");
    char dir[64];
    struct dir_export_report r;
    export_ok(f, temp_dir(dir), DIR_EXPORT_CSV, &r);
    size_t len;
    char *dp = slurp(dir, "datapackage.json", &len);
    json_t *pkg = json_loads(dp, 0, NULL);
    assert_non_null(pkg);
    json_t *res = json_object_get(pkg, "resources");
    assert_int_equal(json_array_size(res), 16);
    bool found = false;
    size_t i;
    json_t *one;
    json_array_foreach(res, i, one)
    {
        if (strcmp(json_string_value(json_object_get(one, "name")), "service") != 0) continue;
        found = true;
        assert_string_equal(json_string_value(json_object_get(one, "path")), "services.csv");
        json_t *fields = json_object_get(json_object_get(one, "schema"), "fields");
        assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "name")),
                            "id");
    }
    assert_true(found);
    json_decref(pkg);
    free(dp);
    char *phones = slurp(dir, "phones.csv", &len);
    assert_non_null(strstr(phones, ",+44 1422 000000,"));
    free(phones);
    char *services = slurp(dir, "services.csv", &len);
    assert_true(strncmp(services, "id,organization_id,name,", 24) == 0);
    assert_non_null(strstr(services, "\"Drawing and painting\nfor adults, in two sessions.\""));
    free(services);
    char *schedules = slurp(dir, "schedules.csv", &len);
    assert_non_null(strstr(schedules, "WEEKLY,,\"MO,TU\""));
    free(schedules);
    remove_dir(dir);
}

static void deleted_services_are_not_exported(void **state)
{
    struct fx *f = *state;
    import_ok(f, FIX "v3-small");
    assert_int_equal(dir_service_set_deleted(&f->c, "svc-b", true), RES_OK);
    char dir[64];
    struct dir_export_report r;
    export_ok(f, temp_dir(dir), DIR_EXPORT_JSON, &r);
    assert_int_equal(r.services, 1);
    size_t len;
    char *s = slurp(dir, "services.json", &len);
    assert_null(strstr(s, "svc-b"));
    assert_non_null(strstr(s, "svc-a"));
    free(s);
    remove_dir(dir);
}

static void export_needs_a_folder(void **state)
{
    struct fx *f = *state;
    struct dir_export_report r;
    assert_int_equal(dir_export_hsds(&f->c, "tests/fixtures/hsds/v1-small/services.csv",
                                     DIR_EXPORT_JSON, NULL, &r),
                     RES_INVALID);
    assert_non_null(strstr(f->c.detail, "not a folder"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(exports_import_back_to_the_same_content),
        T(only_public_organizations_are_exported),
        T(csv_is_an_hsds_3_tabular_package),
        T(deleted_services_are_not_exported),
        T(export_needs_a_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
