/*
 * accounts.c: users, sign-in, sessions, tokens and the sign-in throttle.
 *
 * Access to user records: administrators manage users; system leads may read
 * them; everyone may read their own record.
 */
#include "domain/accounts.h"

#include "base/date.h"

#include "base/log.h"
#include "base/text.h"
#include "domain/audit.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>

const char *const user_roles[] = {"admin",    "system_lead", "place_lead", "link_worker",
                                  "provider", "viewer",      NULL};

/* Set once by accounts_init() before threads start; read-only afterwards. */
static sem_t hash_slots;
/* Set once, at the first sign-in (dummy_hash_once): read-only afterwards. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_hash_done = PTHREAD_ONCE_INIT;

static const char *const user_extra_inputs[] = {"password", NULL};

static const struct field_rule user_fields[] = {
    {.col = {"email", COL_TEXT},
     .type = F_EMAIL,
     .label = "email address",
     .required = true,
     .unique = true},
    {.col = {"name", COL_TEXT}, .type = F_TEXT, .label = "name", .required = true},
    {.col = {"role", COL_TEXT},
     .type = F_ENUM,
     .label = "role",
     .required = true,
     .choices = user_roles},
    {.col = {"organisation_id", COL_INT},
     .type = F_REF,
     .label = "organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"disabled", COL_BOOL}, .type = F_BOOL, .label = "disabled"},
    {.col = {"place_ids", COL_IDSET, "user_places", "user_id", "place_id"},
     .type = F_REFSET,
     .label = "place",
     .ref_table = "places",
     .hint = "The places a place lead leads"},
    {.col = {"last_sign_in_at", COL_TEXT},
     .type = F_TEXT,
     .label = "last sign-in",
     .readonly = true},
    {.col = {"password_hash", COL_TEXT, .hidden = true},
     .type = F_TEXT,
     .label = "password",
     .readonly = true},
};

static const struct store_filter_spec user_filters[] = {
    {.param = "organisation_id", .kind = FILTER_EQ, .column = "organisation_id"},
    {.param = "role", .kind = FILTER_EQ, .column = "role", .is_text = true},
    {.param = "place_id",
     .kind = FILTER_SET,
     .link_table = "user_places",
     .link_self = "user_id",
     .link_other = "place_id"},
    {.param = "q", .kind = FILTER_TEXT, .column = "name,email"},
};

static const struct entity_ref user_refs[] = {
    {"people", "user_id", "people records"},
    {"audit", "actor_user_id", "audit entries (disable the account instead)"},
    {"concerns", "raised_by_user_id", "concerns raised"},
    {"concerns", "owner_user_id", "concerns owned"},
    {"notifications", "recipient_user_id", "notifications"},
};

static result user_authorise(struct ctx *c, const struct entity *e, enum op op, const rec *existing,
                             const rec *proposed)
{
    (void)e;
    (void)proposed;
    enum role r = c->actor->role;
    if (r == ROLE_ADMIN) return RES_OK;
    if (op == OP_READ) {
        if (r == ROLE_SYSTEM_LEAD) return RES_OK;
        if (existing && rec_int(existing, "id", 0) == c->actor->user_id) return RES_OK;
        return ctx_fail(c, RES_FORBIDDEN, "Only administrators and system leads can see users");
    }
    return ctx_fail(c, RES_FORBIDDEN, "Only administrators can manage users");
}

static bool password_acceptable(struct ctx *c, const struct val *pw)
{
    if (!pw || pw->type != VAL_TEXT) {
        ctx_field_error(c, "password", "Enter a password");
        return false;
    }
    size_t n = strlen(pw->s);
    if (n < PASSWORD_MIN_LEN || n > PASSWORD_MAX_LEN) {
        ctx_field_error(c, "password", "The password must be between %d and %d characters",
                        PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
        return false;
    }
    return true;
}

/*
 * End every session and token of a user (on disable or a new password),
 * inside the caller's transaction. The caller's own session survives when
 * they change their own password, so they are not signed out mid-task.
 */
