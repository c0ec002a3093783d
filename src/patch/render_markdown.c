/*
 * GitHub suggested changes from a patch's edits (edits.h): for each edit
 * the file (relative to the repository's top, docs/ci.md "Paths"), the line range it replaces and
 * a ```suggestion block holding the new lines.  A review bot posts each
 * block as a review comment on exactly those lines, where GitHub offers
 * "Commit suggestion".  The fence is longer than any run of backticks in
 * the new lines, so source text never ends the block.
 */
#include <string.h>

#include "edits.h"

static size_t longest_backticks(const ps_edit *e)
{
    size_t most = 0;
    for (size_t i = 0; i < e->nlines; i++)
        for (const char *p = e->lines[i]; *p; p++) {
            size_t n = 0;
            while (p[n] == '`')
                n++;
            most = n > most ? n : most;
            p += n ? n - 1 : 0;
        }
    return most;
}

static void fence(ps_strbuf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ps_sb_putc(out, '`');
}

void ps_patch_suggestions(const ps_patch *p, const ps_patch_note *n, ps_strbuf *out)
{
    for (size_t i = n->first_edit; i < n->first_edit + n->nedits; i++) {
        const ps_edit *e = &PS_VEC_AT(&p->edits, ps_edit, i);
        size_t from = out->len;
        const char *file = ps_repo_paths_get(p->paths, p->root, e->file, NULL);
        const char *tick = strchr(file, '`') ? "`` " : "`";
        const char *untick = strchr(file, '`') ? " ``" : "`";
        if (e->first == e->last)
            ps_sb_printf(out, "**%s%s%s line %u**", tick, file, untick, e->first);
        else
            ps_sb_printf(out, "**%s%s%s lines %u-%u**", tick, file, untick, e->first, e->last);
        ps_sb_printf(out, " (`%s`: %s)", e->record, e->verdict);
        ps_sb_escape_from(out, from); /* the heading stays one line */
        ps_sb_puts(out, "\n\n");
        size_t ticks = longest_backticks(e) + 1;
        ticks = ticks < 3 ? 3 : ticks;
        fence(out, ticks);
        ps_sb_puts(out, "suggestion\n");
        for (size_t k = 0; k < e->nlines; k++)
            ps_sb_printf(out, "%s\n", e->lines[k]);
        fence(out, ticks);
        ps_sb_puts(out, "\n\n");
    }
}

void ps_patch_suggestions_heading(ps_strbuf *out)
{
    ps_sb_puts(out, "\n### Suggested changes\n\nEach block replaces the lines named above it "
                    "(paths relative to the repository's top).\n\n");
}
