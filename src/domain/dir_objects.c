/*
 * dir_objects.c: the HSDS 3.0 objects chis stores, described column by
 * column, and the generic check, write and render that work from those
 * descriptions. The members are HSDS 3.0's; the UK profile leaves some out
 * of what it requires, but a feed that carries them keeps them.
 */
#include "domain/dir_internal.h"

#include "base/text.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

static const char *const service_status[] = {"active", "inactive", "defunct", "temporarily closed",
                                             NULL};
static const char *const location_types[] = {"physical", "postal", "virtual", NULL};

static const struct dcol service_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "organization_id", .type = DC_TEXT},
    {.name = "name", .type = DC_TEXT, .required = true},
    {.name = "alternate_name", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT},
    {.name = "url", .type = DC_URL},
    {.name = "email", .type = DC_EMAIL},
    {.name = "status", .type = DC_ENUM, .choices = service_status, .required = true},
    {.name = "interpretation_services", .type = DC_LONGTEXT},
    {.name = "application_process", .type = DC_LONGTEXT},
    {.name = "fees_description", .type = DC_LONGTEXT},
    {.name = "eligibility_description", .type = DC_LONGTEXT},
    {.name = "accreditations", .type = DC_LONGTEXT},
    {.name = "minimum_age", .type = DC_REAL, .min = 0, .max = 150},
    {.name = "maximum_age", .type = DC_REAL, .min = 0, .max = 150},
    {.name = "assured_date", .type = DC_DATE},
    {.name = "assurer_email", .type = DC_EMAIL},
    {.name = "alert", .type = DC_LONGTEXT},
    {.name = "wait_time", .type = DC_TEXT},
    {.name = "last_modified", .type = DC_STAMP},
    /* chis's own columns, set by dir_service_store(), never from input. */
    {.name = "state", .type = DC_OWNER},
    {.name = "free", .type = DC_OWNER},
    {.name = "keywords", .type = DC_OWNER},
    {.name = "document", .type = DC_OWNER},
    {.name = "summary_len", .type = DC_OWNER},
    {.name = "created_at", .type = DC_OWNER},
    {.name = "updated_at", .type = DC_OWNER},
};
const struct dobj dir_obj_service = {"dir_services", "service", COLS(service_cols)};

static const struct dcol organization_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "name", .type = DC_TEXT, .required = true},
    {.name = "alternate_name", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT, .always = true},
    {.name = "email", .type = DC_EMAIL},
    {.name = "website", .type = DC_URL},
    {.name = "tax_status", .type = DC_TEXT},
    {.name = "tax_id", .type = DC_TEXT},
    {.name = "year_incorporated", .type = DC_INT, .min = 1000, .max = 3000},
    {.name = "legal_status", .type = DC_TEXT},
    {.name = "logo", .type = DC_URL},
    {.name = "uri", .type = DC_URL},
    {.name = "parent_organization_id", .type = DC_TEXT},
    {.name = "created_at", .type = DC_OWNER},
    {.name = "updated_at", .type = DC_OWNER},
    /* The chis organisation it belongs to (dir_organization_store()). */
    {.name = "organisation_id", .type = DC_OWNER},
};
const struct dobj dir_obj_organization = {"dir_organizations", "organization",
                                          COLS(organization_cols)};

static const struct dcol location_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "location_type", .type = DC_ENUM, .choices = location_types},
    {.name = "url", .type = DC_URL},
    {.name = "organization_id", .type = DC_TEXT},
    {.name = "name", .type = DC_TEXT},
    {.name = "alternate_name", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT},
    {.name = "transportation", .type = DC_LONGTEXT},
    {.name = "latitude", .type = DC_REAL, .min = -90, .max = 90},
    {.name = "longitude", .type = DC_REAL, .min = -180, .max = 180},
    {.name = "external_identifier", .type = DC_TEXT},
    {.name = "external_identifier_type", .type = DC_TEXT},
};
const struct dobj dir_obj_location = {"dir_locations", "location", COLS(location_cols)};

