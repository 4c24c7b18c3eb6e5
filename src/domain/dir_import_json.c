/*
 * dir_import_json.c: HSDS 3.0 JSON feeds. A file holds one full service,
 * an array of them, or one per line (ndjson); a folder written by chis
 * export holds services.json with organizations.json, taxonomies.json and
 * taxonomy_terms.json beside it.
 *
 * Documents are cut out of the text one at a time (a scan for the end of
 * each value that counts lines on the way), so every problem names the line
 * its document starts on and a large array never has to be one tree. For a
 * large file the cutting and parsing run on a second thread, ahead of the
 * storing, which is single-threaded as the database is.
 */
#include "domain/dir_import_internal.h"

#include "base/jsonr.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What to do with each document of a file. */
typedef void (*doc_fn)(struct imp *im, json_t *doc, struct origin o);

/* Skip white space, counting lines. */
static const char *skip_ws(const char *p, const char *end, long *line)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        if (*p == '\n') (*line)++;
        p++;
    }
    return p;
}

/*
 * The end of the JSON value at p: past its closing bracket for an object
 * or array, before the next ',' ']' or line end for anything else. Lines
 * crossed are added to *line. NULL when the text ends inside it.
 */
static const char *value_end(const char *p, const char *end, long *line)
{
    int depth = 0;
    bool in_str = false;
    bool scalar = *p != '{' && *p != '[';
    for (; p < end; p++) {
        char ch = *p;
        if (in_str) {
            if (ch == '\\' && p + 1 < end) {
                p++;
                if (*p == '\n') (*line)++;
            } else if (ch == '"')
                in_str = false;
            else if (ch == '\n')
                (*line)++;
            continue;
        }
        if (ch == '\n') {
            if (scalar) return p;
            (*line)++;
        }
        if (ch == '"')
            in_str = true;
        else if (scalar && (ch == ',' || ch == ']' || ch == '}'))
            return p;
        else if (ch == '{' || ch == '[')
            depth++;
        else if (ch == '}' || ch == ']') {
            if (--depth == 0) return p + 1;
        }
    }
    return scalar ? end : NULL;
}

/* ---- cutting a file into documents ---- */

/* What the scan of a file finds, in order: a document, or a problem. */
struct event {
    json_t *doc;   /* a parsed document (its owner is whoever holds the event) */
    bool checked;  /* doc is a service that passed dir_service_check() */
    long line;     /* where it starts */
    char *problem; /* malloc'd, when doc is NULL */
    bool fatal;    /* the file cannot be read past here */
    bool row;      /* the problem is one document's: it counts as read and skipped */
    bool end;      /* nothing more */
};

/* Documents parsed ahead of the storing thread, at most. */
#define QUEUE 256

/* Reading the documents of one file, on its own thread for large files so
 * that parsing overlaps storing: the scanner never touches the import's
 * state, it only hands events over. */
struct scan {
    const char *data;
    size_t len;
    void (*emit)(struct scan *, struct event);
    void *ud;
    atomic_int stop; /* set by the consumer: no more events wanted */
    /* Services are checked and normalised here, as they are parsed: on
     * the scanner's thread that work overlaps storing. The scanner's own
     * context touches no database. NULL: not services. */
    struct ctx *check;
    /* Documents parsed and not yet taken (NULL: no second thread). */
    const atomic_size_t *backlog;
};

static void emit_problem(struct scan *s, long line, bool fatal, bool row, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Hand over a problem (its text is malloc'd: the consumer frees it). */
static void emit_problem(struct scan *s, long line, bool fatal, bool row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0) text = NULL;
    va_end(ap);
    s->emit(s, (struct event){.line = line, .problem = text, .fatal = fatal, .row = row});
}

/*
 * Where the value at p ends (NULL when the text ends inside it), lines
 * crossed added to *line. An object or array the fast reader reads whole
 * is read here, in the same pass (*doc, the caller's); anything else is
 * cut out by value_end() (*doc NULL) for one_document() to read.
 */
static const char *cut_value(const char *p, const char *end, long *line, json_t **doc)
{
    size_t used = 0;
    *doc = jsonr_load_first(p, (size_t)(end - p), &used);
    if (!*doc) return value_end(p, end, line);
    const char *stop = p + used;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(stop - q))) != NULL; q++)
        (*line)++;
    return stop;
}

/* Parse the value in [start, stop) that began on line, unless doc has it
 * read already, and hand it over; a syntax error at its own line. false
 * when there was one. */
