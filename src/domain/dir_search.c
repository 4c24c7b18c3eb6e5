/*
 * dir_search.c: running a directory search (dir_search.h): the SQL plans,
 * sorting, paging and reading the page's texts.
 *
 * First the in-memory plan is asked (dir_search_fast.c): it answers the
 * common public questions (words, postcode and distance, terms) in tens of
 * microseconds on 200,000 services. What it does not take (places and
 * neighbourhoods, lists without words or distance, anything inside a
 * transaction) is answered here by SQL, shaped by where SQLite's time goes:
 * on 200,000 services the full-text index ranks the 25,000 matches of a
 * common word in about 30 ms, while the postcode box (dir_locations_lat) or
 * a taxonomy term (dir_attributes_term) narrows the field to a few hundred
 * candidates in about a millisecond. So:
 *
 *  1. One SQL statement gathers the candidates with every filter that is
 *     not text: driven (by CROSS JOIN, which fixes the join order) from the
 *     narrowest thing there is: the postcode box, a taxonomy term, an
 *     organization, a place; or from the full-text match when the text is
 *     all there is to go on; or from the services themselves.
 *  2. Distances are computed here from the candidates' coordinates, and
 *     the proximity applied exactly (the box only bounds it).
 *  3. When searching and the text was not the driver, the candidates are
 *     tested against the full-text index: by rowid when few, else against
 *     one pass over all the matches.
 *  4. Sorted (distance, rank, name), paged, and only the page's texts read
 *     (kept in memory between searches for the API's lean lists).
 *
 * With neither text nor postcode (the plain listing) the store pages it
 * itself: ORDER BY name LIMIT/OFFSET on the name index, and a COUNT.
 *
 * Full-text syntax is the backend's (store_text_search); the SQL here is
 * portable.
 */
#include "domain/dir_search_index.h"
#include "domain/dir_search_internal.h"

#include "base/buf.h"
#include "base/jsonw.h"
#include "domain/directory.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Up to this many candidate services are tested against the text index by
 * rowid (about 10 us each on 200,000 services); more are intersected with a
 * pass over every match instead (about 0.2 us a match). */
#define SEEK_MAX 1000

int ds_bind_text(struct sqlb *s, const char *v)
{
    s->b[s->n] = (struct bind){.type = 't', .t = v};
    return ++s->n;
}

int ds_bind_int(struct sqlb *s, long long v)
{
    s->b[s->n] = (struct bind){.type = 'i', .i = v};
    return ++s->n;
}

int ds_bind_double(struct sqlb *s, double v)
{
    s->b[s->n] = (struct bind){.type = 'd', .d = v};
    return ++s->n;
}

int ds_bind_all(store_stmt *st, const struct sqlb *s)
{
    for (int i = 0; i < s->n; i++) {
        const struct bind *b = &s->b[i];
        int rc = b->type == 't'   ? store_bind_text(st, i + 1, b->t)
                 : b->type == 'i' ? store_bind_int(st, i + 1, b->i)
                                  : store_bind_double(st, i + 1, b->d);
        if (rc != 0) return -1;
    }
    return 0;
}

void ds_rmap_init(arena *a, struct rmap *m, size_t n)
{
    m->cap = 64;
    while (m->cap < n * 2)
        m->cap <<= 1;
    m->keys = arena_alloc(a, m->cap * sizeof *m->keys);
    m->vals = arena_alloc_raw(a, m->cap * sizeof *m->vals);
}

