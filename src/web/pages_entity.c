/*
 * pages_entity.c: list, show, add, change and delete pages for every kind
 * of record in the registry. One code path serves them all: the route's
 * data is the struct entity, whose field rules say what each column holds,
 * how to show it and which form control edits it. Values are shown by
 * pages_entity_view.c and the forms are entity_form.c's (see
 * pages_entity_internal.h).
 *
 * Authorisation, validation and the audit of personal-data reads all happen
 * in the domain calls; these pages only decide what to offer, and render
 * the domain's answer (including its refusals) as HTML.
 */
#include "web/pages_entity_internal.h"

#include "base/text.h"
#include "web/web.h"

#include <string.h>

#define LIST_COLUMNS 4

/* The entity this route serves (set in web.c's route table). */
static const struct entity *route_entity(struct req *r)
{
    return r->route->data;
}

/*
 * A number from the query string: dflt when absent or empty, -1 when it is
 * not a whole number of 1 or more (the domain then refuses it, saying why).
 */
static long long query_number(struct req *r, const char *name, long long dflt)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return dflt;
    long long v = text_id(s);
    return v ? v : -1;
}

/* Up to LIST_COLUMNS fields worth a column: the name first, then others in order. */
static int list_columns(const struct entity *e, const struct field_rule **cols)
{
    int n = 0;
    const struct field_rule *name = entity_field(e, "name");
    if (name) cols[n++] = name;
    for (int i = 0; i < e->nfields && n < LIST_COLUMNS; i++) {
        const struct field_rule *f = &e->fields[i];
        if (f == name || f->col.hidden || f->type == F_LONGTEXT || f->type == F_REFSET) continue;
        cols[n++] = f;
    }
    return n;
}

/* The filter's label: "place" for place_id, else the field's label, else the name. */
static const char *filter_label(struct req *r, const struct entity *e, const char *param,
                                const struct entity **ref)
{
    *ref = NULL;
    size_t n = strlen(param);
    if (n > 3 && strcmp(param + n - 3, "_id") == 0)
        *ref = entity_by_name(arena_printf(r->a, "%.*ss", (int)(n - 3), param));
    if (*ref) return (*ref)->singular;
    const struct field_rule *f = entity_field(e, param);
    return f ? f->label : param;
}

/* "Name or code": the labels of a text filter's columns, for its hint. */
static const char *search_hint(struct req *r, const struct entity *e, const char *columns)
{
    buf b;
    buf_init(&b, r->a, 128);
    const char *p = columns;
    int count = 0;
    for (const char *q = columns; *q; q++)
        count += *q == ',';
    for (int i = 0; *p; i++) {
        size_t n = strcspn(p, ",");
        const struct field_rule *f = entity_field(e, arena_strndup(r->a, p, n));
        const char *label = f ? f->label : arena_strndup(r->a, p, n);
        if (i) buf_puts(&b, i == count ? " or " : ", ");
        buf_puts(&b, label);
        p += n;
        if (*p == ',') p++;
    }
    return arena_printf(r->a, "Search by %s%s", b.len ? "" : "text", b.data);
}

