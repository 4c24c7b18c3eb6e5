/*
 * concerns.c: raising concerns, routing them along lines of
 * accountability, their deadlines, transitions and escalation. The rules
 * are written out in concerns.h; the tables below hold the parts that are
 * data (categories and their domains, default deadline lengths, which
 * transitions each status allows).
 */
#include "domain/concerns.h"

#include "base/buf.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/entity.h"
#include "domain/notifications.h"
#include "domain/scope.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const concern_categories[] = {"safeguarding", "quality", "capacity",
                                          "data",         "other",   NULL};
const char *const concern_severities[] = {"low", "medium", "high", "urgent", NULL};
const char *const concern_statuses[] = {"open", "acknowledged", "resolved", "closed", NULL};

/* The accountability domain each category is routed in. */
static const struct {
    const char *category, *domain;
} category_domains[] = {
    {"safeguarding", "safeguarding"},
    {"quality", "quality"},
    {"capacity", "capacity"},
    {"data", "data"},
    {"other", "general"},
};

/* Deadline lengths when the settings table holds none, in concern_severities order. */
static const char *const default_lengths[CONCERN_SEVERITIES] = {"10d", "5d", "1wd", "4h"};

/*
 * The state machine: which statuses each action is allowed from, what the
 * status becomes (NULL: unchanged), the event it writes, and what its text is.
 */
static const struct transition {
    enum concern_action action;
    const char *name;  /* as in URLs and the audit log */
    const char *event; /* concern_events.type */
    const char *from[4];
    const char *to;
    const char *past;        /* "acknowledged": for "it cannot be acknowledged" */
    const char *text_field;  /* "note" or "outcome" */
    const char *text_needed; /* message when the text is required and blank; NULL: optional */
} transitions[] = {
    {.action = CONCERN_ACKNOWLEDGE,
     .name = "acknowledge",
     .event = "acknowledged",
     .from = {"open"},
     .to = "acknowledged",
     .past = "acknowledged",
     .text_field = "note"},
    {.action = CONCERN_RESOLVE,
     .name = "resolve",
     .event = "resolved",
     .from = {"open", "acknowledged"},
     .to = "resolved",
     .past = "resolved",
     .text_field = "outcome",
     .text_needed = "Resolving needs an outcome: say what was done"},
    {.action = CONCERN_CLOSE,
     .name = "close",
     .event = "closed",
     .from = {"open", "acknowledged", "resolved"},
     .to = "closed",
     .past = "closed",
     .text_field = "outcome",
     .text_needed = "Closing needs an outcome: say how the concern ended"},
    {.action = CONCERN_NOTE,
     .name = "note",
     .event = "note",
     .from = {"open", "acknowledged", "resolved"},
     .to = NULL,
     .past = "given a note",
     .text_field = "note",
     .text_needed = "Enter the note"},
};

/* See concerns.h: the action's name, a static string. */
const char *concern_action_name(enum concern_action a)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].action == a) return transitions[i].name;
    return "?";
}

/* See concerns.h: the domain from the category_domains table, a static string. */
const char *concern_domain_of(const char *category)
{
    for (size_t i = 0; category && i < sizeof category_domains / sizeof category_domains[0]; i++)
        if (strcmp(category_domains[i].category, category) == 0) return category_domains[i].domain;
    return NULL;
}

/* The index of s in a NULL-terminated list of choices; -1 when it is not there. */
static int choice_index(const char *const *choices, const char *s)
{
    for (int i = 0; s && choices[i]; i++)
        if (strcmp(choices[i], s) == 0) return i;
    return -1;
}

/* Is someone signed in, or is it the operator (CLI) or the scheduler? */
static bool signed_in(const struct ctx *c)
{
    return c->actor || c->operator;
}

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

/* t as UTC ISO-8601 in the arena. */
static char *iso_of(arena *a, time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char s[24];
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(a, s);
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
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
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
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!scope_is_lead(c))
        return ctx_fail(c, RES_FORBIDDEN, "Only system leads change the concern deadlines");
    for (int i = 0; i < input->n; i++) {
        const char *name = input->f[i].name;
        const struct val *v = &input->f[i].v;
        if (choice_index(concern_severities, name) < 0)
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

/* The deadline for a concern of this severity starting at from, as ISO text in c->a. */
static const char *deadline_for(struct ctx *c, const char *severity, time_t from, int *rc)
{
    struct concern_deadlines d;
    *rc = load_lengths(c, &d);
    if (*rc < 0) return NULL;
    int i = choice_index(concern_severities, severity);
    time_t t = concern_deadline_after(from, d.length[i < 0 ? 0 : i]);
    return iso_of(c->a, t);
}

/* ---- reading ---- */

static const struct store_column concern_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "organisation_id", .kind = COL_INT},
    {.name = "organisation_name", .kind = COL_TEXT},
    {.name = "service_id", .kind = COL_INT},
    {.name = "category", .kind = COL_TEXT},
    {.name = "severity", .kind = COL_TEXT},
    {.name = "description", .kind = COL_TEXT},
    {.name = "status", .kind = COL_TEXT},
    {.name = "raised_by_user_id", .kind = COL_INT},
    {.name = "owner_person_id", .kind = COL_INT},
    {.name = "owner_user_id", .kind = COL_INT},
    {.name = "owner_name", .kind = COL_TEXT},
    {.name = "escalation_level", .kind = COL_INT},
    {.name = "deadline", .kind = COL_TEXT},
    {.name = "outcome", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
    {.name = "updated_at", .kind = COL_TEXT},
};

