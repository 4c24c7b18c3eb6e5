/*
 * plans.c: the computed views of leadership and strategy: champion
 * coverage, resource totals, the alignment matrix, overdue actions and the
 * co-production record of a strategy. See plans.h for the rules.
 *
 * Each view is a few portable SQL reads (no backend-only syntax, values
 * always bound as $n) and a little arithmetic here. Dates are YYYY-MM-DD
 * text throughout, which compares correctly as text in both SQLite and
 * PostgreSQL.
 */
#include "domain/plans.h"

#include "base/date.h"

#include "base/text.h"
#include "domain/strategy.h"
#include "domain/structure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ends used for an open period: before and after every real date. */
#define FIRST_DAY "0001-01-01"
#define LAST_DAY "9999-12-31"

/*
 * These views are for anyone signed in (and the operator at the console).
 * RES_OK or RES_UNAUTHENTICATED.
 */
static result signed_in(struct ctx *c)
{
    if (!c->actor && !c->by_operator) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    return RES_OK;
}

/* s when it holds something, else NULL: forms send "" for "any". */
static const char *given(const char *s)
{
    return s && *s ? s : NULL;
}

/* Today by the ctx's clock, as YYYY-MM-DD, into out. */
static void today(const struct ctx *c, char out[11])
{
    memcpy(out, c->now_iso, 10);
    out[10] = '\0';
}

/*
 * The date in parameter name, or NULL when it is absent; a field error
 * naming the parameter when it is not a real YYYY-MM-DD date.
 */
static const char *date_param(struct ctx *c, const char *name, const char *s)
{
    if (!given(s)) return NULL;
    if (!text_date_valid(s)) {
        ctx_field_error(c, name, "Enter a real date written YYYY-MM-DD, like 2026-11-26");
        return NULL;
    }
    return s;
}

/*
 * The id of a place in parameter name: 0 when absent; a field error naming
 * the parameter when it is not a positive whole number or no place has it;
 * -1 when the store failed.
 */
static long long place_param(struct ctx *c, const char *name, const char *s)
{
    if (!given(s)) return 0;
    long long id = text_id(s);
    if (!id) {
        ctx_field_error(c, name, "Give the place by its id, a positive whole number");
        return 0;
    }
    int rc = store_exists(c->db, "places", id);
    if (rc == 0) ctx_field_error(c, name, "There is no place with id %lld", id);
    return rc == 1 ? id : rc < 0 ? -1 : 0;
}

/* RES_INVALID when parameters were refused, for "return bad_params(c)". */
static result bad_params(struct ctx *c)
{
    return ctx_fail(c, RES_INVALID, "Check the query parameters");
}

/*
 * Make room for one more element in the arena array p holding n elements
 * of size bytes, with capacity *cap. Returns the (possibly moved) array,
 * which belongs to arena a.
 */
static void *grow(arena *a, void *p, int n, int *cap, size_t size)
{
    if (n < *cap) return p;
    int more = *cap ? *cap * 2 : 16;
    void *q = arena_alloc(a, size * (size_t)more);
    if (n) memcpy(q, p, size * (size_t)n);
    *cap = more;
    return q;
}

/* Column i of the current row as text copied into c->a; NULL for null. */
static const char *text_at(struct ctx *c, store_stmt *st, int i)
{
    return store_col_null(st, i) ? NULL : arena_strdup(c->a, store_col_text(st, i));
}

/* Finish a statement: the step code s (STORE_DONE or an error) as 0 or a failure. */
static int finish(store_stmt *st, int s)
{
    store_done(st);
    return s == STORE_DONE ? 0 : (s < 0 ? s : STORE_E_ERROR);
}

/* ---- champion coverage ---- */

/* Active on day $1: started by then and not yet ended (the end day counts). */
#define CHAMPION_ACTIVE "ch.start_date <= $1 AND (ch.end_date IS NULL OR ch.end_date >= $1)"

/*
 * Read rows of (id, name, place_id, place name) from sql with $1 bound to at into an
 * arena array. 0 or a STORE_E_* code.
 */
static int read_areas(struct ctx *c, const char *sql, const char *at, struct plan_area **out,
                      int *n)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, at);
    int cap = 0, s;
    *out = NULL;
    *n = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        *out = grow(c->a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct plan_area){store_col_int(st, 0), text_at(c, st, 1),
                                            store_col_int(st, 2), text_at(c, st, 3)};
    }
    return finish(st, s);
}

