/*
 * demo.c: setting up a new system, and loading the fictional demo ICS from
 * demo_data.c through the same domain functions the API uses, so the demo
 * data passes every rule real data must.
 */
#include "domain/demo.h"

#include "domain/accounts.h"
#include "domain/demo_data.h"
#include "domain/demo_directory.h"
#include "domain/demo_leadership.h"
#include "domain/demo_referrals.h"
#include "domain/structure.h"

#include <sodium.h>
#include <string.h>

/* Run fn's result through: roll the outer transaction back on failure. */
#define DEMO_TRY(c, expr)                                                                          \
    do {                                                                                           \
        result r_ = (expr);                                                                        \
        if (r_ != RES_OK) {                                                                        \
            store_rollback((c)->db);                                                               \
            return r_;                                                                             \
        }                                                                                          \
    } while (0)

static long long new_id(const rec *r)
{
    return rec_int(r, "id", 0);
}

static result add_user(struct ctx *c, const char *email, const char *name, const char *role,
                       long long org_id, const long long *places, int nplaces, const char *password,
                       long long *id_out)
{
    rec *u = rec_new(c->a);
    rec_set_text(u, "email", email);
    rec_set_text(u, "name", name);
    rec_set_text(u, "role", role);
    rec_set_int(u, "organisation_id", org_id);
    rec_set_text(u, "password", password);
    if (nplaces) rec_set_ids(u, "place_ids", places, nplaces);
    rec *out = NULL;
    result r = entity_create(c, &entity_users, u, &out);
    if (r == RES_OK && id_out) *id_out = new_id(out);
    return r;
}

/*
 * Create the system: its own organisation (an NHS body named after it), the
 * system row and the first administrator, in one transaction.
 */
result system_init(struct ctx *c, const char *system_name, const char *admin_email,
                   const char *admin_password, long long *org_id_out)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator sets up the system");
    struct system_info info;
    if (system_get(c, &info) == RES_OK)
        return ctx_fail(c, RES_CONFLICT, "This database already holds the system '%s'", info.name);
    ctx_clear_errors(c);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "init");
    rec *org = rec_new(c->a);
    rec_set_text(org, "name", system_name);
    rec_set_text(org, "sector", "nhs");
    rec *saved = NULL;
    DEMO_TRY(c, entity_create(c, &entity_organisations, org, &saved));
    long long org_id = new_id(saved);
    DEMO_TRY(c, system_create(c, system_name, org_id));
    DEMO_TRY(c, add_user(c, admin_email, "Administrator", "admin", org_id, NULL, 0, admin_password,
                         NULL));
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "init commit");
    if (org_id_out) *org_id_out = org_id;
    return RES_OK;
}

/* A readable random password: four groups of five from an unambiguous alphabet. */
static char *demo_password(arena *a)
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    char *p = arena_alloc(a, 24);
    int k = 0;
    for (int g = 0; g < 4; g++) {
        if (g) p[k++] = '-';
        for (int i = 0; i < 5; i++)
            p[k++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    }
    p[k] = '\0';
    return p;
}

/*
 * Load the demo ICS into an empty database (no system yet). The first demo
 * organisation, the ICB, becomes the system's own organisation.
 */
