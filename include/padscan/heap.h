/*
 * heap: Go heap profiles turned into types (padscan heap, docs/heap.md).
 * Every profile sample is attributed to the type its allocation site
 * allocates (the reader decodes the site, padscan/sites.h), summed per
 * type, and each struct is priced: its waste, its optimal size and the
 * allocator bytes a reorder would give back.  Part of the estimate stage:
 * it stands on the model, the analysis and the reorder solver.
 */
#ifndef PADSCAN_HEAP_H
#define PADSCAN_HEAP_H

#include "padscan/estimate.h"
#include "padscan/profile.h"
#include "padscan/reorder.h"
#include "padscan/sites.h"

/* Several profiles of one service: their values summed, or the mean per
 * profile (one replica's heap, what a fleet multiplies by its replicas). */
typedef enum ps_combine { PS_COMBINE_MEAN, PS_COMBINE_SUM } ps_combine;

/* Sums over the profiles, of the profiles' own (scaled) values. */
typedef struct ps_heap_values {
    uint64_t inuse_objects, inuse_bytes, alloc_objects, alloc_bytes;
    uint64_t inuse_values; /* values of the type in use: objects, array elements */
    double gives_back;     /* allocator bytes in use a reorder would free */
} ps_heap_values;

enum ps_heap_how { /* bits: how a type was allocated */
    PS_HOW_OBJECT = 1 << PS_SITE_OBJECT,
    PS_HOW_ARRAY = 1 << PS_SITE_ARRAY,
    PS_HOW_MAP = 1 << PS_SITE_MAP,
    PS_HOW_CHAN = 1 << PS_SITE_CHAN,
};

typedef struct ps_heap_type {
    const char *name;  /* the record's name, else the runtime's spelling */
    uint32_t record;   /* index into the binary's structs, or PS_NONE */
    int go_kind;
    uint64_t size;     /* bytes of one value */
    unsigned how;      /* ps_heap_how bits */
    uint32_t sites;    /* distinct allocation sites */
    ps_heap_values v;
    uint64_t object_values, array_values; /* in use: objects of their own,
                                           * elements of backing arrays */
    /* records only: the layout and what a reorder changes */
    bool priced;       /* false for map and channel storage (not modeled) */
    uint64_t waste, optimal_size;
    const char *keep_reason; /* why the order is kept, or NULL */
} ps_heap_type;

typedef struct ps_heap_unattributed {
    const char *why;
    const char *where; /* the callee, else the function holding the site */
    uint32_t sites;
    ps_heap_values v;
} ps_heap_unattributed;

typedef struct ps_heap_report {
    const char *binary, *build_id, *go_version;
    ps_arch arch;
    const char *const *profiles;
    size_t nprofiles;
    int64_t period;      /* the sampling rate (bytes), when all agree; 0 if not */
    bool has_alloc;      /* every profile has alloc_objects/alloc_space */
    ps_combine combine;
    ps_heap_values total;
    uint64_t attributed_bytes; /* in-use bytes attributed to a type */
    ps_heap_type *types;       /* by in-use bytes, largest first */
    size_t ntypes;
    ps_heap_unattributed *unattributed; /* by in-use bytes, largest first */
    size_t nunattributed;
} ps_heap_report;

/* Refuses (false, one line in err) a profile that is not of this binary:
 * another build id, another file name, or a function at a sampled address
 * that the binary does not have there.  trust_name skips the build id and
 * file name comparison, not the functions'. */
bool ps_heap_profile_matches(ps_code *code, const char *binary_path, const ps_profile *p,
                             bool trust_name, char *err, size_t errlen);

/* Attributes and prices the samples of every profile.  Returns 0, or -1
 * with one line in err (a sum beyond 2^64).  Arrays come from arena. */
int ps_heap_attribute(const ps_binary *b, ps_reorder *reorder, ps_code *code,
                      const ps_profile *profiles, size_t n, ps_combine combine, unsigned cacheline,
                      ps_arena *arena, ps_heap_report *out, char *err, size_t errlen);

/* v divided by the report's divisor (1 for sum, the profiles for mean). */
double ps_heap_per(const ps_heap_report *r, uint64_t v);
const char *ps_heap_how_name(unsigned how_bit);

#endif
