/*
 * pages_reports.c: the outcomes report as a page (domain/reports.h):
 *
 *   GET /reports/outcomes?service_id|organisation_id|place_id|neighbourhood_id&from&to
 *
 * A GET form chooses the scope and dates, so every report has an address
 * to share and the page works without JavaScript. The figures are tables
 * (suppressed cells read "fewer than 5"); the charts are images of the API's
 * chart route, each described in words by its own <desc> and repeated in
 * the tables; the CSV download is the API's CSV. A bad parameter is
 * answered 400 with the form again and an error summary linking to it.
 */
#include "base/text.h"
#include "domain/measures.h"
#include "domain/reports.h"
#include "domain/structure.h"
#include "web/layout.h"
#include "web/web.h"

#include <math.h>
#include <string.h>

#define SECTION "/reports/outcomes"
#define FEWER "fewer than 5"

/* ---- reading the form ---- */

/* Returns the query parameter name, or NULL when absent or empty. */
static const char *query_text(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    return s && *s ? s : NULL;
}

/* Returns the query parameter as an id: 0 when absent, -1 with a field error when malformed. */
static long long query_id(struct req *r, const char *name, const char *label)
{
    const char *s = query_text(r, name);
    if (!s) return 0;
    long long v = text_id(s);
    if (v) return v;
    ctx_field_error(&r->ctx, name, "Choose the %s from the list", label);
    return -1;
}

/* ---- the filter form ---- */

/*
 * Writes a select named name over every record of entity e (the first
 * LIST_MAX_PER_PAGE, by the list's order), "any" first, cur selected. When
 * they cannot be listed, a numeric input instead.
 */
static void entity_select(struct req *r, buf *b, const struct entity *e, const char *name,
                          const char *label, long long cur, const struct form_errors *fe)
{
    arena *a = r->a;
    struct ctx saved = r->ctx;
    ctx_clear_errors(&r->ctx);
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page pg = {0};
    result res = entity_list(&r->ctx, e, &q, &pg);
    r->ctx = saved;
    struct ui_field f = {name, label, NULL, form_error_for(fe, name), NULL};
    if (res != RES_OK) {
        f.value = cur > 0 ? arena_printf(a, "%lld", cur) : NULL;
        ui_input(b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
        return;
    }
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(pg.nrows + 1));
    opts[0] = (struct ui_option){"", "Any", cur <= 0};
    for (int i = 0; i < pg.nrows; i++) {
        long long id = rec_int(pg.rows[i], "id", 0);
        opts[i + 1] = (struct ui_option){arena_printf(a, "%lld", id), rec_text(pg.rows[i], "name"),
                                         id == cur};
    }
    ui_select(b, &f, opts, pg.nrows + 1);
}

/* Writes the filter form: one scope (place, neighbourhood, organisation or service) and dates. */
static void filter_form(struct req *r, buf *b, const struct report_query *q,
                        const struct form_errors *fe, const struct outcome_report *rep)
{
    H(b, "<form method=\"get\" action=\"/reports/outcomes\" novalidate>"
         "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend"
         " nhsuk-fieldset__legend--s\">Report on one of these, or leave them all as Any for"
         " the whole system</legend><div class=\"nhsuk-grid-row\">"
         "<div class=\"nhsuk-grid-column-one-half\">");
    entity_select(r, b, &entity_places, "place_id", "place", q->place_id, fe);
    H(b, "</div><div class=\"nhsuk-grid-column-one-half\">");
    entity_select(r, b, &entity_neighbourhoods, "neighbourhood_id", "neighbourhood",
                  q->neighbourhood_id, fe);
    H(b, "</div></div><div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-one-half\">");
    entity_select(r, b, &entity_organisations, "organisation_id", "receiving organisation",
                  q->organisation_id, fe);
    H(b, "</div><div class=\"nhsuk-grid-column-one-half\">");
    struct ui_field svc = {"service_id", "service",
                           "The service's id in the directory, as in its address",
                           form_error_for(fe, "service_id"), q->service_id};
    ui_input(b, &svc, "text", "off", NULL, NULL, true);
    H(b, "</div></div></fieldset><div class=\"nhsuk-grid-row\">"
         "<div class=\"nhsuk-grid-column-one-half\">");
    struct ui_field from = {"from", "referrals made from", "For example, 2026-04-01",
                            form_error_for(fe, "from"), q->from ? q->from : rep->from};
    ui_input(b, &from, "text", "off", NULL, "nhsuk-input--width-10", true);
    H(b, "</div><div class=\"nhsuk-grid-column-one-half\">");
    struct ui_field to = {"to", "to (inclusive)", "For example, 2027-03-31",
                          form_error_for(fe, "to"), q->to ? q->to : rep->to};
    ui_input(b, &to, "text", "off", NULL, "nhsuk-input--width-10", true);
    H(b, "</div></div><div class=\"nhsuk-button-group\">"
         "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
         " type=\"submit\">Show the report</button>"
         "<a class=\"nhsuk-link\" href=\"/reports/outcomes\">The whole system, last 12 months</a>"
         "</div></form>");
}

