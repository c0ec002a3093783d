/*
 * Unkeyed composite literals (`T{a, b}`, `&T{a, b}`, `[]T{{a, b}}`,
 * `map[K]T{k: {a, b}}`) change meaning when T's fields move: the Go patch
 * refuses such records.  Every .go file of the module is searched (the
 * folder holding go.mod above the package, tests included; no vendor/,
 * testdata/ or dot-folders; at most MAX_FILES files): in the package's own
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

/* After the bracket matching *p, or NULL. */
static const char *matching(const char *p)
{
    int d = 0;
    for (; *p; p++) {
        d += (*p == '[' || *p == '(' || *p == '{') - (*p == ']' || *p == ')' || *p == '}');
        if (d == 0)
            return p + 1;
    }
    return NULL;
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
    const char *end = matching(p);
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
        if (*q == '[' && !(q = matching(q)))
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

typedef struct walk_ctx {
    const char *pkgdir, *name;
    size_t root_len;
    unsigned files;
    ps_strbuf *where;
} walk_ctx;

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

static bool walk(walk_ctx *c, const char *dir, int depth)
{
    DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return false;
    bool hit = false, own = !strcmp(dir, c->pkgdir);
    for (struct dirent *e; !hit && c->files < MAX_FILES && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        ps_strbuf path = {0};
        ps_sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path.buf, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!skipped_dir(e->d_name))
                hit = walk(c, path.buf, depth + 1);
        } else if (S_ISREG(st.st_mode) && go_file(e->d_name)) {
            c->files++;
            ps_source f = {0};
            unsigned line = 0;
            if (ps_source_read(&f, path.buf)) {
                char *shape = gs_shape(&f);
                hit = search(shape, c->name, own, &line);
                free(shape);
            }
            ps_source_free(&f);
            if (hit)
                ps_sb_printf(c->where, "%s:%u", path.buf + c->root_len + 1, line);
        }
        ps_sb_free(&path);
    }
    closedir(d);
    return hit;
}

bool gl_unkeyed(const char *root, const char *pkgdir, const char *name, ps_strbuf *where)
{
    walk_ctx c = {.pkgdir = pkgdir, .name = name, .root_len = strlen(root), .where = where};
    return walk(&c, root, 0);
}
