/*
 * geo_import.c: loading and editing the geography that places a person
 * (see geo_import.h). The CSV files are read as a stream with libcsv; only
 * the two columns needed are kept, so the full IMD file (32,844 rows, 17
 * columns) costs no more than a slice of it.
 */
#include "domain/geo_import.h"

#include "base/buf.h"
#include "base/csv.h"
#include "domain/audit.h"
#include "domain/scope.h"

#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* See geo_import.h. */
bool lsoa_code_valid(const char *s)
{
    if (!s || strlen(s) != 9 || (s[0] != 'E' && s[0] != 'W') || s[1] != '0' || s[2] != '1')
        return false;
    for (int i = 3; i < 9; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

/*
 * Place again every participant, not anonymised, whose LSOA is one of
 * those a change touched: all with an LSOA when all is set, else those
 * with their LSOA in neighbourhood nid now or placed in nid before. The
 * number placed, or STORE_E_*.
 */
static long long place_again(struct ctx *c, bool all, long long nid)
{
    static const char *const set =
        "UPDATE participants SET"
        " neighbourhood_id = (SELECT nl.neighbourhood_id FROM neighbourhood_lsoas nl"
        "   WHERE nl.lsoa = participants.lsoa),"
        " place_id = (SELECT n.place_id FROM neighbourhood_lsoas nl JOIN neighbourhoods n"
        "   ON n.id = nl.neighbourhood_id WHERE nl.lsoa = participants.lsoa),"
        " imd_decile = COALESCE((SELECT li.imd_decile FROM lsoa_imd li"
        "   WHERE li.lsoa = participants.lsoa), (SELECT n.imd_decile FROM neighbourhood_lsoas nl"
        "   JOIN neighbourhoods n ON n.id = nl.neighbourhood_id"
        "   WHERE nl.lsoa = participants.lsoa))"
        " WHERE anonymised_at IS NULL AND lsoa IS NOT NULL";
    if (all) return store_run(c->db, set, NULL);
    return store_run(c->db,
                     arena_printf(c->a,
                                  "%s AND (neighbourhood_id = $1 OR lsoa IN (SELECT lsoa FROM"
                                  " neighbourhood_lsoas WHERE neighbourhood_id = $1))",
                                  set),
                     "i", nid);
}

/* ---- CSV files ---- */

enum geo_kind { GEO_IMD, GEO_LSOAS };

struct geo_state {
    struct ctx *c;
    enum geo_kind kind;
    struct geo_import_report *r;
    bool header_done;
    int col[2]; /* field index of the key (LSOA) and the value column, -1 absent */
    int field;  /* index of the field being read */
    char val[2][80];
    long long line; /* of the file, 1 = the header */
    long long store_error;
};

/* Accepted header names (lower case) of column k of kind. */
static const char *const *geo_names(enum geo_kind kind, int k)
{
    static const char *const imd[2][5] = {
        {"lsoa_code", "lsoa11cd", "lsoa", "lsoa code (2011)", NULL},
        {"imd_decile", "index of multiple deprivation (imd) decile", NULL},
    };
    static const char *const lsoas[2][5] = {
        {"lsoa", "lsoa_code", "lsoa11cd", "lsoa21cd", NULL},
        {"neighbourhood", "neighbourhood_code", "neighbourhood_id", NULL},
    };
    return kind == GEO_IMD ? imd[k] : lsoas[k];
}

/* Note a refused row (the first few are kept word for word). */
static void problem(struct geo_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(struct geo_state *st, const char *fmt, ...)
{
    struct geo_import_report *r = st->r;
    if (r->nproblems >= GEO_IMPORT_PROBLEMS) {
        r->more_problems++;
        return;
    }
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->problems[r->nproblems++], sizeof r->problems[0], "row %lld: %s", st->line, msg);
}

/* libcsv's field callback: match the header, then keep the two fields. */
static void geo_field(void *s, size_t len, void *data)
{
    struct geo_state *st = data;
    int f = st->field++;
    char text[80];
    csv_field_text(text, sizeof text, s, len, !st->header_done);
    if (!st->header_done) {
        for (int k = 0; k < 2; k++)
            for (const char *const *nm = geo_names(st->kind, k); *nm; nm++)
                if (st->col[k] < 0 && strcmp(text, *nm) == 0) st->col[k] = f;
        return;
    }
    for (int k = 0; k < 2; k++)
        if (st->col[k] == f) {
            /* Trim: spreadsheets pad. */
            char *p = text;
            while (*p == ' ')
                p++;
            size_t m = strlen(p);
            while (m && p[m - 1] == ' ')
                p[--m] = '\0';
            memcpy(st->val[k], p, m + 1);
        }
}

/* The neighbourhood a file names, by id or by code; 0 when none. */
static long long find_neighbourhood(struct geo_state *st, const char *s)
{
    long long id = 0;
    int rc;
    bool digits = *s != '\0';
    for (const char *p = s; *p; p++)
        digits = digits && isdigit((unsigned char)*p);
    if (digits) {
        rc = store_query_int(st->c->db, &id, "SELECT id FROM neighbourhoods WHERE id = $1", "i",
                             atoll(s));
    } else {
        rc = store_query_int(st->c->db, &id,
                             "SELECT id FROM neighbourhoods WHERE upper(code) = upper($1)"
                             " ORDER BY id LIMIT 1",
                             "t", s);
    }
    if (rc < 0) st->store_error = rc;
    return rc == 1 ? id : 0;
}

/* Store one data row, or note why not. */
static void geo_row(struct geo_state *st)
{
    const char *lsoa = st->val[0], *v = st->val[1];
    if (!*lsoa && !*v) return; /* a blank line */
    st->r->rows++;
    if (!lsoa_code_valid(lsoa)) {
        problem(st, "'%.20s' is not an LSOA code (like E01010994)", lsoa);
        return;
    }
    long long n;
    if (st->kind == GEO_IMD) {
        char *end = NULL;
        long d = strtol(v, &end, 10);
        if (!*v || *end || d < 1 || d > 10) {
            problem(st, "the IMD decile '%.20s' is not a whole number from 1 to 10", v);
            return;
        }
        n = store_run(st->c->db,
                      "INSERT INTO lsoa_imd (lsoa, imd_decile) VALUES ($1, $2)"
                      " ON CONFLICT (lsoa) DO UPDATE SET imd_decile = excluded.imd_decile"
                      " WHERE lsoa_imd.imd_decile <> excluded.imd_decile",
                      "ti", lsoa, (long long)d);
    } else {
        long long nid = find_neighbourhood(st, v);
        if (!nid) {
            if (!st->store_error) problem(st, "there is no neighbourhood '%.40s'", v);
            return;
        }
        n = store_run(st->c->db,
                      "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id) VALUES ($1, $2)"
                      " ON CONFLICT (lsoa) DO UPDATE SET neighbourhood_id ="
                      " excluded.neighbourhood_id WHERE neighbourhood_lsoas.neighbourhood_id <>"
                      " excluded.neighbourhood_id",
                      "ti", lsoa, nid);
    }
    if (n < 0)
        st->store_error = n;
    else
        st->r->imported += n;
}

/* libcsv's record callback: the header, then one row. */
static void geo_record(int ch, void *data)
{
    (void)ch;
    struct geo_state *st = data;
    st->field = 0;
    st->line++;
    if (!st->header_done) {
        st->header_done = true;
        return;
    }
    if (!st->store_error && st->col[0] >= 0 && st->col[1] >= 0) geo_row(st);
    st->val[0][0] = st->val[1][0] = '\0';
}

/* Read one kind of file in one transaction (see geo_import.h). */
static result geo_import(struct ctx *c, enum geo_kind kind, const char *path,
                         struct geo_import_report *r)
{
    memset(r, 0, sizeof *r);
    if (!c->by_operator && !(c->actor && c->actor->role == ROLE_ADMIN))
        return ctx_fail(c, RES_FORBIDDEN, "Only administrators load the geography");
    FILE *f = fopen(path, "rb");
    if (!f) return ctx_fail(c, RES_NOT_FOUND, "cannot read %s", path);
    const char *need = kind == GEO_IMD ? "lsoa_code and IMD_decile" : "lsoa and neighbourhood";
    struct geo_state st = {.c = c, .kind = kind, .r = r, .col = {-1, -1}};
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL | CSV_STRICT_FINI);
    result res = RES_OK;
    if (store_begin(c->db) != 0) {
        csv_free(&p);
        fclose(f);
        return ctx_store_failure(c, STORE_E_BUSY, "begin");
    }
    static char chunk[1 << 16];
    size_t n;
    bool first = true;
    while (res == RES_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0 && !st.store_error) {
        const char *data = chunk;
        if (first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) {
            data += 3; /* a byte-order mark, as spreadsheets write */
            n -= 3;
        }
        first = false;
        if (csv_parse(&p, data, n, geo_field, geo_record, &st) != n)
            res = ctx_fail(c, RES_INVALID, "not readable as CSV near row %lld: %s", st.line + 1,
                           csv_strerror(csv_error(&p)));
        else if (st.header_done && (st.col[0] < 0 || st.col[1] < 0))
            res = ctx_fail(c, RES_INVALID, "the header needs the columns %s", need);
    }
    if (res == RES_OK &&
        ((p.pstate == 2 && p.quoted) || csv_fini(&p, geo_field, geo_record, &st) != 0))
        res = ctx_fail(c, RES_INVALID, "a quoted field is not closed before the end of the file");
    if (res == RES_OK && !st.header_done)
        res = ctx_fail(c, RES_INVALID, "the file is empty: no header row");
    if (res == RES_OK && (st.col[0] < 0 || st.col[1] < 0))
        res = ctx_fail(c, RES_INVALID, "the header needs the columns %s", need);
    if (res == RES_OK && st.store_error) res = ctx_store_failure(c, st.store_error, "a row");
    if (res == RES_OK && r->nproblems)
        res = ctx_fail(c, RES_INVALID, "%lld rows were refused; nothing was imported",
                       (long long)r->nproblems + r->more_problems);
    if (res == RES_OK) {
        long long placed = place_again(c, true, 0);
        if (placed < 0) res = ctx_store_failure(c, placed, "placing participants");
        r->placed = placed < 0 ? 0 : placed;
    }
    if (res == RES_OK) {
        rec *after = rec_new(c->a);
        rec_set_text(after, "file", path);
        rec_set_int(after, "rows", r->rows);
        rec_set_int(after, "imported", r->imported);
        if (audit_record(c, "import", kind == GEO_IMD ? "lsoa_imd" : "neighbourhood_lsoas", 0, NULL,
                         after) != RES_OK)
            res = RES_INTERNAL;
    }
    if (res == RES_OK && store_commit(c->db) != 0)
        res = ctx_store_failure(c, STORE_E_ERROR, "commit");
    if (res != RES_OK) {
        store_rollback(c->db);
        r->imported = r->placed = 0;
    }
    csv_free(&p);
    fclose(f);
    return res;
}

/* See geo_import.h. */
result geo_import_imd(struct ctx *c, const char *path, struct geo_import_report *r)
{
    return geo_import(c, GEO_IMD, path, r);
}

/* See geo_import.h. */
result geo_import_lsoas(struct ctx *c, const char *path, struct geo_import_report *r)
{
    return geo_import(c, GEO_LSOAS, path, r);
}

/* ---- one neighbourhood's LSOAs ---- */

/* The neighbourhood's LSOAs, sorted, into *out (in c->a). 0 or STORE_E_*. */
static int read_lsoas(struct ctx *c, long long nid, const char ***out, int *n)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT lsoa FROM neighbourhood_lsoas WHERE neighbourhood_id = $1 ORDER BY lsoa");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "i", nid);
    int cap = 16, s;
    const char **v = arena_alloc(c->a, sizeof *v * (size_t)cap);
    *n = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        if (*n + 1 >= cap) {
            const char **more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, v, sizeof *v * (size_t)*n);
            v = more;
            cap *= 2;
        }
        v[(*n)++] = arena_strdup(c->a, store_col_text(st, 0));
    }
    store_done(st);
    v[*n] = NULL;
    *out = v;
    return s < 0 ? s : 0;
}

