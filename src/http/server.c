/*
 * server.c: libmicrohttpd in thread-pool + epoll mode.
 *
 * Each request gets an arena on its first callback and answers on a later
 * one (answering on the first makes libmicrohttpd close keep-alive
 * connections). Each worker thread keeps its own store connection, opened on
 * first use and closed when the thread ends.
 */
#include "http/server.h"

#include "http/cache.h"

#include "base/log.h"
#include "domain/accounts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct server {
    const struct server_config *cfg;
    struct server_settings settings;
    pthread_key_t worker_key;
    atomic_int in_flight;
};

struct req_state {
    struct req r;
    struct timespec started;
    buf body;
    bool too_large;
};

#define ACTOR_CACHE 16

/*
 * A credential this worker has checked recently, and who it belongs to. It
 * stands only while the data version is unchanged (a sign-out, revocation
 * or disabled account is a write, so it retires every entry) and, for a
 * session, until the session expires.
 */
struct known_actor {
    char *credential; /* "B" + bearer token or "S" + session cookie */
    long long version;
    char expires_at[24];
    struct actor actor; /* strings and places malloc'd with the entry */
};

/* What each worker thread keeps for itself across requests. */
struct worker {
    store_conn *db;
    struct resp_cache *cache;
    struct known_actor known[ACTOR_CACHE];
    int next_known;
};

static void known_clear(struct known_actor *k)
{
    free(k->credential);
    free((char *)k->actor.email);
    free((char *)k->actor.name);
    free((char *)k->actor.csrf);
    free((long long *)k->actor.place_ids);
    memset(k, 0, sizeof *k);
}

static void worker_free(void *p)
{
    struct worker *w = p;
    store_close(w->db);
    resp_cache_free(w->cache);
    for (int i = 0; i < ACTOR_CACHE; i++)
        known_clear(&w->known[i]);
    free(w);
}

static char *dup_or_null(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d) abort();
    return d;
}

/* The actor for a credential seen at this data version, copied into r's arena. */
static struct actor *known_lookup(struct worker *w, struct req *r, const char *credential)
{
    for (int i = 0; i < ACTOR_CACHE; i++) {
        struct known_actor *k = &w->known[i];
        if (!k->credential || strcmp(k->credential, credential) != 0) continue;
        if (k->version != r->cache_version ||
            (k->expires_at[0] && strcmp(k->expires_at, r->ctx.now_iso) <= 0)) {
            known_clear(k);
            return NULL;
        }
        struct actor *a = arena_alloc(r->a, sizeof *a);
        *a = k->actor;
        a->email = arena_strdup(r->a, k->actor.email);
        a->name = arena_strdup(r->a, k->actor.name);
        a->csrf = arena_strdup(r->a, k->actor.csrf);
        long long *places = arena_alloc(r->a, sizeof *places * (size_t)(a->nplaces + 1));
        if (a->nplaces) memcpy(places, k->actor.place_ids, sizeof *places * (size_t)a->nplaces);
        a->place_ids = places;
        return a;
    }
    return NULL;
}

static void known_store(struct worker *w, struct req *r, const char *credential,
                        const struct actor *a, const char *expires_at)
{
    if (r->cache_version < 0) return;
    struct known_actor *k = &w->known[w->next_known];
    w->next_known = (w->next_known + 1) % ACTOR_CACHE;
    known_clear(k);
    k->credential = dup_or_null(credential);
    k->version = r->cache_version;
    snprintf(k->expires_at, sizeof k->expires_at, "%s", expires_at ? expires_at : "");
    k->actor = *a;
    k->actor.email = dup_or_null(a->email);
    k->actor.name = dup_or_null(a->name);
    k->actor.csrf = dup_or_null(a->csrf);
    long long *places = malloc(sizeof *places * (size_t)(a->nplaces + 1));
    if (!places) abort();
    if (a->nplaces) memcpy(places, a->place_ids, sizeof *places * (size_t)a->nplaces);
    k->actor.place_ids = places;
}

