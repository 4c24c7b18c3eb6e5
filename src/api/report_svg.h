/*
 * report_svg.h: the outcomes report's charts drawn on the server as SVG
 * (api/report_svg.c), for GET /api/v1/reports/outcomes/chart.svg and the
 * report page, which shows them as images. Horizontal bars, readable text
 * labels (escaped), a <title> and a <desc> that says in words what the
 * bars show, and no scripts or styles.
 */
#ifndef CHIS_API_REPORT_SVG_H
#define CHIS_API_REPORT_SVG_H

#include "base/buf.h"
#include "domain/reports.h"

#include <stdbool.h>

/* The charts there are: "status", "swemwbs", "uptake"; NULL-terminated. */
extern const char *const report_charts[];

/*
 * Write chart (one of report_charts) of rep into b as a complete SVG
 * document:
 *   status   referrals in each state, for the whole scope;
 *   swemwbs  SWEMWBS mean paired change for the whole scope and by IMD
 *            quintile, with 95% interval whiskers;
 *   uptake   uptake (started or later / sent) for the whole scope and by
 *            IMD quintile.
 * Suppressed figures are drawn as no bar with the words "fewer than 5".
 * Returns false (writing nothing) for an unknown chart.
 */
bool report_svg(buf *b, const struct outcome_report *rep, const char *chart);

#endif
