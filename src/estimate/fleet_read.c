/*
 * The fleet's reader pool: every distinct binary of a manifest read once,
 * by a few threads, however many services list it.  The model and the
 * reorder solver of each stay open for the estimate (and for check
 * --fleet, which snapshots them).
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet_internal.h"

static void *reader_thread(void *arg)
{
    ps_fleet_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        ps_fleet_job *j = &p->jobs[i];
        j->ok = ps_read_binary(j->path, p->read, &j->bin, j->err, sizeof(j->err)) == 0;
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->progress)
            fprintf(stderr, "\rpadscan fleet: read %zu of %zu binaries", p->done, p->n);
        pthread_mutex_unlock(&p->lock);
    }
}

static void read_all(ps_fleet_pool *p, unsigned threads)
{
    pthread_t *t = ps_xmalloc((threads + 1) * sizeof(pthread_t));
    pthread_mutex_init(&p->lock, NULL);
    unsigned started = 0;
    for (; started < threads && started < p->n; started++)
        if (pthread_create(&t[started], NULL, reader_thread, p) != 0)
            break;
    if (!started)
        reader_thread(p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    if (p->progress)
        fputs("\r\033[K", stderr);
    pthread_mutex_destroy(&p->lock);
    free(t);
}

size_t ps_fleet_job_of(ps_fleet_pool *p, const char *path)
{
    char real[PATH_MAX];
    const char *key = realpath(path, real) ? real : path;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->jobs[i].path, key))
            return i;
    size_t len = strlen(key) + 1;
    p->jobs[p->n].path = memcpy(ps_xmalloc(len), key, len);
    return p->n++;
}

void ps_fleet_pool_read(ps_fleet_pool *p, const ps_fleet_plan *plan)
{
    size_t total = 0;
    for (size_t i = 0; i < plan->n; i++)
        total += plan->services[i].nbinaries;
    p->jobs = ps_xmalloc((total + 1) * sizeof(ps_fleet_job));
    memset(p->jobs, 0, (total + 1) * sizeof(ps_fleet_job));
    for (size_t i = 0; i < plan->n; i++)
        for (size_t b = 0; b < plan->services[i].nbinaries; b++)
            ps_fleet_job_of(p, plan->services[i].binaries[b]);
    /* -j N is the whole budget: min(N, binaries) read at once, each on
     * N / that many threads; the progress line counts binaries. */
    unsigned threads = plan->threads ? plan->threads : 1;
    unsigned at_once = p->n < threads ? (unsigned)(p->n ? p->n : 1) : threads;
    p->read_copy = *plan->read;
    p->read_copy.jobs = threads / at_once;
    p->read_copy.progress = NULL;
    p->read = &p->read_copy;
    p->progress = plan->progress;
    read_all(p, at_once);
    for (size_t i = 0; i < p->n; i++)
        if (p->jobs[i].ok) {
            p->jobs[i].reorder = ps_reorder_new(&p->jobs[i].bin, plan->cacheline, plan->rules,
                                                plan->rules_ctx);
            ps_reorder_edit_deps(p->jobs[i].reorder, plan->edit_deps);
        }
}

void ps_fleet_pool_free(ps_fleet_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        ps_reorder_free(p->jobs[i].reorder);
        ps_binary_free(&p->jobs[i].bin);
        free((void *)p->jobs[i].path);
    }
    free(p->jobs);
    memset(p, 0, sizeof(*p));
}

unsigned ps_default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (unsigned)cores : 1;
}
