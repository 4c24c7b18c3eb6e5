/*
 * main.c: chis SUBCOMMAND [options]. Shared helpers for subcommands live here too.
 */
#include "cli/cli.h"

#include "base/log.h"
#include "domain/accounts.h"
#include "domain/directory.h"
#include "domain/examples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"serve", cmd_serve, "serve the web interface and the API"},
    {"init", cmd_init, "create a database with a new, empty system and its first admin"},
    {"migrate", cmd_migrate, "bring the database schema up to date"},
    {"demo", cmd_demo, "create a database holding the fictional demo system"},
    {"user", cmd_user, "add, list, disable users and set passwords"},
    {"token", cmd_token, "create and revoke API bearer tokens"},
    {"tick", cmd_tick, "run scheduled work (escalations, reminders) due as of a time"},
    {"gen", cmd_gen, "generate synthetic data (chis gen network) for benchmarks"},
    {"import", cmd_import, "import HSDS directory data (chis import hsds) or postcodes"},
    {"export", cmd_export, "export the directory as HSDS 3.0 JSON or CSV"},
    {"retention", cmd_retention, "anonymise participants past the retention period"},
    {"version", cmd_version, "print the version"},
};

static void usage(FILE *to)
{
    fprintf(to, "chis: Creative Health in Systems\n\nusage: chis COMMAND [options]\n\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "\nEvery command takes --db PATH (or $CHIS_DB; default ./chis.db) and --help.\n");
}

int main(int argc, char **argv)
{
    /* The database, its WAL and anything else chis writes hold personal data
     * and password hashes: readable by this user only. */
    umask(077);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) return cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "chis: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}

const char *cli_db_path(const char *given)
{
    if (given) return given;
    const char *env = getenv("CHIS_DB");
    return env && *env ? env : "./chis.db";
}

bool cli_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    if (strcmp(argv[*i], name) != 0) return false;
    if (*i + 1 >= argc) {
        fprintf(stderr, "chis: %s needs a value\n", name);
        exit(2);
    }
    *value = argv[++*i];
    return true;
}

int cli_open(const char *db_path, bool migrate, struct ctx *c)
{
    char *err = NULL;
    store_conn *db = store_open(db_path, &err);
    if (!db) {
        fprintf(stderr, "chis: cannot open %s: %s\n", db_path, err ? err : "?");
        free(err);
        return -1;
    }
    if (accounts_init(2) != 0) {
        fprintf(stderr, "chis: cannot initialise the crypto library\n");
        store_close(db);
        return -1;
    }
    int from = 0, to = 0;
    if (migrate) {
        if (store_migrate(db, &from, &to, &err) != 0) {
            fprintf(stderr, "chis: %s\n", err ? err : "migration failed");
            free(err);
            store_close(db);
            return -1;
        }
    } else {
        int v = store_schema_version(db), latest = store_schema_latest(db);
        if (v != latest) {
            if (v > latest)
                fprintf(stderr,
                        "chis: %s has schema version %d, newer than this chis (%d): upgrade chis\n",
                        db_path, v, latest);
            else
                fprintf(stderr,
                        "chis: %s has schema version %d; run 'chis migrate' to bring it to %d\n",
                        db_path, v, latest);
            store_close(db);
            return -1;
        }
    }
    ctx_init(c, arena_new(1 << 16), db, time(NULL));
    c->by_operator = true;
    /* The shipped examples are data every system has (added once, by slug). */
    if (dir_taxonomy_ensure(c) != RES_OK) {
        cli_report(c, "installing the Creative Health taxonomy");
        cli_close(c);
        return -1;
    }
    if (examples_ensure(c) != RES_OK) {
        cli_report(c, "examples");
        cli_close(c);
        return -1;
    }
    return 0;
}

void cli_close(struct ctx *c)
{
    store_close(c->db);
    arena_free(c->a);
}

int cli_report(const struct ctx *c, const char *what)
{
    fprintf(stderr, "chis: %s: %s\n", what, c->detail ? c->detail : "failed");
    for (int i = 0; i < c->nerrors; i++)
        fprintf(stderr, "  %s: %s\n", c->errors[i].field, c->errors[i].message);
    return 1;
}

static char *read_line(arena *a, FILE *in)
{
    char line[1024];
    if (!fgets(line, sizeof line, in)) return NULL;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return arena_strdup(a, line);
}

char *cli_read_password(arena *a, const char *prompt)
{
    if (!isatty(STDIN_FILENO)) return read_line(a, stdin);
    struct termios old, quiet;
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    char *first = NULL, *second = NULL;
    fprintf(stderr, "%s: ", prompt);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    first = read_line(a, stdin);
    fprintf(stderr, "\nAgain: ");
    second = read_line(a, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fprintf(stderr, "\n");
    if (!first || !second || strcmp(first, second) != 0) {
        fprintf(stderr, "chis: the passwords do not match\n");
        return NULL;
    }
    return first;
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("chis %s\n", CHIS_VERSION);
    return 0;
}
