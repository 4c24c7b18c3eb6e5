/*
 * dir_bulk.c: the directory's bulk write (an import, the generator). It
 * holds one large transaction (store_bulk_begin) and holds back the rows
 * services write, table by table, writing them many to a statement when it
 * has gathered enough, when something is about to read them, and at the
 * end. Written one statement a row, an import of 100,000 services spent
 * more time in SQLite opening and closing cursors for its 1.5 million rows
 * than writing them.
 *
 * What is held back must look written to everything the core does in the
 * meantime, so the core asks here before it reads or deletes rows a bulk
 * write may hold (dir_store.c): whether a row is held (dir_bulk_holds), or
 * whether the table in the database may hold rows at all (a table empty at
 * the start into which nothing has been written since holds none, so the
 * core skips its look-ups and deletes). A row held twice is written once,
 * with the later values, where the first one stood: what the second upsert
 * would have done. Rows a delete covers are dropped here as well as deleted
 * there.
 *
 * Into a new directory, the rows services own (services and everything
 * listed under them, not the shared locations) also stream out while the
 * import goes on: every few thousand rows they go to a job on a second
 * thread (store_background), which writes them while this one checks and
 * renders the next services; everything else waits for it at the store.
 * Those rows can be written early because nothing reads them back: their
 * tables were empty, so the only way to meet one again is the same id
 * again, and an id that went to the writer counts as held, which makes the
 * core write everything first, as it does for a held one.
 */
#include "domain/dir_internal.h"

#include "base/log.h"
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

/* Write when the held rows' texts pass this (a 100,000-service import
 * holds about 750 MB of them), or four times this while the tables' indexes
 * are deferred: every row of a new directory is then written in one go
 * into tables without their secondary indexes, which are built at the end,
 * where any earlier write would have to build them first. */
#define HELD_BYTES_MAX ((size_t)256 << 20)
#define HELD_BYTES_MAX_DEFERRED ((size_t)1 << 30)

/* Rows that services own held at once before they go to the writer:
 * about a thousand services, a few milliseconds of writing each time. */
#define STREAM_ROWS 16384

/* The tables rows are held for, in the order they are written (parents
 * first, for a transaction that checks foreign keys as it goes). */
enum held_table {
    HT_LOCATION,
    HT_PLACE, /* a location's place_id and neighbourhood_id */
    HT_SERVICE,
    HT_SAL,
    HT_ADDRESS,
    HT_ACCESSIBILITY,
    HT_SCHEDULE,
    HT_SERVICE_AREA,
    HT_LANGUAGE,
    HT_FUNDING,
    HT_COST_OPTION,
    HT_CONTACT,
    HT_PHONE,
    HT_ATTRIBUTE,
    HT_COUNT
};

static const struct dobj *const held_objects[HT_COUNT] = {
    [HT_LOCATION] = &dir_obj_location,
    [HT_SERVICE] = &dir_obj_service,
    [HT_SAL] = &dir_obj_service_at_location,
    [HT_ADDRESS] = &dir_obj_address,
    [HT_ACCESSIBILITY] = &dir_obj_accessibility,
    [HT_SCHEDULE] = &dir_obj_schedule,
    [HT_SERVICE_AREA] = &dir_obj_service_area,
    [HT_LANGUAGE] = &dir_obj_language,
    [HT_FUNDING] = &dir_obj_funding,
    [HT_COST_OPTION] = &dir_obj_cost_option,
    [HT_CONTACT] = &dir_obj_contact,
    [HT_PHONE] = &dir_obj_phone,
    [HT_ATTRIBUTE] = &dir_obj_attribute,
};

static const char *const place_cols[] = {"id", "place_id", "neighbourhood_id"};

/* Rows of one table held back. */
struct held {
    const char *table;
    const char *cols[DOBJ_MAX_COLS];
    int ncols;
    int owner_col;            /* the column rows are dropped by (location_id), or -1 */
    struct store_value *vals; /* row-major, ncols a row */
    bool *dead;               /* dropped: not to be written */
    int *next_owned;          /* the next row with the same owner, or -1 */
    size_t nrows, cap;
    size_t base;          /* rows gone to the writer since the last write: a
                           * held row r is base + r in the maps */
    struct strmap ids;    /* id -> row */
    struct strmap owners; /* owner -> its last row */
    bool in_db;           /* the table in the database may hold rows */
    bool triggers;        /* writes fire triggers (dir_services: the text index's) */
};

