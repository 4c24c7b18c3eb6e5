/*
 * pages_directory_edit.c: managing the directory, under /directory/manage.
 *
 *   GET  /directory/manage                       the services one may edit (?show=waiting|deleted)
 *   GET  /directory/manage/approvals             the queue of changes waiting (leads)
 *   GET  /directory/manage/services/{id}         a service: its state, details and history
 *   GET  /directory/manage/services/{id}/versions/{v}   one version and what it changed
 *   POST .../{id}/delete, /undelete, /approve, /reject, /versions/{v}/restore
 *
 * The editor itself is in pages_directory_editor.c. What each person may
 * do is decided by domain/dir_edit.c; the pages ask dir_edit_service_level()
 * only to decide which buttons to offer, and render the domain's refusals
 * (404, 403, 409 with what to do, 422 with an error summary).
 */
#include "base/text.h"
#include "domain/dir_edit.h"
#include "web/pages_directory_edit.h"
#include "web/web.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 20

/* ---- shared helpers (pages_directory_edit.h) ---- */

/* See pages_directory_edit.h. */
const char *dm_path_id(struct req *r)
{
    return r->nparams > 0 ? r->params[0] : "";
}

/* See pages_directory_edit.h. */
const char *dm_value_text(struct req *r, json_t *v)
{
    if (!v || json_is_null(v)) return "";
    if (json_is_string(v)) return arena_strdup(r->a, json_string_value(v)); /* outlives v */
    if (json_is_integer(v)) return arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d == floor(d) && fabs(d) < 1e15) return arena_printf(r->a, "%.0f", d);
        /* The shortest text that reads back as the same number, so saving a
         * form that shows it changes nothing. */
        for (int prec = 15; prec < 17; prec++) {
            const char *t = arena_printf(r->a, "%.*g", prec, d);
            if (strtod(t, NULL) == d) return t;
        }
        return arena_printf(r->a, "%.17g", d);
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *out = arena_strdup(r->a, s ? s : "");
    free(s);
    return out;
}

/* See pages_directory_edit.h. */
const char *dm_text(struct req *r, json_t *obj, const char *member)
{
    return dm_value_text(r, json_object_get(obj, member));
}

/* See pages_directory_edit.h. */
const char *dm_time(struct req *r, const char *t)
{
    size_t n = strlen(t);
    if (n == 8 && t[2] == ':' && t[5] == ':' && strcmp(t + 5, ":00") == 0)
        return arena_strndup(r->a, t, 5);
    return t;
}

/* See pages_directory_edit.h. */
const char *dm_days(struct req *r, const char *byday)
{
    static const char *const names[][2] = {
        {"MO", "Mondays"}, {"TU", "Tuesdays"},  {"WE", "Wednesdays"}, {"TH", "Thursdays"},
        {"FR", "Fridays"}, {"SA", "Saturdays"}, {"SU", "Sundays"}};
    buf b;
    buf_init(&b, r->a, 64);
    const char *p = byday;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *word = NULL;
        for (size_t i = 0; i < 7 && !word; i++)
            if (n == 2 && strncmp(p, names[i][0], 2) == 0) word = names[i][1];
        if (b.len) buf_puts(&b, ", ");
        if (word)
            buf_puts(&b, word);
        else
            buf_append(&b, p, n);
        p += n + (comma ? 1 : 0);
    }
    return b.len ? b.data : "";
}

/* See pages_directory_edit.h. */
void dm_breadcrumbs(buf *b, const char *id, const char *name)
{
    H(b, "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
         "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
         "<a class=\"nhsuk-breadcrumb__link\" href=\"/directory\">Directory</a></li>"
         "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
         " href=\"" DM_BASE "\">Manage services</a></li>");
    if (id && name)
        H(b,
          "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
          " href=\"" DM_BASE "/services/%U\">%s</a></li>",
          id, name);
    H(b, "</ol></nav>");
}

/* ---- small helpers ---- */

/* Does the actor approve anything (a hint for the navigation; the domain decides)? */
static bool approver(const struct actor *a)
{
    return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM_LEAD || a->role == ROLE_PLACE_LEAD;
}

