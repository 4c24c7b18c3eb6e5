/*
 * referral_read.c: who sees a referral and reading it: the actor's sides,
 * one referral with its computed fields, the filtered and paged list, and
 * the events of one referral. Every read that reaches a caller is audited
 * (a referral is a care record about a person); referral_access is the
 * quiet check other modules build on. The rules are in referrals.h.
 */
#include "domain/referrals_internal.h"

#include "base/buf.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/entity.h"
#include "domain/participants.h"
#include "store/qbuild.h"

#include <string.h>

static const struct store_column referral_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "participant_id", .kind = COL_INT},
    {.name = "participant_name", .kind = COL_TEXT},
    {.name = "service_id", .kind = COL_TEXT},
    {.name = "service_name", .kind = COL_TEXT},
    {.name = "referring_org_id", .kind = COL_INT},
    {.name = "referring_org_name", .kind = COL_TEXT},
    {.name = "receiving_org_id", .kind = COL_INT},
    {.name = "receiving_org_name", .kind = COL_TEXT},
    {.name = "referrer_user_id", .kind = COL_INT},
    {.name = "self_referral", .kind = COL_BOOL},
    {.name = "status", .kind = COL_TEXT},
    {.name = "snomed_code", .kind = COL_TEXT},
    {.name = "snomed_term", .kind = COL_TEXT},
    {.name = "episode_id", .kind = COL_INT},
    {.name = "urgency", .kind = COL_TEXT},
    {.name = "notes", .kind = COL_TEXT},
    {.name = "reason", .kind = COL_TEXT},
    {.name = "declined_by", .kind = COL_TEXT},
    {.name = "sent_at", .kind = COL_TEXT},
    {.name = "first_contact_at", .kind = COL_TEXT},
    {.name = "accepted_at", .kind = COL_TEXT},
    {.name = "started_at", .kind = COL_TEXT},
    {.name = "ended_at", .kind = COL_TEXT},
    {.name = "waitlist_position", .kind = COL_INT},
    {.name = "needs", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
    {.name = "updated_at", .kind = COL_TEXT},
};

/* The columns above, in order; the NULLs are computed by referral_fill. */
#define REFERRAL_SELECT                                                                            \
    "SELECT r.id, r.participant_id, NULL, r.service_id, r.service_name, r.referring_org_id,"       \
    " ro.name, r.receiving_org_id, po.name, r.referrer_user_id, r.self_referral, r.status,"        \
    " r.snomed_code, NULL, r.episode_id, r.urgency, r.notes, r.reason, r.declined_by, r.sent_at,"  \
    " r.first_contact_at, r.accepted_at, r.started_at, r.ended_at, NULL, NULL, r.created_at,"      \
    " r.updated_at FROM referrals r JOIN organisations ro ON ro.id = r.referring_org_id"           \
    " JOIN organisations po ON po.id = r.receiving_org_id"

static const struct store_column event_cols[] = {
    {.name = "id", .kind = COL_INT},         {.name = "from_status", .kind = COL_TEXT},
    {.name = "to_status", .kind = COL_TEXT}, {.name = "at", .kind = COL_TEXT},
    {.name = "actor", .kind = COL_TEXT},     {.name = "reason", .kind = COL_TEXT},
};

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/* See referrals_internal.h. */
bool referral_signed_in(const struct ctx *c)
{
    return c->by_operator || c->actor;
}

/* Returns a copy in c->a of the text in column col of the current row (NULL stays NULL). */
static const char *col_text(struct ctx *c, store_stmt *st, int col)
{
    return store_col_null(st, col) ? NULL : arena_strdup(c->a, store_col_text(st, col));
}

/* See referrals_internal.h. Texts in *out belong to c->a. */
int referral_core_load(struct ctx *c, long long id, struct referral_core *out)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_prepare(
        c->db, "SELECT id, participant_id, referring_org_id, receiving_org_id, episode_id, status,"
               " service_id, sent_at, first_contact_at FROM referrals WHERE id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        out->id = store_col_int(st, 0);
        out->participant_id = store_col_int(st, 1);
        out->referring_org_id = store_col_int(st, 2);
        out->receiving_org_id = store_col_int(st, 3);
        out->episode_id = store_col_int(st, 4);
        if (!referral_status_parse(store_col_text(st, 5), &out->status)) s = STORE_E_ERROR;
        out->service_id = col_text(c, st, 6);
        out->sent_at = col_text(c, st, 7);
        out->first_contact_at = col_text(c, st, 8);
    }
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/*
 * See referrals_internal.h. Leads and viewers act for no side: they see
 * referrals only in aggregate reports. The provider side of a referral
 * begins when it is sent, except for a self-referral, whose makers are
 * both sides from the start; a draft cancelled before it was sent never
 * reached the provider, so it stays the referrer's alone.
 */
