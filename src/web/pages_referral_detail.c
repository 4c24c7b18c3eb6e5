/*
 * pages_referral_detail.c: one referral, for either side of it.
 *
 *   GET  /referrals/{id}                 status and timeline, SNOMED code with its term,
 *                                        the governance warning, the moves the actor's side
 *                                        may make, outcomes, goals, stories, attendance,
 *                                        one-time outcome links and messages back
 *   POST /referrals/{id}/transitions     to=STATE (reason-STATE when it needs a reason)
 *   POST /referrals/{id}/attendance      provider side: a session date and attended or not
 *   POST /referrals/{id}/goals           a goal in the person's words (rating optional)
 *   POST /referrals/{id}/goals/{g}/ratings   a goal's rating at a stage
 *   POST /referrals/{id}/stories         the person's words
 *   POST /referrals/{id}/messages        provider side: a message to the referrer or the GP
 *   POST /referrals/{id}/links           a one-time outcome link, shown once on the answer
 *
 * Success answers 303 back to the referral (the link is the exception: its
 * secret is shown once, so the page is the answer). A refusal shows the
 * page again with an error summary, the form re-opened with what was typed,
 * and the domain's status: 403 (not your side), 409 (the state forbids it,
 * named), 422 (missing or wrong input). Nothing changes then.
 */
#include "web/pages_referrals_internal.h"

#include "base/text.h"

#include <string.h>

/* What each move reads as: target state, heading, reason label, button. */
static const struct move_text {
    const char *to;
    const char *heading; /* NULL: a button only */
    const char *reason_label;
    const char *button;
    bool warning;
} move_texts[] = {
    {"sent", NULL, NULL, "Send referral", false},
    {"accepted", NULL, NULL, "Accept", false},
    {"waitlisted", NULL, NULL, "Add to the waiting list", false},
    {"started", NULL, NULL, "Mark as started", false},
    {"completed", NULL, NULL, "Mark as completed", false},
    {"declined", "Decline the referral", "why is it declined?", "Decline referral", true},
    {"dropped_out", "Record that they stopped coming", "why did they stop?", "Record drop-out",
     true},
    {"cancelled", "Cancel the referral", "why is it cancelled?", "Cancel referral", true},
};

/* The text of the move to state to, or NULL. */
static const struct move_text *move_text(const char *to)
{
    for (size_t i = 0; to && i < sizeof move_texts / sizeof move_texts[0]; i++)
        if (strcmp(move_texts[i].to, to) == 0) return &move_texts[i];
    return NULL;
}

/* Was the form with this key the one that failed? */
static bool is_failed(const struct rp_detail_state *st, const char *key)
{
    return st && st->failed && strcmp(st->failed, key) == 0;
}

/* The errors to show on a form: the failed one's, else none. */
static const struct form_errors *errors_for(const struct rp_detail_state *st, const char *key)
{
    return is_failed(st, key) ? &st->fe : NULL;
}

/* A form value when this form failed (to show what was typed), else NULL. */
static const char *typed(struct req *r, const struct rp_detail_state *st, const char *key,
                         const char *name)
{
    return is_failed(st, key) ? req_form(r, name) : NULL;
}

/* The start of a POST form on the referral, with the CSRF field. */
static void form_open(buf *b, struct req *r, long long id, const char *path)
{
    H(b, "<form method=\"post\" action=\"/referrals/%lld/%s\" novalidate>", id, path);
    ui_hidden(b, "csrf", r->ctx.actor->csrf);
}

/* The submit button and the end of a form. */
static void form_close(buf *b, const char *button, bool secondary)
{
    H(b,
      "<button class=\"nhsuk-button%s\" data-module=\"nhsuk-button\" type=\"submit\">%s</button>"
      "</form>",
      secondary ? " nhsuk-button--secondary" : "", button);
}

/* 0-10 as select options after a first blank one. */
static struct ui_option *rating_options(arena *a, const char *blank, const char *current)
{
    struct ui_option *opts = arena_alloc(a, sizeof *opts * 12);
    opts[0] = (struct ui_option){"", blank, !current || !*current};
    for (int i = 0; i <= 10; i++) {
        const char *v = arena_printf(a, "%d", i);
        opts[i + 1] = (struct ui_option){v, v, current && strcmp(current, v) == 0};
    }
    return opts;
}

