/*
 * fhir.c: the FHIR R4 routes, BaRS-shaped (see fhir.h for the files):
 *
 *   GET  /fhir/metadata                            CapabilityStatement (public)
 *   GET  /fhir/ServiceRequest/{id}/$bundle         a referral as a message Bundle
 *   POST /fhir/$process-message                    a referral message in: creates it
 *   GET  /fhir/ServiceRequest/{id}/$feedback       feedback as a message Bundle
 *
 * Answers are application/fhir+json; every error the handlers find is an
 * OperationOutcome (the transport's own 401 stays problem+json, as for the
 * rest of the API). Access is the domain's: a referral another
 * organisation made answers 404, as referral_get does.
 */
#include "api/fhir.h"

#include "api/api.h"
#include "api/json.h"
#include "base/buf.h"
#include "base/text.h"
#include "domain/directory.h"
#include "domain/participants.h"
#include "domain/referrals.h"
#include "domain/structure.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* jansson's dump callback: appends the chunk to the buf cls. 0 (it cannot fail). */
static int dump_to_buf(const char *data, size_t size, void *cls)
{
    buf_append(cls, data, size);
    return 0;
}

/* See fhir.h. */
void fhir_send(struct req *r, int status, json_t *json)
{
    r->status = status;
    r->content_type = FHIR_CONTENT_TYPE;
    buf_truncate(&r->out, 0);
    json_dump_callback(json, dump_to_buf, &r->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(json);
}

/* See fhir.h. */
void fhir_fail(struct req *r, int status, const char *code, const char *diagnostics)
{
    struct fhir_issues is;
    fhir_issues_init(&is, r->a);
    fhir_issue(&is, code, NULL, "%s", diagnostics);
    fhir_send(r, status, fhir_outcome_json(&is));
}

/* See fhir.h. */
const char *fhir_issue_code(result res)
{
    switch (res) {
    case RES_INVALID:
        return "invalid";
    case RES_UNAUTHENTICATED:
        return "login";
    case RES_FORBIDDEN:
        return "forbidden";
    case RES_NOT_FOUND:
        return "not-found";
    case RES_CONFLICT:
        return "conflict";
    case RES_TOO_MANY:
        return "throttled";
    default:
        return "exception";
    }
}

/* See fhir.h. Internal failures keep their details in the log. */
void fhir_fail_result(struct req *r, result res)
{
    const char *d = r->ctx.detail;
    if (res == RES_NOT_FOUND) d = "There is no referral with that id.";
    if (res == RES_INTERNAL || !d) d = "Something went wrong on our side.";
    fhir_fail(r, api_status(res), fhir_issue_code(res), d);
}

/* GET /fhir/metadata: what this server does, as a small CapabilityStatement. */
static void fhir_metadata(struct req *r)
{
    const char *base = fhir_base(r);
    json_t *ops = json_pack("[{s:s, s:s+}, {s:s, s:s+}]", "name", "bundle", "definition", base,
                            "/OperationDefinition/ServiceRequest-bundle", "name", "feedback",
                            "definition", base, "/OperationDefinition/ServiceRequest-feedback");
    json_t *rest = json_pack(
        "[{s:s, s:s, s:[{s:s, s:s, s:o}], s:[{s:s, s:s}]}]", "mode", "server", "documentation",
        "Referrals to creative health services as BaRS-shaped message Bundles. Sign in with a "
        "bearer token.",
        "resource", "type", "ServiceRequest", "profile",
        "http://hl7.org/fhir/StructureDefinition/ServiceRequest", "operation", ops, "operation",
        "name", "process-message", "definition",
        "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message");
    /* The endpoint's protocol is required: http is the message's transport. */
    json_t *endpoint = json_pack("{s:{s:s, s:s}, s:s}", "protocol", "system",
                                 "http://terminology.hl7.org/CodeSystem/message-transport", "code",
                                 "http", "address", base);
    json_t *cs =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s, s:s}, s:s, s:[s, s], s:o, "
                  "s:[{s:[o], s:[{s:s, s:s+}]}]}",
                  "resourceType", "CapabilityStatement", "status", "active", "date", r->ctx.now_iso,
                  "kind", "instance", "publisher", "chis", "software", "name", "chis",
                  "implementation", "description", "chis: Creative Health in Systems", "url", base,
                  "fhirVersion", FHIR_VERSION, "format", FHIR_CONTENT_TYPE, "application/json",
                  "rest", rest, "messaging", "endpoint", endpoint, "supportedMessage", "mode",
                  "receiver", "definition", base, "/MessageDefinition/servicerequest-request");
    fhir_send(r, 200, cs);
}

/* The referral id in the path, or 0 after answering 404. */
static long long path_id(struct req *r)
{
    long long id = text_id(r->nparams ? r->params[0] : NULL);
    if (!id) fhir_fail(r, 404, "not-found", "There is no referral with that id.");
    return id;
}

