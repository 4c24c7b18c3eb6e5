/*
 * pages_plans_strategy.c: the strategy pages: the /strategy hub, the
 * alignment matrix (/alignments/matrix), overdue actions
 * (/actions/overdue) and a strategy's record (/strategies/{id}/record).
 * See pages_plans.c for how the views behave.
 */
#include "web/pages_plans_internal.h"

#include "base/text.h"
#include "domain/plans.h"
#include "domain/strategy.h"
#include "domain/structure.h"
#include "web/web.h"

#include <string.h>

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

/* ---- /alignments/matrix ---- */

/* The matrix table: a column group per strategy (in kind order), a row per CH priority. */
static void matrix_table(buf *b, const struct alignment_matrix *m, const char *where)
{
    arena *a = b->a;
    plans_ui_table_start(b, arena_printf(a,
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
void page_alignment_matrix(struct req *r)
{
    arena *a = r->a;
    const char *level = req_query(r, "level"), *place = req_query(r, "place_id");
    struct alignment_matrix m;
    result res = plans_alignment_matrix(&r->ctx, level, place, &m);
    struct form_errors fe;
    buf b;
    if (!plans_ui_begin(r, res, &b, 16384, "/strategy", "Strategy", &fe)) return;
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
    plans_ui_form_end(&b, "Show matrix");
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
void page_overdue_actions(struct req *r)
{
    arena *a = r->a;
    const char *place = req_query(r, "place_id");
    struct overdue_action *acts = NULL;
    int n = 0;
    result res = plans_overdue_actions(&r->ctx, place, &acts, &n);
    struct form_errors fe;
    buf b;
    if (!plans_ui_begin(r, res, &b, 8192, "/strategy", "Strategy", &fe)) return;
    H(&b, "<h1>Overdue actions</h1>"
          "<p class=\"nhsuk-body-l\">Actions of the plan that are past their due date and not"
          " done, the oldest first, with the person answerable for each.</p>");
    H(&b, "<form method=\"get\" action=\"/actions/overdue\" novalidate>");
    place_select(r, &b, &fe, "place", "All places", place);
    plans_ui_form_end(&b, "Show actions");
    if (res == RES_OK && n == 0) {
        H(&b, "<p>No actions are overdue.</p>");
    } else if (res == RES_OK) {
        plans_ui_table_start(&b, n == 1 ? "1 overdue action"
                                        : arena_printf(a, "%d overdue actions", n));
        H(&b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
        plans_ui_th_col(&b, "Action", false);
        plans_ui_th_col(&b, "Due", false);
        plans_ui_th_col(&b, "Days overdue", true);
        plans_ui_th_col(&b, "Status", false);
        plans_ui_th_col(&b, "Owner", false);
        plans_ui_th_col(&b, "Place", false);
        H(&b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < n; i++) {
            const struct overdue_action *x = &acts[i];
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
              "<a class=\"nhsuk-link\" href=\"/actions/%lld\">%s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td>",
              x->id, x->title, plans_ui_long_date(a, x->due_date));
            plans_ui_td_num(&b, ui_number(a, x->days_overdue));
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
        H(&v, "%s to %s", plans_ui_long_date(a, s->period_start),
          plans_ui_long_date(a, s->period_end));
    else if (s->period_start || s->period_end)
        H(&v, "%s %s", s->period_start ? "From" : "Until",
          plans_ui_long_date(a, s->period_start ? s->period_start : s->period_end));
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
    plans_ui_table_start(b, "Co-production activities and who took part");
    H(b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
    plans_ui_th_col(b, "Date", false);
    plans_ui_th_col(b, "Activity", false);
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        plans_ui_th_col(b, ui_choice_text(a, coproduction_participants[k]), true);
    H(b, "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < s->nactivities; i++) {
        const struct coproduction_activity *x = &s->activities[i];
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
          "<th class=\"nhsuk-table__header\" scope=\"row\"><a class=\"nhsuk-link\""
          " href=\"/coproduction/%lld\">%s</a> <span class=\"nhsuk-u-secondary-text-colour\">"
          "(%s)</span></th>",
          plans_ui_long_date(a, x->held_on), x->id, x->title, ui_choice_text(a, x->kind));
        for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
            plans_ui_td_num(b, ui_number(a, x->counts[k]));
        H(b, "</tr>");
    }
    H(b, "</tbody><tfoot><tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\""
         " scope=\"row\" colspan=\"2\">Total</th>");
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        plans_ui_td_num(b, ui_number(a, s->totals[k]));
    H(b, "</tr></tfoot></table></div>");
}

/* GET /strategies/{id}/record: the strategy, its priorities, its co-production and what changed. */
void page_strategy_record(struct req *r)
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
    plans_ui_breadcrumb(&b, "/strategy", "Strategy");
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
          plans_ui_long_date(a, x->held_on));
        lines(&b, x->what_changed);
        H(&b, "</p>");
        told++;
    }
    if (!told) H(&b, "<p>No activity records what changed as a result yet.</p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, s.name, "/strategy", &main);
}

/* GET /strategy: the strategies, their alignment, the actions and co-production. */
void page_strategy(struct req *r)
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
    plans_ui_hub_section(&b, "Alignment", &f, alignment_links, 3);

    buf_truncate(&text, 0);
    H(&text, "%s %s overdue.", nlate ? ui_number(a, nlate) : "No",
      nlate == 1 ? "action is" : "actions are");
    f = html_frag_of(&text);
    static const char *const action_links[][2] = {
        {"/actions/overdue", "Overdue actions"},
        {"/actions", "Actions"},
        {"/action-notes", "Progress notes"},
    };
    plans_ui_hub_section(&b, "Actions", &f, action_links, 3);

    buf_truncate(&text, 0);
    H(&text, "Each strategy's record shows who it was co-produced with (local people, people"
             " with lived experience, the voluntary sector, the NHS and local authorities) and"
             " what changed as a result. Open a strategy above to see its record.");
    f = html_frag_of(&text);
    static const char *const coproduction_links[][2] = {
        {"/coproduction", "Co-production activities"},
        {"/coproduction/new", "Record a co-production activity"},
    };
    plans_ui_hub_section(&b, "Co-production", &f, coproduction_links, 2);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Strategy", "/strategy", &main);
}
