/*
 * concern_read.c: reading concerns: loading one row, concern_get with its
 * visibility check, the filtered and paged list, and a concern's event
 * history. Reads are audited like reads of people (a description may hold
 * personal data). The rules are in concerns.h.
 */
#include "domain/concerns_internal.h"

#include "base/buf.h"
#include "domain/audit.h"
#include "domain/entity.h"

#include "store/qbuild.h"

#include <string.h>

static const struct store_column concern_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "organisation_id", .kind = COL_INT},
    {.name = "organisation_name", .kind = COL_TEXT},
    {.name = "service_id", .kind = COL_INT},
    {.name = "category", .kind = COL_TEXT},
    {.name = "severity", .kind = COL_TEXT},
    {.name = "description", .kind = COL_TEXT},
    {.name = "status", .kind = COL_TEXT},
    {.name = "raised_by_user_id", .kind = COL_INT},
    {.name = "owner_person_id", .kind = COL_INT},
    {.name = "owner_user_id", .kind = COL_INT},
    {.name = "owner_name", .kind = COL_TEXT},
    {.name = "escalation_level", .kind = COL_INT},
    {.name = "deadline", .kind = COL_TEXT},
    {.name = "outcome", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
    {.name = "updated_at", .kind = COL_TEXT},
};

#define CONCERN_SELECT                                                                             \
    "SELECT c.id, c.organisation_id, o.name, c.service_id, c.category, c.severity,"                \
    " c.description, c.status, c.raised_by_user_id, c.owner_person_id, c.owner_user_id,"           \
    " COALESCE(p.name, u.name), c.escalation_level, c.deadline, c.outcome, c.created_at,"          \
    " c.updated_at FROM concerns c JOIN organisations o ON o.id = c.organisation_id"               \
    " LEFT JOIN people p ON p.id = c.owner_person_id"                                              \
    " LEFT JOIN users u ON u.id = c.owner_user_id"

