/*
 * pages_views.c: the governance pages, server-rendered from the views in
 * domain/views.h:
 *
 *   GET /governance                   the hub: where each part of governance lives
 *   GET /compliance                   every organisation's policy compliance
 *   GET /accountability/chains        lines of accountability drawn as trees
 *   GET /sharing-agreements/expiring  agreements due for review
 *   GET /digest                       the one-page summary for a place
 *
 * Filters are GET forms, so every view has an address to share and works
 * without JavaScript. A bad filter is answered 400 with the form again and
 * an error summary linking to the field.
 */
#include "base/text.h"
#include "domain/governance.h"
#include "domain/structure.h"
#include "domain/views.h"
#include "web/layout.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#define SECTION "/governance"

/* ---- helpers ---- */

/*
 * Returns the query parameter name as a positive id: 0 when absent or
 * empty, -1 with a field error (the message naming label) when malformed.
 */
static long long query_id(struct req *r, const char *name, const char *label)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return 0;
    long long v = text_id(s);
    if (v) return v;
    ctx_field_error(&r->ctx, name, "The %s must be chosen from the list", label);
    return -1;
}

/* Returns the query parameter name, or NULL when absent or empty. */
static const char *query_text(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    return s && *s ? s : NULL;
}

/*
 * Returns a YYYY-MM-DD date as "26 November 2026" in arena a, or the text
 * itself when it does not parse.
 */
static const char *ui_date(arena *a, const char *date)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, d;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) return date;
    return arena_printf(a, "%d %s %d", d, months[m - 1], y);
}

/* Writes the breadcrumb Home > Governance (and a back link to the hub). */
static void crumbs(buf *b)
{
    H(b, "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
         "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
         "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
         "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
         " href=\"/governance\">Governance</a></li></ol>"
         "<a class=\"nhsuk-back-link\" href=\"/governance\">"
         "<span class=\"nhsuk-u-visually-hidden\">Back to </span>Governance</a></nav>");
}

/*
 * Writes a select of the places named name, "any" first (its text any_text),
 * cur selected. When the places cannot be listed, a numeric input instead.
 */
static void place_select(struct req *r, buf *b, const char *name, const char *any_text,
                         long long cur, const struct form_errors *fe)
{
    arena *a = r->a;
    struct ctx saved = r->ctx;
    ctx_clear_errors(&r->ctx);
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page pg = {0};
    result res = entity_list(&r->ctx, &entity_places, &q, &pg);
    r->ctx = saved;
    struct ui_field f = {name, "place", NULL, form_error_for(fe, name), NULL};
    if (res != RES_OK) {
        f.value = cur > 0 ? arena_printf(a, "%lld", cur) : NULL;
        ui_input(b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
        return;
    }
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(pg.nrows + 1));
    opts[0] = (struct ui_option){"", any_text, cur <= 0};
    for (int i = 0; i < pg.nrows; i++) {
        long long id = rec_int(pg.rows[i], "id", 0);
        opts[i + 1] = (struct ui_option){arena_printf(a, "%lld", id), rec_text(pg.rows[i], "name"),
                                         id == cur};
    }
    ui_select(b, &f, opts, pg.nrows + 1);
}

/*
 * Writes a select over a fixed NULL-terminated list of values, "any" first
 * (its text any_text), cur selected; texts from ui_choice_text unless texts
 * is given (then parallel to values).
 */
static void fixed_select(buf *b, arena *a, const char *name, const char *label,
                         const char *any_text, const char *const *values, const char *const *texts,
                         const char *cur, const char *error)
{
    int n = 0;
    while (values[n])
        n++;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(n + 1));
    opts[0] = (struct ui_option){"", any_text, !cur};
    for (int i = 0; i < n; i++)
        opts[i + 1] = (struct ui_option){values[i], texts ? texts[i] : ui_choice_text(a, values[i]),
                                         cur && strcmp(cur, values[i]) == 0};
    struct ui_field f = {name, label, NULL, error, cur};
    ui_select(b, &f, opts, n + 1);
}

