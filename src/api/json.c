/*
 * json.c: JSON in and out for the API (jansson), and RFC 9457 problems.
 */
#include "api/json.h"

#include "api/api.h"
#include "base/buf.h"
#include "base/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The record as a JSON object; the caller owns (decrefs) it. */
json_t *json_from_rec(const rec *r)
{
    json_t *o = json_object();
    for (int i = 0; i < r->n; i++) {
        const struct val *v = &r->f[i].v;
        json_t *j;
        switch (v->type) {
        case VAL_INT:
            j = json_integer(v->i);
            break;
        case VAL_BOOL:
            j = json_boolean(v->i);
            break;
        case VAL_TEXT:
            j = json_string(v->s);
            break;
        case VAL_IDS:
            j = json_array();
            for (int k = 0; k < v->nids; k++)
                json_array_append_new(j, json_integer(v->ids[k]));
            break;
        default:
            j = json_null();
            break;
        }
        json_object_set_new(o, r->f[i].name, j ? j : json_null());
    }
    return o;
}

static int dump_to_buf(const char *data, size_t size, void *cls)
{
    buf_append(cls, data, size);
    return 0;
}

void api_json(struct req *r, int status, json_t *json)
{
    r->status = status;
    r->content_type = "application/json";
    buf_truncate(&r->out, 0);
    json_dump_callback(json, dump_to_buf, &r->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(json);
}

static const char *status_title(int status)
{
    switch (status) {
    case 400:
        return "Bad request";
    case 401:
        return "Unauthorised";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Request body too large";
    case 415:
        return "Unsupported media type";
    case 422:
        return "Validation failed";
    case 429:
        return "Too many requests";
    case 503:
        return "Service unavailable";
    default:
        return status >= 500 ? "Internal error" : "Error";
    }
}

/* See api.h. Field errors in the ctx become the "errors" member. */
void api_problem(struct req *r, int status, const char *title, const char *detail)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("about:blank"));
    json_object_set_new(o, "title", json_string(title ? title : status_title(status)));
    json_object_set_new(o, "status", json_integer(status));
    if (detail) json_object_set_new(o, "detail", json_string(detail));
    json_object_set_new(o, "instance", json_string(r->path));
    if (r->ctx.nerrors) {
        json_t *errs = json_array();
        for (int i = 0; i < r->ctx.nerrors; i++)
            json_array_append_new(errs, json_pack("{s:s, s:s}", "field", r->ctx.errors[i].field,
                                                  "message", r->ctx.errors[i].message));
        json_object_set_new(o, "errors", errs);
    }
    api_json(r, status, o);
    r->content_type = "application/problem+json";
    if (status == 429) resp_header(r, "Retry-After", "900");
    if (status == 401) resp_header(r, "WWW-Authenticate", "Bearer realm=\"chis\"");
}

int api_status(result res)
{
    switch (res) {
    case RES_OK:
        return 200;
    case RES_INVALID:
        return 422;
    case RES_UNAUTHENTICATED:
        return 401;
    case RES_FORBIDDEN:
        return 403;
    case RES_NOT_FOUND:
        return 404;
    case RES_CONFLICT:
        return 409;
    case RES_TOO_MANY:
        return 429;
    case RES_INTERNAL:
        return 500;
    }
    return 500;
}

void api_fail(struct req *r, result res)
{
    int status = api_status(res);
    api_problem(r, status, status_title(status), r->ctx.detail);
}

void api_read_fail(struct req *r, result res)
{
    if (res == RES_INVALID)
        api_problem(r, 400, NULL, r->ctx.detail ? r->ctx.detail : "Check the query parameters.");
    else
        api_fail(r, res);
}

