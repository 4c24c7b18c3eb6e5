/*
 * plans.h: the computed views of leadership and strategy (issue 3). The
 * records themselves (champions, resources, strategies, priorities,
 * alignments, actions, co-production) are kept by leadership.c and
 * strategy.c; these calls read across them to answer the questions a
 * system or place lead asks:
 *
 *   - where is there no champion of Creative Health, on a given day?
 *   - what have organisations committed, by place and by sector?
 *   - which of the system's priorities does the Creative Health strategy
 *     support, and which does it leave untouched?
 *   - which actions are overdue, and who owns them?
 *   - who was the strategy co-produced with, and what changed?
 *
 * Every call is a read that any signed-in actor may make (the views hold no
 * personal data beyond the names of people in their roles), so nothing is
 * audited. Query parameters arrive as the text people typed (NULL or "" for
 * absent); a bad one is RES_INVALID with a field error naming it. Every
 * pointer in an answer belongs to the request arena (c->a).
 */
#ifndef CHIS_PLANS_H
#define CHIS_PLANS_H

#include "domain/ctx.h"

#include <stdbool.h>

#define PLANS_NSECTORS 4      /* organisation_sectors */
#define PLANS_NPARTICIPANTS 5 /* coproduction_participants */

/* ---- champion coverage ---- */

struct plan_area {
    long long id;
    const char *name;
    long long place_id; /* a neighbourhood's place; a place's own id */
    const char *place_name;
};

struct champion_coverage {
    char at[11];                /* the day asked about, YYYY-MM-DD */
    long long active_champions; /* at every level */
    bool system_has_champion;   /* an active system-level champion */
    struct plan_area *places;   /* places without an active place champion, by name */
    int nplaces;
    struct plan_area *neighbourhoods; /* ...without an active neighbourhood champion, */
    int nneighbourhoods;              /* by place name then name */
};

/*
 * Who champions Creative Health where on day at (YYYY-MM-DD; NULL or ""
 * for today by c->now). A champion is active when start_date <= at and
 * end_date is empty or >= at (the last day counts). A place is covered by
 * an active place-level champion for it; a neighbourhood by an active
 * neighbourhood-level champion for it. A place champion does not cover the
 * neighbourhoods of the place: the toolkit asks for champions at system,
 * place and neighbourhood level, so each level is counted on its own.
 */
result plans_champion_coverage(struct ctx *c, const char *at, struct champion_coverage *out);

/* ---- resource totals ---- */

struct plan_sum {
    long long amount_pence; /* empty amounts count as 0 */
    long long hours;
};

struct plan_place_sum {
    long long place_id;
    const char *name;
    struct plan_sum sum;
};

struct plan_sector_sum {
    const char *sector; /* organisation_sectors order, every sector listed */
    struct plan_sum sum;
};

struct resource_totals {
    const char *from, *to;         /* as asked; NULL for an open end */
    struct plan_place_sum *places; /* every place by name, zero when nothing is committed */
    int nplaces;
    struct plan_sector_sum sectors[PLANS_NSECTORS]; /* by the committing organisation's sector */
    struct plan_sum system_wide;                    /* commitments with no place */
    struct plan_sum total;                          /* everything counted */
};

/*
 * What organisations commit to Creative Health: resources whose period
 * overlaps [from, to] (period_start <= to and period_end empty or >= from;
 * either end may be left open, and both open counts everything). from after
 * to is RES_INVALID on "to".
 */
result plans_resource_totals(struct ctx *c, const char *from, const char *to,
                             struct resource_totals *out);

/* ---- the alignment matrix ---- */

struct plan_priority {
    long long id;
    const char *title;
    const char *description; /* may be NULL */
    long long position;
    long long strategy_id;
    const char *strategy_name;
    const char *kind; /* the strategy's kind */
    int nlinks;       /* alignments in the matrix that touch this priority */
};

struct plan_cell {
    int row, col; /* indexes into rows and cols */
    long long alignment_id;
    const char *rationale;
};

struct plan_strategy {
    long long id;
    const char *name;
};

struct alignment_matrix {
    const char *level;                /* "system" or "place" */
    long long place_id;               /* 0 at system level */
    struct plan_strategy *strategies; /* the Creative Health strategies of the rows */
    int nstrategies;
    struct plan_priority *rows; /* their priorities: by strategy name, position */
    int nrows;
    struct plan_priority *cols; /* other strategies' priorities: by kind (strategy_kinds */
    int ncols;                  /* order), strategy name, position */
    struct plan_cell *cells;    /* by row, then column */
    int ncells;
};

/*
 * The Creative Health strategy's priorities against the priorities of the
 * strategies it must line up with, at level "system" (the default) or
 * "place" (place_id required, and allowed only there). The rows are the
 * priorities of the Creative Health strategies at that level (normally
 * one); the columns are the priorities of the other strategies at that
 * level, and for a place also the system's, since a place's strategy lines
 * up with both. A cell is an alignment between a row and a column. A
 * column with nlinks 0 is a priority the Creative Health strategy leaves
 * untouched ("unsupported"); a row with nlinks 0 is aligned to nothing.
 */
result plans_alignment_matrix(struct ctx *c, const char *level, const char *place_id,
                              struct alignment_matrix *out);

/* ---- overdue actions ---- */

struct overdue_action {
    long long id;
    const char *title;
    long long place_id; /* 0: system-wide */
    const char *place_name;
    long long priority_id; /* 0: none */
    const char *due_date;
    const char *status;
    long long days_overdue; /* 1 or more */
    long long owner_person_id;
    const char *owner_name;
    long long organisation_id;
    const char *organisation_name;
};

/*
 * Actions past their due date and not done, oldest due first, with their
 * owner's name and organisation: due_date before today (by c->now; due
 * today is not overdue) and status other than done. With place_id, only
 * that place's actions.
 */
result plans_overdue_actions(struct ctx *c, const char *place_id, struct overdue_action **out,
                             int *n);

/* ---- the co-production record of a strategy ---- */

struct coproduction_activity {
    long long id;
    const char *held_on;
    const char *kind;
    const char *title;
    long long counts[PLANS_NPARTICIPANTS]; /* coproduction_participants order */
    const char *what_changed;              /* may be NULL */
};

struct coproduction_record {
    long long strategy_id;
    const char *name, *kind, *level;
    long long place_id; /* 0: system */
    const char *place_name;
    const char *vision, *local_need, *period_start, *period_end; /* may be NULL */
    struct plan_priority *priorities;                            /* by position */
    int npriorities;
    struct coproduction_activity *activities; /* by date */
    int nactivities;
    long long totals[PLANS_NPARTICIPANTS];
    long long participants; /* the sum of the totals */
};

/* A strategy with its priorities and its co-production record. RES_NOT_FOUND for an unknown id. */
result plans_coproduction_record(struct ctx *c, long long strategy_id,
                                 struct coproduction_record *out);

/* ---- small helpers the views share ---- */

#endif