/* Writes the submit button of a filter form, with a link clearing the filters when any is set. */
static void filter_buttons(buf *b, const char *path, bool filtered)
{
    H(b, "<div class=\"nhsuk-button-group\">"
         "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
         " type=\"submit\">Show</button>");
    if (filtered) H(b, "<a class=\"nhsuk-link\" href=\"%s\">Clear filters</a>", path);
    H(b, "</div>");
}

static const char *const status_values[] = {"compliant", "expiring", "non_compliant", NULL};
static const char *const status_texts[] = {"Compliant", "Expiring", "Not compliant", NULL};

/* Writes an NHS.UK tag for a compliance status: green, yellow or red. */
static void status_tag(buf *b, enum compliance_status s)
{
    static const char *const colours[] = {"green", "yellow", "red"};
    H(b, "<strong class=\"nhsuk-tag nhsuk-tag--%s\">%s</strong>", colours[s], status_texts[s]);
}

/* Writes the policy domains as readable words joined by commas; "None" (muted) when n is 0. */
static void domain_words(buf *b, arena *a, const char *const *domains, int n)
{
    if (n == 0) {
        H(b, "<span class=\"nhsuk-u-secondary-text-colour\">None</span>");
        return;
    }
    for (int i = 0; i < n; i++)
        H(b, "%s%s", i ? ", " : "", ui_choice_text(a, domains[i]));
}

/* Writes an NHS.UK tag saying when an agreement is due: overdue (red), today, or in N days. */
static void due_tag(buf *b, long long days_left)
{
    if (days_left < 0)
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--red\">Overdue by %lld day%s</strong>",
          -days_left, days_left == -1 ? "" : "s");
    else if (days_left == 0)
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--orange\">Due today</strong>");
    else
        H(b, "<strong class=\"nhsuk-tag nhsuk-tag--yellow\">Due in %lld day%s</strong>", days_left,
          days_left == 1 ? "" : "s");
}

/* Writes an agreement's parties as links to their organisations, joined by commas. */
static void party_links(buf *b, const struct agreement_due *a)
{
    for (int k = 0; k < a->nparties; k++)
        H(b, "%s<a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a>", k ? ", " : "",
          a->party_ids[k], a->party_names[k]);
}

/* ---- GET /governance ---- */

/* Writes one clickable card of the hub. */
static void hub_card(buf *b, const char *href, const char *title, const char *description)
{
    H(b,
      "<li class=\"nhsuk-grid-column-one-half nhsuk-card-group__item\">"
      "<div class=\"nhsuk-card nhsuk-card--clickable\"><div class=\"nhsuk-card__content\">"
      "<h2 class=\"nhsuk-card__heading nhsuk-heading-m\">"
      "<a class=\"nhsuk-card__link\" href=\"%s\">%s</a></h2>"
      "<p class=\"nhsuk-card__description\">%s</p></div></div></li>",
      href, title, description);
}

