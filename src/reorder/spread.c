/*
 * An order that keeps synchronization fields in separate cache-line
 * windows, for check's max_shared_sync_lines fix.  The suggestion only
 * promises not to bring sync fields together that are apart today; two
 * locks declared side by side stay side by side.  To separate them, other
 * members are placed between them until the next one starts in a later
 * window: the sync fields in decreasing alignment, each followed by the
 * other members (largest alignment first) it needs to clear its window,
 * the rest at the end.  The result is measured as the compiler lays it out
 * (each member at its alignment, the size rounded to the record's); when
 * the other members run out, the sync fields left share windows and the
 * count says how many.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/reorder.h"

static uint64_t align_up(uint64_t x, uint64_t a) { return a > 1 ? (x + a - 1) / a * a : x; }

typedef struct by_align_ctx {
    const ps_member *m;
} by_align_ctx;

static int by_align(const void *a, const void *b, void *ctx)
{
    const ps_member *m = ((by_align_ctx *)ctx)->m;
    const ps_member *x = &m[*(const uint32_t *)a], *y = &m[*(const uint32_t *)b];
    if (x->align != y->align)
        return x->align < y->align ? 1 : -1;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* Can this record be laid out member by member (no bitfields, no union,
 * no zero-size member, its order not kept), with two or more sync fields
 * to separate? */
static bool spreadable(const ps_struct *s, const ps_member *m, const ps_suggestion *g)
{
    uint32_t sync = 0;
    if (s->is_union || s->packed || !g || g->keep_reason)
        return false;
    for (uint32_t i = 0; i < s->nmembers; i++) {
        if (m[i].bit_size || !m[i].size || (m[i].flags & (PS_MF_BASE | PS_MF_VBASE)))
            return false; /* a zero-size member may be a flexible array or a fence */
        sync += (m[i].flags & PS_MF_SYNC) && m[i].size;
    }
    return sync >= 2;
}

typedef struct placer {
    const ps_member *m;
    uint32_t *order, n;
    uint64_t *bit_pos, *size, off;
} placer;

static void place(placer *p, uint32_t i)
{
    uint64_t at = align_up(p->off, p->m[i].align);
    p->bit_pos[i] = at * 8;
    p->size[i] = p->m[i].size;
    p->off = at + p->m[i].size;
    p->order[p->n++] = i;
}

bool ps_sync_spread(const ps_binary *b, const ps_struct *s, const ps_suggestion *g, unsigned line,
                    ps_arena *a, ps_sync_spread_order *out)
{
    const ps_member *m = ps_members_of(b, s);
    memset(out, 0, sizeof(*out));
    if (!line || !spreadable(s, m, g))
        return false;
    uint32_t n = s->nmembers, nsync = 0, nother = 0;
    uint32_t *sync = ps_xcalloc(n + 1, sizeof(uint32_t)), *other = ps_xcalloc(n + 1, sizeof(uint32_t));
    placer p = {m, ps_arena_zalloc(a, (n + 1) * sizeof(uint32_t)), 0,
                ps_xcalloc(n + 1, sizeof(uint64_t)), ps_xcalloc(n + 1, sizeof(uint64_t)), 0};
    for (uint32_t i = 0; i < n; i++) {
        if (m[i].flags & PS_MF_SYNC)
            sync[nsync++] = i;
        else
            other[nother++] = i;
    }
    by_align_ctx ctx = {m};
    qsort_r(sync, nsync, sizeof(uint32_t), by_align, &ctx);
    qsort_r(other, nother, sizeof(uint32_t), by_align, &ctx);
    uint32_t next = 0;
    uint64_t last_window = 0;
    for (uint32_t k = 0; k < nsync; k++) {
        while (k && next < nother && align_up(p.off, m[sync[k]].align) / line <= last_window)
            place(&p, other[next++]);
        place(&p, sync[k]);
        last_window = (p.off - 1) / line;
    }
    while (next < nother)
        place(&p, other[next++]);
    out->order = p.order;
    out->n = p.n;
    out->size = align_up(p.off, s->align ? s->align : 1);
    out->shared_lines = ps_sync_shared_lines(m, n, p.bit_pos, p.size, line);
    free(sync);
    free(other);
    free(p.bit_pos);
    free(p.size);
    return true;
}
