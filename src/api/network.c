/*
 * network.c: GET /api/v1/network?place_id=&at=, the network of
 * organisations and its measures (domain/network.h):
 *
 *   {"organisations": [{"id", "name", "sector", "degree", "cross_sector_ties",
 *                       "betweenness"}],          ordered by id
 *    "components": [[ids]],                       groups of two or more, by smallest id
 *    "isolated": [ids],                           organisations with no tie
 *    "places": [{"place_id", "density", "cross_sector_share"}]}
 *
 * The answer is the same for everyone signed in, so it is computed when the
 * data has changed and served from the worker's response cache until then.
 */
#include "api/api.h"

#include "api/json.h"
#include "base/jsonw.h"
#include "base/text.h"
#include "domain/network.h"
#include "http/cache.h"

#include <math.h>
#include <string.h>

/*
 * Append x to b as a JSON number with up to six decimals and always a
 * decimal point ("2.0", "0.333333"), so that the value reads as a float and
 * the last bits of floating-point sums do not show.
 */
static void put_float(buf *b, double x)
{
    if (!isfinite(x) || (x > -5e-7 && x < 5e-7)) x = 0.0; /* no "-0.0" */
    char s[64];
    int n = snprintf(s, sizeof s, "%.6f", x);
    if (n <= 0 || n >= (int)sizeof s) {
        buf_puts(b, "0.0");
        return;
    }
    while (n > 2 && s[n - 1] == '0' && s[n - 2] != '.')
        n--;
    buf_append(b, s, (size_t)n);
}

/* Append a JSON array of ids. */
static void put_ids(buf *b, const long long *ids, int n)
{
    buf_putc(b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(b, i ? ",%lld" : "%lld", ids[i]);
    buf_putc(b, ']');
}

/* Write the network as the answer (200, JSON), straight into the response. */
static void write_network(struct req *r, const struct network *net)
{
    r->status = 200;
    r->content_type = "application/json";
    buf *b = &r->out;
    buf_truncate(b, 0);
    buf_puts(b, "{\"organisations\":[");
    for (int i = 0; i < net->norgs; i++) {
        const struct network_org *o = &net->orgs[i];
        buf_printf(b, "%s{\"id\":%lld,\"name\":", i ? "," : "", o->id);
        jsonw_string(b, o->name);
        buf_puts(b, ",\"sector\":");
        jsonw_string(b, o->sector);
        buf_printf(b, ",\"degree\":%d,\"cross_sector_ties\":%d,\"betweenness\":", o->degree,
                   o->cross_sector_ties);
        put_float(b, o->betweenness);
        buf_putc(b, '}');
    }
    buf_puts(b, "],\"components\":[");
    for (int i = 0; i < net->ncomponents; i++) {
        if (i) buf_putc(b, ',');
        put_ids(b, net->components[i].ids, net->components[i].n);
    }
    buf_puts(b, "],\"isolated\":");
    put_ids(b, net->isolated, net->nisolated);
    buf_puts(b, ",\"places\":[");
    for (int i = 0; i < net->nplaces; i++) {
        const struct network_place *p = &net->places[i];
        buf_printf(b, "%s{\"place_id\":%lld,\"density\":", i ? "," : "", p->place_id);
        put_float(b, p->density);
        buf_puts(b, ",\"cross_sector_share\":");
        put_float(b, p->cross_sector_share);
        buf_putc(b, '}');
    }
    buf_puts(b, "]}");
}

/*
 * GET /api/v1/network: 400 for an unknown parameter, a place_id that is
 * not a place's number or an at that is not a date; 404 for an unknown
 * place. The cache key is the path and the parameters as sent, plus the
 * date analysed when none was given (today's answer is not tomorrow's).
 */
static void api_network_get(struct req *r)
{
    struct form_field args[5];
    int n = req_query_all(r, args, 5);
    if (n == 5) {
        api_problem(r, 400, NULL, "Send at most place_id and at.");
        return;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(args[i].name, "place_id") != 0 && strcmp(args[i].name, "at") != 0)
            ctx_field_error(&r->ctx, args[i].name, "Use place_id and at, not '%s'", args[i].name);
    const char *ps = req_query(r, "place_id"), *at = req_query(r, "at");
    long long place = 0;
    if (ps && *ps && !(place = text_id(ps)))
        ctx_field_error(&r->ctx, "place_id", "The place must be a place's number, like 3");
    if (at && *at && !text_date_valid(at))
        ctx_field_error(&r->ctx, "at", "Enter the date as a real date, like 2026-11-26");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "The parameters are not right.");
        return;
    }
    result res = network_read_access(&r->ctx);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    buf key;
    buf_init(&key, r->a, 128);
    buf_puts(&key, r->path);
    for (int i = 0; i < n; i++)
        buf_printf(&key, "%c%s=%s", i ? '&' : '?', url_encode(r->a, args[i].name),
                   url_encode(r->a, args[i].value));
    if (!at || !*at) buf_printf(&key, "#%.10s", r->ctx.now_iso);
    if (resp_cache_serve(r, key.data)) return;
    struct network net;
    res = network_analyse(&r->ctx, place, at, &net);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    write_network(r, &net);
    resp_cache_store(r, key.data);
}

const struct route api_network_routes[] = {
    {"GET", "/api/v1/network", api_network_get, 0, NULL},
};
const size_t api_network_routes_len = sizeof api_network_routes / sizeof api_network_routes[0];