/* ---- figures as text ---- */

/* Returns x with the decimals given, in a ("-0.0" as "0.0"). */
static const char *num(arena *a, double x, int decimals)
{
    if (fabs(x) < 0.5 * pow(10, -decimals)) x = 0;
    return arena_printf(a, "%.*f", decimals, x);
}

/* Returns a share as a whole percentage, e.g. "67%". */
static const char *pct(arena *a, double x)
{
    return arena_printf(a, "%s%%", num(a, x * 100, 0));
}

/* Returns a change with its sign and interval, e.g. "+2.0 (-1.5 to 5.5)". */
static const char *change(arena *a, const struct report_value *v)
{
    const char *m = num(a, v->value, 1);
    if (v->value >= 0.05) m = arena_printf(a, "+%s", m);
    if (!v->has_ci) return m;
    return arena_printf(a, "%s (%s to %s)", m, num(a, v->ci_low, 1), num(a, v->ci_high, 1));
}

/* Writes one table cell: the text, or "fewer than 5" (muted) when the value is suppressed. */
static void td(buf *b, const struct report_value *v, const char *text)
{
    if (v->suppressed)
        H(b, "<td class=\"nhsuk-table__cell\"><span class=\"nhsuk-u-secondary-text-colour\">" FEWER
             "</span></td>");
    else
        H(b, "<td class=\"nhsuk-table__cell\">%s</td>", text);
}

/* Returns a rate and the number it is out of, e.g. "90% of 10". */
static const char *rate_text(arena *a, const struct report_value *v)
{
    return arena_printf(a, "%s of %lld", pct(a, v->value), v->n);
}

/* ---- tables ---- */

/* Writes the head of a table with a caption and the column headings given. */
static void table_head(buf *b, const char *caption, bool caption_hidden, const char *const *cols,
                       int n)
{
    H(b,
      "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
      "<caption class=\"nhsuk-table__caption%s\">%s</caption><thead class=\"nhsuk-table__head\">"
      "<tr class=\"nhsuk-table__row\">",
      caption_hidden ? " nhsuk-u-visually-hidden" : "", caption);
    for (int i = 0; i < n; i++)
        H(b, "<th class=\"nhsuk-table__header\" scope=\"col\">%s</th>", cols[i]);
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
}

/* Writes one row of the headline table: figure name, then its value. */
static void headline_row(buf *b, const char *name, const struct report_value *v, const char *text)
{
    H(b, "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">%s</th>",
      name);
    td(b, v, text);
    H(b, "</tr>");
}

/* Writes the headline figures of the whole scope. */
static void headline(struct req *r, buf *b, const struct outcome_report *rep)
{
    arena *a = r->a;
    const struct report_value *f = rep->total.fig;
    static const char *const cols[] = {"Figure", "Value"};
    static const char *const ons_names[4] = {
        "ONS4 life satisfaction: mean change (95% CI)", "ONS4 worthwhile: mean change (95% CI)",
        "ONS4 happiness: mean change (95% CI)",
        "ONS4 anxiety: mean change (95% CI; a fall is better)"};
    table_head(b, "Headline figures", true, cols, 2);
    headline_row(b, "Referrals made", &f[RF_REFERRALS], arena_printf(a, "%lld", f[RF_REFERRALS].n));
    headline_row(b, "Referrals sent", &f[RF_SENT], arena_printf(a, "%lld", f[RF_SENT].n));
    headline_row(b, "Uptake (started, of those sent)", &f[RF_UPTAKE], rate_text(a, &f[RF_UPTAKE]));
    headline_row(b, "Completion (completed, of those who started)", &f[RF_COMPLETION],
                 rate_text(a, &f[RF_COMPLETION]));
    headline_row(b, "Days from referral to first contact: mean", &f[RF_DAYS],
                 num(a, f[RF_DAYS].value, 1));
    headline_row(b, "Days from referral to first contact: median", &f[RF_DAYS],
                 num(a, f[RF_DAYS].median, 1));
    headline_row(b, "SWEMWBS pairs (baseline and final)", &f[RF_SWEMWBS],
                 arena_printf(a, "%lld", f[RF_SWEMWBS].n));
    headline_row(b, "SWEMWBS mean change (95% CI)", &f[RF_SWEMWBS], change(a, &f[RF_SWEMWBS]));
    headline_row(b, "SWEMWBS meaningful improvement (3 points or more)", &f[RF_SWEMWBS],
                 pct(a, f[RF_SWEMWBS].improved));
    headline_row(b, "SWEMWBS meaningful decline (3 points or more)", &f[RF_SWEMWBS],
                 pct(a, f[RF_SWEMWBS].declined));
    for (int i = 0; i < 4; i++)
        headline_row(b, ons_names[i], &f[RF_ONS_LIFE + i], change(a, &f[RF_ONS_LIFE + i]));
    headline_row(b, "UCLA loneliness: mean change (95% CI; a fall is better)", &f[RF_UCLA],
                 change(a, &f[RF_UCLA]));
    H(b, "</tbody></table></div>");
}

