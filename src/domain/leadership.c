/*
 * leadership.c: champions, connections between organisations, and the
 * resources organisations commit to Creative Health.
 *
 * Access: everyone signed in reads. System leads change everything; place
 * leads change what lies in their places (a champion's place or
 * neighbourhood, a connection's or resource's place); system-wide records
 * (no place) are for system leads.
 */
#include "domain/leadership.h"

#include "domain/scope.h"
#include "domain/structure.h"

#include <string.h>

const char *const champion_levels[] = {"system", "place", "neighbourhood", NULL};
const char *const connection_formal_kinds[] = {
    "contract", "mou", "information_sharing", "commissioning", "referral_pathway", NULL};
const char *const connection_kinds[] = {"contract",
                                        "mou",
                                        "information_sharing",
                                        "commissioning",
                                        "referral_pathway",
                                        "network_membership",
                                        "joint_event",
                                        "shared_practice",
                                        NULL};
const char *const resource_kinds[] = {"funding", "staff_time", "venue", "in_kind", NULL};

bool connection_is_formal(const char *kind)
{
    for (int i = 0; kind && connection_formal_kinds[i]; i++)
        if (strcmp(kind, connection_formal_kinds[i]) == 0) return true;
    return false;
}

/* ---- champions ---- */

static const struct field_rule champion_fields[] = {
    {.col = {"person_id", COL_INT},
     .type = F_REF,
     .label = "person",
     .required = true,
     .ref_table = "people"},
    {.col = {"level", COL_TEXT},
     .type = F_ENUM,
     .label = "level",
     .required = true,
     .choices = champion_levels,
     .hint = "Where they champion Creative Health"},
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .ref_table = "places",
     .hint = "For a place champion; set from the neighbourhood for a neighbourhood champion"},
    {.col = {"neighbourhood_id", COL_INT},
     .type = F_REF,
     .label = "neighbourhood",
     .ref_table = "neighbourhoods",
     .hint = "For a neighbourhood champion"},
    {.col = {"sector", COL_TEXT},
     .type = F_ENUM,
     .label = "sector",
     .required = true,
     .choices = organisation_sectors},
    {.col = {"focus", COL_TEXT},
     .type = F_TEXT,
     .label = "focus",
     .hint = "What they champion, like music and dementia, or green social prescribing"},
    {.col = {"start_date", COL_TEXT}, .type = F_DATE, .label = "start date", .required = true},
    {.col = {"end_date", COL_TEXT},
     .type = F_DATE,
     .label = "end date",
     .not_before = "start_date"},
    {.col = {"support_training", COL_BOOL}, .type = F_BOOL, .label = "training given"},
    {.col = {"support_network_meetings", COL_BOOL},
     .type = F_BOOL,
     .label = "network meetings attended"},
    {.col = {"support_notes", COL_TEXT},
     .type = F_LONGTEXT,
     .label = "support notes",
     .maxlen = 2000},
};

static const struct store_filter_spec champion_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "neighbourhood_id", .kind = FILTER_EQ, .column = "neighbourhood_id"},
    {.param = "person_id", .kind = FILTER_EQ, .column = "person_id"},
    {.param = "level", .kind = FILTER_EQ, .column = "level", .is_text = true},
    {.param = "sector", .kind = FILTER_EQ, .column = "sector", .is_text = true},
    {.param = "q", .kind = FILTER_TEXT, .column = "focus,support_notes"},
};

/* The place a champion lies in: theirs, or their neighbourhood's. */
static long long champion_place(struct ctx *c, const rec *existing, const rec *proposed)
{
    long long n = scope_field(existing, proposed, "neighbourhood_id");
    if (n) return place_of_neighbourhood(c, n);
    return scope_field(existing, proposed, "place_id");
}

static result champion_authorise(struct ctx *c, const struct entity *e, enum op op,
                                 const rec *existing, const rec *proposed)
{
    (void)e;
    if (op == OP_READ) return RES_OK;
    if (existing) {
        result r = scope_place(c, champion_place(c, existing, NULL), "champions");
        if (r != RES_OK) return r;
    }
    return proposed ? scope_place(c, champion_place(c, existing, proposed), "champions") : RES_OK;
}

