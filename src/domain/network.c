/*
 * network.c: the network of organisations on a date, its measures, and
 * synthetic networks for benchmarks (chis gen network).
 *
 * The graph is read from the store into compact arrays: organisations in id
 * order are vertices 0..n-1, and each distinct tie appears once in a sorted
 * list and twice in the adjacency (compressed sparse rows: the neighbours of
 * v are adj[off[v]] .. adj[off[v + 1] - 1], in ascending order).
 *
 * Betweenness is Brandes' algorithm (2001): one breadth-first search per
 * source counting shortest paths (sigma), then dependencies accumulated in
 * reverse order of distance. A plain version took 105 ms for 1,000
 * organisations with 5,000 ties and 3.8 s for 5,000 with 50,000 on the
 * 2-core machine this was written on; three things make this one about
 * eight times faster:
 *
 *  - Each search switches direction by level (Beamer, Asanovic and
 *    Patterson 2012): while the frontier is small it scans the frontier's
 *    neighbours; once the frontier's ties outnumber those of the vertices
 *    not yet reached, it scans those vertices instead, looking for parents
 *    in the frontier. Every parent must be found to count the paths, but
 *    the search stops as soon as the source's component is all reached, so
 *    the large last levels are scanned once from below instead of in full
 *    from above: a quarter to a half of the ties scanned per source.
 *  - The scans do not branch on what they find (a new vertex, another path
 *    to one, or neither), which a processor cannot predict: they always
 *    write and advance the counts by the comparison's 0 or 1. The edges of
 *    the shortest-path DAG are kept as they are found, grouped by level, so
 *    the path counts and the dependencies are then sums over that list in
 *    sequence, without testing distances again.
 *  - Sources are shared between threads in chunks taken from an atomic
 *    counter, so that a thread slowed by other work on the machine takes
 *    fewer. Each thread has its own scratch arrays (allocated once, not per
 *    source) and its own sums, added up at the end: no locks and no shared
 *    writes. (The order of the additions varies, so results may differ in
 *    the last bits between runs; the API rounds them to six decimals.)
 *
 * bench/network.sh measures it; the lead records the figures in
 * docs/performance.md.
 */
#include "domain/network.h"

#include "base/text.h"
#include "domain/leadership.h"
#include "domain/structure.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NSECTORS 4  /* organisation_sectors; an unknown sector counts as its own */
#define BC_CHUNK 16 /* consecutive sources handed to one thread */
#define BC_MAX_THREADS 8
#define BC_THREAD_WORK 200000LL /* below this many vertex-ties, one thread is quicker */

/* Milliseconds on a monotonic clock, for the timings reported with a network. */
static double clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/*
 * Make room for element n of an array of *cap elements of size bytes,
 * doubling it in arena a when full. Returns the (possibly moved) array,
 * owned by the arena.
 */
static void *grow(arena *a, void *p, int *cap, int n, size_t size)
{
    if (n < *cap) return p;
    int ncap = *cap ? *cap * 2 : 64;
    void *q = arena_alloc_raw(a, (size_t)ncap * size);
    if (n) memcpy(q, p, (size_t)n * size);
    *cap = ncap;
    return q;
}

/* ---- betweenness ---- */

/* The connected components of a graph: members of k are nodes[off[k] .. off[k + 1]). */
struct components {
    int count;
    int *of;  /* component of each vertex */
    int *off; /* count + 1 */
    int *nodes;
    long long *degree; /* sum of the members' degrees */
};

/* Ascending ints, for qsort. */
static int int_cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/*
 * Find the connected components of the graph (every vertex in exactly one,
 * isolated vertices alone), numbered in order of their smallest vertex, each
 * member list ascending. Everything is allocated in arena a.
 */
static void find_components(arena *a, int n, const int *off, const int *adj, struct components *out)
{
    out->of = arena_alloc_raw(a, sizeof(int) * (size_t)(n ? n : 1));
    out->off = arena_alloc_raw(a, sizeof(int) * (size_t)(n + 1));
    out->nodes = arena_alloc_raw(a, sizeof(int) * (size_t)(n ? n : 1));
    out->degree = arena_alloc_raw(a, sizeof(long long) * (size_t)(n ? n : 1));
    for (int v = 0; v < n; v++)
        out->of[v] = -1;
    int k = 0, tail = 0;
    for (int s = 0; s < n; s++) {
        if (out->of[s] >= 0) continue;
        int head = tail;
        out->off[k] = head;
        out->of[s] = k;
        out->nodes[tail++] = s;
        long long deg = 0;
        for (int i = head; i < tail; i++) {
            int v = out->nodes[i];
            deg += off[v + 1] - off[v];
            for (int e = off[v]; e < off[v + 1]; e++) {
                int w = adj[e];
                if (out->of[w] < 0) {
                    out->of[w] = k;
                    out->nodes[tail++] = w;
                }
            }
        }
        out->degree[k] = deg;
        /* Members in ascending order (vertex order is id order). */
        int size = tail - head;
        if (size > 1) qsort(out->nodes + head, (size_t)size, sizeof(int), int_cmp);
        k++;
    }
    out->off[k] = tail;
    out->count = k;
}

