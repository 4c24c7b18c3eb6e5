/*
 * test_participants.c: the participants module without HTTP: placing a
 * person by postcode, input checks, consent (the default and withdrawal),
 * who sees a person (each role and organisation), anonymising (the scores
 * stay), retention with the clock moved, subject access export, and the
 * audit entries. The pure checks (NHS number, age bands, ethnic groups)
 * are in test_participant_codes.c.
 *
 * The world: place Riverside with neighbourhoods North (IMD decile 3) and
 * South (7); postcodes HX1 1AA (LSOA L1, in North, LSOA decile 2) and HX1
 * 2BB (LSOA L2, in South, no LSOA decile). Organisations A (the link
 * worker's), B (another referrer), C (a provider) and D (a stranger).
 */
#include "unit.h"

#include "sql_rows.h"

#include "domain/participants.h"

struct world {
    long long place, north, south;
    long long a, b, cc, d;
    long long u_lw_a, u_prov_a, u_lw_b, u_prov_c, u_lw_d, u_admin, u_viewer, u_place, u_sys;
};

static struct world w;

static int build_world(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    memset(&w, 0, sizeof w);
    w.place = w_place(f, "Riverside");
    w.north = w_hood(f, w.place, "North", 1000, 3);
    w.south = w_hood(f, w.place, "South", 1000, 7);
    w.a = w_org(f, "A");
    w.b = w_org(f, "B");
    w.cc = w_org(f, "C");
    w.d = w_org(f, "D");
    w.u_lw_a = w_user(f, "lw.a@example.org", "link_worker", w.a);
    w.u_prov_a = w_user(f, "prov.a@example.org", "provider", w.a);
    w.u_lw_b = w_user(f, "lw.b@example.org", "link_worker", w.b);
    w.u_prov_c = w_user(f, "prov.c@example.org", "provider", w.cc);
    w.u_lw_d = w_user(f, "lw.d@example.org", "link_worker", w.d);
    w.u_admin = w_user(f, "admin@example.org", "admin", w.a);
    w.u_viewer = w_user(f, "viewer@example.org", "viewer", w.a);
    w.u_place = w_user(f, "place@example.org", "place_lead", w.a);
    w.u_sys = w_user(f, "sys@example.org", "system_lead", w.a);
    int ok =
        store_exec(f->c.db, "INSERT INTO postcodes (postcode, latitude, longitude, lsoa) VALUES"
                            " ('HX11AA', 53.7, -1.8, 'L1'), ('HX12BB', 53.7, -1.8, 'L2'),"
                            " ('HX13CC', 53.7, -1.8, 'L3'), ('HX14DD', 53.7, -1.8, NULL);"
                            "INSERT INTO lsoa_imd (lsoa, imd_decile) VALUES ('L1', 2), ('L3', 9);");
    if (ok != 0) return -1;
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id)"
                               " VALUES ('L1', $1), ('L2', $2)",
                               "ii", w.north, w.south),
                     2);
    return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, build_world, fx_teardown)

/* Act as the link worker of A (and the like). */
static void as(struct fx *f, long long user_id, const char *role, long long org_id)
{
    long long places[] = {w.place};
    enum role r = role_parse(role);
    fx_act_as(f, r, user_id, org_id, places, r == ROLE_PLACE_LEAD ? 1 : 0);
}

/* A person created by the link worker of A; returns the id. */
static long long person(struct fx *f, const char *name, const char *postcode)
{
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "name", name);
    rec_set_text(in, "date_of_birth", "1980-05-17");
    if (postcode) rec_set_text(in, "postcode", postcode);
    result r = participant_create(&f->c, in, &out);
    if (r != RES_OK)
        fail_msg("create: %s (%s: %s)", f->c.detail, f->c.nerrors ? f->c.errors[0].field : "",
                 f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

/* A referral row written directly (the referrals module is another's). */
static long long referral(struct fx *f, long long pid, long long from, long long to,
                          const char *status)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO referrals (participant_id, service_id, service_name,"
                        " referring_org_id, receiving_org_id, status, episode_id, age_band, sex,"
                        " ethnicity_group, imd_quintile, place_id, neighbourhood_id, swemwbs_b,"
                        " swemwbs_f, ucla_b, ucla_f, notes, created_at, updated_at)"
                        " VALUES ($1, 'svc-1', 'Singing for the brain', $2, $3, $4, 0, '35-44',"
                        " 'female', 'white', 1, $5, $6, 19.25, 23.21, 7, 5, 'Lives alone',"
                        " 'x', 'x') RETURNING id",
                        "iiitii", pid, from, to, status, w.place, w.north) != 1)
        fail_msg("referral insert: %s", store_errmsg(f->c.db));
    return id;
}

