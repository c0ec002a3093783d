/*
 * Groups: a record split at its fences.  Explicit padding and cache-line
 * aligned members are the author's intent (docs/suggest.md, "Fences"):
 * fields never move across them, each group between two fences is
 * reordered inside itself, and a fence keeps its place.  Placement is
 * monotone in the start offset, so the smallest end of each group, found
 * from where the previous group (and fence) ends, gives the smallest
 * record: the exhaustive search and the lower bound work group by group.
 */
#include <string.h>

#include "rank.h"

enum { MAX_STATES = 1 << 21 };

typedef struct group {
    uint32_t first, n; /* item range, declaration order */
    bool fence;
} group;

struct group_plan {
    group *g;
    uint32_t n;
};

group_plan *groups_plan(const item_set *s, ps_arena *arena)
{
    group_plan *p = ps_arena_zalloc(arena, sizeof(*p));
    p->g = ps_arena_zalloc(arena, (2 * (size_t)s->n + 1) * sizeof(group));
    for (uint32_t i = 0; i < s->n; i++) {
        group *last = p->n ? &p->g[p->n - 1] : NULL;
        if (s->items[i].fence || !last || last->fence)
            p->g[p->n++] = (group){i, 1, s->items[i].fence};
        else
            last->n++;
    }
    return p;
}

/* One group as an item set of its own, starting at `at`. */
static item_set sub_set(const item_set *s, const group *g, uint64_t at, bool last, ps_arena *a)
{
    item_set sub = *s;
    sub.items = ps_arena_alloc(a, ((size_t)g->n + 1) * sizeof(item));
    memcpy(sub.items, s->items + g->first, g->n * sizeof(item));
    sub.n = g->n;
    sub.start_bits = at;
    sub.open_end = !last;
    items_classify(&sub);
    return sub;
}

static uint64_t member_bits(const item_set *s, const item *it)
{
    uint64_t bits = 0;
    for (uint32_t i = it->first; i < it->first + it->count; i++)
        bits += s->m[i].bit_size ? s->m[i].bit_size : s->msize[i] * 8;
    return bits;
}

/* The lower bound: every group packed without a hole, fences placed. */
static uint64_t lower_bound(const item_set *s, const group_plan *p)
{
    uint64_t at = 0;
    for (uint32_t k = 0; k < p->n; k++)
        for (uint32_t i = p->g[k].first; i < p->g[k].first + p->g[k].n; i++)
            at = p->g[k].fence ? place_item(s, &s->items[i], at, NULL) : at + member_bits(s, &s->items[i]);
    uint64_t bytes = (at + 7) / 8;
    return (bytes + s->align - 1) / s->align * s->align;
}

/* One ranking through every group; a group's search is reused while it
 * starts where it did for the previous ranking. */
typedef struct group_cache {
    search *q;
    item_set sub;
    uint64_t start;
} group_cache;

static void one_ranking(const item_set *s, const group_plan *p, uint32_t which, uint32_t *order,
                        group_cache *cache, group_stats *st, ps_arena *a)
{
    uint64_t at = 0;
    uint32_t pos = 0;
    uint32_t *pref = ps_arena_alloc(a, ((size_t)s->n + 1) * sizeof(uint32_t));
    uint32_t *local = ps_arena_alloc(a, ((size_t)s->n + 1) * sizeof(uint32_t));
    for (uint32_t k = 0; k < p->n; k++) {
        const group *g = &p->g[k];
        if (g->fence) {
            order[pos++] = g->first;
            at = place_item(s, &s->items[g->first], at, NULL);
            continue;
        }
        group_cache *c = &cache[k];
        if (!c->q || c->start != at) {
            search_free(c->q);
            c->sub = sub_set(s, g, at, k + 1 == p->n, a);
            c->q = search_new(&c->sub, MAX_STATES);
            c->start = at;
            st->states += search_states(c->q);
            st->exact &= search_minimum(c->q) != 0 || g->n == 0;
            st->limited |= search_limited(c->q);
        }
        rank_items(&c->sub, which, pref);
        search_order(c->q, pref, local);
        for (uint32_t i = 0; i < g->n; i++) {
            order[pos++] = g->first + local[i];
            at = place_item(s, &s->items[g->first + local[i]], at, NULL);
        }
    }
}

void groups_search(const item_set *s, const group_plan *p, uint32_t nrank, uint32_t **orders,
                   group_stats *st, ps_arena *a)
{
    memset(st, 0, sizeof(*st));
    st->exact = true;
    group_cache *cache = ps_arena_zalloc(a, ((size_t)p->n + 1) * sizeof(group_cache));
    for (uint32_t k = 0; k < nrank; k++)
        one_ranking(s, p, k, orders[k], cache, st, a);
    for (uint32_t k = 0; k < p->n; k++) {
        search_free(cache[k].q);
        st->ngroups += !p->g[k].fence;
        st->nfences += p->g[k].fence;
    }
    st->lower_bound = lower_bound(s, p);
}