/* This worker thread's state, its store connection opened on first use; NULL on failure. */
static struct worker *thread_worker(struct server *s)
{
    struct worker *w = pthread_getspecific(s->worker_key);
    if (w) return w;
    char *err = NULL;
    store_conn *db = store_open(s->cfg->db_path, &err);
    if (!db) {
        log_error("cannot open %s: %s", s->cfg->db_path, err ? err : "?");
        free(err);
        return NULL;
    }
    w = calloc(1, sizeof *w);
    if (!w) abort();
    w->db = db;
    w->cache = resp_cache_new();
    pthread_setspecific(s->worker_key, w);
    return w;
}

/* The Open Referral API: public open data that any web page may read, so
 * every answer (errors too) allows any origin, and no credential is read. */
static bool is_open_data_path(const char *path)
{
    return strncmp(path, "/openreferral", 13) == 0 && (path[13] == '/' || path[13] == 0);
}

static bool is_api_path(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strncmp(path, "/fhir/", 6) == 0 ||
           strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 || is_open_data_path(path);
}

/* The path as logs may show it: a route whose path holds a secret (a
 * one-time link) is logged by its pattern, so the secret stays out of
 * files that many people read. */
static const char *loggable_path(const struct req *r)
{
    return r->route && (r->route->flags & ROUTE_SECRET_PATH) ? r->route->pattern : r->path;
}

static void fail(struct server *s, struct req *r, int status, const char *title, const char *detail)
{
    if (r->is_api || !s->cfg->error_page)
        s->cfg->problem(r, status, title, detail);
    else
        s->cfg->error_page(r, status, title, detail);
}

