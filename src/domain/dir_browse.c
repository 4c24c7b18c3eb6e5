/*
 * dir_browse.c: the reads behind the public directory pages (see
 * dir_browse.h). They need no actor: what they return is public.
 */
#include "domain/dir_browse.h"

#include <string.h>

/* Rows of (id, name, parent) from sql with one optional text parameter. */
static result choices(struct ctx *c, const char *sql, const char *param, struct dir_choice **out,
                      int *n)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "reading choices");
    if (param) store_bindf(st, "t", param);
    int cap = 32, rc;
    *n = 0;
    *out = arena_alloc(c->a, sizeof **out * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            struct dir_choice *more = arena_alloc(c->a, sizeof *more * (size_t)(cap *= 2));
            memcpy(more, *out, sizeof *more * (size_t)*n);
            *out = more;
        }
        (*out)[*n] =
            (struct dir_choice){arena_strdup(c->a, store_col_text(st, 0)),
                                arena_strdup(c->a, store_col_text(st, 1)), store_col_int(st, 2)};
        (*n)++;
    }
    store_done(st);
    return rc < 0 ? ctx_store_failure(c, rc, "reading choices") : RES_OK;
}

/* Terms under a parent, by name (see dir_browse.h). */
result dir_terms_under(struct ctx *c, const char *parent_id, struct dir_choice **out, int *n)
{
    return choices(c,
                   "SELECT id, name, 0 FROM dir_taxonomy_terms WHERE parent_id = $1"
                   " ORDER BY name",
                   parent_id, out, n);
}

/* Every place by name (see dir_browse.h). */
result dir_places(struct ctx *c, struct dir_choice **out, int *n)
{
    return choices(c, "SELECT CAST(id AS TEXT), name, 0 FROM places ORDER BY name", NULL, out, n);
}

/* Every neighbourhood by name, with its place (see dir_browse.h). */
result dir_neighbourhoods(struct ctx *c, struct dir_choice **out, int *n)
{
    return choices(c, "SELECT CAST(id AS TEXT), name, place_id FROM neighbourhoods ORDER BY name",
                   NULL, out, n);
}
