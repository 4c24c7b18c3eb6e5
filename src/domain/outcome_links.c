/*
 * outcome_links.c: one-time links for a person to answer their outcome
 * questionnaires on their own phone, with no account (see outcomes.h).
 *
 * The link's secret is 32 random bytes (base64url, 43 characters); only
 * its BLAKE2b-256 hash is stored, as for session tokens, so a copy of the
 * database opens no link. A link is for one stage and a list of measures,
 * expires OUTCOME_LINK_DAYS after it was made, and is spent by its first
 * successful submission: answers with errors store nothing and leave it
 * usable. Whoever holds the link may answer; the link is the capability,
 * so opening and submitting need no actor, and what they reveal is only
 * the service's name and the questions.
 */
#include "domain/outcomes_internal.h"

#include "base/buf.h"
#include "base/date.h"
#include "domain/audit.h"
#include "domain/participants.h"

#include <sodium.h>
#include <string.h>

/* A fresh 256-bit secret, base64url without padding, in c->a. */
static char *link_secret(struct ctx *c)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return arena_strdup(c->a, b64);
}

/* The hex BLAKE2b-256 of a secret, as stored, in c->a. */
static char *link_digest(struct ctx *c, const char *secret)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    char *hex = arena_alloc(c->a, 65);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return hex;
}

/*
 * Splits a comma-separated list of measures into m (at most 3), checking
 * each is known and named once; field error "measures" otherwise. Returns
 * how many.
 */
static int parse_measures(struct ctx *c, const char *list, enum measure *m)
{
    int n = 0;
    const char *p = list ? list : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *name = arena_strndup(c->a, p, len);
        enum measure x;
        bool seen = false;
        if (!measure_parse(name, &x)) {
            ctx_field_error(c, "measures", "The measures must be among swemwbs, ons4 and ucla3");
            return 0;
        }
        for (int i = 0; i < n; i++)
            seen = seen || m[i] == x;
        if (seen) {
            ctx_field_error(c, "measures", "Name each measure once");
            return 0;
        }
        m[n++] = x;
        p += len;
        if (*p == ',') p++;
    }
    if (n == 0) ctx_field_error(c, "measures", "Choose at least one measure");
    return n;
}

/* The measures m (n) as a comma-separated list in c->a. */
static const char *measures_text(struct ctx *c, const enum measure *m, int n)
{
    buf b;
    buf_init(&b, c->a, 32);
    for (int i = 0; i < n; i++) {
        if (i) buf_putc(&b, ',');
        buf_puts(&b, measure_name(m[i]));
    }
    return b.data;
}

/* See outcomes.h. Either side of the referral; the stage must be allowed now. */
result outcome_link_create(struct ctx *c, long long referral_id, const char *stage,
                           const char *measures, const char **token, rec **out)
{
    *token = NULL;
    enum referral_status status;
    long long participant_id;
    result res = oc_access(c, referral_id, NULL, &status, &participant_id);
    if (res == RES_OK) res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    if (oc_stage_index(stage) < 0)
        ctx_field_error(c, "stage", "The stage must be baseline, midpoint or final");
    enum measure m[3];
    int n = parse_measures(c, measures, m);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the link's stage and measures.");
    res = oc_stage_allowed(c, status, stage);
    if (res != RES_OK) return res;
    for (int i = 0; i < n; i++) {
        long long found = 0;
        int rc = store_query_int(c->db, &found,
                                 "SELECT id FROM outcomes WHERE referral_id = $1 AND measure = $2"
                                 " AND stage = $3",
                                 "itt", referral_id, measure_name(m[i]), stage);
        if (rc < 0) return ctx_store_failure(c, rc, "link outcomes");
        if (rc == 1)
            return ctx_fail(c, RES_CONFLICT,
                            "The %s %s has already been recorded for this referral.", stage,
                            measure_name(m[i]));
    }
    const char *secret = link_secret(c);
    const char *list = measures_text(c, m, n);
    const char *expires = date_offset(c->a, c->now, OUTCOME_LINK_DAYS, true);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "link begin");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO outcome_links (referral_id, token_hash, stage, measures,"
                             " expires_at, created_by_user_id, created_at, updated_at)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                             "ittttIt", referral_id, link_digest(c, secret), stage, list, expires,
                             c->actor ? c->actor->user_id : 0LL, c->now_iso);
    if (rc != 1) return oc_rollback(c, ctx_store_failure(c, rc < 0 ? rc : -1, "link insert"));
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", id);
    rec_set_int(r, "referral_id", referral_id);
    rec_set_text(r, "stage", stage);
    rec_set_text(r, "measures", list);
    rec_set_text(r, "expires_at", expires);
    res = audit_record(c, "create", "outcome_links", id, NULL, r);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "link commit");
    *token = secret;
    if (out) *out = r;
    return RES_OK;
}

/* What a usable link holds. */
struct link {
    long long id, referral_id, participant_id;
    const char *stage, *measures, *expires_at, *service_name;
    enum referral_status status;
};

/*
 * Finds the link of token and checks it may be used now: unknown, used,
 * expired, for a stage its referral no longer allows, or for a person
 * since anonymised, is RES_NOT_FOUND with a sentence the person can read.
 */