/* GET /fhir/ServiceRequest/{id}/$bundle. */
static void fhir_bundle(struct req *r)
{
    long long id = path_id(r);
    if (!id) return;
    struct fhir_referral_view v;
    result res = fhir_view_load(&r->ctx, id, &v);
    if (res != RES_OK) {
        fhir_fail_result(r, res);
        return;
    }
    fhir_send(r, 200, fhir_referral_bundle(&r->ctx, fhir_base(r), &v));
}

/* Is the body sent as FHIR JSON or plain JSON? */
static bool json_content(struct req *r)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct) return false;
    size_t n = strcspn(ct, "; ");
    return (n == 21 && strncasecmp(ct, FHIR_CONTENT_TYPE, n) == 0) ||
           (n == 16 && strncasecmp(ct, "application/json", n) == 0);
}

/*
 * The checks that need the data: the service exists and is not deleted,
 * the reason codes that are taxonomy terms (a UUID that is none is an
 * error; other codes, such as SNOMED, are left alone), and a sender with
 * an ODS code is the actor's own organisation. Fills *needs with the
 * terms' ids and *need_at with where each was.
 */
static void resolve(struct req *r, const struct fhir_referral_msg *m, struct fhir_issues *is,
                    const char ***needs, const char ***need_at, int *nneeds)
{
    struct ctx *c = &r->ctx;
    if (m->service_id) {
        /* Only a published service exists for a referrer, as for
         * referral_create: a provider's proposal waiting for approval
         * answers as a missing one, so that its existence does not leak. */
        result res;
        json_t *svc = dir_service_render(c, m->service_id, &res);
        const char *state = json_string_value(json_object_get(svc, "state"));
        if (!svc || json_object_get(svc, "deleted_at") || !state || strcmp(state, "published") != 0)
            fhir_issue(is, "not-found", m->service_expr,
                       "There is no directory service \"%s\" (the HealthcareService's identifier)",
                       m->service_id);
        json_decref(svc);
    }
    *needs = arena_alloc(r->a, sizeof **needs * (size_t)(m->nneeds + 1));
    *need_at = arena_alloc(r->a, sizeof **need_at * (size_t)(m->nneeds + 1));
    *nneeds = 0;
    for (int i = 0; i < m->nneeds; i++) {
        const char *code = m->needs[i].code;
        bool dup = false;
        for (int k = 0; k < *nneeds && !dup; k++)
            dup = strcmp((*needs)[k], code) == 0;
        if (dup) continue;
        result res;
        json_t *t = dir_taxonomy_term_render(c, code, &res);
        if (t) {
            (*needs)[*nneeds] = code;
            (*need_at)[(*nneeds)++] = m->needs[i].expression;
        } else if (fhir_is_uuid(code)) {
            fhir_issue(is, "not-found", m->needs[i].expression,
                       "There is no taxonomy term \"%s\" for a need addressed", code);
        }
        json_decref(t);
    }
    if (m->sender_ods) {
        rec *org = NULL;
        const char *ours = NULL;
        if (c->actor && entity_get(c, &entity_organisations, c->actor->org_id, &org) == RES_OK)
            ours = rec_text(org, "ods_code");
        if (!ours || strcasecmp(ours, m->sender_ods) != 0)
            fhir_issue(is, "value", m->sender_expr,
                       "The sender's ODS code \"%s\" is not your organisation's (%s): a referral "
                       "is sent by the signed-in user's organisation",
                       m->sender_ods, ours && *ours ? ours : "it has none");
    }
    ctx_clear_errors(c);
}

/* Where in the Bundle a domain field error belongs. */
static const char *field_expr(struct req *r, const struct fhir_referral_msg *m,
                              const char *const *need_at, int nneeds, const char *field)
{
    static const char *const patient[][2] = {{"name", "name"},
                                             {"date_of_birth", "birthDate"},
                                             {"nhs_number", "identifier"},
                                             {"sex", "gender"},
                                             {"postcode", "address[0].postalCode"}};
    for (size_t i = 0; i < sizeof patient / sizeof patient[0]; i++)
        if (strcmp(field, patient[i][0]) == 0)
            return arena_printf(r->a, "%s.%s", m->patient_expr, patient[i][1]);
    if (strcmp(field, "service_id") == 0) return m->service_expr;
    if (strncmp(field, "needs[", 6) == 0) {
        long long k = atoll(field + 6);
        if (k >= 0 && k < nneeds) return need_at[k];
    }
    static const char *const request[][2] = {{"urgency", "priority"},
                                             {"notes", "note"},
                                             {"participant_id", "subject"},
                                             {"reason", "status"},
                                             {"to", "status"}};
    for (size_t i = 0; i < sizeof request / sizeof request[0]; i++)
        if (strcmp(field, request[i][0]) == 0)
            return arena_printf(r->a, "%s.%s", m->sr_expr, request[i][1]);
    return m->sr_expr;
}

/* Answer a domain refusal while creating: each field error becomes an issue
 * naming the element it came from; the detail one more. */