#define CONCERN_SELECT                                                                             \
    "SELECT c.id, c.organisation_id, o.name, c.service_id, c.category, c.severity,"                \
    " c.description, c.status, c.raised_by_user_id, c.owner_person_id, c.owner_user_id,"           \
    " COALESCE(p.name, u.name), c.escalation_level, c.deadline, c.outcome, c.created_at,"          \
    " c.updated_at FROM concerns c JOIN organisations o ON o.id = c.organisation_id"               \
    " LEFT JOIN people p ON p.id = c.owner_person_id"                                              \
    " LEFT JOIN users u ON u.id = c.owner_user_id"

static const struct store_column event_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "concern_id", .kind = COL_INT},
    {.name = "type", .kind = COL_TEXT},
    {.name = "at", .kind = COL_TEXT},
    {.name = "actor", .kind = COL_TEXT},
    {.name = "owner_person_id", .kind = COL_INT},
    {.name = "owner_user_id", .kind = COL_INT},
    {.name = "owner_name", .kind = COL_TEXT},
    {.name = "deadline", .kind = COL_TEXT},
    {.name = "note", .kind = COL_TEXT},
};

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/* The current row as a record of the columns described (in c->a). */
static rec *row_rec(struct ctx *c, store_stmt *st, const struct store_column *cols, int n)
{
    rec *r = rec_new(c->a);
    for (int i = 0; i < n; i++) {
        if (store_col_null(st, i))
            rec_set_null(r, cols[i].name);
        else if (cols[i].kind == COL_INT)
            rec_set_int(r, cols[i].name, store_col_int(st, i));
        else
            rec_set_text(r, cols[i].name, store_col_text(st, i));
    }
    return r;
}

/* Load concern id without any check: 1 found, 0 none, or STORE_E_*. */
static int load_concern(struct ctx *c, long long id, rec **out)
{
    store_stmt *st = store_prepare(c->db, CONCERN_SELECT " WHERE c.id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int s = store_step(st);
    if (s == STORE_ROW) *out = row_rec(c, st, concern_cols, NCOLS(concern_cols));
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* ---- who is who ---- */

/* Administrators, system leads and the operator see and act on every concern. */
static bool sees_all(const struct ctx *c)
{
    return scope_is_lead(c);
}

/* The signed-in user's id; 0 for the operator and the scheduler. */
static long long my_user(const struct ctx *c)
{
    return c->actor ? c->actor->user_id : 0;
}

/* The user linked to a person (0 when none). */
static long long user_of_person(struct ctx *c, long long person_id)
{
    long long u = 0;
    if (person_id <= 0 ||
        store_query_int(c->db, &u, "SELECT user_id FROM people WHERE id = $1", "i", person_id) != 1)
        return 0;
    return u;
}

/* The user who answers for the concern now: the owner user, or the owner person's user. */
static long long owner_user(struct ctx *c, const rec *row)
{
    long long u = rec_int(row, "owner_user_id", 0);
    return u ? u : user_of_person(c, rec_int(row, "owner_person_id", 0));
}

/* Does the signed-in user answer for the concern now? */
static bool is_owner(struct ctx *c, const rec *row)
{
    long long me = my_user(c);
    return me && owner_user(c, row) == me;
}

/* Has the actor owned this concern at some step (as a user or through their person)? */
static bool was_owner(struct ctx *c, long long concern_id)
{
    long long me = my_user(c), one = 0;
    return me && store_query_int(c->db, &one,
                                 "SELECT 1 FROM concern_events WHERE concern_id = $1 AND"
                                 " (owner_user_id = $2 OR owner_person_id IN"
                                 " (SELECT id FROM people WHERE user_id = $2)) LIMIT 1",
                                 "ii", concern_id, me) == 1;
}

/* Is the actor a place lead of a place the organisation serves? */
static bool leads_org(struct ctx *c, long long org_id)
{
    return c->actor && c->actor->role == ROLE_PLACE_LEAD && org_in_led_place(c, org_id);
}

/* May the actor acknowledge, resolve and close the concern (see concerns.h)? */
static bool may_act(struct ctx *c, const rec *row)
{
    return sees_all(c) || is_owner(c, row) || leads_org(c, rec_int(row, "organisation_id", 0));
}

/* Did the signed-in user raise the concern? */
static bool is_raiser(const struct ctx *c, const rec *row)
{
    long long me = my_user(c);
    return me && rec_int(row, "raised_by_user_id", 0) == me;
}

/* May the actor see the concern at all (see concerns.h)? */
static bool may_see(struct ctx *c, const rec *row)
{
    return may_act(c, row) || is_raiser(c, row) || was_owner(c, rec_int(row, "id", 0));
}

/* See concerns.h. Nothing when nobody is signed in. */
struct concern_rights concern_rights_of(struct ctx *c, const rec *concern)
{
    struct concern_rights r = {false, false};
    if (!signed_in(c)) return r;
    r.act = may_act(c, concern);
    r.note = r.act || is_raiser(c, concern);
    return r;
}

/* ---- routing ---- */

enum tier {
    TIER_NONE = -1,  /* nobody owns it */
    TIER_LINE = 0,   /* a person on a line of accountability */
    TIER_PLACE = 1,  /* a place lead */
    TIER_SYSTEM = 2, /* a system lead: the top */
};

struct owner {
    long long person_id, user_id;
    enum tier tier;
    const char *name; /* for messages */
    const char *how;  /* why this owner, for the routed or escalated event */
};

/* The person accountable for org in domain, else in general: their id (0 when none). */
static long long accountable_person(struct ctx *c, long long org_id, const char *domain,
                                    const char **used_domain)
{
    const char *domains[2] = {domain, "general"};
    for (int i = 0; i < 2; i++) {
        long long p = 0;
        if (i == 1 && strcmp(domain, "general") == 0) break;
        if (store_query_int(c->db, &p,
                            "SELECT accountable_person_id FROM accountability"
                            " WHERE organisation_id = $1 AND domain = $2",
                            "it", org_id, domains[i]) == 1 &&
            p) {
            *used_domain = domains[i];
            return p;
        }
    }
    return 0;
}

/* A name from SQL "SELECT name ... WHERE id = $1", or a stand-in. */
static const char *name_of(struct ctx *c, const char *sql, long long id)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return "someone";
    store_bind_int(st, 1, id);
    const char *n = store_step(st) == STORE_ROW ? arena_strdup(c->a, store_col_text(st, 0)) : NULL;
    store_done(st);
    return n ? n : "someone";
}

/* A person's name (in c->a), for events and messages. */
static const char *person_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM people WHERE id = $1", id);
}

