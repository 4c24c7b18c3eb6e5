/*
 * web.c: the route table of the HTML pages, and the error pages.
 *
 * Each kind of record in the registry gets the same seven routes, served by
 * one set of handlers in pages_entity.c that read the entity from the
 * route's data. The table is static, so the kinds are named here: keep
 * them in step with src/domain/registry.c.
 */
#include "web/web.h"

#include "domain/accounts.h"
#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"
#include "domain/structure.h"
#include "web/layout.h"

#include <string.h>

/* The seven routes of one kind of record, e.g. ENTITY_ROUTES("places", entity_places). */
/* clang-format off */
#define ENTITY_ROUTES(plural, ent)                                        \
    {"GET",  "/" plural,                 page_list,   0, &ent},           \
    {"GET",  "/" plural "/new",          page_new,    0, &ent},           \
    {"POST", "/" plural "/new",          page_create, 0, &ent},           \
    {"GET",  "/" plural "/{id}",         page_show,   0, &ent},           \
    {"GET",  "/" plural "/{id}/edit",    page_edit,   0, &ent},           \
    {"POST", "/" plural "/{id}/edit",    page_update, 0, &ent},           \
    {"POST", "/" plural "/{id}/delete",  page_delete, 0, &ent}
/* clang-format on */

/* "/x/new" comes before "/x/{id}": the router takes the first route that matches. */
const struct route web_routes[] = {
    {"GET", "/", page_home, 0, NULL},
    {"GET", "/sign-in", page_sign_in, ROUTE_PUBLIC | ROUTE_PRE_SESSION, NULL},
    {"POST", "/sign-in", page_sign_in_post, ROUTE_PUBLIC | ROUTE_PRE_SESSION, NULL},
    {"POST", "/sign-out", page_sign_out, 0, NULL},
    {"GET", "/audit", page_audit, 0, NULL},
    ENTITY_ROUTES("places", entity_places),
    ENTITY_ROUTES("neighbourhoods", entity_neighbourhoods),
    ENTITY_ROUTES("organisations", entity_organisations),
    ENTITY_ROUTES("people", entity_people),
    ENTITY_ROUTES("users", entity_users),
    ENTITY_ROUTES("champions", entity_champions),
    ENTITY_ROUTES("connections", entity_connections),
    ENTITY_ROUTES("resources", entity_resources),
    ENTITY_ROUTES("strategies", entity_strategies),
    ENTITY_ROUTES("priorities", entity_priorities),
    ENTITY_ROUTES("alignments", entity_alignments),
    ENTITY_ROUTES("actions", entity_actions),
    ENTITY_ROUTES("action-notes", entity_action_notes),
    ENTITY_ROUTES("coproduction", entity_coproduction),
    ENTITY_ROUTES("policies", entity_policies),
    ENTITY_ROUTES("accountability", entity_accountability),
    ENTITY_ROUTES("sharing-agreements", entity_sharing_agreements),
};

const size_t web_routes_len = sizeof web_routes / sizeof web_routes[0];

/*
 * See layout.h. The page is complete in r->out; the field errors in the ctx
 * (for a 400 from bad list parameters) are listed in an error summary.
 */
void page_problem(struct req *r, int status, const char *title, const char *detail,
                  const char *back_href, const char *back_text)
{
    buf b;
    buf_init(&b, r->a, 1024);
    struct form_errors fe = form_errors_take(r);
    fe.detail = NULL;
    fe.no_links = true;
    ui_error_summary(&b, &fe);
    H(&b,
      "<h1><span class=\"nhsuk-caption-l\">Error %d"
      "<span class=\"nhsuk-u-visually-hidden\"> &ndash; </span></span>%s</h1>",
      status, title);
    if (detail && *detail && strcmp(detail, title) != 0)
        H(&b, "<p class=\"nhsuk-body-l\">%s</p>", detail);
    if (back_href) H(&b, "<p><a class=\"nhsuk-link\" href=\"%s\">%s</a></p>", back_href, back_text);
    if (r->ctx.actor)
        H(&b, "<p><a class=\"nhsuk-link\" href=\"/\">Go to the home page</a></p>");
    else
        H(&b, "<p><a class=\"nhsuk-link\" href=\"/sign-in\">Sign in</a></p>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, title, NULL, &main);
}

/* See web.h. */
void web_error_page(struct req *r, int status, const char *title, const char *detail)
{
    page_problem(r, status, title, detail, NULL, NULL);
}

/*
 * See layout.h. The ctx's detail is the explanation, except for internal
 * failures, whose details are logged and never shown.
 */
void page_for_result(struct req *r, result res)
{
    const char *d = r->ctx.detail;
    switch (res) {
    case RES_INVALID:
        page_problem(r, 400, "There is a problem with the request",
                     d ? d : "Check what you asked for.", NULL, NULL);
        return;
    case RES_UNAUTHENTICATED:
        page_problem(r, 401, "Sign in to continue", d ? d : "Sign in first.", NULL, NULL);
        return;
    case RES_FORBIDDEN:
        page_problem(r, 403, "You do not have permission to do that",
                     d ? d : "Ask an administrator if you need to.", NULL, NULL);
        return;
    case RES_NOT_FOUND:
        page_problem(r, 404, "Page not found", d ? d : "There is nothing at this address.", NULL,
                     NULL);
        return;
    case RES_CONFLICT:
        page_problem(r, 409, "That cannot be done", d, NULL, NULL);
        return;
    case RES_TOO_MANY:
        page_problem(r, 429, "Too many attempts", d, NULL, NULL);
        return;
    default:
        page_problem(r, 500, "Sorry, there is a problem with the service",
                     "Something went wrong on our side. Try again later.", NULL, NULL);
        return;
    }
}
