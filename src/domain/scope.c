/*
 * scope.c: small lookups from a record to the places it lies in, and the
 * one rule that turns places into permission.
 */
#include "domain/scope.h"

bool scope_is_lead(const struct ctx *c)
{
    return c->by_operator ||
           (c->actor && (c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_SYSTEM_LEAD));
}

result scope_places(struct ctx *c, const long long *places, int n, const char *what)
{
    if (scope_is_lead(c)) return RES_OK;
    if (!c->actor || c->actor->role != ROLE_PLACE_LEAD) return RES_FORBIDDEN;
    if (n == 0) return ctx_fail(c, RES_FORBIDDEN, "Only system leads change system-wide %s", what);
    for (int i = 0; i < n; i++)
        if (!actor_leads_place(c->actor, places[i]))
            return ctx_fail(c, RES_FORBIDDEN, "You can only change %s in places you lead", what);
    return RES_OK;
}

result scope_place(struct ctx *c, long long place_id, const char *what)
{
    return scope_places(c, &place_id, place_id ? 1 : 0, what);
}

static long long lookup(struct ctx *c, const char *sql, long long id)
{
    long long v = 0;
    if (id <= 0 || store_query_int(c->db, &v, sql, "i", id) != 1) return 0;
    return v;
}

long long place_of_neighbourhood(struct ctx *c, long long id)
{
    return lookup(c, "SELECT place_id FROM neighbourhoods WHERE id = $1", id);
}

long long place_of_strategy(struct ctx *c, long long id)
{
    return lookup(c, "SELECT place_id FROM strategies WHERE id = $1", id);
}

long long strategy_of_priority(struct ctx *c, long long id)
{
    return lookup(c, "SELECT strategy_id FROM priorities WHERE id = $1", id);
}

long long place_of_action(struct ctx *c, long long id)
{
    return lookup(c, "SELECT place_id FROM actions WHERE id = $1", id);
}

long long organisation_of_person(struct ctx *c, long long id)
{
    return lookup(c, "SELECT organisation_id FROM people WHERE id = $1", id);
}

const char *kind_of_strategy(struct ctx *c, long long id)
{
    store_stmt *st = store_prepare(c->db, "SELECT kind FROM strategies WHERE id = $1");
    if (!st) return NULL;
    store_bind_int(st, 1, id);
    const char *kind =
        store_step(st) == STORE_ROW ? arena_strdup(c->a, store_col_text(st, 0)) : NULL;
    store_done(st);
    return kind;
}

bool org_serves_place(struct ctx *c, long long org_id, long long place_id)
{
    long long one = 0;
    return store_query_int(c->db, &one,
                           "SELECT 1 FROM organisation_places WHERE organisation_id = $1"
                           " AND place_id = $2",
                           "ii", org_id, place_id) == 1;
}

bool org_in_led_place(struct ctx *c, long long org_id)
{
    if (!c->actor) return false;
    for (int i = 0; i < c->actor->nplaces; i++) {
        long long one = 0;
        if (store_query_int(c->db, &one,
                            "SELECT 1 FROM organisation_places WHERE organisation_id = $1"
                            " AND place_id = $2",
                            "ii", org_id, c->actor->place_ids[i]) == 1)
            return true;
    }
    return false;
}

long long scope_field(const rec *existing, const rec *proposed, const char *name)
{
    if (proposed && rec_has(proposed, name)) return rec_int(proposed, name, 0);
    return existing ? rec_int(existing, name, 0) : 0;
}

result scope_authorise_by_place(struct ctx *c, const struct entity *e, enum op op,
                                const rec *existing, const rec *proposed)
{
    if (op == OP_READ) return RES_OK;
    if (existing) {
        result r = scope_place(c, rec_int(existing, "place_id", 0), e->name);
        if (r != RES_OK) return r;
    }
    return proposed ? scope_place(c, scope_field(existing, proposed, "place_id"), e->name) : RES_OK;
}
