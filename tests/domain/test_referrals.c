/*
 * test_referrals.c: the referral lifecycle driven from its table (all 81
 * pairs of states, legal and not, and which side may make each move),
 * the fields each transition sets, SNOMED codes and episodes, creating a
 * referral (who may, what is checked, the frozen equity columns) and who
 * sees a referral. Capacity, the waitlist and the governance gate are in
 * test_referral_capacity.c. The clock is FX_NOW, 2026-11-26T09:00Z.
 */
#include "unit.h"

#include <stdio.h>

#include "referrals_world.h"

#include "domain/participants.h"

/* Puts referral id straight into state s (as if it had got there), for the table tests. */
static void force(struct fx *f, long long id, enum referral_status s)
{
    long long n = store_run(f->c.db,
                            "UPDATE referrals SET status = $1, sent_at = CASE WHEN $1 = 'draft'"
                            " THEN NULL ELSE '2026-11-20T10:00:00Z' END WHERE id = $2",
                            "ti", referral_status_name(s), id);
    assert_int_equal(n, 1);
}

static void the_table_has_the_thirteen_moves(void **state)
{
    (void)state;
    assert_int_equal(referral_transitions_len, 13);
    int reasons = 0, legal = 0;
    for (int from = 0; from < REFERRAL_NSTATUS; from++)
        for (int to = 0; to < REFERRAL_NSTATUS; to++) {
            const struct referral_transition *t = referral_transition_rule(from, to);
            if (!t) continue;
            legal++;
            reasons += t->reason_required;
            assert_int_equal(t->reason_required, to == REFERRAL_DECLINED ||
                                                     to == REFERRAL_DROPPED_OUT ||
                                                     to == REFERRAL_CANCELLED);
            /* Cancelling is the referrer's alone, and only before the person starts. */
            if (to == REFERRAL_CANCELLED) {
                assert_int_equal(t->sides, SIDE_REFERRER);
                assert_true(from != REFERRAL_STARTED);
            }
        }
    assert_int_equal(legal, 13);
    assert_int_equal(reasons, 7);
    assert_non_null(referral_transition_rule(REFERRAL_DRAFT, REFERRAL_SENT));
    assert_int_equal(referral_transition_rule(REFERRAL_DRAFT, REFERRAL_SENT)->sides, SIDE_REFERRER);
    assert_int_equal(referral_transition_rule(REFERRAL_SENT, REFERRAL_DECLINED)->sides,
                     SIDE_REFERRER | SIDE_PROVIDER);
    assert_int_equal(referral_transition_rule(REFERRAL_STARTED, REFERRAL_COMPLETED)->sides,
                     SIDE_PROVIDER);
    assert_null(referral_transition_rule(REFERRAL_STARTED, REFERRAL_CANCELLED));
    assert_null(referral_transition_rule(REFERRAL_ACCEPTED, REFERRAL_DECLINED));
    assert_null(referral_transition_rule(REFERRAL_COMPLETED, REFERRAL_STARTED));

    /* Names round-trip; open states are the five before an end. */
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        enum referral_status back;
        assert_true(referral_status_parse(referral_status_name(s), &back));
        assert_int_equal(back, s);
    }
    enum referral_status x;
    assert_false(referral_status_parse("finished", &x));
    assert_false(referral_status_parse(NULL, &x));
    assert_string_equal(referral_status_name(REFERRAL_DROPPED_OUT), "dropped_out");
    int open = 0;
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        open += referral_status_open(s);
    assert_int_equal(open, 5);
    assert_false(referral_status_open(REFERRAL_DECLINED));
    assert_true(referral_status_open(REFERRAL_WAITLISTED));
}

/*
 * Every (from, to) pair: the operator (both sides) may make exactly the
 * table's moves; anything else is a conflict naming the current state, and
 * the referral is left as it was.
 */
