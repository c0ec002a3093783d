/*
 * Whose record is it: the user's own, a third-party dependency's, or the
 * standard library's / the system's.  Decided here, once, from what the
 * binary says: Go's build info (main module, dependencies and their
 * replacements) and the directories of the DWARF line tables (GOROOT,
 * vendor/), and for C the declaring header's path.  Never from the look of
 * a name.  Every command selects records by this class (src/model/select.c).
 * The same build info says where the main module lies on disk: a Go
 * binary's source root (paths.c makes decl_files relative to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

typedef struct go_module {
    const char *path;
    size_t len;
    bool main;
    bool local; /* replaced by a directory on the user's disk */
} go_module;

typedef struct go_facts {
    go_module *mods;
    size_t nmods;
    bool module_mode; /* the build info names a main module */
    const char *main_pkg; /* the main package's import path ("path" line) */
    size_t main_pkg_len;
} go_facts;

/* --- DWARF directories of Go units ------------------------------------- */

static uint64_t dir_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h | 1;
}

static bool dir_seen_n(const reader *r, const char *dir, size_t n)
{
    for (uint64_t h = dir_hash(dir, n);; h += 2) {
        const char *have = ps_map_get(&r->go_dirs, h);
        if (!have)
            return false;
        if (strlen(have) == n && !memcmp(have, dir, n))
            return true;
    }
}

static void add_dir(reader *r, const char *file)
{
    const char *slash = strrchr(file, '/');
    size_t n = slash ? (size_t)(slash - file) : 0;
    if (!n || dir_seen_n(r, file, n))
        return;
    uint64_t h = dir_hash(file, n);
    while (ps_map_get(&r->go_dirs, h))
        h += 2;
    const char *copy = ps_arena_strndup(&r->bin->arena, file, n);
    ps_map_put(&r->go_dirs, h, (void *)copy);
    *(const char **)ps_vec_push(&r->go_dir_list) = copy;
}

/* Remembers the directories of a Go unit's files; the runtime's unit says
 * where GOROOT/src is ("" when -trimpath made the paths relative). */
void rd_note_go_unit(reader *r, Dwarf_Die cu)
{
    rd_node unit = {0, cu};
    cu_files *f = rd_unit_files(r, &unit);
    char *name = NULL;
    int rc = dwarf_diename(cu, &name, &r->err);
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, "unit name");
    bool runtime = rc == DW_DLV_OK && !strcmp(name, "runtime");
    for (Dwarf_Signed i = 0; i < f->count; i++) {
        const char *file = f->names[i];
        add_dir(r, file);
        const char *at = strstr(file, "runtime/");
        if (runtime && !r->goroot_src && at && (at == file || at[-1] == '/') &&
            !strchr(at + 8, '/'))
            r->goroot_src = ps_arena_strndup(&r->bin->arena, file,
                                             at == file ? 0 : (size_t)(at - file - 1));
    }
}

/* A parallel read's merge: the worker's directories (order does not
 * matter to vendored() below) and GOROOT/src if this reader has none. */
void rd_merge_go_dirs(reader *r, const reader *from)
{
    for (size_t i = 0; i < from->go_dir_list.len; i++) {
        const char *dir = PS_VEC_AT(&from->go_dir_list, const char *, i);
        size_t n = strlen(dir);
        if (n && !dir_seen_n(r, dir, n)) {
            uint64_t h = dir_hash(dir, n);
            while (ps_map_get(&r->go_dirs, h))
                h += 2;
            const char *copy = ps_arena_strndup(&r->bin->arena, dir, n);
            ps_map_put(&r->go_dirs, h, (void *)copy);
            *(const char **)ps_vec_push(&r->go_dir_list) = copy;
        }
    }
    if (!r->goroot_src && from->goroot_src)
        r->goroot_src = ps_arena_strdup(&r->bin->arena, from->goroot_src);
}

/* GOPATH mode: was package pkg compiled from a vendor/ directory (outside
 * GOROOT)? */
