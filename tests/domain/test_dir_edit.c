/*
 * test_dir_edit.c: editing the directory with approval, without HTTP: who
 * may do what, pending versus published, approving and rejecting, the
 * versions kept with who and when, the diff between versions, restoring,
 * the soft delete with its 30 days and the purge, and the audit entries.
 *
 * The world: two places (Riverside, Moorland); a community choir serving
 * Riverside and a walking group serving Moorland, each with a directory
 * organization; a provider user at each, a place lead for each place, a
 * system lead, an administrator, a link worker and a viewer.
 */
#include "unit.h"

#include "domain/dir_edit.h"
#include "domain/directory.h"
#include "domain/scheduler.h"

#include <stdio.h>

struct world {
    long long riverside, moorland, choir, walkers;
    long long u_choir, u_walkers, u_place, u_moor, u_sys, u_admin, u_link, u_viewer;
};

static struct world w;

#define CHOIR_DIR "11111111-1111-4111-8111-111111111111"
#define WALKERS_DIR "22222222-2222-4222-8222-222222222222"
#define MUSIC "18297098-2b1a-4cff-b1b1-add1d2819784"

static long long place(struct fx *f, const char *name)
{
    long long id = 0;
    assert_int_equal(store_query_int(f->c.db, &id,
                                     "INSERT INTO places (name, created_at, updated_at)"
                                     " VALUES ($1, 'x', 'x') RETURNING id",
                                     "t", name),
                     1);
    return id;
}

static long long org(struct fx *f, const char *name, long long place_id)
{
    long long id = 0;
    assert_int_equal(store_query_int(f->c.db, &id,
                                     "INSERT INTO organisations (name, sector, created_at,"
                                     " updated_at) VALUES ($1, 'vcse', 'x', 'x') RETURNING id",
                                     "t", name),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO organisation_places (organisation_id, place_id)"
                               " VALUES ($1, $2)",
                               "ii", id, place_id),
                     1);
    return id;
}

static long long user_row(struct fx *f, const char *email, const char *role, long long org_id,
                          long long place_id)
{
    long long id = 0;
    assert_int_equal(store_query_int(f->c.db, &id,
                                     "INSERT INTO users (email, name, role, organisation_id,"
                                     " password_hash, created_at, updated_at) VALUES ($1, $1,"
                                     " $2, $3, 'x', 'x', 'x') RETURNING id",
                                     "tti", email, role, org_id),
                     1);
    if (place_id)
        assert_int_equal(store_run(f->c.db,
                                   "INSERT INTO user_places (user_id, place_id) VALUES ($1, $2)",
                                   "ii", id, place_id),
                         1);
    return id;
}

/* Act as a user, with the role, organisation, place and email their row holds. */
static void as(struct fx *f, long long user_id)
{
    store_stmt *st = store_prepare(f->c.db, "SELECT role, organisation_id, email,"
                                            " (SELECT place_id FROM user_places p"
                                            " WHERE p.user_id = u.id) FROM users u WHERE id = $1");
    store_bind_int(st, 1, user_id);
    assert_int_equal(store_step(st), STORE_ROW);
    enum role role = role_parse(store_col_text(st, 0));
    long long org_id = store_col_int(st, 1), place_id = store_col_int(st, 3);
    const char *email = arena_strdup(f->c.a, store_col_text(st, 2));
    store_done(st);
    fx_act_as(f, role, user_id, org_id, place_id ? &place_id : NULL, place_id ? 1 : 0);
    ((struct actor *)f->c.actor)->email = email;
}

/* A directory organization linked to a chis organisation (as the operator). */
static void dir_org(struct fx *f, const char *id, const char *name, long long organisation_id)
{
    fx_operator(f);
    json_t *o = json_pack("{s:s, s:s, s:s}", "id", id, "name", name, "description", "x");
    assert_int_equal(dir_organization_store(&f->c, o, organisation_id), RES_OK);
    json_decref(o);
}

