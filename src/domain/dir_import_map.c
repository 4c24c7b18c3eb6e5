/*
 * dir_import_map.c: rows of a tabular package, in either layout, into HSDS
 * 3.0 documents: a full service with its locations, schedules, phones and
 * terms nested the way the directory core stores them. The 1.x names are
 * read as their 3.0 successors (url -> website, language -> name ...); 1.x
 * regular_schedules become weekly schedules with the days that share
 * opening times gathered into one BYDAY list; 1.x services_taxonomy rows
 * become attributes; 1.x eligibility becomes eligibility_description and,
 * where numeric, the age limits.
 *
 * Every object built is remembered with the row it came from (im->origins),
 * so a field error from the core can name that file and line.
 */
#include "domain/dir_import_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A 1.x (or other) column read as a 3.0 member of another name. */
struct rename {
    const char *from, *to;
};

struct kspec {
    const char *const *members;   /* copied as they are */
    const struct rename *renames; /* copied under their 3.0 name */
    const char *const *consumed;  /* read by the mapping in other ways */
    const char *object;           /* the HSDS object, for messages */
};

#define L(...)                                                                                     \
    (const char *const[])                                                                          \
    {                                                                                              \
        __VA_ARGS__, NULL                                                                          \
    }
#define R(...)                                                                                     \
    (const struct rename[])                                                                        \
    {                                                                                              \
        __VA_ARGS__,                                                                               \
        {                                                                                          \
            NULL, NULL                                                                             \
        }                                                                                          \
    }

static const char *const owner_cols[] = {
    "service_id", "location_id", "service_at_location_id", "organization_id", "contact_id",
    "phone_id",   NULL};

/* What each kind of table holds, by column. */
static const struct kspec specs[TK_COUNT] = {
    [TK_ORG] = {L("id", "name", "alternate_name", "description", "email", "website", "tax_status",
                  "tax_id", "year_incorporated", "legal_status", "logo", "uri",
                  "parent_organization_id"),
                R({"url", "website"}), NULL, "organization"},
    [TK_SERVICE] = {L("id", "name", "alternate_name", "description", "url", "email", "status",
                      "interpretation_services", "application_process", "fees_description",
                      "wait_time", "accreditations", "eligibility_description", "minimum_age",
                      "maximum_age", "assured_date", "assurer_email", "alert", "last_modified"),
                    R({"fees", "fees_description"}), L("organization_id"), "service"},
    [TK_LOCATION] = {L("id", "location_type", "url", "organization_id", "name", "alternate_name",
                       "description", "transportation", "latitude", "longitude",
                       "external_identifier", "external_identifier_type"),
                     NULL, NULL, "location"},
    [TK_SAL] = {L("id", "description"), NULL, L("service_id", "location_id"),
                "service at location"},
    [TK_ADDRESS] = {L("id", "attention", "address_1", "address_2", "city", "region",
                      "state_province", "postal_code", "country", "address_type"),
                    NULL, L("location_id", "address_3", "address_4"), "address"},
    [TK_PHONE] = {L("id", "number", "extension", "type", "description"), NULL, owner_cols, "phone"},
    [TK_CONTACT] = {L("id", "name", "title", "department", "email"), NULL, owner_cols, "contact"},
    [TK_SCHEDULE] = {L("id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count",
                       "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
                       "description", "opens_at", "closes_at", "schedule_link", "attending_type",
                       "notes"),
                     NULL, owner_cols, "schedule"},
    [TK_SCHEDULE_REG] = {L("id"), NULL,
                         L("service_id", "location_id", "service_at_location_id", "weekday",
                           "opens_at", "closes_at"),
                         "regular schedule"},
    [TK_SCHEDULE_HOLI] = {L("id"), NULL,
                          L("service_id", "location_id", "service_at_location_id", "closed",
                            "opens_at", "closes_at", "start_date", "end_date"),
                          "holiday schedule"},
    [TK_COST] = {L("id", "valid_from", "valid_to", "option", "currency", "amount",
                   "amount_description"),
                 NULL, L("service_id"), "cost option"},
    [TK_AREA] = {L("id", "name", "description", "extent", "extent_type", "uri"),
                 R({"service_area", "name"}), L("service_id", "service_at_location_id"),
                 "service area"},
    [TK_LANGUAGE] = {L("id", "name", "code", "note"), R({"language", "name"}), owner_cols,
                     "language"},
    [TK_ACCESS] = {L("id", "description", "details", "url"), R({"accessibility", "description"}),
                   L("location_id"), "accessibility"},
    [TK_FUNDING] = {L("id", "source"), NULL, L("organization_id", "service_id"), "funding"},
    [TK_ELIGIBILITY] = {L("id"), NULL, L("service_id", "eligibility", "minimum_age", "maximum_age"),
                        "eligibility"},
    [TK_TAXONOMY] = {L("id", "name", "description", "uri", "version"), NULL, NULL, "taxonomy"},
    [TK_TERM] = {L("id", "code", "name", "description", "parent_id", "taxonomy", "language",
                   "taxonomy_id", "term_uri"),
                 NULL, NULL, "taxonomy term"},
    [TK_TERM_1X] = {L("id", "name", "parent_id", "description"), NULL,
                    L("vocabulary", "parent_name"), "taxonomy term"},
    [TK_SERVICE_TERM] = {L("id"), R({"taxonomy_detail", "value"}), L("service_id", "taxonomy_id"),
                         "service taxonomy"},
    [TK_ATTRIBUTE] = {L("id", "taxonomy_term_id", "link_type", "value", "label"), NULL,
                      L("link_id", "link_entity"), "attribute"},
};

