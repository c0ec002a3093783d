/*
 * check: the CI gate.  Budgets (rules per type glob), baselines (only
 * regressions fail) and diffs between two builds, over snapshots — the
 * measured numbers of each struct — which come from a binary or from a
 * saved report alike.  Knows neither DWARF nor JSON.
 */
#ifndef PADSCAN_CHECK_H
#define PADSCAN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "padscan/model.h"
#include "padscan/util.h"

typedef struct ps_snap_member {
    const char *name;
    uint64_t offset, size;
    const char *record; /* the record type it holds by value, or NULL */
} ps_snap_member;

/* One struct as measured. */
typedef struct ps_snap_struct {
    const char *name, *lang;
    const char *ctype;      /* C spelling, or NULL */
    uint64_t size, waste, optimal_size, ptr_bytes;
    uint64_t cachelines;
    double waste_percent;
    const char *decl_file; /* NULL when unknown */
    const char *decl_root; /* the folder decl_file is relative to (source_root), or NULL */
    uint32_t decl_line;
    const char *decl_note;  /* how the location was found, e.g. "a method of the type" */
    const char *fix;        /* the suggested order, in words (ps_fix_text), or NULL */
    ps_class cls;           /* own, dependency, standard library / system */
    ps_snap_member *members;
    size_t nmembers;
    /* The suggestion, as much as the fix text and the fleet need: */
    uint64_t optimal_ptr_bytes;
    uint64_t optimal_cachelines;
    const char *const *order; /* member labels in the suggested order; none if it
                               * does not improve */
    size_t norder;
    uint64_t order_size;      /* what that order reaches with nested records unchanged */
    const char *const *nested; /* nested records the optimum reorders too */
    size_t nnested;
    uint32_t shared_sync_lines; /* cache-line windows with two or more sync fields */
    /* The order that separates the sync fields (ps_sync_spread), when the
     * record has two or more and can be reordered: */
    bool has_sync_order;
    const char *const *sync_order;
    size_t nsync_order;
    uint64_t sync_order_size;
    uint32_t sync_order_lines; /* windows it leaves shared */
} ps_snap_struct;

/* The records of one input, and what the input was. */
typedef struct ps_snapshot {
    const char *source;   /* binary or report path */
    const char *binary;   /* the binary the records come from (a report's) */
    const char *arch;     /* ps_arch_name, or NULL when unknown (baselines) */
    const char *build_id, *go_version;
    unsigned ptr_size;
    bool is_go;
    size_t nbinaries;     /* a report's binaries (0: a baseline) */
    const char *empty_binary; /* a binary of the report with no records, or NULL */
    const char *subset;   /* a report of some records only: the options that
                           * narrowed it ("--top 5"); NULL when complete */
    unsigned cacheline;   /* the line size its cachelines count in; 0: not
                           * said (baselines before it was written) */
    unsigned classes;     /* 1 << ps_class of each class a report holds;
                           * 0: every class (reports before classes) */
    ps_snap_struct *structs;
    size_t n;
} ps_snapshot;

/* The decl_note of a Go type located by one of its methods. */
extern const char ps_decl_note_method[];

/* waste as a share of size, from the integers (a report's rounded figure
 * is for people) */
double ps_snap_waste_percent(const ps_snap_struct *s);

/* fix.c: "reorder to 24 bytes: a, b, c", saying what the listed order
 * reaches alone and which nested records the optimum reorders too; NULL
 * when the order does not improve. */
const char *ps_fix_text(const ps_snap_struct *s, ps_arena *a);

const ps_snap_struct *ps_snap_find(const ps_snapshot *s, const char *name);

/* The same lookup by hash, for every struct of a snapshot in turn. */
typedef struct ps_snap_index {
    const ps_snapshot *snap;
    ps_strindex names;
} ps_snap_index;
void ps_snap_index_init(ps_snap_index *x, const ps_snapshot *s); /* s may be NULL */
const ps_snap_struct *ps_snap_index_find(const ps_snap_index *x, const char *name);
void ps_snap_index_free(ps_snap_index *x);

/* pair.c: which struct of an earlier snapshot each struct of a later one
 * is (a name may stand for several records). */
typedef struct ps_snap_pairing {
    const ps_snapshot *snap;
    ps_strindex names, places; /* name, and name+file+size, -> group */
    char **keys;
    bool *used;
    uint32_t *next_name, *next_place, *head_name, *head_place;
} ps_snap_pairing;
void ps_snap_pairing_init(ps_snap_pairing *p, const ps_snapshot *before); /* before may be NULL */
/* match[k]: after's k-th struct's partner in before, or NULL */
void ps_snap_pair_all(ps_snap_pairing *p, const ps_snapshot *after, const ps_snap_struct **match);
bool ps_snap_paired(const ps_snap_pairing *p, size_t i); /* before's i-th was taken */
void ps_snap_pairing_free(ps_snap_pairing *p);

/* ratchet.c: out[k] is snaps[k] with each struct that got worse than its
 * partner in was replaced by that partner; returns how many were.  The
 * caller frees each out[k].structs. */
size_t ps_baseline_ratchet(ps_snapshot *const *snaps, size_t n, const ps_snapshot *was,
                           ps_snapshot *out);

