/*
 * feedback.c: how the referrer and the person's GP hear back (see
 * outcomes.h). The provider side writes messages to either; the feedback
 * for a recipient gathers the referral's status and attendance always, and
 * the outcome changes, goals and the person's own words only while the
 * person's consent to share outcomes with that recipient is in force
 * (outcomes_to_referrer, outcomes_to_gp): a withdrawal hides them from the
 * moment it is recorded, for feedback already written as well as later.
 */
#include "domain/outcomes_internal.h"

#include "domain/audit.h"
#include "domain/notifications.h"
#include "domain/participants.h"

#include <string.h>

/* The consent scope that covers sharing outcomes with recipient; NULL if none. */
static const char *recipient_scope(const char *recipient)
{
    if (!recipient) return NULL;
    if (strcmp(recipient, "referrer") == 0) return "outcomes_to_referrer";
    if (strcmp(recipient, "gp") == 0) return "outcomes_to_gp";
    return NULL;
}

#define MESSAGE_COLS "id, referral_id, recipient, body, author, created_at"

/* The record of a message row (MESSAGE_COLS). */
static rec *message_row(struct ctx *c, store_stmt *st)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", store_col_int(st, 0));
    rec_set_int(r, "referral_id", store_col_int(st, 1));
    rec_set_text(r, "recipient", oc_col_text(c, st, 2));
    rec_set_text(r, "body", oc_col_text(c, st, 3));
    rec_set_text(r, "author", oc_col_text(c, st, 4));
    rec_set_text(r, "created_at", oc_col_text(c, st, 5));
    return r;
}

/* Tells the referring user that a message has come back about referral id. */
static result notify_referrer(struct ctx *c, long long referral_id, long long message_id)
{
    long long user = 0;
    int rc = store_query_int(c->db, &user,
                             "SELECT referrer_user_id FROM referrals WHERE id = $1"
                             " AND referrer_user_id IS NOT NULL",
                             "i", referral_id);
    if (rc < 0) return ctx_store_failure(c, rc, "feedback referrer");
    if (rc == 0 || user <= 0) return RES_OK;
    struct notice n = {
        .user_id = user,
        .kind = "referral_feedback",
        .entity = "referrals",
        .entity_id = referral_id,
        .message = arena_printf(c->a, "A message has come back about referral %lld.", referral_id),
        .dedupe_key = arena_printf(c->a, "referral_feedback:%lld", message_id),
    };
    return notify(c, &n, NULL);
}

/* See outcomes.h. The provider side only; the referrer is notified. */
result feedback_message_add(struct ctx *c, long long referral_id, const char *recipient,
                            const char *body, rec **out)
{
    unsigned sides;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, NULL, &participant_id);
    if (res != RES_OK) return res;
    if (!(sides & SIDE_PROVIDER))
        return ctx_fail(c, RES_FORBIDDEN, "Only the provider writes messages back.");
    res = oc_writable(c, participant_id);
    if (res != RES_OK) return res;
    if (!recipient_scope(recipient))
        ctx_field_error(c, "recipient", "The recipient must be referrer or gp");
    oc_check_text(c, "body", body, OUTCOME_TEXT_MAX, true);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the message.");
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "message begin");
    long long id = 0;
    int rc = store_query_int(c->db, &id,
                             "INSERT INTO feedback_messages (referral_id, recipient, body,"
                             " author_user_id, author, created_at, updated_at)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                             "ittItt", referral_id, recipient, body,
                             c->actor ? c->actor->user_id : 0LL, actor_label(c), c->now_iso);
    if (rc != 1) return oc_rollback(c, ctx_store_failure(c, rc < 0 ? rc : -1, "message insert"));
    rec *row = NULL;
    if (oc_read_one(c, "SELECT " MESSAGE_COLS " FROM feedback_messages WHERE id = $1", id,
                    message_row, &row) != 1)
        return oc_rollback(c, ctx_store_failure(c, STORE_E_ERROR, "message read"));
    /* The audit entry names the message, not its words. */
    rec *image = rec_new(c->a);
    rec_set_int(image, "referral_id", referral_id);
    rec_set_text(image, "recipient", recipient);
    res = audit_record(c, "create", "feedback_messages", id, NULL, image);
    if (res == RES_OK && strcmp(recipient, "referrer") == 0)
        res = notify_referrer(c, referral_id, id);
    if (res == RES_OK) res = participant_touch(c, participant_id);
    if (res != RES_OK) return oc_rollback(c, res);
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "message commit");
    if (out) *out = row;
    return RES_OK;
}

