/*
 * pages_referrals.c: the social prescribing pages' route table, the helpers
 * they share (pages_referrals_internal.h), and the two lists:
 *
 *   GET  /referrals                     the caseload: referrals my organisation made
 *   GET  /referrals/incoming            referrals to my organisation's services, with
 *                                       accept / waitlist inline and each service's capacity
 *   POST /referrals/incoming/capacity   set a service's places (service_capacity_set)
 *
 * The domain (referrals.h) decides what each actor sees; the lists only ask
 * for a queue. Leads and viewers get 404 here (they see aggregates only).
 */
#include "web/pages_referrals_internal.h"

#include "base/text.h"
#include "domain/dir_builtin.h"
#include "domain/dir_edit.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- shared helpers ---- */

/* See pages_referrals_internal.h. */
bool rp_allowed(struct req *r)
{
    const struct actor *a = r->ctx.actor;
    if (a && (a->role == ROLE_LINK_WORKER || a->role == ROLE_PROVIDER || a->role == ROLE_ADMIN))
        return true;
    web_error_page(r, 404, "Page not found", "There is nothing at this address.");
    return false;
}

/* See pages_referrals_internal.h. */
long long rp_path_id(struct req *r, int i)
{
    long long id = r->nparams > i ? text_id(r->params[i]) : 0;
    if (!id) web_error_page(r, 404, "Page not found", "There is nothing at this address.");
    return id;
}

/* See pages_referrals_internal.h. */
const char *rp_nonempty(const char *s)
{
    if (!s) return NULL;
    for (const char *p = s; *p; p++)
        if (!isspace((unsigned char)*p)) return s;
    return NULL;
}

/* See pages_referrals_internal.h. */
const char *rp_form(struct req *r, const char *name)
{
    return rp_nonempty(req_form(r, name));
}

/* See pages_referrals_internal.h. */
const char *rp_status_class(const char *status)
{
    static const char *const tags[][2] = {
        {"draft", "nhsuk-tag--grey"},          {"sent", "nhsuk-tag--blue"},
        {"accepted", "nhsuk-tag--aqua-green"}, {"waitlisted", "nhsuk-tag--yellow"},
        {"started", "nhsuk-tag--purple"},      {"completed", "nhsuk-tag--green"},
        {"declined", "nhsuk-tag--red"},        {"dropped_out", "nhsuk-tag--orange"},
        {"cancelled", "nhsuk-tag--grey"},
    };
    for (size_t i = 0; status && i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(tags[i][0], status) == 0) return tags[i][1];
    return "nhsuk-tag--grey";
}

/* See pages_referrals_internal.h. */
void rp_status_tag(buf *b, arena *a, const char *status)
{
    H(b, "<strong class=\"nhsuk-tag %s\">%s</strong>", rp_status_class(status),
      ui_choice_text(a, status));
}

/* See pages_referrals_internal.h. */
void rp_summary_row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* See pages_referrals_internal.h. */
void rp_summary_text(buf *b, const char *key, const char *text)
{
    buf v;
    buf_init(&v, b->a, 128);
    if (text && *text)
        rp_lines(&v, text);
    else
        H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">Not given</span>");
    struct html_frag f = html_frag_of(&v);
    rp_summary_row(b, key, &f);
}

/* See pages_referrals_internal.h. */
void rp_lines(buf *b, const char *s)
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

/* See pages_referrals_internal.h. */
const char *rp_term_name(const char *id)
{
    for (size_t i = 0; id && i < dir_ch_terms_len; i++)
        if (strcmp(dir_ch_terms[i].id, id) == 0) return dir_ch_terms[i].name;
    return id ? id : "";
}

/* See pages_referrals_internal.h. */
void rp_breadcrumbs(buf *b, const char *href, const char *text)
{
    H(b, "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
         "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
         "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
         "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
         " href=\"/referrals\">Referrals</a></li>");
    if (href)
        H(b,
          "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
          " href=\"%s\">%s</a></li>",
          href, text);
    H(b, "</ol></nav>");
}

