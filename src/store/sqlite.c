/*
 * sqlite.c: the embedded SQLite backend. Every connection runs in WAL mode
 * with foreign keys on and a busy timeout, so that one connection per worker
 * thread can read while another writes. Writes use BEGIN IMMEDIATE so a
 * transaction takes the write lock up front instead of failing at COMMIT.
 */
#include "store/sqlite_schema.h"
#include "store/store.h"

#include "base/log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_BUSY_MS 5000

/* "what: why" in new memory the caller frees (NULL when there is none). */
static char *sqlite_msg(const char *what, const char *why)
{
    int n = snprintf(NULL, 0, "%s: %s", what, why);
    char *msg = malloc((size_t)n + 1);
    if (msg) snprintf(msg, (size_t)n + 1, "%s: %s", what, why);
    return msg;
}

/* "what: SQLite's message" (see sqlite_msg). */
static char *sqlite_strerr(const char *what, sqlite3 *db)
{
    return sqlite_msg(what, db ? sqlite3_errmsg(db) : "out of memory");
}

/*
 * Process-wide SQLite settings, made once before the first connection:
 * memory statistics off, because keeping them takes a global mutex on every
 * allocation and every worker thread would queue on it.
 */
static void sqlite_configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

static int sqlite_register_rank(sqlite3 *db);

/* Run n statements without parameters in order, stopping at the first
 * that fails. 0 or -1. */
static int sqlite_run_all(store_conn *c, const char *const *sql, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (store_run(c, sql[i], "") < 0) return -1;
    return 0;
}

/*
 * Index the queued directory services in three statements: one FTS5 insert
 * of many rows flushes once, where row-by-row inserts inside a transaction
 * flush at every statement. Nothing queued is the common case: one read.
 */
static int sqlite_text_index_flush(store_conn *c)
{
    long long queued = 0;
    if (store_query_int(c, &queued, "SELECT EXISTS (SELECT 1 FROM dir_services_fts_queue)", "") < 0)
        return -1;
    if (!queued) return 0;
    static const char *const sql[] = {
        "DELETE FROM dir_services_fts WHERE rowid IN (SELECT rid FROM dir_services_fts_queue)",
        "INSERT INTO dir_services_fts (rowid, name, description, extra)"
        " SELECT s.rid, s.name, s.description, s.keywords FROM dir_services s"
        " JOIN dir_services_fts_queue q ON q.rid = s.rid",
        "DELETE FROM dir_services_fts_queue",
    };
    return sqlite_run_all(c, sql, sizeof sql / sizeof sql[0]);
}

/*
 * Index every service past row after that the full-text index lacks: one
 * insert of many rows (as the flush), the queue cleared of them too.
 *
 * A bulk write calls this for each batch it streams (dir_bulk.c): fifty
 * for 100,000 services. Each fill is a new segment of the index, and
 * FTS5's automatic merging rewrote them over and over as they came, 30%
 * of the indexing; with it off during the fill, segments merge only when
 * sixteen pile up at a level (FTS5's "crisismerge", always on). Merging is
 * back on before this returns, so later writes tidy the segments a little
 * at a time as ever (4 is FTS5's own default).
 */
static int sqlite_text_index_fill(store_conn *c, long long after)
{
    static const char *const sql[] = {
        "INSERT INTO dir_services_fts (rowid, name, description, extra)"
        " SELECT s.rid, s.name, s.description, s.keywords FROM dir_services s"
        " WHERE s.rid > $1 AND s.rid NOT IN (SELECT rowid FROM dir_services_fts WHERE rowid > $1)",
        "DELETE FROM dir_services_fts_queue"
        " WHERE rid > $1 AND rid IN (SELECT rowid FROM dir_services_fts WHERE rowid > $1)",
    };
    if (store_exec(c, "INSERT INTO dir_services_fts (dir_services_fts, rank)"
                      " VALUES ('automerge', 0)") != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == 0; i++)
        if (store_run(c, sql[i], "i", after) < 0) rc = -1;
    if (store_exec(c, "INSERT INTO dir_services_fts (dir_services_fts, rank)"
                      " VALUES ('automerge', 4)") != 0)
        rc = -1;
    return rc;
}

