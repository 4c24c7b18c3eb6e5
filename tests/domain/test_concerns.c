/*
 * test_concerns.c: routing, deadlines, escalation, transitions, visibility
 * and reminders, without HTTP, with the clock driven by the test.
 *
 * The fixture's chain: a community group (Riverside) whose safeguarding line
 * leads to a person at the council, whose safeguarding line leads to a
 * person at the ICB; past them, the Riverside place lead, then the system
 * lead. FX_NOW is Thursday 26 November 2026, 09:00 UTC.
 */
#include "unit.h"

#include "domain/concerns.h"
#include "domain/notifications.h"
#include "domain/scheduler.h"

#include <stdio.h>

struct world {
    long long riverside, moorland;
    long long icb, council, group, orphan;          /* orphan serves Moorland, which has no lead */
    long long council_person, icb_person;           /* accountable people, linked to users */
    long long u_old_lead, u_sys, u_place, u_place2; /* u_old_lead: a disabled system lead */
    long long u_council, u_icb, u_raiser, u_other, u_group;
};

static struct world w;

/* The id a one-text-parameter INSERT ... RETURNING id gave back. */
static long long insert_named(struct fx *f, const char *sql, const char *name)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id, sql, "t", name) != 1)
        fail_msg("insert failed: %s: %s", sql, store_errmsg(f->c.db));
    return id;
}

static long long place(struct fx *f, const char *name)
{
    return insert_named(f,
                        "INSERT INTO places (name, created_at, updated_at) VALUES ($1, 'x', 'x')"
                        " RETURNING id",
                        name);
}

/* An organisation serving one place (sector vcse: routing does not look at it). */
static long long org(struct fx *f, const char *name, long long place_id)
{
    long long id = insert_named(f,
                                "INSERT INTO organisations (name, sector, created_at, updated_at)"
                                " VALUES ($1, 'vcse', 'x', 'x') RETURNING id",
                                name);
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO organisation_places (organisation_id, place_id)"
                               " VALUES ($1, $2)",
                               "ii", id, place_id),
                     1);
    return id;
}

/* A user (with a dummy password hash: nobody signs in here), leading place_id when not 0. */
static long long user_row(struct fx *f, const char *email, const char *role, long long org_id,
                          long long place_id, bool disabled)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO users (email, name, role, organisation_id, password_hash,"
                        " disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, 'x', $5,"
                        " 'x', 'x') RETURNING id",
                        "tttib", email, email, role, org_id, (int)disabled) != 1)
        fail_msg("user insert: %s", store_errmsg(f->c.db));
    if (place_id)
        assert_int_equal(store_run(f->c.db,
                                   "INSERT INTO user_places (user_id, place_id) VALUES ($1, $2)",
                                   "ii", id, place_id),
                         1);
    return id;
}

static long long person(struct fx *f, long long org_id, const char *name, long long user_id)
{
    long long id = 0;
    if (store_query_int(f->c.db, &id,
                        "INSERT INTO people (organisation_id, name, user_id, created_at,"
                        " updated_at) VALUES ($1, $2, $3, 'x', 'x') RETURNING id",
                        "itI", org_id, name, user_id) != 1)
        fail_msg("person insert: %s", store_errmsg(f->c.db));
    return id;
}

static void line(struct fx *f, long long org_id, const char *domain, long long person_id)
{
    assert_int_equal(store_run(f->c.db,
                               "INSERT INTO accountability (organisation_id, domain,"
                               " accountable_person_id, created_at, updated_at)"
                               " VALUES ($1, $2, $3, 'x', 'x')",
                               "iti", org_id, domain, person_id),
                     1);
}

static int build_world(void **state)
{
    if (fx_setup(state) != 0) return -1;
    struct fx *f = *state;
    memset(&w, 0, sizeof w);
    w.riverside = place(f, "Riverside");
    w.moorland = place(f, "Moorland");
    w.icb = org(f, "Riverside and Moorland ICB", w.riverside);
    store_run(f->c.db, "INSERT INTO organisation_places VALUES ($1, $2)", "ii", w.icb, w.moorland);
    w.council = org(f, "Riverside Council", w.riverside);
    w.group = org(f, "Riverside Community Choir", w.riverside);
    w.orphan = org(f, "Moorland Walkers", w.moorland);
    w.u_old_lead = user_row(f, "old.lead@example.org", "system_lead", w.icb, 0, true);
    w.u_sys = user_row(f, "sys@example.org", "system_lead", w.icb, 0, false);
    user_row(f, "sys2@example.org", "system_lead", w.icb, 0, false);
    w.u_place = user_row(f, "place@example.org", "place_lead", w.council, w.riverside, false);
    user_row(f, "place.later@example.org", "place_lead", w.council, w.riverside, false);
    w.u_place2 = user_row(f, "moor@example.org", "viewer", w.icb, 0, false);
    w.u_council = user_row(f, "council@example.org", "viewer", w.council, 0, false);
    w.u_icb = user_row(f, "icb@example.org", "viewer", w.icb, 0, false);
    w.u_raiser = user_row(f, "raiser@example.org", "link_worker", w.council, 0, false);
    w.u_other = user_row(f, "other@example.org", "provider", w.orphan, 0, false);
    w.u_group = user_row(f, "group@example.org", "provider", w.group, 0, false);
    w.council_person = person(f, w.council, "Cara Council", w.u_council);
    w.icb_person = person(f, w.icb, "Ian ICB", w.u_icb);
    line(f, w.group, "safeguarding", w.council_person);
    line(f, w.council, "safeguarding", w.icb_person);
    line(f, w.group, "general", w.icb_person);
    return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, build_world, fx_teardown)

