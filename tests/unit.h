/*
 * unit.h: shared fixtures for the C unit tests (cmocka). A fixture is a
 * fresh in-memory database at the latest schema and an operator context.
 */
#ifndef CHIS_TEST_UNIT_H
#define CHIS_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/arena.h"
#include "domain/accounts.h"
#include "domain/ctx.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct fx {
    struct ctx c;
};

/* 2026-11-26T09:00:00Z: tests run on a fixed clock. */
#define FX_NOW ((time_t)1795683600)

/* A fixture on the database at path (":memory:" for a fresh private one), migrated. */
static inline int fx_setup_at(void **state, const char *path)
{
    static int crypto_ready;
    if (!crypto_ready) {
        if (accounts_init(2) != 0) return -1;
        crypto_ready = 1;
    }
    char *err = NULL;
    store_conn *db = store_open(path, &err);
    if (!db) return -1;
    int from, to;
    if (store_migrate(db, &from, &to, &err) != 0) return -1;
    struct fx *f = calloc(1, sizeof *f);
    ctx_init(&f->c, arena_new(1 << 16), db, FX_NOW);
    f->c.by_operator = true;
    *state = f;
    return 0;
}

static inline int fx_setup(void **state)
{
    return fx_setup_at(state, ":memory:");
}

static inline int fx_teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->c.db);
    arena_free(f->c.a);
    free(f);
    return 0;
}

/* A count from SQL (asserts the query worked). */
static inline long long fx_count(struct fx *f, const char *sql)
{
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n, sql, NULL), 1);
    return n;
}

/* Runs SQL with no parameters (one statement or several), failing the test when it fails. */
static inline void fx_sql(struct fx *f, const char *sql)
{
    if (store_exec(f->c.db, sql) != 0) fail_msg("SQL failed: %s\n%s", store_errmsg(f->c.db), sql);
}

/* How many audit rows keep s anywhere in what they keep (their before and after images). */
static inline long long fx_audit_mentions(struct fx *f, const char *s)
{
    long long n = -1;
    assert_int_equal(store_query_int(f->c.db, &n,
                                     "SELECT count(*) FROM audit WHERE instr(COALESCE(before_json,"
                                     " '') || COALESCE(after_json, ''), $1) > 0",
                                     "t", s),
                     1);
    return n;
}

/* Act as someone: an actor with role, organisation and places (arena-owned). */
static inline void fx_act_as(struct fx *f, enum role role, long long user_id, long long org_id,
                             const long long *places, int nplaces)
{
    struct actor *a = arena_alloc(f->c.a, sizeof *a);
    a->role = role;
    a->user_id = user_id;
    a->org_id = org_id;
    a->email = "tester@example.org";
    if (nplaces) {
        long long *p = arena_alloc(f->c.a, sizeof *p * (size_t)nplaces);
        memcpy(p, places, sizeof *p * (size_t)nplaces);
        a->place_ids = p;
        a->nplaces = nplaces;
    }
    f->c.actor = a;
    f->c.by_operator = false;
    ctx_clear_errors(&f->c);
}

static inline void fx_operator(struct fx *f)
{
    f->c.actor = NULL;
    f->c.by_operator = true;
    ctx_clear_errors(&f->c);
}

static inline const char *fx_field_error(const struct fx *f, const char *field)
{
    for (int i = 0; i < f->c.nerrors; i++)
        if (strcmp(f->c.errors[i].field, field) == 0) return f->c.errors[i].message;
    return NULL;
}

#endif
