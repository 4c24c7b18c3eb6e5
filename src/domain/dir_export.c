/*
 * dir_export.c: chis export hsds: the public directory as HSDS 3.0, either
 * as JSON (full service documents, the form the ORUK API serves) or as a
 * tabular data package (one CSV per object, linked by ids, with a
 * datapackage.json describing them). Either imports back into chis with the
 * same content: ids, last_modified and generated child ids are all kept.
 *
 * Services are read from the document each one carries (rendered from its
 * rows on every write), so a large directory exports with one query.
 */
#include "domain/dir_export.h"

#include "domain/dir_import_internal.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define JSON_OUT (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* One CSV file of the package: its HSDS object, columns, and which columns
 * are references set from where the object sits rather than from it. */
struct csvfile {
    const char *name; /* the HSDS object: "service" */
    const char *path; /* "services.csv" */
    const char *const *cols;
    const char *const *owners;
    FILE *f;
};

#define L(...)                                                                                     \
    (const char *const[])                                                                          \
    {                                                                                              \
        __VA_ARGS__, NULL                                                                          \
    }

enum {
    F_ORG,
    F_SERVICE,
    F_LOCATION,
    F_SAL,
    F_ADDRESS,
    F_PHONE,
    F_CONTACT,
    F_SCHEDULE,
    F_COST,
    F_AREA,
    F_LANGUAGE,
    F_ACCESS,
    F_FUNDING,
    F_ATTRIBUTE,
    F_TAXONOMY,
    F_TERM,
    F_COUNT
};

/* The HSDS 3.0 tabular layout (the specification's examples/csv), less the
 * columns chis does not keep. */
