/*
 * dir_org.c: directory organizations, taxonomies and taxonomy terms. An
 * HSDS organization is the directory's face of a chis organisation (the
 * record governance, compliance and referrals work from), so each one is
 * linked to exactly one, found by name or created when an import brings an
 * organisation chis has not met yet.
 */
#include "domain/dir_internal.h"

#include "domain/audit.h"

#include <string.h>

/*
 * The chis organisation a new directory organization belongs to: the one
 * with the same name (ignoring case), else a new one of sector "other",
 * audited as created by whoever is importing. Sets *out; RES_OK or
 * RES_INTERNAL.
 */
static result link_by_name(struct ctx *c, const char *name, long long *out)
{
    int rc = store_query_int(c->db, out,
                             "SELECT id FROM organisations WHERE lower(name) = lower($1)"
                             " ORDER BY id LIMIT 1",
                             "t", name);
    if (rc < 0) return ctx_store_failure(c, rc, "finding an organisation");
    if (rc == 1) return RES_OK;
    /* Then read the new id by its unique name: RETURNING made SQLite run a
     * trigger program for each insert, a third of an import's time per
     * organization (20,000 of them before any service is read). */
    long long n = store_run(c->db,
                            "INSERT INTO organisations (name, sector, created_at, updated_at)"
                            " VALUES ($1, 'other', $2, $2)",
                            "tt", name, c->now_iso);
    rc = n < 0 ? (int)n
               : store_query_int(c->db, out, "SELECT id FROM organisations WHERE name = $1", "t",
                                 name);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "adding an organisation");
    return audit_record(c, "create", "organisations", *out, NULL, NULL);
}

/* Store an HSDS organization, linked to a chis organisation (see directory.h). */
result dir_organization_store(struct ctx *c, json_t *org, long long organisation_id)
{
    if (dobj_check(c, &dir_obj_organization, org, NULL, true))
        return ctx_fail(c, RES_INVALID, "The organization has errors.");
    const char *id = json_string_value(json_object_get(org, "id"));
    const char *name = json_string_value(json_object_get(org, "name"));
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    result res = RES_OK;
    long long one;
    if (organisation_id) {
        int rc = store_query_int(c->db, &one, "SELECT 1 FROM organisations WHERE id = $1", "i",
                                 organisation_id);
        if (rc < 0) res = ctx_store_failure(c, rc, "finding an organisation");
        if (rc == 0) {
            ctx_field_error(c, "organisation_id", "there is no organisation %lld", organisation_id);
            res = ctx_fail(c, RES_INVALID, "The organization has errors.");
        }
    }
    char *created = NULL;
    long long linked = 0;
    store_stmt *st = res == RES_OK ? store_prepare(c->db, "SELECT created_at, organisation_id"
                                                          " FROM dir_organizations WHERE id = $1")
                                   : NULL;
    if (st) {
        store_bindf(st, "t", id);
        if (store_step(st) == STORE_ROW) {
            created = arena_strdup(c->a, store_col_text(st, 0));
            linked = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        }
        store_done(st);
    }
    if (res == RES_OK && !organisation_id) {
        if (linked)
            organisation_id = linked;
        else
            res = link_by_name(c, name, &organisation_id);
    }
    /* The same organization again (a feed imported twice) changes nothing:
     * no write, and no re-rendering of its services. */
    bool same = false;
    if (res == RES_OK && created && organisation_id == linked) {
        result rr;
        json_t *was = dir_organization_render(c, id, false, &rr);
        json_t *now = dobj_copy(&dir_obj_organization, org, false);
        same = was && json_equal(was, now);
        json_decref(was);
        json_decref(now);
    }
    if (res == RES_OK && !same) {
        const char *const owner[] = {"created_at",
                                     created ? created : c->now_iso,
                                     "updated_at",
                                     c->now_iso,
                                     "organisation_id",
                                     arena_printf(c->a, "%lld", organisation_id),
                                     NULL};
        int rc = dobj_write(c, &dir_obj_organization, org, owner, false);
        if (rc < 0) res = ctx_store_failure(c, rc, "storing an organization");
    }
    /* Services show their organization: a changed one changes them. */
    if (res == RES_OK && created && !same) res = dir_services_refresh_organization(c, id);
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0)
        return ctx_store_failure(c, STORE_E_ERROR, "saving an organization");
    return RES_OK;
}

