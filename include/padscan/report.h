/*
 * report: turns analyzed layouts into text or JSON.  Knows the model and
 * the analysis, nothing of DWARF; builds the whole document in memory so
 * the caller can write it atomically.
 */
#ifndef PADSCAN_REPORT_H
#define PADSCAN_REPORT_H

#include "padscan/analyze.h"
#include "padscan/check.h"
#include "padscan/estimate.h"
#include "padscan/heap.h"
#include "padscan/reorder.h"

#define PS_VERSION "0.1.0"
#define PS_SCHEMA_VERSION 1

typedef struct ps_report_binary {
    const ps_binary *bin;
    const ps_layout *layouts; /* the selected records, in report order */
    size_t n;
    const ps_suggestion *const *suggestions; /* parallel to layouts, or NULL */
    size_t selected; /* records selected before --top cut them to n (0: not cut) */
} ps_report_binary;

typedef struct ps_report {
    const ps_report_binary *bins;
    size_t n;
    unsigned cacheline;
    const char *subset; /* the options that left records out ("--top 5"), or NULL */
    unsigned classes;   /* 1 << ps_class for each class the selection took */
} ps_report;

void ps_report_text(const ps_report *r, ps_strbuf *out);
void ps_report_json(const ps_report *r, ps_strbuf *out);

/* padscan suggest */
typedef struct ps_suggest_class {
    double before, after; /* bytes the allocator hands out: size, optimal size */
    bool same;            /* saves bytes, but not an allocator size class */
    const char *allocator; /* whose size classes: go, glibc, ... */
} ps_suggest_class;

typedef struct ps_suggest_binary {
    const ps_binary *bin;
    ps_reorder *reorder;                     /* for nested records */
    const ps_suggestion *const *suggestions; /* the selected ones */
    size_t n;
    const ps_suggest_class *classes;         /* parallel to suggestions */
    const ps_suggestion *const *same;        /* "same class": shrink, not a finding */
    const ps_suggest_class *same_classes;
    size_t nsame;
} ps_suggest_binary;

typedef struct ps_suggest_report {
    const ps_suggest_binary *bins;
    size_t n;
    unsigned cacheline;
    const char *rename_prefix; /* C and Go output: prefix for defined type names */
    const ps_fleet *fleet;     /* patch: the fleet whose bytes the verdicts give, or NULL */
} ps_suggest_report;

void ps_suggest_text(const ps_suggest_report *r, ps_strbuf *out);
void ps_suggest_json(const ps_suggest_report *r, ps_strbuf *out);
void ps_export_c(const ps_suggest_report *r, ps_strbuf *out);
void ps_export_go(const ps_suggest_report *r, ps_strbuf *out);
/* C records: a unified diff against their sources (src/patch/c_patch.c). */
void ps_export_patch(const ps_suggest_report *r, ps_strbuf *out);
/* The same edits written to the files in place (all files or none), the
 * verdicts to out; -1 with err when a file cannot be written. */
int ps_patch_write(const ps_suggest_report *r, ps_strbuf *out, char *err, size_t errlen);

/* --format go, one file per Go package (suggest --output-dir). */
typedef struct ps_go_file {
    char *package; /* import path ("main" when DWARF gives none) */
    ps_strbuf text;
} ps_go_file;
void ps_export_go_packages(const ps_suggest_report *r, ps_vec *files); /* of ps_go_file */
void ps_go_files_free(ps_vec *files);

/* padscan fleet */
void ps_fleet_text(const ps_fleet *f, ps_strbuf *out);
void ps_fleet_markdown(const ps_fleet *f, ps_strbuf *out);
void ps_fleet_csv(const ps_fleet *f, ps_strbuf *out);
void ps_fleet_json(const ps_fleet *f, ps_strbuf *out);

/* padscan heap (top: at most this many types and unattributed lines, 0 all) */
void ps_heap_text(const ps_heap_report *r, size_t top, ps_strbuf *out);
void ps_heap_markdown(const ps_heap_report *r, size_t top, ps_strbuf *out);
void ps_heap_json(const ps_heap_report *r, ps_strbuf *out);

/* padscan check: formats text, json, sarif, junit, github, markdown,
 * codequality; NULL for another name */
typedef void (*ps_check_writer)(const ps_check *c, ps_strbuf *out);
ps_check_writer ps_check_format(const char *name);
const char *const *ps_check_format_names(void); /* NULL-terminated */
/* the measured structs, for --write-baseline */
void ps_baseline_json(const ps_snapshot *const *snaps, size_t n, ps_strbuf *out);

/* Source patches (src/patch/edits.h) of the binaries checked: check's
 * SARIF results carry them as `fixes`, its Markdown as GitHub suggested
 * changes (--suggestions). */
typedef struct ps_patch ps_patch;
ps_patch *ps_patch_new(const ps_suggest_binary *sb, const ps_fleet *fleet);
void ps_patch_delete(ps_patch *p);
typedef struct ps_check_fixes {
    const char *const *binaries;    /* the ps_check_result.binary each patch is of */
    const ps_patch *const *patches;
    size_t n;
} ps_check_fixes;
typedef void (*ps_check_fix_writer)(const ps_check *c, const ps_check_fixes *f, ps_strbuf *out);
ps_check_fix_writer ps_check_format_fixes(const char *name); /* sarif, markdown; else NULL */

/* padscan diff: formats text, json, markdown, github, codequality */
typedef void (*ps_diff_writer)(const ps_diff *d, const ps_snapshot *before,
                               const ps_snapshot *after, ps_strbuf *out);
ps_diff_writer ps_diff_format(const char *name);
/* --format markdown --suggestions: with NEW's patch of the records that regressed */
void ps_diff_markdown_fixed(const ps_diff *d, const ps_snapshot *before,
                            const ps_snapshot *after, const ps_patch *p, ps_strbuf *out);
const char *const *ps_diff_format_names(void); /* NULL-terminated */

#endif
