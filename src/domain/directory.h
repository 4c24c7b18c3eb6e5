/*
 * directory.h: the Creative Health directory, stored as Open Referral (HSDS
 * 3.0, UK profile) objects. This header holds the trusted core every
 * directory feature is built on: storing and rendering whole HSDS documents,
 * postcodes and distances. It does not authorise: its callers do (the
 * importer runs as the operator, the public API only reads published
 * services, dir_edit.c checks who may propose and approve).
 *
 * Documents are jansson trees in HSDS 3.0 shape ("full service": the service
 * with its organization, service_at_locations[].location, schedules,
 * cost_options, attributes[].taxonomy_term ...). Writing one normalises it
 * into the dir_* tables in one transaction and re-renders the stored
 * document from the rows, so what the API serves is always what the rows
 * say. Field errors name the path inside the document, e.g.
 * "service_at_locations[0].location.latitude".
 */
#ifndef CHIS_DIRECTORY_H
#define CHIS_DIRECTORY_H

#include "domain/ctx.h"

#include <jansson.h>
#include <stdbool.h>

/* The taxonomy chis ships (dir_taxonomy.c): activity types and needs.
 * HSDS ids are UUIDs, so these are fixed ones, the same in every system. */
#define DIR_CH_TAXONOMY_ID "078c3372-7620-4dbc-88a6-a167c21d9dd6"
#define DIR_CH_ACTIVITY_ROOT "3a935772-1f78-469b-8b31-88ab39c68387"
#define DIR_CH_NEED_ROOT "e9cd5f4f-478d-4104-ab8e-4c7bcc44862c"

/* The ORUK API version string and profile. */
#define DIR_HSDS_VERSION "HSDS-UK-3.0"
#define DIR_PROFILE_URL "https://github.com/openreferral/uk-profile"

enum dir_state_flag {
    DIR_PUBLISHED = 0, /* public at once */
    DIR_PENDING = 1,   /* stored, but not public until approved */
};

struct dir_write_opts {
    enum dir_state_flag state;
    /* Keep the document's last_modified (an import); otherwise it is now. */
    bool keep_modified;
    /* Taxonomy terms named by attributes that do not exist yet are created
     * from the inline taxonomy_term object when it has a name (imports). */
    bool create_terms;
    /* A bulk write (an import, the generator): see dir_bulk_begin(). */
    struct dir_bulk *bulk;
    /* The document has passed dir_service_check() as it is now (an import
     * checks while it parses, on another thread): not checked again. */
    bool checked;
};

/*
 * A bulk write: many services stored in one large transaction that
 * dir_bulk_begin() starts (NULL when it cannot) and dir_bulk_end() commits
 * (keep) or rolls back, freeing b either way (b may be NULL). Each service
 * then skips its own savepoint; the organizations and taxonomy terms
 * services refer to are read once and remembered, so they must not change
 * while it lasts (store them first); and the services' rows are written
 * many to a statement, some time after dir_service_store() returns.
 * dir_bulk_flush() must run before dir_bulk_end(c, b, true): it writes
 * what is held back and brings the full-text index up to date, once for
 * the whole write. Both return RES_OK or a failure.
 */
struct dir_bulk *dir_bulk_begin(struct ctx *c);
result dir_bulk_flush(struct ctx *c, struct dir_bulk *b);
result dir_bulk_end(struct ctx *c, struct dir_bulk *b, bool keep);
/* Forget what b remembers of an organization or taxonomy term (kind
 * "organization" or "taxonomy_term") once it has been stored again, so the
 * services stored next show it as it is now. b may be NULL. */
void dir_bulk_forget(struct dir_bulk *b, const char *kind, const char *id);

/*
 * Validate a full service document without writing anything. Adds field
 * errors to c and returns RES_INVALID, or RES_OK. Normalises in place what can
 * be normalised without guessing: trims text, lower-cases enums it knows
 * ("Active" -> "active"), reads times like "9:00am" as "09:00:00", turns
 * literal "\n" sequences into newlines and strips markup from descriptions.
 */
result dir_service_check(struct ctx *c, json_t *doc);

