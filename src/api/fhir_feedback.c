/*
 * fhir_feedback.c: GET /fhir/ServiceRequest/{id}/$feedback?recipient=
 * referrer|gp, the message back to the referrer or the GP as FHIR.
 *
 * A message Bundle whose MessageHeader (event servicerequest-response,
 * reason update) focuses a Communication about the ServiceRequest. The
 * Communication's text says the status and attendance always; the outcome
 * changes, the person's goals and their own words, and the Observations of
 * the paired scores (SWEMWBS metric, UCLA-3, the four ONS4 items) only
 * while the person's consent for that recipient is in force, which
 * feedback_get() decides. The measures have no code we are sure of, so the
 * Observations name them in code.text; their category is "survey".
 */
#include "api/fhir.h"

#include "api/json.h"
#include "base/buf.h"
#include "base/text.h"
#include "domain/outcomes.h"

#include <string.h>

/* One Bundle under construction with what its resources refer to. */
struct fb {
    struct req *r;
    json_t *bundle;
    json_t *payload; /* the Communication's payload[] */
    struct fhir_refs refs;
    struct store_page outcomes; /* for the dates the scores were recorded */
};

/* When measure was answered at stage, or NULL. */
static const char *recorded_at(struct fb *f, const char *measure, const char *stage)
{
    for (int i = 0; i < f->outcomes.nrows; i++) {
        const rec *o = f->outcomes.rows[i];
        const char *m = rec_text(o, "measure"), *s = rec_text(o, "stage");
        if (m && s && strcmp(m, measure) == 0 && strcmp(s, stage) == 0)
            return rec_text(o, "recorded_at");
    }
    return NULL;
}

/* Add a line of text to the Communication. */
static void say(struct fb *f, const char *text)
{
    json_array_append_new(f->payload, json_pack("{s:s}", "contentString", text));
}

/* A new Observation of one measure at one stage; value is set by the caller.
 * The Communication's payload refers to it. */
static json_t *observation(struct fb *f, const char *measure, const char *what, const char *stage)
{
    arena *a = f->r->a;
    const char *id = fhir_uuid(a);
    json_t *o = json_pack("{s:s, s:s, s:s, s:[{s:[{s:s, s:s, s:s}]}], s:{s:s}, s:{s:s}, s:[{s:s}]}",
                          "resourceType", "Observation", "id", id, "status", "final", "category",
                          "coding", "system", FHIR_SYS_OBS_CATEGORY, "code", "survey", "display",
                          "Survey", "code", "text", what, "subject", "reference", f->refs.patient,
                          "basedOn", "reference", f->refs.service_request);
    const char *at = recorded_at(f, measure, stage);
    if (at) json_object_set_new(o, "effectiveDateTime", json_string(at));
    json_object_set_new(o, "note", json_pack("[{s:s+}]", "text", "Stage: ", stage));
    const char *full = arena_printf(a, "urn:uuid:%s", id);
    json_array_append_new(f->payload,
                          json_pack("{s:{s:s}}", "contentReference", "reference", full));
    fhir_bundle_add(f->bundle, full, json_incref(o));
    return o;
}

/* The paired scores as Observations. */
static void scores(struct fb *f, const struct feedback *fb)
{
    static const char *const stages[2] = {"baseline", "final"};
    if (fb->has_swemwbs) {
        double v[2] = {fb->swemwbs_baseline, fb->swemwbs_final};
        for (int i = 0; i < 2; i++) {
            json_t *o = observation(f, "swemwbs", "SWEMWBS metric score", stages[i]);
            json_object_set_new(o, "valueQuantity", json_pack("{s:f}", "value", v[i]));
            json_decref(o);
        }
    }
    if (fb->has_ucla) {
        int v[2] = {fb->ucla_baseline, fb->ucla_final};
        for (int i = 0; i < 2; i++) {
            json_t *o = observation(f, "ucla3", "UCLA 3-item loneliness score", stages[i]);
            json_object_set_new(o, "valueInteger", json_integer(v[i]));
            json_decref(o);
        }
    }
    if (fb->has_ons4) {
        static const char *const items[4] = {"ONS4 life satisfaction", "ONS4 worthwhile",
                                             "ONS4 happiness", "ONS4 anxiety"};
        for (int i = 0; i < 2; i++) {
            const int *v = i ? fb->ons4_final : fb->ons4_baseline;
            json_t *o = observation(f, "ons4", "ONS4 personal wellbeing", stages[i]);
            json_t *comp = json_array();
            for (int k = 0; k < 4; k++)
                json_array_append_new(comp, json_pack("{s:{s:s}, s:i}", "code", "text", items[k],
                                                      "valueInteger", v[k]));
            json_object_set_new(o, "component", comp);
            json_decref(o);
        }
    }
}

