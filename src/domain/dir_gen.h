/*
 * dir_gen.h: deterministic synthetic directories (chis gen directory), for
 * the benchmark and for trying the directory out at national scale.
 *
 * The data looks like a real Creative Health directory: organizations of
 * about five services each, services with names and descriptions drawn from
 * word lists (so a common word such as "music" or "community" matches a
 * large share of them, as in real feeds), one or two venues each near a
 * real GB postcode district's centroid with a synthetic postcode, weekly
 * schedules, costs (most free), age ranges and terms of the shipped
 * taxonomy. Every synthetic postcode goes into the postcodes table with the
 * coordinates it was given, so proximity search finds them.
 */
#ifndef CHIS_DIR_GEN_H
#define CHIS_DIR_GEN_H

#include "domain/ctx.h"

struct dir_gen {
    long long services;      /* how many services (1 .. 2,000,000) */
    unsigned long long seed; /* the same seed makes the same data */
    /* Called every so often with the services written so far; may be NULL. */
    void (*progress)(void *ud, long long done, long long total);
    void *ud;
};

struct dir_gen_result {
    long long organizations;
    long long services;
    long long locations;
    long long postcodes; /* postcode rows added (those already there are kept) */
    /* Where the time went, in milliseconds: making the service documents,
     * making and storing the organizations (with their venues' postcodes),
     * storing the services (dir_service_store), and committing. */
    double build_ms, organizations_ms, services_ms, commit_ms;
};

/*
 * Generate g->services published services with their organizations (each
 * linked to a chis organisation of the same name, created when there is
 * none), locations and postcodes, through dir_organization_store() and
 * dir_service_store(), in one transaction: all or nothing. Ids are
 * UUID-shaped and drawn from the seed, so generating again with the same
 * seed updates the same rows. The operator only. RES_OK, RES_INVALID (a
 * size out of range: field "services"), RES_FORBIDDEN, RES_INTERNAL.
 */
result dir_generate(struct ctx *c, const struct dir_gen *g, struct dir_gen_result *out);

#endif
