/*
 * test_dir_search.c: the directory search (domain/dir_search*.c) over a
 * small directory built through the core (dir_organization_store,
 * dir_service_store): parameters read and refused by name, ranking (name
 * before description), word endings and case, each filter and their
 * combinations, distances and their order, pages, what the public never
 * sees (pending and deleted services), and the single reads and lists the
 * API serves. The same checks run on the larger candidate sets that switch
 * the search to its other plans.
 */
#include "unit.h"

#include "base/buf.h"

#include "domain/dir_search.h"
#include "domain/dir_search_index.h"
#include "domain/directory.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>

/* ---- building a directory ---- */

static json_t *J(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v) fail_msg("bad test JSON: %s: %s", err.text, text);
    return v;
}

static void store_json(struct fx *f, result (*fn)(struct ctx *, json_t *), const char *text)
{
    json_t *o = J(text);
    result res = fn(&f->c, o);
    if (res != RES_OK)
        fail_msg("store %s: %s %s", text, f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    json_decref(o);
}

static void org(struct fx *f, const char *id, const char *name)
{
    json_t *o =
        J(arena_printf(f->c.a, "{\"id\":\"%s\",\"name\":\"%s\",\"description\":\"d\"}", id, name));
    assert_int_equal(dir_organization_store(&f->c, o, 0), RES_OK);
    json_decref(o);
}

/* One service: extra is more JSON members (with a leading comma) or "". */
static void service(struct fx *f, const char *id, const char *org_id, const char *name,
                    const char *desc, const char *extra, enum dir_state_flag state)
{
    json_t *doc = J(arena_printf(f->c.a,
                                 "{\"id\":\"%s\",\"organization_id\":\"%s\",\"name\":\"%s\","
                                 "\"description\":\"%s\",\"status\":\"active\"%s}",
                                 id, org_id, name, desc, extra));
    struct dir_write_opts o = {.state = state};
    result res = dir_service_store(&f->c, doc, &o);
    if (res != RES_OK)
        fail_msg("store service %s: %s %s %s", id, f->c.detail ? f->c.detail : "",
                 f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    json_decref(doc);
}

/* A service_at_locations member: one location at lat/lng with a schedule. */
static const char *at(struct fx *f, const char *sal, const char *loc, double lat, double lng,
                      const char *schedule)
{
    return arena_printf(f->c.a,
                        "{\"id\":\"%s\",\"location\":{\"id\":\"%s\",\"name\":\"Hall %s\","
                        "\"location_type\":\"physical\",\"latitude\":%.6f,\"longitude\":%.6f}"
                        "%s%s%s}",
                        sal, loc, loc, lat, lng, schedule ? ",\"schedules\":[" : "",
                        schedule ? schedule : "", schedule ? "]" : "");
}

/* Halifax centre, and points at known distances from it. */
#define HX_LAT 53.7200
#define HX_LNG -1.8600

/*
 * The directory most tests use:
 *   s-brain   "Singing for the Brain"   singing, dementia; HX centre; MO 10-12; 50-99; free
 *   s-choir   "Community Choir"         desc mentions singing; ~2.2 km north; TU 18-20; 5 pounds
 *   s-pottery "Pottery Club"            crafts; ~1.1 km east; WE 09:30-11; 16-
 *   s-walks   "Garden Walks"            nature; no location; service schedule SA
 *   s-leeds   "Leeds Singers"           singing; Leeds (~25 km); MO 19-21
 *   s-secret  "Secret Singing"          pending
 *   s-gone    "Deleted Singers"         deleted
 */
static void build(struct fx *f)
{
    org(f, "o-calder", "Calder Arts");
    org(f, "o-leeds", "Leeds Music");
    store_json(f, dir_taxonomy_store,
               "{\"id\":\"tx-act\",\"name\":\"Activities\",\"description\":\"What\"}");
    store_json(f, dir_taxonomy_store,
               "{\"id\":\"tx-need\",\"name\":\"Needs\",\"description\":\"Why\"}");
    store_json(f, dir_taxonomy_term_store,
               "{\"id\":\"t-sing\",\"name\":\"Singing\",\"taxonomy_id\":\"tx-act\"}");
    store_json(f, dir_taxonomy_term_store,
               "{\"id\":\"t-craft\",\"name\":\"Crafts\",\"taxonomy_id\":\"tx-act\"}");
    store_json(f, dir_taxonomy_term_store,
               "{\"id\":\"t-nature\",\"name\":\"Nature\",\"taxonomy_id\":\"tx-act\"}");
    store_json(f, dir_taxonomy_term_store,
               "{\"id\":\"t-dementia\",\"name\":\"Dementia\",\"taxonomy_id\":\"tx-need\"}");
    store_json(f, dir_taxonomy_term_store,
               "{\"id\":\"t-lonely\",\"name\":\"Loneliness\",\"taxonomy_id\":\"tx-need\","
               "\"parent_id\":\"t-dementia\"}");
    const char *attr = ",\"attributes\":[{\"taxonomy_term_id\":\"%s\"}%s]";
    service(f, "s-brain", "o-calder", "Singing for the Brain",
            "A weekly group for people living with dementia and their carers.",
            arena_printf(
                f->c.a, "%s,\"minimum_age\":50,\"maximum_age\":99,\"service_at_locations\":[%s]",
                arena_printf(f->c.a, attr, "t-sing", ",{\"taxonomy_term_id\":\"t-dementia\"}"),
                at(f, "sal-brain", "l-hx", HX_LAT, HX_LNG,
                   "{\"byday\":\"MO\",\"freq\":\"WEEKLY\",\"opens_at\":\"10:00\","
                   "\"closes_at\":\"12:00\"}")),
            DIR_PUBLISHED);
    service(f, "s-choir", "o-calder", "Community Choir",
            "Everyone welcome: we sing songs from the shows. Singing is good for you.",
            arena_printf(f->c.a,
                         "%s,\"minimum_age\":18,\"service_at_locations\":[%s],"
                         "\"cost_options\":[{\"option\":\"Session\",\"amount\":5}]",
                         arena_printf(f->c.a, attr, "t-sing", ""),
                         at(f, "sal-choir", "l-north", HX_LAT + 0.02, HX_LNG,
                            "{\"byday\":\"TU\",\"freq\":\"WEEKLY\",\"opens_at\":\"18:00\","
                            "\"closes_at\":\"20:00\"}")),
            DIR_PUBLISHED);
    service(f, "s-pottery", "o-calder", "Pottery Club", "Clay, glaze and kilns.",
            arena_printf(f->c.a, "%s,\"minimum_age\":16,\"service_at_locations\":[%s]",
                         arena_printf(f->c.a, attr, "t-craft", ""),
                         at(f, "sal-pottery", "l-east", HX_LAT, HX_LNG + 0.0166,
                            "{\"byday\":\"WE\",\"freq\":\"WEEKLY\",\"opens_at\":\"09:30\","
                            "\"closes_at\":\"11:00\"}")),
            DIR_PUBLISHED);
    service(f, "s-walks", "o-calder", "Garden Walks", "Gentle walks in the park gardens.",
            arena_printf(f->c.a,
                         "%s,\"schedules\":[{\"byday\":\"SA\",\"freq\":\"WEEKLY\","
                         "\"opens_at\":\"11:00\",\"closes_at\":\"12:00\"}]",
                         arena_printf(f->c.a, attr, "t-nature", "")),
            DIR_PUBLISHED);
    service(f, "s-leeds", "o-leeds", "Leeds Singers", "A city choir.",
            arena_printf(f->c.a, "%s,\"service_at_locations\":[%s]",
                         arena_printf(f->c.a, attr, "t-sing", ""),
                         at(f, "sal-leeds", "l-leeds", 53.7997, -1.5492,
                            "{\"byday\":\"MO\",\"freq\":\"WEEKLY\",\"opens_at\":\"19:00\","
                            "\"closes_at\":\"21:00\"}")),
            DIR_PUBLISHED);
    service(f, "s-secret", "o-calder", "Secret Singing", "Not approved yet.",
            arena_printf(f->c.a, "%s,\"service_at_locations\":[%s]",
                         arena_printf(f->c.a, attr, "t-sing", ""),
                         at(f, "sal-secret", "l-secret", HX_LAT, HX_LNG, NULL)),
            DIR_PENDING);
    service(f, "s-gone", "o-calder", "Deleted Singers", "Gone.",
            arena_printf(f->c.a, "%s,\"service_at_locations\":[%s]",
                         arena_printf(f->c.a, attr, "t-sing", ""),
                         at(f, "sal-gone", "l-gone", HX_LAT, HX_LNG, NULL)),
            DIR_PUBLISHED);
    assert_int_equal(dir_service_set_deleted(&f->c, "s-gone", true), RES_OK);
    /* The postcode of the centre, and an outcode whose centroid is elsewhere. */
    assert_true(store_run(f->c.db,
                          "INSERT INTO postcodes (postcode, latitude, longitude) VALUES"
                          " ('HX11AA', $1, $2)",
                          "dd", HX_LAT, HX_LNG) >= 0);
    assert_true(store_run(f->c.db,
                          "INSERT OR REPLACE INTO outcodes (outcode, latitude, longitude) VALUES"
                          " ('HX1', $1, $2)",
                          "dd", HX_LAT + 0.02, HX_LNG) >= 0);
}

static int setup(void **state)
{
    if (fx_setup(state) != 0) return -1;
    build(*state);
    return 0;
}

/* ---- running searches ---- */

/* Runs a search from "name=value&..." text (no escaping needed in tests). */
static result run(struct fx *f, enum dir_unit unit, const char *query, struct dir_results *out)
{
    ctx_clear_errors(&f->c);
    struct dir_param p[24];
    int n = 0;
    char *s = arena_strdup(f->c.a, query), *save = NULL;
    for (char *tok = strtok_r(s, "&", &save); tok && n < 24; tok = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(tok, '=');
        if (eq) *eq = 0;
        p[n].name = tok;
        p[n].value = eq ? eq + 1 : "";
        n++;
    }
    struct dir_query q;
    dir_query_init(&q, unit);
    result res = dir_query_parse(&f->c, &q, p, n, DIR_Q_WEB, NULL);
    if (res != RES_OK) return res;
    return dir_search(&f->c, &q, DIR_FETCH_SUMMARY | DIR_FETCH_LOCATION, out);
}

/* The ids found, comma-separated ("s-brain,s-choir"). */
static const char *ids(struct fx *f, const char *query)
{
    struct dir_results r;
    result res = run(f, DIR_UNIT_SERVICE, query, &r);
    if (res != RES_OK)
        fail_msg("search %s: %d %s", query, res, f->c.nerrors ? f->c.errors[0].message : "");
    buf b;
    buf_init(&b, f->c.a, 64);
    for (int i = 0; i < r.nhits; i++)
        buf_printf(&b, "%s%s", i ? "," : "", r.hits[i].id);
    return b.data;
}

/* The same for service_at_locations: their ids. */
static const char *sal_ids(struct fx *f, const char *query)
{
    struct dir_results r;
    result res = run(f, DIR_UNIT_SERVICE_AT_LOCATION, query, &r);
    if (res != RES_OK) fail_msg("search %s: %d", query, res);
    buf b;
    buf_init(&b, f->c.a, 64);
    for (int i = 0; i < r.nhits; i++)
        buf_printf(&b, "%s%s", i ? "," : "", r.hits[i].sal_id);
    return b.data;
}

/* The parameter a refused query names first. */
static const char *refused(struct fx *f, const char *query)
{
    struct dir_results r;
    result res = run(f, DIR_UNIT_SERVICE, query, &r);
    if (res != RES_INVALID) fail_msg("%s was not refused (%d)", query, res);
    assert_true(f->c.nerrors > 0);
    return f->c.errors[0].field;
}

/* ---- the tests ---- */

static void the_listing_is_by_name_and_only_public(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, ""), "s-choir,s-walks,s-leeds,s-pottery,s-brain");
    assert_string_equal(sal_ids(f, ""), "sal-choir,sal-leeds,sal-pottery,sal-brain");
}

