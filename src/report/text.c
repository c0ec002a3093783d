/*
 * The human-readable layout, in the spirit of pahole: each member with its
 * offset and size, holes and cache-line boundaries where they fall, and a
 * summary line per record and per binary.
 */
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "padscan/report.h"

enum { DECL_COLUMN = 44 };

typedef struct text_ctx {
    ps_strbuf *out;
    const ps_binary *bin;
    const ps_struct *s;
    const ps_layout *l;
    unsigned cacheline;
    const char *open, *close; /* comment delimiters of the language */
    /* holes and bit holes grouped by the member they follow (key 0: before
     * the first member, key i + 1: after member i, n + 1: none), and those
     * crossing a cache line: listing stays linear in members */
    uint32_t *hole_start, *hole_idx, *bit_start, *bit_idx;
    uint8_t *straddle;
    ps_repo_paths *paths; /* the declaration's file as the repository names it */
} text_ctx;

static uint32_t *group_by_member(const uint32_t *after, uint32_t count, uint32_t n,
                                 uint32_t **idx)
{
    uint32_t *start = calloc((size_t)n + 3, sizeof(uint32_t));
    *idx = calloc((size_t)count + 1, sizeof(uint32_t));
    if (!start || !*idx)
        ps_xmalloc((size_t)-1);
    for (uint32_t k = 0; k < count; k++)
        start[(after[k] == PS_NONE ? 0 : after[k] + 1) + 1]++;
    for (uint32_t key = 0; key <= n + 1; key++)
        start[key + 1] += start[key];
    uint32_t *fill = calloc((size_t)n + 2, sizeof(uint32_t));
    if (!fill)
        ps_xmalloc((size_t)-1);
    for (uint32_t k = 0; k < count; k++) { /* stable: same order as before */
        uint32_t key = after[k] == PS_NONE ? 0 : after[k] + 1;
        (*idx)[start[key] + fill[key]++] = k;
    }
    free(fill);
    return start;
}

static void index_layout(text_ctx *t)
{
    const ps_layout *l = t->l;
    uint32_t n = t->s->nmembers, most = l->nholes > l->nbit_holes ? l->nholes : l->nbit_holes;
    uint32_t *after = calloc((size_t)most + 1, sizeof(uint32_t));
    t->straddle = calloc((size_t)n + 1, 1);
    if (!after || !t->straddle)
        ps_xmalloc((size_t)-1);
    for (uint32_t k = 0; k < l->nholes; k++)
        after[k] = l->holes[k].after < n || l->holes[k].after == PS_NONE ? l->holes[k].after : n;
    t->hole_start = group_by_member(after, l->nholes, n, &t->hole_idx);
    for (uint32_t k = 0; k < l->nbit_holes; k++)
        after[k] = l->bit_holes[k].after < n || l->bit_holes[k].after == PS_NONE ? l->bit_holes[k].after : n;
    t->bit_start = group_by_member(after, l->nbit_holes, n, &t->bit_idx);
    for (uint32_t k = 0; k < l->nstraddles; k++)
        if (l->straddles[k] < n)
            t->straddle[l->straddles[k]] = 1;
    free(after);
}

static void unindex_layout(text_ctx *t)
{
    free(t->hole_start);
    free(t->hole_idx);
    free(t->bit_start);
    free(t->bit_idx);
    free(t->straddle);
}

static void comment_line(text_ctx *t, const char *fmt, const char *arg, uint64_t n)
{
    ps_sb_printf(t->out, "\t%s ", t->open);
    ps_sb_printf(t->out, fmt, (unsigned long long)n, arg);
    ps_sb_printf(t->out, "%s%s\n", *t->close ? " " : "", t->close);
}

static void header(text_ctx *t)
{
    const ps_struct *s = t->s;
    size_t from = t->out->len; /* names never split a line */
    if (s->lang == PS_LANG_GO)
        ps_sb_printf(t->out, "type %s %s {", s->name, s->is_union ? "union" : "struct");
    else if (s->cxx)
        ps_sb_printf(t->out, "%s %s {", s->is_union ? "union" : "struct", s->name);
    else if (s->ctype && s->ctype != s->name)
        ps_sb_printf(t->out, "%s {", s->ctype);
    else if (s->ctype)
        ps_sb_printf(t->out, "typedef %s {", s->is_union ? "union" : "struct");
    else
        ps_sb_printf(t->out, "%s %s {", s->is_union ? "union" : "struct", s->name);
    if (s->decl_file) {
        ps_sb_pad(t->out, DECL_COLUMN + 8);
        ps_sb_printf(t->out, "%s %s", t->open,
                     ps_repo_paths_get(t->paths, t->bin->source_root, s->decl_file, NULL));
        if (s->decl_line)
            ps_sb_printf(t->out, ":%u", s->decl_line);
        ps_sb_printf(t->out, " %s", t->close);
    }
    ps_sb_escape_from(t->out, from);
    ps_sb_putc(t->out, '\n');
}

