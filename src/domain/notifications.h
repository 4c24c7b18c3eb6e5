/*
 * notifications.h: messages for a person or a user, written by the domain
 * (a concern routed or escalated to someone) and by the scheduler
 * (reminders). A user reads the notifications addressed to them and those
 * addressed to the person linked to their account (people.user_id).
 *
 * A notification may carry a dedupe key: writing a second one with the same
 * key does nothing, so the scheduler can run as often as it likes. Messages
 * name records by id and organisation, never a concern's description.
 */
#ifndef CHIS_NOTIFICATIONS_H
#define CHIS_NOTIFICATIONS_H

#include "base/rec.h"
#include "domain/ctx.h"
#include "store/records.h"

struct notice {
    long long person_id; /* the recipient: a person, */
    long long user_id;   /* or a user (exactly one of the two) */
    const char *kind;    /* "concern_routed", "policy_expiring", ... */
    const char *entity;  /* what it is about, e.g. "concerns" (may be NULL) */
    long long entity_id;
    const char *message;
    const char *dedupe_key; /* NULL: always written */
};

/*
 * Write a notification (with its audit entry) unless one with the same
 * dedupe key exists. *written (if not NULL) says whether it was. Runs in the
 * caller's transaction when there is one. RES_OK or RES_INTERNAL.
 */
result notify(struct ctx *c, const struct notice *n, bool *written);

/*
 * The signed-in user's notifications, newest first; only unread ones when
 * unread_only. page and per_page as for lists (0: 1 and 20). Rows hold id,
 * created_at, kind, entity, entity_id, message, read_at. *unread (if not
 * NULL) is how many are unread in all.
 */
result notifications_list(struct ctx *c, bool unread_only, long long page, long long per_page,
                          struct store_page *out, long long *unread);

/*
 * Mark one of the user's notifications read (once: a second call keeps the
 * first time). RES_NOT_FOUND when it is not theirs. *out (if not NULL) is the
 * notification afterwards.
 */
result notification_mark_read(struct ctx *c, long long id, rec **out);

#endif
