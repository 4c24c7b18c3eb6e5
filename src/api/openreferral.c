/*
 * openreferral.c: the public Open Referral UK 3.0 API (HSDS 3.0, UK
 * profile), read-only and open to anyone:
 *
 *   GET /openreferral/                       version, profile, openapi_url
 *   GET /openreferral/services               one-to-one fields + organization
 *   GET /openreferral/services/{id}          the full service
 *   GET /openreferral/service_at_locations   location and service (one-to-one)
 *   GET /openreferral/service_at_locations/{id}
 *   GET /openreferral/taxonomies, /taxonomies/{id}
 *   GET /openreferral/taxonomy_terms, /taxonomy_terms/{id}
 *   GET /openreferral/organizations, /organizations/{id}
 *
 * The document describing them (docs/openreferral-openapi.json) is an
 * embedded asset at /openreferral/openapi.json. The transport allows any
 * origin on every answer here, answers preflights and reads no credential.
 *
 * Lists are pages {total_items, total_pages, page_number, size, first_page,
 * last_page, empty, contents}: size is the number of items in contents;
 * a page past the end is an empty page with last_page true. format=ndjson
 * answers every match, one JSON object a line, unpaginated.
 *
 * Service items are written straight from the stored JSON text (the
 * summary or the full document, kept current by the directory core), not
 * parsed and dumped again. Everything here is the same for every caller,
 * so answers are kept in the worker's response cache until the data
 * changes.
 */
#include "api/api.h"

#include "api/json.h"
#include "base/jsonw.h"
#include "base/text.h"
#include "domain/dir_search.h"
#include "domain/directory.h"
#include "http/cache.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OR_MAX_PARAMS 32

/* format=ndjson answers every match in one response, built in memory (the
 * transport sends whole bodies): at most this many, about 1 KiB each. */
#define OR_NDJSON_MAX 20000

/* A request's query parameters, read once. */
struct params {
    struct form_field f[OR_MAX_PARAMS];
    int n;
};

/* Answers 400 naming the bad parameters when the ctx holds field errors; true when it did. */
static bool bad_params(struct req *r)
{
    if (!r->ctx.nerrors) return false;
    api_problem(r, 400, NULL, "Check the query parameters.");
    return true;
}

/*
 * Reads the query parameters and answers from the cache when it can. Returns
 * false when the request has been answered (too many parameters, or from
 * the cache); *key is the cache key (path and query).
 */
static bool begin(struct req *r, struct params *p, const char **key)
{
    p->n = req_query_all(r, p->f, OR_MAX_PARAMS);
    if (p->n == OR_MAX_PARAMS) {
        api_problem(r, 400, NULL, "Send fewer than 32 query parameters.");
        return false;
    }
    buf k;
    buf_init(&k, r->a, 128);
    buf_puts(&k, r->path);
    for (int i = 0; i < p->n; i++)
        buf_printf(&k, "%c%s=%s", i ? '&' : '?', url_encode(r->a, p->f[i].name),
                   url_encode(r->a, p->f[i].value));
    *key = k.data;
    return !resp_cache_serve(r, *key);
}

/* The value of parameter name, or NULL when it is absent or empty. */
static const char *param(const struct params *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->f[i].name, name) == 0) return *p->f[i].value ? p->f[i].value : NULL;
    return NULL;
}

/* Reads boolean parameter name: false when absent; a field error when it is not one. */
static bool param_bool(struct req *r, const struct params *p, const char *name)
{
    const char *v = param(p, name);
    if (!v) return false;
    if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0) return true;
    if (strcasecmp(v, "false") != 0 && strcmp(v, "0") != 0)
        ctx_field_error(&r->ctx, name, "%s must be true or false", name);
    return false;
}

/* Reads format: true for ndjson, false for json (the default); a field error otherwise. */
static bool param_ndjson(struct req *r, const struct params *p)
{
    const char *v = param(p, "format");
    if (!v || strcmp(v, "json") == 0) return false;
    if (strcmp(v, "ndjson") == 0) return true;
    ctx_field_error(&r->ctx, "format", "format must be json or ndjson");
    return false;
}

