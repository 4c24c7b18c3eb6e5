/*
 * demo_leadership.h: the demo system's leadership, strategy and governance
 * records, loaded after its structure (places, organisations, people, users).
 */
#ifndef CHIS_DEMO_LEADERSHIP_H
#define CHIS_DEMO_LEADERSHIP_H

#include "domain/ctx.h"

/* Inside demo_load's transaction; operator context. */
result demo_load_leadership(struct ctx *c);

#endif
