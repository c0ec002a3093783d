/*
 * padscan suggest --format patch --write: the edits (edits.h) made in
 * place, all files or none.  Every edited file's new text is written to a
 * temporary file beside it before any file is replaced, so a failure (a
 * full disk, a file-size limit, a folder that takes no new file, a target
 * that is no longer a regular file) removes the temporary files and leaves
 * every source as it was.  Two binaries editing one file differently is
 * an error too, found before anything is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edits.h"

typedef struct target {
    char *path;     /* root/rel */
    const char *rel;
    ps_strbuf text;
} target;

/* Adds the changed sources of p; -1 with err on a conflict. */
static int collect(const ps_patch *p, ps_vec *targets, ps_arena *a, char *err, size_t errlen)
{
    for (size_t k = 0; k < p->sources.len; k++) {
        if (!ps_patch_changes(p, k))
            continue;
        const char *rel = PS_VEC_AT(&p->sources, ps_source, k).rel;
        target t = {ps_arena_printf(a, "%s/%s", p->root, rel), ps_arena_strdup(a, rel), {0}};
        ps_patch_apply(p, k, &t.text);
        struct stat st;
        if (stat(t.path, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "%s: cannot write: no longer a regular file", t.path);
            ps_sb_free(&t.text);
            return -1;
        }
        bool seen = false;
        for (size_t i = 0; i < targets->len && !seen; i++) {
            target *o = &PS_VEC_AT(targets, target, i);
            if (strcmp(o->path, t.path))
                continue;
            seen = true;
            if (o->text.len != t.text.len || memcmp(o->text.buf, t.text.buf, t.text.len)) {
                snprintf(err, errlen, "%s: cannot write: two binaries edit it differently "
                         "(patch one binary at a time)", t.path);
                ps_sb_free(&t.text);
                return -1;
            }
        }
        if (seen)
            ps_sb_free(&t.text);
        else
            *(target *)ps_vec_push(targets) = t;
    }
    return 0;
}

int ps_patch_write(const ps_suggest_report *r, ps_strbuf *out, char *err, size_t errlen)
{
    ps_vec targets;
    ps_vec_init(&targets, sizeof(target));
    ps_arena arena = {0};
    int rc = 0;
    for (size_t i = 0; i < r->n && rc == 0; i++) {
        ps_patch p;
        ps_patch_build(&p, &r->bins[i], r->fleet);
        ps_patch_binary_line(r, i, out);
        ps_patch_notes(&p, out);
        rc = collect(&p, &targets, &arena, err, errlen);
        ps_patch_free(&p);
    }
    size_t n = targets.len;
    const char **paths = ps_xmalloc((n + 1) * sizeof(char *));
    const char **data = ps_xmalloc((n + 1) * sizeof(char *));
    size_t *lens = ps_xmalloc((n + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        target *t = &PS_VEC_AT(&targets, target, i);
        paths[i] = t->path;
        data[i] = t->text.buf ? t->text.buf : "";
        lens[i] = t->text.len;
    }
    if (rc == 0 && n)
        rc = ps_write_files_atomic(paths, data, lens, n, err, errlen);
    for (size_t i = 0; i < n; i++) {
        target *t = &PS_VEC_AT(&targets, target, i);
        if (rc == 0)
            ps_sb_printf(out, "padscan: wrote %s\n", t->rel);
        ps_sb_free(&t->text);
    }
    free(paths);
    free(data);
    free(lens);
    ps_vec_free(&targets);
    ps_arena_free(&arena);
    return rc;
}
