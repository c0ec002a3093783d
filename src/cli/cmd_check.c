/*
 * padscan check: the CI memory-waste budget.  Every rule of the budget on
 * every struct of the binaries (or of a fleet), against an optional
 * baseline; exit 1 when the budget is exceeded or something regressed.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan check --budget FILE [options] BINARY|REPORT...\n"
    "       padscan check --budget FILE --fleet MANIFEST [options]\n"
    "\n"
    "Evaluates the budget's rules (docs/ci.md) on every struct they cover and\n"
    "reports each violation with the struct, the rule, the measured value, the\n"
    "limit and the field order that would fix it.\n"
    "\n"
    "  --budget FILE          the budget (required)\n"
    "  --fleet MANIFEST       check a fleet: its binaries and the fleet rules\n"
    "  --baseline FILE        fail only on regressions against this baseline\n"
    "  --write-baseline FILE  write the measurements as a new baseline (atomically);\n"
    "                         says so on stderr and exits 0 even when checks fail\n"
    "  --fail-on-violation    with --write-baseline: exit 1 when checks fail\n"
    "  --format text|json|sarif|junit|github|markdown|codequality   output (default text)\n"
    "  --suggestions          markdown: each failing record's source edit as a GitHub\n"
    "                         suggested change (SARIF always carries them as fixes)\n"
    "  -o, --output FILE      write to FILE atomically instead of stdout\n"
    "  --type, --exclude, --lang, --config, --cacheline,\n"
    "  --include-deps, --all-types, --source-root,\n"
    "  -j, --jobs N, --progress, --no-progress           as for analyze\n"
    "  --repo-root DIR      print file names relative to DIR (default: $GITHUB_WORKSPACE,\n"
    "                       $CI_PROJECT_DIR, the git work tree, the source root)\n"
    "\n"
    "exit status: 0 within budget (or a baseline written), 1 budget exceeded or\n"
    "regression, 2 usage or input error\n";

typedef struct check_opts {
    ps_common_opts common;
    const char *budget, *fleet, *baseline, *write_baseline;
    bool fail_on_violation, suggestions;
} check_opts;

static int own_option(void *ctx, int c, const char *arg)
{
    check_opts *o = ctx;
    const char **slot[] = {&o->budget, &o->fleet, &o->baseline, &o->write_baseline};
    if (c == PS_OPT_FIRST_OWN + 4 || c == PS_OPT_FIRST_OWN + 5) {
        *(c == PS_OPT_FIRST_OWN + 4 ? &o->fail_on_violation : &o->suggestions) = true;
        return 0;
    }
    if (c < PS_OPT_FIRST_OWN || c > PS_OPT_FIRST_OWN + 3)
        return ps_cli_error("check: see 'padscan check --help'");
    *slot[c - PS_OPT_FIRST_OWN] = arg;
    return 0;
}

typedef struct check_run {
    ps_arena arena;
    ps_snapshot **snaps;
    size_t nsnaps;
    ps_input *inputs;
    size_t ninputs;
    ps_cli_fleet *fleet;
    ps_config cfg;
} check_run;


static ps_snapshot *new_snapshot(check_run *r)
{
    r->snaps = ps_xrealloc(r->snaps, (r->nsnaps + 1) * sizeof(*r->snaps));
    return r->snaps[r->nsnaps++] = ps_arena_zalloc(&r->arena, sizeof(ps_snapshot));
}

static int snapshot_inputs(check_opts *o, char **paths, size_t n, check_run *r)
{
    r->inputs = ps_xmalloc((n + 1) * sizeof(ps_input));
    memset(r->inputs, 0, (n + 1) * sizeof(ps_input));
    int rc = PS_EXIT_OK;
    for (size_t i = 0; i < n && !rc; i++, r->ninputs++)
        rc = ps_input_open(paths[i], &o->common, ps_config_rules, &r->cfg, &r->inputs[i],
                           new_snapshot(r), &r->arena);
    const ps_binary **bins = ps_xmalloc((n + 1) * sizeof(*bins));
    size_t nb = 0;
    for (size_t i = 0; i < r->ninputs; i++)
        if (r->inputs[i].has_bin)
            bins[nb++] = &r->inputs[i].bin;
    char err[1400];
    if (!rc && nb && o->common.config_path &&
        ps_config_check_used(&r->cfg, o->common.config_path, bins, nb, err, sizeof(err)))
        rc = ps_cli_error("%s", err);
    free(bins);
    return rc;
}

static int snapshot_fleet(check_opts *o, check_run *r)
{
    int rc = ps_cli_fleet_open(o->fleet, &o->common, (unsigned)o->common.jobs, &r->fleet);
    if (rc)
        return rc;
    ps_fleet_run *run = ps_cli_fleet_run(r->fleet);
    size_t n = ps_fleet_run_binaries(run, 0, &(const ps_binary *){NULL}, &(ps_reorder *){NULL});
    for (size_t i = 0; i < n; i++) {
        const ps_binary *b;
        ps_reorder *reorder;
        ps_fleet_run_binaries(run, i, &b, &reorder);
        if (b)
            ps_snapshot_binary(b, reorder, &o->common.sel, (unsigned)o->common.cacheline, &r->arena,
                               new_snapshot(r));
    }
    return PS_EXIT_OK;
}

/* The new baseline: what was measured, ratcheted against the baseline
 * the check compared with (was, or NULL). */