static void every_pair_follows_the_table(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Pat", W.ref, W.place1, W.hood1, 3, "1960-05-01", "female",
                                "white_british");
    int legal = 0, illegal = 0;
    for (int from = 0; from < REFERRAL_NSTATUS; from++)
        for (int to = 0; to < REFERRAL_NSTATUS; to++) {
            long long id = w_refer(f, p, "S1");
            force(f, id, from);
            long long events = fx_count(f, "SELECT count(*) FROM referral_events");
            fx_operator(f);
            rec *out = NULL;
            result res =
                referral_transition(&f->c, id, referral_status_name(to), "A reason", NULL, &out);
            if (referral_transition_rule(from, to)) {
                legal++;
                if (res != RES_OK)
                    fail_msg("%s -> %s refused: %s", referral_status_name(from),
                             referral_status_name(to), f->c.detail);
                assert_string_equal(rec_text(out, "status"), referral_status_name(to));
                assert_int_equal(fx_count(f, "SELECT count(*) FROM referral_events"), events + 1);
            } else {
                illegal++;
                assert_int_equal(res, RES_CONFLICT);
                char want[160];
                snprintf(want, sizeof want, "The referral is '%s'; it cannot move to '%s'.",
                         referral_status_name(from), referral_status_name(to));
                assert_string_equal(f->c.detail, want);
                assert_string_equal(ref_text(f, id, "status"), referral_status_name(from));
                assert_int_equal(fx_count(f, "SELECT count(*) FROM referral_events"), events);
            }
            /* Close it, so the next referral of the person starts nothing odd. */
            store_run(f->c.db, "UPDATE referrals SET status = 'cancelled' WHERE id = $1", "i", id);
        }
    assert_int_equal(legal, 13);
    assert_int_equal(illegal, 81 - 13);
}

/*
 * Each legal move tried by the referrer alone, the provider alone and
 * another organisation: allowed exactly for the table's sides, otherwise
 * forbidden (or not found, where the actor may not see the referral).
 */
static void each_side_makes_only_its_moves(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Sam", W.ref, 0, 0, 0, "1990-01-01", "male", "asian_indian");
    for (int i = 0; i < referral_transitions_len; i++) {
        const struct referral_transition *t = &referral_transitions[i];
        for (int who = 0; who < 3; who++) {
            long long id = w_refer(f, p, "S1");
            force(f, id, t->from);
            if (who == 0)
                as_lw(f);
            else if (who == 1)
                as_prov(f);
            else
                as(f, ROLE_PROVIDER, W.other_prov, W.other);
            rec *out = NULL;
            result res =
                referral_transition(&f->c, id, referral_status_name(t->to), "Reason", NULL, &out);
            unsigned side = who == 0 ? SIDE_REFERRER : SIDE_PROVIDER;
            if (who == 2 || (who == 1 && t->from == REFERRAL_DRAFT))
                assert_int_equal(res, RES_NOT_FOUND); /* drafts are the referrer's own */
            else if (t->sides & side)
                assert_int_equal(res, RES_OK);
            else
                assert_int_equal(res, RES_FORBIDDEN);
            store_run(f->c.db, "UPDATE referrals SET status = 'cancelled' WHERE id = $1", "i", id);
        }
    }
}

static void reasons_are_required_where_the_table_says(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Ria", W.ref, 0, 0, 0, "1990-01-01", "female", "black_african");
    long long id = w_refer(f, p, "S1");
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, id, "cancelled", NULL, NULL, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "reason"));
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "cancelled", "   ", NULL, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "reason"));
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "finished", NULL, NULL, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "to"));
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, NULL, NULL, NULL, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "to"));
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "sent", NULL, "person", &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "declined_by"));
    assert_string_equal(ref_text(f, id, "status"), "draft");
    /* A reason on a move that does not need one is kept in the history only. */
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, id, "sent", "Spoke on the phone", NULL, &out),
                     RES_OK);
    assert_null(rec_text(out, "reason"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referral_events WHERE reason ="
                                 " 'Spoke on the phone' AND to_status = 'sent'"),
                     1);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, id, "declined", "", "nobody", &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "reason"));
    assert_non_null(fx_field_error(f, "declined_by"));
}