static void the_name_weighs_more_than_the_description(void **state)
{
    struct fx *f = *state;
    service(f, "u-b", "o-leeds", "Music Night", "Bring your ukulele and play ukulele tunes.", "",
            DIR_PUBLISHED);
    service(f, "u-a", "o-leeds", "Ukulele Band", "Music for all.", "", DIR_PUBLISHED);
    assert_string_equal(ids(f, "search=ukulele"), "u-a,u-b");
    assert_string_equal(ids(f, "search=music&organization_id=o-leeds"), "u-b,u-a,s-leeds");
    /* "Singing" in the names of s-brain, in the description of s-choir, and
     * the term of s-leeds; the pending and deleted ones never appear. */
    const char *got = ids(f, "search=singing");
    assert_int_equal(strncmp(got, "s-brain,", 8), 0);
    assert_non_null(strstr(got, "s-choir"));
    assert_non_null(strstr(got, "s-leeds"));
    assert_null(strstr(got, "s-secret"));
    assert_null(strstr(got, "s-gone"));
}

static void word_endings_and_case_do_not_matter(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, "search=SING&organization_id=o-calder"), "s-brain,s-choir");
    assert_string_equal(ids(f, "search=singers"), "s-leeds");
    assert_string_equal(ids(f, "search=walking"), "s-walks");
    /* All words must be there; operators are only words. */
    assert_string_equal(ids(f, "search=pottery clay"), "s-pottery");
    assert_string_equal(ids(f, "search=pottery OR choir"), "");
    assert_string_equal(ids(f, "search=\"pottery"), "s-pottery");
    assert_string_equal(ids(f, "search=*:()^"), "");
    /* The organization's name and the terms are found too. */
    assert_string_equal(ids(f, "search=leeds music"), "s-leeds");
    assert_string_equal(ids(f, "search=crafts"), "s-pottery");
}