typedef enum ps_rule_kind {
    PS_RULE_MAX_WASTE, PS_RULE_MAX_WASTE_PERCENT, PS_RULE_MAX_SIZE, PS_RULE_MAX_CACHELINES,
    PS_RULE_MUST_BE_OPTIMAL, PS_RULE_MAX_POINTER_BYTES, PS_RULE_MAX_SHARED_SYNC_LINES,
    PS_RULE_KINDS,
} ps_rule_kind;

const char *ps_rule_name(ps_rule_kind k); /* the budget file's key */

typedef struct ps_budget_rule {
    const char *const *types; /* globs */
    size_t ntypes;
    bool has[PS_RULE_KINDS];
    double limit[PS_RULE_KINDS];
    bool optional; /* its globs may match nothing */
    bool one_type; /* "types" was one string, not a list (for JSON paths) */
} ps_budget_rule;

typedef struct ps_budget_ignore {
    const char *type, *reason;
    bool optional;
} ps_budget_ignore;

typedef struct ps_budget {
    ps_budget_rule *rules;
    size_t nrules;
    ps_budget_ignore *ignores;
    size_t nignores;
    bool has_fleet_max_waste;
    uint64_t fleet_max_waste; /* allocator bytes the fleet's hot types waste */
    bool fleet_optional;      /* a check without --fleet may skip it */
} ps_budget;

/* One rule applied to one struct (or the fleet): JUnit reports them all. */
typedef struct ps_check_result {
    const ps_snap_struct *s;  /* NULL for the fleet rule */
    const char *binary;
    const char *rule;         /* "max_waste", ..., "fleet.max_waste", "grew", "more_waste" */
    size_t rule_index;        /* in the budget file */
    double value, limit;
    bool failed;
    bool grandfathered;       /* failed, but no worse than the baseline */
    const char *fix;          /* what fixes this result (ps_rule_fix), or NULL */
} ps_check_result;

typedef struct ps_check {
    ps_check_result *results;
    size_t n, failures, cap;
    ps_arena arena;           /* the fix texts */
} ps_check;

/* The fix of a rule on a record: the record's fix (ps_fix_text) when the
 * best order meets the limit; else that no order does, and what the best
 * reaches; for max_shared_sync_lines the order that separates the sync
 * fields (or that none found does). */
const char *ps_rule_fix(ps_rule_kind k, double limit, const ps_snap_struct *s, ps_arena *a);

/* Evaluates every rule on every struct of snap; with a baseline, failures
 * no worse than it are grandfathered and growth is a failure of its own. */
void ps_check_snapshot(ps_check *out, const ps_budget *b, const ps_snapshot *snap,
                       const ps_snapshot *baseline);
/* A rule glob or ignore entry (not optional) that matches no record of
 * the snapshots: one line "budget: $.rules[0].types[1]: ..." with a
 * did-you-mean in err, and -1; else 0.  A gate that checks nothing is
 * no gate. */
int ps_check_unmatched(const char *budget_path, const ps_budget *b,
                       const ps_snapshot *const *snaps, size_t n, char *err, size_t errlen);
/* A limit of a rule (not optional) that measured no record although the
 * rule's globs match some (max_pointer_bytes on C records only, every
 * record ignored): -1 with one line naming the rule and why; else 0. */
int ps_check_unmeasured(const char *budget_path, const ps_budget *b, const ps_check *c,
                        const ps_snapshot *const *snaps, size_t n, char *err, size_t errlen);
/* The decisions ps_check_snapshot makes: does a rule cover a record, does
 * the budget ignore it. */
bool ps_rule_covers(const ps_budget_rule *r, const char *name);
bool ps_budget_ignores(const ps_budget *b, const char *name);
void ps_check_fleet(ps_check *out, const ps_budget *b, uint64_t fleet_waste);
void ps_check_free(ps_check *c);

/* A cache-line group of a type (padscan.json "groups"): its fields must be
 * contiguous, and span at most max_lines lines (0: no budget).  The rule
 * names ("groups.read_write.contiguous", "groups.read_write.max_lines") are
 * the caller's strings. */
typedef struct ps_group_rule {
    const char *type; /* glob, on the name or the C spelling */
    const char *const *fields;
    size_t nfields;
    unsigned max_lines;
    const char *contiguous_rule, *lines_rule;
} ps_group_rule;

void ps_check_groups(ps_check *out, const ps_group_rule *g, size_t n, const ps_snapshot *snap,
                     unsigned cacheline);

/* padscan diff */
typedef enum ps_change_kind {
    PS_CHANGE_ADDED, PS_CHANGE_REMOVED, PS_CHANGE_SIZE, PS_CHANGE_WASTE, PS_CHANGE_CACHELINES,
    PS_CHANGE_POINTER_BYTES, PS_CHANGE_MEMBER_ADDED, PS_CHANGE_MEMBER_REMOVED,
    PS_CHANGE_MEMBER_MOVED,
} ps_change_kind;

typedef struct ps_change {
    ps_change_kind kind;
    const char *type, *member;
    uint64_t before, after;
    bool regression; /* grew, more waste, more cache lines, more pointer bytes */
} ps_change;

typedef struct ps_diff {
    ps_change *changes;
    size_t n, regressions, cap;
    size_t compared; /* records of NEW paired with one of OLD */
} ps_diff;

void ps_diff_snapshots(ps_diff *out, const ps_snapshot *before, const ps_snapshot *after);
void ps_diff_free(ps_diff *d);

#endif