/* A query value, NULL when absent or empty. */
static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* The tag for a service's state in lists and on its page. */
static void state_tag(buf *b, const char *state, bool waiting, const char *deleted_at)
{
    if (deleted_at)
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--grey\">Deleted</strong>");
    else if (state && strcmp(state, "pending") == 0)
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--yellow\">Not yet approved</strong>");
    else
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--green\">Published</strong>");
    if (waiting && !deleted_at)
        H(b, " <strong class=\"nhsuk-tag nhsuk-tag--blue\">Change waiting</strong>");
}

/* What a version did, in words. */
static const char *action_text(const char *action)
{
    static const char *const words[][2] = {{"create", "Added"},
                                           {"update", "Changed"},
                                           {"delete", "Deleted"},
                                           {"restore", "Restored"},
                                           {"import", "Imported"}};
    for (size_t i = 0; action && i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i][0], action) == 0) return words[i][1];
    return action ? action : "";
}

/* The tag colour of a version's state. */
static const char *version_tag(const char *state)
{
    if (!state) return "nhsuk-tag--grey";
    if (strcmp(state, "published") == 0) return "nhsuk-tag--green";
    if (strcmp(state, "pending") == 0) return "nhsuk-tag--blue";
    if (strcmp(state, "rejected") == 0) return "nhsuk-tag--red";
    return "nhsuk-tag--grey";
}

/* A summary list row whose value is built markup. */
static void summary_row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* A summary list row of plain text ("Not given" when empty). */
static void summary_text(buf *b, const char *key, const char *text)
{
    buf v;
    buf_init(&v, b->a, 128);
    if (text && *text)
        H(&v, "%s", text);
    else
        H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">Not given</span>");
    struct html_frag f = html_frag_of(&v);
    summary_row(b, key, &f);
}

/* A POST form that is one button (with the CSRF token and optional hidden fields). */
static void button_form(struct req *r, buf *b, const char *action, const char *text,
                        const char *klass, const char *hidden_name, const char *hidden_value)
{
    H(b, "<form method=\"post\" action=\"%s\" novalidate class=\"nhsuk-u-margin-bottom-3\">",
      action);
    ui_hidden(b, "csrf", r->ctx.actor->csrf);
    if (hidden_name) ui_hidden(b, hidden_name, hidden_value);
    H(b,
      "<button class=\"nhsuk-button %s nhsuk-u-margin-bottom-0\" data-module=\"nhsuk-button\""
      " type=\"submit\">%s</button></form>",
      klass, text);
}

/* ---- the list ---- */

/* A link for one of the list's views, marked current when it is the one shown. */
static void view_link(buf *b, const char *show, const char *text, const char *current)
{
    if (strcmp(show, current) == 0)
        H(b, "<li><strong aria-current=\"page\">%s</strong></li>", text);
    else if (!*show)
        H(b, "<li><a class=\"nhsuk-link\" href=\"" DM_BASE "\">%s</a></li>", text);
    else
        H(b, "<li><a class=\"nhsuk-link\" href=\"" DM_BASE "?show=%U\">%s</a></li>", show, text);
}

