/*
 * views.c: governance views computed from the registers (see views.h):
 * compliance with names, chains of accountability, sharing agreements due
 * for review, and the digest for a place.
 *
 * Nothing here writes a record; the one write is the audit entry for a read
 * of people's names. "Today" is the UTC date of the ctx's clock, so tests
 * and chis tick can move it.
 */
#include "domain/views.h"

#include "base/date.h"

#include "domain/audit.h"
#include "domain/governance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const digest_severities[] = {"urgent", "high", "medium", "low", NULL};

/*
 * Returns a larger copy of array arr (count elements of size bytes, room
 * for *cap) when it is full, else arr itself; *cap grows with it. The copy
 * belongs to arena a, like the original.
 */
static void *grow(arena *a, void *arr, int count, int *cap, size_t size)
{
    if (arr && count < *cap) return arr;
    int bigger = *cap ? *cap * 2 : 16;
    void *copy = arena_alloc(a, size * (size_t)bigger);
    if (arr) memcpy(copy, arr, size * (size_t)count);
    *cap = bigger;
    return copy;
}

/* Returns a copy in c->a of the text in column col of the current row (NULL stays NULL). */
static const char *col_text(struct ctx *c, store_stmt *st, int col)
{
    return store_col_null(st, col) ? NULL : arena_strdup(c->a, store_col_text(st, col));
}

/* Returns RES_OK when someone is signed in (or the operator runs it), else RES_UNAUTHENTICATED. */
static result signed_in(struct ctx *c)
{
    if (c->by_operator || c->actor) return RES_OK;
    return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
}

/*
 * Adds a field error for place_id unless it is 0 (no place) or an existing
 * place. Returns RES_OK, or RES_INTERNAL when the store failed.
 */
static result check_place(struct ctx *c, long long place_id)
{
    if (place_id < 0) {
        ctx_field_error(c, "place_id", "The place must be a place's number, like 3");
        return RES_OK;
    }
    if (place_id == 0) return RES_OK;
    int rc = store_exists(c->db, "places", place_id);
    if (rc < 0) return ctx_store_failure(c, rc, "views place");
    if (rc == 0) ctx_field_error(c, "place_id", "There is no place with id %lld", place_id);
    return RES_OK;
}

/* Orders ids ascending, for qsort. */
static int id_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/*
 * Records in the audit log that the people with these ids (n of them, in
 * any order, repeats allowed) were read. The ids array is sorted in place.
 */
static result audit_people(struct ctx *c, long long *ids, int n)
{
    if (n == 0) return RES_OK;
    qsort(ids, (size_t)n, sizeof *ids, id_cmp);
    rec **rows = arena_alloc(c->a, sizeof *rows * (size_t)n);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (i && ids[i] == ids[i - 1]) continue;
        rows[k] = rec_new(c->a);
        rec_set_int(rows[k++], "id", ids[i]);
    }
    return audit_read(c, "people", 0, rows, k);
}

/* ---- compliance ---- */

/*
 * Returns organisation id's name in c->a, or NULL when there is none (or
 * the store failed, which the caller's other reads will also report).
 */
static const char *organisation_name(struct ctx *c, long long id)
{
    store_stmt *st = store_prepare(c->db, "SELECT name FROM organisations WHERE id = $1");
    if (!st) return NULL;
    store_bind_int(st, 1, id);
    const char *name = store_step(st) == STORE_ROW ? col_text(c, st, 0) : NULL;
    store_done(st);
    return name;
}

/* See views.h. The array belongs to c->a. */
result compliance_overview(struct ctx *c, long long place_id, const char *status,
                           struct compliance_row **out, int *n)
{
    struct compliance *list = NULL;
    *out = NULL;
    *n = 0;
    result res = compliance_list(c, place_id, status, &list, n);
    if (res != RES_OK) return res;
    struct compliance_row *rows = arena_alloc(c->a, sizeof *rows * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++) {
        rows[i].c = list[i];
        rows[i].name = organisation_name(c, list[i].organisation_id);
    }
    *out = rows;
    return RES_OK;
}

/* See views.h. */
result organisation_compliance(struct ctx *c, long long organisation_id, struct compliance_row *out)
{
    result res = signed_in(c);
    if (res != RES_OK) return res;
    if (!c->by_operator && c->actor->role == ROLE_PROVIDER && c->actor->org_id != organisation_id)
        return ctx_fail(c, RES_FORBIDDEN,
                        "Providers see the compliance of their own organisation only");
    res = policy_compliance(c, organisation_id, &out->c);
    if (res != RES_OK) return res;
    out->name = organisation_name(c, organisation_id);
    return RES_OK;
}

