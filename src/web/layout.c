/*
 * layout.c: the page shell and shared NHS.UK frontend components. The markup
 * follows the NHS.UK frontend v10 templates (node_modules/nhsuk-frontend/
 * dist/nhsuk/components/<name>/template.njk), so the stylesheet and
 * the JavaScript in /assets/nhsuk.min.js recognise it.
 */
#include "web/layout.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The NHS logo, as in the header template (no '%' in it: it is an H() format). */
#define NHS_LOGO                                                                                   \
    "<svg class=\"nhsuk-header__logo\" xmlns=\"http://www.w3.org/2000/svg\""                       \
    " viewBox=\"0 0 200 80\" height=\"40\" width=\"100\" focusable=\"false\" role=\"img\""         \
    " aria-label=\"NHS\"><title>NHS</title><path fill=\"currentcolor\" d=\"M200 0v80H0V0h200Zm-"   \
    "27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8."  \
    "5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25."  \
    "5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h"  \
    "-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-"  \
    "5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z\"/></svg>"

#define USER_ICON                                                                                  \
    "<svg class=\"nhsuk-icon nhsuk-icon--user\" xmlns=\"http://www.w3.org/2000/svg\""              \
    " viewBox=\"0 0 24 24\" width=\"16\" height=\"16\" focusable=\"false\" aria-hidden=\"true\">"  \
    "<path d=\"M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 16.5V18a4 4 0 0 1 4-4h2a"  \
    "4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z\"/></svg>"

/* Who sees a navigation item. */
enum { SEE_ALL = 0, SEE_LEADS = 1, SEE_ADMIN = 2, SEE_REFERRERS = 3 };

struct nav_item {
    const char *href;
    const char *text;
    int who; /* SEE_* */
};

static const struct nav_item nav_items[] = {
    {"/", "Home", SEE_ALL},
    {"/places", "Places", SEE_ALL},
    {"/neighbourhoods", "Neighbourhoods", SEE_ALL},
    {"/organisations", "Organisations", SEE_ALL},
    {"/people", "People", SEE_ALL},
    {"/leadership", "Leadership", SEE_ALL},
    {"/strategy", "Strategy", SEE_ALL},
    {"/governance", "Governance", SEE_ALL},
    {"/concerns", "Concerns", SEE_ALL},
    {"/directory", "Directory", SEE_ALL},
    {"/referrals", "Referrals", SEE_REFERRERS},
    {"/reports/outcomes", "Reports", SEE_ALL},
    {"/users", "Users", SEE_LEADS},
    {"/audit", "Audit log", SEE_ADMIN},
};

/* Does the actor see a navigation item for who (SEE_*)? Only a hint: the domain decides. */
static bool may_see(const struct actor *a, int who)
{
    if (who == SEE_ALL) return true;
    if (who == SEE_LEADS) return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM_LEAD;
    /* Referrals carry personal data: leads and viewers see the reports only. */
    if (who == SEE_REFERRERS)
        return a->role == ROLE_LINK_WORKER || a->role == ROLE_PROVIDER || a->role == ROLE_ADMIN;
    return a->role == ROLE_ADMIN;
}

/*
 * The NHS.UK header: logo and service name, the account (who is signed in
 * and a sign-out button posting the session's CSRF token), and the
 * navigation. Only the logo and name when nobody is signed in.
 */
