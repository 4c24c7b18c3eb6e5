/*
 * participants.c: creating, reading, changing and listing participants,
 * who may see them (participant_access), and placing a person by their
 * postcode. Consent is in consent.c; retention, erasure and anonymising in
 * retention.c; subject access in participant_export.c.
 *
 * The audit log keeps which fields a write touched, never their personal
 * values (participant_audit_image): an erased person must not live on in
 * the log.
 */
#include "domain/participants.h"

#include "base/buf.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/directory.h"
#include "domain/entity.h"
#include "domain/participants_internal.h"
#include "store/qbuild.h"

#include <ctype.h>
#include <string.h>

/* ---- who ---- */

/* See participants_internal.h. */
bool participant_role_sees(const struct ctx *c)
{
    if (c->by_operator) return true;
    return c->actor && (c->actor->role == ROLE_LINK_WORKER || c->actor->role == ROLE_PROVIDER);
}

/* See participants_internal.h. Administrators write (they create records
 * for their organisation) but, like leads and viewers, never read them. */
bool participant_role_writes(const struct ctx *c)
{
    if (c->by_operator) return true;
    return c->actor && (c->actor->role == ROLE_LINK_WORKER || c->actor->role == ROLE_PROVIDER ||
                        c->actor->role == ROLE_ADMIN);
}

/* See participants.h. One indexed query; the unknown and the invisible
 * answer alike. */
result participant_access(struct ctx *c, long long id)
{
    if (id <= 0) return ctx_fail(c, RES_NOT_FOUND, "There is no participant with id %lld", id);
    long long one = 0;
    int rc;
    if (c->by_operator)
        rc = store_query_int(c->db, &one, "SELECT 1 FROM participants WHERE id = $1", "i", id);
    else if (!participant_role_sees(c))
        rc = 0;
    else
        rc = store_query_int(
            c->db, &one,
            "SELECT 1 FROM participants p WHERE p.id = $1 AND " PARTICIPANT_VISIBLE_SQL("$2"), "ii",
            id, c->actor->org_id);
    if (rc < 0) return ctx_store_failure(c, rc, "participant access");
    if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no participant with id %lld", id);
    return RES_OK;
}

/* ---- reading ---- */

static const struct store_column participant_cols[] = {
    {.name = "id", .kind = COL_INT},
    {.name = "name", .kind = COL_TEXT},
    {.name = "date_of_birth", .kind = COL_TEXT},
    {.name = "nhs_number", .kind = COL_TEXT},
    {.name = "postcode", .kind = COL_TEXT},
    {.name = "lsoa", .kind = COL_TEXT},
    {.name = "neighbourhood_id", .kind = COL_INT},
    {.name = "neighbourhood_name", .kind = COL_TEXT},
    {.name = "place_id", .kind = COL_INT},
    {.name = "place_name", .kind = COL_TEXT},
    {.name = "imd_decile", .kind = COL_INT},
    {.name = "phone", .kind = COL_TEXT},
    {.name = "email", .kind = COL_TEXT},
    {.name = "sex", .kind = COL_TEXT},
    {.name = "ethnicity", .kind = COL_TEXT},
    {.name = "communication_needs", .kind = COL_TEXT},
    {.name = "access_needs", .kind = COL_TEXT},
    {.name = "gp_practice_code", .kind = COL_TEXT},
    {.name = "gp_practice_name", .kind = COL_TEXT},
    {.name = "organisation_id", .kind = COL_INT},
    {.name = "organisation_name", .kind = COL_TEXT},
    {.name = "last_contact_at", .kind = COL_TEXT},
    {.name = "anonymised_at", .kind = COL_TEXT},
    {.name = "anonymised_reason", .kind = COL_TEXT},
    {.name = "created_at", .kind = COL_TEXT},
    {.name = "updated_at", .kind = COL_TEXT},
};
#define NPCOLS ((int)(sizeof participant_cols / sizeof participant_cols[0]))

#define PARTICIPANT_SELECT                                                                         \
    "SELECT p.id, p.name, p.date_of_birth, p.nhs_number, p.postcode, p.lsoa,"                      \
    " p.neighbourhood_id, n.name, p.place_id, pl.name, p.imd_decile, p.phone, p.email, p.sex,"     \
    " p.ethnicity, p.communication_needs, p.access_needs, p.gp_practice_code,"                     \
    " p.gp_practice_name, p.organisation_id, o.name, p.last_contact_at, p.anonymised_at,"          \
    " p.anonymised_reason, p.created_at, p.updated_at FROM participants p"                         \
    " LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id"                                     \
    " LEFT JOIN places pl ON pl.id = p.place_id"                                                   \
    " LEFT JOIN organisations o ON o.id = p.organisation_id"

