/*
 * leadership.h: who champions Creative Health where, how organisations are
 * connected, and what they commit to it.
 */
#ifndef CHIS_LEADERSHIP_H
#define CHIS_LEADERSHIP_H

#include "domain/entity.h"

extern const struct entity entity_champions;
extern const struct entity entity_connections;
extern const struct entity entity_resources;

extern const char *const champion_levels[];
extern const char *const connection_kinds[]; /* formal first, then informal */
extern const char *const connection_formal_kinds[];
extern const char *const resource_kinds[];

/* Is kind one of the formal connection kinds (contract, mou, ...)? */
bool connection_is_formal(const char *kind);

#endif