/* See plans.h. */
result plans_champion_coverage(struct ctx *c, const char *at, struct champion_coverage *out)
{
    result r = signed_in(c);
    if (r != RES_OK) return r;
    memset(out, 0, sizeof *out);
    const char *day = date_param(c, "at", at);
    if (c->nerrors) return bad_params(c);
    if (day)
        memcpy(out->at, day, 11);
    else
        today(c, out->at);

    int rc =
        store_query_int(c->db, &out->active_champions,
                        "SELECT count(*) FROM champions ch WHERE " CHAMPION_ACTIVE, "t", out->at);
    long long system = 0;
    if (rc >= 0)
        rc = store_query_int(c->db, &system,
                             "SELECT count(*) FROM champions ch WHERE ch.level = 'system'"
                             " AND " CHAMPION_ACTIVE,
                             "t", out->at);
    out->system_has_champion = system > 0;
    if (rc >= 0)
        rc = read_areas(c,
                        "SELECT p.id, p.name, p.id, p.name FROM places p WHERE NOT EXISTS ("
                        "SELECT 1 FROM champions ch WHERE ch.level = 'place'"
                        " AND ch.place_id = p.id AND " CHAMPION_ACTIVE ")"
                        " ORDER BY p.name, p.id",
                        out->at, &out->places, &out->nplaces);
    if (rc >= 0)
        rc = read_areas(c,
                        "SELECT n.id, n.name, n.place_id, p.name FROM neighbourhoods n"
                        " JOIN places p ON p.id = n.place_id WHERE NOT EXISTS ("
                        "SELECT 1 FROM champions ch WHERE ch.level = 'neighbourhood'"
                        " AND ch.neighbourhood_id = n.id AND " CHAMPION_ACTIVE ")"
                        " ORDER BY p.name, p.id, n.name, n.id",
                        out->at, &out->neighbourhoods, &out->nneighbourhoods);
    return rc < 0 ? ctx_store_failure(c, rc, "champion coverage") : RES_OK;
}

/* ---- resource totals ---- */

/* The resource r's period overlaps [$1, $2]: it ends on or after $1 and starts by $2. */
#define RESOURCE_OVERLAPS "(r.period_end IS NULL OR r.period_end >= $1) AND r.period_start <= $2"

/* See plans.h. */
result plans_resource_totals(struct ctx *c, const char *from, const char *to,
                             struct resource_totals *out)
{
    result r = signed_in(c);
    if (r != RES_OK) return r;
    memset(out, 0, sizeof *out);
    out->from = date_param(c, "from", from);
    out->to = date_param(c, "to", to);
    if (out->from && out->to && strcmp(out->from, out->to) > 0)
        ctx_field_error(c, "to", "The end date must be the same as or after the start date");
    if (c->nerrors) return bad_params(c);
    const char *lo = out->from ? out->from : FIRST_DAY;
    const char *hi = out->to ? out->to : LAST_DAY;

    store_stmt *st = store_prepare(
        c->db, "SELECT p.id, p.name, coalesce(sum(r.amount_pence), 0), coalesce(sum(r.hours), 0)"
               " FROM places p LEFT JOIN resources r ON r.place_id = p.id AND " RESOURCE_OVERLAPS
               " GROUP BY p.id, p.name ORDER BY p.name, p.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "resource totals");
    store_bindf(st, "tt", lo, hi);
    int cap = 0, s;
    while ((s = store_step(st)) == STORE_ROW) {
        out->places = grow(c->a, out->places, out->nplaces, &cap, sizeof *out->places);
        out->places[out->nplaces++] = (struct plan_place_sum){
            store_col_int(st, 0), text_at(c, st, 1), {store_col_int(st, 2), store_col_int(st, 3)}};
    }
    int rc = finish(st, s);
    if (rc < 0) return ctx_store_failure(c, rc, "resource totals");

    for (int i = 0; i < PLANS_NSECTORS; i++)
        out->sectors[i].sector = organisation_sectors[i];
    st = store_prepare(
        c->db, "SELECT o.sector, coalesce(sum(r.amount_pence), 0), coalesce(sum(r.hours), 0)"
               " FROM resources r JOIN organisations o ON o.id = r.organisation_id"
               " WHERE " RESOURCE_OVERLAPS " GROUP BY o.sector");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "resource totals");
    store_bindf(st, "tt", lo, hi);
    while ((s = store_step(st)) == STORE_ROW) {
        struct plan_sum sum = {store_col_int(st, 1), store_col_int(st, 2)};
        for (int i = 0; i < PLANS_NSECTORS; i++)
            if (strcmp(store_col_text(st, 0), organisation_sectors[i]) == 0)
                out->sectors[i].sum = sum;
        out->total.amount_pence += sum.amount_pence;
        out->total.hours += sum.hours;
    }
    rc = finish(st, s);
    if (rc < 0) return ctx_store_failure(c, rc, "resource totals");

