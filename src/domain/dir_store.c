/*
 * dir_store.c: storing and rendering whole HSDS services. A service arrives
 * as a full document; it is checked and normalised (dir_check.c), written
 * into the dir_* rows (its children replaced, its locations upserted, or
 * all held back by a bulk write, dir_bulk.c), and the public document
 * (whose start is the list summary) is built from the normalised members by
 * the same object descriptions the rows were written by, so the cached copy
 * and dir_service_render() (which reads the rows back) say the same thing.
 */
#include "domain/dir_internal.h"

#include "base/buf.h"
#include "base/jsonw.h"
#include "base/log.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A new random UUID (version 4) in c->a. */
const char *dir_uuid(struct ctx *c)
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    return arena_printf(
        c->a, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
        b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Does a row with this id exist in table? 1, 0, or a STORE_E_* code.
 * table is one of ours, never input. */
static int row_exists(struct ctx *c, const char *table, const char *id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1", table);
    long long one;
    return store_query_int(c->db, &one, sql, "t", id);
}

/* The one-to-one members of a row of o with this id as JSON, or NULL. */
static json_t *load_one(struct ctx *c, const struct dobj *o, const char *id, bool keep_owner)
{
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = $1", dobj_select_list(o), o->table);
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return NULL;
    store_bindf(st, "t", id);
    json_t *out = store_step(st) == STORE_ROW ? dobj_from_row(o, st, keep_owner) : NULL;
    store_done(st);
    return out;
}

/* Every row of o into map, by id, as load_one() reads each. 0 or a
 * STORE_E_* code. */
static int load_all(struct ctx *c, const struct dobj *o, json_t *map)
{
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s", dobj_select_list(o), o->table);
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return STORE_E_ERROR;
    int rc;
    while ((rc = store_step(st)) == STORE_ROW)
        json_object_set_new(map, store_col_text(st, 0), dobj_from_row(o, st, false));
    store_done(st);
    return rc < 0 ? rc : 0;
}

/*
 * A row of a term or organization as documents show it: from the bulk
 * write's memory when there is one (the caller gets a new reference), else
 * from the row. NULL when there is no such row.
 */
static json_t *load_cached(struct ctx *c, const struct dobj *o, const char *id,
                           struct dir_bulk *bulk)
{
    json_t *map = !bulk ? NULL : o == &dir_obj_organization ? bulk->orgs : bulk->terms;
    json_t *hit = map ? json_object_get(map, id) : NULL;
    if (hit) return json_incref(hit);
    bool *all = !bulk ? NULL : o == &dir_obj_organization ? &bulk->orgs_all : &bulk->terms_all;
    /* Into a new directory, the first miss reads them all: each read on
     * its own would wait for the rows being written (dir_bulk.c). */
    if (all && !*all && dir_bulk_streaming(bulk)) {
        *all = true;
        if (load_all(c, o, map) == 0 && (hit = json_object_get(map, id))) return json_incref(hit);
    }
    json_t *row = load_one(c, o, id, false);
    if (row && map) json_object_set(map, id, row);
    return row;
}

/* Does the term or organization exist (remembered by a bulk write)? 1, 0
 * or a STORE_E_* code. */
static int exists_cached(struct ctx *c, const struct dobj *o, const char *id, struct dir_bulk *bulk)
{
    json_t *map = !bulk ? NULL : o == &dir_obj_organization ? bulk->orgs : bulk->terms;
    if (map && json_object_get(map, id)) return 1;
    if (!map) return row_exists(c, o->table, id);
    json_t *row = load_cached(c, o, id, bulk);
    json_decref(row);
    return row ? 1 : 0;
}

/* Check what the document refers to exists: its organization, locations
 * given by id, taxonomy terms (created from inline terms when allowed). */
static result check_references(struct ctx *c, json_t *doc, const struct dir_write_opts *o)
{
    int before = c->nerrors;
    const char *org = json_string_value(json_object_get(doc, "organization_id"));
    int rc = exists_cached(c, &dir_obj_organization, org, o->bulk);
    if (rc < 0) return ctx_store_failure(c, rc, "checking a service's organization");
    if (rc == 0)
        ctx_field_error(c, "organization_id", "there is no directory organization '%s'", org);
    size_t i;
    json_t *sal, *attr;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        const char *loc = json_string_value(json_object_get(sal, "location_id"));
        if (json_is_object(json_object_get(sal, "location")) || !loc) continue;
        if (o->bulk && dir_bulk_holds(o->bulk, &dir_obj_location, loc)) continue;
        if ((rc = row_exists(c, "dir_locations", loc)) < 0)
            return ctx_store_failure(c, rc, "checking a location");
        if (rc == 0)
            ctx_field_error(c, arena_printf(c->a, "service_at_locations[%zu].location_id", i),
                            "there is no location '%s'", loc);
    }
    json_array_foreach(json_object_get(doc, "attributes"), i, attr)
    {
        const char *term = json_string_value(json_object_get(attr, "taxonomy_term_id"));
        if ((rc = exists_cached(c, &dir_obj_taxonomy_term, term, o->bulk)) < 0)
            return ctx_store_failure(c, rc, "checking a taxonomy term");
        if (rc == 1) continue;
        json_t *inline_term = json_object_get(attr, "taxonomy_term");
        if (o->create_terms && json_is_object(inline_term) &&
            json_is_string(json_object_get(inline_term, "name"))) {
            json_t *t = json_deep_copy(inline_term);
            json_object_set_new(t, "id", json_string(term));
            result res = dir_taxonomy_term_store(c, t);
            json_decref(t);
            if (res == RES_OK) continue;
            if (res != RES_INVALID) return res;
        }
        ctx_field_error(c, arena_printf(c->a, "attributes[%zu].taxonomy_term_id", i),
                        "there is no taxonomy term '%s'", term);
    }
    return c->nerrors > before ? RES_INVALID : RES_OK;
}