/* Is s in the NULL-terminated list? */
static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

/* Does the mapping of kind k read this column? (see dir_import_internal.h) */
bool tab_column_known(enum tkind k, const char *col)
{
    enum tkind sk = k == TK_ADDRESS_PHYS || k == TK_ADDRESS_POST ? TK_ADDRESS : k;
    const struct kspec *s = &specs[sk];
    if (in_list(s->members, col) || in_list(s->consumed, col)) return true;
    for (const struct rename *r = s->renames; r && r->from; r++)
        if (strcmp(r->from, col) == 0) return true;
    return false;
}

/* Can this row go into a document? */
static bool usable(const struct csv_row *r)
{
    return r->state == ROW_OK || r->state == ROW_USED;
}

/* Remember that row went into the document being built. */
static void note_used(struct tabular *tp, struct csv_row *row)
{
    if (tp->nused == tp->used_cap) {
        size_t cap = tp->used_cap ? tp->used_cap * 2 : 64;
        struct csv_row **u = arena_alloc_raw(tp->im->a, cap * sizeof *u);
        if (tp->nused) memcpy(u, tp->used, tp->nused * sizeof *u);
        tp->used = u;
        tp->used_cap = cap;
    }
    tp->used[tp->nused++] = row;
}

/* Record where obj came from. */
static void origin_of(struct tabular *tp, const void *obj, struct ttable *tt, struct csv_row *row)
{
    ptrmap_put(&tp->im->origins, obj,
               (struct origin){.file = tt->t.file, .line = row->line, .row = row});
}

/* Set a text member when it is not set already. */
static void set_text(json_t *obj, const char *name, const char *v)
{
    if (!v || !*v || json_object_get(obj, name)) return;
    json_t *s = json_string(v);
    if (s) json_object_set_new(obj, name, s);
}

/* A row as a JSON object of its 3.0 members (own names first, then the
 * 1.x names they replace). */
static json_t *row_object(struct tabular *tp, struct ttable *tt, int i)
{
    enum tkind k =
        tt->kind == TK_ADDRESS_PHYS || tt->kind == TK_ADDRESS_POST ? TK_ADDRESS : tt->kind;
    const struct kspec *s = &specs[k];
    struct csv_row *row = &tt->t.rows[i];
    json_t *obj = json_object();
    for (int c = 0; c < tt->t.ncols; c++)
        if (in_list(s->members, tt->t.cols[c])) set_text(obj, tt->t.cols[c], csv_get(row, c));
    for (const struct rename *r = s->renames; r && r->from; r++)
        set_text(obj, r->to, csv_get(row, csv_col(&tt->t, r->from)));
    origin_of(tp, obj, tt, row);
    note_used(tp, row);
    return obj;
}

