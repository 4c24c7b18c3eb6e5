/*
 * participant_codes.c: the fixed vocabularies of participants.h (sex,
 * consent scopes and methods, the ONS 2021 ethnic groups) and the small
 * pure checks on a person's data: the NHS number's modulus-11 check digit
 * and the age bands reports break down by.
 */
#include "domain/participants.h"

#include "base/text.h"

#include <ctype.h>
#include <string.h>

const char *const participant_sexes[] = {"female", "male", "indeterminate", "not_known", NULL};

const char *const consent_scopes[] = {"referral_to_provider", "outcomes_to_referrer",
                                      "outcomes_to_gp",       "anonymised_reporting",
                                      "story_public",         NULL};

const char *const consent_methods[] = {"verbal", "written", "digital", NULL};

/*
 * The 19 ethnic groups of the 2021 census in England, in the order the ONS
 * lists them, and "not stated". The group is what reports break down by:
 * five groups keep cells large enough to show.
 */
const struct ethnicity ethnicities[] = {
    {"asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi", "asian"},
    {"asian_chinese", "Asian, Asian British or Asian Welsh: Chinese", "asian"},
    {"asian_indian", "Asian, Asian British or Asian Welsh: Indian", "asian"},
    {"asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani", "asian"},
    {"asian_other", "Asian, Asian British or Asian Welsh: Other Asian", "asian"},
    {"black_african", "Black, Black British, Black Welsh, Caribbean or African: African", "black"},
    {"black_caribbean", "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
     "black"},
    {"black_other", "Black, Black British, Black Welsh, Caribbean or African: Other Black",
     "black"},
    {"mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian", "mixed"},
    {"mixed_white_black_african", "Mixed or Multiple ethnic groups: White and Black African",
     "mixed"},
    {"mixed_white_black_caribbean", "Mixed or Multiple ethnic groups: White and Black Caribbean",
     "mixed"},
    {"mixed_other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
     "mixed"},
    {"white_british", "White: English, Welsh, Scottish, Northern Irish or British", "white"},
    {"white_irish", "White: Irish", "white"},
    {"white_gypsy_traveller", "White: Gypsy or Irish Traveller", "white"},
    {"white_roma", "White: Roma", "white"},
    {"white_other", "White: Other White", "white"},
    {"other_arab", "Other ethnic group: Arab", "other"},
    {"other_any", "Other ethnic group: Any other ethnic group", "other"},
    {"not_stated", "Prefer not to say", "not_stated"},
};
const int ethnicities_len = (int)(sizeof ethnicities / sizeof ethnicities[0]);

/* The table entry for code, or NULL. */
static const struct ethnicity *ethnicity_find(const char *code)
{
    for (int i = 0; code && i < ethnicities_len; i++)
        if (strcmp(ethnicities[i].code, code) == 0) return &ethnicities[i];
    return NULL;
}

/* See participants.h. Static strings. */
const char *ethnicity_group(const char *code)
{
    const struct ethnicity *e = ethnicity_find(code);
    return e ? e->group : NULL;
}

/* See participants.h. Static strings. */
const char *ethnicity_label(const char *code)
{
    const struct ethnicity *e = ethnicity_find(code);
    return e ? e->label : NULL;
}

/*
 * The ten digits of s into d (NUL-terminated), accepting them run together
 * or spaced 3-3-4 as the NHS prints them. False for anything else.
 */
static bool nhs_digits(const char *s, char d[11])
{
    if (!s) return false;
    size_t n = strlen(s);
    if (n == 12) {
        if (s[3] != ' ' || s[7] != ' ') return false;
        memcpy(d, s, 3);
        memcpy(d + 3, s + 4, 3);
        memcpy(d + 6, s + 8, 4);
    } else if (n == 10) {
        memcpy(d, s, 10);
    } else {
        return false;
    }
    d[10] = '\0';
    for (int i = 0; i < 10; i++)
        if (!isdigit((unsigned char)d[i])) return false;
    return true;
}

/*
 * Modulus 11: weight the first nine digits 10 down to 2, take 11 minus the
 * sum's remainder by 11; 11 means 0 and 10 means no valid number has these
 * nine digits. The result must be the tenth digit.
 */
static bool nhs_check_digit_ok(const char d[11])
{
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (d[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) return false;
    return check == d[9] - '0';
}

/* See participants.h. */
bool nhs_number_valid(const char *s)
{
    char d[11];
    return nhs_digits(s, d) && nhs_check_digit_ok(d);
}

/* See participants.h. The digits belong to a. */
char *nhs_number_normalise(arena *a, const char *s)
{
    char d[11];
    if (!nhs_digits(s, d) || !nhs_check_digit_ok(d)) return NULL;
    return arena_strdup(a, d);
}

/*
 * See participants.h. Age is whole years completed on day; a birthday on
 * 29 February is reached on 1 March in other years. day may be a date or
 * a UTC time (its date part is used). Static strings.
 */
const char *age_band(const char *dob, const char *day)
{
    if (!dob || !day || !text_date_valid(dob) || strlen(day) < 10) return NULL;
    char d[11];
    memcpy(d, day, 10);
    d[10] = '\0';
    if (!text_date_valid(d)) return NULL;
    int by = (dob[0] - '0') * 1000 + (dob[1] - '0') * 100 + (dob[2] - '0') * 10 + (dob[3] - '0');
    int dy = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int age = dy - by;
    if (strcmp(d + 5, dob + 5) < 0) age--; /* "MM-DD" compares as text */
    if (age < 0) return NULL;
    static const struct {
        int below;
        const char *band;
    } bands[] = {{18, "0-17"},  {25, "18-24"}, {35, "25-34"}, {45, "35-44"},
                 {55, "45-54"}, {65, "55-64"}, {75, "65-74"}};
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
        if (age < bands[i].below) return bands[i].band;
    return "75+";
}