static time_t at(const char *iso)
{
    time_t t = 0;
    if (!concern_time_parse(iso, &t)) fail_msg("bad time %s", iso);
    return t;
}

/* Act as a user with the role and organisation their row holds (and a place lead's place). */
static void as(struct fx *f, long long user_id)
{
    long long org_id = 0, place_id = 0;
    store_query_int(f->c.db, &org_id, "SELECT organisation_id FROM users WHERE id = $1", "i",
                    user_id);
    store_query_int(f->c.db, &place_id, "SELECT place_id FROM user_places WHERE user_id = $1", "i",
                    user_id);
    store_stmt *st = store_prepare(f->c.db, "SELECT role FROM users WHERE id = $1");
    store_bind_int(st, 1, user_id);
    assert_int_equal(store_step(st), STORE_ROW);
    enum role role = role_parse(store_col_text(st, 0));
    store_done(st);
    fx_act_as(f, role, user_id, org_id, &place_id, place_id ? 1 : 0);
}

static long long raise(struct fx *f, long long org_id, const char *category, const char *severity)
{
    rec *in = rec_new(f->c.a), *out = NULL;
    rec_set_int(in, "organisation_id", org_id);
    rec_set_text(in, "category", category);
    rec_set_text(in, "severity", severity);
    rec_set_text(in, "description", "Volunteers were left alone with a participant.");
    result r = concern_raise(&f->c, in, &out);
    if (r != RES_OK)
        fail_msg("raise: %s (%s)", f->c.detail, f->c.nerrors ? f->c.errors[0].message : "");
    return rec_int(out, "id", 0);
}

/* The concern as the operator sees it. */
static rec *concern(struct fx *f, long long id)
{
    struct ctx saved = f->c;
    fx_operator(f);
    rec *row = NULL;
    assert_int_equal(concern_get(&f->c, id, &row), RES_OK);
    f->c.actor = saved.actor;
    f->c.by_operator = saved.by_operator;
    return row;
}

static int tick(struct fx *f, const char *iso, struct tick_report *rep)
{
    fx_operator(f);
    ctx_set_now(&f->c, at(iso));
    assert_int_equal(scheduler_run(&f->c, rep), RES_OK);
    assert_false(store_in_tx(f->c.db));
    return rep->escalated;
}

static void concerns_route_by_category_then_general_place_lead_and_system_lead(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    long long safe = raise(f, w.group, "safeguarding", "urgent");
    rec *c = concern(f, safe);
    assert_string_equal(rec_text(c, "status"), "open");
    assert_int_equal(rec_int(c, "owner_person_id", 0), w.council_person);
    assert_true(rec_is_null(c, "owner_user_id"));
    assert_string_equal(rec_text(c, "owner_name"), "Cara Council");
    assert_int_equal(rec_int(c, "escalation_level", -1), 0);
    assert_int_equal(rec_int(c, "raised_by_user_id", 0), w.u_raiser);
    assert_string_equal(rec_text(c, "deadline"), "2026-11-26T13:00:00Z");

    /* No quality line for the group: its general line. */
    long long quality = raise(f, w.group, "quality", "low");
    assert_int_equal(rec_int(concern(f, quality), "owner_person_id", 0), w.icb_person);
    /* "other" is routed in the general domain. */
    long long other = raise(f, w.group, "other", "low");
    assert_int_equal(rec_int(concern(f, other), "owner_person_id", 0), w.icb_person);
    /* No line at all for the council in data: the place lead (lowest id) of Riverside. */
    long long data = raise(f, w.council, "data", "medium");
    c = concern(f, data);
    assert_true(rec_is_null(c, "owner_person_id"));
    assert_int_equal(rec_int(c, "owner_user_id", 0), w.u_place);
    /* Moorland has no place lead: the lowest-id active system lead. */
    long long capacity = raise(f, w.orphan, "capacity", "high");
    assert_int_equal(rec_int(concern(f, capacity), "owner_user_id", 0), w.u_sys);

    /* Each was raised and routed, with the owner notified once. */
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concern_events WHERE type = 'raised'"), 5);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concern_events WHERE type = 'routed'"), 5);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM notifications"
                                 " WHERE kind = 'concern_routed'"),
                     5);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notifications WHERE recipient_person_id = %lld",
             w.council_person);
    assert_int_equal(fx_count(f, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'concerns'"
             " AND entity_id = %lld AND actor = 'tester@example.org'",
             safe);
    assert_int_equal(fx_count(f, sql), 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concern_events WHERE type = 'routed'"
                                 " AND note LIKE 'Routed to Cara Council, accountable for"
                                 " safeguarding at Riverside Community Choir'"),
                     1);
}