static void baseline_doc(const check_opts *o, const check_run *r, const ps_snapshot *was,
                         ps_strbuf *doc)
{
    if (!was) {
        ps_baseline_json((const ps_snapshot *const *)r->snaps, r->nsnaps, doc);
        return;
    }
    ps_snapshot *held = ps_xcalloc(r->nsnaps + 1, sizeof(*held));
    const ps_snapshot **list = ps_xcalloc(r->nsnaps + 1, sizeof(*list));
    size_t kept = ps_baseline_ratchet(r->snaps, r->nsnaps, was, held);
    for (size_t k = 0; k < r->nsnaps; k++)
        list[k] = &held[k];
    ps_baseline_json(list, r->nsnaps, doc);
    if (kept)
        fprintf(stderr, "padscan check: %s keeps the earlier numbers of %zu struct%s that got "
                        "worse than %s says\n", o->write_baseline, kept, kept == 1 ? "" : "s",
                o->baseline);
    for (size_t k = 0; k < r->nsnaps; k++)
        free(held[k].structs);
    free(held);
    free(list);
}

/* The report and the baseline: both files or neither (a report to
 * standard output goes last, once the baseline is written). */
static int write_outputs(const check_opts *o, const check_run *r, const ps_snapshot *was,
                         const ps_strbuf *report)
{
    const char *out = o->common.output;
    bool to_file = out && strcmp(out, "-");
    if (!o->write_baseline)
        return ps_emit(out, report);
    ps_strbuf doc = {0};
    baseline_doc(o, r, was, &doc);
    const char *paths[2] = {o->write_baseline, out};
    const char *data[2] = {doc.buf ? doc.buf : "", report->buf ? report->buf : ""};
    size_t lens[2] = {doc.len, report->len};
    char err[1200];
    int rc = ps_write_files_atomic(paths, data, lens, to_file ? 2 : 1, err, sizeof(err));
    ps_sb_free(&doc);
    if (rc)
        return ps_cli_error("%s", err);
    rc = to_file ? PS_EXIT_OK : ps_emit(out, report);
    if (!rc) {
        size_t nstructs = 0;
        for (size_t i = 0; i < r->nsnaps; i++)
            nstructs += r->snaps[i]->n;
        fprintf(stderr, "padscan check: wrote baseline %s (%zu structs from %zu input%s)\n",
                o->write_baseline, nstructs, r->nsnaps, r->nsnaps == 1 ? "" : "s");
    }
    return rc;
}

/* padscan.json's cache-line groups as check rules. */
static void check_groups(check_opts *o, check_run *r, ps_check *result)
{
    for (size_t e = 0; e < r->cfg.n; e++) {
        const ps_config_entry *x = &r->cfg.entries[e];
        unsigned line = x->rules.cacheline ? x->rules.cacheline
                        : r->cfg.cacheline ? r->cfg.cacheline : (unsigned)o->common.cacheline;
        for (size_t g = 0; g < x->rules.ngroups; g++) {
            const ps_field_group *f = &x->rules.groups[g];
            ps_group_rule rule = {x->pattern, f->fields, f->nfields, f->max_lines,
                                  ps_arena_printf(&r->arena, "groups.%s.contiguous", f->name),
                                  ps_arena_printf(&r->arena, "groups.%s.max_lines", f->name)};
            for (size_t i = 0; i < r->nsnaps; i++)
                ps_check_groups(result, &rule, 1, r->snaps[i], line);
        }
    }
}

static bool snapshots_match(const check_run *r, const char *glob)
{
    for (size_t k = 0; k < r->nsnaps; k++)
        for (size_t i = 0; i < r->snaps[k]->n; i++)
            if (!fnmatch(glob, r->snaps[k]->structs[i].name, 0))
                return true;
    return false;
}

