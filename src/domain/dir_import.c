/*
 * dir_import.c: chis import hsds: find out what kind of feed a path holds,
 * run its reader inside one transaction, and commit only when it may: no
 * problems, or problems the operator chose to skip. Also the part every
 * reader shares: storing a document through the directory core and turning
 * the core's field errors ("service_at_locations[0].location.latitude")
 * back into the file and line the offending object came from.
 */
#include "domain/dir_import_internal.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

/* Milliseconds on a monotonic clock. */
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* ---- problems and notes ---- */

/* Append a problem to the report (no deduplication). */
static void add_problem(struct dir_import_report *r, const char *file, long line,
                        const char *reason)
{
    if (r->nproblems == r->problems_cap) {
        size_t cap = r->problems_cap ? r->problems_cap * 2 : 64;
        struct dir_import_problem *p = arena_alloc_raw(r->a, cap * sizeof *p);
        if (r->nproblems) memcpy(p, r->problems, r->nproblems * sizeof *p);
        r->problems = p;
        r->problems_cap = cap;
    }
    r->problems[r->nproblems++] = (struct dir_import_problem){file, line, reason};
}

/* Record a problem once per file, line and reason (see dir_import_internal.h). */
void imp_problem(struct imp *im, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *reason = arena_vprintf(im->a, fmt, ap);
    va_end(ap);
    /* The same shared row (a location) can fail once per service using it. */
    char *key = arena_printf(im->a, "%s\n%ld\n%s", file ? file : "", line, reason);
    if (strmap_get(&im->problems, key) >= 0) return;
    strmap_put(&im->problems, key, 1);
    add_problem(im->r, file, line, reason);
}

/* Report a row and mark it invalid (see dir_import_internal.h). */
void imp_row_problem(struct imp *im, const char *file, struct csv_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *reason = arena_vprintf(im->a, fmt, ap);
    va_end(ap);
    row->state = ROW_BAD;
    imp_problem(im, file, row->line, "%s", reason);
}

/* Count a note, keeping its first line (see dir_import_internal.h). */
void imp_note(struct imp *im, const char *file, long line, const char *reason)
{
    struct dir_import_report *r = im->r;
    char *key = arena_printf(im->a, "%s\n%s", file ? file : "", reason);
    int i = strmap_get(&im->notes, key);
    if (i >= 0) {
        r->notes[i].count++;
        if (line && (!r->notes[i].first_line || line < r->notes[i].first_line))
            r->notes[i].first_line = line;
        return;
    }
    if (r->nnotes == r->notes_cap) {
        size_t cap = r->notes_cap ? r->notes_cap * 2 : 16;
        struct dir_import_note *n = arena_alloc_raw(r->a, cap * sizeof *n);
        if (r->nnotes) memcpy(n, r->notes, r->nnotes * sizeof *n);
        r->notes = n;
        r->notes_cap = cap;
    }
    strmap_put(&im->notes, key, (int)r->nnotes);
    r->notes[r->nnotes++] = (struct dir_import_note){file, arena_strdup(im->a, reason), 1, line};
}

/* One more row done; a progress line every so many (see dir_import_internal.h). */
void imp_progress(struct imp *im)
{
    im->progress_done++;
    long every = im->o->progress_every > 0 ? im->o->progress_every : 10000;
    if (!im->o->progress || im->progress_done % every != 0) return;
    if (im->progress_total)
        fprintf(im->o->progress, "%s: %lld of %lld\n", im->progress_what, im->progress_done,
                im->progress_total);
    else
        fprintf(im->o->progress, "%s: %lld\n", im->progress_what, im->progress_done);
    fflush(im->o->progress);
}

/* ---- what the database holds already ---- */

/* Is there a row with this id in table (a fixed name)? Cached in m. */
static bool exists_in(struct imp *im, struct strmap *m, const char *sql, const char *id)
{
    int v = strmap_get(m, id);
    if (v >= 0) return v == 1 || v == 2; /* 2: stored by this import */
    long long n = 0;
    int rc = store_query_int(im->c->db, &n, sql, "t", id);
    if (rc < 0) im->store_failed = true;
    strmap_put(m, arena_strdup(im->a, id), rc == 1 ? 1 : 0);
    return rc == 1;
}

/* Is this organization in the database already? (cached) */
bool imp_org_exists(struct imp *im, const char *id)
{
    return exists_in(im, &im->orgs, "SELECT 1 FROM dir_organizations WHERE id = $1", id);
}

