/*
 * reorder: provably minimal field orders.  A record's members become items
 * (a member, or a run of bitfields that share storage); an ABI placement
 * engine lays items out exactly as the compiler would; a search over item
 * multisets finds the minimum size; candidate orders are ranked by a short
 * list of named keys (size, hot cache lines, GC pointer bytes, moves).
 */
#ifndef PADSCAN_REORDER_H
#define PADSCAN_REORDER_H

#include "padscan/model.h"

/* A cache-line group of fields (padscan.json "groups"): kept contiguous. */
typedef struct ps_field_group {
    const char *name;           /* "read_mostly", "read_write", "cold", ... */
    const char *const *fields;
    size_t nfields;
    unsigned max_lines;         /* check: lines it may span; 0 = no budget */
} ps_field_group;

/* What the user's config says about one record. */
typedef struct ps_type_rules {
    const char *const *hot; /* hot member names, in priority order */
    size_t nhot;
    bool fixed;             /* wire format / ABI: report, never reorder */
    const ps_field_group *groups; /* in the config's order */
    size_t ngroups;
    bool group_lines;       /* each group starts on a cache line of its own */
    unsigned cacheline;
} ps_type_rules;

typedef const ps_type_rules *(*ps_rules_fn)(const ps_struct *s, void *ctx);

typedef struct ps_suggestion {
    uint32_t record;
    const char *keep_reason; /* why the order is kept (packed, union, ...), or NULL */
    bool proven;             /* optimal_size is the proven minimum */
    bool improves;           /* the new order is better than the current one */
    bool fixes_groups;       /* the current order breaks the config's groups; this one keeps them */
    uint32_t n;              /* members */
    uint32_t *order;         /* member indexes, new order */
    uint64_t *bit_pos;       /* new absolute bit position, by member index */
    uint64_t *member_size;   /* size after nested records shrink, by member index */
    uint64_t size, optimal_size, size_alone; /* alone: nested records unchanged */
    uint64_t order_size_alone; /* the listed order with nested records unchanged */
    uint64_t ptr_bytes, optimal_ptr_bytes;
    uint64_t cachelines, optimal_cachelines;
    uint32_t hot_lines, optimal_hot_lines; /* cache lines touched by hot members */
    uint32_t hot_first_line, optimal_hot_first_line; /* first line a hot member touches */
    uint32_t moves;          /* members that must move (n - longest kept run) */
    uint32_t nreasons, nwarnings;
    const char **reasons;    /* why this order, one sentence each */
    const char **warnings;   /* what could break if the order changes */
} ps_suggestion;

typedef struct ps_reorder ps_reorder;

ps_reorder *ps_reorder_new(const ps_binary *b, unsigned cacheline, ps_rules_fn rules, void *ctx);
void ps_reorder_free(ps_reorder *r);
/* Third-party dependencies' records are kept as they are unless this is
 * on (--include-deps); the standard library's and cgo's mirrors of C types
 * always are.  Call before the first ps_suggest. */
void ps_reorder_edit_deps(ps_reorder *r, bool yes);
/* Whether an order that only lowers Go pointer bytes (same size, same hot
 * lines) counts as an improvement; true unless the caller opts out. */
void ps_reorder_pointer_bytes(ps_reorder *r, bool count);

/* The suggestions of records[0..n) made ahead on jobs threads (a no-op for
 * one thread or a few records); ps_suggest then returns them.  Call after
 * the settings above and before the first ps_suggest. */
void ps_reorder_prepare(ps_reorder *r, const uint32_t *records, size_t n, unsigned jobs);

/* The suggestion for record idx; nested records are solved first and
 * memoized, so their shrinkage cascades into containers. */
const ps_suggestion *ps_suggest(ps_reorder *r, uint32_t idx);

/* The nested records g's optimum reorders too (they shrink), by name, into
 * out (room for g->n); returns how many. */
size_t ps_suggest_nested(const ps_binary *b, const ps_suggestion *g, const char **out);

/* spread.c: an order that puts the record's synchronization fields in
 * separate cache-line windows (check's max_shared_sync_lines fix), and
 * what it reaches: its size and the windows still shared (0 when it
 * separates them all).  False when the record has fewer than two sync
 * fields, or cannot be reordered member by member (bitfields, unions,
 * a kept order: g->keep_reason). */
typedef struct ps_sync_spread_order {
    uint32_t *order; /* member indexes */
    uint32_t n;
    uint64_t size;
    uint32_t shared_lines;
} ps_sync_spread_order;
bool ps_sync_spread(const ps_binary *b, const ps_struct *s, const ps_suggestion *g, unsigned line,
                    ps_arena *a, ps_sync_spread_order *out);

#endif