/* GET /governance: links to every part of governance, with the numbers that need attention. */
static void page_governance(struct req *r)
{
    arena *a = r->a;
    struct digest d;
    result res = digest_build(&r->ctx, 0, false, &d);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    long long open = 0;
    for (int i = 0; digest_severities[i]; i++)
        open += d.open_by_severity[i];
    buf b;
    buf_init(&b, a, 8192);
    H(&b, "<h1>Governance</h1><p class=\"nhsuk-body-l\">How the partnership keeps Creative"
          " Health safe and well run: providers' policies, who is accountable to whom,"
          " how information is shared, and the concerns raised.</p>"
          "<ul class=\"nhsuk-grid-row nhsuk-card-group\">");
    hub_card(&b, "/policies", "Policies",
             "Each organisation's policies for quality assurance, working standards,"
             " safeguarding and data management, and when each is due for review.");
    hub_card(&b, "/compliance", "Compliance",
             arena_printf(a,
                          "Whether each organisation's policies are in order: %lld compliant,"
                          " %lld expiring within %d days, %lld not compliant.",
                          d.compliance[COMPLIANCE_COMPLIANT], d.compliance[COMPLIANCE_EXPIRING],
                          COMPLIANCE_WINDOW_DAYS, d.compliance[COMPLIANCE_NON_COMPLIANT]));
    hub_card(&b, "/accountability", "Lines of accountability",
             "The person each organisation is accountable to, in each domain: safeguarding,"
             " quality, data, capacity and general.");
    hub_card(&b, "/accountability/chains", "Chains of accountability",
             "The lines followed upward, organisation by organisation, to the top.");
    hub_card(&b, "/sharing-agreements", "Sharing agreements",
             "Information sharing agreements between organisations, their purpose and"
             " lawful basis.");
    hub_card(&b, "/sharing-agreements/expiring", "Agreements due for review",
             arena_printf(a, "%d agreement%s due for review within %d days, or overdue.",
                          d.nagreements, d.nagreements == 1 ? "" : "s", DIGEST_DUE_DAYS));
    hub_card(&b, "/concerns", "Concerns",
             arena_printf(a,
                          "Concerns raised about organisations and how they are escalated:"
                          " %lld open.",
                          open));
    hub_card(&b, "/digest", "Digest",
             "Information flow from leaders to grass roots: a one-page summary for each place.");
    H(&b, "</ul>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Governance", SECTION, &main);
}

/* ---- GET /compliance ---- */

/* GET /compliance: the compliance table, filtered by place and status. */
static void page_compliance(struct req *r)
{
    arena *a = r->a;
    long long place_id = query_id(r, "place_id", "place");
    const char *status = query_text(r, "status");
    struct compliance_row *rows = NULL;
    int n = 0, status_code = 200;
    struct form_errors fe = {0};
    result res =
        r->ctx.nerrors ? RES_INVALID : compliance_overview(&r->ctx, place_id, status, &rows, &n);
    if (!page_read_result(r, res, &fe, &status_code)) return;
    const struct actor *who = r->ctx.actor;
    bool provider = who && who->role == ROLE_PROVIDER;

    buf b;
    buf_init(&b, a, 16384);
    crumbs(&b);
    ui_error_summary(&b, &fe);
    H(&b,
      "<h1>Compliance</h1><p>An organisation is compliant when it has a current policy for"
      " each of quality assurance, working standards, safeguarding and data management."
      " A policy is expiring when its review is due within %d days, and expired when the"
      " review date has passed. Insurance and background checks are recorded but not"
      " required.</p>",
      COMPLIANCE_WINDOW_DAYS);
    if (provider)
        H(&b, "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">"
              "Information: </span><p>You see your own organisation only.</p></div>");
    H(&b, "<form method=\"get\" action=\"/compliance\" novalidate><div class=\"nhsuk-grid-row\">"
          "<div class=\"nhsuk-grid-column-one-half\">");
    place_select(r, &b, "place_id", "Every place", place_id, &fe);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-half\">");
    fixed_select(&b, a, "status", "status", "Any status", status_values, status_texts, status,
                 form_error_for(&fe, "status"));
    H(&b, "</div></div>");
    filter_buttons(&b, "/compliance", place_id || status);
    H(&b, "</form>");

    if (status_code == 200) {
        long long counts[3] = {0};
        for (int i = 0; i < n; i++)
            counts[rows[i].c.status]++;
        if (n == 0)
            H(&b, "<p>No organisations match.</p>");
        else
            H(&b, "<p>%d organisation%s: %lld compliant, %lld expiring, %lld not compliant.</p>", n,
              n == 1 ? "" : "s", counts[0], counts[1], counts[2]);
    }
    if (n > 0) {
        H(&b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
              "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Compliance of"
              " each organisation</caption><thead class=\"nhsuk-table__head\">"
              "<tr class=\"nhsuk-table__row\">"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Organisation</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Missing</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Expired</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Expiring</th>"
              "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < n; i++) {
            const struct compliance *c = &rows[i].c;
            const char *name = rows[i].name
                                   ? rows[i].name
                                   : arena_printf(a, "Organisation %lld", c->organisation_id);
            H(&b,
              "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">"
              "<a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a><br>"
              "<a class=\"nhsuk-link nhsuk-body-s\" href=\"/policies?organisation_id=%lld\">"
              "Policies<span class=\"nhsuk-u-visually-hidden\"> of %s</span></a></th>"
              "<td class=\"nhsuk-table__cell\">",
              c->organisation_id, name, c->organisation_id, name);
            status_tag(&b, c->status);
            H(&b, "</td><td class=\"nhsuk-table__cell\">");
            domain_words(&b, a, c->missing, c->nmissing);
            H(&b, "</td><td class=\"nhsuk-table__cell\">");
            domain_words(&b, a, c->expired, c->nexpired);
            H(&b, "</td><td class=\"nhsuk-table__cell\">");
            domain_words(&b, a, c->expiring, c->nexpiring);
            H(&b, "</td></tr>");
        }
        H(&b, "</tbody></table></div>");
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status_code, "Compliance", SECTION, &main);
}

