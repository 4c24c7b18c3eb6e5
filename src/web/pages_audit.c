/*
 * pages_audit.c: the audit log for administrators (the domain refuses
 * everyone else): filters, one page of entries newest first, and a link to
 * the same entries as CSV from the JSON API.
 *
 * The filters use the API's parameter names (entity, entity_id,
 * actor_user_id, action, since, until), so the CSV link carries the page's
 * own query string across.
 */
#include "domain/audit.h"
#include "base/text.h"
#include "domain/registry.h"
#include "web/layout.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_PER_PAGE 50

/* A positive id from the query; 0 when absent, and a field error when malformed. */
static long long query_id(struct req *r, const char *name, const char *label)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return 0;
    long long v = text_id(s);
    if (!v) ctx_field_error(&r->ctx, name, "The %s must be a whole number, like 12", label);
    return v;
}

/* The query value, or NULL when absent or empty. */
static const char *query_text(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    return s && *s ? s : NULL;
}

/*
 * The labels of the fields whose values differ between the before and
 * after JSON images of an update ("name, code"); "" when none or unreadable.
 */
static const char *changed_fields(arena *a, const char *entity, const char *before,
                                  const char *after)
{
    const struct entity *e = entity ? entity_by_name(entity) : NULL;
    json_t *jb = before ? json_loads(before, 0, NULL) : NULL;
    json_t *ja = after ? json_loads(after, 0, NULL) : NULL;
    buf out;
    buf_init(&out, a, 64);
    if (json_is_object(jb) && json_is_object(ja)) {
        const char *key;
        json_t *va;
        json_object_foreach(ja, key, va)
        {
            if (strcmp(key, "updated_at") == 0) continue;
            json_t *vb = json_object_get(jb, key);
            if (vb && json_equal(va, vb)) continue;
            const struct field_rule *f = e ? entity_field(e, key) : NULL;
            buf_printf(&out, "%s%s", out.len ? ", " : "", f ? f->label : key);
        }
    }
    json_decref(jb);
    json_decref(ja);
    return out.data;
}

/* How many ids a list read recorded ({"ids":[...]}); -1 when it is not one. */
static long long read_count(const char *after)
{
    json_t *j = after ? json_loads(after, 0, NULL) : NULL;
    json_t *ids = json_object_get(j, "ids");
    long long n = json_is_array(ids) ? (long long)json_array_size(ids) : -1;
    json_decref(j);
    return n;
}

/* A select over a fixed list, with "Any" first and cur selected (added if unknown). */
static void fixed_select(buf *b, arena *a, const char *name, const char *label,
                         const char *const *values, const char *cur, const char *error)
{
    int n = 0;
    while (values[n])
        n++;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(n + 2));
    int m = 0;
    bool found = false;
    opts[m++] = (struct ui_option){"", "Any", false};
    for (int i = 0; i < n; i++) {
        bool sel = cur && strcmp(cur, values[i]) == 0;
        found = found || sel;
        opts[m++] = (struct ui_option){values[i], ui_choice_text(a, values[i]), sel};
    }
    if (cur && !found) opts[m++] = (struct ui_option){cur, cur, true};
    struct ui_field f = {name, label, NULL, error, cur};
    ui_select(b, &f, opts, m);
}

