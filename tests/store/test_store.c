/*
 * test_store.c: migrations, the statement cache, savepoints and the record
 * layer over the real SQLite backend (in memory).
 */
#include "unit.h"

#include "store/qbuild.h"
#include "store/records.h"
#include "store/sqlite_schema.h"

#include <stdio.h>
#include <unistd.h>

struct thing {
    struct store_column col;
    int extra; /* stands for the domain's extra rule fields: exercises the stride */
};

static const struct thing thing_cols[] = {
    {.col = {.name = "name", .kind = COL_TEXT}},
    {.col = {.name = "code", .kind = COL_TEXT}},
    {.col = {.name = "description", .kind = COL_TEXT}},
};
static const struct store_table places_table = {"places", &thing_cols[0].col, sizeof thing_cols[0],
                                                3, "name"};

static long long add_place(struct fx *f, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    return store_rec_insert(f->c.db, &places_table, r, f->c.now_iso);
}

/* Remove a scratch database and its WAL files. */
static void remove_db(const char *path)
{
    char side[64];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void migrations_reach_latest_and_refuse_newer(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_schema_version(f->c.db), store_schema_latest(f->c.db));
    int from = -1, to = -1;
    char *err = NULL;
    assert_int_equal(store_migrate(f->c.db, &from, &to, &err), 0); /* idempotent */
    assert_int_equal(from, to);

    char path[] = "/tmp/chis-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    store_conn *db = store_open(path, &err);
    assert_non_null(db);
    assert_int_equal(store_exec(db, "PRAGMA user_version=99"), 0);
    assert_int_equal(store_migrate(db, &from, &to, &err), -1);
    assert_non_null(strstr(err, "newer"));
    free(err);
    store_close(db);
    remove_db(path);
}

/* Migration 6 keeps each stored summary as its length in the document:
 * a directory written at version 5 reads the same summaries after it. */
static void migration_6_keeps_summaries_as_lengths(void **state)
{
    (void)state;
    char path[] = "/tmp/chis-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char *err = NULL;
    store_conn *db = store_open(path, &err);
    assert_non_null(db);
    for (int n = 1; n <= 5; n++)
        assert_int_equal(store_exec(db, sqlite_migrations[n - 1]), 0);
    assert_int_equal(store_exec(db, "PRAGMA user_version=5;"
                                    "INSERT INTO organisations (name, sector, created_at,"
                                    " updated_at) VALUES ('O', 'other', '', '');"
                                    "INSERT INTO dir_organizations (id, name, organisation_id)"
                                    " VALUES ('o', 'O', 1);"),
                     0);
    /* A summary with a two-byte character before its end; one left at the
     * column's default; one that is not its document's start (so the cut
     * goes before the first list); one that is the whole document; one
     * whose text starts the document but ends inside a member; one that
     * ends at a comma inside a string; and a document without lists whose
     * summary was edited (the writer's cut: the whole document). */
    assert_int_equal(
        store_exec(db, "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s1', 'o', 'Café', 'active',"
                       " '', '{\"name\":\"Café\",\"service_at_locations\":[]}',"
                       " '{\"name\":\"Café\"}');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified) VALUES ('s2', 'o', 'Two', 'active', '');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s3', 'o', 'Three', 'active',"
                       " '', '{\"name\":\"Three\",\"service_at_locations\":[]}',"
                       " '{\"name\":\"Other\"}');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s4', 'o', 'Four', 'active',"
                       " '', '{\"name\":\"Four\"}', '{\"name\":\"Four\"}');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s5', 'o', 'Fivefold',"
                       " 'active', '', '{\"name\":\"Fivefold\",\"service_at_locations\":[]}',"
                       " '{\"name\":\"Five}');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s6', 'o', 'a,b', 'active',"
                       " '', '{\"name\":\"a,b\",\"service_at_locations\":[]}',"
                       " '{\"name\":\"a}');"
                       "INSERT INTO dir_services (id, organization_id, name, status,"
                       " last_modified, document, summary) VALUES ('s7', 'o', 'X', 'active',"
                       " '', '{\"name\":\"X\",\"x\":1}', '{\"name\":\"Y\"}')"),
        0);
    int from, to;
    assert_int_equal(store_migrate(db, &from, &to, &err), 0);
    assert_int_equal(from, 5);
    assert_int_equal(to, store_schema_latest(db));
    long long n = 0;
    assert_int_equal(store_query_int(db, &n,
                                     "SELECT count(*) FROM dir_services WHERE"
                                     " CAST(substr(CAST(document AS BLOB), 1, summary_len) AS TEXT)"
                                     " || '}' = CASE id WHEN 's1' THEN '{\"name\":\"Café\"}'"
                                     " WHEN 's3' THEN '{\"name\":\"Three\"}'"
                                     " WHEN 's4' THEN '{\"name\":\"Four\"}'"
                                     " WHEN 's5' THEN '{\"name\":\"Fivefold\"}'"
                                     " WHEN 's6' THEN '{\"name\":\"a,b\"}'"
                                     " WHEN 's7' THEN '{\"name\":\"X\",\"x\":1}'"
                                     " ELSE '{}' END",
                                     ""),
                     1);
    assert_int_equal(n, 7);
    assert_int_equal(store_query_int(db, &n,
                                     "SELECT count(*) FROM pragma_table_info('dir_services')"
                                     " WHERE name = 'summary'",
                                     ""),
                     1);
    assert_int_equal(n, 0);
    store_close(db);
    remove_db(path);
}

