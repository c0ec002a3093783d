/*
 * padscan suggest --format go: struct definitions in the suggested order,
 * spelled as gofmt prints them — package-local names, import qualifiers,
 * names aligned in blocks that embedded fields break — one section per
 * package, with its package clause and imports, ready to paste or compile.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/report.h"

typedef struct go_out {
    const ps_binary *b;
    ps_reorder *reorder;
    const char *prefix;
    const char *pkg; /* import path of the package being written */
    uint8_t *defined;
    ps_vec imports;  /* const char* import paths (arena) */
    ps_arena *arena;
} go_out;

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static bool path_char(char c) { return ident_char(c) || c == '.' || c == '/' || c == '-' || c == '~'; }

/* "github.com/acme/game/combat/state.Player" -> path and name; type
 * arguments ("main.Pair[example.com/x.Key]") are not part of the path. */
static const char *split_qualified(const char *run, size_t len, size_t *path_len)
{
    const char *bracket = memchr(run, '[', len);
    if (bracket)
        len = (size_t)(bracket - run);
    const char *slash = NULL;
    for (const char *p = run; p < run + len; p++)
        if (*p == '/')
            slash = p;
    const char *dot = memchr(slash ? slash : run, '.', len - (size_t)((slash ? slash : run) - run));
    if (!dot)
        return NULL;
    *path_len = (size_t)(dot - run);
    return dot + 1;
}

static void add_import(go_out *g, const char *path, size_t len)
{
    for (size_t i = 0; i < g->imports.len; i++) {
        const char *have = PS_VEC_AT(&g->imports, const char *, i);
        if (strlen(have) == len && !strncmp(have, path, len))
            return;
    }
    *(const char **)ps_vec_push(&g->imports) = ps_arena_strndup(g->arena, path, len);
}

static uint32_t find_record(const go_out *g, const char *name, size_t len)
{
    for (uint32_t i = 0; i < g->b->structs.len; i++) {
        const char *n = ps_struct_at(g->b, i)->name;
        if (g->defined[i] && strlen(n) == len && !strncmp(n, name, len))
            return i;
    }
    return PS_NONE;
}

/* A DWARF Go type name as written inside package g->pkg. */
static void spell(go_out *g, const char *t, ps_strbuf *out)
{
    while (*t) {
        if (!strncmp(t, "interface {", 11) || !strncmp(t, "struct {", 8)) {
            ps_sb_puts(out, *t == 'i' ? "interface{" : "struct{");
            t += *t == 'i' ? 11 : 8;
            continue;
        }
        if (!strncmp(t, "...", 3)) { /* a variadic parameter: ...interface {} */
            ps_sb_puts(out, "...");
            t += 3;
            continue;
        }
        if (!path_char(*t)) {
            ps_sb_putc(out, *t);
            if (*t++ == ',' && *t != ' ') /* Pair[int,string] -> Pair[int, string] */
                ps_sb_putc(out, ' ');
            continue;
        }
        size_t len = 0, path_len = 0;
        while (path_char(t[len]))
            len++;
        const char *name = split_qualified(t, len, &path_len);
        if (!name) {
            ps_sb_add(out, t, len);
        } else {
            bool local = strlen(g->pkg) == path_len && !strncmp(g->pkg, t, path_len);
            if (!local) {
                const char *last = t + path_len;
                while (last > t && last[-1] != '/')
                    last--;
                ps_sb_add(out, last, (size_t)(t + path_len - last));
                ps_sb_putc(out, '.');
                add_import(g, t, path_len);
            }
            if (find_record(g, t, len) != PS_NONE)
                ps_sb_puts(out, g->prefix);
            ps_sb_add(out, name, (size_t)(t + len - name));
        }
        t += len;
    }
}

static void fields(go_out *g, uint32_t idx, int depth, ps_strbuf *out);

static uint32_t literal_record(const go_out *g, const ps_member *m)
{
    if (m->record == PS_NONE || (m->kind != PS_K_STRUCT && m->kind != PS_K_ARRAY))
        return PS_NONE;
    return strncmp(ps_struct_at(g->b, m->record)->name, "struct {", 8) ? PS_NONE : m->record;
}

