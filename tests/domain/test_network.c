/*
 * test_network.c: the network measures on small graphs worked out by hand,
 * the date and place rules, input checks, the fast betweenness against a
 * plain textbook Brandes on random graphs, and the generator.
 */
#include "unit.h"

#include "domain/leadership.h"
#include "domain/network.h"
#include "domain/structure.h"

#include <math.h>

/* ---- building records ---- */

static long long make(struct fx *f, const struct entity *e, rec *r)
{
    rec *out = NULL;
    result res = entity_create(&f->c, e, r, &out);
    if (res != RES_OK)
        fail_msg("create %s: %s (%s)", e->name, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

static long long place(struct fx *f, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    return make(f, &entity_places, r);
}

/* An organisation in sector serving place p (0: none). */
static long long org(struct fx *f, const char *name, const char *sector, long long p)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "sector", sector);
    rec_set_ids(r, "place_ids", &p, p ? 1 : 0);
    return make(f, &entity_organisations, r);
}

/* A connection from a to b, active from start until end (NULL: still), for place p (0: none). */
static long long tie_full(struct fx *f, long long a, long long b, const char *start,
                          const char *end, long long p)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "from_organisation_id", a);
    rec_set_int(r, "to_organisation_id", b);
    rec_set_text(r, "kind", "mou");
    rec_set_text(r, "start_date", start);
    if (end) rec_set_text(r, "end_date", end);
    if (p) rec_set_int(r, "place_id", p);
    return make(f, &entity_connections, r);
}

static long long tie(struct fx *f, long long a, long long b)
{
    return tie_full(f, a, b, "2025-01-01", NULL, 0);
}

/* The analysed organisation with this id (fails the test when absent). */
static const struct network_org *find(const struct network *net, long long id)
{
    for (int i = 0; i < net->norgs; i++)
        if (net->orgs[i].id == id) return &net->orgs[i];
    fail_msg("organisation %lld is not in the network", id);
    return NULL;
}

static void analyse(struct fx *f, long long place_id, const char *at, struct network *net)
{
    result res = network_analyse(&f->c, place_id, at, net);
    if (res != RES_OK) fail_msg("analyse: %d %s", res, f->c.detail ? f->c.detail : "");
}

#define assert_close(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* ---- hand-computed graphs ---- */

static void a_path_puts_the_middle_on_every_route(void **state)
{
    struct fx *f = *state;
    long long a = org(f, "A", "vcse", 0), b = org(f, "B", "vcse", 0);
    long long c = org(f, "C", "vcse", 0), d = org(f, "D", "vcse", 0);
    tie(f, a, b);
    tie(f, c, b); /* recorded the other way round: ties are undirected */
    tie(f, c, d);
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_string_equal(net.at, "2026-11-26"); /* today by the fixture's clock */
    assert_int_equal(net.norgs, 4);
    assert_int_equal(net.nties, 3);
    assert_close(find(&net, a)->betweenness, 0.0);
    assert_close(find(&net, b)->betweenness, 2.0); /* a-c, a-d */
    assert_close(find(&net, c)->betweenness, 2.0); /* a-d, b-d */
    assert_close(find(&net, d)->betweenness, 0.0);
    assert_int_equal(find(&net, a)->degree, 1);
    assert_int_equal(find(&net, b)->degree, 2);
    assert_int_equal(find(&net, c)->degree, 2);
    assert_int_equal(find(&net, d)->degree, 1);
    assert_int_equal(find(&net, b)->cross_sector_ties, 0);
    assert_int_equal(net.ncomponents, 1);
    assert_int_equal(net.components[0].n, 4);
    long long want[] = {a, b, c, d};
    assert_memory_equal(net.components[0].ids, want, sizeof want);
    assert_int_equal(net.nisolated, 0);
    for (int i = 1; i < net.norgs; i++)
        assert_true(net.orgs[i - 1].id < net.orgs[i].id);
}

static void a_star_centre_joins_every_pair_of_leaves(void **state)
{
    struct fx *f = *state;
    long long x = org(f, "Centre", "nhs", 0), leaf[4];
    for (int i = 0; i < 4; i++) {
        leaf[i] = org(f, (const char *[]){"L1", "L2", "L3", "L4"}[i], "vcse", 0);
        tie(f, x, leaf[i]);
    }
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_close(find(&net, x)->betweenness, 6.0); /* C(4,2) pairs of leaves */
    assert_int_equal(find(&net, x)->degree, 4);
    assert_int_equal(find(&net, x)->cross_sector_ties, 4);
    for (int i = 0; i < 4; i++) {
        assert_close(find(&net, leaf[i])->betweenness, 0.0);
        assert_int_equal(find(&net, leaf[i])->degree, 1);
        assert_int_equal(find(&net, leaf[i])->cross_sector_ties, 1);
    }
}

