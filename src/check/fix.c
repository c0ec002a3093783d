/*
 * The fix: text of a check finding, made from the snapshot alone so that a
 * check of a binary and a check of its saved report print the same words.
 * It states what the listed order reaches by itself; when the optimum also
 * needs a nested record reordered, it says so and names it.
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
