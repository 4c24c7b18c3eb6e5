/*
 * log.c: formats the whole line first and writes it with one call so lines
 * from worker threads do not interleave.
 */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum log_level log_threshold = LOG_INFO;

/* Set once at start, before any thread is running. */
void log_set_level(enum log_level lvl)
{
    log_threshold = lvl;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_threshold) return;
    static const char *const names[] = {"debug", "info", "warn", "error", ""};
    char line[2048];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, "%s ", names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) m = 0;
    n += m;
    if ((size_t)n > sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, (size_t)n);
    (void)w;
}
