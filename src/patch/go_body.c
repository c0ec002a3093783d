/*
 * A struct body in a new field order (go_source.h, gf_body): each field
 * declaration with the doc comment and blank lines above it, `A, B T`
 * kept while its names stay adjacent and split otherwise (the tag on every
 * piece, the comments on the first), the lines after the last field last,
 * then aligned as gofmt aligns them (go_format.c).  Kept apart from
 * go_patch.c so that a test can render any struct in its own order and
 * compare with the source (gofmt's output must come back unchanged).
 */
#include <stdlib.h>
#include <string.h>

#include "go_source.h"

/* The lines from..to-1 of f, unchanged, to lines. */
static void verbatim(const ps_source *f, size_t from, size_t to, ps_vec *lines)
{
    for (size_t i = from; i < to; i++) {
        go_line *l = ps_vec_push(lines);
        memset(l, 0, sizeof(*l));
        l->text = f->lines[i];
    }
}

static bool blank_line(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return !*s;
}

/* The body in the new order, as lines; member k is field fof[k], name
 * nof[k] of it. */
static void reorder(const ps_source *f, const go_struct *d, const uint32_t *order, uint32_t n,
                    const uint32_t *fof, const uint32_t *nof, ps_arena *a, ps_vec *lines)
{
    bool *seen = ps_xmalloc(d->nfields + 1);
    memset(seen, 0, d->nfields + 1);
    for (uint32_t k = 0; k < n;) {
        uint32_t fi = fof[order[k]];
        const go_field *fd = &d->fields[fi];
        ps_strbuf names = {0};
        uint32_t e = k; /* names of the same declaration, adjacent in the new order */
        for (; e < n && fof[order[e]] == fi; e++)
            if (!fd->embedded)
                ps_sb_printf(&names, "%s%s", e > k ? ", " : "", fd->names[nof[order[e]]]);
        if (!seen[fi]) {
            size_t from = fd->lead;
            while (lines->len == 0 && from < fd->first && blank_line(f->lines[from]))
                from++; /* gofmt: no blank line after the brace */
            verbatim(f, from, fd->first, lines);
        }
        go_line *l = ps_vec_push(lines);
        gf_field_line(fd, fd->embedded ? NULL : ps_arena_strdup(a, names.buf), !seen[fi], l);
        if (fd->multiline)
            verbatim(f, fd->first + 1, fd->last + 1, lines);
        seen[fi] = true;
        ps_sb_free(&names);
        k = e;
    }
    verbatim(f, d->tail, d->close, lines);
    free(seen);
}

size_t gf_body(const ps_source *f, const go_struct *d, const uint32_t *order, uint32_t n,
               ps_arena *a, const char ***out)
{
    uint32_t *fof = ps_xmalloc((n + 1) * sizeof(uint32_t));
    uint32_t *nof = ps_xmalloc((n + 1) * sizeof(uint32_t));
    uint32_t k = 0;
    for (uint32_t i = 0; i < d->nfields; i++)
        for (uint32_t j = 0; j < (d->fields[i].embedded ? 1 : d->fields[i].nnames) && k < n;
             j++, k++)
            fof[k] = i, nof[k] = j;
    ps_vec lines;
    ps_vec_init(&lines, sizeof(go_line));
    reorder(f, d, order, n, fof, nof, a, &lines);
    *out = ps_xmalloc((lines.len + 1) * sizeof(char *));
    gf_render((const go_line *)lines.data, lines.len, a, *out);
    size_t count = lines.len;
    ps_vec_free(&lines);
    free(fof);
    free(nof);
    return count;
}