/* A user's name (in c->a). */
static const char *user_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM users WHERE id = $1", id);
}

/* An organisation's name (in c->a). */
static const char *org_name(struct ctx *c, long long id)
{
    return name_of(c, "SELECT name FROM organisations WHERE id = $1", id);
}

/* The place lead for org: the lowest-id active place lead leading a place it serves; 0 if none. */
static long long place_lead_for(struct ctx *c, long long org_id)
{
    long long u = 0;
    if (store_query_int(c->db, &u,
                        "SELECT u.id FROM users u WHERE u.role = 'place_lead' AND u.disabled = 0"
                        " AND EXISTS (SELECT 1 FROM user_places up JOIN organisation_places op"
                        " ON op.place_id = up.place_id WHERE up.user_id = u.id"
                        " AND op.organisation_id = $1) ORDER BY u.id LIMIT 1",
                        "i", org_id) != 1)
        return 0;
    return u;
}

/* The system lead: the lowest-id active user with that role; 0 if none. */
static long long system_lead(struct ctx *c)
{
    long long u = 0;
    if (store_query_int(c->db, &u,
                        "SELECT id FROM users WHERE role = 'system_lead' AND disabled = 0"
                        " ORDER BY id LIMIT 1",
                        NULL) != 1)
        return 0;
    return u;
}

/* A user's role name ("" when unknown). */
static const char *role_of_user(struct ctx *c, long long user_id)
{
    return user_id ? name_of(c, "SELECT role FROM users WHERE id = $1", user_id) : "";
}

/* Owner o as the place lead of org (false when there is none, or it is user `not`). */
static bool pick_place_lead(struct ctx *c, long long org_id, long long not_user, struct owner *o)
{
    long long u = place_lead_for(c, org_id);
    if (!u || u == not_user) return false;
    *o = (struct owner){0, u, TIER_PLACE, user_name(c, u), NULL};
    o->how = arena_printf(c->a, "%s, place lead for %s", o->name, org_name(c, org_id));
    return true;
}

/* Owner o as the system lead (false when there is none, or it is user `not`). */
static bool pick_system_lead(struct ctx *c, long long not_user, struct owner *o)
{
    long long u = system_lead(c);
    if (!u || u == not_user) return false;
    *o = (struct owner){0, u, TIER_SYSTEM, user_name(c, u), NULL};
    o->how = arena_printf(c->a, "%s, system lead", o->name);
    return true;
}

/* Owner o as the person accountable for org in domain (or general). */
static bool pick_line(struct ctx *c, long long org_id, const char *domain, struct owner *o)
{
    const char *used = domain;
    long long p = accountable_person(c, org_id, domain, &used);
    if (!p) return false;
    *o = (struct owner){p, 0, TIER_LINE, person_name(c, p), NULL};
    o->how = arena_printf(c->a, "%s, accountable for %s at %s", o->name, used, org_name(c, org_id));
    return true;
}

/* The first owner of a new concern about org in domain. tier TIER_NONE when there is nobody. */
static struct owner route_first(struct ctx *c, long long org_id, const char *domain)
{
    struct owner o = {0, 0, TIER_NONE, NULL, "nobody: there is no system lead"};
    if (pick_line(c, org_id, domain, &o)) return o;
    if (pick_place_lead(c, org_id, 0, &o)) {
        o.how =
            arena_printf(c->a, "%s (no line of accountability for %s)", o.how, org_name(c, org_id));
        return o;
    }
    if (pick_system_lead(c, 0, &o)) {
        o.how = arena_printf(c->a, "%s (no line of accountability and no place lead)", o.how);
        return o;
    }
    return o;
}