/* Every table's held rows, their texts in one arena (those of the rows
 * services own in another while they stream, which goes with them to the
 * writer and comes back empty for the next: the memory is used again). */
struct dir_held {
    arena *a;
    arena *rows;         /* streaming: the held service-owned rows' texts */
    arena *spare;        /* a finished job's, emptied for the next */
    size_t stream_bytes; /* of h->bytes, what goes with the next job */
    struct held t[HT_COUNT];
    size_t nheld;          /* rows held since the last write, dropped ones too */
    size_t bytes;          /* of the held rows' texts and values */
    size_t most;           /* bytes that make a write (0: the defaults) */
    bool may_place;        /* some neighbourhood knows its LSOAs */
    bool unindexed;        /* services written since the full-text index was */
    bool fill_index;       /* dir_services' triggers are set aside: index its rows */
    bool streaming;        /* services' rows go to the writer as they gather */
    long long indexed;     /* the writer has indexed the services up to here */
    size_t stream_rows;    /* how many make a job (0: STREAM_ROWS) */
    struct batch *writing; /* what the writer has (NULL: nothing) */
};

/* Do services own the rows of held table k (so they may stream)? */
static bool service_owned(int k)
{
    return k != HT_LOCATION && k != HT_PLACE && k != HT_ADDRESS && k != HT_ACCESSIBILITY;
}

/* The rows of a job for the writer: each service-owned table's, all new;
 * the services' full-text entries too when their triggers are aside. */
struct batch {
    arena *a;          /* the rows' texts */
    bool index;        /* index the services written in the full-text index */
    long long indexed; /* the last service indexed: in, before; out, after */
    struct batch_table {
        const char *table;
        const char *const *cols;
        int ncols;
        struct store_value *vals; /* malloc'd: the batch's own */
        size_t nrows;
    } t[HT_COUNT];
};

/* The table rows of o are held in, or -1 when o's rows are not held. */
static int held_index(const struct dobj *o)
{
    for (int k = 0; k < HT_COUNT; k++)
        if (held_objects[k] == o) return k;
    return -1;
}

/* Empty every table's rows (after a flush) and start their maps again. */
static void held_clear(struct dir_held *h)
{
    h->nheld = h->bytes = h->stream_bytes = 0;
    arena_reset(h->a);
    arena_reset(h->rows);
    for (int k = 0; k < HT_COUNT; k++) {
        h->t[k].nrows = h->t[k].base = 0;
        strmap_init(&h->t[k].ids, h->a, 1024);
        strmap_init(&h->t[k].owners, h->a, 64);
    }
}

/* Does table hold any row? 1, 0, or a STORE_E_* code. table is ours. */
static int table_has_rows(struct ctx *c, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", table);
    long long one;
    return store_query_int(c->db, &one, sql, "");
}

/* The held rows' tables, described; NULL when out of memory. */
static struct dir_held *held_new(struct ctx *c)
{
    struct dir_held *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->a = arena_new(1 << 20);
    h->rows = arena_new(1 << 20);
    for (int k = 0; k < HT_COUNT; k++) {
        struct held *t = &h->t[k];
        const struct dobj *o = held_objects[k];
        t->owner_col = -1;
        if (k == HT_PLACE) {
            t->table = "dir_locations";
            t->ncols = 3;
            for (int i = 0; i < 3; i++)
                t->cols[i] = place_cols[i];
        } else {
            t->table = o->table;
            t->ncols = o->ncols;
            for (int i = 0; i < o->ncols; i++) {
                t->cols[i] = o->cols[i].name;
                if ((k == HT_ADDRESS || k == HT_ACCESSIBILITY) &&
                    strcmp(o->cols[i].name, "location_id") == 0)
                    t->owner_col = i;
            }
        }
        t->triggers = k == HT_SERVICE;
        int rc = table_has_rows(c, t->table);
        t->in_db = rc != 0; /* a failed look simply costs the shortcut */
    }
    held_clear(h);
    /* LSOAs are loaded before imports (chis import lsoas), not during. */
    h->may_place = table_has_rows(c, "neighbourhood_lsoas") != 0;
    return h;
}

/* Free the held rows' memory (held rows are dropped). */
static void held_free(struct dir_held *h)
{
    if (!h) return;
    if (h->writing) {
        for (int k = 0; k < HT_COUNT; k++)
            free(h->writing->t[k].vals);
        arena_free(h->writing->a);
        free(h->writing);
    }
    arena_free(h->rows);
    arena_free(h->spare);
    for (int k = 0; k < HT_COUNT; k++) {
        free(h->t[k].vals);
        free(h->t[k].dead);
        free(h->t[k].next_owned);
    }
    arena_free(h->a);
    free(h);
}

