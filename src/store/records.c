/*
 * records.c: SQL generated from struct store_table. Identifiers are pasted
 * into the SQL text (they come from static descriptions in code); values are
 * always bound as $n parameters. The statement cache keys on SQL text, so
 * each distinct shape of query is compiled once per connection.
 */
#include "store/records.h"

#include "base/buf.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct store_column *store_table_col(const struct store_table *t, int i)
{
    return (const struct store_column *)((const char *)t->cols + (size_t)i * t->stride);
}

static void put_select_list(buf *b, const struct store_table *t)
{
    buf_puts(b, "SELECT id, created_at, updated_at");
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || col->hidden) continue;
        buf_printf(b, ", %s", col->name);
    }
}

/* Read the current row of st (laid out by put_select_list) into a new record. */
static rec *row_to_rec(store_stmt *st, const struct store_table *t, arena *a)
{
    rec *r = rec_new(a);
    rec_set_int(r, "id", store_col_int(st, 0));
    int k = 3;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || col->hidden) continue;
        if (store_col_null(st, k))
            rec_set_null(r, col->name);
        else if (col->kind == COL_INT)
            rec_set_int(r, col->name, store_col_int(st, k));
        else if (col->kind == COL_BOOL)
            rec_set_bool(r, col->name, store_col_int(st, k) != 0);
        else
            rec_set_text(r, col->name, store_col_text(st, k));
        k++;
    }
    rec_set_text(r, "created_at", store_col_text(st, 1));
    rec_set_text(r, "updated_at", store_col_text(st, 2));
    return r;
}

/*
 * Fill the id-set columns of rows (ids between lo and hi) with one query per
 * set column over the id range, rather than one query per row.
 */
static int load_idsets(store_conn *c, const struct store_table *t, rec **rows, int n, arena *a)
{
    if (n == 0) return 0;
    long long lo = rec_int(rows[0], "id", 0), hi = lo;
    for (int i = 1; i < n; i++) {
        long long id = rec_int(rows[i], "id", 0);
        if (id < lo) lo = id;
        if (id > hi) hi = id;
    }
    for (int ci = 0; ci < t->ncols; ci++) {
        const struct store_column *col = store_table_col(t, ci);
        if (col->kind != COL_IDSET) continue;
        buf sql;
        buf_init(&sql, a, 160);
        buf_printf(&sql, "SELECT %s, %s FROM %s WHERE %s BETWEEN $1 AND $2 ORDER BY %s, %s",
                   col->link_self, col->link_other, col->link_table, col->link_self, col->link_self,
                   col->link_other);
        store_stmt *st = store_prepare(c, sql.data);
        if (!st) return STORE_E_ERROR;
        store_bindf(st, "ii", lo, hi);
        /* Collect pairs, then hand each row its run. */
        size_t cap = 64, len = 0;
        long long *pairs = malloc(sizeof *pairs * cap * 2);
        if (!pairs) abort();
        int s;
        while ((s = store_step(st)) == STORE_ROW) {
            if (len == cap) {
                cap *= 2;
                pairs = realloc(pairs, sizeof *pairs * cap * 2);
                if (!pairs) abort();
            }
            pairs[len * 2] = store_col_int(st, 0);
            pairs[len * 2 + 1] = store_col_int(st, 1);
            len++;
        }
        store_done(st);
        if (s < 0) {
            free(pairs);
            return s;
        }
        long long *ids = arena_alloc(a, sizeof *ids * (len ? len : 1));
        for (int i = 0; i < n; i++) {
            long long id = rec_int(rows[i], "id", 0);
            int m = 0;
            for (size_t p = 0; p < len; p++)
                if (pairs[p * 2] == id) ids[m++] = pairs[p * 2 + 1];
            rec_set_ids(rows[i], col->name, ids, m);
        }
        free(pairs);
    }
    return 0;
}

