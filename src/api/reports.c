/*
 * reports.c: the outcomes report over the API (domain/reports.h):
 *
 *   GET /api/v1/reports/outcomes?service_id|organisation_id|place_id|
 *       neighbourhood_id&from&to[&format=csv]
 *       JSON, or with format=csv one CSV row per figure and cell
 *   GET /api/v1/reports/outcomes/chart.svg?(the same)&chart=status|swemwbs|uptake
 *       the chart as SVG (api/report_svg.c)
 *
 * Anyone signed in. Bad parameters (unknown ones, two scopes, a malformed
 * id or date) are a 400 problem naming each. A suppressed figure carries
 * "suppressed": true and null numbers in JSON, and "*" in CSV.
 */
#include "api/api.h"

#include "api/json.h"
#include "api/report_svg.h"
#include "base/csv.h"
#include "base/text.h"
#include "domain/measures.h"
#include "domain/reports.h"

#include <math.h>
#include <string.h>

/*
 * Reads the report's query parameters (and format and chart where
 * allowed) into q. Answers 400 itself and returns false when any is
 * unknown or malformed; the domain checks what they mean.
 */
static bool read_query(struct req *r, struct report_query *q, const char *const *allowed)
{
    if (!api_only_params(r, allowed)) return false;
    static const char *const ids[] = {"organisation_id", "place_id", "neighbourhood_id"};
    long long *dest[] = {&q->organisation_id, &q->place_id, &q->neighbourhood_id};
    for (int i = 0; i < 3; i++) {
        const char *s = api_query_value(r, ids[i]);
        if (!s) continue;
        *dest[i] = text_id(s);
        if (!*dest[i])
            ctx_field_error(&r->ctx, ids[i], "%s must be a whole number, 1 or more", ids[i]);
    }
    q->service_id = api_query_value(r, "service_id");
    q->from = api_query_value(r, "from");
    q->to = api_query_value(r, "to");
    if (!r->ctx.nerrors) return true;
    api_problem(r, 400, NULL, "Check the query parameters.");
    return false;
}

/* Returns x rounded to 4 decimals as a new JSON real (no binary noise past them). */
static json_t *real4(double x)
{
    double v = round(x * 10000) / 10000;
    return json_real(v == 0 ? 0 : v);
}

/* Sets key in o to x rounded, or null when the figure is suppressed or absent. */
static void set_real(json_t *o, const char *key, bool shown, double x)
{
    json_object_set_new(o, key, shown ? real4(x) : json_null());
}

/* Returns a new JSON object for one figure (the caller owns it); see docs/openapi-parts. */
static json_t *figure_json(const struct report_value *v, enum report_figure f)
{
    bool on = !v->suppressed;
    json_t *o = json_object();
    if (f == RF_REFERRALS || f == RF_SENT) {
        json_object_set_new(o, "value", on ? json_integer(v->n) : json_null());
    } else {
        json_object_set_new(o, "n", on ? json_integer(v->n) : json_null());
        set_real(o, "value", on, v->value);
    }
    if (f == RF_DAYS) set_real(o, "median", on, v->median);
    if (f >= RF_SWEMWBS) {
        set_real(o, "ci_low", on && v->has_ci, v->ci_low);
        set_real(o, "ci_high", on && v->has_ci, v->ci_high);
    }
    if (f == RF_SWEMWBS) {
        set_real(o, "improved", on, v->improved);
        set_real(o, "declined", on, v->declined);
    }
    json_object_set_new(o, "suppressed", json_boolean(v->suppressed));
    return o;
}

/* Returns a new JSON object for one cell: cell, label, and each figure. */
static json_t *cell_json(const struct report_cell *c)
{
    static const char *const keys[RF_N] = {
        "referrals", "sent", "uptake", "completion", "days_to_first_contact", "swemwbs", NULL,
        NULL,        NULL,   NULL,     "ucla3"};
    json_t *o = json_object();
    json_object_set_new(o, "cell", json_string(c->code));
    json_object_set_new(o, "label", json_string(c->label));
    json_t *ons = json_object();
    for (int f = 0; f < RF_N; f++) {
        if (keys[f])
            json_object_set_new(o, keys[f], figure_json(&c->fig[f], (enum report_figure)f));
        else
            json_object_set_new(ons, ons4_items[f - RF_ONS_LIFE],
                                figure_json(&c->fig[f], (enum report_figure)f));
        if (f == RF_SWEMWBS) json_object_set_new(o, "ons4", ons);
    }
    return o;
}

/* Returns a new JSON object naming the report's scope: type, id, name. */
static json_t *scope_json(const struct outcome_report *rep)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(rep->scope_type));
    if (rep->scope == SCOPE_SERVICE)
        json_object_set_new(o, "id", json_string(rep->service_id));
    else
        json_object_set_new(o, "id", rep->scope_id ? json_integer(rep->scope_id) : json_null());
    json_object_set_new(o, "name", rep->scope_name ? json_string(rep->scope_name) : json_null());
    return o;
}

