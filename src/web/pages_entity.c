/*
 * pages_entity.c: list, show, add, change and delete pages for every kind
 * of record in the registry. One code path serves them all: the route's
 * data is the struct entity, whose field rules say what each column holds,
 * how to show it and which form control edits it.
 *
 * Authorisation, validation and the audit of personal-data reads all happen
 * in the domain calls; these pages only decide what to offer, and render
 * the domain's answer (including its refusals) as HTML.
 */
#include "domain/accounts.h"
#include "base/text.h"
#include "domain/registry.h"
#include "web/layout.h"
#include "web/web.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SET_VALUES 256 /* checkboxes read back from one form field */
#define LIST_COLUMNS 4

/* The display name of a referenced row, looked up once per request. */
struct ref_name {
    const struct entity *e;
    long long id;
    const char *name; /* NULL: gone, or the actor may not see it */
    struct ref_name *next;
};

/* What one page render needs besides the request: the lookup cache. */
struct view {
    struct req *r;
    struct ref_name *names;
};

/* Where a form's values come from. */
enum source { FROM_NOTHING, FROM_ROW, FROM_POST };

struct form_values {
    enum source from;
    const rec *row; /* FROM_ROW */
};

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

/* The row's name, else its email address, else NULL. Owned by the row. */
static const char *row_title(const rec *row)
{
    const char *t = rec_text(row, "name");
    if (!t || !*t) t = rec_text(row, "email");
    return t && *t ? t : NULL;
}

/*
 * Would the entity's rule let the actor do op on row? Asked only to decide
 * what to offer: the domain asks again when it is done. The ctx is left as
 * it was, so a refusal here leaves no message behind.
 */
static bool may(struct req *r, const struct entity *e, enum op op, const rec *row)
{
    if (!r->ctx.actor) return false;
    struct ctx saved = r->ctx;
    entity_authorise_fn fn = e->authorise ? e->authorise : entity_authorise_leads;
    rec *proposed = op == OP_UPDATE ? rec_new(r->a) : NULL;
    bool ok = fn(&r->ctx, e, op, row, proposed) == RES_OK;
    r->ctx = saved;
    return ok;
}

/* Remember a referenced row's name for this request. */
static void remember(struct view *v, const struct entity *e, long long id, const char *name)
{
    struct ref_name *n = arena_alloc(v->r->a, sizeof *n);
    *n = (struct ref_name){e, id, name, v->names};
    v->names = n;
}

/*
 * The name of row id of entity e for display, NULL when it does not exist
 * or is personal data the actor may not read. Cached per request.
 */
static const char *ref_title(struct view *v, const struct entity *e, long long id)
{
    for (struct ref_name *n = v->names; n; n = n->next)
        if (n->e == e && n->id == id) return n->name;
    rec *row = NULL;
    const char *name = NULL;
    if (entity_load(&v->r->ctx, e, id, &row) == 1 && (!e->personal || may(v->r, e, OP_READ, row))) {
        name = row_title(row);
        if (!name) name = arena_printf(v->r->a, "%s %lld", ui_capital(v->r->a, e->singular), id);
    }
    remember(v, e, id, name);
    return name;
}

/* A link to row id of the entity named table, by its name; "#id" when hidden. */
static void ref_link(struct view *v, buf *b, const char *table, long long id)
{
    const struct entity *re = table ? entity_by_name(table) : NULL;
    const char *name = re ? ref_title(v, re, id) : NULL;
    if (name)
        H(b, "<a class=\"nhsuk-link\" href=\"/%U/%lld\">%s</a>", table, id, name);
    else
        H(b, "#%lld", id);
}

/* Does text look like an ISO time set by the system ("2026-11-26T06:22:05Z")? */
static bool is_time_field(const struct field_rule *f)
{
    size_t n = strlen(f->col.name);
    return n > 3 && strcmp(f->col.name + n - 3, "_at") == 0;
}