static int revoke_all(struct ctx *c, long long user_id)
{
    long long keep = c->actor && c->actor->user_id == user_id ? c->actor->session_id : 0;
    if (store_run(c->db, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", "ii", user_id,
                  keep) < 0)
        return -1;
    if (store_run(c->db,
                  "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                  "ti", c->now_iso, user_id) < 0)
        return -1;
    return 0;
}

/*
 * Rules across fields: a password on create (hashed here), places only for
 * place leads and at least one for them, and no administrator locking
 * themselves out.
 */
static result user_check(struct ctx *c, const struct entity *e, rec *proposed, const rec *existing)
{
    (void)e;
    const struct val *pw = rec_get(proposed, "password");
    if (!existing || pw) {
        if (!password_acceptable(c, pw)) return RES_INVALID;
        char *hash = password_hash(c, pw->s);
        if (!hash) return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
        rec_set_text(proposed, "password_hash", hash);
        /* A new password ends the sessions and tokens the old one opened. */
        if (existing && revoke_all(c, rec_int(existing, "id", 0)) != 0)
            return ctx_store_failure(c, STORE_E_ERROR, "revoke sessions");
    }
    const char *role = rec_text(proposed, "role");
    if (!role && existing) role = rec_text(existing, "role");
    const struct val *places = rec_get(proposed, "place_ids");
    if (!places && existing) places = rec_get(existing, "place_ids");
    int nplaces = places && places->type == VAL_IDS ? places->nids : 0;
    if (role && strcmp(role, "place_lead") == 0 && nplaces == 0)
        ctx_field_error(c, "place_ids", "Choose at least one place for a place lead");
    if (role && strcmp(role, "place_lead") != 0 && nplaces > 0)
        ctx_field_error(c, "place_ids", "Only place leads are given places");
    if (existing && c->actor && rec_int(existing, "id", 0) == c->actor->user_id) {
        if (rec_has(proposed, "role") && strcmp(rec_text(proposed, "role"), "admin") != 0)
            ctx_field_error(c, "role", "You cannot remove your own administrator role");
        if (rec_int(proposed, "disabled", 0))
            ctx_field_error(c, "disabled", "You cannot disable your own account");
    }
    if (c->nerrors) return RES_INVALID;
    if (existing && rec_int(proposed, "disabled", 0) && !rec_int(existing, "disabled", 0) &&
        revoke_all(c, rec_int(existing, "id", 0)) != 0)
        return ctx_store_failure(c, STORE_E_ERROR, "revoke sessions");
    return RES_OK;
}

const struct entity entity_users = {
    .name = "users",
    .singular = "user",
    .title = "Users",
    .table = {"users", &user_fields[0].col, sizeof user_fields[0],
              sizeof user_fields / sizeof user_fields[0], "name"},
    .fields = user_fields,
    .nfields = sizeof user_fields / sizeof user_fields[0],
    .filters = user_filters,
    .nfilters = sizeof user_filters / sizeof user_filters[0],
    .refs = user_refs,
    .nrefs = sizeof user_refs / sizeof user_refs[0],
    .extra_inputs = user_extra_inputs,
    .personal = true,
    .authorise = user_authorise,
    .check = user_check,
};

/* Initialise libsodium and the hash semaphore (see accounts.h). */
int accounts_init(int max_concurrent_hashes)
{
    if (sodium_init() < 0) return -1;
    if (max_concurrent_hashes < 1) max_concurrent_hashes = 1;
    if (sem_init(&hash_slots, 0, (unsigned)max_concurrent_hashes) != 0) return -1;
    return 0;
}

/*
 * Make the dummy hash a sign-in with an unknown address is checked against,
 * so it takes as long as one with a known address. Made at the first
 * sign-in, not at start: a hash costs a tenth of a second and 64 MiB, which
 * every command (an import, a tick) paid for nothing. Should it fail (out of
 * memory), the hash stays empty and such a check fails at once.
 */
static void dummy_hash_make(void)
{
    if (crypto_pwhash_str(dummy_hash, "not a real password", 19, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

static void hash_slot_take(void)
{
    while (sem_wait(&hash_slots) != 0) {
    }
}

char *password_hash(struct ctx *c, const char *password)
{
    char *out = arena_alloc(c->a, crypto_pwhash_STRBYTES);
    hash_slot_take();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sem_post(&hash_slots);
    return rc == 0 ? out : NULL;
}

bool password_verify(const char *hash, const char *password)
{
    hash_slot_take();
    int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    sem_post(&hash_slots);
    return rc == 0;
}

/* A fresh 256-bit secret, base64url without padding, in the arena. */
static char *random_secret(arena *a, const char *prefix)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return arena_printf(a, "%s%s", prefix, b64);
}

/* The hex BLAKE2b-256 of a secret, as stored in the database. */
static char *secret_digest(arena *a, const char *secret)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    char *hex = arena_alloc(a, 65);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return hex;
}

static char *lower_copy(arena *a, const char *s)
{
    char *d = arena_strdup(a, s ? s : "");
    for (char *p = d; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return d;
}

static result throttled(struct ctx *c, const char *email)
{
    const char *since = date_time_iso(c->a, c->now - 60 * THROTTLE_MINUTES);
    long long n = 0;
    int rc = store_query_int(c->db, &n,
                             "SELECT count(*) FROM auth_failures WHERE kind = 'account'"
                             " AND key = $1 AND at >= $2",
                             "tt", email, since);
    if (rc < 0) return ctx_store_failure(c, rc, "throttle");
    if (n >= THROTTLE_ACCOUNT_FAILURES)
        return ctx_fail(c, RES_TOO_MANY,
                        "Too many failed sign-ins for this account. Try again in %d minutes.",
                        THROTTLE_MINUTES);
    if (!c->remote_addr) return RES_OK;
    rc = store_query_int(c->db, &n,
                         "SELECT count(*) FROM auth_failures WHERE kind = 'address'"
                         " AND key = $1 AND at >= $2",
                         "tt", c->remote_addr, since);
    if (rc < 0) return ctx_store_failure(c, rc, "throttle");
    if (n >= THROTTLE_ADDRESS_FAILURES)
        return ctx_fail(c, RES_TOO_MANY,
                        "Too many failed sign-ins from this address. Try again in %d minutes.",
                        THROTTLE_MINUTES);
    return RES_OK;
}

/*
 * Check the throttle and record this attempt as a failure in one write
 * transaction, before the password is checked: parallel guesses then queue
 * on the write lock and each sees the ones before it. A successful sign-in
 * removes its own record. *address_row is the id of the address record.
 */
static result claim_attempt(struct ctx *c, const char *email, long long *address_row)
{
    const char *old = date_time_iso(c->a, c->now - 86400);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "throttle");
    result r = throttled(c, email);
    long long rc = 0;
    *address_row = 0;
    if (r == RES_OK)
        rc =
            store_run(c->db, "INSERT INTO auth_failures (kind, key, at) VALUES ('account', $1, $2)",
                      "tt", email, c->now_iso);
    if (r == RES_OK && rc >= 0 && c->remote_addr)
        rc = store_query_int(c->db, address_row,
                             "INSERT INTO auth_failures (kind, key, at) VALUES ('address', $1, $2)"
                             " RETURNING id",
                             "tt", c->remote_addr, c->now_iso);
    if (r == RES_OK && rc >= 0)
        rc = store_run(c->db, "DELETE FROM auth_failures WHERE at < $1", "t", old);
    if (r != RES_OK || rc < 0 || store_commit(c->db) != 0) {
        store_rollback(c->db);
        return r != RES_OK ? r : ctx_store_failure(c, rc, "throttle");
    }
    return RES_OK;
}

/* Sign in; see accounts.h. */
result accounts_sign_in(struct ctx *c, const char *email, const char *password,
                        struct session_grant *out)
{
    if (!email || !password || !*email || !*password || strlen(email) > 254 ||
        strlen(password) > PASSWORD_MAX_LEN || !text_utf8_valid(email))
        return ctx_fail(c, RES_UNAUTHENTICATED, "Enter your email address and password");
    email = lower_copy(c->a, email);
    long long address_row = 0;
    result r = claim_attempt(c, email, &address_row);
    if (r != RES_OK) return r;

    store_stmt *st =
        store_prepare(c->db, "SELECT id, password_hash, disabled FROM users WHERE email = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "sign in");
    store_bind_text(st, 1, email);
    long long user_id = 0, disabled = 1;
    pthread_once(&dummy_hash_done, dummy_hash_make);
    const char *hash = dummy_hash;
    int s = store_step(st);
    if (s == STORE_ROW) {
        user_id = store_col_int(st, 0);
        hash = arena_strdup(c->a, store_col_text(st, 1));
        disabled = store_col_int(st, 2);
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "sign in");
    bool ok = password_verify(hash, password) && user_id && !disabled;
    if (!ok) {
        /* The attempt is already recorded. The email is not logged: people type
         * passwords into that box; auth_failures keeps the account for operators. */
        log_info("sign-in failed from %s", c->remote_addr ? c->remote_addr : "-");
        return ctx_fail(c, RES_UNAUTHENTICATED, "The email address or password is not right");
    }

    out->token = random_secret(c->a, "");
    out->csrf = random_secret(c->a, "");
    const char *expires = date_time_iso(c->a, c->now + 3600 * SESSION_HOURS);
    out->expires_at = arena_strdup(c->a, expires);
    out->user_id = user_id;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "sign in");
    long long rc = store_run(c->db,
                             "INSERT INTO sessions (token_hash, user_id, csrf, remote_addr,"
                             " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                             "titttt", secret_digest(c->a, out->token), user_id, out->csrf,
                             c->remote_addr, c->now_iso, expires);
    if (rc >= 0)
        rc = store_run(c->db, "DELETE FROM auth_failures WHERE kind = 'account' AND key = $1", "t",
                       email);
    if (rc >= 0 && address_row)
        rc = store_run(c->db, "DELETE FROM auth_failures WHERE id = $1", "i", address_row);
    if (rc >= 0)
        rc = store_run(c->db, "UPDATE users SET last_sign_in_at = $1 WHERE id = $2", "ti",
                       c->now_iso, user_id);
    if (rc >= 0)
        rc = store_run(c->db, "DELETE FROM sessions WHERE expires_at < $1", "t", c->now_iso);
    struct actor who = {.user_id = user_id, .email = email};
    const struct actor *was = c->actor;
    c->actor = &who;
    if (rc >= 0 && audit_record(c, "sign_in", "users", user_id, NULL, NULL) != RES_OK) rc = -1;
    c->actor = was;
    if (rc < 0 || store_commit(c->db) != 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "sign in");
    }
    return RES_OK;
}

result accounts_sign_out(struct ctx *c, const char *token)
{
    if (!token) return RES_OK;
    long long rc = store_run(c->db, "DELETE FROM sessions WHERE token_hash = $1", "t",
                             secret_digest(c->a, token));
    return rc < 0 ? ctx_store_failure(c, rc, "sign out") : RES_OK;
}

/* Fill a's places from user_places (place leads only). */
static int load_places(struct ctx *c, struct actor *a)
{
    if (a->role != ROLE_PLACE_LEAD) return 0;
    store_stmt *st = store_prepare(
        c->db, "SELECT place_id FROM user_places WHERE user_id = $1 ORDER BY place_id");
    if (!st) return -1;
    store_bind_int(st, 1, a->user_id);
    long long *ids;
    int s = store_read_ids(st, c->a, &ids, &a->nplaces);
    a->place_ids = ids;
    return s < 0 ? -1 : 0;
}

/* Build the actor from a row laid out as: id, email, name, role, organisation_id. */
static struct actor *actor_from_row(struct ctx *c, store_stmt *st, int first)
{
    struct actor *a = arena_alloc(c->a, sizeof *a);
    a->user_id = store_col_int(st, first);
    a->email = arena_strdup(c->a, store_col_text(st, first + 1));
    a->name = arena_strdup(c->a, store_col_text(st, first + 2));
    a->role = role_parse(store_col_text(st, first + 3));
    a->org_id = store_col_int(st, first + 4);
    return a;
}

result accounts_from_session(struct ctx *c, const char *token, struct actor **out,
                             const char **expires_at)
{
    if (!token || !*token || strlen(token) > 100) return RES_UNAUTHENTICATED;
    store_stmt *st = store_prepare(
        c->db, "SELECT s.id, s.csrf, u.id, u.email, u.name, u.role, u.organisation_id,"
               " s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
               " WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "session");
    store_bindf(st, "tt", secret_digest(c->a, token), c->now_iso);
    int s = store_step(st);
    struct actor *a = NULL;
    if (s == STORE_ROW) {
        a = actor_from_row(c, st, 2);
        a->session_id = store_col_int(st, 0);
        a->csrf = arena_strdup(c->a, store_col_text(st, 1));
        if (expires_at) *expires_at = arena_strdup(c->a, store_col_text(st, 7));
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "session");
    if (!a) return RES_UNAUTHENTICATED;
    if (load_places(c, a) != 0) return ctx_store_failure(c, STORE_E_ERROR, "session places");
    *out = a;
    return RES_OK;
}

result accounts_from_token(struct ctx *c, const char *bearer, struct actor **out)
{
    if (!bearer || strncmp(bearer, "chis_", 5) != 0 || strlen(bearer) > 100)
        return RES_UNAUTHENTICATED;
    store_stmt *st = store_prepare(
        c->db, "SELECT t.id, t.last_used_at, u.id, u.email, u.name, u.role, u.organisation_id"
               " FROM api_tokens t JOIN users u ON u.id = t.user_id"
               " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "token");
    store_bind_text(st, 1, secret_digest(c->a, bearer));
    int s = store_step(st);
    struct actor *a = NULL;
    char *last_used = NULL;
    if (s == STORE_ROW) {
        a = actor_from_row(c, st, 2);
        a->token_id = store_col_int(st, 0);
        last_used = store_col_null(st, 1) ? NULL : arena_strdup(c->a, store_col_text(st, 1));
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "token");
    if (!a) return RES_UNAUTHENTICATED;
    if (load_places(c, a) != 0) return ctx_store_failure(c, STORE_E_ERROR, "token places");
    /* Note use at most hourly, so busy machine clients do not write on every call. */
    const char *hour_ago = date_time_iso(c->a, c->now - 3600);
    if (!last_used || strcmp(last_used, hour_ago) < 0)
        store_run(c->db, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", "ti", c->now_iso,
                  a->token_id);
    *out = a;
    return RES_OK;
}

result accounts_actor(struct ctx *c, long long user_id, struct actor **out)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT id, email, name, role, organisation_id FROM users WHERE id = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "actor");
    store_bind_int(st, 1, user_id);
    int s = store_step(st);
    struct actor *a = s == STORE_ROW ? actor_from_row(c, st, 0) : NULL;
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "actor");
    if (!a) return ctx_fail(c, RES_NOT_FOUND, "There is no user with id %lld", user_id);
    if (load_places(c, a) != 0) return ctx_store_failure(c, STORE_E_ERROR, "actor places");
    *out = a;
    return RES_OK;
}

long long accounts_user_id(struct ctx *c, const char *email)
{
    long long id = 0;
    if (store_query_int(c->db, &id, "SELECT id FROM users WHERE email = $1", "t",
                        lower_copy(c->a, email)) != 1)
        return 0;
    return id;
}

static bool may_manage_user(const struct ctx *c, long long user_id)
{
    return c->by_operator ||
           (c->actor && (c->actor->role == ROLE_ADMIN || c->actor->user_id == user_id));
}

result accounts_token_create(struct ctx *c, const char *email, const char *name, long long *id_out,
                             const char **token_out)
{
    long long user_id = accounts_user_id(c, email ? email : "");
    if (!user_id) return ctx_fail(c, RES_NOT_FOUND, "There is no user with that email address");
    if (!may_manage_user(c, user_id))
        return ctx_fail(c, RES_FORBIDDEN, "You may only create tokens for yourself");
    const char *token = random_secret(c->a, "chis_");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "token");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                             " VALUES ($1, $2, $3, $4) RETURNING id",
                             "ittt", user_id, name && *name ? name : "api",
                             secret_digest(c->a, token), c->now_iso);
    rec *after = rec_new(c->a);
    rec_set_int(after, "user_id", user_id);
    rec_set_text(after, "name", name && *name ? name : "api");
    if (rc != 1 || audit_record(c, "create", "api_tokens", id, NULL, after) != RES_OK) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "token");
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "token");
    *id_out = id;
    *token_out = token;
    return RES_OK;
}

