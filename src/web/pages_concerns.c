/*
 * pages_concerns.c: the concern pages (raise one, the lists, one concern
 * with its timeline and the forms that move it on), the notifications page,
 * and the page for the concern deadline settings.
 *
 * Who may see and do what is decided by domain/concern_routing.c; these pages ask
 * concern_rights_of() only to decide which forms to offer, and render the
 * domain's refusals: 404 for a concern the actor may not see, 403 for one
 * they see but may not move, 409 naming the status for a move the status
 * forbids, 422 with an error summary for missing text.
 */
#include "base/text.h"
#include "domain/concerns.h"
#include "domain/notifications.h"
#include "domain/structure.h"
#include "web/layout.h"
#include "web/web.h"

#include <string.h>

#define CONCERNS_PER_PAGE 20

/* ---- small helpers ---- */

/* The id in the path, or a 404 page and 0. */
static long long path_id(struct req *r)
{
    long long id = r->nparams > 0 ? text_id(r->params[0]) : 0;
    if (!id) web_error_page(r, 404, "Page not found", "There is nothing at this address.");
    return id;
}

/* A query or form value, NULL when absent or empty. */
static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* An administrator or system lead (a hint for what to offer: the domain decides). */
static bool is_lead(const struct actor *a)
{
    return a && (a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM_LEAD);
}

/* The NHS.UK tag colour for a status. */
static const char *status_tag(const char *status)
{
    if (!status) return "nhsuk-tag--grey";
    if (strcmp(status, "open") == 0) return "nhsuk-tag--blue";
    if (strcmp(status, "acknowledged") == 0) return "nhsuk-tag--yellow";
    if (strcmp(status, "resolved") == 0) return "nhsuk-tag--green";
    return "nhsuk-tag--grey";
}

/* Is the concern still waiting for someone, and past its deadline? */
static bool overdue(struct req *r, const rec *row)
{
    const char *status = rec_text(row, "status"), *deadline = rec_text(row, "deadline");
    return status && deadline &&
           (strcmp(status, "open") == 0 || strcmp(status, "acknowledged") == 0) &&
           strcmp(deadline, r->ctx.now_iso) <= 0;
}

/* The deadline cell: the time, and "overdue" when it has passed; "None" without one. */
static void deadline_text(struct req *r, buf *b, const rec *row)
{
    const char *d = rec_text(row, "deadline");
    if (!d) {
        H(b, "<span class=\"nhsuk-u-secondary-text-colour\">None</span>");
        return;
    }
    H(b, "%s", ui_time(r->a, d));
    if (overdue(r, row)) H(b, " <strong class=\"nhsuk-tag nhsuk-tag--red\">Overdue</strong>");
}

/* Select options for a NULL-terminated list of choices, with a first blank one. */
static struct ui_option *choice_options(arena *a, const char *const *choices, const char *blank,
                                        const char *current, int *n)
{
    int k = 0;
    while (choices[k])
        k++;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(k + 1));
    opts[0] = (struct ui_option){"", blank, false};
    for (int i = 0; i < k; i++)
        opts[i + 1] = (struct ui_option){choices[i], ui_choice_text(a, choices[i]),
                                         current && strcmp(current, choices[i]) == 0};
    *n = k + 1;
    return opts;
}

/* ---- the list ---- */

/* A link for one of the list's views, marked current when it is the one shown. */
static void view_link(buf *b, const char *queue, const char *text, const char *current)
{
    if (strcmp(queue, current) == 0)
        H(b, "<li><strong aria-current=\"page\">%s</strong></li>", text);
    else
        H(b, "<li><a class=\"nhsuk-link\" href=\"/concerns?queue=%U\">%s</a></li>", queue, text);
}

/*
 * GET /concerns: My queue (what I own now), Raised by me, and All (what a
 * lead may see), with status and severity filters and pagination.
 */
