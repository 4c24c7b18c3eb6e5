/*
 * pages_referral_new.c: making a referral.
 *
 *   GET  /referrals/new?participant_id=&service_id=   choose the person (a search of the
 *        people I may see, or add one) and the service (a directory search box that
 *        submits to this same page), then the needs, notes and urgency
 *   POST /referrals/new    "Save as draft" or "Send referral": 303 to the referral, or
 *                          the form again with an error summary (422, nothing saved)
 *
 * The service search is the directory's own (dir_search.h), so a link worker
 * finds here exactly what the public directory shows. Every step is a
 * plain GET form carrying what was chosen before, so it needs no script.
 */
#include "web/pages_referrals_internal.h"

#include "base/text.h"
#include "domain/dir_browse.h"
#include "domain/dir_search.h"
#include "domain/directory.h"

#include <jansson.h>
#include <string.h>

#define CHOICES 10

/* What has been chosen so far. */
struct chosen {
    long long participant_id;
    const char *participant_name;
    const char *service_id;
    const char *service_name, *organization_name;
};

/* The href of this page with the given choices (either may be empty). */
static const char *self_href(arena *a, long long participant_id, const char *service_id)
{
    buf b;
    buf_init(&b, a, 128);
    buf_puts(&b, "/referrals/new");
    const char *sep = "?";
    if (participant_id) {
        buf_printf(&b, "%sparticipant_id=%lld", sep, participant_id);
        sep = "&";
    }
    if (service_id && *service_id)
        buf_printf(&b, "%sservice_id=%s", sep, url_encode(a, service_id));
    return b.data;
}

/* Read the person and service chosen (values from the query or the post).
 * false when the page is done (a person the actor may not see: 404). A
 * service the directory does not publish is left unchosen with an error. */
static bool read_chosen(struct req *r, struct chosen *ch, struct form_errors *fe)
{
    bool posted = req_method_is(r, "POST");
    const char *pid =
        rp_nonempty(posted ? req_form(r, "participant_id") : req_query(r, "participant_id"));
    const char *sid = rp_nonempty(posted ? req_form(r, "service_id") : req_query(r, "service_id"));
    *ch = (struct chosen){0};
    if (pid) {
        ch->participant_id = text_id(pid);
        rec *p = NULL;
        result res =
            ch->participant_id ? participant_get(&r->ctx, ch->participant_id, &p) : RES_NOT_FOUND;
        if (res != RES_OK) {
            page_for_result(r, res);
            return false;
        }
        ch->participant_name = rec_text(p, "name");
        if (!ch->participant_name) ch->participant_name = "(anonymised)";
    }
    if (sid) {
        const char *doc_text = NULL;
        struct ctx saved = r->ctx;
        result res = dir_public_service(&r->ctx, sid, &doc_text);
        r->ctx = saved;
        json_t *doc = res == RES_OK ? json_loads(doc_text, 0, NULL) : NULL;
        if (doc) {
            ch->service_id = arena_strdup(r->a, sid);
            ch->service_name = arena_strdup(r->a, json_string_value(json_object_get(doc, "name")));
            const char *org =
                json_string_value(json_object_get(json_object_get(doc, "organization"), "name"));
            ch->organization_name = org ? arena_strdup(r->a, org) : NULL;
            json_decref(doc);
        } else if (fe && !posted) {
            static struct field_error missing = {"search",
                                                 "That service is not in the directory: find"
                                                 " another"};
            fe->errors = &missing;
            fe->n = 1;
        } else if (posted) {
            ch->service_id = arena_strdup(r->a, sid); /* the domain says what is wrong */
        }
    }
    return true;
}

