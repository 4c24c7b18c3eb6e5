/*
 * test_bulk.c: store/bulk.c. Rows written many to a statement (upserts,
 * plain inserts, tables with triggers), and the large write's transaction:
 * the journal it uses when alone and when not, foreign keys checked at the
 * commit, indexes deferred and built again, and a rollback that leaves
 * nothing, indexes included.
 */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

/* A scratch database file, removed (with its WAL and journal) at the end. */
struct file_db {
    char path[64];
    store_conn *c;
};

static void file_db_open(struct file_db *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/chis-bulk-XXXXXX");
    int fd = mkstemp(d->path);
    assert_true(fd >= 0);
    close(fd);
    char *err = NULL;
    d->c = store_open(d->path, &err);
    assert_non_null(d->c);
}

static void file_db_close(struct file_db *d)
{
    store_close(d->c);
    char p[96];
    unlink(d->path);
    snprintf(p, sizeof p, "%s-wal", d->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", d->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", d->path);
    unlink(p);
}

/* The text one query answers, copied into out. */
static void query_text(store_conn *c, const char *sql, char *out, size_t size)
{
    store_stmt *st = store_prepare(c, sql);
    assert_non_null(st);
    assert_int_equal(store_step(st), STORE_ROW);
    snprintf(out, size, "%s", store_col_text(st, 0));
    store_done(st);
}

static long long count(store_conn *c, const char *sql)
{
    long long n = -1;
    assert_int_equal(store_query_int(c, &n, sql, NULL), 1);
    return n;
}

static const char *const kv_cols[] = {"k", "v", "n", "x"};

/* The table these tests write: a unique text key beside a rowid, and a
 * column of each other kind. */
static void kv_table(struct fx *f)
{
    fx_sql(f, "CREATE TABLE kv (rid INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v TEXT,"
              " n INTEGER, x REAL)");
}

/* n rows of the kv table: key "kI", value prefix and I, I as a number,
 * half a real. Texts live in buf (the caller's). */
static struct store_value *kv_rows(int n, const char *prefix, char (*buf)[2][24])
{
    struct store_value *v = calloc((size_t)n * 4, sizeof *v);
    for (int i = 0; i < n; i++) {
        snprintf(buf[i][0], sizeof buf[i][0], "k%d", i);
        snprintf(buf[i][1], sizeof buf[i][1], "%s%d", prefix, i);
        v[i * 4 + 0] = (struct store_value){STORE_V_TEXT, {.s = buf[i][0]}};
        v[i * 4 + 1] = (struct store_value){STORE_V_TEXT, {.s = buf[i][1]}};
        v[i * 4 + 2] = (struct store_value){STORE_V_INT, {.i = i}};
        v[i * 4 + 3] = i % 3 == 0 ? (struct store_value){STORE_V_NULL, {0}}
                                  : (struct store_value){STORE_V_REAL, {.d = i / 2.0}};
    }
    return v;
}

/* 150 rows (two full statements and 22 one at a time) go in, in order,
 * with every kind of value; written again, each row is updated, not
 * duplicated, and keeps its rowid. */
static void test_write_rows_upsert(void **state)
{
    struct fx *f = *state;
    kv_table(f);
    char(*buf)[2][24] = calloc(150, sizeof *buf);
    struct store_value *rows = kv_rows(150, "first", buf);
    assert_int_equal(store_write_rows(f->c.db, "kv", kv_cols, 4, rows, 150, 0), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv"), 150);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE k = 'k' || (rid - 1)"), 150);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE x IS NULL"), 50);
    assert_int_equal(fx_count(f, "SELECT n FROM kv WHERE k = 'k149'"), 149);
    assert_int_equal(fx_count(f, "SELECT x * 2 FROM kv WHERE k = 'k7'"), 7);
    free(rows);
    rows = kv_rows(150, "second", buf);
    assert_int_equal(store_write_rows(f->c.db, "kv", kv_cols, 4, rows, 150, 0), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv"), 150);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE v = 'second' || (rid - 1)"), 150);
    free(rows);
    free(buf);
}

/* STORE_ROWS_NEW writes plain inserts: a key already there is refused as
 * a constraint, not updated. */
