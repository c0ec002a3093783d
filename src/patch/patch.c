/*
 * The patch engine's driver: for each selected suggestion of one binary,
 * the language's patcher turns the suggested order into edits of the
 * sources (edits.h), or says why not; here each record gets its note
 * (verdict or reason), the sources are read once, and an edit that
 * overlaps another record's is refused rather than guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "c_patch.h"
#include "edits.h"
#include "go_source.h"

enum { MAX_SOURCE = 64 << 20 };

bool ps_source_read(ps_source *f, const char *path)
{
    struct stat st;
    FILE *fp = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
    if (!fp)
        return false; /* a FIFO or device would block or never end */
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
    char *p = f->text;
    for (f->nlines = 0; *p;) {
        char *nl = strchr(p, '\n');
        f->lines[f->nlines++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return ok;
}

void ps_source_free(ps_source *f)
{
    free(f->text);
    free(f->lines);
}

const ps_source *ps_patch_source(ps_patch *p, const char *rel, size_t *index, const char **why)
{
    if (rel[0] == '/' || !p->root || !strncmp(rel, "../", 3) || strstr(rel, "/../"))
        return *why = "the definition is outside the source root (--source-root DIR)", NULL;
    for (const unsigned char *c = (const unsigned char *)rel; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
            return *why = "a control character, quote or backslash in the file's path (a "
                          "diff would have to quote it)", NULL;
    for (size_t i = 0; i < p->sources.len; i++)
        if (!strcmp(PS_VEC_AT(&p->sources, ps_source, i).rel, rel))
            return *index = i, &PS_VEC_AT(&p->sources, ps_source, i);
    ps_source f = {.rel = ps_arena_strdup(&p->arena, rel)};
    bool ok = ps_source_read(&f, ps_arena_printf(&p->arena, "%s/%s", p->root, rel));
    if (!ok) {
        ps_source_free(&f);
        return *why = "the source file cannot be read", NULL;
    }
    *(ps_source *)ps_vec_push(&p->sources) = f;
    *index = p->sources.len - 1;
    return &PS_VEC_AT(&p->sources, ps_source, *index);
}

const char *ps_patch_foreign(const ps_source *f)
{
    size_t n = strlen(f->rel);
    if ((n >= 5 && !strcmp(f->rel + n - 5, ".pb.h")) || strstr(f->rel, ".pb-c.h") ||
        (n >= 6 && !strcmp(f->rel + n - 6, ".pb.go")))
        return "a generated file (protobuf)";
    for (size_t i = 0; i < f->nlines && i < 10; i++)
        if (strstr(f->lines[i], "Code generated") && strstr(f->lines[i], "DO NOT EDIT"))
            return "a generated file (Code generated ... DO NOT EDIT.)";
    if (!strncmp(f->rel, "vendor/", 7) || strstr(f->rel, "/vendor/") ||
        !strncmp(f->rel, "third_party/", 12) || strstr(f->rel, "/third_party/"))
        return "vendored code";
    return NULL;
}

const char **ps_patch_edit(ps_patch *p, size_t source, uint32_t first, uint32_t last, size_t n)
{
    const char **lines = ps_arena_zalloc(&p->arena, (n ? n : 1) * sizeof(char *));
    *(ps_edit *)ps_vec_push(&p->edits) =
        (ps_edit){source, PS_VEC_AT(&p->sources, ps_source, source).rel, first, last, lines, n,
                  NULL, NULL};
    return lines;
}

static bool same_edit(const ps_edit *a, const ps_edit *b)
{
    if (a->first != b->first || a->last != b->last || a->nlines != b->nlines)
        return false;
    for (size_t i = 0; i < a->nlines; i++)
        if (strcmp(a->lines[i], b->lines[i]))
            return false;
    return true;
}

/* The edits from `from` on against the earlier ones: the same edit again
 * (a record met twice) is dropped; an overlap names the other record. */
static const char *settle(ps_patch *p, size_t from)
{
    bool all_same = true;
    for (size_t k = from; k < p->edits.len; k++) {
        const ps_edit *e = &PS_VEC_AT(&p->edits, ps_edit, k);
        bool same = false;
        for (size_t i = 0; i < from; i++) {
            const ps_edit *o = &PS_VEC_AT(&p->edits, ps_edit, i);
            if (o->source != e->source || o->last < e->first || e->last < o->first)
                continue;
            if (!same_edit(o, e))
                return ps_arena_printf(&p->arena, "its definition overlaps the edit of %s",
                                       o->record);
            same = true;
        }
        all_same = all_same && same;
    }
    if (all_same)
        p->edits.len = from;
    return NULL;
}

/* Whole bytes, or two decimals for Go's tiny blocks (a share of 16). */
static const char *bytes(ps_arena *a, double v)
{
    return v == (double)(uint64_t)v ? ps_arena_printf(a, "%llu", (unsigned long long)v)
                                    : ps_arena_printf(a, "%.2f", v);
}

/* The fleet's bytes for the record (every service that prices it as a
 * heap object, an array or a slice; embedded ones are in their container). */
static bool fleet_bytes(const ps_fleet *f, const char *name, double *before, double *after,
                        size_t *services)
{
    *before = *after = 0;
    *services = 0;
    for (size_t i = 0; f && i < f->n; i++) {
        bool counted = false;
        for (size_t k = 0; k < f->services[i].ntypes; k++) {
            const ps_type_saving *t = &f->services[i].types[k];
            if (t->held == PS_HELD_EMBEDDED || strcmp(t->facts.name, name))
                continue;
            *before += (double)t->instances * t->bytes;
            *after += (double)t->instances * t->optimal_bytes;
            counted = true;
        }
        *services += counted;
    }
    return *services > 0;
}

/* "48 -> 40 bytes[, pointer bytes 40 -> 16]; glibc 64 -> 48 bytes per
 * object[ (same size class)][; fleet X -> Y bytes in N services]" */
static const char *verdict(ps_patch *p, const ps_struct *s, const ps_suggestion *g,
                           const ps_suggest_class *c, const ps_fleet *fleet)
{
    ps_strbuf v = {0};
    ps_sb_printf(&v, "%llu -> %llu bytes", (unsigned long long)g->size,
                 (unsigned long long)g->optimal_size);
    if (s->lang == PS_LANG_GO)
        ps_sb_printf(&v, ", pointer bytes %llu -> %llu", (unsigned long long)g->ptr_bytes,
                     (unsigned long long)g->optimal_ptr_bytes);
    if (c && c->allocator)
        ps_sb_printf(&v, "; %s %s -> %s bytes per object%s", c->allocator,
                     bytes(&p->arena, c->before), bytes(&p->arena, c->after),
                     c->before == c->after ? " (same size class)" : "");
    double before, after;
    size_t n;
    if (fleet_bytes(fleet, s->name, &before, &after, &n))
        ps_sb_printf(&v, "; fleet %.0f -> %.0f bytes in %zu service%s", before, after, n,
                     n == 1 ? "" : "s");
    const char *out = ps_arena_strdup(&p->arena, v.buf);
    ps_sb_free(&v);
    return out;
}

static ps_patcher *patcher_of(const ps_struct *s)
{
    if (s->lang == PS_LANG_C && !s->cxx)
        return ps_patch_c;
    if (s->lang == PS_LANG_GO)
        return ps_patch_go;
    return NULL;
}

void ps_patch_build(ps_patch *p, const ps_suggest_binary *sb, const ps_fleet *fleet)
{
    memset(p, 0, sizeof(*p));
    p->bin = sb->bin;
    p->reorder = sb->reorder;
    p->root = sb->bin->source_root;
    p->paths = ps_repo_paths_new();
    ps_vec_init(&p->sources, sizeof(ps_source));
    ps_vec_init(&p->edits, sizeof(ps_edit));
    ps_vec_init(&p->notes, sizeof(ps_patch_note));
    for (size_t i = 0; i < sb->n; i++) {
        const ps_suggestion *g = sb->suggestions[i];
        const ps_struct *s = ps_struct_at(sb->bin, g->record);
        const char *why = g->keep_reason;
        if ((!g->improves && !why) || (s->lang == PS_LANG_C && !s->ctype) ||
            (s->lang == PS_LANG_GO && !ps_go_package_len(s->name)))
            continue; /* anonymous records move with their parent */
        ps_patcher *fn = patcher_of(s);
        if (!why && !fn)
            why = "only C and Go records are patched";
        size_t from = p->edits.len;
        p->at_file = NULL;
        if (!why)
            why = fn(p, s, g);
        else if (s->lang == PS_LANG_GO)
            ps_patch_go_where(p, s);
        if (!why)
            why = settle(p, from);
        if (why)
            p->edits.len = from;
        ps_patch_note note = {s->name, p->at_file ? p->at_file : s->decl_file ? s->decl_file : "?",
                              p->at_file ? p->at_line : s->decl_line, s->decl_line, why,
                              why ? NULL : verdict(p, s, g, sb->classes ? &sb->classes[i] : NULL, fleet), from, p->edits.len - from};
        for (size_t k = from; k < p->edits.len; k++) {
            PS_VEC_AT(&p->edits, ps_edit, k).record = note.record;
            PS_VEC_AT(&p->edits, ps_edit, k).verdict = note.verdict;
        }
        *(ps_patch_note *)ps_vec_push(&p->notes) = note;
    }
}

void ps_patch_free(ps_patch *p)
{
    for (size_t i = 0; i < p->sources.len; i++)
        ps_source_free(&PS_VEC_AT(&p->sources, ps_source, i));
    ps_vec_free(&p->sources);
    ps_vec_free(&p->edits);
    ps_vec_free(&p->notes);
    ps_c_tree_free(p->c_tree);
    gl_tree_free(p->go_tree);
    ps_arena_free(&p->arena);
    ps_repo_paths_free(p->paths);
}

static int by_first(const void *a, const void *b)
{
    const ps_edit *x = *(const ps_edit *const *)a, *y = *(const ps_edit *const *)b;
    return (x->first > y->first) - (x->first < y->first);
}

size_t ps_patch_edits_of(const ps_patch *p, size_t i, const ps_edit **out)
{
    size_t n = 0;
    for (size_t k = 0; k < p->edits.len; k++)
        if (PS_VEC_AT(&p->edits, ps_edit, k).source == i)
            out[n++] = &PS_VEC_AT(&p->edits, ps_edit, k);
    qsort(out, n, sizeof(*out), by_first);
    return n;
}

bool ps_patch_changes(const ps_patch *p, size_t i)
{
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, i);
    for (size_t k = 0; k < p->edits.len; k++) {
        const ps_edit *e = &PS_VEC_AT(&p->edits, ps_edit, k);
        if (e->source != i)
            continue;
        if (e->nlines != (size_t)(e->last - e->first) + 1)
            return true;
        for (size_t j = 0; j < e->nlines; j++)
            if (strcmp(e->lines[j], f->lines[e->first - 1 + j]))
                return true;
    }
    return false;
}

void ps_patch_apply(const ps_patch *p, size_t i, ps_strbuf *out)
{
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, i);
    const ps_edit **edits = ps_xmalloc((p->edits.len + 1) * sizeof(*edits));
    size_t n = ps_patch_edits_of(p, i, edits), k = 0;
    bool first = true;
    for (size_t line = 0; line < f->nlines;) {
        const char *const *from = (const char *const *)&f->lines[line];
        size_t count = 1;
        if (k < n && edits[k]->first == line + 1) {
            from = edits[k]->lines;
            count = edits[k]->nlines;
            line = edits[k++]->last;
        } else {
            line++;
        }
        for (size_t j = 0; j < count; j++, first = false)
            ps_sb_printf(out, "%s%s", first ? "" : "\n", from[j]);
    }
    if (f->final_newline)
        ps_sb_putc(out, '\n');
    free(edits);
}