/* Writes the page's members up to and including "contents":[ . */
static void page_open(buf *b, long long total, long long page, long long per_page, long long n)
{
    long long pages = total ? (total + per_page - 1) / per_page : 1;
    buf_printf(b,
               "{\"total_items\":%lld,\"total_pages\":%lld,\"page_number\":%lld,\"size\":%lld,"
               "\"first_page\":%s,\"last_page\":%s,\"empty\":%s,\"contents\":[",
               total, pages, page, n, page == 1 ? "true" : "false",
               page >= pages ? "true" : "false", n ? "false" : "true");
}

/*
 * Appends the JSON object text obj with one more member (name: the number
 * v) before its closing brace. obj is stored JSON, known to be an object.
 */
static void object_with_number(buf *b, const char *obj, const char *name, double v)
{
    /* From the end: the closing brace is the last character but for
     * whitespace, and scanning back beats strrchr over a whole summary. */
    const char *end = obj + strlen(obj);
    while (end > obj && end[-1] != '}')
        end--;
    if (end == obj) {
        buf_puts(b, obj);
        return;
    }
    const char *p = end - 1;
    while (p > obj && isspace((unsigned char)p[-1]))
        p--;
    bool empty = p > obj && p[-1] == '{';
    buf_append(b, obj, (size_t)(p - obj));
    if (!empty) buf_putc(b, ',');
    jsonw_string(b, name);
    buf_putc(b, ':');
    jsonw_tenths(b, v);
    buf_putc(b, '}');
}

/* Appends a stored JSON text, or {} when there is none. */
static void raw(buf *b, const char *json)
{
    buf_puts(b, json && *json ? json : "{}");
}

/* What one list item of the services lists is made of. */
struct item_opts {
    enum dir_unit unit;
    bool full;
    struct ctx *c;
};

/*
 * Appends one item: a service (its summary, or its full document), or a
 * service at a location ({id, service_id, location_id, location, service});
 * with "distance" in metres when a postcode was given. Returns 0, or -1
 * when a full service_at_location could not be read (logged by the domain).
 */
static int write_item(buf *b, const struct item_opts *o, const struct dir_hit *h)
{
    if (o->unit == DIR_UNIT_SERVICE) {
        const char *text = o->full ? h->document : h->summary;
        if (h->has_distance)
            object_with_number(b, text && *text ? text : "{}", "distance", h->distance_m);
        else
            raw(b, text);
        return 0;
    }
    if (o->full) {
        json_t *sal = NULL;
        if (dir_public_service_at_location(o->c, h->sal_id, &sal) != RES_OK) return -1;
        char *text = json_dumps(sal, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(sal);
        if (!text) return -1;
        if (h->has_distance)
            object_with_number(b, text, "distance", h->distance_m);
        else
            buf_puts(b, text);
        free(text);
        return 0;
    }
    buf_puts(b, "{\"id\":");
    jsonw_string(b, h->sal_id);
    buf_puts(b, ",\"service_id\":");
    jsonw_string(b, h->id);
    buf_puts(b, ",\"location_id\":");
    jsonw_string(b, h->location_id);
    buf_puts(b, ",\"location\":");
    raw(b, h->location_json);
    buf_puts(b, ",\"service\":");
    raw(b, h->summary);
    if (h->has_distance) {
        buf_puts(b, ",\"distance\":");
        jsonw_tenths(b, h->distance_m);
    }
    buf_putc(b, '}');
    return 0;
}

/* dir_search_each callback for ndjson: one item a line. */
struct ndjson_state {
    buf *b;
    const struct item_opts *o;
    int failed;
};

static int ndjson_hit(void *ud, const struct dir_hit *h)
{
    struct ndjson_state *s = ud;
    if (write_item(s->b, s->o, h) != 0) {
        s->failed = 1;
        return 1;
    }
    buf_putc(s->b, '\n');
    return 0;
}

/* Names the services lists read themselves (the rest is dir_query_parse's). */
static const char *const list_own[] = {"format", "full", NULL};

/* GET /openreferral/services and /service_at_locations: a page of matches. */
static void list_services(struct req *r, enum dir_unit unit)
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    struct dir_param dp[OR_MAX_PARAMS];
    for (int i = 0; i < p.n; i++)
        dp[i] = (struct dir_param){p.f[i].name, p.f[i].value};
    struct dir_query q;
    dir_query_init(&q, unit);
    bool ndjson = param_ndjson(r, &p);
    struct item_opts o = {.unit = unit, .full = param_bool(r, &p, "full"), .c = &r->ctx};
    dir_query_parse(&r->ctx, &q, dp, p.n, 0, list_own);
    if (bad_params(r)) return;
    unsigned fetch = DIR_FETCH_LEAN | (o.full ? DIR_FETCH_DOCUMENT : DIR_FETCH_SUMMARY) |
                     (unit == DIR_UNIT_SERVICE_AT_LOCATION ? DIR_FETCH_LOCATION : 0);
    buf_truncate(&r->out, 0);
    struct dir_results res;
    result rc;
    if (ndjson) {
        struct ndjson_state s = {.b = &r->out, .o = &o};
        rc = dir_search_each(&r->ctx, &q, fetch, OR_NDJSON_MAX, ndjson_hit, &s, &res);
        if (rc == RES_OK && s.failed) rc = RES_INTERNAL;
        if (rc == RES_CONFLICT) {
            ctx_field_error(&r->ctx, "format",
                            "format=ndjson answers at most %d services and %lld match: narrow"
                            " the search, or read it in pages",
                            OR_NDJSON_MAX, res.total);
            buf_truncate(&r->out, 0);
            api_problem(r, 400, NULL, "Check the query parameters.");
            return;
        }
    } else {
        rc = dir_search(&r->ctx, &q, fetch, &res);
        if (rc == RES_OK) {
            page_open(&r->out, res.total, res.page, res.per_page, res.nhits);
            for (int i = 0; i < res.nhits && rc == RES_OK; i++) {
                if (i) buf_putc(&r->out, ',');
                if (write_item(&r->out, &o, &res.hits[i]) != 0) rc = RES_INTERNAL;
            }
            buf_puts(&r->out, "]}");
        }
    }
    if (rc != RES_OK) {
        buf_truncate(&r->out, 0);
        api_read_fail(r, rc);
        return;
    }
    r->status = 200;
    r->content_type = ndjson ? "application/x-ndjson" : "application/json";
    resp_cache_store(r, key);
}

