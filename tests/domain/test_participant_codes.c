/*
 * test_participant_codes.c: the pure checks on a person's data: the NHS
 * number's modulus-11 check digit, age bands, and the ONS 2021 ethnic
 * groups.
 */
#include "unit.h"

#include "domain/participants.h"

static void nhs_numbers_pass_modulus_11(void **state)
{
    (void)state;
    assert_true(nhs_number_valid("9434765919"));
    assert_true(nhs_number_valid("943 476 5919"));
    assert_true(nhs_number_valid("4010232137"));
    assert_true(nhs_number_valid("0000000000"));  /* remainder 0: check 11 means 0 */
    assert_false(nhs_number_valid("9434765918")); /* wrong check digit */
    assert_false(nhs_number_valid("4010232138"));
    assert_false(nhs_number_valid("1234500060")); /* these nine digits give 10: never valid */
    assert_false(nhs_number_valid("1234500061"));
    assert_false(nhs_number_valid("943-476-5919"));
    assert_false(nhs_number_valid("94347659"));
    assert_false(nhs_number_valid("94347659190"));
    assert_false(nhs_number_valid("943476591X"));
    assert_false(nhs_number_valid("9434 76 5919"));
    assert_false(nhs_number_valid(""));
    assert_false(nhs_number_valid(NULL));
    arena *a = arena_new(256);
    assert_string_equal(nhs_number_normalise(a, "943 476 5919"), "9434765919");
    assert_null(nhs_number_normalise(a, "943 476 5918"));
    arena_free(a);
}

static void age_bands_turn_on_the_birthday(void **state)
{
    (void)state;
    assert_string_equal(age_band("2008-11-26", "2026-11-26"), "18-24");
    assert_string_equal(age_band("2008-11-27", "2026-11-26"), "0-17");
    assert_string_equal(age_band("2026-11-26", "2026-11-26T09:00:00Z"), "0-17");
    assert_string_equal(age_band("2001-11-27", "2026-11-26"), "18-24");
    assert_string_equal(age_band("2001-11-26", "2026-11-26"), "25-34");
    assert_string_equal(age_band("1982-01-01", "2026-11-26"), "35-44");
    assert_string_equal(age_band("1972-01-01", "2026-11-26"), "45-54");
    assert_string_equal(age_band("1962-01-01", "2026-11-26"), "55-64");
    assert_string_equal(age_band("1952-01-01", "2026-11-26"), "65-74");
    assert_string_equal(age_band("1951-11-27", "2026-11-26"), "65-74");
    assert_string_equal(age_band("1951-11-26", "2026-11-26"), "75+");
    assert_string_equal(age_band("1900-01-01", "2026-11-26"), "75+");
    /* Born on 29 February: 18 on 1 March in a common year. */
    assert_string_equal(age_band("2008-02-29", "2026-02-28"), "0-17");
    assert_string_equal(age_band("2008-02-29", "2026-03-01"), "18-24");
    assert_null(age_band("1990-02-30", "2026-11-26"));
    assert_null(age_band("yesterday", "2026-11-26"));
    assert_null(age_band("2027-01-01", "2026-11-26")); /* not born yet */
    assert_null(age_band(NULL, "2026-11-26"));
}

static void ethnic_groups_follow_the_2021_census(void **state)
{
    (void)state;
    assert_int_equal(ethnicities_len, 20);
    int counts[6] = {0};
    const char *groups[] = {"asian", "black", "mixed", "white", "other", "not_stated"};
    for (int i = 0; i < ethnicities_len; i++)
        for (int g = 0; g < 6; g++)
            if (strcmp(ethnicities[i].group, groups[g]) == 0) counts[g]++;
    assert_int_equal(counts[0], 5);
    assert_int_equal(counts[1], 3);
    assert_int_equal(counts[2], 4);
    assert_int_equal(counts[3], 5);
    assert_int_equal(counts[4], 2);
    assert_int_equal(counts[5], 1);
    assert_string_equal(ethnicity_group("asian_indian"), "asian");
    assert_string_equal(ethnicity_group("white_british"), "white");
    assert_string_equal(ethnicity_group("not_stated"), "not_stated");
    assert_string_equal(ethnicity_label("white_roma"), "White: Roma");
    assert_null(ethnicity_group("martian"));
    assert_null(ethnicity_label(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nhs_numbers_pass_modulus_11),
        cmocka_unit_test(age_bands_turn_on_the_birthday),
        cmocka_unit_test(ethnic_groups_follow_the_2021_census),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
