/*
 * pages_directory.c: the public Creative Health directory, for anyone, no
 * sign-in needed: people looking for something to join, link workers
 * finding where to refer, and a provider checking their listing.
 *
 *   GET /directory                 search with filters, nearest first near a postcode
 *   GET /directory/services/{id}   one published service in full
 *
 * The search is the one the Open Referral API answers from (domain/
 * dir_search.h), so the page and the API always agree. Everything shown
 * comes from the published HSDS documents, which hold no personal data.
 */
#include "web/web.h"

#include "domain/dir_browse.h"
#include "domain/dir_search.h"
#include "domain/directory.h"
#include "web/layout.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DIRECTORY_PER_PAGE 20

/* The distances the form offers, in metres ("" = any distance). */
static const struct {
    const char *value, *text;
} proximities[] = {{"", "Any distance"},    {"1000", "Within 1 km"},   {"2000", "Within 2 km"},
                   {"5000", "Within 5 km"}, {"10000", "Within 10 km"}, {"25000", "Within 25 km"}};

static const struct {
    const char *value, *text;
} days[] = {{"", "Any day"},    {"MO", "Monday"}, {"TU", "Tuesday"},  {"WE", "Wednesday"},
            {"TH", "Thursday"}, {"FR", "Friday"}, {"SA", "Saturday"}, {"SU", "Sunday"}};

/* "1.2 km" or "350 m": a distance as people say it. */
static const char *distance_text(arena *a, double m)
{
    if (m < 1000) return arena_printf(a, "%.0f m", m < 10 ? 10 : (double)((long)(m / 10) * 10));
    return arena_printf(a, "%.1f km", m / 1000);
}

/* A select of the given choices named name, marking the one equal to current. */
static void choice_select(buf *b, arena *a, const char *name, const char *label,
                          const char *any_text, const struct dir_choice *ch, int n,
                          const char *current, const char *error)
{
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(n + 1));
    opts[0] = (struct ui_option){"", any_text, !current || !*current};
    for (int i = 0; i < n; i++)
        opts[i + 1] =
            (struct ui_option){ch[i].id, ch[i].name, current && strcmp(current, ch[i].id) == 0};
    struct ui_field f = {name, label, NULL, error, NULL};
    ui_select(b, &f, opts, n + 1);
}

/* The term of q among the choices, or NULL: which select shows which term. */
static const char *term_among(const struct dir_query *q, const struct dir_choice *ch, int n)
{
    for (int t = 0; t < q->nterms; t++)
        for (int i = 0; i < n; i++)
            if (strcmp(q->taxonomy_term_ids[t], ch[i].id) == 0) return ch[i].id;
    return NULL;
}

/* The query string of the current search without its page, ending in
 * "&amp;" (or "?"), for the pagination links. */
static struct html_frag search_base(struct req *r)
{
    buf b;
    buf_init(&b, r->a, 256);
    H(&b, "/directory?");
    struct form_field args[32];
    int n = req_query_all(r, args, 32);
    for (int i = 0; i < n; i++) {
        if (strcmp(args[i].name, "page") == 0 || !*args[i].value) continue;
        H(&b, "%U=%U&", args[i].name, args[i].value);
    }
    return html_frag_of(&b);
}

