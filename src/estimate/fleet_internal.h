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
    ps_read_options read_copy; /* plan->read with this pool's jobs per binary */
} ps_fleet_pool;

/* Reads every binary the plan's services list, once each. */
void ps_fleet_pool_read(ps_fleet_pool *p, const ps_fleet_plan *plan);
/* The job reading path (added if new). */
size_t ps_fleet_job_of(ps_fleet_pool *p, const char *path);
void ps_fleet_pool_free(ps_fleet_pool *p);

/* fleet_heap.c: a service's heap profiles, reduced to instance counts per
 * replica (the mean over the profiles) of each struct, by how it is held. */
typedef struct ps_profiled_type {
    const char *name;
    ps_holding held;      /* heap (objects of their own) or array (elements) */
    double per_replica;
    bool top;             /* among the profile_top structs by wasted heap bytes */
    bool used;            /* a manifest hot type took it */
} ps_profiled_type;

typedef struct ps_fleet_profiled {
    ps_profiled_type *types;
    size_t n;
} ps_fleet_profiled;

/* Returns 0, or -1 with one line in err (a profile that cannot be read or
 * is not of the service's binary). */
int ps_fleet_profiles(const ps_service *svc, const ps_binary *bin, ps_reorder *reorder,
                      unsigned cacheline, ps_arena *arena, ps_fleet_profiled *out, char *err,
                      size_t errlen);

#endif