static int build_world(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    memset(&w, 0, sizeof w);
    if (dir_taxonomy_ensure(&f->c) != RES_OK) return -1;
    w.riverside = place(f, "Riverside");
    w.moorland = place(f, "Moorland");
    w.choir = org(f, "Riverside Choir", w.riverside);
    w.walkers = org(f, "Moorland Walkers", w.moorland);
    w.u_choir = user_row(f, "choir@example.org", "provider", w.choir, 0);
    w.u_walkers = user_row(f, "walkers@example.org", "provider", w.walkers, 0);
    w.u_place = user_row(f, "river.lead@example.org", "place_lead", w.walkers, w.riverside);
    w.u_moor = user_row(f, "moor.lead@example.org", "place_lead", w.walkers, w.moorland);
    w.u_sys = user_row(f, "sys@example.org", "system_lead", w.walkers, 0);
    w.u_admin = user_row(f, "admin@example.org", "admin", w.walkers, 0);
    w.u_link = user_row(f, "link@example.org", "link_worker", w.choir, 0);
    w.u_viewer = user_row(f, "viewer@example.org", "viewer", w.choir, 0);
    dir_org(f, CHOIR_DIR, "Riverside Choir", w.choir);
    dir_org(f, WALKERS_DIR, "Moorland Walkers", w.walkers);
    return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, build_world, fx_teardown)

/* A small service document of a directory organization. */
static json_t *doc_of(const char *org_id, const char *name)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "organization_id", org_id, "name", name, "status",
                     "active", "description", "Singing together on Tuesdays.");
}