/* ---- creating and placing ---- */

static rec *get_as_operator(struct fx *f, long long id)
{
    fx_operator(f);
    rec *r = NULL;
    assert_int_equal(participant_get(&f->c, id, &r), RES_OK);
    return r;
}

static void a_postcode_places_the_person(void **state)
{
    struct fx *f = *state;
    /* L1: neighbourhood North, the LSOA's own decile (2) beats North's (3). */
    rec *p = get_as_operator(f, person(f, "Ada", "hx1 1aa"));
    assert_string_equal(rec_text(p, "postcode"), "HX1 1AA");
    assert_string_equal(rec_text(p, "lsoa"), "L1");
    assert_int_equal(rec_int(p, "neighbourhood_id", 0), w.north);
    assert_string_equal(rec_text(p, "neighbourhood_name"), "North");
    assert_int_equal(rec_int(p, "place_id", 0), w.place);
    assert_string_equal(rec_text(p, "place_name"), "Riverside");
    assert_int_equal(rec_int(p, "imd_decile", 0), 2);
    /* L2 has no decile of its own: South's. */
    p = get_as_operator(f, person(f, "Bo", "HX12BB"));
    assert_int_equal(rec_int(p, "neighbourhood_id", 0), w.south);
    assert_int_equal(rec_int(p, "imd_decile", 0), 7);
    /* L3 lies in no neighbourhood: the LSOA and its decile, no neighbourhood. */
    p = get_as_operator(f, person(f, "Cy", "HX1 3CC"));
    assert_string_equal(rec_text(p, "lsoa"), "L3");
    assert_true(rec_is_null(p, "neighbourhood_id"));
    assert_int_equal(rec_int(p, "imd_decile", 0), 9);
    /* Unknown postcode, and one without an LSOA: kept, unplaced. */
    p = get_as_operator(f, person(f, "Di", "ZZ9 9ZZ"));
    assert_string_equal(rec_text(p, "postcode"), "ZZ9 9ZZ");
    assert_true(rec_is_null(p, "lsoa"));
    assert_true(rec_is_null(p, "neighbourhood_id"));
    assert_true(rec_is_null(p, "imd_decile"));
    p = get_as_operator(f, person(f, "Ed", "HX1 4DD"));
    assert_true(rec_is_null(p, "neighbourhood_id"));
    /* No postcode at all. */
    p = get_as_operator(f, person(f, "Flo", NULL));
    assert_true(rec_is_null(p, "place_id"));
}

static void moving_re_places_the_person(void **state)
{
    struct fx *f = *state;
    long long id = person(f, "Ada", "HX1 1AA");
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "postcode", "HX1 2BB");
    assert_int_equal(participant_update(&f->c, id, in, &out), RES_OK);
    assert_int_equal(rec_int(out, "neighbourhood_id", 0), w.south);
    assert_int_equal(rec_int(out, "imd_decile", 0), 7);
    assert_string_equal(rec_text(out, "name"), "Ada"); /* untouched fields stay */
    in = rec_new(f->c.a);
    rec_set_null(in, "postcode");
    assert_int_equal(participant_update(&f->c, id, in, &out), RES_OK);
    assert_true(rec_is_null(out, "postcode"));
    assert_true(rec_is_null(out, "neighbourhood_id"));
    assert_true(rec_is_null(out, "imd_decile"));
}

/* Try to create with one field set to a value; the field error's message (or NULL). */
static const char *create_error(struct fx *f, const char *field, const char *value)
{
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "name", "Ada");
    rec_set_text(in, "date_of_birth", "1980-05-17");
    rec_set_text(in, field, value);
    long long before = fx_count(f, "SELECT count(*) FROM participants");
    result r = participant_create(&f->c, in, &out);
    if (r == RES_OK) return NULL;
    assert_int_equal(r, RES_INVALID);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM participants"), before);
    return fx_field_error(f, field);
}