result accounts_token_revoke(struct ctx *c, long long token_id)
{
    long long owner = 0;
    int rc = store_query_int(c->db, &owner, "SELECT user_id FROM api_tokens WHERE id = $1", "i",
                             token_id);
    if (rc < 0) return ctx_store_failure(c, rc, "token");
    if (rc == 0 || !may_manage_user(c, owner))
        return ctx_fail(c, RES_NOT_FOUND, "There is no token with id %lld", token_id);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "token");
    long long n = store_run(c->db,
                            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2"
                            " AND revoked_at IS NULL",
                            "ti", c->now_iso, token_id);
    if (n < 0 || audit_record(c, "revoke", "api_tokens", token_id, NULL, NULL) != RES_OK) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "token revoke");
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "token revoke");
    return RES_OK;
}

result accounts_set_password(struct ctx *c, long long user_id, const char *password)
{
    if (!may_manage_user(c, user_id))
        return ctx_fail(c, RES_FORBIDDEN, "You may only change your own password");
    rec *in = rec_new(c->a);
    rec_set_text(in, "password", password);
    if (!password_acceptable(c, rec_get(in, "password")))
        return ctx_fail(c, RES_INVALID, "Check the password");
    char *hash = password_hash(c, password);
    if (!hash) return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "password");
    long long n = store_run(c->db,
                            "UPDATE users SET password_hash = $1, updated_at = $2"
                            " WHERE id = $3",
                            "tti", hash, c->now_iso, user_id);
    if (n > 0 && revoke_all(c, user_id) != 0) n = STORE_E_ERROR;
    if (n == 0) {
        store_rollback(c->db);
        return ctx_fail(c, RES_NOT_FOUND, "There is no user with id %lld", user_id);
    }
    if (n < 0 || audit_record(c, "set_password", "users", user_id, NULL, NULL) != RES_OK) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "password");
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "password");
    return RES_OK;
}

result accounts_set_disabled(struct ctx *c, long long user_id, bool disabled)
{
    rec *in = rec_new(c->a);
    rec_set_bool(in, "disabled", disabled);
    return entity_update(c, &entity_users, user_id, in, NULL);
}
