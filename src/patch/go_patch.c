/*
 * suggest --format patch for Go records: each record's `type T struct {`
 * is found in its package's files (go_locate.c), checked against the
 * binary (the same fields in the same order, the same types where the
 * spelling can be compared), and its field declarations are moved whole
 * into the suggested order: doc comments, trailing comments, tags and the
 * blank lines above a field go with it; `A, B int` stays one declaration
 * while its names stay adjacent and is split otherwise (the tag goes to
 * every name, as Go gives it to every name; the comments stay with the
 * first); the result is aligned as gofmt aligns it (go_format.c).  What
 * cannot be moved safely is skipped with the reason, never guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "go_patch_int.h"

/* Whether the package's files are under a vendor/ folder. */
static bool vendored(const ps_binary *b, const ps_struct *s)
{
    size_t pkg = ps_go_package_len(s->name);
    if (s->decl_file && (strstr(s->decl_file, "/vendor/") || !strncmp(s->decl_file, "vendor/", 7)))
        return true;
    for (size_t i = 0; i < b->go_sources.len; i++) {
        const ps_go_source *g = &PS_VEC_AT(&b->go_sources, ps_go_source, i);
        if (strlen(g->package) == pkg && !strncmp(g->package, s->name, pkg) &&
            (strstr(g->file, "/vendor/") || !strncmp(g->file, "vendor/", 7)))
            return true;
    }
    return false;
}

/* Why the record is not the user's to edit, or NULL. */
static const char *foreign_class(const ps_binary *b, const ps_struct *s)
{
    if (s->cls == PS_CLASS_DEPENDENCY && vendored(b, s))
        return "vendored code (a type from a third-party dependency)";
    if (s->cls == PS_CLASS_DEPENDENCY)
        return "a type from a third-party dependency";
    if (s->cls == PS_CLASS_STD)
        return "a type from the standard library";
    return NULL;
}

/* Why its order is deliberate, or NULL. */
static const char *fenced(const ps_binary *b, const ps_struct *s)
{
    const ps_member *m = ps_members_of(b, s);
    for (uint32_t i = 0; i < s->nmembers; i++) {
        if (m[i].flags & PS_MF_HOSTLAYOUT)
            return "a structs.HostLayout field: the host's layout is deliberate";
        if (!strcmp(m[i].name, "_"))
            return "a blank (_) field: padding or a marker placed by hand";
    }
    return NULL;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || (c & 0x80);
}

/* A type spelled for comparison: no spaces, package paths dropped
 * ("[]example.com/m/pkg.T" and "[]pkg.T" -> "[]T"), byte, rune and any
 * as the binary spells them. */
static void norm(const char *t, ps_strbuf *out)
{
    for (const char *p = t; *p;) {
        if (*p == ' ' || *p == '\t') {
            p++;
        } else if (!strncmp(p, "...", 3)) {
            ps_sb_puts(out, "...");
            p += 3;
        } else if (word_char(*p)) {
            const char *e = p, *last = p;
            while (word_char(*e) || *e == '/' || *e == '-' || (*e == '.' && word_char(e[1]))) {
                if (*e == '.')
                    last = e + 1;
                e++;
            }
            size_t n = (size_t)(e - last);
            if (n == 4 && !strncmp(last, "byte", 4))
                ps_sb_puts(out, "uint8");
            else if (n == 4 && !strncmp(last, "rune", 4))
                ps_sb_puts(out, "int32");
            else if (n == 3 && !strncmp(last, "any", 3))
                ps_sb_puts(out, "interface{}");
            else
                ps_sb_add(out, last, n);
            p = e;
        } else {
            ps_sb_putc(out, *p++);
        }
    }
    if (!out->buf)
        ps_sb_puts(out, "");
}

static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || !word_char(p[-1])) && !word_char(p[n]))
            return true;
    return false;
}

/* Whether a normalized source type can be compared by its spelling: not
 * with parameter names (func), methods or fields spelled inline, an array
 * length given by a constant, or a type parameter. */
