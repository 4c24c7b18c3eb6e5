/*
 * dir_search_parse.c: reading a directory search from query parameters
 * (dir_search.h). Only the form of each value is checked here, and every
 * bad one is reported under its own parameter name, so an API client or a
 * form can say exactly which one to fix. An empty value counts as absent,
 * because HTML forms send every field.
 */
#include "domain/dir_search.h"

#include "base/text.h"
#include "domain/directory.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void dir_query_init(struct dir_query *q, enum dir_unit unit)
{
    memset(q, 0, sizeof *q);
    q->unit = unit;
    q->page = 1;
    q->per_page = DIR_PER_PAGE_DEFAULT;
}

/*
 * Reads s as a finite decimal number between lo and hi with nothing after
 * it. Returns true and sets *v when it is one.
 */
static bool parse_number(const char *s, double lo, double hi, double *v)
{
    if (!*s || isspace((unsigned char)*s)) return false;
    char *end;
    double d = strtod(s, &end);
    /* strtod also reads "inf", "nan" and hex; only plain decimals are numbers here. */
    for (const char *p = s; p < end; p++)
        if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' && *p != '+') return false;
    if (*end || !isfinite(d) || d < lo || d > hi) return false;
    *v = d;
    return true;
}

/*
 * Reads a time of day written HH:MM or HH:MM:SS (24-hour clock) into out
 * as "HH:MM:SS". Returns false when s is not one.
 */
static bool parse_time(const char *s, char out[9])
{
    size_t n = strlen(s);
    if (n != 5 && n != 8) return false;
    for (size_t i = 0; i < n; i++) {
        bool colon = i == 2 || i == 5;
        if (colon ? s[i] != ':' : !isdigit((unsigned char)s[i])) return false;
    }
    int h = atoi(s), m = atoi(s + 3), sec = n == 8 ? atoi(s + 6) : 0;
    if (h > 23 || m > 59 || sec > 59) return false;
    memcpy(out, s, 5);
    memcpy(out + 5, n == 8 ? s + 5 : ":00", 3);
    out[8] = 0;
    return true;
}

/*
 * Reads a day as an RFC 5545 code (MO..SU) or an English day name, in any
 * case, into out ("MO"). Returns false when it is neither.
 */
static bool parse_day(const char *s, char out[3])
{
    static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    for (int i = 0; i < 7; i++) {
        if (strcasecmp(s, codes[i]) == 0 || strcasecmp(s, names[i]) == 0) {
            memcpy(out, codes[i], 3);
            return true;
        }
    }
    return false;
}

/* Reads exactly n digits at s as a number; -1 when they are not all digits. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*
 * Reads an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.f]]
 * with Z, +HH:MM or -HH:MM, or no zone meaning UTC) and returns it in a as
 * UTC text that compares correctly with stored timestamps: "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM:SS". NULL when s is not one.
 */
static const char *parse_stamp(arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n < 10 || s[4] != '-' || s[7] != '-') return NULL;
    char date[11];
    memcpy(date, s, 10);
    date[10] = 0;
    if (!text_date_valid(date)) return NULL;
    if (n == 10) return arena_strdup(a, date);
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return NULL;
    const char *p = s + 11;
    int h = digits(p, 2), mi = -1, sec = 0;
    if (h < 0 || p[2] != ':') return NULL;
    mi = digits(p + 3, 2);
    if (mi < 0) return NULL;
    p += 5;
    if (*p == ':') {
        sec = digits(p + 1, 2);
        if (sec < 0) return NULL;
        p += 3;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p)) return NULL;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (h > 23 || mi > 59 || sec > 59) return NULL;
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = digits(p + 1, 2), om = -1;
        if (oh < 0) return NULL;
        const char *q = p + 3;
        if (*q == ':') q++;
        om = digits(q, 2);
        if (om < 0 || oh > 14 || om > 59) return NULL;
        offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p = q + 2;
    }
    if (*p) return NULL;
    struct tm tm = {0};
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8);
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm) - (time_t)offset_min * 60;
    struct tm u;
    gmtime_r(&t, &u);
    char out[24];
    strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &u);
    return arena_strdup(a, out);
}

