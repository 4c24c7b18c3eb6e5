/*
 * ref_gen_batch.c: multi-row inserts for chis gen referrals (see
 * ref_gen_internal.h). Values are copied into the batch as they come and
 * bound when the batch is full, through one statement the store prepares
 * once: "INSERT INTO t (...) VALUES ($1, $2), ($3, $4), ...".
 */
#include "domain/ref_gen_internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct value {
    char type; /* 'i', 'd', 't', 'n' */
    long long i;
    double d;
    size_t off; /* text: where in b->text */
};

struct rg_batch {
    store_conn *db;
    struct rg_batch *parent;
    const char *head;
    int ncols, cap, rows, nvals;
    struct value *vals;
    char *text;
    size_t ntext, captext;
    char *full_sql;    /* the statement for cap rows */
    char *pow_sql[16]; /* for 1, 2, 4 ... rows (a partial batch goes in such chunks) */
};

/* The INSERT for rows rows of b's table. Caller frees it. */
static char *insert_sql(const struct rg_batch *b, int rows)
{
    size_t cap = strlen(b->head) + 16 + (size_t)rows * (size_t)b->ncols * 9;
    char *s = malloc(cap);
    if (!s) return NULL;
    size_t k = (size_t)snprintf(s, cap, "%s VALUES ", b->head);
    int n = 1;
    for (int r = 0; r < rows; r++) {
        s[k++] = r ? ',' : ' ';
        s[k++] = '(';
        for (int c = 0; c < b->ncols; c++)
            k += (size_t)snprintf(s + k, cap - k, "%s$%d", c ? "," : "", n++);
        s[k++] = ')';
    }
    s[k] = '\0';
    return s;
}

/* See ref_gen_internal.h. */
struct rg_batch *rg_batch_new(store_conn *db, const char *head, int ncols, struct rg_batch *parent)
{
    struct rg_batch *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->db = db;
    b->head = head;
    b->parent = parent;
    b->ncols = ncols;
    b->cap = 250 / ncols < 16 ? 250 / ncols : 16;
    if (b->cap < 1) b->cap = 1;
    b->vals = malloc(sizeof *b->vals * (size_t)(b->cap * ncols));
    b->captext = 1 << 16;
    b->text = malloc(b->captext);
    b->full_sql = insert_sql(b, b->cap);
    if (!b->vals || !b->text || !b->full_sql) {
        rg_batch_free(b);
        return NULL;
    }
    return b;
}

/* See ref_gen_internal.h. */
void rg_batch_free(struct rg_batch *b)
{
    if (!b) return;
    free(b->vals);
    free(b->text);
    free(b->full_sql);
    for (int i = 0; i < 16; i++)
        free(b->pow_sql[i]);
    free(b);
}

/* The next value of the row being added, an integer. See ref_gen_internal.h. */
void rg_int(struct rg_batch *b, long long v)
{
    b->vals[b->nvals++] = (struct value){.type = 'i', .i = v};
}

/* The next value, a real. */
void rg_real(struct rg_batch *b, double v)
{
    b->vals[b->nvals++] = (struct value){.type = 'd', .d = v};
}

/* The next value, a null. */
void rg_null(struct rg_batch *b)
{
    b->vals[b->nvals++] = (struct value){.type = 'n'};
}

/* The next value, a text (copied; NULL is a null). */
void rg_text(struct rg_batch *b, const char *s)
{
    if (!s) {
        rg_null(b);
        return;
    }
    size_t n = strlen(s) + 1;
    if (b->ntext + n > b->captext) {
        while (b->ntext + n > b->captext)
            b->captext *= 2;
        char *t = realloc(b->text, b->captext);
        if (!t) abort(); /* as the store does when memory runs out */
        b->text = t;
    }
    memcpy(b->text + b->ntext, s, n);
    b->vals[b->nvals++] = (struct value){.type = 't', .off = b->ntext};
    b->ntext += n;
}

/* See ref_gen_internal.h. */
int rg_flush(struct rg_batch *b)
{
    if (b->parent) {
        int rc = rg_flush(b->parent);
        if (rc < 0) return rc;
    }
    /* A full batch in one statement; a partial one in chunks of 2^k rows,
     * so that only a few statements are ever prepared. */
    int at = 0, rc = 0;
    while (rc == 0 && at < b->rows) {
        int left = b->rows - at, k = 0, n = left;
        const char *sql = b->full_sql;
        if (left < b->cap) {
            while ((2 << k) <= left && k < 15)
                k++;
            n = 1 << k;
            if (!b->pow_sql[k] && !(b->pow_sql[k] = insert_sql(b, n))) return STORE_E_ERROR;
            sql = b->pow_sql[k];
        } else {
            n = b->cap;
        }
        store_stmt *st = store_prepare(b->db, sql);
        if (!st) return STORE_E_ERROR;
        int first = at * b->ncols;
        for (int i = 0; i < n * b->ncols; i++) {
            const struct value *v = &b->vals[first + i];
            switch (v->type) {
            case 'i':
                store_bind_int(st, i + 1, v->i);
                break;
            case 'd':
                store_bind_double(st, i + 1, v->d);
                break;
            case 't':
                store_bind_text(st, i + 1, b->text + v->off);
                break;
            default:
                store_bind_null(st, i + 1);
            }
        }
        int step = store_step(st);
        store_done(st);
        rc = step == STORE_DONE ? 0 : step < 0 ? step : STORE_E_ERROR;
        at += n;
    }
    b->rows = b->nvals = 0;
    b->ntext = 0;
    return rc;
}

/* See ref_gen_internal.h. */
int rg_row(struct rg_batch *b)
{
    return ++b->rows == b->cap ? rg_flush(b) : 0;
}