/* Is this taxonomy term in the database already? (cached) */
bool imp_term_exists(struct imp *im, const char *id)
{
    return exists_in(im, &im->terms, "SELECT 1 FROM dir_taxonomy_terms WHERE id = $1", id);
}

/* Is this taxonomy in the database already? (cached) */
bool imp_taxonomy_exists(struct imp *im, const char *id)
{
    return exists_in(im, &im->taxonomies, "SELECT 1 FROM dir_taxonomies WHERE id = $1", id);
}

/* ---- field errors back to rows ---- */

/* One step of a path walked through a document. */
struct step {
    json_t *node;
    json_t *parent; /* array or object holding node */
    const char *key;
    const struct origin *origin;
};

/*
 * Walk a core field path ("a[0].b.c") through doc, noting each node and
 * its origin. Returns the number of steps (steps[0] is doc itself); *rest
 * is set to the part of the path below the deepest node with an origin.
 */
static int walk_path(struct imp *im, json_t *doc, const char *path, struct step *steps, int max,
                     const char **rest, int *deepest)
{
    int n = 0;
    steps[n++] = (struct step){doc, NULL, NULL, ptrmap_get(&im->origins, doc)};
    *deepest = steps[0].origin ? 0 : -1;
    *rest = path;
    const char *p = path;
    json_t *cur = doc;
    while (*p && cur && n < max) {
        size_t len = strcspn(p, ".[");
        if (len) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(len < 127 ? len : 127), p);
            json_t *next = json_is_object(cur) ? json_object_get(cur, name) : NULL;
            if (!next) break;
            steps[n] = (struct step){next, cur, arena_strdup(im->scratch, name),
                                     ptrmap_get(&im->origins, next)};
            cur = next;
            p += len;
        } else if (*p == '[') {
            char *end = NULL;
            long idx = strtol(p + 1, &end, 10);
            if (!end || *end != ']') break;
            json_t *next = json_is_array(cur) ? json_array_get(cur, (size_t)idx) : NULL;
            if (!next) break;
            steps[n] = (struct step){next, cur, NULL, ptrmap_get(&im->origins, next)};
            cur = next;
            p = end + 1;
        } else {
            p++; /* '.' */
            continue;
        }
        if (steps[n].origin) {
            *deepest = n;
            *rest = *p == '.' ? p + 1 : p;
        }
        n++;
        if (*p == '.') p++;
    }
    return n;
}

/* A pending removal: node out of its parent array or object. */
struct removal {
    json_t *parent;
    json_t *node;
    const char *key;
};

/*
 * Work out what a field error means for the document: report it at the
 * origin of the object it names and say what to remove (an array element
 * or a member with its own origin), or nothing when the service itself is
 * at fault. Returns true when rm was filled.
 */
static bool map_error(struct imp *im, json_t *doc, struct origin so, const char *field,
                      const char *message, bool per_row, struct removal *rm)
{
    struct step steps[24];
    const char *rest;
    int deepest;
    walk_path(im, doc, field ? field : "", steps, 24, &rest, &deepest);
    const struct origin *o = deepest >= 0 ? steps[deepest].origin : &so;
    /* The core's messages name the member ("latitude must be ..."): the
     * path is only worth adding where no row of ours stands for it. */
    bool say_path = *rest && (strchr(rest, '.') || strchr(rest, '['));
    if (say_path)
        imp_problem(im, o->file, o->line, "%s: %s", rest, message);
    else
        imp_problem(im, o->file, o->line, "%s", message);
    if (o->row) o->row->state = ROW_BAD;
    if (!per_row || deepest <= 0) return false;
    /* A member with its own origin (a value from another file) goes alone. */
    if (!json_is_object(steps[deepest].node) && !json_is_array(steps[deepest].node) &&
        steps[deepest].key) {
        *rm = (struct removal){steps[deepest].parent, steps[deepest].node, steps[deepest].key};
        return true;
    }
    for (int k = deepest; k > 0; k--)
        if (json_is_array(steps[k].parent)) {
            *rm = (struct removal){steps[k].parent, steps[k].node, NULL};
            /* The element's own row (a service at location holding a bad
             * location) is left out with it. */
            const struct origin *eo = steps[k].origin;
            if (eo && eo->row && eo->row->state == ROW_OK) eo->row->state = ROW_ORPHAN;
            return true;
        }
    return false;
}