/* An interface literal of two or more methods: DWARF spells it
 * "interface { A(); B() int }", gofmt over several lines. */
static bool multi_method(const char *t)
{
    return !strncmp(t, "interface {", 11) && strstr(t, "; ") != NULL;
}

/* gofmt writes a literal struct type with two or more fields over several
 * lines, and with one field on one line; so an interface literal. */
static bool multi_line(const go_out *g, const ps_member *m)
{
    uint32_t r = literal_record(g, m);
    return (r != PS_NONE && ps_struct_at(g->b, r)->nmembers > 1) || multi_method(m->type_head);
}

/* "interface { A(); B() int }" one method a line, at depth + 1; the
 * methods split at "; " outside brackets. */
static void methods(go_out *g, const char *t, int depth, ps_strbuf *out)
{
    ps_sb_puts(out, "interface {\n");
    const char *p = t + 11, *end = t + strlen(t);
    while (end > p && (end[-1] == ' ' || end[-1] == '}'))
        end--;
    while (p < end) {
        while (*p == ' ')
            p++;
        const char *q = p;
        for (int level = 0; q < end && !(level == 0 && *q == ';'); q++)
            level += (*q == '(' || *q == '[' || *q == '{') - (*q == ')' || *q == ']' || *q == '}');
        for (int i = 0; i <= depth; i++)
            ps_sb_putc(out, '\t');
        ps_arena scratch = {0};
        spell(g, ps_arena_strndup(&scratch, p, (size_t)(q - p)), out);
        ps_arena_free(&scratch);
        ps_sb_putc(out, '\n');
        p = q < end ? q + 1 : q;
    }
    for (int i = 0; i < depth; i++)
        ps_sb_putc(out, '\t');
    ps_sb_putc(out, '}');
}

static void field_type(go_out *g, const ps_member *m, int depth, ps_strbuf *out)
{
    uint32_t r = literal_record(g, m);
    if (r == PS_NONE && multi_method(m->type_head)) {
        methods(g, m->type_head, depth, out);
        return;
    }
    if (r == PS_NONE) {
        spell(g, m->type_head, out);
        return;
    }
    const ps_struct *s = ps_struct_at(g->b, r);
    const char *lit = strstr(m->type_head, "struct {");
    if (lit) /* array dimensions: [136]struct { ... } */
        ps_sb_add(out, m->type_head, (size_t)(lit - m->type_head));
    if (s->nmembers == 0) {
        ps_sb_puts(out, "struct{}");
    } else if (s->nmembers == 1) {
        const ps_member *f = ps_members_of(g->b, s);
        ps_sb_puts(out, "struct{ ");
        if (!(f->flags & PS_MF_EMBEDDED))
            ps_sb_printf(out, "%s ", f->name);
        field_type(g, f, depth, out);
        ps_sb_puts(out, " }");
    } else {
        ps_sb_puts(out, "struct {\n");
        fields(g, r, depth + 1, out);
        for (int i = 0; i < depth; i++)
            ps_sb_putc(out, '\t');
        ps_sb_putc(out, '}');
    }
}

static const char *package_of(const char *name, ps_arena *a)
{
    size_t path_len = 0;
    const char *rest = split_qualified(name, strlen(name), &path_len);
    return rest ? ps_arena_strndup(a, name, path_len) : "main";
}

/* A cache-line group that starts a line of its own (padscan.json
 * "group_lines") is preceded by explicit padding: `_ [N]byte`. */
static uint64_t padding(const ps_suggestion *sg, const ps_member *f, uint32_t i, uint64_t at,
                        size_t width, int depth, ps_strbuf *out)
{
    uint64_t pos = sg->bit_pos[i] / 8, align = f->align ? f->align : 1;
    if (!f->bit_size && pos > (at + align - 1) / align * align) {
        for (int d = 0; d < depth; d++)
            ps_sb_putc(out, '\t');
        ps_sb_printf(out, "_%*s[%llu]byte\n", (int)width, "", (unsigned long long)(pos - at));
    }
    return pos + sg->member_size[i];
}

/* gofmt aligns field types in blocks of named fields; an embedded field
 * ends a block, and so does a field written over several lines. */
