/*
 * test_report_stats.c: the pure statistics of the outcomes report against
 * values computed by hand: mean and sample standard deviation, Student's t
 * quantiles, 95% intervals, medians from counted days, and small-cell
 * suppression with its secondary rule.
 */
#include "unit.h"

#include "domain/reports.h"

#include <math.h>

static struct stat_run run_of(const double *x, int n)
{
    struct stat_run s = {0};
    for (int i = 0; i < n; i++)
        stat_add(&s, x[i]);
    return s;
}

static void mean_and_sd(void **state)
{
    (void)state;
    /* 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16
     * = 32; sample variance 32/7 = 4.571429; sd 2.138090. */
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    struct stat_run s = run_of(x, 8);
    assert_int_equal(s.n, 8);
    assert_float_equal(stat_mean(&s), 5.0, 1e-12);
    assert_float_equal(stat_sd(&s), 2.138090, 1e-6);
    /* One value: a mean, no spread. */
    struct stat_run one = run_of(x, 1);
    assert_float_equal(stat_mean(&one), 2.0, 1e-12);
    assert_float_equal(stat_sd(&one), 0.0, 1e-12);
    /* Large values close together: shifting by the first keeps the spread
     * (naive sums of squares would cancel it away). */
    const double big[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    struct stat_run b = run_of(big, 4);
    assert_float_equal(stat_mean(&b), 1e9 + 10, 1e-6);
    assert_float_equal(stat_sd(&b), sqrt(30.0), 1e-6); /* (36+9+9+36)/3 = 30 */
}

static void t_quantiles(void **state)
{
    (void)state;
    /* Published two-sided 95% critical values. */
    assert_float_equal(t_quantile_975(1), 12.706, 0.0005);
    assert_float_equal(t_quantile_975(2), 4.303, 0.0005);
    assert_float_equal(t_quantile_975(4), 2.776, 0.0005);
    assert_float_equal(t_quantile_975(9), 2.262, 0.0005);
    assert_float_equal(t_quantile_975(29), 2.045, 0.0005);
    assert_float_equal(t_quantile_975(120), 1.980, 0.0005);
    /* Past the table: the expansion meets it smoothly and tends to z. */
    assert_float_equal(t_quantile_975(30), 2.042, 0.0005);
    assert_float_equal(t_quantile_975(31), 2.040, 0.0005);
    assert_float_equal(t_quantile_975(40), 2.021, 0.0005);
    assert_float_equal(t_quantile_975(60), 2.000, 0.0005);
    assert_float_equal(t_quantile_975(1000), 1.962, 0.0005);
    assert_float_equal(t_quantile_975(100000000), 1.960, 0.0005);
    for (long long df = 1; df < 500; df++)
        assert_true(t_quantile_975(df + 1) < t_quantile_975(df));
}

static void intervals(void **state)
{
    (void)state;
    /*
     * A cohort of six SWEMWBS changes: 5, 3, 1, 0, -3, 6.
     * mean = 12/6 = 2; deviations 3, 1, -1, -2, -5, 4; squares sum 56;
     * variance 56/5 = 11.2; sd = 3.346640; se = sd/sqrt(6) = 1.366260;
     * t(0.975, 5) = 2.570582; half width = 3.512084;
     * interval (-1.512084, 5.512084).
     */
    const double x[] = {5, 3, 1, 0, -3, 6};
    struct stat_run s = run_of(x, 6);
    double lo, hi;
    assert_true(stat_ci95(&s, &lo, &hi));
    assert_float_equal(lo, -1.512084, 1e-5);
    assert_float_equal(hi, 5.512084, 1e-5);
    /* Two values 1 and 3: mean 2, sd sqrt(2), se 1, t(1) 12.706205. */
    const double two[] = {1, 3};
    s = run_of(two, 2);
    assert_true(stat_ci95(&s, &lo, &hi));
    assert_float_equal(lo, 2 - 12.706205, 1e-5);
    assert_float_equal(hi, 2 + 12.706205, 1e-5);
    /* No spread: the interval is the mean. */
    const double same[] = {2, 2, 2};
    s = run_of(same, 3);
    assert_true(stat_ci95(&s, &lo, &hi));
    assert_float_equal(lo, 2, 1e-12);
    assert_float_equal(hi, 2, 1e-12);
    /* Fewer than two: no interval. */
    s = run_of(two, 1);
    lo = hi = 99;
    assert_false(stat_ci95(&s, &lo, &hi));
    assert_float_equal(lo, 99, 0);
}

static void medians(void **state)
{
    (void)state;
    int bins[10] = {0};
    assert_float_equal(hist_median(bins, 10, 0), 0, 0);
    /* 1, 2, 2, 7: the middle two are 2 and 2. */
    bins[1] = 1, bins[2] = 2, bins[7] = 1;
    assert_float_equal(hist_median(bins, 10, 4), 2, 0);
    /* 1, 2, 2, 7, 9, 9: middle two 2 and 7 -> 4.5. */
    bins[9] = 2;
    assert_float_equal(hist_median(bins, 10, 6), 4.5, 0);
    /* 1, 2, 2, 7, 9, 9, 9: the fourth, 7. */
    bins[9] = 3;
    assert_float_equal(hist_median(bins, 10, 7), 7, 0);
}

static void suppression(void **state)
{
    (void)state;
    bool s[6];
    /* Nothing small: nothing hidden. */
    const long long fine[] = {5, 9, 30, 5};
    assert_int_equal(cells_suppress(fine, s, 4), 0);
    for (int i = 0; i < 4; i++)
        assert_false(s[i]);
    /* One cell of 4: hidden, and so is the next-smallest (7). */
    const long long one[] = {12, 7, 4, 30, 9};
    assert_int_equal(cells_suppress(one, s, 5), 2);
    assert_true(s[2]);
    assert_true(s[1]);
    assert_false(s[0] || s[3] || s[4]);
    /* A tie for next-smallest: the first in cell order. */
    const long long tie[] = {8, 3, 6, 6};
    assert_int_equal(cells_suppress(tie, s, 4), 2);
    assert_true(s[1] && s[2]);
    assert_false(s[0] || s[3]);
    /* A hidden zero protects nobody: the 4 beside it is the one non-zero
     * hidden cell, so the next-smallest (10) is hidden with it. */
    const long long two[] = {0, 4, 10, 11};
    assert_int_equal(cells_suppress(two, s, 4), 3);
    assert_true(s[0] && s[1] && s[2]);
    assert_false(s[3]);
    /* A lone zero is hidden (fewer than five), but it hides no person, so
     * nothing else needs hiding to protect it. */
    const long long zero[] = {0, 20, 6};
    assert_int_equal(cells_suppress(zero, s, 3), 1);
    assert_true(s[0]);
    assert_false(s[1] || s[2]);
    /* One cell, small: hidden alone (nothing else to hide). */
    const long long alone[] = {3};
    assert_int_equal(cells_suppress(alone, s, 1), 1);
    assert_true(s[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mean_and_sd), cmocka_unit_test(t_quantiles), cmocka_unit_test(intervals),
        cmocka_unit_test(medians),     cmocka_unit_test(suppression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
