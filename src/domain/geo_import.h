/*
 * geo_import.h: the small geography that places a person (participants.h):
 * which neighbourhood each LSOA lies in (neighbourhood_lsoas) and each
 * LSOA's deprivation decile (lsoa_imd), loaded from CSV files by the CLI
 * (chis import imd, chis import lsoas) or set per neighbourhood through
 * the API.
 *
 * Whenever the geography changes, participants who are not anonymised and
 * whose LSOA is affected are placed again, so a person's neighbourhood and
 * decile follow the mapping. Referrals keep the values frozen when they
 * were made.
 */
#ifndef CHIS_GEO_IMPORT_H
#define CHIS_GEO_IMPORT_H

#include "domain/ctx.h"

#include <stdbool.h>

#define GEO_IMPORT_PROBLEMS 10

struct geo_import_report {
    long long rows;     /* data rows read */
    long long imported; /* rows written (new or changed) */
    long long placed;   /* participants placed again */
    int nproblems;      /* rows refused (only the first GEO_IMPORT_PROBLEMS are kept) */
    long long more_problems;
    char problems[GEO_IMPORT_PROBLEMS][200]; /* "row N: reason" */
};

/*
 * Load the English Indices of Deprivation 2019 by LSOA (columns lsoa_code
 * and IMD_decile, header names matched without regard to case; other
 * columns ignored) into lsoa_imd. All or nothing: a row with a bad code or
 * decile refuses the file (RES_INVALID, the rows in r->problems). The
 * operator only (the CLI). RES_NOT_FOUND when the file cannot be read.
 */
result geo_import_imd(struct ctx *c, const char *path, struct geo_import_report *r);

/*
 * Load which neighbourhood each LSOA lies in (columns lsoa and
 * neighbourhood: a neighbourhood's code, or its id) into
 * neighbourhood_lsoas, moving an LSOA that was elsewhere. All or nothing,
 * as geo_import_imd.
 */
result geo_import_lsoas(struct ctx *c, const char *path, struct geo_import_report *r);

/* Is s shaped like an LSOA code (E01 or W01 and six digits)? */
bool lsoa_code_valid(const char *s);

/* The LSOA codes of a neighbourhood, sorted, in c->a (*n of them). Any
 * signed-in user (no personal data). RES_NOT_FOUND for an unknown one. */
result neighbourhood_lsoas_get(struct ctx *c, long long neighbourhood_id, const char ***out,
                               int *n);

/*
 * Replace a neighbourhood's LSOAs with the n given (duplicates ignored).
 * Administrators, system leads and place leads of the neighbourhood's
 * place. Field errors "lsoas[i]" for a malformed code or one that lies in
 * another neighbourhood (RES_INVALID, nothing written). Audited.
 */
result neighbourhood_lsoas_set(struct ctx *c, long long neighbourhood_id, const char *const *lsoas,
                               int n);

#endif