/* GET /directory/manage: the services the actor may edit, waiting, or deleted. */
static void page_manage(struct req *r)
{
    arena *a = r->a;
    const struct actor *me = r->ctx.actor;
    const char *show = nonempty(req_query(r, "show"));
    if (!show) show = "";
    struct dir_service_query q = {
        .q = nonempty(req_query(r, "q")),
        .waiting = strcmp(show, "waiting") == 0,
        .deleted = strcmp(show, "deleted") == 0,
        .per_page = PER_PAGE,
    };
    const char *p = nonempty(req_query(r, "page"));
    q.page = p ? text_id(p) : 1;
    if (!q.page) q.page = -1;
    if (*show && !q.waiting && !q.deleted)
        ctx_field_error(&r->ctx, "show", "Choose Services, Waiting for approval or Deleted");
    struct store_page pg = {0};
    result res = r->ctx.nerrors ? ctx_fail(&r->ctx, RES_INVALID, "Check what you asked for.")
                                : dir_edit_services(&r->ctx, &q, &pg);
    struct form_errors fe = {0};
    int status = 200;
    if (!page_read_result(r, res, &fe, &status)) return;
    buf b;
    buf_init(&b, a, 16384);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"/directory\">Back to the directory</a>");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Manage directory services</h1>");
    if (me->role == ROLE_PROVIDER)
        H(&b, "<p>Your organisation's services. Changes you make are checked by a place or"
              " system lead before they appear in the public directory.</p>");
    else if (!approver(me))
        H(&b, "<p>You can read the directory, but not change it.</p>");
    if (me->role == ROLE_PROVIDER || approver(me)) {
        H(&b, "<div class=\"nhsuk-button-group\"><a class=\"nhsuk-button\" href=\"" DM_BASE
              "/new\">Add a service</a><a class=\"nhsuk-button nhsuk-button--secondary\""
              " href=\"" DM_BASE "/organizations/new\">Add an organisation</a></div>");
    }
    if (approver(me))
        H(&b, "<p><a class=\"nhsuk-link\" href=\"" DM_BASE "/approvals\">Changes waiting for"
              " approval</a></p>");
    H(&b, "<nav aria-label=\"Service lists\"><ul class=\"nhsuk-list\">");
    view_link(&b, "", "Services", show);
    view_link(&b, "waiting", "Waiting for approval", show);
    view_link(&b, "deleted", "Deleted", show);
    H(&b, "</ul></nav>");
    H(&b, "<form method=\"get\" action=\"" DM_BASE "\" novalidate>");
    if (*show) ui_hidden(&b, "show", show);
    struct ui_field f = {"q", "search by name", NULL, NULL, q.q};
    ui_input(&b, &f, "search", "off", NULL, "nhsuk-input--width-20", false);
    H(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
          " type=\"submit\">Search</button></form>");
    if (pg.total == 0) {
        H(&b, "<p>There are no services here.</p>");
    } else {
        H(&b,
          "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
          "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Services</caption>"
          "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
          "<th class=\"nhsuk-table__header\" scope=\"col\">Service</th>"
          "<th class=\"nhsuk-table__header\" scope=\"col\">Organisation</th>"
          "<th class=\"nhsuk-table__header\" scope=\"col\">State</th>"
          "<th class=\"nhsuk-table__header\" scope=\"col\">%s</th>"
          "</tr></thead><tbody class=\"nhsuk-table__body\">",
          q.deleted ? "Deleted" : "Last changed");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *row = pg.rows[i];
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"" DM_BASE "/services/%U\">%s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
              rec_text(row, "id"), rec_text(row, "name"), rec_text(row, "organization_name"));
            state_tag(&b, rec_text(row, "state"), !rec_is_null(row, "pending_version"),
                      rec_text(row, "deleted_at"));
            H(&b, "</td><td class=\"nhsuk-table__cell\">%s</td></tr>",
              ui_time(a, q.deleted ? rec_text(row, "deleted_at") : rec_text(row, "last_modified")));
        }
        H(&b, "</tbody></table></div>");
    }
    buf base;
    buf_init(&base, a, 256);
    H(&base, DM_BASE "?");
    if (*show) H(&base, "show=%U&amp;", show);
    if (q.q) H(&base, "q=%U&amp;", q.q);
    struct html_frag basef = html_frag_of(&base);
    ui_pagination(&b, &basef, q.page, (pg.total + PER_PAGE - 1) / PER_PAGE);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Manage directory services", DM_SECTION, &main);
}

/* ---- one service ---- */

/* What a successful form post left behind, as a sentence (only known values). */
static const char *saved_text(const char *saved)
{
    static const char *const known[][2] = {
        {"pending", "Your change has been sent for approval. It appears in the directory once a"
                    " lead approves it."},
        {"published", "Saved and published."},
        {"approved", "Approved: the change is now in the directory."},
        {"rejected", "The change was rejected. The service is as it was."},
        {"deleted", "The service has been deleted. It can be undeleted for 30 days."},
    };
    for (size_t i = 0; saved && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i][0], saved) == 0) return known[i][1];
    return NULL;
}