/* Remove the rows a service owns (not its locations, which are shared). */
static int delete_children(struct ctx *c, const char *sid)
{
    static const char *const sql[] = {
        "DELETE FROM dir_schedules WHERE service_at_location_id IN"
        " (SELECT id FROM dir_service_at_locations WHERE service_id = $1)",
        "DELETE FROM dir_service_at_locations WHERE service_id = $1",
        "DELETE FROM dir_schedules WHERE service_id = $1",
        "DELETE FROM dir_cost_options WHERE service_id = $1",
        "DELETE FROM dir_service_areas WHERE service_id = $1",
        "DELETE FROM dir_languages WHERE service_id = $1",
        "DELETE FROM dir_fundings WHERE service_id = $1",
        "DELETE FROM dir_phones WHERE contact_id IN"
        " (SELECT id FROM dir_contacts WHERE service_id = $1)",
        "DELETE FROM dir_contacts WHERE service_id = $1",
        "DELETE FROM dir_phones WHERE service_id = $1",
        "DELETE FROM dir_attributes WHERE link_id = $1 AND link_entity = 'service'",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        long long rc = store_run(c->db, sql[i], "t", sid);
        if (rc < 0) return (int)rc;
    }
    return 0;
}

/* Report an id that another record's row already has (DOBJ_TAKEN). */
static int id_taken(struct ctx *c, const char *member, size_t i, json_t *el)
{
    ctx_field_error(c, arena_printf(c->a, "%s[%zu].id", member, i),
                    "the id '%s' belongs to another record: leave it out to make a new one",
                    json_string_value(json_object_get(el, "id")));
    return DOBJ_TAKEN;
}

/* Write one object's row: held back by a bulk write (never guarded: an
 * import is the operator's own feed), else at once (see dobj_write()). */
static int write_row(struct ctx *c, struct dir_bulk *bulk, const struct dobj *o, json_t *obj,
                     const char *const *owner, bool guard)
{
    return bulk ? dir_bulk_put(c, bulk, o, obj, owner) : dobj_write(c, o, obj, owner, guard);
}

