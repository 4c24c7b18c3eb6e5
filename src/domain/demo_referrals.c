/*
 * demo_referrals.c: the demo's social prescribing caseload (see
 * demo_referrals.h). Forty invented people living in Riverside City, all
 * referred by Lee Link-Worker of Riverside City Council to services of the
 * demo directory over the last seven months, so that every page and report
 * has something to show: referrals in every state, SNOMED codes, an
 * episode with two referrals, a waitlist behind a full course, outcome
 * measures with their change, goals, a story shared with consent, a
 * withdrawal of consent, attendance and messages back to the referrer and
 * the GP.
 *
 * Everything goes through the domain functions (participant_create,
 * referral_create, referral_transition, outcome_record ...), acting as the
 * link worker or as the receiving provider: Pat Provider for the Northgate
 * Community Choir, and for other organisations an actor of that
 * organisation with no user account, since the demo has one provider user.
 * The choir's own service has no open referral (its places are free for
 * whoever tries the demo); the provider's other service has the open ones.
 * The steps of all referrals run in time order with the clock set to when
 * each happened (days before the real now), so the timestamps, events,
 * audit entries and episodes are what a real caseload leaves behind.
 *
 * NHS numbers: most people have none; five carry numbers from the range the
 * NHS sets aside for testing (999 000 0000 to 999 999 9999), with a valid
 * modulus-11 check digit computed here. Postcodes are invented ones in the
 * demo's unused RV area, in each neighbourhood's invented LSOA, so people
 * are placed; one postcode is unknown, and that person stays unplaced.
 */
#include "domain/demo_referrals.h"

#include "base/rec.h"
#include "domain/demo_data.h"
#include "domain/dir_builtin.h"
#include "domain/outcomes.h"
#include "domain/participants.h"
#include "domain/referrals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

/* Invented homes: three postcodes in each Riverside City neighbourhood
 * (demo_neighbourhoods 0-4), and an unknown one. */
static const struct {
    const char *postcode;
    int hood; /* -1: not in the postcode table */
} homes[] = {
    {"RV2 5NA", 0}, {"RV2 6HT", 0}, {"RV2 8QD", 0}, {"RV1 2LP", 1},  {"RV1 6RB", 1}, {"RV1 7GE", 1},
    {"RV5 1DJ", 2}, {"RV5 4TW", 2}, {"RV5 7HA", 2}, {"RV6 3EF", 3},  {"RV6 5JN", 3}, {"RV6 9BL", 3},
    {"RV7 2WS", 4}, {"RV7 4PG", 4}, {"RV7 6DR", 4}, {"RV9 9XQ", -1},
};

/* One person. */
struct person {
    const char *name, *dob, *sex, *ethnicity;
    int home;        /* index into homes */
    bool nhs_number; /* one from the NHS's test range */
    const char *phone, *communication, *access;
};

