/*
 * dir_edit_read.c: what the editors read: a service's versions and the
 * difference each made, the services an actor may edit, the approval
 * queue, and the taxonomy terms the editor offers. Lists are scoped in SQL
 * by the same rule dir_edit_level() applies to one service.
 */
#include "domain/dir_edit_internal.h"

#include "base/buf.h"
#include "domain/entity.h"
#include "domain/scope.h"

#include "store/qbuild.h"

#include <string.h>

/* ---- rows as records ---- */

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/*
 * Narrow a query to rows whose chis organisation (the SQL expression col)
 * the actor may edit. false when the actor may edit nothing.
 */
static bool scope_clause(struct ctx *c, struct store_qb *q, const char *col)
{
    if (scope_is_lead(c)) return true;
    const struct actor *a = c->actor;
    if (!a) return false;
    if (a->role == ROLE_PROVIDER && a->org_id) {
        buf_printf(&q->sql, " AND %s = %s", col, store_qb_int(c->a, q, a->org_id));
        return true;
    }
    if (a->role != ROLE_PLACE_LEAD || a->nplaces == 0) return false;
    buf_printf(&q->sql,
               " AND %s IN (SELECT organisation_id FROM organisation_places WHERE place_id IN (",
               col);
    for (int i = 0; i < a->nplaces && i < 24; i++)
        buf_printf(&q->sql, "%s%s", i ? ", " : "", store_qb_int(c->a, q, a->place_ids[i]));
    buf_puts(&q->sql, "))");
    return true;
}

/* Check paging (0: defaults); RES_INVALID naming the bad one. */
static result paging(struct ctx *c, long long *page, long long *per)
{
    if (!*per) *per = LIST_DEFAULT_PER_PAGE;
    if (!*page) *page = 1;
    if (*per < 1 || *per > LIST_MAX_PER_PAGE)
        ctx_field_error(c, "per_page", "per_page must be between 1 and %d", LIST_MAX_PER_PAGE);
    if (*page < 1 || *page > 1000000)
        ctx_field_error(c, "page", "page must be between 1 and 1000000");
    return c->nerrors ? ctx_fail(c, RES_INVALID, "Check the list parameters.") : RES_OK;
}

/*
 * Run "SELECT count(*) FROM_WHERE" and "SELECT cols FROM_WHERE ORDER LIMIT"
 * and collect a page of records.
 */
static result page_of(struct ctx *c, struct store_qb *q, const char *select, const char *order,
                      const struct store_column *cols, int ncols, long long page, long long per,
                      struct store_page *out)
{
    const char *from_where = arena_strdup(c->a, q->sql.data);
    store_stmt *st =
        store_qb_prepare(c->db, q, arena_printf(c->a, "SELECT count(*)%s", from_where));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "counting");
    int s = store_step(st);
    if (s == STORE_ROW) out->total = store_col_int(st, 0);
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "counting");
    const char *lim = store_qb_int(c->a, q, per), *off = store_qb_int(c->a, q, (page - 1) * per);
    st = store_qb_prepare(c->db, q,
                          arena_printf(c->a, "SELECT %s%s ORDER BY %s LIMIT %s OFFSET %s", select,
                                       from_where, order, lim, off));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "listing");
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)per);
    while ((s = store_step(st)) == STORE_ROW && out->nrows < per)
        out->rows[out->nrows++] = store_row_rec(st, cols, ncols, c->a);
    store_done(st);
    return s < 0 ? ctx_store_failure(c, s, "listing") : RES_OK;
}

/* ---- versions ---- */

static const struct store_column version_cols[] = {
    {.name = "version", .kind = COL_INT},        {.name = "state", .kind = COL_TEXT},
    {.name = "action", .kind = COL_TEXT},        {.name = "created_at", .kind = COL_TEXT},
    {.name = "created_by", .kind = COL_TEXT},    {.name = "created_by_user_id", .kind = COL_INT},
    {.name = "decided_at", .kind = COL_TEXT},    {.name = "decided_by", .kind = COL_TEXT},
    {.name = "decision_note", .kind = COL_TEXT},
};

#define VERSION_SELECT                                                                             \
    "SELECT version, state, action, created_at, created_by, created_by_user_id, decided_at,"       \
    " decided_by, decision_note FROM dir_service_versions WHERE service_id = $1"

/* The service, for someone who may edit it (versions are the editors'). */
static result editor_access(struct ctx *c, const char *id, struct dir_svc *s)
{
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_READ, s, &level);
    if (res != RES_OK) return res;
    if (level == DIR_READ)
        return ctx_fail(c, RES_FORBIDDEN, "Only the service's editors can see its versions.");
    return RES_OK;
}

