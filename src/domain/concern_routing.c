/*
 * concern_routing.c: who is who (who sees a concern, who acts on it, what
 * the actor may do) and choosing a concern's owner: the first one along the
 * lines of accountability, then each one up the chain as it escalates. The
 * rules are in concerns.h.
 */
#include "domain/concerns_internal.h"

#include "domain/entity.h"
#include "domain/scope.h"

#include <string.h>

/* ---- who is who ---- */

/* See concerns_internal.h. */
bool concern_sees_all(const struct ctx *c)
{
    return scope_is_lead(c);
}

/* See concerns_internal.h. */
long long concern_my_user(const struct ctx *c)
{
    return c->actor ? c->actor->user_id : 0;
}

/* The user linked to a person (0 when none). */
static long long user_of_person(struct ctx *c, long long person_id)
{
    long long u = 0;
    if (person_id <= 0 ||
        store_query_int(c->db, &u, "SELECT user_id FROM people WHERE id = $1", "i", person_id) != 1)
        return 0;
    return u;
}

/* The user who answers for the concern now: the owner user, or the owner person's user. */
static long long owner_user(struct ctx *c, const rec *row)
{
    long long u = rec_int(row, "owner_user_id", 0);
    return u ? u : user_of_person(c, rec_int(row, "owner_person_id", 0));
}

/* Does the signed-in user answer for the concern now? */
static bool is_owner(struct ctx *c, const rec *row)
{
    long long me = concern_my_user(c);
    return me && owner_user(c, row) == me;
}

/* Has the actor owned this concern at some step (as a user or through their person)? */
static bool was_owner(struct ctx *c, long long concern_id)
{
    long long me = concern_my_user(c), one = 0;
    return me && store_query_int(c->db, &one,
                                 "SELECT 1 FROM concern_events WHERE concern_id = $1 AND"
                                 " (owner_user_id = $2 OR owner_person_id IN"
                                 " (SELECT id FROM people WHERE user_id = $2)) LIMIT 1",
                                 "ii", concern_id, me) == 1;
}

/* Is the actor a place lead of a place the organisation serves? */
static bool leads_org(struct ctx *c, long long org_id)
{
    return c->actor && c->actor->role == ROLE_PLACE_LEAD && org_in_led_place(c, org_id);
}

/* See concerns_internal.h: the owner, administrators, system leads, the place's leads. */
bool concern_may_act(struct ctx *c, const rec *row)
{
    return concern_sees_all(c) || is_owner(c, row) ||
           leads_org(c, rec_int(row, "organisation_id", 0));
}

/* Did the signed-in user raise the concern? */
static bool is_raiser(const struct ctx *c, const rec *row)
{
    long long me = concern_my_user(c);
    return me && rec_int(row, "raised_by_user_id", 0) == me;
}

/* See concerns_internal.h: whoever may act, whoever raised it, whoever owned it. */
bool concern_may_see(struct ctx *c, const rec *row)
{
    return concern_may_act(c, row) || is_raiser(c, row) || was_owner(c, rec_int(row, "id", 0));
}

/* See concerns.h. Nothing when nobody is signed in. */
struct concern_rights concern_rights_of(struct ctx *c, const rec *concern)
{
    struct concern_rights r = {false, false};
    if (!concern_signed_in(c)) return r;
    r.act = concern_may_act(c, concern);
    r.note = r.act || is_raiser(c, concern);
    return r;
}

/* ---- routing ---- */

/* The person accountable for org in domain, else in general: their id (0 when none). */
static long long accountable_person(struct ctx *c, long long org_id, const char *domain,
                                    const char **used_domain)
{
    const char *domains[2] = {domain, "general"};
    for (int i = 0; i < 2; i++) {
        long long p = 0;
        if (i == 1 && strcmp(domain, "general") == 0) break;
        if (store_query_int(c->db, &p,
                            "SELECT accountable_person_id FROM accountability"
                            " WHERE organisation_id = $1 AND domain = $2",
                            "it", org_id, domains[i]) == 1 &&
            p) {
            *used_domain = domains[i];
            return p;
        }
    }
    return 0;
}

/* A name from SQL "SELECT name ... WHERE id = $1", or a stand-in. */
static const char *name_of(struct ctx *c, const char *sql, long long id)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return "someone";
    store_bind_int(st, 1, id);
    const char *n = store_step(st) == STORE_ROW ? arena_strdup(c->a, store_col_text(st, 0)) : NULL;
    store_done(st);
    return n ? n : "someone";
}

/* A person's name (in c->a), for events and messages. */
static const char *person_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM people WHERE id = $1", id);
}

/* A user's name (in c->a). */
static const char *user_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM users WHERE id = $1", id);
}

/* An organisation's name (in c->a). */
static const char *org_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM organisations WHERE id = $1", id);
}

/* The place lead for org: the lowest-id active place lead leading a place it serves; 0 if none. */
static long long place_lead_for(struct ctx *c, long long org_id)
{
    long long u = 0;
    if (store_query_int(c->db, &u,
                        "SELECT u.id FROM users u WHERE u.role = 'place_lead' AND u.disabled = 0"
                        " AND EXISTS (SELECT 1 FROM user_places up JOIN organisation_places op"
                        " ON op.place_id = up.place_id WHERE up.user_id = u.id"
                        " AND op.organisation_id = $1) ORDER BY u.id LIMIT 1",
                        "i", org_id) != 1)
        return 0;
    return u;
}

