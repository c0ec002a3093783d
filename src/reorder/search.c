/*
 * The minimum size over all orders.  Placing an item is monotone in the
 * start offset and shifts exactly with it modulo the record alignment, so
 * the best end for "these items, starting at offset r (mod alignment)" is
 * a function of the multiset of item classes left and r alone.  Memoizing
 * it is an exhaustive search whose state space is the product of
 * (class count + 1) times the alignment in bits: exact, and small for real
 * records.  When every member's size is a multiple of its alignment (the
 * common case) no search is needed: decreasing alignment leaves no padding,
 * so the minimum is the lower bound — the members' bytes rounded to the
 * record alignment.  Records whose space is too large fall back to sorting,
 * and are then called optimal only when they reach the lower bound.
 */
#include <stdlib.h>
#include <string.h>

#include "items.h"

struct search {
    const item_set *s;
    uint32_t *count, *rep; /* per class: unplaced items, one representative */
    uint64_t *bits;        /* per class: the bits an item's members hold */
    uint64_t *radix, codes, period, start, target;
    uint64_t unit;  /* bits per offset slot: 1 with bitfields, else 8 */
    uint64_t *memo; /* final size + 1, 0 = not yet known; calloc'd lazily */
    uint64_t *ends; /* per class and start slot: where the item ends, + 1 */
    uint64_t depth; /* items the search places: its deepest state */
    bool ok;        /* the memoized search runs */
    bool limited;   /* more items than SEARCH_MAX_ITEMS: preference order only */
    bool regular;   /* every item's size is a multiple of its alignment */
};

static uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t finish(search *q, uint64_t at)
{
    for (uint32_t i = 0; i < q->s->n; i++)
        if (q->s->items[i].pinned_last)
            at = place_item(q->s, &q->s->items[i], at, NULL);
    return round_up(at, q->s->open_end ? 8 : q->period);
}

static uint64_t *memo_slot(search *q, uint64_t code, uint64_t r)
{
    return &q->memo[(code * q->period + r) / q->unit];
}

/* Where an item of class c placed at slot offset r ends (bits). */
static uint64_t item_end(search *q, uint32_t c, uint64_t r)
{
    uint64_t *end = &q->ends[c * (q->period / q->unit) + r / q->unit];
    if (!*end)
        *end = place_item(q->s, &q->s->items[q->rep[c]], r, NULL) + 1;
    return *end - 1;
}

/* One state of the search being evaluated: its best total so far and the
 * next class to try. */
typedef struct frame {
    uint64_t code, r, best;
    uint64_t floor; /* no order of what is left ends before this */
    uint32_t c;
} frame;

/* The bits the classes in code hold: a state's items end no earlier than
 * its offset plus these, so a state that reaches that floor is solved. */
static uint64_t code_bits(const search *q, uint64_t code)
{
    uint64_t bits = 0;
    for (uint32_t c = 0; c < q->s->ncls; c++)
        bits += (code / q->radix[c]) % (q->count[c] + 1) * q->bits[c];
    return bits;
}

static frame start_frame(search *q, uint64_t code, uint64_t r)
{
    uint64_t floor = finish(q, r + code_bits(q, code));
    return (frame){code, r, code ? UINT64_MAX : floor, floor, 0};
}

/* Smallest final size (bits) placing the classes in code, from offset r.
 * A depth-first evaluation of the memoized recurrence
 *   cost(code, r) = min over classes c left: cost(code - c, end % period)
 *                                            + end - end % period
 * with an explicit stack: the depth is the number of items, which input
 * controls, so it must not be the C stack's. */
static uint64_t cost(search *q, uint64_t code, uint64_t r)
{
    uint64_t *slot = memo_slot(q, code, r);
    if (*slot)
        return *slot - 1;
    frame *stack = ps_xmalloc((q->depth + 1) * sizeof(frame));
    size_t top = 0;
    stack[0] = start_frame(q, code, r);
    for (;;) {
        frame *f = &stack[top];
        bool pushed = false;
        for (; f->code && f->c < q->s->ncls && f->best != f->floor; f->c++) {
            uint32_t c = f->c;
            if ((f->code / q->radix[c]) % (q->count[c] + 1) == 0)
                continue;
            uint64_t y = item_end(q, c, f->r), sub = f->code - q->radix[c];
            uint64_t *known = memo_slot(q, sub, y % q->period);
            if (!*known) { /* evaluate the sub-state first, then retry c */
                stack[++top] = start_frame(q, sub, y % q->period);
                pushed = true;
                break;
            }
            uint64_t total = *known - 1 + (y - y % q->period);
            f->best = total < f->best ? total : f->best;
        }
        if (pushed)
            continue;
        *memo_slot(q, f->code, f->r) = f->best + 1;
        if (top == 0)
            break;
        top--;
    }
    uint64_t best = stack[0].best;
    free(stack);
    return best;
}