static void fields(go_out *g, uint32_t idx, int depth, ps_strbuf *out)
{
    const ps_struct *s = ps_struct_at(g->b, idx);
    const ps_suggestion *sg = ps_suggest(g->reorder, idx);
    const ps_member *m = ps_members_of(g->b, s);
    uint64_t at = 0; /* bytes: where the previous field ends */
    for (uint32_t k = 0; k < s->nmembers;) {
        uint32_t end = k;
        size_t width = 1; /* "_" of a padding line */
        while (end < s->nmembers && !(m[sg->order[end]].flags & PS_MF_EMBEDDED)) {
            size_t w = strlen(m[sg->order[end]].name);
            width = w > width ? w : width;
            if (multi_line(g, &m[sg->order[end++]]))
                break;
        }
        if (end == k)
            end = k + 1; /* an embedded field: a block of its own */
        for (; k < end; k++) {
            const ps_member *f = &m[sg->order[k]];
            at = padding(sg, f, sg->order[k], at, width, depth, out);
            for (int i = 0; i < depth; i++)
                ps_sb_putc(out, '\t');
            if (!(f->flags & PS_MF_EMBEDDED))
                ps_sb_printf(out, "%s%*s", f->name, (int)(width - strlen(f->name) + 1), "");
            field_type(g, f, depth, out);
            ps_sb_putc(out, '\n');
        }
    }
}

static void define(go_out *g, uint32_t idx, ps_strbuf *out)
{
    const ps_struct *s = ps_struct_at(g->b, idx);
    const ps_suggestion *sg = ps_suggest(g->reorder, idx);
    /* the name inside its package; a name without a package qualifier
     * (package_of calls it main's) is already that */
    size_t path_len = 0;
    const char *dot = split_qualified(s->name, strlen(s->name), &path_len);
    if (!dot)
        dot = s->name;
    ps_sb_printf(out, "// %s: %llu -> %llu bytes, pointer bytes %llu -> %llu.\n", dot,
                 (unsigned long long)sg->size, (unsigned long long)sg->optimal_size,
                 (unsigned long long)sg->ptr_bytes, (unsigned long long)sg->optimal_ptr_bytes);
    ps_sb_printf(out, "type %s%s struct {\n", g->prefix, dot);
    fields(g, idx, 1, out);
    ps_sb_puts(out, "}\n\n");
}

