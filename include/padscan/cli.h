/*
 * cli: the command line on top of the pipeline.  One file per subcommand
 * (src/cli/cmd_*.c) over the shared helpers declared here.
 */
#ifndef PADSCAN_CLI_H
#define PADSCAN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "padscan/analyze.h"
#include "padscan/read.h"
#include "padscan/report.h"

enum { PS_EXIT_OK = 0, PS_EXIT_FINDINGS = 1, PS_EXIT_ERROR = 2 };

int ps_cmd_analyze(int argc, char **argv);

/* Prints "padscan: <message>" to stderr; returns PS_EXIT_ERROR. */
int ps_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool ps_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* Which records a command looks at. */
typedef struct ps_selection {
    const char **types, **excludes; /* glob patterns on qualified names */
    size_t ntypes, nexcludes;
    int lang; /* -1 any, else ps_lang */
    unsigned long long min_waste;
} ps_selection;

bool ps_selected(const ps_selection *sel, const ps_struct *s, const ps_layout *l);
bool ps_type_matches(const char *pattern, const ps_struct *s);

/* Reads every path; on the first failure prints its one-line reason and
 * returns -1 (all binaries freed). */
int ps_load_binaries(char **paths, size_t n, const ps_read_options *opts, ps_binary *out);

/* Writes the finished document to path atomically, or to stdout. */
int ps_emit(const char *path, const ps_strbuf *doc);

#endif