/* Answers with the report as JSON. */
static void report_json(struct req *r, const struct outcome_report *rep)
{
    json_t *status = json_object();
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        const struct report_value *v = &rep->status[s];
        json_object_set_new(status, report_status_names[s],
                            json_pack("{s:o, s:b}", "value",
                                      v->suppressed ? json_null() : json_integer(v->n),
                                      "suppressed", v->suppressed));
    }
    json_t *breakdowns = json_object();
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++) {
        const struct report_breakdown *b = &rep->breakdowns[d];
        json_t *cells = json_array();
        for (int i = 0; i < b->ncells; i++)
            json_array_append_new(cells, cell_json(&b->cells[i]));
        json_object_set_new(breakdowns, b->name, cells);
    }
    json_t *o = json_object();
    json_object_set_new(o, "scope", scope_json(rep));
    json_object_set_new(o, "from", json_string(rep->from));
    json_object_set_new(o, "to", json_string(rep->to));
    json_object_set_new(o, "minimum_cell", json_integer(REPORT_MIN_CELL));
    json_object_set_new(o, "total", cell_json(&rep->total));
    json_object_set_new(o, "by_status", status);
    json_object_set_new(o, "breakdowns", breakdowns);
    json_object_set_new(o, "notice", json_string(SWEMWBS_NOTICE));
    api_json(r, 200, o);
}

/* ---- CSV ---- */

#define CSV_COLS 11

/* Returns x as text with up to 4 decimals (trailing zeros dropped), in a. */
static const char *csv_num(arena *a, double x)
{
    if (fabs(x) < 0.00005) return "0";
    char *s = arena_printf(a, "%.4f", x);
    char *end = s + strlen(s) - 1;
    while (*end == '0')
        *end-- = '\0';
    if (*end == '.') *end = '\0';
    return s;
}

/* The columns every CSV row starts with: the scope and the dates. */
struct csv_ctx {
    struct req *r;
    const char *scope_type, *scope_id, *from, *to;
};

/*
 * Writes one CSV row: breakdown, cell, figure, then n, value and the
 * interval ("*" for each when suppressed; an empty interval when there is
 * none).
 */
static void csv_row(struct csv_ctx *x, const char *breakdown, const char *cell, const char *figure,
                    const struct report_value *v, double value, bool ci)
{
    arena *a = x->r->a;
    buf *b = &x->r->out;
    const char *cells[CSV_COLS] = {x->scope_type, x->scope_id, x->from, x->to,
                                   breakdown,     cell,        figure};
    if (v->suppressed) {
        cells[7] = cells[8] = "*";
        cells[9] = cells[10] = ci ? "*" : NULL;
    } else {
        cells[7] = arena_printf(a, "%lld", v->n);
        cells[8] = csv_num(a, value);
        cells[9] = ci && v->has_ci ? csv_num(a, v->ci_low) : NULL;
        cells[10] = ci && v->has_ci ? csv_num(a, v->ci_high) : NULL;
    }
    for (int i = 0; i < 7; i++)
        csv_cell(b, cells[i], false);
    /* Numbers as they are: csv_cell would guard a leading minus sign as if
     * it began a formula, and a number cannot be one. */
    for (int i = 7; i < CSV_COLS; i++) {
        if (cells[i]) buf_puts(b, cells[i]);
        buf_puts(b, i == CSV_COLS - 1 ? "\r\n" : ",");
    }
}

/* Writes the rows of every figure of one cell. */
static void csv_cell_rows(struct csv_ctx *x, const char *breakdown, const struct report_cell *c)
{
    const struct report_value *f = c->fig;
    arena *a = x->r->a;
    csv_row(x, breakdown, c->code, "referrals", &f[RF_REFERRALS], (double)f[RF_REFERRALS].n, false);
    csv_row(x, breakdown, c->code, "sent", &f[RF_SENT], (double)f[RF_SENT].n, false);
    csv_row(x, breakdown, c->code, "uptake", &f[RF_UPTAKE], f[RF_UPTAKE].value, false);
    csv_row(x, breakdown, c->code, "completion", &f[RF_COMPLETION], f[RF_COMPLETION].value, false);
    csv_row(x, breakdown, c->code, "days_to_first_contact_mean", &f[RF_DAYS], f[RF_DAYS].value,
            false);
    csv_row(x, breakdown, c->code, "days_to_first_contact_median", &f[RF_DAYS], f[RF_DAYS].median,
            false);
    csv_row(x, breakdown, c->code, "swemwbs_mean_change", &f[RF_SWEMWBS], f[RF_SWEMWBS].value,
            true);
    csv_row(x, breakdown, c->code, "swemwbs_improved_share", &f[RF_SWEMWBS], f[RF_SWEMWBS].improved,
            false);
    csv_row(x, breakdown, c->code, "swemwbs_declined_share", &f[RF_SWEMWBS], f[RF_SWEMWBS].declined,
            false);
    for (int i = 0; i < 4; i++)
        csv_row(x, breakdown, c->code, arena_printf(a, "ons4_%s_mean_change", ons4_items[i]),
                &f[RF_ONS_LIFE + i], f[RF_ONS_LIFE + i].value, true);
    csv_row(x, breakdown, c->code, "ucla3_mean_change", &f[RF_UCLA], f[RF_UCLA].value, true);
}