/* See pages_referrals_internal.h. */
void rp_date_input(buf *b, struct req *r, const char *name, const char *legend, const char *hint,
                   const char *error, const char *ymd)
{
    struct ui_field f = {name, legend, hint, error, NULL};
    ui_fieldset_top(b, &f, " role=\"group\"");
    const char *parts[3] = {NULL, NULL, NULL};
    bool posted = req_method_is(r, "POST");
    static const char *const suffix[3] = {"day", "month", "year"};
    int y, m, d;
    if (ymd && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        parts[0] = arena_printf(r->a, "%d", d);
        parts[1] = arena_printf(r->a, "%d", m);
        parts[2] = arena_printf(r->a, "%d", y);
    } else if (posted) {
        for (int i = 0; i < 3; i++)
            parts[i] = req_form(r, arena_printf(r->a, "%s-%s", name, suffix[i]));
    }
    H(b, "<div class=\"nhsuk-date-input\" id=\"field-%s-group\">", name);
    static const char *const labels[3] = {"Day", "Month", "Year"};
    for (int i = 0; i < 3; i++) {
        buf id;
        buf_init(&id, b->a, 64);
        if (i == 0)
            H(&id, "field-%s", name);
        else
            H(&id, "field-%s-%s", name, suffix[i]);
        struct html_frag idf = html_frag_of(&id);
        H(b,
          "<div class=\"nhsuk-date-input__item\"><div class=\"nhsuk-form-group\">"
          "<label class=\"nhsuk-label nhsuk-date-input__label\" for=\"%H\">%s</label>"
          "<input class=\"nhsuk-input nhsuk-date-input__input nhsuk-input--width-%d%s\""
          " id=\"%H\" name=\"%s-%s\" type=\"text\" inputmode=\"numeric\"",
          &idf, labels[i], i == 2 ? 4 : 2, error ? " nhsuk-input--error" : "", &idf, name,
          suffix[i]);
        if (parts[i] && *parts[i]) H(b, " value=\"%s\"", parts[i]);
        H(b, "></div></div>");
    }
    H(b, "</div></fieldset></div>");
}

