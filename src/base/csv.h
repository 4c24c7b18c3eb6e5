/*
 * csv.h: writing RFC 4180 CSV safely for spreadsheets, and taking the
 * fields libcsv reads.
 */
#ifndef CHIS_CSV_H
#define CHIS_CSV_H

#include "base/buf.h"

#include <stdbool.h>

/*
 * Append one cell (quoted when needed; NULL is an empty cell). A cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe so exported data cannot execute on the reader's machine.
 */
void csv_cell(buf *b, const char *s, int last);

/* A field as libcsv's field callback gives it (s is NULL for an empty
 * field, len its length) into out as a NUL-terminated string, cut to fit
 * size; ASCII letters lower-cased when lower (header names). */
void csv_field_text(char *out, size_t size, const void *s, size_t len, bool lower);

#endif
