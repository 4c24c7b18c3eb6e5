/*
 * cache.c: a fixed table of entries per worker thread, replaced round-robin.
 * Only the thread that owns a cache touches it, so it needs no lock.
 */
#include "http/cache.h"

#include <stdlib.h>
#include <string.h>

/* 64 entries of at most 1 MiB: at worst 64 MiB a worker thread. The whole
 * network of a national-sized system (5,000 organisations) is 650 KiB. */
#define CACHE_ENTRIES 64
#define CACHE_MAX_BODY (1024 * 1024)

struct cache_entry {
    char *key;
    long long version;
    const char *content_type; /* static strings only */
    char *body;
    size_t len;
};

struct resp_cache {
    struct cache_entry e[CACHE_ENTRIES];
    int next;
};

/* A new empty cache; the caller owns it and frees it with resp_cache_free(). */
struct resp_cache *resp_cache_new(void)
{
    struct resp_cache *c = calloc(1, sizeof *c);
    if (!c) abort();
    return c;
}

static void entry_clear(struct cache_entry *e)
{
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

void resp_cache_free(struct resp_cache *c)
{
    if (!c) return;
    for (int i = 0; i < CACHE_ENTRIES; i++)
        entry_clear(&c->e[i]);
    free(c);
}

bool resp_cache_serve(struct req *r, const char *key)
{
    if (!r->cache || r->cache_version < 0) return false;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        struct cache_entry *e = &r->cache->e[i];
        if (!e->key || strcmp(e->key, key) != 0) continue;
        if (e->version != r->cache_version) {
            entry_clear(e);
            return false;
        }
        resp_body(r, 200, e->content_type, e->body, e->len);
        return true;
    }
    return false;
}

void resp_cache_store(struct req *r, const char *key)
{
    if (!r->cache || r->status != 200 || r->cache_version < 0 || r->out.len > CACHE_MAX_BODY)
        return;
    struct resp_cache *c = r->cache;
    struct cache_entry *slot = NULL;
    for (int i = 0; i < CACHE_ENTRIES && !slot; i++)
        if (c->e[i].key && strcmp(c->e[i].key, key) == 0) slot = &c->e[i];
    if (!slot) {
        slot = &c->e[c->next];
        c->next = (c->next + 1) % CACHE_ENTRIES;
    }
    entry_clear(slot);
    slot->key = strdup(key);
    slot->body = malloc(r->out.len ? r->out.len : 1);
    if (!slot->key || !slot->body) abort();
    memcpy(slot->body, r->out.data, r->out.len);
    slot->len = r->out.len;
    slot->version = r->cache_version;
    slot->content_type = r->content_type;
}