/* Is s all ASCII digits (and not empty)? */
static bool all_digits(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* See pages_referrals_internal.h. */
const char *rp_date_from_form(struct req *r, const char *name)
{
    const char *d = rp_form(r, arena_printf(r->a, "%s-day", name));
    const char *m = rp_form(r, arena_printf(r->a, "%s-month", name));
    const char *y = rp_form(r, arena_printf(r->a, "%s-year", name));
    if (!d && !m && !y) return NULL;
    if (all_digits(d) && all_digits(m) && all_digits(y) && strlen(d) <= 2 && strlen(m) <= 2 &&
        strlen(y) == 4)
        return arena_printf(r->a, "%s-%02d-%02d", y, atoi(m), atoi(d));
    return arena_printf(r->a, "%s-%s-%s", y ? y : "", m ? m : "", d ? d : "");
}

/* See pages_referrals_internal.h. */
void rp_rename_field(struct form_errors *fe, arena *a, const char *from, const char *to)
{
    if (!fe || fe->n == 0) return;
    struct field_error *errs = arena_alloc(a, sizeof *errs * (size_t)fe->n);
    for (int i = 0; i < fe->n; i++) {
        errs[i] = fe->errors[i];
        if (errs[i].field && strcmp(errs[i].field, from) == 0) errs[i].field = to;
    }
    fe->errors = errs;
}

/* ---- the lists ---- */

/* See pages_referrals_internal.h. */
void rp_referral_table(buf *b, struct req *r, const struct store_page *pg, bool incoming)
{
    arena *a = r->a;
    H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Referrals</caption>"
         "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Person</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Service</th>");
    H(b, "<th class=\"nhsuk-table__header\" scope=\"col\">%s</th>",
      incoming ? "Referred by" : "Provider");
    H(b, "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Updated</th>");
    if (incoming) H(b, "<th class=\"nhsuk-table__header\" scope=\"col\">Actions</th>");
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < pg->nrows; i++) {
        const rec *row = pg->rows[i];
        long long id = rec_int(row, "id", 0);
        const char *who = rec_text(row, "participant_name");
        const char *status = rec_text(row, "status");
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
          "<a class=\"nhsuk-link\" href=\"/referrals/%lld\">%s</a>",
          id, who ? who : arena_printf(a, "Referral #%lld", id));
        if (rec_text(row, "urgency") && strcmp(rec_text(row, "urgency"), "urgent") == 0)
            H(b, " <strong class=\"nhsuk-tag nhsuk-tag--red\">Urgent</strong>");
        H(b,
          "</td><td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
          "<td class=\"nhsuk-table__cell\">",
          rec_text(row, "service_name"),
          rec_text(row, incoming ? "referring_org_name" : "receiving_org_name"));
        rp_status_tag(b, a, status);
        if (rec_int(row, "waitlist_position", 0) > 0)
            H(b, " <span class=\"nhsuk-body-s\">(%lld in line)</span>",
              rec_int(row, "waitlist_position", 0));
        H(b, "</td><td class=\"nhsuk-table__cell\">%s</td>",
          ui_time(a, rec_text(row, "updated_at")));
        if (incoming) {
            H(b, "<td class=\"nhsuk-table__cell\">");
            bool sent = status && strcmp(status, "sent") == 0;
            bool waiting = status && strcmp(status, "waitlisted") == 0;
            static const char *const moves[][2] = {{"accepted", "Accept"},
                                                   {"waitlisted", "Waitlist"}};
            for (int k = 0; k < 2 && (sent || waiting); k++) {
                if (k == 1 && !sent) continue;
                H(b,
                  "<form method=\"post\" action=\"/referrals/%lld/transitions\" novalidate"
                  " class=\"chis-inline-form\">",
                  id);
                ui_hidden(b, "csrf", r->ctx.actor->csrf);
                ui_hidden(b, "to", moves[k][0]);
                H(b,
                  "<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                  " nhsuk-u-margin-bottom-1\" data-module=\"nhsuk-button\" type=\"submit\">%s"
                  "<span class=\"nhsuk-u-visually-hidden\"> referral #%lld</span></button>"
                  "</form>",
                  moves[k][1], id);
            }
            if (sent || waiting)
                H(b,
                  "<a class=\"nhsuk-link\" href=\"/referrals/%lld#decline\">Decline"
                  "<span class=\"nhsuk-u-visually-hidden\"> referral #%lld</span></a>",
                  id, id);
            H(b, "</td>");
        }
        H(b, "</tr>");
    }
    H(b, "</tbody></table></div>");
}

/* Status options for the filter: "Any status" then every status. */
static struct ui_option *status_options(arena *a, const char *current, bool drafts, int *n)
{
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (REFERRAL_NSTATUS + 1));
    int k = 0;
    opts[k++] = (struct ui_option){"", "Any status", !current};
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        const char *name = referral_status_name((enum referral_status)s);
        if (!drafts && s == REFERRAL_DRAFT) continue;
        opts[k++] = (struct ui_option){name, ui_choice_text(a, name),
                                       current && strcmp(current, name) == 0};
    }
    *n = k;
    return opts;
}

/* Links between the two lists, the current one marked. */
static void list_nav(buf *b, bool incoming)
{
    H(b, "<nav aria-label=\"Referral lists\"><ul class=\"nhsuk-list chis-subnav\">");
    if (incoming)
        H(b, "<li><a class=\"nhsuk-link\" href=\"/referrals\">Referrals we made</a></li>"
             "<li><strong aria-current=\"page\">Referrals to our services</strong></li>");
    else
        H(b, "<li><strong aria-current=\"page\">Referrals we made</strong></li>"
             "<li><a class=\"nhsuk-link\" href=\"/referrals/incoming\">Referrals to our"
             " services</a></li>");
    H(b, "<li><a class=\"nhsuk-link\" href=\"/participants\">People</a></li></ul></nav>");
}

