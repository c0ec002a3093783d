/*
 * Private to reorder: candidate orders and the objective that ranks them.
 */
#ifndef PADSCAN_REORDER_RANK_H
#define PADSCAN_REORDER_RANK_H

#include "items.h"

typedef struct candidate {
    uint32_t *order; /* item indexes */
    uint64_t *pos;   /* bit positions by member index */
    uint64_t size, ptr_bytes;
    uint32_t hot_lines, moves;
    uint32_t hot_first, hot_last; /* lines touched by hot items, first and last + 1 */
} candidate;

size_t rank_count(void);
/* Item indexes sorted by ranking number `which`. */
void rank_items(const item_set *s, size_t which, uint32_t *pref);
bool rank_better(const candidate *a, const candidate *b);

#endif
