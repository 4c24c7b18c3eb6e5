/*
 * store.h: the one door to the database. Domain code speaks to a connection
 * through these calls only; each backend (sqlite.c today, pg.c later) fills a
 * struct store_backend and the common layer in store.c adds what is the same
 * for all: the prepared-statement cache, typed binding helpers and logging.
 *
 * SQL given here must be portable: parameters written $1, $2 ...; no
 * backend-only syntax (that lives inside the backend, e.g. its migrations).
 *
 * Return convention: 0 success, -1 failure, except store_step() which
 * answers STORE_ROW, STORE_DONE or a negative STORE_E_* code.
 */
#ifndef CHIS_STORE_H
#define CHIS_STORE_H

#include "base/arena.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct store_conn store_conn;
typedef struct store_stmt store_stmt;

enum {
    STORE_ROW = 1,
    STORE_DONE = 0,
    STORE_E_ERROR = -1,      /* anything else; see store_errmsg() */
    STORE_E_CONSTRAINT = -2, /* unique, foreign key or check violated */
    STORE_E_BUSY = -3,       /* the database stayed locked past the timeout */
};

/* Capability flags a backend declares, so callers choose without #ifdef. */
enum {
    STORE_CAP_FTS = 1 << 0,       /* full-text search tables */
    STORE_CAP_RETURNING = 1 << 1, /* INSERT ... RETURNING */
};

/*
 * Full-text search over the directory's services, described by the backend
 * because every engine spells it differently (SQLite: FTS5 and bm25). Scores
 * are "lower is better"; the name weighs more than the description.
 */
struct store_text_search {
    /* Rows (rid, score) of every service matching the text query $1, in no
     * particular order. Usable as a subquery: it takes only $1. */
    const char *match_all_sql;
    /* Rows (rid, score) of the services among $2 that match the text query
     * $1, where $2 is a JSON array of rids ("[12,7,40]"): for testing
     * candidates found another way, in one statement so that per-query
     * work (SQLite's bm25 counts each word's matches) is done once. */
    const char *match_some_sql;
    /* Appended to a text column in ORDER BY to sort it without regard to
     * case, the way its index is built (e.g. " COLLATE NOCASE"). */
    const char *nocase;
    /*
     * Turn words a person typed into a text query for the SQL above: every
     * word quoted as a literal (no operators reach the engine), all
     * required. Returns a string in a, or NULL when s holds no word.
     */
    char *(*query)(arena *a, const char *s);
    /*
     * The same words as separate one-word text queries (at most max, in
     * a), so that each word's matches can be read and kept on their own:
     * the rows matching query(s) are those matching every one of them, and
     * a row's score for query(s) is the sum of its scores for each.
     * Returns how many.
     */
    int (*words)(arena *a, const char *s, const char **out, int max);
    /* One text value that changes whenever the text index changes (any
     * service written or removed), for caches of what was read from it. */
    const char *version_sql;
    /* A subquery listing the integers of a JSON array given as parameter
     * $N, with %d standing for N (a printf format): how a list of rids
     * found in memory goes back into SQL in one parameter. */
    const char *json_ints_sql;
};

struct store_backend {
    const char *name;
    unsigned caps;
    void *(*open)(const char *dsn, char **err);
    void (*close)(void *db);
    void *(*prepare)(void *db, const char *sql);
    void (*finalize)(void *st);
    void (*reset)(void *st);
    int (*bind_int)(void *st, int idx, long long v);
    int (*bind_text)(void *st, int idx, const char *s, size_t len);
    int (*bind_null)(void *st, int idx);
    int (*bind_double)(void *st, int idx, double v);
    int (*step)(void *st);
    int (*column_count)(void *st);
    const char *(*column_name)(void *st, int col);
    bool (*column_is_null)(void *st, int col);
    long long (*column_int)(void *st, int col);
    double (*column_double)(void *st, int col);
    const char *(*column_text)(void *st, int col);
    int (*exec)(void *db, const char *sql); /* several statements, no parameters */
    int (*begin_write)(void *db);
    int (*commit)(void *db);
    int (*rollback)(void *db);
    long long (*changes)(void *db);
    const char *(*errmsg)(void *db);
    int (*migrate)(store_conn *c, int *from, int *to, char **err);
    int (*schema_version)(store_conn *c); /* -1 if unreadable */
    int schema_latest;                    /* newest migration this backend has */
    const char *data_version_sql;         /* one integer that moves when others commit */
    long long (*total_changes)(void *db); /* rows changed through this connection */
    /* Index the directory services queued for the full-text index since
     * the last call (see the directory migration). 0 or -1. */
    int (*text_index_flush)(store_conn *c);
    /* A large write is coming (on) or has ended (off): e.g. a bigger page
     * cache while it lasts. 0 or -1. */
    int (*bulk_hint)(void *db, bool on);
    const struct store_text_search *text_search; /* NULL: none (see STORE_CAP_FTS) */
};

