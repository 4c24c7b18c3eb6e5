/*
 * pages_plans.c: the route table of the pages of the leadership and
 * strategy views (domain/plans.h) and their two hubs, and the pieces those
 * pages share (see pages_plans_internal.h):
 *
 *   /leadership             champions, coverage, connections, network, resources
 *   /champions/coverage     places and neighbourhoods without a champion on a day
 *   /resources/totals       what organisations commit, by place and by sector
 *   /strategy               strategies, alignment, actions, co-production
 *   /alignments/matrix      which priorities the Creative Health strategy supports
 *   /actions/overdue        actions past their due date, with their owners
 *   /strategies/{id}/record a strategy, its priorities and its co-production record
 *
 * The first three are in pages_plans_leadership.c, the others in
 * pages_plans_strategy.c. The views take their parameters from GET forms,
 * so they can be bookmarked and work with JavaScript off. A bad parameter
 * shows the form again with an error summary and status 400. Every value
 * goes through H(), and nothing here writes a style attribute (the pages'
 * CSP forbids it).
 *
 * /champions/coverage and the like share their first segment with
 * /champions/{id}: this table must be searched before the generic record
 * routes (see cli/routes.c).
 */
#include "web/web.h"

#include "web/pages_plans_internal.h"

#include <string.h>

#include <stdio.h>

/* ---- pieces the pages share ---- */

/* See pages_plans_internal.h. The text belongs to a, or is d or "". */
const char *plans_ui_long_date(arena *a, const char *d)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, day;
    if (!d || sscanf(d, "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 || m > 12) return d ? d : "";
    return arena_printf(a, "%d %s %d", day, months[m - 1], y);
}

/* See pages_plans_internal.h. */
void plans_ui_breadcrumb(buf *b, const char *href, const char *text)
{
    H(b,
      "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
      "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
      "<a class=\"nhsuk-breadcrumb__link\" href=\"/\">Home</a></li>"
      "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
      " href=\"%s\">%s</a></li></ol><a class=\"nhsuk-back-link\" href=\"%s\">"
      "<span class=\"nhsuk-u-visually-hidden\">Back to </span>%s</a></nav>",
      href, text, href, text);
}

/* See pages_plans_internal.h. */
bool plans_ui_begin(struct req *r, result res, buf *b, size_t cap, const char *crumb_href,
                    const char *crumb_text, struct form_errors *fe)
{
    memset(fe, 0, sizeof *fe);
    if (res == RES_INVALID) {
        *fe = form_errors_refused(r);
    } else if (res != RES_OK) {
        page_for_result(r, res);
        return false;
    }
    buf_init(b, r->a, cap);
    plans_ui_breadcrumb(b, crumb_href, crumb_text);
    ui_error_summary(b, fe);
    return true;
}

/* See pages_plans_internal.h. */
void plans_ui_form_end(buf *b, const char *label)
{
    H(b,
      "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
      " type=\"submit\">%s</button></form>",
      label);
}

/* See pages_plans_internal.h. */
void plans_ui_table_start(buf *b, const char *caption)
{
    H(b,
      "<div class=\"chis-table-wrap nhsuk-u-margin-bottom-6\"><table class=\"nhsuk-table\">"
      "<caption class=\"nhsuk-table__caption\">%s</caption>",
      caption);
}

/* See pages_plans_internal.h. */
void plans_ui_th_col(buf *b, const char *text, bool numeric)
{
    H(b, "<th class=\"nhsuk-table__header%s\" scope=\"col\">%s</th>", numeric ? " chis-num" : "",
      text);
}

/* See pages_plans_internal.h. */
void plans_ui_td_num(buf *b, const char *text)
{
    H(b, "<td class=\"nhsuk-table__cell chis-num\">%s</td>", text);
}

/* See pages_plans_internal.h. */
void plans_ui_hub_section(buf *b, const char *title, const struct html_frag *text,
                          const char *const links[][2], int nlinks)
{
    H(b, "<h2>%s</h2><p>%H</p><ul class=\"nhsuk-list nhsuk-list--bullet\">", title, text);
    for (int i = 0; i < nlinks; i++)
        H(b, "<li><a class=\"nhsuk-link\" href=\"%s\">%s</a></li>", links[i][0], links[i][1]);
    H(b, "</ul>");
}

/* ---- the routes ---- */

/* The leadership and strategy pages, for cli/routes.c (see web.h). */
const struct route web_plan_routes[] = {
    {"GET", "/leadership", page_leadership, 0, NULL},
    {"GET", "/champions/coverage", page_champion_coverage, 0, NULL},
    {"GET", "/resources/totals", page_resource_totals, 0, NULL},
    {"GET", "/strategy", page_strategy, 0, NULL},
    {"GET", "/alignments/matrix", page_alignment_matrix, 0, NULL},
    {"GET", "/actions/overdue", page_overdue_actions, 0, NULL},
    {"GET", "/strategies/{id}/record", page_strategy_record, 0, NULL},
};

const size_t web_plan_routes_len = sizeof web_plan_routes / sizeof web_plan_routes[0];
