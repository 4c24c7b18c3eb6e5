/*
 * test_structure.c: validation, references, audit and access rules for
 * places, neighbourhoods, organisations and people, without HTTP.
 */
#include "unit.h"

#include "domain/audit.h"
#include "domain/structure.h"

static long long make(struct fx *f, const struct entity *e, rec *r)
{
    rec *out = NULL;
    result res = entity_create(&f->c, e, r, &out);
    if (res != RES_OK)
        fail_msg("create %s: %s (%s)", e->name, f->c.detail,
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

static long long place(struct fx *f, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    return make(f, &entity_places, r);
}

static long long neighbourhood(struct fx *f, long long place_id, const char *name)
{
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "place_id", place_id);
    rec_set_text(r, "name", name);
    rec_set_int(r, "population", 40000);
    rec_set_int(r, "imd_decile", 3);
    return make(f, &entity_neighbourhoods, r);
}

static long long organisation(struct fx *f, const char *name, const long long *places, int n)
{
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", name);
    rec_set_text(r, "sector", "vcse");
    rec_set_ids(r, "place_ids", places, n);
    return make(f, &entity_organisations, r);
}

static void fields_are_validated_with_clear_messages(void **state)
{
    struct fx *f = *state;
    long long p = place(f, "Riverside");
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "place_id", p);
    rec_set_text(r, "name", "   "); /* blank after trimming */
    rec_set_int(r, "imd_decile", 11);
    rec_set_text(r, "population", "lots");
    rec_set_text(r, "colour", "red");
    rec_set_int(r, "id", 5);
    assert_int_equal(entity_create(&f->c, &entity_neighbourhoods, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "name"), "Enter the name");
    assert_string_equal(fx_field_error(f, "imd_decile"), "The IMD decile must be between 1 and 10");
    assert_string_equal(fx_field_error(f, "population"), "The population must be a whole number");
    assert_non_null(strstr(fx_field_error(f, "colour"), "not a field"));
    assert_non_null(fx_field_error(f, "id"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhoods"), 0);

    fx_operator(f);
    rec *o = rec_new(f->c.a), *out = NULL;
    rec_set_text(o, "name", "Shout");
    rec_set_text(o, "sector", "charity");
    rec_set_text(o, "email", "not-an-email");
    rec_set_text(o, "postcode", "hello");
    rec_set_text(o, "website", "javascript:alert(1)");
    long long missing[] = {p, 999};
    rec_set_ids(o, "place_ids", missing, 2);
    assert_int_equal(entity_create(&f->c, &entity_organisations, o, NULL), RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "sector"), "nhs, local_authority, vcse or other"));
    assert_non_null(fx_field_error(f, "email"));
    assert_non_null(fx_field_error(f, "postcode"));
    assert_non_null(fx_field_error(f, "website"));
    assert_string_equal(fx_field_error(f, "place_ids"), "There is no place with id 999");

    fx_operator(f);
    o = rec_new(f->c.a);
    rec_set_text(o, "name", "  Shout Loud  ");
    rec_set_text(o, "sector", "vcse");
    rec_set_text(o, "email", "Hello@Shout.Example.ORG");
    rec_set_text(o, "postcode", "rv1  2ab");
    long long twice[] = {p, p};
    rec_set_ids(o, "place_ids", twice, 2);
    assert_int_equal(entity_create(&f->c, &entity_organisations, o, &out), RES_OK);
    assert_string_equal(rec_text(out, "name"), "Shout Loud");
    assert_string_equal(rec_text(out, "email"), "hello@shout.example.org");
    assert_string_equal(rec_text(out, "postcode"), "RV1 2AB");
    assert_int_equal(rec_get(out, "place_ids")->nids, 1);

    fx_operator(f);
    rec *dup = rec_new(f->c.a);
    rec_set_text(dup, "name", "Riverside");
    assert_int_equal(entity_create(&f->c, &entity_places, dup, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "name"), "A place with this name already exists");
}