/* Room for one more row in t; false when out of memory. */
static bool held_room(struct held *t)
{
    if (t->nrows < t->cap) return true;
    size_t cap = t->cap ? t->cap * 2 : 1024;
    struct store_value *vals = realloc(t->vals, cap * (size_t)t->ncols * sizeof *vals);
    if (vals) t->vals = vals;
    bool *dead = realloc(t->dead, cap * sizeof *dead);
    if (dead) t->dead = dead;
    int *next = realloc(t->next_owned, cap * sizeof *next);
    if (next) t->next_owned = next;
    if (!vals || !dead || !next) return false;
    t->cap = cap;
    return true;
}

/* Move t's live rows together, over the dropped ones; how many. */
static size_t held_live(struct held *t)
{
    size_t live = 0, w = (size_t)t->ncols;
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->dead[r]) continue;
        if (live != r) memmove(&t->vals[live * w], &t->vals[r * w], w * sizeof *t->vals);
        live++;
    }
    return live;
}

/* Write every held row of t and forget them; existing: the rows are known
 * to be in the table (a location's place). 0 or a STORE_E_* code. */
static int held_write_table(struct ctx *c, struct held *t, bool existing)
{
    size_t live = held_live(t);
    /* Into a table that had no rows, rows whose ids are all different
     * (held rows always are, and differ from those that went to the
     * writer) can only be new. */
    unsigned how =
        (t->in_db || existing ? 0 : STORE_ROWS_NEW) | (t->triggers ? STORE_ROWS_ONE_BY_ONE : 0);
    int rc = live ? store_write_rows(c->db, t->table, t->cols, t->ncols, t->vals, live, how) : 0;
    if (live || t->base) t->in_db = true;
    t->nrows = 0;
    return rc;
}

/* The writer's job: every table's rows of batch arg, in order. */
static int batch_write(store_conn *db, void *arg)
{
    struct batch *j = arg;
    int rc = 0;
    for (int k = 0; k < HT_COUNT && rc == 0; k++)
        if (j->t[k].nrows)
            rc = store_write_rows(db, j->t[k].table, j->t[k].cols, j->t[k].ncols, j->t[k].vals,
                                  j->t[k].nrows, STORE_ROWS_NEW);
    /* Its services are the rows past the last indexed (rows are numbered
     * as they come): indexed here, the fill at the end has only the last
     * few left. */
    if (rc == 0 && j->index && j->t[HT_SERVICE].nrows) {
        if (store_text_index_fill(db, j->indexed) != 0 ||
            store_query_int(db, &j->indexed, "SELECT max(rid) FROM dir_services", "") != 1)
            rc = STORE_E_ERROR;
    }
    return rc;
}

/* Wait for the writer and free what it had. 0 or the STORE_E_* code it
 * failed with. */
static int stream_settle(struct ctx *c, struct dir_held *h)
{
    if (!h->writing) return 0;
    int rc = store_background_wait(c->db);
    h->indexed = h->writing->indexed;
    for (int k = 0; k < HT_COUNT; k++)
        free(h->writing->t[k].vals);
    if (!h->spare) {
        arena_reset(h->writing->a);
        h->spare = h->writing->a;
    } else {
        arena_free(h->writing->a);
    }
    free(h->writing);
    h->writing = NULL;
    return rc;
}

/* Hand the held rows services own to the writer (the last job done, its
 * rows' maps now pointing past the held ones). 0 or a STORE_E_* code. */
static int stream_rows(struct ctx *c, struct dir_held *h)
{
    int rc = stream_settle(c, h);
    struct batch *j = calloc(1, sizeof *j);
    if (rc != 0 || !j) {
        free(j);
        return rc ? rc : STORE_E_ERROR;
    }
    for (int k = 0; k < HT_COUNT; k++) {
        struct held *t = &h->t[k];
        if (!service_owned(k) || !t->nrows) continue;
        j->t[k] = (struct batch_table){t->table, t->cols, t->ncols, t->vals, held_live(t)};
        free(t->dead);
        free(t->next_owned);
        t->vals = NULL;
        t->dead = NULL;
        t->next_owned = NULL;
        t->cap = 0;
        t->base += t->nrows;
        t->nrows = 0;
    }
    h->unindexed |= j->t[HT_SERVICE].nrows > 0;
    j->a = h->rows;
    h->rows = h->spare ? h->spare : arena_new(1 << 20);
    h->spare = NULL;
    h->bytes -= h->stream_bytes;
    h->stream_bytes = 0;
    j->index = h->fill_index;
    j->indexed = h->indexed;
    h->writing = j;
    store_background(c->db, batch_write, j);
    return 0;
}