/* clang-format off */
static const struct person people[] = {
    {"Margaret Ellison", "1948-03-14", "female", "white_british", 0, true, "07700 900101", NULL, NULL},
    {"Daniel Okoro", "1979-07-02", "male", "black_african", 3, false, "07700 900102", NULL, NULL},
    {"Joan Whitfield", "1941-11-23", "female", "white_british", 1, false, NULL,
     "Hearing aid: please speak clearly, face to face", NULL},
    {"Aisha Rahman", "1990-05-17", "female", "asian_bangladeshi", 6, false, "07700 900104", NULL, NULL},
    {"Peter Lindqvist", "1956-09-30", "male", "white_other", 9, false, NULL, NULL, NULL},
    {"Brian Hargreaves", "1939-02-08", "male", "white_british", 4, true, NULL, NULL, NULL},
    {"Sofia Marchetti", "1985-12-01", "female", "white_other", 12, false, "07700 900107", NULL, NULL},
    {"Kenneth Boateng", "1952-04-19", "male", "black_caribbean", 7, false, NULL, NULL,
     "Walks with a stick: needs step-free access"},
    {"Dorothy Pike", "1944-06-25", "female", "white_british", 2, false, NULL, NULL, NULL},
    {"Tariq Mahmood", "1968-10-11", "male", "asian_pakistani", 8, false, "07700 900110", NULL, NULL},
    {"Eileen Fairbairn", "1950-01-29", "female", "white_irish", 5, true, NULL, NULL, NULL},
    {"Yusra Haddad", "1996-08-08", "female", "other_arab", 10, false, "07700 900112",
     "Arabic interpreter for the first session", NULL},
    {"Callum Reid", "2001-03-03", "male", "white_british", 15, false, "07700 900113", NULL, NULL},
    {"Priya Chandran", "1974-02-14", "female", "asian_indian", 0, false, "07700 900114", NULL, NULL},
    {"Gareth Llewellyn", "1983-11-20", "male", "white_british", 13, false, NULL, NULL, NULL},
    {"Hannah Osei", "1992-09-09", "female", "mixed_white_black_african", 11, false, NULL, NULL, NULL},
    {"Lukasz Wrobel", "1977-05-05", "male", "white_other", 6, false, NULL, NULL, NULL},
    {"Maureen Tulley", "1946-12-12", "female", "white_british", 1, false, NULL, NULL, NULL},
    {"Arthur Penrose", "1936-07-07", "male", "white_british", 3, true, NULL, NULL,
     "Uses a wheelchair"},
    {"Chloe Addison", "1998-04-04", "female", "mixed_white_asian", 9, false, "07700 900120", NULL, NULL},
    {"Frank Dobson", "1955-08-18", "male", "white_british", 2, false, NULL, NULL, NULL},
    {"Nadia Karim", "1981-10-10", "female", "asian_bangladeshi", 7, false, NULL, NULL, NULL},
    {"Leon Campbell", "1989-01-21", "male", "black_caribbean", 14, false, NULL, NULL, NULL},
    {"Rosemary Quinn", "1958-05-28", "female", "white_irish", 4, false, NULL, NULL, NULL},
    {"Harold Benson", "1940-09-15", "male", "white_british", 0, true, NULL, NULL, NULL},
    {"Patience Adeyemi", "1951-03-30", "female", "black_african", 8, false, NULL, NULL, NULL},
    {"Jamal Hussein", "1987-06-06", "male", "asian_pakistani", 10, false, NULL, NULL, NULL},
    {"Kirsty McAllister", "1979-02-02", "female", "white_british", 12, false, NULL, NULL, NULL},
    {"Wei Zhang", "1969-12-24", "female", "asian_chinese", 5, false, NULL, NULL, NULL},
    {"Roy Alderson", "1949-11-11", "male", "white_british", 11, false, NULL, NULL, NULL},
    {"Irene Kowalczyk", "1953-04-22", "female", "white_other", 3, false, NULL, NULL, NULL},
    {"Samuel Grant", "1994-07-29", "male", "mixed_other", 13, false, NULL, NULL, NULL},
    {"Olena Bondar", "1984-08-24", "female", "white_other", 6, false, NULL,
     "Ukrainian interpreter", NULL},
    {"Michelle Dawes", "1972-03-08", "not_known", "not_stated", 9, false, NULL, NULL, NULL},
    {"George Ashworth", "1960-10-31", "male", "white_british", 1, false, NULL, NULL, NULL},
    {"Amira Nasser", "2000-01-15", "female", "other_arab", 14, false, NULL, NULL, NULL},
    {"Stephen Mills", "1966-06-16", "male", "white_british", 7, false, NULL, NULL, NULL},
    {"Julie Barraclough", "1963-09-03", "female", "white_british", 2, false, NULL, NULL, NULL},
    {"Norman Fletcher", "1937-01-05", "male", "white_british", 8, false, NULL, NULL, NULL},
    {"Ada Nwosu", "1945-05-20", "female", "black_african", 4, false, NULL, NULL, NULL},
};

