/*
 * test_dir_import.c: chis import hsds and chis import postcodes. The CSV
 * reader keeps line numbers through byte-order marks, CRLF and quoted
 * newlines; both tabular layouts map onto HSDS 3.0 (1.x schedules gathered
 * into weekly BYDAY lists, eligibility into ages, services_taxonomy into
 * attributes); an import is all or nothing unless skip_invalid, names every
 * problem by file and line, and updates in place when run again; broken
 * files import nothing. The two real feeds in ../shared/data/hsds import
 * (or are refused) as the issue says; they are skipped with a message in a
 * fresh clone, which has no ../shared.
 */
#include "unit.h"

#include "domain/dir_import.h"
#include "domain/dir_import_internal.h"
#include "domain/directory.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FIX "tests/fixtures/hsds/"
#define MIAMI "../shared/data/hsds/open211-miami-1.x"
#define SAMPLE "../shared/data/hsds/sample-1.1/all_resources"

/* The fixture plus the shipped taxonomy and outcodes, as cli_open has. */
static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    return dir_taxonomy_ensure(&f->c) == RES_OK ? 0 : -1;
}

/* Import path with or without skip_invalid into the fixture's database. */
static result import(struct fx *f, const char *path, bool skip, struct dir_import_report *r)
{
    struct dir_import_opts o = {.skip_invalid = skip};
    ctx_clear_errors(&f->c);
    return dir_import_hsds(&f->c, path, &o, r);
}

/* Is there a problem at file:line whose reason contains text? */
static bool has_problem(const struct dir_import_report *r, const char *file, long line,
                        const char *text)
{
    for (size_t i = 0; i < r->nproblems; i++)
        if (strcmp(r->problems[i].file, file) == 0 && r->problems[i].line == line &&
            strstr(r->problems[i].reason, text))
            return true;
    return false;
}

/* Is there a note about file whose reason contains text? Its count. */
static long note_count(const struct dir_import_report *r, const char *file, const char *text)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strcmp(r->notes[i].file, file) == 0 && strstr(r->notes[i].reason, text))
            return r->notes[i].count;
    return 0;
}

/* A text value from SQL with one text parameter ("" when none). */
static const char *sql_text(struct fx *f, const char *sql, const char *param)
{
    static char out[512];
    out[0] = '\0';
    store_stmt *st = store_prepare(f->c.db, sql);
    assert_non_null(st);
    store_bindf(st, "t", param);
    if (store_step(st) == STORE_ROW && !store_col_null(st, 0))
        snprintf(out, sizeof out, "%s", store_col_text(st, 0));
    store_done(st);
    return out;
}

/* Every directory table's row count, to see an import change nothing. */
static void table_counts(struct fx *f, long long out[14])
{
    static const char *const tables[] = {
        "dir_services",  "dir_organizations", "dir_locations",  "dir_service_at_locations",
        "dir_addresses", "dir_phones",        "dir_contacts",   "dir_schedules",
        "dir_languages", "dir_accessibility", "dir_attributes", "dir_taxonomy_terms",
        "dir_fundings",  "dir_cost_options"};
    for (int i = 0; i < 14; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        out[i] = fx_count(f, sql);
    }
}

/* Does the shared folder (real feeds) exist here? */
static bool have_shared(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0) return true;
    printf("skipped: %s is absent (no ../shared in a fresh clone)\n", path);
    return false;
}

/* ---- the CSV reader and the maps ---- */

