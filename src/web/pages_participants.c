/*
 * pages_participants.c: the people a link worker refers.
 *
 *   GET  /participants                  the people my organisation may see, with a search
 *   GET  /participants/new              the form (name, date of birth, NHS number, contact,
 *                                       sex, ethnicity, needs, GP practice, consent)
 *   POST /participants/new              303 to the person (or to /referrals/new when the
 *                                       form came from there), or the form again (422)
 *   GET  /participants/{id}             details, consent in force and its history with a
 *                                       form to record consent given or withdrawn, referrals
 *   POST /participants/{id}/consents    303 back, or the page again (422)
 *
 * participants.h decides who sees a person (RES_NOT_FOUND for anyone else,
 * so these pages answer 404) and audits each read of personal data.
 */
#include "web/pages_referrals_internal.h"

#include "base/text.h"

#include <string.h>

/* The text fields of the form, in order: name, label, hint, input type,
 * autocomplete, width class (NULL: a textarea). */
static const struct {
    const char *name, *label, *hint, *type, *autocomplete, *width;
} text_fields[] = {
    {"nhs_number", "NHS number (optional)", "10 digits, for example 485 777 3456", "text", "off",
     "nhsuk-input--width-10"},
    {"postcode", "postcode (optional)", "Places them in a neighbourhood for the reports", "text",
     "postal-code", "nhsuk-input--width-10"},
    {"phone", "phone number (optional)", NULL, "tel", "tel", "nhsuk-input--width-20"},
    {"email", "email address (optional)", NULL, "email", "email", "nhsuk-input--width-30"},
};

/* What a consent scope reads as for people. */
const char *rp_scope_text(const char *scope)
{
    static const char *const texts[][2] = {
        {"referral_to_provider", "Share their referral with the provider"},
        {"outcomes_to_referrer", "Send outcomes back to the referrer"},
        {"outcomes_to_gp", "Send outcomes back to their GP"},
        {"anonymised_reporting", "Use their scores, anonymised, in reports"},
        {"story_public", "Share their story publicly"},
    };
    for (size_t i = 0; scope && i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i][0], scope) == 0) return texts[i][1];
    return scope ? scope : "";
}

/* Select options from a NULL-terminated list of codes, a blank first. */
static struct ui_option *code_options(arena *a, const char *const *codes, const char *blank,
                                      const char *current, int *n)
{
    int k = 0;
    while (codes[k])
        k++;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(k + 1));
    opts[0] = (struct ui_option){"", blank, !current};
    for (int i = 0; i < k; i++)
        opts[i + 1] = (struct ui_option){codes[i], ui_choice_text(a, codes[i]),
                                         current && strcmp(current, codes[i]) == 0};
    *n = k + 1;
    return opts;
}

/* ---- the list ---- */

/* GET /participants?q=: the people the actor may see, newest first. */
void rp_page_participants(struct req *r)
{
    if (!rp_allowed(r)) return;
    arena *a = r->a;
    struct participant_query q = {.q = rp_nonempty(req_query(r, "q")), .per_page = RP_PER_PAGE};
    const char *p = rp_nonempty(req_query(r, "page"));
    q.page = p ? text_id(p) : 1;
    if (!q.page) q.page = 1;
    struct store_page pg;
    result res = participant_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    buf b;
    buf_init(&b, a, 8192);
    rp_breadcrumbs(&b, NULL, NULL);
    H(&b, "<h1>People</h1><p><a class=\"nhsuk-button\" href=\"/participants/new\">Add a person"
          "</a></p><form method=\"get\" action=\"/participants\" novalidate>");
    struct ui_field f = {"q", "find a person", "Their name or NHS number", NULL, q.q};
    ui_input(&b, &f, "search", "off", NULL, "nhsuk-input--width-20", true);
    H(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
          " type=\"submit\">Search</button></form>");
    if (pg.total == 0)
        H(&b, "<p>No people found.</p>");
    else {
        H(&b, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption"
              " nhsuk-u-visually-hidden\">People</caption><thead class=\"nhsuk-table__head\">"
              "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"col\">"
              "Name</th><th class=\"nhsuk-table__header\" scope=\"col\">Date of birth</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">NHS number</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Postcode</th></tr></thead>"
              "<tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < pg.nrows; i++) {
            const rec *row = pg.rows[i];
            const char *name = rec_text(row, "name");
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\"><a"
              " class=\"nhsuk-link\" href=\"/participants/%lld\">%s</a></td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">%s</td></tr>",
              rec_int(row, "id", 0), name ? name : "(anonymised)", rec_text(row, "date_of_birth"),
              rec_text(row, "nhs_number"), rec_text(row, "postcode"));
        }
        H(&b, "</tbody></table>");
    }
    buf base;
    buf_init(&base, a, 128);
    H(&base, "/participants?");
    if (q.q) H(&base, "q=%U&amp;", q.q);
    struct html_frag bf = html_frag_of(&base);
    ui_pagination(&b, &bf, q.page, (pg.total + RP_PER_PAGE - 1) / RP_PER_PAGE);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, "People", RP_SECTION, &main);
}

