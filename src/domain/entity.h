/*
 * entity.h: the rules for a kind of record that people create, read, update
 * and delete (places, neighbourhoods, organisations, people, users). One
 * description per kind says which fields it has, how each is validated, who
 * may do what, what refers to it, and how lists filter; the functions here
 * apply those rules the same way for the API, the web pages and the CLI.
 *
 * Every write runs in one transaction together with its audit entry: it
 * lands whole or not at all.
 */
#ifndef CHIS_ENTITY_H
#define CHIS_ENTITY_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "store/records.h"

enum ftype {
    F_TEXT,
    F_LONGTEXT, /* multi-line */
    F_INT,
    F_BOOL,
    F_ENUM,
    F_REF,    /* id of a row in ref_table */
    F_REFSET, /* a set of ids in ref_table */
    F_EMAIL,
    F_PHONE,
    F_URL,
    F_POSTCODE,
    F_DATE, /* YYYY-MM-DD */
};

struct field_rule {
    struct store_column col; /* first: the store reads an array of these by stride */
    enum ftype type;
    const char *label; /* "name", "IMD decile": used in messages and forms */
    bool required;
    bool readonly;              /* set by the system, never by input */
    bool unique;                /* no two rows may share the value (text: ignoring case) */
    const char *unique_within;  /* ...among rows with the same value here, e.g. "place_id" */
    const char *not_before;     /* F_DATE: not earlier than this other date field */
    bool zero_default;          /* F_INT: empty or null means 0 (a count) */
    int maxlen;                 /* text; 0 means 200 */
    long long min, max;         /* F_INT */
    const char *const *choices; /* F_ENUM, NULL-terminated */
    const char *ref_table;      /* F_REF, F_REFSET */
    const char *hint;           /* shown under the field on forms */
};

enum op { OP_READ, OP_CREATE, OP_UPDATE, OP_DELETE };

struct entity_ref {
    const char *table;
    const char *column;
    const char *what; /* plural noun: "neighbourhoods", "people" */
};

struct entity;

/* Who may do op on this record. existing is NULL for create and list reads;
 * proposed is NULL for reads and deletes. Return RES_OK or RES_FORBIDDEN. */
typedef result (*entity_authorise_fn)(struct ctx *c, const struct entity *e, enum op op,
                                      const rec *existing, const rec *proposed);

/* Rules beyond single fields, run after field validation (may add errors or
 * rewrite the proposed record, e.g. hash a password). existing is NULL on create. */
typedef result (*entity_check_fn)(struct ctx *c, const struct entity *e, rec *proposed,
                                  const rec *existing);

struct entity {
    const char *name;     /* plural, as in the URL: "places" */
    const char *singular; /* "place" */
    const char *title;    /* "Places" */
    struct store_table table;
    const struct field_rule *fields;
    int nfields;
    const struct store_filter_spec *filters;
    int nfilters;
    const struct entity_ref *refs;
    int nrefs;
    const char *const *extra_inputs; /* accepted inputs that are not fields ("password") */
    bool personal;                   /* reading it is a read of personal data (audited) */
    entity_authorise_fn authorise;
    entity_check_fn check;
};

/* For static descriptions: the store table over an array of field rules, and counts. */
#define ENTITY_TABLE(name, fields, order)                                                          \
    {                                                                                              \
        name, &(fields)[0].col, sizeof(fields)[0], (int)(sizeof(fields) / sizeof(fields)[0]),      \
            order                                                                                  \
    }
#define ENTITY_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct list_query {
    const char *names[8]; /* filter parameter names, as in the entity's filters */
    const char *values[8];
    int n;
    long long page;     /* 1-based */
    long long per_page; /* 1..100 */
};

#define LIST_DEFAULT_PER_PAGE 20
#define LIST_MAX_PER_PAGE 100

/*
 * The page size and page number a list asked for (0: the defaults) into
 * *per and *page, with a field error ("per_page", "page") for each out of
 * range. The caller fails with RES_INVALID once its own checks are done.
 */
void list_paging(struct ctx *c, long long per_page, long long page_in, long long *per,
                 long long *page);

/* Where one page of a filtered list comes from (see list_read_page). */
struct list_source {
    const char *count;  /* "SELECT count(*) FROM <table> <alias>", before the WHERE */
    const char *select; /* "SELECT <cols> FROM <table> <alias> JOIN ...", before the WHERE */
    const char *order;  /* the ORDER BY terms */
    const struct store_column *cols; /* the columns select gives, in order */
    int ncols;
    const char *what; /* names the list in failures ("<what> count", "<what> list") */
};

struct store_qb;

/*
 * One page of a list: counts the rows matching the WHERE the caller wrote
 * into b->sql (with its parameters), then reads page `page` (1-based) of
 * `per` rows as records of src->cols. Rows belong to c->a; out->total is
 * the count of all that match. No access check or audit: the caller's.
 */
result list_read_page(struct ctx *c, const struct list_source *src, struct store_qb *b,
                      long long per, long long page, struct store_page *out);

const struct field_rule *entity_field(const struct entity *e, const char *name);

result entity_create(struct ctx *c, const struct entity *e, rec *input, rec **out);
result entity_get(struct ctx *c, const struct entity *e, long long id, rec **out);
result entity_update(struct ctx *c, const struct entity *e, long long id, rec *input, rec **out);
result entity_delete(struct ctx *c, const struct entity *e, long long id);
result entity_list(struct ctx *c, const struct entity *e, const struct list_query *q,
                   struct store_page *out);

/* Turn form text into typed values using the field types, so forms and JSON
 * pass the same validation. Text that does not parse stays text and fails
 * validation with a clear message. */
void entity_coerce_text(const struct entity *e, const char *name, const char *text, rec *into);

/*
 * Free text typed for field, trimmed (a copy in c->a): "" when blank (the
 * caller says whether that may be), or NULL with a field error when it is
 * not valid UTF-8, holds control or text-direction characters, or is
 * longer than max characters.
 */
const char *entity_clean_text(struct ctx *c, const char *field, const char *s, int max);

/*
 * May the actor list this kind of record? And is the list the same for
 * everyone who may (not personal data, no per-actor filtering), so that a
 * copy may be kept and served again until the data changes?
 */
result entity_list_access(struct ctx *c, const struct entity *e);
bool entity_list_shared(const struct entity *e);

/* Reading without authorisation or audit, for rules inside the domain. */
int entity_load(struct ctx *c, const struct entity *e, long long id, rec **out);

/* Common authorisation: anyone signed in reads; admins and system leads write. */
result entity_authorise_leads(struct ctx *c, const struct entity *e, enum op op,
                              const rec *existing, const rec *proposed);

#endif
