/*
 * Suggestions per record: nested records first (their shrinkage cascades),
 * then the records padscan must leave alone, then a search and a ranking of
 * candidate orders.  Before any suggestion, the placement engine must
 * reproduce the compiler's own layout of the current order; a record it
 * cannot reproduce is reported but never reordered.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

struct ps_reorder {
    const ps_binary *b;
    unsigned cacheline;
    bool pointer_bytes; /* a reorder that only lowers pointer bytes improves */
    ps_rules_fn rules;
    void *ctx;
    ps_suggestion **memo;
    uint8_t *busy;
    bool deps_editable; /* dependencies' records are reordered too */
    ps_arena arena;
    ps_reorder **helpers; /* ps_reorder_prepare's, whose arenas hold memo entries */
    size_t nhelpers;
};

ps_reorder *ps_reorder_new(const ps_binary *b, unsigned cacheline, ps_rules_fn rules, void *ctx)
{
    ps_reorder *r = ps_xcalloc(1, sizeof(*r));
    if (!r)
        ps_out_of_memory();
    r->b = b;
    r->cacheline = cacheline;
    r->rules = rules;
    r->ctx = ctx;
    r->pointer_bytes = true;
    r->memo = ps_xcalloc(b->structs.len + 1, sizeof(*r->memo));
    r->busy = ps_xcalloc(b->structs.len + 1, 1);
    if (!r->memo || !r->busy)
        ps_out_of_memory();
    return r;
}

void ps_reorder_edit_deps(ps_reorder *r, bool yes)
{
    r->deps_editable = yes;
}

void ps_reorder_pointer_bytes(ps_reorder *r, bool count)
{
    r->pointer_bytes = count;
}

void ps_reorder_free(ps_reorder *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhelpers; i++)
        ps_reorder_free(r->helpers[i]);
    free(r->helpers);
    free(r->memo);
    free(r->busy);
    ps_arena_free(&r->arena);
    free(r);
}

/* Appends a formatted sentence to a list of sentences in the arena. */
static void append(ps_arena *a, const char ***list, uint32_t *n, const char *fmt, va_list ap)
{
    char buf[768];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    const char **more = ps_arena_alloc(a, (*n + 1) * sizeof(char *));
    for (uint32_t i = 0; i < *n; i++)
        more[i] = (*list)[i];
    more[(*n)++] = ps_arena_strdup(a, buf);
    *list = more;
}

