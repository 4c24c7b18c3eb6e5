/*
 * entity.c: validation, authorisation, references and audit for every kind
 * of record described by a struct entity. Each public function leaves its
 * reasons in the ctx when it fails and changes nothing.
 */
#include "domain/entity.h"

#include "base/buf.h"
#include "base/text.h"
#include "domain/audit.h"
#include "store/qbuild.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct field_rule *entity_field(const struct entity *e, const char *name)
{
    for (int i = 0; i < e->nfields; i++)
        if (strcmp(e->fields[i].col.name, name) == 0) return &e->fields[i];
    return NULL;
}

static bool is_extra_input(const struct entity *e, const char *name)
{
    for (const char *const *x = e->extra_inputs; x && *x; x++)
        if (strcmp(*x, name) == 0) return true;
    return false;
}

static bool valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254) return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0') return false;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == '"' || *p == ',')
            return false;
    return true;
}

/*
 * Normalise a UK postcode to upper case with one space before the inward
 * code ("ls1 4ap" -> "LS1 4AP"). NULL when it is not postcode-shaped.
 */
static char *normal_postcode(arena *a, const char *s)
{
    char compact[16];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ') continue;
        if (!isalnum((unsigned char)*s) || n >= 7) return NULL;
        compact[n++] = (char)toupper((unsigned char)*s);
    }
    if (n < 5) return NULL;
    /* inward code: digit, letter, letter; outward: letter first, 2-4 chars */
    const char *in = compact + n - 3;
    if (!isdigit((unsigned char)in[0]) || !isalpha((unsigned char)in[1]) ||
        !isalpha((unsigned char)in[2]) || !isalpha((unsigned char)compact[0]))
        return NULL;
    return arena_printf(a, "%.*s %.3s", (int)(n - 3), compact, in);
}

static bool in_choices(const char *const *choices, const char *s)
{
    for (; choices && *choices; choices++)
        if (strcmp(*choices, s) == 0) return true;
    return false;
}

static const char *choices_text(arena *a, const char *const *choices)
{
    buf b;
    buf_init(&b, a, 64);
    for (int i = 0; choices && choices[i]; i++) {
        if (i) buf_puts(&b, choices[i + 1] ? ", " : " or ");
        buf_puts(&b, choices[i]);
    }
    return b.data;
}

