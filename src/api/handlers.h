/*
 * handlers.h: the API's route handlers, gathered in routes.c.
 */
#ifndef CHIS_API_HANDLERS_H
#define CHIS_API_HANDLERS_H

#include "http/request.h"

void api_entity_list(struct req *r);
void api_entity_create(struct req *r);
void api_entity_get(struct req *r);
void api_entity_put(struct req *r);
void api_entity_patch(struct req *r);
void api_entity_delete(struct req *r);

/* Records under a parent: /api/v1/PARENT/{id}/CHILDREN, the route's data a struct entity_nest. */
struct entity;
struct entity_nest {
    const struct entity *e; /* the children */
    const char *field;      /* their column holding the parent's id */
};
void api_entity_list_nested(struct req *r);
void api_entity_create_nested(struct req *r);

void api_session_create(struct req *r);
void api_session_get(struct req *r);
void api_session_delete(struct req *r);

void api_audit_list(struct req *r);

void api_system_get(struct req *r);
void api_healthz(struct req *r);
void api_readyz(struct req *r);

#endif
