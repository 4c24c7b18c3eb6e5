/*
 * examples.c: illustrative examples (case studies) as records, and the
 * shipping of chis's own examples into every database.
 */
#include "domain/examples.h"

#include <string.h>

static const struct field_rule example_fields[] = {
    {.col = {"slug", COL_TEXT},
     .type = F_TEXT,
     .label = "slug",
     .required = true,
     .unique = true,
     .maxlen = 80,
     .hint = "Its lasting name: lower-case letters, digits and hyphens, like "
             "kirklees-creative-health-partnership. It cannot be changed later"},
    {.col = {"title", COL_TEXT}, .type = F_TEXT, .label = "title", .required = true},
    {.col = {"system_name", COL_TEXT},
     .type = F_TEXT,
     .label = "system",
     .required = true,
     .hint = "The integrated care system it comes from"},
    {.col = {"place_name", COL_TEXT},
     .type = F_TEXT,
     .label = "place",
     .hint = "Leave empty for an example about a whole system"},
    {.col = {"illustrates", COL_TEXT},
     .type = F_TEXT,
     .label = "actions illustrated",
     .required = true,
     .maxlen = 300,
     .hint = "The toolkit actions it shows, like: leadership: champions; networks"},
    {.col = {"body_markdown", COL_TEXT},
     .type = F_LONGTEXT,
     .label = "text",
     .required = true,
     .maxlen = EXAMPLE_BODY_MAX,
     .hint = "In Markdown: ## headings, *emphasis*, **strong**, lists starting - or 1., "
             "`code` and [links](https://example.org). HTML is shown as text"},
};

static const struct store_filter_spec example_filters[] = {
    {.param = "q", .kind = FILTER_TEXT, .column = "title,system_name,place_name,illustrates"},
};

/* Is s a slug: 3-80 of a-z, 0-9 and single inner hyphens? */
static bool valid_slug(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 80 || s[0] == '-' || s[n - 1] == '-') return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        if (!ok || (ch == '-' && s[i + 1] == '-')) return false;
    }
    return true;
}

/* The slug is well formed, and stays what it was: shipped examples are found by it. */
static result example_check(struct ctx *c, const struct entity *e, rec *proposed,
                            const rec *existing)
{
    (void)e;
    const char *slug = rec_text(proposed, "slug");
    if (slug && !valid_slug(slug))
        ctx_field_error(c, "slug",
                        "The slug must be 3 to 80 lower-case letters, digits and single hyphens");
    else if (slug && existing && strcmp(slug, rec_text(existing, "slug")) != 0)
        ctx_field_error(c, "slug", "The slug cannot be changed");
    return c->nerrors ? RES_INVALID : RES_OK;
}

const struct entity entity_examples = {
    .name = "examples",
    .singular = "example",
    .title = "Examples",
    .table = ENTITY_TABLE("examples", example_fields, "title"),
    .fields = example_fields,
    .nfields = ENTITY_COUNT(example_fields),
    .filters = example_filters,
    .nfilters = ENTITY_COUNT(example_filters),
    .authorise = entity_authorise_leads,
    .check = example_check,
};

/* How many shipped examples are missing from the database; -1 if it cannot be read. */
static long long missing_examples(struct ctx *c)
{
    long long missing = 0;
    for (size_t i = 0; i < shipped_examples_len; i++) {
        long long id = 0;
        int rc = store_query_int(c->db, &id, "SELECT id FROM examples WHERE slug = $1", "t",
                                 shipped_examples[i].slug);
        if (rc < 0) return -1;
        missing += rc == 0;
    }
    return missing;
}

/*
 * See examples.h. A read first, so that opening a database that has them
 * all takes no write lock; then, in one write transaction, each missing
 * one is added through entity_create (validated and audited). Checking
 * again inside the transaction means two processes opening the same new
 * database cannot both add them.
 */
result examples_ensure(struct ctx *c)
{
    long long missing = missing_examples(c);
    if (missing < 0) return ctx_store_failure(c, STORE_E_ERROR, "examples");
    if (missing == 0) return RES_OK;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "examples");
    for (size_t i = 0; i < shipped_examples_len; i++) {
        const struct shipped_example *x = &shipped_examples[i];
        long long id = 0;
        int rc =
            store_query_int(c->db, &id, "SELECT id FROM examples WHERE slug = $1", "t", x->slug);
        if (rc == 1) continue;
        if (rc < 0) {
            store_rollback(c->db);
            return ctx_store_failure(c, rc, "examples");
        }
        rec *r = rec_new(c->a);
        rec_set_text(r, "slug", x->slug);
        rec_set_text(r, "title", x->title);
        rec_set_text(r, "system_name", x->system_name);
        rec_set_text(r, "place_name", x->place_name);
        rec_set_text(r, "illustrates", x->illustrates);
        rec_set_text(r, "body_markdown", x->body_markdown);
        result res = entity_create(c, &entity_examples, r, NULL);
        if (res != RES_OK) {
            store_rollback(c->db);
            return res;
        }
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "examples commit");
    return RES_OK;
}

/* See examples.h: the same rule entity_authorise_leads applies to writes. */
bool examples_may_write(const struct ctx *c)
{
    return c->by_operator ||
           (c->actor && (c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_SYSTEM_LEAD));
}
