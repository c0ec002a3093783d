/*
 * Helpers every subcommand shares: errors, numbers, record selection,
 * loading binaries and writing results.
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "padscan/cli.h"
#include "padscan/config.h"
#include "padscan/fleet.h"

/* One line, whatever the paths and names in it hold. */
static void say(const char *prefix, const char *fmt, va_list ap)
{
    ps_strbuf msg = {0}, line = {0};
    ps_sb_vprintf(&msg, fmt, ap);
    ps_sb_puts(&line, prefix);
    ps_sb_add_oneline(&line, msg.buf ? msg.buf : "", msg.len);
    ps_sb_putc(&line, '\n');
    fputs(line.buf, stderr);
    ps_sb_free(&msg);
    ps_sb_free(&line);
}

int ps_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("padscan: ", fmt, ap);
    va_end(ap);
    return PS_EXIT_ERROR;
}

void ps_cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("padscan: warning: ", fmt, ap);
    va_end(ap);
}

bool ps_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end = NULL;
    if (!s || !*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v > max)
        return false;
    *out = v;
    return true;
}

bool ps_selected(const ps_selection *sel, const ps_struct *s, const ps_layout *l)
{
    ps_type_ref t = ps_type_ref_of(s);
    return ps_select(sel, &t) && (!l || l->waste >= sel->min_waste);
}

int ps_load_binaries(char **paths, size_t n, const ps_read_options *opts, ps_binary *out)
{
    char err[1024];
    for (size_t i = 0; i < n; i++) {
        ps_progress_binary(paths[i], i, n);
        int rc = ps_read_binary(paths[i], opts, &out[i], err, sizeof(err));
        ps_progress_clear();
        if (rc != 0) {
            ps_cli_error("%s", err);
            for (size_t k = 0; k <= i; k++)
                ps_binary_free(&out[k]);
            return -1;
        }
    }
    return 0;
}

