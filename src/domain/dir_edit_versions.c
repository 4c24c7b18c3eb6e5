/*
 * dir_edit_versions.c: the version table and what moves a service between
 * its states: approving and rejecting proposals, restoring an old version,
 * deleting, undeleting and, 30 days after a deletion, purging (see
 * dir_edit.h for the rules).
 */
#include "domain/dir_edit_internal.h"

#include "base/date.h"
#include "domain/audit.h"

#include <stdlib.h>
#include <string.h>

/* See dir_edit_internal.h. */
int dir_version_latest(struct ctx *c, const char *id, const char *state)
{
    long long v = 0;
    int rc = store_query_int(c->db, &v,
                             "SELECT coalesce(max(version), 0) FROM dir_service_versions"
                             " WHERE service_id = $1 AND state = $2",
                             "tt", id, state);
    return rc < 0 ? rc : (int)v;
}

/* See dir_edit_internal.h. */
json_t *dir_version_load(struct ctx *c, const char *id, int version)
{
    store_stmt *st = store_prepare(c->db, "SELECT document FROM dir_service_versions"
                                          " WHERE service_id = $1 AND version = $2");
    if (!st) return NULL;
    store_bindf(st, "ti", id, (long long)version);
    json_t *doc = NULL;
    if (store_step(st) == STORE_ROW) doc = json_loads(store_col_text(st, 0), 0, NULL);
    store_done(st);
    return doc;
}

/*
 * The first edit of a service that came from elsewhere (an import, the
 * demo) keeps what it was as version 1, so that edit has something to be
 * compared with and restored to.
 */
static result baseline(struct ctx *c, const struct dir_svc *s)
{
    long long n = 0;
    int rc = store_query_int(
        c->db, &n, "SELECT count(*) FROM dir_service_versions WHERE service_id = $1", "t", s->id);
    if (rc < 0) return ctx_store_failure(c, rc, "reading versions");
    if (n > 0) return RES_OK;
    result res;
    json_t *doc = dir_svc_document(c, s->id, &res);
    if (!doc) return res;
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    long long w = store_run(c->db,
                            "INSERT INTO dir_service_versions (service_id, version, state, action,"
                            " document, created_at, created_by) SELECT id, 1,"
                            " CASE WHEN state = 'published' THEN 'published' ELSE 'withdrawn' END,"
                            " 'import', $2, CASE WHEN updated_at = '' THEN last_modified"
                            " ELSE updated_at END, 'import' FROM dir_services WHERE id = $1",
                            "tt", s->id, text);
    free(text);
    return w < 0 ? ctx_store_failure(c, w, "keeping a service's first version") : RES_OK;
}

/*
 * After version `version` of service id took effect (published) or was
 * proposed: earlier published versions are superseded (when published) and
 * the other waiting ones withdrawn, noting which version replaced them.
 */
static result close_others(struct ctx *c, const char *id, int version, bool published)
{
    long long n = 0;
    if (published)
        n = store_run(c->db,
                      "UPDATE dir_service_versions SET state = 'superseded' WHERE service_id = $1"
                      " AND state = 'published' AND version <> $2",
                      "ti", id, (long long)version);
    if (n >= 0)
        n = store_run(c->db,
                      "UPDATE dir_service_versions SET state = 'withdrawn', decided_at = $3,"
                      " decided_by = $4, decision_note = $5 WHERE service_id = $1"
                      " AND state = 'pending' AND version <> $2",
                      "tittt", id, (long long)version, c->now_iso, dir_who(c),
                      arena_printf(c->a, "Replaced by version %d.", version));
    return n < 0 ? ctx_store_failure(c, n, "updating versions") : RES_OK;
}

/* See dir_edit_internal.h. */
result dir_version_add(struct ctx *c, const struct dir_svc *s, json_t *doc, const char *action,
                       const char *state, int *version)
{
    result res = strcmp(action, "create") == 0 ? RES_OK : baseline(c, s);
    if (res != RES_OK) return res;
    long long last = 0;
    int rc = store_query_int(c->db, &last,
                             "SELECT coalesce(max(version), 0) FROM dir_service_versions"
                             " WHERE service_id = $1",
                             "t", s->id);
    if (rc < 0) return ctx_store_failure(c, rc, "reading versions");
    *version = (int)last + 1;
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    long long n = store_run(c->db,
                            "INSERT INTO dir_service_versions (service_id, version, state, action,"
                            " document, created_at, created_by, created_by_user_id)"
                            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            "titttttI", s->id, (long long)*version, state, action, text, c->now_iso,
                            dir_who(c), c->actor ? c->actor->user_id : 0LL);
    free(text);
    if (n < 0) return ctx_store_failure(c, n, "keeping a version");
    return close_others(c, s->id, *version, strcmp(state, "published") == 0);
}

