/*
 * padscan suggest --format go: struct definitions in the suggested order,
 * spelled as gofmt prints them — package-local names, import qualifiers,
 * names aligned in blocks that embedded fields break — one section per
 * package, with its package clause and imports, ready to paste or compile.
 */
#include <ctype.h>
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

/* "github.com/acme/game/combat/state.Player" -> path and name. */
static const char *split_qualified(const char *run, size_t len, size_t *path_len)
{
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
        if (!path_char(*t)) {
            ps_sb_putc(out, *t++);
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

static void field_type(go_out *g, const ps_member *m, ps_strbuf *out);

/* A literal struct type, written on one line in its suggested order. */
static void literal(go_out *g, uint32_t idx, ps_strbuf *out)
{
    const ps_struct *s = ps_struct_at(g->b, idx);
    const ps_suggestion *sg = ps_suggest(g->reorder, idx);
    const ps_member *m = ps_members_of(g->b, s);
    ps_sb_puts(out, s->nmembers ? "struct{ " : "struct{}");
    for (uint32_t k = 0; k < s->nmembers; k++) {
        const ps_member *f = &m[sg ? sg->order[k] : k];
        if (!(f->flags & PS_MF_EMBEDDED))
            ps_sb_printf(out, "%s ", f->name);
        field_type(g, f, out);
        ps_sb_puts(out, k + 1 < s->nmembers ? "; " : " }");
    }
}

static void field_type(go_out *g, const ps_member *m, ps_strbuf *out)
{
    if (m->record != PS_NONE && m->kind == PS_K_STRUCT &&
        !strncmp(ps_struct_at(g->b, m->record)->name, "struct {", 8))
        literal(g, m->record, out);
    else
        spell(g, m->type_head, out);
}

static const char *package_of(const char *name, ps_arena *a)
{
    size_t path_len = 0;
    const char *rest = split_qualified(name, strlen(name), &path_len);
    return rest ? ps_arena_strndup(a, name, path_len) : "main";
}

/* gofmt aligns field types in blocks of named fields; embedded fields end
 * a block. */
static void fields(go_out *g, const ps_struct *s, const ps_suggestion *sg, ps_strbuf *out)
{
    const ps_member *m = ps_members_of(g->b, s);
    for (uint32_t k = 0; k < s->nmembers;) {
        uint32_t end = k;
        size_t width = 0;
        while (end < s->nmembers && !(m[sg->order[end]].flags & PS_MF_EMBEDDED)) {
            size_t w = strlen(m[sg->order[end]].name);
            width = w > width ? w : width;
            end++;
        }
        for (; k < end; k++) {
            const ps_member *f = &m[sg->order[k]];
            ps_sb_printf(out, "\t%s%*s", f->name, (int)(width - strlen(f->name) + 1), "");
            field_type(g, f, out);
            ps_sb_putc(out, '\n');
        }
        if (k < s->nmembers) {
            ps_sb_putc(out, '\t');
            field_type(g, &m[sg->order[k++]], out);
            ps_sb_putc(out, '\n');
        }
    }
}

static void define(go_out *g, uint32_t idx, ps_strbuf *out)
{
    const ps_struct *s = ps_struct_at(g->b, idx);
    const ps_suggestion *sg = ps_suggest(g->reorder, idx);
    const char *dot = s->name + strlen(g->pkg) + 1; /* the name inside its package */
    ps_sb_printf(out, "// %s: %llu -> %llu bytes, pointer bytes %llu -> %llu.\n", dot,
                 (unsigned long long)sg->size, (unsigned long long)sg->optimal_size,
                 (unsigned long long)sg->ptr_bytes, (unsigned long long)sg->optimal_ptr_bytes);
    ps_sb_printf(out, "type %s%s struct {\n", g->prefix, dot);
    fields(g, s, sg, out);
    ps_sb_puts(out, "}\n\n");
}

static void package_section(go_out *g, const ps_suggest_binary *sb, ps_strbuf *out)
{
    ps_strbuf body = {0};
    g->imports.len = 0;
    for (size_t i = 0; i < sb->n; i++) {
        const ps_struct *s = ps_struct_at(sb->bin, sb->suggestions[i]->record);
        if (s->lang == PS_LANG_GO && !strcmp(package_of(s->name, g->arena), g->pkg))
            define(g, sb->suggestions[i]->record, &body);
    }
    const char *last = strrchr(g->pkg, '/');
    ps_sb_printf(out, "// padscan suggest: struct tags are not in the binary; copy them from the source.\n"
                      "package %s\n\n", last ? last + 1 : g->pkg);
    if (g->imports.len) {
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

void ps_export_go(const ps_suggest_report *r, ps_strbuf *out)
{
    for (size_t b = 0; b < r->n; b++) {
        const ps_suggest_binary *sb = &r->bins[b];
        ps_arena arena = {0};
        go_out g = {sb->bin, sb->reorder, r->rename_prefix ? r->rename_prefix : "", NULL,
                    ps_arena_zalloc(&arena, sb->bin->structs.len + 1), {0}, &arena};
        ps_vec_init(&g.imports, sizeof(const char *));
        ps_vec pkgs;
        ps_vec_init(&pkgs, sizeof(const char *));
        for (size_t i = 0; i < sb->n; i++) {
            const ps_struct *s = ps_struct_at(sb->bin, sb->suggestions[i]->record);
            if (s->lang != PS_LANG_GO)
                continue;
            g.defined[sb->suggestions[i]->record] = 1;
            const char *p = package_of(s->name, &arena);
            bool seen = false;
            for (size_t k = 0; k < pkgs.len && !seen; k++)
                seen = !strcmp(PS_VEC_AT(&pkgs, const char *, k), p);
            if (!seen)
                *(const char **)ps_vec_push(&pkgs) = p;
        }
        for (size_t k = 0; k < pkgs.len; k++) {
            g.pkg = PS_VEC_AT(&pkgs, const char *, k);
            package_section(&g, sb, out);
        }
        ps_vec_free(&pkgs);
        ps_vec_free(&g.imports);
        ps_arena_free(&arena);
    }
}