/* The stages as options, the one equal to current selected. */
static struct ui_option *stage_options(arena *a, const char *current, int *n)
{
    int k = 0;
    while (outcome_stages[k])
        k++;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)k);
    for (int i = 0; i < k; i++)
        opts[i] = (struct ui_option){outcome_stages[i], ui_choice_text(a, outcome_stages[i]),
                                     current && strcmp(current, outcome_stages[i]) == 0};
    *n = k;
    return opts;
}

/* The moves the actor's side may make from the referral's state. */
static void moves_section(buf *b, struct req *r, long long id, enum referral_status status,
                          unsigned sides, const struct rp_detail_state *st)
{
    bool any = false;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < referral_transitions_len; i++) {
            const struct referral_transition *t = &referral_transitions[i];
            if (t->from != status || !(t->sides & sides)) continue;
            const char *to = referral_status_name(t->to);
            const struct move_text *mt = move_text(to);
            bool with_reason = t->reason_required || (mt && mt->heading);
            if ((pass == 0) == with_reason) continue; /* buttons first, then the forms */
            if (!any) H(b, "<h2 id=\"actions\">What you can do</h2>");
            any = true;
            const char *key = arena_printf(r->a, "transition:%s", to);
            if (!with_reason) {
                form_open(b, r, id, "transitions");
                ui_hidden(b, "to", to);
                form_close(b, mt ? mt->button : ui_choice_text(r->a, to),
                           t->to != REFERRAL_ACCEPTED && t->to != REFERRAL_SENT &&
                               t->to != REFERRAL_STARTED && t->to != REFERRAL_COMPLETED);
                continue;
            }
            const char *field = arena_printf(r->a, "reason-%s", to);
            /* The referrer side declines for the person (who turned the offer down). */
            bool for_person = t->to == REFERRAL_DECLINED && !(sides & SIDE_PROVIDER);
            H(b, "<h3 id=\"%s\">%s</h3>",
              t->to == REFERRAL_DECLINED ? "decline" : arena_printf(r->a, "move-%s", to),
              for_person ? "The person has declined the offer"
              : mt       ? mt->heading
                         : ui_choice_text(r->a, to));
            form_open(b, r, id, "transitions");
            ui_hidden(b, "to", to);
            struct ui_field f = {field,
                                 for_person ? "why did they decline?"
                                 : mt       ? mt->reason_label
                                            : "reason",
                                 NULL, form_error_for(errors_for(st, key), field),
                                 typed(r, st, key, field)};
            ui_textarea(b, &f, 3);
            H(b,
              "<button class=\"nhsuk-button%s\" data-module=\"nhsuk-button\" type=\"submit\">%s"
              "</button></form>",
              mt && mt->warning ? " nhsuk-button--warning" : "",
              for_person ? "Record that they declined"
              : mt       ? mt->button
                         : to);
        }
}

/* The timeline of status changes. */
static void timeline(buf *b, struct req *r, const struct store_page *events)
{
    arena *a = r->a;
    H(b, "<h2>What has happened</h2><ol class=\"nhsuk-list chis-timeline\">");
    for (int i = 0; i < events->nrows; i++) {
        const rec *e = events->rows[i];
        H(b,
          "<li class=\"nhsuk-u-margin-bottom-3\"><h3 class=\"nhsuk-heading-s"
          " nhsuk-u-margin-bottom-1\">%s</h3><p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\">"
          "%s, by %s</p>",
          ui_choice_text(a, rec_text(e, "to_status")), ui_time(a, rec_text(e, "at")),
          rec_text(e, "actor"));
        if (rec_text(e, "reason")) {
            H(b, "<p class=\"nhsuk-body nhsuk-u-margin-bottom-0\">");
            rp_lines(b, rec_text(e, "reason"));
            H(b, "</p>");
        }
        H(b, "</li>");
    }
    H(b, "</ol>");
}

/*
 * Fills pg with what list gives for referral id. Its failure (the actor may
 * not see the person's outcomes, say) is not the page's: the section is
 * left out, so the ctx is put back as it was. False when there is none.
 */