/* See dir_edit_internal.h. */
result dir_svc_audit(struct ctx *c, const char *audit_action, const struct dir_svc *s, int version,
                     const char *state, const char *vaction, const char *note)
{
    rec *after = rec_new(c->a);
    rec_set_text(after, "service_id", s->id);
    rec_set_text(after, "name", s->name);
    rec_set_text(after, "organization_id", s->organization_id);
    if (version) rec_set_int(after, "version", version);
    rec_set_text(after, "state", state);
    rec_set_text(after, "action", vaction);
    if (note) rec_set_text(after, "note", note);
    return audit_record(c, audit_action, "directory_services", s->rid, NULL, after);
}

/* See dir_edit_internal.h. */
json_t *dir_outcome(struct ctx *c, const char *id, const char *state, int version,
                    const char *action)
{
    json_t *out = json_object();
    json_object_set_new(out, "id", json_string(id));
    json_object_set_new(out, "state", json_string(state));
    json_object_set_new(out, "version", json_integer(version));
    json_object_set_new(out, "action", json_string(action));
    struct dir_svc s;
    if (dir_svc_load(c, id, &s) == 1 && s.deleted_at)
        json_object_set_new(out, "deleted_at", json_string(s.deleted_at));
    return out;
}

/* Finish a transaction begun by the caller: commit on success, else roll back. */
static result finish(struct ctx *c, result res)
{
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "saving a service");
    return RES_OK;
}

/* Could a service deleted at deleted_at still be undeleted now? */
static bool within_undelete_window(struct ctx *c, const char *deleted_at)
{
    const char *cutoff = date_offset(c->a, c->now, -DIR_UNDELETE_DAYS, true);
    return strcmp(deleted_at, cutoff) > 0;
}

/*
 * Make the service's rows say doc, published, and undeleted when it was
 * deleted: what a publisher's undelete and an approved restore of a deleted
 * service do.
 */
static result publish_doc(struct ctx *c, const struct dir_svc *s, json_t *doc)
{
    static const struct dir_write_opts now = {.state = DIR_PUBLISHED};
    result res = dir_service_store(c, doc, &now);
    if (res == RES_OK && s->deleted_at) res = dir_service_set_deleted(c, s->id, false);
    return res;
}

/* See dir_edit.h. */
result dir_edit_delete(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_PROPOSE, &s, &level);
    if (res != RES_OK) return res;
    if (s.deleted_at) return ctx_fail(c, RES_CONFLICT, "The service is already deleted.");
    bool publish = level == DIR_PUBLISH;
    const char *state = publish ? "published" : "pending";
    json_t *doc = dir_svc_document(c, s.id, &res);
    if (!doc) return res;
    int version = 0;
    if (store_begin(c->db) != 0) {
        json_decref(doc);
        return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    }
    res = dir_version_add(c, &s, doc, "delete", state, &version);
    if (res == RES_OK && publish) res = dir_service_set_deleted(c, s.id, true);
    if (res == RES_OK)
        res = dir_svc_audit(c, publish ? "delete" : "propose", &s, version, state, "delete", NULL);
    json_decref(doc);
    if ((res = finish(c, res)) != RES_OK) return res;
    *out = dir_outcome(c, s.id, state, version, "delete");
    return RES_OK;
}

