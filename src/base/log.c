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
    if ((size_t)(n + m) > sizeof line - 2) m = (int)(sizeof line - 2) - n;
    /* Values in a message (paths, addresses) come from outside: a control
     * character could start a forged line, so each becomes '?'. */
    for (int i = n; i < n + m; i++)
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) line[i] = '?';
    n += m;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, (size_t)n);
    (void)w;
}
