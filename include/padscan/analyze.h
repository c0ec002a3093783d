/*
 * analyze: where a record's bytes go — holes between members, unused bits
 * inside bitfield storage, tail padding, cache lines — computed from the
 * model alone.
 */
#ifndef PADSCAN_ANALYZE_H
#define PADSCAN_ANALYZE_H

#include "padscan/model.h"

typedef struct ps_hole {
    uint64_t offset, size; /* bytes */
    uint32_t after;        /* index of the member before it, or PS_NONE */
} ps_hole;

typedef struct ps_bit_hole {
    uint64_t bit_pos; /* absolute */
    uint32_t bits;
    uint32_t after;
} ps_bit_hole;

typedef struct ps_layout {
    uint32_t record; /* index into the binary's structs */
    uint64_t size, hole_bytes, tail_padding, waste, bit_hole_bits;
    uint64_t bit_padding; /* bits left unused after the last bitfield, before tail padding */
    double waste_percent;
    uint32_t nholes, nbit_holes, nstraddles;
    uint64_t cachelines; /* a 1 TiB array is 2^34 lines */
    uint32_t nsync;             /* synchronization fields (atomics, locks) */
    uint32_t shared_sync_lines; /* the object's cache-line windows holding two or more */
    ps_hole *holes;
    ps_bit_hole *bit_holes;
    uint32_t *straddles; /* member indexes crossing a cache-line boundary */
} ps_layout;

/* Fills *out for record idx; arrays come from arena. */
void ps_analyze_record(const ps_binary *b, uint32_t idx, unsigned cacheline, ps_arena *arena,
                       ps_layout *out);

#endif