/*
 * Show one value: as a cell in a list (full false) or in full on a
 * record's page (links for web addresses and email, one line per line).
 */
static void render_value(struct view *v, buf *b, const struct field_rule *f, const struct val *val,
                         bool full)
{
    arena *a = v->r->a;
    bool empty = !val || val->type == VAL_NULL || (val->type == VAL_TEXT && !*val->s) ||
                 (val->type == VAL_IDS && val->nids == 0);
    if (empty) {
        if (full)
            H(b, "<span class=\"nhsuk-u-secondary-text-colour\">%s</span>",
              f->type == F_REFSET ? "None" : "Not given");
        return;
    }
    if (val->type == VAL_INT && f->type != F_REF) {
        H(b, "%s",
          f->type == F_INT && val->i >= 10000 ? ui_number(a, val->i)
                                              : arena_printf(a, "%lld", val->i));
        return;
    }
    if (val->type == VAL_BOOL) {
        H(b, "%s", val->i ? "Yes" : "No");
        return;
    }
    if (val->type == VAL_IDS) {
        if (full) H(b, "<ul class=\"nhsuk-list nhsuk-u-margin-bottom-0\">");
        for (int i = 0; i < val->nids; i++) {
            if (full)
                H(b, "<li>");
            else if (i)
                H(b, ", ");
            ref_link(v, b, f->ref_table, val->ids[i]);
            if (full) H(b, "</li>");
        }
        if (full) H(b, "</ul>");
        return;
    }
    if (val->type == VAL_INT) {
        ref_link(v, b, f->ref_table, val->i);
        return;
    }
    const char *s = val->s;
    if (f->type == F_ENUM) {
        H(b, "%s", ui_choice_text(a, s));
    } else if (full && f->type == F_URL &&
               (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0)) {
        H(b, "<a class=\"nhsuk-link\" href=\"%s\" rel=\"noopener noreferrer\">%s</a>", s, s);
    } else if (full && f->type == F_EMAIL) {
        H(b, "<a class=\"nhsuk-link\" href=\"mailto:%s\">%s</a>", s, s);
    } else if (is_time_field(f)) {
        H(b, "%s", ui_time(a, s));
    } else if (full && f->type == F_LONGTEXT) {
        for (const char *line = s; *line;) {
            size_t n = strcspn(line, "\n");
            size_t shown = n && line[n - 1] == '\r' ? n - 1 : n;
            H(b, "%s", arena_strndup(a, line, shown));
            line += n;
            if (*line) {
                H(b, "<br>");
                line++;
            }
        }
    } else {
        H(b, "%s", s);
    }
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

/*
 * The rows of entity e as select options (value = id, text = name), up to
 * one list page of the most allowed. -1 when the actor may not list them.
 * The ctx is left as it was.
 */
static int ref_options(struct view *v, const struct entity *e, struct ui_option **out)
{
    struct req *r = v->r;
    struct ctx saved = r->ctx;
    ctx_clear_errors(&r->ctx); /* a failed write's errors would fail the list too */
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page pg = {0};
    result res = entity_list(&r->ctx, e, &q, &pg);
    r->ctx = saved;
    if (res != RES_OK) return -1;
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(pg.nrows + 1));
    for (int i = 0; i < pg.nrows; i++) {
        long long id = rec_int(pg.rows[i], "id", 0);
        const char *name = row_title(pg.rows[i]);
        if (!name) name = arena_printf(r->a, "%s %lld", ui_capital(r->a, e->singular), id);
        opts[i] = (struct ui_option){arena_printf(r->a, "%lld", id), name, false};
        remember(v, e, id, name);
    }
    *out = opts;
    return pg.nrows;
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
static void filter_form(struct view *v, buf *b, const struct entity *e, bool any_active)
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
        } else if (re && (n = ref_options(v, re, &opts)) >= 0) {
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
    struct view v = {r, NULL};
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
                    const char *t = row_title(row);
                    H(&b, "<a class=\"nhsuk-link\" href=\"/%U/%lld\">", e->name, id);
                    if (cols[c]->type == F_TEXT || cols[c]->type == F_EMAIL)
                        H(&b, "%s", t ? t : arena_printf(a, "%s %lld", e->singular, id));
                    else
                        render_value(&v, &b, cols[c], rec_get(row, cols[c]->col.name), false);
                    H(&b, "</a>");
                } else {
                    render_value(&v, &b, cols[c], rec_get(row, cols[c]->col.name), false);
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

/* A value as form text: ids as decimal, sets comma-separated, booleans "true". */
static const char *val_text(arena *a, const struct val *v)
{
    if (!v) return "";
    switch (v->type) {
    case VAL_INT:
        return arena_printf(a, "%lld", v->i);
    case VAL_TEXT:
        return v->s;
    case VAL_BOOL:
        return v->i ? "true" : "";
    case VAL_IDS: {
        buf b;
        buf_init(&b, a, 64);
        for (int i = 0; i < v->nids; i++)
            buf_printf(&b, "%s%lld", i ? "," : "", v->ids[i]);
        return b.data;
    }
    default:
        return "";
    }
}

/* The current text of a form field. */
static const char *cur_text(struct req *r, const struct form_values *fv, const char *name)
{
    if (fv->from == FROM_POST) {
        const char *s = req_form(r, name);
        return s ? s : "";
    }
    return fv->from == FROM_ROW ? val_text(r->a, rec_get(fv->row, name)) : "";
}

/* Is id among the current values of a set field? */
static bool cur_has(struct req *r, const struct form_values *fv, const char *name, long long id)
{
    if (fv->from == FROM_POST) {
        const char *vals[MAX_SET_VALUES];
        int n = req_form_all(r, name, vals, MAX_SET_VALUES);
        for (int i = 0; i < n; i++)
            if (text_id(vals[i]) == id) return true;
        return false;
    }
    const struct val *v = fv->from == FROM_ROW ? rec_get(fv->row, name) : NULL;
    for (int i = 0; v && v->type == VAL_IDS && i < v->nids; i++)
        if (v->ids[i] == id) return true;
    return false;
}

/* Is a single checkbox ticked? */
static bool cur_bool(struct req *r, const struct form_values *fv, const char *name)
{
    if (fv->from == FROM_POST) {
        const char *s = req_form(r, name);
        return s && strcmp(s, "false") != 0;
    }
    return fv->from == FROM_ROW && rec_int(fv->row, name, 0) != 0;
}

/* The form control for one field rule, per its type. */
static void field_control(struct view *v, buf *b, const struct field_rule *f,
                          const struct form_values *fv, const struct form_errors *fe)
{
    struct req *r = v->r;
    arena *a = r->a;
    const char *name = f->col.name;
    const char *label = f->required || f->type == F_BOOL || f->type == F_REFSET
                            ? f->label
                            : arena_printf(a, "%s (optional)", f->label);
    struct ui_field uf = {name, label, f->hint, form_error_for(fe, name), cur_text(r, fv, name)};
    struct ui_option *opts = NULL;
    int n;
    switch (f->type) {
    case F_LONGTEXT:
        ui_textarea(b, &uf, 4);
        return;
    case F_EMAIL:
        ui_input(b, &uf, "email", "off", NULL, NULL, true);
        return;
    case F_PHONE:
        ui_input(b, &uf, "tel", "off", NULL, "nhsuk-input--width-20", false);
        return;
    case F_URL:
        ui_input(b, &uf, "url", "off", NULL, NULL, true);
        return;
    case F_POSTCODE:
        ui_input(b, &uf, "text", "off", NULL, "nhsuk-input--width-10", true);
        return;
    case F_INT:
        ui_input(b, &uf, "text", "off", "numeric", "nhsuk-input--width-10", false);
        return;
    case F_BOOL:
        ui_checkbox(b, &uf, cur_bool(r, fv, name));
        return;
    case F_ENUM:
        for (n = 0; f->choices && f->choices[n]; n++) {
        }
        opts = arena_alloc(a, sizeof *opts * (size_t)(n + 1));
        opts[0] = (struct ui_option){"", "", false};
        for (int k = 0; k < n; k++)
            opts[k + 1] = (struct ui_option){f->choices[k], ui_choice_text(a, f->choices[k]),
                                             strcmp(uf.value, f->choices[k]) == 0};
        ui_select(b, &uf, opts, n + 1);
        return;
    case F_REF:
    case F_REFSET: {
        const struct entity *re = entity_by_name(f->ref_table);
        n = re ? ref_options(v, re, &opts) : -1;
        if (n < 0) { /* the actor may not list them: type the id */
            if (!uf.hint)
                uf.hint = f->type == F_REF
                              ? arena_printf(a, "The number of the %s", f->label)
                              : arena_printf(a, "Numbers of %ss, with commas", f->label);
            ui_input(b, &uf, "text", "off", NULL, "nhsuk-input--width-20", false);
            return;
        }
        if (f->type == F_REFSET) {
            for (int k = 0; k < n; k++)
                opts[k].selected = cur_has(r, fv, name, text_id(opts[k].value));
            uf.label = arena_printf(a, "%ss", f->label); /* a set may be empty: no "(optional)" */
            ui_checkboxes(b, &uf, opts, n);
            return;
        }
        struct ui_option *all = arena_alloc(a, sizeof *all * (size_t)(n + 2));
        int m = 0;
        all[m++] = (struct ui_option){"", "", false};
        bool found = false;
        for (int k = 0; k < n; k++) {
            all[m] = opts[k];
            all[m].selected = strcmp(uf.value, opts[k].value) == 0;
            found = found || all[m].selected;
            m++;
        }
        long long cur = text_id(uf.value);
        if (!found && cur) { /* beyond the first page of choices: offer it too */
            const char *t = ref_title(v, re, cur);
            all[m++] = (struct ui_option){uf.value, t ? t : uf.value, true};
        }
        ui_select(b, &uf, all, m);
        return;
    }
    default:
        ui_input(b, &uf, "text", "off", NULL,
                 f->maxlen && f->maxlen <= 20 ? "nhsuk-input--width-20" : NULL, false);
        return;
    }
}

/*
 * The add or change form (id 0: add), with values from fv and the failure
 * in fe shown as an error summary and messages by each field.
 */
static void render_form(struct req *r, const struct entity *e, long long id,
                        const struct form_values *fv, const char *record_name, int status,
                        const struct form_errors *fe)
{
    struct view v = {r, NULL};
    arena *a = r->a;
    buf b;
    buf_init(&b, a, 8192);
    const char *title = id ? arena_printf(a, "Change %s", e->singular)
                           : arena_printf(a, "Add %s %s", ui_article(e->singular), e->singular);
    const char *back =
        id ? arena_printf(a, "/%s/%lld", e->name, id) : arena_printf(a, "/%s", e->name);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"%s\">Back</a>", back);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    if (record_name && *record_name)
        H(&b,
          "<h1><span class=\"nhsuk-caption-l\">%s"
          "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
          record_name, title);
    else
        H(&b, "<h1>%s</h1>", title);
    if (id)
        H(&b, "<form method=\"post\" action=\"/%U/%lld/edit\" novalidate>", e->name, id);
    else
        H(&b, "<form method=\"post\" action=\"/%U/new\" novalidate>", e->name);
    ui_hidden(&b, "csrf", r->ctx.actor ? r->ctx.actor->csrf : NULL);
    for (int i = 0; i < e->nfields; i++) {
        const struct field_rule *f = &e->fields[i];
        if (f->readonly || f->col.hidden) continue;
        field_control(&v, &b, f, fv, fe);
    }
    for (const char *const *x = e->extra_inputs; x && *x; x++) {
        struct ui_field uf = {*x, *x, NULL, form_error_for(fe, *x), NULL};
        if (strstr(*x, "password")) {
            uf.hint = id ? "Leave this blank to keep the current password"
                         : arena_printf(a, "At least %d characters", PASSWORD_MIN_LEN);
            ui_input(&b, &uf, "password", "new-password", NULL, NULL, false);
        } else {
            uf.value = cur_text(r, fv, *x);
            ui_input(&b, &uf, "text", "off", NULL, NULL, false);
        }
    }
    H(&b,
      "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
      " data-module=\"nhsuk-button\" type=\"submit\">%s</button>"
      "<a class=\"nhsuk-link\" href=\"%s\">Cancel</a></div></form></div></div>",
      id ? "Save changes" : arena_printf(a, "Add %s", e->singular), back);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, title, arena_printf(a, "/%s", e->name), &main);
}