static void each_filter(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, "taxonomy_term_id=t-craft"), "s-pottery");
    assert_string_equal(ids(f, "taxonomy_term_id=t-sing"), "s-choir,s-leeds,s-brain");
    assert_string_equal(ids(f, "taxonomy_term_id=t-sing&taxonomy_term_id=t-dementia"), "s-brain");
    assert_string_equal(ids(f, "taxonomy_id=tx-need"), "s-brain");
    assert_string_equal(ids(f, "taxonomy_id=tx-nothing"), "");
    assert_string_equal(ids(f, "organization_id=o-leeds"), "s-leeds");
    /* minimum_age: services whose minimum age is at least this. */
    assert_string_equal(ids(f, "minimum_age=18"), "s-choir,s-brain");
    assert_string_equal(ids(f, "minimum_age=50"), "s-brain");
    /* maximum_age: services whose maximum age is at most this. */
    assert_string_equal(ids(f, "maximum_age=99"), "s-brain");
    assert_string_equal(ids(f, "maximum_age=98"), "");
    assert_string_equal(ids(f, "minimum_age=50&maximum_age=99"), "s-brain");
    assert_string_equal(ids(f, "day=MO"), "s-leeds,s-brain");
    assert_string_equal(ids(f, "day=monday"), "s-leeds,s-brain");
    assert_string_equal(ids(f, "day=sa"), "s-walks");
    assert_string_equal(ids(f, "start_time=18:00"), "s-choir,s-leeds");
    assert_string_equal(ids(f, "end_time=12:00"), "s-walks,s-pottery,s-brain");
    assert_string_equal(ids(f, "start_time=09:30&end_time=11:00:00"), "s-pottery");
    /* Day and times hold together on one schedule. */
    assert_string_equal(ids(f, "day=MO&start_time=19:00"), "s-leeds");
    assert_string_equal(ids(f, "day=TU&start_time=19:00"), "");
    assert_string_equal(ids(f, "free_only=true"), "s-walks,s-leeds,s-pottery,s-brain");
    assert_string_equal(ids(f, "free_only=false"), "s-choir,s-walks,s-leeds,s-pottery,s-brain");
    assert_string_equal(ids(f, "modified_after=2000-01-01"),
                        "s-choir,s-walks,s-leeds,s-pottery,s-brain");
    assert_string_equal(ids(f, "modified_after=2100-01-01T00:00:00Z"), "");
    /* FX_NOW is 2026-11-26T09:00:00Z: an hour later in +01:00 is the same instant. */
    assert_string_equal(ids(f, "modified_after=2026-11-26T10:00:00+01:00&organization_id=o-leeds"),
                        "s-leeds");
}

static void filters_combine(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, "search=singing&taxonomy_term_id=t-sing&day=MO"), "s-brain,s-leeds");
    assert_string_equal(ids(f, "search=singing&taxonomy_term_id=t-sing&day=MO&minimum_age=50"),
                        "s-brain");
    assert_string_equal(
        ids(f, "search=singing&postcode=HX1 1AA&proximity=5000&taxonomy_term_id=t-sing"),
        "s-brain,s-choir");
    assert_string_equal(ids(f, "search=choir&postcode=HX11AA&proximity=5000&day=TU"), "s-choir");
    assert_string_equal(ids(f, "search=choir&postcode=HX11AA&proximity=1000"), "");
    assert_string_equal(ids(f, "organization_id=o-calder&taxonomy_id=tx-act&free_only=1"),
                        "s-walks,s-pottery,s-brain");
}

