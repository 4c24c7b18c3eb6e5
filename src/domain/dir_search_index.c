/*
 * dir_search_index.c: the directory search's in-memory index (see
 * dir_search_index.h for what it holds and when it is valid).
 *
 * Why it exists: the public search the benchmark asks (words, a postcode
 * and distance, a term) must answer in well under a millisecond on 200,000
 * services to keep up with the server. SQLite reaching the same candidates
 * through the location and attribute tables (text ids, a row lookup at each
 * step) costs 3-5 us a row, so a 10 km circle in London with 8,000 venues
 * takes 30-50 ms. Here the same work is a binary search and a scan of a
 * sorted array. Each part is read from the store when first needed (the
 * points about 0.5 s, a term 10-20 ms, a common word 5-15 ms on 200,000
 * services) and kept until the full-text index's version moves.
 *
 * The memory is the thread's own (malloc, freed when the thread ends or the
 * index is rebuilt): one worker thread, one connection, one index. Nothing
 * here is shared between threads, so there are no locks.
 */
#include "domain/dir_search_index.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 128                    /* terms' service lists kept */
#define MAX_WORDS 256                    /* words' matches kept ... */
#define MAX_WORD_BYTES (32u << 20)       /* ... and at most this much of them */
#define TEXT_SLOTS (1 << 16)             /* hits' texts kept ... */
#define MAX_TEXT_BYTES (32u << 20)       /* ... and at most this much of them */
#define MAX_TERM_POINT_BYTES (16u << 20) /* terms' points (dsi_term_points), at most */

/* One kept hit's texts, packed into one allocation. */
struct text_entry {
    long long key; /* rid * 2 + kind, + 1 (0: empty slot) */
    struct dsi_text t;
    char *blob;
};

/* A kept list: a term's services or a word's matches. */
struct kept {
    char *key; /* the term's id or the word's query */
    long long *rid;
    float *score; /* words only */
    uint64_t *bits;
    int n;
    long long nbits;
    size_t bytes;
    unsigned long long used;
    int *pts; /* terms: the indexes of their services' points, ascending (dsi_term_points) */
    int npts;
    bool have_pts;
};

struct dsi {
    store_conn *db;
    char probe[96];         /* a statement only db's cache holds (see same_connection) */
    long long data_version; /* the store's, when last checked */
    char *version;          /* the full-text index's version this was built at */
    char *deleted_version;  /* what the deleted services were read at */
    long long *pending;     /* services not published (sorted rids), read at version */
    int npending;
    long long nservices; /* all services, counted with them */
    bool have_pending;
    long long *deleted; /* services deleted (sorted rids), read at deleted_version */
    int ndeleted;
    unsigned long long clock;
    unsigned long long search_began; /* the clock when the current search began */
    bool have_points;
    struct dsi_point *pts; /* by latitude */
    long long *pts_svc;    /* pts[i].svc, in an array of their own */
    int *cell_first;       /* the band's points are pts[cell_first[cell] .. cell_first[cell + 1]) */
    int npts;
    struct dsi_point *by_svc; /* a copy of the points by service rid */
    int *svc_first;           /* svc's points are by_svc[svc_first[svc] .. svc_first[svc + 1]) */
    long long max_svc;
    struct kept terms[MAX_TERMS];
    int nterms;
    size_t term_point_bytes; /* of all the terms' point indexes */
    size_t term_point_limit; /* their most (0: MAX_TERM_POINT_BYTES) */
    struct kept words[MAX_WORDS];
    int nwords;
    size_t word_bytes;
    struct text_entry *texts; /* TEXT_SLOTS of them, open addressing */
    int ntexts;
    size_t text_bytes;
};

static pthread_key_t dsi_key;
static pthread_once_t dsi_once = PTHREAD_ONCE_INIT;

static void kept_free(struct kept *k)
{
    free(k->key);
    free(k->rid);
    free(k->score);
    free(k->bits);
    free(k->pts);
    memset(k, 0, sizeof *k);
}

