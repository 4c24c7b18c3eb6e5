/*
 * entity_form.c: the add and change form of the record pages, one control
 * per field rule (filled in from nothing, the stored record or what was
 * posted), and the record a posted form describes.
 */
#include "web/pages_entity_internal.h"

#include "base/text.h"
#include "domain/accounts.h"

#include <string.h>

#define MAX_SET_VALUES 256 /* checkboxes read back from one form field */

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
static void field_control(struct entity_view *v, buf *b, const struct field_rule *f,
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
        n = re ? entity_view_ref_options(v, re, &opts) : -1;
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
            const char *t = entity_view_ref_title(v, re, cur);
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

/* See pages_entity_internal.h. Sends the whole page, with status. */
void entity_form_render(struct req *r, const struct entity *e, long long id,
                        const struct form_values *fv, const char *record_name, int status,
                        const struct form_errors *fe)
{
    struct entity_view v = {r, NULL};
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

/* See pages_entity_internal.h. The record belongs to the request arena. */
rec *entity_form_posted(struct req *r, const struct entity *e)
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