/* The outcome changes, goals and the person's words, as text. */
static void outcome_text(struct fb *f, const struct feedback *fb)
{
    arena *a = f->r->a;
    if (fb->has_swemwbs)
        say(f,
            arena_printf(a,
                         "SWEMWBS (metric score): %.2f at the start, %.2f at the end, a change of "
                         "%+.2f (%s).",
                         fb->swemwbs_baseline, fb->swemwbs_final, fb->swemwbs_change,
                         fb->swemwbs_meaningful ? "a meaningful change: 3 points or more"
                                                : "less than the 3 points of a meaningful change"));
    if (fb->has_ucla)
        say(f, arena_printf(a,
                            "UCLA 3-item loneliness: %d at the start, %d at the end (3 to 9; lower "
                            "is less lonely).",
                            fb->ucla_baseline, fb->ucla_final));
    if (fb->has_ons4)
        say(f, arena_printf(a,
                            "ONS4 personal wellbeing, start to end: life satisfaction %d to %d, "
                            "worthwhile %d to %d, happiness %d to %d, anxiety %d to %d.",
                            fb->ons4_baseline[0], fb->ons4_final[0], fb->ons4_baseline[1],
                            fb->ons4_final[1], fb->ons4_baseline[2], fb->ons4_final[2],
                            fb->ons4_baseline[3], fb->ons4_final[3]));
    for (int i = 0; i < fb->goals.nrows; i++) {
        const rec *g = fb->goals.rows[i];
        const char *goal = rec_text(g, "goal");
        if (!goal) continue;
        buf b;
        buf_init(&b, a, 128);
        buf_printf(&b, "Goal, in their words: \"%s\"", goal);
        for (int s = 0; outcome_stages[s]; s++) {
            const struct val *v = rec_get(g, outcome_stages[s]);
            if (v && v->type == VAL_INT)
                buf_printf(&b, "; %s rating %lld/10", outcome_stages[s], v->i);
        }
        buf_putc(&b, '.');
        say(f, b.data);
    }
    for (int i = 0; i < fb->stories.nrows; i++) {
        const char *body = rec_text(fb->stories.rows[i], "body");
        if (body && *body) say(f, arena_printf(a, "In their own words: \"%s\"", body));
    }
}

/* A new Communication (caller owns it) carrying the payload built so far. */
static json_t *communication(struct fb *f, const char *id, const char *recipient_url,
                             const char *recipient)
{
    return json_pack(
        "{s:s, s:s, s:s, s:[{s:s}], s:{s:s}, s:[{s:s}], s:s, s:[{s:s}], s:{s:s}, "
        "s:O}",
        "resourceType", "Communication", "id", id, "status", "completed", "category", "text",
        strcmp(recipient, "gp") == 0 ? "Feedback to the GP" : "Feedback to the referrer", "subject",
        "reference", f->refs.patient, "about", "reference", f->refs.service_request, "sent",
        f->r->ctx.now_iso, "recipient", "reference", recipient_url, "sender", "reference",
        f->refs.receiving, "payload", f->payload);
}