/* Validate and normalise one present field value in place. */
static void validate_field(struct ctx *c, const struct field_rule *f, rec *in)
{
    const char *name = f->col.name;
    const struct val *v = rec_get(in, name);
    int maxlen = f->maxlen ? f->maxlen : f->type == F_LONGTEXT ? 4000 : 200;

    if (v->type == VAL_TEXT && f->type != F_INT && f->type != F_REF && f->type != F_BOOL) {
        char *t = text_trimmed(c->a, v->s);
        if (*t == '\0') {
            rec_set_null(in, name);
            v = rec_get(in, name);
        } else {
            rec_set_text(in, name, t);
            v = rec_get(in, name);
        }
    }
    if (v->type == VAL_NULL && f->zero_default) {
        rec_set_int(in, name, 0);
        return;
    }
    if (v->type == VAL_NULL) {
        if (f->required)
            ctx_field_error(c, name, "Enter the %s", f->label);
        else if (f->type == F_BOOL)
            ctx_field_error(c, name, "The %s must be true or false", f->label);
        return;
    }
    switch (f->type) {
    case F_TEXT:
    case F_LONGTEXT:
    case F_EMAIL:
    case F_PHONE:
    case F_URL:
    case F_POSTCODE:
    case F_ENUM:
    case F_DATE:
        if (v->type != VAL_TEXT) {
            ctx_field_error(c, name, "The %s must be text", f->label);
            return;
        }
        if (!text_utf8_valid(v->s)) {
            ctx_field_error(c, name, "The %s must be valid UTF-8 text", f->label);
            return;
        }
        if (text_has_unsafe_chars(v->s, f->type == F_LONGTEXT)) {
            ctx_field_error(c, name, "The %s must not contain control or text-direction characters",
                            f->label);
            return;
        }
        if (text_utf8_len(v->s) > (size_t)maxlen) {
            ctx_field_error(c, name, "The %s must be %d characters or fewer", f->label, maxlen);
            return;
        }
        break;
    default:
        break;
    }
    switch (f->type) {
    case F_EMAIL:
        if (!valid_email(v->s)) {
            ctx_field_error(c, name, "Enter the %s in the correct format, like name@example.org",
                            f->label);
            return;
        }
        {
            char *lower = arena_strdup(c->a, v->s);
            for (char *p = lower; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            rec_set_text(in, name, lower);
        }
        break;
    case F_PHONE:
        if (!text_phone_valid(v->s))
            ctx_field_error(c, name, "Enter the %s as digits, like 01632 960 001", f->label);
        break;
    case F_URL:
        if (strncmp(v->s, "https://", 8) != 0 && strncmp(v->s, "http://", 7) != 0)
            ctx_field_error(c, name, "The %s must start with https:// or http://", f->label);
        else if (strchr(v->s, ' '))
            ctx_field_error(c, name, "The %s must not contain spaces", f->label);
        break;
    case F_POSTCODE: {
        char *pc = normal_postcode(c->a, v->s);
        if (!pc)
            ctx_field_error(c, name, "Enter a real postcode, like LS1 4AP");
        else
            rec_set_text(in, name, pc);
        break;
    }
    case F_DATE:
        if (!text_date_valid(v->s))
            ctx_field_error(c, name, "Enter the %s as a real date, like 2026-11-26", f->label);
        break;
    case F_ENUM:
        if (!in_choices(f->choices, v->s))
            ctx_field_error(c, name, "The %s must be one of: %s", f->label,
                            choices_text(c->a, f->choices));
        break;
    case F_BOOL:
        if (v->type != VAL_BOOL) ctx_field_error(c, name, "The %s must be true or false", f->label);
        break;
    case F_INT:
        if (v->type != VAL_INT) {
            ctx_field_error(c, name, "The %s must be a whole number", f->label);
        } else if (v->i < f->min || v->i > f->max) {
            ctx_field_error(c, name, "The %s must be between %lld and %lld", f->label, f->min,
                            f->max);
        }
        break;
    case F_REF:
        if (v->type != VAL_INT || v->i <= 0) {
            ctx_field_error(c, name, "The %s must be the id of a %s", f->label, f->label);
        } else {
            int rc = store_exists(c->db, f->ref_table, v->i);
            if (rc == 0) ctx_field_error(c, name, "There is no %s with id %lld", f->label, v->i);
        }
        break;
    case F_REFSET: {
        if (v->type != VAL_IDS) {
            ctx_field_error(c, name, "The %s must be a list of ids", f->label);
            break;
        }
        long long *uniq = arena_alloc(c->a, sizeof *uniq * (size_t)(v->nids + 1));
        int m = 0;
        for (int i = 0; i < v->nids; i++) {
            bool seen = false;
            for (int k = 0; k < m; k++)
                seen = seen || uniq[k] == v->ids[i];
            if (seen) continue;
            if (v->ids[i] <= 0 || store_exists(c->db, f->ref_table, v->ids[i]) != 1) {
                ctx_field_error(c, name, "There is no %s with id %lld", f->label, v->ids[i]);
                return;
            }
            uniq[m++] = v->ids[i];
        }
        rec_set_ids(in, name, uniq, m);
        break;
    }
    default:
        break;
    }
}

/*
 * Say which field clashes with another row, rather than leave it to a bare
 * constraint error. Text compares without case ("riverside" and "Riverside"
 * name one place); unique_within limits the comparison to rows sharing that
 * column's value (a neighbourhood's name is unique within its place).
 */
static void check_unique(struct ctx *c, const struct entity *e, const struct field_rule *f,
                         const rec *in, const rec *existing)
{
    const char *name = f->col.name;
    const struct val *v = rec_get(in, name);
    if (!v && existing && f->unique_within && rec_has(in, f->unique_within))
        v = rec_get(existing, name); /* only the scope moved: the old value may now clash */
    if (!v || v->type == VAL_NULL) return;
    long long scope = 0;
    if (f->unique_within) {
        scope =
            rec_int(in, f->unique_within, existing ? rec_int(existing, f->unique_within, 0) : 0);
        if (!scope) return;
    }
    bool text = v->type == VAL_TEXT;
    char *sql =
        arena_printf(c->a, "SELECT id FROM %s WHERE %s%s%s = %s AND id <> $2%s%s%s", e->table.table,
                     text ? "lower(" : "", name, text ? ")" : "", text ? "lower($1)" : "$1",
                     f->unique_within ? " AND " : "", f->unique_within ? f->unique_within : "",
                     f->unique_within ? " = $3" : "");
    long long other = 0, self = existing ? rec_int(existing, "id", 0) : 0;
    int rc = f->unique_within
                 ? (text ? store_query_int(c->db, &other, sql, "tii", v->s, self, scope)
                         : store_query_int(c->db, &other, sql, "iii", v->i, self, scope))
                 : (text ? store_query_int(c->db, &other, sql, "ti", v->s, self)
                         : store_query_int(c->db, &other, sql, "ii", v->i, self));
    if (rc == 1)
        ctx_field_error(c, name, "A %s with this %s already exists%s", e->singular, f->label,
                        f->unique_within ? " there" : "");
}

/*
 * Check every input against the entity's fields. On create (existing NULL)
 * all required fields must be present. Unknown and read-only inputs are
 * errors, never silently dropped.
 */
static result validate(struct ctx *c, const struct entity *e, rec *in, const rec *existing)
{
    for (int i = 0; i < in->n; i++) {
        const char *name = in->f[i].name;
        const struct field_rule *f = entity_field(e, name);
        if (is_extra_input(e, name)) continue;
        if (!f || f->col.hidden)
            ctx_field_error(c, name, "'%s' is not a field of a %s", name, e->singular);
        else if (f->readonly)
            ctx_field_error(c, name, "The %s is set by the system and cannot be changed", f->label);
    }
    for (int i = 0; i < e->nfields; i++) {
        const struct field_rule *f = &e->fields[i];
        if (f->readonly || f->col.hidden) continue;
        if (rec_has(in, f->col.name))
            validate_field(c, f, in);
        else if (!existing && f->required)
            ctx_field_error(c, f->col.name, "Enter the %s", f->label);
    }
    for (int i = 0; i < e->nfields && c->nerrors == 0; i++) {
        const struct field_rule *f = &e->fields[i];
        if (f->unique) check_unique(c, e, f, in, existing);
        if (f->not_before) {
            const char *mine = rec_has(in, f->col.name) ? rec_text(in, f->col.name)
                               : existing               ? rec_text(existing, f->col.name)
                                                        : NULL;
            const char *other = rec_has(in, f->not_before) ? rec_text(in, f->not_before)
                                : existing                 ? rec_text(existing, f->not_before)
                                                           : NULL;
            const struct field_rule *of = entity_field(e, f->not_before);
            if (mine && other && strcmp(mine, other) < 0)
                ctx_field_error(c, f->col.name, "The %s must be on or after the %s", f->label,
                                of ? of->label : f->not_before);
        }
    }
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the %s's details", e->singular);
    if (e->check) {
        result r = e->check(c, e, in, existing);
        if (r == RES_INVALID && !c->detail)
            return ctx_fail(c, RES_INVALID, "Check the %s's details", e->singular);
        if (r != RES_OK) return r;
        if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the %s's details", e->singular);
    }
    return RES_OK;
}

int entity_load(struct ctx *c, const struct entity *e, long long id, rec **out)
{
    return store_rec_get(c->db, &e->table, id, c->a, out);
}

static result authorise(struct ctx *c, const struct entity *e, enum op op, const rec *existing,
                        const rec *proposed)
{
    if (c->by_operator) return RES_OK;
    if (!c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    entity_authorise_fn fn = e->authorise ? e->authorise : entity_authorise_leads;
    result r = fn(c, e, op, existing, proposed);
    if (r == RES_FORBIDDEN && !c->detail)
        return ctx_fail(c, RES_FORBIDDEN, "You do not have permission to do that");
    return r;
}

/* Finish a write: commit, or roll back and report; read back the row. */
static result finish_write(struct ctx *c, const struct entity *e, long long id, rec **out)
{
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    if (out) {
        int rc = entity_load(c, e, id, out);
        if (rc != 1) return ctx_store_failure(c, rc, "read back");
    }
    return RES_OK;
}

static result write_failed(struct ctx *c, const struct entity *e, long long code, const char *what)
{
    store_rollback(c->db);
    if (code == STORE_E_CONSTRAINT)
        return ctx_fail(c, RES_CONFLICT, "This %s conflicts with one that already exists",
                        e->singular);
    return ctx_store_failure(c, code, what);
}

/*
 * Create a record from input (normalised in place). On success *out (if not
 * NULL) is the stored record, read back from the store.
 */
result entity_create(struct ctx *c, const struct entity *e, rec *input, rec **out)
{
    result r = authorise(c, e, OP_CREATE, NULL, input);
    if (r != RES_OK) return r;
    r = validate(c, e, input, NULL);
    if (r != RES_OK) return r;
    /* Authorise again on the normalised record, whose ids are now known to exist. */
    r = authorise(c, e, OP_CREATE, NULL, input);
    if (r != RES_OK) return r;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    long long id = store_rec_insert(c->db, &e->table, input, c->now_iso);
    if (id <= 0) return write_failed(c, e, id, "insert");
    rec *after = NULL;
    int rc = entity_load(c, e, id, &after);
    if (rc != 1) return write_failed(c, e, rc, "read back");
    if (audit_record(c, "create", e->name, id, NULL, after) != RES_OK)
        return write_failed(c, e, STORE_E_ERROR, "audit");
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    if (out) *out = after;
    return RES_OK;
}

/* Read one record the actor may see; audited when it is personal data. */
result entity_get(struct ctx *c, const struct entity *e, long long id, rec **out)
{
    rec *row = NULL;
    int rc = entity_load(c, e, id, &row);
    if (rc < 0) return ctx_store_failure(c, rc, "get");
    if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no %s with id %lld", e->singular, id);
    result r = authorise(c, e, OP_READ, row, NULL);
    if (r == RES_FORBIDDEN)
        return ctx_fail(c, RES_NOT_FOUND, "There is no %s with id %lld", e->singular, id);
    if (r != RES_OK) return r;
    if (e->personal && audit_read(c, e->name, id, NULL, 0) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    *out = row;
    return RES_OK;
}

/*
 * Change the fields present in input. Absent fields keep their values; a
 * field given as null clears it (unless required).
 */
result entity_update(struct ctx *c, const struct entity *e, long long id, rec *input, rec **out)
{
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    rec *before = NULL;
    int rc = entity_load(c, e, id, &before);
    if (rc < 0) return write_failed(c, e, rc, "load");
    result r = rc == 0 ? ctx_fail(c, RES_NOT_FOUND, "There is no %s with id %lld", e->singular, id)
                       : authorise(c, e, OP_UPDATE, before, input);
    if (r == RES_OK) r = validate(c, e, input, before);
    if (r == RES_OK) {
        /* Authorisation sees the whole record as it would be after the change. */
        rec *merged = rec_new(c->a);
        for (int i = 0; i < before->n; i++)
            rec_set(merged, before->f[i].name, &before->f[i].v);
        for (int i = 0; i < input->n; i++)
            rec_set(merged, input->f[i].name, &input->f[i].v);
        r = authorise(c, e, OP_UPDATE, before, merged);
    }
    if (r != RES_OK) {
        store_rollback(c->db);
        return r;
    }
    rc = store_rec_update(c->db, &e->table, id, input, c->now_iso);
    if (rc < 0) return write_failed(c, e, rc, "update");
    rec *after = NULL;
    rc = entity_load(c, e, id, &after);
    if (rc != 1) return write_failed(c, e, rc, "read back");
    if (audit_record(c, "update", e->name, id, before, after) != RES_OK)
        return write_failed(c, e, STORE_E_ERROR, "audit");
    return finish_write(c, e, id, out);
}

/*
 * Delete a record nothing refers to. When something still refers to it the
 * answer is RES_CONFLICT and the detail says what, e.g. "3 neighbourhoods".
 */
result entity_delete(struct ctx *c, const struct entity *e, long long id)
{
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    rec *before = NULL;
    int rc = entity_load(c, e, id, &before);
    if (rc < 0) return write_failed(c, e, rc, "load");
    result r = rc == 0 ? ctx_fail(c, RES_NOT_FOUND, "There is no %s with id %lld", e->singular, id)
                       : authorise(c, e, OP_DELETE, before, NULL);
    if (r != RES_OK) {
        store_rollback(c->db);
        return r;
    }
    buf why;
    buf_init(&why, c->a, 128);
    for (int i = 0; i < e->nrefs; i++) {
        long long n = store_count_where(c->db, e->refs[i].table, e->refs[i].column, id);
        if (n < 0) return write_failed(c, e, n, "count references");
        if (n > 0) buf_printf(&why, "%s%lld %s", why.len ? ", " : "", n, e->refs[i].what);
    }
    if (why.len) {
        store_rollback(c->db);
        return ctx_fail(c, RES_CONFLICT, "This %s cannot be deleted because %s still refer to it",
                        e->singular, why.data);
    }
    rc = store_rec_delete(c->db, &e->table, id);
    if (rc < 0) return write_failed(c, e, rc, "delete");
    if (audit_record(c, "delete", e->name, id, before, NULL) != RES_OK)
        return write_failed(c, e, STORE_E_ERROR, "audit");
    return finish_write(c, e, id, NULL);
}

static const struct store_filter_spec *find_filter(const struct entity *e, const char *name)
{
    for (int i = 0; i < e->nfilters; i++)
        if (strcmp(e->filters[i].param, name) == 0) return &e->filters[i];
    return NULL;
}

result entity_list_access(struct ctx *c, const struct entity *e)
{
    return authorise(c, e, OP_READ, NULL, NULL);
}

bool entity_list_shared(const struct entity *e)
{
    return !e->personal;
}

/*
 * One page of the records the actor may see. Filters are those the entity
 * declares, all applied together (AND). An unknown filter or a bad value is
 * RES_INVALID naming the parameter.
 */
result entity_list(struct ctx *c, const struct entity *e, const struct list_query *q,
                   struct store_page *out)
{
    result r = authorise(c, e, OP_READ, NULL, NULL);
    if (r != RES_OK) return r;
    struct store_filter f[8];
    int nf = 0;
    for (int i = 0; i < q->n && nf < 8; i++) {
        const struct store_filter_spec *sp = find_filter(e, q->names[i]);
        if (!sp) {
            ctx_field_error(c, q->names[i], "'%s' is not a filter for %s", q->names[i], e->name);
            continue;
        }
        const char *v = q->values[i];
        if (!v || !*v) continue; /* an empty value is no filter, as forms send "All" */
        if (sp->kind == FILTER_TEXT || sp->is_text) {
            if (strlen(v) > 200 || !text_utf8_valid(v)) {
                ctx_field_error(c, sp->param,
                                "The search text must be valid text of 200 characters or fewer");
                continue;
            }
            if (sp->is_text) {
                const struct field_rule *fr = entity_field(e, sp->column);
                if (fr && fr->choices && !in_choices(fr->choices, v)) {
                    ctx_field_error(c, sp->param, "%s must be one of: %s", sp->param,
                                    choices_text(c->a, fr->choices));
                    continue;
                }
            }
            f[nf++] = (struct store_filter){sp, 0, v};
        } else {
            long long id = text_id(v);
            if (!id) {
                ctx_field_error(c, sp->param, "%s must be a positive whole number", sp->param);
                continue;
            }
            f[nf++] = (struct store_filter){sp, id, NULL};
        }
    }
    long long per, page;
    list_paging(c, q->per_page, q->page, &per, &page);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the list parameters");
    int rc = store_rec_list(c->db, &e->table, f, nf, per, (page - 1) * per, c->a, out);
    if (rc < 0) return ctx_store_failure(c, rc, "list");
    if (e->personal && out->nrows && audit_read(c, e->name, 0, out->rows, out->nrows) != RES_OK)
        return ctx_fail(c, RES_INTERNAL, "Something went wrong on our side.");
    return RES_OK;
}

/* See entity.h. Blank text is valid text, so it is checked like any. */
const char *entity_clean_text(struct ctx *c, const char *field, const char *s, int max)
{
    char *t = text_trimmed(c->a, s);
    if (!text_utf8_valid(t)) {
        ctx_field_error(c, field, "The %s must be valid UTF-8 text", field);
        return NULL;
    }
    if (text_has_unsafe_chars(t, true)) {
        ctx_field_error(c, field, "The %s must not contain control or text-direction characters",
                        field);
        return NULL;
    }
    if (text_utf8_len(t) > (size_t)max) {
        ctx_field_error(c, field, "The %s must be %d characters or fewer", field, max);
        return NULL;
    }
    return t;
}

/* See entity.h. */
void list_paging(struct ctx *c, long long per_page, long long page_in, long long *per,
                 long long *page)
{
    *per = per_page ? per_page : LIST_DEFAULT_PER_PAGE;
    *page = page_in ? page_in : 1;
    if (*per < 1 || *per > LIST_MAX_PER_PAGE)
        ctx_field_error(c, "per_page", "per_page must be between 1 and %d", LIST_MAX_PER_PAGE);
    if (*page < 1 || *page > 1000000)
        ctx_field_error(c, "page", "page must be between 1 and 1000000");
}

/* See entity.h. The count and the rows see the same WHERE and parameters;
 * LIMIT and OFFSET are added as parameters after the caller's. */
result list_read_page(struct ctx *c, const struct list_source *src, struct store_qb *b,
                      long long per, long long page, struct store_page *out)
{
    const char *what_count = arena_printf(c->a, "%s count", src->what);
    const char *what_list = arena_printf(c->a, "%s list", src->what);
    long long total = 0;
    store_stmt *st =
        store_qb_prepare(c->db, b, arena_printf(c->a, "%s%s", src->count, b->sql.data));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, what_count);
    int s = store_step(st);
    if (s == STORE_ROW) total = store_col_int(st, 0);
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, what_count);
    const char *where = arena_strdup(c->a, b->sql.data);
    const char *lim = store_qb_int(c->a, b, per), *off = store_qb_int(c->a, b, (page - 1) * per);
    st = store_qb_prepare(c->db, b,
                          arena_printf(c->a, "%s%s ORDER BY %s LIMIT %s OFFSET %s", src->select,
                                       where, src->order, lim, off));
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, what_list);
    out->total = total;
    out->rows = arena_alloc(c->a, sizeof *out->rows * (size_t)per);
    while ((s = store_step(st)) == STORE_ROW && out->nrows < per)
        out->rows[out->nrows++] = store_row_rec(st, src->cols, src->ncols, c->a);
    store_done(st);
    if (s < 0) return ctx_store_failure(c, s, what_list);
    return RES_OK;
}

