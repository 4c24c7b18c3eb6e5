/*
 * dir_search_fast.c: the directory search's plan for its common public
 * question (words, and/or a postcode with a distance, and/or terms), read
 * from the in-memory index (dir_search_index.h):
 *
 *  1. the services in every list (each term's services, each word's
 *     matches): their bitmaps ANDed, 64 services a step;
 *  2. the candidates: the points in the box around the circle (a few
 *     stretches of the sorted points) that are in that bitmap and within
 *     the distance, or, when fewer, the services in the bitmap that have a
 *     point within it; each scored by the sum of its words' scores (exactly
 *     what the full-text index scores for all the words at once);
 *  3. each kept only if its service is public (the index knows which are
 *     not); and when the query has other filters (ages, days and times,
 *     organization, modified_after, taxonomy_id, free), the few left are
 *     checked in one SQL statement.
 *
 * It does not take queries by place or neighbourhood, nor lists of
 * service_at_locations without a distance (services without coordinates
 * are not in the index): dir_search.c answers those by SQL.
 */
#include "domain/dir_search_index.h"
#include "domain/dir_search_internal.h"

#include "domain/directory.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_WORDS 16

/* What the candidates must be in: the terms' and the words' lists, and the
 * bitmap of the services in all of them (the lists' bitmaps ANDed). */
struct lists {
    struct dsi_list l[DIR_QUERY_MAX_TERMS + MAX_WORDS];
    int n;
    uint64_t *all;
    long long nbits; /* 0 when there are no lists (everything passes) */
};

/* ANDs the lists' bitmaps into L->all (in a): 64 services a step. */
static void intersect(arena *a, struct lists *L)
{
    if (!L->n) return;
    L->nbits = L->l[0].nbits;
    for (int i = 1; i < L->n; i++)
        if (L->l[i].nbits < L->nbits) L->nbits = L->l[i].nbits;
    size_t words = (size_t)(L->nbits + 63) / 64;
    L->all = arena_alloc_raw(a, sizeof *L->all * (words ? words : 1));
    for (size_t w = 0; w < words; w++) {
        uint64_t v = L->l[0].bits[w];
        for (int i = 1; i < L->n && v; i++)
            v &= L->l[i].bits[w];
        L->all[w] = v;
    }
}

/* Is service rid in every list? (From the ANDed bitmap when it was made.) */
static inline bool in_all(const struct lists *L, long long rid)
{
    if (L->all) return rid >= 0 && rid < L->nbits && ((L->all[rid >> 6] >> (rid & 63)) & 1);
    for (int i = 0; i < L->n; i++)
        if (!dsi_has(&L->l[i], rid)) return false;
    return true;
}

/* The sum of service rid's scores for the words (it is in every list). */
static double score_of(const struct lists *L, long long rid)
{
    double sum = 0;
    for (int i = 0; i < L->n; i++)
        if (L->l[i].score) sum += L->l[i].score[dsi_find(L->l[i].rid, L->l[i].n, rid)];
    return sum;
}

/*
 * Adds a candidate, or (listing services) keeps the service's nearest
 * point when it is there already. seen maps the key (service or
 * service_at_location rid) to its index in R->cands.
 */
static void add(struct run *R, struct rmap *seen, long long svc, long long sal, double dist,
                double rank)
{
    bool sal_unit = R->q->unit == DIR_UNIT_SERVICE_AT_LOCATION;
    long long key = sal_unit ? sal : svc;
    if ((size_t)R->ncands * 2 >= seen->cap) {
        ds_rmap_init(R->c->a, seen, seen->cap);
        for (int i = 0; i < R->ncands; i++) {
            long long k = sal_unit ? R->cands[i].sal_rid : R->cands[i].rid;
            size_t j = ds_rmap_slot(seen, k);
            seen->keys[j] = k;
            seen->vals[j] = i;
        }
    }
    size_t slot = ds_rmap_slot(seen, key);
    if (seen->keys[slot]) {
        struct cand *k = &R->cands[seen->vals[slot]];
        if (dist < k->dist) {
            k->dist = dist;
            k->sal_rid = sal;
        }
        return;
    }
    struct cand *k = ds_cand_add(R);
    *k = (struct cand){.rid = svc, .sal_rid = sal, .dist = dist, .rank = rank};
    seen->keys[slot] = key;
    seen->vals[slot] = R->ncands - 1;
}

/* The Earth's mean radius, as geo_distance_m() takes it. */
#define EARTH_M 6371008.8

/* The first of the n ascending ints at or above v (n when none). */
static int lower_bound(const int *a, int n, int v)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * The query's term with the fewest services, or NULL without terms. The
 * lists in L are the words' then the terms' (ds_fast_gather).
 */
static const char *narrowest_term(const struct run *R, const struct lists *L)
{
    const struct dir_query *q = R->q;
    const char *best = NULL;
    int fewest = 0, first = L->n - q->nterms;
    for (int i = 0; i < q->nterms; i++)
        if (!best || L->l[first + i].n < fewest) {
            best = q->taxonomy_term_ids[i];
            fewest = L->l[first + i].n;
        }
    return best;
}