static bool section_rows(struct req *r, long long id,
                         result (*list)(struct ctx *, long long, struct store_page *),
                         struct store_page *pg)
{
    struct ctx saved = r->ctx;
    result res = list(&r->ctx, id, pg);
    r->ctx = saved;
    return res == RES_OK;
}

/* Attendance: the sessions recorded, and the provider side's form. */
static void attendance_section(buf *b, struct req *r, long long id, bool provider, bool open,
                               const struct rp_detail_state *st)
{
    arena *a = r->a;
    struct store_page pg = {0};
    if (!section_rows(r, id, attendance_list, &pg)) return;
    if (pg.nrows == 0 && !(provider && open)) return;
    H(b, "<h2 id=\"attendance\">Attendance</h2>");
    if (pg.nrows == 0)
        H(b, "<p>No sessions recorded yet.</p>");
    else {
        long long came = 0;
        H(b, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption"
             " nhsuk-u-visually-hidden\">Sessions</caption><thead class=\"nhsuk-table__head\">"
             "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"col\">"
             "Session</th><th class=\"nhsuk-table__header\" scope=\"col\">Attended</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Note</th></tr></thead>"
             "<tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *s = pg.rows[i];
            const struct val *v = rec_get(s, "attended");
            bool yes = v && v->i;
            came += yes;
            H(b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
              "</tr>",
              rec_text(s, "session_date"), yes ? "Yes" : "No", rec_text(s, "note"));
        }
        H(b, "</tbody></table><p>Came to %lld of %d sessions.</p>", came, pg.nrows);
    }
    if (!provider || !open) return;
    const char *key = "attendance";
    const struct form_errors *fe = errors_for(st, key);
    H(b, "<h3>Record a session</h3>");
    form_open(b, r, id, "attendance");
    rp_date_input(b, r, "session_date", "date of the session", "For example, 4 11 2026",
                  form_error_for(fe, "session_date"),
                  is_failed(st, key) ? NULL : arena_strndup(a, r->ctx.now_iso, 10));
    const char *att = typed(r, st, key, "attended");
    struct ui_option opts[2] = {{"true", "Attended", !att || strcmp(att, "true") == 0},
                                {"false", "Did not attend", att && strcmp(att, "false") == 0}};
    struct ui_field f = {"attended", "did they come?", NULL, form_error_for(fe, "attended"), NULL};
    ui_radios(b, &f, opts, 2, true);
    f = (struct ui_field){"attendance_note", "note (optional)", NULL,
                          form_error_for(fe, "attendance_note"),
                          typed(r, st, key, "attendance_note")};
    ui_textarea(b, &f, 2);
    form_close(b, "Record attendance", true);
}