static bool one_document(struct scan *s, const char *start, const char *stop, long line,
                         json_t *doc)
{
    json_error_t err;
    if (!doc) doc = jsonr_load(start, (size_t)(stop - start), &err);
    if (!doc) {
        emit_problem(s, line + (err.line > 0 ? err.line - 1 : 0), false, true, "not valid JSON: %s",
                     err.text);
        return false;
    }
    bool checked = false;
    /* The check goes where there is time for it: here while the storing
     * thread has documents waiting; with few waiting, the storing thread
     * is the one idle, so the document goes over unchecked and is checked
     * there. */
    if (s->check && json_is_object(doc) &&
        (!s->backlog || atomic_load_explicit(s->backlog, memory_order_relaxed) >= QUEUE / 4)) {
        arena_reset(s->check->a);
        ctx_clear_errors(s->check);
        checked = dir_service_check(s->check, doc) == RES_OK;
    }
    s->emit(s, (struct event){.doc = doc, .checked = checked, .line = line});
    return true;
}

/* Cut the text into documents: an array's items, a single object, or a
 * stream of objects (ndjson, read line by line so a broken line costs
 * only itself). Ends with an end event. */
static void scan_documents(struct scan *s)
{
    const char *p = s->data, *end = s->data + s->len;
    if (s->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    long line = 1;
    p = skip_ws(p, end, &line);
    if (p == end) {
        emit_problem(s, 0, true, false, "the file is empty");
    } else if (*p == '[') {
        p = skip_ws(p + 1, end, &line);
        if (p < end && *p == ']') goto done;
        while (p < end && !s->stop) {
            long start_line = line;
            json_t *doc;
            const char *stop = cut_value(p, end, &line, &doc);
            if (!stop) {
                emit_problem(s, start_line, true, false, "not valid JSON: the item never ends");
                goto done;
            }
            if (!one_document(s, p, stop, start_line, doc)) {
                /* The array itself is broken: nothing after can be trusted. */
                s->emit(s, (struct event){.fatal = true});
                goto done;
            }
            p = skip_ws(stop, end, &line);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end, &line);
                continue;
            }
            if (p < end && *p == ']') {
                p = skip_ws(p + 1, end, &line);
                if (p != end)
                    emit_problem(s, line, true, false, "not valid JSON: text after the array");
                goto done;
            }
            emit_problem(s, line, true, false, "not valid JSON: expected ',' or ']' between items");
            goto done;
        }
        if (!s->stop) emit_problem(s, line, true, false, "not valid JSON: the array never ends");
    } else {
        long probe_line = line;
        const char *first_end = value_end(p, end, &probe_line);
        const char *after = first_end ? skip_ws(first_end, end, &(long){0}) : NULL;
        bool stream = first_end && after != end;
        if (stream && probe_line == line) {
            while (p < end && !s->stop) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *stop = nl ? nl : end;
                const char *q = p;
                while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
                    q++;
                if (q < stop) one_document(s, q, stop, line, NULL);
                if (!nl) break;
                p = nl + 1;
                line++;
            }
            goto done;
        }
        while (p < end && !s->stop) {
            long start_line = line;
            json_t *doc;
            const char *stop = cut_value(p, end, &line, &doc);
            if (!stop) {
                emit_problem(s, start_line, true, false, "not valid JSON: the document never ends");
                goto done;
            }
            if (!one_document(s, p, stop, start_line, doc) && !stream) {
                s->emit(s, (struct event){.fatal = true});
                goto done;
            }
            p = skip_ws(stop, end, &line);
        }
    }
done:
    s->emit(s, (struct event){.end = true});
}

static void service_doc(struct imp *im, json_t *doc, struct origin o);

/* ---- handing documents over between threads ---- */

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    struct event ev[QUEUE];
    size_t head, n;
    atomic_size_t backlog; /* n, for the scanner to read without the lock */
    /* Documents the importer is done with: freeing a large tree costs
     * about a tenth of storing it, so the scanner does that too. */
    json_t *trash[QUEUE];
    size_t ntrash;
};

/* The scanner's side: wait for room, then add; take the trash out. */
static void queue_push(struct scan *s, struct event e)
{
    struct queue *q = s->ud;
    json_t *trash[QUEUE];
    pthread_mutex_lock(&q->mu);
    while (q->n == QUEUE)
        pthread_cond_wait(&q->not_full, &q->mu);
    q->ev[(q->head + q->n) % QUEUE] = e;
    /* The importer waits only on an empty queue. */
    if (q->n++ == 0) pthread_cond_signal(&q->not_empty);
    atomic_store_explicit(&q->backlog, q->n, memory_order_relaxed);
    size_t ntrash = q->ntrash;
    memcpy(trash, q->trash, ntrash * sizeof *trash);
    q->ntrash = 0;
    pthread_mutex_unlock(&q->mu);
    for (size_t i = 0; i < ntrash; i++)
        json_decref(trash[i]);
}