/* Reads a yes/no value as forms and query strings write it. -1 when neither. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "true", "on", "yes"};
    static const char *const no[] = {"0", "false", "off", "no"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) return 1;
        if (strcasecmp(s, no[i]) == 0) return 0;
    }
    return -1;
}

/* Is name in the NULL-terminated list (which may itself be NULL)? */
static bool listed(const char *name, const char *const *list)
{
    for (int i = 0; list && list[i]; i++)
        if (strcmp(name, list[i]) == 0) return true;
    return false;
}

/*
 * The parameters that take one value each, in the order their bit is kept
 * in the "seen" mask (for saying that one was given twice).
 */
static const char *const single_params[] = {
    "search",      "taxonomy_id", "organization_id",  "minimum_age",
    "maximum_age", "start_time",  "end_time",         "day",
    "postcode",    "proximity",   "modified_after",   "page",
    "per_page",    "place_id",    "neighbourhood_id", "free_only",
    NULL,
};

/* The index of name in single_params, or -1. */
static int single_index(const char *name)
{
    for (int i = 0; single_params[i]; i++)
        if (strcmp(name, single_params[i]) == 0) return i;
    return -1;
}

/*
 * Applies one non-empty parameter to q, adding a field error when its value
 * is malformed. Returns false when the name is not one of ours.
 */
static bool apply_param(struct ctx *c, struct dir_query *q, const char *name, const char *v,
                        unsigned flags)
{
    bool web = flags & DIR_Q_WEB;
    double d;
    if (strcmp(name, "search") == 0) {
        if (strlen(v) > 200)
            ctx_field_error(c, name, "search must be at most 200 characters");
        else if (!text_utf8_valid(v))
            ctx_field_error(c, name, "search must be text (UTF-8)");
        else
            q->search = arena_strdup(c->a, v);
    } else if (strcmp(name, "taxonomy_term_id") == 0) {
        if (q->nterms == DIR_QUERY_MAX_TERMS)
            ctx_field_error(c, name, "give taxonomy_term_id at most %d times", DIR_QUERY_MAX_TERMS);
        else
            q->taxonomy_term_ids[q->nterms++] = arena_strdup(c->a, v);
    } else if (strcmp(name, "taxonomy_id") == 0) {
        q->taxonomy_id = arena_strdup(c->a, v);
    } else if (strcmp(name, "organization_id") == 0) {
        q->organization_id = arena_strdup(c->a, v);
    } else if (strcmp(name, "minimum_age") == 0 || strcmp(name, "maximum_age") == 0) {
        if (!parse_number(v, 0, 150, &d)) {
            ctx_field_error(c, name, "%s must be a number of years from 0 to 150", name);
        } else if (name[1] == 'i') {
            q->has_minimum_age = true;
            q->minimum_age = d;
        } else {
            q->has_maximum_age = true;
            q->maximum_age = d;
        }
    } else if (strcmp(name, "start_time") == 0) {
        if (!parse_time(v, q->start_time))
            ctx_field_error(c, name, "start_time must be a time written HH:MM or HH:MM:SS");
    } else if (strcmp(name, "end_time") == 0) {
        if (!parse_time(v, q->end_time))
            ctx_field_error(c, name, "end_time must be a time written HH:MM or HH:MM:SS");
    } else if (strcmp(name, "day") == 0) {
        if (!parse_day(v, q->day))
            ctx_field_error(c, name,
                            "day must be one of MO, TU, WE, TH, FR, SA, SU"
                            " (or a day's name)");
    } else if (strcmp(name, "postcode") == 0) {
        char key[16], display[16];
        bool outcode;
        if (strlen(v) > 12 || postcode_normalise(v, key, display, &outcode) != 0)
            ctx_field_error(c, name,
                            "postcode must be a UK postcode, like HX1 1AA, or its"
                            " first half, like HX1");
        else
            q->postcode = arena_strdup(c->a, display);
    } else if (strcmp(name, "proximity") == 0) {
        if (!parse_number(v, 0, 1000000, &d) || d <= 0)
            ctx_field_error(c, name,
                            "proximity must be a distance in metres, more than 0 and"
                            " at most 1000000");
        else
            q->proximity_m = d;
    } else if (strcmp(name, "modified_after") == 0) {
        const char *s = parse_stamp(c->a, v);
        if (!s)
            ctx_field_error(c, name,
                            "modified_after must be an ISO 8601 date or date and"
                            " time, like 2025-01-31 or 2025-01-31T09:00:00Z");
        else
            q->modified_after = s;
    } else if (strcmp(name, "page") == 0) {
        long long p = text_id(v);
        if (!p || p > DIR_PAGE_MAX)
            ctx_field_error(c, name, "page must be a whole number from 1 to %d", DIR_PAGE_MAX);
        else
            q->page = p;
    } else if (strcmp(name, "per_page") == 0) {
        long long p = text_id(v);
        if (!p || p > DIR_PER_PAGE_MAX)
            ctx_field_error(c, name, "per_page must be a whole number from 1 to %d",
                            DIR_PER_PAGE_MAX);
        else
            q->per_page = p;
    } else if (web && strcmp(name, "place_id") == 0) {
        if (!(q->place_id = text_id(v)))
            ctx_field_error(c, name, "place_id must be a whole number, 1 or more");
    } else if (web && strcmp(name, "neighbourhood_id") == 0) {
        if (!(q->neighbourhood_id = text_id(v)))
            ctx_field_error(c, name, "neighbourhood_id must be a whole number, 1 or more");
    } else if (web && strcmp(name, "free_only") == 0) {
        int b = parse_bool(v);
        if (b < 0)
            ctx_field_error(c, name, "free_only must be true or false");
        else
            q->free_only = b;
    } else {
        return false;
    }
    return true;
}