static void bad_input_names_the_field_and_writes_nothing(void **state)
{
    struct fx *f = *state;
    assert_non_null(strstr(create_error(f, "nhs_number", "943 476 5918"), "check digit"));
    assert_non_null(create_error(f, "nhs_number", "12345"));
    assert_null(create_error(f, "nhs_number", "943 476 5919"));
    assert_non_null(create_error(f, "postcode", "NOT A POSTCODE"));
    assert_non_null(strstr(create_error(f, "postcode", "HX1"), "full postcode"));
    assert_non_null(create_error(f, "date_of_birth", "2026-11-27")); /* tomorrow */
    assert_null(create_error(f, "date_of_birth", "2026-11-26"));
    assert_non_null(create_error(f, "date_of_birth", "17/05/1980"));
    assert_non_null(create_error(f, "email", "ada.example.org"));
    assert_non_null(create_error(f, "phone", "call me"));
    assert_non_null(create_error(f, "sex", "woman"));
    assert_null(create_error(f, "sex", "indeterminate"));
    assert_non_null(create_error(f, "ethnicity", "british"));
    assert_null(create_error(f, "ethnicity", "mixed_white_asian"));
    assert_non_null(create_error(f, "lsoa", "E01000001")); /* the system's to set */
    assert_non_null(create_error(f, "favourite_colour", "blue"));
    assert_non_null(create_error(f, "name", "   "));
    /* Required fields missing. */
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    assert_int_equal(participant_create(&f->c, in, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "name"));
    assert_non_null(fx_field_error(f, "date_of_birth"));
    /* The NHS number is stored as its ten digits, the email in lower case. */
    as(f, w.u_lw_a, "link_worker", w.a);
    in = rec_new(f->c.a);
    rec_set_text(in, "name", "  Ada Lovelace ");
    rec_set_text(in, "date_of_birth", "1980-05-17");
    rec_set_text(in, "nhs_number", "943 476 5919");
    rec_set_text(in, "email", "Ada@Example.ORG");
    rec_set_text(in, "ethnicity", "white_irish");
    assert_int_equal(participant_create(&f->c, in, &out), RES_OK);
    assert_string_equal(rec_text(out, "name"), "Ada Lovelace");
    assert_string_equal(rec_text(out, "nhs_number"), "9434765919");
    assert_string_equal(rec_text(out, "email"), "ada@example.org");
    assert_string_equal(rec_text(out, "ethnicity_group"), "white");
    assert_string_equal(rec_text(out, "age_band"), "45-54");
    assert_int_equal(rec_int(out, "organisation_id", 0), w.a);
    assert_string_equal(rec_text(out, "last_contact_at"), "2026-11-26T09:00:00Z");
}

static void leads_and_viewers_cannot_create(void **state)
{
    struct fx *f = *state;
    struct {
        long long user;
        const char *role;
        result want;
    } cases[] = {
        {w.u_viewer, "viewer", RES_FORBIDDEN},   {w.u_place, "place_lead", RES_FORBIDDEN},
        {w.u_sys, "system_lead", RES_FORBIDDEN}, {w.u_admin, "admin", RES_OK},
        {w.u_prov_a, "provider", RES_OK},        {w.u_lw_a, "link_worker", RES_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        as(f, cases[i].user, cases[i].role, w.a);
        rec *in = rec_new(f->c.a), *out = NULL;
        rec_set_text(in, "name", "Ada");
        rec_set_text(in, "date_of_birth", "1980-05-17");
        assert_int_equal(participant_create(&f->c, in, &out), cases[i].want);
        if (cases[i].want == RES_OK) assert_true(rec_int(out, "id", 0) > 0);
    }
    assert_int_equal(fx_count(f, "SELECT count(*) FROM participants"), 3);
    f->c.actor = NULL;
    f->c.by_operator = false;
    rec *in = rec_new(f->c.a), *out = NULL;
    assert_int_equal(participant_create(&f->c, in, &out), RES_UNAUTHENTICATED);
}

/* ---- consent ---- */

static result consent(struct fx *f, long long pid, const char *scope, bool given,
                      const char *recorded_at)
{
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "scope", scope);
    rec_set_bool(in, "given", given);
    rec_set_text(in, "method", "verbal");
    if (recorded_at) rec_set_text(in, "recorded_at", recorded_at);
    return consent_record(&f->c, pid, in, &out);
}

