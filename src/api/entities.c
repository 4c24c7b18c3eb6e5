/*
 * entities.c: the JSON routes shared by every kind of record in the
 * registry: /api/v1/{name} (list, create) and /api/v1/{name}/{id} (read,
 * replace, change, delete). The route's data is the struct entity.
 */
#include "api/handlers.h"

#include "api/json.h"
#include "base/jsonw.h"
#include "http/cache.h"
#include "domain/entity.h"

#include <string.h>

static const struct entity *route_entity(struct req *r)
{
    return r->route->data;
}

/* Write a page of records as the list answer, straight into the response. */
static void write_page(struct req *r, const struct store_page *page, long long pageno,
                       long long per)
{
    r->status = 200;
    r->content_type = "application/json";
    buf *b = &r->out;
    buf_truncate(b, 0);
    buf_puts(b, "{\"items\":[");
    for (int i = 0; i < page->nrows; i++) {
        if (i) buf_putc(b, ',');
        jsonw_rec(b, page->rows[i]);
    }
    buf_printf(b, "],\"page\":%lld,\"per_page\":%lld,\"total\":%lld,\"total_pages\":%lld}", pageno,
               per, page->total, (page->total + per - 1) / per);
}

/*
 * Answer a list request for e: one page, filtered by the entity's declared
 * filters. Lists that read the same for everyone are answered from the
 * worker's cache until the data changes; the actor is still checked every
 * time. With parent_field, only rows whose parent_field is parent_id.
 */
static void list_answer(struct req *r, const struct entity *e, const char *parent_field,
                        const char *parent_id)
{
    struct list_query q = {0};
    if (parent_field) {
        q.names[q.n] = parent_field;
        q.values[q.n++] = parent_id;
    }
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct form_field args[17];
    int n = req_query_all(r, args, 17);
    if (n == 17) {
        api_problem(r, 400, NULL, "Send at most 16 query parameters.");
        return;
    }
    buf key;
    buf_init(&key, r->a, 128);
    buf_puts(&key, r->path);
    for (int i = 0; i < n; i++) {
        buf_printf(&key, "%c%s=%s", i ? '&' : '?', url_encode(r->a, args[i].name),
                   url_encode(r->a, args[i].value));
        if (strcmp(args[i].name, "page") == 0 || strcmp(args[i].name, "per_page") == 0) continue;
        if (q.n == 8) {
            ctx_field_error(&r->ctx, args[i].name, "Too many filters");
            api_problem(r, 400, NULL, "Use at most 8 filters.");
            return;
        }
        q.names[q.n] = args[i].name;
        q.values[q.n++] = args[i].value;
    }
    bool shared = entity_list_shared(e);
    if (shared) {
        result res = entity_list_access(&r->ctx, e);
        if (res != RES_OK) {
            api_fail(r, res);
            return;
        }
        if (resp_cache_serve(r, key.data)) return;
    }
    struct store_page page;
    result res = entity_list(&r->ctx, e, &q, &page);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    write_page(r, &page, q.page, q.per_page ? q.per_page : LIST_DEFAULT_PER_PAGE);
    if (shared) resp_cache_store(r, key.data);
}

/* GET /api/v1/{name}: one page of records. */
void api_entity_list(struct req *r)
{
    list_answer(r, route_entity(r), NULL, NULL);
}

/* POST /api/v1/{name}: 201 with the stored record and its Location. */
void api_entity_create(struct req *r)
{
    const struct entity *e = route_entity(r);
    rec *in = json_body_rec(r);
    if (!in) return;
    rec *out = NULL;
    result res = entity_create(&r->ctx, e, in, &out);
    if (res != RES_OK) {
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
    if (res != RES_OK) {
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
            if (f->type == F_REFSET)
                rec_set_ids(in, f->col.name, NULL, 0);
            else if (f->type == F_BOOL)
                rec_set_bool(in, f->col.name, false);
            else
                rec_set_null(in, f->col.name);
        }
    }
    rec *out = NULL;
    result res = entity_update(&r->ctx, e, id, in, &out);
    if (res != RES_OK) {
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
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_body(r, 204, NULL, "", 0);
}

/* GET /api/v1/PARENT/{id}/CHILDREN: the children of one parent (404 when it does not exist). */
void api_entity_list_nested(struct req *r)
{
    const struct entity_nest *n = r->route->data;
    const struct field_rule *f = entity_field(n->e, n->field);
    long long id = api_path_id(r, 0);
    if (!id) return;
    if (store_exists(r->ctx.db, f->ref_table, id) != 1) {
        api_problem(r, 404, NULL, "There is nothing with that id.");
        return;
    }
    list_answer(r, n->e, n->field, arena_printf(r->a, "%lld", id));
}

/* POST /api/v1/PARENT/{id}/CHILDREN: create a child of that parent (201). */
void api_entity_create_nested(struct req *r)
{
    const struct entity_nest *n = r->route->data;
    const struct field_rule *f = entity_field(n->e, n->field);
    long long id = api_path_id(r, 0);
    if (!id) return;
    if (store_exists(r->ctx.db, f->ref_table, id) != 1) {
        api_problem(r, 404, NULL, "There is nothing with that id.");
        return;
    }
    rec *in = json_body_rec(r);
    if (!in) return;
    if (rec_has(in, n->field) && rec_int(in, n->field, 0) != id) {
        ctx_field_error(&r->ctx, n->field, "'%s' must be the id in the path, or left out",
                        n->field);
        api_problem(r, 422, NULL, "The body names another parent than the path.");
        return;
    }
    rec_set_int(in, n->field, id);
    rec *out = NULL;
    result res = entity_create(&r->ctx, n->e, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location",
                arena_printf(r->a, "/api/v1/%s/%lld", n->e->name, rec_int(out, "id", 0)));
    api_json(r, 201, json_from_rec(out));
}