/* Goals in the person's words with their ratings, and the forms. */
static void goals_section(buf *b, struct req *r, long long id, bool may_record,
                          const struct rp_detail_state *st)
{
    arena *a = r->a;
    struct store_page pg = {0};
    if (!section_rows(r, id, goal_list, &pg)) return;
    if (pg.nrows == 0 && !may_record) return;
    H(b, "<h2 id=\"goals\">Personal goals</h2>");
    if (pg.nrows == 0) H(b, "<p>No goals yet.</p>");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *g = pg.rows[i];
        long long gid = rec_int(g, "id", 0);
        H(b, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p"
             " class=\"nhsuk-card__description\">");
        rp_lines(b, rec_text(g, "goal"));
        H(b, "</p><p class=\"nhsuk-body-s\">");
        for (int s = 0; outcome_stages[s]; s++) {
            const char *stage = outcome_stages[s];
            H(b, "%s%s: ", s ? " · " : "", ui_choice_text(a, stage));
            if (rec_is_null(g, stage))
                H(b, "not rated");
            else
                H(b, "<strong>%lld</strong> out of 10", rec_int(g, stage, 0));
        }
        H(b, "</p>");
        if (may_record) {
            const char *key = arena_printf(a, "rate:%lld", gid);
            const struct form_errors *fe = errors_for(st, key);
            const char *sname = arena_printf(a, "stage-%lld", gid);
            const char *rname = arena_printf(a, "rating-%lld", gid);
            H(b,
              "<details class=\"nhsuk-details\"%s><summary class=\"nhsuk-details__summary\">"
              "<span class=\"nhsuk-details__summary-text\">Rate this goal</span></summary>"
              "<div class=\"nhsuk-details__text\">",
              is_failed(st, key) ? " open" : "");
            form_open(b, r, id, arena_printf(a, "goals/%lld/ratings", gid));
            int n;
            struct ui_option *opts = stage_options(a, typed(r, st, key, sname), &n);
            struct ui_field f = {sname, "stage", NULL, form_error_for(fe, sname), NULL};
            ui_select(b, &f, opts, n);
            f = (struct ui_field){rname, "rating", "0 is not at all, 10 is completely",
                                  form_error_for(fe, rname), NULL};
            ui_select(b, &f, rating_options(a, "", typed(r, st, key, rname)), 12);
            form_close(b, "Save the rating", true);
            H(b, "</div></details>");
        }
        H(b, "</div></div>");
    }
    if (!may_record) return;
    const char *key = "goal";
    const struct form_errors *fe = errors_for(st, key);
    H(b, "<h3>Add a goal</h3>");
    form_open(b, r, id, "goals");
    struct ui_field f = {"goal", "the goal, in their words", NULL, form_error_for(fe, "goal"),
                         typed(r, st, key, "goal")};
    ui_textarea(b, &f, 2);
    f = (struct ui_field){"goal_rating", "where are they now? (optional)",
                          "0 is not at all, 10 is completely", form_error_for(fe, "goal_rating"),
                          NULL};
    ui_select(b, &f, rating_options(a, "Not rated yet", typed(r, st, key, "goal_rating")), 12);
    form_close(b, "Add the goal", true);
}

/* The person's words: the stories recorded and the form. */
static void stories_section(buf *b, struct req *r, long long id, bool may_record,
                            const struct rp_detail_state *st)
{
    arena *a = r->a;
    struct store_page pg = {0};
    if (!section_rows(r, id, story_list, &pg)) return;
    if (pg.nrows == 0 && !may_record) return;
    H(b, "<h2 id=\"stories\">In their own words</h2>");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *s = pg.rows[i];
        H(b, "<blockquote class=\"nhsuk-inset-text\"><p>");
        rp_lines(b, rec_text(s, "body") ? rec_text(s, "body") : "(removed)");
        H(b, "</p><p class=\"nhsuk-body-s\">%s%s</p></blockquote>",
          ui_time(a, rec_text(s, "created_at")),
          rec_text(s, "via") && strcmp(rec_text(s, "via"), "link") == 0 ? ", written by them" : "");
    }
    if (!may_record) return;
    const char *key = "story";
    form_open(b, r, id, "stories");
    struct ui_field f = {"story", "add what they said", "Their own words, as they said them",
                         form_error_for(errors_for(st, key), "story"), typed(r, st, key, "story")};
    ui_textarea(b, &f, 4);
    form_close(b, "Add their words", true);
}

/* A one-time link for the person (the one just made shown once), and the form. */
static void link_section(buf *b, struct req *r, long long id, const struct rp_detail_state *st)
{
    arena *a = r->a;
    H(b, "<h2 id=\"link\">Questionnaire link for the person</h2>");
    if (st && st->link_url)
        H(b,
          "<div class=\"nhsuk-inset-text chis-outcome-link\"><span"
          " class=\"nhsuk-u-visually-hidden\">Information: </span><p>Give the person this link."
          " It is shown only now, works once, and expires on %s.</p><p><strong><a"
          " class=\"nhsuk-link\" href=\"%s\" id=\"outcome-link\">%s</a></strong></p></div>",
          ui_time(a, st->link_expires), st->link_url, st->link_url);
    H(b,
      "<p>The person can answer the questionnaires on their own phone: no account is needed."
      " The link works once and expires after %d days.</p>",
      OUTCOME_LINK_DAYS);
    const char *key = "link";
    const struct form_errors *fe = errors_for(st, key);
    form_open(b, r, id, "links");
    int n;
    struct ui_option *opts = stage_options(a, typed(r, st, key, "link_stage"), &n);
    struct ui_field f = {"link_stage", "stage", NULL, form_error_for(fe, "link_stage"), NULL};
    ui_radios(b, &f, opts, n, true);
    const char *ticked[8];
    int nticked = is_failed(st, key) ? req_form_all(r, "link_measures", ticked, 8) : -1;
    struct ui_option *mopts = arena_alloc(a, sizeof *mopts * (size_t)measure_texts_len);
    for (int i = 0; i < measure_texts_len; i++) {
        bool on = nticked < 0;
        for (int k = 0; k < nticked; k++)
            on = on || strcmp(ticked[k], measure_texts[i].code) == 0;
        mopts[i] = (struct ui_option){measure_texts[i].code, measure_texts[i].name, on};
    }
    f = (struct ui_field){"link_measures", "questionnaires", NULL,
                          form_error_for(fe, "link_measures"), NULL};
    ui_checkboxes(b, &f, mopts, measure_texts_len);
    form_close(b, "Make a link", true);
}