static void header(buf *b, struct req *r, const char *section)
{
    const struct actor *a = r->ctx.actor;
    H(b, "<header class=\"nhsuk-header\" data-module=\"nhsuk-header\" role=\"banner\">"
         "<div class=\"nhsuk-header__container nhsuk-width-container\">"
         "<div class=\"nhsuk-header__service\">"
         "<a class=\"nhsuk-header__service-logo\" href=\"/\" aria-label=\"chis homepage\">" NHS_LOGO
         "<span class=\"nhsuk-header__service-name\">chis"
         "<span class=\"nhsuk-u-visually-hidden\"> (Creative Health in Systems)</span>"
         "</span></a></div>");
    if (a) {
        H(b,
          "<nav class=\"nhsuk-header__account\" aria-label=\"Account\">"
          "<ul class=\"nhsuk-header__account-list\">"
          "<li class=\"nhsuk-header__account-item\">" USER_ICON " %s</li>"
          "<li class=\"nhsuk-header__account-item\"><a class=\"nhsuk-header__account-link\""
          " href=\"/notifications\">Notifications</a></li>",
          a->name && *a->name ? a->name : a->email);
        if (a->csrf)
            H(b,
              "<li class=\"nhsuk-header__account-item\">"
              "<form class=\"nhsuk-header__account-form\" action=\"/sign-out\" method=\"post\""
              " novalidate><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
              "<button class=\"nhsuk-header__account-button\">Sign out</button></form></li>",
              a->csrf);
        H(b, "</ul></nav>");
    }
    H(b, "</div>");
    if (a) {
        H(b, "<nav class=\"nhsuk-header__navigation\" aria-label=\"Menu\">"
             "<div class=\"nhsuk-header__navigation-container nhsuk-width-container\">"
             "<ul class=\"nhsuk-header__navigation-list\">");
        for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
            const struct nav_item *n = &nav_items[i];
            if (!may_see(a, n->who)) continue;
            bool here = section && strcmp(section, n->href) == 0;
            bool exact = here && strcmp(r->path, n->href) == 0;
            if (here)
                H(b,
                  "<li class=\"nhsuk-header__navigation-item"
                  " nhsuk-header__navigation-item--current\">"
                  "<a class=\"nhsuk-header__navigation-link\" href=\"%s\" aria-current=\"%s\">"
                  "<strong class=\"nhsuk-header__navigation-item-current-fallback\">%s"
                  "</strong></a></li>",
                  n->href, exact ? "page" : "true", n->text);
            else
                H(b,
                  "<li class=\"nhsuk-header__navigation-item\">"
                  "<a class=\"nhsuk-header__navigation-link\" href=\"%s\">%s</a></li>",
                  n->href, n->text);
        }
        H(b, "<li class=\"nhsuk-header__menu\" hidden>"
             "<button class=\"nhsuk-header__menu-toggle nhsuk-header__navigation-link\""
             " id=\"toggle-menu\" aria-expanded=\"false\">"
             "<span class=\"nhsuk-u-visually-hidden\">Browse </span>More</button></li>"
             "</ul></div></nav>");
    }
    H(b, "</header>");
}

/* See layout.h. The page is written into r->out. */
void layout_page(struct req *r, int status, const char *title, const char *section,
                 const struct html_frag *main)
{
    buf *b = &r->out;
    buf_truncate(b, 0);
    r->static_body = NULL;
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    H(b,
      "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<title>%s \xE2\x80\x93 chis</title>"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1,"
      " viewport-fit=cover\"><meta name=\"theme-color\" content=\"#005eb8\">"
      "<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"48x48\">"
      "<link rel=\"icon\" href=\"/assets/favicon.svg\" sizes=\"any\" type=\"image/svg+xml\">"
      "<link rel=\"stylesheet\" href=\"/assets/nhsuk.min.css\">"
      "<link rel=\"stylesheet\" href=\"/assets/chis.css\">"
      "<script type=\"module\" src=\"/assets/chis.js\"></script>"
      "</head><body>"
      "<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" href=\"#maincontent\">"
      "Skip to main content</a>",
      title);
    header(b, r, section);
    H(b,
      "<div class=\"nhsuk-width-container\">"
      "<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">%H</main></div>"
      "<footer class=\"nhsuk-footer\" role=\"contentinfo\"><div class=\"nhsuk-width-container\">"
      "<div class=\"nhsuk-footer__meta\"><h2 class=\"nhsuk-u-visually-hidden\">Support links"
      "</h2><ul class=\"nhsuk-footer__list\"><li class=\"nhsuk-footer__list-item\">"
      "<a class=\"nhsuk-footer__list-item-link\" href=\"/api/v1/openapi.json\">"
      "API description (OpenAPI)</a></li></ul>"
      "<p class=\"nhsuk-body-s\">chis: Creative Health in Systems</p></div></div></footer>"
      "</body></html>\n",
      main);
}

/* Copy the ctx's failure into the arena; see layout.h. */
struct form_errors form_errors_take(struct req *r)
{
    struct form_errors fe = {r->ctx.detail ? arena_strdup(r->a, r->ctx.detail) : NULL, NULL,
                             r->ctx.nerrors, false};
    if (fe.n > 0) {
        struct field_error *copy = arena_alloc(r->a, sizeof *copy * (size_t)fe.n);
        memcpy(copy, r->ctx.errors, sizeof *copy * (size_t)fe.n);
        fe.errors = copy;
    }
    return fe;
}

/* See layout.h. */
struct form_errors form_errors_refused(struct req *r)
{
    struct form_errors fe = form_errors_take(r);
    if (fe.n > 0) fe.detail = NULL;
    ctx_clear_errors(&r->ctx);
    return fe;
}