/* The text a one-row pragma answers, copied into out; "" when it fails
 * (SQLite says "database is locked" at once rather than waiting when
 * another connection holds the file, which is what the callers expect). */
static void sqlite_pragma_text(store_conn *c, const char *sql, char *out, size_t size)
{
    out[0] = '\0';
    store_stmt *st = store_prepare(c, sql);
    if (!st) return;
    if (store_step(st) == STORE_ROW && !store_col_null(st, 0))
        snprintf(out, size, "%s", store_col_text(st, 0));
    store_done(st);
}

enum { SQLITE_BULK_JOURNAL = 1 }; /* bulk_mode() left WAL for a rollback journal */

/*
 * Set the connection for a large write, or back. A bulk write (an import
 * of 100,000 services touches a gigabyte of pages) gets:
 *  - a rollback journal instead of the WAL when no other connection has
 *    the file open: the WAL would take every page and the checkpoint write
 *    it again (a third of such an import's time); a rollback journal holds
 *    only the pages that existed before. The write then keeps the file to
 *    itself (exclusive locking) until it ends: connections opened meanwhile
 *    wait the busy timeout and are told why. With another connection open
 *    when it starts, SQLite refuses the change at once and the write goes
 *    through the WAL as ever, readers reading on.
 *    synchronous=FULL while it lasts, as SQLite advises for that journal.
 *  - foreign keys off: checked row by row they make every statement keep a
 *    statement journal; store_bulk_commit() checks the written tables once.
 *  - 256 MiB of page cache: with a rollback journal, pages the cache lets
 *    go are simply written early (a 1 GiB cache, all fresh memory the
 *    kernel must zero, was no faster).
 * A crash mid-write leaves a hot journal that the next open rolls back
 * before it sets WAL again.
 */
