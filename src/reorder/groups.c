/*
 * Groups: a record split at its fences, and between two fences into the
 * config's cache-line groups (first, in the config's order, each kept
 * contiguous) and the other fields.  Explicit padding and cache-line
 * aligned members are the author's intent (docs/suggest.md, "Fences"):
 * fields never move across them, each group is reordered inside itself,
 * and a fence keeps its place.  Placement is monotone in the start offset,
 * so the smallest end of each group, found from where the previous group
 * (and fence) ends, gives the smallest record: the exhaustive search and
 * the lower bound work group by group.
 */
#include <string.h>

#include "rank.h"

enum { MAX_STATES = 1 << 21 };

typedef struct group {
    uint32_t *items; /* item indexes, declaration order */
    uint32_t n;
    bool fence;
    bool line;       /* a config group that starts on a line of its own */
} group;

struct group_plan {
    group *g;
    uint32_t n;
    uint32_t *pool, used; /* every group's items, one group after another */
};

/* A group is filled completely before the next is added, so each takes
 * the pool from where the previous one ends. */
static group *add_group(group_plan *p, bool fence)
{
    if (p->n)
        p->used += p->g[p->n - 1].n;
    group *g = &p->g[p->n++];
    g->items = p->pool + p->used;
    g->n = 0;
    g->fence = fence;
    g->line = false;
    return g;
}

static uint64_t line_up(const item_set *s, uint64_t at)
{
    uint64_t bits = (uint64_t)s->group_line * 8;
    return (at + bits - 1) / bits * bits;
}

/* The items between two fences (from, to): the config's groups first, in
 * its order, each contiguous; then the fields in no group. */
static void between(group_plan *p, const item_set *s, uint32_t from, uint32_t to)
{
    for (uint32_t cg = 0; cg <= s->ngroups; cg++) {
        uint32_t want = cg < s->ngroups ? cg : UINT32_MAX;
        group *g = NULL;
        for (uint32_t i = from; i < to; i++)
            if (s->items[i].group == want) {
                g = g ? g : add_group(p, false);
                g->line = s->group_line && want != UINT32_MAX;
                g->items[g->n++] = i;
            }
    }
}

group_plan *groups_plan(const item_set *s, ps_arena *arena)
{
    group_plan *p = ps_arena_zalloc(arena, sizeof(*p));
    p->g = ps_arena_zalloc(arena, ((size_t)s->n + (size_t)s->ngroups + 2) * 2 * sizeof(group));
    p->pool = ps_arena_alloc(arena, ((size_t)s->n + 1) * sizeof(uint32_t));
    uint32_t from = 0;
    for (uint32_t i = 0; i <= s->n; i++) {
        if (i < s->n && !s->items[i].fence)
            continue;
        between(p, s, from, i);
        if (i < s->n) {
            group *g = add_group(p, true);
            g->items[g->n++] = i;
        }
        from = i + 1;
    }
    return p;
}

/* One group as an item set of its own, starting at `at`. */
static item_set sub_set(const item_set *s, const group *g, uint64_t at, bool last, ps_arena *a)
{
    item_set sub = *s;
    sub.items = ps_arena_alloc(a, ((size_t)g->n + 1) * sizeof(item));
    for (uint32_t i = 0; i < g->n; i++)
        sub.items[i] = s->items[g->items[i]];
    sub.n = g->n;
    sub.start_bits = at;
    sub.open_end = !last;
    items_classify(&sub);
    return sub;
}

/* The lower bound: every group packed without a hole, fences placed. */
static uint64_t lower_bound(const item_set *s, const group_plan *p)
{
    uint64_t at = 0;
    for (uint32_t k = 0; k < p->n; k++)
        for (uint32_t j = 0; j < p->g[k].n; j++) {
            if (p->g[k].line && j == 0)
                at = line_up(s, at);
            const item *it = &s->items[p->g[k].items[j]];
            at = p->g[k].fence ? place_item(s, it, at, NULL) : at + item_bits(s, it);
        }
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
            order[pos++] = g->items[0];
            at = place_item(s, &s->items[g->items[0]], at, NULL);
            continue;
        }
        if (g->line)
            at = line_up(s, at);
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
            order[pos++] = g->items[local[i]];
            at = place_item(s, &s->items[g->items[local[i]]], at, NULL);
        }
    }
}

bool groups_kept(const item_set *s, const uint32_t *order, const uint64_t *pos)
{
    for (uint32_t g = 0; g < s->ngroups; g++) {
        uint32_t first = UINT32_MAX, last = 0, count = 0, total = 0;
        for (uint32_t k = 0; k < s->n; k++) {
            if (s->items[order[k]].group != g)
                continue;
            first = first == UINT32_MAX ? k : first;
            last = k;
            count++;
        }
        for (uint32_t i = 0; i < s->n; i++)
            total += s->items[i].group == g;
        if (!count)
            continue;
        if (last - first + 1 != count || count != total)
            return false;
        const item *head = &s->items[order[first]];
        if (s->group_line && pos[head->first] % ((uint64_t)s->group_line * 8))
            return false;
    }
    return true;
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
    st->config_groups = s->ngroups > 0;
}