static bool vendored(const reader *r, const char *pkg, size_t plen)
{
    for (size_t i = 0; i < r->go_dir_list.len; i++) {
        const char *d = PS_VEC_AT(&r->go_dir_list, const char *, i);
        size_t n = strlen(d);
        if (n < plen + 7 || memcmp(d + n - plen, pkg, plen) || memcmp(d + n - plen - 7, "vendor/", 7))
            continue;
        if (n > plen + 7 && d[n - plen - 8] != '/')
            continue;
        size_t root = r->goroot_src ? strlen(r->goroot_src) : 0;
        if (r->goroot_src && n - plen - 7 == root + (root > 0) && !memcmp(d, r->goroot_src, root))
            continue; /* GOROOT/src/vendor: the standard library's own copies */
        return true;
    }
    return false;
}

/* --- build info -------------------------------------------------------- */

static bool is_local_dir(const char *p, size_t n)
{
    return (n >= 1 && p[0] == '/') || (n >= 2 && !memcmp(p, "./", 2)) ||
           (n >= 3 && !memcmp(p, "../", 3)) || (n == 1 && p[0] == '.') ||
           (n == 2 && !memcmp(p, "..", 2));
}

/* "mod\tPATH\tVERSION", "dep\tPATH\tVERSION[\tSUM]", "=>\tPATH\tVERSION..." */
static void parse_modinfo(const char *text, go_facts *g, ps_arena *a)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    g->mods = ps_arena_zalloc(a, cap * sizeof(go_module));
    for (const char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n') {
        size_t len = strcspn(line, "\n");
        const char *tab = memchr(line, '\t', len);
        if (!tab)
            continue;
        const char *v = tab + 1;
        size_t vlen = strcspn(v, "\t\n");
        size_t key = (size_t)(tab - line);
        if (key == 4 && !memcmp(line, "path", 4)) {
            g->main_pkg = ps_arena_strndup(a, v, vlen);
            g->main_pkg_len = vlen;
        } else if (key == 2 && !memcmp(line, "=>", 2) && g->nmods && !g->mods[g->nmods - 1].main)
            g->mods[g->nmods - 1].local = is_local_dir(v, vlen);
        else if ((key == 3 && !memcmp(line, "mod", 3)) || (key == 3 && !memcmp(line, "dep", 3))) {
            go_module *m = &g->mods[g->nmods++];
            m->path = ps_arena_strndup(a, v, vlen);
            m->len = vlen;
            m->main = line[0] == 'm';
            g->module_mode |= m->main;
        }
    }
}

/* The module a package belongs to: the longest module path that is the
 * package path or a prefix of it ending at a slash. */
static const go_module *module_of(const go_facts *g, const char *pkg, size_t plen)
{
    const go_module *best = NULL;
    for (size_t i = 0; i < g->nmods; i++) {
        const go_module *m = &g->mods[i];
        if (m->len <= plen && !memcmp(m->path, pkg, m->len) &&
            (m->len == plen || pkg[m->len] == '/') && (!best || m->len > best->len))
            best = m;
    }
    return best;
}

/* --- classes ------------------------------------------------------------ */

/* The package a Go record belongs to: its name's qualifier, or for a
 * struct literal type ("struct { runtime.lock runtime.mutex; ... }") the
 * first qualified field name or type in it. */
static size_t go_package(const char *name, const char **pkg)
{
    size_t n = ps_go_package_len(name);
    *pkg = name;
    if (n || strncmp(name, "struct", 6))
        return n;
    for (const char *p = name + 6; *p; p++) {
        if (strchr(" {};*[](),", *p))
            continue;
        size_t tok = strcspn(p, " {};*[](),");
        char buf[512];
        if (tok < sizeof(buf)) {
            memcpy(buf, p, tok);
            buf[tok] = '\0';
            size_t k = ps_go_package_len(buf);
            if (k) {
                *pkg = p;
                return k;
            }
        }
        p += tok - 1;
    }
    return 0;
}

