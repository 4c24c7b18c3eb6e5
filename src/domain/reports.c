/*
 * reports.c: the outcomes report (see reports.h for the figures and the
 * disclosure rules).
 *
 * How it stays fast over a million referrals: one statement over the
 * referrals table through the scope's index, reading only the columns the
 * figures need, most of them kept by triggers as the row is written (the
 * packed status and equity key, the paired changes, the days to first
 * contact); for the whole system, an organisation, a place or a
 * neighbourhood the index covers them all, so the table is never visited. Each row is added to five
 * accumulators (the whole scope and its cell in each of the four breakdowns) kept in one array
 * indexed by dimension value, allocated once. Days to first contact are counted in bins so that
 * medians need no list of values.
 */
#include "domain/reports.h"

#include "base/date.h"
#include "domain/measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* In enum referral_status order (kept here too so the scan can match
 * statuses without a call per row). */
const char *const report_status_names[REFERRAL_NSTATUS] = {"draft",     "sent",        "accepted",
                                                           "declined",  "waitlisted",  "started",
                                                           "completed", "dropped_out", "cancelled"};

const char *const report_figure_names[RF_N] = {"referrals",
                                               "sent",
                                               "uptake",
                                               "completion",
                                               "days_to_first_contact",
                                               "swemwbs",
                                               "ons4_life_satisfaction",
                                               "ons4_worthwhile",
                                               "ons4_happiness",
                                               "ons4_anxiety",
                                               "ucla3"};

/* ---- the dimensions: codes as stored on referrals, then "unknown" ---- */

struct dimension {
    const char *name, *label;
    const char *const *codes; /* NULL-terminated; "unknown" last */
    const char *const *labels;
    int n; /* codes, "unknown" included */
};

/* The number of codes in a NULL-terminated array of them. */
#define NCODES(codes) ((int)(sizeof codes / sizeof codes[0]) - 1)

static const char *const imd_codes[] = {"1", "2", "3", "4", "5", "unknown", NULL};
static const char *const imd_labels[] = {"1 (most deprived)",  "2",           "3", "4",
                                         "5 (least deprived)", "Not recorded"};
static const char *const age_codes[] = {"0-17",  "18-24", "25-34", "35-44",   "45-54",
                                        "55-64", "65-74", "75+",   "unknown", NULL};
static const char *const age_labels[] = {"0 to 17",  "18 to 24",    "25 to 34",
                                         "35 to 44", "45 to 54",    "55 to 64",
                                         "65 to 74", "75 and over", "Not recorded"};
static const char *const sex_codes[] = {"female",    "male",    "indeterminate",
                                        "not_known", "unknown", NULL};
static const char *const sex_labels[] = {"Female", "Male", "Indeterminate", "Not known",
                                         "Not recorded"};
static const char *const eth_codes[] = {"asian", "black",      "mixed",   "white",
                                        "other", "not_stated", "unknown", NULL};
static const char *const eth_labels[] = {"Asian, Asian British or Asian Welsh",
                                         "Black, Black British, Black Welsh, Caribbean or African",
                                         "Mixed or Multiple ethnic groups",
                                         "White",
                                         "Other ethnic group",
                                         "Not stated",
                                         "Not recorded"};

static const struct dimension dimensions[REPORT_NBREAKDOWNS] = {
    {"imd_quintile", "IMD quintile", imd_codes, imd_labels, NCODES(imd_codes)},
    {"age_band", "Age band", age_codes, age_labels, NCODES(age_codes)},
    {"sex", "Sex", sex_codes, sex_labels, NCODES(sex_codes)},
    {"ethnicity_group", "Ethnic group", eth_codes, eth_labels, NCODES(eth_codes)},
};

/* What one cell gathers during the scan. */
struct acc {
    long long referrals, sent, started_plus, completed;
    long long status[REFERRAL_NSTATUS];
    struct stat_run days;
    int *bins; /* REPORT_DAYS_BINS counts of days to first contact */
    struct stat_run swemwbs;
    long long improved, declined;
    struct stat_run ons[4];
    struct stat_run ucla;
};

/* Returns how many codes a dimension has (its last is "unknown"). */
static int dim_count(const struct dimension *d)
{
    return d->n;
}

