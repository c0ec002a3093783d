/*
 * The source patches that check's and diff's review formats carry: for a
 * binary given directly (not a saved report, not a fleet), the patch of
 * the records a predicate picks (check: those failing a rule; diff: those
 * that regressed) that have a better order, built by src/patch exactly as
 * `suggest --format patch` builds it.  check's SARIF carries them as
 * `fixes`, check's and diff's Markdown as suggested changes.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"

ps_patch *ps_input_patch(const ps_input *in, const ps_selection *sel,
                         bool (*want)(const void *ctx, const ps_struct *s), const void *ctx)
{
    if (!in->has_bin)
        return NULL;
    const ps_binary *b = &in->bin;
    const ps_suggestion **list = ps_xmalloc((b->structs.len + 1) * sizeof(*list));
    size_t m = 0;
    for (uint32_t i = 0; i < b->structs.len; i++) {
        const ps_struct *s = ps_struct_at(b, i);
        const ps_suggestion *g = ps_selected(sel, s, NULL) && want(ctx, s)
                                     ? ps_suggest(in->reorder, i) : NULL;
        if (g && g->improves)
            list[m++] = g;
    }
    ps_suggest_binary sb = {b, in->reorder, list, m, NULL, NULL, NULL, 0};
    ps_patch *p = ps_patch_new(&sb, NULL);
    free(list);
    return p;
}

typedef struct failing {
    const ps_check *c;
    const char *binary;
    ps_strindex names; /* name of a record a failed result of the binary names -> 1 */
} failing;

/* Whether a failed result of the binary names record s (name, then line). */
static bool fails(const void *ctx, const ps_struct *s)
{
    const failing *f = ctx;
    if (ps_strindex_get(&f->names, s->name) == PS_STRINDEX_NONE)
        return false;
    for (size_t i = 0; i < f->c->n; i++) {
        const ps_check_result *x = &f->c->results[i];
        if (x->failed && x->s && x->binary && !strcmp(x->binary, f->binary) &&
            x->s->decl_line == s->decl_line && !strcmp(x->s->name, s->name))
            return true;
    }
    return false;
}

void ps_check_write_fixed(ps_check_fix_writer fw, const ps_check *c, ps_input *inputs,
                          ps_snapshot *const *snaps, size_t n, const ps_selection *sel,
                          ps_strbuf *doc)
{
    const char **binaries = ps_xmalloc((n + 1) * sizeof(char *));
    ps_patch **patches = ps_xmalloc((n + 1) * sizeof(ps_patch *));
    size_t np = 0;
    for (size_t k = 0; k < n; k++) {
        failing f = {c, snaps[k]->source, {0}};
        for (size_t i = 0; i < c->n; i++)
            if (c->results[i].failed && c->results[i].s && c->results[i].binary &&
                !strcmp(c->results[i].binary, snaps[k]->source))
                ps_strindex_add(&f.names, c->results[i].s->name, 1);
        ps_patch *p = f.names.len ? ps_input_patch(&inputs[k], sel, fails, &f) : NULL;
        ps_strindex_free(&f.names);
        if (!p)
            continue;
        binaries[np] = snaps[k]->source;
        patches[np++] = p;
    }
    ps_check_fixes f = {binaries, (const ps_patch *const *)patches, np};
    fw(c, &f, doc);
    for (size_t i = 0; i < np; i++)
        ps_patch_delete(patches[i]);
    free(patches);
    free(binaries);
}
