/*
 * fhir_export.c: a referral as FHIR R4 resources, BaRS-shaped.
 *
 * Every resource in a bundle is known by a fullUrl "urn:uuid:..." (made
 * fresh for each bundle) and referred to by it; the resource's id is the
 * same UUID. The chis referral id travels as the ServiceRequest's
 * identifier. What is read comes from the domain as this actor may see it:
 * when the person's data is withheld from the actor (consent to share with
 * the provider withdrawn), the Patient carries no personal data and is
 * labelled REDACTED.
 */
#include "api/fhir.h"

#include "base/text.h"
#include "domain/accounts.h"
#include "domain/directory.h"
#include "domain/participants.h"
#include "domain/referrals.h"
#include "domain/structure.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

/* See fhir.h. */
const char *fhir_uuid(arena *a)
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    return arena_printf(a, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                        b[12], b[13], b[14], b[15]);
}

/* See fhir.h. Only letters, digits, dots, dashes, colons and brackets (an
 * IPv6 literal) pass: the Host header is the client's to choose. */
const char *fhir_base(struct req *r)
{
    const char *host = req_header(r, "Host");
    bool ok = host && *host && strlen(host) < 256;
    for (const char *h = host; ok && *h; h++)
        ok = isalnum((unsigned char)*h) || strchr(".-:[]", *h);
    if (!ok) return "urn:chis:fhir";
    return arena_printf(r->a, "%s://%s/fhir",
                        r->settings && r->settings->secure_cookies ? "https" : "http", host);
}

/* See fhir.h. */
void fhir_refs_init(arena *a, struct fhir_refs *refs)
{
    const char **all[] = {&refs->service_request, &refs->patient, &refs->referring,
                          &refs->receiving,       &refs->role,    &refs->service};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        *all[i] = arena_printf(a, "urn:uuid:%s", fhir_uuid(a));
}

/* The id part of a "urn:uuid:..." fullUrl. */
static const char *url_id(const char *full)
{
    return strncmp(full, "urn:uuid:", 9) == 0 ? full + 9 : full;
}

/* A new Reference to the fullUrl (caller owns it). */
static json_t *ref(const char *full)
{
    return json_pack("{s:s}", "reference", full);
}

/* A new Coding; display may be NULL. */
static json_t *coding(const char *system, const char *code, const char *display)
{
    json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
    if (display) json_object_set_new(c, "display", json_string(display));
    return c;
}

/* Set key to the text when it is not NULL or empty. */
static void set_text(json_t *o, const char *key, const char *s)
{
    if (s && *s) json_object_set_new(o, key, json_string(s));
}

/* See fhir.h. */
const char *fhir_request_status(const char *s)
{
    static const char *const map[][2] = {
        {"draft", "draft"},       {"sent", "active"},       {"accepted", "active"},
        {"waitlisted", "active"}, {"started", "active"},    {"completed", "completed"},
        {"declined", "revoked"},  {"cancelled", "revoked"}, {"dropped_out", "revoked"},
    };
    for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i][0]) == 0) return map[i][1];
    return "unknown";
}

/* See fhir.h. */
json_t *fhir_message_bundle(arena *a, const char *now, const char *last_updated)
{
    return json_pack("{s:s, s:s, s:{s:s}, s:s, s:s, s:[]}", "resourceType", "Bundle", "id",
                     fhir_uuid(a), "meta", "lastUpdated", last_updated ? last_updated : now, "type",
                     "message", "timestamp", now, "entry");
}

/* See fhir.h. */
void fhir_bundle_add(json_t *bundle, const char *full_url, json_t *resource)
{
    json_array_append_new(json_object_get(bundle, "entry"),
                          json_pack("{s:s, s:o}", "fullUrl", full_url, "resource", resource));
}

/* See fhir.h. */
void fhir_bundle_add_own(arena *a, json_t *bundle, json_t *resource)
{
    const char *id = json_string_value(json_object_get(resource, "id"));
    fhir_bundle_add(bundle, arena_printf(a, "urn:uuid:%s", id ? id : fhir_uuid(a)), resource);
}