/* RES_OK when someone is signed in and the neighbourhood exists (else
 * RES_UNAUTHENTICATED or RES_NOT_FOUND, or RES_INTERNAL). */
static result neighbourhood_known(struct ctx *c, long long neighbourhood_id)
{
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    int rc = store_exists(c->db, "neighbourhoods", neighbourhood_id);
    if (rc < 0) return ctx_store_failure(c, rc, "neighbourhood");
    if (rc == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no neighbourhood with id %lld",
                        neighbourhood_id);
    return RES_OK;
}

/* See geo_import.h. */
result neighbourhood_lsoas_get(struct ctx *c, long long neighbourhood_id, const char ***out, int *n)
{
    result known = neighbourhood_known(c, neighbourhood_id);
    if (known != RES_OK) return known;
    int rc = read_lsoas(c, neighbourhood_id, out, n);
    return rc < 0 ? ctx_store_failure(c, rc, "neighbourhood LSOAs") : RES_OK;
}

/* The LSOAs as an audit image {"lsoas": "A,B,..."} in c->a. */
static rec *lsoas_image(struct ctx *c, const char *const *v, int n)
{
    buf b;
    buf_init(&b, c->a, 64);
    for (int i = 0; i < n; i++) {
        if (i) buf_putc(&b, ',');
        buf_puts(&b, v[i]);
    }
    rec *r = rec_new(c->a);
    rec_set_text(r, "lsoas", b.data);
    return r;
}