/* Messages back to the referrer or the GP (provider side). */
static void messages_section(buf *b, struct req *r, long long id, bool provider,
                             const struct rp_detail_state *st)
{
    H(b,
      "<h2 id=\"feedback\">Feedback</h2><ul class=\"nhsuk-list\">"
      "<li><a class=\"nhsuk-link\" href=\"/referrals/%lld/feedback?recipient=referrer\">"
      "Feedback to the referrer</a></li><li><a class=\"nhsuk-link\""
      " href=\"/referrals/%lld/feedback?recipient=gp\">Feedback to the GP</a></li></ul>",
      id, id);
    if (!provider) return;
    const char *key = "message";
    const struct form_errors *fe = errors_for(st, key);
    H(b, "<h3>Send a message back</h3>");
    form_open(b, r, id, "messages");
    const char *to = typed(r, st, key, "recipient");
    struct ui_option opts[2] = {{"referrer", "The referrer", !to || strcmp(to, "referrer") == 0},
                                {"gp", "Their GP", to && strcmp(to, "gp") == 0}};
    struct ui_field f = {"recipient", "to", NULL, form_error_for(fe, "recipient"), NULL};
    ui_radios(b, &f, opts, 2, true);
    f = (struct ui_field){"message", "message", NULL, form_error_for(fe, "message"),
                          typed(r, st, key, "message")};
    ui_textarea(b, &f, 4);
    form_close(b, "Send the message", true);
}

