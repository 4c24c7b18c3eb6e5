/*
 * dir_import_package.c: the files of an HSDS tabular data package: the
 * resources datapackage.json lists (or every CSV file of a folder without
 * one), which HSDS table each holds, in the 1.x or the 3.0 naming, and each
 * file read into a table of rows. Files that cannot be read as CSV stop
 * the import; tables chis does not keep are noted and left unread.
 */
#include "domain/dir_import_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HSDS resource names of both layouts, singular and plural. "taxonomy" is
 * either 3.0's taxonomies or 1.x's terms: decided by its columns. */
static const struct {
    const char *name;
    enum tkind kind;
} names[] = {
    {"organization", TK_ORG},
    {"organizations", TK_ORG},
    {"service", TK_SERVICE},
    {"services", TK_SERVICE},
    {"location", TK_LOCATION},
    {"locations", TK_LOCATION},
    {"service_at_location", TK_SAL},
    {"service_at_locations", TK_SAL},
    {"services_at_location", TK_SAL},
    {"services_at_locations", TK_SAL},
    {"address", TK_ADDRESS},
    {"addresses", TK_ADDRESS},
    {"physical_address", TK_ADDRESS_PHYS},
    {"physical_addresses", TK_ADDRESS_PHYS},
    {"postal_address", TK_ADDRESS_POST},
    {"postal_addresses", TK_ADDRESS_POST},
    {"phone", TK_PHONE},
    {"phones", TK_PHONE},
    {"contact", TK_CONTACT},
    {"contacts", TK_CONTACT},
    {"schedule", TK_SCHEDULE},
    {"schedules", TK_SCHEDULE},
    {"regular_schedule", TK_SCHEDULE_REG},
    {"regular_schedules", TK_SCHEDULE_REG},
    {"holiday_schedule", TK_SCHEDULE_HOLI},
    {"holiday_schedules", TK_SCHEDULE_HOLI},
    {"cost_option", TK_COST},
    {"cost_options", TK_COST},
    {"service_area", TK_AREA},
    {"service_areas", TK_AREA},
    {"language", TK_LANGUAGE},
    {"languages", TK_LANGUAGE},
    {"accessibility", TK_ACCESS},
    {"accessibility_for_disabilities", TK_ACCESS},
    {"funding", TK_FUNDING},
    {"fundings", TK_FUNDING},
    {"eligibility", TK_ELIGIBILITY},
    {"eligibilities", TK_ELIGIBILITY},
    {"taxonomies", TK_TAXONOMY},
    {"taxonomy_term", TK_TERM},
    {"taxonomy_terms", TK_TERM},
    {"service_taxonomy", TK_SERVICE_TERM},
    {"services_taxonomy", TK_SERVICE_TERM},
    {"attribute", TK_ATTRIBUTE},
    {"attributes", TK_ATTRIBUTE},
    {"program", TK_IGNORED},
    {"programs", TK_IGNORED},
    {"required_document", TK_IGNORED},
    {"required_documents", TK_IGNORED},
    {"payment_accepted", TK_IGNORED},
    {"payments_accepted", TK_IGNORED},
    {"metadata", TK_IGNORED},
    {"meta_table_description", TK_IGNORED},
    {"meta_table_descriptions", TK_IGNORED},
    {"organization_identifier", TK_IGNORED},
    {"organization_identifiers", TK_IGNORED},
};

/* The kind a resource name stands for; TK_TERM_1X for "taxonomy" until
 * its columns say otherwise; TK_NONE when unknown. */
static enum tkind kind_of(const char *name)
{
    if (strcmp(name, "taxonomy") == 0) return TK_TERM_1X;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) return names[i].kind;
    return TK_NONE;
}