/*
 * The level decides the area: a system champion has none, a place champion
 * a place, a neighbourhood champion a neighbourhood (whose place is filled
 * in, so lists by place find them).
 */
static result champion_check(struct ctx *c, const struct entity *e, rec *proposed,
                             const rec *existing)
{
    (void)e;
    const char *level = rec_text(proposed, "level");
    if (!level && existing) level = rec_text(existing, "level");
    long long place = scope_field(existing, proposed, "place_id");
    long long nb = scope_field(existing, proposed, "neighbourhood_id");
    if (level && strcmp(level, "system") == 0) {
        if (place) ctx_field_error(c, "place_id", "A system champion has no place");
        if (nb) ctx_field_error(c, "neighbourhood_id", "A system champion has no neighbourhood");
    } else if (level && strcmp(level, "place") == 0) {
        if (!place) ctx_field_error(c, "place_id", "Choose the place they champion");
        if (nb) ctx_field_error(c, "neighbourhood_id", "A place champion has no neighbourhood");
    } else if (level && strcmp(level, "neighbourhood") == 0) {
        if (!nb)
            ctx_field_error(c, "neighbourhood_id", "Choose the neighbourhood they champion");
        else {
            long long p = place_of_neighbourhood(c, nb);
            if (place && place != p)
                ctx_field_error(c, "place_id", "The neighbourhood is in another place");
            else
                rec_set_int(proposed, "place_id", p);
        }
    }
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_champions = {
    .name = "champions",
    .singular = "champion",
    .title = "Champions",
    .table = ENTITY_TABLE("champions", champion_fields, "start_date"),
    .fields = champion_fields,
    .nfields = ENTITY_COUNT(champion_fields),
    .filters = champion_filters,
    .nfilters = ENTITY_COUNT(champion_filters),
    .authorise = champion_authorise,
    .check = champion_check,
};

/* ---- connections ---- */

static const struct field_rule connection_fields[] = {
    {.col = {"from_organisation_id", COL_INT},
     .type = F_REF,
     .label = "from organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"to_organisation_id", COL_INT},
     .type = F_REF,
     .label = "to organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"kind", COL_TEXT},
     .type = F_ENUM,
     .label = "kind",
     .required = true,
     .choices = connection_kinds,
     .hint = "Formal: contract, mou, information_sharing, commissioning, referral_pathway. "
             "Informal: network_membership, joint_event, shared_practice"},
    {.col = {"start_date", COL_TEXT}, .type = F_DATE, .label = "start date", .required = true},
    {.col = {"end_date", COL_TEXT},
     .type = F_DATE,
     .label = "end date",
     .not_before = "start_date"},
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .ref_table = "places",
     .hint = "Leave empty for a system-wide connection"},
    {.col = {"notes", COL_TEXT}, .type = F_LONGTEXT, .label = "notes", .maxlen = 2000},
};

static const struct store_filter_spec connection_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "from_organisation_id", .kind = FILTER_EQ, .column = "from_organisation_id"},
    {.param = "to_organisation_id", .kind = FILTER_EQ, .column = "to_organisation_id"},
    {.param = "kind", .kind = FILTER_EQ, .column = "kind", .is_text = true},
};

/*
 * A place lead records a connection in their place only when one of its two
 * organisations serves that place: what they record shapes that place's
 * network, not another's.
 */
static result connection_authorise(struct ctx *c, const struct entity *e, enum op op,
                                   const rec *existing, const rec *proposed)
{
    result r = scope_authorise_by_place(c, e, op, existing, proposed);
    if (r != RES_OK || op == OP_READ || !proposed || scope_is_lead(c)) return r;
    long long place = scope_field(existing, proposed, "place_id");
    if (!org_serves_place(c, scope_field(existing, proposed, "from_organisation_id"), place) &&
        !org_serves_place(c, scope_field(existing, proposed, "to_organisation_id"), place))
        return ctx_fail(c, RES_FORBIDDEN,
                        "Neither organisation serves that place: ask a system lead to record it");
    return RES_OK;
}