/* The referral's details as a summary list. */
static void details(buf *b, struct req *r, const rec *row)
{
    arena *a = r->a;
    buf v;
    struct html_frag vf;
    H(b, "<dl class=\"nhsuk-summary-list\">");
    buf_init(&v, a, 256);
    rp_status_tag(&v, a, rec_text(row, "status"));
    if (rec_int(row, "waitlist_position", 0) > 0)
        H(&v, " number %lld on the waiting list", rec_int(row, "waitlist_position", 0));
    vf = html_frag_of(&v);
    rp_summary_row(b, "Status", &vf);
    buf_init(&v, a, 256);
    if (rec_text(row, "participant_name"))
        H(&v, "<a class=\"nhsuk-link\" href=\"/participants/%lld\">%s</a>",
          rec_int(row, "participant_id", 0), rec_text(row, "participant_name"));
    else
        H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">Not shared with you</span>");
    vf = html_frag_of(&v);
    rp_summary_row(b, "Person", &vf);
    buf_init(&v, a, 256);
    H(&v, "<a class=\"nhsuk-link\" href=\"/directory/services/%U\">%s</a>",
      rec_text(row, "service_id"), rec_text(row, "service_name"));
    vf = html_frag_of(&v);
    rp_summary_row(b, "Service", &vf);
    rp_summary_text(b, "Provider", rec_text(row, "receiving_org_name"));
    rp_summary_text(b, "Referred by",
                    rec_int(row, "self_referral", 0)
                        ? arena_printf(a, "%s (self-referral)", rec_text(row, "referring_org_name"))
                        : rec_text(row, "referring_org_name"));
    rp_summary_text(b, "Urgency", ui_choice_text(a, rec_text(row, "urgency")));
    buf_init(&v, a, 256);
    const char *needs = rec_text(row, "needs");
    if (needs && *needs) {
        H(&v, "<ul class=\"nhsuk-list nhsuk-u-margin-bottom-0\">");
        char *copy = arena_strdup(a, needs), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            H(&v, "<li>%s</li>", rp_term_name(t));
        H(&v, "</ul>");
    } else
        H(&v, "<span class=\"nhsuk-u-secondary-text-colour\">None given</span>");
    vf = html_frag_of(&v);
    rp_summary_row(b, "Needs", &vf);
    rp_summary_text(b, "Notes", rec_text(row, "notes"));
    if (rec_text(row, "snomed_code")) {
        buf_init(&v, a, 256);
        H(&v, "<span class=\"chis-snomed\">%s</span> %s", rec_text(row, "snomed_code"),
          rec_text(row, "snomed_term") ? rec_text(row, "snomed_term") : "");
        vf = html_frag_of(&v);
        rp_summary_row(b, "SNOMED CT", &vf);
    }
    if (rec_text(row, "reason")) rp_summary_text(b, "Reason", rec_text(row, "reason"));
    static const char *const dates[][2] = {{"created_at", "Created"},
                                           {"sent_at", "Sent"},
                                           {"accepted_at", "Accepted"},
                                           {"started_at", "Started"},
                                           {"ended_at", "Ended"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (rec_text(row, dates[i][0]))
            rp_summary_text(b, dates[i][1], ui_time(a, rec_text(row, dates[i][0])));
    H(b, "</dl>");
}

/* See pages_referrals_internal.h. */
void rp_render_referral(struct req *r, long long id, int status, const struct rp_detail_state *st)
{
    arena *a = r->a;
    rec *row = NULL;
    result res = referral_get(&r->ctx, id, &row);
    unsigned sides = 0;
    enum referral_status rs = REFERRAL_DRAFT;
    long long pid = 0;
    if (res == RES_OK) res = referral_access(&r->ctx, id, &sides, &rs, &pid);
    struct store_page events = {0};
    if (res == RES_OK) res = referral_events(&r->ctx, id, &events);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    const char *title = rec_text(row, "participant_name")
                            ? arena_printf(a, "Referral of %s", rec_text(row, "participant_name"))
                            : arena_printf(a, "Referral #%lld", id);
    buf b;
    buf_init(&b, a, 32768);
    rp_breadcrumbs(&b, NULL, NULL);
    if (st) ui_error_summary(&b, &st->fe);
    if (st && st->notice) H(&b, "<div class=\"nhsuk-inset-text\"><p>%s</p></div>", st->notice);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">%s<span class=\"nhsuk-u-visually-hidden\"> &ndash; "
      "</span></span>%s</h1>",
      rec_text(row, "service_name"), title);
    if (rec_text(row, "governance_warning"))
        H(&b,
          "<div class=\"nhsuk-warning-callout\"><h3 class=\"nhsuk-warning-callout__label\">"
          "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>"
          "Governance</span></h3><p>%s</p></div>",
          rec_text(row, "governance_warning"));
    details(&b, r, row);
    moves_section(&b, r, id, rs, sides, st);
    timeline(&b, r, &events);
    bool provider = sides & SIDE_PROVIDER;
    bool taken = rs == REFERRAL_ACCEPTED || rs == REFERRAL_STARTED || rs == REFERRAL_COMPLETED ||
                 rs == REFERRAL_DROPPED_OUT;
    rp_outcomes_section(&b, r, id, taken, st);
    goals_section(&b, r, id, taken, st);
    stories_section(&b, r, id, taken, st);
    attendance_section(&b, r, id, provider, taken, st);
    if (taken) link_section(&b, r, id, st);
    if (rs != REFERRAL_DRAFT) messages_section(&b, r, id, provider, st);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, title, RP_SECTION, &main);
}