/* The search form, filled with what was asked. */
static void search_form(buf *b, struct req *r, const struct dir_query *q,
                        const struct form_errors *fe)
{
    arena *a = r->a;
    struct dir_choice *acts = NULL, *needs = NULL, *places = NULL, *hoods = NULL;
    int nacts = 0, nneeds = 0, nplaces = 0, nhoods = 0;
    dir_terms_under(&r->ctx, DIR_CH_ACTIVITY_ROOT, &acts, &nacts);
    dir_terms_under(&r->ctx, DIR_CH_NEED_ROOT, &needs, &nneeds);
    dir_places(&r->ctx, &places, &nplaces);
    dir_neighbourhoods(&r->ctx, &hoods, &nhoods);
    for (int i = 0; i < nhoods; i++)
        for (int p = 0; p < nplaces; p++)
            if (hoods[i].parent == atoll(places[p].id))
                hoods[i].name = arena_printf(a, "%s (%s)", hoods[i].name, places[p].name);

    H(b, "<form method=\"get\" action=\"/directory\" novalidate class=\"chis-directory-form\">");
    struct ui_field search = {"search", "what are you looking for?",
                              "For example singing, gardening, museum or a group's name",
                              form_error_for(fe, "search"), q->search};
    ui_input(b, &search, "search", "off", NULL, "nhsuk-input--width-30", false);
    struct ui_field postcode = {"postcode", "postcode", "To list the nearest first, e.g. HX1 1QG",
                                form_error_for(fe, "postcode"), q->postcode};
    ui_input(b, &postcode, "text", "postal-code", NULL, "nhsuk-input--width-10", true);
    struct ui_option popts[sizeof proximities / sizeof proximities[0]];
    char current[32] = "";
    if (q->proximity_m > 0) snprintf(current, sizeof current, "%.0f", q->proximity_m);
    for (size_t i = 0; i < sizeof proximities / sizeof proximities[0]; i++)
        popts[i] = (struct ui_option){proximities[i].value, proximities[i].text,
                                      strcmp(current, proximities[i].value) == 0};
    struct ui_field prox = {"proximity", "distance", NULL, form_error_for(fe, "proximity"), NULL};
    ui_select(b, &prox, popts, (int)(sizeof popts / sizeof popts[0]));

    H(b,
      "<details class=\"nhsuk-details\"%s><summary class=\"nhsuk-details__summary\">"
      "<span class=\"nhsuk-details__summary-text\">More filters</span></summary>"
      "<div class=\"nhsuk-details__text\">",
      q->nterms || q->day[0] || q->place_id || q->neighbourhood_id || q->free_only ? " open" : "");
    choice_select(b, a, "taxonomy_term_id", "activity", "Any activity", acts, nacts,
                  term_among(q, acts, nacts), NULL);
    choice_select(b, a, "taxonomy_term_id", "need it helps with", "Any need", needs, nneeds,
                  term_among(q, needs, nneeds), form_error_for(fe, "taxonomy_term_id"));
    struct ui_option dopts[sizeof days / sizeof days[0]];
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
        dopts[i] =
            (struct ui_option){days[i].value, days[i].text, strcmp(q->day, days[i].value) == 0};
    struct ui_field day = {"day", "day", NULL, form_error_for(fe, "day"), NULL};
    ui_select(b, &day, dopts, (int)(sizeof dopts / sizeof dopts[0]));
    const char *place = q->place_id ? arena_printf(a, "%lld", q->place_id) : NULL;
    const char *hood = q->neighbourhood_id ? arena_printf(a, "%lld", q->neighbourhood_id) : NULL;
    choice_select(b, a, "place_id", "place", "Anywhere", places, nplaces, place,
                  form_error_for(fe, "place_id"));
    choice_select(b, a, "neighbourhood_id", "neighbourhood", "Any neighbourhood", hoods, nhoods,
                  hood, form_error_for(fe, "neighbourhood_id"));
    struct ui_field free_f = {"free_only", "free of charge only", NULL, NULL, NULL};
    ui_checkbox(b, &free_f, q->free_only);
    H(b, "</div></details>"
         "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
         " data-module=\"nhsuk-button\" type=\"submit\">Search</button>"
         "<a class=\"nhsuk-link\" href=\"/directory\">Clear</a></div></form>");
}