static void consent_defaults_and_withdrawal(void **state)
{
    struct fx *f = *state;
    long long id = person(f, "Ada", NULL);
    /* No record: all but story_public stand as given. */
    assert_true(consent_given(&f->c, id, "referral_to_provider"));
    assert_true(consent_given(&f->c, id, "outcomes_to_referrer"));
    assert_true(consent_given(&f->c, id, "outcomes_to_gp"));
    assert_true(consent_given(&f->c, id, "anonymised_reporting"));
    assert_false(consent_given(&f->c, id, "story_public"));
    assert_false(consent_given(&f->c, id, "telepathy"));
    /* Withdrawn: at once. */
    assert_int_equal(consent(f, id, "outcomes_to_gp", false, NULL), RES_OK);
    assert_false(consent_given(&f->c, id, "outcomes_to_gp"));
    assert_true(consent_given(&f->c, id, "outcomes_to_referrer"));
    /* Explicitly given. */
    assert_int_equal(consent(f, id, "story_public", true, "2026-11-20"), RES_OK);
    assert_true(consent_given(&f->c, id, "story_public"));
    /* A paper form from last week, entered now, does not undo today's withdrawal. */
    assert_int_equal(consent(f, id, "outcomes_to_gp", true, "2026-11-19"), RES_OK);
    assert_false(consent_given(&f->c, id, "outcomes_to_gp"));
    /* Given again, now: in force. */
    assert_int_equal(consent(f, id, "outcomes_to_gp", true, NULL), RES_OK);
    assert_true(consent_given(&f->c, id, "outcomes_to_gp"));
    /* The record shows it, and the history is oldest first. */
    rec *p = get_as_operator(f, id);
    assert_int_equal(rec_get(p, "consent_outcomes_to_gp")->i, 1);
    assert_int_equal(rec_get(p, "consent_story_public")->i, 1);
    struct store_page pg;
    assert_int_equal(consent_history(&f->c, id, &pg), RES_OK);
    assert_int_equal(pg.nrows, 4);
    assert_string_equal(rec_text(pg.rows[0], "recorded_at"), "2026-11-19T00:00:00Z");
    assert_string_equal(rec_text(pg.rows[3], "recorded_at"), "2026-11-26T09:00:00Z");
    assert_string_equal(rec_text(pg.rows[3], "recorded_by"), "tester@example.org");
    /* Bad input. */
    assert_int_equal(consent(f, id, "telepathy", true, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "scope"));
    assert_int_equal(consent(f, id, "story_public", true, "2026-11-27"), RES_INVALID);
    assert_non_null(fx_field_error(f, "recorded_at"));
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "scope", "story_public");
    rec_set_text(in, "given", "yes");
    rec_set_text(in, "method", "smoke signal");
    assert_int_equal(consent_record(&f->c, id, in, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "given"));
    assert_non_null(fx_field_error(f, "method"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM consents"), 4);
    /* Someone who cannot see the person cannot record their consent. */
    as(f, w.u_lw_d, "link_worker", w.d);
    in = rec_new(f->c.a);
    rec_set_text(in, "scope", "story_public");
    rec_set_bool(in, "given", false);
    rec_set_text(in, "method", "verbal");
    assert_int_equal(consent_record(&f->c, id, in, &out), RES_NOT_FOUND);
}

/* ---- access ---- */

static result get_as(struct fx *f, long long pid, long long user, const char *role, long long o)
{
    as(f, user, role, o);
    rec *r = NULL;
    return participant_get(&f->c, pid, &r);
}

static void who_sees_a_person(void **state)
{
    struct fx *f = *state;
    long long id = person(f, "Ada", NULL);
    /* The holding organisation's link workers and providers. */
    assert_int_equal(get_as(f, id, w.u_lw_a, "link_worker", w.a), RES_OK);
    assert_int_equal(get_as(f, id, w.u_prov_a, "provider", w.a), RES_OK);
    /* Nobody else, whatever their role; the operator sees all. */
    assert_int_equal(get_as(f, id, w.u_lw_b, "link_worker", w.b), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_prov_c, "provider", w.cc), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_admin, "admin", w.a), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_viewer, "viewer", w.a), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_place, "place_lead", w.a), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_sys, "system_lead", w.a), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id + 100, w.u_lw_a, "link_worker", w.a), RES_NOT_FOUND);
    fx_operator(f);
    assert_int_equal(participant_access(&f->c, id), RES_OK);
    assert_int_equal(participant_access(&f->c, id + 100), RES_NOT_FOUND);

    /* B refers them (to C): B sees them; C only once the referral is sent. */
    long long r1 = referral(f, id, w.b, w.cc, "draft");
    assert_int_equal(get_as(f, id, w.u_lw_b, "link_worker", w.b), RES_OK);
    assert_int_equal(get_as(f, id, w.u_prov_c, "provider", w.cc), RES_NOT_FOUND);
    assert_int_equal(store_run(f->c.db,
                               "UPDATE referrals SET status = 'sent', sent_at = 'x'"
                               " WHERE id = $1",
                               "i", r1),
                     1);
    assert_int_equal(get_as(f, id, w.u_prov_c, "provider", w.cc), RES_OK);
    assert_int_equal(get_as(f, id, w.u_lw_d, "link_worker", w.d), RES_NOT_FOUND);
    /* Withdrawing consent to share with the provider hides them from C at once. */
    assert_int_equal(consent(f, id, "referral_to_provider", false, NULL), RES_OK);
    assert_int_equal(get_as(f, id, w.u_prov_c, "provider", w.cc), RES_NOT_FOUND);
    assert_int_equal(get_as(f, id, w.u_lw_b, "link_worker", w.b), RES_OK); /* the referrer still */
    assert_int_equal(consent(f, id, "referral_to_provider", true, NULL), RES_OK);
    assert_int_equal(get_as(f, id, w.u_prov_c, "provider", w.cc), RES_OK);
    /* A referral to D cancelled while still a draft never reached D. */
    referral(f, id, w.a, w.d, "cancelled");
    assert_int_equal(get_as(f, id, w.u_lw_d, "link_worker", w.d), RES_NOT_FOUND);
    /* Every read was audited; participant_access itself is not. */
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND entity = 'participants'"),
        6);
    /* Writing needs the same sight: D cannot change or erase them. */
    as(f, w.u_lw_d, "link_worker", w.d);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "name", "Mallory");
    assert_int_equal(participant_update(&f->c, id, in, &out), RES_NOT_FOUND);
    assert_int_equal(participant_anonymise(&f->c, id, "erasure"), RES_NOT_FOUND);
    as(f, w.u_viewer, "viewer", w.a);
    assert_int_equal(participant_update(&f->c, id, in, &out), RES_NOT_FOUND);
}

