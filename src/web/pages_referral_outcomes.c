/*
 * pages_referral_outcomes.c: outcome measures on a referral's page and the
 * feedback pages.
 *
 *   POST /referrals/{id}/outcomes         one questionnaire (measure, stage, an answer
 *                                         per item): 303 back, or the page again (422,
 *                                         409 when already recorded or too early)
 *   GET  /referrals/{id}/feedback?recipient=referrer|gp
 *                                         what goes back: status, attendance, the outcome
 *                                         changes and the person's words (when consent allows)
 *
 * The questionnaires' wordings are domain/measures.c's (measure_texts), so
 * the practitioner's form and the person's own read the same words; so is
 * the scoring: the pages only show it.
 */
#include "web/pages_referrals_internal.h"

#include "domain/measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the ONS4 items are called in results. */
static const char *const ons4_short[] = {"Life satisfaction", "Worthwhile", "Happiness", "Anxiety"};

/* ---- showing outcomes ---- */

/* One recorded outcome's score in words. */
static void score_text(buf *b, arena *a, const rec *o)
{
    const char *m = rec_text(o, "measure");
    if (m && strcmp(m, "swemwbs") == 0)
        H(b, "Metric score <strong>%s</strong> (raw %lld of 35)", rec_text(o, "metric_score"),
          rec_int(o, "raw_score", 0));
    else if (m && strcmp(m, "ucla3") == 0)
        H(b, "Total <strong>%lld</strong> of 9", rec_int(o, "raw_score", 0));
    else if (m && strcmp(m, "ons4") == 0)
        for (int i = 0; i < 4; i++)
            H(b, "%s%s <strong>%lld</strong> (%s)", i ? "<br>" : "", ons4_short[i],
              rec_int(o, ons4_items[i], 0), rec_text(o, arena_printf(a, "%s_band", ons4_items[i])));
}

/* The recorded outcome of measure at stage, or NULL. */
static const rec *find_outcome(const struct store_page *pg, const char *measure, const char *stage)
{
    for (int i = 0; i < pg->nrows; i++)
        if (rec_text(pg->rows[i], "measure") && rec_text(pg->rows[i], "stage") &&
            strcmp(rec_text(pg->rows[i], "measure"), measure) == 0 &&
            strcmp(rec_text(pg->rows[i], "stage"), stage) == 0)
            return pg->rows[i];
    return NULL;
}

/* A signed change: "+3.50", "-2", "no change". */
static const char *signed_text(arena *a, double d, bool decimals)
{
    if (fabs(d) < 0.005) return "no change";
    return decimals ? arena_printf(a, "%+.2f", d) : arena_printf(a, "%+.0f", d);
}

/* The paired change (baseline to final) of each measure with both. */
static void paired_changes(buf *b, arena *a, const struct store_page *pg)
{
    bool any = false;
    for (int k = 0; k < measure_texts_len; k++) {
        const char *code = measure_texts[k].code;
        const rec *base = find_outcome(pg, code, "baseline");
        const rec *fin = find_outcome(pg, code, "final");
        if (!base || !fin) continue;
        if (!any) H(b, "<h3>Change from the start to the end</h3><ul class=\"nhsuk-list\">");
        any = true;
        if (strcmp(code, "swemwbs") == 0) {
            double bv =
                strtod(rec_text(base, "metric_score") ? rec_text(base, "metric_score") : "0", NULL);
            double fv =
                strtod(rec_text(fin, "metric_score") ? rec_text(fin, "metric_score") : "0", NULL);
            double d = fv - bv;
            H(b, "<li class=\"chis-change\">SWEMWBS: %s to %s, <strong>%s</strong>",
              arena_printf(a, "%.2f", bv), arena_printf(a, "%.2f", fv), signed_text(a, d, true));
            if (d >= SWEMWBS_MEANINGFUL_CHANGE)
                H(b, " <strong class=\"nhsuk-tag nhsuk-tag--green\">Meaningful improvement"
                     "</strong>");
            else if (d <= -SWEMWBS_MEANINGFUL_CHANGE)
                H(b, " <strong class=\"nhsuk-tag nhsuk-tag--orange\">Meaningful decline</strong>");
            H(b, "</li>");
        } else if (strcmp(code, "ucla3") == 0) {
            long long bv = rec_int(base, "raw_score", 0), fv = rec_int(fin, "raw_score", 0);
            H(b,
              "<li class=\"chis-change\">UCLA-3 loneliness: %lld to %lld, <strong>%s</strong>"
              " (lower is less lonely)</li>",
              bv, fv, signed_text(a, (double)(fv - bv), false));
        } else {
            H(b, "<li class=\"chis-change\">ONS4:");
            for (int i = 0; i < 4; i++) {
                long long bv = rec_int(base, ons4_items[i], 0), fv = rec_int(fin, ons4_items[i], 0);
                H(b, "%s %s %lld to %lld (<strong>%s</strong>)", i ? "," : "", ons4_short[i], bv,
                  fv, signed_text(a, (double)(fv - bv), false));
            }
            H(b, "</li>");
        }
    }
    if (any) H(b, "</ul>");
}

