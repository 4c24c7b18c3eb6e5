/*
 * sql_rows.h: rows for the test worlds, written with SQL so that they
 * depend on nothing but the schema: places, neighbourhoods, organisations
 * and users, stamped with the fixture's clock. Shared by referrals_world.h
 * and the participants tests.
 */
#ifndef CHIS_TEST_SQL_ROWS_H
#define CHIS_TEST_SQL_ROWS_H

#include "unit.h"

#define NOW_ISO "2026-11-26T09:00:00Z"

/* Inserts with RETURNING id (printf-formatted SQL) and returns the id. */
static inline long long insert_id(struct fx *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(f->c.a, fmt, ap);
    va_end(ap);
    long long id = 0;
    if (store_query_int(f->c.db, &id, s, NULL) != 1)
        fail_msg("insert failed: %s: %s", s, store_errmsg(f->c.db));
    return id;
}

/* A place named name; its id. */
static inline long long w_place(struct fx *f, const char *name)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO places (name, created_at, updated_at) VALUES ($1, '" NOW_ISO
                        "', '" NOW_ISO "') RETURNING id",
                        "t", name) != 1)
        fail_msg("place insert: %s", store_errmsg(f->c.db));
    return id;
}

/* A neighbourhood of place with its population and IMD decile; its id. */
static inline long long w_hood(struct fx *f, long long place, const char *name, int population,
                               int imd_decile)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO neighbourhoods (place_id, name, population, imd_decile,"
                        " created_at, updated_at) VALUES ($1, $2, $3, $4, '" NOW_ISO "', '" NOW_ISO
                        "') RETURNING id",
                        "itii", place, name, (long long)population, (long long)imd_decile) != 1)
        fail_msg("neighbourhood insert: %s", store_errmsg(f->c.db));
    return id;
}

/* A VCSE organisation named name; its id. */
static inline long long w_org(struct fx *f, const char *name)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO organisations (name, sector, created_at, updated_at)"
                        " VALUES ($1, 'vcse', '" NOW_ISO "', '" NOW_ISO "') RETURNING id",
                        "t", name) != 1)
        fail_msg("organisation insert: %s", store_errmsg(f->c.db));
    return id;
}

/* A user of organisation org with role, named by their email; their id. */
static inline long long w_user(struct fx *f, const char *email, const char *role, long long org)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO users (email, name, role, organisation_id, password_hash,"
                        " created_at, updated_at) VALUES ($1, $1, $2, $3, 'x', '" NOW_ISO
                        "', '" NOW_ISO "') RETURNING id",
                        "tti", email, role, org) != 1)
        fail_msg("user insert: %s", store_errmsg(f->c.db));
    return id;
}

#endif