/* Where the current owner sits in the chain. */
static enum tier tier_of(struct ctx *c, const rec *row)
{
    long long person = rec_int(row, "owner_person_id", 0), user = rec_int(row, "owner_user_id", 0);
    if (!person && !user) return TIER_NONE;
    const char *role = role_of_user(c, user ? user : user_of_person(c, person));
    if (strcmp(role, "system_lead") == 0) return TIER_SYSTEM;
    if (strcmp(role, "place_lead") == 0) return TIER_PLACE;
    return person ? TIER_LINE : TIER_SYSTEM; /* we route to no other kind of user */
}

/*
 * Has this person (person_id) or user (user_id, directly or through the
 * person linked to them) owned the concern at some step?
 */
static bool owned_before(struct ctx *c, long long concern_id, long long person_id,
                         long long user_id)
{
    long long one = 0;
    return store_query_int(c->db, &one,
                           "SELECT 1 FROM concern_events WHERE concern_id = $1"
                           " AND (owner_person_id = $2 OR owner_user_id = $3 OR owner_person_id"
                           " IN (SELECT id FROM people WHERE user_id = $3)) LIMIT 1",
                           "iii", concern_id, person_id, user_id) == 1;
}

/*
 * The next owner one level above the concern's current owner, or false at
 * the top (a system lead owns it, or there is nobody above). In order: the
 * person accountable in the domain (else general) for the current owner's
 * organisation (a person's, or a user's organisation_id); the place lead of
 * the concern's organisation; the system lead. Nobody who has owned the
 * concern before is chosen again, except the system lead, so every step
 * moves up and the chain ends.
 */
static bool route_up(struct ctx *c, const rec *row, struct owner *o)
{
    long long id = rec_int(row, "id", 0), org = rec_int(row, "organisation_id", 0);
    const char *domain = concern_domain_of(rec_text(row, "category"));
    enum tier t = tier_of(c, row);
    if (t == TIER_NONE) {
        *o = route_first(c, org, domain);
        return o->tier != TIER_NONE;
    }
    if (t == TIER_SYSTEM) return false;
    long long person = rec_int(row, "owner_person_id", 0), user = rec_int(row, "owner_user_id", 0);
    long long current_user = owner_user(c, row);
    long long their_org = 0;
    if (person)
        their_org = organisation_of_person(c, person);
    else
        store_query_int(c->db, &their_org, "SELECT organisation_id FROM users WHERE id = $1", "i",
                        user);
    struct owner next;
    if (their_org && pick_line(c, their_org, domain, &next) &&
        !owned_before(c, id, next.person_id, user_of_person(c, next.person_id))) {
        *o = next;
        return true;
    }
    if (pick_place_lead(c, org, current_user, &next) && !owned_before(c, id, 0, next.user_id)) {
        *o = next;
        return true;
    }
    return pick_system_lead(c, current_user, o);
}

/* ---- writing ---- */

static result fail_tx(struct ctx *c, long long code, const char *what)
{
    store_rollback(c->db);
    return code == 0 ? RES_INTERNAL : ctx_store_failure(c, code, what);
}

/* Append an event to concern id; 0 or STORE_E_*. */
static long long add_event(struct ctx *c, long long id, const char *type, long long owner_person,
                           long long owner_user, const char *deadline, const char *note)
{
    long long n =
        store_run(c->db,
                  "INSERT INTO concern_events (concern_id, type, at, actor, actor_user_id,"
                  " owner_person_id, owner_user_id, deadline, note)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  "itttIIItt", id, type, c->now_iso, actor_label(c), my_user(c), owner_person,
                  owner_user, deadline, note);
    return n < 0 ? n : 0;
}

/* "safeguarding, urgent": a concern's kind for messages. */
static const char *kind_text(struct ctx *c, const rec *row)
{
    return arena_printf(c->a, "%s, %s", rec_text(row, "category"), rec_text(row, "severity"));
}

/* Notify an owner; RES_OK or RES_INTERNAL. Counts into *count when one was written. */
static result notify_owner(struct ctx *c, const struct owner *o, long long concern_id,
                           const char *kind, const char *message, const char *key, int *count)
{
    if (!o->person_id && !o->user_id) return RES_OK;
    struct notice n = {o->person_id, o->user_id, kind, "concerns", concern_id, message, key};
    bool written = false;
    result r = notify(c, &n, &written);
    if (written && count) (*count)++;
    return r;
}