/* See fhir.h. */
json_t *fhir_message_header(arena *a, const struct fhir_header *h)
{
    json_t *mh =
        json_pack("{s:s, s:s, s:{s:s, s:s}}", "resourceType", "MessageHeader", "id", fhir_uuid(a),
                  "eventCoding", "system", FHIR_SYS_EVENTS, "code", h->event);
    if (h->dest_endpoint) {
        json_t *d = json_pack("{s:s}", "endpoint", h->dest_endpoint);
        set_text(d, "name", h->dest_name);
        if (h->receiver) json_object_set_new(d, "receiver", ref(h->receiver));
        json_object_set_new(mh, "destination", json_pack("[o]", d));
    }
    if (h->sender) json_object_set_new(mh, "sender", ref(h->sender));
    json_object_set_new(
        mh, "source",
        json_pack("{s:s, s:s, s:s}", "name", "chis", "software", "chis", "endpoint", h->base));
    if (h->reason)
        json_object_set_new(
            mh, "reason", json_pack("{s:[o]}", "coding", coding(FHIR_SYS_REASON, h->reason, NULL)));
    if (h->response_to)
        json_object_set_new(mh, "response",
                            json_pack("{s:s, s:s}", "identifier", h->response_to, "code", "ok"));
    json_object_set_new(mh, "focus", json_pack("[o]", ref(h->focus)));
    return mh;
}

/* A new Organization resource for an organisations record (may be NULL). */
static json_t *organization(const char *full, const rec *org, const char *fallback_name)
{
    json_t *o = json_pack("{s:s, s:s}", "resourceType", "Organization", "id", url_id(full));
    const char *ods = org ? rec_text(org, "ods_code") : NULL;
    if (ods && *ods)
        json_object_set_new(o, "identifier",
                            json_pack("[{s:s, s:s}]", "system", FHIR_SYS_ODS, "value", ods));
    const char *name = org ? rec_text(org, "name") : NULL;
    set_text(o, "name", name ? name : fallback_name);
    return o;
}

/* A new HumanName: the whole name as text, and for systems that read only
 * parts, the last word as family and the rest as given names. */
static json_t *human_name(const char *name)
{
    json_t *n = json_pack("{s:s, s:s}", "use", "official", "text", name);
    const char *sp = strrchr(name, ' ');
    if (sp && sp[1]) {
        json_object_set_new(n, "family", json_string(sp + 1));
        json_t *given = json_array();
        const char *s = name;
        while (s < sp) {
            while (s < sp && *s == ' ')
                s++;
            const char *e = s;
            while (e < sp && *e != ' ')
                e++;
            if (e > s) json_array_append_new(given, json_stringn(s, (size_t)(e - s)));
            s = e;
        }
        json_object_set_new(n, "given", given);
    } else {
        json_object_set_new(n, "family", json_string(name));
    }
    return n;
}

/* A new Patient resource (p may be NULL: the data is withheld from this actor). */
static json_t *patient(const char *full, const rec *p)
{
    json_t *o = json_pack("{s:s, s:s}", "resourceType", "Patient", "id", url_id(full));
    if (!p) {
        json_object_set_new(
            o, "meta",
            json_pack("{s:[o]}", "security",
                      coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                             "REDACTED", "redacted")));
        return o;
    }
    const char *nhs = rec_text(p, "nhs_number");
    if (nhs && *nhs)
        json_object_set_new(o, "identifier",
                            json_pack("[{s:s, s:s}]", "system", FHIR_SYS_NHS_NUMBER, "value", nhs));
    const char *name = rec_text(p, "name");
    if (name && *name) json_object_set_new(o, "name", json_pack("[o]", human_name(name)));
    static const char *const sexes[][2] = {{"female", "female"},
                                           {"male", "male"},
                                           {"indeterminate", "other"},
                                           {"not_known", "unknown"}};
    const char *sex = rec_text(p, "sex");
    for (size_t i = 0; sex && i < sizeof sexes / sizeof sexes[0]; i++)
        if (strcmp(sex, sexes[i][0]) == 0)
            json_object_set_new(o, "gender", json_string(sexes[i][1]));
    set_text(o, "birthDate", rec_text(p, "date_of_birth"));
    const char *pc = rec_text(p, "postcode");
    if (pc && *pc) json_object_set_new(o, "address", json_pack("[{s:s}]", "postalCode", pc));
    return o;
}