/* A one-to-one row as its HSDS 3.0 object (see dir_import_internal.h). */
json_t *tab_object(struct tabular *tp, struct ttable *tt, int i)
{
    json_t *obj = row_object(tp, tt, i);
    if (tt->kind == TK_TERM_1X) {
        const char *voc = csv_get(&tt->t.rows[i], csv_col(&tt->t, "vocabulary"));
        if (*voc) {
            set_text(obj, "taxonomy", voc);
            set_text(obj, "taxonomy_id", tab_vocabulary_id(tp->im->a, voc));
        }
    }
    tp->nused = 0; /* one-to-one objects are marked by their caller */
    return obj;
}

/* A stable taxonomy id from a 1.x vocabulary name: "hsds1-" and a slug. */
const char *tab_vocabulary_id(arena *a, const char *vocabulary)
{
    char *out = arena_alloc(a, strlen(vocabulary) + 8);
    char *o = out;
    o += sprintf(o, "hsds1-");
    bool dash = true;
    for (const char *p = vocabulary; *p; p++) {
        if (isalnum((unsigned char)*p)) {
            *o++ = (char)tolower((unsigned char)*p);
            dash = false;
        } else if (!dash) {
            *o++ = '-';
            dash = true;
        }
    }
    if (o > out && o[-1] == '-') o--;
    *o = '\0';
    return out;
}

/* A 1.x weekday as an RFC 5545 day code (see dir_import_internal.h). */
const char *tab_weekday(const char *s)
{
    static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    char low[16];
    size_t n = 0;
    while (*s == ' ')
        s++;
    for (; *s && n < sizeof low - 1; s++)
        low[n++] = (char)tolower((unsigned char)*s);
    while (n && (low[n - 1] == ' ' || low[n - 1] == '.'))
        n--;
    low[n] = '\0';
    if (n == 1 && low[0] >= '1' && low[0] <= '7') return codes[low[0] - '1']; /* ISO 8601 */
    for (int d = 0; d < 7; d++) {
        if (n == 2 && low[0] == tolower((unsigned char)codes[d][0]) &&
            low[1] == tolower((unsigned char)codes[d][1]))
            return codes[d];
        if (n >= 3 && strncmp(names[d], low, n) == 0) return codes[d]; /* "mon", "tues" */
    }
    return NULL;
}

/* The first child row of owner row orow in child table ck, or -1. */
static int first_child(struct tabular *tp, struct ttable *owner, int orow, enum tkind ck)
{
    if (!tp->tables[ck] || !owner->head[ck]) return -1;
    return owner->head[ck][orow];
}

static json_t *child_object(struct tabular *tp, enum tkind k, int i);

/* Append the usable rows of table ck owned by (owner, orow) to obj[member]. */
static void add_children(struct tabular *tp, json_t *obj, struct ttable *owner, int orow,
                         enum tkind ck, const char *member)
{
    struct ttable *ct = tp->tables[ck];
    for (int i = first_child(tp, owner, orow, ck); i >= 0; i = ct->next[i]) {
        if (!usable(&ct->t.rows[i])) continue;
        json_t *arr = json_object_get(obj, member);
        if (!arr) {
            arr = json_array();
            json_object_set_new(obj, member, arr);
        }
        json_array_append_new(arr, child_object(tp, ck, i));
    }
}

/* Did a time as written say am or pm? */
static bool says_meridiem(const char *s)
{
    for (; *s; s++)
        if (tolower((unsigned char)*s) == 'a' || tolower((unsigned char)*s) == 'p') return true;
    return false;
}

/*
 * Check a 1.x row's opening times into opens/closes ("" when blank).
 * false (row reported) when one is not a time, or when closes_at was
 * written without am/pm and reads as earlier than opens_at: "8:00am" to
 * "5:00" means 5 pm, but saying so would be a guess.
 */
