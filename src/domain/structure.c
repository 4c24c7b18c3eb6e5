/*
 * structure.c: the descriptions and access rules for places,
 * neighbourhoods, organisations and people.
 *
 * Access: everyone signed in reads the structure. Admins and system leads
 * change anything. A place lead changes what lies in their places: their
 * places' details, neighbourhoods there, the details of organisations
 * serving only within their places, whether any organisation serves one of
 * their places (adding or removing that link), and people in organisations
 * that serve one of their places. A provider changes its own organisation's
 * details and people. Link workers and viewers read only.
 */
#include "domain/structure.h"

#include "domain/audit.h"
#include "domain/scope.h"

#include <string.h>

const char *const organisation_sectors[] = {"nhs", "local_authority", "vcse", "other", NULL};

static bool is_lead(const struct ctx *c)
{
    return c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_SYSTEM_LEAD;
}

/* ---- places ---- */

static const struct field_rule place_fields[] = {
    {.col = {"name", COL_TEXT}, .type = F_TEXT, .label = "name", .required = true, .unique = true},
    {.col = {"code", COL_TEXT},
     .type = F_TEXT,
     .label = "code",
     .maxlen = 20,
     .hint = "The ONS code of the local authority, like E08000033"},
    {.col = {"description", COL_TEXT}, .type = F_LONGTEXT, .label = "description", .maxlen = 2000},
};

static const struct store_filter_spec place_filters[] = {
    {.param = "q", .kind = FILTER_TEXT, .column = "name,code"},
};

static const struct entity_ref place_refs[] = {
    {"neighbourhoods", "place_id", "neighbourhoods"},
    {"organisation_places", "place_id", "organisations serving it"},
    {"user_places", "place_id", "place leads"},
    {"champions", "place_id", "champions"},
    {"connections", "place_id", "connections"},
    {"resources", "place_id", "resources"},
    {"strategies", "place_id", "strategies"},
    {"actions", "place_id", "actions"},
};

static const struct entity_ref neighbourhood_refs[] = {
    {"champions", "neighbourhood_id", "champions"},
};

static result place_authorise(struct ctx *c, const struct entity *e, enum op op,
                              const rec *existing, const rec *proposed)
{
    (void)e;
    (void)proposed;
    if (op == OP_READ || is_lead(c)) return RES_OK;
    if (op == OP_UPDATE && actor_leads_place(c->actor, rec_int(existing, "id", 0))) return RES_OK;
    return RES_FORBIDDEN;
}

const struct entity entity_places = {
    .name = "places",
    .singular = "place",
    .title = "Places",
    .table = {"places", &place_fields[0].col, sizeof place_fields[0],
              sizeof place_fields / sizeof place_fields[0], "name"},
    .fields = place_fields,
    .nfields = sizeof place_fields / sizeof place_fields[0],
    .filters = place_filters,
    .nfilters = sizeof place_filters / sizeof place_filters[0],
    .refs = place_refs,
    .nrefs = sizeof place_refs / sizeof place_refs[0],
    .authorise = place_authorise,
};

/* ---- neighbourhoods ---- */

static const struct field_rule neighbourhood_fields[] = {
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .required = true,
     .ref_table = "places"},
    {.col = {"name", COL_TEXT},
     .type = F_TEXT,
     .label = "name",
     .required = true,
     .unique = true,
     .unique_within = "place_id"},
    {.col = {"code", COL_TEXT},
     .type = F_TEXT,
     .label = "code",
     .maxlen = 20,
     .hint = "The primary care network code, if it has one"},
    {.col = {"population", COL_INT},
     .type = F_INT,
     .label = "population",
     .required = true,
     .min = 0,
     .max = 10000000},
    {.col = {"imd_decile", COL_INT},
     .type = F_INT,
     .label = "IMD decile",
     .required = true,
     .min = 1,
     .max = 10,
     .hint = "Index of Multiple Deprivation decile: 1 is the most deprived tenth of England"},
};

static const struct store_filter_spec neighbourhood_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "q", .kind = FILTER_TEXT, .column = "name,code"},
};

static result neighbourhood_authorise(struct ctx *c, const struct entity *e, enum op op,
                                      const rec *existing, const rec *proposed)
{
    (void)e;
    if (op == OP_READ || is_lead(c)) return RES_OK;
    if (c->actor->role != ROLE_PLACE_LEAD) return RES_FORBIDDEN;
    if (existing && !actor_leads_place(c->actor, rec_int(existing, "place_id", 0)))
        return ctx_fail(c, RES_FORBIDDEN, "This neighbourhood is not in a place you lead");
    if (proposed && rec_has(proposed, "place_id") &&
        !actor_leads_place(c->actor, rec_int(proposed, "place_id", 0)))
        return ctx_fail(c, RES_FORBIDDEN, "You can only put neighbourhoods in places you lead");
    return RES_OK;
}