/* Add what is worked out rather than stored: the age band and ethnic group
 * (for forms and reports) and the consent in force for each scope. */
static void add_derived(struct ctx *c, rec *r)
{
    const char *band = age_band(rec_text(r, "date_of_birth"), c->now_iso);
    rec_set_text(r, "age_band", band);
    rec_set_text(r, "ethnicity_group", ethnicity_group(rec_text(r, "ethnicity")));
    long long id = rec_int(r, "id", 0);
    for (int i = 0; consent_scopes[i]; i++)
        rec_set_bool(r, arena_printf(c->a, "consent_%s", consent_scopes[i]),
                     consent_given(c, id, consent_scopes[i]));
}

/* See participants_internal.h. */
int participant_load(struct ctx *c, long long id, rec **out)
{
    store_stmt *st = store_prepare(c->db, PARTICIPANT_SELECT " WHERE p.id = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "i", id);
    int s = store_step(st);
    if (s == STORE_ROW) *out = store_row_rec(st, participant_cols, NPCOLS, c->a);
    store_done(st);
    if (s < 0) return s;
    if (s != STORE_ROW) return 0;
    add_derived(c, *out);
    return 1;
}

/* See participants.h. The record belongs to c->a. */
result participant_get(struct ctx *c, long long id, rec **out)
{
    result r = participant_access(c, id);
    if (r != RES_OK) return r;
    int rc = participant_load(c, id, out);
    if (rc < 0) return ctx_store_failure(c, rc, "participant read");
    if (rc == 0) return ctx_fail(c, RES_NOT_FOUND, "There is no participant with id %lld", id);
    if (audit_read(c, "participants", id, NULL, 0) != RES_OK) return RES_INTERNAL;
    return RES_OK;
}

/* See participants.h. Rows belong to c->a; leads, viewers and
 * administrators get an empty page (they see aggregates only). */
result participant_list(struct ctx *c, const struct participant_query *q, struct store_page *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    long long page = q->page ? q->page : 1, per = q->per_page ? q->per_page : 20;
    if (page < 1 || page > 1000000) ctx_field_error(c, "page", "page must be 1 or more");
    if (per < 1 || per > 100) ctx_field_error(c, "per_page", "per_page must be between 1 and 100");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the query parameters");
    if (!participant_role_sees(c)) {
        out->rows = arena_alloc(c->a, sizeof *out->rows);
        return RES_OK;
    }
    struct store_qb b = {0};
    buf *where = &b.sql;
    buf_init(where, c->a, 512);
    buf_puts(where, " WHERE 1 = 1");
    if (!c->by_operator) {
        const char *org = store_qb_int(c->a, &b, c->actor->org_id);
        buf_puts(where, " AND ");
        /* The visibility fragment names its parameter once per use. */
        const char *frag = PARTICIPANT_VISIBLE_SQL("$ORG");
        for (const char *s = frag; *s;) {
            if (strncmp(s, "$ORG", 4) == 0) {
                buf_puts(where, org);
                s += 4;
            } else {
                buf_putc(where, *s++);
            }
        }
    }
    if (q->q && *q->q) {
        const char *name = store_qb_text(c->a, &b, store_like_contains(c->a, q->q));
        char digits[16];
        size_t nd = 0;
        for (const char *s = q->q; *s && nd < sizeof digits - 1; s++)
            if (isdigit((unsigned char)*s))
                digits[nd++] = *s;
            else if (*s != ' ')
                nd = sizeof digits; /* not a number: match names only */
        if (nd > 0 && nd < sizeof digits) {
            digits[nd] = '\0';
            const char *nhs = store_qb_text(c->a, &b, store_like_contains(c->a, digits));
            buf_printf(where,
                       " AND (lower(p.name) LIKE lower(%s) ESCAPE '\\' OR p.nhs_number LIKE %s"
                       " ESCAPE '\\')",
                       name, nhs);
        } else {
            buf_printf(where, " AND lower(p.name) LIKE lower(%s) ESCAPE '\\'", name);
        }
    }
    static const struct list_source source = {
        .count = "SELECT count(*) FROM participants p",
        .select = PARTICIPANT_SELECT,
        .order = "p.id DESC",
        .cols = participant_cols,
        .ncols = NPCOLS,
        .what = "participant",
    };
    result res = list_read_page(c, &source, &b, per, page, out);
    if (res != RES_OK) return res;
    for (int i = 0; i < out->nrows; i++)
        add_derived(c, out->rows[i]);
    if (out->nrows && audit_read(c, "participants", 0, out->rows, out->nrows) != RES_OK)
        return RES_INTERNAL;
    return RES_OK;
}

/* ---- checking input ---- */

enum pkind { PK_TEXT, PK_LONG, PK_DATE, PK_NHS, PK_POSTCODE, PK_PHONE, PK_EMAIL, PK_SEX, PK_ETH };

struct pfield {
    const char *name, *label;
    enum pkind kind;
    int maxlen;
    bool required;
};

/* The fields people give; everything else on the record is the system's. */
static const struct pfield pfields[] = {
    {"name", "name", PK_TEXT, 200, true},
    {"date_of_birth", "date of birth", PK_DATE, 10, true},
    {"nhs_number", "NHS number", PK_NHS, 12, false},
    {"postcode", "postcode", PK_POSTCODE, 10, false},
    {"phone", "phone number", PK_PHONE, 30, false},
    {"email", "email address", PK_EMAIL, 254, false},
    {"sex", "sex", PK_SEX, 20, false},
    {"ethnicity", "ethnicity", PK_ETH, 40, false},
    {"communication_needs", "communication needs", PK_LONG, 2000, false},
    {"access_needs", "access needs", PK_LONG, 2000, false},
    {"gp_practice_code", "GP practice code", PK_TEXT, 20, false},
    {"gp_practice_name", "GP practice name", PK_TEXT, 200, false},
};
#define NPFIELDS ((int)(sizeof pfields / sizeof pfields[0]))

/* The description of participant field name, or NULL. */
static const struct pfield *pfield_find(const char *name)
{
    for (int i = 0; i < NPFIELDS; i++)
        if (strcmp(pfields[i].name, name) == 0) return &pfields[i];
    return NULL;
}

/* Is s shaped like an email address (one @, a dot after it, no spaces)? */
static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@')) return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0') return false;
    for (; *s; s++)
        if (isspace((unsigned char)*s) || strchr("<>\",;", *s)) return false;
    return true;
}

