/*
 * pages_examples.c: the library of illustrative examples, for anyone signed
 * in. /examples lists them (with a search), /examples/{id} shows one with
 * its Markdown body rendered safely (web/markdown.c). Admins and system
 * leads add and change examples with the same forms every record uses
 * (pages_entity.c), which the domain checks and audits.
 */
#include "domain/examples.h"
#include "web/layout.h"
#include "base/markdown.h"
#include "web/web.h"

#include "base/text.h"

/* GET /examples: every example (a page of up to 100), with a search box. */
static void page_examples(struct req *r)
{
    arena *a = r->a;
    const char *q = req_query(r, "q");
    struct list_query lq = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    if (q && *q) {
        lq.names[0] = "q";
        lq.values[0] = q;
        lq.n = 1;
    }
    struct store_page pg = {0};
    result res = entity_list(&r->ctx, &entity_examples, &lq, &pg);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<h1>Illustrative examples</h1>"
          "<p class=\"nhsuk-body-l\">How other systems have embedded Creative Health: who"
          " led it, how they planned it and how they governed it.</p>");
    if (examples_may_write(&r->ctx))
        H(&b, "<p><a class=\"nhsuk-button\" href=\"/examples/new\">Add an example</a></p>");
    H(&b, "<form method=\"get\" action=\"/examples\" novalidate>");
    struct ui_field search = {"q", "search", "Search by title, system, place or actions", NULL, q};
    ui_input(&b, &search, "search", "off", NULL, "nhsuk-input--width-30", false);
    H(&b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button"
          " nhsuk-button--secondary\" data-module=\"nhsuk-button\" type=\"submit\">Search"
          "</button>");
    if (q && *q) H(&b, "<a class=\"nhsuk-link\" href=\"/examples\">Clear search</a>");
    H(&b, "</div></form>");
    if (pg.nrows == 0)
        H(&b, "<p>%s</p>", q && *q ? "No examples match." : "There are no examples yet.");
    else
        H(&b, "<ul class=\"nhsuk-list nhsuk-list--border\">");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *row = pg.rows[i];
        const char *place = rec_text(row, "place_name");
        H(&b,
          "<li><h2 class=\"nhsuk-heading-s nhsuk-u-margin-bottom-1\">"
          "<a class=\"nhsuk-link\" href=\"/examples/%lld\">%s</a></h2>"
          "<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\">%s%s%s</p>"
          "<p class=\"nhsuk-body-s nhsuk-u-secondary-text-colour\">Illustrates: %s</p></li>",
          rec_int(row, "id", 0), rec_text(row, "title"), place ? place : "", place ? ", " : "",
          rec_text(row, "system_name"), rec_text(row, "illustrates"));
    }
    if (pg.nrows) H(&b, "</ul>");
    if (pg.total > pg.nrows)
        H(&b, "<p>Showing the first %d of %lld examples: search to narrow them down.</p>", pg.nrows,
          pg.total);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Illustrative examples", "/examples", &main);
}

/* One row of the summary list at the top of an example. */
static void summary_row(buf *b, const char *key, const char *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%s</dd></div>",
      key, value);
}

/* GET /examples/{id}: one example, its Markdown rendered below its title (an h1). */
static void page_example(struct req *r)
{
    long long id = r->nparams > 0 ? text_id(r->params[0]) : 0;
    if (!id) {
        web_error_page(r, 404, "Page not found", "There is nothing at this address.");
        return;
    }
    rec *row = NULL;
    result res = entity_get(&r->ctx, &entity_examples, id, &row);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    arena *a = r->a;
    const char *title = rec_text(row, "title");
    const char *place = rec_text(row, "place_name");
    buf body;
    buf_init(&body, a, 8192);
    markdown_html(&body, rec_text(row, "body_markdown"), 2);
    struct html_frag body_html = html_frag_of(&body);
    buf b;
    buf_init(&b, a, body.len + 4096);
    H(&b, "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
          "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
          "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
          "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
          " href=\"/examples\">Illustrative examples</a></li></ol>"
          "<a class=\"nhsuk-back-link\" href=\"/examples\">"
          "<span class=\"nhsuk-u-visually-hidden\">Back to </span>Illustrative examples</a></nav>");
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">Illustrative example"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
      title);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    summary_row(&b, "System", rec_text(row, "system_name"));
    summary_row(&b, "Place", place ? place : "The whole system");
    summary_row(&b, "Illustrates", rec_text(row, "illustrates"));
    H(&b, "</dl><div class=\"nhsuk-u-reading-width\">%H</div>", &body_html);
    if (examples_may_write(&r->ctx))
        H(&b,
          "<p><a class=\"nhsuk-button nhsuk-button--secondary\" href=\"/examples/%lld/edit\">"
          "Change this example</a></p>",
          id);
    H(&b, "<p class=\"nhsuk-body-s\">Last changed %s.</p>",
      ui_time(a, rec_text(row, "updated_at")));
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, title, "/examples", &main);
}

/* "/examples/new" comes before "/examples/{id}": the router takes the first match. */
const struct route web_example_routes[] = {
    {"GET", "/examples", page_examples, 0, NULL},
    {"GET", "/examples/new", page_new, 0, &entity_examples},
    {"POST", "/examples/new", page_create, 0, &entity_examples},
    {"GET", "/examples/{id}", page_example, 0, NULL},
    {"GET", "/examples/{id}/edit", page_edit, 0, &entity_examples},
    {"POST", "/examples/{id}/edit", page_update, 0, &entity_examples},
};

const size_t web_example_routes_len = sizeof web_example_routes / sizeof web_example_routes[0];
