/*
 * network_gen.c: deterministic synthetic networks for benchmarks and tests
 * (chis gen network): organisations across the sectors serving random
 * places, and random distinct connections between them, from a seed.
 */
#include "domain/network.h"

#include "base/date.h"
#include "base/text.h"
#include "domain/leadership.h"
#include "domain/structure.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- synthetic networks ---- */

/* splitmix64 (Steele, Lea and Flood 2014): a small, good, seedable generator. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n) (n > 0); the bias of the modulo is negligible here. */
static long long below(uint64_t *state, long long n)
{
    return (long long)(next_random(state) % (uint64_t)n);
}

/* The date days before now, as YYYY-MM-DD in arena a. */
static const char *days_ago(arena *a, time_t now, long long days)
{
    return date_offset(a, now, -days, false);
}

static const char *const gen_first[] = {
    "Riverside", "Northgate", "Hillview", "Meadow",    "Harbour",   "Oakfield", "Westbrook",
    "Millbank",  "Castle",    "Greenway", "Brookside", "Kingsmead", "Ashford",  "Fairhaven",
};
static const char *const gen_second[] = {
    "Arts",    "Music",   "Heritage", "Gardens", "Dance",     "Theatre", "Crafts",
    "Walking", "Singing", "Museum",   "Library", "Wellbeing", "Nature",  "Film",
};
static const char *const gen_third[] = {
    "Trust", "Collective", "Project", "Network", "Society", "Partnership", "Hub", "Group",
};

#define GEN_PLACES 5

/* A set of pairs of generated organisations, open addressing on 64-bit keys (0 = empty). */
struct pair_set {
    uint64_t *slot;
    uint64_t mask;
};

/* Add key (nonzero); false when it was already there. */
static bool pair_set_add(struct pair_set *p, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    for (uint64_t i = h >> 20;; i++) {
        uint64_t *s = &p->slot[i & p->mask];
        if (*s == key) return false;
        if (*s == 0) {
            *s = key;
            return true;
        }
    }
}

/*
 * Generated data is written straight into the tables with prepared
 * statements, not through entity_create: it is test data made by the
 * operator at the console, so it is neither validated field by field nor
 * audited, and 50,000 connections go in within a second.
 */
