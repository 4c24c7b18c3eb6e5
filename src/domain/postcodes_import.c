/*
 * postcodes_import.c: chis import postcodes: the postcode centroids that
 * proximity search starts from, from an ONS Postcode Directory-shaped CSV
 * (the national file has 2.7 million rows and 41 columns, so it is read as
 * a stream and only the columns needed are kept). Outcodes the outcodes
 * table lacks get the mean of their postcodes, so the outcode fallback
 * works for them too; the centroids chis ships are left as they are.
 */
#include "base/csv.h"
#include "domain/dir_import_internal.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PC_POSTCODE, PC_LAT, PC_LONG, PC_LSOA, PC_DOTERM, PC_NCOLS };

/* A running mean of one outcode's postcodes. */
struct outcode_sum {
    char outcode[8];
    double lat, lng;
    long n;
};

struct pc_state {
    struct ctx *c;
    struct postcodes_report *r;
    FILE *progress;
    arena *a;
    bool header_done;
    int col[PC_NCOLS];  /* field index of each column we read, -1 absent */
    int rank[PC_NCOLS]; /* which of its accepted names it was found by */
    int field;          /* index of the field being read in this record */
    char val[PC_NCOLS][64];
    long long line;
    long long store_error;
    struct strmap outcodes; /* outcode -> index in sums */
    struct outcode_sum *sums;
    size_t nsums, sums_cap;
};

/* Accepted names of each column, ONS's first. */
static const char *const *col_names(int k)
{
    static const char *const names[PC_NCOLS][6] = {
        [PC_POSTCODE] = {"pcds", "pcd", "postcode", NULL},
        [PC_LAT] = {"lat", "latitude", NULL},
        [PC_LONG] = {"long", "longitude", "lng", NULL},
        [PC_LSOA] = {"lsoa11", "lsoa21", "lsoa", "lsoa11cd", "lsoa21cd", NULL},
        [PC_DOTERM] = {"doterm", NULL},
    };
    return names[k];
}

/* libcsv's field callback: keep the fields we read. */
static void pc_field(void *s, size_t len, void *data)
{
    struct pc_state *st = data;
    int f = st->field++;
    char text[64];
    csv_field_text(text, sizeof text, s, len, !st->header_done);
    if (!st->header_done) {
        /* Of the accepted names present, the earliest in the list wins
         * (ONS has pcd, pcd2 and pcds: pcds is the one with one space). */
        for (int k = 0; k < PC_NCOLS; k++)
            for (int rank = 0; col_names(k)[rank]; rank++)
                if (strcmp(text, col_names(k)[rank]) == 0 && rank < st->rank[k]) {
                    st->col[k] = f;
                    st->rank[k] = rank;
                }
        return;
    }
    for (int k = 0; k < PC_NCOLS; k++)
        if (st->col[k] == f) memcpy(st->val[k], text, sizeof text);
}

/* Add a postcode to its outcode's running mean. */
static void add_to_outcode(struct pc_state *st, const char *key, double lat, double lng)
{
    char out[8];
    size_t n = strlen(key);
    snprintf(out, sizeof out, "%.*s", (int)(n - 3), key);
    int i = strmap_get(&st->outcodes, out);
    if (i < 0) {
        if (st->nsums == st->sums_cap) {
            size_t cap = st->sums_cap ? st->sums_cap * 2 : 256;
            struct outcode_sum *s = arena_alloc(st->a, cap * sizeof *s);
            if (st->nsums) memcpy(s, st->sums, st->nsums * sizeof *s);
            st->sums = s;
            st->sums_cap = cap;
        }
        i = (int)st->nsums++;
        memcpy(st->sums[i].outcode, out, sizeof out);
        /* The map's keys must stay put: copy into the arena. */
        strmap_put(&st->outcodes, arena_strdup(st->a, out), i);
    }
    st->sums[i].lat += lat;
    st->sums[i].lng += lng;
    st->sums[i].n++;
}

/* Read a coordinate; false when blank or not a number. */
static bool coordinate(const char *s, double *out)
{
    char *end = NULL;
    if (!*s) return false;
    *out = strtod(s, &end);
    return end && *end == '\0' && isfinite(*out);
}