/* ---- the form ---- */

/* The form for a new person; values from the failed post, fe its errors. */
static void render_new(struct req *r, int status, const struct form_errors *fe)
{
    arena *a = r->a;
    bool posted = req_method_is(r, "POST");
    const char *(*get)(struct req *, const char *) = posted ? req_form : req_query;
    const char *service_id = rp_nonempty(get(r, "service_id"));
    buf b;
    buf_init(&b, a, 16384);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"%s\">Back</a>",
      service_id ? arena_printf(a, "/referrals/new?service_id=%s", url_encode(a, service_id))
                 : "/participants");
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    H(&b, "<h1>Add a person</h1><p>Only what the referral needs. Everything here is"
          " personal data: only your organisation and the services the person is referred"
          " to can see it, and every look at it is recorded.</p>");
    H(&b, "<form method=\"post\" action=\"/participants/new\" novalidate>");
    ui_hidden(&b, "csrf", r->ctx.actor->csrf);
    if (service_id) ui_hidden(&b, "service_id", service_id);
    struct ui_field f = {"name", "full name", NULL, form_error_for(fe, "name"),
                         posted ? req_form(r, "name") : NULL};
    ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-30", true);
    rp_date_input(&b, r, "date_of_birth", "date of birth", "For example, 15 3 1984",
                  form_error_for(fe, "date_of_birth"), NULL);
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        f = (struct ui_field){text_fields[i].name, text_fields[i].label, text_fields[i].hint,
                              form_error_for(fe, text_fields[i].name),
                              posted ? req_form(r, text_fields[i].name) : NULL};
        ui_input(&b, &f, text_fields[i].type, text_fields[i].autocomplete,
                 strcmp(text_fields[i].name, "nhs_number") == 0 ? "numeric" : NULL,
                 text_fields[i].width, true);
    }
    int n;
    const char *sex = posted ? rp_form(r, "sex") : NULL;
    struct ui_option *opts = code_options(a, participant_sexes, "Not asked", sex, &n);
    f = (struct ui_field){"sex", "sex (optional)", NULL, form_error_for(fe, "sex"), sex};
    ui_select(&b, &f, opts, n);
    const char *eth = posted ? rp_form(r, "ethnicity") : NULL;
    opts = arena_alloc(a, sizeof *opts * (size_t)(ethnicities_len + 1));
    opts[0] = (struct ui_option){"", "Not asked", !eth};
    for (int i = 0; i < ethnicities_len; i++)
        opts[i + 1] = (struct ui_option){ethnicities[i].code, ethnicities[i].label,
                                         eth && strcmp(eth, ethnicities[i].code) == 0};
    f = (struct ui_field){"ethnicity", "ethnic group (optional)",
                          "As the person describes it (ONS 2021 census categories)",
                          form_error_for(fe, "ethnicity"), eth};
    ui_select(&b, &f, opts, ethnicities_len + 1);
    f = (struct ui_field){"communication_needs", "communication needs (optional)",
                          "For example an interpreter, large print or British Sign Language",
                          form_error_for(fe, "communication_needs"),
                          posted ? req_form(r, "communication_needs") : NULL};
    ui_textarea(&b, &f, 2);
    f = (struct ui_field){"access_needs", "access needs (optional)",
                          "For example step-free access or someone to come with them",
                          form_error_for(fe, "access_needs"),
                          posted ? req_form(r, "access_needs") : NULL};
    ui_textarea(&b, &f, 2);
    f = (struct ui_field){"gp_practice_name", "GP practice (optional)", NULL,
                          form_error_for(fe, "gp_practice_name"),
                          posted ? req_form(r, "gp_practice_name") : NULL};
    ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-30", false);
    f = (struct ui_field){
        "gp_practice_code", "GP practice code (optional)", "The ODS code, for example B86010",
        form_error_for(fe, "gp_practice_code"), posted ? req_form(r, "gp_practice_code") : NULL};
    ui_input(&b, &f, "text", "off", NULL, "nhsuk-input--width-10", true);

    /* Consent: what the person agreed to, and how it was recorded. */
    H(&b, "<h2>Consent</h2>");
    const char *ticked[8];
    int nticked = posted ? req_form_all(r, "consent", ticked, 8) : 0;
    int nscopes = 0;
    while (consent_scopes[nscopes])
        nscopes++;
    opts = arena_alloc(a, sizeof *opts * (size_t)nscopes);
    for (int i = 0; i < nscopes; i++) {
        bool on = false;
        for (int k = 0; k < nticked; k++)
            on = on || strcmp(ticked[k], consent_scopes[i]) == 0;
        opts[i] = (struct ui_option){consent_scopes[i], rp_scope_text(consent_scopes[i]), on};
    }
    f = (struct ui_field){"consent", "what the person agrees to",
                          "Tick what they have agreed to. They can withdraw any of it later,"
                          " from their page.",
                          form_error_for(fe, "consent"), NULL};
    ui_checkboxes(&b, &f, opts, nscopes);
    const char *method = posted ? rp_form(r, "consent_method") : NULL;
    opts = code_options(a, consent_methods, "", method, &n);
    f = (struct ui_field){"consent_method", "how consent was given",
                          "Needed when anything above is ticked",
                          form_error_for(fe, "consent_method"), method};
    ui_radios(&b, &f, opts + 1, n - 1, true);
    H(&b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
          " data-module=\"nhsuk-button\" type=\"submit\">Add the person</button>"
          "<a class=\"nhsuk-link\" href=\"/participants\">Cancel</a></div></form></div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Add a person", RP_SECTION, &main);
}