/* The class of a record of the input binaries that a glob matches but
 * the selection leaves out, or -1. */
static int left_out_class(const check_opts *o, const check_run *r, const char *glob)
{
    for (size_t k = 0; k < r->ninputs; k++)
        for (uint32_t i = 0; r->inputs[k].has_bin && i < r->inputs[k].bin.structs.len; i++) {
            const ps_struct *s = ps_struct_at(&r->inputs[k].bin, i);
            if (s->reported && !ps_class_selected(&o->common.sel, s->cls) &&
                ps_type_matches(glob, s))
                return (int)s->cls;
        }
    return -1;
}

/* A rule that names only a dependency's or the standard library's types
 * matches nothing by default: say so rather than guess a typo. */
static int rules_for_left_out_classes(const check_opts *o, const check_run *r,
                                      const ps_budget *b)
{
    for (size_t k = 0; k < b->nrules; k++)
        for (size_t t = 0; !b->rules[k].optional && t < b->rules[k].ntypes; t++) {
            const char *glob = b->rules[k].types[t];
            int cls = snapshots_match(r, glob) ? -1 : left_out_class(o, r, glob);
            if (cls >= 0)
                return ps_cli_error("%s: $.rules[%zu].types[%zu]: '%s' matches only %s types, "
                                    "which check leaves out by default: add %s (or say "
                                    "\"optional\": true)", o->budget, k, t, glob,
                                    cls == PS_CLASS_STD ? "standard-library" : "dependency",
                                    cls == PS_CLASS_STD ? "--all-types" : "--include-deps");
        }
    return PS_EXIT_OK;
}

/* The options that narrowed the records, in words ("--lang go --type
 * 'zzz'"), or "" when none did. */
static void selection_words(const check_opts *o, ps_strbuf *sb)
{
    const ps_selection *sel = &o->common.sel;
    static const char *const langs[] = {"c", "go"}; /* by ps_lang */
    if (sel->lang >= 0 && (size_t)sel->lang < sizeof(langs) / sizeof(langs[0]))
        ps_sb_printf(sb, " --lang %s", langs[sel->lang]);
    for (size_t i = 0; i < sel->ntypes; i++)
        ps_sb_printf(sb, " --type '%s'", sel->types[i]);
    for (size_t i = 0; i < sel->nexcludes; i++)
        ps_sb_printf(sb, " --exclude '%s'", sel->excludes[i]);
    if (sel->min_waste)
        ps_sb_printf(sb, " --min-waste %llu", sel->min_waste);
}

/* A run that ran no check never passes: say why nothing was checked. */
static int nothing_checked(const check_opts *o, const check_run *r)
{
    size_t records = 0;
    for (size_t i = 0; i < r->nsnaps; i++)
        records += r->snaps[i]->n;
    ps_strbuf why = {0};
    selection_words(o, &why);
    int rc;
    if (!records)
        rc = ps_cli_error("check: nothing was checked: the selection%s left no records of the "
                          "input%s; widen it%s", why.buf ? why.buf : " (your own types only)",
                          r->nsnaps == 1 ? "" : "s",
                          why.buf || o->common.sel.all_classes ? "" : " (--include-deps, --all-types)");
    else
        rc = ps_cli_error("%s: nothing was checked: no rule covers any of the %zu selected record%s "
                          "(every rule is optional or its records are ignored)%s%s", o->budget,
                          records, records == 1 ? "" : "s", why.buf ? "; selection:" : "",
                          why.buf ? why.buf : "");
    ps_sb_free(&why);
    return rc;
}

