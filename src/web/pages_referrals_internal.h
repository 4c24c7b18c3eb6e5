/*
 * pages_referrals_internal.h: what the social prescribing pages share.
 *
 *   pages_referrals.c          the route table, shared helpers, the caseload
 *                              (/referrals) and incoming referrals with
 *                              service capacity (/referrals/incoming)
 *   pages_participants.c       people: list, new, one person with consent
 *   pages_referral_new.c       making a referral (/referrals/new)
 *   pages_referral_detail.c    one referral: status, timeline, the forms that
 *                              move it on, attendance, goals, stories,
 *                              messages and one-time outcome links
 *   pages_referral_outcomes.c  the questionnaires' wordings, outcome entry and
 *                              the outcomes shown with their paired change,
 *                              and the feedback page
 *
 * Who sees these pages: link workers, providers and administrators (their
 * organisation's referrals; the domain decides which). Leads and viewers
 * see aggregates only (the Reports page): every page here answers them 404,
 * as does a referral or person of another organisation. Everything works
 * with JavaScript off; every POST carries the CSRF field and answers 303 to
 * the page it changed, or the page again with an error summary.
 */
#ifndef CHIS_PAGES_REFERRALS_INTERNAL_H
#define CHIS_PAGES_REFERRALS_INTERNAL_H

#include "domain/measures.h"
#include "domain/outcomes.h"
#include "domain/participants.h"
#include "domain/referrals.h"
#include "web/layout.h"
#include "web/web.h"

#include <stdbool.h>

#define RP_SECTION "/referrals"
#define RP_PER_PAGE 20

/* ---- shared helpers (pages_referrals.c) ---- */

/* May the actor use these pages at all (link worker, provider,
 * administrator)? When not, the 404 page is sent and false returned. */
bool rp_allowed(struct req *r);

/* The id in path parameter i, or a 404 page and 0. */
long long rp_path_id(struct req *r, int i);

/* s when it holds something other than spaces, else NULL. */
const char *rp_nonempty(const char *s);

/* A form value when not blank, else NULL. */
const char *rp_form(struct req *r, const char *name);

/* The NHS.UK tag colour class of a referral status. */
const char *rp_status_class(const char *status);

/* A status as a coloured tag. */
void rp_status_tag(buf *b, arena *a, const char *status);

/* A summary list row whose value is markup built with H(). */
void rp_summary_row(buf *b, const char *key, const struct html_frag *value);

/* A summary list row of plain text ("Not given" when empty). */
void rp_summary_text(buf *b, const char *key, const char *text);

/* Text with its line breaks kept. */
void rp_lines(buf *b, const char *s);

/* The name of a taxonomy term of the shipped Creative Health taxonomy, or
 * the id itself when unknown. */
const char *rp_term_name(const char *id);

/* The breadcrumb Home > Referrals (> the last link, when href). */
void rp_breadcrumbs(buf *b, const char *href, const char *text);

/* The NHS.UK date input: fields <name>-day, <name>-month, <name>-year; the
 * day box has id field-<name> so error links land on it. The boxes show
 * ymd ("YYYY-MM-DD") when given, else what was posted (a form re-shown). */
void rp_date_input(buf *b, struct req *r, const char *name, const char *legend, const char *hint,
                   const char *error, const char *ymd);

/* The date typed into rp_date_input's three boxes: "YYYY-MM-DD" when all
 * are numbers, what was typed when not (the domain then says why), NULL
 * when all are blank. In r->a. */
const char *rp_date_from_form(struct req *r, const char *name);

/* Rewrite the domain's field names to the page's: each error on `from`
 * (exact) becomes `to`. */
void rp_rename_field(struct form_errors *fe, arena *a, const char *from, const char *to);

/* ---- participants (pages_participants.c) ---- */

void rp_page_participants(struct req *r);
void rp_page_participant_new(struct req *r);
void rp_page_participant_create(struct req *r);
void rp_page_participant_show(struct req *r);
void rp_page_consent_post(struct req *r);

/* What consent scopes read as for people. */
const char *rp_scope_text(const char *scope);

/* ---- making a referral (pages_referral_new.c) ---- */

void rp_page_referral_new(struct req *r);
void rp_page_referral_create(struct req *r);

/* A referral list as a table (rows as referral_list). incoming: show the
 * referring organisation instead of the receiving one. */
void rp_referral_table(buf *b, struct req *r, const struct store_page *pg, bool incoming);

/* ---- one referral (pages_referral_detail.c) ---- */

/* Which form on the referral's page failed (so it is re-shown open, with
 * what was typed and its errors), and the one-time link just made. */
struct rp_detail_state {
    const char *failed;       /* the form's key: "transition:declined", "outcome:swemwbs", ... */
    struct form_errors fe;    /* its errors, already renamed to the page's fields */
    const char *link_url;     /* a one-time outcome link just made, shown once */
    const char *link_expires; /* its expiry time */
    const char *notice;       /* a message at the top, e.g. "Saved as a draft ..." */
};

/* The referral's page with status; st may be NULL. */
void rp_render_referral(struct req *r, long long id, int status, const struct rp_detail_state *st);

/* After a POST on referral id failed with res: 404 and 500 as pages, the
 * rest (403, 409, 422) as the referral's page again with an error summary
 * and that status, the form named failed re-shown. renames (pairs of
 * domain field -> page field, NULL-terminated) are applied first. */
void rp_referral_failed(struct req *r, long long id, result res, const char *failed,
                        const char *const *renames);

void rp_page_referral_show(struct req *r);
void rp_page_transition(struct req *r);
void rp_page_attendance(struct req *r);
void rp_page_goal_add(struct req *r);
void rp_page_goal_rate(struct req *r);
void rp_page_story_add(struct req *r);
void rp_page_message_add(struct req *r);
void rp_page_link_create(struct req *r);

/* ---- outcomes and feedback (pages_referral_outcomes.c) ---- */

/* The outcomes recorded, with each measure's paired change, and the forms
 * to record one (when may_record). */
void rp_outcomes_section(buf *b, struct req *r, long long id, bool may_record,
                         const struct rp_detail_state *st);

void rp_page_outcome_post(struct req *r);
void rp_page_feedback(struct req *r);

#endif