static void lists_show_only_whom_one_may_see(void **state)
{
    struct fx *f = *state;
    long long ada = person(f, "Ada Lovelace", NULL);
    person(f, "Bo Diddley", NULL);
    as(f, w.u_lw_a, "link_worker", w.a);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "name", "Cy Twombly");
    rec_set_text(in, "date_of_birth", "1980-05-17");
    rec_set_text(in, "nhs_number", "9434765919");
    assert_int_equal(participant_create(&f->c, in, &out), RES_OK);
    struct participant_query q = {0};
    struct store_page pg;
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 3);
    assert_string_equal(rec_text(pg.rows[0], "name"), "Cy Twombly"); /* newest first */
    q.q = "lovelace";
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), ada);
    q.q = "943 476";
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_string_equal(rec_text(pg.rows[0], "name"), "Cy Twombly");
    q.q = "100%";
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
    q.q = NULL;
    q.per_page = 2;
    q.page = 2;
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.nrows, 1);
    q.per_page = 500;
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_INVALID);
    q = (struct participant_query){0};
    /* Another organisation sees none; then one, once it refers Ada. */
    as(f, w.u_lw_b, "link_worker", w.b);
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
    referral(f, ada, w.b, w.cc, "draft");
    as(f, w.u_lw_b, "link_worker", w.b);
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    /* A viewer sees nobody. */
    as(f, w.u_viewer, "viewer", w.a);
    assert_int_equal(participant_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
}

/* ---- anonymising, retention ---- */

