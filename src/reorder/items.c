/*
 * Items: what moves when a record is reordered.  One ordinary member is
 * one item; a run of bitfields moves as one block so that fields sharing a
 * storage unit stay together; zero-size members go first (so that Go never
 * pads after a trailing zero-size field) and a flexible array stays last.
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

/* Items that place identically share a class, so the search can treat
 * them as interchangeable. */
static void classify(item_set *s)
{
    s->ncls = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        item *it = &s->items[i];
        it->cls = UINT32_MAX;
        for (uint32_t k = 0; k < i && !it->bitfields; k++) {
            const item *o = &s->items[k];
            if (!o->bitfields && o->size == it->size && o->align == it->align &&
                o->pinned_first == it->pinned_first && o->pinned_last == it->pinned_last)
                it->cls = o->cls;
        }
        if (it->cls == UINT32_MAX)
            it->cls = s->ncls++;
    }
}

void items_build(item_set *s, const ps_struct *rec, const ps_member *m, const uint64_t *msize,
                 const uint64_t *mptr, const ps_type_rules *rules, ps_arena *arena)
{
    uint32_t n = rec->nmembers;
    memset(s, 0, sizeof(*s));
    s->items = ps_arena_zalloc(arena, (n + 1) * sizeof(item));
    s->m = m;
    s->msize = msize;
    s->mptr = mptr;
    s->align = rec->align;
    s->go = rec->lang == PS_LANG_GO;
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
        bool zero = !it->bitfields && it->size == 0;
        it->pinned_last = zero && (i == n) && (m[it->first].flags & PS_MF_FLEXIBLE) && !s->go;
        it->pinned_first = zero && !it->pinned_last;
    }
    classify(s);
}
