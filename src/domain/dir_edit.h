/*
 * dir_edit.h: editing the directory with approval. Who may change which
 * directory organization or service, the versions every change leaves
 * behind, approving and rejecting them, restoring an old version, and the
 * soft delete that can be undone for 30 days.
 *
 * Who may do what. A directory organization belongs to a chis organisation
 * (dir_organizations.organisation_id); a service to a directory
 * organization. On a service of chis organisation O:
 * - administrators, system leads and the operator PUBLISH: their writes
 *   take effect at once, and they approve or reject proposals;
 * - a place lead publishes (and approves) when O serves a place they lead;
 * - a provider PROPOSES when O is their own organisation (actor->org_id);
 * - everyone else (link workers, viewers, other providers) only reads, and
 *   only what is published and not deleted (the rest is RES_NOT_FOUND, so
 *   a pending service does not leak).
 *
 * Versions (table dir_service_versions). Every write leaves a version:
 * the full document (as dir_service_render() shows it, place_id and
 * neighbourhood_id included, state and deleted_at left out), the action
 * (create, update, delete, restore; "import" is the baseline recorded
 * before the first edit of a service that came from elsewhere), who and
 * when, and its state:
 *   published   a publisher's write, or an approved proposal: now live;
 *   superseded  was published, a later version replaced it;
 *   pending     a proposal waiting for a lead;
 *   rejected    a lead turned it down (with a note);
 *   withdrawn   a proposal that a newer write replaced before anyone
 *               decided (at most one proposal waits at a time: a new
 *               proposal carries the earlier one's changes, because a
 *               provider edits from their own latest proposal; a lead's
 *               write replaces it, which the lead's pages warn about).
 *
 * What a proposal changes. A provider's new service is stored at once with
 * state 'pending' (it exists, its id is taken, the public API does not show
 * it). Every other proposal leaves the live rows alone: it is validated by
 * storing it inside a savepoint that is rolled back, and kept only as a
 * pending version. Approving applies it: dir_service_store(PUBLISHED) (or
 * the soft delete for a delete proposal; a restore proposal of a deleted
 * service also undeletes it).
 *
 * Deleting. A publisher's delete is immediate (deleted_at set; not public);
 * a provider's is a pending 'delete' version a lead approves. Undelete
 * within 30 days of the deletion (a provider's undelete is a proposal too);
 * later, the scheduler purges the service for good (dir_edit_purge_due).
 * A deleted service cannot be changed until it is undeleted.
 *
 * Every write is audited in its transaction: entity "directory_services"
 * or "directory_organizations", the row's rid as entity_id, actions
 * create, update, delete, restore, undelete (a publisher's writes),
 * propose (a provider's), approve, reject, purge.
 */
#ifndef CHIS_DIR_EDIT_H
#define CHIS_DIR_EDIT_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "domain/scheduler.h"
#include "store/records.h"

#include <jansson.h>
#include <stdbool.h>

/* Days a deleted service can still be undeleted; then it is purged. */
#define DIR_UNDELETE_DAYS 30

enum dir_level {
    DIR_READ = 0,    /* reads what is public */
    DIR_PROPOSE = 1, /* writes become pending versions */
    DIR_PUBLISH = 2, /* writes take effect; approves and rejects */
};

/* What the actor may do with the directory entries of chis organisation
 * organisation_id (0: an entry linked to none, which only leads change). */
enum dir_level dir_edit_level(struct ctx *c, long long organisation_id);

/* What the actor may do with one service; DIR_READ also when it does not exist. */
enum dir_level dir_edit_service_level(struct ctx *c, const char *id);

/* ---- organizations ---- */

/*
 * Create or update a directory organization (an HSDS organization object;
 * a missing id is generated). organisation_id links it to a chis
 * organisation the actor may act for: 0 means the provider's own; a
 * system lead's 0 keeps the existing link or links by name (see
 * dir_organization_store). Changing the link of an existing one needs the
 * right on both. Takes effect at once for providers too (it is their own
 * organisation's face; its services still need approval). *out (caller
 * owns) is the stored organization with "organisation_id"; *created tells
 * whether it is new. RES_INVALID, RES_FORBIDDEN, RES_UNAUTHENTICATED.
 */
result dir_edit_organization_save(struct ctx *c, json_t *org, long long organisation_id,
                                  json_t **out, bool *created);

/* One directory organization with its link (anyone signed in). */
result dir_edit_organization_get(struct ctx *c, const char *id, json_t **out);

struct dir_org_query {
    const char *q; /* name contains, ignoring case; NULL: any */
    bool all;      /* every organization, not only those the actor may edit */
    long long page, per_page;
};

/* Directory organizations (rows: rid, id, name, organisation_id,
 * organisation_name, services), by name. By default those the actor may
 * edit or propose for. */
result dir_edit_organizations(struct ctx *c, const struct dir_org_query *q, struct store_page *out);

/* ---- services ---- */

/*
 * Create a service from a full HSDS document (organization_id names a
 * directory organization the actor may propose or publish for). An id that
 * is already taken is RES_CONFLICT. *out (caller owns) is the document as
 * stored in the version, with "state" ("pending" or "published") and
 * "version".
 */
result dir_edit_create(struct ctx *c, json_t *doc, json_t **out);

/* Replace a service's document with doc (its id must be id, or absent).
 * *out as dir_edit_create. RES_CONFLICT when the service is deleted. */