/* Fetch one row by id into *out (arena a): 1 found, 0 not found, or STORE_E_*. */
int store_rec_get(store_conn *c, const struct store_table *t, long long id, arena *a, rec **out)
{
    buf sql;
    buf_init(&sql, a, 256);
    put_select_list(&sql, t);
    buf_printf(&sql, " FROM %s WHERE id = $1", t->table);
    store_stmt *st = store_prepare(c, sql.data);
    if (!st) return STORE_E_ERROR;
    store_bind_int(st, 1, id);
    int s = store_step(st);
    if (s != STORE_ROW) {
        store_done(st);
        return s;
    }
    rec *r = row_to_rec(st, t, a);
    store_done(st);
    int rc = load_idsets(c, t, &r, 1, a);
    if (rc < 0) return rc;
    *out = r;
    return 1;
}

static int bind_val(store_stmt *st, int idx, const struct val *v)
{
    switch (v->type) {
    case VAL_NULL:
        return store_bind_null(st, idx);
    case VAL_INT:
    case VAL_BOOL:
        return store_bind_int(st, idx, v->i);
    case VAL_TEXT:
        return store_bind_text(st, idx, v->s);
    case VAL_IDS:
        return -1;
    }
    return -1;
}

/* Replace the link rows of every id-set column present in r. */
static int write_idsets(store_conn *c, const struct store_table *t, long long id, const rec *r,
                        arena *a)
{
    for (int ci = 0; ci < t->ncols; ci++) {
        const struct store_column *col = store_table_col(t, ci);
        if (col->kind != COL_IDSET) continue;
        const struct val *v = rec_get(r, col->name);
        if (!v) continue;
        char *del =
            arena_printf(a, "DELETE FROM %s WHERE %s = $1", col->link_table, col->link_self);
        long long rc = store_run(c, del, "i", id);
        if (rc < 0) return (int)rc;
        char *ins = arena_printf(a, "INSERT INTO %s (%s, %s) VALUES ($1, $2)", col->link_table,
                                 col->link_self, col->link_other);
        for (int k = 0; v->type == VAL_IDS && k < v->nids; k++) {
            rc = store_run(c, ins, "ii", id, v->ids[k]);
            if (rc < 0) return (int)rc;
        }
    }
    return 0;
}

/*
 * Insert r's described fields with created_at = updated_at = now. Returns the
 * new id or a STORE_E_* code. The caller runs this inside a transaction when
 * the record has id sets, so the row and its links land together.
 */
long long store_rec_insert(store_conn *c, const struct store_table *t, const rec *r,
                           const char *now)
{
    arena *a = r->a;
    buf sql, vals;
    buf_init(&sql, a, 256);
    buf_init(&vals, a, 64);
    buf_printf(&sql, "INSERT INTO %s (created_at, updated_at", t->table);
    buf_puts(&vals, "$1, $1");
    int n = 1;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || !rec_has(r, col->name)) continue;
        buf_printf(&sql, ", %s", col->name);
        buf_printf(&vals, ", $%d", ++n);
    }
    buf_printf(&sql, ") VALUES (%s) RETURNING id", vals.data);
    store_stmt *st = store_prepare(c, sql.data);
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, now);
    n = 1;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || !rec_has(r, col->name)) continue;
        bind_val(st, ++n, rec_get(r, col->name));
    }
    int s = store_step(st);
    long long id = s == STORE_ROW ? store_col_int(st, 0) : s;
    if (s == STORE_ROW) s = store_step(st); /* finish the statement so the insert completes */
    store_done(st);
    if (s < 0) return s;
    if (id <= 0) return STORE_E_ERROR;
    int rc = write_idsets(c, t, id, r, a);
    return rc < 0 ? rc : id;
}

