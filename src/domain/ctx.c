/*
 * ctx.c: the context's small helpers: time, failure reasons, roles.
 */
#include "domain/ctx.h"

#include "base/log.h"

#include <stdarg.h>
#include <string.h>

/* Prepare a context for one unit of work; nobody is signed in yet. */
void ctx_init(struct ctx *c, arena *a, store_conn *db, time_t now)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->db = db;
    ctx_set_now(c, now);
}

void ctx_set_now(struct ctx *c, time_t now)
{
    struct tm tm;
    c->now = now;
    gmtime_r(&now, &tm);
    strftime(c->now_iso, sizeof c->now_iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ctx_clear_errors(struct ctx *c)
{
    c->detail = NULL;
    c->nerrors = 0;
}

result ctx_fail(struct ctx *c, result code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->detail = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    return code;
}

void ctx_field_error(struct ctx *c, const char *field, const char *fmt, ...)
{
    for (int i = 0; i < c->nerrors; i++)
        if (strcmp(c->errors[i].field, field) == 0) return;
    if (c->nerrors == CTX_MAX_FIELD_ERRORS) return;
    va_list ap;
    va_start(ap, fmt);
    c->errors[c->nerrors].field = arena_strdup(c->a, field);
    c->errors[c->nerrors].message = arena_vprintf(c->a, fmt, ap);
    c->nerrors++;
    va_end(ap);
}

static const char *const role_names[] = {
    [ROLE_NONE] = "none",
    [ROLE_ADMIN] = "admin",
    [ROLE_SYSTEM_LEAD] = "system_lead",
    [ROLE_PLACE_LEAD] = "place_lead",
    [ROLE_LINK_WORKER] = "link_worker",
    [ROLE_PROVIDER] = "provider",
    [ROLE_VIEWER] = "viewer",
};

const char *role_name(enum role r)
{
    return r >= ROLE_NONE && r <= ROLE_VIEWER ? role_names[r] : "none";
}

enum role role_parse(const char *s)
{
    if (!s) return ROLE_NONE;
    for (int r = ROLE_ADMIN; r <= ROLE_VIEWER; r++)
        if (strcmp(role_names[r], s) == 0) return (enum role)r;
    return ROLE_NONE;
}

bool actor_leads_place(const struct actor *a, long long place_id)
{
    if (!a || a->role != ROLE_PLACE_LEAD) return false;
    for (int i = 0; i < a->nplaces; i++)
        if (a->place_ids[i] == place_id) return true;
    return false;
}

const char *actor_label(const struct ctx *c)
{
    if (c->actor && c->actor->email) return c->actor->email;
    return c->by_operator ? "operator" : "anonymous";
}

result ctx_store_failure(struct ctx *c, long long store_code, const char *what)
{
    if (store_code == STORE_E_BUSY) {
        log_warn("store busy: %s", what);
        return ctx_fail(c, RES_INTERNAL, "The database is busy; try again.");
    }
    log_error("store failure %lld: %s: %s", store_code, what, store_errmsg(c->db));
    return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
}
