/*
 * fhir_parse.c: reading an incoming servicerequest-request message Bundle.
 *
 * The reader never stops at the first problem: a sender fixing a rejected
 * message wants the whole list at once, so every element is checked and
 * each problem becomes one issue with the FHIRPath of the element. It looks
 * nothing up (no store, no clock), which keeps it a pure function of the
 * JSON that the fuzzer can drive; what needs the data (does the service
 * exist, is the sender us) is checked by the caller.
 *
 * References are resolved within the Bundle only: "urn:uuid:..." against
 * entry fullUrls, and "Type/id" against each resource's type and id (or a
 * fullUrl ending in it).
 */
#include "api/fhir.h"

#include "base/text.h"
#include "domain/participants.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

/* See fhir.h. */
void fhir_issues_init(struct fhir_issues *is, arena *a)
{
    memset(is, 0, sizeof *is);
    is->a = a;
}

/* s in a with every byte that starts no well-formed UTF-8 sequence made
 * '?' (s itself when it is well-formed). Issues may quote a query string
 * or a parser's message, and jansson makes no string of anything else: the
 * issue would vanish, leaving an OperationOutcome that names no problem. */
static const char *utf8_clean(arena *a, const char *s)
{
    if (text_utf8_valid(s)) return s;
    char *o = arena_strdup(a, s);
    for (char *q = o; *q;) {
        unsigned cp;
        int n = text_utf8_next(q, &cp);
        if (n)
            q += n;
        else
            *q++ = '?';
    }
    return o;
}

/* See fhir.h. The list grows in the arena; after 200 issues the rest are
 * dropped, as a hostile bundle could otherwise make the answer huge. */
void fhir_issue(struct fhir_issues *is, const char *code, const char *expression, const char *fmt,
                ...)
{
    if (is->n >= 200) return;
    if (is->n == is->cap) {
        int cap = is->cap ? is->cap * 2 : 8;
        struct fhir_issue *v = arena_alloc(is->a, sizeof *v * (size_t)cap);
        if (is->n) memcpy(v, is->v, sizeof *v * (size_t)is->n);
        is->v = v;
        is->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    struct fhir_issue *i = &is->v[is->n++];
    i->code = code;
    i->expression = expression ? utf8_clean(is->a, arena_strdup(is->a, expression)) : NULL;
    i->diagnostics = utf8_clean(is->a, arena_vprintf(is->a, fmt, ap));
    va_end(ap);
}

/* See fhir.h. */
json_t *fhir_outcome_json(const struct fhir_issues *is)
{
    json_t *issues = json_array();
    for (int i = 0; i < is->n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "severity", "error", "code", is->v[i].code,
                              "diagnostics", is->v[i].diagnostics);
        if (is->v[i].expression)
            json_object_set_new(o, "expression", json_pack("[s]", is->v[i].expression));
        json_array_append_new(issues, o);
    }
    return json_pack("{s:s, s:o}", "resourceType", "OperationOutcome", "issue", issues);
}

/* See fhir.h. */
bool fhir_is_uuid(const char *s)
{
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* One parse: the arena, the issues, and the bundle's entries. */
struct parse {
    arena *a;
    struct fhir_issues *is;
    const json_t *entries;
    size_t nentries;
};

/* The FHIRPath of entry i's resource, in the arena. */
static const char *res_path(struct parse *p, size_t i)
{
    return arena_printf(p->a, "Bundle.entry[%zu].resource", i);
}

/* The path of member name under base, in the arena. */
static const char *sub(struct parse *p, const char *base, const char *name)
{
    return arena_printf(p->a, "%s.%s", base, name);
}

/* Entry i's resource (an object), or NULL. */
static const json_t *entry_resource(struct parse *p, size_t i)
{
    const json_t *e = json_array_get(p->entries, i);
    const json_t *r = json_is_object(e) ? json_object_get(e, "resource") : NULL;
    return json_is_object(r) ? r : NULL;
}

/* The resource's resourceType, or "". */
static const char *res_type(const json_t *res)
{
    const char *t = json_string_value(json_object_get(res, "resourceType"));
    return t ? t : "";
}

/*
 * Member name of obj as a non-empty string. Absent: NULL (and an issue
 * "required" when required). Of another type or empty: NULL with an issue
 * "invalid" whatever required says.
 */
static const char *get_str(struct parse *p, const json_t *obj, const char *name, const char *base,
                           bool required, const char *what)
{
    const json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        if (required)
            fhir_issue(p->is, "required", sub(p, base, name), "%s is required (%s.%s)", what, base,
                       name);
        return NULL;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || !text_utf8_valid(s)) {
        fhir_issue(p->is, "invalid", sub(p, base, name), "%s must be a non-empty string (%s.%s)",
                   what, base, name);
        return NULL;
    }
    return s;
}

