/*
 * bulk.c: large writes. An import of 100,000 directory services writes a
 * million rows in one transaction; written one statement a row, SQLite
 * spends more time opening and closing cursors than writing, and in WAL
 * mode every page is written twice (to the WAL, then to the database at the
 * checkpoint). Here are the two remedies, portable above the backend line:
 * store_write_rows() writes many rows to a statement, and a bulk
 * transaction lets the backend set itself for volume (sqlite.c: a rollback
 * journal when no other connection has the file open, foreign keys checked
 * once at the end, a larger page cache).
 */
#include "store/store.h"

#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_bulk {
    store_conn *c;
    const char *const *tables;
    bool outer; /* the bulk owns the transaction (not a savepoint in another) */
    int state;  /* the backend's note of what bulk_mode() changed */
    arena *a;   /* the set-aside objects' statements */
    struct deferred {
        const char *drop, *create;
    } * deferred; /* indexes and triggers dropped, to be created again */
    size_t ndeferred, cap;
};

/* Set the backend back after the transaction ended, and free b. */
static void bulk_release(store_bulk *b)
{
    const struct store_backend *be = store_backend_of(b->c);
    if (b->outer && be->bulk_mode && be->bulk_mode(b->c, false, &b->state) != 0)
        log_error("store: the connection could not be set back after a large write");
    arena_free(b->a);
    free(b->deferred);
    free(b);
}

/* Start a large write (see store.h). The caller owns the result. */
store_bulk *store_bulk_begin(store_conn *c, const char *const *tables)
{
    store_bulk *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    *b = (store_bulk){.c = c, .tables = tables, .outer = !store_in_tx(c), .a = arena_new(4096)};
    const struct store_backend *be = store_backend_of(c);
    /* A backend that cannot change its settings still writes correctly:
     * only more slowly. */
    if (b->outer && be->bulk_mode && be->bulk_mode(c, true, &b->state) != 0)
        log_error("store: the connection could not be set for a large write");
    if (store_begin(c) != 0) {
        bulk_release(b);
        return NULL;
    }
    return b;
}

/* Set aside the schema objects of table that query (the backend's) lists
 * as name and CREATE statement: dropped now, created again by
 * store_bulk_restore(). what is "INDEX" or "TRIGGER". table is the
 * caller's own name, never input. 0 or -1. */
static int set_aside(store_bulk *b, const char *table, const char *query, const char *what)
{
    if (!query) return 0;
    store_stmt *st = store_prepare(b->c, query);
    if (!st) return -1;
    store_bind_text(st, 1, table);
    size_t first = b->ndeferred;
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (b->ndeferred == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 16;
            struct deferred *more = realloc(b->deferred, cap * sizeof *more);
            if (!more) {
                rc = STORE_E_ERROR;
                break;
            }
            b->deferred = more;
            b->cap = cap;
        }
        b->deferred[b->ndeferred++] =
            (struct deferred){arena_printf(b->a, "DROP %s %s", what, store_col_text(st, 0)),
                              arena_strdup(b->a, store_col_text(st, 1))};
    }
    store_done(st);
    if (rc < 0) {
        b->ndeferred = first;
        return -1;
    }
    for (size_t i = first; i < b->ndeferred; i++)
        if (store_exec(b->c, b->deferred[i].drop) != 0) return -1;
    return 0;
}

/* Drop table's secondary indexes until the end (see store.h). */
int store_bulk_defer_indexes(store_bulk *b, const char *table)
{
    return set_aside(b, table, store_backend_of(b->c)->secondary_indexes_sql, "INDEX");
}

/* Drop table's triggers until the end (see store.h). */
int store_bulk_defer_triggers(store_bulk *b, const char *table)
{
    return set_aside(b, table, store_backend_of(b->c)->triggers_sql, "TRIGGER");
}

/* Create again what was set aside (see store.h). */
int store_bulk_restore(store_bulk *b)
{
    for (size_t i = 0; i < b->ndeferred; i++)
        if (store_exec(b->c, b->deferred[i].create) != 0) return -1;
    b->ndeferred = 0;
    arena_reset(b->a);
    return 0;
}

/* Has the write set aside what it has not restored yet? (see store.h) */
bool store_bulk_deferring(const store_bulk *b)
{
    return b->ndeferred > 0;
}

/* Restore what was set aside and check what the backend left unchecked,
 * then commit (see store.h). */
int store_bulk_commit(store_bulk *b, char **why)
{
    store_conn *c = b->c;
    const struct store_backend *be = store_backend_of(c);
    if (why) *why = NULL;
    int rc = store_bulk_restore(b);
    for (const char *const *t = b->tables; b->outer && be->fk_check && t && *t && rc == 0; t++)
        rc = be->fk_check(c, *t, why);
    if (rc != 0) {
        store_rollback(c);
        bulk_release(b);
        return -1;
    }
    rc = store_commit(c);
    bulk_release(b);
    return rc == 0 ? 0 : -1;
}