/* Write every element of a list member with the owner columns given. With
 * guard, an id another owner's row has stops the write (DOBJ_TAKEN). 0,
 * DOBJ_TAKEN or a STORE_E_* code. */
static int write_list(struct ctx *c, struct dir_bulk *bulk, json_t *parent, const char *member,
                      const struct dobj *o, const char *const *owner, bool guard)
{
    size_t i;
    json_t *el;
    json_array_foreach(json_object_get(parent, member), i, el)
    {
        int rc = write_row(c, bulk, o, el, owner, guard);
        if (rc == DOBJ_TAKEN) return id_taken(c, member, i, el);
        if (rc < 0) return rc;
        if (o == &dir_obj_contact) {
            const char *cid = json_string_value(json_object_get(el, "id"));
            rc = write_list(c, bulk, el, "phones", &dir_obj_phone,
                            (const char *const[]){"contact_id", cid, NULL}, guard);
            if (rc) return rc;
        }
    }
    return 0;
}

/* Delete location lid's rows of o (addresses, accessibility): in the
 * database unless it cannot have any, and among a bulk write's held rows. */
static int delete_located(struct ctx *c, struct dir_bulk *bulk, const struct dobj *o,
                          const char *lid)
{
    if (bulk) dir_bulk_drop_located(bulk, o, lid);
    if (bulk && !dir_bulk_in_db(bulk, o)) return 0;
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE location_id = $1", o->table);
    long long n = store_run(c->db, sql, "t", lid);
    return n < 0 ? (int)n : 0;
}

/* Write a location given inline, its addresses and accessibility replaced.
 * A location the document does not place is placed by its postcode when
 * the neighbourhoods' LSOAs are known (chis import lsoas), so imported
 * venues count in their place's reports and searches like edited ones.
 * (Who may change a shared location is the editor's rule, dir_edit.c.) */
static int write_location(struct ctx *c, struct dir_bulk *bulk, json_t *loc, bool guard)
{
    const char *lid = json_string_value(json_object_get(loc, "id"));
    int rc = write_row(c, bulk, &dir_obj_location, loc, NULL, false);
    if (rc < 0) return rc;
    long long place = json_integer_value(json_object_get(loc, "place_id"));
    long long hood = json_integer_value(json_object_get(loc, "neighbourhood_id"));
    if (!place && !hood && (!bulk || dir_bulk_may_place(bulk)) &&
        (rc = dir_location_placed(c, loc, &place, &hood)) < 0)
        return rc;
    if ((place || hood) && bulk) {
        if ((rc = dir_bulk_place(c, bulk, lid, place, hood)) < 0) return rc;
    } else if (place || hood) {
        long long n = store_run(c->db,
                                "UPDATE dir_locations SET place_id = $2, neighbourhood_id = $3"
                                " WHERE id = $1",
                                "tII", lid, place, hood);
        if (n < 0) return (int)n;
    }
    if ((rc = delete_located(c, bulk, &dir_obj_address, lid)) < 0 ||
        (rc = delete_located(c, bulk, &dir_obj_accessibility, lid)) < 0)
        return rc;
    const char *const owner[] = {"location_id", lid, NULL};
    if ((rc = write_list(c, bulk, loc, "addresses", &dir_obj_address, owner, guard)) != 0)
        return rc;
    return write_list(c, bulk, loc, "accessibility", &dir_obj_accessibility, owner, guard);
}

/* A copy of each element of a list member by its description. */
static json_t *copy_list(json_t *parent, const char *member, const struct dobj *o)
{
    json_t *out = json_array();
    size_t i;
    json_t *el;
    json_array_foreach(json_object_get(parent, member), i, el)
    {
        json_t *copy = dobj_copy(o, el, false);
        if (o == &dir_obj_contact)
            json_object_set_new(copy, "phones", copy_list(el, "phones", &dir_obj_phone));
        json_array_append_new(out, copy);
    }
    return out;
}

