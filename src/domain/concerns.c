/*
 * concerns.c: raising concerns and their transitions (acknowledge,
 * resolve, close, note), with the writing helpers the other pieces share:
 * events, notices to owners, rolling back. The rules are written out in
 * concerns.h; the tables below hold the parts that are data (categories and
 * their domains, which transitions each status allows). Deadlines, reading,
 * routing and escalation are in the concern_*.c files (see
 * concerns_internal.h).
 */
#include "domain/concerns_internal.h"

#include "base/text.h"
#include "domain/audit.h"
#include "domain/entity.h"
#include "domain/notifications.h"

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

/* See concerns_internal.h. */
int concern_choice_index(const char *const *choices, const char *s)
{
    for (int i = 0; s && choices[i]; i++)
        if (strcmp(choices[i], s) == 0) return i;
    return -1;
}

/* See concerns_internal.h. */
bool concern_signed_in(const struct ctx *c)
{
    return c->actor || c->by_operator;
}

/* ---- writing ---- */

/* See concerns_internal.h. */
result concern_fail_tx(struct ctx *c, long long code, const char *what)
{
    store_rollback(c->db);
    return code == 0 ? RES_INTERNAL : ctx_store_failure(c, code, what);
}

/* See concerns_internal.h. */
long long concern_add_event(struct ctx *c, long long id, const char *type, long long owner_person,
                            long long owner_user, const char *deadline, const char *note)
{
    long long n =
        store_run(c->db,
                  "INSERT INTO concern_events (concern_id, type, at, actor, actor_user_id,"
                  " owner_person_id, owner_user_id, deadline, note)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  "itttIIItt", id, type, c->now_iso, actor_label(c), concern_my_user(c),
                  owner_person, owner_user, deadline, note);
    return n < 0 ? n : 0;
}

/* See concerns_internal.h. The text belongs to c->a. */
const char *concern_kind_text(struct ctx *c, const rec *row)
{
    return arena_printf(c->a, "%s, %s", rec_text(row, "category"), rec_text(row, "severity"));
}

/* See concerns_internal.h. A notice with neither a person nor a user is skipped. */
result concern_notify_owner(struct ctx *c, const struct concern_owner *o, long long concern_id,
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
    const char *t = entity_clean_text(c, field, v->s, CONCERN_TEXT_MAX);
    if (t && !*t) {
        if (blank_message) ctx_field_error(c, field, "%s", blank_message);
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
    if (v->type != VAL_TEXT || concern_choice_index(choices, v->s) < 0) {
        ctx_field_error(c, field, "The %s must be one of: %s", field, list);
        return NULL;
    }
    return v->s;
}

/* See concerns.h. */
result concern_raise(struct ctx *c, rec *input, rec **out)
{
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    static const char *const accepted[] = {"organisation_id", "service_id",  "category",
                                           "severity",        "description", NULL};
    for (int i = 0; i < input->n; i++)
        if (concern_choice_index(accepted, input->f[i].name) < 0)
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
    struct concern_owner o = concern_route_first(c, org, concern_domain_of(category));
    int rc = 0;
    const char *deadline = concern_deadline_for(c, severity, c->now, &rc);
    if (rc < 0) return concern_fail_tx(c, rc, "deadline");
    long long id = 0;
    rc = store_query_int(c->db, &id,
                         "INSERT INTO concerns (organisation_id, service_id, category, severity,"
                         " description, status, raised_by_user_id, owner_person_id, owner_user_id,"
                         " escalation_level, deadline, created_at, updated_at)"
                         " VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, 0, $9, $10, $10)"
                         " RETURNING id",
                         "iItttIIItt", org, service, category, severity, description,
                         concern_my_user(c), o.person_id, o.user_id, deadline, c->now_iso);
    if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "raise");
    long long e = concern_add_event(c, id, "raised", o.person_id, o.user_id, deadline, NULL);
    if (e == 0)
        e = concern_add_event(c, id, "routed", o.person_id, o.user_id, deadline,
                              arena_printf(c->a, "Routed to %s", o.how));
    if (e < 0) return concern_fail_tx(c, e, "raise events");
    rec *after = NULL;
    rc = concern_load(c, id, &after);
    if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "raise read back");
    const char *msg = arena_printf(c->a,
                                   "Concern #%lld (%s) about %s has been routed to you."
                                   " Acknowledge it by %s.",
                                   id, concern_kind_text(c, after),
                                   rec_text(after, "organisation_name"), deadline);
    if (concern_notify_owner(c, &o, id, "concern_routed", msg,
                             arena_printf(c->a, "concern-routed:%lld:0", id), NULL) != RES_OK ||
        audit_record(c, "create", "concerns", id, NULL, after) != RES_OK)
        return concern_fail_tx(c, 0, "raise");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "raise commit");
    if (out) *out = after;
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
    if (!concern_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "concern begin");
    rec *before = NULL;
    result r = concern_visible(c, id, &before);
    if (r != RES_OK) {
        store_rollback(c->db);
        return r;
    }
    bool permitted =
        action == CONCERN_NOTE ? concern_rights_of(c, before).note : concern_may_act(c, before);
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
        deadline = concern_deadline_for(c, rec_text(before, "severity"), c->now, &rc);
    else if (action == CONCERN_RESOLVE || action == CONCERN_CLOSE)
        deadline = NULL;
    if (rc < 0) return concern_fail_tx(c, rc, "deadline");
    if (t->to) {
        long long n = store_run(c->db,
                                "UPDATE concerns SET status = $1, deadline = $2,"
                                " outcome = CASE WHEN $3 = 1 THEN $4 ELSE outcome END,"
                                " updated_at = $5 WHERE id = $6",
                                "ttbtti", t->to, deadline, strcmp(t->text_field, "outcome") == 0,
                                clean, c->now_iso, id);
        if (n < 0) return concern_fail_tx(c, n, "concern update");
    }
    long long e = concern_add_event(c, id, t->event, rec_int(before, "owner_person_id", 0),
                                    rec_int(before, "owner_user_id", 0), deadline, clean);
    if (e < 0) return concern_fail_tx(c, e, "concern event");
    rec *after = NULL;
    rc = concern_load(c, id, &after);
    if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "concern read back");
    /* Whoever raised it hears that it was resolved or closed (unless they did it). */
    long long raiser = rec_int(before, "raised_by_user_id", 0);
    if ((action == CONCERN_RESOLVE || action == CONCERN_CLOSE) && raiser &&
        raiser != concern_my_user(c)) {
        struct concern_owner o = {0, raiser, TIER_NONE, NULL, NULL};
        const char *msg = arena_printf(c->a, "The concern #%lld you raised about %s has been %s.",
                                       id, rec_text(after, "organisation_name"), t->past);
        if (concern_notify_owner(c, &o, id, arena_printf(c->a, "concern_%s", t->past), msg,
                                 arena_printf(c->a, "concern-%s:%lld", t->past, id),
                                 NULL) != RES_OK)
            return concern_fail_tx(c, 0, "concern notify");
    }
    if (audit_record(c, t->name, "concerns", id, before, after) != RES_OK)
        return concern_fail_tx(c, 0, "concern audit");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "concern commit");
    if (out) *out = after;
    return RES_OK;
}