result demo_load(struct ctx *c, struct demo_login logins[DEMO_LOGINS])
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator loads the demo");
    struct system_info info;
    if (system_get(c, &info) == RES_OK)
        return ctx_fail(c, RES_CONFLICT, "This database already holds the system '%s'", info.name);
    ctx_clear_errors(c);
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "demo");

    long long *place_ids = arena_alloc(c->a, sizeof *place_ids * demo_places_len);
    for (size_t i = 0; i < demo_places_len; i++) {
        rec *p = rec_new(c->a), *out = NULL;
        rec_set_text(p, "name", demo_places[i].name);
        rec_set_text(p, "code", demo_places[i].code);
        rec_set_text(p, "description", demo_places[i].description);
        DEMO_TRY(c, entity_create(c, &entity_places, p, &out));
        place_ids[i] = new_id(out);
    }
    for (size_t i = 0; i < demo_neighbourhoods_len; i++) {
        const struct demo_neighbourhood *d = &demo_neighbourhoods[i];
        rec *n = rec_new(c->a);
        rec_set_int(n, "place_id", place_ids[d->place]);
        rec_set_text(n, "name", d->name);
        rec_set_text(n, "code", d->code);
        rec_set_int(n, "population", d->population);
        rec_set_int(n, "imd_decile", d->imd_decile);
        DEMO_TRY(c, entity_create(c, &entity_neighbourhoods, n, NULL));
    }
    long long *org_ids = arena_alloc(c->a, sizeof *org_ids * demo_orgs_len);
    long long first_vcse = 0, first_council = 0;
    for (size_t i = 0; i < demo_orgs_len; i++) {
        const struct demo_org *d = &demo_orgs[i];
        rec *o = rec_new(c->a), *out = NULL;
        rec_set_text(o, "name", d->name);
        rec_set_text(o, "sector", d->sector);
        rec_set_text(o, "ods_code", d->ods_code);
        rec_set_text(o, "charity_number", d->charity_number);
        rec_set_text(o, "company_number", d->company_number);
        rec_set_text(o, "email", d->email);
        rec_set_text(o, "phone", d->phone);
        rec_set_text(o, "website", d->website);
        rec_set_text(o, "address", d->address);
        rec_set_text(o, "postcode", d->postcode);
        long long ids[6];
        int n = 0;
        for (int k = 0; k < 6 && d->places[k] >= 0; k++)
            ids[n++] = place_ids[d->places[k]];
        rec_set_ids(o, "place_ids", ids, n);
        DEMO_TRY(c, entity_create(c, &entity_organisations, o, &out));
        org_ids[i] = new_id(out);
        if (!first_vcse && strcmp(d->sector, "vcse") == 0) first_vcse = org_ids[i];
        if (!first_council && strcmp(d->sector, "local_authority") == 0) first_council = org_ids[i];
    }
    for (size_t i = 0; i < demo_people_len; i++) {
        const struct demo_person *d = &demo_people[i];
        rec *p = rec_new(c->a);
        rec_set_int(p, "organisation_id", org_ids[d->org]);
        rec_set_text(p, "name", d->name);
        rec_set_text(p, "job_title", d->job_title);
        rec_set_text(p, "email", d->email);
        rec_set_text(p, "phone", d->phone);
        DEMO_TRY(c, entity_create(c, &entity_people, p, NULL));
    }
    DEMO_TRY(c, system_create(c, demo_system_name, org_ids[0]));

    static const struct {
        const char *role, *email, *name;
        int org; /* 0 the ICB, 1 the first council, 2 the first VCSE */
    } users[DEMO_LOGINS] = {
        {"admin", "admin@demo.chis.example.org", "Ada Admin", 0},
        {"system_lead", "system.lead@demo.chis.example.org", "Sam System-Lead", 0},
        {"place_lead", "place.lead@demo.chis.example.org", "Priya Place-Lead", 1},
        {"link_worker", "link.worker@demo.chis.example.org", "Lee Link-Worker", 1},
        {"provider", "provider@demo.chis.example.org", "Pat Provider", 2},
        {"viewer", "viewer@demo.chis.example.org", "Vic Viewer", 0},
    };
    for (int i = 0; i < DEMO_LOGINS; i++) {
        long long org = users[i].org == 0   ? org_ids[0]
                        : users[i].org == 1 ? first_council
                                            : first_vcse;
        /* The place lead leads the council's first place. */
        const struct val *served = NULL;
        rec *council = NULL;
        if (strcmp(users[i].role, "place_lead") == 0 &&
            entity_load(c, &entity_organisations, first_council, &council) == 1)
            served = rec_get(council, "place_ids");
        char *pw = demo_password(c->a);
        DEMO_TRY(c, add_user(c, users[i].email, users[i].name, users[i].role, org,
                             served ? served->ids : NULL, served ? 1 : 0, pw, NULL));
        logins[i] = (struct demo_login){users[i].role, users[i].email, pw};
    }
    DEMO_TRY(c, demo_load_leadership(c));
    DEMO_TRY(c, demo_load_directory(c));
    DEMO_TRY(c, demo_load_referrals(c));
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "demo commit");
    return RES_OK;
}
