/*
 * scheduler.c: everything that falls due with time. Concerns past their
 * deadline escalate (concern_escalation.c does the moving); policies and sharing
 * agreements near their review date, and overdue actions, produce reminders
 * deduplicated by key, so a second run at the same time writes nothing.
 *
 * The policy reminders read the policies table directly (the newest policy
 * per organisation and domain, as compliance.h defines it) rather than
 * through policy_compliance(), so the two capabilities can change apart.
 */
#include "domain/scheduler.h"

#include "base/date.h"

#include "domain/concerns.h"
#include "domain/dir_edit.h"
#include "domain/notifications.h"

#include <stdarg.h>
#include <string.h>

/* Who the scheduler's events and audit entries name. Not a user: it has no id and no role. */
static const struct actor scheduler_actor = {.email = "scheduler", .name = "scheduler"};

/* See scheduler.h. The lines array grows in c->a. */
void tick_report_line(struct ctx *c, struct tick_report *r, const char *fmt, ...)
{
    if (r->nlines == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        const char **more = arena_alloc(c->a, sizeof *more * (size_t)cap);
        if (r->nlines) memcpy(more, r->lines, sizeof *more * (size_t)r->nlines);
        r->lines = more;
        r->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    r->lines[r->nlines++] = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
}

/* The UTC date days after c->now, as YYYY-MM-DD in c->a. */
static const char *date_after(struct ctx *c, int days)
{
    return date_offset(c->a, c->now, days, false);
}

/* "data management" for "data_management" (in c->a). */
static const char *words(struct ctx *c, const char *s)
{
    char *w = arena_strdup(c->a, s ? s : "");
    for (char *p = w; *p; p++)
        if (*p == '_') *p = ' ';
    return w;
}

/* One reminder found by a query, before it is written. */
struct due {
    long long id, person_id, user_id;
    const char *a, *b, *date; /* meaning depends on the kind */
};

/*
 * Run sql (one text parameter: $1) and collect its rows as struct due:
 * columns id, person_id, user_id, a, b, date. The rows are read before any
 * is written, so no statement is open while notifications are inserted.
 */
static result collect(struct ctx *c, const char *sql, const char *param, struct due **out, int *n)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "reminders");
    store_bind_text(st, 1, param);
    int cap = 16, s;
    *n = 0;
    *out = arena_alloc(c->a, sizeof **out * (size_t)cap);
    while ((s = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            struct due *more = arena_alloc(c->a, sizeof *more * (size_t)cap * 2);
            memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more;
            cap *= 2;
        }
        struct due *d = &(*out)[(*n)++];
        d->id = store_col_int(st, 0);
        d->person_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        d->user_id = store_col_null(st, 2) ? 0 : store_col_int(st, 2);
        d->a = arena_strdup(c->a, store_col_text(st, 3));
        d->b = arena_strdup(c->a, store_col_text(st, 4));
        d->date = arena_strdup(c->a, store_col_text(st, 5));
    }
    store_done(st);
    return s < 0 ? ctx_store_failure(c, s, "reminders") : RES_OK;
}

/* Write one reminder; count it and describe it when it is new. */
static result remind(struct ctx *c, struct tick_report *report, const struct notice *n)
{
    bool written = false;
    result r = notify(c, n, &written);
    if (r != RES_OK) return r;
    if (written) {
        report->notifications++;
        tick_report_line(c, report, "reminded %s %lld: %s", n->person_id ? "person" : "user",
                         n->person_id ? n->person_id : n->user_id, n->message);
    }
    return RES_OK;
}

/*
 * Policies (the newest per organisation and domain) whose review date is at
 * most SCHEDULER_REMINDER_DAYS away, or past: to the organisation's active
 * provider users.
 */
