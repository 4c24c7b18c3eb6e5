/*
 * cache.h: a small per-worker-thread cache of whole GET responses, for reads
 * that are the same for everyone allowed to make them (handlers decide
 * which; personal data is never cached, because each read must be audited).
 * An entry is valid only while the store's data version is the one it was
 * built at, so any commit, by any thread or process, retires it.
 */
#ifndef CHIS_HTTP_CACHE_H
#define CHIS_HTTP_CACHE_H

#include "http/request.h"

#include <stdbool.h>

struct resp_cache;

struct resp_cache *resp_cache_new(void);
void resp_cache_free(struct resp_cache *c);

/*
 * Answer r from the cache when key was stored at the data version read when
 * the request began (r->cache_version); true when answered.
 */
bool resp_cache_serve(struct req *r, const char *key);

/* Keep r's 200 response (if small enough) under key. */
void resp_cache_store(struct req *r, const char *key);

#endif
