/*
 * test_security_referrals.c: the data-protection rules of participants and
 * referrals, checked where a security review found them broken: free text
 * about a person kept out of the audit log (so erasure erases it), a
 * referral cancelled before it was sent never reaching the provider, a
 * withdrawal dated today taking effect at once, a referral's free text
 * withheld from whoever may not see the person, an episode not naming
 * another provider's referral, every read of a person's record audited,
 * and a write racing an erasure not undoing it. The clock is FX_NOW, 2026-11-26T09:00Z.
 */
#include "unit.h"

#include <stdio.h>

#include "referrals_world.h"

#include "domain/participants.h"

#include <jansson.h>
#include <pthread.h>
#include <unistd.h>

/* Withdraws (given false) or gives a scope as the link worker; recorded_at NULL is now. */
static result consent_as_lw(struct fx *f, long long p, const char *scope, bool given,
                            const char *recorded_at, const char *note)
{
    as_lw(f);
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_text(in, "scope", scope);
    rec_set_bool(in, "given", given);
    rec_set_text(in, "method", "verbal");
    if (recorded_at) rec_set_text(in, "recorded_at", recorded_at);
    if (note) rec_set_text(in, "note", note);
    return consent_record(&f->c, p, in, &out);
}

/*
 * The referral's notes and the reasons given for its moves are the
 * person's story in staff's words: the audit log must not keep them, or
 * erasure would leave them there (and administrators, who read the log,
 * would read them).
 */
static void referral_free_text_stays_out_of_the_audit_log(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Ann", W.ref, 0, 0, 0, "1950-01-01", "female", "white_irish");
    long long id = w_refer_notes(f, p, "S1", "Recently bereaved NOTE-XYZZY");
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, id, "cancelled",
                                         "Moved into a care home REASON-PLUGH", NULL, &out),
                     RES_OK);
    /* The transition and the creation are audited, without the words. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'referrals' AND"
                                 " action IN ('create', 'transition')"),
                     2);
    assert_int_equal(fx_audit_mentions(f, "XYZZY"), 0);
    assert_int_equal(fx_audit_mentions(f, "PLUGH"), 0);

    /* Erasure: nothing of the words is left anywhere. */
    fx_operator(f);
    assert_int_equal(participant_anonymise(&f->c, p, "erasure"), RES_OK);
    assert_int_equal(fx_audit_mentions(f, "XYZZY"), 0);
    assert_int_equal(fx_audit_mentions(f, "PLUGH"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referrals WHERE notes IS NOT NULL OR"
                                 " reason IS NOT NULL"),
                     0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referral_events WHERE reason IS NOT NULL"),
                     0);
}

/* A consent record's note is kept with the record (erased with the person), not in the log. */
static void consent_notes_stay_out_of_the_audit_log(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Bea", W.ref, 0, 0, 0, "1950-01-01", "female", "white_irish");
    assert_int_equal(consent_as_lw(f, p, "story_public", true, NULL,
                                   "Agreed with her daughter Carol present NOTE-QUUX"),
                     RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'consents' AND"
                                 " action = 'create'"),
                     1);
    assert_int_equal(fx_audit_mentions(f, "QUUX"), 0);
    fx_operator(f);
    assert_int_equal(participant_anonymise(&f->c, p, "erasure"), RES_OK);
    assert_int_equal(fx_audit_mentions(f, "QUUX"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM consents WHERE note IS NOT NULL"), 0);
}

/*
 * A draft cancelled before it was sent never went to the provider: the
 * provider gets the same answer as for a referral that does not exist,
 * in reads, lists, transitions and the subject access export.
 */
static void a_draft_cancelled_unsent_never_reaches_the_provider(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Cy", W.ref, 0, 0, 0, "1950-01-01", "male", "white_irish");
    /* The provider sees the person through a referral that was sent. */
    long long sent = w_refer(f, p, "S1");
    w_move(f, sent, "sent", NULL);
    long long unsent = w_refer_notes(f, p, "S2", "Second thoughts NOTE-FROB");
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, unsent, "cancelled", "Changed mind", NULL, &out),
                     RES_OK);

    char want[64];
    snprintf(want, sizeof want, "There is no referral with id %lld", unsent);
    as_prov(f);
    assert_int_equal(referral_get(&f->c, unsent, &out), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, want);
    as_prov(f);
    assert_int_equal(referral_access(&f->c, unsent, NULL, NULL, NULL), RES_NOT_FOUND);
    as_prov(f);
    struct store_page ev;
    assert_int_equal(referral_events(&f->c, unsent, &ev), RES_NOT_FOUND);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, unsent, "accepted", NULL, NULL, &out),
                     RES_NOT_FOUND);
    assert_string_equal(f->c.detail, want);

    enum referral_queue queues[] = {REFERRALS_ALL, REFERRALS_INCOMING};
    for (int i = 0; i < 2; i++) {
        struct referral_query q = {.queue = queues[i]};
        struct store_page pg;
        as_prov(f);
        assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
        assert_int_equal(pg.total, 1);
        assert_int_equal(rec_int(pg.rows[0], "id", 0), sent);
    }

    json_t *doc = NULL;
    as_prov(f);
    assert_int_equal(participant_export(&f->c, p, &doc), RES_OK);
    json_t *refs = json_object_get(doc, "referrals");
    assert_int_equal(json_array_size(refs), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(refs, 0), "id")), sent);
    json_decref(doc);

    /* The referrer still sees both. */
    as_lw(f);
    assert_int_equal(referral_get(&f->c, unsent, &out), RES_OK);
    assert_string_equal(rec_text(out, "status"), "cancelled");
}

