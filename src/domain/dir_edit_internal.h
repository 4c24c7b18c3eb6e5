/*
 * dir_edit_internal.h: what the editing files (dir_edit*.c) share: the
 * service row they decide on, the access check, and the version table's
 * small operations. Nobody outside dir_edit*.c includes it.
 */
#ifndef CHIS_DIR_EDIT_INTERNAL_H
#define CHIS_DIR_EDIT_INTERNAL_H

#include "domain/dir_edit.h"
#include "domain/directory.h"

/* A service as the rules see it; strings in c->a. */
struct dir_svc {
    long long rid;
    const char *id, *name, *organization_id;
    const char *state;         /* "pending" (never approved) or "published" */
    const char *deleted_at;    /* NULL unless deleted */
    long long organisation_id; /* the chis organisation; 0 when none */
};

/* Load a service by HSDS id: 1 found, 0 not, or a STORE_E_* code. */
int dir_svc_load(struct ctx *c, const char *id, struct dir_svc *out);

/*
 * Find a service and check the actor may do at least `need` with it:
 * RES_UNAUTHENTICATED, RES_NOT_FOUND (absent, or the actor may not even see
 * it), RES_FORBIDDEN (sees it but may not do this). Fills *s and *level.
 */
result dir_svc_access(struct ctx *c, const char *id, enum dir_level need, struct dir_svc *s,
                      enum dir_level *level);

/* Is the actor signed in (or the operator)? Else RES_UNAUTHENTICATED set in c. */
bool dir_signed_in(struct ctx *c);

/* The service rendered from its rows without chis's state members (what a
 * version keeps). Caller owns it; NULL with *res on failure. */
json_t *dir_svc_document(struct ctx *c, const char *id, result *res);

/* The document of one version (caller owns it); NULL when there is none. */
json_t *dir_version_load(struct ctx *c, const char *id, int version);

/* The newest version in a state ("pending", "published"), 0 when none, <0 on failure. */
int dir_version_latest(struct ctx *c, const char *id, const char *state);

/*
 * Record a new version of service s (doc: kept as JSON text), after making
 * sure the service's state before the first edit is kept as a baseline
 * version. When state is "published", earlier published versions become
 * superseded and waiting ones withdrawn; when "pending", earlier waiting
 * ones are withdrawn. Sets *version. Inside the caller's transaction.
 */
result dir_version_add(struct ctx *c, const struct dir_svc *s, json_t *doc, const char *action,
                       const char *state, int *version);

/* The audit entry for a service write: after holds service_id, name,
 * version, state, action (and note when given). */
result dir_svc_audit(struct ctx *c, const char *audit_action, const struct dir_svc *s, int version,
                     const char *state, const char *vaction, const char *note);

/* {"id", "state", "version", "action", "deleted_at"} for the delete-like answers. */
json_t *dir_outcome(struct ctx *c, const char *id, const char *state, int version,
                    const char *action);

/* The actor's label for versions and decisions ("email" or "operator"). */
const char *dir_who(struct ctx *c);

/* Replace service id's document with doc as dir_edit_update does, recording
 * the version with this action ("update", "restore"). */
result dir_update_as(struct ctx *c, const char *id, json_t *doc, const char *action, json_t **out);

#endif
