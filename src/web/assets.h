/*
 * assets.h: web assets (CSS, JavaScript, icons, the OpenAPI document) built
 * into the binary so that one chis file serves everything. The table itself
 * is generated at build time by tools/embed from tools/assets.list into
 * build/assets_gen.c; this header only describes it.
 */
#ifndef CHIS_WEB_ASSETS_H
#define CHIS_WEB_ASSETS_H

#include <stddef.h>

/*
 * One embedded file. Every field points into static storage that lives for
 * the whole run of the program: callers never free or modify any of it.
 * data is not NUL-terminated; len is its size in bytes. etag is a strong
 * entity tag including its double quotes, ready for an ETag header.
 */
struct asset {
    const char *path;         /* URL path, e.g. "/assets/nhsuk.min.css" */
    const char *content_type; /* value for the Content-Type header */
    const unsigned char *data;
    size_t len;
    const char *etag; /* e.g. "\"9f3c2a6b01d4e587\"" */
};

/* Sorted by path in strcmp order, without duplicates (tools/embed ensures it). */
extern const struct asset assets_table[];
extern const size_t assets_table_len;

/* Find an embedded asset by URL path (e.g. "/assets/nhsuk.min.css"); NULL if none. */
const struct asset *asset_find(const char *path);

#endif
