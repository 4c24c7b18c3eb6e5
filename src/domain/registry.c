/*
 * registry.c: the kinds of record reachable by name, for the API and web
 * routes that serve them all the same way.
 */
#include "domain/registry.h"

#include "domain/accounts.h"
#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"
#include "domain/structure.h"

#include <string.h>

static const struct entity *const all_entities[] = {
    &entity_places,
    &entity_neighbourhoods,
    &entity_organisations,
    &entity_people,
    &entity_users,
    &entity_champions,
    &entity_connections,
    &entity_resources,
    &entity_strategies,
    &entity_priorities,
    &entity_alignments,
    &entity_actions,
    &entity_action_notes,
    &entity_coproduction,
    &entity_policies,
    &entity_accountability,
    &entity_sharing_agreements,
};

/* The entity whose plural name is name ("places"); NULL when none. */
const struct entity *entity_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof all_entities / sizeof all_entities[0]; i++)
        if (strcmp(all_entities[i]->name, name) == 0) return all_entities[i];
    return NULL;
}

/* The i-th entity (0-based), NULL past the end: for building route tables. */
const struct entity *entity_at(size_t i)
{
    return i < sizeof all_entities / sizeof all_entities[0] ? all_entities[i] : NULL;
}
