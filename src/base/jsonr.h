/*
 * jsonr.h: reading JSON text into a jansson tree, for the importer's hot
 * path. json_loadb() reads about 75 MB/s (it takes each character through a
 * callback and appends it to a growing buffer); building the same tree from
 * text scanned in place is several times faster. jsonw.h is the other way.
 *
 * The result is always jansson's own: the reader handles the common shapes
 * itself, and anything it declines (an error, or input it does not try to
 * handle, such as a number too large for its fast path) is read again by
 * json_loadb(), so every tree and every error message is exactly what
 * json_loadb(text, len, JSON_REJECT_DUPLICATES, err) gives.
 */
#ifndef CHIS_JSONR_H
#define CHIS_JSONR_H

#include <jansson.h>
#include <stddef.h>

/* An object or array read from len bytes of text (no terminating NUL
 * needed), as json_loadb() with JSON_REJECT_DUPLICATES reads it. The caller
 * owns the result (json_decref). NULL, with err filled by jansson, when the
 * text is not one JSON object or array. */
json_t *jsonr_load(const char *text, size_t len, json_error_t *err);

/* The fast reader alone: NULL when it declines (jsonr_load() then asks
 * jansson). For the tests and the differential fuzzer. */
json_t *jsonr_load_fast(const char *text, size_t len);

/* The fast reader on the object or array that starts the text (after any
 * white space), wherever it ends: *used is set to the bytes up to its
 * last. NULL when it declines (the text may still hold one: ask jansson
 * about the span that ends there). For a reader of many documents in one
 * text, which need not be cut out first. The caller owns the result. */
json_t *jsonr_load_first(const char *text, size_t len, size_t *used);

#endif