/* Validate text for a field: trimmed, required or not, safe, at most CONCERN_TEXT_MAX. */
static const char *check_text(struct ctx *c, const char *field, const struct val *v,
                              const char *blank_message)
{
    if (!v || v->type == VAL_NULL || (v->type == VAL_TEXT && !v->s)) {
        if (blank_message) ctx_field_error(c, field, "%s", blank_message);
        return NULL;
    }
    if (v->type != VAL_TEXT) {
        ctx_field_error(c, field, "The %s must be text", field);
        return NULL;
    }
    const char *s = v->s;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = arena_strndup(c->a, s, n);
    if (!*t) {
        if (blank_message) ctx_field_error(c, field, "%s", blank_message);
        return NULL;
    }
    if (!text_utf8_valid(t)) {
        ctx_field_error(c, field, "The %s must be valid UTF-8 text", field);
        return NULL;
    }
    if (text_has_unsafe_chars(t, true)) {
        ctx_field_error(c, field, "The %s must not contain control or text-direction characters",
                        field);
        return NULL;
    }
    size_t chars = 0;
    for (const char *p = t; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    if (chars > CONCERN_TEXT_MAX) {
        ctx_field_error(c, field, "The %s must be %d characters or fewer", field, CONCERN_TEXT_MAX);
        return NULL;
    }
    return t;
}

/* An enum field: its value, or NULL with a field error. */
static const char *check_choice(struct ctx *c, const rec *in, const char *field,
                                const char *const *choices, const char *list)
{
    const struct val *v = rec_get(in, field);
    if (!v || v->type == VAL_NULL || (v->type == VAL_TEXT && !*v->s)) {
        ctx_field_error(c, field, "Choose the %s", field);
        return NULL;
    }
    if (v->type != VAL_TEXT || choice_index(choices, v->s) < 0) {
        ctx_field_error(c, field, "The %s must be one of: %s", field, list);
        return NULL;
    }
    return v->s;
}

/* See concerns.h. */
result concern_raise(struct ctx *c, rec *input, rec **out)
{
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    static const char *const accepted[] = {"organisation_id", "service_id",  "category",
                                           "severity",        "description", NULL};
    for (int i = 0; i < input->n; i++)
        if (choice_index(accepted, input->f[i].name) < 0)
            ctx_field_error(c, input->f[i].name, "'%s' is not a field of a concern",
                            input->f[i].name);
    long long org = 0, service = 0;
    const struct val *v = rec_get(input, "organisation_id");
    if (!v || v->type == VAL_NULL) {
        ctx_field_error(c, "organisation_id", "Choose the organisation the concern is about");
    } else if (v->type != VAL_INT || v->i <= 0) {
        ctx_field_error(c, "organisation_id", "The organisation must be the id of an organisation");
    } else if (store_exists(c->db, "organisations", v->i) != 1) {
        ctx_field_error(c, "organisation_id", "There is no organisation with id %lld", v->i);
    } else {
        org = v->i;
    }
    v = rec_get(input, "service_id");
    if (v && v->type != VAL_NULL) {
        if (v->type != VAL_INT || v->i <= 0)
            ctx_field_error(c, "service_id", "The service must be the id of a service");
        else
            service = v->i;
    }
    const char *category = check_choice(c, input, "category", concern_categories,
                                        "safeguarding, quality, capacity, data or other");
    const char *severity =
        check_choice(c, input, "severity", concern_severities, "low, medium, high or urgent");
    const char *description =
        check_text(c, "description", rec_get(input, "description"), "Describe the concern");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the concern's details");

    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "raise begin");
    struct owner o = route_first(c, org, concern_domain_of(category));
    int rc = 0;
    const char *deadline = deadline_for(c, severity, c->now, &rc);
    if (rc < 0) return fail_tx(c, rc, "deadline");
    long long id = 0;
    rc = store_query_int(c->db, &id,
                         "INSERT INTO concerns (organisation_id, service_id, category, severity,"
                         " description, status, raised_by_user_id, owner_person_id, owner_user_id,"
                         " escalation_level, deadline, created_at, updated_at)"
                         " VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, 0, $9, $10, $10)"
                         " RETURNING id",
                         "iItttIIItt", org, service, category, severity, description, my_user(c),
                         o.person_id, o.user_id, deadline, c->now_iso);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "raise");
    long long e = add_event(c, id, "raised", o.person_id, o.user_id, deadline, NULL);
    if (e == 0)
        e = add_event(c, id, "routed", o.person_id, o.user_id, deadline,
                      arena_printf(c->a, "Routed to %s", o.how));
    if (e < 0) return fail_tx(c, e, "raise events");
    rec *after = NULL;
    rc = load_concern(c, id, &after);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "raise read back");
    const char *msg =
        arena_printf(c->a,
                     "Concern #%lld (%s) about %s has been routed to you."
                     " Acknowledge it by %s.",
                     id, kind_text(c, after), rec_text(after, "organisation_name"), deadline);
    if (notify_owner(c, &o, id, "concern_routed", msg,
                     arena_printf(c->a, "concern-routed:%lld:0", id), NULL) != RES_OK ||
        audit_record(c, "create", "concerns", id, NULL, after) != RES_OK)
        return fail_tx(c, 0, "raise");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "raise commit");
    if (out) *out = after;
    return RES_OK;
}

/* Load a concern the actor may see; RES_NOT_FOUND (leaking nothing) otherwise. */
static result visible(struct ctx *c, long long id, rec **out)
{
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    rec *row = NULL;
    int rc = id > 0 ? load_concern(c, id, &row) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "concern");
    if (rc == 0 || !may_see(c, row))
        return ctx_fail(c, RES_NOT_FOUND, "There is no concern with id %lld", id);
    *out = row;
    return RES_OK;
}