/* The status filter form of a list. */
static void status_filter(buf *b, arena *a, const char *action, const char *status, bool drafts)
{
    H(b, "<form method=\"get\" action=\"%s\" novalidate>", action);
    int n;
    struct ui_option *opts = status_options(a, status, drafts, &n);
    struct ui_field f = {"status", "status", NULL, NULL, status};
    ui_select(b, &f, opts, n);
    H(b, "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
         " type=\"submit\">Filter</button></form>");
}

/* Read the list's query (status, page) into q; false and a 400 page when bad. */
static bool list_query(struct req *r, struct referral_query *q, const char *back)
{
    q->status = rp_nonempty(req_query(r, "status"));
    enum referral_status s;
    if (q->status && !referral_status_parse(q->status, &s)) {
        ctx_field_error(&r->ctx, "status", "Choose a status from the list");
        page_problem(r, 400, "There is a problem with the request", "Check what you asked for.",
                     back, "Back to the list");
        return false;
    }
    const char *p = rp_nonempty(req_query(r, "page"));
    q->page = p ? text_id(p) : 1;
    if (!q->page) {
        ctx_field_error(&r->ctx, "page", "The page must be a whole number of 1 or more");
        page_problem(r, 400, "There is a problem with the request", "Check what you asked for.",
                     back, "Back to the list");
        return false;
    }
    q->per_page = RP_PER_PAGE;
    return true;
}

/* The pagination of a list, keeping its status filter. */
static void list_pagination(buf *b, arena *a, const char *path, const struct referral_query *q,
                            long long total)
{
    buf base;
    buf_init(&base, a, 128);
    H(&base, "%s?", path);
    if (q->status) H(&base, "status=%U&amp;", q->status);
    struct html_frag bf = html_frag_of(&base);
    ui_pagination(b, &bf, q->page, (total + RP_PER_PAGE - 1) / RP_PER_PAGE);
}

/* The services of the actor's organisation (published, at most 100), for
 * the capacity section. Rows as dir_edit_services. */
static int own_services(struct req *r, rec ***out)
{
    struct ctx saved = r->ctx;
    struct dir_service_query q = {.state = "published", .page = 1, .per_page = 100};
    struct store_page pg;
    int n = 0;
    *out = NULL;
    if (dir_edit_services(&r->ctx, &q, &pg) == RES_OK) {
        *out = arena_alloc(r->a, sizeof **out * (size_t)(pg.nrows + 1));
        for (int i = 0; i < pg.nrows; i++)
            if (rec_int(pg.rows[i], "organisation_id", 0) == r->ctx.actor->org_id)
                (*out)[n++] = pg.rows[i];
    }
    r->ctx = saved;
    return n;
}

/*
 * The start of a group of a service's capacity form: the label (with
 * hidden, words naming the service for screen readers) and the error. The
 * control has id field-<field>-<rid>: one form per service on the page.
 */
static void capacity_group_top(buf *b, const char *field, long long rid, const char *label,
                               const char *hidden, const char *error)
{
    H(b,
      "<div class=\"nhsuk-form-group%s\"><label class=\"nhsuk-label\" for=\"field-%s-%lld\">%s"
      "<span class=\"nhsuk-u-visually-hidden\">%s</span></label>",
      error ? " nhsuk-form-group--error" : "", field, rid, label, hidden);
    if (error)
        H(b,
          "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">"
          "Error: </span>%s</span>",
          error);
}

/* Each of my organisation's services with its places, use and waitlist,
 * and a form to set its places. failed_rid: the service whose form failed. */
