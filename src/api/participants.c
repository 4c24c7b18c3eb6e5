/*
 * participants.c: the JSON routes of participants, consent, retention and
 * the geography that places a person (domain/participants.h,
 * domain/geo_import.h):
 *
 *   POST  /api/v1/participants                  create: 201 and Location
 *   GET   /api/v1/participants?q=&page=&per_page= those the actor may see
 *   GET   /api/v1/participants/{id}
 *   PATCH /api/v1/participants/{id}
 *   GET   /api/v1/participants/{id}/export      subject access: everything held
 *   POST  /api/v1/participants/{id}/erasure     anonymise now (200, the record)
 *   GET   /api/v1/participants/{id}/consents    the consent history
 *   POST  /api/v1/participants/{id}/consents    record consent given or withdrawn (201)
 *   GET   /api/v1/settings/retention            {"years": N}
 *   PUT   /api/v1/settings/retention            administrators
 *   GET   /api/v1/neighbourhoods/{id}/lsoas     {"neighbourhood_id", "lsoas": [...]}
 *   PUT   /api/v1/neighbourhoods/{id}/lsoas     replace the set
 *
 * A participant the actor may not see answers 404 like one that does not
 * exist; the domain decides which.
 */
#include "api/api.h"

#include "api/json.h"
#include "domain/geo_import.h"
#include "domain/participants.h"

#include <string.h>

/* POST /api/v1/participants: 201 with the record and its Location. */
static void participants_create(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return; /* a body's type errors stay in the ctx: the domain reports them */
    rec *out = NULL;
    result res = participant_create(&r->ctx, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Location",
                arena_printf(r->a, "/api/v1/participants/%lld", rec_int(out, "id", 0)));
    api_json(r, 201, json_from_rec(out));
}

/* GET /api/v1/participants: a page of those the actor may see, newest first. */
static void participants_list(struct req *r)
{
    static const char *const allowed[] = {"q", "page", "per_page", NULL};
    if (!api_only_params(r, allowed)) return;
    struct participant_query q = {.q = api_query_value(r, "q")};
    if (api_paging(r, &q.page, &q.per_page) != 0) return;
    struct store_page pg;
    result res = participant_list(&r->ctx, &q, &pg);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, q.page, q.per_page ? q.per_page : 20));
}

