/*
 * pages_home.c: the home dashboard, signing in and signing out.
 *
 * The sign-in form is protected against cross-site request forgery before
 * there is a session: GET /sign-in sets a random pre-session cookie and puts
 * the same value in the form; the transport refuses a POST whose form value
 * differs from the cookie.
 */
#include "domain/accounts.h"
#include "domain/structure.h"
#include "web/layout.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#define PRE_SESSION_SECONDS 3600

/* One card on the dashboard: a title (linking to its list unless href is NULL), a number. */
static void count_card(buf *b, const char *href, const char *title, const char *number,
                       const char *description)
{
    H(b,
      "<li class=\"nhsuk-grid-column-one-third nhsuk-card-group__item\">"
      "<div class=\"nhsuk-card%s\"><div class=\"nhsuk-card__content\">"
      "<h2 class=\"nhsuk-card__heading nhsuk-heading-m\">",
      href ? " nhsuk-card--clickable" : "");
    if (href)
        H(b, "<a class=\"nhsuk-card__link\" href=\"%s\">%s</a>", href, title);
    else
        H(b, "%s", title);
    H(b, "</h2><p class=\"nhsuk-heading-l nhsuk-u-margin-bottom-2\">%s</p>", number);
    if (description) H(b, "<p class=\"nhsuk-card__description\">%s</p>", description);
    H(b, "</div></div></li>");
}

/* GET /: the system's name and how much of it chis knows about. */
void page_home(struct req *r)
{
    struct system_info sys = {0};
    if (system_get(&r->ctx, &sys) != RES_OK) sys.name = "chis";
    ctx_clear_errors(&r->ctx);
    r->ctx.detail = NULL;
    struct dashboard_counts n;
    result res = structure_counts(&r->ctx, &n);
    if (res != RES_OK) {
        page_for_result(r, res);
        return;
    }
    arena *a = r->a;
    buf b;
    buf_init(&b, a, 4096);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">Creative Health in Systems"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
      sys.name);
    H(&b, "<p class=\"nhsuk-body-l\">The places, neighbourhoods, organisations and people"
          " of the integrated care system.</p>");
    H(&b, "<ul class=\"nhsuk-grid-row nhsuk-card-group\">");
    count_card(&b, "/places", "Places", ui_number(a, n.places), "Usually local authority areas");
    count_card(&b, "/neighbourhoods", "Neighbourhoods", ui_number(a, n.neighbourhoods),
               arena_printf(a, "Population %s in all", ui_number(a, n.population)));
    buf sectors;
    buf_init(&sectors, a, 128);
    for (int i = 0; organisation_sectors[i] && i < 4; i++) {
        char *t = arena_strdup(a, ui_choice_text(a, organisation_sectors[i]));
        if (t[0] && islower((unsigned char)t[1])) t[0] = (char)tolower((unsigned char)t[0]);
        buf_printf(&sectors, "%s%s %s", i ? ", " : "", ui_number(a, n.by_sector[i]), t);
    }
    count_card(&b, "/organisations", "Organisations", ui_number(a, n.organisations), sectors.data);
    count_card(&b, "/people", "People", ui_number(a, n.people), "Working in the organisations");
    const struct actor *who = r->ctx.actor;
    if (who && (who->role == ROLE_ADMIN || who->role == ROLE_SYSTEM_LEAD))
        count_card(&b, "/users", "Users", ui_number(a, n.users), "Accounts that can sign in");
    count_card(&b, NULL, "Population", ui_number(a, n.population),
               "People living in the neighbourhoods");
    H(&b, "</ul>");
    if (who)
        H(&b, "<p class=\"nhsuk-body-s\">You are signed in as %s (%s).</p>", who->email,
          ui_choice_text(a, role_name(who->role)));
    struct html_frag main = html_frag_of(&b);
    layout_page(r, 200, sys.name, "/", &main);
}

/*
 * next if it is a path on this site ("/places?q=x"), else "/". Refuses
 * "//host", "/\host", schemes and control characters, so a link to
 * /sign-in?next=... cannot send someone elsewhere after they sign in.
 */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
    for (const unsigned char *p = (const unsigned char *)next; *p; p++)
        if (*p < 0x21 || *p >= 0x7f || *p == '\\') return "/";
    return next;
}

/* A fresh pre-session token: 256 random bits, base64url without padding, in arena a. */
static char *pre_session_token(arena *a)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, n);
    sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/*
 * The sign-in page with status. token goes in the csrf field; email is
 * shown again after a failure (never the password); fe holds the failure.
 */
static void sign_in_form(struct req *r, int status, const char *token, const char *next,
                         const char *email, const struct form_errors *fe)
{
    buf b;
    buf_init(&b, r->a, 4096);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    H(&b, "<h1>Sign in to chis</h1>"
          "<form method=\"post\" action=\"/sign-in\" novalidate>");
    ui_hidden(&b, "csrf", token);
    if (next && strcmp(next, "/") != 0) ui_hidden(&b, "next", next);
    struct ui_field f = {"email", "email address", NULL, form_error_for(fe, "email"), email};
    ui_input(&b, &f, "email", "username", NULL, NULL, true);
    f = (struct ui_field){"password", "password", NULL, form_error_for(fe, "password"), NULL};
    ui_input(&b, &f, "password", "current-password", NULL, NULL, false);
    H(&b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
          "Sign in</button></form>"
          "<p>If you do not have an account, or have forgotten your password, ask an"
          " administrator of your integrated care system.</p></div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Sign in", NULL, &main);
}

/* GET /sign-in: the form, with a new pre-session token in a cookie and a field. */
void page_sign_in(struct req *r)
{
    const char *next = safe_next(req_query(r, "next"));
    if (r->ctx.actor) {
        resp_redirect(r, next);
        return;
    }
    char *token = pre_session_token(r->a);
    resp_set_cookie(r, "chis_pre", token, PRE_SESSION_SECONDS);
    sign_in_form(r, 200, token, next, NULL, NULL);
}

/*
 * POST /sign-in (the transport has checked the pre-session token): open a
 * session and go to next, or show the form again with 401 or 429.
 */
void page_sign_in_post(struct req *r)
{
    const char *email = req_form(r, "email");
    const char *password = req_form(r, "password");
    const char *next = safe_next(req_form(r, "next"));
    struct session_grant grant;
    result res = accounts_sign_in(&r->ctx, email, password, &grant);
    if (res == RES_OK) {
        resp_set_cookie(r, "chis_session", grant.token, 3600L * SESSION_HOURS);
        resp_set_cookie(r, "chis_pre", "", 0);
        resp_redirect(r, next);
        return;
    }
    if (res != RES_UNAUTHENTICATED && res != RES_TOO_MANY) {
        page_for_result(r, res);
        return;
    }
    struct field_error *err = arena_alloc(r->a, sizeof *err);
    err->field = "email";
    err->message = r->ctx.detail ? arena_strdup(r->a, r->ctx.detail)
                                 : "The email address or password is not right";
    struct form_errors fe = {NULL, err, 1, false};
    sign_in_form(r, res == RES_TOO_MANY ? 429 : 401, req_cookie(r, "chis_pre"), next, email, &fe);
}

/* POST /sign-out: end the session, forget the cookie, back to the sign-in page. */
void page_sign_out(struct req *r)
{
    if (r->session_token) accounts_sign_out(&r->ctx, r->session_token);
    resp_set_cookie(r, "chis_session", "", 0);
    resp_redirect(r, "/sign-in");
}
