/*
 * dir_import_csv.c: CSV files into tables of rows that remember the line
 * they started on, so every problem can name it; and the pointer map
 * the importer finds each object's origin with.
 *
 * Parsing is libcsv's (RFC 4180 quoting, either line end). It is fed one
 * physical line at a time: a record's first line is the line on which the
 * first non-empty line after the previous record began, however many lines
 * its quoted fields span.
 */
#include "domain/dir_import_internal.h"

#include "base/text.h"

#include <csv.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* ---- pointer map ---- */

/* Size a pointer map for about expect keys. */
void ptrmap_init(struct ptrmap *m, arena *a, size_t expect)
{
    size_t cap = map_slots(expect, 64);
    m->a = a;
    m->cap = cap;
    m->n = 0;
    m->keys = arena_alloc(a, cap * sizeof *m->keys);
    m->vals = arena_alloc_raw(a, cap * sizeof *m->vals);
}

/* Forget every entry (keeps the storage for the next document). */
void ptrmap_clear(struct ptrmap *m)
{
    if (m->n) memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->n = 0;
}

/* The slot holding k, or the empty slot where it would go. */
static size_t ptr_slot(const struct ptrmap *m, const void *k)
{
    uintptr_t h = (uintptr_t)k;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 7) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Remember where the object k came from (growing the table as needed). */
void ptrmap_put(struct ptrmap *m, const void *k, struct origin v)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct ptrmap bigger;
        ptrmap_init(&bigger, m->a, m->cap);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = ptr_slot(&bigger, m->keys[i]);
                bigger.keys[j] = m->keys[i];
                bigger.vals[j] = m->vals[i];
                bigger.n++;
            }
        *m = bigger;
    }
    size_t i = ptr_slot(m, k);
    if (!m->keys[i]) m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
}

/* Where the object k came from, or NULL. */
const struct origin *ptrmap_get(const struct ptrmap *m, const void *k)
{
    if (!m->cap) return NULL;
    size_t i = ptr_slot(m, k);
    return m->keys[i] ? &m->vals[i] : NULL;
}

/* ---- CSV ---- */

#define CSV_MAX_FIELD (1 << 20)
#define CSV_MAX_FIELDS 512

/* The parse in progress: the record being collected and the table. */
struct csv_state {
    arena *a;
    struct csv_table *t;
    char *fields[CSV_MAX_FIELDS];
    int nf;
    bool too_many;
    long line;       /* the physical line being fed */
    long start_line; /* where the record being collected began; 0 none */
    size_t rows_cap;
};

/* libcsv's field callback: copy the field into the arena. */
static void on_field(void *s, size_t len, void *data)
{
    struct csv_state *st = data;
    if (st->nf >= CSV_MAX_FIELDS) {
        st->too_many = true;
        return;
    }
    if (len > CSV_MAX_FIELD) len = CSV_MAX_FIELD; /* reported by the size check below */
    st->fields[st->nf++] = arena_strndup(st->a, s ? s : "", s ? len : 0);
}