/* The fields each step sets, the events, the audit entries, the person's last contact. */
static void a_full_journey_is_timestamped_and_audited(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Jo", W.ref, W.place1, W.hood1, 3, "1950-03-03", "female",
                                "white_british");
    long long id = w_refer(f, p, "S1");
    assert_null(ref_text(f, id, "sent_at"));
    assert_string_equal(ref_text(f, id, "created_at"), NOW_ISO);

    ctx_set_now(&f->c, FX_NOW + 3600);
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, id, "sent", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "sent_at"), "2026-11-26T10:00:00Z");
    assert_true(rec_is_null(out, "first_contact_at"));

    ctx_set_now(&f->c, FX_NOW + 86400);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, id, "accepted", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "accepted_at"), "2026-11-27T09:00:00Z");
    assert_string_equal(rec_text(out, "first_contact_at"), "2026-11-27T09:00:00Z");

    ctx_set_now(&f->c, FX_NOW + 2 * 86400);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, id, "started", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "started_at"), "2026-11-28T09:00:00Z");
    assert_string_equal(rec_text(out, "first_contact_at"), "2026-11-27T09:00:00Z");
    assert_true(rec_is_null(out, "ended_at"));

    ctx_set_now(&f->c, FX_NOW + 60 * 86400);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, id, "completed", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "status"), "completed");
    assert_string_equal(rec_text(out, "ended_at"), "2027-01-25T09:00:00Z");

    /* The history: creation, then the four moves, attributed. */
    as_lw(f);
    struct store_page ev;
    assert_int_equal(referral_events(&f->c, id, &ev), RES_OK);
    assert_int_equal(ev.nrows, 5);
    assert_true(rec_is_null(ev.rows[0], "from_status"));
    assert_string_equal(rec_text(ev.rows[0], "to_status"), "draft");
    assert_string_equal(rec_text(ev.rows[1], "to_status"), "sent");
    assert_string_equal(rec_text(ev.rows[2], "from_status"), "sent");
    assert_string_equal(rec_text(ev.rows[2], "to_status"), "accepted");
    assert_string_equal(rec_text(ev.rows[4], "to_status"), "completed");
    assert_string_equal(rec_text(ev.rows[4], "at"), "2027-01-25T09:00:00Z");
    assert_string_equal(rec_text(ev.rows[4], "actor"), "tester@example.org");
    assert_int_equal(fx_count(f, arena_printf(f->c.a,
                                              "SELECT count(*) FROM referral_events WHERE"
                                              " referral_id = %lld AND actor_user_id = %lld",
                                              id, W.prov_user)),
                     3);
    assert_int_equal(fx_count(f, arena_printf(f->c.a,
                                              "SELECT count(*) FROM audit WHERE entity ="
                                              " 'referrals' AND entity_id = %lld AND action ="
                                              " 'transition'",
                                              id)),
                     4);
    assert_int_equal(fx_count(f, arena_printf(f->c.a,
                                              "SELECT count(*) FROM audit WHERE entity ="
                                              " 'referrals' AND entity_id = %lld AND action ="
                                              " 'create'",
                                              id)),
                     1);
    /* The audit keeps no name of the person. */
    assert_int_equal(
        fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'referrals' AND"
                    " (COALESCE(before_json, '') LIKE '%\"Jo\"%' OR COALESCE(after_json, '')"
                    " LIKE '%\"Jo\"%')"),
        0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'referrals' AND"
                                 " action = 'transition' AND after_json LIKE"
                                 " '%\"status\":\"completed\"%'"),
                     1);
    /* Contact with the person was noted at the last move. */
    assert_int_equal(fx_count(f, arena_printf(f->c.a,
                                              "SELECT count(*) FROM participants WHERE id = %lld"
                                              " AND last_contact_at = '2027-01-25T09:00:00Z'",
                                              p)),
                     1);
}