/* Fills the messages to recipient, oldest first. */
static result messages_to(struct ctx *c, long long referral_id, const char *recipient,
                          struct store_page *out)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_prepare(c->db, "SELECT " MESSAGE_COLS " FROM feedback_messages"
                                          " WHERE referral_id = $1 AND recipient = $2"
                                          " AND body IS NOT NULL ORDER BY id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "messages");
    store_bind_int(st, 1, referral_id);
    store_bind_text(st, 2, recipient);
    int rc = oc_read_rows(c, st, message_row, out);
    if (rc < 0) return ctx_store_failure(c, rc, "messages");
    return audit_read(c, "feedback_messages", 0, out->rows, out->nrows); /* about a person */
}

/*
 * See outcomes.h. Whoever reads the feedback sees what the recipient would:
 * and a reader on the referrer side, whatever the recipient, no more than
 * the person lets the referrer see (their GP's copy is not a way round a
 * withdrawal from the referrer).
 */
result feedback_get(struct ctx *c, long long referral_id, const char *recipient,
                    struct feedback *out)
{
    memset(out, 0, sizeof *out);
    unsigned sides;
    long long participant_id;
    result res = oc_access(c, referral_id, &sides, NULL, &participant_id);
    if (res != RES_OK) return res;
    const char *scope = recipient_scope(recipient);
    if (!scope) {
        ctx_field_error(c, "recipient", "The recipient must be referrer or gp");
        return ctx_fail(c, RES_INVALID, "Check the recipient.");
    }
    res = referral_get(c, referral_id, &out->referral);
    if (res != RES_OK) return res;
    out->recipient = strcmp(recipient, "gp") == 0 ? "gp" : "referrer";
    long long n = 0;
    int rc = store_query_int(
        c->db, &n, "SELECT count(*) FROM attendance WHERE referral_id = $1 AND attended = 1", "i",
        referral_id);
    if (rc < 0) return ctx_store_failure(c, rc, "feedback attendance");
    out->sessions_attended = n;
    rc = store_query_int(c->db, &n,
                         "SELECT count(*) FROM attendance WHERE referral_id = $1 AND attended = 0",
                         "i", referral_id);
    if (rc < 0) return ctx_store_failure(c, rc, "feedback attendance");
    out->sessions_missed = n;
    out->outcomes_shared =
        consent_given(c, participant_id, scope) && oc_shared_with(c, sides, participant_id);
    if (out->outcomes_shared) {
        struct outcome_changes ch;
        res = oc_changes(c, referral_id, &ch);
        if (res != RES_OK) return res;
        out->has_swemwbs = ch.has_swemwbs;
        out->swemwbs_baseline = ch.swemwbs_baseline;
        out->swemwbs_final = ch.swemwbs_final;
        out->swemwbs_change = ch.swemwbs_change;
        out->swemwbs_meaningful = ch.swemwbs_meaningful;
        out->has_ucla = ch.has_ucla;
        out->ucla_baseline = ch.ucla_baseline;
        out->ucla_final = ch.ucla_final;
        out->has_ons4 = ch.has_ons4;
        memcpy(out->ons4_baseline, ch.ons4_baseline, sizeof out->ons4_baseline);
        memcpy(out->ons4_final, ch.ons4_final, sizeof out->ons4_final);
        /* The person's own words go only to those who may see the person
         * (not, say, an administrator of the referring organisation). */
        if (participant_access(c, participant_id) == RES_OK) {
            res = goal_list(c, referral_id, &out->goals);
            if (res == RES_OK) res = story_list(c, referral_id, &out->stories);
            if (res != RES_OK) return res;
        } else {
            ctx_clear_errors(c);
            c->detail = NULL;
        }
    }
    return messages_to(c, referral_id, out->recipient, &out->messages);
}