/* Roll the large write back (see store.h). */
void store_bulk_rollback(store_bulk *b)
{
    store_rollback(b->c);
    bulk_release(b);
}

/* Bind one value (see store.h). */
int store_bind_value(store_stmt *st, int idx, const struct store_value *v)
{
    switch (v->type) {
    case STORE_V_INT:
        return store_bind_int(st, idx, v->v.i);
    case STORE_V_REAL:
        return store_bind_double(st, idx, v->v.d);
    case STORE_V_TEXT:
        return store_bind_text(st, idx, v->v.s);
    case STORE_V_NULL:
        break;
    }
    return store_bind_null(st, idx);
}

/* Rows a statement writes at most; SQLite compiles a many-row VALUES as a
 * compound SELECT, which it limits to 500 terms. */
#define BATCH_ROWS 64

/* The SQL writing n rows: portable, PostgreSQL says the same. The caller
 * frees it. */
static char *rows_sql(const char *table, const char *const *cols, int ncols, size_t n, bool upsert)
{
    size_t cap = 256 + strlen(table) + n * (size_t)ncols * 10;
    for (int i = 0; i < ncols; i++)
        cap += 3 * strlen(cols[i]) + 32;
    char *sql = malloc(cap);
    if (!sql) return NULL;
    size_t len = (size_t)snprintf(sql, cap, "INSERT INTO %s (", table);
    for (int i = 0; i < ncols; i++)
        len += (size_t)snprintf(sql + len, cap - len, "%s%s", i ? ", " : "", cols[i]);
    len += (size_t)snprintf(sql + len, cap - len, ") VALUES ");
    int param = 1;
    for (size_t r = 0; r < n; r++) {
        len += (size_t)snprintf(sql + len, cap - len, "%s(", r ? ", " : "");
        for (int i = 0; i < ncols; i++)
            len += (size_t)snprintf(sql + len, cap - len, "%s$%d", i ? ", " : "", param++);
        len += (size_t)snprintf(sql + len, cap - len, ")");
    }
    if (!upsert) return sql;
    len += (size_t)snprintf(sql + len, cap - len, " ON CONFLICT (%s) DO ", cols[0]);
    if (ncols == 1)
        len += (size_t)snprintf(sql + len, cap - len, "NOTHING");
    else
        len += (size_t)snprintf(sql + len, cap - len, "UPDATE SET ");
    for (int i = 1; i < ncols; i++)
        len += (size_t)snprintf(sql + len, cap - len, "%s%s = excluded.%s", i > 1 ? ", " : "",
                                cols[i], cols[i]);
    if (len >= cap) abort(); /* cap counts every byte written above */
    return sql;
}

/* Write nrows rows, n to a statement (st, made for n rows), from vals
 * on; r is where they start, and passes those written. Texts are bound
 * without a copy: vals outlive the step. 0 or a STORE_E_* code. */
static int write_batches(store_stmt *st, int ncols, const struct store_value *vals, size_t *r,
                         size_t nrows, size_t n)
{
    int rc = 0;
    if (!st) return STORE_E_ERROR;
    for (; rc == 0 && *r + n <= nrows; *r += n) {
        const struct store_value *row = vals + *r * (size_t)ncols;
        for (size_t k = 0; k < n * (size_t)ncols; k++) {
            const struct store_value *v = &row[k];
            if (v->type == STORE_V_TEXT && v->v.s)
                store_bind_text_ref(st, (int)k + 1, v->v.s);
            else
                store_bind_value(st, (int)k + 1, v);
        }
        int s = store_step(st);
        store_reset(st);
        if (s < 0) rc = s;
    }
    store_done(st);
    return rc;
}

/* Write many rows, many to a statement (see store.h). Full batches share
 * one statement; the few rows left over go one at a time, so that the
 * statement cache holds two statements a table, not one per remainder. */
int store_write_rows(store_conn *c, const char *table, const char *const *cols, int ncols,
                     const struct store_value *vals, size_t nrows, unsigned how)
{
    size_t r = 0;
    int rc = 0;
    bool upsert = !(how & STORE_ROWS_NEW);
    for (int pass = 0; pass < 2 && rc == 0 && r < nrows; pass++) {
        size_t n = pass == 0 ? BATCH_ROWS : 1;
        if (n > 1 && (nrows < n || (how & STORE_ROWS_ONE_BY_ONE))) continue;
        char *sql = rows_sql(table, cols, ncols, n, upsert);
        if (!sql) return STORE_E_ERROR;
        rc = write_batches(store_prepare(c, sql), ncols, vals, &r, nrows, n);
        free(sql);
    }
    return rc;
}
