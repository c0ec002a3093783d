/*
 * One hot type's savings across a fleet: per instance on paper (struct
 * bytes) and for real (allocator bytes), times instances times replicas.
 */
#include "padscan/estimate.h"
#include "padscan/util.h"

/* Counts times bytes must fit in 64 bits: a wrapped total would look
 * plausible and be wrong. */
bool ps_estimate_type(ps_type_saving *s, ps_allocator a, const ps_alloc_target *t,
                      uint64_t per_replica, uint64_t replicas)
{
    const ps_type_facts *f = &s->facts;
    ps_allocator how = s->held == PS_HELD_HEAP ? a : PS_ALLOC_EXACT;
    if (!ps_mul_ok(per_replica, replicas, &s->instances))
        return false;
    s->bytes = ps_alloc_bytes(how, t, f->size, f->ptr_bytes > 0);
    s->optimal_bytes = ps_alloc_bytes(how, t, f->optimal_size, f->optimal_ptr_bytes > 0);
    s->change = how == PS_ALLOC_EXACT ? PS_CLASS_EXACT
              : s->bytes == s->optimal_bytes ? PS_CLASS_SAME : PS_CLASS_CROSSED;
    uint64_t paper = f->size > f->optimal_size ? f->size - f->optimal_size : 0;
    double per = s->bytes > s->optimal_bytes ? s->bytes - s->optimal_bytes : 0;
    double all = s->bytes * (double)s->instances, real = per * (double)s->instances + 0.5;
    uint64_t paper_total, whole;
    if (all >= 18446744073709551616.0 || real >= 18446744073709551616.0 ||
        !ps_mul_ok(paper, s->instances, &paper_total) ||
        !ps_mul_ok(f->size, s->instances, &whole))
        return false;
    /* an embedded value shrinks its container, which is counted there */
    bool counted_elsewhere = s->held == PS_HELD_EMBEDDED;
    s->paper_total = counted_elsewhere ? 0 : paper_total;
    s->real_total = counted_elsewhere ? 0 : (uint64_t)real;
    return true;
}

bool ps_fleet_totals(ps_fleet *f)
{
    f->paper_total = f->real_total = 0;
    f->failed = 0;
    bool over = false;
    for (size_t i = 0; i < f->n; i++) {
        f->failed += f->services[i].error != NULL;
        for (size_t k = 0; k < f->services[i].ntypes; k++) {
            over |= !ps_add_ok(f->paper_total, f->services[i].types[k].paper_total,
                                           &f->paper_total);
            over |= !ps_add_ok(f->real_total, f->services[i].types[k].real_total,
                                           &f->real_total);
        }
    }
    return !over;
}