/* " (FILE:LINE)" as the repository names FILE; nothing unknown is shown
 * ("?", line 0). */
static void note_place(const ps_patch *p, const ps_patch_note *n, ps_strbuf *out)
{
    if (!n->file || !strcmp(n->file, "?"))
        return;
    ps_sb_printf(out, " (%s", ps_repo_paths_get(p->paths, p->root, n->file, NULL));
    ps_sb_printf(out, n->line ? ":%u)" : ")", n->line);
}

void ps_patch_notes(const ps_patch *p, ps_strbuf *out)
{
    for (size_t i = 0; i < p->notes.len; i++) {
        const ps_patch_note *n = &PS_VEC_AT(&p->notes, ps_patch_note, i);
        size_t from = out->len;
        ps_sb_printf(out, "padscan: %s%s", n->skipped ? "skipped " : "", n->record);
        note_place(p, n, out);
        ps_sb_printf(out, ": %s", n->skipped ? n->skipped : n->verdict);
        ps_sb_escape_from(out, from); /* a name or path never splits the line (nor makes one a diff's) */
        ps_sb_putc(out, '\n');
    }
}

ps_patch *ps_patch_new(const ps_suggest_binary *sb, const ps_fleet *fleet)
{
    ps_patch *p = ps_xmalloc(sizeof(*p));
    ps_patch_build(p, sb, fleet);
    return p;
}

