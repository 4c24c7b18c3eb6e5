/*
 * ctx.h: what every domain call is handed. The per-request arena, the actor
 * on whose behalf it runs, the store connection, the clock, and room for the
 * reasons a call failed. Nothing in the domain reads globals for these, so
 * the API, the web pages, the CLI and the tests drive the same functions and
 * can set the clock (chis tick --at) without touching the code.
 */
#ifndef CHIS_CTX_H
#define CHIS_CTX_H

#include "base/arena.h"
#include "store/store.h"

#include <stdbool.h>
#include <time.h>

typedef enum result {
    RES_OK = 0,
    RES_INVALID,         /* input fails validation: see the field errors */
    RES_UNAUTHENTICATED, /* no valid sign-in */
    RES_FORBIDDEN,       /* signed in, but this actor may not do this */
    RES_NOT_FOUND,
    RES_CONFLICT, /* state or references forbid it (duplicate, still referenced) */
    RES_TOO_MANY, /* throttled */
    RES_INTERNAL, /* the store or the machine failed; details are logged, not shown */
} result;

enum role {
    ROLE_NONE = 0,
    ROLE_ADMIN,
    ROLE_SYSTEM_LEAD,
    ROLE_PLACE_LEAD,
    ROLE_LINK_WORKER,
    ROLE_PROVIDER,
    ROLE_VIEWER,
};

struct actor {
    long long user_id;
    long long org_id;
    enum role role;
    const long long *place_ids; /* the places a place lead leads */
    int nplaces;
    const char *email;
    const char *name;
    long long session_id; /* 0 unless signed in with a cookie session */
    long long token_id;   /* 0 unless signed in with a bearer token */
    const char *csrf;     /* the session's CSRF token (cookie sessions only) */
};

#define CTX_MAX_FIELD_ERRORS 32

struct field_error {
    const char *field;
    const char *message;
};

struct ctx {
    arena *a;
    store_conn *db;
    const struct actor *actor; /* NULL: nobody is signed in */
    bool by_operator;          /* the CLI operator at the console: may do anything */
    time_t now;
    char now_iso[24]; /* now as UTC ISO-8601, e.g. 2026-11-26T06:22:05Z */
    const char *remote_addr;
    /* Why the last call failed. */
    const char *detail;
    struct field_error errors[CTX_MAX_FIELD_ERRORS];
    int nerrors;
};

void ctx_init(struct ctx *c, arena *a, store_conn *db, time_t now);
void ctx_set_now(struct ctx *c, time_t now);
void ctx_clear_errors(struct ctx *c);

/* Record a failure's explanation and return code, for "return ctx_fail(...)". */
result ctx_fail(struct ctx *c, result code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add a field error (kept in order, first one per field wins). */
void ctx_field_error(struct ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *role_name(enum role r);
enum role role_parse(const char *s); /* ROLE_NONE if unknown */
bool actor_leads_place(const struct actor *a, long long place_id);
const char *actor_label(const struct ctx *c); /* "email" or "operator" for the audit log */

/* Translate a store failure code into a domain result, logging it. */
result ctx_store_failure(struct ctx *c, long long store_code, const char *what);

#endif