/* Note the rows of everything in node (it is being taken out). */
static void note_removed(struct imp *im, json_t *node)
{
    const struct origin *o = ptrmap_get(&im->origins, node);
    if (o && o->row) {
        if (im->nremoved == im->removed_cap) {
            size_t cap = im->removed_cap ? im->removed_cap * 2 : 16;
            struct csv_row **r = arena_alloc_raw(im->a, cap * sizeof *r);
            if (im->nremoved) memcpy(r, im->removed, im->nremoved * sizeof *r);
            im->removed = r;
            im->removed_cap = cap;
        }
        im->removed[im->nremoved++] = o->row;
    }
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(node)) {
        json_object_foreach(node, k, v) note_removed(im, v);
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v) note_removed(im, v);
    }
}

/* Remove rm's node from its parent (found again by pointer). */
static void apply_removal(const struct removal *rm)
{
    if (rm->key) {
        if (json_object_get(rm->parent, rm->key) == rm->node) json_object_del(rm->parent, rm->key);
        return;
    }
    for (size_t i = 0; i < json_array_size(rm->parent); i++)
        if (json_array_get(rm->parent, i) == rm->node) {
            json_array_remove(rm->parent, i);
            return;
        }
}

/* Store a service, mapping its field errors to rows (see dir_import_internal.h). */
bool imp_store_service(struct imp *im, json_t *doc, struct origin so, bool per_row)
{
    struct ctx *c = im->c;
    arena *saved = c->a;
    bool stored = false;
    /* bulk: no savepoint per service. A service the core refuses
     * (RES_INVALID) has written nothing but terms its own attributes carry,
     * and any other failure rolls the whole import back. */
    struct dir_write_opts wo = {.state = DIR_PUBLISHED,
                                .keep_modified = true,
                                .create_terms = true,
                                .bulk = im->bulk,
                                .checked = so.checked};
    im->nremoved = 0;
    for (int attempt = 0; attempt < 100 && !stored; attempt++, wo.checked = false) {
        c->a = im->scratch;
        ctx_clear_errors(c);
        c->detail = NULL;
        double t0 = now_ms();
        result res = dir_service_store(c, doc, &wo);
        im->r->store_ms += now_ms() - t0;
        c->a = saved;
        if (res == RES_OK) {
            stored = true;
            break;
        }
        if (res != RES_INVALID || c->nerrors == 0) {
            if (res != RES_INVALID) im->store_failed = true;
            imp_problem(im, so.file, so.line, "%s",
                        c->detail ? c->detail : "the service could not be stored");
            if (so.row) so.row->state = ROW_BAD;
            break;
        }
        struct removal rms[CTX_MAX_FIELD_ERRORS];
        int nrm = 0;
        bool whole = false;
        for (int i = 0; i < c->nerrors; i++) {
            if (map_error(im, doc, so, c->errors[i].field, c->errors[i].message, per_row,
                          &rms[nrm]))
                nrm++;
            else
                whole = true;
        }
        if (whole || nrm == 0) {
            if (so.row) so.row->state = ROW_BAD;
            break;
        }
        /* Keep every node alive until all are out: one may hold another. */
        for (int i = 0; i < nrm; i++) {
            json_incref(rms[i].parent);
            json_incref(rms[i].node);
        }
        for (int i = 0; i < nrm; i++) {
            note_removed(im, rms[i].node);
            apply_removal(&rms[i]);
        }
        for (int i = 0; i < nrm; i++) {
            json_decref(rms[i].node);
            json_decref(rms[i].parent);
        }
    }
    ctx_clear_errors(c);
    arena_reset(im->scratch);
    ptrmap_clear(&im->origins);
    return stored;
}