static void add_reason(ps_reorder *r, ps_suggestion *g, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_reason(ps_reorder *r, ps_suggestion *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(&r->arena, &g->reasons, &g->nreasons, fmt, ap);
    va_end(ap);
}

static void add_warning(ps_suggestion *g, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_warning(ps_suggestion *g, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(&((ps_reorder *)ctx)->arena, &g->warnings, &g->nwarnings, fmt, ap);
    va_end(ap);
}

/* Member sizes and pointer bytes once nested records take their own
 * suggested layouts: a nested order that keeps the size but lowers the
 * pointer bytes counts too, so the container's optimum is the one with
 * both reordered. */
static void nested_sizes(ps_reorder *r, const ps_member *m, uint32_t n, uint64_t *msize,
                         uint64_t *mptr)
{
    for (uint32_t i = 0; i < n; i++) {
        msize[i] = m[i].size;
        mptr[i] = m[i].ptr_bytes;
        if (m[i].record == PS_NONE || !m[i].count || m[i].size % m[i].count)
            continue;
        const ps_suggestion *in = ps_suggest(r, m[i].record);
        uint64_t elem = m[i].size / m[i].count;
        if (!in || in->optimal_size > elem ||
            (in->optimal_size == elem && in->optimal_ptr_bytes >= in->ptr_bytes))
            continue;
        msize[i] = in->optimal_size * m[i].count;
        mptr[i] = in->optimal_ptr_bytes ? (m[i].count - 1) * in->optimal_size + in->optimal_ptr_bytes
                                        : 0;
    }
}

static bool shrinks(const ps_suggestion *g, const ps_member *m)
{
    for (uint32_t i = 0; i < g->n; i++)
        if (g->member_size[i] != m[i].size)
            return true;
    return false;
}

static const char *keep_reason(const ps_struct *s, const ps_member *m, const ps_type_rules *rules,
                               bool deps_editable)
{
    if (s->is_union)
        return "union: its members share offset 0";
    if (s->fixed_reason)
        return s->fixed_reason;
    if (s->packed)
        return "packed: the layout is deliberate (wire format or ABI)";
    if (rules && rules->fixed)
        return "listed as fixed in the config";
    if (s->cls == PS_CLASS_STD)
        return s->lang == PS_LANG_GO ? "a standard-library type: not yours to reorder"
                                     : "declared in a system header: not yours to reorder";
    if (s->cls == PS_CLASS_DEPENDENCY && !deps_editable)
        return "a third-party dependency's type: not yours to reorder (--include-deps reorders "
               "it)";
    if (ps_is_cgo_mirror(s))
        return "cgo's Go mirror of a C type: its layout is the C declaration's (reorder that)";
    for (uint32_t i = 0; i < s->nmembers; i++)
        if (m[i].flags & PS_MF_HOSTLAYOUT)
            return "contains structs.HostLayout: the layout follows the host's C ABI";
    if (s->nmembers < 2)
        return "fewer than two members";
    return NULL;
}

/* What fewer pointer bytes buy depends on the collector: before Go 1.26
 * the GC scans each object up to its last pointer; the Green Tea GC (the
 * default from Go 1.26) marks span by span, so the pointer prefix mostly
 * changes GC pacing (its scan work estimate), not bytes scanned. */
static void pointer_reason(ps_reorder *r, ps_suggestion *g)
{
    int minor = ps_go_version_minor(r->b->go_version);
    unsigned long long now = g->ptr_bytes, then = g->optimal_ptr_bytes;
    if (minor && minor < 26)
        add_reason(r, g, "pointerful fields first: the GC (%s) scans %llu bytes of each object "
                   "instead of %llu", r->b->go_version, then, now);
    else
        add_reason(r, g, "pointer bytes %llu instead of %llu: under the Green Tea GC (%s) marking "
                   "is span-based, so this mostly changes GC pacing, not the bytes scanned",
                   then, now, minor ? r->b->go_version : "Go version unknown, taken as 1.26 or later");
}

/* Evaluates an order of items: positions, size, pointer bytes, hot lines,
 * moves (items outside the longest run kept in original order). */
static void measure(const item_set *s, candidate *c, unsigned line)
{
    c->size = layout_size(s, c->order, c->pos);
    c->ptr_bytes = 0;
    c->hot_lines = 0;
    uint64_t lo = UINT64_MAX, hi = 0;
    uint32_t *tails = ps_xcalloc(s->n + 1, sizeof(uint32_t)), kept = 0;
    for (uint32_t k = 0; k < s->n; k++) {
        const item *it = &s->items[c->order[k]];
        uint64_t at = c->pos[it->first] / 8;
        if (s->go && it->ptr_bytes && at + it->ptr_bytes > c->ptr_bytes)
            c->ptr_bytes = at + it->ptr_bytes;
        if (it->hot_rank != UINT32_MAX) {
            lo = at / line < lo ? at / line : lo;
            uint64_t end = (at + (it->size ? it->size : 1) - 1) / line;
            hi = end > hi ? end : hi;
            c->hot_lines++;
        }
        uint32_t lo_i = 0, hi_i = kept; /* longest increasing run of origins */
        while (lo_i < hi_i) {
            uint32_t mid = (lo_i + hi_i) / 2;
            if (s->items[c->order[tails[mid]]].first < it->first)
                lo_i = mid + 1;
            else
                hi_i = mid;
        }
        tails[lo_i] = k;
        kept += lo_i == kept;
    }
    c->hot_first = c->hot_last = 0;
    if (c->hot_lines) {
        c->hot_lines = (uint32_t)(hi - lo + 1);
        c->hot_first = (uint32_t)lo;
        c->hot_last = (uint32_t)hi + 1;
    }
    c->moves = s->n - kept;
    free(tails);
}

static candidate new_candidate(ps_reorder *r, const item_set *s, uint32_t nmembers)
{
    candidate c = {0};
    c.order = ps_arena_alloc(&r->arena, (s->n + 1) * sizeof(uint32_t));
    c.pos = ps_arena_zalloc(&r->arena, (nmembers + 1) * sizeof(uint64_t));
    return c;
}

static void identity(const item_set *s, candidate *c)
{
    for (uint32_t i = 0; i < s->n; i++)
        c->order[i] = i;
}

/* The engine must reproduce the compiler's layout of the current order. */
static bool engine_agrees(ps_reorder *r, const ps_struct *rec, const ps_member *m,
                          const ps_type_rules *rules)
{
    uint64_t *msize = ps_arena_alloc(&r->arena, (rec->nmembers + 1) * sizeof(uint64_t));
    for (uint32_t i = 0; i < rec->nmembers; i++)
        msize[i] = m[i].size;
    item_set s;
    items_build(&s, rec, m, msize, msize, rules, r->cacheline, &r->arena);
    s.group_line = 0; /* the compiler's layout has no group padding */
    candidate c = new_candidate(r, &s, rec->nmembers);
    identity(&s, &c);
    if (layout_size(&s, c.order, c.pos) != rec->size)
        return false;
    for (uint32_t i = 0; i < rec->nmembers; i++)
        if (c.pos[i] != m[i].bit_pos)
            return false;
    return true;
}

static void adopt(ps_suggestion *g, const item_set *s, const candidate *c)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t j = 0; j < s->items[c->order[i]].count; j++)
            g->order[k++] = s->items[c->order[i]].first + j;
    for (uint32_t i = 0; i < g->n; i++)
        g->bit_pos[i] = c->pos[i];
    g->optimal_size = c->size;
    g->optimal_ptr_bytes = c->ptr_bytes;
    g->optimal_hot_lines = c->hot_lines;
    g->optimal_hot_first_line = c->hot_first;
    g->moves = c->moves;
}