static result policy_reminders(struct ctx *c, struct tick_report *report, const char *today,
                               const char *horizon)
{
    struct due *d;
    int n;
    result r = collect(c,
                       "SELECT p.organisation_id, NULL, u.id, o.name, p.domain, p.review_due"
                       " FROM policies p JOIN organisations o ON o.id = p.organisation_id"
                       " JOIN users u ON u.organisation_id = p.organisation_id"
                       " AND u.role = 'provider' AND u.disabled = 0"
                       " WHERE p.review_due <= $1 AND NOT EXISTS (SELECT 1 FROM policies q"
                       " WHERE q.organisation_id = p.organisation_id AND q.domain = p.domain"
                       " AND (q.approved_on > p.approved_on OR (q.approved_on = p.approved_on"
                       " AND q.id > p.id))) ORDER BY p.organisation_id, p.domain, u.id",
                       horizon, &d, &n);
    for (int i = 0; r == RES_OK && i < n; i++) {
        bool past = strcmp(d[i].date, today) < 0;
        struct notice note = {
            .user_id = d[i].user_id,
            .kind = "policy_expiring",
            .entity = "organisations",
            .entity_id = d[i].id,
            .message = arena_printf(c->a,
                                    past ? "The %s policy of %s passed its review date on %s:"
                                           " review it and record the new version."
                                         : "The %s policy of %s is due for review on %s.",
                                    words(c, d[i].b), d[i].a, d[i].date),
            .dedupe_key = arena_printf(c->a, "policy-expiring:%lld:%s:%s:user:%lld", d[i].id,
                                       d[i].b, d[i].date, d[i].user_id),
        };
        r = remind(c, report, &note);
    }
    return r;
}

/* Sharing agreements due for review within the window, or past: to every active system lead. */
static result sharing_reminders(struct ctx *c, struct tick_report *report, const char *today,
                                const char *horizon)
{
    struct due *d;
    int n;
    result r = collect(c,
                       "SELECT s.id, NULL, u.id, s.title, '', s.review_date"
                       " FROM sharing_agreements s JOIN users u ON u.role = 'system_lead'"
                       " AND u.disabled = 0 WHERE s.review_date <= $1 ORDER BY s.id, u.id",
                       horizon, &d, &n);
    for (int i = 0; r == RES_OK && i < n; i++) {
        bool past = strcmp(d[i].date, today) < 0;
        struct notice note = {
            .user_id = d[i].user_id,
            .kind = "sharing_agreement_review",
            .entity = "sharing-agreements",
            .entity_id = d[i].id,
            .message = arena_printf(c->a,
                                    past ? "The sharing agreement \"%s\" passed its review date"
                                           " on %s."
                                         : "The sharing agreement \"%s\" is due for review on %s.",
                                    d[i].a, d[i].date),
            .dedupe_key = arena_printf(c->a, "sharing-review:%lld:%s:user:%lld", d[i].id, d[i].date,
                                       d[i].user_id),
        };
        r = remind(c, report, &note);
    }
    return r;
}

/* Actions past their due date and not done: to the owner person. */
static result action_reminders(struct ctx *c, struct tick_report *report, const char *today)
{
    struct due *d;
    int n;
    result r = collect(c,
                       "SELECT id, owner_person_id, NULL, title, status, due_date FROM actions"
                       " WHERE due_date < $1 AND status <> 'done' ORDER BY id",
                       today, &d, &n);
    for (int i = 0; r == RES_OK && i < n; i++) {
        struct notice note = {
            .person_id = d[i].person_id,
            .kind = "action_overdue",
            .entity = "actions",
            .entity_id = d[i].id,
            .message = arena_printf(c->a, "The action \"%s\" was due on %s and is not done.",
                                    d[i].a, d[i].date),
            .dedupe_key = arena_printf(c->a, "action-overdue:%lld:%s", d[i].id, d[i].date),
        };
        r = remind(c, report, &note);
    }
    return r;
}

/* See scheduler.h. The scheduler acts as itself: events and audit entries name "scheduler". */
result scheduler_run(struct ctx *c, struct tick_report *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator runs the scheduler");
    const struct actor *saved = c->actor;
    c->actor = &scheduler_actor;
    const char *today = date_after(c, 0), *horizon = date_after(c, SCHEDULER_REMINDER_DAYS);
    result r = concerns_escalate_due(c, out);
    if (r == RES_OK) r = policy_reminders(c, out, today, horizon);
    if (r == RES_OK) r = sharing_reminders(c, out, today, horizon);
    if (r == RES_OK) r = action_reminders(c, out, today);
    if (r == RES_OK) r = dir_edit_purge_due(c, out); /* deleted services past undelete */
    c->actor = saved;
    return r;
}
