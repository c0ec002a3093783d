/*
 * Snapshots of binaries for check and diff: each selected struct's
 * numbers, where it is declared, and the order that would fix it.
 */
#include <fnmatch.h>
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
        if (!ps_selected(sel, s, NULL) || (s->foreign && !sel->ntypes) || !s->size)
            continue;
        ps_layout l;
        ps_analyze_record(b, i, cacheline, a, &l);
        const ps_suggestion *g = ps_suggest(reorder, i);
        const ps_member *m = ps_members_of(b, s);
        ps_snap_struct *x = &out->structs[out->n++];
        *x = (ps_snap_struct){s->name, ps_lang_name(s->lang), s->size, l.waste,
                              g ? g->optimal_size : s->size, s->ptr_bytes, l.cachelines,
                              l.waste_percent, s->decl_file, s->decl_line,
                              s->decl_from_method ? "the file of one of the type's methods "
                                                    "(Go records no location for types)" : NULL,
                              fix_text(b, s, g, a), s->foreign, NULL, s->nmembers};
        x->members = ps_arena_zalloc(a, (s->nmembers + 1) * sizeof(ps_snap_member));
        for (uint32_t k = 0; k < s->nmembers; k++)
            x->members[k] = (ps_snap_member){m[k].name, m[k].bit_pos / 8, m[k].size};
    }
}

static bool glob_any(const char *const *globs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!fnmatch(globs[i], name, 0))
            return true;
    return false;
}

void ps_snapshot_filter(ps_snapshot *snap, const ps_selection *sel)
{
    size_t kept = 0;
    for (size_t i = 0; i < snap->n; i++) {
        const ps_snap_struct *s = &snap->structs[i];
        bool lang_ok = sel->lang < 0 || !strcmp(s->lang, ps_lang_name((ps_lang)sel->lang));
        if (!lang_ok || !s->size || (s->foreign && !sel->ntypes) ||
            (sel->ntypes && !glob_any(sel->types, sel->ntypes, s->name)) ||
            glob_any(sel->excludes, sel->nexcludes, s->name))
            continue;
        snap->structs[kept++] = *s;
    }
    snap->n = kept;
}