/*
 * The record the submitted form describes: every field the form shows, as
 * the domain's form coercion reads it. Unticked boxes are false and an empty
 * set of checkboxes is the empty set (browsers send nothing for them). Blank
 * extra inputs (a password on a change) are left out.
 */
static rec *posted_rec(struct req *r, const struct entity *e)
{
    rec *in = rec_new(r->a);
    for (int i = 0; i < e->nfields; i++) {
        const struct field_rule *f = &e->fields[i];
        const char *name = f->col.name;
        if (f->readonly || f->col.hidden) continue;
        if (f->type == F_REFSET) {
            const char *vals[MAX_SET_VALUES];
            int n = req_form_all(r, name, vals, MAX_SET_VALUES);
            if (n == 0) {
                rec_set_ids(in, name, NULL, 0);
                continue;
            }
            buf joined;
            buf_init(&joined, r->a, 64);
            for (int k = 0; k < n; k++) {
                if (k) buf_putc(&joined, ',');
                buf_puts(&joined, vals[k]);
            }
            entity_coerce_text(e, name, joined.data, in);
        } else if (f->type == F_BOOL) {
            const char *s = req_form(r, name);
            entity_coerce_text(e, name, s ? s : "false", in);
        } else {
            const char *s = req_form(r, name);
            if (s) entity_coerce_text(e, name, s, in);
        }
    }
    for (const char *const *x = e->extra_inputs; x && *x; x++) {
        const char *s = req_form(r, *x);
        if (s && *s) rec_set_text(in, *x, s);
    }
    return in;
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
    render_form(r, route_entity(r), 0, &fv, NULL, 200, NULL);
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
    render_form(r, e, id, &fv, id ? req_form(r, "name") : NULL, res == RES_INVALID ? 422 : 409,
                &fe);
}

/* POST /{name}/new: create, then show the new record (303). */
void page_create(struct req *r)
{
    const struct entity *e = route_entity(r);
    rec *out = NULL;
    result res = entity_create(&r->ctx, e, posted_rec(r, e), &out);
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
    render_form(r, e, id, &fv, row_title(row), 200, NULL);
}

/* POST /{name}/{id}/edit: change the fields on the form, then show the record (303). */
void page_update(struct req *r)
{
    const struct entity *e = route_entity(r);
    long long id = path_id(r);
    if (!id) return;
    result res = entity_update(&r->ctx, e, id, posted_rec(r, e), NULL);
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
        if (other == e || !filters || !may(r, other, OP_READ, NULL)) continue;
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
    struct view v = {r, NULL};
    arena *a = r->a;
    const char *name = row_title(row);
    if (!name) name = arena_printf(a, "%s %lld", ui_capital(a, e->singular), id);
    bool can_edit = may(r, e, OP_UPDATE, row);
    bool can_delete = may(r, e, OP_DELETE, row);
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
        render_value(&v, &b, f, rec_get(row, f->col.name), true);
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
