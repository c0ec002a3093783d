/*
 * padscan suggest --format patch (C records): a unified diff that `git
 * apply` accepts, run in the source root.  Each record's definition is
 * found from decl_file/decl_line; its member declarations are moved whole,
 * each with the comment and blank lines above it and the comment after it,
 * into the suggested order.  A definition that does not match the binary
 * (member count, names, order), or that cannot be moved safely (packed, a
 * preprocessor line inside, several declarators in one declaration, a
 * one-line definition), is skipped with the reason in the preamble (text
 * that git apply ignores), never guessed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_patch.h"

enum { MAX_SOURCE = 64 << 20 };

typedef struct src_file {
    const char *rel;  /* decl_file: the path in the diff */
    char *text;
    char **lines;     /* into text, '\0' in place of '\n' */
    size_t nlines;
    char **edited;    /* the same lines, moved */
    bool final_newline;
} src_file;

static bool load(src_file *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    size_t cap = 1 << 16, len = 0;
    f->text = ps_xmalloc(cap + 1);
    for (size_t n; (n = fread(f->text + len, 1, cap - len, fp)) > 0;) {
        len += n;
        if (len == cap && cap < MAX_SOURCE) {
            char *t = ps_xmalloc(cap * 2 + 1);
            memcpy(t, f->text, len);
            free(f->text);
            f->text = t;
            cap *= 2;
        } else if (len == cap) {
            break;
        }
    }
    bool ok = !ferror(fp) && len < cap;
    fclose(fp);
    f->text[len] = '\0';
    ok = ok && memchr(f->text, '\0', len) == NULL; /* no text file */
    f->final_newline = len && f->text[len - 1] == '\n';
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += f->text[i] == '\n';
    f->lines = ps_xmalloc(n * sizeof(char *));
    f->edited = ps_xmalloc(n * sizeof(char *));
    char *p = f->text;
    for (f->nlines = 0; *p;) {
        char *nl = strchr(p, '\n');
        f->lines[f->nlines++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    memcpy(f->edited, f->lines, f->nlines * sizeof(char *));
    return ok;
}

static void unload(src_file *f)
{
    free(f->text);
    free(f->lines);
    free(f->edited);
}

/* A line's code with comments blanked (in_comment carries a block
 * comment across lines); string and char literals are kept whole. */
static void code_of(const char *line, bool *in_comment, ps_strbuf *code)
{
    code->len = 0;
    ps_sb_putc(code, ' ');
    for (const char *p = line; *p; p++) {
        if (*in_comment) {
            if (p[0] == '*' && p[1] == '/') {
                *in_comment = false;
                p++;
            }
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            *in_comment = true;
            p++;
            ps_sb_putc(code, ' ');
            continue;
        }
        if (p[0] == '/' && p[1] == '/')
            break;
        if (*p == '"' || *p == '\'') {
            char q = *p;
            ps_sb_putc(code, *p++);
            while (*p && *p != q) {
                if (*p == '\\' && p[1])
                    ps_sb_putc(code, *p++);
                ps_sb_putc(code, *p++);
            }
            if (!*p)
                break;
        }
        ps_sb_putc(code, *p);
    }
}

static bool blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return !*s;
}

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The name a declaration declares ("" for an anonymous struct/union
 * member), or NULL when it declares several. */
static const char *declared(const char *code, ps_arena *a)
{
    ps_strbuf clean = {0}; /* attributes removed */
    for (const char *p = code; *p; p++) {
        if (!strncmp(p, "__attribute__", 13)) {
            int d = 0;
            for (p += 13; *p; p++) {
                d += (*p == '(') - (*p == ')');
                if (*p == ')' && d == 0)
                    break;
            }
            if (!*p)
                break;
            continue;
        }
        ps_sb_putc(&clean, *p);
    }
    const char *t = clean.buf ? clean.buf : "", *name = NULL;
    const char *cut = NULL, *brace = NULL, *fptr = NULL;
    int depth = 0, commas = 0;
    for (const char *p = t; *p; p++) {
        if (depth == 0 && *p == '(' && !fptr) {
            const char *q = p + 1;
            while (*q == ' ')
                q++;
            if (*q == '*')
                fptr = q;
        }
        if (depth == 0 && !cut && strchr("[:;=", *p))
            cut = p;
        depth += (*p == '(' || *p == '[' || *p == '{') - (*p == ')' || *p == ']' || *p == '}');
        if (depth == 0 && *p == '}' && !cut)
            brace = p;
        commas += depth == 0 && *p == ',';
    }
    if (commas == 0 && fptr) {
        while (*fptr == '*' || *fptr == ' ')
            fptr++;
        if (!strncmp(fptr, "const ", 6))
            fptr += 6;
        const char *e = fptr;
        while (ident_char(*e))
            e++;
        name = ps_arena_strndup(a, fptr, (size_t)(e - fptr));
    } else if (commas == 0 && cut) {
        const char *e = cut;
        while (e > t && !ident_char(e[-1]))
            e--;
        const char *b = e;
        while (b > t && ident_char(b[-1]))
            b--;
        name = brace && e <= brace ? "" : ps_arena_strndup(a, b, (size_t)(e - b));
    }
    ps_sb_free(&clean);
    return name;
}

typedef struct item {
    size_t first, last; /* lines, with the comments and blank lines above */
} item;

/* Finds the body of the definition at decl_line: lines open+1..close-1. */
static const char *body_lines(const src_file *f, uint32_t decl_line, size_t *open, size_t *close)
{
    if (!decl_line || decl_line > f->nlines)
        return "decl_line is past the end of the file";
    ps_strbuf code = {0};
    bool in_comment = false;
    int depth = 0;
    const char *why = "no definition at decl_line";
    *open = (size_t)-1;
    for (size_t i = decl_line - 1; i < f->nlines; i++) {
        code_of(f->lines[i], &in_comment, &code);
        for (const char *p = code.buf; *p; p++) {
            if (*p == '{' && depth++ == 0) {
                if (!blank(p + 1)) {
                    why = "a member declared on the line of the opening brace";
                    goto out;
                }
                *open = i;
            } else if (*p == '}' && depth && --depth == 0) {
                for (const char *q = code.buf; q < p; q++)
                    if (!isspace((unsigned char)*q)) {
                        why = "a member declared on the line of the closing brace";
                        goto out;
                    }
                *close = i;
                why = NULL;
                goto out;
            } else if (*p == ';' && depth == 0) {
                goto out;
            }
        }
        if (*open == (size_t)-1 && i > decl_line + 3)
            break;
    }
out:
    ps_sb_free(&code);
    return why;
}

/* Splits the body into member declarations; NULL, or why not. */
static const char *split(const src_file *f, size_t open, size_t close, ps_vec *items)
{
    ps_strbuf code = {0};
    bool in_comment = false;
    int depth = 0;
    size_t start = open + 1;
    bool started = false;
    const char *why = NULL;
    for (size_t i = open + 1; i < close && !why; i++) {
        code_of(f->lines[i], &in_comment, &code);
        const char *c = code.buf;
        while (isspace((unsigned char)*c))
            c++;
        if (*c == '#') {
            why = "a preprocessor line inside the definition";
            break;
        }
        if (!*c && !started)
            continue; /* a blank or comment line: goes with the next declaration */
        started = true;
        bool ends = false;
        for (const char *p = c; *p; p++) {
            depth += (*p == '{' || *p == '(' || *p == '[') - (*p == '}' || *p == ')' || *p == ']');
            if (*p == ';' && depth == 0) {
                ends = true;
                if (!blank(p + 1)) {
                    why = "two declarations on one line";
                    break;
                }
            }
        }
        if (ends) {
            *(item *)ps_vec_push(items) = (item){start, i};
            start = i + 1;
            started = false;
        }
    }
    if (!why && started)
        why = "a declaration that does not end inside the definition";
    ps_sb_free(&code);
    return why;
}

/* The code of lines first..last, comments removed. */
static void item_code(const src_file *f, const item *it, ps_strbuf *out)
{
    ps_strbuf line = {0};
    bool in_comment = false;
    for (size_t i = it->first; i <= it->last; i++) {
        code_of(f->lines[i], &in_comment, &line);
        ps_sb_printf(out, "%s ", line.buf);
    }
    ps_sb_free(&line);
}

static const char *match(const src_file *f, const ps_binary *b, const ps_struct *s,
                         const ps_vec *items)
{
    ps_arena scratch = {0};
    const char *several = NULL;
    for (size_t i = 0; i < items->len && !several; i++) {
        ps_strbuf code = {0};
        item_code(f, &PS_VEC_AT(items, item, i), &code);
        if (!declared(code.buf, &scratch))
            several = "several declarators in one declaration";
        ps_sb_free(&code);
    }
    ps_arena_free(&scratch);
    if (several)
        return several;
    if (items->len != s->nmembers)
        return "the definition's declarations are not the binary's members (a stale binary, "
               "#ifdef or unnamed bitfields)";
    const ps_member *m = ps_members_of(b, s);
    ps_arena a = {0};
    const char *why = NULL;
    for (uint32_t i = 0; i < s->nmembers && !why; i++) {
        ps_strbuf code = {0};
        item_code(f, &PS_VEC_AT(items, item, i), &code);
        const char *name = declared(code.buf, &a);
        if (!name)
            why = "several declarators in one declaration";
        else if (strcmp(name, m[i].name))
            why = "the definition's members are not the binary's (names or order differ)";
        ps_sb_free(&code);
    }
    ps_arena_free(&a);
    return why;
}

/* Moves the declarations of record s in f->edited; NULL, or why not. */
static const char *move(src_file *f, const ps_binary *b, const ps_struct *s,
                        const ps_suggestion *g)
{
    if (s->packed)
        return "a packed record: its order is its layout";
    size_t open = 0, close = 0;
    const char *why = body_lines(f, s->decl_line, &open, &close);
    ps_vec items;
    ps_vec_init(&items, sizeof(item));
    if (!why)
        why = split(f, open, close, &items);
    if (!why)
        why = match(f, b, s, &items);
    if (!why) {
        size_t at = PS_VEC_AT(&items, item, 0).first;
        for (uint32_t k = 0; k < g->n; k++) {
            const item *it = &PS_VEC_AT(&items, item, g->order[k]);
            for (size_t i = it->first; i <= it->last; i++)
                f->edited[at++] = f->lines[i];
        }
    }
    ps_vec_free(&items);
    return why;
}

static void line(ps_strbuf *out, char mark, const src_file *f, size_t i, char *const *lines)
{
    ps_sb_printf(out, "%c%s\n", mark, lines[i]);
    if (i + 1 == f->nlines && !f->final_newline)
        ps_sb_puts(out, "\\ No newline at end of file\n");
}

/* Hunks of f->lines -> f->edited (the same number of lines: only member
 * declarations move), 3 lines of context. */
static void diff(const src_file *f, ps_strbuf *out)
{
    ps_sb_printf(out, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", f->rel, f->rel, f->rel, f->rel);
    for (size_t i = 0; i < f->nlines;) {
        if (f->lines[i] == f->edited[i]) {
            i++;
            continue;
        }
        size_t end = i; /* last changed line of the hunk */
        for (size_t j = i; j < f->nlines && j <= end + 6; j++)
            if (f->lines[j] != f->edited[j])
                end = j;
        size_t from = i >= 3 ? i - 3 : 0, to = end + 3 < f->nlines ? end + 3 : f->nlines - 1;
        ps_sb_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", from + 1, to - from + 1, from + 1,
                     to - from + 1);
        for (size_t j = from; j <= to;) {
            if (f->lines[j] == f->edited[j]) {
                line(out, ' ', f, j++, f->lines);
                continue;
            }
            size_t k = j;
            while (k <= to && f->lines[k] != f->edited[k])
                k++;
            for (size_t x = j; x < k; x++)
                line(out, '-', f, x, f->lines);
            for (size_t x = j; x < k; x++)
                line(out, '+', f, x, f->edited);
            j = k;
        }
        i = to + 1;
    }
}

/* The files the records of one binary live in, each read once. */
static src_file *file_for(ps_vec *files, const ps_binary *b, const ps_struct *s, const char **why)
{
    if (!s->decl_file)
        return *why = "no decl_file in the binary", NULL;
    if (s->decl_file[0] == '/' || !b->source_root || !strncmp(s->decl_file, "../", 3) ||
        strstr(s->decl_file, "/../"))
        return *why = "the definition is outside the source root (--source-root DIR)", NULL;
    for (size_t i = 0; i < files->len; i++)
        if (!strcmp(PS_VEC_AT(files, src_file, i).rel, s->decl_file))
            return &PS_VEC_AT(files, src_file, i);
    src_file f = {.rel = s->decl_file};
    char *path = ps_xmalloc(strlen(b->source_root) + strlen(s->decl_file) + 2);
    sprintf(path, "%s/%s", b->source_root, s->decl_file);
    bool ok = load(&f, path);
    free(path);
    if (!ok) {
        unload(&f);
        return *why = "the source file cannot be read", NULL;
    }
    *(src_file *)ps_vec_push(files) = f;
    return &PS_VEC_AT(files, src_file, files->len - 1);
}

/* Generated and vendored files are not the user's to edit. */
static const char *foreign(const src_file *f)
{
    size_t n = strlen(f->rel);
    if ((n >= 5 && !strcmp(f->rel + n - 5, ".pb.h")) || strstr(f->rel, ".pb-c.h"))
        return "a generated file (protobuf)";
    for (size_t i = 0; i < f->nlines && i < 10; i++)
        if (strstr(f->lines[i], "Code generated") && strstr(f->lines[i], "DO NOT EDIT"))
            return "a generated file (Code generated ... DO NOT EDIT.)";
    if (!strncmp(f->rel, "vendor/", 7) || strstr(f->rel, "/vendor/") ||
        !strncmp(f->rel, "third_party/", 12) || strstr(f->rel, "/third_party/"))
        return "vendored code";
    return NULL;
}

/* The edited file's text. */
static void joined(const src_file *f, ps_strbuf *out)
{
    for (size_t i = 0; i < f->nlines; i++)
        ps_sb_printf(out, "%s%s", f->edited[i], i + 1 < f->nlines || f->final_newline ? "\n" : "");
}

/* One binary: verdict lines to out, then the diff, or (write) the files
 * themselves, each replaced atomically; -1 with err on a write failure. */
static int patch_binary(const ps_suggest_binary *sb, ps_strbuf *out, bool write, char *err,
                        size_t errlen)
{
    ps_vec files;
    ps_vec_init(&files, sizeof(src_file));
    for (size_t i = 0; i < sb->n; i++) {
        const ps_suggestion *g = sb->suggestions[i];
        const ps_struct *s = ps_struct_at(sb->bin, g->record);
        const char *why = g->keep_reason;
        if ((!g->improves && !why) || (s->lang == PS_LANG_C && !s->ctype))
            continue; /* anonymous records move with their parent */
        if (!why && (s->lang != PS_LANG_C || s->cxx))
            why = "only C records are patched";
        src_file *f = why ? NULL : file_for(&files, sb->bin, s, &why);
        ps_strbuf where = {0};
        if (f && !(why = foreign(f)) && ps_positional_init(sb->bin->source_root, s->ctype, &where))
            why = where.buf; /* said below, then freed */
        else if (f && !why)
            why = move(f, sb->bin, s, g);
        if (why)
            ps_sb_printf(out, "padscan: skipped %s (%s:%u): %s%s\n", s->name,
                         s->decl_file ? s->decl_file : "?", s->decl_line,
                         why == where.buf ? "built with a positional initializer at " : "", why);
        else
            ps_sb_printf(out, "padscan: %s (%s:%u): %llu -> %llu bytes\n", s->name, s->decl_file,
                         s->decl_line, (unsigned long long)g->size,
                         (unsigned long long)g->optimal_size);
        ps_sb_free(&where);
    }
    int rc = 0;
    for (size_t i = 0; i < files.len; i++) {
        src_file *f = &PS_VEC_AT(&files, src_file, i);
        bool changed = false;
        for (size_t j = 0; j < f->nlines && !changed; j++)
            changed = f->lines[j] != f->edited[j];
        if (changed && !write)
            diff(f, out);
        if (changed && write && rc == 0) {
            ps_strbuf text = {0}, path = {0};
            joined(f, &text);
            ps_sb_printf(&path, "%s/%s", sb->bin->source_root, f->rel);
            rc = ps_write_file_atomic(path.buf, text.buf ? text.buf : "", text.len, err, errlen);
            if (rc == 0)
                ps_sb_printf(out, "padscan: wrote %s\n", f->rel);
            ps_sb_free(&text);
            ps_sb_free(&path);
        }
        unload(f);
    }
    ps_vec_free(&files);
    return rc;
}

void ps_export_patch(const ps_suggest_report *r, ps_strbuf *out)
{
    for (size_t i = 0; i < r->n; i++)
        patch_binary(&r->bins[i], out, false, NULL, 0);
}

int ps_patch_write(const ps_suggest_report *r, ps_strbuf *out, char *err, size_t errlen)
{
    for (size_t i = 0; i < r->n; i++)
        if (patch_binary(&r->bins[i], out, true, err, errlen) != 0)
            return -1;
    return 0;
}