/* ---- accountability chains ---- */

/* One line of accountability with the names along it. */
struct line {
    int domain; /* index in accountability_domains */
    long long organisation_id;
    const char *organisation_name;
    long long person_id;
    const char *person_name;
    long long person_organisation_id;
    const char *person_organisation_name;
};

/* Returns the index of name in the NULL-terminated list, or -1. */
static int index_in(const char *const *list, const char *name)
{
    for (int i = 0; name && list[i]; i++)
        if (strcmp(list[i], name) == 0) return i;
    return -1;
}

/* Orders lines by domain, then organisation id, for qsort and bsearch. */
static int line_cmp(const void *a, const void *b)
{
    const struct line *x = *(const struct line *const *)a, *y = *(const struct line *const *)b;
    if (x->domain != y->domain) return x->domain < y->domain ? -1 : 1;
    return x->organisation_id < y->organisation_id ? -1 : x->organisation_id > y->organisation_id;
}

/* Returns the line of organisation org in domain from the sorted index (n of them), or NULL. */
static const struct line *line_of(struct line **index, int n, int domain, long long org)
{
    struct line key = {.domain = domain, .organisation_id = org};
    const struct line *k = &key;
    struct line **hit = bsearch(&k, index, (size_t)n, sizeof *index, line_cmp);
    return hit ? *hit : NULL;
}

/*
 * Fills chain ch by walking up from line first: each step is one line;
 * the next is the line of the accountable person's organisation in the same
 * domain. Stops at an organisation with no line, or after CHAIN_MAX_STEPS
 * (then truncated). Steps belong to c->a.
 */
static void walk_chain(struct ctx *c, struct line **index, int nlines, const struct line *first,
                       struct chain *ch)
{
    ch->domain = accountability_domains[first->domain];
    ch->organisation_id = first->organisation_id;
    ch->organisation_name = first->organisation_name;
    ch->steps = arena_alloc(c->a, sizeof *ch->steps * CHAIN_MAX_STEPS);
    const struct line *at = first;
    while (at && ch->nsteps < CHAIN_MAX_STEPS) {
        ch->steps[ch->nsteps++] =
            (struct chain_step){at->organisation_id, at->person_id, at->person_name,
                                at->person_organisation_id, at->person_organisation_name};
        at = line_of(index, nlines, at->domain, at->person_organisation_id);
    }
    ch->truncated = at != NULL;
}

/* See views.h. */
result accountability_chains(struct ctx *c, const char *domain, struct chain **out, int *n)
{
    *out = NULL;
    *n = 0;
    result res = entity_list_access(c, &entity_accountability);
    if (res != RES_OK) return res;
    if (domain && index_in(accountability_domains, domain) < 0) {
        ctx_field_error(c, "domain",
                        "The domain must be safeguarding, quality, data, capacity or general");
        return ctx_fail(c, RES_INVALID, "Check the domain");
    }
    store_stmt *st = store_prepare(
        c->db, "SELECT a.domain, a.organisation_id, o.name, a.accountable_person_id, p.name,"
               " p.organisation_id, po.name FROM accountability a"
               " JOIN organisations o ON o.id = a.organisation_id"
               " JOIN people p ON p.id = a.accountable_person_id"
               " JOIN organisations po ON po.id = p.organisation_id"
               " WHERE ($1 IS NULL OR a.domain = $1) ORDER BY o.name, o.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "accountability chains");
    store_bind_text(st, 1, domain);
    struct line *lines = NULL;
    int nlines = 0, cap = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        int d = index_in(accountability_domains, store_col_text(st, 0));
        if (d < 0) continue;
        lines = grow(c->a, lines, nlines, &cap, sizeof *lines);
        lines[nlines++] = (struct line){d,
                                        store_col_int(st, 1),
                                        col_text(c, st, 2),
                                        store_col_int(st, 3),
                                        col_text(c, st, 4),
                                        store_col_int(st, 5),
                                        col_text(c, st, 6)};
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "accountability chains");
    if (nlines == 0) return RES_OK;

    struct line **index = arena_alloc(c->a, sizeof *index * (size_t)nlines);
    for (int i = 0; i < nlines; i++)
        index[i] = &lines[i];
    qsort(index, (size_t)nlines, sizeof *index, line_cmp);
    struct chain *chains = arena_alloc(c->a, sizeof *chains * (size_t)nlines);
    long long *people = arena_alloc(c->a, sizeof *people * (size_t)nlines);
    int k = 0;
    for (int d = 0; accountability_domains[d]; d++)
        for (int i = 0; i < nlines; i++) /* in organisation name order */
            if (lines[i].domain == d) {
                people[k] = lines[i].person_id;
                walk_chain(c, index, nlines, &lines[i], &chains[k++]);
            }
    res = audit_people(c, people, k);
    if (res != RES_OK) return res;
    *out = chains;
    *n = k;
    return RES_OK;
}