/* Lets a term's point indexes go (dsi_term_points makes them again). */
static void term_points_free(struct dsi *x, struct kept *k)
{
    if (!k->have_pts) return;
    x->term_point_bytes -= sizeof *k->pts * (size_t)k->npts;
    free(k->pts);
    k->pts = NULL;
    k->npts = 0;
    k->have_pts = false;
}

/* A kept list of n sorted rids (taken over, with score when not NULL), with its bitmap. */
static struct kept kept_make(const char *key, long long *rid, float *score, int n)
{
    struct kept k = {.key = strdup(key), .rid = rid, .score = score, .n = n};
    if (!k.key) abort();
    k.nbits = n ? rid[n - 1] + 1 : 0;
    size_t words = (size_t)(k.nbits + 63) / 64;
    k.bits = calloc(words ? words : 1, sizeof *k.bits);
    if (!k.bits) abort();
    for (int i = 0; i < n; i++)
        if (rid[i] >= 0) k.bits[rid[i] >> 6] |= 1ull << (rid[i] & 63);
    k.bytes = (size_t)n * (sizeof *rid + (score ? sizeof *score : 0)) + words * 8 + strlen(key);
    return k;
}

/* The list's public view. */
static struct dsi_list kept_list(const struct kept *k)
{
    return (struct dsi_list){k->rid, k->score, k->n, k->bits, k->nbits};
}

/* Forgets the kept texts. */
static void texts_clear(struct dsi *x)
{
    if (x->texts)
        for (int i = 0; i < TEXT_SLOTS; i++) {
            free(x->texts[i].blob);
            x->texts[i] = (struct text_entry){0};
        }
    x->ntexts = 0;
    x->text_bytes = 0;
}

/* Forgets everything the index holds (it stays allocated). */
static void dsi_clear(struct dsi *x)
{
    texts_clear(x);
    free(x->pts);
    free(x->pts_svc);
    free(x->cell_first);
    free(x->by_svc);
    free(x->svc_first);
    x->pts = NULL;
    x->pts_svc = NULL;
    x->cell_first = NULL;
    x->by_svc = NULL;
    x->svc_first = NULL;
    x->max_svc = 0;
    x->npts = 0;
    x->have_points = false;
    for (int i = 0; i < x->nterms; i++)
        kept_free(&x->terms[i]);
    x->nterms = 0;
    x->term_point_bytes = 0;
    for (int i = 0; i < x->nwords; i++)
        kept_free(&x->words[i]);
    x->nwords = 0;
    x->word_bytes = 0;
    free(x->version);
    x->version = NULL;
    free(x->pending);
    x->pending = NULL;
    x->npending = 0;
    x->have_pending = false;
}

/* The thread-exit destructor of the key. */
static void dsi_free(void *p)
{
    struct dsi *x = p;
    if (!x) return;
    dsi_clear(x);
    free(x->deleted);
    free(x->deleted_version);
    free(x->texts);
    free(x);
}

static void dsi_make_key(void)
{
    pthread_key_create(&dsi_key, dsi_free);
}

/* malloc that aborts, as the arena does: a half-built index is worse. */
static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

/*
 * Is c->db the connection this index was built from? A pointer can be
 * reused by a connection opened after another closed (tests do), so the
 * index also keeps a statement of its own in the connection's statement
 * cache: found there without preparing, it is the same connection. Only
 * a cache lookup when it is.
 */
static bool same_connection(struct ctx *c, struct dsi *x)
{
    if (x->db != c->db || !x->probe[0]) return false;
    long long before = store_prepare_count(c->db);
    store_stmt *st = store_prepare(c->db, x->probe);
    store_done(st);
    return st && store_prepare_count(c->db) == before;
}

/* Makes c->db this index's connection: a new probe statement in its cache. */
static void adopt_connection(struct ctx *c, struct dsi *x)
{
    static _Atomic unsigned long long serial;
    snprintf(x->probe, sizeof x->probe, "SELECT 1 WHERE 1 = 0 /* chis search index %llu */",
             ++serial);
    store_stmt *st = store_prepare(c->db, x->probe);
    store_done(st);
    x->db = c->db;
}