static const struct store_column event_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "concern_id", .kind = COL_INT},
    {.name = "type", .kind = COL_TEXT},
    {.name = "at", .kind = COL_TEXT},
    {.name = "actor", .kind = COL_TEXT},
    {.name = "owner_person_id", .kind = COL_INT},
    {.name = "owner_user_id", .kind = COL_INT},
    {.name = "owner_name", .kind = COL_TEXT},
    {.name = "deadline", .kind = COL_TEXT},
    {.name = "note", .kind = COL_TEXT},
};

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/* See concerns_internal.h. The record belongs to c->a. */
int concern_load(struct ctx *c, long long id, rec **out)
{
    store_stmt *st = store_prepare(c->db, CONCERN_SELECT " WHERE c.id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int s = store_step(st);
    if (s == STORE_ROW) *out = store_row_rec(st, concern_cols, NCOLS(concern_cols), c->a);
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* See concerns_internal.h. The record belongs to c->a. */
result concern_visible(struct ctx *c, long long id, rec **out)
{
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    rec *row = NULL;
    int rc = id > 0 ? concern_load(c, id, &row) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "concern");
    if (rc == 0 || !concern_may_see(c, row))
        return ctx_fail(c, RES_NOT_FOUND, "There is no concern with id %lld", id);
    *out = row;
    return RES_OK;
}

/* See concerns.h. The record belongs to c->a. */
result concern_get(struct ctx *c, long long id, rec **out)
{
    rec *row = NULL;
    result r = concern_visible(c, id, &row);
    if (r != RES_OK) return r;
    if (audit_read(c, "concerns", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    *out = row;
    return RES_OK;
}

/* See concerns.h. */
bool concern_queue_parse(const char *s, enum concern_queue *out)
{
    if (!s || !*s || strcmp(s, "all") == 0)
        *out = QUEUE_ALL;
    else if (strcmp(s, "mine") == 0)
        *out = QUEUE_MINE;
    else if (strcmp(s, "raised") == 0)
        *out = QUEUE_RAISED;
    else
        return false;
    return true;
}

/* See concerns.h. */
result concern_list(struct ctx *c, const struct concern_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (q->status && concern_choice_index(concern_statuses, q->status) < 0)
        ctx_field_error(c, "status", "status must be one of: open, acknowledged, resolved, closed");
    if (q->severity && concern_choice_index(concern_severities, q->severity) < 0)
        ctx_field_error(c, "severity", "severity must be one of: low, medium, high, urgent");
    if (q->organisation_id < 0)
        ctx_field_error(c, "organisation_id", "organisation_id must be a positive whole number");
    long long per, page;
    list_paging(c, q->per_page, q->page, &per, &page);
    if (q->queue != QUEUE_ALL && !concern_my_user(c))
        ctx_field_error(c, "queue", "queue needs a signed-in user");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters");

    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " WHERE 1 = 1");
    if (q->status) buf_printf(&b.sql, " AND c.status = %s", store_qb_text(c->a, &b, q->status));
    if (q->severity)
        buf_printf(&b.sql, " AND c.severity = %s", store_qb_text(c->a, &b, q->severity));
    if (q->organisation_id)
        buf_printf(&b.sql, " AND c.organisation_id = %s",
                   store_qb_int(c->a, &b, q->organisation_id));
    const char *me = NULL;
    if (!concern_sees_all(c) || q->queue != QUEUE_ALL)
        me = store_qb_int(c->a, &b, concern_my_user(c));
    const char *mine = me ? arena_printf(c->a,
                                         "(c.owner_user_id = %s OR c.owner_person_id IN"
                                         " (SELECT id FROM people WHERE user_id = %s))",
                                         me, me)
                          : NULL;
    if (!concern_sees_all(c)) {
        buf_printf(&b.sql,
                   " AND (c.raised_by_user_id = %s OR %s OR EXISTS (SELECT 1 FROM"
                   " concern_events e WHERE e.concern_id = c.id AND (e.owner_user_id = %s OR"
                   " e.owner_person_id IN (SELECT id FROM people WHERE user_id = %s)))",
                   me, mine, me, me);
        if (c->actor->role == ROLE_PLACE_LEAD && c->actor->nplaces > 0) {
            buf_puts(&b.sql, " OR c.organisation_id IN (SELECT organisation_id FROM"
                             " organisation_places WHERE place_id IN (");
            for (int i = 0; i < c->actor->nplaces && i < 64; i++)
                buf_printf(&b.sql, "%s%s", i ? ", " : "",
                           store_qb_int(c->a, &b, c->actor->place_ids[i]));
            buf_puts(&b.sql, "))");
        }
        buf_puts(&b.sql, ")");
    }
    if (q->queue == QUEUE_MINE) buf_printf(&b.sql, " AND %s", mine);
    if (q->queue == QUEUE_RAISED) buf_printf(&b.sql, " AND c.raised_by_user_id = %s", me);

    static const struct list_source source = {
        .count = "SELECT count(*) FROM concerns c",
        .select = CONCERN_SELECT,
        .order = "CASE WHEN c.deadline IS NULL THEN 1 ELSE 0 END, c.deadline, c.id DESC",
        .cols = concern_cols,
        .ncols = NCOLS(concern_cols),
        .what = "concerns",
    };
    result res = list_read_page(c, &source, &b, per, page, out);
    if (res != RES_OK) return res;
    if (out->nrows && audit_read(c, "concerns", 0, out->rows, out->nrows) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}

/* See concerns.h. Rows belong to c->a. */
result concern_events(struct ctx *c, long long id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    rec *row = NULL;
    result r = concern_visible(c, id, &row);
    if (r != RES_OK) return r;
    store_stmt *st =
        store_prepare(c->db, "SELECT e.id, e.concern_id, e.type, e.at, e.actor, e.owner_person_id,"
                             " e.owner_user_id, COALESCE(p.name, u.name), e.deadline, e.note"
                             " FROM concern_events e LEFT JOIN people p ON p.id = e.owner_person_id"
                             " LEFT JOIN users u ON u.id = e.owner_user_id"
                             " WHERE e.concern_id = $1 ORDER BY e.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "concern events");
    store_bind_int(st, 1, id);
    int s = store_page_read(st, event_cols, NCOLS(event_cols), c->a, out);
    if (s < 0) return ctx_store_failure(c, s, "concern events");
    if (audit_read(c, "concerns", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}
