/*
 * export.c: chis export: the directory out as Open Referral HSDS 3.0.
 *
 *   chis export hsds --format json|csv DIR [--progress] [--db PATH]
 *
 * The writing is the domain's (dir_export.h); this file parses options and
 * prints what was written.
 */
#include "cli/cli.h"

#include "domain/dir_export.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Print the usage of chis export to f. */
static void export_usage(FILE *f)
{
    fprintf(f, "usage: chis export hsds --format json|csv DIR [--progress] [--db PATH]\n\n"
               "Write the public directory (published services that are not deleted, their\n"
               "organizations and locations, and every taxonomy) into the folder DIR as Open\n"
               "Referral HSDS 3.0, made when missing; files of the same names are replaced.\n\n"
               "json: services.json (an array of full services, as the API serves them),\n"
               "      organizations.json, taxonomies.json and taxonomy_terms.json.\n"
               "csv:  an HSDS 3.0 tabular data package: datapackage.json and one CSV file\n"
               "      per object (services.csv, locations.csv, schedules.csv ...).\n\n"
               "Either imports back with `chis import hsds DIR` to the same content.\n"
               "--progress prints progress to standard error (the default on a terminal).\n");
}

/* chis export hsds --format json|csv DIR: see export_usage(). */
int cmd_export(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        export_usage(stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "hsds") != 0) {
        export_usage(stderr);
        return 2;
    }
    const char *db = NULL, *format = NULL, *dir = NULL;
    bool progress = isatty(STDERR_FILENO);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            export_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db)) {
        } else if (cli_opt(argc, argv, &i, "--format", &format)) {
        } else if (strcmp(argv[i], "--progress") == 0) {
            progress = true;
        } else if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "chis export hsds: unexpected '%s'\n\n", argv[i]);
            export_usage(stderr);
            return 2;
        } else {
            dir = argv[i];
        }
    }
    enum dir_export_format fmt;
    if (format && strcmp(format, "json") == 0)
        fmt = DIR_EXPORT_JSON;
    else if (format && strcmp(format, "csv") == 0)
        fmt = DIR_EXPORT_CSV;
    else {
        fprintf(stderr, "chis export hsds: --format must be json or csv\n\n");
        export_usage(stderr);
        return 2;
    }
    if (!dir) {
        export_usage(stderr);
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct dir_export_report r;
    int status = 0;
    if (dir_export_hsds(&c, dir, fmt, progress ? stderr : NULL, &r) != RES_OK)
        status = cli_report(&c, "export hsds");
    else
        printf("exported %lld services, %lld organizations, %lld locations, %lld taxonomies,"
               " %lld taxonomy terms into %d files in %s in %.0f ms\n",
               r.services, r.organizations, r.locations, r.taxonomies, r.taxonomy_terms, r.files,
               dir, r.elapsed_ms);
    cli_close(&c);
    return status;
}