/* Create a service as the current actor, insisting on RES_OK; its id (arena). */
static const char *create_ok(struct fx *f, json_t *doc, const char *state)
{
    json_t *out = NULL;
    result r = dir_edit_create(&f->c, doc, &out);
    if (r != RES_OK)
        fail_msg("create: %d %s %s", r, f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    assert_string_equal(json_string_value(json_object_get(out, "state")), state);
    const char *id = arena_strdup(f->c.a, json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(doc);
    return id;
}

/* The live name of a service, read as the operator would (NULL when it has none). */
static const char *live_name(struct fx *f, const char *id)
{
    result r;
    json_t *d = dir_service_render(&f->c, id, &r);
    if (!d) return NULL;
    const char *name = arena_strdup(f->c.a, json_string_value(json_object_get(d, "name")));
    json_decref(d);
    return name;
}

/* A version's state. */
static const char *vstate(struct fx *f, const char *id, int version)
{
    store_stmt *st = store_prepare(f->c.db, "SELECT state FROM dir_service_versions"
                                            " WHERE service_id = $1 AND version = $2");
    store_bindf(st, "ti", id, (long long)version);
    const char *s = store_step(st) == STORE_ROW ? arena_strdup(f->c.a, store_col_text(st, 0)) : "";
    store_done(st);
    return s;
}

/* How many audit entries of this action for directory services. */
static long long audits(struct fx *f, const char *action)
{
    long long n = 0;
    store_query_int(f->c.db, &n,
                    "SELECT count(*) FROM audit WHERE entity = 'directory_services'"
                    " AND action = $1",
                    "t", action);
    return n;
}

/* Write a name change as the current actor; the result. */
static result rename_as(struct fx *f, const char *id, const char *name, json_t **out)
{
    json_t *patch = json_pack("{s:s}", "name", name);
    result r = dir_edit_patch(&f->c, id, patch, out);
    json_decref(patch);
    return r;
}

static void test_levels(void **state)
{
    struct fx *f = *state;
    struct {
        long long user;
        enum dir_level choir, walkers;
    } cases[] = {
        {w.u_choir, DIR_PROPOSE, DIR_READ},  {w.u_walkers, DIR_READ, DIR_PROPOSE},
        {w.u_place, DIR_PUBLISH, DIR_READ},  {w.u_moor, DIR_READ, DIR_PUBLISH},
        {w.u_sys, DIR_PUBLISH, DIR_PUBLISH}, {w.u_admin, DIR_PUBLISH, DIR_PUBLISH},
        {w.u_link, DIR_READ, DIR_READ},      {w.u_viewer, DIR_READ, DIR_READ},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        as(f, cases[i].user);
        assert_int_equal(dir_edit_level(&f->c, w.choir), cases[i].choir);
        assert_int_equal(dir_edit_level(&f->c, w.walkers), cases[i].walkers);
        /* An entry linked to no chis organisation: only system leads and admins. */
        bool lead = cases[i].user == w.u_sys || cases[i].user == w.u_admin;
        assert_int_equal(dir_edit_level(&f->c, 0), lead ? DIR_PUBLISH : DIR_READ);
    }
    fx_operator(f);
    assert_int_equal(dir_edit_level(&f->c, w.choir), DIR_PUBLISH);
}

/* A provider's new service is stored pending, not public, with version 1 pending. */
static void test_provider_create_is_pending(void **state)
{
    struct fx *f = *state;
    as(f, w.u_choir);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Tuesday Singers"), "pending");
    assert_non_null(id);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE state = 'pending'"), 1);
    assert_string_equal(vstate(f, id, 1), "pending");
    assert_int_equal(audits(f, "propose"), 1);
    /* Its editors see it; a link worker and the other provider do not know it exists. */
    json_t *got = NULL;
    assert_int_equal(dir_edit_get(&f->c, id, &got), RES_OK);
    assert_string_equal(json_string_value(json_object_get(got, "state")), "pending");
    assert_int_equal(json_integer_value(json_object_get(got, "pending_version")), 1);
    json_decref(got);
    as(f, w.u_link);
    assert_int_equal(dir_edit_get(&f->c, id, &got), RES_NOT_FOUND);
    as(f, w.u_walkers);
    assert_int_equal(dir_edit_get(&f->c, id, &got), RES_NOT_FOUND);
    assert_int_equal(rename_as(f, id, "Mine now", &got), RES_NOT_FOUND);
    /* The place lead of Riverside approves it: published, public. */
    as(f, w.u_place);
    assert_int_equal(dir_edit_get(&f->c, id, &got), RES_OK);
    json_decref(got);
    json_t *out = NULL;
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "published");
    json_decref(out);
    assert_string_equal(vstate(f, id, 1), "published");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE state = 'published'"), 1);
    assert_int_equal(audits(f, "approve"), 1);
    as(f, w.u_link);
    assert_int_equal(dir_edit_get(&f->c, id, &got), RES_OK);
    assert_null(json_object_get(got, "pending_version"));
    json_decref(got);
}

/* A lead's service is published at once; the version names who and when. */
static void test_lead_create_is_published(void **state)
{
    struct fx *f = *state;
    as(f, w.u_moor);
    const char *id = create_ok(f, doc_of(WALKERS_DIR, "Moorland Rambles"), "published");
    assert_string_equal(vstate(f, id, 1), "published");
    struct store_page pg;
    assert_int_equal(dir_edit_versions(&f->c, id, &pg), RES_OK);
    assert_int_equal(pg.nrows, 1);
    assert_string_equal(rec_text(pg.rows[0], "created_by"), "moor.lead@example.org");
    assert_int_equal(rec_int(pg.rows[0], "created_by_user_id", 0), w.u_moor);
    assert_string_equal(rec_text(pg.rows[0], "created_at"), "2026-11-26T09:00:00Z");
    assert_string_equal(rec_text(pg.rows[0], "action"), "create");
    assert_int_equal(audits(f, "create"), 1);
    assert_int_equal(
        fx_count(f,
                 "SELECT count(*) FROM audit WHERE entity = 'directory_services' AND"
                 " entity_id = (SELECT rid FROM dir_services) AND actor = 'moor.lead@example.org'"),
        1);
}

/* Nobody creates for an organisation they may not act for. */
static void test_create_refused(void **state)
{
    struct fx *f = *state;
    long long users[] = {w.u_walkers, w.u_place, w.u_link, w.u_viewer};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        as(f, users[i]);
        json_t *out = NULL, *doc = doc_of(CHOIR_DIR, "Not yours");
        if (users[i] == w.u_place) {
            json_decref(doc);
            doc = doc_of(WALKERS_DIR, "Not your place");
        }
        assert_int_equal(dir_edit_create(&f->c, doc, &out), RES_FORBIDDEN);
        json_decref(doc);
        assert_null(out);
    }
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions"), 0);
    /* Bad input names the paths; an unknown organization is a field error. */
    as(f, w.u_choir);
    json_t *out = NULL;
    json_t *doc = json_pack("{s:s, s:s, s:s, s:[{s:s}]}", "organization_id", CHOIR_DIR, "name", "X",
                            "status", "sometimes", "schedules", "opens_at", "nine-ish");
    assert_int_equal(dir_edit_create(&f->c, doc, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "status"));
    assert_non_null(fx_field_error(f, "schedules[0].opens_at"));
    json_decref(doc);
    ctx_clear_errors(&f->c);
    doc = doc_of("no-such-org", "X");
    assert_int_equal(dir_edit_create(&f->c, doc, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "organization_id"));
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    /* A taken id is a conflict. */
    ctx_clear_errors(&f->c);
    doc = doc_of(CHOIR_DIR, "First");
    json_object_set_new(doc, "id", json_string("33333333-3333-4333-8333-333333333333"));
    create_ok(f, doc, "pending");
    doc = doc_of(CHOIR_DIR, "Second");
    json_object_set_new(doc, "id", json_string("33333333-3333-4333-8333-333333333333"));
    assert_int_equal(dir_edit_create(&f->c, doc, &out), RES_CONFLICT);
    json_decref(doc);
}