static const struct csvfile layout[F_COUNT] = {
    [F_ORG] = {"organization", "organizations.csv",
               L("id", "name", "alternate_name", "description", "email", "website", "tax_status",
                 "tax_id", "year_incorporated", "legal_status", "logo", "uri",
                 "parent_organization_id"),
               NULL, NULL},
    [F_SERVICE] = {"service", "services.csv",
                   L("id", "organization_id", "name", "alternate_name", "description", "url",
                     "email", "status", "interpretation_services", "application_process",
                     "fees_description", "wait_time", "accreditations", "eligibility_description",
                     "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert",
                     "last_modified"),
                   L("organization_id"), NULL},
    [F_LOCATION] = {"location", "locations.csv",
                    L("id", "location_type", "url", "organization_id", "name", "alternate_name",
                      "description", "transportation", "latitude", "longitude",
                      "external_identifier", "external_identifier_type"),
                    NULL, NULL},
    [F_SAL] = {"service_at_location", "service_at_location.csv",
               L("id", "service_id", "location_id", "description"), L("service_id", "location_id"),
               NULL},
    [F_ADDRESS] = {"address", "addresses.csv",
                   L("id", "location_id", "attention", "address_1", "address_2", "city", "region",
                     "state_province", "postal_code", "country", "address_type"),
                   L("location_id"), NULL},
    [F_PHONE] = {"phone", "phones.csv",
                 L("id", "location_id", "service_id", "organization_id", "contact_id",
                   "service_at_location_id", "number", "extension", "type", "description"),
                 L("location_id", "service_id", "organization_id", "contact_id",
                   "service_at_location_id"),
                 NULL},
    [F_CONTACT] = {"contact", "contacts.csv",
                   L("id", "organization_id", "service_id", "service_at_location_id", "location_id",
                     "name", "title", "department", "email"),
                   L("organization_id", "service_id", "service_at_location_id", "location_id"),
                   NULL},
    [F_SCHEDULE] = {"schedule", "schedules.csv",
                    L("id", "service_id", "location_id", "service_at_location_id", "valid_from",
                      "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq",
                      "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
                      "opens_at", "closes_at", "schedule_link", "attending_type", "notes"),
                    L("service_id", "location_id", "service_at_location_id"), NULL},
    [F_COST] = {"cost_option", "cost_options.csv",
                L("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount",
                  "amount_description"),
                L("service_id"), NULL},
    [F_AREA] = {"service_area", "service_areas.csv",
                L("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
                L("service_id"), NULL},
    [F_LANGUAGE] = {"language", "languages.csv",
                    L("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
                    L("service_id", "location_id", "phone_id"), NULL},
    [F_ACCESS] = {"accessibility", "accessibility.csv",
                  L("id", "location_id", "description", "details", "url"), L("location_id"), NULL},
    [F_FUNDING] = {"funding", "funding.csv", L("id", "organization_id", "service_id", "source"),
                   L("organization_id", "service_id"), NULL},
    [F_ATTRIBUTE] = {"attribute", "attributes.csv",
                     L("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
                       "label"),
                     L("link_id", "link_entity"), NULL},
    [F_TAXONOMY] = {"taxonomy", "taxonomies.csv", L("id", "name", "description", "uri", "version"),
                    NULL, NULL},
    [F_TERM] = {"taxonomy_term", "taxonomy_terms.csv",
                L("id", "code", "name", "description", "parent_id", "taxonomy", "language",
                  "taxonomy_id", "term_uri"),
                NULL, NULL},
};

/* Frictionless Data field types of the columns that are not text. */
static const char *field_type(const char *col)
{
    static const char *const numbers[] = {"latitude", "longitude", "minimum_age", "maximum_age",
                                          "amount",   "timezone",  NULL};
    static const char *const integers[] = {"year_incorporated", "count", "interval", NULL};
    static const char *const dates[] = {"valid_from", "valid_to",     "dtstart",
                                        "until",      "assured_date", NULL};
    for (const char *const *p = numbers; *p; p++)
        if (strcmp(*p, col) == 0) return "number";
    for (const char *const *p = integers; *p; p++)
        if (strcmp(*p, col) == 0) return "integer";
    for (const char *const *p = dates; *p; p++)
        if (strcmp(*p, col) == 0) return "date";
    if (strcmp(col, "last_modified") == 0) return "datetime";
    if (strcmp(col, "opens_at") == 0 || strcmp(col, "closes_at") == 0) return "time";
    return "string";
}

/* Write one CSV cell, quoted when it must be (RFC 4180). Unlike the
 * spreadsheet exports this is data for programs: no formula guard, so a
 * phone number "+44 ..." comes back as it went. */
static void put_cell(FILE *f, const char *s, bool first)
{
    if (!first) fputc(',', f);
    if (!s || !*s) return;
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[strlen(s) - 1] != ' ') {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A JSON scalar as the text of a cell (numbers as the shortest exact
 * decimal for the data imported, 15 digits). buf holds at least 40. */
static const char *cell_text(json_t *v, char *buf)
{
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, 40, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d == floor(d) && fabs(d) < 1e15)
            snprintf(buf, 40, "%.0f", d);
        else
            snprintf(buf, 40, "%.15g", d);
        return buf;
    }
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    return NULL;
}

/* The value an owner list gives a column; *found when it names it. */
static const char *owner_value(const char *const *owner, const char *col, bool *found)
{
    *found = false;
    for (int i = 0; owner && owner[i]; i += 2)
        if (strcmp(owner[i], col) == 0) {
            *found = true;
            return owner[i + 1];
        }
    return NULL;
}

/* Is col one of the file's reference columns? */
static bool is_owner_col(const struct csvfile *cf, const char *col)
{
    for (const char *const *p = cf->owners; p && *p; p++)
        if (strcmp(*p, col) == 0) return true;
    return false;
}

/* One row: reference columns from owner (name/value pairs), the rest
 * from obj. */
static void put_row(struct csvfile *cf, json_t *obj, const char *const *owner)
{
    char buf[40];
    for (int i = 0; cf->cols[i]; i++) {
        bool found;
        const char *v = owner_value(owner, cf->cols[i], &found);
        if (!found && !is_owner_col(cf, cf->cols[i]))
            v = cell_text(json_object_get(obj, cf->cols[i]), buf);
        put_cell(cf->f, v, i == 0);
    }
    fputs("\r\n", cf->f);
}

/* Each element of obj[member] as a row with the owner given. */
static void put_list(struct csvfile *cf, json_t *obj, const char *member, const char *const *owner)
{
    size_t i;
    json_t *el;
    json_array_foreach(json_object_get(obj, member), i, el) put_row(cf, el, owner);
}

/* The export in progress. */
struct exp {
    struct ctx *c;
    const char *dir;
    enum dir_export_format format;
    FILE *progress;
    struct dir_export_report *r;
    struct csvfile files[F_COUNT];
    struct strmap locations; /* ids written to locations.csv */
    bool failed;
    result res; /* why, when failed */
};

/* Open dir/name for writing; NULL (reason in c->detail) when it cannot be. */
static FILE *open_out(struct exp *e, const char *name)
{
    char *path = arena_printf(e->c->a, "%s/%s", e->dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        e->res = ctx_fail(e->c, RES_INVALID, "cannot write %s: %s", path, strerror(errno));
        e->failed = true;
        return NULL;
    }
    e->r->files++;
    return f;
}

/* The rows of one service document across the CSV files. */
static void service_rows(struct exp *e, json_t *doc)
{
    struct csvfile *F = e->files;
    const char *sid = json_string_value(json_object_get(doc, "id"));
    const char *org = json_string_value(json_object_get(doc, "organization_id"));
    if (!org) org = json_string_value(json_object_get(json_object_get(doc, "organization"), "id"));
    put_row(&F[F_SERVICE], doc, L("organization_id", org));
    const char *const by_service[] = {"service_id", sid, NULL};
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        const char *lid = json_string_value(json_object_get(loc, "id"));
        if (!lid) lid = json_string_value(json_object_get(sal, "location_id"));
        const char *salid = json_string_value(json_object_get(sal, "id"));
        put_row(&F[F_SAL], sal, L("service_id", sid, "location_id", lid));
        if (lid && json_is_object(loc) && strmap_get(&e->locations, lid) < 0) {
            strmap_put(&e->locations, arena_strdup(e->c->a, lid), 1);
            e->r->locations++;
            put_row(&F[F_LOCATION], loc, NULL);
            put_list(&F[F_ADDRESS], loc, "addresses", L("location_id", lid));
            put_list(&F[F_ACCESS], loc, "accessibility", L("location_id", lid));
        }
        put_list(&F[F_SCHEDULE], sal, "schedules", L("service_at_location_id", salid));
    }
    put_list(&F[F_SCHEDULE], doc, "schedules", by_service);
    put_list(&F[F_COST], doc, "cost_options", by_service);
    put_list(&F[F_AREA], doc, "service_areas", by_service);
    put_list(&F[F_LANGUAGE], doc, "languages", by_service);
    put_list(&F[F_FUNDING], doc, "funding", by_service);
    put_list(&F[F_PHONE], doc, "phones", by_service);
    json_t *ct;
    json_array_foreach(json_object_get(doc, "contacts"), i, ct)
    {
        put_row(&F[F_CONTACT], ct, by_service);
        const char *cid = json_string_value(json_object_get(ct, "id"));
        put_list(&F[F_PHONE], ct, "phones", L("contact_id", cid));
    }
    put_list(&F[F_ATTRIBUTE], doc, "attributes", L("link_id", sid, "link_entity", "service"));
}