size_t ds_rmap_slot(const struct rmap *m, long long key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/*
 * See dir_search_internal.h. sid is "sal.service_id" when the locations
 * drive, so that SQLite tests the terms before it reads the service's row
 * at all (a condition runs at the first loop that has what it names).
 */
void ds_add_filters(struct run *R, struct sqlb *s, const char *sid, bool term0_driven,
                    enum ds_filter_mode mode)
{
    const struct dir_query *q = R->q;
    buf *b = &s->sql;
    buf_puts(b, " WHERE s.state = 'published' AND s.deleted_at IS NULL");
    if (q->organization_id)
        buf_printf(b, " AND s.organization_id = $%d", ds_bind_text(s, q->organization_id));
    for (int i = term0_driven ? 1 : 0; i < q->nterms; i++)
        buf_printf(b,
                   " AND EXISTS (SELECT 1 FROM dir_attributes a WHERE a.link_id = %s"
                   " AND a.taxonomy_term_id = $%d)",
                   sid, ds_bind_text(s, q->taxonomy_term_ids[i]));
    if (q->taxonomy_id)
        buf_printf(b,
                   " AND EXISTS (SELECT 1 FROM dir_attributes a JOIN dir_taxonomy_terms tt"
                   " ON tt.id = a.taxonomy_term_id WHERE a.link_id = %s AND"
                   " tt.taxonomy_id = $%d)",
                   sid, ds_bind_text(s, q->taxonomy_id));
    if (q->has_minimum_age)
        buf_printf(b, " AND s.minimum_age >= $%d", ds_bind_double(s, q->minimum_age));
    if (q->has_maximum_age)
        buf_printf(b, " AND s.maximum_age <= $%d", ds_bind_double(s, q->maximum_age));
    if (q->modified_after)
        buf_printf(b, " AND s.last_modified >= $%d", ds_bind_text(s, q->modified_after));
    if (q->free_only) buf_puts(b, " AND s.free = 1");
    if (q->day[0] || q->start_time[0] || q->end_time[0]) {
        /* One schedule must hold day and times together: the service's own,
         * or (listing services) one of its service_at_locations'; listing
         * service_at_locations, that one's or the service's own. */
        if (q->unit == DIR_UNIT_SERVICE_AT_LOCATION)
            buf_puts(b, " AND EXISTS (SELECT 1 FROM dir_schedules sc WHERE"
                        " (sc.service_at_location_id = sal.id OR (sc.service_id = s.id AND"
                        " sc.service_at_location_id IS NULL))");
        else
            buf_puts(b, " AND EXISTS (SELECT 1 FROM dir_schedules sc WHERE"
                        " (sc.service_id = s.id OR sc.service_at_location_id IN"
                        " (SELECT x.id FROM dir_service_at_locations x WHERE"
                        " x.service_id = s.id))");
        if (q->day[0])
            buf_printf(b, " AND sc.byday LIKE $%d",
                       ds_bind_text(s, arena_printf(R->c->a, "%%%s%%", q->day)));
        if (q->start_time[0])
            buf_printf(b, " AND sc.opens_at >= $%d", ds_bind_text(s, q->start_time));
        if (q->end_time[0]) buf_printf(b, " AND sc.closes_at <= $%d", ds_bind_text(s, q->end_time));
        buf_putc(b, ')');
    }
    /* Where the service is: on the joined location, or any of its locations. */
    const char *loc_cols[2] = {q->place_id ? "place_id" : NULL,
                               q->neighbourhood_id ? "neighbourhood_id" : NULL};
    long long loc_vals[2] = {q->place_id, q->neighbourhood_id};
    if (mode == DS_CHECK) return;
    for (int i = 0; i < 2; i++) {
        if (!loc_cols[i]) continue;
        if (R->join_loc)
            buf_printf(b, " AND l.%s = $%d", loc_cols[i], ds_bind_int(s, loc_vals[i]));
        else
            buf_printf(b,
                       " AND EXISTS (SELECT 1 FROM dir_service_at_locations x JOIN"
                       " dir_locations y ON y.id = x.location_id WHERE x.service_id = s.id"
                       " AND y.%s = $%d)",
                       loc_cols[i], ds_bind_int(s, loc_vals[i]));
    }
    if (R->located && q->proximity_m > 0) {
        /* The box around the circle; distances are exact later. 111,320 m a
         * degree of latitude, less by cos(latitude) for longitude. */
        double dlat = q->proximity_m / 111320.0 * 1.01;
        double coslat = cos(R->lat * M_PI / 180.0);
        double dlng = coslat > 0.01 ? dlat / coslat : 180.0;
        int p1 = ds_bind_double(s, R->lat - dlat), p2 = ds_bind_double(s, R->lat + dlat);
        int p3 = ds_bind_double(s, R->lng - dlng), p4 = ds_bind_double(s, R->lng + dlng);
        buf_printf(b, " AND l.latitude BETWEEN $%d AND $%d AND l.longitude BETWEEN $%d AND $%d", p1,
                   p2, p3, p4);
        if (q->proximity_m <= 50000 && coslat > 0.01) {
            /* The circle too, on a flat map (2%% to spare; exact later): it
             * reads only the index, and saves a fifth of the joins. */
            int la = ds_bind_double(s, R->lat), ln = ds_bind_double(s, R->lng);
            int k = ds_bind_double(s, coslat * coslat);
            double r = dlat * 1.02 / 1.01;
            buf_printf(b,
                       " AND (l.latitude - $%d) * (l.latitude - $%d) + (l.longitude - $%d) *"
                       " (l.longitude - $%d) * $%d <= $%d",
                       la, la, ln, ln, k, ds_bind_double(s, r * r));
        }
    }
}

/*
 * Builds the statement that gathers candidates: columns s.rid, s.name,
 * s.id, sal.rid, l.latitude, l.longitude, score. paged: the plain listing,
 * ordered by name with LIMIT/OFFSET (two more parameters), or with count
 * the COUNT of it.
 */
static void build_gather(struct run *R, struct sqlb *s, bool paged, bool count)
{
    const struct dir_query *q = R->q;
    buf *b = &s->sql;
    bool sal_unit = q->unit == DIR_UNIT_SERVICE_AT_LOCATION;
    bool box = R->located && q->proximity_m > 0;
    bool loc_filter = box || q->place_id || q->neighbourhood_id;
    /* Services without a location stay in a services list unless a filter
     * is about where they are. */
    const char *loc_join = sal_unit || loc_filter ? " JOIN" : " LEFT JOIN";
    const char *cols = R->join_loc ? "s.rid, s.name, s.id, sal.rid, l.latitude, l.longitude"
                                   : "s.rid, s.name, s.id, NULL, NULL, NULL";
    bool term0 = false;
    if (count)
        buf_printf(b, "SELECT COUNT(*)");
    else
        buf_printf(b, "SELECT %s, %s", cols, R->fts_drive ? "t.score" : "NULL");
    if (R->fts_drive) {
        int p = ds_bind_text(s, R->fts);
        (void)p; /* the backend's subquery names it $1 */
        buf_printf(b, " FROM (%s) t CROSS JOIN dir_services s", R->ts->match_all_sql);
        if (R->join_loc)
            buf_printf(b,
                       "%s dir_service_at_locations sal ON sal.service_id = s.id%s"
                       " dir_locations l ON l.id = sal.location_id",
                       loc_join, loc_join);
        ds_add_filters(R, s, "s.id", false, DS_GATHER);
        buf_puts(b, " AND s.rid = t.rid");
        return;
    }
    if (R->join_loc && (box || ((q->place_id || q->neighbourhood_id) && !q->nterms))) {
        /* The box or the place is the narrowest: start from the locations. */
        buf_puts(b, " FROM dir_locations l CROSS JOIN dir_service_at_locations sal"
                    " CROSS JOIN dir_services s");
        ds_add_filters(R, s, "sal.service_id", false, DS_GATHER);
        buf_puts(b, " AND sal.location_id = l.id AND s.id = sal.service_id");
    } else {
        if (q->nterms) {
            buf_printf(b, " FROM dir_attributes a0 CROSS JOIN dir_services s");
            term0 = true;
        } else {
            buf_puts(b, " FROM dir_services s");
        }
        if (R->join_loc)
            buf_printf(b,
                       "%s dir_service_at_locations sal ON sal.service_id = s.id%s"
                       " dir_locations l ON l.id = sal.location_id",
                       loc_join, loc_join);
        ds_add_filters(R, s, "s.id", term0, DS_GATHER);
        if (term0)
            buf_printf(b, " AND a0.taxonomy_term_id = $%d AND s.id = a0.link_id",
                       ds_bind_text(s, q->taxonomy_term_ids[0]));
    }
    if (paged && !count) {
        int lim = ds_bind_int(s, q->per_page);
        int off = ds_bind_int(s, (q->page - 1) * q->per_page);
        buf_printf(b, " ORDER BY s.name%s, s.id%s LIMIT $%d OFFSET $%d", R->ts->nocase,
                   sal_unit ? ", sal.rid" : "", lim, off);
    }
}

struct cand *ds_cand_add(struct run *R)
{
    if (R->ncands == R->capcands) {
        int cap = R->capcands ? R->capcands * 2 : 256;
        struct cand *n = arena_alloc_raw(R->c->a, sizeof *n * (size_t)cap);
        if (R->ncands) memcpy(n, R->cands, sizeof *n * (size_t)R->ncands);
        R->cands = n;
        R->capcands = cap;
    }
    return &R->cands[R->ncands++];
}

/*
 * Runs the gathering statement and keeps its rows as candidates: one per
 * service (the nearest location's distance) or one per service at a
 * location, with the proximity applied. RES_OK or RES_INTERNAL.
 */
static result gather(struct run *R)
{
    struct ctx *c = R->c;
    const struct dir_query *q = R->q;
    struct sqlb s = {0};
    buf_init(&s.sql, c->a, 1024);
    build_gather(R, &s, false, false);
    store_stmt *st = store_prepare(c->db, s.sql.data);
    if (!st || ds_bind_all(st, &s) != 0) {
        if (st) store_done(st);
        return ctx_fail(c, RES_INTERNAL, "The search failed");
    }
    struct rmap seen = {0};
    ds_rmap_init(c->a, &seen, 1024);
    size_t used = 0;
    bool sal_unit = q->unit == DIR_UNIT_SERVICE_AT_LOCATION;
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        long long rid = store_col_int(st, 0);
        long long sal = store_col_null(st, 3) ? 0 : store_col_int(st, 3);
        double dist = INFINITY;
        if (R->located && !store_col_null(st, 4) && !store_col_null(st, 5))
            dist = geo_distance_m(R->lat, R->lng, store_col_double(st, 4), store_col_double(st, 5));
        if (q->proximity_m > 0 && R->located && !(dist <= q->proximity_m)) continue;
        long long key = sal_unit ? sal : rid;
        if (!key) continue;
        if (used * 2 >= seen.cap) {
            /* Grow the map: re-insert every candidate so far. */
            ds_rmap_init(c->a, &seen, seen.cap);
            for (int i = 0; i < R->ncands; i++) {
                long long k = sal_unit ? R->cands[i].sal_rid : R->cands[i].rid;
                size_t j = ds_rmap_slot(&seen, k);
                seen.keys[j] = k;
                seen.vals[j] = i;
            }
        }
        size_t slot = ds_rmap_slot(&seen, key);
        if (seen.keys[slot]) {
            /* The same service again (another location or attribute): keep
             * the nearest location. */
            struct cand *k = &R->cands[seen.vals[slot]];
            if (dist < k->dist) {
                k->dist = dist;
                k->sal_rid = sal;
            }
            continue;
        }
        struct cand *k = ds_cand_add(R);
        k->rid = rid;
        k->sal_rid = sal;
        k->name = arena_strdup(c->a, store_col_text(st, 1));
        k->id = arena_strdup(c->a, store_col_text(st, 2));
        k->dist = dist;
        k->rank = store_col_null(st, 6) ? 0 : store_col_double(st, 6);
        seen.keys[slot] = key;
        seen.vals[slot] = R->ncands - 1;
        used++;
    }
    store_done(st);
    if (rc != STORE_DONE) return ctx_store_failure(c, rc, "directory search");
    return RES_OK;
}