/* A provider's change to a published service waits; approval applies it. */
static void test_update_pending_then_approved(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Choir"), "published");
    as(f, w.u_choir);
    json_t *out = NULL;
    assert_int_equal(rename_as(f, id, "Community Choir", &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "pending");
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(out, "name")), "Community Choir");
    json_decref(out);
    assert_string_equal(live_name(f, id), "Choir");
    /* The provider's next edit starts from their proposal, so changes accumulate. */
    json_t *patch = json_pack("{s:f}", "minimum_age", 16.0);
    assert_int_equal(dir_edit_patch(&f->c, id, patch, &out), RES_OK);
    json_decref(patch);
    assert_string_equal(json_string_value(json_object_get(out, "name")), "Community Choir");
    json_decref(out);
    assert_string_equal(vstate(f, id, 2), "withdrawn");
    assert_string_equal(vstate(f, id, 3), "pending");
    /* The provider cannot approve; a place lead elsewhere sees it but may not. */
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_FORBIDDEN);
    as(f, w.u_moor);
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_FORBIDDEN);
    as(f, w.u_place);
    assert_int_equal(dir_edit_approve(&f->c, id, 2, NULL, &out), RES_CONFLICT);
    assert_int_equal(dir_edit_approve(&f->c, id, 3, "Looks right", &out), RES_OK);
    json_decref(out);
    assert_string_equal(live_name(f, id), "Community Choir");
    assert_string_equal(vstate(f, id, 1), "superseded");
    assert_string_equal(vstate(f, id, 3), "published");
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_CONFLICT);
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM dir_service_versions WHERE version = 3 AND"
                    " decided_by = 'river.lead@example.org' AND decision_note = 'Looks right'"),
        1);
}

/* A rejection needs a note, keeps the live service and is recorded. */
static void test_reject(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Choir"), "published");
    as(f, w.u_choir);
    json_t *out = NULL;
    assert_int_equal(rename_as(f, id, "Best Choir In The World", &out), RES_OK);
    json_decref(out);
    as(f, w.u_place);
    assert_int_equal(dir_edit_reject(&f->c, id, 0, "", &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "note"));
    ctx_clear_errors(&f->c);
    assert_int_equal(dir_edit_reject(&f->c, id, 0, "Please keep the name plain.", &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "rejected");
    json_decref(out);
    assert_string_equal(vstate(f, id, 2), "rejected");
    assert_string_equal(live_name(f, id), "Choir");
    assert_int_equal(audits(f, "reject"), 1);
    assert_int_equal(dir_edit_reject(&f->c, id, 2, "again", &out), RES_CONFLICT);
}

/* A readable but not editable service: reading yes, versions and writes no. */
static void test_readers(void **state)
{
    struct fx *f = *state;
    as(f, w.u_admin);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Choir"), "published");
    long long users[] = {w.u_link, w.u_viewer, w.u_walkers, w.u_moor};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        as(f, users[i]);
        json_t *out = NULL;
        assert_int_equal(dir_edit_get(&f->c, id, &out), RES_OK);
        json_decref(out);
        struct store_page pg;
        assert_int_equal(dir_edit_versions(&f->c, id, &pg), RES_FORBIDDEN);
        assert_int_equal(rename_as(f, id, "Changed", &out), RES_FORBIDDEN);
        assert_int_equal(dir_edit_delete(&f->c, id, &out), RES_FORBIDDEN);
        assert_int_equal(dir_edit_restore(&f->c, id, 1, &out), RES_FORBIDDEN);
        assert_int_equal(dir_edit_services(&f->c, &(struct dir_service_query){0}, &pg), RES_OK);
        assert_int_equal(pg.total, 0);
    }
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions"), 1);
}