static void csv_reader_keeps_lines_through_bom_crlf_and_quoted_newlines(void **state)
{
    struct fx *f = *state;
    const char text[] = "\xEF\xBB\xBF Id ,Name,Note\r\n"
                        "1,One,plain\r\n"
                        "\r\n"
                        "2,\"Two\r\nlines\",\"a \"\"quote\"\"\"\r\n"
                        ",,\r\n"
                        "3,Three,  spaced  \n"
                        "4,Four";
    struct csv_table t;
    assert_int_equal(csv_table_read(f->c.a, text, sizeof text - 1, "x.csv", &t), 0);
    assert_int_equal(t.ncols, 3);
    assert_string_equal(t.cols[0], "id"); /* BOM gone, trimmed, lower case */
    assert_int_equal(csv_col(&t, "note"), 2);
    assert_int_equal(t.nrows, 4); /* the blank line and ",," are no rows */
    assert_int_equal(t.rows[0].line, 2);
    assert_int_equal(t.rows[1].line, 4);
    assert_string_equal(csv_get(&t.rows[1], 1), "Two\r\nlines");
    assert_string_equal(csv_get(&t.rows[1], 2), "a \"quote\"");
    assert_int_equal(t.rows[2].line, 7);
    assert_string_equal(csv_get(&t.rows[2], 2), "spaced");
    assert_int_equal(t.rows[3].line, 8);
    assert_string_equal(csv_get(&t.rows[3], 1), "Four");
    assert_string_equal(csv_get(&t.rows[3], 2), ""); /* short row: blank */
    assert_string_equal(csv_get(&t.rows[3], -1), "");
    /* Old Mac line ends: a CR alone ends a line too. */
    const char mac[] = "id,name\r1,a\r\r2,\"b\rc\"\r3,d";
    assert_int_equal(csv_table_read(f->c.a, mac, sizeof mac - 1, "x.csv", &t), 0);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(t.rows[0].line, 2);
    assert_int_equal(t.rows[1].line, 4);
    assert_int_equal(t.rows[2].line, 6);
}

static void csv_reader_reports_unclosed_quotes_bad_utf8_and_extra_fields(void **state)
{
    struct fx *f = *state;
    struct csv_table t;
    const char open_quote[] = "id,name\n1,ok\n2,\"never\nclosed\n";
    assert_int_equal(csv_table_read(f->c.a, open_quote, sizeof open_quote - 1, "x.csv", &t), -1);
    assert_int_equal(t.error_line, 3);
    assert_non_null(strstr(t.error, "not closed"));
    assert_int_equal(csv_table_read(f->c.a, "", 0, "x.csv", &t), -1);
    assert_non_null(strstr(t.error, "no header"));
    const char odd[] = "id,name\n1,caf\xE9\n2,fine,extra\n3,fine,\n";
    assert_int_equal(csv_table_read(f->c.a, odd, sizeof odd - 1, "x.csv", &t), 0);
    assert_non_null(strstr(t.rows[0].problem, "not UTF-8"));
    assert_non_null(strstr(t.rows[1].problem, "3 fields"));
    assert_null(t.rows[2].problem); /* an empty extra field is harmless */
}

static void maps_grow_and_find(void **state)
{
    struct fx *f = *state;
    struct strmap m;
    strmap_init(&m, f->c.a, 4);
    char *keys[5000];
    for (int i = 0; i < 5000; i++) {
        keys[i] = arena_printf(f->c.a, "k%d", i);
        assert_int_equal(strmap_put(&m, keys[i], i), i);
    }
    assert_int_equal(strmap_put(&m, "k17", 99), 17); /* kept */
    strmap_set(&m, "k18", 99);
    assert_int_equal(strmap_get(&m, "k18"), 99);
    assert_int_equal(strmap_get(&m, "k4999"), 4999);
    assert_int_equal(strmap_get(&m, "nope"), -1);
    struct ptrmap p;
    ptrmap_init(&p, f->c.a, 2);
    for (int i = 0; i < 1000; i++)
        ptrmap_put(&p, keys[i], (struct origin){.file = "f", .line = i});
    assert_int_equal(ptrmap_get(&p, keys[999])->line, 999);
    ptrmap_clear(&p);
    assert_null(ptrmap_get(&p, keys[1]));
}

