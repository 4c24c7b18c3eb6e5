/*
 * export.c: chis export (to be written).
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "chis export: not built yet\n");
    return 2;
}
