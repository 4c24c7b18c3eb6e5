/*
 * referrals_internal.h: what the referral files share and nobody else
 * needs: loading a row, the actor's sides, the capacity rule and the
 * waitlist, the governance gate. The rules themselves are described in
 * referrals.h.
 */
#ifndef CHIS_REFERRALS_INTERNAL_H
#define CHIS_REFERRALS_INTERNAL_H

#include "domain/referrals.h"

#include <stdbool.h>

#define REFERRAL_TEXT_MAX 4000
#define REFERRAL_MAX_NEEDS 32

/* The few columns that decide who sees a referral and what may happen to it. */
struct referral_core {
    long long id, participant_id, referring_org_id, receiving_org_id, episode_id;
    enum referral_status status;
    const char *service_id; /* in c->a */
    const char *sent_at;    /* in c->a; NULL until sent */
    const char *first_contact_at;
};

/* 1 with *out filled, 0 when there is no such referral, or STORE_E_*. */
int referral_core_load(struct ctx *c, long long id, struct referral_core *out);

/* The SIDE_* bits the actor acts for on a referral (0: may not see it). */
unsigned referral_sides_of(const struct ctx *c, const struct referral_core *r);

/* Is anyone signed in (or the operator at the console)? */
bool referral_signed_in(const struct ctx *c);

/*
 * The referral as referral_get describes it, without any access check or
 * audit entry: participant_name filled only when participant_access allows,
 * governance_warning added when with_warning and the receiving organisation
 * is expiring. 1 found, 0 not, or STORE_E_*. The record belongs to c->a.
 */
int referral_load(struct ctx *c, long long id, bool with_warning, rec **out);

/* Fill the computed fields of a loaded row (snomed_term, needs,
 * waitlist_position, participant_name). RES_OK or RES_INTERNAL. */
result referral_fill(struct ctx *c, rec *row);

/*
 * May referral r be accepted now? RES_OK, or RES_CONFLICT naming why
 * (the service is full, or others referred earlier are waiting).
 */
result referral_capacity_check(struct ctx *c, const struct referral_core *r);

/* Position (1 = next) of a waitlisted referral on its service's waitlist;
 * 0 when not waitlisted, negative STORE_E_* on failure. */
long long referral_waitlist_position(struct ctx *c, long long id);

/*
 * The governance gate for sending people to organisation org: RES_OK (with
 * *warning set when its policies are expiring, else NULL), or RES_INVALID
 * with the reason on field "service_id" when it is non_compliant.
 */
result referral_governance_gate(struct ctx *c, long long org, const char **warning);

/* The start of the UTC week (Monday 00:00) holding t, and the next one, as
 * ISO-8601 times in c->a. */
void referral_week_bounds(struct ctx *c, time_t t, const char **from, const char **to);

#endif