/* Start a bulk write (see directory.h). The caller owns the result. */
struct dir_bulk *dir_bulk_begin(struct ctx *c)
{
    /* Every table a bulk write of services writes, and the ones they
     * refer to that it may create (taxonomy terms from an import). */
    static const char *const tables[] = {"dir_taxonomies",
                                         "dir_taxonomy_terms",
                                         "dir_organizations",
                                         "dir_services",
                                         "dir_locations",
                                         "dir_addresses",
                                         "dir_service_at_locations",
                                         "dir_schedules",
                                         "dir_phones",
                                         "dir_contacts",
                                         "dir_cost_options",
                                         "dir_service_areas",
                                         "dir_languages",
                                         "dir_accessibility",
                                         "dir_fundings",
                                         "dir_attributes",
                                         "organisations",
                                         NULL};
    struct dir_bulk *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->sb = store_bulk_begin(c->db, tables);
    if (!b->sb) {
        free(b);
        return NULL;
    }
    b->held = held_new(c);
    b->terms = json_object();
    b->orgs = json_object();
    if (!b->held) {
        dir_bulk_end(c, b, false);
        return NULL;
    }
    /* Tables empty now get their rows before their indexes; services
     * before the triggers that queue each for the text index, which is
     * then filled from all of them at once (see dir_bulk_write_held). */
    int rc = 0;
    for (int k = 0; k < HT_COUNT && rc == 0; k++) {
        struct held *t = &b->held->t[k];
        if (k == HT_PLACE || t->in_db) continue;
        rc = store_bulk_defer_indexes(b->sb, t->table);
        if (rc == 0 && t->triggers) {
            rc = store_bulk_defer_triggers(b->sb, t->table);
            t->triggers = false;
            b->held->fill_index = true;
        }
    }
    if (rc != 0) {
        dir_bulk_end(c, b, false);
        return NULL;
    }
    b->held->streaming = store_bulk_deferring(b->sb);
    for (int k = 0; k < HT_COUNT; k++)
        if (service_owned(k) && b->held->t[k].in_db) b->held->streaming = false;
    return b;
}

/* Hold a row back (see dir_internal.h). */
int dir_bulk_put(struct ctx *c, struct dir_bulk *b, const struct dobj *o, json_t *obj,
                 const char *const *owner)
{
    int k = held_index(o);
    if (k < 0) return dobj_write(c, o, obj, owner, false);
    struct dir_held *h = b->held;
    struct held *t = &h->t[k];
    struct store_value vals[DOBJ_MAX_COLS];
    dobj_values(o, obj, owner, vals);
    bool streams = h->streaming && service_owned(k);
    size_t bytes = (size_t)t->ncols * sizeof *vals;
    for (int i = 0; i < t->ncols; i++)
        if (vals[i].type == STORE_V_TEXT) {
            size_t len = strlen(vals[i].v.s);
            vals[i].v.s = arena_strndup(streams ? h->rows : h->a, vals[i].v.s, len);
            bytes += len + 1;
        }
    h->bytes += bytes;
    if (streams) h->stream_bytes += bytes;
    const char *id = vals[0].v.s;
    /* The maps outlive a streamed row's texts: their own copy of its id. */
    const char *key = streams && vals[0].type == STORE_V_TEXT ? arena_strdup(h->a, id) : id;
    /* One probe: a new id is mapped to the row it is about to take. */
    int fresh = (int)(t->base + t->nrows);
    int row = vals[0].type == STORE_V_TEXT ? strmap_put(&t->ids, key, fresh) : -1;
    bool mapped = row == fresh;
    if (mapped) row = -1;
    if (row >= 0 && (size_t)row < t->base) {
        /* The id went to the writer with another service's rows (services
         * themselves never get here: see dir_bulk_holds()): the upsert it
         * stands for updates that row where it is, now. */
        int rc = stream_settle(c, h);
        return rc ? rc : store_write_rows(c->db, t->table, t->cols, t->ncols, vals, 1, 0);
    }
    if (row >= 0) row -= (int)t->base;
    /* The same id again overwrites its row, as an upsert would, unless the
     * row was dropped since or has moved to another owner: then the row is
     * a new one, written after the others as an insert after a delete. */
    if (row >= 0 && !t->dead[row] &&
        (t->owner_col < 0 || vals[t->owner_col].type != STORE_V_TEXT ||
         strcmp(t->vals[(size_t)row * (size_t)t->ncols + (size_t)t->owner_col].v.s,
                vals[t->owner_col].v.s) == 0)) {
        memcpy(&t->vals[(size_t)row * (size_t)t->ncols], vals, (size_t)t->ncols * sizeof *vals);
        return 0;
    }
    if (row >= 0) t->dead[row] = true;
    if (!held_room(t)) return STORE_E_ERROR;
    h->nheld++;
    size_t r = t->nrows++;
    memcpy(&t->vals[r * (size_t)t->ncols], vals, (size_t)t->ncols * sizeof *vals);
    t->dead[r] = false;
    t->next_owned[r] = -1;
    if (vals[0].type == STORE_V_TEXT && !mapped) strmap_set(&t->ids, key, (int)(t->base + r));
    if (t->owner_col >= 0 && vals[t->owner_col].type == STORE_V_TEXT) {
        const char *ow = vals[t->owner_col].v.s;
        t->next_owned[r] = strmap_get(&t->owners, ow);
        strmap_set(&t->owners, ow, (int)r);
    }
    return 0;
}

