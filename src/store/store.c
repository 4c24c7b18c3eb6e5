/*
 * store.c: the backend-independent half of the store. Statements are cached
 * per connection in an open-addressing table keyed by SQL text, so each SQL
 * string is compiled once per connection for its lifetime. A statement that
 * is already in use (a nested query with the same text) gets a private copy
 * that store_done() finalizes.
 */
#include "store/store.h"

#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct store_stmt {
    store_conn *c;
    void *native;
    bool in_use;
    bool private_copy;
};

struct cache_slot {
    char *sql;
    uint64_t hash;
    store_stmt *st;
};

struct store_conn {
    const struct store_backend *be;
    void *db;
    struct cache_slot *slots;
    size_t nslots, used;
    int depth; /* 0: no transaction; 1: outer; >1: savepoints inside it */
    long long prepares;
    /* A job on a second thread (store_background()): the connection is its
     * alone until the thread that started it joins it. */
    struct background {
        pthread_t thread, owner; /* owner: the thread whose calls wait */
        int (*job)(store_conn *c, void *arg);
        void *arg;
        int rc;           /* the job's result (set by the job's thread) */
        atomic_bool done; /* the job has returned: joining costs nothing */
        bool running;     /* started and not yet joined */
        int failed;       /* the first failure since store_background_wait() */
    } bg;
};

/*
 * Join the background job, if this thread started one. Every call that
 * touches the connection starts here, so the job has it to itself: the
 * job's own thread passes straight through (it is not the owner).
 */
static void background_settle(store_conn *c)
{
    if (!c->bg.running || !pthread_equal(pthread_self(), c->bg.owner)) return;
    pthread_join(c->bg.thread, NULL);
    c->bg.running = false;
    if (c->bg.rc < 0 && !c->bg.failed) c->bg.failed = c->bg.rc;
}

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/*
 * Open a connection on the backend named by the dsn prefix. The caller owns
 * the result; *err (malloc'd) explains a failure.
 */
store_conn *store_open(const char *dsn, char **err)
{
    const struct store_backend *be = &store_sqlite;
    if (strncmp(dsn, "sqlite:", 7) == 0)
        dsn += 7;
    else if (strncmp(dsn, "postgres", 8) == 0) {
        *err = strdup("the PostgreSQL backend is not built into this chis yet");
        return NULL;
    }
    void *db = be->open(dsn, err);
    if (!db) return NULL;
    store_conn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->be = be;
    c->db = db;
    c->nslots = 64;
    c->slots = calloc(c->nslots, sizeof *c->slots);
    if (!c->slots) abort();
    return c;
}

/* Finalize every cached statement and close the connection. NULL is a no-op. */
void store_close(store_conn *c)
{
    if (!c) return;
    background_settle(c);
    while (c->depth)
        store_rollback(c);
    for (size_t i = 0; i < c->nslots; i++) {
        if (!c->slots[i].sql) continue;
        c->be->finalize(c->slots[i].st->native);
        free(c->slots[i].st);
        free(c->slots[i].sql);
    }
    free(c->slots);
    c->be->close(c->db);
    free(c);
}

const struct store_backend *store_backend_of(const store_conn *c)
{
    return c->be;
}

