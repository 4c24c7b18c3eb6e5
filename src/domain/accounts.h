/*
 * accounts.h: users, passwords, sign-in sessions, API tokens and the
 * throttle on failed sign-ins.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str). At most
 * a few hashes run at once, so a storm of sign-ins queues instead of taking
 * every core and all the memory. Session cookies and API tokens are random
 * 256-bit secrets; the database keeps only their BLAKE2b hashes.
 */
#ifndef CHIS_ACCOUNTS_H
#define CHIS_ACCOUNTS_H

#include "domain/entity.h"

extern const struct entity entity_users;
extern const char *const user_roles[]; /* NULL-terminated */

#define PASSWORD_MIN_LEN 10
#define PASSWORD_MAX_LEN 256
#define SESSION_HOURS 12
#define THROTTLE_MINUTES 15
#define THROTTLE_ACCOUNT_FAILURES 5
#define THROTTLE_ADDRESS_FAILURES 30

/*
 * Set up libsodium and the limit on concurrent password hashes. Call once at
 * start before any thread runs. 0 or -1.
 */
int accounts_init(int max_concurrent_hashes);

/* Hash a password (argon2id); the string belongs to c->a. NULL on failure. */
char *password_hash(struct ctx *c, const char *password);
bool password_verify(const char *hash, const char *password);

struct session_grant {
    const char *token; /* the cookie value: secret, give it only to the client */
    const char *csrf;
    const char *expires_at;
    long long user_id;
};

/*
 * Check email and password and open a session. RES_UNAUTHENTICATED for a wrong
 * pair or a disabled account (the same answer, so accounts cannot be probed),
 * RES_TOO_MANY while the account or address is throttled.
 */
result accounts_sign_in(struct ctx *c, const char *email, const char *password,
                        struct session_grant *out);

/* End the session whose cookie value is token. */
result accounts_sign_out(struct ctx *c, const char *token);

/* The actor for a session cookie (and when the session expires) or a bearer
 * token; RES_UNAUTHENTICATED if none. */
result accounts_from_session(struct ctx *c, const char *token, struct actor **out,
                             const char **expires_at);
result accounts_from_token(struct ctx *c, const char *bearer, struct actor **out);

/* Load the actor for a user id (for the CLI and tests). */
result accounts_actor(struct ctx *c, long long user_id, struct actor **out);

/* Create an API token for the user with this email; *token_out is shown once. */
result accounts_token_create(struct ctx *c, const char *email, const char *name, long long *id_out,
                             const char **token_out);
result accounts_token_revoke(struct ctx *c, long long token_id);

/* Set a user's password (the operator, an admin, or the user themselves). */
result accounts_set_password(struct ctx *c, long long user_id, const char *password);

/* Disable (or enable) a user and end their sessions and tokens. */
result accounts_set_disabled(struct ctx *c, long long user_id, bool disabled);

/* Find a user id by email; 0 when none. */
long long accounts_user_id(struct ctx *c, const char *email);

#endif