/* The diff between versions names each changed path with old and new values. */
static void test_diff(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    json_t *doc = doc_of(CHOIR_DIR, "Choir");
    json_object_set_new(doc, "schedules",
                        json_pack("[{s:s, s:s, s:s, s:s}]", "freq", "WEEKLY", "byday", "TU",
                                  "opens_at", "10:00", "closes_at", "12:00"));
    const char *id = create_ok(f, doc, "published");
    json_t *cur = NULL, *out = NULL;
    assert_int_equal(dir_edit_current(&f->c, id, &cur), RES_OK);
    json_object_set_new(cur, "name", json_string("Riverside Choir"));
    json_t *sch = json_array_get(json_object_get(cur, "schedules"), 0);
    json_object_set_new(sch, "opens_at", json_string("10:30"));
    json_object_set_new(cur, "email", json_string("sing@example.org"));
    json_array_append_new(json_object_get(cur, "attributes"),
                          json_pack("{s:s}", "taxonomy_term_id", MUSIC));
    assert_int_equal(dir_edit_update(&f->c, id, cur, &out), RES_OK);
    json_decref(cur);
    json_decref(out);
    rec *meta = NULL;
    json_t *vdoc = NULL, *diff = NULL;
    int against = -1;
    assert_int_equal(dir_edit_version(&f->c, id, 2, 0, &meta, &vdoc, &diff, &against), RES_OK);
    assert_int_equal(against, 1);
    assert_string_equal(rec_text(meta, "state"), "published");
    bool name = false, opens = false, email = false, attr = false;
    size_t i;
    json_t *ch;
    json_array_foreach(diff, i, ch)
    {
        const char *path = json_string_value(json_object_get(ch, "path"));
        const char *kind = json_string_value(json_object_get(ch, "change"));
        if (strcmp(path, "name") == 0) {
            name = strcmp(kind, "changed") == 0 &&
                   strcmp(json_string_value(json_object_get(ch, "old")), "Choir") == 0 &&
                   strcmp(json_string_value(json_object_get(ch, "new")), "Riverside Choir") == 0;
        } else if (strcmp(path, "schedules[0].opens_at") == 0) {
            opens = strcmp(kind, "changed") == 0 &&
                    strcmp(json_string_value(json_object_get(ch, "old")), "10:00:00") == 0 &&
                    strcmp(json_string_value(json_object_get(ch, "new")), "10:30:00") == 0;
        } else if (strcmp(path, "email") == 0) {
            email = strcmp(kind, "added") == 0 && json_is_null(json_object_get(ch, "old"));
        } else if (strcmp(path, "attributes[0]") == 0) {
            attr = strcmp(kind, "added") == 0;
        } else if (strcmp(path, "last_modified") == 0 || strncmp(path, "organization.", 13) == 0) {
            fail_msg("derived member in the diff: %s", path);
        }
    }
    assert_true(name);
    assert_true(opens);
    assert_true(email);
    assert_true(attr);
    assert_int_equal(json_array_size(diff), 4);
    json_decref(vdoc);
    json_decref(diff);
    /* The first version compares with nothing: everything is added. */
    assert_int_equal(dir_edit_version(&f->c, id, 1, 0, &meta, &vdoc, &diff, &against), RES_OK);
    assert_int_equal(against, 0);
    assert_true(json_array_size(diff) >= 4);
    json_array_foreach(diff, i, ch)
    {
        assert_string_equal(json_string_value(json_object_get(ch, "change")), "added");
    }
    json_decref(vdoc);
    json_decref(diff);
    assert_int_equal(dir_edit_version(&f->c, id, 9, 0, &meta, &vdoc, &diff, &against),
                     RES_NOT_FOUND);
}