/* See pages_referrals_internal.h. */
void rp_referral_failed(struct req *r, long long id, result res, const char *failed,
                        const char *const *renames)
{
    if (res == RES_NOT_FOUND || res == RES_INTERNAL || res == RES_UNAUTHENTICATED) {
        page_for_result(r, res);
        return;
    }
    struct rp_detail_state st = {.failed = failed};
    st.fe = form_errors_take(r);
    for (int i = 0; renames && renames[i] && renames[i + 1]; i += 2)
        rp_rename_field(&st.fe, r->a, renames[i], renames[i + 1]);
    /* An error on a field the page does not show (the governance gate names
     * service_id) is listed without a link. */
    for (int i = 0; i < st.fe.n; i++) {
        bool shown = false;
        for (int k = 1; renames && renames[k - 1] && renames[k]; k += 2)
            shown =
                shown || (st.fe.errors[i].field && strcmp(st.fe.errors[i].field, renames[k]) == 0);
        if (!shown) st.fe.no_links = true;
    }
    if (st.fe.n > 0) st.fe.detail = NULL;
    if (!st.fe.detail && st.fe.n == 0) st.fe.detail = "That could not be done.";
    int status = res == RES_INVALID     ? 422
                 : res == RES_FORBIDDEN ? 403
                 : res == RES_CONFLICT  ? 409
                 : res == RES_TOO_MANY  ? 429
                                        : 400;
    if (failed && strcmp(failed, "transition:sent") == 0 && req_method_is(r, "POST") &&
        strcmp(r->path, "/referrals/new") == 0)
        st.notice = "The referral was saved as a draft, but it was not sent.";
    ctx_clear_errors(&r->ctx);
    r->ctx.detail = NULL;
    rp_render_referral(r, id, status, &st);
}

/* GET /referrals/{id} */
void rp_page_referral_show(struct req *r)
{
    if (!rp_allowed(r)) return;
    long long id = rp_path_id(r, 0);
    if (id) rp_render_referral(r, id, 200, NULL);
}

/* The referral's id for a POST, after the role check; 0 when the page is done. */
static long long post_id(struct req *r)
{
    if (!rp_allowed(r)) return 0;
    return rp_path_id(r, 0);
}

/* 303 back to the referral, at a section. */
static void back_to(struct req *r, long long id, const char *anchor)
{
    resp_redirect(
        r, arena_printf(r->a, "/referrals/%lld%s%s", id, anchor ? "#" : "", anchor ? anchor : ""));
}

/*
 * The end of a POST on the referral: 303 back to it at anchor when res is
 * RES_OK, or the page again with the failure (see rp_referral_failed).
 */
static void post_done(struct req *r, long long id, result res, const char *anchor,
                      const char *failed, const char *const *renames)
{
    if (res == RES_OK)
        back_to(r, id, anchor);
    else
        rp_referral_failed(r, id, res, failed, renames);
}

/* The 0-10 rating typed in field name: -1 when none was sent (text that
 * is not a number reads as 0 and is judged by the caller). */
static int form_rating(struct req *r, const char *name)
{
    const char *rating = rp_form(r, name);
    if (!rating) return -1;
    return strcmp(rating, "0") == 0 ? 0 : (int)text_id(rating);
}

/* POST /referrals/{id}/transitions */
void rp_page_transition(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    const char *to = rp_form(r, "to");
    const char *field = arena_printf(r->a, "reason-%s", to ? to : "");
    result res = referral_transition(&r->ctx, id, to ? to : "", rp_form(r, field), NULL, NULL);
    const char *renames[] = {"reason", field, NULL};
    post_done(r, id, res, NULL, arena_printf(r->a, "transition:%s", to ? to : ""), renames);
}

/* POST /referrals/{id}/attendance */
void rp_page_attendance(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    const char *date = rp_date_from_form(r, "session_date");
    const char *att = rp_form(r, "attended");
    result res;
    if (!att || (strcmp(att, "true") != 0 && strcmp(att, "false") != 0)) {
        ctx_field_error(&r->ctx, "attended", "Choose whether they attended");
        res = RES_INVALID;
    } else
        res = attendance_record(&r->ctx, id, date ? date : "", strcmp(att, "true") == 0,
                                rp_form(r, "attendance_note"), NULL);
    const char *renames[] = {"session_date", "session_date",    "attended", "attended",
                             "note",         "attendance_note", NULL};
    post_done(r, id, res, "attendance", "attendance", renames);
}

