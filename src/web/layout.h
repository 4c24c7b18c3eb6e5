/*
 * layout.h: the page shell (head, NHS.UK header and navigation, main,
 * footer) and the NHS.UK frontend components the pages share: error
 * summary, form fields, pagination. Everything is written with H(), so it is
 * escaped by construction, and everything belongs to the request arena.
 *
 * The pages send a strict Content-Security-Policy: no inline script or
 * style, so nothing here writes a <script> body or a style attribute.
 */
#ifndef CHIS_WEB_LAYOUT_H
#define CHIS_WEB_LAYOUT_H

#include "http/request.h"
#include "base/html.h"

#include <stdbool.h>

/*
 * Send a complete HTML page: r->status = status, the content type, and the
 * shell around main. title names the page (the <title> becomes
 * "title – chis"); section is the navigation item to mark current ("/",
 * "/places", ...; NULL for none).
 */
void layout_page(struct req *r, int status, const char *title, const char *section,
                 const struct html_frag *main);

/*
 * Why a call failed, copied out of the ctx so that later domain calls (which
 * may fail on their own, e.g. loading choices for a select) cannot change
 * what the page reports. All pointers belong to the request arena.
 */
struct form_errors {
    const char *detail;
    const struct field_error *errors;
    int n;
    bool no_links; /* the fields are not on this page: list the messages without links */
};

struct form_errors form_errors_take(struct req *r);
/*
 * A form's POST was refused: its failure, copied out of the ctx (which is
 * cleared, so the page shown again reads cleanly). Field errors are listed
 * in the summary, linking to their controls; the detail only when there
 * are none.
 */
struct form_errors form_errors_refused(struct req *r);
/*
 * How a form's POST usually ends, from the domain's result: RES_OK
 * redirects to to, any failure but invalid input shows its page; both
 * answer true (done). RES_INVALID answers false: the caller shows the form
 * again with form_errors_refused().
 */
bool form_post_done(struct req *r, result res, const char *to);
/* The first message for a field, NULL when it has none. */
const char *form_error_for(const struct form_errors *fe, const char *field);

/*
 * The NHS.UK error summary: each field error links to #field-<name>; the
 * detail is shown when there are no field errors. Nothing when fe is empty.
 */
void ui_error_summary(buf *b, const struct form_errors *fe);

/* One option of a select, radio group or checkbox group. */
struct ui_option {
    const char *value;
    const char *text;
    bool selected;
};

/* What every form field needs; the element's id is "field-<name>". */
struct ui_field {
    const char *name;
    const char *label; /* shown with a capital first letter */
    const char *hint;  /* NULL: none */
    const char *error; /* NULL: none */
    const char *value; /* current text (inputs, textareas) */
};

/* An input; type is "text", "email", "tel", "url", "password", "search". attrs are
 * optional: autocomplete, inputmode (NULL: omit) and a width class. */
void ui_input(buf *b, const struct ui_field *f, const char *type, const char *autocomplete,
              const char *inputmode, const char *width_class, bool spellcheck_off);
void ui_textarea(buf *b, const struct ui_field *f, int rows);
void ui_select(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts);
/* A group of checkboxes sharing a name, in a fieldset with a legend. The
 * first box has id field-<name> so error links land on it. */
void ui_checkboxes(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts);
/* A radio group in a fieldset: the selected option checked; inline for
 * short answers. The first radio has id field-<name>. */
void ui_radios(buf *b, const struct ui_field *f, const struct ui_option *opts, int nopts,
               bool inline_items);
/*
 * Opens a field's form group and fieldset, with its legend, hint and
 * error; attrs go into the fieldset tag (e.g. " role=\"group\""). The
 * caller writes the controls and closes with "</fieldset></div>".
 */
void ui_fieldset_top(buf *b, const struct ui_field *f, const char *attrs);
/* One checkbox submitting value "true" when ticked. */
void ui_checkbox(buf *b, const struct ui_field *f, bool checked);
/* A hidden input. */
void ui_hidden(buf *b, const char *name, const char *value);

/*
 * NHS.UK numbered pagination. base is markup ending in "?" or "&amp;", to
 * which "page=N" is appended for each link. Nothing when pages <= 1.
 */
void ui_pagination(buf *b, const struct html_frag *base, long long page, long long pages);

/* "Local authority" for "local_authority", "NHS" for "nhs": enum values for people. */
const char *ui_choice_text(arena *a, const char *value);
/* s with its first letter in upper case (labels are stored lower case). */
const char *ui_capital(arena *a, const char *s);
/* "a" or "an" for a singular noun. */
const char *ui_article(const char *noun);
/* An ISO-8601 UTC time as "26 Nov 2026, 06:22 UTC"; iso itself if it does not parse. */
const char *ui_time(arena *a, const char *iso);
/* 1234567 as "1,234,567". */
const char *ui_number(arena *a, long long n);

/*
 * An error page with a way back: status, title as the h1, detail as text,
 * the error summary when the ctx holds field errors, and a link to back_href
 * (the home page when NULL). web_error_page() is this with no back link.
 */
void page_problem(struct req *r, int status, const char *title, const char *detail,
                  const char *back_href, const char *back_text);

/* The page for a failed domain call: 400, 401, 403, 404, 409, 429 or 500 by result. */
void page_for_result(struct req *r, result res);

/*
 * After a page's read returned res: bad parameters (RES_INVALID) keep their
 * field errors in *fe for the error summary and set *status to 400 (true:
 * show the page); another failure is answered with its error page (false:
 * the page is done); success leaves *status alone (true).
 */
bool page_read_result(struct req *r, result res, struct form_errors *fe, int *status);

/* Page handlers, for the route table in web.c. */
void page_home(struct req *r); /* pages_home.c */
void page_sign_in(struct req *r);
void page_sign_in_post(struct req *r);
void page_sign_out(struct req *r);
void page_list(struct req *r); /* pages_entity.c: route data is the entity */
void page_new(struct req *r);
void page_create(struct req *r);
void page_show(struct req *r);
void page_edit(struct req *r);
void page_update(struct req *r);
void page_delete(struct req *r);
void page_audit(struct req *r); /* pages_audit.c */

#endif