/* See layout.h. */
bool form_post_done(struct req *r, result res, const char *to)
{
    if (res == RES_OK)
        resp_redirect(r, to);
    else if (res != RES_INVALID)
        page_for_result(r, res);
    return res != RES_INVALID;
}

/* The first message recorded for field, or NULL. */
const char *form_error_for(const struct form_errors *fe, const char *field)
{
    for (int i = 0; fe && i < fe->n; i++)
        if (fe->errors[i].field && strcmp(fe->errors[i].field, field) == 0)
            return fe->errors[i].message;
    return NULL;
}

/*
 * The error summary. tabindex="-1" lets it take focus: the NHS.UK script
 * focuses it on load so screen readers announce it first.
 */
void ui_error_summary(buf *b, const struct form_errors *fe)
{
    if (!fe || (fe->n == 0 && !fe->detail)) return;
    H(b, "<div class=\"nhsuk-error-summary\" data-module=\"nhsuk-error-summary\" tabindex=\"-1\">"
         "<div role=\"alert\"><h2 class=\"nhsuk-error-summary__heading\">There is a problem</h2>"
         "<div class=\"nhsuk-error-summary__body\">");
    if (fe->n == 0) {
        H(b, "<p>%s</p>", fe->detail);
    } else {
        H(b, "<ul class=\"nhsuk-list nhsuk-error-summary__list\">");
        for (int i = 0; i < fe->n; i++) {
            if (fe->no_links || !fe->errors[i].field)
                H(b, "<li>%s</li>", fe->errors[i].message);
            else
                H(b, "<li><a href=\"#field-%s\">%s</a></li>", fe->errors[i].field,
                  fe->errors[i].message);
        }
        H(b, "</ul>");
    }
    H(b, "</div></div></div>");
}

/* The label, hint and error message common to every single-control field. */
static void field_top(buf *b, const struct ui_field *f, arena *a)
{
    H(b, "<div class=\"nhsuk-form-group%s\">", f->error ? " nhsuk-form-group--error" : "");
    H(b, "<label class=\"nhsuk-label\" for=\"field-%s\">%s</label>", f->name,
      ui_capital(a, f->label));
    if (f->hint) H(b, "<div class=\"nhsuk-hint\" id=\"field-%s-hint\">%s</div>", f->name, f->hint);
    if (f->error)
        H(b,
          "<span class=\"nhsuk-error-message\" id=\"field-%s-error\">"
          "<span class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>",
          f->name, f->error);
}

/* aria-describedby naming the hint and error message, when there are any. */
static void described_by(buf *b, const struct ui_field *f)
{
    if (!f->hint && !f->error) return;
    H(b, " aria-describedby=\"");
    if (f->hint) H(b, "field-%s-hint", f->name);
    if (f->hint && f->error) H(b, " ");
    if (f->error) H(b, "field-%s-error", f->name);
    H(b, "\"");
}

/* See layout.h. */
void ui_input(buf *b, const struct ui_field *f, const char *type, const char *autocomplete,
              const char *inputmode, const char *width_class, bool spellcheck_off)
{
    field_top(b, f, b->a);
    H(b, "<input class=\"nhsuk-input%s%s%s\" id=\"field-%s\" name=\"%s\" type=\"%s\"",
      f->error ? " nhsuk-input--error" : "", width_class ? " " : "", width_class, f->name, f->name,
      type);
    if (f->value && *f->value) H(b, " value=\"%s\"", f->value);
    if (autocomplete) H(b, " autocomplete=\"%s\"", autocomplete);
    if (inputmode) H(b, " inputmode=\"%s\"", inputmode);
    if (spellcheck_off) H(b, " spellcheck=\"false\"");
    described_by(b, f);
    H(b, "></div>");
}

/* See layout.h. */
void ui_textarea(buf *b, const struct ui_field *f, int rows)
{
    field_top(b, f, b->a);
    H(b, "<textarea class=\"nhsuk-textarea%s\" id=\"field-%s\" name=\"%s\" rows=\"%d\"",
      f->error ? " nhsuk-textarea--error" : "", f->name, f->name, rows);
    described_by(b, f);
    H(b, ">\n%s</textarea></div>", f->value);
}

/* See layout.h. */
void ui_select(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts)
{
    field_top(b, f, b->a);
    H(b, "<select class=\"nhsuk-select%s\" id=\"field-%s\" name=\"%s\"",
      f->error ? " nhsuk-select--error" : "", f->name, f->name);
    described_by(b, f);
    H(b, ">");
    for (int i = 0; i < nopts; i++)
        H(b, "<option value=\"%s\"%s>%s</option>", opts[i].value,
          opts[i].selected ? " selected" : "", opts[i].text);
    H(b, "</select></div>");
}

