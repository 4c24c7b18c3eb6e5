/*
 * gen.c: chis gen KIND: synthetic data for benchmarks and trying things
 * out. The data is made by the domain (network_generate and friends), the
 * same for the same seed, in one transaction.
 *
 *   chis gen network --organisations N --connections M [--seed S] [--time]
 *   chis gen network --time [--place ID] [--at DATE] [--repeat K]
 *   chis gen directory --services N [--seed S]
 *   chis gen referrals --participants N [--referrals-per-participant K] [--seed S]
 *                      [--until YYYY-MM-DD] [--years Y]
 *
 * --time measures a full recomputation of the network measures (what
 * GET /api/v1/network does when its cached answer has been retired).
 */
#include "cli/cli.h"

#include "base/text.h"
#include "domain/dir_gen.h"
#include "domain/network.h"
#include "domain/ref_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Print the usage of chis gen to f. */
static void gen_usage(FILE *f)
{
    fprintf(f,
            "usage: chis gen network [--organisations N --connections M] [--seed S]\n"
            "                        [--time [--place ID] [--at YYYY-MM-DD] [--repeat K]]\n"
            "                        [--db PATH]\n\n"
            "Adds N synthetic organisations (spread over the sectors, serving the places\n"
            "there are, or five new ones) and M connections between distinct pairs of\n"
            "them (random kinds, started in the past, some ended), the same for the same\n"
            "seed (default 1). Not audited: it is test data. M is at most N(N-1)/4.\n\n"
            "--time then measures a full recomputation of the network measures, K times\n"
            "(default 5), and prints the fastest and the median in milliseconds.\n\n"
            "usage: chis gen directory --services N [--seed S] [--db PATH]\n\n"
            "Adds a synthetic Creative Health directory of N published services (about\n"
            "five to an organization, each organization linked to a chis organisation),\n"
            "with venues near real GB postcode districts, synthetic postcodes (added to\n"
            "the postcode table), schedules, costs, ages and the shipped taxonomy's\n"
            "terms; the same for the same seed (default 1). One transaction.\n\n"
            "usage: chis gen referrals --participants N [--referrals-per-participant K]\n"
            "                          [--seed S] [--until YYYY-MM-DD] [--years Y] [--db PATH]\n\n"
            "Adds a synthetic cohort on top of a directory (run chis gen directory first):\n"
            "N people living in the neighbourhoods (more in deprived ones; four places of\n"
            "ten neighbourhoods are added when there are none), N x K referrals in all\n"
            "(K default 2.5) to the directory's services over the Y years (default 3)\n"
            "before --until (default " REF_GEN_UNTIL "), each cut where it had got to by then\n"
            "(most completed, some declined, dropped out, waitlisted or still running),\n"
            "with their events, needs, SNOMED codes and frozen equity columns, and about\n"
            "two SWEMWBS, ONS4 or UCLA-3 outcome rows a referral (baseline and final,\n"
            "with the referrals' score columns in step). Each place's people are\n"
            "referred by an organisation serving it with a link worker, else by a\n"
            "'Social Prescribing Link Workers, PLACE' organisation added for it. The\n"
            "same seed (default 1) gives the same rows; no clock is read. One\n"
            "transaction. Not audited: it is synthetic data, made up, about nobody.\n");
}

/* A whole number option (>= 0); exits with status 2 when it is not one. */
static long long number_opt(const char *name, const char *v)
{
    char *end = NULL;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < 0) {
        fprintf(stderr, "chis gen: %s needs a whole number, not '%s'\n", name, v);
        exit(2);
    }
    return n;
}

/* Milliseconds on a monotonic clock. */
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Ascending doubles, for qsort. */
static int double_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/*
 * Analyse the network repeat times and print the fastest and median run,
 * split into reading the store and computing. Returns an exit status.
 */
static int time_network(struct ctx *c, long long place, const char *at, int repeat)
{
    double total[64], load[64], measure[64];
    struct network net = {0};
    if (repeat > 64) repeat = 64;
    for (int i = 0; i < repeat; i++) {
        arena_reset(c->a);
        double t0 = now_ms();
        result res = network_analyse(c, place, at, &net);
        total[i] = now_ms() - t0;
        if (res != RES_OK) return cli_report(c, "network");
        load[i] = net.load_ms;
        measure[i] = net.measure_ms;
    }
    long long ties = net.nties;
    printf("network: %d organisations, %lld ties, %d components, %d isolated (on %s)\n", net.norgs,
           ties, net.ncomponents, net.nisolated, net.at);
    qsort(total, (size_t)repeat, sizeof(double), double_cmp);
    qsort(load, (size_t)repeat, sizeof(double), double_cmp);
    qsort(measure, (size_t)repeat, sizeof(double), double_cmp);
    printf("recompute: min %.1f ms, median %.1f ms (reading %.1f ms, measures %.1f ms; median"
           " of %d)\n",
           total[0], total[repeat / 2], load[repeat / 2], measure[repeat / 2], repeat);
    return 0;
}

