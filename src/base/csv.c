/*
 * csv.c: quoting rules of RFC 4180 plus formula neutralising (OWASP CSV
 * injection guidance).
 */
#include "base/csv.h"

#include <string.h>

void csv_cell(buf *b, const char *s, int last)
{
    if (s && *s) {
        bool formula = strchr("=+-@\t\r", *s) != NULL;
        bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
        if (quote) buf_putc(b, '"');
        if (formula) buf_putc(b, '\'');
        for (const char *p = s; *p; p++) {
            if (*p == '"') buf_putc(b, '"');
            buf_putc(b, *p);
        }
        if (quote) buf_putc(b, '"');
    }
    buf_puts(b, last ? "\r\n" : ",");
}

/* A libcsv field as a string (see csv.h). */
void csv_field_text(char *out, size_t size, const void *s, size_t len, bool lower)
{
    size_t n = !s ? 0 : len < size - 1 ? len : size - 1;
    if (n) memcpy(out, s, n);
    out[n] = '\0';
    for (char *p = out; lower && *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
}
