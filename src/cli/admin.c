/*
 * admin.c: chis init, migrate and demo.
 */
#include "cli/cli.h"

#include "domain/demo.h"
#include "domain/structure.h"

#include <stdio.h>
#include <string.h>

int cmd_migrate(int argc, char **argv)
{
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: chis migrate [--db PATH]\n\nApply every pending schema migration."
                 " Refuses a database newer than this chis.");
            return 0;
        }
        if (!cli_opt(argc, argv, &i, "--db", &db)) {
            fprintf(stderr, "chis migrate: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    char *err = NULL;
    db = cli_db_path(db);
    store_conn *c = store_open(db, &err);
    if (!c) {
        fprintf(stderr, "chis migrate: %s\n", err ? err : "cannot open");
        return 1;
    }
    int from = 0, to = 0;
    int rc = store_migrate(c, &from, &to, &err);
    if (rc == 0) {
        if (from == to)
            printf("schema is up to date at version %d\n", to);
        else
            printf("schema migrated from version %d to %d\n", from, to);
    } else {
        fprintf(stderr, "chis migrate: %s\n", err ? err : "failed");
    }
    store_close(c);
    return rc == 0 ? 0 : 1;
}

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *admin = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: chis init --system-name NAME --admin EMAIL [--db PATH]\n\n"
                 "Create the database, the system, its own organisation and the first\n"
                 "administrator. The password is read from standard input (asked twice\n"
                 "without echo on a terminal).");
            return 0;
        }
        if (!cli_opt(argc, argv, &i, "--db", &db) &&
            !cli_opt(argc, argv, &i, "--system-name", &name) &&
            !cli_opt(argc, argv, &i, "--admin", &admin)) {
            fprintf(stderr, "chis init: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!name || !admin) {
        fprintf(stderr, "chis init: --system-name and --admin are required\n");
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), true, &c) != 0) return 1;
    char *pw = cli_read_password(c.a, "Password for the administrator");
    int status = 1;
    long long org = 0;
    if (!pw)
        fprintf(stderr, "chis init: no password given\n");
    else if (system_init(&c, name, admin, pw, &org) != RES_OK)
        cli_report(&c, "init");
    else {
        printf("created the system '%s' (organisation %lld) with administrator %s\n", name, org,
               admin);
        status = 0;
    }
    cli_close(&c);
    return status;
}

int cmd_demo(int argc, char **argv)
{
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: chis demo [--db PATH]\n\n"
                 "Load the fictional demo Integrated Care System into a new database and\n"
                 "print one sign-in per role. Passwords are generated now and shown once.");
            return 0;
        }
        if (!cli_opt(argc, argv, &i, "--db", &db)) {
            fprintf(stderr, "chis demo: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), true, &c) != 0) return 1;
    struct demo_login logins[DEMO_LOGINS];
    int status = 1;
    if (demo_load(&c, logins) != RES_OK) {
        cli_report(&c, "demo");
    } else {
        struct system_info info;
        system_get(&c, &info);
        printf("loaded the demo system '%s'\n\ndemo sign-ins (role, email, password):\n",
               info.name);
        for (int i = 0; i < DEMO_LOGINS; i++)
            printf("  %-12s %-36s %s\n", logins[i].role, logins[i].email, logins[i].password);
        status = 0;
    }
    cli_close(&c);
    return status;
}
