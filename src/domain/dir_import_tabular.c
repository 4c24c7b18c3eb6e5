/*
 * dir_import_tabular.c: HSDS tabular data packages, once their files are
 * read (dir_import_package.c): index rows by id, check every reference
 * between rows before anything is written, then store taxonomies, terms,
 * organizations and one full service document per service row
 * (dir_import_map.c builds them).
 *
 * Row states (dir_import_internal.h) carry the outcome: a row that is
 * wrong is reported once and left out, and the rows that hang off it are
 * counted as left out with it.
 */
#include "domain/dir_import_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L(...)                                                                                     \
    (const char *const[])                                                                          \
    {                                                                                              \
        __VA_ARGS__, NULL                                                                          \
    }

/* Owner columns of each child kind, most specific owner of a document
 * first: a row naming a service and a location belongs to the service.
 * Only owners the directory core keeps children of are listed; the others
 * HSDS allows (a location's phones, an organization's contacts) are in
 * `unkept`, and such rows are noted and not read. */
struct ownref {
    const char *col;
    enum tkind owner;
};
static const struct ownref own_phone[] = {
    {"service_id", TK_SERVICE}, {"contact_id", TK_CONTACT}, {NULL, TK_NONE}};
static const struct ownref own_schedule[] = {
    {"service_id", TK_SERVICE}, {"service_at_location_id", TK_SAL}, {NULL, TK_NONE}};
static const struct ownref own_location[] = {{"location_id", TK_LOCATION}, {NULL, TK_NONE}};
static const struct ownref own_service[] = {{"service_id", TK_SERVICE}, {NULL, TK_NONE}};
static const struct ownref own_attribute[] = {{"link_id", TK_SERVICE}, {NULL, TK_NONE}};

/* Child kinds in the order their owners are settled (owners first), with
 * the owner columns HSDS allows that chis does not keep children of. */
static const struct {
    enum tkind kind;
    const struct ownref *own;
    const char *const *unkept;
} children[] = {
    {TK_SAL, own_service, NULL},
    {TK_CONTACT, own_service, L("service_at_location_id", "location_id", "organization_id")},
    {TK_PHONE, own_phone, L("service_at_location_id", "location_id", "organization_id")},
    {TK_LANGUAGE, own_service, L("location_id", "phone_id")},
    {TK_ADDRESS, own_location, NULL},
    {TK_ADDRESS_PHYS, own_location, NULL},
    {TK_ADDRESS_POST, own_location, NULL},
    {TK_ACCESS, own_location, NULL},
    {TK_SCHEDULE, own_schedule, L("location_id")},
    {TK_SCHEDULE_REG, own_schedule, L("location_id")},
    {TK_SCHEDULE_HOLI, own_schedule, L("location_id")},
    {TK_COST, own_service, NULL},
    {TK_AREA, own_service, L("service_at_location_id")},
    {TK_FUNDING, own_service, L("organization_id")},
    {TK_ELIGIBILITY, own_service, NULL},
    {TK_SERVICE_TERM, own_service, NULL},
    {TK_ATTRIBUTE, own_attribute, NULL},
};

/* The file a kind is usually in, for "is not in services.csv". */
static const char *file_of(struct tabular *tp, enum tkind k)
{
    if (tp->tables[k]) return tp->tables[k]->t.file;
    switch (k) {
    case TK_ORG:
        return "organizations.csv";
    case TK_SERVICE:
        return "services.csv";
    case TK_LOCATION:
        return "locations.csv";
    case TK_SAL:
        return tp->v1 ? "services_at_location.csv" : "service_at_location.csv";
    case TK_CONTACT:
        return "contacts.csv";
    case TK_PHONE:
        return "phones.csv";
    case TK_TAXONOMY:
        return "taxonomies.csv";
    default:
        return tp->v1 ? "taxonomy.csv" : "taxonomy_terms.csv";
    }
}

/* ---- ids ---- */