static int sqlite_bulk_mode(store_conn *c, bool on, int *state)
{
    char mode[16];
    int rc = 0;
    if (on) {
        sqlite_pragma_text(c, "PRAGMA journal_mode", mode, sizeof mode);
        if (strcmp(mode, "wal") == 0) {
            sqlite_pragma_text(c, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
            if (strcmp(mode, "delete") == 0) *state |= SQLITE_BULK_JOURNAL;
        }
        /* In that journal a reader's lock would stop the write's commit
         * (or a spill of its cache) until the busy timeout, and then the
         * whole write: so the write keeps the file to itself until it
         * ends, and others opening it are told why (sqlite_open). */
        if (*state & SQLITE_BULK_JOURNAL)
            rc |= store_exec(c, "PRAGMA synchronous=FULL;PRAGMA locking_mode=EXCLUSIVE");
        return rc | store_exec(c, "PRAGMA foreign_keys=OFF;PRAGMA cache_size=-262144");
    }
    rc = store_exec(c, "PRAGMA foreign_keys=ON;PRAGMA cache_size=-65536");
    if (*state & SQLITE_BULK_JOURNAL) {
        /* Let the file go first (the next read releases the lock): WAL
         * entered in exclusive locking mode would keep it for good. */
        rc |= store_exec(c, "PRAGMA locking_mode=NORMAL;SELECT count(*) FROM sqlite_schema");
        sqlite_pragma_text(c, "PRAGMA journal_mode=WAL", mode, sizeof mode);
        /* Every other open sets WAL too, so a refusal here heals itself. */
        if (strcmp(mode, "wal") != 0) rc = -1;
        rc |= store_exec(c, "PRAGMA synchronous=NORMAL");
    }
    return rc ? -1 : 0;
}

/* Rows of table whose foreign keys point nowhere (see store.h). table is
 * one of the caller's own names, never input. */
static int sqlite_fk_check(store_conn *c, const char *table, char **why)
{
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA foreign_key_check(%s)", table);
    store_stmt *st = store_prepare(c, sql);
    if (!st) return STORE_E_ERROR;
    int rc = store_step(st);
    if (rc == STORE_ROW && why) {
        /* table, rowid, parent, the constraint's number */
        const char *parent = store_col_text(st, 2);
        int n = snprintf(NULL, 0, "%s row %lld refers to a missing %s", table, store_col_int(st, 1),
                         parent);
        *why = malloc((size_t)n + 1);
        if (*why)
            snprintf(*why, (size_t)n + 1, "%s row %lld refers to a missing %s", table,
                     store_col_int(st, 1), parent);
    }
    store_done(st);
    return rc;
}

/* Open path with the pragmas every connection needs; NULL and *err on failure. */
static void *sqlite_open(const char *path, char **err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure_once);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *err = sqlite_strerr(path, db);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, SQLITE_BUSY_MS);
    sqlite3_extended_result_codes(db, 1);
    const char *pragmas = "PRAGMA journal_mode=WAL;"
                          "PRAGMA synchronous=NORMAL;"
                          "PRAGMA foreign_keys=ON;"
                          "PRAGMA temp_store=MEMORY;"
                          /* 64 MiB of page cache (the default is 2): a large
                           * import spills less, and each connection only
                           * grows to what it reads. */
                          "PRAGMA cache_size=-65536;"
                          /* Reads through a memory map skip a copy per page
                           * (the directory search and the reports read a
                           * lot): up to 2 GiB, the most Debian's SQLite
                           * maps; pages beyond are read as before. */
                          "PRAGMA mmap_size=2147418112;"
                          /* Erased personal data must not linger in freed
                           * space: deleted content is overwritten with
                           * zeros (Debian's build does so already; other
                           * builds may not). */
                          "PRAGMA secure_delete=ON;";
    char *msg = NULL;
    if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        /* A large write that found the file to itself keeps it so until it
         * ends (see sqlite_bulk_mode): say so rather than just "locked". */
        *err = (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY
                   ? sqlite_msg(path, "the database is in use by a large write (an import or a"
                                      " generator) that has it to itself until it ends; try"
                                      " again then")
                   : sqlite_strerr(path, db);
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    if (sqlite_register_rank(db) != 0) {
        *err = sqlite_strerr("the full-text ranking function", db);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static void sqlite_close(void *db)
{
    sqlite3_close_v2(db);
}

/*
 * Our SQL writes parameters as $1, $2 ... as PostgreSQL does, where $n is
 * the n-th bound value wherever it appears. SQLite reads "$1" as a *named*
 * parameter numbered by first appearance, so "b = $2 AND a = $1" would bind
 * backwards. "?NNN" means exactly parameter NNN, so rewrite each $digits
 * outside quoted text as ?digits. Returns malloc'd SQL.
 */
static char *sqlite_numbered_params(const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n + 1);
    if (!out) abort();
    char quote = 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote) quote = 0;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
        } else if (ch == '$' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            ch = '?';
        }
        out[i] = ch;
    }
    return out;
}

