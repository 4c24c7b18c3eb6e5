/*
 * examples.c: the library of illustrative examples over JSON.
 *
 *   GET   /api/v1/examples        a page of summaries: id, slug, title,
 *                                 system_name, place_name, illustrates
 *                                 (filter q: words in those)
 *   GET   /api/v1/examples/{id}   the whole example, with body_markdown and
 *                                 body_html (the Markdown rendered safely)
 *   POST  /api/v1/examples        add one (admins and system leads): 201
 *   PATCH /api/v1/examples/{id}   change the fields given (the slug stays)
 *
 * The rendering is web/markdown.c's, the one the example's page uses, so a
 * client showing body_html shows what chis shows.
 */
#include "api/api.h"

#include "api/json.h"
#include "domain/examples.h"
#include "base/markdown.h"

#include <string.h>

/* The fields of an example that its summary in a list carries, in order. */
static const char *const summary_fields[] = {"id",          "slug",       "title",
                                             "system_name", "place_name", "illustrates"};

/* The whole example as JSON, with its body rendered as body_html. */
static json_t *example_json(struct req *r, const rec *row)
{
    json_t *o = json_from_rec(row);
    buf html;
    buf_init(&html, r->a, 4096);
    markdown_html(&html, rec_text(row, "body_markdown"), 1);
    json_t *h = json_stringn(html.data, html.len);
    json_object_set_new(o, "body_html", h ? h : json_null());
    return o;
}

/* GET /api/v1/examples: one page of summaries, ordered by title. */
static void examples_list(struct req *r)
{
    struct list_query q = {0};
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct form_field args[9];
    int n = req_query_all(r, args, 9);
    if (n == 9) {
        api_problem(r, 400, NULL, "Send at most 8 query parameters.");
        return;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(args[i].name, "page") == 0 || strcmp(args[i].name, "per_page") == 0) continue;
        q.names[q.n] = args[i].name; /* the domain refuses filters it does not know */
        q.values[q.n++] = args[i].value;
    }
    struct store_page page;
    result res = entity_list(&r->ctx, &entity_examples, &q, &page);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < page.nrows; i++) {
        json_t *full = json_from_rec(page.rows[i]), *item = json_object();
        for (size_t k = 0; k < sizeof summary_fields / sizeof summary_fields[0]; k++) {
            json_t *v = json_object_get(full, summary_fields[k]);
            json_object_set(item, summary_fields[k], v ? v : json_null());
        }
        json_decref(full);
        json_array_append_new(items, item);
    }
    long long per = q.per_page ? q.per_page : LIST_DEFAULT_PER_PAGE;
    api_json(r, 200,
             json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "page", (json_int_t)q.page,
                       "per_page", (json_int_t)per, "total", (json_int_t)page.total, "total_pages",
                       (json_int_t)((page.total + per - 1) / per)));
}

/* GET /api/v1/examples/{id} */
static void examples_get(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *row = NULL;
    result res = entity_get(&r->ctx, &entity_examples, id, &row);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, example_json(r, row));
}

/* POST /api/v1/examples: 201 with the stored example and its Location. */
static void examples_create(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return;
    rec *out = NULL;
    result res = entity_create(&r->ctx, &entity_examples, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location", arena_printf(r->a, "/api/v1/examples/%lld", rec_int(out, "id", 0)));
    api_json(r, 201, example_json(r, out));
}

/* PATCH /api/v1/examples/{id}: change the fields given. */
static void examples_patch(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *in = json_body_rec(r);
    if (!in) return;
    rec *out = NULL;
    result res = entity_update(&r->ctx, &entity_examples, id, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, example_json(r, out));
}

const struct route api_example_routes[] = {
    {"GET", "/api/v1/examples", examples_list, 0, NULL},
    {"POST", "/api/v1/examples", examples_create, 0, NULL},
    {"GET", "/api/v1/examples/{id}", examples_get, 0, NULL},
    {"PATCH", "/api/v1/examples/{id}", examples_patch, 0, NULL},
};

const size_t api_example_routes_len = sizeof api_example_routes / sizeof api_example_routes[0];