/* Every published, undeleted service: as JSON into f, or as CSV rows. */
static void export_services(struct exp *e, FILE *json_out)
{
    store_stmt *st = store_prepare(e->c->db, "SELECT document FROM dir_services"
                                             " WHERE state = 'published' AND deleted_at IS NULL"
                                             " ORDER BY rid");
    if (!st) {
        e->failed = true;
        e->res = ctx_store_failure(e->c, STORE_E_ERROR, "listing services");
        return;
    }
    if (json_out) fputs("[", json_out);
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        json_error_t err;
        json_t *doc = json_loads(store_col_text(st, 0), 0, &err);
        if (!json_is_object(doc)) {
            json_decref(doc);
            continue;
        }
        dir_document_public(doc);
        if (json_out) {
            fputs(e->r->services ? ",\n" : "\n", json_out);
            json_dumpf(doc, json_out, JSON_OUT);
            size_t i;
            json_t *sal;
            json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
            {
                const char *lid = json_string_value(json_object_get(sal, "location_id"));
                if (lid && strmap_get(&e->locations, lid) < 0) {
                    strmap_put(&e->locations, arena_strdup(e->c->a, lid), 1);
                    e->r->locations++;
                }
            }
        } else {
            service_rows(e, doc);
        }
        json_decref(doc);
        e->r->services++;
        if (e->progress && e->r->services % 10000 == 0) {
            fprintf(e->progress, "services: %lld\n", e->r->services);
            fflush(e->progress);
        }
    }
    store_done(st);
    if (rc < 0) {
        e->failed = true;
        e->res = ctx_store_failure(e->c, rc, "reading services");
    }
    if (json_out) fputs("\n]\n", json_out);
}