static bool row_times(struct tabular *tp, struct ttable *tt, struct csv_row *row, char opens[9],
                      char closes[9])
{
    const char *o = csv_get(row, csv_col(&tt->t, "opens_at"));
    const char *c = csv_get(row, csv_col(&tt->t, "closes_at"));
    opens[0] = closes[0] = '\0';
    if (*o && dir_time_normalise(o, opens) != 0) {
        imp_row_problem(tp->im, tt->t.file, row, "opens_at '%s' is not a time of day", o);
        return false;
    }
    if (*c && dir_time_normalise(c, closes) != 0) {
        imp_row_problem(tp->im, tt->t.file, row, "closes_at '%s' is not a time of day", c);
        return false;
    }
    if (*opens && *closes && strcmp(closes, opens) <= 0 && !says_meridiem(c) &&
        atoi(closes) <= 12) {
        imp_row_problem(tp->im, tt->t.file, row,
                        "closes_at '%s' is not after opens_at '%s' (am or pm?)", c, o);
        return false;
    }
    return true;
}

/* One weekly schedule being gathered from 1.x regular_schedules rows. */
struct week_group {
    char opens[9], closes[9];
    unsigned days; /* bit d: MO..SU */
    int first;     /* the row whose id and line it takes */
};

/* 1.x regular_schedules of (owner, orow) into obj.schedules: one weekly
 * schedule per distinct pair of opening times, its days gathered. */
static void add_regular(struct tabular *tp, json_t *obj, struct ttable *owner, int orow)
{
    struct ttable *tt = tp->tables[TK_SCHEDULE_REG];
    struct week_group groups[32];
    int ng = 0;
    int wd = tt ? csv_col(&tt->t, "weekday") : -1;
    for (int i = first_child(tp, owner, orow, TK_SCHEDULE_REG); i >= 0; i = tt->next[i]) {
        struct csv_row *row = &tt->t.rows[i];
        if (!usable(row)) continue;
        const char *day = tab_weekday(csv_get(row, wd));
        if (!day) {
            imp_row_problem(tp->im, tt->t.file, row, "weekday '%s' is not a day of the week",
                            csv_get(row, wd));
            continue;
        }
        char opens[9], closes[9];
        if (!row_times(tp, tt, row, opens, closes)) continue;
        int d = 0;
        static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
        while (strcmp(codes[d], day) != 0)
            d++;
        int g = 0;
        while (g < ng && (strcmp(groups[g].opens, opens) || strcmp(groups[g].closes, closes)))
            g++;
        if (g == ng) {
            if (ng == 32) {
                imp_row_problem(tp->im, tt->t.file, row,
                                "more than 32 different opening hours for one owner");
                continue;
            }
            ng++;
            memcpy(groups[g].opens, opens, 9);
            memcpy(groups[g].closes, closes, 9);
            groups[g].days = 0;
            groups[g].first = i;
        }
        groups[g].days |= 1u << d;
        note_used(tp, row);
    }
    static const char *const codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    for (int g = 0; g < ng; g++) {
        char byday[32] = "";
        for (int d = 0; d < 7; d++)
            if (groups[g].days & (1u << d)) {
                if (*byday) strcat(byday, ",");
                strcat(byday, codes[d]);
            }
        struct csv_row *row = &tt->t.rows[groups[g].first];
        json_t *s = json_object();
        set_text(s, "id", csv_get(row, tt->id_col));
        json_object_set_new(s, "freq", json_string("WEEKLY"));
        json_object_set_new(s, "byday", json_string(byday));
        set_text(s, "opens_at", groups[g].opens);
        set_text(s, "closes_at", groups[g].closes);
        origin_of(tp, s, tt, row);
        json_t *arr = json_object_get(obj, "schedules");
        if (!arr) {
            arr = json_array();
            json_object_set_new(obj, "schedules", arr);
        }
        json_array_append_new(arr, s);
    }
}

/* Read a 1.x boolean; -1 when it is not one. */
static int read_bool(const char *s)
{
    static const char *const yes[] = {"true", "yes", "y", "1", "t", NULL};
    static const char *const no[] = {"false", "no", "n", "0", "f", NULL};
    char low[8];
    size_t n = 0;
    for (; *s && n < sizeof low - 1; s++)
        low[n++] = (char)tolower((unsigned char)*s);
    low[n] = '\0';
    if (in_list(yes, low)) return 1;
    if (in_list(no, low)) return 0;
    return -1;
}