/* ---- GET /accountability/chains ---- */

/* What drawing one domain's tree needs: its chains and which have been drawn. */
struct tree {
    struct req *r;
    const struct chain *chains; /* the domain's, by organisation name */
    int n;
    bool *drawn;
};

/*
 * Writes, as a nested list, the organisations whose lines lead to a person
 * in organisation org, each followed by those accountable to it in turn.
 * depth guards against loops (which the rules forbid, but data loaded by
 * hand might hold).
 */
static void draw_below(struct tree *t, buf *b, long long org, int depth)
{
    bool any = false;
    for (int i = 0; i < t->n; i++) {
        const struct chain *ch = &t->chains[i];
        if (t->drawn[i] || ch->steps[0].person_organisation_id != org) continue;
        if (!any) H(b, "<ul class=\"nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0\">");
        any = true;
        t->drawn[i] = true;
        const struct chain_step *s = &ch->steps[0];
        H(b,
          "<li><a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a>"
          " <span class=\"nhsuk-u-secondary-text-colour\">is accountable to</span>"
          " <a class=\"nhsuk-link\" href=\"/people/%lld\">%s</a>",
          ch->organisation_id, ch->organisation_name, s->person_id, s->person_name);
        if (depth < CHAIN_MAX_STEPS) draw_below(t, b, ch->organisation_id, depth + 1);
        H(b, "</li>");
    }
    if (any) H(b, "</ul>");
}

/*
 * Writes one domain's chains as trees: each top organisation (one that
 * others answer to but that has no line of its own) with everything that
 * leads up to it below; then any lines going round in a loop, as text.
 */