result network_generate(struct ctx *c, const struct network_gen *g, struct network_gen_result *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator generates data");
    long long n = g->organisations, m = g->connections;
    if (n < 0 || n > 1000000)
        ctx_field_error(c, "organisations", "Ask for between 0 and 1,000,000 organisations");
    else if (m < 0 || m > n * (n - 1) / 4)
        ctx_field_error(c, "connections",
                        "Ask for at most a quarter of the possible pairs: %lld for %lld "
                        "organisations",
                        n * (n - 1) / 4, n);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "The sizes are not right.");
    uint64_t rng = g->seed;
    arena *a = c->a;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "generate");

    /* The places: those there are, or a few new ones. */
    long long nplaces = 0, *places = NULL;
    int rc = store_query_int(c->db, &nplaces, "SELECT count(*) FROM places", NULL);
    if (rc < 0) goto fail;
    if (nplaces == 0) {
        places = arena_alloc(a, sizeof *places * GEN_PLACES);
        for (int i = 0; i < GEN_PLACES; i++) {
            rc = store_query_int(c->db, &places[i],
                                 "INSERT INTO places (name, description, created_at, updated_at)"
                                 " VALUES ($1, $2, $3, $3) RETURNING id",
                                 "ttt", arena_printf(a, "Generated place %c", 'A' + i),
                                 "Made by chis gen network", c->now_iso);
            if (rc != 1) goto fail;
        }
        nplaces = GEN_PLACES;
        out->places_created = GEN_PLACES;
    } else {
        places = arena_alloc(a, sizeof *places * (size_t)nplaces);
        store_stmt *st = store_prepare(c->db, "SELECT id FROM places ORDER BY id");
        if (!st) goto fail;
        long long i = 0;
        while ((rc = store_step(st)) == STORE_ROW && i < nplaces)
            places[i++] = store_col_int(st, 0);
        store_done(st);
        if (rc < 0) goto fail;
        nplaces = i;
    }

    /* The organisations, numbered on from the largest id so names stay unique. */
    long long base = 0;
    rc = store_query_int(c->db, &base, "SELECT coalesce(max(id), 0) FROM organisations", NULL);
    if (rc < 0) goto fail;
    long long *ids = arena_alloc(a, sizeof *ids * (size_t)(n ? n : 1));
    int *home = arena_alloc(a, sizeof *home * (size_t)(n ? n : 1)); /* index into places */
    long long *nserve = arena_alloc(a, sizeof *nserve * (size_t)nplaces);
    /* percent, in organisation_sectors order (nhs, local_authority, vcse, other) */
    static const int sector_weight[] = {20, 15, 50, 15};
    const int nweights = (int)(sizeof sector_weight / sizeof sector_weight[0]);
    for (long long i = 0; i < n; i++) {
        int r = (int)below(&rng, 100), si = 0;
        while (si < nweights - 1 && r >= sector_weight[si])
            r -= sector_weight[si++];
        const char *name = arena_printf(
            a, "%s %s %s %lld", gen_first[below(&rng, sizeof gen_first / sizeof gen_first[0])],
            gen_second[below(&rng, sizeof gen_second / sizeof gen_second[0])],
            gen_third[below(&rng, sizeof gen_third / sizeof gen_third[0])], base + i + 1);
        rc = store_query_int(c->db, &ids[i],
                             "INSERT INTO organisations (name, sector, created_at, updated_at)"
                             " VALUES ($1, $2, $3, $3) RETURNING id",
                             "ttt", name, organisation_sectors[si], c->now_iso);
        if (rc != 1) goto fail;
        home[i] = (int)below(&rng, nplaces);
        nserve[home[i]]++;
        if (store_run(c->db,
                      "INSERT INTO organisation_places (organisation_id, place_id)"
                      " VALUES ($1, $2)",
                      "ii", ids[i], places[home[i]]) < 0)
            goto fail;
        if (nplaces > 1 && below(&rng, 5) == 0) { /* one in five serves a second place */
            long long other = (home[i] + 1 + below(&rng, nplaces - 1)) % nplaces;
            if (store_run(c->db,
                          "INSERT INTO organisation_places (organisation_id, place_id)"
                          " VALUES ($1, $2)",
                          "ii", ids[i], places[other]) < 0)
                goto fail;
        }
        out->organisations++;
    }

    /* The organisations by home place, so that most ties are local. */
    long long *start = arena_alloc(a, sizeof *start * (size_t)(nplaces + 1));
    for (long long p = 0; p < nplaces; p++)
        start[p + 1] = start[p] + nserve[p];
    long long *fill = arena_alloc(a, sizeof *fill * (size_t)(nplaces + 1));
    memcpy(fill, start, sizeof *fill * (size_t)(nplaces + 1));
    long long *by_place = arena_alloc(a, sizeof *by_place * (size_t)(n ? n : 1));
    for (long long i = 0; i < n; i++)
        by_place[fill[home[i]]++] = i;

    struct pair_set seen = {0};
    uint64_t cap = 16;
    while (cap < (uint64_t)m * 2)
        cap <<= 1;
    seen.slot = arena_alloc(a, sizeof *seen.slot * cap);
    seen.mask = cap - 1;
    long long kinds = 0;
    while (connection_kinds[kinds])
        kinds++;
    for (long long made = 0; made < m;) {
        long long u = below(&rng, n), v;
        long long hp = home[u], local = start[hp + 1] - start[hp];
        bool near = local > 1 && below(&rng, 10) < 7;
        v = near ? by_place[start[hp] + below(&rng, local)] : below(&rng, n);
        if (u == v) continue;
        uint64_t lo = (uint64_t)(u < v ? u : v), hi = (uint64_t)(u < v ? v : u);
        if (!pair_set_add(&seen, (lo << 32 | hi) + 1)) continue;
        long long age = 30 + below(&rng, 3650); /* started 30 days to 10 years ago */
        const char *start_date = days_ago(a, c->now, age), *end_date = NULL;
        if (below(&rng, 100) < 15) /* ended by yesterday */
            end_date = days_ago(a, c->now, 1 + below(&rng, age));
        long long place = 0;
        if (near && below(&rng, 10) < 7)
            place = places[hp];
        else if (!near && below(&rng, 2))
            place = places[hp];
        if (store_run(c->db,
                      "INSERT INTO connections (from_organisation_id, to_organisation_id, kind,"
                      " start_date, end_date, place_id, created_at, updated_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                      "iitttIt", ids[u], ids[v], connection_kinds[below(&rng, kinds)], start_date,
                      end_date, place, c->now_iso) < 0)
            goto fail;
        made++;
        out->connections++;
    }
    if (store_commit(c->db) != 0) goto fail;
    return RES_OK;
fail:
    store_rollback(c->db);
    memset(out, 0, sizeof *out);
    return ctx_store_failure(c, STORE_E_ERROR, "generate");
}
