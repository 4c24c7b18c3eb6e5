/*
 * directory.c: the internal directory API under /api/v1/directory, where
 * providers and leads write the directory. Who may do what, and what a
 * write does (publish at once or wait for approval), is decided by
 * domain/dir_edit.c; these handlers turn JSON into calls and answers.
 *
 * A write that took effect answers 200 (201 for a new service); one that
 * became a proposal waiting for approval answers 202 Accepted, with "state":
 * "pending" and the version it made. Service ids in paths are HSDS ids
 * (UUIDs, or whatever string an imported feed used).
 */
#include "api/api.h"

#include "api/json.h"
#include "base/text.h"
#include "domain/dir_edit.h"

#include <string.h>
#include <strings.h>

/* ---- small helpers ---- */

/* A true/false query parameter (absent: false); a field error when it is neither. */
static bool query_bool(struct req *r, const char *name)
{
    const char *s = api_query_value(r, name);
    if (!s || strcmp(s, "false") == 0) return false;
    if (strcmp(s, "true") == 0) return true;
    ctx_field_error(&r->ctx, name, "%s must be true or false", name);
    return false;
}

/*
 * The body as a JSON value: application/json, or application/merge-patch+json
 * when merge_patch. Answers 415 or 400 itself and returns NULL. An empty body
 * is an empty object when allow_empty.
 */
static json_t *body_json(struct req *r, bool merge_patch, bool allow_empty)
{
    if (allow_empty && r->body_len == 0) return json_object();
    const char *ct = req_header(r, "Content-Type");
    static const char mp[] = "application/merge-patch+json";
    if (merge_patch && ct && strncasecmp(ct, mp, sizeof mp - 1) == 0 &&
        (ct[sizeof mp - 1] == '\0' || ct[sizeof mp - 1] == ';' || ct[sizeof mp - 1] == ' ')) {
        json_error_t err;
        json_t *j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
        if (!j)
            api_problem(r, 400, "Malformed JSON",
                        arena_printf(r->a, "The body is not valid JSON: %s (line %d, column %d).",
                                     err.text, err.line, err.column));
        return j;
    }
    return json_body(r);
}

/* The body as a JSON object (answering 400 when it is another value), or NULL. */
static json_t *body_object(struct req *r, bool merge_patch, bool allow_empty)
{
    json_t *j = body_json(r, merge_patch, allow_empty);
    if (j && !json_is_object(j)) {
        json_decref(j);
        api_problem(r, 400, "Malformed JSON", "The body must be a JSON object.");
        return NULL;
    }
    return j;
}

/* The service id in the path. */
static const char *path_service(struct req *r)
{
    return r->nparams > 0 ? r->params[0] : "";
}

/* The version number in the path (second parameter), or a 404 and 0. */
static int path_version(struct req *r)
{
    long long v = text_id(r->nparams > 1 ? r->params[1] : NULL);
    if (v <= 0 || v > 1000000000) {
        api_problem(r, 404, NULL, "There is no such version.");
        return 0;
    }
    return (int)v;
}

/* Answer a write's outcome: 202 when it is waiting for approval, else ok_status. */
static void answer_write(struct req *r, result res, json_t *out, int ok_status)
{
    if (res != RES_OK) {
        json_decref(out);
        api_fail(r, res);
        return;
    }
    const char *state = json_string_value(json_object_get(out, "state"));
    api_json(r, state && strcmp(state, "pending") == 0 && ok_status != 201 ? 202 : ok_status, out);
}

/* ---- organizations ---- */

/* GET /api/v1/directory/organizations: those the caller may edit (all=true: every one). */
static void organizations_list(struct req *r)
{
    static const char *const allowed[] = {"q", "all", "page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    struct dir_org_query q = {.q = api_query_value(r, "q"), .all = query_bool(r, "all")};
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the query parameters.");
        return;
    }
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct store_page pg;
    result res = dir_edit_organizations(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, q.page, q.per_page ? q.per_page : 20));
}

