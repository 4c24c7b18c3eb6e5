/*
 * consent.c: a participant's consent as a history per scope (the rule is in
 * participants.h). Records are only ever added: withdrawing is a new record
 * saying "not given", so the history shows what was agreed when, and the
 * newest record (by when it was recorded, then by entry) is in force from
 * the moment it is written.
 */
#include "domain/participants.h"

#include "base/text.h"
#include "domain/audit.h"
#include "domain/participants_internal.h"

#include <string.h>

/* Is s one of consent_scopes? */
static bool known_scope(const char *s)
{
    for (int i = 0; s && consent_scopes[i]; i++)
        if (strcmp(consent_scopes[i], s) == 0) return true;
    return false;
}

/* Is s one of consent_methods? */
static bool known_method(const char *s)
{
    for (int i = 0; s && consent_methods[i]; i++)
        if (strcmp(consent_methods[i], s) == 0) return true;
    return false;
}

/*
 * See participants.h. With no record, every scope but story_public stands
 * as given; story_public needs a record saying so. An unknown scope, or a
 * store failure (logged), is "not given": sharing fails closed.
 */
bool consent_given(struct ctx *c, long long participant_id, const char *scope)
{
    if (!known_scope(scope)) return false;
    bool dflt = strcmp(scope, "story_public") != 0;
    long long given = 0;
    int rc = store_query_int(c->db, &given,
                             "SELECT given FROM consents WHERE participant_id = $1 AND scope = $2"
                             " ORDER BY recorded_at DESC, id DESC LIMIT 1",
                             "it", participant_id, scope);
    if (rc < 0) {
        ctx_store_failure(c, rc, "consent read");
        return false;
    }
    return rc == 1 ? given != 0 : dflt;
}