/* The service's locations and sessions, one line each. */
static void where_and_when(struct req *r, buf *b, json_t *doc)
{
    buf v;
    buf_init(&v, r->a, 256);
    size_t i;
    json_t *x;
    H(&v, "<ul class=\"nhsuk-list\">");
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, x)
    {
        json_t *loc = json_object_get(x, "location");
        json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
        H(&v, "<li>%s %s %s</li>", dm_text(r, loc, "name"), dm_text(r, addr, "address_1"),
          dm_text(r, addr, "postal_code"));
    }
    H(&v, "</ul>");
    struct html_frag f = html_frag_of(&v);
    summary_row(b, "Where", &f);
    buf_init(&v, r->a, 256);
    H(&v, "<ul class=\"nhsuk-list\">");
    json_array_foreach(json_object_get(doc, "schedules"), i, x)
    {
        H(&v, "<li>%s %s&ndash;%s %s</li>", dm_days(r, dm_text(r, x, "byday")),
          dm_time(r, dm_text(r, x, "opens_at")), dm_time(r, dm_text(r, x, "closes_at")),
          dm_text(r, x, "description"));
    }
    H(&v, "</ul>");
    f = html_frag_of(&v);
    summary_row(b, "When", &f);
    buf_init(&v, r->a, 256);
    json_array_foreach(json_object_get(doc, "attributes"), i, x)
    {
        H(&v, "<strong class=\"nhsuk-tag nhsuk-tag--white\">%s</strong> ",
          dm_text(r, json_object_get(x, "taxonomy_term"), "name"));
    }
    f = html_frag_of(&v);
    summary_row(b, "Kinds", &f);
}

/* The version history as a table, newest first. */
static void history(struct req *r, buf *b, const char *id, const struct store_page *pg)
{
    H(b, "<h2>History</h2><div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Versions</caption>"
         "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Version</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">What</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">State</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">By</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
         "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < pg->nrows; i++) {
        const rec *v = pg->rows[i];
        long long n = rec_int(v, "version", 0);
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\"><a class=\"nhsuk-link\""
          " href=\"" DM_BASE "/services/%U/versions/%lld\">Version %lld</a></td>"
          "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">"
          "<strong class=\"nhsuk-tag %s\">%s</strong></td><td class=\"nhsuk-table__cell\">%s</td>"
          "<td class=\"nhsuk-table__cell\">%s</td></tr>",
          id, n, n, action_text(rec_text(v, "action")), version_tag(rec_text(v, "state")),
          ui_capital(r->a, rec_text(v, "state")), rec_text(v, "created_by"),
          ui_time(r->a, rec_text(v, "created_at")));
    }
    H(b, "</tbody></table></div>");
    if (pg->nrows == 0) H(b, "<p>No changes have been made here yet.</p>");
}