static void refuse(struct req *r, result res, const struct fhir_referral_msg *m,
                   const char *const *need_at, int nneeds, const char *whole)
{
    if (res == RES_INTERNAL) {
        fhir_fail(r, 500, "exception", "Something went wrong on our side.");
        return;
    }
    struct fhir_issues is;
    fhir_issues_init(&is, r->a);
    for (int i = 0; i < r->ctx.nerrors; i++)
        fhir_issue(&is, res == RES_INVALID ? "invalid" : fhir_issue_code(res),
                   field_expr(r, m, need_at, nneeds, r->ctx.errors[i].field), "%s",
                   r->ctx.errors[i].message);
    if (r->ctx.detail || !is.n)
        fhir_issue(&is, fhir_issue_code(res), whole, "%s",
                   r->ctx.detail ? r->ctx.detail : "The referral was refused.");
    fhir_send(r, api_status(res), fhir_outcome_json(&is));
}

/* The 200 answer: a response message naming the incoming one, with the
 * created referral's resources. */
static void answer_created(struct req *r, const struct fhir_referral_msg *m, long long id)
{
    struct fhir_referral_view v;
    result res = fhir_view_load(&r->ctx, id, &v);
    if (res != RES_OK) {
        fhir_fail_result(r, res);
        return;
    }
    const char *base = fhir_base(r);
    struct fhir_refs refs;
    fhir_refs_init(r->a, &refs);
    json_t *b = fhir_message_bundle(r->a, r->ctx.now_iso, rec_text(v.referral, "updated_at"));
    struct fhir_header h = {
        .base = base,
        .event = FHIR_EVENT_RESPONSE,
        .response_to = m->message_id,
        .dest_endpoint = m->source_endpoint,
        .dest_name = rec_text(v.referral, "referring_org_name"),
        .receiver = refs.referring,
        .sender = refs.receiving,
        .focus = refs.service_request,
    };
    fhir_bundle_add_own(r->a, b, fhir_message_header(r->a, &h));
    fhir_add_referral(r->a, b, base, &v, &refs);
    fhir_send(r, 200, b);
}

/* POST /fhir/$process-message: validate everything, then create the
 * participant and the referral (sent when the request is active) in one
 * transaction, or nothing. */
static void fhir_process_message(struct req *r)
{
    if (!json_content(r)) {
        fhir_fail(r, 415, "not-supported", "Send the Bundle as application/fhir+json.");
        return;
    }
    json_error_t err;
    json_t *doc = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        fhir_fail(r, 400, "invalid",
                  arena_printf(r->a, "The body is not valid JSON: %s (line %d, column %d).",
                               err.text, err.line, err.column));
        return;
    }
    struct fhir_issues is;
    fhir_issues_init(&is, r->a);
    struct fhir_referral_msg m;
    fhir_message_parse(r->a, doc, &m, &is);
    const char **needs, **need_at;
    int nneeds;
    resolve(r, &m, &is, &needs, &need_at, &nneeds);
    /* Strings in m point into doc: keep it until the answer is written. */
    if (is.n) {
        fhir_send(r, is.structural ? 400 : 422, fhir_outcome_json(&is));
        json_decref(doc);
        return;
    }
    struct ctx *c = &r->ctx;
    if (store_begin(c->db) != 0) {
        json_decref(doc);
        fhir_fail(r, 503, "transient", "The database is busy: try again.");
        return;
    }
    rec *in = rec_new(r->a);
    rec_set_text(in, "name", m.name);
    rec_set_text(in, "date_of_birth", m.birth_date);
    if (m.nhs_number) rec_set_text(in, "nhs_number", m.nhs_number);
    if (m.sex) rec_set_text(in, "sex", m.sex);
    if (m.postcode) rec_set_text(in, "postcode", m.postcode);
    rec *person = NULL, *ref = NULL;
    result res = participant_create(c, in, &person);
    const char *whole = m.patient_expr;
    if (res == RES_OK) {
        struct referral_input ri = {
            .participant_id = rec_int(person, "id", 0),
            .service_id = m.service_id,
            .needs = needs,
            .nneeds = nneeds,
            .notes = m.notes,
            .urgency = m.urgency,
        };
        whole = m.sr_expr;
        res = referral_create(c, &ri, &ref);
    }
    if (res == RES_OK && strcmp(m.status, "active") == 0)
        res = referral_transition(c, rec_int(ref, "id", 0), "sent", NULL, NULL, &ref);
    if (res == RES_OK && store_commit(c->db) != 0) res = RES_INTERNAL;
    if (res != RES_OK) {
        while (store_in_tx(c->db))
            store_rollback(c->db);
        refuse(r, res, &m, need_at, nneeds, whole);
        json_decref(doc);
        return;
    }
    answer_created(r, &m, rec_int(ref, "id", 0));
    json_decref(doc);
}

const struct route api_fhir_routes[] = {
    {"GET", "/fhir/metadata", fhir_metadata, ROUTE_PUBLIC, NULL},
    {"GET", "/fhir/ServiceRequest/{id}/$bundle", fhir_bundle, 0, NULL},
    {"GET", "/fhir/ServiceRequest/{id}/$feedback", fhir_feedback_route, 0, NULL},
    {"POST", "/fhir/$process-message", fhir_process_message, 0, NULL},
};
const size_t api_fhir_routes_len = sizeof api_fhir_routes / sizeof api_fhir_routes[0];