/* Do two rows of a table say the same in every column? */
static bool same_row(const struct csv_table *t, const struct csv_row *a, const struct csv_row *b)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(csv_get(a, c), csv_get(b, c)) != 0) return false;
    return true;
}

/* Kinds whose rows cannot do without an id: what refers to them needs it. */
static bool id_required(enum tkind k)
{
    return k == TK_ORG || k == TK_SERVICE || k == TK_LOCATION || k == TK_TAXONOMY || k == TK_TERM ||
           k == TK_TERM_1X;
}
/* Kinds other rows find by id: a repeated id there is a problem. */
static bool id_referenced(enum tkind k)
{
    return id_required(k) || k == TK_SAL || k == TK_CONTACT || k == TK_PHONE;
}

/* Which table's ids a kind shares with (one database table). */
static enum tkind id_group(enum tkind k)
{
    switch (k) {
    case TK_ADDRESS_PHYS:
    case TK_ADDRESS_POST:
        return TK_ADDRESS;
    case TK_SCHEDULE_REG:
    case TK_SCHEDULE_HOLI:
        return TK_SCHEDULE;
    case TK_SERVICE_TERM:
        return TK_ATTRIBUTE;
    default:
        return k;
    }
}

/* Index every table by id, reporting blank and repeated ids. */
static void index_ids(struct tabular *tp)
{
    struct imp *im = tp->im;
    for (int k = 1; k < TK_COUNT; k++) {
        struct ttable *tt = tp->tables[k];
        if (!tt) continue;
        strmap_init(&tt->ids, im->a, tt->t.nrows);
        if (tt->id_col < 0) {
            if (id_required((enum tkind)k)) {
                imp_problem(im, tt->t.file, 0, "has no id column");
                for (size_t i = 0; i < tt->t.nrows; i++)
                    tt->t.rows[i].state = ROW_BAD;
            }
            continue;
        }
        for (size_t i = 0; i < tt->t.nrows; i++) {
            struct csv_row *row = &tt->t.rows[i];
            if (row->state != ROW_OK) continue;
            const char *id = csv_get(row, tt->id_col);
            if (!*id) {
                if (id_required((enum tkind)k)) imp_row_problem(im, tt->t.file, row, "id is blank");
                continue;
            }
            int first = strmap_put(&tt->ids, id, (int)i);
            if (first == (int)i) continue;
            struct csv_row *was = &tt->t.rows[first];
            if (same_row(&tt->t, was, row)) {
                row->state = ROW_DUP;
                imp_note(im, tt->t.file, row->line, "repeats an earlier row exactly: read once");
            } else if (id_referenced((enum tkind)k)) {
                imp_row_problem(im, tt->t.file, row, "id '%s' is also on line %ld", id, was->line);
            } else {
                /* Nothing refers to these by id: the row gets a new one. */
                row->f[tt->id_col] = "";
                imp_note(im, tt->t.file, row->line,
                         "id repeats an earlier row's: the row is given a new id");
            }
        }
    }
    /* Ids shared across files that land in one database table (1.x
     * physical and postal addresses, regular and holiday schedules). */
    for (int k = 1; k < TK_COUNT; k++) {
        struct ttable *tt = tp->tables[k];
        if (!tt || tt->id_col < 0) continue;
        for (int o = 1; o < k; o++) {
            struct ttable *ot = tp->tables[o];
            if (!ot || id_group((enum tkind)o) != id_group((enum tkind)k)) continue;
            for (size_t i = 0; i < tt->t.nrows; i++) {
                struct csv_row *row = &tt->t.rows[i];
                const char *id = csv_get(row, tt->id_col);
                if (*id && strmap_get(&ot->ids, id) >= 0) {
                    row->f[tt->id_col] = "";
                    imp_note(im, tt->t.file, row->line,
                             arena_printf(im->a, "id is also used in %s: the row is given a new id",
                                          ot->t.file));
                }
            }
        }
    }
}

/* ---- references ---- */