/* The importer's side: hand a finished document to the scanner to free
 * (or free it here when the trash is full). */
static void queue_trash(struct queue *q, json_t *doc)
{
    pthread_mutex_lock(&q->mu);
    bool room = q->ntrash < QUEUE;
    if (room) q->trash[q->ntrash++] = doc;
    pthread_mutex_unlock(&q->mu);
    if (!room) json_decref(doc);
}

/* The importer's side: wait for an event, then take it. */
static struct event queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0)
        pthread_cond_wait(&q->not_empty, &q->mu);
    struct event e = q->ev[q->head];
    q->head = (q->head + 1) % QUEUE;
    /* The scanner waits only on a full queue: waking it once the queue is
     * half empty, not at every document, lets it parse half a queue at a
     * go instead of switching threads twice a document. */
    if (--q->n == QUEUE / 2) pthread_cond_signal(&q->not_full);
    atomic_store_explicit(&q->backlog, q->n, memory_order_relaxed);
    pthread_mutex_unlock(&q->mu);
    return e;
}

/* The scanner thread. */
static void *scan_thread(void *arg)
{
    scan_documents(arg);
    return NULL;
}

/* What the importer does with each event of one file. */
struct consumer {
    struct imp *im;
    const char *file;
    doc_fn fn;
    struct queue *q; /* when the scanner runs on its own thread */
};

/* Take one event: store a document, or report a problem. */
static void consume(struct consumer *k, struct event e)
{
    struct imp *im = k->im;
    if (e.doc) {
        im->r->rows++;
        if (im->fatal || im->store_failed) {
            /* nothing more is stored once the import cannot be kept */
        } else if (!json_is_object(e.doc)) {
            imp_problem(im, k->file, e.line, "not a JSON object");
            im->r->rows_skipped++;
        } else {
            k->fn(im, e.doc,
                  (struct origin){.file = k->file, .line = e.line, .checked = e.checked});
        }
        if (k->q)
            queue_trash(k->q, e.doc);
        else
            json_decref(e.doc);
        return;
    }
    if (e.problem) imp_problem(im, k->file, e.line, "%s", e.problem);
    free(e.problem);
    if (e.row) {
        im->r->rows++;
        im->r->rows_skipped++;
    }
    if (e.fatal) im->fatal = true;
}

/* Without a thread: events are consumed as they are found. */
static void emit_direct(struct scan *s, struct event e)
{
    if (!e.end) consume(s->ud, e);
}

/*
 * Read path and hand every document in it to fn. A file that cannot be
 * read past some point is fatal: nothing of the import is kept. Files of
 * more than a megabyte are parsed on a second thread while this one
 * stores what it has parsed.
 */
static void each_document(struct imp *im, const char *path, const char *file, doc_fn fn)
{
    size_t len = 0;
    const char *data = imp_map_file(path, &len);
    if (!data) {
        imp_problem(im, file, 0, "cannot read the file");
        im->fatal = true;
        return;
    }
    struct consumer k = {im, file, fn, NULL};
    struct scan s = {.data = data, .len = len, .emit = emit_direct, .ud = &k};
    struct ctx check;
    if (fn == service_doc) {
        ctx_init(&check, arena_new(1 << 16), NULL, im->c->now);
        s.check = &check;
    }
    pthread_t th;
    struct queue *q = NULL;
    if (len > (1 << 20)) {
        q = calloc(1, sizeof *q);
        pthread_mutex_init(&q->mu, NULL);
        pthread_cond_init(&q->not_empty, NULL);
        pthread_cond_init(&q->not_full, NULL);
        s.emit = queue_push;
        s.ud = q;
        s.backlog = &q->backlog;
        k.q = q;
        if (pthread_create(&th, NULL, scan_thread, &s) != 0) {
            k.q = NULL;
            free(q);
            q = NULL;
            s.emit = emit_direct;
            s.ud = &k;
            s.backlog = NULL;
        }
    }
    if (!q) {
        scan_documents(&s);
        if (s.check) arena_free(check.a);
        imp_unmap_file(data, len);
        return;
    }
    for (;;) {
        struct event e = queue_pop(q);
        if (e.end) break;
        if (im->fatal || im->store_failed) s.stop = 1;
        consume(&k, e);
    }
    pthread_join(th, NULL);
    if (s.check) arena_free(check.a);
    for (size_t i = 0; i < q->ntrash; i++)
        json_decref(q->trash[i]);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    free(q);
    imp_unmap_file(data, len);
}