/* See layout.h. */
void ui_fieldset_top(buf *b, const struct ui_field *f, const char *attrs)
{
    H(b, "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\"%s",
      f->error ? " nhsuk-form-group--error" : "", attrs);
    described_by(b, f);
    H(b, "><legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">%s</legend>",
      ui_capital(b->a, f->label));
    if (f->hint) H(b, "<div class=\"nhsuk-hint\" id=\"field-%s-hint\">%s</div>", f->name, f->hint);
    if (f->error)
        H(b,
          "<span class=\"nhsuk-error-message\" id=\"field-%s-error\">"
          "<span class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>",
          f->name, f->error);
}

/*
 * The items of a radio or checkbox group: kind is "radios" or "checkboxes"
 * (the NHS.UK class), type "radio" or "checkbox". The first input has id
 * field-<name> so that error links land on it; the rest field-<name>-<n>.
 */
static void choice_items(buf *b, const struct ui_field *f, const char *kind, const char *type,
                         const struct ui_option *opts, int nopts)
{
    for (int i = 0; i < nopts; i++) {
        buf id;
        buf_init(&id, b->a, 64);
        if (i == 0)
            H(&id, "field-%s", f->name);
        else
            H(&id, "field-%s-%d", f->name, i + 1);
        struct html_frag idf = html_frag_of(&id);
        H(b,
          "<div class=\"nhsuk-%s__item\"><input class=\"nhsuk-%s__input\" id=\"%H\""
          " name=\"%s\" type=\"%s\" value=\"%s\"%s><label class=\"nhsuk-label"
          " nhsuk-%s__label\" for=\"%H\">%s</label></div>",
          kind, kind, &idf, f->name, type, opts[i].value, opts[i].selected ? " checked" : "", kind,
          &idf, opts[i].text);
    }
}

/* See layout.h. */
void ui_checkboxes(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts)
{
    ui_fieldset_top(b, f, "");
    H(b, "<div class=\"nhsuk-checkboxes\" data-module=\"nhsuk-checkboxes\">");
    if (nopts == 0) H(b, "<p class=\"nhsuk-body\">There are none to choose from yet.</p>");
    choice_items(b, f, "checkboxes", "checkbox", opts, nopts);
    H(b, "</div></fieldset></div>");
}

/* See layout.h. */
void ui_radios(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts,
               bool inline_items)
{
    ui_fieldset_top(b, f, "");
    H(b, "<div class=\"nhsuk-radios%s\" data-module=\"nhsuk-radios\">",
      inline_items ? " nhsuk-radios--inline" : "");
    choice_items(b, f, "radios", "radio", opts, nopts);
    H(b, "</div></fieldset></div>");
}

/* See layout.h. */
void ui_checkbox(buf *b, const struct ui_field *f, bool checked)
{
    H(b, "<div class=\"nhsuk-form-group%s\">", f->error ? " nhsuk-form-group--error" : "");
    if (f->error)
        H(b,
          "<span class=\"nhsuk-error-message\" id=\"field-%s-error\">"
          "<span class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>",
          f->name, f->error);
    H(b,
      "<div class=\"nhsuk-checkboxes\" data-module=\"nhsuk-checkboxes\">"
      "<div class=\"nhsuk-checkboxes__item\"><input class=\"nhsuk-checkboxes__input\""
      " id=\"field-%s\" name=\"%s\" type=\"checkbox\" value=\"true\"%s",
      f->name, f->name, checked ? " checked" : "");
    described_by(b, f);
    H(b, "><label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"field-%s\">%s</label>",
      f->name, ui_capital(b->a, f->label));
    if (f->hint)
        H(b, "<div class=\"nhsuk-hint nhsuk-checkboxes__hint\" id=\"field-%s-hint\">%s</div>",
          f->name, f->hint);
    H(b, "</div></div></div>");
}

/* See layout.h. */
void ui_hidden(buf *b, const char *name, const char *value)
{
    H(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value ? value : "");
}

#define ARROW_LEFT                                                                                 \
    "<svg class=\"nhsuk-icon nhsuk-icon--arrow-left\" xmlns=\"http://www.w3.org/2000/svg\""        \
    " viewBox=\"0 0 24 24\" width=\"16\" height=\"16\" focusable=\"false\" aria-hidden=\"true\">"  \
    "<path d=\"M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0"  \
    " 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z\"/></svg>"
