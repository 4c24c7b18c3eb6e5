/*
 * audit.c: GET /api/v1/audit, as JSON pages or, with format=csv (or Accept:
 * text/csv), the whole filtered log as CSV.
 */
#include "api/handlers.h"

#include "api/json.h"
#include "base/csv.h"
#include "base/text.h"
#include "domain/audit.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static long long query_id(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return 0; /* empty: no filter, as a form's blank field sends */
    long long v = text_id(s);
    if (!v) ctx_field_error(&r->ctx, name, "%s must be a positive whole number", name);
    return v;
}

void api_audit_list(struct req *r)
{
    struct audit_query q = {0};
    q.entity = req_query(r, "entity");
    q.action = req_query(r, "action");
    q.since = req_query(r, "since");
    q.until = req_query(r, "until");
    q.entity_id = query_id(r, "entity_id");
    q.actor_user_id = query_id(r, "actor_user_id");
    if (q.entity && !*q.entity) q.entity = NULL;
    if (q.action && !*q.action) q.action = NULL;
    if (q.since && !*q.since) q.since = NULL;
    if (q.until && !*q.until) q.until = NULL;
    const char *format = req_query(r, "format");
    const char *accept = req_header(r, "Accept");
    bool csv =
        (format && strcmp(format, "csv") == 0) || (!format && accept && strstr(accept, "text/csv"));
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        ctx_field_error(&r->ctx, "format", "format must be json or csv");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the audit filters.");
        return;
    }
    if (!csv && api_paging(r, &q.page, &q.per_page) != 0) return;
    if (!csv && !q.per_page) q.per_page = 50;
    struct store_page page;
    result res = audit_list(&r->ctx, &q, &page);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    static const char *const cols[] = {"id",     "at",     "actor_user_id", "actor",  "remote_addr",
                                       "action", "entity", "entity_id",     "before", "after"};
    const int ncols = (int)(sizeof cols / sizeof cols[0]);
    if (csv) {
        r->status = 200;
        r->content_type = "text/csv; charset=utf-8";
        resp_header(r, "Content-Disposition", "attachment; filename=\"chis-audit.csv\"");
        for (int i = 0; i < ncols; i++)
            csv_cell(&r->out, cols[i], i == ncols - 1);
        for (int k = 0; k < page.nrows; k++) {
            for (int i = 0; i < ncols; i++) {
                const struct val *v = rec_get(page.rows[k], cols[i]);
                const char *cell = NULL;
                if (v && v->type == VAL_INT)
                    cell = arena_printf(r->a, "%lld", v->i);
                else if (v && v->type == VAL_TEXT)
                    cell = v->s;
                csv_cell(&r->out, cell, i == ncols - 1);
            }
        }
        return;
    }
    json_t *items = json_array();
    for (int k = 0; k < page.nrows; k++) {
        json_t *o = json_from_rec(page.rows[k]);
        /* before/after are JSON text in the store: hand them out as JSON values. */
        for (int i = 8; i < 10; i++) {
            const char *t = rec_text(page.rows[k], cols[i]);
            json_t *parsed = t ? json_loads(t, 0, NULL) : NULL;
            json_object_set_new(o, cols[i], parsed ? parsed : json_null());
        }
        json_array_append_new(items, o);
    }
    api_json(r, 200,
             json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "page", (json_int_t)q.page,
                       "per_page", (json_int_t)q.per_page, "total", (json_int_t)page.total,
                       "total_pages", (json_int_t)((page.total + q.per_page - 1) / q.per_page)));
}