/* See dir_edit.h. Rows belong to c->a. */
result dir_edit_versions(struct ctx *c, const char *id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    struct dir_svc s;
    result res = editor_access(c, id, &s);
    if (res != RES_OK) return res;
    store_stmt *st = store_prepare(c->db, VERSION_SELECT " ORDER BY version DESC");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "listing versions");
    store_bindf(st, "t", s.id);
    int cap = 16, rc;
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (out->nrows == cap) {
            rec **more = arena_alloc(c->a, sizeof *more * (size_t)(cap *= 2));
            memcpy(more, out->rows, sizeof *more * (size_t)out->nrows);
            out->rows = more;
        }
        out->rows[out->nrows++] = store_row_rec(st, version_cols, NCOLS(version_cols), c->a);
    }
    store_done(st);
    out->total = out->nrows;
    return rc < 0 ? ctx_store_failure(c, rc, "listing versions") : RES_OK;
}

/* The version a diff of `version` is taken against by default (see dir_edit.h). */
static int previous_version(struct ctx *c, const char *id, int version)
{
    long long v = 0;
    if (store_query_int(c->db, &v,
                        "SELECT coalesce(max(version), 0) FROM dir_service_versions"
                        " WHERE service_id = $1 AND version < $2"
                        " AND state IN ('published', 'superseded')",
                        "ti", id, (long long)version) == 1 &&
        v > 0)
        return (int)v;
    return version > 1 ? version - 1 : 0;
}

/* See dir_edit.h. */
result dir_edit_version(struct ctx *c, const char *id, int version, int against, rec **meta,
                        json_t **doc, json_t **diff, int *against_out)
{
    *doc = *diff = NULL;
    *meta = NULL;
    *against_out = 0;
    struct dir_svc s;
    result res = editor_access(c, id, &s);
    if (res != RES_OK) return res;
    store_stmt *st = store_prepare(c->db, VERSION_SELECT " AND version = $2");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "reading a version");
    store_bindf(st, "ti", s.id, (long long)version);
    int rc = store_step(st);
    if (rc == STORE_ROW) *meta = store_row_rec(st, version_cols, NCOLS(version_cols), c->a);
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "reading a version");
    if (!*meta)
        return ctx_fail(c, RES_NOT_FOUND, "There is no version %d of this service.", version);
    json_t *base = NULL;
    if (against) {
        base = dir_version_load(c, s.id, against);
        if (!base) {
            ctx_field_error(c, "against", "there is no version %d of this service", against);
            return ctx_fail(c, RES_INVALID, "Check the version to compare with.");
        }
    } else if ((against = previous_version(c, s.id, version)) > 0) {
        base = dir_version_load(c, s.id, against);
    }
    *doc = dir_version_load(c, s.id, version);
    if (!*doc) {
        json_decref(base);
        return ctx_store_failure(c, STORE_E_ERROR, "reading a version");
    }
    *diff = dir_json_diff(base, *doc);
    *against_out = base ? against : 0;
    json_decref(base);
    return RES_OK;
}

/* ---- services and the approval queue ---- */

static const struct store_column service_cols[] = {
    {.name = "rid", .kind = COL_INT},
    {.name = "id", .kind = COL_TEXT},
    {.name = "name", .kind = COL_TEXT},
    {.name = "status", .kind = COL_TEXT},
    {.name = "state", .kind = COL_TEXT},
    {.name = "organization_id", .kind = COL_TEXT},
    {.name = "organization_name", .kind = COL_TEXT},
    {.name = "organisation_id", .kind = COL_INT},
    {.name = "last_modified", .kind = COL_TEXT},
    {.name = "deleted_at", .kind = COL_TEXT},
    {.name = "deleted_by", .kind = COL_TEXT},
    {.name = "version", .kind = COL_INT},
    {.name = "pending_version", .kind = COL_INT},
};

