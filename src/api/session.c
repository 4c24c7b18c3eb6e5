/*
 * session.c: signing in and out over JSON. A JSON sign-in needs the
 * application/json content type, which a cross-site form cannot send, so it
 * cannot be forged from another site; signing out needs the CSRF token.
 */
#include "api/handlers.h"

#include "api/json.h"
#include "domain/accounts.h"
#include "domain/entity.h"

#include <string.h>

static json_t *actor_json(const struct actor *a)
{
    json_t *places = json_array();
    for (int i = 0; i < a->nplaces; i++)
        json_array_append_new(places, json_integer(a->place_ids[i]));
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)a->user_id, "email",
                     a->email, "name", a->name ? a->name : "", "role", role_name(a->role),
                     "organisation_id", (json_int_t)a->org_id, "place_ids", places);
}

/* POST /api/v1/session {email, password}: 201, sets the session cookie. */
void api_session_create(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return;
    const char *email = rec_text(in, "email"), *password = rec_text(in, "password");
    if (!email) ctx_field_error(&r->ctx, "email", "Enter your email address");
    if (!password) ctx_field_error(&r->ctx, "password", "Enter your password");
    for (int i = 0; i < in->n; i++)
        if (strcmp(in->f[i].name, "email") != 0 && strcmp(in->f[i].name, "password") != 0)
            ctx_field_error(&r->ctx, in->f[i].name, "'%s' is not accepted here", in->f[i].name);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Send an email address and a password.");
        return;
    }
    struct session_grant g;
    result res = accounts_sign_in(&r->ctx, email, password, &g);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    struct actor *a = NULL;
    if (accounts_actor(&r->ctx, g.user_id, &a) != RES_OK) {
        api_fail(r, RES_INTERNAL);
        return;
    }
    resp_set_cookie(r, "chis_session", g.token, 3600L * SESSION_HOURS);
    api_json(r, 201,
             json_pack("{s:o, s:s, s:s}", "user", actor_json(a), "csrf_token", g.csrf, "expires_at",
                       g.expires_at));
}

/* GET /api/v1/session: who is signed in, and the CSRF token for cookie clients. */
void api_session_get(struct req *r)
{
    const struct actor *a = r->ctx.actor;
    json_t *o = json_pack("{s:o}", "user", actor_json(a));
    if (a->csrf) json_object_set_new(o, "csrf_token", json_string(a->csrf));
    api_json(r, 200, o);
}

/* DELETE /api/v1/session: 204; the cookie is cleared. */
void api_session_delete(struct req *r)
{
    result res = accounts_sign_out(&r->ctx, r->session_token);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_set_cookie(r, "chis_session", "", 0);
    resp_body(r, 204, NULL, "", 0);
}