/* A member of a JSON object as text, or NULL. */
static const char *jtext(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* The first sentences of a description, at most about 220 characters. */
static const char *excerpt(arena *a, const char *s)
{
    if (!s) return "";
    size_t n = strlen(s);
    if (n <= 220) return s;
    size_t cut = 220;
    while (cut > 120 && s[cut] != ' ')
        cut--;
    /* Do not cut a UTF-8 sequence in two. */
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return arena_printf(a, "%.*s…", (int)cut, s);
}

/* One result in the list. */
static void result_item(buf *b, struct req *r, const struct dir_hit *h)
{
    json_t *sum = h->summary ? json_loads(h->summary, 0, NULL) : NULL;
    H(b,
      "<li class=\"chis-directory-result\"><h2 class=\"nhsuk-heading-s"
      " nhsuk-u-margin-bottom-1\"><a class=\"nhsuk-link\" href=\"/directory/services/%U\">%s"
      "</a></h2>",
      h->id, h->name);
    H(b, "<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\">%s",
      h->organization_name ? h->organization_name : "");
    if (h->has_distance)
        H(b, " · <strong>%s away</strong>%s%s", distance_text(r->a, h->distance_m),
          h->location_name ? " at " : "", h->location_name ? h->location_name : "");
    H(b, "</p>");
    const char *desc = sum ? jtext(sum, "description") : NULL;
    if (desc) H(b, "<p class=\"nhsuk-body-s\">%s</p>", excerpt(r->a, desc));
    H(b, "</li>");
    json_decref(sum);
}

/* GET /directory: the search page. */
static void page_directory(struct req *r)
{
    struct dir_query q;
    dir_query_init(&q, DIR_UNIT_SERVICE);
    q.per_page = DIRECTORY_PER_PAGE;
    struct dir_param params[32];
    struct form_field args[32];
    int n = req_query_all(r, args, 32);
    for (int i = 0; i < n; i++)
        params[i] = (struct dir_param){args[i].name, args[i].value};
    struct form_errors fe = {0};
    int status = 200;
    struct dir_results res = {0};
    result rc = dir_query_parse(&r->ctx, &q, params, n, DIR_Q_WEB, NULL);
    if (rc == RES_OK && q.per_page > 100) q.per_page = 100;
    if (rc == RES_OK) rc = dir_search(&r->ctx, &q, DIR_FETCH_SUMMARY, &res);
    if (!page_read_result(r, rc, &fe, &status)) return;

    buf b;
    buf_init(&b, r->a, 16384);
    H(&b, "<h1>Find a creative health activity</h1>"
          "<p class=\"nhsuk-body-l\">Music, singing, dance, arts and crafts, heritage, nature"
          " and more: groups and courses that support health and wellbeing near you.</p>");
    const struct actor *who = r->ctx.actor;
    if (who && who->role != ROLE_VIEWER && who->role != ROLE_LINK_WORKER)
        H(&b, "<p><a class=\"nhsuk-link\" href=\"/directory/manage\">Manage directory"
              " services</a></p>");
    ui_error_summary(&b, &fe);
    search_form(&b, r, &q, &fe);
    if (status == 200) {
        if (res.total == 0)
            H(&b, "<h2 class=\"nhsuk-heading-m\">No activities found</h2><p>Try fewer words,"
                  " a wider distance or fewer filters.</p>");
        else {
            H(&b, "<h2 class=\"nhsuk-heading-m\" id=\"results\">%s %s found%s%s</h2>",
              ui_number(r->a, res.total), res.total == 1 ? "activity" : "activities",
              res.postcode ? ", nearest to " : "", res.postcode ? res.postcode : "");
            if (res.postcode && res.approximate)
                H(&b, "<p class=\"nhsuk-body-s\">We do not know that exact postcode, so"
                      " distances are from the middle of its area.</p>");
            H(&b, "<ul class=\"nhsuk-list nhsuk-list--border\">");
            for (int i = 0; i < res.nhits; i++)
                result_item(&b, r, &res.hits[i]);
            H(&b, "</ul>");
            struct html_frag base = search_base(r);
            ui_pagination(&b, &base, res.page, res.total_pages);
        }
    }
    H(&b, "<p class=\"nhsuk-body-s\">This directory is open data: developers can read it"
          " through the <a class=\"nhsuk-link\" href=\"/openreferral/\">Open Referral UK"
          " API</a>.</p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Find a creative health activity", "/directory", &main);
}

/* Is s a web address we may link to (http or https, nothing else)? */
static bool linkable(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0);
}

/* A description as paragraphs: blank lines split them. */
static void paragraphs(buf *b, arena *a, const char *s)
{
    if (!s || !*s) return;
    while (*s) {
        const char *end = strstr(s, "\n\n");
        size_t len = end ? (size_t)(end - s) : strlen(s);
        H(b, "<p>%s</p>", arena_strndup(a, s, len));
        s += len;
        while (*s == '\n')
            s++;
    }
}