/* Lower-case and trim a header name in place. */
static char *header_name(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

/* libcsv's record callback: the header first, then data rows. */
static void on_record(int ch, void *data)
{
    (void)ch;
    struct csv_state *st = data;
    struct csv_table *t = st->t;
    long line = st->start_line ? st->start_line : st->line;
    st->start_line = 0;
    int nf = st->nf;
    st->nf = 0;
    if (!t->cols) {
        t->ncols = nf;
        t->cols = arena_alloc(st->a, (size_t)(nf ? nf : 1) * sizeof *t->cols);
        for (int i = 0; i < nf; i++)
            t->cols[i] = header_name(st->fields[i]);
        return;
    }
    bool blank = true;
    for (int i = 0; i < nf && blank; i++)
        blank = st->fields[i][0] == '\0';
    if (blank) return; /* ",,,," is a spreadsheet's empty line */
    if (t->nrows == st->rows_cap) {
        size_t cap = st->rows_cap ? st->rows_cap * 2 : 256;
        struct csv_row *rows = arena_alloc_raw(st->a, cap * sizeof *rows);
        if (t->nrows) memcpy(rows, t->rows, t->nrows * sizeof *rows);
        t->rows = rows;
        st->rows_cap = cap;
    }
    struct csv_row *r = &t->rows[t->nrows++];
    r->line = line;
    r->nf = nf;
    r->state = ROW_OK;
    r->problem = NULL;
    for (int i = 0; i < nf && !r->problem; i++)
        if (!text_utf8_valid(st->fields[i]))
            r->problem =
                arena_printf(st->a, "%s is not UTF-8 text", i < t->ncols ? t->cols[i] : "a field");
    if (nf > t->ncols)
        for (int i = t->ncols; i < nf && !r->problem; i++)
            if (st->fields[i][0])
                r->problem = arena_printf(st->a, "the row has %d fields but the header names %d",
                                          nf, t->ncols);
    r->f = arena_alloc_raw(st->a, (size_t)(nf ? nf : 1) * sizeof *r->f);
    memcpy(r->f, st->fields, (size_t)nf * sizeof *r->f);
}

/* Is this physical line empty (only a line end)? */
static bool empty_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n') return false;
    return true;
}

/* The length of the physical line at s with its end: LF, CRLF, or a CR
 * alone (old Mac files), each of which libcsv also takes as a record's end. */
static size_t line_length(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') return i + 1;
        if (s[i] == '\r') return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return len;
}

/* Read CSV text into a table of rows (see dir_import_internal.h). */
int csv_table_read(arena *a, const char *data, size_t len, const char *file, struct csv_table *t)
{
    memset(t, 0, sizeof *t);
    t->file = file;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
        t->error = "cannot start the CSV parser";
        return -1;
    }
    struct csv_state *st = arena_alloc(a, sizeof *st);
    st->a = a;
    st->t = t;
    size_t off = 0;
    while (off < len) {
        size_t n = line_length(data + off, len - off);
        st->line++;
        if (st->start_line == 0 && !empty_line(data + off, n)) st->start_line = st->line;
        if (csv_parse(&p, data + off, n, on_field, on_record, st) != n) {
            t->error = csv_strerror(csv_error(&p));
            t->error_line = st->line;
            csv_free(&p);
            return -1;
        }
        if (csv_get_buffer_size(&p) > CSV_MAX_FIELD) {
            t->error = "a field is longer than 1 MB (an unterminated quote?)";
            t->error_line = st->start_line ? st->start_line : st->line;
            csv_free(&p);
            return -1;
        }
        if (st->too_many) {
            t->error = "a row has more than 512 fields";
            t->error_line = st->start_line ? st->start_line : st->line;
            csv_free(&p);
            return -1;
        }
        off += n;
    }
    long open_line = st->start_line;
    /* libcsv reports an unclosed quote only in strict mode, which also
     * refuses the stray quotes real feeds have inside unquoted fields
     * ("5'6\" tall"); so ask its state directly: a field begun (2) and
     * quoted when the text ends. */
    if ((p.pstate == 2 && p.quoted) || csv_fini(&p, on_field, on_record, st) != 0) {
        t->error = "a quoted field is not closed before the end of the file";
        t->error_line = open_line ? open_line : st->line;
        csv_free(&p);
        return -1;
    }
    csv_free(&p);
    if (!t->cols || t->ncols == 0) {
        t->error = "no header row";
        t->error_line = 1;
        return -1;
    }
    return 0;
}

/* The index of the column named name, or -1. */
int csv_col(const struct csv_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0) return i;
    return -1;
}

/* A field of a row, "" when absent. */
const char *csv_get(const struct csv_row *r, int col)
{
    if (col < 0 || col >= r->nf) return "";
    return r->f[col];
}