static void draw_domain(struct req *r, buf *b, const char *domain, const struct chain *chains,
                        int n)
{
    arena *a = r->a;
    H(b, "<h2>%s</h2>", ui_choice_text(a, domain));
    if (n == 0) {
        H(b, "<p>No organisation has a line of accountability for %s yet.</p>", domain);
        return;
    }
    struct tree t = {r, chains, n, arena_alloc(a, sizeof(bool) * (size_t)n)};
    H(b, "<p>%d organisation%s %s a line of accountability for %s.</p>", n, n == 1 ? "" : "s",
      n == 1 ? "has" : "have", domain);
    H(b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
    for (int i = 0; i < n; i++) {
        const struct chain_step *s = &chains[i].steps[0];
        long long top = s->person_organisation_id;
        bool has_line = false, seen = false;
        for (int k = 0; k < n && !has_line; k++)
            has_line = chains[k].organisation_id == top;
        for (int k = 0; k < i && !seen; k++)
            seen = chains[k].steps[0].person_organisation_id == top;
        if (has_line || seen) continue;
        H(b,
          "<li><a class=\"nhsuk-link\" href=\"/organisations/%lld\"><strong>%s</strong></a>"
          " <span class=\"nhsuk-u-secondary-text-colour\">(at the top)</span>",
          top, s->person_organisation_name);
        draw_below(&t, b, top, 1);
        H(b, "</li>");
    }
    H(b, "</ul>");
    bool loop = false;
    for (int i = 0; i < n; i++) {
        if (t.drawn[i]) continue;
        if (!loop)
            H(b, "<div class=\"nhsuk-warning-callout\"><h3 class=\"nhsuk-warning-callout__label\">"
                 "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>"
                 "These lines go round in a loop</span></h3><p>Change one of them so that the"
                 " chain reaches the top.</p><ul class=\"nhsuk-list nhsuk-list--bullet\">");
        loop = true;
        H(b, "<li>");
        for (int k = 0; k < chains[i].nsteps && k < 6; k++)
            H(b, "%s%s", k ? " &rarr; " : "", chains[i].steps[k].person_organisation_name);
        H(b, "%s</li>", chains[i].nsteps > 6 ? " &rarr; &hellip;" : "");
        t.drawn[i] = true;
    }
    if (loop) H(b, "</ul></div>");
}

/* GET /accountability/chains: the chains of each domain (or the one chosen) as trees. */
static void page_chains(struct req *r)
{
    arena *a = r->a;
    const char *domain = query_text(r, "domain");
    struct chain *chains = NULL;
    int n = 0, status_code = 200;
    struct form_errors fe = {0};
    result res = accountability_chains(&r->ctx, domain, &chains, &n);
    if (!page_read_result(r, res, &fe, &status_code)) return;
    buf b;
    buf_init(&b, a, 16384);
    crumbs(&b);
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Chains of accountability</h1><p>Each organisation is accountable, in each"
          " domain, to a named person in another organisation, who in turn may be accountable"
          " further up. Concerns are escalated along these chains. Under each organisation at"
          " the top are those accountable to it, and under them those accountable to them.</p>"
          "<p><a class=\"nhsuk-link\" href=\"/accountability\">See or change the lines of"
          " accountability</a></p>"
          "<form method=\"get\" action=\"/accountability/chains\" novalidate>"
          "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-one-half\">");
    fixed_select(&b, a, "domain", "domain", "Every domain", accountability_domains, NULL,
                 status_code == 200 ? domain : NULL, form_error_for(&fe, "domain"));
    H(&b, "</div></div>");
    filter_buttons(&b, "/accountability/chains", domain != NULL);
    H(&b, "</form>");
    if (status_code == 200) {
        int i = 0;
        for (int d = 0; accountability_domains[d]; d++) {
            if (domain && strcmp(domain, accountability_domains[d]) != 0) continue;
            int start = i;
            while (i < n && strcmp(chains[i].domain, accountability_domains[d]) == 0)
                i++;
            draw_domain(r, &b, accountability_domains[d], chains + start, i - start);
        }
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status_code, "Chains of accountability", SECTION, &main);
}

/* ---- GET /sharing-agreements/expiring ---- */

/* Writes the table of agreements due (n > 0). */
static void agreements_table(struct req *r, buf *b, const struct agreement_due *due, int n)
{
    arena *a = r->a;
    H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Sharing agreements"
         " due for review</caption><thead class=\"nhsuk-table__head\">"
         "<tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Agreement</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Review date</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Parties</th>"
         "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < n; i++) {
        H(b,
          "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">"
          "<a class=\"nhsuk-link\" href=\"/sharing-agreements/%lld\">%s</a></th>"
          "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
          due[i].id, due[i].title, ui_date(a, due[i].review_date));
        due_tag(b, due[i].days_left);
        H(b, "</td><td class=\"nhsuk-table__cell\">");
        party_links(b, &due[i]);
        H(b, "</td></tr>");
    }
    H(b, "</tbody></table></div>");
}