static void or_services(struct req *r)
{
    list_services(r, DIR_UNIT_SERVICE);
}

static void or_service_at_locations(struct req *r)
{
    list_services(r, DIR_UNIT_SERVICE_AT_LOCATION);
}

/* Answers with JSON text already in r->out (status 200) and caches it. */
static void answer_out(struct req *r, const char *key)
{
    r->status = 200;
    r->content_type = "application/json";
    resp_cache_store(r, key);
}

/* Checks that every parameter is one of allowed (NULL-terminated); true when all are. */
static bool only_params(struct req *r, const struct params *p, const char *const *allowed)
{
    for (int i = 0; i < p->n; i++) {
        bool known = false;
        for (int k = 0; allowed[k] && !known; k++)
            known = strcmp(p->f[i].name, allowed[k]) == 0;
        if (!known)
            ctx_field_error(&r->ctx, p->f[i].name, "'%s' is not a parameter here", p->f[i].name);
    }
    return r->ctx.nerrors == 0;
}

/* GET /openreferral/services/{id}: the full service. */
static void or_service(struct req *r)
{
    struct params p;
    const char *key, *doc;
    if (!begin(r, &p, &key)) return;
    static const char *const allowed[] = {NULL};
    only_params(r, &p, allowed);
    if (bad_params(r)) return;
    result rc = dir_public_service(&r->ctx, r->params[0], &doc);
    if (rc != RES_OK) {
        api_fail(r, rc);
        return;
    }
    buf_truncate(&r->out, 0);
    raw(&r->out, doc);
    answer_out(r, key);
}

/* GET /openreferral/service_at_locations/{id}: the full service at a location. */
static void or_service_at_location(struct req *r)
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    static const char *const allowed[] = {NULL};
    only_params(r, &p, allowed);
    if (bad_params(r)) return;
    json_t *sal = NULL;
    result rc = dir_public_service_at_location(&r->ctx, r->params[0], &sal);
    if (rc != RES_OK) {
        api_fail(r, rc);
        return;
    }
    api_json(r, 200, sal);
    resp_cache_store(r, key);
}

/*
 * Reads page, per_page, format and search (and the term filters when
 * terms) into q; field errors for bad ones. *ndjson set by format.
 */