/* The pure JSON operations: merge patch (RFC 7396) and diff of lists by id. */
static void test_json(void **state)
{
    (void)state;
    json_t *target =
        json_pack("{s:s, s:{s:i, s:i}, s:[i]}", "a", "b", "c", "d", 1, "e", 2, "list", 1);
    json_t *patch = json_pack("{s:n, s:{s:n, s:i}, s:[i, i]}", "a", "c", "d", "f", 3, "list", 2, 3);
    json_t *got = dir_json_merge_patch(target, patch);
    json_t *want = json_pack("{s:{s:i, s:i}, s:[i, i]}", "c", "e", 2, "f", 3, "list", 2, 3);
    assert_true(json_equal(got, want));
    assert_non_null(json_object_get(target, "a")); /* the target is left alone */
    json_decref(got);
    json_decref(want);
    json_decref(patch);
    json_decref(target);

    json_t *a = json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "phones", "id", "p1", "number", "1", "id",
                          "p2", "number", "2");
    json_t *b = json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "phones", "id", "p2", "number", "2", "id",
                          "p3", "number", "3");
    json_t *d = dir_json_diff(a, b);
    assert_int_equal(json_array_size(d), 2);
    json_t *added = json_array_get(d, 0), *removed = json_array_get(d, 1);
    assert_string_equal(json_string_value(json_object_get(added, "path")), "phones[1]");
    assert_string_equal(json_string_value(json_object_get(added, "change")), "added");
    assert_string_equal(json_string_value(json_object_get(removed, "path")), "phones[0]");
    assert_string_equal(json_string_value(json_object_get(removed, "change")), "removed");
    json_decref(d);
    d = dir_json_diff(a, a);
    assert_int_equal(json_array_size(d), 0);
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

/* Restoring an old version makes a new one: published for a lead, pending for a provider. */
static void test_restore(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Original"), "published");
    json_t *out = NULL;
    assert_int_equal(rename_as(f, id, "Second", &out), RES_OK);
    json_decref(out);
    assert_int_equal(dir_edit_restore(&f->c, id, 1, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "published");
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 3);
    json_decref(out);
    assert_string_equal(live_name(f, id), "Original");
    assert_string_equal(vstate(f, id, 2), "superseded");
    assert_int_equal(audits(f, "restore"), 1);
    as(f, w.u_choir);
    assert_int_equal(dir_edit_restore(&f->c, id, 2, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "pending");
    assert_string_equal(json_string_value(json_object_get(out, "name")), "Second");
    json_decref(out);
    assert_string_equal(live_name(f, id), "Original");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions WHERE version = 4 AND"
                                 " action = 'restore' AND state = 'pending'"),
                     1);
    assert_int_equal(dir_edit_restore(&f->c, id, 42, &out), RES_NOT_FOUND);
}