static void *sqlite_prepare(void *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *numbered = sqlite_numbered_params(sql);
    int rc = sqlite3_prepare_v3(db, numbered, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    free(numbered);
    return rc == SQLITE_OK ? st : NULL;
}

static void sqlite_finalize(void *st)
{
    sqlite3_finalize(st);
}

static void sqlite_reset(void *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int sqlite_bind_int(void *st, int idx, long long v)
{
    return sqlite3_bind_int64(st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int sqlite_bind_text(void *st, int idx, const char *s, size_t len)
{
    return sqlite3_bind_text64(st, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK ? 0
                                                                                            : -1;
}

/* Bind text SQLite does not copy: the caller keeps it until the reset. */
static int sqlite_bind_text_ref(void *st, int idx, const char *s, size_t len)
{
    return sqlite3_bind_text64(st, idx, s, len, SQLITE_STATIC, SQLITE_UTF8) == SQLITE_OK ? 0 : -1;
}

static int sqlite_bind_null(void *st, int idx)
{
    return sqlite3_bind_null(st, idx) == SQLITE_OK ? 0 : -1;
}

static int sqlite_bind_double(void *st, int idx, double v)
{
    return sqlite3_bind_double(st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int sqlite_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_ROW:
        return STORE_ROW;
    case SQLITE_DONE:
        return STORE_DONE;
    case SQLITE_CONSTRAINT:
        return STORE_E_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_E_BUSY;
    default:
        return STORE_E_ERROR;
    }
}

static int sqlite_step(void *st)
{
    int rc = sqlite3_step(st);
    int code = sqlite_code(rc);
    if (code == STORE_E_ERROR)
        log_error("sqlite: %s (%d): %s", sqlite3_errmsg(sqlite3_db_handle(st)), rc,
                  sqlite3_sql(st));
    return code;
}

static int sqlite_column_count(void *st)
{
    return sqlite3_column_count(st);
}

static const char *sqlite_column_name(void *st, int col)
{
    return sqlite3_column_name(st, col);
}

static bool sqlite_column_is_null(void *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static long long sqlite_column_int(void *st, int col)
{
    return sqlite3_column_int64(st, col);
}

static double sqlite_column_double(void *st, int col)
{
    return sqlite3_column_double(st, col);
}

static const char *sqlite_column_text(void *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static int sqlite_exec_sql(void *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return sqlite_code(rc) == STORE_E_CONSTRAINT ? STORE_E_CONSTRAINT : -1;
    }
    return 0;
}

static int sqlite_begin(void *db)
{
    return sqlite_exec_sql(db, "BEGIN IMMEDIATE") == 0 ? 0 : -1;
}

static int sqlite_commit(void *db)
{
    return sqlite_exec_sql(db, "COMMIT") == 0 ? 0 : -1;
}

static int sqlite_rollback(void *db)
{
    if (sqlite3_get_autocommit(db)) return 0;
    return sqlite_exec_sql(db, "ROLLBACK") == 0 ? 0 : -1;
}

static long long sqlite_changes(void *db)
{
    return sqlite3_changes64(db);
}

static const char *sqlite_errmsg_of(void *db)
{
    return sqlite3_errmsg(db);
}

/* Rows changed through this connection since it opened, autocommit included. */
static long long sqlite_total_changes(void *db)
{
    return sqlite3_total_changes64(db);
}

/*
 * The schema version is kept in PRAGMA user_version, which is written in the
 * same transaction as the migration it records.
 */
static int sqlite_schema_version(store_conn *c)
{
    long long v = 0;
    if (store_query_int(c, &v, "PRAGMA user_version", NULL) != 1) return -1;
    return (int)v;
}

/*
 * Apply every migration above the current version, each in its own write
 * transaction. Refuses (returns -1 with *err) a database whose schema is newer
 * than this binary knows, so an old binary never writes to a newer schema.
 */
static int sqlite_migrate(store_conn *c, int *from, int *to, char **err)
{
    int latest = (int)sqlite_migrations_len;
    if (store_begin(c) != 0) {
        *err = strdup("cannot lock the database for migration");
        return -1;
    }
    int v = sqlite_schema_version(c);
    *from = v;
    *to = v;
    if (v < 0) {
        store_rollback(c);
        *err = strdup("cannot read the schema version");
        return -1;
    }
    if (v > latest) {
        store_rollback(c);
        char msg[160];
        snprintf(msg, sizeof msg,
                 "the database schema is version %d, newer than this chis knows (%d): "
                 "upgrade chis",
                 v, latest);
        *err = strdup(msg);
        return -1;
    }
    for (int n = v + 1; n <= latest; n++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
        if (store_exec(c, sqlite_migrations[n - 1]) != 0 || store_exec(c, pragma) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "migration %d failed: %s", n, store_errmsg(c));
            store_rollback(c);
            *err = strdup(msg);
            return -1;
        }
        *to = n;
    }
    if (store_commit(c) != 0) {
        *err = strdup("cannot commit the migration");
        return -1;
    }
    return 0;
}

/*
 * Splits typed words into FTS5 queries of one word each: every run of
 * letters and digits (any byte of a multi-byte UTF-8 character counts as a
 * letter) becomes a double-quoted string, which FTS5 reads as a literal, so
 * nothing a person types (AND, OR, NOT, NEAR, *, ^, :, parentheses, column
 * names) is read as an operator. At most max words (and 16) of at most 64
 * bytes each are kept. Returns how many, each in a.
 */
static int sqlite_fts_words(arena *a, const char *s, const char **out, int max)
{
    enum { MAX_WORDS = 16, MAX_WORD = 64 };
    if (!s) return 0;
    if (max > MAX_WORDS) max = MAX_WORDS;
    size_t n = strlen(s);
    int words = 0;
    for (size_t i = 0; i < n && words < max;) {
        unsigned char ch = (unsigned char)s[i];
        bool word = ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= 'A' && ch <= 'Z');
        if (!word) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n) {
            unsigned char c2 = (unsigned char)s[i];
            if (!(c2 >= 0x80 || (c2 >= '0' && c2 <= '9') || (c2 >= 'a' && c2 <= 'z') ||
                  (c2 >= 'A' && c2 <= 'Z')))
                break;
            i++;
        }
        size_t wl = i - start;
        if (wl > MAX_WORD) {
            /* Cut on a character boundary, never inside a UTF-8 sequence. */
            wl = MAX_WORD;
            while (wl > 0 && ((unsigned char)s[start + wl] & 0xC0) == 0x80)
                wl--;
        }
        if (!wl) continue;
        char *w = arena_alloc_raw(a, wl + 3);
        w[0] = '"';
        memcpy(w + 1, s + start, wl);
        w[wl + 1] = '"';
        w[wl + 2] = 0;
        out[words++] = w;
    }
    return words;
}

/* The words of s as one FTS5 query, all required ("a" "b"); NULL when none. */
static char *sqlite_fts_query(arena *a, const char *s)
{
    const char *w[16];
    int n = sqlite_fts_words(a, s, w, 16);
    if (!n) return NULL;
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *out = arena_alloc_raw(a, len), *p = out;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(w[i]);
        if (i) *p++ = ' ';
        memcpy(p, w[i], l);
        p += l;
    }
    *p = 0;
    return out;
}

/*
 * chis_rank(fts, w0, w1, ...): how well the current row matches, lower is
 * better, like bm25(): for every word (phrase) of the query and every
 * column, the column's weight wN times a saturating count of the word's
 * hits there, tf * 2.2 / (tf + 1.2) (BM25's term-frequency part, k1 = 1.2).
 *
 * Why not bm25() itself: measured on 200,000 services, bm25() counts every
 * match of each word again whenever FTS5 filters the table anew (for its
 * IDF), and SQLite 3.40 re-filters for every value of a "rowid IN (...)"
 * list; testing 500 candidates that way cost 200-600 ms for a common word.
 * Leaving out IDF and length normalisation makes the score a function of
 * the row's own hit list only, a few hundred nanoseconds a row. Ordering
 * still puts the name first: its weight is ten times the description's.
 */
static void sqlite_chis_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                             int nval, sqlite3_value **val)
{
    enum { MAX_COLS = 8 };
    int nphrase = api->xPhraseCount(fts), ncol = api->xColumnCount(fts);
    if (ncol > MAX_COLS) ncol = MAX_COLS;
    double score = 0;
    for (int p = 0; p < nphrase; p++) {
        int tf[MAX_COLS] = {0}, col, off;
        Fts5PhraseIter it;
        if (api->xPhraseFirst(fts, p, &it, &col, &off) != SQLITE_OK) {
            sqlite3_result_error(ctx, "chis_rank: cannot read the hits", -1);
            return;
        }
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            if (col < ncol) tf[col]++;
        for (int c = 0; c < ncol; c++) {
            double w = c < nval ? sqlite3_value_double(val[c]) : 1.0;
            if (tf[c]) score += w * tf[c] * 2.2 / (tf[c] + 1.2);
        }
    }
    sqlite3_result_double(ctx, -score);
}

/* Registers chis_rank with this connection's FTS5. 0, or -1 when FTS5 is missing. */
static int sqlite_register_rank(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2) return -1;
    return api->xCreateFunction(api, "chis_rank", NULL, sqlite_chis_rank, NULL) == SQLITE_OK ? 0
                                                                                             : -1;
}