/* Link child row i of ct to row orow of the owner table ok. */
static void link_child(struct tabular *tp, struct ttable *ct, int i, enum tkind ok, int orow)
{
    struct ttable *ot = tp->tables[ok];
    if (!ot->head[ct->kind]) {
        size_t n = ot->t.nrows ? ot->t.nrows : 1;
        ot->head[ct->kind] = arena_alloc_raw(tp->im->a, n * sizeof(int));
        ot->tail[ct->kind] = arena_alloc_raw(tp->im->a, n * sizeof(int));
        memset(ot->head[ct->kind], 0xff, n * sizeof(int)); /* -1 */
    }
    ct->owner_table[i] = ok;
    ct->owner_row[i] = orow;
    ct->next[i] = -1;
    if (ot->head[ct->kind][orow] < 0)
        ot->head[ct->kind][orow] = i;
    else
        ct->next[ot->tail[ct->kind][orow]] = i;
    ot->tail[ct->kind][orow] = i;
}

/* The row of table k with this id, or -1. */
static int row_of(struct tabular *tp, enum tkind k, const char *id)
{
    return tp->tables[k] ? strmap_get(&tp->tables[k]->ids, id) : -1;
}

/* Is a taxonomy term with this id in the package (usable) or the database? */
static bool term_known(struct tabular *tp, const char *id, struct csv_row **row)
{
    *row = NULL;
    for (enum tkind k = TK_TERM; k <= TK_TERM_1X; k++) {
        int r = row_of(tp, k, id);
        if (r >= 0) {
            *row = &tp->tables[k]->t.rows[r];
            return true;
        }
    }
    return imp_term_exists(tp->im, id);
}

/* Is every field of a row but its id and references blank (a 1.x
 * accessibility row with no accessibility)? */
static bool only_ids(const struct ttable *tt, const struct csv_row *row, const struct ownref *own,
                     const char *const *unkept)
{
    for (int c = 0; c < tt->t.ncols; c++) {
        const char *col = tt->t.cols[c];
        bool ref = strcmp(col, "id") == 0 || strcmp(col, "link_entity") == 0;
        for (const struct ownref *o = own; o->col && !ref; o++)
            ref = strcmp(o->col, col) == 0;
        for (const char *const *u = unkept; u && *u && !ref; u++)
            ref = strcmp(*u, col) == 0;
        if (!ref && *csv_get(row, c) && tab_column_known(tt->kind, col)) return false;
    }
    return true;
}