/* See concerns.h. The record belongs to c->a. */
result concern_get(struct ctx *c, long long id, rec **out)
{
    rec *row = NULL;
    result r = visible(c, id, &row);
    if (r != RES_OK) return r;
    if (audit_read(c, "concerns", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    *out = row;
    return RES_OK;
}

/* See concerns.h. */
bool concern_queue_parse(const char *s, enum concern_queue *out)
{
    if (!s || !*s || strcmp(s, "all") == 0)
        *out = QUEUE_ALL;
    else if (strcmp(s, "mine") == 0)
        *out = QUEUE_MINE;
    else if (strcmp(s, "raised") == 0)
        *out = QUEUE_RAISED;
    else
        return false;
    return true;
}

/* A query whose parameters are numbered as they are added, so they appear in order. */
struct qb {
    buf sql;
    char types[80];
    long long ints[80];
    const char *texts[80];
    int n;
};

/* Add an integer parameter; its "$n" (in the arena). */
static const char *qb_int(struct ctx *c, struct qb *q, long long v)
{
    q->types[q->n] = 'i';
    q->ints[q->n++] = v;
    return arena_printf(c->a, "$%d", q->n);
}

/* Add a text parameter; its "$n" (in the arena). */
static const char *qb_text(struct ctx *c, struct qb *q, const char *s)
{
    q->types[q->n] = 't';
    q->texts[q->n++] = s;
    return arena_printf(c->a, "$%d", q->n);
}

/* Prepare sql (the connection's statement) and bind every parameter added; NULL on failure. */
static store_stmt *qb_prepare(struct ctx *c, const struct qb *q, const char *sql)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->types[i] == 'i')
            store_bind_int(st, i + 1, q->ints[i]);
        else
            store_bind_text(st, i + 1, q->texts[i]);
    }
    return st;
}

/* See concerns.h. */
result concern_list(struct ctx *c, const struct concern_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (q->status && choice_index(concern_statuses, q->status) < 0)
        ctx_field_error(c, "status", "status must be one of: open, acknowledged, resolved, closed");
    if (q->severity && choice_index(concern_severities, q->severity) < 0)
        ctx_field_error(c, "severity", "severity must be one of: low, medium, high, urgent");
    if (q->organisation_id < 0)
        ctx_field_error(c, "organisation_id", "organisation_id must be a positive whole number");
    long long per = q->per_page ? q->per_page : LIST_DEFAULT_PER_PAGE;
    long long page = q->page ? q->page : 1;
    if (per < 1 || per > LIST_MAX_PER_PAGE)
        ctx_field_error(c, "per_page", "per_page must be between 1 and %d", LIST_MAX_PER_PAGE);
    if (page < 1 || page > 1000000)
        ctx_field_error(c, "page", "page must be between 1 and 1000000");
    if (q->queue != QUEUE_ALL && !my_user(c))
        ctx_field_error(c, "queue", "queue needs a signed-in user");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters");

    struct qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " WHERE 1 = 1");
    if (q->status) buf_printf(&b.sql, " AND c.status = %s", qb_text(c, &b, q->status));
    if (q->severity) buf_printf(&b.sql, " AND c.severity = %s", qb_text(c, &b, q->severity));
    if (q->organisation_id)
        buf_printf(&b.sql, " AND c.organisation_id = %s", qb_int(c, &b, q->organisation_id));
    const char *me = NULL;
    if (!sees_all(c) || q->queue != QUEUE_ALL) me = qb_int(c, &b, my_user(c));
    const char *mine = me ? arena_printf(c->a,
                                         "(c.owner_user_id = %s OR c.owner_person_id IN"
                                         " (SELECT id FROM people WHERE user_id = %s))",
                                         me, me)
                          : NULL;
    if (!sees_all(c)) {
        buf_printf(&b.sql,
                   " AND (c.raised_by_user_id = %s OR %s OR EXISTS (SELECT 1 FROM"
                   " concern_events e WHERE e.concern_id = c.id AND (e.owner_user_id = %s OR"
                   " e.owner_person_id IN (SELECT id FROM people WHERE user_id = %s)))",
                   me, mine, me, me);
        if (c->actor->role == ROLE_PLACE_LEAD && c->actor->nplaces > 0) {
            buf_puts(&b.sql, " OR c.organisation_id IN (SELECT organisation_id FROM"
                             " organisation_places WHERE place_id IN (");
            for (int i = 0; i < c->actor->nplaces && i < 64; i++)
                buf_printf(&b.sql, "%s%s", i ? ", " : "", qb_int(c, &b, c->actor->place_ids[i]));
            buf_puts(&b.sql, "))");
        }
        buf_puts(&b.sql, ")");
    }
    if (q->queue == QUEUE_MINE) buf_printf(&b.sql, " AND %s", mine);
    if (q->queue == QUEUE_RAISED) buf_printf(&b.sql, " AND c.raised_by_user_id = %s", me);

    long long total = 0;
    store_stmt *st =
        qb_prepare(c, &b, arena_printf(c->a, "SELECT count(*) FROM concerns c%s", b.sql.data));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "concerns count");
    int s = store_step(st);
    if (s == STORE_ROW) total = store_col_int(st, 0);
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "concerns count");
    const char *where = arena_strdup(c->a, b.sql.data);
    const char *lim = qb_int(c, &b, per), *off = qb_int(c, &b, (page - 1) * per);
    st = qb_prepare(c, &b,
                    arena_printf(c->a,
                                 CONCERN_SELECT "%s ORDER BY CASE WHEN c.deadline IS NULL THEN 1"
                                                " ELSE 0 END, c.deadline, c.id DESC"
                                                " LIMIT %s OFFSET %s",
                                 where, lim, off));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "concerns list");
    out->total = total;
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)per);
    while ((s = store_step(st)) == STORE_ROW && out->nrows < per)
        out->rows[out->nrows++] = row_rec(c, st, concern_cols, NCOLS(concern_cols));
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "concerns list");
    if (out->nrows && audit_read(c, "concerns", 0, out->rows, out->nrows) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}

