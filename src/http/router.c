/*
 * router.c: path patterns with {name} segments. Matching walks pattern and
 * path together, one segment at a time, without allocating unless the
 * pattern captures. libmicrohttpd hands us the path already percent-decoded,
 * so segments are taken as they are: decoding again would let "%2531" mean
 * "1", and an encoded slash has already become a separator.
 */
#include "http/request.h"
#include "http/server.h"

#include <string.h>

/*
 * Does the (decoded) path match pattern? Captured segments are copied into
 * arena a and stored in params (at most REQ_MAX_PARAMS).
 */
bool route_match(const char *pattern, const char *path, arena *a, const char **params, int *nparams)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/') return false;
        p++;
        s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || n == REQ_MAX_PARAMS) return false;
            if (a) params[n] = arena_strndup(a, s, slen);
            n++;
        } else if (plen != slen || strncmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    if (*p || *s) return false;
    if (nparams) *nparams = n;
    return true;
}