/*
 * Keeps only the candidates whose service matches the text, setting their
 * rank: all of them tested in one statement (see match_some_sql in
 * store.h). RES_OK or RES_INTERNAL.
 */
static result text_filter(struct run *R)
{
    struct ctx *c = R->c;
    if (!R->ncands) return RES_OK;
    /* The distinct services as a JSON array, and a map from each to its score. */
    struct rmap m = {0};
    ds_rmap_init(c->a, &m, (size_t)R->ncands);
    buf ids;
    buf_init(&ids, c->a, (size_t)R->ncands * 8 + 2);
    buf_putc(&ids, '[');
    int distinct = 0;
    for (int i = 0; i < R->ncands; i++) {
        size_t j = ds_rmap_slot(&m, R->cands[i].rid);
        if (m.keys[j]) continue;
        m.keys[j] = R->cands[i].rid;
        m.vals[j] = -1;
        buf_printf(&ids, "%s%lld", distinct++ ? "," : "", R->cands[i].rid);
    }
    buf_putc(&ids, ']');
    double *scores = arena_alloc_raw(c->a, sizeof *scores * (size_t)distinct);
    int nscores = 0;
    /* Many candidates: one pass over every match beats a seek each. */
    bool stream = distinct > SEEK_MAX;
    store_stmt *st = store_prepare(c->db, stream ? R->ts->match_all_sql : R->ts->match_some_sql);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The search failed");
    if (stream)
        store_bindf(st, "t", R->fts);
    else
        store_bindf(st, "tt", R->fts, ids.data);
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        size_t j = ds_rmap_slot(&m, store_col_int(st, 0));
        if (!m.keys[j] || m.vals[j] >= 0 || nscores == distinct) continue;
        scores[nscores] = store_col_double(st, 1);
        m.vals[j] = nscores++;
    }
    store_done(st);
    if (rc != STORE_DONE) return ctx_store_failure(c, rc, "directory text search");
    int kept = 0;
    for (int i = 0; i < R->ncands; i++) {
        int v = m.vals[ds_rmap_slot(&m, R->cands[i].rid)];
        if (v < 0) continue;
        R->cands[i].rank = scores[v];
        R->cands[kept++] = R->cands[i];
    }
    R->ncands = kept;
    return RES_OK;
}

