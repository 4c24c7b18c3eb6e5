/*
 * fuzz_fhir_bundle.c: reading an incoming FHIR message Bundle
 * (api/fhir_parse.c) is safe on any input. Whatever JSON arrives,
 * fhir_message_parse() returns without a memory error; it says "valid"
 * exactly when it listed no issue; every issue has a type and a sentence;
 * a structural problem is never called valid; a valid message carries
 * everything the server goes on to use (the message id, a name, a real
 * birth date, draft or active, the service, a routine or urgent priority,
 * an NHS number of 10 digits when there is one); and reading the same
 * document again gives the same answer; and the memory it takes stays in
 * proportion to the input (a reference compared with every entry once
 * allocated for each comparison: gigabytes from a megabyte).
 */
#include "api/fhir.h"
#include "base/text.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) abort();
        ready = 1;
    }
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!doc) return 0;
    arena *a = arena_new(4096);
    struct fhir_issues is;
    fhir_issues_init(&is, a);
    struct fhir_referral_msg m;
    bool ok = fhir_message_parse(a, doc, &m, &is);
    if (ok != (is.n == 0)) abort();
    if (ok && is.structural) abort();
    for (int i = 0; i < is.n; i++)
        if (!is.v[i].code || !*is.v[i].code || !is.v[i].diagnostics || !*is.v[i].diagnostics)
            abort();
    if (ok) {
        if (!m.message_id || !m.name || !m.birth_date || !text_date_valid(m.birth_date)) abort();
        if (!m.status || (strcmp(m.status, "draft") != 0 && strcmp(m.status, "active") != 0))
            abort();
        if (!m.service_id || !*m.service_id) abort();
        if (!m.urgency || (strcmp(m.urgency, "routine") != 0 && strcmp(m.urgency, "urgent") != 0))
            abort();
        if (m.nhs_number && strlen(m.nhs_number) != 10) abort();
        if (!m.patient_expr || !m.sr_expr || !m.service_expr) abort();
        for (int i = 0; i < m.nneeds; i++)
            if (!m.needs[i].code || !m.needs[i].expression) abort();
    }
    /* Paths, issues and copies of strings: a few times the input at most. */
    if (arena_used(a) > 64 * size + 64 * 1024) abort();
    json_t *oo = fhir_outcome_json(&is);
    if (!oo) abort();
    json_decref(oo);

    /* The same document again: the same verdict and the same number of issues. */
    json_t *copy = json_deep_copy(doc);
    struct fhir_issues again;
    fhir_issues_init(&again, a);
    struct fhir_referral_msg m2;
    if (fhir_message_parse(a, copy, &m2, &again) != ok || again.n != is.n ||
        again.structural != is.structural)
        abort();
    json_decref(copy);
    json_decref(doc);
    arena_free(a);
    return 0;
}
