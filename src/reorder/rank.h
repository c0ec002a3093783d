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

/* sync.c: would c put two synchronization fields that are apart in now
 * into one line, or one with a hot field it was not with?  (items a, b) */
bool sync_conflict(const item_set *s, const candidate *now, const candidate *c, unsigned line,
                   uint32_t *a, uint32_t *b);
void sync_fenced(const item_set *s, item_set *out, ps_arena *a);
bool sync_any(const item_set *s);
bool sync_sharing_names(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                        const uint64_t *size, unsigned line, char *out, size_t len);

#endif