/* The lower-cased name of a file without folder or extension. */
static char *stem_of(arena *a, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *s = arena_strdup(a, b);
    char *dot = strrchr(s, '.');
    if (dot) *dot = '\0';
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

/* Is a resource path one we may open: relative, inside the package? */
static bool safe_path(const char *p)
{
    if (!*p || *p == '/' || strstr(p, "://")) return false;
    for (const char *s = p; *s;) {
        if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0')) return false;
        const char *slash = strchr(s, '/');
        if (!slash) break;
        s = slash + 1;
    }
    return true;
}

/* Read one resource into its table (rel: path inside dir; res: its
 * datapackage name or NULL). */
static void load_resource(struct tabular *tp, const char *dir, const char *rel, const char *res)
{
    struct imp *im = tp->im;
    const char *file = arena_strdup(im->a, rel);
    enum tkind k = kind_of(stem_of(im->a, rel));
    if (k == TK_NONE && res) k = kind_of(res);
    if (k == TK_NONE) {
        imp_note(im, file, 0, "not an HSDS table: not read");
        return;
    }
    size_t len = 0;
    char *data = imp_read_file(im->a, arena_printf(im->a, "%s/%s", dir, rel), &len);
    if (!data) {
        imp_note(im, file, 0, "listed in datapackage.json but not in the folder: nothing to read");
        return;
    }
    struct ttable *tt = arena_alloc(im->a, sizeof *tt);
    if (csv_table_read(im->a, data, len, file, &tt->t) != 0) {
        imp_problem(im, file, tt->t.error_line, "not readable as CSV: %s", tt->t.error);
        im->fatal = true;
        return;
    }
    im->r->rows += (long long)tt->t.nrows;
    if (k == TK_TERM_1X && csv_col(&tt->t, "parent_id") < 0 && csv_col(&tt->t, "vocabulary") < 0)
        k = TK_TAXONOMY; /* 3.0's taxonomies under the name "taxonomy" */
    if (k == TK_IGNORED) {
        for (size_t i = 0; i < tt->t.nrows; i++)
            imp_note(im, file, tt->t.rows[i].line, "chis does not keep this HSDS table: not read");
        return;
    }
    if (tp->tables[k]) {
        imp_problem(im, file, 0, "holds the same table as %s: use one file per table",
                    tp->tables[k]->t.file);
        return;
    }
    tt->kind = k;
    tt->name = res ? arena_strdup(im->a, res) : stem_of(im->a, rel);
    tt->id_col = csv_col(&tt->t, "id");
    tp->tables[k] = tt;
    for (int c = 0; c < tt->t.ncols; c++)
        if (!tab_column_known(k, tt->t.cols[c]))
            imp_note(
                im, file, 0,
                arena_printf(im->a, "column '%s' is not kept by chis: not read", tt->t.cols[c]));
    for (size_t i = 0; i < tt->t.nrows; i++)
        if (tt->t.rows[i].problem)
            imp_row_problem(im, file, &tt->t.rows[i], "%s", tt->t.rows[i].problem);
}

/* File names in order, for qsort. */
static int name_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The resources of a package: from datapackage.json, else every CSV file. */
void tab_load_package(struct tabular *tp, const char *dir, const char *datapackage)
{
    struct imp *im = tp->im;
    if (datapackage) {
        json_error_t err;
        json_t *dp = json_load_file(datapackage, JSON_REJECT_DUPLICATES, &err);
        json_t *resources = json_object_get(dp, "resources");
        if (!dp || !json_is_array(resources)) {
            imp_problem(im, "datapackage.json", dp ? 0 : err.line,
                        dp ? "has no \"resources\" list" : "not valid JSON: %s", err.text);
            im->fatal = true;
            json_decref(dp);
            return;
        }
        size_t i;
        json_t *res;
        json_array_foreach(resources, i, res)
        {
            const char *path = json_string_value(json_object_get(res, "path"));
            const char *name = json_string_value(json_object_get(res, "name"));
            if (!path) {
                imp_note(im, "datapackage.json", 0,
                         "a resource without a local \"path\": not read");
                continue;
            }
            if (!safe_path(path)) {
                imp_problem(im, "datapackage.json", 0,
                            "resource path '%s' is outside the package folder", path);
                continue;
            }
            load_resource(tp, dir, path, name);
        }
        json_decref(dp);
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        imp_problem(im, dir, 0, "cannot read the folder");
        im->fatal = true;
        return;
    }
    char *found[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcasecmp(e->d_name + len - 4, ".csv") == 0)
            found[n++] = arena_strdup(im->a, e->d_name);
    }
    closedir(d);
    qsort(found, (size_t)n, sizeof found[0], name_cmp);
    for (int i = 0; i < n; i++)
        load_resource(tp, dir, found[i], NULL);
    if (n == 0) {
        imp_problem(im, dir, 0, "holds no HSDS data (no datapackage.json, services.json or CSV)");
        im->fatal = true;
    }
}