/*
 * FTS5 over dir_services_fts (name, description, extra), kept by triggers
 * (sqlite_schema_directory.c), ranked by chis_rank: a word in the name
 * counts ten times one in the description; the extra words (organization,
 * alternate name, terms) three times. match_some_sql tests the candidates
 * one rowid seek each, all in one statement.
 */
static const struct store_text_search sqlite_text_search = {
    .match_all_sql = "SELECT rowid AS rid, chis_rank(dir_services_fts, 10.0, 1.0, 3.0) AS score"
                     " FROM dir_services_fts WHERE dir_services_fts MATCH $1",
    .match_some_sql = "SELECT rowid, chis_rank(dir_services_fts, 10.0, 1.0, 3.0) FROM"
                      " dir_services_fts WHERE dir_services_fts MATCH $1 AND rowid IN"
                      " (SELECT value FROM json_each($2))",
    .nocase = " COLLATE NOCASE",
    .query = sqlite_fts_query,
    .words = sqlite_fts_words,
    /* FTS5's structure record: it lists the index's segments and a count of
     * writes, so it changes with every transaction that changes the index. */
    .version_sql = "SELECT hex(block) FROM dir_services_fts_data WHERE id = 10",
    .json_ints_sql = "SELECT value FROM json_each($%d)",
};

