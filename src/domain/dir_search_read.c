/*
 * dir_search_read.c: the public directory's single objects and its lists of
 * taxonomies, terms and organizations (dir_search.h). What is public is
 * decided here, once: a service when it is published and not deleted, a
 * service_at_location when its service is, an organization when it has a
 * public service; taxonomies and their terms always.
 */
#include "domain/dir_search.h"

#include "base/buf.h"
#include "domain/directory.h"
#include "store/records.h"

#include <string.h>

/* The condition that makes the service s public, for every query here. */
#define PUBLIC_S "s.state = 'published' AND s.deleted_at IS NULL"

result dir_public_service(struct ctx *c, const char *id, const char **document)
{
    *document = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT s.document FROM dir_services s WHERE s.id = $1"
                                          " AND " PUBLIC_S);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The directory cannot be read");
    store_bindf(st, "t", id);
    int rc = store_step(st);
    if (rc == STORE_ROW) *document = arena_strdup(c->a, store_col_text(st, 0));
    store_done(st);
    if (rc == STORE_DONE) return ctx_fail(c, RES_NOT_FOUND, "There is no such service");
    if (rc != STORE_ROW) return ctx_store_failure(c, rc, "public service");
    return RES_OK;
}

result dir_public_service_at_location(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    store_stmt *st = store_prepare(
        c->db, "SELECT s.document, sal.service_id, sal.location_id FROM dir_service_at_locations"
               " sal JOIN dir_services s ON s.id = sal.service_id WHERE sal.id = $1 AND " PUBLIC_S);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The directory cannot be read");
    store_bindf(st, "t", id);
    int rc = store_step(st);
    json_t *doc = NULL;
    const char *service_id = NULL, *location_id = NULL;
    if (rc == STORE_ROW) {
        doc = json_loads(store_col_text(st, 0), 0, NULL);
        service_id = arena_strdup(c->a, store_col_text(st, 1));
        location_id = arena_strdup(c->a, store_col_text(st, 2));
    }
    store_done(st);
    if (rc == STORE_DONE)
        return ctx_fail(c, RES_NOT_FOUND, "There is no such service at a location");
    if (rc != STORE_ROW) return ctx_store_failure(c, rc, "public service_at_location");
    if (!json_is_object(doc)) {
        json_decref(doc);
        return ctx_fail(c, RES_INTERNAL, "A stored service document does not parse");
    }
    /* Its own members come from the service document, which nests it. */
    json_t *sal = NULL, *item;
    size_t i;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, item)
    {
        const char *sid = json_string_value(json_object_get(item, "id"));
        if (sid && strcmp(sid, id) == 0) {
            sal = json_deep_copy(item);
            break;
        }
    }
    if (!sal) sal = json_object();
    json_object_set_new(sal, "id", json_string(id));
    json_object_set_new(sal, "service_id", json_string(service_id));
    json_object_set_new(sal, "location_id", json_string(location_id));
    if (!json_object_get(sal, "location")) json_object_set_new(sal, "location", json_object());
    json_object_del(doc, "service_at_locations");
    json_object_set_new(sal, "service", doc);
    *out = sal;
    return RES_OK;
}

result dir_public_organization(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    long long n = 0;
    int rc = store_query_int(c->db, &n,
                             "SELECT COUNT(*) FROM dir_services s WHERE s.organization_id = $1"
                             " AND " PUBLIC_S,
                             "t", id);
    if (rc < 0) return ctx_store_failure(c, rc, "public organization");
    if (!n) return ctx_fail(c, RES_NOT_FOUND, "There is no such organization");
    result res = RES_OK;
    *out = dir_organization_render(c, id, false, &res);
    return *out ? RES_OK : res;
}

/*
 * Runs a list: from/where is the SQL after SELECT (a FROM clause and
 * conditions using $1 .. $nbind), order its ORDER BY. Counts, then reads the
 * page's ids (column "x.id") into out. binds are text parameters.
 */