static void deleting_something_referenced_is_a_conflict_that_says_what(void **state)
{
    struct fx *f = *state;
    long long p = place(f, "Moorland");
    neighbourhood(f, p, "Dale End");
    neighbourhood(f, p, "Hill Top");
    organisation(f, "Dale Singers", &p, 1);
    assert_int_equal(entity_delete(&f->c, &entity_places, p), RES_CONFLICT);
    assert_non_null(strstr(f->c.detail, "2 neighbourhoods"));
    assert_non_null(strstr(f->c.detail, "1 organisations serving it"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places"), 1);
    assert_int_equal(entity_delete(&f->c, &entity_places, 424242), RES_NOT_FOUND);
}

static void every_change_is_audited_with_before_and_after(void **state)
{
    struct fx *f = *state;
    long long audit0 = fx_count(f, "SELECT count(*) FROM audit");
    long long p = place(f, "Axleigh");
    rec *change = rec_new(f->c.a);
    rec_set_text(change, "name", "Axleigh and Saltmarsh");
    assert_int_equal(entity_update(&f->c, &entity_places, p, change, NULL), RES_OK);
    assert_int_equal(entity_delete(&f->c, &entity_places, p), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit") - audit0, 3);
    struct audit_query q = {.entity = "places", .entity_id = p, .per_page = 10};
    struct store_page page;
    assert_int_equal(audit_list(&f->c, &q, &page), RES_OK);
    assert_int_equal(page.nrows, 3);
    assert_string_equal(rec_text(page.rows[0], "action"), "delete");
    assert_string_equal(rec_text(page.rows[1], "action"), "update");
    assert_non_null(strstr(rec_text(page.rows[1], "before"), "\"name\":\"Axleigh\""));
    assert_non_null(strstr(rec_text(page.rows[1], "after"), "\"name\":\"Axleigh and Saltmarsh\""));
    assert_string_equal(rec_text(page.rows[2], "actor"), "operator");

    /* A refused update changes nothing and writes no audit entry. */
    long long p2 = place(f, "Brookfield");
    long long before = fx_count(f, "SELECT count(*) FROM audit");
    change = rec_new(f->c.a);
    rec_set_text(change, "name", "");
    assert_int_equal(entity_update(&f->c, &entity_places, p2, change, NULL), RES_INVALID);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit"), before);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM places WHERE name = 'Brookfield'"), 1);
    assert_false(store_in_tx(f->c.db));
}

static void place_leads_change_only_what_lies_in_their_places(void **state)
{
    struct fx *f = *state;
    long long mine = place(f, "Mine"), theirs = place(f, "Theirs");
    long long n_mine = neighbourhood(f, mine, "Near"), n_theirs = neighbourhood(f, theirs, "Far");
    long long shared[] = {mine, theirs};
    long long org_shared = organisation(f, "Both Ways Arts", shared, 2);
    long long org_mine = organisation(f, "Local Crafts", &mine, 1);
    fx_act_as(f, ROLE_PLACE_LEAD, 7, 1, &mine, 1);

    rec *r = rec_new(f->c.a);
    rec_set_text(r, "description", "ours");
    assert_int_equal(entity_update(&f->c, &entity_places, mine, r, NULL), RES_OK);
    assert_int_equal(entity_update(&f->c, &entity_places, theirs, r, NULL), RES_FORBIDDEN);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "New Place");
    assert_int_equal(entity_create(&f->c, &entity_places, r, NULL), RES_FORBIDDEN);

    r = rec_new(f->c.a);
    rec_set_int(r, "population", 1);
    assert_int_equal(entity_update(&f->c, &entity_neighbourhoods, n_mine, r, NULL), RES_OK);
    assert_int_equal(entity_update(&f->c, &entity_neighbourhoods, n_theirs, r, NULL),
                     RES_FORBIDDEN);
    r = rec_new(f->c.a);
    rec_set_int(r, "place_id", theirs); /* moving it out of my place */
    assert_int_equal(entity_update(&f->c, &entity_neighbourhoods, n_mine, r, NULL), RES_FORBIDDEN);
    assert_int_equal(entity_delete(&f->c, &entity_neighbourhoods, n_theirs), RES_FORBIDDEN);

    r = rec_new(f->c.a);
    rec_set_ids(r, "place_ids", &mine, 1); /* removing a place I do not lead */
    assert_int_equal(entity_update(&f->c, &entity_organisations, org_shared, r, NULL),
                     RES_FORBIDDEN);
    assert_int_equal(entity_delete(&f->c, &entity_organisations, org_shared), RES_FORBIDDEN);
    r = rec_new(f->c.a);
    rec_set_text(r, "phone", "01632 960001"); /* it also serves a place I do not lead */
    assert_int_equal(entity_update(&f->c, &entity_organisations, org_shared, r, NULL),
                     RES_FORBIDDEN);
    assert_int_equal(entity_update(&f->c, &entity_organisations, org_mine, r, NULL), RES_OK);
    r = rec_new(f->c.a);
    rec_set_ids(r, "place_ids", &theirs, 1); /* dropping my own place from a shared one */
    assert_int_equal(entity_update(&f->c, &entity_organisations, org_shared, r, NULL), RES_OK);
    rec_set_ids(r, "place_ids", shared, 2); /* and adding it back */
    assert_int_equal(entity_update(&f->c, &entity_organisations, org_shared, r, NULL), RES_OK);
    assert_int_equal(entity_delete(&f->c, &entity_organisations, org_mine), RES_OK);

    fx_operator(f);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM neighbourhoods WHERE place_id = 2"), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisation_places"), 2);
}