static void deadlines_count_hours_days_and_working_days(void **state)
{
    struct fx *f = *state;
    time_t thu = at("2026-11-26T09:00:00Z");
#define AFTER(from, spec) concern_deadline_after(at(from), spec)
    assert_int_equal(AFTER("2026-11-26T09:00:00Z", "4h"), at("2026-11-26T13:00:00Z"));
    assert_int_equal(AFTER("2026-11-26T09:00:00Z", "5d"), at("2026-12-01T09:00:00Z"));
    assert_int_equal(AFTER("2026-11-26T09:00:00Z", "1wd"), at("2026-11-27T09:00:00Z"));
    /* Friday afternoon: one working day later is Monday afternoon. */
    assert_int_equal(AFTER("2026-11-27T15:00:00Z", "1wd"), at("2026-11-30T15:00:00Z"));
    assert_int_equal(AFTER("2026-11-26T09:00:00Z", "2wd"), at("2026-11-30T09:00:00Z"));
    assert_int_equal(AFTER("2026-11-27T15:00:00Z", "6wd"), at("2026-12-07T15:00:00Z"));
    /* Raised on a weekend, the clock starts on Monday morning. */
    assert_int_equal(AFTER("2026-11-28T10:00:00Z", "1wd"), at("2026-12-01T00:00:00Z"));
    assert_int_equal(AFTER("2026-11-29T23:00:00Z", "1wd"), at("2026-12-01T00:00:00Z"));
#undef AFTER
    static const char *const bad[] = {"",  "4",   "0h",  "04h",  "1w",     "1000h",
                                      "h", "4 h", "-1d", "1.5h", "4hours", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_false(concern_length_valid(bad[i]));
        assert_int_equal(concern_deadline_after(thu, bad[i]), (time_t)-1);
    }
    assert_true(concern_length_valid("999wd"));

    /* A high concern raised on Friday afternoon is due on Monday afternoon. */
    as(f, w.u_raiser);
    ctx_set_now(&f->c, at("2026-11-27T15:00:00Z"));
    long long id = raise(f, w.group, "safeguarding", "high");
    assert_string_equal(rec_text(concern(f, id), "deadline"), "2026-11-30T15:00:00Z");

    /* Defaults, then a system lead changes urgent; others may not; bad lengths are refused. */
    struct concern_deadlines d;
    assert_int_equal(concern_deadlines_get(&f->c, &d), RES_OK);
    assert_string_equal(d.length[3], "4h");
    assert_string_equal(d.length[2], "1wd");
    assert_string_equal(d.length[1], "5d");
    assert_string_equal(d.length[0], "10d");
    rec *in = rec_new(f->c.a);
    rec_set_text(in, "urgent", "2h");
    assert_int_equal(concern_deadlines_set(&f->c, in, NULL), RES_FORBIDDEN);
    as(f, w.u_sys);
    rec *bad_in = rec_new(f->c.a);
    rec_set_text(bad_in, "urgent", "soon");
    rec_set_text(bad_in, "sometimes", "1h");
    assert_int_equal(concern_deadlines_set(&f->c, bad_in, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "urgent"));
    assert_non_null(fx_field_error(f, "sometimes"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM settings"), 0);
    as(f, w.u_sys);
    assert_int_equal(concern_deadlines_set(&f->c, in, &d), RES_OK);
    assert_string_equal(d.length[3], "2h");
    assert_string_equal(d.length[2], "1wd");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE entity = 'settings'"), 1);
    ctx_set_now(&f->c, thu);
    id = raise(f, w.group, "safeguarding", "urgent");
    assert_string_equal(rec_text(concern(f, id), "deadline"), "2026-11-26T11:00:00Z");
}

static void an_unanswered_concern_escalates_up_the_chain_one_level_per_deadline(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    long long id = raise(f, w.group, "safeguarding", "urgent"); /* due 13:00 */
    struct tick_report rep;
    assert_int_equal(tick(f, "2026-11-26T12:59:59Z", &rep), 0);
    assert_int_equal(rec_int(concern(f, id), "owner_person_id", 0), w.council_person);

    /* At the deadline: to the person accountable for the council in safeguarding. */
    assert_int_equal(tick(f, "2026-11-26T13:00:00Z", &rep), 1);
    assert_int_equal(rep.notifications, 1);
    assert_int_equal(rep.nlines, 1);
    rec *c = concern(f, id);
    assert_int_equal(rec_int(c, "owner_person_id", 0), w.icb_person);
    assert_int_equal(rec_int(c, "escalation_level", 0), 1);
    assert_string_equal(rec_text(c, "deadline"), "2026-11-26T17:00:00Z");
    assert_string_equal(rec_text(c, "status"), "open");
    char sql[240];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_person_id = %lld"
             " AND kind = 'concern_escalated'",
             w.icb_person);
    assert_int_equal(fx_count(f, sql), 1);
    /* Running again at the same time does nothing more. */
    assert_int_equal(tick(f, "2026-11-26T13:00:00Z", &rep), 0);
    assert_int_equal(rep.notifications, 0);

    /* The ICB has no line further up: the place lead of Riverside, where the group works. */
    assert_int_equal(tick(f, "2026-11-26T17:30:00Z", &rep), 1);
    c = concern(f, id);
    assert_true(rec_is_null(c, "owner_person_id"));
    assert_int_equal(rec_int(c, "owner_user_id", 0), w.u_place);
    assert_int_equal(rec_int(c, "escalation_level", 0), 2);
    assert_string_equal(rec_text(c, "deadline"), "2026-11-26T21:30:00Z");

    /* Then the system lead. */
    assert_int_equal(tick(f, "2026-11-27T09:00:00Z", &rep), 1);
    c = concern(f, id);
    assert_int_equal(rec_int(c, "owner_user_id", 0), w.u_sys);
    assert_int_equal(rec_int(c, "escalation_level", 0), 3);

    /* At the top it stays, its clock restarts and the owner hears each time. */
    assert_int_equal(tick(f, "2026-11-27T13:00:00Z", &rep), 0);
    assert_int_equal(rep.notifications, 1);
    c = concern(f, id);
    assert_int_equal(rec_int(c, "owner_user_id", 0), w.u_sys);
    assert_int_equal(rec_int(c, "escalation_level", 0), 3);
    assert_string_equal(rec_text(c, "deadline"), "2026-11-27T17:00:00Z");
    assert_int_equal(tick(f, "2026-11-27T17:00:00Z", &rep), 0);
    assert_int_equal(rep.notifications, 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_user_id = %lld"
             " AND kind = 'concern_overdue'",
             w.u_sys);
    assert_int_equal(fx_count(f, sql), 2);

    /* The timeline, in order, and the audit names the scheduler. */
    fx_operator(f);
    struct store_page ev;
    assert_int_equal(concern_events(&f->c, id, &ev), RES_OK);
    static const char *const types[] = {"raised",    "routed", "escalated", "escalated",
                                        "escalated", "note",   "note"};
    assert_int_equal(ev.nrows, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(rec_text(ev.rows[i], "type"), types[i]);
    assert_string_equal(rec_text(ev.rows[2], "actor"), "scheduler");
    assert_string_equal(rec_text(ev.rows[2], "at"), "2026-11-26T13:00:00Z");
    assert_string_equal(rec_text(ev.rows[2], "owner_name"), "Ian ICB");
    assert_string_equal(rec_text(ev.rows[2], "deadline"), "2026-11-26T17:00:00Z");
    assert_non_null(strstr(rec_text(ev.rows[2], "note"), "from Cara Council to Ian ICB"));
    assert_string_equal(rec_text(ev.rows[0], "actor"), "tester@example.org");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'escalate'"
                                 " AND actor = 'scheduler' AND actor_user_id IS NULL"),
                     3);
}

