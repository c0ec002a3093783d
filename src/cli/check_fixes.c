/*
 * padscan check's fixes: for the binaries checked (not saved reports, not
 * a fleet), the source patch of every record that fails a rule and has a
 * better order, built by src/patch exactly as `suggest --format patch`
 * builds it, for the SARIF writer (`fixes`) and the Markdown writer
 * (suggested changes).
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/cli.h"

/* Whether a failed result of binary names record s. */
static bool fails(const ps_check *c, const char *binary, const ps_struct *s)
{
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (x->failed && x->s && x->binary && !strcmp(x->binary, binary) &&
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
        const ps_binary *b = &inputs[k].bin;
        if (!inputs[k].has_bin)
            continue;
        const ps_suggestion **list = ps_xmalloc((b->structs.len + 1) * sizeof(*list));
        size_t m = 0;
        for (uint32_t i = 0; i < b->structs.len; i++) {
            const ps_struct *s = ps_struct_at(b, i);
            const ps_suggestion *g = ps_selected(sel, s, NULL) && fails(c, snaps[k]->source, s)
                                         ? ps_suggest(inputs[k].reorder, i) : NULL;
            if (g && g->improves)
                list[m++] = g;
        }
        ps_suggest_binary sb = {b, inputs[k].reorder, list, m, NULL, NULL, NULL, 0};
        binaries[np] = snaps[k]->source;
        patches[np++] = ps_patch_new(&sb, NULL);
        free(list);
    }
    ps_check_fixes f = {binaries, (const ps_patch *const *)patches, np};
    fw(c, &f, doc);
    for (size_t i = 0; i < np; i++)
        ps_patch_delete(patches[i]);
    free(patches);
    free(binaries);
}