static bool comparable(const char *t, const char *tparams)
{
    if (strstr(t, "func(") || strstr(t, "interface{") != strstr(t, "interface{}") ||
        (strstr(t, "struct{") && !strstr(t, "struct{}")))
        return false;
    for (const char *p = strchr(t, '['); p; p = strchr(p + 1, '[')) {
        if (p > t && word_char(p[-1]))
            continue; /* map[K] or type arguments */
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q != ']')
            return false;
    }
    if (!tparams)
        return true;
    for (const char *p = tparams + 1; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (word_char(*e))
            e++;
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)(e - p), p);
        if (e > p && has_word(t, name))
            return false;
        while (*e && *e != ',')
            e++; /* "K comparable" up to the next parameter */
        p = e;
        if (!*p)
            break;
    }
    return true;
}

/* The name an embedded field has: its type without '*', package, type
 * arguments. */
static void embedded_name(const char *type, ps_strbuf *out)
{
    while (*type == '*')
        type++;
    size_t n = strcspn(type, "[");
    const char *dot = memrchr(type, '.', n);
    const char *b = dot ? dot + 1 : type;
    ps_sb_add(out, b, n - (size_t)(b - type));
}

/* Does the definition declare the binary's members, in order? */
static const char *verify(ps_patch *p, const ps_struct *s, const go_struct *d)
{
    const ps_member *m = ps_members_of(p->bin, s);
    uint32_t k = 0, total = 0;
    for (uint32_t i = 0; i < d->nfields; i++)
        total += d->fields[i].embedded ? 1 : d->fields[i].nnames;
    if (total != s->nmembers)
        return ps_arena_printf(&p->arena, "the definition declares %u fields, the binary has %u "
                               "(a stale binary?)", total, s->nmembers);
    const char *why = NULL;
    ps_strbuf a = {0}, b = {0};
    for (uint32_t i = 0; i < d->nfields && !why; i++) {
        const go_field *fd = &d->fields[i];
        for (uint32_t j = 0; j < (fd->embedded ? 1 : fd->nnames) && !why; j++, k++) {
            a.len = b.len = 0;
            if (fd->embedded)
                embedded_name(fd->type, &a);
            else
                ps_sb_puts(&a, fd->names[j]);
            size_t mlen = strcspn(m[k].name, "[");
            bool emb = (m[k].flags & PS_MF_EMBEDDED) != 0;
            if (strlen(a.buf) != mlen || strncmp(a.buf, m[k].name, mlen) || emb != fd->embedded) {
                why = ps_arena_printf(&p->arena, "the definition's field %u is %s%s, the "
                                      "binary's is %s%s (a stale binary?)", k + 1, a.buf,
                                      fd->embedded ? " (embedded)" : "", m[k].name,
                                      emb ? " (embedded)" : "");
                break;
            }
            a.len = 0;
            norm(fd->type, &a);
            ps_strbuf mt = {0};
            ps_member_type(&m[k], &mt);
            norm(mt.buf ? mt.buf : "", &b);
            if (comparable(a.buf, d->tparams) && strcmp(a.buf, b.buf))
                why = ps_arena_printf(&p->arena, "field %s is %s in the source, %s in the "
                                      "binary (a stale binary?)", m[k].name, fd->type,
                                      mt.buf ? mt.buf : "?");
            ps_sb_free(&mt);
        }
    }
    ps_sb_free(&a);
    ps_sb_free(&b);
    return why;
}

/* Moves the fields of d (in source `source`) into g's order: one edit of
 * the body's lines open+1..close-1. */
static void rewrite(ps_patch *p, size_t source, const go_struct *d, const ps_suggestion *g)
{
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, source);
    const char **text = NULL;
    size_t n = gf_body(f, d, g->order, g->n, &p->arena, &text);
    const char **out = ps_patch_edit(p, source, (uint32_t)d->open + 2, (uint32_t)d->close, n);
    memcpy(out, text, n * sizeof(char *));
    free((void *)text);
}

/* A generic type has one definition for all its instances: each must
 * want the same order. */
