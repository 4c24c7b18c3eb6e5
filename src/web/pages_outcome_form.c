/*
 * pages_outcome_form.c: the participant's outcome form, reached through a
 * one-time link (domain/outcomes.h), with no account:
 *
 *   GET  /outcome/{token}   the questionnaires the link asks for
 *   POST /outcome/{token}   submit them all; "Thank you" on success
 *
 * The people answering are on their own phones, often with JavaScript off
 * or a slow connection: the form is plain HTML with NHS.UK radios, one
 * question to a fieldset, and works without any script. An unanswered
 * question re-renders the form (422) with an error summary linking to each
 * one and every answer given kept; nothing is stored until all are given.
 *
 * The token in the address is the capability, so these routes are public
 * (no session, no CSRF token: there is no session to forge a request
 * from), and the pages say no-store and no-referrer so the address does not
 * linger in caches or leak to another site through the Referer header.
 * The item wordings are the instruments' own and must not be edited.
 */
#include "domain/outcomes.h"
#include "web/layout.h"
#include "web/web.h"

#include <stdlib.h>
#include <string.h>

/* One questionnaire as the person sees it: a heading in plain words over
 * the instrument's own wordings (domain/measures.c). */
struct instrument {
    const char *measure;
    const char *title;
    bool inline_radios;
    const struct measure_text *t;
};

static const struct instrument instruments[] = {
    {"swemwbs", "How you have been feeling", false, &measure_texts[MEASURE_SWEMWBS]},
    {"ons4", "Your wellbeing", true, &measure_texts[MEASURE_ONS4]},
    {"ucla3", "Feeling connected", false, &measure_texts[MEASURE_UCLA3]},
};

/* The instrument of a measure name, or NULL. */
static const struct instrument *instrument_of(const char *measure, size_t len)
{
    for (size_t i = 0; i < sizeof instruments / sizeof instruments[0]; i++)
        if (strlen(instruments[i].measure) == len &&
            strncmp(instruments[i].measure, measure, len) == 0)
            return &instruments[i];
    return NULL;
}

/* The link's instruments in its order (at most 3); returns how many. */
static int link_instruments(const char *measures, const struct instrument **out)
{
    int n = 0;
    const char *p = measures ? measures : "";
    while (*p && n < 3) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const struct instrument *in = instrument_of(p, len);
        if (in) out[n++] = in;
        p += len + (comma ? 1 : 0);
    }
    return n;
}

/* Marks the page private to its address: not cached, not sent on as a referrer. */
static void private_headers(struct req *r)
{
    resp_header(r, "Cache-Control", "no-store");
    resp_header(r, "Referrer-Policy", "no-referrer");
}

/*
 * Answers for a link that cannot be used: unknown (404 "Page not found"),
 * used or expired (the domain's sentence as the heading), with what to do.
 */
static void link_unusable(struct req *r, result res)
{
    if (res != RES_NOT_FOUND) {
        page_for_result(r, res);
        private_headers(r);
        return;
    }
    const char *detail = r->ctx.detail ? r->ctx.detail : "This link is not valid.";
    bool unknown = strncmp(detail, "This link is not valid", 22) == 0;
    buf b;
    buf_init(&b, r->a, 1024);
    if (unknown)
        H(&b, "<h1>Page not found</h1><p class=\"nhsuk-body-l\">%s</p>", detail);
    else
        H(&b, "<h1>%s</h1>", detail);
    H(&b, "<p>If you would still like to tell us how you are, ask the person who sent you the"
          " link for a new one.</p>");
    struct html_frag main = html_frag_of(&b);
    private_headers(r);
    layout_page(r, 404, unknown ? "Page not found" : detail, NULL, &main);
}

/*
 * Writes one question as an NHS.UK radio group named "<measure>[i]"; the
 * first radio's id is field-<measure>[i] so the error summary lands on it.
 * chosen is the answer given (NULL: none).
 */
static void question(buf *b, const struct instrument *in, int i, const char *chosen,
                     const char *error)
{
    arena *a = b->a;
    const char *name = arena_printf(a, "%s[%d]", in->measure, i);
    const char *described = error ? arena_printf(a, "field-%s-hint field-%s-error", name, name)
                                  : arena_printf(a, "field-%s-hint", name);
    H(b,
      "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\""
      " aria-describedby=\"%s\">"
      "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">%s</legend>"
      "<div class=\"nhsuk-hint nhsuk-u-visually-hidden\" id=\"field-%s-hint\">Question %d of"
      " %d</div>",
      error ? " nhsuk-form-group--error" : "", described, in->t->items[i], name, i + 1,
      in->t->nitems);
    if (error)
        H(b,
          "<span class=\"nhsuk-error-message\" id=\"field-%s-error\">"
          "<span class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>",
          name, error);
    H(b, "<div class=\"nhsuk-radios%s\" data-module=\"nhsuk-radios\">",
      in->inline_radios ? " nhsuk-radios--inline" : "");
    for (int v = in->t->lo; v <= in->t->hi; v++) {
        const char *value = arena_printf(a, "%d", v);
        const char *id = v == in->t->lo ? arena_printf(a, "field-%s", name)
                                        : arena_printf(a, "field-%s-%d", name, v);
        bool checked = chosen && strcmp(chosen, value) == 0;
        H(b,
          "<div class=\"nhsuk-radios__item\"><input class=\"nhsuk-radios__input\" id=\"%s\""
          " name=\"%s\" type=\"radio\" value=\"%s\"%s><label class=\"nhsuk-label"
          " nhsuk-radios__label\" for=\"%s\">%s</label></div>",
          id, name, value, checked ? " checked" : "", id, in->t->answers[v - in->t->lo]);
    }
    H(b, "</div></fieldset></div>");
}

