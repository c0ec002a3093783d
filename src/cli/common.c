/*
 * Helpers every subcommand shares: errors, numbers, record selection,
 * loading binaries and writing results.
 */
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"

int ps_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("padscan: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return PS_EXIT_ERROR;
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

bool ps_type_matches(const char *pattern, const ps_struct *s)
{
    return fnmatch(pattern, s->name, 0) == 0 || (s->ctype && fnmatch(pattern, s->ctype, 0) == 0);
}

static bool any_match(const char **patterns, size_t n, const ps_struct *s)
{
    for (size_t i = 0; i < n; i++)
        if (ps_type_matches(patterns[i], s))
            return true;
    return false;
}

bool ps_selected(const ps_selection *sel, const ps_struct *s, const ps_layout *l)
{
    if (!s->reported || (sel->lang >= 0 && (int)s->lang != sel->lang))
        return false;
    if (sel->ntypes && !any_match(sel->types, sel->ntypes, s))
        return false;
    if (any_match(sel->excludes, sel->nexcludes, s))
        return false;
    return !l || l->waste >= sel->min_waste;
}

int ps_load_binaries(char **paths, size_t n, const ps_read_options *opts, ps_binary *out)
{
    char err[1024];
    for (size_t i = 0; i < n; i++) {
        if (ps_read_binary(paths[i], opts, &out[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "padscan: %s\n", err);
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