/* The services referred to (demo_directory.c's names), by letter. */
static const char *const services[] = {
    "Northgate Community Choir",                     /* A: the demo provider's, none open */
    "Singing for the Brain at St Mark's",            /* B: the demo provider's */
    "Arts on Prescription: Eight-Week Course",       /* C: full, with three waiting */
    "Docklands Community Garden Volunteer Mornings", /* D */
    "Museum Memories Morning",                       /* E */
    "Object Handling for Wellbeing",                 /* F */
    "Millbrook Men's Shed",                          /* G: policies expiring */
    "Dance for Parkinson's",                         /* H */
    "Seated Dance for Over-60s",                     /* I */
    "Pumping Station Heritage Volunteering",         /* J */
    "New Voices Art Club",                           /* K */
    "Photo Walks in Westbury Park",                  /* L */
};

/*
 * One referral: who, to which service, how many days ago it was made, and
 * what happened since, one letter a step: S sent, A accepted, W waitlisted,
 * D declined by the provider, P declined by the person, T started,
 * C completed, O dropped out, X cancelled by the referrer. measures: "a" all
 * three questionnaires, "s" SWEMWBS alone.
 */
struct demo_ref {
    int person;
    char service; /* 'A' ... */
    double days_ago;
    const char *path;
    const char *need; /* CH-NEED-... */
    const char *measures;
    const char *reason; /* for D, P, O, X */
};

static const struct demo_ref refs[] = {
    /* completed */
    {0, 'A', 200, "SATC", "LONELINESS", "a", NULL},
    {1, 'A', 185, "SATC", "MENTAL", "a", NULL},
    {2, 'B', 170, "SATC", "DEMENTIA", "a", NULL},
    {3, 'C', 160, "SATC", "MENTAL", "a", NULL},
    {4, 'D', 150, "SATC", "ACTIVE", "a", NULL},
    {5, 'E', 140, "SATC", "DEMENTIA", "s", NULL},
    {6, 'F', 130, "SATC", "MENTAL", "a", NULL},
    {7, 'H', 125, "SATC", "NEURO", "a", NULL},
    {8, 'I', 120, "SATC", "AGEING", "s", NULL},
    {9, 'J', 110, "SATC", "LONELINESS", "a", NULL},
    {10, 'A', 130, "SWATC", "LONELINESS", "a", NULL},
    {11, 'K', 100, "SATC", "SANCTUARY", "a", NULL},
    {12, 'L', 95, "SATC", "MENTAL", "a", NULL},
    {13, 'A', 90, "SATC", "MENTAL", "a", NULL},
    /* dropped out */
    {14, 'A', 80, "SATO", "MENTAL", "a", "Started a new job with evening shifts"},
    {15, 'C', 75, "SATO", "MENTAL", "s", "Health got worse; may come back in the spring"},
    {16, 'D', 60, "SATO", "ACTIVE", "a", "Moved away from Riverside"},
    /* started */
    {17, 'B', 40, "SAT", "CARERS", "a", NULL},
    {18, 'B', 35, "SAT", "DEMENTIA", "a", NULL},
    {19, 'C', 45, "SAT", "MENTAL", "a", NULL},
    {20, 'G', 30, "SAT", "LONELINESS", "a", NULL},
    {21, 'C', 28, "SAT", "MENTAL", "s", NULL},
    {22, 'F', 25, "SAT", "MENTAL", "a", NULL},
    /* accepted */
    {23, 'B', 9, "SA", "DEMENTIA", "", NULL},
    {24, 'E', 8, "SA", "DEMENTIA", "", NULL},
    {25, 'I', 7, "SA", "AGEING", "", NULL},
    /* waitlisted */
    {26, 'C', 20, "SW", "MENTAL", "", NULL},
    {27, 'C', 15, "SW", "LONELINESS", "", NULL},
    {28, 'C', 12, "SW", "MENTAL", "", NULL},
    /* declined by the provider, and by the person */
    {29, 'H', 50, "SD", "ACTIVE", "", "The classes are for people living with Parkinson's"},
    {30, 'B', 45, "SD", "LONELINESS", "", "The group is for people living with dementia and"
                                          " their carers"},
    {31, 'A', 55, "SP", "LONELINESS", "", "Would rather try something outdoors"},
    {32, 'K', 30, "SP", "SANCTUARY", "", "The sessions clash with English classes"},
    /* sent, and drafts */
    {33, 'F', 2, "S", "MENTAL", "", NULL},
    {34, 'J', 1, "S", "LONELINESS", "", NULL},
    {35, 'L', 3, "S", "MENTAL", "", NULL},
    {36, 'D', 0.2, "", "ACTIVE", "", NULL},
    {37, 'B', 1, "", "CARERS", "", NULL},
    /* cancelled */
    {38, 'E', 65, "SX", "DEMENTIA", "", "Referred to the memory clinic first"},
    {39, 'I', 40, "SAX", "AGEING", "", "Could not be contacted"},
    {1, 'I', 20, "X", "AGEING", "", "Referred in error: wrong person"},
    /* a second referral in an open episode, and a new episode */
    {17, 'E', 38, "SA", "LONELINESS", "", NULL},
    {4, 'I', 50, "SAT", "AGEING", "a", NULL},
};
/* clang-format on */

