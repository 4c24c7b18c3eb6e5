/*
 * test_accounts.c: users, sign-in, sessions, tokens and the throttle, with
 * the clock driven by the test.
 */
#include "unit.h"

#include "domain/demo.h"
#include "domain/structure.h"

#define PW "correct horse battery"

static long long setup_system(struct fx *f)
{
    long long org = 0;
    assert_int_equal(system_init(&f->c, "Test ICS", "Admin@Example.org", PW, &org), RES_OK);
    return org;
}

static void init_creates_the_system_once(void **state)
{
    struct fx *f = *state;
    long long org = setup_system(f);
    struct system_info info;
    assert_int_equal(system_get(&f->c, &info), RES_OK);
    assert_string_equal(info.name, "Test ICS");
    assert_int_equal(info.organisation_id, org);
    assert_int_equal(system_init(&f->c, "Again", "b@example.org", PW, NULL), RES_CONFLICT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM users"), 1);
    assert_int_equal(accounts_user_id(&f->c, "ADMIN@example.ORG"), 1);
    /* The hash is argon2id and never the password. */
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"), 1);
}

static void sign_in_opens_a_session_that_expires(void **state)
{
    struct fx *f = *state;
    setup_system(f);
    struct session_grant g;
    f->c.remote_addr = "192.0.2.1";
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &g), RES_OK);
    assert_true(strlen(g.token) >= 43);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM sessions"), 1);
    /* only the hash of the cookie is stored */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM sessions WHERE token_hash = 'x'"), 0);
    struct actor *a = NULL;
    assert_int_equal(accounts_from_session(&f->c, g.token, &a, NULL), RES_OK);
    assert_int_equal(a->role, ROLE_ADMIN);
    assert_string_equal(a->csrf, g.csrf);
    assert_int_equal(accounts_from_session(&f->c, "forged", &a, NULL), RES_UNAUTHENTICATED);
    ctx_set_now(&f->c, FX_NOW + 3600 * SESSION_HOURS + 1);
    assert_int_equal(accounts_from_session(&f->c, g.token, &a, NULL), RES_UNAUTHENTICATED);
    ctx_set_now(&f->c, FX_NOW);
    assert_int_equal(accounts_sign_out(&f->c, g.token), RES_OK);
    assert_int_equal(accounts_from_session(&f->c, g.token, &a, NULL), RES_UNAUTHENTICATED);
}

static void failures_are_throttled_per_account(void **state)
{
    struct fx *f = *state;
    setup_system(f);
    struct session_grant g;
    f->c.remote_addr = "192.0.2.2";
    assert_int_equal(accounts_sign_in(&f->c, "nobody@example.org", PW, &g), RES_UNAUTHENTICATED);
    const char *unknown = f->c.detail;
    for (int i = 0; i < THROTTLE_ACCOUNT_FAILURES; i++)
        assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", "wrong password", &g),
                         RES_UNAUTHENTICATED);
    assert_string_equal(f->c.detail, unknown); /* the same words: accounts cannot be probed */
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &g), RES_TOO_MANY);
    ctx_set_now(&f->c, FX_NOW + 60 * THROTTLE_MINUTES + 1);
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &g), RES_OK);
}

static void tokens_work_until_revoked_and_disabled_users_lose_access(void **state)
{
    struct fx *f = *state;
    long long org = setup_system(f);
    long long id = 0;
    const char *token = NULL;
    assert_int_equal(accounts_token_create(&f->c, "admin@example.org", "ci", &id, &token), RES_OK);
    assert_int_equal(strncmp(token, "chis_", 5), 0);
    struct actor *a = NULL;
    assert_int_equal(accounts_from_token(&f->c, token, &a), RES_OK);
    assert_int_equal(a->token_id, id);
    assert_int_equal(accounts_token_revoke(&f->c, id), RES_OK);
    assert_int_equal(accounts_from_token(&f->c, token, &a), RES_UNAUTHENTICATED);

    rec *u = rec_new(f->c.a), *out = NULL;
    rec_set_text(u, "email", "lw@example.org");
    rec_set_text(u, "name", "Link Worker");
    rec_set_text(u, "role", "link_worker");
    rec_set_int(u, "organisation_id", org);
    rec_set_text(u, "password", PW);
    assert_int_equal(entity_create(&f->c, &entity_users, u, &out), RES_OK);
    assert_false(rec_has(out, "password_hash"));
    long long lw = rec_int(out, "id", 0);
    rec *bad = rec_new(f->c.a);
    rec_set_null(bad, "disabled");
    assert_int_equal(entity_update(&f->c, &entity_users, lw, bad, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "disabled"));
    ctx_clear_errors(&f->c);
    struct session_grant g;
    assert_int_equal(accounts_sign_in(&f->c, "lw@example.org", PW, &g), RES_OK);
    assert_int_equal(accounts_token_create(&f->c, "lw@example.org", NULL, &id, &token), RES_OK);
    assert_int_equal(accounts_set_disabled(&f->c, lw, true), RES_OK);
    assert_int_equal(accounts_from_session(&f->c, g.token, &a, NULL), RES_UNAUTHENTICATED);
    assert_int_equal(accounts_from_token(&f->c, token, &a), RES_UNAUTHENTICATED);
    assert_int_equal(accounts_sign_in(&f->c, "lw@example.org", PW, &g), RES_UNAUTHENTICATED);
}