/* ---- what each document is ---- */

/* Store an organization once per import; true when it is stored (now or
 * earlier in this import). */
static bool organization_once(struct imp *im, json_t *org, struct origin o)
{
    const char *id = json_string_value(json_object_get(org, "id"));
    if (!id || !*id) return true; /* the core reports the missing reference */
    int done = strmap_get(&im->orgs, id);
    if (done == 2) return true;
    if (done == 3) return false;
    json_t *copy = json_deep_copy(org);
    bool ok = imp_store_object(im, "organization", copy, o);
    json_decref(copy);
    strmap_set(&im->orgs, arena_strdup(im->a, id), ok ? 2 : 3);
    if (ok) im->r->organizations++;
    return ok;
}

/* A document of organizations.json. */
static void organization_doc(struct imp *im, json_t *doc, struct origin o)
{
    organization_once(im, doc, o);
}

/* A document of taxonomies.json (or one carried inline by a term). */
static void taxonomy_doc(struct imp *im, json_t *doc, struct origin o)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (id && strmap_get(&im->taxonomies, id) == 2) return;
    if (imp_store_object(im, "taxonomy", doc, o)) {
        im->r->taxonomies++;
        if (id) strmap_set(&im->taxonomies, arena_strdup(im->a, id), 2);
    }
}

/* A document of taxonomy_terms.json. */
static void term_doc(struct imp *im, json_t *doc, struct origin o)
{
    json_t *detail = json_object_get(doc, "taxonomy_detail");
    if (json_is_object(detail)) taxonomy_doc(im, detail, o);
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (imp_store_object(im, "taxonomy_term", doc, o)) {
        im->r->taxonomy_terms++;
        if (id) strmap_set(&im->terms, arena_strdup(im->a, id), 1);
    }
}

/* Count the locations a stored service brought that were new to this import. */
static void count_locations(struct imp *im, json_t *doc)
{
    size_t i;
    json_t *sal;
    json_array_foreach(json_object_get(doc, "service_at_locations"), i, sal)
    {
        const char *id = json_string_value(json_object_get(json_object_get(sal, "location"), "id"));
        if (id && strmap_get(&im->locations, id) < 0) {
            strmap_put(&im->locations, arena_strdup(im->a, id), 1);
            im->r->locations++;
        }
    }
}

/* A full service document. */
static void service_doc(struct imp *im, json_t *doc, struct origin o)
{
    json_t *org = json_object_get(doc, "organization");
    if (json_is_object(org) && !organization_once(im, org, o)) {
        im->r->rows_skipped++;
        imp_progress(im);
        return;
    }
    /* Taxonomies carried inline by the terms of attributes come first:
     * a term may not name a taxonomy that is not there. */
    size_t i;
    json_t *attr;
    json_array_foreach(json_object_get(doc, "attributes"), i, attr)
    {
        json_t *detail = json_object_get(json_object_get(attr, "taxonomy_term"), "taxonomy_detail");
        if (json_is_object(detail)) taxonomy_doc(im, detail, o);
    }
    if (imp_store_service(im, doc, o, false)) {
        im->r->services++;
        count_locations(im, doc);
    } else {
        im->r->rows_skipped++;
    }
    imp_progress(im);
}

/* A JSON file of services: one, an array, or ndjson (see dir_import_internal.h). */
void imp_json_file(struct imp *im, const char *path, const char *name)
{
    im->r->format = "HSDS 3.0 JSON";
    im->progress_what = "services";
    each_document(im, path, name, service_doc);
}

/* A folder chis export wrote: organizations, taxonomies, terms, then services. */
void imp_json_package(struct imp *im, const char *dir)
{
    im->r->format = "HSDS 3.0 JSON package";
    static const struct {
        const char *name;
        doc_fn fn;
    } files[] = {
        {"organizations", organization_doc},
        {"taxonomies", taxonomy_doc},
        {"taxonomy_terms", term_doc},
        {"services", service_doc},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0] && !im->fatal; i++) {
        const char *found = NULL;
        for (int nd = 0; nd < 2 && !found; nd++) {
            const char *name = arena_printf(im->a, "%s.%s", files[i].name, nd ? "ndjson" : "json");
            const char *path = arena_printf(im->a, "%s/%s", dir, name);
            FILE *f = fopen(path, "rb");
            if (f) {
                fclose(f);
                found = name;
                im->progress_what = files[i].name;
                im->progress_done = 0;
                each_document(im, path, name, files[i].fn);
            }
        }
    }
}