static ps_class go_class(const reader *r, const go_facts *g, const char *name)
{
    const char *pkg;
    size_t plen = go_package(name, &pkg);
    if (!strcmp(name, "struct {}"))
        return PS_CLASS_STD; /* the language's own empty struct, in every binary */
    if (!plen || (plen == 4 && !memcmp(pkg, "main", 4)))
        return PS_CLASS_OWN; /* main, or nothing says whose: show it */
    if (plen == 2 && !memcmp(pkg, "go", 2))
        return PS_CLASS_STD; /* the compiler's own: go.shape.* of generic code */
    const go_module *m = module_of(g, pkg, plen);
    /* A module replaced by a directory is the user's source tree, even when
     * `go mod vendor` copied it into vendor/ for this build. */
    if (m && (m->main || m->local))
        return PS_CLASS_OWN;
    if (m)
        return PS_CLASS_DEPENDENCY;
    if (g->module_mode)
        return PS_CLASS_STD; /* in module mode every other package is GOROOT's */
    /* GOPATH mode: the line tables say where each package's files were. */
    if (r->goroot_src) {
        size_t root = strlen(r->goroot_src);
        char *dir = malloc(root + plen + 2);
        if (!dir)
            ps_xmalloc((size_t)-1);
        size_t n = root ? (size_t)sprintf(dir, "%s/", r->goroot_src) : 0;
        memcpy(dir + n, pkg, plen);
        bool std = dir_seen_n(r, dir, n + plen);
        free(dir);
        if (std)
            return PS_CLASS_STD;
    }
    return vendored(r, pkg, plen) ? PS_CLASS_DEPENDENCY : PS_CLASS_OWN;
}

static bool path_has_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    for (const char *p = path; (p = strstr(p, dir)) != NULL; p++)
        if ((p == path || p[-1] == '/') && p[n] == '/')
            return true;
    return false;
}

/* C: system and compiler headers are the system's; headers installed by
 * hand (/usr/local/include, /usr/local/lib, an include folder under /opt)
 * or kept in a third-party folder of the source tree are dependencies;
 * everything else is the user's. */
static ps_class c_class(const char *file)
{
    static const char *const system_dirs[] = {"/usr/include/", "/usr/lib/gcc/", "/usr/lib/gcc-cross/",
                                              "/usr/lib/clang/", "/usr/lib/llvm-", "/usr/lib64/clang/"};
    static const char *const dep_dirs[] = {"/usr/local/include/", "/usr/local/lib/"};
    static const char *const dep_parts[] = {"third_party", "third-party", "thirdparty", "vendor",
                                            "external", "_deps", "subprojects"};
    if (!file)
        return PS_CLASS_OWN;
    for (size_t i = 0; i < PS_ARRAY_LEN(system_dirs); i++)
        if (!strncmp(file, system_dirs[i], strlen(system_dirs[i])))
            return PS_CLASS_STD;
    for (size_t i = 0; i < PS_ARRAY_LEN(dep_dirs); i++)
        if (!strncmp(file, dep_dirs[i], strlen(dep_dirs[i])))
            return PS_CLASS_DEPENDENCY;
    if (!strncmp(file, "/opt/", 5) && path_has_dir(file, "include"))
        return PS_CLASS_DEPENDENCY;
    for (size_t i = 0; i < PS_ARRAY_LEN(dep_parts); i++)
        if (path_has_dir(file, dep_parts[i]))
            return PS_CLASS_DEPENDENCY;
    return PS_CLASS_OWN;
}

/* --- the Go source root -------------------------------------------------- */

/* Where the main module (GOPATH mode: GOPATH/src) lies on disk, as a method
 * of an own type in package pkg tells it: the method's directory without
 * the package's path below the module.  NULL when the file does not say. */