/* Orders candidates by name (case ignored), then id. */
static int by_name(const struct cand *x, const struct cand *y)
{
    int d = strcasecmp(x->name, y->name);
    if (d) return d;
    d = strcmp(x->id, y->id);
    if (d) return d;
    return x->sal_rid < y->sal_rid ? -1 : x->sal_rid > y->sal_rid;
}

static int cmp_name(const void *a, const void *b)
{
    return by_name(a, b);
}

/* Orders by relevance (lower scores first); ties by rid, which every plan
 * knows (names are read only for the page). */
static int cmp_rank(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    if (x->rid != y->rid) return x->rid < y->rid ? -1 : 1;
    return x->sal_rid < y->sal_rid ? -1 : x->sal_rid > y->sal_rid;
}

/* Orders by distance (unknown last), then relevance. */
static int cmp_dist(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    return cmp_rank(a, b);
}

/* Writes one column of the current row as a JSON member when it is set. */
static void loc_member(buf *b, store_stmt *st, int col, const char *name, bool number, bool *first)
{
    if (store_col_null(st, col)) return;
    if (!*first) buf_putc(b, ',');
    *first = false;
    jsonw_string(b, name);
    buf_putc(b, ':');
    if (number)
        buf_printf(b, "%.15g", store_col_double(st, col));
    else
        jsonw_string(b, store_col_text(st, col));
}