/* Reads a one-row query's first column as text (malloc'd); NULL on failure. */
static char *read_text(struct ctx *c, const char *sql)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return NULL;
    int rc = store_step(st);
    char *v = rc == STORE_ROW    ? strdup(store_col_null(st, 0) ? "" : store_col_text(st, 0))
              : rc == STORE_DONE ? strdup("")
                                 : NULL;
    store_done(st);
    return v;
}

/* Reads the rids a query lists into a sorted malloc'd array. 0 or -1. */
static int read_rids(struct ctx *c, const char *sql, long long **out, int *n);

/*
 * What the deleted services are: their number, the latest deletion and a
 * sum of their rids, from the partial index on deleted_at (a few rows).
 * Soft deletion is the one change to what is public that leaves the
 * full-text index alone.
 */
#define DELETED_VERSION_SQL                                                                        \
    "SELECT count(*) || ' ' || coalesce(max(deleted_at), '') || ' ' || total(rid * rid)"           \
    " FROM dir_services WHERE deleted_at IS NOT NULL"

struct dsi *dsi_get(struct ctx *c)
{
    const struct store_text_search *ts = store_backend_of(c->db)->text_search;
    if (!ts || !ts->version_sql || store_in_tx(c->db)) return NULL;
    pthread_once(&dsi_once, dsi_make_key);
    struct dsi *x = pthread_getspecific(dsi_key);
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x) abort();
        pthread_setspecific(dsi_key, x);
    }
    /* Between searches, full kept texts make room for the ones now asked for. */
    if (x->ntexts >= TEXT_SLOTS / 2 || x->text_bytes > MAX_TEXT_BYTES) texts_clear(x);
    bool same = same_connection(c, x);
    /* Nothing committed anywhere since the last look: all still holds. */
    long long dv = store_data_version(c->db);
    if (dv != -1 && same && x->version && x->deleted_version && dv == x->data_version) {
        x->search_began = ++x->clock;
        return x;
    }
    char *v = read_text(c, ts->version_sql);
    char *dv_text = v ? read_text(c, DELETED_VERSION_SQL) : NULL;
    if (!v || !dv_text) {
        free(v);
        free(dv_text);
        return NULL;
    }
    if (!same || !x->version || strcmp(x->version, v) != 0) {
        dsi_clear(x);
        x->version = v;
    } else {
        free(v);
    }
    if (!same || !x->deleted_version || strcmp(x->deleted_version, dv_text) != 0) {
        free(x->deleted);
        x->deleted = NULL;
        x->ndeleted = 0;
        free(x->deleted_version);
        x->deleted_version = NULL;
        if (read_rids(c, "SELECT rid FROM dir_services WHERE deleted_at IS NOT NULL", &x->deleted,
                      &x->ndeleted) != 0) {
            free(dv_text);
            return NULL;
        }
        x->deleted_version = dv_text;
    } else {
        free(dv_text);
    }
    if (!same) adopt_connection(c, x);
    x->data_version = dv;
    /* What this search reads stays put until it ends: only older lists are
     * forgotten to make room. */
    x->search_began = ++x->clock;
    return x;
}

/* The slot of key in the texts: where it is, or the empty one where it would go. */
static struct text_entry *text_slot(struct dsi *x, long long key)
{
    unsigned long long h = (unsigned long long)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 24) & (TEXT_SLOTS - 1);
    while (x->texts[i].key && x->texts[i].key != key)
        i = (i + 1) & (TEXT_SLOTS - 1);
    return &x->texts[i];
}

const struct dsi_text *dsi_text_get(struct dsi *x, enum dsi_text_kind kind, long long key)
{
    if (!x->texts) return NULL;
    struct text_entry *e = text_slot(x, key * 2 + (long long)kind + 1);
    return e->key ? &e->t : NULL;
}