static void organisations_serving_no_place_are_for_system_leads(void **state)
{
    struct fx *f = *state;
    long long mine = place(f, "Mine");
    long long national = organisation(f, "National Arts Body", NULL, 0);
    long long other = organisation(f, "Another National Body", NULL, 0);
    fx_act_as(f, ROLE_PLACE_LEAD, 7, 1, &mine, 1);
    rec *r = rec_new(f->c.a);
    rec_set_ids(r, "place_ids", &mine, 1); /* claiming it would make it "theirs" */
    assert_int_equal(entity_update(&f->c, &entity_organisations, national, r, NULL), RES_FORBIDDEN);
    assert_int_equal(entity_delete(&f->c, &entity_organisations, other), RES_FORBIDDEN);
    fx_operator(f);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisation_places"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), 2);
}

static void text_must_be_clean_utf8(void **state)
{
    struct fx *f = *state;
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "name", "Northgate Choir\xff");
    assert_int_equal(entity_create(&f->c, &entity_places, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "name"), "The name must be valid UTF-8 text");
    fx_operator(f);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "Choir\xe2\x80\xaeriohC");
    assert_int_equal(entity_create(&f->c, &entity_places, r, NULL), RES_INVALID);
    fx_operator(f);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "Caf\xc3\xa9 Culture");
    rec_set_text(r, "description", "Line one.\nLine two.");
    assert_int_equal(entity_create(&f->c, &entity_places, r, NULL), RES_OK);
}

static void providers_manage_their_own_organisation_and_people(void **state)
{
    struct fx *f = *state;
    long long p = place(f, "Here");
    long long own = organisation(f, "Our Charity", &p, 1);
    long long other = organisation(f, "Their Charity", &p, 1);
    fx_act_as(f, ROLE_PROVIDER, 9, own, NULL, 0);
    rec *r = rec_new(f->c.a);
    rec_set_text(r, "website", "https://ours.example.org");
    assert_int_equal(entity_update(&f->c, &entity_organisations, own, r, NULL), RES_OK);
    assert_int_equal(entity_update(&f->c, &entity_organisations, other, r, NULL), RES_FORBIDDEN);
    r = rec_new(f->c.a);
    rec_set_ids(r, "place_ids", NULL, 0);
    assert_int_equal(entity_update(&f->c, &entity_organisations, own, r, NULL), RES_FORBIDDEN);

    rec *person = rec_new(f->c.a);
    rec_set_int(person, "organisation_id", own);
    rec_set_text(person, "name", "Jo Volunteer");
    assert_int_equal(entity_create(&f->c, &entity_people, person, NULL), RES_OK);
    person = rec_new(f->c.a);
    rec_set_int(person, "organisation_id", other);
    rec_set_text(person, "name", "Not Ours");
    assert_int_equal(entity_create(&f->c, &entity_people, person, NULL), RES_FORBIDDEN);

    /* Linking a person to a sign-in, or unlinking them, is for leads only. */
    fx_operator(f);
    store_run(f->c.db,
              "INSERT INTO users (email, name, role, organisation_id, password_hash,"
              " created_at, updated_at) VALUES ('u@x.org', 'U', 'viewer', $1, 'x', 'now',"
              " 'now')",
              "i", own);
    person = rec_new(f->c.a);
    rec_set_int(person, "organisation_id", own);
    rec_set_text(person, "name", "Linked");
    rec_set_int(person, "user_id", 1);
    rec *linked = NULL;
    assert_int_equal(entity_create(&f->c, &entity_people, person, &linked), RES_OK);
    fx_act_as(f, ROLE_PROVIDER, 9, own, NULL, 0);
    rec *unlink = rec_new(f->c.a);
    rec_set_null(unlink, "user_id");
    assert_int_equal(entity_update(&f->c, &entity_people, rec_int(linked, "id", 0), unlink, NULL),
                     RES_FORBIDDEN);

    fx_act_as(f, ROLE_VIEWER, 10, own, NULL, 0);
    struct list_query q = {0};
    struct store_page page;
    assert_int_equal(entity_list(&f->c, &entity_organisations, &q, &page), RES_OK);
    assert_int_equal(page.total, 2);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "Viewer Place");
    assert_int_equal(entity_create(&f->c, &entity_places, r, NULL), RES_FORBIDDEN);
    f->c.actor = NULL;
    assert_int_equal(entity_list(&f->c, &entity_places, &q, &page), RES_UNAUTHENTICATED);
}

