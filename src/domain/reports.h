/*
 * reports.h: the outcomes report of the social prescribing pathway, for
 * the system's leaders: what happened to the referrals made in a date
 * range, for one service, receiving organisation, place or neighbourhood
 * (or the whole system), and how people's wellbeing changed, broken down
 * by deprivation, age, sex and ethnicity.
 *
 * Reports read the referrals table alone: each referral keeps, frozen
 * when it was made, the person's place, neighbourhood, IMD quintile, age
 * band, sex and ethnicity group, and the baseline and final scores of each
 * measure (see the migration). One indexed range scan, aggregated in one
 * pass in C into fixed arrays indexed by dimension value: no join, no
 * per-row allocation.
 *
 * Figures (for the whole scope and for every breakdown cell):
 *   referrals     referrals created in the range (created_at's UTC date,
 *                 from and to inclusive)
 *   by status     how many are now in each of the nine states (whole
 *                 scope only)
 *   sent          referrals with sent_at set (they left draft)
 *   uptake        started, completed or dropped_out / sent
 *   completion    completed / (started, completed or dropped_out)
 *   days to first contact
 *                 whole calendar days (UTC) from sent_at's date to
 *                 first_contact_at's date, over referrals with both (and
 *                 contact not before sending): mean and median
 *   SWEMWBS       over pairs (baseline and final metric both present):
 *                 mean change final - baseline with its 95% confidence
 *                 interval, and the shares with a meaningful improvement
 *                 (change >= SWEMWBS_MEANINGFUL_CHANGE) and decline
 *                 (change <= -SWEMWBS_MEANINGFUL_CHANGE)
 *   ONS4          each item's mean paired change with its interval, never
 *                 summed (anxiety: a fall is an improvement)
 *   UCLA3         mean paired change of the total (a fall is less lonely)
 * A 95% interval is mean +- t(0.975, n-1) * sd / sqrt(n) (sample sd).
 *
 * Disclosure control. A figure of a cell describing fewer than
 * REPORT_MIN_CELL people is suppressed: for counts the count itself, for
 * rates their denominator, for days the referrals with both dates, for
 * changes the number of pairs. A rate also tells its numerator (rate x n:
 * the people who took up, or completed), so a rate is suppressed too when
 * that is 1 to 4 (a rate of 0 may show). Secondary suppression: when
 * exactly one non-zero cell of a breakdown (one figure across one
 * dimension, for rates over their numerators as well) is suppressed, the
 * unsuppressed cell with the next-smallest number of people is suppressed
 * too (the first in cell order on a tie), so that the suppressed value
 * cannot be found by subtracting the others from the total; hidden zeros
 * do not count, as an empty group is easily guessed. The whole scope's
 * figures follow the same primary rules. The nine status counts add up to
 * the referrals, and uptake and completion also tell the sum of started,
 * completed and dropped out: secondary suppression holds over each of
 * those groups (and the other six) until none has a lone hidden cell.
 *
 * Consent: referrals of people whose anonymised_reporting consent is
 * withdrawn (the newest record for that scope has given = 0) do not count.
 *
 * Access: every signed-in user (and the operator): aggregates carry no
 * personal data, so reading them is not audited.
 */
#ifndef CHIS_REPORTS_H
#define CHIS_REPORTS_H

#include "domain/ctx.h"
#include "domain/referrals.h"

#include <stdbool.h>

#define REPORT_MIN_CELL 5    /* fewer people than this: suppressed */
#define REPORT_DAYS_BINS 731 /* days to first contact 0..729, and 730 or more */

/* ---- pure statistics (report_stats.c) ---- */

/* A running count, sum and sum of squares of the values less the first
 * (shifted data: accurate where plain sums of squares would cancel, and no
 * division a value, which the report does millions of times). */
struct stat_run {
    long long n;
    double shift, sum, sumsq;
};

void stat_add(struct stat_run *s, double x);
/* The mean; 0 when there are no values. */
double stat_mean(const struct stat_run *s);
/* The sample standard deviation (n - 1); 0 when n < 2. */
double stat_sd(const struct stat_run *s);

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1;
 * huge df tends to 1.959964), accurate to 3 decimals: exact values for df
 * 1-30, a Cornish-Fisher expansion beyond. */
double t_quantile_975(long long df);

/* The 95% interval of s's mean; false (and nothing set) when n < 2. */
bool stat_ci95(const struct stat_run *s, double *lo, double *hi);

/* The median of n values counted in bins (bins[i] values equal to i);
 * the mean of the middle two when n is even. 0 when n is 0. */
double hist_median(const int *bins, int nbins, long long n);

