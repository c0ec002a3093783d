/*
 * Hole, padding and cache-line analysis of one record.  Works in bits so
 * that bitfields and ordinary members share one sweep: a gap becomes whole
 * byte holes where it covers whole bytes and bit holes for the rest; the
 * bits after the last bitfield up to its byte's end are bit padding (what
 * pahole calls bit_padding), the bytes after that tail padding.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/analyze.h"

typedef struct sweep {
    ps_layout *out;
    ps_vec holes, bit_holes, straddles;
} sweep;

static void add_bit_hole(sweep *w, uint64_t from, uint64_t to, uint32_t after)
{
    if (to <= from)
        return;
    ps_bit_hole *h = ps_vec_push(&w->bit_holes);
    h->bit_pos = from;
    h->bits = (uint32_t)(to - from);
    h->after = after;
    w->out->bit_hole_bits += to - from;
}

/* Splits the gap [from, to) (bits) into bit holes at its ragged ends and
 * one byte hole in the middle. */
static void add_gap(sweep *w, uint64_t from, uint64_t to, uint32_t after)
{
    uint64_t first_byte = (from + 7) / 8, end_byte = to / 8;
    if (end_byte <= first_byte) {
        add_bit_hole(w, from, to, after);
        return;
    }
    add_bit_hole(w, from, first_byte * 8, after);
    ps_hole *h = ps_vec_push(&w->holes);
    h->offset = first_byte;
    h->size = end_byte - first_byte;
    h->after = after;
    w->out->hole_bytes += h->size;
    add_bit_hole(w, end_byte * 8, to, after);
}

/* Members are almost always already in position order, so insertion sort
 * is linear in practice and needs no shared state (readers run threaded). */
static void sort_by_position(uint32_t *order, const ps_member *m, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = order[i], j = i;
        while (j > 0 && m[order[j - 1]].bit_pos > m[x].bit_pos) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
}

static uint64_t sweep_members(sweep *w, const ps_member *m, uint32_t n)
{
    uint32_t *order = ps_xmalloc((n ? n : 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_by_position(order, m, n);
    uint64_t end = 0;
    uint32_t last = PS_NONE;
    for (uint32_t k = 0; k < n; k++) {
        const ps_member *x = &m[order[k]];
        if (x->bit_pos > end)
            add_gap(w, end, x->bit_pos, last);
        uint64_t x_end = x->bit_pos + ps_member_bits(x);
        if (x_end >= end) {
            end = x_end;
            last = order[k];
        }
    }
    free(order);
    return end;
}

static void find_straddles(sweep *w, const ps_member *m, uint32_t n, unsigned cacheline)
{
    for (uint32_t i = 0; i < n; i++) {
        uint64_t first = m[i].bit_pos / 8, bytes = (ps_member_bits(&m[i]) + 7) / 8;
        if (!bytes || bytes > cacheline)
            continue; /* larger than a line: spanning lines is unavoidable */
        if (first / cacheline != (first + bytes - 1) / cacheline)
            *(uint32_t *)ps_vec_push(&w->straddles) = i;
    }
}

void ps_analyze_record(const ps_binary *b, uint32_t idx, unsigned cacheline, ps_arena *arena,
                       ps_layout *out)
{
    const ps_struct *s = ps_struct_at(b, idx);
    const ps_member *m = ps_members_of(b, s);
    memset(out, 0, sizeof(*out));
    out->record = idx;
    out->size = s->size;
    sweep w = {.out = out};
    ps_vec_init(&w.holes, sizeof(ps_hole));
    ps_vec_init(&w.bit_holes, sizeof(ps_bit_hole));
    ps_vec_init(&w.straddles, sizeof(uint32_t));
    uint64_t end_bits = 0;
    if (s->is_union) {
        for (uint32_t i = 0; i < s->nmembers; i++)
            if (m[i].bit_pos + ps_member_bits(&m[i]) > end_bits)
                end_bits = m[i].bit_pos + ps_member_bits(&m[i]);
    } else {
        end_bits = sweep_members(&w, m, s->nmembers);
    }
    uint64_t end = (end_bits + 7) / 8;
    if (!s->is_union && end_bits % 8 && end <= s->size)
        out->bit_padding = 8 - end_bits % 8;
    out->tail_padding = s->size > end ? s->size - end : 0;
    out->waste = out->hole_bytes + out->tail_padding;
    out->waste_percent = s->size ? 100.0 * (double)out->waste / (double)s->size : 0.0;
    out->cachelines = (uint64_t)((s->size + cacheline - 1) / cacheline);
    find_straddles(&w, m, s->nmembers, cacheline);
    for (uint32_t i = 0; i < s->nmembers; i++)
        out->nsync += (m[i].flags & PS_MF_SYNC) != 0;
    if (!s->is_union)
        out->shared_sync_lines = ps_sync_shared_lines(m, s->nmembers, NULL, NULL, cacheline);
    out->holes = ps_vec_to_arena(&w.holes, arena);
    out->nholes = (uint32_t)w.holes.len;
    out->bit_holes = ps_vec_to_arena(&w.bit_holes, arena);
    out->nbit_holes = (uint32_t)w.bit_holes.len;
    out->straddles = ps_vec_to_arena(&w.straddles, arena);
    out->nstraddles = (uint32_t)w.straddles.len;
    ps_vec_free(&w.holes);
    ps_vec_free(&w.bit_holes);
    ps_vec_free(&w.straddles);
}