const struct entity entity_neighbourhoods = {
    .name = "neighbourhoods",
    .singular = "neighbourhood",
    .title = "Neighbourhoods",
    .table = {"neighbourhoods", &neighbourhood_fields[0].col, sizeof neighbourhood_fields[0],
              sizeof neighbourhood_fields / sizeof neighbourhood_fields[0], "name"},
    .fields = neighbourhood_fields,
    .nfields = sizeof neighbourhood_fields / sizeof neighbourhood_fields[0],
    .filters = neighbourhood_filters,
    .nfilters = sizeof neighbourhood_filters / sizeof neighbourhood_filters[0],
    .refs = neighbourhood_refs,
    .nrefs = sizeof neighbourhood_refs / sizeof neighbourhood_refs[0],
    .authorise = neighbourhood_authorise,
};

/* ---- organisations ---- */

static const struct field_rule organisation_fields[] = {
    {.col = {"name", COL_TEXT}, .type = F_TEXT, .label = "name", .required = true, .unique = true},
    {.col = {"sector", COL_TEXT},
     .type = F_ENUM,
     .label = "sector",
     .required = true,
     .choices = organisation_sectors},
    {.col = {"ods_code", COL_TEXT},
     .type = F_TEXT,
     .label = "ODS code",
     .maxlen = 12,
     .hint = "NHS Organisation Data Service code, for NHS organisations"},
    {.col = {"charity_number", COL_TEXT}, .type = F_TEXT, .label = "charity number", .maxlen = 12},
    {.col = {"company_number", COL_TEXT}, .type = F_TEXT, .label = "company number", .maxlen = 12},
    {.col = {"email", COL_TEXT}, .type = F_EMAIL, .label = "email address"},
    {.col = {"phone", COL_TEXT}, .type = F_PHONE, .label = "phone number", .maxlen = 30},
    {.col = {"website", COL_TEXT}, .type = F_URL, .label = "website", .maxlen = 300},
    {.col = {"address", COL_TEXT}, .type = F_LONGTEXT, .label = "address", .maxlen = 500},
    {.col = {"postcode", COL_TEXT}, .type = F_POSTCODE, .label = "postcode", .maxlen = 10},
    {.col = {"place_ids", COL_IDSET, "organisation_places", "organisation_id", "place_id"},
     .type = F_REFSET,
     .label = "place",
     .ref_table = "places",
     .hint = "The places this organisation serves"},
};

static const struct store_filter_spec organisation_filters[] = {
    {.param = "place_id",
     .kind = FILTER_SET,
     .link_table = "organisation_places",
     .link_self = "organisation_id",
     .link_other = "place_id"},
    {.param = "sector", .kind = FILTER_EQ, .column = "sector", .is_text = true},
    {.param = "q",
     .kind = FILTER_TEXT,
     .column = "name,ods_code,charity_number,company_number,postcode"},
};

static const struct entity_ref organisation_refs[] = {
    {"people", "organisation_id", "people"},
    {"users", "organisation_id", "user accounts"},
    {"system", "organisation_id", "the system itself"},
    {"connections", "from_organisation_id", "connections"},
    {"connections", "to_organisation_id", "connections"},
    {"resources", "organisation_id", "resources"},
    {"policies", "organisation_id", "policies"},
    {"accountability", "organisation_id", "lines of accountability"},
    {"sharing_agreement_parties", "organisation_id", "sharing agreements"},
    {"concerns", "organisation_id", "concerns"},
};

static const struct entity_ref person_refs[] = {
    {"champions", "person_id", "champion roles"},
    {"actions", "owner_person_id", "actions they own"},
    {"accountability", "accountable_person_id", "lines of accountability"},
    {"concerns", "owner_person_id", "concerns they own"},
    {"concern_events", "owner_person_id", "concern events"},
    {"notifications", "recipient_person_id", "notifications"},
};

static bool all_led(const struct actor *a, const struct val *ids)
{
    if (!ids || ids->type != VAL_IDS) return true;
    for (int i = 0; i < ids->nids; i++)
        if (!actor_leads_place(a, ids->ids[i])) return false;
    return true;
}

static bool any_led(const struct actor *a, const struct val *ids)
{
    if (!ids || ids->type != VAL_IDS) return false;
    for (int i = 0; i < ids->nids; i++)
        if (actor_leads_place(a, ids->ids[i])) return true;
    return false;
}

static bool any_served(const struct val *ids)
{
    return ids && ids->type == VAL_IDS && ids->nids > 0;
}