unsigned referral_sides_of(const struct ctx *c, const struct referral_core *r)
{
    if (c->by_operator) return SIDE_REFERRER | SIDE_PROVIDER;
    if (!c->actor) return 0;
    enum role role = c->actor->role;
    if (role != ROLE_LINK_WORKER && role != ROLE_PROVIDER && role != ROLE_ADMIN) return 0;
    long long org = c->actor->org_id;
    unsigned sides = 0;
    if (org && org == r->referring_org_id) sides |= SIDE_REFERRER;
    bool reached = r->status != REFERRAL_DRAFT && (r->status != REFERRAL_CANCELLED || r->sent_at);
    if (org && org == r->receiving_org_id && (reached || org == r->referring_org_id))
        sides |= SIDE_PROVIDER;
    return sides;
}

/* See referrals.h. */
result referral_access(struct ctx *c, long long id, unsigned *sides, enum referral_status *status,
                       long long *participant_id)
{
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    struct referral_core core;
    int rc = id > 0 ? referral_core_load(c, id, &core) : 0;
    if (rc < 0) return ctx_store_failure(c, rc, "referral access");
    unsigned s = rc == 1 ? referral_sides_of(c, &core) : 0;
    if (!s) return ctx_fail(c, RES_NOT_FOUND, "There is no referral with id %lld", id);
    if (sides) *sides = s;
    if (status) *status = core.status;
    if (participant_id) *participant_id = core.participant_id;
    return RES_OK;
}

/*
 * The referral's needs as comma-separated term ids in c->a ("" for none),
 * or NULL when the store failed.
 */
static const char *needs_text(struct ctx *c, long long id)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT term_id FROM referral_needs WHERE referral_id = $1 ORDER BY term_id");
    if (!st) return NULL;
    store_bind_int(st, 1, id);
    buf b;
    buf_init(&b, c->a, 64);
    buf_puts(&b, "");
    int s;
    while ((s = store_step(st)) == STORE_ROW) {
        if (b.len) buf_putc(&b, ',');
        buf_puts(&b, store_col_text(st, 0));
    }
    store_done(st);
    return s < 0 ? NULL : b.data;
}

/* See referrals_internal.h. */
result referral_fill(struct ctx *c, rec *row)
{
    long long id = rec_int(row, "id", 0);
    const char *code = rec_text(row, "snomed_code");
    if (code && strcmp(code, SNOMED_SP_REFERRAL) == 0)
        rec_set_text(row, "snomed_term", SNOMED_SP_REFERRAL_TERM);
    else if (code && strcmp(code, SNOMED_SP_DECLINED) == 0)
        rec_set_text(row, "snomed_term", SNOMED_SP_DECLINED_TERM);
    const char *status = rec_text(row, "status");
    if (status && strcmp(status, "waitlisted") == 0) {
        long long pos = referral_waitlist_position(c, id);
        if (pos < 0) return ctx_store_failure(c, pos, "waitlist position");
        rec_set_int(row, "waitlist_position", pos);
    }
    const char *needs = needs_text(c, id);
    if (!needs) return ctx_store_failure(c, STORE_E_ERROR, "referral needs");
    rec_set_text(row, "needs", needs);
    /* The episode is named by its first referral, which may be one the
     * actor may not see (to another provider): then its id, and with it
     * that referral's existence, is withheld. */
    long long episode = rec_int(row, "episode_id", 0);
    if (episode && episode != id && !c->by_operator) {
        struct referral_core first;
        int rc = referral_core_load(c, episode, &first);
        if (rc < 0) return ctx_store_failure(c, rc, "referral episode");
        if (rc == 0 || !referral_sides_of(c, &first)) rec_set_null(row, "episode_id");
    }
    /* The person's name only for those who may see their personal data,
     * and the free text about them (notes, reason) likewise: an
     * administrator, or a provider once the person withdraws consent to
     * share the referral, sees the referral but not the person. The
     * check's own failure explanation is not this call's. */
    const char *detail = c->detail;
    if (participant_access(c, rec_int(row, "participant_id", 0)) == RES_OK) {
        store_stmt *st = store_prepare(c->db, "SELECT name FROM participants WHERE id = $1");
        if (!st) return ctx_store_failure(c, STORE_E_ERROR, "participant name");
        store_bind_int(st, 1, rec_int(row, "participant_id", 0));
        if (store_step(st) == STORE_ROW) rec_set_text(row, "participant_name", col_text(c, st, 0));
        store_done(st);
    } else {
        rec_set_null(row, "notes");
        rec_set_null(row, "reason");
    }
    c->detail = detail;
    return RES_OK;
}