/* An edge of a shortest-path DAG: from a vertex at one distance to one at the next. */
struct bc_pair {
    int from, to;
};

/* The sources, in chunks of BC_CHUNK, handed out to whichever thread asks next. */
struct bc_chunks {
    atomic_int next;
    int count;
};

/* What one thread reads (shared, read-only) and owns (its scratch and sums). */
struct bc_work {
    int n;
    const int *off, *adj;
    const struct components *comp;
    struct bc_chunks *chunks; /* shared: the next chunk of sources to take */
    int *dist, *queue, *unvisited, *level, *segment;
    double *sigma, *val, *sum;
    struct bc_pair *pairs;
};

/*
 * One source's share of every vertex's betweenness (Brandes), added to
 * w->sum; see the file comment for the search that switches direction.
 * Leaves dist at -1 and sigma and val at 0 for the next source.
 */
static void bc_source(struct bc_work *w, int s)
{
    const int *restrict off = w->off, *restrict adj = w->adj;
    int *restrict dist = w->dist, *restrict q = w->queue, *restrict unv = w->unvisited;
    int *restrict level = w->level, *restrict segment = w->segment;
    double *restrict sigma = w->sigma, *restrict val = w->val, *restrict sum = w->sum;
    struct bc_pair *restrict pairs = w->pairs;
    int k = w->comp->of[s];
    const int *members = w->comp->nodes + w->comp->off[k];
    int nmembers = w->comp->off[k + 1] - w->comp->off[k];

    long long undeg = w->comp->degree[k] - (off[s + 1] - off[s]); /* ties of the unreached */
    long long fdeg = off[s + 1] - off[s];                         /* ties of the frontier */
    int unreached = nmembers - 1, nunv = -1; /* -1: the unvisited list is not built yet */
    dist[s] = 0;
    sigma[s] = 1.0;
    q[0] = s;
    int qt = 1, np = 0, d = 0;
    level[0] = 0;
    level[1] = 1;
    for (;;) {
        segment[d] = np;
        int fs = level[d], fe = level[d + 1];
        if (fs == fe || unreached == 0) break;
        int next = d + 1;
        if (3 * fdeg <= 2 * undeg) { /* top-down: the frontier's neighbours */
            for (int i = fs; i < fe; i++) {
                int v = q[i];
                for (int e = off[v], end = off[v + 1]; e < end; e++) {
                    int x = adj[e];
                    int dx = dist[x];
                    int fresh = dx < 0;
                    dist[x] = fresh ? next : dx;
                    q[qt] = x;
                    qt += fresh;
                    pairs[np] = (struct bc_pair){v, x};
                    np += fresh | (dx == next);
                }
            }
        } else { /* bottom-up: every unreached vertex looks for parents in the frontier */
            const int *src = nunv < 0 ? members : unv;
            int lim = nunv < 0 ? nmembers : nunv, kept = 0;
            for (int i = 0; i < lim; i++) {
                int x = src[i];
                if (dist[x] >= 0) continue;
                int np0 = np;
                for (int e = off[x], end = off[x + 1]; e < end; e++) {
                    int v = adj[e];
                    pairs[np] = (struct bc_pair){v, x}; /* kept only when v is a parent */
                    np += dist[v] == d;
                }
                int found = np > np0;
                q[qt] = x;
                qt += found;
                unv[kept] = x; /* kept <= i: compacting in place is safe */
                kept += !found;
            }
            nunv = kept;
            for (int i = fe; i < qt; i++)
                dist[q[i]] = next;
        }
        /* The paths to the new level, from its parents (sigma starts at 0). */
        for (int e = segment[d]; e < np; e++)
            sigma[pairs[e].to] += sigma[pairs[e].from];
        long long ndeg = 0;
        for (int i = fe; i < qt; i++)
            ndeg += off[q[i] + 1] - off[q[i]];
        unreached -= qt - fe;
        undeg -= ndeg;
        fdeg = ndeg;
        d = next;
        level[d + 1] = qt;
    }
    int maxd = level[d + 1] > level[d] ? d : d - 1;
    /* val[x] gathers sum((1 + delta[y]) / sigma[y]) over x's DAG children y;
     * once x's level is done it holds x's own (1 + delta[x]) / sigma[x]. */
    for (int dd = maxd; dd >= 1; dd--) {
        for (int i = level[dd]; i < level[dd + 1]; i++) {
            int x = q[i];
            double delta = sigma[x] * val[x];
            sum[x] += delta;
            val[x] = (1.0 + delta) / sigma[x];
        }
        for (int e = segment[dd - 1]; e < segment[dd]; e++)
            val[pairs[e].from] += val[pairs[e].to];
    }
    for (int i = 0; i < qt; i++) {
        dist[q[i]] = -1;
        sigma[q[i]] = 0.0;
        val[q[i]] = 0.0;
    }
}