search *search_new(const item_set *s, uint64_t max_states)
{
    search *q = ps_xcalloc(1, sizeof(*q));
    q->s = s;
    q->count = ps_xcalloc(s->ncls + 1, sizeof(uint32_t));
    q->rep = ps_xcalloc(s->ncls + 1, sizeof(uint32_t));
    q->radix = ps_xcalloc(s->ncls + 1, sizeof(uint64_t));
    q->bits = ps_xcalloc(s->ncls + 1, sizeof(uint64_t));
    if (!q->count || !q->rep || !q->radix || !q->bits)
        ps_out_of_memory();
    /* Offsets only ever land on multiples of the items' sizes and
     * alignments (bits, with bitfields), so states count in that unit. */
    q->period = (uint64_t)s->align * 8;
    q->unit = gcd(q->period, s->start_bits % q->period);
    q->start = s->start_bits;
    uint32_t max_align = 1;
    for (uint32_t i = 0; i < s->n; i++) {
        max_align = s->items[i].align > max_align ? s->items[i].align : max_align;
        const item *it = &s->items[i];
        q->unit = it->bitfields ? 1 : gcd(gcd(q->unit, it->size * 8), (uint64_t)it->align * 8);
        if (it->pinned_first)
            q->start = place_item(s, it, q->start, NULL);
        else if (!it->pinned_last && q->count[it->cls]++ == 0)
            q->rep[it->cls] = i;
    }
    for (uint32_t c = 0; c < s->ncls; c++)
        q->bits[c] = q->count[c] ? item_bits(s, &s->items[q->rep[c]]) : 0;
    q->limited = s->n > SEARCH_MAX_ITEMS;
    /* from a start aligned for every item, decreasing alignment never pads */
    q->regular = q->start % (max_align * 8ULL) == 0;
    uint64_t bytes = q->start / 8;
    for (uint32_t i = 0; i < s->n; i++) {
        const item *it = &s->items[i];
        q->regular &= it->pinned_first || it->pinned_last || (!it->bitfields && it->size % it->align == 0);
        bytes += it->pinned_first || it->pinned_last ? 0 : it->size;
    }
    if (q->regular) {
        q->target = finish(q, bytes * 8);
        return q;
    }
    if (q->limited)
        return q;
    q->codes = 1;
    q->ok = true;
    for (uint32_t c = 0; c < s->ncls; c++)
        q->depth += q->count[c];
    for (uint32_t c = 0; c < s->ncls && q->ok; c++) {
        q->radix[c] = q->codes;
        q->ok = q->codes <= max_states / (q->count[c] + 1);
        q->codes *= q->count[c] + 1;
    }
    uint64_t slots = q->period / q->unit;
    q->ok = q->ok && q->codes <= max_states / slots;
    if (q->ok) {
        /* calloc: untouched states cost no memory */
        q->memo = ps_xcalloc(q->codes * slots, sizeof(uint64_t));
        q->ends = ps_xcalloc((size_t)s->ncls * slots + 1, sizeof(uint64_t));
        if (!q->memo || !q->ends)
            ps_out_of_memory();
        uint64_t r = q->start % q->period;
        q->target = cost(q, q->codes - 1, r) + (q->start - r);
    }
    return q;
}

void search_free(search *q)
{
    if (!q)
        return;
    free(q->count);
    free(q->rep);
    free(q->radix);
    free(q->bits);
    free(q->memo);
    free(q->ends);
    free(q);
}

uint64_t search_minimum(search *q) { return q->ok || q->regular ? q->target / 8 : 0; }

uint64_t search_states(const search *q) { return q->ok ? q->codes * (q->period / q->unit) : 0; }

bool search_limited(const search *q) { return q->limited; }

/* Regular records: is there a less preferred item that fits at `at`
 * without padding? */
static bool later_fits(const search *q, const uint32_t *pref, uint32_t from, const bool *used,
                       uint64_t at)
{
    for (uint32_t p = from + 1; p < q->s->n; p++) {
        const item *it = &q->s->items[pref[p]];
        if (!used[pref[p]] && !it->pinned_last && at % (it->align * 8ULL) == 0)
            return true;
    }
    return false;
}

void search_order(search *q, const uint32_t *pref, uint32_t *order)
{
    const item_set *s = q->s;
    bool *used = ps_xcalloc(s->n + 1, sizeof(bool));
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->n; i++)
        if (s->items[i].pinned_first) {
            order[k++] = i;
            used[i] = true;
        }
    uint64_t at = q->start, code = q->codes - 1;
    uint32_t lo = 0; /* pref[0..lo) are all placed: the scan starts after them */
    for (uint32_t step = k; step < s->n; step++) {
        while (lo < s->n && (used[pref[lo]] || s->items[pref[lo]].pinned_last))
            lo++;
        for (uint32_t p = lo; p < s->n; p++) {
            uint32_t i = pref[p];
            const item *it = &s->items[i];
            if (used[i] || it->pinned_last)
                continue;
            if (q->limited) { /* no search: the preference order itself */
                order[k++] = i;
                used[i] = true;
                break;
            }
            uint64_t y = place_item(s, it, at, NULL);
            if (q->regular && p + 1 < s->n && place_item(s, it, at, NULL) - it->size * 8 != at &&
                later_fits(q, pref, p, used, at))
                continue; /* a later item fits here without padding */
            if (q->ok) {
                uint64_t r = y % q->period;
                if (cost(q, code - q->radix[it->cls], r) + (y - r) != q->target)
                    continue;
                code -= q->radix[it->cls];
            }
            order[k++] = i;
            used[i] = true;
            at = y;
            break;
        }
    }
    for (uint32_t i = 0; i < s->n; i++)
        if (s->items[i].pinned_last)
            order[k++] = i;
    free(used);
}