void ps_patch_delete(ps_patch *p)
{
    if (p)
        ps_patch_free(p);
    free(p);
}

const ps_patch_note *ps_patch_note_of(const ps_patch *p, const char *record, uint32_t line)
{
    for (size_t i = 0; i < p->notes.len; i++) {
        const ps_patch_note *n = &PS_VEC_AT(&p->notes, ps_patch_note, i);
        if (!n->skipped && n->nedits && n->decl_line == line && !strcmp(n->record, record))
            return n;
    }
    return NULL;
}

void ps_patch_binary_line(const ps_suggest_report *r, size_t i, ps_strbuf *out)
{
    if (r->n < 2)
        return;
    size_t from = out->len;
    ps_sb_printf(out, "padscan: binary %s", r->bins[i].bin->path);
    ps_sb_escape_from(out, from);
    ps_sb_putc(out, '\n');
}

void ps_export_patch(const ps_suggest_report *r, ps_strbuf *out)
{
    /* every binary's notes first: all of them are in the preamble git apply skips */
    ps_patch *p = ps_xmalloc((r->n + 1) * sizeof(*p));
    for (size_t i = 0; i < r->n; i++) {
        ps_patch_build(&p[i], &r->bins[i], r->fleet);
        ps_patch_binary_line(r, i, out);
        ps_patch_notes(&p[i], out);
    }
    for (size_t i = 0; i < r->n; i++) {
        ps_patch_diff(&p[i], out);
        ps_patch_free(&p[i]);
    }
    free(p);
}