static bool is_json_request(struct req *r)
{
    const char *ct = req_header(r, "Content-Type");
    return ct && strncasecmp(ct, "application/json", 16) == 0 &&
           (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

json_t *json_body(struct req *r)
{
    if (!is_json_request(r)) {
        api_problem(r, 415, NULL, "Send the body as application/json.");
        return NULL;
    }
    json_error_t err;
    json_t *j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        api_problem(r, 400, "Malformed JSON",
                    arena_printf(r->a, "The body is not valid JSON: %s (line %d, column %d).",
                                 err.text, err.line, err.column));
        return NULL;
    }
    return j;
}

/* See json.h. */
rec *json_body_rec(struct req *r)
{
    json_t *j = json_body(r);
    if (!j) return NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        api_problem(r, 400, "Malformed JSON", "The body must be a JSON object.");
        return NULL;
    }
    rec *out = rec_new(r->a);
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        switch (json_typeof(v)) {
        case JSON_STRING:
            rec_set_text(out, key, json_string_value(v));
            break;
        case JSON_INTEGER:
            rec_set_int(out, key, json_integer_value(v));
            break;
        case JSON_TRUE:
        case JSON_FALSE:
            rec_set_bool(out, key, json_is_true(v));
            break;
        case JSON_NULL:
            rec_set_null(out, key);
            break;
        case JSON_REAL:
            ctx_field_error(&r->ctx, key, "'%s' must be a whole number", key);
            break;
        case JSON_ARRAY: {
            size_t n = json_array_size(v);
            long long *ids = arena_alloc(r->a, sizeof *ids * (n ? n : 1));
            bool ok = n <= 1000;
            for (size_t i = 0; ok && i < n; i++) {
                json_t *e = json_array_get(v, i);
                ok = json_is_integer(e);
                if (ok) ids[i] = json_integer_value(e);
            }
            if (ok)
                rec_set_ids(out, key, ids, (int)n);
            else
                ctx_field_error(&r->ctx, key, "'%s' must be a list of ids", key);
            break;
        }
        case JSON_OBJECT:
            ctx_field_error(&r->ctx, key, "'%s' must not be an object", key);
            break;
        }
    }
    json_decref(j);
    if (r->ctx.nerrors) {
        api_problem(r, 422, NULL, "Some fields have values of the wrong type.");
        return NULL;
    }
    return out;
}

long long api_path_id(struct req *r, int param)
{
    long long id = text_id(param < r->nparams ? r->params[param] : NULL);
    if (!id) {
        api_problem(r, 404, NULL, "There is nothing with that id.");
        return 0;
    }
    return id;
}

/* Leave *out alone when s is absent; -1 when s is not a whole number of 1 or more. */
static int parse_positive(const char *s, long long *out)
{
    if (!s) return 0;
    long long v = text_id(s);
    if (!v) return -1;
    *out = v;
    return 0;
}

int api_paging(struct req *r, long long *page, long long *per_page)
{
    *page = 1;
    *per_page = 0;
    if (parse_positive(req_query(r, "page"), page) != 0)
        ctx_field_error(&r->ctx, "page", "page must be a whole number, 1 or more");
    if (parse_positive(req_query(r, "per_page"), per_page) != 0)
        ctx_field_error(&r->ctx, "per_page", "per_page must be a whole number, 1 or more");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the paging parameters.");
        return -1;
    }
    return 0;
}

/* See json.h. At most 16 parameters: a longer query is refused whole. */
bool api_only_params(struct req *r, const char *const *allowed)
{
    struct form_field args[17];
    int n = req_query_all(r, args, 17);
    for (int i = 0; i < n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, args[i].name) == 0;
        if (!ok)
            ctx_field_error(&r->ctx, args[i].name, "'%s' is not a parameter here", args[i].name);
    }
    if (n == 17) ctx_field_error(&r->ctx, "query", "Send at most 16 query parameters");
    if (!r->ctx.nerrors) return true;
    api_problem(r, 400, NULL, "Check the query parameters.");
    return false;
}

/* See json.h. */
const char *api_query_value(struct req *r, const char *name)
{
    const char *s = req_query(r, name);
    return s && *s ? s : NULL;
}

/* See json.h. */
json_t *api_page_json(const struct store_page *pg, long long page, long long per)
{
    json_t *items = json_array();
    for (int i = 0; i < pg->nrows; i++)
        json_array_append_new(items, json_from_rec(pg->rows[i]));
    if (!page) page = 1;
    if (!per) per = pg->total > 0 ? pg->total : 1;
    return json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
                     "per_page", (json_int_t)per, "total", (json_int_t)pg->total, "total_pages",
                     (json_int_t)((pg->total + per - 1) / per));
}