    st = store_prepare(c->db, "SELECT coalesce(sum(r.amount_pence), 0), coalesce(sum(r.hours), 0)"
                              " FROM resources r WHERE r.place_id IS NULL AND " RESOURCE_OVERLAPS);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "resource totals");
    store_bindf(st, "tt", lo, hi);
    s = store_step(st);
    if (s == STORE_ROW) {
        out->system_wide = (struct plan_sum){store_col_int(st, 0), store_col_int(st, 1)};
        s = store_step(st);
    }
    rc = finish(st, s);
    return rc < 0 ? ctx_store_failure(c, rc, "resource totals") : RES_OK;
}

/* ---- the alignment matrix ---- */

/*
 * Read priorities laid out as (id, title, description, position,
 * strategy_id, strategy_name, kind) from a bound statement, which this
 * finishes. 0 or a STORE_E_* code.
 */
static int read_priorities(struct ctx *c, store_stmt *st, struct plan_priority **out, int *n)
{
    int cap = 0, s;
    *out = NULL;
    *n = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        *out = grow(c->a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct plan_priority){
            .id = store_col_int(st, 0),
            .title = text_at(c, st, 1),
            .description = text_at(c, st, 2),
            .position = store_col_int(st, 3),
            .strategy_id = store_col_int(st, 4),
            .strategy_name = text_at(c, st, 5),
            .kind = text_at(c, st, 6),
        };
    }
    return finish(st, s);
}

#define PRIORITY_COLUMNS                                                                           \
    "SELECT pr.id, pr.title, pr.description, pr.position, s.id, s.name, s.kind"                    \
    " FROM priorities pr JOIN strategies s ON s.id = pr.strategy_id"

/* Where kind stands in strategy_kinds (unknown kinds last). */
static int kind_rank(const char *kind)
{
    int i = 0;
    for (; strategy_kinds[i]; i++)
        if (kind && strcmp(kind, strategy_kinds[i]) == 0) break;
    return i;
}

/* Columns in their groups: by kind, then strategy name and id, then position and id. */
static int column_order(const void *pa, const void *pb)
{
    const struct plan_priority *a = pa, *b = pb;
    int k = kind_rank(a->kind) - kind_rank(b->kind);
    if (k) return k;
    int n = strcmp(a->strategy_name, b->strategy_name);
    if (n) return n;
    if (a->strategy_id != b->strategy_id) return a->strategy_id < b->strategy_id ? -1 : 1;
    if (a->position != b->position) return a->position < b->position ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Cells by row, then column. */
static int cell_order(const void *pa, const void *pb)
{
    const struct plan_cell *a = pa, *b = pb;
    return a->row != b->row ? a->row - b->row : a->col - b->col;
}

/* The index of the priority with this id in ps, or -1. */
static int priority_index(const struct plan_priority *ps, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ps[i].id == id) return i;
    return -1;
}

/* The Creative Health strategies at the matrix's level and place (bound as $1, $2). */
#define CH_STRATEGY "s.kind = 'creative_health' AND s.level = $1 AND coalesce(s.place_id, 0) = $2"

/* See plans.h. */
result plans_alignment_matrix(struct ctx *c, const char *level, const char *place_id,
                              struct alignment_matrix *out)
{
    result r = signed_in(c);
    if (r != RES_OK) return r;
    memset(out, 0, sizeof *out);
    out->level = given(level) ? level : given(place_id) ? "place" : "system";
    bool place = strcmp(out->level, "place") == 0;
    if (!place && strcmp(out->level, "system") != 0)
        ctx_field_error(c, "level", "The level must be system or place");
    else if (place && !given(place_id))
        ctx_field_error(c, "place_id", "Choose the place: place_id is needed at place level");
    else if (!place && given(place_id))
        ctx_field_error(c, "place_id", "A system-level matrix has no place_id");
    else
        out->place_id = place_param(c, "place_id", place_id);
    if (c->nerrors) return bad_params(c);
    if (out->place_id < 0) return ctx_store_failure(c, STORE_E_ERROR, "alignment matrix");

