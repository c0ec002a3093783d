/*
 * padscan suggest: the best field order of every selected record that can
 * improve, as text, JSON, C or Go.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"
#include "padscan/config.h"
#include "padscan/fleet.h"

static const char usage[] =
    "usage: padscan suggest [options] BINARY...\n"
    "\n"
    "Proposes, for every struct that can improve, a field order of minimum\n"
    "size (proven by exhaustive search), then hot fields first, then (Go)\n"
    "the fewest pointer bytes for the GC to scan, then the fewest moves.\n"
    "\n"
    "  --format text|json|c|go|patch  output (default text); c and go are\n"
    "                       compilable; patch: a diff of the C and Go sources\n"
    "  -o, --output FILE    write to FILE atomically instead of stdout (go: FILE takes\n"
    "                       one package; an existing folder works as --output-dir)\n"
    "  --output-dir DIR     go: one file per package, DIR/<import path>/padscan_suggest.go\n"
    "  --write              patch: edit the C and Go sources in place (all or none)\n"
    "  --manifest FLEET     patch: verdicts also give the fleet's bytes of each type\n"
    "  --type PATTERN       only records whose name matches the glob (repeatable)\n"
    "  --exclude PATTERN    leave out records whose name matches (repeatable)\n"
    "  --lang go|c          only records of this language\n"
    "  --include-deps       also third-party dependencies' types (default: your own)\n"
    "  --all-types          every type, the standard library's and system's too\n"
    "  --config FILE        padscan.json: hot fields, fixed types, cache lines\n"
    "  --source-root DIR    print source files relative to DIR (default: the\n"
    "                       folder holding the binary's compile units)\n"
    "  --repo-root DIR      name files in --format patch relative to DIR (default:\n"
    "                       $GITHUB_WORKSPACE, $CI_PROJECT_DIR, the git work tree,\n"
    "                       the source root)\n"
    "  --cacheline N        cache-line size in bytes (default 64; a power of two, 16..4096)\n"
    "  --min-saving N       only records that shrink by at least N bytes\n"
    "  --all                also records whose order is already best (or kept)\n"
    "  --pointer-bytes      also orders that only lower Go pointer bytes\n"
    "  --allocator NAME     size classes deciding what counts: go, glibc, jemalloc,\n"
    "                       tcmalloc or exact (default: go for Go, glibc for C)\n"
    "  --rename-prefix P    c/go: prefix the names of the types defined\n"
    "  --go-rules-only      ignore Go runtime type descriptors (testing aid)\n"
    "  -j, --jobs N, --progress, --no-progress   as for analyze\n";

typedef struct suggest_opts {
    ps_common_opts common;
    unsigned long long min_saving;
    bool all, pointer_bytes, has_allocator;
    ps_allocator allocator;
    const char *prefix, *output_dir, *manifest;
    bool write;
} suggest_opts;

static int own_option(void *ctx, int c, const char *arg)
{
    suggest_opts *o = ctx;
    switch (c) {
    case PS_OPT_FIRST_OWN:
        if (!ps_parse_uint(arg, 1ULL << 40, &o->min_saving))
            return ps_cli_error("suggest: --min-saving takes a byte count, not '%s'", arg);
        return 0;
    case PS_OPT_FIRST_OWN + 1: o->all = true; return 0;
    case PS_OPT_FIRST_OWN + 2: o->prefix = arg; return 0;
    case PS_OPT_FIRST_OWN + 3: o->pointer_bytes = true; return 0;
    case PS_OPT_FIRST_OWN + 4:
        if (!ps_allocator_parse(arg, &o->allocator))
            return ps_cli_error("suggest: --allocator must be go, glibc, jemalloc, tcmalloc or "
                                "exact, not '%s'", arg);
        o->has_allocator = true;
        return 0;
    case PS_OPT_FIRST_OWN + 5: o->output_dir = arg; return 0;
    case PS_OPT_FIRST_OWN + 6: o->write = true; return 0;
    case PS_OPT_FIRST_OWN + 7: o->manifest = arg; return 0;
    default: return ps_cli_error("suggest: see 'padscan suggest --help'");
    }
}

static int parse_args(int argc, char **argv, suggest_opts *o)
{
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS,
        {"min-saving", required_argument, 0, PS_OPT_FIRST_OWN},
        {"all", no_argument, 0, PS_OPT_FIRST_OWN + 1},
        {"rename-prefix", required_argument, 0, PS_OPT_FIRST_OWN + 2},
        {"pointer-bytes", no_argument, 0, PS_OPT_FIRST_OWN + 3},
        {"allocator", required_argument, 0, PS_OPT_FIRST_OWN + 4},
        {"output-dir", required_argument, 0, PS_OPT_FIRST_OWN + 5},
        {"write", no_argument, 0, PS_OPT_FIRST_OWN + 6},
        {"manifest", required_argument, 0, PS_OPT_FIRST_OWN + 7},
        {0, 0, 0, 0},
    };
    int rc = ps_parse_command(argc, argv, longopts, usage, &o->common, own_option, o);
    if (rc == 0 && o->output_dir && o->common.format != 3)
        return ps_cli_error("suggest: --output-dir writes --format go only");
    if (rc == 0 && o->write && o->common.format != 4)
        return ps_cli_error("suggest: --write edits the sources of --format patch only");
    if (rc == 0 && o->manifest && o->common.format != 4)
        return ps_cli_error("suggest: --manifest prices the verdicts of --format patch only");
    if (rc == 0 && o->output_dir && o->common.output)
        return ps_cli_error("suggest: give -o or --output-dir, not both");
    return rc;
}

static bool wanted(const suggest_opts *o, const ps_suggestion *g)
{
    if (o->all || g->fixes_groups)
        return true;
    return g->improves && g->size >= g->optimal_size + o->min_saving &&
           (g->optimal_size < g->size || !o->min_saving);
}

/* Go objects come from Go's allocator, C records from malloc. */
static ps_allocator allocator_of(const suggest_opts *o, const ps_struct *s)
{
    return o->has_allocator ? o->allocator : s->lang == PS_LANG_GO ? PS_ALLOC_GO : PS_ALLOC_GLIBC;
}