/* Ids of a table in insertion order, into an arena array (*n set). */
static const char **all_ids(struct exp *e, const char *sql, size_t *n)
{
    *n = 0;
    size_t cap = 64;
    const char **ids = arena_alloc(e->c->a, cap * sizeof *ids);
    store_stmt *st = store_prepare(e->c->db, sql);
    if (!st) {
        e->failed = true;
        return ids;
    }
    while (store_step(st) == STORE_ROW) {
        if (*n == cap) {
            const char **more = arena_alloc(e->c->a, 2 * cap * sizeof *more);
            memcpy(more, ids, cap * sizeof *ids);
            ids = more;
            cap *= 2;
        }
        ids[(*n)++] = arena_strdup(e->c->a, store_col_text(st, 0));
    }
    store_done(st);
    return ids;
}

/* One kind of one-to-one object (organizations, taxonomies, terms): as a
 * JSON array into json_out, or as rows of cf. Returns how many. */
static long long export_objects(struct exp *e, const char *sql,
                                json_t *(*render)(struct ctx *, const char *, result *),
                                FILE *json_out, struct csvfile *cf)
{
    size_t n;
    const char **ids = all_ids(e, sql, &n);
    if (json_out) fputs("[", json_out);
    for (size_t i = 0; i < n; i++) {
        result res;
        json_t *obj = render(e->c, ids[i], &res);
        if (!obj) {
            e->failed = true;
            e->res = res;
            break;
        }
        if (json_out) {
            fputs(i ? ",\n" : "\n", json_out);
            json_dumpf(obj, json_out, JSON_OUT);
        } else {
            put_row(cf, obj, NULL);
        }
        json_decref(obj);
    }
    if (json_out) fputs("\n]\n", json_out);
    return (long long)n;
}

/* dir_organization_render without the chis link, as a render function. */
static json_t *render_org(struct ctx *c, const char *id, result *res)
{
    return dir_organization_render(c, id, false, res);
}

/* As the public API: only organizations with a published, undeleted service. */
static const char *const org_sql =
    "SELECT o.id FROM dir_organizations o WHERE EXISTS (SELECT 1 FROM dir_services s"
    " WHERE s.organization_id = o.id AND s.state = 'published' AND s.deleted_at IS NULL)"
    " ORDER BY o.rid";
static const char *const taxonomy_sql = "SELECT id FROM dir_taxonomies ORDER BY rid";
static const char *const term_sql = "SELECT id FROM dir_taxonomy_terms ORDER BY rid";

/* The JSON export: four files. */
static void export_json(struct exp *e)
{
    FILE *f = open_out(e, "organizations.json");
    if (!f) return;
    e->r->organizations = export_objects(e, org_sql, render_org, f, NULL);
    fclose(f);
    if (!(f = open_out(e, "taxonomies.json"))) return;
    e->r->taxonomies = export_objects(e, taxonomy_sql, dir_taxonomy_render, f, NULL);
    fclose(f);
    if (!(f = open_out(e, "taxonomy_terms.json"))) return;
    e->r->taxonomy_terms = export_objects(e, term_sql, dir_taxonomy_term_render, f, NULL);
    fclose(f);
    if (!(f = open_out(e, "services.json"))) return;
    export_services(e, f);
    if (fclose(f) != 0) e->failed = true;
}