/* libcsv's record callback: the header, then one postcode per row. */
static void pc_record(int ch, void *data)
{
    (void)ch;
    struct pc_state *st = data;
    st->field = 0;
    st->line++;
    if (!st->header_done) {
        st->header_done = true;
        return;
    }
    struct postcodes_report *r = st->r;
    r->rows++;
    char key[16], display[16];
    bool outcode = false;
    double lat, lng;
    if (st->store_error) return;
    if (st->col[PC_DOTERM] >= 0 && st->val[PC_DOTERM][0]) {
        r->terminated++;
    } else if (postcode_normalise(st->val[PC_POSTCODE], key, display, &outcode) != 0 || outcode) {
        r->invalid++;
        if (!r->first_invalid_line) r->first_invalid_line = (long)st->line;
    } else if (!coordinate(st->val[PC_LAT], &lat) || !coordinate(st->val[PC_LONG], &lng) ||
               lat < -90 || lat > 90 || lng < -180 || lng > 180) {
        r->no_coords++; /* ONS writes 99.999999 where there is no grid reference */
    } else {
        const char *lsoa = st->col[PC_LSOA] >= 0 && st->val[PC_LSOA][0] ? st->val[PC_LSOA] : NULL;
        long long n = store_run(st->c->db,
                                "INSERT INTO postcodes (postcode, latitude, longitude, lsoa)"
                                " VALUES ($1, $2, $3, $4) ON CONFLICT (postcode) DO UPDATE SET"
                                " latitude = excluded.latitude, longitude = excluded.longitude,"
                                " lsoa = excluded.lsoa",
                                "tddt", key, lat, lng, lsoa);
        if (n < 0)
            st->store_error = n;
        else {
            r->imported++;
            add_to_outcode(st, key, lat, lng);
        }
    }
    for (int k = 0; k < PC_NCOLS; k++)
        st->val[k][0] = '\0';
    if (st->progress && r->rows % 100000 == 0) {
        fprintf(st->progress, "postcodes: %lld rows\n", r->rows);
        fflush(st->progress);
    }
}

/* Give outcodes the table lacks the mean of their postcodes. */
static long long add_outcodes(struct pc_state *st)
{
    long long added = 0;
    for (size_t i = 0; i < st->nsums; i++) {
        struct outcode_sum *s = &st->sums[i];
        long long n = store_run(st->c->db,
                                "INSERT INTO outcodes (outcode, latitude, longitude)"
                                " VALUES ($1, $2, $3) ON CONFLICT (outcode) DO NOTHING",
                                "tdd", s->outcode, s->lat / (double)s->n, s->lng / (double)s->n);
        if (n < 0) return n;
        added += n;
    }
    return added;
}

/* Load postcode centroids from an ONS-shaped CSV (see dir_import.h). */
result postcodes_import(struct ctx *c, const char *path, FILE *progress, struct postcodes_report *r)
{
    memset(r, 0, sizeof *r);
    FILE *f = fopen(path, "rb");
    if (!f) return ctx_fail(c, RES_NOT_FOUND, "cannot read %s", path);
    struct pc_state st = {.c = c, .r = r, .progress = progress, .a = arena_new(1 << 16)};
    for (int k = 0; k < PC_NCOLS; k++) {
        st.col[k] = -1;
        st.rank[k] = 99;
    }
    strmap_init(&st.outcodes, st.a, 4096);
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL | CSV_STRICT_FINI);
    result res = RES_OK;
    if (store_begin(c->db) != 0) {
        res = ctx_fail(c, RES_INTERNAL, "cannot start a transaction");
        goto out;
    }
    static char chunk[1 << 16];
    size_t n;
    bool first = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && !st.store_error) {
        const char *data = chunk;
        if (first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            n -= 3;
        }
        first = false;
        if (csv_parse(&p, data, n, pc_field, pc_record, &st) != n) {
            res = ctx_fail(c, RES_INVALID, "not readable as CSV near row %lld: %s", st.line + 1,
                           csv_strerror(csv_error(&p)));
            break;
        }
        if (st.header_done &&
            (st.col[PC_POSTCODE] < 0 || st.col[PC_LAT] < 0 || st.col[PC_LONG] < 0)) {
            res = ctx_fail(c, RES_INVALID,
                           "the header needs the columns pcds, lat and long (as the ONS"
                           " Postcode Directory names them)");
            break;
        }
    }
    /* An unclosed quote (libcsv says so only in strict mode: see
     * dir_import_csv.c). */
    if (res == RES_OK &&
        ((p.pstate == 2 && p.quoted) || csv_fini(&p, pc_field, pc_record, &st) != 0))
        res = ctx_fail(c, RES_INVALID, "a quoted field is not closed before the end of the file");
    if (res == RES_OK && !st.header_done)
        res = ctx_fail(c, RES_INVALID, "the file is empty: no header row");
    if (res == RES_OK && st.header_done &&
        (st.col[PC_POSTCODE] < 0 || st.col[PC_LAT] < 0 || st.col[PC_LONG] < 0))
        res = ctx_fail(c, RES_INVALID,
                       "the header needs the columns pcds, lat and long (as the ONS Postcode"
                       " Directory names them)");
    if (res == RES_OK && st.store_error) res = ctx_store_failure(c, st.store_error, "a postcode");
    if (res == RES_OK) {
        long long added = add_outcodes(&st);
        if (added < 0)
            res = ctx_store_failure(c, added, "an outcode");
        else
            r->outcodes = added;
    }
    if (res == RES_OK && store_commit(c->db) != 0)
        res = ctx_fail(c, RES_INTERNAL, "cannot commit the postcodes");
    if (res != RES_OK) {
        store_rollback(c->db);
        r->imported = r->outcodes = 0;
    }
out:
    csv_free(&p);
    fclose(f);
    arena_free(st.a);
    return res;
}
