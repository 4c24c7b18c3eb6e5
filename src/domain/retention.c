/*
 * retention.c: what data protection asks of participant records over time.
 * A person is anonymised when they ask to be erased, or when their last
 * contact is older than the retention period (settings key
 * "retention.years", default 6). Anonymising removes everything that
 * identifies them or that they said in their own words, and keeps the
 * outcome scores and the referral rows' frozen equity columns, so the
 * aggregate reports of past years do not change.
 */
#include "domain/participants.h"

#include "base/text.h"
#include "domain/audit.h"
#include "domain/participants_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RETENTION_KEY "retention.years"
#define RETENTION_DEFAULT 6
#define RETENTION_MAX 100

/* ---- the period ---- */

/* The period in years: the setting when it reads as 1-100, else the
 * default. 0 or STORE_E_*. */
static int years_now(struct ctx *c, long long *years)
{
    store_stmt *st = store_prepare(c->db, "SELECT value FROM settings WHERE key = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "t", RETENTION_KEY);
    int s = store_step(st);
    long long v = s == STORE_ROW ? text_id(store_col_text(st, 0)) : 0;
    store_done(st);
    *years = v >= 1 && v <= RETENTION_MAX ? v : RETENTION_DEFAULT;
    return s < 0 ? s : 0;
}

/* See participants.h. Any signed-in user may know the period. */
result retention_years_get(struct ctx *c, long long *years)
{
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    int rc = years_now(c, years);
    return rc < 0 ? ctx_store_failure(c, rc, "retention setting") : RES_OK;
}

/* May the actor run or change retention (the operator or administrators)? */
static bool retention_admin(const struct ctx *c)
{
    return c->by_operator || (c->actor && c->actor->role == ROLE_ADMIN);
}

/* See participants.h. Audited with the period before and after. */
result retention_years_set(struct ctx *c, long long years)
{
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!retention_admin(c))
        return ctx_fail(c, RES_FORBIDDEN, "Only administrators change the retention period");
    if (years < 1 || years > RETENTION_MAX) {
        ctx_field_error(c, "years", "The retention period must be between 1 and %d years",
                        RETENTION_MAX);
        return ctx_fail(c, RES_INVALID, "Check the retention period");
    }
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    long long before = 0;
    int rc = years_now(c, &before);
    if (rc >= 0)
        rc = (int)store_run(c->db,
                            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                            " updated_at = excluded.updated_at",
                            "ttt", RETENTION_KEY, arena_printf(c->a, "%lld", years), c->now_iso);
    if (rc < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "retention setting");
    }
    rec *b = rec_new(c->a), *a = rec_new(c->a);
    rec_set_int(b, RETENTION_KEY, before);
    rec_set_int(a, RETENTION_KEY, years);
    if (audit_record(c, "update", "settings", 0, b, a) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return RES_OK;
}

/* ---- anonymising ---- */

/*
 * The statements that anonymise participant $1 at time $2 (reason $3 for
 * the first), in order. What stays: the participant row with its holding
 * organisation and dates; the referral rows with their services, states,
 * dates, frozen equity columns and scores; outcomes, goal ratings and
 * attendance marks.
 */
