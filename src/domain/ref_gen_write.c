/*
 * ref_gen_write.c: writing a planned synthetic cohort (see ref_gen.h and
 * ref_gen_internal.h): the people and their consent, then each referral
 * in the order it was made with its needs, events and outcomes. Every row
 * goes through a cached prepared statement inside the caller's one
 * transaction; the questionnaire answers are drawn here, from a stream of
 * their own, and scored by measures.h so the outcome rows and the
 * referral's score columns agree.
 */
#include "domain/ref_gen_internal.h"

#include "domain/measures.h"
#include "domain/participants.h"
#include "domain/referrals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACTOR "chis gen referrals"

static const char *const female_names[] = {
    "Olivia", "Amelia", "Margaret", "Susan", "Fatima", "Aisha",  "Joan",   "Patricia",
    "Sarah",  "Emma",   "Grace",    "Priya", "Maria",  "Linda",  "Chloe",  "Janet",
    "Zainab", "Helen",  "Ruth",     "Joy",   "Ewa",    "Sophie", "Brenda", "Nasreen"};
static const char *const male_names[] = {
    "Oliver", "George", "David", "John",   "Mohammed", "Ali",   "Peter", "Michael",
    "James",  "Harry",  "Kwame", "Arjun",  "Tomasz",   "Brian", "Kevin", "Yusuf",
    "Alan",   "Daniel", "Imran", "Robert", "Samuel",   "Keith", "Ian",   "Chen"};
static const char *const surnames[] = {
    "Smith",  "Jones",  "Taylor", "Brown",   "Williams", "Wilson",  "Khan",   "Patel",
    "Ahmed",  "Walker", "Wright", "Hussain", "Evans",    "Roberts", "Okafor", "Green",
    "Hall",   "Wood",   "Begum",  "Clarke",  "Nowak",    "Murphy",  "Mensah", "Thompson",
    "Harris", "Lewis",  "Singh",  "Ali",     "Jackson",  "Kaur",    "Hughes", "Shaw"};

/* Reasons recorded with the end of a referral, by how it ended. */
static const char *const person_declined[] = {"Prefers another activity", "Not ready to start yet",
                                              "The session times do not suit",
                                              "Would rather not go alone"};
static const char *const provider_declined[] = {
    "Outside the age range for this group", "The group is full for this term",
    "Needs more support than the group can give", "Lives outside the area we serve"};
static const char *const dropped[] = {"Health got worse", "Moved away", "Found the travel too hard",
                                      "Lost interest"};
static const char *const cancelled[] = {"Referred in error", "The person asked us to stop",
                                        "Referred to another service instead",
                                        "Could not be contacted"};

/* See ref_gen_internal.h. */
const char *rg_reason(int status, int declined_by, int r)
{
    r &= 3;
    switch (status) {
    case REFERRAL_DECLINED:
        return declined_by == 1 ? person_declined[r] : provider_declined[r];
    case REFERRAL_DROPPED_OUT:
        return dropped[r];
    case REFERRAL_CANCELLED:
        return cancelled[r];
    default:
        return NULL;
    }
}

