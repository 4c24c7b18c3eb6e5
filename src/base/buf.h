/*
 * buf.h: a growable byte string whose storage belongs to an arena. Used to
 * build SQL, HTML and CSV; the result is always NUL-terminated.
 */
#ifndef CHIS_BUF_H
#define CHIS_BUF_H

#include "base/arena.h"

#include <stddef.h>

typedef struct buf {
    arena *a;
    char *data;
    size_t len;
    size_t cap;
} buf;

void buf_init(buf *b, arena *a, size_t cap);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);

/* Add one byte. Inline, as the JSON and HTML writers add millions of them
 * one at a time: only growing calls out. */
static inline void buf_putc(buf *b, char c)
{
    if (b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    buf_append(b, &c, 1);
}

void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_truncate(buf *b, size_t len);

#endif
