/*
 * test_measures.c: the outcome measures (domain/measures.c) against the
 * published tables, typed here again from the text: the whole
 * SWEMWBS raw-to-metric table, every ONS4 band, UCLA3 totals, and the
 * refusals of wrong counts and out-of-range answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/accounts.h"
#include "domain/measures.h"
#include "unit.h"

/* The whole published table, raw 7..35. */
static void swemwbs_converts_every_raw_total(void **state)
{
    (void)state;
    static const double want[] = {7.00,  9.51,  11.25, 12.40, 13.33, 14.08, 14.75, 15.32,
                                  15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25, 19.98,
                                  20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03,
                                  28.13, 29.31, 30.70, 32.55, 35.00};
    for (int raw = 7; raw <= 35; raw++)
        assert_true(swemwbs_metric(raw) == want[raw - 7]);
    assert_true(swemwbs_metric(6) < 0);
    assert_true(swemwbs_metric(36) < 0);
}

/* Seven answers score to their total and its metric score. */
static void swemwbs_scores_a_questionnaire(void **state)
{
    struct fx *f = *state;
    struct measure_score s;
    const int answers[] = {3, 4, 2, 5, 3, 3, 4}; /* 24 */
    assert_int_equal(measure_score(&f->c, MEASURE_SWEMWBS, answers, 7, &s), RES_OK);
    assert_int_equal(s.raw, 24);
    assert_true(s.metric == 21.54);
    assert_int_equal(s.nitems, 7);
    const int low[] = {1, 1, 1, 1, 1, 1, 1}, high[] = {5, 5, 5, 5, 5, 5, 5};
    assert_int_equal(measure_score(&f->c, MEASURE_SWEMWBS, low, 7, &s), RES_OK);
    assert_true(s.metric == 7.00);
    assert_int_equal(measure_score(&f->c, MEASURE_SWEMWBS, high, 7, &s), RES_OK);
    assert_true(s.metric == 35.00);
    assert_true(SWEMWBS_MEANINGFUL_CHANGE == 3.0);
}