static void distances_order_and_values(void **state)
{
    struct fx *f = *state;
    struct dir_results r;
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "postcode=hx1 1aa&proximity=3000", &r), RES_OK);
    assert_string_equal(r.postcode, "HX1 1AA");
    assert_false(r.approximate);
    assert_int_equal(r.total, 3);
    assert_string_equal(r.hits[0].id, "s-brain");
    assert_string_equal(r.hits[1].id, "s-pottery");
    assert_string_equal(r.hits[2].id, "s-choir");
    assert_true(r.hits[0].has_distance);
    assert_true(r.hits[0].distance_m < 1);
    /* 0.0166 degrees of longitude at 53.72 N is about 1,094 m; 0.02 of latitude 2,224 m. */
    assert_true(fabs(r.hits[1].distance_m - 1094) < 15);
    assert_true(fabs(r.hits[2].distance_m - 2224) < 15);
    assert_string_equal(r.hits[1].location_id, "l-east");
    /* Without proximity everything is listed by distance, the unlocated last. */
    assert_string_equal(ids(f, "postcode=HX11AA"), "s-brain,s-pottery,s-choir,s-leeds,s-walks");
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "postcode=HX11AA", &r), RES_OK);
    assert_false(r.hits[4].has_distance);
    assert_true(fabs(r.hits[3].distance_m - 22270) < 300);
    /* An unknown full postcode falls back to its outcode (approximate). */
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "postcode=HX1 9ZZ&proximity=1000", &r), RES_OK);
    assert_true(r.approximate);
    assert_int_equal(r.total, 1);
    assert_string_equal(r.hits[0].id, "s-choir");
    /* service_at_locations: each carries its own location and distance. */
    assert_string_equal(sal_ids(f, "postcode=HX11AA&proximity=3000"),
                        "sal-brain,sal-pottery,sal-choir");
    assert_int_equal(run(f, DIR_UNIT_SERVICE_AT_LOCATION, "postcode=HX11AA&proximity=1500", &r),
                     RES_OK);
    assert_int_equal(r.nhits, 2);
    json_t *loc = J(r.hits[1].location_json);
    assert_string_equal(json_string_value(json_object_get(loc, "id")), "l-east");
    assert_true(fabs(json_real_value(json_object_get(loc, "longitude")) - (HX_LNG + 0.0166)) <
                1e-6);
    json_decref(loc);
    json_t *sum = J(r.hits[1].summary);
    assert_string_equal(json_string_value(json_object_get(sum, "name")), "Pottery Club");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(sum, "organization"), "name")),
        "Calder Arts");
    json_decref(sum);
    /* A postcode nobody knows, not even its outcode, names the parameter. */
    ctx_clear_errors(&f->c);
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "postcode=ZZ9 9ZZ", &r), RES_INVALID);
    assert_string_equal(f->c.errors[0].field, "postcode");
}

/* The ends of the index's bands of latitude: venues at the poles are out
 * of a circle in Halifax, and found from near the pole, where a box spans
 * every longitude. */
static void venues_at_the_poles(void **state)
{
    struct fx *f = *state;
    fx_sql(f, "UPDATE dir_locations SET latitude = 90 WHERE id = 'l-north';"
              "UPDATE dir_locations SET latitude = -90 WHERE id = 'l-east';"
              "INSERT INTO postcodes (postcode, latitude, longitude) VALUES"
              " ('NP11AA', 89.99, 120), ('SP11AA', -89.99, -60)");
    assert_string_equal(ids(f, "postcode=HX11AA&proximity=3000"), "s-brain");
    assert_string_equal(ids(f, "postcode=NP11AA&proximity=5000"), "s-choir");
    assert_string_equal(ids(f, "postcode=SP11AA&proximity=5000&taxonomy_term_id=t-craft"),
                        "s-pottery");
    assert_string_equal(ids(f, "postcode=SP11AA&proximity=500"), "");
}

/* A circle of 1,000 km spans 360 bands of latitude: venues in 320 of them
 * (more than an earlier version read) are all found, as by SQL. */
static void a_wide_circle_reads_every_band(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->c.db), 0);
    for (int i = 0; i < 320; i++)
        service(f, arena_printf(f->c.a, "band-%03d", i), "o-leeds", "Drumming circle",
                "Beginners welcome.",
                arena_printf(f->c.a,
                             ",\"attributes\":[{\"taxonomy_term_id\":\"t-craft\"}],"
                             "\"service_at_locations\":[%s]",
                             at(f, arena_printf(f->c.a, "band-sal-%d", i),
                                arena_printf(f->c.a, "band-loc-%d", i), HX_LAT - 8.4 + i * 0.053,
                                HX_LNG, NULL)),
                DIR_PUBLISHED);
    assert_int_equal(store_commit(f->c.db), 0);
    static const char *const queries[] = {
        "postcode=HX11AA&proximity=1000000&per_page=1000",
        "search=drumming&postcode=HX11AA&proximity=1000000&taxonomy_term_id=t-craft&per_page=1000",
        NULL,
    };
    for (int i = 0; queries[i]; i++) {
        struct dir_results mem, sql;
        assert_int_equal(run(f, DIR_UNIT_SERVICE, queries[i], &mem), RES_OK);
        assert_true(mem.total >= 320);
        assert_int_equal(store_begin(f->c.db), 0);
        assert_int_equal(run(f, DIR_UNIT_SERVICE, queries[i], &sql), RES_OK);
        assert_int_equal(store_rollback(f->c.db), 0);
        assert_int_equal(mem.total, sql.total);
    }
}

