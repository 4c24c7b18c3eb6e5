/*
 * test_dir_bulk.c: the directory's bulk write (domain/dir_bulk.c). Rows
 * it holds back must end as if each service had been written on its own:
 * the same services, documents, rows and places, whatever the order of
 * shared locations, repeated services and locations named only by id; on
 * an empty directory and on one that has rows; and nothing at all, with
 * every index back, when the write is rolled back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "domain/dir_internal.h"
#include "domain/directory.h"
#include "dir_world.h"
#include "unit.h"

/* Two directories side by side: one written a service at a time, one by
 * bulk writes. */
struct pair {
    struct fx *one, *bulk;
};

/* What both directories start with: an organization, a term, and a
 * neighbourhood whose LSOA holds the postcode HX1 1QG, so venues there
 * are placed. */
static void add_basics(struct fx *f)
{
    dir_world_basics(f);
    fx_sql(f, "INSERT INTO places (id, name, created_at, updated_at) VALUES (7, 'Calderdale',"
              " 'x', 'x');"
              "INSERT INTO neighbourhoods (id, place_id, name, population, imd_decile,"
              " created_at, updated_at) VALUES (70, 7, 'Halifax Central', 9000, 3, 'x', 'x');"
              "INSERT INTO postcodes (postcode, latitude, longitude, lsoa)"
              " VALUES ('HX11QG', 53.72, -1.86, 'E01011000');"
              "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id) VALUES ('E01011000', 70);");
}

static int pair_setup(void **state)
{
    struct pair *p = calloc(1, sizeof *p);
    void *a, *b;
    if (fx_setup(&a) != 0 || fx_setup(&b) != 0) return -1;
    p->one = a;
    p->bulk = b;
    add_basics(p->one);
    add_basics(p->bulk);
    *state = p;
    return 0;
}

static int pair_teardown(void **state)
{
    struct pair *p = *state;
    void *a = p->one, *b = p->bulk;
    fx_teardown(&a);
    fx_teardown(&b);
    free(p);
    return 0;
}

/* A service with one venue and a few children; the texts are the ids. */
static json_t *service(const char *id, const char *name, const char *venue)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"id\":\"%s\",\"organization_id\":\"org-1\",\"name\":\"%s\",\"status\":\"active\","
             "\"description\":\"Songs for %s\","
             "\"service_at_locations\":[{\"id\":\"%s-sal\",\"location\":%s,"
             "\"schedules\":[{\"id\":\"%s-sch\",\"freq\":\"WEEKLY\",\"byday\":\"MO\","
             "\"opens_at\":\"10:00\",\"closes_at\":\"11:00\"}]}],"
             "\"phones\":[{\"id\":\"%s-ph\",\"number\":\"01632 960001\"}],"
             "\"contacts\":[{\"id\":\"%s-ct\",\"name\":\"Ann\","
             "\"phones\":[{\"id\":\"%s-ctph\",\"number\":\"01632 960002\"}]}],"
             "\"cost_options\":[{\"id\":\"%s-co\",\"option\":\"Session\",\"amount\":2}],"
             "\"attributes\":[{\"id\":\"%s-at\",\"taxonomy_term_id\":\"term-sing\"}]}",
             id, name, name, id, venue, id, id, id, id, id, id);
    return J(text);
}

/* A venue given inline, with the addresses given. */
static const char *venue(char *out, size_t size, const char *id, const char *addresses)
{
    snprintf(out, size,
             "{\"id\":\"%s\",\"name\":\"Venue %s\",\"latitude\":53.7,\"longitude\":-1.8,"
             "\"addresses\":[%s]}",
             id, id, addresses);
    return out;
}

static const char addr_a[] = "{\"id\":\"ad-a\",\"address_1\":\"1 Square Road\",\"city\":"
                             "\"Halifax\",\"postal_code\":\"HX1 1QG\",\"country\":\"GB\","
                             "\"state_province\":\"West Yorkshire\"}";
static const char addr_b[] = "{\"id\":\"ad-b\",\"address_1\":\"2 Square Road\",\"city\":"
                             "\"Halifax\",\"postal_code\":\"HX1 1QG\",\"country\":\"GB\","
                             "\"state_province\":\"West Yorkshire\"}";
static const char addr_c[] = "{\"id\":\"ad-c\",\"address_1\":\"3 Mill Lane\",\"city\":"
                             "\"Leeds\",\"postal_code\":\"LS1 1AA\",\"country\":\"GB\","
                             "\"state_province\":\"West Yorkshire\"}";
