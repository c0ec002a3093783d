/*
 * padscan fleet: options and output.  The manifest and the config are
 * loaded here; reading the binaries, matching hot types and estimating
 * are the estimate stage's (src/estimate/fleet_run.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "padscan/cli.h"
#include "padscan/config.h"

static const char usage[] =
    "usage: padscan fleet [options] MANIFEST\n"
    "\n"
    "Estimates the memory a fleet gets back when its hot types are reordered:\n"
    "per service and type, bytes per instance as the allocator hands them out\n"
    "(Go size classes, glibc, jemalloc, tcmalloc), times live instances, times\n"
    "replicas.  Manifest format: docs/fleet.md.\n"
    "\n"
    "  -j, --jobs N         threads in all (default: all cores): up to N binaries\n"
    "                       read at once, each on N / that many threads\n"
    "  --progress, --no-progress  binaries read, on stderr (default: only on a\n"
    "                       terminal, and not when CI=true)\n"
    "  --format text|json|csv|markdown   output (default text)\n"
    "  -o, --output FILE    write to FILE atomically instead of stdout\n"
    "  --config FILE        padscan.json: fixed types (for the optimal sizes)\n"
    "  --source-root DIR    print source files relative to DIR (default: the\n"
    "                       folder holding the binary's compile units)\n"
    "  --cacheline N        cache-line size in bytes (default 64; a power of two, 16..4096)\n"
    "  --include-deps       price reordering third-party dependencies' hot types too\n"
    "\n"
    "exit status: 0 done, 2 usage or manifest error (or no service could be read),\n"
    "3 done but some binaries or reports could not be read (their services are\n"
    "listed with the reason)\n";

enum { EXIT_PARTIAL = 3 };

/* The files a fleet run stands on, kept open while its result is used. */
struct ps_cli_fleet {
    ps_manifest manifest;
    ps_config config;
    ps_fleet_plan plan;
    ps_fleet_run *run;
};

/* Every padscan.json entry must match a record of the fleet's binaries. */
static int config_used(ps_cli_fleet *c, const char *path)
{
    char err[1400];
    const ps_binary *b;
    ps_reorder *reorder;
    size_t n = ps_fleet_run_binaries(c->run, 0, &b, &reorder), nb = 0;
    const ps_binary **bins = ps_xmalloc((n + 1) * sizeof(*bins));
    for (size_t i = 0; i < n; i++)
        if (ps_fleet_run_binaries(c->run, i, &b, &reorder), b)
            bins[nb++] = b;
    int rc = nb && ps_config_check_used(&c->config, path, bins, nb, err, sizeof(err));
    free(bins);
    return rc ? ps_cli_error("%s", err) : PS_EXIT_OK;
}

int ps_cli_fleet_open(const char *manifest, const ps_common_opts *o, unsigned threads,
                      ps_cli_fleet **out)
{
    char err[1200];
    ps_cli_fleet *c = ps_xcalloc(1, sizeof(*c));
    *out = c;
    if (!c)
        return ps_cli_error("out of memory");
    if (ps_manifest_load(manifest, &c->manifest, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    if (o->config_path && ps_config_load(o->config_path, &c->config, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    c->plan = (ps_fleet_plan){
        .manifest = manifest,
        .services = c->manifest.services,
        .n = c->manifest.n,
        .read = &o->read,
        .threads = threads,
        .cacheline = c->config.cacheline ? c->config.cacheline : (unsigned)o->cacheline,
        .progress = ps_progress_wanted(o->progress),
        .rules = ps_config_rules,
        .rules_ctx = &c->config,
        .edit_deps = o->sel.include_deps,
        .load_report = ps_report_source_load,
    };
    if (ps_fleet_run_open(&c->plan, &c->run, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    return o->config_path ? config_used(c, o->config_path) : PS_EXIT_OK;
}

ps_fleet_run *ps_cli_fleet_run(ps_cli_fleet *c) { return c->run; }

void ps_cli_fleet_close(ps_cli_fleet *c)
{
    if (!c)
        return;
    ps_fleet_run_close(c->run);
    ps_manifest_free(&c->manifest);
    ps_config_free(&c->config);
    free(c);
}

static int emit(const ps_fleet *f, int format, const char *output)
{
    static void (*const writers[])(const ps_fleet *, ps_strbuf *) = {
        ps_fleet_text, ps_fleet_json, ps_fleet_csv, ps_fleet_markdown,
    };
    if (f->n && f->failed == f->n) /* nothing was priced: no result at all */
        return ps_cli_error("%s: %s", f->services[0].name, f->services[0].error);
    ps_strbuf doc = {0};
    writers[format](f, &doc);
    for (size_t i = 0; i < f->n; i++) {
        if (f->services[i].warning)
            ps_cli_warning("%s: %s", f->services[i].name, f->services[i].warning);
        if (f->services[i].error)
            ps_cli_warning("%s: not priced: %s", f->services[i].name, f->services[i].error);
    }
    int rc = ps_emit(output, &doc);
    ps_sb_free(&doc);
    return rc ? rc : f->failed ? EXIT_PARTIAL : PS_EXIT_OK;
}

int ps_cmd_fleet(int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "csv", "markdown", NULL};
    static const struct option longopts[] = {
        PS_COMMON_LONGOPTS, {0, 0, 0, 0},
    };
    ps_common_opts o;
    ps_common_init(&o, "fleet", formats);
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, "ho:j:", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            exit(PS_EXIT_OK);
        }
        if (c == '?' || (rc = ps_common_option(&o, c, optarg)) < 0)
            rc = ps_unknown_option("fleet", argv);
    }
    ps_common_finish(&o);
    if (!rc && optind != argc - 1)
        rc = ps_cli_error("fleet: give exactly one manifest (see 'padscan fleet --help')");
    ps_cli_fleet *run = NULL;
    if (!rc)
        rc = ps_cli_fleet_open(argv[optind], &o, (unsigned)o.jobs, &run);
    if (!rc)
        rc = emit(ps_fleet_run_result(ps_cli_fleet_run(run)), o.format, o.output);
    ps_cli_fleet_close(run);
    ps_common_free(&o);
    return rc;
}