static const char *instances_agree(ps_patch *p, const ps_struct *s, const ps_suggestion *g)
{
    size_t base = strcspn(s->name, "[");
    for (uint32_t i = 0; i < p->bin->structs.len; i++) {
        const ps_struct *o = ps_struct_at(p->bin, i);
        if (o == s || o->lang != PS_LANG_GO || strncmp(o->name, s->name, base) ||
            o->name[base] != '[')
            continue;
        const ps_suggestion *h = ps_suggest(p->reorder, i);
        if (h->n != g->n || memcmp(h->order, g->order, g->n * sizeof(uint32_t)) ||
            h->keep_reason)
            return ps_arena_printf(&p->arena, "a generic type whose instances want different "
                                   "orders (%s)", o->name);
    }
    return NULL;
}

/* The folder of go.mod at or above root/dir (else root). */
static const char *module_root(ps_patch *p, const char *dir)
{
    char *d = !strcmp(dir, ".") ? ps_arena_strdup(&p->arena, p->root)
                                : ps_arena_printf(&p->arena, "%s/%s", p->root, dir);
    for (;;) {
        if (access(ps_arena_printf(&p->arena, "%s/go.mod", d), F_OK) == 0)
            return d;
        char *slash = strrchr(d, '/');
        if (!slash || slash == d)
            return p->root;
        *slash = '\0';
    }
}

static const char *patch(ps_patch *p, const ps_struct *s, const ps_suggestion *g,
                         go_site *site)
{
    size_t pkg = ps_go_package_len(s->name);
    if (!pkg)
        return "not a named type";
    const char *package = ps_arena_strndup(&p->arena, s->name, pkg);
    const char *tname = ps_arena_strndup(&p->arena, s->name + pkg + 1,
                                         strcspn(s->name + pkg + 1, "["));
    const char *why = go_locate(p, s, package, tname, site);
    const ps_source *f = site->rel ? &PS_VEC_AT(&p->sources, ps_source, site->source) : NULL;
    if (!why && !(why = ps_patch_foreign(f)) && gs_generated(f))
        why = "a generated file (Code generated ... DO NOT EDIT.)";
    if (!why)
        why = fenced(p->bin, s);
    if (!why)
        why = gs_fields(f, &site->def, &p->arena);
    if (!why)
        why = verify(p, s, &site->def);
    if (!why && strchr(s->name, '['))
        why = instances_agree(p, s, g);
    if (!why) {
        const char *mod = module_root(p, site->dir);
        const char *pkgdir = !strcmp(site->dir, ".") ? p->root
                             : ps_arena_printf(&p->arena, "%s/%s", p->root, site->dir);
        ps_strbuf where = {0};
        if (gl_unkeyed(&p->go_tree, mod, pkgdir, tname, &where))
            why = ps_arena_printf(&p->arena, "built with an unkeyed composite literal at %s",
                                  where.buf);
        ps_sb_free(&where);
    }
    if (!why)
        rewrite(p, site->source, &site->def, g); /* the same edit again (generics) is dropped */
    return why;
}

static bool rooted(ps_patch *p)
{
    char cwd[4096];
    if (!p->root && getcwd(cwd, sizeof(cwd))) /* Go without a source root: the current folder */
        p->root = ps_arena_strdup(&p->arena, cwd);
    return p->root != NULL;
}

void ps_patch_go_where(ps_patch *p, const ps_struct *s)
{
    size_t pkg = ps_go_package_len(s->name);
    go_site site = {0};
    if (!pkg || s->cls != PS_CLASS_OWN || !rooted(p))
        return;
    const char *package = ps_arena_strndup(&p->arena, s->name, pkg);
    const char *tname = ps_arena_strndup(&p->arena, s->name + pkg + 1,
                                         strcspn(s->name + pkg + 1, "["));
    go_locate(p, s, package, tname, &site);
    if (site.rel) {
        p->at_file = site.rel;
        p->at_line = (uint32_t)site.def.open + 1;
    }
}

const char *ps_patch_go(ps_patch *p, const ps_struct *s, const ps_suggestion *g)
{
    if (!rooted(p))
        return "no source root (--source-root DIR)";
    go_site site = {0};
    const char *why = foreign_class(p->bin, s);
    if (!why)
        why = patch(p, s, g, &site);
    if (site.rel) {
        p->at_file = site.rel;
        p->at_line = (uint32_t)site.def.open + 1;
    }
    return why;
}