/* GET /sharing-agreements/expiring: agreements due for review within days (30), or overdue. */
static void page_agreements_due(struct req *r)
{
    arena *a = r->a;
    const char *days_text = query_text(r, "days");
    long long days = 30;
    if (days_text) {
        days = strcmp(days_text, "0") == 0 ? 0 : text_id(days_text);
        if (days == 0 && strcmp(days_text, "0") != 0) {
            ctx_field_error(&r->ctx, "days", "Enter the number of days as a whole number, like 30");
            days = -1;
        }
    }
    long long place_id = query_id(r, "place_id", "place");
    struct agreement_due *due = NULL;
    int n = 0, status_code = 200;
    struct form_errors fe = {0};
    result res =
        r->ctx.nerrors ? RES_INVALID : sharing_agreements_due(&r->ctx, days, place_id, &due, &n);
    if (!page_read_result(r, res, &fe, &status_code)) return;
    buf b;
    buf_init(&b, a, 8192);
    crumbs(&b);
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Sharing agreements due for review</h1><p>Information sharing agreements whose"
          " review date has passed or falls within the days chosen. <a class=\"nhsuk-link\""
          " href=\"/sharing-agreements\">See every sharing agreement</a>.</p>"
          "<form method=\"get\" action=\"/sharing-agreements/expiring\" novalidate>"
          "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-one-half\">");
    struct ui_field f = {"days", "within how many days", "From 0 to 3650; 0 shows overdue only",
                         form_error_for(&fe, "days"), days_text ? days_text : "30"};
    ui_input(&b, &f, "text", "off", "numeric", "nhsuk-input--width-4", false);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-half\">");
    place_select(r, &b, "place_id", "Every place", place_id, &fe);
    H(&b, "</div></div>");
    filter_buttons(&b, "/sharing-agreements/expiring", days_text || place_id);
    H(&b, "</form>");
    if (status_code == 200) {
        if (n == 0)
            H(&b, "<p>No agreements are due for review within %lld days.</p>", days);
        else
            H(&b, "<p>%d agreement%s due for review within %lld days, or overdue.</p>", n,
              n == 1 ? " is" : "s are", days);
        if (n > 0) agreements_table(r, &b, due, n);
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status_code, "Sharing agreements due for review", SECTION, &main);
}

/* ---- GET /digest ---- */

/* Writes one row of a summary list: key, then a value already written as markup. */
static void summary_row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* Writes the digest's sections: concerns, compliance, overdue actions, connections, agreements. */
static void digest_sections(struct req *r, buf *b, const struct digest *d)
{
    arena *a = r->a;
    const char *place_q = d->place_id ? arena_printf(a, "?place_id=%lld", d->place_id) : "";
    long long open = 0;
    for (int i = 0; digest_severities[i]; i++)
        open += d->open_by_severity[i];

    H(b, "<h2>Concerns</h2><p>%lld concern%s open or acknowledged about organisations%s.</p>", open,
      open == 1 ? " is" : "s are", d->place_id ? " serving this place" : "");
    H(b, "<dl class=\"nhsuk-summary-list\">");
    for (int i = 0; digest_severities[i]; i++) {
        buf v;
        buf_init(&v, a, 32);
        H(&v, "%lld", d->open_by_severity[i]);
        struct html_frag vf = html_frag_of(&v);
        summary_row(b, ui_choice_text(a, digest_severities[i]), &vf);
    }
    H(b, "</dl><p><a class=\"nhsuk-link\" href=\"/concerns\">See the concerns</a></p>");

    H(b, "<h2>Compliance</h2><dl class=\"nhsuk-summary-list\">");
    for (int s = COMPLIANCE_COMPLIANT; s <= COMPLIANCE_NON_COMPLIANT; s++) {
        buf v;
        buf_init(&v, a, 128);
        status_tag(&v, (enum compliance_status)s);
        H(&v, " %lld organisation%s", d->compliance[s], d->compliance[s] == 1 ? "" : "s");
        struct html_frag vf = html_frag_of(&v);
        summary_row(b, status_texts[s], &vf);
    }
    H(b,
      "</dl><p><a class=\"nhsuk-link\" href=\"/compliance%s\">See compliance by"
      " organisation</a></p>",
      place_q);

    H(b, "<h2>Overdue actions</h2>");
    if (d->noverdue == 0) {
        H(b, "<p>No actions are overdue.</p>");
    } else {
        H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
             "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Overdue actions"
             "</caption><thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Action</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Was due</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Owner</th>"
             "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < d->noverdue; i++) {
            const struct digest_action *x = &d->overdue[i];
            H(b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"/actions/%lld\">%s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"/people/%lld\">%s</a></td></tr>",
              x->id, x->title, ui_date(a, x->due_date), x->owner_person_id,
              x->owner_name ? x->owner_name : arena_printf(a, "Person %lld", x->owner_person_id));
        }
        H(b, "</tbody></table></div>");
    }

    H(b, "<h2>New connections</h2>");
    if (d->nconnections == 0) {
        H(b, "<p>No connections between organisations were recorded in the last %d days.</p>",
          DIGEST_NEW_DAYS);
    } else {
        H(b, "<p>Recorded in the last %d days.</p><ul class=\"nhsuk-list nhsuk-list--bullet\">",
          DIGEST_NEW_DAYS);
        for (int i = 0; i < d->nconnections; i++) {
            const struct digest_connection *k = &d->connections[i];
            H(b,
              "<li><a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a> with"
              " <a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a>:"
              " <a class=\"nhsuk-link\" href=\"/connections/%lld\">%s</a>, from %s</li>",
              k->from_organisation_id, k->from_name, k->to_organisation_id, k->to_name, k->id,
              ui_choice_text(a, k->kind), ui_date(a, k->start_date));
        }
        H(b, "</ul>");
    }

    H(b, "<h2>Sharing agreements due for review</h2>");
    if (d->nagreements == 0) {
        H(b, "<p>No agreements are due for review within %d days.</p>", DIGEST_DUE_DAYS);
    } else {
        H(b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
        for (int i = 0; i < d->nagreements; i++) {
            const struct agreement_due *x = &d->agreements[i];
            H(b,
              "<li><a class=\"nhsuk-link\" href=\"/sharing-agreements/%lld\">%s</a>, review"
              " date %s ",
              x->id, x->title, ui_date(a, x->review_date));
            due_tag(b, x->days_left);
            H(b, "</li>");
        }
        H(b, "</ul>");
    }
}

