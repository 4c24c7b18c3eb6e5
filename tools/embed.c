/*
 * embed.c: build-time tool that turns web assets into C source, so that the
 * chis binary carries its CSS, JavaScript, icons and OpenAPI document inside
 * it and needs no files beside it at run time.
 *
 *     embed OUT.c URLPATH=FILE [URLPATH=FILE ...]
 *
 * For example
 *
 *     embed build/assets_gen.c \
 *         /assets/nhsuk.min.css=node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css
 *
 * OUT.c gets one static byte array per FILE and a table `assets_table` of
 * struct asset (see src/web/assets.h) sorted by URL path in strcmp order, so
 * that asset_find() can bisect it. Each entry carries a Content-Type chosen
 * from the extension of URLPATH and a strong ETag made from a 64-bit FNV-1a
 * hash of the file's bytes. The output depends only on the inputs (no dates,
 * no absolute paths), so builds are reproducible.
 *
 * OUT.c is written to OUT.c.tmp first and renamed into place, so a failed run
 * never leaves a truncated file that make would take as up to date. Any error
 * prints a message to stderr and exits with status 1.
 *
 * Plain C11 and libc only: it runs on the build machine before anything else.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One URLPATH=FILE argument, with the file's bytes once read. */
struct entry {
    const char *url;  /* URL path; points into argv */
    const char *file; /* file name; points into argv */
    unsigned char *data;
    size_t len;
    uint64_t hash;
};

/*
 * Print "embed: " and a printf-style message to stderr, then exit with
 * status 1. Used for every error, so a failing build says why.
 */
#ifdef __GNUC__
static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    fputs("embed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/*
 * Allocate n bytes with malloc, or exit with a message if memory runs out.
 * The caller owns the result. n of 0 is treated as 1 so that the result is
 * never NULL.
 */
static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) die("out of memory (wanted %zu bytes)", n);
    return p;
}

/*
 * Read the whole of the file named path into memory. Stores the byte count
 * in *len and returns a malloc'd buffer the caller owns (never NULL, even
 * for an empty file). Exits with a message if the file cannot be opened or
 * read.
 */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) die("cannot open '%s' for reading", path);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > SIZE_MAX / 2) die("'%s' is too large", path);
            cap *= 2;
            unsigned char *grown = realloc(buf, cap);
            if (grown == NULL) die("out of memory reading '%s'", path);
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) die("error reading '%s'", path);
    fclose(f);
    *len = n;
    return buf;
}

/*
 * Return the 64-bit FNV-1a hash of the len bytes at p. Not cryptographic:
 * it only has to change when the file changes, for the ETag.
 */
static uint64_t fnv1a64(const unsigned char *p, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/*
 * Compare two NUL-terminated ASCII strings ignoring the case of letters;
 * return nonzero if they are equal. (strcasecmp is POSIX, not C11.)
 */
static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (ca != cb) return 0;
    }
    return *a == *b;
}

/*
 * Return the Content-Type for a URL path, chosen by the extension of its
 * last segment (case-insensitive). Unknown or missing extensions get
 * application/octet-stream. The result is a string literal.
 */
static const char *content_type(const char *url)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
    };
    const char *slash = strrchr(url, '/');
    const char *dot = strrchr(slash ? slash : url, '.');
    if (dot != NULL) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (ascii_ieq(dot, types[i].ext)) return types[i].type;
    }
    return "application/octet-stream";
}

/*
 * Check that url can be served and written into a C string literal as it
 * is: it must start with '/', and hold only printable ASCII other than
 * space, '"', '\\', '?' and '#' (a query or fragment is never part of the
 * path that is looked up, and '?' could form a trigraph). Exits with a
 * message naming url if not.
 */
static void check_url(const char *url)
{
    if (url[0] != '/') die("URL path must start with '/': '%s'", url);
    for (const char *p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '?' || c == '#')
            die("URL path has a character that is not allowed (0x%02x): '%s'", c, url);
    }
}

/*
 * qsort comparator: order entries by URL path in strcmp order, the order
 * asset_find() bisects in.
 */
static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return strcmp(x->url, y->url);
}

