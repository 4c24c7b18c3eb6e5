/*
 * scheduler.h: work that falls due with time rather than with a request:
 * escalating concerns past their deadline, reminders of policies and sharing
 * agreements about to expire, overdue actions. Everything due as of c->now
 * runs; running it twice at the same time does nothing more (reminders are
 * deduplicated), so chis tick and the background thread can both call it.
 */
#ifndef CHIS_SCHEDULER_H
#define CHIS_SCHEDULER_H

#include "domain/ctx.h"

struct tick_report {
    int escalated;     /* concerns moved one level up */
    int notifications; /* notifications written */
};

/* Run everything due as of c->now. Operator (or system) context. */
result scheduler_run(struct ctx *c, struct tick_report *out);

#endif