static void weekdays_and_vocabulary_ids(void **state)
{
    struct fx *f = *state;
    assert_string_equal(tab_weekday("Monday"), "MO");
    assert_string_equal(tab_weekday(" tues "), "TU");
    assert_string_equal(tab_weekday("SU"), "SU");
    assert_string_equal(tab_weekday("7"), "SU"); /* ISO 8601: 1 is Monday */
    assert_null(tab_weekday("0"));
    assert_null(tab_weekday("Funday"));
    assert_null(tab_weekday(""));
    assert_string_equal(tab_vocabulary_id(f->c.a, "Open211 Miami - AIRS"),
                        "hsds1-open211-miami-airs");
}

/* ---- tabular packages ---- */

static void v1_package_maps_onto_hsds_3(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "v1-small", false, &r), RES_OK);
    assert_int_equal(r.nproblems, 0);
    assert_true(r.committed);
    assert_int_equal(r.services, 3);
    assert_int_equal(r.organizations, 2);
    assert_int_equal(r.locations, 2);
    assert_int_equal(r.taxonomy_terms, 4);
    assert_string_equal(r.format, "HSDS 1.x tabular package");
    /* Normalised: case of enums, markup and "\n" in text, times. */
    assert_string_equal(sql_text(f, "SELECT status FROM dir_services WHERE id = $1", "s1"),
                        "active");
    assert_string_equal(sql_text(f, "SELECT status FROM dir_services WHERE id = $1", "s2"),
                        "active");
    assert_int_equal(note_count(&r, "services.csv", "status is blank"), 1);
    assert_string_equal(sql_text(f, "SELECT description FROM dir_services WHERE id = $1", "s1"),
                        "Sing together & make friends.\n\nEvery week, all voices welcome.");
    assert_string_equal(
        sql_text(f, "SELECT fees_description FROM dir_services WHERE id = $1", "s1"), "Free");
    /* Regular schedules: days with the same hours become one BYDAY list. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE service_id = 's1'"
                                 " AND freq = 'WEEKLY' AND byday = 'MO,TU'"
                                 " AND opens_at = '09:00:00' AND closes_at = '17:00:00'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE service_id = 's1'"
                                 " AND byday = 'WE' AND opens_at = '10:00:00'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE id = 'rs4'"
                                 " AND byday = 'SA'"),
                     1);
    /* The holiday schedule shares an id with nothing now, and is dated. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE id = 'h1'"
                                 " AND valid_from = '2026-12-24' AND description = 'Closed'"),
                     1);
    /* Eligibility: text and numeric ages. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE id = 's2'"
                                 " AND minimum_age = 18 AND eligibility_description = 'adult'"),
                     1);
    /* services_taxonomy rows are attributes; the vocabulary is a taxonomy. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_attributes WHERE link_id = 's3'"
                                 " AND taxonomy_term_id = 't-garden' AND value = 'outdoors'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms WHERE id = 't-music'"
                                 " AND parent_id = 't-arts'"
                                 " AND taxonomy_id = 'hsds1-fixture-vocabulary'"),
                     1);
    /* Addresses: physical and postal, 1.x's third line joined to the second. */
    assert_string_equal(sql_text(f, "SELECT address_2 FROM dir_addresses WHERE id = $1", "p1"),
                        "Square Chapel, Back Lane");
    assert_string_equal(sql_text(f, "SELECT address_type FROM dir_addresses WHERE id = $1", "p1"),
                        "postal");
    /* A shared location is stored once; a broken optional link is dropped. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_at_locations"
                                 " WHERE location_id = 'l1'"),
                     2);
    assert_string_equal(
        sql_text(f, "SELECT coalesce(organization_id, '-') FROM dir_locations WHERE id = $1", "l2"),
        "-");
    assert_int_equal(note_count(&r, "locations.csv", "organization_id is not in"), 1);
    assert_int_equal(note_count(&r, "locations.csv", "no service is at this location"), 1);
    /* A repeated child id gets a new one; an empty row is not read. */
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT id) FROM dir_languages"
                                 " WHERE service_id = 's1'"),
                     2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_accessibility"), 1);
    /* A location's phone has nowhere to go in chis: noted, not stored. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_phones"), 1);
    assert_int_equal(note_count(&r, "phones.csv", "location_id"), 1);
    assert_int_equal(note_count(&r, "payments_accepted.csv", "does not keep"), 1);
    dir_import_report_free(&r);
}

static void v3_package_imports_and_again_updates_in_place(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "v3-small", false, &r), RES_OK);
    assert_int_equal(r.nproblems, 0);
    assert_string_equal(r.format, "HSDS 3.0 tabular package");
    assert_int_equal(r.services, 2);
    assert_int_equal(r.taxonomies, 1);
    assert_int_equal(r.taxonomy_terms, 2);
    dir_import_report_free(&r);
    assert_string_equal(sql_text(f, "SELECT status FROM dir_services WHERE id = $1", "svc-b"),
                        "temporarily closed");
    assert_string_equal(
        sql_text(f, "SELECT last_modified FROM dir_services WHERE id = $1", "svc-a"),
        "2025-01-02T03:04:05Z");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE id = 'sch-b'"
                                 " AND service_at_location_id = 'sal-b' AND byday = 'SA'"
                                 " AND freq = 'WEEKLY'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_phones WHERE id = 'ph-a'"
                                 " AND contact_id = 'ct-a'"),
                     1);
    assert_int_equal(fx_count(f, "SELECT free FROM dir_services WHERE id = 'svc-a'"), 0);
    long long before[14], after[14];
    table_counts(f, before);
    long long chis_orgs = fx_count(f, "SELECT count(*) FROM organisations");
    assert_int_equal(import(f, FIX "v3-small", false, &r), RES_OK);
    dir_import_report_free(&r);
    table_counts(f, after);
    assert_memory_equal(before, after, sizeof before);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), chis_orgs);
}

static void broken_package_imports_nothing_and_names_every_problem(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "broken/bad-refs", false, &r), RES_INVALID);
    assert_false(r.committed);
    assert_true(has_problem(&r, "services.csv", 3,
                            "organization_id 'org-missing' is not in organizations"));
    assert_true(has_problem(&r, "services.csv", 4, "status 'open' is not one of"));
    assert_true(has_problem(&r, "locations.csv", 2, "latitude must be between -90 and 90"));
    assert_int_equal(r.nproblems, 3);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 0);
    /* The CLI's listing: sorted by file and line. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    dir_import_report_print(&r, out, false);
    fclose(out);
    assert_non_null(strstr(text, "locations.csv:2: latitude"));
    assert_true(strstr(text, "services.csv:3:") < strstr(text, "services.csv:4:"));
    assert_non_null(strstr(text, "nothing imported: 3 problems"));
    free(text);
    dir_import_report_free(&r);
}

static void skip_invalid_imports_the_valid_rows(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "broken/bad-refs", true, &r), RES_OK);
    assert_true(r.committed);
    assert_int_equal(r.nproblems, 3);
    /* svc-far is valid: it comes in without the link to the bad location. */
    assert_int_equal(r.services, 2);
    assert_int_equal(r.rows_skipped, 3);    /* two services and the location */
    assert_int_equal(r.rows_with_owner, 1); /* the service at that location */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE id = 'svc-ok'"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_at_locations"
                                 " WHERE service_id = 'svc-far'"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 1);
    dir_import_report_free(&r);
}

