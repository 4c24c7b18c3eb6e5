/*
 * concerns_internal.h: what the pieces of the concerns module share. Not
 * for use outside src/domain/concern*.c: the public interface, and the
 * rules it follows, are in concerns.h.
 *
 *   concerns.c            the data tables, raising a concern, transitions,
 *                         the writing helpers (events, notices, checks)
 *   concern_deadlines.c   times, deadline lengths and their settings
 *   concern_read.c        loading, get, list and the event history
 *   concern_routing.c     who is who (rights) and choosing owners
 *   concern_escalation.c  moving due concerns up (the scheduler)
 */
#ifndef CHIS_CONCERNS_INTERNAL_H
#define CHIS_CONCERNS_INTERNAL_H

#include "domain/concerns.h"

#include <stdbool.h>
#include <time.h>

/* ---- concerns.c ---- */

/* The index of s in a NULL-terminated list of choices; -1 when it is not there. */
int concern_choice_index(const char *const *choices, const char *s);

/* Is someone signed in, or is it the operator (CLI) or the scheduler? */
bool concern_signed_in(const struct ctx *c);

/* Where an owner sits in the chain of escalation. */
enum concern_tier {
    TIER_NONE = -1,  /* nobody owns it */
    TIER_LINE = 0,   /* a person on a line of accountability */
    TIER_PLACE = 1,  /* a place lead */
    TIER_SYSTEM = 2, /* a system lead: the top */
};

/* Who owns a concern (a person, or a user), and why. */
struct concern_owner {
    long long person_id, user_id;
    enum concern_tier tier;
    const char *name; /* for messages */
    const char *how;  /* why this owner, for the routed or escalated event */
};

/*
 * Roll back the transaction and fail: a store failure (code STORE_E_*,
 * logged with what) or, for code 0, RES_INTERNAL (the failed call has
 * already set the ctx).
 */
result concern_fail_tx(struct ctx *c, long long code, const char *what);

/* Append an event to concern id; 0 or STORE_E_*. */
long long concern_add_event(struct ctx *c, long long id, const char *type, long long owner_person,
                            long long owner_user, const char *deadline, const char *note);

/* "safeguarding, urgent": a concern's kind for messages (in c->a). */
const char *concern_kind_text(struct ctx *c, const rec *row);

/* Notify an owner; RES_OK or RES_INTERNAL. Counts into *count when one was written. */
result concern_notify_owner(struct ctx *c, const struct concern_owner *o, long long concern_id,
                            const char *kind, const char *message, const char *key, int *count);

/* ---- concern_deadlines.c ---- */

/*
 * The deadline for a concern of this severity starting at from, as ISO text
 * in c->a. NULL with *rc a STORE_E_* code when the settings cannot be read.
 */
const char *concern_deadline_for(struct ctx *c, const char *severity, time_t from, int *rc);

/* ---- concern_read.c ---- */

/* Load concern id without any check (the row as concern_get shows it, in c->a): 1 found, 0 none,
 * or STORE_E_*. */
int concern_load(struct ctx *c, long long id, rec **out);

/* Load a concern the actor may see; RES_NOT_FOUND (leaking nothing) otherwise. */
result concern_visible(struct ctx *c, long long id, rec **out);

/* ---- concern_routing.c ---- */

/* The signed-in user's id; 0 for the operator and the scheduler. */
long long concern_my_user(const struct ctx *c);

/* Administrators, system leads and the operator see and act on every concern. */
bool concern_sees_all(const struct ctx *c);

/* May the actor acknowledge, resolve and close the concern (see concerns.h)? */
bool concern_may_act(struct ctx *c, const rec *row);

/* May the actor see the concern at all (see concerns.h)? */
bool concern_may_see(struct ctx *c, const rec *row);

/* The first owner of a new concern about org in domain. tier TIER_NONE when there is nobody. */
struct concern_owner concern_route_first(struct ctx *c, long long org_id, const char *domain);

/*
 * The next owner one level above the concern's current owner, or false at
 * the top (a system lead owns it, or there is nobody above). In order: the
 * person accountable in the domain (else general) for the current owner's
 * organisation (a person's, or a user's organisation_id); the place lead of
 * the concern's organisation; the system lead. Nobody who has owned the
 * concern before is chosen again, except the system lead, so every step
 * moves up and the chain ends.
 */
bool concern_route_up(struct ctx *c, const rec *row, struct concern_owner *o);

#endif
