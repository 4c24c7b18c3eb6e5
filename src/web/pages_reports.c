/* pages_reports.c: placeholder route table while the area is being built. */
#include "web/web.h"

const struct route web_report_routes[1];
const size_t web_report_routes_len = 0;
