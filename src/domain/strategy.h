/*
 * strategy.h: the Creative Health strategy and the other strategies it must
 * line up with, their priorities, the links between them, action plans and
 * the record of co-production with local people.
 */
#ifndef CHIS_STRATEGY_H
#define CHIS_STRATEGY_H

#include "domain/entity.h"

extern const struct entity entity_strategies;
extern const struct entity entity_priorities;
extern const struct entity entity_alignments;
extern const struct entity entity_actions;
extern const struct entity entity_action_notes;
extern const struct entity entity_coproduction;

extern const char *const strategy_kinds[];
extern const char *const action_statuses[];
extern const char *const coproduction_kinds[];
extern const char *const coproduction_participants[]; /* the count columns, in order */

#endif