/* See concerns.h. Rows belong to c->a. */
result concern_events(struct ctx *c, long long id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    rec *row = NULL;
    result r = visible(c, id, &row);
    if (r != RES_OK) return r;
    store_stmt *st =
        store_prepare(c->db, "SELECT e.id, e.concern_id, e.type, e.at, e.actor, e.owner_person_id,"
                             " e.owner_user_id, COALESCE(p.name, u.name), e.deadline, e.note"
                             " FROM concern_events e LEFT JOIN people p ON p.id = e.owner_person_id"
                             " LEFT JOIN users u ON u.id = e.owner_user_id"
                             " WHERE e.concern_id = $1 ORDER BY e.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "concern events");
    store_bind_int(st, 1, id);
    int cap = 16, s;
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)cap);
    while ((s = store_step(st)) == STORE_ROW) {
        if (out->nrows == cap) {
            rec **more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, out->rows, sizeof *more * (size_t)cap);
            out->rows = more;
            cap *= 2;
        }
        out->rows[out->nrows++] = row_rec(c, st, event_cols, NCOLS(event_cols));
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "concern events");
    out->total = out->nrows;
    if (audit_read(c, "concerns", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}

/* The row of the transitions table for an action; NULL for none. */
static const struct transition *transition_of(enum concern_action a)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].action == a) return &transitions[i];
    return NULL;
}

/* Does the transition start from this status? */
static bool allowed_from(const struct transition *t, const char *status)
{
    for (int i = 0; i < 4 && t->from[i]; i++)
        if (strcmp(t->from[i], status) == 0) return true;
    return false;
}

/* See concerns.h. The checks run in order: visible, permitted, status, text. */
result concern_act(struct ctx *c, long long id, enum concern_action action, const char *text,
                   rec **out)
{
    const struct transition *t = transition_of(action);
    if (!t) return ctx_fail(c, RES_INVALID, "Unknown action");
    if (!signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "concern begin");
    rec *before = NULL;
    result r = visible(c, id, &before);
    if (r != RES_OK) {
        store_rollback(c->db);
        return r;
    }
    bool permitted =
        action == CONCERN_NOTE ? concern_rights_of(c, before).note : may_act(c, before);
    if (!permitted) {
        store_rollback(c->db);
        return ctx_fail(c, RES_FORBIDDEN,
                        action == CONCERN_NOTE
                            ? "Only the concern's owner, whoever raised it and leads may add notes"
                            : "Only the concern's owner and leads may do that");
    }
    const char *status = rec_text(before, "status");
    if (!allowed_from(t, status)) {
        store_rollback(c->db);
        return ctx_fail(c, RES_CONFLICT, "This concern is %s: it cannot be %s%s", status, t->past,
                        strcmp(status, t->past) == 0 ? " again" : "");
    }
    struct val tv = {.type = text ? VAL_TEXT : VAL_NULL, .s = text};
    const char *clean = check_text(c, t->text_field, &tv, t->text_needed);
    if (c->nerrors) {
        store_rollback(c->db);
        return ctx_fail(c, RES_INVALID, "%s", t->text_needed ? t->text_needed : "Check the note");
    }
    const char *deadline = rec_text(before, "deadline");
    int rc = 0;
    if (action == CONCERN_ACKNOWLEDGE)
        deadline = deadline_for(c, rec_text(before, "severity"), c->now, &rc);
    else if (action == CONCERN_RESOLVE || action == CONCERN_CLOSE)
        deadline = NULL;
    if (rc < 0) return fail_tx(c, rc, "deadline");
    if (t->to) {
        long long n = store_run(c->db,
                                "UPDATE concerns SET status = $1, deadline = $2,"
                                " outcome = CASE WHEN $3 = 1 THEN $4 ELSE outcome END,"
                                " updated_at = $5 WHERE id = $6",
                                "ttbtti", t->to, deadline, strcmp(t->text_field, "outcome") == 0,
                                clean, c->now_iso, id);
        if (n < 0) return fail_tx(c, n, "concern update");
    }
    long long e = add_event(c, id, t->event, rec_int(before, "owner_person_id", 0),
                            rec_int(before, "owner_user_id", 0), deadline, clean);
    if (e < 0) return fail_tx(c, e, "concern event");
    rec *after = NULL;
    rc = load_concern(c, id, &after);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "concern read back");
    /* Whoever raised it hears that it was resolved or closed (unless they did it). */
    long long raiser = rec_int(before, "raised_by_user_id", 0);
    if ((action == CONCERN_RESOLVE || action == CONCERN_CLOSE) && raiser && raiser != my_user(c)) {
        struct owner o = {0, raiser, TIER_NONE, NULL, NULL};
        const char *msg = arena_printf(c->a, "The concern #%lld you raised about %s has been %s.",
                                       id, rec_text(after, "organisation_name"), t->past);
        if (notify_owner(c, &o, id, arena_printf(c->a, "concern_%s", t->past), msg,
                         arena_printf(c->a, "concern-%s:%lld", t->past, id), NULL) != RES_OK)
            return fail_tx(c, 0, "concern notify");
    }
    if (audit_record(c, t->name, "concerns", id, before, after) != RES_OK)
        return fail_tx(c, 0, "concern audit");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "concern commit");
    if (out) *out = after;
    return RES_OK;
}

/* ---- escalation ---- */

