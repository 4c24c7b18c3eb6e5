/*
 * date.h: calendar arithmetic on the YYYY-MM-DD dates chis stores, in UTC.
 * One implementation for every module that counts days or needs "today
 * plus n days" from a clock.
 */
#ifndef CHIS_DATE_H
#define CHIS_DATE_H

#include "base/arena.h"

#include <stdbool.h>
#include <time.h>

/* Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian); false if it does not parse. */
bool date_day_number(const char *ymd, long long *out);

/* Whole days from a to b (b - a); 0 when either does not parse. */
long long date_days_between(const char *a, const char *b);

/* t as UTC YYYY-MM-DDTHH:MM:SSZ; the string belongs to a. */
char *date_time_iso(arena *a, time_t t);

/* The UTC date `days` after (before, if negative) now as YYYY-MM-DD, or with
 * with_time the time as YYYY-MM-DDTHH:MM:SSZ. The string belongs to a. */
char *date_offset(arena *a, time_t now, long long days, bool with_time);

#endif