static void first_contact_and_declines(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Al", W.ref, 0, 0, 0, "1980-01-01", "male", "white_irish");
    /* Waitlisting is a first contact; the later accept does not move it. */
    long long a = w_refer(f, p, "S1");
    w_move(f, a, "sent", NULL);
    ctx_set_now(&f->c, FX_NOW + 7200);
    as_prov(f);
    rec *out = NULL;
    assert_int_equal(referral_transition(&f->c, a, "waitlisted", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "first_contact_at"), "2026-11-26T11:00:00Z");
    assert_int_equal(rec_int(out, "waitlist_position", 0), 1);
    ctx_set_now(&f->c, FX_NOW + 9000);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, a, "accepted", NULL, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "first_contact_at"), "2026-11-26T11:00:00Z");
    assert_true(rec_is_null(out, "waitlist_position"));

    /* The person declines through their link worker: no provider contact, the declined code. */
    long long b = w_refer(f, p, "S1");
    w_move(f, b, "sent", NULL);
    as_lw(f);
    assert_int_equal(referral_transition(&f->c, b, "declined", "Changed their mind", NULL, &out),
                     RES_OK);
    assert_string_equal(rec_text(out, "declined_by"), "person");
    assert_string_equal(rec_text(out, "reason"), "Changed their mind");
    assert_true(rec_is_null(out, "first_contact_at"));
    assert_string_equal(rec_text(out, "snomed_code"), SNOMED_SP_DECLINED);
    assert_string_equal(rec_text(out, "snomed_term"), SNOMED_SP_DECLINED_TERM);
    assert_non_null(rec_text(out, "ended_at"));

    /* The provider declines: the provider, first contact, the code unchanged. */
    long long c = w_refer(f, p, "S1");
    const char *code_before = ref_text(f, c, "snomed_code");
    w_move(f, c, "sent", NULL);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, c, "declined", "Not suitable", NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "declined_by"), "provider");
    assert_non_null(rec_text(out, "first_contact_at"));
    if (code_before)
        assert_string_equal(rec_text(out, "snomed_code"), code_before);
    else
        assert_true(rec_is_null(out, "snomed_code"));

    /* The provider says the person declined: the explicit value wins. */
    long long d = w_refer(f, p, "S1");
    w_move(f, d, "sent", NULL);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, d, "waitlisted", NULL, NULL, &out), RES_OK);
    as_prov(f);
    assert_int_equal(
        referral_transition(&f->c, d, "declined", "Found another group", "person", &out), RES_OK);
    assert_string_equal(rec_text(out, "declined_by"), "person");
    assert_string_equal(rec_text(out, "snomed_code"), SNOMED_SP_DECLINED);

    /* A self-referral declined by its makers counts as the provider's decline. */
    as_prov(f);
    struct referral_input in = {.participant_id = p, .service_id = "S1"};
    /* The provider sees the person (a sent referral to them). */
    assert_int_equal(referral_create(&f->c, &in, &out), RES_OK);
    long long s = rec_int(out, "id", 0);
    assert_true(rec_int(out, "self_referral", 0));
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, s, "sent", NULL, NULL, &out), RES_OK);
    as_prov(f);
    assert_int_equal(referral_transition(&f->c, s, "declined", "No room", NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "declined_by"), "provider");
}

static void snomed_codes_follow_episodes(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Eve", W.ref, 0, 0, 0, "1970-07-07", "female", "mixed_other");
    long long first = w_refer(f, p, "S1");
    assert_string_equal(ref_text(f, first, "snomed_code"), SNOMED_SP_REFERRAL);
    assert_int_equal(ref_int(f, first, "episode_id"), first);
    as_lw(f);
    rec *out = NULL;
    assert_int_equal(referral_get(&f->c, first, &out), RES_OK);
    assert_string_equal(rec_text(out, "snomed_code"), SNOMED_SP_REFERRAL);
    assert_string_equal(rec_text(out, "snomed_term"), SNOMED_SP_REFERRAL_TERM);

    /* While the first is open, the next joins its episode with no code. */
    long long second = w_refer(f, p, "S-OTHER");
    assert_null(ref_text(f, second, "snomed_code"));
    assert_int_equal(ref_int(f, second, "episode_id"), first);
    w_move(f, first, "sent", NULL);
    w_move(f, first, "accepted", NULL);
    w_move(f, first, "started", NULL);
    w_move(f, first, "completed", NULL);
    /* The second is still open: a third joins the same episode. */
    long long third = w_refer(f, p, "S1");
    assert_int_equal(ref_int(f, third, "episode_id"), first);
    assert_null(ref_text(f, third, "snomed_code"));
    w_move(f, second, "cancelled", "Duplicate");
    w_move(f, third, "cancelled", "Moved away");

    /* Nothing open: a new episode, coded again. */
    long long fourth = w_refer(f, p, "S1");
    assert_int_equal(ref_int(f, fourth, "episode_id"), fourth);
    assert_string_equal(ref_text(f, fourth, "snomed_code"), SNOMED_SP_REFERRAL);

    /* Another person's episodes are their own. */
    long long q = w_participant(f, "Max", W.ref, 0, 0, 0, "1970-07-07", "male", "other_arab");
    long long theirs = w_refer(f, q, "S1");
    assert_int_equal(ref_int(f, theirs, "episode_id"), theirs);
    assert_string_equal(ref_text(f, theirs, "snomed_code"), SNOMED_SP_REFERRAL);
}

