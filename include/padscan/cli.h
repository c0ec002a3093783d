/*
 * cli: the command line on top of the pipeline.  One file per subcommand
 * (src/cli/cmd_*.c) over the shared helpers declared here.
 */
#ifndef PADSCAN_CLI_H
#define PADSCAN_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "padscan/analyze.h"
#include "padscan/read.h"
#include "padscan/report.h"
#include "padscan/select.h"

enum { PS_EXIT_OK = 0, PS_EXIT_FINDINGS = 1, PS_EXIT_ERROR = 2 };

int ps_cmd_analyze(int argc, char **argv);
int ps_cmd_suggest(int argc, char **argv);
int ps_cmd_fleet(int argc, char **argv);
int ps_cmd_heap(int argc, char **argv);
int ps_cmd_check(int argc, char **argv);
int ps_cmd_diff(int argc, char **argv);

/* Prints "padscan: <message>" to stderr; returns PS_EXIT_ERROR. */
int ps_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "padscan: warning: <message>", also on one line. */
void ps_cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool ps_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* ps_select (padscan/select.h) on a record of a binary, and --min-waste
 * when its layout is given. */
bool ps_selected(const ps_selection *sel, const ps_struct *s, const ps_layout *l);

/* Options every binary-reading command shares. */
enum ps_common_option {
    PS_OPT_FORMAT = 256, PS_OPT_TYPE, PS_OPT_EXCLUDE, PS_OPT_LANG, PS_OPT_CACHELINE,
    PS_OPT_CONFIG, PS_OPT_RULES_ONLY, PS_OPT_INCLUDE_DEPS, PS_OPT_ALL_TYPES, PS_OPT_SOURCE_ROOT,
    PS_OPT_DEBUG_DIR, PS_OPT_VERBOSE, PS_OPT_PROGRESS, PS_OPT_NO_PROGRESS, PS_OPT_REPO_ROOT,
    PS_OPT_FIRST_OWN,
};
#define PS_COMMON_LONGOPTS                                                              \
    {"format", required_argument, 0, PS_OPT_FORMAT}, {"output", required_argument, 0, 'o'}, \
    {"type", required_argument, 0, PS_OPT_TYPE}, {"exclude", required_argument, 0, PS_OPT_EXCLUDE}, \
    {"lang", required_argument, 0, PS_OPT_LANG},                                           \
    {"cacheline", required_argument, 0, PS_OPT_CACHELINE},                                 \
    {"config", required_argument, 0, PS_OPT_CONFIG},                                       \
    {"go-rules-only", no_argument, 0, PS_OPT_RULES_ONLY}, {"help", no_argument, 0, 'h'},   \
    {"include-deps", no_argument, 0, PS_OPT_INCLUDE_DEPS},                                 \
    {"all-types", no_argument, 0, PS_OPT_ALL_TYPES},                                       \
    {"source-root", required_argument, 0, PS_OPT_SOURCE_ROOT},                             \
    {"repo-root", required_argument, 0, PS_OPT_REPO_ROOT},                                 \
    {"debug-dir", required_argument, 0, PS_OPT_DEBUG_DIR},                                 \
    {"verbose", no_argument, 0, PS_OPT_VERBOSE}, {"jobs", required_argument, 0, 'j'},     \
    {"progress", no_argument, 0, PS_OPT_PROGRESS},                                         \
    {"no-progress", no_argument, 0, PS_OPT_NO_PROGRESS}

typedef struct ps_common_opts {
    const char *command;
    const char *const *formats; /* accepted --format values, NULL-terminated */
    int format;                 /* index into formats */
    const char *output, *config_path;
    ps_selection sel;
    unsigned long long cacheline;
    ps_read_options read;
    ps_vec types, excludes, debug_dirs;
    unsigned long long jobs; /* -j: threads (default: the online cores) */
    int progress;            /* --progress 1, --no-progress 0, else -1: on a terminal */
} ps_common_opts;

/* getopt's '?': one line naming the bad option (opterr is off). */
int ps_unknown_option(const char *command, char **argv);

/* The option loop every binary-reading command runs: shared options go to
 * ps_common_option, the command's own to own(ctx, c, arg); --help prints
 * usage.  Checks that at least one operand (BINARY...) follows. */
typedef int (*ps_own_option_fn)(void *ctx, int c, const char *arg);
int ps_parse_options(int argc, char **argv, const struct option *longopts, const char *usage,
                     ps_common_opts *o, ps_own_option_fn own, void *ctx);
int ps_parse_command(int argc, char **argv, const struct option *longopts, const char *usage,
                     ps_common_opts *o, ps_own_option_fn own, void *ctx);

