/*
 * dir_edit_org.c: directory organizations written by the people they
 * belong to. The rule is the services' (dir_edit_level) applied to the
 * chis organisation the directory organization is linked to, before and
 * after the write.
 */
#include "domain/dir_edit_internal.h"

#include "domain/audit.h"
#include "domain/scope.h"

#include <string.h>

/* The stored row of a directory organization: 1 found, 0 not, or STORE_E_*. */
static int org_row(struct ctx *c, const char *id, long long *rid, long long *linked)
{
    store_stmt *st = store_prepare(c->db, "SELECT rid, coalesce(organisation_id, 0)"
                                          " FROM dir_organizations WHERE id = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "t", id);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        *rid = store_col_int(st, 0);
        *linked = store_col_int(st, 1);
    }
    store_done(st);
    return rc == STORE_ROW ? 1 : rc;
}

/*
 * The chis organisation a write links to: the one asked for, else the
 * provider's own, else the existing link; leads may leave it to
 * dir_organization_store (link by name). Field error when a place lead
 * names none for a new one.
 */
static long long target_link(struct ctx *c, long long asked, bool exists, long long linked)
{
    if (asked) return asked;
    if (c->actor && !scope_is_lead(c)) {
        if (c->actor->role == ROLE_PROVIDER && c->actor->org_id) return c->actor->org_id;
        if (exists) return linked;
        ctx_field_error(c, "organisation_id", "say which chis organisation this belongs to");
    }
    return 0;
}

/* See dir_edit.h. */
result dir_edit_organization_save(struct ctx *c, json_t *org, long long organisation_id,
                                  json_t **out, bool *created)
{
    *out = NULL;
    *created = false;
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    if (!json_is_object(org)) {
        ctx_field_error(c, "organization", "an organization must be a JSON object");
        return ctx_fail(c, RES_INVALID, "The organization has errors.");
    }
    json_object_del(org, "organisation_id");
    if (organisation_id < 0) {
        ctx_field_error(c, "organisation_id", "organisation_id must be a chis organisation's id");
        return ctx_fail(c, RES_INVALID, "The organization has errors.");
    }
    json_t *idv = json_object_get(org, "id");
    const char *id = json_string_value(idv);
    if (!idv || json_is_null(idv) || (id && !*id)) {
        id = dir_uuid(c);
        json_object_set_new(org, "id", json_string(id));
    } else if (!id) {
        ctx_field_error(c, "id", "id must be text");
        return ctx_fail(c, RES_INVALID, "The organization has errors.");
    }
    id = arena_strdup(c->a, id);
    long long rid = 0, linked = 0;
    int rc = org_row(c, id, &rid, &linked);
    if (rc < 0) return ctx_store_failure(c, rc, "reading an organization");
    bool exists = rc == 1;
    if (exists && dir_edit_level(c, linked) == DIR_READ)
        return ctx_fail(c, RES_FORBIDDEN, "You can only change your own organisation's entry.");
    /* An organization's name, website and email show on every one of its
     * listed services, and a provider's changes to what the public sees
     * wait for a lead: so once it has a published service, only a lead
     * changes it. */
    if (exists && dir_edit_level(c, linked) == DIR_PROPOSE) {
        long long listed = 0;
        rc = store_query_int(c->db, &listed,
                             "SELECT EXISTS (SELECT 1 FROM dir_services WHERE organization_id = $1"
                             " AND state = 'published' AND deleted_at IS NULL)",
                             "t", id);
        if (rc < 0) return ctx_store_failure(c, rc, "reading an organization");
        if (listed)
            return ctx_fail(c, RES_FORBIDDEN,
                            "Your organisation is listed in the directory: ask a system or place"
                            " lead to change its entry.");
    }
    long long target = target_link(c, organisation_id, exists, linked);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "The organization has errors.");
    if (target && target != linked && dir_edit_level(c, target) == DIR_READ)
        return ctx_fail(c, RES_FORBIDDEN,
                        "You can only add directory entries for organisations you may act for.");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    result res = dir_organization_store(c, org, target);
    if (res == RES_OK && (rc = org_row(c, id, &rid, &linked)) != 1)
        res = ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "reading an organization");
    if (res == RES_OK) {
        rec *after = rec_new(c->a);
        rec_set_text(after, "organization_id", id);
        rec_set_text(after, "name", json_string_value(json_object_get(org, "name")));
        rec_set_int(after, "organisation_id", linked);
        res = audit_record(c, exists ? "update" : "create", "directory_organizations", rid, NULL,
                           after);
    }
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0)
        return ctx_store_failure(c, STORE_E_ERROR, "saving an organization");
    *created = !exists;
    *out = dir_organization_render(c, id, true, &res);
    return res;
}

/* See dir_edit.h. */
result dir_edit_organization_get(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    result res;
    *out = dir_organization_render(c, id, true, &res);
    return res;
}
