/*
 * referrals.h: referrals from a link worker (or a provider's self-referral)
 * to a creative health service in the directory, their lifecycle, the
 * service's capacity and waitlist, and the governance gate.
 *
 * Sides. The referring organisation is the creating actor's; the receiving
 * organisation is the chis organisation that the service's directory
 * organization belongs to (dir_organizations.organisation_id). A user acts
 * for the referrer side when their organisation is the referring one, for
 * the provider side when it is the receiving one (both for a self-referral,
 * where they are the same). Nobody else sees a referral: another
 * organisation, a lead or a viewer gets RES_NOT_FOUND and learns nothing,
 * not even that it exists. The provider side does not see drafts, nor a
 * draft cancelled before it was sent. The CLI operator sees and does all.
 * Reads are audited (they carry personal data).
 *
 * Lifecycle: only the transitions in referral_transitions[] (a table, so
 * the rule is read at a glance); anything else is RES_CONFLICT with a
 * detail naming the current state. Each transition is timestamped,
 * attributed, written to referral_events and audited in one transaction.
 *
 * SNOMED CT: the first referral of an episode (the person has no other
 * open referral) carries 871731000000106 "Referral to social prescribing
 * service"; a referral declined by the person carries 871711000000103
 * "Social prescribing declined". Other referrals of an episode carry none.
 *
 * Capacity: a service may have a number of places per cohort (accepted or
 * started at once) or per week (accepted in one calendar week, Monday to
 * Sunday UTC). Accepting when the service is full, or while others who were
 * referred earlier wait, is RES_CONFLICT (waitlist it instead); the
 * waitlist is taken in order of referral (sent_at, then id).
 *
 * Governance gate: creating or sending a referral to a service whose
 * receiving organisation is non_compliant (policy_compliance) is
 * RES_INVALID with the reason on field "service_id" (422); expiring adds a
 * warning to the answer.
 */
#ifndef CHIS_REFERRALS_H
#define CHIS_REFERRALS_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "store/records.h"

#include <stdbool.h>

#define SNOMED_SP_REFERRAL "871731000000106"
#define SNOMED_SP_REFERRAL_TERM "Referral to social prescribing service"
#define SNOMED_SP_DECLINED "871711000000103"
#define SNOMED_SP_DECLINED_TERM "Social prescribing declined"

enum referral_status {
    REFERRAL_DRAFT,
    REFERRAL_SENT,
    REFERRAL_ACCEPTED,
    REFERRAL_DECLINED,
    REFERRAL_WAITLISTED,
    REFERRAL_STARTED,
    REFERRAL_COMPLETED,
    REFERRAL_DROPPED_OUT,
    REFERRAL_CANCELLED,
    REFERRAL_NSTATUS
};

const char *referral_status_name(enum referral_status s); /* "draft", ... "dropped_out" */
bool referral_status_parse(const char *s, enum referral_status *out);
bool referral_status_open(enum referral_status s); /* not declined/completed/dropped_out/cancelled */

/* Who may make a transition. */
enum referral_side { SIDE_REFERRER = 1 << 0, SIDE_PROVIDER = 1 << 1 };

struct referral_transition {
    enum referral_status from, to;
    unsigned sides;       /* SIDE_* bits */
    bool reason_required; /* declined, dropped_out, cancelled */
};
extern const struct referral_transition referral_transitions[];
extern const int referral_transitions_len;

/* The table's entry for from -> to, or NULL when the move is not allowed. */
const struct referral_transition *referral_transition_rule(enum referral_status from,
                                                           enum referral_status to);

struct referral_input {
    long long participant_id;
    const char *service_id;   /* the directory service's id */
    const char *const *needs; /* taxonomy term ids (each must exist) */
    int nneeds;
    const char *notes;
    const char *urgency; /* "routine" (default) or "urgent" */
};

/*
 * Create a draft referral. The actor must see the participant and be a
 * link worker, provider or administrator of an organisation (a provider
 * referring to its own service makes a self-referral). RES_INVALID with
 * field errors (participant_id, service_id, needs[i], urgency) or the
 * governance refusal; nothing written then. *out as referral_get().
 */
result referral_create(struct ctx *c, const struct referral_input *in, rec **out);

/*
 * One referral (audited read). Fields: id, participant_id, participant_name
 * (null when the person's data is withheld from this actor, as are then
 * notes and reason, free text about them), service_id,
 * service_name, referring_org_id, referring_org_name, receiving_org_id,
 * receiving_org_name, referrer_user_id, self_referral, status, snomed_code,
 * snomed_term, episode_id (null when it names a referral the actor may
 * not see), urgency, notes, reason, declined_by, sent_at,
 * first_contact_at, accepted_at, started_at, ended_at, waitlist_position
 * (when waitlisted), needs (comma-separated term ids), created_at,
 * updated_at; and governance_warning when the receiving organisation's
 * compliance is expiring. RES_NOT_FOUND unless the actor may see it.
 */
result referral_get(struct ctx *c, long long id, rec **out);

/*
 * The sides the actor acts for on referral id (SIDE_* bits; both for the
 * operator), and the referral's status and participant. RES_NOT_FOUND when
 * the actor may not see it. No audit entry: for other modules' checks.
 */
result referral_access(struct ctx *c, long long id, unsigned *sides,
                       enum referral_status *status, long long *participant_id);

enum referral_queue { REFERRALS_ALL = 0, REFERRALS_OUTGOING, REFERRALS_INCOMING };

struct referral_query {
    enum referral_queue queue; /* outgoing: we referred; incoming: to our services */
    const char *status;        /* NULL: any */
    const char *service_id;
    long long participant_id;
    long long page, per_page; /* 0: defaults (1, 20); at most 100 */
};

/* The referrals the actor may see matching q, newest first (rows as
 * referral_get without governance_warning); audited as one list read. */
result referral_list(struct ctx *c, const struct referral_query *q, struct store_page *out);
bool referral_queue_parse(const char *s, enum referral_queue *out);

/*
 * Move a referral to state to. reason is required for declined,
 * dropped_out and cancelled (field error "reason"). declined_by ("person"
 * or "provider") says who declined; NULL infers it: the provider side
 * declines for the provider, the referrer side for the person. RES_CONFLICT
 * names the current state when the move is not allowed (or the capacity
 * rule forbids it); RES_FORBIDDEN when the actor's side may not make it.
 * *out as referral_get().
 */
result referral_transition(struct ctx *c, long long id, const char *to, const char *reason,
                           const char *declined_by, rec **out);

/* The referral's events, oldest first: id, from_status, to_status, at,
 * actor, reason (null when the person's data is withheld from this actor). */
result referral_events(struct ctx *c, long long id, struct store_page *out);

struct service_capacity {
    const char *service_id;
    long long places; /* -1: no limit set */
    const char *period; /* "cohort" or "week"; NULL when no limit */
    long long used;     /* taken now (cohort) or this week */
    long long waitlisted;
};

/* A service's capacity and use now. Any signed-in actor (no personal data).
 * RES_NOT_FOUND for an unknown service. */
result service_capacity_get(struct ctx *c, const char *service_id, struct service_capacity *out);

/* Set a service's places and period ("cohort" or "week"); places < 0
 * removes the limit. Users of the service's organisation, administrators
 * and system leads. Audited. */
result service_capacity_set(struct ctx *c, const char *service_id, long long places,
                            const char *period, struct service_capacity *out);

#endif