/*
 * A thread's loop: take the next chunk of sources until none are left, and
 * search from each (vertices in components of three or more).
 */
static void *bc_run(void *p)
{
    struct bc_work *w = p;
    for (;;) {
        int chunk = atomic_fetch_add_explicit(&w->chunks->next, 1, memory_order_relaxed);
        if (chunk >= w->chunks->count) return NULL;
        int end = (chunk + 1) * BC_CHUNK < w->n ? (chunk + 1) * BC_CHUNK : w->n;
        for (int s = chunk * BC_CHUNK; s < end; s++) {
            int k = w->comp->of[s];
            if (w->comp->off[k + 1] - w->comp->off[k] >= 3) bc_source(w, s);
        }
    }
}

/* How many threads to use for this graph: 1 for small work, else the cores (at most 8). */
static int bc_threads(const struct components *comp)
{
    long long work = 0;
    for (int k = 0; k < comp->count; k++)
        work += (long long)(comp->off[k + 1] - comp->off[k]) * (comp->degree[k] + 1);
    if (work < BC_THREAD_WORK) return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > BC_MAX_THREADS ? BC_MAX_THREADS : (int)cpus;
}

/*
 * Betweenness over the graph with its components already found; see
 * network_betweenness(). Scratch comes from arena a, allocated here before
 * any thread starts, so the threads never touch the arena.
 */
static void betweenness(arena *a, int n, const int *off, const int *adj,
                        const struct components *comp, int threads, double *out)
{
    for (int v = 0; v < n; v++)
        out[v] = 0.0;
    if (n < 3) return;
    if (threads <= 0) threads = bc_threads(comp);
    if (threads > BC_MAX_THREADS) threads = BC_MAX_THREADS;
    struct bc_chunks chunks = {.count = (n + BC_CHUNK - 1) / BC_CHUNK};
    atomic_init(&chunks.next, 0);
    if (threads > chunks.count) threads = chunks.count;
    size_t nn = (size_t)n;
    size_t npairs = (size_t)off[n] / 2 + 1; /* a DAG holds each tie at most once, +1 spare */
    struct bc_work w[BC_MAX_THREADS];
    for (int t = 0; t < threads; t++) {
        w[t] = (struct bc_work){
            .n = n,
            .off = off,
            .adj = adj,
            .comp = comp,
            .chunks = &chunks,
            .dist = arena_alloc_raw(a, sizeof(int) * nn),
            .queue = arena_alloc_raw(a, sizeof(int) * (nn + 1)), /* +1: written before counted */
            .unvisited = arena_alloc_raw(a, sizeof(int) * nn),
            .level = arena_alloc_raw(a, sizeof(int) * (nn + 2)),
            .segment = arena_alloc_raw(a, sizeof(int) * (nn + 2)),
            .sigma = arena_alloc(a, sizeof(double) * nn), /* zeroed: read before set */
            .val = arena_alloc(a, sizeof(double) * nn),
            .sum = out, /* thread 0 sums straight into out */
            .pairs = arena_alloc_raw(a, sizeof(struct bc_pair) * npairs),
        };
        if (t > 0) w[t].sum = arena_alloc(a, sizeof(double) * nn);
        for (int v = 0; v < n; v++)
            w[t].dist[v] = -1;
    }
    pthread_t tid[BC_MAX_THREADS];
    bool started[BC_MAX_THREADS] = {false};
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, bc_run, &w[t]) == 0;
    bc_run(&w[0]); /* a thread that could not be started leaves its share to the others */
    for (int t = 1; t < threads; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    for (int t = 1; t < threads; t++)
        for (int v = 0; v < n; v++)
            out[v] += w[t].sum[v];
    /* Each pair of vertices was counted from both ends. */
    for (int v = 0; v < n; v++)
        out[v] /= 2.0;
}