const int demo_participants_len = (int)(sizeof people / sizeof people[0]);
const int demo_referrals_len = (int)(sizeof refs / sizeof refs[0]);

#define NREFS ((int)(sizeof refs / sizeof refs[0]))
#define NPEOPLE ((int)(sizeof people / sizeof people[0]))

/* Days between a step and the one before it. */
static double gap(const char *path, int k)
{
    switch (path[k]) {
    case 'S':
        return 0.1;
    case 'A':
        return k > 0 && path[k - 1] == 'W' ? 21 : 4;
    case 'W':
        return 3;
    case 'D':
        return 5;
    case 'P':
        return 6;
    case 'T':
        return 7;
    case 'C':
        return 56;
    case 'O':
        return 20;
    default: /* X */
        return 3;
    }
}

/* What a step moves the referral to. */
static const char *step_status(char s)
{
    switch (s) {
    case 'S':
        return "sent";
    case 'A':
        return "accepted";
    case 'W':
        return "waitlisted";
    case 'D':
    case 'P':
        return "declined";
    case 'T':
        return "started";
    case 'C':
        return "completed";
    case 'O':
        return "dropped_out";
    default:
        return "cancelled";
    }
}

/* One step of one referral at a time: k = -1 is its creation. */
struct step {
    time_t at;
    int ref, k;
};

/* Orders demo steps by when they happen, for qsort. */
static int by_time(const void *a, const void *b)
{
    const struct step *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    if (x->ref != y->ref) return x->ref - y->ref;
    return x->k - y->k;
}

/* What the loader keeps as it goes. */
struct state {
    time_t now; /* the real clock, restored at the end */
    struct actor lw, pat;
    struct actor *providers; /* one per organisation met, made as needed */
    int nproviders;
    long long person_id[NPEOPLE];
    long long ref_id[NREFS], ref_org[NREFS], goal_id[NREFS];
    time_t started[NREFS], ended[NREFS];
};

/* Say which demo step failed, keeping the domain's reason. */
static result failed(struct ctx *c, result res, int ref, const char *what)
{
    const char *why = c->detail ? c->detail : "";
    if (c->nerrors)
        why = arena_printf(c->a, "%s (%s: %s)", why, c->errors[0].field, c->errors[0].message);
    c->detail = arena_printf(c->a, "The demo referral %d (%s) failed at %s: %s", ref,
                             people[refs[ref].person].name, what, why);
    return res;
}

/* A user's actor by email (the arena keeps it). */
static result demo_actor(struct ctx *c, const char *email, enum role role, struct actor *a)
{
    memset(a, 0, sizeof *a);
    a->role = role;
    a->email = email;
    int rc =
        store_query_int(c->db, &a->user_id, "SELECT id FROM users WHERE email = $1", "t", email);
    if (rc == 1)
        rc = store_query_int(c->db, &a->org_id, "SELECT organisation_id FROM users WHERE id = $1",
                             "i", a->user_id);
    if (rc != 1) return ctx_fail(c, RES_INTERNAL, "The demo has no user %s", email);
    return RES_OK;
}

