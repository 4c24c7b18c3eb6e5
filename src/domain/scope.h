/*
 * scope.h: where a record sits in the system, for deciding who may change
 * it. Admins and system leads change everything; a place lead changes what
 * lies wholly in the places they lead; system-wide records are for leads.
 */
#ifndef CHIS_SCOPE_H
#define CHIS_SCOPE_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "domain/entity.h"

bool scope_is_lead(const struct ctx *c); /* admin or system lead (or the operator) */

/*
 * May the actor change something lying in these places? n == 0 means
 * system-wide. RES_OK or RES_FORBIDDEN (with a reason naming what).
 */
result scope_places(struct ctx *c, const long long *places, int n, const char *what);

/* The one place p (0 for none): shorthand for scope_places(c, &p, p != 0). */
result scope_place(struct ctx *c, long long place_id, const char *what);

long long place_of_neighbourhood(struct ctx *c, long long neighbourhood_id); /* 0 if none */
long long place_of_strategy(struct ctx *c, long long strategy_id);           /* 0: system */
long long strategy_of_priority(struct ctx *c, long long priority_id);        /* 0 if none */
const char *kind_of_strategy(struct ctx *c, long long strategy_id);          /* NULL if none */
long long place_of_action(struct ctx *c, long long action_id);               /* 0: system */
long long organisation_of_person(struct ctx *c, long long person_id);        /* 0 if none */

/* Does organisation org_id serve place place_id? */
bool org_serves_place(struct ctx *c, long long org_id, long long place_id);

/* Does organisation org_id serve a place the actor leads? */
bool org_in_led_place(struct ctx *c, long long org_id);

/* The value of field name in proposed if present there, else in existing (0 when neither). */
long long scope_field(const rec *existing, const rec *proposed, const char *name);

/* An entity_authorise_fn for records with an optional place_id column:
 * everyone signed in reads; writes are scoped by the place, before and after. */
result scope_authorise_by_place(struct ctx *c, const struct entity *e, enum op op,
                                const rec *existing, const rec *proposed);

#endif
