/*
 * ref_gen.c: deterministic synthetic cohorts (chis gen referrals): see
 * ref_gen.h. This half finds (or makes) the structure the cohort lives in,
 * reads the directory's services, and plans every person and referral in
 * memory from one seeded generator; ref_gen_write.c writes them. Planning
 * first lets referrals be written in the order they were made (ids follow
 * time, as they do in use) and a person's episodes be worked out as they
 * go.
 */
#include "domain/ref_gen_internal.h"

#include "base/date.h"
#include "domain/participants.h"
#include "domain/referrals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400u

/* See ref_gen.h: enum referral_status order. */
const char *ref_gen_status_name(int status)
{
    static const char *const names[] = {"draft",     "sent",        "accepted",
                                        "declined",  "waitlisted",  "started",
                                        "completed", "dropped_out", "cancelled"};
    return status >= 0 && status < 9 ? names[status] : "?";
}

/* Days since 1970 to a civil date (Hinnant's algorithm). */
static void civil(long long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* n as width digits at p (zero-padded). */
static void digits(char *p, unsigned n, int width)
{
    for (int i = width - 1; i >= 0; i--, n /= 10)
        p[i] = (char)('0' + n % 10);
}

/* See ref_gen_internal.h. Written by hand: millions are made. */
const char *rg_day(long long day, char out[11])
{
    int y;
    unsigned m, d;
    civil(day, &y, &m, &d);
    digits(out, (unsigned)y, 4);
    out[4] = '-';
    digits(out + 5, m, 2);
    out[7] = '-';
    digits(out + 8, d, 2);
    out[10] = '\0';
    return out;
}

/* See ref_gen_internal.h. */
const char *rg_time(uint32_t t, char out[21])
{
    unsigned s = t % DAY;
    rg_day(t / DAY, out);
    out[10] = 'T';
    digits(out + 11, s / 3600, 2);
    out[13] = ':';
    digits(out + 14, s / 60 % 60, 2);
    out[16] = ':';
    digits(out + 17, s % 60, 2);
    out[19] = 'Z';
    out[20] = '\0';
    return out;
}

/* ---- the structure the cohort lives in ---- */

/* The synthetic places added to a database without neighbourhoods. */
static const char *const syn_places[] = {"Ashby Vale", "Brookmere", "Castleford Moor",
                                         "Dunholme Coast"};
static const char *const syn_hoods[] = {"Central",  "North",     "South",    "East",
                                        "West",     "Riverside", "Hillside", "Old Town",
                                        "Parkside", "Fieldgate"};

/* Add four places of ten neighbourhoods each (deciles 1-10 in each place,
 * in a fixed shuffled order), as SQL rows: synthetic data is not audited. */
static result add_structure(struct ctx *c, const char *stamp, struct ref_gen_result *out)
{
    for (int p = 0; p < 4; p++) {
        long long place = 0;
        const char *code = arena_printf(c->a, "SYN-%c", 'A' + p);
        long long rc = store_run(c->db,
                                 "INSERT INTO places (name, code, description, created_at,"
                                 " updated_at) VALUES ($1, $2, $3, $4, $4)"
                                 " ON CONFLICT (name) DO NOTHING",
                                 "tttt", syn_places[p], code,
                                 "A synthetic place made by chis gen referrals.", stamp);
        if (rc < 0) return ctx_store_failure(c, rc, "adding a synthetic place");
        out->places += rc;
        if (store_query_int(c->db, &place, "SELECT id FROM places WHERE name = $1", "t",
                            syn_places[p]) != 1)
            return ctx_fail(c, RES_INTERNAL, "The synthetic place is missing");
        for (int n = 0; n < 10; n++) {
            int decile = 1 + (n * 7 + p * 3) % 10;
            rc = store_run(
                c->db,
                "INSERT INTO neighbourhoods (place_id, name, code, population,"
                " imd_decile, created_at, updated_at) VALUES ($1, $2, $3, $4, $5,"
                " $6, $6) ON CONFLICT (place_id, name) DO NOTHING",
                "ittiit", place, arena_printf(c->a, "%s %s", syn_places[p], syn_hoods[n]),
                arena_printf(c->a, "%s%02d", code, n + 1),
                (long long)(8000 + ((n * 3571 + p * 1291) % 12000)), (long long)decile, stamp);
            if (rc < 0) return ctx_store_failure(c, rc, "adding a synthetic neighbourhood");
            out->neighbourhoods += rc;
        }
    }
    return RES_OK;
}

/* The organisation that refers the people of place: one serving it with a
 * link worker, else the synthetic service for the place (added once). */
static result referrer_of(struct ctx *c, long long place, const char *stamp, long long *org,
                          struct ref_gen_result *out)
{
    int rc =
        store_query_int(c->db, org,
                        "SELECT MIN(u.organisation_id) FROM users u"
                        " JOIN organisation_places op ON op.organisation_id = u.organisation_id"
                        " WHERE op.place_id = $1 AND u.role = 'link_worker' AND u.disabled = 0",
                        "i", place);
    if (rc < 0) return ctx_store_failure(c, rc, "finding a referrer");
    if (rc == 1 && *org > 0) return RES_OK;
    char *name = NULL;
    store_stmt *st = store_prepare(c->db, "SELECT name FROM places WHERE id = $1");
    if (!st) return ctx_fail(c, RES_INTERNAL, "Cannot read the places");
    store_bindf(st, "i", place);
    if (store_step(st) == STORE_ROW)
        name = arena_printf(c->a, "Social Prescribing Link Workers, %s", store_col_text(st, 0));
    store_done(st);
    if (!name) return ctx_fail(c, RES_INTERNAL, "The place %lld is missing", place);
    long long n = store_run(c->db,
                            "INSERT INTO organisations (name, sector, created_at, updated_at)"
                            " VALUES ($1, 'nhs', $2, $2) ON CONFLICT (name) DO NOTHING",
                            "tt", name, stamp);
    if (n < 0) return ctx_store_failure(c, n, "adding a referrer");
    out->organisations += n;
    if (store_query_int(c->db, org, "SELECT id FROM organisations WHERE name = $1", "t", name) != 1)
        return ctx_fail(c, RES_INTERNAL, "The referrer is missing");
    n = store_run(c->db,
                  "INSERT INTO organisation_places (organisation_id, place_id) VALUES ($1, $2)"
                  " ON CONFLICT DO NOTHING",
                  "ii", *org, place);
    return n < 0 ? ctx_store_failure(c, n, "placing a referrer") : RES_OK;
}

/* Read the neighbourhoods (adding the synthetic ones when there are none),
 * their LSOAs and who refers their people. */
static result load_hoods(struct ctx *c, struct rg_plan *p, const char *stamp,
                         struct ref_gen_result *out)
{
    long long n = 0;
    if (store_query_int(c->db, &n, "SELECT COUNT(*) FROM neighbourhoods", NULL) != 1)
        return ctx_fail(c, RES_INTERNAL, "Cannot count the neighbourhoods");
    if (n == 0) {
        result res = add_structure(c, stamp, out);
        if (res != RES_OK) return res;
        store_query_int(c->db, &n, "SELECT COUNT(*) FROM neighbourhoods", NULL);
    }
    p->hoods = arena_alloc(c->a, sizeof *p->hoods * (size_t)n);
    store_stmt *st = store_prepare(c->db, "SELECT id, place_id, imd_decile, population"
                                          " FROM neighbourhoods ORDER BY place_id, id");
    if (!st) return ctx_fail(c, RES_INTERNAL, "Cannot read the neighbourhoods");
    double total = 0;
    while (p->nhoods < n && store_step(st) == STORE_ROW) {
        struct rg_hood *h = &p->hoods[p->nhoods++];
        memset(h, 0, sizeof *h);
        h->id = store_col_int(st, 0);
        h->place_id = store_col_int(st, 1);
        h->decile = (int)store_col_int(st, 2);
        long long pop = store_col_int(st, 3);
        /* More people are referred from deprived neighbourhoods. */
        total += (double)(pop > 0 ? pop : 5000) * (1.9 - 0.13 * (h->decile - 1));
        h->cumulative = total;
    }
    store_done(st);
    long long nl = 0;
    store_query_int(c->db, &nl, "SELECT COUNT(*) FROM neighbourhood_lsoas", NULL);
    p->lsoas = arena_alloc(c->a, sizeof *p->lsoas * (size_t)(nl + 1));
    /* In the neighbourhoods' order, so that one pass pairs them up. */
    st = store_prepare(c->db, "SELECT n.place_id, n.id, nl.lsoa, i.imd_decile"
                              " FROM neighbourhood_lsoas nl"
                              " JOIN neighbourhoods n ON n.id = nl.neighbourhood_id"
                              " LEFT JOIN lsoa_imd i ON i.lsoa = nl.lsoa"
                              " ORDER BY n.place_id, n.id, nl.lsoa");
    if (!st) return ctx_fail(c, RES_INTERNAL, "Cannot read the LSOAs");
    int h = 0;
    while (p->nlsoas < nl && store_step(st) == STORE_ROW) {
        long long place = store_col_int(st, 0), hood = store_col_int(st, 1);
        while (h < p->nhoods && (p->hoods[h].place_id < place ||
                                 (p->hoods[h].place_id == place && p->hoods[h].id < hood)))
            h++;
        if (h == p->nhoods) break;
        if (p->hoods[h].id != hood) continue;
        if (!p->hoods[h].nlsoas) p->hoods[h].lsoa_first = p->nlsoas;
        p->hoods[h].nlsoas++;
        struct rg_lsoa *l = &p->lsoas[p->nlsoas++];
        l->code = arena_strdup(c->a, store_col_text(st, 2));
        l->decile = store_col_null(st, 3) ? 0 : (int)store_col_int(st, 3);
    }
    store_done(st);
    /* A place's neighbourhoods are next to each other: one referrer each. */
    for (int i = 0; i < p->nhoods; i++) {
        if (i > 0 && p->hoods[i].place_id == p->hoods[i - 1].place_id) {
            p->hoods[i].referrer_org = p->hoods[i - 1].referrer_org;
            continue;
        }
        result res = referrer_of(c, p->hoods[i].place_id, stamp, &p->hoods[i].referrer_org, out);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* Read the published services whose organization is linked to a chis
 * organisation, with the needs they address (CH-NEED terms). */
static result load_services(struct ctx *c, struct rg_plan *p)
{
    static const char *const count_sql =
        "SELECT COUNT(*) FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id"
        " WHERE s.state = 'published' AND s.deleted_at IS NULL AND s.status = 'active'"
        " AND o.organisation_id IS NOT NULL";
    long long n = 0;
    if (store_query_int(c->db, &n, count_sql, NULL) != 1)
        return ctx_fail(c, RES_INTERNAL, "Cannot count the directory's services");
    if (n == 0)
        return ctx_fail(c, RES_CONFLICT,
                        "The directory has no published services linked to an organisation to"
                        " refer people to: run 'chis gen directory --services N' first");
    p->services = arena_alloc(c->a, sizeof *p->services * (size_t)n);
    store_stmt *st = store_prepare(
        c->db, "SELECT s.rid, s.id, s.name, o.organisation_id FROM dir_services s"
               " JOIN dir_organizations o ON o.id = s.organization_id"
               " WHERE s.state = 'published' AND s.deleted_at IS NULL AND s.status = 'active'"
               " AND o.organisation_id IS NOT NULL ORDER BY s.rid");
    if (!st) return ctx_fail(c, RES_INTERNAL, "Cannot read the directory's services");
    long long *rids = malloc(sizeof *rids * (size_t)n);
    if (!rids) {
        store_done(st);
        return ctx_fail(c, RES_INTERNAL, "Out of memory");
    }
    while (p->nservices < n && store_step(st) == STORE_ROW) {
        struct rg_service *s = &p->services[p->nservices];
        rids[p->nservices++] = store_col_int(st, 0);
        s->id = arena_strdup(c->a, store_col_text(st, 1));
        s->name = arena_strdup(c->a, store_col_text(st, 2));
        s->org_id = store_col_int(st, 3);
        s->nneeds = 0;
    }
    store_done(st);
    /* Every need term, then each service's, merged by rid. */
    p->terms = arena_alloc(c->a, sizeof *p->terms * 64);
    st = store_prepare(c->db, "SELECT id FROM dir_taxonomy_terms WHERE code LIKE 'CH-NEED-%'"
                              " ORDER BY code");
    while (st && p->nterms < 64 && store_step(st) == STORE_ROW)
        p->terms[p->nterms++] = arena_strdup(c->a, store_col_text(st, 0));
    store_done(st);
    st = store_prepare(c->db, "SELECT s.rid, a.taxonomy_term_id FROM dir_services s"
                              " JOIN dir_attributes a ON a.link_id = s.id"
                              " JOIN dir_taxonomy_terms t ON t.id = a.taxonomy_term_id"
                              " WHERE t.code LIKE 'CH-NEED-%' AND s.state = 'published'"
                              " ORDER BY s.rid, t.code");
    long long k = 0;
    while (st && store_step(st) == STORE_ROW) {
        long long rid = store_col_int(st, 0);
        while (k < p->nservices && rids[k] < rid)
            k++;
        if (k == p->nservices) break;
        struct rg_service *s = &p->services[k];
        if (rids[k] != rid || s->nneeds == 4) continue;
        const char *term = store_col_text(st, 1);
        for (int t = 0; t < p->nterms; t++)
            if (strcmp(p->terms[t], term) == 0) {
                s->needs[s->nneeds++] = (short)t;
                break;
            }
    }
    store_done(st);
    free(rids);
    return RES_OK;
}

/* ---- people ---- */

/* England's 2021 census shares (per thousand), and "prefer not to say". */
static const struct {
    const char *code;
    int weight;
} ethnic_weights[] = {
    {"asian_bangladeshi", 11},
    {"asian_chinese", 7},
    {"asian_indian", 33},
    {"asian_pakistani", 27},
    {"asian_other", 16},
    {"black_african", 25},
    {"black_caribbean", 11},
    {"black_other", 5},
    {"mixed_white_asian", 8},
    {"mixed_white_black_african", 5},
    {"mixed_white_black_caribbean", 9},
    {"mixed_other", 8},
    {"white_british", 735},
    {"white_irish", 9},
    {"white_gypsy_traveller", 1},
    {"white_roma", 2},
    {"white_other", 63},
    {"other_arab", 6},
    {"other_any", 16},
    {"not_stated", 30},
};

/* An index into ethnicities[] drawn by the census shares (a code the table
 * has and the shares do not know weighs 5 per thousand). */
static int draw_ethnicity(uint64_t *rng)
{
    int total = 0, w[64];
    for (int i = 0; i < ethnicities_len && i < 64; i++) {
        w[i] = 5;
        for (size_t k = 0; k < sizeof ethnic_weights / sizeof ethnic_weights[0]; k++)
            if (strcmp(ethnic_weights[k].code, ethnicities[i].code) == 0)
                w[i] = ethnic_weights[k].weight;
        total += w[i];
    }
    long long x = rg_below(rng, total);
    for (int i = 0; i < ethnicities_len && i < 64; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return 0;
}

/* Ages lean old: share (per hundred) of each band with its age range. */
static const struct {
    int share, lo, hi;
} ages[] = {{3, 11, 17},  {7, 18, 24},  {11, 25, 34}, {13, 35, 44},
            {16, 45, 54}, {18, 55, 64}, {17, 65, 74}, {15, 75, 94}};

/* A time in working hours on day (days since 1970). */
static uint32_t working(uint64_t *rng, long long day)
{
    return (uint32_t)(day * DAY + 9 * 3600 + (uint64_t)rg_below(rng, 8 * 3600));
}

/* A day in the history, more of them recent: density rising from 1 to 3. */
static long long history_day(uint64_t *rng, long long first, long long span)
{
    double u = rg_unit(rng), t = -0.5 + sqrt(0.25 + 2.0 * u); /* inverse of t/2 + t^2/2 */
    long long d = first + (long long)(t * (double)span);
    return d < first + span ? d : first + span - 1;
}

/* ---- referrals ---- */

/* Add an event unless it comes after the end of the history (then nothing
 * later happens either: *cut is set). Events never go back in time. */
static void event(struct rg_referral *r, int to, uint32_t at, uint32_t until, bool *cut)
{
    if (*cut) return;
    uint32_t prev = r->at[r->nevents - 1];
    if (at < prev) at = prev;
    if (at > until) {
        *cut = true;
        return;
    }
    r->at[r->nevents] = at;
    r->to[r->nevents++] = (unsigned char)to;
}

/* A time `days` days after t, in working hours, and not before t. */
static uint32_t after(uint64_t *rng, uint32_t t, long long days)
{
    uint32_t x = working(rng, t / DAY + days);
    return x > t ? x : t + 600;
}

/*
 * Plan one referral made at t by someone in an IMD quintile q: its course
 * as it would run, cut at the end of the history. Deprived areas wait a
 * little longer for first contact.
 */
static void plan_referral(uint64_t *rng, struct rg_referral *r, uint32_t t, int q, uint32_t until)
{
    bool cut = false;
    r->nevents = 1;
    r->at[0] = t;
    r->to[0] = REFERRAL_DRAFT;
    r->declined_by = 0;
    r->urgent = rg_below(rng, 100) < 5;
    r->reason = (unsigned char)rg_below(rng, 4);
    uint32_t sent = rg_below(rng, 100) < 75 ? t + 120 + (uint32_t)rg_below(rng, 7200)
                                            : after(rng, t, 1 + rg_below(rng, 3));
    if (rg_below(rng, 100) < 2) { /* made in error, never sent */
        event(r, REFERRAL_CANCELLED, after(rng, t, rg_below(rng, 3)), until, &cut);
        return;
    }
    event(r, REFERRAL_SENT, sent, until, &cut);
    double mean = 4.0 + 0.5 * (5 - q);
    long long wait = 1 + (long long)(-mean * log(1.0 - rg_unit(rng)));
    uint32_t contact = after(rng, sent, wait < 60 ? wait : 60);
    long long x = rg_below(rng, 100);
    bool accepted = false;
    if (x < 4) {
        event(r, REFERRAL_CANCELLED, after(rng, sent, 1 + rg_below(rng, 10)), until, &cut);
    } else if (x < 10) {
        r->declined_by = 2;
        event(r, REFERRAL_DECLINED, contact, until, &cut);
    } else if (x < 18) {
        r->declined_by = 1;
        event(r, REFERRAL_DECLINED, contact, until, &cut);
    } else if (x < 30) {
        event(r, REFERRAL_WAITLISTED, contact, until, &cut);
        uint32_t next = after(rng, contact, 7 + rg_below(rng, 84));
        long long y = rg_below(rng, 100);
        if (y < 82) {
            event(r, REFERRAL_ACCEPTED, next, until, &cut);
            accepted = true;
        } else if (y < 96) {
            r->declined_by = y < 92 ? 1 : 2;
            event(r, REFERRAL_DECLINED, next, until, &cut);
        } else {
            event(r, REFERRAL_CANCELLED, next, until, &cut);
        }
    } else {
        event(r, REFERRAL_ACCEPTED, contact, until, &cut);
        accepted = true;
    }
    if (!accepted) return;
    uint32_t acc = r->at[r->nevents - 1];
    if (rg_below(rng, 100) < 7) {
        event(r, REFERRAL_CANCELLED, after(rng, acc, 1 + rg_below(rng, 14)), until, &cut);
        return;
    }
    uint32_t start = after(rng, acc, rg_below(rng, 22));
    event(r, REFERRAL_STARTED, start, until, &cut);
    if (rg_below(rng, 100) < 18)
        event(r, REFERRAL_DROPPED_OUT, after(rng, start, 7 + rg_below(rng, 36)), until, &cut);
    else
        event(r, REFERRAL_COMPLETED, after(rng, start, 42 + rg_below(rng, 43)), until, &cut);
}

/* Referrals in the order they were made (ties by plan order). */
static int by_time(const void *a, const void *b)
{
    const struct rg_referral *x = a, *y = b;
    if (x->at[0] != y->at[0]) return x->at[0] < y->at[0] ? -1 : 1;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    return x->service < y->service ? -1 : x->service > y->service;
}

/* A service drawn with skewed popularity: a few are asked for a lot. */
static uint32_t draw_service(uint64_t *rng, long long n)
{
    double u = rg_unit(rng);
    long long i = (long long)(u * u * u * (double)n);
    return (uint32_t)(i < n ? i : n - 1);
}

/* Plan every person and referral (see ref_gen.h). */
static result plan(struct ctx *c, struct rg_plan *p)
{
    const struct ref_gen *g = p->g;
    uint64_t rng = p->seed;
    long long span = 365LL * (g->years ? g->years : 3), last = p->until / DAY;
    long long first = last - span + 1;
    double k = g->per_participant > 0 ? g->per_participant : 2.5;
    p->npeople = g->participants;
    p->nrefs = llround((double)g->participants * k);
    p->people = calloc((size_t)p->npeople, sizeof *p->people);
    p->refs = calloc((size_t)p->nrefs, sizeof *p->refs);
    unsigned *count = calloc((size_t)p->npeople, sizeof *count);
    if (!p->people || !p->refs || !count) {
        free(count);
        return ctx_fail(c, RES_INTERNAL, "Out of memory for %lld referrals", p->nrefs);
    }
    /* Everyone has one referral; the rest fall on people at random. */
    for (long long i = 0; i < p->npeople; i++)
        count[i] = 1;
    unsigned most = 1;
    for (long long i = p->npeople; i < p->nrefs; i++) {
        unsigned *n = &count[rg_below(&rng, p->npeople)];
        if (++*n > most) most = *n;
    }
    uint32_t *times = malloc(sizeof *times * most);
    if (!times) {
        free(count);
        return ctx_fail(c, RES_INTERNAL, "Out of memory");
    }
    double total = p->hoods[p->nhoods - 1].cumulative;
    long long r = 0;
    for (long long i = 0; i < p->npeople; i++) {
        struct rg_person *who = &p->people[i];
        double u = rg_unit(&rng) * total;
        int lo = 0, hi = p->nhoods - 1;
        while (lo < hi) { /* the first neighbourhood whose running weight passes u */
            int mid = (lo + hi) / 2;
            if (p->hoods[mid].cumulative > u)
                hi = mid;
            else
                lo = mid + 1;
        }
        const struct rg_hood *h = &p->hoods[lo];
        who->hood = lo;
        who->lsoa = h->nlsoas ? h->lsoa_first + (int)rg_below(&rng, h->nlsoas) : -1;
        who->decile =
            who->lsoa >= 0 && p->lsoas[who->lsoa].decile ? p->lsoas[who->lsoa].decile : h->decile;
        long long s = rg_below(&rng, 1000);
        who->sex = s < 620 ? 0 : s < 980 ? 1 : s < 985 ? 2 : 3; /* participant_sexes order */
        who->ethnicity = (unsigned char)draw_ethnicity(&rng);
        long long a = rg_below(&rng, 100), band = 0;
        while (a >= ages[band].share && band < 7)
            a -= ages[band++].share;
        long long age = ages[band].lo + rg_below(&rng, ages[band].hi - ages[band].lo + 1);
        /* When each referral was made: one in five after the first is a
         * second service at the same appointment. */
        uint32_t t = 0;
        who->first_t = UINT32_MAX;
        for (unsigned j = 0; j < count[i]; j++) {
            t = j > 0 && rg_below(&rng, 100) < 20 ? t + 300 + (uint32_t)rg_below(&rng, 3000)
                                                  : working(&rng, history_day(&rng, first, span));
            if (t > p->until) t = p->until;
            times[j] = t;
            if (t < who->first_t) who->first_t = t;
        }
        /* Born so as to be `age` on the day of the first referral. */
        who->dob = (int)(who->first_t / DAY - age * 365 - age / 4 - rg_below(&rng, 365));
        int q = (who->decile + 1) / 2;
        for (unsigned j = 0; j < count[i]; j++, r++) {
            struct rg_referral *ref = &p->refs[r];
            ref->person = (uint32_t)i;
            ref->service = draw_service(&rng, p->nservices);
            plan_referral(&rng, ref, times[j], q, p->until);
            uint32_t end = ref->at[ref->nevents - 1];
            if (end > who->last_t) who->last_t = end;
        }
    }
    free(times);
    free(count);
    qsort(p->refs, (size_t)p->nrefs, sizeof *p->refs, by_time);
    return RES_OK;
}

/* Which place and which service the plan sends most referrals from and to. */
static void busiest(struct ctx *c, const struct rg_plan *p, struct ref_gen_result *out)
{
    long long *by_service = calloc((size_t)p->nservices, sizeof *by_service);
    long long *by_hood = calloc((size_t)p->nhoods, sizeof *by_hood);
    if (!by_service || !by_hood) goto done;
    for (long long i = 0; i < p->nrefs; i++) {
        by_service[p->refs[i].service]++;
        by_hood[p->people[p->refs[i].person].hood]++;
    }
    for (long long i = 0; i < p->nservices; i++)
        if (by_service[i] > out->top_service_referrals) {
            out->top_service_referrals = by_service[i];
            out->top_service_id = arena_strdup(c->a, p->services[i].id);
            out->top_service_org = p->services[i].org_id;
        }
    for (int i = 0; i < p->nhoods; i++) { /* a place's neighbourhoods are next to each other */
        long long n = 0;
        int j = i;
        while (j < p->nhoods && p->hoods[j].place_id == p->hoods[i].place_id)
            n += by_hood[j++];
        if (n > out->top_place_referrals) {
            out->top_place_referrals = n;
            out->top_place_id = p->hoods[i].place_id;
            out->top_place_referrer = p->hoods[i].referrer_org;
        }
        i = j - 1;
    }
done:
    free(by_service);
    free(by_hood);
}

/* Generate the cohort (see ref_gen.h). */
result ref_generate(struct ctx *c, const struct ref_gen *g, struct ref_gen_result *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator generates data");
    if (g->participants < 1 || g->participants > 5000000)
        ctx_field_error(c, "participants", "Ask for between 1 and 5,000,000 participants");
    if (g->per_participant != 0 && (g->per_participant < 1 || g->per_participant > 20))
        ctx_field_error(c, "per_participant", "Ask for between 1 and 20 referrals a person");
    if (g->years < 0 || g->years > 10)
        ctx_field_error(c, "years", "The history goes back between 1 and 10 years");
    long long until_day = 0;
    const char *until = g->until ? g->until : REF_GEN_UNTIL;
    if (!date_day_number(until, &until_day) || strlen(until) != 10 || until_day < 3650 ||
        until_day > 40000)
        ctx_field_error(c, "until", "Give the history's last day as YYYY-MM-DD");
    if (c->nerrors) return ctx_fail(c, RES_INVALID, "The size is not right.");
    struct rg_plan p = {.g = g, .seed = g->seed, .until = (uint32_t)(until_day * DAY + DAY - 1)};
    char stamp[21];
    rg_time(p.until, stamp);
    struct timespec t0, t1, t2, t3;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    static const char *const tables[] = {
        "places",   "neighbourhoods", "organisations",  "organisation_places", "participants",
        "consents", "referrals",      "referral_needs", "referral_events",     "outcomes",
        NULL};
    store_bulk *bulk = store_bulk_begin(c->db, tables);
    if (!bulk) return ctx_store_failure(c, STORE_E_BUSY, "generating referrals");
    result res = load_services(c, &p);
    if (res == RES_OK) res = load_hoods(c, &p, stamp, out);
    if (res == RES_OK) res = plan(c, &p);
    if (res == RES_OK) {
        store_query_int(c->db, &p.person_base, "SELECT COALESCE(MAX(id), 0) FROM participants",
                        NULL);
        store_query_int(c->db, &p.referral_base, "SELECT COALESCE(MAX(id), 0) FROM referrals",
                        NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (res == RES_OK) res = rg_write(c, &p, out);
    if (res == RES_OK) busiest(c, &p, out);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    char *why = NULL;
    if (res == RES_OK && store_bulk_commit(bulk, &why) != 0)
        res = ctx_store_failure(c, STORE_E_ERROR, why ? why : "saving the referrals");
    else if (res != RES_OK)
        store_bulk_rollback(bulk);
    free(why);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    free(p.people);
    free(p.refs);
#define MS(a, b)                                                                                   \
    ((double)((b).tv_sec - (a).tv_sec) * 1e3 + (double)((b).tv_nsec - (a).tv_nsec) / 1e6)
    out->plan_ms = MS(t0, t1);
    out->write_ms = MS(t1, t2);
    out->commit_ms = MS(t2, t3);
#undef MS
    if (res != RES_OK) {
        struct ref_gen_result zero = {0};
        *out = zero;
    }
    return res;
}