/* The provider acting for organisation org: Pat for the choir, else one
 * of the organisation's staff without an account. */
static const struct actor *provider(struct ctx *c, struct state *s, long long org)
{
    if (org == s->pat.org_id) return &s->pat;
    for (int i = 0; i < s->nproviders; i++)
        if (s->providers[i].org_id == org) return &s->providers[i];
    struct actor *a = &s->providers[s->nproviders++];
    memset(a, 0, sizeof *a);
    a->role = ROLE_PROVIDER;
    a->org_id = org;
    char *email = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT email, name FROM organisations WHERE id = $1");
    if (st) {
        store_bindf(st, "i", org);
        if (store_step(st) == STORE_ROW)
            email = arena_printf(
                c->a, "%s", store_col_null(st, 0) ? store_col_text(st, 1) : store_col_text(st, 0));
        store_done(st);
    }
    a->email = email ? email : "provider";
    a->name = "Demo provider staff";
    return a;
}

/* Act as a: the actor for the domain calls that follow. */
static void act(struct ctx *c, const struct actor *a)
{
    c->actor = a;
    c->by_operator = false;
    ctx_clear_errors(c);
}

/* A number from the NHS's test range (999 000 0000 - 999 999 9999) with a
 * valid check digit, the n-th such from a fixed start, in c->a. */
static const char *test_nhs_number(struct ctx *c, int n)
{
    for (long long x = 999123400 + 7LL * n;; x += 97) {
        char d[24];
        snprintf(d, sizeof d, "%09lld", x % 1000000000);
        int sum = 0;
        for (int i = 0; i < 9; i++)
            sum += (d[i] - '0') * (10 - i);
        int check = 11 - sum % 11;
        if (check == 10) continue;
        d[9] = (char)('0' + (check == 11 ? 0 : check));
        d[10] = '\0';
        if (nhs_number_valid(d)) return arena_strdup(c->a, d);
    }
}

/* Add the invented home postcodes, in their neighbourhoods' LSOAs, near
 * their districts' centres. */
static result add_homes(struct ctx *c)
{
    for (size_t i = 0; i < sizeof homes / sizeof homes[0]; i++) {
        if (homes[i].hood < 0) continue;
        char key[9], out[4];
        size_t k = 0;
        for (const char *p = homes[i].postcode; *p && k < 8; p++)
            if (*p != ' ') key[k++] = *p;
        key[k] = '\0';
        memcpy(out, key, 3);
        out[3] = '\0';
        long long n = store_run(
            c->db,
            "INSERT INTO postcodes (postcode, latitude, longitude, lsoa)"
            " SELECT $1, o.latitude + $3, o.longitude - $3,"
            "  (SELECT MIN(nl.lsoa) FROM neighbourhood_lsoas nl JOIN neighbourhoods n"
            "   ON n.id = nl.neighbourhood_id WHERE n.code = $4)"
            " FROM outcodes o WHERE o.outcode = $2 ON CONFLICT (postcode) DO NOTHING",
            "ttdt", key, out, 0.0011 * (double)(i % 5), demo_neighbourhoods[homes[i].hood].code);
        if (n < 0) return ctx_store_failure(c, n, "adding a demo home postcode");
    }
    return RES_OK;
}