/* Find the owner of each row of a child table by its owner columns. */
static void resolve_owners(struct tabular *tp, enum tkind k, const struct ownref *own,
                           const char *const *unkept)
{
    struct imp *im = tp->im;
    struct ttable *ct = tp->tables[k];
    size_t n = ct->t.nrows ? ct->t.nrows : 1;
    ct->owner_table = arena_alloc_raw(im->a, n * sizeof(int));
    ct->owner_row = arena_alloc_raw(im->a, n * sizeof(int));
    ct->next = arena_alloc_raw(im->a, n * sizeof(int));
    memset(ct->owner_table, 0xff, n * sizeof(int));
    memset(ct->owner_row, 0xff, n * sizeof(int));
    memset(ct->next, 0xff, n * sizeof(int));
    int cols[8], ucols[8];
    int ncols = 0, nucols = 0;
    for (const struct ownref *o = own; o->col; o++)
        cols[ncols++] = csv_col(&ct->t, o->col);
    for (const char *const *u = unkept; u && *u; u++)
        ucols[nucols++] = csv_col(&ct->t, *u);
    int entity_col = k == TK_ATTRIBUTE ? csv_col(&ct->t, "link_entity") : -1;
    for (size_t i = 0; i < ct->t.nrows; i++) {
        struct csv_row *row = &ct->t.rows[i];
        if (row->state != ROW_OK) continue;
        int which = -1, other = -1;
        for (int c = 0; c < ncols && which < 0; c++)
            if (*csv_get(row, cols[c])) which = c;
        for (int c = 0; c < nucols && other < 0; c++)
            if (*csv_get(row, ucols[c])) other = c;
        if (which < 0 && other >= 0) {
            row->state = ROW_IGNORED;
            imp_note(im, ct->t.file, row->line,
                     arena_printf(im->a,
                                  "belongs only to the %s given, and chis keeps these for"
                                  " services only: not read",
                                  unkept[other]));
            continue;
        }
        if (which < 0) {
            char list[256] = "";
            for (const struct ownref *o = own; o->col; o++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         *list ? (o[1].col ? ", " : " and ") : "", o->col);
            imp_row_problem(im, ct->t.file, row, "%s %s blank: the row belongs to nothing", list,
                            own[1].col ? "are" : "is");
            continue;
        }
        const char *id = csv_get(row, cols[which]);
        enum tkind ok = own[which].owner;
        if (k == TK_ATTRIBUTE) {
            const char *ent = csv_get(row, entity_col);
            if ((*ent && strcasecmp(ent, "service") != 0) ||
                (!*ent && row_of(tp, TK_SERVICE, id) < 0)) {
                row->state = ROW_IGNORED;
                imp_note(im, ct->t.file, row->line,
                         "not an attribute of a service (chis keeps those only): not read");
                continue;
            }
        }
        int orow = row_of(tp, ok, id);
        if (orow < 0) {
            imp_row_problem(im, ct->t.file, row, "%s '%s' is not in %s", own[which].col, id,
                            file_of(tp, ok));
            continue;
        }
        if (k != TK_SAL && only_ids(ct, row, own, unkept)) {
            row->state = ROW_IGNORED;
            imp_note(im, ct->t.file, row->line, "holds nothing but ids: not read");
            continue;
        }
        link_child(tp, ct, (int)i, ok, orow);
    }
}

/* Check the references that are not ownership: a service's organization,
 * a service at location's location, a term's taxonomy and parent, the
 * terms that service taxonomy rows and attributes name. */
