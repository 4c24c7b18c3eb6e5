/*
 * pages_directory_org.c: the form that adds an organisation to the
 * directory (an HSDS organization linked to a chis organisation), under
 * /directory/manage/organizations/new. A provider's is linked to their own
 * organisation; leads choose which (the domain checks they may act for it).
 */
#include "base/text.h"
#include "domain/dir_edit.h"
#include "domain/structure.h"
#include "web/pages_directory_edit.h"
#include "web/web.h"

/* The form adding the caller's organisation (or, for leads, any) to the directory. */
static void render_org(struct req *r, int status, const struct form_errors *fe)
{
    bool posted = req_method_is(r, "POST");
    const struct actor *me = r->ctx.actor;
    buf b;
    buf_init(&b, r->a, 8192);
    dm_breadcrumbs(&b, NULL, NULL);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    ui_error_summary(&b, fe);
    H(&b, "<h1>Add an organisation to the directory</h1><p>The directory shows who runs each"
          " service. This adds the organisation's directory entry; it appears with its"
          " services.</p>");
    H(&b, "<form method=\"post\" action=\"" DM_BASE "/organizations/new\" novalidate>");
    ui_hidden(&b, "csrf", me->csrf);
    if (me->role != ROLE_PROVIDER) {
        int n;
        struct ui_option *opts = dm_entity_options(r, &entity_organisations, &n);
        opts[0].text = "Choose an organisation";
        struct ui_field f = {"organisation_id", "organisation in chis",
                             "The organisation this entry is for",
                             form_error_for(fe, "organisation_id"), NULL};
        ui_select(&b, &f,
                  dm_with_selected(r->a, opts, n, posted ? req_form(r, "organisation_id") : NULL),
                  n);
    }
    dm_input(&b, fe, "name", "name", "As the public knows it", posted ? dm_field(r, "name") : NULL,
             "text", NULL);
    struct ui_field f = {"description", "description", "What the organisation does",
                         form_error_for(fe, "description"),
                         posted ? dm_field(r, "description") : NULL};
    ui_textarea(&b, &f, 4);
    dm_input(&b, fe, "email", "email address", NULL, posted ? dm_field(r, "email") : NULL, "email",
             NULL);
    dm_input(&b, fe, "website", "website", NULL, posted ? dm_field(r, "website") : NULL, "url",
             NULL);
    H(&b, "<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\""
          " data-module=\"nhsuk-button\" type=\"submit\">Add the organisation</button>"
          "<a class=\"nhsuk-link\" href=\"" DM_BASE "\">Cancel</a></div></form></div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, status, "Add an organisation to the directory", DM_SECTION, &main);
}

/* GET /directory/manage/organizations/new */
void dm_page_org_new(struct req *r)
{
    render_org(r, 200, NULL);
}

/* POST /directory/manage/organizations/new: 303 to adding a service for it. */
void dm_page_org_create(struct req *r)
{
    json_t *org = json_object();
    static const char *const members[] = {"name", "description", "email", "website", NULL};
    for (const char *const *m = members; *m; m++)
        dm_set_text(org, *m, dm_field(r, *m));
    const char *link = dm_field(r, "organisation_id");
    long long organisation_id = text_id(link);
    json_t *out = NULL;
    bool created = false;
    result res = RES_INVALID;
    if (link && !organisation_id)
        ctx_field_error(&r->ctx, "organisation_id", "Choose the organisation from the list");
    else
        res = dir_edit_organization_save(&r->ctx, org, organisation_id, &out, &created);
    json_decref(org);
    if (res == RES_OK) {
        resp_redirect(
            r, arena_printf(r->a, DM_BASE "/new?organization_id=%s",
                            url_encode(r->a, json_string_value(json_object_get(out, "id")))));
    } else if (res == RES_INVALID) {
        struct form_errors fe = form_errors_refused(r);
        render_org(r, 422, &fe);
    } else {
        page_for_result(r, res);
    }
    json_decref(out);
}