/* See reports.h. The layout is the migration's report_key column. */
bool report_key_decode(long long key, struct report_key *out)
{
    static const int shift[REPORT_NBREAKDOWNS] = {4, 7, 11, 14};
    static const int mask[REPORT_NBREAKDOWNS] = {7, 15, 7, 7};
    if (key < 0) return false;
    out->status = (int)(key & 15);
    if (out->status >= REFERRAL_NSTATUS) return false;
    out->sent = (key >> 17) & 1;
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++) {
        int n = dim_count(&dimensions[d]);
        int i = (int)((key >> shift[d]) & mask[d]);
        out->cell[d] = i < n ? i : n - 1;
    }
    return true;
}

/* See reports.h. */
const char *report_dimension_code(int d, int i)
{
    if (d < 0 || d >= REPORT_NBREAKDOWNS || i < 0 || i >= dim_count(&dimensions[d])) return NULL;
    return dimensions[d].codes[i];
}

/* Returns the day number of the YYYY-MM-DD at the start of s, by hand;
 * false when s does not start with one. */
static bool day_of(const char *s, long long *out)
{
    if (!s) return false;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    long long yy = y - (m <= 2);
    long long era = yy / 400; /* years here are never negative */
    long long yoe = yy - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    *out = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return true;
}

/* Returns day number n as YYYY-MM-DD in a. */
static const char *day_text(arena *a, long long n)
{
    return date_offset(a, (time_t)(n * 86400), 0, false);
}

/*
 * Checks a YYYY-MM-DD parameter named field: exactly that form and a real
 * day of the calendar. Sets *day and returns true, or adds a field error.
 */
static bool check_date(struct ctx *c, const char *field, const char *s, long long *day)
{
    if (strlen(s) == 10 && day_of(s, day) && strcmp(day_text(c->a, *day), s) == 0) return true;
    ctx_field_error(c, field, "%s must be a date written YYYY-MM-DD, like 2026-04-01", field);
    return false;
}

/* ---- checking the query ---- */

/* Returns the name of row id of a table with a name column (in c->a), or
 * NULL when there is none; *failed on a store failure. */
static const char *name_of(struct ctx *c, const char *sql, const char *types, const void *key,
                           bool *failed)
{
    store_stmt *st = store_prepare(c->db, sql);
    if (!st) {
        *failed = true;
        return NULL;
    }
    if (types[0] == 'i')
        store_bind_int(st, 1, *(const long long *)key);
    else
        store_bind_text(st, 1, key);
    int rc = store_step(st);
    const char *name = rc == STORE_ROW && !store_col_null(st, 0)
                           ? arena_strdup(c->a, store_col_text(st, 0))
                           : NULL;
    store_done(st);
    if (rc < 0) *failed = true;
    return name;
}

/*
 * Checks the scope of q and fills out's scope fields: at most one scope,
 * naming something that exists. Field errors for what is wrong; returns
 * RES_INTERNAL when the store failed, else RES_OK.
 */
static result check_scope(struct ctx *c, const struct report_query *q, struct outcome_report *out)
{
    static const char *const fields[] = {"service_id", "organisation_id", "place_id",
                                         "neighbourhood_id"};
    bool given[4] = {q->service_id != NULL, q->organisation_id != 0, q->place_id != 0,
                     q->neighbourhood_id != 0};
    int n = given[0] + given[1] + given[2] + given[3];
    out->scope = SCOPE_SYSTEM;
    out->scope_type = "system";
    if (n > 1) {
        for (int i = 0; i < 4; i++)
            if (given[i])
                ctx_field_error(c, fields[i],
                                "Choose one of a service, an organisation, a place or a"
                                " neighbourhood, not %d",
                                n);
        return RES_OK;
    }
    bool failed = false;
    if (q->service_id) {
        out->scope = SCOPE_SERVICE;
        out->scope_type = "service";
        out->service_id = q->service_id;
        if (strlen(q->service_id) > 200) {
            ctx_field_error(c, "service_id", "service_id is too long to be a service's id");
            return RES_OK;
        }
        out->scope_name =
            name_of(c, "SELECT name FROM dir_services WHERE id = $1", "t", q->service_id, &failed);
        /* A service deleted from the directory still has its referrals. */
        if (!out->scope_name && !failed)
            out->scope_name =
                name_of(c, "SELECT service_name FROM referrals WHERE service_id = $1 LIMIT 1", "t",
                        q->service_id, &failed);
        if (!out->scope_name && !failed)
            ctx_field_error(c, "service_id", "There is no service with id %s", q->service_id);
    } else if (n == 1) {
        static const char *const sql[] = {NULL, "SELECT name FROM organisations WHERE id = $1",
                                          "SELECT name FROM places WHERE id = $1",
                                          "SELECT name FROM neighbourhoods WHERE id = $1"};
        static const char *const types[] = {NULL, "organisation", "place", "neighbourhood"};
        static const char *const nouns[] = {NULL, "an organisation", "a place", "a neighbourhood"};
        long long ids[] = {0, q->organisation_id, q->place_id, q->neighbourhood_id};
        int k = given[1] ? 1 : given[2] ? 2 : 3;
        out->scope = (enum report_scope)(SCOPE_SERVICE + k);
        out->scope_type = types[k];
        out->scope_id = ids[k];
        if (ids[k] < 0) {
            ctx_field_error(c, fields[k], "%s must be %s's number, like 3", fields[k], nouns[k]);
            return RES_OK;
        }
        out->scope_name = name_of(c, sql[k], "i", &ids[k], &failed);
        if (!out->scope_name && !failed)
            ctx_field_error(c, fields[k], "There is no %s with id %lld", types[k], ids[k]);
    }
    return failed ? ctx_store_failure(c, STORE_E_ERROR, "report scope") : RES_OK;
}