/* A 1.x holiday_schedules row as a schedule valid over its dates. */
static json_t *holiday_object(struct tabular *tp, struct ttable *tt, int i)
{
    struct csv_row *row = &tt->t.rows[i];
    const char *closed_s = csv_get(row, csv_col(&tt->t, "closed"));
    int closed = *closed_s ? read_bool(closed_s) : 0;
    char opens[9], closes[9];
    if (closed < 0) {
        imp_row_problem(tp->im, tt->t.file, row, "closed '%s' is not true or false", closed_s);
        return NULL;
    }
    if (!row_times(tp, tt, row, opens, closes)) return NULL;
    json_t *s = json_object();
    set_text(s, "id", csv_get(row, tt->id_col));
    set_text(s, "valid_from", csv_get(row, csv_col(&tt->t, "start_date")));
    set_text(s, "valid_to", csv_get(row, csv_col(&tt->t, "end_date")));
    if (closed)
        set_text(s, "description", "Closed");
    else {
        set_text(s, "opens_at", opens);
        set_text(s, "closes_at", closes);
    }
    origin_of(tp, s, tt, row);
    note_used(tp, row);
    return s;
}

/* Schedules of every layout owned by (owner, orow). */
static void add_schedules(struct tabular *tp, json_t *obj, struct ttable *owner, int orow)
{
    add_children(tp, obj, owner, orow, TK_SCHEDULE, "schedules");
    add_regular(tp, obj, owner, orow);
    struct ttable *ht = tp->tables[TK_SCHEDULE_HOLI];
    for (int i = first_child(tp, owner, orow, TK_SCHEDULE_HOLI); i >= 0; i = ht->next[i]) {
        if (!usable(&ht->t.rows[i])) continue;
        json_t *s = holiday_object(tp, ht, i);
        if (!s) continue;
        json_t *arr = json_object_get(obj, "schedules");
        if (!arr) {
            arr = json_array();
            json_object_set_new(obj, "schedules", arr);
        }
        json_array_append_new(arr, s);
    }
}

/* A location with what hangs off it. */
static json_t *location_object(struct tabular *tp, int i)
{
    struct ttable *lt = tp->tables[TK_LOCATION];
    json_t *loc = row_object(tp, lt, i);
    add_children(tp, loc, lt, i, TK_ADDRESS, "addresses");
    add_children(tp, loc, lt, i, TK_ADDRESS_PHYS, "addresses");
    add_children(tp, loc, lt, i, TK_ADDRESS_POST, "addresses");
    add_children(tp, loc, lt, i, TK_ACCESS, "accessibility");
    return loc;
}

/* A child row as its 3.0 object, with its own children. */
static json_t *child_object(struct tabular *tp, enum tkind k, int i)
{
    struct ttable *tt = tp->tables[k];
    json_t *obj = row_object(tp, tt, i);
    struct csv_row *row = &tt->t.rows[i];
    switch (k) {
    case TK_ADDRESS_PHYS:
    case TK_ADDRESS_POST: {
        json_object_set_new(obj, "address_type",
                            json_string(k == TK_ADDRESS_PHYS ? "physical" : "postal"));
        /* 3.0 has two address lines: 1.x's third and fourth join the second. */
        const char *extra[] = {csv_get(row, csv_col(&tt->t, "address_3")),
                               csv_get(row, csv_col(&tt->t, "address_4"))};
        if (*extra[0] || *extra[1]) {
            const char *a2 = json_string_value(json_object_get(obj, "address_2"));
            char *joined =
                arena_printf(tp->im->a, "%s%s%s%s%s", a2 ? a2 : "", a2 && *extra[0] ? ", " : "",
                             extra[0], (a2 || *extra[0]) && *extra[1] ? ", " : "", extra[1]);
            json_object_set_new(obj, "address_2", json_string(joined));
        }
        break;
    }
    case TK_CONTACT:
        add_children(tp, obj, tt, i, TK_PHONE, "phones");
        break;
    case TK_SAL: {
        struct ttable *lt = tp->tables[TK_LOCATION];
        int li = lt ? strmap_get(&lt->ids, csv_get(row, csv_col(&tt->t, "location_id"))) : -1;
        if (li >= 0) json_object_set_new(obj, "location", location_object(tp, li));
        add_schedules(tp, obj, tt, i);
        break;
    }
    case TK_SERVICE_TERM:
        set_text(obj, "taxonomy_term_id", csv_get(row, csv_col(&tt->t, "taxonomy_id")));
        break;
    default:
        break;
    }
    return obj;
}