/* A new Identifier for a directory service: a URI when the id is a UUID. */
static json_t *service_identifier(const char *id)
{
    if (fhir_is_uuid(id))
        return json_pack("{s:s, s:s+}", "system", FHIR_SYS_URI, "value", "urn:uuid:", id);
    return json_pack("{s:s}", "value", id);
}

/* A new ServiceRequest resource. */
static json_t *service_request(arena *a, const char *base, const struct fhir_referral_view *v,
                               const struct fhir_refs *refs)
{
    const rec *r = v->referral;
    json_t *o = json_pack("{s:s, s:s}", "resourceType", "ServiceRequest", "id",
                          url_id(refs->service_request));
    json_object_set_new(o, "identifier",
                        json_pack("[{s:s, s:s}]", "system", arena_printf(a, "%s/Id/referral", base),
                                  "value", arena_printf(a, "%lld", rec_int(r, "id", 0))));
    json_object_set_new(o, "status", json_string(fhir_request_status(rec_text(r, "status"))));
    json_object_set_new(o, "intent", json_string("plan"));
    json_object_set_new(
        o, "category",
        json_pack("[{s:[o], s:s}]", "coding",
                  coding(FHIR_SYS_SNOMED, FHIR_SNOMED_REFERRAL, FHIR_SNOMED_REFERRAL_TERM), "text",
                  "Referral"));
    const char *urg = rec_text(r, "urgency");
    json_object_set_new(o, "priority",
                        json_string(urg && strcmp(urg, "urgent") == 0 ? "urgent" : "routine"));
    const char *code = rec_text(r, "snomed_code");
    if (code && *code) {
        const char *term = rec_text(r, "snomed_term");
        json_t *cc = json_pack("{s:[o]}", "coding", coding(FHIR_SYS_SNOMED, code, term));
        set_text(cc, "text", term);
        json_object_set_new(o, "code", cc);
    }
    json_object_set_new(o, "subject", ref(refs->patient));
    set_text(o, "authoredOn", rec_text(r, "created_at"));
    json_object_set_new(o, "requester", ref(refs->role));
    json_object_set_new(o, "performer",
                        json_pack("[o, o]", ref(refs->service), ref(refs->receiving)));
    if (v->nneeds) {
        json_t *reasons = json_array();
        for (int i = 0; i < v->nneeds; i++) {
            const char *tax = v->need_taxonomies[i] ? v->need_taxonomies[i] : DIR_CH_TAXONOMY_ID;
            json_t *cc = json_pack("{s:[{s:s+, s:s}]}", "coding", "system", "urn:uuid:", tax,
                                   "code", v->need_ids[i]);
            if (v->need_names[i]) {
                json_object_set_new(json_array_get(json_object_get(cc, "coding"), 0), "display",
                                    json_string(v->need_names[i]));
                json_object_set_new(cc, "text", json_string(v->need_names[i]));
            }
            json_array_append_new(reasons, cc);
        }
        json_object_set_new(o, "reasonCode", reasons);
    }
    const char *notes = rec_text(r, "notes");
    if (notes && *notes) json_object_set_new(o, "note", json_pack("[{s:s}]", "text", notes));
    return o;
}

/* See fhir.h. */
void fhir_add_referral(arena *a, json_t *bundle, const char *base,
                       const struct fhir_referral_view *v, const struct fhir_refs *refs)
{
    const rec *r = v->referral;
    fhir_bundle_add(bundle, refs->service_request, service_request(a, base, v, refs));
    fhir_bundle_add(bundle, refs->patient, patient(refs->patient, v->participant));
    fhir_bundle_add(
        bundle, refs->referring,
        organization(refs->referring, v->referring_org, rec_text(r, "referring_org_name")));
    fhir_bundle_add(
        bundle, refs->receiving,
        organization(refs->receiving, v->receiving_org, rec_text(r, "receiving_org_name")));
    json_t *role =
        json_pack("{s:s, s:s}", "resourceType", "PractitionerRole", "id", url_id(refs->role));
    if (v->referrer)
        json_object_set_new(role, "practitioner", json_pack("{s:s}", "display", v->referrer));
    json_object_set_new(role, "organization", ref(refs->referring));
    fhir_bundle_add(bundle, refs->role, role);
    const char *sid = rec_text(r, "service_id");
    json_t *hs = json_pack("{s:s, s:s, s:[o], s:o}", "resourceType", "HealthcareService", "id",
                           url_id(refs->service), "identifier", service_identifier(sid ? sid : ""),
                           "providedBy", ref(refs->receiving));
    set_text(hs, "name", rec_text(r, "service_name"));
    fhir_bundle_add(bundle, refs->service, hs);
}