/* The person step: who is chosen (with a way to change), or a search. */
static void person_step(buf *b, struct req *r, const struct chosen *ch,
                        const struct form_errors *fe)
{
    arena *a = r->a;
    H(b, "<h2 id=\"field-participant_id\">1. The person</h2>");
    const char *err = form_error_for(fe, "participant_id");
    if (err)
        H(b,
          "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error: "
          "</span>%s</span>",
          err);
    if (ch->participant_id) {
        H(b,
          "<dl class=\"nhsuk-summary-list\"><div class=\"nhsuk-summary-list__row\">"
          "<dt class=\"nhsuk-summary-list__key\">Person</dt><dd"
          " class=\"nhsuk-summary-list__value\"><a class=\"nhsuk-link\""
          " href=\"/participants/%lld\">%s</a></dd><dd class=\"nhsuk-summary-list__actions\">"
          "<a class=\"nhsuk-link\" href=\"%s\">Change<span class=\"nhsuk-u-visually-hidden\">"
          " the person</span></a></dd></div></dl>",
          ch->participant_id, ch->participant_name, self_href(a, 0, ch->service_id));
        return;
    }
    const char *q = req_method_is(r, "GET") ? rp_nonempty(req_query(r, "q")) : NULL;
    H(b, "<form method=\"get\" action=\"/referrals/new\" novalidate>");
    if (ch->service_id) ui_hidden(b, "service_id", ch->service_id);
    struct ui_field f = {"q", "find the person", "Their name or NHS number", NULL, q};
    ui_input(b, &f, "search", "off", NULL, "nhsuk-input--width-20", true);
    H(b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button"
         " nhsuk-button--secondary\" data-module=\"nhsuk-button\" type=\"submit\">Find the"
         " person</button>");
    H(b,
      "<a class=\"nhsuk-link\" href=\"/participants/new%s%s\">Add a new person</a></div>"
      "</form>",
      ch->service_id ? "?service_id=" : "", ch->service_id ? url_encode(a, ch->service_id) : "");
    struct participant_query pq = {.q = q, .page = 1, .per_page = CHOICES};
    struct store_page pg;
    struct ctx saved = r->ctx;
    result res = participant_list(&r->ctx, &pq, &pg);
    r->ctx = saved;
    if (res != RES_OK) return;
    if (pg.nrows == 0) {
        H(b, "<p>%s</p>",
          q ? "No people found. Try another name, or add them."
            : "You have no people yet: add one.");
        return;
    }
    H(b, "<p class=\"nhsuk-body-s\">%s</p><ul class=\"nhsuk-list nhsuk-list--border\">",
      q ? "People found" : "Your most recent people");
    for (int i = 0; i < pg.nrows; i++) {
        const rec *p = pg.rows[i];
        long long id = rec_int(p, "id", 0);
        const char *name = rec_text(p, "name");
        if (!name) continue;
        H(b, "<li>%s", name);
        if (rec_text(p, "date_of_birth"))
            H(b, " <span class=\"nhsuk-body-s\">(born %s)</span>", rec_text(p, "date_of_birth"));
        H(b,
          " <a class=\"nhsuk-link\" href=\"%s\">Choose<span class=\"nhsuk-u-visually-hidden\">"
          " %s</span></a></li>",
          self_href(a, id, ch->service_id), name);
    }
    H(b, "</ul>");
}

