/*
 * Unkeyed composite literals (`T{a, b}`, `&T{a, b}`, `[]T{{a, b}}`,
 * `map[K]T{k: {a, b}}`) change meaning when T's fields move: the Go patch
 * refuses such records.  Every .go file of the module is searched (the
 * folder holding go.mod above the package, tests included; no vendor/,
 * testdata/ or dot-folders; at most MAX_FILES files, read once per patch):
 * in the package's own
 * folder T is written bare, elsewhere qualified (`pkg.T`).  Keyed (`T{A:
 * 1}`) and empty (`T{}`) literals are fine.  gofmt writes no space
 * between a literal's type and its brace, and one before a block's brace.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "go_source.h"

enum { MAX_FILES = 20000, MAX_DEPTH = 32 };
#define MAX_KEPT ((size_t)256 << 20) /* shapes kept in memory; the rest read again */

static bool ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || (c & 0x80);
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}


/* '{' at p: is its first element unkeyed? */
static bool unkeyed_at(const char *p)
{
    const char *q = skip_space(p + 1);
    if (*q == '}')
        return false;
    const char *e = q;
    while (ident(*e))
        e++;
    e = skip_space(e);
    return !(e > q && *e == ':' && e[1] != '=');
}

/* '{' of a slice, array or map of T: does an element spell T unkeyed? */
static bool elements_unkeyed(const char *p)
{
    const char *end = gs_matching(p);
    if (!end)
        return false;
    for (const char *q = p + 1; q < end - 1;) {
        const char *v = skip_space(q);
        const char *e = v;
        int d = 0;
        for (; e < end - 1 && !(d == 0 && *e == ','); e++) {
            if (d == 0 && *e == ':')
                v = skip_space(e + 1); /* a key: the value follows */
            d += (*e == '[' || *e == '(' || *e == '{') - (*e == ']' || *e == ')' || *e == '}');
        }
        if (*v == '{' && unkeyed_at(v))
            return true;
        q = e + 1;
    }
    return false;
}

/* Does shape (a file's code) build name unkeyed?  own: the type's package. */
static bool search(const char *shape, const char *name, bool own, unsigned *line)
{
    size_t n = strlen(name);
    for (const char *p = strstr(shape, name); p; p = strstr(p + 1, name)) {
        if ((p > shape && ident(p[-1])) || ident(p[n]))
            continue;
        bool qualified = p > shape + 1 && p[-1] == '.' && ident(p[-2]);
        if (own ? (p > shape && p[-1] == '.') : !qualified)
            continue;
        const char *q = p + n;
        if (*q == '[' && !(q = gs_matching(q)))
            continue;
        if (*q != '{')
            continue;
        const char *t = p - (qualified ? 1 : 0);
        while (qualified && t > shape && ident(t[-1]))
            t--;
        while (t > shape && t[-1] == '*')
            t--;
        bool hit = t > shape && t[-1] == ']' ? elements_unkeyed(q) : unkeyed_at(q);
        if (hit) {
            *line = 1;
            for (const char *c = shape; c < p; c++)
                *line += *c == '\n';
            return true;
        }
    }
    return false;
}

/* The module's files, read once per patch (go_source.h, gl_tree). */
typedef struct gl_file {
    char *path, *dir; /* absolute; dir: the file's folder */
    char *shape;      /* gs_shape, or NULL past MAX_KEPT bytes (read again) */
} gl_file;

typedef struct gl_root {
    char *root;
    ps_vec files; /* gl_file */
} gl_root;

struct gl_tree {
    ps_vec roots; /* gl_root */
    size_t kept;  /* bytes of shapes kept */
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(ps_xmalloc(n), s, n);
}

static bool go_file(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && !strcmp(name + n - 3, ".go");
}

static bool skipped_dir(const char *name)
{
    return name[0] == '.' || name[0] == '_' || !strcmp(name, "vendor") ||
           !strcmp(name, "testdata");
}

static char *shape_of(const char *path)
{
    ps_source f = {0};
    char *shape = ps_source_read(&f, path) ? gs_shape(&f) : NULL;
    ps_source_free(&f);
    return shape;
}

static void walk(gl_tree *t, gl_root *r, const char *dir, int depth)
{
    DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; r->files.len < MAX_FILES && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        ps_strbuf path = {0};
        ps_sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path.buf, &st) != 0) {
            /* gone meanwhile: nothing to search */
        } else if (S_ISDIR(st.st_mode)) {
            if (!skipped_dir(e->d_name))
                walk(t, r, path.buf, depth + 1);
        } else if (S_ISREG(st.st_mode) && go_file(e->d_name)) {
            gl_file *f = ps_vec_push(&r->files);
            f->path = dup(path.buf);
            f->dir = dup(dir);
            f->shape = t->kept < MAX_KEPT ? shape_of(path.buf) : NULL;
            t->kept += f->shape ? strlen(f->shape) : 0;
        }
        ps_sb_free(&path);
    }
    closedir(d);
}

static gl_root *root_of(gl_tree **tree, const char *root)
{
    if (!*tree) {
        *tree = ps_xmalloc(sizeof(gl_tree));
        memset(*tree, 0, sizeof(gl_tree));
        ps_vec_init(&(*tree)->roots, sizeof(gl_root));
    }
    gl_tree *t = *tree;
    for (size_t i = 0; i < t->roots.len; i++)
        if (!strcmp(PS_VEC_AT(&t->roots, gl_root, i).root, root))
            return &PS_VEC_AT(&t->roots, gl_root, i);
    gl_root *r = ps_vec_push(&t->roots);
    r->root = dup(root);
    ps_vec_init(&r->files, sizeof(gl_file));
    walk(t, r, root, 0);
    return r;
}

bool gl_unkeyed(gl_tree **tree, const char *root, const char *pkgdir, const char *name,
                ps_strbuf *where)
{
    gl_root *r = root_of(tree, root);
    for (size_t i = 0; i < r->files.len; i++) {
        const gl_file *f = &PS_VEC_AT(&r->files, gl_file, i);
        char *again = f->shape ? NULL : shape_of(f->path);
        const char *shape = f->shape ? f->shape : again;
        unsigned line = 0;
        bool hit = shape && search(shape, name, !strcmp(f->dir, pkgdir), &line);
        free(again);
        if (hit) {
            ps_sb_printf(where, "%s:%u", f->path + strlen(root) + 1, line);
            return true;
        }
    }
    return false;
}

void gl_tree_free(gl_tree *t)
{
    for (size_t i = 0; t && i < t->roots.len; i++) {
        gl_root *r = &PS_VEC_AT(&t->roots, gl_root, i);
        for (size_t k = 0; k < r->files.len; k++) {
            gl_file *f = &PS_VEC_AT(&r->files, gl_file, k);
            free(f->path);
            free(f->dir);
            free(f->shape);
        }
        ps_vec_free(&r->files);
        free(r->root);
    }
    if (t)
        ps_vec_free(&t->roots);
    free(t);
}