static int evaluate(check_opts *o, check_run *r, const ps_budget *budget)
{
    char err[1200];
    ps_snapshot base = {0};
    size_t records = 0;
    for (size_t i = 0; i < r->nsnaps; i++)
        records += r->snaps[i]->n;
    if (rules_for_left_out_classes(o, r, budget) != PS_EXIT_OK)
        return PS_EXIT_ERROR;
    if (!records && !r->fleet)
        return nothing_checked(o, r);
    if (ps_check_unmatched(o->budget, budget, (const ps_snapshot *const *)r->snaps, r->nsnaps, err,
                           sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    if (o->baseline && ps_snapshot_load(o->baseline, &base, &r->arena, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    if (o->baseline && ps_refuse_other_cacheline(&o->common, o->baseline, &base) != PS_EXIT_OK)
        return PS_EXIT_ERROR;
    ps_check result = {0};
    for (size_t i = 0; i < r->nsnaps; i++)
        ps_check_snapshot(&result, budget, r->snaps[i], o->baseline ? &base : NULL);
    check_groups(o, r, &result);
    if (ps_check_unmeasured(o->budget, budget, &result, (const ps_snapshot *const *)r->snaps,
                            r->nsnaps, err, sizeof(err)) != 0) {
        ps_check_free(&result);
        return ps_cli_error("%s", err);
    }
    if (r->fleet)
        ps_check_fleet(&result, budget, ps_fleet_run_result(ps_cli_fleet_run(r->fleet))->real_total);
    else if (budget->has_fleet_max_waste)
        fprintf(stderr, "padscan: %s: $.fleet: optional fleet limit skipped (no --fleet MANIFEST)\n",
                o->budget);
    if (!result.n) {
        ps_check_free(&result);
        return nothing_checked(o, r);
    }
    ps_strbuf doc = {0};
    const char *format = o->common.formats[o->common.format];
    ps_check_fix_writer fixed = ps_check_format_fixes(format);
    if (fixed && (strcmp(format, "markdown") || o->suggestions))
        ps_check_write_fixed(fixed, &result, r->inputs, r->snaps, r->ninputs, &o->common.sel, &doc);
    else
        ps_check_format(format)(&result, &doc);
    int rc = write_outputs(o, r, o->baseline ? &base : NULL, &doc);
    /* Writing a baseline is the job when adopting one: it passes unless
     * asked to fail. */
    if (!rc && result.failures && (!o->write_baseline || o->fail_on_violation))
        rc = PS_EXIT_FINDINGS;
    ps_sb_free(&doc);
    ps_check_free(&result);
    return rc;
}

static void cleanup(check_run *r)
{
    for (size_t i = 0; i < r->ninputs; i++)
        ps_input_close(&r->inputs[i]);
    free(r->inputs);
    free(r->snaps);
    ps_cli_fleet_close(r->fleet);
    ps_config_free(&r->cfg);
    ps_arena_free(&r->arena);
}

int ps_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS,
        {"budget", required_argument, 0, PS_OPT_FIRST_OWN},
        {"fleet", required_argument, 0, PS_OPT_FIRST_OWN + 1},
        {"baseline", required_argument, 0, PS_OPT_FIRST_OWN + 2},
        {"write-baseline", required_argument, 0, PS_OPT_FIRST_OWN + 3},
        {"fail-on-violation", no_argument, 0, PS_OPT_FIRST_OWN + 4},
        {"suggestions", no_argument, 0, PS_OPT_FIRST_OWN + 5},
        {0, 0, 0, 0},
    };
    check_opts o = {0};
    ps_common_init(&o.common, "check", ps_check_format_names());
    check_run r = {0};
    ps_budget budget = {0};
    struct cJSON *doc = NULL;
    char err[1200];
    int rc = ps_parse_options(argc, argv, longopts, usage, &o.common, own_option, &o);
    size_t n = (size_t)(argc - optind);
    if (!rc && !o.budget)
        rc = ps_cli_error("check: --budget FILE is required (see 'padscan check --help')");
    if (!rc && o.suggestions && strcmp(o.common.formats[o.common.format], "markdown"))
        rc = ps_cli_error("check: --suggestions adds to --format markdown only");
    if (!rc && !n && !o.fleet)
        rc = ps_cli_error("check: give binaries, reports or --fleet MANIFEST");
    if (!rc && ps_budget_load(o.budget, &budget, &doc, err, sizeof(err)) != 0)
        rc = ps_cli_error("%s", err);
    if (!rc && budget.has_fleet_max_waste && !budget.fleet_optional && !o.fleet)
        rc = ps_cli_error("%s: $.fleet.max_waste: a fleet limit needs --fleet MANIFEST, and none was "
                          "given: check the fleet with --fleet, keep the limit in a budget of its "
                          "own for the fleet job, or say \"optional\": true in \"fleet\"", o.budget);
    if (!rc && o.common.config_path && ps_config_load(o.common.config_path, &r.cfg, err, sizeof(err)))
        rc = ps_cli_error("%s", err);
    o.common.read.sync_types = r.cfg.sync_types;
    o.common.read.nsync_types = r.cfg.nsync_types;
    if (!rc)
        rc = o.fleet ? snapshot_fleet(&o, &r) : snapshot_inputs(&o, argv + optind, n, &r);
    if (!rc)
        rc = evaluate(&o, &r, &budget);
    cleanup(&r);
    ps_budget_free(&budget, doc);
    ps_common_free(&o.common);
    return rc;
}
