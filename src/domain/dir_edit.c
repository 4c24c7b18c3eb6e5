/*
 * dir_edit.c: who may change a directory service, and the writes that
 * create and change one (see dir_edit.h for the rules). A publisher's
 * write goes through dir_service_store() at once; a proposer's is validated
 * by the same call inside a savepoint that is rolled back, and kept as a
 * pending version, so a proposal that would not store is refused when it
 * is made rather than when a lead approves it.
 */
#include "domain/dir_edit_internal.h"

#include "domain/audit.h"
#include "domain/scope.h"

#include <string.h>

/* See dir_edit.h. */
enum dir_level dir_edit_level(struct ctx *c, long long organisation_id)
{
    if (c->by_operator) return DIR_PUBLISH;
    const struct actor *a = c->actor;
    if (!a) return DIR_READ;
    switch (a->role) {
    case ROLE_ADMIN:
    case ROLE_SYSTEM_LEAD:
        return DIR_PUBLISH;
    case ROLE_PLACE_LEAD:
        return organisation_id && org_in_led_place(c, organisation_id) ? DIR_PUBLISH : DIR_READ;
    case ROLE_PROVIDER:
        return organisation_id && organisation_id == a->org_id ? DIR_PROPOSE : DIR_READ;
    default:
        return DIR_READ;
    }
}

/* See dir_edit_internal.h. */
bool dir_signed_in(struct ctx *c)
{
    if (c->by_operator || c->actor) return true;
    ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first.");
    return false;
}

/* See dir_edit_internal.h. Strings belong to c->a. */
int dir_svc_load(struct ctx *c, const char *id, struct dir_svc *out)
{
    memset(out, 0, sizeof *out);
    if (!id || !*id) return 0;
    store_stmt *st = store_prepare(c->db, "SELECT s.rid, s.id, s.name, s.organization_id, s.state,"
                                          " s.deleted_at, o.organisation_id FROM dir_services s"
                                          " LEFT JOIN dir_organizations o"
                                          " ON o.id = s.organization_id WHERE s.id = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "t", id);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        out->rid = store_col_int(st, 0);
        out->id = arena_strdup(c->a, store_col_text(st, 1));
        out->name = arena_strdup(c->a, store_col_text(st, 2));
        out->organization_id = arena_strdup(c->a, store_col_text(st, 3));
        out->state = arena_strdup(c->a, store_col_text(st, 4));
        out->deleted_at = store_col_null(st, 5) ? NULL : arena_strdup(c->a, store_col_text(st, 5));
        out->organisation_id = store_col_null(st, 6) ? 0 : store_col_int(st, 6);
    }
    store_done(st);
    return rc == STORE_ROW ? 1 : rc;
}

/* See dir_edit.h. */
enum dir_level dir_edit_service_level(struct ctx *c, const char *id)
{
    struct dir_svc s;
    return dir_svc_load(c, id, &s) == 1 ? dir_edit_level(c, s.organisation_id) : DIR_READ;
}

/* See dir_edit_internal.h. */
result dir_svc_access(struct ctx *c, const char *id, enum dir_level need, struct dir_svc *s,
                      enum dir_level *level)
{
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    int rc = dir_svc_load(c, id, s);
    if (rc < 0) return ctx_store_failure(c, rc, "reading a service");
    if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no service '%s'.", id ? id : "");
    *level = dir_edit_level(c, s->organisation_id);
    bool public = strcmp(s->state, "published") == 0 && !s->deleted_at;
    if (*level == DIR_READ && !public)
        return ctx_fail(c, RES_NOT_FOUND, "There is no service '%s'.", id);
    if (*level >= need) return RES_OK;
    return ctx_fail(c, RES_FORBIDDEN,
                    need == DIR_PUBLISH
                        ? "Only a system lead, or a place lead where the organisation works,"
                          " can do this."
                        : "You can only change your own organisation's services.");
}

/* See dir_edit_internal.h. */
const char *dir_who(struct ctx *c)
{
    return actor_label(c);
}

/* Take chis's own members out of a document (they are never input). */
static void strip_chis(json_t *doc)
{
    static const char *const own[] = {"state", "deleted_at", "version", "pending_version", NULL};
    for (const char *const *k = own; *k; k++)
        json_object_del(doc, *k);
}