static result fetch_location(struct ctx *c, struct dsi *x, arena *a, const struct cand *k,
                             unsigned fetch, struct dir_hit *h);

/*
 * Does document's text, cut after len bytes, end a top-level member (or
 * the opening brace)? A scan of the cut part that follows strings and
 * nesting, so a comma inside a string or a nested object is not taken for
 * a member's end.
 */
static bool cut_ends_member(const char *document, size_t len)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char ch = document[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return depth == 1 && !in_string;
}

/*
 * A service's list summary, in a: the first len bytes of its document (the
 * one-to-one members and organization, dir_services.summary_len), closed.
 * NULL when len does not end a top-level member (never written so).
 */
static const char *summary_cut(arena *a, const char *document, long long len)
{
    size_t n = strlen(document);
    /* A cut ends where a top-level member does: before a "," or before
     * the document's own closing "}" (or just after "{" for an empty
     * summary); anything else is damage. */
    if (len < 1 || (size_t)len >= n || document[0] != '{') return NULL;
    if (len > 1 && document[len] != ',' && (size_t)len != n - 1) return NULL;
    if (!cut_ends_member(document, (size_t)len)) return NULL;
    char *s = arena_alloc_raw(a, (size_t)len + 2);
    memcpy(s, document, (size_t)len);
    memcpy(s + len, "}", 2);
    return s;
}

/*
 * Reads the texts of one hit into a (the page's arena or a scratch one):
 * the service's ids, names and the stored JSON asked for, and its service at
 * location when it has one. RES_OK, RES_NOT_FOUND (gone meanwhile),
 * RES_INTERNAL.
 */