/*
 * Parse form text for a field into the value type JSON would have given.
 * Sets: a comma- or space-separated list of ids. Booleans: "true"/"on"/"1".
 */
void entity_coerce_text(const struct entity *e, const char *name, const char *text, rec *into)
{
    const struct field_rule *f = entity_field(e, name);
    if (!f || !text) {
        rec_set_text(into, name, text);
        return;
    }
    char *t = text_trimmed(into->a, text);
    switch (f->type) {
    case F_INT:
    case F_REF: {
        if (*t == '\0') {
            rec_set_null(into, name);
            return;
        }
        char *end;
        errno = 0;
        long long v = strtoll(t, &end, 10);
        if (errno || *end)
            rec_set_text(into, name, t);
        else
            rec_set_int(into, name, v);
        return;
    }
    case F_BOOL:
        rec_set_bool(into, name,
                     strcmp(t, "true") == 0 || strcmp(t, "on") == 0 || strcmp(t, "1") == 0);
        return;
    case F_REFSET: {
        long long ids[256];
        int n = 0;
        char *save = NULL;
        for (char *tok = strtok_r(t, ", ", &save); tok && n < 256;
             tok = strtok_r(NULL, ", ", &save)) {
            long long id = text_id(tok);
            if (!id) {
                rec_set_text(into, name, text);
                return;
            }
            ids[n++] = id;
        }
        rec_set_ids(into, name, ids, n);
        return;
    }
    default:
        rec_set_text(into, name, t);
        return;
    }
}

/* Anyone signed in reads; admins and system leads write. */
result entity_authorise_leads(struct ctx *c, const struct entity *e, enum op op,
                              const rec *existing, const rec *proposed)
{
    (void)e;
    (void)existing;
    (void)proposed;
    if (op == OP_READ) return RES_OK;
    enum role r = c->actor->role;
    return r == ROLE_ADMIN || r == ROLE_SYSTEM_LEAD ? RES_OK : RES_FORBIDDEN;
}