static void unreadable_csv_imports_nothing_even_when_skipping(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "broken/unterminated", true, &r), RES_INVALID);
    assert_true(has_problem(&r, "services.csv", 2, "not closed"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), 0);
    dir_import_report_free(&r);
    assert_int_equal(import(f, "tests/fixtures/hsds/no-such-thing", false, &r), RES_NOT_FOUND);
    dir_import_report_free(&r);
}

/* ---- JSON ---- */

static void json_service_with_inline_organization_and_terms(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "json/service.json", false, &r), RES_OK);
    assert_int_equal(r.services, 1);
    assert_int_equal(r.organizations, 1);
    assert_int_equal(r.taxonomies, 1);
    assert_string_equal(r.format, "HSDS 3.0 JSON");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_taxonomy_terms WHERE id = 'json-term-1'"
                                 " AND taxonomy_id = 'json-tax-1'"),
                     1);
    assert_string_equal(
        sql_text(f, "SELECT opens_at FROM dir_schedules WHERE id = $1", "json-sch-1"), "14:00:00");
    assert_string_equal(sql_text(f, "SELECT status FROM dir_services WHERE id = $1", "json-svc-1"),
                        "active");
    dir_import_report_free(&r);
}

static void broken_json_imports_nothing_and_says_where(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "broken/bad.json", false, &r), RES_INVALID);
    assert_true(has_problem(&r, "bad.json", 5, "not valid JSON"));
    dir_import_report_free(&r);
    /* An array broken in the middle cannot be read past it: nothing even
     * when skipping, though the first item was fine. */
    assert_int_equal(import(f, FIX "broken/bad.json", true, &r), RES_INVALID);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), 0);
    dir_import_report_free(&r);
}