/* ---- sharing agreements due for review ---- */

/*
 * Fills the parties of agreement a (ids and names, by name) from the store.
 * Returns RES_OK or RES_INTERNAL.
 */
static result load_parties(struct ctx *c, struct agreement_due *a)
{
    store_stmt *st =
        store_prepare(c->db, "SELECT o.id, o.name FROM sharing_agreement_parties sp"
                             " JOIN organisations o ON o.id = sp.organisation_id"
                             " WHERE sp.sharing_agreement_id = $1 ORDER BY o.name, o.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "agreement parties");
    store_bind_int(st, 1, a->id);
    int cap = 0, capn = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        a->party_ids = grow(c->a, a->party_ids, a->nparties, &cap, sizeof *a->party_ids);
        a->party_names = grow(c->a, a->party_names, a->nparties, &capn, sizeof *a->party_names);
        a->party_ids[a->nparties] = store_col_int(st, 0);
        a->party_names[a->nparties++] = col_text(c, st, 1);
    }
    store_done(st);
    return rc < 0 ? ctx_store_failure(c, rc, "agreement parties") : RES_OK;
}

/* See views.h. */
result sharing_agreements_due(struct ctx *c, long long days, long long place_id,
                              struct agreement_due **out, int *n)
{
    *out = NULL;
    *n = 0;
    result res = entity_list_access(c, &entity_sharing_agreements);
    if (res != RES_OK) return res;
    if (days < 0 || days > DUE_MAX_DAYS)
        ctx_field_error(c, "days", "The number of days must be from 0 to %d", DUE_MAX_DAYS);
    res = check_place(c, place_id);
    if (res != RES_OK) return res;
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the filters");

    store_stmt *st = store_prepare(
        c->db, "SELECT id, title, lawful_basis, start_date, review_date FROM sharing_agreements"
               " WHERE review_date <= $1 AND ($2 = 0 OR id IN (SELECT sp.sharing_agreement_id"
               " FROM sharing_agreement_parties sp JOIN organisation_places op"
               " ON op.organisation_id = sp.organisation_id WHERE op.place_id = $2))"
               " ORDER BY review_date, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "agreements due");
    store_bindf(st, "ti", date_offset(c->a, c->now, days, false), place_id);
    struct agreement_due *list = NULL;
    int count = 0, cap = 0, rc;
    const char *today = date_offset(c->a, c->now, 0, false);
    while ((rc = store_step(st)) == STORE_ROW) {
        list = grow(c->a, list, count, &cap, sizeof *list);
        struct agreement_due *a = &list[count++];
        *a = (struct agreement_due){.id = store_col_int(st, 0),
                                    .title = col_text(c, st, 1),
                                    .lawful_basis = col_text(c, st, 2),
                                    .start_date = col_text(c, st, 3),
                                    .review_date = col_text(c, st, 4)};
        a->days_left = date_days_between(today, a->review_date);
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "agreements due");
    for (int i = 0; i < count; i++) {
        res = load_parties(c, &list[i]);
        if (res != RES_OK) return res;
    }
    *out = list;
    *n = count;
    return RES_OK;
}

/* ---- the digest ---- */

/* Counts open and acknowledged concerns about organisations serving the place, by severity. */
static result digest_concerns(struct ctx *c, struct digest *d)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT severity, count(*) FROM concerns WHERE status IN ('open', 'acknowledged')"
               " AND ($1 = 0 OR organisation_id IN (SELECT organisation_id"
               " FROM organisation_places WHERE place_id = $1)) GROUP BY severity");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "digest concerns");
    store_bind_int(st, 1, d->place_id);
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        int i = index_in(digest_severities, store_col_text(st, 0));
        if (i >= 0) d->open_by_severity[i] = store_col_int(st, 1);
    }
    store_done(st);
    return rc < 0 ? ctx_store_failure(c, rc, "digest concerns") : RES_OK;
}

