/*
 * text.h: reading numbers people and programs type (ids in paths, query
 * strings, forms and command lines), one way everywhere.
 */
#ifndef CHIS_TEXT_H
#define CHIS_TEXT_H

#include "base/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The positive decimal id s spells exactly ("12"), or 0 when it is not one
 * (NULL, empty, signs, spaces, other characters, overflow). */
long long text_id(const char *s);

/* A real calendar date written YYYY-MM-DD (years 1900-9999). */
bool text_date_valid(const char *s);

/* A real date YYYY-MM-DD, or a UTC time YYYY-MM-DDTHH:MM:SSZ. */
bool text_date_or_time_valid(const char *s);

/*
 * The length of the well-formed UTF-8 sequence at s and its code point, or
 * 0 when s does not start one (stray continuation bytes, overlong forms,
 * surrogates, values past U+10FFFF, a truncated sequence, or NUL).
 */
int text_utf8_next(const char *s, unsigned *cp);

/* Is s entirely well-formed UTF-8? */
bool text_utf8_valid(const char *s);

/*
 * Does s hold a character that should not appear in text people type into
 * a record: C0 and C1 controls (tab and newlines allowed when multiline),
 * and the bidirectional overrides and isolates that can make text display
 * differently from what it says? s must be valid UTF-8.
 */
bool text_has_unsafe_chars(const char *s, bool multiline);

/* s without the white space around it, as a copy in a. */
char *text_trimmed(arena *a, const char *s);

/* How many UTF-8 code points s holds (for length limits that people
 * understand: "200 characters", not 200 bytes). */
size_t text_utf8_len(const char *s);

/* Does s look like a phone number: 7 to 15 digits, with only spaces and
 * + ( ) - besides? */
bool text_phone_valid(const char *s);

/*
 * Does any of the 8 bytes in w (loaded with memcpy, any alignment) need
 * attention inside a JSON string: a control character, '"', '\\', or a
 * byte of a multi-byte character? The JSON reader and writer skip plain
 * ASCII eight bytes at a time with it. (Each test sets a byte's top bit
 * where that byte matches; x - 0x01.. borrows only out of a zero byte, so
 * a false match can follow a true one but never stands alone.)
 */
static inline bool text_json_word_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t control = (w - ones * 0x20) & ~w;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t zero_quote = (quote - ones) & ~quote, zero_backslash = (backslash - ones) & ~backslash;
    return ((control | zero_quote | zero_backslash | w) & high) != 0;
}

#endif