/* Is s a number written in full? */
static bool numeric(const char *s)
{
    char *end = NULL;
    strtod(s, &end);
    return *s && end && *end == '\0';
}

/* 1.x eligibility rows of service row si: their text joined into
 * eligibility_description, numeric age limits into minimum/maximum_age. */
static void add_eligibility(struct tabular *tp, json_t *doc, int si)
{
    struct ttable *et = tp->tables[TK_ELIGIBILITY];
    struct ttable *st = tp->tables[TK_SERVICE];
    if (!et) return;
    int text_col = csv_col(&et->t, "eligibility");
    static const char *const ages[] = {"minimum_age", "maximum_age"};
    for (int i = first_child(tp, st, si, TK_ELIGIBILITY); i >= 0; i = et->next[i]) {
        struct csv_row *row = &et->t.rows[i];
        if (!usable(row)) continue;
        bool ok = true;
        for (int a = 0; a < 2 && ok; a++) {
            const char *v = csv_get(row, csv_col(&et->t, ages[a]));
            if (*v && !numeric(v)) {
                imp_row_problem(tp->im, et->t.file, row, "%s '%s' is not a number", ages[a], v);
                ok = false;
            }
        }
        if (!ok) continue;
        for (int a = 0; a < 2; a++) {
            const char *v = csv_get(row, csv_col(&et->t, ages[a]));
            if (*v && !json_object_get(doc, ages[a])) {
                json_t *n = json_real(strtod(v, NULL));
                json_object_set_new(doc, ages[a], n);
                origin_of(tp, n, et, row);
            }
        }
        const char *text = csv_get(row, text_col);
        if (*text) {
            json_t *old = json_object_get(doc, "eligibility_description");
            const char *was = json_string_value(old);
            json_t *s =
                json_string(was ? arena_printf(tp->im->scratch, "%s\n\n%s", was, text) : text);
            json_object_set_new(doc, "eligibility_description", s);
            origin_of(tp, s, et, row);
        }
        note_used(tp, row);
    }
}

/* The full service document for a services row (see dir_import_internal.h). */
json_t *tab_service_doc(struct tabular *tp, int si)
{
    struct ttable *st = tp->tables[TK_SERVICE];
    struct csv_row *row = &st->t.rows[si];
    tp->nused = 0;
    ptrmap_clear(&tp->im->origins);
    json_t *doc = row_object(tp, st, si);
    set_text(doc, "organization_id", csv_get(row, csv_col(&st->t, "organization_id")));
    if (!json_object_get(doc, "status")) {
        /* A listed service with no status is taken to be running. */
        json_object_set_new(doc, "status", json_string("active"));
        imp_note(tp->im, st->t.file, row->line, "status is blank: read as active");
    }
    add_eligibility(tp, doc, si);
    add_children(tp, doc, st, si, TK_PHONE, "phones");
    add_schedules(tp, doc, st, si);
    add_children(tp, doc, st, si, TK_AREA, "service_areas");
    add_children(tp, doc, st, si, TK_LANGUAGE, "languages");
    add_children(tp, doc, st, si, TK_FUNDING, "funding");
    add_children(tp, doc, st, si, TK_COST, "cost_options");
    add_children(tp, doc, st, si, TK_CONTACT, "contacts");
    add_children(tp, doc, st, si, TK_SERVICE_TERM, "attributes");
    add_children(tp, doc, st, si, TK_ATTRIBUTE, "attributes");
    add_children(tp, doc, st, si, TK_SAL, "service_at_locations");
    return doc;
}