const struct store_backend store_sqlite = {
    .name = "sqlite",
    .caps = STORE_CAP_FTS | STORE_CAP_RETURNING,
    .open = sqlite_open,
    .close = sqlite_close,
    .prepare = sqlite_prepare,
    .finalize = sqlite_finalize,
    .reset = sqlite_reset,
    .bind_int = sqlite_bind_int,
    .bind_text = sqlite_bind_text,
    .bind_text_ref = sqlite_bind_text_ref,
    .bind_null = sqlite_bind_null,
    .bind_double = sqlite_bind_double,
    .step = sqlite_step,
    .column_count = sqlite_column_count,
    .column_name = sqlite_column_name,
    .column_is_null = sqlite_column_is_null,
    .column_int = sqlite_column_int,
    .column_double = sqlite_column_double,
    .column_text = sqlite_column_text,
    .exec = sqlite_exec_sql,
    .begin_write = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .changes = sqlite_changes,
    .errmsg = sqlite_errmsg_of,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .schema_latest = SQLITE_SCHEMA_LATEST,
    /* moves when another connection commits */
    .data_version_sql = "PRAGMA data_version",
    .total_changes = sqlite_total_changes,
    .text_index_flush = sqlite_text_index_flush,
    .bulk_mode = sqlite_bulk_mode,
    .fk_check = sqlite_fk_check,
    /* Indexes behind UNIQUE constraints have no SQL of their own. */
    .secondary_indexes_sql = "SELECT s.name, s.sql FROM sqlite_schema s"
                             " JOIN pragma_index_list($1) l ON l.name = s.name"
                             " WHERE s.type = 'index' AND s.tbl_name = $1 AND s.sql IS NOT NULL"
                             " AND l.\"unique\" = 0 AND l.partial = 0 ORDER BY s.name",
    .triggers_sql = "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
                    " AND tbl_name = $1 ORDER BY name",
    .text_index_fill = sqlite_text_index_fill,
    .text_search = &sqlite_text_search,
};
