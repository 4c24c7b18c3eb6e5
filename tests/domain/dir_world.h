/*
 * dir_world.h: what the directory's unit tests share: JSON from text, and
 * the organization, taxonomy and term the services in them refer to.
 */
#ifndef CHIS_TEST_DIR_WORLD_H
#define CHIS_TEST_DIR_WORLD_H

#include "domain/directory.h"
#include "unit.h"

#include <jansson.h>

/* A service's list summary in SQL, as the search cuts it: the first
 * summary_len bytes of its document, closed. */
#define DIR_SUMMARY_SQL "(CAST(substr(CAST(document AS BLOB), 1, summary_len) AS TEXT) || '}')"

/* A JSON document from text (asserts it parses). */
static inline json_t *J(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v) fail_msg("bad test JSON: %s", err.text);
    return v;
}

/* The organization org-1 (Calder Arts), the taxonomy tax-1 and its term
 * term-sing (Singing). */
static inline void dir_world_basics(struct fx *f)
{
    json_t *org = J("{\"id\":\"org-1\",\"name\":\"Calder Arts\",\"description\":\"A charity\"}");
    assert_int_equal(dir_organization_store(&f->c, org, 0), RES_OK);
    json_decref(org);
    json_t *tax = J("{\"id\":\"tax-1\",\"name\":\"Activities\",\"description\":\"What\"}");
    assert_int_equal(dir_taxonomy_store(&f->c, tax), RES_OK);
    json_decref(tax);
    json_t *term = J("{\"id\":\"term-sing\",\"name\":\"Singing\",\"taxonomy_id\":\"tax-1\"}");
    assert_int_equal(dir_taxonomy_term_store(&f->c, term), RES_OK);
    json_decref(term);
}

#endif