/* The service step: the service chosen, or the directory search. */
static void service_step(buf *b, struct req *r, const struct chosen *ch,
                         const struct form_errors *fe)
{
    arena *a = r->a;
    H(b, "<h2 id=\"field-service_id\">2. The service</h2>");
    const char *err = form_error_for(fe, "service_id");
    if (err)
        H(b,
          "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error: "
          "</span>%s</span>",
          err);
    if (ch->service_id && ch->service_name) {
        H(b,
          "<dl class=\"nhsuk-summary-list\"><div class=\"nhsuk-summary-list__row\">"
          "<dt class=\"nhsuk-summary-list__key\">Service</dt><dd"
          " class=\"nhsuk-summary-list__value\"><a class=\"nhsuk-link\""
          " href=\"/directory/services/%U\">%s</a>",
          ch->service_id, ch->service_name);
        if (ch->organization_name)
            H(b, "<br><span class=\"nhsuk-body-s\">%s</span>", ch->organization_name);
        struct service_capacity cap;
        struct ctx saved = r->ctx;
        if (service_capacity_get(&r->ctx, ch->service_id, &cap) == RES_OK) {
            if (cap.places >= 0)
                H(b,
                  "<br><span class=\"nhsuk-body-s\">%lld of %lld places taken; %lld on the"
                  " waiting list</span>",
                  cap.used, cap.places, cap.waitlisted);
            else if (cap.waitlisted > 0)
                H(b, "<br><span class=\"nhsuk-body-s\">%lld on the waiting list</span>",
                  cap.waitlisted);
        }
        r->ctx = saved;
        H(b,
          "</dd><dd class=\"nhsuk-summary-list__actions\"><a class=\"nhsuk-link\" href=\"%s\">"
          "Change<span class=\"nhsuk-u-visually-hidden\"> the service</span></a></dd></div>"
          "</dl>",
          self_href(a, ch->participant_id, NULL));
        return;
    }
    bool get = req_method_is(r, "GET");
    const char *search = get ? rp_nonempty(req_query(r, "search")) : NULL;
    const char *postcode = get ? rp_nonempty(req_query(r, "postcode")) : NULL;
    struct dir_query q;
    dir_query_init(&q, DIR_UNIT_SERVICE);
    q.search = search;
    q.postcode = postcode;
    q.per_page = CHOICES;
    struct dir_results res = {0};
    struct ctx saved = r->ctx;
    result rc = search || postcode ? dir_search(&r->ctx, &q, 0, &res) : RES_OK;
    const char *pc_err =
        rc == RES_INVALID && r->ctx.nerrors > 0 ? arena_strdup(a, r->ctx.errors[0].message) : NULL;
    H(b, "<form method=\"get\" action=\"/referrals/new\" novalidate>");
    if (ch->participant_id)
        ui_hidden(b, "participant_id", arena_printf(a, "%lld", ch->participant_id));
    struct ui_field f = {"search", "find a service in the directory",
                         "For example singing, gardening, museum or a group's name",
                         form_error_for(fe, "search"), search};
    ui_input(b, &f, "search", "off", NULL, "nhsuk-input--width-20", false);
    f = (struct ui_field){"postcode", "near postcode (optional)", NULL, pc_err, postcode};
    ui_input(b, &f, "text", "postal-code", NULL, "nhsuk-input--width-10", true);
    H(b, "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\""
         " type=\"submit\">Search the directory</button></form>");
    if ((search || postcode) && rc == RES_OK) {
        if (res.nhits == 0)
            H(b, "<p>No services found. Try fewer words.</p>");
        else {
            H(b,
              "<p class=\"nhsuk-body-s\">%s found</p><ul class=\"nhsuk-list"
              " nhsuk-list--border\">",
              ui_number(a, res.total));
            for (int i = 0; i < res.nhits; i++) {
                const struct dir_hit *h = &res.hits[i];
                H(b, "<li><strong>%s</strong>", h->name);
                if (h->organization_name)
                    H(b, " <span class=\"nhsuk-body-s\">%s</span>", h->organization_name);
                H(b,
                  " <a class=\"nhsuk-link\" href=\"%s\">Choose<span"
                  " class=\"nhsuk-u-visually-hidden\"> %s</span></a></li>",
                  self_href(a, ch->participant_id, h->id), h->name);
            }
            H(b, "</ul>");
        }
    }
    r->ctx = saved;
}