static void a_person_never_gets_a_concern_back_and_loops_end_at_the_place_lead(void **state)
{
    struct fx *f = *state;
    /* The ICB's general line leads back to the council person, who already had it. */
    line(f, w.icb, "general", w.council_person);
    as(f, w.u_raiser);
    long long id = raise(f, w.group, "safeguarding", "urgent");
    struct tick_report rep;
    tick(f, "2026-11-26T13:00:00Z", &rep); /* council person -> ICB person */
    tick(f, "2026-11-26T17:00:00Z", &rep); /* ICB person -> not back: the place lead */
    assert_int_equal(rec_int(concern(f, id), "owner_user_id", 0), w.u_place);
}

static void a_user_owner_escalates_along_the_line_of_their_own_organisation(void **state)
{
    struct fx *f = *state;
    /* No line for the allotments: the Riverside place lead, who works at the council. */
    long long allotments = org(f, "Riverside Allotments", w.riverside);
    as(f, w.u_raiser);
    long long id = raise(f, allotments, "safeguarding", "urgent");
    assert_int_equal(rec_int(concern(f, id), "owner_user_id", 0), w.u_place);
    /* Up the council's safeguarding line, to the ICB person. */
    struct tick_report rep;
    assert_int_equal(tick(f, "2026-11-26T13:00:00Z", &rep), 1);
    rec *c = concern(f, id);
    assert_int_equal(rec_int(c, "owner_person_id", 0), w.icb_person);
    assert_true(rec_is_null(c, "owner_user_id"));
    /* No line above the ICB, and the place lead has had it: the system lead. */
    assert_int_equal(tick(f, "2026-11-26T17:00:00Z", &rep), 1);
    assert_int_equal(rec_int(concern(f, id), "owner_user_id", 0), w.u_sys);
}