/* See network.h: the components are found here first. */
void network_betweenness(arena *a, int n, const int *off, const int *adj, int threads, double *out)
{
    struct components comp;
    find_components(a, n, off, adj, &comp);
    betweenness(a, n, off, adj, &comp, threads, out);
}

/* ---- reading the graph ---- */

/* The organisations for the whole system, or for a place on a date ($1 place, $2 date). */
static const char *const ORGS_SQL = "SELECT id, name, sector FROM organisations ORDER BY id";
static const char *const ORGS_IN_PLACE_SQL =
    "SELECT id, name, sector FROM organisations WHERE id IN ("
    " SELECT organisation_id FROM organisation_places WHERE place_id = $1"
    " UNION SELECT from_organisation_id FROM connections WHERE place_id = $1"
    "  AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)"
    " UNION SELECT to_organisation_id FROM connections WHERE place_id = $1"
    "  AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)"
    ") ORDER BY id";

/* Connections active on a date ($1), for the whole system or for a place ($2). */
static const char *const TIES_SQL =
    "SELECT from_organisation_id, to_organisation_id FROM connections"
    " WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $1)";
static const char *const TIES_IN_PLACE_SQL =
    "SELECT from_organisation_id, to_organisation_id FROM connections"
    " WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $1)"
    " AND (place_id = $2"
    "  OR (from_organisation_id IN"
    "       (SELECT organisation_id FROM organisation_places WHERE place_id = $2)"
    "   AND to_organisation_id IN"
    "       (SELECT organisation_id FROM organisation_places WHERE place_id = $2)))";

/* The sector's index in organisation_sectors, NSECTORS when unknown. */
static int sector_index(const char *s)
{
    for (int i = 0; i < NSECTORS && organisation_sectors[i]; i++)
        if (s && strcmp(s, organisation_sectors[i]) == 0) return i;
    return NSECTORS;
}