static const struct dcol address_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "attention", .type = DC_TEXT},
    {.name = "address_1", .type = DC_TEXT, .always = true},
    {.name = "address_2", .type = DC_TEXT},
    {.name = "city", .type = DC_TEXT, .always = true},
    {.name = "region", .type = DC_TEXT},
    {.name = "state_province", .type = DC_TEXT, .always = true},
    {.name = "postal_code", .type = DC_TEXT, .always = true},
    {.name = "country", .type = DC_TEXT, .always = true},
    {.name = "address_type", .type = DC_ENUM, .choices = location_types},
};
const struct dobj dir_obj_address = {"dir_addresses", "address", COLS(address_cols)};

static const struct dcol phone_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "organization_id", .type = DC_OWNER},
    {.name = "contact_id", .type = DC_OWNER},
    {.name = "service_at_location_id", .type = DC_OWNER},
    {.name = "number", .type = DC_TEXT, .required = true},
    {.name = "extension", .type = DC_TEXT},
    {.name = "type", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT},
};
const struct dobj dir_obj_phone = {"dir_phones", "phone", COLS(phone_cols)};

static const struct dcol contact_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "organization_id", .type = DC_OWNER},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "service_at_location_id", .type = DC_OWNER},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "name", .type = DC_TEXT},
    {.name = "title", .type = DC_TEXT},
    {.name = "department", .type = DC_TEXT},
    {.name = "email", .type = DC_EMAIL},
};
const struct dobj dir_obj_contact = {"dir_contacts", "contact", COLS(contact_cols)};

static const struct dcol schedule_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "service_at_location_id", .type = DC_OWNER},
    {.name = "valid_from", .type = DC_DATE},
    {.name = "valid_to", .type = DC_DATE},
    {.name = "dtstart", .type = DC_DATE},
    {.name = "timezone", .type = DC_REAL, .min = -12, .max = 14},
    {.name = "until", .type = DC_DATE},
    {.name = "count", .type = DC_INT, .min = 0, .max = 100000},
    {.name = "wkst", .type = DC_DAYS},
    {.name = "freq", .type = DC_FREQ},
    {.name = "interval", .type = DC_INT, .min = 0, .max = 1000},
    {.name = "byday", .type = DC_DAYS},
    {.name = "byweekno", .type = DC_TEXT},
    {.name = "bymonthday", .type = DC_TEXT},
    {.name = "byyearday", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT},
    {.name = "opens_at", .type = DC_TIME},
    {.name = "closes_at", .type = DC_TIME},
    {.name = "schedule_link", .type = DC_URL},
    {.name = "attending_type", .type = DC_TEXT},
    {.name = "notes", .type = DC_LONGTEXT},
};
const struct dobj dir_obj_schedule = {"dir_schedules", "schedule", COLS(schedule_cols)};

static const struct dcol cost_option_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "valid_from", .type = DC_DATE},
    {.name = "valid_to", .type = DC_DATE},
    {.name = "option", .type = DC_TEXT},
    {.name = "currency", .type = DC_TEXT},
    {.name = "amount", .type = DC_REAL, .min = 0, .max = 1e9},
    {.name = "amount_description", .type = DC_LONGTEXT},
};
const struct dobj dir_obj_cost_option = {"dir_cost_options", "cost option", COLS(cost_option_cols)};

static const struct dcol service_area_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "service_at_location_id", .type = DC_OWNER},
    {.name = "name", .type = DC_TEXT},
    {.name = "description", .type = DC_LONGTEXT},
    {.name = "extent", .type = DC_LONGTEXT},
    {.name = "extent_type", .type = DC_TEXT},
    {.name = "uri", .type = DC_URL},
};
const struct dobj dir_obj_service_area = {"dir_service_areas", "service area",
                                          COLS(service_area_cols)};

static const struct dcol language_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "phone_id", .type = DC_OWNER},
    {.name = "name", .type = DC_TEXT},
    {.name = "code", .type = DC_TEXT},
    {.name = "note", .type = DC_TEXT},
};
const struct dobj dir_obj_language = {"dir_languages", "language", COLS(language_cols)};

static const struct dcol accessibility_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "description", .type = DC_LONGTEXT},
    {.name = "details", .type = DC_LONGTEXT},
    {.name = "url", .type = DC_URL},
};
const struct dobj dir_obj_accessibility = {"dir_accessibility", "accessibility",
                                           COLS(accessibility_cols)};

static const struct dcol funding_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "organization_id", .type = DC_OWNER},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "source", .type = DC_TEXT},
};
const struct dobj dir_obj_funding = {"dir_fundings", "funding", COLS(funding_cols)};