/* GET /participants/new */
void rp_page_participant_new(struct req *r)
{
    if (rp_allowed(r)) render_new(r, 200, NULL);
}

/* A consent record for scope, given or withdrawn, by method, from this form. */
static result record_consent(struct req *r, long long id, const char *scope, bool given,
                             const char *method, const char *note)
{
    rec *c = rec_new(r->a);
    rec_set_text(c, "scope", scope);
    rec_set_bool(c, "given", given);
    rec_set_text(c, "method", method);
    if (note) rec_set_text(c, "note", note);
    return consent_record(&r->ctx, id, c, NULL);
}

/* Is s one of the NULL-terminated codes? */
static bool one_of(const char *s, const char *const *codes)
{
    for (int i = 0; s && codes[i]; i++)
        if (strcmp(s, codes[i]) == 0) return true;
    return false;
}

/* POST /participants/new: the person, then the consents ticked. */
void rp_page_participant_create(struct req *r)
{
    if (!rp_allowed(r)) return;
    arena *a = r->a;
    rec *in = rec_new(a);
    rec_set_text(in, "name", req_form(r, "name") ? req_form(r, "name") : "");
    const char *dob = rp_date_from_form(r, "date_of_birth");
    if (dob) rec_set_text(in, "date_of_birth", dob);
    static const char *const optional[] = {"nhs_number",
                                           "postcode",
                                           "phone",
                                           "email",
                                           "sex",
                                           "ethnicity",
                                           "communication_needs",
                                           "access_needs",
                                           "gp_practice_code",
                                           "gp_practice_name"};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        const char *s = rp_form(r, optional[i]);
        if (s) rec_set_text(in, optional[i], s);
    }
    const char *ticked[8];
    int nticked = req_form_all(r, "consent", ticked, 8);
    const char *method = rp_form(r, "consent_method");
    /* Check the consent part first, so that a person is never made
     * without the consent the form said they gave. */
    for (int i = 0; i < nticked; i++)
        if (!one_of(ticked[i], consent_scopes))
            ctx_field_error(&r->ctx, "consent", "Choose what the person agrees to from the list");
    if (nticked > 0 && !one_of(method, consent_methods))
        ctx_field_error(&r->ctx, "consent_method", "Choose how consent was given");
    rec *out = NULL;
    result res = r->ctx.nerrors > 0 ? RES_INVALID : participant_create(&r->ctx, in, &out);
    if (res == RES_INVALID) {
        struct form_errors fe = form_errors_refused(r);
        render_new(r, 422, &fe);
        return;
    }
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    long long id = rec_int(out, "id", 0);
    for (int i = 0; i < nticked; i++)
        if (record_consent(r, id, ticked[i], true, method, NULL) != RES_OK) {
            page_for_result(r, RES_INTERNAL);
            return;
        }
    const char *service_id = rp_form(r, "service_id");
    if (service_id)
        resp_redirect(r, arena_printf(a, "/referrals/new?participant_id=%lld&service_id=%s", id,
                                      url_encode(a, service_id)));
    else
        resp_redirect(r, arena_printf(a, "/participants/%lld", id));
}