/* A location as the public document shows it, from its inline object. */
static json_t *copy_location(json_t *loc)
{
    json_t *out = dobj_copy(&dir_obj_location, loc, false);
    json_object_set_new(out, "addresses", copy_list(loc, "addresses", &dir_obj_address));
    json_object_set_new(out, "accessibility",
                        copy_list(loc, "accessibility", &dir_obj_accessibility));
    return out;
}

/* A stored location (one-to-one members plus its lists) from the rows. */
static json_t *render_location(struct ctx *c, const char *id, bool internal)
{
    json_t *out = load_one(c, &dir_obj_location, id, false);
    if (!out) return NULL;
    json_t *addrs = dobj_list(c, &dir_obj_address, "location_id", id, false);
    json_t *acc = dobj_list(c, &dir_obj_accessibility, "location_id", id, false);
    json_object_set_new(out, "addresses", addrs ? addrs : json_array());
    json_object_set_new(out, "accessibility", acc ? acc : json_array());
    if (internal) {
        long long place = 0, hood = 0;
        store_query_int(c->db, &place, "SELECT place_id FROM dir_locations WHERE id = $1", "t", id);
        store_query_int(c->db, &hood, "SELECT neighbourhood_id FROM dir_locations WHERE id = $1",
                        "t", id);
        if (place) json_object_set_new(out, "place_id", json_integer(place));
        if (hood) json_object_set_new(out, "neighbourhood_id", json_integer(hood));
    }
    return out;
}

/* The attribute list with each term inline, from attribute objects. */
static json_t *attributes_with_terms(struct ctx *c, json_t *attrs, const char *sid,
                                     struct dir_bulk *bulk)
{
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a)
    {
        json_t *copy = dobj_copy(&dir_obj_attribute, a, false);
        json_object_set_new(copy, "link_id", json_string(sid));
        json_object_set_new(copy, "link_entity", json_string("service"));
        const char *tid = json_string_value(json_object_get(a, "taxonomy_term_id"));
        json_t *term = tid ? load_cached(c, &dir_obj_taxonomy_term, tid, bulk) : NULL;
        if (term) json_object_set_new(copy, "taxonomy_term", term);
        json_array_append_new(out, copy);
    }
    return out;
}

/* The service's organization as lists and documents show it. */
static json_t *organization_summary(struct ctx *c, const char *org_id, struct dir_bulk *bulk)
{
    json_t *org = load_cached(c, &dir_obj_organization, org_id, bulk);
    return org ? org : json_object();
}

/*
 * Assemble the public document from normalised members: the service's
 * one-to-one members, "fees" as the UK profile names it, the organization,
 * and the lists (each service_at_location holding its location object).
 * The document is one itself, grown: the caller's reference to one becomes
 * the reference to the result.
 */
static json_t *assemble(struct ctx *c, json_t *one, json_t *org, json_t *sals, json_t *lists[],
                        json_t *attrs)
{
    json_t *doc = one;
    json_t *fees = json_object_get(one, "fees_description");
    if (fees) json_object_set(doc, "fees", fees);
    json_object_set(doc, "organization", org);
    json_object_set(doc, "service_at_locations", sals);
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++)
        json_object_set(doc, dir_service_lists[k].member, lists[k]);
    json_object_set(doc, "attributes", attrs);
    (void)c;
    return doc;
}

/*
 * The text of a public document assembled above, in c->a, and the length
 * of its summary (what a list shows: the one-to-one members, fees and the
 * organization, which assemble() puts first) as decimal text: the summary
 * is the document's text up to its first list, closed, so readers cut it
 * from the document (dir_search.c) rather than it being stored twice.
 */
