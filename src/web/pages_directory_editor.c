/*
 * pages_directory_editor.c: the service editor, under /directory/manage.
 *
 * The editor edits an HSDS document without JavaScript. Lists (costs,
 * locations, schedules) are rows of fields named PREFIX-N-MEMBER with the
 * element's id in a hidden field, plus one blank row to add another (save,
 * and a new blank row appears). Saving builds the document from the
 * document being edited (dir_edit_current): every element keeps the
 * members the form does not show, matched by id; a ticked "remove" drops
 * one. Field errors come back from the domain as document paths
 * ("schedules[1].opens_at"), which name the rows of the re-rendered form
 * directly, because the form is re-rendered from the document it built.
 */
#include "base/text.h"
#include "domain/dir_edit.h"
#include "domain/directory.h"
#include "domain/structure.h"
#include "web/pages_directory_edit.h"
#include "web/web.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 50

static const char *const statuses[] = {"active", "temporarily closed", "inactive", "defunct", NULL};
static const char *const days[][2] = {{"MO", "Monday"},   {"TU", "Tuesday"}, {"WE", "Wednesday"},
                                      {"TH", "Thursday"}, {"FR", "Friday"},  {"SA", "Saturday"},
                                      {"SU", "Sunday"}};

/* ---- choices ---- */

/* The Creative Health terms offered as checkboxes. */
struct terms {
    struct store_page act, need;
};

/* Read the two term lists; failures leave them empty (the page still works). */
static void load_terms(struct req *r, struct terms *t)
{
    struct ctx saved = r->ctx;
    if (dir_edit_terms(&r->ctx, DIR_CH_ACTIVITY_ROOT, &t->act) != RES_OK)
        memset(&t->act, 0, sizeof t->act);
    if (dir_edit_terms(&r->ctx, DIR_CH_NEED_ROOT, &t->need) != RES_OK)
        memset(&t->need, 0, sizeof t->need);
    r->ctx = saved;
}

/* Is term id one of the checkboxes? */
static bool offered(const struct terms *t, const char *id)
{
    const struct store_page *pages[] = {&t->act, &t->need};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < pages[k]->nrows; i++)
            if (strcmp(rec_text(pages[k]->rows[i], "id"), id) == 0) return true;
    return false;
}

/* See pages_directory_edit.h. */
struct ui_option *dm_entity_options(struct req *r, const struct entity *e, int *n)
{
    struct ctx saved = r->ctx;
    int cap = 64, k = 1;
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)cap);
    opts[0] = (struct ui_option){"", "Not known", false};
    for (long long page = 1; page <= 10; page++) {
        struct list_query q = {.page = page, .per_page = LIST_MAX_PER_PAGE};
        struct store_page pg;
        if (entity_list(&r->ctx, e, &q, &pg) != RES_OK) break;
        if (k + pg.nrows > cap) {
            cap = (k + pg.nrows) * 2;
            struct ui_option *more = arena_alloc(r->a, sizeof *more * (size_t)cap);
            memcpy(more, opts, sizeof *opts * (size_t)k);
            opts = more;
        }
        for (int i = 0; i < pg.nrows; i++)
            opts[k++] = (struct ui_option){arena_printf(r->a, "%lld", rec_int(pg.rows[i], "id", 0)),
                                           rec_text(pg.rows[i], "name"), false};
        if (pg.nrows < LIST_MAX_PER_PAGE) break;
    }
    r->ctx = saved;
    *n = k;
    return opts;
}

/* See pages_directory_edit.h. */
struct ui_option *dm_with_selected(arena *a, const struct ui_option *opts, int n,
                                   const char *current)
{
    struct ui_option *out = arena_alloc(a, sizeof *out * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        out[i] = opts[i];
        out[i].selected = current && *current && strcmp(current, opts[i].value) == 0;
    }
    return out;
}

/* ---- from the form to the document ---- */

/* See pages_directory_edit.h. */
const char *dm_field(struct req *r, const char *name)
{
    const char *s = req_form(r, name);
    if (!s) return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return n ? arena_strndup(r->a, s, n) : NULL;
}

