/*
 * fleet heap_profiles: instance counts measured instead of typed.  The
 * service's profiles are attributed to types (heap.c) with the mean per
 * profile -- each profile is one replica's heap, or one snapshot of it,
 * and a fleet multiplies per-replica counts by its replicas -- and each
 * struct yields a count of objects of its own (held heap) and of backing
 * array elements (held array).  The structs wasting the most heap bytes
 * (in-use values x bytes a reorder removes) are marked as hot types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"
#include "padscan/heap.h"

typedef struct ranked {
    size_t index;  /* into the report's types */
    double wasted; /* in-use values x (size - optimal size), per replica */
} ranked;

static int by_wasted(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->wasted > y->wasted ? -1 : x->wasted < y->wasted ? 1 : x->index < y->index ? -1 : 1;
}

static void add_type(ps_vec *out, const ps_heap_report *r, const ps_heap_type *t, bool top)
{
    if (t->object_values)
        *(ps_profiled_type *)ps_vec_push(out) = (ps_profiled_type){
            .name = t->name, .held = PS_HELD_HEAP, .per_replica = ps_heap_per(r, t->object_values),
            .top = top};
    if (t->array_values)
        *(ps_profiled_type *)ps_vec_push(out) = (ps_profiled_type){
            .name = t->name, .held = PS_HELD_ARRAY, .per_replica = ps_heap_per(r, t->array_values),
            .top = top};
}

static void reduce(const ps_service *svc, const ps_heap_report *r, ps_arena *arena,
                   ps_fleet_profiled *out)
{
    ranked *rank = ps_xcalloc(r->ntypes + 1, sizeof(ranked));
    size_t n = 0;
    for (size_t i = 0; i < r->ntypes; i++) {
        const ps_heap_type *t = &r->types[i];
        if (t->record == PS_NONE || t->optimal_size >= t->size)
            continue;
        rank[n++] = (ranked){i, ps_heap_per(r, t->v.inuse_values) * (double)(t->size - t->optimal_size)};
    }
    qsort(rank, n, sizeof(ranked), by_wasted);
    ps_vec types;
    ps_vec_init(&types, sizeof(ps_profiled_type));
    bool *is_top = ps_xcalloc(r->ntypes + 1, sizeof(bool));
    for (size_t k = 0; k < n && k < svc->profile_top; k++)
        is_top[rank[k].index] = rank[k].wasted > 0;
    for (size_t i = 0; i < r->ntypes; i++)
        if (r->types[i].record != PS_NONE)
            add_type(&types, r, &r->types[i], is_top[i]);
    out->n = types.len;
    out->types = ps_vec_to_arena(&types, arena);
    ps_vec_free(&types);
    free(rank);
    free(is_top);
}

int ps_fleet_profiles(const ps_service *svc, const ps_binary *bin, ps_reorder *reorder,
                      unsigned cacheline, ps_arena *arena, ps_fleet_profiled *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof(*out));
    ps_code *code = NULL;
    ps_profile *p = ps_xcalloc(svc->nprofiles, sizeof(ps_profile));
    size_t loaded = 0;
    int rc = ps_code_open(bin->path, &code, err, errlen);
    for (; !rc && loaded < svc->nprofiles; loaded++)
        if (ps_profile_load(svc->heap_profiles[loaded], &p[loaded], err, errlen) ||
            !ps_heap_profile_matches(code, bin->path, &p[loaded], false, err, errlen))
            rc = -1;
    ps_heap_report r;
    if (!rc)
        rc = ps_heap_attribute(bin, reorder, code, p, svc->nprofiles, PS_COMBINE_MEAN, cacheline,
                               arena, &r, err, errlen);
    if (!rc)
        reduce(svc, &r, arena, out);
    for (size_t i = 0; i < loaded; i++)
        ps_profile_free(&p[i]);
    free(p);
    ps_code_close(code);
    return rc;
}