static void explain(ps_reorder *r, ps_suggestion *g, const group_stats *st, const candidate *now,
                    const ps_struct *rec, uint64_t minimum, bool minimum_proven)
{
    if (st->nfences)
        add_reason(r, g, "%u fence%s (explicit padding or cache-line alignment) split the record "
                   "into %u group%s: fields stay in their group, fences stay in place",
                   st->nfences, st->nfences == 1 ? "" : "s", st->ngroups, st->ngroups == 1 ? "" : "s");
    if (st->limited && !minimum_proven)
        add_reason(r, g, "not searched exhaustively: %u members, more than the %u items padscan "
                         "searches; best order found by sorting, the lower bound is %llu bytes",
                   rec->nmembers, SEARCH_MAX_ITEMS, (unsigned long long)st->lower_bound);
    else if (st->states)
        add_reason(r, g, "%llu bytes is the minimum over all orders%s (exhaustive search, %llu states)",
                   (unsigned long long)minimum,
                   st->nfences || st->config_groups ? " that keep the fences and groups" : "",
                   (unsigned long long)st->states);
    else if (minimum_proven)
        add_reason(r, g, "%llu bytes is the minimum: the members' own bytes%s rounded to the alignment",
                   (unsigned long long)st->lower_bound, st->nfences ? " (and fences)" : "");
    else
        add_reason(r, g, "best order found by sorting; the lower bound is %llu bytes",
                   (unsigned long long)st->lower_bound);
    if (g->optimal_hot_lines && !g->optimal_hot_first_line)
        add_reason(r, g, "hot fields first: in the first %u cache line%s (were in %u, from line %u)",
                   g->optimal_hot_lines, g->optimal_hot_lines == 1 ? "" : "s", now->hot_lines,
                   now->hot_first);
    else if (g->optimal_hot_lines)
        add_reason(r, g, "hot fields in %u cache line%s from line %u: of the minimum-size orders "
                   "padscan tried, none starts them in line 0",
                   g->optimal_hot_lines, g->optimal_hot_lines == 1 ? "" : "s",
                   g->optimal_hot_first_line);
    if (rec->lang == PS_LANG_GO && g->optimal_ptr_bytes != g->ptr_bytes)
        pointer_reason(r, g);
    if (g->improves)
        add_reason(r, g, "of the best orders, the one closest to the current: %u of %u fields move",
                   g->moves, rec->nmembers);
}