/* A lead's write replaces a proposal still waiting (withdrawn). */
static void test_lead_write_withdraws_proposal(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Choir"), "published");
    as(f, w.u_choir);
    json_t *out = NULL;
    assert_int_equal(rename_as(f, id, "Proposed", &out), RES_OK);
    json_decref(out);
    as(f, w.u_place);
    assert_int_equal(rename_as(f, id, "Fixed by lead", &out), RES_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 3);
    json_decref(out);
    assert_string_equal(vstate(f, id, 2), "withdrawn");
    assert_string_equal(live_name(f, id), "Fixed by lead");
    struct store_page pg;
    assert_int_equal(dir_edit_approvals(&f->c, 0, 0, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
}

/* Soft delete: a lead's is immediate, a provider's waits; undelete within 30 days; purge. */
static void test_delete_undelete_purge(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    const char *id = create_ok(f, doc_of(CHOIR_DIR, "Choir"), "published");
    /* The provider proposes the delete: still live until approved. */
    as(f, w.u_choir);
    json_t *out = NULL;
    assert_int_equal(dir_edit_delete(&f->c, id, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "pending");
    assert_null(json_object_get(out, "deleted_at"));
    json_decref(out);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE deleted_at IS NULL"), 1);
    as(f, w.u_place);
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_OK);
    json_decref(out);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE deleted_at IS NULL"), 0);
    /* Deleted: readers no longer see it, editors cannot change it, it lists as deleted. */
    as(f, w.u_link);
    assert_int_equal(dir_edit_get(&f->c, id, &out), RES_NOT_FOUND);
    as(f, w.u_choir);
    assert_int_equal(rename_as(f, id, "Zombie", &out), RES_CONFLICT);
    assert_int_equal(dir_edit_delete(&f->c, id, &out), RES_CONFLICT);
    struct store_page pg;
    assert_int_equal(dir_edit_services(&f->c, &(struct dir_service_query){.deleted = true}, &pg),
                     RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(dir_edit_services(&f->c, &(struct dir_service_query){0}, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
    /* The provider's undelete is a proposal; the lead approves it 10 days later. */
    ctx_set_now(&f->c, FX_NOW + 10 * 86400);
    assert_int_equal(dir_edit_undelete(&f->c, id, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "pending");
    json_decref(out);
    as(f, w.u_place);
    assert_int_equal(dir_edit_approve(&f->c, id, 0, NULL, &out), RES_OK);
    json_decref(out);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services WHERE deleted_at IS NULL"
                                 " AND state = 'published'"),
                     1);
    assert_int_equal(dir_edit_undelete(&f->c, id, &out), RES_CONFLICT);
    /* A lead's delete is immediate; after 30 days it can no longer be undone... */
    assert_int_equal(dir_edit_delete(&f->c, id, &out), RES_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "published");
    assert_non_null(json_object_get(out, "deleted_at"));
    json_decref(out);
    assert_int_equal(audits(f, "delete"), 1);
    ctx_set_now(&f->c, FX_NOW + 41 * 86400);
    assert_int_equal(dir_edit_undelete(&f->c, id, &out), RES_CONFLICT);
    /* ... and the scheduler purges it, once. */
    fx_operator(f);
    ctx_set_now(&f->c, FX_NOW + 39 * 86400);
    struct tick_report report = {0};
    assert_int_equal(dir_edit_purge_due(&f->c, &report), RES_OK);
    assert_int_equal(report.nlines, 0); /* 29 days: not yet */
    ctx_set_now(&f->c, FX_NOW + 41 * 86400);
    assert_int_equal(scheduler_run(&f->c, &report), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_versions"), 0);
    bool said = false;
    for (int i = 0; i < report.nlines; i++)
        said = said || strstr(report.lines[i], "purged service \"Choir\"") != NULL;
    assert_true(said);
    assert_int_equal(audits(f, "purge"), 1);
    assert_int_equal(dir_edit_purge_due(&f->c, &report), RES_OK);
    assert_int_equal(audits(f, "purge"), 1);
    as(f, w.u_sys);
    assert_int_equal(dir_edit_purge_due(&f->c, &report), RES_FORBIDDEN);
}

/* A provider cannot rewrite another organisation's location by naming its id. */
static void test_shared_location_guard(void **state)
{
    struct fx *f = *state;
    as(f, w.u_sys);
    json_t *doc = doc_of(WALKERS_DIR, "Rambles");
    json_object_set_new(doc, "service_at_locations",
                        json_pack("[{s:{s:s, s:s, s:f, s:f}}]", "location", "id",
                                  "44444444-4444-4444-8444-444444444444", "name", "Moor Hall",
                                  "latitude", 53.7, "longitude", -1.9));
    create_ok(f, doc, "published");
    as(f, w.u_choir);
    doc = doc_of(CHOIR_DIR, "Sneaky");
    json_object_set_new(doc, "service_at_locations",
                        json_pack("[{s:{s:s, s:s}}]", "location", "id",
                                  "44444444-4444-4444-8444-444444444444", "name", "Renamed"));
    json_t *out = NULL;
    assert_int_equal(dir_edit_create(&f->c, doc, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "service_at_locations[0].location.id"));
    json_decref(doc);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations WHERE name = 'Moor Hall'"), 1);
    /* Linking to it by location_id is fine. */
    ctx_clear_errors(&f->c);
    doc = doc_of(CHOIR_DIR, "Neighbourly");
    json_object_set_new(
        doc, "service_at_locations",
        json_pack("[{s:s}]", "location_id", "44444444-4444-4444-8444-444444444444"));
    create_ok(f, doc, "pending");
}

/* Lists: each actor sees what they may edit; the queue is the publishers'. */
static void test_lists_and_queue(void **state)
{
    struct fx *f = *state;
    as(f, w.u_choir);
    create_ok(f, doc_of(CHOIR_DIR, "Choir A"), "pending");
    create_ok(f, doc_of(CHOIR_DIR, "Choir B"), "pending");
    as(f, w.u_walkers);
    create_ok(f, doc_of(WALKERS_DIR, "Walk"), "pending");
    struct store_page pg;
    struct {
        long long user;
        long long services, queue; /* -1: forbidden */
    } cases[] = {
        {w.u_choir, 2, -1}, {w.u_walkers, 1, -1}, {w.u_place, 2, 2},   {w.u_moor, 1, 1},
        {w.u_sys, 3, 3},    {w.u_link, 0, -1},    {w.u_viewer, 0, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        as(f, cases[i].user);
        assert_int_equal(dir_edit_services(&f->c, &(struct dir_service_query){0}, &pg), RES_OK);
        assert_int_equal(pg.total, cases[i].services);
        result r = dir_edit_approvals(&f->c, 0, 0, &pg);
        if (cases[i].queue < 0) {
            assert_int_equal(r, RES_FORBIDDEN);
        } else {
            assert_int_equal(r, RES_OK);
            assert_int_equal(pg.total, cases[i].queue);
        }
    }
    as(f, w.u_choir);
    assert_int_equal(
        dir_edit_services(&f->c, &(struct dir_service_query){.q = "b", .waiting = true}, &pg),
        RES_OK);
    assert_int_equal(pg.total, 1);
    assert_string_equal(rec_text(pg.rows[0], "name"), "Choir B");
    assert_string_equal(rec_text(pg.rows[0], "state"), "pending");
    assert_int_equal(rec_int(pg.rows[0], "pending_version", 0), 1);
    assert_int_equal(dir_edit_services(&f->c, &(struct dir_service_query){.state = "weird"}, &pg),
                     RES_INVALID);
    /* The taxonomy's activity types for the editor. */
    assert_int_equal(dir_edit_terms(&f->c, DIR_CH_ACTIVITY_ROOT, &pg), RES_OK);
    assert_true(pg.total >= 10);
}

/* Directory organizations: only for the organisation one may act for; audited. */
static void test_organizations(void **state)
{
    struct fx *f = *state;
    as(f, w.u_choir);
    json_t *o = json_pack("{s:s, s:s}", "name", "Choir Friends", "description", "Fundraising");
    json_t *out = NULL;
    bool created = false;
    assert_int_equal(dir_edit_organization_save(&f->c, o, w.walkers, &out, &created),
                     RES_FORBIDDEN);
    assert_int_equal(dir_edit_organization_save(&f->c, o, 0, &out, &created), RES_OK);
    assert_true(created);
    assert_int_equal(json_integer_value(json_object_get(out, "organisation_id")), w.choir);
    json_decref(out);
    json_decref(o);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity ="
                                 " 'directory_organizations' AND action = 'create'"),
                     1);
    /* Nobody but its own people (and leads) change the walkers' entry. */
    o = json_pack("{s:s, s:s}", "id", WALKERS_DIR, "name", "Taken over");
    assert_int_equal(dir_edit_organization_save(&f->c, o, 0, &out, &created), RES_FORBIDDEN);
    as(f, w.u_moor);
    assert_int_equal(dir_edit_organization_save(&f->c, o, 0, &out, &created), RES_OK);
    assert_false(created);
    json_decref(out);
    json_decref(o);
    struct store_page pg;
    as(f, w.u_choir);
    assert_int_equal(dir_edit_organizations(&f->c, &(struct dir_org_query){0}, &pg), RES_OK);
    assert_int_equal(pg.total, 2);
    assert_int_equal(dir_edit_organizations(&f->c, &(struct dir_org_query){.all = true}, &pg),
                     RES_OK);
    assert_int_equal(pg.total, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_levels),
        T(test_provider_create_is_pending),
        T(test_lead_create_is_published),
        T(test_create_refused),
        T(test_update_pending_then_approved),
        T(test_reject),
        T(test_readers),
        T(test_diff),
        T(test_json),
        T(test_restore),
        T(test_lead_write_withdraws_proposal),
        T(test_delete_undelete_purge),
        T(test_shared_location_guard),
        T(test_lists_and_queue),
        T(test_organizations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