/* GET /audit: filters, a page of entries, pagination and the CSV link. */
void page_audit(struct req *r)
{
    arena *a = r->a;
    struct audit_query q = {0};
    q.entity = query_text(r, "entity");
    q.action = query_text(r, "action");
    q.since = query_text(r, "since");
    q.until = query_text(r, "until");
    q.entity_id = query_id(r, "entity_id", "record number");
    q.actor_user_id = query_id(r, "actor_user_id", "user number");
    const char *page_text = query_text(r, "page");
    q.page = 1;
    if (page_text) {
        q.page = text_id(page_text);
        if (q.page < 1 || q.page > 1000000) {
            ctx_field_error(&r->ctx, "page", "The page must be a whole number, 1 or more");
            q.page = 1;
        }
    }
    q.per_page = AUDIT_PER_PAGE;
    struct form_errors fe = {0};
    struct store_page pg = {0};
    int status = 200;
    if (r->ctx.nerrors) {
        fe = form_errors_take(r);
        status = 400;
    } else {
        result res = audit_list(&r->ctx, &q, &pg);
        if (res == RES_INVALID) {
            fe = form_errors_take(r);
            status = 400;
        } else if (res != RES_OK) {
            page_for_result(r, res);
            return;
        }
    }

    /* The filters again, as query-string markup ending "&amp;", for links. */
    buf qs;
    buf_init(&qs, a, 128);
    static const char *const params[] = {"entity", "entity_id", "actor_user_id",
                                         "action", "since",     "until"};
    bool filtered = false;
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        const char *v = query_text(r, params[i]);
        if (!v) continue;
        filtered = true;
        H(&qs, "%U=%U&amp;", params[i], v);
    }
    struct html_frag qsf = html_frag_of(&qs);

    buf b;
    buf_init(&b, a, 16384);
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Audit log</h1><p>Every change, sign-in and read of personal data, newest first."
          "</p><form method=\"get\" action=\"/audit\" novalidate><div class=\"nhsuk-grid-row\">"
          "<div class=\"nhsuk-grid-column-one-third\">");
    /* The choices are what the log holds, so new kinds of record appear by themselves. */
    const char **entities = NULL, **actions = NULL;
    static const char *const none[] = {NULL};
    if (audit_values(&r->ctx, "entity", &entities) != RES_OK) entities = (const char **)none;
    if (audit_values(&r->ctx, "action", &actions) != RES_OK) actions = (const char **)none;
    fixed_select(&b, a, "entity", "record type", entities, q.entity, form_error_for(&fe, "entity"));
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    fixed_select(&b, a, "action", "action", actions, q.action, form_error_for(&fe, "action"));
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    struct ui_field f = {"actor_user_id", "user number", "Whose actions to show",
                         form_error_for(&fe, "actor_user_id"), query_text(r, "actor_user_id")};
    ui_input(&b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
    H(&b, "</div></div><div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-one-third\">");
    f = (struct ui_field){"since", "from", "A date like 2026-11-26", form_error_for(&fe, "since"),
                          q.since};
    ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-10", true);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    f = (struct ui_field){"until", "before", "Entries before this date",
                          form_error_for(&fe, "until"), q.until};
    ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-10", true);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    f = (struct ui_field){"entity_id", "record number", "With a record type: one record's history",
                          form_error_for(&fe, "entity_id"), query_text(r, "entity_id")};
    ui_input(&b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
    H(&b, "</div></div><div class=\"nhsuk-button-group\">"
          "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
          " type=\"submit\">Filter</button>");
    if (filtered) H(&b, "<a class=\"nhsuk-link\" href=\"/audit\">Clear filters</a>");
    H(&b, "</div></form>");
    H(&b,
      "<p><a class=\"nhsuk-link\" href=\"/api/v1/audit?format=csv&amp;%H\" download>"
      "Download as CSV</a></p>",
      &qsf);

    if (status == 200) {
        long long first = (q.page - 1) * q.per_page + 1;
        if (pg.total == 0)
            H(&b, "<p>No entries match.</p>");
        else if (pg.nrows == 0)
            H(&b, "<p>There are %lld entries; this page is past the last of them.</p>", pg.total);
        else
            H(&b, "<p>Showing %lld to %lld of %lld entries</p>", first, first + pg.nrows - 1,
              pg.total);
    }
    if (pg.nrows > 0) {
        H(&b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
              "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Audit entries"
              "</caption><thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
              "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Who</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Action</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Record</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Changes</th>"
              "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *row = pg.rows[i];
            long long who = rec_int(row, "actor_user_id", 0);
            long long id = rec_int(row, "entity_id", 0);
            const char *entity = rec_text(row, "entity");
            const char *action = rec_text(row, "action");
            const char *actor = rec_text(row, "actor");
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">",
              ui_time(a, rec_text(row, "at")));
            if (who)
                H(&b, "<a class=\"nhsuk-link\" href=\"/audit?actor_user_id=%lld\">%s</a>", who,
                  actor ? actor : arena_printf(a, "User %lld", who));
            else
                H(&b, "%s", actor);
            H(&b, "</td><td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
              ui_choice_text(a, action));
            const struct entity *e = entity ? entity_by_name(entity) : NULL;
            const char *what = e ? e->singular : entity;
            if (e && id > 0 && (!action || strcmp(action, "delete") != 0))
                H(&b, "<a class=\"nhsuk-link\" href=\"/%U/%lld\">%s %lld</a>", e->name, id,
                  ui_capital(a, what), id);
            else if (id > 0)
                H(&b, "%s %lld", ui_capital(a, what), id);
            else
                H(&b, "%s", ui_capital(a, entity));
            if (entity && id > 0)
                H(&b,
                  " <a class=\"nhsuk-link nhsuk-body-s\" href=\"/audit?entity=%U&amp;"
                  "entity_id=%lld\">history<span class=\"nhsuk-u-visually-hidden\"> of %s"
                  " %lld</span></a>",
                  entity, id, what, id);
            H(&b, "</td><td class=\"nhsuk-table__cell\">");
            if (action && strcmp(action, "update") == 0) {
                H(&b, "%s",
                  changed_fields(a, entity, rec_text(row, "before"), rec_text(row, "after")));
            } else if (action && strcmp(action, "read") == 0 && id == 0) {
                long long n = read_count(rec_text(row, "after"));
                if (n >= 0) H(&b, "%lld listed", n);
            }
            H(&b, "</td></tr>");
        }
        H(&b, "</tbody></table></div>");
        buf base;
        buf_init(&base, a, 256);
        H(&base, "/audit?%H", &qsf);
        struct html_frag basef = html_frag_of(&base);
        ui_pagination(&b, &basef, q.page, (pg.total + q.per_page - 1) / q.per_page);
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Audit log", "/audit", &main);
}
