/*
 * cli.h: the chis command and its subcommands. Each subcommand parses its
 * own options, prints its own --help, and returns the process exit status.
 */
#ifndef CHIS_CLI_H
#define CHIS_CLI_H

#include "domain/ctx.h"

#include <stdbool.h>

#define CHIS_VERSION "0.1.0"

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_import(int argc, char **argv); /* cli/import.c */
int cmd_export(int argc, char **argv); /* cli/export.c */
int cmd_retention(int argc, char **argv); /* cli/retention.c */

struct route_table;
#define CHIS_ROUTE_TABLES_MAX 64
/* Every route table the server answers from, API first: the count, or -1
 * when out (max entries) cannot hold them all (no table is ever dropped). */
int chis_route_tables(struct route_table *out, int max);

/* --db PATH, else $CHIS_DB, else ./chis.db */
const char *cli_db_path(const char *given);

/*
 * Open the database, apply migrations when migrate is true (else refuse a
 * schema other than the latest), and prepare an operator context. 0 or -1
 * (reason printed). Release with cli_close().
 */
int cli_open(const char *db_path, bool migrate, struct ctx *c);
void cli_close(struct ctx *c);

/* Print a failed domain call's reasons to stderr; returns 1 (an exit status). */
int cli_report(const struct ctx *c, const char *what);

/* Read a password: prompt twice without echo on a terminal, else one line of stdin. */
char *cli_read_password(arena *a, const char *prompt);

/* Is s exactly "--name"? Then take its value from argv (advancing *i). */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **value);

#endif