/* One questionnaire's form (in a details element, open when it failed). */
static void measure_form(buf *b, struct req *r, long long id, const struct measure_text *m,
                         const struct rp_detail_state *st)
{
    arena *a = r->a;
    const char *key = arena_printf(a, "outcome:%s", m->code);
    bool failed = st && st->failed && strcmp(st->failed, key) == 0;
    const struct form_errors *fe = failed ? &st->fe : NULL;
    H(b,
      "<details class=\"nhsuk-details\" id=\"record-%s\"%s><summary"
      " class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">Record"
      " %s</span></summary><div class=\"nhsuk-details__text\">",
      m->code, failed ? " open" : "", m->name);
    H(b, "<form method=\"post\" action=\"/referrals/%lld/outcomes\" novalidate>", id);
    ui_hidden(b, "csrf", r->ctx.actor->csrf);
    ui_hidden(b, "measure", m->code);
    H(b, "<h3 class=\"nhsuk-heading-s\">%s</h3>", m->title);
    int ns = 0;
    while (outcome_stages[ns])
        ns++;
    const char *sname = arena_printf(a, "%s_stage", m->code);
    const char *stage = failed ? req_form(r, sname) : NULL;
    struct ui_option *sopts = arena_alloc(a, sizeof *sopts * (size_t)ns);
    for (int i = 0; i < ns; i++)
        sopts[i] = (struct ui_option){outcome_stages[i], ui_choice_text(a, outcome_stages[i]),
                                      stage && strcmp(stage, outcome_stages[i]) == 0};
    struct ui_field f = {sname, "stage", NULL, form_error_for(fe, sname), NULL};
    ui_radios(b, &f, sopts, ns, true);
    H(b, "<p>%s</p>", m->intro);
    int nans = m->hi - m->lo + 1;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)nans);
    for (int i = 0; i < m->nitems; i++) {
        const char *name = arena_printf(a, "%s_%d", m->code, i + 1);
        const char *got = failed ? req_form(r, name) : NULL;
        for (int v = m->lo; v <= m->hi; v++) {
            const char *val = arena_printf(a, "%d", v);
            const char *text = m->answers   ? m->answers[v - m->lo]
                               : v == m->lo ? arena_printf(a, "%d (not at all)", v)
                               : v == m->hi ? arena_printf(a, "%d (completely)", v)
                                            : val;
            opts[v - m->lo] = (struct ui_option){val, text, got && strcmp(got, val) == 0};
        }
        f = (struct ui_field){name, arena_printf(a, "%d. %s", i + 1, m->items[i]), NULL,
                              form_error_for(fe, name), NULL};
        ui_radios(b, &f, opts, nans, true);
    }
    if (m->notice) H(b, "<p class=\"nhsuk-body-s\">%s</p>", m->notice);
    H(b,
      "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
      " type=\"submit\">Save %s</button></form></div></details>",
      m->name);
}

/* See pages_referrals_internal.h. */
void rp_outcomes_section(buf *b, struct req *r, long long id, bool may_record,
                         const struct rp_detail_state *st)
{
    arena *a = r->a;
    struct store_page pg = {0};
    struct ctx saved = r->ctx;
    result res = outcome_list(&r->ctx, id, &pg);
    r->ctx = saved;
    if (res != RES_OK) return;
    if (pg.nrows == 0 && !may_record) return;
    H(b, "<h2 id=\"outcomes\">Outcomes</h2>");
    if (pg.nrows == 0)
        H(b, "<p>No questionnaires recorded yet. Record a baseline when the person starts.</p>");
    else {
        H(b, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption"
             " nhsuk-u-visually-hidden\">Outcomes recorded</caption><thead"
             " class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Questionnaire</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Stage</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Score</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Recorded</th></tr></thead>"
             "<tbody class=\"nhsuk-table__body\">");
        bool swemwbs = false;
        for (int i = 0; i < pg.nrows; i++) {
            const rec *o = pg.rows[i];
            const struct measure_text *m = measure_text_find(rec_text(o, "measure"));
            swemwbs = swemwbs || (m && strcmp(m->code, "swemwbs") == 0);
            H(b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
              m ? m->name : rec_text(o, "measure"), ui_choice_text(a, rec_text(o, "stage")));
            score_text(b, a, o);
            H(b, "</td><td class=\"nhsuk-table__cell\">%s%s</td></tr>",
              ui_time(a, rec_text(o, "recorded_at")),
              rec_text(o, "via") && strcmp(rec_text(o, "via"), "link") == 0 ? " (by the person)"
                                                                            : "");
        }
        H(b, "</tbody></table>");
        paired_changes(b, a, &pg);
        if (swemwbs) H(b, "<p class=\"nhsuk-body-s\">SWEMWBS %s</p>", SWEMWBS_NOTICE);
    }
    if (!may_record) return;
    for (int i = 0; i < measure_texts_len; i++)
        measure_form(b, r, id, &measure_texts[i], st);
}