/* POST /api/v1/directory/organizations: an HSDS organization plus organisation_id. */
static void organizations_save(struct req *r)
{
    json_t *body = body_object(r, false, false);
    if (!body) return;
    json_t *link = json_object_get(body, "organisation_id");
    long long organisation_id = 0;
    if (json_is_integer(link) && json_integer_value(link) > 0)
        organisation_id = json_integer_value(link);
    else if (link && !json_is_null(link))
        ctx_field_error(&r->ctx, "organisation_id",
                        "organisation_id must be the id of a chis organisation");
    if (r->ctx.nerrors) {
        json_decref(body);
        api_problem(r, 422, NULL, "The organization has errors.");
        return;
    }
    json_t *out = NULL;
    bool created = false;
    result res = dir_edit_organization_save(&r->ctx, body, organisation_id, &out, &created);
    json_decref(body);
    if (res != RES_OK) {
        json_decref(out);
        api_fail(r, res);
        return;
    }
    if (created)
        resp_header(r, "Location",
                    arena_printf(r->a, "/api/v1/directory/organizations/%s",
                                 url_encode(r->a, json_string_value(json_object_get(out, "id")))));
    api_json(r, created ? 201 : 200, out);
}

/* GET /api/v1/directory/organizations/{id} */
static void organization_get(struct req *r)
{
    json_t *out = NULL;
    result res = dir_edit_organization_get(&r->ctx, path_service(r), &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, out);
}

/* ---- services ---- */

/* GET /api/v1/directory/services: the services the caller may edit, with their state. */
static void services_list(struct req *r)
{
    static const char *const allowed[] = {
        "q", "state", "waiting", "deleted", "organization_id", "page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    struct dir_service_query q = {
        .q = api_query_value(r, "q"),
        .state = api_query_value(r, "state"),
        .waiting = query_bool(r, "waiting"),
        .deleted = query_bool(r, "deleted"),
        .organization_id = api_query_value(r, "organization_id"),
    };
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the query parameters.");
        return;
    }
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct store_page pg;
    result res = dir_edit_services(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, q.page, q.per_page ? q.per_page : 20));
}

/* POST /api/v1/directory/services: 201 with the service, its state and version. */
static void services_create(struct req *r)
{
    json_t *body = body_object(r, false, false);
    if (!body) return;
    json_t *out = NULL;
    result res = dir_edit_create(&r->ctx, body, &out);
    json_decref(body);
    if (res == RES_OK)
        resp_header(r, "Location",
                    arena_printf(r->a, "/api/v1/directory/services/%s",
                                 url_encode(r->a, json_string_value(json_object_get(out, "id")))));
    answer_write(r, res, out, 201);
}

/* GET /api/v1/directory/services/{id} */
static void service_get(struct req *r)
{
    json_t *out = NULL;
    result res = dir_edit_get(&r->ctx, path_service(r), &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, out);
}

/* PATCH /api/v1/directory/services/{id}: an RFC 7396 merge patch. */
static void service_patch(struct req *r)
{
    json_t *patch = body_object(r, true, false);
    if (!patch) return;
    json_t *out = NULL;
    result res = dir_edit_patch(&r->ctx, path_service(r), patch, &out);
    json_decref(patch);
    answer_write(r, res, out, 200);
}

/* DELETE /api/v1/directory/services/{id}: 200 when deleted, 202 when proposed. */
static void service_delete(struct req *r)
{
    json_t *out = NULL;
    result res = dir_edit_delete(&r->ctx, path_service(r), &out);
    answer_write(r, res, out, 200);
}

/* POST /api/v1/directory/services/{id}/undelete */
static void service_undelete(struct req *r)
{
    if (r->body_len) {
        json_t *b = body_object(r, false, true);
        if (!b) return;
        json_decref(b);
    }
    json_t *out = NULL;
    result res = dir_edit_undelete(&r->ctx, path_service(r), &out);
    answer_write(r, res, out, 200);
}

/*
 * POST /api/v1/directory/services/{id}/approve and /reject: a body (optional
 * for approve) {"version", "note"}; version defaults to the one waiting.
 */