    store_stmt *st = store_prepare(c->db, "SELECT s.id, s.name FROM strategies s WHERE " CH_STRATEGY
                                          " ORDER BY s.name, s.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "alignment matrix");
    store_bindf(st, "ti", out->level, out->place_id);
    int cap = 0, s;
    while ((s = store_step(st)) == STORE_ROW) {
        out->strategies =
            grow(c->a, out->strategies, out->nstrategies, &cap, sizeof *out->strategies);
        out->strategies[out->nstrategies++] =
            (struct plan_strategy){store_col_int(st, 0), text_at(c, st, 1)};
    }
    int rc = finish(st, s);

    if (rc == 0) {
        st = store_prepare(c->db, PRIORITY_COLUMNS " WHERE " CH_STRATEGY
                                                   " ORDER BY s.name, s.id, pr.position, pr.id");
        rc = st ? 0 : STORE_E_ERROR;
    }
    if (rc == 0) {
        store_bindf(st, "ti", out->level, out->place_id);
        rc = read_priorities(c, st, &out->rows, &out->nrows);
    }
    /* The other strategies: the system's, and at place level the place's own too. */
    if (rc == 0) {
        st = store_prepare(c->db, PRIORITY_COLUMNS " WHERE s.kind <> 'creative_health'"
                                                   " AND (s.level = 'system' OR s.place_id = $1)");
        rc = st ? 0 : STORE_E_ERROR;
    }
    if (rc == 0) {
        store_bind_int(st, 1, out->place_id);
        rc = read_priorities(c, st, &out->cols, &out->ncols);
    }
    if (rc < 0) return ctx_store_failure(c, rc, "alignment matrix");
    if (out->ncols > 1) qsort(out->cols, (size_t)out->ncols, sizeof *out->cols, column_order);

    st = store_prepare(c->db, "SELECT a.id, a.creative_health_priority_id, a.priority_id,"
                              " a.rationale FROM alignments a"
                              " JOIN priorities pr ON pr.id = a.creative_health_priority_id"
                              " JOIN strategies s ON s.id = pr.strategy_id WHERE " CH_STRATEGY);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "alignment matrix");
    store_bindf(st, "ti", out->level, out->place_id);
    cap = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        int row = priority_index(out->rows, out->nrows, store_col_int(st, 1));
        int col = priority_index(out->cols, out->ncols, store_col_int(st, 2));
        if (row < 0 || col < 0) continue; /* aligned to a priority outside this matrix */
        out->cells = grow(c->a, out->cells, out->ncells, &cap, sizeof *out->cells);
        out->cells[out->ncells++] =
            (struct plan_cell){row, col, store_col_int(st, 0), text_at(c, st, 3)};
        out->rows[row].nlinks++;
        out->cols[col].nlinks++;
    }
    rc = finish(st, s);
    if (rc < 0) return ctx_store_failure(c, rc, "alignment matrix");
    if (out->ncells > 1) qsort(out->cells, (size_t)out->ncells, sizeof *out->cells, cell_order);
    return RES_OK;
}

/* ---- overdue actions ---- */