/*
 * Escalate one concern if it is still due (another run may have done it):
 * in its own transaction, with its event, notification and audit entry.
 */
static result escalate_one(struct ctx *c, long long id, struct tick_report *report)
{
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "escalate begin");
    rec *before = NULL;
    int rc = load_concern(c, id, &before);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "escalate load");
    const char *status = rec_text(before, "status"), *old = rec_text(before, "deadline");
    if ((strcmp(status, "open") != 0 && strcmp(status, "acknowledged") != 0) || !old ||
        strcmp(old, c->now_iso) > 0) {
        store_rollback(c->db);
        return RES_OK;
    }
    const char *deadline = deadline_for(c, rec_text(before, "severity"), c->now, &rc);
    if (rc < 0) return fail_tx(c, rc, "deadline");
    const char *org = rec_text(before, "organisation_name");
    struct owner o;
    int *count = &report->notifications;
    if (route_up(c, before, &o)) {
        long long n = store_run(c->db,
                                "UPDATE concerns SET status = 'open', owner_person_id = $1,"
                                " owner_user_id = $2, escalation_level = escalation_level + 1,"
                                " deadline = $3, updated_at = $4 WHERE id = $5",
                                "IItti", o.person_id, o.user_id, deadline, c->now_iso, id);
        if (n < 0) return fail_tx(c, n, "escalate");
        const char *from = rec_text(before, "owner_name");
        long long e =
            add_event(c, id, "escalated", o.person_id, o.user_id, deadline,
                      arena_printf(c->a, "The deadline %s passed: escalated from %s to %s", old,
                                   from ? from : "nobody", o.how));
        if (e < 0) return fail_tx(c, e, "escalate event");
        long long level = rec_int(before, "escalation_level", 0) + 1;
        const char *msg =
            arena_printf(c->a,
                         "Concern #%lld (%s) about %s has been escalated to you: its deadline"
                         " passed. Acknowledge it by %s.",
                         id, kind_text(c, before), org, deadline);
        if (notify_owner(c, &o, id, "concern_escalated", msg,
                         arena_printf(c->a, "concern-escalated:%lld:%lld", id, level),
                         count) != RES_OK)
            return fail_tx(c, 0, "escalate notify");
        rec *after = NULL;
        rc = load_concern(c, id, &after);
        if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "escalate read back");
        if (audit_record(c, "escalate", "concerns", id, before, after) != RES_OK)
            return fail_tx(c, 0, "escalate audit");
        if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
        report->escalated++;
        tick_report_line(c, report, "escalated concern #%lld about %s to %s", id, org, o.how);
        return RES_OK;
    }
    /* At the top: the deadline restarts and the owner hears of it each time it passes. */
    long long n =
        store_run(c->db, "UPDATE concerns SET deadline = $1, updated_at = $2 WHERE id = $3", "tti",
                  deadline, c->now_iso, id);
    if (n < 0) return fail_tx(c, n, "restart deadline");
    long long person = rec_int(before, "owner_person_id", 0),
              user = rec_int(before, "owner_user_id", 0);
    long long e = add_event(c, id, "note", person, user, deadline,
                            arena_printf(c->a,
                                         "The deadline %s passed and there is no one further up"
                                         " the chain: it stays with its owner, with a new"
                                         " deadline",
                                         old));
    if (e < 0) return fail_tx(c, e, "restart event");
    o = (struct owner){person, user, TIER_SYSTEM, NULL, NULL};
    const char *msg = arena_printf(c->a,
                                   "Concern #%lld (%s) about %s passed its deadline of %s and"
                                   " stays with you: there is no one further up the chain."
                                   " New deadline %s.",
                                   id, kind_text(c, before), org, old, deadline);
    if (notify_owner(c, &o, id, "concern_overdue", msg,
                     arena_printf(c->a, "concern-overdue:%lld:%s", id, old), count) != RES_OK)
        return fail_tx(c, 0, "overdue notify");
    rec *after = NULL;
    rc = load_concern(c, id, &after);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "overdue read back");
    if (audit_record(c, "overdue", "concerns", id, before, after) != RES_OK)
        return fail_tx(c, 0, "overdue audit");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    tick_report_line(c, report, "concern #%lld about %s is overdue at the top of its chain", id,
                     org);
    return RES_OK;
}

/* See concerns.h. */
result concerns_escalate_due(struct ctx *c, struct tick_report *report)
{
    if (!c->operator) return ctx_fail(c, RES_FORBIDDEN, "Only the scheduler escalates concerns");
    store_stmt *st = store_prepare(c->db, "SELECT id FROM concerns WHERE status IN"
                                          " ('open', 'acknowledged') AND deadline IS NOT NULL"
                                          " AND deadline <= $1 ORDER BY deadline, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "due concerns");
    store_bind_text(st, 1, c->now_iso);
    int cap = 16, n = 0, s;
    long long *ids = arena_alloc(c->a, sizeof *ids * (size_t)cap);
    while ((s = store_step(st)) == STORE_ROW) {
        if (n == cap) {
            long long *more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, ids, sizeof *ids * (size_t)cap);
            ids = more;
            cap *= 2;
        }
        ids[n++] = store_col_int(st, 0);
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "due concerns");
    for (int i = 0; i < n; i++) {
        result r = escalate_one(c, ids[i], report);
        if (r != RES_OK) return r;
    }
    return RES_OK;
}
