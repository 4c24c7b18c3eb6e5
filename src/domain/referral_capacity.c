/*
 * referral_capacity.c: the places a service offers and the waitlist. A
 * service may have a number of places per cohort (people accepted or
 * started at once) or per calendar week (people accepted Monday to Sunday,
 * UTC, by the ctx's clock); with no row in service_capacity it has no
 * limit. The waitlist of a service is its waitlisted referrals in order of
 * referral (sent_at, then id), and nobody jumps it: accepting someone while
 * people referred earlier wait is refused, as is accepting into a full
 * service.
 */
#include "domain/referrals_internal.h"

#include "base/date.h"
#include "domain/audit.h"

#include <string.h>

#define CAPACITY_MAX_PLACES 100000

/* See referrals_internal.h. */
void referral_week_bounds(struct ctx *c, time_t t, const char **from, const char **to)
{
    long long days = (long long)t / 86400;
    if ((long long)t % 86400 < 0) days--;
    long long weekday = ((days + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Monday is 0 */
    long long monday = days - weekday;
    *from = date_time_iso(c->a, (time_t)(monday * 86400));
    *to = date_time_iso(c->a, (time_t)((monday + 7) * 86400));
}

/*
 * The service's limit: 1 with *places and *period (in c->a) set, 0 when it
 * has none, or STORE_E_*.
 */
static int capacity_row(struct ctx *c, const char *service_id, long long *places,
                        const char **period)
{
    store_stmt *st =
        store_prepare(c->db, "SELECT places, period FROM service_capacity WHERE service_id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, service_id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        *places = store_col_int(st, 0);
        *period = arena_strdup(c->a, store_col_text(st, 1));
    }
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* How many places of the service are taken now in period; negative STORE_E_* on failure. */
static long long capacity_used(struct ctx *c, const char *service_id, const char *period)
{
    long long n = 0;
    int rc;
    if (period && strcmp(period, "week") == 0) {
        const char *from, *to;
        referral_week_bounds(c, c->now, &from, &to);
        rc = store_query_int(c->db, &n,
                             "SELECT count(*) FROM referrals WHERE service_id = $1"
                             " AND accepted_at >= $2 AND accepted_at < $3",
                             "ttt", service_id, from, to);
    } else {
        rc = store_query_int(c->db, &n,
                             "SELECT count(*) FROM referrals WHERE service_id = $1"
                             " AND status IN ('accepted', 'started')",
                             "t", service_id);
    }
    return rc < 0 ? rc : n;
}

/*
 * How many waitlisted referrals of the service were referred before
 * (sent_at, id); negative STORE_E_* on failure.
 */
static long long waiting_before(struct ctx *c, const char *service_id, const char *sent_at,
                                long long id)
{
    long long n = 0;
    int rc = store_query_int(c->db, &n,
                             "SELECT count(*) FROM referrals WHERE service_id = $1"
                             " AND status = 'waitlisted' AND id <> $3"
                             " AND (COALESCE(sent_at, created_at) < $2"
                             " OR (COALESCE(sent_at, created_at) = $2 AND id < $3))",
                             "tti", service_id, sent_at ? sent_at : "", id);
    return rc < 0 ? rc : n;
}

/* See referrals_internal.h. */
long long referral_waitlist_position(struct ctx *c, long long id)
{
    struct referral_core r;
    int rc = referral_core_load(c, id, &r);
    if (rc < 0) return rc;
    if (rc == 0 || r.status != REFERRAL_WAITLISTED) return 0;
    long long before = waiting_before(c, r.service_id, r.sent_at, r.id);
    return before < 0 ? before : before + 1;
}

/* See referrals_internal.h. */
result referral_capacity_check(struct ctx *c, const struct referral_core *r)
{
    long long places = 0;
    const char *period = NULL;
    int rc = capacity_row(c, r->service_id, &places, &period);
    if (rc < 0) return ctx_store_failure(c, rc, "capacity");
    if (rc == 1) {
        long long used = capacity_used(c, r->service_id, period);
        if (used < 0) return ctx_store_failure(c, used, "capacity used");
        if (used >= places)
            return ctx_fail(c, RES_CONFLICT, "The service is full (%lld of %lld places%s); %s",
                            used, places, strcmp(period, "week") == 0 ? " this week" : "",
                            r->status == REFERRAL_WAITLISTED ? "the referral stays on the waitlist."
                                                             : "waitlist the referral.");
    }
    long long ahead = waiting_before(c, r->service_id, r->sent_at, r->id);
    if (ahead < 0) return ctx_store_failure(c, ahead, "waitlist");
    if (ahead == 1) return ctx_fail(c, RES_CONFLICT, "1 referral is ahead on the waitlist.");
    if (ahead > 1)
        return ctx_fail(c, RES_CONFLICT, "%lld referrals are ahead on the waitlist.", ahead);
    return RES_OK;
}

/*
 * The service's directory row: 1 with its rid and chis organisation (0 when
 * its organization is linked to none), 0 when there is no such live
 * service, or STORE_E_*.
 */
static int service_row(struct ctx *c, const char *service_id, long long *rid, long long *org)
{
    store_stmt *st = store_prepare(c->db, "SELECT s.rid, o.organisation_id FROM dir_services s"
                                          " JOIN dir_organizations o ON o.id = s.organization_id"
                                          " WHERE s.id = $1 AND s.deleted_at IS NULL");
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, service_id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        *rid = store_col_int(st, 0);
        *org = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
    }
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* Fills out with the service's limit and use now. RES_OK or RES_INTERNAL. */
static result capacity_read(struct ctx *c, const char *service_id, struct service_capacity *out)
{
    memset(out, 0, sizeof *out);
    out->service_id = arena_strdup(c->a, service_id);
    out->places = -1;
    int rc = capacity_row(c, service_id, &out->places, &out->period);
    if (rc < 0) return ctx_store_failure(c, rc, "capacity");
    out->used = capacity_used(c, service_id, out->period);
    if (out->used < 0) return ctx_store_failure(c, out->used, "capacity used");
    rc = store_query_int(c->db, &out->waitlisted,
                         "SELECT count(*) FROM referrals WHERE service_id = $1"
                         " AND status = 'waitlisted'",
                         "t", service_id);
    if (rc < 0) return ctx_store_failure(c, rc, "waitlisted");
    return RES_OK;
}

/* See referrals.h. Texts in *out belong to c->a. */
result service_capacity_get(struct ctx *c, const char *service_id, struct service_capacity *out)
{
    memset(out, 0, sizeof *out);
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    long long rid = 0, org = 0;
    int rc = service_id ? service_row(c, service_id, &rid, &org) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "capacity service");
    if (rc == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no service with id %s in the directory",
                        service_id ? service_id : "");
    return capacity_read(c, service_id, out);
}

/* The capacity as a record for the audit log, in c->a (NULL when no limit). */
static rec *capacity_rec(struct ctx *c, const struct service_capacity *s)
{
    if (s->places < 0) return NULL;
    rec *r = rec_new(c->a);
    rec_set_text(r, "service_id", s->service_id);
    rec_set_int(r, "places", s->places);
    rec_set_text(r, "period", s->period);
    return r;
}

/* See referrals.h. Texts in *out belong to c->a. */
result service_capacity_set(struct ctx *c, const char *service_id, long long places,
                            const char *period, struct service_capacity *out)
{
    memset(out, 0, sizeof *out);
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    long long rid = 0, org = 0;
    int rc = service_id ? service_row(c, service_id, &rid, &org) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "capacity service");
    if (rc == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no service with id %s in the directory",
                        service_id ? service_id : "");
    if (!c->by_operator) {
        enum role role = c->actor->role;
        bool lead = role == ROLE_ADMIN || role == ROLE_SYSTEM_LEAD;
        bool own = org && c->actor->org_id == org && role != ROLE_VIEWER;
        if (!lead && !own)
            return ctx_fail(c, RES_FORBIDDEN,
                            "Only the service's organisation, administrators and system leads"
                            " set its places");
    }
    if (places > CAPACITY_MAX_PLACES)
        ctx_field_error(c, "places", "The places must be at most %d", CAPACITY_MAX_PLACES);
    if (places >= 0 && (!period || (strcmp(period, "cohort") != 0 && strcmp(period, "week") != 0)))
        ctx_field_error(c, "period", "The period must be cohort or week");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the places and the period");

    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "capacity begin");
    struct service_capacity before;
    result res = capacity_read(c, service_id, &before);
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    long long n =
        places < 0
            ? store_run(c->db, "DELETE FROM service_capacity WHERE service_id = $1", "t",
                        service_id)
            : store_run(c->db,
                        "INSERT INTO service_capacity (service_id, places, period, updated_at,"
                        " updated_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (service_id)"
                        " DO UPDATE SET places = excluded.places, period = excluded.period,"
                        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                        "tittt", service_id, places, period, c->now_iso, actor_label(c));
    if (n < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "capacity write");
    }
    res = capacity_read(c, service_id, out);
    if (res == RES_OK && audit_record(c, "update", "service_capacity", rid,
                                      capacity_rec(c, &before), capacity_rec(c, out)) != RES_OK)
        res = ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "capacity commit");
    return RES_OK;
}
