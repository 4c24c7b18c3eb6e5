/*
 * dir_import_internal.h: what the importer's files share and nobody else
 * needs: a string map and a pointer map (arena-backed), the CSV table
 * reader, the state of one import, and the calls that record problems and
 * store one document with its field errors mapped back to file and line.
 *
 *   dir_import.c          the driver: what kind of feed, the transaction,
 *                         storing a document, the report
 *   dir_import_csv.c      CSV files into tables of rows with line numbers
 *   dir_import_json.c     HSDS 3.0 JSON: one service, an array, ndjson
 *   dir_import_package.c  tabular packages: which file holds which table
 *   dir_import_tabular.c  tabular packages: ids, references, storing
 *   dir_import_map.c      tabular rows into HSDS 3.0 documents
 */
#ifndef CHIS_DIR_IMPORT_INTERNAL_H
#define CHIS_DIR_IMPORT_INTERNAL_H

#include "base/strmap.h"
#include "domain/dir_import.h"
#include "domain/directory.h"

#include <jansson.h>

/* Where an object of a document came from: a file, a line, and for
 * tabular rows the row itself (to mark it invalid). */
struct csv_row;
struct origin {
    const char *file;
    long line;
    struct csv_row *row;
    bool checked; /* the document passed dir_service_check() where it was read */
};

/* json_t pointers to origins, for the objects of the document being stored. */
struct ptrmap {
    arena *a;
    const void **keys;
    struct origin *vals;
    size_t cap, n;
};

void ptrmap_init(struct ptrmap *m, arena *a, size_t expect);
void ptrmap_clear(struct ptrmap *m);
void ptrmap_put(struct ptrmap *m, const void *k, struct origin v);
const struct origin *ptrmap_get(const struct ptrmap *m, const void *k);

/* ---- CSV ---- */

enum row_state {
    ROW_OK = 0,
    ROW_BAD,     /* invalid: reported */
    ROW_ORPHAN,  /* valid, but what it belongs to was left out */
    ROW_USED,    /* written (as part of a document) */
    ROW_IGNORED, /* valid HSDS that chis does not keep (noted) */
    ROW_DUP,     /* the same as an earlier row with its id (noted) */
};

struct csv_row {
    long line; /* the physical line the record starts on */
    int nf;
    char **f;
    unsigned char state;
    const char *problem; /* set by the reader: why the row cannot be used */
};

struct csv_table {
    const char *file; /* the name used in messages */
    int ncols;
    char **cols; /* header names, trimmed and lower-cased */
    struct csv_row *rows;
    size_t nrows;
    /* Set when the file cannot be read as CSV: the line and the reason. */
    long error_line;
    const char *error;
};

/*
 * Read CSV text (a UTF-8 byte-order mark, CRLF or LF line ends, quoted
 * fields spanning lines) into t, everything in a. The first record is the
 * header. Unquoted fields are trimmed. Returns 0, or -1 with t->error and
 * t->error_line set (an unterminated quote, no header, a field too big).
 */
int csv_table_read(arena *a, const char *data, size_t len, const char *file, struct csv_table *t);

/* The column named name, or -1. */
int csv_col(const struct csv_table *t, const char *name);

/* Field col of row r, "" when col < 0 or the row is short. Never NULL. */
const char *csv_get(const struct csv_row *r, int col);

/* ---- one import ---- */

struct imp {
    struct ctx *c;
    arena *a; /* lives as long as the report */
    const struct dir_import_opts *o;
    struct dir_import_report *r;
    arena *scratch;         /* one document's work; reset after each */
    struct strmap problems; /* "file:line:reason" already reported */
    struct strmap notes;    /* "file\nreason" -> index in r->notes */
    /* Ids known to exist or not: 0 absent, 1 in the database, 2 stored by
     * this import, 3 failed in this import. */
    struct strmap orgs;
    struct strmap terms;
    struct strmap taxonomies;
    struct strmap locations; /* location ids written */
    struct ptrmap origins;   /* objects of the current document */
    struct dir_bulk *bulk;   /* the core's bulk write, for the whole import */
    /* Rows whose objects imp_store_service() took out of the document. */
    struct csv_row **removed;
    size_t nremoved, removed_cap;
    bool store_failed; /* RES_INTERNAL from the core: stop */
    bool fatal;        /* a file cannot be read at all: import nothing */
    long long progress_total, progress_done;
    const char *progress_what;
};