/* See dir_edit_internal.h. */
json_t *dir_svc_document(struct ctx *c, const char *id, result *res)
{
    json_t *doc = dir_service_render(c, id, res);
    if (doc) strip_chis(doc);
    return doc;
}

/* The directory organization a document names (organization_id, else
 * organization.id), or NULL. */
static const char *doc_organization(json_t *doc)
{
    const char *id = json_string_value(json_object_get(doc, "organization_id"));
    if (!id) id = json_string_value(json_object_get(json_object_get(doc, "organization"), "id"));
    return id && *id ? id : NULL;
}

/*
 * The level the actor has on the directory organization doc names. An
 * absent or unknown organization is RES_INVALID with every field error the
 * document has (so one answer lists them all).
 */
static result doc_level(struct ctx *c, json_t *doc, enum dir_level *level)
{
    const char *org = doc_organization(doc);
    long long linked = 0;
    int rc = org ? store_query_int(c->db, &linked,
                                   "SELECT coalesce(organisation_id, 0) FROM dir_organizations"
                                   " WHERE id = $1",
                                   "t", org)
                 : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "reading an organization");
    if (rc == 0) {
        dir_service_check(c, doc);
        if (org)
            ctx_field_error(c, "organization_id", "there is no directory organization '%s'", org);
        return ctx_fail(c, RES_INVALID, "The service has errors.");
    }
    *level = dir_edit_level(c, linked);
    return RES_OK;
}

/*
 * Checks beyond the document's own shape, before anything is written.
 * Locations are shared between services and stored by id, so naming an
 * existing location inline rewrites it: that is refused when another
 * service using it belongs to an organisation the actor may not edit.
 * A location with a postcode and no coordinates gets the postcode's.
 */
static result prepare(struct ctx *c, json_t *doc, const char *sid)
{
    int before = c->nerrors;
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        if (!json_is_object(loc)) continue;
        const char *lid = json_string_value(json_object_get(loc, "id"));
        if (lid && *lid && !scope_is_lead(c)) {
            store_stmt *st = store_prepare(c->db, "SELECT DISTINCT coalesce(o.organisation_id, 0)"
                                                  " FROM dir_service_at_locations l"
                                                  " JOIN dir_services s ON s.id = l.service_id"
                                                  " LEFT JOIN dir_organizations o"
                                                  " ON o.id = s.organization_id"
                                                  " WHERE l.location_id = $1 AND s.id <> $2");
            if (!st) return ctx_store_failure(c, STORE_E_ERROR, "reading a location");
            store_bindf(st, "tt", lid, sid ? sid : "");
            long long orgs[16];
            int n = 0;
            while (n < 16 && store_step(st) == STORE_ROW)
                orgs[n++] = store_col_int(st, 0);
            store_done(st);
            for (int k = 0; k < n; k++) {
                if (dir_edit_level(c, orgs[k]) != DIR_READ) continue;
                ctx_field_error(c, arena_printf(c->a, "service_at_locations[%zu].location.id", i),
                                "location '%s' is used by another organisation's service: link"
                                " it with location_id instead, or leave out the id to add a"
                                " new location",
                                lid);
                break;
            }
        }
        json_t *lat = json_object_get(loc, "latitude"), *lng = json_object_get(loc, "longitude");
        if ((lat && !json_is_null(lat)) || (lng && !json_is_null(lng))) continue;
        json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
        const char *pc = json_string_value(json_object_get(addr, "postal_code"));
        double y, x;
        bool approximate;
        struct ctx quiet = *c; /* an unknown postcode is no error here */
        if (pc && *pc && postcode_locate(&quiet, pc, &y, &x, &approximate) == RES_OK) {
            json_object_set_new(loc, "latitude", json_real(y));
            json_object_set_new(loc, "longitude", json_real(x));
        }
    }
    return c->nerrors > before ? ctx_fail(c, RES_INVALID, "The service has errors.") : RES_OK;
}

/* The answer for a write: the version's document with its state and number. */
static json_t *answer(json_t *doc, const char *state, int version)
{
    json_t *out = json_deep_copy(doc);
    json_object_set_new(out, "state", json_string(state));
    json_object_set_new(out, "version", json_integer(version));
    return out;
}

