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
    int (*bind_text_ref)(void *st, int idx, const char *s, size_t len); /* not copied */
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
    /* Set the connection for a large write (on), outside any transaction,
     * or back again (off) after it ended; *state is the backend's own note
     * of what it changed, kept by store_bulk_begin() between the two. Foreign
     * keys may be left unchecked while it lasts: fk_check() checks them. */
    int (*bulk_mode)(store_conn *c, bool on, int *state);
    /* Rows of table whose foreign keys point nowhere: 0 none, 1 some (and
     * what first in *why, malloc'd), or a negative STORE_E_* code. */
    int (*fk_check)(store_conn *c, const char *table, char **why);
    /* A query of the name and CREATE statement of each index of table $1
     * that no constraint needs (not unique) and that holds every row (not
     * partial: a partial index holds few rows by design, so keeping it
     * costs a row only its condition, where building it again costs a scan
     * of the table): what a bulk load may drop and build again. NULL: none
     * may be. */
    const char *secondary_indexes_sql;
    /* The same for table $1's triggers. */
    const char *triggers_sql;
    /* Index every directory service past row number after that the
     * full-text index lacks, queued or not (after a load that set the
     * queue's triggers aside). 0 or -1. */
    int (*text_index_fill)(store_conn *c, long long after);
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
/* Reset a statement to step it again with new values, keeping it (a loop
 * that runs the same statement many times; store_done() at the end). */
void store_reset(store_stmt *st);

int store_bind_int(store_stmt *st, int idx, long long v);
int store_bind_text(store_stmt *st, int idx, const char *s); /* NULL binds null */
/* As store_bind_text(), but s is not copied: it must stay as it is until
 * the statement is stepped and done with. */
int store_bind_text_ref(store_stmt *st, int idx, const char *s);
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
/* Index every directory service the full-text index does not have yet,
 * whether or not it was queued, of those numbered past after (0: all, or
 * the last one an earlier fill saw: rows are numbered in the order they are
 * added): after a bulk load into an empty directory that set the queue's
 * triggers aside. 0 or -1. */
int store_text_index_fill(store_conn *c, long long after);

/*
 * A large write (an import, a generator): one transaction, with the backend
 * set for volume while it lasts (bulk.c says how). tables names every table
 * the write fills, NULL-terminated: their foreign keys are checked once
 * before the commit rather than row by row. Inside another transaction it
 * is a plain savepoint. The caller owns the result and ends it with exactly
 * one of store_bulk_commit() or store_bulk_rollback(), which free it.
 * NULL when the transaction cannot start.
 */
typedef struct store_bulk store_bulk;
store_bulk *store_bulk_begin(store_conn *c, const char *const *tables);
/*
 * Drop table's indexes that no constraint needs until the large write
 * commits or store_bulk_restore() is called: rows go into a table without
 * them several times faster, and each index is then built once from
 * sorted entries. Partial indexes stay (see secondary_indexes_sql). For a table that was empty when
 * the write began and is not read by an indexed column meanwhile. 0 or -1.
 */
int store_bulk_defer_indexes(store_bulk *b, const char *table);
/*
 * Drop table's triggers until the commit or store_bulk_restore(): the
 * caller answers for what they would have done for the rows it writes
 * meanwhile (for the directory's text-index queue, store_text_index_fill).
 * 0 or -1.
 */
int store_bulk_defer_triggers(store_bulk *b, const char *table);
/* Create every deferred index and trigger again now (a read is about to
 * need them, or writes that need the triggers follow): 0 or -1. Deferring
 * again afterwards is allowed. */
int store_bulk_restore(store_bulk *b);
/* Has the write indexes or triggers set aside? */
bool store_bulk_deferring(const store_bulk *b);

/* Check the foreign keys, then commit: 0, or -1 with everything rolled
 * back; when a foreign key did not hold, *why (malloc'd, the caller frees
 * it) says where. why may be NULL. */
int store_bulk_commit(store_bulk *b, char **why);
void store_bulk_rollback(store_bulk *b);

/* One value of a row given to store_write_rows(). */
enum store_vtype { STORE_V_NULL, STORE_V_INT, STORE_V_REAL, STORE_V_TEXT };
struct store_value {
    enum store_vtype type;
    union {
        long long i;
        double d;
        const char *s;
    } v;
};
int store_bind_value(store_stmt *st, int idx, const struct store_value *v);

/*
 * Write nrows rows of ncols values each (row-major in vals) into table:
 * each row is inserted, or when a row with the same cols[0] (a unique key)
 * exists, that row's other columns are set from it, as INSERT ... ON
 * CONFLICT (cols[0]) DO UPDATE does; dozens of rows to a statement, which
 * saves opening the table and its indexes for each. No two rows may share
 * a key. Texts are not copied. how is 0 or any of:
 *   STORE_ROWS_NEW         none of the keys is in the table: plain inserts
 *   STORE_ROWS_ONE_BY_ONE  a row to a statement: for a table with triggers,
 *                          where SQLite would first copy a many-row insert
 *                          whole into a temporary table
 * 0 or a negative STORE_E_* code.
 */
enum { STORE_ROWS_NEW = 1, STORE_ROWS_ONE_BY_ONE = 2 };
int store_write_rows(store_conn *c, const char *table, const char *const *cols, int ncols,
                     const struct store_value *vals, size_t nrows, unsigned how);

/*
 * A job on a second thread, for a large write to overlap work that needs no
 * database: job(c, arg) gets the connection to itself until it returns.
 * Until then every call on c (but store_in_tx and the statement calls) from
 * the thread that started it waits for it first, so that thread may go on
 * as if the job were done; it must have no statement open when it starts
 * one. One job at a time: starting one waits for the last. The job's
 * result is kept for store_background_wait(). 0 or -1 (no thread: the job
 * has run here already).
 */
int store_background(store_conn *c, int (*job)(store_conn *c, void *arg), void *arg);
/* Wait for the job, if one runs. The first failure (a negative STORE_E_*
 * code) of any job since the last call, or 0. */
int store_background_wait(store_conn *c);
/* Is a job still at work (waiting for it would take time)? */
bool store_background_busy(store_conn *c);

/* Statements prepared on this connection since it opened (for tests/bench). */
long long store_prepare_count(const store_conn *c);

#endif
