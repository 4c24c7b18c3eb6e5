/*
 * referrals.c: making a referral and moving it through its lifecycle, with
 * the governance gate both rest on. The table of allowed transitions is in
 * referral_rules.c, reading in referral_read.c, capacity and the waitlist
 * in referral_capacity.c; the rules are written out in referrals.h.
 *
 * A referral freezes, when it is made, the equity dimensions of the person
 * (place, neighbourhood, deprivation quintile, age band, sex, ethnic group)
 * so that reports over many referrals read the referrals table alone and
 * later changes to the person's record do not rewrite history.
 */
#include "domain/referrals_internal.h"

#include "base/buf.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/entity.h"
#include "domain/participants.h"

#include <string.h>

/* ---- the governance gate ---- */

/* The domains joined for a sentence ("data management, safeguarding"), in c->a. */
static const char *domain_list(struct ctx *c, const char *const *names, int n)
{
    buf b;
    buf_init(&b, c->a, 64);
    buf_puts(&b, "");
    for (int i = 0; i < n; i++) {
        if (i) buf_puts(&b, ", ");
        for (const char *p = names[i]; *p; p++)
            buf_putc(&b, *p == '_' ? ' ' : *p);
    }
    return b.data;
}

/* Organisation id's name in c->a, or "the provider" when it has none. */
static const char *org_name(struct ctx *c, long long id)
{
    store_stmt *st = store_prepare(c->db, "SELECT name FROM organisations WHERE id = $1");
    const char *name = NULL;
    if (st) {
        store_bind_int(st, 1, id);
        if (store_step(st) == STORE_ROW) name = arena_strdup(c->a, store_col_text(st, 0));
        store_done(st);
    }
    return name ? name : "the provider";
}

/* See referrals_internal.h. The warning belongs to c->a. */
result referral_governance_gate(struct ctx *c, long long org, const char **warning)
{
    *warning = NULL;
    struct compliance cp;
    const char *detail = c->detail;
    result res = policy_compliance(c, org, &cp);
    if (res == RES_NOT_FOUND) { /* no such organisation: nothing to judge */
        c->detail = detail;
        return RES_OK;
    }
    if (res != RES_OK) return res;
    const char *name = org_name(c, org);
    if (cp.status == COMPLIANCE_NON_COMPLIANT) {
        buf why;
        buf_init(&why, c->a, 128);
        if (cp.nmissing)
            buf_printf(&why, "missing %s: %s", cp.nmissing == 1 ? "policy" : "policies",
                       domain_list(c, cp.missing, cp.nmissing));
        if (cp.nexpired)
            buf_printf(&why, "%sexpired %s: %s", cp.nmissing ? "; " : "",
                       cp.nexpired == 1 ? "policy" : "policies",
                       domain_list(c, cp.expired, cp.nexpired));
        ctx_field_error(c, "service_id",
                        "%s is not compliant with the governance policies (%s), so referrals to"
                        " its services are refused until that is put right",
                        name, why.data);
        return ctx_fail(c, RES_INVALID, "%s is not compliant with the governance policies (%s)",
                        name, why.data);
    }
    if (cp.status == COMPLIANCE_EXPIRING)
        *warning = arena_printf(c->a,
                                "%s has %s due for review within %d days: %s. Referrals will be"
                                " refused if %s lapse.",
                                name, cp.nexpiring == 1 ? "a policy" : "policies",
                                COMPLIANCE_WINDOW_DAYS, domain_list(c, cp.expiring, cp.nexpiring),
                                cp.nexpiring == 1 ? "it is allowed to" : "they are allowed to");
    return RES_OK;
}

/* ---- shared checks ---- */

/*
 * Trimmed, valid text of at most REFERRAL_TEXT_MAX characters in c->a, or
 * NULL (blank, or with a field error when it is not acceptable).
 */
static const char *clean_text(struct ctx *c, const char *field, const char *s)
{
    if (!s) return NULL;
    const char *t = entity_clean_text(c, field, s, REFERRAL_TEXT_MAX);
    return t && *t ? t : NULL;
}

/* Undo the transaction and pass the failure on (code 0: the failure is already recorded). */
static result fail_tx(struct ctx *c, long long code, const char *what)
{
    store_rollback(c->db);
    return code == 0 ? RES_INTERNAL : ctx_store_failure(c, code, what);
}