/* GET /directory/manage/services/{id} */
static void page_service(struct req *r)
{
    arena *a = r->a;
    const char *id = dm_path_id(r);
    json_t *doc = NULL;
    result res = dir_edit_get(&r->ctx, id, &doc);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    enum dir_level level = dir_edit_service_level(&r->ctx, id);
    struct store_page versions = {0};
    if (level != DIR_READ && dir_edit_versions(&r->ctx, id, &versions) != RES_OK)
        memset(&versions, 0, sizeof versions);
    const char *name = dm_text(r, doc, "name");
    const char *state = dm_text(r, doc, "state");
    json_t *deleted = json_object_get(doc, "deleted_at");
    long long pending = json_integer_value(json_object_get(doc, "pending_version"));
    buf b;
    buf_init(&b, a, 16384);
    dm_breadcrumbs(&b, NULL, NULL);
    const char *saved = saved_text(req_query(r, "saved"));
    if (saved) H(&b, "<div class=\"nhsuk-inset-text\" role=\"status\"><p>%s</p></div>", saved);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s<span class=\"nhsuk-u-visually-hidden\"> &ndash;"
      " </span></span>%s</h1><p>",
      dm_text(r, json_object_get(doc, "organization"), "name"), name);
    state_tag(&b, state, pending > 0, deleted ? json_string_value(deleted) : NULL);
    H(&b, "</p>");
    if (deleted)
        H(&b, "<p>Deleted on %s. It can be undeleted for %d days; then it is removed for good.</p>",
          ui_time(a, json_string_value(deleted)), DIR_UNDELETE_DAYS);
    if (pending)
        H(&b,
          "<div class=\"nhsuk-inset-text\"><p>A change is waiting for approval (version %lld)."
          " <a class=\"nhsuk-link\" href=\"" DM_BASE "/services/%U/versions/%lld\">See what it"
          " changes</a>.</p></div>",
          pending, id, pending);
    if (level != DIR_READ) {
        H(&b, "<div class=\"nhsuk-button-group\">");
        if (!deleted)
            H(&b, "<a class=\"nhsuk-button\" href=\"" DM_BASE "/services/%U/edit\">Change</a>", id);
        if (!deleted && strcmp(state, "published") == 0)
            H(&b,
              "<a class=\"nhsuk-button nhsuk-button--secondary\" href=\"/directory/services/"
              "%U\">View in the directory</a>",
              id);
        H(&b, "</div>");
        const char *action = arena_printf(a, DM_BASE "/services/%s/%s", url_encode(a, id),
                                          deleted ? "undelete" : "delete");
        const char *text = deleted ? (level == DIR_PUBLISH ? "Undelete" : "Ask to undelete")
                                   : (level == DIR_PUBLISH ? "Delete" : "Ask to delete");
        button_form(r, &b, action, text,
                    deleted ? "nhsuk-button--secondary" : "nhsuk-button--warning", NULL, NULL);
    }
    H(&b, "<h2>Details</h2><dl class=\"nhsuk-summary-list\">");
    summary_text(&b, "Status", ui_capital(a, dm_text(r, doc, "status")));
    summary_text(&b, "Description", dm_text(r, doc, "description"));
    summary_text(&b, "Website", dm_text(r, doc, "url"));
    summary_text(&b, "Email", dm_text(r, doc, "email"));
    const char *lo = dm_text(r, doc, "minimum_age"), *hi = dm_text(r, doc, "maximum_age");
    summary_text(&b, "Ages",
                 *lo || *hi ? arena_printf(a, "%s to %s", *lo ? lo : "any", *hi ? hi : "any")
                            : "Any age");
    summary_text(&b, "Fees", dm_text(r, doc, "fees_description"));
    where_and_when(r, &b, doc);
    H(&b, "</dl>");
    if (level != DIR_READ) history(r, &b, id, &versions);
    json_decref(doc);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, name, DM_SECTION, &main);
}

/* ---- one version ---- */

/* The approve and reject forms for a waiting version (the reject note with errors). */
static void decision_forms(struct req *r, buf *b, const char *id, long long version,
                           const char *note_id, const struct form_errors *fe)
{
    const char *base = arena_printf(r->a, DM_BASE "/services/%s", url_encode(r->a, id));
    const char *v = arena_printf(r->a, "%lld", version);
    button_form(r, b, arena_printf(r->a, "%s/approve", base), "Approve", "", "version", v);
    const char *err = form_error_for(fe, note_id);
    H(b, "<form method=\"post\" action=\"%s/reject\" novalidate>", base);
    ui_hidden(b, "csrf", r->ctx.actor->csrf);
    ui_hidden(b, "version", v);
    H(b,
      "<div class=\"nhsuk-form-group%s\"><label class=\"nhsuk-label\" for=\"field-%s\">"
      "Why reject it (the provider sees this)</label>",
      err ? " nhsuk-form-group--error" : "", note_id);
    if (err)
        H(b,
          "<span class=\"nhsuk-error-message\" id=\"field-%s-error\"><span"
          " class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>",
          note_id, err);
    H(b,
      "<textarea class=\"nhsuk-textarea%s\" id=\"field-%s\" name=\"note\" rows=\"2\"%s>"
      "</textarea></div><button class=\"nhsuk-button nhsuk-button--secondary\""
      " data-module=\"nhsuk-button\" type=\"submit\">Reject</button></form>",
      err ? " nhsuk-textarea--error" : "", note_id,
      err ? arena_printf(r->a, " aria-describedby=\"field-%s-error\"", note_id) : "");
}

