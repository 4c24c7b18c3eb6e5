/*
 * retention.c: chis retention: keeping participant records no longer than
 * the retention period (domain/participants.h).
 *
 *   chis retention run [--at TIME] [--db PATH]   anonymise everyone past it
 *   chis retention set --years N [--db PATH]      change the period
 *   chis retention show [--db PATH]               print the period
 *
 * run is meant for a daily timer (cron or systemd); running it twice does
 * nothing more the second time. --at sets the clock, as chis tick does, to
 * see what a run on another day would do.
 */
#include "cli/cli.h"

#include "base/text.h"
#include "domain/concerns.h"
#include "domain/participants.h"

#include <stdio.h>
#include <string.h>

/* Print the usage of chis retention to f. */
static void retention_usage(FILE *f)
{
    fprintf(f, "usage: chis retention run [--at TIME] [--db PATH]\n"
               "       chis retention set --years N [--db PATH]\n"
               "       chis retention show [--db PATH]\n\n"
               "run: anonymise every participant whose last contact is older than the\n"
               "retention period (default 6 years): their personal details, stories and\n"
               "message bodies are removed; outcome scores stay for aggregate reports.\n"
               "Prints how many were anonymised. --at TIME (UTC, 2026-11-26T09:00:00Z or a\n"
               "date) runs it as of that time instead of now.\n\n"
               "set: change the retention period to N years (1-100).\n"
               "show: print the retention period.\n");
}

/* chis retention run|set|show: 0 on success, 1 when the work failed, 2 for bad usage. */
int cmd_retention(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        retention_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *what = argv[1], *db = NULL, *at = NULL, *years_s = NULL;
    bool run = strcmp(what, "run") == 0, set = strcmp(what, "set") == 0,
         show = strcmp(what, "show") == 0;
    if (!run && !set && !show) {
        fprintf(stderr, "chis retention: unknown command '%s'\n\n", what);
        retention_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            retention_usage(stdout);
            return 0;
        }
        if (cli_opt(argc, argv, &i, "--db", &db)) continue;
        if (run && cli_opt(argc, argv, &i, "--at", &at)) continue;
        if (set && cli_opt(argc, argv, &i, "--years", &years_s)) continue;
        fprintf(stderr, "chis retention %s: unexpected '%s'\n\n", what, argv[i]);
        retention_usage(stderr);
        return 2;
    }
    long long years = 0;
    if (set && (!years_s || (years = text_id(years_s)) == 0)) {
        fprintf(stderr, "chis retention set: give --years N, a whole number of years\n");
        return 2;
    }
    time_t when = 0;
    if (at && !concern_time_parse(at, &when)) {
        fprintf(stderr,
                "chis retention run: --at wants a UTC time like 2026-11-26T09:00:00Z or a date"
                " like 2026-11-26, not '%s'\n",
                at);
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    if (at) ctx_set_now(&c, when);
    int status = 0;
    if (run) {
        long long n = 0, period = 0;
        if (retention_years_get(&c, &period) != RES_OK || retention_run(&c, &n) != RES_OK)
            status = cli_report(&c, "retention run");
        else
            printf("anonymised %lld participant%s whose last contact was more than %lld year%s"
                   " before %s\n",
                   n, n == 1 ? "" : "s", period, period == 1 ? "" : "s", c.now_iso);
    } else if (set) {
        if (retention_years_set(&c, years) != RES_OK)
            status = cli_report(&c, "retention set");
        else
            printf("retention period: %lld year%s\n", years, years == 1 ? "" : "s");
    } else {
        if (retention_years_get(&c, &years) != RES_OK)
            status = cli_report(&c, "retention show");
        else
            printf("retention period: %lld year%s\n", years, years == 1 ? "" : "s");
    }
    cli_close(&c);
    return status;
}