/* The filter form above a list: a search box and a select for each filter. */
static void filter_form(struct entity_view *v, buf *b, const struct entity *e, bool any_active)
{
    struct req *r = v->r;
    arena *a = r->a;
    H(b, "<form method=\"get\" action=\"/%U\" novalidate><div class=\"nhsuk-grid-row\">", e->name);
    for (int j = 0; j < 2 * e->nfilters; j++) { /* the search box first, then the others */
        const struct store_filter_spec *sp = &e->filters[j % e->nfilters];
        if ((sp->kind == FILTER_TEXT) != (j < e->nfilters)) continue;
        const char *cur = req_query(r, sp->param);
        const struct entity *re;
        const char *label = filter_label(r, e, sp->param, &re);
        struct ui_field f = {sp->param, label, NULL, NULL, cur};
        H(b, "<div class=\"nhsuk-grid-column-one-third\">");
        const struct field_rule *fr = sp->is_text ? entity_field(e, sp->column) : NULL;
        struct ui_option *opts = NULL;
        int n = -1;
        if (sp->kind == FILTER_TEXT) {
            f.label = "search";
            f.hint = search_hint(r, e, sp->column);
            ui_input(b, &f, "search", "off", NULL, NULL, false);
        } else if (fr && fr->choices) {
            for (n = 0; fr->choices[n]; n++) {
            }
            opts = arena_alloc(a, sizeof *opts * (size_t)(n + 1));
            opts[0] = (struct ui_option){"", arena_printf(a, "Any %s", label), false};
            for (int k = 0; k < n; k++)
                opts[k + 1] = (struct ui_option){fr->choices[k], ui_choice_text(a, fr->choices[k]),
                                                 cur && strcmp(cur, fr->choices[k]) == 0};
            ui_select(b, &f, opts, n + 1);
        } else if (re && (n = entity_view_ref_options(v, re, &opts)) >= 0) {
            struct ui_option *all = arena_alloc(a, sizeof *all * (size_t)(n + 1));
            all[0] = (struct ui_option){"", arena_printf(a, "Any %s", label), false};
            for (int k = 0; k < n; k++) {
                all[k + 1] = opts[k];
                all[k + 1].selected = cur && strcmp(cur, opts[k].value) == 0;
            }
            ui_select(b, &f, all, n + 1);
        } else {
            ui_input(b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
        }
        H(b, "</div>");
    }
    const char *per = req_query(r, "per_page");
    if (per && *per) ui_hidden(b, "per_page", per);
    H(b, "</div><div class=\"nhsuk-button-group\">"
         "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
         " type=\"submit\">Search</button>");
    if (any_active) H(b, "<a class=\"nhsuk-link\" href=\"/%U\">Clear filters</a>", e->name);
    H(b, "</div></form>");
}

/*
 * GET /{name}: one page of records, filtered by the entity's own filters,
 * with a link to each record and pagination.
 */
void page_list(struct req *r)
{
    const struct entity *e = route_entity(r);
    struct entity_view v = {r, NULL};
    arena *a = r->a;
    struct list_query q = {0};
    buf qs; /* the active filters as query-string markup, each ending "&amp;" */
    buf_init(&qs, a, 128);
    for (int i = 0; i < e->nfilters && q.n < 8; i++) {
        const char *p = e->filters[i].param;
        const char *val = req_query(r, p);
        if (!val || !*val) continue;
        q.names[q.n] = p;
        q.values[q.n++] = val;
        H(&qs, "%U=%U&amp;", p, val);
    }
    bool filtered = q.n > 0;
    q.page = query_number(r, "page", 1);
    q.per_page = query_number(r, "per_page", LIST_DEFAULT_PER_PAGE);
    if (q.per_page != LIST_DEFAULT_PER_PAGE) H(&qs, "per_page=%lld&amp;", q.per_page);
    struct store_page pg = {0};
    result res = entity_list(&r->ctx, e, &q, &pg);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }

    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<h1>%s</h1>", e->title);
    H(&b, "<p><a class=\"nhsuk-button\" href=\"/%U/new\">Add %s %s</a></p>", e->name,
      ui_article(e->singular), e->singular);
    filter_form(&v, &b, e, filtered);
    long long first = (q.page - 1) * q.per_page + 1;
    if (pg.total == 0)
        H(&b, "<p>%s</p>",
          filtered ? arena_printf(a, "No %s match.", e->name)
                   : arena_printf(a, "There are no %s yet.", e->name));
    else if (pg.nrows == 0)
        H(&b, "<p>There are %lld %s; this page is past the last of them.</p>", pg.total, e->name);
    else
        H(&b, "<p>Showing %lld to %lld of %lld %s</p>", first, first + pg.nrows - 1, pg.total,
          pg.total == 1 ? e->singular : e->name);
    if (pg.nrows > 0) {
        const struct field_rule *cols[LIST_COLUMNS];
        int ncols = list_columns(e, cols);
        H(&b,
          "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
          "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">%s</caption>"
          "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">",
          e->title);
        for (int c = 0; c < ncols; c++)
            H(&b, "<th class=\"nhsuk-table__header%s\" scope=\"col\">%s</th>",
              cols[c]->type == F_INT ? " chis-num" : "", ui_capital(a, cols[c]->label));
        H(&b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *row = pg.rows[i];
            long long id = rec_int(row, "id", 0);
            H(&b, "<tr class=\"nhsuk-table__row\">");
            for (int c = 0; c < ncols; c++) {
                H(&b, "<td class=\"nhsuk-table__cell%s\">",
                  cols[c]->type == F_INT ? " chis-num" : "");
                if (c == 0) {
                    const char *t = entity_view_row_title(row);
                    H(&b, "<a class=\"nhsuk-link\" href=\"/%U/%lld\">", e->name, id);
                    if (cols[c]->type == F_TEXT || cols[c]->type == F_EMAIL)
                        H(&b, "%s", t ? t : arena_printf(a, "%s %lld", e->singular, id));
                    else
                        entity_view_render_value(&v, &b, cols[c], rec_get(row, cols[c]->col.name),
                                                 false);
                    H(&b, "</a>");
                } else {
                    entity_view_render_value(&v, &b, cols[c], rec_get(row, cols[c]->col.name),
                                             false);
                }
                H(&b, "</td>");
            }
            H(&b, "</tr>");
        }
        H(&b, "</tbody></table></div>");
    }
    long long pages = (pg.total + q.per_page - 1) / q.per_page;
    struct html_frag qsf = html_frag_of(&qs);
    buf base;
    buf_init(&base, a, 256);
    H(&base, "/%U?%H", e->name, &qsf);
    struct html_frag basef = html_frag_of(&base);
    ui_pagination(&b, &basef, q.page, pages);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, e->title, arena_printf(a, "/%s", e->name), &main);
}