/* The vertex of organisation id (orgs ascending by id), or -1. */
static int vertex_of(const struct network_org *orgs, int n, long long id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (orgs[mid].id == id) return mid;
        if (orgs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Read the organisations (vertices) into out->orgs and their sectors into *sector. */
static result load_orgs(struct ctx *c, struct network *out, unsigned char **sector)
{
    store_stmt *st = store_prepare(c->db, out->place_id ? ORGS_IN_PLACE_SQL : ORGS_SQL);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "network organisations");
    if (out->place_id) store_bindf(st, "it", out->place_id, out->at);
    int cap = 0, n = 0, s;
    struct network_org *o = NULL;
    while ((s = store_step(st)) == STORE_ROW) {
        o = grow(c->a, o, &cap, n, sizeof *o);
        const char *sec = store_col_text(st, 2);
        int si = sector_index(sec);
        o[n++] = (struct network_org){
            .id = store_col_int(st, 0),
            .name = arena_strdup(c->a, store_col_text(st, 1)),
            .sector = si < NSECTORS ? organisation_sectors[si] : arena_strdup(c->a, sec),
        };
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "network organisations");
    out->orgs = o;
    out->norgs = n;
    *sector = arena_alloc_raw(c->a, (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        (*sector)[i] = (unsigned char)sector_index(o[i].sector);
    return RES_OK;
}

/* Ascending 64-bit keys, for qsort. */
static int key_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/*
 * Read the active connections and keep each distinct tie once, as
 * out->ties (ascending); connections to organisations outside the graph
 * (added since it was read) are left out.
 */
static result load_ties(struct ctx *c, struct network *out)
{
    store_stmt *st = store_prepare(c->db, out->place_id ? TIES_IN_PLACE_SQL : TIES_SQL);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "network ties");
    if (out->place_id)
        store_bindf(st, "ti", out->at, out->place_id);
    else
        store_bindf(st, "t", out->at);
    int cap = 0, n = 0, s;
    uint64_t *keys = NULL;
    while ((s = store_step(st)) == STORE_ROW) {
        int a = vertex_of(out->orgs, out->norgs, store_col_int(st, 0));
        int b = vertex_of(out->orgs, out->norgs, store_col_int(st, 1));
        if (a < 0 || b < 0 || a == b) continue;
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        keys = grow(c->a, keys, &cap, n, sizeof *keys);
        keys[n++] = (uint64_t)a << 32 | (uint32_t)b;
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "network ties");
    if (n > 1) qsort(keys, (size_t)n, sizeof *keys, key_cmp);
    out->ties = arena_alloc_raw(c->a, sizeof *out->ties * (size_t)(n ? n : 1));
    int u = 0;
    for (int i = 0; i < n; i++) {
        if (i && keys[i] == keys[i - 1]) continue;
        out->ties[u++] = (struct network_tie){(int)(keys[i] >> 32), (int)(keys[i] & 0xffffffffu)};
    }
    out->nties = u;
    return RES_OK;
}

/*
 * The adjacency of the ties in compressed rows (*off: n + 1 entries; *adj:
 * 2 per tie). Because the ties are sorted, every row comes out ascending.
 */
static void build_adjacency(arena *a, const struct network *net, int **off_out, int **adj_out)
{
    int n = net->norgs;
    int *off = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *adj = arena_alloc_raw(a, sizeof(int) * (size_t)(2 * net->nties + 1));
    int *pos = arena_alloc_raw(a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < net->nties; i++) {
        off[net->ties[i].a + 1]++;
        off[net->ties[i].b + 1]++;
    }
    for (int v = 0; v < n; v++)
        off[v + 1] += off[v];
    memcpy(pos, off, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < net->nties; i++) {
        adj[pos[net->ties[i].a]++] = net->ties[i].b;
        adj[pos[net->ties[i].b]++] = net->ties[i].a;
    }
    *off_out = off;
    *adj_out = adj;
}

/*
 * Read the places (all, or the one asked for: RES_NOT_FOUND when it does
 * not exist) and work out each one's density and cross-sector share from
 * the organisations serving it.
 */
static result place_measures(struct ctx *c, struct network *net, const unsigned char *sector,
                             const int *off, const int *adj)
{
    store_stmt *st = net->place_id
                         ? store_prepare(c->db, "SELECT id, name FROM places WHERE id = $1")
                         : store_prepare(c->db, "SELECT id, name FROM places ORDER BY id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "network places");
    if (net->place_id) store_bind_int(st, 1, net->place_id);
    int cap = 0, n = 0, s;
    struct network_place *p = NULL;
    while ((s = store_step(st)) == STORE_ROW) {
        p = grow(c->a, p, &cap, n, sizeof *p);
        p[n++] = (struct network_place){.place_id = store_col_int(st, 0),
                                        .name = arena_strdup(c->a, store_col_text(st, 1))};
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "network places");
    net->places = p;
    net->nplaces = n;
    if (net->place_id && n == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no place with id %lld", net->place_id);

    st = net->place_id ? store_prepare(c->db, "SELECT place_id, organisation_id FROM"
                                              " organisation_places WHERE place_id = $1")
                       : store_prepare(c->db, "SELECT place_id, organisation_id FROM"
                                              " organisation_places ORDER BY place_id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "network places served");
    if (net->place_id) store_bind_int(st, 1, net->place_id);
    /* Each place's serving organisations are marked with the place's number
     * (1-based), then its ties counted from the marked ends. */
    int *mark = arena_alloc(c->a, sizeof(int) * (size_t)(net->norgs ? net->norgs : 1));
    int *members = arena_alloc_raw(c->a, sizeof(int) * (size_t)(net->norgs ? net->norgs : 1));
    int nm = 0, cur = -1;
    for (;;) {
        s = store_step(st);
        int pi = -1, v = -1;
        if (s == STORE_ROW) {
            long long pid = store_col_int(st, 0);
            v = vertex_of(net->orgs, net->norgs, store_col_int(st, 1));
            for (pi = cur >= 0 && p[cur].place_id == pid ? cur : 0; pi < n; pi++)
                if (p[pi].place_id == pid) break;
            if (pi == n) pi = -1; /* a place added since they were read */
        }
        if (s != STORE_ROW || pi != cur) {
            if (cur >= 0) { /* finish the place being gathered */
                struct network_place *pl = &p[cur];
                pl->organisations = nm;
                for (int i = 0; i < nm; i++) {
                    int u = members[i];
                    for (int e = off[u]; e < off[u + 1]; e++) {
                        int w = adj[e];
                        if (w <= u || mark[w] != cur + 1) continue;
                        pl->ties++;
                        pl->cross_sector_ties += sector[u] != sector[w];
                    }
                }
                if (nm >= 2) pl->density = 2.0 * pl->ties / ((double)nm * (nm - 1));
                if (pl->ties) pl->cross_sector_share = (double)pl->cross_sector_ties / pl->ties;
            }
            cur = pi;
            nm = 0;
        }
        if (s != STORE_ROW) break;
        if (pi >= 0 && v >= 0 && mark[v] != pi + 1 && nm < net->norgs) {
            mark[v] = pi + 1;
            members[nm++] = v;
        }
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "network places served");
    return RES_OK;
}

/* See network.h: anyone signed in, and the operator at the console. */
result network_read_access(struct ctx *c)
{
    if (!c->actor && !c->by_operator) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    return RES_OK;
}

/*
 * See network.h. Reads the graph, then measures it: degrees and
 * cross-sector ties, betweenness, components and isolated organisations,
 * and the places' density and cross-sector share. Everything in out belongs
 * to the ctx arena.
 */
/* Set once (pthread_once) and only counted afterwards: the gate on concurrent computations. */
static pthread_once_t compute_once = PTHREAD_ONCE_INIT;
static sem_t compute_gate;

static void compute_gate_init(void)
{
    sem_init(&compute_gate, 0, 1);
}

result network_analyse(struct ctx *c, long long place_id, const char *at, struct network *out)
{
    memset(out, 0, sizeof *out);
    result res = network_read_access(c);
    if (res != RES_OK) return res;
    if (at && *at && !text_date_valid(at))
        ctx_field_error(c, "at", "Enter the date as a real date, like 2026-11-26");
    if (place_id < 0) ctx_field_error(c, "place_id", "The place must be a place's number");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "The date or place is not right.");
    memcpy(out->at, at && *at ? at : c->now_iso, 10);
    out->at[10] = '\0';
    out->place_id = place_id;

    double t0 = clock_ms();
    if (place_id) { /* an unknown place is a 404 before anything else is read */
        long long one = 0;
        int rc = store_query_int(c->db, &one, "SELECT 1 FROM places WHERE id = $1", "i", place_id);
        if (rc < 0) return ctx_store_failure(c, rc, "network place");
        if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no place with id %lld", place_id);
    }
    unsigned char *sector = NULL;
    if ((res = load_orgs(c, out, &sector)) != RES_OK) return res;
    if ((res = load_ties(c, out)) != RES_OK) return res;
    double t1 = clock_ms();

    int n = out->norgs, *off, *adj;
    build_adjacency(c->a, out, &off, &adj);
    for (int v = 0; v < n; v++) {
        out->orgs[v].degree = off[v + 1] - off[v];
        for (int e = off[v]; e < off[v + 1]; e++)
            out->orgs[v].cross_sector_ties += sector[v] != sector[adj[e]];
    }
    struct components comp;
    find_components(c->a, n, off, adj, &comp);
    double *bc = arena_alloc_raw(c->a, sizeof(double) * (size_t)(n ? n : 1));
    /* Betweenness uses every core for up to a second on a national-sized
     * network: one at a time, so a stream of uncached requests (a new date
     * each) queues here instead of starving every other request. */
    pthread_once(&compute_once, compute_gate_init);
    while (sem_wait(&compute_gate) != 0) {
    }
    betweenness(c->a, n, off, adj, &comp, 0, bc);
    sem_post(&compute_gate);
    for (int v = 0; v < n; v++)
        out->orgs[v].betweenness = bc[v];

    out->components = arena_alloc(c->a, sizeof *out->components * (size_t)(comp.count + 1));
    out->isolated = arena_alloc(c->a, sizeof *out->isolated * (size_t)(n ? n : 1));
    for (int k = 0; k < comp.count; k++) {
        int size = comp.off[k + 1] - comp.off[k];
        const int *m = comp.nodes + comp.off[k];
        if (size == 1) {
            out->isolated[out->nisolated++] = out->orgs[m[0]].id;
            continue;
        }
        long long *ids = arena_alloc_raw(c->a, sizeof *ids * (size_t)size);
        for (int i = 0; i < size; i++)
            ids[i] = out->orgs[m[i]].id;
        out->components[out->ncomponents++] = (struct network_component){ids, size};
    }
    double t2 = clock_ms();
    if ((res = place_measures(c, out, sector, off, adj)) != RES_OK) return res;
    double t3 = clock_ms();
    out->load_ms = (t1 - t0) + (t3 - t2);
    out->measure_ms = t2 - t1;
    return RES_OK;
}