/* See dir_edit.h. */
result dir_edit_undelete(struct ctx *c, const char *id, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_PROPOSE, &s, &level);
    if (res != RES_OK) return res;
    if (!s.deleted_at) return ctx_fail(c, RES_CONFLICT, "The service is not deleted.");
    if (!within_undelete_window(c, s.deleted_at))
        return ctx_fail(c, RES_CONFLICT,
                        "The service was deleted on %.10s, more than %d days ago, and can no"
                        " longer be restored.",
                        s.deleted_at, DIR_UNDELETE_DAYS);
    bool publish = level == DIR_PUBLISH;
    const char *state = publish ? "published" : "pending";
    json_t *doc = dir_svc_document(c, s.id, &res);
    if (!doc) return res;
    int version = 0;
    if (store_begin(c->db) != 0) {
        json_decref(doc);
        return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    }
    if (publish) {
        res = publish_doc(c, &s, doc);
        json_decref(doc);
        doc = res == RES_OK ? dir_svc_document(c, s.id, &res) : NULL;
    }
    if (res == RES_OK) res = dir_version_add(c, &s, doc, "restore", state, &version);
    if (res == RES_OK)
        res =
            dir_svc_audit(c, publish ? "undelete" : "propose", &s, version, state, "restore", NULL);
    json_decref(doc);
    if ((res = finish(c, res)) != RES_OK) return res;
    *out = dir_outcome(c, s.id, state, version, "restore");
    return RES_OK;
}

/* A version's state and action (in c->a): 1 found, 0 not, or STORE_E_*. */
static int version_meta(struct ctx *c, const char *id, int version, const char **state,
                        const char **action)
{
    store_stmt *st = store_prepare(c->db, "SELECT state, action FROM dir_service_versions"
                                          " WHERE service_id = $1 AND version = $2");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "ti", id, (long long)version);
    int rc = store_step(st);
    if (rc == STORE_ROW) {
        *state = arena_strdup(c->a, store_col_text(st, 0));
        *action = arena_strdup(c->a, store_col_text(st, 1));
    }
    store_done(st);
    return rc == STORE_ROW ? 1 : rc;
}

/*
 * The waiting version a decision is about (version, or the one waiting when
 * 0) for a publisher: RES_NOT_FOUND, or RES_CONFLICT when it is not waiting.
 */
static result decidable(struct ctx *c, const char *id, int *version, struct dir_svc *s,
                        const char **action)
{
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_PUBLISH, s, &level);
    if (res != RES_OK) return res;
    if (*version == 0) {
        int v = dir_version_latest(c, s->id, "pending");
        if (v < 0) return ctx_store_failure(c, v, "reading versions");
        if (v == 0) return ctx_fail(c, RES_CONFLICT, "No change to this service is waiting.");
        *version = v;
    }
    const char *state = NULL;
    int rc = version_meta(c, s->id, *version, &state, action);
    if (rc < 0) return ctx_store_failure(c, rc, "reading a version");
    if (rc == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no version %d of this service.", *version);
    if (strcmp(state, "pending") != 0)
        return ctx_fail(c, RES_CONFLICT, "Version %d is %s, not waiting for a decision.", *version,
                        state);
    return RES_OK;
}

/* See dir_edit.h. */
result dir_edit_approve(struct ctx *c, const char *id, int version, const char *note, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    const char *action = NULL;
    result res = decidable(c, id, &version, &s, &action);
    if (res != RES_OK) return res;
    bool deleting = strcmp(action, "delete") == 0;
    if (s.deleted_at && !deleting && strcmp(action, "restore") != 0)
        return ctx_fail(c, RES_CONFLICT, "The service is deleted: undelete it first.");
    if (s.deleted_at && !deleting && !within_undelete_window(c, s.deleted_at))
        return ctx_fail(c, RES_CONFLICT,
                        "The service was deleted more than %d days ago and can no longer be"
                        " restored.",
                        DIR_UNDELETE_DAYS);
    json_t *doc = deleting ? NULL : dir_version_load(c, s.id, version);
    if (!deleting && !doc) return ctx_store_failure(c, STORE_E_ERROR, "reading a version");
    if (store_begin(c->db) != 0) {
        json_decref(doc);
        return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    }
    if (deleting)
        res = s.deleted_at ? RES_OK : dir_service_set_deleted(c, s.id, true);
    else
        res = publish_doc(c, &s, doc);
    json_decref(doc);
    if (res == RES_OK) {
        long long n = store_run(c->db,
                                "UPDATE dir_service_versions SET state = 'published',"
                                " decided_at = $3, decided_by = $4, decision_note = $5"
                                " WHERE service_id = $1 AND version = $2",
                                "tittt", s.id, (long long)version, c->now_iso, dir_who(c),
                                note && *note ? note : NULL);
        if (n < 0) res = ctx_store_failure(c, n, "approving a version");
    }
    if (res == RES_OK) res = close_others(c, s.id, version, true);
    if (res == RES_OK) res = dir_svc_audit(c, "approve", &s, version, "published", action, note);
    if ((res = finish(c, res)) != RES_OK) return res;
    *out = dir_outcome(c, s.id, "published", version, action);
    return RES_OK;
}

