/*
 * padscan heap: options, inputs and output.  Reading the binary and its
 * code is the reader's, decoding the profiles the profile module's,
 * attributing and pricing the estimate stage's (src/estimate/heap.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"
#include "padscan/heap.h"

static const char usage[] =
    "usage: padscan heap [options] BINARY PROFILE...\n"
    "\n"
    "Attributes the samples of Go heap profiles (pprof, as WriteHeapProfile or\n"
    "/debug/pprof/heap write them) of BINARY to the types they allocate, by\n"
    "decoding each allocation site, and prints the types by in-use heap bytes:\n"
    "objects, values, bytes, share, and for each struct its waste, optimal size\n"
    "and the allocator bytes a reorder gives back.  docs/heap.md.\n"
    "\n"
    "  --format text|json|markdown   output (default text; json: docs/schema/heap.schema.json)\n"
    "  -o, --output FILE    write to FILE atomically instead of stdout\n"
    "  --combine mean|sum   several profiles: the mean per profile (one replica's\n"
    "                       heap; default) or the sum over them\n"
    "  --top N              at most N types (and unattributed lines) in text and markdown\n"
    "  --ignore-name        accept a profile whose build id or file name differs (a\n"
    "                       renamed or rebuilt-identically binary); its sampled\n"
    "                       functions must still be where the binary has them\n"
    "  --config FILE        padscan.json: fixed types (for the optimal sizes)\n"
    "  --include-deps       also reorder third-party dependencies' types\n"
    "  --cacheline N        cache-line size in bytes (default 64)\n"
    "  -j, --jobs N, --progress, --no-progress   as for analyze\n"
    "\n"
    "exit status: 0 done, 2 usage or input error (a profile that is not a heap\n"
    "profile, is damaged, or is of another build)\n";

typedef struct heap_opts {
    ps_common_opts common;
    ps_combine combine;
    unsigned long long top;
    bool ignore_name;
} heap_opts;

enum { OPT_COMBINE = PS_OPT_FIRST_OWN, OPT_TOP, OPT_IGNORE_NAME };

static int own_option(void *ctx, int c, const char *arg)
{
    heap_opts *o = ctx;
    switch (c) {
    case OPT_COMBINE:
        if (!strcmp(arg, "mean") || !strcmp(arg, "sum")) {
            o->combine = !strcmp(arg, "sum") ? PS_COMBINE_SUM : PS_COMBINE_MEAN;
            return 0;
        }
        return ps_cli_error("heap: --combine must be mean or sum, not '%s'", arg);
    case OPT_TOP:
        if (!ps_parse_uint(arg, 1ULL << 31, &o->top) || !o->top)
            return ps_cli_error("heap: --top takes a positive count, not '%s'", arg);
        return 0;
    case OPT_IGNORE_NAME:
        o->ignore_name = true;
        return 0;
    default:
        return ps_cli_error("heap: see 'padscan heap --help'");
    }
}

typedef struct heap_inputs {
    ps_binary *bin;
    ps_config cfg;
    ps_code *code;
    ps_profile *profiles;
    size_t n;
    ps_reorder *reorder;
    ps_arena arena;
} heap_inputs;

static int load_profiles(heap_opts *o, heap_inputs *in, char **paths, size_t n)
{
    char err[1200];
    in->profiles = ps_xcalloc(n, sizeof(ps_profile));
    for (size_t i = 0; i < n; i++, in->n++) {
        if (ps_profile_load(paths[i], &in->profiles[i], err, sizeof(err)) != 0 ||
            !ps_heap_profile_matches(in->code, in->bin->path, &in->profiles[i], o->ignore_name,
                                     err, sizeof(err))) {
            in->n++;
            return ps_cli_error("%s", err);
        }
    }
    return 0;
}

static void unload(heap_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        ps_profile_free(&in->profiles[i]);
    free(in->profiles);
    ps_reorder_free(in->reorder);
    ps_code_close(in->code);
    ps_unload_inputs(in->bin, in->bin ? 1 : 0, &in->cfg);
    ps_arena_free(&in->arena);
}

static int run(heap_opts *o, char **paths, size_t n)
{
    char err[1200];
    heap_inputs in = {0};
    int rc = ps_load_inputs(&o->common, paths, 1, &in.cfg, &in.bin);
    if (!rc && ps_code_open(paths[0], &in.code, err, sizeof(err)) != 0)
        rc = ps_cli_error("%s", err);
    if (!rc)
        rc = load_profiles(o, &in, paths + 1, n - 1);
    ps_heap_report report;
    if (!rc) {
        unsigned line = in.cfg.cacheline ? in.cfg.cacheline : (unsigned)o->common.cacheline;
        in.reorder = ps_reorder_new(in.bin, line, ps_config_rules, &in.cfg);
        ps_reorder_edit_deps(in.reorder, o->common.sel.include_deps);
        if (ps_heap_attribute(in.bin, in.reorder, in.code, in.profiles, in.n, o->combine, line,
                              &in.arena, &report, err, sizeof(err)) != 0)
            rc = ps_cli_error("%s", err);
    }
    if (!rc) {
        ps_strbuf doc = {0};
        if (o->common.format == 1)
            ps_heap_json(&report, &doc);
        else if (o->common.format == 2)
            ps_heap_markdown(&report, (size_t)o->top, &doc);
        else
            ps_heap_text(&report, (size_t)o->top, &doc);
        rc = ps_emit(o->common.output, &doc);
        ps_sb_free(&doc);
    }
    unload(&in);
    return rc;
}

int ps_cmd_heap(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "markdown", NULL};
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS,
        {"combine", required_argument, 0, OPT_COMBINE},
        {"top", required_argument, 0, OPT_TOP},
        {"ignore-name", no_argument, 0, OPT_IGNORE_NAME},
        {0, 0, 0, 0},
    };
    heap_opts o = {0};
    ps_common_init(&o.common, "heap", formats);
    int rc = ps_parse_options(argc, argv, longopts, usage, &o.common, own_option, &o);
    if (!rc && argc - optind < 2)
        rc = ps_cli_error("heap: give the binary and at least one profile (see 'padscan heap --help')");
    if (!rc)
        rc = run(&o, argv + optind, (size_t)(argc - optind));
    ps_common_free(&o.common);
    return rc;
}
