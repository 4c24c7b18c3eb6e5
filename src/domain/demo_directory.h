/*
 * demo_directory.h: the demo system's Creative Health directory: services
 * offered by the demo's community organisations, in its neighbourhoods,
 * with fictional postcodes, and a few proposals waiting for approval.
 */
#ifndef CHIS_DEMO_DIRECTORY_H
#define CHIS_DEMO_DIRECTORY_H

#include "domain/ctx.h"

/* How many published services and pending proposals the demo has. */
#define DEMO_DIR_PENDING_NEW 2     /* new services proposed by the demo provider */
#define DEMO_DIR_PENDING_CHANGES 1 /* changes proposed to a published service */

/*
 * Load the directory. Runs inside demo_load's transaction, after the
 * structure and the users (the proposals are made as the demo provider),
 * in an operator context. RES_OK, or the first failure.
 */
result demo_load_directory(struct ctx *c);

/* The number of published services demo_load_directory() adds. */
extern const size_t demo_dir_services_len;

#endif