/* Past their budget, terms' point indexes make room for the one a search
 * needs (the others are remade when next wanted), and answers stay whole. */
static void term_points_keep_to_their_budget(void **state)
{
    struct fx *f = *state;
    struct dsi *x = dsi_get(&f->c);
    assert_non_null(x);
    dsi_limit_term_points(x, 1);
    const char *sing = "postcode=HX11AA&proximity=30000&taxonomy_term_id=t-sing";
    const char *craft = "postcode=HX11AA&proximity=30000&taxonomy_term_id=t-craft";
    assert_string_equal(ids(f, sing), "s-brain,s-choir,s-leeds");
    size_t sing_bytes = dsi_term_point_bytes(x);
    assert_true(sing_bytes > 0);
    assert_string_equal(ids(f, craft), "s-pottery");
    size_t craft_bytes = dsi_term_point_bytes(x);
    assert_true(craft_bytes > 0 && craft_bytes < sing_bytes); /* t-sing's went */
    assert_string_equal(ids(f, sing), "s-brain,s-choir,s-leeds");
    assert_int_equal(dsi_term_point_bytes(x), sing_bytes);
    /* Within the default budget both stay. */
    dsi_limit_term_points(x, 0);
    assert_string_equal(ids(f, craft), "s-pottery");
    assert_int_equal(dsi_term_point_bytes(x), sing_bytes + craft_bytes);
}

static void pages(void **state)
{
    struct fx *f = *state;
    struct dir_results r;
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "per_page=2", &r), RES_OK);
    assert_int_equal(r.total, 5);
    assert_int_equal(r.total_pages, 3);
    assert_int_equal(r.nhits, 2);
    assert_string_equal(ids(f, "per_page=2&page=2"), "s-leeds,s-pottery");
    assert_string_equal(ids(f, "per_page=2&page=3"), "s-brain");
    assert_string_equal(ids(f, "per_page=2&page=4"), "");
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "per_page=2&page=9", &r), RES_OK);
    assert_int_equal(r.total, 5);
    assert_int_equal(r.page, 9);
    assert_int_equal(r.nhits, 0);
    /* The same arithmetic on the ranked and the distance paths. */
    const char *all = ids(f, "search=singing");
    const char *p1 = ids(f, "search=singing&per_page=1&page=1");
    const char *p2 = ids(f, "search=singing&per_page=1&page=2");
    const char *p3 = ids(f, "search=singing&per_page=1&page=3");
    assert_string_equal(all, arena_printf(f->c.a, "%s,%s,%s", p1, p2, p3));
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "postcode=HX11AA&per_page=2&page=3", &r), RES_OK);
    assert_int_equal(r.total, 5);
    assert_int_equal(r.total_pages, 3);
    assert_string_equal(r.hits[0].id, "s-walks");
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "search=nothingatall", &r), RES_OK);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.total_pages, 1);
    assert_int_equal(r.nhits, 0);
}

static void bad_parameters_are_named(void **state)
{
    struct fx *f = *state;
    assert_string_equal(refused(f, "page=two"), "page");
    assert_string_equal(refused(f, "page=0"), "page");
    assert_string_equal(refused(f, "per_page=1001"), "per_page");
    assert_string_equal(refused(f, "day=Funday"), "day");
    assert_string_equal(refused(f, "postcode=NOT A POSTCODE"), "postcode");
    assert_string_equal(refused(f, "proximity=1000"), "proximity");
    assert_string_equal(refused(f, "postcode=&proximity=1000"), "proximity");
    assert_string_equal(refused(f, "postcode=HX11AA&proximity=far"), "proximity");
    assert_string_equal(refused(f, "postcode=HX11AA&proximity=-5"), "proximity");
    assert_string_equal(refused(f, "minimum_age=old"), "minimum_age");
    assert_string_equal(refused(f, "maximum_age=nan"), "maximum_age");
    assert_string_equal(refused(f, "start_time=25:00"), "start_time");
    assert_string_equal(refused(f, "end_time=9am"), "end_time");
    assert_string_equal(refused(f, "modified_after=yesterday"), "modified_after");
    assert_string_equal(refused(f, "colour=blue"), "colour");
    assert_string_equal(refused(f, "day=MO&day=TU"), "day");
    assert_string_equal(refused(f, "free_only=perhaps"), "free_only");
    assert_string_equal(refused(f, "place_id=x"), "place_id");
    /* Empty values are absent, as forms send them. */
    assert_string_equal(ids(f, "search=&day=&postcode=&page="),
                        "s-choir,s-walks,s-leeds,s-pottery,s-brain");
    /* Without DIR_Q_WEB the page's own filters are unknown. */
    struct dir_param p[] = {{"free_only", "1"}, {"format", "ndjson"}};
    struct dir_query q;
    dir_query_init(&q, DIR_UNIT_SERVICE);
    ctx_clear_errors(&f->c);
    static const char *const own[] = {"format", NULL};
    assert_int_equal(dir_query_parse(&f->c, &q, p, 2, 0, own), RES_INVALID);
    assert_int_equal(f->c.nerrors, 1);
    assert_string_equal(f->c.errors[0].field, "free_only");
}

/* Collects the ids dir_search_each hands over. */
static int collect(void *ud, const struct dir_hit *h)
{
    buf *b = ud;
    buf_printf(b, "%s%s", b->len ? "," : "", h->id);
    assert_non_null(h->document);
    return 0;
}