#define ARROW_RIGHT                                                                                \
    "<svg class=\"nhsuk-icon nhsuk-icon--arrow-right\" xmlns=\"http://www.w3.org/2000/svg\""       \
    " viewBox=\"0 0 24 24\" width=\"16\" height=\"16\" focusable=\"false\" aria-hidden=\"true\">"  \
    "<path d=\"m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0" \
    " 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z\"/></svg>"

/*
 * Numbered pagination: previous, the first and last pages, the pages next
 * to the current one with an ellipsis for each gap, and next.
 */
void ui_pagination(buf *b, const struct html_frag *base, long long page, long long pages)
{
    if (pages <= 1) return;
    H(b, "<nav class=\"nhsuk-pagination nhsuk-pagination--numbered\" role=\"navigation\""
         " aria-label=\"Pagination\">");
    if (page > 1)
        H(b,
          "<a href=\"%Hpage=%lld\" class=\"nhsuk-pagination__previous\" rel=\"prev\">" ARROW_LEFT
          "<span class=\"nhsuk-pagination__title\">Previous"
          "<span class=\"nhsuk-u-visually-hidden\"> page</span></span></a>",
          base, page - 1);
    H(b, "<ul class=\"nhsuk-pagination__list\">");
    long long last_shown = 0;
    for (long long p = 1; p <= pages; p++) {
        if (p != 1 && p != pages && (p < page - 1 || p > page + 1)) continue;
        if (last_shown && p > last_shown + 1)
            H(b, "<li class=\"nhsuk-pagination__item nhsuk-pagination__item--ellipsis\">"
                 "&ctdot;</li>");
        if (p == page)
            H(b,
              "<li class=\"nhsuk-pagination__item nhsuk-pagination__item--current\">"
              "<a class=\"nhsuk-pagination__link\" href=\"%Hpage=%lld\" aria-label=\"Page %lld\""
              " aria-current=\"page\">%lld</a></li>",
              base, p, p, p);
        else
            H(b,
              "<li class=\"nhsuk-pagination__item\"><a class=\"nhsuk-pagination__link\""
              " href=\"%Hpage=%lld\" aria-label=\"Page %lld\">%lld</a></li>",
              base, p, p, p);
        last_shown = p;
    }
    H(b, "</ul>");
    if (page < pages)
        H(b,
          "<a href=\"%Hpage=%lld\" class=\"nhsuk-pagination__next\" rel=\"next\">"
          "<span class=\"nhsuk-pagination__title\">Next"
          "<span class=\"nhsuk-u-visually-hidden\"> page</span></span>" ARROW_RIGHT "</a>",
          base, page + 1);
    H(b, "</nav>");
}

/*
 * An enum value as people read it: underscores become spaces, the first
 * letter is a capital, and the acronyms among the values are in capitals.
 */
const char *ui_choice_text(arena *a, const char *value)
{
    static const char *const acronyms[] = {"nhs", "vcse", "ics", "pcn", NULL};
    if (!value) return "";
    char *s = arena_strdup(a, value);
    bool upper = false;
    for (int i = 0; acronyms[i]; i++)
        upper = upper || strcmp(s, acronyms[i]) == 0;
    for (char *p = s; *p; p++) {
        if (*p == '_')
            *p = ' ';
        else if (upper || p == s)
            *p = (char)toupper((unsigned char)*p);
    }
    return s;
}

/* A copy of s with a capital first letter; the copy belongs to a. */
const char *ui_capital(arena *a, const char *s)
{
    if (!s || !*s) return s ? s : "";
    char *c = arena_strdup(a, s);
    c[0] = (char)toupper((unsigned char)c[0]);
    return c;
}

/* "an" before a vowel sound we can spot (not "user"), else "a". */
const char *ui_article(const char *noun)
{
    return noun && strchr("aeioAEIO", noun[0]) && noun[0] ? "an" : "a";
}

/* See layout.h; the result belongs to a (or is iso itself). */
const char *ui_time(arena *a, const char *iso)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, mo, d, h, mi;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12)
        return iso ? iso : "";
    return arena_printf(a, "%d %s %d, %02d:%02d UTC", d, months[mo - 1], y, h, mi);
}

/* n with a comma between each group of three digits; the string belongs to a. */
const char *ui_number(arena *a, long long n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t len = strlen(digits);
    char *out = arena_alloc(a, len + len / 3 + 2);
    size_t k = 0;
    if (n < 0) out[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return out;
}

/* See layout.h. */
bool page_read_result(struct req *r, result res, struct form_errors *fe, int *status)
{
    if (res == RES_INVALID) {
        *fe = form_errors_take(r);
        *status = 400;
        return true;
    }
    if (res != RES_OK) {
        page_for_result(r, res);
        return false;
    }
    return true;
}