static char *root_from_site(const go_facts *g, const char *pkg, size_t plen, const char *file)
{
    if (plen == 4 && !memcmp(pkg, "main", 4)) {
        if (!g->main_pkg || !strcmp(g->main_pkg, "command-line-arguments"))
            return NULL;
        pkg = g->main_pkg;
        plen = g->main_pkg_len;
    }
    const go_module *m = module_of(g, pkg, plen);
    if (g->module_mode && (!m || !m->main))
        return NULL; /* a dependency, or a replaced module outside the root */
    const char *slash = strrchr(file, '/');
    if (file[0] != '/' || !slash)
        return NULL; /* -trimpath: already relative */
    /* module mode: "/sub/pkg" below the module (or nothing); GOPATH: "/" + pkg */
    size_t off = g->module_mode ? m->len : 0, tlen = plen - off, dir = (size_t)(slash - file);
    size_t cut = tlen + !g->module_mode;
    if (dir <= cut || memcmp(file + dir - tlen, pkg + off, tlen) || file[dir - cut] != '/')
        return NULL; /* the file is not in the package's folder */
    size_t len = dir - cut;
    char *root = ps_xmalloc(len + 1);
    memcpy(root, file, len);
    root[len] = '\0';
    return root;
}

/* The root most own types' method sites agree on (ties: the shortest
 * spelling, then byte order, so that the choice never depends on order). */
static void choose_go_root(reader *r, const go_facts *g)
{
    ps_vec cands; /* char* then its count, pairwise */
    ps_vec_init(&cands, sizeof(char *));
    ps_vec counts;
    ps_vec_init(&counts, sizeof(size_t));
    for (uint32_t i = 0; i < r->bin->structs.len; i++) {
        const ps_struct *s = ps_struct_at(r->bin, i);
        const char *pkg;
        size_t plen = s->lang == PS_LANG_GO && s->cls == PS_CLASS_OWN && s->decl_from_method
                          ? go_package(s->name, &pkg) : 0;
        char *c = plen ? root_from_site(g, pkg, plen, s->decl_file) : NULL;
        if (!c)
            continue;
        size_t k = 0;
        while (k < cands.len && strcmp(PS_VEC_AT(&cands, char *, k), c))
            k++;
        if (k == cands.len) {
            *(char **)ps_vec_push(&cands) = c;
            *(size_t *)ps_vec_push(&counts) = 0;
        } else {
            free(c);
        }
        PS_VEC_AT(&counts, size_t, k)++;
    }
    size_t best = cands.len;
    for (size_t k = 0; k < cands.len; k++) {
        const char *c = PS_VEC_AT(&cands, char *, k);
        size_t n = PS_VEC_AT(&counts, size_t, k);
        const char *b = best < cands.len ? PS_VEC_AT(&cands, char *, best) : NULL;
        size_t bn = b ? PS_VEC_AT(&counts, size_t, best) : 0;
        if (!b || n > bn || (n == bn && (strlen(c) < strlen(b) ||
                                         (strlen(c) == strlen(b) && strcmp(c, b) < 0))))
            best = k;
    }
    if (best < cands.len)
        r->go_root = rd_intern(r, PS_VEC_AT(&cands, char *, best));
    for (size_t k = 0; k < cands.len; k++)
        free(PS_VEC_AT(&cands, char *, k));
    ps_vec_free(&cands);
    ps_vec_free(&counts);
}

void rd_classify(reader *r)
{
    ps_arena tmp = {0};
    go_facts g = {0};
    const char *modinfo = r->bin->has_go ? ps_elf_go_modinfo(&r->elf, &tmp) : NULL;
    if (modinfo)
        parse_modinfo(modinfo, &g, &tmp);
    for (uint32_t i = 0; i < r->bin->structs.len; i++) {
        ps_struct *s = ps_struct_at(r->bin, i);
        s->cls = s->lang == PS_LANG_GO ? go_class(r, &g, s->name) : c_class(s->decl_file);
    }
    if (r->bin->has_go)
        choose_go_root(r, &g);
    ps_arena_free(&tmp);
}
