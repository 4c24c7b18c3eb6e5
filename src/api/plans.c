/*
 * plans.c: the JSON routes of the computed leadership and strategy views
 * (domain/plans.h): champion coverage, resource totals, the alignment
 * matrix, overdue actions, an action's progress notes and a strategy's
 * co-production record. Any signed-in actor may read them.
 *
 * A query parameter the view does not take, or a bad value, is a 400
 * problem whose "errors" name the parameter. The answers are built with
 * jansson; they are small (one per system, not per record list).
 *
 * The routes /api/v1/champions/coverage and the like share their first
 * segments with /api/v1/champions/{id}: this table must be searched before
 * the generic record routes (see cli/routes.c).
 */
#include "api/api.h"

#include "api/handlers.h"
#include "api/json.h"
#include "domain/plans.h"
#include "domain/strategy.h"
#include "domain/structure.h"

#include <string.h>

/*
 * Refuse a query parameter not in names (NULL-terminated): 400 naming it.
 * True when every parameter is one the view takes.
 */
static bool known_params(struct req *r, const char *const *names)
{
    struct form_field args[9];
    int n = req_query_all(r, args, 9);
    for (int i = 0; i < n; i++) {
        bool known = false;
        for (int k = 0; names[k] && !known; k++)
            known = strcmp(args[i].name, names[k]) == 0;
        if (!known)
            ctx_field_error(&r->ctx, args[i].name, "'%s' is not a parameter of this view",
                            args[i].name);
    }
    if (n == 9) ctx_field_error(&r->ctx, "query", "Send at most 8 query parameters");
    if (r->ctx.nerrors) {
        api_problem(r, 400, NULL, "Check the query parameters.");
        return false;
    }
    return true;
}

/* A JSON id, or null for 0 (no place, no priority). */
static json_t *json_id(long long id)
{
    return id ? json_integer(id) : json_null();
}

/* A JSON string, or null for NULL. */
static json_t *json_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* {"amount_pence", "hours"} (caller owns it). */
static json_t *json_sum(const struct plan_sum *s)
{
    return json_pack("{s:I, s:I}", "amount_pence", (json_int_t)s->amount_pence, "hours",
                     (json_int_t)s->hours);
}

/*
 * GET /api/v1/champions/coverage?at=YYYY-MM-DD: the places and
 * neighbourhoods without an active champion of their own level that day.
 */
static void api_champion_coverage(struct req *r)
{
    static const char *const params[] = {"at", NULL};
    if (!known_params(r, params)) return;
    struct champion_coverage cov;
    result res = plans_champion_coverage(&r->ctx, req_query(r, "at"), &cov);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *places = json_array(), *nbs = json_array();
    for (int i = 0; i < cov.nplaces; i++)
        json_array_append_new(places, json_pack("{s:I, s:s}", "id", (json_int_t)cov.places[i].id,
                                                "name", cov.places[i].name));
    for (int i = 0; i < cov.nneighbourhoods; i++) {
        const struct plan_area *n = &cov.neighbourhoods[i];
        json_array_append_new(nbs, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)n->id, "name",
                                             n->name, "place_id", (json_int_t)n->place_id));
    }
    api_json(r, 200,
             json_pack("{s:o, s:o, s:I, s:s, s:b}", "places_without_champion", places,
                       "neighbourhoods_without_champion", nbs, "active_champions",
                       (json_int_t)cov.active_champions, "at", cov.at, "system_has_champion",
                       cov.system_has_champion));
}

/*
 * GET /api/v1/resources/totals?from=&to=: what organisations commit, by
 * place, by sector and system-wide, for resources overlapping the period.
 */
static void api_resource_totals(struct req *r)
{
    static const char *const params[] = {"from", "to", NULL};
    if (!known_params(r, params)) return;
    struct resource_totals t;
    result res = plans_resource_totals(&r->ctx, req_query(r, "from"), req_query(r, "to"), &t);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *places = json_array(), *sectors = json_array();
    for (int i = 0; i < t.nplaces; i++) {
        const struct plan_place_sum *p = &t.places[i];
        json_array_append_new(places, json_pack("{s:I, s:s, s:I, s:I}", "place_id",
                                                (json_int_t)p->place_id, "name", p->name,
                                                "amount_pence", (json_int_t)p->sum.amount_pence,
                                                "hours", (json_int_t)p->sum.hours));
    }
    for (int i = 0; i < PLANS_NSECTORS; i++)
        json_array_append_new(sectors,
                              json_pack("{s:s, s:I, s:I}", "sector", t.sectors[i].sector,
                                        "amount_pence", (json_int_t)t.sectors[i].sum.amount_pence,
                                        "hours", (json_int_t)t.sectors[i].sum.hours));
    api_json(r, 200,
             json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "from", json_text(t.from), "to",
                       json_text(t.to), "by_place", places, "by_sector", sectors, "system_wide",
                       json_sum(&t.system_wide), "total", json_sum(&t.total)));
}

/*
 * GET /api/v1/alignments/matrix?level=system|place&place_id=: the Creative
 * Health strategy's priorities (rows) against the other strategies'
 * (columns), the alignments between them, and what is left untouched.
 */
