/*
 * pages_directory_edit.c: the provider editor and the approval queue (to be written)
 */
#include "web/web.h"

const struct route web_directory_edit_routes[1] = {{0}};
const size_t web_directory_edit_routes_len = 0;
