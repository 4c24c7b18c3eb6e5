/*
 * request.c: reading a request and building its response. All strings
 * returned are owned by the request arena or by libmicrohttpd for the
 * lifetime of the request.
 */
#include "http/request.h"

#include <ctype.h>
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct collect {
    struct form_field *out;
    int max, n;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct collect *c = cls;
    if (c->n < c->max) c->out[c->n++] = (struct form_field){key, value ? value : ""};
    return MHD_YES;
}

int req_query_all(struct req *r, struct form_field *out, int max)
{
    struct collect c = {out, max, 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, &c);
    return c.n;
}

const char *req_form(struct req *r, const char *name)
{
    for (int i = 0; i < r->nform; i++)
        if (strcmp(r->form[i].name, name) == 0) return r->form[i].value;
    return NULL;
}

int req_form_all(struct req *r, const char *name, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < r->nform && n < max; i++)
        if (strcmp(r->form[i].name, name) == 0) out[n++] = r->form[i].value;
    return n;
}

bool req_method_is(const struct req *r, const char *method)
{
    return strcmp(r->method, method) == 0;
}

void resp_header(struct req *r, const char *name, const char *value)
{
    if (r->nheaders == REQ_MAX_RESP_HEADERS) return;
    r->headers[r->nheaders++] = (struct resp_header){name, arena_strdup(r->a, value)};
}

/*
 * Set a cookie for the whole site: HttpOnly, SameSite=Lax, and Secure when
 * the site is served over HTTPS. max_age 0 deletes it.
 */
void resp_set_cookie(struct req *r, const char *name, const char *value, long max_age_seconds)
{
    const char *secure = r->settings && r->settings->secure_cookies ? "; Secure" : "";
    resp_header(r, MHD_HTTP_HEADER_SET_COOKIE,
                arena_printf(r->a, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name,
                             value, max_age_seconds, secure));
}

void resp_redirect(struct req *r, const char *location)
{
    r->status = 303;
    resp_header(r, MHD_HTTP_HEADER_LOCATION, location);
    r->content_type = "text/plain; charset=utf-8";
    buf_truncate(&r->out, 0);
}

void resp_body(struct req *r, int status, const char *content_type, const char *data, size_t len)
{
    r->status = status;
    r->content_type = content_type;
    if (r->out.cap < len + 1) buf_init(&r->out, r->a, len + 1);
    buf_truncate(&r->out, 0);
    buf_append(&r->out, data, len);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode %XX escapes (and '+' when asked); NULL on a malformed escape. */
char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space)
{
    char *out = arena_alloc(a, len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            if (i + 2 >= len) return NULL;
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) return NULL;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out[k++] = ' ';
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

char *url_encode(arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = arena_alloc(a, n * 3 + 1);
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            out[k++] = (char)*p;
        } else {
            out[k++] = '%';
            out[k++] = hex[*p >> 4];
            out[k++] = hex[*p & 15];
        }
    }
    out[k] = '\0';
    return out;
}

/* Split "a=1&b=2" into r->form, decoding each part. -1 on a malformed escape. */
int req_parse_form(struct req *r, const char *text, size_t len)
{
    int cap = 16;
    r->form = arena_alloc(r->a, sizeof *r->form * (size_t)cap);
    r->nform = 0;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != '&')
            end++;
        size_t eq = i;
        while (eq < end && text[eq] != '=')
            eq++;
        if (end > i) {
            char *name = url_decode(r->a, text + i, eq - i, true);
            char *value = eq < end ? url_decode(r->a, text + eq + 1, end - eq - 1, true)
                                   : arena_strdup(r->a, "");
            if (!name || !value) return -1;
            if (r->nform == cap) {
                struct form_field *more = arena_alloc(r->a, sizeof *more * (size_t)cap * 2);
                memcpy(more, r->form, sizeof *more * (size_t)cap);
                r->form = more;
                cap *= 2;
            }
            r->form[r->nform++] = (struct form_field){name, value};
        }
        i = end + 1;
    }
    return 0;
}
