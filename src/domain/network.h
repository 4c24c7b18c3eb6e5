/*
 * network.h: the network of organisations that the connections between
 * them make, and the measures a system lead reads from it: who is tied to
 * whom, across which sectors, who sits on the paths between others
 * (betweenness), which groups hang together (components), who is on their
 * own, and how dense each place's network is.
 *
 * The graph for a date is undirected and unweighted: a connection is a tie
 * while it is active on that date, whichever way it was recorded, and two
 * organisations with several connections share one tie.
 *
 * Everything returned belongs to the ctx arena. The measures are computed on
 * request; callers that serve them repeatedly keep the answer until the data
 * changes (the API's response cache does).
 */
#ifndef CHIS_NETWORK_H
#define CHIS_NETWORK_H

#include "domain/ctx.h"

struct network_org {
    long long id;
    const char *name;
    const char *sector;    /* one of organisation_sectors */
    int degree;            /* distinct organisations it is tied to */
    int cross_sector_ties; /* of those, how many are in another sector */
    double betweenness;    /* Brandes: undirected, unweighted, not normalised */
};

/* One tie: indices into network.orgs, a < b. */
struct network_tie {
    int a, b;
};

/* A connected group of two or more organisations: ids in ascending order. */
struct network_component {
    const long long *ids;
    int n;
};

struct network_place {
    long long place_id;
    const char *name;
    int organisations;         /* N: the organisations serving the place */
    int ties;                  /* E: ties among them */
    int cross_sector_ties;     /* of those, ties between different sectors */
    double density;            /* 2E / (N (N - 1)); 0 when N < 2 */
    double cross_sector_share; /* cross_sector_ties / E; 0 when E = 0 */
};

struct network {
    char at[11];              /* the date analysed, YYYY-MM-DD */
    long long place_id;       /* 0: the whole system */
    struct network_org *orgs; /* ascending id */
    int norgs;
    struct network_tie *ties; /* each distinct tie once, ascending (a, b) */
    int nties;
    struct network_component *components; /* ordered by smallest id */
    int ncomponents;
    long long *isolated; /* organisations with no tie, ascending id */
    int nisolated;
    struct network_place *places; /* every place by id, or the one asked for */
    int nplaces;
    double load_ms, measure_ms; /* time spent reading the store, and computing */
};

/*
 * May the actor read the network? Anyone signed in (and the operator).
 * RES_OK or RES_UNAUTHENTICATED.
 */
result network_read_access(struct ctx *c);

/*
 * The network on date at (YYYY-MM-DD; NULL or "" means today by c->now),
 * for the whole system (place_id 0) or one place.
 *
 * For a place, the organisations are those serving it plus any organisation
 * at either end of an active connection recorded for the place; a tie counts
 * when its connection was recorded for the place, or when both organisations
 * serve the place (whatever place, if any, the connection was recorded for:
 * two organisations working together where they both serve count there).
 * The per-place density and cross-sector share count only the organisations
 * serving the place and the ties among them, so a place's figures are the
 * same whether it is asked for alone or with the whole system.
 *
 * RES_INVALID with a field error on "at" or "place_id" for bad input,
 * RES_NOT_FOUND for an unknown place, RES_UNAUTHENTICATED for nobody.
 */
result network_analyse(struct ctx *c, long long place_id, const char *at, struct network *out);

/*
 * Betweenness centrality of every vertex of an undirected, unweighted graph
 * in compressed form: the neighbours of vertex v are adj[off[v]] ..
 * adj[off[v + 1] - 1], each tie listed from both ends, no loops or repeats.
 * Writes n values into out (not normalised; a path a-b-c gives b 1.0).
 * threads 0 chooses by the machine and the size of the graph. Scratch
 * memory comes from arena a (used only by the calling thread).
 */
void network_betweenness(arena *a, int n, const int *off, const int *adj, int threads, double *out);

/* What chis gen network makes. */
struct network_gen {
    long long organisations; /* new organisations */
    long long connections;   /* new connections among them (distinct pairs) */
    unsigned long long seed;
};

struct network_gen_result {
    long long places_created; /* a few, when the system had none */
    long long organisations;
    long long connections;
};

/*
 * Add synthetic organisations (spread over the sectors, each serving one or
 * two places) and connections between distinct pairs of them (random kinds,
 * start dates in the past, some ended), the same for the same seed and
 * database. One transaction: all or nothing. The operator only.
 */
result network_generate(struct ctx *c, const struct network_gen *g, struct network_gen_result *out);

#endif