static void list_params(struct req *r, const struct params *p, const char *const *allowed,
                        struct dir_list_query *q, bool *ndjson)
{
    memset(q, 0, sizeof *q);
    q->page = 1;
    q->per_page = DIR_PER_PAGE_DEFAULT;
    only_params(r, p, allowed);
    *ndjson = param_ndjson(r, p);
    q->all = *ndjson;
    const char *v;
    if ((v = param(p, "page")) && (!(q->page = text_id(v)) || q->page > DIR_PAGE_MAX))
        ctx_field_error(&r->ctx, "page", "page must be a whole number from 1 to %d", DIR_PAGE_MAX);
    if ((v = param(p, "per_page")) &&
        (!(q->per_page = text_id(v)) || q->per_page > DIR_PER_PAGE_MAX))
        ctx_field_error(&r->ctx, "per_page", "per_page must be a whole number from 1 to %d",
                        DIR_PER_PAGE_MAX);
    q->search = param(p, "search");
    q->taxonomy_id = param(p, "taxonomy_id");
    q->parent_id = param(p, "parent_id");
    q->top_only = param_bool(r, p, "top_only");
}

/* Appends the object's JSON text (compact, in member order). */
static void dump(buf *b, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) buf_puts(b, text);
    free(text);
}

/*
 * Appends organization id as JSON: its one-to-one fields, and "services"
 * when services (the full documents when full, else the summaries) of its
 * public services. RES_OK, RES_NOT_FOUND, RES_INTERNAL.
 */
static result write_organization(struct ctx *c, buf *b, const char *id, bool services, bool full)
{
    json_t *org = NULL;
    result rc = dir_public_organization(c, id, &org);
    if (rc != RES_OK) return rc;
    if (!services) {
        dump(b, org);
        json_decref(org);
        return RES_OK;
    }
    /* The services go in as stored text: the object is written without its
     * closing brace, then the array, then the brace. */
    char *text = json_dumps(org, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(org);
    if (!text) return ctx_fail(c, RES_INTERNAL, "An organization could not be written");
    size_t len = strlen(text);
    bool empty = len == 2;
    buf_append(b, text, len - 1);
    free(text);
    buf_printf(b, "%s\"services\":[", empty ? "" : ",");
    struct dir_query q;
    dir_query_init(&q, DIR_UNIT_SERVICE);
    q.organization_id = id;
    q.all = true;
    struct dir_results res;
    rc = dir_search(c, &q, DIR_FETCH_LEAN | (full ? DIR_FETCH_DOCUMENT : DIR_FETCH_SUMMARY), &res);
    if (rc != RES_OK) return rc;
    for (int i = 0; i < res.nhits; i++) {
        if (i) buf_putc(b, ',');
        raw(b, full ? res.hits[i].document : res.hits[i].summary);
    }
    buf_puts(b, "]}");
    return RES_OK;
}

/* What the other lists are: their parameters, their ids and one item's JSON. */
struct list_kind {
    const char *const *allowed;
    result (*list)(struct ctx *c, const struct dir_list_query *q, struct dir_id_page *out);
    json_t *(*render)(struct ctx *c, const char *id, result *res); /* NULL: organizations */
};

/* GET /openreferral/taxonomies, /taxonomy_terms, /organizations: a page. */
static void list_other(struct req *r, const struct list_kind *k)
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    struct dir_list_query q;
    bool ndjson;
    list_params(r, &p, k->allowed, &q, &ndjson);
    bool full = !k->render && param_bool(r, &p, "full_service");
    if (bad_params(r)) return;
    struct dir_id_page ids;
    result rc = k->list(&r->ctx, &q, &ids);
    buf *b = &r->out;
    buf_truncate(b, 0);
    if (rc == RES_OK && !ndjson) page_open(b, ids.total, q.page, q.per_page, ids.n);
    for (int i = 0; i < ids.n && rc == RES_OK; i++) {
        if (i && !ndjson) buf_putc(b, ',');
        if (k->render) {
            json_t *o = k->render(&r->ctx, ids.ids[i], &rc);
            if (o) dump(b, o);
            json_decref(o);
        } else {
            rc = write_organization(&r->ctx, b, ids.ids[i], full, full);
        }
        if (ndjson) buf_putc(b, '\n');
    }
    if (rc != RES_OK) {
        buf_truncate(b, 0);
        api_read_fail(r, rc == RES_NOT_FOUND ? RES_INTERNAL : rc);
        return;
    }
    if (!ndjson) buf_puts(b, "]}");
    r->status = 200;
    r->content_type = ndjson ? "application/x-ndjson" : "application/json";
    resp_cache_store(r, key);
}