static result link_find(struct ctx *c, const char *token, struct link *l)
{
    memset(l, 0, sizeof *l);
    /* A real token is 43 characters; anything far off is not one. */
    if (!token || strlen(token) < 20 || strlen(token) > 100)
        return ctx_fail(c, RES_NOT_FOUND, "This link is not valid. Check it was copied whole.");
    store_stmt *st = store_prepare(
        c->db, "SELECT l.id, l.referral_id, l.stage, l.measures, l.expires_at, l.used_at,"
               " r.service_name, r.status, r.participant_id, p.anonymised_at FROM outcome_links l"
               " JOIN referrals r ON r.id = l.referral_id"
               " JOIN participants p ON p.id = r.participant_id WHERE l.token_hash = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "link find");
    store_bind_text(st, 1, link_digest(c, token));
    int rc = store_step(st);
    bool used = false, anonymised = false;
    const char *status = NULL;
    if (rc == STORE_ROW) {
        l->id = store_col_int(st, 0);
        l->referral_id = store_col_int(st, 1);
        l->stage = oc_col_text(c, st, 2);
        l->measures = oc_col_text(c, st, 3);
        l->expires_at = oc_col_text(c, st, 4);
        used = !store_col_null(st, 5);
        l->service_name = oc_col_text(c, st, 6);
        status = oc_col_text(c, st, 7);
        l->participant_id = store_col_int(st, 8);
        anonymised = !store_col_null(st, 9);
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "link find");
    if (rc != STORE_ROW)
        return ctx_fail(c, RES_NOT_FOUND, "This link is not valid. Check it was copied whole.");
    if (used) return ctx_fail(c, RES_NOT_FOUND, "This link has already been used.");
    if (strcmp(c->now_iso, l->expires_at) >= 0)
        return ctx_fail(c, RES_NOT_FOUND, "This link has expired.");
    if (anonymised || !referral_status_parse(status, &l->status) ||
        oc_stage_allowed(c, l->status, l->stage) != RES_OK)
        return ctx_fail(c, RES_NOT_FOUND, "This link can no longer be used.");
    return RES_OK;
}

/* See outcomes.h. */
result outcome_link_open(struct ctx *c, const char *token, rec **out)
{
    struct link l;
    result res = link_find(c, token, &l);
    if (res != RES_OK) return res;
    rec *r = rec_new(c->a);
    rec_set_text(r, "stage", l.stage);
    rec_set_text(r, "measures", l.measures);
    rec_set_text(r, "expires_at", l.expires_at);
    rec_set_text(r, "service_name", l.service_name);
    *out = r;
    return RES_OK;
}

/*
 * Renames the field errors from index from on: "answers" becomes the
 * measure's name and "answers[i]" becomes "<measure>[i]", as the link's
 * form names them.
 */
static void rename_errors(struct ctx *c, int from, const char *measure)
{
    for (int i = from; i < c->nerrors; i++) {
        const char *f = c->errors[i].field;
        if (strcmp(f, "answers") == 0)
            c->errors[i].field = measure;
        else if (strncmp(f, "answers[", 8) == 0)
            c->errors[i].field = arena_printf(c->a, "%s%s", measure, f + 7);
    }
}

/* See outcomes.h. */
result outcome_link_submit(struct ctx *c, const char *token, const struct outcome_input *in, int n,
                           const char *story)
{
    struct link l;
    result res = link_find(c, token, &l);
    if (res != RES_OK) return res;
    enum measure m[3];
    int nm = parse_measures(c, l.measures, m);
    if (c->nerrors) return ctx_fail(c, RES_INTERNAL, "The link's measures are damaged");
    struct measure_score scores[3];
    for (int k = 0; k < nm; k++) {
        const char *name = measure_name(m[k]);
        const struct outcome_input *given = NULL;
        for (int i = 0; i < n && !given; i++)
            if (in[i].measure && strcmp(in[i].measure, name) == 0) given = &in[i];
        if (!given || !given->answers) {
            ctx_field_error(c, name, "Answer the %s questions", name);
            continue;
        }
        int before = c->nerrors;
        if (measure_score(c, m[k], given->answers, given->nanswers, &scores[k]) != RES_OK)
            rename_errors(c, before, name);
    }
    if (story && *story) oc_check_text(c, "story", story, OUTCOME_TEXT_MAX, false);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Some questions need an answer.");

    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "link begin");
    /* Spend the link first: of two submissions racing, only one gets it. */
    long long spent = store_run(c->db,
                                "UPDATE outcome_links SET used_at = $2, updated_at = $2"
                                " WHERE id = $1 AND used_at IS NULL",
                                "it", l.id, c->now_iso);
    if (spent < 0) return oc_rollback(c, ctx_store_failure(c, spent, "link spend"));
    if (spent == 0)
        return oc_rollback(c, ctx_fail(c, RES_NOT_FOUND, "This link has already been used."));
    for (int k = 0; k < nm && res == RES_OK; k++)
        res = oc_write(c, l.referral_id, l.participant_id, &scores[k], l.stage, "link", NULL);
    if (res == RES_OK && story && *story)
        res = oc_story_write(c, l.referral_id, story, "link", NULL);
    if (res == RES_OK) res = participant_touch(c, l.participant_id);
    if (res == RES_OK) {
        rec *r = rec_new(c->a);
        rec_set_int(r, "referral_id", l.referral_id);
        rec_set_text(r, "used_at", c->now_iso);
        res = audit_record(c, "update", "outcome_links", l.id, NULL, r);
    }
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "link commit");
    return RES_OK;
}