static void a_concern_acknowledged_a_minute_before_its_deadline_does_not_escalate(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    long long id = raise(f, w.group, "safeguarding", "urgent"); /* due 13:00 */
    as(f, w.u_council); /* the owner, through the person linked to them */
    ctx_set_now(&f->c, at("2026-11-26T12:59:00Z"));
    rec *out = NULL;
    assert_int_equal(concern_act(&f->c, id, CONCERN_ACKNOWLEDGE, NULL, &out), RES_OK);
    assert_string_equal(rec_text(out, "status"), "acknowledged");
    /* The resolution clock: as long as the acknowledgement clock, from the acknowledgement. */
    assert_string_equal(rec_text(out, "deadline"), "2026-11-26T16:59:00Z");
    struct tick_report rep;
    assert_int_equal(tick(f, "2026-11-26T13:00:00Z", &rep), 0);
    assert_int_equal(tick(f, "2026-11-26T16:58:59Z", &rep), 0);
    rec *c = concern(f, id);
    assert_string_equal(rec_text(c, "status"), "acknowledged");
    assert_int_equal(rec_int(c, "owner_person_id", 0), w.council_person);
    /* Unresolved past the resolution deadline, it escalates and waits for the new owner. */
    assert_int_equal(tick(f, "2026-11-26T16:59:00Z", &rep), 1);
    c = concern(f, id);
    assert_string_equal(rec_text(c, "status"), "open");
    assert_int_equal(rec_int(c, "owner_person_id", 0), w.icb_person);
}

static void closing_needs_an_outcome_and_illegal_transitions_are_conflicts(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    long long id = raise(f, w.group, "quality", "medium");
    long long events = fx_count(f, "SELECT count(*) FROM concern_events");
    long long audits = fx_count(f, "SELECT count(*) FROM audit");

    /* The raiser may add notes but not move it on. */
    assert_int_equal(concern_act(&f->c, id, CONCERN_ACKNOWLEDGE, NULL, NULL), RES_FORBIDDEN);
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, "done", NULL), RES_FORBIDDEN);
    as(f, w.u_raiser);
    assert_int_equal(concern_act(&f->c, id, CONCERN_NOTE, "  ", NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "note"));
    as(f, w.u_raiser);
    assert_int_equal(concern_act(&f->c, id, CONCERN_NOTE, "It happened again on Tuesday.", NULL),
                     RES_OK);

    as(f, w.u_icb); /* the owner (the group's general line) */
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, NULL, NULL), RES_INVALID);
    assert_non_null(strstr(fx_field_error(f, "outcome"), "Closing needs an outcome"));
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, " \n ", NULL), RES_INVALID);
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_RESOLVE, "", NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "outcome"));
    assert_string_equal(rec_text(concern(f, id), "status"), "open");
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concern_events"), events + 1);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit"), audits + 1 + 1); /* note, read */

    as(f, w.u_icb);
    rec *out = NULL;
    assert_int_equal(
        concern_act(&f->c, id, CONCERN_RESOLVE, "Training booked for all volunteers.", &out),
        RES_OK);
    assert_string_equal(rec_text(out, "status"), "resolved");
    assert_true(rec_is_null(out, "deadline"));
    assert_string_equal(rec_text(out, "outcome"), "Training booked for all volunteers.");
    /* The raiser hears that it was resolved. */
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_user_id = %lld"
             " AND kind = 'concern_resolved'",
             w.u_raiser);
    assert_int_equal(fx_count(f, sql), 1);

    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_ACKNOWLEDGE, NULL, NULL), RES_CONFLICT);
    assert_non_null(strstr(f->c.detail, "resolved"));
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_RESOLVE, "again", NULL), RES_CONFLICT);
    assert_non_null(strstr(f->c.detail, "is resolved"));
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, "Checked a month later.", &out), RES_OK);
    assert_string_equal(rec_text(out, "status"), "closed");
    assert_string_equal(rec_text(out, "outcome"), "Checked a month later.");

    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, "twice", NULL), RES_CONFLICT);
    assert_string_equal(f->c.detail, "This concern is closed: it cannot be closed again");
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_ACKNOWLEDGE, NULL, NULL), RES_CONFLICT);
    assert_string_equal(f->c.detail, "This concern is closed: it cannot be acknowledged");
    as(f, w.u_raiser);
    assert_int_equal(concern_act(&f->c, id, CONCERN_NOTE, "late", NULL), RES_CONFLICT);
    /* A conflict is checked before the text: closing twice without an outcome is still 409. */
    as(f, w.u_icb);
    assert_int_equal(concern_act(&f->c, id, CONCERN_CLOSE, NULL, NULL), RES_CONFLICT);

    fx_operator(f);
    struct store_page ev;
    assert_int_equal(concern_events(&f->c, id, &ev), RES_OK);
    assert_string_equal(rec_text(ev.rows[ev.nrows - 1], "type"), "closed");
    assert_string_equal(rec_text(ev.rows[ev.nrows - 1], "note"), "Checked a month later.");
    assert_string_equal(rec_text(ev.rows[ev.nrows - 2], "type"), "resolved");
    assert_string_equal(rec_text(ev.rows[2], "type"), "note");
    /* Closed concerns are never escalated. */
    struct tick_report rep;
    assert_int_equal(tick(f, "2027-01-01T00:00:00Z", &rep), 0);
}