static void check_references(struct tabular *tp)
{
    struct imp *im = tp->im;
    struct ttable *st = tp->tables[TK_SERVICE];
    for (size_t i = 0; st && i < st->t.nrows; i++) {
        struct csv_row *row = &st->t.rows[i];
        if (row->state != ROW_OK) continue;
        const char *org = csv_get(row, csv_col(&st->t, "organization_id"));
        if (!*org)
            imp_row_problem(im, st->t.file, row, "organization_id is blank");
        else if (row_of(tp, TK_ORG, org) < 0 && !imp_org_exists(im, org))
            imp_row_problem(im, st->t.file, row, "organization_id '%s' is not in %s", org,
                            file_of(tp, TK_ORG));
    }
    struct ttable *lt = tp->tables[TK_LOCATION];
    int loc_org = lt ? csv_col(&lt->t, "organization_id") : -1;
    for (size_t i = 0; lt && loc_org >= 0 && i < lt->t.nrows; i++) {
        struct csv_row *row = &lt->t.rows[i];
        const char *org = csv_get(row, loc_org);
        if (row->state != ROW_OK || !*org) continue;
        if (row_of(tp, TK_ORG, org) < 0 && !imp_org_exists(im, org)) {
            row->f[loc_org] = ""; /* optional: the location stands without it */
            imp_note(
                im, lt->t.file, row->line,
                arena_printf(im->a, "organization_id is not in %s: left out", file_of(tp, TK_ORG)));
        }
    }
    struct ttable *sal = tp->tables[TK_SAL];
    int sal_loc = sal ? csv_col(&sal->t, "location_id") : -1;
    for (size_t i = 0; sal && i < sal->t.nrows; i++) {
        struct csv_row *row = &sal->t.rows[i];
        if (row->state != ROW_OK) continue;
        const char *loc = csv_get(row, sal_loc);
        if (!*loc)
            imp_row_problem(im, sal->t.file, row, "location_id is blank");
        else if (row_of(tp, TK_LOCATION, loc) < 0)
            imp_row_problem(im, sal->t.file, row, "location_id '%s' is not in %s", loc,
                            file_of(tp, TK_LOCATION));
    }
    for (enum tkind k = TK_TERM; k <= TK_TERM_1X; k++) {
        struct ttable *tt = tp->tables[k];
        int par = tt ? csv_col(&tt->t, "parent_id") : -1;
        int tax = tt && k == TK_TERM ? csv_col(&tt->t, "taxonomy_id") : -1;
        for (size_t i = 0; tt && i < tt->t.nrows; i++) {
            struct csv_row *row = &tt->t.rows[i];
            if (row->state != ROW_OK) continue;
            const char *t = csv_get(row, tax);
            if (*t && row_of(tp, TK_TAXONOMY, t) < 0 && !imp_taxonomy_exists(im, t)) {
                imp_row_problem(im, tt->t.file, row, "taxonomy_id '%s' is not in %s", t,
                                file_of(tp, TK_TAXONOMY));
                continue;
            }
            struct csv_row *prow;
            const char *p = csv_get(row, par);
            if (*p && !term_known(tp, p, &prow)) {
                row->f[par] = "";
                imp_note(im, tt->t.file, row->line, "parent_id is not a known term: left out");
            }
        }
    }
    static const struct {
        enum tkind kind;
        const char *col;
    } term_refs[] = {{TK_SERVICE_TERM, "taxonomy_id"}, {TK_ATTRIBUTE, "taxonomy_term_id"}};
    for (size_t r = 0; r < 2; r++) {
        struct ttable *tt = tp->tables[term_refs[r].kind];
        int col = tt ? csv_col(&tt->t, term_refs[r].col) : -1;
        for (size_t i = 0; tt && i < tt->t.nrows; i++) {
            struct csv_row *row = &tt->t.rows[i];
            if (row->state != ROW_OK) continue;
            const char *id = csv_get(row, col);
            struct csv_row *trow;
            if (!*id)
                imp_row_problem(im, tt->t.file, row, "%s is blank", term_refs[r].col);
            else if (!term_known(tp, id, &trow))
                imp_row_problem(im, tt->t.file, row, "%s '%s' is not in %s", term_refs[r].col, id,
                                file_of(tp, tp->tables[TK_TERM_1X] ? TK_TERM_1X : TK_TERM));
        }
    }
}

/* ---- storing ---- */

/* Store every usable row of a one-to-one table (organizations, taxonomies,
 * terms) through the core; returns how many were stored. */
static long long store_objects(struct tabular *tp, enum tkind k, const char *what)
{
    struct ttable *tt = tp->tables[k];
    long long n = 0;
    for (size_t i = 0; tt && i < tt->t.nrows && !tp->im->store_failed; i++) {
        struct csv_row *row = &tt->t.rows[i];
        if (row->state != ROW_OK) continue;
        json_t *obj = tab_object(tp, tt, (int)i);
        if (imp_store_object(tp->im, what, obj,
                             (struct origin){.file = tt->t.file, .line = row->line, .row = row})) {
            row->state = ROW_USED;
            n++;
        }
        json_decref(obj);
    }
    return n;
}

/* The taxonomies 1.x terms name by their vocabulary, stored once each. */
static long long store_vocabularies(struct tabular *tp)
{
    struct imp *im = tp->im;
    struct ttable *tt = tp->tables[TK_TERM_1X];
    int voc = tt ? csv_col(&tt->t, "vocabulary") : -1;
    struct strmap seen = {.a = im->a};
    long long n = 0;
    for (size_t i = 0; tt && voc >= 0 && i < tt->t.nrows; i++) {
        struct csv_row *row = &tt->t.rows[i];
        const char *v = csv_get(row, voc);
        if (row->state != ROW_OK || !*v || strmap_get(&seen, v) >= 0) continue;
        strmap_put(&seen, v, 1);
        json_t *tax = json_object();
        json_object_set_new(tax, "id", json_string(tab_vocabulary_id(im->a, v)));
        json_object_set_new(tax, "name", json_string(v));
        json_object_set_new(tax, "description",
                            json_string("The vocabulary named by an HSDS 1.x taxonomy table."));
        if (imp_store_object(im, "taxonomy", tax,
                             (struct origin){.file = tt->t.file, .line = row->line}))
            n++;
        json_decref(tax);
    }
    return n;
}

