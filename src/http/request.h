/*
 * request.h: one HTTP request as handlers see it, and the calls that build
 * its response. The transport (server.c) fills the request, authenticates
 * the actor, checks CSRF and limits, then calls the route's handler; the
 * handler sets a status, headers and body. Everything here lives in the
 * request's arena and is released when the response has been sent.
 */
#ifndef CHIS_REQUEST_H
#define CHIS_REQUEST_H

#include "base/arena.h"
#include "base/buf.h"
#include "domain/ctx.h"

#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;
struct req;
struct resp_cache;

typedef void (*route_handler)(struct req *r);

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,      /* no sign-in needed */
    ROUTE_PRE_SESSION = 1 << 1, /* a sign-in form: CSRF by the pre-session cookie */
    ROUTE_SECRET_PATH = 1 << 2, /* the path holds a secret (a one-time link): logs show the pattern */
};

struct route {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/places/{id}": {name} matches one path segment */
    route_handler handler;
    unsigned flags;
    const void *data; /* handed to the handler as r->route->data (e.g. an entity) */
};

struct form_field {
    const char *name;
    const char *value;
};

struct resp_header {
    const char *name;
    const char *value;
};

#define REQ_MAX_PARAMS 4
#define REQ_MAX_RESP_HEADERS 12

struct server_settings {
    bool secure_cookies; /* mark cookies Secure: the site is served over HTTPS */
};

struct req {
    arena *a;
    struct MHD_Connection *conn;
    const struct route *route;
    const struct server_settings *settings;
    const char *method;
    const char *path;
    const char *params[REQ_MAX_PARAMS]; /* {name} segments of the pattern, in order, decoded */
    int nparams;
    const char *body; /* NUL-terminated; may contain NULs before body_len */
    size_t body_len;
    struct form_field *form; /* parsed urlencoded body, when it was one */
    int nform;
    struct ctx ctx; /* ctx.actor is set when someone is signed in */
    const char *session_token;
    bool is_api;              /* errors as problem+json, not HTML */
    bool open_data;           /* under /openreferral: public, CORS for any origin */
    struct resp_cache *cache; /* this worker thread's response cache */
    long long cache_version;  /* the store's data version when the request began */
    /* The response. */
    int status;
    const char *content_type;
    buf out;
    const unsigned char *static_body; /* instead of out: static data, not copied */
    size_t static_len;
    struct resp_header headers[REQ_MAX_RESP_HEADERS];
    int nheaders;
};

const char *req_header(struct req *r, const char *name); /* NULL when absent */
const char *req_query(struct req *r, const char *name);  /* decoded; NULL when absent */
const char *req_cookie(struct req *r, const char *name);
const char *req_form(struct req *r, const char *name); /* first value; NULL when absent */
int req_form_all(struct req *r, const char *name, const char **out, int max);
bool req_method_is(const struct req *r, const char *method);

/* Every query parameter, in order; returns the count written. */
int req_query_all(struct req *r, struct form_field *out, int max);

void resp_header(struct req *r, const char *name, const char *value);
void resp_set_cookie(struct req *r, const char *name, const char *value, long max_age_seconds);
void resp_redirect(struct req *r, const char *location); /* 303 See Other */
void resp_body(struct req *r, int status, const char *content_type, const char *data, size_t len);

/* Parse application/x-www-form-urlencoded text into r->form. 0 or -1. */
int req_parse_form(struct req *r, const char *text, size_t len);

/* Percent-decode (and '+' to space when plus_is_space) into the arena. NULL if malformed. */
char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space);
/* Percent-encode for a query string value. */
char *url_encode(arena *a, const char *s);

#endif