static const struct dcol attribute_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "link_id", .type = DC_OWNER},
    {.name = "link_type", .type = DC_TEXT},
    {.name = "link_entity", .type = DC_OWNER},
    {.name = "taxonomy_term_id", .type = DC_TEXT, .required = true},
    {.name = "value", .type = DC_TEXT},
    {.name = "label", .type = DC_TEXT},
};
const struct dobj dir_obj_attribute = {"dir_attributes", "attribute", COLS(attribute_cols)};

static const struct dcol sal_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "service_id", .type = DC_OWNER},
    {.name = "location_id", .type = DC_OWNER},
    {.name = "description", .type = DC_LONGTEXT},
};
const struct dobj dir_obj_service_at_location = {"dir_service_at_locations", "service at location",
                                                 COLS(sal_cols)};

static const struct dcol taxonomy_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "name", .type = DC_TEXT, .required = true},
    {.name = "description", .type = DC_LONGTEXT, .always = true},
    {.name = "uri", .type = DC_URL},
    {.name = "version", .type = DC_TEXT},
};
const struct dobj dir_obj_taxonomy = {"dir_taxonomies", "taxonomy", COLS(taxonomy_cols)};

static const struct dcol term_cols[] = {
    {.name = "id", .type = DC_TEXT, .required = true},
    {.name = "code", .type = DC_TEXT},
    {.name = "name", .type = DC_TEXT, .required = true},
    {.name = "description", .type = DC_LONGTEXT, .always = true},
    {.name = "parent_id", .type = DC_TEXT},
    {.name = "taxonomy", .type = DC_TEXT},
    {.name = "taxonomy_id", .type = DC_TEXT},
    {.name = "language", .type = DC_TEXT},
    {.name = "term_uri", .type = DC_URL},
};
const struct dobj dir_obj_taxonomy_term = {"dir_taxonomy_terms", "taxonomy term", COLS(term_cols)};

/* The column of o called name, or NULL. */
const struct dcol *dobj_col(const struct dobj *o, const char *name)
{
    for (int i = 0; i < o->ncols; i++)
        if (strcmp(o->cols[i].name, name) == 0) return &o->cols[i];
    return NULL;
}

/* The longest text a column takes: descriptions are long, names are not. */
static size_t max_length(const struct dcol *col)
{
    return col->type == DC_LONGTEXT ? 20000 : 1000;
}

/* Is s a number written in full ("12", "-1.5", "3e2")? Sets *out. */
static bool parse_number(const char *s, double *out)
{
    char *end = NULL;
    while (*s == ' ')
        s++;
    if (!*s) return false;
    double v = strtod(s, &end);
    while (end && *end == ' ')
        end++;
    if (!end || *end || !isfinite(v)) return false;
    *out = v;
    return true;
}

/* Is s an RFC 5545 BYDAY list ("MO,TU", "1MO", "-1FR")? Upper-cases and
 * strips spaces into out (same length or shorter). */
static bool parse_days(const char *s, char *out)
{
    static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    char *o = out;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s) break;
        if (o != out) *o++ = ',';
        if (*s == '-' || *s == '+') *o++ = *s++;
        while (*s >= '0' && *s <= '9')
            *o++ = *s++;
        char d[3] = {(char)toupper((unsigned char)s[0]), 0, 0};
        if (!s[0] || !s[1]) return false;
        d[1] = (char)toupper((unsigned char)s[1]);
        bool known = false;
        for (int i = 0; i < 7 && !known; i++)
            known = strcmp(d, days[i]) == 0;
        if (!known) return false;
        *o++ = d[0];
        *o++ = d[1];
        s += 2;
        while (*s == ' ')
            s++;
        if (*s && *s != ',') return false;
    }
    *o = '\0';
    return o != out;
}

/* Add a field error at path.column. */
#define member_error(c, path, col, ...)                                                            \
    ctx_field_error(c, dpath_text(c, path, (col)->name), __VA_ARGS__)

/* The text of a path, member appended (see dir_internal.h). */
const char *dpath_text(struct ctx *c, const struct dpath *p, const char *member)
{
    const char *tail = member ? member : "";
    for (; p && p->member; p = p->up) {
        const char *sep = *tail ? "." : "";
        tail = p->index >= 0 ? arena_printf(c->a, "%s[%ld]%s%s", p->member, p->index, sep, tail)
                             : arena_printf(c->a, "%s%s%s", p->member, sep, tail);
    }
    return tail;
}