/* POST /referrals/{id}/outcomes */
void rp_page_outcome_post(struct req *r)
{
    if (!rp_allowed(r)) return;
    long long id = rp_path_id(r, 0);
    if (!id) return;
    arena *a = r->a;
    const struct measure_text *m = measure_text_find(rp_form(r, "measure"));
    if (!m) {
        ctx_field_error(&r->ctx, "measure", "Choose a questionnaire");
        rp_referral_failed(r, id, RES_INVALID, "outcome", NULL);
        return;
    }
    const char *sname = arena_printf(a, "%s_stage", m->code);
    int answers[MEASURE_MAX_ITEMS + 4];
    const char **renames = arena_alloc(a, sizeof *renames * (size_t)(2 * m->nitems + 8));
    int k = 0;
    renames[k++] = "stage";
    renames[k++] = sname;
    renames[k++] = "answers";
    renames[k++] = arena_printf(a, "%s_1", m->code);
    for (int i = 0; i < m->nitems; i++) {
        const char *name = arena_printf(a, "%s_%d", m->code, i + 1);
        renames[k++] = arena_printf(a, "answers[%d]", i);
        renames[k++] = name;
        const char *v = rp_form(r, name);
        char *end = NULL;
        long val = v ? strtol(v, &end, 10) : 0;
        if (!v || !end || *end) ctx_field_error(&r->ctx, name, "Answer question %d", i + 1);
        answers[i] = (int)val;
    }
    renames[k] = NULL;
    const char *stage = rp_form(r, sname);
    if (!stage) ctx_field_error(&r->ctx, sname, "Choose the stage");
    result res = RES_INVALID;
    if (r->ctx.nerrors == 0) {
        struct outcome_input in = {m->code, stage, answers, m->nitems};
        res = outcome_record(&r->ctx, id, &in, NULL);
    }
    if (res == RES_OK) {
        resp_redirect(r, arena_printf(a, "/referrals/%lld#outcomes", id));
        return;
    }
    rp_referral_failed(r, id, res, arena_printf(a, "outcome:%s", m->code), renames);
}

/* ---- feedback ---- */

