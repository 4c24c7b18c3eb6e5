/* retention.c: placeholder while the command is being built. */
#include "cli/cli.h"

#include <stdio.h>

int cmd_retention(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "chis retention: not built yet\n");
    return 2;
}
