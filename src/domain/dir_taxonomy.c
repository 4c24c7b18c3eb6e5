/*
 * dir_taxonomy.c: the Creative Health taxonomy chis ships (to be written).
 */
#include "domain/directory.h"

/* Install the shipped taxonomy (placeholder until it is written). */
result dir_taxonomy_ensure(struct ctx *c)
{
    (void)c;
    return RES_OK;
}