/* A standard normal deviate (Box-Muller). */
static double normal(uint64_t *rng)
{
    double u = 1.0 - rg_unit(rng), v = rg_unit(rng);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* round(x) kept within lo..hi. */
static int clampi(double x, int lo, int hi)
{
    long v = lround(x);
    return v < lo ? lo : v > hi ? hi : (int)v;
}

/* The batches the cohort is written through. */
struct batches {
    struct rg_batch *people, *consents, *referrals, *needs, *events, *outcomes;
};

/* An optional integer or real (has: else null). */
static void opt_int(struct rg_batch *b, bool has, long long v)
{
    if (has)
        rg_int(b, v);
    else
        rg_null(b);
}

/* Adds v, or a null when has is false. */
static void opt_real(struct rg_batch *b, bool has, double v)
{
    if (has)
        rg_real(b, v);
    else
        rg_null(b);
}

/* Write the people, with a consent record each (and a few withdrawals). */
static result write_people(struct ctx *c, struct rg_plan *p, struct batches *w,
                           struct ref_gen_result *out)
{
    uint64_t rng = p->seed ^ 0x5eed9e0b1e5ULL;
    static const char *const methods[] = {"verbal", "verbal", "verbal", "written", "digital"};
    for (long long i = 0; i < p->npeople; i++) {
        const struct rg_person *who = &p->people[i];
        const struct rg_hood *h = &p->hoods[who->hood];
        long long id = p->person_base + i + 1;
        char dob[11], first[21], last[21], name[64];
        const char *given = who->sex == 1       ? male_names[rg_below(&rng, 24)]
                            : who->sex == 0     ? female_names[rg_below(&rng, 24)]
                            : rg_below(&rng, 2) ? male_names[rg_below(&rng, 24)]
                                                : female_names[rg_below(&rng, 24)];
        snprintf(name, sizeof name, "%s %s", given, surnames[rg_below(&rng, 32)]);
        rg_time(who->first_t, first);
        rg_time(who->last_t, last);
        rg_int(w->people, id);
        rg_text(w->people, name);
        rg_text(w->people, rg_day(who->dob, dob));
        rg_text(w->people, who->lsoa >= 0 ? p->lsoas[who->lsoa].code : NULL);
        rg_int(w->people, h->id);
        rg_int(w->people, h->place_id);
        rg_int(w->people, who->decile);
        rg_text(w->people, participant_sexes[who->sex]);
        rg_text(w->people, ethnicities[who->ethnicity].code);
        rg_int(w->people, h->referrer_org);
        rg_text(w->people, last);
        rg_text(w->people, first);
        rg_text(w->people, last);
        int rc = rg_row(w->people);
        const char *method = methods[rg_below(&rng, 5)];
        rg_int(w->consents, id);
        rg_text(w->consents, "referral_to_provider");
        rg_int(w->consents, 1);
        rg_text(w->consents, method);
        rg_text(w->consents, first);
        rg_text(w->consents, ACTOR);
        rg_null(w->consents);
        rg_text(w->consents, first);
        rg_text(w->consents, first);
        if (rc == 0) rc = rg_row(w->consents);
        out->consents++;
        if (rg_below(&rng, 100) == 0) { /* asked later not to be counted in reports */
            char when[21];
            rg_time(who->first_t +
                        (uint32_t)rg_below(&rng, (long long)(p->until - who->first_t) + 1),
                    when);
            rg_int(w->consents, id);
            rg_text(w->consents, "anonymised_reporting");
            rg_int(w->consents, 0);
            rg_text(w->consents, method);
            rg_text(w->consents, when);
            rg_text(w->consents, ACTOR);
            rg_text(w->consents, "Asked not to be counted in reports");
            rg_text(w->consents, when);
            rg_text(w->consents, when);
            if (rc == 0) rc = rg_row(w->consents);
            out->consents++;
        }
        if (rc < 0) return ctx_store_failure(c, rc, "writing a participant");
        out->participants++;
        if (p->g->progress && (i + 1) % 50000 == 0)
            p->g->progress(p->g->ud, "participants", i + 1, p->npeople);
    }
    int rc = rg_flush(w->consents);
    return rc < 0 ? ctx_store_failure(c, rc, "writing a participant") : RES_OK;
}

/* One measure's answers at one stage, and their score. */
struct answered {
    bool has;
    int answers[MEASURE_MAX_ITEMS], n;
    struct measure_score score;
};

/* Draw the answers of measure m for someone whose wellbeing sits zp
 * standard deviations above the cohort's, living in IMD quintile q; at the
 * final stage shifted by the referral's effect `gain` (about 1 on average). */
static result answer(struct ctx *c, uint64_t *rng, enum measure m, double zp, int q, double gain,
                     struct answered *a)
{
    a->has = true;
    a->n = measure_items(m);
    for (int i = 0; i < a->n; i++) {
        double z = normal(rng);
        switch (m) {
        case MEASURE_SWEMWBS:
            a->answers[i] = clampi(2.85 + 0.1 * (q - 3) + 0.55 * zp + 0.45 * gain + 0.75 * z, 1, 5);
            break;
        case MEASURE_ONS4:
            a->answers[i] =
                i < 3 ? clampi(4.9 + 0.2 * (q - 3) + 1.5 * zp + 1.1 * gain + 1.3 * z, 0, 10)
                      : clampi(5.6 - 1.2 * zp - 1.0 * gain + 1.8 * z, 0, 10);
            break;
        case MEASURE_UCLA3:
            a->answers[i] = clampi(2.2 - 0.35 * zp - 0.3 * gain + 0.6 * z, 1, 3);
            break;
        }
    }
    if (measure_score(c, m, a->answers, a->n, &a->score) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "A generated questionnaire did not score");
    return RES_OK;
}

/* answers as JSON text ("[3,4,2]") into out. */
static const char *answers_json(const struct answered *a, char *out, size_t cap)
{
    size_t k = 0;
    out[k++] = '[';
    for (int i = 0; i < a->n && k + 4 < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%d", i ? "," : "", a->answers[i]);
    out[k++] = ']';
    out[k] = '\0';
    return out;
}

/* Add one outcome row. 0 or a STORE_E_* code. */
static int write_outcome(struct rg_batch *b, long long rid, long long pid, enum measure m,
                         const char *stage, const struct answered *a, const char *at, bool link)
{
    char json[64];
    rg_int(b, rid);
    rg_int(b, pid);
    rg_text(b, measure_name(m));
    rg_text(b, stage);
    rg_text(b, answers_json(a, json, sizeof json));
    opt_real(b, m != MEASURE_ONS4, (double)a->score.raw);
    opt_real(b, m == MEASURE_SWEMWBS, a->score.metric);
    rg_text(b, link ? "link" : "practitioner");
    rg_text(b, at);
    rg_text(b, at);
    rg_text(b, at);
    return rg_row(b);
}

/* Per person while writing referrals: until when their episode is open,
 * and its first referral. */
struct episode {
    uint32_t open_until; /* UINT32_MAX: a referral is still open */
    long long id;
};

/* The time of the event to status (0 when none). */
static uint32_t when(const struct rg_referral *r, int status)
{
    for (int i = 0; i < r->nevents; i++)
        if (r->to[i] == status) return r->at[i];
    return 0;
}

/* Write one referral with its needs, events and outcomes. */
static result write_referral(struct ctx *c, struct rg_plan *p, long long k, struct episode *ep,
                             uint64_t *rng, struct batches *w, struct ref_gen_result *out)
{
    const struct rg_referral *r = &p->refs[k];
    const struct rg_person *who = &p->people[r->person];
    const struct rg_hood *h = &p->hoods[who->hood];
    const struct rg_service *s = &p->services[r->service];
    long long id = p->referral_base + k + 1, pid = p->person_base + r->person + 1;
    int status = r->to[r->nevents - 1];
    bool open = status != REFERRAL_DECLINED && status != REFERRAL_COMPLETED &&
                status != REFERRAL_DROPPED_OUT && status != REFERRAL_CANCELLED;
    uint32_t created = r->at[0], sent = when(r, REFERRAL_SENT),
             accepted = when(r, REFERRAL_ACCEPTED);
    uint32_t started = when(r, REFERRAL_STARTED), ended = open ? 0 : r->at[r->nevents - 1];
    uint32_t contact = 0;
    for (int i = 1; i < r->nevents && !contact; i++)
        if (r->to[i] == REFERRAL_WAITLISTED || r->to[i] == REFERRAL_ACCEPTED ||
            r->to[i] == REFERRAL_DECLINED)
            contact = r->at[i];
    /* Episodes and SNOMED codes as referrals.h says. */
    struct episode *e = &ep[r->person];
    bool first = e->open_until <= created;
    if (first) e->id = id;
    uint32_t until = open ? UINT32_MAX : ended;
    if (first || until > e->open_until) e->open_until = until;
    const char *snomed = r->declined_by == 1 && status == REFERRAL_DECLINED ? SNOMED_SP_DECLINED
                         : first                                            ? SNOMED_SP_REFERRAL
                                                                            : NULL;
    /* The questionnaires: baselines once started, finals once completed. */
    static const enum measure ms[3] = {MEASURE_SWEMWBS, MEASURE_ONS4, MEASURE_UCLA3};
    static const int take[3] = {92, 55, 40};
    struct answered base[3] = {{0}}, fin[3] = {{0}};
    uint64_t prng = p->seed ^ ((uint64_t)(r->person + 1) * 0x9e3779b97f4a7c15ULL);
    double zp = normal(&prng); /* the same person is alike from referral to referral */
    double gain = 1.0 + normal(rng);
    int q = (who->decile + 1) / 2;
    bool link = rg_below(rng, 100) < 20;
    for (int m = 0; started && m < 3; m++) {
        if (rg_below(rng, 100) >= take[m]) continue;
        result res = answer(c, rng, ms[m], zp, q, 0, &base[m]);
        if (res == RES_OK && status == REFERRAL_COMPLETED && rg_below(rng, 100) < 70)
            res = answer(c, rng, ms[m], zp, q, gain, &fin[m]);
        if (res != RES_OK) return res;
    }
    char t[6][21], dob[11];
    const char *sent_s = sent ? rg_time(sent, t[0]) : NULL;
    const char *contact_s = contact ? rg_time(contact, t[1]) : NULL;
    const char *accepted_s = accepted ? rg_time(accepted, t[2]) : NULL;
    const char *started_s = started ? rg_time(started, t[3]) : NULL;
    const char *ended_s = ended ? rg_time(ended, t[4]) : NULL;
    const char *created_s = rg_time(created, t[5]);
    char updated[21];
    rg_time(r->at[r->nevents - 1], updated);
    const char *reason = rg_reason(status, r->declined_by, r->reason);
    struct rg_batch *b = w->referrals;
    rg_int(b, id);
    rg_int(b, pid);
    rg_text(b, s->id);
    rg_text(b, s->name);
    rg_int(b, h->referrer_org);
    rg_int(b, s->org_id);
    rg_text(b, ref_gen_status_name(status));
    rg_text(b, snomed);
    rg_int(b, e->id);
    rg_text(b, r->urgent ? "urgent" : "routine");
    rg_text(b, reason);
    rg_text(b, status == REFERRAL_DECLINED ? (r->declined_by == 1 ? "person" : "provider") : NULL);
    rg_text(b, sent_s);
    rg_text(b, contact_s);
    rg_text(b, accepted_s);
    rg_text(b, started_s);
    rg_text(b, ended_s);
    rg_int(b, h->place_id);
    rg_int(b, h->id);
    rg_int(b, (who->decile + 1) / 2);
    rg_text(b, age_band(rg_day(who->dob, dob), created_s));
    rg_text(b, participant_sexes[who->sex]);
    rg_text(b, ethnicities[who->ethnicity].group);
    opt_real(b, base[0].has, base[0].score.metric);
    opt_real(b, fin[0].has, fin[0].score.metric);
    opt_int(b, base[2].has, base[2].score.raw);
    opt_int(b, fin[2].has, fin[2].score.raw);
    for (int i = 0; i < 4; i++)
        opt_int(b, base[1].has, base[1].answers[i]);
    for (int i = 0; i < 4; i++)
        opt_int(b, fin[1].has, fin[1].answers[i]);
    rg_text(b, created_s);
    rg_text(b, updated);
    int rc = rg_row(b);
    /* Needs: one or two of those the service addresses. */
    int need[2], nneed = 0;
    if (s->nneeds) {
        need[nneed++] = s->needs[rg_below(rng, s->nneeds)];
        if (s->nneeds > 1 && rg_below(rng, 100) < 30) {
            int other = s->needs[rg_below(rng, s->nneeds)];
            if (other != need[0]) need[nneed++] = other;
        }
    } else if (p->nterms) {
        need[nneed++] = (int)rg_below(rng, p->nterms);
    }
    for (int i = 0; rc == 0 && i < nneed; i++) {
        rg_int(w->needs, id);
        rg_text(w->needs, p->terms[need[i]]);
        rc = rg_row(w->needs);
        out->needs++;
    }
    for (int i = 0; rc == 0 && i < r->nevents; i++) {
        char at[21];
        rg_int(w->events, id);
        rg_text(w->events, i ? ref_gen_status_name(r->to[i - 1]) : NULL);
        rg_text(w->events, ref_gen_status_name(r->to[i]));
        rg_text(w->events, rg_time(r->at[i], at));
        rg_text(w->events, ACTOR);
        rg_text(w->events, i == r->nevents - 1 ? reason : NULL);
        rc = rg_row(w->events);
        out->events++;
    }
    for (int m = 0; rc == 0 && m < 3; m++) {
        if (base[m].has) {
            rc = write_outcome(w->outcomes, id, pid, ms[m], "baseline", &base[m], started_s, link);
            out->outcomes++;
        }
        if (rc == 0 && fin[m].has) {
            rc = write_outcome(w->outcomes, id, pid, ms[m], "final", &fin[m], ended_s, link);
            out->outcomes++;
        }
    }
    if (rc < 0) return ctx_store_failure(c, rc, "writing a referral");
    out->referrals++;
    out->by_status[status]++;
    return RES_OK;
}

/* See ref_gen_internal.h. */
result rg_write(struct ctx *c, struct rg_plan *p, struct ref_gen_result *out)
{
    struct batches w = {0};
    w.people = rg_batch_new(c->db,
                            "INSERT INTO participants (id, name, date_of_birth, lsoa,"
                            " neighbourhood_id, place_id, imd_decile, sex, ethnicity,"
                            " organisation_id, last_contact_at, created_at, updated_at)",
                            13, NULL);
    w.consents = rg_batch_new(c->db,
                              "INSERT INTO consents (participant_id, scope, given, method,"
                              " recorded_at, recorded_by, note, created_at, updated_at)",
                              9, w.people);
    w.referrals = rg_batch_new(
        c->db,
        "INSERT INTO referrals (id, participant_id, service_id, service_name, referring_org_id,"
        " receiving_org_id, status, snomed_code, episode_id, urgency, reason, declined_by,"
        " sent_at, first_contact_at, accepted_at, started_at, ended_at, place_id,"
        " neighbourhood_id, imd_quintile, age_band, sex, ethnicity_group,"
        " swemwbs_b, swemwbs_f, ucla_b, ucla_f, ons_life_b, ons_worth_b, ons_happy_b,"
        " ons_anxious_b, ons_life_f, ons_worth_f, ons_happy_f, ons_anxious_f, created_at,"
        " updated_at)",
        37, w.people);
    w.needs =
        rg_batch_new(c->db, "INSERT INTO referral_needs (referral_id, term_id)", 2, w.referrals);
    w.events = rg_batch_new(c->db,
                            "INSERT INTO referral_events (referral_id, from_status, to_status,"
                            " at, actor, reason)",
                            6, w.referrals);
    w.outcomes = rg_batch_new(c->db,
                              "INSERT INTO outcomes (referral_id, participant_id, measure, stage,"
                              " answers, raw_score, metric_score, via, recorded_at, created_at,"
                              " updated_at)",
                              11, w.referrals);
    struct episode *ep = calloc((size_t)p->npeople, sizeof *ep);
    result res = RES_OK;
    if (!ep || !w.people || !w.consents || !w.referrals || !w.needs || !w.events || !w.outcomes)
        res = ctx_fail(c, RES_INTERNAL, "Out of memory");
    if (res == RES_OK) res = write_people(c, p, &w, out);
    uint64_t rng = p->seed ^ 0x0c0ffee5ca1eULL;
    for (long long k = 0; res == RES_OK && k < p->nrefs; k++) {
        res = write_referral(c, p, k, ep, &rng, &w, out);
        if (p->g->progress && (k + 1) % 50000 == 0)
            p->g->progress(p->g->ud, "referrals", k + 1, p->nrefs);
    }
    if (res == RES_OK) {
        int rc = rg_flush(w.needs);
        if (rc == 0) rc = rg_flush(w.events);
        if (rc == 0) rc = rg_flush(w.outcomes);
        if (rc < 0) res = ctx_store_failure(c, rc, "writing the referrals");
    }
    free(ep);
    rg_batch_free(w.people);
    rg_batch_free(w.consents);
    rg_batch_free(w.referrals);
    rg_batch_free(w.needs);
    rg_batch_free(w.events);
    rg_batch_free(w.outcomes);
    return res;
}
