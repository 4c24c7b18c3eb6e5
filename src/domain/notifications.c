/*
 * notifications.c: writing, listing and marking notifications. The
 * recipient is a person or a user; a signed-in user's notifications are
 * those for them and those for the person linked to their account.
 */
#include "domain/notifications.h"

#include "domain/audit.h"
#include "domain/entity.h"

#include <string.h>

static const struct store_column notification_cols[] = {
    {.name = "id", .kind = COL_INT},        {.name = "created_at", .kind = COL_TEXT},
    {.name = "kind", .kind = COL_TEXT},     {.name = "entity", .kind = COL_TEXT},
    {.name = "entity_id", .kind = COL_INT}, {.name = "message", .kind = COL_TEXT},
    {.name = "read_at", .kind = COL_TEXT},
};
#define NCOLS ((int)(sizeof notification_cols / sizeof notification_cols[0]))
#define SELECT_COLS "id, created_at, kind, entity, entity_id, message, read_at"

/* The current row as a record of notification_cols (in arena a; the caller's). */
static rec *row_rec(arena *a, store_stmt *st)
{
    rec *r = rec_new(a);
    for (int i = 0; i < NCOLS; i++) {
        const char *name = notification_cols[i].name;
        if (store_col_null(st, i))
            rec_set_null(r, name);
        else if (notification_cols[i].kind == COL_INT)
            rec_set_int(r, name, store_col_int(st, i));
        else
            rec_set_text(r, name, store_col_text(st, i));
    }
    return r;
}

/*
 * Write one notification and its audit entry in one transaction (a savepoint
 * inside the caller's). A dedupe key already used writes nothing.
 */
result notify(struct ctx *c, const struct notice *n, bool *written)
{
    if (written) *written = false;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "notify begin");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO notifications (created_at, recipient_person_id,"
                             " recipient_user_id, kind, entity, entity_id, message, dedupe_key)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                             " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                             "tIIttItt", c->now_iso, n->person_id, n->user_id, n->kind, n->entity,
                             n->entity_id, n->message, n->dedupe_key);
    if (rc < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "notify");
    }
    if (rc == 1) {
        rec *after = rec_new(c->a);
        rec_set_int(after, "id", id);
        if (n->person_id) rec_set_int(after, "recipient_person_id", n->person_id);
        if (n->user_id) rec_set_int(after, "recipient_user_id", n->user_id);
        rec_set_text(after, "kind", n->kind);
        rec_set_text(after, "message", n->message);
        if (n->dedupe_key) rec_set_text(after, "dedupe_key", n->dedupe_key);
        if (audit_record(c, "notify", "notifications", id, NULL, after) != RES_OK) {
            store_rollback(c->db);
            return RES_INTERNAL;
        }
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "notify commit");
    if (written) *written = rc == 1;
    return RES_OK;
}

/* The condition "addressed to user $1" (directly, or to the person linked to them). */
#define MINE                                                                                       \
    "(recipient_user_id = $1 OR recipient_person_id IN"                                            \
    " (SELECT id FROM people WHERE user_id = $1))"

/* See notifications.h. Rows belong to c->a. */
result notifications_list(struct ctx *c, bool unread_only, long long page, long long per_page,
                          struct store_page *out, long long *unread)
{
    memset(out, 0, sizeof *out);
    if (!c->actor || !c->actor->user_id) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!page) page = 1;
    if (!per_page) per_page = LIST_DEFAULT_PER_PAGE;
    if (per_page < 1 || per_page > LIST_MAX_PER_PAGE)
        ctx_field_error(c, "per_page", "per_page must be between 1 and %d", LIST_MAX_PER_PAGE);
    if (page < 1 || page > 1000000)
        ctx_field_error(c, "page", "page must be between 1 and 1000000");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters");
    long long me = c->actor->user_id, total = 0, n_unread = 0;
    int rc = store_query_int(
        c->db, &n_unread, "SELECT count(*) FROM notifications WHERE " MINE " AND read_at IS NULL",
        "i", me);
    if (rc < 0) return ctx_store_failure(c, rc, "notifications count");
    if (unread_only) {
        total = n_unread;
    } else {
        rc = store_query_int(c->db, &total, "SELECT count(*) FROM notifications WHERE " MINE, "i",
                             me);
        if (rc < 0) return ctx_store_failure(c, rc, "notifications count");
    }
    out->total = total;
    if (unread) *unread = n_unread;
    store_stmt *st = store_prepare(c->db, "SELECT " SELECT_COLS " FROM notifications WHERE " MINE
                                          " AND ($2 = 0 OR read_at IS NULL)"
                                          " ORDER BY id DESC LIMIT $3 OFFSET $4");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "notifications list");
    store_bindf(st, "ibii", me, (int)unread_only, per_page, (page - 1) * per_page);
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)per_page);
    int s;
    while ((s = store_step(st)) == STORE_ROW && out->nrows < per_page)
        out->rows[out->nrows++] = row_rec(c->a, st);
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "notifications list");
    return RES_OK;
}

/* Load notification id if it is addressed to user me: 1, 0 (not theirs or none) or STORE_E_*. */
static int load_mine(struct ctx *c, long long id, long long me, rec **out)
{
    store_stmt *st = store_prepare(c->db, "SELECT " SELECT_COLS " FROM notifications"
                                          " WHERE " MINE " AND id = $2");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "ii", me, id);
    int s = store_step(st);
    if (s == STORE_ROW) *out = row_rec(c->a, st);
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* See notifications.h. Marking read is a change: audited in the same transaction. */
result notification_mark_read(struct ctx *c, long long id, rec **out)
{
    if (!c->actor || !c->actor->user_id) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    long long me = c->actor->user_id;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "mark read begin");
    rec *before = NULL, *after = NULL;
    int rc = load_mine(c, id, me, &before);
    if (rc <= 0) {
        store_rollback(c->db);
        if (rc < 0) return ctx_store_failure(c, rc, "mark read load");
        return ctx_fail(c, RES_NOT_FOUND, "You have no notification with id %lld", id);
    }
    if (!rec_is_null(before, "read_at")) {
        store_rollback(c->db);
        if (out) *out = before;
        return RES_OK;
    }
    long long n = store_run(c->db, "UPDATE notifications SET read_at = $1 WHERE id = $2", "ti",
                            c->now_iso, id);
    if (n < 0 || load_mine(c, id, me, &after) != 1) {
        store_rollback(c->db);
        return ctx_store_failure(c, n < 0 ? n : STORE_E_ERROR, "mark read");
    }
    if (audit_record(c, "mark_read", "notifications", id, before, after) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "mark read commit");
    if (out) *out = after;
    return RES_OK;
}
