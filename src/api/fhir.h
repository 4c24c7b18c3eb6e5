/*
 * fhir.h: FHIR R4 JSON for referrals, shaped after the NHS Booking and
 * Referral Standard (BaRS). The mapping is presentation, so it lives in the
 * API layer and reaches the data only through the domain:
 *
 *   fhir.c           the routes (/fhir/metadata, $bundle, $process-message,
 *                    $feedback) and OperationOutcome answers
 *   fhir_parse.c     reading an incoming message Bundle: a pure function of
 *                    the JSON that lists every problem it finds (fuzzed)
 *   fhir_export.c    a referral as FHIR resources (ServiceRequest, Patient,
 *                    Organization, PractitionerRole, HealthcareService) and
 *                    the MessageHeader around them
 *   fhir_feedback.c  feedback to the referrer or GP: Communication and
 *                    Observations
 *
 * Everything returned lives in the arena handed in, except jansson trees,
 * which the caller owns and json_decref()s.
 */
#ifndef CHIS_API_FHIR_H
#define CHIS_API_FHIR_H

#include "base/arena.h"
#include "base/rec.h"
#include "domain/ctx.h"
#include "http/request.h"

#include <jansson.h>
#include <stdbool.h>

#define FHIR_CONTENT_TYPE "application/fhir+json"
#define FHIR_VERSION "4.0.1"

#define FHIR_SYS_NHS_NUMBER "https://fhir.nhs.uk/Id/nhs-number"
#define FHIR_SYS_ODS "https://fhir.nhs.uk/Id/ods-organization-code"
#define FHIR_SYS_EVENTS "https://fhir.nhs.uk/CodeSystem/message-events-bars"
#define FHIR_SYS_REASON "https://fhir.nhs.uk/CodeSystem/message-reason-bars"
#define FHIR_SYS_SNOMED "http://snomed.info/sct"
#define FHIR_SYS_URI "urn:ietf:rfc:3986" /* identifiers that are URIs (urn:uuid:...) */
#define FHIR_SYS_OBS_CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"

#define FHIR_EVENT_REQUEST "servicerequest-request"
#define FHIR_EVENT_RESPONSE "servicerequest-response"

/* SNOMED CT: the ServiceRequest's category. */
#define FHIR_SNOMED_REFERRAL "3457005"
#define FHIR_SNOMED_REFERRAL_TERM "Patient referral"

/* ---- OperationOutcome ---- */

struct fhir_issue {
    const char *code;        /* FHIR issue type: invalid, required, value, not-found ... */
    const char *diagnostics; /* a sentence naming the element */
    const char *expression;  /* FHIRPath, e.g. "Bundle.entry[2].resource.birthDate"; may be NULL */
};

/* The problems found in one message, in the order found. structural is set
 * when the body is not a usable message Bundle at all (answered 400, not
 * 422). */
struct fhir_issues {
    arena *a;
    struct fhir_issue *v;
    int n, cap;
    bool structural;
};

void fhir_issues_init(struct fhir_issues *is, arena *a);