/* Candidates from every ranking, each of minimum size under the fences. */
static candidate *search_pass(ps_reorder *r, const item_set *s, const item_set *measured,
                              uint32_t nmembers, group_stats *st)
{
    uint32_t nrank = (uint32_t)rank_count();
    candidate *cands = ps_arena_alloc(&r->arena, (nrank + 1) * sizeof(candidate));
    uint32_t **orders = ps_arena_alloc(&r->arena, (nrank + 1) * sizeof(uint32_t *));
    for (uint32_t k = 0; k < nrank; k++) {
        cands[k] = new_candidate(r, s, nmembers);
        orders[k] = cands[k].order;
    }
    groups_search(s, groups_plan(s, &r->arena), nrank, orders, st, &r->arena);
    for (uint32_t k = 0; k < nrank; k++)
        measure(measured, &cands[k], r->cacheline);
    return cands;
}

/* The best candidate that keeps synchronization fields apart; *any is the
 * best of all, *conflict says which of its fields would meet. */
static void pick(ps_reorder *r, const item_set *s, const candidate *now, const candidate *cands,
                 candidate *best, candidate *any, uint32_t *conflict)
{
    uint32_t nrank = (uint32_t)rank_count();
    for (uint32_t k = 0; k < nrank; k++) {
        uint32_t a, b;
        const candidate *c = &cands[k];
        bool clash = sync_conflict(s, now, c, r->cacheline, &a, &b);
        if (rank_better(c, any)) {
            *any = *c;
            conflict[0] = clash ? a : UINT32_MAX;
            conflict[1] = b;
        }
        if (!clash && rank_better(c, best))
            *best = *c;
    }
}

static void explain_sync(ps_reorder *r, ps_suggestion *g, const item_set *s, const candidate *any,
                         const candidate *best, const uint32_t *conflict)
{
    if (conflict[0] == UINT32_MAX || !rank_better(any, best))
        return;
    const item *a = &s->items[conflict[0]], *b = &s->items[conflict[1]];
    if (any->size == best->size) {
        add_reason(r, g, "an order preferred otherwise would put synchronization field %s into one "
                   "%u-byte window of the object with %s field %s; keeping them apart costs no bytes",
                   ps_member_label(&s->m[a->first]), r->cacheline,
                   b->sync ? "synchronization" : "hot", ps_member_label(&s->m[b->first]));
        return;
    }
    add_reason(r, g, "the smallest order (%llu bytes) would put synchronization field %s into "
               "one %u-byte window of the object with %s field %s; the best order that keeps "
               "them apart is %llu bytes (+%llu)", (unsigned long long)any->size,
               ps_member_label(&s->m[a->first]), r->cacheline, b->sync ? "synchronization" : "hot",
               ps_member_label(&s->m[b->first]), (unsigned long long)best->size,
               (unsigned long long)(best->size - any->size));
}

