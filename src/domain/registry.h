/*
 * registry.h: every kind of record with generic create/read/update/delete.
 */
#ifndef CHIS_REGISTRY_H
#define CHIS_REGISTRY_H

#include "domain/entity.h"

#include <stddef.h>

const struct entity *entity_by_name(const char *name);
const struct entity *entity_at(size_t i);

#endif