static void service_decide(struct req *r)
{
    bool approve = r->route->data != NULL;
    json_t *body = body_object(r, false, true);
    if (!body) return;
    const char *key;
    json_t *v;
    int version = 0;
    const char *note = NULL;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "version") == 0) {
            if (json_is_integer(v) && json_integer_value(v) > 0 &&
                json_integer_value(v) <= 1000000000)
                version = (int)json_integer_value(v);
            else if (!json_is_null(v))
                ctx_field_error(&r->ctx, "version", "version must be a version number");
        } else if (strcmp(key, "note") == 0) {
            if (json_is_string(v))
                note = arena_strdup(r->a, json_string_value(v));
            else if (!json_is_null(v))
                ctx_field_error(&r->ctx, "note", "note must be text");
        } else {
            ctx_field_error(&r->ctx, key, "'%s' is not accepted here: send version and note", key);
        }
    }
    json_decref(body);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "The request has errors.");
        return;
    }
    json_t *out = NULL;
    result res = approve ? dir_edit_approve(&r->ctx, path_service(r), version, note, &out)
                         : dir_edit_reject(&r->ctx, path_service(r), version, note, &out);
    answer_write(r, res, out, 200);
}

/* GET /api/v1/directory/services/{id}/versions: newest first. */
static void service_versions(struct req *r)
{
    struct store_page pg;
    result res = dir_edit_versions(&r->ctx, path_service(r), &pg);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, 0, 0));
}

/* GET /api/v1/directory/services/{id}/versions/{version}: the document and its diff. */
static void service_version(struct req *r)
{
    static const char *const allowed[] = {"against", NULL};
    if (!api_only_params(r, allowed)) return;
    int version = path_version(r);
    if (!version) return;
    const char *against_s = api_query_value(r, "against");
    long long against = against_s ? text_id(against_s) : 0;
    if (against_s && (against <= 0 || against > 1000000000)) {
        ctx_field_error(&r->ctx, "against", "against must be a version number");
        api_problem(r, 400, NULL, "Check the query parameters.");
        return;
    }
    rec *meta = NULL;
    json_t *doc = NULL, *diff = NULL;
    int compared = 0;
    result res = dir_edit_version(&r->ctx, path_service(r), version, (int)against, &meta, &doc,
                                  &diff, &compared);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *out = json_from_rec(meta);
    json_object_set_new(out, "compared_with", compared ? json_integer(compared) : json_null());
    json_object_set_new(out, "diff", diff);
    json_object_set_new(out, "document", doc);
    api_json(r, 200, out);
}

/* POST /api/v1/directory/services/{id}/versions/{version}/restore */
static void service_restore(struct req *r)
{
    int version = path_version(r);
    if (!version) return;
    json_t *out = NULL;
    result res = dir_edit_restore(&r->ctx, path_service(r), version, &out);
    answer_write(r, res, out, 200);
}

/* GET /api/v1/directory/approvals: the proposals waiting for the caller, oldest first. */
static void approvals_list(struct req *r)
{
    static const char *const allowed[] = {"page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    long long page, per;
    if (api_paging(r, &page, &per) != 0) return;
    struct store_page pg;
    result res = dir_edit_approvals(&r->ctx, page, per, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, page, per ? per : 20));
}

static const char approve_marker = 1;

const struct route api_directory_routes[] = {
    {"GET", "/api/v1/directory/organizations", organizations_list, 0, NULL},
    {"POST", "/api/v1/directory/organizations", organizations_save, 0, NULL},
    {"GET", "/api/v1/directory/organizations/{id}", organization_get, 0, NULL},
    {"GET", "/api/v1/directory/services", services_list, 0, NULL},
    {"POST", "/api/v1/directory/services", services_create, 0, NULL},
    {"GET", "/api/v1/directory/services/{id}", service_get, 0, NULL},
    {"PATCH", "/api/v1/directory/services/{id}", service_patch, 0, NULL},
    {"DELETE", "/api/v1/directory/services/{id}", service_delete, 0, NULL},
    {"POST", "/api/v1/directory/services/{id}/approve", service_decide, 0, &approve_marker},
    {"POST", "/api/v1/directory/services/{id}/reject", service_decide, 0, NULL},
    {"POST", "/api/v1/directory/services/{id}/undelete", service_undelete, 0, NULL},
    {"GET", "/api/v1/directory/services/{id}/versions", service_versions, 0, NULL},
    {"GET", "/api/v1/directory/services/{id}/versions/{version}", service_version, 0, NULL},
    {"POST", "/api/v1/directory/services/{id}/versions/{version}/restore", service_restore, 0,
     NULL},
    {"GET", "/api/v1/directory/approvals", approvals_list, 0, NULL},
};

const size_t api_directory_routes_len =
    sizeof api_directory_routes / sizeof api_directory_routes[0];