/* Member name of obj when it is an array; NULL (with an issue "invalid")
 * when it is something else, NULL quietly when absent. */
static const json_t *get_array(struct parse *p, const json_t *obj, const char *name,
                               const char *base)
{
    const json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_array(v)) {
        fhir_issue(p->is, "invalid", sub(p, base, name), "%s.%s must be an array", base, name);
        return NULL;
    }
    return v;
}

/* Does entry i answer reference ref ("urn:uuid:...", "Type/id", or a full URL)? */
static bool entry_matches(struct parse *p, size_t i, const char *ref)
{
    const json_t *e = json_array_get(p->entries, i);
    const char *full = json_string_value(json_object_get(e, "fullUrl"));
    if (full && strcmp(full, ref) == 0) return true;
    const json_t *res = entry_resource(p, i);
    const char *id = res ? json_string_value(json_object_get(res, "id")) : NULL;
    if (!id) return false;
    const char *type = res_type(res);
    size_t tl = strlen(type), il = strlen(id), rl = strlen(ref);
    if (strncmp(ref, type, tl) == 0 && ref[tl] == '/' && strcmp(ref + tl + 1, id) == 0) return true;
    /* A full URL ending in /Type/id, compared in place: this runs for
     * every reference against every entry, so it must not allocate (a
     * long id times many references would otherwise fill the arena). */
    if (rl <= tl + il + 2) return false;
    const char *t = ref + rl - il - tl - 2;
    return t[0] == '/' && strncmp(t + 1, type, tl) == 0 && t[tl + 1] == '/' &&
           strcmp(t + tl + 2, id) == 0;
}

/*
 * Resolve the Reference at base (an object with "reference") to an entry
 * whose resource has type want. Returns the entry's index, or -1 after an
 * issue (required when absent and required, not-found when it names
 * nothing of that type in the Bundle).
 */
static long resolve(struct parse *p, const json_t *refobj, const char *base, const char *want,
                    bool required)
{
    if (!refobj || json_is_null(refobj)) {
        if (required)
            fhir_issue(p->is, "required", base, "%s must refer to a %s in the Bundle", base, want);
        return -1;
    }
    if (!json_is_object(refobj)) {
        fhir_issue(p->is, "invalid", base, "%s must be a Reference", base);
        return -1;
    }
    const char *ref = get_str(p, refobj, "reference", base, required, "the reference");
    if (!ref) return -1;
    for (size_t i = 0; i < p->nentries; i++) {
        const json_t *res = entry_resource(p, i);
        if (res && strcmp(res_type(res), want) == 0 && entry_matches(p, i, ref)) return (long)i;
    }
    fhir_issue(p->is, "not-found", sub(p, base, "reference"),
               "%s.reference \"%s\" names no %s in the Bundle", base, ref, want);
    return -1;
}

/* The first entry holding a resource of type want, or -1. */
static long find_type(struct parse *p, const char *want)
{
    for (size_t i = 0; i < p->nentries; i++) {
        const json_t *res = entry_resource(p, i);
        if (res && strcmp(res_type(res), want) == 0) return (long)i;
    }
    return -1;
}

/* The value of the first identifier of res with this system (NULL when none);
 * *path is set to its path. */
