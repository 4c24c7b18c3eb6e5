/*
 * strategy.c: strategies, priorities, alignments, actions (with progress
 * notes) and co-production.
 *
 * Access: everyone signed in reads. A record lies where its strategy (or
 * action) lies: a place strategy in its place, a system strategy system-wide.
 * System leads change everything; place leads what lies in their places.
 */
#include "domain/strategy.h"

#include "domain/scope.h"

#include <string.h>

const char *const strategy_kinds[] = {"creative_health",
                                      "personalised_care",
                                      "health_inequalities",
                                      "health_and_wellbeing",
                                      "joint_forward_plan",
                                      "other",
                                      NULL};
static const char *const strategy_levels[] = {"system", "place", NULL};
const char *const action_statuses[] = {"not_started", "on_track", "at_risk",
                                       "off_track",   "done",     NULL};
const char *const coproduction_kinds[] = {"workshop",    "survey", "panel", "interview",
                                          "focus_group", "event",  "other", NULL};
const char *const coproduction_participants[] = {"local_people", "lived_experience", "vcse",
                                                 "nhs",          "local_authority",  NULL};

/* ---- strategies ---- */

static const struct field_rule strategy_fields[] = {
    {.col = {"name", COL_TEXT}, .type = F_TEXT, .label = "name", .required = true},
    {.col = {"kind", COL_TEXT},
     .type = F_ENUM,
     .label = "kind",
     .required = true,
     .choices = strategy_kinds,
     .hint = "creative_health for the Creative Health strategy; the others are the strategies "
             "it must line up with"},
    {.col = {"level", COL_TEXT},
     .type = F_ENUM,
     .label = "level",
     .required = true,
     .choices = strategy_levels},
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .ref_table = "places",
     .hint = "For a place strategy"},
    {.col = {"vision", COL_TEXT}, .type = F_LONGTEXT, .label = "vision"},
    {.col = {"local_need", COL_TEXT}, .type = F_LONGTEXT, .label = "statement of local need"},
    {.col = {"period_start", COL_TEXT}, .type = F_DATE, .label = "start of the period"},
    {.col = {"period_end", COL_TEXT},
     .type = F_DATE,
     .label = "end of the period",
     .not_before = "period_start"},
};

static const struct store_filter_spec strategy_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "kind", .kind = FILTER_EQ, .column = "kind", .is_text = true},
    {.param = "level", .kind = FILTER_EQ, .column = "level", .is_text = true},
    {.param = "q", .kind = FILTER_TEXT, .column = "name,vision,local_need"},
};

static const struct entity_ref strategy_refs[] = {
    {"priorities", "strategy_id", "priorities"},
    {"coproduction", "strategy_id", "co-production activities"},
};

