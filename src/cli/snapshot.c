/*
 * Snapshots of binaries for check and diff: each selected struct's
 * numbers, where it is declared, and the order that would fix it.
 */
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char *fix_text(const ps_binary *b, const ps_struct *s, const ps_suggestion *g,
                            ps_arena *a)
{
    if (!g || !g->improves)
        return NULL;
    ps_strbuf sb = {0};
    const ps_member *m = ps_members_of(b, s);
    ps_sb_printf(&sb, "reorder to %llu bytes", (unsigned long long)g->optimal_size);
    if (s->lang == PS_LANG_GO)
        ps_sb_printf(&sb, ", %llu pointer bytes", (unsigned long long)g->optimal_ptr_bytes);
    ps_sb_puts(&sb, ": ");
    for (uint32_t k = 0; k < g->n; k++)
        ps_sb_printf(&sb, "%s%s", k ? ", " : "", ps_member_label(&m[g->order[k]]));
    const char *text = ps_arena_strdup(a, sb.buf);
    ps_sb_free(&sb);
    return text;
}

void ps_snapshot_binary(const ps_binary *b, ps_reorder *reorder, const ps_selection *sel,
                        unsigned cacheline, ps_arena *a, ps_snapshot *out)
{
    memset(out, 0, sizeof(*out));
    out->source = b->path;
    out->structs = ps_arena_zalloc(a, (b->structs.len + 1) * sizeof(ps_snap_struct));
    for (uint32_t i = 0; i < b->structs.len; i++) {
        const ps_struct *s = ps_struct_at(b, i);
        if (!ps_selected(sel, s, NULL) || !s->size)
            continue;
        ps_layout l;
        ps_analyze_record(b, i, cacheline, a, &l);
        const ps_suggestion *g = ps_suggest(reorder, i);
        const ps_member *m = ps_members_of(b, s);
        ps_snap_struct *x = &out->structs[out->n++];
        *x = (ps_snap_struct){
            .name = s->name, .lang = ps_lang_name(s->lang), .ctype = s->ctype, .size = s->size,
            .waste = l.waste, .optimal_size = g ? g->optimal_size : s->size,
            .ptr_bytes = s->ptr_bytes, .cachelines = l.cachelines,
            .waste_percent = l.waste_percent, .decl_file = s->decl_file, .decl_line = s->decl_line,
            .decl_note = s->decl_from_method ? "the file of one of the type's methods "
                                               "(Go records no location for types)" : NULL,
            .fix = fix_text(b, s, g, a), .cls = s->cls, .nmembers = s->nmembers};
        x->members = ps_arena_zalloc(a, (s->nmembers + 1) * sizeof(ps_snap_member));
        for (uint32_t k = 0; k < s->nmembers; k++)
            x->members[k] = (ps_snap_member){m[k].name, m[k].bit_pos / 8, m[k].size};
    }
}

/* A saved report's records pass the same predicate as a binary's. */
void ps_snapshot_filter(ps_snapshot *snap, const ps_selection *sel)
{
    size_t kept = 0;
    for (size_t i = 0; i < snap->n; i++) {
        const ps_snap_struct *s = &snap->structs[i];
        ps_type_ref t = {s->name, s->ctype, strcmp(s->lang, "go") ? PS_LANG_C : PS_LANG_GO, s->cls,
                         true};
        if (s->size && ps_select(sel, &t))
            snap->structs[kept++] = *s;
    }
    snap->n = kept;
}
