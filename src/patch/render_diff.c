/*
 * The unified diff of a patch (edits.h): what `git apply` takes, run at
 * the top of the repository (file names as ps_repo_path gives them:
 * docs/ci.md, "Paths").  Each edit becomes runs of changed lines (an edit of
 * as many lines as it replaces is compared line by line, so lines that
 * stay put are context; another is one run, its common head and tail
 * trimmed); runs up to five unchanged lines apart share a hunk, with
 * three lines of context around.
 */
#include <stdlib.h>
#include <string.h>

#include "edits.h"

typedef struct run {
    size_t old, nold;          /* 0-based old lines [old, old + nold) */
    const char *const *lines;  /* replaced by these */
    size_t nnew;
} run;

static void runs_of(const ps_source *f, const ps_edit *e, ps_vec *runs)
{
    size_t old = e->first - 1, nold = (size_t)(e->last - e->first) + 1;
    const char *const *lines = e->lines;
    size_t nnew = e->nlines;
    if (nnew == nold) {
        for (size_t j = 0; j < nold;) {
            if (!strcmp(lines[j], f->lines[old + j])) {
                j++;
                continue;
            }
            size_t k = j;
            while (k < nold && strcmp(lines[k], f->lines[old + k]))
                k++;
            *(run *)ps_vec_push(runs) = (run){old + j, k - j, lines + j, k - j};
            j = k;
        }
        return;
    }
    while (nold && nnew && !strcmp(lines[0], f->lines[old]))
        old++, nold--, lines++, nnew--;
    while (nold && nnew && !strcmp(lines[nnew - 1], f->lines[old + nold - 1]))
        nold--, nnew--;
    *(run *)ps_vec_push(runs) = (run){old, nold, lines, nnew};
}

static void put(ps_strbuf *out, char mark, const char *text, bool last_without_newline)
{
    ps_sb_printf(out, "%c%s\n", mark, text);
    if (last_without_newline)
        ps_sb_puts(out, "\\ No newline at end of file\n");
}

static void context(ps_strbuf *out, const ps_source *f, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++)
        put(out, ' ', f->lines[j], j + 1 == f->nlines && !f->final_newline);
}

/* Runs r[0..n) as one hunk; *delta: new minus old lines before it. */
static void hunk(ps_strbuf *out, const ps_source *f, const run *r, size_t n, long long *delta)
{
    size_t from = r[0].old >= 3 ? r[0].old - 3 : 0;
    size_t end = r[n - 1].old + r[n - 1].nold;
    size_t to = end + 3 < f->nlines ? end + 3 : f->nlines;
    long long grow = 0;
    for (size_t i = 0; i < n; i++)
        grow += (long long)r[i].nnew - (long long)r[i].nold;
    ps_sb_printf(out, "@@ -%zu,%zu +%lld,%lld @@\n", from + 1, to - from,
                 (long long)from + 1 + *delta, (long long)(to - from) + grow);
    size_t j = from;
    for (size_t i = 0; i < n; i++) {
        context(out, f, j, r[i].old);
        bool at_end = r[i].old + r[i].nold == f->nlines && !f->final_newline;
        for (size_t x = 0; x < r[i].nold; x++)
            put(out, '-', f->lines[r[i].old + x], at_end && x + 1 == r[i].nold);
        for (size_t x = 0; x < r[i].nnew; x++)
            put(out, '+', r[i].lines[x], at_end && x + 1 == r[i].nnew);
        j = r[i].old + r[i].nold;
    }
    context(out, f, j, to);
    *delta += grow;
}

static void diff_source(const ps_patch *p, size_t i, ps_strbuf *out)
{
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, i);
    const ps_edit **edits = ps_xmalloc((p->edits.len + 1) * sizeof(*edits));
    size_t n = ps_patch_edits_of(p, i, edits);
    ps_vec runs;
    ps_vec_init(&runs, sizeof(run));
    for (size_t k = 0; k < n; k++)
        runs_of(f, edits[k], &runs);
    free(edits);
    const char *path = ps_repo_paths_get(p->paths, p->root, f->rel, NULL);
    ps_sb_printf(out, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", path, path, path, path);
    const run *r = runs.data;
    long long delta = 0;
    for (size_t a = 0; a < runs.len;) {
        size_t b = a + 1;
        while (b < runs.len && r[b].old <= r[b - 1].old + r[b - 1].nold + 5)
            b++;
        hunk(out, f, r + a, b - a, &delta);
        a = b;
    }
    ps_vec_free(&runs);
}

void ps_patch_diff(const ps_patch *p, ps_strbuf *out)
{
    for (size_t i = 0; i < p->sources.len; i++)
        if (ps_patch_changes(p, i))
            diff_source(p, i, out);
}