static void page_concerns(struct req *r)
{
    arena *a = r->a;
    const struct actor *me = r->ctx.actor;
    bool leads = is_lead(me) || me->role == ROLE_PLACE_LEAD;
    const char *queue = nonempty(req_query(r, "queue"));
    if (!queue) queue = "mine";
    struct concern_query q = {0};
    if (!concern_queue_parse(queue, &q.queue) || (q.queue == QUEUE_ALL && !leads)) {
        ctx_field_error(&r->ctx, "queue", "Choose My queue, Raised by me or All");
        page_problem(r, 400, "There is a problem with the request", "Check what you asked for.",
                     "/concerns", "Back to concerns");
        return;
    }
    q.status = nonempty(req_query(r, "status"));
    q.severity = nonempty(req_query(r, "severity"));
    q.per_page = CONCERNS_PER_PAGE;
    const char *p = nonempty(req_query(r, "page"));
    q.page = p ? text_id(p) : 1;
    if (!q.page) q.page = -1;
    struct store_page pg;
    result res = concern_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<h1>Concerns</h1><p><a class=\"nhsuk-button\" href=\"/concerns/new\">"
          "Raise a concern</a></p>");
    H(&b, "<nav aria-label=\"Concern lists\"><ul class=\"nhsuk-list\">");
    view_link(&b, "mine", "My queue", queue);
    view_link(&b, "raised", "Raised by me", queue);
    if (leads) view_link(&b, "all", "All", queue);
    H(&b, "</ul></nav>");

    H(&b, "<form method=\"get\" action=\"/concerns\" novalidate><div class=\"nhsuk-grid-row\">");
    ui_hidden(&b, "queue", queue);
    int n;
    struct ui_option *opts = choice_options(a, concern_statuses, "Any status", q.status, &n);
    struct ui_field f = {"status", "status", NULL, NULL, q.status};
    H(&b, "<div class=\"nhsuk-grid-column-one-third\">");
    ui_select(&b, &f, opts, n);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    opts = choice_options(a, concern_severities, "Any severity", q.severity, &n);
    f = (struct ui_field){"severity", "severity", NULL, NULL, q.severity};
    ui_select(&b, &f, opts, n);
    H(&b, "</div></div><button class=\"nhsuk-button nhsuk-button--secondary\""
          " data-module=\"nhsuk-button\" type=\"submit\">Filter</button></form>");

    if (pg.total == 0) {
        H(&b, "<p>There are no concerns here.</p>");
    } else {
        H(&b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
              "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Concerns</caption>"
              "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Concern</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Organisation</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Severity</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Owner</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Deadline</th>"
              "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *row = pg.rows[i];
            const char *status = rec_text(row, "status");
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"/concerns/%lld\">#%lld %s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\"><strong class=\"nhsuk-tag %s\">%s</strong></td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
              rec_int(row, "id", 0), rec_int(row, "id", 0),
              ui_choice_text(a, rec_text(row, "category")), rec_text(row, "organisation_name"),
              ui_choice_text(a, rec_text(row, "severity")), status_tag(status),
              ui_choice_text(a, status),
              rec_text(row, "owner_name") ? rec_text(row, "owner_name") : "Nobody");
            deadline_text(r, &b, row);
            H(&b, "</td></tr>");
        }
        H(&b, "</tbody></table></div>");
    }
    buf base;
    buf_init(&base, a, 256);
    H(&base, "/concerns?queue=%U&amp;", queue);
    if (q.status) H(&base, "status=%U&amp;", q.status);
    if (q.severity) H(&base, "severity=%U&amp;", q.severity);
    struct html_frag basef = html_frag_of(&base);
    ui_pagination(&b, &basef, q.page, (pg.total + CONCERNS_PER_PAGE - 1) / CONCERNS_PER_PAGE);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Concerns", "/concerns", &main);
}

/* ---- raising one ---- */

/* Every organisation as select options (value id, text name), up to 1,000. */
static struct ui_option *organisation_options(struct req *r, const char *current, int *n)
{
    struct ctx saved = r->ctx;
    ctx_clear_errors(&r->ctx);
    int cap = LIST_MAX_PER_PAGE + 1, k = 1;
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)cap);
    opts[0] = (struct ui_option){"", "", false};
    for (long long page = 1; page <= 10; page++) {
        struct list_query q = {.page = page, .per_page = LIST_MAX_PER_PAGE};
        struct store_page pg;
        if (entity_list(&r->ctx, &entity_organisations, &q, &pg) != RES_OK) break;
        if (k + pg.nrows > cap) {
            struct ui_option *more = arena_alloc(r->a, sizeof *more * (size_t)(cap * 2 + pg.nrows));
            memcpy(more, opts, sizeof *opts * (size_t)k);
            opts = more;
            cap = cap * 2 + pg.nrows;
        }
        for (int i = 0; i < pg.nrows; i++) {
            const char *id = arena_printf(r->a, "%lld", rec_int(pg.rows[i], "id", 0));
            opts[k++] = (struct ui_option){id, rec_text(pg.rows[i], "name"),
                                           current && strcmp(current, id) == 0};
        }
        if (pg.nrows < LIST_MAX_PER_PAGE) break;
    }
    r->ctx = saved;
    *n = k;
    return opts;
}