/* See fhir.h. */
void fhir_feedback_route(struct req *r)
{
    static const char *const allowed[] = {"recipient", NULL};
    struct form_field args[9];
    int nargs = req_query_all(r, args, 9);
    for (int i = 0; i < nargs; i++) {
        bool ok = false;
        for (int k = 0; allowed[k] && !ok; k++)
            ok = strcmp(args[i].name, allowed[k]) == 0;
        if (!ok) {
            fhir_fail(r, 400, "invalid",
                      arena_printf(r->a, "'%s' is not a parameter here: send recipient only",
                                   args[i].name));
            return;
        }
    }
    const char *recipient = api_query_value(r, "recipient");
    if (!recipient) recipient = "referrer";
    if (strcmp(recipient, "referrer") != 0 && strcmp(recipient, "gp") != 0) {
        fhir_fail(r, 400, "value", "The recipient must be referrer or gp.");
        return;
    }
    long long id = text_id(r->nparams ? r->params[0] : NULL);
    struct feedback fb;
    result res = id ? feedback_get(&r->ctx, id, recipient, &fb) : RES_NOT_FOUND;
    struct fhir_referral_view v;
    if (res == RES_OK) res = fhir_view_load(&r->ctx, id, &v);
    if (res != RES_OK) {
        fhir_fail_result(r, res);
        return;
    }
    const char *base = fhir_base(r);
    struct fb f = {.r = r, .payload = json_array()};
    fhir_refs_init(r->a, &f.refs);
    if (fb.outcomes_shared && outcome_list(&r->ctx, id, &f.outcomes) != RES_OK)
        memset(&f.outcomes, 0, sizeof f.outcomes); /* the scores go without their dates */
    ctx_clear_errors(&r->ctx);
    f.bundle = fhir_message_bundle(r->a, r->ctx.now_iso, rec_text(v.referral, "updated_at"));

    /* The GP practice, when the person's record names one this actor may see. */
    const char *recipient_url = f.refs.referring;
    json_t *gp = NULL;
    if (strcmp(recipient, "gp") == 0) {
        recipient_url = arena_printf(r->a, "urn:uuid:%s", fhir_uuid(r->a));
        gp = json_pack("{s:s, s:s}", "resourceType", "Organization", "id", recipient_url + 9);
        const char *code = v.participant ? rec_text(v.participant, "gp_practice_code") : NULL;
        const char *name = v.participant ? rec_text(v.participant, "gp_practice_name") : NULL;
        if (code && *code)
            json_object_set_new(gp, "identifier",
                                json_pack("[{s:s, s:s}]", "system", FHIR_SYS_ODS, "value", code));
        json_object_set_new(gp, "name",
                            json_string(name && *name ? name : "The person's GP practice"));
    }
    const char *comm_id = fhir_uuid(r->a);
    const char *comm_url = arena_printf(r->a, "urn:uuid:%s", comm_id);
    struct fhir_header h = {
        .base = base,
        .event = FHIR_EVENT_RESPONSE,
        .reason = "update",
        .dest_endpoint = gp ? NULL : base, /* the referrer uses this chis; a GP is elsewhere */
        .dest_name = rec_text(v.referral, "referring_org_name"),
        .receiver = recipient_url,
        .sender = f.refs.receiving,
        .focus = comm_url,
    };
    fhir_bundle_add_own(r->a, f.bundle, fhir_message_header(r->a, &h));

    /* The Communication goes second; its payload is filled after the Observations are added. */
    json_t *entries = json_object_get(f.bundle, "entry");
    size_t comm_at = json_array_size(entries);
    fhir_bundle_add(f.bundle, comm_url, json_object());
    const rec *ref = fb.referral;
    const char *reason = rec_text(ref, "reason");
    const char *svc = rec_text(ref, "service_name"), *st = rec_text(ref, "status");
    say(&f, arena_printf(r->a, "Referral to %s: %s%s%s%s.", svc ? svc : "the service",
                         st ? st : "unknown", reason ? " (" : "", reason ? reason : "",
                         reason ? ")" : ""));
    say(&f, arena_printf(r->a, "Sessions attended: %lld; missed: %lld.", fb.sessions_attended,
                         fb.sessions_missed));
    if (fb.outcomes_shared) {
        outcome_text(&f, &fb);
        scores(&f, &fb);
    } else {
        say(&f, "Outcome measures and the person's own words are not shared with this "
                "recipient.");
    }
    for (int i = 0; i < fb.messages.nrows; i++) {
        const rec *m = fb.messages.rows[i];
        const char *body = rec_text(m, "body");
        if (body && *body)
            say(&f, arena_printf(r->a, "Message from %s (%s): %s",
                                 rec_text(m, "author") ? rec_text(m, "author") : "the provider",
                                 rec_text(m, "created_at") ? rec_text(m, "created_at") : "undated",
                                 body));
    }
    json_object_set_new(json_array_get(entries, comm_at), "resource",
                        communication(&f, comm_id, recipient_url, recipient));
    fhir_add_referral(r->a, f.bundle, base, &v, &f.refs);
    if (gp) fhir_bundle_add(f.bundle, recipient_url, gp);
    json_decref(f.payload);
    fhir_send(r, 200, f.bundle);
}
