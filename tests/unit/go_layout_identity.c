/*
 * go_layout_identity [--reorder OUTDIR] FILE|DIR|@LIST...: the Go patch's
 * struct reading and gofmt alignment (src/patch/go_source.c, go_body.c,
 * go_format.c) checked on gofmt's own output (check_go_layout.py).  Every
 * top-level struct type of every .go file named (folders: no testdata/,
 * vendor/ or dot-folders; @LIST: a file of paths) is read and rendered in
 * its own field order, and a gofmt-formatted file must come back byte for
 * byte.  With --reorder each file is also written to OUTDIR (as N.go) with
 * every struct's fields in a new order (odd positions first, then even:
 * comments, blank lines and tags move, multi-name fields split), which
 * gofmt -l must accept.  Prints the counts and the first differences;
 * exit 1 on a difference or when fewer than MIN_STRUCTS were compared, 2
 * on a usage error.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "go_source.h"

enum { MIN_STRUCTS = 500, SHOW = 5 };

typedef struct totals {
    unsigned files, compared, skipped, differ;
    const char *outdir;
} totals;

typedef struct body {
    size_t open, close, n;
    const char **lines;
} body;

/* The file with each struct's body replaced, to OUTDIR/<files>.go. */
static void write_reordered(const ps_source *f, const ps_vec *bodies, totals *t)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%u.go", t->outdir, t->files);
    FILE *out = fopen(path, "w");
    if (!out)
        return;
    fprintf(out, "// %s\n", f->rel);
    for (size_t i = 0, b = 0; i < f->nlines; i++) {
        const body *x = b < bodies->len ? &PS_VEC_AT(bodies, body, b) : NULL;
        if (x && i == x->open + 1) {
            for (size_t k = 0; k < x->n; k++)
                fprintf(out, "%s\n", x->lines[k]);
            i = x->close - 1;
            b++;
            continue;
        }
        fprintf(out, "%s\n", f->lines[i]);
    }
    fclose(out);
}

/* Odd positions first, then even: neighbours part. */
static void new_order(uint32_t *order, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 1; i < n; i += 2)
        order[k++] = i;
    for (uint32_t i = 0; i < n; i += 2)
        order[k++] = i;
}

static bool ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* The name a line "type T struct {" / "T[P any] struct {" defines, or "". */
static void name_on(const char *line, char *name, size_t cap)
{
    name[0] = '\0';
    while (*line == '\t' || *line == ' ')
        line++;
    if (!strncmp(line, "type ", 5))
        line += 5;
    size_t n = 0;
    while (ident(line[n]) && n + 1 < cap)
        n++;
    size_t len = strlen(line);
    if (n && len > 8 && !strcmp(line + len - 8, "struct {"))
        snprintf(name, cap, "%.*s", (int)n, line);
}

static void check_file(const char *path, totals *t)
{
    ps_source f = {.rel = path};
    if (!ps_source_read(&f, path)) {
        ps_source_free(&f);
        return;
    }
    t->files++;
    size_t last_open = (size_t)-1;
    ps_vec bodies;
    ps_vec_init(&bodies, sizeof(body));
    ps_arena keep = {0};
    for (size_t i = 0; i < f.nlines; i++) {
        char name[256];
        name_on(f.lines[i], name, sizeof(name));
        if (!name[0])
            continue;
        ps_arena a = {0};
        go_struct d;
        const char *why = NULL;
        if (gs_find(&f, name, &d, &a, &why) == 1 && d.open != last_open &&
            !(why = gs_fields(&f, &d, &a)) && d.nfields) {
            last_open = d.open;
            uint32_t n = 0;
            for (uint32_t k = 0; k < d.nfields; k++)
                n += d.fields[k].embedded ? 1 : d.fields[k].nnames;
            uint32_t *order = ps_xmalloc((n + 1) * sizeof(uint32_t));
            for (uint32_t k = 0; k < n; k++)
                order[k] = k;
            const char **out = NULL;
            size_t m = gf_body(&f, &d, order, n, &a, &out);
            bool same = m == d.close - d.open - 1;
            for (size_t k = 0; same && k < m; k++)
                same = !strcmp(out[k], f.lines[d.open + 1 + k]);
            t->compared++;
            if (!same && t->differ++ < SHOW) {
                printf("DIFFER %s:%zu (%s):\n", path, d.open + 1, name);
                for (size_t k = 0; k < m; k++)
                    printf("  + %s\n", out[k]);
            }
            free(out);
            if (t->outdir && d.open + 1 >= (bodies.len ? PS_VEC_AT(&bodies, body, bodies.len - 1).close : 0)) {
                new_order(order, n);
                body *x = ps_vec_push(&bodies);
                x->open = d.open;
                x->close = d.close;
                x->n = gf_body(&f, &d, order, n, &keep, &x->lines);
            }
            free(order);
        } else if (why) {
            t->skipped++;
        }
        ps_arena_free(&a);
    }
    if (t->outdir)
        write_reordered(&f, &bodies, t);
    for (size_t i = 0; i < bodies.len; i++)
        free(PS_VEC_AT(&bodies, body, i).lines);
    ps_vec_free(&bodies);
    ps_arena_free(&keep);
    ps_source_free(&f);
}

static void walk(const char *dir, totals *t, int depth)
{
    DIR *d = depth < 40 ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "testdata") || !strcmp(e->d_name, "vendor"))
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        size_t n = strlen(e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path, t, depth + 1);
        else if (S_ISREG(st.st_mode) && n > 3 && !strcmp(e->d_name + n - 3, ".go"))
            check_file(path, t);
    }
    closedir(d);
}

static void list(const char *file, totals *t)
{
    ps_source f = {.rel = file};
    if (ps_source_read(&f, file))
        for (size_t i = 0; i < f.nlines; i++)
            if (f.lines[i][0])
                check_file(f.lines[i], t);
    ps_source_free(&f);
}

int main(int argc, char **argv)
{
    totals t = {0};
    int i = 1;
    if (argc > 2 && !strcmp(argv[1], "--reorder")) {
        t.outdir = argv[2];
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: go_layout_identity [--reorder OUTDIR] FILE|DIR|@LIST...\n");
        return 2;
    }
    for (; i < argc; i++) {
        struct stat st;
        if (argv[i][0] == '@')
            list(argv[i] + 1, &t);
        else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            walk(argv[i], &t, 0);
        else
            check_file(argv[i], &t);
    }
    printf("go_layout_identity: %u files, %u structs rendered, %u differ, %u not read "
           "(a reason the patch would give)\n", t.files, t.compared, t.differ, t.skipped);
    return t.differ || t.compared < MIN_STRUCTS ? 1 : 0;
}
