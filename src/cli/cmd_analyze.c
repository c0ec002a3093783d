/*
 * padscan analyze: read binaries, measure the selected records, print them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan analyze [options] BINARY...\n"
    "\n"
    "Prints the exact layout of every struct and union: member offsets and\n"
    "sizes, holes, bit holes, tail padding, waste, cache lines and, for Go,\n"
    "the pointer bytes the garbage collector scans.\n"
    "\n"
    "  --format text|json   output format (default text; json: docs/json.md)\n"
    "  -o, --output FILE    write to FILE atomically instead of stdout\n"
    "  --type PATTERN       only records whose name matches the glob (repeatable)\n"
    "  --exclude PATTERN    leave out records whose name matches (repeatable)\n"
    "  --lang go|c          only records of this language\n"
    "  --include-deps       also third-party dependencies' types (default: your own)\n"
    "  --all-types          every type, the standard library's and system's too\n"
    "  --min-waste N        only records wasting at least N bytes\n"
    "  --sort waste|size|name|none  order (default waste, largest first)\n"
    "  --top N              at most N records per binary\n"
    "  --cacheline N        cache-line size in bytes (default 64; a power of two, 16..4096)\n"
    "  --config FILE        padscan.json: fixed types (for optimal_size)\n"
    "  --source-root DIR    print source files relative to DIR (default: the\n"
    "                       folder holding the binary's compile units)\n"
    "  --go-rules-only      ignore Go runtime type descriptors (testing aid)\n"
    "  -j, --jobs N         threads reading one binary's compile units (default: the\n"
    "                       online cores; the output is the same for every N)\n"
    "  --progress, --no-progress  units read, on stderr (default: only on a\n"
    "                       terminal, and not when CI=true)\n";

typedef enum { SORT_WASTE, SORT_SIZE, SORT_NAME, SORT_NONE } sort_key;

typedef struct analyze_opts {
    ps_common_opts common;
    sort_key sort;
    unsigned long long top;
} analyze_opts;

static int compare_layouts(const void *a, const void *b, void *ctx)
{
    const ps_layout *x = a, *y = b;
    const ps_binary *bin = ((const void **)ctx)[0];
    sort_key key = *(const sort_key *)((const void **)ctx)[1];
    if (key == SORT_WASTE && x->waste != y->waste)
        return x->waste > y->waste ? -1 : 1;
    if (key == SORT_SIZE && x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int by_name = strcmp(ps_struct_at(bin, x->record)->name, ps_struct_at(bin, y->record)->name);
    return by_name ? by_name : (x->record < y->record ? -1 : 1);
}

static int own_option(void *ctx, int c, const char *arg)
{
    analyze_opts *o = ctx;
    static const char *const sorts[] = {"waste", "size", "name", "none"};
    switch (c) {
    case PS_OPT_FIRST_OWN:
        if (!ps_parse_uint(arg, 1ULL << 40, &o->common.sel.min_waste))
            return ps_cli_error("analyze: --min-waste takes a byte count, not '%s'", arg);
        return 0;
    case PS_OPT_FIRST_OWN + 1:
        for (size_t i = 0; i < PS_ARRAY_LEN(sorts); i++)
            if (!strcmp(arg, sorts[i])) {
                o->sort = (sort_key)i;
                return 0;
            }
        return ps_cli_error("analyze: --sort must be waste, size, name or none");
    case PS_OPT_FIRST_OWN + 2:
        if (!ps_parse_uint(arg, 1ULL << 31, &o->top) || !o->top)
            return ps_cli_error("analyze: --top takes a positive count, not '%s'", arg);
        return 0;
    default:
        return ps_cli_error("analyze: see 'padscan analyze --help'");
    }
}

static int parse_args(int argc, char **argv, analyze_opts *o)
{
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS,
        {"min-waste", required_argument, 0, PS_OPT_FIRST_OWN},
        {"sort", required_argument, 0, PS_OPT_FIRST_OWN + 1},
        {"top", required_argument, 0, PS_OPT_FIRST_OWN + 2},
        {0, 0, 0, 0},
    };
    return ps_parse_command(argc, argv, longopts, usage, &o->common, own_option, o);
}

/* Layouts of the selected records of one binary, sorted and cut, with
 * the optimal size of each. */
