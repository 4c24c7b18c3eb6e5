/*
 * governance.h: providers' policies, lines of accountability between
 * organisations, and information sharing agreements.
 */
#ifndef CHIS_GOVERNANCE_H
#define CHIS_GOVERNANCE_H

#include "domain/entity.h"

extern const struct entity entity_policies;
extern const struct entity entity_accountability;
extern const struct entity entity_sharing_agreements;

extern const char *const policy_domains[];          /* every domain, required ones first */
extern const char *const policy_required_domains[]; /* the four every provider must have */
extern const char *const accountability_domains[];
extern const char *const lawful_bases[];

#endif