/* The form to raise a concern, with values from the query or the failed post. */
static void render_new(struct req *r, int status, const struct form_errors *fe)
{
    arena *a = r->a;
    bool posted = req_method_is(r, "POST");
    const char *(*get)(struct req *, const char *) = posted ? req_form : req_query;
    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"/concerns\">Back to concerns</a>");
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    H(&b, "<h1>Raise a concern</h1><p>Tell us about a safeguarding, quality, capacity or data"
          " concern about an organisation. It goes to the person accountable for that"
          " organisation, who must acknowledge it by the deadline for its severity, or it"
          " escalates.</p>");
    H(&b, "<form method=\"post\" action=\"/concerns/new\" novalidate>");
    ui_hidden(&b, "csrf", r->ctx.actor->csrf);
    int n;
    const char *org = get(r, "organisation_id");
    struct ui_option *opts = organisation_options(r, org, &n);
    struct ui_field f = {"organisation_id", "organisation", "The organisation the concern is about",
                         form_error_for(fe, "organisation_id"), org};
    ui_select(&b, &f, opts, n);
    f = (struct ui_field){"service_id", "service number (optional)",
                          "If the concern is about one of its services, the service's number",
                          form_error_for(fe, "service_id"), get(r, "service_id")};
    ui_input(&b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
    const char *category = get(r, "category");
    opts = choice_options(a, concern_categories, "", category, &n);
    f = (struct ui_field){"category", "category", NULL, form_error_for(fe, "category"), category};
    ui_select(&b, &f, opts, n);
    struct concern_deadlines d;
    struct ctx saved = r->ctx;
    const char *hint = NULL;
    if (concern_deadlines_get(&r->ctx, &d) == RES_OK)
        hint = arena_printf(a,
                            "How soon it must be acknowledged: urgent %s, high %s, medium %s,"
                            " low %s (h hours, d days, wd working days)",
                            d.length[3], d.length[2], d.length[1], d.length[0]);
    r->ctx = saved;
    const char *severity = get(r, "severity");
    opts = choice_options(a, concern_severities, "", severity, &n);
    f = (struct ui_field){"severity", "severity", hint, form_error_for(fe, "severity"), severity};
    ui_select(&b, &f, opts, n);
    f = (struct ui_field){"description", "description",
                          "What happened, when, and who is affected. Only people who handle the"
                          " concern can read it.",
                          form_error_for(fe, "description"), posted ? get(r, "description") : NULL};
    ui_textarea(&b, &f, 6);
    H(&b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
          " data-module=\"nhsuk-button\" type=\"submit\">Raise the concern</button>"
          "<a class=\"nhsuk-link\" href=\"/concerns\">Cancel</a></div></form></div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Raise a concern", "/concerns", &main);
}

/* GET /concerns/new */
static void page_concern_new(struct req *r)
{
    render_new(r, 200, NULL);
}

/* A form value as a number when it is one, as text when it is not (the domain says why). */
static void form_id(struct req *r, rec *in, const char *name)
{
    const char *s = nonempty(req_form(r, name));
    if (!s) return;
    long long id = text_id(s);
    if (id)
        rec_set_int(in, name, id);
    else
        rec_set_text(in, name, s);
}

/* POST /concerns/new: 303 to the new concern, or the form again (422). */
static void page_concern_create(struct req *r)
{
    rec *in = rec_new(r->a);
    form_id(r, in, "organisation_id");
    form_id(r, in, "service_id");
    static const char *const texts[] = {"category", "severity", "description"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *s = req_form(r, texts[i]);
        if (s) rec_set_text(in, texts[i], s);
    }
    rec *out = NULL;
    result res = concern_raise(&r->ctx, in, &out);
    /* out exists only when the concern was raised. */
    const char *to =
        res == RES_OK ? arena_printf(r->a, "/concerns/%lld", rec_int(out, "id", 0)) : NULL;
    if (form_post_done(r, res, to)) return;
    struct form_errors fe = form_errors_take(r);
    if (fe.n > 0) fe.detail = NULL;
    render_new(r, 422, &fe);
}