/* Write what is held if it has grown past the limit (see dir_internal.h). */
int dir_bulk_write_if_full(struct ctx *c, struct dir_bulk *b)
{
    struct dir_held *h = b->held;
    size_t most = h->most                       ? h->most
                  : store_bulk_deferring(b->sb) ? HELD_BYTES_MAX_DEFERRED
                                                : HELD_BYTES_MAX;
    if (h->bytes > most) return dir_bulk_write_held(c, b);
    if (!h->streaming || store_background_busy(c->db)) return 0;
    size_t owned = 0;
    for (int k = 0; k < HT_COUNT; k++)
        if (service_owned(k)) owned += h->t[k].nrows;
    return owned >= (h->stream_rows ? h->stream_rows : STREAM_ROWS) ? stream_rows(c, h) : 0;
}

/* Do services' rows stream to a writer? (see dir_internal.h) */
bool dir_bulk_streaming(const struct dir_bulk *b)
{
    return b->held->streaming;
}

/* Forget a remembered organization or term (see directory.h). */
void dir_bulk_forget(struct dir_bulk *b, const char *kind, const char *id)
{
    json_t *map = !b || !id                            ? NULL
                  : strcmp(kind, "organization") == 0  ? b->orgs
                  : strcmp(kind, "taxonomy_term") == 0 ? b->terms
                                                       : NULL;
    if (map) json_object_del(map, id);
}

/* Stream services' rows once rows of them are held (see dir_internal.h). */
void dir_bulk_set_stream(struct dir_bulk *b, size_t rows)
{
    b->held->stream_rows = rows;
}

/* Write held rows past bytes of them instead (see dir_internal.h). */
void dir_bulk_set_limit(struct dir_bulk *b, size_t bytes)
{
    b->held->most = bytes;
}

/* Is a row of o with this id held back? (see dir_internal.h) */
bool dir_bulk_holds(const struct dir_bulk *b, const struct dobj *o, const char *id)
{
    int k = held_index(o);
    if (k < 0 || !id) return false;
    const struct held *t = &b->held->t[k];
    int row = strmap_get(&t->ids, id);
    /* Rows gone to the writer count as held: whoever reads them must
     * first have every row written. */
    if (row < 0 || (size_t)row < t->base) return row >= 0;
    row -= (int)t->base;
    return (size_t)row < t->nrows && !t->dead[row];
}

/* May the database hold rows of o? (see dir_internal.h) */
bool dir_bulk_in_db(const struct dir_bulk *b, const struct dobj *o)
{
    int k = held_index(o);
    return k < 0 || b->held->t[k].in_db;
}

/* Drop held rows of o owned by location lid (see dir_internal.h). */
void dir_bulk_drop_located(struct dir_bulk *b, const struct dobj *o, const char *lid)
{
    int k = held_index(o);
    if (k < 0) return;
    struct held *t = &b->held->t[k];
    if (t->owner_col < 0) return;
    for (int r = strmap_get(&t->owners, lid); r >= 0; r = t->next_owned[r]) {
        const struct store_value *ow =
            &t->vals[(size_t)r * (size_t)t->ncols + (size_t)t->owner_col];
        if (ow->type == STORE_V_TEXT && strcmp(ow->v.s, lid) == 0) t->dead[r] = true;
    }
    /* Only a key the map has already (its own copy) is set again. */
    if (strmap_get(&t->owners, lid) >= 0) strmap_set(&t->owners, lid, -1);
}