static void a_new_password_ends_other_sessions_and_tokens(void **state)
{
    struct fx *f = *state;
    setup_system(f);
    struct session_grant mine, other;
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &mine), RES_OK);
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &other), RES_OK);
    long long tid;
    const char *token;
    assert_int_equal(accounts_token_create(&f->c, "admin@example.org", "ci", &tid, &token), RES_OK);
    struct actor *me = NULL;
    assert_int_equal(accounts_from_session(&f->c, mine.token, &me, NULL), RES_OK);
    f->c.actor = me;
    f->c.by_operator = false;
    rec *change = rec_new(f->c.a);
    rec_set_text(change, "password", "a brand new passphrase");
    assert_int_equal(entity_update(&f->c, &entity_users, 1, change, NULL), RES_OK);
    struct actor *a = NULL;
    assert_int_equal(accounts_from_session(&f->c, mine.token, &a, NULL), RES_OK); /* kept */
    assert_int_equal(accounts_from_session(&f->c, other.token, &a, NULL), RES_UNAUTHENTICATED);
    assert_int_equal(accounts_from_token(&f->c, token, &a), RES_UNAUTHENTICATED);
    fx_operator(f);
    assert_int_equal(accounts_set_password(&f->c, 1, "yet another passphrase"), RES_OK);
    assert_int_equal(accounts_from_session(&f->c, mine.token, &a, NULL), RES_UNAUTHENTICATED);
}

static void attempts_are_recorded_before_the_password_is_checked(void **state)
{
    struct fx *f = *state;
    setup_system(f);
    f->c.remote_addr = "192.0.2.9";
    struct session_grant g;
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", "wrong password", &g),
                     RES_UNAUTHENTICATED);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM auth_failures"), 2);
    assert_int_equal(accounts_sign_in(&f->c, "admin@example.org", PW, &g), RES_OK);
    /* Success removes the account's failures and its own address record. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM auth_failures WHERE kind = 'account'"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM auth_failures WHERE kind = 'address'"), 1);
    assert_int_equal(accounts_sign_in(&f->c, "admin\xff@example.org", PW, &g), RES_UNAUTHENTICATED);
}

static void user_rules_hold(void **state)
{
    struct fx *f = *state;
    long long org = setup_system(f);
    rec *u = rec_new(f->c.a);
    rec_set_text(u, "email", "pl@example.org");
    rec_set_text(u, "name", "Place Lead");
    rec_set_text(u, "role", "place_lead");
    rec_set_int(u, "organisation_id", org);
    rec_set_text(u, "password", "short");
    assert_int_equal(entity_create(&f->c, &entity_users, u, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "password"));
    ctx_clear_errors(&f->c);
    rec_set_text(u, "password", PW);
    assert_int_equal(entity_create(&f->c, &entity_users, u, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "place_ids"),
                        "Choose at least one place for a place lead");
    ctx_clear_errors(&f->c);
    rec_set_text(u, "password_hash", "$argon2id$forged");
    assert_int_equal(entity_create(&f->c, &entity_users, u, NULL), RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "password_hash"), "not a field"));

    /* An administrator cannot lock themselves out. */
    struct actor *admin = NULL;
    assert_int_equal(accounts_actor(&f->c, 1, &admin), RES_OK);
    f->c.actor = admin;
    f->c.by_operator = false;
    ctx_clear_errors(&f->c);
    rec *change = rec_new(f->c.a);
    rec_set_bool(change, "disabled", true);
    rec_set_text(change, "role", "viewer");
    assert_int_equal(entity_update(&f->c, &entity_users, 1, change, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "disabled"));
    assert_non_null(fx_field_error(f, "role"));
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0"), 1);
}

static void demo_loads_whole_and_only_into_an_empty_database(void **state)
{
    struct fx *f = *state;
    struct demo_login logins[DEMO_LOGINS];
    assert_int_equal(demo_load(&f->c, logins), RES_OK);
    assert_true(fx_count(f, "SELECT count(*) FROM places") >= 3);
    assert_true(fx_count(f, "SELECT count(*) FROM neighbourhoods") >= 15);
    assert_true(fx_count(f, "SELECT count(*) FROM organisations") >= 50);
    for (const char *const *s = organisation_sectors; *s; s++) {
        long long n = 0;
        store_query_int(f->c.db, &n, "SELECT count(*) FROM organisations WHERE sector = $1", "t",
                        *s);
        assert_true(n > 0);
    }
    assert_int_equal(fx_count(f, "SELECT count(DISTINCT role) FROM users"), 6);
    struct session_grant g;
    for (int i = 0; i < DEMO_LOGINS; i++) {
        assert_true(strlen(logins[i].password) >= PASSWORD_MIN_LEN);
        assert_int_equal(accounts_sign_in(&f->c, logins[i].email, logins[i].password, &g), RES_OK);
    }
    long long orgs = fx_count(f, "SELECT count(*) FROM organisations");
    assert_int_equal(demo_load(&f->c, logins), RES_CONFLICT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM organisations"), orgs);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_creates_the_system_once),
        T(sign_in_opens_a_session_that_expires),
        T(failures_are_throttled_per_account),
        T(tokens_work_until_revoked_and_disabled_users_lose_access),
        T(a_new_password_ends_other_sessions_and_tokens),
        T(attempts_are_recorded_before_the_password_is_checked),
        T(user_rules_hold),
        T(demo_loads_whole_and_only_into_an_empty_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
