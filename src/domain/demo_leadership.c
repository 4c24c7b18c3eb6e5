/*
 * demo_leadership.c: being built (issue 3).
 */
#include "domain/demo_leadership.h"

result demo_load_leadership(struct ctx *c)
{
    (void)c;
    return RES_OK;
}