/* A person with a referral carrying scores and everything that hangs off it. */
static long long person_with_history(struct fx *f, long long *rid)
{
    long long id = person(f, "Ada Lovelace", "HX1 1AA");
    *rid = referral(f, id, w.a, w.cc, "completed");
    assert_int_equal(
        store_run(f->c.db,
                  "INSERT INTO outcomes (referral_id, participant_id, measure, stage, answers,"
                  " raw_score, metric_score, via, recorded_at, created_at, updated_at) VALUES"
                  " ($1, $2, 'swemwbs', 'baseline', '[3,3,3,3,3,3,3]', 21, 19.25, 'practitioner',"
                  " 'x', 'x', 'x'), ($1, $2, 'swemwbs', 'final', '[4,4,4,4,4,4,2]', 26, 23.21,"
                  " 'link', 'x', 'x', 'x')",
                  "ii", *rid, id),
        2);
    long long goal = 0;
    assert_int_equal(store_query_int(f->c.db, &goal,
                                     "INSERT INTO goals (referral_id, goal, created_at, updated_at)"
                                     " VALUES ($1, 'Sing in the choir at Christmas', 'x', 'x')"
                                     " RETURNING id",
                                     "i", *rid),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO goal_ratings (goal_id, stage, rating, recorded_at)"
                               " VALUES ($1, 'baseline', 3, 'x'), ($1, 'final', 8, 'y')",
                               "i", goal),
                     2);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO stories (referral_id, body, via, created_at,"
                               " updated_at) VALUES ($1, 'I found my voice again', 'link', 'x',"
                               " 'x')",
                               "i", *rid),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO feedback_messages (referral_id, recipient, body,"
                               " author, created_at, updated_at) VALUES ($1, 'referrer',"
                               " 'Ada came to every session', 'prov.c', 'x', 'x')",
                               "i", *rid),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO attendance (referral_id, session_date, attended, note,"
                               " created_at, updated_at) VALUES ($1, '2026-11-01', 1,"
                               " 'Brought her sister', 'x', 'x')",
                               "i", *rid),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO referral_needs (referral_id, term_id) VALUES"
                               " ($1, 'loneliness')",
                               "i", *rid),
                     1);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO referral_events (referral_id, from_status, to_status,"
                               " at, actor, reason) VALUES ($1, NULL, 'draft', 'x', 'lw', NULL),"
                               " ($1, 'started', 'completed', 'y', 'prov', 'Finished well')",
                               "i", *rid),
                     2);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO outcome_links (referral_id, token_hash, stage,"
                               " measures, expires_at, created_at, updated_at) VALUES ($1,"
                               " 'secret-hash', 'final', 'swemwbs', '2026-12-10T00:00:00Z', 'x',"
                               " 'x')",
                               "i", *rid),
                     1);
    assert_int_equal(consent(f, id, "story_public", true, NULL), RES_OK);
    return id;
}