/* GET /digest: the one-page summary for a place (or the whole system). */
static void page_digest(struct req *r)
{
    arena *a = r->a;
    long long place_id = query_id(r, "place_id", "place");
    struct digest d = {0};
    int status_code = 200;
    struct form_errors fe = {0};
    result res = r->ctx.nerrors ? RES_INVALID : digest_build(&r->ctx, place_id, true, &d);
    if (!page_read_result(r, res, &fe, &status_code)) return;
    const char *where = status_code == 200 && d.place_name ? d.place_name : "The whole system";
    buf b;
    buf_init(&b, a, 16384);
    crumbs(&b);
    ui_error_summary(&b, &fe);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">Digest"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>"
      "<p class=\"nhsuk-body-l\">Information flow from leaders to grass roots: what needs"
      " attention, as of %s.</p>",
      where, ui_date(a, arena_strndup(a, r->ctx.now_iso, 10)));
    H(&b, "<form method=\"get\" action=\"/digest\" novalidate><div class=\"nhsuk-grid-row\">"
          "<div class=\"nhsuk-grid-column-one-half\">");
    place_select(r, &b, "place_id", "The whole system", place_id, &fe);
    H(&b, "</div></div>");
    filter_buttons(&b, "/digest", false);
    H(&b, "</form>");
    if (status_code == 200) digest_sections(r, &b, &d);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status_code,
                status_code == 200 ? arena_printf(a, "Digest: %s", where) : "Digest", SECTION,
                &main);
}

const struct route web_view_routes[] = {
    {"GET", "/governance", page_governance, 0, NULL},
    {"GET", "/compliance", page_compliance, 0, NULL},
    {"GET", "/accountability/chains", page_chains, 0, NULL},
    {"GET", "/sharing-agreements/expiring", page_agreements_due, 0, NULL},
    {"GET", "/digest", page_digest, 0, NULL},
};
const size_t web_view_routes_len = sizeof web_view_routes / sizeof web_view_routes[0];