static void creating_checks_who_and_what(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Kim", W.ref, 0, 0, 0, "2001-02-03", "female", "asian_indian");
    const char *needs[] = {"T-LONELY", "T-ANXIETY", "T-LONELY"};
    struct referral_input in = {.participant_id = p,
                                .service_id = "S1",
                                .needs = needs,
                                .nneeds = 3,
                                .notes = "  Likes singing  ",
                                .urgency = "urgent"};
    rec *out = NULL;
    long long before = fx_count(f, "SELECT count(*) FROM referrals");
    /* Leads and viewers do not refer; nor does the operator (no organisation). */
    as(f, ROLE_VIEWER, W.viewer, W.ref);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_FORBIDDEN);
    as(f, ROLE_PLACE_LEAD, W.place_lead, W.ref);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_FORBIDDEN);
    as(f, ROLE_SYSTEM_LEAD, W.sys_lead, W.icb);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_FORBIDDEN);
    fx_operator(f);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_FORBIDDEN);
    /* Someone who may not see the person learns nothing more than "no such participant". */
    as(f, ROLE_LINK_WORKER, W.other_lw, W.other);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_INVALID);
    char want[64];
    snprintf(want, sizeof want, "No participant with id %lld", p);
    assert_string_equal(fx_field_error(f, "participant_id"), want);
    as_lw(f);
    struct referral_input bad = {.participant_id = 999999, .service_id = "S1"};
    assert_int_equal(referral_create(&f->c, &bad, &out), RES_INVALID);
    assert_string_equal(fx_field_error(f, "participant_id"), "No participant with id 999999");

    const char *services[] = {"NOPE", "S-DEL", "S-PEND", "S-NONE", NULL, ""};
    for (int i = 0; i < 6; i++) {
        as_lw(f);
        struct referral_input s = {.participant_id = p, .service_id = services[i]};
        assert_int_equal(referral_create(&f->c, &s, &out), RES_INVALID);
        assert_non_null(fx_field_error(f, "service_id"));
    }
    as_lw(f);
    const char *unknown[] = {"T-LONELY", "T-NOPE"};
    struct referral_input n = {
        .participant_id = p, .service_id = "S1", .needs = unknown, .nneeds = 2, .urgency = "soon"};
    assert_int_equal(referral_create(&f->c, &n, &out), RES_INVALID);
    assert_non_null(fx_field_error(f, "needs[1]"));
    assert_null(fx_field_error(f, "needs[0]"));
    assert_non_null(fx_field_error(f, "urgency"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM referrals"), before);

    as_lw(f);
    assert_int_equal(referral_create(&f->c, &in, &out), RES_OK);
    long long id = rec_int(out, "id", 0);
    assert_string_equal(rec_text(out, "status"), "draft");
    assert_string_equal(rec_text(out, "service_name"), "Service S1");
    assert_int_equal(rec_int(out, "referring_org_id", 0), W.ref);
    assert_string_equal(rec_text(out, "referring_org_name"), "Referrers");
    assert_int_equal(rec_int(out, "receiving_org_id", 0), W.prov);
    assert_string_equal(rec_text(out, "receiving_org_name"), "Providers");
    assert_int_equal(rec_int(out, "referrer_user_id", 0), W.lw);
    assert_false(rec_int(out, "self_referral", 1));
    assert_string_equal(rec_text(out, "needs"), "T-ANXIETY,T-LONELY");
    assert_string_equal(rec_text(out, "notes"), "Likes singing");
    assert_string_equal(rec_text(out, "urgency"), "urgent");
    assert_string_equal(rec_text(out, "participant_name"), "Kim");
    assert_false(rec_has(out, "governance_warning"));
    /* Unplaced person: the place of the service's first venue; no neighbourhood or IMD. */
    assert_int_equal(ref_int(f, id, "place_id"), W.place2);
    assert_int_equal(ref_int(f, id, "neighbourhood_id"), -1);
    assert_int_equal(ref_int(f, id, "imd_quintile"), -1);
    assert_string_equal(ref_text(f, id, "age_band"), "25-34");
    assert_string_equal(ref_text(f, id, "sex"), "female");
    assert_string_equal(ref_text(f, id, "ethnicity_group"), "asian");

    /* A placed person keeps their own place; decile 3 is quintile 2, 10 is 5, 1 is 1. */
    int deciles[] = {3, 10, 1};
    int quintiles[] = {2, 5, 1};
    for (int i = 0; i < 3; i++) {
        long long q = w_participant(f, "Lee", W.ref, W.place1, W.hood1, deciles[i], "1940-01-01",
                                    "male", "white_british");
        long long r = w_refer(f, q, "S1");
        assert_int_equal(ref_int(f, r, "place_id"), W.place1);
        assert_int_equal(ref_int(f, r, "neighbourhood_id"), W.hood1);
        assert_int_equal(ref_int(f, r, "imd_quintile"), quintiles[i]);
        assert_string_equal(ref_text(f, r, "age_band"), "75+");
        assert_string_equal(ref_text(f, r, "ethnicity_group"), "white");
    }
    /* Frozen: a later change to the person leaves the referral as it was. */
    store_run(f->c.db, "UPDATE participants SET sex = 'male', place_id = NULL WHERE id = $1", "i",
              p);
    assert_string_equal(ref_text(f, id, "sex"), "female");
    assert_int_equal(ref_int(f, id, "place_id"), W.place2);
}

/* Who sees a referral at each stage, and what referral_access answers. */
static void who_sees_a_referral(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Viv", W.ref, 0, 0, 0, "1985-01-01", "female", "white_british");
    long long id = w_refer(f, p, "S1");
    struct {
        enum role role;
        long long user, org;
        bool draft, sent;
        unsigned sides_sent;
    } cases[] = {
        {ROLE_LINK_WORKER, W.lw, W.ref, true, true, SIDE_REFERRER},
        {ROLE_PROVIDER, W.prov_user, W.prov, false, true, SIDE_PROVIDER},
        {ROLE_PROVIDER, W.other_prov, W.other, false, false, 0},
        {ROLE_LINK_WORKER, W.other_lw, W.other, false, false, 0},
        {ROLE_ADMIN, W.admin, W.icb, false, false, 0},
        {ROLE_SYSTEM_LEAD, W.sys_lead, W.icb, false, false, 0},
        {ROLE_PLACE_LEAD, W.place_lead, W.ref, false, false, 0}, /* even of the referring org */
        {ROLE_VIEWER, W.viewer, W.ref, false, false, 0},
    };
    int n = sizeof cases / sizeof cases[0];
    for (int stage = 0; stage < 2; stage++) {
        if (stage == 1) w_move(f, id, "sent", NULL);
        for (int i = 0; i < n; i++) {
            as(f, cases[i].role, cases[i].user, cases[i].org);
            bool sees = stage == 0 ? cases[i].draft : cases[i].sent;
            rec *out = NULL;
            result res = referral_get(&f->c, id, &out);
            assert_int_equal(res, sees ? RES_OK : RES_NOT_FOUND);
            if (!sees) {
                char want[64];
                snprintf(want, sizeof want, "There is no referral with id %lld", id);
                assert_string_equal(f->c.detail, want);
                /* The same answer as for an id that does not exist. */
                as(f, cases[i].role, cases[i].user, cases[i].org);
                assert_int_equal(referral_get(&f->c, 987654, &out), RES_NOT_FOUND);
                as(f, cases[i].role, cases[i].user, cases[i].org);
                struct store_page ev;
                assert_int_equal(referral_events(&f->c, id, &ev), RES_NOT_FOUND);
                as(f, cases[i].role, cases[i].user, cases[i].org);
                assert_int_equal(referral_transition(&f->c, id, "cancelled", "x", NULL, &out),
                                 RES_NOT_FOUND);
            }
            as(f, cases[i].role, cases[i].user, cases[i].org);
            unsigned sides = 0;
            enum referral_status status;
            long long pid = 0;
            res = referral_access(&f->c, id, &sides, &status, &pid);
            assert_int_equal(res, sees ? RES_OK : RES_NOT_FOUND);
            if (sees && stage == 1) {
                assert_int_equal(sides, cases[i].sides_sent);
                assert_int_equal(status, REFERRAL_SENT);
                assert_int_equal(pid, p);
            }
        }
    }
    fx_operator(f);
    unsigned sides = 0;
    assert_int_equal(referral_access(&f->c, id, &sides, NULL, NULL), RES_OK);
    assert_int_equal(sides, SIDE_REFERRER | SIDE_PROVIDER);
    f->c.by_operator = false;
    assert_int_equal(referral_access(&f->c, id, &sides, NULL, NULL), RES_UNAUTHENTICATED);

    /* Reads are audited; referral_access is not. */
    long long reads = fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                  " entity = 'referrals'");
    as_prov(f);
    assert_int_equal(referral_access(&f->c, id, NULL, NULL, NULL), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                 " entity = 'referrals'"),
                     reads);
    rec *out = NULL;
    as_prov(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                 " entity = 'referrals'"),
                     reads + 1);
    /* The provider sees the person's name while consent stands, not once it is withdrawn. */
    assert_string_equal(rec_text(out, "participant_name"), "Viv");
    store_run(f->c.db,
              "INSERT INTO consents (participant_id, scope, given, method, recorded_at,"
              " recorded_by, created_at, updated_at) VALUES ($1, 'referral_to_provider', 0,"
              " 'verbal', $2, 'test', $2, $2)",
              "it", p, NOW_ISO);
    as_prov(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_true(rec_is_null(out, "participant_name"));
    as_lw(f);
    assert_int_equal(referral_get(&f->c, id, &out), RES_OK);
    assert_string_equal(rec_text(out, "participant_name"), "Viv");
}