/* See plans.h. */
result plans_overdue_actions(struct ctx *c, const char *place_id, struct overdue_action **out,
                             int *n)
{
    result r = signed_in(c);
    if (r != RES_OK) return r;
    *out = NULL;
    *n = 0;
    long long place = place_param(c, "place_id", place_id);
    if (c->nerrors) return bad_params(c);
    if (place < 0) return ctx_store_failure(c, STORE_E_ERROR, "overdue actions");
    char day[11];
    today(c, day);
    store_stmt *st = store_prepare(
        c->db, "SELECT a.id, a.title, a.place_id, p.name, a.priority_id, a.due_date, a.status,"
               " a.owner_person_id, pe.name, o.id, o.name FROM actions a"
               " JOIN people pe ON pe.id = a.owner_person_id"
               " JOIN organisations o ON o.id = pe.organisation_id"
               " LEFT JOIN places p ON p.id = a.place_id"
               " WHERE a.due_date < $1 AND a.status <> 'done' AND ($2 = 0 OR a.place_id = $2)"
               " ORDER BY a.due_date, a.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "overdue actions");
    store_bindf(st, "ti", day, place);
    int cap = 0, s;
    while ((s = store_step(st)) == STORE_ROW) {
        *out = grow(c->a, *out, *n, &cap, sizeof **out);
        struct overdue_action *a = &(*out)[(*n)++];
        *a = (struct overdue_action){
            .id = store_col_int(st, 0),
            .title = text_at(c, st, 1),
            .place_id = store_col_int(st, 2),
            .place_name = text_at(c, st, 3),
            .priority_id = store_col_int(st, 4),
            .due_date = text_at(c, st, 5),
            .status = text_at(c, st, 6),
            .owner_person_id = store_col_int(st, 7),
            .owner_name = text_at(c, st, 8),
            .organisation_id = store_col_int(st, 9),
            .organisation_name = text_at(c, st, 10),
        };
        a->days_overdue = date_days_between(a->due_date, day);
    }
    int rc = finish(st, s);
    return rc < 0 ? ctx_store_failure(c, rc, "overdue actions") : RES_OK;
}

/* ---- the co-production record ---- */

/* See plans.h. */
result plans_coproduction_record(struct ctx *c, long long strategy_id,
                                 struct coproduction_record *out)
{
    result r = signed_in(c);
    if (r != RES_OK) return r;
    memset(out, 0, sizeof *out);
    store_stmt *st = store_prepare(
        c->db, "SELECT s.name, s.kind, s.level, s.place_id, p.name, s.vision, s.local_need,"
               " s.period_start, s.period_end FROM strategies s"
               " LEFT JOIN places p ON p.id = s.place_id WHERE s.id = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "co-production record");
    store_bind_int(st, 1, strategy_id);
    int s = store_step(st);
    if (s == STORE_ROW) {
        out->strategy_id = strategy_id;
        out->name = text_at(c, st, 0);
        out->kind = text_at(c, st, 1);
        out->level = text_at(c, st, 2);
        out->place_id = store_col_int(st, 3);
        out->place_name = text_at(c, st, 4);
        out->vision = text_at(c, st, 5);
        out->local_need = text_at(c, st, 6);
        out->period_start = text_at(c, st, 7);
        out->period_end = text_at(c, st, 8);
        s = store_step(st);
    }
    int rc = finish(st, s);
    if (rc < 0) return ctx_store_failure(c, rc, "co-production record");
    if (!out->strategy_id)
        return ctx_fail(c, RES_NOT_FOUND, "There is no strategy with id %lld", strategy_id);

    st = store_prepare(c->db, PRIORITY_COLUMNS " WHERE s.id = $1 ORDER BY pr.position, pr.id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "co-production record");
    store_bind_int(st, 1, strategy_id);
    rc = read_priorities(c, st, &out->priorities, &out->npriorities);
    if (rc < 0) return ctx_store_failure(c, rc, "co-production record");

    /* The count columns are coproduction_participants, in that order. */
    st = store_prepare(c->db, "SELECT id, held_on, kind, title, local_people, lived_experience,"
                              " vcse, nhs, local_authority, what_changed FROM coproduction"
                              " WHERE strategy_id = $1 ORDER BY held_on, id");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "co-production record");
    store_bind_int(st, 1, strategy_id);
    int cap = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        out->activities =
            grow(c->a, out->activities, out->nactivities, &cap, sizeof *out->activities);
        struct coproduction_activity *a = &out->activities[out->nactivities++];
        *a = (struct coproduction_activity){
            .id = store_col_int(st, 0),
            .held_on = text_at(c, st, 1),
            .kind = text_at(c, st, 2),
            .title = text_at(c, st, 3),
            .what_changed = text_at(c, st, 9),
        };
        for (int i = 0; i < PLANS_NPARTICIPANTS; i++) {
            a->counts[i] = store_col_int(st, 4 + i);
            out->totals[i] += a->counts[i];
            out->participants += a->counts[i];
        }
    }
    rc = finish(st, s);
    return rc < 0 ? ctx_store_failure(c, rc, "co-production record") : RES_OK;
}
