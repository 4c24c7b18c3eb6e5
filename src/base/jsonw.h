/*
 * jsonw.h: writing JSON text straight into a buffer, for the hot paths
 * (lists of records) where building a jansson tree first costs more than the
 * rest of the request. Output is compact UTF-8 with RFC 8259 escaping.
 */
#ifndef CHIS_JSONW_H
#define CHIS_JSONW_H

#include "base/buf.h"
#include "base/rec.h"

#include <jansson.h>

void jsonw_string(buf *b, const char *s); /* NULL writes null */
/* len bytes of s as a JSON string (a NUL among them is written \u0000). */
void jsonw_stringn(buf *b, const char *s, size_t len);
void jsonw_rec(buf *b, const rec *r); /* an object, fields in record order */

/* A jansson value, compact, members in their order: the same text as
 * json_dumps(v, JSON_COMPACT) gives, several times faster (no callback per
 * piece), for the directory's cached documents. */
void jsonw_tree(buf *b, const json_t *v);

/* An object, as jsonw_tree() writes it, noting in *cut how long the text
 * was (from where b's text started) just before member stop, or before the
 * closing brace when it has no such member: that much, closed with '}', is
 * the object without stop and the members after it. */
void jsonw_tree_cut(buf *b, const json_t *obj, const char *stop, size_t *cut);

/* v with one decimal, the text printf's "%.1f" gives (a distance in metres
 * in a list of a hundred of them, where printf was a twentieth of the
 * search's time); null when v is not finite. */
void jsonw_tenths(buf *b, double v);

#endif
