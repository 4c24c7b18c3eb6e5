/*
 * ref_gen.h: deterministic synthetic cohorts (chis gen referrals): people
 * referred to the services of a directory, their referrals' whole
 * lifecycle, and the outcome measures they answered, for the benchmark and
 * for trying the reports out at scale.
 *
 * The cohort looks like a social prescribing caseload:
 *   - people live in the system's neighbourhoods, more of them in deprived
 *     ones (a neighbourhood's weight is its population times a factor from
 *     1.9 for IMD decile 1 down to 0.73 for decile 10); ages lean old, about
 *     six in ten are women, ethnicity follows England's 2021 census (ONS
 *     codes, participants.h);
 *   - each person has one or more referrals (the total is exactly
 *     participants x per_participant, rounded), made over the `years` before
 *     `until`, more of them recently; a service's popularity is skewed;
 *   - each referral runs its course (draft, sent, then accepted, waitlisted,
 *     declined by the person or the provider, or cancelled; started;
 *     completed or dropped out) with realistic delays, and is cut at
 *     `until`: what had not happened by then has not happened, so recent
 *     referrals are still open. Timestamps follow the lifecycle (sent_at <=
 *     first_contact_at <= accepted_at <= started_at <= ended_at), every
 *     transition is in referral_events, and SNOMED codes and episodes follow
 *     referrals.h;
 *   - the equity columns are frozen as referral_create does (place,
 *     neighbourhood, IMD quintile = (decile + 1) / 2, age_band() on the day
 *     of the referral, sex, ethnicity_group());
 *   - SWEMWBS (92%), ONS4 (55%) and UCLA-3 (40%) baselines for referrals that
 *     started, finals for seven in ten of those completed, with a modest mean
 *     improvement; scores by measures.h, and the referral's score columns in
 *     step with the outcomes rows;
 *   - a consent record (referral to provider, given) for everyone, and one
 *     person in a hundred has since withdrawn anonymised reporting.
 * About two outcome rows are made per referral.
 *
 * What it needs and makes: published directory services whose directory
 * organization is linked to a chis organisation (chis gen directory), else
 * RES_CONFLICT. When the database has no neighbourhoods, it adds four places
 * of ten neighbourhoods each (codes SYN-A01 ... SYN-D10, IMD deciles 1-10 in
 * each place). The referring organisation of a place's people is the
 * organisation serving that place that has a link worker (lowest id), else
 * "Social Prescribing Link Workers, <place>" (NHS sector), added once.
 * Neighbourhood LSOAs (neighbourhood_lsoas) and their deciles (lsoa_imd) are
 * used when present. No self-referrals, no capacity limits or governance
 * gate (any service may be referred to), no attendance, and no audit
 * entries: the data is synthetic.
 *
 * Everything is drawn from one seeded generator in a fixed order and no
 * clock is read, so the same seed and parameters give the same rows in the
 * same fresh database. Ids continue from those already there.
 */
#ifndef CHIS_REF_GEN_H
#define CHIS_REF_GEN_H

#include "domain/ctx.h"

/* The last day of a generated history unless told otherwise. */
#define REF_GEN_UNTIL "2026-10-31"

struct ref_gen {
    long long participants;  /* 1 .. 5,000,000 */
    double per_participant;  /* mean referrals per person, 1 .. 20; 0: 2.5 */
    unsigned long long seed; /* the same seed makes the same cohort */
    const char *until;       /* YYYY-MM-DD, the history's last day; NULL: REF_GEN_UNTIL */
    int years;               /* how far back the history goes, 1 .. 10; 0: 3 */
    /* Called every so often with what is being written and how far it got;
     * may be NULL. */
    void (*progress)(void *ud, const char *what, long long done, long long total);
    void *ud;
};

struct ref_gen_result {
    long long participants, referrals, needs, events, outcomes, consents;
    long long by_status[9];                          /* by enum referral_status (referrals.h) */
    long long places, neighbourhoods, organisations; /* added for the cohort */
    double plan_ms, write_ms, commit_ms;             /* where the time went */
    /* For benchmarks and trying things out: the place with the most of the
     * new referrals and the organisation referring its people, and the
     * service most referred to (id in c->a) with its chis organisation. */
    long long top_place_id, top_place_referrals, top_place_referrer;
    const char *top_service_id;
    long long top_service_referrals, top_service_org;
};

/*
 * Generate the cohort in one transaction: all or nothing. The operator
 * only (RES_FORBIDDEN). RES_INVALID for a size out of range (fields
 * participants, per_participant, until, years); RES_CONFLICT when the
 * database has no usable directory services (detail says to run chis gen
 * directory first); RES_INTERNAL when the store fails.
 */
result ref_generate(struct ctx *c, const struct ref_gen *g, struct ref_gen_result *out);

/* The name of a referral status by enum referral_status value (no link to
 * referrals.c needed). */
const char *ref_gen_status_name(int status);

#endif
