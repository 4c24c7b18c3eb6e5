/*
 * compliance.h: whether an organisation has its policies in order, computed
 * from the policy register. Other capabilities call policy_compliance()
 * (referrals refuse to send people to a non-compliant provider).
 *
 * Rules: the required domains are policy_required_domains (governance.h).
 * For each, the organisation's newest policy (latest approved_on) counts:
 * none at all is "missing"; review_due before today is "expired"; review_due
 * within 30 days from today (inclusive) is "expiring". Any missing or
 * expired domain makes the organisation non_compliant; otherwise any
 * expiring one makes it expiring; otherwise compliant. "Today" is the
 * ctx's clock (c->now), so tests and chis tick can move it.
 */
#ifndef CHIS_COMPLIANCE_H
#define CHIS_COMPLIANCE_H

#include "domain/ctx.h"

#define COMPLIANCE_WINDOW_DAYS 30

enum compliance_status { COMPLIANCE_COMPLIANT, COMPLIANCE_EXPIRING, COMPLIANCE_NON_COMPLIANT };

struct compliance {
    long long organisation_id;
    enum compliance_status status;
    const char *missing[8];
    int nmissing;
    const char *expiring[8];
    int nexpiring;
    const char *expired[8];
    int nexpired;
};

const char *compliance_status_name(enum compliance_status s); /* "compliant", ... */

/* One organisation's compliance now. RES_NOT_FOUND for an unknown id. Any signed-in actor. */
result policy_compliance(struct ctx *c, long long organisation_id, struct compliance *out);

/*
 * Every organisation's compliance (those serving place_id when it is not 0;
 * with status when it is not NULL), ordered by organisation name. The array
 * belongs to c->a. Providers see only their own organisation.
 */
result compliance_list(struct ctx *c, long long place_id, const char *status,
                       struct compliance **out, int *n);

#endif