static const char *identifier_value(struct parse *p, const json_t *res, const char *base,
                                    const char *system, const char **path)
{
    const json_t *ids = get_array(p, res, "identifier", base);
    for (size_t i = 0; ids && i < json_array_size(ids); i++) {
        const json_t *id = json_array_get(ids, i);
        const char *sys = json_string_value(json_object_get(id, "system"));
        if (!sys || strcmp(sys, system) != 0) continue;
        const char *ipath = arena_printf(p->a, "%s.identifier[%zu]", base, i);
        *path = sub(p, ipath, "value");
        const char *v = get_str(p, id, "value", ipath, true, "the identifier's value");
        return v ? v : "";
    }
    return NULL;
}

/* MessageHeader: id, event, source, sender, focus. Returns the focus's entry or -1. */
static long read_header(struct parse *p, size_t at, struct fhir_referral_msg *m)
{
    const json_t *mh = entry_resource(p, at);
    const char *base = res_path(p, at);
    m->message_id = get_str(p, mh, "id", base, true, "the MessageHeader's id");
    const char *ev = sub(p, base, "eventCoding");
    const json_t *coding = json_object_get(mh, "eventCoding");
    if (!json_is_object(coding)) {
        fhir_issue(p->is, "required", ev, "The MessageHeader needs an eventCoding (%s)", ev);
    } else {
        const char *sys = get_str(p, coding, "system", ev, true, "the event's system");
        const char *code = get_str(p, coding, "code", ev, true, "the event's code");
        if (sys && strcmp(sys, FHIR_SYS_EVENTS) != 0)
            fhir_issue(p->is, "value", sub(p, ev, "system"), "The event's system must be %s",
                       FHIR_SYS_EVENTS);
        if (code && strcmp(code, FHIR_EVENT_REQUEST) != 0)
            fhir_issue(p->is, "value", sub(p, ev, "code"),
                       "The event \"%s\" is not one this server processes: send \"%s\"", code,
                       FHIR_EVENT_REQUEST);
    }
    const json_t *source = json_object_get(mh, "source");
    if (json_is_object(source))
        m->source_endpoint =
            get_str(p, source, "endpoint", sub(p, base, "source"), false, "the source's endpoint");
    const json_t *sender = json_object_get(mh, "sender");
    if (sender && !json_is_null(sender)) {
        const char *spath = sub(p, base, "sender");
        /* The sender may carry its identifier in the Reference itself. */
        const json_t *rid = json_is_object(sender) ? json_object_get(sender, "identifier") : NULL;
        const char *sys = json_string_value(json_object_get(rid, "system"));
        if (sys && strcmp(sys, FHIR_SYS_ODS) == 0) {
            m->sender_expr = sub(p, sub(p, spath, "identifier"), "value");
            m->sender_ods = get_str(p, rid, "value", sub(p, spath, "identifier"), true,
                                    "the sender's ODS code");
        }
        if (json_object_get(sender, "reference")) {
            long k = resolve(p, sender, spath, "Organization", false);
            const char *path = NULL;
            const char *ods = k >= 0 ? identifier_value(p, entry_resource(p, (size_t)k),
                                                        res_path(p, (size_t)k), FHIR_SYS_ODS, &path)
                                     : NULL;
            if (ods && !m->sender_ods) {
                m->sender_ods = ods;
                m->sender_expr = path;
            }
        }
    }
    const json_t *focus = get_array(p, mh, "focus", base);
    if (!focus || json_array_size(focus) == 0) {
        fhir_issue(p->is, "required", sub(p, base, "focus"),
                   "The MessageHeader's focus must refer to the ServiceRequest (%s.focus)", base);
        return -1;
    }
    return resolve(p, json_array_get(focus, 0), arena_printf(p->a, "%s.focus[0]", base),
                   "ServiceRequest", true);
}

