/*
 * measures.c: scoring SWEMWBS, ONS4 and UCLA3 (see measures.h). The tables
 * and bands are the published ones, written out in full so a reader can
 * check them against the source at a glance.
 */
#include "domain/measures.h"

#include <string.h>

/* SWEMWBS raw total (7..35) to metric score: the published Rasch table. */
static const double swemwbs_table[29] = {
    7.00,  9.51,  11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36,
    16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21,
    24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
};

const char *const ons4_items[4] = {"life_satisfaction", "worthwhile", "happiness", "anxiety"};

static const struct {
    enum measure m;
    const char *name;
    int items, lo, hi;
} measures[] = {
    {MEASURE_SWEMWBS, "swemwbs", 7, 1, 5},
    {MEASURE_ONS4, "ons4", 4, 0, 10},
    {MEASURE_UCLA3, "ucla3", 3, 1, 3},
};

/* See measures.h. */
bool measure_parse(const char *name, enum measure *out)
{
    for (size_t i = 0; name && i < sizeof measures / sizeof measures[0]; i++)
        if (strcmp(name, measures[i].name) == 0) {
            *out = measures[i].m;
            return true;
        }
    return false;
}

/* See measures.h. */
const char *measure_name(enum measure m)
{
    return measures[m].name;
}

/* See measures.h. */
int measure_items(enum measure m)
{
    return measures[m].items;
}

/* See measures.h. */
void measure_range(enum measure m, int *lo, int *hi)
{
    *lo = measures[m].lo;
    *hi = measures[m].hi;
}

/* See measures.h. */
double swemwbs_metric(int raw)
{
    return raw < 7 || raw > 35 ? -1 : swemwbs_table[raw - 7];
}

/* See measures.h: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high; anxiety
 * (where lower is better) 0-1 very low, 2-3 low, 4-5 medium, 6-10 high. */
const char *ons4_band(int item, int value)
{
    if (item < 0 || item > 3 || value < 0 || value > 10) return NULL;
    if (item == 3)
        return value <= 1 ? "very low" : value <= 3 ? "low" : value <= 5 ? "medium" : "high";
    return value <= 4 ? "low" : value <= 6 ? "medium" : value <= 8 ? "high" : "very high";
}

/* See measures.h. */
result measure_score(struct ctx *c, enum measure m, const int *answers, int n,
                     struct measure_score *out)
{
    memset(out, 0, sizeof *out);
    out->measure = m;
    int want = measure_items(m), lo, hi;
    measure_range(m, &lo, &hi);
    if (n != want) {
        ctx_field_error(c, "answers", "%s has %d items, not %d: answer every one", measure_name(m),
                        want, n);
        return ctx_fail(c, RES_INVALID, "The answers are incomplete.");
    }
    int before = c->nerrors;
    for (int i = 0; i < n; i++)
        if (answers[i] < lo || answers[i] > hi)
            ctx_field_error(c, arena_printf(c->a, "answers[%d]", i),
                            "item %d must be from %d to %d, not %d", i + 1, lo, hi, answers[i]);
    if (c->nerrors > before) return ctx_fail(c, RES_INVALID, "Some answers are out of range.");
    out->nitems = n;
    for (int i = 0; i < n; i++) {
        out->items[i] = answers[i];
        if (m != MEASURE_ONS4) out->raw += answers[i];
        if (m == MEASURE_ONS4) out->bands[i] = ons4_band(i, answers[i]);
    }
    if (m == MEASURE_SWEMWBS) out->metric = swemwbs_metric(out->raw);
    return RES_OK;
}

static const char *const swemwbs_wordings[] = {
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling close to other people",
    "I've been able to make up my own mind about things",
};
static const char *const swemwbs_answers[] = {"None of the time", "Rarely", "Some of the time",
                                              "Often", "All of the time"};

static const char *const ons4_wordings[] = {
    "Overall, how satisfied are you with your life nowadays?",
    "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
    "Overall, how happy did you feel yesterday?",
    "On a scale where 0 is not at all anxious and 10 is completely anxious, overall, how"
    " anxious did you feel yesterday?",
};
static const char *const ons4_answers[] = {
    "0 (not at all)", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10 (completely)"};

static const char *const ucla3_wordings[] = {
    "How often do you feel that you lack companionship?",
    "How often do you feel left out?",
    "How often do you feel isolated from others?",
};
static const char *const ucla3_answers[] = {"Hardly ever or never", "Some of the time", "Often"};

/* See measures.h. */
const struct measure_text measure_texts[] = {
    [MEASURE_SWEMWBS] = {"swemwbs", "SWEMWBS",
                         "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
                         "Below are some statements about feelings and thoughts. Please tick the"
                         " box that best describes your experience of each over the last 2 weeks.",
                         7, 1, 5, swemwbs_wordings, swemwbs_answers, SWEMWBS_NOTICE},
    [MEASURE_ONS4] = {"ons4", "ONS4", "ONS personal wellbeing (ONS4)",
                      "For each of these questions, give an answer on a scale of 0 to 10, where 0"
                      " is \"not at all\" and 10 is \"completely\".",
                      4, 0, 10, ons4_wordings, ons4_answers, NULL},
    [MEASURE_UCLA3] = {"ucla3", "UCLA-3", "Three-item UCLA loneliness scale (UCLA-3)",
                       "The next questions are about how you feel about different aspects of"
                       " your life. For each one, say how often you feel that way.",
                       3, 1, 3, ucla3_wordings, ucla3_answers, NULL},
};
const int measure_texts_len = (int)(sizeof measure_texts / sizeof measure_texts[0]);

/* See measures.h. */
const struct measure_text *measure_text_find(const char *code)
{
    for (int i = 0; code && i < measure_texts_len; i++)
        if (strcmp(measure_texts[i].code, code) == 0) return &measure_texts[i];
    return NULL;
}
