/*
 * entities.c: the JSON routes shared by every kind of record in the
 * registry: /api/v1/{name} (list, create) and /api/v1/{name}/{id} (read,
 * replace, change, delete). The route's data is the struct entity.
 */
#include "api/handlers.h"

#include "api/json.h"
#include "domain/entity.h"

#include <string.h>

static const struct entity *route_entity(struct req *r)
{
    return r->route->data;
}

/* GET /api/v1/{name}: one page, filtered by the entity's declared filters. */
void api_entity_list(struct req *r)
{
    const struct entity *e = route_entity(r);
    struct list_query q = {0};
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct form_field args[16];
    int n = req_query_all(r, args, 16);
    for (int i = 0; i < n; i++) {
        if (strcmp(args[i].name, "page") == 0 || strcmp(args[i].name, "per_page") == 0) continue;
        if (q.n == 8) break;
        q.names[q.n] = args[i].name;
        q.values[q.n++] = args[i].value;
    }
    struct store_page page;
    result res = entity_list(&r->ctx, e, &q, &page);
    if (res == R_INVALID) {
        api_problem(r, 400, NULL, r->ctx.detail);
        return;
    }
    if (res != R_OK) {
        api_fail(r, res);
        return;
    }
    long long per = q.per_page ? q.per_page : LIST_DEFAULT_PER_PAGE;
    json_t *items = json_array();
    for (int i = 0; i < page.nrows; i++) json_array_append_new(items, json_from_rec(page.rows[i]));
    api_json(r, 200,
             json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "page", (json_int_t)q.page,
                       "per_page", (json_int_t)per, "total", (json_int_t)page.total,
                       "total_pages", (json_int_t)((page.total + per - 1) / per)));
}

/* POST /api/v1/{name}: 201 with the stored record and its Location. */
void api_entity_create(struct req *r)
{
    const struct entity *e = route_entity(r);
    rec *in = json_body_rec(r);
    if (!in) return;
    rec *out = NULL;
    result res = entity_create(&r->ctx, e, in, &out);
    if (res != R_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location",
                arena_printf(r->a, "/api/v1/%s/%lld", e->name, rec_int(out, "id", 0)));
    api_json(r, 201, json_from_rec(out));
}

/* GET /api/v1/{name}/{id} */
void api_entity_get(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *out = NULL;
    result res = entity_get(&r->ctx, route_entity(r), id, &out);
    if (res != R_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/*
 * PUT and PATCH /api/v1/{name}/{id}. PATCH changes the fields given; PUT
 * replaces the record, so a writable field left out is cleared (and a
 * required one left out is a validation error).
 */
static void entity_write(struct req *r, bool replace)
{
    const struct entity *e = route_entity(r);
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *in = json_body_rec(r);
    if (!in) return;
    if (replace) {
        for (int i = 0; i < e->nfields; i++) {
            const struct field_rule *f = &e->fields[i];
            if (f->readonly || f->col.hidden || rec_has(in, f->col.name)) continue;
            if (f->type == F_REFSET) rec_set_ids(in, f->col.name, NULL, 0);
            else if (f->type == F_BOOL) rec_set_bool(in, f->col.name, false);
            else rec_set_null(in, f->col.name);
        }
    }
    rec *out = NULL;
    result res = entity_update(&r->ctx, e, id, in, &out);
    if (res != R_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

void api_entity_put(struct req *r)
{
    entity_write(r, true);
}

void api_entity_patch(struct req *r)
{
    entity_write(r, false);
}

/* DELETE /api/v1/{name}/{id}: 204, or 409 naming what still refers to it. */
void api_entity_delete(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    result res = entity_delete(&r->ctx, route_entity(r), id);
    if (res != R_OK) {
        api_fail(r, res);
        return;
    }
    resp_body(r, 204, NULL, "", 0);
}
