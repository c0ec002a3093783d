/*
 * What "better" means.  Candidate orders come from a few preference
 * rankings (named sort keys, read top to bottom); the search keeps each at
 * the minimum size; the objective then compares, in this order: size,
 * the last cache line a hot field touches (hot fields first), the cache
 * lines they span, Go pointer bytes, and how many fields move.  Everything a reader needs to know about the policy is here.
 */
#include <stdlib.h>

#include "rank.h"

typedef enum sort_key {
    KEY_END,
    KEY_HOT,     /* hot fields first, in the config's order */
    KEY_POINTER, /* Go: pointerful fields first (smaller GC scan prefix) */
    KEY_TRAIL,   /* Go: among those, fewer trailing pointer-free bytes first */
    KEY_ALIGN,   /* stricter alignment first */
    KEY_SIZE,    /* larger first */
    KEY_ORIGIN,  /* original position: fewest moves */
} sort_key;

/* Each candidate ranking; the search makes every one minimum-size. */
static const sort_key rankings[][8] = {
    {KEY_HOT, KEY_POINTER, KEY_TRAIL, KEY_ALIGN, KEY_SIZE, KEY_ORIGIN, KEY_END},
    {KEY_HOT, KEY_ALIGN, KEY_POINTER, KEY_TRAIL, KEY_SIZE, KEY_ORIGIN, KEY_END},
    {KEY_HOT, KEY_ALIGN, KEY_ORIGIN, KEY_END},
    {KEY_HOT, KEY_ORIGIN, KEY_END},
    {KEY_ALIGN, KEY_POINTER, KEY_TRAIL, KEY_SIZE, KEY_ORIGIN, KEY_END}, /* never pads */
};

size_t rank_count(void) { return sizeof(rankings) / sizeof(rankings[0]); }

static int compare_key(sort_key k, const item *a, const item *b)
{
    switch (k) {
    case KEY_HOT: return (a->hot_rank > b->hot_rank) - (a->hot_rank < b->hot_rank);
    case KEY_POINTER: return (a->ptr_bytes == 0) - (b->ptr_bytes == 0);
    case KEY_TRAIL:
        if (!a->ptr_bytes || !b->ptr_bytes)
            return 0;
        return (a->size - a->ptr_bytes > b->size - b->ptr_bytes) -
               (a->size - a->ptr_bytes < b->size - b->ptr_bytes);
    case KEY_ALIGN: return (a->align < b->align) - (a->align > b->align);
    case KEY_SIZE: return (a->size < b->size) - (a->size > b->size);
    case KEY_ORIGIN: return (a->first > b->first) - (a->first < b->first);
    default: return 0;
    }
}

static int compare_items(const sort_key *keys, const item *a, const item *b)
{
    int c = 0;
    for (const sort_key *k = keys; *k != KEY_END && !c; k++)
        c = compare_key(*k, a, b);
    return c;
}

/* Stable merge sort of pref[lo, hi) through tmp: n log n, since records
 * may have 100,000 members. */
static void merge_sort(const item_set *s, const sort_key *keys, uint32_t *pref, uint32_t *tmp,
                       uint32_t lo, uint32_t hi)
{
    for (uint32_t width = 1; width < hi - lo; width *= 2) {
        for (uint32_t left = lo; left < hi; left += 2 * width) {
            uint32_t mid = hi - left > width ? left + width : hi;
            uint32_t right = hi - mid > width ? mid + width : hi;
            uint32_t a = left, b = mid, k = left;
            while (a < mid || b < right)
                tmp[k++] = b >= right || (a < mid && compare_items(keys, &s->items[pref[b]],
                                                                   &s->items[pref[a]]) >= 0)
                               ? pref[a++] : pref[b++];
        }
        for (uint32_t i = lo; i < hi; i++)
            pref[i] = tmp[i];
    }
}

void rank_items(const item_set *s, size_t which, uint32_t *pref)
{
    for (uint32_t i = 0; i < s->n; i++)
        pref[i] = i;
    uint32_t *tmp = ps_xmalloc((s->n + 1) * sizeof(uint32_t));
    merge_sort(s, rankings[which], pref, tmp, 0, s->n);
    free(tmp);
}

/* The objective: lexicographic over the candidate's measures. */
bool rank_better(const candidate *a, const candidate *b)
{
    if (a->size != b->size)
        return a->size < b->size;
    if (a->hot_last != b->hot_last)
        return a->hot_last < b->hot_last;
    if (a->hot_lines != b->hot_lines)
        return a->hot_lines < b->hot_lines;
    if (a->ptr_bytes != b->ptr_bytes)
        return a->ptr_bytes < b->ptr_bytes;
    return a->moves < b->moves;
}