static void api_alignment_matrix(struct req *r)
{
    static const char *const params[] = {"level", "place_id", NULL};
    if (!known_params(r, params)) return;
    struct alignment_matrix m;
    result res =
        plans_alignment_matrix(&r->ctx, req_query(r, "level"), req_query(r, "place_id"), &m);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *strategies = json_array(), *rows = json_array(), *cols = json_array();
    json_t *unsupported = json_array(), *unaligned = json_array();
    for (int i = 0; i < m.nstrategies; i++)
        json_array_append_new(strategies,
                              json_pack("{s:I, s:s}", "id", (json_int_t)m.strategies[i].id, "name",
                                        m.strategies[i].name));
    int k = 0; /* cells are ordered by row */
    for (int i = 0; i < m.nrows; i++) {
        const struct plan_priority *p = &m.rows[i];
        json_t *cells = json_array();
        for (; k < m.ncells && m.cells[k].row == i; k++)
            json_array_append_new(cells,
                                  json_pack("{s:I, s:I, s:s}", "priority_id",
                                            (json_int_t)m.cols[m.cells[k].col].id, "alignment_id",
                                            (json_int_t)m.cells[k].alignment_id, "rationale",
                                            m.cells[k].rationale ? m.cells[k].rationale : ""));
        json_array_append_new(rows, json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)p->id,
                                              "title", p->title, "strategy_id",
                                              (json_int_t)p->strategy_id, "cells", cells));
        if (!p->nlinks) json_array_append_new(unaligned, json_integer(p->id));
    }
    for (int i = 0; i < m.ncols; i++) {
        const struct plan_priority *p = &m.cols[i];
        json_array_append_new(cols, json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)p->id,
                                              "title", p->title, "kind", p->kind, "strategy_id",
                                              (json_int_t)p->strategy_id, "strategy_name",
                                              p->strategy_name));
        if (!p->nlinks) json_array_append_new(unsupported, json_integer(p->id));
    }
    api_json(r, 200,
             json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "level", m.level, "place_id",
                       json_id(m.place_id), "creative_health_strategies", strategies, "rows", rows,
                       "columns", cols, "unsupported", unsupported, "unaligned", unaligned));
}

/*
 * GET /api/v1/actions/overdue?place_id=: actions past their due date and
 * not done, oldest first, with their owner and the owner's organisation.
 */
static void api_overdue_actions(struct req *r)
{
    static const char *const params[] = {"place_id", NULL};
    if (!known_params(r, params)) return;
    struct overdue_action *a;
    int n;
    result res = plans_overdue_actions(&r->ctx, req_query(r, "place_id"), &a, &n);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:I, s:I, s:s, s:I, s:s}", "id",
                             (json_int_t)a[i].id, "title", a[i].title, "place_id",
                             json_id(a[i].place_id), "place_name", json_text(a[i].place_name),
                             "priority_id", json_id(a[i].priority_id), "due_date", a[i].due_date,
                             "status", a[i].status, "days_overdue", (json_int_t)a[i].days_overdue,
                             "owner_person_id", (json_int_t)a[i].owner_person_id, "owner_name",
                             a[i].owner_name, "organisation_id", (json_int_t)a[i].organisation_id,
                             "organisation_name", a[i].organisation_name));
    char today[11];
    memcpy(today, r->ctx.now_iso, 10);
    today[10] = '\0';
    api_json(r, 200, json_pack("{s:s, s:o}", "today", today, "items", items));
}

/*
 * GET /api/v1/strategies/{id}/coproduction: the strategy's co-production
 * activities in date order, and the participants they involved by type.
 */
static void api_coproduction_record(struct req *r)
{
    static const char *const params[] = {NULL};
    long long id = api_path_id(r, 0);
    if (!id || !known_params(r, params)) return;
    struct coproduction_record cr;
    result res = plans_coproduction_record(&r->ctx, id, &cr);
    if (res != RES_OK) {
        api_read_fail(r, res);
        return;
    }
    json_t *activities = json_array(), *totals = json_object();
    for (int i = 0; i < cr.nactivities; i++) {
        const struct coproduction_activity *a = &cr.activities[i];
        json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a->id, "held_on",
                              a->held_on, "kind", a->kind, "title", a->title);
        for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
            json_object_set_new(o, coproduction_participants[k], json_integer(a->counts[k]));
        json_object_set_new(o, "what_changed", json_text(a->what_changed));
        json_array_append_new(activities, o);
    }
    for (int k = 0; k < PLANS_NPARTICIPANTS; k++)
        json_object_set_new(totals, coproduction_participants[k], json_integer(cr.totals[k]));
    json_t *strategy =
        json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)cr.strategy_id, "name", cr.name,
                  "kind", cr.kind, "level", cr.level, "place_id", json_id(cr.place_id));
    api_json(r, 200,
             json_pack("{s:o, s:o, s:o, s:I}", "strategy", strategy, "activities", activities,
                       "totals", totals, "participants", (json_int_t)cr.participants));
}

/* /actions/{id}/notes: an action's progress notes, in date order (the list of action-notes). */
static const struct entity_nest notes_nest = {&entity_action_notes, "action_id"};

const struct route api_plan_routes[] = {
    {"GET", "/api/v1/champions/coverage", api_champion_coverage, 0, NULL},
    {"GET", "/api/v1/resources/totals", api_resource_totals, 0, NULL},
    {"GET", "/api/v1/alignments/matrix", api_alignment_matrix, 0, NULL},
    {"GET", "/api/v1/actions/overdue", api_overdue_actions, 0, NULL},
    {"GET", "/api/v1/actions/{id}/notes", api_entity_list_nested, 0, &notes_nest},
    {"GET", "/api/v1/strategies/{id}/coproduction", api_coproduction_record, 0, NULL},
};

const size_t api_plan_routes_len = sizeof api_plan_routes / sizeof api_plan_routes[0];
