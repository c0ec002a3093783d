/*
 * estimate: what a fleet gets back.  Turns per-type sizes (current and
 * optimal) into bytes the allocator really hands out, per instance and for
 * every replica of every service.  Knows allocators, not DWARF or JSON.
 */
#ifndef PADSCAN_ESTIMATE_H
#define PADSCAN_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ps_allocator {
    PS_ALLOC_GO,       /* Go runtime: size classes, tiny allocator, malloc headers */
    PS_ALLOC_GLIBC,    /* glibc malloc: 16-byte chunks with an 8-byte header */
    PS_ALLOC_JEMALLOC, /* jemalloc 5: 4 size classes per doubling */
    PS_ALLOC_TCMALLOC, /* gperftools tcmalloc: its size-class table */
    PS_ALLOC_EXACT,    /* no rounding (arrays, slices, embedded values) */
} ps_allocator;

const char *ps_allocator_name(ps_allocator a);
bool ps_allocator_parse(const char *name, ps_allocator *out);

typedef struct ps_alloc_target {
    unsigned ptr_size;
    int go_minor; /* Go 1.N; 0 when unknown (taken as current) */
} ps_alloc_target;

/* Bytes one heap object of `size` bytes occupies: its size class, or for
 * Go's tiny allocator (several small pointer-free objects per 16-byte
 * block) its share of a block, which need not be whole. */
double ps_alloc_bytes(ps_allocator a, const ps_alloc_target *t, uint64_t size, bool has_pointers);

typedef enum ps_holding { PS_HELD_HEAP, PS_HELD_ARRAY, PS_HELD_EMBEDDED } ps_holding;

/* What the model says about one type. */
typedef struct ps_type_facts {
    const char *name;
    const char *ctype; /* C spelling ("struct tag"), or NULL: globs match either */
    const char *const *holds; /* types it holds by value (member types) */
    size_t nholds;
    uint64_t size, optimal_size;
    uint64_t ptr_bytes, optimal_ptr_bytes;
    uint64_t cachelines, optimal_cachelines;
} ps_type_facts;

typedef enum ps_class_change {
    PS_CLASS_SAME,    /* both sizes fall in one allocator class: nothing comes back */
    PS_CLASS_CROSSED, /* the object drops to a smaller class */
    PS_CLASS_EXACT,   /* no classes (exact, arrays): every byte counts */
} ps_class_change;

/* Where a hot type's instance count comes from (fleet heap_profiles). */
typedef enum ps_count_source {
    PS_COUNT_MANIFEST, /* typed into the manifest */
    PS_COUNT_PROFILE,  /* measured: the service's heap profiles, per replica */
    PS_COUNT_BOTH,     /* both exist: the manifest's is used, the profiles' shown */
} ps_count_source;

typedef struct ps_type_saving {
    ps_type_facts facts;
    ps_holding held;
    const char *container; /* embedded: the hot type holding it */
    uint64_t instances;    /* across all replicas */
    ps_count_source count_from;
    uint64_t manifest_instances; /* per replica, when the manifest gives them */
    double profile_instances;    /* per replica (mean over the profiles), when profiled */
    double bytes, optimal_bytes; /* per instance, as allocated (tiny objects share blocks) */
    uint64_t paper_total, real_total;
    ps_class_change change;
} ps_type_saving;

/* Fills the allocation numbers of one hot type; embedded types are counted
 * in their container (real_total 0).  False when instances, bytes or
 * totals do not fit in 64 bits. */
bool ps_estimate_type(ps_type_saving *s, ps_allocator a, const ps_alloc_target *t,
                      uint64_t per_replica, uint64_t replicas);


/* Everything the fleet estimate needs from one binary (read now, or from a
 * saved analyze report). */
typedef struct ps_fleet_source {
    const char *path, *build_id, *go_version;
    unsigned ptr_size;
    bool is_go;
    ps_type_facts *types;
    size_t ntypes;
    const char *error; /* why it could not be read, or NULL */
    const char *subset; /* a report of some records only: the options, or NULL */
    const char *empty;  /* why it yielded no records at all, or NULL */
    const char *const *names; /* every record's name, for "did you mean" */
    size_t nnames;
} ps_fleet_source;

/* The fleet, as the report shows it. */
typedef struct ps_fleet_service {
    const char *name, *source; /* source: binary path(s) or report */
    const char *error;         /* could not be read: the reason */
    const char *warning;       /* e.g. a report made from another binary */
    ps_allocator allocator;
    uint64_t replicas;
    ps_type_saving *types;
    size_t ntypes;
} ps_fleet_service;

typedef struct ps_fleet {
    ps_fleet_service *services;
    size_t n, failed;
    uint64_t paper_total, real_total;
    unsigned cacheline;
} ps_fleet;

/* False when a total does not fit in 64 bits. */
bool ps_fleet_totals(ps_fleet *f);

#endif
