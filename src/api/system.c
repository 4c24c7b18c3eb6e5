/*
 * system.c: the system's summary and the health probes.
 */
#include "api/handlers.h"

#include "api/json.h"
#include "domain/structure.h"

/* GET /healthz: the process is up and answering. */
void api_healthz(struct req *r)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    r->status = 200;
    r->content_type = "application/json";
    r->static_body = (const unsigned char *)ok;
    r->static_len = sizeof ok - 1;
}

/* GET /readyz: the database answers and its schema is the one this binary expects. */
void api_readyz(struct req *r)
{
    int v = store_schema_version(r->ctx.db);
    int latest = store_schema_latest(r->ctx.db);
    if (v != latest) {
        api_problem(
            r, 503, NULL,
            v < 0 ? "The database cannot be read."
                  : arena_printf(r->a, "The schema is version %d; this chis needs %d.", v, latest));
        return;
    }
    api_json(r, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version", v));
}

/* GET /api/v1/system: the system's name, own organisation and counts. */
void api_system_get(struct req *r)
{
    struct system_info info;
    result res = system_get(&r->ctx, &info);
    struct dashboard_counts n;
    if (res == RES_OK) res = structure_counts(&r->ctx, &n);
    if (res != RES_OK) {
        api_fail(r, res);
        return;
    }
    json_t *sectors = json_object();
    for (int i = 0; organisation_sectors[i]; i++)
        json_object_set_new(sectors, organisation_sectors[i], json_integer(n.by_sector[i]));
    json_t *out = json_pack(
        "{s:s, s:I, s:s, s:{s:I, s:I, s:I, s:o, s:I, s:I, s:I}}", "name", info.name,
        "organisation_id", (json_int_t)info.organisation_id, "created_at", info.created_at,
        "counts", "places", (json_int_t)n.places, "neighbourhoods", (json_int_t)n.neighbourhoods,
        "organisations", (json_int_t)n.organisations, "organisations_by_sector", sectors, "people",
        (json_int_t)n.people, "users", (json_int_t)n.users, "population", (json_int_t)n.population);
    if (!info.organisation_id) json_object_set_new(out, "organisation_id", json_null());
    api_json(r, 200, out);
}
