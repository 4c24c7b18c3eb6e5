/*
 * strmap.c: string keys to int values by open addressing (linear probing,
 * kept under half full), allocated from an arena and freed with it. The
 * importer indexes rows and ids with it; a bulk write its staged rows.
 */
#include "base/strmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* FNV-1a: short keys (ids), no adversary worth a keyed hash here. */
static size_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Slots for about expect keys (see strmap.h). */
size_t map_slots(size_t expect, size_t least)
{
    size_t cap = least;
    while (cap < expect * 2 + 1)
        cap *= 2;
    return cap;
}

/* Size a map for about expect keys (a power of two, under half full). */
void strmap_init(struct strmap *m, arena *a, size_t expect)
{
    size_t cap = map_slots(expect, 16);
    m->a = a;
    m->cap = cap;
    m->n = 0;
    m->keys = arena_alloc(a, cap * sizeof *m->keys);
    m->hashes = arena_alloc_raw(a, cap * sizeof *m->hashes);
    m->vals = arena_alloc_raw(a, cap * sizeof *m->vals);
}

/* The slot holding k (whose hash is h), or the empty slot where it would
 * go. Most keys in a probe's way differ in their hash, which spares
 * reading their text. */
static size_t strmap_slot(const struct strmap *m, const char *k, unsigned h)
{
    size_t i = h & (m->cap - 1);
    while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], k) != 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The value stored for k, or -1. */
int strmap_get(const struct strmap *m, const char *k)
{
    if (!m->cap) return -1;
    size_t i = strmap_slot(m, k, (unsigned)str_hash(k));
    return m->keys[i] ? m->vals[i] : -1;
}

/* Double the table; the old arrays stay in the arena until it goes. */
static void strmap_grow(struct strmap *m)
{
    struct strmap bigger;
    strmap_init(&bigger, m->a, m->cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = strmap_slot(&bigger, m->keys[i], m->hashes[i]);
            bigger.keys[j] = m->keys[i];
            bigger.hashes[j] = m->hashes[i];
            bigger.vals[j] = m->vals[i];
            bigger.n++;
        }
    *m = bigger;
}

/* Add k -> v when k is absent, else replace its value when replace; the
 * value now stored. */
static int strmap_store(struct strmap *m, const char *k, int v, bool replace)
{
    if (!m->cap) strmap_init(m, m->a, 8);
    unsigned h = (unsigned)str_hash(k);
    size_t i = strmap_slot(m, k, h);
    if (m->keys[i]) {
        if (replace) m->vals[i] = v;
        return m->vals[i];
    }
    if ((m->n + 1) * 2 > m->cap) {
        strmap_grow(m);
        i = strmap_slot(m, k, h);
    }
    m->keys[i] = k;
    m->hashes[i] = h;
    m->vals[i] = v;
    m->n++;
    return v;
}

/* Add k -> v unless k is there; the value now stored. */
int strmap_put(struct strmap *m, const char *k, int v)
{
    return strmap_store(m, k, v, false);
}

/* Set k -> v, replacing any value. */
void strmap_set(struct strmap *m, const char *k, int v)
{
    strmap_store(m, k, v, true);
}