/* A web address is http(s), or has no scheme at all ("www.example.org"). */
static bool url_scheme_allowed(const char *s)
{
    const char *colon = strchr(s, ':');
    const char *slash = strchr(s, '/');
    if (!colon || (slash && slash < colon)) return true;
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* Check one member's value by its column; may replace it in obj. */
static void check_member(struct ctx *c, const struct dcol *col, json_t *obj, json_t *v,
                         const struct dpath *path)
{
    /* Numbers where text is expected (ids, codes) read as their text. */
    if (col->type != DC_REAL && col->type != DC_INT && json_is_number(v)) {
        char num[64];
        if (json_is_integer(v))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        else
            snprintf(num, sizeof num, "%.15g", json_real_value(v));
        json_object_set_new(obj, col->name, json_string(num));
        v = json_object_get(obj, col->name);
    }
    if (col->type == DC_REAL || col->type == DC_INT) {
        double d;
        if (json_is_number(v))
            d = json_number_value(v);
        else if (!json_is_string(v) || !parse_number(json_string_value(v), &d)) {
            member_error(c, path, col, "%s must be a number", col->name);
            return;
        }
        if (col->type == DC_INT && d != floor(d)) {
            member_error(c, path, col, "%s must be a whole number", col->name);
            return;
        }
        if (col->min < col->max && (d < col->min || d > col->max)) {
            member_error(c, path, col, "%s must be between %g and %g", col->name, col->min,
                         col->max);
            return;
        }
        /* Whole numbers as integers, as the rows render them back. */
        bool whole = d == floor(d) && fabs(d) < 1e15;
        json_object_set_new(obj, col->name, whole ? json_integer((json_int_t)d) : json_real(d));
        return;
    }
    if (!json_is_string(v)) {
        member_error(c, path, col, "%s must be text", col->name);
        return;
    }
    const char *raw = json_string_value(v);
    const char *s = col->type == DC_LONGTEXT ? dir_clean_longtext(c, raw) : dir_clean_text(c, raw);
    if (strlen(s) > max_length(col)) {
        member_error(c, path, col, "%s is longer than %zu characters", col->name, max_length(col));
        return;
    }
    if (!*s) {
        json_object_del(obj, col->name); /* blank is the same as absent */
        return;
    }
    char buf[64];
    switch (col->type) {
    case DC_ENUM: {
        char low[64];
        snprintf(low, sizeof low, "%.63s", s);
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        bool known = false;
        for (int i = 0; col->choices[i] && !known; i++)
            known = strcmp(low, col->choices[i]) == 0;
        if (!known) {
            member_error(c, path, col, "%s '%s' is not one of the allowed values", col->name, s);
            return;
        }
        s = col->choices[0];
        for (int i = 0; col->choices[i]; i++)
            if (strcmp(low, col->choices[i]) == 0) s = col->choices[i];
        break;
    }
    case DC_FREQ: {
        char up[16];
        snprintf(up, sizeof up, "%.15s", s);
        for (char *p = up; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (strcmp(up, "WEEKLY") != 0 && strcmp(up, "MONTHLY") != 0) {
            member_error(c, path, col, "freq must be WEEKLY or MONTHLY, not '%s'", s);
            return;
        }
        s = strcmp(up, "WEEKLY") == 0 ? "WEEKLY" : "MONTHLY";
        break;
    }
    case DC_DAYS: {
        char *days = arena_alloc(c->a, strlen(s) + 1);
        if (!parse_days(s, days)) {
            member_error(c, path, col, "%s '%s' is not a list of days such as MO,WE", col->name, s);
            return;
        }
        s = days;
        break;
    }
    case DC_TIME:
        if (dir_time_normalise(s, buf) != 0) {
            member_error(c, path, col, "%s '%s' is not a time of day", col->name, s);
            return;
        }
        s = buf;
        break;
    case DC_DATE:
        if (strlen(s) > 10 && s[10] == 'T') {
            snprintf(buf, 11, "%.10s", s);
            s = buf;
        }
        if (!text_date_valid(s)) {
            member_error(c, path, col, "%s '%s' is not a date (YYYY-MM-DD)", col->name, s);
            return;
        }
        break;
    case DC_STAMP:
        snprintf(buf, 11, "%.10s", s);
        if (!text_date_or_time_valid(s) &&
            !(strlen(s) >= 19 && s[10] == 'T' && text_date_valid(buf))) {
            member_error(c, path, col, "%s '%s' is not an ISO-8601 date and time", col->name, s);
            return;
        }
        break;
    case DC_EMAIL:
        if (!strchr(s, '@') || strchr(s, ' ')) {
            member_error(c, path, col, "%s '%s' is not an email address", col->name, s);
            return;
        }
        break;
    case DC_URL:
        /* Open data is shown as links by others: no script: or data: URLs. */
        if (strchr(s, ' ') || strchr(s, '<') || strchr(s, '"') || !url_scheme_allowed(s)) {
            member_error(c, path, col, "%s '%s' is not a web address", col->name, s);
            return;
        }
        break;
    default:
        break;
    }
    if (strcmp(s, raw) != 0) json_object_set_new(obj, col->name, json_string(s));
}

/* Check and normalise one object by its description (see dir_internal.h). */
int dobj_check(struct ctx *c, const struct dobj *o, json_t *obj, const struct dpath *path,
               bool gen_id)
{
    int before = c->nerrors;
    if (!json_is_object(obj)) {
        ctx_field_error(c, dpath_text(c, path, NULL), "a %s must be a JSON object", o->what);
        return 1;
    }
    json_t *member[DOBJ_MAX_COLS];
    dobj_members(o, obj, member);
    for (int i = 0; i < o->ncols; i++) {
        const struct dcol *col = &o->cols[i];
        if (col->type == DC_OWNER) continue;
        json_t *v = member[i];
        /* Checking may replace the member (normalised): read it again. */
        if (v && !json_is_null(v)) {
            check_member(c, col, obj, v, path);
            v = json_object_get(obj, col->name);
        }
        if ((!v || json_is_null(v)) && col->required) {
            if (strcmp(col->name, "id") == 0 && gen_id)
                json_object_set_new(obj, "id", json_string(dir_uuid(c)));
            else
                member_error(c, path, col, "%s is required", col->name);
        }
    }
    return c->nerrors - before;
}

/* The value of an owner column from a NULL-terminated name/value list. */
static const char *owner_value(const char *const *owner, const char *name, bool *found)
{
    *found = false;
    for (int i = 0; owner && owner[i]; i += 2)
        if (strcmp(owner[i], name) == 0) {
            *found = true;
            return owner[i + 1];
        }
    return NULL;
}

/* Slots of an object's column-name table: a power of two, at least twice
 * DOBJ_MAX_COLS so probes stay short. */
#define NAME_SLOTS 128

/* The SQL text an object is written and read with, and its columns by
 * name, built once. */
struct dobj_sql {
    char insert[2048];
    char guarded[2560]; /* the same, but never taking a row from another owner */
    char select[1024];
    /* Open addressing on name_hash(): a column's index plus one, 0 empty. */
    unsigned char by_name[NAME_SLOTS];
    size_t name_len[DOBJ_MAX_COLS]; /* each column's name's length */
};

const struct dobj *const dir_objects_all[] = {
    &dir_obj_service,       &dir_obj_organization,
    &dir_obj_location,      &dir_obj_address,
    &dir_obj_phone,         &dir_obj_contact,
    &dir_obj_schedule,      &dir_obj_cost_option,
    &dir_obj_service_area,  &dir_obj_language,
    &dir_obj_accessibility, &dir_obj_funding,
    &dir_obj_attribute,     &dir_obj_service_at_location,
    &dir_obj_taxonomy,      &dir_obj_taxonomy_term,
};
#define NOBJECTS (sizeof dir_objects_all / sizeof dir_objects_all[0])
const size_t dir_objects_count = NOBJECTS;

/* Derived from the constant descriptions at first use and never changed
 * after: as constant as the descriptions themselves. */
static struct dobj_sql object_sql[NOBJECTS];
static pthread_once_t object_sql_once = PTHREAD_ONCE_INIT;

/* What the name tables are keyed by, for a member name of n bytes: its
 * length and three of its bytes, which already tell every described
 * column apart but for a few probes; a hash of every byte cost more than
 * the lookups it replaced. */
static uint32_t name_hash(const char *name, size_t n)
{
    if (!n) return 0;
    uint32_t h = (uint32_t)n * 0x9E3779B1u;
    h ^= (uint32_t)(unsigned char)name[0] * 0x85EBCA77u;
    h ^= (uint32_t)(unsigned char)name[n - 1] * 0xC2B2AE3Du;
    h ^= (uint32_t)(unsigned char)name[n / 2] * 0x27D4EB2Fu;
    return h ^ (h >> 15);
}

/* Build every object's INSERT ... ON CONFLICT, SELECT list and name table. */
static void build_object_sql(void)
{
    for (size_t k = 0; k < NOBJECTS; k++) {
        const struct dobj *o = dir_objects_all[k];
        struct dobj_sql *q = &object_sql[k];
        if (o->ncols > DOBJ_MAX_COLS) abort(); /* dobj_values() callers size by it */
        for (int i = 0; i < o->ncols; i++) {
            q->name_len[i] = strlen(o->cols[i].name);
            uint32_t h = name_hash(o->cols[i].name, q->name_len[i]);
            while (q->by_name[h & (NAME_SLOTS - 1)])
                h++;
            q->by_name[h & (NAME_SLOTS - 1)] = (unsigned char)(i + 1);
        }
        size_t n = (size_t)snprintf(q->insert, sizeof q->insert, "INSERT INTO %s (", o->table);
        for (int i = 0; i < o->ncols; i++)
            n += (size_t)snprintf(q->insert + n, sizeof q->insert - n, "%s%s", i ? ", " : "",
                                  o->cols[i].name);
        n += (size_t)snprintf(q->insert + n, sizeof q->insert - n, ") VALUES (");
        for (int i = 0; i < o->ncols; i++)
            n += (size_t)snprintf(q->insert + n, sizeof q->insert - n, "%s$%d", i ? ", " : "",
                                  i + 1);
        n += (size_t)snprintf(q->insert + n, sizeof q->insert - n,
                              ") ON CONFLICT (id) DO UPDATE SET ");
        for (int i = 1; i < o->ncols; i++)
            n += (size_t)snprintf(q->insert + n, sizeof q->insert - n, "%s%s = excluded.%s",
                                  i > 1 ? ", " : "", o->cols[i].name, o->cols[i].name);
        if (n >= sizeof q->insert) abort(); /* a description too long for its buffer */
        /* A row with this id that belongs to another owner is left alone
         * (and the write reports it): an id in an edited document must not
         * move another service's phone or schedule to this one. */
        size_t g = (size_t)snprintf(q->guarded, sizeof q->guarded, "%s", q->insert);
        const char *glue = " WHERE ";
        for (int i = 0; i < o->ncols; i++) {
            if (o->cols[i].type != DC_OWNER) continue;
            g += (size_t)snprintf(q->guarded + g, sizeof q->guarded - g, "%s%s.%s IS excluded.%s",
                                  glue, o->table, o->cols[i].name, o->cols[i].name);
            glue = " AND ";
        }
        if (g >= sizeof q->guarded) abort();
        size_t m = 0;
        for (int i = 0; i < o->ncols; i++)
            m += (size_t)snprintf(q->select + m, sizeof q->select - m, "%s%s", i ? ", " : "",
                                  o->cols[i].name);
        if (m >= sizeof q->select) abort();
    }
}

/* The built SQL of one object. */
static const struct dobj_sql *sql_of(const struct dobj *o)
{
    pthread_once(&object_sql_once, build_object_sql);
    for (size_t k = 0; k < NOBJECTS; k++)
        if (dir_objects_all[k] == o) return &object_sql[k];
    abort(); /* every description is listed in dir_objects_all */
}

/* Each column's member of obj, one pass over its members (see
 * dir_internal.h). A lookup per column hashed every column's name, present
 * or not: an eighth of an import's instructions. */
void dobj_members(const struct dobj *o, json_t *obj, json_t **out)
{
    const struct dobj_sql *q = sql_of(o);
    memset(out, 0, (size_t)o->ncols * sizeof *out);
    const char *key;
    json_t *v;
    void *it;
    for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        key = json_object_iter_key(it);
        v = json_object_iter_value(it);
        size_t n = json_object_iter_key_len(it);
        for (uint32_t h = name_hash(key, n);; h++) {
            int col = q->by_name[h & (NAME_SLOTS - 1)] - 1;
            if (col < 0) break;
            if (q->name_len[col] == n && memcmp(o->cols[col].name, key, n) == 0) {
                out[col] = v;
                break;
            }
        }
    }
}

/* The values a write of obj binds, column by column (see dir_internal.h). */
void dobj_values(const struct dobj *o, json_t *obj, const char *const *owner,
                 struct store_value *out)
{
    json_t *member[DOBJ_MAX_COLS];
    dobj_members(o, obj, member);
    for (int i = 0; i < o->ncols; i++) {
        const struct dcol *col = &o->cols[i];
        bool found;
        const char *ov = owner_value(owner, col->name, &found);
        json_t *v = member[i];
        if (col->type == DC_OWNER || found)
            out[i] = ov ? (struct store_value){STORE_V_TEXT, {.s = ov}}
                        : (struct store_value){STORE_V_NULL, {0}};
        else if (!v || json_is_null(v))
            out[i] = (struct store_value){STORE_V_NULL, {0}};
        else if (col->type == DC_INT)
            out[i] = (struct store_value){STORE_V_INT, {.i = (long long)json_number_value(v)}};
        else if (col->type == DC_REAL)
            out[i] = (struct store_value){STORE_V_REAL, {.d = json_number_value(v)}};
        else
            out[i] = json_string_value(v)
                         ? (struct store_value){STORE_V_TEXT, {.s = json_string_value(v)}}
                         : (struct store_value){STORE_V_NULL, {0}};
    }
}

/* Upsert one object by id (see dir_internal.h). */
int dobj_write(struct ctx *c, const struct dobj *o, json_t *obj, const char *const *owner,
               bool guard)
{
    store_stmt *st = store_prepare(c->db, guard ? sql_of(o)->guarded : sql_of(o)->insert);
    if (!st) return STORE_E_ERROR;
    struct store_value vals[DOBJ_MAX_COLS];
    dobj_values(o, obj, owner, vals);
    for (int i = 0; i < o->ncols; i++)
        store_bind_value(st, i + 1, &vals[i]);
    int rc = store_step(st);
    store_done(st);
    if (rc < 0) return rc;
    return guard && store_changes(c->db) == 0 ? DOBJ_TAKEN : 0;
}

/* A copy of the described, set members of src (see dir_internal.h). */
json_t *dobj_copy(const struct dobj *o, json_t *src, bool keep_owner)
{
    json_t *out = json_object();
    json_t *member[DOBJ_MAX_COLS];
    dobj_members(o, src, member);
    for (int i = 0; i < o->ncols; i++) {
        const struct dcol *col = &o->cols[i];
        if (col->type == DC_OWNER && !keep_owner) continue;
        json_t *v = member[i];
        if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
            if (col->always) json_object_set_new(out, col->name, json_string(""));
            continue;
        }
        json_object_set(out, col->name, v);
    }
    return out;
}

