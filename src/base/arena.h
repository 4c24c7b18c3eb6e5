/*
 * arena.h: region allocator for memory that lives as long as one unit of
 * work (an HTTP request, a CLI command, a test). Everything allocated from an
 * arena is released at once by arena_free(); nothing is freed singly.
 *
 * Allocation never returns NULL: running out of memory aborts the process,
 * because a half-served request is worse than a restart by the supervisor.
 */
#ifndef CHIS_ARENA_H
#define CHIS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t first_block);
void arena_reset(arena *a);
void arena_free(arena *a);

void *arena_alloc(arena *a, size_t n);       /* zeroed, aligned for any type */
void *arena_alloc_raw(arena *a, size_t n);   /* not zeroed: for buffers about to be filled */
char *arena_strdup(arena *a, const char *s); /* NULL -> NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
size_t arena_used(const arena *a);

#endif
