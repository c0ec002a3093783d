/*
 * Private to reorder: items (what moves), the placement engine (where the
 * compiler puts them) and the search (what the minimum is).
 */
#ifndef PADSCAN_REORDER_ITEMS_H
#define PADSCAN_REORDER_ITEMS_H

#include "padscan/reorder.h"

typedef struct item {
    uint32_t first, count; /* members, in declaration order */
    uint64_t size;         /* bytes; for a bitfield run, bytes it spans */
    uint32_t align;
    uint64_t ptr_bytes;    /* Go: pointer-holding prefix */
    uint32_t cls;          /* items of one class place identically */
    uint32_t hot_rank;     /* position in the hot list, UINT32_MAX if cold */
    bool bitfields, pinned_first, pinned_last;
    bool fence;            /* stays in place; nothing moves across it */
    bool sync;             /* holds an atomic or a lock */
    uint32_t group;        /* config group (ps_type_rules.groups), UINT32_MAX if none */
} item;

typedef struct item_set {
    item *items;
    uint32_t n, ncls;
    const ps_member *m;
    const uint64_t *msize; /* member sizes after nested records shrink */
    const uint64_t *mptr;  /* member pointer bytes after the same */
    uint32_t align;        /* the record's alignment */
    bool go;
    uint32_t ngroups;      /* config groups */
    unsigned group_line;   /* bytes: each config group starts at a multiple (0: off) */
    uint64_t start_bits;   /* a group (groups.c): where it starts ... */
    bool open_end;         /* ... and more follows: its end is not rounded */
} item_set;

/* items.c */
void items_build(item_set *s, const ps_struct *rec, const ps_member *m, const uint64_t *msize,
                 const uint64_t *mptr, const ps_type_rules *rules, unsigned cacheline,
                 ps_arena *arena);
void items_classify(item_set *s);

/* place.c: lays items out in the given order exactly as the C ABI or Go
 * does; positions (bits, by member index) go to pos; returns bytes. */
uint64_t place_item(const item_set *s, const item *it, uint64_t at_bits, uint64_t *pos);
uint64_t layout_size(const item_set *s, const uint32_t *order, uint64_t *pos);
/* The bits an item's members hold themselves: no order packs it tighter. */
uint64_t item_bits(const item_set *s, const item *it);

/* search.c: minimum size over all orders, and orders that reach it.
 * Records of more items than this are not searched: their orders are the
 * rankings' preference orders as they are (linear time), and the minimum
 * is known only where it is the lower bound (docs/suggest.md). */
#define SEARCH_MAX_ITEMS 4096
typedef struct search search;
search *search_new(const item_set *s, uint64_t max_states);
void search_free(search *q);
uint64_t search_minimum(search *q); /* bytes, or 0 when the space is too large */
uint64_t search_states(const search *q);
bool search_limited(const search *q);
/* Fills order (item indexes) with the first item of pref (a preference
 * ranking of all items) that keeps the minimum reachable, step by step. */
void search_order(search *q, const uint32_t *pref, uint32_t *order);

/* groups.c: fences (and the config's cache-line groups) split a record
 * into groups; each is searched on its own, in order, from where the
 * previous one ends.  orders[k] receives the full order for ranking k. */
typedef struct group_stats {
    uint64_t states;      /* summed over the groups' exhaustive searches */
    uint64_t lower_bound; /* bytes: each group's own bytes, fences placed */
    bool exact;           /* every group's minimum is proven */
    bool limited;         /* a group has more than SEARCH_MAX_ITEMS items */
    uint32_t ngroups;     /* groups that can move (between fences) */
    uint32_t nfences;
    bool config_groups;   /* the config's cache-line groups shape the plan */
} group_stats;

typedef struct group_plan group_plan;
group_plan *groups_plan(const item_set *s, ps_arena *arena);
void groups_search(const item_set *s, const group_plan *p, uint32_t nrank, uint32_t **orders,
                   group_stats *st, ps_arena *arena);
/* Does this order (item indexes, positions by member) keep every config
 * group contiguous and, when asked, each on a line of its own? */
bool groups_kept(const item_set *s, const uint32_t *order, const uint64_t *pos);

/* warnings.c */
void warnings_collect(const ps_binary *b, const ps_struct *s, const ps_member *m,
                      ps_suggestion *g, void (*add)(ps_suggestion *, void *, const char *, ...),
                      void *ctx);

#endif
