/*
 * router.c: path patterns with {name} segments. Matching walks pattern and
 * path together, one segment at a time, without allocating unless the
 * pattern captures.
 */
#include "http/request.h"
#include "http/server.h"

#include <string.h>

/*
 * Does path match pattern? Captured segments are percent-decoded into arena
 * a and stored in params (at most REQ_MAX_PARAMS). A decoded segment holding
 * a '/' or a NUL does not match, so ids can never smuggle path structure.
 */
bool route_match(const char *pattern, const char *path, arena *a, const char **params,
                 int *nparams)
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
            if (a) {
                for (size_t i = 0; i + 2 < slen; i++)
                    if (s[i] == '%' && s[i + 1] == '0' && s[i + 2] == '0') return false;
                char *seg = url_decode(a, s, slen, false);
                if (!seg || strchr(seg, '/')) return false;
                params[n] = seg;
            }
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