/*
 * Disclosure control over the n cells of one breakdown: people[i] is how
 * many people cell i describes. Sets suppressed[i] when people[i] <
 * REPORT_MIN_CELL, then, when exactly one non-zero cell is suppressed,
 * also the unsuppressed cell with the fewest people (the first on a tie).
 * Returns how many cells are suppressed.
 */
int cells_suppress(const long long *people, bool *suppressed, int n);

/* As cells_suppress, keeping the cells hidden already (hidden[] is read
 * and added to): for a group some of whose cells another rule has hidden. */
int cells_protect(const long long *people, bool *hidden, int n);

/* ---- the report ---- */

enum report_scope {
    SCOPE_SYSTEM,
    SCOPE_SERVICE,
    SCOPE_ORGANISATION,
    SCOPE_PLACE,
    SCOPE_NEIGHBOURHOOD
};

/* The statement the report scans a scope with ($1, $2 the dates from and
 * the day after to; $3 the scope's id): for tests of its query plan. */
const char *report_scan_sql(enum report_scope scope);

struct report_query {
    const char *service_id;    /* HSDS id; NULL: not this scope */
    long long organisation_id; /* receiving organisation; 0: not this scope */
    long long place_id;        /* 0: not this scope */
    long long neighbourhood_id;
    const char *from, *to; /* YYYY-MM-DD inclusive; NULL: 12 months to today */
};

enum report_figure {
    RF_REFERRALS,  /* count: n = value */
    RF_SENT,       /* count: n = value */
    RF_UPTAKE,     /* rate of n sent */
    RF_COMPLETION, /* rate of n started or later */
    RF_DAYS,       /* n with both dates: value = mean, median */
    RF_SWEMWBS,    /* n pairs: value = mean change, interval, improved, declined */
    RF_ONS_LIFE,   /* n pairs: value = mean change, interval (ONS4 item 0) */
    RF_ONS_WORTH,
    RF_ONS_HAPPY,
    RF_ONS_ANXIOUS,
    RF_UCLA, /* n pairs: value = mean change of the total, interval */
    RF_N
};

/* One figure of one cell. When suppressed, nothing else is to be shown. */
struct report_value {
    long long n; /* the people it describes */
    double value;
    double median; /* RF_DAYS */
    bool has_ci;   /* change figures with n >= 2 */
    double ci_low, ci_high;
    double improved, declined; /* RF_SWEMWBS: shares of the pairs */
    bool suppressed;
};

struct report_cell {
    const char *code;  /* "all", "1".."5", "18-24", "female", "asian", "unknown" ... */
    const char *label; /* for people: "1 (most deprived)", "Not recorded" ... */
    struct report_value fig[RF_N];
};

struct report_breakdown {
    const char *name;  /* imd_quintile, age_band, sex, ethnicity_group */
    const char *label; /* "IMD quintile", ... */
    struct report_cell *cells;
    int ncells;
};

#define REPORT_NBREAKDOWNS 4

/* A referral's report_key column unpacked (the migration packs it). */
struct report_key {
    int status; /* enum referral_status */
    bool sent;
    int cell[REPORT_NBREAKDOWNS]; /* each dimension's cell, its unknown last */
};

/* Unpacks key; false when it names no status. */
bool report_key_decode(long long key, struct report_key *out);

/* The code of cell i of dimension d (0 IMD quintile "1".."5", 1 age band,
 * 2 sex, 3 ethnic group; each ends with "unknown"), or NULL past the end. */
const char *report_dimension_code(int d, int i);

struct outcome_report {
    enum report_scope scope;
    const char *scope_type; /* system, service, organisation, place, neighbourhood */
    long long scope_id;     /* 0 for the system and a service */
    const char *service_id; /* SCOPE_SERVICE */
    const char *scope_name; /* NULL for the system */
    const char *from, *to;
    struct report_cell total;
    struct report_value status[REFERRAL_NSTATUS]; /* count of each state; n = value */
    struct report_breakdown breakdowns[REPORT_NBREAKDOWNS];
};

/* Names for each figure (for JSON keys and CSV), and readable labels. */
extern const char *const report_figure_names[RF_N]; /* referrals, sent, uptake ... */
extern const char *const report_status_names[REFERRAL_NSTATUS];

/*
 * Build the report. At most one scope may be given: two or more are
 * RES_INVALID naming each; so are an unknown place, neighbourhood,
 * organisation or service, a date that is not YYYY-MM-DD (or not a day of
 * the calendar), and from after to. Anyone signed in (else
 * RES_UNAUTHENTICATED).
 * Everything in *out belongs to c->a.
 */
result outcome_report_build(struct ctx *c, const struct report_query *q,
                            struct outcome_report *out);

#endif
