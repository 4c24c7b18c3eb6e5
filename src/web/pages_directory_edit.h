/*
 * pages_directory_edit.h: what the directory management pages share
 * (pages_directory_edit.c: lists, the service's page, versions, the queue;
 * pages_directory_editor.c: the service editor; pages_directory_org.c: the
 * organization form).
 * Every page is under /directory/manage and works without JavaScript.
 */
#ifndef CHIS_PAGES_DIRECTORY_EDIT_H
#define CHIS_PAGES_DIRECTORY_EDIT_H

#include "domain/entity.h"
#include "web/layout.h"

#include <jansson.h>

#define DM_SECTION "/directory"
#define DM_BASE "/directory/manage"

/* The service id in the path (first parameter). */
const char *dm_path_id(struct req *r);

/* A JSON member as display text (numbers without trailing zeros), "" when
 * absent; in r->a. */
const char *dm_text(struct req *r, json_t *obj, const char *member);

/* A JSON value as text: strings as they are, anything else as compact JSON. */
const char *dm_value_text(struct req *r, json_t *v);

/* "19:00" for "19:00:00" (other times as they are); in r->a. */
const char *dm_time(struct req *r, const char *t);

/* "Mondays, Wednesdays" for "MO,WE" (what it does not know as it is); in r->a. */
const char *dm_days(struct req *r, const char *byday);

/* The breadcrumb back to the services list (and the service, when id). */
void dm_breadcrumbs(buf *b, const char *id, const char *name);

/* A form value trimmed, NULL when blank (in r->a). */
const char *dm_field(struct req *r, const char *name);

/* Set a text member from a form value, or remove it when blank. */
void dm_set_text(json_t *obj, const char *member, const char *v);

/* One text input with its error from fe; width a class or NULL. */
void dm_input(buf *b, const struct form_errors *fe, const char *name, const char *label,
              const char *hint, const char *value, const char *type, const char *width);

/* Every row of an entity (up to 1,000) as select options (value id, text
 * name) after a first "Not known"; *n their count. In r->a. */
struct ui_option *dm_entity_options(struct req *r, const struct entity *e, int *n);

/* A copy of opts with the one whose value is current selected. */
struct ui_option *dm_with_selected(arena *a, const struct ui_option *opts, int n,
                                   const char *current);

/* GET and POST of the editor: id NULL for a new service. */
void dm_page_new(struct req *r);
void dm_page_create(struct req *r);
void dm_page_edit(struct req *r);
void dm_page_update(struct req *r);

/* The form adding a directory organization. */
void dm_page_org_new(struct req *r);
void dm_page_org_create(struct req *r);

#endif