/* Append one event to the referral's history. 0 or STORE_E_*. */
static long long add_event(struct ctx *c, long long id, const char *from, const char *to,
                           const char *reason)
{
    long long user = c->actor ? c->actor->user_id : 0;
    long long n = store_run(c->db,
                            "INSERT INTO referral_events (referral_id, from_status, to_status, at,"
                            " actor, actor_user_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                            "ittttIt", id, from, to, c->now_iso, actor_label(c), user, reason);
    return n < 0 ? n : 0;
}

/*
 * A copy of referral row r for the audit log (in c->a), without the
 * person's name or the free text about them (notes, reason): the log is
 * kept after erasure and administrators read it, so it names only what
 * changed. The text itself lives in the referral and its events, which
 * anonymising clears.
 */
static rec *audit_image(struct ctx *c, const rec *r)
{
    if (!r) return NULL;
    static const char *const personal[] = {"participant_name", "notes", "reason"};
    rec *copy = rec_new(c->a);
    for (int i = 0; i < r->n; i++) {
        bool skip = false;
        for (size_t k = 0; k < sizeof personal / sizeof personal[0] && !skip; k++)
            skip = strcmp(r->f[i].name, personal[k]) == 0;
        if (!skip) rec_set(copy, r->f[i].name, &r->f[i].v);
    }
    return copy;
}

/* Note contact with the person; only a store failure stops the write. */
static result touch(struct ctx *c, long long participant_id)
{
    const char *detail = c->detail;
    result res = participant_touch(c, participant_id);
    if (res == RES_INTERNAL) return res;
    c->detail = detail;
    return RES_OK;
}

/* ---- creating ---- */

/* What a referral takes from its directory service. */
struct service_info {
    const char *name;
    long long org;      /* the chis organisation receiving; 0 when none is linked */
    long long place_id; /* of its first location; 0 when none */
};

/* 1 with *out when service_id is a live, published directory service; 0 when not; STORE_E_*. */
static int service_info(struct ctx *c, const char *service_id, struct service_info *out)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT s.name, o.organisation_id, (SELECT l.place_id FROM dir_service_at_locations"
               " sal JOIN dir_locations l ON l.id = sal.location_id WHERE sal.service_id = s.id"
               " ORDER BY sal.rid LIMIT 1) FROM dir_services s"
               " JOIN dir_organizations o ON o.id = s.organization_id"
               " WHERE s.id = $1 AND s.deleted_at IS NULL AND s.state = 'published'");
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, service_id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        out->name = arena_strdup(c->a, store_col_text(st, 0));
        out->org = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        out->place_id = store_col_null(st, 2) ? 0 : store_col_int(st, 2);
    }
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* Checks the needs (each an existing taxonomy term id); the distinct ones go to *out. */
static int check_needs(struct ctx *c, const struct referral_input *in, const char ***out)
{
    int n = 0;
    if (in->nneeds < 0 || (in->nneeds > 0 && !in->needs)) return 0;
    if (in->nneeds > REFERRAL_MAX_NEEDS) {
        ctx_field_error(c, "needs", "Choose at most %d needs", REFERRAL_MAX_NEEDS);
        return 0;
    }
    const char **list = arena_alloc(c->a, sizeof *list * (size_t)(in->nneeds + 1));
    for (int i = 0; i < in->nneeds; i++) {
        const char *id = in->needs[i];
        const char *field = arena_printf(c->a, "needs[%d]", i);
        long long one = 0;
        int rc = id && *id
                     ? store_query_int(c->db, &one,
                                       "SELECT 1 FROM dir_taxonomy_terms WHERE id = $1", "t", id)
                     : 0;
        if (rc < 0) return rc;
        if (rc == 0) {
            ctx_field_error(c, field, "There is no taxonomy term with id '%s'", id ? id : "");
            continue;
        }
        bool seen = false;
        for (int j = 0; j < n && !seen; j++)
            seen = strcmp(list[j], id) == 0;
        if (!seen) list[n++] = id;
    }
    *out = list;
    return n;
}

/* The person's frozen equity columns. */
struct equity {
    long long place_id, neighbourhood_id, imd_quintile;
    const char *age_band, *sex, *ethnicity_group;
};