/* The changes as a table: what, before, after. */
static void diff_table(struct req *r, buf *b, json_t *diff)
{
    if (json_array_size(diff) == 0) {
        H(b, "<p>Nothing changed.</p>");
        return;
    }
    H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table chis-diff\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Changes</caption>"
         "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">What</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Change</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Before</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">After</th>"
         "</tr></thead><tbody class=\"nhsuk-table__body\">");
    size_t i;
    json_t *c;
    json_array_foreach(diff, i, c)
    {
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\"><code>%s</code></td>"
          "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\"><del>%s</del>"
          "</td><td class=\"nhsuk-table__cell\"><ins>%s</ins></td></tr>",
          dm_text(r, c, "path"), ui_capital(r->a, dm_text(r, c, "change")), dm_text(r, c, "old"),
          dm_text(r, c, "new"));
    }
    H(b, "</tbody></table></div>");
}

/* A version's page: who, when, what became of it, its diff, and the forms. */
static void render_version(struct req *r, const char *id, int version, int status,
                           const struct form_errors *fe)
{
    arena *a = r->a;
    const char *against_s = nonempty(req_query(r, "against"));
    int against = against_s ? (int)text_id(against_s) : 0;
    rec *meta = NULL;
    json_t *doc = NULL, *diff = NULL;
    int compared = 0;
    result res = dir_edit_version(&r->ctx, id, version, against, &meta, &doc, &diff, &compared);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    json_t *live = NULL;
    struct ctx saved = r->ctx;
    if (dir_edit_get(&r->ctx, id, &live) != RES_OK) live = NULL;
    r->ctx = saved;
    enum dir_level level = dir_edit_service_level(&r->ctx, id);
    const char *vstate = rec_text(meta, "state");
    buf b;
    buf_init(&b, a, 16384);
    dm_breadcrumbs(&b, id, dm_text(r, live, "name"));
    ui_error_summary(&b, fe);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s<span class=\"nhsuk-u-visually-hidden\"> &ndash;"
      " </span></span>Version %d</h1>",
      dm_text(r, doc, "name"), version);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    buf v;
    buf_init(&v, a, 128);
    H(&v, "<strong class=\"nhsuk-tag %s\">%s</strong>", version_tag(vstate), ui_capital(a, vstate));
    struct html_frag vf = html_frag_of(&v);
    summary_row(&b, "State", &vf);
    summary_text(&b, "What", action_text(rec_text(meta, "action")));
    summary_text(&b, "By", rec_text(meta, "created_by"));
    summary_text(&b, "When", ui_time(a, rec_text(meta, "created_at")));
    if (rec_text(meta, "decided_at")) {
        summary_text(&b, "Decided by", rec_text(meta, "decided_by"));
        summary_text(&b, "Decided", ui_time(a, rec_text(meta, "decided_at")));
        summary_text(&b, "Note", rec_text(meta, "decision_note"));
    }
    H(&b, "</dl>");
    if (compared)
        H(&b, "<h2>What changed since version %d</h2>", compared);
    else
        H(&b, "<h2>What it holds</h2>");
    diff_table(r, &b, diff);
    bool deleted = live && json_object_get(live, "deleted_at");
    if (strcmp(vstate, "pending") == 0 && level == DIR_PUBLISH) {
        H(&b, "<h2>Decide</h2>");
        decision_forms(r, &b, id, version, "note", fe);
    } else if (strcmp(vstate, "pending") == 0) {
        H(&b, "<p>This change is waiting for a place or system lead to approve it.</p>");
    } else if (level != DIR_READ && !deleted &&
               (strcmp(vstate, "superseded") == 0 || strcmp(vstate, "rejected") == 0 ||
                strcmp(vstate, "withdrawn") == 0) &&
               strcmp(rec_text(meta, "action"), "delete") != 0) {
        H(&b, "<h2>Restore</h2><p>Make this version's details the service's again%s.</p>",
          level == DIR_PROPOSE ? " (a lead approves it first)" : "");
        button_form(
            r, &b,
            arena_printf(a, DM_BASE "/services/%s/versions/%d/restore", url_encode(a, id), version),
            "Restore this version", "nhsuk-button--secondary", NULL, NULL);
    }
    json_decref(doc);
    json_decref(diff);
    json_decref(live);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, arena_printf(a, "Version %d", version), DM_SECTION, &main);
}

