/*
 * concern_escalation.c: what the scheduler does with concerns whose
 * deadline has passed: move each one level up the chain, or, at the top,
 * restart its deadline and tell its owner again. The rules are in
 * concerns.h.
 */
#include "domain/concerns_internal.h"

#include "domain/audit.h"

#include <string.h>

/*
 * Escalate one concern if it is still due (another run may have done it):
 * in its own transaction, with its event, notification and audit entry.
 */
static result escalate_one(struct ctx *c, long long id, struct tick_report *report)
{
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "escalate begin");
    rec *before = NULL;
    int rc = concern_load(c, id, &before);
    if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "escalate load");
    const char *status = rec_text(before, "status"), *old = rec_text(before, "deadline");
    if ((strcmp(status, "open") != 0 && strcmp(status, "acknowledged") != 0) || !old ||
        strcmp(old, c->now_iso) > 0) {
        store_rollback(c->db);
        return RES_OK;
    }
    const char *deadline = concern_deadline_for(c, rec_text(before, "severity"), c->now, &rc);
    if (rc < 0) return concern_fail_tx(c, rc, "deadline");
    const char *org = rec_text(before, "organisation_name");
    struct concern_owner o;
    int *count = &report->notifications;
    if (concern_route_up(c, before, &o)) {
        long long n = store_run(c->db,
                                "UPDATE concerns SET status = 'open', owner_person_id = $1,"
                                " owner_user_id = $2, escalation_level = escalation_level + 1,"
                                " deadline = $3, updated_at = $4 WHERE id = $5",
                                "IItti", o.person_id, o.user_id, deadline, c->now_iso, id);
        if (n < 0) return concern_fail_tx(c, n, "escalate");
        const char *from = rec_text(before, "owner_name");
        long long e =
            concern_add_event(c, id, "escalated", o.person_id, o.user_id, deadline,
                              arena_printf(c->a, "The deadline %s passed: escalated from %s to %s",
                                           old, from ? from : "nobody", o.how));
        if (e < 0) return concern_fail_tx(c, e, "escalate event");
        long long level = rec_int(before, "escalation_level", 0) + 1;
        const char *msg =
            arena_printf(c->a,
                         "Concern #%lld (%s) about %s has been escalated to you: its deadline"
                         " passed. Acknowledge it by %s.",
                         id, concern_kind_text(c, before), org, deadline);
        if (concern_notify_owner(c, &o, id, "concern_escalated", msg,
                                 arena_printf(c->a, "concern-escalated:%lld:%lld", id, level),
                                 count) != RES_OK)
            return concern_fail_tx(c, 0, "escalate notify");
        rec *after = NULL;
        rc = concern_load(c, id, &after);
        if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "escalate read back");
        if (audit_record(c, "escalate", "concerns", id, before, after) != RES_OK)
            return concern_fail_tx(c, 0, "escalate audit");
        if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
        report->escalated++;
        tick_report_line(c, report, "escalated concern #%lld about %s to %s", id, org, o.how);
        return RES_OK;
    }
    /* At the top: the deadline restarts and the owner hears of it each time it passes. */
    long long n =
        store_run(c->db, "UPDATE concerns SET deadline = $1, updated_at = $2 WHERE id = $3", "tti",
                  deadline, c->now_iso, id);
    if (n < 0) return concern_fail_tx(c, n, "restart deadline");
    long long person = rec_int(before, "owner_person_id", 0),
              user = rec_int(before, "owner_user_id", 0);
    long long e =
        concern_add_event(c, id, "note", person, user, deadline,
                          arena_printf(c->a,
                                       "The deadline %s passed and there is no one further up"
                                       " the chain: it stays with its owner, with a new"
                                       " deadline",
                                       old));
    if (e < 0) return concern_fail_tx(c, e, "restart event");
    o = (struct concern_owner){person, user, TIER_SYSTEM, NULL, NULL};
    const char *msg = arena_printf(c->a,
                                   "Concern #%lld (%s) about %s passed its deadline of %s and"
                                   " stays with you: there is no one further up the chain."
                                   " New deadline %s.",
                                   id, concern_kind_text(c, before), org, old, deadline);
    if (concern_notify_owner(c, &o, id, "concern_overdue", msg,
                             arena_printf(c->a, "concern-overdue:%lld:%s", id, old),
                             count) != RES_OK)
        return concern_fail_tx(c, 0, "overdue notify");
    rec *after = NULL;
    rc = concern_load(c, id, &after);
    if (rc != 1) return concern_fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "overdue read back");
    if (audit_record(c, "overdue", "concerns", id, before, after) != RES_OK)
        return concern_fail_tx(c, 0, "overdue audit");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    tick_report_line(c, report, "concern #%lld about %s is overdue at the top of its chain", id,
                     org);
    return RES_OK;
}

/* See concerns.h. */
result concerns_escalate_due(struct ctx *c, struct tick_report *report)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the scheduler escalates concerns");
    store_stmt *st = store_prepare(c->db, "SELECT id FROM concerns WHERE status IN"
                                          " ('open', 'acknowledged') AND deadline IS NOT NULL"
                                          " AND deadline <= $1 ORDER BY deadline, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "due concerns");
    store_bind_text(st, 1, c->now_iso);
    long long *ids;
    int n;
    int s = store_read_ids(st, c->a, &ids, &n);
    if (s < 0) return ctx_store_failure(c, s, "due concerns");
    for (int i = 0; i < n; i++) {
        result r = escalate_one(c, ids[i], report);
        if (r != RES_OK) return r;
    }
    return RES_OK;
}
