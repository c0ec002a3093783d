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
} item;

typedef struct item_set {
    item *items;
    uint32_t n, ncls;
    const ps_member *m;
    const uint64_t *msize; /* member sizes after nested records shrink */
    const uint64_t *mptr;  /* member pointer bytes after the same */
    uint32_t align;        /* the record's alignment */
    bool go;
} item_set;

/* items.c */
void items_build(item_set *s, const ps_struct *rec, const ps_member *m, const uint64_t *msize,
                 const uint64_t *mptr, const ps_type_rules *rules, ps_arena *arena);

/* place.c: lays items out in the given order exactly as the C ABI or Go
 * does; positions (bits, by member index) go to pos; returns bytes. */
uint64_t place_item(const item_set *s, const item *it, uint64_t at_bits, uint64_t *pos);
uint64_t layout_size(const item_set *s, const uint32_t *order, uint64_t *pos);

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

/* warnings.c */
void warnings_collect(const ps_binary *b, const ps_struct *s, const ps_member *m,
                      ps_suggestion *g, void (*add)(ps_suggestion *, void *, const char *, ...),
                      void *ctx);

#endif