static void anonymising_keeps_the_scores(void **state)
{
    struct fx *f = *state;
    long long rid;
    long long id = person_with_history(f, &rid);
    as(f, w.u_lw_a, "link_worker", w.a);
    assert_int_equal(participant_anonymise(&f->c, id, "forgetfulness"), RES_INVALID);
    assert_int_equal(participant_anonymise(&f->c, id, "erasure"), RES_OK);
    rec *p = NULL;
    assert_int_equal(participant_get(&f->c, id, &p), RES_OK);
    static const char *const cleared[] = {"name",
                                          "date_of_birth",
                                          "nhs_number",
                                          "postcode",
                                          "lsoa",
                                          "phone",
                                          "email",
                                          "sex",
                                          "ethnicity",
                                          "access_needs",
                                          "gp_practice_code",
                                          "neighbourhood_id",
                                          "imd_decile",
                                          "age_band",
                                          "communication_needs"};
    for (size_t i = 0; i < sizeof cleared / sizeof cleared[0]; i++)
        if (!rec_is_null(p, cleared[i])) fail_msg("%s was not cleared", cleared[i]);
    assert_string_equal(rec_text(p, "anonymised_at"), "2026-11-26T09:00:00Z");
    assert_string_equal(rec_text(p, "anonymised_reason"), "erasure");
    /* The scores and the frozen equity columns stay. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcomes WHERE metric_score IS NOT NULL"),
                     2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referrals WHERE swemwbs_b = 19.25 AND"
                                 " swemwbs_f = 23.21 AND ucla_b = 7 AND age_band = '35-44' AND"
                                 " sex = 'female' AND ethnicity_group = 'white' AND"
                                 " imd_quintile = 1 AND neighbourhood_id IS NOT NULL"),
                     1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM goal_ratings"), 2);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM attendance WHERE attended = 1"), 1);
    /* Their words go. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM stories WHERE body IS NOT NULL"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM feedback_messages WHERE body IS NOT NULL"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM goals WHERE goal IS NOT NULL"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referrals WHERE notes IS NOT NULL"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM attendance WHERE note IS NOT NULL"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referral_events WHERE reason IS NOT NULL"),
                     0);
    /* The unused link no longer works. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM outcome_links WHERE expires_at >"
                                 " '2026-11-26T09:00:00Z'"),
                     0);
    /* Nowhere in the audit log either. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE after_json LIKE '%Lovelace%'"
                                 " OR before_json LIKE '%Lovelace%'"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'anonymise'"), 1);
    /* Idempotent: a second erasure changes nothing, not even the time. */
    ctx_set_now(&f->c, FX_NOW + 3600);
    as(f, w.u_lw_a, "link_worker", w.a);
    assert_int_equal(participant_anonymise(&f->c, id, "erasure"), RES_OK);
    assert_int_equal(participant_get(&f->c, id, &p), RES_OK);
    assert_string_equal(rec_text(p, "anonymised_at"), "2026-11-26T09:00:00Z");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'anonymise'"), 1);
    /* An anonymised record is not filled in again. */
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "name", "Ada");
    assert_int_equal(participant_update(&f->c, id, in, &out), RES_CONFLICT);
    assert_int_equal(consent(f, id, "story_public", false, NULL), RES_CONFLICT);
}

static void retention_anonymises_after_the_period(void **state)
{
    struct fx *f = *state;
    long long old = person(f, "Old", NULL);
    long long recent = person(f, "Recent", NULL);
    long long years = 0;
    fx_operator(f);
    assert_int_equal(retention_years_get(&f->c, &years), RES_OK);
    assert_int_equal(years, 6);
    /* Three years on, Recent is in touch again. */
    ctx_set_now(&f->c, FX_NOW + 3LL * 365 * 86400);
    assert_int_equal(participant_touch(&f->c, recent), RES_OK);
    /* Six years to the day after Old's last contact: not yet. */
    ctx_set_now(&f->c, 1985072400); /* 2032-11-26T09:00:00Z */
    long long n = -1;
    assert_int_equal(retention_run(&f->c, &n), RES_OK);
    assert_int_equal(n, 0);
    /* A second later, Old goes; Recent stays. */
    ctx_set_now(&f->c, 1985072401);
    assert_int_equal(retention_run(&f->c, &n), RES_OK);
    assert_int_equal(n, 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM participants WHERE anonymised_reason ="
                                 " 'retention' AND name IS NULL"),
                     1);
    rec *p = NULL;
    assert_int_equal(participant_get(&f->c, old, &p), RES_OK);
    assert_true(rec_is_null(p, "name"));
    assert_int_equal(participant_get(&f->c, recent, &p), RES_OK);
    assert_string_equal(rec_text(p, "name"), "Recent");
    assert_int_equal(retention_run(&f->c, &n), RES_OK);
    assert_int_equal(n, 0);
    /* A shorter period catches Recent; administrators may set and run it. */
    as(f, w.u_admin, "admin", w.a);
    ctx_set_now(&f->c, 1985072401);
    assert_int_equal(retention_years_set(&f->c, 2), RES_OK);
    assert_int_equal(retention_years_get(&f->c, &years), RES_OK);
    assert_int_equal(years, 2);
    assert_int_equal(retention_run(&f->c, &n), RES_OK);
    assert_int_equal(n, 1);
    /* Others may not; nonsense periods are refused. */
    assert_int_equal(retention_years_set(&f->c, 0), RES_INVALID);
    assert_non_null(fx_field_error(f, "years"));
    as(f, w.u_admin, "admin", w.a);
    assert_int_equal(retention_years_set(&f->c, 101), RES_INVALID);
    as(f, w.u_lw_a, "link_worker", w.a);
    assert_int_equal(retention_run(&f->c, &n), RES_FORBIDDEN);
    assert_int_equal(retention_years_set(&f->c, 7), RES_FORBIDDEN);
    as(f, w.u_sys, "system_lead", w.a);
    assert_int_equal(retention_run(&f->c, &n), RES_FORBIDDEN);
    assert_int_equal(retention_years_get(&f->c, &years), RES_OK);
    assert_int_equal(years, 2);
}

