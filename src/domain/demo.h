/*
 * demo.h: chis init (an empty system with its first administrator) and chis
 * demo (a fictional but realistic ICS with one user per role).
 */
#ifndef CHIS_DEMO_H
#define CHIS_DEMO_H

#include "domain/ctx.h"

/* Create the system, its own organisation and the first admin. Operator only. */
result system_init(struct ctx *c, const char *system_name, const char *admin_email,
                   const char *admin_password, long long *org_id_out);

struct demo_login {
    const char *role;
    const char *email;
    const char *password; /* generated at load time */
};

#define DEMO_LOGINS 6

/*
 * Load the demo system into an empty database: places, neighbourhoods,
 * organisations, people, and one user per role whose passwords are generated
 * now and returned in logins (never stored in the source). All or nothing.
 */
result demo_load(struct ctx *c, struct demo_login logins[DEMO_LOGINS]);

#endif