/* Answers with the report as CSV: a header row, then one row per figure and cell. */
static void report_csv(struct req *r, const struct outcome_report *rep)
{
    static const char *const head[CSV_COLS] = {"scope",     "scope_id", "from",   "to",
                                               "breakdown", "cell",     "figure", "n",
                                               "value",     "ci_low",   "ci_high"};
    r->status = 200;
    r->content_type = "text/csv; charset=utf-8";
    resp_header(
        r, "Content-Disposition",
        arena_printf(r->a, "attachment; filename=\"chis-outcomes-%s-%s.csv\"", rep->from, rep->to));
    buf_truncate(&r->out, 0);
    for (int i = 0; i < CSV_COLS; i++)
        csv_cell(&r->out, head[i], i == CSV_COLS - 1);
    struct csv_ctx x = {r, rep->scope_type,
                        rep->scope == SCOPE_SERVICE ? rep->service_id
                        : rep->scope_id             ? arena_printf(r->a, "%lld", rep->scope_id)
                                                    : NULL,
                        rep->from, rep->to};
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        csv_row(&x, "all", "all", arena_printf(r->a, "status_%s", report_status_names[s]),
                &rep->status[s], (double)rep->status[s].n, false);
    csv_cell_rows(&x, "all", &rep->total);
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++)
        for (int i = 0; i < rep->breakdowns[d].ncells; i++)
            csv_cell_rows(&x, rep->breakdowns[d].name, &rep->breakdowns[d].cells[i]);
}

/* ---- routes ---- */

/*
 * The report a GET asks for: its filters and the route's own parameter
 * `own` read (absent: dflt), that one checked against choices (with
 * message as its field error), and the report built into *rep. *value is
 * own's value. False when the response (400 or the failure) is written.
 */
static bool report_for(struct req *r, const char *own, const char *dflt, const char *const *choices,
                       const char *message, const char **value, struct outcome_report *rep)
{
    const char *const allowed[] = {
        "service_id", "organisation_id", "place_id", "neighbourhood_id", "from", "to", own, NULL};
    struct report_query q = {0};
    if (!read_query(r, &q, allowed)) return false;
    const char *v = api_query_value(r, own);
    if (!v) v = dflt;
    bool known = false;
    for (int i = 0; choices[i]; i++)
        known = known || strcmp(v, choices[i]) == 0;
    if (!known) {
        ctx_field_error(&r->ctx, own, "%s", message);
        api_problem(r, 400, NULL, "Check the query parameters.");
        return false;
    }
    result res = outcome_report_build(&r->ctx, &q, rep);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return false;
    }
    *value = v;
    return true;
}

/* GET /api/v1/reports/outcomes: the report as JSON, or CSV with format=csv. */
static void api_report_outcomes(struct req *r)
{
    static const char *const formats[] = {"json", "csv", NULL};
    const char *format;
    struct outcome_report rep;
    if (!report_for(r, "format", "json", formats, "format must be json or csv", &format, &rep))
        return;
    if (strcmp(format, "csv") == 0)
        report_csv(r, &rep);
    else
        report_json(r, &rep);
}

/* GET /api/v1/reports/outcomes/chart.svg: one chart of the report as SVG. */
static void api_report_chart(struct req *r)
{
    const char *chart;
    struct outcome_report rep;
    if (!report_for(r, "chart", "status", report_charts, "chart must be status, swemwbs or uptake",
                    &chart, &rep))
        return;
    r->status = 200;
    r->content_type = "image/svg+xml; charset=utf-8";
    /* Opened on its own, the image may not run or fetch anything. */
    resp_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
    buf_truncate(&r->out, 0);
    report_svg(&r->out, &rep, chart);
}

const struct route api_report_routes[] = {
    {"GET", "/api/v1/reports/outcomes", api_report_outcomes, 0, NULL},
    {"GET", "/api/v1/reports/outcomes/chart.svg", api_report_chart, 0, NULL},
};
const size_t api_report_routes_len = sizeof api_report_routes / sizeof api_report_routes[0];