/* Record a problem with a row (deduplicated). line 0: the whole file. */
void imp_problem(struct imp *im, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Record (count) a note about rows normalised or left out. */
void imp_note(struct imp *im, const char *file, long line, const char *reason);
/* Mark a row invalid and report it. */
void imp_row_problem(struct imp *im, const char *file, struct csv_row *row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Advance the progress count by one and print a line every so often. */
void imp_progress(struct imp *im);

/* Does an organization / taxonomy term / taxonomy with this id exist in the
 * database (cached in im)? */
bool imp_org_exists(struct imp *im, const char *id);
bool imp_term_exists(struct imp *im, const char *id);
bool imp_taxonomy_exists(struct imp *im, const char *id);

/*
 * Store one full service document with dir_service_store(). Field errors
 * are reported at the origin of the object they name (im->origins, else
 * so). Under per_row (tabular packages), an error inside a child object
 * removes that object (its row is reported) and the service is tried
 * again, so every problem is found; otherwise the whole service is the
 * unit. Returns true when the service was stored. Clears im->origins;
 * leaves the rows of what it took out in im->removed.
 */
bool imp_store_service(struct imp *im, json_t *doc, struct origin so, bool per_row);

/*
 * Store an organization, taxonomy or taxonomy term (kind "organization",
 * "taxonomy", "taxonomy_term"), reporting field errors at o. true if stored.
 */
bool imp_store_object(struct imp *im, const char *kind, json_t *obj, struct origin o);

/* The feed readers. Each adds problems and notes to im and stores what it
 * can; the driver decides whether to commit. path is a file or folder. */
void imp_json_file(struct imp *im, const char *path, const char *name);
void imp_json_package(struct imp *im, const char *dir);
void imp_tabular(struct imp *im, const char *dir, const char *datapackage);

/* Read a whole file into a (NUL-terminated). NULL when it cannot be read. */
char *imp_read_file(arena *a, const char *path, size_t *len);
/* Map a whole file to read (not NUL-terminated): its pages come in as they
 * are read, on the reading thread, and nothing is copied. The caller
 * unmaps it with imp_unmap_file(). NULL when it cannot be read. */
const char *imp_map_file(const char *path, size_t *len);
void imp_unmap_file(const char *data, size_t len);

/* ---- tabular packages (dir_import_tabular.c, dir_import_map.c) ---- */

enum tkind {
    TK_NONE = 0,
    TK_ORG,
    TK_SERVICE,
    TK_LOCATION,
    TK_SAL,
    TK_ADDRESS,      /* 3.0: address_type says which */
    TK_ADDRESS_PHYS, /* 1.x physical_addresses */
    TK_ADDRESS_POST, /* 1.x postal_addresses */
    TK_PHONE,
    TK_CONTACT,
    TK_SCHEDULE,      /* 3.0 */
    TK_SCHEDULE_REG,  /* 1.x regular_schedules */
    TK_SCHEDULE_HOLI, /* 1.x holiday_schedules */
    TK_COST,
    TK_AREA,
    TK_LANGUAGE,
    TK_ACCESS,
    TK_FUNDING,
    TK_ELIGIBILITY,  /* 1.x */
    TK_TAXONOMY,     /* 3.0 taxonomies */
    TK_TERM,         /* 3.0 taxonomy_terms */
    TK_TERM_1X,      /* 1.x taxonomy: terms with a vocabulary */
    TK_SERVICE_TERM, /* 1.x services_taxonomy */
    TK_ATTRIBUTE,    /* 3.0 */
    TK_IGNORED,      /* known to HSDS, not kept by chis */
    TK_COUNT
};

struct ttable {
    enum tkind kind;
    const char *name; /* the resource's HSDS name, for messages */
    struct csv_table t;
    struct strmap ids; /* id -> first row with it */
    int id_col;
    /* Owner of each row (index into tp->tables) and its row there; -1. */
    int *owner_table, *owner_row;
    int *next; /* the next row with the same owner */
    /* For an owner table: per child table, the first/last child row of
     * each of its rows (allocated when a child first links). */
    int *head[TK_COUNT], *tail[TK_COUNT];
};

struct tabular {
    struct imp *im;
    struct ttable *tables[TK_COUNT]; /* by kind; NULL when absent */
    bool v1;                         /* the 1.x layout */
    /* The rows that went into the document being built. */
    struct csv_row **used;
    size_t nused, used_cap;
};

/* Read the resources of a package into tp->tables (dir_import_package.c):
 * from datapackage.json when given, else every CSV file in dir. */
void tab_load_package(struct tabular *tp, const char *dir, const char *datapackage);

/* Build the full service document for services row i, and record each
 * object's origin in im->origins. Rows already invalid are left out. */
json_t *tab_service_doc(struct tabular *tp, int i);

/* A row of a one-to-one object as an HSDS 3.0 JSON object (names mapped
 * from 1.x), for organizations, taxonomies and terms. */
json_t *tab_object(struct tabular *tp, struct ttable *tt, int i);

/* Column names of kind that the mapping reads (NULL-terminated), so other
 * columns can be noted as ignored. */
bool tab_column_known(enum tkind k, const char *col);

/* Read "Monday", "mon", "MO" or ISO 1..7 as "MO".."SU"; NULL if not a day. */
const char *tab_weekday(const char *s);

/* A slug for a 1.x vocabulary name, used as its taxonomy's id. */
const char *tab_vocabulary_id(arena *a, const char *vocabulary);

#endif