static const char *document_text(struct ctx *c, json_t *pub, const char **summary_len)
{
    buf d;
    buf_init(&d, c->a, 8192); /* most documents fit: no copy as it grows */
    size_t cut;
    jsonw_tree_cut(&d, pub, "service_at_locations", &cut);
    *summary_len = arena_printf(c->a, "%zu", cut);
    return d.data;
}

/* Add word and a space to b (nothing for NULL): a service's keywords are
 * a few of these, and an import builds 100,000 of them. */
static void keyword(buf *b, const char *word)
{
    if (!word) return;
    buf_puts(b, word);
    buf_putc(b, ' ');
}

/* Words beyond name and description the search should find. */
static const char *keywords_of(struct ctx *c, json_t *doc, json_t *org)
{
    buf b;
    buf_init(&b, c->a, 256);
    const char *parts[] = {json_string_value(json_object_get(org, "name")),
                           json_string_value(json_object_get(doc, "alternate_name"))};
    for (size_t i = 0; i < 2; i++)
        keyword(&b, parts[i]);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(doc, "attributes"), i, a)
    {
        const char *name =
            json_string_value(json_object_get(json_object_get(a, "taxonomy_term"), "name"));
        keyword(&b, name);
    }
    return b.data;
}

/* Free of charge: no cost option asks for a positive amount. */
static bool is_free(json_t *doc)
{
    size_t i;
    json_t *co;
    json_array_foreach(json_object_get(doc, "cost_options"), i, co)
    {
        json_t *amount = json_object_get(co, "amount");
        if (json_is_number(amount) && json_number_value(amount) > 0) return false;
    }
    return true;
}