/* Every connection overwrites deleted content, so erased personal data does
 * not linger in free space whatever the library's compiled default. */
static void deleted_content_is_overwritten(void **state)
{
    struct fx *f = *state;
    long long on = -1;
    assert_int_equal(store_query_int(f->c.db, &on, "PRAGMA secure_delete", NULL), 1);
    assert_int_equal(on, 1);
}

static void statements_are_prepared_once_per_connection(void **state)
{
    struct fx *f = *state;
    long long n = 0;
    store_query_int(f->c.db, &n, "SELECT count(*) FROM places", NULL);
    long long before = store_prepare_count(f->c.db);
    for (int i = 0; i < 100; i++)
        assert_int_equal(store_query_int(f->c.db, &n, "SELECT count(*) FROM places", NULL), 1);
    assert_int_equal(store_prepare_count(f->c.db), before);
    /* The same text while the first is still in use gets a private copy. */
    store_stmt *outer = store_prepare(f->c.db, "SELECT 1");
    store_stmt *inner = store_prepare(f->c.db, "SELECT 1");
    assert_ptr_not_equal(outer, inner);
    assert_int_equal(store_step(inner), STORE_ROW);
    store_done(inner);
    store_done(outer);
}

static void savepoints_nest_inside_a_transaction(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->c.db), 0);
    assert_true(add_place(f, "Kept") > 0);
    assert_int_equal(store_begin(f->c.db), 0); /* savepoint */
    assert_true(add_place(f, "Undone") > 0);
    assert_int_equal(store_rollback(f->c.db), 0); /* undoes only the inner */
    assert_true(store_in_tx(f->c.db));
    assert_int_equal(store_commit(f->c.db), 0);
    assert_false(store_in_tx(f->c.db));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places WHERE name = 'Kept'"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places WHERE name = 'Undone'"), 0);

    assert_int_equal(store_begin(f->c.db), 0);
    add_place(f, "Gone");
    assert_int_equal(store_rollback(f->c.db), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places WHERE name = 'Gone'"), 0);
}

static void records_round_trip_and_report_constraints(void **state)
{
    struct fx *f = *state;
    long long id = add_place(f, "Alpha");
    assert_true(id > 0);
    assert_int_equal(add_place(f, "Alpha"), STORE_E_CONSTRAINT); /* UNIQUE(name) */
    rec *got = NULL;
    assert_int_equal(store_rec_get(f->c.db, &places_table, id, f->c.a, &got), 1);
    assert_string_equal(rec_text(got, "name"), "Alpha");
    assert_true(rec_is_null(got, "code"));
    assert_string_equal(rec_text(got, "created_at"), f->c.now_iso);

    rec *change = rec_new(f->c.a);
    rec_set_text(change, "code", "E1");
    assert_int_equal(store_rec_update(f->c.db, &places_table, id, change, "2030-01-01T00:00:00Z"),
                     1);
    assert_int_equal(store_rec_update(f->c.db, &places_table, 9999, change, f->c.now_iso), 0);
    assert_int_equal(store_rec_get(f->c.db, &places_table, id, f->c.a, &got), 1);
    assert_string_equal(rec_text(got, "code"), "E1");
    assert_string_equal(rec_text(got, "name"), "Alpha"); /* untouched */
    assert_string_equal(rec_text(got, "updated_at"), "2030-01-01T00:00:00Z");
    assert_int_equal(store_rec_delete(f->c.db, &places_table, id), 1);
    assert_int_equal(store_rec_delete(f->c.db, &places_table, id), 0);
    assert_int_equal(store_rec_get(f->c.db, &places_table, id, f->c.a, &got), 0);
}