static void solve(ps_reorder *r, ps_suggestion *g, const ps_struct *rec, const item_set *s)
{
    candidate now = new_candidate(r, s, rec->nmembers);
    identity(s, &now);
    item_set plain = *s; /* the current layout has no group padding */
    plain.group_line = 0;
    measure(&plain, &now, r->cacheline);
    bool must = s->ngroups && !groups_kept(s, now.order, now.pos);
    group_stats st, fenced_st;
    candidate *cands = search_pass(r, s, s, rec->nmembers, &st);
    candidate best = now, any = now;
    if (must) /* the current order breaks the config's groups: any candidate beats it */
        best.size = any.size = UINT64_MAX;
    uint32_t conflict[2] = {UINT32_MAX, UINT32_MAX};
    pick(r, s, &now, cands, &best, &any, conflict);
    if (sync_any(s) && rank_better(&any, &best)) {
        item_set fenced;
        sync_fenced(s, &fenced, &r->arena);
        candidate spare = now;
        uint32_t ignored[2];
        pick(r, s, &now, search_pass(r, &fenced, s, rec->nmembers, &fenced_st), &best, &spare,
             ignored);
    }
    if (best.size == UINT64_MAX) { /* every candidate would co-locate sync fields */
        best = now;
        must = false;
    }
    any = any.size == UINT64_MAX ? best : any;
    g->fixes_groups = must;
    g->improves = must || (rank_better(&best, &now) &&
                           (r->pointer_bytes || best.size < now.size || best.hot_last < now.hot_last ||
                            best.hot_lines < now.hot_lines));
    adopt(g, s, g->improves ? &best : &now);
    g->proven = (st.exact || best.size <= st.lower_bound) && best.size == any.size;
    g->hot_lines = now.hot_lines;
    g->hot_first_line = now.hot_first;
    explain(r, g, &st, &now, rec, any.size, st.exact || any.size <= st.lower_bound);
    explain_sync(r, g, s, &any, &best, conflict);
    if (must)
        add_reason(r, g, "the current order breaks the config's cache-line groups (a group is "
                   "split%s); this order keeps them", s->group_line ? ", or does not start a line" : "");
}

/* The size the listed order reaches with every nested record as it is:
 * the items of s (built from the members' own sizes) in g's order. */
static uint64_t order_alone(ps_reorder *r, const item_set *s, const ps_suggestion *g)
{
    uint32_t *order = ps_arena_alloc(&r->arena, (s->n + 1) * sizeof(uint32_t)), k = 0;
    for (uint32_t i = 0; i < g->n && k < s->n; i++)
        for (uint32_t it = 0; it < s->n; it++)
            if (s->items[it].first == g->order[i])
                order[k++] = it;
    return k == s->n ? layout_size(s, order, NULL) : g->optimal_size;
}

/* Cascading savings: which nested records shrink this one, and what the
 * best order would give if they did not. */
static void cascade(ps_reorder *r, ps_suggestion *g, const ps_struct *rec, const ps_member *m,
                    const ps_type_rules *rules, const uint64_t *mptr_nested)
{
    g->size_alone = g->order_size_alone = g->optimal_size;
    for (uint32_t i = 0; i < g->n; i++)
        if (g->member_size[i] == m[i].size && mptr_nested[i] < m[i].ptr_bytes)
            add_reason(r, g, "member %s's pointer bytes drop from %llu to %llu with %s reordered",
                       ps_member_label(&m[i]), (unsigned long long)m[i].ptr_bytes,
                       (unsigned long long)mptr_nested[i], ps_struct_at(r->b, m[i].record)->name);
    if (!shrinks(g, m))
        return;
    /* an order that is kept is the current layout while nested records stay */
    if (g->keep_reason)
        g->size_alone = g->order_size_alone = rec->size;
    for (uint32_t i = 0; i < g->n; i++)
        if (g->member_size[i] != m[i].size)
            add_reason(r, g, "member %s shrinks from %llu to %llu bytes with %s reordered",
                       ps_member_label(&m[i]), (unsigned long long)m[i].size,
                       (unsigned long long)g->member_size[i],
                       ps_struct_at(r->b, m[i].record)->name);
    if (g->keep_reason)
        return;
    uint64_t *msize = ps_arena_alloc(&r->arena, (g->n + 1) * sizeof(uint64_t));
    uint64_t *mptr = ps_arena_alloc(&r->arena, (g->n + 1) * sizeof(uint64_t));
    for (uint32_t i = 0; i < g->n; i++) {
        msize[i] = m[i].size;
        mptr[i] = m[i].ptr_bytes;
    }
    item_set s;
    items_build(&s, rec, m, msize, mptr, rules, r->cacheline, &r->arena);
    uint32_t *order = ps_arena_alloc(&r->arena, ((size_t)s.n + 1) * sizeof(uint32_t));
    group_stats st;
    groups_search(&s, groups_plan(&s, &r->arena), 1, &order, &st, &r->arena);
    g->size_alone = st.exact ? layout_size(&s, order, NULL) : rec->size;
    g->order_size_alone = order_alone(r, &s, g);
}