/*
 * A withdrawal entered today with today's date (a date-only form) is in
 * force at once, even though consent was given earlier the same day:
 * sharing stops from the moment it is written.
 */
static void a_withdrawal_dated_today_takes_effect_at_once(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Di", W.ref, 0, 0, 0, "1950-01-01", "female", "white_irish");
    long long id = w_refer(f, p, "S1");
    ctx_set_now(&f->c, FX_NOW - 3600); /* given at 08:00 */
    assert_int_equal(consent_as_lw(f, p, "referral_to_provider", true, NULL, NULL), RES_OK);
    ctx_set_now(&f->c, FX_NOW);
    w_move(f, id, "sent", NULL);
    as_prov(f);
    assert_int_equal(participant_access(&f->c, p), RES_OK);

    assert_int_equal(consent_as_lw(f, p, "referral_to_provider", false, "2026-11-26", NULL),
                     RES_OK);
    assert_false(consent_given(&f->c, p, "referral_to_provider"));
    as_prov(f);
    assert_int_equal(participant_access(&f->c, p), RES_NOT_FOUND);
    rec *out = NULL;
    as_prov(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_true(rec_is_null(out, "participant_name"));

    /* A paper form dated an earlier day still does not undo a later record. */
    assert_int_equal(consent_as_lw(f, p, "referral_to_provider", true, "2026-11-20", NULL), RES_OK);
    assert_false(consent_given(&f->c, p, "referral_to_provider"));
}

/*
 * The referral's notes and reasons are the person's data: withheld, like
 * their name, from a provider once the person withdraws their consent to
 * share the referral, and from an administrator of a party organisation
 * (administrators see aggregates only).
 */
static void free_text_is_withheld_with_the_persons_data(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Ed", W.ref, 0, 0, 0, "1950-01-01", "male", "white_irish");
    long long id = w_refer_notes(f, p, "S1", "Lives alone since his wife died");
    w_move(f, id, "sent", NULL);
    as_prov(f);
    rec *out = NULL;
    assert_int_equal(
        referral_transition(&f->c, id, "declined", "Not his kind of group", NULL, &out), RES_OK);
    as_prov(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_string_equal(rec_text(out, "notes"), "Lives alone since his wife died");
    assert_string_equal(rec_text(out, "reason"), "Not his kind of group");

    assert_int_equal(consent_as_lw(f, p, "referral_to_provider", false, NULL, NULL), RES_OK);
    as_prov(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_true(rec_is_null(out, "participant_name"));
    assert_true(rec_is_null(out, "notes"));
    assert_true(rec_is_null(out, "reason"));
    struct store_page pg;
    struct referral_query q = {0};
    as_prov(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.nrows, 1);
    assert_true(rec_is_null(pg.rows[0], "notes"));
    assert_true(rec_is_null(pg.rows[0], "reason"));
    as_prov(f);
    assert_int_equal(referral_events(&f->c, id, &pg), RES_OK);
    for (int i = 0; i < pg.nrows; i++)
        assert_true(rec_is_null(pg.rows[i], "reason"));

    /* The referrer, who holds the record, still reads it all. */
    as_lw(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_string_equal(rec_text(out, "notes"), "Lives alone since his wife died");
    assert_string_equal(rec_text(out, "reason"), "Not his kind of group");

    /* An administrator of the referring organisation: the referral, not the person. */
    long long admin = w_user(f, "refadmin@x.org", "admin", W.ref);
    as(f, ROLE_ADMIN, admin, W.ref);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_true(rec_is_null(out, "participant_name"));
    assert_true(rec_is_null(out, "notes"));
    assert_true(rec_is_null(out, "reason"));
}

/*
 * A referral's episode is named by the first referral of it, which may be
 * one to another provider: the provider of a later referral must not learn
 * that one's id (its existence). The referrer, who sees both, does.
 */
static void an_episode_does_not_reveal_another_providers_referral(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Gus", W.ref, 0, 0, 0, "1950-01-01", "male", "white_irish");
    long long first = w_refer(f, p, "S-OTHER");
    long long second = w_refer(f, p, "S1");
    w_move(f, second, "sent", NULL);
    assert_int_equal(ref_int(f, second, "episode_id"), first);

    rec *out = NULL;
    as_prov(f);
    assert_int_equal(referral_get(&f->c, second, &out), RES_OK);
    assert_true(rec_is_null(out, "episode_id"));
    struct store_page pg;
    struct referral_query q = {.queue = REFERRALS_INCOMING};
    as_prov(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.nrows, 1);
    assert_true(rec_is_null(pg.rows[0], "episode_id"));
    json_t *doc = NULL;
    as_prov(f);
    assert_int_equal(participant_export(&f->c, p, &doc), RES_OK);
    json_t *refs = json_object_get(doc, "referrals");
    assert_int_equal(json_array_size(refs), 1);
    assert_true(json_is_null(json_object_get(json_array_get(refs, 0), "episode_id")));
    json_decref(doc);

    as_lw(f);
    assert_int_equal(referral_get(&f->c, second, &out), RES_OK);
    assert_int_equal(rec_int(out, "episode_id", 0), first);
    as_lw(f);
    assert_int_equal(participant_export(&f->c, p, &doc), RES_OK);
    refs = json_object_get(doc, "referrals");
    assert_int_equal(json_array_size(refs), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(refs, 1), "episode_id")),
                     first);
    json_decref(doc);
    /* The first of an episode names itself, which its provider sees. */
    w_move(f, first, "sent", NULL);
    as(f, ROLE_PROVIDER, W.other_prov, W.other);
    assert_int_equal(referral_get(&f->c, first, &out), RES_OK);
    assert_int_equal(rec_int(out, "episode_id", 0), first);
}

/* Erasure answers the person's request to the organisation holding their
 * record: a provider that may see the person cannot erase them. */
static void only_the_holding_organisation_erases(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Hana", W.ref, 0, 0, 0, "1960-05-05", "female", "asian_indian");
    long long id = w_refer(f, p, "S1");
    w_move(f, id, "sent", NULL);
    as_prov(f);
    assert_int_equal(participant_access(&f->c, p), RES_OK);
    as_prov(f);
    assert_int_equal(participant_anonymise(&f->c, p, "erasure"), RES_FORBIDDEN);
    assert_non_null(ref_text(f, id, "service_name"));
    long long cleared = -1;
    assert_int_equal(store_query_int(f->c.db, &cleared,
                                     "SELECT anonymised_at IS NULL FROM participants WHERE id = $1",
                                     "i", p),
                     1);
    assert_int_equal(cleared, 1);
    as_lw(f);
    assert_int_equal(participant_anonymise(&f->c, p, "erasure"), RES_OK);
    assert_int_equal(store_query_int(f->c.db, &cleared,
                                     "SELECT anonymised_at IS NULL FROM participants WHERE id = $1",
                                     "i", p),
                     1);
    assert_int_equal(cleared, 0);
}

/* Changing nothing still shows the whole record: that read is audited too. */
static void an_empty_update_is_an_audited_read(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Flo", W.ref, 0, 0, 0, "1950-01-01", "female", "white_irish");
    long long before = fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'participants'");
    as_lw(f);
    rec *in = rec_new(f->c.a), *out = NULL;
    assert_int_equal(participant_update(&f->c, p, in, &out), RES_OK);
    assert_string_equal(rec_text(out, "name"), "Flo");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'participants'"),
                     before + 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'participants'"
                                 " AND action = 'read'"),
                     1);
}

