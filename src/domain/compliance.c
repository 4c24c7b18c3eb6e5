/*
 * compliance.c: being built (issue 3).
 */
#include "domain/compliance.h"

const char *compliance_status_name(enum compliance_status s)
{
    return s == COMPLIANCE_COMPLIANT ? "compliant"
           : s == COMPLIANCE_EXPIRING ? "expiring"
                                      : "non_compliant";
}

result policy_compliance(struct ctx *c, long long organisation_id, struct compliance *out)
{
    (void)organisation_id;
    (void)out;
    return ctx_fail(c, RES_INTERNAL, "not built yet");
}

result compliance_list(struct ctx *c, long long place_id, const char *status,
                       struct compliance **out, int *n)
{
    (void)place_id;
    (void)status;
    (void)out;
    (void)n;
    return ctx_fail(c, RES_INTERNAL, "not built yet");
}
