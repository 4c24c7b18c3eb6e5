/*
 * examples.c: being built (issue 3).
 */
#include "domain/examples.h"

result examples_ensure(struct ctx *c)
{
    (void)c;
    return RES_OK;
}