/* ---- one concern ---- */

/* The forms on a concern's page: the action, its form field, label, button, when it shows. */
static const struct act_form {
    enum concern_action action;
    const char *path;         /* /concerns/{id}/PATH */
    const char *field;        /* the form's field name (unique on the page) */
    const char *domain_field; /* the field the domain names in its errors */
    const char *heading, *label, *button;
    bool act;     /* needs the right to act (else the right to add notes) */
    bool warning; /* a warning button */
} act_forms[] = {
    {CONCERN_ACKNOWLEDGE, "acknowledge", "ack_note", "note", "Acknowledge", "note (optional)",
     "Acknowledge the concern", true, false},
    {CONCERN_RESOLVE, "resolve", "resolve_outcome", "outcome", "Resolve", "outcome: what was done",
     "Resolve the concern", true, false},
    {CONCERN_CLOSE, "close", "close_outcome", "outcome", "Close", "outcome: how the concern ended",
     "Close the concern", true, true},
    {CONCERN_NOTE, "notes", "note", "note", "Add a note", "note", "Add the note", false, false},
};

/* Does the status allow the form's action? (The domain decides; this only chooses forms.) */
static bool form_applies(const struct act_form *f, const char *status)
{
    if (!status || strcmp(status, "closed") == 0) return false;
    if (f->action == CONCERN_ACKNOWLEDGE) return strcmp(status, "open") == 0;
    if (f->action == CONCERN_RESOLVE) return strcmp(status, "resolved") != 0;
    return true;
}

/* A summary list row. */
static void summary_row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* Text with its line breaks kept. */
static void lines(buf *b, const char *s)
{
    for (const char *line = s ? s : ""; *line;) {
        size_t n = strcspn(line, "\n");
        size_t shown = n && line[n - 1] == '\r' ? n - 1 : n;
        H(b, "%s", arena_strndup(b->a, line, shown));
        line += n;
        if (*line) {
            H(b, "<br>");
            line++;
        }
    }
}

/* What an event type reads as in the timeline. */
static const char *event_title(const char *type)
{
    static const char *const titles[][2] = {
        {"raised", "Raised"},       {"routed", "Routed"},     {"acknowledged", "Acknowledged"},
        {"escalated", "Escalated"}, {"resolved", "Resolved"}, {"closed", "Closed"},
        {"note", "Note"},
    };
    for (size_t i = 0; type && i < sizeof titles / sizeof titles[0]; i++)
        if (strcmp(titles[i][0], type) == 0) return titles[i][1];
    return type ? type : "";
}

/*
 * The concern's page: its details, the timeline, and the forms the actor may
 * use. failed (may be NULL) is the form that failed, with fe its errors.
 */
static void render_concern(struct req *r, long long id, int status, const struct act_form *failed,
                           const struct form_errors *fe)
{
    arena *a = r->a;
    rec *row = NULL;
    result res = concern_get(&r->ctx, id, &row);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct store_page events = {0};
    res = concern_events(&r->ctx, id, &events);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct concern_rights rights = concern_rights_of(&r->ctx, row);
    const char *st = rec_text(row, "status");
    buf b;
    buf_init(&b, a, 8192);
    H(&b,
      "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
      "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
      "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
      "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
      " href=\"/concerns\">Concerns</a></li></ol><a class=\"nhsuk-back-link\" href=\"/concerns\">"
      "<span class=\"nhsuk-u-visually-hidden\">Back to </span>Concerns</a></nav>");
    ui_error_summary(&b, fe);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>Concern #%lld</h1>",
      rec_text(row, "organisation_name"), id);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    buf v;
    struct html_frag vf;
