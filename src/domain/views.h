/*
 * views.h: governance views computed from the registers, read-only:
 *
 *   - compliance with each organisation's name (compliance.h has the rules);
 *   - lines of accountability followed upward as chains, organisation by
 *     organisation, to the top;
 *   - information sharing agreements due for review;
 *   - the digest for a place: what leaders pass down to the grass roots
 *     (open concerns, compliance, overdue actions, new connections,
 *     agreements due).
 *
 * Everyone signed in may read them, with the limits each function states.
 * Everything returned belongs to c->a. A bad filter is RES_INVALID with a
 * field error naming the parameter.
 */
#ifndef CHIS_VIEWS_H
#define CHIS_VIEWS_H

#include "domain/compliance.h"

#include <stdbool.h>

/* ---- compliance ---- */

struct compliance_row {
    struct compliance c;
    const char *name; /* the organisation's */
};

/* compliance_list() with each organisation's name; the same rules, order and errors. */
result compliance_overview(struct ctx *c, long long place_id, const char *status,
                           struct compliance_row **out, int *n);

/*
 * One organisation's compliance with its name. A provider may ask only
 * about its own organisation (RES_FORBIDDEN otherwise), as in the list.
 */
result organisation_compliance(struct ctx *c, long long organisation_id,
                               struct compliance_row *out);

/* ---- accountability chains ---- */

#define CHAIN_MAX_STEPS 50 /* a guard: lines cannot loop, but data loaded by hand might */

struct chain_step {
    long long organisation_id; /* whose line of accountability this is */
    long long person_id;       /* the person it is accountable to */
    const char *person_name;
    long long person_organisation_id; /* that person's organisation: the next step up */
    const char *person_organisation_name;
};

struct chain {
    const char *domain; /* one of accountability_domains */
    long long organisation_id;
    const char *organisation_name;
    struct chain_step *steps; /* steps[0] is this organisation's own line */
    int nsteps;
    bool truncated; /* stopped by CHAIN_MAX_STEPS before reaching the top */
};

/*
 * The chain upward from every organisation with a line in domain (every
 * domain when NULL): domains in accountability_domains order, then by
 * organisation name. Each chain follows organisation -> accountable person
 * -> that person's organisation -> its line, until an organisation has no
 * line (the top) or CHAIN_MAX_STEPS. The people named are personal data:
 * the read is audited.
 */
result accountability_chains(struct ctx *c, const char *domain, struct chain **out, int *n);

/* ---- sharing agreements due for review ---- */

#define DUE_MAX_DAYS 3650

struct agreement_due {
    long long id;
    const char *title;
    const char *lawful_basis;
    const char *start_date;
    const char *review_date;
    long long days_left;  /* from today to the review date; negative when overdue */
    long long *party_ids; /* ordered by the party's name */
    const char **party_names;
    int nparties;
};

/*
 * Agreements whose review date is at most days (0..DUE_MAX_DAYS) from today,
 * or past, earliest first; with place_id (0: any), only those with a party
 * serving that place.
 */
result sharing_agreements_due(struct ctx *c, long long days, long long place_id,
                              struct agreement_due **out, int *n);

/* ---- the digest for a place ---- */

#define DIGEST_NEW_DAYS 30 /* connections made this recently are new */
#define DIGEST_DUE_DAYS 30 /* agreements due for review this soon are listed */

extern const char *const digest_severities[]; /* urgent, high, medium, low; NULL-terminated */

struct digest_action {
    long long id;
    const char *title;
    const char *due_date;
    long long owner_person_id;
    const char *owner_name; /* NULL unless asked for with_names */
};

struct digest_connection {
    long long id;
    long long from_organisation_id, to_organisation_id;
    const char *from_name, *to_name;
    const char *kind;
    const char *start_date;
    const char *created_at;
};

struct digest {
    long long place_id;            /* 0: the whole system */
    const char *place_name;        /* NULL for the whole system */
    long long open_by_severity[4]; /* open or acknowledged concerns, by digest_severities */
    long long compliance[3];       /* organisations by enum compliance_status */
    struct digest_action *overdue; /* not done, due before today; earliest first */
    int noverdue;
    struct digest_connection *connections; /* made in the last DIGEST_NEW_DAYS; newest first */
    int nconnections;
    struct agreement_due *agreements; /* due within DIGEST_DUE_DAYS or past */
    int nagreements;
};

/*
 * The digest for place_id (0: the whole system). Concerns, compliance and
 * connections count for a place when they concern an organisation serving
 * it (a connection also when it is recorded for the place); actions when
 * they belong to it. The counts cover every organisation whoever asks: they
 * name nobody. with_names fills owner_name, a read of personal data that is
 * audited.
 */
result digest_build(struct ctx *c, long long place_id, bool with_names, struct digest *out);

#endif
