/*
 * dir_search_internal.h: what the files of the directory search share
 * (dir_search.c: the SQL plans, paging and fetching; dir_search_fast.c: the
 * plan that reads the in-memory index). Nobody else includes it.
 */
#ifndef CHIS_DIR_SEARCH_INTERNAL_H
#define CHIS_DIR_SEARCH_INTERNAL_H

#include "base/buf.h"
#include "domain/dir_search.h"

#include <stdbool.h>
#include <stddef.h>

#define MAX_BINDS 24

/* A bound parameter of the statement being built. */
struct bind {
    char type; /* 't', 'i', 'd' */
    const char *t;
    long long i;
    double d;
};

/* The statement being built: SQL text and its parameters ($1 ...). */
struct sqlb {
    buf sql;
    struct bind b[MAX_BINDS];
    int n;
};

/* Add a parameter and return its number. */
int ds_bind_text(struct sqlb *s, const char *v);
int ds_bind_int(struct sqlb *s, long long v);
int ds_bind_double(struct sqlb *s, double v);

/* Bind every parameter of s to st. 0 or -1. */
int ds_bind_all(store_stmt *st, const struct sqlb *s);

/* One candidate: a service (or one service at a location) that passed the
 * filters so far. */
struct cand {
    long long rid;     /* dir_services.rid */
    long long sal_rid; /* the service_at_location (unit SAL), or the nearest one; 0 */
    const char *name;  /* for ordering by name */
    const char *id;
    double dist; /* INFINITY when unknown */
    double rank;
};

/* A map from a rowid to an index, open addressing (rid 0 is never a key). */
struct rmap {
    long long *keys;
    int *vals;
    size_t cap; /* a power of two */
};

/* An empty map for about n keys, in a. */
void ds_rmap_init(arena *a, struct rmap *m, size_t n);

/* The slot for key: where it is, or the empty slot where it would go. */
size_t ds_rmap_slot(const struct rmap *m, long long key);

struct dsi;

/* Everything a search needs while it runs. */
struct run {
    struct ctx *c;
    struct dsi *x; /* the in-memory index (dir_search_index.h), NULL when not usable */
    const struct dir_query *q;
    const struct store_text_search *ts;
    const char *fts; /* the backend's text query, or NULL */
    bool located;    /* a postcode was given and located */
    double lat, lng;
    bool join_loc;  /* the statement joins service_at_locations and locations */
    bool fts_drive; /* the text match drives the statement */
    struct cand *cands;
    int ncands, capcands;
};

/* Where add_filters() is used: a gathering statement, or the check of
 * candidates found in memory (no location conditions: they are done). */
enum ds_filter_mode { DS_GATHER, DS_CHECK };

/*
 * Append the WHERE conditions every search has, and the query's filters,
 * to the statement (whose FROM names s, and sal/l when joined). sid is how
 * the service's id is reached ("s.id", or "sal.service_id" when the
 * locations drive). term0_driven: the first term is the statement's driver.
 */
void ds_add_filters(struct run *R, struct sqlb *s, const char *sid, bool term0_driven,
                    enum ds_filter_mode mode);

/* A new candidate at the end of R->cands (in c->a), uninitialised. */
struct cand *ds_cand_add(struct run *R);

/*
 * The in-memory plan (dir_search_fast.c): when it applies (and the index is
 * usable), fills R->cands with the final candidates (every filter applied,
 * ranks, distances and names set) and sets *done. Otherwise leaves *done
 * false and R untouched, for the SQL plans. RES_OK or RES_INTERNAL.
 */
result ds_fast_gather(struct run *R, bool *done);

#endif