static void separate_groups_and_organisations_on_their_own(void **state)
{
    struct fx *f = *state;
    long long lone = org(f, "Lone", "other", 0); /* the smallest id, yet no group */
    long long a = org(f, "A", "vcse", 0), b = org(f, "B", "vcse", 0);
    long long c = org(f, "C", "vcse", 0), d = org(f, "D", "vcse", 0), e = org(f, "E", "vcse", 0);
    tie(f, d, e);
    tie(f, c, d);
    tie(f, b, a);
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_int_equal(net.ncomponents, 2);
    assert_int_equal(net.components[0].n, 2);
    assert_true(net.components[0].ids[0] == a && net.components[0].ids[1] == b);
    assert_int_equal(net.components[1].n, 3);
    long long want[] = {c, d, e};
    assert_memory_equal(net.components[1].ids, want, sizeof want);
    assert_int_equal(net.nisolated, 1);
    assert_true(net.isolated[0] == lone);
    assert_int_equal(find(&net, lone)->degree, 0);
    assert_close(find(&net, d)->betweenness, 1.0);
    assert_close(find(&net, a)->betweenness, 0.0);
    assert_close(find(&net, c)->betweenness, 0.0);
}

static void a_triangle_counts_ties_across_sectors(void **state)
{
    struct fx *f = *state;
    long long n = org(f, "Trust", "nhs", 0), v1 = org(f, "Choir", "vcse", 0);
    long long v2 = org(f, "Garden", "vcse", 0);
    tie(f, n, v1);
    tie(f, v1, v2);
    tie(f, v2, n);
    tie(f, v2, n); /* a second connection between the same pair is the same tie */
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_int_equal(net.nties, 3);
    assert_int_equal(find(&net, n)->degree, 2);
    assert_int_equal(find(&net, n)->cross_sector_ties, 2);
    assert_int_equal(find(&net, v1)->cross_sector_ties, 1);
    assert_int_equal(find(&net, v2)->cross_sector_ties, 1);
    assert_int_equal(find(&net, v2)->degree, 2);
    for (int i = 0; i < net.norgs; i++)
        assert_close(net.orgs[i].betweenness, 0.0);
}

static void only_connections_active_on_the_day_count(void **state)
{
    struct fx *f = *state;
    long long a = org(f, "A", "vcse", 0), b = org(f, "B", "vcse", 0);
    long long c = org(f, "C", "vcse", 0), d = org(f, "D", "vcse", 0);
    tie_full(f, a, b, "2025-01-01", "2026-11-25", 0); /* ended yesterday */
    tie_full(f, b, c, "2026-11-27", NULL, 0);         /* starts tomorrow */
    tie_full(f, c, d, "2026-11-26", "2026-11-26", 0); /* today only: counts */
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_int_equal(net.nties, 1);
    assert_int_equal(find(&net, a)->degree, 0);
    assert_int_equal(find(&net, b)->degree, 0);
    assert_int_equal(find(&net, c)->degree, 1);
    assert_int_equal(net.nisolated, 2);

    analyse(f, 0, "2026-11-25", &net); /* yesterday: a-b was still active */
    assert_string_equal(net.at, "2026-11-25");
    assert_int_equal(net.nties, 1);
    assert_int_equal(find(&net, a)->degree, 1);
    assert_int_equal(find(&net, c)->degree, 0);

    analyse(f, 0, "2026-12-01", &net); /* next week: b-c only */
    assert_int_equal(net.nties, 1);
    assert_int_equal(find(&net, b)->degree, 1);
    assert_int_equal(find(&net, c)->degree, 1);
    assert_int_equal(find(&net, d)->degree, 0);
}