/*
 * Renders the form for link (a record from outcome_link_open) with status:
 * the answers given so far kept (from the posted form, if any) and the
 * errors in fe shown.
 */
static void render_form(struct req *r, int status, const rec *link, const char *token,
                        const struct form_errors *fe)
{
    const struct instrument *ins[3];
    int n = link_instruments(rec_text(link, "measures"), ins);
    buf b;
    buf_init(&b, r->a, 16384);
    ui_error_summary(&b, fe);
    const char *service = rec_text(link, "service_name");
    H(&b,
      "<span class=\"nhsuk-caption-l\">%s</span><h1>How are you?</h1>"
      "<p class=\"nhsuk-body-l\">These questions help the people running your activity see how"
      " it is going for you. There are no right or wrong answers. It takes about 5 minutes.</p>",
      service ? service : "Your activity");
    H(&b, "<form method=\"post\" action=\"/outcome/%U\" novalidate>", token);
    for (int k = 0; k < n; k++) {
        const struct instrument *in = ins[k];
        H(&b, "<h2>%s</h2><p>%s</p>", in->title, in->t->intro);
        for (int i = 0; i < in->t->nitems; i++) {
            const char *name = arena_printf(r->a, "%s[%d]", in->measure, i);
            question(&b, in, i, req_form(r, name), form_error_for(fe, name));
        }
        if (strcmp(in->measure, "swemwbs") == 0)
            H(&b,
              "<p class=\"nhsuk-body-s\">Short Warwick-Edinburgh Mental Wellbeing Scale"
              " (SWEMWBS) %s</p>",
              SWEMWBS_NOTICE);
    }
    struct ui_field story = {"story", "in your own words (optional)",
                             "How has taking part been for you? What has changed, if anything?",
                             form_error_for(fe, "story"), req_form(r, "story")};
    ui_textarea(&b, &story, 5);
    H(&b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
          "Send my answers</button></form>");
    struct html_frag main = html_frag_of(&b);
    private_headers(r);
    layout_page(r, status, "How are you?", NULL, &main);
}

/* The link of token (in r->a), or NULL with the page saying why it cannot be used. */
static rec *usable_link(struct req *r, const char *token)
{
    rec *link = NULL;
    result res = outcome_link_open(&r->ctx, token, &link);
    if (res == RES_OK) return link;
    link_unusable(r, res);
    return NULL;
}

/* GET /outcome/{token}: the form, or why the link cannot be used. */
static void page_outcome_form(struct req *r)
{
    const char *token = r->params[0];
    rec *link = usable_link(r, token);
    if (link) render_form(r, 200, link, token, NULL);
}

/*
 * Reads the posted answers of instrument in into vals: an unanswered
 * question (or one that is not a whole number) is a field error naming
 * the question.
 */
static void read_answers(struct req *r, const struct instrument *in, int *vals)
{
    for (int i = 0; i < in->t->nitems; i++) {
        const char *name = arena_printf(r->a, "%s[%d]", in->measure, i);
        const char *s = req_form(r, name);
        char *end = NULL;
        long v = s && *s ? strtol(s, &end, 10) : -1;
        if (!s || !*s || !end || *end || v < in->t->lo || v > in->t->hi) {
            ctx_field_error(&r->ctx, name, "Choose an answer for \u201c%s\u201d", in->t->items[i]);
            vals[i] = in->t->lo - 1;
        } else {
            vals[i] = (int)v;
        }
    }
}

/* POST /outcome/{token}: store every answer and spend the link, or show what is missing. */
static void page_outcome_submit(struct req *r)
{
    const char *token = r->params[0];
    rec *link = usable_link(r, token);
    if (!link) return;
    result res = RES_OK;
    const struct instrument *ins[3];
    int n = link_instruments(rec_text(link, "measures"), ins);
    struct outcome_input in[3];
    for (int k = 0; k < n; k++) {
        int *vals = arena_alloc(r->a, sizeof *vals * (size_t)ins[k]->t->nitems);
        read_answers(r, ins[k], vals);
        in[k] = (struct outcome_input){ins[k]->measure, rec_text(link, "stage"), vals,
                                       ins[k]->t->nitems};
    }
    const char *story = req_form(r, "story");
    if (!r->ctx.nerrors) {
        res = outcome_link_submit(&r->ctx, token, in, n, story);
        if (res == RES_NOT_FOUND) {
            link_unusable(r, res);
            return;
        }
        if (res != RES_OK && res != RES_INVALID) {
            page_for_result(r, res);
            private_headers(r);
            return;
        }
    }
    if (r->ctx.nerrors || res == RES_INVALID) {
        struct form_errors fe = form_errors_take(r);
        render_form(r, 422, link, token, &fe);
        return;
    }
    buf b;
    buf_init(&b, r->a, 1024);
    H(&b, "<div class=\"nhsuk-panel\"><h1 class=\"nhsuk-panel__title\">Thank you</h1>"
          "<div class=\"nhsuk-panel__body\">Your answers have been sent.</div></div>"
          "<p>The people running your activity will see them. You can close this page now.</p>");
    struct html_frag main = html_frag_of(&b);
    private_headers(r);
    layout_page(r, 200, "Thank you", NULL, &main);
}

const struct route web_outcome_form_routes[] = {
    {"GET", "/outcome/{token}", page_outcome_form, ROUTE_PUBLIC | ROUTE_SECRET_PATH, NULL},
    {"POST", "/outcome/{token}", page_outcome_submit, ROUTE_PUBLIC | ROUTE_SECRET_PATH, NULL},
};
const size_t web_outcome_form_routes_len =
    sizeof web_outcome_form_routes / sizeof web_outcome_form_routes[0];
