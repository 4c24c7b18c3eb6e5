/*
 * structure.h: the shape of the Integrated Care System: the system itself,
 * its places (usually local authority areas), neighbourhoods (usually primary
 * care network footprints), organisations (NHS, local authority, VCSE,
 * other) and the people who work in them.
 */
#ifndef CHIS_STRUCTURE_H
#define CHIS_STRUCTURE_H

#include "domain/entity.h"

extern const struct entity entity_places;
extern const struct entity entity_neighbourhoods;
extern const struct entity entity_organisations;
extern const struct entity entity_people;

extern const char *const organisation_sectors[]; /* NULL-terminated */

struct system_info {
    const char *name;
    long long organisation_id;
    const char *created_at;
};

/* The system's name and own organisation; RES_NOT_FOUND before chis init. */
result system_get(struct ctx *c, struct system_info *out);

/* Create the system row (chis init). The organisation must exist. */
result system_create(struct ctx *c, const char *name, long long organisation_id);

struct dashboard_counts {
    long long places, neighbourhoods, organisations, people, users;
    long long by_sector[4]; /* in organisation_sectors order */
    long long population;
};

/* Counts for the home page; any signed-in actor. */
result structure_counts(struct ctx *c, struct dashboard_counts *out);

#endif