/* The person's name: name[].text, else its given names and family name. */
static const char *read_name(struct parse *p, const json_t *pat, const char *base)
{
    const json_t *names = get_array(p, pat, "name", base);
    for (size_t i = 0; names && i < json_array_size(names); i++) {
        const json_t *n = json_array_get(names, i);
        if (!json_is_object(n)) continue;
        const char *text = json_string_value(json_object_get(n, "text"));
        if (text && *text && text_utf8_valid(text)) return text;
        buf b;
        buf_init(&b, p->a, 64);
        const json_t *given = json_object_get(n, "given");
        for (size_t g = 0; json_is_array(given) && g < json_array_size(given); g++) {
            const char *s = json_string_value(json_array_get(given, g));
            if (s && *s) buf_printf(&b, "%s%s", b.len ? " " : "", s);
        }
        const char *family = json_string_value(json_object_get(n, "family"));
        if (family && *family) buf_printf(&b, "%s%s", b.len ? " " : "", family);
        if (b.len && text_utf8_valid(b.data)) return b.data;
    }
    fhir_issue(p->is, "required", sub(p, base, "name"),
               "The Patient's name is required: name[0].text, or given and family (%s.name)", base);
    return NULL;
}

/* Patient: name, birthDate, NHS number, gender, postcode. */
static void read_patient(struct parse *p, size_t at, struct fhir_referral_msg *m)
{
    const json_t *pat = entry_resource(p, at);
    const char *base = res_path(p, at);
    m->patient_expr = base;
    m->name = read_name(p, pat, base);
    const char *dob = get_str(p, pat, "birthDate", base, true, "The Patient's birthDate");
    /* Issues name the element, never the person's value: integration
     * engines log OperationOutcomes, and personal data has no place there
     * (the domain's own messages do the same). */
    if (dob && !text_date_valid(dob))
        fhir_issue(p->is, "value", sub(p, base, "birthDate"),
                   "The Patient's birthDate is not a date written YYYY-MM-DD");
    else
        m->birth_date = dob;
    const char *path = NULL;
    const char *nhs = identifier_value(p, pat, base, FHIR_SYS_NHS_NUMBER, &path);
    if (nhs && *nhs) {
        const char *digits = nhs_number_normalise(p->a, nhs);
        if (!digits)
            fhir_issue(p->is, "value", path,
                       "The NHS number is not valid: it needs 10 digits passing the "
                       "modulus-11 check");
        m->nhs_number = digits;
    }
    const char *gender = get_str(p, pat, "gender", base, false, "The Patient's gender");
    if (gender) {
        static const char *const map[][2] = {{"female", "female"},
                                             {"male", "male"},
                                             {"other", "indeterminate"},
                                             {"unknown", "not_known"}};
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strcmp(gender, map[i][0]) == 0) m->sex = map[i][1];
        if (!m->sex)
            fhir_issue(p->is, "value", sub(p, base, "gender"),
                       "The Patient's gender \"%s\" is not one of male, female, other, unknown",
                       gender);
    }
    const json_t *addrs = get_array(p, pat, "address", base);
    for (size_t i = 0; addrs && i < json_array_size(addrs) && !m->postcode; i++) {
        const json_t *ad = json_array_get(addrs, i);
        if (json_is_object(ad))
            m->postcode =
                get_str(p, ad, "postalCode", arena_printf(p->a, "%s.address[%zu]", base, i), false,
                        "The postalCode");
    }
}

/* The HealthcareService among the ServiceRequest's performers, and its
 * identifier. Each performer is looked for among all the entries, so their
 * number is limited (FHIR_MAX_PERFORMERS): many performers times many
 * entries would keep the server busy for one request. */