static void note_generics(go_out *g, const ps_suggest_binary *sb, ps_strbuf *out)
{
    for (size_t i = 0; i < sb->n; i++) {
        const ps_struct *s = ps_struct_at(sb->bin, sb->suggestions[i]->record);
        if (s->lang == PS_LANG_GO && strchr(s->name, '[') && strncmp(s->name, "struct {", 8) &&
            !strcmp(package_of(s->name, g->arena), g->pkg))
            ps_sb_printf(out, "// padscan: %s is an instance of a generic type: reorder the generic "
                              "declaration (every instance shares its order).\n", s->name);
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void package_section(go_out *g, const ps_suggest_binary *sb, ps_strbuf *out)
{
    ps_strbuf body = {0};
    g->imports.len = 0;
    note_generics(g, sb, &body);
    for (uint32_t i = 0; i < g->b->structs.len; i++)
        if (g->defined[i] && !strcmp(package_of(ps_struct_at(g->b, i)->name, g->arena), g->pkg))
            define(g, i, &body);
    const char *last = strrchr(g->pkg, '/');
    ps_sb_printf(out, "// padscan suggest for %s (one file per package; struct tags are not\n"
                      "// in the binary: copy them from the source).\npackage %s\n\n",
                 g->pkg, last ? last + 1 : g->pkg);
    if (g->imports.len) {
        qsort(g->imports.data, g->imports.len, sizeof(const char *), by_string);
        ps_sb_puts(out, "import (\n");
        for (size_t i = 0; i < g->imports.len; i++)
            ps_sb_printf(out, "\t\"%s\"\n", PS_VEC_AT(&g->imports, const char *, i));
        ps_sb_puts(out, ")\n\n");
    }
    while (body.len > 1 && body.buf[body.len - 1] == '\n' && body.buf[body.len - 2] == '\n')
        body.buf[--body.len] = '\0'; /* gofmt: no blank line at the end */
    ps_sb_add(out, body.buf ? body.buf : "", body.len);
    ps_sb_free(&body);
}

/* Generic instances (Pair[int,string]) and literal struct types have no
 * declaration of their own to rewrite. */
static bool declarable(const ps_struct *s)
{
    return s->lang == PS_LANG_GO && strncmp(s->name, "struct {", 8) && !strchr(s->name, '[');
}

static bool changes(ps_reorder *reorder, uint32_t idx)
{
    const ps_suggestion *g = ps_suggest(reorder, idx);
    return g && (g->improves || g->optimal_size != g->size);
}

/* Named records held by value that change must be written too, or the
 * container's layout would not be the one promised. */
static void define_nested(go_out *g, uint32_t idx)
{
    const ps_struct *s = ps_struct_at(g->b, idx);
    const ps_member *m = ps_members_of(g->b, s);
    for (uint32_t i = 0; i < s->nmembers; i++) {
        uint32_t r = m[i].record;
        if (r == PS_NONE || g->defined[r])
            continue;
        const ps_struct *in = ps_struct_at(g->b, r);
        if (!declarable(in)) {
            define_nested(g, r); /* through literal struct types */
        } else if (changes(g->reorder, r)) {
            g->defined[r] = 1;
            define_nested(g, r);
        }
    }
}

/* Every package section, in order, as its own file's text. */
void ps_export_go_packages(const ps_suggest_report *r, ps_vec *files)
{
    for (size_t b = 0; b < r->n; b++) {
        const ps_suggest_binary *sb = &r->bins[b];
        ps_arena arena = {0};
        go_out g = {sb->bin, sb->reorder, r->rename_prefix ? r->rename_prefix : "", NULL,
                    ps_arena_zalloc(&arena, sb->bin->structs.len + 1), {0}, &arena};
        ps_vec_init(&g.imports, sizeof(const char *));
        ps_vec pkgs;
        ps_vec_init(&pkgs, sizeof(const char *));
        for (size_t i = 0; i < sb->n; i++)
            if (declarable(ps_struct_at(sb->bin, sb->suggestions[i]->record)))
                g.defined[sb->suggestions[i]->record] = 1;
        for (size_t i = 0; i < sb->n; i++)
            if (g.defined[sb->suggestions[i]->record])
                define_nested(&g, sb->suggestions[i]->record);
        for (uint32_t i = 0; i < sb->bin->structs.len; i++) {
            if (!g.defined[i])
                continue;
            const char *p = package_of(ps_struct_at(sb->bin, i)->name, &arena);
            bool seen = false;
            for (size_t k = 0; k < pkgs.len && !seen; k++)
                seen = !strcmp(PS_VEC_AT(&pkgs, const char *, k), p);
            if (!seen)
                *(const char **)ps_vec_push(&pkgs) = p;
        }
        for (size_t k = 0; k < pkgs.len; k++) {
            g.pkg = PS_VEC_AT(&pkgs, const char *, k);
            ps_go_file *f = ps_vec_push(files);
            memset(f, 0, sizeof(*f));
            size_t plen = strlen(g.pkg) + 1;
            f->package = memcpy(ps_xmalloc(plen), g.pkg, plen);
            package_section(&g, sb, &f->text);
        }
        ps_vec_free(&pkgs);
        ps_vec_free(&g.imports);
        ps_arena_free(&arena);
    }
}

void ps_go_files_free(ps_vec *files)
{
    for (size_t i = 0; i < files->len; i++) {
        ps_go_file *f = &PS_VEC_AT(files, ps_go_file, i);
        free(f->package);
        ps_sb_free(&f->text);
    }
    ps_vec_free(files);
}

/* One stream (standard output): the package sections one after another. */
void ps_export_go(const ps_suggest_report *r, ps_strbuf *out)
{
    ps_vec files;
    ps_vec_init(&files, sizeof(ps_go_file));
    ps_export_go_packages(r, &files);
    for (size_t i = 0; i < files.len; i++) {
        const ps_go_file *f = &PS_VEC_AT(&files, ps_go_file, i);
        if (i)
            ps_sb_putc(out, '\n');
        ps_sb_add(out, f->text.buf ? f->text.buf : "", f->text.len);
    }
    ps_go_files_free(&files);
}