/* Update the described fields present in r; 1, 0 (no such row) or STORE_E_*. */
int store_rec_update(store_conn *c, const struct store_table *t, long long id, const rec *r,
                     const char *now)
{
    arena *a = r->a;
    buf sql;
    buf_init(&sql, a, 256);
    buf_printf(&sql, "UPDATE %s SET updated_at = $1", t->table);
    int n = 1;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || !rec_has(r, col->name)) continue;
        buf_printf(&sql, ", %s = $%d", col->name, ++n);
    }
    buf_printf(&sql, " WHERE id = $%d", n + 1);
    store_stmt *st = store_prepare(c, sql.data);
    if (!st) return STORE_E_ERROR;
    store_bind_text(st, 1, now);
    n = 1;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_column *col = store_table_col(t, i);
        if (col->kind == COL_IDSET || !rec_has(r, col->name)) continue;
        bind_val(st, ++n, rec_get(r, col->name));
    }
    store_bind_int(st, n + 1, id);
    int s = store_step(st);
    store_done(st);
    if (s < 0) return s;
    if (store_changes(c) == 0) return 0;
    int rc = write_idsets(c, t, id, r, a);
    return rc < 0 ? rc : 1;
}

/* Delete row id and its link rows; 1, 0 (no such row) or STORE_E_*. */
int store_rec_delete(store_conn *c, const struct store_table *t, long long id)
{
    char sql[256];
    for (int ci = 0; ci < t->ncols; ci++) {
        const struct store_column *col = store_table_col(t, ci);
        if (col->kind != COL_IDSET) continue;
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = $1", col->link_table, col->link_self);
        long long rc = store_run(c, sql, "i", id);
        if (rc < 0) return (int)rc;
    }
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = $1", t->table);
    long long n = store_run(c, sql, "i", id);
    if (n < 0) return (int)n;
    return n > 0 ? 1 : 0;
}

/* See records.h: user text as a LIKE pattern matching it literally anywhere. */
char *store_like_contains(arena *a, const char *s)
{
    buf b;
    buf_init(&b, a, strlen(s) + 8);
    buf_putc(&b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    buf_putc(&b, '%');
    return b.data;
}

static void put_where(buf *sql, const struct store_table *t, const struct store_filter *f, int nf,
                      int *n)
{
    for (int i = 0; i < nf; i++) {
        const struct store_filter_spec *sp = f[i].spec;
        buf_puts(sql, i == 0 ? " WHERE " : " AND ");
        switch (sp->kind) {
        case FILTER_EQ:
            buf_printf(sql, "%s.%s = $%d", t->table, sp->column, ++*n);
            break;
        case FILTER_SET:
        case FILTER_VIA:
            buf_printf(sql, "EXISTS (SELECT 1 FROM %s l WHERE l.%s = %s.%s AND l.%s = $%d)",
                       sp->link_table, sp->link_self, t->table,
                       sp->kind == FILTER_SET ? "id" : sp->column, sp->link_other, ++*n);
            break;
        case FILTER_TEXT: {
            ++*n;
            buf_putc(sql, '(');
            const char *cols = sp->column;
            bool first = true;
            while (*cols) {
                size_t len = strcspn(cols, ",");
                buf_printf(sql, "%slower(%s.%.*s) LIKE lower($%d) ESCAPE '\\'", first ? "" : " OR ",
                           t->table, (int)len, cols, *n);
                first = false;
                cols += len;
                if (*cols == ',') cols++;
            }
            buf_putc(sql, ')');
            break;
        }
        }
    }
}

static void bind_filters(store_stmt *st, const struct store_filter *f, int nf, arena *a)
{
    for (int i = 0; i < nf; i++) {
        const struct store_filter_spec *sp = f[i].spec;
        if (sp->kind == FILTER_TEXT)
            store_bind_text(st, i + 1, store_like_contains(a, f[i].s));
        else if (sp->kind == FILTER_EQ && sp->is_text)
            store_bind_text(st, i + 1, f[i].s);
        else
            store_bind_int(st, i + 1, f[i].i);
    }
}

/*
 * One page of matching rows, ordered by t->order_by then id, with the total
 * count of matches. Rows belong to arena a.
 */
int store_rec_list(store_conn *c, const struct store_table *t, const struct store_filter *filters,
                   int nfilters, long long limit, long long offset, arena *a,
                   struct store_page *page)
{
    buf sql;
    int n = 0;
    buf_init(&sql, a, 512);
    buf_printf(&sql, "SELECT count(*) FROM %s", t->table);
    put_where(&sql, t, filters, nfilters, &n);
    store_stmt *st = store_prepare(c, sql.data);
    if (!st) return STORE_E_ERROR;
    bind_filters(st, filters, nfilters, a);
    int s = store_step(st);
    page->total = s == STORE_ROW ? store_col_int(st, 0) : 0;
    store_done(st);
    if (s < 0) return s;

    buf_init(&sql, a, 512);
    put_select_list(&sql, t);
    buf_printf(&sql, " FROM %s", t->table);
    n = 0;
    put_where(&sql, t, filters, nfilters, &n);
    buf_printf(&sql, " ORDER BY %s, id LIMIT $%d OFFSET $%d", t->order_by ? t->order_by : "id",
               n + 1, n + 2);
    st = store_prepare(c, sql.data);
    if (!st) return STORE_E_ERROR;
    bind_filters(st, filters, nfilters, a);
    store_bind_int(st, n + 1, limit);
    store_bind_int(st, n + 2, offset);
    int cap = limit > 0 && limit < 1000 ? (int)limit : 16;
    page->rows = arena_alloc(a, sizeof *page->rows * (size_t)cap);
    page->nrows = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        if (page->nrows == cap) {
            rec **more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, page->rows, sizeof *more * (size_t)cap);
            page->rows = more;
            cap *= 2;
        }
        page->rows[page->nrows++] = row_to_rec(st, t, a);
    }
    store_done(st);
    if (s < 0) return s;
    return load_idsets(c, t, page->rows, page->nrows, a) < 0 ? STORE_E_ERROR : 0;
}