static const char addr_d[] = "{\"id\":\"ad-d\",\"address_1\":\"4 Mill Lane\",\"city\":"
                             "\"Leeds\",\"postal_code\":\"LS1 1AA\",\"country\":\"GB\","
                             "\"state_province\":\"West Yorkshire\"}";

/* The sequence of services both directories are given. */
static json_t **sequence(size_t *n)
{
    static json_t *docs[8];
    char v1[1024], v2[1024], v3[1024];
    size_t k = 0;
    docs[k++] = service("svc-a", "Alpha", venue(v1, sizeof v1, "loc-1", addr_a));
    /* The same venue again, its addresses replaced. */
    char two[600];
    snprintf(two, sizeof two, "%s,%s", addr_b, addr_c);
    docs[k++] = service("svc-b", "Beta", venue(v2, sizeof v2, "loc-1", two));
    /* A venue named only by id: it must be there to be referred to. */
    json_t *c = service("svc-c", "Gamma", "null");
    json_t *sal = json_array_get(json_object_get(c, "service_at_locations"), 0);
    json_object_del(sal, "location");
    json_object_set_new(sal, "location_id", json_string("loc-1"));
    docs[k++] = c;
    /* The first service again: renamed, on a new venue, its phone gone. */
    json_t *a2 = service("svc-a", "Alpha Two", venue(v3, sizeof v3, "loc-2", addr_d));
    json_object_set_new(a2, "phones", json_array());
    docs[k++] = a2;
    *n = k;
    return docs;
}

/* Release the documents a test made. */
static void free_docs(json_t **docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(docs[i]);
}

/* How many indexes and triggers the schema has (a bulk write sets some
 * aside and must bring them all back). */
static const char schema_objects[] = "SELECT count(*) FROM sqlite_schema WHERE type IN"
                                     " ('index', 'trigger')";

/* Store every document of the sequence, each on its own or in one bulk;
 * limit: the bulk writes what it holds once its texts pass this many bytes
 * (0: only at the end, as an import of this size does); stream: it hands
 * the rows services own to its writer once this many are held (0: the
 * default, more than these tests ever hold). */
static void store_all_with(struct fx *f, json_t **docs, size_t n, bool bulk, size_t limit,
                           size_t stream)
{
    struct dir_bulk *b = bulk ? dir_bulk_begin(&f->c) : NULL;
    if (bulk) assert_non_null(b);
    if (b && limit) dir_bulk_set_limit(b, limit);
    if (b && stream) dir_bulk_set_stream(b, stream);
    for (size_t i = 0; i < n; i++) {
        json_t *doc = json_deep_copy(docs[i]);
        struct dir_write_opts o = {.bulk = b};
        assert_int_equal(dir_service_store(&f->c, doc, &o), RES_OK);
        json_decref(doc);
    }
    if (bulk) {
        assert_int_equal(dir_bulk_flush(&f->c, b), RES_OK);
        assert_int_equal(dir_bulk_end(&f->c, b, true), RES_OK);
    }
}

static void store_all(struct fx *f, json_t **docs, size_t n, bool bulk)
{
    store_all_with(f, docs, n, bulk, 0, 0);
}

/* Every row of the directory's tables as text, in id order (a bulk write
 * may number rows differently; nothing shows row numbers). */
static char *dump(struct fx *f)
{
    static const char *const sql[] = {
        "SELECT id, name, document, summary_len, keywords, free, state FROM dir_services",
        "SELECT id, name, place_id, neighbourhood_id, latitude FROM dir_locations",
        "SELECT id, location_id, address_1, postal_code FROM dir_addresses",
        "SELECT id, service_id, location_id FROM dir_service_at_locations",
        "SELECT id, service_id, service_at_location_id, opens_at FROM dir_schedules",
        "SELECT id, service_id, contact_id, number FROM dir_phones",
        "SELECT id, service_id, name FROM dir_contacts",
        "SELECT id, service_id, amount FROM dir_cost_options",
        "SELECT id, link_id, taxonomy_term_id FROM dir_attributes",
        "SELECT s.id FROM dir_services_fts JOIN dir_services s ON s.rid = dir_services_fts.rowid"
        " WHERE dir_services_fts MATCH 'songs'",
    };
    buf b;
    buf_init(&b, f->c.a, 4096);
    for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
        char text[512];
        snprintf(text, sizeof text, "%s ORDER BY 1", sql[q]);
        store_stmt *st = store_prepare(f->c.db, text);
        assert_non_null(st);
        while (store_step(st) == STORE_ROW) {
            for (int i = 0; i < store_col_count(st); i++)
                buf_printf(&b, "%s|", store_col_null(st, i) ? "NULL" : store_col_text(st, i));
            buf_putc(&b, '\n');
        }
        store_done(st);
        buf_puts(&b, "--\n");
    }
    return b.data;
}