/* Rows naming a term that failed to store are left out with it. */
static void orphan_term_links(struct tabular *tp)
{
    static const struct {
        enum tkind kind;
        const char *col;
    } refs[] = {{TK_SERVICE_TERM, "taxonomy_id"}, {TK_ATTRIBUTE, "taxonomy_term_id"}};
    for (size_t r = 0; r < 2; r++) {
        struct ttable *tt = tp->tables[refs[r].kind];
        int col = tt ? csv_col(&tt->t, refs[r].col) : -1;
        for (size_t i = 0; tt && i < tt->t.nrows; i++) {
            struct csv_row *row = &tt->t.rows[i], *trow;
            if (row->state == ROW_OK && term_known(tp, csv_get(row, col), &trow) && trow &&
                trow->state == ROW_BAD)
                row->state = ROW_ORPHAN;
        }
    }
}

/* Store one document per usable service row. */
static void store_services(struct tabular *tp)
{
    struct imp *im = tp->im;
    struct ttable *st = tp->tables[TK_SERVICE];
    if (!st) return;
    int org_col = csv_col(&st->t, "organization_id");
    im->progress_what = "services";
    im->progress_total = (long long)st->t.nrows;
    for (size_t i = 0; i < st->t.nrows && !im->store_failed; i++) {
        struct csv_row *row = &st->t.rows[i];
        imp_progress(im);
        if (row->state != ROW_OK) continue;
        int orow = row_of(tp, TK_ORG, csv_get(row, org_col));
        if (orow >= 0 && tp->tables[TK_ORG]->t.rows[orow].state == ROW_BAD) {
            row->state = ROW_ORPHAN;
            continue;
        }
        json_t *doc = tab_service_doc(tp, (int)i);
        bool ok = imp_store_service(
            im, doc, (struct origin){.file = st->t.file, .line = row->line, .row = row}, true);
        if (ok) {
            im->r->services++;
            size_t j;
            json_t *sal;
            json_array_foreach(json_object_get(doc, "service_at_locations"), j, sal)
            {
                const char *id =
                    json_string_value(json_object_get(json_object_get(sal, "location"), "id"));
                if (id && strmap_get(&im->locations, id) < 0) {
                    strmap_put(&im->locations, arena_strdup(im->a, id), 1);
                    im->r->locations++;
                }
            }
        }
        /* What went in is used (a shared location left out with one
         * service may come in with the next); what was taken out, or all
         * of it when the service failed, is left out. */
        for (size_t u = 0; u < tp->nused; u++) {
            struct csv_row *ur = tp->used[u];
            if (ok && (ur->state == ROW_OK || ur->state == ROW_ORPHAN))
                ur->state = ROW_USED;
            else if (!ok && ur->state == ROW_OK)
                ur->state = ROW_ORPHAN;
        }
        for (size_t u = 0; u < im->nremoved; u++)
            if (im->removed[u]->state != ROW_BAD) im->removed[u]->state = ROW_ORPHAN;
        json_decref(doc);
    }
}

/* Rows of kind k still waiting whose owner was left out are left out too. */
static void orphan_children(struct tabular *tp, enum tkind k)
{
    struct ttable *ct = tp->tables[k];
    for (size_t i = 0; ct && ct->owner_table && i < ct->t.nrows; i++) {
        struct csv_row *row = &ct->t.rows[i];
        if (row->state != ROW_OK || ct->owner_table[i] < 0) continue;
        struct csv_row *owner = &tp->tables[ct->owner_table[i]]->t.rows[ct->owner_row[i]];
        if (owner->state == ROW_BAD || owner->state == ROW_ORPHAN) row->state = ROW_ORPHAN;
    }
}

