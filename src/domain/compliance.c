/*
 * compliance.c: whether organisations have their policies in order, read
 * from the policy register (see compliance.h for the rules).
 *
 * The required domains are the table policy_required_domains; the verdict
 * for one organisation is computed by judge() from the newest policy of each
 * domain, so one organisation (policy_compliance) and a whole list
 * (compliance_list) follow the same rule. Dates are YYYY-MM-DD text, which
 * compares as dates, so "expired" and "expiring" are string comparisons
 * against today and the last day of the window.
 */
#include "domain/compliance.h"

#include "base/date.h"

#include "domain/governance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REQUIRED 8 /* the size of struct compliance's arrays */

/* The newest policy seen so far in each required domain, for one organisation. */
struct tally {
    long long organisation_id;
    bool seen[MAX_REQUIRED];
    const char *review_due[MAX_REQUIRED]; /* owned by the ctx arena */
};

/*
 * Returns the name of a status as the API and pages spell it. The string is
 * static.
 */
const char *compliance_status_name(enum compliance_status s)
{
    return s == COMPLIANCE_COMPLIANT  ? "compliant"
           : s == COMPLIANCE_EXPIRING ? "expiring"
                                      : "non_compliant";
}

/*
 * Parses a status name into *out. Returns false when name is not one of
 * compliant, expiring or non_compliant.
 */
static bool status_parse(const char *name, enum compliance_status *out)
{
    static const enum compliance_status all[] = {COMPLIANCE_COMPLIANT, COMPLIANCE_EXPIRING,
                                                 COMPLIANCE_NON_COMPLIANT};
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(name, compliance_status_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

/*
 * Writes into today and until (each 11 bytes) the UTC date of the ctx's
 * clock and the last date of the review window, COMPLIANCE_WINDOW_DAYS later,
 * both as YYYY-MM-DD.
 */
static void window_dates(const struct ctx *c, char today[11], char until[11])
{
    snprintf(today, 11, "%s", date_offset(c->a, c->now, 0, false));
    snprintf(until, 11, "%s", date_offset(c->a, c->now, COMPLIANCE_WINDOW_DAYS, false));
}

/*
 * Returns the position of domain in policy_required_domains, or -1 when
 * the domain is optional (insurance, background checks) or unknown.
 */
static int required_index(const char *domain)
{
    for (int i = 0; domain && policy_required_domains[i] && i < MAX_REQUIRED; i++)
        if (strcmp(policy_required_domains[i], domain) == 0) return i;
    return -1;
}

/*
 * Records one policy row in the tally. Rows arrive newest first within each
 * domain, so the first one seen for a domain is the one that counts. The
 * review date is copied into arena a.
 */
static void tally_add(struct tally *t, arena *a, const char *domain, const char *review_due)
{
    int i = required_index(domain);
    if (i < 0 || t->seen[i]) return;
    t->seen[i] = true;
    t->review_due[i] = arena_strdup(a, review_due ? review_due : "");
}

/*
 * Fills out with the verdict for the tallied organisation: each required
 * domain is missing, expired, expiring or in order, and the status follows
 * (missing or expired: non-compliant; else expiring: expiring). The domain
 * names in out are the static strings of policy_required_domains.
 */
static void judge(const struct tally *t, const char *today, const char *until,
                  struct compliance *out)
{
    memset(out, 0, sizeof *out);
    out->organisation_id = t->organisation_id;
    for (int i = 0; policy_required_domains[i] && i < MAX_REQUIRED; i++) {
        const char *domain = policy_required_domains[i];
        if (!t->seen[i])
            out->missing[out->nmissing++] = domain;
        else if (strcmp(t->review_due[i], today) < 0)
            out->expired[out->nexpired++] = domain;
        else if (strcmp(t->review_due[i], until) <= 0)
            out->expiring[out->nexpiring++] = domain;
    }
    out->status = out->nmissing || out->nexpired ? COMPLIANCE_NON_COMPLIANT
                  : out->nexpiring               ? COMPLIANCE_EXPIRING
                                                 : COMPLIANCE_COMPLIANT;
}

/* Returns RES_OK when someone is signed in (or the operator runs it), else RES_UNAUTHENTICATED. */
static result signed_in(struct ctx *c)
{
    if (c->by_operator || c->actor) return RES_OK;
    return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
}

/*
 * Computes one organisation's compliance now into *out (see compliance.h).
 * The domain names in *out are static strings. RES_NOT_FOUND when there is
 * no such organisation; any signed-in actor may ask.
 */
result policy_compliance(struct ctx *c, long long organisation_id, struct compliance *out)
{
    result res = signed_in(c);
    if (res != RES_OK) return res;
    int rc = organisation_id > 0 ? store_exists(c->db, "organisations", organisation_id) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "compliance organisation");
    if (rc == 0)
        return ctx_fail(c, RES_NOT_FOUND, "There is no organisation with id %lld", organisation_id);
    char today[11], until[11];
    window_dates(c, today, until);
    struct tally t = {.organisation_id = organisation_id};
    store_stmt *st = store_prepare(c->db, "SELECT domain, review_due FROM policies"
                                          " WHERE organisation_id = $1"
                                          " ORDER BY domain, approved_on DESC, id DESC");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "compliance policies");
    store_bind_int(st, 1, organisation_id);
    while ((rc = store_step(st)) == STORE_ROW)
        tally_add(&t, c->a, store_col_text(st, 0), store_col_text(st, 1));
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "compliance policies");
    judge(&t, today, until, out);
    return RES_OK;
}