void dsi_text_put(struct dsi *x, enum dsi_text_kind kind, long long key, const struct dsi_text *t)
{
    if (!x->texts) {
        x->texts = calloc(TEXT_SLOTS, sizeof *x->texts);
        if (!x->texts) abort();
    }
    size_t len[4], total = 0;
    for (int i = 0; i < 4; i++)
        total += len[i] = t->s[i] ? strlen(t->s[i]) + 1 : 0;
    /* Full: keep no more (a search never sees its texts freed under it); the
     * next change of the index starts afresh. */
    if (x->ntexts >= TEXT_SLOTS / 2 || x->text_bytes + total > MAX_TEXT_BYTES) return;
    struct text_entry *e = text_slot(x, key * 2 + (long long)kind + 1);
    if (e->key) return;
    e->key = key * 2 + (long long)kind + 1;
    e->blob = xmalloc(total);
    char *p = e->blob;
    for (int i = 0; i < 4; i++) {
        if (!t->s[i]) {
            e->t.s[i] = NULL;
            continue;
        }
        memcpy(p, t->s[i], len[i]);
        e->t.s[i] = p;
        p += len[i];
    }
    x->ntexts++;
    x->text_bytes += total;
}

void dsi_unit(double lat, double lng, double *x, double *y, double *z)
{
    double la = lat * M_PI / 180.0, lo = lng * M_PI / 180.0;
    *x = cos(la) * cos(lo);
    *y = cos(la) * sin(lo);
    *z = sin(la);
}

/*
 * The points are sorted by bands of latitude CELL_DEG high (about 5.5 km),
 * and by longitude within each band: a box is then a few bands, and in each
 * only the stretch of longitude inside it is read (two binary searches),
 * however wide the country.
 */
#define CELL_DEG 0.05
#define NCELLS DSI_MAX_RANGES /* (90 + 90) / CELL_DEG, and one for the pole itself */

/* The band of latitude lat is in, 0 to NCELLS - 1: clamped before it is
 * made an int, so a wild stored latitude cannot overflow it. */
static int cell_of(double lat)
{
    double cell = floor((lat + 90.0) / CELL_DEG);
    if (!(cell >= 0)) return 0;
    return cell >= NCELLS ? NCELLS - 1 : (int)cell;
}

static int by_cell(const void *a, const void *b)
{
    const struct dsi_point *p = a, *q = b;
    if (p->cell != q->cell) return p->cell < q->cell ? -1 : 1;
    return p->lng < q->lng ? -1 : p->lng > q->lng;
}

static int by_svc(const void *a, const void *b)
{
    const struct dsi_point *p = a, *q = b;
    if (p->svc != q->svc) return p->svc < q->svc ? -1 : 1;
    return p->sal < q->sal ? -1 : p->sal > q->sal;
}

result dsi_load_points(struct ctx *c, struct dsi *x)
{
    if (x->have_points) return RES_OK;
    store_stmt *st = store_prepare(
        c->db,
        "SELECT l.latitude, l.longitude, s.rid, sal.rid FROM dir_service_at_locations sal"
        " JOIN dir_locations l ON l.id = sal.location_id JOIN dir_services s"
        " ON s.id = sal.service_id WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL");
    if (!st) return ctx_fail(c, RES_INTERNAL, "The search index cannot be read");
    int cap = 1 << 14, n = 0, rc;
    struct dsi_point *p = xmalloc(sizeof *p * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (n == cap) p = xrealloc(p, sizeof *p * (size_t)(cap *= 2));
        struct dsi_point *q = &p[n++];
        q->lat = store_col_double(st, 0);
        q->cell = cell_of(q->lat);
        q->lng = store_col_double(st, 1);
        dsi_unit(q->lat, q->lng, &q->x, &q->y, &q->z);
        q->svc = store_col_int(st, 2);
        q->sal = store_col_int(st, 3);
    }
    store_done(st);
    if (rc != STORE_DONE) {
        free(p);
        return ctx_store_failure(c, rc, "search index points");
    }
    qsort(p, (size_t)n, sizeof *p, by_cell);
    long long *svc_of = xmalloc(sizeof *svc_of * (size_t)(n ? n : 1));
    int *cell_first = xmalloc(sizeof *cell_first * (NCELLS + 1));
    for (int cell = 0, i = 0; cell <= NCELLS; cell++) {
        while (i < n && p[i].cell < cell)
            i++;
        cell_first[cell] = i;
    }
    for (int i = 0; i < n; i++)
        svc_of[i] = p[i].svc;
    struct dsi_point *s = xmalloc(sizeof *s * (size_t)(n ? n : 1));
    memcpy(s, p, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, by_svc);
    /* Where each service's points start, for finding them in one step. */
    long long max = n ? s[n - 1].svc : 0;
    int *first = xmalloc(sizeof *first * (size_t)(max + 2));
    for (long long v = 0, i = 0; v <= max + 1; v++) {
        while (i < n && s[i].svc < v)
            i++;
        first[v] = (int)i;
    }
    x->svc_first = first;
    x->max_svc = max;
    x->pts = p;
    x->pts_svc = svc_of;
    x->cell_first = cell_first;
    x->by_svc = s;
    x->npts = n;
    x->have_points = true;
    return RES_OK;
}

