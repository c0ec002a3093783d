/*
 * src/patch: the patch engine's one product, a list of edits, and the
 * renderers that consume it.  A language's patcher (c_patch.c, go_patch.c)
 * finds a record's definition in the sources and says which lines to
 * replace with which; it knows nothing of diffs, files being written,
 * SARIF or Markdown.  The renderers know nothing of languages: the
 * unified diff (render_diff.c), --write, all files or none
 * (render_write.c), GitHub suggested changes (render_markdown.c) and
 * SARIF fixes (src/report/sarif.c, where check's SARIF is made).  Data
 * flows one way: suggestions -> patcher -> ps_patch -> renderer; the
 * report and cli layers build patches (ps_patch_new), nothing here calls
 * them.
 *
 * An edit is (source file relative to the root, first line, last line,
 * replacement lines, record name, verdict): ps_edit.  A patcher that
 * fails adds nothing (the driver drops what it added); an edit that
 * overlaps another record's is refused unless it is the same edit (a
 * record met twice).
 *
 * Lines are 1-based and inclusive, as in a diff, SARIF and GitHub; text is
 * kept without line ends.  Edits of one source never overlap.
 */
#ifndef PADSCAN_PATCH_EDITS_H
#define PADSCAN_PATCH_EDITS_H

#include "padscan/report.h"

/* A source file as it was read (every edit is against this text). */
typedef struct ps_source {
    const char *rel;    /* relative to the source root, '/'-separated: the diff's path */
    char *text;
    char **lines;       /* lines[0] is line 1; '\0' in place of '\n' */
    size_t nlines;
    bool final_newline; /* the last line ends with '\n' */
} ps_source;

/* Replace lines first..last of one source with lines[0..nlines). */
typedef struct ps_edit {
    size_t source;            /* index into ps_patch.sources */
    const char *file;         /* that source's rel */
    uint32_t first, last;     /* 1-based, inclusive, last >= first */
    const char *const *lines; /* the replacement (nlines may differ from last-first+1) */
    size_t nlines;
    const char *record;       /* the record's name */
    const char *verdict;      /* the record's verdict (as in its ps_patch_note) */
} ps_edit;

/* One record's outcome, in suggestion order: patched (edits
 * [first_edit, first_edit+nedits) of ps_patch.edits, possibly none when
 * another record already made the same edit) or skipped with a reason. */
typedef struct ps_patch_note {
    const char *record;
    const char *file; /* decl_file, "?" when unknown */
    uint32_t line;    /* decl_line, or where the patcher found the definition */
    uint32_t decl_line; /* the binary's decl_line (ps_patch_note_of) */
    const char *skipped; /* why not, or NULL */
    const char *verdict; /* patched: "48 -> 40 bytes; glibc 64 -> 48 bytes per object"
                          * (without name and place: docs/suggest.md has the format) */
    size_t first_edit, nedits;
} ps_patch_note;

/* The edits of one binary's suggestions. */
typedef struct ps_patch {
    const ps_binary *bin;
    ps_reorder *reorder; /* the binary's (a patcher may ask about other records) */
    const char *root;  /* the source root (bin->source_root), or NULL */
    ps_vec sources;    /* ps_source, in the order first needed */
    ps_vec edits;      /* ps_edit, in the order made */
    ps_vec notes;      /* ps_patch_note */
    struct ps_c_tree *c_tree; /* the C sources searched for initializers (c_patch.h) */
    struct gl_tree *go_tree;  /* the Go sources searched for literals (go_source.h) */
    const char *at_file; /* set by a patcher that found the definition */
    uint32_t at_line;    /* elsewhere than decl_file/decl_line (Go) */
    ps_arena arena;    /* every string above */
    ps_repo_paths *paths; /* file names as the repository's (renderers) */
} ps_patch;

/* Builds the patch of one binary's selected suggestions (patch.c); a
 * fleet (or NULL) adds its bytes for each record to the verdicts. */
void ps_patch_build(ps_patch *p, const ps_suggest_binary *sb, const ps_fleet *fleet);
void ps_patch_free(ps_patch *p);

/* ---- for patchers ---- */

/* A language's patcher: adds (ps_patch_edit) the edits that put record s
 * in g's order and returns NULL, or returns why it cannot (a sentence;
 * edits it added are then dropped).  Strings must live in p->arena or in
 * a source's text. */
typedef const char *ps_patcher(ps_patch *p, const ps_struct *s, const ps_suggestion *g);
ps_patcher ps_patch_c;
ps_patcher ps_patch_go; /* go_patch.c */
/* Go records keep no location: where a kept one is defined (p->at_file). */
void ps_patch_go_where(ps_patch *p, const ps_struct *s);

/* The source at rel (relative to the root), read once and cached; NULL
 * with why when it is outside the root, no regular file, unreadable or
 * no text.  *index is its index in p->sources. */
const ps_source *ps_patch_source(ps_patch *p, const char *rel, size_t *index, const char **why);

/* One file read (false: no regular file, unreadable, or no text);
 * ps_source_free frees it either way.  For patchers that search files. */
bool ps_source_read(ps_source *f, const char *path);
void ps_source_free(ps_source *f);

/* Why a source is not the user's to edit (generated, vendored), or NULL. */
const char *ps_patch_foreign(const ps_source *f);

/* Adds an edit of source index replacing first..last with n lines; the
 * caller fills the returned array (in p->arena) before the next call. */
const char **ps_patch_edit(ps_patch *p, size_t source, uint32_t first, uint32_t last, size_t n);

/* ---- for renderers ---- */

/* The edits of source i sorted by first line, into out (room for
 * p->edits.len); returns how many. */
size_t ps_patch_edits_of(const ps_patch *p, size_t i, const ps_edit **out);
/* Whether the edits of source i change its text at all. */
bool ps_patch_changes(const ps_patch *p, size_t i);
/* Source i's text after its edits. */
void ps_patch_apply(const ps_patch *p, size_t i, ps_strbuf *out);
/* With several binaries, "padscan: binary PATH" before binary i's notes. */
void ps_patch_binary_line(const ps_suggest_report *r, size_t i, ps_strbuf *out);
/* The note lines (verdicts and skips), "padscan: ..." each. */
void ps_patch_notes(const ps_patch *p, ps_strbuf *out);
/* The patched note of record (name, decl_line) that holds its edits, or NULL. */
const ps_patch_note *ps_patch_note_of(const ps_patch *p, const char *record, uint32_t line);
/* GitHub suggested-change blocks for the edits of note n (render_markdown.c). */
void ps_patch_suggestions(const ps_patch *p, const ps_patch_note *n, ps_strbuf *out);
void ps_patch_suggestions_heading(ps_strbuf *out); /* "### Suggested changes" */
/* A unified diff of every changed source (render_diff.c). */
void ps_patch_diff(const ps_patch *p, ps_strbuf *out);

#endif