static void a_place_has_its_density_and_cross_sector_share(void **state)
{
    struct fx *f = *state;
    long long p = place(f, "Riverside"), q = place(f, "Moorland"), empty = place(f, "Coast");
    long long a = org(f, "A", "nhs", p), b = org(f, "B", "vcse", p);
    long long c = org(f, "C", "vcse", p), d = org(f, "D", "local_authority", p);
    long long out = org(f, "Outsider", "other", q), q2 = org(f, "Q2", "other", q);
    tie(f, a, b);
    tie(f, b, a);                               /* the same tie again */
    tie_full(f, b, c, "2025-01-01", NULL, q);   /* recorded for Moorland, but both serve P */
    tie_full(f, a, out, "2025-01-01", NULL, p); /* recorded for Riverside */
    tie(f, out, q2);                            /* Moorland's business only */
    struct network net;
    analyse(f, p, NULL, &net);
    assert_int_equal(net.place_id, p);
    /* A, B, C, D serve the place; Outsider is at the end of one of its connections. */
    assert_int_equal(net.norgs, 5);
    assert_int_equal(net.nties, 3); /* a-b, b-c, a-out; not out-q2 */
    assert_int_equal(find(&net, out)->degree, 1);
    assert_int_equal(find(&net, a)->degree, 2);
    assert_close(find(&net, a)->betweenness, 2.0); /* out-b, out-c */
    assert_close(find(&net, b)->betweenness, 2.0); /* a-c, out-c */
    assert_int_equal(net.nplaces, 1);
    assert_true(net.places[0].place_id == p);
    assert_string_equal(net.places[0].name, "Riverside");
    /* Among A, B, C, D: ties a-b (cross) and b-c (same), of 6 possible. */
    assert_int_equal(net.places[0].organisations, 4);
    assert_int_equal(net.places[0].ties, 2);
    assert_close(net.places[0].density, 2.0 * 2 / (4 * 3));
    assert_close(net.places[0].cross_sector_share, 0.5);
    assert_int_equal(net.nisolated, 1);
    assert_true(net.isolated[0] == d);

    /* The whole system lists every place, with the same figures for Riverside. */
    analyse(f, 0, NULL, &net);
    assert_int_equal(net.nplaces, 3);
    assert_true(net.places[0].place_id == p && net.places[1].place_id == q);
    assert_close(net.places[0].density, 1.0 / 3.0);
    assert_close(net.places[0].cross_sector_share, 0.5);
    assert_int_equal(net.places[1].organisations, 2); /* Outsider and Q2, tied */
    assert_close(net.places[1].density, 1.0);
    assert_close(net.places[1].cross_sector_share, 0.0);
    assert_true(net.places[2].place_id == empty);
    assert_int_equal(net.places[2].organisations, 0);
    assert_close(net.places[2].density, 0.0);
    assert_close(net.places[2].cross_sector_share, 0.0);
}

static void bad_input_is_refused_with_reasons(void **state)
{
    struct fx *f = *state;
    struct network net;
    assert_int_equal(network_analyse(&f->c, 0, "2026-02-30", &net), RES_INVALID);
    assert_non_null(fx_field_error(f, "at"));
    ctx_clear_errors(&f->c);
    assert_int_equal(network_analyse(&f->c, 0, "yesterday", &net), RES_INVALID);
    assert_non_null(fx_field_error(f, "at"));
    ctx_clear_errors(&f->c);
    assert_int_equal(network_analyse(&f->c, -1, NULL, &net), RES_INVALID);
    assert_non_null(fx_field_error(f, "place_id"));
    ctx_clear_errors(&f->c);
    assert_int_equal(network_analyse(&f->c, 4242, NULL, &net), RES_NOT_FOUND);
    assert_non_null(strstr(f->c.detail, "4242"));

    f->c.by_operator = false; /* nobody signed in */
    f->c.actor = NULL;
    ctx_clear_errors(&f->c);
    assert_int_equal(network_analyse(&f->c, 0, NULL, &net), RES_UNAUTHENTICATED);
    fx_act_as(f, ROLE_VIEWER, 7, 1, NULL, 0); /* anyone signed in reads */
    assert_int_equal(network_analyse(&f->c, 0, "", &net), RES_OK);
    assert_int_equal(net.norgs, 0);
    assert_int_equal(net.nplaces, 0);
}

/* ---- the fast betweenness against the textbook ---- */

/*
 * Brandes (2001) as written in the paper: predecessor lists, a stack, one
 * search per source, halved for an undirected graph.
 */