/* Advice worth acting on: a record counts when the allocator gives memory
 * back (a smaller size class), when its hot fields gather, or (opted in)
 * when only its pointer bytes fall.  A shrink inside one class is "same
 * class", as structslop and gopls judge it. */
static ps_suggest_class judge(const suggest_opts *o, const ps_binary *b, const ps_suggestion *g,
                              bool *finding)
{
    ps_alloc_target t = {b->ptr_size ? b->ptr_size : 8, ps_go_version_minor(b->go_version)};
    ps_allocator a = allocator_of(o, ps_struct_at(b, g->record));
    ps_suggest_class c = {ps_alloc_bytes(a, &t, g->size, g->ptr_bytes > 0),
                          ps_alloc_bytes(a, &t, g->optimal_size, g->optimal_ptr_bytes > 0), false,
                          ps_allocator_name(a)};
    bool hot = g->optimal_hot_lines < g->hot_lines || g->optimal_hot_first_line < g->hot_first_line;
    bool ptr = o->pointer_bytes && g->optimal_ptr_bytes < g->ptr_bytes;
    *finding = g->improves && (c.after < c.before || hot || ptr || g->fixes_groups);
    c.same = g->improves && g->optimal_size < g->size && !*finding;
    return c;
}

static ps_suggest_binary select_suggestions(const ps_binary *b, const suggest_opts *o,
                                            ps_reorder *reorder, ps_arena *arena)
{
    size_t cap = b->structs.len + 1;
    const ps_suggestion **list = ps_arena_alloc(arena, cap * sizeof(*list));
    const ps_suggestion **same = ps_arena_alloc(arena, cap * sizeof(*same));
    ps_suggest_class *classes = ps_arena_alloc(arena, cap * sizeof(*classes));
    ps_suggest_class *same_classes = ps_arena_alloc(arena, cap * sizeof(*same_classes));
    size_t n = 0, nsame = 0;
    ps_reorder_pointer_bytes(reorder, o->pointer_bytes);
    uint32_t *records = ps_arena_alloc(arena, cap * sizeof(*records));
    size_t nrec = 0;
    for (uint32_t i = 0; i < b->structs.len; i++)
        if (ps_selected(&o->common.sel, ps_struct_at(b, i), NULL))
            records[nrec++] = i;
    ps_reorder_prepare(reorder, records, nrec, (unsigned)o->common.jobs);
    for (size_t k = 0; k < nrec; k++) {
        uint32_t i = records[k];
        const ps_suggestion *g = ps_suggest(reorder, i);
        bool finding = false;
        ps_suggest_class c = g ? judge(o, b, g, &finding) : (ps_suggest_class){0, 0, false, NULL};
        if (g && (finding || o->all) && wanted(o, g)) {
            classes[n] = c;
            list[n++] = g;
        } else if (g && c.same && wanted(o, g)) {
            same_classes[nsame] = c;
            same[nsame++] = g;
        }
    }
    return (ps_suggest_binary){b, reorder, list, n, classes, same, same_classes, nsame};
}