/*
 * Checks the dates of q, defaulting to the 12 months ending today: to
 * defaults to today, from to the day after the same date a year before to.
 * Sets out->from, out->to and *end (the day after to, for created_at <
 * end); field errors for what is wrong.
 */
static void check_dates(struct ctx *c, const struct report_query *q, struct outcome_report *out,
                        const char **end)
{
    long long from = 0, to = 0;
    bool ok_from = true, ok_to = true;
    if (q->to)
        ok_to = check_date(c, "to", q->to, &to);
    else
        day_of(date_offset(c->a, c->now, 0, false), &to);
    if (q->from) {
        ok_from = check_date(c, "from", q->from, &from);
    } else if (ok_to) {
        /* A year back, then a day on: exactly twelve months, inclusive. */
        char *y = arena_strdup(c->a, day_text(c->a, to));
        int year = atoi(y) - 1;
        if (strcmp(y + 5, "02-29") == 0) memcpy(y + 5, "02-28", 5);
        y[0] = (char)('0' + year / 1000);
        y[1] = (char)('0' + year / 100 % 10);
        y[2] = (char)('0' + year / 10 % 10);
        y[3] = (char)('0' + year % 10);
        day_of(y, &from);
        from++;
    }
    if (ok_from && ok_to && from > to) ctx_field_error(c, "from", "from must be on or before to");
    out->from = day_text(c->a, from);
    out->to = day_text(c->a, to);
    *end = day_text(c->a, to + 1);
}

/* ---- consent ---- */

/* Orders participant ids, for qsort and bsearch. */
static int id_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/*
 * Reads the ids of the participants whose anonymised_reporting consent is
 * withdrawn now (the newest record, by recorded_at then id, has given =
 * 0), sorted, into *ids (c->a). Returns RES_OK or RES_INTERNAL.
 */
static result withdrawn_set(struct ctx *c, long long **ids, int *n)
{
    store_stmt *st = store_prepare(
        c->db, "SELECT k.participant_id FROM consents k"
               " WHERE k.scope = 'anonymised_reporting' AND k.given = 0"
               " AND NOT EXISTS (SELECT 1 FROM consents j WHERE j.participant_id = k.participant_id"
               " AND j.scope = k.scope AND (j.recorded_at > k.recorded_at"
               " OR (j.recorded_at = k.recorded_at AND j.id > k.id)))");
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "report consent");
    int cap = 64, rc;
    *n = 0;
    *ids = arena_alloc(c->a, sizeof **ids * (size_t)cap);
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            long long *bigger = arena_alloc(c->a, sizeof **ids * (size_t)cap * 2);
            memcpy(bigger, *ids, sizeof **ids * (size_t)cap);
            *ids = bigger;
            cap *= 2;
        }
        (*ids)[(*n)++] = store_col_int(st, 0);
    }
    store_done(st);
    if (rc < 0) return ctx_store_failure(c, rc, "report consent");
    qsort(*ids, (size_t)*n, sizeof **ids, id_cmp);
    return RES_OK;
}

/* ---- the scan ---- */

