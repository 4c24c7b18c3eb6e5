/*
 * qbuild.h: a query built in pieces, its parameters numbered as they are
 * added ("$1", "$2" ...) so that optional filters can be joined without
 * counting by hand, and every value is still bound, never spliced in.
 */
#ifndef CHIS_QBUILD_H
#define CHIS_QBUILD_H

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

#include <stdbool.h>

#define STORE_QB_MAX 128

struct store_qb {
    buf sql; /* the caller writes the text here (buf_init it first) */
    char types[STORE_QB_MAX];
    long long ints[STORE_QB_MAX];
    const char *texts[STORE_QB_MAX];
    int n;
    bool full; /* more parameters than STORE_QB_MAX were added */
};

/* Add an integer or a text parameter; returns its "$n" (in a). Past
 * STORE_QB_MAX parameters the query is marked full and will not prepare. */
const char *store_qb_int(arena *a, struct store_qb *q, long long v);
const char *store_qb_text(arena *a, struct store_qb *q, const char *s);

/* Prepare sql (the connection's cached statement: store_done() it) with
 * every parameter added bound; NULL on failure or when the query is full. */
store_stmt *store_qb_prepare(store_conn *c, const struct store_qb *q, const char *sql);

#endif