/* See pages_directory_edit.h. */
void dm_set_text(json_t *obj, const char *member, const char *v)
{
    if (v)
        json_object_set_new(obj, member, json_string(v));
    else
        json_object_del(obj, member);
}

/* A number when the text is one, else the text (so the domain says what is wrong). */
static void set_number(json_t *obj, const char *member, const char *v)
{
    if (!v) {
        json_object_del(obj, member);
        return;
    }
    char *end;
    double d = strtod(v, &end);
    if (*end == '\0' && isfinite(d))
        json_object_set_new(obj, member, json_real(d));
    else
        json_object_set_new(obj, member, json_string(v));
}

/* A chis id from a select, or none. */
static void set_chis_id(json_t *obj, const char *member, const char *v)
{
    long long id = text_id(v);
    if (id)
        json_object_set_new(obj, member, json_integer(id));
    else
        json_object_del(obj, member);
}

/* A copy of the element of arr whose id is id, or a new object. */
static json_t *element(json_t *arr, const char *id)
{
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el)
    {
        const char *eid = json_string_value(json_object_get(el, "id"));
        if (id && eid && strcmp(eid, id) == 0) return json_deep_copy(el);
    }
    json_t *out = json_object();
    if (id) json_object_set_new(out, "id", json_string(id));
    return out;
}

/* How many rows of a list the form sent (its PREFIX-count field). */
static int rows(struct req *r, const char *prefix)
{
    long long n = text_id(req_form(r, arena_printf(r->a, "%s-count", prefix)));
    return n > MAX_ROWS ? MAX_ROWS : (int)n;
}

/* The form value of row i's member. */
static const char *cell(struct req *r, const char *prefix, int i, const char *member)
{
    return dm_field(r, arena_printf(r->a, "%s-%d-%s", prefix, i, member));
}

/* Is row i to be dropped: ticked "remove", or blank in every one of members? */
static bool dropped(struct req *r, const char *prefix, int i, const char *const *members)
{
    if (cell(r, prefix, i, "remove")) return true;
    for (const char *const *m = members; *m; m++)
        if (cell(r, prefix, i, *m)) return false;
    return true;
}

/* The cost options from their rows. */
static json_t *build_costs(struct req *r, json_t *base)
{
    static const char *const shown[] = {"option", "amount", "amount_description", NULL};
    json_t *out = json_array();
    for (int i = 0; i < rows(r, "co"); i++) {
        if (dropped(r, "co", i, shown)) continue;
        json_t *co = element(json_object_get(base, "cost_options"), cell(r, "co", i, "id"));
        dm_set_text(co, "option", cell(r, "co", i, "option"));
        set_number(co, "amount", cell(r, "co", i, "amount"));
        dm_set_text(co, "amount_description", cell(r, "co", i, "amount_description"));
        if (json_object_get(co, "amount") && !json_object_get(co, "currency"))
            json_object_set_new(co, "currency", json_string("GBP"));
        json_array_append_new(out, co);
    }
    return out;
}

/* The weekly schedules from their rows. */
static json_t *build_schedules(struct req *r, json_t *base)
{
    static const char *const shown[] = {"byday", "opens_at", "closes_at", "description", NULL};
    json_t *out = json_array();
    for (int i = 0; i < rows(r, "sch"); i++) {
        if (dropped(r, "sch", i, shown)) continue;
        json_t *s = element(json_object_get(base, "schedules"), cell(r, "sch", i, "id"));
        dm_set_text(s, "byday", cell(r, "sch", i, "byday"));
        dm_set_text(s, "opens_at", cell(r, "sch", i, "opens_at"));
        dm_set_text(s, "closes_at", cell(r, "sch", i, "closes_at"));
        dm_set_text(s, "description", cell(r, "sch", i, "description"));
        if (json_object_get(s, "byday") && !json_object_get(s, "freq"))
            json_object_set_new(s, "freq", json_string("WEEKLY"));
        json_array_append_new(out, s);
    }
    return out;
}