static void every_hit_one_by_one(void **state)
{
    struct fx *f = *state;
    struct dir_query q;
    dir_query_init(&q, DIR_UNIT_SERVICE);
    q.search = "singing";
    q.per_page = 1;
    buf b;
    buf_init(&b, f->c.a, 64);
    struct dir_results r;
    assert_int_equal(dir_search_each(&f->c, &q, DIR_FETCH_DOCUMENT, 0, collect, &b, &r), RES_OK);
    assert_int_equal(r.total, 3);
    /* More than max: nothing handed over. */
    buf none;
    buf_init(&none, f->c.a, 16);
    assert_int_equal(dir_search_each(&f->c, &q, DIR_FETCH_DOCUMENT, 2, collect, &none, &r),
                     RES_CONFLICT);
    assert_int_equal(r.total, 3);
    assert_int_equal(none.len, 0);
    assert_int_equal(strncmp(b.data, "s-brain,", 8), 0);
    q.all = true;
    assert_int_equal(dir_search(&f->c, &q, DIR_FETCH_SUMMARY, &r), RES_OK);
    assert_int_equal(r.nhits, 3);
}

/* A hit's summary is its document's start, closed: its one-to-one members
 * and organization, no lists. A stored length that does not fit the
 * document fails the search rather than reading past it. */
static void summaries_are_the_documents_start(void **state)
{
    struct fx *f = *state;
    struct dir_results r;
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "search=choir", &r), RES_OK);
    const struct dir_hit *h = NULL;
    for (int i = 0; i < r.nhits; i++)
        if (strcmp(r.hits[i].id, "s-choir") == 0) h = &r.hits[i];
    assert_non_null(h);
    json_error_t err;
    json_t *sum = json_loads(h->summary, 0, &err);
    assert_non_null(sum);
    assert_string_equal(json_string_value(json_object_get(sum, "name")), "Community Choir");
    assert_non_null(json_object_get(sum, "organization"));
    assert_null(json_object_get(sum, "service_at_locations"));
    json_decref(sum);
    long long len = fx_count(f, "SELECT summary_len FROM dir_services WHERE id = 's-choir'");
    assert_int_equal((long long)strlen(h->summary), len + 1);
    /* Past the end, the whole document (its "}" then the cut's), a cut
     * inside a member, and one at a comma inside the nested organization
     * are all damage, not summaries. */
#define AT_ORG "instr(CAST(document AS BLOB), CAST('\"organization\":{' AS BLOB))"
    static const char *damaged[] = {"1000000", "length(CAST(document AS BLOB))", "summary_len - 1",
                                    AT_ORG " + instr(substr(CAST(document AS BLOB), " AT_ORG
                                           "), X'2C') - 2"};
#undef AT_ORG
    for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
        char sql[320];
        snprintf(sql, sizeof sql, "UPDATE dir_services SET summary_len = %lld WHERE id = 's-choir'",
                 len);
        fx_sql(f, sql);
        snprintf(sql, sizeof sql, "UPDATE dir_services SET summary_len = %s WHERE id = 's-choir'",
                 damaged[i]);
        fx_sql(f, sql);
        assert_int_equal(run(f, DIR_UNIT_SERVICE, "search=choir", &r), RES_INTERNAL);
    }
    fx_sql(f, "UPDATE dir_services SET summary_len = 1 WHERE id = 's-choir'");
    /* One byte is the empty summary: "{" closed. */
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "search=choir", &r), RES_OK);
    h = NULL;
    for (int i = 0; i < r.nhits; i++)
        if (strcmp(r.hits[i].id, "s-choir") == 0) h = &r.hits[i];
    assert_non_null(h);
    assert_string_equal(h->summary, "{}");
}

static void single_reads_and_lists(void **state)
{
    struct fx *f = *state;
    const char *doc;
    assert_int_equal(dir_public_service(&f->c, "s-brain", &doc), RES_OK);
    json_t *d = J(doc);
    assert_string_equal(json_string_value(json_object_get(d, "name")), "Singing for the Brain");
    json_decref(d);
    assert_int_equal(dir_public_service(&f->c, "s-secret", &doc), RES_NOT_FOUND);
    assert_int_equal(dir_public_service(&f->c, "s-gone", &doc), RES_NOT_FOUND);
    assert_int_equal(dir_public_service(&f->c, "nope", &doc), RES_NOT_FOUND);
    json_t *sal;
    assert_int_equal(dir_public_service_at_location(&f->c, "sal-choir", &sal), RES_OK);
    assert_string_equal(json_string_value(json_object_get(sal, "service_id")), "s-choir");
    assert_string_equal(json_string_value(json_object_get(json_object_get(sal, "location"), "id")),
                        "l-north");
    assert_string_equal(json_string_value(json_object_get(json_object_get(sal, "service"), "name")),
                        "Community Choir");
    assert_null(json_object_get(json_object_get(sal, "service"), "service_at_locations"));
    assert_int_equal(json_array_size(json_object_get(sal, "schedules")), 1);
    json_decref(sal);
    assert_int_equal(dir_public_service_at_location(&f->c, "sal-secret", &sal), RES_NOT_FOUND);
    json_t *o;
    assert_int_equal(dir_public_organization(&f->c, "o-leeds", &o), RES_OK);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "Leeds Music");
    assert_null(json_object_get(o, "organisation_id"));
    json_decref(o);
    org(f, "o-empty", "Nobody Yet");
    assert_int_equal(dir_public_organization(&f->c, "o-empty", &o), RES_NOT_FOUND);

    struct dir_list_query lq = {.page = 1, .per_page = 10};
    struct dir_id_page p;
    assert_int_equal(dir_list_organizations(&f->c, &lq, &p), RES_OK);
    assert_int_equal(p.total, 2);
    assert_string_equal(p.ids[0], "o-calder");
    lq.search = "LEEDS";
    assert_int_equal(dir_list_organizations(&f->c, &lq, &p), RES_OK);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.ids[0], "o-leeds");
    lq = (struct dir_list_query){.page = 1, .per_page = 10, .taxonomy_id = "tx-need"};
    assert_int_equal(dir_list_taxonomy_terms(&f->c, &lq, &p), RES_OK);
    assert_int_equal(p.total, 2);
    lq.top_only = true;
    assert_int_equal(dir_list_taxonomy_terms(&f->c, &lq, &p), RES_OK);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.ids[0], "t-dementia");
    lq = (struct dir_list_query){.page = 1, .per_page = 10, .parent_id = "t-dementia"};
    assert_int_equal(dir_list_taxonomy_terms(&f->c, &lq, &p), RES_OK);
    assert_string_equal(p.ids[0], "t-lonely");
    lq = (struct dir_list_query){.page = 2, .per_page = 1, .search = "_"};
    assert_int_equal(dir_list_taxonomies(&f->c, &lq, &p), RES_OK);
    assert_int_equal(p.total, 0); /* a wildcard typed is only a character */
    lq.search = NULL;
    assert_int_equal(dir_list_taxonomies(&f->c, &lq, &p), RES_OK);
    assert_true(p.total >= 2);
    assert_int_equal(p.n, 1);
}

