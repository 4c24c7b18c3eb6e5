/*
 * dir_search.h: finding published directory services, for the public Open
 * Referral UK API (/openreferral/services, /service_at_locations) and the
 * public directory page. One query model serves both: the API fills it from
 * its query string, the page from its form (which adds place, neighbourhood
 * and free-of-charge filters).
 *
 * Only services that are published and not deleted are ever found. Filters
 * are cumulative (AND). Ordering: by distance when a postcode is given
 * (nearest location of the service first), else by relevance when searching
 * (the name weighs more than the description), else by name; ties by the
 * service's row number.
 *
 * How (dir_search.c, dir_search_fast.c, dir_search_index.c): the common
 * public questions (words and/or a postcode and distance and/or terms) are
 * answered from lists kept in memory per thread (points, terms' services,
 * words' matches, recent hits' texts), checked against the store's
 * versions; everything else, and anything inside a transaction, by SQL.
 *
 * Parameter names, values and their meaning follow the ORUK 3.0 OpenAPI
 * (../shared/standards/oruk-3.0/openapi30.json):
 *   search            full-text words (case and word endings do not matter)
 *   taxonomy_term_id  services with this taxonomy term (repeatable: all of them)
 *   taxonomy_id       services with any term of this taxonomy
 *   organization_id   services of this directory organization
 *   minimum_age       services whose minimum_age is at least this
 *   maximum_age       services whose maximum_age is at most this
 *   start_time        services with a schedule opening at or after this (HH:MM[:SS])
 *   end_time          services with a schedule closing at or before this
 *   day               services with a schedule on this day (MO..SU or Monday..Sunday)
 *                     (day, start_time and end_time must hold for one same schedule)
 *   postcode          a UK postcode (or outcode): distances from its centroid
 *   proximity         metres from the postcode's centroid (needs postcode)
 *   modified_after    services last modified at or after this ISO-8601 date/time
 *   page, per_page    1-based page and its size (default 50, at most 1000)
 * and, for the web page only (DIR_Q_WEB):
 *   place_id, neighbourhood_id  services with a location there
 *   free_only                   services with no charge (1/true/on)
 * An empty value is the same as none (forms send empty fields).
 */
#ifndef CHIS_DIR_SEARCH_H
#define CHIS_DIR_SEARCH_H

#include "domain/ctx.h"

#include <jansson.h>
#include <stdbool.h>

#define DIR_PER_PAGE_DEFAULT 50
#define DIR_PER_PAGE_MAX 1000
/* The last page anyone may ask for: (page - 1) * per_page must never
 * overflow, and no directory has a billion services. */
#define DIR_PAGE_MAX 1000000
#define DIR_QUERY_MAX_TERMS 4

/* What a hit is: a service, or one service at one of its locations. */
enum dir_unit {
    DIR_UNIT_SERVICE = 0,
    DIR_UNIT_SERVICE_AT_LOCATION,
};

/* Which parameters a caller accepts beyond the ORUK ones. */
enum dir_query_flags {
    DIR_Q_WEB = 1 << 0, /* place_id, neighbourhood_id, free_only */
};

/* A query parameter as name and (decoded) value. */
struct dir_param {
    const char *name;
    const char *value;
};

/*
 * A search. Zero it (or dir_query_init) and set what is wanted; strings are
 * borrowed (dir_query_parse puts them in c->a). NULL / false / 0 means "no
 * such filter".
 */
struct dir_query {
    enum dir_unit unit;
    const char *search;
    const char *taxonomy_term_ids[DIR_QUERY_MAX_TERMS];
    int nterms;
    const char *taxonomy_id;
    const char *organization_id;
    bool has_minimum_age, has_maximum_age;
    double minimum_age, maximum_age;
    char start_time[9]; /* "HH:MM:SS", or "" */
    char end_time[9];
    char day[3];                /* "MO".."SU", or "" */
    const char *postcode;       /* as given; dir_search normalises and locates it */
    double proximity_m;         /* > 0: only within this many metres (needs postcode) */
    const char *modified_after; /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC) */
    long long place_id;
    long long neighbourhood_id;
    bool free_only;
    long long page;     /* 1-based; 0 reads as 1 */
    long long per_page; /* 0 reads as DIR_PER_PAGE_DEFAULT */
    bool all;           /* no paging: every hit (format=ndjson) */
};

/* Zero q and set the defaults (page 1, per_page 50, unit as given). */
void dir_query_init(struct dir_query *q, enum dir_unit unit);

/*
 * Fill q (already initialised) from n query parameters. Parameters named in
 * also_allowed (NULL-terminated, may be NULL) belong to the caller and are
 * skipped; any other unknown name is an error. Each bad parameter becomes a
 * field error named by the parameter: a page that is not a whole number of
 * 1 or more, a per_page above DIR_PER_PAGE_MAX, an unknown day, a malformed
 * time, age, date or postcode, proximity without a postcode, an unknown
 * parameter. Checks form only: whether a postcode is known is dir_search's
 * business. Returns RES_OK or RES_INVALID. Strings land in c->a.
 */
result dir_query_parse(struct ctx *c, struct dir_query *q, const struct dir_param *p, int n,
                       unsigned flags, const char *const *also_allowed);

