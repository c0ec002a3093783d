/*
 * Snapshots of binaries for check and diff: each selected struct's
 * numbers, where it is declared, and the order that would fix it.
 */
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

/* The suggested order and the nested records the optimum reorders too. */
static void suggestion_of(const ps_binary *b, const ps_struct *s, const ps_suggestion *g,
                          ps_arena *a, ps_snap_struct *x)
{
    const ps_member *m = ps_members_of(b, s);
    x->optimal_size = g ? g->optimal_size : s->size;
    x->optimal_ptr_bytes = g ? g->optimal_ptr_bytes : s->ptr_bytes;
    x->optimal_cachelines = g ? g->optimal_cachelines : x->cachelines;
    if (!g)
        return;
    const char **order = ps_arena_zalloc(a, (g->n + 1) * sizeof(char *));
    const char **nested = ps_arena_zalloc(a, (g->n + 1) * sizeof(char *));
    for (uint32_t k = 0; g->improves && k < g->n; k++)
        order[k] = ps_member_label(&m[g->order[k]]);
    x->nnested = ps_suggest_nested(b, g, nested);
    x->order = order;
    x->norder = g->improves ? g->n : 0;
    x->nested = nested;
    x->order_size = g->order_size_alone;
    x->fix = ps_fix_text(x, a);
}

static void sync_order_of(const ps_binary *b, const ps_struct *s, const ps_suggestion *g,
                          unsigned line, ps_arena *a, ps_snap_struct *x)
{
    ps_sync_spread_order sp;
    if (!ps_sync_spread(b, s, g, line, a, &sp))
        return;
    const ps_member *m = ps_members_of(b, s);
    const char **order = ps_arena_zalloc(a, (sp.n + 1) * sizeof(char *));
    for (uint32_t k = 0; k < sp.n; k++)
        order[k] = ps_member_label(&m[sp.order[k]]);
    x->has_sync_order = true;
    x->sync_order = order;
    x->nsync_order = sp.n;
    x->sync_order_size = sp.size;
    x->sync_order_lines = sp.shared_lines;
}

void ps_snapshot_binary(const ps_binary *b, ps_reorder *reorder, const ps_selection *sel,
                        unsigned cacheline, ps_arena *a, ps_snapshot *out)
{
    memset(out, 0, sizeof(*out));
    out->source = out->binary = ps_oneline(b->path, a); /* printed in line formats */
    out->arch = ps_arch_name(b->arch);
    out->build_id = b->build_id;
    out->go_version = b->go_version;
    out->ptr_size = b->ptr_size;
    out->is_go = b->has_go;
    out->cacheline = cacheline;
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
            /* names on one line: check and diff print them in line formats */
            .name = ps_oneline(s->name, a), .lang = ps_lang_name(s->lang), .ctype = s->ctype,
            .size = s->size, .waste = l.waste, .ptr_bytes = s->ptr_bytes,
            .cachelines = l.cachelines, .waste_percent = l.waste_percent,
            .decl_file = ps_oneline(s->decl_file, a), .decl_line = s->decl_line,
            .decl_root = b->source_root,
            .decl_note = s->decl_from_method ? ps_decl_note_method : NULL,
            .cls = s->cls, .nmembers = s->nmembers, .shared_sync_lines = l.shared_sync_lines,
        };
        suggestion_of(b, s, g, a, x);
        sync_order_of(b, s, g, cacheline, a, x);
        x->members = ps_arena_zalloc(a, (s->nmembers + 1) * sizeof(ps_snap_member));
        for (uint32_t k = 0; k < s->nmembers; k++)
            x->members[k] = (ps_snap_member){
                ps_oneline(m[k].name, a), m[k].bit_pos / 8, m[k].size,
                m[k].record != PS_NONE ? ps_struct_at(b, m[k].record)->name : NULL};
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

/* A verdict over nothing is no verdict: an input whose records are a
 * subset, or none at all, stops check and diff with the reason. */
static int refuse_vacuous(const char *command, const char *path, const ps_snapshot *snap,
                          const ps_binary *b)
{
    const char *empty = b ? ps_binary_why_empty(b) : NULL;
    if (empty)
        return ps_cli_error("%s: %s", path, empty);
    if (snap->subset)
        return ps_cli_error("%s: the report holds only some records (written with %s); %s needs "
                            "a complete report: write it again without those options",
                            path, snap->subset, command);
    if (!b && snap->nbinaries && !snap->n)
        return ps_cli_error("%s: the report holds no records", path);
    if (!b && snap->empty_binary)
        return ps_cli_error("%s: the report holds no records of %s (split DWARF, line tables "
                            "only, or none of the selected classes?)", path, snap->empty_binary);
    return PS_EXIT_OK;
}

/* A report written with analyze's default holds the user's own types
 * only: a command asking for more (--include-deps, --all-types) must not
 * check a part and call it the whole. */
static int refuse_missing_classes(const ps_common_opts *o, const char *path,
                                  const ps_snapshot *snap)
{
    if (!snap->classes || o->sel.ntypes)
        return PS_EXIT_OK;
    for (int c = PS_CLASS_OWN; c <= PS_CLASS_STD; c++)
        if (ps_class_selected(&o->sel, (ps_class)c) && !(snap->classes & (1u << c)))
            return ps_cli_error("%s: the report holds no %s types (written without %s); %s %s "
                                "needs a report written with it",
                                path, ps_class_name((ps_class)c),
                                c == PS_CLASS_STD ? "--all-types" : "--include-deps or --all-types",
                                o->command, o->sel.all_classes ? "--all-types" : "--include-deps");
    return PS_EXIT_OK;
}

/* Cache lines counted in another line size than this run's are other
 * numbers: comparing them would invent regressions (or hide them). */
int ps_refuse_other_cacheline(const ps_common_opts *o, const char *path, const ps_snapshot *snap)
{
    if (!snap->cacheline || snap->cacheline == (unsigned)o->cacheline)
        return PS_EXIT_OK;
    return ps_cli_error("%s: written with --cacheline %u, but %s counts %u-byte lines: pass "
                        "--cacheline %u, or write the file again", path, snap->cacheline,
                        o->command, (unsigned)o->cacheline, snap->cacheline);
}

int ps_input_open(const char *path, const ps_common_opts *o, ps_rules_fn rules, void *ctx,
                  ps_input *in, ps_snapshot *snap, ps_arena *a)
{
    char err[1200];
    memset(in, 0, sizeof(*in));
    if (ps_is_json_file(path)) {
        if (ps_snapshot_load(path, snap, a, err, sizeof(err)) != 0)
            return ps_cli_error("%s", err);
        int rc = refuse_vacuous(o->command, path, snap, NULL);
        rc = rc ? rc : refuse_missing_classes(o, path, snap);
        rc = rc ? rc : ps_refuse_other_cacheline(o, path, snap);
        ps_snapshot_filter(snap, &o->sel);
        return rc;
    }
    in->has_bin = true;
    if (ps_read_binary(path, &o->read, &in->bin, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    in->reorder = ps_reorder_new(&in->bin, (unsigned)o->cacheline, rules, ctx);
    ps_reorder_edit_deps(in->reorder, o->sel.include_deps);
    ps_snapshot_binary(&in->bin, in->reorder, &o->sel, (unsigned)o->cacheline, a, snap);
    return refuse_vacuous(o->command, path, snap, &in->bin);
}

void ps_input_close(ps_input *in)
{
    ps_reorder_free(in->reorder);
    if (in->has_bin)
        ps_binary_free(&in->bin);
    memset(in, 0, sizeof(*in));
}
