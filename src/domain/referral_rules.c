/*
 * referral_rules.c: the referral lifecycle as data. The names of the
 * states, which of them are still open, and the one table of allowed
 * transitions with the side that may make each and whether it needs a
 * reason. Everything else (the API, the pages, the tests) reads the rule
 * from here.
 */
#include "domain/referrals.h"

#include <string.h>

static const char *const status_names[REFERRAL_NSTATUS] = {
    [REFERRAL_DRAFT] = "draft",           [REFERRAL_SENT] = "sent",
    [REFERRAL_ACCEPTED] = "accepted",     [REFERRAL_DECLINED] = "declined",
    [REFERRAL_WAITLISTED] = "waitlisted", [REFERRAL_STARTED] = "started",
    [REFERRAL_COMPLETED] = "completed",   [REFERRAL_DROPPED_OUT] = "dropped_out",
    [REFERRAL_CANCELLED] = "cancelled",
};

#define R SIDE_REFERRER
#define P SIDE_PROVIDER

/*
 * The lifecycle. Cancelling is the referrer's, at any point before the
 * person starts; declining is either side's (the person may decline an
 * offer through their link worker); dropping out is reported by either.
 */
const struct referral_transition referral_transitions[] = {
    {REFERRAL_DRAFT, REFERRAL_SENT, R, false},
    {REFERRAL_SENT, REFERRAL_ACCEPTED, P, false},
    {REFERRAL_SENT, REFERRAL_DECLINED, R | P, true},
    {REFERRAL_SENT, REFERRAL_WAITLISTED, P, false},
    {REFERRAL_WAITLISTED, REFERRAL_ACCEPTED, P, false},
    {REFERRAL_WAITLISTED, REFERRAL_DECLINED, R | P, true},
    {REFERRAL_ACCEPTED, REFERRAL_STARTED, P, false},
    {REFERRAL_STARTED, REFERRAL_COMPLETED, P, false},
    {REFERRAL_STARTED, REFERRAL_DROPPED_OUT, R | P, true},
    {REFERRAL_DRAFT, REFERRAL_CANCELLED, R, true},
    {REFERRAL_SENT, REFERRAL_CANCELLED, R, true},
    {REFERRAL_WAITLISTED, REFERRAL_CANCELLED, R, true},
    {REFERRAL_ACCEPTED, REFERRAL_CANCELLED, R, true},
};
const int referral_transitions_len = sizeof referral_transitions / sizeof referral_transitions[0];

#undef R
#undef P

/* See referrals.h: a static string ("?" for a value out of range). */
const char *referral_status_name(enum referral_status s)
{
    return s >= 0 && s < REFERRAL_NSTATUS ? status_names[s] : "?";
}

/* See referrals.h. */
bool referral_status_parse(const char *s, enum referral_status *out)
{
    for (int i = 0; s && i < REFERRAL_NSTATUS; i++)
        if (strcmp(status_names[i], s) == 0) {
            *out = (enum referral_status)i;
            return true;
        }
    return false;
}

/* See referrals.h. */
bool referral_status_open(enum referral_status s)
{
    return s == REFERRAL_DRAFT || s == REFERRAL_SENT || s == REFERRAL_ACCEPTED ||
           s == REFERRAL_WAITLISTED || s == REFERRAL_STARTED;
}

/* See referrals.h: an entry of the static table, or NULL. */
const struct referral_transition *referral_transition_rule(enum referral_status from,
                                                           enum referral_status to)
{
    for (int i = 0; i < referral_transitions_len; i++)
        if (referral_transitions[i].from == from && referral_transitions[i].to == to)
            return &referral_transitions[i];
    return NULL;
}

/* See referrals.h. NULL or empty is "all". */
bool referral_queue_parse(const char *s, enum referral_queue *out)
{
    if (!s || !*s || strcmp(s, "all") == 0)
        *out = REFERRALS_ALL;
    else if (strcmp(s, "outgoing") == 0)
        *out = REFERRALS_OUTGOING;
    else if (strcmp(s, "incoming") == 0)
        *out = REFERRALS_INCOMING;
    else
        return false;
    return true;
}