/* Do nested records' orders change this record's members? */
static bool nested_changes(const item_set *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t j = s->items[i].first; j < s->items[i].first + s->items[i].count; j++)
            if (s->msize[j] != s->m[j].size || s->mptr[j] != s->m[j].ptr_bytes)
                return true;
    return false;
}

/* A kept record still shrinks when a nested record does, if padscan can
 * lay it out exactly (not packed); otherwise its layout stays as read. */
static void keep(ps_reorder *r, ps_suggestion *g, const ps_struct *rec, const item_set *s,
                 const ps_type_rules *rules)
{
    candidate c = new_candidate(r, s, rec->nmembers);
    identity(s, &c);
    item_set plain = *s;
    plain.group_line = 0;
    measure(&plain, &c, r->cacheline);
    if (rec->is_union) {
        uint64_t big = 0;
        for (uint32_t i = 0; i < rec->nmembers; i++) {
            uint64_t bytes = s->m[i].bit_size ? (s->m[i].bit_size + 7) / 8 : s->msize[i];
            big = bytes > big ? bytes : big;
            c.pos[i] = 0;
        }
        c.size = (big + rec->align - 1) / rec->align * rec->align;
    } else if (!nested_changes(s) || !engine_agrees(r, rec, s->m, rules)) {
        for (uint32_t i = 0; i < rec->nmembers; i++)
            c.pos[i] = s->m[i].bit_pos;
        c.size = rec->size;
        c.ptr_bytes = rec->ptr_bytes;
    }
    adopt(g, s, &c);
    g->hot_lines = c.hot_lines;
    g->hot_first_line = c.hot_first;
    g->proven = true;
    add_reason(r, g, "order kept: %s", g->keep_reason);
}

static ps_suggestion *new_suggestion(ps_reorder *r, uint32_t idx, const ps_struct *rec)
{
    ps_suggestion *g = ps_arena_zalloc(&r->arena, sizeof(*g));
    g->record = idx;
    g->n = rec->nmembers;
    g->order = ps_arena_zalloc(&r->arena, (g->n + 1) * sizeof(uint32_t));
    g->bit_pos = ps_arena_zalloc(&r->arena, (g->n + 1) * sizeof(uint64_t));
    g->member_size = ps_arena_zalloc(&r->arena, (g->n + 1) * sizeof(uint64_t));
    g->size = rec->size;
    g->ptr_bytes = rec->ptr_bytes;
    g->cachelines = (uint64_t)((rec->size + r->cacheline - 1) / r->cacheline);
    return g;
}

const ps_suggestion *ps_suggest(ps_reorder *r, uint32_t idx)
{
    if (r->memo[idx] || r->busy[idx])
        return r->memo[idx];
    r->busy[idx] = 1;
    const ps_struct *rec = ps_struct_at(r->b, idx);
    const ps_member *m = ps_members_of(r->b, rec);
    const ps_type_rules *rules = r->rules ? r->rules(rec, r->ctx) : NULL;
    unsigned saved_line = r->cacheline;
    if (rules && rules->cacheline)
        r->cacheline = rules->cacheline;
    ps_suggestion *g = new_suggestion(r, idx, rec);
    uint64_t *mptr = ps_arena_alloc(&r->arena, (g->n + 1) * sizeof(uint64_t));
    nested_sizes(r, m, g->n, g->member_size, mptr);
    g->keep_reason = keep_reason(rec, m, rules, r->deps_editable);
    if (!g->keep_reason && !engine_agrees(r, rec, m, rules))
        g->keep_reason = "padscan cannot reproduce the compiler's layout of this record "
                         "(a zero-width bitfield, #pragma pack or an unusual ABI?)";
    item_set s;
    items_build(&s, rec, m, g->member_size, mptr, rules, r->cacheline, &r->arena);
    if (g->keep_reason)
        keep(r, g, rec, &s, rules);
    else
        solve(r, g, rec, &s);
    cascade(r, g, rec, m, rules, mptr);
    if (rules && rules->ngroups && !g->keep_reason)
        add_reason(r, g, "%zu cache-line group%s from the config kept contiguous, first between "
                   "fences, in the config's order", rules->ngroups, rules->ngroups == 1 ? "" : "s");
    char names[512] = "";
    if (sync_sharing_names(m, g->n, g->bit_pos, g->member_size, r->cacheline, names, sizeof(names)))
        add_warning(g, r, "synchronization fields %s share a %u-byte window of the object%s: "
                    "writes to one slow down the others (false sharing); Go and malloc do not "
                    "align heap objects to cache lines, so windows are the object's own",
                    names, r->cacheline, g->improves ? "" : " (as laid out now)");
    warnings_collect(r->b, rec, m, g, add_warning, r);
    g->optimal_cachelines = (uint64_t)((g->optimal_size + r->cacheline - 1) / r->cacheline);
    r->cacheline = saved_line;
    r->memo[idx] = g;
    r->busy[idx] = 0;
    return g;
}

