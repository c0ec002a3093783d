/*
 * padscan suggest, for people: what changes, by how much, why, what could
 * break, and the new order with its offsets.
 */
#include "figures.h"
#include "padscan/report.h"

enum { DECL_COLUMN = 44 };

static void headline(const ps_struct *s, const ps_suggestion *g, ps_strbuf *out)
{
    uint64_t saved = g->size - g->optimal_size;
    char pct[FIGURE_CHARS];
    size_t from = out->len;
    ps_sb_puts(out, s->name);
    ps_sb_escape_from(out, from); /* names never split a line */
    ps_sb_printf(out, "%s: %llu -> %llu bytes",
                 s->cls == PS_CLASS_OWN ? "" : s->cls == PS_CLASS_STD ? " (standard library)"
                                                                      : " (dependency)",
                 (unsigned long long)g->size, (unsigned long long)g->optimal_size);
    if (saved && g->optimal_size < g->size)
        ps_sb_printf(out, " (-%llu, %s)", (unsigned long long)saved, record_percent(pct, saved, g->size));
    if (s->lang == PS_LANG_GO)
        ps_sb_printf(out, ", pointer bytes %llu -> %llu", (unsigned long long)g->ptr_bytes,
                     (unsigned long long)g->optimal_ptr_bytes);
    ps_sb_printf(out, ", cache lines %llu -> %llu", (unsigned long long)g->cachelines,
                 (unsigned long long)g->optimal_cachelines);
    if (g->optimal_hot_lines)
        ps_sb_printf(out, ", hot fields in %u -> %u", g->hot_lines, g->optimal_hot_lines);
    ps_sb_puts(out, g->proven ? "" : " (best found; not proven minimal)");
    ps_sb_putc(out, '\n');
}

/* "  at: FILE:LINE", the file as the repository names it (docs/ci.md,
 * "Paths"), as analyze's text does. */
static void declared_at(const ps_binary *b, const ps_struct *s, ps_repo_paths *paths,
                        ps_strbuf *out)
{
    if (!s->decl_file)
        return;
    size_t from = out->len;
    ps_sb_printf(out, "  at: %s", ps_repo_paths_get(paths, b->source_root, s->decl_file, NULL));
    if (s->decl_line)
        ps_sb_printf(out, ":%u", s->decl_line);
    ps_sb_escape_from(out, from); /* a path never splits the line */
    ps_sb_putc(out, '\n');
}

static void new_order(const ps_binary *b, const ps_struct *s, const ps_suggestion *g,
                      ps_strbuf *out)
{
    const ps_member *m = ps_members_of(b, s);
    const char *open = s->lang == PS_LANG_GO ? "//" : "/*", *close = s->lang == PS_LANG_GO ? "" : " */";
    for (uint32_t k = 0; k < g->n; k++) {
        uint32_t i = g->order[k];
        ps_sb_putc(out, '\t');
        size_t from = out->len;
        ps_member_decl(&m[i], s->lang, out);
        ps_sb_escape_from(out, from);
        if (s->lang == PS_LANG_C)
            ps_sb_putc(out, ';');
        ps_sb_pad(out, DECL_COLUMN);
        ps_sb_printf(out, "%s %6llu %4llu%s\n", open, (unsigned long long)(g->bit_pos[i] / 8),
                     (unsigned long long)g->member_size[i], close);
    }
}

/* Only records that shrink count as shrinking; orders that only lower the
 * GC's pointer bytes or gather hot fields are counted apart. */
typedef struct totals {
    size_t shrink, other, huge;
    size_t groups; /* orders that do not shrink but repair the config's cache-line groups */
    uint64_t before, after, base, base_saved; /* base: records under HUGE_RECORD */
} totals;

static void summary(const char *path, const totals *t, ps_strbuf *out)
{
    size_t shrink = t->shrink, other = t->other;
    uint64_t before = t->before, after = t->after;
    char pct[FIGURE_CHARS];
    size_t from = out->len;
    ps_sb_puts(out, path);
    ps_sb_escape_from(out, from); /* a path never splits the summary line */
    ps_sb_printf(out, ": %zu record%s can shrink", shrink, shrink == 1 ? "" : "s");
    if (shrink)
        ps_sb_printf(out, " from %llu to %llu bytes (-%llu, %s%s)", (unsigned long long)before,
                     (unsigned long long)after, (unsigned long long)(before - after),
                     t->base ? percent_of(pct, t->base_saved, t->base) : "n/a",
                     t->huge ? " of the records under 1 MiB" : "");
    if (other)
        ps_sb_printf(out, "; %zu more keep their size and only lower pointer bytes or "
                          "cache lines of hot fields", other);
    if (t->groups)
        ps_sb_printf(out, "; %zu more do not shrink but keep the config's cache-line groups",
                     t->groups);
    ps_sb_putc(out, '\n');
}

/* Records that shrink inside their allocator size class: listed, not
 * counted (nothing comes back). */
static void same_class(const ps_suggest_binary *sb, ps_strbuf *out)
{
    for (size_t i = 0; i < sb->nsame; i++) {
        const ps_suggestion *g = sb->same[i];
        const ps_suggest_class *c = &sb->same_classes[i];
        ps_sb_printf(out, "same class: %s: %llu -> %llu bytes, both %.0f bytes in %s's size "
                          "classes: no memory comes back, not counted\n",
                     ps_struct_at(sb->bin, g->record)->name, (unsigned long long)g->size,
                     (unsigned long long)g->optimal_size, c->after, c->allocator);
    }
    if (sb->nsame)
        ps_sb_putc(out, '\n');
}

void ps_suggest_text(const ps_suggest_report *r, ps_strbuf *out)
{
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t b = 0; b < r->n; b++) {
        const ps_suggest_binary *sb = &r->bins[b];
        totals t = {0};
        for (size_t i = 0; i < sb->n; i++) {
            const ps_suggestion *g = sb->suggestions[i];
            const ps_struct *s = ps_struct_at(sb->bin, g->record);
            headline(s, g, out);
            declared_at(sb->bin, s, paths, out);
            for (uint32_t k = 0; k < g->nreasons; k++)
                ps_sb_printf(out, "  why: %s\n", g->reasons[k]);
            for (uint32_t k = 0; k < g->nwarnings; k++)
                ps_sb_printf(out, "  warning: %s\n", g->warnings[k]);
            if (!g->keep_reason)
                new_order(sb->bin, s, g, out);
            ps_sb_putc(out, '\n');
            if (g->optimal_size < g->size) {
                t.shrink++;
                t.before += g->size;
                t.after += g->optimal_size;
                t.huge += g->size >= HUGE_RECORD;
                t.base += g->size < HUGE_RECORD ? g->size : 0;
                t.base_saved += g->size < HUGE_RECORD ? g->size - g->optimal_size : 0;
            } else if (g->fixes_groups) {
                t.groups++;
            } else if (g->improves) {
                t.other++;
            }
        }
        same_class(sb, out);
        summary(sb->bin->path, &t, out);
    }
    ps_repo_paths_free(paths);
}