result dir_edit_update(struct ctx *c, const char *id, json_t *doc, json_t **out);

/* Apply an RFC 7396 merge patch to the document the actor edits from
 * (dir_edit_current) and write the result as dir_edit_update does. */
result dir_edit_patch(struct ctx *c, const char *id, json_t *patch, json_t **out);

/*
 * The live service as its editors and readers see it: dir_service_render()
 * plus "version" (the newest version that took effect, when there are
 * versions) and "pending_version" (the proposal waiting, if any).
 */
result dir_edit_get(struct ctx *c, const char *id, json_t **out);

/* The document the actor's next edit starts from: for a proposer their
 * organisation's waiting proposal when there is one, else the live one.
 * Without state and the other chis members. Caller owns it. */
result dir_edit_current(struct ctx *c, const char *id, json_t **out);

/*
 * Delete (soft) or undelete a service. *out (caller owns) is {"id", "state"
 * ("published": done; "pending": proposed), "version", "action",
 * "deleted_at" when deleted}. RES_CONFLICT when already deleted (delete),
 * not deleted or deleted more than DIR_UNDELETE_DAYS ago (undelete).
 */
result dir_edit_delete(struct ctx *c, const char *id, json_t **out);
result dir_edit_undelete(struct ctx *c, const char *id, json_t **out);

/*
 * Approve or reject a pending version (0: the one waiting). Publishers
 * only (RES_FORBIDDEN for a proposer, RES_NOT_FOUND for someone who may not
 * see it). RES_CONFLICT when that version is not pending. A rejection needs
 * a note (field "note"); an approval's note is optional. *out as
 * dir_edit_delete (with "state" the version's new state). An approval that
 * no longer validates (a taxonomy term removed since) is RES_INVALID.
 */
result dir_edit_approve(struct ctx *c, const char *id, int version, const char *note, json_t **out);
result dir_edit_reject(struct ctx *c, const char *id, int version, const char *note, json_t **out);

/* Restore an old version's document as a new version (pending for a
 * proposer, published for a publisher). *out as dir_edit_create. */
result dir_edit_restore(struct ctx *c, const char *id, int version, json_t **out);

/* A service's versions, newest first (rows: version, state, action,
 * created_at, created_by, created_by_user_id, decided_at, decided_by,
 * decision_note). Editors only: RES_FORBIDDEN for a reader of a published
 * service, RES_NOT_FOUND otherwise. */
result dir_edit_versions(struct ctx *c, const char *id, struct store_page *out);

/*
 * One version: *meta a row as dir_edit_versions, *doc its document, *diff
 * the changes from version `against` (0: the version before it that took
 * effect, else the one just before, else an empty document, the first
 * version showing everything as added), as dir_json_diff(); *against_out
 * the version compared with (0: none). Caller owns doc and diff.
 */
result dir_edit_version(struct ctx *c, const char *id, int version, int against, rec **meta,
                        json_t **doc, json_t **diff, int *against_out);

struct dir_service_query {
    const char *q;               /* name contains, ignoring case */
    const char *state;           /* "pending" (never approved), "published", NULL: any */
    bool waiting;                /* only those with a proposal waiting */
    bool deleted;                /* the deleted ones (else those not deleted) */
    const char *organization_id; /* one directory organization */
    long long page, per_page;
};

/*
 * The services the actor may edit or propose for (rows: rid, id, name,
 * status, state, organization_id, organization_name, organisation_id,
 * last_modified, deleted_at, deleted_by, version, pending_version), by
 * name. Readers get an empty page.
 */
result dir_edit_services(struct ctx *c, const struct dir_service_query *q, struct store_page *out);

/*
 * The proposals waiting for the actor (publishers only; RES_FORBIDDEN for
 * others), oldest first. Rows: service_id, service_name, service_state,
 * organization_id, organization_name, version, action, created_at,
 * created_by.
 */
result dir_edit_approvals(struct ctx *c, long long page, long long per_page,
                          struct store_page *out);

/* Purge every service deleted DIR_UNDELETE_DAYS or more before c->now (the
 * scheduler; operator only). One line per purge in the report. */
result dir_edit_purge_due(struct ctx *c, struct tick_report *report);

/* The taxonomy terms under a root term (rows: id, name, description), by
 * name: the editor's checkboxes (DIR_CH_ACTIVITY_ROOT, DIR_CH_NEED_ROOT). */
result dir_edit_terms(struct ctx *c, const char *parent_id, struct store_page *out);

/* ---- JSON documents (dir_edit_json.c) ---- */

/*
 * The field-level differences from a to b: a new array of {"path",
 * "change": "added"|"removed"|"changed", "old", "new"}. Paths name members
 * as field errors do ("schedules[1].opens_at"); list elements that are
 * objects with ids are matched by id (the path uses the new index, or the
 * old one for a removal), others by position. A null member counts as
 * absent. Top-level members that only follow from others are left out:
 * last_modified, organization (organization_id shows), fees
 * (fees_description), and chis's state, deleted_at, version,
 * pending_version.
 */
json_t *dir_json_diff(json_t *a, json_t *b);

/* target with an RFC 7396 merge patch applied: a new reference (target is
 * not changed). */
json_t *dir_json_merge_patch(json_t *target, json_t *patch);

#endif