static void raising_validates_every_field_and_writes_nothing_on_failure(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    rec *in = rec_new(f->c.a);
    rec_set_int(in, "organisation_id", 9999);
    rec_set_text(in, "category", "gossip");
    rec_set_text(in, "severity", "URGENT");
    rec_set_text(in, "description", "   ");
    rec_set_text(in, "service_id", "the choir");
    rec_set_text(in, "status", "closed");
    assert_int_equal(concern_raise(&f->c, in, NULL), RES_INVALID);
    assert_string_equal(fx_field_error(f, "organisation_id"),
                        "There is no organisation with id 9999");
    assert_non_null(strstr(fx_field_error(f, "category"), "safeguarding, quality"));
    assert_non_null(fx_field_error(f, "severity"));
    assert_string_equal(fx_field_error(f, "description"), "Describe the concern");
    assert_non_null(fx_field_error(f, "service_id"));
    assert_non_null(strstr(fx_field_error(f, "status"), "not a field"));
    as(f, w.u_raiser);
    in = rec_new(f->c.a);
    rec_set_text(in, "description", "Bidi \xE2\x80\xAE trick");
    assert_int_equal(concern_raise(&f->c, in, NULL), RES_INVALID);
    assert_non_null(fx_field_error(f, "organisation_id"));
    assert_non_null(fx_field_error(f, "category"));
    assert_non_null(strstr(fx_field_error(f, "description"), "control or text-direction"));
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concerns"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM concern_events"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM notifications"), 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit"), 0);
    f->c.actor = NULL;
    f->c.by_operator = false;
    assert_int_equal(concern_raise(&f->c, rec_new(f->c.a), NULL), RES_UNAUTHENTICATED);

    /* A service id is stored as given (there is no service directory yet). */
    as(f, w.u_raiser);
    in = rec_new(f->c.a);
    rec_set_int(in, "organisation_id", w.group);
    rec_set_int(in, "service_id", 4242);
    rec_set_text(in, "category", "data");
    rec_set_text(in, "severity", "low");
    rec_set_text(in, "description", "Registers left\non the bus.");
    rec *out = NULL;
    assert_int_equal(concern_raise(&f->c, in, &out), RES_OK);
    assert_int_equal(rec_int(out, "service_id", 0), 4242);
    assert_string_equal(rec_text(out, "description"), "Registers left\non the bus.");
}

