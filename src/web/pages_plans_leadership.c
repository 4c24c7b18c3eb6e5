/*
 * pages_plans_leadership.c: the leadership pages: the /leadership hub,
 * champion coverage (/champions/coverage) and resource totals
 * (/resources/totals). See pages_plans.c for how the views behave.
 */
#include "web/pages_plans_internal.h"

#include "domain/plans.h"
#include "domain/structure.h"

#include <string.h>

/* pence as pounds: 123456 is "£1,234.56". The text belongs to a. */
static const char *money(arena *a, long long pence)
{
    return arena_printf(a, "\xC2\xA3%s.%02lld", ui_number(a, pence / 100), pence % 100);
}

/* A date input for a filter form, named name, showing value. */
static void date_input(buf *b, const struct form_errors *fe, const char *name, const char *label,
                       const char *hint, const char *value)
{
    struct ui_field f = {name, label, hint, form_error_for(fe, name), value};
    ui_input(b, &f, "text", "off", "numeric", "nhsuk-input--width-10", false);
}

/* ---- /champions/coverage ---- */

/* GET /champions/coverage?at=: where there is no champion on a day (today by default). */
void page_champion_coverage(struct req *r)
{
    arena *a = r->a;
    const char *at = req_query(r, "at");
    struct champion_coverage cov;
    result res = plans_champion_coverage(&r->ctx, at, &cov);
    struct form_errors fe;
    buf b;
    if (!plans_ui_begin(r, res, &b, 8192, "/leadership", "Leadership", &fe)) return;
    H(&b, "<h1>Champion coverage</h1>"
          "<p class=\"nhsuk-body-l\">Creative Health needs champions at every level: in the"
          " system, in each place and in each neighbourhood. A champion counts from their"
          " start date to their end date. A place champion does not cover the neighbourhoods"
          " of their place: each neighbourhood needs a champion of its own.</p>");
    H(&b, "<form method=\"get\" action=\"/champions/coverage\" novalidate>");
    date_input(&b, &fe, "at", "date",
               "Written YYYY-MM-DD, like 2026-11-26. Leave it empty for today.", at);
    plans_ui_form_end(&b, "Show coverage");
    if (res == RES_OK) {
        H(&b,
          "<dl class=\"nhsuk-summary-list\">"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">Date</dt>"
          "<dd class=\"nhsuk-summary-list__value\">%s</dd></div>"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">"
          "Active champions</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div>"
          "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">"
          "System champion</dt><dd class=\"nhsuk-summary-list__value\">%s</dd></div></dl>",
          plans_ui_long_date(a, cov.at), ui_number(a, cov.active_champions),
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
            plans_ui_table_start(
                &b, arena_printf(a, "%d neighbourhoods without a champion", cov.nneighbourhoods));
            H(&b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
            plans_ui_th_col(&b, "Neighbourhood", false);
            plans_ui_th_col(&b, "Place", false);
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
    plans_ui_td_num(b, money(b->a, s->amount_pence));
    plans_ui_td_num(b, ui_number(b->a, s->hours));
    H(b, "</tr>");
}

/* The head of a totals table whose first column is first. */
static void sum_head(buf *b, const char *first)
{
    H(b, "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
    plans_ui_th_col(b, first, false);
    plans_ui_th_col(b, "Amount", true);
    plans_ui_th_col(b, "Hours", true);
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
void page_resource_totals(struct req *r)
{
    arena *a = r->a;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    struct resource_totals t;
    result res = plans_resource_totals(&r->ctx, from, to, &t);
    struct form_errors fe;
    buf b;
    if (!plans_ui_begin(r, res, &b, 8192, "/leadership", "Leadership", &fe)) return;
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
    plans_ui_form_end(&b, "Show totals");
    if (res == RES_OK) {
        if (t.from || t.to)
            H(&b, "<p>Commitments in force %s%s%s.</p>",
              t.from ? arena_printf(a, "from %s", plans_ui_long_date(a, t.from)) : "",
              t.from && t.to ? " " : "",
              t.to ? arena_printf(a, "to %s", plans_ui_long_date(a, t.to)) : "");
        else
            H(&b, "<p>Every commitment, whatever its dates.</p>");
        H(&b, "<h2>By place</h2>");
        plans_ui_table_start(&b, "Commitments by place");
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
        plans_ui_table_start(&b, "Commitments by the sector of the organisation making them");
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

/* GET /leadership: champions, their coverage, connections, the network, resources. */
void page_leadership(struct req *r)
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
    plans_ui_hub_section(&b, "Champions", &f, champion_links, 3);

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
    plans_ui_hub_section(&b, "Connections and the network", &f, network_links, 2);

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
    plans_ui_hub_section(&b, "Resources", &f, resource_links, 2);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "Leadership", "/leadership", &main);
}