static const char *const taxonomy_params[] = {"page", "per_page", "format", "search", NULL};
static const char *const term_params[] = {"page",        "per_page",  "format",   "search",
                                          "taxonomy_id", "parent_id", "top_only", NULL};
static const char *const organization_params[] = {"page",   "per_page",     "format",
                                                  "search", "full_service", NULL};

static void or_taxonomies(struct req *r)
{
    static const struct list_kind k = {taxonomy_params, dir_list_taxonomies, dir_taxonomy_render};
    list_other(r, &k);
}

static void or_taxonomy_terms(struct req *r)
{
    static const struct list_kind k = {term_params, dir_list_taxonomy_terms,
                                       dir_taxonomy_term_render};
    list_other(r, &k);
}

static void or_organizations(struct req *r)
{
    static const struct list_kind k = {organization_params, dir_list_organizations, NULL};
    list_other(r, &k);
}

/* GET /openreferral/taxonomies/{id} and /taxonomy_terms/{id}. */
static void one_rendered(struct req *r, json_t *(*render)(struct ctx *, const char *, result *))
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    static const char *const allowed[] = {NULL};
    only_params(r, &p, allowed);
    if (bad_params(r)) return;
    result rc = RES_OK;
    json_t *o = render(&r->ctx, r->params[0], &rc);
    if (!o) {
        api_fail(r, rc == RES_OK ? RES_NOT_FOUND : rc);
        return;
    }
    api_json(r, 200, o);
    resp_cache_store(r, key);
}

static void or_taxonomy(struct req *r)
{
    one_rendered(r, dir_taxonomy_render);
}

static void or_taxonomy_term(struct req *r)
{
    one_rendered(r, dir_taxonomy_term_render);
}

/* GET /openreferral/organizations/{id}: with its services (full with full_service=true). */
static void or_organization(struct req *r)
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    static const char *const allowed[] = {"full_service", NULL};
    only_params(r, &p, allowed);
    bool full = param_bool(r, &p, "full_service");
    if (bad_params(r)) return;
    buf_truncate(&r->out, 0);
    result rc = write_organization(&r->ctx, &r->out, r->params[0], true, full);
    if (rc != RES_OK) {
        buf_truncate(&r->out, 0);
        api_fail(r, rc);
        return;
    }
    answer_out(r, key);
}

/*
 * GET /openreferral/: what this API is. openapi_url is absolute when the
 * request named a plausible host (letters, digits, dots, dashes, a port),
 * else a path.
 */
static void or_root(struct req *r)
{
    struct params p;
    const char *key;
    if (!begin(r, &p, &key)) return;
    static const char *const allowed[] = {NULL};
    only_params(r, &p, allowed);
    if (bad_params(r)) return;
    const char *host = req_header(r, "Host");
    bool ok = host && *host && strlen(host) < 256;
    for (const char *h = host; ok && *h; h++)
        ok = isalnum((unsigned char)*h) || strchr(".-:[]", *h);
    const char *url = "/openreferral/openapi.json";
    if (ok)
        url =
            arena_printf(r->a, "%s://%s%s",
                         r->settings && r->settings->secure_cookies ? "https" : "http", host, url);
    json_t *o = json_object();
    json_object_set_new(o, "version", json_string(DIR_HSDS_VERSION));
    json_object_set_new(o, "profile", json_string(DIR_PROFILE_URL));
    json_object_set_new(o, "openapi_url", json_string(url));
    api_json(r, 200, o);
}

const struct route api_openreferral_routes[] = {
    {"GET", "/openreferral", or_root, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/", or_root, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/services", or_services, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/services/{id}", or_service, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/service_at_locations", or_service_at_locations, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/service_at_locations/{id}", or_service_at_location, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/taxonomies", or_taxonomies, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/taxonomies/{id}", or_taxonomy, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/taxonomy_terms", or_taxonomy_terms, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/taxonomy_terms/{id}", or_taxonomy_term, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/organizations", or_organizations, ROUTE_PUBLIC, NULL},
    {"GET", "/openreferral/organizations/{id}", or_organization, ROUTE_PUBLIC, NULL},
};
const size_t api_openreferral_routes_len =
    sizeof api_openreferral_routes / sizeof api_openreferral_routes[0];