static void ndjson_lines_are_rows(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    assert_int_equal(import(f, FIX "broken/mixed.ndjson", false, &r), RES_INVALID);
    assert_true(has_problem(&r, "mixed.ndjson", 2, "not valid JSON"));
    assert_true(has_problem(&r, "mixed.ndjson", 3, "status 'open'"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    dir_import_report_free(&r);
    assert_int_equal(import(f, FIX "broken/mixed.ndjson", true, &r), RES_OK);
    assert_int_equal(r.services, 2);
    assert_int_equal(r.rows_skipped, 2);
    dir_import_report_free(&r);
    assert_int_equal(import(f, FIX "json/services.ndjson", false, &r), RES_OK);
    assert_int_equal(r.services, 2);
    dir_import_report_free(&r);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 2);
}

static void progress_is_reported_every_so_many_rows(void **state)
{
    struct fx *f = *state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct dir_import_opts o = {.progress = out, .progress_every = 1};
    struct dir_import_report r;
    assert_int_equal(dir_import_hsds(&f->c, FIX "v1-small", &o, &r), RES_OK);
    fclose(out);
    assert_non_null(strstr(text, "services: 1 of 3\n"));
    assert_non_null(strstr(text, "services: 3 of 3\n"));
    free(text);
    dir_import_report_free(&r);
}

/* Write n services, one per line, as an array or ndjson, each with a long
 * description so the file passes a megabyte (read on a second thread);
 * item broken (1-based) is cut short. Returns the path (static). */
static const char *big_feed(bool array, int n, int broken)
{
    static char path[64];
    strcpy(path, "/tmp/chis-big-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    char words[2600];
    memset(words, 'a', sizeof words - 1);
    for (int i = 200; i < (int)sizeof words - 1; i += 200)
        words[i] = ' ';
    words[sizeof words - 1] = '\0';
    if (array) fputs("[\n", out);
    for (int i = 1; i <= n; i++) {
        if (i == broken)
            fprintf(out, "{\"id\": \"big-%d\", \"name\": ", i);
        else
            fprintf(out,
                    "{\"id\": \"big-%d\", \"name\": \"Service %d\", \"status\": \"active\","
                    " \"description\": \"%s\", \"organization\": {\"id\": \"big-org\","
                    " \"name\": \"Big Org\"}}",
                    i, i, words);
        fputs(array && i < n ? ",\n" : "\n", out);
    }
    if (array) fputs("]\n", out);
    fclose(out);
    return path;
}

static void large_files_are_read_on_a_second_thread_with_the_same_results(void **state)
{
    struct fx *f = *state;
    struct dir_import_report r;
    const char *path = big_feed(false, 500, 400);
    assert_int_equal(import(f, path, false, &r), RES_INVALID);
    assert_int_equal(r.nproblems, 1);
    assert_int_equal(r.problems[0].line, 400);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    dir_import_report_free(&r);
    assert_int_equal(import(f, path, true, &r), RES_OK);
    assert_int_equal(r.services, 499);
    assert_int_equal(r.rows, 500);
    dir_import_report_free(&r);
    unlink(path);
    /* In an array a broken item is fatal: the rest cannot be trusted. */
    path = big_feed(true, 500, 300);
    assert_int_equal(import(f, path, true, &r), RES_INVALID);
    assert_int_equal(r.problems[0].line, 301);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 499);
    dir_import_report_free(&r);
    unlink(path);
    path = big_feed(true, 500, 0);
    assert_int_equal(import(f, path, false, &r), RES_OK);
    assert_int_equal(r.services, 500);
    dir_import_report_free(&r);
    unlink(path);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 500);
}

