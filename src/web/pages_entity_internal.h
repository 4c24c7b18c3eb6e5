/*
 * pages_entity_internal.h: what the pieces of the record pages share. Not
 * for use outside src/web/pages_entity*.c and src/web/entity_form.c.
 *
 *   pages_entity.c       the handlers: list (with its filters), show, add,
 *                        change and delete
 *   pages_entity_view.c  showing values, and the names of referenced rows
 *   entity_form.c        the add and change form, and the record it posts
 *
 * Everything written goes through H(), and belongs to the request arena.
 */
#ifndef CHIS_WEB_PAGES_ENTITY_INTERNAL_H
#define CHIS_WEB_PAGES_ENTITY_INTERNAL_H

#include "domain/registry.h"
#include "web/layout.h"

#include <stdbool.h>

struct ref_name; /* pages_entity_view.c: a cached name of a referenced row */

/* What one page render needs besides the request: the lookup cache. */
struct entity_view {
    struct req *r;
    struct ref_name *names;
};

/* ---- pages_entity_view.c ---- */

/* The row's name, else its email address, else NULL. Owned by the row. */
const char *entity_view_row_title(const rec *row);

/*
 * Would the entity's rule let the actor do op on row? Asked only to decide
 * what to offer: the domain asks again when it is done. The ctx is left as
 * it was, so a refusal here leaves no message behind.
 */
bool entity_view_may(struct req *r, const struct entity *e, enum op op, const rec *row);

/*
 * The name of row id of entity e for display, NULL when it does not exist
 * or is personal data the actor may not read. Cached per request.
 */
const char *entity_view_ref_title(struct entity_view *v, const struct entity *e, long long id);

/*
 * Show one value: as a cell in a list (full false) or in full on a
 * record's page (links for web addresses and email, one line per line).
 */
void entity_view_render_value(struct entity_view *v, buf *b, const struct field_rule *f,
                              const struct val *val, bool full);

/*
 * The rows of entity e as select options (value = id, text = name), up to
 * one list page of the most allowed. -1 when the actor may not list them.
 * The ctx is left as it was.
 */
int entity_view_ref_options(struct entity_view *v, const struct entity *e, struct ui_option **out);

/* ---- entity_form.c ---- */

/* Where a form's values come from. */
enum form_source { FROM_NOTHING, FROM_ROW, FROM_POST };

struct form_values {
    enum form_source from;
    const rec *row; /* FROM_ROW */
};

/*
 * The add or change form (id 0: add), with values from fv and the failure
 * in fe shown as an error summary and messages by each field.
 */
void entity_form_render(struct req *r, const struct entity *e, long long id,
                        const struct form_values *fv, const char *record_name, int status,
                        const struct form_errors *fe);

/*
 * The record the submitted form describes: every field the form shows, as
 * the domain's form coercion reads it. Unticked boxes are false and an empty
 * set of checkboxes is the empty set (browsers send nothing for them). Blank
 * extra inputs (a password on a change) are left out.
 */
rec *entity_form_posted(struct req *r, const struct entity *e);

#endif