/* GET /referrals/{id}/feedback?recipient=referrer|gp */
void rp_page_feedback(struct req *r)
{
    if (!rp_allowed(r)) return;
    long long id = rp_path_id(r, 0);
    if (!id) return;
    arena *a = r->a;
    const char *recipient = rp_nonempty(req_query(r, "recipient"));
    if (!recipient) recipient = "referrer";
    struct feedback fb;
    memset(&fb, 0, sizeof fb);
    result res = feedback_get(&r->ctx, id, recipient, &fb);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    bool gp = strcmp(recipient, "gp") == 0;
    const rec *ref = fb.referral;
    const char *who = ref ? rec_text(ref, "participant_name") : NULL;
    buf b;
    buf_init(&b, a, 16384);
    rp_breadcrumbs(&b, arena_printf(a, "/referrals/%lld", id),
                   who ? who : arena_printf(a, "Referral #%lld", id));
    const char *title = gp ? "Feedback to the GP" : "Feedback to the referrer";
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s<span class=\"nhsuk-u-visually-hidden\"> &ndash; "
      "</span></span>%s</h1>",
      ref ? rec_text(ref, "service_name") : "", title);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    if (who) rp_summary_text(&b, "Person", who);
    if (ref) {
        buf v;
        buf_init(&v, a, 128);
        rp_status_tag(&v, a, rec_text(ref, "status"));
        struct html_frag vf = html_frag_of(&v);
        rp_summary_row(&b, "Status", &vf);
        rp_summary_text(&b, "Provider", rec_text(ref, "receiving_org_name"));
        if (rec_text(ref, "started_at"))
            rp_summary_text(&b, "Started", ui_time(a, rec_text(ref, "started_at")));
        if (rec_text(ref, "ended_at"))
            rp_summary_text(&b, "Ended", ui_time(a, rec_text(ref, "ended_at")));
        if (rec_text(ref, "reason")) rp_summary_text(&b, "Reason", rec_text(ref, "reason"));
    }
    rp_summary_text(&b, "Attendance",
                    arena_printf(a, "Came to %lld of %lld sessions", fb.sessions_attended,
                                 fb.sessions_attended + fb.sessions_missed));
    H(&b, "</dl>");
    H(&b, "<h2>Outcomes</h2>");
    if (!fb.outcomes_shared)
        H(&b, "<p>The person has not agreed to share their outcomes and words with %s.</p>",
          gp ? "their GP" : "the referrer");
    else {
        bool any = fb.has_swemwbs || fb.has_ucla || fb.has_ons4;
        if (!any) H(&b, "<p>No paired outcomes yet (a baseline and a final are needed).</p>");
        H(&b, "<ul class=\"nhsuk-list\">");
        if (fb.has_swemwbs) {
            H(&b, "<li class=\"chis-change\">Wellbeing (SWEMWBS): %s to %s, <strong>%s</strong>",
              arena_printf(a, "%.2f", fb.swemwbs_baseline),
              arena_printf(a, "%.2f", fb.swemwbs_final), signed_text(a, fb.swemwbs_change, true));
            if (fb.swemwbs_meaningful)
                H(&b, " <strong class=\"nhsuk-tag nhsuk-tag--green\">Meaningful change</strong>");
            H(&b, "</li>");
        }
        if (fb.has_ucla)
            H(&b,
              "<li class=\"chis-change\">Loneliness (UCLA-3): %d to %d, <strong>%s</strong>"
              " (lower is less lonely)</li>",
              fb.ucla_baseline, fb.ucla_final,
              signed_text(a, (double)(fb.ucla_final - fb.ucla_baseline), false));
        if (fb.has_ons4) {
            H(&b, "<li class=\"chis-change\">Personal wellbeing (ONS4):");
            for (int i = 0; i < 4; i++)
                H(&b, "%s %s %d to %d", i ? "," : "", ons4_short[i], fb.ons4_baseline[i],
                  fb.ons4_final[i]);
            H(&b, "</li>");
        }
        H(&b, "</ul>");
        if (fb.has_swemwbs) H(&b, "<p class=\"nhsuk-body-s\">SWEMWBS %s</p>", SWEMWBS_NOTICE);
        if (fb.goals.nrows > 0) {
            H(&b, "<h2>Their goals</h2><ul class=\"nhsuk-list nhsuk-list--bullet\">");
            for (int i = 0; i < fb.goals.nrows; i++) {
                const rec *g = fb.goals.rows[i];
                H(&b, "<li>%s", rec_text(g, "goal"));
                if (!rec_is_null(g, "baseline") || !rec_is_null(g, "final")) {
                    H(&b, " (");
                    if (!rec_is_null(g, "baseline"))
                        H(&b, "at the start %lld", rec_int(g, "baseline", 0));
                    if (!rec_is_null(g, "final"))
                        H(&b, "%sat the end %lld", rec_is_null(g, "baseline") ? "" : ", ",
                          rec_int(g, "final", 0));
                    H(&b, " out of 10)");
                }
                H(&b, "</li>");
            }
            H(&b, "</ul>");
        }
        if (fb.stories.nrows > 0) {
            H(&b, "<h2>In their own words</h2>");
            for (int i = 0; i < fb.stories.nrows; i++) {
                if (!rec_text(fb.stories.rows[i], "body")) continue;
                H(&b, "<blockquote class=\"nhsuk-inset-text chis-story\"><p>");
                rp_lines(&b, rec_text(fb.stories.rows[i], "body"));
                H(&b, "</p></blockquote>");
            }
        }
    }
    H(&b, "<h2>Messages</h2>");
    if (fb.messages.nrows == 0) H(&b, "<p>No messages yet.</p>");
    for (int i = 0; i < fb.messages.nrows; i++) {
        const rec *msg = fb.messages.rows[i];
        H(&b,
          "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p"
          " class=\"nhsuk-body-s\">%s, from %s</p><p class=\"nhsuk-card__description\">",
          ui_time(a, rec_text(msg, "created_at")), rec_text(msg, "author"));
        rp_lines(&b, rec_text(msg, "body") ? rec_text(msg, "body") : "(removed)");
        H(&b, "</p></div></div>");
    }
    H(&b, "<p><a class=\"nhsuk-link\" href=\"/referrals/%lld/feedback?recipient=%s\">%s</a></p>",
      id, gp ? "referrer" : "gp", gp ? "Feedback to the referrer" : "Feedback to the GP");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, title, RP_SECTION, &main);
}
