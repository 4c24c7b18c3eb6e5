/*
 * routes.c: every API route. The generic record routes are written once
 * per kind of record with ENTITY_ROUTES.
 */
#include "api/api.h"

#include "api/handlers.h"
#include "domain/accounts.h"
#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"
#include "domain/structure.h"

#define ENTITY_ROUTES(e, path)                                                                     \
    {"GET", "/api/v1/" path, api_entity_list, 0, &e},                                              \
        {"POST", "/api/v1/" path, api_entity_create, 0, &e},                                       \
        {"GET", "/api/v1/" path "/{id}", api_entity_get, 0, &e},                                   \
        {"PUT", "/api/v1/" path "/{id}", api_entity_put, 0, &e},                                   \
        {"PATCH", "/api/v1/" path "/{id}", api_entity_patch, 0, &e},                               \
    {                                                                                              \
        "DELETE", "/api/v1/" path "/{id}", api_entity_delete, 0, &e                                \
    }

/* /strategies/{id}/priorities: the priorities of one strategy. */
static const struct entity_nest priorities_nest = {&entity_priorities, "strategy_id"};

const struct route api_routes[] = {
    {"GET", "/healthz", api_healthz, ROUTE_PUBLIC, NULL},
    {"GET", "/readyz", api_readyz, ROUTE_PUBLIC, NULL},
    {"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC, NULL},
    {"GET", "/api/v1/session", api_session_get, 0, NULL},
    {"DELETE", "/api/v1/session", api_session_delete, 0, NULL},
    {"GET", "/api/v1/system", api_system_get, 0, NULL},
    {"GET", "/api/v1/audit", api_audit_list, 0, NULL},
    ENTITY_ROUTES(entity_places, "places"),
    ENTITY_ROUTES(entity_neighbourhoods, "neighbourhoods"),
    ENTITY_ROUTES(entity_organisations, "organisations"),
    ENTITY_ROUTES(entity_people, "people"),
    ENTITY_ROUTES(entity_users, "users"),
    ENTITY_ROUTES(entity_champions, "champions"),
    ENTITY_ROUTES(entity_connections, "connections"),
    ENTITY_ROUTES(entity_resources, "resources"),
    ENTITY_ROUTES(entity_strategies, "strategies"),
    {"GET", "/api/v1/strategies/{id}/priorities", api_entity_list_nested, 0, &priorities_nest},
    {"POST", "/api/v1/strategies/{id}/priorities", api_entity_create_nested, 0, &priorities_nest},
    ENTITY_ROUTES(entity_priorities, "priorities"),
    ENTITY_ROUTES(entity_alignments, "alignments"),
    ENTITY_ROUTES(entity_actions, "actions"),
    ENTITY_ROUTES(entity_action_notes, "action-notes"),
    ENTITY_ROUTES(entity_coproduction, "coproduction"),
    ENTITY_ROUTES(entity_policies, "policies"),
    ENTITY_ROUTES(entity_accountability, "accountability"),
    ENTITY_ROUTES(entity_sharing_agreements, "sharing-agreements"),
};

const size_t api_routes_len = sizeof api_routes / sizeof api_routes[0];