/* The version number in the path (second parameter); 0 when it is not one. */
static int path_version(struct req *r)
{
    long long v = text_id(r->nparams > 1 ? r->params[1] : NULL);
    return v > 0 && v <= 1000000000 ? (int)v : 0;
}

/* GET /directory/manage/services/{id}/versions/{version} */
static void page_version(struct req *r)
{
    int version = path_version(r);
    if (!version) {
        web_error_page(r, 404, "Page not found", "There is no such version.");
        return;
    }
    render_version(r, dm_path_id(r), version, 200, NULL);
}

/* ---- the queue ---- */

/* GET /directory/manage/approvals: the changes waiting, each with approve and reject. */
static void page_approvals(struct req *r)
{
    arena *a = r->a;
    const char *p = nonempty(req_query(r, "page"));
    long long page = p ? text_id(p) : 1;
    struct store_page pg = {0};
    result res = dir_edit_approvals(&r->ctx, page ? page : -1, PER_PAGE, &pg);
    struct form_errors fe = {0};
    int status = 200;
    if (!page_read_result(r, res, &fe, &status)) return;
    buf b;
    buf_init(&b, a, 16384);
    dm_breadcrumbs(&b, NULL, NULL);
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Changes waiting for approval</h1><p>Providers' changes to their services appear"
          " in the directory once you approve them. Open one to see what it changes.</p>");
    if (pg.total == 0) H(&b, "<p>Nothing is waiting.</p>");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *row = pg.rows[i];
        const char *sid = rec_text(row, "service_id");
        long long v = rec_int(row, "version", 0);
        H(&b,
          "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">"
          "<h2 class=\"nhsuk-card__heading nhsuk-heading-m\"><a class=\"nhsuk-link\" "
          "href=\"" DM_BASE
          "/services/%U/versions/%lld\">%s</a></h2><p class=\"nhsuk-card__description\">"
          "%s by %s, %s. %s.</p>",
          sid, v, rec_text(row, "service_name"), action_text(rec_text(row, "action")),
          rec_text(row, "created_by"), ui_time(a, rec_text(row, "created_at")),
          rec_text(row, "organization_name"));
        decision_forms(r, &b, sid, v, arena_printf(a, "note-%d", i + 1), NULL);
        H(&b, "</div></div>");
    }
    struct html_frag base = {DM_BASE "/approvals?", strlen(DM_BASE "/approvals?")};
    ui_pagination(&b, &base, page, (pg.total + PER_PAGE - 1) / PER_PAGE);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Changes waiting for approval", DM_SECTION, &main);
}

/* ---- the forms' posts ---- */

/* After a post: 303 to the service with what happened, or the failure's page. */
static void after_post(struct req *r, const char *id, result res, json_t *out, const char *saved)
{
    if (res == RES_OK) {
        const char *state = json_string_value(json_object_get(out, "state"));
        if (!saved) saved = state;
        resp_redirect(r, arena_printf(r->a, DM_BASE "/services/%s?saved=%s", url_encode(r->a, id),
                                      saved ? saved : ""));
    } else if (res == RES_CONFLICT) {
        page_problem(r, 409, "That cannot be done", r->ctx.detail,
                     arena_printf(r->a, DM_BASE "/services/%s", url_encode(r->a, id)),
                     "Back to the service");
    } else {
        page_for_result(r, res);
    }
    json_decref(out);
}

