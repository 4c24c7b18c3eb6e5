/*
 * audit.h: the audit log. Every change records who, what, before and after,
 * when and from which address, in the same transaction as the change; every
 * read of personal data records who read what.
 */
#ifndef CHIS_AUDIT_H
#define CHIS_AUDIT_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "store/records.h"

/* Append an entry; before/after may be NULL. RES_OK or RES_INTERNAL. */
result audit_record(struct ctx *c, const char *action, const char *entity, long long entity_id,
                    const rec *before, const rec *after);

/* Record a read of personal data: one entity row, or a list (id 0, ids in note). */
result audit_read(struct ctx *c, const char *entity, long long entity_id, rec *const *rows,
                  int nrows);

struct audit_query {
    const char *entity;  /* NULL: any */
    long long entity_id; /* 0: any */
    long long actor_user_id;
    const char *action;
    const char *since;        /* ISO-8601 date or time, inclusive */
    const char *until;        /* exclusive */
    long long page, per_page; /* per_page 0: everything (CSV export) */
};

/*
 * The distinct values of the audit log's "entity" or "action" column (which
 * must be one of those two), sorted, NULL-terminated, in c->a: the choices
 * for filtering it, always in step with what the log holds. Admins only.
 */
result audit_values(struct ctx *c, const char *column, const char ***out);

/* Entries newest first; admins only. Rows have id, at, actor_user_id, actor,
 * remote_addr, action, entity, entity_id, before, after (JSON text). */
result audit_list(struct ctx *c, const struct audit_query *q, struct store_page *out);

#endif
