/*
 * Where a Go record is defined.  Go's DWARF gives types no location, but
 * a package's functions name their files (model.h, ps_go_source), and a
 * method's file is the record's decl_file, and a package of the root's
 * module is in the folder its import path names (for packages whose
 * functions were all inlined): the package's folders are searched for
 * `type T struct {` (test files excluded).  Paths are made
 * relative to the patch's root (the binary's source root, else the
 * current directory); -trimpath spellings ("example.com/m/pkg/x.go") are
 * resolved through the root's go.mod.  Two definitions (build
 * constraints) are narrowed by the constraints (go_build.c), then to the
 * files the binary's functions name; if that leaves more than one, the
 * record is skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "go_patch_int.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The module path in dir/go.mod, or NULL. */
static const char *module_of(const char *dir, ps_arena *a)
{
    ps_source f = {0};
    const char *mod = NULL;
    char *path = ps_arena_printf(a, "%s/go.mod", dir);
    if (ps_source_read(&f, path))
        for (size_t i = 0; i < f.nlines && !mod; i++)
            if (!strncmp(f.lines[i], "module ", 7)) {
                const char *m = f.lines[i] + 7;
                while (*m == ' ' || *m == '"')
                    m++;
                mod = ps_arena_strndup(a, m, strcspn(m, " \t\"\r"));
            }
    ps_source_free(&f);
    return mod;
}

/* dir (as DWARF spells it) relative to root, or NULL outside it. */
static const char *relative(const char *root, const char *dir, ps_arena *a)
{
    size_t n = strlen(root);
    if (dir[0] == '/') {
        if (!strcmp(dir, root))
            return ".";
        if (!strncmp(dir, root, n) && dir[n] == '/' && !strstr(dir + n, "/../"))
            return ps_arena_strdup(a, dir + n + 1);
        return NULL;
    }
    if (!strncmp(dir, "../", 3) || strstr(dir, "/../") || !strcmp(dir, ".."))
        return NULL;
    if (is_dir(ps_arena_printf(a, "%s/%s", root, dir)))
        return dir;
    const char *mod = module_of(root, a); /* -trimpath: module path + folder */
    size_t m = mod ? strlen(mod) : 0;
    if (m && !strcmp(dir, mod))
        return ".";
    if (m && !strncmp(dir, mod, m) && dir[m] == '/')
        return ps_arena_strdup(a, dir + m + 1);
    return NULL;
}

static char *dir_of(const char *file, ps_arena *a)
{
    const char *slash = strrchr(file, '/');
    return slash ? ps_arena_strndup(a, file, (size_t)(slash - file)) : ps_arena_strdup(a, ".");
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The .go files of root/dir other than tests, sorted. */
static void go_files(const char *root, const char *dir, ps_vec *names, ps_arena *a)
{
    DIR *d = opendir(ps_arena_printf(a, "%s/%s", root, dir));
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] != '.' && n > 3 && !strcmp(e->d_name + n - 3, ".go") &&
            !(n > 8 && !strcmp(e->d_name + n - 8, "_test.go")))
            *(char **)ps_vec_push(names) = ps_arena_strdup(a, e->d_name);
    }
    closedir(d);
    qsort(names->data, names->len, sizeof(char *), by_name);
}

/* Was root/rel one of the files the binary was built from? */
static bool built_from(ps_patch *p, const char *rel)
{
    for (size_t i = 0; i < p->bin->go_sources.len; i++) {
        const ps_go_source *g = &PS_VEC_AT(&p->bin->go_sources, ps_go_source, i);
        const char *d = dir_of(g->file, &p->arena);
        const char *r = relative(p->root, d, &p->arena);
        const char *base = strrchr(g->file, '/');
        const char *here = !r || !base ? NULL
                           : !strcmp(r, ".") ? base + 1 : ps_arena_printf(&p->arena, "%s/%s", r, base + 1);
        if (here && !strcmp(here, rel))
            return true;
    }
    return false;
}

