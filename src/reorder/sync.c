/*
 * Synchronization fields and false sharing.  A suggestion may not put two
 * synchronization fields (atomics, locks: PS_MF_SYNC) that are in different
 * cache lines today into one line, nor a synchronization field into a line
 * with a hot field it did not share a line with before.  "Line" means the
 * object's own windows of `line` bytes: Go and malloc do not align heap
 * objects to cache lines, so this is the layout's promise, not the
 * hardware's.  Orders that break the rule are set aside; the best one that
 * keeps it is suggested, and what keeping it costs is said.  Zero-size
 * fields hold nothing to share.  Every check sorts by offset and compares
 * only fields whose windows meet, so huge records stay linear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

typedef struct span {
    uint64_t lo, hi; /* windows */
    uint32_t i;      /* item or member index */
} span;

static int by_lo(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->lo != y->lo ? (x->lo > y->lo) - (x->lo < y->lo) : (x->i > y->i) - (x->i < y->i);
}

static span span_of(uint64_t bit_pos, uint64_t size, unsigned line, uint32_t i)
{
    uint64_t at = bit_pos / 8;
    return (span){at / line, (at + size - 1) / line, i};
}

static bool meet(const span *x, const span *y) { return x->lo <= y->hi && y->lo <= x->hi; }

bool sync_conflict(const item_set *s, const candidate *now, const candidate *c, unsigned line,
                   uint32_t *a, uint32_t *b)
{
    span *v = ps_xcalloc((size_t)s->n + 1, sizeof(span));
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        const item *it = &s->items[i];
        if (it->size && (it->sync || it->hot_rank != UINT32_MAX))
            v[n++] = span_of(c->pos[it->first], it->size, line, i);
    }
    qsort(v, n, sizeof(span), by_lo);
    bool clash = false;
    for (uint32_t x = 0; x < n && !clash; x++)
        for (uint32_t y = x + 1; y < n && v[y].lo <= v[x].hi && !clash; y++) {
            const item *p = &s->items[v[x].i], *q = &s->items[v[y].i];
            if (!p->sync && !q->sync)
                continue;
            span was_p = span_of(now->pos[p->first], p->size, line, 0);
            span was_q = span_of(now->pos[q->first], q->size, line, 0);
            if (meet(&was_p, &was_q))
                continue;
            *a = p->sync ? v[x].i : v[y].i;
            *b = p->sync ? v[y].i : v[x].i;
            clash = true;
        }
    free(v);
    return clash;
}

/* Candidates that keep every synchronization field in its place in the
 * order: each one becomes a fence. */
void sync_fenced(const item_set *s, item_set *out, ps_arena *a)
{
    *out = *s;
    out->items = ps_arena_alloc(a, ((size_t)s->n + 1) * sizeof(item));
    for (uint32_t i = 0; i < s->n; i++) {
        out->items[i] = s->items[i];
        out->items[i].fence |= s->items[i].sync;
        out->items[i].group = out->items[i].fence ? UINT32_MAX : out->items[i].group;
        out->items[i].pinned_first &= !out->items[i].fence;
    }
    items_classify(out);
}

bool sync_any(const item_set *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->items[i].sync)
            return true;
    return false;
}

/* Synchronization members (non-zero size) as window spans, sorted. */
static uint32_t sync_spans(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                           const uint64_t *size, unsigned line, span **out)
{
    span *v = ps_xcalloc((size_t)n + 1, sizeof(span));
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if ((m[i].flags & PS_MF_SYNC) && size[i])
            v[k++] = span_of(bit_pos[i], size[i], line, i);
    qsort(v, k, sizeof(span), by_lo);
    *out = v;
    return k;
}

/* "hits, misses and mu": the synchronization members that share a line
 * with another one at the given positions; false if none do. */
bool sync_sharing_names(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                        const uint64_t *size, unsigned line, char *out, size_t len)
{
    span *v;
    uint32_t k = sync_spans(m, n, bit_pos, size, line, &v);
    bool *shares = ps_xcalloc((size_t)n + 1, sizeof(bool));
    uint64_t reach = 0; /* the highest window of the spans before */
    uint32_t total = 0, count = 0;
    for (uint32_t x = 0; x < k; x++) {
        bool s = (x > 0 && reach >= v[x].lo) || (x + 1 < k && v[x + 1].lo <= v[x].hi);
        shares[v[x].i] = s;
        total += s;
        reach = x == 0 || v[x].hi > reach ? v[x].hi : reach;
    }
    enum { SHOWN = 8 }; /* then "and N more" */
    for (uint32_t i = 0; i < n && count < SHOWN; i++) {
        if (!shares[i])
            continue;
        size_t at = strlen(out);
        bool last = count + 1 == total;
        snprintf(out + at, len - at, "%s%s", count == 0 ? "" : last ? " and " : ", ",
                 ps_member_label(&m[i]));
        count++;
    }
    if (count < total) {
        size_t at = strlen(out);
        snprintf(out + at, len - at, " and %u more", total - count);
    }
    free(shares);
    free(v);
    return total > 0;
}