size_t ps_suggest_nested(const ps_binary *b, const ps_suggestion *g, const char **out)
{
    const ps_member *m = ps_members_of(b, ps_struct_at(b, g->record));
    size_t n = 0;
    for (uint32_t k = 0; k < g->n; k++) {
        const char *name = m[k].record != PS_NONE && g->member_size[k] != m[k].size
                               ? ps_struct_at(b, m[k].record)->name : NULL;
        bool seen = false;
        for (size_t j = 0; name && j < n; j++)
            seen |= !strcmp(out[j], name);
        if (name && !seen)
            out[n++] = name;
    }
    return n;
}

/* --- ahead, on several threads (-j) --------------------------------------- */

/* Each helper is a reorder of its own (memo, arena) over the same binary,
 * which no suggestion writes to; it takes records from a shared counter.
 * A suggestion depends only on its record, the rules and its nested
 * records' suggestions, so whichever helper made it, it is the one
 * ps_suggest would make: r adopts them all, the first helper's first. */
typedef struct prepare_share {
    ps_reorder *helper;
    const uint32_t *records;
    size_t n;
    atomic_size_t *next;
} prepare_share;

static void *prepare_worker(void *arg)
{
    prepare_share *p = arg;
    for (size_t k; (k = atomic_fetch_add(p->next, 1)) < p->n;)
        ps_suggest(p->helper, p->records[k]);
    return NULL;
}

void ps_reorder_prepare(ps_reorder *r, const uint32_t *records, size_t n, unsigned jobs)
{
    if (jobs < 2 || n < 2 * (size_t)jobs || r->nhelpers)
        return;
    atomic_size_t next = 0;
    prepare_share *share = ps_xcalloc(jobs, sizeof(*share));
    pthread_t *threads = ps_xcalloc(jobs, sizeof(*threads));
    bool *started = ps_xcalloc(jobs, sizeof(*started));
    r->helpers = ps_xcalloc(jobs, sizeof(*r->helpers));
    r->nhelpers = jobs;
    for (unsigned k = 0; k < jobs; k++) {
        ps_reorder *h = r->helpers[k] = ps_reorder_new(r->b, r->cacheline, r->rules, r->ctx);
        h->pointer_bytes = r->pointer_bytes;
        h->deps_editable = r->deps_editable;
        share[k] = (prepare_share){h, records, n, &next};
    }
    for (unsigned k = 1; k < jobs; k++)
        started[k] = pthread_create(&threads[k], NULL, prepare_worker, &share[k]) == 0;
    prepare_worker(&share[0]); /* and what a thread that did not start leaves */
    for (unsigned k = 1; k < jobs; k++)
        if (started[k])
            pthread_join(threads[k], NULL);
    for (size_t k = 0; k < r->nhelpers; k++)
        for (uint32_t i = 0; i < r->b->structs.len; i++)
            if (!r->memo[i] && r->helpers[k]->memo[i])
                r->memo[i] = r->helpers[k]->memo[i];
    free(started);
    free(threads);
    free(share);
}