/* An organisation id and where its tally sits, for finding tallies by id. */
struct org_slot {
    long long id;
    int index;
};

/* Orders slots by organisation id, for qsort and bsearch. */
static int slot_cmp(const void *a, const void *b)
{
    long long x = ((const struct org_slot *)a)->id, y = ((const struct org_slot *)b)->id;
    return x < y ? -1 : x > y;
}

/*
 * Checks the list filters, adding a field error for each bad one: place_id
 * must be 0 or an existing place, status NULL or a status name. Returns
 * RES_OK, RES_INVALID (with the errors) or RES_INTERNAL.
 */
static result check_filters(struct ctx *c, long long place_id, const char *status,
                            enum compliance_status *want)
{
    if (place_id < 0) {
        ctx_field_error(c, "place_id", "The place must be a place's number, like 3");
    } else if (place_id > 0) {
        int rc = store_exists(c->db, "places", place_id);
        if (rc < 0) return ctx_store_failure(c, rc, "compliance place");
        if (rc == 0) ctx_field_error(c, "place_id", "There is no place with id %lld", place_id);
    }
    if (status && !status_parse(status, want))
        ctx_field_error(c, "status", "The status must be compliant, expiring or non_compliant");
    return c->nerrors ? ctx_fail(c, RES_INVALID, "Check the compliance filters") : RES_OK;
}

/*
 * Computes the compliance of every organisation serving place_id (every one
 * when 0), keeping those with the status named (all when NULL), ordered by
 * organisation name. A provider sees only its own organisation. *out is an
 * array of *n in c->a. RES_INVALID names a bad filter.
 */
result compliance_list(struct ctx *c, long long place_id, const char *status,
                       struct compliance **out, int *n)
{
    *out = NULL;
    *n = 0;
    result res = signed_in(c);
    if (res != RES_OK) return res;
    enum compliance_status want = COMPLIANCE_COMPLIANT;
    res = check_filters(c, place_id, status, &want);
    if (res != RES_OK) return res;
    long long only = !c->by_operator && c->actor->role == ROLE_PROVIDER ? c->actor->org_id : 0;

    /* The organisations, in name order. */
    store_stmt *st = store_prepare(
        c->db, "SELECT id FROM organisations WHERE ($1 = 0 OR id IN (SELECT organisation_id"
               " FROM organisation_places WHERE place_id = $1)) AND ($2 = 0 OR id = $2)"
               " ORDER BY name, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "compliance organisations");
    store_bindf(st, "ii", place_id, only);
    int cap = 64, count = 0, rc;
    struct tally *tallies = arena_alloc(c->a, sizeof *tallies * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (count == cap) {
            struct tally *bigger = arena_alloc(c->a, sizeof *bigger * (size_t)cap * 2);
            memcpy(bigger, tallies, sizeof *tallies * (size_t)cap);
            tallies = bigger;
            cap *= 2;
        }
        tallies[count++].organisation_id = store_col_int(st, 0);
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "compliance organisations");
    if (count == 0) return RES_OK;

    /* Their policies, newest first within each organisation and domain. */
    struct org_slot *slots = arena_alloc(c->a, sizeof *slots * (size_t)count);
    for (int i = 0; i < count; i++)
        slots[i] = (struct org_slot){tallies[i].organisation_id, i};
    qsort(slots, (size_t)count, sizeof *slots, slot_cmp);
    st = store_prepare(c->db, "SELECT organisation_id, domain, review_due FROM policies"
                              " WHERE ($1 = 0 OR organisation_id IN (SELECT organisation_id"
                              " FROM organisation_places WHERE place_id = $1))"
                              " AND ($2 = 0 OR organisation_id = $2)"
                              " ORDER BY organisation_id, domain, approved_on DESC, id DESC");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "compliance policies");
    store_bindf(st, "ii", place_id, only);
    while ((rc = store_step(st)) == STORE_ROW) {
        struct org_slot key = {store_col_int(st, 0), 0};
        struct org_slot *hit = bsearch(&key, slots, (size_t)count, sizeof *slots, slot_cmp);
        if (hit)
            tally_add(&tallies[hit->index], c->a, store_col_text(st, 1), store_col_text(st, 2));
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "compliance policies");

    char today[11], until[11];
    window_dates(c, today, until);
    struct compliance *list = arena_alloc(c->a, sizeof *list * (size_t)count);
    int kept = 0;
    for (int i = 0; i < count; i++) {
        judge(&tallies[i], today, until, &list[kept]);
        if (!status || list[kept].status == want) kept++;
    }
    *out = list;
    *n = kept;
    return RES_OK;
}