static bool state_changing(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Find the route for the request; sets *allow when only the method differs. */
static const struct route *find_route(struct server *s, struct req *r, buf *allow)
{
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    for (int t = 0; t < s->cfg->ntables; t++) {
        for (size_t i = 0; i < s->cfg->tables[t].len; i++) {
            const struct route *rt = &s->cfg->tables[t].routes[i];
            if (!route_match(rt->pattern, r->path, NULL, NULL, NULL)) continue;
            if (strcmp(rt->method, method) != 0) {
                if (!strstr(allow->data, rt->method))
                    buf_printf(allow, "%s%s", allow->len ? ", " : "", rt->method);
                continue;
            }
            route_match(rt->pattern, r->path, r->a, r->params, &r->nparams);
            return rt;
        }
    }
    return NULL;
}

static bool tokens_equal(const char *a, const char *b)
{
    if (!a || !b) return false;
    size_t n = strlen(a);
    return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

static bool content_type_is(struct req *r, const char *type)
{
    const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * Authenticate, check CSRF and call the handler. Every refusal here is a
 * complete response, so handlers only ever run for requests that passed.
 */
static void dispatch(struct server *s, struct req_state *st)
{
    struct req *r = &st->r;
    if (st->too_large) {
        fail(s, r, 413, "Request body too large",
             arena_printf(r->a, "The body must be %zu bytes or fewer.", s->cfg->max_body));
        return;
    }
    if ((strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) && s->cfg->serve_static &&
        s->cfg->serve_static(r))
        return;
    struct worker *w = thread_worker(s);
    if (!w) {
        fail(s, r, 503, "Service unavailable", "The database cannot be reached.");
        return;
    }
    store_conn *db = w->db;
    r->cache = w->cache;
    ctx_init(&r->ctx, r->a, db, time(NULL));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        char addr[INET6_ADDRSTRLEN] = "";
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr,
                      sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
                      sizeof addr);
        r->ctx.remote_addr = arena_strdup(r->a, addr);
    }
    if (s->cfg->trust_proxy) {
        /* The proxy appends the address it saw: the last entry is the one to trust. */
        const char *xff = req_header(r, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            if (*last && strlen(last) < INET6_ADDRSTRLEN)
                r->ctx.remote_addr = arena_strdup(r->a, last);
        }
    }

    /* Who is asking: a bearer token, else a session cookie. Open data is
     * the same for everyone, so a credential sent there is not even read. */
    r->cache_version = store_data_version(db);
    struct actor *actor = NULL;
    const char *auth = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (r->open_data) {
        if (strcmp(r->method, "OPTIONS") == 0) { /* a CORS preflight */
            resp_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            resp_header(r, "Access-Control-Allow-Headers", "Accept, Content-Type");
            resp_header(r, "Access-Control-Max-Age", "86400");
            resp_body(r, 204, NULL, "", 0);
            return;
        }
    } else if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *credential = arena_printf(r->a, "B%s", auth + 7);
        actor = known_lookup(w, r, credential);
        if (!actor) {
            result res = accounts_from_token(&r->ctx, auth + 7, &actor);
            if (res == RES_INTERNAL) {
                fail(s, r, 500, "Internal error", "Something went wrong on our side.");
                return;
            }
            if (res != RES_OK) {
                fail(s, r, 401, "Unauthorised", "The bearer token is not valid.");
                return;
            }
            /* Filed under the version read before the lookup: if a revocation
             * committed meanwhile, the next request misses and looks again.
             * (Noting the token's use also moves the version, so the entry
             * becomes useful from the next lookup on, at most hourly.) */
            known_store(w, r, credential, actor, NULL);
        }
    } else if ((r->session_token = req_cookie(r, "chis_session"))) {
        const char *credential = arena_printf(r->a, "S%s", r->session_token);
        actor = known_lookup(w, r, credential);
        const char *expires = NULL;
        if (!actor) {
            if (accounts_from_session(&r->ctx, r->session_token, &actor, &expires) ==
                RES_INTERNAL) {
                fail(s, r, 500, "Internal error", "Something went wrong on our side.");
                return;
            }
            if (actor) known_store(w, r, credential, actor, expires);
        }
    }
    r->ctx.actor = actor;
    ctx_clear_errors(&r->ctx);

    /* Routing comes after sign-in so that even a 404 page knows who is asking. */
    buf allow;
    buf_init(&allow, r->a, 64);
    r->route = find_route(s, r, &allow);
    if (!r->route) {
        if (allow.len) {
            resp_header(r, MHD_HTTP_HEADER_ALLOW, allow.data);
            fail(s, r, 405, "Method not allowed",
                 arena_printf(r->a, "This address answers %s.", allow.data));
        } else {
            fail(s, r, 404, "Not found", "There is nothing at this address.");
        }
        return;
    }

    if (!actor && !(r->route->flags & ROUTE_PUBLIC)) {
        if (r->is_api) {
            fail(s, r, 401, "Unauthorised", "Sign in, or send a bearer token.");
        } else {
            const char *next = url_encode(r->a, r->path);
            resp_redirect(r, arena_printf(r->a, "/sign-in?next=%s", next));
        }
        return;
    }
    if (state_changing(r->method)) {
        if (content_type_is(r, "application/x-www-form-urlencoded") &&
            req_parse_form(r, r->body, r->body_len) != 0) {
            fail(s, r, 400, "Bad request", "The form data is malformed.");
            return;
        }
        const char *sent = req_header(r, "X-CSRF-Token");
        if (!sent) sent = req_form(r, "csrf");
        if (r->route->flags & ROUTE_PRE_SESSION) {
            if (!tokens_equal(sent, req_cookie(r, "chis_pre"))) {
                fail(s, r, 403, "Forbidden",
                     "The form has expired. Go back, reload the page and try again.");
                return;
            }
        } else if (actor && actor->session_id && !(r->route->flags & ROUTE_PUBLIC) &&
                   !tokens_equal(sent, actor->csrf)) {
            fail(s, r, 403, "Forbidden",
                 r->is_api ? "The X-CSRF-Token header is missing or wrong."
                           : "The form has expired. Go back, reload the page and try again.");
            return;
        }
    }
    r->route->handler(r);
    if (store_in_tx(db)) {
        log_error("handler for %s %s left a transaction open", r->method, loggable_path(r));
        while (store_in_tx(db))
            store_rollback(db);
    }
}

static void add_common_headers(struct req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (r->open_data) MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    bool has_cache = false;
    for (int i = 0; i < r->nheaders; i++) {
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
        if (strcasecmp(r->headers[i].name, "Cache-Control") == 0) has_cache = true;
    }
    if (!has_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->content_type && strncmp(r->content_type, "text/html", 9) == 0)
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self';"
                                " img-src 'self' data:; font-src 'self'; object-src 'none';"
                                " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
}