/* Places in one set but not the other must all be led by the actor. */
static bool changes_only_led(const struct actor *a, const struct val *before,
                             const struct val *after)
{
    if (!after || after->type != VAL_IDS) return true;
    for (int pass = 0; pass < 2; pass++) {
        const struct val *x = pass ? after : before, *y = pass ? before : after;
        for (int i = 0; i < x->nids; i++) {
            bool found = false;
            for (int k = 0; k < y->nids; k++)
                found = found || y->ids[k] == x->ids[i];
            if (!found && !actor_leads_place(a, x->ids[i])) return false;
        }
    }
    return true;
}

/* Does proposed change nothing but the places served (compared with existing)? */
static bool only_places_change(const rec *existing, const rec *proposed)
{
    for (int i = 0; proposed && i < proposed->n; i++) {
        const char *name = proposed->f[i].name;
        if (strcmp(name, "place_ids") == 0 || strcmp(name, "updated_at") == 0) continue;
        const struct val *was = rec_get(existing, name);
        if (!was ? proposed->f[i].v.type != VAL_NULL : !val_equal(was, &proposed->f[i].v))
            return false;
    }
    return true;
}

static result organisation_authorise(struct ctx *c, const struct entity *e, enum op op,
                                     const rec *existing, const rec *proposed)
{
    (void)e;
    if (op == OP_READ || is_lead(c)) return RES_OK;
    const struct actor *a = c->actor;
    const struct val *was = existing ? rec_get(existing, "place_ids") : NULL;
    const struct val *will = proposed ? rec_get(proposed, "place_ids") : NULL;
    if (a->role == ROLE_PLACE_LEAD) {
        if (op == OP_CREATE) {
            if (!will || will->type != VAL_IDS || will->nids == 0)
                return ctx_fail(c, RES_FORBIDDEN,
                                "Say which of your places the organisation serves");
            if (!all_led(a, will))
                return ctx_fail(c, RES_FORBIDDEN,
                                "You can only add organisations to places you lead");
            return RES_OK;
        }
        if (op == OP_DELETE)
            return any_led(a, was) && all_led(a, was)
                       ? RES_OK
                       : ctx_fail(c, RES_FORBIDDEN,
                                  "This organisation also serves places you do not lead");
        if (!any_served(was))
            return ctx_fail(c, RES_FORBIDDEN,
                            "This organisation serves no place yet: ask a system lead");
        if (!changes_only_led(a, was, will))
            return ctx_fail(c, RES_FORBIDDEN, "You can only add or remove places you lead");
        if (any_led(a, was) && all_led(a, was)) return RES_OK;
        if (only_places_change(existing, proposed)) return RES_OK;
        return ctx_fail(c, RES_FORBIDDEN,
                        "This organisation also serves places you do not lead: ask a system "
                        "lead to change its details");
    }
    if (a->role == ROLE_PROVIDER && op == OP_UPDATE && rec_int(existing, "id", 0) == a->org_id) {
        if (will && !val_equal(was, will))
            return ctx_fail(c, RES_FORBIDDEN, "Ask a place lead to change the places you serve");
        return RES_OK;
    }
    return RES_FORBIDDEN;
}

const struct entity entity_organisations = {
    .name = "organisations",
    .singular = "organisation",
    .title = "Organisations",
    .table = {"organisations", &organisation_fields[0].col, sizeof organisation_fields[0],
              sizeof organisation_fields / sizeof organisation_fields[0], "name"},
    .fields = organisation_fields,
    .nfields = sizeof organisation_fields / sizeof organisation_fields[0],
    .filters = organisation_filters,
    .nfilters = sizeof organisation_filters / sizeof organisation_filters[0],
    .refs = organisation_refs,
    .nrefs = sizeof organisation_refs / sizeof organisation_refs[0],
    .authorise = organisation_authorise,
};

/* ---- people ---- */

static const struct field_rule person_fields[] = {
    {.col = {"organisation_id", COL_INT},
     .type = F_REF,
     .label = "organisation",
     .required = true,
     .ref_table = "organisations"},
    {.col = {"name", COL_TEXT}, .type = F_TEXT, .label = "name", .required = true},
    {.col = {"job_title", COL_TEXT}, .type = F_TEXT, .label = "job title"},
    {.col = {"email", COL_TEXT}, .type = F_EMAIL, .label = "email address"},
    {.col = {"phone", COL_TEXT}, .type = F_PHONE, .label = "phone number", .maxlen = 30},
    {.col = {"user_id", COL_INT},
     .type = F_REF,
     .label = "user account",
     .unique = true,
     .ref_table = "users",
     .hint = "Link the person to their sign-in, if they have one"},
};

static const struct store_filter_spec person_filters[] = {
    {.param = "organisation_id", .kind = FILTER_EQ, .column = "organisation_id"},
    {.param = "place_id",
     .kind = FILTER_VIA,
     .column = "organisation_id",
     .link_table = "organisation_places",
     .link_self = "organisation_id",
     .link_other = "place_id"},
    {.param = "q", .kind = FILTER_TEXT, .column = "name,job_title,email"},
};