static void capacity_section(buf *b, struct req *r, const struct form_errors *fe,
                             long long failed_rid)
{
    arena *a = r->a;
    rec **svc;
    int n = own_services(r, &svc);
    H(b, "<h2 id=\"capacity\">Places on our services</h2>");
    if (n == 0) {
        H(b, "<p>Your organisation has no published services in the directory.</p>");
        return;
    }
    H(b, "<p>How many people each service can take: per cohort (accepted or started at once)"
         " or per week. A full service puts new referrals on its waiting list, in the order"
         " they were referred. Leave the places empty for no limit.</p>");
    for (int i = 0; i < n; i++) {
        const char *sid = rec_text(svc[i], "id"), *name = rec_text(svc[i], "name");
        long long rid = rec_int(svc[i], "rid", 0);
        struct service_capacity cap = {0};
        struct ctx saved = r->ctx;
        bool known = service_capacity_get(&r->ctx, sid, &cap) == RES_OK;
        r->ctx = saved;
        H(b,
          "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">"
          "<h3 class=\"nhsuk-card__heading nhsuk-heading-s\">%s</h3>",
          name);
        if (known && cap.places >= 0)
            H(b, "<p class=\"chis-capacity\">%lld of %lld places taken %s; %lld waiting</p>",
              cap.used, cap.places,
              cap.period && strcmp(cap.period, "week") == 0 ? "this week" : "in this cohort",
              cap.waitlisted);
        else if (known)
            H(b, "<p class=\"chis-capacity\">No limit on places; %lld taken now; %lld waiting</p>",
              cap.used, cap.waitlisted);
        bool failed = rid == failed_rid;
        const char *places_err = failed ? form_error_for(fe, "places") : NULL;
        const char *period_err = failed ? form_error_for(fe, "period") : NULL;
        const char *places = failed                     ? req_form(r, "places")
                             : known && cap.places >= 0 ? arena_printf(a, "%lld", cap.places)
                                                        : NULL;
        const char *period = failed ? req_form(r, "period") : known ? cap.period : NULL;
        H(b, "<form method=\"post\" action=\"/referrals/incoming/capacity\" novalidate>");
        ui_hidden(b, "csrf", r->ctx.actor->csrf);
        ui_hidden(b, "service_id", sid);
        ui_hidden(b, "rid", arena_printf(a, "%lld", rid));
        capacity_group_top(b, "places", rid, "Places", arena_printf(a, " on %s", name), places_err);
        H(b,
          "<input class=\"nhsuk-input nhsuk-input--width-4\" id=\"field-places-%lld\""
          " name=\"places\" type=\"text\" inputmode=\"numeric\" value=\"%s\"></div>",
          rid, places ? places : "");
        capacity_group_top(b, "period", rid, "Per", arena_printf(a, " (%s)", name), period_err);
        bool week = period && strcmp(period, "week") == 0;
        H(b,
          "<select class=\"nhsuk-select\" id=\"field-period-%lld\" name=\"period\">"
          "<option value=\"cohort\"%s>Cohort (at once)</option>"
          "<option value=\"week\"%s>Week</option></select></div>",
          rid, week ? "" : " selected", week ? " selected" : "");
        H(b,
          "<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0\""
          " data-module=\"nhsuk-button\" type=\"submit\">Save places<span"
          " class=\"nhsuk-u-visually-hidden\"> for %s</span></button></form></div></div>",
          name);
    }
}

/*
 * A list page: the referrals my organisation made (the caseload, newest
 * first), or those made to its services (incoming, with the capacity
 * section below; fe and failed_rid for a capacity form that failed).
 */
static void render_list(struct req *r, bool incoming, int status, const struct form_errors *fe,
                        long long failed_rid)
{
    arena *a = r->a;
    const char *path = incoming ? "/referrals/incoming" : "/referrals";
    struct referral_query q = {.queue = incoming ? REFERRALS_INCOMING : REFERRALS_OUTGOING};
    if (!list_query(r, &q, path)) return;
    struct store_page pg;
    result res = referral_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 16384);
    ui_error_summary(&b, fe);
    if (incoming)
        H(&b, "<h1>Referrals to our services</h1><p>People referred to your organisation's"
              " services. Accept them, put them on the waiting list, or decline with a"
              " reason.</p>");
    else
        H(&b, "<h1>Referrals</h1><p>The people your organisation has referred to creative"
              " health services, and where each referral has got to.</p>"
              "<div class=\"nhsuk-button-group\"><a class=\"nhsuk-button\""
              " href=\"/referrals/new\">Refer someone</a><a class=\"nhsuk-button"
              " nhsuk-button--secondary\" href=\"/participants/new\">Add a person</a></div>");
    list_nav(&b, incoming);
    status_filter(&b, a, path, q.status, !incoming);
    if (pg.total == 0)
        H(&b, "<p>There are no referrals here.</p>");
    else {
        H(&b, "<p class=\"nhsuk-body-s\">%s %s</p>", ui_number(a, pg.total),
          pg.total == 1 ? "referral" : "referrals");
        rp_referral_table(&b, r, &pg, incoming);
    }
    list_pagination(&b, a, path, &q, pg.total);
    if (incoming) capacity_section(&b, r, fe, failed_rid);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, incoming ? "Referrals to our services" : "Referrals", RP_SECTION, &main);
}

