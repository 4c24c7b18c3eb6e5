/*
 * dir_check.c: checking and normalising a whole HSDS service before it is
 * stored: each object by its description (dir_objects.c), lists made
 * lists, locations given their types, references between members made
 * explicit. Touches no database, so an import runs it on the thread that
 * parses while another stores.
 */
#include "domain/dir_internal.h"

#include <string.h>

/* The array members of a full service (see dir_internal.h). */
const struct dir_service_list dir_service_lists[DIR_SERVICE_LISTS] = {
    {"schedules", &dir_obj_schedule},
    {"service_areas", &dir_obj_service_area},
    {"languages", &dir_obj_language},
    {"funding", &dir_obj_funding},
    {"cost_options", &dir_obj_cost_option},
    {"contacts", &dir_obj_contact},
    {"phones", &dir_obj_phone},
};

/* The array member name of obj as a JSON array: absent or null is an empty
 * one (set into obj so later steps see it); anything else is an error. */
static json_t *list_member(struct ctx *c, json_t *obj, const char *name, const struct dpath *path)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        v = json_array();
        json_object_set_new(obj, name, v);
    } else if (!json_is_array(v)) {
        ctx_field_error(c, dpath_text(c, path, name), "%s must be a list", name);
        return NULL;
    }
    return v;
}

/* Check every element of the list member name by obj's description. */
static void check_list(struct ctx *c, json_t *parent, const char *name, const struct dobj *o,
                       const struct dpath *path)
{
    json_t *arr = list_member(c, parent, name, path);
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el)
    {
        const struct dpath p = {path, name, (long)i};
        dobj_check(c, o, el, &p, true);
        if (o == &dir_obj_contact) check_list(c, el, "phones", &dir_obj_phone, &p);
    }
}

/* Check a location object (in a service_at_location) and its lists. */
static void check_location(struct ctx *c, json_t *loc, const struct dpath *path)
{
    if (dobj_check(c, &dir_obj_location, loc, path, true)) return;
    if (!json_object_get(loc, "location_type"))
        json_object_set_new(loc, "location_type", json_string("physical"));
    check_list(c, loc, "addresses", &dir_obj_address, path);
    check_list(c, loc, "accessibility", &dir_obj_accessibility, path);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(loc, "addresses"), i, a)
    {
        if (!json_object_get(a, "address_type"))
            json_object_set_new(a, "address_type", json_string("physical"));
    }
    for (const char *const *k = (const char *const[]){"place_id", "neighbourhood_id", NULL}; *k;
         k++) {
        json_t *v = json_object_get(loc, *k);
        if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 1))
            ctx_field_error(c, dpath_text(c, path, *k), "%s must be a chis id", *k);
    }
}

/* Check and normalise a full service document (see directory.h). */
result dir_service_check(struct ctx *c, json_t *doc)
{
    int before = c->nerrors;
    if (!json_is_object(doc)) {
        ctx_field_error(c, "service", "a service must be a JSON object");
        return RES_INVALID;
    }
    /* HSDS 3.0 spells it "fees_description"; the UK profile "fees". */
    json_t *fees = json_object_get(doc, "fees");
    if (fees && !json_object_get(doc, "fees_description"))
        json_object_set(doc, "fees_description", fees);
    json_t *org = json_object_get(doc, "organization");
    if (json_is_object(org) && !json_object_get(doc, "organization_id") &&
        json_object_get(org, "id"))
        json_object_set(doc, "organization_id", json_object_get(org, "id"));
    dobj_check(c, &dir_obj_service, doc, NULL, true);
    if (!json_object_get(doc, "organization_id"))
        ctx_field_error(c, "organization_id", "organization_id is required");
    json_t *min = json_object_get(doc, "minimum_age"), *max = json_object_get(doc, "maximum_age");
    if (json_is_number(min) && json_is_number(max) &&
        json_number_value(min) > json_number_value(max))
        ctx_field_error(c, "maximum_age", "maximum_age must not be below minimum_age");
    for (size_t k = 0; k < DIR_SERVICE_LISTS; k++)
        check_list(c, doc, dir_service_lists[k].member, dir_service_lists[k].obj, NULL);
    json_t *sals = list_member(c, doc, "service_at_locations", NULL);
    size_t i;
    json_t *sal;
    json_array_foreach(sals, i, sal)
    {
        const struct dpath p = {NULL, "service_at_locations", (long)i};
        if (dobj_check(c, &dir_obj_service_at_location, sal, &p, true)) continue;
        json_t *loc = json_object_get(sal, "location");
        const struct dpath lp = {&p, "location", -1};
        if (json_is_object(loc))
            check_location(c, loc, &lp);
        else if (!json_is_string(json_object_get(sal, "location_id")))
            ctx_field_error(c, dpath_text(c, &lp, NULL),
                            "a service at location needs a location or a location_id");
        check_list(c, sal, "schedules", &dir_obj_schedule, &p);
    }
    json_t *attrs = list_member(c, doc, "attributes", NULL);
    json_t *attr;
    json_array_foreach(attrs, i, attr)
    {
        json_t *term = json_object_get(attr, "taxonomy_term");
        if (json_is_object(term) && !json_object_get(attr, "taxonomy_term_id") &&
            json_object_get(term, "id"))
            json_object_set(attr, "taxonomy_term_id", json_object_get(term, "id"));
        const struct dpath p = {NULL, "attributes", (long)i};
        dobj_check(c, &dir_obj_attribute, attr, &p, true);
    }
    return c->nerrors > before ? RES_INVALID : RES_OK;
}