/* See referrals_internal.h. The record belongs to c->a. */
int referral_load(struct ctx *c, long long id, bool with_warning, rec **out)
{
    store_stmt *st = store_prepare(c->db, REFERRAL_SELECT " WHERE r.id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int s = store_step(st);
    rec *row = NULL;
    if (s == STORE_ROW) row = store_row_rec(st, referral_cols, NCOLS(referral_cols), c->a);
    store_done(st);
    if (s != STORE_ROW) return s;
    if (referral_fill(c, row) != RES_OK) return STORE_E_ERROR;
    if (with_warning) {
        const char *warning = NULL;
        int nerrors = c->nerrors;
        result g = referral_governance_gate(c, rec_int(row, "receiving_org_id", 0), &warning);
        c->nerrors = nerrors; /* a non_compliant organisation is not this read's error */
        if (g == RES_INTERNAL) return STORE_E_ERROR;
        if (warning) rec_set_text(row, "governance_warning", warning);
    }
    *out = row;
    return 1;
}

/* See referrals.h. The record belongs to c->a. */
result referral_get(struct ctx *c, long long id, rec **out)
{
    result res = referral_access(c, id, NULL, NULL, NULL);
    if (res != RES_OK) return res;
    rec *row = NULL;
    int rc = referral_load(c, id, true, &row);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "referral");
    if (audit_read(c, "referrals", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    *out = row;
    return RES_OK;
}

/* SQL true when referral r has reached its provider (as referral_sides_of). */
#define REFERRAL_REACHED_SQL                                                                       \
    "r.status <> 'draft' AND (r.status <> 'cancelled' OR r.sent_at IS NOT NULL)"

/* Adds the clause limiting a list to what the actor sees in queue q. */
static void visible_clause(struct ctx *c, struct store_qb *b, enum referral_queue q)
{
    if (c->by_operator) return;
    const char *org = store_qb_int(c->a, b, c->actor->org_id);
    if (q == REFERRALS_OUTGOING)
        buf_printf(&b->sql, " AND r.referring_org_id = %s", org);
    else if (q == REFERRALS_INCOMING)
        buf_printf(&b->sql, " AND r.receiving_org_id = %s AND " REFERRAL_REACHED_SQL, org);
    else
        buf_printf(&b->sql,
                   " AND (r.referring_org_id = %s OR (r.receiving_org_id = %s"
                   " AND " REFERRAL_REACHED_SQL "))",
                   org, org);
}

/* See referrals.h. Rows belong to c->a. */
result referral_list(struct ctx *c, const struct referral_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!c->by_operator) {
        enum role role = c->actor->role;
        if (role != ROLE_LINK_WORKER && role != ROLE_PROVIDER && role != ROLE_ADMIN)
            return ctx_fail(c, RES_FORBIDDEN,
                            "Leads and viewers see referrals only in aggregate reports");
    }
    enum referral_status st_filter;
    if (q->status && !referral_status_parse(q->status, &st_filter))
        ctx_field_error(c, "status",
                        "status must be one of: draft, sent, accepted, declined, waitlisted,"
                        " started, completed, dropped_out, cancelled");
    if (q->participant_id < 0)
        ctx_field_error(c, "participant_id", "participant_id must be a positive whole number");
    if (q->queue != REFERRALS_ALL && q->queue != REFERRALS_OUTGOING &&
        q->queue != REFERRALS_INCOMING)
        ctx_field_error(c, "queue", "queue must be outgoing, incoming or all");
    long long per, page;
    list_paging(c, q->per_page, q->page, &per, &page);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters");

    struct store_qb b = {0};
    buf_init(&b.sql, c->a, 512);
    buf_puts(&b.sql, " WHERE 1 = 1");
    visible_clause(c, &b, q->queue);
    if (q->status) buf_printf(&b.sql, " AND r.status = %s", store_qb_text(c->a, &b, q->status));
    if (q->service_id)
        buf_printf(&b.sql, " AND r.service_id = %s", store_qb_text(c->a, &b, q->service_id));
    if (q->participant_id)
        buf_printf(&b.sql, " AND r.participant_id = %s", store_qb_int(c->a, &b, q->participant_id));

    static const struct list_source source = {
        .count = "SELECT count(*) FROM referrals r",
        .select = REFERRAL_SELECT,
        .order = "r.created_at DESC, r.id DESC",
        .cols = referral_cols,
        .ncols = NCOLS(referral_cols),
        .what = "referrals",
    };
    result res = list_read_page(c, &source, &b, per, page, out);
    if (res != RES_OK) return res;
    for (int i = 0; i < out->nrows; i++) {
        res = referral_fill(c, out->rows[i]);
        if (res != RES_OK) return res;
    }
    if (out->nrows && audit_read(c, "referrals", 0, out->rows, out->nrows) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}

/* See referrals.h. Rows belong to c->a. */
result referral_events(struct ctx *c, long long id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    long long pid = 0;
    result res = referral_access(c, id, NULL, NULL, &pid);
    if (res != RES_OK) return res;
    /* The reasons are free text about the person: withheld as in referral_fill. */
    const char *detail = c->detail;
    bool sees_person = participant_access(c, pid) == RES_OK;
    c->detail = detail;
    store_stmt *st =
        store_prepare(c->db, "SELECT id, from_status, to_status, at, actor, reason"
                             " FROM referral_events WHERE referral_id = $1 ORDER BY id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "referral events");
    store_bind_int(st, 1, id);
    int s = store_page_read(st, event_cols, NCOLS(event_cols), c->a, out);
    if (s < 0) return ctx_store_failure(c, s, "referral events");
    for (int i = 0; i < out->nrows && !sees_person; i++)
        rec_set_null(out->rows[i], "reason");
    if (audit_read(c, "referrals", id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}
