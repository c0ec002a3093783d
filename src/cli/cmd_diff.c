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
    "  --format text|json|markdown|github|codequality   output (default text)\n"
    "  -o, --output FILE        write to FILE atomically instead of stdout\n"
    "  --fail-on-regression     exit 1 when a struct grew or gained padding,\n"
    "                           cache lines or pointer bytes\n"
    "  --suggestions            markdown: NEW's source edit of each struct that\n"
    "                           regressed, as a GitHub suggested change\n"
    "  --cross-arch             compare builds of different architectures\n"
    "                           (refused otherwise: the ABI changes every layout)\n"
    "  --type, --exclude, --lang, --cacheline,\n"
    "  --include-deps, --all-types, --source-root,\n"
    "  -j, --jobs N, --progress, --no-progress     as for analyze\n"
    "  --repo-root DIR      print file names relative to DIR (default: $GITHUB_WORKSPACE,\n"
    "                       $CI_PROJECT_DIR, the git work tree, the source root)\n"
    "\n"
    "exit status: 0 compared, 1 regressions with --fail-on-regression, 2 usage\n"
    "or input error (also: an input without records, a report of some records\n"
    "only, builds of different architectures)\n";

typedef struct diff_opts {
    ps_common_opts common;
    bool fail_on_regression, cross_arch, suggestions;
} diff_opts;

static int own_option(void *ctx, int c, const char *arg)
{
    (void)arg;
    if (c == PS_OPT_FIRST_OWN)
        ((diff_opts *)ctx)->fail_on_regression = true;
    else if (c == PS_OPT_FIRST_OWN + 1)
        ((diff_opts *)ctx)->cross_arch = true;
    else if (c == PS_OPT_FIRST_OWN + 2)
        ((diff_opts *)ctx)->suggestions = true;
    else
        return ps_cli_error("diff: see 'padscan diff --help'");
    return 0;
}

/* Two architectures lay the same source out differently: every size
 * change would be the ABI's, not the code's. */
/* Two builds with no record in common compared nothing: "0 regressions"
 * would be a pass on unrelated programs (a Go and a C binary, the wrong
 * file).  Refused, like different architectures. */
static int nothing_compared(const ps_snapshot *snap)
{
    const char *lang[2];
    for (int i = 0; i < 2; i++)
        lang[i] = snap[i].is_go ? "Go" : "C";
    return ps_cli_error("diff: nothing to compare: none of the %zu records of %s (%s) is among the "
                        "%zu of %s (%s); diff compares two builds of one program", snap[0].n,
                        snap[0].source, lang[0], snap[1].n, snap[1].source, lang[1]);
}

static int same_arch(const diff_opts *o, const ps_snapshot *snap)
{
    const char *a = snap[0].arch, *b = snap[1].arch;
    unsigned pa = snap[0].ptr_size, pb = snap[1].ptr_size;
    if (o->cross_arch || ((!a || !b || !strcmp(a, b)) && (!pa || !pb || pa == pb)))
        return PS_EXIT_OK;
    return ps_cli_error("diff: %s is %s (%u-bit) but %s is %s (%u-bit): their layouts differ by "
                        "the ABI, not by the code; pass --cross-arch to compare them anyway",
                        snap[0].source, a ? a : "?", pa * 8, snap[1].source, b ? b : "?", pb * 8);
}

/* A struct of NEW that a regression names. */
static bool regressed(const void *ctx, const ps_struct *s)
{
    const ps_diff *d = ctx;
    for (size_t i = 0; i < d->n; i++)
        if (d->changes[i].regression && !strcmp(d->changes[i].type, s->name))
            return true;
    return false;
}

static int emit(const diff_opts *o, const ps_diff *d, const ps_snapshot *snap, ps_input *new_in)
{
    ps_strbuf doc = {0};
    if (o->suggestions) {
        ps_patch *p = ps_input_patch(new_in, &o->common.sel, regressed, d);
        ps_diff_markdown_fixed(d, &snap[0], &snap[1], p, &doc);
        ps_patch_delete(p);
    } else {
        ps_diff_format(o->common.formats[o->common.format])(d, &snap[0], &snap[1], &doc);
    }
    int rc = ps_emit(o->common.output, &doc);
    if (!rc && o->fail_on_regression && d->regressions)
        rc = PS_EXIT_FINDINGS;
    ps_sb_free(&doc);
    return rc;
}

int ps_cmd_diff(int argc, char **argv)
{
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS, {"fail-on-regression", no_argument, 0, PS_OPT_FIRST_OWN},
        {"cross-arch", no_argument, 0, PS_OPT_FIRST_OWN + 1},
        {"suggestions", no_argument, 0, PS_OPT_FIRST_OWN + 2}, {0, 0, 0, 0},
    };
    diff_opts o = {0};
    ps_common_init(&o.common, "diff", ps_diff_format_names());
    ps_arena arena = {0};
    ps_input in[2] = {0};
    ps_snapshot snap[2] = {0};
    int rc = ps_parse_options(argc, argv, longopts, usage, &o.common, own_option, &o);
    if (!rc && o.suggestions && strcmp(o.common.formats[o.common.format], "markdown"))
        rc = ps_cli_error("diff: --suggestions adds to --format markdown only");
    if (!rc && argc - optind != 2)
        rc = ps_cli_error("diff: give exactly two inputs, OLD and NEW (see 'padscan diff --help')");
    for (int i = 0; i < 2 && !rc; i++)
        rc = ps_input_open(argv[optind + i], &o.common, NULL, NULL, &in[i], &snap[i], &arena);
    if (!rc)
        rc = same_arch(&o, snap);
    if (!rc && !snap[0].n && !snap[1].n)
        rc = ps_cli_error("diff: neither %s nor %s has records the selection covers (your own "
                          "types by default; --include-deps, --all-types or --type widen it)",
                          snap[0].source, snap[1].source);
    if (!rc) {
        ps_diff d;
        ps_diff_snapshots(&d, &snap[0], &snap[1]);
        rc = d.compared ? emit(&o, &d, snap, &in[1]) : nothing_compared(snap);
        ps_diff_free(&d);
    }
    for (int i = 0; i < 2; i++)
        ps_input_close(&in[i]);
    ps_arena_free(&arena);
    ps_common_free(&o.common);
    return rc;
}