/* The columns the scan reads: triggers keep all but the first as the row
 * is written (see the migration), so a row is nine numbers. */
#define REPORT_COLUMNS                                                                             \
    "SELECT participant_id, report_key, days_to_contact, swemwbs_change, ucla_change,"             \
    " ons_life_change, ons_worth_change, ons_happy_change, ons_anxious_change"                     \
    " FROM referrals WHERE "

/* See reports.h. $1 and $2 are the dates, $3 the scope's id. */
const char *report_scan_sql(enum report_scope scope)
{
    static const char *const sql[] = {
        REPORT_COLUMNS "created_at >= $1 AND created_at < $2",
        /* status IN (every state) lets the (service_id, status, created_at)
         * index seek each state's date range instead of reading them all. */
        REPORT_COLUMNS "service_id = $3 AND status IN ('draft', 'sent', 'accepted', 'declined',"
                       " 'waitlisted', 'started', 'completed', 'dropped_out', 'cancelled')"
                       " AND created_at >= $1 AND created_at < $2",
        REPORT_COLUMNS "receiving_org_id = $3 AND created_at >= $1 AND created_at < $2",
        REPORT_COLUMNS "place_id = $3 AND created_at >= $1 AND created_at < $2",
        REPORT_COLUMNS "neighbourhood_id = $3 AND created_at >= $1 AND created_at < $2",
    };
    return sql[scope];
}

/* Prepares the scan for the scope, bound; NULL on failure. */
static store_stmt *scan_prepare(struct ctx *c, const struct outcome_report *r, const char *end)
{
    store_stmt *st = store_prepare(c->db, report_scan_sql(r->scope));
    if (!st) return NULL;
    store_bind_text(st, 1, r->from);
    store_bind_text(st, 2, end);
    if (r->scope == SCOPE_SERVICE)
        store_bind_text(st, 3, r->service_id);
    else if (r->scope != SCOPE_SYSTEM)
        store_bind_int(st, 3, r->scope_id);
    return st;
}

/* One referral as the figures need it, read from its row once. */
struct row {
    int status;
    bool sent;
    long long days; /* to first contact; -1: not known */
    /* Paired changes: swemwbs, ucla, ons4 items 0-3 (pair[i]: both scores there). */
    bool pair[6];
    double change[6];
};

/* Adds referral r to accumulator x. */
static void add_row(struct acc *x, const struct row *r)
{
    x->referrals++;
    x->status[r->status]++;
    if (r->sent) x->sent++;
    if (r->status == REFERRAL_STARTED || r->status == REFERRAL_COMPLETED ||
        r->status == REFERRAL_DROPPED_OUT)
        x->started_plus++;
    if (r->status == REFERRAL_COMPLETED) x->completed++;
    if (r->days >= 0) {
        stat_add(&x->days, (double)r->days);
        x->bins[r->days < REPORT_DAYS_BINS ? r->days : REPORT_DAYS_BINS - 1]++;
    }
    if (r->pair[0]) {
        stat_add(&x->swemwbs, r->change[0]);
        /* Metric scores have two decimals: allow for their binary error. */
        if (r->change[0] >= SWEMWBS_MEANINGFUL_CHANGE - 1e-9) x->improved++;
        if (r->change[0] <= -SWEMWBS_MEANINGFUL_CHANGE + 1e-9) x->declined++;
    }
    if (r->pair[1]) stat_add(&x->ucla, r->change[1]);
    for (int i = 0; i < 4; i++)
        if (r->pair[2 + i]) stat_add(&x->ons[i], r->change[2 + i]);
}

/*
 * Runs the scan into the accumulators: acc[0] is the whole scope, then the
 * cells of each dimension in order (first[d] is dimension d's first).
 * Returns RES_OK or RES_INTERNAL.
 */