/* Create person p as the link worker, with consent recorded. */
static result add_person(struct ctx *c, struct state *s, int p, int ref)
{
    const struct person *d = &people[p];
    rec *in = rec_new(c->a), *out = NULL;
    rec_set_text(in, "name", d->name);
    rec_set_text(in, "date_of_birth", d->dob);
    rec_set_text(in, "postcode", homes[d->home].postcode);
    rec_set_text(in, "sex", d->sex);
    rec_set_text(in, "ethnicity", d->ethnicity);
    if (d->nhs_number) rec_set_text(in, "nhs_number", test_nhs_number(c, p));
    if (d->phone) rec_set_text(in, "phone", d->phone);
    if (d->communication) rec_set_text(in, "communication_needs", d->communication);
    if (d->access) rec_set_text(in, "access_needs", d->access);
    if (p % 3 == 0) {
        rec_set_text(in, "gp_practice_code", "Y99001");
        rec_set_text(in, "gp_practice_name", "Millbrook Surgery (demo)");
    }
    act(c, &s->lw);
    result res = participant_create(c, in, &out);
    if (res != RES_OK) return failed(c, res, ref, "creating the person");
    s->person_id[p] = rec_int(out, "id", 0);
    /* Consent to be referred, to have outcomes fed back; one in seven also
     * agrees to their story being shared. */
    static const char *const scopes[] = {"referral_to_provider", "outcomes_to_referrer",
                                         "story_public"};
    for (int i = 0; i < (p % 7 == 0 ? 3 : 2); i++) {
        rec *cr = rec_new(c->a);
        rec_set_text(cr, "scope", scopes[i]);
        rec_set_bool(cr, "given", true);
        rec_set_text(cr, "method", p % 4 == 0 ? "written" : "verbal");
        res = consent_record(c, s->person_id[p], cr, NULL);
        if (res != RES_OK) return failed(c, res, ref, "recording consent");
    }
    return RES_OK;
}

/* Answers for person p: a baseline, or a final a little better. */
static void answers(int p, enum measure m, bool final, int *out)
{
    static const int swem[7] = {2, 3, 2, 2, 3, 2, 3}, ons[4] = {4, 5, 4, 7}, ucla[3] = {3, 2, 3};
    bool small = p % 5 == 4; /* some change little */
    switch (m) {
    case MEASURE_SWEMWBS:
        for (int i = 0; i < 7; i++) {
            int v = swem[(i + p) % 7] + (p % 3 == 0 && i < 2);
            if (final && (!small || i < 2) && (i + p) % 4 != 0) v++;
            out[i] = v > 5 ? 5 : v;
        }
        break;
    case MEASURE_ONS4:
        for (int i = 0; i < 4; i++) {
            int v = ons[i] + (p % 3) - 1;
            if (final) v += i < 3 ? (small ? 1 : 2) : -2;
            out[i] = v < 0 ? 0 : v > 10 ? 10 : v;
        }
        break;
    case MEASURE_UCLA3:
        for (int i = 0; i < 3; i++) {
            int v = ucla[(i + p) % 3];
            if (final && !small && (i + p) % 2 == 0) v--;
            out[i] = v < 1 ? 1 : v;
        }
        break;
    }
}

/* Record the questionnaires of referral r at stage (as its provider). */
static result record_outcomes(struct ctx *c, int r, long long id, const char *stage)
{
    static const enum measure all[3] = {MEASURE_SWEMWBS, MEASURE_ONS4, MEASURE_UCLA3};
    int n = strcmp(refs[r].measures, "a") == 0 ? 3 : 1;
    for (int i = 0; i < n; i++) {
        int a[MEASURE_MAX_ITEMS];
        answers(refs[r].person, all[i], strcmp(stage, "final") == 0, a);
        struct outcome_input in = {measure_name(all[i]), stage, a, measure_items(all[i])};
        result res = outcome_record(c, id, &in, NULL);
        if (res != RES_OK)
            return failed(c, res, r, arena_printf(c->a, "the %s %s", stage, measure_name(all[i])));
    }
    return RES_OK;
}

