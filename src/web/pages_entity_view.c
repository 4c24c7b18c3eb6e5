/*
 * pages_entity_view.c: how the record pages show values (in a list's
 * cells, or in full on a record's page), and the names of the rows that
 * references point to, looked up once per request. Also what the actor
 * may do with a record, for deciding what to offer.
 */
#include "web/pages_entity_internal.h"

#include <string.h>

/* The display name of a referenced row, looked up once per request. */
struct ref_name {
    const struct entity *e;
    long long id;
    const char *name; /* NULL: gone, or the actor may not see it */
    struct ref_name *next;
};

/* See pages_entity_internal.h. */
const char *entity_view_row_title(const rec *row)
{
    const char *t = rec_text(row, "name");
    if (!t || !*t) t = rec_text(row, "email");
    return t && *t ? t : NULL;
}

/* See pages_entity_internal.h. The ctx is saved and restored around the rule. */
bool entity_view_may(struct req *r, const struct entity *e, enum op op, const rec *row)
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
static void remember(struct entity_view *v, const struct entity *e, long long id, const char *name)
{
    struct ref_name *n = arena_alloc(v->r->a, sizeof *n);
    *n = (struct ref_name){e, id, name, v->names};
    v->names = n;
}

/* See pages_entity_internal.h. The name belongs to the request arena. */
const char *entity_view_ref_title(struct entity_view *v, const struct entity *e, long long id)
{
    for (struct ref_name *n = v->names; n; n = n->next)
        if (n->e == e && n->id == id) return n->name;
    rec *row = NULL;
    const char *name = NULL;
    if (entity_load(&v->r->ctx, e, id, &row) == 1 &&
        (!e->personal || entity_view_may(v->r, e, OP_READ, row))) {
        name = entity_view_row_title(row);
        if (!name) name = arena_printf(v->r->a, "%s %lld", ui_capital(v->r->a, e->singular), id);
    }
    remember(v, e, id, name);
    return name;
}

/* A link to row id of the entity named table, by its name; "#id" when hidden. */
static void ref_link(struct entity_view *v, buf *b, const char *table, long long id)
{
    const struct entity *re = table ? entity_by_name(table) : NULL;
    const char *name = re ? entity_view_ref_title(v, re, id) : NULL;
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

/* See pages_entity_internal.h. */
void entity_view_render_value(struct entity_view *v, buf *b, const struct field_rule *f,
                              const struct val *val, bool full)
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

/* See pages_entity_internal.h. The options belong to the request arena. */
int entity_view_ref_options(struct entity_view *v, const struct entity *e, struct ui_option **out)
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
        const char *name = entity_view_row_title(pg.rows[i]);
        if (!name) name = arena_printf(r->a, "%s %lld", ui_capital(r->a, e->singular), id);
        opts[i] = (struct ui_option){arena_printf(r->a, "%lld", id), name, false};
        remember(v, e, id, name);
    }
    *out = opts;
    return pg.nrows;
}