/* One hit. Strings live in c->a, or in the search's in-memory index (valid
 * until the next search on this thread): use them before searching again. */
struct dir_hit {
    long long rid;               /* dir_services.rid */
    const char *id;              /* the service's HSDS id */
    const char *name;            /* the service's name */
    const char *organization_id; /* its directory organization */
    const char *organization_name;
    const char *summary;  /* JSON text: one-to-one fields + organization (the document's start) */
    const char *document; /* dir_services.document: JSON text, the full service (only when asked) */
    /* DIR_UNIT_SERVICE_AT_LOCATION: this service_at_location; DIR_UNIT_SERVICE
     * with a postcode: the service's nearest location. NULL otherwise. */
    const char *sal_id;
    const char *location_id;
    const char *location_name;
    const char *location_json; /* the location's one-to-one fields as JSON text */
    bool has_distance;         /* a postcode was given and the location has coordinates */
    double distance_m;
    double rank; /* relevance when searching: lower is better (chis_rank, like bm25) */
};

struct dir_results {
    long long total;       /* hits over all pages */
    long long page;        /* as asked (may be past the end) */
    long long per_page;    /* as used */
    long long total_pages; /* ceil(total / per_page); 1 when nothing found (an empty page 1) */
    struct dir_hit *hits;  /* this page's, in order; in c->a */
    int nhits;
    /* When a postcode was given: its display form, centroid, and whether the
     * centroid is the outcode's because the full postcode is unknown. */
    const char *postcode;
    double lat, lng;
    bool approximate;
};

/* What dir_search fetches for each hit of the page beyond the ids. */
enum dir_fetch {
    DIR_FETCH_SUMMARY = 1 << 0,  /* hit.summary */
    DIR_FETCH_DOCUMENT = 1 << 1, /* hit.document */
    DIR_FETCH_LOCATION = 1 << 2, /* hit.location_json (service_at_locations) */
    /* Only what the API's lists write: no organization_name, and for a
     * service no nearest location (sal_id, location_id, location_name):
     * each is one more lookup per hit. */
    DIR_FETCH_LEAN = 1 << 3,
};

/*
 * Run a query. Fills out with the total and this page's hits (q->all: every
 * hit, one page). fetch says which texts to read for the hits. RES_OK;
 * RES_INVALID with a field error on "postcode" when the postcode is not
 * known (not even its outcode); RES_INTERNAL.
 */
result dir_search(struct ctx *c, const struct dir_query *q, unsigned fetch,
                  struct dir_results *out);

/*
 * The same as dir_search with q->all, handing each hit to fn in order
 * instead of keeping them all (fetching a hit's texts just before its call,
 * so memory stays bounded by the ids): for unpaginated ndjson. fn returns 0
 * to go on, non-zero to stop. out receives the totals and no hits. When
 * max > 0 and there are more hits than that, nothing is handed over and
 * the answer is RES_CONFLICT (out->total says how many there are).
 */
result dir_search_each(struct ctx *c, const struct dir_query *q, unsigned fetch, long long max,
                       int (*fn)(void *ud, const struct dir_hit *h), void *ud,
                       struct dir_results *out);

/* ---- Reads of single public objects and the other public lists (dir_search_read.c) ---- */

/*
 * The full document (JSON text in c->a) of the service with this HSDS id,
 * when it is published and not deleted. RES_OK, RES_NOT_FOUND, RES_INTERNAL.
 */
result dir_public_service(struct ctx *c, const char *id, const char **document);

/*
 * The full service_at_location with this id, when its service is public: a
 * new object (the caller json_decref()s it) with id, service_id,
 * location_id, its own members from the service document (description,
 * schedules ...), "location" (the full location) and "service" (the full
 * service without its service_at_locations). RES_OK, RES_NOT_FOUND,
 * RES_INTERNAL.
 */
result dir_public_service_at_location(struct ctx *c, const char *id, json_t **out);

/*
 * The directory organization with this id as HSDS JSON (one-to-one fields,
 * never the link to the chis organisation), when it has at least one public
 * service: organizations with none are not part of the public directory.
 * The caller owns *out. RES_OK, RES_NOT_FOUND, RES_INTERNAL.
 */
result dir_public_organization(struct ctx *c, const char *id, json_t **out);

/* A page of ids from one of the lists below. */
struct dir_id_page {
    long long total;  /* over all pages */
    const char **ids; /* this page's, in order, in c->a */
    int n;
};

/* What the taxonomy, term and organization lists can be asked. */
struct dir_list_query {
    const char *search;      /* words in the name (case ignored) */
    const char *taxonomy_id; /* terms: of this taxonomy */
    const char *parent_id;   /* terms: children of this term */
    bool top_only;           /* terms: only those without a parent */
    long long page;          /* 1-based */
    long long per_page;
    bool all; /* every row, no paging */
};

/* Taxonomies by name; terms by taxonomy, then name; organizations (with a
 * public service) by name. RES_OK or RES_INTERNAL. */
result dir_list_taxonomies(struct ctx *c, const struct dir_list_query *q, struct dir_id_page *out);
result dir_list_taxonomy_terms(struct ctx *c, const struct dir_list_query *q,
                               struct dir_id_page *out);
result dir_list_organizations(struct ctx *c, const struct dir_list_query *q,
                              struct dir_id_page *out);

#endif
