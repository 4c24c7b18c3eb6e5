/*
 * tick.c: chis tick (being built; issue 3).
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_tick(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "chis tick: not built yet\n");
    return 1;
}
