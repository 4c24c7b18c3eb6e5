/*
 * fuzz_hsds_csv.c: the tabular HSDS importer is safe on any input. The
 * input is one CSV text, or several separated by NUL bytes that become the
 * files of a package (services, organizations, locations, services at
 * location, 1.x regular schedules, taxonomy, services_taxonomy). The CSV
 * reader keeps its promises (rows in line order, every field a string, a
 * header), and an import either commits or leaves the database exactly as
 * it was, never failing in the store.
 */
#include "domain/dir_import.h"
#include "domain/dir_import_internal.h"
#include "domain/directory.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const files[] = {"services.csv",          "organizations.csv",
                                    "locations.csv",         "services_at_location.csv",
                                    "regular_schedules.csv", "taxonomy.csv",
                                    "services_taxonomy.csv"};
#define NFILES (sizeof files / sizeof files[0])

static store_conn *db;
static char dir[64];

/* One database and one package folder for the whole run. */
static void setup_once(void)
{
    if (db) return;
    if (sodium_init() < 0) abort();
    char *err = NULL;
    int from, to;
    db = store_open(":memory:", &err);
    if (!db || store_migrate(db, &from, &to, &err) != 0) abort();
    strcpy(dir, "/tmp/chis-fuzz-hsds-XXXXXX");
    if (!mkdtemp(dir)) abort();
}

/* The CSV reader's promises on one text. */
static void check_reader(const uint8_t *data, size_t size)
{
    arena *a = arena_new(4096);
    struct csv_table t;
    if (csv_table_read(a, (const char *)data, size, "x.csv", &t) == 0) {
        if (!t.cols || t.ncols < 1) abort();
        long last = 1;
        for (size_t i = 0; i < t.nrows; i++) {
            if (t.rows[i].line <= last) abort();
            last = t.rows[i].line;
            for (int c = -1; c <= t.rows[i].nf; c++)
                if (!csv_get(&t.rows[i], c)) abort();
        }
    } else if (!t.error) {
        abort();
    }
    arena_free(a);
}

/* A count of one table's rows. */
static long long count(const char *table)
{
    char sql[64];
    long long n = -1;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    if (store_query_int(db, &n, sql, NULL) != 1) abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    check_reader(data, size);
    /* Split at NULs into the package's files. */
    size_t start = 0;
    for (size_t k = 0; k < NFILES; k++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        const uint8_t *nul = start <= size ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        if (start > size) {
            unlink(path);
            continue;
        }
        FILE *f = fopen(path, "wb");
        if (!f) abort();
        fwrite(data + start, 1, end - start, f);
        fclose(f);
        start = end + 1;
    }
    struct ctx c;
    ctx_init(&c, arena_new(4096), db, 1795683600);
    c.by_operator = true;
    long long before = count("dir_services") + count("dir_organizations");
    for (int skip = 0; skip < 2; skip++) {
        struct dir_import_opts o = {.skip_invalid = skip};
        struct dir_import_report r;
        result res = dir_import_hsds(&c, dir, &o, &r);
        if (res == RES_INTERNAL) abort();
        if (!r.committed && count("dir_services") + count("dir_organizations") != before) abort();
        if (r.committed) before = count("dir_services") + count("dir_organizations");
        dir_import_report_free(&r);
    }
    arena_free(c.a);
    return 0;
}