/* GET /referrals */
static void page_caseload(struct req *r)
{
    if (rp_allowed(r)) render_list(r, false, 200, NULL, 0);
}

/* GET /referrals/incoming */
static void page_incoming(struct req *r)
{
    if (rp_allowed(r)) render_list(r, true, 200, NULL, 0);
}

/* POST /referrals/incoming/capacity: 303 back to the list, or it again (422). */
static void page_capacity_post(struct req *r)
{
    if (!rp_allowed(r)) return;
    const char *sid = rp_form(r, "service_id");
    const char *places_s = rp_form(r, "places");
    long long rid = text_id(req_form(r, "rid"));
    long long places = -1;
    if (!sid) {
        web_error_page(r, 404, "Page not found", "There is no such service.");
        return;
    }
    if (places_s) {
        char *end = NULL;
        long long v = strtoll(places_s, &end, 10);
        if (!end || *end || v < 0 || v > 100000) {
            ctx_field_error(&r->ctx, "places",
                            "Enter the number of places as a whole number,"
                            " or leave it empty for no limit");
            struct form_errors fe = form_errors_refused(r);
            render_list(r, true, 422, &fe, rid);
            return;
        }
        places = v;
    }
    struct service_capacity cap;
    result res = service_capacity_set(&r->ctx, sid, places, rp_form(r, "period"), &cap);
    if (form_post_done(r, res, "/referrals/incoming#capacity")) return;
    struct form_errors fe = form_errors_refused(r);
    render_list(r, true, 422, &fe, rid);
}

/* "/referrals/new" and "/referrals/incoming" come before "/referrals/{id}". */
const struct route web_referral_routes[] = {
    {"GET", "/referrals", page_caseload, 0, NULL},
    {"GET", "/referrals/incoming", page_incoming, 0, NULL},
    {"POST", "/referrals/incoming/capacity", page_capacity_post, 0, NULL},
    {"GET", "/referrals/new", rp_page_referral_new, 0, NULL},
    {"POST", "/referrals/new", rp_page_referral_create, 0, NULL},
    {"GET", "/referrals/{id}", rp_page_referral_show, 0, NULL},
    {"POST", "/referrals/{id}/transitions", rp_page_transition, 0, NULL},
    {"POST", "/referrals/{id}/outcomes", rp_page_outcome_post, 0, NULL},
    {"POST", "/referrals/{id}/attendance", rp_page_attendance, 0, NULL},
    {"POST", "/referrals/{id}/goals", rp_page_goal_add, 0, NULL},
    {"POST", "/referrals/{id}/goals/{goal}/ratings", rp_page_goal_rate, 0, NULL},
    {"POST", "/referrals/{id}/stories", rp_page_story_add, 0, NULL},
    {"POST", "/referrals/{id}/messages", rp_page_message_add, 0, NULL},
    {"POST", "/referrals/{id}/links", rp_page_link_create, 0, NULL},
    {"GET", "/referrals/{id}/feedback", rp_page_feedback, 0, NULL},
    {"GET", "/participants", rp_page_participants, 0, NULL},
    {"GET", "/participants/new", rp_page_participant_new, 0, NULL},
    {"POST", "/participants/new", rp_page_participant_create, 0, NULL},
    {"GET", "/participants/{id}", rp_page_participant_show, 0, NULL},
    {"POST", "/participants/{id}/consents", rp_page_consent_post, 0, NULL},
};

const size_t web_referral_routes_len = sizeof web_referral_routes / sizeof web_referral_routes[0];
