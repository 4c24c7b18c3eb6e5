/*
 * ref_gen_internal.h: what the two halves of chis gen referrals share:
 * ref_gen.c plans the cohort in memory (who, where, when, what happened),
 * ref_gen_write.c writes it. See ref_gen.h for what the data looks like.
 */
#ifndef CHIS_REF_GEN_INTERNAL_H
#define CHIS_REF_GEN_INTERNAL_H

#include "domain/ref_gen.h"

#include <stdbool.h>
#include <stdint.h>

/* splitmix64 (Steele, Lea and Flood 2014): small, good and seedable. */
static inline uint64_t rg_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n) (n > 0); the modulo's bias is negligible. */
static inline long long rg_below(uint64_t *rng, long long n)
{
    return (long long)(rg_next(rng) % (uint64_t)n);
}

/* A uniform double in [0, 1). */
static inline double rg_unit(uint64_t *rng)
{
    return (double)(rg_next(rng) >> 11) * 0x1.0p-53;
}

/* A neighbourhood people live in. */
struct rg_hood {
    long long id, place_id;
    int decile;
    double cumulative;      /* running total of the weights, for drawing */
    int lsoa_first, nlsoas; /* its LSOAs in rg_plan.lsoas */
    long long referrer_org; /* who refers its people */
};

struct rg_lsoa {
    const char *code;
    int decile; /* 0: none known (the neighbourhood's then) */
};

/* A directory service people are referred to. */
struct rg_service {
    const char *id, *name;
    long long org_id; /* the receiving chis organisation */
    short needs[4];   /* indices into rg_plan.terms */
    int nneeds;
};

/* Times are seconds since 1970 (UTC) in 32 bits: enough until 2106. */
struct rg_person {
    int hood, lsoa; /* lsoa: index into lsoas, or -1 */
    int decile;
    int dob; /* days since 1970 */
    unsigned char sex, ethnicity;
    uint32_t first_t, last_t; /* first referral made, last contact */
};

#define RG_MAX_EVENTS 6

/* One referral: the transitions that had happened by `until`. The first
 * event is always the draft's creation. */
struct rg_referral {
    uint32_t person, service;
    uint32_t at[RG_MAX_EVENTS];
    unsigned char to[RG_MAX_EVENTS]; /* enum referral_status */
    unsigned char nevents;
    unsigned char declined_by; /* 0, 1 person, 2 provider */
    unsigned char reason;      /* index into the reasons of its final state */
    unsigned char urgent;
};

struct rg_plan {
    const struct ref_gen *g;
    uint64_t seed;
    uint32_t until; /* the end of the history */
    struct rg_hood *hoods;
    int nhoods;
    struct rg_lsoa *lsoas;
    int nlsoas;
    struct rg_service *services;
    long long nservices;
    const char **terms; /* need term ids */
    int nterms;
    struct rg_person *people;
    long long npeople;
    struct rg_referral *refs; /* in the order they were made */
    long long nrefs;
    long long person_base, referral_base; /* ids before ours */
};

/*
 * Rows for one table gathered and inserted many at a time (one statement
 * of up to sixteen rows: SQLite's per-statement work, such as the
 * AUTOINCREMENT bookkeeping, is then paid once per batch). A batch whose
 * rows refer to another's (its parent) flushes the parent first, so
 * foreign keys always find their row.
 */
struct rg_batch;

/* head is "INSERT INTO t (a, b, c)" with ncols columns; parent may be NULL.
 * NULL when out of memory. */
struct rg_batch *rg_batch_new(store_conn *db, const char *head, int ncols, struct rg_batch *parent);
void rg_batch_free(struct rg_batch *b);
void rg_int(struct rg_batch *b, long long v);
void rg_real(struct rg_batch *b, double v);
void rg_text(struct rg_batch *b, const char *s); /* NULL: null */
void rg_null(struct rg_batch *b);
/* The row is complete (ncols values given since the last): 0, or a
 * STORE_E_* code when a full batch failed to insert. */
int rg_row(struct rg_batch *b);
/* Insert the rows gathered (the parent's first): 0 or a STORE_E_* code. */
int rg_flush(struct rg_batch *b);

/* Write the planned cohort (inside the caller's transaction). */
result rg_write(struct ctx *c, struct rg_plan *p, struct ref_gen_result *out);

/* t as YYYY-MM-DDTHH:MM:SSZ into out (21 bytes). */
const char *rg_time(uint32_t t, char out[21]);

/* Day number (since 1970) as YYYY-MM-DD into out (11 bytes). */
const char *rg_day(long long day, char out[11]);

/* The reason recorded for a referral that ended in status (index r). */
const char *rg_reason(int status, int declined_by, int r);

#endif
