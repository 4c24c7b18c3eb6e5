/*
 * demo_referrals.h: the demo system's social prescribing caseload: people
 * in Riverside City referred by the demo link worker's organisation
 * (Riverside City Council) to the demo directory's services, with their
 * consent, referrals in every state, outcome measures, goals, a story,
 * attendance and messages back, all made through the domain functions so
 * they obey the same rules as real ones.
 */
#ifndef CHIS_DEMO_REFERRALS_H
#define CHIS_DEMO_REFERRALS_H

#include "domain/ctx.h"

/* How many people and referrals demo_load_referrals() adds. */
extern const int demo_participants_len;
extern const int demo_referrals_len;

/*
 * Load the caseload. Runs inside demo_load's transaction, after the
 * directory and the users, in an operator context. The clock (c->now) is
 * moved back to when each step happened and put back at the end. RES_OK, or
 * the first failure (its detail names the step).
 */
result demo_load_referrals(struct ctx *c);

#endif