/* POST /referrals/{id}/goals */
void rp_page_goal_add(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    const char *rating = rp_form(r, "goal_rating");
    int rv = form_rating(r, "goal_rating");
    result res;
    if (rating && rv <= 0 && strcmp(rating, "0") != 0) {
        ctx_field_error(&r->ctx, "goal_rating", "Choose a rating from 0 to 10");
        res = RES_INVALID;
    } else
        res = goal_add(&r->ctx, id, rp_form(r, "goal") ? rp_form(r, "goal") : "", rv, NULL);
    const char *renames[] = {"goal",        "goal",        "rating", "goal_rating",
                             "goal_rating", "goal_rating", NULL};
    post_done(r, id, res, "goals", "goal", renames);
}

/* POST /referrals/{id}/goals/{goal}/ratings */
void rp_page_goal_rate(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    long long gid = rp_path_id(r, 1);
    if (!gid) return;
    const char *sname = arena_printf(r->a, "stage-%lld", gid);
    const char *rname = arena_printf(r->a, "rating-%lld", gid);
    int rv = form_rating(r, rname);
    /* The goal must be this referral's: goal_rate checks the goal's own
     * referral, and the page checks it is the one in the path. */
    struct store_page goals = {0};
    bool mine = false;
    result res = goal_list(&r->ctx, id, &goals);
    for (int i = 0; res == RES_OK && i < goals.nrows; i++)
        mine = mine || rec_int(goals.rows[i], "id", 0) == gid;
    if (res == RES_OK && !mine) res = ctx_fail(&r->ctx, RES_NOT_FOUND, "There is no such goal.");
    if (res == RES_OK && rv < 0) {
        ctx_field_error(&r->ctx, "rating", "Choose a rating from 0 to 10");
        res = RES_INVALID;
    }
    if (res == RES_OK)
        res = goal_rate(&r->ctx, gid, rp_form(r, sname) ? rp_form(r, sname) : "", rv, NULL);
    const char *renames[] = {"stage", sname, "rating", rname, NULL};
    post_done(r, id, res, "goals", arena_printf(r->a, "rate:%lld", gid), renames);
}

/* POST /referrals/{id}/stories */
void rp_page_story_add(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    result res = story_add(&r->ctx, id, rp_form(r, "story") ? rp_form(r, "story") : "", NULL);
    const char *renames[] = {"body", "story", "story", "story", NULL};
    post_done(r, id, res, "stories", "story", renames);
}

/* POST /referrals/{id}/messages */
void rp_page_message_add(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    const char *to = rp_form(r, "recipient");
    result res = feedback_message_add(&r->ctx, id, to ? to : "",
                                      rp_form(r, "message") ? rp_form(r, "message") : "", NULL);
    const char *renames[] = {"body",      "message",   "message", "message",
                             "recipient", "recipient", NULL};
    post_done(r, id, res, "feedback", "message", renames);
}

/* POST /referrals/{id}/links: the page again, with the link shown once. */
void rp_page_link_create(struct req *r)
{
    long long id = post_id(r);
    if (!id) return;
    arena *a = r->a;
    const char *ticked[8];
    int n = req_form_all(r, "link_measures", ticked, 8);
    buf list;
    buf_init(&list, a, 64);
    for (int i = 0; i < n; i++)
        buf_printf(&list, "%s%s", i ? "," : "", ticked[i]);
    const char *token = NULL;
    rec *out = NULL;
    const char *stage = rp_form(r, "link_stage");
    result res = outcome_link_create(&r->ctx, id, stage ? stage : "", list.len ? list.data : "",
                                     &token, &out);
    if (res != RES_OK) {
        const char *renames[] = {"stage", "link_stage", "measures", "link_measures", NULL};
        rp_referral_failed(r, id, res, "link", renames);
        return;
    }
    const char *host = req_header(r, "Host");
    struct rp_detail_state st = {0};
    st.link_url = arena_printf(a, "%s://%s/outcome/%s",
                               r->settings && r->settings->secure_cookies ? "https" : "http",
                               host ? host : "localhost", token);
    st.link_expires = rec_text(out, "expires_at");
    rp_render_referral(r, id, 200, &st);
}