static void reading_people_is_audited_as_personal_data(void **state)
{
    struct fx *f = *state;
    long long p = place(f, "There");
    long long org = organisation(f, "Readers", &p, 1);
    rec *person = rec_new(f->c.a);
    rec_set_int(person, "organisation_id", org);
    rec_set_text(person, "name", "Ana Reader");
    long long id = make(f, &entity_people, person);
    fx_act_as(f, ROLE_LINK_WORKER, 3, org, NULL, 0);
    long long before = fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'");
    rec *got = NULL;
    assert_int_equal(entity_get(&f->c, &entity_people, id, &got), RES_OK);
    struct list_query q = {0};
    struct store_page page;
    assert_int_equal(entity_list(&f->c, &entity_people, &q, &page), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'"), before + 2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'"
                                 " AND after_json = '{\"ids\":[1]}' AND actor_user_id = 3"),
                     1);
}

static void neighbourhood_names_are_unique_within_their_place(void **state)
{
    struct fx *f = *state;
    long long a = place(f, "A"), b = place(f, "B");
    neighbourhood(f, a, "Central");
    neighbourhood(f, b, "Central"); /* the same name in another place is fine */
    long long other = neighbourhood(f, b, "North");
    rec *r = rec_new(f->c.a);
    rec_set_int(r, "place_id", a);
    rec_set_text(r, "name", "CENTRAL");
    rec_set_int(r, "population", 1);
    rec_set_int(r, "imd_decile", 5);
    assert_int_equal(entity_create(&f->c, &entity_neighbourhoods, r, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "name"),
                        "A neighbourhood with this name already exists there");
    fx_operator(f);
    r = rec_new(f->c.a);
    rec_set_text(r, "name", "Central"); /* renaming into a clash within place B */
    assert_int_equal(entity_update(&f->c, &entity_neighbourhoods, other, r, NULL), RES_INVALID);
    fx_operator(f);
    r = rec_new(f->c.a);
    rec_set_int(r, "place_id", a); /* moving "North" to A is fine */
    assert_int_equal(entity_update(&f->c, &entity_neighbourhoods, other, r, NULL), RES_OK);
}

static void list_filters_are_checked(void **state)
{
    struct fx *f = *state;
    struct list_query empty = {.names = {"place_id", "q"}, .values = {"", ""}, .n = 2};
    struct store_page all;
    assert_int_equal(entity_list(&f->c, &entity_neighbourhoods, &empty, &all), RES_OK);
    struct list_query q = {.names = {"colour"}, .values = {"red"}, .n = 1};
    struct store_page page;
    assert_int_equal(entity_list(&f->c, &entity_places, &q, &page), RES_INVALID);
    assert_non_null(fx_field_error(f, "colour"));
    ctx_clear_errors(&f->c);
    struct list_query bad_sector = {.names = {"sector"}, .values = {"charity"}, .n = 1};
    assert_int_equal(entity_list(&f->c, &entity_organisations, &bad_sector, &page), RES_INVALID);
    ctx_clear_errors(&f->c);
    struct list_query bad_id = {.names = {"place_id"}, .values = {"1 OR 1=1"}, .n = 1};
    assert_int_equal(entity_list(&f->c, &entity_neighbourhoods, &bad_id, &page), RES_INVALID);
    ctx_clear_errors(&f->c);
    struct list_query big = {.per_page = 101};
    assert_int_equal(entity_list(&f->c, &entity_places, &big, &page), RES_INVALID);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(fields_are_validated_with_clear_messages),
        T(deleting_something_referenced_is_a_conflict_that_says_what),
        T(every_change_is_audited_with_before_and_after),
        T(place_leads_change_only_what_lies_in_their_places),
        T(organisations_serving_no_place_are_for_system_leads),
        T(text_must_be_clean_utf8),
        T(providers_manage_their_own_organisation_and_people),
        T(reading_people_is_audited_as_personal_data),
        T(neighbourhood_names_are_unique_within_their_place),
        T(list_filters_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
