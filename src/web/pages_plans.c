/*
 * pages_plans.c: the pages of the leadership and strategy views
 * (domain/plans.h) and their two hubs:
 *
 *   /leadership             champions, coverage, connections, network, resources
 *   /champions/coverage     places and neighbourhoods without a champion on a day
 *   /resources/totals       what organisations commit, by place and by sector
 *   /strategy               strategies, alignment, actions, co-production
 *   /alignments/matrix      which priorities the Creative Health strategy supports
 *   /actions/overdue        actions past their due date, with their owners
 *   /strategies/{id}/record a strategy, its priorities and its co-production record
 *
 * The views take their parameters from GET forms, so they can be
 * bookmarked and work with JavaScript off. A bad parameter shows the form
 * again with an error summary and status 400. Every value goes through
 * H(), and nothing here writes a style attribute (the pages' CSP forbids it).
 *
 * /champions/coverage and the like share their first segment with
 * /champions/{id}: this table must be searched before the generic record
 * routes (see cli/routes.c).
 */
#include "web/web.h"

#include "base/text.h"
#include "domain/plans.h"
#include "domain/strategy.h"
#include "domain/structure.h"
#include "web/layout.h"

#include <stdio.h>
#include <string.h>

/* ---- pieces the pages share ---- */

/* pence as pounds: 123456 is "£1,234.56". The text belongs to a. */
static const char *money(arena *a, long long pence)
{
    return arena_printf(a, "\xC2\xA3%s.%02lld", ui_number(a, pence / 100), pence % 100);
}