static result fetch_hit(struct ctx *c, struct dsi *x, arena *a, const struct cand *k,
                        unsigned fetch, struct dir_hit *h)
{
    /* Public again here, whatever the candidate list said: what leaves
     * this function is open data. The summary is the document's start. */
#define PUBLIC_ROW " WHERE s.rid = $1 AND s.state = 'published' AND s.deleted_at IS NULL"
    static const char sql_named[] =
        "SELECT s.id, s.name, s.organization_id, o.name, s.document, s.summary_len FROM"
        " dir_services s LEFT JOIN dir_organizations o ON o.id = s.organization_id" PUBLIC_ROW;
    static const char sql_lean[] = "SELECT s.id, s.name, s.organization_id, NULL, s.document,"
                                   " s.summary_len FROM dir_services s" PUBLIC_ROW;
#undef PUBLIC_ROW
    memset(h, 0, sizeof *h);
    h->rid = k->rid;
    h->rank = k->rank;
    h->has_distance = isfinite(k->dist);
    h->distance_m = h->has_distance ? k->dist : 0;
    bool doc = fetch & DIR_FETCH_DOCUMENT, lean = fetch & DIR_FETCH_LEAN;
    /* Lean hits' texts are kept in memory between searches. */
    bool keep = x && lean && !doc;
    const struct dsi_text *t = keep ? dsi_text_get(x, DSI_SERVICE, k->rid) : NULL;
    if (t) {
        h->id = t->s[0];
        h->name = t->s[1];
        h->organization_id = t->s[2];
        if (fetch & DIR_FETCH_SUMMARY) h->summary = t->s[3];
        return fetch_location(c, x, a, k, fetch, h);
    }
    store_stmt *st = store_prepare(c->db, lean ? sql_lean : sql_named);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The search failed");
    store_bindf(st, "i", k->rid);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        h->id = arena_strdup(a, store_col_text(st, 0));
        h->name = arena_strdup(a, store_col_text(st, 1));
        h->organization_id = arena_strdup(a, store_col_text(st, 2));
        h->organization_name =
            store_col_null(st, 3) ? NULL : arena_strdup(a, store_col_text(st, 3));
        const char *document = store_col_text(st, 4), *summary = NULL;
        if ((fetch & DIR_FETCH_SUMMARY) || keep) {
            summary = summary_cut(a, document, store_col_int(st, 5));
            if (!summary) {
                store_done(st);
                return ctx_fail(c, RES_INTERNAL, "The stored service '%s' is damaged", h->id);
            }
        }
        if (fetch & DIR_FETCH_SUMMARY) h->summary = summary;
        if (doc) h->document = arena_strdup(a, document);
        if (keep)
            dsi_text_put(x, DSI_SERVICE, k->rid,
                         &(struct dsi_text){{h->id, h->name, h->organization_id, summary}});
    }
    store_done(st);
    if (rc == STORE_DONE) return RES_NOT_FOUND;
    if (rc != STORE_ROW) return ctx_store_failure(c, rc, "directory search hit");
    return fetch_location(c, x, a, k, fetch, h);
}

/*
 * Reads the hit's service_at_location (when it has one and it is wanted):
 * its ids, its location's name and, with DIR_FETCH_LOCATION, the
 * location's one-to-one members as JSON. RES_OK or RES_INTERNAL.
 */
static result fetch_location(struct ctx *c, struct dsi *x, arena *a, const struct cand *k,
                             unsigned fetch, struct dir_hit *h)
{
    /* The location's one-to-one members the UK profile keeps. */
    static const char sql_location[] =
        "SELECT sal.id, l.id, l.location_type, l.name, l.description, l.latitude, l.longitude,"
        " l.external_identifier, l.external_identifier_type FROM dir_service_at_locations sal"
        " JOIN dir_locations l ON l.id = sal.location_id WHERE sal.rid = $1";
    bool lean = fetch & DIR_FETCH_LEAN;
    if (!k->sal_rid || (lean && !(fetch & DIR_FETCH_LOCATION))) return RES_OK;
    const struct dsi_text *t = x ? dsi_text_get(x, DSI_LOCATION, k->sal_rid) : NULL;
    if (t && (t->s[3] || !(fetch & DIR_FETCH_LOCATION))) {
        h->sal_id = t->s[0];
        h->location_id = t->s[1];
        h->location_name = t->s[2];
        if (fetch & DIR_FETCH_LOCATION) h->location_json = t->s[3];
        return RES_OK;
    }
    store_stmt *st = store_prepare(c->db, sql_location);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The search failed");
    store_bindf(st, "i", k->sal_rid);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        h->sal_id = arena_strdup(a, store_col_text(st, 0));
        h->location_id = arena_strdup(a, store_col_text(st, 1));
        h->location_name = store_col_null(st, 3) ? NULL : arena_strdup(a, store_col_text(st, 3));
        if (fetch & DIR_FETCH_LOCATION) {
            static const char *const names[] = {"id",
                                                "location_type",
                                                "name",
                                                "description",
                                                "latitude",
                                                "longitude",
                                                "external_identifier",
                                                "external_identifier_type"};
            buf b;
            buf_init(&b, a, 512);
            buf_putc(&b, '{');
            bool first = true;
            for (int i = 0; i < 8; i++)
                loc_member(&b, st, i + 1, names[i], i == 4 || i == 5, &first);
            buf_putc(&b, '}');
            h->location_json = b.data;
        }
        if (x)
            dsi_text_put(x, DSI_LOCATION, k->sal_rid,
                         &(struct dsi_text){
                             {h->sal_id, h->location_id, h->location_name, h->location_json}});
    }
    store_done(st);
    if (rc != STORE_ROW && rc != STORE_DONE) return ctx_store_failure(c, rc, "directory search");
    return RES_OK;
}