static enum MHD_Result send_response(struct req *r)
{
    if (!r->status) {
        log_error("no response from handler for %s %s", r->method, loggable_path(r));
        r->status = 500;
        r->content_type = "application/problem+json";
        buf_truncate(&r->out, 0);
        buf_puts(&r->out, "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500}");
    }
    struct MHD_Response *resp;
    if (r->static_body)
        resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                               MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(r->out.len, r->out.data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    add_common_headers(r, resp);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    (void)version;
    struct server *s = cls;
    struct req_state *st = *req_cls;
    if (!st) {
        arena *a = arena_new(16384);
        st = arena_alloc(a, sizeof *st);
        clock_gettime(CLOCK_MONOTONIC, &st->started);
        st->r.a = a;
        st->r.conn = conn;
        st->r.settings = &s->settings;
        st->r.method = arena_strdup(a, method);
        st->r.path = arena_strdup(a, url);
        st->r.is_api = is_api_path(url);
        st->r.open_data = is_open_data_path(url);
        buf_init(&st->r.out, a, 4096);
        buf_init(&st->body, a, 256);
        atomic_fetch_add(&s->in_flight, 1);
        *req_cls = st;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!st->too_large && st->body.len + *upload_data_size <= s->cfg->max_body)
            buf_append(&st->body, upload_data, *upload_data_size);
        else
            st->too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    st->r.body = st->body.data;
    st->r.body_len = st->body.len;
    dispatch(s, st);
    return send_response(&st->r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct server *s = cls;
    struct req_state *st = *req_cls;
    if (!st) return;
    if (s->cfg->access_log) {
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &end);
        double ms = (double)(end.tv_sec - st->started.tv_sec) * 1e3 +
                    (double)(end.tv_nsec - st->started.tv_nsec) / 1e6;
        const char *who = st->r.ctx.actor ? st->r.ctx.actor->email : "-";
        log_info("%s %s %s %d %zu %.2fms %s%s", st->r.ctx.remote_addr ? st->r.ctx.remote_addr : "-",
                 st->r.method, loggable_path(&st->r), st->r.status,
                 st->r.static_body ? st->r.static_len : st->r.out.len, ms, who,
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    }
    arena_free(st->r.a);
    *req_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* Parse "ADDR:PORT" or "[V6]:PORT" into a socket address. 0 or -1. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(spec, ':');
    if (!colon) return -1;
    char host[128];
    size_t hlen = (size_t)(colon - spec);
    if (hlen >= sizeof host) return -1;
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0') return -1;
    if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
        host[hlen - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? 0 : -1;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    log_warn("http: %s", line);
}

/* See server.h. */
int server_run(const struct server_config *cfg)
{
    struct server s = {.cfg = cfg, .settings = {.secure_cookies = cfg->secure_cookies}};
    atomic_init(&s.in_flight, 0);
    struct sockaddr_storage addr;
    if (parse_listen(cfg->listen, &addr) != 0) {
        log_error("cannot understand listen address '%s' (want ADDR:PORT)", cfg->listen);
        return -1;
    }
    if (pthread_key_create(&s.worker_key, worker_free) != 0) return -1;

    /* Workers inherit a mask that blocks the stop signals; this thread waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads > 0 ? cfg->threads : 2), MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_conns, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
    if (!d) {
        log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
        pthread_key_delete(s.worker_key);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int port = info ? (int)info->port : 0;
    if (cfg->on_listening) cfg->on_listening(port, cfg->on_listening_arg);

    int sig = 0;
    sigwait(&stop, &sig);
    log_info("received %s: finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_socket lsock = MHD_quiesce_daemon(d);
    if (lsock != MHD_INVALID_SOCKET) close(lsock);
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (unsigned waited = 0; atomic_load(&s.in_flight) > 0 && waited < cfg->shutdown_grace * 50;
         waited++)
        nanosleep(&tick, NULL);
    if (atomic_load(&s.in_flight) > 0)
        log_warn("stopping with %d requests unfinished", atomic_load(&s.in_flight));
    MHD_stop_daemon(d);
    pthread_key_delete(s.worker_key);
    log_info("stopped");
    return 0;
}