/* The service at locations, each with its location and first address, from their rows. */
static json_t *build_locations(struct req *r, json_t *base)
{
    static const char *const shown[] = {"name",        "address_1",        "city",
                                        "postal_code", "latitude",         "longitude",
                                        "place_id",    "neighbourhood_id", NULL};
    json_t *out = json_array();
    for (int i = 0; i < rows(r, "loc"); i++) {
        if (dropped(r, "loc", i, shown)) continue;
        json_t *sal =
            element(json_object_get(base, "service_at_locations"), cell(r, "loc", i, "sal"));
        json_t *loc = json_object_get(sal, "location");
        loc = json_is_object(loc) ? json_deep_copy(loc) : json_object();
        const char *lid = cell(r, "loc", i, "id");
        if (lid && !json_object_get(loc, "id")) json_object_set_new(loc, "id", json_string(lid));
        dm_set_text(loc, "name", cell(r, "loc", i, "name"));
        set_number(loc, "latitude", cell(r, "loc", i, "latitude"));
        set_number(loc, "longitude", cell(r, "loc", i, "longitude"));
        set_chis_id(loc, "place_id", cell(r, "loc", i, "place_id"));
        set_chis_id(loc, "neighbourhood_id", cell(r, "loc", i, "neighbourhood_id"));
        json_t *addrs = json_object_get(loc, "addresses");
        addrs = json_is_array(addrs) ? json_deep_copy(addrs) : json_array();
        json_t *addr = json_array_get(addrs, 0);
        if (!addr) {
            addr = json_object();
            json_array_append_new(addrs, addr);
        }
        dm_set_text(addr, "address_1", cell(r, "loc", i, "address_1"));
        dm_set_text(addr, "city", cell(r, "loc", i, "city"));
        dm_set_text(addr, "postal_code", cell(r, "loc", i, "postal_code"));
        if (!json_object_get(addr, "country"))
            json_object_set_new(addr, "country", json_string("GB"));
        json_object_set_new(loc, "addresses", addrs);
        json_object_del(sal, "location_id"); /* the inline location says which */
        json_object_set_new(sal, "location", loc);
        json_array_append_new(out, sal);
    }
    return out;
}

/* The attributes: those the checkboxes do not offer kept, the ticked ones set. */
static json_t *build_attributes(struct req *r, json_t *base, const struct terms *t)
{
    json_t *old = json_object_get(base, "attributes");
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(old, i, a)
    {
        const char *tid = json_string_value(json_object_get(a, "taxonomy_term_id"));
        if (tid && !offered(t, tid)) json_array_append(out, a);
    }
    const char *names[] = {"term_activity", "term_need"};
    for (int k = 0; k < 2; k++) {
        const char *ticked[200];
        int n = req_form_all(r, names[k], ticked, 200);
        for (int j = 0; j < n; j++) {
            if (!offered(t, ticked[j])) continue;
            json_t *keep = NULL;
            json_array_foreach(old, i, a)
            {
                const char *tid = json_string_value(json_object_get(a, "taxonomy_term_id"));
                if (tid && strcmp(tid, ticked[j]) == 0) keep = a;
            }
            json_array_append_new(out, keep ? json_deep_copy(keep)
                                            : json_pack("{s:s}", "taxonomy_term_id", ticked[j]));
        }
    }
    return out;
}

/* The document the form describes, built over base (a new reference). */
static json_t *build_doc(struct req *r, json_t *base, const struct terms *t)
{
    json_t *doc = json_deep_copy(base);
    static const char *const texts[] = {"name",  "description",      "status", "url",
                                        "email", "fees_description", NULL};
    for (const char *const *m = texts; *m; m++)
        dm_set_text(doc, *m, dm_field(r, *m));
    json_object_del(doc, "fees"); /* fees_description is what the form edits */
    set_number(doc, "minimum_age", dm_field(r, "minimum_age"));
    set_number(doc, "maximum_age", dm_field(r, "maximum_age"));
    const char *org = dm_field(r, "organization_id");
    if (org) {
        json_object_set_new(doc, "organization_id", json_string(org));
        json_object_del(doc, "organization");
    }
    json_object_set_new(doc, "cost_options", build_costs(r, base));
    json_object_set_new(doc, "schedules", build_schedules(r, base));
    json_object_set_new(doc, "service_at_locations", build_locations(r, base));
    json_object_set_new(doc, "attributes", build_attributes(r, base, t));
    return doc;
}