/* Step k of referral r (k = -1: create it). */
static result run_step(struct ctx *c, struct state *s, int r, int k)
{
    const struct demo_ref *d = &refs[r];
    result res = RES_OK;
    if (k < 0) {
        if (!s->person_id[d->person] && (res = add_person(c, s, d->person, r)) != RES_OK)
            return res;
        long long sid = 0;
        const char *service_id = NULL;
        store_stmt *st = store_prepare(c->db, "SELECT id, rid FROM dir_services WHERE name = $1"
                                              " AND state = 'published' AND deleted_at IS NULL");
        if (st) {
            store_bindf(st, "t", services[d->service - 'A']);
            if (store_step(st) == STORE_ROW) {
                service_id = arena_strdup(c->a, store_col_text(st, 0));
                sid = store_col_int(st, 1);
            }
            store_done(st);
        }
        if (!service_id || !sid)
            return ctx_fail(c, RES_INTERNAL, "The demo has no service '%s'",
                            services[d->service - 'A']);
        const char *need = dir_ch_term_id(arena_printf(c->a, "CH-NEED-%s", d->need));
        struct referral_input in = {
            .participant_id = s->person_id[d->person],
            .service_id = service_id,
            .needs = &need,
            .nneeds = need ? 1 : 0,
            .notes = r % 4 == 0 ? "Met at the surgery; would like to meet people and get out"
                                  " of the house more."
                                : NULL,
            .urgency = r % 9 == 4 ? "urgent" : "routine",
        };
        rec *out = NULL;
        act(c, &s->lw);
        res = referral_create(c, &in, &out);
        if (res != RES_OK) return failed(c, res, r, "creating the referral");
        s->ref_id[r] = rec_int(out, "id", 0);
        s->ref_org[r] = rec_int(out, "receiving_org_id", 0);
        return RES_OK;
    }
    char step = d->path[k];
    bool referrer = step == 'S' || step == 'X';
    act(c, referrer ? &s->lw : provider(c, s, s->ref_org[r]));
    res = referral_transition(c, s->ref_id[r], step_status(step),
                              step == 'D' || step == 'P' || step == 'O' || step == 'X' ? d->reason
                                                                                       : NULL,
                              step == 'P'   ? "person"
                              : step == 'D' ? "provider"
                                            : NULL,
                              NULL);
    if (res != RES_OK) return failed(c, res, r, arena_printf(c->a, "'%s'", step_status(step)));
    bool pat = s->ref_org[r] == s->pat.org_id;
    if (step == 'T') {
        s->started[r] = c->now;
        if (*d->measures) res = record_outcomes(c, r, s->ref_id[r], "baseline");
        if (res == RES_OK && pat) { /* a goal in the person's words */
            rec *g = NULL;
            res = goal_add(c, s->ref_id[r], "Feel confident enough to sing in the summer concert",
                           3 + d->person % 3, &g);
            if (res == RES_OK)
                s->goal_id[r] = rec_int(g, "id", 0);
            else
                res = failed(c, res, r, "adding a goal");
        }
    } else if (step == 'C' || step == 'O') {
        s->ended[r] = c->now;
        if (step == 'C' && *d->measures) res = record_outcomes(c, r, s->ref_id[r], "final");
        if (res == RES_OK && step == 'C' && s->goal_id[r]) {
            res = goal_rate(c, s->goal_id[r], "final", 7 + d->person % 3, NULL);
            if (res != RES_OK) res = failed(c, res, r, "rating a goal");
        }
        if (res == RES_OK && step == 'C' && d->person == 0) {
            res = story_add(c, s->ref_id[r],
                            "I hadn't sung since school. Now Wednesday is the best night of my"
                            " week, and I've made two friends I see outside the choir.",
                            NULL);
            if (res != RES_OK) res = failed(c, res, r, "adding a story");
        }
    }
    return res;
}

/* Weekly attendance at the choir's sessions, messages back, a consent
 * withdrawal and the full course's places, as of the real now. */