/*
 * The candidates inside the circle, found from whichever is fewer: the
 * points in the box around it (with a term, only that term's points; each
 * tested against the lists' bitmaps, then by its distance), or the
 * services in all the lists (each tested by its points' distances).
 * RES_OK or RES_INTERNAL.
 */
static result from_circle(struct run *R, struct dsi *x, struct lists *L)
{
    double r = R->q->proximity_m;
    result res = dsi_load_points(R->c, x);
    if (res != RES_OK) return res;
    int(*ranges)[2] = arena_alloc_raw(R->c->a, sizeof *ranges * DSI_MAX_RANGES);
    int nr = dsi_box(x, R->lat, R->lng, r, ranges), inbox = 0;
    /* With a term, the box's stretches of points become stretches of the
     * term's point indexes: the same points less those it lacks. */
    const char *term = narrowest_term(R, L);
    int nsel = 0;
    const int *sel = term ? dsi_term_points(x, term, &nsel) : NULL;
    for (int i = 0; i < nr; i++) {
        if (sel) {
            ranges[i][0] = lower_bound(sel, nsel, ranges[i][0]);
            ranges[i][1] = lower_bound(sel, nsel, ranges[i][1]);
        }
        inbox += ranges[i][1] - ranges[i][0];
    }
    struct rmap seen;
    ds_rmap_init(R->c->a, &seen, 256);
    double cx, cy, cz;
    dsi_unit(R->lat, R->lng, &cx, &cy, &cz);
    /* Points further than the circle's angle have a smaller dot product; a
     * metre to spare for rounding, the exact distance decides. */
    double min_dot = cos((r + 1) / EARTH_M);
    /* A big box: is the intersection of the lists smaller? (Making it
     * costs a pass over the bitmaps, worth it only then.) */
    if (L->n && inbox > 4096) {
        intersect(R->c->a, L);
        /* How many services are in all the lists: a population count. */
        long long listed = 0;
        for (long long w = 0; w < (L->nbits + 63) / 64; w++)
            listed += __builtin_popcountll(L->all[w]);
        if (listed < inbox / 2) {
            for (long long w = 0; w < (L->nbits + 63) / 64; w++) {
                for (uint64_t v = L->all[w]; v; v &= v - 1) {
                    long long rid = w * 64 + __builtin_ctzll(v);
                    int np;
                    const struct dsi_point *pts = dsi_points_of(x, rid, &np);
                    for (int k = 0; k < np; k++) {
                        const struct dsi_point *q = &pts[k];
                        if (q->x * cx + q->y * cy + q->z * cz < min_dot) continue;
                        double d = geo_distance_m(R->lat, R->lng, q->lat, q->lng);
                        if (d <= r) add(R, &seen, rid, q->sal, d, score_of(L, rid));
                    }
                }
            }
            return RES_OK;
        }
    }
    const struct dsi_point *p = dsi_points(x);
    const long long *svc = dsi_point_services(x);
    for (int k = 0; k < nr; k++) {
        for (int j = ranges[k][0]; j < ranges[k][1]; j++) {
            int i = sel ? sel[j] : j;
            if (!in_all(L, svc[i])) continue;
            if (p[i].x * cx + p[i].y * cy + p[i].z * cz < min_dot) continue;
            double d = geo_distance_m(R->lat, R->lng, p[i].lat, p[i].lng);
            if (d <= r) add(R, &seen, p[i].svc, p[i].sal, d, score_of(L, p[i].svc));
        }
    }
    return RES_OK;
}

/*
 * The candidates in all the lists (words, and terms); with a postcode,
 * each at its nearest point. RES_OK or RES_INTERNAL.
 */
static result from_words(struct run *R, struct dsi *x, struct lists *L)
{
    result res = R->located ? dsi_load_points(R->c, x) : RES_OK;
    if (res != RES_OK) return res;
    intersect(R->c->a, L);
    struct rmap seen;
    ds_rmap_init(R->c->a, &seen, 256);
    for (long long w = 0; w < (L->nbits + 63) / 64; w++) {
        for (uint64_t v = L->all[w]; v; v &= v - 1) {
            long long rid = w * 64 + __builtin_ctzll(v);
            double dist = INFINITY;
            long long sal = 0;
            if (R->located) {
                int np;
                const struct dsi_point *pts = dsi_points_of(x, rid, &np);
                for (int k = 0; k < np; k++) {
                    double d = geo_distance_m(R->lat, R->lng, pts[k].lat, pts[k].lng);
                    if (d < dist) {
                        dist = d;
                        sal = pts[k].sal;
                    }
                }
            }
            add(R, &seen, rid, sal, dist, score_of(L, rid));
        }
    }
    return RES_OK;
}

/*
 * Keeps the candidates whose service is public and passes the query's
 * other filters, in one statement over the list of their rids, and reads
 * their names and ids. RES_OK or RES_INTERNAL.
 */
