/*
 * scheduler.h: work that falls due with time rather than with a request:
 * escalating concerns past their deadline, reminders of policies and sharing
 * agreements about to expire, overdue actions. Everything due as of c->now
 * runs; running it twice at the same time does nothing more (reminders are
 * deduplicated), so chis tick and the background thread can both call it.
 *
 * Each run escalates an overdue concern by one level at most: the new owner
 * gets a full deadline from the run's time, so a run long after a deadline
 * does not skip anyone in the chain.
 *
 * Reminders (each written once, deduplicated by notifications.dedupe_key):
 * - a policy whose review date is within 30 days of today, or past (the
 *   newest policy per organisation and domain): to the organisation's
 *   active provider users; key "policy-expiring:ORG:DOMAIN:REVIEWDATE:user:ID";
 * - a sharing agreement whose review date is within 30 days, or past: to
 *   every active system lead; key "sharing-review:ID:REVIEWDATE:user:ID";
 * - an action past its due date and not done: to its owner person; key
 *   "action-overdue:ID:DUEDATE".
 * "Today" is c->now's UTC date.
 */
#ifndef CHIS_SCHEDULER_H
#define CHIS_SCHEDULER_H

#include "domain/ctx.h"

struct tick_report {
    int escalated;     /* concerns moved one level up */
    int notifications; /* notifications written */
    /* What was done, one sentence each (in c->a), for chis tick to print. */
    const char **lines;
    int nlines, cap;
};

/* Run everything due as of c->now. Operator (or system) context. */
result scheduler_run(struct ctx *c, struct tick_report *out);

/* Append a sentence to the report's lines (copied into c->a). */
void tick_report_line(struct ctx *c, struct tick_report *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define SCHEDULER_REMINDER_DAYS 30

#endif
