/*
 * text.h: reading numbers people and programs type (ids in paths, query
 * strings, forms and command lines), one way everywhere.
 */
#ifndef CHIS_TEXT_H
#define CHIS_TEXT_H

/* The positive decimal id s spells exactly ("12"), or 0 when it is not one
 * (NULL, empty, signs, spaces, other characters, overflow). */
long long text_id(const char *s);

#endif
