/*
 * date.c: day numbers by Howard Hinnant's days_from_civil algorithm, which
 * is exact for every Gregorian date without tables or time zones.
 */
#include "base/date.h"

#include <stdio.h>

bool date_day_number(const char *ymd, long long *out)
{
    int y, m, d;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    long long yy = y - (m <= 2);
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    long long yoe = yy - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

long long date_days_between(const char *a, const char *b)
{
    long long x, y;
    if (!date_day_number(a, &x) || !date_day_number(b, &y)) return 0;
    return y - x;
}

char *date_time_iso(arena *a, time_t t)
{
    return date_offset(a, t, 0, true);
}

char *date_offset(arena *a, time_t now, long long days, bool with_time)
{
    time_t t = now + (time_t)(days * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    char *s = arena_alloc(a, 24);
    strftime(s, 24, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm);
    return s;
}