/* Store an organization, taxonomy or term (see dir_import_internal.h). */
bool imp_store_object(struct imp *im, const char *kind, json_t *obj, struct origin o)
{
    struct ctx *c = im->c;
    arena *saved = c->a;
    c->a = im->scratch;
    ctx_clear_errors(c);
    c->detail = NULL;
    double t0 = now_ms();
    /* An organization stored again re-renders its services from their
     * rows: the rows held back must be there first. A new one has none. */
    bool org = strcmp(kind, "organization") == 0;
    const char *id = json_string_value(json_object_get(obj, "id"));
    result res = org && id && imp_org_exists(im, id) ? dir_bulk_flush(c, im->bulk) : RES_OK;
    if (res == RES_OK && org)
        res = dir_organization_store(c, obj, 0);
    else if (res == RES_OK && strcmp(kind, "taxonomy") == 0)
        res = dir_taxonomy_store(c, obj);
    else if (res == RES_OK)
        res = dir_taxonomy_term_store(c, obj);
    /* Services stored from here on show it as it is now. */
    if (res == RES_OK) dir_bulk_forget(im->bulk, kind, id);
    im->r->store_ms += now_ms() - t0;
    c->a = saved;
    if (res != RES_OK) {
        if (res != RES_INVALID) im->store_failed = true;
        if (c->nerrors == 0)
            imp_problem(im, o.file, o.line, "%s: %s", kind,
                        c->detail ? c->detail : "could not be stored");
        for (int i = 0; i < c->nerrors; i++) {
            const char *f = c->errors[i].field;
            bool nested = f && (strchr(f, '.') || strchr(f, '['));
            if (nested)
                imp_problem(im, o.file, o.line, "%s: %s", f, c->errors[i].message);
            else
                imp_problem(im, o.file, o.line, "%s", c->errors[i].message);
        }
        if (o.row) o.row->state = ROW_BAD;
    }
    ctx_clear_errors(c);
    arena_reset(im->scratch);
    ptrmap_clear(&im->origins);
    return res == RES_OK;
}

/* ---- files ---- */

char *imp_read_file(arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)sb.st_size;
    char *data = arena_alloc_raw(a, n + 1);
    size_t got = n ? fread(data, 1, n, f) : 0;
    fclose(f);
    if (got != n) return NULL;
    data[n] = '\0';
    *len = n;
    return data;
}

/* Map a file to read (see dir_import_internal.h). The operator's own
 * file: one cut short while it is read stops the import (SIGBUS) before
 * anything is committed. */
const char *imp_map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return NULL;
    }
    *len = (size_t)sb.st_size;
    void *data = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)"";
    close(fd);
    if (data == MAP_FAILED) return NULL;
    if (*len) madvise(data, *len, MADV_SEQUENTIAL);
    return data;
}

/* Unmap what imp_map_file() mapped. */
void imp_unmap_file(const char *data, size_t len)
{
    if (len) munmap((void *)data, len);
}

