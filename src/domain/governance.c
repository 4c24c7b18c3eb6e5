/*
 * governance.c: policies, accountability and sharing agreements.
 *
 * Access: everyone signed in reads. System leads change everything. A place
 * lead changes the policies and lines of accountability of organisations
 * serving one of their places, and agreements whose every party does. A
 * provider changes its own organisation's policies.
 */
#include "domain/governance.h"

#include "domain/scope.h"

#include <string.h>

const char *const policy_required_domains[] = {"quality_assurance", "working_standards",
                                               "safeguarding", "data_management", NULL};
const char *const policy_domains[] = {"quality_assurance",
                                      "working_standards",
                                      "safeguarding",
                                      "data_management",
                                      "insurance",
                                      "background_checks",
                                      NULL};
const char *const accountability_domains[] = {"safeguarding", "quality", "data",
                                              "capacity",     "general", NULL};
const char *const lawful_bases[] = {"consent",
                                    "contract",
                                    "legal_obligation",
                                    "vital_interests",
                                    "public_task",
                                    "legitimate_interests",
                                    NULL};

/* Writes on a record belonging to an organisation (organisation_id), before and after. */
static result via_organisation(struct ctx *c, const rec *existing, const rec *proposed,
                               bool provider_may)
{
    if (scope_is_lead(c)) return RES_OK;
    long long was = existing ? rec_int(existing, "organisation_id", 0) : 0;
    long long will = proposed ? scope_field(existing, proposed, "organisation_id") : 0;
    const struct actor *a = c->actor;
    if (a->role == ROLE_PROVIDER && provider_may) {
        if ((was && was != a->org_id) || (will && will != a->org_id))
            return ctx_fail(c, RES_FORBIDDEN, "You can only change your own organisation's");
        return RES_OK;
    }
    if (a->role == ROLE_PLACE_LEAD) {
        if ((was && !org_in_led_place(c, was)) || (will && !org_in_led_place(c, will)))
            return ctx_fail(c, RES_FORBIDDEN, "The organisation does not serve a place you lead");
        return RES_OK;
    }
    return RES_FORBIDDEN;
}

/* ---- policies ---- */

static const struct field_rule policy_fields[] = {
    {.col = {"organisation_id", COL_INT},
     .type = F_REF,
     .label = "organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"domain", COL_TEXT},
     .type = F_ENUM,
     .label = "domain",
     .required = true,
     .choices = policy_domains},
    {.col = {"version", COL_TEXT},
     .type = F_TEXT,
     .label = "version",
     .required = true,
     .maxlen = 40},
    {.col = {"approved_on", COL_TEXT}, .type = F_DATE, .label = "approval date", .required = true},
    {.col = {"approved_by", COL_TEXT},
     .type = F_TEXT,
     .label = "approver",
     .required = true,
     .hint = "Who approved it: the board of trustees, the chief executive..."},
    {.col = {"review_due", COL_TEXT},
     .type = F_DATE,
     .label = "next review date",
     .required = true,
     .not_before = "approved_on"},
    {.col = {"document_url", COL_TEXT},
     .type = F_URL,
     .label = "link to the document",
     .maxlen = 500},
};

static const struct store_filter_spec policy_filters[] = {
    {.param = "organisation_id", .kind = FILTER_EQ, .column = "organisation_id"},
    {.param = "domain", .kind = FILTER_EQ, .column = "domain", .is_text = true},
    {.param = "place_id",
     .kind = FILTER_VIA,
     .column = "organisation_id",
     .link_table = "organisation_places",
     .link_self = "organisation_id",
     .link_other = "place_id"},
};

static result policy_authorise(struct ctx *c, const struct entity *e, enum op op,
                               const rec *existing, const rec *proposed)
{
    (void)e;
    return op == OP_READ ? RES_OK : via_organisation(c, existing, proposed, true);
}

const struct entity entity_policies = {
    .name = "policies",
    .singular = "policy",
    .title = "Policies",
    .table = ENTITY_TABLE("policies", policy_fields, "review_due"),
    .fields = policy_fields,
    .nfields = ENTITY_COUNT(policy_fields),
    .filters = policy_filters,
    .nfilters = ENTITY_COUNT(policy_filters),
    .authorise = policy_authorise,
};

/* ---- lines of accountability ---- */

static const struct field_rule accountability_fields[] = {
    {.col = {"organisation_id", COL_INT},
     .type = F_REF,
     .label = "organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"domain", COL_TEXT},
     .type = F_ENUM,
     .label = "domain",
     .required = true,
     .choices = accountability_domains},
    {.col = {"accountable_person_id", COL_INT},
     .type = F_REF,
     .label = "accountable person",
     .required = true,
     .ref_table = "people",
     .hint = "Someone in another organisation, further up the chain"},
};

static const struct store_filter_spec accountability_filters[] = {
    {.param = "organisation_id", .kind = FILTER_EQ, .column = "organisation_id"},
    {.param = "domain", .kind = FILTER_EQ, .column = "domain", .is_text = true},
    {.param = "accountable_person_id", .kind = FILTER_EQ, .column = "accountable_person_id"},
};

static result accountability_authorise(struct ctx *c, const struct entity *e, enum op op,
                                       const rec *existing, const rec *proposed)
{
    (void)e;
    return op == OP_READ ? RES_OK : via_organisation(c, existing, proposed, false);
}

/*
 * One line per organisation and domain, to a person in another organisation,
 * and no loops: following the chain from the person's organisation must not
 * come back to this one (escalation walks these chains).
 */