/* Is s one of the NULL-terminated list? */
static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

/* Check and normalise one present field of in (in place). */
static void check_field(struct ctx *c, const struct pfield *f, rec *in)
{
    const struct val *v = rec_get(in, f->name);
    if (v->type != VAL_NULL && v->type != VAL_TEXT) {
        ctx_field_error(c, f->name, "The %s must be text", f->label);
        return;
    }
    const char *s = v->type == VAL_TEXT ? text_trimmed(c->a, v->s) : NULL;
    if (s && !*s) s = NULL;
    rec_set_text(in, f->name, s);
    if (!s) {
        if (f->required) ctx_field_error(c, f->name, "Enter the %s", f->label);
        return;
    }
    if (!text_utf8_valid(s)) {
        ctx_field_error(c, f->name, "The %s must be valid UTF-8 text", f->label);
        return;
    }
    if (text_has_unsafe_chars(s, f->kind == PK_LONG)) {
        ctx_field_error(c, f->name, "The %s must not contain control or text-direction characters",
                        f->label);
        return;
    }
    if (text_utf8_len(s) > (size_t)f->maxlen) {
        ctx_field_error(c, f->name, "The %s must be %d characters or fewer", f->label, f->maxlen);
        return;
    }
    switch (f->kind) {
    case PK_DATE:
        if (!text_date_valid(s))
            ctx_field_error(c, f->name, "Enter the %s as a real date, like 1970-01-31", f->label);
        else if (strncmp(s, c->now_iso, 10) > 0)
            ctx_field_error(c, f->name, "The %s must be today or in the past", f->label);
        break;
    case PK_NHS: {
        char *d = nhs_number_normalise(c->a, s);
        if (d) {
            rec_set_text(in, f->name, d);
            break;
        }
        size_t nd = 0;
        bool digits_only = true;
        for (const char *p = s; *p; p++)
            if (isdigit((unsigned char)*p))
                nd++;
            else if (*p != ' ')
                digits_only = false;
        if (digits_only && nd == 10)
            ctx_field_error(c, f->name,
                            "This is not a valid NHS number: its check digit does not match");
        else
            ctx_field_error(c, f->name, "Enter the NHS number as 10 digits, like 943 476 5919");
        break;
    }
    case PK_POSTCODE: {
        char key[16], display[16];
        bool outcode = false;
        if (postcode_normalise(s, key, display, &outcode) != 0)
            ctx_field_error(c, f->name, "Enter a real postcode, like LS1 4AP");
        else if (outcode)
            ctx_field_error(c, f->name, "Enter the full postcode, like LS1 4AP");
        else
            rec_set_text(in, f->name, display);
        break;
    }
    case PK_PHONE:
        if (!text_phone_valid(s))
            ctx_field_error(c, f->name, "Enter the %s as digits, like 01632 960 001", f->label);
        break;
    case PK_EMAIL:
        if (!email_ok(s)) {
            ctx_field_error(c, f->name, "Enter the %s in the correct format, like name@example.org",
                            f->label);
        } else {
            char *lower = arena_strdup(c->a, s);
            for (char *p = lower; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            rec_set_text(in, f->name, lower);
        }
        break;
    case PK_SEX:
        if (!in_list(participant_sexes, s))
            ctx_field_error(c, f->name,
                            "The sex must be one of: female, male, indeterminate or not_known");
        break;
    case PK_ETH:
        if (!ethnicity_group(s))
            ctx_field_error(c, f->name,
                            "The ethnicity must be one of the ONS 2021 codes, like white_british"
                            " or not_stated");
        break;
    default:
        break;
    }
}

/*
 * Check input for a create (existing NULL) or an update. Unknown and
 * system-set fields are errors, never silently dropped. The operator (who
 * has no organisation) names the holding organisation_id on create.
 */
static result check_input(struct ctx *c, rec *in, const rec *existing)
{
    for (int i = 0; i < in->n; i++) {
        const char *name = in->f[i].name;
        if (pfield_find(name)) continue;
        if (!existing && c->by_operator && strcmp(name, "organisation_id") == 0) {
            long long org = in->f[i].v.type == VAL_INT ? in->f[i].v.i : 0;
            if (org <= 0 || store_exists(c->db, "organisations", org) != 1)
                ctx_field_error(c, name, "There is no organisation with id %lld", org);
            continue;
        }
        ctx_field_error(c, name, "'%s' is not a field of a participant you can set", name);
    }
    for (int i = 0; i < NPFIELDS; i++) {
        if (rec_has(in, pfields[i].name))
            check_field(c, &pfields[i], in);
        else if (!existing && pfields[i].required)
            ctx_field_error(c, pfields[i].name, "Enter the %s", pfields[i].label);
    }
    if (!existing && c->by_operator && !rec_has(in, "organisation_id"))
        ctx_field_error(c, "organisation_id", "Name the organisation that holds the record");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the participant's details");
    return RES_OK;
}

/* ---- placing ---- */

struct placing {
    const char *lsoa;
    long long neighbourhood_id, place_id, imd_decile;
};

/*
 * Place a person by their postcode (display form, or NULL): the postcode's
 * LSOA, the neighbourhood that LSOA lies in and its place, and the LSOA's
 * deprivation decile, else the neighbourhood's. An unknown postcode or an
 * LSOA no neighbourhood claims leaves the rest unplaced. 0 or STORE_E_*.
 */
static int place_person(struct ctx *c, const char *postcode, struct placing *out)
{
    memset(out, 0, sizeof *out);
    char key[16], display[16];
    bool outcode = false;
    if (!postcode || postcode_normalise(postcode, key, display, &outcode) != 0 || outcode) return 0;
    store_stmt *st =
        store_prepare(c->db, "SELECT pc.lsoa, nl.neighbourhood_id, n.place_id,"
                             " COALESCE(li.imd_decile, n.imd_decile) FROM postcodes pc"
                             " LEFT JOIN neighbourhood_lsoas nl ON nl.lsoa = pc.lsoa"
                             " LEFT JOIN neighbourhoods n ON n.id = nl.neighbourhood_id"
                             " LEFT JOIN lsoa_imd li ON li.lsoa = pc.lsoa WHERE pc.postcode = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "t", key);
    int s = store_step(st);
    if (s == STORE_ROW && !store_col_null(st, 0)) {
        out->lsoa = arena_strdup(c->a, store_col_text(st, 0));
        out->neighbourhood_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        out->place_id = store_col_null(st, 2) ? 0 : store_col_int(st, 2);
        out->imd_decile = store_col_null(st, 3) ? 0 : store_col_int(st, 3);
    }
    store_done(st);
    return s < 0 ? s : 0;
}

/* ---- writing ---- */

/* See participants_internal.h. */
rec *participant_audit_image(struct ctx *c, const rec *row, const char *fields)
{
    rec *r = rec_new(c->a);
    if (fields) rec_set_text(r, "fields", fields);
    static const char *const keep[] = {"organisation_id", "neighbourhood_id", "place_id",
                                       "imd_decile",      "anonymised_at",    "anonymised_reason"};
    for (size_t i = 0; row && i < sizeof keep / sizeof keep[0]; i++)
        if (rec_has(row, keep[i])) rec_set(r, keep[i], rec_get(row, keep[i]));
    return r;
}

/* The names of the fields present in in, comma-separated (in c->a). */
static const char *field_names(struct ctx *c, const rec *in)
{
    buf b;
    buf_init(&b, c->a, 128);
    for (int i = 0; i < in->n; i++) {
        if (i) buf_putc(&b, ',');
        buf_puts(&b, in->f[i].name);
    }
    return b.data;
}

/* The value of a checked field: the input's when present there, else the
 * existing record's (NULL for neither). */
static const char *pick(const rec *in, const rec *existing, const char *name)
{
    if (rec_has(in, name)) return rec_text(in, name);
    return existing ? rec_text(existing, name) : NULL;
}

/* Read back what was written: as participant_get() shows it when the
 * actor may see it, else (an administrator creating for their
 * organisation) the fields they gave and the id. Not a read of anyone
 * else's data, so not audited as one. */
static result read_back(struct ctx *c, long long id, rec *in, rec **out)
{
    if (!out) return RES_OK;
    if (participant_role_sees(c)) {
        int rc = participant_load(c, id, out);
        if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "participant read");
        return RES_OK;
    }
    rec *r = rec_new(c->a);
    rec_set_int(r, "id", id);
    if (c->actor) rec_set_int(r, "organisation_id", c->actor->org_id);
    for (int i = 0; i < in->n; i++)
        rec_set(r, in->f[i].name, &in->f[i].v);
    *out = r;
    return RES_OK;
}

/* See participants.h. */
result participant_create(struct ctx *c, rec *input, rec **out)
{
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    if (!participant_role_writes(c))
        return ctx_fail(c, RES_FORBIDDEN,
                        "Only link workers, providers and administrators record participants");
    result r = check_input(c, input, NULL);
    if (r != RES_OK) return r;
    long long org = c->by_operator ? rec_int(input, "organisation_id", 0) : c->actor->org_id;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    struct placing pl;
    int rc = place_person(c, rec_text(input, "postcode"), &pl);
    long long id = 0;
    if (rc >= 0)
        rc = store_query_int(
            c->db, &id,
            "INSERT INTO participants (name, date_of_birth, nhs_number, postcode, lsoa,"
            " neighbourhood_id, place_id, imd_decile, phone, email, sex, ethnicity,"
            " communication_needs, access_needs, gp_practice_code, gp_practice_name,"
            " organisation_id, created_by_user_id, last_contact_at, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
            " $18, $19, $19, $19) RETURNING id",
            "tttttIIIttttttttiIt", rec_text(input, "name"), rec_text(input, "date_of_birth"),
            rec_text(input, "nhs_number"), rec_text(input, "postcode"), pl.lsoa,
            pl.neighbourhood_id, pl.place_id, pl.imd_decile, rec_text(input, "phone"),
            rec_text(input, "email"), rec_text(input, "sex"), rec_text(input, "ethnicity"),
            rec_text(input, "communication_needs"), rec_text(input, "access_needs"),
            rec_text(input, "gp_practice_code"), rec_text(input, "gp_practice_name"), org,
            c->actor ? c->actor->user_id : 0LL, c->now_iso);
    if (rc != 1) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "participant insert");
    }
    rec *row = rec_new(c->a);
    rec_set_int(row, "organisation_id", org);
    if (pl.neighbourhood_id) rec_set_int(row, "neighbourhood_id", pl.neighbourhood_id);
    if (pl.place_id) rec_set_int(row, "place_id", pl.place_id);
    if (pl.imd_decile) rec_set_int(row, "imd_decile", pl.imd_decile);
    if (audit_record(c, "create", "participants", id, NULL,
                     participant_audit_image(c, row, field_names(c, input))) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return read_back(c, id, input, out);
}