/* chis gen network [options]: see gen_usage(). */
static int gen_network(int argc, char **argv)
{
    const char *db = NULL, *v = NULL, *at = NULL;
    struct network_gen g = {.seed = 1};
    bool make = false, timing = false;
    long long place = 0, repeat = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            gen_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db)) {
        } else if (cli_opt(argc, argv, &i, "--organisations", &v)) {
            g.organisations = number_opt("--organisations", v);
            make = true;
        } else if (cli_opt(argc, argv, &i, "--connections", &v)) {
            g.connections = number_opt("--connections", v);
            make = true;
        } else if (cli_opt(argc, argv, &i, "--seed", &v)) {
            g.seed = (unsigned long long)number_opt("--seed", v);
        } else if (strcmp(argv[i], "--time") == 0) {
            timing = true;
        } else if (cli_opt(argc, argv, &i, "--place", &v)) {
            place = text_id(v);
            if (!place) {
                fprintf(stderr, "chis gen: --place needs a place's number, not '%s'\n", v);
                return 2;
            }
        } else if (cli_opt(argc, argv, &i, "--at", &at)) {
        } else if (cli_opt(argc, argv, &i, "--repeat", &v)) {
            repeat = number_opt("--repeat", v);
            if (repeat < 1) repeat = 1;
        } else {
            fprintf(stderr, "chis gen network: unknown option '%s'\n\n", argv[i]);
            gen_usage(stderr);
            return 2;
        }
    }
    if (!make && !timing) {
        gen_usage(stderr);
        return 2;
    }
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    int status = 0;
    if (make) {
        struct network_gen_result out;
        double t0 = now_ms();
        if (network_generate(&c, &g, &out) != RES_OK) {
            status = cli_report(&c, "gen network");
        } else {
            printf("generated %lld organisations and %lld connections", out.organisations,
                   out.connections);
            if (out.places_created) printf(" (and %lld places)", out.places_created);
            printf(" in %.0f ms (seed %llu)\n", now_ms() - t0, g.seed);
        }
    }
    if (status == 0 && timing) status = time_network(&c, place, at, (int)repeat);
    cli_close(&c);
    return status;
}

/* Progress of a long generation on a terminal: the count so far. */
static void dir_progress(void *ud, long long done, long long total)
{
    (void)ud;
    fprintf(stderr, "\r%lld of %lld services", done, total);
    if (done == total) fputc('\n', stderr);
}

/* chis gen directory [options]: see gen_usage(). */
static int gen_directory(int argc, char **argv)
{
    const char *db = NULL, *v = NULL;
    struct dir_gen g = {.seed = 1};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            gen_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db)) {
        } else if (cli_opt(argc, argv, &i, "--services", &v)) {
            g.services = number_opt("--services", v);
        } else if (cli_opt(argc, argv, &i, "--seed", &v)) {
            g.seed = (unsigned long long)number_opt("--seed", v);
        } else {
            fprintf(stderr, "chis gen directory: unknown option '%s'\n\n", argv[i]);
            gen_usage(stderr);
            return 2;
        }
    }
    if (!g.services) {
        gen_usage(stderr);
        return 2;
    }
    if (isatty(STDERR_FILENO)) g.progress = dir_progress;
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct dir_gen_result out;
    double t0 = now_ms();
    int status = 0;
    if (dir_generate(&c, &g, &out) != RES_OK) {
        status = cli_report(&c, "gen directory");
    } else {
        printf("generated %lld services of %lld organizations at %lld locations (%lld new"
               " postcodes) in %.1f s (seed %llu)\n",
               out.services, out.organizations, out.locations, out.postcodes, (now_ms() - t0) / 1e3,
               g.seed);
        printf("time: service documents %.1f s, organizations and postcodes %.1f s, storing"
               " services %.1f s (%.0f us each), commit %.1f s\n",
               out.build_ms / 1e3, out.organizations_ms / 1e3, out.services_ms / 1e3,
               out.services ? out.services_ms * 1e3 / (double)out.services : 0.0,
               out.commit_ms / 1e3);
    }
    cli_close(&c);
    return status;
}

