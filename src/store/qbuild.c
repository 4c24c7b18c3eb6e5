/*
 * qbuild.c: queries built in pieces with numbered parameters (qbuild.h).
 */
#include "store/qbuild.h"

#include "base/log.h"

/* Add a parameter of type t; "$n", or "NULL" once the query is full. */
static const char *add(arena *a, struct store_qb *q, char t, long long v, const char *s)
{
    if (q->n >= STORE_QB_MAX) {
        q->full = true;
        return "NULL";
    }
    q->types[q->n] = t;
    q->ints[q->n] = v;
    q->texts[q->n] = s;
    q->n++;
    return arena_printf(a, "$%d", q->n);
}

/* See qbuild.h. */
const char *store_qb_int(arena *a, struct store_qb *q, long long v)
{
    return add(a, q, 'i', v, NULL);
}

/* See qbuild.h. */
const char *store_qb_text(arena *a, struct store_qb *q, const char *s)
{
    return add(a, q, 't', 0, s);
}

/* See qbuild.h. */
store_stmt *store_qb_prepare(store_conn *c, const struct store_qb *q, const char *sql)
{
    if (q->full) {
        log_error("a query has more than %d parameters", STORE_QB_MAX);
        return NULL;
    }
    store_stmt *st = store_prepare(c, sql);
    if (!st) return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->types[i] == 'i')
            store_bind_int(st, i + 1, q->ints[i]);
        else
            store_bind_text(st, i + 1, q->texts[i]);
    }
    return st;
}
