/*
 * report_stats.c: the pure statistics behind the outcomes report (see
 * reports.h): a one-pass mean and standard deviation, Student's t quantile
 * for 95% intervals, a median from counted days, and small-cell
 * suppression. No store, no actor, no allocation.
 */
#include "domain/reports.h"

#include <math.h>

/* Adds x: its distance from the first value goes into the sums, so that
 * values far from zero (a large mean, a small spread) lose no precision. */
void stat_add(struct stat_run *s, double x)
{
    if (s->n == 0) s->shift = x;
    double d = x - s->shift;
    s->n++;
    s->sum += d;
    s->sumsq += d * d;
}

/* Returns the mean of the values added; 0 when none were. */
double stat_mean(const struct stat_run *s)
{
    return s->n ? s->shift + s->sum / (double)s->n : 0;
}

/* Returns the sample standard deviation (divisor n - 1); 0 below two values. */
double stat_sd(const struct stat_run *s)
{
    if (s->n < 2) return 0;
    double n = (double)s->n;
    double v = (s->sumsq - s->sum * s->sum / n) / (n - 1);
    return v > 0 ? sqrt(v) : 0;
}

/*
 * Returns t(0.975, df). For df 1-30 the published values (to 6 decimals,
 * computed from the incomplete beta function); beyond, the Cornish-Fisher
 * expansion of t around the normal quantile z in powers of 1/df, whose
 * error at df 31 is under 1e-7 and falls from there. df < 1 answers the
 * df 1 value (there is no interval then anyway).
 */
double t_quantile_975(long long df)
{
    static const double table[31] = {
        12.706205, 12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624,
        2.306004,  2.262157,  2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450,
        2.119905,  2.109816,  2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658,
        2.063899,  2.059539,  2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
    };
    if (df < 1) df = 1;
    if (df <= 30) return table[df];
    const double z = 1.959963984540054; /* the normal 0.975 quantile */
    double v = (double)df, z2 = z * z;
    double z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

/* Sets *lo and *hi to mean -+ t * sd / sqrt(n); false below two values. */
bool stat_ci95(const struct stat_run *s, double *lo, double *hi)
{
    if (s->n < 2) return false;
    double half = t_quantile_975(s->n - 1) * stat_sd(s) / sqrt((double)s->n);
    *lo = stat_mean(s) - half;
    *hi = stat_mean(s) + half;
    return true;
}

/* Returns the value (a bin index) holding the k-th smallest (0-based) of the counted values. */
static int hist_kth(const int *bins, int nbins, long long k)
{
    long long seen = 0;
    for (int i = 0; i < nbins; i++) {
        seen += bins[i];
        if (seen > k) return i;
    }
    return nbins - 1;
}

/* Returns the median of the n values counted in bins (see reports.h). */
double hist_median(const int *bins, int nbins, long long n)
{
    if (n <= 0) return 0;
    if (n % 2) return hist_kth(bins, nbins, n / 2);
    return (hist_kth(bins, nbins, n / 2 - 1) + hist_kth(bins, nbins, n / 2)) / 2.0;
}

/*
 * Adds to hidden the cells to suppress (see reports.h); returns how many
 * are. A zero does not protect: "fewer than 5" over a group that is
 * plainly empty (the sex not recorded, the IMD quintile of nobody here) is
 * read as 0, so a lone small cell beside hidden zeros is still the total
 * minus the others. Secondary suppression counts the non-zero cells.
 */
int cells_protect(const long long *people, bool *hidden, int n)
{
    int count = 0, nonzero = 0;
    for (int i = 0; i < n; i++) {
        hidden[i] = hidden[i] || people[i] < REPORT_MIN_CELL;
        count += hidden[i];
        nonzero += hidden[i] && people[i] > 0;
    }
    if (nonzero != 1) return count;
    /* One hidden cell could be recovered as the total minus the others:
     * hide the next-smallest too. */
    int pick = -1;
    for (int i = 0; i < n; i++)
        if (!hidden[i] && (pick < 0 || people[i] < people[pick])) pick = i;
    if (pick >= 0) {
        hidden[pick] = true;
        count++;
    }
    return count;
}

/* Marks the cells to suppress (see reports.h); returns how many are. */
int cells_suppress(const long long *people, bool *suppressed, int n)
{
    for (int i = 0; i < n; i++)
        suppressed[i] = false;
    return cells_protect(people, suppressed, n);
}