static const struct {
    const char *types; /* what is bound: "itt" ($1-$3), "it" ($1-$2) or "i" ($1) */
    const char *sql;
} anonymise_sql[] = {
    {"itt", "UPDATE participants SET name = NULL, date_of_birth = NULL, nhs_number = NULL,"
            " postcode = NULL, lsoa = NULL, neighbourhood_id = NULL, place_id = NULL,"
            " imd_decile = NULL, phone = NULL, email = NULL, sex = NULL, ethnicity = NULL,"
            " communication_needs = NULL, access_needs = NULL, gp_practice_code = NULL,"
            " gp_practice_name = NULL, anonymised_at = $2, anonymised_reason = $3, updated_at = $2"
            " WHERE id = $1 AND anonymised_at IS NULL"},
    /* Free text about the person, written by staff or by them. */
    {"it", "UPDATE referrals SET notes = NULL, reason = NULL, updated_at = $2"
           " WHERE participant_id = $1"},
    {"i", "UPDATE referral_events SET reason = NULL"
          " WHERE referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
    {"it", "UPDATE stories SET body = NULL, updated_at = $2"
           " WHERE referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
    {"it", "UPDATE feedback_messages SET body = NULL, updated_at = $2"
           " WHERE referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
    {"it", "UPDATE goals SET goal = NULL, updated_at = $2"
           " WHERE referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
    {"it", "UPDATE attendance SET note = NULL, updated_at = $2"
           " WHERE referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
    {"it", "UPDATE consents SET note = NULL, updated_at = $2 WHERE participant_id = $1"},
    /* A link still waiting to be used would reach a person no longer known. */
    {"it", "UPDATE outcome_links SET expires_at = $2, updated_at = $2 WHERE used_at IS NULL"
           " AND expires_at > $2"
           " AND referral_id IN (SELECT id FROM referrals WHERE participant_id = $1)"},
};

/*
 * Anonymise participant id inside the caller's transaction, with no
 * access check. *done is whether it changed anything (false when it was
 * already anonymised). RES_OK, or a failure with nothing rolled back here.
 */
static result anonymise_one(struct ctx *c, long long id, const char *reason, bool *done)
{
    *done = false;
    for (size_t i = 0; i < sizeof anonymise_sql / sizeof anonymise_sql[0]; i++) {
        const char *t = anonymise_sql[i].types, *sql = anonymise_sql[i].sql;
        long long n = strcmp(t, "itt") == 0  ? store_run(c->db, sql, t, id, c->now_iso, reason)
                      : strcmp(t, "it") == 0 ? store_run(c->db, sql, t, id, c->now_iso)
                                             : store_run(c->db, sql, t, id);
        if (n < 0) return ctx_store_failure(c, n, "anonymise");
        if (i == 0 && n == 0) return RES_OK; /* already anonymised: the rest was done then */
    }
    *done = true;
    rec *after = rec_new(c->a);
    rec_set_text(after, "anonymised_at", c->now_iso);
    rec_set_text(after, "anonymised_reason", reason);
    return audit_record(c, "anonymise", "participants", id, NULL, after);
}

/* The organisation holding participant id (0 when unknown). */
static long long participant_holder(struct ctx *c, long long id)
{
    long long org = 0;
    store_query_int(c->db, &org, "SELECT organisation_id FROM participants WHERE id = $1", "i", id);
    return org;
}

/* See participants.h. Idempotent: anonymising twice changes nothing more. */
result participant_anonymise(struct ctx *c, long long id, const char *reason)
{
    if (!reason || (strcmp(reason, "erasure") != 0 && strcmp(reason, "retention") != 0)) {
        ctx_field_error(c, "reason", "The reason must be erasure or retention");
        return ctx_fail(c, RES_INVALID, "Check the reason");
    }
    result r = participant_access(c, id);
    if (r != RES_OK) return r;
    if (!participant_role_writes(c))
        return ctx_fail(c, RES_FORBIDDEN, "Leads and viewers cannot erase a participant");
    /* Erasure is the controller's act: the organisation holding the record
     * answers the person's request, not every organisation that may see it. */
    if (!c->by_operator && participant_holder(c, id) != c->actor->org_id)
        return ctx_fail(c, RES_FORBIDDEN,
                        "Only the organisation holding this person's record can erase it");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    bool done;
    r = anonymise_one(c, id, reason, &done);
    if (r != RES_OK) {
        store_rollback(c->db);
        return r;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return RES_OK;
}

/* The UTC time `years` calendar years before now (29 February falls to 1
 * March), in c->a. */
static const char *years_before(struct ctx *c, long long years)
{
    time_t now = c->now;
    struct tm tm;
    gmtime_r(&now, &tm);
    tm.tm_year -= (int)years;
    time_t then = timegm(&tm);
    char *s = arena_alloc(c->a, 24);
    struct tm t2;
    gmtime_r(&then, &t2);
    strftime(s, 24, "%Y-%m-%dT%H:%M:%SZ", &t2);
    return s;
}

/*
 * See participants.h. One transaction for the whole run: either every
 * expired record is anonymised or none is, and the next run tries again.
 */
result retention_run(struct ctx *c, long long *count)
{
    *count = 0;
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!retention_admin(c)) return ctx_fail(c, RES_FORBIDDEN, "Only administrators run retention");
    long long years;
    int rc = years_now(c, &years);
    if (rc < 0) return ctx_store_failure(c, rc, "retention setting");
    const char *cutoff = years_before(c, years);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    /* Collect the ids first: the updates below change the index being read. */
    store_stmt *st = store_prepare(c->db, "SELECT id FROM participants WHERE anonymised_at IS NULL"
                                          " AND last_contact_at < $1 ORDER BY id");
    if (!st) {
        store_rollback(c->db);
        return ctx_store_failure(c, STORE_E_ERROR, "retention");
    }
    store_bindf(st, "t", cutoff);
    long long *ids;
    int n;
    int s = store_read_ids(st, c->a, &ids, &n);
    if (s < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, s, "retention");
    }
    for (int i = 0; i < n; i++) {
        bool done;
        result r = anonymise_one(c, ids[i], "retention", &done);
        if (r != RES_OK) {
            store_rollback(c->db);
            return r;
        }
        if (done) ++*count;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return RES_OK;
}