/* The package's folders, relative to the root. */
static void package_dirs(ps_patch *p, const ps_struct *s, const char *pkg, ps_vec *dirs,
                         bool *outside)
{
    ps_vec raw;
    ps_vec_init(&raw, sizeof(char *));
    if (s->decl_file)
        *(char **)ps_vec_push(&raw) = dir_of(s->decl_file, &p->arena);
    for (size_t i = 0; i < p->bin->go_sources.len; i++) {
        const ps_go_source *g = &PS_VEC_AT(&p->bin->go_sources, ps_go_source, i);
        if (!strcmp(g->package, pkg))
            *(char **)ps_vec_push(&raw) = dir_of(g->file, &p->arena);
    }
    const char *mod = module_of(p->root, &p->arena); /* a package of the root's module */
    size_t m = mod ? strlen(mod) : 0;
    if (m && !strncmp(pkg, mod, m) && (pkg[m] == '/' || !pkg[m]))
        *(const char **)ps_vec_push(&raw) = pkg;
    for (size_t i = 0; i < raw.len; i++) {
        const char *r = relative(p->root, PS_VEC_AT(&raw, char *, i), &p->arena);
        *outside |= !r;
        bool seen = !r;
        for (size_t k = 0; k < dirs->len && !seen; k++)
            seen = !strcmp(PS_VEC_AT(dirs, char *, k), r);
        if (!seen)
            *(const char **)ps_vec_push(dirs) = r;
    }
    ps_vec_free(&raw);
}

const char *go_locate(ps_patch *p, const ps_struct *s, const char *pkg, const char *tname,
                      go_site *out)
{
    ps_vec dirs, hits;
    ps_vec_init(&dirs, sizeof(char *));
    ps_vec_init(&hits, sizeof(go_site));
    bool outside = false;
    package_dirs(p, s, pkg, &dirs, &outside);
    const char *why = NULL;
    for (size_t i = 0; i < dirs.len && !why; i++) {
        const char *dir = PS_VEC_AT(&dirs, char *, i);
        ps_vec names;
        ps_vec_init(&names, sizeof(char *));
        go_files(p->root, dir, &names, &p->arena);
        for (size_t k = 0; k < names.len && !why; k++) {
            const char *rel = !strcmp(dir, ".") ? PS_VEC_AT(&names, char *, k)
                              : ps_arena_printf(&p->arena, "%s/%s", dir, PS_VEC_AT(&names, char *, k));
            const char *cant = NULL;
            size_t index = 0;
            const ps_source *f = ps_patch_source(p, rel, &index, &cant);
            go_site site = {.rel = rel, .dir = dir, .source = index};
            int found = f ? gs_find(f, tname, &site.def, &p->arena, &why) : 0;
            if (found > 0)
                *(go_site *)ps_vec_push(&hits) = site;
            else if (found < 0)
                *out = site;
        }
        ps_vec_free(&names);
    }
    if (!why && hits.len > 1) { /* build constraints that leave a file out */
        size_t keep = 0;
        for (size_t i = 0; i < hits.len; i++) {
            const go_site *h = &PS_VEC_AT(&hits, go_site, i);
            if (!gs_excluded(&PS_VEC_AT(&p->sources, ps_source, h->source), p->bin))
                PS_VEC_AT(&hits, go_site, keep++) = *h;
        }
        hits.len = keep ? keep : hits.len;
    }
    if (!why && hits.len > 1) {
        size_t keep = 0;
        for (size_t i = 0; i < hits.len; i++)
            if (built_from(p, PS_VEC_AT(&hits, go_site, i).rel))
                PS_VEC_AT(&hits, go_site, keep++) = PS_VEC_AT(&hits, go_site, i);
        if (keep == 1)
            hits.len = 1;
        else
            why = ps_arena_printf(&p->arena, "defined in %zu files of the package (build "
                                  "constraints?): padscan cannot tell which one was built", hits.len);
    }
    if (!why && hits.len == 1)
        *out = PS_VEC_AT(&hits, go_site, 0);
    else if (!why && outside && !dirs.len)
        why = "the package's files are outside the source root (--source-root DIR)";
    else if (!why)
        why = dirs.len ? ps_arena_printf(&p->arena, "no `type %s struct {` in the package's "
                                         "files (%s)", tname, PS_VEC_AT(&dirs, char *, 0))
                       : "no source file of its package in the binary's DWARF";
    ps_vec_free(&dirs);
    ps_vec_free(&hits);
    return why;
}