static result accountability_check(struct ctx *c, const struct entity *e, rec *proposed,
                                   const rec *existing)
{
    (void)e;
    long long org = scope_field(existing, proposed, "organisation_id");
    long long person = scope_field(existing, proposed, "accountable_person_id");
    const char *domain = rec_text(proposed, "domain");
    if (!domain && existing) domain = rec_text(existing, "domain");
    long long their_org = organisation_of_person(c, person);
    if (their_org && their_org == org)
        ctx_field_error(c, "accountable_person_id",
                        "Choose someone in another organisation: a line of accountability "
                        "leads out of the organisation");
    long long dup = 0;
    if (domain &&
        store_query_int(c->db, &dup,
                        "SELECT id FROM accountability WHERE organisation_id = $1"
                        " AND domain = $2 AND id <> $3",
                        "iti", org, domain, existing ? rec_int(existing, "id", 0) : 0LL) == 1)
        ctx_field_error(c, "domain", "This organisation already has a line for this domain");
    /* Walk up from the accountable person's organisation; at most one step per organisation. */
    long long at = their_org;
    for (int steps = 0; domain && at && steps < 10000 && !c->nerrors; steps++) {
        if (at == org) {
            ctx_field_error(c, "accountable_person_id",
                            "This would make a loop: the chain from that person leads back here");
            break;
        }
        long long next_person = 0;
        if (store_query_int(c->db, &next_person,
                            "SELECT accountable_person_id FROM accountability"
                            " WHERE organisation_id = $1 AND domain = $2",
                            "it", at, domain) != 1)
            break;
        at = organisation_of_person(c, next_person);
    }
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_accountability = {
    .name = "accountability",
    .singular = "line of accountability",
    .title = "Accountability",
    .table = ENTITY_TABLE("accountability", accountability_fields, "organisation_id"),
    .fields = accountability_fields,
    .nfields = ENTITY_COUNT(accountability_fields),
    .filters = accountability_filters,
    .nfilters = ENTITY_COUNT(accountability_filters),
    .authorise = accountability_authorise,
    .check = accountability_check,
};

/* ---- information sharing agreements ---- */

static const struct field_rule sharing_fields[] = {
    {.col = {"title", COL_TEXT}, .type = F_TEXT, .label = "title", .required = true},
    {.col = {"party_ids", COL_IDSET, "sharing_agreement_parties", "sharing_agreement_id",
             "organisation_id"},
     .type = F_REFSET,
     .label = "party",
     .required = true,
     .ref_table = "organisations",
     .hint = "The organisations that share data under it"},
    {.col = {"purpose", COL_TEXT}, .type = F_LONGTEXT, .label = "purpose", .required = true},
    {.col = {"lawful_basis", COL_TEXT},
     .type = F_ENUM,
     .label = "lawful basis",
     .required = true,
     .choices = lawful_bases,
     .hint = "Under UK GDPR Article 6"},
    {.col = {"data_categories", COL_TEXT},
     .type = F_LONGTEXT,
     .label = "categories of data",
     .required = true},
    {.col = {"start_date", COL_TEXT}, .type = F_DATE, .label = "start date", .required = true},
    {.col = {"review_date", COL_TEXT},
     .type = F_DATE,
     .label = "review date",
     .required = true,
     .not_before = "start_date"},
};

static const struct store_filter_spec sharing_filters[] = {
    {.param = "organisation_id",
     .kind = FILTER_SET,
     .link_table = "sharing_agreement_parties",
     .link_self = "sharing_agreement_id",
     .link_other = "organisation_id"},
    {.param = "lawful_basis", .kind = FILTER_EQ, .column = "lawful_basis", .is_text = true},
    {.param = "q", .kind = FILTER_TEXT, .column = "title,purpose,data_categories"},
};

static bool parties_in_led_places(struct ctx *c, const struct val *parties)
{
    if (!parties || parties->type != VAL_IDS || parties->nids == 0) return false;
    for (int i = 0; i < parties->nids; i++)
        if (!org_in_led_place(c, parties->ids[i])) return false;
    return true;
}

static result sharing_authorise(struct ctx *c, const struct entity *e, enum op op,
                                const rec *existing, const rec *proposed)
{
    (void)e;
    if (op == OP_READ || scope_is_lead(c)) return RES_OK;
    if (c->actor->role != ROLE_PLACE_LEAD) return RES_FORBIDDEN;
    if (existing && !parties_in_led_places(c, rec_get(existing, "party_ids")))
        return ctx_fail(c, RES_FORBIDDEN, "A party to this agreement serves no place you lead");
    const struct val *will = proposed ? rec_get(proposed, "party_ids") : NULL;
    if (will && will->type == VAL_IDS && !parties_in_led_places(c, will))
        return ctx_fail(c, RES_FORBIDDEN, "Every party must serve a place you lead");
    return RES_OK;
}

static result sharing_check(struct ctx *c, const struct entity *e, rec *proposed,
                            const rec *existing)
{
    (void)e;
    const struct val *parties = rec_get(proposed, "party_ids");
    if (!parties && existing) parties = rec_get(existing, "party_ids");
    if (!parties || parties->type != VAL_IDS || parties->nids < 2)
        ctx_field_error(c, "party_ids", "Choose at least two parties to the agreement");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_sharing_agreements = {
    .name = "sharing-agreements",
    .singular = "sharing agreement",
    .title = "Sharing agreements",
    .table = ENTITY_TABLE("sharing_agreements", sharing_fields, "review_date"),
    .fields = sharing_fields,
    .nfields = ENTITY_COUNT(sharing_fields),
    .filters = sharing_filters,
    .nfilters = ENTITY_COUNT(sharing_filters),
    .authorise = sharing_authorise,
    .check = sharing_check,
};