/* The first point of band cell at or after lng; with after, the first one
 * past it (the band's end when none). */
static int first_at(const struct dsi *x, int cell, double lng, bool after)
{
    int lo = x->cell_first[cell], hi = x->cell_first[cell + 1];
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double at = x->pts[mid].lng;
        if (after ? at <= lng : at < lng)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int dsi_box(struct dsi *x, double lat, double lng, double radius_m, int (*ranges)[2])
{
    /* A degree of latitude is at least 110,574 m; one of longitude that
     * times cos(latitude), taken at the box's edge nearer the pole. */
    double dlat = radius_m / 110000.0;
    double edge = fabs(lat) + dlat;
    double coslat = edge < 89.0 ? cos(edge * M_PI / 180.0) : 0;
    double dlng = coslat > 0.01 ? dlat / coslat : 360.0;
    int k = 0;
    for (int cell = cell_of(lat - dlat); cell <= cell_of(lat + dlat); cell++) {
        int from = first_at(x, cell, lng - dlng, false), to = first_at(x, cell, lng + dlng, true);
        if (to > from) {
            ranges[k][0] = from;
            ranges[k][1] = to;
            k++;
        }
    }
    return k;
}

const struct dsi_point *dsi_points(const struct dsi *x)
{
    return x->pts;
}

const long long *dsi_point_services(const struct dsi *x)
{
    return x->pts_svc;
}

const struct dsi_point *dsi_points_of(struct dsi *x, long long svc, int *n)
{
    *n = 0;
    if (!x->have_points || svc < 0 || svc > x->max_svc) return NULL;
    *n = x->svc_first[svc + 1] - x->svc_first[svc];
    return *n ? x->by_svc + x->svc_first[svc] : NULL;
}

int dsi_find(const long long *rids, int n, long long rid)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (rids[mid] < rid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rids[lo] == rid ? lo : -1;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static int read_rids(struct ctx *c, const char *sql, long long **out, int *n)
{
    *out = NULL;
    *n = 0;
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return -1;
    int cap = 64, k = 0, rc;
    long long *rid = xmalloc(sizeof *rid * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (k == cap) rid = xrealloc(rid, sizeof *rid * (size_t)(cap *= 2));
        rid[k++] = store_col_int(st, 0);
    }
    store_done(st);
    if (rc != STORE_DONE) {
        free(rid);
        ctx_store_failure(c, rc, "search index");
        return -1;
    }
    qsort(rid, (size_t)k, sizeof *rid, cmp_ll);
    *out = rid;
    *n = k;
    return 0;
}

/* Reads which services are not published, and how many there are. 0 or -1. */
static int load_pending(struct ctx *c, struct dsi *x)
{
    if (x->have_pending) return 0;
    /* A scan of the services (state has no index): once per version. */
    if (read_rids(c, "SELECT rid FROM dir_services WHERE state <> 'published'", &x->pending,
                  &x->npending) != 0 ||
        store_query_int(c->db, &x->nservices, "SELECT count(*) FROM dir_services", "") < 0)
        return -1;
    x->have_pending = true;
    return 0;
}

int dsi_public(struct ctx *c, struct dsi *x, long long svc)
{
    if (load_pending(c, x) != 0) return -1;
    return dsi_find(x->pending, x->npending, svc) < 0 && dsi_find(x->deleted, x->ndeleted, svc) < 0;
}

long long dsi_public_count(struct ctx *c, struct dsi *x)
{
    if (load_pending(c, x) != 0) return -1;
    /* All, less those pending or deleted (counting one that is both once). */
    long long hidden = x->npending;
    for (int i = 0; i < x->ndeleted; i++)
        if (dsi_find(x->pending, x->npending, x->deleted[i]) < 0) hidden++;
    return x->nservices - hidden;
}

bool dsi_term(struct ctx *c, struct dsi *x, const char *term_id, struct dsi_list *out, result *res)
{
    for (int i = 0; i < x->nterms; i++) {
        if (strcmp(x->terms[i].key, term_id) == 0) {
            x->terms[i].used = ++x->clock;
            *out = kept_list(&x->terms[i]);
            return true;
        }
    }
    store_stmt *st = store_prepare(c->db, "SELECT s.rid FROM dir_attributes a JOIN dir_services s"
                                          " ON s.id = a.link_id WHERE a.taxonomy_term_id = $1");
    if (!st) {
        *res = ctx_fail(c, RES_INTERNAL, "The search index cannot be read");
        return false;
    }
    store_bindf(st, "t", term_id);
    int cap = 256, k = 0, rc;
    long long *rid = xmalloc(sizeof *rid * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (k == cap) rid = xrealloc(rid, sizeof *rid * (size_t)(cap *= 2));
        rid[k++] = store_col_int(st, 0);
    }
    store_done(st);
    if (rc != STORE_DONE) {
        free(rid);
        *res = ctx_store_failure(c, rc, "search index term");
        return false;
    }
    qsort(rid, (size_t)k, sizeof *rid, cmp_ll);
    int uniq = 0;
    for (int i = 0; i < k; i++)
        if (!uniq || rid[uniq - 1] != rid[i]) rid[uniq++] = rid[i];
    /* Keep it, in place of the least recently used when full (never one
     * this search has handed out: MAX_TERMS is far more than a search uses). */
    int slot = x->nterms;
    if (slot == MAX_TERMS) {
        slot = 0;
        for (int i = 1; i < x->nterms; i++)
            if (x->terms[i].used < x->terms[slot].used) slot = i;
        term_points_free(x, &x->terms[slot]);
        kept_free(&x->terms[slot]);
    } else {
        x->nterms++;
    }
    x->terms[slot] = kept_make(term_id, rid, NULL, uniq);
    x->terms[slot].used = ++x->clock;
    *out = kept_list(&x->terms[slot]);
    return true;
}

/*
 * The points of a term's services, as indexes into the points: one pass
 * over them all testing the term's bitmap, so ascending, which is the
 * points' own order (by band, then longitude). A circle is then found in
 * the term's points alone: a box in a city holds about a thousand points,
 * of which a term has a few dozen.
 */
const int *dsi_term_points(struct dsi *x, const char *term_id, int *n)
{
    *n = 0;
    if (!x->have_points) return NULL;
    struct kept *k = NULL;
    for (int i = 0; i < x->nterms && !k; i++)
        if (strcmp(x->terms[i].key, term_id) == 0) k = &x->terms[i];
    if (!k) return NULL;
    if (!k->have_pts) {
        /* Over the budget, the other terms let their point indexes go
         * (remade when next wanted): a search holds only this one. */
        size_t limit = x->term_point_limit ? x->term_point_limit : MAX_TERM_POINT_BYTES;
        if (x->term_point_bytes + sizeof(int) * (size_t)x->npts > limit)
            for (int i = 0; i < x->nterms; i++)
                term_points_free(x, &x->terms[i]);
        int cap = 64, m = 0;
        int *idx = xmalloc(sizeof *idx * (size_t)cap);
        struct dsi_list l = kept_list(k);
        for (int i = 0; i < x->npts; i++) {
            if (!dsi_has(&l, x->pts_svc[i])) continue;
            if (m == cap) idx = xrealloc(idx, sizeof *idx * (size_t)(cap *= 2));
            idx[m++] = i;
        }
        k->pts = idx;
        k->npts = m;
        k->have_pts = true;
        x->term_point_bytes += sizeof *idx * (size_t)m;
    }
    *n = k->npts;
    return k->pts;
}

size_t dsi_term_point_bytes(const struct dsi *x)
{
    return x->term_point_bytes;
}

void dsi_limit_term_points(struct dsi *x, size_t bytes)
{
    x->term_point_limit = bytes;
}

/* Orders (rid, score) pairs by rid, for qsort. */
struct pair {
    long long rid;
    float score;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *p = a, *q = b;
    return p->rid < q->rid ? -1 : p->rid > q->rid;
}

/* Forgets the least recently used word's matches, unless this search has
 * used it (its lists are in use); false when there was none to forget. */
static bool evict_word(struct dsi *x)
{
    int slot = -1;
    for (int i = 0; i < x->nwords; i++)
        if (x->words[i].used < x->search_began &&
            (slot < 0 || x->words[i].used < x->words[slot].used))
            slot = i;
    if (slot < 0) return false;
    x->word_bytes -= x->words[slot].bytes;
    kept_free(&x->words[slot]);
    x->words[slot] = x->words[--x->nwords];
    return true;
}

bool dsi_words(struct ctx *c, struct dsi *x, const char *word, struct dsi_list *out, result *res)
{
    for (int i = 0; i < x->nwords; i++) {
        if (strcmp(x->words[i].key, word) == 0) {
            x->words[i].used = ++x->clock;
            *out = kept_list(&x->words[i]);
            return true;
        }
    }
    const struct store_text_search *ts = store_backend_of(c->db)->text_search;
    store_stmt *st = store_prepare(c->db, ts->match_all_sql);
    if (!st) {
        *res = ctx_fail(c, RES_INTERNAL, "The search index cannot be read");
        return false;
    }
    store_bindf(st, "t", word);
    int cap = 256, k = 0, rc;
    struct pair *p = xmalloc(sizeof *p * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (k == cap) p = xrealloc(p, sizeof *p * (size_t)(cap *= 2));
        p[k++] = (struct pair){store_col_int(st, 0), (float)store_col_double(st, 1)};
    }
    store_done(st);
    if (rc != STORE_DONE) {
        free(p);
        *res = ctx_store_failure(c, rc, "search index words");
        return false;
    }
    bool sorted = true;
    for (int i = 1; i < k && sorted; i++)
        sorted = p[i - 1].rid < p[i].rid;
    if (!sorted) qsort(p, (size_t)k, sizeof *p, cmp_pair);
    long long *rid = xmalloc(sizeof *rid * (size_t)k);
    float *score = xmalloc(sizeof *score * (size_t)k);
    for (int i = 0; i < k; i++) {
        rid[i] = p[i].rid;
        score[i] = p[i].score;
    }
    free(p);
    struct kept w = kept_make(word, rid, score, k);
    while (x->nwords && (x->nwords == MAX_WORDS || x->word_bytes + w.bytes > MAX_WORD_BYTES))
        if (!evict_word(x)) break;
    if (x->nwords == MAX_WORDS) {
        /* Every slot is this search's (it cannot be: a search has at most 16 words). */
        kept_free(&w);
        *res = ctx_fail(c, RES_INTERNAL, "The search index is full");
        return false;
    }
    w.used = ++x->clock;
    x->words[x->nwords++] = w;
    x->word_bytes += w.bytes;
    *out = kept_list(&x->words[x->nwords - 1]);
    return true;
}