/* Counts the organisations serving the place by compliance status, whoever asks. */
static result digest_compliance(struct ctx *c, struct digest *d)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT id FROM organisations WHERE ($1 = 0 OR id IN (SELECT organisation_id"
               " FROM organisation_places WHERE place_id = $1)) ORDER BY id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "digest organisations");
    store_bind_int(st, 1, d->place_id);
    long long *ids = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        ids = grow(c->a, ids, n, &cap, sizeof *ids);
        ids[n++] = store_col_int(st, 0);
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "digest organisations");
    for (int i = 0; i < n; i++) {
        struct compliance one;
        result res = policy_compliance(c, ids[i], &one);
        if (res != RES_OK) return res;
        d->compliance[one.status]++;
    }
    return RES_OK;
}

/* Lists the place's actions not done and due before today, earliest first. */
static result digest_overdue(struct ctx *c, struct digest *d, bool with_names)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT a.id, a.title, a.due_date, a.owner_person_id, p.name FROM actions a"
               " JOIN people p ON p.id = a.owner_person_id"
               " WHERE a.status <> 'done' AND a.due_date < $1 AND ($2 = 0 OR a.place_id = $2)"
               " ORDER BY a.due_date, a.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "digest actions");
    store_bindf(st, "ti", date_offset(c->a, c->now, 0, false), d->place_id);
    int cap = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        d->overdue = grow(c->a, d->overdue, d->noverdue, &cap, sizeof *d->overdue);
        d->overdue[d->noverdue++] =
            (struct digest_action){store_col_int(st, 0), col_text(c, st, 1), col_text(c, st, 2),
                                   store_col_int(st, 3), with_names ? col_text(c, st, 4) : NULL};
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "digest actions");
    if (!with_names) return RES_OK;
    long long *ids = arena_alloc(c->a, sizeof *ids * (size_t)(d->noverdue + 1));
    for (int i = 0; i < d->noverdue; i++)
        ids[i] = d->overdue[i].owner_person_id;
    return audit_people(c, ids, d->noverdue);
}

/*
 * Lists connections recorded in the last DIGEST_NEW_DAYS for the place, or
 * with either organisation serving it; newest first.
 */
static result digest_connections(struct ctx *c, struct digest *d)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT c.id, c.from_organisation_id, f.name, c.to_organisation_id, t.name,"
               " c.kind, c.start_date, c.created_at FROM connections c"
               " JOIN organisations f ON f.id = c.from_organisation_id"
               " JOIN organisations t ON t.id = c.to_organisation_id"
               " WHERE c.created_at >= $1 AND ($2 = 0 OR c.place_id = $2"
               " OR c.from_organisation_id IN (SELECT organisation_id FROM organisation_places"
               " WHERE place_id = $2) OR c.to_organisation_id IN (SELECT organisation_id"
               " FROM organisation_places WHERE place_id = $2))"
               " ORDER BY c.created_at DESC, c.id DESC");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "digest connections");
    store_bindf(st, "ti", date_offset(c->a, c->now, -DIGEST_NEW_DAYS, true), d->place_id);
    int cap = 0, rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        d->connections = grow(c->a, d->connections, d->nconnections, &cap, sizeof *d->connections);
        d->connections[d->nconnections++] =
            (struct digest_connection){.id = store_col_int(st, 0),
                                       .from_organisation_id = store_col_int(st, 1),
                                       .from_name = col_text(c, st, 2),
                                       .to_organisation_id = store_col_int(st, 3),
                                       .to_name = col_text(c, st, 4),
                                       .kind = col_text(c, st, 5),
                                       .start_date = col_text(c, st, 6),
                                       .created_at = col_text(c, st, 7)};
    }
    store_done(st);
    return rc < 0 ? ctx_store_failure(c, rc, "digest connections") : RES_OK;
}

/* See views.h. */
result digest_build(struct ctx *c, long long place_id, bool with_names, struct digest *out)
{
    memset(out, 0, sizeof *out);
    result res = signed_in(c);
    if (res != RES_OK) return res;
    res = check_place(c, place_id);
    if (res != RES_OK) return res;
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the place");
    out->place_id = place_id;
    if (place_id) {
        store_stmt *st = store_prepare(c->db, "SELECT name FROM places WHERE id = $1");
        if (!st) return ctx_store_failure(c, STORE_E_ERROR, "digest place");
        store_bind_int(st, 1, place_id);
        if (store_step(st) == STORE_ROW) out->place_name = col_text(c, st, 0);
        store_done(st);
    }
    if ((res = digest_concerns(c, out)) != RES_OK) return res;
    if ((res = digest_compliance(c, out)) != RES_OK) return res;
    if ((res = digest_overdue(c, out, with_names)) != RES_OK) return res;
    if ((res = digest_connections(c, out)) != RES_OK) return res;
    return sharing_agreements_due(c, DIGEST_DUE_DAYS, place_id, &out->agreements,
                                  &out->nagreements);
}