/* Write the service's rows; the caller holds the transaction. */
static result write_service(struct ctx *c, json_t *doc, const struct dir_write_opts *o)
{
    const char *sid = json_string_value(json_object_get(doc, "id"));
    const char *org_id = json_string_value(json_object_get(doc, "organization_id"));
    struct dir_bulk *bulk = o->bulk;
    char *created = NULL;
    int rc = 0;
    /* Reads below must see what a bulk write holds back: the same service
     * again, or a location only named, are written out first. */
    if (bulk && dir_bulk_holds(bulk, &dir_obj_service, sid)) rc = dir_bulk_write_held(c, bulk);
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        const char *lid = json_string_value(json_object_get(sal, "location_id"));
        if (bulk && !rc && !json_is_object(json_object_get(sal, "location")) &&
            dir_bulk_holds(bulk, &dir_obj_location, lid))
            rc = dir_bulk_write_held(c, bulk);
    }
    bool exists = false;
    if (!rc && (!bulk || dir_bulk_in_db(bulk, &dir_obj_service))) {
        store_stmt *st = store_prepare(c->db, "SELECT created_at FROM dir_services WHERE id = $1");
        if (!st) return ctx_store_failure(c, STORE_E_ERROR, "reading a service");
        store_bindf(st, "t", sid);
        exists = store_step(st) == STORE_ROW;
        if (exists) created = arena_strdup(c->a, store_col_text(st, 0));
        store_done(st);
    }
    if (!rc && exists) rc = delete_children(c, sid);
    if (rc < 0) return ctx_store_failure(c, rc, "replacing a service's details");

    /* The public document first: the service row carries it. */
    json_t *sals_out = json_array();
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        const char *lid = json_is_object(loc)
                              ? json_string_value(json_object_get(loc, "id"))
                              : json_string_value(json_object_get(sal, "location_id"));
        json_t *loc_out = json_is_object(loc) ? copy_location(loc) : render_location(c, lid, false);
        json_t *sal_out = dobj_copy(&dir_obj_service_at_location, sal, false);
        json_object_set_new(sal_out, "service_id", json_string(sid));
        json_object_set_new(sal_out, "location_id", json_string(lid));
        json_object_set_new(sal_out, "location", loc_out ? loc_out : json_object());
        json_object_set_new(sal_out, "schedules", copy_list(sal, "schedules", &dir_obj_schedule));
        json_array_append_new(sals_out, sal_out);
    }
    json_t *lists[DIR_SERVICE_LISTS] = {0};
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++)
        lists[k] = copy_list(doc, dir_service_lists[k].member, dir_service_lists[k].obj);
    json_t *attrs = attributes_with_terms(c, json_object_get(doc, "attributes"), sid, o->bulk);
    json_t *org = organization_summary(c, org_id, o->bulk);
    json_t *one = dobj_copy(&dir_obj_service, doc, false);
    json_t *pub = assemble(c, one, org, sals_out, lists, attrs);
    /* jsonw rather than json_dumps: the dump was a fifth of a bulk write. */
    const char *summary_len;
    const char *doc_text = document_text(c, pub, &summary_len);
    const char *const owner[] = {"state",       o->state == DIR_PENDING ? "pending" : "published",
                                 "free",        is_free(doc) ? "1" : "0",
                                 "keywords",    keywords_of(c, pub, org),
                                 "document",    doc_text,
                                 "summary_len", summary_len,
                                 "created_at",  created ? created : c->now_iso,
                                 "updated_at",  c->now_iso,
                                 NULL};
    /* An edit must not take another service's rows by naming their ids;
     * an import is the operator's own feed, where a row may move. */
    bool guard = !o->bulk;
    if (rc >= 0) rc = write_row(c, bulk, &dir_obj_service, doc, owner, false);
    /* Then what refers to it: locations, where it is, and its lists. */
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        if (rc) break;
        json_t *loc = json_object_get(sal, "location");
        const char *lid = json_is_object(loc)
                              ? json_string_value(json_object_get(loc, "id"))
                              : json_string_value(json_object_get(sal, "location_id"));
        if (json_is_object(loc) && (rc = write_location(c, bulk, loc, guard)) != 0) break;
        const char *sal_id = json_string_value(json_object_get(sal, "id"));
        rc = write_row(c, bulk, &dir_obj_service_at_location, sal,
                       (const char *const[]){"service_id", sid, "location_id", lid, NULL}, guard);
        if (rc == DOBJ_TAKEN) rc = id_taken(c, "service_at_locations", i, sal);
        if (!rc)
            rc = write_list(c, bulk, sal, "schedules", &dir_obj_schedule,
                            (const char *const[]){"service_at_location_id", sal_id, NULL}, guard);
    }
    const char *const sowner[] = {"service_id", sid, NULL};
    for (size_t k = 0; !rc && k < DIR_SERVICE_LISTS; k++)
        rc = write_list(c, bulk, doc, dir_service_lists[k].member, dir_service_lists[k].obj, sowner,
                        guard);
    if (!rc)
        rc = write_list(c, bulk, doc, "attributes", &dir_obj_attribute,
                        (const char *const[]){"link_id", sid, "link_entity", "service", NULL},
                        guard);
    json_decref(pub); /* and one, which it is */
    json_decref(org);
    json_decref(attrs);
    json_decref(sals_out);
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++)
        json_decref(lists[k]);
    if (rc == DOBJ_TAKEN) return RES_INVALID;
    return rc < 0 ? ctx_store_failure(c, rc, "storing a service") : RES_OK;
}

