/*
 * measures.h: the validated outcome measures chis scores, as their authors
 * publish them (issue 5 builds referrals' outcomes on these):
 *
 *   SWEMWBS  Short Warwick-Edinburgh Mental Wellbeing Scale: 7 items scored
 *            1-5, raw total 7-35, converted to the metric score by the
 *            published Rasch table. An incomplete questionnaire is not
 *            scored. (c) NHS Health Scotland, University of Warwick and
 *            University of Edinburgh, 2008.
 *   ONS4     ONS personal wellbeing: life satisfaction, worthwhile,
 *            happiness, anxiety, each 0-10, reported separately and never
 *            summed, each with its band.
 *   UCLA3    the 3-item UCLA loneliness scale: each 1 (hardly ever or
 *            never) to 3 (often), total 3-9.
 *
 * Pure functions: no store, no actor.
 */
#ifndef CHIS_MEASURES_H
#define CHIS_MEASURES_H

#include "domain/ctx.h"

#include <stdbool.h>

/* The notice SWEMWBS's licence requires wherever it is shown. */
#define SWEMWBS_NOTICE                                                                             \
    "(c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008"

/* A change of this many metric points or more is a meaningful individual
 * change (2.77 standard errors of measurement is 2.87 points). */
#define SWEMWBS_MEANINGFUL_CHANGE 3.0

enum measure {
    MEASURE_SWEMWBS,
    MEASURE_ONS4,
    MEASURE_UCLA3,
};

#define MEASURE_MAX_ITEMS 7

struct measure_score {
    enum measure measure;
    int items[MEASURE_MAX_ITEMS]; /* the answers, in item order */
    int nitems;
    int raw;       /* SWEMWBS and UCLA3: the total; ONS4: 0 (never summed) */
    double metric; /* SWEMWBS: the metric score; otherwise 0 */
    /* ONS4: each item's band ("low", "medium", "high", "very high"; for
     * anxiety "very low", "low", "medium", "high"). NULL otherwise. */
    const char *bands[4];
};

/* The measure called name ("swemwbs", "ons4", "ucla3"); false if none. */
bool measure_parse(const char *name, enum measure *out);
const char *measure_name(enum measure m);

/* How many items the measure has, and each item's lowest and highest answer. */
int measure_items(enum measure m);
void measure_range(enum measure m, int *lo, int *hi);

/*
 * Score a questionnaire. Each answer out of range is a field error on
 * "answers[i]", a wrong count one on "answers"; then RES_INVALID and out
 * is not scored. RES_OK with out filled.
 */
result measure_score(struct ctx *c, enum measure m, const int *answers, int n,
                     struct measure_score *out);

/* The SWEMWBS metric score of a raw total 7-35; -1 outside it. */
double swemwbs_metric(int raw);

/* The ONS4 band of item (0 life satisfaction, 1 worthwhile, 2 happiness,
 * 3 anxiety) for an answer 0-10; NULL outside. */
const char *ons4_band(int item, int value);

/* The ONS4 items' names, in order. */
extern const char *const ons4_items[4];

/*
 * A questionnaire as it is put to people. The wordings are part of the
 * validated instrument, so every form that asks them (the practitioner's,
 * the person's own) reads them from here.
 */
struct measure_text {
    const char *code;  /* "swemwbs", "ons4", "ucla3" */
    const char *name;  /* "SWEMWBS" */
    const char *title; /* the full name */
    const char *intro; /* the instructions before the items */
    int nitems;
    int lo, hi;                 /* each answer's range */
    const char *const *items;   /* nitems wordings */
    const char *const *answers; /* hi - lo + 1 labels, for lo..hi */
    const char *notice;         /* shown with it (licence), or NULL */
};
extern const struct measure_text measure_texts[]; /* in enum measure order */
extern const int measure_texts_len;

/* The questionnaire of a measure name, or NULL. */
const struct measure_text *measure_text_find(const char *code);

#endif
