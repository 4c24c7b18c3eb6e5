/*
 * dir_export.h: the directory as Open Referral HSDS 3.0, for other
 * directories to consume and for chis to import again (chis export hsds).
 * Only what the public API shows is written: published services that are
 * not deleted, their organizations, locations and terms, and every
 * taxonomy. Read-only; the caller authorises.
 */
#ifndef CHIS_DIR_EXPORT_H
#define CHIS_DIR_EXPORT_H

#include "domain/ctx.h"

#include <stdio.h>

enum dir_export_format {
    DIR_EXPORT_JSON, /* services.json (full services), organizations.json, taxonomies.json,
                        taxonomy_terms.json: each a JSON array */
    DIR_EXPORT_CSV,  /* an HSDS 3.0 tabular data package: datapackage.json and one CSV
                        file per object, named as in the HSDS 3.0 examples */
};

struct dir_export_report {
    long long services, organizations, locations, taxonomies, taxonomy_terms;
    int files;
    double elapsed_ms;
};

/*
 * Write the directory into the folder dir (made when missing; files of the
 * same names are replaced). Progress lines go to progress every 10,000
 * services when it is set. RES_OK, RES_INVALID (dir is not a folder we can
 * write: c->detail says why), RES_INTERNAL.
 */
result dir_export_hsds(struct ctx *c, const char *dir, enum dir_export_format format,
                       FILE *progress, struct dir_export_report *r);

#endif