/*
 * Many services (more than the search tests one by one) on both sides of
 * the candidate threshold: the plans must agree with each other.
 */
static void large_candidate_sets_agree(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->c.db), 0);
    for (int i = 0; i < 3200; i++) {
        const char *name = i % 2 ? "Drumming circle" : "Painting class";
        service(f, arena_printf(f->c.a, "bulk-%04d", i), "o-leeds", name,
                i % 3 ? "Beginners welcome." : "Bring a friend to sing along.",
                arena_printf(f->c.a,
                             ",\"attributes\":[{\"taxonomy_term_id\":\"t-craft\"}],"
                             "\"service_at_locations\":[%s]",
                             at(f, arena_printf(f->c.a, "bsal-%d", i),
                                arena_printf(f->c.a, "bloc-%d", i), HX_LAT + (i % 40) * 0.001,
                                HX_LNG, NULL)),
                DIR_PUBLISHED);
    }
    assert_int_equal(store_commit(f->c.db), 0);
    struct dir_results a, b;
    /* The term (3201 candidates: beyond the seek limit) with text ... */
    assert_int_equal(
        run(f, DIR_UNIT_SERVICE, "taxonomy_term_id=t-craft&search=sing&per_page=1000", &a), RES_OK);
    /* ... against the text alone driving, with the term as a filter. */
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "search=sing&taxonomy_id=tx-act&per_page=1000", &b),
                     RES_OK);
    /* 1067 bulk services say "sing"; b also has s-brain, s-choir, s-leeds. */
    assert_int_equal(a.total, 1067);
    assert_int_equal(b.total, 1070);
    /* A narrow box (a few hundred candidates) tested one by one. */
    assert_int_equal(run(f, DIR_UNIT_SERVICE,
                         "search=drumming&postcode=HX11AA&proximity=150&taxonomy_term_id=t-craft",
                         &a),
                     RES_OK);
    /* Offsets 0 and 0.001 degrees (111 m) qualify: services 0..3199 with i%40 in
     * {0,1} and i odd: i%40 == 1, 80 of them. */
    assert_int_equal(a.total, 80);
    for (int i = 1; i < a.nhits; i++)
        assert_true(a.hits[i - 1].distance_m <= a.hits[i].distance_m);
    /* The SQL plans (inside a transaction) on the same: the term's 3201
     * candidates are intersected with a pass over the word's matches. */
    assert_int_equal(store_begin(f->c.db), 0);
    assert_int_equal(
        run(f, DIR_UNIT_SERVICE, "taxonomy_term_id=t-craft&search=sing&per_page=1000", &b), RES_OK);
    assert_int_equal(b.total, 1067);
    assert_int_equal(run(f, DIR_UNIT_SERVICE,
                         "search=drumming&postcode=HX11AA&proximity=150&taxonomy_term_id=t-craft",
                         &b),
                     RES_OK);
    assert_int_equal(b.total, 80);
    for (int i = 0; i < b.nhits; i++)
        assert_string_equal(a.hits[i].id, b.hits[i].id);
    assert_int_equal(store_rollback(f->c.db), 0);
}

/*
 * The in-memory plan (dir_search_fast.c) and the SQL plans answer alike:
 * inside a transaction the index is never used, so the same queries there
 * take the SQL plans.
 */
static void the_memory_and_sql_plans_agree(void **state)
{
    struct fx *f = *state;
    static const char *const queries[] = {
        "search=singing",
        "search=sing&organization_id=o-calder",
        "search=singing&taxonomy_term_id=t-sing&day=MO",
        "search=singing&postcode=HX11AA&proximity=5000&taxonomy_term_id=t-sing",
        "search=choir&postcode=HX11AA&proximity=5000&day=TU",
        "postcode=HX11AA&proximity=3000",
        "postcode=HX11AA&proximity=30000&minimum_age=18",
        "postcode=HX1 9ZZ&proximity=1000",
        "search=singing&postcode=HX11AA",
        "search=singing walking",
        "search=hall&postcode=HX11AA&proximity=100000&per_page=2&page=2",
        "taxonomy_term_id=t-sing&postcode=HX11AA&proximity=30000&modified_after=2000-01-01",
        NULL,
    };
    for (int i = 0; queries[i]; i++) {
        const char *mem = ids(f, queries[i]);
        const char *mem_sal = sal_ids(f, queries[i]);
        assert_int_equal(store_begin(f->c.db), 0);
        const char *sql = ids(f, queries[i]);
        const char *sql_sal = sal_ids(f, queries[i]);
        assert_int_equal(store_rollback(f->c.db), 0);
        if (strcmp(mem, sql) != 0 || strcmp(mem_sal, sql_sal) != 0)
            fail_msg("%s: in memory [%s] [%s], by SQL [%s] [%s]", queries[i], mem, mem_sal, sql,
                     sql_sal);
    }
}