static bool straddles(const text_ctx *t, uint32_t i)
{
    return t->straddle[i];
}

static void member_line(text_ctx *t, uint32_t i, uint64_t *line)
{
    const ps_member *m = &ps_members_of(t->bin, t->s)[i];
    uint64_t off = m->bit_pos / 8;
    if (!t->s->is_union && off / t->cacheline > *line) {
        *line = off / t->cacheline;
        ps_sb_printf(t->out, "\t%s --- cacheline %llu boundary (%llu bytes) ---%s%s\n", t->open,
                     (unsigned long long)*line, (unsigned long long)(*line * t->cacheline), *t->close ? " " : "",
                     t->close);
    }
    ps_sb_putc(t->out, '\t');
    size_t from = t->out->len;
    ps_member_decl(m, t->s->lang, t->out);
    ps_sb_escape_from(t->out, from);
    if (t->s->lang == PS_LANG_C)
        ps_sb_putc(t->out, ';');
    ps_sb_pad(t->out, DECL_COLUMN);
    if (m->bit_size)
        ps_sb_printf(t->out, "%s %5llu:%-2u %4llu", t->open, (unsigned long long)off,
                     (unsigned)(m->bit_pos % 8), (unsigned long long)m->size);
    else
        ps_sb_printf(t->out, "%s %8llu %4llu", t->open, (unsigned long long)off,
                     (unsigned long long)m->size);
    ps_sb_printf(t->out, "%s%s%s\n", straddles(t, i) ? " straddles a cache line" : "",
                 *t->close ? " " : "", t->close);
}

static void gaps_after(text_ctx *t, uint32_t i)
{
    uint32_t key = i == PS_NONE ? 0 : i + 1;
    for (uint32_t j = t->bit_start[key]; j < t->bit_start[key + 1]; j++) {
        const ps_bit_hole *h = &t->l->bit_holes[t->bit_idx[j]];
        comment_line(t, "XXX %llu bit%s hole", h->bits == 1 ? "" : "s", h->bits);
    }
    for (uint32_t j = t->hole_start[key]; j < t->hole_start[key + 1]; j++) {
        const ps_hole *h = &t->l->holes[t->hole_idx[j]];
        comment_line(t, "XXX %llu byte%s hole", h->size == 1 ? "" : "s", h->size);
    }
}

static void summary(text_ctx *t)
{
    const ps_layout *l = t->l;
    char pct[FIGURE_CHARS];
    if (l->bit_padding)
        comment_line(t, "XXX %llu bit%s bit padding", l->bit_padding == 1 ? "" : "s",
                     l->bit_padding);
    if (l->tail_padding)
        comment_line(t, "XXX %llu byte%s tail padding", l->tail_padding == 1 ? "" : "s",
                     l->tail_padding);
    ps_sb_printf(t->out, "\t%s size: %llu, align: %u, members: %u, cachelines: %llu", t->open,
                 (unsigned long long)l->size, t->s->align, t->s->nmembers,
                 (unsigned long long)l->cachelines);
    if (t->s->lang == PS_LANG_GO)
        ps_sb_printf(t->out, ", pointer bytes: %llu", (unsigned long long)t->s->ptr_bytes);
    if (t->s->packed)
        ps_sb_puts(t->out, ", packed");
    ps_sb_printf(t->out, ", class: %s", ps_class_name(t->s->cls));
    ps_sb_printf(t->out, "%s%s\n\t%s holes: %u (%llu bytes), bit holes: %u (%llu bits), "
                 "bit padding: %llu bits, tail padding: %llu, waste: %llu bytes (%s)%s%s\n",
                 *t->close ? " " : "", t->close, t->open, l->nholes, (unsigned long long)l->hole_bytes, l->nbit_holes,
                 (unsigned long long)l->bit_hole_bits, (unsigned long long)l->bit_padding,
                 (unsigned long long)l->tail_padding,
                 (unsigned long long)l->waste, record_percent(pct, l->waste, l->size),
                 *t->close ? " " : "", t->close);
    if (l->shared_sync_lines)
        ps_sb_printf(t->out, "\t%s false sharing risk: %u %u-byte window%s of the object hold%s two "
                     "or more synchronization fields (Go and malloc do not align heap objects to "
                     "cache lines, so windows are the object's own)%s%s\n", t->open,
                     l->shared_sync_lines, t->cacheline, l->shared_sync_lines == 1 ? "" : "s",
                     l->shared_sync_lines == 1 ? "s" : "", *t->close ? " " : "", t->close);
}