/* --format c and go export one language: a binary without a selected
 * record of it is a mistake to say (exit 2), not an empty file to write;
 * records of it that do not improve are said on stderr. */
static int export_language(const suggest_opts *o, const ps_suggest_binary *sbs, size_t nbins)
{
    if (o->common.format != 2 && o->common.format != 3)
        return PS_EXIT_OK;
    ps_lang want = o->common.format == 2 ? PS_LANG_C : PS_LANG_GO;
    const char *name = want == PS_LANG_C ? "C" : "Go";
    size_t have = 0, offered = 0;
    for (size_t k = 0; k < nbins; k++) {
        const ps_binary *b = sbs[k].bin;
        for (uint32_t i = 0; i < b->structs.len; i++) {
            const ps_struct *s = ps_struct_at(b, i);
            have += s->lang == want && ps_selected(&o->common.sel, s, NULL); /* C++: noted */
        }
        for (size_t i = 0; i < sbs[k].n; i++)
            offered += ps_struct_at(b, sbs[k].suggestions[i]->record)->lang == want;
    }
    if (!have)
        return ps_cli_error("suggest: --format %s exports %s records, and the selection holds "
                            "none (%s%s): use --format %s", want == PS_LANG_C ? "c" : "go",
                            name, nbins == 1 ? sbs[0].bin->path : "no input has one",
                            nbins == 1 ? " has none" : "", want == PS_LANG_C ? "go" : "c");
    if (!offered)
        fprintf(stderr, "padscan suggest: no %s record improves: nothing to export\n", name);
    return PS_EXIT_OK;
}

static int report(void *ctx, ps_binary *bins, size_t nbins, ps_config *cfg)
{
    const suggest_opts *o = ctx;
    static void (*const writers[])(const ps_suggest_report *, ps_strbuf *) = {
        ps_suggest_text, ps_suggest_json, ps_export_c, ps_export_go, ps_export_patch,
    };
    unsigned line = cfg->cacheline ? cfg->cacheline : (unsigned)o->common.cacheline;
    ps_arena arena = {0};
    ps_suggest_binary *sbs = ps_xmalloc(nbins * sizeof(*sbs));
    for (size_t i = 0; i < nbins; i++) {
        ps_reorder *reorder = ps_reorder_new(&bins[i], line, ps_config_rules, cfg);
        ps_reorder_edit_deps(reorder, o->common.sel.include_deps);
        sbs[i] = select_suggestions(&bins[i], o, reorder, &arena);
    }
    ps_suggest_report report = {sbs, nbins, line, o->prefix, NULL};
    ps_cli_fleet *fleet = NULL;
    int rc = export_language(o, sbs, nbins);
    if (!rc && o->manifest)
        rc = ps_cli_fleet_open(o->manifest, &o->common, ps_default_jobs(), &fleet);
    if (fleet && !rc)
        report.fleet = ps_fleet_run_result(ps_cli_fleet_run(fleet));
    const char *out = o->common.output;
    if (rc) {
        /* the manifest's error is said */
    } else if (o->write) {
        ps_strbuf doc = {0};
        char err[4200];
        rc = ps_patch_write(&report, &doc, err, sizeof(err)) != 0 ? ps_cli_error("%s", err)
                                                                  : ps_emit(out, &doc);
        ps_sb_free(&doc);
    } else if (o->common.format == 3 && (o->output_dir || ps_is_dir(out))) {
        rc = ps_write_go_packages(&report, o->output_dir ? o->output_dir : out);
    } else if (o->common.format == 3 && out && strcmp(out, "-")) {
        rc = ps_write_go_file(&report, out);
    } else {
        ps_strbuf doc = {0};
        writers[o->common.format](&report, &doc);
        rc = ps_emit(out, &doc);
        ps_sb_free(&doc);
    }
    ps_cli_fleet_close(fleet);
    for (size_t i = 0; i < nbins; i++)
        ps_reorder_free(sbs[i].reorder);
    free(sbs);
    ps_arena_free(&arena);
    return rc;
}

int ps_cmd_suggest(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "c", "go", "patch", NULL};
    suggest_opts o = {0};
    ps_common_init(&o.common, "suggest", formats);
    return ps_run_on_binaries(argc, argv, &o.common, parse_args(argc, argv, &o), report, &o);
}