/* Does dir/name exist as a regular file? */
static bool has_file(arena *a, const char *dir, const char *name)
{
    struct stat sb;
    return stat(arena_printf(a, "%s/%s", dir, name), &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The last component of a path. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

/* Import an HSDS feed in one transaction (see dir_import.h). */
result dir_import_hsds(struct ctx *c, const char *path, const struct dir_import_opts *o,
                       struct dir_import_report *r)
{
    static const struct dir_import_opts defaults = {0};
    memset(r, 0, sizeof *r);
    r->a = arena_new(1 << 20);
    if (!o) o = &defaults;
    double t0 = now_ms();
    struct imp im = {.c = c, .a = r->a, .o = o, .r = r, .scratch = arena_new(1 << 20)};
    strmap_init(&im.problems, r->a, 64);
    strmap_init(&im.notes, r->a, 16);
    strmap_init(&im.orgs, r->a, 256);
    strmap_init(&im.terms, r->a, 256);
    strmap_init(&im.taxonomies, r->a, 16);
    strmap_init(&im.locations, r->a, 256);
    ptrmap_init(&im.origins, r->a, 64);

    struct stat sb;
    if (stat(path, &sb) != 0) {
        arena_free(im.scratch);
        return ctx_fail(c, RES_NOT_FOUND, "cannot read %s", path);
    }
    im.bulk = dir_bulk_begin(c);
    if (!im.bulk) {
        arena_free(im.scratch);
        return ctx_fail(c, RES_INTERNAL, "cannot start a transaction");
    }
    const char *base = base_name(path);
    if (S_ISDIR(sb.st_mode)) {
        if (has_file(r->a, path, "datapackage.json"))
            imp_tabular(&im, path, arena_printf(r->a, "%s/datapackage.json", path));
        else if (has_file(r->a, path, "services.json") || has_file(r->a, path, "services.ndjson"))
            imp_json_package(&im, path);
        else
            imp_tabular(&im, path, NULL);
    } else if (strcmp(base, "datapackage.json") == 0) {
        char *dir = arena_strdup(r->a, path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            dir = ".";
        imp_tabular(&im, dir, path);
    } else {
        imp_json_file(&im, path, base);
    }
    if (o->progress && im.progress_done >= (o->progress_every > 0 ? o->progress_every : 10000))
        fprintf(o->progress, "%s: %lld done\n", im.progress_what, im.progress_done);

    result res = RES_OK;
    /* Write and index what was stored (once, not per service) before
     * deciding. */
    double t1 = now_ms();
    if (!im.store_failed && dir_bulk_flush(c, im.bulk) != RES_OK) im.store_failed = true;
    r->flush_ms = now_ms() - t1;
    if (im.store_failed) {
        dir_bulk_end(c, im.bulk, false);
        res = ctx_fail(c, RES_INTERNAL, "the database failed during the import");
    } else if (im.fatal || (r->nproblems && !o->skip_invalid)) {
        dir_bulk_end(c, im.bulk, false);
        res = RES_INVALID;
    } else {
        t1 = now_ms();
        if (dir_bulk_end(c, im.bulk, true) != RES_OK)
            res = ctx_fail(c, RES_INTERNAL, "cannot commit the import");
        else
            r->committed = true;
        r->commit_ms = now_ms() - t1;
    }
    if (!r->committed)
        r->organizations = r->services = r->locations = r->taxonomies = r->taxonomy_terms = 0;
    r->elapsed_ms = now_ms() - t0;
    arena_free(im.scratch);
    return res;
}

/* Release a report's arena and clear it. */
void dir_import_report_free(struct dir_import_report *r)
{
    if (r->a) arena_free(r->a);
    memset(r, 0, sizeof *r);
}

/* "row" or "rows" for a count (the nouns used here take an s). */
static const char *plural(long long n, const char *noun)
{
    static char buf[2][32];
    static int which;
    which = !which;
    snprintf(buf[which], sizeof buf[which], "%s%s", noun, n == 1 ? "" : "s");
    return buf[which];
}

/* Problems in file order, then line order (stable for equal keys). */
static int problem_cmp(const void *x, const void *y)
{
    const struct dir_import_problem *a = x, *b = y;
    int k = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (k) return k;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The report as the CLI shows it (see dir_import.h). */
void dir_import_report_print(const struct dir_import_report *r, FILE *f, bool skip_invalid)
{
    struct dir_import_problem *p = r->problems;
    if (r->nproblems) {
        /* Sorting a copy keeps the report's own order as found. */
        p = malloc(r->nproblems * sizeof *p);
        if (!p) return;
        memcpy(p, r->problems, r->nproblems * sizeof *p);
        qsort(p, r->nproblems, sizeof *p, problem_cmp);
    }
    for (size_t i = 0; i < r->nproblems; i++) {
        if (p[i].line)
            fprintf(f, "%s:%ld: %s\n", p[i].file ? p[i].file : "", p[i].line, p[i].reason);
        else
            fprintf(f, "%s: %s\n", p[i].file ? p[i].file : "", p[i].reason);
    }
    if (p != r->problems) free(p);
    for (size_t i = 0; i < r->nnotes; i++) {
        const struct dir_import_note *n = &r->notes[i];
        fprintf(f, "note: %s: %s", n->file ? n->file : "", n->reason);
        if (n->count > 1 && n->first_line)
            fprintf(f, " (%ld rows, the first on line %ld)\n", n->count, n->first_line);
        else if (n->first_line)
            fprintf(f, " (line %ld)\n", n->first_line);
        else if (n->count > 1)
            fprintf(f, " (%ld times)\n", n->count);
        else
            fputc('\n', f);
    }
    if (r->format) fprintf(f, "read %s: %lld %s\n", r->format, r->rows, plural(r->rows, "row"));
    if (r->committed) {
        fprintf(f,
                "imported %lld services, %lld organizations, %lld locations, %lld taxonomies,"
                " %lld taxonomy terms in %.0f ms\n",
                r->services, r->organizations, r->locations, r->taxonomies, r->taxonomy_terms,
                r->elapsed_ms);
        fprintf(f,
                "time: %.0f ms storing through the directory core, %.0f ms writing the last"
                " rows and indexing, %.0f ms committing, %.0f ms reading and mapping\n",
                r->store_ms, r->flush_ms, r->commit_ms,
                r->elapsed_ms - r->store_ms - r->flush_ms - r->commit_ms);
        if (r->rows_skipped || r->rows_with_owner)
            fprintf(f, "skipped %lld invalid %s (listed above), and with them %lld dependent %s\n",
                    r->rows_skipped, plural(r->rows_skipped, "row"), r->rows_with_owner,
                    plural(r->rows_with_owner, "row"));
    } else if (r->nproblems) {
        fprintf(f, "nothing imported: %zu %s%s\n", r->nproblems,
                plural((long long)r->nproblems, "problem"),
                skip_invalid ? "" : " (--skip-invalid imports the valid rows and skips these)");
    }
}
