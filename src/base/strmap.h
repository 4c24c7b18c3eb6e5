/*
 * strmap.h: a map from strings to ints for ids met in bulk (an import's
 * rows, a bulk write's staged rows). Keys are not copied: each must live
 * as long as the map, whose memory is the arena's.
 */
#ifndef CHIS_STRMAP_H
#define CHIS_STRMAP_H

#include "base/arena.h"

#include <stddef.h>

struct strmap {
    arena *a;
    const char **keys;
    unsigned *hashes; /* each key's: a probe compares strings only when they match */
    int *vals;
    size_t cap, n;
};

/* How many slots an open-addressing map needs for about expect keys: a
 * power of two from least up, kept under half full. */
size_t map_slots(size_t expect, size_t least);

/* Size an empty map for about expect keys, its memory from a. */
void strmap_init(struct strmap *m, arena *a, size_t expect);
/* The value stored for k, or -1. */
int strmap_get(const struct strmap *m, const char *k);
/* Store k -> v unless k is there already; returns the value now stored
 * (v when added, the old value when not). */
int strmap_put(struct strmap *m, const char *k, int v);
/* Store k -> v, replacing any value k had. */
void strmap_set(struct strmap *m, const char *k, int v);

#endif
