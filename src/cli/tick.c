/*
 * tick.c: chis tick [--at TIME] [--db PATH]. Runs the scheduler once with
 * the clock set to TIME (default: now), prints what it did and exits. The
 * same work runs every minute inside chis serve; running both is safe.
 */
#include "cli/cli.h"

#include "domain/concerns.h"
#include "domain/scheduler.h"

#include <stdio.h>
#include <string.h>

/* chis tick --help. */
static void tick_help(void)
{
    puts("usage: chis tick [--at TIME] [--db PATH]\n\n"
         "Run the work that is due as of TIME (UTC, 2026-11-26T09:00:00Z or 2026-11-26 for\n"
         "midnight; default now): escalate concerns past their deadline, and write\n"
         "reminders of policies and sharing agreements due for review within 30 days and\n"
         "of overdue actions. Reminders are written once, so running it again at the same\n"
         "time does nothing more. Prints one line per thing done, then a summary.");
}

/* chis tick: 0 when the run succeeded, 1 when it failed, 2 for bad options. */
int cmd_tick(int argc, char **argv)
{
    const char *db = NULL, *at = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            tick_help();
            return 0;
        }
        if (!cli_opt(argc, argv, &i, "--db", &db) && !cli_opt(argc, argv, &i, "--at", &at)) {
            fprintf(stderr, "chis tick: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    time_t when = 0;
    if (at && !concern_time_parse(at, &when)) {
        fprintf(stderr,
                "chis tick: --at wants a UTC time like 2026-11-26T09:00:00Z or a date like "
                "2026-11-26, not '%s'\n",
                at);
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    if (at) ctx_set_now(&c, when);
    struct tick_report report;
    int status = 0;
    result r = scheduler_run(&c, &report);
    for (int i = 0; i < report.nlines; i++)
        printf("%s\n", report.lines[i]);
    if (r != RES_OK) {
        status = cli_report(&c, "tick");
    } else {
        printf("tick at %s: escalated %d concern%s, wrote %d notification%s\n", c.now_iso,
               report.escalated, report.escalated == 1 ? "" : "s", report.notifications,
               report.notifications == 1 ? "" : "s");
    }
    cli_close(&c);
    return status;
}