/* POST /directory/manage/services/{id}/delete */
static void post_delete(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *out = NULL;
    result res = dir_edit_delete(&r->ctx, id, &out);
    const char *state = res == RES_OK ? json_string_value(json_object_get(out, "state")) : NULL;
    after_post(r, id, res, out, state && strcmp(state, "published") == 0 ? "deleted" : NULL);
}

/* POST /directory/manage/services/{id}/undelete */
static void post_undelete(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *out = NULL;
    result res = dir_edit_undelete(&r->ctx, id, &out);
    after_post(r, id, res, out, NULL);
}

/* The version a decision form names (0: the one waiting). */
static int form_version(struct req *r)
{
    long long v = text_id(req_form(r, "version"));
    return v > 0 && v <= 1000000000 ? (int)v : 0;
}

/* POST /directory/manage/services/{id}/approve */
static void post_approve(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *out = NULL;
    result res = dir_edit_approve(&r->ctx, id, form_version(r), NULL, &out);
    if (res == RES_INVALID) {
        /* The proposal no longer stores (say a term was removed): show why on its page. */
        struct form_errors fe = form_errors_take(r);
        fe.no_links = true;
        ctx_clear_errors(&r->ctx);
        render_version(r, id, form_version(r), 422, &fe);
        return;
    }
    after_post(r, id, res, out, "approved");
}

/* POST /directory/manage/services/{id}/reject: a note is required (422 on the version page). */
static void post_reject(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *out = NULL;
    const char *note = req_form(r, "note");
    result res = dir_edit_reject(&r->ctx, id, form_version(r), note, &out);
    if (res == RES_INVALID) {
        struct form_errors fe = form_errors_refused(r);
        int v = form_version(r);
        if (!v) {
            page_problem(r, 422, "There is a problem", "Say why the change is rejected.",
                         arena_printf(r->a, DM_BASE "/services/%s", url_encode(r->a, id)),
                         "Back to the service");
            return;
        }
        render_version(r, id, v, 422, &fe);
        return;
    }
    after_post(r, id, res, out, NULL);
}

/* POST /directory/manage/services/{id}/versions/{version}/restore */
static void post_restore(struct req *r)
{
    const char *id = dm_path_id(r);
    int version = path_version(r);
    if (!version) {
        web_error_page(r, 404, "Page not found", "There is no such version.");
        return;
    }
    json_t *out = NULL;
    result res = dir_edit_restore(&r->ctx, id, version, &out);
    if (res == RES_INVALID) {
        struct form_errors fe = form_errors_take(r);
        fe.no_links = true;
        ctx_clear_errors(&r->ctx);
        render_version(r, id, version, 422, &fe);
        return;
    }
    after_post(r, id, res, out, NULL);
}

const struct route web_directory_edit_routes[] = {
    {"GET", DM_BASE, page_manage, 0, NULL},
    {"GET", DM_BASE "/new", dm_page_new, 0, NULL},
    {"POST", DM_BASE "/new", dm_page_create, 0, NULL},
    {"GET", DM_BASE "/organizations/new", dm_page_org_new, 0, NULL},
    {"POST", DM_BASE "/organizations/new", dm_page_org_create, 0, NULL},
    {"GET", DM_BASE "/approvals", page_approvals, 0, NULL},
    {"GET", DM_BASE "/services/{id}", page_service, 0, NULL},
    {"GET", DM_BASE "/services/{id}/edit", dm_page_edit, 0, NULL},
    {"POST", DM_BASE "/services/{id}/edit", dm_page_update, 0, NULL},
    {"POST", DM_BASE "/services/{id}/delete", post_delete, 0, NULL},
    {"POST", DM_BASE "/services/{id}/undelete", post_undelete, 0, NULL},
    {"POST", DM_BASE "/services/{id}/approve", post_approve, 0, NULL},
    {"POST", DM_BASE "/services/{id}/reject", post_reject, 0, NULL},
    {"GET", DM_BASE "/services/{id}/versions/{version}", page_version, 0, NULL},
    {"POST", DM_BASE "/services/{id}/versions/{version}/restore", post_restore, 0, NULL},
};

const size_t web_directory_edit_routes_len =
    sizeof web_directory_edit_routes / sizeof web_directory_edit_routes[0];
