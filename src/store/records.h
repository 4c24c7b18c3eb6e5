/*
 * records.h: create, read, update, delete and list rows of one table as
 * records, from a static description of the table. The SQL is built from the
 * description (identifiers come from code, never from input) and every value
 * is bound, so one description serves every backend.
 *
 * Every described table has "id", "created_at" and "updated_at" columns
 * besides those listed.
 */
#ifndef CHIS_RECORDS_H
#define CHIS_RECORDS_H

#include "base/rec.h"
#include "store/store.h"

enum col_kind { COL_INT, COL_TEXT, COL_BOOL, COL_IDSET };

struct store_column {
    const char *name;
    enum col_kind kind;
    /* COL_IDSET only: the link table and its two columns (this row, the other). */
    const char *link_table, *link_self, *link_other;
    bool hidden; /* stored but never read back into records (e.g. password hashes) */
};

struct store_table {
    const char *table;
    const struct store_column *cols; /* first column of an array of larger structs */
    size_t stride;                   /* sizeof one element of that array */
    int ncols;
    const char *order_by; /* column the list is ordered by, then id */
};

enum filter_kind {
    FILTER_EQ,   /* column = value */
    FILTER_SET,  /* the row's id set (COL_IDSET column) contains value */
    FILTER_VIA,  /* link_table has (row.column, value) as (link_self, link_other) */
    FILTER_TEXT, /* value appears, ignoring case, in any of the columns (comma-separated) */
};

struct store_filter_spec {
    const char *param; /* query parameter name, e.g. "place_id" */
    enum filter_kind kind;
    const char *column;
    const char *link_table, *link_self, *link_other;
    bool is_text; /* FILTER_EQ on a text column */
};

struct store_filter {
    const struct store_filter_spec *spec;
    long long i;
    const char *s;
};

struct store_page {
    rec **rows;
    int nrows;
    long long total;
};

const struct store_column *store_table_col(const struct store_table *t, int i);

/* 1 and *out (in arena a) when found, 0 when not, or STORE_E_*. */
int store_rec_get(store_conn *c, const struct store_table *t, long long id, arena *a, rec **out);

/* Insert the record's described fields; the new id (> 0) or STORE_E_*. */
long long store_rec_insert(store_conn *c, const struct store_table *t, const rec *r,
                           const char *now);

/* Update the fields present in r; 1 updated, 0 no such row, or STORE_E_*. */
int store_rec_update(store_conn *c, const struct store_table *t, long long id, const rec *r,
                     const char *now);

/* Delete a row (link rows first); 1 deleted, 0 no such row, or STORE_E_*. */
int store_rec_delete(store_conn *c, const struct store_table *t, long long id);

/* One page of rows matching every filter, ordered; 0 or STORE_E_*. */
int store_rec_list(store_conn *c, const struct store_table *t, const struct store_filter *filters,
                   int nfilters, long long limit, long long offset, arena *a,
                   struct store_page *page);

/* How many rows of table have column = id (for "still referenced" checks). */
long long store_count_where(store_conn *c, const char *table, const char *column, long long id);

/* 1 when a row with this id exists in table, 0 when not, or STORE_E_*. */
int store_exists(store_conn *c, const char *table, long long id);

/* "%s%" for LIKE ... ESCAPE '\\': user text with its wildcards escaped, so
 * it matches literally anywhere. In a. */
char *store_like_contains(arena *a, const char *s);

/* The current row of st as a record: column i is cols[i] (in a). */
rec *store_row_rec(store_stmt *st, const struct store_column *cols, int n, arena *a);

/*
 * Append row to page, growing page->rows (in a) by doubling. *cap is the
 * room allocated so far: start it at 0 with an empty page.
 */
void store_page_push(struct store_page *page, int *cap, rec *row, arena *a);

/*
 * Read every remaining row of st (prepared and bound by the caller) into
 * page, which it fills from empty, as records of cols (in a), then
 * store_done(st). page->total becomes
 * the number of rows, and page->rows is allocated even for none. Returns
 * STORE_DONE, or the failing step's STORE_E_* (the rows read so far stay).
 */
int store_page_read(store_stmt *st, const struct store_column *cols, int n, arena *a,
                    struct store_page *page);

/*
 * Read column 0 of every remaining row of st (prepared and bound by the
 * caller) as an id into *ids, an array in a of *n of them, then
 * store_done(st). STORE_DONE, or the failing step's STORE_E_*.
 */
int store_read_ids(store_stmt *st, arena *a, long long **ids, int *n);

#endif