/* The system lead: the lowest-id active user with that role; 0 if none. */
static long long system_lead(struct ctx *c)
{
    long long u = 0;
    if (store_query_int(c->db, &u,
                        "SELECT id FROM users WHERE role = 'system_lead' AND disabled = 0"
                        " ORDER BY id LIMIT 1",
                        NULL) != 1)
        return 0;
    return u;
}

/* A user's role name ("" when unknown). */
static const char *role_of_user(struct ctx *c, long long user_id)
{
    return user_id ? name_of(c, "SELECT role FROM users WHERE id = $1", user_id) : "";
}

/* Owner o as the place lead of org (false when there is none, or it is user `not`). */
static bool pick_place_lead(struct ctx *c, long long org_id, long long not_user,
                            struct concern_owner *o)
{
    long long u = place_lead_for(c, org_id);
    if (!u || u == not_user) return false;
    *o = (struct concern_owner){0, u, TIER_PLACE, user_name(c, u), NULL};
    o->how = arena_printf(c->a, "%s, place lead for %s", o->name, org_name(c, org_id));
    return true;
}

/* Owner o as the system lead (false when there is none, or it is user `not`). */
static bool pick_system_lead(struct ctx *c, long long not_user, struct concern_owner *o)
{
    long long u = system_lead(c);
    if (!u || u == not_user) return false;
    *o = (struct concern_owner){0, u, TIER_SYSTEM, user_name(c, u), NULL};
    o->how = arena_printf(c->a, "%s, system lead", o->name);
    return true;
}

/* Owner o as the person accountable for org in domain (or general). */
static bool pick_line(struct ctx *c, long long org_id, const char *domain, struct concern_owner *o)
{
    const char *used = domain;
    long long p = accountable_person(c, org_id, domain, &used);
    if (!p) return false;
    *o = (struct concern_owner){p, 0, TIER_LINE, person_name(c, p), NULL};
    o->how = arena_printf(c->a, "%s, accountable for %s at %s", o->name, used, org_name(c, org_id));
    return true;
}

/*
 * See concerns_internal.h. In order: the line of accountability, the place
 * lead, the system lead; the names in the owner belong to c->a.
 */
struct concern_owner concern_route_first(struct ctx *c, long long org_id, const char *domain)
{
    struct concern_owner o = {0, 0, TIER_NONE, NULL, "nobody: there is no system lead"};
    if (pick_line(c, org_id, domain, &o)) return o;
    if (pick_place_lead(c, org_id, 0, &o)) {
        o.how =
            arena_printf(c->a, "%s (no line of accountability for %s)", o.how, org_name(c, org_id));
        return o;
    }
    if (pick_system_lead(c, 0, &o)) {
        o.how = arena_printf(c->a, "%s (no line of accountability and no place lead)", o.how);
        return o;
    }
    return o;
}

/* Where the current owner sits in the chain. */
static enum concern_tier tier_of(struct ctx *c, const rec *row)
{
    long long person = rec_int(row, "owner_person_id", 0), user = rec_int(row, "owner_user_id", 0);
    if (!person && !user) return TIER_NONE;
    const char *role = role_of_user(c, user ? user : user_of_person(c, person));
    if (strcmp(role, "system_lead") == 0) return TIER_SYSTEM;
    if (strcmp(role, "place_lead") == 0) return TIER_PLACE;
    return person ? TIER_LINE : TIER_SYSTEM; /* we route to no other kind of user */
}

/*
 * Has this person (person_id) or user (user_id, directly or through the
 * person linked to them) owned the concern at some step?
 */
static bool owned_before(struct ctx *c, long long concern_id, long long person_id,
                         long long user_id)
{
    long long one = 0;
    return store_query_int(c->db, &one,
                           "SELECT 1 FROM concern_events WHERE concern_id = $1"
                           " AND (owner_person_id = $2 OR owner_user_id = $3 OR owner_person_id"
                           " IN (SELECT id FROM people WHERE user_id = $3)) LIMIT 1",
                           "iii", concern_id, person_id, user_id) == 1;
}

/* See concerns_internal.h. The names in *o belong to c->a. */
bool concern_route_up(struct ctx *c, const rec *row, struct concern_owner *o)
{
    long long id = rec_int(row, "id", 0), org = rec_int(row, "organisation_id", 0);
    const char *domain = concern_domain_of(rec_text(row, "category"));
    enum concern_tier t = tier_of(c, row);
    if (t == TIER_NONE) {
        *o = concern_route_first(c, org, domain);
        return o->tier != TIER_NONE;
    }
    if (t == TIER_SYSTEM) return false;
    long long person = rec_int(row, "owner_person_id", 0), user = rec_int(row, "owner_user_id", 0);
    long long current_user = owner_user(c, row);
    long long their_org = 0;
    if (person)
        their_org = organisation_of_person(c, person);
    else
        store_query_int(c->db, &their_org, "SELECT organisation_id FROM users WHERE id = $1", "i",
                        user);
    struct concern_owner next;
    if (their_org && pick_line(c, their_org, domain, &next) &&
        !owned_before(c, id, next.person_id, user_of_person(c, next.person_id))) {
        *o = next;
        return true;
    }
    if (pick_place_lead(c, org, current_user, &next) && !owned_before(c, id, 0, next.user_id)) {
        *o = next;
        return true;
    }
    return pick_system_lead(c, current_user, o);
}