static void who_sees_a_concern_and_whose_queue_it_is_in(void **state)
{
    struct fx *f = *state;
    as(f, w.u_raiser);
    long long id = raise(f, w.group, "safeguarding", "urgent");
    as(f, w.u_other);
    long long theirs = raise(f, w.orphan, "capacity", "low");
    rec *row = NULL;
    struct store_page pg;
    struct concern_query all = {0}, mine = {.queue = QUEUE_MINE}, raised = {.queue = QUEUE_RAISED};

    /* The raiser sees theirs, in "raised", not in "mine"; not the other one. */
    as(f, w.u_raiser);
    assert_int_equal(concern_get(&f->c, id, &row), RES_OK);
    assert_int_equal(concern_get(&f->c, theirs, &row), RES_NOT_FOUND);
    assert_int_equal(concern_list(&f->c, &all, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(concern_list(&f->c, &raised, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(concern_list(&f->c, &mine, &pg), RES_OK);
    assert_int_equal(pg.total, 0);

    /* Someone with nothing to do with it: not found, everywhere, and nothing moves. */
    as(f, w.u_other);
    assert_int_equal(concern_get(&f->c, id, &row), RES_NOT_FOUND);
    assert_string_equal(f->c.detail, arena_printf(f->c.a, "There is no concern with id %lld", id));
    assert_int_equal(concern_events(&f->c, id, &pg), RES_NOT_FOUND);
    assert_int_equal(concern_act(&f->c, id, CONCERN_NOTE, "hello", NULL), RES_NOT_FOUND);
    assert_int_equal(concern_get(&f->c, 424242, &row), RES_NOT_FOUND);
    assert_int_equal(concern_list(&f->c, &all, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), theirs);

    /* The owner (through their person) sees it in their queue. */
    as(f, w.u_council);
    assert_int_equal(concern_list(&f->c, &mine, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(rec_int(pg.rows[0], "id", 0), id);

    /* The place lead of Riverside sees concerns about organisations there, and acts on them. */
    as(f, w.u_place);
    assert_int_equal(concern_list(&f->c, &all, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(concern_get(&f->c, theirs, &row), RES_NOT_FOUND);
    assert_int_equal(concern_get(&f->c, id, &row), RES_OK);
    assert_true(concern_rights_of(&f->c, row).act);
    assert_int_equal(concern_list(&f->c, &mine, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
    /* A place lead of Moorland only. */
    long long moor = w.moorland;
    fx_act_as(f, ROLE_PLACE_LEAD, w.u_place2, w.icb, &moor, 1);
    assert_int_equal(concern_get(&f->c, id, &row), RES_NOT_FOUND);
    assert_int_equal(concern_get(&f->c, theirs, &row), RES_OK);

    /* System leads see everything. */
    as(f, w.u_sys);
    assert_int_equal(concern_list(&f->c, &all, &pg), RES_OK);
    assert_int_equal(pg.total, 2);
    struct concern_query urgent = {.severity = "urgent"}, open = {.status = "open"},
                         of_org = {.organisation_id = w.orphan}, bad = {.status = "lost"};
    assert_int_equal(concern_list(&f->c, &urgent, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(concern_list(&f->c, &open, &pg), RES_OK);
    assert_int_equal(pg.total, 2);
    assert_int_equal(concern_list(&f->c, &of_org, &pg), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(concern_list(&f->c, &bad, &pg), RES_INVALID);
    assert_non_null(fx_field_error(f, "status"));

    /* After escalation the former owner still sees it, but it is no longer in their queue. */
    struct tick_report rep;
    tick(f, "2026-11-26T13:00:00Z", &rep);
    as(f, w.u_council);
    assert_int_equal(concern_get(&f->c, id, &row), RES_OK);
    assert_false(concern_rights_of(&f->c, row).act);
    assert_int_equal(concern_list(&f->c, &mine, &pg), RES_OK);
    assert_int_equal(pg.total, 0);
    as(f, w.u_icb);
    assert_int_equal(concern_list(&f->c, &mine, &pg), RES_OK);
    assert_int_equal(pg.total, 1);

    /* Reads are audited as reads of personal data. */
    assert_true(fx_count(f, "SELECT count(*) FROM audit WHERE action = 'read'"
                            " AND entity = 'concerns'") > 5);
}

static void reminders_are_written_once(void **state)
{
    struct fx *f = *state;
    /* The group's safeguarding policy is due for review in 10 days; an older one is superseded. */
    store_run(f->c.db,
              "INSERT INTO policies (organisation_id, domain, version, approved_on, approved_by,"
              " review_due, created_at, updated_at) VALUES"
              " ($1, 'safeguarding', '1', '2024-01-01', 'Board', '2026-12-06', 'x', 'x'),"
              " ($1, 'quality_assurance', '1', '2024-01-01', 'Board', '2026-12-01', 'x', 'x'),"
              " ($1, 'quality_assurance', '2', '2026-11-01', 'Board', '2027-11-01', 'x', 'x'),"
              " ($1, 'data_management', '1', '2025-01-01', 'Board', '2027-06-01', 'x', 'x')",
              "i", w.group);
    store_run(f->c.db,
              "INSERT INTO sharing_agreements (title, purpose, lawful_basis, data_categories,"
              " start_date, review_date, created_at, updated_at) VALUES"
              " ('Referrals', 'p', 'consent', 'd', '2025-01-01', '2026-12-20', 'x', 'x'),"
              " ('Later', 'p', 'consent', 'd', '2025-01-01', '2027-12-20', 'x', 'x')",
              NULL);
    store_run(f->c.db,
              "INSERT INTO actions (title, owner_person_id, due_date, status, created_at,"
              " updated_at) VALUES ('Map the offer', $1, '2026-11-20', 'on_track', 'x', 'x'),"
              " ('Done already', $1, '2026-11-20', 'done', 'x', 'x'),"
              " ('Not yet', $1, '2026-12-20', 'not_started', 'x', 'x')",
              "i", w.council_person);
    struct tick_report rep;
    tick(f, "2026-11-26T09:00:00Z", &rep);
    /* One provider user for the policy, one active system lead... two (sys, sys2), one owner. */
    assert_int_equal(rep.notifications, 1 + 2 + 1);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_user_id = %lld"
             " AND kind = 'policy_expiring' AND dedupe_key ="
             " 'policy-expiring:%lld:safeguarding:2026-12-06:user:%lld'",
             w.u_group, w.group, w.u_group);
    assert_int_equal(fx_count(f, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_user_id = %lld"
             " AND kind = 'sharing_agreement_review'",
             w.u_old_lead);
    assert_int_equal(fx_count(f, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM notifications WHERE recipient_person_id = %lld"
             " AND kind = 'action_overdue'",
             w.council_person);
    assert_int_equal(fx_count(f, sql), 1);
    long long total = fx_count(f, "SELECT count(*) FROM notifications");
    long long audits = fx_count(f, "SELECT count(*) FROM audit");

    /* Again, and later the same day: nothing new. */
    tick(f, "2026-11-26T09:00:00Z", &rep);
    assert_int_equal(rep.notifications, 0);
    assert_int_equal(rep.nlines, 0);
    tick(f, "2026-11-26T18:00:00Z", &rep);
    assert_int_equal(rep.notifications, 0);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM notifications"), total);
    assert_int_equal(fx_count(f, "SELECT count(*) FROM audit"), audits);

    /* The linked user reads the person's reminder, and marks it read once. */
    as(f, w.u_council);
    struct store_page pg;
    long long unread = 0;
    assert_int_equal(notifications_list(&f->c, false, 0, 0, &pg, &unread), RES_OK);
    assert_int_equal(pg.total, 1);
    assert_int_equal(unread, 1);
    long long nid = rec_int(pg.rows[0], "id", 0);
    assert_string_equal(rec_text(pg.rows[0], "kind"), "action_overdue");
    as(f, w.u_raiser);
    assert_int_equal(notification_mark_read(&f->c, nid, NULL), RES_NOT_FOUND);
    as(f, w.u_council);
    rec *n = NULL;
    assert_int_equal(notification_mark_read(&f->c, nid, &n), RES_OK);
    assert_string_equal(rec_text(n, "read_at"), "2026-11-26T18:00:00Z");
    ctx_set_now(&f->c, at("2026-11-27T09:00:00Z"));
    assert_int_equal(notification_mark_read(&f->c, nid, &n), RES_OK);
    assert_string_equal(rec_text(n, "read_at"), "2026-11-26T18:00:00Z");
    assert_int_equal(notifications_list(&f->c, true, 0, 0, &pg, &unread), RES_OK);
    assert_int_equal(pg.total, 0);
    assert_int_equal(unread, 0);

    /* A new review date is a new reminder. */
    store_run(f->c.db,
              "UPDATE sharing_agreements SET review_date = '2026-12-21'"
              " WHERE title = 'Referrals'",
              NULL);
    tick(f, "2026-11-27T09:00:00Z", &rep);
    assert_int_equal(rep.notifications, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(concerns_route_by_category_then_general_place_lead_and_system_lead),
        T(deadlines_count_hours_days_and_working_days),
        T(an_unanswered_concern_escalates_up_the_chain_one_level_per_deadline),
        T(a_person_never_gets_a_concern_back_and_loops_end_at_the_place_lead),
        T(a_user_owner_escalates_along_the_line_of_their_own_organisation),
        T(a_concern_acknowledged_a_minute_before_its_deadline_does_not_escalate),
        T(closing_needs_an_outcome_and_illegal_transitions_are_conflicts),
        T(raising_validates_every_field_and_writes_nothing_on_failure),
        T(who_sees_a_concern_and_whose_queue_it_is_in),
        T(reminders_are_written_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
