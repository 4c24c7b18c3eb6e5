/*
 * dir_edit_json.c: the two operations on whole JSON documents that editing
 * needs: the field-level difference between two versions of a service, and
 * an RFC 7396 merge patch. Both are pure: they read their inputs and build
 * new trees.
 */
#include "domain/dir_edit.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Top-level members that follow from others, or are chis's bookkeeping. */
static bool derived_member(const char *key)
{
    static const char *const skip[] = {
        "last_modified", "organization",    "fees", "state", "deleted_at",
        "version",       "pending_version", NULL};
    for (const char *const *s = skip; *s; s++)
        if (strcmp(*s, key) == 0) return true;
    return false;
}

/* Append one change (values copied; either may be NULL). */
static void change(json_t *out, const char *path, const char *kind, json_t *old, json_t *new)
{
    json_t *c = json_object();
    json_object_set_new(c, "path", json_string(path));
    json_object_set_new(c, "change", json_string(kind));
    json_object_set_new(c, "old", old ? json_deep_copy(old) : json_null());
    json_object_set_new(c, "new", new ? json_deep_copy(new) : json_null());
    json_array_append_new(out, c);
}

/* path + "." + key (or key alone at the top), malloc'd. */
static char *member_path(const char *path, const char *key)
{
    size_t n = strlen(path) + strlen(key) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s%s%s", path, *path ? "." : "", key);
    return p;
}

/* path + "[i]", malloc'd. */
static char *index_path(const char *path, size_t i)
{
    size_t n = strlen(path) + 24;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s[%zu]", path, i);
    return p;
}

static void diff_value(json_t *out, const char *path, json_t *a, json_t *b, bool top);

/* The id of a list element that is an object with a string id, else NULL. */
static const char *element_id(json_t *el)
{
    return json_is_object(el) ? json_string_value(json_object_get(el, "id")) : NULL;
}

/* Can two lists be matched by id: every element an object with a distinct id? */
static bool matchable(json_t *a, json_t *b)
{
    json_t *lists[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        size_t n = json_array_size(lists[k]);
        for (size_t i = 0; i < n; i++) {
            const char *id = element_id(json_array_get(lists[k], i));
            if (!id) return false;
            for (size_t j = 0; j < i; j++)
                if (strcmp(id, element_id(json_array_get(lists[k], j))) == 0) return false;
        }
    }
    return true;
}

/* The index of the element of arr with this id, or -1. */
static long find_id(json_t *arr, const char *id)
{
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el)
    {
        if (strcmp(element_id(el), id) == 0) return (long)i;
    }
    return -1;
}

/* Lists: by id when every element has one, else by position. */
static void diff_array(json_t *out, const char *path, json_t *a, json_t *b)
{
    size_t na = json_array_size(a), nb = json_array_size(b);
    if (matchable(a, b)) {
        for (size_t i = 0; i < nb; i++) {
            json_t *el = json_array_get(b, i);
            long j = find_id(a, element_id(el));
            char *p = index_path(path, i);
            if (!p) return;
            if (j < 0)
                change(out, p, "added", NULL, el);
            else
                diff_value(out, p, json_array_get(a, (size_t)j), el, false);
            free(p);
        }
        for (size_t j = 0; j < na; j++) {
            json_t *el = json_array_get(a, j);
            if (find_id(b, element_id(el)) >= 0) continue;
            char *p = index_path(path, j);
            if (!p) return;
            change(out, p, "removed", el, NULL);
            free(p);
        }
        return;
    }
    for (size_t i = 0; i < (na > nb ? na : nb); i++) {
        char *p = index_path(path, i);
        if (!p) return;
        if (i >= na)
            change(out, p, "added", NULL, json_array_get(b, i));
        else if (i >= nb)
            change(out, p, "removed", json_array_get(a, i), NULL);
        else
            diff_value(out, p, json_array_get(a, i), json_array_get(b, i), false);
        free(p);
    }
}

/* Objects: members removed or changed in a's order, then those b adds. */
static void diff_object(json_t *out, const char *path, json_t *a, json_t *b, bool top)
{
    const char *key;
    json_t *va;
    json_object_foreach(a, key, va)
    {
        if (top && derived_member(key)) continue;
        json_t *vb = json_object_get(b, key);
        char *p = member_path(path, key);
        if (!p) return;
        if (!vb || json_is_null(vb)) {
            if (!json_is_null(va)) change(out, p, "removed", va, NULL);
        } else {
            diff_value(out, p, va, vb, false);
        }
        free(p);
    }
    json_t *vb;
    json_object_foreach(b, key, vb)
    {
        if (top && derived_member(key)) continue;
        json_t *prev = json_object_get(a, key);
        if ((prev && !json_is_null(prev)) || json_is_null(vb)) continue;
        char *p = member_path(path, key);
        if (!p) return;
        change(out, p, "added", NULL, vb);
        free(p);
    }
}

/* Any two values: recurse into objects and lists of the same kind. */
static void diff_value(json_t *out, const char *path, json_t *a, json_t *b, bool top)
{
    if (json_is_object(a) && json_is_object(b))
        diff_object(out, path, a, b, top);
    else if (json_is_array(a) && json_is_array(b))
        diff_array(out, path, a, b);
    else if (json_is_null(a) && !json_is_null(b))
        change(out, path, "added", NULL, b);
    else if (!json_is_null(a) && json_is_null(b))
        change(out, path, "removed", a, NULL);
    else if (!json_equal(a, b))
        change(out, path, "changed", a, b);
}

/* See dir_edit.h. */
json_t *dir_json_diff(json_t *a, json_t *b)
{
    json_t *out = json_array();
    json_t *empty = json_object();
    diff_value(out, "", a ? a : empty, b ? b : empty, true);
    json_decref(empty);
    return out;
}

/* RFC 7396 section 2, building a new tree. */
json_t *dir_json_merge_patch(json_t *target, json_t *patch)
{
    if (!json_is_object(patch)) return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v)
    {
        if (json_is_null(v)) {
            json_object_del(out, key);
            continue;
        }
        json_object_set_new(out, key, dir_json_merge_patch(json_object_get(out, key), v));
    }
    return out;
}