static ps_report_binary select_layouts(const ps_binary *b, const analyze_opts *o,
                                       ps_reorder *reorder, ps_arena *arena, bool *cut)
{
    const ps_common_opts *c = &o->common;
    ps_layout *all = ps_arena_alloc(arena, (b->structs.len + 1) * sizeof(ps_layout));
    size_t n = 0;
    for (uint32_t i = 0; i < b->structs.len; i++) {
        if (!ps_selected(&c->sel, ps_struct_at(b, i), NULL))
            continue;
        ps_analyze_record(b, i, (unsigned)c->cacheline, arena, &all[n]);
        if (ps_selected(&c->sel, ps_struct_at(b, i), &all[n]))
            n++;
    }
    if (o->sort != SORT_NONE) {
        const void *ctx[2] = {b, &o->sort};
        qsort_r(all, n, sizeof(ps_layout), compare_layouts, ctx);
    }
    size_t selected = 0;
    if (o->top && n > o->top) {
        selected = n;
        n = (size_t)o->top;
        *cut = true;
    }
    uint32_t *records = ps_arena_alloc(arena, (n + 1) * sizeof(*records));
    for (size_t i = 0; i < n; i++)
        records[i] = all[i].record;
    ps_reorder_prepare(reorder, records, n, (unsigned)c->jobs);
    const ps_suggestion **sugs = ps_arena_alloc(arena, (n + 1) * sizeof(*sugs));
    for (size_t i = 0; i < n; i++)
        sugs[i] = ps_suggest(reorder, records[i]);
    return (ps_report_binary){b, all, n, sugs, selected};
}

/* The options that left records out of the report, as a reader of the
 * saved report needs to know them (check and diff refuse a subset). */
static const char *subset_options(const analyze_opts *o, bool cut, ps_arena *arena)
{
    const ps_selection *sel = &o->common.sel;
    ps_strbuf sb = {0};
    if (cut)
        ps_sb_printf(&sb, " --top %llu", o->top);
    for (size_t i = 0; i < sel->ntypes; i++)
        ps_sb_printf(&sb, " --type %s", sel->types[i]);
    for (size_t i = 0; i < sel->nexcludes; i++)
        ps_sb_printf(&sb, " --exclude %s", sel->excludes[i]);
    if (sel->min_waste)
        ps_sb_printf(&sb, " --min-waste %llu", sel->min_waste);
    if (sel->lang >= 0)
        ps_sb_printf(&sb, " --lang %s", ps_lang_name((ps_lang)sel->lang));
    const char *text = sb.len ? ps_arena_strdup(arena, sb.buf + 1) : NULL;
    ps_sb_free(&sb);
    return text;
}

static int report(void *ctx, ps_binary *bins, size_t nbins, ps_config *cfg)
{
    const analyze_opts *o = ctx;
    ps_arena arena = {0};
    ps_report_binary *rbs = ps_xmalloc(nbins * sizeof(*rbs));
    ps_reorder **reorders = ps_xmalloc(nbins * sizeof(*reorders));
    bool cut = false;
    for (size_t i = 0; i < nbins; i++) {
        reorders[i] = ps_reorder_new(&bins[i], (unsigned)o->common.cacheline, ps_config_rules, cfg);
        ps_reorder_edit_deps(reorders[i], o->common.sel.include_deps);
        rbs[i] = select_layouts(&bins[i], o, reorders[i], &arena, &cut);
    }
    ps_report report = {rbs, nbins, (unsigned)o->common.cacheline, subset_options(o, cut, &arena),
                        0};
    for (int c = PS_CLASS_OWN; c <= PS_CLASS_STD; c++)
        if (ps_class_selected(&o->common.sel, (ps_class)c))
            report.classes |= 1u << c;
    ps_strbuf doc = {0};
    (o->common.format == 1 ? ps_report_json : ps_report_text)(&report, &doc);
    int rc = ps_emit(o->common.output, &doc);
    ps_sb_free(&doc);
    for (size_t i = 0; i < nbins; i++)
        ps_reorder_free(reorders[i]);
    free(reorders);
    free(rbs);
    ps_arena_free(&arena);
    return rc;
}

int ps_cmd_analyze(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", NULL};
    analyze_opts o = {.sort = SORT_WASTE};
    ps_common_init(&o.common, "analyze", formats);
    return ps_run_on_binaries(argc, argv, &o.common, parse_args(argc, argv, &o), report, &o);
}