/* "Monday and Wednesday" from "MO,WE" (ordinals as in "1MO" kept as "first Monday"). */
static const char *days_text(arena *a, const char *byday)
{
    static const char *const names[][2] = {
        {"MO", "Monday"}, {"TU", "Tuesday"},  {"WE", "Wednesday"}, {"TH", "Thursday"},
        {"FR", "Friday"}, {"SA", "Saturday"}, {"SU", "Sunday"}};
    static const char *const nth[] = {"", "first ", "second ", "third ", "fourth ", "fifth "};
    buf b;
    buf_init(&b, a, 64);
    char *copy = arena_strdup(a, byday), *save = NULL;
    int count = 0, total = 1;
    for (const char *p = byday; *p; p++)
        total += *p == ',';
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const char *prefix = "";
        if (*tok == '-' && tok[1] == '1') {
            prefix = "last ";
            tok += 2;
        } else if (*tok >= '1' && *tok <= '5') {
            prefix = nth[*tok - '0'];
            tok++;
        }
        const char *name = tok;
        for (size_t i = 0; i < 7; i++)
            if (strcmp(tok, names[i][0]) == 0) name = names[i][1];
        count++;
        buf_printf(&b, "%s%s%s", count == 1 ? "" : count == total ? " and " : ", ", prefix, name);
    }
    return b.data;
}

/* One schedule in words: "Every Monday and Wednesday, 09:30 to 12:00". */
static void schedule_item(buf *b, arena *a, json_t *s)
{
    const char *byday = jtext(s, "byday"), *freq = jtext(s, "freq");
    const char *opens = jtext(s, "opens_at"), *closes = jtext(s, "closes_at");
    H(b, "<li>");
    if (byday)
        H(b, "%s %s", freq && strcmp(freq, "MONTHLY") == 0 ? "Every month on the" : "Every",
          days_text(a, byday));
    if (opens && closes)
        H(b, "%s%s to %s", byday ? ", " : "", arena_strndup(a, opens, 5),
          arena_strndup(a, closes, 5));
    else if (opens)
        H(b, "%sfrom %s", byday ? ", " : "", arena_strndup(a, opens, 5));
    const char *desc = jtext(s, "description");
    if (desc) H(b, "%s%s", byday || opens ? ". " : "", desc);
    H(b, "</li>");
}

/* A row of the summary list, skipped when value is empty. */
static void row(buf *b, const char *key, const struct html_frag *value)
{
    H(b,
      "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">%s</dt>"
      "<dd class=\"nhsuk-summary-list__value\">%H</dd></div>",
      key, value);
}

/* The age range in words, or NULL when the service does not say. */
static const char *ages_text(arena *a, json_t *doc)
{
    json_t *min = json_object_get(doc, "minimum_age"), *max = json_object_get(doc, "maximum_age");
    if (min && max)
        return arena_printf(a, "Ages %g to %g", json_number_value(min), json_number_value(max));
    if (min) return arena_printf(a, "Ages %g and over", json_number_value(min));
    if (max) return arena_printf(a, "Up to age %g", json_number_value(max));
    return NULL;
}

/* The costs in words: each option and amount; "Free" when none asks money. */
static void costs(buf *b, arena *a, json_t *doc)
{
    json_t *opts = json_object_get(doc, "cost_options");
    const char *fees = jtext(doc, "fees");
    size_t i;
    json_t *co;
    bool any = false;
    H(b, "<ul class=\"nhsuk-list\">");
    json_array_foreach(opts, i, co)
    {
        json_t *amount = json_object_get(co, "amount");
        const char *opt = jtext(co, "option");
        const char *money = !json_is_number(amount) ? NULL
                            : json_number_value(amount) <= 0
                                ? "free"
                                : arena_printf(a, "£%.2f", json_number_value(amount));
        H(b, "<li>%s%s%s%s%s</li>", opt ? opt : "", opt && money ? ": " : "", money ? money : "",
          jtext(co, "amount_description") ? " – " : "",
          jtext(co, "amount_description") ? jtext(co, "amount_description") : "");
        any = true;
    }
    if (fees) H(b, "<li>%s</li>", fees);
    if (!any && !fees) H(b, "<li>Free</li>");
    H(b, "</ul>");
}