/* Reads the participant's equity dimensions today; 1, 0 (none) or STORE_E_*. */
static int equity_of(struct ctx *c, long long participant_id, long long fallback_place,
                     struct equity *e)
{
    memset(e, 0, sizeof *e);
    store_stmt *st = store_prepare(c->db, "SELECT place_id, neighbourhood_id, imd_decile,"
                                          " date_of_birth, sex, ethnicity FROM participants"
                                          " WHERE id = $1");
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, participant_id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        e->place_id = store_col_null(st, 0) ? fallback_place : store_col_int(st, 0);
        e->neighbourhood_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        e->imd_quintile = store_col_null(st, 2) ? 0 : (store_col_int(st, 2) + 1) / 2;
        const char *today = arena_strndup(c->a, c->now_iso, 10);
        if (!store_col_null(st, 3)) e->age_band = age_band(store_col_text(st, 3), today);
        e->sex = store_col_null(st, 4) ? NULL : arena_strdup(c->a, store_col_text(st, 4));
        if (!store_col_null(st, 5)) e->ethnicity_group = ethnicity_group(store_col_text(st, 5));
    }
    store_done(st);
    return s == STORE_ROW ? 1 : s;
}

/* The episode the person's open referrals belong to (0: none open), or STORE_E_*. */
static long long open_episode(struct ctx *c, long long participant_id)
{
    long long ep = 0;
    int rc = store_query_int(c->db, &ep,
                             "SELECT episode_id FROM referrals WHERE participant_id = $1"
                             " AND status IN ('draft', 'sent', 'accepted', 'waitlisted',"
                             " 'started') ORDER BY id LIMIT 1",
                             "i", participant_id);
    return rc < 0 ? rc : rc == 0 ? 0 : ep;
}

/* Checks who may create, and the input; fills *svc and *needs. */
static result check_create(struct ctx *c, const struct referral_input *in, struct service_info *svc,
                           const char ***needs, int *nneeds)
{
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (c->by_operator || !c->actor->org_id)
        return ctx_fail(c, RES_FORBIDDEN, "A referral is made by a user of an organisation");
    enum role role = c->actor->role;
    if (role != ROLE_LINK_WORKER && role != ROLE_PROVIDER && role != ROLE_ADMIN)
        return ctx_fail(c, RES_FORBIDDEN,
                        "Only link workers, providers and administrators make referrals");
    const char *detail = c->detail;
    if (in->participant_id <= 0)
        ctx_field_error(c, "participant_id", "Choose the person to refer");
    else if (participant_access(c, in->participant_id) != RES_OK)
        ctx_field_error(c, "participant_id", "No participant with id %lld", in->participant_id);
    c->detail = detail;
    int rc = 0;
    if (!in->service_id || !*in->service_id) {
        ctx_field_error(c, "service_id", "Choose the service to refer the person to");
    } else if ((rc = service_info(c, in->service_id, svc)) < 0) {
        return ctx_store_failure(c, rc, "referral service");
    } else if (rc == 0) {
        ctx_field_error(c, "service_id", "There is no service with id '%s' in the directory",
                        in->service_id);
    } else if (!svc->org) {
        ctx_field_error(c, "service_id",
                        "The service's organisation is not linked to an organisation in chis,"
                        " so it cannot receive referrals");
    }
    *nneeds = check_needs(c, in, needs);
    if (*nneeds < 0) return ctx_store_failure(c, *nneeds, "referral needs");
    if (in->urgency && strcmp(in->urgency, "routine") != 0 && strcmp(in->urgency, "urgent") != 0)
        ctx_field_error(c, "urgency", "The urgency must be routine or urgent");
    return RES_OK;
}