/* The id in the path, or a 404 page and 0. */
static long long path_id(struct req *r)
{
    long long id = r->nparams > 0 ? text_id(r->params[0]) : 0;
    if (!id) web_error_page(r, 404, "Page not found", "There is nothing at this address.");
    return id;
}

/* GET /{name}/new: the empty form. */
void page_new(struct req *r)
{
    struct form_values fv = {FROM_NOTHING, NULL};
    entity_form_render(r, route_entity(r), 0, &fv, NULL, 200, NULL);
}

/* After a failed write: the form again (422, 409), or the page for the result. */
static void write_failed(struct req *r, const struct entity *e, long long id, result res)
{
    if (res != RES_INVALID && res != RES_CONFLICT) {
        page_for_result(r, res);
        return;
    }
    struct form_errors fe = form_errors_take(r);
    if (fe.n > 0) fe.detail = NULL;
    struct form_values fv = {FROM_POST, NULL};
    entity_form_render(r, e, id, &fv, id ? req_form(r, "name") : NULL,
                       res == RES_INVALID ? 422 : 409, &fe);
}

/* POST /{name}/new: create, then show the new record (303). */
void page_create(struct req *r)
{
    const struct entity *e = route_entity(r);
    rec *out = NULL;
    result res = entity_create(&r->ctx, e, entity_form_posted(r, e), &out);
    if (res != RES_OK) {
        write_failed(r, e, 0, res);
        return;
    }
    resp_redirect(r, arena_printf(r->a, "/%s/%lld", e->name, rec_int(out, "id", 0)));
}

/* GET /{name}/{id}/edit: the form filled in with the record. */
void page_edit(struct req *r)
{
    const struct entity *e = route_entity(r);
    long long id = path_id(r);
    if (!id) return;
    rec *row = NULL;
    result res = entity_get(&r->ctx, e, id, &row);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct form_values fv = {FROM_ROW, row};
    entity_form_render(r, e, id, &fv, entity_view_row_title(row), 200, NULL);
}

/* POST /{name}/{id}/edit: change the fields on the form, then show the record (303). */
void page_update(struct req *r)
{
    const struct entity *e = route_entity(r);
    long long id = path_id(r);
    if (!id) return;
    result res = entity_update(&r->ctx, e, id, entity_form_posted(r, e), NULL);
    if (res != RES_OK) {
        write_failed(r, e, id, res);
        return;
    }
    resp_redirect(r, arena_printf(r->a, "/%s/%lld", e->name, id));
}

/* POST /{name}/{id}/delete: delete, then the list (303); 409 says what still refers to it. */
void page_delete(struct req *r)
{
    const struct entity *e = route_entity(r);
    long long id = path_id(r);
    if (!id) return;
    result res = entity_delete(&r->ctx, e, id);
    if (res == RES_OK) {
        resp_redirect(r, arena_printf(r->a, "/%s", e->name));
    } else if (res == RES_CONFLICT) {
        page_problem(r, 409, arena_printf(r->a, "This %s cannot be deleted", e->singular),
                     r->ctx.detail, arena_printf(r->a, "/%s/%lld", e->name, id),
                     arena_printf(r->a, "Back to the %s", e->singular));
    } else {
        page_for_result(r, res);
    }
}