static result strategy_check(struct ctx *c, const struct entity *e, rec *proposed,
                             const rec *existing)
{
    (void)e;
    const char *level = rec_text(proposed, "level");
    if (!level && existing) level = rec_text(existing, "level");
    long long place = scope_field(existing, proposed, "place_id");
    if (level && strcmp(level, "place") == 0 && !place)
        ctx_field_error(c, "place_id", "Choose the place this strategy is for");
    if (level && strcmp(level, "system") == 0 && place)
        ctx_field_error(c, "place_id", "A system strategy has no place");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_strategies = {
    .name = "strategies",
    .singular = "strategy",
    .title = "Strategies",
    .table = ENTITY_TABLE("strategies", strategy_fields, "name"),
    .fields = strategy_fields,
    .nfields = ENTITY_COUNT(strategy_fields),
    .filters = strategy_filters,
    .nfilters = ENTITY_COUNT(strategy_filters),
    .refs = strategy_refs,
    .nrefs = ENTITY_COUNT(strategy_refs),
    .authorise = scope_authorise_by_place,
    .check = strategy_check,
};

/* ---- priorities ---- */

static const struct field_rule priority_fields[] = {
    {.col = {"strategy_id", COL_INT},
     .type = F_REF,
     .label = "strategy",
     .required = true,
     .ref_table = "strategies"},
    {.col = {"title", COL_TEXT}, .type = F_TEXT, .label = "title", .required = true},
    {.col = {"description", COL_TEXT}, .type = F_LONGTEXT, .label = "description"},
    {.col = {"position", COL_INT},
     .type = F_INT,
     .label = "position",
     .min = 0,
     .max = 1000,
     .zero_default = true,
     .hint = "Order within the strategy: lower numbers first"},
};

static const struct store_filter_spec priority_filters[] = {
    {.param = "strategy_id", .kind = FILTER_EQ, .column = "strategy_id"},
    {.param = "q", .kind = FILTER_TEXT, .column = "title,description"},
};

static const struct entity_ref priority_refs[] = {
    {"alignments", "creative_health_priority_id", "alignments"},
    {"alignments", "priority_id", "alignments"},
    {"actions", "priority_id", "actions"},
};

/* Scoped by the strategy's place, before and after the change. */
static result via_strategy(struct ctx *c, const struct entity *e, enum op op, const rec *existing,
                           const rec *proposed)
{
    if (op == OP_READ) return RES_OK;
    if (existing) {
        result r =
            scope_place(c, place_of_strategy(c, rec_int(existing, "strategy_id", 0)), e->name);
        if (r != RES_OK) return r;
    }
    if (!proposed) return RES_OK;
    return scope_place(c, place_of_strategy(c, scope_field(existing, proposed, "strategy_id")),
                       e->name);
}

const struct entity entity_priorities = {
    .name = "priorities",
    .singular = "priority",
    .title = "Priorities",
    .table = ENTITY_TABLE("priorities", priority_fields, "position"),
    .fields = priority_fields,
    .nfields = ENTITY_COUNT(priority_fields),
    .filters = priority_filters,
    .nfilters = ENTITY_COUNT(priority_filters),
    .refs = priority_refs,
    .nrefs = ENTITY_COUNT(priority_refs),
    .authorise = via_strategy,
};

/* ---- alignments ---- */

static const struct field_rule alignment_fields[] = {
    {.col = {"creative_health_priority_id", COL_INT},
     .type = F_REF,
     .label = "Creative Health priority",
     .required = true,
     .ref_table = "priorities"},
    {.col = {"priority_id", COL_INT},
     .type = F_REF,
     .label = "priority it supports",
     .required = true,
     .ref_table = "priorities",
     .hint = "A priority of another strategy: Personalised Care, Health Inequalities..."},
    {.col = {"rationale", COL_TEXT},
     .type = F_LONGTEXT,
     .label = "rationale",
     .required = true,
     .maxlen = 2000},
};

static const struct store_filter_spec alignment_filters[] = {
    {.param = "creative_health_priority_id",
     .kind = FILTER_EQ,
     .column = "creative_health_priority_id"},
    {.param = "priority_id", .kind = FILTER_EQ, .column = "priority_id"},
};

static result alignment_authorise(struct ctx *c, const struct entity *e, enum op op,
                                  const rec *existing, const rec *proposed)
{
    if (op == OP_READ) return RES_OK;
    const char *f = "creative_health_priority_id";
    if (existing) {
        long long s = strategy_of_priority(c, rec_int(existing, f, 0));
        result r = scope_place(c, place_of_strategy(c, s), e->name);
        if (r != RES_OK) return r;
    }
    if (!proposed) return RES_OK;
    long long s = strategy_of_priority(c, scope_field(existing, proposed, f));
    return scope_place(c, place_of_strategy(c, s), e->name);
}

/* The first priority must be the Creative Health strategy's, the second another's. */
static result alignment_check(struct ctx *c, const struct entity *e, rec *proposed,
                              const rec *existing)
{
    (void)e;
    long long ch = scope_field(existing, proposed, "creative_health_priority_id");
    long long other = scope_field(existing, proposed, "priority_id");
    const char *ch_kind = kind_of_strategy(c, strategy_of_priority(c, ch));
    const char *other_kind = kind_of_strategy(c, strategy_of_priority(c, other));
    if (ch_kind && strcmp(ch_kind, "creative_health") != 0)
        ctx_field_error(c, "creative_health_priority_id",
                        "Choose a priority of a Creative Health strategy");
    long long ch_place = place_of_strategy(c, strategy_of_priority(c, ch));
    long long other_place = place_of_strategy(c, strategy_of_priority(c, other));
    if (other_place && other_place != ch_place)
        ctx_field_error(c, "priority_id",
                        "That priority belongs to another place's strategy: align with this "
                        "place's strategies or the system's");
    if (other_kind && strcmp(other_kind, "creative_health") == 0)
        ctx_field_error(c, "priority_id",
                        "Choose a priority of another strategy, not a Creative Health one");
    if (!c->nerrors) {
        long long dup = 0;
        if (store_query_int(c->db, &dup,
                            "SELECT id FROM alignments WHERE creative_health_priority_id = $1"
                            " AND priority_id = $2 AND id <> $3",
                            "iii", ch, other, existing ? rec_int(existing, "id", 0) : 0LL) == 1)
            ctx_field_error(c, "priority_id", "These two priorities are already aligned");
    }
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_alignments = {
    .name = "alignments",
    .singular = "alignment",
    .title = "Alignments",
    .table = ENTITY_TABLE("alignments", alignment_fields, "creative_health_priority_id"),
    .fields = alignment_fields,
    .nfields = ENTITY_COUNT(alignment_fields),
    .filters = alignment_filters,
    .nfilters = ENTITY_COUNT(alignment_filters),
    .authorise = alignment_authorise,
    .check = alignment_check,
};

/* ---- actions ---- */

static const struct field_rule action_fields[] = {
    {.col = {"title", COL_TEXT}, .type = F_TEXT, .label = "title", .required = true},
    {.col = {"description", COL_TEXT}, .type = F_LONGTEXT, .label = "description"},
    {.col = {"place_id", COL_INT},
     .type = F_REF,
     .label = "place",
     .ref_table = "places",
     .hint = "Leave empty for a system-wide action"},
    {.col = {"priority_id", COL_INT},
     .type = F_REF,
     .label = "priority served",
     .ref_table = "priorities"},
    {.col = {"owner_person_id", COL_INT},
     .type = F_REF,
     .label = "owner",
     .required = true,
     .ref_table = "people",
     .hint = "The person answerable for it (their organisation with them)"},
    {.col = {"due_date", COL_TEXT}, .type = F_DATE, .label = "due date", .required = true},
    {.col = {"status", COL_TEXT},
     .type = F_ENUM,
     .label = "status",
     .required = true,
     .choices = action_statuses},
};

static const struct store_filter_spec action_filters[] = {
    {.param = "place_id", .kind = FILTER_EQ, .column = "place_id"},
    {.param = "priority_id", .kind = FILTER_EQ, .column = "priority_id"},
    {.param = "owner_person_id", .kind = FILTER_EQ, .column = "owner_person_id"},
    {.param = "status", .kind = FILTER_EQ, .column = "status", .is_text = true},
    {.param = "q", .kind = FILTER_TEXT, .column = "title,description"},
};

static const struct entity_ref action_refs[] = {
    {"action_notes", "action_id", "progress notes"},
};

/* A place's action may serve a system priority or its own place's, not another place's. */
static result action_check(struct ctx *c, const struct entity *e, rec *proposed,
                           const rec *existing)
{
    (void)e;
    long long priority = scope_field(existing, proposed, "priority_id");
    long long place = scope_field(existing, proposed, "place_id");
    long long theirs = priority ? place_of_strategy(c, strategy_of_priority(c, priority)) : 0;
    if (theirs && theirs != place)
        ctx_field_error(c, "priority_id",
                        "That priority belongs to another place's strategy: choose one of this "
                        "place's or a system priority");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_actions = {
    .name = "actions",
    .singular = "action",
    .title = "Actions",
    .table = ENTITY_TABLE("actions", action_fields, "due_date"),
    .fields = action_fields,
    .nfields = ENTITY_COUNT(action_fields),
    .filters = action_filters,
    .nfilters = ENTITY_COUNT(action_filters),
    .refs = action_refs,
    .nrefs = ENTITY_COUNT(action_refs),
    .authorise = scope_authorise_by_place,
    .check = action_check,
};

/* ---- progress notes on actions ---- */

static const struct field_rule action_note_fields[] = {
    {.col = {"action_id", COL_INT},
     .type = F_REF,
     .label = "action",
     .required = true,
     .ref_table = "actions"},
    {.col = {"noted_on", COL_TEXT}, .type = F_DATE, .label = "date", .required = true},
    {.col = {"note", COL_TEXT},
     .type = F_LONGTEXT,
     .label = "note",
     .required = true,
     .maxlen = 4000},
};

static const struct store_filter_spec action_note_filters[] = {
    {.param = "action_id", .kind = FILTER_EQ, .column = "action_id"},
};

static result via_action(struct ctx *c, const struct entity *e, enum op op, const rec *existing,
                         const rec *proposed)
{
    if (op == OP_READ) return RES_OK;
    if (existing) {
        result r = scope_place(c, place_of_action(c, rec_int(existing, "action_id", 0)), e->name);
        if (r != RES_OK) return r;
    }
    if (!proposed) return RES_OK;
    return scope_place(c, place_of_action(c, scope_field(existing, proposed, "action_id")),
                       e->name);
}

const struct entity entity_action_notes = {
    .name = "action-notes",
    .singular = "progress note",
    .title = "Progress notes",
    .table = ENTITY_TABLE("action_notes", action_note_fields, "noted_on"),
    .fields = action_note_fields,
    .nfields = ENTITY_COUNT(action_note_fields),
    .filters = action_note_filters,
    .nfilters = ENTITY_COUNT(action_note_filters),
    .authorise = via_action,
};

/* ---- co-production ---- */

static const struct field_rule coproduction_fields[] = {
    {.col = {"strategy_id", COL_INT},
     .type = F_REF,
     .label = "strategy",
     .required = true,
     .ref_table = "strategies"},
    {.col = {"held_on", COL_TEXT}, .type = F_DATE, .label = "date", .required = true},
    {.col = {"kind", COL_TEXT},
     .type = F_ENUM,
     .label = "kind",
     .required = true,
     .choices = coproduction_kinds},
    {.col = {"title", COL_TEXT}, .type = F_TEXT, .label = "title", .required = true},
    {.col = {"local_people", COL_INT},
     .type = F_INT,
     .zero_default = true,
     .label = "local people",
     .min = 0,
     .max = 1000000},
    {.col = {"lived_experience", COL_INT},
     .type = F_INT,
     .zero_default = true,
     .label = "people with lived experience",
     .min = 0,
     .max = 1000000},
    {.col = {"vcse", COL_INT},
     .type = F_INT,
     .zero_default = true,
     .label = "VCSE participants",
     .min = 0,
     .max = 1000000},
    {.col = {"nhs", COL_INT},
     .type = F_INT,
     .zero_default = true,
     .label = "NHS participants",
     .min = 0,
     .max = 1000000},
    {.col = {"local_authority", COL_INT},
     .type = F_INT,
     .zero_default = true,
     .label = "local authority participants",
     .min = 0,
     .max = 1000000},
    {.col = {"what_changed", COL_TEXT}, .type = F_LONGTEXT, .label = "what changed as a result"},
};

static const struct store_filter_spec coproduction_filters[] = {
    {.param = "strategy_id", .kind = FILTER_EQ, .column = "strategy_id"},
    {.param = "kind", .kind = FILTER_EQ, .column = "kind", .is_text = true},
};

const struct entity entity_coproduction = {
    .name = "coproduction",
    .singular = "co-production activity",
    .title = "Co-production",
    .table = ENTITY_TABLE("coproduction", coproduction_fields, "held_on"),
    .fields = coproduction_fields,
    .nfields = ENTITY_COUNT(coproduction_fields),
    .filters = coproduction_filters,
    .nfilters = ENTITY_COUNT(coproduction_filters),
    .authorise = via_strategy,
};