/* The sequence stored one at a time and in one bulk write (limit and
 * stream as store_all_with() takes them) ends the same, and what the
 * comparison rests on is really there. */
static void sequence_ends_the_same(struct pair *p, size_t limit, size_t stream)
{
    size_t n;
    json_t **docs = sequence(&n);
    store_all(p->one, docs, n, false);
    store_all_with(p->bulk, docs, n, true, limit, stream);
    assert_string_equal(dump(p->bulk), dump(p->one));
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_services"), 3);
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_addresses WHERE location_id"
                                       " = 'loc-1'"),
                     2);
    assert_int_equal(fx_count(p->bulk, "SELECT neighbourhood_id FROM dir_locations WHERE id"
                                       " = 'loc-1'"),
                     70);
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_phones WHERE service_id"
                                       " = 'svc-a'"),
                     0);
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_services WHERE name"
                                       " = 'Alpha Two'"),
                     1);
    free_docs(docs, n);
}

/* Services and their rows end the same either way: shared venues, a venue
 * named by id, a service written twice, venues placed by postcode. */
static void a_bulk_write_ends_as_one_at_a_time(void **state)
{
    sequence_ends_the_same(*state, 0, 0);
}

/* The same when the bulk write writes what it holds after every service
 * (as a large import does every 256 MiB): each write lands between two
 * services, never inside one, so the next finds all of a service's or a
 * venue's rows on one side. */
static void a_bulk_write_written_as_it_goes_ends_the_same(void **state)
{
    sequence_ends_the_same(*state, 1, 0);
}

/* The same when the rows services own go to the writer after every
 * service, on its own thread: the service stored again is met among the
 * rows the writer has, and so is a venue named by id; nothing is lost or
 * written twice. */
static void a_streamed_bulk_write_ends_the_same(void **state)
{
    sequence_ends_the_same(*state, 0, 1);
}

/* A write that comes when the held rows pass the limit waits for the
 * service being stored to be held whole: written halfway (its row, not yet
 * its phone), the service stored again would find its row in the database
 * and delete its children there, while its old phone, still held, came
 * back afterwards. 2,500 bytes is more than this service's row and less
 * than its row and children: written mid-service, it would have been
 * written right after the row (this test failed so). */
static void a_write_between_services_keeps_a_service_whole(void **state)
{
    struct pair *p = *state;
    char v[1024];
    json_t *docs[2] = {service("svc-a", "Alpha", venue(v, sizeof v, "loc-1", addr_a)),
                       service("svc-a", "Alpha Again", venue(v, sizeof v, "loc-1", addr_a))};
    json_object_set_new(docs[1], "phones", json_array());
    json_object_set_new(docs[1], "contacts", json_array());
    store_all(p->one, docs, 2, false);
    store_all_with(p->bulk, docs, 2, true, 2500, 0);
    assert_string_equal(dump(p->bulk), dump(p->one));
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_phones"), 0);
    free_docs(docs, 2);
}

/* A service met again after its rows went to the writer, before anything
 * else made the bulk write write what it holds: its old children must go,
 * as they do when it is stored again on its own. */
static void a_streamed_service_stored_again_ends_the_same(void **state)
{
    struct pair *p = *state;
    char v1[1024], v2[1024], v3[1024];
    json_t *docs[3] = {service("svc-a", "Alpha", venue(v1, sizeof v1, "loc-1", addr_a)),
                       service("svc-b", "Beta", venue(v2, sizeof v2, "loc-2", addr_c)),
                       service("svc-a", "Alpha Again", venue(v3, sizeof v3, "loc-3", addr_d))};
    json_object_set_new(docs[2], "phones", json_array());
    store_all(p->one, docs, 3, false);
    store_all_with(p->bulk, docs, 3, true, 0, 1);
    assert_string_equal(dump(p->bulk), dump(p->one));
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_phones WHERE service_id"
                                       " = 'svc-a' AND contact_id IS NULL"),
                     0);
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_service_at_locations WHERE"
                                       " service_id = 'svc-a'"),
                     1);
    free_docs(docs, 3);
}

/* A child's id that went to the writer with one service and comes again
 * under another (a feed moving a phone, a cost option, a term's link) is
 * updated where it stands, as the upsert a held row stands for would be;
 * services stream in between, and the later ones are still new. */
