/*
 * concerns.h: concerns about an organisation (safeguarding, quality,
 * capacity, data or other) and the escalation routes they travel.
 *
 * Raising. Any signed-in user raises a concern about an organisation. It is
 * routed to the person accountable for that organisation in the concern's
 * domain (table accountability: safeguarding, quality, data and capacity map
 * to the domain of the same name, other to general), else in the general
 * domain; with no line at all, to the place lead (the lowest-id active user
 * with role place_lead who leads a place the organisation serves), else to
 * the system lead (the lowest-id active user with role system_lead).
 *
 * Deadlines. Each severity has a length (settings concern.deadline.SEVERITY:
 * "4h" hours, "5d" calendar days, "1wd" working days; defaults urgent 4h,
 * high 1wd, medium 5d, low 10d). Working days are Monday to Friday in UTC;
 * there is no bank-holiday calendar yet. The owner must acknowledge the
 * concern within the length; acknowledging stops that clock and starts a
 * resolution clock of the same length from the acknowledgement.
 *
 * Escalation (concerns_escalate_due, run by the scheduler). When a deadline
 * passes with the concern open or acknowledged, it moves one level up: to
 * the person accountable in the same domain (else general) for the current
 * owner's organisation (the owner person's organisation, or the owner
 * user's organisation_id); with no such line, to the place lead of the
 * concern's organisation, then the system lead. Nobody who has owned the
 * concern before gets it again (so a chain that loops through the general
 * domain still ends). The new owner gets a fresh deadline from the
 * escalation time and the concern is open again (the new owner has not
 * acknowledged it). At the top (a system lead owns it) it stays, its
 * deadline restarts, and the owner is notified each time a deadline passes.
 *
 * Who sees a concern: whoever raised it, whoever owns or has owned it,
 * administrators and system leads (all), and place leads (concerns about
 * organisations serving a place they lead). Anyone else gets RES_NOT_FOUND,
 * so a concern's existence does not leak. Who acts on one (acknowledge,
 * resolve, close, note): its owner (the owner user, or the user linked to the
 * owner person), administrators, system leads, and place leads of the
 * organisation's places; the raiser may add notes.
 *
 * A concern's description may hold personal data (safeguarding), so reads
 * are audited like reads of people. Every change writes a concern_events row
 * and an audit entry in one transaction with it.
 */
#ifndef CHIS_CONCERNS_H
#define CHIS_CONCERNS_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "domain/scheduler.h"
#include "store/records.h"

#include <time.h>

extern const char *const concern_categories[]; /* NULL-terminated: safeguarding ... other */
extern const char *const concern_severities[]; /* NULL-terminated: low medium high urgent */
extern const char *const concern_statuses[];   /* NULL-terminated: open ... closed */

#define CONCERN_SEVERITIES 4
#define CONCERN_TEXT_MAX 4000

/* The accountability domain a category is routed in ("other" -> "general"); NULL if unknown. */
const char *concern_domain_of(const char *category);

/*
 * Raise a concern from input: organisation_id (required), service_id
 * (optional positive integer, not checked: the service directory does not
 * exist yet), category, severity, description (required). Routes it, sets
 * its deadline, writes the raised and routed events and notifies the owner.
 * RES_INVALID with field errors (nothing written), RES_UNAUTHENTICATED. *out
 * (if not NULL) is the stored concern as concern_get() shows it, in c->a.
 */
result concern_raise(struct ctx *c, rec *input, rec **out);

/*
 * One concern the actor may see (audited as a read). RES_NOT_FOUND when it
 * does not exist or the actor may not see it. The record holds id,
 * organisation_id, organisation_name, service_id, category, severity,
 * description, status, raised_by_user_id, owner_person_id, owner_user_id,
 * owner_name, escalation_level, deadline, outcome, created_at, updated_at.
 */
result concern_get(struct ctx *c, long long id, rec **out);

enum concern_queue { QUEUE_ALL = 0, QUEUE_MINE, QUEUE_RAISED };

struct concern_query {
    const char *status;   /* NULL: any */
    const char *severity; /* NULL: any */
    long long organisation_id;
    enum concern_queue queue; /* MINE: I own it now; RAISED: I raised it */
    long long page, per_page; /* 0: defaults (1, 20); per_page at most 100 */
};

/*
 * The concerns the actor may see matching q, most urgent deadline first
 * (then newest). RES_INVALID names a bad filter. Rows as concern_get().
 */
result concern_list(struct ctx *c, const struct concern_query *q, struct store_page *out);

/* Parse a queue name ("mine", "raised", "all" or empty); false if unknown. */
bool concern_queue_parse(const char *s, enum concern_queue *out);

/*
 * The concern's events in order (id, concern_id, type, at, actor,
 * owner_person_id, owner_user_id, owner_name, deadline, note), for an actor
 * who may see the concern; RES_NOT_FOUND otherwise.
 */
result concern_events(struct ctx *c, long long id, struct store_page *out);

enum concern_action { CONCERN_ACKNOWLEDGE, CONCERN_RESOLVE, CONCERN_CLOSE, CONCERN_NOTE };

/*
 * Act on a concern. text is the note (optional for acknowledge; required for
 * note) or the outcome (required for resolve and close: RES_INVALID with a
 * field error "outcome" or "note" when blank). RES_NOT_FOUND when the actor
 * may not see it, RES_FORBIDDEN when they may see but not act, RES_CONFLICT
 * when the concern's status does not allow it (the detail names the status).
 * On success *out (if not NULL) is the concern after the change.
 */
result concern_act(struct ctx *c, long long id, enum concern_action action, const char *text,
                   rec **out);

/* "acknowledge", "resolve", "close", "note". */
const char *concern_action_name(enum concern_action a);

/* What the actor may do with a concern row (as concern_get returned it), for offering forms. */
struct concern_rights {
    bool act;  /* acknowledge, resolve, close */
    bool note; /* add a note */
};
struct concern_rights concern_rights_of(struct ctx *c, const rec *concern);

/* ---- deadlines ---- */

struct concern_deadlines {
    const char *length[CONCERN_SEVERITIES]; /* in concern_severities order, e.g. "4h" */
};

/* Is spec a deadline length: 1-999 followed by h (hours), d (days) or wd (working days)? */
bool concern_length_valid(const char *spec);

/* from plus the length spec (see concern_length_valid); (time_t)-1 when spec is not valid. */
time_t concern_deadline_after(time_t from, const char *spec);

/* The configured lengths (defaults where unset). Any signed-in actor. */
result concern_deadlines_get(struct ctx *c, struct concern_deadlines *out);

/*
 * Change some lengths: input holds any of urgent, high, medium, low with a
 * length each. Administrators and system leads (and the operator). Audited
 * as an update of "settings". *out (if not NULL) is the result.
 */
result concern_deadlines_set(struct ctx *c, const rec *input, struct concern_deadlines *out);

/* ---- for the scheduler ---- */

/*
 * Move every open or acknowledged concern whose deadline is at or before
 * c->now one level up (each in its own transaction), or, at the top, restart
 * its deadline and notify the owner. Adds to report's counts and lines.
 * Operator only.
 */
result concerns_escalate_due(struct ctx *c, struct tick_report *report);

/* UTC ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" (or a date "YYYY-MM-DD", at midnight) to a time. */
bool concern_time_parse(const char *iso, time_t *out);

#endif