/* Links to the lists of other kinds that filter by this one ("People for this place"). */
static void related_links(struct req *r, buf *b, const struct entity *e, long long id)
{
    const char *param = arena_printf(r->a, "%s_id", e->singular);
    bool any = false;
    for (size_t i = 0; entity_at(i); i++) {
        const struct entity *other = entity_at(i);
        bool filters = false;
        for (int k = 0; k < other->nfilters; k++)
            filters = filters || strcmp(other->filters[k].param, param) == 0;
        if (other == e || !filters || !entity_view_may(r, other, OP_READ, NULL)) continue;
        if (!any) H(b, "<h2>Related</h2><ul class=\"nhsuk-list\">");
        any = true;
        H(b, "<li><a class=\"nhsuk-link\" href=\"/%U?%U=%lld\">%s for this %s</a></li>",
          other->name, param, id, other->title, e->singular);
    }
    if (any) H(b, "</ul>");
}

/* GET /{name}/{id}: every field of one record, with change and delete when allowed. */
void page_show(struct req *r)
{
    const struct entity *e = route_entity(r);
    long long id = path_id(r);
    if (!id) return;
    rec *row = NULL;
    result res = entity_get(&r->ctx, e, id, &row);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct entity_view v = {r, NULL};
    arena *a = r->a;
    const char *name = entity_view_row_title(row);
    if (!name) name = arena_printf(a, "%s %lld", ui_capital(a, e->singular), id);
    bool can_edit = entity_view_may(r, e, OP_UPDATE, row);
    bool can_delete = entity_view_may(r, e, OP_DELETE, row);
    buf b;
    buf_init(&b, a, 8192);
    H(&b,
      "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
      "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
      "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
      "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
      " href=\"/%U\">%s</a></li></ol><a class=\"nhsuk-back-link\" href=\"/%U\">"
      "<span class=\"nhsuk-u-visually-hidden\">Back to </span>%s</a></nav>",
      e->name, e->title, e->name, e->title);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
      ui_capital(a, e->singular), name);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    for (int i = 0; i < e->nfields; i++) {
        const struct field_rule *f = &e->fields[i];
        if (f->col.hidden) continue;
        const char *what = f->type == F_REFSET ? arena_printf(a, "%ss", f->label) : f->label;
        const char *label = ui_capital(a, what);
        bool change = can_edit && !f->readonly;
        H(&b,
          "<div class=\"nhsuk-summary-list__row%s\"><dt class=\"nhsuk-summary-list__key\">"
          "%s</dt><dd class=\"nhsuk-summary-list__value\">",
          can_edit && !change ? " nhsuk-summary-list__row--no-actions" : "", label);
        entity_view_render_value(&v, &b, f, rec_get(row, f->col.name), true);
        H(&b, "</dd>");
        if (change)
            H(&b,
              "<dd class=\"nhsuk-summary-list__actions\"><a class=\"nhsuk-link\""
              " href=\"/%U/%lld/edit#field-%s\">Change<span class=\"nhsuk-u-visually-hidden\">"
              " %s</span></a></dd>",
              e->name, id, f->col.name, what);
        H(&b, "</div>");
    }
    static const char *const stamps[][2] = {{"created_at", "Added"},
                                            {"updated_at", "Last changed"}};
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        const char *t = rec_text(row, stamps[i][0]);
        if (!t) continue;
        H(&b,
          "<div class=\"nhsuk-summary-list__row%s\"><dt class=\"nhsuk-summary-list__key\">"
          "%s</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div>",
          can_edit ? " nhsuk-summary-list__row--no-actions" : "", stamps[i][1], ui_time(a, t));
    }
    H(&b, "</dl>");
    if (can_edit)
        H(&b,
          "<p><a class=\"nhsuk-button nhsuk-button--secondary\" href=\"/%U/%lld/edit\">"
          "Change %s</a></p>",
          e->name, id, e->singular);
    related_links(r, &b, e, id);
    if (can_delete) {
        H(&b, "<h2>Delete this %s</h2><form method=\"post\" action=\"/%U/%lld/delete\" novalidate>",
          e->singular, e->name, id);
        ui_hidden(&b, "csrf", r->ctx.actor ? r->ctx.actor->csrf : NULL);
        H(&b,
          "<p>You cannot undo this. Records that refer to it must be changed first.</p>"
          "<button class=\"nhsuk-button nhsuk-button--warning\" data-module=\"nhsuk-button\""
          " type=\"submit\">Delete %s</button></form>",
          e->singular);
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, name, arena_printf(a, "/%s", e->name), &main);
}