static void plain_brandes(int n, const int *off, const int *adj, double *bc)
{
    int *dist = malloc(sizeof(int) * (size_t)n), *queue = malloc(sizeof(int) * (size_t)n);
    int *npred = malloc(sizeof(int) * (size_t)n), *pred = malloc(sizeof(int) * (size_t)off[n] + 1);
    double *sigma = malloc(sizeof(double) * (size_t)n), *delta = malloc(sizeof(double) * (size_t)n);
    for (int v = 0; v < n; v++)
        bc[v] = 0;
    for (int s = 0; s < n; s++) {
        for (int v = 0; v < n; v++) {
            dist[v] = -1;
            sigma[v] = 0;
            delta[v] = 0;
            npred[v] = 0;
        }
        dist[s] = 0;
        sigma[s] = 1;
        int head = 0, tail = 0;
        queue[tail++] = s;
        while (head < tail) {
            int v = queue[head++];
            for (int e = off[v]; e < off[v + 1]; e++) {
                int w = adj[e];
                if (dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    queue[tail++] = w;
                }
                if (dist[w] == dist[v] + 1) {
                    sigma[w] += sigma[v];
                    pred[off[w] + npred[w]++] = v;
                }
            }
        }
        for (int i = tail - 1; i >= 0; i--) {
            int w = queue[i];
            for (int k = 0; k < npred[w]; k++) {
                int v = pred[off[w] + k];
                delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
            }
            if (w != s) bc[w] += delta[w];
        }
    }
    for (int v = 0; v < n; v++)
        bc[v] /= 2;
    free(dist);
    free(queue);
    free(npred);
    free(pred);
    free(sigma);
    free(delta);
}

/*
 * A random graph of n vertices and about m ties in compressed rows, from a
 * fixed seed; with groups > 1 the vertices are split into that many blocks
 * with no ties between them (and some left with none at all).
 */
static void random_graph(arena *a, unsigned long long seed, int n, int m, int groups, int **off_out,
                         int **adj_out)
{
    char *has = calloc((size_t)n * (size_t)n, 1);
    int *deg = calloc((size_t)n, sizeof(int));
    int(*pairs)[2] = malloc(sizeof *pairs * (size_t)m);
    int np = 0;
    int block = (n + groups - 1) / groups;
    for (int t = 0; t < m * 4 && np < m; t++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int u = (int)((seed >> 33) % (unsigned)n);
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int v = (u / block) * block + (int)((seed >> 33) % (unsigned)block);
        if (v >= n || u == v || u % 11 == 10 || v % 11 == 10) continue; /* some stay alone */
        if (has[u * n + v]) continue;
        has[u * n + v] = has[v * n + u] = 1;
        pairs[np][0] = u;
        pairs[np][1] = v;
        deg[u]++;
        deg[v]++;
        np++;
    }
    int *off = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *adj = arena_alloc(a, sizeof(int) * (size_t)(2 * np + 1));
    for (int v = 0; v < n; v++)
        off[v + 1] = off[v] + deg[v];
    int *pos = calloc((size_t)n, sizeof(int));
    for (int i = 0; i < np; i++) {
        int u = pairs[i][0], v = pairs[i][1];
        adj[off[u] + pos[u]++] = v;
        adj[off[v] + pos[v]++] = u;
    }
    free(has);
    free(deg);
    free(pairs);
    free(pos);
    *off_out = off;
    *adj_out = adj;
}

/*
 * A grid of w by h vertices in compressed rows: many shortest paths between
 * far corners, and as many levels as the grid is wide and high. With h 1 it
 * is a path.
 */
static void grid_graph(arena *a, int w, int h, int **off_out, int **adj_out)
{
    int n = w * h;
    int *off = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *adj = arena_alloc(a, sizeof(int) * (size_t)(4 * n + 1));
    int e = 0;
    for (int v = 0; v < n; v++) {
        int x = v % w, y = v / w;
        if (y > 0) adj[e++] = v - w; /* ascending neighbours */
        if (x > 0) adj[e++] = v - 1;
        if (x + 1 < w) adj[e++] = v + 1;
        if (y + 1 < h) adj[e++] = v + w;
        off[v + 1] = e;
    }
    *off_out = off;
    *adj_out = adj;
}

/* Compare network_betweenness (each way of sharing it out) with the textbook on one graph. */
static void compare_with_textbook(struct fx *f, const char *what, int n, const int *off,
                                  const int *adj)
{
    double *want = malloc(sizeof(double) * (size_t)(n ? n : 1));
    plain_brandes(n, off, adj, want);
    for (int threads = 0; threads <= 3; threads++) { /* 0: as the machine chooses */
        double *got = arena_alloc(f->c.a, sizeof(double) * (size_t)(n ? n : 1));
        network_betweenness(f->c.a, n, off, adj, threads, got);
        for (int v = 0; v < n; v++)
            if (fabs(got[v] - want[v]) > 1e-7 * (1 + want[v]))
                fail_msg("%s, %d threads, vertex %d: %.9f, want %.9f", what, threads, v, got[v],
                         want[v]);
    }
    free(want);
}