/*
 * The form field a document path belongs to: list members become their
 * row's field ("schedules[1].opens_at" -> "sch-1-opens_at"), an address's
 * and a location's members the location row's, an attribute the activity
 * checkboxes. Other paths are kept.
 */
static const char *form_field_of(arena *a, const char *path)
{
    static const struct {
        const char *list, *prefix;
    } lists[] = {{"cost_options[", "co"}, {"schedules[", "sch"}, {"service_at_locations[", "loc"}};
    if (strncmp(path, "attributes[", 11) == 0) return "term_activity";
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        size_t n = strlen(lists[k].list);
        if (strncmp(path, lists[k].list, n) != 0) continue;
        char *end;
        long i = strtol(path + n, &end, 10);
        if (*end != ']') return path;
        const char *member = strrchr(end, '.');
        member = member ? member + 1 : "";
        if (strcmp(member, "id") == 0 || strcmp(member, "location") == 0 ||
            strncmp(member, "addresses", 9) == 0 || !*member)
            member = strcmp(lists[k].prefix, "loc") == 0 ? "name" : "remove";
        return arena_printf(a, "%s-%ld-%s", lists[k].prefix, i, member);
    }
    return path;
}

/* ---- rendering ---- */

/* See pages_directory_edit.h. */
void dm_input(buf *b, const struct form_errors *fe, const char *name, const char *label,
              const char *hint, const char *value, const char *type, const char *width)
{
    struct ui_field f = {name, label, hint, form_error_for(fe, name), value};
    ui_input(b, &f, type, "off", NULL, width, false);
}

/* The rows of the costs. */
static void render_costs(struct req *r, buf *b, json_t *doc, const struct form_errors *fe)
{
    json_t *list = json_object_get(doc, "cost_options");
    size_t n = json_array_size(list);
    H(b, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend"
         " nhsuk-fieldset__legend--m\">Costs</legend><div class=\"nhsuk-hint\">Leave these empty"
         " when it is free. Save to add another line.</div>");
    for (size_t i = 0; i <= n; i++) {
        json_t *co = json_array_get(list, i);
        H(b,
          "<div class=\"nhsuk-card nhsuk-u-margin-bottom-3\"><div class=\"nhsuk-card__content\">"
          "<h3 class=\"nhsuk-heading-s\">%s</h3>",
          co ? arena_printf(r->a, "Cost %zu", i + 1) : "Add a cost");
        ui_hidden(b, arena_printf(r->a, "co-%zu-id", i), dm_text(r, co, "id"));
        dm_input(b, fe, arena_printf(r->a, "co-%zu-option", i), "what it is for",
                 "For example: per session, a course of 6", dm_text(r, co, "option"), "text", NULL);
        dm_input(b, fe, arena_printf(r->a, "co-%zu-amount", i), "amount in pounds", NULL,
                 dm_text(r, co, "amount"), "text", "nhsuk-input--width-5");
        dm_input(b, fe, arena_printf(r->a, "co-%zu-amount_description", i), "more about the cost",
                 "For example: pay what you can", dm_text(r, co, "amount_description"), "text",
                 NULL);
        if (co) {
            struct ui_field f = {arena_printf(r->a, "co-%zu-remove", i), "remove this cost", NULL,
                                 NULL, NULL};
            ui_checkbox(b, &f, false);
        }
        H(b, "</div></div>");
    }
    ui_hidden(b, "co-count", arena_printf(r->a, "%zu", n + 1));
    H(b, "</fieldset>");
}