/* The destination endpoint of a request: BaRS names the Healthcare Service
 * the receiver processes it for, so the directory service's id as a URI. */
static const char *service_endpoint(arena *a, const char *base, const rec *r)
{
    const char *sid = rec_text(r, "service_id");
    if (sid && fhir_is_uuid(sid)) return arena_printf(a, "urn:uuid:%s", sid);
    return base;
}

/* See fhir.h. */
json_t *fhir_referral_bundle(struct ctx *c, const char *base, const struct fhir_referral_view *v)
{
    const rec *r = v->referral;
    struct fhir_refs refs;
    fhir_refs_init(c->a, &refs);
    json_t *b = fhir_message_bundle(c->a, c->now_iso, rec_text(r, "updated_at"));
    const char *st = rec_text(r, "status");
    bool is_new = st && (strcmp(st, "draft") == 0 || strcmp(st, "sent") == 0);
    struct fhir_header h = {
        .base = base,
        .event = FHIR_EVENT_REQUEST,
        .reason = is_new ? "new" : "update",
        .dest_endpoint = service_endpoint(c->a, base, r),
        .dest_name = rec_text(r, "receiving_org_name"),
        .receiver = refs.receiving,
        .sender = refs.referring,
        .focus = refs.service_request,
    };
    fhir_bundle_add_own(c->a, b, fhir_message_header(c->a, &h));
    fhir_add_referral(c->a, b, base, v, &refs);
    return b;
}

/* Split the comma-separated term ids of the referral into the view, with their names. */
static void load_needs(struct ctx *c, struct fhir_referral_view *v)
{
    const char *needs = rec_text(v->referral, "needs");
    if (!needs || !*needs) return;
    int n = 1;
    for (const char *s = needs; *s; s++)
        n += *s == ',';
    v->need_ids = arena_alloc(c->a, sizeof *v->need_ids * (size_t)n);
    v->need_names = arena_alloc(c->a, sizeof *v->need_names * (size_t)n);
    v->need_taxonomies = arena_alloc(c->a, sizeof *v->need_taxonomies * (size_t)n);
    const char *s = needs;
    while (*s) {
        size_t len = strcspn(s, ",");
        if (len) {
            const char *id = arena_strndup(c->a, s, len);
            result res;
            json_t *t = dir_taxonomy_term_render(c, id, &res);
            v->need_ids[v->nneeds] = id;
            v->need_names[v->nneeds] =
                t ? arena_strdup(c->a, json_string_value(json_object_get(t, "name"))) : NULL;
            v->need_taxonomies[v->nneeds] =
                t ? arena_strdup(c->a, json_string_value(json_object_get(t, "taxonomy_id"))) : NULL;
            json_decref(t);
            v->nneeds++;
        }
        s += len;
        if (*s == ',') s++;
    }
}

/* See fhir.h. The reads after referral_get only add detail: when one is
 * refused the bundle goes without it, and the refusal's reason is cleared
 * so that it does not leak into a later answer. */
result fhir_view_load(struct ctx *c, long long id, struct fhir_referral_view *v)
{
    memset(v, 0, sizeof *v);
    result res = referral_get(c, id, &v->referral);
    if (res != RES_OK) return res;
    rec *p = NULL;
    if (participant_get(c, rec_int(v->referral, "participant_id", 0), &p) == RES_OK)
        v->participant = p;
    rec *org = NULL;
    if (entity_get(c, &entity_organisations, rec_int(v->referral, "referring_org_id", 0), &org) ==
        RES_OK)
        v->referring_org = org;
    org = NULL;
    if (entity_get(c, &entity_organisations, rec_int(v->referral, "receiving_org_id", 0), &org) ==
        RES_OK)
        v->receiving_org = org;
    long long uid = rec_int(v->referral, "referrer_user_id", 0);
    struct actor *who = NULL;
    if (uid && accounts_actor(c, uid, &who) == RES_OK) v->referrer = who->name;
    load_needs(c, v);
    ctx_clear_errors(c);
    return RES_OK;
}