/* See referrals.h. *out belongs to c->a. */
result referral_create(struct ctx *c, const struct referral_input *in, rec **out)
{
    struct service_info svc = {0};
    const char **needs = NULL;
    int nneeds = 0;
    result res = check_create(c, in, &svc, &needs, &nneeds);
    if (res != RES_OK) return res;
    const char *notes = clean_text(c, "notes", in->notes);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the referral's details");
    const char *warning = NULL;
    res = referral_governance_gate(c, svc.org, &warning);
    if (res != RES_OK) return res;

    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "referral begin");
    struct equity e;
    int rc = equity_of(c, in->participant_id, svc.place_id, &e);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "referral participant");
    long long episode = open_episode(c, in->participant_id);
    if (episode < 0) return fail_tx(c, episode, "referral episode");
    long long org = c->actor->org_id;
    long long id = 0;
    rc = store_query_int(
        c->db, &id,
        "INSERT INTO referrals (participant_id, service_id, service_name, referring_org_id,"
        " receiving_org_id, referrer_user_id, self_referral, status, snomed_code, episode_id,"
        " urgency, notes, place_id, neighbourhood_id, imd_quintile, age_band, sex,"
        " ethnicity_group, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft',"
        " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
        "ittiiIbtittIIItttt", in->participant_id, in->service_id, svc.name, org, svc.org,
        c->actor->user_id, org == svc.org, episode ? NULL : SNOMED_SP_REFERRAL, episode,
        in->urgency ? in->urgency : "routine", notes, e.place_id, e.neighbourhood_id,
        e.imd_quintile, e.age_band, e.sex, e.ethnicity_group, c->now_iso);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "referral insert");
    if (!episode) {
        long long n =
            store_run(c->db, "UPDATE referrals SET episode_id = id WHERE id = $1", "i", id);
        if (n < 0) return fail_tx(c, n, "referral episode");
    }
    for (int i = 0; i < nneeds; i++) {
        long long n =
            store_run(c->db, "INSERT INTO referral_needs (referral_id, term_id) VALUES ($1, $2)",
                      "it", id, needs[i]);
        if (n < 0) return fail_tx(c, n, "referral needs");
    }
    long long ev = add_event(c, id, NULL, "draft", NULL);
    if (ev < 0) return fail_tx(c, ev, "referral event");
    rec *after = NULL;
    rc = referral_load(c, id, false, &after);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "referral read back");
    if (audit_record(c, "create", "referrals", id, NULL, audit_image(c, after)) != RES_OK ||
        touch(c, in->participant_id) != RES_OK)
        return fail_tx(c, 0, "referral create");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "referral commit");
    if (warning) rec_set_text(after, "governance_warning", warning);
    if (out) *out = after;
    return RES_OK;
}

/* ---- transitions ---- */

/*
 * Checks what a transition needs besides the table: a reason where one is
 * required, who declined, the capacity rule for accepting, the governance
 * gate and the person's consent for sending. Field errors or RES_CONFLICT;
 * *why is the clean reason, *declined the decliner.
 */
