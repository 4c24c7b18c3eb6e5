/*
 * import.c: chis import (to be written).
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "chis import: not built yet\n");
    return 2;
}