long long store_count_where(store_conn *c, const char *table, const char *column, long long id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = $1", table, column);
    long long n = 0;
    int rc = store_query_int(c, &n, sql, "i", id);
    return rc < 0 ? rc : n;
}

int store_exists(store_conn *c, const char *table, long long id)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1", table);
    long long one = 0;
    return store_query_int(c, &one, sql, "i", id);
}

/* See records.h: the current row as a record of the columns described. */
rec *store_row_rec(store_stmt *st, const struct store_column *cols, int n, arena *a)
{
    rec *r = rec_new(a);
    for (int i = 0; i < n; i++) {
        if (store_col_null(st, i))
            rec_set_null(r, cols[i].name);
        else if (cols[i].kind == COL_INT)
            rec_set_int(r, cols[i].name, store_col_int(st, i));
        else if (cols[i].kind == COL_BOOL)
            rec_set_bool(r, cols[i].name, store_col_int(st, i) != 0);
        else
            rec_set_text(r, cols[i].name, store_col_text(st, i));
    }
    return r;
}

/* See records.h: the first allocation holds 8 rows. */
void store_page_push(struct store_page *page, int *cap, rec *row, arena *a)
{
    if (page->nrows == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        rec **rows = arena_alloc(a, sizeof *rows * (size_t)*cap);
        if (page->nrows) memcpy(rows, page->rows, sizeof *rows * (size_t)page->nrows);
        page->rows = rows;
    }
    page->rows[page->nrows++] = row;
}

/* See records.h. */
int store_page_read(store_stmt *st, const struct store_column *cols, int n, arena *a,
                    struct store_page *page)
{
    int cap = 8, s;
    page->nrows = 0;
    page->rows = arena_alloc(a, sizeof *page->rows * (size_t)cap);
    while ((s = store_step(st)) == STORE_ROW)
        store_page_push(page, &cap, store_row_rec(st, cols, n, a), a);
    store_done(st);
    page->total = page->nrows;
    return s < 0 ? s : STORE_DONE;
}

/* See records.h: the array starts with room for 16 and doubles. */
int store_read_ids(store_stmt *st, arena *a, long long **ids, int *n)
{
    int cap = 16, s;
    long long *v = arena_alloc(a, sizeof *v * (size_t)cap);
    *n = 0;
    while ((s = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            long long *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            memcpy(more, v, sizeof *v * (size_t)cap);
            v = more;
            cap *= 2;
        }
        v[(*n)++] = store_col_int(st, 0);
    }
    store_done(st);
    *ids = v;
    return s < 0 ? s : STORE_DONE;
}
