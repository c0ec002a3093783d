/*
 * Private to src/estimate/fleet_*.c: the reader pool and the run's state.
 */
#ifndef PADSCAN_FLEET_INTERNAL_H
#define PADSCAN_FLEET_INTERNAL_H

#include <pthread.h>

#include "padscan/fleet.h"

typedef struct ps_fleet_job {
    const char *path; /* real path: the key that makes it read once */
    ps_binary bin;
    ps_reorder *reorder;
    char err[1024];
    bool ok;
} ps_fleet_job;

typedef struct ps_fleet_pool {
    ps_fleet_job *jobs;
    size_t n, next, done;
    pthread_mutex_t lock;
    const ps_read_options *read;
    bool progress;
} ps_fleet_pool;

/* Reads every binary the plan's services list, once each. */
void ps_fleet_pool_read(ps_fleet_pool *p, const ps_fleet_plan *plan);
/* The job reading path (added if new). */
size_t ps_fleet_job_of(ps_fleet_pool *p, const char *path);
void ps_fleet_pool_free(ps_fleet_pool *p);

#endif