static void cache_grow(store_conn *c)
{
    size_t n = c->nslots * 2;
    struct cache_slot *s = calloc(n, sizeof *s);
    if (!s) abort();
    for (size_t i = 0; i < c->nslots; i++) {
        if (!c->slots[i].sql) continue;
        size_t j = c->slots[i].hash & (n - 1);
        while (s[j].sql)
            j = (j + 1) & (n - 1);
        s[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = s;
    c->nslots = n;
}

/*
 * Return a ready statement for sql. Cached statements are owned by the
 * connection; callers hand them back with store_done().
 */
store_stmt *store_prepare(store_conn *c, const char *sql)
{
    background_settle(c);
    uint64_t h = sql_hash(sql);
    size_t i = h & (c->nslots - 1);
    while (c->slots[i].sql) {
        if (c->slots[i].hash == h && strcmp(c->slots[i].sql, sql) == 0) {
            store_stmt *st = c->slots[i].st;
            if (!st->in_use) {
                st->in_use = true;
                return st;
            }
            void *native = c->be->prepare(c->db, sql);
            if (!native) return NULL;
            c->prepares++;
            store_stmt *copy = calloc(1, sizeof *copy);
            if (!copy) abort();
            *copy = (store_stmt){c, native, true, true};
            return copy;
        }
        i = (i + 1) & (c->nslots - 1);
    }
    void *native = c->be->prepare(c->db, sql);
    if (!native) {
        log_error("store: cannot prepare: %s: %s", c->be->errmsg(c->db), sql);
        return NULL;
    }
    c->prepares++;
    store_stmt *st = calloc(1, sizeof *st);
    char *key = strdup(sql);
    if (!st || !key) abort();
    *st = (store_stmt){c, native, true, false};
    c->slots[i] = (struct cache_slot){key, h, st};
    if (++c->used * 2 > c->nslots) cache_grow(c);
    return st;
}

/* Reset a statement for another run, keeping it (see store.h). */
void store_reset(store_stmt *st)
{
    st->c->be->reset(st->native);
}

/* Reset a statement and return it to the cache (or free a private copy). */
void store_done(store_stmt *st)
{
    if (!st) return;
    st->c->be->reset(st->native);
    if (st->private_copy) {
        st->c->be->finalize(st->native);
        free(st);
        return;
    }
    st->in_use = false;
}

int store_bind_int(store_stmt *st, int idx, long long v)
{
    return st->c->be->bind_int(st->native, idx, v);
}

int store_bind_text(store_stmt *st, int idx, const char *s)
{
    if (!s) return st->c->be->bind_null(st->native, idx);
    return st->c->be->bind_text(st->native, idx, s, strlen(s));
}

/* Bind text without a copy (see store.h): for rows written in bulk. */
int store_bind_text_ref(store_stmt *st, int idx, const char *s)
{
    if (!s) return st->c->be->bind_null(st->native, idx);
    return st->c->be->bind_text_ref(st->native, idx, s, strlen(s));
}

int store_bind_null(store_stmt *st, int idx)
{
    return st->c->be->bind_null(st->native, idx);
}

int store_bind_double(store_stmt *st, int idx, double v)
{
    return st->c->be->bind_double(st->native, idx, v);
}

static int store_vbindf(store_stmt *st, const char *types, va_list ap)
{
    int rc = 0;
    for (int n = 1; types && types[n - 1]; n++) {
        switch (types[n - 1]) {
        case 'i':
            rc |= store_bind_int(st, n, va_arg(ap, long long));
            break;
        case 'I': {
            long long v = va_arg(ap, long long);
            rc |= v ? store_bind_int(st, n, v) : store_bind_null(st, n);
            break;
        }
        case 'b':
            rc |= store_bind_int(st, n, va_arg(ap, int) ? 1 : 0);
            break;
        case 't':
            rc |= store_bind_text(st, n, va_arg(ap, const char *));
            break;
        case 'd':
            rc |= store_bind_double(st, n, va_arg(ap, double));
            break;
        default:
            log_error("store: bad bind type '%c'", types[n - 1]);
            return -1;
        }
    }
    return rc ? -1 : 0;
}

/* Bind $1.. from a type string; see store.h. */
int store_bindf(store_stmt *st, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = store_vbindf(st, types, ap);
    va_end(ap);
    return rc;
}

int store_step(store_stmt *st)
{
    return st->c->be->step(st->native);
}

int store_col_count(store_stmt *st)
{
    return st->c->be->column_count(st->native);
}

const char *store_col_name(store_stmt *st, int col)
{
    return st->c->be->column_name(st->native, col);
}

bool store_col_null(store_stmt *st, int col)
{
    return st->c->be->column_is_null(st->native, col);
}

long long store_col_int(store_stmt *st, int col)
{
    return st->c->be->column_int(st->native, col);
}

double store_col_double(store_stmt *st, int col)
{
    return st->c->be->column_double(st->native, col);
}

const char *store_col_text(store_stmt *st, int col)
{
    return st->c->be->column_text(st->native, col);
}

/* Run a statement for its effect; the count of changed rows or STORE_E_*. */
long long store_run(store_conn *c, const char *sql, const char *types, ...)
{
    store_stmt *st = store_prepare(c, sql);
    if (!st) return STORE_E_ERROR;
    va_list ap;
    va_start(ap, types);
    int rc = store_vbindf(st, types, ap);
    va_end(ap);
    if (rc) {
        store_done(st);
        return STORE_E_ERROR;
    }
    int s;
    while ((s = store_step(st)) == STORE_ROW) {
    }
    store_done(st);
    if (s < 0) return s;
    return c->be->changes(c->db);
}

/* Fetch one integer; 1 with *out set, 0 when no row, or STORE_E_*. */
int store_query_int(store_conn *c, long long *out, const char *sql, const char *types, ...)
{
    store_stmt *st = store_prepare(c, sql);
    if (!st) return STORE_E_ERROR;
    va_list ap;
    va_start(ap, types);
    int rc = store_vbindf(st, types, ap);
    va_end(ap);
    if (rc) {
        store_done(st);
        return STORE_E_ERROR;
    }
    int s = store_step(st);
    int result = s;
    if (s == STORE_ROW) {
        *out = store_col_null(st, 0) ? 0 : store_col_int(st, 0);
        result = 1;
        while ((s = store_step(st)) == STORE_ROW) {
        }
        if (s < 0) result = s;
    }
    store_done(st);
    return result;
}

int store_exec(store_conn *c, const char *sql)
{
    background_settle(c);
    return c->be->exec(c->db, sql);
}

/*
 * Begin a write transaction. Inside one already, open a savepoint instead,
 * so a domain operation made of smaller ones is still all or nothing: the
 * inner ones commit into the outer, and an inner rollback undoes only itself.
 */
int store_begin(store_conn *c)
{
    background_settle(c);
    if (c->depth == 0) {
        if (c->be->begin_write(c->db) != 0) return -1;
    } else {
        char sql[32];
        snprintf(sql, sizeof sql, "SAVEPOINT sp%d", c->depth);
        if (c->be->exec(c->db, sql) != 0) return -1;
    }
    c->depth++;
    return 0;
}

int store_commit(store_conn *c)
{
    background_settle(c);
    if (c->depth == 0) return -1;
    if (c->depth == 1) {
        if (c->be->commit(c->db) != 0) {
            store_rollback(c);
            return -1;
        }
        c->depth = 0;
        return 0;
    }
    char sql[32];
    snprintf(sql, sizeof sql, "RELEASE sp%d", c->depth - 1);
    if (c->be->exec(c->db, sql) != 0) return -1;
    c->depth--;
    return 0;
}

int store_rollback(store_conn *c)
{
    background_settle(c);
    if (c->depth == 0) return 0;
    if (c->depth == 1) {
        c->depth = 0;
        return c->be->rollback(c->db);
    }
    char sql[64];
    c->depth--;
    snprintf(sql, sizeof sql, "ROLLBACK TO sp%d", c->depth);
    int rc = c->be->exec(c->db, sql);
    snprintf(sql, sizeof sql, "RELEASE sp%d", c->depth);
    return rc | c->be->exec(c->db, sql);
}

bool store_in_tx(const store_conn *c)
{
    return c->depth > 0;
}

long long store_changes(store_conn *c)
{
    background_settle(c);
    return c->be->changes(c->db);
}

const char *store_errmsg(store_conn *c)
{
    background_settle(c);
    return c->be->errmsg(c->db);
}

int store_migrate(store_conn *c, int *from, int *to, char **err)
{
    background_settle(c);
    return c->be->migrate(c, from, to, err);
}

int store_schema_version(store_conn *c)
{
    background_settle(c);
    return c->be->schema_version(c);
}

long long store_data_version(store_conn *c)
{
    long long others = 0;
    if (store_query_int(c, &others, c->be->data_version_sql, NULL) != 1) return -1;
    return (long long)(((unsigned long long)others << 40) ^
                       (unsigned long long)c->be->total_changes(c->db));
}

long long store_prepare_count(const store_conn *c)
{
    return c->prepares;
}

/* The newest schema version this connection's backend can migrate to. */
int store_schema_latest(const store_conn *c)
{
    return c->be->schema_latest;
}

/* See store.h: index every service the full-text index lacks. */
int store_text_index_fill(store_conn *c, long long after)
{
    background_settle(c);
    const struct store_backend *b = store_backend_of(c);
    return b->text_index_fill ? b->text_index_fill(c, after) : 0;
}

/* See store.h: the backend's way to bring its full-text index up to date. */
int store_text_index_flush(store_conn *c)
{
    background_settle(c);
    const struct store_backend *b = store_backend_of(c);
    return b->text_index_flush ? b->text_index_flush(c) : 0;
}

/* The job's thread: run it and say it is done. */
static void *background_main(void *arg)
{
    store_conn *c = arg;
    c->bg.rc = c->bg.job(c, c->bg.arg);
    atomic_store(&c->bg.done, true);
    return NULL;
}

/* Run job on a second thread (see store.h). */
int store_background(store_conn *c, int (*job)(store_conn *c, void *arg), void *arg)
{
    background_settle(c);
    c->bg.job = job;
    c->bg.arg = arg;
    c->bg.owner = pthread_self();
    atomic_store(&c->bg.done, false);
    c->bg.running = true;
    if (pthread_create(&c->bg.thread, NULL, background_main, c) == 0) return 0;
    /* No thread: the job runs here, which is only slower. */
    c->bg.running = false;
    int rc = job(c, arg);
    if (rc < 0 && !c->bg.failed) c->bg.failed = rc;
    return -1;
}

/* Wait for the background job (see store.h). */
int store_background_wait(store_conn *c)
{
    background_settle(c);
    int rc = c->bg.failed;
    c->bg.failed = 0;
    return rc;
}

/* Is a background job still at work? (see store.h) */
bool store_background_busy(store_conn *c)
{
    return c->bg.running && !atomic_load(&c->bg.done);
}
