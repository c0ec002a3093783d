/*
 * Synchronization fields and false sharing.  A suggestion may not put two
 * synchronization fields (atomics, locks: PS_MF_SYNC) that are in different
 * cache lines today into one line, nor a synchronization field into a line
 * with a hot field it did not share a line with before.  "Line" means the
 * object's own windows of `line` bytes: Go and malloc do not align heap
 * objects to cache lines, so this is the layout's promise, not the
 * hardware's.  Orders that break the rule are set aside; the best one that
 * keeps it is suggested, and what keeping it costs is said.
 */
#include <stdio.h>
#include <string.h>

#include "rank.h"

static bool overlap(const item_set *s, const candidate *c, uint32_t a, uint32_t b, unsigned line)
{
    const item *x = &s->items[a], *y = &s->items[b];
    uint64_t xa = c->pos[x->first] / 8, ya = c->pos[y->first] / 8;
    uint64_t xl = xa / line, xh = (xa + (x->size ? x->size : 1) - 1) / line;
    uint64_t yl = ya / line, yh = (ya + (y->size ? y->size : 1) - 1) / line;
    return xl <= yh && yl <= xh;
}

bool sync_conflict(const item_set *s, const candidate *now, const candidate *c, unsigned line,
                   uint32_t *a, uint32_t *b)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (!s->items[i].sync)
            continue;
        for (uint32_t j = 0; j < s->n; j++) {
            const item *o = &s->items[j];
            bool watched = o->sync ? j > i : o->hot_rank != UINT32_MAX;
            if (j == i || !watched || overlap(s, now, i, j, line) || !overlap(s, c, i, j, line))
                continue;
            *a = i;
            *b = j;
            return true;
        }
    }
    return false;
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

/* "hits, misses and mu": the synchronization members that share a line
 * with another one at the given positions; false if none do. */
bool sync_sharing_names(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                        const uint64_t *size, unsigned line, char *out, size_t len)
{
    uint32_t count = 0, total = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < n; i++) {
            bool shares = false;
            for (uint32_t j = 0; j < n && !shares && (m[i].flags & PS_MF_SYNC); j++) {
                if (j == i || !(m[j].flags & PS_MF_SYNC))
                    continue;
                uint64_t ia = bit_pos[i] / 8, ja = bit_pos[j] / 8;
                uint64_t il = ia / line, ih = (ia + (size[i] ? size[i] : 1) - 1) / line;
                uint64_t jl = ja / line, jh = (ja + (size[j] ? size[j] : 1) - 1) / line;
                shares = il <= jh && jl <= ih;
            }
            if (!shares)
                continue;
            if (pass == 0) {
                total++;
                continue;
            }
            size_t at = strlen(out);
            snprintf(out + at, len - at, "%s%s", count == 0 ? "" : count + 1 == total ? " and " : ", ",
                     ps_member_label(&m[i]));
            count++;
        }
    return total > 0;
}
