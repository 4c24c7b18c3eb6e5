/*
 * rec.c: records are short (a dozen fields), so lookups are linear scans;
 * setting a field that exists replaces its value, keeping field order stable.
 */
#include "base/rec.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Make an empty record owned by arena a. */
rec *rec_new(arena *a)
{
    rec *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->cap = 16;
    r->f = arena_alloc(a, sizeof *r->f * (size_t)r->cap);
    return r;
}

static struct rec_field *rec_slot(rec *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->f[i].name, name) == 0) return &r->f[i];
    if (r->n == r->cap) {
        struct rec_field *f = arena_alloc(r->a, sizeof *f * (size_t)r->cap * 2);
        memcpy(f, r->f, sizeof *f * (size_t)r->n);
        r->f = f;
        r->cap *= 2;
    }
    struct rec_field *slot = &r->f[r->n++];
    slot->name = arena_strdup(r->a, name);
    return slot;
}

void rec_set_null(rec *r, const char *name)
{
    struct rec_field *f = rec_slot(r, name);
    memset(&f->v, 0, sizeof f->v);
}

void rec_set_int(rec *r, const char *name, long long v)
{
    struct rec_field *f = rec_slot(r, name);
    memset(&f->v, 0, sizeof f->v);
    f->v.type = VAL_INT;
    f->v.i = v;
}

void rec_set_bool(rec *r, const char *name, bool v)
{
    struct rec_field *f = rec_slot(r, name);
    memset(&f->v, 0, sizeof f->v);
    f->v.type = VAL_BOOL;
    f->v.i = v ? 1 : 0;
}

void rec_set_text(rec *r, const char *name, const char *s)
{
    if (!s) {
        rec_set_null(r, name);
        return;
    }
    struct rec_field *f = rec_slot(r, name);
    memset(&f->v, 0, sizeof f->v);
    f->v.type = VAL_TEXT;
    f->v.s = arena_strdup(r->a, s);
}

void rec_set_ids(rec *r, const char *name, const long long *ids, int n)
{
    struct rec_field *f = rec_slot(r, name);
    memset(&f->v, 0, sizeof f->v);
    f->v.type = VAL_IDS;
    long long *copy = arena_alloc(r->a, sizeof *copy * (size_t)(n > 0 ? n : 1));
    if (n > 0) memcpy(copy, ids, sizeof *copy * (size_t)n);
    f->v.ids = copy;
    f->v.nids = n;
}

/* Copy a value (deeply) into the record under name. */
void rec_set(rec *r, const char *name, const struct val *v)
{
    switch (v->type) {
    case VAL_NULL:
        rec_set_null(r, name);
        break;
    case VAL_INT:
        rec_set_int(r, name, v->i);
        break;
    case VAL_BOOL:
        rec_set_bool(r, name, v->i != 0);
        break;
    case VAL_TEXT:
        rec_set_text(r, name, v->s);
        break;
    case VAL_IDS:
        rec_set_ids(r, name, v->ids, v->nids);
        break;
    }
}

/* See rec.h. Values are copied as rec_set copies them. */
rec *rec_without(arena *a, const rec *r, const char *name)
{
    rec *copy = rec_new(a);
    for (int i = 0; r && i < r->n; i++)
        if (strcmp(r->f[i].name, name) != 0) rec_set(copy, r->f[i].name, &r->f[i].v);
    return copy;
}

/* The value stored under name, or NULL when the record has no such field. */
const struct val *rec_get(const rec *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->f[i].name, name) == 0) return &r->f[i].v;
    return NULL;
}

bool rec_has(const rec *r, const char *name)
{
    return rec_get(r, name) != NULL;
}

long long rec_int(const rec *r, const char *name, long long dflt)
{
    const struct val *v = rec_get(r, name);
    return v && (v->type == VAL_INT || v->type == VAL_BOOL) ? v->i : dflt;
}

const char *rec_text(const rec *r, const char *name)
{
    const struct val *v = rec_get(r, name);
    return v && v->type == VAL_TEXT ? v->s : NULL;
}

bool rec_is_null(const rec *r, const char *name)
{
    const struct val *v = rec_get(r, name);
    return !v || v->type == VAL_NULL;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Equality of values; id sets compare as sets (order does not matter). */
bool val_equal(const struct val *a, const struct val *b)
{
    if (a->type != b->type) return false;
    switch (a->type) {
    case VAL_NULL:
        return true;
    case VAL_INT:
    case VAL_BOOL:
        return a->i == b->i;
    case VAL_TEXT:
        return strcmp(a->s, b->s) == 0;
    case VAL_IDS: {
        if (a->nids != b->nids) return false;
        if (a->nids == 0) return true;
        long long *x = malloc(sizeof *x * (size_t)a->nids * 2);
        if (!x) abort();
        long long *y = x + a->nids;
        memcpy(x, a->ids, sizeof *x * (size_t)a->nids);
        memcpy(y, b->ids, sizeof *y * (size_t)a->nids);
        qsort(x, (size_t)a->nids, sizeof *x, cmp_ll);
        qsort(y, (size_t)a->nids, sizeof *y, cmp_ll);
        bool same = memcmp(x, y, sizeof *x * (size_t)a->nids) == 0;
        free(x);
        return same;
    }
    }
    return false;
}

/*
 * Serialise a record as a compact JSON object (used for audit before/after
 * images). The string belongs to arena a.
 */
char *rec_to_json_text(const rec *r, arena *a)
{
    if (!r) return arena_strdup(a, "null");
    json_t *o = json_object();
    for (int i = 0; i < r->n; i++) {
        const struct val *v = &r->f[i].v;
        json_t *j = NULL;
        switch (v->type) {
        case VAL_NULL:
            j = json_null();
            break;
        case VAL_INT:
            j = json_integer(v->i);
            break;
        case VAL_BOOL:
            j = json_boolean(v->i);
            break;
        case VAL_TEXT:
            j = json_string(v->s);
            break;
        case VAL_IDS:
            j = json_array();
            for (int k = 0; k < v->nids; k++)
                json_array_append_new(j, json_integer(v->ids[k]));
            break;
        }
        json_object_set_new(o, r->f[i].name, j ? j : json_null());
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    char *out = arena_strdup(a, s ? s : "{}");
    free(s);
    return out;
}