/*
 * Prepares a run: locates the postcode, turns the text into the backend's
 * query and decides what drives the gathering. RES_OK, RES_INVALID (unknown
 * postcode), RES_INTERNAL.
 */
static result run_start(struct ctx *c, const struct dir_query *q, struct run *R,
                        struct dir_results *out)
{
    memset(R, 0, sizeof *R);
    memset(out, 0, sizeof *out);
    R->c = c;
    R->q = q;
    R->ts = store_backend_of(c->db)->text_search;
    if (q->search) {
        if (!R->ts) return ctx_fail(c, RES_INTERNAL, "This store cannot search text");
        R->fts = R->ts->query(c->a, q->search);
    }
    if (q->postcode) {
        bool approx = false;
        result res = postcode_locate(c, q->postcode, &R->lat, &R->lng, &approx);
        if (res == RES_NOT_FOUND || res == RES_INVALID) {
            ctx_field_error(c, "postcode", "We do not know where the postcode %s is", q->postcode);
            return RES_INVALID;
        }
        if (res != RES_OK) return res;
        char key[16], display[16];
        bool outcode;
        out->postcode = postcode_normalise(q->postcode, key, display, &outcode) == 0
                            ? arena_strdup(c->a, display)
                            : q->postcode;
        out->lat = R->lat;
        out->lng = R->lng;
        out->approximate = approx;
        R->located = true;
    }
    R->x = dsi_get(c);
    R->join_loc =
        q->unit == DIR_UNIT_SERVICE_AT_LOCATION || R->located || q->place_id || q->neighbourhood_id;
    bool narrow = (R->located && q->proximity_m > 0) || q->nterms || q->organization_id ||
                  q->place_id || q->neighbourhood_id;
    R->fts_drive = R->fts && !narrow;
    out->per_page = q->per_page > 0 ? q->per_page : DIR_PER_PAGE_DEFAULT;
    out->page = q->page > 0 ? q->page : 1;
    return RES_OK;
}

/* Fills the page arithmetic of out from its total. */
static void paging(struct dir_results *out)
{
    out->total_pages = out->total ? (out->total + out->per_page - 1) / out->per_page : 1;
}

/*
 * The plain listing (no text, no postcode, nothing to group): the store
 * counts and pages it in name order. RES_OK or RES_INTERNAL.
 */
/* Does the query ask for nothing but every public service? */
static bool unfiltered(const struct dir_query *q)
{
    return q->unit == DIR_UNIT_SERVICE && !q->search && !q->nterms && !q->taxonomy_id &&
           !q->organization_id && !q->has_minimum_age && !q->has_maximum_age && !q->start_time[0] &&
           !q->end_time[0] && !q->day[0] && !q->postcode && !q->modified_after && !q->place_id &&
           !q->neighbourhood_id && !q->free_only;
}

static result plain_listing(struct run *R, struct dir_query *q2, unsigned fetch,
                            struct dir_results *out)
{
    struct ctx *c = R->c;
    struct sqlb s = {0};
    int rc;
    store_stmt *st;
    /* Counting every public service would read every row (state has no
     * index); the in-memory index knows how many are not public. */
    out->total = R->x && unfiltered(R->q) ? dsi_public_count(c, R->x) : -1;
    if (out->total < 0) {
        buf_init(&s.sql, c->a, 1024);
        build_gather(R, &s, true, true);
        st = store_prepare(c->db, s.sql.data);
        if (!st || ds_bind_all(st, &s) != 0) {
            if (st) store_done(st);
            return ctx_fail(c, RES_INTERNAL, "The search failed");
        }
        rc = store_step(st);
        if (rc == STORE_ROW) out->total = store_col_int(st, 0);
        store_done(st);
        if (rc != STORE_ROW) return ctx_store_failure(c, rc, "directory count");
    }
    paging(out);
    if ((out->page - 1) * out->per_page >= out->total) return RES_OK;
    q2->page = out->page;
    q2->per_page = out->per_page;
    R->q = q2;
    memset(&s, 0, sizeof s);
    buf_init(&s.sql, c->a, 1024);
    build_gather(R, &s, true, false);
    st = store_prepare(c->db, s.sql.data);
    if (!st || ds_bind_all(st, &s) != 0) {
        if (st) store_done(st);
        return ctx_fail(c, RES_INTERNAL, "The search failed");
    }
    while ((rc = store_step(st)) == STORE_ROW) {
        struct cand *k = ds_cand_add(R);
        k->rid = store_col_int(st, 0);
        k->name = NULL;
        k->id = NULL;
        k->sal_rid = store_col_null(st, 3) ? 0 : store_col_int(st, 3);
        k->dist = INFINITY;
        k->rank = 0;
    }
    store_done(st);
    if (rc != STORE_DONE) return ctx_store_failure(c, rc, "directory listing");
    out->hits = arena_alloc(c->a, sizeof *out->hits * (size_t)(R->ncands ? R->ncands : 1));
    for (int i = 0; i < R->ncands; i++) {
        result res = fetch_hit(c, R->x, c->a, &R->cands[i], fetch, &out->hits[out->nhits]);
        if (res == RES_OK)
            out->nhits++;
        else if (res != RES_NOT_FOUND)
            return res;
    }
    return RES_OK;
}