/* What is in memory follows every write: new, moved, deleted, retagged. */
static void the_index_follows_writes(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, "search=pottery&postcode=HX11AA&proximity=1500"), "s-pottery");
    assert_string_equal(ids(f, "taxonomy_term_id=t-craft&postcode=HX11AA&proximity=1500"),
                        "s-pottery");
    /* A new service next door. */
    service(f, "s-kiln", "o-calder", "Pottery Kiln Club", "Firing.",
            arena_printf(f->c.a,
                         ",\"attributes\":[{\"taxonomy_term_id\":\"t-craft\"}],"
                         "\"service_at_locations\":[%s]",
                         at(f, "sal-kiln", "l-kiln", HX_LAT, HX_LNG + 0.001, NULL)),
            DIR_PUBLISHED);
    assert_string_equal(ids(f, "search=pottery&postcode=HX11AA&proximity=1500"),
                        "s-kiln,s-pottery");
    /* The pottery moves to Leeds, and loses its term. */
    service(f, "s-pottery", "o-calder", "Pottery Club", "Clay, glaze and kilns.",
            arena_printf(f->c.a, ",\"service_at_locations\":[%s]",
                         at(f, "sal-pottery", "l-east", 53.7997, -1.5492, NULL)),
            DIR_PUBLISHED);
    assert_string_equal(ids(f, "search=pottery&postcode=HX11AA&proximity=1500"), "s-kiln");
    assert_string_equal(ids(f, "taxonomy_term_id=t-craft&postcode=HX11AA&proximity=30000"),
                        "s-kiln");
    /* Deleted: gone at once, though its text and place are unchanged. */
    struct dir_results r;
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "per_page=1", &r), RES_OK);
    assert_int_equal(r.total, 6);
    assert_int_equal(dir_service_set_deleted(&f->c, "s-kiln", true), RES_OK);
    assert_string_equal(ids(f, "search=pottery&postcode=HX11AA&proximity=1500"), "");
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "per_page=1", &r), RES_OK);
    assert_int_equal(r.total, 5);
    assert_int_equal(dir_service_set_deleted(&f->c, "s-kiln", false), RES_OK);
    assert_string_equal(ids(f, "search=pottery&postcode=HX11AA&proximity=1500"), "s-kiln");
    /* Written again as pending: not public. */
    service(f, "s-kiln", "o-calder", "Pottery Kiln Club", "Firing.", "", DIR_PENDING);
    assert_string_equal(ids(f, "search=pottery"), "s-pottery");
    assert_int_equal(run(f, DIR_UNIT_SERVICE, "per_page=1", &r), RES_OK);
    assert_int_equal(r.total, 5);
}

/*
 * A connection closed and another opened (perhaps at the same address, with
 * the same number of changes): the index kept in memory is not reused.
 */
static void another_connection_gets_its_own_index(void **state)
{
    struct fx *f = *state;
    assert_string_equal(ids(f, "search=singing&postcode=HX11AA&proximity=3000"), "s-brain,s-choir");
    /* Each round the same writes with other words: the store's data version
     * and the text index's structure come out the same, the content not. */
    for (int round = 0; round < 4; round++) {
        const char *word = round % 2 ? "Oboe" : "Kazoo", *other = round % 2 ? "kazoo" : "oboe";
        store_close(f->c.db);
        char *err = NULL;
        f->c.db = store_open(":memory:", &err);
        assert_non_null(f->c.db);
        int from, to;
        assert_int_equal(store_migrate(f->c.db, &from, &to, &err), 0);
        org(f, "o-other", "Other");
        service(f, round % 2 ? "s-oboe" : "s-kazo", "o-other",
                arena_printf(f->c.a, "%s Club", word), "Music.",
                arena_printf(f->c.a, ",\"service_at_locations\":[%s]",
                             at(f, "sal-x", "l-x", HX_LAT, HX_LNG + round * 0.001, NULL)),
                DIR_PUBLISHED);
        assert_true(store_run(f->c.db,
                              "INSERT INTO postcodes (postcode, latitude, longitude) VALUES"
                              " ('HX11AA', $1, $2)",
                              "dd", HX_LAT, HX_LNG) >= 0);
        assert_string_equal(ids(f, "search=singing&postcode=HX11AA&proximity=3000"), "");
        assert_string_equal(ids(f, arena_printf(f->c.a, "search=%s", other)), "");
        assert_string_equal(
            ids(f, arena_printf(f->c.a, "search=%s&postcode=HX11AA&proximity=3000", word)),
            round % 2 ? "s-oboe" : "s-kazo");
        struct dir_results r;
        assert_int_equal(
            run(f, DIR_UNIT_SERVICE, "search=music&postcode=HX11AA&proximity=3000", &r), RES_OK);
        assert_int_equal(r.nhits, 1);
        assert_true(fabs(r.hits[0].distance_m - round * 66.0) < 5);
        assert_non_null(strstr(r.hits[0].summary, word));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_listing_is_by_name_and_only_public, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(summaries_are_the_documents_start, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_name_weighs_more_than_the_description, setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(word_endings_and_case_do_not_matter, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(each_filter, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(filters_combine, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(distances_order_and_values, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(venues_at_the_poles, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_wide_circle_reads_every_band, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(term_points_keep_to_their_budget, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(pages, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_parameters_are_named, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(every_hit_one_by_one, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(single_reads_and_lists, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(large_candidate_sets_agree, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_memory_and_sql_plans_agree, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_index_follows_writes, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(another_connection_gets_its_own_index, setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