/* datapackage.json describing the CSV files. */
static void write_datapackage(struct exp *e)
{
    json_t *dp = json_pack("{s:s, s:s, s:s, s:s}", "name", "chis-directory", "title",
                           "Creative Health directory (HSDS 3.0 tabular data package)", "profile",
                           "tabular-data-package", "version", "3.0");
    json_object_set_new(dp, "created", json_string(e->c->now_iso));
    json_t *resources = json_array();
    for (int k = 0; k < F_COUNT; k++) {
        json_t *fields = json_array();
        for (int i = 0; layout[k].cols[i]; i++)
            json_array_append_new(fields, json_pack("{s:s, s:s}", "name", layout[k].cols[i], "type",
                                                    field_type(layout[k].cols[i])));
        json_array_append_new(resources,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:o, s:s}}", "name",
                                        layout[k].name, "path", layout[k].path, "profile",
                                        "tabular-data-resource", "format", "csv", "mediatype",
                                        "text/csv", "encoding", "utf-8", "schema", "fields", fields,
                                        "primaryKey", "id"));
    }
    json_object_set_new(dp, "resources", resources);
    FILE *f = open_out(e, "datapackage.json");
    if (f) {
        json_dumpf(dp, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', f);
        fclose(f);
    }
    json_decref(dp);
}

/* The CSV export: one file per object and the datapackage.json. */
static void export_csv(struct exp *e)
{
    for (int k = 0; k < F_COUNT && !e->failed; k++) {
        e->files[k] = layout[k];
        e->files[k].f = open_out(e, layout[k].path);
        if (!e->files[k].f) break;
        for (int i = 0; layout[k].cols[i]; i++)
            put_cell(e->files[k].f, layout[k].cols[i], i == 0);
        fputs("\r\n", e->files[k].f);
    }
    if (!e->failed) {
        e->r->organizations = export_objects(e, org_sql, render_org, NULL, &e->files[F_ORG]);
        e->r->taxonomies =
            export_objects(e, taxonomy_sql, dir_taxonomy_render, NULL, &e->files[F_TAXONOMY]);
        e->r->taxonomy_terms =
            export_objects(e, term_sql, dir_taxonomy_term_render, NULL, &e->files[F_TERM]);
        export_services(e, NULL);
    }
    for (int k = 0; k < F_COUNT; k++)
        if (e->files[k].f && fclose(e->files[k].f) != 0) e->failed = true;
    if (!e->failed) write_datapackage(e);
}

/* Write the public directory as HSDS 3.0 (see dir_export.h). */
result dir_export_hsds(struct ctx *c, const char *dir, enum dir_export_format format,
                       FILE *progress, struct dir_export_report *r)
{
    memset(r, 0, sizeof *r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (mkdir(dir, 0755) != 0)
            return ctx_fail(c, RES_INVALID, "cannot make the folder %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return ctx_fail(c, RES_INVALID, "%s is not a folder", dir);
    }
    struct exp e = {.c = c, .dir = dir, .format = format, .progress = progress, .r = r};
    strmap_init(&e.locations, c->a, 1024);
    /* One read transaction, so the files agree with each other (unless the
     * caller holds one already). */
    bool own_tx = !store_in_tx(c->db) && store_exec(c->db, "BEGIN") == 0;
    if (format == DIR_EXPORT_JSON)
        export_json(&e);
    else
        export_csv(&e);
    if (own_tx) store_exec(c->db, "COMMIT");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->elapsed_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (e.failed) return e.res != RES_OK ? e.res : ctx_fail(c, RES_INTERNAL, "the export failed");
    return RES_OK;
}
