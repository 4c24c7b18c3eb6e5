/*
 * text.c: strict parsing; strtoll alone accepts leading spaces, signs and
 * trailing junk, which would let "1 OR 1=1" or "+5" pass as ids.
 */
#include "base/text.h"

#include <errno.h>
#include <stdlib.h>

long long text_id(const char *s)
{
    if (!s || *s < '0' || *s > '9') return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || *end || v <= 0 ? 0 : v;
}