#define ROW(key, ...)                                                                              \
    do {                                                                                           \
        buf_init(&v, a, 128);                                                                      \
        H(&v, __VA_ARGS__);                                                                        \
        vf = html_frag_of(&v);                                                                     \
        summary_row(&b, key, &vf);                                                                 \
    } while (0)
    ROW("Status", "<strong class=\"nhsuk-tag %s\">%s</strong>", status_tag(st),
        ui_choice_text(a, st));
    ROW("Organisation", "<a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a>",
        rec_int(row, "organisation_id", 0), rec_text(row, "organisation_name"));
    if (!rec_is_null(row, "service_id")) ROW("Service", "%lld", rec_int(row, "service_id", 0));
    ROW("Category", "%s", ui_choice_text(a, rec_text(row, "category")));
    ROW("Severity", "%s", ui_choice_text(a, rec_text(row, "severity")));
    ROW("Owner", "%s", rec_text(row, "owner_name") ? rec_text(row, "owner_name") : "Nobody");
    buf_init(&v, a, 128);
    deadline_text(r, &v, row);
    vf = html_frag_of(&v);
    summary_row(&b,
                st && strcmp(st, "open") == 0           ? "Acknowledge by"
                : st && strcmp(st, "acknowledged") == 0 ? "Resolve by"
                                                        : "Deadline",
                &vf);
    ROW("Escalations", "%lld", rec_int(row, "escalation_level", 0));
    ROW("Raised", "%s", ui_time(a, rec_text(row, "created_at")));
    buf_init(&v, a, 256);
    lines(&v, rec_text(row, "description"));
    vf = html_frag_of(&v);
    summary_row(&b, "Description", &vf);
    if (rec_text(row, "outcome")) {
        buf_init(&v, a, 256);
        lines(&v, rec_text(row, "outcome"));
        vf = html_frag_of(&v);
        summary_row(&b, "Outcome", &vf);
    }
#undef ROW
    H(&b, "</dl>");

    H(&b, "<h2>What has happened</h2><ol class=\"nhsuk-list\">");
    for (int i = 0; i < events.nrows; i++) {
        const rec *e = events.rows[i];
        H(&b,
          "<li class=\"nhsuk-u-margin-bottom-4\"><h3 class=\"nhsuk-heading-s"
          " nhsuk-u-margin-bottom-1\">%s</h3><p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\">"
          "%s, by %s",
          event_title(rec_text(e, "type")), ui_time(a, rec_text(e, "at")), rec_text(e, "actor"));
        if (rec_text(e, "owner_name")) H(&b, ". Owner: %s", rec_text(e, "owner_name"));
        if (rec_text(e, "deadline")) H(&b, ". Deadline: %s", ui_time(a, rec_text(e, "deadline")));
        H(&b, "</p>");
        if (rec_text(e, "note")) {
            H(&b, "<p class=\"nhsuk-body nhsuk-u-margin-bottom-0\">");
            lines(&b, rec_text(e, "note"));
            H(&b, "</p>");
        }
        H(&b, "</li>");
    }
    H(&b, "</ol>");

    for (size_t i = 0; i < sizeof act_forms / sizeof act_forms[0]; i++) {
        const struct act_form *f = &act_forms[i];
        if (!(f->act ? rights.act : rights.note) || !form_applies(f, st)) continue;
        H(&b, "<h2>%s</h2><form method=\"post\" action=\"/concerns/%lld/%s\" novalidate>",
          f->heading, id, f->path);
        ui_hidden(&b, "csrf", r->ctx.actor->csrf);
        struct ui_field uf = {f->field, f->label, NULL,
                              f == failed ? form_error_for(fe, f->field) : NULL,
                              f == failed ? req_form(r, f->field) : NULL};
        ui_textarea(&b, &uf, 3);
        H(&b,
          "<button class=\"nhsuk-button%s\" data-module=\"nhsuk-button\" type=\"submit\">%s"
          "</button></form>",
          f->warning ? " nhsuk-button--warning" : " nhsuk-button--secondary", f->button);
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, arena_printf(a, "Concern #%lld", id), "/concerns", &main);
}

/* GET /concerns/{id} */
static void page_concern_show(struct req *r)
{
    long long id = path_id(r);
    if (id) render_concern(r, id, 200, NULL, NULL);
}