/* The rows of the weekly schedules. */
static void render_schedules(struct req *r, buf *b, json_t *doc, const struct form_errors *fe)
{
    json_t *list = json_object_get(doc, "schedules");
    size_t n = json_array_size(list);
    H(b, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend"
         " nhsuk-fieldset__legend--m\">When it runs</legend><div class=\"nhsuk-hint\">One line"
         " per weekly session, times as 10:00 or 2pm. Save to add another line.</div>");
    for (size_t i = 0; i <= n; i++) {
        json_t *s = json_array_get(list, i);
        H(b,
          "<div class=\"nhsuk-card nhsuk-u-margin-bottom-3\"><div class=\"nhsuk-card__content\">"
          "<h3 class=\"nhsuk-heading-s\">%s</h3>",
          s ? arena_printf(r->a, "Session %zu", i + 1) : "Add a session");
        ui_hidden(b, arena_printf(r->a, "sch-%zu-id", i), dm_text(r, s, "id"));
        const char *day = dm_text(r, s, "byday");
        struct ui_option opts[9];
        int k = 0;
        bool known = !*day;
        opts[k++] = (struct ui_option){"", "Choose a day", !*day};
        for (size_t d = 0; d < 7; d++) {
            bool sel = strcmp(day, days[d][0]) == 0;
            known = known || sel;
            opts[k++] = (struct ui_option){days[d][0], days[d][1], sel};
        }
        if (!known) opts[k++] = (struct ui_option){day, day, true}; /* as imported: "MO,WE" */
        const char *name = arena_printf(r->a, "sch-%zu-byday", i);
        struct ui_field f = {name, "day", NULL, form_error_for(fe, name), NULL};
        ui_select(b, &f, opts, k);
        dm_input(b, fe, arena_printf(r->a, "sch-%zu-opens_at", i), "starts at", NULL,
                 dm_time(r, dm_text(r, s, "opens_at")), "text", "nhsuk-input--width-5");
        dm_input(b, fe, arena_printf(r->a, "sch-%zu-closes_at", i), "ends at", NULL,
                 dm_time(r, dm_text(r, s, "closes_at")), "text", "nhsuk-input--width-5");
        dm_input(b, fe, arena_printf(r->a, "sch-%zu-description", i), "notes",
                 "For example: term time only", dm_text(r, s, "description"), "text", NULL);
        if (s) {
            f = (struct ui_field){arena_printf(r->a, "sch-%zu-remove", i), "remove this session",
                                  NULL, NULL, NULL};
            ui_checkbox(b, &f, false);
        }
        H(b, "</div></div>");
    }
    ui_hidden(b, "sch-count", arena_printf(r->a, "%zu", n + 1));
    H(b, "</fieldset>");
}

/* The rows of the locations, each with its first address and chis place. */
static void render_locations(struct req *r, buf *b, json_t *doc, const struct form_errors *fe)
{
    int nplaces = 0, nhoods = 0;
    struct ui_option *places = dm_entity_options(r, &entity_places, &nplaces);
    struct ui_option *hoods = dm_entity_options(r, &entity_neighbourhoods, &nhoods);
    json_t *list = json_object_get(doc, "service_at_locations");
    size_t n = json_array_size(list);
    H(b, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend"
         " nhsuk-fieldset__legend--m\">Where it happens</legend><div class=\"nhsuk-hint\">"
         "Leave latitude and longitude empty to take them from the postcode. Save to add"
         " another place.</div>");
    for (size_t i = 0; i <= n; i++) {
        json_t *sal = json_array_get(list, i);
        json_t *loc = json_object_get(sal, "location");
        json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
        H(b,
          "<div class=\"nhsuk-card nhsuk-u-margin-bottom-3\"><div class=\"nhsuk-card__content\">"
          "<h3 class=\"nhsuk-heading-s\">%s</h3>",
          sal ? arena_printf(r->a, "Location %zu", i + 1) : "Add a location");
        ui_hidden(b, arena_printf(r->a, "loc-%zu-sal", i), dm_text(r, sal, "id"));
        ui_hidden(b, arena_printf(r->a, "loc-%zu-id", i), dm_text(r, loc, "id"));
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-name", i), "name of the venue", NULL,
                 dm_text(r, loc, "name"), "text", NULL);
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-address_1", i), "address", NULL,
                 dm_text(r, addr, "address_1"), "text", NULL);
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-city", i), "town or city", NULL,
                 dm_text(r, addr, "city"), "text", "nhsuk-input--width-20");
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-postal_code", i), "postcode", NULL,
                 dm_text(r, addr, "postal_code"), "text", "nhsuk-input--width-10");
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-latitude", i), "latitude", NULL,
                 dm_text(r, loc, "latitude"), "text", "nhsuk-input--width-10");
        dm_input(b, fe, arena_printf(r->a, "loc-%zu-longitude", i), "longitude", NULL,
                 dm_text(r, loc, "longitude"), "text", "nhsuk-input--width-10");
        const char *name = arena_printf(r->a, "loc-%zu-place_id", i);
        struct ui_field f = {name, "place", NULL, form_error_for(fe, name), NULL};
        ui_select(b, &f, dm_with_selected(r->a, places, nplaces, dm_text(r, loc, "place_id")),
                  nplaces);
        name = arena_printf(r->a, "loc-%zu-neighbourhood_id", i);
        f = (struct ui_field){name, "neighbourhood", NULL, form_error_for(fe, name), NULL};
        ui_select(b, &f, dm_with_selected(r->a, hoods, nhoods, dm_text(r, loc, "neighbourhood_id")),
                  nhoods);
        if (sal) {
            f = (struct ui_field){arena_printf(r->a, "loc-%zu-remove", i), "remove this location",
                                  NULL, NULL, NULL};
            ui_checkbox(b, &f, false);
        }
        H(b, "</div></div>");
    }
    ui_hidden(b, "loc-count", arena_printf(r->a, "%zu", n + 1));
    H(b, "</fieldset>");
}