int ps_emit(const char *path, const ps_strbuf *doc)
{
    const char *data = doc->buf ? doc->buf : "";
    if (!path || !strcmp(path, "-")) {
        if (fwrite(data, 1, doc->len, stdout) != doc->len || fflush(stdout) != 0)
            return ps_cli_error("cannot write to standard output");
        return PS_EXIT_OK;
    }
    char err[PATH_MAX + 128];
    if (ps_write_file_atomic(path, data, doc->len, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    return PS_EXIT_OK;
}

void ps_common_init(ps_common_opts *o, const char *command, const char *const *formats)
{
    memset(o, 0, sizeof(*o));
    o->command = command;
    o->formats = formats;
    o->sel.lang = -1;
    o->cacheline = 64;
    o->jobs = ps_default_jobs();
    o->progress = -1;
    ps_vec_init(&o->types, sizeof(char *));
    ps_vec_init(&o->excludes, sizeof(char *));
    ps_vec_init(&o->debug_dirs, sizeof(char *));
}

static int parse_format(ps_common_opts *o, const char *arg)
{
    for (int i = 0; o->formats[i]; i++)
        if (!strcmp(arg, o->formats[i])) {
            o->format = i;
            return 0;
        }
    ps_strbuf list = {0};
    for (int i = 0; o->formats[i]; i++)
        ps_sb_printf(&list, "%s%s", i ? ", " : "", o->formats[i]);
    int rc = ps_cli_error("%s: --format must be one of %s, not '%s'", o->command, list.buf, arg);
    ps_sb_free(&list);
    return rc;
}

int ps_unknown_option(const char *command, char **argv)
{
    const char *bad = optind > 0 ? argv[optind - 1] : "?";
    return ps_cli_error("%s: unknown option or missing value: %s (see 'padscan %s --help')",
                        command, bad, command);
}

int ps_common_option(ps_common_opts *o, int c, const char *arg)
{
    switch (c) {
    case 'o': o->output = arg; return 0;
    case PS_OPT_FORMAT: return parse_format(o, arg);
    case PS_OPT_TYPE: *(const char **)ps_vec_push(&o->types) = arg; return 0;
    case PS_OPT_EXCLUDE: *(const char **)ps_vec_push(&o->excludes) = arg; return 0;
    case PS_OPT_LANG:
        if (strcmp(arg, "go") && strcmp(arg, "c"))
            return ps_cli_error("%s: --lang must be go or c, not '%s'", o->command, arg);
        o->sel.lang = !strcmp(arg, "go") ? PS_LANG_GO : PS_LANG_C;
        return 0;
    case PS_OPT_CACHELINE:
        if (!ps_parse_uint(arg, 1 << 16, &o->cacheline) || !ps_cacheline_ok(o->cacheline))
            return ps_cli_error("%s: --cacheline takes a size in bytes, a power of two from %d to "
                                "%d, not '%s'", o->command, PS_CACHELINE_MIN, PS_CACHELINE_MAX, arg);
        return 0;
    case PS_OPT_CONFIG: o->config_path = arg; return 0;
    case PS_OPT_RULES_ONLY: o->read.go_rules_only = true; return 0;
    case PS_OPT_INCLUDE_DEPS: o->sel.include_deps = true; return 0;
    case PS_OPT_ALL_TYPES: o->sel.all_classes = true; return 0;
    case PS_OPT_SOURCE_ROOT: o->read.source_root = arg; return 0;
    case PS_OPT_REPO_ROOT:
        if (!ps_set_repo_root(arg))
            return ps_cli_error("%s: --repo-root %s: no such directory", o->command, arg);
        return 0;
    case PS_OPT_DEBUG_DIR: *(const char **)ps_vec_push(&o->debug_dirs) = arg; return 0;
    case PS_OPT_VERBOSE: o->read.verbose = true; return 0;
    case PS_OPT_PROGRESS: o->progress = 1; return 0;
    case PS_OPT_NO_PROGRESS: o->progress = 0; return 0;
    case 'j':
        if (!ps_parse_uint(arg, 1024, &o->jobs) || !o->jobs)
            return ps_cli_error("%s: -j takes a thread count from 1 to 1024, not '%s'", o->command,
                                arg);
        return 0;
    default: return -1;
    }
}

void ps_common_finish(ps_common_opts *o)
{
    o->sel.types = o->types.data;
    o->sel.ntypes = o->types.len;
    o->sel.excludes = o->excludes.data;
    o->sel.nexcludes = o->excludes.len;
    o->read.debug_dirs = o->debug_dirs.data;
    o->read.ndebug_dirs = o->debug_dirs.len;
    o->read.jobs = (unsigned)o->jobs;
    o->read.progress = ps_progress_wanted(o->progress) ? ps_progress_units : NULL;
}

void ps_common_free(ps_common_opts *o)
{
    ps_vec_free(&o->types);
    ps_vec_free(&o->excludes);
    ps_vec_free(&o->debug_dirs);
}

static int check_config(const ps_config *cfg, const ps_binary *bins, size_t n, const char *path);

static int check_patterns_match(const ps_common_opts *o, const ps_binary *bins, size_t n)
{
    for (size_t p = 0; p < o->sel.ntypes; p++) {
        bool hit = false;
        for (size_t b = 0; b < n && !hit; b++)
            for (uint32_t i = 0; i < bins[b].structs.len && !hit; i++)
                hit = ps_struct_at(&bins[b], i)->reported &&
                      ps_type_matches(o->sel.types[p], ps_struct_at(&bins[b], i));
        if (!hit)
            return ps_cli_error("%s: --type '%s' matches no struct in %s%s", o->command,
                                o->sel.types[p], bins[0].path,
                                n > 1 ? " or the other binaries" : "");
    }
    return PS_EXIT_OK;
}

int ps_load_inputs(const ps_common_opts *o, char **paths, size_t n, ps_config *cfg,
                   ps_binary **bins)
{
    char err[1024];
    if (o->config_path && ps_config_load(o->config_path, cfg, err, sizeof(err)) != 0)
        return ps_cli_error("%s", err);
    *bins = ps_xmalloc(n * sizeof(ps_binary));
    ps_read_options read = o->read;
    read.sync_types = cfg->sync_types;
    read.nsync_types = cfg->nsync_types;
    if (ps_load_binaries(paths, n, &read, *bins) != 0) {
        free(*bins);
        *bins = NULL;
        return PS_EXIT_ERROR;
    }
    int rc = check_patterns_match(o, *bins, n);
    return rc ? rc : check_config(cfg, *bins, n, o->config_path);
}

void ps_unload_inputs(ps_binary *bins, size_t n, ps_config *cfg)
{
    for (size_t i = 0; bins && i < n; i++)
        ps_binary_free(&bins[i]);
    free(bins);
    ps_config_free(cfg);
}

/* padscan.json against the binaries: every entry used (config_used.c). */
static int check_config(const ps_config *cfg, const ps_binary *bins, size_t n, const char *path)
{
    char err[1400];
    const ps_binary **list = ps_xmalloc((n + 1) * sizeof(*list));
    for (size_t i = 0; i < n; i++)
        list[i] = &bins[i];
    int rc = ps_config_check_used(cfg, path, list, n, err, sizeof(err));
    free(list);
    return rc ? ps_cli_error("%s", err) : PS_EXIT_OK;
}

int ps_parse_options(int argc, char **argv, const struct option *longopts, const char *usage,
                     ps_common_opts *o, ps_own_option_fn own, void *ctx)
{
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:j:", longopts, NULL)) != -1) {
        if (c == '?')
            return ps_unknown_option(o->command, argv);
        if (c == 'h') {
            fputs(usage, stdout);
            exit(PS_EXIT_OK);
        }
        rc = ps_common_option(o, c, optarg);
        if (rc < 0)
            rc = own(ctx, c, optarg);
        if (rc)
            return rc;
    }
    ps_common_finish(o);
    return PS_EXIT_OK;
}

int ps_parse_command(int argc, char **argv, const struct option *longopts, const char *usage,
                     ps_common_opts *o, ps_own_option_fn own, void *ctx)
{
    int rc = ps_parse_options(argc, argv, longopts, usage, o, own, ctx);
    if (!rc && optind >= argc)
        return ps_cli_error("%s: no binary given (see 'padscan %s --help')", o->command, o->command);
    return rc;
}

bool ps_is_json_file(const char *path)
{
    /* A FIFO or device is neither; opening one could block, so the binary
     * reader, which refuses it without opening, says what it is. */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    int c = f ? fgetc(f) : EOF;
    while (c == ' ' || c == '\n' || c == '\t' || c == '\r')
        c = fgetc(f);
    if (f)
        fclose(f);
    return c == '{';
}

int ps_run_on_binaries(int argc, char **argv, ps_common_opts *o, int parse_rc,
                       ps_binaries_fn run, void *ctx)
{
    ps_config cfg = {0};
    ps_binary *bins = NULL;
    size_t n = (size_t)(argc - optind);
    int rc = parse_rc;
    if (!rc)
        rc = ps_load_inputs(o, argv + optind, n, &cfg, &bins);
    if (!rc)
        rc = run(ctx, bins, n, &cfg);
    ps_unload_inputs(bins, n, &cfg);
    ps_common_free(o);
    return rc;
}