/* ---- one person ---- */

/* The person's page; fe for a consent form that failed. */
static void render_participant(struct req *r, long long id, int status,
                               const struct form_errors *fe)
{
    arena *a = r->a;
    rec *p = NULL;
    result res = participant_get(&r->ctx, id, &p);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct store_page hist = {0}, refs = {0};
    res = consent_history(&r->ctx, id, &hist);
    if (res == RES_OK) {
        struct referral_query q = {.participant_id = id, .per_page = 100};
        res = referral_list(&r->ctx, &q, &refs);
    }
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    const char *name = rec_text(p, "name");
    if (!name) name = "(anonymised)";
    buf b;
    buf_init(&b, a, 16384);
    H(&b, "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\">"
          "<ol class=\"nhsuk-breadcrumb__list\"><li class=\"nhsuk-breadcrumb__list-item\">"
          "<a class=\"nhsuk-breadcrumb__link\" href=\"/referrals\">Referrals</a></li>"
          "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\""
          " href=\"/participants\">People</a></li></ol></nav>");
    ui_error_summary(&b, fe);
    H(&b, "<h1>%s</h1>", name);
    if (rec_text(p, "anonymised_at"))
        H(&b, "<div class=\"nhsuk-inset-text\"><p>This record was anonymised on %s.</p></div>",
          ui_time(a, rec_text(p, "anonymised_at")));
    else
        H(&b,
          "<p><a class=\"nhsuk-button\" href=\"/referrals/new?participant_id=%lld\">"
          "Refer %s</a></p>",
          id, name);
    H(&b, "<dl class=\"nhsuk-summary-list\">");
    rp_summary_text(&b, "Date of birth", rec_text(p, "date_of_birth"));
    rp_summary_text(&b, "NHS number", rec_text(p, "nhs_number"));
    const char *place = rec_text(p, "neighbourhood_name");
    rp_summary_text(&b, "Postcode",
                    rec_text(p, "postcode") && place
                        ? arena_printf(a, "%s (%s)", rec_text(p, "postcode"), place)
                        : rec_text(p, "postcode"));
    rp_summary_text(&b, "Phone", rec_text(p, "phone"));
    rp_summary_text(&b, "Email", rec_text(p, "email"));
    rp_summary_text(&b, "Sex", rec_text(p, "sex") ? ui_choice_text(a, rec_text(p, "sex")) : NULL);
    const char *eth = rec_text(p, "ethnicity");
    rp_summary_text(&b, "Ethnic group", eth && ethnicity_label(eth) ? ethnicity_label(eth) : eth);
    rp_summary_text(&b, "Communication needs", rec_text(p, "communication_needs"));
    rp_summary_text(&b, "Access needs", rec_text(p, "access_needs"));
    const char *gp = rec_text(p, "gp_practice_name"), *gpc = rec_text(p, "gp_practice_code");
    rp_summary_text(&b, "GP practice",
                    gp && gpc ? arena_printf(a, "%s (%s)", gp, gpc)
                    : gp      ? gp
                              : gpc);
    H(&b, "</dl>");

    H(&b, "<h2 id=\"consent\">Consent</h2><dl class=\"nhsuk-summary-list\">");
    for (int i = 0; consent_scopes[i]; i++) {
        const struct val *v = rec_get(p, arena_printf(a, "consent_%s", consent_scopes[i]));
        bool on = v && (v->type == VAL_BOOL || v->type == VAL_INT) && v->i;
        buf v2;
        buf_init(&v2, a, 64);
        H(&v2, "<strong class=\"nhsuk-tag %s\">%s</strong>",
          on ? "nhsuk-tag--green" : "nhsuk-tag--grey", on ? "Given" : "Not given");
        struct html_frag vf = html_frag_of(&v2);
        rp_summary_row(&b, rp_scope_text(consent_scopes[i]), &vf);
    }
    H(&b, "</dl>");
    if (hist.nrows > 0) {
        H(&b, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption"
              " nhsuk-table__caption--s\">Consent history</caption><thead"
              " class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
              "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">What</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Given or withdrawn</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">How</th>"
              "<th class=\"nhsuk-table__header\" scope=\"col\">Recorded by</th></tr></thead>"
              "<tbody class=\"nhsuk-table__body\">");
        for (int i = 0; i < hist.nrows; i++) {
            const rec *h = hist.rows[i];
            const struct val *g = rec_get(h, "given");
            bool given = g && g->i;
            H(&b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
              "<td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s",
              ui_time(a, rec_text(h, "recorded_at")), rp_scope_text(rec_text(h, "scope")),
              given ? "Given" : "Withdrawn", ui_choice_text(a, rec_text(h, "method")),
              rec_text(h, "recorded_by"));
            if (rec_text(h, "note"))
                H(&b, "<br><span class=\"nhsuk-body-s\">%s</span>", rec_text(h, "note"));
            H(&b, "</td></tr>");
        }
        H(&b, "</tbody></table>");
    }
    if (!rec_text(p, "anonymised_at")) {
        bool posted = req_method_is(r, "POST");
        H(&b,
          "<h3>Record consent given or withdrawn</h3>"
          "<form method=\"post\" action=\"/participants/%lld/consents\" novalidate>",
          id);
        ui_hidden(&b, "csrf", r->ctx.actor->csrf);
        int n;
        const char *scope = posted ? rp_form(r, "scope") : NULL;
        int nscopes = 0;
        while (consent_scopes[nscopes])
            nscopes++;
        struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(nscopes + 1));
        opts[0] = (struct ui_option){"", "", !scope};
        for (int i = 0; i < nscopes; i++)
            opts[i + 1] = (struct ui_option){consent_scopes[i], rp_scope_text(consent_scopes[i]),
                                             scope && strcmp(scope, consent_scopes[i]) == 0};
        struct ui_field f = {"scope", "what", NULL, form_error_for(fe, "scope"), scope};
        ui_select(&b, &f, opts, nscopes + 1);
        const char *given = posted ? rp_form(r, "given") : NULL;
        struct ui_option gopts[2] = {
            {"true", "Given", given && strcmp(given, "true") == 0},
            {"false", "Withdrawn", given && strcmp(given, "false") == 0},
        };
        f = (struct ui_field){"given", "the person has", NULL, form_error_for(fe, "given"), NULL};
        ui_radios(&b, &f, gopts, 2, true);
        const char *method = posted ? rp_form(r, "method") : NULL;
        opts = code_options(a, consent_methods, "", method, &n);
        f = (struct ui_field){"method", "how", NULL, form_error_for(fe, "method"), NULL};
        ui_radios(&b, &f, opts + 1, n - 1, true);
        f = (struct ui_field){"note", "note (optional)", NULL, form_error_for(fe, "note"),
                              posted ? req_form(r, "note") : NULL};
        ui_textarea(&b, &f, 2);
        H(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\""
              " data-module=\"nhsuk-button\" type=\"submit\">Record consent</button></form>");
    }

    H(&b, "<h2>Referrals</h2>");
    if (refs.total == 0)
        H(&b, "<p>No referrals yet.</p>");
    else
        rp_referral_table(&b, r, &refs, false);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, name, RP_SECTION, &main);
}

