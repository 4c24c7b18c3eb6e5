/*
 * dir_search_index.h: what the directory search keeps in memory between
 * requests (dir_search_index.c), so that the common public search (words,
 * a postcode and distance, a taxonomy term) is answered in microseconds
 * rather than by SQLite joining thousands of rows each time:
 *
 *   - every service_at_location with coordinates: latitude, longitude,
 *     service rid and service_at_location rid, sorted by latitude;
 *   - every taxonomy term's services (rids, sorted);
 *   - the matches of recently searched words (rids, sorted, with scores),
 *     read from the full-text index, least recently used forgotten first.
 *
 *   - which services are not public: pending (read at the same version)
 *     and deleted (read again whenever the deleted services change:
 *     deleting is the one change that leaves the full-text index alone).
 *
 * The lists cover every service, public or not; the other filters (ages,
 * days and times ...) are checked in SQL on the few candidates these
 * leave. Private to the search (dir_search*.c).
 *
 * One index per thread, for the store connection it was last used with,
 * valid while the full-text index's version (store_text_search.version_sql)
 * is the one it was built at: every write of a service, its locations or
 * its terms rewrites its text row, so that version moves with them. It is
 * read again only when the store's data version has moved. Never used
 * inside a transaction (uncommitted writes are not in it).
 */
#ifndef CHIS_DIR_SEARCH_INDEX_H
#define CHIS_DIR_SEARCH_INDEX_H

#include "domain/ctx.h"

#include <stdbool.h>
#include <stdint.h>

struct dsi;

struct dsi_point {
    int cell; /* the band of latitude it is in (see dir_search_index.c) */
    double lat, lng;
    double x, y, z; /* on the unit sphere: a dot product says how far, without trigonometry */
    long long svc;  /* dir_services.rid */
    long long sal;  /* dir_service_at_locations.rid */
};

/* The unit vector of a latitude and longitude (degrees). */
void dsi_unit(double lat, double lng, double *x, double *y, double *z);

/*
 * A term's services or a word's matches: rids ascending, their scores
 * (lower is better; NULL for a term), and a bitmap of the same rids for
 * membership in one step (dsi_has).
 */
struct dsi_list {
    const long long *rid;
    const float *score;
    int n;
    const uint64_t *bits;
    long long nbits; /* rids below this are in the bitmap's range */
};

static inline bool dsi_has(const struct dsi_list *l, long long rid)
{
    return rid >= 0 && rid < l->nbits && ((l->bits[rid >> 6] >> (rid & 63)) & 1);
}

/*
 * This thread's index for c->db, checked against the store (and emptied
 * when stale). NULL when it cannot be used here (inside a transaction, no
 * full-text search, or the store failed: then the caller searches by SQL).
 */
struct dsi *dsi_get(struct ctx *c);

/*
 * Reads the points when this index has not yet. RES_OK or RES_INTERNAL.
 * Then dsi_box and dsi_points_of may be used.
 */
result dsi_load_points(struct ctx *c, struct dsi *x);

/* The most ranges dsi_box() gives: one per band of latitude. */
#define DSI_MAX_RANGES 3601

/*
 * The points in the box around the circle of radius_m metres about
 * lat/lng (a little more than the box, never less), as ranges [from, to)
 * of indexes into dsi_points(x), at most DSI_MAX_RANGES of them in ranges;
 * returns how many. The caller checks the distance. The points must have
 * been read (dsi_load_points).
 */
int dsi_box(struct dsi *x, double lat, double lng, double radius_m, int (*ranges)[2]);

/* The index's points (see dsi_box). */
const struct dsi_point *dsi_points(const struct dsi *x);

/* The service of each of the index's points, in the same order: a box's
 * stretch of points is scanned by service first, and these are eight
 * bytes a point where the points are sixty-four. */
const long long *dsi_point_services(const struct dsi *x);

/*
 * The points of term term_id's services, as indexes into dsi_points(x),
 * ascending (so in the points' order, and a box's stretches of them are
 * found by binary search); *n of them. Made the first time. The term must
 * be one this search asked dsi_term() for, and the points read; NULL
 * otherwise (the caller scans all the points).
 */
const int *dsi_term_points(struct dsi *x, const char *term_id, int *n);

/* How many bytes the terms' point indexes take now; and the most they may
 * take before a new one makes the others go (0: the default, 16 MiB), for
 * tests and for machines short of memory. */
size_t dsi_term_point_bytes(const struct dsi *x);
void dsi_limit_term_points(struct dsi *x, size_t bytes);

/* The points of service svc (a copy of them kept in service order, so a
 * pass over services in rid order reads memory in order), *n of them; NULL
 * when none. The points must have been read (dsi_load_points). */
const struct dsi_point *dsi_points_of(struct dsi *x, long long svc, int *n);

/*
 * The services with taxonomy term term_id, read the first time. false
 * (RES_INTERNAL in *res) on failure.
 */
bool dsi_term(struct ctx *c, struct dsi *x, const char *term_id, struct dsi_list *out, result *res);

/*
 * The matches of one one-word text query (store_text_search.words), read
 * from the full-text index the first time. false (RES_INTERNAL in *res)
 * on failure.
 */
bool dsi_words(struct ctx *c, struct dsi *x, const char *word, struct dsi_list *out, result *res);

/*
 * Is service svc public (published and not deleted)? 1 or 0; -1 when the
 * store failed. The first call after a change reads which are not.
 */
int dsi_public(struct ctx *c, struct dsi *x, long long svc);

/* How many services are public; -1 when the store failed. */
long long dsi_public_count(struct ctx *c, struct dsi *x);

/*
 * Texts read for hits, kept between searches (cleared with the rest when
 * the full-text index's version moves: every write of a service rewrites
 * its text row). Two kinds: a service's (key: its rid) and a service at a
 * location's (key: its rid). Strings stay valid until the next dsi_get.
 */
enum dsi_text_kind { DSI_SERVICE = 0, DSI_LOCATION = 1 };

struct dsi_text {
    const char
        *s[4]; /* service: id, name, organization_id, summary;
                * location: sal id, location id, location name (may be NULL), location JSON */
};

/* The texts kept for key, or NULL. */
const struct dsi_text *dsi_text_get(struct dsi *x, enum dsi_text_kind kind, long long key);

/* Keeps copies of the texts for key (unless the store of texts is full). */
void dsi_text_put(struct dsi *x, enum dsi_text_kind kind, long long key, const struct dsi_text *t);

/* Binary search in ascending rids: the index of rid, or -1. */
int dsi_find(const long long *rids, int n, long long rid);

#endif