/* One group of term checkboxes, ticked as the document's attributes say. */
static void render_terms(struct req *r, buf *b, json_t *doc, const struct store_page *pg,
                         const char *name, const char *label, const char *hint,
                         const struct form_errors *fe)
{
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(pg->nrows ? pg->nrows : 1));
    for (int i = 0; i < pg->nrows; i++) {
        const char *id = rec_text(pg->rows[i], "id");
        bool on = false;
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(doc, "attributes"), k, a)
        {
            const char *tid = json_string_value(json_object_get(a, "taxonomy_term_id"));
            on = on || (tid && strcmp(tid, id) == 0);
        }
        opts[i] = (struct ui_option){id, rec_text(pg->rows[i], "name"), on};
    }
    struct ui_field f = {name, label, hint, form_error_for(fe, name), NULL};
    ui_checkboxes(b, &f, opts, pg->nrows);
}

/* The directory organizations the actor may add services for, as select options. */
static struct ui_option *organization_options(struct req *r, const char *current, int *n,
                                              long long *total)
{
    struct ctx saved = r->ctx;
    struct store_page pg = {0};
    struct dir_org_query q = {.per_page = LIST_MAX_PER_PAGE};
    if (dir_edit_organizations(&r->ctx, &q, &pg) != RES_OK) memset(&pg, 0, sizeof pg);
    r->ctx = saved;
    struct ui_option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(pg.nrows + 1));
    opts[0] = (struct ui_option){"", "Choose an organisation", !current};
    for (int i = 0; i < pg.nrows; i++) {
        const char *id = rec_text(pg.rows[i], "id");
        opts[i + 1] = (struct ui_option){id, rec_text(pg.rows[i], "name"),
                                         current && strcmp(current, id) == 0};
    }
    *n = pg.nrows + 1;
    *total = pg.total;
    return opts;
}

/*
 * The editor: a new service (id NULL) or a change to service id, showing
 * doc, with fe's errors. level says what saving will do.
 */
