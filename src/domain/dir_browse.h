/*
 * dir_browse.h: the choices the public directory page's filters offer
 * (taxonomy terms under a parent, places and neighbourhoods). All of it is
 * public: nothing here is personal data. (One published service is
 * dir_public_service() in dir_search.h.)
 */
#ifndef CHIS_DIR_BROWSE_H
#define CHIS_DIR_BROWSE_H

#include "domain/ctx.h"

struct dir_choice {
    const char *id; /* a taxonomy term's HSDS id, or a chis id as text */
    const char *name;
    long long parent; /* a neighbourhood's place; 0 otherwise */
};

/* The taxonomy terms whose parent is parent_id, by name. Array in c->a. */
result dir_terms_under(struct ctx *c, const char *parent_id, struct dir_choice **out, int *n);

/* Every place, and every neighbourhood (parent = its place), by name. */
result dir_places(struct ctx *c, struct dir_choice **out, int *n);
result dir_neighbourhoods(struct ctx *c, struct dir_choice **out, int *n);

#endif
