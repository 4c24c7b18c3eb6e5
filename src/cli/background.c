/*
 * background.c: the scheduler thread inside chis serve. It runs
 * scheduler_run() with the real clock once at start (background_start
 * returns after that first run, so the server's first requests see its
 * result) and then every interval, each time on a store connection of its
 * own that it opens and closes. It waits on a condition variable with a
 * monotonic clock, so background_stop() wakes it at once and joins it.
 *
 * The thread blocks SIGINT and SIGTERM: the server's main thread waits for
 * them with sigwait(), and a stop signal delivered to this thread instead
 * would end the process without a graceful shutdown.
 */
#include "cli/background.h"

#include "base/log.h"
#include "domain/scheduler.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct background {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;       /* set by background_stop */
    bool first_done; /* the first run has finished */
    unsigned every;  /* seconds between runs */
    char *db_path;   /* owned */
};

/* One run of the scheduler on a fresh connection; failures are logged. */
static void run_once(const char *db_path)
{
    char *err = NULL;
    store_conn *db = store_open(db_path, &err);
    if (!db) {
        log_error("scheduler: cannot open %s: %s", db_path, err ? err : "?");
        free(err);
        return;
    }
    struct ctx c;
    ctx_init(&c, arena_new(1 << 14), db, time(NULL));
    c.by_operator = true;
    struct tick_report report;
    if (scheduler_run(&c, &report) != RES_OK)
        log_error("scheduler: %s", c.detail ? c.detail : "failed");
    else if (report.escalated || report.notifications)
        log_info("scheduler: escalated %d concerns, wrote %d notifications", report.escalated,
                 report.notifications);
    store_close(db);
    arena_free(c.a);
}

/* The thread: run, then wait for the interval or a stop, until stopped. */
static void *loop(void *arg)
{
    struct background *b = arg;
    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        pthread_mutex_unlock(&b->mu);
        run_once(b->db_path);
        pthread_mutex_lock(&b->mu);
        if (!b->first_done) {
            b->first_done = true;
            pthread_cond_broadcast(&b->cv);
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += b->every;
        while (!b->stop && pthread_cond_timedwait(&b->cv, &b->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* See background.h. The structure is freed by background_stop. */
struct background *background_start(const char *db_path, unsigned every_seconds)
{
    struct background *b = calloc(1, sizeof *b);
    if (!b || !(b->db_path = strdup(db_path))) {
        free(b);
        log_error("scheduler: out of memory");
        return NULL;
    }
    b->every = every_seconds ? every_seconds : 60;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, &attr);
    pthread_condattr_destroy(&attr);

    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old); /* the new thread inherits this mask */
    int rc = pthread_create(&b->thread, NULL, loop, b);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        log_error("scheduler: cannot start its thread: %s", strerror(rc));
        pthread_cond_destroy(&b->cv);
        pthread_mutex_destroy(&b->mu);
        free(b->db_path);
        free(b);
        return NULL;
    }
    pthread_mutex_lock(&b->mu);
    while (!b->first_done)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
    return b;
}

/* See background.h. Wakes the thread, waits for its current run, frees it. */
void background_stop(struct background *b)
{
    if (!b) return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
    free(b->db_path);
    free(b);
}