/* POST /concerns/{id}/{acknowledge,resolve,close,notes}: 303 back to the concern on success. */
static void page_concern_act(struct req *r)
{
    const struct act_form *f = r->route->data;
    long long id = path_id(r);
    if (!id) return;
    result res = concern_act(&r->ctx, id, f->action, nonempty(req_form(r, f->field)), NULL);
    if (res == RES_OK) {
        resp_redirect(r, arena_printf(r->a, "/concerns/%lld", id));
        return;
    }
    if (res == RES_CONFLICT) {
        page_problem(r, 409, "That cannot be done", r->ctx.detail,
                     arena_printf(r->a, "/concerns/%lld", id), "Back to the concern");
        return;
    }
    if (res != RES_INVALID) {
        page_for_result(r, res);
        return;
    }
    /* The domain names its field ("outcome", "note"); the page's field is the form's own. */
    struct form_errors fe = form_errors_take(r);
    struct field_error *errs = arena_alloc(r->a, sizeof *errs * (size_t)(fe.n ? fe.n : 1));
    for (int i = 0; i < fe.n; i++) {
        errs[i] = fe.errors[i];
        if (strcmp(errs[i].field, f->domain_field) == 0) errs[i].field = f->field;
    }
    fe.errors = errs;
    if (fe.n > 0) fe.detail = NULL;
    ctx_clear_errors(&r->ctx);
    render_concern(r, id, 422, f, &fe);
}

/* ---- notifications ---- */

/* Where a notification's subject lives on the site; NULL when nowhere. */
static const char *subject_href(arena *a, const rec *n)
{
    static const char *const known[] = {"concerns", "organisations", "sharing-agreements",
                                        "actions", NULL};
    const char *entity = rec_text(n, "entity");
    long long id = rec_int(n, "entity_id", 0);
    for (int i = 0; entity && id && known[i]; i++)
        if (strcmp(known[i], entity) == 0) return arena_printf(a, "/%s/%lld", entity, id);
    return NULL;
}

/* GET /notifications: newest first, unread marked, each with a way to mark it read. */
static void page_notifications(struct req *r)
{
    arena *a = r->a;
    bool unread_only =
        nonempty(req_query(r, "unread")) && strcmp(req_query(r, "unread"), "true") == 0;
    const char *p = nonempty(req_query(r, "page"));
    long long page = p ? text_id(p) : 1;
    struct store_page pg;
    long long unread = 0;
    result res =
        notifications_list(&r->ctx, unread_only, page ? page : -1, CONCERNS_PER_PAGE, &pg, &unread);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<h1>Notifications</h1><p>%s</p>",
      unread == 0   ? "You have no unread notifications."
      : unread == 1 ? "You have 1 unread notification."
                    : arena_printf(a, "You have %lld unread notifications.", unread));
    if (unread_only)
        H(&b, "<p><a class=\"nhsuk-link\" href=\"/notifications\">Show all notifications</a></p>");
    else
        H(&b, "<p><a class=\"nhsuk-link\" href=\"/notifications?unread=true\">"
              "Show only unread notifications</a></p>");
    if (pg.nrows == 0) H(&b, "<p>There are no notifications here.</p>");
    H(&b, "<ul class=\"nhsuk-list\">");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *n = pg.rows[i];
        bool is_unread = rec_is_null(n, "read_at");
        const char *href = subject_href(a, n);
        H(&b, "<li class=\"nhsuk-card nhsuk-u-margin-bottom-3\"><div class=\"nhsuk-card__content\">"
              "<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\">");
        if (is_unread) H(&b, "<strong class=\"nhsuk-tag nhsuk-tag--blue\">New</strong> ");
        H(&b, "%s</p><p class=\"nhsuk-card__description\">%s</p>",
          ui_time(a, rec_text(n, "created_at")), rec_text(n, "message"));
        if (href) H(&b, "<p><a class=\"nhsuk-link\" href=\"%s\">Open it</a></p>", href);
        if (is_unread) {
            H(&b, "<form method=\"post\" action=\"/notifications/%lld/read\" novalidate>",
              rec_int(n, "id", 0));
            ui_hidden(&b, "csrf", r->ctx.actor->csrf);
            H(&b, "<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0\""
                  " data-module=\"nhsuk-button\" type=\"submit\">Mark as read</button></form>");
        }
        H(&b, "</div></li>");
    }
    H(&b, "</ul>");
    const char *base_html = unread_only ? "/notifications?unread=true&amp;" : "/notifications?";
    struct html_frag base = {base_html, strlen(base_html)};
    ui_pagination(&b, &base, page, (pg.total + CONCERNS_PER_PAGE - 1) / CONCERNS_PER_PAGE);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Notifications", "/notifications", &main);
}