/* "2026-11-26" as "26 November 2026"; d itself when it does not parse. Belongs to a. */
static const char *long_date(arena *a, const char *d)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, day;
    if (!d || sscanf(d, "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 || m > 12) return d ? d : "";
    return arena_printf(a, "%d %s %d", day, months[m - 1], y);
}

/* Breadcrumbs Home > text (linking to href), and a back link to href. */
static void breadcrumb(buf *b, const char *href, const char *text)
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

/* Multi-line text, one line per line (a "\r\n" counts as one break). */
static void lines(buf *b, const char *s)
{
    for (const char *line = s; line && *line;) {
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

/*
 * After a view refused its parameters: the failure, copied out of the ctx
 * so that the later reads on the page start clean. Field errors are listed
 * in the summary, linking to their controls.
 */
static struct form_errors refused(struct req *r)
{
    struct form_errors fe = form_errors_take(r);
    if (fe.n > 0) fe.detail = NULL;
    ctx_clear_errors(&r->ctx);
    return fe;
}

/* The button that ends a filter form, and the form's end. */
static void form_end(buf *b, const char *label)
{
    H(b,
      "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
      " type=\"submit\">%s</button></form>",
      label);
}

/* A date input for a filter form, named name, showing value. */
static void date_input(buf *b, const struct form_errors *fe, const char *name, const char *label,
                       const char *hint, const char *value)
{
    struct ui_field f = {name, label, hint, form_error_for(fe, name), value};
    ui_input(b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
}

/*
 * A select of every place (by name) for a filter form: the first option is
 * "" with the text any; cur (the id as typed) is selected.
 */
static void place_select(struct req *r, buf *b, const struct form_errors *fe, const char *label,
                         const char *any, const char *cur)
{
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page pg = {0};
    if (entity_list(&r->ctx, &entity_places, &q, &pg) != RES_OK) {
        pg.nrows = 0;
        ctx_clear_errors(&r->ctx);
    }
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(pg.nrows + 1));
    opts[0] = (struct ui_option){"", any, false};
    for (int i = 0; i < pg.nrows; i++) {
        const char *id = arena_printf(r->a, "%lld", rec_int(pg.rows[i], "id", 0));
        opts[i + 1] =
            (struct ui_option){id, rec_text(pg.rows[i], "name"), cur && strcmp(cur, id) == 0};
    }
    struct ui_field f = {"place_id", label, NULL, form_error_for(fe, "place_id"), cur};
    ui_select(b, &f, opts, pg.nrows + 1);
}

/* A table's start: the wrapper that scrolls sideways, the caption and the head row's start. */
static void table_start(buf *b, const char *caption)
{
    H(b,
      "<div class=\"chis-table-wrap nhsuk-u-margin-bottom-6\"><table class=\"nhsuk-table\">"
      "<caption class=\"nhsuk-table__caption\">%s</caption>",
      caption);
}

/* A header cell of the head row; numeric columns align right. */
static void th_col(buf *b, const char *text, bool numeric)
{
    H(b, "<th class=\"nhsuk-table__header%s\" scope=\"col\">%s</th>", numeric ? " chis-num" : "",
      text);
}

/* A numeric cell. */
static void td_num(buf *b, const char *text)
{
    H(b, "<td class=\"nhsuk-table__cell chis-num\">%s</td>", text);
}

/* ---- /champions/coverage ---- */

/* GET /champions/coverage?at=: where there is no champion on a day (today by default). */
static void page_champion_coverage(struct req *r)
{
    arena *a = r->a;
    const char *at = req_query(r, "at");
    struct champion_coverage cov;
    result res = plans_champion_coverage(&r->ctx, at, &cov);
    struct form_errors fe = {0};
    if (res == RES_INVALID)
        fe = refused(r);
    else if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    breadcrumb(&b, "/leadership", "Leadership");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Champion coverage</h1>"
          "<p class=\"nhsuk-body-l\">Creative Health needs champions at every level: in the"
          " system, in each place and in each neighbourhood. A champion counts from their"
          " start date to their end date. A place champion does not cover the neighbourhoods"
          " of their place: each neighbourhood needs a champion of its own.</p>");
    H(&b, "<form method=\"get\" action=\"/champions/coverage\" novalidate>");
    date_input(&b, &fe, "at", "date",
               "Written YYYY-MM-DD, like 2026-11-26. Leave it empty for today.", at);
    form_end(&b, "Show coverage");
    if (res == RES_OK) {
        H(&b,
          "<dl class=\"nhsuk-summary-list\">"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">Date</dt>"
          "<dd class=\"nhsuk-summary-list__value\">%s</dd></div>"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">"
          "Active champions</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div>"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">"
          "System champion</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div></dl>",
          long_date(a, cov.at), ui_number(a, cov.active_champions),
          cov.system_has_champion ? "Yes" : "None active");
        H(&b, "<h2>Places without a place champion</h2>");
        if (cov.nplaces == 0) {
            H(&b, "<p>Every place has an active place champion.</p>");
        } else {
            H(&b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
            for (int i = 0; i < cov.nplaces; i++)
                H(&b, "<li><a class=\"nhsuk-link\" href=\"/places/%lld\">%s</a></li>",
                  cov.places[i].id, cov.places[i].name);
            H(&b, "</ul>");
        }
        H(&b, "<h2>Neighbourhoods without a neighbourhood champion</h2>");
        if (cov.nneighbourhoods == 0) {
            H(&b, "<p>Every neighbourhood has an active neighbourhood champion.</p>");
        } else {
            table_start(
                &b, arena_printf(a, "%d neighbourhoods without a champion", cov.nneighbourhoods));
            H(&b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
            th_col(&b, "Neighbourhood", false);
            th_col(&b, "Place", false);
            H(&b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
            for (int i = 0; i < cov.nneighbourhoods; i++) {
                const struct plan_area *n = &cov.neighbourhoods[i];
                H(&b,
                  "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
                  "<a class=\"nhsuk-link\" href=\"/neighbourhoods/%lld\">%s</a></td>"
                  "<td class=\"nhsuk-table__cell\">%s</td></tr>",
                  n->id, n->name, n->place_name);
            }
            H(&b, "</tbody></table></div>");
        }
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/champions\">All champions</a></p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, res == RES_OK ? 200 : 400, "Champion coverage", "/leadership", &main);
}

/* ---- /resources/totals ---- */

/* One row of a totals table: a row header and the two sums. */
static void sum_row(buf *b, const struct html_frag *head, const struct plan_sum *s)
{
    H(b, "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">%H</th>",
      head);
    td_num(b, money(b->a, s->amount_pence));
    td_num(b, ui_number(b->a, s->hours));
    H(b, "</tr>");
}

/* The head of a totals table whose first column is first. */
static void sum_head(buf *b, const char *first)
{
    H(b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
    th_col(b, first, false);
    th_col(b, "Amount", true);
    th_col(b, "Hours", true);
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
}

/* The foot of a totals table: the total of everything counted. */
static void sum_foot(buf *b, const struct plan_sum *total)
{
    H(b, "</tbody><tfoot>");
    buf h;
    buf_init(&h, b->a, 16);
    H(&h, "Total");
    struct html_frag hf = html_frag_of(&h);
    sum_row(b, &hf, total);
    H(b, "</tfoot></table></div>");
}

/* GET /resources/totals?from=&to=: what organisations commit, by place and by sector. */
static void page_resource_totals(struct req *r)
{
    arena *a = r->a;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    struct resource_totals t;
    result res = plans_resource_totals(&r->ctx, from, to, &t);
    struct form_errors fe = {0};
    if (res == RES_INVALID)
        fe = refused(r);
    else if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    breadcrumb(&b, "/leadership", "Leadership");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Resource totals</h1>"
          "<p class=\"nhsuk-body-l\">What organisations commit to Creative Health: funding and"
          " the value of what they give in kind, in pounds, and staff time and venue use, in"
          " hours. A commitment counts when its period overlaps the dates you choose.</p>");
    H(&b, "<form method=\"get\" action=\"/resources/totals\" novalidate>"
          "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-one-third\">");
    date_input(&b, &fe, "from", "from", "Written YYYY-MM-DD. Leave it empty for no start.", from);
    H(&b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    date_input(&b, &fe, "to", "to", "Written YYYY-MM-DD. Leave it empty for no end.", to);
    H(&b, "</div></div>");
    form_end(&b, "Show totals");
    if (res == RES_OK) {
        if (t.from || t.to)
            H(&b, "<p>Commitments in force %s%s%s.</p>",
              t.from ? arena_printf(a, "from %s", long_date(a, t.from)) : "",
              t.from && t.to ? " " : "", t.to ? arena_printf(a, "to %s", long_date(a, t.to)) : "");
        else
            H(&b, "<p>Every commitment, whatever its dates.</p>");
        H(&b, "<h2>By place</h2>");
        table_start(&b, "Commitments by place");
        sum_head(&b, "Place");
        buf h;
        buf_init(&h, a, 128);
        for (int i = 0; i < t.nplaces; i++) {
            buf_truncate(&h, 0);
            H(&h, "<a class=\"nhsuk-link\" href=\"/resources?place_id=%lld\">%s</a>",
              t.places[i].place_id, t.places[i].name);
            struct html_frag hf = html_frag_of(&h);
            sum_row(&b, &hf, &t.places[i].sum);
        }
        buf_truncate(&h, 0);
        H(&h, "System-wide (no one place)");
        struct html_frag hf = html_frag_of(&h);
        sum_row(&b, &hf, &t.system_wide);
        sum_foot(&b, &t.total);

        H(&b, "<h2>By sector</h2>");
        table_start(&b, "Commitments by the sector of the organisation making them");
        sum_head(&b, "Sector");
        for (int i = 0; i < PLANS_NSECTORS; i++) {
            buf_truncate(&h, 0);
            H(&h, "%s", ui_choice_text(a, t.sectors[i].sector));
            hf = html_frag_of(&h);
            sum_row(&b, &hf, &t.sectors[i].sum);
        }
        sum_foot(&b, &t.total);
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/resources\">All resources</a></p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, res == RES_OK ? 200 : 400, "Resource totals", "/leadership", &main);
}

/* ---- /alignments/matrix ---- */

/* The matrix table: a column group per strategy (in kind order), a row per CH priority. */
static void matrix_table(buf *b, const struct alignment_matrix *m, const char *where)
{
    arena *a = b->a;
    table_start(b, arena_printf(a,
                                "Which priorities of %s's other strategies (columns) each"
                                " Creative Health priority (rows) supports",
                                where));
    /* The groups: runs of columns from one strategy. */
    H(b, "<colgroup><col></colgroup>");
    for (int i = 0; i < m->ncols;) {
        int j = i;
        while (j < m->ncols && m->cols[j].strategy_id == m->cols[i].strategy_id)
            j++;
        H(b, "<colgroup span=\"%d\"></colgroup>", j - i);
        i = j;
    }
    H(b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\" rowspan=\"2\">"
         "Creative Health priority</th>");
    for (int i = 0; i < m->ncols;) {
        int j = i;
        while (j < m->ncols && m->cols[j].strategy_id == m->cols[i].strategy_id)
            j++;
        H(b,
          "<th class=\"nhsuk-table__header\" scope=\"colgroup\" colspan=\"%d\">%s"
          "<span class=\"nhsuk-body-s nhsuk-u-secondary-text-colour\"> (%s)</span></th>",
          j - i, m->cols[i].strategy_name, ui_choice_text(a, m->cols[i].kind));
        i = j;
    }
    H(b, "</tr><tr class=\"nhsuk-table__row\">");
    for (int i = 0; i < m->ncols; i++)
        H(b,
          "<th class=\"nhsuk-table__header\" scope=\"col\">"
          "<a class=\"nhsuk-link\" href=\"/priorities/%lld\">%s</a></th>",
          m->cols[i].id, m->cols[i].title);
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
    int k = 0; /* cells are ordered by row, then column */
    for (int i = 0; i < m->nrows; i++) {
        const struct plan_priority *row = &m->rows[i];
        H(b,
          "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"row\">"
          "<a class=\"nhsuk-link\" href=\"/priorities/%lld\">%s</a></th>",
          row->id, row->title);
        for (int c = 0; c < m->ncols; c++) {
            if (k < m->ncells && m->cells[k].row == i && m->cells[k].col == c) {
                H(b,
                  "<td class=\"nhsuk-table__cell\"><a class=\"nhsuk-link\""
                  " href=\"/alignments/%lld\">Supports<span class=\"nhsuk-u-visually-hidden\">"
                  ": see why</span></a></td>",
                  m->cells[k].alignment_id);
                k++;
            } else {
                H(b, "<td class=\"nhsuk-table__cell\"><span aria-hidden=\"true\">&ndash;</span>"
                     "<span class=\"nhsuk-u-visually-hidden\">No</span></td>");
            }
        }
        H(b, "</tr>");
    }
    H(b, "</tbody></table></div>");
}

/* GET /alignments/matrix?level=&place_id=: the Creative Health strategy against the others. */
static void page_alignment_matrix(struct req *r)
{
    arena *a = r->a;
    const char *level = req_query(r, "level"), *place = req_query(r, "place_id");
    struct alignment_matrix m;
    result res = plans_alignment_matrix(&r->ctx, level, place, &m);
    struct form_errors fe = {0};
    if (res == RES_INVALID)
        fe = refused(r);
    else if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 16384);
    breadcrumb(&b, "/strategy", "Strategy");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Alignment matrix</h1>"
          "<p class=\"nhsuk-body-l\">A Creative Health strategy lines up with the strategies the"
          " system already has, for Personalised Care and Health Inequalities among them. This"
          " shows which of their priorities each Creative Health priority supports, and which"
          " it leaves untouched.</p>");
    H(&b, "<form method=\"get\" action=\"/alignments/matrix\" novalidate>");
    if (form_error_for(&fe, "level")) { /* only a typed address can get this wrong */
        struct ui_field f = {"level", "level", NULL, form_error_for(&fe, "level"), level};
        ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-10", true);
    }
    place_select(r, &b, &fe, "strategies of", "The whole system",
                 res == RES_OK && m.place_id ? arena_printf(a, "%lld", m.place_id) : place);
    form_end(&b, "Show matrix");
    if (res == RES_OK) {
        const char *where = "the system";
        if (m.place_id) {
            rec *p = NULL;
            if (entity_load(&r->ctx, &entity_places, m.place_id, &p) == 1)
                where = rec_text(p, "name");
        }
        if (m.nstrategies == 0) {
            H(&b,
              "<p>There is no Creative Health strategy for %s yet. <a class=\"nhsuk-link\""
              " href=\"/strategies/new\">Add the strategy</a>, with the kind Creative Health.</p>",
              where);
        } else {
            H(&b, "<p>Creative Health strategy: ");
            for (int i = 0; i < m.nstrategies; i++)
                H(&b, "%s<a class=\"nhsuk-link\" href=\"/strategies/%lld/record\">%s</a>",
                  i ? ", " : "", m.strategies[i].id, m.strategies[i].name);
            H(&b, ".</p>");
        }
        if (m.nrows && m.ncols)
            matrix_table(&b, &m, where);
        else if (m.nstrategies)
            H(&b, "<p>%s</p>",
              m.nrows ? "There are no priorities of other strategies to line up with yet."
                      : "The Creative Health strategy has no priorities yet.");

        int unsupported = 0, unaligned = 0;
        for (int i = 0; i < m.ncols; i++)
            unsupported += !m.cols[i].nlinks;
        for (int i = 0; i < m.nrows; i++)
            unaligned += !m.rows[i].nlinks;
        H(&b, "<h2>Priorities the Creative Health strategy leaves untouched</h2>");
        if (!unsupported) {
            H(&b, "<p>%s</p>",
              m.ncols ? "It supports every priority of the other strategies."
                      : "There are none to show.");
        } else {
            H(&b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
            for (int i = 0; i < m.ncols; i++)
                if (!m.cols[i].nlinks)
                    H(&b,
                      "<li><a class=\"nhsuk-link\" href=\"/priorities/%lld\">%s</a>"
                      " <span class=\"nhsuk-u-secondary-text-colour\">(%s)</span></li>",
                      m.cols[i].id, m.cols[i].title, m.cols[i].strategy_name);
            H(&b, "</ul>");
        }
        H(&b, "<h2>Creative Health priorities aligned to nothing</h2>");
        if (!unaligned) {
            H(&b, "<p>%s</p>",
              m.nrows ? "Every Creative Health priority supports another."
                      : "There are none to show.");
        } else {
            H(&b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
            for (int i = 0; i < m.nrows; i++)
                if (!m.rows[i].nlinks)
                    H(&b, "<li><a class=\"nhsuk-link\" href=\"/priorities/%lld\">%s</a></li>",
                      m.rows[i].id, m.rows[i].title);
            H(&b, "</ul>");
        }
        if (m.ncells) {
            H(&b, "<h2>Why they line up</h2><ul class=\"nhsuk-list\">");
            for (int i = 0; i < m.ncells; i++) {
                const struct plan_cell *cell = &m.cells[i];
                H(&b,
                  "<li><p class=\"nhsuk-u-margin-bottom-1\"><strong>%s</strong> supports"
                  " <strong>%s</strong> (%s)</p><p>",
                  m.rows[cell->row].title, m.cols[cell->col].title,
                  m.cols[cell->col].strategy_name);
                lines(&b, cell->rationale);
                H(&b, "</p></li>");
            }
            H(&b, "</ul>");
        }
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/alignments/new\">Add an alignment</a></p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, res == RES_OK ? 200 : 400, "Alignment matrix", "/strategy", &main);
}

/* ---- /actions/overdue ---- */

/* GET /actions/overdue?place_id=: actions past their due date and not done. */
static void page_overdue_actions(struct req *r)
{
    arena *a = r->a;
    const char *place = req_query(r, "place_id");
    struct overdue_action *acts = NULL;
    int n = 0;
    result res = plans_overdue_actions(&r->ctx, place, &acts, &n);
    struct form_errors fe = {0};
    if (res == RES_INVALID)
        fe = refused(r);
    else if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    breadcrumb(&b, "/strategy", "Strategy");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Overdue actions</h1>"
          "<p class=\"nhsuk-body-l\">Actions of the plan that are past their due date and not"
          " done, the oldest first, with the person answerable for each.</p>");
    H(&b, "<form method=\"get\" action=\"/actions/overdue\" novalidate>");
    place_select(r, &b, &fe, "place", "All places", place);
    form_end(&b, "Show actions");
    if (res == RES_OK && n == 0) {
        H(&b, "<p>No actions are overdue.</p>");
    } else if (res == RES_OK) {
        table_start(&b, n == 1 ? "1 overdue action" : arena_printf(a, "%d overdue actions", n));
        H(&b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
        th_col(&b, "Action", false);
        th_col(&b, "Due", false);
        th_col(&b, "Days overdue", true);
        th_col(&b, "Status", false);
        th_col(&b, "Owner", false);
        th_col(&b, "Place", false);
        H(&b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < n; i++) {
            const struct overdue_action *x = &acts[i];
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"/actions/%lld\">%s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td>",
              x->id, x->title, long_date(a, x->due_date));
            td_num(&b, ui_number(a, x->days_overdue));
            H(&b,
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s,"
              " %s</td><td class=\"nhsuk-table__cell\">%s</td></tr>",
              ui_choice_text(a, x->status), x->owner_name, x->organisation_name,
              x->place_name ? x->place_name : "System-wide");
        }
        H(&b, "</tbody></table></div>");
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/actions\">All actions</a></p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, res == RES_OK ? 200 : 400, "Overdue actions", "/strategy", &main);
}

/* ---- /strategies/{id}/record ---- */

/* One row of a summary list; value is markup. */
static void summary_row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* The summary of the strategy itself: kind, level, period, vision, local need. */
static void strategy_summary(buf *b, const struct coproduction_record *s)
{
    arena *a = b->a;
    buf v;
    buf_init(&v, a, 256);
    H(b, "<dl class=\"nhsuk-summary-list\">");
    H(&v, "%s", ui_choice_text(a, s->kind));
    struct html_frag f = html_frag_of(&v);
    summary_row(b, "Kind", &f);
    buf_truncate(&v, 0);
    if (s->place_id)
        H(&v, "Place: <a class=\"nhsuk-link\" href=\"/places/%lld\">%s</a>", s->place_id,
          s->place_name);
    else
        H(&v, "System");
    f = html_frag_of(&v);
    summary_row(b, "Level", &f);
    buf_truncate(&v, 0);
    if (s->period_start && s->period_end)
        H(&v, "%s to %s", long_date(a, s->period_start), long_date(a, s->period_end));
    else if (s->period_start || s->period_end)
        H(&v, "%s %s", s->period_start ? "From" : "Until",
          long_date(a, s->period_start ? s->period_start : s->period_end));
    else
        H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">Not given</span>");
    f = html_frag_of(&v);
    summary_row(b, "Period", &f);
    const char *texts[][2] = {{"Vision", s->vision}, {"Statement of local need", s->local_need}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        buf_truncate(&v, 0);
        if (texts[i][1] && *texts[i][1])
            lines(&v, texts[i][1]);
        else
            H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">Not given</span>");
        f = html_frag_of(&v);
        summary_row(b, texts[i][0], &f);
    }
    H(b, "</dl>");
}

/* The co-production table: an activity per row, participants by type, totals at the foot. */
static void coproduction_table(buf *b, const struct coproduction_record *s)
{
    arena *a = b->a;
    table_start(b, "Co-production activities and who took part");
    H(b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
    th_col(b, "Date", false);
    th_col(b, "Activity", false);
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        th_col(b, ui_choice_text(a, coproduction_participants[k]), true);
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < s->nactivities; i++) {
        const struct coproduction_activity *x = &s->activities[i];
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
          "<th class=\"nhsuk-table__header\" scope=\"row\"><a class=\"nhsuk-link\""
          " href=\"/coproduction/%lld\">%s</a> <span class=\"nhsuk-u-secondary-text-colour\">"
          "(%s)</span></th>",
          long_date(a, x->held_on), x->id, x->title, ui_choice_text(a, x->kind));
        for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
            td_num(b, ui_number(a, x->counts[k]));
        H(b, "</tr>");
    }
    H(b, "</tbody><tfoot><tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\""
         " scope=\"row\" colspan=\"2\">Total</th>");
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        td_num(b, ui_number(a, s->totals[k]));
    H(b, "</tr></tfoot></table></div>");
}

/* GET /strategies/{id}/record: the strategy, its priorities, its co-production and what changed. */
static void page_strategy_record(struct req *r)
{
    arena *a = r->a;
    long long id = r->nparams > 0 ? text_id(r->params[0]) : 0;
    if (!id) {
        web_error_page(r, 404, "Page not found", "There is nothing at this address.");
        return;
    }
    struct coproduction_record s;
    result res = plans_coproduction_record(&r->ctx, id, &s);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 16384);
    breadcrumb(&b, "/strategy", "Strategy");
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">Strategy record"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
      s.name);
    strategy_summary(&b, &s);
    H(&b,
      "<p><a class=\"nhsuk-link\" href=\"/strategies/%lld\">The strategy's details, to"
      " change them</a></p>",
      id);

    H(&b, "<h2>Priorities</h2>");
    if (s.npriorities == 0) {
        H(&b, "<p>This strategy has no priorities yet.</p>");
    } else {
        H(&b, "<ol class=\"nhsuk-list nhsuk-list--number\">");
        for (int i = 0; i < s.npriorities; i++) {
            H(&b, "<li><a class=\"nhsuk-link\" href=\"/priorities/%lld\">%s</a>",
              s.priorities[i].id, s.priorities[i].title);
            if (s.priorities[i].description && *s.priorities[i].description) {
                H(&b, "<p class=\"nhsuk-body-s\">");
                lines(&b, s.priorities[i].description);
                H(&b, "</p>");
            }
            H(&b, "</li>");
        }
        H(&b, "</ol>");
    }

    H(&b, "<h2>Co-production</h2>");
    if (s.nactivities == 0) {
        H(&b, "<p>No co-production is recorded for this strategy yet.</p>");
    } else {
        H(&b, "<p>%s %s, with %s %s in all.</p>", ui_number(a, s.nactivities),
          s.nactivities == 1 ? "activity" : "activities", ui_number(a, s.participants),
          s.participants == 1 ? "participant" : "participants");
        coproduction_table(&b, &s);
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/coproduction/new\">Record a co-production"
          " activity</a></p>");

    H(&b, "<h2>What changed</h2>");
    int told = 0;
    for (int i = 0; i < s.nactivities; i++) {
        const struct coproduction_activity *x = &s.activities[i];
        if (!x->what_changed || !*x->what_changed) continue;
        H(&b, "<h3>%s <span class=\"nhsuk-caption-m\">%s</span></h3><p>", x->title,
          long_date(a, x->held_on));
        lines(&b, x->what_changed);
        H(&b, "</p>");
        told++;
    }
    if (!told) H(&b, "<p>No activity records what changed as a result yet.</p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, s.name, "/strategy", &main);
}

/* ---- the hubs ---- */

/* A section of a hub: a heading, a sentence (markup) and links (pairs of href, text). */
static void hub_section(buf *b, const char *title, const struct html_frag *text,
                        const char *const links[][2], int nlinks)
{
    H(b, "<h2>%s</h2><p>%H</p><ul class=\"nhsuk-list nhsuk-list--bullet\">", title, text);
    for (int i = 0; i < nlinks; i++)
        H(b, "<li><a class=\"nhsuk-link\" href=\"%s\">%s</a></li>", links[i][0], links[i][1]);
    H(b, "</ul>");
}

/* GET /leadership: champions, their coverage, connections, the network, resources. */
static void page_leadership(struct req *r)
{
    arena *a = r->a;
    struct champion_coverage cov;
    struct dashboard_counts counts;
    struct resource_totals t;
    char today[11];
    memcpy(today, r->ctx.now_iso, 10);
    today[10] = '\0';
    result res = plans_champion_coverage(&r->ctx, NULL, &cov);
    if (res == RES_OK) res = structure_counts(&r->ctx, &counts);
    if (res == RES_OK) res = plans_resource_totals(&r->ctx, today, today, &t);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b, text;
    buf_init(&b, a, 8192);
    buf_init(&text, a, 512);
    H(&b, "<h1>Leadership</h1>"
          "<p class=\"nhsuk-body-l\">Creative Health takes root when it is led at every level:"
          " champions in the system, in each place and in each neighbourhood; organisations"
          " across the NHS, local government and the voluntary, community and social enterprise"
          " sector connected to one another; and resources committed to the work.</p>");

    H(&text,
      "%s active %s today. %s of %s places and %s of %s neighbourhoods have no champion of"
      " their own; %s.",
      ui_number(a, cov.active_champions), cov.active_champions == 1 ? "champion" : "champions",
      ui_number(a, cov.nplaces), ui_number(a, counts.places), ui_number(a, cov.nneighbourhoods),
      ui_number(a, counts.neighbourhoods),
      cov.system_has_champion ? "the system has a champion" : "the system has no champion");
    struct html_frag f = html_frag_of(&text);
    static const char *const champion_links[][2] = {
        {"/champions/coverage", "Champion coverage"},
        {"/champions", "Champions"},
        {"/champions/new", "Add a champion"},
    };
    hub_section(&b, "Champions", &f, champion_links, 3);

    buf_truncate(&text, 0);
    H(&text, "Formal connections (contracts, memorandums of understanding, information sharing,"
             " commissioning and referral pathways) and informal ones (network membership, joint"
             " events and shared practice) make the network through which Creative Health"
             " reaches people.");
    f = html_frag_of(&text);
    static const char *const network_links[][2] = {
        {"/connections", "Connections"},
        {"/network", "The network"},
    };
    hub_section(&b, "Connections and the network", &f, network_links, 2);

    buf_truncate(&text, 0);
    H(&text,
      "In force today: %s and %s hours committed in all, of which %s and %s hours are"
      " system-wide rather than for one place.",
      money(a, t.total.amount_pence), ui_number(a, t.total.hours),
      money(a, t.system_wide.amount_pence), ui_number(a, t.system_wide.hours));
    f = html_frag_of(&text);
    static const char *const resource_links[][2] = {
        {"/resources/totals", "Resource totals"},
        {"/resources", "Resources"},
    };
    hub_section(&b, "Resources", &f, resource_links, 2);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Leadership", "/leadership", &main);
}

/* GET /strategy: the strategies, their alignment, the actions and co-production. */
static void page_strategy(struct req *r)
{
    arena *a = r->a;
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page strategies = {0};
    struct alignment_matrix m;
    struct overdue_action *late = NULL;
    int nlate = 0;
    result res = entity_list(&r->ctx, &entity_strategies, &q, &strategies);
    if (res == RES_OK) res = plans_alignment_matrix(&r->ctx, "system", NULL, &m);
    if (res == RES_OK) res = plans_overdue_actions(&r->ctx, NULL, &late, &nlate);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b, text;
    buf_init(&b, a, 8192);
    buf_init(&text, a, 512);
    H(&b, "<h1>Strategy</h1>"
          "<p class=\"nhsuk-body-l\">A Creative Health strategy says what the system will do"
          " and why. It lines up with the strategies the system already has, for Personalised"
          " Care and Health Inequalities among them, it is co-produced with local people,"
          " including people with lived experience, and it is carried out through an action"
          " plan whose progress is reviewed.</p>");

    H(&b, "<h2>Strategies</h2>");
    if (strategies.nrows == 0) {
        H(&b, "<p>There are no strategies yet.</p>");
    } else {
        H(&b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
        for (int i = 0; i < strategies.nrows; i++) {
            const rec *s = strategies.rows[i];
            H(&b,
              "<li><a class=\"nhsuk-link\" href=\"/strategies/%lld/record\">%s</a>"
              " <span class=\"nhsuk-u-secondary-text-colour\">(%s, %s level)</span></li>",
              rec_int(s, "id", 0), rec_text(s, "name"), ui_choice_text(a, rec_text(s, "kind")),
              rec_text(s, "level"));
        }
        H(&b, "</ul>");
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/strategies\">All strategies</a> or"
          " <a class=\"nhsuk-link\" href=\"/strategies/new\">add a strategy</a>.</p>");

    int supported = 0, unaligned = 0;
    for (int i = 0; i < m.ncols; i++)
        supported += m.cols[i].nlinks > 0;
    for (int i = 0; i < m.nrows; i++)
        unaligned += m.rows[i].nlinks == 0;
    if (m.nstrategies == 0)
        H(&text, "The system has no Creative Health strategy yet.");
    else
        H(&text,
          "The system's Creative Health strategy supports %s of the %s priorities of its other"
          " strategies; %s of its own %s priorities %s aligned to nothing.",
          ui_number(a, supported), ui_number(a, m.ncols), ui_number(a, unaligned),
          ui_number(a, m.nrows), unaligned == 1 ? "is" : "are");
    struct html_frag f = html_frag_of(&text);
    static const char *const alignment_links[][2] = {
        {"/alignments/matrix", "Alignment matrix"},
        {"/priorities", "Priorities"},
        {"/alignments", "Alignments"},
    };
    hub_section(&b, "Alignment", &f, alignment_links, 3);

    buf_truncate(&text, 0);
    H(&text, "%s %s overdue.", nlate ? ui_number(a, nlate) : "No",
      nlate == 1 ? "action is" : "actions are");
    f = html_frag_of(&text);
    static const char *const action_links[][2] = {
        {"/actions/overdue", "Overdue actions"},
        {"/actions", "Actions"},
        {"/action-notes", "Progress notes"},
    };
    hub_section(&b, "Actions", &f, action_links, 3);

    buf_truncate(&text, 0);
    H(&text, "Each strategy's record shows who it was co-produced with (local people, people"
             " with lived experience, the voluntary sector, the NHS and local authorities) and"
             " what changed as a result. Open a strategy above to see its record.");
    f = html_frag_of(&text);
    static const char *const coproduction_links[][2] = {
        {"/coproduction", "Co-production activities"},
        {"/coproduction/new", "Record a co-production activity"},
    };
    hub_section(&b, "Co-production", &f, coproduction_links, 2);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Strategy", "/strategy", &main);
}

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
