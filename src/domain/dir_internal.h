/*
 * dir_internal.h: what the directory's core files share and nobody else
 * needs: one description per HSDS object saying which columns it has and of
 * what kind, and the generic calls that check, write and render an object by
 * that description. Keeping one description per object is what makes the
 * document a row was written from and the document rendered from the row
 * agree field for field.
 */
#ifndef CHIS_DIR_INTERNAL_H
#define CHIS_DIR_INTERNAL_H

#include "domain/directory.h"
#include "store/store.h"

enum dcol_type {
    DC_TEXT,
    DC_LONGTEXT, /* descriptions: markup stripped, "\n" read as a newline */
    DC_REAL,
    DC_INT,
    DC_ENUM,  /* lower-cased, one of choices */
    DC_TIME,  /* "9:00am" -> "09:00:00" */
    DC_DATE,  /* YYYY-MM-DD (a longer ISO time is cut to its date) */
    DC_STAMP, /* an ISO-8601 date or date-time */
    DC_EMAIL,
    DC_URL,
    DC_DAYS,  /* RFC 5545 BYDAY list: MO,TU or 1MO,-1FR */
    DC_FREQ,  /* WEEKLY / MONTHLY, upper-cased */
    DC_OWNER, /* set from the parent object, never from input */
};

struct dcol {
    const char *name; /* the column and the JSON member */
    enum dcol_type type;
    const char *const *choices; /* DC_ENUM */
    double min, max;            /* DC_REAL/DC_INT, when min < max */
    bool required;
    bool always; /* HSDS requires the member: shown as "" when unknown */
};

struct dobj {
    const char *table; /* "dir_phones" */
    const char *what;  /* "phone": for messages */
    const struct dcol *cols;
    int ncols;
};

extern const struct dobj dir_obj_service, dir_obj_organization, dir_obj_location, dir_obj_address,
    dir_obj_phone, dir_obj_contact, dir_obj_schedule, dir_obj_cost_option, dir_obj_service_area,
    dir_obj_language, dir_obj_accessibility, dir_obj_funding, dir_obj_attribute,
    dir_obj_service_at_location, dir_obj_taxonomy, dir_obj_taxonomy_term;

/* Every description above, dir_objects_count of them. */
extern const struct dobj *const dir_objects_all[];
extern const size_t dir_objects_count;

/* The array members of a full service, each with the object it holds
 * (schedules, service areas, languages, funding, cost options, contacts,
 * phones), in the order documents show them. */
#define DIR_SERVICE_LISTS 7
struct dir_service_list {
    const char *member;
    const struct dobj *obj;
};
extern const struct dir_service_list dir_service_lists[DIR_SERVICE_LISTS];

/* A column by name, or NULL. */
const struct dcol *dobj_col(const struct dobj *o, const char *name);

/*
 * Where an object sits in its document, e.g. service_at_locations[0].location:
 * a chain from the innermost member out, on the stack. The text is only
 * built for a field error: checking a large import must not format a path
 * for every member of every object.
 */
struct dpath {
    const struct dpath *up; /* NULL at the document */
    const char *member;     /* NULL at the document */
    long index;             /* -1: not a list element */
};

/* The path's text with member appended ("a[0].b.member"), in c->a. member
 * may be NULL. */
const char *dpath_text(struct ctx *c, const struct dpath *p, const char *member);

/*
 * Check and normalise one object in place by its description: types,
 * required members, ranges, enums, times. path says where the object is,
 * for field errors. A missing or blank id is generated when gen_id (and
 * written back). Returns the number of errors added.
 */
int dobj_check(struct ctx *c, const struct dobj *o, json_t *obj, const struct dpath *path,
               bool gen_id);

/* The most columns any description has (dir_services). */
#define DOBJ_MAX_COLS 32

/*
 * Each described column's member of obj, in column order, into
 * out[0 .. o->ncols): NULL where obj has none. Borrowed: valid while obj
 * holds them. One pass over obj's members, whatever the columns.
 */
void dobj_members(const struct dobj *o, json_t *obj, json_t **out);

/*
 * The value each column of a write of obj takes, in column order, into
 * out[0 .. o->ncols): owner columns from owner (as dobj_write() says),
 * the rest from obj's members, absent ones null. Texts point into obj and
 * owner: valid while those are.
 */
void dobj_values(const struct dobj *o, json_t *obj, const char *const *owner,
                 struct store_value *out);

/* dobj_write() found the id taken by a row of another owner. */
#define DOBJ_TAKEN 1

/*
 * Upsert one object (by id) into its table. owner names its DC_OWNER
 * columns with their values, NULL-terminated pairs: {"service_id", sid,
 * NULL}. Members not in the description are ignored. With guard, a row of
 * that id belonging to another owner is left alone and DOBJ_TAKEN returned.
 * 0, DOBJ_TAKEN or a STORE_E_* code.
 */