result dir_query_parse(struct ctx *c, struct dir_query *q, const struct dir_param *p, int n,
                       unsigned flags, const char *const *also_allowed)
{
    int before = c->nerrors;
    unsigned seen = 0;
    bool proximity_given = false;
    for (int i = 0; i < n; i++) {
        const char *name = p[i].name, *v = p[i].value ? p[i].value : "";
        if (listed(name, also_allowed)) continue;
        int si = single_index(name);
        if (si >= 0) {
            if (seen & (1u << si)) {
                ctx_field_error(c, name, "give %s only once", name);
                continue;
            }
            seen |= 1u << si;
        }
        if (strcmp(name, "proximity") == 0 && *v) proximity_given = true;
        if (!*v) {
            /* Known but empty is absent; unknown is still unknown. */
            bool ours = si >= 0 || strcmp(name, "taxonomy_term_id") == 0;
            bool web_only = strcmp(name, "place_id") == 0 ||
                            strcmp(name, "neighbourhood_id") == 0 || strcmp(name, "free_only") == 0;
            if (ours && (!web_only || (flags & DIR_Q_WEB))) continue;
        } else if (apply_param(c, q, name, v, flags)) {
            continue;
        }
        ctx_field_error(c, name, "'%s' is not a parameter here", name);
    }
    /* A malformed postcode has said so already; proximity alone is its own error. */
    bool postcode_error = false;
    for (int i = before; i < c->nerrors; i++)
        postcode_error |= strcmp(c->errors[i].field, "postcode") == 0;
    if (proximity_given && !q->postcode && !postcode_error)
        ctx_field_error(c, "proximity", "proximity needs a postcode to measure from");
    return c->nerrors > before ? RES_INVALID : RES_OK;
}