/* The last step: needs, notes, urgency and the two buttons. */
static void details_step(buf *b, struct req *r, const struct chosen *ch,
                         const struct form_errors *fe)
{
    arena *a = r->a;
    bool posted = req_method_is(r, "POST");
    H(b, "<h2>3. The referral</h2><form method=\"post\" action=\"/referrals/new\" novalidate>");
    ui_hidden(b, "csrf", r->ctx.actor->csrf);
    ui_hidden(b, "participant_id", arena_printf(a, "%lld", ch->participant_id));
    ui_hidden(b, "service_id", ch->service_id);
    struct dir_choice *needs = NULL;
    int nneeds = 0;
    struct ctx saved = r->ctx;
    dir_terms_under(&r->ctx, DIR_CH_NEED_ROOT, &needs, &nneeds);
    r->ctx = saved;
    const char *ticked[64];
    int nticked = posted ? req_form_all(r, "needs", ticked, 64) : 0;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(nneeds ? nneeds : 1));
    for (int i = 0; i < nneeds; i++) {
        bool on = false;
        for (int k = 0; k < nticked; k++)
            on = on || strcmp(ticked[k], needs[i].id) == 0;
        opts[i] = (struct ui_option){needs[i].id, needs[i].name, on};
    }
    struct ui_field f = {"needs", "what the referral is for", "Tick every need that applies",
                         form_error_for(fe, "needs"), NULL};
    ui_checkboxes(b, &f, opts, nneeds);
    f = (struct ui_field){"notes", "notes for the provider (optional)",
                          "What would help them welcome this person", form_error_for(fe, "notes"),
                          posted ? req_form(r, "notes") : NULL};
    ui_textarea(b, &f, 4);
    const char *urgency = posted ? rp_form(r, "urgency") : NULL;
    bool urgent = urgency && strcmp(urgency, "urgent") == 0;
    struct ui_option uopts[2] = {{"routine", "Routine", !urgent}, {"urgent", "Urgent", urgent}};
    f = (struct ui_field){"urgency", "urgency", NULL, form_error_for(fe, "urgency"), NULL};
    ui_radios(b, &f, uopts, 2, true);
    H(b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
         " data-module=\"nhsuk-button\" type=\"submit\" name=\"action\" value=\"send\">Send"
         " referral</button><button class=\"nhsuk-button nhsuk-button--secondary\""
         " data-module=\"nhsuk-button\" type=\"submit\" name=\"action\" value=\"draft\">Save as"
         " draft</button></div></form>");
}

/* The page; fe holds a failed post's errors. */
static void render_new(struct req *r, int status, const struct form_errors *fe_in)
{
    struct form_errors fe = fe_in ? *fe_in : (struct form_errors){0};
    struct chosen ch;
    if (!read_chosen(r, &ch, &fe)) return;
    buf b;
    buf_init(&b, r->a, 16384);
    rp_breadcrumbs(&b, NULL, NULL);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Refer someone</h1>");
    person_step(&b, r, &ch, &fe);
    service_step(&b, r, &ch, &fe);
    if (ch.participant_id && ch.service_id && ch.service_name)
        details_step(&b, r, &ch, &fe);
    else
        H(&b, "<h2 class=\"nhsuk-u-secondary-text-colour\">3. The referral</h2><p>Choose the"
              " person and the service first.</p>");
    H(&b, "</div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Refer someone", RP_SECTION, &main);
}

/* GET /referrals/new */
void rp_page_referral_new(struct req *r)
{
    if (rp_allowed(r)) render_new(r, 200, NULL);
}

/* POST /referrals/new: create the draft, and send it when asked. */
void rp_page_referral_create(struct req *r)
{
    if (!rp_allowed(r)) return;
    arena *a = r->a;
    const char *needs[64];
    int nneeds = req_form_all(r, "needs", needs, 64);
    struct referral_input in = {
        .participant_id = text_id(req_form(r, "participant_id")),
        .service_id = rp_form(r, "service_id") ? rp_form(r, "service_id") : "",
        .needs = needs,
        .nneeds = nneeds,
        .notes = rp_form(r, "notes"),
        .urgency = rp_form(r, "urgency"),
    };
    rec *out = NULL;
    result res = referral_create(&r->ctx, &in, &out);
    if (res == RES_INVALID) {
        struct form_errors fe = form_errors_refused(r);
        for (int i = 0; i < nneeds && i < 64; i++)
            rp_rename_field(&fe, a, arena_printf(a, "needs[%d]", i), "needs");
        render_new(r, 422, &fe);
        return;
    }
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    long long id = rec_int(out, "id", 0);
    const char *action = rp_form(r, "action");
    if (action && strcmp(action, "send") == 0) {
        res = referral_transition(&r->ctx, id, "sent", NULL, NULL, NULL);
        if (res != RES_OK) {
            /* The draft is kept: show it, with why it could not be sent. */
            rp_referral_failed(r, id, res, "transition:sent", NULL);
            return;
        }
    }
    resp_redirect(r, arena_printf(a, "/referrals/%lld", id));
}