static result connection_check(struct ctx *c, const struct entity *e, rec *proposed,
                               const rec *existing)
{
    (void)e;
    if (scope_field(existing, proposed, "from_organisation_id") ==
        scope_field(existing, proposed, "to_organisation_id"))
        ctx_field_error(c, "to_organisation_id", "An organisation cannot be connected to itself");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_connections = {
    .name = "connections",
    .singular = "connection",
    .title = "Connections",
    .table = ENTITY_TABLE("connections", connection_fields, "start_date"),
    .fields = connection_fields,
    .nfields = ENTITY_COUNT(connection_fields),
    .filters = connection_filters,
    .nfilters = ENTITY_COUNT(connection_filters),
    .authorise = connection_authorise,
    .check = connection_check,
};

/* ---- resources ---- */

static const struct field_rule resource_fields[] = {
    {.col = {"kind", COL_TEXT},
     .type = F_ENUM,
     .label = "kind",
     .required = true,
     .choices = resource_kinds},
    {.col = {"organisation_id", COL_INT},
     .type = F_REF,
     .label = "organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .ref_table = "places",
     .hint = "Leave empty for a system-wide commitment"},
    {.col = {"amount_pence", COL_INT},
     .type = F_INT,
     .label = "amount in pence",
     .min = 0,
     .max = 100000000000LL,
     .hint = "For funding and in-kind value: £1,250.00 is 125000"},
    {.col = {"hours", COL_INT},
     .type = F_INT,
     .label = "hours",
     .min = 0,
     .max = 10000000,
     .hint = "For staff time and venue use"},
    {.col = {"period_start", COL_TEXT},
     .type = F_DATE,
     .label = "start of the period",
     .required = true},
    {.col = {"period_end", COL_TEXT},
     .type = F_DATE,
     .label = "end of the period",
     .not_before = "period_start"},
    {.col = {"description", COL_TEXT}, .type = F_LONGTEXT, .label = "description", .maxlen = 2000},
};

static const struct store_filter_spec resource_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "organisation_id", .kind = FILTER_EQ, .column = "organisation_id"},
    {.param = "kind", .kind = FILTER_EQ, .column = "kind", .is_text = true},
};

/* A place lead records only what organisations serving their place commit there. */
static result resource_authorise(struct ctx *c, const struct entity *e, enum op op,
                                 const rec *existing, const rec *proposed)
{
    result r = scope_authorise_by_place(c, e, op, existing, proposed);
    if (r != RES_OK || op == OP_READ || !proposed || scope_is_lead(c)) return r;
    if (!org_serves_place(c, scope_field(existing, proposed, "organisation_id"),
                          scope_field(existing, proposed, "place_id")))
        return ctx_fail(c, RES_FORBIDDEN,
                        "That organisation does not serve that place: ask a system lead");
    return RES_OK;
}

static result resource_check(struct ctx *c, const struct entity *e, rec *proposed,
                             const rec *existing)
{
    (void)e;
    bool amount =
        !rec_is_null(proposed, "amount_pence") ||
        (!rec_has(proposed, "amount_pence") && existing && !rec_is_null(existing, "amount_pence"));
    bool hours = !rec_is_null(proposed, "hours") ||
                 (!rec_has(proposed, "hours") && existing && !rec_is_null(existing, "hours"));
    if (!amount && !hours)
        ctx_field_error(c, "amount_pence", "Enter an amount in pence, or hours, or both");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_resources = {
    .name = "resources",
    .singular = "resource",
    .title = "Resources",
    .table = ENTITY_TABLE("resources", resource_fields, "period_start"),
    .fields = resource_fields,
    .nfields = ENTITY_COUNT(resource_fields),
    .filters = resource_filters,
    .nfilters = ENTITY_COUNT(resource_filters),
    .authorise = resource_authorise,
    .check = resource_check,
};