/* An incomplete questionnaire is not scored; each bad answer is named. */
static void wrong_counts_and_ranges_are_refused(void **state)
{
    struct fx *f = *state;
    struct measure_score s;
    const int six[] = {3, 3, 3, 3, 3, 3};
    assert_int_equal(measure_score(&f->c, MEASURE_SWEMWBS, six, 6, &s), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers"));
    assert_int_equal(s.raw, 0);
    fx_operator(f);
    const int bad[] = {0, 3, 6, 3, 3, 3, 3};
    assert_int_equal(measure_score(&f->c, MEASURE_SWEMWBS, bad, 7, &s), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers[0]"));
    assert_non_null(fx_field_error(f, "answers[2]"));
    assert_null(fx_field_error(f, "answers[1]"));
    fx_operator(f);
    const int ons[] = {5, 11, 5, 5};
    assert_int_equal(measure_score(&f->c, MEASURE_ONS4, ons, 4, &s), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers[1]"));
    fx_operator(f);
    const int ucla[] = {1, 4, 2};
    assert_int_equal(measure_score(&f->c, MEASURE_UCLA3, ucla, 3, &s), RES_INVALID);
    assert_non_null(fx_field_error(f, "answers[1]"));
}

/* ONS4: every answer's band, items never summed. */
static void ons4_bands_every_answer(void **state)
{
    struct fx *f = *state;
    static const char *const positive[] = {"low",  "low",       "low",      "low",
                                           "low",  "medium",    "medium",   "high",
                                           "high", "very high", "very high"};
    static const char *const anxiety[] = {"very low", "very low", "low",  "low",
                                          "medium",   "medium",   "high", "high",
                                          "high",     "high",     "high"};
    for (int v = 0; v <= 10; v++) {
        for (int item = 0; item < 3; item++)
            assert_string_equal(ons4_band(item, v), positive[v]);
        assert_string_equal(ons4_band(3, v), anxiety[v]);
    }
    assert_null(ons4_band(0, 11));
    assert_null(ons4_band(4, 5));
    struct measure_score s;
    const int answers[] = {7, 9, 4, 6};
    assert_int_equal(measure_score(&f->c, MEASURE_ONS4, answers, 4, &s), RES_OK);
    assert_int_equal(s.raw, 0);
    assert_string_equal(s.bands[0], "high");
    assert_string_equal(s.bands[1], "very high");
    assert_string_equal(s.bands[2], "low");
    assert_string_equal(s.bands[3], "high");
    assert_string_equal(ons4_items[3], "anxiety");
}

/* UCLA3: totals 3 to 9. */
static void ucla3_totals(void **state)
{
    struct fx *f = *state;
    struct measure_score s;
    const int lonely[] = {3, 3, 3}, not_lonely[] = {1, 1, 1}, mixed[] = {1, 2, 3};
    assert_int_equal(measure_score(&f->c, MEASURE_UCLA3, lonely, 3, &s), RES_OK);
    assert_int_equal(s.raw, 9);
    assert_int_equal(measure_score(&f->c, MEASURE_UCLA3, not_lonely, 3, &s), RES_OK);
    assert_int_equal(s.raw, 3);
    assert_int_equal(measure_score(&f->c, MEASURE_UCLA3, mixed, 3, &s), RES_OK);
    assert_int_equal(s.raw, 6);
    assert_true(s.metric == 0);
}

/* Names parse both ways. */
static void measures_have_names(void **state)
{
    (void)state;
    enum measure m;
    assert_true(measure_parse("swemwbs", &m) && m == MEASURE_SWEMWBS);
    assert_true(measure_parse("ons4", &m) && m == MEASURE_ONS4);
    assert_true(measure_parse("ucla3", &m) && m == MEASURE_UCLA3);
    assert_false(measure_parse("phq9", &m));
    assert_false(measure_parse(NULL, &m));
    assert_string_equal(measure_name(MEASURE_ONS4), "ons4");
    assert_int_equal(measure_items(MEASURE_SWEMWBS), 7);
    int lo, hi;
    measure_range(MEASURE_ONS4, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 10);
}

/* The wordings put to people agree with the scoring: one per item, one
 * label per possible answer, in measure order, and findable by name. */
static void questionnaire_texts_match_the_scoring(void **state)
{
    (void)state;
    assert_int_equal(measure_texts_len, 3);
    for (int m = 0; m < measure_texts_len; m++) {
        const struct measure_text *t = &measure_texts[m];
        int lo, hi;
        measure_range((enum measure)m, &lo, &hi);
        assert_string_equal(t->code, measure_name((enum measure)m));
        assert_ptr_equal(measure_text_find(t->code), t);
        assert_int_equal(t->nitems, measure_items((enum measure)m));
        assert_int_equal(t->lo, lo);
        assert_int_equal(t->hi, hi);
        for (int i = 0; i < t->nitems; i++)
            assert_true(t->items[i] && t->items[i][0]);
        for (int v = 0; v <= hi - lo; v++)
            assert_true(t->answers[v] && t->answers[v][0]);
    }
    assert_string_equal(measure_texts[MEASURE_UCLA3].answers[0], "Hardly ever or never");
    assert_string_equal(measure_texts[MEASURE_SWEMWBS].notice, SWEMWBS_NOTICE);
    assert_null(measure_text_find("phq9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(swemwbs_converts_every_raw_total),
        cmocka_unit_test_setup_teardown(swemwbs_scores_a_questionnaire, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(wrong_counts_and_ranges_are_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ons4_bands_every_answer, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ucla3_totals, fx_setup, fx_teardown),
        cmocka_unit_test(measures_have_names),
        cmocka_unit_test(questionnaire_texts_match_the_scoring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
