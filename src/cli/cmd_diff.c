/*
 * padscan diff OLD NEW: what changed in the structs between two builds
 * (binaries or saved analyze reports).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan diff [options] OLD NEW\n"
    "\n"
    "Compares two builds (binaries, or saved 'padscan analyze --format json'\n"
    "reports): structs added and removed; size, padding, cache-line and\n"
    "pointer-byte changes; members added, removed or moved.\n"
    "\n"
    "  --format text|json|markdown|github   output (default text)\n"
    "  -o, --output FILE        write to FILE atomically instead of stdout\n"
    "  --fail-on-regression     exit 1 when a struct grew or gained padding,\n"
    "                           cache lines or pointer bytes\n"
    "  --type, --exclude, --lang, --cacheline   as for analyze\n";

typedef struct diff_opts {
    ps_common_opts common;
    bool fail_on_regression;
} diff_opts;

static int own_option(void *ctx, int c, const char *arg)
{
    (void)arg;
    if (c != PS_OPT_FIRST_OWN)
        return ps_cli_error("diff: see 'padscan diff --help'");
    ((diff_opts *)ctx)->fail_on_regression = true;
    return 0;
}

typedef struct side {
    ps_binary bin;
    bool has_bin;
    ps_reorder *reorder;
    ps_snapshot snap;
} side;


static int load_side(const diff_opts *o, const char *path, side *s, ps_arena *a)
{
    char err[1200];
    if (ps_is_json_file(path))
    {
        if (ps_snapshot_load(path, &s->snap, a, err, sizeof(err)))
            return ps_cli_error("%s", err);
        ps_snapshot_filter(&s->snap, &o->common.sel);
        return 0;
    }
    if (ps_read_binary(path, &o->common.read, &s->bin, err, sizeof(err)) != 0) {
        ps_binary_free(&s->bin);
        return ps_cli_error("%s", err);
    }
    s->has_bin = true;
    s->reorder = ps_reorder_new(&s->bin, (unsigned)o->common.cacheline, NULL, NULL);
    ps_reorder_edit_deps(s->reorder, o->common.sel.include_deps);
    ps_snapshot_binary(&s->bin, s->reorder, &o->common.sel, (unsigned)o->common.cacheline, a, &s->snap);
    return 0;
}

int ps_cmd_diff(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "markdown", "github", NULL};
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS, {"fail-on-regression", no_argument, 0, PS_OPT_FIRST_OWN}, {0, 0, 0, 0},
    };
    diff_opts o = {0};
    ps_common_init(&o.common, "diff", formats);
    ps_arena arena = {0};
    side old = {0}, now = {0};
    int rc = ps_parse_options(argc, argv, longopts, usage, &o.common, own_option, &o);
    if (!rc && argc - optind != 2)
        rc = ps_cli_error("diff: give exactly two inputs, OLD and NEW (see 'padscan diff --help')");
    if (!rc)
        rc = load_side(&o, argv[optind], &old, &arena);
    if (!rc)
        rc = load_side(&o, argv[optind + 1], &now, &arena);
    if (!rc) {
        ps_diff d;
        ps_diff_snapshots(&d, &old.snap, &now.snap);
        ps_strbuf doc = {0};
        ps_diff_format(o.common.formats[o.common.format])(&d, &old.snap, &now.snap, &doc);
        rc = ps_emit(o.common.output, &doc);
        if (!rc && o.fail_on_regression && d.regressions)
            rc = PS_EXIT_FINDINGS;
        ps_sb_free(&doc);
        ps_diff_free(&d);
    }
    side *sides[] = {&old, &now};
    for (int i = 0; i < 2; i++) {
        ps_reorder_free(sides[i]->reorder);
        if (sides[i]->has_bin)
            ps_binary_free(&sides[i]->bin);
    }
    ps_arena_free(&arena);
    ps_common_free(&o.common);
    return rc;
}