/* See dir_edit.h. */
result dir_edit_create(struct ctx *c, json_t *doc, json_t **out)
{
    *out = NULL;
    if (!dir_signed_in(c)) return RES_UNAUTHENTICATED;
    if (!json_is_object(doc)) {
        ctx_field_error(c, "service", "a service must be a JSON object");
        return ctx_fail(c, RES_INVALID, "The service has errors.");
    }
    strip_chis(doc);
    json_t *idv = json_object_get(doc, "id");
    const char *id = json_string_value(idv);
    if (!idv || json_is_null(idv) || (id && !*id)) {
        json_object_set_new(doc, "id", json_string(dir_uuid(c)));
    } else if (id) {
        struct dir_svc existing;
        int rc = dir_svc_load(c, id, &existing);
        if (rc < 0) return ctx_store_failure(c, rc, "reading a service");
        if (rc == 1)
            return ctx_fail(c, RES_CONFLICT,
                            "There is already a service '%s': change it with PATCH or PUT.", id);
    }
    enum dir_level level;
    result res = doc_level(c, doc, &level);
    if (res != RES_OK) return res;
    if (level == DIR_READ)
        return ctx_fail(c, RES_FORBIDDEN,
                        "You can only add services for your own organisation (or, as a place"
                        " lead, for organisations working in your places).");
    if ((res = prepare(c, doc, NULL)) != RES_OK) return res;
    const char *state = level == DIR_PUBLISH ? "published" : "pending";
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    struct dir_write_opts o = {.state = level == DIR_PUBLISH ? DIR_PUBLISHED : DIR_PENDING};
    res = dir_service_store(c, doc, &o);
    struct dir_svc s;
    json_t *stored = NULL;
    int version = 0;
    if (res == RES_OK) {
        int rc = dir_svc_load(c, json_string_value(json_object_get(doc, "id")), &s);
        if (rc != 1) res = ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "reading a service");
    }
    if (res == RES_OK) stored = dir_svc_document(c, s.id, &res);
    if (res == RES_OK) res = dir_version_add(c, &s, stored, "create", state, &version);
    if (res == RES_OK)
        res = dir_svc_audit(c, level == DIR_PUBLISH ? "create" : "propose", &s, version, state,
                            "create", NULL);
    if (res != RES_OK) {
        store_rollback(c->db);
        json_decref(stored);
        return res;
    }
    if (store_commit(c->db) != 0) {
        json_decref(stored);
        return ctx_store_failure(c, STORE_E_ERROR, "saving a service");
    }
    *out = answer(stored, state, version);
    json_decref(stored);
    return RES_OK;
}

/*
 * Write doc as a new version of existing service s with the actor's level:
 * applied at once when publishing; validated and kept as a pending version
 * when proposing. *out (caller owns) as dir_edit_create.
 */
static result write_existing(struct ctx *c, struct dir_svc *s, enum dir_level level, json_t *doc,
                             const char *action, json_t **out)
{
    result res = prepare(c, doc, s->id);
    if (res != RES_OK) return res;
    bool publish = level == DIR_PUBLISH;
    const char *state = publish ? "published" : "pending";
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    json_t *stored = NULL;
    int version = 0;
    if (publish) {
        static const struct dir_write_opts now = {.state = DIR_PUBLISHED};
        res = dir_service_store(c, doc, &now);
        if (res == RES_OK) stored = dir_svc_document(c, s->id, &res);
    } else {
        /* Store it to see that it would store, keep what it became, undo it. */
        static const struct dir_write_opts trial = {.state = DIR_PENDING};
        if (store_begin(c->db) != 0) {
            store_rollback(c->db);
            return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
        }
        res = dir_service_store(c, doc, &trial);
        if (res == RES_OK) stored = dir_svc_document(c, s->id, &res);
        store_rollback(c->db);
    }
    if (res == RES_OK) res = dir_version_add(c, s, stored, action, state, &version);
    if (res == RES_OK) {
        if (publish && json_is_string(json_object_get(stored, "name")))
            s->name = arena_strdup(c->a, json_string_value(json_object_get(stored, "name")));
        res = dir_svc_audit(c, publish ? action : "propose", s, version, state, action, NULL);
    }
    if (res != RES_OK) {
        store_rollback(c->db);
        json_decref(stored);
        return res;
    }
    if (store_commit(c->db) != 0) {
        json_decref(stored);
        return ctx_store_failure(c, STORE_E_ERROR, "saving a service");
    }
    *out = answer(stored, state, version);
    json_decref(stored);
    return RES_OK;
}