static void render_editor(struct req *r, const char *id, int status, json_t *doc,
                          const struct form_errors *fe, enum dir_level level)
{
    arena *a = r->a;
    buf b;
    buf_init(&b, a, 32768);
    const char *name = dm_text(r, doc, "name");
    dm_breadcrumbs(&b, id, id ? name : NULL);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    if (id)
        H(&b,
          "<h1><span class=\"nhsuk-caption-l\">%s<span class=\"nhsuk-u-visually-hidden\">"
          " &ndash; </span></span>Change the service</h1>",
          name);
    else
        H(&b, "<h1>Add a service</h1>");
    if (level == DIR_PROPOSE)
        H(&b, "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">"
              "Information: </span><p>What you save is sent to a place or system lead, and"
              " appears in the directory once they approve it.</p></div>");
    long long pending = json_integer_value(json_object_get(doc, "pending_version"));
    if (level == DIR_PUBLISH && pending)
        H(&b,
          "<div class=\"nhsuk-warning-callout\"><h3 class=\"nhsuk-warning-callout__label\">"
          "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>"
          "A change is waiting</span></h3><p>A provider's change (version %lld) is waiting for"
          " approval. Saving here replaces it. <a class=\"nhsuk-link\" href=\"" DM_BASE
          "/services/%U/versions/%lld\">Review it first</a>.</p></div>",
          pending, id, pending);
    if (id)
        H(&b, "<form method=\"post\" action=\"" DM_BASE "/services/%U/edit\" novalidate>", id);
    else
        H(&b, "<form method=\"post\" action=\"" DM_BASE "/new\" novalidate>");
    ui_hidden(&b, "csrf", r->ctx.actor->csrf);
    if (!id) {
        int n;
        long long total;
        const char *cur = dm_text(r, doc, "organization_id");
        struct ui_option *opts = organization_options(r, *cur ? cur : NULL, &n, &total);
        if (total > LIST_MAX_PER_PAGE) {
            dm_input(&b, fe, "organization_id", "directory organisation",
                     "The id of the directory organisation that runs it", cur, "text", NULL);
        } else if (n == 1) {
            H(&b, "<p>Your organisation is not in the directory yet. <a class=\"nhsuk-link\""
                  " href=\"" DM_BASE "/organizations/new\">Add it first</a>.</p>");
        } else {
            struct ui_field f = {"organization_id", "organisation", "The organisation that runs it",
                                 form_error_for(fe, "organization_id"), NULL};
            ui_select(&b, &f, opts, n);
        }
    }
    dm_input(&b, fe, "name", "name", NULL, name, "text", NULL);
    struct ui_field f = {"description", "description",
                         "What happens, who it is for and what to expect",
                         form_error_for(fe, "description"), dm_text(r, doc, "description")};
    ui_textarea(&b, &f, 6);
    const char *status_now = dm_text(r, doc, "status");
    struct ui_option sopts[5];
    int ns = 0;
    for (const char *const *s = statuses; *s; s++, ns++)
        sopts[ns] = (struct ui_option){*s, ui_capital(a, *s),
                                       strcmp(*s, *status_now ? status_now : "active") == 0};
    f = (struct ui_field){"status", "status", NULL, form_error_for(fe, "status"), NULL};
    ui_select(&b, &f, sopts, ns);
    dm_input(&b, fe, "url", "website", NULL, dm_text(r, doc, "url"), "url", NULL);
    dm_input(&b, fe, "email", "email address", NULL, dm_text(r, doc, "email"), "email", NULL);
    dm_input(&b, fe, "minimum_age", "youngest age", "In years; leave empty for any age",
             dm_text(r, doc, "minimum_age"), "text", "nhsuk-input--width-3");
    dm_input(&b, fe, "maximum_age", "oldest age", "In years; leave empty for any age",
             dm_text(r, doc, "maximum_age"), "text", "nhsuk-input--width-3");
    f = (struct ui_field){"fees_description", "fees", "What it costs, in words",
                          form_error_for(fe, "fees_description"),
                          dm_text(r, doc, "fees_description")};
    ui_textarea(&b, &f, 2);
    render_costs(r, &b, doc, fe);
    render_locations(r, &b, doc, fe);
    render_schedules(r, &b, doc, fe);
    struct terms t;
    load_terms(r, &t);
    render_terms(r, &b, doc, &t.act, "term_activity", "activity types",
                 "What people do: choose all that apply", fe);
    render_terms(r, &b, doc, &t.need, "term_need", "needs addressed",
                 "Who it is for, or the need it helps with", fe);
    H(&b,
      "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
      " data-module=\"nhsuk-button\" type=\"submit\">%s</button>",
      level == DIR_PROPOSE ? "Send for approval" : "Save and publish");
    if (id)
        H(&b, "<a class=\"nhsuk-link\" href=\"" DM_BASE "/services/%U\">Cancel</a>", id);
    else
        H(&b, "<a class=\"nhsuk-link\" href=\"" DM_BASE "\">Cancel</a>");
    H(&b, "</div></form></div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, id ? arena_printf(a, "Change %s", name) : "Add a service", DM_SECTION,
                &main);
}

