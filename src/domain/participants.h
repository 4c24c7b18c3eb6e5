/*
 * participants.h: the people referred to creative health services, the
 * minimum personal data about them, their consent, and what data
 * protection asks of the records (retention, erasure, subject access).
 *
 * Who sees a participant's personal data (participant_access): users of
 * the organisation holding the record (the one that created it), of any
 * organisation that has referred them, and of the receiving organisation
 * of any of their referrals that has been sent, while the person's consent
 * to share their referral with the provider is in force. Nobody else:
 * administrators, system and place leads and viewers see aggregates only
 * (the CLI operator sees all). Anyone else gets RES_NOT_FOUND, so a
 * participant's existence does not leak. Every read of personal data is
 * audited (audit_read).
 *
 * Consent is a history per scope; the newest record is in force.
 * Withdrawing stops the sharing the scope covered from that moment:
 *   referral_to_provider  providers see the person, and referrals are sent;
 *   outcomes_to_referrer  feedback to the referrer carries outcomes/words;
 *   outcomes_to_gp        feedback to the GP carries them;
 *   anonymised_reporting  the person's scores count in aggregate reports;
 *   story_public          their story may be shown beyond their care team.
 * With no record at all, the scopes of direct care and of anonymised
 * statistics (all but story_public) stand as given: the person agreed to
 * be referred and may object at any time, and a withdrawal is what stops
 * them. story_public needs the person's explicit agreement (a record).
 *
 * Placing a person: postcode -> postcodes.lsoa -> neighbourhood_lsoas ->
 * neighbourhood (and its place); the deprivation decile is the LSOA's
 * (lsoa_imd), else the neighbourhood's. Unknown postcodes are kept
 * unplaced, not refused.
 */
#ifndef CHIS_PARTICIPANTS_H
#define CHIS_PARTICIPANTS_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "store/records.h"

#include <jansson.h>

#include <stdbool.h>

/* NULL-terminated lists of the accepted codes. */
extern const char *const participant_sexes[];  /* female male indeterminate not_known */
extern const char *const consent_scopes[];     /* referral_to_provider ... story_public */
extern const char *const consent_methods[];    /* verbal written digital */

/* The ONS 2021 census ethnic groups (England): a code, its label and its
 * high-level group (asian, black, mixed, white, other; "not_stated"). */
struct ethnicity {
    const char *code;  /* e.g. "asian_indian", "white_british", "not_stated" */
    const char *label; /* e.g. "Asian, Asian British or Asian Welsh: Indian" */
    const char *group; /* e.g. "asian" */
};
extern const struct ethnicity ethnicities[];
extern const int ethnicities_len;
const char *ethnicity_group(const char *code); /* NULL for an unknown code */
const char *ethnicity_label(const char *code); /* NULL for an unknown code */

/* Does s (10 digits, spaces allowed in the 3-3-4 pattern) pass the NHS
 * number modulus-11 check? */
bool nhs_number_valid(const char *s);

/* The 10 digits of a valid NHS number, in a; NULL when not valid. */
char *nhs_number_normalise(arena *a, const char *s);

/* Age band of someone born on dob ("YYYY-MM-DD") on the date day: "0-17",
 * "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"; NULL if dob
 * is not a date. */
const char *age_band(const char *dob, const char *day);

/*
 * Create a participant from input: name and date_of_birth (YYYY-MM-DD, not
 * in the future) required; nhs_number, postcode, phone, email, sex,
 * ethnicity, communication_needs, access_needs, gp_practice_code,
 * gp_practice_name optional. Link workers, providers and administrators
 * of an organisation create them (leads and viewers: RES_FORBIDDEN); the
 * actor's organisation holds the record (the operator, who has none, names
 * it as organisation_id in input). RES_INVALID with field errors and
 * nothing written. *out as participant_get() (for an administrator, who
 * may not read it back, the fields given and the id).
 */
result participant_create(struct ctx *c, rec *input, rec **out);

/*
 * One participant (audited read). Fields: id, name, date_of_birth,
 * nhs_number, postcode, lsoa, neighbourhood_id, neighbourhood_name,
 * place_id, place_name, imd_decile, phone, email, sex, ethnicity,
 * communication_needs, access_needs, gp_practice_code, gp_practice_name,
 * organisation_id, last_contact_at, anonymised_at, created_at, updated_at,
 * and consent_<scope> (bool) for each scope. RES_NOT_FOUND unless visible.
 */
result participant_get(struct ctx *c, long long id, rec **out);

/* Change the fields present in input (as create); same rights as reading
 * plus the actor may not be a viewer or lead. */
result participant_update(struct ctx *c, long long id, rec *input, rec **out);

struct participant_query {
    const char *q; /* name or NHS number contains */
    long long page, per_page;
};

/* The participants the actor may see, newest first (audited as one list read). */
result participant_list(struct ctx *c, const struct participant_query *q, struct store_page *out);

/* RES_OK when the actor may see this participant's personal data, else
 * RES_NOT_FOUND (also for an unknown id). No audit entry. */
result participant_access(struct ctx *c, long long id);

/* Is the consent scope in force for the participant now? (No access check.) */
bool consent_given(struct ctx *c, long long participant_id, const char *scope);

/*
 * Record consent given or withdrawn: input holds scope, given (bool),
 * method, and optionally recorded_at (defaults to now; not in the future)
 * and note. Actor as participant_update. *out is the consent record.
 */
result consent_record(struct ctx *c, long long participant_id, rec *input, rec **out);

/* The participant's consent history, oldest first. */
result consent_history(struct ctx *c, long long participant_id, struct store_page *out);

/* Note contact with the person now (retention runs from the last contact). */
result participant_touch(struct ctx *c, long long participant_id);

/*
 * Anonymise one participant now (erasure on request): personal fields
 * cleared, stories and message bodies removed, outcome scores and the
 * referral rows' frozen equity fields kept. reason "erasure" or
 * "retention". Actor as participant_update (the operator for retention).
 */
result participant_anonymise(struct ctx *c, long long id, const char *reason);

/* Anonymise every participant whose last contact is older than the
 * retention period (setting retention.years, default 6). *count is how
 * many. The operator or administrators. */
result retention_run(struct ctx *c, long long *count);

/* Everything held about one person (subject access) as a new JSON object
 * the caller owns: the participant, consents, referrals with events, needs,
 * outcomes, goals, stories, attendance and feedback. Audited read. */
result participant_export(struct ctx *c, long long id, json_t **out);

/* The retention period in years (setting retention.years, default 6). Any
 * signed-in user. (Added by the participants module.) */
result retention_years_get(struct ctx *c, long long *years);

/* Set the retention period, 1-100 years (field error "years"). The
 * operator or administrators; audited. */
result retention_years_set(struct ctx *c, long long years);

#endif
