/*
 * background.h: the thread inside chis serve that runs the scheduler every
 * interval on its own store connection, until stopped.
 */
#ifndef CHIS_BACKGROUND_H
#define CHIS_BACKGROUND_H

struct background;

/* Start it; NULL (logged) if it cannot. */
struct background *background_start(const char *db_path, unsigned every_seconds);

/* Stop it and wait for it to finish its current run. NULL is a no-op. */
void background_stop(struct background *b);

#endif