/* Progress of a long generation: what is being written and how far it
 * got; on a terminal one line kept up to date, else a line a quarter. */
static void ref_progress(void *ud, const char *what, long long done, long long total)
{
    if (*(bool *)ud) {
        fprintf(stderr, "\r%lld of %lld %s", done, total, what);
        if (done == total) fputc('\n', stderr);
    } else if (done == total || (done * 4 / total) != ((done - 50000) * 4 / total)) {
        fprintf(stderr, "%lld of %lld %s\n", done, total, what);
    }
}

/* A decimal option (>= 0); exits with status 2 when it is not one. */
static double decimal_opt(const char *name, const char *v)
{
    char *end = NULL;
    double d = strtod(v, &end);
    if (!*v || *end || !(d >= 0)) {
        fprintf(stderr, "chis gen: %s needs a number, not '%s'\n", name, v);
        exit(2);
    }
    return d;
}

/* chis gen referrals [options]: see gen_usage(). */
static int gen_referrals(int argc, char **argv)
{
    const char *db = NULL, *v = NULL;
    struct ref_gen g = {.seed = 1};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            gen_usage(stdout);
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db)) {
        } else if (cli_opt(argc, argv, &i, "--participants", &v)) {
            g.participants = number_opt("--participants", v);
        } else if (cli_opt(argc, argv, &i, "--referrals-per-participant", &v)) {
            g.per_participant = decimal_opt("--referrals-per-participant", v);
        } else if (cli_opt(argc, argv, &i, "--seed", &v)) {
            g.seed = (unsigned long long)number_opt("--seed", v);
        } else if (cli_opt(argc, argv, &i, "--until", &g.until)) {
        } else if (cli_opt(argc, argv, &i, "--years", &v)) {
            g.years = (int)number_opt("--years", v);
        } else {
            fprintf(stderr, "chis gen referrals: unknown option '%s'\n\n", argv[i]);
            gen_usage(stderr);
            return 2;
        }
    }
    if (!g.participants) {
        gen_usage(stderr);
        return 2;
    }
    /* Large runs say how far they got (on a terminal, or whenever they are large). */
    bool tty = isatty(STDERR_FILENO);
    if (tty || g.participants >= 100000) g.progress = ref_progress;
    g.ud = &tty;
    struct ctx c;
    if (cli_open(cli_db_path(db), false, &c) != 0) return 1;
    struct ref_gen_result out;
    double t0 = now_ms();
    int status = 0;
    if (ref_generate(&c, &g, &out) != RES_OK) {
        status = cli_report(&c, "gen referrals");
    } else {
        printf("generated %lld participants, %lld referrals, %lld outcomes, %lld events,"
               " %lld needs and %lld consents in %.1f s (seed %llu)\n",
               out.participants, out.referrals, out.outcomes, out.events, out.needs, out.consents,
               (now_ms() - t0) / 1e3, g.seed);
        printf("referrals by status:");
        for (int s = 0; s < 9; s++)
            if (out.by_status[s]) printf(" %s %lld", ref_gen_status_name(s), out.by_status[s]);
        printf("\n");
        if (out.places || out.neighbourhoods || out.organisations)
            printf("added %lld places, %lld neighbourhoods and %lld referring organisations\n",
                   out.places, out.neighbourhoods, out.organisations);
        printf("busiest place: %lld (%lld referrals, referred by organisation %lld)\n",
               out.top_place_id, out.top_place_referrals, out.top_place_referrer);
        printf("busiest service: %s (%lld referrals, of organisation %lld)\n",
               out.top_service_id ? out.top_service_id : "-", out.top_service_referrals,
               out.top_service_org);
        printf("time: planning %.1f s, writing %.1f s, commit %.1f s\n", out.plan_ms / 1e3,
               out.write_ms / 1e3, out.commit_ms / 1e3);
    }
    cli_close(&c);
    return status;
}

/* chis gen KIND [options]. */
int cmd_gen(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        gen_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "network") == 0) return gen_network(argc - 1, argv + 1);
    if (strcmp(argv[1], "directory") == 0) return gen_directory(argc - 1, argv + 1);
    if (strcmp(argv[1], "referrals") == 0) return gen_referrals(argc - 1, argv + 1);
    fprintf(stderr, "chis gen: unknown kind '%s' (known: network, directory, referrals)\n",
            argv[1]);
    return 2;
}