/* Check, then store a full service document (see directory.h). */
result dir_service_store(struct ctx *c, json_t *doc, const struct dir_write_opts *o)
{
    static const struct dir_write_opts defaults = {0};
    if (!o) o = &defaults;
    result res = o->checked ? RES_OK : dir_service_check(c, doc);
    if (res != RES_OK) return res;
    if (!o->keep_modified || !json_object_get(doc, "last_modified"))
        json_object_set_new(doc, "last_modified", json_string(c->now_iso));
    bool own_tx = !(o->bulk && store_in_tx(c->db));
    /* Alone, a service indexes itself as its write ends; in bulk, once at
     * dir_bulk_end(). */
    if (own_tx && store_begin(c->db) != 0)
        return ctx_store_failure(c, STORE_E_ERROR, "starting a write");
    res = check_references(c, doc, o);
    if (res == RES_OK) res = write_service(c, doc, o);
    if (res == RES_OK && !o->bulk && store_text_index_flush(c->db) != 0)
        res = ctx_store_failure(c, STORE_E_ERROR, "indexing a service");
    /* Held rows are written when there are many, between services only:
     * the checks above look for a service's or venue's row among those
     * held, and must find all its rows on the same side. */
    int rc = res == RES_OK && o->bulk ? dir_bulk_write_if_full(c, o->bulk) : 0;
    if (rc < 0) res = ctx_store_failure(c, rc, "storing services");
    if (res != RES_OK) {
        if (own_tx) store_rollback(c->db);
        return res == RES_INVALID ? ctx_fail(c, res, "The service has errors.") : res;
    }
    if (own_tx && store_commit(c->db) != 0)
        return ctx_store_failure(c, STORE_E_ERROR, "saving a service");
    return RES_OK;
}

/* A full service document from the rows (see directory.h). */
json_t *dir_service_render(struct ctx *c, const char *id, result *res)
{
    *res = RES_OK;
    json_t *one = load_one(c, &dir_obj_service, id, false);
    if (!one) {
        *res = ctx_fail(c, RES_NOT_FOUND, "There is no service '%s'.", id);
        return NULL;
    }
    json_t *sals = dobj_list(c, &dir_obj_service_at_location, "service_id", id, true);
    if (!sals) sals = json_array();
    size_t i;
    json_t *sal;
    json_array_foreach(sals, i, sal)
    {
        const char *lid = json_string_value(json_object_get(sal, "location_id"));
        json_t *loc = render_location(c, lid, true);
        json_object_set_new(sal, "location", loc ? loc : json_object());
        json_t *sch = dobj_list(c, &dir_obj_schedule, "service_at_location_id",
                                json_string_value(json_object_get(sal, "id")), false);
        json_object_set_new(sal, "schedules", sch ? sch : json_array());
    }
    json_t *lists[DIR_SERVICE_LISTS] = {0};
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++) {
        lists[k] = dobj_list(c, dir_service_lists[k].obj, "service_id", id, false);
        if (!lists[k]) lists[k] = json_array();
        if (dir_service_lists[k].obj != &dir_obj_contact) continue;
        json_t *ct;
        json_array_foreach(lists[k], i, ct)
        {
            json_t *ph = dobj_list(c, &dir_obj_phone, "contact_id",
                                   json_string_value(json_object_get(ct, "id")), false);
            json_object_set_new(ct, "phones", ph ? ph : json_array());
        }
    }
    json_t *raw_attrs = dobj_list(c, &dir_obj_attribute, "link_id", id, false);
    json_t *attrs = attributes_with_terms(c, raw_attrs, id, NULL);
    json_decref(raw_attrs);
    json_t *org =
        organization_summary(c, json_string_value(json_object_get(one, "organization_id")), NULL);
    json_t *doc = assemble(c, one, org, sals, lists, attrs);
    store_stmt *st =
        store_prepare(c->db, "SELECT state, deleted_at FROM dir_services WHERE id = $1");
    if (st) {
        store_bindf(st, "t", id);
        if (store_step(st) == STORE_ROW) {
            json_object_set_new(doc, "state", json_string(store_col_text(st, 0)));
            if (!store_col_null(st, 1))
                json_object_set_new(doc, "deleted_at", json_string(store_col_text(st, 1)));
        }
        store_done(st);
    }
    json_decref(org); /* one is doc now */
    json_decref(sals);
    json_decref(attrs);
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++)
        json_decref(lists[k]);
    return doc;
}

/* The public document from a render: chis's own members taken out (see
 * directory.h). */
void dir_document_public(json_t *doc)
{
    json_object_del(doc, "state");
    json_object_del(doc, "deleted_at");
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        json_object_del(loc, "place_id");
        json_object_del(loc, "neighbourhood_id");
    }
}

