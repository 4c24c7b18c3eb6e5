/*
 * users.c: chis user add|passwd|list|disable|enable and chis token create|revoke.
 */
#include "cli/cli.h"

#include "base/text.h"
#include "domain/accounts.h"
#include "domain/structure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void user_help(void)
{
    puts("usage: chis user add EMAIL --role ROLE --name NAME [--org ORG_ID] [--place PLACE_ID]...\n"
         "       chis user passwd EMAIL\n"
         "       chis user list\n"
         "       chis user disable EMAIL\n"
         "       chis user enable EMAIL\n\n"
         "Every form takes --db PATH. Passwords are read from standard input (asked\n"
         "twice without echo on a terminal). Roles: admin, system_lead, place_lead,\n"
         "link_worker, provider, viewer. --org defaults to the system's own\n"
         "organisation; --place (repeatable) gives a place lead their places.");
}

static int user_add(struct ctx *c, const char *email, const char *role, const char *name,
                    const char *org, const long long *places, int nplaces)
{
    rec *in = rec_new(c->a);
    rec_set_text(in, "email", email);
    rec_set_text(in, "role", role);
    rec_set_text(in, "name", name);
    long long org_id = 0;
    if (org) {
        org_id = text_id(org);
        if (!org_id) {
            fprintf(stderr, "chis user add: --org takes an organisation id\n");
            return 2;
        }
    } else {
        struct system_info info;
        if (system_get(c, &info) != RES_OK) return cli_report(c, "user add");
        org_id = info.organisation_id;
    }
    rec_set_int(in, "organisation_id", org_id);
    if (nplaces) rec_set_ids(in, "place_ids", places, nplaces);
    char *pw = cli_read_password(c->a, "Password");
    if (!pw) return 1;
    rec_set_text(in, "password", pw);
    rec *out = NULL;
    if (entity_create(c, &entity_users, in, &out) != RES_OK) return cli_report(c, "user add");
    printf("added user %lld %s (%s)\n", rec_int(out, "id", 0), email, role);
    return 0;
}

static int user_list(struct ctx *c)
{
    struct list_query q = {.per_page = LIST_MAX_PER_PAGE};
    printf("%-5s %-36s %-12s %-6s %-8s %s\n", "id", "email", "role", "org", "disabled", "name");
    for (q.page = 1;; q.page++) {
        struct store_page page;
        if (entity_list(c, &entity_users, &q, &page) != RES_OK) return cli_report(c, "user list");
        for (int i = 0; i < page.nrows; i++) {
            rec *u = page.rows[i];
            printf("%-5lld %-36s %-12s %-6lld %-8s %s\n", rec_int(u, "id", 0), rec_text(u, "email"),
                   rec_text(u, "role"), rec_int(u, "organisation_id", 0),
                   rec_int(u, "disabled", 0) ? "yes" : "no", rec_text(u, "name"));
        }
        if (q.page * q.per_page >= page.total) break;
    }
    return 0;
}

int cmd_user(int argc, char **argv)
{
    const char *db = NULL, *role = NULL, *name = NULL, *org = NULL, *val;
    const char *verb = NULL, *email = NULL;
    long long places[64];
    int nplaces = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            user_help();
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db) ||
                   cli_opt(argc, argv, &i, "--role", &role) ||
                   cli_opt(argc, argv, &i, "--name", &name) ||
                   cli_opt(argc, argv, &i, "--org", &org)) {
        } else if (cli_opt(argc, argv, &i, "--place", &val)) {
            long long id = text_id(val);
            if (!id || nplaces == 64) {
                fprintf(stderr, "chis user: bad --place '%s'\n", val);
                return 2;
            }
            places[nplaces++] = id;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "chis user: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!verb) {
            verb = argv[i];
        } else if (!email) {
            email = argv[i];
        } else {
            fprintf(stderr, "chis user: unexpected '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!verb) {
        user_help();
        return 2;
    }
    bool list = strcmp(verb, "list") == 0;
    if (!list && !email) {
        fprintf(stderr, "chis user %s: give the user's email address\n", verb);
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    int status = 1;
    long long id = list ? 0 : accounts_user_id(&c, email);
    if (strcmp(verb, "add") == 0) {
        if (!role || !name)
            fprintf(stderr, "chis user add: --role and --name are required\n");
        else
            status = user_add(&c, email, role, name, org, places, nplaces);
    } else if (list) {
        status = user_list(&c);
    } else if (!id) {
        fprintf(stderr, "chis user %s: there is no user %s\n", verb, email);
    } else if (strcmp(verb, "passwd") == 0) {
        char *pw = cli_read_password(c.a, "New password");
        if (pw && accounts_set_password(&c, id, pw) == RES_OK) {
            printf("password changed for %s\n", email);
            status = 0;
        } else if (pw) {
            cli_report(&c, "user passwd");
        }
    } else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
        bool off = strcmp(verb, "disable") == 0;
        if (accounts_set_disabled(&c, id, off) == RES_OK) {
            printf("%s %s\n", off ? "disabled" : "enabled", email);
            status = 0;
        } else {
            cli_report(&c, verb);
        }
    } else {
        fprintf(stderr, "chis user: unknown action '%s' (try --help)\n", verb);
        status = 2;
    }
    cli_close(&c);
    return status;
}

int cmd_token(int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *verb = NULL, *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: chis token create EMAIL [--name NAME] [--db PATH]\n"
                 "       chis token revoke TOKEN_ID [--db PATH]\n\n"
                 "create prints a bearer token for the user (shown once; only its hash is\n"
                 "kept). Send it as 'Authorization: Bearer TOKEN'.");
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db) ||
                   cli_opt(argc, argv, &i, "--name", &name)) {
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "chis token: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!verb) {
            verb = argv[i];
        } else if (!arg) {
            arg = argv[i];
        } else {
            fprintf(stderr, "chis token: unexpected '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!verb || !arg || (strcmp(verb, "create") != 0 && strcmp(verb, "revoke") != 0)) {
        fprintf(stderr, "usage: chis token create EMAIL | chis token revoke TOKEN_ID\n");
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    int status = 0;
    if (strcmp(verb, "create") == 0) {
        long long id = 0;
        const char *token = NULL;
        if (accounts_token_create(&c, arg, name, &id, &token) != RES_OK)
            status = cli_report(&c, "token create");
        else
            printf("%s\n", token);
    } else {
        long long id = text_id(arg);
        if (!id) {
            fprintf(stderr, "chis token revoke: give the token's id\n");
            status = 2;
        } else if (accounts_token_revoke(&c, id) != RES_OK) {
            status = cli_report(&c, "token revoke");
        } else {
            printf("revoked token %lld\n", id);
        }
    }
    cli_close(&c);
    return status;
}