/* See dir_edit_internal.h. */
result dir_update_as(struct ctx *c, const char *id, json_t *doc, const char *action, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_PROPOSE, &s, &level);
    if (res != RES_OK) return res;
    if (s.deleted_at)
        return ctx_fail(c, RES_CONFLICT, "The service is deleted: undelete it first.");
    if (!json_is_object(doc)) {
        ctx_field_error(c, "service", "a service must be a JSON object");
        return ctx_fail(c, RES_INVALID, "The service has errors.");
    }
    strip_chis(doc);
    json_t *idv = json_object_get(doc, "id");
    if (!idv || json_is_null(idv)) {
        json_object_set_new(doc, "id", json_string(s.id));
    } else if (!json_is_string(idv) || strcmp(json_string_value(idv), s.id) != 0) {
        ctx_field_error(c, "id", "id must be the service's own ('%s')", s.id);
        return ctx_fail(c, RES_INVALID, "The service has errors.");
    }
    /* The organization it moves to must be one the actor may act for too. */
    enum dir_level to;
    if ((res = doc_level(c, doc, &to)) != RES_OK) return res;
    if (to == DIR_READ)
        return ctx_fail(c, RES_FORBIDDEN,
                        "You cannot move a service to an organisation you may not edit.");
    return write_existing(c, &s, to < level ? to : level, doc, action, out);
}

/* See dir_edit.h. */
result dir_edit_update(struct ctx *c, const char *id, json_t *doc, json_t **out)
{
    return dir_update_as(c, id, doc, "update", out);
}

/* See dir_edit.h. */
result dir_edit_current(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_READ, &s, &level);
    if (res != RES_OK) return res;
    if (level == DIR_PROPOSE) {
        int v = dir_version_latest(c, s.id, "pending");
        if (v < 0) return ctx_store_failure(c, v, "reading versions");
        long long is_delete = 0;
        if (v > 0 &&
            store_query_int(c->db, &is_delete,
                            "SELECT action = 'delete' FROM dir_service_versions"
                            " WHERE service_id = $1 AND version = $2",
                            "ti", s.id, (long long)v) == 1 &&
            !is_delete && (*out = dir_version_load(c, s.id, v)))
            return RES_OK;
    }
    *out = dir_svc_document(c, s.id, &res);
    return res;
}

/* See dir_edit.h. */
result dir_edit_patch(struct ctx *c, const char *id, json_t *patch, json_t **out)
{
    *out = NULL;
    if (!json_is_object(patch)) {
        ctx_field_error(c, "service", "a merge patch must be a JSON object");
        return ctx_fail(c, RES_INVALID, "The patch has errors.");
    }
    json_t *current = NULL;
    result res = dir_edit_current(c, id, &current);
    if (res != RES_OK) return res;
    json_t *merged = dir_json_merge_patch(current, patch);
    json_decref(current);
    res = dir_edit_update(c, id, merged, out);
    json_decref(merged);
    return res;
}

/* See dir_edit.h. */
result dir_edit_get(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_READ, &s, &level);
    if (res != RES_OK) return res;
    json_t *doc = dir_service_render(c, s.id, &res);
    if (!doc) return res;
    long long live = 0;
    if (store_query_int(c->db, &live,
                        "SELECT max(version) FROM dir_service_versions WHERE service_id = $1"
                        " AND state = 'published'",
                        "t", s.id) == 1 &&
        live > 0)
        json_object_set_new(doc, "version", json_integer(live));
    int pending = level >= DIR_PROPOSE ? dir_version_latest(c, s.id, "pending") : 0;
    if (pending > 0) json_object_set_new(doc, "pending_version", json_integer(pending));
    *out = doc;
    return RES_OK;
}
