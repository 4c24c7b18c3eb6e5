/*
 * sqlite_schema.h: the SQLite backend's migrations, in order. Migration n
 * (1-based) takes the schema from version n-1 to n. Never edit a migration
 * that has shipped: add a new one.
 */
#ifndef CHIS_SQLITE_SCHEMA_H
#define CHIS_SQLITE_SCHEMA_H

#include <stddef.h>

/* Bump with each new migration; sqlite_schema.c checks the count. */
#define SQLITE_SCHEMA_LATEST 8

extern const char *const sqlite_migrations[SQLITE_SCHEMA_LATEST];
extern const size_t sqlite_migrations_len;

/* Migration 3, the directory: sqlite_schema_directory.c. */
extern const char sqlite_migration_3[];

/* Migration 4, the social prescribing pathway: sqlite_schema_referrals.c. */
extern const char sqlite_migration_4[];

/* Migration 5, the directory's text-index queue that any write can fill:
 * sqlite_schema_directory.c. */
extern const char sqlite_migration_5[];

/* Migration 6, the list summary kept as its length in the document:
 * sqlite_schema_directory.c. */
extern const char sqlite_migration_6[];

/* Migration 7, the full-text index's memory for a batch of services:
 * sqlite_schema_directory.c. */
extern const char sqlite_migration_7[];

/* Migration 8, partial indexes for references most rows leave empty:
 * sqlite_schema_directory.c. */
extern const char sqlite_migration_8[];

#endif