int dobj_write(struct ctx *c, const struct dobj *o, json_t *obj, const char *const *owner,
               bool guard);

/*
 * A new JSON object holding the described members of src that are set
 * (not null, not ""), DC_OWNER columns left out unless keep_owner. Caller
 * owns it.
 */
json_t *dobj_copy(const struct dobj *o, json_t *src, bool keep_owner);

/* The SELECT list of every described column, "id, name, ...": built once
 * per object, like the INSERT each write uses. */
const char *dobj_select_list(const struct dobj *o);

/* A new JSON object from the current row of a statement selected with
 * dobj_select_list() (column i is o->cols[i]); nulls left out. */
json_t *dobj_from_row(const struct dobj *o, store_stmt *st, bool keep_owner);

/* Rows of o whose column owner_col equals value, ordered by rid, as a new
 * JSON array (empty when none). NULL on a store failure. */
json_t *dobj_list(struct ctx *c, const struct dobj *o, const char *owner_col, const char *value,
                  bool keep_owner);

/*
 * A bulk write (dir_bulk.c; see dir_bulk_begin() in directory.h): its
 * transaction, the organizations and terms it has read (JSON objects from
 * an HSDS id to the object as documents show it), and the rows it holds
 * back until enough are gathered to write many to a statement.
 */
struct dir_held;
struct dir_bulk {
    struct store_bulk *sb;
    json_t *terms;
    json_t *orgs;
    bool terms_all, orgs_all; /* every row was read into the map once */
    struct dir_held *held;
};

/* Hold back an upsert of obj into o's table, as dobj_write() without guard
 * would write it, until the next dir_bulk_write_held() (never sooner: see
 * dir_bulk_write_if_full()); objects whose rows are not held back are
 * written at once. 0 or a STORE_E_* code. */
int dir_bulk_put(struct ctx *c, struct dir_bulk *b, const struct dobj *o, json_t *obj,
                 const char *const *owner);
/* Is a row of o with this id held back (so a read would not see it)? */
bool dir_bulk_holds(const struct dir_bulk *b, const struct dobj *o, const char *id);
/* May o's table in the database hold rows: it had some when the bulk write
 * began, or held rows have been written to it since? When not, look-ups
 * and deletes there can be skipped. */
bool dir_bulk_in_db(const struct dir_bulk *b, const struct dobj *o);
/* Drop the held rows of o (addresses, accessibility) of location lid: the
 * held half of a delete of that location's rows. */
void dir_bulk_drop_located(struct dir_bulk *b, const struct dobj *o, const char *lid);
/* Set location lid's place and neighbourhood (0: none) when its held
 * rows are written. 0 or a STORE_E_* code. */
int dir_bulk_place(struct ctx *c, struct dir_bulk *b, const char *lid, long long place,
                   long long hood);
/* Can a venue be placed by its postcode: did any neighbourhood know its
 * LSOAs when the bulk write began? (When none does, the look-up for each
 * venue is skipped.) */
bool dir_bulk_may_place(const struct dir_bulk *b);
/* Write every held row if they have grown past the limit: call between
 * services, never within one (a service's rows must all be held or all
 * written when the next service looks for them). 0 or a STORE_E_* code. */
int dir_bulk_write_if_full(struct ctx *c, struct dir_bulk *b);
/* Write held rows once their texts pass bytes rather than the defaults
 * (tests: 1 writes after every service). */
void dir_bulk_set_limit(struct dir_bulk *b, size_t bytes);
/* Do the rows services own go to a writer as they gather (a new
 * directory)? Then a read waits for it, and reads are best done at once. */
bool dir_bulk_streaming(const struct dir_bulk *b);
/* Hand the rows services own to the writer once rows of them are held
 * rather than the default (tests: 1 streams after every service). */
void dir_bulk_set_stream(struct dir_bulk *b, size_t rows);
/* Write every held row now (and wait for the writer). 0 or a STORE_E_*
 * code. */
int dir_bulk_write_held(struct ctx *c, struct dir_bulk *b);

/*
 * Text normalisation shared by the checks (dir_text.c). Each returns a
 * new string in c->a. dir_clean_text trims and collapses runs of spaces;
 * dir_clean_longtext also turns literal "\n" into newlines, strips markup
 * tags and decodes the common entities, keeping paragraph breaks.
 */
const char *dir_clean_text(struct ctx *c, const char *s);
const char *dir_clean_longtext(struct ctx *c, const char *s);

/*
 * The neighbourhood (and its place) that location loc's first physical
 * address's postcode lies in, through the postcode's LSOA: 0s when the
 * postcode, its LSOA or the LSOA's neighbourhood is unknown. Returns 0, or
 * a negative STORE_E_* code. (dir_postcode.c)
 */
int dir_location_placed(struct ctx *c, json_t *loc, long long *place, long long *hood);

#endif