/* GET /api/v1/participants/{id}. */
static void participant_one(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *out = NULL;
    result res = participant_get(&r->ctx, id, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* PATCH /api/v1/participants/{id}: the fields sent change; 200 with the record. */
static void participant_patch(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *in = json_body_rec(r);
    if (!in) return; /* type errors stay in the ctx, reported after the access check */
    rec *out = NULL;
    result res = participant_update(&r->ctx, id, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* GET /api/v1/participants/{id}/export: everything held about the person. */
static void participant_export_one(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *doc = NULL;
    result res = participant_export(&r->ctx, id, &doc);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    resp_header(r, "Content-Disposition",
                arena_printf(r->a, "attachment; filename=\"participant-%lld.json\"", id));
    api_json(r, 200, doc);
}

/* POST /api/v1/participants/{id}/erasure: anonymise now; 200 with what is left. */
static void participant_erasure(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    result res = participant_anonymise(&r->ctx, id, "erasure");
    rec *out = NULL;
    if (res == RES_OK) res = participant_get(&r->ctx, id, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, json_from_rec(out));
}

/* GET /api/v1/participants/{id}/consents: {"items": [...]} oldest first. */
static void consents_list(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    struct store_page pg;
    result res = consent_history(&r->ctx, id, &pg);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 200, api_page_json(&pg, 0, 0));
}

/* POST /api/v1/participants/{id}/consents: 201 with the consent record. */
static void consents_create(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    rec *in = json_body_rec(r);
    if (!in) return; /* type errors stay in the ctx, reported after the access check */
    rec *out = NULL;
    result res = consent_record(&r->ctx, id, in, &out);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    api_json(r, 201, json_from_rec(out));
}

/* The retention period as {"years": N}. */
static void retention_answer(struct req *r, long long years)
{
    json_t *o = json_object();
    json_object_set_new(o, "years", json_integer(years));
    api_json(r, 200, o);
}

/* GET /api/v1/settings/retention. */
static void retention_get(struct req *r)
{
    long long years = 0;
    result res = retention_years_get(&r->ctx, &years);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    retention_answer(r, years);
}

/* PUT /api/v1/settings/retention: {"years": N}, administrators. */
static void retention_put(struct req *r)
{
    rec *in = json_body_rec(r);
    if (!in) return;
    for (int i = 0; i < in->n; i++)
        if (strcmp(in->f[i].name, "years") != 0)
            ctx_field_error(&r->ctx, in->f[i].name, "'%s' is not a retention setting",
                            in->f[i].name);
    const struct val *v = rec_get(in, "years");
    if (!v || v->type != VAL_INT)
        ctx_field_error(&r->ctx, "years", "Give the retention period in whole years");
    if (r->ctx.nerrors) {
        api_fail(r, ctx_fail(&r->ctx, RES_INVALID, "Check the retention period"));
        return;
    }
    result res = retention_years_set(&r->ctx, v->i);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    retention_answer(r, v->i);
}

/* Answer with a neighbourhood's LSOAs. */
static void lsoas_answer(struct req *r, long long id)
{
    const char **v;
    int n;
    result res = neighbourhood_lsoas_get(&r->ctx, id, &v, &n);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_string(v[i]));
    json_t *o = json_object();
    json_object_set_new(o, "neighbourhood_id", json_integer(id));
    json_object_set_new(o, "lsoas", list);
    api_json(r, 200, o);
}

/* GET /api/v1/neighbourhoods/{id}/lsoas. */
static void lsoas_get(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    lsoas_answer(r, id);
}

/* PUT /api/v1/neighbourhoods/{id}/lsoas: {"lsoas": ["E01...", ...]} replaces the set. */
static void lsoas_put(struct req *r)
{
    long long id = api_path_id(r, 0);
    if (!id) return;
    json_t *body = json_body(r);
    if (!body) return;
    json_t *list = json_is_object(body) ? json_object_get(body, "lsoas") : NULL;
    const char *key;
    json_t *val;
    if (json_is_object(body)) {
        json_object_foreach(body, key, val)
        {
            if (strcmp(key, "lsoas") != 0)
                ctx_field_error(&r->ctx, arena_strdup(r->a, key), "'%s' is not a field here", key);
        }
    }
    if (!json_is_array(list) || json_array_size(list) > 5000)
        ctx_field_error(&r->ctx, "lsoas", "Give lsoas as a list of LSOA codes (at most 5000)");
    int n = json_is_array(list) ? (int)json_array_size(list) : 0;
    const char **codes = arena_alloc(r->a, sizeof *codes * (size_t)(n + 1));
    for (int i = 0; i < n && !r->ctx.nerrors; i++) {
        json_t *e = json_array_get(list, (size_t)i);
        if (!json_is_string(e))
            ctx_field_error(&r->ctx, arena_printf(r->a, "lsoas[%d]", i),
                            "Each LSOA code must be text, like E01010994");
        else
            codes[i] = arena_strdup(r->a, json_string_value(e));
    }
    json_decref(body);
    if (r->ctx.nerrors) {
        api_fail(r, ctx_fail(&r->ctx, RES_INVALID, "Check the LSOA codes"));
        return;
    }
    result res = neighbourhood_lsoas_set(&r->ctx, id, codes, n);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    lsoas_answer(r, id);
}

const struct route api_participant_routes[] = {
    {"GET", "/api/v1/participants", participants_list, 0, NULL},
    {"POST", "/api/v1/participants", participants_create, 0, NULL},
    {"GET", "/api/v1/participants/{id}", participant_one, 0, NULL},
    {"PATCH", "/api/v1/participants/{id}", participant_patch, 0, NULL},
    {"GET", "/api/v1/participants/{id}/export", participant_export_one, 0, NULL},
    {"POST", "/api/v1/participants/{id}/erasure", participant_erasure, 0, NULL},
    {"GET", "/api/v1/participants/{id}/consents", consents_list, 0, NULL},
    {"POST", "/api/v1/participants/{id}/consents", consents_create, 0, NULL},
    {"GET", "/api/v1/settings/retention", retention_get, 0, NULL},
    {"PUT", "/api/v1/settings/retention", retention_put, 0, NULL},
    {"GET", "/api/v1/neighbourhoods/{id}/lsoas", lsoas_get, 0, NULL},
    {"PUT", "/api/v1/neighbourhoods/{id}/lsoas", lsoas_put, 0, NULL},
};

const size_t api_participant_routes_len =
    sizeof api_participant_routes / sizeof api_participant_routes[0];
