/*
 * pages_plans_internal.h: what the pages of the leadership and strategy
 * views share. Not for use outside src/web/pages_plans*.c.
 *
 *   pages_plans.c             the route table and the pieces below
 *   pages_plans_leadership.c  /leadership, /champions/coverage, /resources/totals
 *   pages_plans_strategy.c    /strategy, /alignments/matrix, /actions/overdue,
 *                             /strategies/{id}/record
 *
 * Everything written goes through H(), and belongs to the request arena.
 */
#ifndef CHIS_WEB_PAGES_PLANS_INTERNAL_H
#define CHIS_WEB_PAGES_PLANS_INTERNAL_H

#include "http/request.h"
#include "base/html.h"
#include "web/layout.h"

#include <stdbool.h>

/* ---- pages_plans.c: pieces the pages share ---- */

/* "2026-11-26" as "26 November 2026"; d itself when it does not parse. Belongs to a. */
const char *plans_ui_long_date(arena *a, const char *d);

/* Breadcrumbs Home > text (linking to href), and a back link to href. */
void plans_ui_breadcrumb(buf *b, const char *href, const char *text);

/* The button that ends a filter form, and the form's end. */
void plans_ui_form_end(buf *b, const char *label);

/* A table's start: the wrapper that scrolls sideways, the caption and the head row's start. */
void plans_ui_table_start(buf *b, const char *caption);

/* A header cell of the head row; numeric columns align right. */
void plans_ui_th_col(buf *b, const char *text, bool numeric);

/* A numeric cell. */
void plans_ui_td_num(buf *b, const char *text);

/* A section of a hub: a heading, a sentence (markup) and links (pairs of href, text). */
void plans_ui_hub_section(buf *b, const char *title, const struct html_frag *text,
                          const char *const links[][2], int nlinks);

/* ---- the page handlers, for the route table in pages_plans.c ---- */

void page_leadership(struct req *r);        /* pages_plans_leadership.c */
void page_champion_coverage(struct req *r); /* pages_plans_leadership.c */
void page_resource_totals(struct req *r);   /* pages_plans_leadership.c */
void page_strategy(struct req *r);          /* pages_plans_strategy.c */
void page_alignment_matrix(struct req *r);  /* pages_plans_strategy.c */
void page_overdue_actions(struct req *r);   /* pages_plans_strategy.c */
void page_strategy_record(struct req *r);   /* pages_plans_strategy.c */

/*
 * Begin a plan page once its domain call returned res: a failure other than
 * bad parameters is answered with its error page (false: the page is done);
 * otherwise b starts (cap bytes, in r's arena) with the breadcrumb back to
 * crumb_href and the error summary of any bad parameters, kept in *fe for
 * the form (true).
 */
bool plans_ui_begin(struct req *r, result res, buf *b, size_t cap, const char *crumb_href,
                    const char *crumb_text, struct form_errors *fe);

#endif