/* Can venues be placed by postcode? (see dir_internal.h) */
bool dir_bulk_may_place(const struct dir_bulk *b)
{
    return b->held->may_place;
}

/* Set a location's place and neighbourhood (see dir_internal.h). */
int dir_bulk_place(struct ctx *c, struct dir_bulk *b, const char *lid, long long place,
                   long long hood)
{
    struct held *t = &b->held->t[HT_PLACE];
    const struct store_value vals[3] = {
        {STORE_V_TEXT, {.s = arena_strdup(b->held->a, lid)}},
        place ? (struct store_value){STORE_V_INT, {.i = place}}
              : (struct store_value){STORE_V_NULL, {0}},
        hood ? (struct store_value){STORE_V_INT, {.i = hood}}
             : (struct store_value){STORE_V_NULL, {0}},
    };
    int row = strmap_get(&t->ids, lid);
    if (row >= 0) {
        memcpy(&t->vals[(size_t)row * 3], vals, sizeof vals);
        return 0;
    }
    if (!held_room(t)) return STORE_E_ERROR;
    b->held->nheld++;
    size_t r = t->nrows++;
    memcpy(&t->vals[r * 3], vals, sizeof vals);
    t->dead[r] = false;
    t->next_owned[r] = -1;
    strmap_set(&t->ids, vals[0].v.s, (int)r);
    (void)c;
    return 0;
}

/* Write every held row, parents first (see dir_internal.h). */
int dir_bulk_write_held(struct ctx *c, struct dir_bulk *b)
{
    bool streamed = b->held->writing != NULL;
    int rc = stream_settle(c, b->held);
    for (int k = 0; k < HT_COUNT; k++)
        streamed |= b->held->t[k].base > 0;
    /* From here the tables have rows to be read back: no more streaming. */
    b->held->streaming = false;
    if (rc != 0 || (b->held->nheld == 0 && !streamed)) return rc;
    b->held->unindexed |= b->held->t[HT_SERVICE].nrows > 0;
    for (int k = 0; k < HT_COUNT && rc == 0; k++)
        rc = held_write_table(c, &b->held->t[k], k == HT_PLACE);
    held_clear(b->held);
    /* Once rows are in, look-ups and deletes may read them by index, and
     * later writes need the triggers: what was set aside comes back, and
     * the services written without their triggers are indexed now. */
    if (rc == 0 && store_bulk_deferring(b->sb) && store_bulk_restore(b->sb) != 0)
        rc = STORE_E_ERROR;
    if (rc == 0 && b->held->fill_index && store_text_index_fill(c->db, b->held->indexed) != 0)
        rc = STORE_E_ERROR;
    if (b->held->fill_index) b->held->t[HT_SERVICE].triggers = true;
    b->held->fill_index = false;
    return rc;
}

/* Write what is held and index it (see directory.h). Cheap when nothing
 * is held: the importer calls it before every organization it stores. */
result dir_bulk_flush(struct ctx *c, struct dir_bulk *b)
{
    int rc = dir_bulk_write_held(c, b);
    if (rc < 0) return ctx_store_failure(c, rc, "storing services");
    if (!b->held->unindexed) return RES_OK;
    b->held->unindexed = false;
    return store_text_index_flush(c->db) == 0 ? RES_OK
                                              : ctx_store_failure(c, STORE_E_ERROR, "indexing");
}

/* Commit or roll back, and free b (see directory.h). */
result dir_bulk_end(struct ctx *c, struct dir_bulk *b, bool keep)
{
    if (!b) return keep ? ctx_fail(c, RES_INTERNAL, "there is no write to keep") : RES_OK;
    result res = RES_OK;
    int failed = b->held ? stream_settle(c, b->held) : 0;
    if (keep && failed) {
        store_bulk_rollback(b->sb);
        res = ctx_store_failure(c, failed, "storing services");
    } else if (keep) {
        char *why = NULL;
        if (store_bulk_commit(b->sb, &why) != 0) {
            if (why) log_error("directory: %s", why);
            res = ctx_fail(c, RES_INTERNAL, "%s", why ? why : "the write could not be saved");
            free(why);
        }
    } else {
        store_bulk_rollback(b->sb);
    }
    json_decref(b->terms);
    json_decref(b->orgs);
    held_free(b->held);
    free(b);
    return res;
}