static result check_move(struct ctx *c, const struct referral_core *r,
                         const struct referral_transition *t, unsigned sides, const char *reason,
                         const char *declined_by, const char **why, const char **declined)
{
    *why = clean_text(c, "reason", reason);
    if (t->reason_required && !*why && !c->nerrors)
        ctx_field_error(c, "reason", "Give the reason the referral is %s",
                        t->to == REFERRAL_DROPPED_OUT ? "ended (dropped out)"
                                                      : referral_status_name(t->to));
    *declined = NULL;
    if (t->to == REFERRAL_DECLINED) {
        if (declined_by && strcmp(declined_by, "person") != 0 &&
            strcmp(declined_by, "provider") != 0)
            ctx_field_error(c, "declined_by", "declined_by must be person or provider");
        else
            *declined = declined_by ? declined_by : sides & SIDE_PROVIDER ? "provider" : "person";
    } else if (declined_by) {
        ctx_field_error(c, "declined_by", "declined_by is only for a decline");
    }
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the transition's details");
    if (t->to == REFERRAL_ACCEPTED) {
        result res = referral_capacity_check(c, r);
        if (res != RES_OK) return res;
    }
    if (t->to == REFERRAL_SENT) {
        if (!consent_given(c, r->participant_id, "referral_to_provider")) {
            ctx_field_error(c, "consent",
                            "The person's consent to share the referral with the provider is not"
                            " in force: record their consent before sending it");
            return ctx_fail(c, RES_INVALID,
                            "The person has not given consent (referral_to_provider) to share"
                            " the referral with the provider");
        }
        const char *warning = NULL;
        result res = referral_governance_gate(c, r->receiving_org_id, &warning);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* See referrals.h. The checks run in order: visible, known state, allowed
 * move, side, details, capacity/consent/governance. *out belongs to c->a. */
result referral_transition(struct ctx *c, long long id, const char *to, const char *reason,
                           const char *declined_by, rec **out)
{
    if (!referral_signed_in(c)) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "transition begin");
    struct referral_core r;
    int rc = id > 0 ? referral_core_load(c, id, &r) : 0;
    if (rc < 0) return fail_tx(c, rc, "transition load");
    unsigned sides = rc == 1 ? referral_sides_of(c, &r) : 0;
    result res = RES_OK;
    enum referral_status dest = REFERRAL_DRAFT;
    const struct referral_transition *t = NULL;
    if (!sides) {
        res = ctx_fail(c, RES_NOT_FOUND, "There is no referral with id %lld", id);
    } else if (!to || !referral_status_parse(to, &dest)) {
        ctx_field_error(c, "to",
                        "to must be one of: sent, accepted, declined, waitlisted, started,"
                        " completed, dropped_out, cancelled");
        res = ctx_fail(c, RES_INVALID, "Say which state the referral moves to");
    } else if (!(t = referral_transition_rule(r.status, dest))) {
        res = ctx_fail(c, RES_CONFLICT, "The referral is '%s'; it cannot move to '%s'.",
                       referral_status_name(r.status), referral_status_name(dest));
    } else if (!(t->sides & sides)) {
        res = ctx_fail(c, RES_FORBIDDEN, "Only the %s may move a referral from '%s' to '%s'.",
                       t->sides == SIDE_PROVIDER ? "provider" : "referrer",
                       referral_status_name(r.status), referral_status_name(dest));
    }
    const char *why = NULL, *declined = NULL;
    if (res == RES_OK) res = check_move(c, &r, t, sides, reason, declined_by, &why, &declined);
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    rec *before = NULL;
    rc = referral_load(c, id, false, &before);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "transition before");
    /* The provider's first answer after sending counts as first contact. */
    bool contact =
        !r.first_contact_at && (sides & SIDE_PROVIDER) &&
        (dest == REFERRAL_ACCEPTED || dest == REFERRAL_WAITLISTED || dest == REFERRAL_DECLINED);
    bool person_declined = declined && strcmp(declined, "person") == 0;
    long long n = store_run(
        c->db,
        "UPDATE referrals SET status = $1, updated_at = $2,"
        " sent_at = CASE WHEN $1 = 'sent' THEN $2 ELSE sent_at END,"
        " accepted_at = CASE WHEN $1 = 'accepted' THEN $2 ELSE accepted_at END,"
        " started_at = CASE WHEN $1 = 'started' THEN $2 ELSE started_at END,"
        " ended_at = CASE WHEN $1 IN ('declined', 'completed', 'dropped_out', 'cancelled')"
        "   THEN $2 ELSE ended_at END,"
        " first_contact_at = CASE WHEN $3 = 1 THEN $2 ELSE first_contact_at END,"
        " reason = CASE WHEN $4 = 1 THEN $5 ELSE reason END,"
        " declined_by = CASE WHEN $1 = 'declined' THEN $6 ELSE declined_by END,"
        " snomed_code = CASE WHEN $7 = 1 THEN $8 ELSE snomed_code END"
        " WHERE id = $9 AND status = $10",
        "ttbbttbtit", referral_status_name(dest), c->now_iso, contact, t->reason_required, why,
        declined, person_declined, SNOMED_SP_DECLINED, id, referral_status_name(r.status));
    if (n < 0) return fail_tx(c, n, "transition update");
    if (n == 0) return fail_tx(c, STORE_E_ERROR, "transition raced");
    long long ev =
        add_event(c, id, referral_status_name(r.status), referral_status_name(dest), why);
    if (ev < 0) return fail_tx(c, ev, "transition event");
    rec *after = NULL;
    rc = referral_load(c, id, false, &after);
    if (rc != 1) return fail_tx(c, rc < 0 ? rc : STORE_E_ERROR, "transition after");
    if (audit_record(c, "transition", "referrals", id, audit_image(c, before),
                     audit_image(c, after)) != RES_OK ||
        touch(c, r.participant_id) != RES_OK)
        return fail_tx(c, 0, "transition");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "transition commit");
    rc = referral_load(c, id, true, &after);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "transition read");
    if (out) *out = after;
    return RES_OK;
}
