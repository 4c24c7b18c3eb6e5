/*
 * static.c: embedded assets (NHS.UK frontend, our CSS and script, the
 * OpenAPI document) served straight from the binary with strong ETags.
 */
#include "web/assets.h"
#include "web/web.h"

#include <string.h>

/* See web.h. Answers 304 when the client already holds this version. */
bool web_serve_static(struct req *r)
{
    const struct asset *a = asset_find(r->path);
    if (!a) return false;
    resp_header(r, "ETag", a->etag);
    bool versioned = strncmp(r->path, "/assets/", 8) == 0;
    resp_header(r, "Cache-Control", versioned ? "public, max-age=3600" : "no-cache");
    if (strcmp(r->path, "/api/v1/openapi.json") == 0)
        resp_header(r, "Access-Control-Allow-Origin", "*");
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strcmp(inm, a->etag) == 0) {
        r->status = 304;
        return true;
    }
    r->status = 200;
    r->content_type = a->content_type;
    r->static_body = a->data;
    r->static_len = a->len;
    return true;
}