static const struct store_column consent_cols[] = {
    {.name = "id", .kind = COL_INT},           {.name = "participant_id", .kind = COL_INT},
    {.name = "scope", .kind = COL_TEXT},       {.name = "given", .kind = COL_BOOL},
    {.name = "method", .kind = COL_TEXT},      {.name = "recorded_at", .kind = COL_TEXT},
    {.name = "recorded_by", .kind = COL_TEXT}, {.name = "note", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
};
#define NCCOLS ((int)(sizeof consent_cols / sizeof consent_cols[0]))
#define CONSENT_SELECT                                                                             \
    "SELECT id, participant_id, scope, given, method, recorded_at, recorded_by, note,"             \
    " created_at FROM consents"

/*
 * When the consent was recorded, as a UTC time: the input's (a date means
 * its midnight, except today, which means now) or now. NULL with a field
 * error when it is not a date or time, or lies in the future. In c->a.
 * Today is now because the newest record is the one in force: a
 * withdrawal entered today as a date must not sort before a record made
 * earlier the same day.
 */
static const char *recorded_when(struct ctx *c, const struct val *v)
{
    if (!v || v->type == VAL_NULL || (v->type == VAL_TEXT && !*v->s)) return c->now_iso;
    if (v->type != VAL_TEXT || !text_date_or_time_valid(v->s)) {
        ctx_field_error(c, "recorded_at",
                        "Enter when consent was recorded as a date, like 2026-11-26");
        return NULL;
    }
    if (strlen(v->s) == 10 && strncmp(v->s, c->now_iso, 10) == 0) return c->now_iso;
    const char *t = strlen(v->s) == 10 ? arena_printf(c->a, "%sT00:00:00Z", v->s) : v->s;
    if (strcmp(t, c->now_iso) > 0) {
        ctx_field_error(c, "recorded_at", "When consent was recorded cannot be in the future");
        return NULL;
    }
    return t;
}

/* See participants.h. *out belongs to c->a. */
result consent_record(struct ctx *c, long long participant_id, rec *input, rec **out)
{
    result r = participant_access(c, participant_id);
    if (r != RES_OK) return r;
    if (!participant_role_writes(c))
        return ctx_fail(c, RES_FORBIDDEN, "Leads and viewers cannot record consent");
    long long anon = 0;
    int rc = store_query_int(
        c->db, &anon, "SELECT 1 FROM participants WHERE id = $1 AND anonymised_at IS NOT NULL", "i",
        participant_id);
    if (rc < 0) return ctx_store_failure(c, rc, "participant read");
    if (rc == 1) return ctx_fail(c, RES_CONFLICT, "This person's record has been anonymised");

    static const char *const allowed[] = {"scope", "given", "method", "recorded_at", "note", NULL};
    for (int i = 0; i < input->n; i++) {
        bool ok = false;
        for (int k = 0; allowed[k] && !ok; k++)
            ok = strcmp(allowed[k], input->f[i].name) == 0;
        if (!ok)
            ctx_field_error(c, input->f[i].name, "'%s' is not a field of a consent record",
                            input->f[i].name);
    }
    const char *scope = rec_text(input, "scope");
    if (!known_scope(scope))
        ctx_field_error(c, "scope",
                        "The scope must be one of: referral_to_provider, outcomes_to_referrer,"
                        " outcomes_to_gp, anonymised_reporting or story_public");
    const struct val *given = rec_get(input, "given");
    if (!given || given->type != VAL_BOOL)
        ctx_field_error(c, "given", "Say whether consent is given (true) or withdrawn (false)");
    const char *method = rec_text(input, "method");
    if (!known_method(method))
        ctx_field_error(c, "method", "The method must be one of: verbal, written or digital");
    const char *when = recorded_when(c, rec_get(input, "recorded_at"));
    const struct val *nv = rec_get(input, "note");
    const char *note = NULL;
    if (nv && nv->type == VAL_TEXT && *nv->s) {
        note = nv->s;
        if (!text_utf8_valid(note) || text_has_unsafe_chars(note, true))
            ctx_field_error(c, "note", "The note must be plain text");
        else if (strlen(note) > 2000)
            ctx_field_error(c, "note", "The note must be 2000 characters or fewer");
    } else if (nv && nv->type != VAL_NULL && nv->type != VAL_TEXT) {
        ctx_field_error(c, "note", "The note must be text");
    }
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the consent record");

    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    /* Only while the person is not anonymised, judged under the write lock:
     * a note added after an erasure that committed meanwhile would outlive it. */
    long long id = 0;
    rc = store_query_int(c->db, &id,
                         "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
                         " recorded_by_user_id, recorded_by, note, created_at, updated_at)"
                         " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9 FROM participants"
                         " WHERE id = $1 AND anonymised_at IS NULL RETURNING id",
                         "itbttIttt", participant_id, scope, (int)given->i, method, when,
                         c->actor ? c->actor->user_id : 0LL, actor_label(c), note, c->now_iso);
    if (rc == 0) {
        store_rollback(c->db);
        return ctx_fail(c, RES_CONFLICT, "This person's record has been anonymised");
    }
    rec *row = NULL;
    if (rc == 1) {
        store_stmt *st = store_prepare(c->db, CONSENT_SELECT " WHERE id = $1");
        rc = st ? 0 : STORE_E_ERROR;
        if (st) {
            store_bindf(st, "i", id);
            int s = store_step(st);
            if (s == STORE_ROW) row = store_row_rec(st, consent_cols, NCCOLS, c->a);
            store_done(st);
            rc = row ? 1 : s < 0 ? s : STORE_E_ERROR;
        }
    }
    if (rc != 1) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "consent insert");
    }
    /* The log keeps the record without its note: free text about the person
     * is erased with them, and the log is not. */
    if (audit_record(c, "create", "consents", id, NULL, rec_without(c->a, row, "note")) != RES_OK ||
        participant_touch(c, participant_id) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    if (out) *out = row;
    return RES_OK;
}

/* See participants.h. Rows belong to c->a; audited as a read of the person. */
result consent_history(struct ctx *c, long long participant_id, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    result r = participant_access(c, participant_id);
    if (r != RES_OK) return r;
    store_stmt *st =
        store_prepare(c->db, CONSENT_SELECT " WHERE participant_id = $1 ORDER BY recorded_at, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "consent history");
    store_bindf(st, "i", participant_id);
    int s = store_page_read(st, consent_cols, NCCOLS, c->a, out);
    if (s < 0) return ctx_store_failure(c, s, "consent history");
    if (audit_read(c, "consents", participant_id, NULL, 0) != RES_OK) return RES_INTERNAL;
    return RES_OK;
}