/* See dir_edit.h. Rows belong to c->a. */
result dir_edit_services(struct ctx *c, const struct dir_service_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    long long page = q->page, per = q->per_page;
    if (q->state && strcmp(q->state, "pending") != 0 && strcmp(q->state, "published") != 0)
        ctx_field_error(c, "state", "state must be pending or published");
    result res = paging(c, &page, &per);
    if (res != RES_OK || c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters.");
    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id"
                     " WHERE 1 = 1");
    if (!scope_clause(c, &b, "o.organisation_id")) return RES_OK;
    buf_puts(&b.sql, q->deleted ? " AND s.deleted_at IS NOT NULL" : " AND s.deleted_at IS NULL");
    if (q->state) buf_printf(&b.sql, " AND s.state = %s", store_qb_text(c->a, &b, q->state));
    if (q->organization_id)
        buf_printf(&b.sql, " AND s.organization_id = %s",
                   store_qb_text(c->a, &b, q->organization_id));
    if (q->q && *q->q)
        buf_printf(&b.sql, " AND lower(s.name) LIKE lower(%s) ESCAPE '\\'",
                   store_qb_text(c->a, &b, store_like_contains(c->a, q->q)));
    if (q->waiting)
        buf_puts(&b.sql, " AND EXISTS (SELECT 1 FROM dir_service_versions w"
                         " WHERE w.service_id = s.id AND w.state = 'pending')");
    return page_of(c, &b,
                   "s.rid, s.id, s.name, s.status, s.state, s.organization_id, o.name,"
                   " o.organisation_id, s.last_modified, s.deleted_at, s.deleted_by,"
                   " (SELECT max(version) FROM dir_service_versions v WHERE v.service_id = s.id"
                   " AND v.state = 'published'),"
                   " (SELECT max(version) FROM dir_service_versions v WHERE v.service_id = s.id"
                   " AND v.state = 'pending')",
                   "lower(s.name), s.id", service_cols, NCOLS(service_cols), page, per, out);
}

static const struct store_column approval_cols[] = {
    {.name = "service_id", .kind = COL_TEXT},
    {.name = "service_name", .kind = COL_TEXT},
    {.name = "service_state", .kind = COL_TEXT},
    {.name = "organization_id", .kind = COL_TEXT},
    {.name = "organization_name", .kind = COL_TEXT},
    {.name = "version", .kind = COL_INT},
    {.name = "action", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
    {.name = "created_by", .kind = COL_TEXT},
};

/* See dir_edit.h. Rows belong to c->a. */
result dir_edit_approvals(struct ctx *c, long long page, long long per_page, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    bool approver = scope_is_lead(c) || (c->actor && c->actor->role == ROLE_PLACE_LEAD);
    if (!approver)
        return ctx_fail(c, RES_FORBIDDEN, "Only system and place leads approve directory changes.");
    result res = paging(c, &page, &per_page);
    if (res != RES_OK) return res;
    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " FROM dir_service_versions v JOIN dir_services s ON s.id = v.service_id"
                     " JOIN dir_organizations o ON o.id = s.organization_id"
                     " WHERE v.state = 'pending'");
    if (!scope_clause(c, &b, "o.organisation_id")) return RES_OK;
    return page_of(c, &b,
                   "v.service_id, s.name, s.state, s.organization_id, o.name, v.version,"
                   " v.action, v.created_at, v.created_by",
                   "v.created_at, v.id", approval_cols, NCOLS(approval_cols), page, per_page, out);
}

/* ---- taxonomy terms ---- */

static const struct store_column term_cols[] = {
    {.name = "id", .kind = COL_TEXT},
    {.name = "name", .kind = COL_TEXT},
    {.name = "description", .kind = COL_TEXT},
};

/* See dir_edit.h. Rows belong to c->a. */
result dir_edit_terms(struct ctx *c, const char *parent_id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 128);
    buf_printf(&b.sql, " FROM dir_taxonomy_terms WHERE parent_id = %s",
               store_qb_text(c->a, &b, parent_id));
    return page_of(c, &b, "id, name, description", "lower(name), id", term_cols, NCOLS(term_cols),
                   1, 500, out);
}

/* ---- organizations ---- */

static const struct store_column org_cols[] = {
    {.name = "rid", .kind = COL_INT},
    {.name = "id", .kind = COL_TEXT},
    {.name = "name", .kind = COL_TEXT},
    {.name = "organisation_id", .kind = COL_INT},
    {.name = "organisation_name", .kind = COL_TEXT},
    {.name = "services", .kind = COL_INT},
};

/* See dir_edit.h. Rows belong to c->a. */
result dir_edit_organizations(struct ctx *c, const struct dir_org_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    long long page = q->page, per = q->per_page;
    result res = paging(c, &page, &per);
    if (res != RES_OK) return res;
    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " FROM dir_organizations o LEFT JOIN organisations g"
                     " ON g.id = o.organisation_id WHERE 1 = 1");
    if (!q->all && !scope_clause(c, &b, "o.organisation_id")) return RES_OK;
    if (q->q && *q->q)
        buf_printf(&b.sql, " AND lower(o.name) LIKE lower(%s) ESCAPE '\\'",
                   store_qb_text(c->a, &b, store_like_contains(c->a, q->q)));
    return page_of(c, &b,
                   "o.rid, o.id, o.name, o.organisation_id, g.name, (SELECT count(*) FROM"
                   " dir_services s WHERE s.organization_id = o.id AND s.deleted_at IS NULL)",
                   "lower(o.name), o.id", org_cols, NCOLS(org_cols), page, per, out);
}
