/*
 * dir_import.h: bringing directory data into chis: HSDS feeds (3.0 JSON,
 * ndjson, and tabular data packages in the 1.x and the 3.0 layout) and the
 * ONS postcode table that proximity search reads.
 *
 * An import is one transaction. Each problem names the file, the line and
 * the reason. By default any invalid row means nothing is imported; with
 * skip_invalid the valid rows are imported and every skipped one is
 * reported the same way. Rows are matched by id, so importing the same feed
 * again updates it in place.
 *
 * The importer runs as the operator (the CLI) or a test: it does not
 * authorise.
 */
#ifndef CHIS_DIR_IMPORT_H
#define CHIS_DIR_IMPORT_H

#include "domain/ctx.h"

#include <stdbool.h>
#include <stdio.h>

struct dir_import_opts {
    bool skip_invalid; /* import the valid rows, report the rest */
    /* Progress lines ("services: 10000 of 100000") go here every
     * progress_every rows when set (the CLI passes stderr on a terminal). */
    FILE *progress;
    long progress_every; /* 0: 10,000 */
};

/* One row that is wrong: "services.csv", line 12, "status 'open' is not ...". */
struct dir_import_problem {
    const char *file;
    long line; /* 0 when the problem is with the whole file */
    const char *reason;
};

/* Something normalised or left out that the operator should know about,
 * counted: "locations.csv: 3015 rows: organization_id ... (first line 3)". */
struct dir_import_note {
    const char *file;
    const char *reason;
    long count;
    long first_line;
};

struct dir_import_report {
    arena *a; /* owns everything below; set by dir_import_hsds() */
    struct dir_import_problem *problems;
    size_t nproblems, problems_cap;
    struct dir_import_note *notes;
    size_t nnotes, notes_cap;
    const char *format; /* "HSDS 3.0 JSON", "HSDS 1.x tabular", ... */
    /* What was written (zero when nothing was). */
    long long organizations, services, locations, taxonomies, taxonomy_terms;
    long long rows;            /* data rows (or JSON documents) read */
    long long rows_skipped;    /* invalid rows left out (skip_invalid) */
    long long rows_with_owner; /* valid rows left out because what they belong to was */
    bool committed;
    /* Where the time went: all of it, inside the directory core's stores,
     * writing the rows still held back and indexing them, and the commit
     * (the rest is reading, parsing and mapping). */
    double elapsed_ms, store_ms, flush_ms, commit_ms;
};

/*
 * Import an HSDS feed from path: a JSON file (one full service, an array of
 * them, or one per line), a datapackage.json, or a directory holding a
 * tabular package (CSV files, with or without datapackage.json) or a JSON
 * export (services.json with organizations.json, taxonomies.json and
 * taxonomy_terms.json beside it). Fills r (its arena is created here; free
 * it with dir_import_report_free()). Returns RES_OK when the import was
 * committed (with skipped rows reported under skip_invalid), RES_INVALID
 * when problems stopped it (nothing written), RES_NOT_FOUND when path cannot
 * be read, RES_INTERNAL when the store failed.
 */
result dir_import_hsds(struct ctx *c, const char *path, const struct dir_import_opts *o,
                       struct dir_import_report *r);

void dir_import_report_free(struct dir_import_report *r);

/* Print the problems (sorted by file and line), the notes and the counts
 * to f, the way the CLI shows them. */
void dir_import_report_print(const struct dir_import_report *r, FILE *f, bool skip_invalid);

struct postcodes_report {
    long long rows;       /* data rows read */
    long long imported;   /* postcodes written (new or updated) */
    long long terminated; /* skipped: doterm set */
    long long no_coords;  /* skipped: no usable latitude/longitude (ONS writes 99.999999) */
    long long invalid;    /* skipped: not shaped like a postcode */
    long long outcodes;   /* outcode centroids added */
    long first_invalid_line;
};

/*
 * Load an ONS Postcode Directory-shaped CSV (header names pcds, lat, long,
 * and optionally lsoa11 or lsoa, doterm) into the postcodes table, upserting
 * by the normalised postcode. Terminated postcodes (doterm set) and rows
 * without coordinates are skipped and counted. Outcodes in the file that the
 * outcodes table lacks get the mean of their postcodes, for the outcode
 * fallback. One transaction. Progress lines go to progress when set.
 * RES_OK, RES_INVALID (no pcds/lat/long columns, or unreadable CSV:
 * c->detail says why), RES_NOT_FOUND (cannot open), RES_INTERNAL.
 */
result postcodes_import(struct ctx *c, const char *path, FILE *progress,
                        struct postcodes_report *r);

#endif