/* GET /participants/{id} */
void rp_page_participant_show(struct req *r)
{
    if (!rp_allowed(r)) return;
    long long id = rp_path_id(r, 0);
    if (id) render_participant(r, id, 200, NULL);
}

/* POST /participants/{id}/consents: 303 to the consent section, or the page again. */
void rp_page_consent_post(struct req *r)
{
    if (!rp_allowed(r)) return;
    long long id = rp_path_id(r, 0);
    if (!id) return;
    rec *in = rec_new(r->a);
    const char *scope = rp_form(r, "scope"), *given = rp_form(r, "given");
    const char *method = rp_form(r, "method"), *note = rp_form(r, "note");
    if (scope) rec_set_text(in, "scope", scope);
    if (given && strcmp(given, "true") == 0)
        rec_set_bool(in, "given", true);
    else if (given && strcmp(given, "false") == 0)
        rec_set_bool(in, "given", false);
    if (method) rec_set_text(in, "method", method);
    if (note) rec_set_text(in, "note", note);
    result res = RES_OK;
    if (!given) {
        ctx_field_error(&r->ctx, "given", "Choose whether consent was given or withdrawn");
        res = RES_INVALID;
    }
    if (res == RES_OK) res = consent_record(&r->ctx, id, in, NULL);
    if (form_post_done(r, res, arena_printf(r->a, "/participants/%lld#consent", id))) return;
    struct form_errors fe = form_errors_refused(r);
    render_participant(r, id, 422, &fe);
}