/* "id, name, ..." for a SELECT of every described column. */
const char *dobj_select_list(const struct dobj *o)
{
    return sql_of(o)->select;
}

/* A JSON object from a row selected with dobj_select_list(). */
json_t *dobj_from_row(const struct dobj *o, store_stmt *st, bool keep_owner)
{
    json_t *out = json_object();
    for (int i = 0; i < o->ncols; i++) {
        const struct dcol *col = &o->cols[i];
        if (col->type == DC_OWNER && !keep_owner) continue;
        if (store_col_null(st, i)) {
            if (col->always) json_object_set_new(out, col->name, json_string(""));
            continue;
        }
        json_t *v;
        if (col->type == DC_INT)
            v = json_integer(store_col_int(st, i));
        else if (col->type == DC_REAL) {
            double d = store_col_double(st, i);
            v = d == floor(d) && fabs(d) < 1e15 ? json_integer((json_int_t)d) : json_real(d);
        } else
            v = json_string(store_col_text(st, i));
        json_object_set_new(out, col->name, v);
    }
    return out;
}

/* Rows of o with owner_col = value, as a JSON array (see dir_internal.h). */
json_t *dobj_list(struct ctx *c, const struct dobj *o, const char *owner_col, const char *value,
                  bool keep_owner)
{
    char sql[1536];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = $1 ORDER BY rid", dobj_select_list(o),
             o->table, owner_col);
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) return NULL;
    store_bindf(st, "t", value);
    json_t *arr = json_array();
    int rc;
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, dobj_from_row(o, st, keep_owner));
    store_done(st);
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
