/*
 * rec.h: a record of named, typed values: the neutral shape in which rows
 * travel between layers. The store fills records from rows; the domain
 * validates them; the API turns them into JSON and the web layer into HTML.
 * A record and everything in it belong to the arena it was made with.
 */
#ifndef CHIS_REC_H
#define CHIS_REC_H

#include "base/arena.h"

#include <stdbool.h>

enum val_type { VAL_NULL = 0, VAL_INT, VAL_TEXT, VAL_BOOL, VAL_IDS };

struct val {
    enum val_type type;
    long long i;          /* VAL_INT, VAL_BOOL */
    const char *s;        /* VAL_TEXT */
    const long long *ids; /* VAL_IDS: a set of ids, e.g. the places served */
    int nids;
};

struct rec_field {
    const char *name;
    struct val v;
};

typedef struct rec {
    arena *a;
    struct rec_field *f;
    int n, cap;
} rec;

rec *rec_new(arena *a);
void rec_set_null(rec *r, const char *name);
void rec_set_int(rec *r, const char *name, long long v);
void rec_set_bool(rec *r, const char *name, bool v);
void rec_set_text(rec *r, const char *name, const char *s);              /* copied; NULL -> null */
void rec_set_ids(rec *r, const char *name, const long long *ids, int n); /* copied */
void rec_set(rec *r, const char *name, const struct val *v);

/* A copy of r in a without the field name (an empty record for NULL r):
 * e.g. an audit image leaving out free text that erasure must remove. */
rec *rec_without(arena *a, const rec *r, const char *name);
const struct val *rec_get(const rec *r, const char *name); /* NULL when absent */
bool rec_has(const rec *r, const char *name);
long long rec_int(const rec *r, const char *name, long long dflt);
const char *rec_text(const rec *r, const char *name); /* NULL unless text */
bool rec_is_null(const rec *r, const char *name);     /* absent or null */
bool val_equal(const struct val *a, const struct val *b);
char *rec_to_json_text(const rec *r, arena *a); /* compact JSON object; NULL r -> "null" */

#endif
