/*
 * concern_deadlines.c: the time arithmetic of concern deadlines (lengths
 * such as "4h", "5d" and "1wd", working days Monday to Friday in UTC) and
 * the settings that hold each severity's length. The rules are in
 * concerns.h.
 */
#include "domain/concerns_internal.h"

#include "base/date.h"

#include "base/text.h"
#include "domain/audit.h"
#include "domain/scope.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Deadline lengths when the settings table holds none, in concern_severities order. */
static const char *const default_lengths[CONCERN_SEVERITIES] = {"10d", "5d", "1wd", "4h"};

/* ---- time ---- */

/* See concerns.h. */
bool concern_time_parse(const char *iso, time_t *out)
{
    if (!iso || !text_date_or_time_valid(iso)) return false;
    struct tm tm = {0};
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (strlen(iso) == 10) {
        if (sscanf(iso, "%4d-%2d-%2d", &y, &mo, &d) != 3) return false;
    } else if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
        return false;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    *out = timegm(&tm);
    return true;
}

/* Split a length into its number and unit ("h", "d", "wd"); false if it is not one. */
static bool length_parts(const char *spec, int *n, const char **unit)
{
    if (!spec || !isdigit((unsigned char)spec[0]) || spec[0] == '0') return false;
    int v = 0, digits = 0;
    const char *p = spec;
    for (; isdigit((unsigned char)*p); p++, digits++)
        v = v * 10 + (*p - '0');
    if (digits > 3) return false;
    if (strcmp(p, "h") != 0 && strcmp(p, "d") != 0 && strcmp(p, "wd") != 0) return false;
    *n = v;
    *unit = p;
    return true;
}

/* See concerns.h. */
bool concern_length_valid(const char *spec)
{
    int n;
    const char *unit;
    return length_parts(spec, &n, &unit);
}

/*
 * n working days (Monday to Friday, UTC) after from, at the same time of
 * day. Started on a weekend, the clock starts at the beginning of Monday.
 */
static time_t add_working_days(time_t from, int n)
{
    struct tm tm;
    gmtime_r(&from, &tm);
    if (tm.tm_wday == 0 || tm.tm_wday == 6) {
        from -= tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
        from += (tm.tm_wday == 6 ? 2 : 1) * 86400;
    }
    while (n > 0) {
        from += 86400;
        gmtime_r(&from, &tm);
        if (tm.tm_wday != 0 && tm.tm_wday != 6) n--;
    }
    return from;
}

/*
 * See concerns.h. Hours and days are exact multiples of seconds (UTC has no
 * clock changes); working days step a day at a time past weekends.
 */
time_t concern_deadline_after(time_t from, const char *spec)
{
    int n;
    const char *unit;
    if (!length_parts(spec, &n, &unit)) return (time_t)-1;
    if (strcmp(unit, "h") == 0) return from + (time_t)n * 3600;
    if (strcmp(unit, "d") == 0) return from + (time_t)n * 86400;
    return add_working_days(from, n);
}

/* ---- settings: deadline lengths ---- */

/* The text value of settings key, or NULL (also on a store failure, logged by the caller). */
static const char *setting(struct ctx *c, const char *key, int *rc)
{
    store_stmt *st = store_prepare(c->db, "SELECT value FROM settings WHERE key = $1");
    if (!st) {
        *rc = STORE_E_ERROR;
        return NULL;
    }
    store_bind_text(st, 1, key);
    int s = store_step(st);
    const char *v = s == STORE_ROW ? arena_strdup(c->a, store_col_text(st, 0)) : NULL;
    store_done(st);
    *rc = s < 0 ? s : 0;
    return v;
}

/* The lengths now (defaults where unset or unreadable as a length). */
static int load_lengths(struct ctx *c, struct concern_deadlines *out)
{
    for (int i = 0; i < CONCERN_SEVERITIES; i++) {
        int rc = 0;
        const char *v =
            setting(c, arena_printf(c->a, "concern.deadline.%s", concern_severities[i]), &rc);
        if (rc < 0) return rc;
        out->length[i] = v && concern_length_valid(v) ? v : default_lengths[i];
    }
    return 0;
}

/* See concerns.h. The strings in *out belong to c->a or are static. */
result concern_deadlines_get(struct ctx *c, struct concern_deadlines *out)
{
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    int rc = load_lengths(c, out);
    return rc < 0 ? ctx_store_failure(c, rc, "deadline settings") : RES_OK;
}

/* The lengths as a record {urgent, high, medium, low} in a, for the audit log. */
static rec *lengths_rec(arena *a, const struct concern_deadlines *d)
{
    rec *r = rec_new(a);
    for (int i = CONCERN_SEVERITIES - 1; i >= 0; i--)
        rec_set_text(r, concern_severities[i], d->length[i]);
    return r;
}

/*
 * See concerns.h. Every key is checked before anything is written; the
 * lengths before and after go into one audit entry in the same transaction.
 */
result concern_deadlines_set(struct ctx *c, const rec *input, struct concern_deadlines *out)
{
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!scope_is_lead(c))
        return ctx_fail(c, RES_FORBIDDEN, "Only system leads change the concern deadlines");
    for (int i = 0; i < input->n; i++) {
        const char *name = input->f[i].name;
        const struct val *v = &input->f[i].v;
        if (concern_choice_index(concern_severities, name) < 0)
            ctx_field_error(c, name, "'%s' is not a severity: use urgent, high, medium or low",
                            name);
        else if (v->type != VAL_TEXT || !concern_length_valid(v->s))
            ctx_field_error(c, name,
                            "Enter the %s deadline as hours (4h), days (5d) or working days "
                            "(1wd), from 1 to 999",
                            name);
    }
    if (input->n == 0)
        ctx_field_error(c, "urgent", "Give at least one of urgent, high, medium and low");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the deadlines");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "settings begin");
    struct concern_deadlines before, after;
    int rc = load_lengths(c, &before);
    for (int i = 0; rc >= 0 && i < input->n; i++) {
        long long n = store_run(c->db,
                                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                                " updated_at = excluded.updated_at",
                                "ttt", arena_printf(c->a, "concern.deadline.%s", input->f[i].name),
                                input->f[i].v.s, c->now_iso);
        if (n < 0) rc = (int)n;
    }
    if (rc >= 0) rc = load_lengths(c, &after);
    if (rc < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "settings write");
    }
    if (audit_record(c, "update", "settings", 0, lengths_rec(c->a, &before),
                     lengths_rec(c->a, &after)) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "settings commit");
    if (out) *out = after;
    return RES_OK;
}

/* See concerns_internal.h. Unknown severities take the first (low) length. */
const char *concern_deadline_for(struct ctx *c, const char *severity, time_t from, int *rc)
{
    struct concern_deadlines d;
    *rc = load_lengths(c, &d);
    if (*rc < 0) return NULL;
    int i = concern_choice_index(concern_severities, severity);
    time_t t = concern_deadline_after(from, d.length[i < 0 ? 0 : i]);
    return date_time_iso(c->a, t);
}
