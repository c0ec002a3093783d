/*
 * The C patcher (edits.h): each record's definition is found from
 * decl_file/decl_line; its member declarations are moved whole, each with
 * the comment and blank lines above it and the comment after it, into the
 * suggested order: one edit replacing the lines of the declarations.  A
 * definition that does not match the binary (member count, names, order),
 * or that cannot be moved safely (packed, a preprocessor line inside,
 * several declarators in one declaration, a one-line definition), is
 * skipped with the reason, never guessed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_patch.h"
#include "edits.h"

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

/* --- same types, by spelling ------------------------------------------- */

/* A declaration's type words (identifiers other than the member's name
 * and the qualifiers), its '*' and its '[' count: what a stale source
 * would change.  Attributes, array lengths and bitfield widths (macros,
 * often) are not compared; a function pointer or a record written inline
 * ('(' or '{') is not compared at all (false: no verdict). */
typedef struct type_words {
    char words[8][64];
    int nwords, stars, arrays;
} type_words;

static bool qualifier(const char *w)
{
    static const char *const q[] = {"const", "volatile", "restrict", "_Atomic", "struct", "union",
                                    "enum", "register", "__restrict", "__volatile__", "__const"};
    for (size_t i = 0; i < PS_ARRAY_LEN(q); i++)
        if (!strcmp(w, q[i]))
            return true;
    return false;
}

static bool type_words_of(const char *decl, const char *name, type_words *t)
{
    memset(t, 0, sizeof(*t));
    for (const char *p = decl; *p && *p != ';' && *p != ':' && *p != '=';) {
        if (!strncmp(p, "__attribute__", 13)) {
            int d = 0;
            for (p += 13; *p && !(*p == ')' && d == 1); p++)
                d += (*p == '(') - (*p == ')');
            p += *p != '\0';
            continue;
        }
        if (*p == '(' || *p == '{')
            return false;
        if (*p == '[') {
            t->arrays++;
            while (*p && *p != ']')
                p++;
            continue;
        }
        t->stars += *p == '*';
        if (!ident_char(*p) || isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *b = p;
        while (ident_char(*p))
            p++;
        size_t n = (size_t)(p - b);
        char w[64];
        if (n >= sizeof(w) || t->nwords == 8)
            return false;
        memcpy(w, b, n);
        w[n] = '\0';
        if (!strcmp(w, name) || qualifier(w))
            continue;
        strcpy(t->words[t->nwords++], strcmp(w, "bool") ? w : "_Bool"); /* <stdbool.h> */
    }
    return true;
}

static bool has_word(const type_words *t, const char *w)
{
    for (int i = 0; i < t->nwords; i++)
        if (!strcmp(t->words[i], w))
            return true;
    return false;
}

static int word_order(const void *a, const void *b) { return strcmp(a, b); }

/* C's spellings of one type as one: "unsigned" is "unsigned int", "long
 * unsigned" is "unsigned long int"; the words sorted. */
static void canonical(type_words *t)
{
    bool sized = has_word(t, "short") || has_word(t, "long") || has_word(t, "unsigned") ||
                 has_word(t, "signed");
    if (sized && !has_word(t, "int") && !has_word(t, "char") && !has_word(t, "double") &&
        t->nwords < 8)
        strcpy(t->words[t->nwords++], "int");
    qsort(t->words, (size_t)t->nwords, sizeof(t->words[0]), word_order);
}

/* Whether the source's declaration can be the binary's member: the same
 * type words (as C spells one type many ways: canonical()), as many '*'
 * and '['.  A macro spelling a type differently counts as different. */
static bool same_type(const char *code, const ps_member *m)
{
    ps_strbuf dw = {0};
    ps_member_decl(m, PS_LANG_C, &dw);
    type_words src, bin;
    bool ok = !type_words_of(code, m->name, &src) ||
              !type_words_of(dw.buf ? dw.buf : "", m->name, &bin);
    if (!ok) {
        canonical(&src);
        canonical(&bin);
        ok = src.stars == bin.stars && src.arrays == bin.arrays && src.nwords == bin.nwords;
        for (int i = 0; ok && i < src.nwords; i++)
            ok = !strcmp(src.words[i], bin.words[i]);
    }
    ps_sb_free(&dw);
    return ok;
}

typedef struct item {
    size_t first, last; /* lines, with the comments and blank lines above */
} item;

/* Finds the body of the definition at decl_line: lines open+1..close-1. */
static const char *body_lines(const ps_source *f, uint32_t decl_line, size_t *open, size_t *close)
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
static const char *split(const ps_source *f, size_t open, size_t close, ps_vec *items)
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
static void item_code(const ps_source *f, const item *it, ps_strbuf *out)
{
    ps_strbuf line = {0};
    bool in_comment = false;
    for (size_t i = it->first; i <= it->last; i++) {
        code_of(f->lines[i], &in_comment, &line);
        ps_sb_printf(out, "%s ", line.buf);
    }
    ps_sb_free(&line);
}

static const char *match(const ps_source *f, const ps_binary *b, const ps_struct *s,
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
        else if (!same_type(code.buf, &m[i]))
            why = "a member's type in the source is not the binary's (a stale binary, or a "
                  "macro spelling the type)";
        ps_sb_free(&code);
    }
    ps_arena_free(&a);
    return why;
}

/* The edit moving the declarations of record s into g's order; NULL, or
 * why not. */
static const char *move(ps_patch *p, size_t index, const ps_struct *s, const ps_suggestion *g)
{
    if (s->packed)
        return "a packed record: its order is its layout";
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, index);
    size_t open = 0, close = 0;
    const char *why = body_lines(f, s->decl_line, &open, &close);
    ps_vec items;
    ps_vec_init(&items, sizeof(item));
    if (!why)
        why = split(f, open, close, &items);
    if (!why)
        why = match(f, p->bin, s, &items);
    if (!why) {
        size_t first = PS_VEC_AT(&items, item, 0).first;
        size_t last = PS_VEC_AT(&items, item, items.len - 1).last;
        const char **lines = ps_patch_edit(p, index, (uint32_t)first + 1, (uint32_t)last + 1,
                                           last - first + 1);
        size_t at = 0;
        for (uint32_t k = 0; k < g->n; k++) {
            const item *it = &PS_VEC_AT(&items, item, g->order[k]);
            for (size_t i = it->first; i <= it->last; i++)
                lines[at++] = f->lines[i];
        }
    }
    ps_vec_free(&items);
    return why;
}

const char *ps_patch_c(ps_patch *p, const ps_struct *s, const ps_suggestion *g)
{
    if (!s->decl_file)
        return "no decl_file in the binary";
    size_t index = 0;
    const char *why = NULL;
    const ps_source *f = ps_patch_source(p, s->decl_file, &index, &why);
    if (!f)
        return why;
    if ((why = ps_patch_foreign(f)) != NULL)
        return why;
    ps_strbuf where = {0};
    if (ps_positional_init(&p->c_tree, p->root, s->ctype, &where))
        why = ps_arena_printf(&p->arena, "built with a positional initializer at %s", where.buf);
    ps_sb_free(&where);
    return why ? why : move(p, index, s, g);
}
