/*
 * Records built with positional initializers (`struct point p = {1, 2};`,
 * `(struct point){1, 2}`) change meaning when their members move: the
 * patch refuses them.  The C sources under the source root are searched
 * (files ending .c/.h, no dot-folders, at most MAX_FILES files of at most
 * MAX_BYTES bytes each), read once per patch (ps_c_tree) however many
 * records ask; designated (`{.x = 1}`), empty and `{0}` initializers are
 * safe.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "c_patch.h"

enum { MAX_FILES = 20000, MAX_BYTES = 16 << 20, MAX_DEPTH = 32 };
/* Texts kept in memory up to this many bytes; files past it are read
 * again for each record. */
#define MAX_KEPT ((size_t)256 << 20)

static bool word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '_'; }

/* After '{': positional unless the first element is designated, empty or
 * the lone 0 of `{0}`. */
static bool positional_braces(const char *p)
{
    while (*p == '{' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '.' || *p == '[' || *p == '}')
        return false;
    if (*p == '0') {
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q == '}')
            return false;
    }
    return true;
}

/* Does text use ctype with a positional initializer?  Sets *line. */
static bool uses_positional(const char *text, const char *ctype, unsigned *line)
{
    size_t n = strlen(ctype);
    for (const char *p = strstr(text, ctype); p; p = strstr(p + 1, ctype)) {
        if ((p > text && word(p[-1])) || word(p[n]))
            continue;
        const char *q = p + n;
        if (*q == ' ' || *q == ')') {
            /* compound literal: (struct point){ ... */
            const char *c = q;
            while (*c == ' ')
                c++;
            if (*c == ')') {
                c++;
                while (*c == ' ')
                    c++;
                if (*c == '{' && positional_braces(c + 1))
                    goto found;
                continue;
            }
        }
        /* declaration: struct point name[...] = { ... ; stop at ';' '(' '{' */
        for (int depth = 0; *q && *q != ';' && *q != '{' && !(depth == 0 && *q == '('); q++) {
            depth += (*q == '[') - (*q == ']');
            if (*q == '=' && depth == 0) {
                const char *c = q + 1;
                while (*c == ' ' || *c == '\t' || *c == '\n')
                    c++;
                if (*c == '{' && positional_braces(c + 1))
                    goto found;
                break;
            }
        }
        continue;
found:
        *line = 1;
        for (const char *l = text; l < p; l++)
            *line += *l == '\n';
        return true;
    }
    return false;
}

static char *slurp(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_BYTES)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = ps_xmalloc((size_t)st.st_size + 1);
    size_t len = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static bool c_source(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

typedef struct c_file {
    char *path, *text; /* text NULL: past MAX_KEPT, read when needed */
} c_file;

struct ps_c_tree {
    ps_vec files; /* c_file */
    size_t kept;  /* bytes of text held */
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(ps_xmalloc(n), s, n);
}

static void walk(const char *dir, int depth, ps_c_tree *tree)
{
    ps_vec *files = &tree->files;
    DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; files->len < MAX_FILES && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        ps_strbuf path = {0};
        ps_sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        bool ok = lstat(path.buf, &st) == 0;
        if (ok && S_ISDIR(st.st_mode)) {
            walk(path.buf, depth + 1, tree);
        } else if (ok && S_ISREG(st.st_mode) && c_source(e->d_name)) {
            char *text = tree->kept < MAX_KEPT ? slurp(path.buf) : NULL;
            tree->kept += text ? strlen(text) : 0;
            *(c_file *)ps_vec_push(files) = (c_file){dup(path.buf), text};
        }
        ps_sb_free(&path);
    }
    closedir(d);
}

bool ps_positional_init(ps_c_tree **tree, const char *root, const char *ctype, ps_strbuf *where)
{
    if (!*tree) {
        *tree = ps_xmalloc(sizeof(**tree));
        (*tree)->kept = 0;
        ps_vec_init(&(*tree)->files, sizeof(c_file));
        walk(root, 0, *tree);
    }
    bool hit = false;
    for (size_t i = 0; i < (*tree)->files.len && !hit; i++) {
        const c_file *f = &PS_VEC_AT(&(*tree)->files, c_file, i);
        char *text = f->text ? f->text : slurp(f->path);
        unsigned line = 0;
        if (text && uses_positional(text, ctype, &line)) {
            ps_sb_printf(where, "%s:%u", f->path + strlen(root) + 1, line);
            hit = true;
        }
        if (text != f->text)
            free(text);
    }
    return hit;
}

void ps_c_tree_free(ps_c_tree *tree)
{
    for (size_t i = 0; tree && i < tree->files.len; i++) {
        free(PS_VEC_AT(&tree->files, c_file, i).path);
        free(PS_VEC_AT(&tree->files, c_file, i).text);
    }
    if (tree)
        ps_vec_free(&tree->files);
    free(tree);
}