static result check(struct run *R)
{
    struct ctx *c = R->c;
    if (!R->ncands) return RES_OK;
    bool sal_unit = R->q->unit == DIR_UNIT_SERVICE_AT_LOCATION;
    struct rmap m;
    ds_rmap_init(c->a, &m, (size_t)R->ncands);
    buf list;
    buf_init(&list, c->a, (size_t)R->ncands * 8 + 2);
    buf_putc(&list, '[');
    for (int i = 0; i < R->ncands; i++) {
        long long key = sal_unit ? R->cands[i].sal_rid : R->cands[i].rid;
        size_t j = ds_rmap_slot(&m, key);
        if (m.keys[j]) continue;
        m.keys[j] = key;
        m.vals[j] = -1;
        buf_printf(&list, "%s%lld", list.len > 1 ? "," : "", key);
    }
    buf_putc(&list, ']');
    struct sqlb s = {0};
    buf_init(&s.sql, c->a, 1024);
    int p = ds_bind_text(&s, list.data);
    if (sal_unit)
        buf_puts(&s.sql, "SELECT sal.rid, s.name, s.id FROM dir_service_at_locations sal"
                         " CROSS JOIN dir_services s");
    else
        buf_puts(&s.sql, "SELECT s.rid, s.name, s.id FROM dir_services s");
    ds_add_filters(R, &s, "s.id", false, DS_CHECK);
    if (sal_unit) buf_puts(&s.sql, " AND s.id = sal.service_id");
    buf_printf(&s.sql, " AND %s IN (", sal_unit ? "sal.rid" : "s.rid");
    buf_printf(&s.sql, R->ts->json_ints_sql, p);
    buf_putc(&s.sql, ')');
    store_stmt *st = store_prepare(c->db, s.sql.data);
    if (!st || ds_bind_all(st, &s) != 0) {
        if (st) store_done(st);
        return ctx_fail(c, RES_INTERNAL, "The search failed");
    }
    /* Names land in a parallel array indexed by the map's value. */
    const char **names = arena_alloc(c->a, sizeof *names * (size_t)R->ncands * 2);
    int nn = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        size_t j = ds_rmap_slot(&m, store_col_int(st, 0));
        if (!m.keys[j] || m.vals[j] >= 0) continue;
        m.vals[j] = nn;
        names[nn * 2] = arena_strdup(c->a, store_col_text(st, 1));
        names[nn * 2 + 1] = arena_strdup(c->a, store_col_text(st, 2));
        nn++;
    }
    store_done(st);
    if (rc != STORE_DONE) return ctx_store_failure(c, rc, "directory search check");
    int kept = 0;
    for (int i = 0; i < R->ncands; i++) {
        int v = m.vals[ds_rmap_slot(&m, sal_unit ? R->cands[i].sal_rid : R->cands[i].rid)];
        if (v < 0) continue;
        R->cands[i].name = names[v * 2];
        R->cands[i].id = names[v * 2 + 1];
        R->cands[kept++] = R->cands[i];
    }
    R->ncands = kept;
    return RES_OK;
}

/* Does the query filter on anything the index does not hold? */
static bool other_filters(const struct dir_query *q)
{
    return q->organization_id || q->taxonomy_id || q->has_minimum_age || q->has_maximum_age ||
           q->modified_after || q->free_only || q->day[0] || q->start_time[0] || q->end_time[0];
}

/* Keeps the public candidates. RES_OK or RES_INTERNAL. */
static result only_public(struct run *R, struct dsi *x)
{
    int kept = 0;
    for (int i = 0; i < R->ncands; i++) {
        int p = dsi_public(R->c, x, R->cands[i].rid);
        if (p < 0) return ctx_fail(R->c, RES_INTERNAL, "The search index cannot be read");
        if (p) R->cands[kept++] = R->cands[i];
    }
    R->ncands = kept;
    return RES_OK;
}

result ds_fast_gather(struct run *R, bool *done)
{
    *done = false;
    const struct dir_query *q = R->q;
    struct ctx *c = R->c;
    bool circle = R->located && q->proximity_m > 0;
    if (q->place_id || q->neighbourhood_id || !R->ts || !R->ts->words || !R->ts->json_ints_sql)
        return RES_OK;
    if (!circle && (!R->fts || q->unit == DIR_UNIT_SERVICE_AT_LOCATION)) return RES_OK;
    struct dsi *x = R->x;
    if (!x) return RES_OK;
    struct lists L = {0};
    result res = RES_OK;
    const char *words[MAX_WORDS];
    int nwords = R->fts ? R->ts->words(c->a, q->search, words, MAX_WORDS) : 0;
    for (int i = 0; i < nwords; i++)
        if (!dsi_words(c, x, words[i], &L.l[L.n++], &res)) return res;
    for (int i = 0; i < q->nterms; i++)
        if (!dsi_term(c, x, q->taxonomy_term_ids[i], &L.l[L.n++], &res)) return res;
    R->ncands = 0;
    res = circle ? from_circle(R, x, &L) : from_words(R, x, &L);
    if (res == RES_OK) res = only_public(R, x);
    if (res == RES_OK && other_filters(q)) res = check(R);
    if (res == RES_OK) *done = true;
    return res;
}
