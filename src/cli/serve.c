/*
 * serve.c: chis serve. Checks the database once, then hands the transport
 * its routes (API and web) and error renderers: the composition root.
 */
#include "cli/cli.h"

#include "api/api.h"
#include "base/log.h"
#include "cli/background.h"
#include "domain/accounts.h"
#include "http/server.h"
#include "web/web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void serve_help(void)
{
    puts("usage: chis serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--tls-proxy]\n"
         "                  [--max-body BYTES] [--timeout SECONDS] [--max-connections N]\n"
         "                  [--trust-proxy] [--no-access-log] [--migrate]\n\n"
         "  --db PATH          database file (env CHIS_DB, default ./chis.db)\n"
         "  --listen ADDR:PORT where to listen (env CHIS_LISTEN, default 127.0.0.1:8080;\n"
         "                     port 0 picks a free port and prints it)\n"
         "  --threads N        worker threads (env CHIS_THREADS, default 2)\n"
         "  --tls-proxy        the site is served over HTTPS by a proxy: mark cookies Secure\n"
         "                     (env CHIS_SECURE_COOKIES=1)\n"
         "  --trust-proxy      a proxy in front sets X-Forwarded-For: take the client's\n"
         "                     address from its last entry (env CHIS_TRUST_PROXY=1)\n"
         "  --max-body BYTES   largest request body (default 1048576)\n"
         "  --timeout SECONDS  idle connection timeout (default 30)\n"
         "  --max-connections N  (default 1000)\n"
         "  --no-access-log    do not log a line per request\n"
         "  --migrate          apply pending migrations first");
}

static void announce(int port, void *arg)
{
    const char *listen = arg;
    char host[128];
    const char *colon = strrchr(listen, ':');
    size_t n = colon ? (size_t)(colon - listen) : 0;
    if (n >= sizeof host) n = sizeof host - 1;
    memcpy(host, listen, n);
    host[n] = '\0';
    printf("chis listening on http://%s:%d/\n", strcmp(host, "0.0.0.0") == 0 ? "localhost" : host,
           port);
    fflush(stdout);
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : dflt;
}

static bool parse_count(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = getenv("CHIS_LISTEN"), *val;
    long threads = env_long("CHIS_THREADS", 2), max_body = 1 << 20, timeout = 30, conns = 1000;
    const char *secure_env = getenv("CHIS_SECURE_COOKIES");
    const char *trust_env = getenv("CHIS_TRUST_PROXY");
    bool secure = secure_env && strcmp(secure_env, "1") == 0, access_log = true, migrate = false;
    bool trust_proxy = trust_env && strcmp(trust_env, "1") == 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            serve_help();
            return 0;
        } else if (cli_opt(argc, argv, &i, "--db", &db)) {
        } else if (cli_opt(argc, argv, &i, "--listen", &listen)) {
        } else if (cli_opt(argc, argv, &i, "--threads", &val)) {
            if (!parse_count(val, 1, 256, &threads)) goto bad;
        } else if (cli_opt(argc, argv, &i, "--max-body", &val)) {
            if (!parse_count(val, 1024, 1L << 30, &max_body)) goto bad;
        } else if (cli_opt(argc, argv, &i, "--timeout", &val)) {
            if (!parse_count(val, 1, 3600, &timeout)) goto bad;
        } else if (cli_opt(argc, argv, &i, "--max-connections", &val)) {
            if (!parse_count(val, 1, 100000, &conns)) goto bad;
        } else if (strcmp(argv[i], "--tls-proxy") == 0) {
            secure = true;
        } else if (strcmp(argv[i], "--trust-proxy") == 0) {
            trust_proxy = true;
        } else if (strcmp(argv[i], "--no-access-log") == 0) {
            access_log = false;
        } else if (strcmp(argv[i], "--migrate") == 0) {
            migrate = true;
        } else {
            fprintf(stderr, "chis serve: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
        continue;
    bad:
        fprintf(stderr, "chis serve: bad value '%s' for %s\n", argv[i], argv[i - 1]);
        return 2;
    }
    if (!listen || !*listen) listen = "127.0.0.1:8080";
    struct ctx c;
    db = cli_db_path(db);
    if (cli_open(db, migrate, &c) != 0) return 1;
    cli_close(&c);

    struct route_table tables[CHIS_ROUTE_TABLES_MAX];
    int ntables = chis_route_tables(tables, CHIS_ROUTE_TABLES_MAX);
    if (ntables < 0) {
        fprintf(stderr, "chis serve: more route tables than CHIS_ROUTE_TABLES_MAX\n");
        return 1;
    }
    struct server_config cfg = {
        .listen = listen,
        .threads = (int)threads,
        .db_path = db,
        .max_body = (size_t)max_body,
        .max_header = 32 * 1024,
        .timeout = (unsigned)timeout,
        .max_conns = (unsigned)conns,
        .shutdown_grace = 10,
        .secure_cookies = secure,
        .trust_proxy = trust_proxy,
        .access_log = access_log,
        .tables = tables,
        .ntables = ntables,
        .problem = api_problem,
        .error_page = web_error_page,
        .serve_static = web_serve_static,
        .on_listening = announce,
        .on_listening_arg = (void *)listen,
    };
    struct background *bg = background_start(db, 60);
    int rc = server_run(&cfg);
    background_stop(bg);
    return rc == 0 ? 0 : 1;
}