/* Where the service meets and when, one section per location. */
static void locations(buf *b, arena *a, json_t *doc)
{
    json_t *sals = json_object_get(doc, "service_at_locations");
    if (json_array_size(sals) == 0 && json_array_size(json_object_get(doc, "schedules")) == 0)
        return;
    H(b, "<h2 class=\"nhsuk-heading-m\">Where and when</h2>");
    size_t i, k;
    json_t *sal, *s;
    json_array_foreach(sals, i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        H(b,
          "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">"
          "<h3 class=\"nhsuk-card__heading nhsuk-heading-s\">%s</h3>",
          jtext(loc, "name") ? jtext(loc, "name") : "Venue");
        json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
        if (addr) {
            H(b, "<p class=\"nhsuk-body-s\">");
            const char *parts[] = {jtext(addr, "address_1"), jtext(addr, "address_2"),
                                   jtext(addr, "city"), jtext(addr, "postal_code")};
            bool first = true;
            for (size_t p = 0; p < 4; p++) {
                if (!parts[p] || !*parts[p]) continue;
                if (!first) H(b, "<br>");
                H(b, "%s", parts[p]);
                first = false;
            }
            H(b, "</p>");
        }
        const char *desc = jtext(loc, "description");
        if (desc) H(b, "<p class=\"nhsuk-body-s\">%s</p>", desc);
        json_t *sch = json_object_get(sal, "schedules");
        if (json_array_size(sch)) {
            H(b, "<ul class=\"nhsuk-list nhsuk-body-s\">");
            json_array_foreach(sch, k, s) schedule_item(b, a, s);
            H(b, "</ul>");
        }
        json_t *acc;
        json_array_foreach(json_object_get(loc, "accessibility"), k, acc)
        {
            const char *what = jtext(acc, "description");
            if (what) H(b, "<p class=\"nhsuk-body-s\"><strong>Access:</strong> %s</p>", what);
        }
        H(b, "</div></div>");
    }
    json_t *sch = json_object_get(doc, "schedules");
    if (json_array_size(sch)) {
        H(b, "<ul class=\"nhsuk-list\">");
        json_array_foreach(sch, k, s) schedule_item(b, a, s);
        H(b, "</ul>");
    }
}

/* The taxonomy terms under one parent as a comma list, or NULL. */
static const char *terms_text(arena *a, json_t *doc, const char *parent)
{
    buf b;
    buf_init(&b, a, 64);
    size_t i;
    json_t *attr;
    json_array_foreach(json_object_get(doc, "attributes"), i, attr)
    {
        json_t *t = json_object_get(attr, "taxonomy_term");
        const char *p = jtext(t, "parent_id"), *name = jtext(t, "name");
        if (!name || !p || strcmp(p, parent) != 0) continue;
        buf_printf(&b, "%s%s", b.len ? ", " : "", name);
    }
    return b.len ? b.data : NULL;
}