/* See dir_edit.h. */
result dir_edit_reject(struct ctx *c, const char *id, int version, const char *note, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    const char *action = NULL;
    result res = decidable(c, id, &version, &s, &action);
    if (res != RES_OK) return res;
    if (!note || !*note) {
        ctx_field_error(c, "note", "Say why the change is rejected");
        return ctx_fail(c, RES_INVALID, "A rejection needs a note.");
    }
    if (strlen(note) > 4000) {
        ctx_field_error(c, "note", "The note must be at most 4,000 characters");
        return ctx_fail(c, RES_INVALID, "The note is too long.");
    }
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    long long n = store_run(c->db,
                            "UPDATE dir_service_versions SET state = 'rejected', decided_at = $3,"
                            " decided_by = $4, decision_note = $5 WHERE service_id = $1"
                            " AND version = $2",
                            "tittt", s.id, (long long)version, c->now_iso, dir_who(c), note);
    res = n < 0 ? ctx_store_failure(c, n, "rejecting a version") : RES_OK;
    if (res == RES_OK) res = dir_svc_audit(c, "reject", &s, version, "rejected", action, note);
    if ((res = finish(c, res)) != RES_OK) return res;
    *out = dir_outcome(c, s.id, "rejected", version, action);
    return RES_OK;
}

/* See dir_edit.h. */
result dir_edit_restore(struct ctx *c, const char *id, int version, json_t **out)
{
    *out = NULL;
    struct dir_svc s;
    enum dir_level level;
    result res = dir_svc_access(c, id, DIR_PROPOSE, &s, &level);
    if (res != RES_OK) return res;
    json_t *doc = dir_version_load(c, s.id, version);
    if (!doc) return ctx_fail(c, RES_NOT_FOUND, "There is no version %d of this service.", version);
    res = dir_update_as(c, s.id, doc, "restore", out);
    json_decref(doc);
    return res;
}

/* See dir_edit.h. */
result dir_edit_purge_due(struct ctx *c, struct tick_report *report)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator purges services.");
    const char *cutoff = date_offset(c->a, c->now, -DIR_UNDELETE_DAYS, true);
    store_stmt *st = store_prepare(c->db, "SELECT id FROM dir_services WHERE deleted_at IS NOT NULL"
                                          " AND deleted_at <= $1 ORDER BY rid");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "finding deleted services");
    store_bindf(st, "t", cutoff);
    int n = 0, cap = 16, rc;
    const char **ids = arena_alloc(c->a, sizeof *ids * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (n == cap) {
            const char **more = arena_alloc(c->a, sizeof *more * (size_t)(cap *= 2));
            memcpy(more, ids, sizeof *ids * (size_t)n);
            ids = more;
        }
        ids[n++] = arena_strdup(c->a, store_col_text(st, 0));
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "finding deleted services");
    for (int i = 0; i < n; i++) {
        struct dir_svc s;
        if ((rc = dir_svc_load(c, ids[i], &s)) != 1) {
            if (rc < 0) return ctx_store_failure(c, rc, "reading a service");
            continue;
        }
        rec *before = rec_new(c->a);
        rec_set_text(before, "service_id", s.id);
        rec_set_text(before, "name", s.name);
        rec_set_text(before, "organization_id", s.organization_id);
        rec_set_text(before, "deleted_at", s.deleted_at);
        if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a purge");
        result res = audit_record(c, "purge", "directory_services", s.rid, before, NULL);
        if (res == RES_OK) res = dir_service_purge(c, s.id);
        if ((res = finish(c, res)) != RES_OK) return res;
        tick_report_line(c, report, "purged service \"%s\" (%s), deleted on %.10s", s.name, s.id,
                         s.deleted_at);
    }
    return RES_OK;
}