/* The organization as HSDS JSON (see directory.h). */
json_t *dir_organization_render(struct ctx *c, const char *id, bool with_link, result *res)
{
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT %s, organisation_id FROM dir_organizations WHERE id = $1",
             dobj_select_list(&dir_obj_organization));
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) {
        *res = ctx_store_failure(c, STORE_E_ERROR, "reading an organization");
        return NULL;
    }
    store_bindf(st, "t", id);
    json_t *out = NULL;
    if (store_step(st) == STORE_ROW) {
        out = dobj_from_row(&dir_obj_organization, st, false);
        int col = dir_obj_organization.ncols;
        if (with_link && !store_col_null(st, col))
            json_object_set_new(out, "organisation_id", json_integer(store_col_int(st, col)));
    }
    store_done(st);
    *res = out ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "There is no organization '%s'.", id);
    return out;
}

/* Upsert a taxonomy or term by its description, in a savepoint. */
static result store_simple(struct ctx *c, const struct dobj *o, json_t *obj)
{
    if (dobj_check(c, o, obj, NULL, true))
        return ctx_fail(c, RES_INVALID, "The %s has errors.", o->what);
    if (o == &dir_obj_taxonomy_term) {
        const char *tax = json_string_value(json_object_get(obj, "taxonomy_id"));
        long long one;
        int rc = tax ? store_query_int(c->db, &one, "SELECT 1 FROM dir_taxonomies WHERE id = $1",
                                       "t", tax)
                     : 1;
        if (rc < 0) return ctx_store_failure(c, rc, "finding a taxonomy");
        if (rc == 0) {
            ctx_field_error(c, "taxonomy_id", "there is no taxonomy '%s'", tax);
            return ctx_fail(c, RES_INVALID, "The taxonomy term has errors.");
        }
    }
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    int rc = dobj_write(c, o, obj, NULL, false);
    long long n = rc;
    if (rc >= 0) {
        char sql[128];
        snprintf(sql, sizeof sql, "UPDATE %s SET updated_at = $2 WHERE id = $1", o->table);
        n = store_run(c->db, sql, "tt", json_string_value(json_object_get(obj, "id")), c->now_iso);
    }
    if (n < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "storing a taxonomy");
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "saving a taxonomy");
    return RES_OK;
}

/* Store an HSDS taxonomy (see directory.h). */
result dir_taxonomy_store(struct ctx *c, json_t *taxonomy)
{
    return store_simple(c, &dir_obj_taxonomy, taxonomy);
}

/* Store an HSDS taxonomy term (see directory.h). */
result dir_taxonomy_term_store(struct ctx *c, json_t *term)
{
    return store_simple(c, &dir_obj_taxonomy_term, term);
}

/* One row of o by id as JSON, or NULL with *res set. */
static json_t *render_simple(struct ctx *c, const struct dobj *o, const char *id, result *res)
{
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = $1", dobj_select_list(o), o->table);
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) {
        *res = ctx_store_failure(c, STORE_E_ERROR, "reading a taxonomy");
        return NULL;
    }
    store_bindf(st, "t", id);
    json_t *out = store_step(st) == STORE_ROW ? dobj_from_row(o, st, false) : NULL;
    store_done(st);
    *res = out ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "There is no %s '%s'.", o->what, id);
    return out;
}

/* The taxonomy as HSDS JSON (see directory.h). */
json_t *dir_taxonomy_render(struct ctx *c, const char *id, result *res)
{
    return render_simple(c, &dir_obj_taxonomy, id, res);
}

/* The taxonomy term as HSDS JSON (see directory.h). */
json_t *dir_taxonomy_term_render(struct ctx *c, const char *id, result *res)
{
    return render_simple(c, &dir_obj_taxonomy_term, id, res);
}