/* Re-render the cached documents of one organization's services. */
result dir_services_refresh_organization(struct ctx *c, const char *organization_id)
{
    store_stmt *st = store_prepare(c->db, "SELECT id FROM dir_services WHERE organization_id = $1"
                                          " ORDER BY rid");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "listing services");
    store_bindf(st, "t", organization_id);
    int n = 0, cap = 16;
    const char **ids = arena_alloc(c->a, sizeof *ids * (size_t)cap);
    while (store_step(st) == STORE_ROW) {
        if (n == cap) {
            const char **more = arena_alloc(c->a, sizeof *ids * (size_t)(cap *= 2));
            memcpy(more, ids, sizeof *ids * (size_t)n);
            ids = more;
        }
        ids[n++] = arena_strdup(c->a, store_col_text(st, 0));
    }
    store_done(st);
    json_t *org = organization_summary(c, organization_id, NULL);
    result res = RES_OK;
    for (int i = 0; i < n && res == RES_OK; i++) {
        json_t *doc = dir_service_render(c, ids[i], &res);
        if (!doc) break;
        dir_document_public(doc);
        const char *summary_len;
        const char *doc_text = document_text(c, doc, &summary_len);
        long long rc = store_run(c->db,
                                 "UPDATE dir_services SET document = $2, summary_len = $3,"
                                 " keywords = $4 WHERE id = $1",
                                 "tttt", ids[i], doc_text, summary_len, keywords_of(c, doc, org));
        json_decref(doc);
        if (rc < 0) res = ctx_store_failure(c, rc, "refreshing a service");
    }
    json_decref(org);
    if (res == RES_OK && n && store_text_index_flush(c->db) != 0)
        res = ctx_store_failure(c, STORE_E_ERROR, "indexing services");
    return res;
}

/* Soft-delete or undelete a service (see directory.h). */
result dir_service_set_deleted(struct ctx *c, const char *id, bool deleted)
{
    long long n = deleted ? store_run(c->db,
                                      "UPDATE dir_services SET deleted_at = $2, deleted_by = $3,"
                                      " updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",
                                      "ttt", id, c->now_iso, actor_label(c))
                          : store_run(c->db,
                                      "UPDATE dir_services SET deleted_at = NULL, deleted_by ="
                                      " NULL, updated_at = $2 WHERE id = $1",
                                      "tt", id, c->now_iso);
    if (n < 0) return ctx_store_failure(c, n, "deleting a service");
    if (n == 0 && row_exists(c, "dir_services", id) != 1)
        return ctx_fail(c, RES_NOT_FOUND, "There is no service '%s'.", id);
    return RES_OK;
}

/* Remove a service and what only it owns (see directory.h). */
result dir_service_purge(struct ctx *c, const char *id)
{
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "starting a purge");
    int rc = delete_children(c, id);
    long long n =
        rc < 0
            ? rc
            : store_run(c->db, "DELETE FROM dir_service_versions WHERE service_id = $1", "t", id);
    if (n >= 0) n = store_run(c->db, "DELETE FROM dir_services WHERE id = $1", "t", id);
    /* Locations no service uses any more go too: nothing else shows them. */
    if (n >= 0)
        n = store_run(c->db,
                      "DELETE FROM dir_addresses WHERE location_id NOT IN"
                      " (SELECT location_id FROM dir_service_at_locations)",
                      "");
    if (n >= 0)
        n = store_run(c->db,
                      "DELETE FROM dir_accessibility WHERE location_id NOT IN"
                      " (SELECT location_id FROM dir_service_at_locations)",
                      "");
    if (n >= 0)
        n = store_run(c->db,
                      "DELETE FROM dir_locations WHERE id NOT IN"
                      " (SELECT location_id FROM dir_service_at_locations)",
                      "");
    if (n < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "purging a service");
    }
    return store_commit(c->db) == 0 ? RES_OK
                                    : ctx_store_failure(c, STORE_E_ERROR, "purging a service");
}