static void test_write_rows_new(void **state)
{
    struct fx *f = *state;
    kv_table(f);
    char(*buf)[2][24] = calloc(70, sizeof *buf);
    struct store_value *rows = kv_rows(70, "new", buf);
    assert_int_equal(store_write_rows(f->c.db, "kv", kv_cols, 4, rows, 70, STORE_ROWS_NEW), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv"), 70);
    assert_int_equal(store_write_rows(f->c.db, "kv", kv_cols, 4, rows + 4 * 69, 1, STORE_ROWS_NEW),
                     STORE_E_CONSTRAINT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE v LIKE 'new%'"), 70);
    free(rows);
    free(buf);
}

/* What a background job in these tests writes: rows of kv. */
struct kv_job {
    struct store_value *rows;
    size_t n;
    unsigned how;
};

static int kv_job_write(store_conn *c, void *arg)
{
    struct kv_job *j = arg;
    return store_write_rows(c, "kv", kv_cols, 4, j->rows, j->n, j->how);
}

/* A job on a second thread has the connection to itself: whatever the
 * thread that started it does next on the connection sees the job done
 * (each of 2,000 rows, in order); a failed job's code is reported by the
 * next wait, once, and the transaction it ran in can still be rolled back
 * whole. */
static void test_background_job(void **state)
{
    struct fx *f = *state;
    kv_table(f);
    char(*buf)[2][24] = calloc(2000, sizeof *buf);
    struct kv_job job = {kv_rows(2000, "bg", buf), 2000, STORE_ROWS_NEW};
    assert_int_equal(store_begin(f->c.db), 0);
    assert_int_equal(store_background(f->c.db, kv_job_write, &job), 0);
    /* No wait first: the count waits for the job itself. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv"), 2000);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE k = 'k' || (rid - 1)"), 2000);
    assert_false(store_background_busy(f->c.db));
    assert_int_equal(store_background_wait(f->c.db), 0);
    /* The same keys again as plain inserts: the job fails on the first. */
    assert_int_equal(store_background(f->c.db, kv_job_write, &job), 0);
    assert_int_equal(store_background_wait(f->c.db), STORE_E_CONSTRAINT);
    assert_int_equal(store_background_wait(f->c.db), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv WHERE v LIKE 'bg%'"), 2000);
    /* One job at a time: the second waits for the first. */
    struct kv_job later = {job.rows, 2000, 0};
    assert_int_equal(store_background(f->c.db, kv_job_write, &later), 0);
    assert_int_equal(store_background(f->c.db, kv_job_write, &later), 0);
    assert_int_equal(store_rollback(f->c.db), 0);
    assert_int_equal(store_background_wait(f->c.db), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM kv"), 0);
    free(job.rows);
    free(buf);
}

/* A table with a trigger: one row to a statement, and the trigger fires
 * for each row. */
static void test_write_rows_one_by_one(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "CREATE TABLE kv (rid INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v TEXT,"
              " n INTEGER, x REAL);"
              "CREATE TABLE seen (k TEXT);"
              "CREATE TRIGGER kv_seen AFTER INSERT ON kv BEGIN"
              "  INSERT INTO seen (k) VALUES (new.k);"
              "END;");
    char(*buf)[2][24] = calloc(130, sizeof *buf);
    struct store_value *rows = kv_rows(130, "t", buf);
    assert_int_equal(store_write_rows(f->c.db, "kv", kv_cols, 4, rows, 130, STORE_ROWS_ONE_BY_ONE),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM seen"), 130);
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT k) FROM kv"), 130);
    free(rows);
    free(buf);
}

/* Alone on its file, a large write goes through a rollback journal, with
 * foreign keys off; after it, the file is in WAL mode again with foreign
 * keys on, and what it wrote is there. */
static void test_bulk_journal_alone(void **state)
{
    (void)state;
    struct file_db d;
    file_db_open(&d);
    char mode[16];
    query_text(d.c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(store_exec(d.c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"), 0);
    static const char *const tables[] = {"t", NULL};
    store_bulk *b = store_bulk_begin(d.c, tables);
    assert_non_null(b);
    assert_true(store_in_tx(d.c));
    query_text(d.c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "delete");
    assert_int_equal(count(d.c, "PRAGMA foreign_keys"), 0);
    assert_int_equal(store_run(d.c, "INSERT INTO t (v) VALUES ('kept')", ""), 1);
    /* Meanwhile the file is the write's own: another open waits, then is
     * told why. */
    char *err = NULL;
    store_conn *other = store_open(d.path, &err);
    assert_null(other);
    assert_non_null(err);
    assert_non_null(strstr(err, "large write"));
    free(err);
    assert_int_equal(store_bulk_commit(b, NULL), 0);
    other = store_open(d.path, &err);
    assert_non_null(other);
    assert_int_equal(count(other, "SELECT count(*) FROM t WHERE v = 'kept'"), 1);
    store_close(other);
    assert_false(store_in_tx(d.c));
    query_text(d.c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(count(d.c, "PRAGMA foreign_keys"), 1);
    assert_int_equal(count(d.c, "SELECT count(*) FROM t WHERE v = 'kept'"), 1);
    file_db_close(&d);
}

/* With another connection open on the file, the WAL stays (SQLite refuses
 * the change at once), the write still works, and the other connection
 * reads it after the commit. */
static void test_bulk_journal_shared(void **state)
{
    (void)state;
    struct file_db d;
    file_db_open(&d);
    assert_int_equal(store_exec(d.c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"), 0);
    char *err = NULL;
    store_conn *other = store_open(d.path, &err);
    assert_non_null(other);
    assert_int_equal(count(other, "SELECT count(*) FROM t"), 0);
    store_bulk *b = store_bulk_begin(d.c, NULL);
    assert_non_null(b);
    char mode[16];
    query_text(d.c, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(store_run(d.c, "INSERT INTO t (v) VALUES ('shared')", ""), 1);
    /* Readers go on reading while the write is open. */
    assert_int_equal(count(other, "SELECT count(*) FROM t"), 0);
    assert_int_equal(store_bulk_commit(b, NULL), 0);
    assert_int_equal(count(other, "SELECT count(*) FROM t WHERE v = 'shared'"), 1);
    store_close(other);
    file_db_close(&d);
}

/* A foreign key that does not hold in a table the write names stops the
 * commit: nothing is kept, and the reason names the table. */
static void test_bulk_foreign_keys_checked(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "CREATE TABLE parent (id TEXT PRIMARY KEY);"
              "CREATE TABLE child (id INTEGER PRIMARY KEY,"
              " parent_id TEXT REFERENCES parent(id));"
              "INSERT INTO parent VALUES ('p1');");
    static const char *const tables[] = {"parent", "child", NULL};
    store_bulk *b = store_bulk_begin(f->c.db, tables);
    assert_non_null(b);
    assert_int_equal(store_run(f->c.db, "INSERT INTO child (parent_id) VALUES ('p1')", ""), 1);
    /* Row by row this would be refused; here it waits for the commit. */
    assert_int_equal(store_run(f->c.db, "INSERT INTO child (parent_id) VALUES ('nobody')", ""), 1);
    char *why = NULL;
    assert_int_equal(store_bulk_commit(b, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "child"));
    assert_non_null(strstr(why, "parent"));
    free(why);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM child"), 0);
    assert_false(store_in_tx(f->c.db));
    assert_int_equal(fx_count(f, "PRAGMA foreign_keys"), 1);

    b = store_bulk_begin(f->c.db, tables);
    assert_int_equal(store_run(f->c.db, "INSERT INTO child (parent_id) VALUES ('p1')", ""), 1);
    assert_int_equal(store_bulk_commit(b, &why), 0);
    assert_null(why);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM child"), 1);
}

/* Deferred indexes are gone while the write lasts (unique and partial
 * ones stay, the partial one kept up to date), come back at the commit,
 * come back on a rollback, and can be built early. */
static void test_bulk_deferred_indexes(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, a TEXT, b TEXT);"
              "CREATE INDEX t_a ON t(a);"
              "CREATE INDEX t_b ON t(b) WHERE b IS NOT NULL;");
    static const char *const indexes_sql =
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 't'";
    assert_int_equal(fx_count(f, indexes_sql), 3); /* the UNIQUE one too */

    store_bulk *b = store_bulk_begin(f->c.db, NULL);
    assert_int_equal(store_bulk_defer_indexes(b, "t"), 0);
    assert_true(store_bulk_deferring(b));
    assert_int_equal(fx_count(f, indexes_sql), 2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM sqlite_schema WHERE name = 't_a'"), 0);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (k, a, b) VALUES ('x', 'A', 'B')", ""), 1);
    /* The partial index took the row as it came. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t INDEXED BY t_b WHERE b = 'B'"), 1);
    store_bulk_rollback(b);
    assert_int_equal(fx_count(f, indexes_sql), 3);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t"), 0);

    b = store_bulk_begin(f->c.db, NULL);
    assert_int_equal(store_bulk_defer_indexes(b, "t"), 0);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (k, a, b) VALUES ('x', 'A', 'B')", ""), 1);
    assert_int_equal(store_bulk_restore(b), 0);
    assert_false(store_bulk_deferring(b));
    assert_int_equal(fx_count(f, indexes_sql), 3);
    /* Deferring again after a build is allowed. */
    assert_int_equal(store_bulk_defer_indexes(b, "t"), 0);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (k, a) VALUES ('y', 'A')", ""), 1);
    assert_int_equal(store_bulk_commit(b, NULL), 0);
    assert_int_equal(fx_count(f, indexes_sql), 3);
    /* The kept partial index has the rows written meanwhile. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t INDEXED BY t_b WHERE b = 'B'"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t INDEXED BY t_a WHERE a = 'A'"), 2);
}

/* Triggers set aside do not fire; restored (or rolled back) they do
 * again, and the text-index fill indexes what they did not queue. */
static void test_bulk_deferred_triggers(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
              "CREATE TABLE seen (v TEXT);"
              "CREATE TRIGGER t_seen AFTER INSERT ON t BEGIN"
              "  INSERT INTO seen (v) VALUES (new.v);"
              "END;");
    store_bulk *b = store_bulk_begin(f->c.db, NULL);
    assert_int_equal(store_bulk_defer_triggers(b, "t"), 0);
    assert_true(store_bulk_deferring(b));
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (v) VALUES ('quiet')", ""), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM seen"), 0);
    assert_int_equal(store_bulk_restore(b), 0);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (v) VALUES ('heard')", ""), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM seen WHERE v = 'heard'"), 1);
    assert_int_equal(store_bulk_defer_triggers(b, "t"), 0);
    store_bulk_rollback(b);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM sqlite_schema WHERE name = 't_seen'"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t"), 0);

    /* The directory's services, written with the queue's triggers aside,
     * are all indexed by one fill. */
    store_bulk *d = store_bulk_begin(f->c.db, NULL);
    assert_int_equal(store_bulk_defer_triggers(d, "dir_services"), 0);
    fx_sql(f, "INSERT INTO dir_organizations (id, name) VALUES ('o', 'Org');"
              "INSERT INTO dir_services (id, organization_id, name, status, last_modified)"
              " VALUES ('s1', 'o', 'Singing group', 'active', 'x'),"
              " ('s2', 'o', 'Pottery class', 'active', 'x');");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts_queue"), 0);
    assert_int_equal(store_bulk_restore(d), 0);
    assert_int_equal(store_text_index_fill(f->c.db, 0), 0);
    assert_int_equal(store_bulk_commit(d, NULL), 0);
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM dir_services_fts WHERE dir_services_fts MATCH 'pottery'"),
        1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 2);
    /* A second fill finds nothing more to index. */
    assert_int_equal(store_text_index_fill(f->c.db, 0), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 2);
    /* The fills turned the index's merging off only while they ran, and a
     * batch's terms fit its memory (migration 7). */
    assert_int_equal(fx_count(f, "SELECT v FROM dir_services_fts_config WHERE k = 'automerge'"), 4);
    assert_int_equal(fx_count(f, "SELECT v FROM dir_services_fts_config WHERE k = 'hashsize'"),
                     64 << 20);
}

/* Inside another transaction a large write is a savepoint: its rollback
 * undoes only its own rows, and the outer transaction goes on. */
static void test_bulk_nested(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    assert_int_equal(store_begin(f->c.db), 0);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (v) VALUES ('outer')", ""), 1);
    store_bulk *b = store_bulk_begin(f->c.db, NULL);
    assert_non_null(b);
    assert_int_equal(store_run(f->c.db, "INSERT INTO t (v) VALUES ('inner')", ""), 1);
    store_bulk_rollback(b);
    assert_true(store_in_tx(f->c.db));
    assert_int_equal(store_commit(f->c.db), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM t WHERE v = 'outer'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_rows_upsert, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_write_rows_new, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_write_rows_one_by_one, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_background_job, fx_setup, fx_teardown),
        cmocka_unit_test(test_bulk_journal_alone),
        cmocka_unit_test(test_bulk_journal_shared),
        cmocka_unit_test_setup_teardown(test_bulk_foreign_keys_checked, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bulk_deferred_indexes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bulk_deferred_triggers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bulk_nested, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
