/*
 * Items: what moves when a record is reordered.  One ordinary member is
 * one item; a run of bitfields moves as one block so that fields sharing a
 * storage unit stay together; zero-size members go first (so that Go never
 * pads after a trailing zero-size field), a flexible array stays last, and
 * a fence (ps_member_is_fence) stays where it is.
 */
#include <string.h>

#include "items.h"

static uint32_t hot_rank(const ps_type_rules *rules, const ps_member *m, uint32_t n)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t i = 0; rules && i < n; i++)
        for (size_t h = 0; h < rules->nhot; h++)
            if (m[i].name && !strcmp(m[i].name, rules->hot[h]) && h < best)
                best = (uint32_t)h;
    return best;
}

static uint32_t config_group(const ps_type_rules *rules, const ps_member *m, uint32_t n)
{
    for (size_t g = 0; rules && g < rules->ngroups; g++)
        for (size_t f = 0; f < rules->groups[g].nfields; f++)
            for (uint32_t i = 0; i < n; i++)
                if (m[i].name && !strcmp(m[i].name, rules->groups[g].fields[f]))
                    return (uint32_t)g;
    return UINT32_MAX;
}

static void size_item(item_set *s, item *it)
{
    const ps_member *m = s->m;
    uint32_t last = it->first + it->count - 1;
    it->align = 1;
    for (uint32_t i = it->first; i <= last; i++)
        it->align = m[i].align > it->align ? m[i].align : it->align;
    if (it->bitfields) {
        uint64_t start = m[it->first].bit_pos, end = m[last].bit_pos + m[last].bit_size;
        it->size = (end - start / (it->align * 8ULL) * it->align * 8ULL + 7) / 8;
    } else {
        it->size = s->msize[it->first];
        it->ptr_bytes = s->mptr[it->first];
    }
}

static bool same_class(const item *a, const item *b)
{
    return !a->bitfields && !b->bitfields && a->size == b->size && a->align == b->align &&
           a->pinned_first == b->pinned_first && a->pinned_last == b->pinned_last;
}

/* Items that place identically share a class, so the search can treat
 * them as interchangeable.  A hash of the class's key finds an earlier
 * item of it (linear in items: records may have 100,000 members).  A fence
 * is a class of its own. */
void items_classify(item_set *s)
{
    ps_map seen = {0}; /* key hash (probed by 2) -> item index + 1 */
    s->ncls = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        item *it = &s->items[i];
        it->cls = UINT32_MAX;
        if (it->bitfields || it->fence) {
            it->cls = s->ncls++;
            continue;
        }
        uint64_t key[2] = {it->size, (uint64_t)it->align | (uint64_t)it->pinned_first << 32 |
                                         (uint64_t)it->pinned_last << 33};
        for (uint64_t h = ps_hash_bytes(key, sizeof(key), 5) | 1;; h += 2) {
            void *v = ps_map_get(&seen, h);
            if (!v) {
                it->cls = s->ncls++;
                ps_map_put(&seen, h, (void *)(uintptr_t)(i + 1));
                break;
            }
            const item *o = &s->items[(uintptr_t)v - 1];
            if (same_class(o, it)) {
                it->cls = o->cls;
                break;
            }
        }
    }
    ps_map_free(&seen);
}

void items_build(item_set *s, const ps_struct *rec, const ps_member *m, const uint64_t *msize,
                 const uint64_t *mptr, const ps_type_rules *rules, unsigned cacheline,
                 ps_arena *arena)
{
    uint32_t n = rec->nmembers;
    memset(s, 0, sizeof(*s));
    s->items = ps_arena_zalloc(arena, (n + 1) * sizeof(item));
    s->m = m;
    s->msize = msize;
    s->mptr = mptr;
    s->align = rec->align;
    s->go = rec->lang == PS_LANG_GO;
    s->ngroups = rules ? (uint32_t)rules->ngroups : 0;
    s->group_line = s->ngroups && rules->group_lines ? cacheline : 0;
    for (uint32_t i = 0; i < n;) {
        item *it = &s->items[s->n++];
        it->first = i;
        it->bitfields = m[i].bit_size > 0;
        do
            i++;
        while (it->bitfields && i < n && m[i].bit_size > 0);
        it->count = i - it->first;
        size_item(s, it);
        it->hot_rank = hot_rank(rules, m + it->first, it->count);
        it->group = config_group(rules, m + it->first, it->count);
        it->sync = !it->bitfields && (m[it->first].flags & PS_MF_SYNC);
        bool zero = !it->bitfields && it->size == 0;
        it->pinned_last = zero && (i == n) && (m[it->first].flags & PS_MF_FLEXIBLE) && !s->go;
        it->fence = !it->bitfields && !it->pinned_last &&
                    ps_member_is_fence(&m[it->first], rec->lang, i == n, cacheline);
        it->pinned_first = zero && !it->pinned_last && !it->fence;
        it->group = it->fence ? UINT32_MAX : it->group; /* a fence belongs to no group */
    }
    items_classify(s);
}
