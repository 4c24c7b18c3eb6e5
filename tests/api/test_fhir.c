/*
 * test_fhir.c: reading an incoming BaRS-shaped message Bundle
 * (api/fhir_parse.c) without a server: what a valid message yields, and
 * that every problem of an invalid one is named by its FHIRPath, with the
 * structural ones (not a message Bundle at all) marked for a 400; that
 * reading stays in proportion to the message, and that issues neither repeat
 * personal data nor vanish for bytes that are not UTF-8. Also the status
 * mapping of the export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/fhir.h"
#include "unit.h"

#define FIX "tests/fixtures/fhir/"
#define CHOIR "e8e31516-a7c9-41d1-9782-41b5f3eee646"

/* The fixture as a JSON tree (the test owns it). */
static json_t *load(const char *name)
{
    json_error_t err;
    json_t *j = json_load_file(name, 0, &err);
    if (!j) fail_msg("%s: %s", name, err.text);
    return j;
}

/* The issue at this expression, or NULL. */
static const struct fhir_issue *issue_at(const struct fhir_issues *is, const char *expr)
{
    for (int i = 0; i < is->n; i++)
        if (is->v[i].expression && strcmp(is->v[i].expression, expr) == 0) return &is->v[i];
    return NULL;
}

/* Parse j into m and is (in the fixture's arena). */
static bool parse(struct fx *f, json_t *j, struct fhir_referral_msg *m, struct fhir_issues *is)
{
    fhir_issues_init(is, f->c.a);
    return fhir_message_parse(f->c.a, j, m, is);
}

/* A valid message: every field it carries, normalised. */
static void valid_message_is_read(void **state)
{
    struct fx *f = *state;
    json_t *j = load(FIX "referral-request.json");
    struct fhir_referral_msg m;
    struct fhir_issues is;
    assert_true(parse(f, j, &m, &is));
    assert_int_equal(is.n, 0);
    assert_string_equal(m.message_id, "6a1d2c7e-0b43-4f4e-8f6e-1c2b3a4d5e01");
    assert_string_equal(m.source_endpoint, "https://referrer.example.org/fhir");
    assert_null(m.sender_ods);
    assert_string_equal(m.name, "Morag Ellen Fictitious");
    assert_string_equal(m.birth_date, "1948-03-14");
    assert_string_equal(m.nhs_number, "9434765919");
    assert_string_equal(m.sex, "female");
    assert_string_equal(m.postcode, "RV2 4AB");
    assert_string_equal(m.status, "active");
    assert_string_equal(m.urgency, "urgent");
    assert_string_equal(m.service_id, CHOIR);
    assert_int_equal(m.nneeds, 2);
    assert_string_equal(m.needs[0].code, "e5da9343-4503-4f7d-bd58-ca5897bc7c75");
    assert_string_equal(m.needs[1].expression,
                        "Bundle.entry[1].resource.reasonCode[1].coding[0].code");
    assert_string_equal(m.notes, "Recently bereaved; loves singing. Prefers morning sessions.");
    assert_string_equal(m.patient_expr, "Bundle.entry[2].resource");
    assert_string_equal(m.sr_expr, "Bundle.entry[1].resource");
    json_decref(j);
}

/* Every content problem is listed, each at its element; none structural. */
static void every_problem_is_named(void **state)
{
    struct fx *f = *state;
    json_t *j = load(FIX "referral-request-invalid.json");
    struct fhir_referral_msg m;
    struct fhir_issues is;
    assert_false(parse(f, j, &m, &is));
    assert_false(is.structural);
    const struct fhir_issue *i = issue_at(&is, "Bundle.entry[2].resource.birthDate");
    assert_non_null(i);
    assert_string_equal(i->code, "required");
    i = issue_at(&is, "Bundle.entry[2].resource.identifier[0].value");
    assert_non_null(i);
    assert_string_equal(i->code, "value");
    assert_non_null(strstr(i->diagnostics, "modulus-11"));
    assert_non_null(issue_at(&is, "Bundle.entry[2].resource.gender"));
    assert_non_null(issue_at(&is, "Bundle.entry[1].resource.status"));
    assert_int_equal(is.n, 4);
    /* The sender's ODS code is read for the caller to compare. */
    assert_string_equal(m.sender_ods, "X99999");
    assert_string_equal(m.sender_expr, "Bundle.entry[3].resource.identifier[0].value");
    json_t *oo = fhir_outcome_json(&is);
    assert_string_equal(json_string_value(json_object_get(oo, "resourceType")), "OperationOutcome");
    json_t *first = json_array_get(json_object_get(oo, "issue"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "severity")), "error");
    assert_true(json_is_array(json_object_get(first, "expression")));
    json_decref(oo);
    json_decref(j);
}