static void record_text(text_ctx *t)
{
    header(t);
    index_layout(t);
    uint64_t line = 0;
    gaps_after(t, PS_NONE);
    for (uint32_t i = 0; i < t->s->nmembers; i++) {
        member_line(t, i, &line);
        gaps_after(t, i);
    }
    unindex_layout(t);
    summary(t);
    if (t->s->lang == PS_LANG_GO)
        ps_sb_puts(t->out, "}\n\n");
    else if (t->s->ctype && t->s->ctype == t->s->name && !t->s->cxx) {
        size_t from = t->out->len;
        ps_sb_printf(t->out, "} %s;", t->s->name);
        ps_sb_escape_from(t->out, from);
        ps_sb_puts(t->out, "\n\n");
    }
    else
        ps_sb_puts(t->out, "};\n\n");
}

static void binary_text(const ps_report *r, const ps_report_binary *rb, ps_repo_paths *paths,
                        ps_strbuf *out)
{
    uint64_t size = 0, waste = 0, base = 0, base_waste = 0;
    size_t huge = 0;
    for (size_t i = 0; i < rb->n; i++) {
        const ps_struct *s = ps_struct_at(rb->bin, rb->layouts[i].record);
        bool go = s->lang == PS_LANG_GO;
        text_ctx t = {out, rb->bin, s, &rb->layouts[i], r->cacheline, go ? "//" : "/*",
                      go ? "" : "*/", NULL, NULL, NULL, NULL, NULL, paths};
        record_text(&t);
        size += rb->layouts[i].size;
        waste += rb->layouts[i].waste;
        huge += rb->layouts[i].size >= HUGE_RECORD;
        base += rb->layouts[i].size < HUGE_RECORD ? rb->layouts[i].size : 0;
        base_waste += rb->layouts[i].size < HUGE_RECORD ? rb->layouts[i].waste : 0;
    }
    char pct[FIGURE_CHARS];
    size_t from = out->len;
    ps_sb_puts(out, rb->bin->path);
    ps_sb_escape_from(out, from); /* a path never splits the summary line */
    ps_sb_printf(out, " (%s%s%s): %zu records, %llu bytes, %llu bytes of padding (%s",
                 ps_arch_name(rb->bin->arch),
                 rb->bin->go_version ? ", " : "", rb->bin->go_version ? rb->bin->go_version : "",
                 rb->n, (unsigned long long)size, (unsigned long long)waste,
                 base ? percent_of(pct, base_waste, base) : "n/a");
    if (huge) /* a runtime arena would make the share meaningless */
        ps_sb_printf(out, " of the records under 1 MiB; %zu larger left out", huge);
    ps_sb_puts(out, ")");
    if (rb->selected > rb->n) /* the totals are the shown records' only */
        ps_sb_printf(out, "; the top %zu of %zu records (--top), totals over these", rb->n,
                     rb->selected);
    if (!r->subset && r->classes && r->classes != (1u << (PS_CLASS_STD + 1)) - 1)
        ps_sb_puts(out, r->classes & (1u << PS_CLASS_DEPENDENCY)
                            ? "; your own and dependencies' types (--all-types: every type)"
                            : "; your own types only (--include-deps, --all-types: more)");
    ps_sb_putc(out, '\n');
    if (rb->bin->layout_source)
        ps_sb_puts(out, "  (no DWARF: layouts from the Go runtime type descriptors, without "
                        "declaration lines)\n");
}

void ps_report_text(const ps_report *r, ps_strbuf *out)
{
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < r->n; i++)
        binary_text(r, &r->bins[i], paths, out);
    ps_repo_paths_free(paths);
}