static result scan(struct ctx *c, const struct outcome_report *rep, const char *end,
                   const long long *withdrawn, int nwithdrawn, struct acc *acc, const int *first)
{
    store_stmt *st = scan_prepare(c, rep, end);
    if (!st) return ctx_store_failure(c, STORE_E_ERROR, "report scan");
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        long long pid = store_col_int(st, 0);
        if (nwithdrawn && bsearch(&pid, withdrawn, (size_t)nwithdrawn, sizeof pid, id_cmp))
            continue;
        struct report_key key;
        if (!report_key_decode(store_col_int(st, 1), &key)) continue;
        struct row r;
        r.status = key.status;
        r.sent = key.sent;
        r.days = r.sent && !store_col_null(st, 2) ? store_col_int(st, 2) : -1;
        for (int k = 0; k < 6; k++) {
            r.pair[k] = !store_col_null(st, 3 + k);
            r.change[k] = r.pair[k] ? store_col_double(st, 3 + k) : 0;
        }
        add_row(&acc[0], &r);
        for (int d = 0; d < REPORT_NBREAKDOWNS; d++)
            add_row(&acc[first[d] + key.cell[d]], &r);
    }
    store_done(st);
    return rc < 0 ? ctx_store_failure(c, rc, "report scan") : RES_OK;
}

/* ---- figures ---- */

/* Sets v to the mean change of s with its interval. */
static void change_value(struct report_value *v, const struct stat_run *s)
{
    v->n = s->n;
    v->value = stat_mean(s);
    v->has_ci = stat_ci95(s, &v->ci_low, &v->ci_high);
}

/* Fills cell's figures from what it gathered (before suppression). */
static void finish_cell(struct report_cell *cell, const struct acc *x)
{
    struct report_value *f = cell->fig;
    f[RF_REFERRALS].n = x->referrals;
    f[RF_REFERRALS].value = (double)x->referrals;
    f[RF_SENT].n = x->sent;
    f[RF_SENT].value = (double)x->sent;
    f[RF_UPTAKE].n = x->sent;
    f[RF_UPTAKE].value = x->sent ? (double)x->started_plus / (double)x->sent : 0;
    f[RF_COMPLETION].n = x->started_plus;
    f[RF_COMPLETION].value = x->started_plus ? (double)x->completed / (double)x->started_plus : 0;
    f[RF_DAYS].n = x->days.n;
    f[RF_DAYS].value = stat_mean(&x->days);
    f[RF_DAYS].median = hist_median(x->bins, REPORT_DAYS_BINS, x->days.n);
    change_value(&f[RF_SWEMWBS], &x->swemwbs);
    if (x->swemwbs.n) {
        f[RF_SWEMWBS].improved = (double)x->improved / (double)x->swemwbs.n;
        f[RF_SWEMWBS].declined = (double)x->declined / (double)x->swemwbs.n;
    }
    for (int i = 0; i < 4; i++)
        change_value(&f[RF_ONS_LIFE + i], &x->ons[i]);
    change_value(&f[RF_UCLA], &x->ucla);
}

/* Hides a value: suppressed, and every number cleared so none can leak. */
static void hide(struct report_value *v)
{
    *v = (struct report_value){.suppressed = true};
}

/* Returns the numerator a rate tells (rate x n: the people who took up or completed). */
static long long rate_numerator(const struct report_value *v)
{
    return llround(v->value * (double)v->n);
}

/* Is figure f a rate, whose numerator is a count of people too? */
static bool is_rate(int f)
{
    return f == RF_UPTAKE || f == RF_COMPLETION;
}

/*
 * Applies disclosure control to each figure across the n cells of one
 * breakdown: over the people each describes and, for a rate, over its
 * numerators too (a numerator of 0 may show: "0 of 10").
 */
static void suppress_breakdown(arena *a, struct report_cell *cells, int n)
{
    long long *people = arena_alloc(a, sizeof *people * (size_t)n);
    bool *hidden = arena_alloc(a, sizeof *hidden * (size_t)n);
    bool *by_numerator = arena_alloc(a, sizeof *by_numerator * (size_t)n);
    for (int f = 0; f < RF_N; f++) {
        for (int i = 0; i < n; i++)
            people[i] = cells[i].fig[f].n;
        cells_suppress(people, hidden, n);
        if (is_rate(f)) {
            for (int i = 0; i < n; i++)
                people[i] = rate_numerator(&cells[i].fig[f]);
            cells_suppress(people, by_numerator, n);
            for (int i = 0; i < n; i++)
                hidden[i] = hidden[i] || (by_numerator[i] && people[i] > 0);
        }
        for (int i = 0; i < n; i++)
            if (hidden[i]) hide(&cells[i].fig[f]);
    }
}