static void lists_filter_page_and_match_wildcards_literally(void **state)
{
    struct fx *f = *state;
    const char *names[] = {"100% Arts", "Arts_Hub", "ArtsXHub", "Bravo", "charlie arts"};
    for (int i = 0; i < 5; i++)
        assert_true(add_place(f, names[i]) > 0);
    static const struct store_filter_spec q = {.param = "q", .kind = FILTER_TEXT, .column = "name"};
    struct store_filter filt = {&q, 0, "ARTS"};
    struct store_page page;
    assert_int_equal(store_rec_list(f->c.db, &places_table, &filt, 1, 2, 0, f->c.a, &page), 0);
    assert_int_equal(page.total, 4); /* case-insensitive */
    assert_int_equal(page.nrows, 2);
    assert_string_equal(rec_text(page.rows[0], "name"), "100% Arts");
    assert_int_equal(store_rec_list(f->c.db, &places_table, &filt, 1, 2, 2, f->c.a, &page), 0);
    assert_int_equal(page.nrows, 2);
    assert_string_equal(rec_text(page.rows[1], "name"), "charlie arts");
    filt.s = "s_h"; /* '_' is literal, not "any one character" */
    assert_int_equal(store_rec_list(f->c.db, &places_table, &filt, 1, 10, 0, f->c.a, &page), 0);
    assert_int_equal(page.total, 1);
    assert_string_equal(rec_text(page.rows[0], "name"), "Arts_Hub");
    filt.s = "0%";
    assert_int_equal(store_rec_list(f->c.db, &places_table, &filt, 1, 10, 0, f->c.a, &page), 0);
    assert_int_equal(page.total, 1);
    filt.s = "'; DROP TABLE places; --";
    assert_int_equal(store_rec_list(f->c.db, &places_table, &filt, 1, 10, 0, f->c.a, &page), 0);
    assert_int_equal(page.total, 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places"), 5);
}

static void parameters_bind_by_number_wherever_they_appear(void **state)
{
    struct fx *f = *state;
    long long v = 0;
    /* $2 appears first: it must still be the second value, as in PostgreSQL. */
    assert_int_equal(store_query_int(f->c.db, &v, "SELECT $2 * 10 + $1", "ii", 1LL, 2LL), 1);
    assert_int_equal(v, 21);
    assert_int_equal(store_query_int(f->c.db, &v, "SELECT length('$1 ?') + $1", "i", 5LL), 1);
    assert_int_equal(v, 9); /* the text '$1 ?' is left alone */
}

/* A built query numbers its parameters in order, and refuses to prepare
 * once more were added than it holds, rather than writing past its arrays. */
static void built_queries_number_parameters_and_stop_when_full(void **state)
{
    struct fx *f = *state;
    struct store_qb q = {0};
    buf_init(&q.sql, f->c.a, 64);
    const char *a = store_qb_int(f->c.a, &q, 40); /* in order: C leaves argument order open */
    const char *b = store_qb_int(f->c.a, &q, 2);
    const char *t = store_qb_text(f->c.a, &q, "x%_");
    buf_printf(&q.sql, "SELECT %s + %s, %s", a, b, t);
    assert_string_equal(q.sql.data, "SELECT $1 + $2, $3");
    store_stmt *st = store_qb_prepare(f->c.db, &q, q.sql.data);
    assert_non_null(st);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 42);
    assert_string_equal(store_col_text(st, 1), "x%_");
    store_done(st);
    struct store_qb big = {0};
    buf_init(&big.sql, f->c.a, 64);
    buf_puts(&big.sql, "SELECT 1 WHERE 1 IN (");
    for (int i = 0; i <= STORE_QB_MAX; i++)
        buf_printf(&big.sql, "%s%s", i ? "," : "", store_qb_int(f->c.a, &big, i));
    buf_puts(&big.sql, ")");
    assert_true(big.full);
    assert_int_equal(big.n, STORE_QB_MAX);
    assert_null(store_qb_prepare(f->c.db, &big, big.sql.data));
    assert_string_equal(store_like_contains(f->c.a, "50%_a\\b"), "%50\\%\\_a\\\\b%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migration_6_keeps_summaries_as_lengths),
        cmocka_unit_test_setup_teardown(migrations_reach_latest_and_refuse_newer, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(deleted_content_is_overwritten, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(statements_are_prepared_once_per_connection, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(savepoints_nest_inside_a_transaction, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(records_round_trip_and_report_constraints, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(lists_filter_page_and_match_wildcards_literally, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(built_queries_number_parameters_and_stop_when_full,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(parameters_bind_by_number_wherever_they_appear, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
