/*
 * examples.h: the library of illustrative examples (case studies) shipped
 * with chis, and the safe Markdown rendering of their bodies.
 */
#ifndef CHIS_EXAMPLES_H
#define CHIS_EXAMPLES_H

#include "domain/ctx.h"

/* Make sure every shipped example is in the database (by slug; idempotent). */
result examples_ensure(struct ctx *c);

#endif
