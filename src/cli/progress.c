/*
 * Progress of long work on stderr: one line, rewritten in place and
 * cleared at the end ("padscan: vmlinux: 1234 of 2786 units").  Only on a
 * terminal and outside CI unless --progress asks; never with
 * --no-progress.  The reader calls in (from its threads, one call at a
 * time) through ps_read_options.progress.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "padscan/cli.h"

static struct {
    const char *binary; /* the one being read, or NULL */
    size_t index, count; /* which of how many binaries */
    double last;         /* when the line was last written */
    bool shown;          /* a line is on the terminal */
} state;

bool ps_progress_wanted(int setting)
{
    if (setting >= 0)
        return setting;
    const char *ci = getenv("CI");
    return isatty(STDERR_FILENO) && !(ci && !strcmp(ci, "true"));
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ps_progress_binary(const char *path, size_t index, size_t count)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    state.binary = slash ? slash + 1 : path;
    state.index = index;
    state.count = count;
}

void ps_progress_units(void *ctx, unsigned long done, unsigned long total)
{
    (void)ctx;
    double t = now();
    if (done < total && t - state.last < 0.1)
        return;
    state.last = t;
    char which[64] = "";
    if (state.count > 1)
        snprintf(which, sizeof(which), " (binary %zu of %zu)", state.index + 1, state.count);
    fprintf(stderr, "\rpadscan: %s%s: %lu of %lu units\033[K", state.binary ? state.binary : "reading",
            which, done, total);
    fflush(stderr);
    state.shown = true;
}

void ps_progress_clear(void)
{
    if (state.shown)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    state.shown = false;
}