static void read_service(struct parse *p, const json_t *sr, const char *base,
                         struct fhir_referral_msg *m)
{
    const json_t *perf = get_array(p, sr, "performer", base);
    if (json_array_size(perf) > FHIR_MAX_PERFORMERS) {
        fhir_issue(p->is, "invalid", sub(p, base, "performer"),
                   "The ServiceRequest names %zu performers: send at most %d (%s.performer)",
                   json_array_size(perf), FHIR_MAX_PERFORMERS, base);
        return;
    }
    for (size_t i = 0; perf && i < json_array_size(perf); i++) {
        const json_t *ref = json_array_get(perf, i);
        const char *s = json_string_value(json_object_get(ref, "reference"));
        for (size_t k = 0; s && k < p->nentries; k++) {
            const json_t *res = entry_resource(p, k);
            if (!res || strcmp(res_type(res), "HealthcareService") != 0 || !entry_matches(p, k, s))
                continue;
            const char *hbase = res_path(p, k);
            m->service_expr = sub(p, hbase, "identifier");
            const json_t *ids = get_array(p, res, "identifier", hbase);
            for (size_t j = 0; ids && j < json_array_size(ids) && !m->service_id; j++) {
                const char *v = json_string_value(json_object_get(json_array_get(ids, j), "value"));
                if (v && strncmp(v, "urn:uuid:", 9) == 0) v += 9;
                if (v && *v && text_utf8_valid(v)) m->service_id = v;
            }
            if (!m->service_id)
                fhir_issue(p->is, "required", m->service_expr,
                           "The HealthcareService needs an identifier naming the directory "
                           "service (%s)",
                           m->service_expr);
            return;
        }
    }
    fhir_issue(p->is, "required", sub(p, base, "performer"),
               "The ServiceRequest's performer must refer to a HealthcareService in the Bundle "
               "(%s.performer)",
               base);
}

/* ServiceRequest: status, intent, subject, performer, reasonCode, note, priority.
 * Returns the subject's entry or -1. */
static long read_request(struct parse *p, size_t at, struct fhir_referral_msg *m)
{
    const json_t *sr = entry_resource(p, at);
    const char *base = res_path(p, at);
    m->sr_expr = base;
    const char *status = get_str(p, sr, "status", base, true, "The ServiceRequest's status");
    if (status && strcmp(status, "draft") != 0 && strcmp(status, "active") != 0)
        fhir_issue(p->is, "value", sub(p, base, "status"),
                   "The ServiceRequest's status \"%s\" cannot be processed: send draft or active",
                   status);
    else
        m->status = status;
    static const char *const intents[] = {"proposal",     "plan",           "directive",
                                          "order",        "original-order", "reflex-order",
                                          "filler-order", "instance-order", "option"};
    const char *intent = get_str(p, sr, "intent", base, true, "The ServiceRequest's intent");
    bool ok = !intent;
    for (size_t i = 0; intent && i < sizeof intents / sizeof intents[0]; i++)
        ok = ok || strcmp(intent, intents[i]) == 0;
    if (!ok)
        fhir_issue(p->is, "value", sub(p, base, "intent"), "The intent \"%s\" is not a FHIR intent",
                   intent);
    const char *prio = get_str(p, sr, "priority", base, false, "The priority");
    m->urgency = "routine";
    if (prio) {
        if (strcmp(prio, "urgent") == 0 || strcmp(prio, "asap") == 0 || strcmp(prio, "stat") == 0)
            m->urgency = "urgent";
        else if (strcmp(prio, "routine") != 0)
            fhir_issue(p->is, "value", sub(p, base, "priority"),
                       "The priority \"%s\" is not one of routine, urgent, asap, stat", prio);
    }
    read_service(p, sr, base, m);
    /* Needs: every coding's code; the caller keeps those that are taxonomy terms. */
    const json_t *reasons = get_array(p, sr, "reasonCode", base);
    size_t max = 0;
    for (size_t i = 0; reasons && i < json_array_size(reasons); i++) {
        const json_t *codings = json_object_get(json_array_get(reasons, i), "coding");
        max += json_is_array(codings) ? json_array_size(codings) : 0;
    }
    m->needs = arena_alloc(p->a, sizeof *m->needs * (max ? max : 1));
    for (size_t i = 0; reasons && i < json_array_size(reasons); i++) {
        const json_t *codings = json_object_get(json_array_get(reasons, i), "coding");
        for (size_t j = 0; json_is_array(codings) && j < json_array_size(codings); j++) {
            const char *code =
                json_string_value(json_object_get(json_array_get(codings, j), "code"));
            if (!code || !*code || !text_utf8_valid(code)) continue;
            m->needs[m->nneeds].code = code;
            m->needs[m->nneeds].expression =
                arena_printf(p->a, "%s.reasonCode[%zu].coding[%zu].code", base, i, j);
            m->nneeds++;
        }
    }
    const json_t *notes = get_array(p, sr, "note", base);
    buf b;
    buf_init(&b, p->a, 64);
    for (size_t i = 0; notes && i < json_array_size(notes); i++) {
        const char *t = json_string_value(json_object_get(json_array_get(notes, i), "text"));
        if (t && *t && text_utf8_valid(t)) buf_printf(&b, "%s%s", b.len ? "\n\n" : "", t);
    }
    if (b.len) m->notes = b.data;
    return resolve(p, json_object_get(sr, "subject"), sub(p, base, "subject"), "Patient", true);
}