static void lists_show_each_side_its_own(void **state)
{
    struct fx *f = *state;
    long long p = w_participant(f, "Bo", W.ref, 0, 0, 0, "1985-01-01", "male", "white_british");
    long long draft = w_refer(f, p, "S1");
    long long sent = w_refer(f, p, "S1");
    w_move(f, sent, "sent", NULL);
    long long other = w_refer(f, p, "S-OTHER");
    w_move(f, other, "sent", NULL);
    /* The provider's self-referral to its own service. */
    as_prov(f);
    struct referral_input in = {.participant_id = p, .service_id = "S1"};
    rec *out = NULL;
    assert_int_equal(referral_create(&f->c, &in, &out), RES_OK);
    long long self = rec_int(out, "id", 0);

    struct store_page pg;
    struct referral_query q = {0};
    as_lw(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 3);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), other); /* newest first */
    assert_int_equal(rec_int(pg.rows[2], "id", 0), draft);
    q.queue = REFERRALS_INCOMING;
    as_lw(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 0);

    /* The provider: incoming excludes the link worker's draft; its own draft is outgoing. */
    q.queue = REFERRALS_INCOMING;
    as_prov(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), sent);
    q.queue = REFERRALS_OUTGOING;
    as_prov(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), self);
    q.queue = REFERRALS_ALL;
    as_prov(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 2);

    /* Filters and paging. */
    q = (struct referral_query){.status = "sent", .service_id = "S1"};
    as_lw(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    q = (struct referral_query){.participant_id = p, .per_page = 2, .page = 2};
    as_lw(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.nrows, 1);
    q = (struct referral_query){.status = "finished", .per_page = 500};
    as_lw(f);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_INVALID);
    assert_non_null(fx_field_error(f, "status"));
    assert_non_null(fx_field_error(f, "per_page"));

    /* Another organisation, leads and viewers list nothing of these. */
    q = (struct referral_query){0};
    as(f, ROLE_PROVIDER, W.other_prov, W.other);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), other);
    as(f, ROLE_VIEWER, W.viewer, W.ref);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_FORBIDDEN);
    as(f, ROLE_PLACE_LEAD, W.place_lead, W.ref);
    assert_int_equal(referral_list(&f->c, &q, &pg), RES_FORBIDDEN);

    enum referral_queue qq;
    assert_true(referral_queue_parse(NULL, &qq) && qq == REFERRALS_ALL);
    assert_true(referral_queue_parse("incoming", &qq) && qq == REFERRALS_INCOMING);
    assert_true(referral_queue_parse("outgoing", &qq) && qq == REFERRALS_OUTGOING);
    assert_false(referral_queue_parse("mine", &qq));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_has_the_thirteen_moves),
        cmocka_unit_test_setup_teardown(every_pair_follows_the_table, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(each_side_makes_only_its_moves, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(reasons_are_required_where_the_table_says, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_full_journey_is_timestamped_and_audited, world_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(first_contact_and_declines, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(snomed_codes_follow_episodes, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(creating_checks_who_and_what, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(who_sees_a_referral, world_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lists_show_each_side_its_own, world_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