/* See geo_import.h. */
result neighbourhood_lsoas_set(struct ctx *c, long long neighbourhood_id, const char *const *lsoas,
                               int n)
{
    result known = neighbourhood_known(c, neighbourhood_id);
    if (known != RES_OK) return known;
    int rc;
    result r = scope_place(c, place_of_neighbourhood(c, neighbourhood_id), "neighbourhoods");
    if (r == RES_FORBIDDEN && !c->detail)
        return ctx_fail(
            c, RES_FORBIDDEN,
            "Only administrators and leads of its place change a neighbourhood's LSOAs");
    if (r != RES_OK) return r;
    for (int i = 0; i < n; i++) {
        if (!lsoa_code_valid(lsoas[i])) {
            ctx_field_error(c, arena_printf(c->a, "lsoas[%d]", i),
                            "'%s' is not an LSOA code (like E01010994)", lsoas[i] ? lsoas[i] : "");
            continue;
        }
        long long other = 0;
        rc = store_query_int(c->db, &other,
                             "SELECT neighbourhood_id FROM neighbourhood_lsoas WHERE lsoa = $1"
                             " AND neighbourhood_id <> $2",
                             "ti", lsoas[i], neighbourhood_id);
        if (rc < 0) return ctx_store_failure(c, rc, "neighbourhood LSOAs");
        if (rc == 1)
            ctx_field_error(c, arena_printf(c->a, "lsoas[%d]", i),
                            "%s already lies in neighbourhood %lld: take it out of that one first",
                            lsoas[i], other);
    }
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the LSOA codes");
    const char **before;
    int nbefore;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    rc = read_lsoas(c, neighbourhood_id, &before, &nbefore);
    if (rc >= 0)
        rc = (int)store_run(c->db, "DELETE FROM neighbourhood_lsoas WHERE neighbourhood_id = $1",
                            "i", neighbourhood_id);
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = (int)store_run(c->db,
                            "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id)"
                            " VALUES ($1, $2) ON CONFLICT (lsoa) DO NOTHING",
                            "ti", lsoas[i], neighbourhood_id);
    if (rc >= 0) rc = (int)place_again(c, false, neighbourhood_id);
    const char **after = NULL;
    int nafter = 0;
    if (rc >= 0) rc = read_lsoas(c, neighbourhood_id, &after, &nafter);
    if (rc < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "neighbourhood LSOAs");
    }
    if (audit_record(c, "update", "neighbourhood_lsoas", neighbourhood_id,
                     lsoas_image(c, before, nbefore), lsoas_image(c, after, nafter)) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return RES_OK;
}