/*
 * Applies disclosure control to the whole scope's status counts. Their sum
 * is the referrals; uptake and completion tell the sum of started,
 * completed and dropped out, and so also that of the other six. Each group
 * is protected in turn, keeping what the others hid, until none changes.
 * While completion shows, it tells completed too (rate x n, and its cells'
 * numerators add up to it): hiding completed would protect nothing, so it
 * leaves the groups and the rest must protect each other.
 */
static void suppress_statuses(struct outcome_report *out)
{
    const unsigned all = (1u << REFERRAL_NSTATUS) - 1;
    const unsigned began =
        1u << REFERRAL_STARTED | 1u << REFERRAL_COMPLETED | 1u << REFERRAL_DROPPED_OUT;
    const unsigned told = out->total.fig[RF_COMPLETION].suppressed ? 0 : 1u << REFERRAL_COMPLETED;
    const unsigned groups[] = {all & ~told, began & ~told, all & ~began};
    long long people[REFERRAL_NSTATUS], p[REFERRAL_NSTATUS];
    bool hidden[REFERRAL_NSTATUS], h[REFERRAL_NSTATUS];
    int at[REFERRAL_NSTATUS];
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        people[s] = out->status[s].n;
        hidden[s] = people[s] < REPORT_MIN_CELL;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
            int m = 0;
            for (int s = 0; s < REFERRAL_NSTATUS; s++)
                if (groups[g] & (1u << s)) {
                    at[m] = s;
                    p[m] = people[s];
                    h[m++] = hidden[s];
                }
            cells_protect(p, h, m);
            for (int k = 0; k < m; k++)
                if (h[k] && !hidden[at[k]]) hidden[at[k]] = changed = true;
        }
    }
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        if (hidden[s]) hide(&out->status[s]);
}

/* See reports.h. */
result outcome_report_build(struct ctx *c, const struct report_query *q, struct outcome_report *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator && !c->actor) return ctx_fail(c, RES_UNAUTHENTICATED, "Sign in first");
    const char *end = NULL;
    result res = check_scope(c, q, out);
    if (res != RES_OK) return res;
    check_dates(c, q, out, &end);
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "Check the report's scope and dates");

    long long *withdrawn = NULL;
    int nwithdrawn = 0;
    res = withdrawn_set(c, &withdrawn, &nwithdrawn);
    if (res != RES_OK) return res;

    int first[REPORT_NBREAKDOWNS], count[REPORT_NBREAKDOWNS], ncells = 1;
    for (int d = 0; d < REPORT_NBREAKDOWNS; d++) {
        first[d] = ncells;
        count[d] = dim_count(&dimensions[d]);
        ncells += count[d];
    }
    struct acc *acc = arena_alloc(c->a, sizeof *acc * (size_t)ncells);
    int *bins = arena_alloc(c->a, sizeof *bins * REPORT_DAYS_BINS * (size_t)ncells);
    for (int i = 0; i < ncells; i++)
        acc[i].bins = bins + (size_t)i * REPORT_DAYS_BINS;
    res = scan(c, out, end, withdrawn, nwithdrawn, acc, first);
    if (res != RES_OK) return res;

    /* The whole scope: the primary rule, and both rules over the statuses. */
    out->total.code = "all";
    out->total.label = "All";
    finish_cell(&out->total, &acc[0]);
    for (int f = 0; f < RF_N; f++) {
        struct report_value *v = &out->total.fig[f];
        long long told = is_rate(f) ? rate_numerator(v) : REPORT_MIN_CELL;
        if (v->n < REPORT_MIN_CELL || (told > 0 && told < REPORT_MIN_CELL)) hide(v);
    }
    for (int s = 0; s < REFERRAL_NSTATUS; s++)
        out->status[s] =
            (struct report_value){.n = acc[0].status[s], .value = (double)acc[0].status[s]};
    suppress_statuses(out);

    for (int d = 0; d < REPORT_NBREAKDOWNS; d++) {
        struct report_breakdown *b = &out->breakdowns[d];
        b->name = dimensions[d].name;
        b->label = dimensions[d].label;
        b->ncells = count[d];
        b->cells = arena_alloc(c->a, sizeof *b->cells * (size_t)count[d]);
        for (int i = 0; i < count[d]; i++) {
            b->cells[i].code = dimensions[d].codes[i];
            b->cells[i].label = dimensions[d].labels[i];
            finish_cell(&b->cells[i], &acc[first[d] + i]);
        }
        suppress_breakdown(c->a, b->cells, b->ncells);
    }
    return RES_OK;
}