/* Writes the referrals in each state. */
static void status_table(struct req *r, buf *b, const struct outcome_report *rep)
{
    static const char *const cols[] = {"Status", "Referrals"};
    static const char *const names[REFERRAL_NSTATUS] = {"Draft",     "Sent",        "Accepted",
                                                        "Declined",  "Waitlisted",  "Started",
                                                        "Completed", "Dropped out", "Cancelled"};
    table_head(b, "Referrals by status now", true, cols, 2);
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        headline_row(b, names[s], &rep->status[s], arena_printf(r->a, "%lld", rep->status[s].n));
    H(b, "</tbody></table></div>");
}

/* Writes one breakdown as a table: a row per cell, a column per main figure. */
static void breakdown_table(struct req *r, buf *b, const struct report_breakdown *bd)
{
    arena *a = r->a;
    static const char *const cols[] = {"Group",
                                       "Referrals",
                                       "Uptake",
                                       "Completion",
                                       "Days to first contact (mean)",
                                       "SWEMWBS mean change (95% CI)",
                                       "SWEMWBS meaningful improvement"};
    table_head(b, arena_printf(a, "By %s", bd->label), false, cols, 7);
    for (int i = 0; i < bd->ncells; i++) {
        const struct report_cell *c = &bd->cells[i];
        const struct report_value *f = c->fig;
        H(b,
          "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">%s"
          "</th>",
          c->label);
        td(b, &f[RF_REFERRALS], arena_printf(a, "%lld", f[RF_REFERRALS].n));
        td(b, &f[RF_UPTAKE], rate_text(a, &f[RF_UPTAKE]));
        td(b, &f[RF_COMPLETION], rate_text(a, &f[RF_COMPLETION]));
        td(b, &f[RF_DAYS], num(a, f[RF_DAYS].value, 1));
        td(b, &f[RF_SWEMWBS], change(a, &f[RF_SWEMWBS]));
        td(b, &f[RF_SWEMWBS], pct(a, f[RF_SWEMWBS].improved));
        H(b, "</tr>");
    }
    H(b, "</tbody></table></div>");
}

/* Returns the report's query string (no "?"), markup-safe for an href, in r->a. */
static struct html_frag query_of(struct req *r, const struct outcome_report *rep)
{
    buf q;
    buf_init(&q, r->a, 128);
    if (rep->scope == SCOPE_SERVICE)
        H(&q, "service_id=%U&amp;", rep->service_id);
    else if (rep->scope != SCOPE_SYSTEM)
        H(&q, "%s_id=%lld&amp;", rep->scope_type, rep->scope_id);
    H(&q, "from=%U&amp;to=%U", rep->from, rep->to);
    return html_frag_of(&q);
}

/* Writes the definitions of the figures and the suppression rule. */
static void definitions(buf *b)
{
    H(b,
      "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\">"
      "<span class=\"nhsuk-details__summary-text\">How these figures are worked out</span>"
      "</summary><div class=\"nhsuk-details__text\"><ul>"
      "<li>Referrals count when they were made in the dates chosen (both days included).</li>"
      "<li>Uptake: referrals that started, completed or dropped out, out of those sent.</li>"
      "<li>Completion: referrals completed, out of those that started (including those still"
      " going and those who dropped out).</li>"
      "<li>Days to first contact: whole days from the day the referral was sent to the day of"
      " first contact.</li>"
      "<li>Changes are paired: the final score minus the baseline of the same person, counted"
      " only when both were recorded. A 95%% confidence interval is the mean change plus or"
      " minus t &times; standard deviation &divide; &radic;n. ONS4 items are never added up."
      " For anxiety and loneliness a fall is an improvement.</li>"
      "<li>A SWEMWBS change of 3 points or more is a meaningful change for one person.</li>"
      "<li>To protect people's privacy, any figure about fewer than %d people is shown as"
      " &ldquo;fewer than 5&rdquo;, and so is a rate when 1 to 4 people took up or completed."
      " When only one group in a table would be hidden, the next smallest is hidden too, so"
      " that the hidden figure cannot be worked out from the total.</li>"
      "<li>People who have asked for their information not to be used in reports are left"
      " out.</li></ul></div></details>",
      REPORT_MIN_CELL);
}

