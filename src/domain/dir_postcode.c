/*
 * dir_postcode.c: UK postcodes and distances. A postcode is an outward code
 * (area letters, district digits, sometimes a letter: "HX1", "SW1A") and an
 * inward code (a digit and two letters: "1AA"). People type them in any
 * case and spacing, so they are stored and looked up normalised.
 */
#include "domain/dir_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Is s (upper case, no spaces) shaped like an outward code: A9, A99, AA9,
 * AA99, A9A, AA9A? */
static bool outcode_shaped(const char *s, size_t n)
{
    if (n < 2 || n > 4 || !isalpha((unsigned char)s[0])) return false;
    size_t i = isalpha((unsigned char)s[1]) ? 2 : 1;
    if (i >= n || !isdigit((unsigned char)s[i])) return false;
    i++;
    if (i < n && (isdigit((unsigned char)s[i]) || isalpha((unsigned char)s[i]))) i++;
    return i == n;
}

/* Normalise a postcode or outcode (see directory.h). */
int postcode_normalise(const char *in, char *key, char *display, bool *is_outcode)
{
    char s[16];
    size_t n = 0;
    if (!in) return -1;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '\t') continue;
        if (!isalnum((unsigned char)*p) || n >= 8) return -1;
        s[n++] = (char)toupper((unsigned char)*p);
    }
    s[n] = '\0';
    if (outcode_shaped(s, n)) {
        *is_outcode = true;
        memcpy(key, s, n + 1);
        memcpy(display, s, n + 1);
        return 0;
    }
    if (n < 5 || !isdigit((unsigned char)s[n - 3]) || !isalpha((unsigned char)s[n - 2]) ||
        !isalpha((unsigned char)s[n - 1]) || !outcode_shaped(s, n - 3))
        return -1;
    *is_outcode = false;
    memcpy(key, s, n + 1);
    snprintf(display, 9, "%.*s %s", (int)(n - 3), s, s + n - 3);
    return 0;
}

/* The centroid of a postcode, else of its outcode (see directory.h). */
result postcode_locate(struct ctx *c, const char *postcode, double *lat, double *lng,
                       bool *approximate)
{
    char key[16], display[16];
    bool outcode = false;
    if (postcode_normalise(postcode, key, display, &outcode) != 0)
        return ctx_fail(c, RES_INVALID, "'%s' is not a UK postcode.", postcode ? postcode : "");
    *approximate = outcode;
    if (!outcode) {
        store_stmt *st =
            store_prepare(c->db, "SELECT latitude, longitude FROM postcodes WHERE postcode = $1");
        if (!st) return ctx_store_failure(c, STORE_E_ERROR, "finding a postcode");
        store_bindf(st, "t", key);
        bool found = store_step(st) == STORE_ROW;
        if (found) {
            *lat = store_col_double(st, 0);
            *lng = store_col_double(st, 1);
        }
        store_done(st);
        if (found) return RES_OK;
        key[strlen(key) - 3] = '\0'; /* fall back to the outward code */
        *approximate = true;
    }
    store_stmt *st =
        store_prepare(c->db, "SELECT latitude, longitude FROM outcodes WHERE outcode = $1");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "finding an outcode");
    store_bindf(st, "t", key);
    bool found = store_step(st) == STORE_ROW;
    if (found) {
        *lat = store_col_double(st, 0);
        *lng = store_col_double(st, 1);
    }
    store_done(st);
    return found ? RES_OK : ctx_fail(c, RES_NOT_FOUND, "The postcode %s is not known.", display);
}

/* Haversine distance on a sphere of the Earth's mean radius, in metres:
 * within 0.5% of the ellipsoid, far closer than "how far to walk". */
double geo_distance_m(double lat1, double lng1, double lat2, double lng2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);
    return 2 * r * asin(sqrt(h < 1 ? h : 1));
}

/* See dir_internal.h. */
int dir_location_placed(struct ctx *c, json_t *loc, long long *place, long long *hood)
{
    *place = *hood = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(loc, "addresses"), i, a)
    {
        const char *type = json_string_value(json_object_get(a, "address_type"));
        const char *pc = json_string_value(json_object_get(a, "postal_code"));
        char key[16], display[16];
        bool outcode;
        if ((type && strcmp(type, "physical") != 0) || !pc ||
            postcode_normalise(pc, key, display, &outcode) != 0 || outcode)
            continue;
        store_stmt *st = store_prepare(c->db, "SELECT n.id, n.place_id FROM postcodes p"
                                              " JOIN neighbourhood_lsoas l ON l.lsoa = p.lsoa"
                                              " JOIN neighbourhoods n ON n.id = l.neighbourhood_id"
                                              " WHERE p.postcode = $1");
        if (!st) return STORE_E_ERROR;
        store_bind_text(st, 1, key);
        int rc = store_step(st);
        if (rc == STORE_ROW) {
            *hood = store_col_int(st, 0);
            *place = store_col_int(st, 1);
        }
        store_done(st);
        return rc < 0 ? rc : 0;
    }
    return 0;
}