static void the_fast_betweenness_agrees_with_the_textbook(void **state)
{
    struct fx *f = *state;
    static const struct {
        int n, m, groups;
    } cases[] = {{1, 0, 1},     {2, 1, 1},      {3, 2, 1},     {40, 60, 1},    {60, 90, 3},
                 {200, 300, 1}, {200, 2000, 1}, {300, 900, 4}, {500, 1500, 2}, {600, 600, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int *off, *adj;
        random_graph(f->c.a, 1000 + k, cases[k].n, cases[k].m, cases[k].groups, &off, &adj);
        compare_with_textbook(f, arena_printf(f->c.a, "random graph %zu", k), cases[k].n, off, adj);
    }
    int *off, *adj;
    grid_graph(f->c.a, 400, 1, &off, &adj); /* a path: one vertex per level, 400 levels */
    compare_with_textbook(f, "path", 400, off, adj);
    grid_graph(f->c.a, 24, 18, &off, &adj); /* a grid: paths counted in the millions */
    compare_with_textbook(f, "grid", 24 * 18, off, adj);
}

/* ---- the generator ---- */

/* A fingerprint of the generated rows, to compare two runs. */
static long long fingerprint(struct fx *f)
{
    long long h = 0;
    assert_int_equal(store_query_int(f->c.db, &h,
                                     "SELECT sum(length(name) * id) + (SELECT sum(from_"
                                     "organisation_id * 7 + to_organisation_id * 13 +"
                                     " length(kind) + length(start_date) + coalesce(length("
                                     "end_date), 0) + coalesce(place_id, 0)) FROM connections)"
                                     " FROM organisations",
                                     NULL),
                     1);
    return h;
}

static void the_generator_is_repeatable_and_for_the_operator(void **state)
{
    struct fx *f = *state;
    struct network_gen g = {.organisations = 60, .connections = 150, .seed = 42};
    struct network_gen_result out;
    assert_int_equal(network_generate(&f->c, &g, &out), RES_OK);
    assert_int_equal(out.organisations, 60);
    assert_int_equal(out.connections, 150);
    assert_int_equal(out.places_created, 5);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), 60);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM connections"), 150);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places"), 5);
    assert_true(fx_count(f, "SELECT count(*) FROM organisation_places") >= 60);
    /* Distinct pairs, past starts, some ended, ends not before starts. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM (SELECT DISTINCT min(from_organisation_id,"
                                 " to_organisation_id), max(from_organisation_id,"
                                 " to_organisation_id) FROM connections)"),
                     150);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM connections WHERE start_date > "
                                 "'2026-11-26'"),
                     0);
    assert_true(fx_count(f, "SELECT count(*) FROM connections WHERE end_date IS NOT NULL") > 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM connections WHERE end_date < start_date"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit"), 0); /* not audited */
    long long first = fingerprint(f);
    struct network net;
    analyse(f, 0, NULL, &net);
    assert_int_equal(net.norgs, 60);

    /* The same seed on a fresh database makes the same rows. */
    struct fx *other = NULL;
    assert_int_equal(fx_setup((void **)&other), 0);
    assert_int_equal(network_generate(&other->c, &g, &out), RES_OK);
    assert_true(fingerprint(other) == first);
    fx_teardown((void **)&other);

    /* A second run adds to what is there, with new names. */
    assert_int_equal(network_generate(&f->c, &g, &out), RES_OK);
    assert_int_equal(out.places_created, 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), 120);

    g.connections = 60 * 59 / 4 + 1;
    assert_int_equal(network_generate(&f->c, &g, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "connections"));
    fx_act_as(f, ROLE_ADMIN, 1, 1, NULL, 0);
    g.connections = 1;
    assert_int_equal(network_generate(&f->c, &g, &out), RES_FORBIDDEN);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), 120);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_path_puts_the_middle_on_every_route, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_star_centre_joins_every_pair_of_leaves, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(separate_groups_and_organisations_on_their_own, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_triangle_counts_ties_across_sectors, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(only_connections_active_on_the_day_count, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_place_has_its_density_and_cross_sector_share, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(bad_input_is_refused_with_reasons, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_fast_betweenness_agrees_with_the_textbook, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(the_generator_is_repeatable_and_for_the_operator, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