/*
 * Write s to out for use inside a C block comment: every '*' (which could
 * close the comment, or open a nested one after a '/') and every byte that
 * is not printable ASCII is written as '_'.
 */
static void put_comment_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc((c < 0x20 || c >= 0x7f || c == '*') ? '_' : c, out);
    }
}

/*
 * Write the generated C source for the n entries (already sorted) to out:
 * a header comment, the include, one byte array per entry, 16 bytes a line,
 * then the table and its length.
 */
static void write_source(FILE *out, const struct entry *e, size_t n)
{
    fputs("/*\n"
          " * Generated by tools/embed from tools/assets.list. Do not edit:\n"
          " * change the list or the files it names and rebuild.\n"
          " */\n"
          "#include \"web/assets.h\"\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fputs("\n/* ", out);
        put_comment_text(out, e[i].url);
        fputs(" <- ", out);
        put_comment_text(out, e[i].file);
        fprintf(out, " (%zu bytes) */\n", e[i].len);
        /* C11 has no empty initialiser: an empty file gets one unused 0. */
        fprintf(out, "static const unsigned char data_%zu[%zu] = {", i, e[i].len ? e[i].len : 1);
        if (e[i].len == 0) fputs("0", out);
        for (size_t j = 0; j < e[i].len; j++) {
            if (j % 16 == 0) fputs("\n   ", out);
            fprintf(out, " 0x%02x,", e[i].data[j]);
        }
        fputs("\n};\n", out);
    }
    fputs("\nconst struct asset assets_table[] = {\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "    {\"%s\", \"%s\", data_%zu, %zu, \"\\\"%016" PRIx64 "\\\"\"},\n", e[i].url,
                content_type(e[i].url), i, e[i].len, e[i].hash);
    fprintf(out, "};\n\nconst size_t assets_table_len = %zu;\n", n);
}

/*
 * Parse URLPATH=FILE arguments, read and hash each file, sort by URL path,
 * reject duplicates, and write OUT.c by way of OUT.c.tmp and a rename.
 * Prints a one-line summary to stdout. Returns 0, or exits 1 on any error.
 */
int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: embed OUT.c URLPATH=FILE [URLPATH=FILE ...]\n"
              "  writes a C file embedding each FILE, served at URLPATH\n",
              stderr);
        return 1;
    }
    const char *outpath = argv[1];
    size_t n = (size_t)argc - 2;
    struct entry *e = xmalloc(n * sizeof *e);
    size_t total = 0;

    for (size_t i = 0; i < n; i++) {
        char *arg = argv[i + 2];
        char *eq = strchr(arg, '=');
        if (eq == NULL || eq == arg || eq[1] == '\0') die("argument '%s' is not URLPATH=FILE", arg);
        *eq = '\0';
        e[i].url = arg;
        e[i].file = eq + 1;
        check_url(e[i].url);
        e[i].data = read_file(e[i].file, &e[i].len);
        e[i].hash = fnv1a64(e[i].data, e[i].len);
        total += e[i].len;
    }

    qsort(e, n, sizeof *e, entry_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(e[i - 1].url, e[i].url) == 0)
            die("URL path '%s' given twice ('%s' and '%s')", e[i].url, e[i - 1].file, e[i].file);

    size_t tlen = strlen(outpath) + sizeof ".tmp";
    char *tmppath = xmalloc(tlen);
    snprintf(tmppath, tlen, "%s.tmp", outpath);
    FILE *out = fopen(tmppath, "wb");
    if (out == NULL) die("cannot open '%s' for writing (does its directory exist?)", tmppath);
    write_source(out, e, n);
    if (ferror(out) | fclose(out)) {
        remove(tmppath);
        die("error writing '%s'", tmppath);
    }
    if (rename(tmppath, outpath) != 0) {
        remove(tmppath);
        die("cannot rename '%s' to '%s'", tmppath, outpath);
    }

    printf("embed: %zu assets, %zu bytes -> %s\n", n, total, outpath);
    for (size_t i = 0; i < n; i++)
        free(e[i].data);
    free(e);
    free(tmppath);
    return 0;
}