/* The level a new service gets: publishers publish, providers propose. */
static enum dir_level new_level(struct req *r)
{
    const struct actor *me = r->ctx.actor;
    if (me->role == ROLE_ADMIN || me->role == ROLE_SYSTEM_LEAD || me->role == ROLE_PLACE_LEAD)
        return DIR_PUBLISH;
    return me->role == ROLE_PROVIDER ? DIR_PROPOSE : DIR_READ;
}

/* The domain's field errors, renamed to the form's fields. */
static struct form_errors editor_errors(struct req *r)
{
    struct form_errors fe = form_errors_take(r);
    struct field_error *errs = arena_alloc(r->a, sizeof *errs * (size_t)(fe.n ? fe.n : 1));
    for (int i = 0; i < fe.n; i++) {
        errs[i] = fe.errors[i];
        errs[i].field = form_field_of(r->a, fe.errors[i].field);
    }
    fe.errors = errs;
    if (fe.n > 0) fe.detail = NULL;
    ctx_clear_errors(&r->ctx);
    return fe;
}

/* GET /directory/manage/new */
void dm_page_new(struct req *r)
{
    json_t *doc = json_object();
    const char *org = req_query(r, "organization_id");
    if (org && *org) json_object_set_new(doc, "organization_id", json_string(org));
    render_editor(r, NULL, 200, doc, NULL, new_level(r));
    json_decref(doc);
}

/* POST /directory/manage/new: 303 to the new service, or the form again (422). */
void dm_page_create(struct req *r)
{
    struct terms t;
    load_terms(r, &t);
    json_t *base = json_object();
    json_t *doc = build_doc(r, base, &t);
    json_decref(base);
    json_t *out = NULL;
    result res = dir_edit_create(&r->ctx, doc, &out);
    if (res == RES_OK) {
        const char *state = json_string_value(json_object_get(out, "state"));
        resp_redirect(r,
                      arena_printf(r->a, DM_BASE "/services/%s?saved=%s",
                                   url_encode(r->a, json_string_value(json_object_get(out, "id"))),
                                   state));
    } else if (res == RES_INVALID) {
        struct form_errors fe = editor_errors(r);
        render_editor(r, NULL, 422, doc, &fe, new_level(r));
    } else {
        page_for_result(r, res);
    }
    json_decref(out);
    json_decref(doc);
}

/* GET /directory/manage/services/{id}/edit: the form over the document one edits from. */
void dm_page_edit(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *doc = NULL;
    result res = dir_edit_current(&r->ctx, id, &doc);
    enum dir_level level = dir_edit_service_level(&r->ctx, id);
    if (res == RES_OK && level == DIR_READ)
        res = ctx_fail(&r->ctx, RES_FORBIDDEN, "You cannot change this service.");
    json_t *live = NULL;
    if (res == RES_OK && dir_edit_get(&r->ctx, id, &live) == RES_OK) {
        if (json_object_get(live, "deleted_at"))
            res = ctx_fail(&r->ctx, RES_CONFLICT, "The service is deleted: undelete it first.");
        json_t *p = json_object_get(live, "pending_version");
        if (p) json_object_set(doc, "pending_version", p);
    }
    json_decref(live);
    if (res != RES_OK) {
        json_decref(doc);
        page_for_result(r, res);
        return;
    }
    render_editor(r, id, 200, doc, NULL, level);
    json_decref(doc);
}

/* POST /directory/manage/services/{id}/edit: 303 to the service, or the form again (422). */
void dm_page_update(struct req *r)
{
    const char *id = dm_path_id(r);
    json_t *base = NULL;
    result res = dir_edit_current(&r->ctx, id, &base);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    struct terms t;
    load_terms(r, &t);
    json_t *doc = build_doc(r, base, &t);
    json_decref(base);
    json_t *out = NULL;
    res = dir_edit_update(&r->ctx, id, doc, &out);
    if (res == RES_OK) {
        resp_redirect(r, arena_printf(r->a, DM_BASE "/services/%s?saved=%s", url_encode(r->a, id),
                                      json_string_value(json_object_get(out, "state"))));
    } else if (res == RES_INVALID) {
        struct form_errors fe = editor_errors(r);
        render_editor(r, id, 422, doc, &fe, dir_edit_service_level(&r->ctx, id));
    } else {
        page_for_result(r, res);
    }
    json_decref(out);
    json_decref(doc);
}
