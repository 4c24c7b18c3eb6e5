/*
 * examples.h: the library of illustrative examples (case studies) shipped
 * with chis, and the safe Markdown rendering of their bodies.
 *
 * An example has a slug (its lasting name), a title, the system and place
 * it comes from, the toolkit actions it illustrates and a body written in
 * Markdown. The domain stores and validates the Markdown; turning it into
 * HTML comes from the renderer in base/markdown.h.
 *
 * Access: everyone signed in reads; admins and system leads add and
 * change examples. Every write is audited.
 */
#ifndef CHIS_EXAMPLES_H
#define CHIS_EXAMPLES_H

#include "domain/ctx.h"
#include "domain/entity.h"

#include <stdbool.h>
#include <stddef.h>

/* One example shipped with chis (the texts are in examples_data.c). */
struct shipped_example {
    const char *slug;
    const char *title;
    const char *system_name;
    const char *place_name; /* NULL: the example is about the whole system */
    const char *illustrates;
    const char *body_markdown;
};

extern const struct shipped_example shipped_examples[];
extern const size_t shipped_examples_len;

/* The kind of record (not in the generic registry: its pages and routes are its own). */
extern const struct entity entity_examples;

#define EXAMPLE_BODY_MAX 20000 /* characters of Markdown */

/*
 * Make sure every shipped example is in the database (by slug; idempotent).
 * An example already there is left as it is, even if it has been edited.
 * Runs as the operator (chis calls it whenever it opens a database).
 */
result examples_ensure(struct ctx *c);

/* May the actor add and change examples? For deciding what to offer; the writes check again. */
bool examples_may_write(const struct ctx *c);

#endif
