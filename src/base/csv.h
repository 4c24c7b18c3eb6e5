/*
 * csv.h: writing RFC 4180 CSV safely for spreadsheets.
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

#endif
