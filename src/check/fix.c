/*
 * The fix: text of a check finding, made from the snapshot alone so that a
 * check of a binary and a check of its saved report print the same words.
 * It states what the listed order reaches by itself; when the optimum also
 * needs a nested record reordered, it says so and names it.  A failed
 * rule gets the fix for that rule: when even the best order breaks the
 * limit, it says so and what the best reaches, and max_shared_sync_lines
 * gets the order that separates the synchronization fields.
 */
#include <string.h>

#include "padscan/check.h"

const char ps_decl_note_method[] =
    "the file of one of the type's methods (Go records no location for types)";

double ps_snap_waste_percent(const ps_snap_struct *s)
{
    return s->size ? 100.0 * (double)s->waste / (double)s->size : 0.0;
}

static void list(ps_strbuf *sb, const char *const *items, size_t n, const char *last_sep)
{
    for (size_t k = 0; k < n; k++)
        ps_sb_printf(sb, "%s%s", !k ? "" : k + 1 == n ? last_sep : ", ", items[k]);
}

static void optimum(ps_strbuf *sb, const ps_snap_struct *s)
{
    ps_sb_printf(sb, "%llu bytes", (unsigned long long)s->optimal_size);
    if (!strcmp(s->lang, "go"))
        ps_sb_printf(sb, ", %llu pointer bytes", (unsigned long long)s->optimal_ptr_bytes);
}

const char *ps_fix_text(const ps_snap_struct *s, ps_arena *a)
{
    bool nested = s->nnested && s->order_size != s->optimal_size;
    if (!s->norder && !(nested && s->optimal_size < s->size))
        return NULL;
    ps_strbuf sb = {0};
    if (!s->norder) { /* the order is right already; a nested record is not */
        ps_sb_puts(&sb, "keep this order and reorder ");
        list(&sb, s->nested, s->nnested, " and ");
        ps_sb_puts(&sb, ": then it gets to ");
        optimum(&sb, s);
    } else if (!nested || s->order_size < s->size) {
        ps_sb_puts(&sb, "reorder to ");
        if (nested)
            ps_sb_printf(&sb, "%llu bytes", (unsigned long long)s->order_size);
        else
            optimum(&sb, s);
        ps_sb_puts(&sb, ": ");
        list(&sb, s->order, s->norder, ", ");
        if (nested) {
            ps_sb_puts(&sb, "; with ");
            list(&sb, s->nested, s->nnested, " and ");
            ps_sb_puts(&sb, " reordered too, it gets to ");
            optimum(&sb, s);
        }
    } else {
        ps_sb_puts(&sb, "reorder ");
        list(&sb, s->nested, s->nnested, " and ");
        ps_sb_puts(&sb, " first: then this order gets to ");
        optimum(&sb, s);
        ps_sb_printf(&sb, " (alone, %llu bytes): ", (unsigned long long)s->order_size);
        list(&sb, s->order, s->norder, ", ");
    }
    const char *text = ps_arena_strdup(a, sb.buf);
    ps_sb_free(&sb);
    return text;
}

/* The padding of the best order: the data bytes do not change. */
static uint64_t optimal_waste(const ps_snap_struct *s)
{
    uint64_t data = s->size - s->waste;
    return s->optimal_size > data ? s->optimal_size - data : 0;
}

static const char *no_order(ps_arena *a, const char *rule, double limit, const char *best)
{
    return ps_arena_printf(a, "no order of the members meets %s %g: the best order %s", rule,
                           limit, best);
}

static const char *sync_fix(const ps_snap_struct *s, double limit, ps_arena *a)
{
    if (!s->has_sync_order)
        return NULL; /* fewer than two sync fields, or a kept order */
    ps_strbuf sb = {0};
    list(&sb, s->sync_order, s->nsync_order, ", ");
    const char *text;
    if (s->sync_order_lines <= limit)
        text = ps_arena_printf(a, "reorder to %llu bytes with the synchronization fields in "
                               "separate cache lines (%u shared): %s",
                               (unsigned long long)s->sync_order_size, s->sync_order_lines, sb.buf);
    else
        text = ps_arena_printf(a, "no order of the members meets max_shared_sync_lines %g: the "
                               "order that separates them best (%llu bytes) still shares %u; "
                               "pad between the synchronization fields (alignas) instead: %s",
                               limit, (unsigned long long)s->sync_order_size,
                               s->sync_order_lines, sb.buf);
    ps_sb_free(&sb);
    return text;
}

const char *ps_rule_fix(ps_rule_kind k, double limit, const ps_snap_struct *s, ps_arena *a)
{
    uint64_t w = optimal_waste(s);
    switch (k) {
    case PS_RULE_MAX_SIZE:
        if ((double)s->optimal_size > limit)
            return no_order(a, "max_size", limit, ps_arena_printf(a, "is %llu bytes",
                            (unsigned long long)s->optimal_size));
        break;
    case PS_RULE_MAX_CACHELINES:
        if ((double)s->optimal_cachelines > limit)
            return no_order(a, "max_cachelines", limit, ps_arena_printf(a,
                            "still takes %llu cache lines (%llu bytes)",
                            (unsigned long long)s->optimal_cachelines,
                            (unsigned long long)s->optimal_size));
        break;
    case PS_RULE_MAX_WASTE:
        if ((double)w > limit)
            return no_order(a, "max_waste", limit, ps_arena_printf(a,
                            "still has %llu bytes of padding (%llu bytes)", (unsigned long long)w,
                            (unsigned long long)s->optimal_size));
        break;
    case PS_RULE_MAX_WASTE_PERCENT:
        if (s->optimal_size && 100.0 * (double)w / (double)s->optimal_size > limit)
            return no_order(a, "max_waste_percent", limit, ps_arena_printf(a,
                            "still wastes %.2f%% (%llu of %llu bytes)",
                            100.0 * (double)w / (double)s->optimal_size, (unsigned long long)w,
                            (unsigned long long)s->optimal_size));
        break;
    case PS_RULE_MAX_POINTER_BYTES:
        if ((double)s->optimal_ptr_bytes > limit)
            return no_order(a, "max_pointer_bytes", limit, ps_arena_printf(a,
                            "has %llu pointer bytes", (unsigned long long)s->optimal_ptr_bytes));
        break;
    case PS_RULE_MAX_SHARED_SYNC_LINES:
        return sync_fix(s, limit, a);
    default:
        break;
    }
    return s->fix;
}