/* ---- the page ---- */

/* GET /reports/outcomes: the filter form and, when it is valid, the report. */
static void page_outcomes(struct req *r)
{
    arena *a = r->a;
    struct report_query q = {
        .service_id = query_text(r, "service_id"),
        .organisation_id = query_id(r, "organisation_id", "organisation"),
        .place_id = query_id(r, "place_id", "place"),
        .neighbourhood_id = query_id(r, "neighbourhood_id", "neighbourhood"),
        .from = query_text(r, "from"),
        .to = query_text(r, "to"),
    };
    struct outcome_report rep = {0};
    int status = 200;
    struct form_errors fe = {0};
    result res = r->ctx.nerrors ? RES_INVALID : outcome_report_build(&r->ctx, &q, &rep);
    if (!page_read_result(r, res, &fe, &status)) return;
    const char *where =
        status != 200 ? NULL
        : rep.scope == SCOPE_SYSTEM
            ? "The whole system"
            : ui_capital(a, arena_printf(a, "%s: %s", rep.scope_type, rep.scope_name));
    buf b;
    buf_init(&b, a, 32768);
    ui_error_summary(&b, &fe);
    H(&b, "<h1>");
    if (where)
        H(&b,
          "<span class=\"nhsuk-caption-l\">Outcomes report"
          "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s",
          where);
    else
        H(&b, "Outcomes report");
    H(&b, "</h1><p class=\"nhsuk-body-l\">What happened to referrals to creative health"
          " services, and how people's wellbeing changed.</p>");
    filter_form(r, &b, &q, &fe, &rep);
    if (status == 200) {
        struct html_frag qs = query_of(r, &rep);
        H(&b,
          "<p>Referrals made from %s to %s. <a class=\"nhsuk-link\""
          " href=\"/api/v1/reports/outcomes?%H&amp;format=csv\" download>Download the figures"
          " as CSV</a>.</p>",
          rep.from, rep.to, &qs);
        definitions(&b);
        H(&b, "<h2>Headline figures</h2>");
        headline(r, &b, &rep);
        H(&b, "<h2>Referrals by status</h2>");
        status_table(r, &b, &rep);
        H(&b,
          "<p><img class=\"chis-chart\" src=\"/api/v1/reports/outcomes/chart.svg?%H&amp;"
          "chart=status\" alt=\"Bar chart of the referrals by status in the table above\""
          "></p>",
          &qs);
        H(&b, "<h2>Wellbeing change by deprivation</h2>"
              "<p>IMD quintile 1 is the most deprived fifth of neighbourhoods in England.</p>");
        H(&b,
          "<p><img class=\"chis-chart\" src=\"/api/v1/reports/outcomes/chart.svg?%H&amp;"
          "chart=swemwbs\" alt=\"Bar chart of the SWEMWBS mean change by IMD quintile, with"
          " confidence intervals, as in the table by IMD quintile below\"></p>"
          "<p><img class=\"chis-chart\" src=\"/api/v1/reports/outcomes/chart.svg?%H&amp;"
          "chart=uptake\" alt=\"Bar chart of uptake by IMD quintile, as in the table by IMD"
          " quintile below\"></p>",
          &qs, &qs);
        H(&b, "<h2>Breakdowns</h2>");
        for (int d = 0; d < REPORT_NBREAKDOWNS; d++)
            breakdown_table(r, &b, &rep.breakdowns[d]);
        H(&b,
          "<p>The CSV download has every figure for every group, including the ONS4 and"
          " loneliness changes.</p>"
          "<p class=\"nhsuk-body-s\">SWEMWBS: Short Warwick-Edinburgh Mental Wellbeing Scale"
          " %s. ONS4: Office for National Statistics personal wellbeing questions."
          " UCLA: the three-item UCLA loneliness scale.</p>",
          SWEMWBS_NOTICE);
    }
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status,
                where ? arena_printf(a, "Outcomes report: %s", where) : "Outcomes report", SECTION,
                &main);
}

const struct route web_report_routes[] = {
    {"GET", "/reports/outcomes", page_outcomes, 0, NULL},
};
const size_t web_report_routes_len = sizeof web_report_routes / sizeof web_report_routes[0];