static result person_authorise(struct ctx *c, const struct entity *e, enum op op,
                               const rec *existing, const rec *proposed)
{
    (void)e;
    if (op == OP_READ || is_lead(c)) return RES_OK;
    const struct actor *a = c->actor;
    long long was = existing ? rec_int(existing, "organisation_id", 0) : 0;
    long long will = proposed && rec_has(proposed, "organisation_id")
                         ? rec_int(proposed, "organisation_id", 0)
                         : was;
    if (proposed && rec_has(proposed, "user_id") &&
        rec_int(proposed, "user_id", 0) != (existing ? rec_int(existing, "user_id", 0) : 0))
        return ctx_fail(c, RES_FORBIDDEN,
                        "Only administrators and system leads link or unlink user accounts");
    if (a->role == ROLE_PLACE_LEAD) {
        if ((was && !org_in_led_place(c, was)) || (will && !org_in_led_place(c, will)))
            return ctx_fail(c, RES_FORBIDDEN,
                            "This person's organisation does not serve a place you lead");
        return RES_OK;
    }
    if (a->role == ROLE_PROVIDER) {
        if ((was && was != a->org_id) || will != a->org_id)
            return ctx_fail(c, RES_FORBIDDEN,
                            "You can only manage people in your own organisation");
        return RES_OK;
    }
    return RES_FORBIDDEN;
}

const struct entity entity_people = {
    .name = "people",
    .singular = "person",
    .title = "People",
    .table = {"people", &person_fields[0].col, sizeof person_fields[0],
              sizeof person_fields / sizeof person_fields[0], "name"},
    .fields = person_fields,
    .nfields = sizeof person_fields / sizeof person_fields[0],
    .filters = person_filters,
    .nfilters = sizeof person_filters / sizeof person_filters[0],
    .refs = person_refs,
    .nrefs = sizeof person_refs / sizeof person_refs[0],
    .personal = true,
    .authorise = person_authorise,
};

/* ---- the system ---- */

result system_get(struct ctx *c, struct system_info *out)
{
    store_stmt *st =
        store_prepare(c->db, "SELECT name, organisation_id, created_at FROM system WHERE id = 1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "system");
    int s = store_step(st);
    if (s == STORE_ROW) {
        out->name = arena_strdup(c->a, store_col_text(st, 0));
        out->organisation_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        out->created_at = arena_strdup(c->a, store_col_text(st, 2));
    }
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, "system");
    return s == STORE_ROW ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "The system has not been set up");
}

result system_create(struct ctx *c, const char *name, long long organisation_id)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator sets up the system");
    if (!name || !*name || strlen(name) > 200) {
        ctx_field_error(c, "system_name", "Enter the system's name (200 characters or fewer)");
        return ctx_fail(c, RES_INVALID, "Check the system's name");
    }
    long long rc = store_run(c->db,
                             "INSERT INTO system (id, name, organisation_id, created_at)"
                             " VALUES (1, $1, $2, $3)",
                             "tit", name, organisation_id, c->now_iso);
    if (rc == STORE_E_CONSTRAINT)
        return ctx_fail(c, RES_CONFLICT, "The system has already been set up");
    if (rc < 0) return ctx_store_failure(c, rc, "system insert");
    rec *after = rec_new(c->a);
    rec_set_text(after, "name", name);
    rec_set_int(after, "organisation_id", organisation_id);
    return audit_record(c, "create", "system", 1, NULL, after);
}

result structure_counts(struct ctx *c, struct dashboard_counts *out)
{
    if (!c->actor && !c->by_operator) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    memset(out, 0, sizeof *out);
    struct {
        const char *sql;
        long long *dst;
    } q[] = {
        {"SELECT count(*) FROM places", &out->places},
        {"SELECT count(*) FROM neighbourhoods", &out->neighbourhoods},
        {"SELECT count(*) FROM organisations", &out->organisations},
        {"SELECT count(*) FROM people", &out->people},
        {"SELECT count(*) FROM users WHERE disabled = 0", &out->users},
        {"SELECT coalesce(sum(population), 0) FROM neighbourhoods", &out->population},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        int rc = store_query_int(c->db, q[i].dst, q[i].sql, NULL);
        if (rc < 0) return ctx_store_failure(c, rc, "counts");
    }
    for (int i = 0; organisation_sectors[i]; i++) {
        int rc = store_query_int(c->db, &out->by_sector[i],
                                 "SELECT count(*) FROM organisations WHERE sector = $1", "t",
                                 organisation_sectors[i]);
        if (rc < 0) return ctx_store_failure(c, rc, "counts");
    }
    return RES_OK;
}