static void a_streamed_child_moved_to_another_service_ends_the_same(void **state)
{
    struct pair *p = *state;
    char v1[1024], v2[1024], v3[1024];
    json_t *docs[3] = {service("svc-x", "Ex", venue(v1, sizeof v1, "loc-1", addr_a)),
                       service("svc-y", "Why", venue(v2, sizeof v2, "loc-2", addr_c)),
                       service("svc-z", "Zed", venue(v3, sizeof v3, "loc-1", addr_b))};
    /* svc-y takes svc-x's phone and cost option. */
    json_object_set_new(docs[1], "phones",
                        J("[{\"id\":\"svc-x-ph\",\"number\":\"01632 960009\"}]"));
    json_object_set_new(docs[1], "cost_options",
                        J("[{\"id\":\"svc-x-co\",\"option\":\"Moved\",\"amount\":0}]"));
    /* Written on its own, an edit may not take another service's rows:
     * the reference is a bulk write that holds everything to the end. */
    store_all(p->one, docs, 3, true);
    store_all_with(p->bulk, docs, 3, true, 0, 1);
    assert_string_equal(dump(p->bulk), dump(p->one));
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_phones WHERE id = 'svc-x-ph'"
                                       " AND service_id = 'svc-y'"),
                     1);
    assert_int_equal(fx_count(p->bulk, "SELECT count(*) FROM dir_services"), 3);
    free_docs(docs, 3);
}

/* The same on a directory that has rows already: every write is then an
 * update or a replacement, nothing is new. */
static void a_bulk_write_over_rows_ends_the_same(void **state)
{
    struct pair *p = *state;
    size_t n;
    json_t **docs = sequence(&n);
    store_all(p->one, docs, n, false);
    store_all(p->bulk, docs, n, false);
    /* Again, with the first service's venue changed once more. */
    char v[512];
    json_decref(docs[0]);
    docs[0] = service("svc-a", "Alpha Three", venue(v, sizeof v, "loc-1", addr_b));
    store_all(p->one, docs, n, false);
    store_all(p->bulk, docs, n, true);
    assert_string_equal(dump(p->bulk), dump(p->one));
    free_docs(docs, n);
}

/* Rolled back, a bulk write leaves nothing of its rows, and the indexes
 * and triggers it set aside on empty tables are back. */
static void a_rolled_back_bulk_write_leaves_nothing(void **state)
{
    struct pair *p = *state;
    struct fx *f = p->bulk;
    long long before = fx_count(f, schema_objects);
    struct dir_bulk *b = dir_bulk_begin(&f->c);
    assert_non_null(b);
    /* The empty tables' own indexes, and the services' triggers, wait
     * for their rows. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                 " ('dir_sal_service', 'dir_services_fts_insert')"),
                     0);
    size_t n;
    json_t **docs = sequence(&n);
    for (size_t i = 0; i < n; i++) {
        struct dir_write_opts o = {.bulk = b};
        assert_int_equal(dir_service_store(&f->c, docs[i], &o), RES_OK);
    }
    assert_int_equal(dir_bulk_flush(&f->c, b), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 3);
    assert_int_equal(dir_bulk_end(&f->c, b, false), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_locations"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_services_fts"), 0);
    assert_int_equal(fx_count(f, schema_objects), before);
    free_docs(docs, n);
}

/* A kept bulk write has its indexes and triggers back, and the planner
 * uses the indexes. */
static void a_kept_bulk_write_has_its_indexes(void **state)
{
    struct pair *p = *state;
    struct fx *f = p->bulk;
    long long before = fx_count(f, schema_objects);
    size_t n;
    json_t **docs = sequence(&n);
    store_all(f, docs, n, true);
    assert_int_equal(fx_count(f, schema_objects), before);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM dir_service_at_locations INDEXED BY"
                                 " dir_sal_service WHERE service_id = 'svc-b'"),
                     1);
    free_docs(docs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_bulk_write_ends_as_one_at_a_time, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_bulk_write_written_as_it_goes_ends_the_same, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_write_between_services_keeps_a_service_whole, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_streamed_bulk_write_ends_the_same, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_streamed_service_stored_again_ends_the_same, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_streamed_child_moved_to_another_service_ends_the_same,
                                        pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(a_bulk_write_over_rows_ends_the_same, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_rolled_back_bulk_write_leaves_nothing, pair_setup,
                                        pair_teardown),
        cmocka_unit_test_setup_teardown(a_kept_bulk_write_has_its_indexes, pair_setup,
                                        pair_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