static result id_page(struct ctx *c, const char *from_where, const char *order, const char **binds,
                      int nbind, const struct dir_list_query *q, struct dir_id_page *out)
{
    memset(out, 0, sizeof *out);
    long long per = q->all ? 0 : q->per_page > 0 ? q->per_page : DIR_PER_PAGE_DEFAULT;
    long long page = q->page > 0 ? q->page : 1;
    const char *sql = arena_printf(c->a, "SELECT COUNT(*) %s", from_where);
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The directory cannot be read");
    for (int i = 0; i < nbind; i++)
        store_bind_text(st, i + 1, binds[i]);
    int rc = store_step(st);
    if (rc == STORE_ROW) out->total = store_col_int(st, 0);
    store_done(st);
    if (rc != STORE_ROW) return ctx_store_failure(c, rc, "directory list count");
    long long offset = q->all ? 0 : (page - 1) * per;
    if (offset >= out->total) return RES_OK;
    long long limit = q->all ? out->total : per;
    sql = arena_printf(c->a, "SELECT x.id %s ORDER BY %s LIMIT $%d OFFSET $%d", from_where, order,
                       nbind + 1, nbind + 2);
    st = store_prepare(c->db, sql);
    if (!st) return ctx_fail(c, RES_INTERNAL, "The directory cannot be read");
    for (int i = 0; i < nbind; i++)
        store_bind_text(st, i + 1, binds[i]);
    store_bind_int(st, nbind + 1, limit);
    store_bind_int(st, nbind + 2, offset);
    out->ids = arena_alloc(c->a, sizeof *out->ids * (size_t)limit);
    while ((rc = store_step(st)) == STORE_ROW && out->n < limit)
        out->ids[out->n++] = arena_strdup(c->a, store_col_text(st, 0));
    store_done(st);
    if (rc != STORE_DONE && rc != STORE_ROW) return ctx_store_failure(c, rc, "directory list");
    return RES_OK;
}

result dir_list_taxonomies(struct ctx *c, const struct dir_list_query *q, struct dir_id_page *out)
{
    const char *binds[1];
    int n = 0;
    buf b;
    buf_init(&b, c->a, 256);
    buf_puts(&b, "FROM dir_taxonomies x WHERE 1 = 1");
    if (q->search) {
        binds[n++] = store_like_contains(c->a, q->search);
        buf_printf(&b, " AND lower(x.name) LIKE lower($%d) ESCAPE '\\'", n);
    }
    return id_page(c, b.data, "x.name, x.id", binds, n, q, out);
}

result dir_list_taxonomy_terms(struct ctx *c, const struct dir_list_query *q,
                               struct dir_id_page *out)
{
    const char *binds[3];
    int n = 0;
    buf b;
    buf_init(&b, c->a, 256);
    buf_puts(&b, "FROM dir_taxonomy_terms x WHERE 1 = 1");
    if (q->search) {
        binds[n++] = store_like_contains(c->a, q->search);
        buf_printf(&b, " AND lower(x.name) LIKE lower($%d) ESCAPE '\\'", n);
    }
    if (q->taxonomy_id) {
        binds[n++] = q->taxonomy_id;
        buf_printf(&b, " AND x.taxonomy_id = $%d", n);
    }
    if (q->parent_id) {
        binds[n++] = q->parent_id;
        buf_printf(&b, " AND x.parent_id = $%d", n);
    }
    if (q->top_only) buf_puts(&b, " AND (x.parent_id IS NULL OR x.parent_id = '')");
    return id_page(c, b.data, "x.taxonomy_id, x.name, x.id", binds, n, q, out);
}

result dir_list_organizations(struct ctx *c, const struct dir_list_query *q,
                              struct dir_id_page *out)
{
    const char *binds[1];
    int n = 0;
    buf b;
    buf_init(&b, c->a, 256);
    buf_puts(&b, "FROM dir_organizations x WHERE EXISTS (SELECT 1 FROM dir_services s WHERE"
                 " s.organization_id = x.id AND " PUBLIC_S ")");
    if (q->search) {
        binds[n++] = store_like_contains(c->a, q->search);
        buf_printf(&b, " AND lower(x.name) LIKE lower($%d) ESCAPE '\\'", n);
    }
    return id_page(c, b.data, "x.name, x.id", binds, n, q, out);
}