extern const struct store_backend store_sqlite;

/*
 * Open a connection. dsn is "sqlite:PATH" or a plain path (SQLite). On
 * failure returns NULL and sets *err to a malloc'd message the caller frees.
 * The caller owns the connection and closes it with store_close().
 */
store_conn *store_open(const char *dsn, char **err);
void store_close(store_conn *c);
const struct store_backend *store_backend_of(const store_conn *c);

/*
 * Prepare sql, or take it from the connection's cache. The statement belongs
 * to the connection: never finalize it; call store_done() when finished so it
 * is reset for the next user. NULL on a syntax error (logged).
 */
store_stmt *store_prepare(store_conn *c, const char *sql);
void store_done(store_stmt *st);

int store_bind_int(store_stmt *st, int idx, long long v);
int store_bind_text(store_stmt *st, int idx, const char *s); /* NULL binds null */
int store_bind_null(store_stmt *st, int idx);
int store_bind_double(store_stmt *st, int idx, double v);

/*
 * Bind several parameters at once from a type string: 'i' long long,
 * 'I' long long where 0 means null (optional ids), 't' const char * (NULL binds null),
 * 'd' double, 'b' int as boolean. Parameter n is $n.
 */
int store_bindf(store_stmt *st, const char *types, ...);

int store_step(store_stmt *st);
int store_col_count(store_stmt *st);
const char *store_col_name(store_stmt *st, int col);
bool store_col_null(store_stmt *st, int col);
long long store_col_int(store_stmt *st, int col);
double store_col_double(store_stmt *st, int col);
const char *store_col_text(store_stmt *st, int col); /* valid until the next step */

/*
 * Run a statement that returns no rows (or whose rows are ignored) with
 * parameters bound from types as store_bindf(). Returns the number of rows
 * changed, or a negative STORE_E_* code.
 */
long long store_run(store_conn *c, const char *sql, const char *types, ...);

/*
 * Run a query expected to return at most one integer (e.g. a count or an id
 * from RETURNING). Returns 1 and sets *out when a row came back, 0 for none,
 * or a negative STORE_E_* code.
 */
int store_query_int(store_conn *c, long long *out, const char *sql, const char *types, ...);

int store_exec(store_conn *c, const char *sql);
int store_begin(store_conn *c); /* a write transaction (BEGIN IMMEDIATE), or a savepoint in one */
int store_commit(store_conn *c);
int store_rollback(store_conn *c);
bool store_in_tx(const store_conn *c);
const char *store_errmsg(store_conn *c);
long long store_changes(store_conn *c); /* rows changed by the last statement */

int store_migrate(store_conn *c, int *from, int *to, char **err);
int store_schema_version(store_conn *c);
int store_schema_latest(const store_conn *c);

/*
 * A number that changes whenever the database may have changed since it was
 * last read on this connection: a commit here or on any other connection
 * (thread or process). Cached reads are valid while it stays the same.
 */
long long store_data_version(store_conn *c);

/* Bring the full-text index up to date with the rows queued for it (the
 * backend's own way): after writing directory services. 0 or -1. */
int store_text_index_flush(store_conn *c);

/* Tell the backend a large write is starting (on) or has ended (off). */
int store_bulk_hint(store_conn *c, bool on);

/* Statements prepared on this connection since it opened (for tests/bench). */
long long store_prepare_count(const store_conn *c);

#endif
