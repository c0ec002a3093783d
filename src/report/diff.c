/*
 * padscan diff output: what changed between two builds, regressions
 * marked (a struct that grew, more padding, cache lines or pointer bytes).
 */
#include <string.h>

#include "../patch/edits.h"
#include "findings.h"
#include "json_doc.h"

static const char *const kinds[] = {
    "added", "removed", "size", "waste", "cachelines", "pointer_bytes",
    "member_added", "member_removed", "member_moved",
};

const char *diff_kind_name(ps_change_kind k)
{
    return kinds[k];
}

static void line(const ps_change *c, ps_strbuf *out)
{
    unsigned long long a = c->before, b = c->after;
    switch (c->kind) {
    case PS_CHANGE_ADDED: ps_sb_printf(out, "+ %s (%llu bytes)", c->type, b); break;
    case PS_CHANGE_REMOVED: ps_sb_printf(out, "- %s (%llu bytes)", c->type, a); break;
    case PS_CHANGE_MEMBER_ADDED: ps_sb_printf(out, "  %s: + member %s at %llu", c->type, c->member, b); break;
    case PS_CHANGE_MEMBER_REMOVED: ps_sb_printf(out, "  %s: - member %s (was at %llu)", c->type, c->member, a); break;
    case PS_CHANGE_MEMBER_MOVED: ps_sb_printf(out, "  %s: member %s moved %llu -> %llu", c->type, c->member, a, b); break;
    default:
        ps_sb_printf(out, "~ %s: %s %llu -> %llu (%+lld)", c->type, kinds[c->kind], a, b,
                     (long long)(b - a));
    }
    if (c->regression)
        ps_sb_puts(out, "  REGRESSION");
}

static void text_format(const ps_diff *d, const ps_snapshot *x, const ps_snapshot *y, ps_strbuf *out)
{
    ps_sb_printf(out, "padscan diff %s -> %s\n", x->source, y->source);
    for (size_t i = 0; i < d->n; i++) {
        line(&d->changes[i], out);
        ps_sb_putc(out, '\n');
    }
    ps_sb_printf(out, "%zu changes, %zu regressions\n", d->n, d->regressions);
}

static void json_format(const ps_diff *d, const ps_snapshot *x, const ps_snapshot *y, ps_strbuf *out)
{
    cJSON *root = json_document("diff", 0);
    cJSON_AddStringToObject(root, "old", x->source);
    cJSON_AddStringToObject(root, "new", y->source);
    cJSON_AddNumberToObject(root, "regressions", (double)d->regressions);
    cJSON *list = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < d->n; i++) {
        const ps_change *c = &d->changes[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", kinds[c->kind]);
        cJSON_AddStringToObject(o, "type", c->type);
        if (c->member)
            cJSON_AddStringToObject(o, "member", c->member);
        cJSON_AddNumberToObject(o, "before", (double)c->before);
        cJSON_AddNumberToObject(o, "after", (double)c->after);
        cJSON_AddBoolToObject(o, "regression", c->regression);
        cJSON_AddItemToArray(list, o);
    }
    json_finish(root, out);
}

static void markdown_format(const ps_diff *d, const ps_snapshot *x, const ps_snapshot *y,
                            ps_strbuf *out)
{
    ps_sb_printf(out, "## padscan diff\n\n`%s` → `%s`: %zu changes, %zu regressions.\n\n", x->source,
                 y->source, d->n, d->regressions);
    if (!d->n)
        return;
    ps_sb_puts(out, "| type | change | member | before | after | regression |\n"
                    "| --- | --- | --- | ---: | ---: | --- |\n");
    for (size_t i = 0; i < d->n; i++) {
        const ps_change *c = &d->changes[i];
        ps_sb_printf(out, "| `%s` | %s | %s | %llu | %llu | %s |\n", c->type, kinds[c->kind],
                     c->member ? c->member : "", (unsigned long long)c->before,
                     (unsigned long long)c->after, c->regression ? "**yes**" : "");
    }
}

static void github_format(const ps_diff *d, const ps_snapshot *x, const ps_snapshot *y,
                          ps_strbuf *out)
{
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < d->n; i++) {
        if (!d->changes[i].regression)
            continue;
        const ps_snap_struct *s = ps_snap_find(y, d->changes[i].type);
        ps_sb_puts(out, "::error ");
        gh_location(out, s ? s : ps_snap_find(x, d->changes[i].type), paths);
        ps_sb_puts(out, "title=padscan diff::");
        line(&d->changes[i], out);
        ps_sb_putc(out, '\n');
    }
    ps_repo_paths_free(paths);
}

void ps_diff_markdown_fixed(const ps_diff *d, const ps_snapshot *x, const ps_snapshot *y,
                            const ps_patch *p, ps_strbuf *out)
{
    markdown_format(d, x, y, out);
    bool any = false;
    for (size_t i = 0; p && i < p->notes.len; i++) {
        const ps_patch_note *n = &PS_VEC_AT(&p->notes, ps_patch_note, i);
        if (n->skipped || !n->nedits)
            continue;
        if (!any)
            ps_patch_suggestions_heading(out);
        any = true;
        ps_patch_suggestions(p, n, out);
    }
}

/* The one list of diff's formats: --format accepts exactly these names. */
static const struct { const char *name; ps_diff_writer fn; } formats[] = {
    {"text", text_format}, {"json", json_format}, {"markdown", markdown_format},
    {"github", github_format}, {"codequality", diff_codequality},
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

ps_diff_writer ps_diff_format(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcmp(name, formats[i].name))
            return formats[i].fn;
    return NULL;
}

const char *const *ps_diff_format_names(void)
{
    static const char *names[NFORMATS + 1];
    for (size_t i = 0; i < NFORMATS; i++)
        names[i] = formats[i].name;
    return names;
}
