/*
 * buf.c: doubling growth inside an arena. The old storage is abandoned to the
 * arena, which is cheap because arenas live for one request.
 */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Start an empty buffer with room for cap bytes. */
void buf_init(buf *b, arena *a, size_t cap)
{
    b->a = a;
    b->cap = cap < 64 ? 64 : cap;
    b->data = arena_alloc_raw(a, b->cap);
    b->data[0] = '\0';
    b->len = 0;
}

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = arena_alloc_raw(b->a, cap);
    memcpy(d, b->data, b->len);
    b->data = d;
    b->cap = cap;
}

void buf_append(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

/* Shorten the buffer to len bytes (no-op when already shorter). */
void buf_truncate(buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}