/* See fhir.h. */
bool fhir_message_parse(arena *a, const json_t *bundle, struct fhir_referral_msg *m,
                        struct fhir_issues *is)
{
    memset(m, 0, sizeof *m);
    struct parse p = {.a = a, .is = is};
    int before = is->n;
    if (!json_is_object(bundle)) {
        is->structural = true;
        fhir_issue(is, "invalid", "Bundle", "The body must be a FHIR Bundle (a JSON object)");
        return false;
    }
    const char *rt = json_string_value(json_object_get(bundle, "resourceType"));
    if (!rt || strcmp(rt, "Bundle") != 0) {
        is->structural = true;
        fhir_issue(is, "invalid", "Bundle.resourceType",
                   "The resourceType must be \"Bundle\", not %s%s%s", rt ? "\"" : "",
                   rt ? rt : "absent", rt ? "\"" : "");
    }
    const char *type = json_string_value(json_object_get(bundle, "type"));
    if (!type || strcmp(type, "message") != 0) {
        is->structural = true;
        fhir_issue(is, "value", "Bundle.type", "The Bundle's type must be \"message\", not %s%s%s",
                   type ? "\"" : "", type ? type : "absent", type ? "\"" : "");
    }
    p.entries = json_object_get(bundle, "entry");
    if (!json_is_array(p.entries) || json_array_size(p.entries) == 0) {
        is->structural = true;
        fhir_issue(is, "required", "Bundle.entry",
                   "The Bundle has no entries: a message needs a MessageHeader first");
        return false;
    }
    p.nentries = json_array_size(p.entries);
    for (size_t i = 0; i < p.nentries; i++) {
        const json_t *res = entry_resource(&p, i);
        if (!res || !*res_type(res)) {
            is->structural = true;
            fhir_issue(is, "invalid", arena_printf(a, "Bundle.entry[%zu]", i),
                       "Bundle.entry[%zu] must hold a resource with a resourceType", i);
        }
    }
    long mh = find_type(&p, "MessageHeader");
    long sr = -1;
    if (mh < 0) {
        is->structural = true;
        fhir_issue(is, "required", "Bundle.entry[0]",
                   "The Bundle has no MessageHeader: it must be the first entry");
    } else {
        if (mh != 0) {
            is->structural = true;
            fhir_issue(is, "invalid", res_path(&p, (size_t)mh),
                       "The MessageHeader must be the first entry, not Bundle.entry[%ld]", mh);
        }
        sr = read_header(&p, (size_t)mh, m);
    }
    /* Without a usable focus, read the first ServiceRequest anyway, so the
     * answer lists its problems too. */
    if (sr < 0) sr = find_type(&p, "ServiceRequest");
    long pat = -1;
    if (sr < 0)
        fhir_issue(is, "required", "Bundle.entry", "The Bundle carries no ServiceRequest");
    else
        pat = read_request(&p, (size_t)sr, m);
    if (pat < 0) pat = find_type(&p, "Patient");
    if (pat < 0)
        fhir_issue(is, "required", "Bundle.entry", "The Bundle carries no Patient");
    else
        read_patient(&p, (size_t)pat, m);
    return is->n == before;
}
