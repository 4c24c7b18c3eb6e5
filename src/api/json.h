/*
 * json.h: the API's JSON helpers: records to JSON and back, responses,
 * problem+json, and mapping domain results to HTTP statuses.
 */
#ifndef CHIS_API_JSON_H
#define CHIS_API_JSON_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "api/api.h"
#include "http/request.h"
#include "store/records.h"

#include <jansson.h>

/* A new JSON object with the record's fields in order (caller owns it). */
json_t *json_from_rec(const rec *r);

/*
 * Parse the request body as a JSON object into a record in r->a. Answers the
 * request itself (415, 400 or 422) and returns NULL when the body is not a
 * usable JSON object; values of a type records cannot hold become field
 * errors (422).
 */
rec *json_body_rec(struct req *r);

/* Parse the body as JSON (any value); answers 415/400 itself and returns NULL. */
json_t *json_body(struct req *r);

/* Send json (stolen: this call releases it) with the status. */
void api_json(struct req *r, int status, json_t *json);

/* The HTTP status for a domain result. */
int api_status(result res);

/* Answer with the problem for a failed domain call (status from res). */
void api_fail(struct req *r, result res);

/* The same for a read: its bad parameters are the request's fault, so
 * RES_INVALID is 400 (naming them) rather than 422. */
void api_read_fail(struct req *r, result res);

/* Parse a positive id path parameter; answers 404 and returns 0 when it is not one. */
long long api_path_id(struct req *r, int param);

/* Parse page/per_page; answers 400 and returns -1 when malformed. */
int api_paging(struct req *r, long long *page, long long *per_page);

/* A page of records as {"items": [...], "page", "per_page", "total",
 * "total_pages"}. page and per 0: everything on one page (per = the total). */
json_t *api_page_json(const struct store_page *pg, long long page, long long per);

/* Are all query parameters among the allowed ones (NULL-terminated)?
 * Otherwise answers 400 naming each stranger and returns false. */
bool api_only_params(struct req *r, const char *const *allowed);

/* A query value, NULL when absent or empty (forms send empty for "any"). */
const char *api_query_value(struct req *r, const char *name);

#endif