/*
 * Gathers, filters by text and sorts every candidate of the query into
 * R->cands, and sets out->total and the page arithmetic.
 */
static result run_all(struct run *R, struct dir_results *out)
{
    /* Text with no letters or digits in it matches nothing. */
    bool done = R->q->search && !R->fts;
    result res = done ? RES_OK : ds_fast_gather(R, &done);
    if (res == RES_OK && !done) {
        res = gather(R);
        if (res == RES_OK && R->fts && !R->fts_drive) res = text_filter(R);
    }
    if (res != RES_OK) return res;
    int (*cmp)(const void *, const void *) = R->located ? cmp_dist : R->fts ? cmp_rank : cmp_name;
    if (R->ncands > 1) qsort(R->cands, (size_t)R->ncands, sizeof *R->cands, cmp);
    out->total = R->ncands;
    paging(out);
    return RES_OK;
}

result dir_search(struct ctx *c, const struct dir_query *q, unsigned fetch, struct dir_results *out)
{
    struct run R;
    struct dir_query q2 = *q;
    if (q->all) {
        q2.page = 1;
        q2.per_page = 1;
    }
    result res = run_start(c, &q2, &R, out);
    if (res != RES_OK) return res;
    if (!q->search && !R.located && !(q->unit == DIR_UNIT_SERVICE && R.join_loc) && !q->all)
        return plain_listing(&R, &q2, fetch, out);
    res = run_all(&R, out);
    if (res != RES_OK) return res;
    long long from = q->all ? 0 : (out->page - 1) * out->per_page; /* page is capped */
    long long to = q->all ? out->total : from + out->per_page;
    if (from < 0) from = to = 0;
    if (q->all) {
        out->per_page = out->total ? out->total : 1;
        out->total_pages = 1;
    }
    if (to > out->total) to = out->total;
    int n = from < to ? (int)(to - from) : 0;
    out->hits = arena_alloc(c->a, sizeof *out->hits * (size_t)(n ? n : 1));
    for (long long i = from; i < to; i++) {
        res = fetch_hit(c, R.x, c->a, &R.cands[i], fetch, &out->hits[out->nhits]);
        if (res == RES_OK)
            out->nhits++;
        else if (res != RES_NOT_FOUND)
            return res;
    }
    return RES_OK;
}

result dir_search_each(struct ctx *c, const struct dir_query *q, unsigned fetch, long long max,
                       int (*fn)(void *ud, const struct dir_hit *h), void *ud,
                       struct dir_results *out)
{
    struct run R;
    struct dir_query q2 = *q;
    q2.all = true;
    result res = run_start(c, &q2, &R, out);
    if (res != RES_OK) return res;
    res = run_all(&R, out);
    if (res != RES_OK) return res;
    out->per_page = out->total ? out->total : 1;
    out->total_pages = 1;
    if (max > 0 && out->total > max)
        return ctx_fail(c, RES_CONFLICT, "%lld services match, more than %lld", out->total, max);
    /* Each hit's texts live in a scratch arena emptied before the next. */
    arena *scratch = arena_new(1 << 16);
    for (int i = 0; i < R.ncands && res == RES_OK; i++) {
        arena_reset(scratch);
        struct dir_hit h;
        result r1 = fetch_hit(c, R.x, scratch, &R.cands[i], fetch, &h);
        if (r1 == RES_NOT_FOUND) continue;
        if (r1 != RES_OK)
            res = r1;
        else if (fn(ud, &h) != 0)
            break;
    }
    arena_free(scratch);
    return res;
}