/* See participants.h. */
result participant_update(struct ctx *c, long long id, rec *input, rec **out)
{
    result r = participant_access(c, id);
    if (r != RES_OK) return r;
    if (!participant_role_writes(c))
        return ctx_fail(c, RES_FORBIDDEN, "Leads and viewers cannot change a participant");
    rec *existing = NULL;
    int rc = participant_load(c, id, &existing);
    if (rc != 1) return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "participant read");
    if (!rec_is_null(existing, "anonymised_at"))
        return ctx_fail(c, RES_CONFLICT, "This person's record has been anonymised");
    r = check_input(c, input, existing);
    if (r != RES_OK) return r;
    if (input->n == 0) { /* nothing written, yet the whole record is shown: a read */
        if (audit_read(c, "participants", id, NULL, 0) != RES_OK) return RES_INTERNAL;
        return read_back(c, id, input, out);
    }
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "begin");
    /* Read the record again under the write lock: the fields not given are
     * written back as they are now, so an erasure or another change that
     * committed meanwhile is not undone. */
    rc = participant_load(c, id, &existing);
    if (rc != 1) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc < 0 ? rc : STORE_E_ERROR, "participant read");
    }
    if (!rec_is_null(existing, "anonymised_at")) {
        store_rollback(c->db);
        return ctx_fail(c, RES_CONFLICT, "This person's record has been anonymised");
    }
    struct placing pl = {
        .lsoa = rec_text(existing, "lsoa"),
        .neighbourhood_id = rec_int(existing, "neighbourhood_id", 0),
        .place_id = rec_int(existing, "place_id", 0),
        .imd_decile = rec_int(existing, "imd_decile", 0),
    };
    rc = 0;
    if (rec_has(input, "postcode")) rc = place_person(c, rec_text(input, "postcode"), &pl);
    if (rc >= 0)
        rc = (int)store_run(
            c->db,
            "UPDATE participants SET name = $1, date_of_birth = $2, nhs_number = $3,"
            " postcode = $4, lsoa = $5, neighbourhood_id = $6, place_id = $7, imd_decile = $8,"
            " phone = $9, email = $10, sex = $11, ethnicity = $12, communication_needs = $13,"
            " access_needs = $14, gp_practice_code = $15, gp_practice_name = $16,"
            " updated_at = $17 WHERE id = $18",
            "tttttIIIttttttttti", pick(input, existing, "name"),
            pick(input, existing, "date_of_birth"), pick(input, existing, "nhs_number"),
            pick(input, existing, "postcode"), pl.lsoa, pl.neighbourhood_id, pl.place_id,
            pl.imd_decile, pick(input, existing, "phone"), pick(input, existing, "email"),
            pick(input, existing, "sex"), pick(input, existing, "ethnicity"),
            pick(input, existing, "communication_needs"), pick(input, existing, "access_needs"),
            pick(input, existing, "gp_practice_code"), pick(input, existing, "gp_practice_name"),
            c->now_iso, id);
    if (rc < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, rc, "participant update");
    }
    rec *after = rec_new(c->a);
    rec_set_int(after, "neighbourhood_id", pl.neighbourhood_id);
    rec_set_int(after, "place_id", pl.place_id);
    rec_set_int(after, "imd_decile", pl.imd_decile);
    if (audit_record(c, "update", "participants", id, participant_audit_image(c, existing, NULL),
                     participant_audit_image(c, after, field_names(c, input))) != RES_OK) {
        store_rollback(c->db);
        return RES_INTERNAL;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "commit");
    return read_back(c, id, input, out);
}

/* See participants.h. No access check: other modules call it on their own
 * writes (a transition, an outcome), inside their transaction. */
result participant_touch(struct ctx *c, long long participant_id)
{
    long long n = store_run(c->db,
                            "UPDATE participants SET last_contact_at = $1 WHERE id = $2"
                            " AND anonymised_at IS NULL AND last_contact_at < $1",
                            "ti", c->now_iso, participant_id);
    return n < 0 ? ctx_store_failure(c, n, "participant touch") : RES_OK;
}