static result finish(struct ctx *c, struct state *s)
{
    result res = RES_OK;
    for (int r = 0; res == RES_OK && r < NREFS; r++) {
        if (s->ref_org[r] != s->pat.org_id || !s->started[r]) continue;
        act(c, &s->pat);
        time_t end = s->ended[r] ? s->ended[r] : s->now;
        int week = 0;
        for (time_t t = s->started[r]; res == RES_OK && t <= end && week < 10; t += 7 * DAY) {
            char day[11];
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
            bool came = (week + refs[r].person) % 5 != 2;
            res = attendance_record(c, s->ref_id[r], day, came,
                                    came ? NULL : "Sent apologies: a hospital appointment", NULL);
            week++;
        }
        if (res != RES_OK) return failed(c, res, r, "recording attendance");
    }
    /* Messages back: to the referrer for the first choir member, to the GP
     * for the person living with dementia. */
    ctx_set_now(c, s->now - 6 * DAY);
    act(c, &s->pat);
    res = feedback_message_add(c, s->ref_id[0], "referrer",
                               "Margaret came to nine of ten sessions and sang a solo verse at"
                               " the summer concert. She has joined the choir as a member.",
                               NULL);
    if (res != RES_OK) return failed(c, res, 0, "writing to the referrer");
    res = feedback_message_add(c, s->ref_id[2], "gp",
                               "Joan enjoyed the sessions with her daughter and joined in with"
                               " every song. We would welcome her back next term.",
                               NULL);
    if (res != RES_OK) return failed(c, res, 2, "writing to the GP");
    /* Priya asks that her outcomes no longer go back to the referrer. */
    ctx_set_now(c, s->now - 5 * DAY);
    act(c, &s->lw);
    rec *w = rec_new(c->a);
    rec_set_text(w, "scope", "outcomes_to_referrer");
    rec_set_bool(w, "given", false);
    rec_set_text(w, "method", "verbal");
    rec_set_text(w, "note", "Asked by phone that her results stay with the choir.");
    res = consent_record(c, s->person_id[13], w, NULL);
    if (res != RES_OK) return failed(c, res, 13, "withdrawing consent");
    /* The eight-week course takes two at a time: it is full, and two wait. */
    ctx_set_now(c, s->now);
    c->actor = NULL;
    c->by_operator = true;
    const char *course = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT id FROM dir_services WHERE name = $1");
    if (st) {
        store_bindf(st, "t", services[2]);
        if (store_step(st) == STORE_ROW) course = arena_strdup(c->a, store_col_text(st, 0));
        store_done(st);
    }
    struct service_capacity cap;
    res = course ? service_capacity_set(c, course, 2, "cohort", &cap) : RES_INTERNAL;
    if (res != RES_OK) return failed(c, res, 3, "setting the course's places");
    return RES_OK;
}

/* Load the caseload (see demo_referrals.h). */
result demo_load_referrals(struct ctx *c)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator loads the demo");
    struct state *s = arena_alloc(c->a, sizeof *s);
    memset(s, 0, sizeof *s);
    s->now = c->now;
    s->providers = arena_alloc(c->a, sizeof *s->providers * NREFS);
    result res = demo_actor(c, "link.worker@demo.chis.example.org", ROLE_LINK_WORKER, &s->lw);
    if (res == RES_OK)
        res = demo_actor(c, "provider@demo.chis.example.org", ROLE_PROVIDER, &s->pat);
    if (res != RES_OK) return res;
    s->lw.name = "Lee Link-Worker";
    s->pat.name = "Pat Provider";
    /* Every step of every referral, in time order: made at a working hour
     * days_ago before now, each step a few days after the one before. */
    int nsteps = 0;
    struct step *steps = arena_alloc(c->a, sizeof *steps * NREFS * 7);
    for (int r = 0; r < NREFS; r++) {
        time_t t = s->now - (time_t)(refs[r].days_ago * DAY) - 3 * 3600 + (r * 37 % 120) * 60;
        steps[nsteps++] = (struct step){t, r, -1};
        for (int k = 0; refs[r].path[k]; k++) {
            t += (time_t)(gap(refs[r].path, k) * DAY);
            steps[nsteps++] = (struct step){t, r, k};
        }
        if (t >= s->now)
            return ctx_fail(c, RES_INTERNAL, "The demo referral %d ends after today", r);
    }
    qsort(steps, (size_t)nsteps, sizeof *steps, by_time);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "demo referrals");
    res = add_homes(c);
    for (int i = 0; res == RES_OK && i < nsteps; i++) {
        ctx_set_now(c, steps[i].at);
        res = run_step(c, s, steps[i].ref, steps[i].k);
    }
    if (res == RES_OK) res = finish(c, s);
    ctx_set_now(c, s->now);
    c->actor = NULL;
    c->by_operator = true;
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "demo referrals");
    return RES_OK;
}