/* Not a message Bundle: structural problems (a 400), still all listed. */
static void structural_problems(void **state)
{
    struct fx *f = *state;
    struct fhir_referral_msg m;
    struct fhir_issues is;
    json_t *j = json_pack("[i]", 1);
    assert_false(parse(f, j, &m, &is));
    assert_true(is.structural);
    assert_non_null(issue_at(&is, "Bundle"));
    json_decref(j);

    j = load(FIX "referral-request.json");
    json_object_set_new(j, "resourceType", json_string("Patient"));
    json_object_set_new(j, "type", json_string("collection"));
    assert_false(parse(f, j, &m, &is));
    assert_true(is.structural);
    assert_non_null(issue_at(&is, "Bundle.resourceType"));
    assert_string_equal(issue_at(&is, "Bundle.type")->code, "value");
    json_decref(j);

    /* No MessageHeader: named, and the rest is still read. */
    j = load(FIX "referral-request.json");
    json_t *entries = json_object_get(j, "entry");
    json_array_remove(entries, 0);
    json_object_del(json_object_get(json_array_get(entries, 1), "resource"), "birthDate");
    assert_false(parse(f, j, &m, &is));
    assert_true(is.structural);
    assert_non_null(issue_at(&is, "Bundle.entry[0]"));
    assert_non_null(issue_at(&is, "Bundle.entry[1].resource.birthDate"));
    json_decref(j);

    /* No entries at all. */
    j = json_pack("{s:s, s:s, s:[]}", "resourceType", "Bundle", "type", "message", "entry");
    assert_false(parse(f, j, &m, &is));
    assert_true(is.structural);
    assert_string_equal(issue_at(&is, "Bundle.entry")->code, "required");
    json_decref(j);
}

/* References must resolve inside the Bundle. */
static void references_resolve_in_the_bundle(void **state)
{
    struct fx *f = *state;
    struct fhir_referral_msg m;
    struct fhir_issues is;
    json_t *j = load(FIX "referral-request.json");
    json_t *mh = json_object_get(json_array_get(json_object_get(j, "entry"), 0), "resource");
    json_object_set_new(json_array_get(json_object_get(mh, "focus"), 0), "reference",
                        json_string("urn:uuid:nothing-here"));
    assert_false(parse(f, j, &m, &is));
    const struct fhir_issue *i = issue_at(&is, "Bundle.entry[0].resource.focus[0].reference");
    assert_non_null(i);
    assert_string_equal(i->code, "not-found");
    /* The ServiceRequest is read all the same. */
    assert_string_equal(m.service_id, CHOIR);
    json_decref(j);

    /* "Type/id" references work as well as urn:uuid. */
    j = load(FIX "referral-request.json");
    json_t *sr = json_object_get(json_array_get(json_object_get(j, "entry"), 1), "resource");
    json_object_set_new(json_object_get(sr, "subject"), "reference",
                        json_string("Patient/6a1d2c7e-0b43-4f4e-8f6e-1c2b3a4d5e05"));
    assert_true(parse(f, j, &m, &is));
    json_decref(j);

    /* A performer that is not a HealthcareService leaves the service unnamed. */
    j = load(FIX "referral-request.json");
    sr = json_object_get(json_array_get(json_object_get(j, "entry"), 1), "resource");
    json_array_remove(json_object_get(sr, "performer"), 0);
    assert_false(parse(f, j, &m, &is));
    assert_non_null(issue_at(&is, "Bundle.entry[1].resource.performer"));
    json_decref(j);
}

/* Values of the wrong JSON type are invalid, not a crash or a silent skip. */
static void wrong_types(void **state)
{
    struct fx *f = *state;
    struct fhir_referral_msg m;
    struct fhir_issues is;
    json_t *j = load(FIX "referral-request.json");
    json_t *pat = json_object_get(json_array_get(json_object_get(j, "entry"), 2), "resource");
    json_object_set_new(pat, "birthDate", json_integer(1948));
    json_object_set_new(pat, "identifier", json_string("9434765919"));
    json_object_set_new(pat, "name", json_array());
    assert_false(parse(f, j, &m, &is));
    assert_string_equal(issue_at(&is, "Bundle.entry[2].resource.birthDate")->code, "invalid");
    assert_string_equal(issue_at(&is, "Bundle.entry[2].resource.identifier")->code, "invalid");
    assert_string_equal(issue_at(&is, "Bundle.entry[2].resource.name")->code, "required");
    json_decref(j);
}

/* The ServiceRequest of the fixture (borrowed). */
static json_t *request_of(json_t *j)
{
    return json_object_get(json_array_get(json_object_get(j, "entry"), 1), "resource");
}

/* n performers referring to nothing, and a HealthcareService entry whose id
 * is idlen characters long (each performer is compared with it). */
static void add_decoys(json_t *j, size_t n, size_t idlen)
{
    char *id = malloc(idlen + 1);
    memset(id, 'x', idlen);
    id[idlen] = 0;
    json_array_append_new(
        json_object_get(j, "entry"),
        json_pack("{s:{s:s, s:s}}", "resource", "resourceType", "HealthcareService", "id", id));
    free(id);
    json_t *perf = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(perf, json_pack("{s:s}", "reference", "urn:uuid:elsewhere"));
    json_object_set_new(request_of(j), "performer", perf);
}

/* Reading a message uses memory in proportion to it: references are matched
 * against entries in place (a long id times many performers once filled the
 * arena with gigabytes), and a ServiceRequest names at most
 * FHIR_MAX_PERFORMERS performers. */