/* A scratch file holding text, its name in path (the caller unlinks it). */
static void temp_file(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/chis-import-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
}

/* An organization the directory has, given inline by a service after
 * others named it only by id: every service of the import shows it as it
 * is now, not as the import first read it (the bulk write remembers the
 * organizations its services show, and forgets one stored again). */
static void an_organization_given_again_shows_its_new_name(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "INSERT INTO dir_organizations (id, name) VALUES ('org-x', 'Old Name')");
    char path[64];
    temp_file(path, sizeof path,
              "[{\"id\": \"svc-1\", \"name\": \"First\", \"status\": \"active\","
              " \"organization_id\": \"org-x\"},\n"
              "{\"id\": \"svc-2\", \"name\": \"Second\", \"status\": \"active\","
              " \"organization\": {\"id\": \"org-x\", \"name\": \"New Name\"}},\n"
              "{\"id\": \"svc-3\", \"name\": \"Third\", \"status\": \"active\","
              " \"organization_id\": \"org-x\"}]\n");
    struct dir_import_report r;
    assert_int_equal(import(f, path, false, &r), RES_OK);
    assert_int_equal(r.services, 3);
    dir_import_report_free(&r);
    unlink(path);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE document LIKE"
                                 " '%\"organization\":{\"id\":\"org-x\",\"name\":\"New Name\"%'"),
                     3);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE document LIKE"
                                 " '%Old Name%'"),
                     0);
}

/* A JSON file with nothing in it (mapped, it has no pages at all) is
 * refused with its reason, and nothing is imported. */
static void an_empty_json_file_is_refused(void **state)
{
    struct fx *f = *state;
    char path[64];
    temp_file(path, sizeof path, "");
    struct dir_import_report r;
    assert_int_equal(import(f, path, false, &r), RES_INVALID);
    assert_true(has_problem(&r, strrchr(path, '/') + 1, 0, "the file is empty"));
    dir_import_report_free(&r);
    unlink(path);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
}

/* ---- the real feeds ---- */

static void miami_is_refused_whole_and_imports_when_skipping(void **state)
{
    struct fx *f = *state;
    if (!have_shared(MIAMI)) return;
    struct dir_import_report r;
    assert_int_equal(import(f, MIAMI, false, &r), RES_INVALID);
    assert_true(r.nproblems > 100);
    /* Broken references, blank ids, times that are not times. */
    assert_true(has_problem(&r, "services.csv", 3965, "organization_id '8620' is not in"));
    assert_true(has_problem(&r, "eligibility.csv", 2, "service_id is blank"));
    assert_true(has_problem(&r, "regular_schedules.csv", 4281, "opens_at '8:00m'"));
    assert_true(has_problem(&r, "regular_schedules.csv", 741, "am or pm"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), 0);
    dir_import_report_free(&r);

    assert_int_equal(import(f, MIAMI, true, &r), RES_OK);
    printf("Miami: %lld services, %zu problems, %lld rows skipped, %lld with them, %.0f ms"
           " (%.0f in the core)\n",
           r.services, r.nproblems, r.rows_skipped, r.rows_with_owner, r.elapsed_ms, r.store_ms);
    assert_true(r.services > 3500);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), r.services);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_organizations"), 1074);
    /* "9:00am" and friends were read as times. */
    assert_true(fx_count(f, "SELECT count(*) FROM dir_schedules WHERE opens_at = '09:00:00'") >
                500);
    assert_true(r.elapsed_ms < 60000);
    dir_import_report_free(&r);
}

