/*
 * src/patch: reading Go source as far as the Go patch needs: where a
 * struct type is defined, and its field declarations with their doc
 * comments, trailing comments and tags (go_source.c); the gofmt layout of
 * a field list (go_format.c); unkeyed composite literals (go_literals.c).
 */
#ifndef PADSCAN_PATCH_GO_SOURCE_H
#define PADSCAN_PATCH_GO_SOURCE_H

#include "edits.h"

/* One field declaration ("A, B int `json:\"a\"` // c") of a struct body. */
typedef struct go_field {
    size_t lead;          /* first of the blank and comment lines above it */
    size_t first, last;   /* its own lines */
    const char *indent;   /* the first line's leading white space */
    const char **names;   /* nnames names; none: embedded */
    uint32_t nnames;
    const char *type;     /* the type's code, one line (spaces as written) */
    const char *rest;     /* multi-line: the first line after the names */
    const char *tag;      /* the tag literal, or NULL */
    const char *comment;  /* the comment after it on its last line, or NULL */
    bool embedded, multiline;
} go_field;

typedef struct go_struct {
    size_t open, close;   /* the lines of "T struct {" and "}" */
    go_field *fields;
    uint32_t nfields;
    size_t tail;          /* first of the comment/blank lines after the last field */
    const char *tparams;  /* "[K comparable, V any]", or NULL */
} go_struct;

/* Finds `type name struct {` (alone, or in a `type (...)` group) in f:
 * 1 found, 0 not there, -1 with *why (found, but not patchable). */
int gs_find(const ps_source *f, const char *name, go_struct *out, ps_arena *a, const char **why);
/* Splits out->open..close into fields; NULL, or why not. */
const char *gs_fields(const ps_source *f, go_struct *out, ps_arena *a);
/* Whether the file says it is generated: `// Code generated ... DO NOT
 * EDIT.` before the package clause. */
bool gs_generated(const ps_source *f);
/* After the bracket that closes the one at *p ('[', '(' or '{'), or NULL. */
const char *gs_matching(const char *p);
/* Whether the file's build constraints (name suffix, //go:build) leave
 * it out of the binary's build, as far as padscan can tell (go_build.c). */
bool gs_excluded(const ps_source *f, const ps_binary *b);
/* The file's code, comments blanked and strings' contents '_' (lines
 * joined by '\n'), for searching (heap; free it). */
char *gs_shape(const ps_source *f);
/* The package clause's name, or NULL. */
const char *gs_package(const ps_source *f, ps_arena *a);

/* Lines of the field list in order (go_format.c): each line is a field's
 * own line (cells filled) or any other line (text only). */
typedef struct go_line {
    const char *text;     /* other lines: the text; fields: the indent */
    const char *cells[3]; /* names / type / tag as gofmt puts them in columns */
    bool vtab[3];         /* an empty cell gofmt may drop (embedded, no tag) */
    uint32_t ncells;
    const char *trailing; /* the text after the last cell */
    bool field, ends_section; /* ends_section: a multi-line field's first line */
} go_line;

/* The field's line as gofmt prints it, names given (NULL: embedded). */
void gf_field_line(const go_field *fd, const char *names, bool with_comment, go_line *out);
/* The lines, aligned as gofmt aligns them, into out (one string each). */
void gf_render(const go_line *lines, size_t n, ps_arena *a, const char **out);

/* The body of d (lines open+1..close-1 of f) with its n fields (names)
 * in order[] (go_body.c): *out (heap; strings in a) holds the lines,
 * returns how many.  n must be the count of d's names and embedded fields. */
size_t gf_body(const ps_source *f, const go_struct *d, const uint32_t *order, uint32_t n,
               ps_arena *a, const char ***out);

/* Whether a Go file under root builds the type (package dir pkgdir, name
 * T) with an unkeyed composite literal; where: "FILE:LINE" (go_literals.c).
 * The files under root are read into *tree on first use (NULL before). */
typedef struct gl_tree gl_tree;
bool gl_unkeyed(gl_tree **tree, const char *root, const char *pkgdir, const char *name,
                ps_strbuf *where);
void gl_tree_free(gl_tree *tree);

#endif