static void memory_stays_in_proportion(void **state)
{
    struct fx *f = *state;
    struct fhir_referral_msg m;
    struct fhir_issues is;
    json_t *j = load(FIX "referral-request.json");
    add_decoys(j, FHIR_MAX_PERFORMERS, 200000);
    size_t before = arena_used(f->c.a);
    assert_false(parse(f, j, &m, &is));
    assert_true(arena_used(f->c.a) - before < 256 * 1024);
    assert_string_equal(issue_at(&is, "Bundle.entry[1].resource.performer")->code, "required");
    json_decref(j);

    j = load(FIX "referral-request.json");
    add_decoys(j, 5000, 20000);
    before = arena_used(f->c.a);
    assert_false(parse(f, j, &m, &is));
    assert_true(arena_used(f->c.a) - before < 256 * 1024);
    const struct fhir_issue *i = issue_at(&is, "Bundle.entry[1].resource.performer");
    assert_non_null(i);
    assert_string_equal(i->code, "invalid");
    assert_non_null(strstr(i->diagnostics, "at most 16"));
    json_decref(j);

    /* Full URLs ending in Type/id still resolve, and only to that type. */
    j = load(FIX "referral-request.json");
    json_object_set_new(json_object_get(request_of(j), "subject"), "reference",
                        json_string("https://elsewhere.example/fhir/Patient/"
                                    "6a1d2c7e-0b43-4f4e-8f6e-1c2b3a4d5e05"));
    assert_true(parse(f, j, &m, &is));
    json_object_set_new(json_object_get(request_of(j), "subject"), "reference",
                        json_string("https://elsewhere.example/fhir/Organization/"
                                    "6a1d2c7e-0b43-4f4e-8f6e-1c2b3a4d5e05"));
    assert_false(parse(f, j, &m, &is));
    assert_string_equal(issue_at(&is, "Bundle.entry[1].resource.subject.reference")->code,
                        "not-found");
    json_object_set_new(json_object_get(request_of(j), "subject"), "reference",
                        json_string("Patient/6a1d2c7e-0b43-4f4e-8f6e-1c2b3a4d5e05"));
    assert_true(parse(f, j, &m, &is));
    json_decref(j);
}

/* An issue does not repeat the person's NHS number or date of birth. */
static void issues_do_not_repeat_personal_data(void **state)
{
    struct fx *f = *state;
    struct fhir_referral_msg m;
    struct fhir_issues is;
    json_t *j = load(FIX "referral-request.json");
    json_t *pat = json_object_get(json_array_get(json_object_get(j, "entry"), 2), "resource");
    json_object_set_new(pat, "birthDate", json_string("14/03/1948"));
    json_object_set_new(json_array_get(json_object_get(pat, "identifier"), 0), "value",
                        json_string("943 476 5918"));
    assert_false(parse(f, j, &m, &is));
    assert_non_null(issue_at(&is, "Bundle.entry[2].resource.birthDate"));
    assert_non_null(issue_at(&is, "Bundle.entry[2].resource.identifier[0].value"));
    for (int i = 0; i < is.n; i++) {
        assert_null(strstr(is.v[i].diagnostics, "1948"));
        assert_null(strstr(is.v[i].diagnostics, "5918"));
    }
    json_decref(j);
}

/* Text that is not UTF-8 (a query parameter's name, say) still makes an
 * issue, with the bad bytes replaced, rather than an empty OperationOutcome. */
static void issues_are_always_utf8(void **state)
{
    struct fx *f = *state;
    struct fhir_issues is;
    fhir_issues_init(&is, f->c.a);
    fhir_issue(&is, "invalid", NULL, "'%s' is not a parameter here", "a\xff\xc3z");
    assert_string_equal(is.v[0].diagnostics, "'a??z' is not a parameter here");
    json_t *oo = fhir_outcome_json(&is);
    assert_int_equal(json_array_size(json_object_get(oo, "issue")), 1);
    json_decref(oo);
}

/* chis statuses map onto ServiceRequest statuses. */
static void status_mapping(void **state)
{
    (void)state;
    static const char *const map[][2] = {
        {"draft", "draft"},       {"sent", "active"},       {"accepted", "active"},
        {"waitlisted", "active"}, {"started", "active"},    {"completed", "completed"},
        {"declined", "revoked"},  {"cancelled", "revoked"}, {"dropped_out", "revoked"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        assert_string_equal(fhir_request_status(map[i][0]), map[i][1]);
    assert_true(fhir_is_uuid(CHOIR));
    assert_false(fhir_is_uuid("e8e31516-a7c9-41d1-9782-41b5f3eee64"));
    assert_false(fhir_is_uuid("e8e31516xa7c9-41d1-9782-41b5f3eee646"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(valid_message_is_read, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(every_problem_is_named, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(structural_problems, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(references_resolve_in_the_bundle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(wrong_types, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(memory_stays_in_proportion, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(issues_do_not_repeat_personal_data, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(issues_are_always_utf8, fx_setup, fx_teardown),
        cmocka_unit_test(status_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