static void touching_moves_the_last_contact(void **state)
{
    struct fx *f = *state;
    long long id = person(f, "Ada", NULL);
    ctx_set_now(&f->c, FX_NOW + 86400);
    assert_int_equal(participant_touch(&f->c, id), RES_OK);
    rec *p = get_as_operator(f, id);
    assert_string_equal(rec_text(p, "last_contact_at"), "2026-11-27T09:00:00Z");
}

/* ---- subject access ---- */

static void export_holds_everything_about_the_person(void **state)
{
    struct fx *f = *state;
    long long rid;
    long long id = person_with_history(f, &rid);
    referral(f, id, w.b, w.d, "sent"); /* between two other organisations */
    as(f, w.u_lw_a, "link_worker", w.a);
    json_t *doc = NULL;
    assert_int_equal(participant_export(&f->c, id, &doc), RES_OK);
    json_t *p = json_object_get(doc, "participant");
    assert_string_equal(json_string_value(json_object_get(p, "name")), "Ada Lovelace");
    assert_string_equal(json_string_value(json_object_get(p, "postcode")), "HX1 1AA");
    assert_int_equal(json_array_size(json_object_get(doc, "consents")), 1);
    json_t *refs = json_object_get(doc, "referrals");
    assert_int_equal(json_array_size(refs), 1); /* A's referral only: not B's to D */
    json_t *r = json_array_get(refs, 0);
    assert_int_equal(json_integer_value(json_object_get(r, "id")), rid);
    assert_string_equal(json_string_value(json_array_get(json_object_get(r, "needs"), 0)),
                        "loneliness");
    assert_int_equal(json_array_size(json_object_get(r, "events")), 2);
    json_t *outs = json_object_get(r, "outcomes");
    assert_int_equal(json_array_size(outs), 2);
    json_t *o = json_array_get(outs, 0);
    assert_true(json_is_array(json_object_get(o, "answers")));
    assert_true(json_real_value(json_object_get(o, "metric_score")) == 19.25);
    json_t *g = json_array_get(json_object_get(r, "goals"), 0);
    assert_string_equal(json_string_value(json_object_get(g, "goal")),
                        "Sing in the choir at Christmas");
    assert_int_equal(json_array_size(json_object_get(g, "ratings")), 2);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r, "stories"), 0), "body")),
                        "I found my voice again");
    assert_int_equal(json_array_size(json_object_get(r, "attendance")), 1);
    assert_int_equal(json_array_size(json_object_get(r, "feedback_messages")), 1);
    json_t *links = json_object_get(r, "outcome_links");
    assert_int_equal(json_array_size(links), 1);
    assert_null(json_object_get(json_array_get(links, 0), "token_hash"));
    char *text = json_dumps(doc, 0);
    assert_null(strstr(text, "secret-hash"));
    free(text);
    json_decref(doc);
    /* The operator's export has both referrals; a stranger gets nothing. */
    fx_operator(f);
    assert_int_equal(participant_export(&f->c, id, &doc), RES_OK);
    assert_int_equal(json_array_size(json_object_get(doc, "referrals")), 2);
    json_decref(doc);
    as(f, w.u_viewer, "viewer", w.a);
    assert_int_equal(participant_export(&f->c, id, &doc), RES_NOT_FOUND);
    assert_null(doc);
    /* Audited. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                 " entity = 'participants'"),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_postcode_places_the_person),
        T(moving_re_places_the_person),
        T(bad_input_names_the_field_and_writes_nothing),
        T(leads_and_viewers_cannot_create),
        T(consent_defaults_and_withdrawal),
        T(who_sees_a_person),
        T(lists_show_only_whom_one_may_see),
        T(anonymising_keeps_the_scores),
        T(retention_anonymises_after_the_period),
        T(touching_moves_the_last_contact),
        T(export_holds_everything_about_the_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
