/*
 * padscan analyze: read binaries, measure the selected records, print them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"

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
    "  --min-waste N        only records wasting at least N bytes\n"
    "  --sort waste|size|name|none  order (default waste, largest first)\n"
    "  --top N              at most N records per binary\n"
    "  --cacheline N        cache-line size in bytes (default 64)\n"
    "  --go-rules-only      ignore Go runtime type descriptors (testing aid)\n";

typedef enum { SORT_WASTE, SORT_SIZE, SORT_NAME, SORT_NONE } sort_key;

typedef struct analyze_opts {
    bool json;
    const char *output;
    ps_selection sel;
    sort_key sort;
    unsigned long long top, cacheline;
    ps_read_options read;
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

static int parse_args(int argc, char **argv, analyze_opts *o, ps_vec *types, ps_vec *excludes)
{
    enum { O_FORMAT = 256, O_TYPE, O_EXCLUDE, O_LANG, O_MIN_WASTE, O_SORT, O_TOP, O_CACHELINE,
           O_RULES };
    static const struct option longopts[] = {
        {"format", required_argument, 0, O_FORMAT}, {"output", required_argument, 0, 'o'},
        {"type", required_argument, 0, O_TYPE}, {"exclude", required_argument, 0, O_EXCLUDE},
        {"lang", required_argument, 0, O_LANG}, {"min-waste", required_argument, 0, O_MIN_WASTE},
        {"sort", required_argument, 0, O_SORT}, {"top", required_argument, 0, O_TOP},
        {"cacheline", required_argument, 0, O_CACHELINE}, {"go-rules-only", no_argument, 0, O_RULES},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    static const char *const sorts[] = {"waste", "size", "name", "none"};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); exit(PS_EXIT_OK);
        case 'o': o->output = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return ps_cli_error("analyze: --format must be text or json, not '%s'", optarg);
            o->json = !strcmp(optarg, "json");
            break;
        case O_TYPE: *(const char **)ps_vec_push(types) = optarg; break;
        case O_EXCLUDE: *(const char **)ps_vec_push(excludes) = optarg; break;
        case O_LANG:
            if (strcmp(optarg, "go") && strcmp(optarg, "c"))
                return ps_cli_error("analyze: --lang must be go or c, not '%s'", optarg);
            o->sel.lang = !strcmp(optarg, "go") ? PS_LANG_GO : PS_LANG_C;
            break;
        case O_MIN_WASTE:
            if (!ps_parse_uint(optarg, 1ULL << 40, &o->sel.min_waste))
                return ps_cli_error("analyze: --min-waste takes a byte count, not '%s'", optarg);
            break;
        case O_SORT:
            o->sort = (sort_key)PS_ARRAY_LEN(sorts);
            for (size_t i = 0; i < PS_ARRAY_LEN(sorts); i++)
                if (!strcmp(optarg, sorts[i]))
                    o->sort = (sort_key)i;
            if (o->sort == (sort_key)PS_ARRAY_LEN(sorts))
                return ps_cli_error("analyze: --sort must be waste, size, name or none");
            break;
        case O_TOP:
            if (!ps_parse_uint(optarg, 1ULL << 31, &o->top) || !o->top)
                return ps_cli_error("analyze: --top takes a positive count, not '%s'", optarg);
            break;
        case O_CACHELINE:
            if (!ps_parse_uint(optarg, 1 << 16, &o->cacheline) || !o->cacheline)
                return ps_cli_error("analyze: --cacheline takes a size in bytes, not '%s'", optarg);
            break;
        case O_RULES: o->read.go_rules_only = true; break;
        default: return ps_cli_error("analyze: see 'padscan analyze --help'");
        }
    }
    if (optind >= argc)
        return ps_cli_error("analyze: no binary given (see 'padscan analyze --help')");
    o->sel.types = types->data;
    o->sel.ntypes = types->len;
    o->sel.excludes = excludes->data;
    o->sel.nexcludes = excludes->len;
    return PS_EXIT_OK;
}

/* Layouts of the selected records of one binary, sorted and cut. */
static ps_report_binary select_layouts(const ps_binary *b, const analyze_opts *o, ps_arena *arena)
{
    ps_layout *all = ps_arena_alloc(arena, (b->structs.len + 1) * sizeof(ps_layout));
    size_t n = 0;
    for (uint32_t i = 0; i < b->structs.len; i++) {
        if (!ps_selected(&o->sel, ps_struct_at(b, i), NULL))
            continue;
        ps_analyze_record(b, i, (unsigned)o->cacheline, arena, &all[n]);
        if (ps_selected(&o->sel, ps_struct_at(b, i), &all[n]))
            n++;
    }
    if (o->sort != SORT_NONE) {
        const void *ctx[2] = {b, &o->sort};
        qsort_r(all, n, sizeof(ps_layout), compare_layouts, ctx);
    }
    if (o->top && n > o->top)
        n = (size_t)o->top;
    return (ps_report_binary){b, all, n};
}

static int check_patterns_match(const ps_selection *sel, const ps_binary *bins, size_t n)
{
    for (size_t p = 0; p < sel->ntypes; p++) {
        bool hit = false;
        for (size_t b = 0; b < n && !hit; b++)
            for (uint32_t i = 0; i < bins[b].structs.len && !hit; i++)
                hit = ps_struct_at(&bins[b], i)->reported &&
                      ps_type_matches(sel->types[p], ps_struct_at(&bins[b], i));
        if (!hit)
            return ps_cli_error("analyze: --type '%s' matches no struct in %s%s", sel->types[p],
                                bins[0].path, n > 1 ? " or the other binaries" : "");
    }
    return PS_EXIT_OK;
}

int ps_cmd_analyze(int argc, char **argv)
{
    analyze_opts o = {.sel = {.lang = -1}, .sort = SORT_WASTE, .cacheline = 64};
    ps_vec types, excludes;
    ps_vec_init(&types, sizeof(char *));
    ps_vec_init(&excludes, sizeof(char *));
    int rc = parse_args(argc, argv, &o, &types, &excludes);
    size_t nbins = (size_t)(argc - optind);
    ps_binary *bins = rc ? NULL : ps_xmalloc(nbins * sizeof(ps_binary));
    if (!rc && ps_load_binaries(argv + optind, nbins, &o.read, bins) != 0) {
        rc = PS_EXIT_ERROR;
        free(bins);
        bins = NULL;
    }
    if (!rc && !(rc = check_patterns_match(&o.sel, bins, nbins))) {
        ps_arena arena = {0};
        ps_report_binary *rbs = ps_xmalloc(nbins * sizeof(*rbs));
        for (size_t i = 0; i < nbins; i++)
            rbs[i] = select_layouts(&bins[i], &o, &arena);
        ps_report report = {rbs, nbins, (unsigned)o.cacheline};
        ps_strbuf doc = {0};
        (o.json ? ps_report_json : ps_report_text)(&report, &doc);
        rc = ps_emit(o.output, &doc);
        ps_sb_free(&doc);
        free(rbs);
        ps_arena_free(&arena);
    }
    for (size_t i = 0; bins && i < nbins; i++)
        ps_binary_free(&bins[i]);
    free(bins);
    ps_vec_free(&types);
    ps_vec_free(&excludes);
    return rc;
}