/*
 * Store a full service document: create it or replace the one with the same
 * id (its children are replaced; locations are shared between services and
 * are upserted by id). The organization must already exist (organization_id
 * or organization.id). Missing ids of child objects are generated (UUIDs)
 * and written back into doc. Runs dir_service_check() first. One
 * transaction (a savepoint inside the caller's). RES_OK, RES_INVALID with
 * field errors, RES_INTERNAL.
 */
result dir_service_store(struct ctx *c, json_t *doc, const struct dir_write_opts *o);

/*
 * Render the stored service with this HSDS id as a full service document, as
 * from the rows (not the cached copy). Locations also carry chis's own
 * "place_id" and "neighbourhood_id" when set (the editor's and export's
 * view; the public document leaves them out). The service carries "state"
 * ("pending" or "published") and "deleted_at" when set. The caller owns the result and
 * json_decref()s it. NULL and RES_NOT_FOUND in *res if there is none.
 */
json_t *dir_service_render(struct ctx *c, const char *id, result *res);

/* Take chis's own members (state, deleted_at, a location's place_id and
 * neighbourhood_id) out of a rendered document, leaving pure HSDS: what the
 * public API and exports show. */
void dir_document_public(json_t *doc);

/* Re-render the cached document (and so its summary) of every service of one
 * directory organization (after the organization changed). */
result dir_services_refresh_organization(struct ctx *c, const char *organization_id);

/*
 * Soft-delete (deleted_at set; not public; restorable) or undelete a service.
 * RES_NOT_FOUND when there is no such service.
 */
result dir_service_set_deleted(struct ctx *c, const char *id, bool deleted);

/* Remove a service and everything only it owns, for ever (the 30-day purge). */
result dir_service_purge(struct ctx *c, const char *id);

/*
 * Store an HSDS organization. organisation_id links it to a chis
 * organisation; 0 keeps the existing link or, for a new one, links it to
 * the chis organisation of the same name, creating one (sector "other")
 * when there is none. RES_OK / RES_INVALID / RES_INTERNAL.
 */
result dir_organization_store(struct ctx *c, json_t *org, long long organisation_id);

/* The organization as HSDS JSON (one-to-one fields), plus "organisation_id"
 * when with_link. Caller owns it. NULL and RES_NOT_FOUND when absent. */
json_t *dir_organization_render(struct ctx *c, const char *id, bool with_link, result *res);

/* Store an HSDS taxonomy or taxonomy term (upsert by id). */
result dir_taxonomy_store(struct ctx *c, json_t *taxonomy);
result dir_taxonomy_term_store(struct ctx *c, json_t *term);
json_t *dir_taxonomy_render(struct ctx *c, const char *id, result *res);
json_t *dir_taxonomy_term_render(struct ctx *c, const char *id, result *res);

/* Install (or bring up to date) the Creative Health taxonomy chis ships.
 * Idempotent; run by cli_open and by the tests' fixture. */
result dir_taxonomy_ensure(struct ctx *c);

/* A new random (version 4) UUID, lower case, in c->a. */
const char *dir_uuid(struct ctx *c);

/*
 * Normalise a UK postcode: upper case, inner spaces removed into key
 * ("HX11AA", at least 8 bytes) and the display form with one space before
 * the inward code ("HX1 1AA", at least 9 bytes). Accepts a full postcode or
 * an outcode alone ("HX1"). Returns 0, or -1 when it is not shaped like one.
 * *is_outcode tells which it was.
 */
int postcode_normalise(const char *in, char *key, char *display, bool *is_outcode);

/*
 * The centroid of a postcode from the postcodes table, falling back to its
 * outcode's centroid (*approximate set) when the full postcode is unknown.
 * RES_INVALID when malformed, RES_NOT_FOUND when neither is known.
 */
result postcode_locate(struct ctx *c, const char *postcode, double *lat, double *lng,
                       bool *approximate);

/*
 * Read a time of day as feeds write it ("9:00am", "9am", "12 PM", "17:30",
 * "17:30:00", "0930") into out as "HH:MM:SS". 0, or -1 when it is not one.
 */
int dir_time_normalise(const char *in, char out[9]);

/* Great-circle distance in metres between two WGS84 points. */
double geo_distance_m(double lat1, double lng1, double lat2, double lng2);

#endif