/* ---- writes racing an erasure (two connections to one database file) ---- */

/* A fixture on a database file, so that a second connection can share it. */
static char race_path[64];

static int setup_file(void **state)
{
    snprintf(race_path, sizeof race_path, "/tmp/chis-race-%ld.db", (long)getpid());
    unlink(race_path);
    if (fx_setup_at(state, race_path) != 0) return -1;
    world(*state);
    return 0;
}

static int teardown_file(void **state)
{
    fx_teardown(state);
    char wal[80];
    unlink(race_path);
    snprintf(wal, sizeof wal, "%s-wal", race_path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", race_path);
    unlink(wal);
    return 0;
}

struct racer {
    long long pid;
    bool consent; /* record consent with a note, else change the phone number */
    result res;
};

/* The link worker's write on a connection of its own (a second worker). */
static void *race_writer(void *arg)
{
    struct racer *r = arg;
    char *err = NULL;
    store_conn *db = store_open(race_path, &err);
    struct ctx c;
    ctx_init(&c, arena_new(1 << 16), db, FX_NOW);
    struct actor a = {
        .role = ROLE_LINK_WORKER, .user_id = W.lw, .org_id = W.ref, .email = "lw@x.org"};
    c.actor = &a;
    rec *in = rec_new(c.a), *out = NULL;
    if (r->consent) {
        rec_set_text(in, "scope", "story_public");
        rec_set_bool(in, "given", true);
        rec_set_text(in, "method", "verbal");
        rec_set_text(in, "note", "Her son Dan agreed for her NOTE-GRUE");
        r->res = consent_record(&c, r->pid, in, &out);
    } else {
        rec_set_text(in, "phone", "01632 960 001");
        r->res = participant_update(&c, r->pid, in, &out);
    }
    arena_free(c.a);
    store_close(db);
    return NULL;
}

/*
 * The writer reads the record while the erasure holds the write lock, then
 * waits for it; the erasure commits; the writer's write must not bring the
 * person back (nor add a note about them).
 */
static result race_with_erasure(struct fx *f, long long p, bool consent)
{
    fx_operator(f);
    assert_int_equal(store_begin(f->c.db), 0);
    struct racer r = {.pid = p, .consent = consent, .res = -1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race_writer, &r), 0);
    usleep(400 * 1000); /* the writer has read and waits for the lock */
    assert_int_equal(participant_anonymise(&f->c, p, "erasure"), RES_OK);
    assert_int_equal(store_commit(f->c.db), 0);
    pthread_join(t, NULL);
    return r.res;
}