/* POST /notifications/{id}/read: 303 back to the notifications. */
static void page_notification_read(struct req *r)
{
    long long id = path_id(r);
    if (!id) return;
    result res = notification_mark_read(&r->ctx, id, NULL);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    resp_redirect(r, "/notifications");
}

/* ---- deadline settings ---- */

/* The deadline lengths: a form for leads, a summary for everyone else. */
static void render_deadlines(struct req *r, int status, const struct form_errors *fe)
{
    arena *a = r->a;
    struct concern_deadlines d;
    result res = concern_deadlines_get(&r->ctx, &d);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    bool posted = req_method_is(r, "POST");
    buf b;
    buf_init(&b, a, 4096);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"/concerns\">Back to concerns</a>");
    ui_error_summary(&b, fe);
    H(&b, "<h1>Concern deadlines</h1><p>How long the owner of a concern has to acknowledge it,"
          " by severity, and then to resolve it. When a deadline passes the concern escalates"
          " one level up its chain. Write hours as <code>4h</code>, days as <code>5d</code>"
          " and working days (Monday to Friday) as <code>1wd</code>. Bank holidays are"
          " counted as working days.</p>");
    if (!is_lead(r->ctx.actor)) {
        H(&b, "<dl class=\"nhsuk-summary-list\">");
        for (int i = CONCERN_SEVERITIES - 1; i >= 0; i--)
            H(&b,
              "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s"
              "</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div>",
              ui_capital(a, concern_severities[i]), d.length[i]);
        H(&b, "</dl>");
    } else {
        H(&b, "<form method=\"post\" action=\"/settings/concern-deadlines\" novalidate>");
        ui_hidden(&b, "csrf", r->ctx.actor->csrf);
        for (int i = CONCERN_SEVERITIES - 1; i >= 0; i--) {
            const char *name = concern_severities[i];
            struct ui_field f = {name, name, NULL, form_error_for(fe, name),
                                 posted ? req_form(r, name) : d.length[i]};
            ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-5", true);
        }
        H(&b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
              "Save the deadlines</button></form>");
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Concern deadlines", "/concerns", &main);
}

/* GET /settings/concern-deadlines */
static void page_deadlines(struct req *r)
{
    render_deadlines(r, 200, NULL);
}

/* POST /settings/concern-deadlines: 303 back on success, 422 with the errors, 403 for others. */
static void page_deadlines_post(struct req *r)
{
    rec *in = rec_new(r->a);
    for (int i = 0; concern_severities[i]; i++) {
        const char *s = req_form(r, concern_severities[i]);
        if (s) rec_set_text(in, concern_severities[i], s);
    }
    result res = concern_deadlines_set(&r->ctx, in, NULL);
    if (form_post_done(r, res, "/settings/concern-deadlines")) return;
    struct form_errors fe = form_errors_refused(r);
    render_deadlines(r, 422, &fe);
}

/* "/concerns/new" comes before "/concerns/{id}": the router takes the first match. */
const struct route web_concern_routes[] = {
    {"GET", "/concerns", page_concerns, 0, NULL},
    {"GET", "/concerns/new", page_concern_new, 0, NULL},
    {"POST", "/concerns/new", page_concern_create, 0, NULL},
    {"GET", "/concerns/{id}", page_concern_show, 0, NULL},
    {"POST", "/concerns/{id}/acknowledge", page_concern_act, 0, &act_forms[0]},
    {"POST", "/concerns/{id}/resolve", page_concern_act, 0, &act_forms[1]},
    {"POST", "/concerns/{id}/close", page_concern_act, 0, &act_forms[2]},
    {"POST", "/concerns/{id}/notes", page_concern_act, 0, &act_forms[3]},
    {"GET", "/notifications", page_notifications, 0, NULL},
    {"POST", "/notifications/{id}/read", page_notification_read, 0, NULL},
    {"GET", "/settings/concern-deadlines", page_deadlines, 0, NULL},
    {"POST", "/settings/concern-deadlines", page_deadlines_post, 0, NULL},
};

const size_t web_concern_routes_len = sizeof web_concern_routes / sizeof web_concern_routes[0];
