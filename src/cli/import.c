/*
 * import.c: chis import: directory data from outside.
 *
 *   chis import hsds PATH [--skip-invalid] [--progress] [--db PATH]
 *   chis import postcodes FILE.csv [--progress] [--db PATH]
 *   chis import imd FILE.csv [--db PATH]
 *   chis import lsoas FILE.csv [--db PATH]
 *
 * The reading, checking and storing are the domain's (dir_import.h); this
 * file parses options, picks where progress goes, and prints the report.
 */
#include "cli/cli.h"

#include "domain/dir_import.h"
#include "domain/geo_import.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Print the usage of chis import to f. */
static void import_usage(FILE *f)
{
    fprintf(f, "usage: chis import hsds PATH [--skip-invalid] [--progress] [--db PATH]\n"
               "       chis import postcodes FILE.csv [--progress] [--db PATH]\n"
               "       chis import imd FILE.csv [--db PATH]\n"
               "       chis import lsoas FILE.csv [--db PATH]\n\n"
               "hsds: import an Open Referral (HSDS) directory feed. PATH is a JSON file (one\n"
               "full service, an array of them, or one per line), a datapackage.json, or a\n"
               "folder holding a tabular package (CSV files in the HSDS 1.x or 3.0 layout,\n"
               "with or without datapackage.json) or what `chis export hsds --format json`\n"
               "wrote. Rows are matched by id: importing again updates, never duplicates.\n\n"
               "The import is one transaction. If any row is invalid nothing is imported and\n"
               "every problem is listed as FILE:LINE: REASON (exit status 1). With\n"
               "--skip-invalid the valid rows are imported and each skipped row is listed\n"
               "the same way. Notes say what was normalised or left out.\n\n"
               "postcodes: load postcode centroids from an ONS Postcode Directory-shaped CSV\n"
               "(columns pcds, lat, long, optionally lsoa11 or lsoa, doterm); terminated\n"
               "postcodes are skipped. Used by proximity search and to place participants.\n\n"
               "imd: load the English Indices of Deprivation 2019 by LSOA (columns lsoa_code\n"
               "and IMD_decile, in any case; other columns ignored). A participant's\n"
               "deprivation decile is their LSOA's.\n\n"
               "lsoas: load which neighbourhood each LSOA lies in (columns lsoa and\n"
               "neighbourhood: the neighbourhood's code or id). A participant is placed in\n"
               "the neighbourhood of their postcode's LSOA.\n\n"
               "imd and lsoas are all or nothing: if any row is refused, each is listed as\n"
               "row N: REASON and nothing is imported (exit status 1). Participants are\n"
               "placed again afterwards.\n\n"
               "--progress prints progress to standard error (the default on a terminal).\n");
}

/*
 * Reads the arguments of chis import KIND (argv[0]): the FILE into *path,
 * --db PATH, and where the kind has them (the pointer is not NULL)
 * --progress and --skip-invalid. -1 to go on; else the exit status (0
 * after --help, 2 for a mistake, with the usage).
 */
static int import_args(int argc, char **argv, const char **path, const char **db, bool *progress,
                       bool *skip_invalid)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            import_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", db)) {
        } else if (skip_invalid && strcmp(argv[i], "--skip-invalid") == 0) {
            *skip_invalid = true;
        } else if (progress && strcmp(argv[i], "--progress") == 0) {
            *progress = true;
        } else if (argv[i][0] == '-' || *path) {
            fprintf(stderr, "chis import %s: unexpected '%s'\n\n", argv[0], argv[i]);
            import_usage(stderr);
            return 2;
        } else {
            *path = argv[i];
        }
    }
    if (!*path) {
        import_usage(stderr);
        return 2;
    }
    return -1;
}

/* chis import hsds PATH [options]. */
static int import_hsds(int argc, char **argv)
{
    const char *db = NULL, *path = NULL;
    struct dir_import_opts o = {0};
    bool progress = isatty(STDERR_FILENO);
    int done = import_args(argc, argv, &path, &db, &progress, &o.skip_invalid);
    if (done >= 0) return done;
    if (progress) o.progress = stderr;
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct dir_import_report r;
    result res = dir_import_hsds(&c, path, &o, &r);
    /* Problems and notes are the diagnosis: standard error. The counts on
     * success are the result: standard output. */
    dir_import_report_print(&r, res == RES_OK ? stdout : stderr, o.skip_invalid);
    int status = 0;
    if (res == RES_NOT_FOUND || res == RES_INTERNAL)
        status = cli_report(&c, "import hsds");
    else if (res != RES_OK)
        status = 1;
    dir_import_report_free(&r);
    cli_close(&c);
    return status;
}

/* chis import postcodes FILE [options]. */
static int import_postcodes(int argc, char **argv)
{
    const char *db = NULL, *path = NULL;
    bool progress = isatty(STDERR_FILENO);
    int done = import_args(argc, argv, &path, &db, &progress, NULL);
    if (done >= 0) return done;
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct postcodes_report r;
    int status = 0;
    if (postcodes_import(&c, path, progress ? stderr : NULL, &r) != RES_OK) {
        status = cli_report(&c, "import postcodes");
    } else {
        printf("imported %lld postcodes from %lld rows (skipped %lld terminated, %lld without"
               " coordinates, %lld not postcodes",
               r.imported, r.rows, r.terminated, r.no_coords, r.invalid);
        if (r.first_invalid_line) printf(", the first on row %ld", r.first_invalid_line);
        printf("); added %lld outcode centroids\n", r.outcodes);
    }
    cli_close(&c);
    return status;
}

/* chis import imd|lsoas FILE [--db PATH]: the geography that places a person. */
static int import_geo(int argc, char **argv)
{
    const char *kind = argv[0], *db = NULL, *path = NULL;
    int done = import_args(argc, argv, &path, &db, NULL, NULL);
    if (done >= 0) return done;
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct geo_import_report r;
    bool imd = strcmp(kind, "imd") == 0;
    result res = imd ? geo_import_imd(&c, path, &r) : geo_import_lsoas(&c, path, &r);
    int status = 0;
    for (int i = 0; i < r.nproblems; i++)
        fprintf(stderr, "%s: %s\n", path, r.problems[i]);
    if (r.more_problems) fprintf(stderr, "%s: and %lld more rows refused\n", path, r.more_problems);
    if (res != RES_OK) {
        status = cli_report(&c, imd ? "import imd" : "import lsoas");
    } else {
        printf("imported %lld %s from %lld rows; placed %lld participant%s again\n", r.imported,
               imd ? "LSOA deprivation deciles" : "LSOA neighbourhoods", r.rows, r.placed,
               r.placed == 1 ? "" : "s");
    }
    cli_close(&c);
    return status;
}

/* chis import hsds|postcodes|imd|lsoas: dispatch to the kind of import. */
int cmd_import(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "hsds") == 0) return import_hsds(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "postcodes") == 0) return import_postcodes(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "imd") == 0 || strcmp(argv[1], "lsoas") == 0))
        return import_geo(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        import_usage(stdout);
        return 0;
    }
    import_usage(stderr);
    return 2;
}
