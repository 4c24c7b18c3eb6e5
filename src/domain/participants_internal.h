/*
 * participants_internal.h: what the files of the participants module
 * (participants.c, consent.c, retention.c, participant_export.c) share and
 * nobody else needs.
 */
#ifndef CHIS_PARTICIPANTS_INTERNAL_H
#define CHIS_PARTICIPANTS_INTERNAL_H

#include "domain/participants.h"

/*
 * SQL true when the consent scope (a literal, quoted) of participant pid (a
 * column or parameter) is in force: the newest record's "given", or given
 * when there is no record. Only for the scopes whose default is "given".
 */
#define PARTICIPANT_CONSENT_SQL(pid, scope)                                                        \
    "COALESCE((SELECT k.given FROM consents k WHERE k.participant_id = " pid                       \
    " AND k.scope = " scope " ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1), 1) = 1"

/*
 * SQL true when users of organisation org (a parameter, e.g. "$2") may see
 * participant p: the holding organisation, an organisation that referred
 * them, or the receiving organisation of a referral that has been sent
 * while the person lets their referral be shared with the provider.
 */
#define PARTICIPANT_VISIBLE_SQL(org)                                                               \
    "(p.organisation_id = " org " OR EXISTS (SELECT 1 FROM referrals r"                            \
    " WHERE r.participant_id = p.id AND (r.referring_org_id = " org                                \
    " OR (r.receiving_org_id = " org " AND r.status <> 'draft'"                                    \
    " AND (r.status <> 'cancelled' OR r.sent_at IS NOT NULL) AND " PARTICIPANT_CONSENT_SQL(        \
        "p.id", "'referral_to_provider'") "))))"

/* Do the actor's role and sign-in let them see personal data at all (link
 * workers and providers, and the operator)? */
bool participant_role_sees(const struct ctx *c);

/* May the actor change a participant they can see (not a lead or viewer)? */
bool participant_role_writes(const struct ctx *c);

/*
 * The participant row as participant_get() shows it, with no access check
 * and no audit: 1 and *out (in c->a), 0 when there is no such row, or a
 * STORE_E_* code.
 */
int participant_load(struct ctx *c, long long id, rec **out);

/*
 * What the audit log keeps of a write to a participant: the names of the
 * fields written and the record's non-personal columns, never the personal
 * values themselves, so that erasing a person erases them everywhere. In
 * c->a.
 */
rec *participant_audit_image(struct ctx *c, const rec *row, const char *fields);

#endif