void ps_common_init(ps_common_opts *o, const char *command, const char *const *formats);

/* progress.c: the progress line on stderr (ps_read_options.progress). */
bool ps_progress_wanted(int setting);
void ps_progress_binary(const char *path, size_t index, size_t count);
void ps_progress_units(void *ctx, unsigned long done, unsigned long total);
void ps_progress_clear(void);
/* Handles one shared option; returns 0, PS_EXIT_ERROR, or -1 if c is not
 * a shared option. */
int ps_common_option(ps_common_opts *o, int c, const char *arg);
void ps_common_finish(ps_common_opts *o);
void ps_common_free(ps_common_opts *o);

/* Reads every path; on the first failure prints its one-line reason and
 * returns -1 (all binaries freed). */
int ps_load_binaries(char **paths, size_t n, const ps_read_options *opts, ps_binary *out);

/* Loads the config (if any) and the binaries, and checks that every
 * --type pattern matches something; prints the reason on failure. */
struct ps_config;
int ps_load_inputs(const ps_common_opts *o, char **paths, size_t n, struct ps_config *cfg,
                   ps_binary **bins);
void ps_unload_inputs(ps_binary *bins, size_t n, struct ps_config *cfg);

/* After option parsing (parse_rc): load the config and the binaries, run,
 * unload: the life of analyze and suggest. */
typedef int (*ps_binaries_fn)(void *ctx, ps_binary *bins, size_t n, struct ps_config *cfg);
int ps_run_on_binaries(int argc, char **argv, ps_common_opts *o, int parse_rc,
                       ps_binaries_fn run, void *ctx);

/* cmd_fleet.c, shared with check --fleet: loads the manifest and the
 * config, and runs the estimate stage's fleet run over them. */
typedef struct ps_cli_fleet ps_cli_fleet;
struct ps_fleet_run;
int ps_cli_fleet_open(const char *manifest, const ps_common_opts *o, unsigned threads,
                      ps_cli_fleet **out);
struct ps_fleet_run *ps_cli_fleet_run(ps_cli_fleet *c);
void ps_cli_fleet_close(ps_cli_fleet *c);

/* snapshot.c: the selected structs of a binary (the standard library's and
 * system headers' only when --type asks for them). */
struct ps_snapshot;
void ps_snapshot_binary(const ps_binary *b, ps_reorder *reorder, const ps_selection *sel,
                        unsigned cacheline, ps_arena *a, struct ps_snapshot *out);

/* Keeps the structs a binary snapshot would have kept: selected by the
 * options, the standard library's only when --type asks for them. */
void ps_snapshot_filter(struct ps_snapshot *snap, const ps_selection *sel);

/* Exit status 2 (said) when snap counts cache lines of another size than
 * o's --cacheline; 0 when they agree or snap does not say. */
int ps_refuse_other_cacheline(const ps_common_opts *o, const char *path, const struct ps_snapshot *snap);

/* One input of check or diff, a binary or a saved report, as a snapshot.
 * Refuses (one line on stderr, PS_EXIT_ERROR) an input that yields no
 * records (split DWARF, line tables only, an empty report) and a report of
 * some records only, or one counting cache lines of another size.
 * ps_input_close also after a failure. */
typedef struct ps_input {
    ps_binary bin;
    bool has_bin;
    ps_reorder *reorder;
} ps_input;
int ps_input_open(const char *path, const ps_common_opts *o, ps_rules_fn rules, void *ctx,
                  ps_input *in, struct ps_snapshot *snap, ps_arena *a);
void ps_input_close(ps_input *in);

/* fixes.c: the source patch of the records of a binary input that want
 * picks and that have a better order (NULL for a report); check: the
 * writer fw with the patches of the binaries among inputs (parallel to
 * snaps) for the records that fail. */
ps_patch *ps_input_patch(const ps_input *in, const ps_selection *sel,
                         bool (*want)(const void *ctx, const ps_struct *s), const void *ctx);
void ps_check_write_fixed(ps_check_fix_writer fw, const ps_check *c, ps_input *inputs,
                          struct ps_snapshot *const *snaps, size_t n, const ps_selection *sel,
                          ps_strbuf *doc);

/* A saved report (JSON) rather than a binary: the first byte says. */
bool ps_is_json_file(const char *path);

/* Writes the finished document to path atomically, or to stdout. */
int ps_emit(const char *path, const ps_strbuf *doc);

/* suggest --format go: one file per package under dir (go_files.c), or
 * one file when the output spans one package. */
struct ps_suggest_report;
int ps_write_go_packages(const struct ps_suggest_report *r, const char *dir);
int ps_write_go_file(const struct ps_suggest_report *r, const char *file);
bool ps_is_dir(const char *path);

#endif
