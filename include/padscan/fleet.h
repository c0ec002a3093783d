/*
 * fleet: the estimate stage's view of a fleet run.  The services of a
 * manifest (as config parsed them), their binaries read once each by a pool
 * of threads, hot types matched against the records, stale reports
 * detected, and the per-type savings computed.  The command line only
 * loads files, calls this and prints the result.
 */
#ifndef PADSCAN_FLEET_H
#define PADSCAN_FLEET_H

#include "padscan/estimate.h"
#include "padscan/read.h"
#include "padscan/reorder.h"

/* One hot type entry of a service (docs/fleet.md). */
typedef struct ps_hot_type {
    const char *type; /* name or glob */
    uint64_t instances; /* per replica */
    bool has_instances; /* false: taken from the service's heap profiles */
    ps_holding held;
    const char *in;   /* embedded: the hot type holding it */
    bool optional;    /* may match no record */
} ps_hot_type;

typedef struct ps_service {
    const char *name;
    const char **binaries; /* resolved against the manifest's folder */
    size_t nbinaries;
    const char *report;    /* a saved `padscan analyze --format json` */
    const char *expect_path, *expect_build_id; /* what the report should describe */
    uint64_t replicas;
    const char *go_version; /* "go1.21": for sources that do not say theirs */
    bool has_allocator;
    ps_allocator allocator;
    ps_hot_type *hot;
    size_t nhot;
    const char **heap_profiles; /* Go heap profiles of the binary (docs/heap.md) */
    size_t nprofiles;
    uint64_t profile_top;       /* structs taken from the profiles as hot types */
} ps_service;

/* What a fleet run reads: the manifest's services, and how. */
typedef struct ps_fleet_plan {
    const char *manifest;       /* its path, for messages and relative paths */
    const ps_service *services;
    size_t n;
    const ps_read_options *read;
    unsigned threads, cacheline;
    bool progress;              /* "read 3 of 7 binaries" on stderr */
    ps_rules_fn rules;          /* fixed types, for the optimal sizes */
    void *rules_ctx;
    bool edit_deps;             /* --include-deps: dependencies' hot types are reordered */
    /* a saved analyze report as a source; on failure src->error says why */
    void (*load_report)(const char *path, ps_fleet_source *src, ps_arena *arena);
} ps_fleet_plan;

typedef struct ps_fleet_run ps_fleet_run;

/* Reads every distinct binary once (in parallel) and estimates the fleet.
 * Returns 0, or -1 with one line in err (a manifest entry that matches
 * nothing, an embedded type its container does not hold); *out is set in
 * both cases and freed with ps_fleet_run_close.  Binaries or reports that
 * cannot be read are not errors: their services carry the reason. */
int ps_fleet_run_open(const ps_fleet_plan *plan, ps_fleet_run **out, char *err, size_t errlen);
const ps_fleet *ps_fleet_run_result(const ps_fleet_run *run);
/* The i-th distinct binary (NULL if it could not be read); returns how many. */
size_t ps_fleet_run_binaries(ps_fleet_run *run, size_t i, const ps_binary **bin,
                             ps_reorder **reorder);
void ps_fleet_run_close(ps_fleet_run *run);

/* Threads to use by default: the online cores. */
unsigned ps_default_jobs(void);

#endif