/* GET /directory/services/{id}: one published service. */
static void page_directory_service(struct req *r)
{
    arena *a = r->a;
    const char *text = NULL;
    result rc = dir_public_service(&r->ctx, r->params[0], &text);
    if (rc != RES_OK) {
        page_for_result(r, rc);
        return;
    }
    json_t *doc = json_loads(text, 0, NULL);
    if (!doc) {
        page_for_result(r, RES_INTERNAL);
        return;
    }
    json_t *org = json_object_get(doc, "organization");
    buf b;
    buf_init(&b, a, 16384);
    H(&b, "<a class=\"nhsuk-back-link\" href=\"/directory\">Back to the directory</a>");
    H(&b, "<span class=\"nhsuk-caption-l\">%s</span><h1>%s</h1>",
      jtext(org, "name") ? jtext(org, "name") : "", jtext(doc, "name"));
    const char *status = jtext(doc, "status");
    if (status && strcmp(status, "active") != 0)
        H(&b,
          "<div class=\"nhsuk-warning-callout\"><h3 class=\"nhsuk-warning-callout__label\">"
          "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>"
          "Not running</span></h3><p>This service is %s.</p></div>",
          status);
    const char *alert = jtext(doc, "alert");
    if (alert)
        H(&b,
          "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">"
          "Information: </span><p>%s</p></div>",
          alert);
    paragraphs(&b, a, jtext(doc, "description"));
    const struct actor *who = r->ctx.actor;
    if (who &&
        (who->role == ROLE_LINK_WORKER || who->role == ROLE_PROVIDER || who->role == ROLE_ADMIN))
        H(&b,
          "<p><a class=\"nhsuk-button\" href=\"/referrals/new?service_id=%U\">Refer someone to"
          " this service</a></p>",
          r->params[0]);

    H(&b, "<dl class=\"nhsuk-summary-list\">");
    buf v;
    const char *acts = terms_text(a, doc, DIR_CH_ACTIVITY_ROOT);
    const char *needs = terms_text(a, doc, DIR_CH_NEED_ROOT);
    const char *ages = ages_text(a, doc);
    const char *elig = jtext(doc, "eligibility_description");
    if (acts) {
        buf_init(&v, a, 64);
        H(&v, "%s", acts);
        struct html_frag f = html_frag_of(&v);
        row(&b, "Activities", &f);
    }
    if (needs) {
        buf_init(&v, a, 64);
        H(&v, "%s", needs);
        struct html_frag f = html_frag_of(&v);
        row(&b, "Helps with", &f);
    }
    if (ages || elig) {
        buf_init(&v, a, 64);
        H(&v, "%s%s%s", ages ? ages : "", ages && elig ? ". " : "", elig ? elig : "");
        struct html_frag f = html_frag_of(&v);
        row(&b, "Who it is for", &f);
    }
    buf_init(&v, a, 128);
    costs(&v, a, doc);
    struct html_frag cf = html_frag_of(&v);
    row(&b, "Cost", &cf);
    buf_init(&v, a, 128);
    const char *email = jtext(doc, "email"), *url = jtext(doc, "url");
    if (email) H(&v, "<a class=\"nhsuk-link\" href=\"mailto:%s\">%s</a><br>", email, email);
    if (linkable(url))
        H(&v, "<a class=\"nhsuk-link\" href=\"%s\" rel=\"noopener\">%s</a><br>", url, url);
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(doc, "phones"), i, ph)
        H(&v, "%s<br>", jtext(ph, "number") ? jtext(ph, "number") : "");
    json_t *ct;
    json_array_foreach(json_object_get(doc, "contacts"), i, ct)
    {
        if (jtext(ct, "name"))
            H(&v, "%s%s%s<br>", jtext(ct, "name"), jtext(ct, "title") ? ", " : "",
              jtext(ct, "title") ? jtext(ct, "title") : "");
        json_t *cph;
        size_t k;
        json_array_foreach(json_object_get(ct, "phones"), k, cph)
            H(&v, "%s<br>", jtext(cph, "number") ? jtext(cph, "number") : "");
    }
    if (v.len) {
        struct html_frag f = html_frag_of(&v);
        row(&b, "Contact", &f);
    }
    H(&b, "</dl>");
    locations(&b, a, doc);
    const char *modified = jtext(doc, "last_modified");
    if (modified)
        H(&b, "<p class=\"nhsuk-body-s nhsuk-u-secondary-text-colour\">Last updated %s.</p>",
          ui_time(a, modified));
    const char *title = arena_strdup(a, jtext(doc, "name"));
    json_decref(doc);
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, title, "/directory", &main);
}

const struct route web_directory_routes[] = {
    {"GET", "/directory", page_directory, ROUTE_PUBLIC, NULL},
    {"GET", "/directory/services/{id}", page_directory_service, ROUTE_PUBLIC, NULL},
};
const size_t web_directory_routes_len =
    sizeof web_directory_routes / sizeof web_directory_routes[0];