static void sample_1_1_imports_cleanly(void **state)
{
    struct fx *f = *state;
    if (!have_shared(SAMPLE)) return;
    struct dir_import_report r;
    assert_int_equal(import(f, SAMPLE, false, &r), RES_OK);
    assert_int_equal(r.nproblems, 0);
    assert_int_equal(r.services, 13);
    assert_int_equal(r.organizations, 10);
    dir_import_report_free(&r);
}

/* ---- postcodes ---- */

static void postcodes_load_skip_terminated_and_add_outcodes(void **state)
{
    struct fx *f = *state;
    struct postcodes_report r;
    assert_int_equal(postcodes_import(&f->c, "tests/fixtures/postcodes/onspd-sample.csv", NULL, &r),
                     RES_OK);
    assert_int_equal(r.rows, 8);
    assert_int_equal(r.imported, 4);
    assert_int_equal(r.terminated, 1);
    assert_int_equal(r.no_coords, 1);
    assert_int_equal(r.invalid, 2);
    assert_int_equal(r.outcodes, 1); /* ZZ9: every other outcode ships with chis */
    double lat = 0, lng = 0;
    bool approx = true;
    assert_int_equal(postcode_locate(&f->c, "hx11aa", &lat, &lng, &approx), RES_OK);
    assert_false(approx);
    assert_true(lat > 53.72 && lat < 53.73 && lng < -1.85 && lng > -1.86);
    assert_string_equal(sql_text(f, "SELECT lsoa FROM postcodes WHERE postcode = $1", "HX11AA"),
                        "E01010994");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM postcodes WHERE postcode = 'HX11AB'"), 0);
    assert_int_equal(postcode_locate(&f->c, "ZZ9 9AA", &lat, &lng, &approx), RES_OK);
    assert_true(approx);
    assert_true(lat > 51.54 && lat < 51.56);
    /* Again: updated in place. */
    assert_int_equal(postcodes_import(&f->c, "tests/fixtures/postcodes/onspd-sample.csv", NULL, &r),
                     RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM postcodes"), 4);
    assert_int_equal(r.outcodes, 0);
}

static void postcodes_need_the_ons_columns(void **state)
{
    struct fx *f = *state;
    struct postcodes_report r;
    char path[] = "/tmp/chis-pc-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fputs("postcode_district,x\nHX1,1\n", out);
    fclose(out);
    assert_int_equal(postcodes_import(&f->c, path, NULL, &r), RES_INVALID);
    assert_non_null(strstr(f->c.detail, "pcds"));
    unlink(path);
    assert_int_equal(postcodes_import(&f->c, "/nonexistent/x.csv", NULL, &r), RES_NOT_FOUND);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(csv_reader_keeps_lines_through_bom_crlf_and_quoted_newlines),
        T(csv_reader_reports_unclosed_quotes_bad_utf8_and_extra_fields),
        T(maps_grow_and_find),
        T(weekdays_and_vocabulary_ids),
        T(v1_package_maps_onto_hsds_3),
        T(v3_package_imports_and_again_updates_in_place),
        T(broken_package_imports_nothing_and_names_every_problem),
        T(skip_invalid_imports_the_valid_rows),
        T(unreadable_csv_imports_nothing_even_when_skipping),
        T(json_service_with_inline_organization_and_terms),
        T(broken_json_imports_nothing_and_says_where),
        T(ndjson_lines_are_rows),
        T(progress_is_reported_every_so_many_rows),
        T(an_organization_given_again_shows_its_new_name),
        T(an_empty_json_file_is_refused),
        T(large_files_are_read_on_a_second_thread_with_the_same_results),
        T(miami_is_refused_whole_and_imports_when_skipping),
        T(sample_1_1_imports_cleanly),
        T(postcodes_load_skip_terminated_and_add_outcodes),
        T(postcodes_need_the_ons_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