/* Add an error issue (severity "error"); the text is formatted into is->a. */
void fhir_issue(struct fhir_issues *is, const char *code, const char *expression, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

/* A new OperationOutcome listing the issues (caller owns it). */
json_t *fhir_outcome_json(const struct fhir_issues *is);

/* Answer with a FHIR resource (json is stolen) as application/fhir+json. */
void fhir_send(struct req *r, int status, json_t *json);

/* Answer with an OperationOutcome of one error issue. */
void fhir_fail(struct req *r, int status, const char *code, const char *diagnostics);

/* The FHIR issue type for a failed domain call ("not-found", "forbidden" ...). */
const char *fhir_issue_code(result res);

/* Answer a failed domain call as an OperationOutcome with its status. */
void fhir_fail_result(struct req *r, result res);

/* ---- reading an incoming referral message ---- */

struct fhir_need {
    const char *code;       /* a coding's code: a taxonomy term id when it is one */
    const char *expression; /* where it was, for issues */
};

/*
 * What a servicerequest-request message says, with where each thing was
 * (FHIRPath expressions into the Bundle) so that later checks, and the
 * domain's field errors, can name the element. Strings are in the arena.
 */
struct fhir_referral_msg {
    const char *message_id;      /* MessageHeader.id */
    const char *source_endpoint; /* MessageHeader.source.endpoint, NULL when absent */
    const char *sender_ods;      /* the sender's ODS code, NULL when it carries none */
    const char *sender_expr;
    /* Patient */
    const char *patient_expr; /* "Bundle.entry[k].resource" */
    const char *name, *birth_date, *nhs_number, *sex, *postcode;
    /* ServiceRequest */
    const char *sr_expr;
    const char *status;     /* "draft" or "active" */
    const char *service_id; /* from the HealthcareService identifier ("urn:uuid:" removed) */
    const char *service_expr;
    struct fhir_need *needs;
    int nneeds;
    const char *notes;
    const char *urgency; /* "routine" or "urgent" */
};

/*
 * Read a Bundle that should be a servicerequest-request message into m,
 * adding an issue to is for every problem found: the Bundle's shape, the
 * MessageHeader (first entry; event, focus, id), the ServiceRequest
 * (status draft or active, intent, subject, performer HealthcareService
 * with an identifier, priority), and the Patient (name, birthDate, NHS
 * number passing the modulus-11 check, gender, postcode). It does not look
 * anything up: whether the service and terms exist and whether the sender
 * is the actor's organisation are for the caller. Pure, so it can be
 * fuzzed. Returns true when no issue was added.
 */
bool fhir_message_parse(arena *a, const json_t *bundle, struct fhir_referral_msg *m,
                        struct fhir_issues *is);

/* The most performers a ServiceRequest may name: each is looked for among
 * all the Bundle's entries. */
#define FHIR_MAX_PERFORMERS 16

/* Does s look like a UUID (8-4-4-4-12 hex digits)? */
bool fhir_is_uuid(const char *s);

/* ---- writing ---- */

/* A new random (version 4) UUID in a. */
const char *fhir_uuid(arena *a);

/* The server's FHIR base ("http://host:port/fhir") from the request's Host
 * header, when it is a plausible host name; else "urn:chis:fhir". */
const char *fhir_base(struct req *r);

/*
 * A referral as the domain lets this actor see it, gathered for FHIR:
 * everything in c->a. participant is NULL when the person's data is
 * withheld from the actor; the organisations are NULL when unreadable.
 */
struct fhir_referral_view {
    rec *referral;                                          /* referral_get() */
    rec *participant;                                       /* participant_get(), or NULL */
    rec *referring_org;                                     /* organisations entity, or NULL */
    rec *receiving_org;                                     /* organisations entity, or NULL */
    const char *referrer;                                   /* the referring user's name, or NULL */
    const char **need_ids, **need_names, **need_taxonomies; /* taxonomy ids, may be NULL */
    int nneeds;
};

/* Load the view of referral id (audited reads: referral_get and
 * participant_get). RES_NOT_FOUND when the actor may not see it. */
result fhir_view_load(struct ctx *c, long long id, struct fhir_referral_view *v);

/* The fullUrls ("urn:uuid:...") the resources of one bundle are known by. */
struct fhir_refs {
    const char *service_request, *patient, *referring, *receiving, *role, *service;
};
void fhir_refs_init(arena *a, struct fhir_refs *refs);

/* The ServiceRequest status for a chis referral status. */
const char *fhir_request_status(const char *chis_status);

/* A new message Bundle (caller owns it) with id, meta.lastUpdated and timestamp. */
json_t *fhir_message_bundle(arena *a, const char *now, const char *last_updated);

/* Append {"fullUrl", "resource"} to the bundle's entries (resource stolen). */
void fhir_bundle_add(json_t *bundle, const char *full_url, json_t *resource);

/* What a MessageHeader says: fullUrls of the sender, receiver and focus. */
struct fhir_header {
    const char *base;          /* this server's FHIR base: source.endpoint */
    const char *event;         /* FHIR_EVENT_* */
    const char *reason;        /* "new", "update" or NULL */
    const char *response_to;   /* the id of the message answered ("ok"), or NULL */
    const char *dest_endpoint; /* destination.endpoint; no destination when NULL */
    const char *dest_name;     /* destination.name, or NULL */
    const char *receiver;      /* destination.receiver, or NULL */
    const char *sender;        /* or NULL */
    const char *focus;
};

/* A new MessageHeader (caller owns it). */
json_t *fhir_message_header(arena *a, const struct fhir_header *h);

/* Append a resource (stolen) known by "urn:uuid:" and its id. */
void fhir_bundle_add_own(arena *a, json_t *bundle, json_t *resource);

/* Append the referral's resources (ServiceRequest, Patient, the two
 * Organizations, PractitionerRole, HealthcareService) to the bundle. */
void fhir_add_referral(arena *a, json_t *bundle, const char *base,
                       const struct fhir_referral_view *v, const struct fhir_refs *refs);

/* The whole $bundle export of a loaded referral (caller owns it). */
json_t *fhir_referral_bundle(struct ctx *c, const char *base, const struct fhir_referral_view *v);

/* GET /fhir/ServiceRequest/{id}/$feedback (fhir_feedback.c). */
void fhir_feedback_route(struct req *r);

#endif
