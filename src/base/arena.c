/*
 * arena.c: a chain of blocks; each allocation bumps a pointer in the newest
 * block, and a request larger than the block size gets a block of its own.
 */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t block_size;
    size_t total;
};

static void *arena_oom(void)
{
    fputs("chis: out of memory\n", stderr);
    abort();
}

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof *b + size);
    if (!b) arena_oom();
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

/*
 * Create an arena whose first block holds first_block bytes. The caller owns
 * the arena and releases it with arena_free().
 */
arena *arena_new(size_t first_block)
{
    arena *a = malloc(sizeof *a);
    if (!a) arena_oom();
    a->block_size = first_block < 1024 ? 1024 : first_block;
    a->head = block_new(a->block_size);
    a->total = 0;
    return a;
}

/*
 * Forget every allocation but keep the first block, so that a worker thread
 * can reuse one arena across requests without going back to malloc.
 */
void arena_reset(arena *a)
{
    struct block *b = a->head;
    while (b->next) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

/* Release the arena and everything allocated from it. */
void arena_free(arena *a)
{
    if (!a) return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

/*
 * Return n bytes owned by the arena, not zeroed. Blocks are kept in a list
 * with the newest first; only the newest is allocated from, so a large
 * one-off allocation goes in a block of its own placed behind the head.
 */
void *arena_alloc_raw(arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > SIZE_MAX - ARENA_ALIGN) arena_oom();
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct block *b = a->head;
    if (b->size - b->used < need) {
        if (need > a->block_size / 2) {
            struct block *big = block_new(need);
            big->used = need;
            big->next = b->next;
            b->next = big;
            a->total += need;
            return big->data;
        }
        struct block *fresh = block_new(a->block_size);
        fresh->next = b;
        a->head = b = fresh;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

/* Return n zeroed bytes owned by the arena. */
void *arena_alloc(arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    memset(p, 0, n ? n : 1);
    return p;
}

/* Copy a NUL-terminated string into the arena. */
char *arena_strdup(arena *a, const char *s)
{
    if (!s) return NULL;
    return arena_strndup(a, s, strlen(s));
}

/* Copy n bytes and terminate them; the copy may contain NULs before n. */
char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc_raw(a, n + 1);
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* printf into a string owned by the arena. */
char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return arena_strdup(a, "");
    char *s = arena_alloc_raw(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

/* Bytes handed out since creation or the last reset (for tests and logs). */
size_t arena_used(const arena *a)
{
    return a->total;
}