/* Count what was left out, and why, once everything is stored. */
static void tally(struct tabular *tp)
{
    struct imp *im = tp->im;
    /* Owners before what they own, so a chain of left-out rows follows.
     * Locations are reached through services at them: one whose services
     * were all left out is left out with them. */
    orphan_children(tp, TK_SAL);
    struct ttable *lt = tp->tables[TK_LOCATION], *sal = tp->tables[TK_SAL];
    int sal_loc = sal ? csv_col(&sal->t, "location_id") : -1;
    for (size_t i = 0; lt && sal && i < sal->t.nrows; i++) {
        struct csv_row *row = &sal->t.rows[i];
        int li = row_of(tp, TK_LOCATION, csv_get(row, sal_loc));
        if (li >= 0 && (row->state == ROW_BAD || row->state == ROW_ORPHAN) &&
            lt->t.rows[li].state == ROW_OK)
            lt->t.rows[li].state = ROW_ORPHAN;
    }
    for (size_t c = 0; c < sizeof children / sizeof children[0]; c++)
        orphan_children(tp, children[c].kind);
    for (int k = 1; k < TK_COUNT; k++) {
        struct ttable *tt = tp->tables[k];
        for (size_t i = 0; tt && i < tt->t.nrows; i++) {
            struct csv_row *row = &tt->t.rows[i];
            if (row->state == ROW_BAD)
                im->r->rows_skipped++;
            else if (row->state == ROW_ORPHAN)
                im->r->rows_with_owner++;
            else if (row->state == ROW_OK)
                imp_note(im, tt->t.file, row->line,
                         k == TK_LOCATION
                             ? "no service is at this location: not imported"
                             : "not part of any service that was imported: not imported");
        }
    }
}

/* Import a tabular package (see dir_import_internal.h). */
void imp_tabular(struct imp *im, const char *dir, const char *datapackage)
{
    struct tabular tp = {.im = im};
    tab_load_package(&tp, dir, datapackage);
    if (im->fatal) return;
    static const enum tkind v1_only[] = {TK_ADDRESS_PHYS,  TK_ADDRESS_POST, TK_SCHEDULE_REG,
                                         TK_SCHEDULE_HOLI, TK_ELIGIBILITY,  TK_TERM_1X,
                                         TK_SERVICE_TERM};
    for (size_t i = 0; i < sizeof v1_only / sizeof v1_only[0]; i++)
        if (tp.tables[v1_only[i]]) tp.v1 = true;
    im->r->format = tp.v1 ? "HSDS 1.x tabular package" : "HSDS 3.0 tabular package";
    if (!tp.tables[TK_SERVICE] && !tp.tables[TK_ORG] && !tp.tables[TK_TERM] &&
        !tp.tables[TK_TERM_1X] && !tp.tables[TK_TAXONOMY]) {
        imp_problem(im, datapackage ? "datapackage.json" : dir, 0,
                    "holds no services, organizations or taxonomies");
        im->fatal = true;
        return;
    }
    index_ids(&tp);
    for (size_t c = 0; c < sizeof children / sizeof children[0]; c++)
        if (tp.tables[children[c].kind])
            resolve_owners(&tp, children[c].kind, children[c].own, children[c].unkept);
    check_references(&tp);
    im->r->taxonomies += store_objects(&tp, TK_TAXONOMY, "taxonomy");
    im->r->taxonomies += store_vocabularies(&tp);
    im->r->taxonomy_terms += store_objects(&tp, TK_TERM, "taxonomy_term");
    im->r->taxonomy_terms += store_objects(&tp, TK_TERM_1X, "taxonomy_term");
    orphan_term_links(&tp);
    im->r->organizations += store_objects(&tp, TK_ORG, "organization");
    store_services(&tp);
    tally(&tp);
}
