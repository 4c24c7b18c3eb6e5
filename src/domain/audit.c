/*
 * audit.c: the append-only audit log. Entries are written through the same
 * connection (and so the same transaction) as the change they describe.
 */
#include "domain/audit.h"

#include "base/buf.h"
#include "base/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Append one entry. before/after are stored as JSON text, NULL as SQL null. */
result audit_record(struct ctx *c, const char *action, const char *entity, long long entity_id,
                    const rec *before, const rec *after)
{
    long long rc = store_run(
        c->db,
        "INSERT INTO audit (at, actor_user_id, actor, remote_addr, action, entity, entity_id,"
        " before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        "tIttttItt", c->now_iso, c->actor ? c->actor->user_id : 0LL, actor_label(c), c->remote_addr,
        action, entity, entity_id, before ? rec_to_json_text(before, c->a) : NULL,
        after ? rec_to_json_text(after, c->a) : NULL);
    return rc < 0 ? ctx_store_failure(c, rc, "audit insert") : RES_OK;
}

/*
 * Record a read of personal data. For a list, the ids shown go in the entry's
 * after image as {"ids":[...]} so an auditor can see whose data was seen.
 */
result audit_read(struct ctx *c, const char *entity, long long entity_id, rec *const *rows,
                  int nrows)
{
    rec *seen = NULL;
    if (rows) {
        long long *ids = arena_alloc(c->a, sizeof *ids * (size_t)(nrows ? nrows : 1));
        for (int i = 0; i < nrows; i++)
            ids[i] = rec_int(rows[i], "id", 0);
        seen = rec_new(c->a);
        rec_set_ids(seen, "ids", ids, nrows);
    }
    return audit_record(c, "read", entity, entity_id, NULL, seen);
}

result audit_values(struct ctx *c, const char *column, const char ***out)
{
    if (!c->by_operator && (!c->actor || c->actor->role != ROLE_ADMIN))
        return ctx_fail(c, RES_FORBIDDEN, "Only administrators can read the audit log");
    const char *sql = strcmp(column, "action") == 0
                          ? "SELECT DISTINCT action FROM audit ORDER BY action"
                          : "SELECT DISTINCT entity FROM audit ORDER BY entity";
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "audit values");
    int cap = 16, n = 0, s;
    const char **v = arena_alloc(c->a, sizeof *v * (size_t)cap);
    while ((s = store_step(st)) == STORE_ROW) {
        if (n + 1 == cap) {
            const char **more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, v, sizeof *v * (size_t)n);
            v = more;
            cap *= 2;
        }
        v[n++] = arena_strdup(c->a, store_col_text(st, 0));
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "audit values");
    v[n] = NULL;
    *out = v;
    return RES_OK;
}

static const struct store_column audit_cols[] = {
    {.name = "at", .kind = COL_TEXT},         {.name = "actor_user_id", .kind = COL_INT},
    {.name = "actor", .kind = COL_TEXT},      {.name = "remote_addr", .kind = COL_TEXT},
    {.name = "action", .kind = COL_TEXT},     {.name = "entity", .kind = COL_TEXT},
    {.name = "entity_id", .kind = COL_INT},   {.name = "before_json", .kind = COL_TEXT},
    {.name = "after_json", .kind = COL_TEXT},
};

/*
 * Entries matching q, newest first. Only admins (and the operator) may read
 * the audit log. Rows belong to c->a.
 */
result audit_list(struct ctx *c, const struct audit_query *q, struct store_page *out)
{
    if (!c->by_operator) {
        if (!c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
        if (c->actor->role != ROLE_ADMIN)
            return ctx_fail(c, RES_FORBIDDEN, "Only administrators can read the audit log");
    }
    if (q->per_page < 0 || q->per_page > 1000)
        ctx_field_error(c, "per_page", "per_page must be between 1 and 1000");
    if (q->since && !text_date_or_time_valid(q->since))
        ctx_field_error(c, "since", "Enter the from date as YYYY-MM-DD, like 2026-11-26");
    if (q->until && !text_date_or_time_valid(q->until))
        ctx_field_error(c, "until", "Enter the before date as YYYY-MM-DD, like 2026-11-27");
    if (q->page < 0 || q->page > 1000000)
        ctx_field_error(c, "page", "page must be between 1 and 1000000");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the audit filters");

    buf where;
    buf_init(&where, c->a, 256);
    buf_puts(&where, " WHERE ($1 IS NULL OR entity = $1) AND ($2 = 0 OR entity_id = $2)"
                     " AND ($3 = 0 OR actor_user_id = $3) AND ($4 IS NULL OR action = $4)"
                     " AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6)");
    char *count_sql = arena_printf(c->a, "SELECT count(*) FROM audit%s", where.data);
    store_stmt *st = store_prepare(c->db, count_sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "audit count");
    store_bindf(st, "tiittt", q->entity, q->entity_id, q->actor_user_id, q->action, q->since,
                q->until);
    int s = store_step(st);
    out->total = s == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "audit count");

    long long per = q->per_page ? q->per_page : -1; /* -1: no limit */
    long long page = q->page ? q->page : 1;
    char *sql = arena_printf(c->a,
                             "SELECT id, at, actor_user_id, actor, remote_addr, action, entity,"
                             " entity_id, before_json, after_json FROM audit%s"
                             " ORDER BY id DESC LIMIT $7 OFFSET $8",
                             where.data);
    st = store_prepare(c->db, sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "audit list");
    store_bindf(st, "tiitttii", q->entity, q->entity_id, q->actor_user_id, q->action, q->since,
                q->until, per, per > 0 ? (page - 1) * per : 0LL);
    int cap = 64;
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)cap);
    out->nrows = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        if (out->nrows == cap) {
            rec **more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, out->rows, sizeof *more * (size_t)cap);
            out->rows = more;
            cap *= 2;
        }
        rec *r = rec_new(c->a);
        rec_set_int(r, "id", store_col_int(st, 0));
        for (int i = 0; i < (int)(sizeof audit_cols / sizeof audit_cols[0]); i++) {
            const char *name = audit_cols[i].name;
            if (strcmp(name, "before_json") == 0) name = "before";
            if (strcmp(name, "after_json") == 0) name = "after";
            if (store_col_null(st, i + 1))
                rec_set_null(r, name);
            else if (audit_cols[i].kind == COL_INT)
                rec_set_int(r, name, store_col_int(st, i + 1));
            else
                rec_set_text(r, name, store_col_text(st, i + 1));
        }
        out->rows[out->nrows++] = r;
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "audit list");
    return RES_OK;
}
