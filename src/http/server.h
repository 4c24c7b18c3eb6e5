/*
 * server.h: the HTTP transport on libmicrohttpd (thread pool, epoll). It owns
 * connections, limits, the router, authentication, CSRF checks, the access
 * log and graceful shutdown; the routes and error renderers are handed in by
 * the caller (cli/serve.c), so this layer knows no handler by name.
 */
#ifndef CHIS_SERVER_H
#define CHIS_SERVER_H

#include "http/request.h"

#include <stdbool.h>
#include <stddef.h>

struct route_table {
    const struct route *routes;
    size_t len;
};

struct server_config {
    const char *listen; /* "ADDR:PORT"; port 0 picks a free one */
    int threads;
    const char *db_path;
    size_t max_body;   /* bytes; larger bodies get 413 */
    size_t max_header; /* bytes of request line and headers; larger get 431 */
    unsigned timeout;  /* seconds a connection may sit idle */
    unsigned max_conns;
    unsigned shutdown_grace; /* seconds to let in-flight requests finish */
    bool secure_cookies;
    bool trust_proxy; /* take the client's address from X-Forwarded-For (last entry) */
    bool access_log;
    const struct route_table *tables;
    int ntables;
    /* Error renderers: API paths get problem+json, others a page. */
    void (*problem)(struct req *r, int status, const char *title, const char *detail);
    void (*error_page)(struct req *r, int status, const char *title, const char *detail);
    /* Serve a static file if the path names one; true when handled. */
    bool (*serve_static)(struct req *r);
    /* Called once the server listens, with the bound port (for tests and logs). */
    void (*on_listening)(int port, void *arg);
    void *on_listening_arg;
};

/*
 * Serve until SIGINT or SIGTERM, then stop accepting, let in-flight requests
 * finish (up to shutdown_grace seconds) and return. 0 on a clean stop, -1 if
 * the server could not start (reason logged).
 */
int server_run(const struct server_config *cfg);

/* Match path against a pattern; on success fill params (arena a). For tests. */
bool route_match(const char *pattern, const char *path, arena *a, const char **params,
                 int *nparams);

#endif