static void an_update_racing_an_erasure_does_not_undo_it(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Hal", W.ref, 0, 0, 0, "1950-01-01", "male", "white_irish");
    assert_int_equal(race_with_erasure(f, p, false), RES_CONFLICT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM participants WHERE name IS NOT NULL OR"
                                 " date_of_birth IS NOT NULL OR phone IS NOT NULL"),
                     0);
}

static void consent_racing_an_erasure_leaves_no_note(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Ida", W.ref, 0, 0, 0, "1950-01-01", "female", "white_irish");
    assert_int_equal(race_with_erasure(f, p, true), RES_CONFLICT);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM consents WHERE note IS NOT NULL"), 0);
    assert_int_equal(fx_audit_mentions(f, "GRUE"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(referral_free_text_stays_out_of_the_audit_log, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(consent_notes_stay_out_of_the_audit_log, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_draft_cancelled_unsent_never_reaches_the_provider,
                                        world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_withdrawal_dated_today_takes_effect_at_once, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(free_text_is_withheld_with_the_persons_data, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(an_episode_does_not_reveal_another_providers_referral,
                                        world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(an_empty_update_is_an_audited_read, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(only_the_holding_organisation_erases, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(an_update_racing_an_erasure_does_not_undo_it, setup_file,
                                        teardown_file),
        cmocka_unit_test_setup_teardown(consent_racing_an_erasure_leaves_no_note, setup_file,
                                        teardown_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
