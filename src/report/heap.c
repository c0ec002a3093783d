/*
 * padscan heap output: the types by in-use heap bytes, with the struct
 * numbers (waste, optimal size, what a reorder gives back) and the
 * unattributed part with its share, as text, Markdown or JSON
 * (docs/schema/heap.schema.json).  Values are the profiles' own, divided
 * by the profiles when they are combined as a mean.
 */
#include <string.h>

#include "figures.h"
#include "json_doc.h"

static const char *how_text(unsigned how, char buf[64])
{
    buf[0] = '\0';
    for (unsigned bit = PS_HOW_OBJECT; bit <= PS_HOW_CHAN; bit <<= 1)
        if (how & bit) {
            if (buf[0])
                strcat(buf, "+");
            strcat(buf, ps_heap_how_name(bit));
        }
    return buf;
}

static double per_d(const ps_heap_report *r, double v)
{
    return r->combine == PS_COMBINE_MEAN && r->nprofiles ? v / (double)r->nprofiles : v;
}

/* A share that never reads 100.0% while a part is missing. */
static const char *share(char buf[FIGURE_CHARS], uint64_t part, uint64_t whole)
{
    if (!whole)
        return "-";
    percent_of(buf, part, whole);
    return part < whole && !strcmp(buf, "100.0%") ? ">99.9%" : buf;
}

static void heading(const ps_heap_report *r, ps_strbuf *out, bool md)
{
    char a[FIGURE_CHARS], b[FIGURE_CHARS], c[FIGURE_CHARS], d[FIGURE_CHARS];
    ps_sb_printf(out, md ? "## padscan heap: `%s`\n\n" : "padscan heap: %s", r->binary);
    if (!md)
        ps_sb_printf(out, " (%s, %s)\n", r->go_version ? r->go_version : "Go",
                     ps_arch_name(r->arch));
    ps_sb_printf(out, "%sprofiles: %zu", md ? "" : "  ", r->nprofiles);
    if (r->nprofiles > 1)
        ps_sb_printf(out, ", values are the %s", r->combine == PS_COMBINE_MEAN
                                                     ? "mean per profile (one replica's heap)"
                                                     : "sum over the profiles");
    ps_sb_puts(out, md ? "  \n" : "\n");
    if (r->period)
        ps_sb_printf(out, "%sestimates: the profiles' own values, scaled from 1 sample per %lld "
                          "allocated bytes (MemProfileRate)%s",
                     md ? "" : "  ", (long long)r->period, md ? "  \n" : "\n");
    else
        ps_sb_printf(out, "%sestimates: the profiles' own scaled values (the profiles' sampling "
                          "rates differ)%s", md ? "" : "  ", md ? "  \n" : "\n");
    ps_sb_printf(out, "%sin use: %s bytes in %s objects; attributed to types: %s of the bytes "
                      "(unattributed: %s)%s",
                 md ? "" : "  ", figure(a, ps_heap_per(r, r->total.inuse_bytes)),
                 figure(b, ps_heap_per(r, r->total.inuse_objects)),
                 share(c, r->attributed_bytes, r->total.inuse_bytes),
                 share(d, r->total.inuse_bytes - r->attributed_bytes, r->total.inuse_bytes),
                 md ? "\n\n" : "\n\n");
}

enum { COLS = 11 };
static const char *const headers[COLS] = {"type", "how", "objects", "values", "bytes", "share",
                                          "size", "waste", "optimal", "gives back", "allocated"};

static void type_cells(const ps_heap_report *r, const ps_heap_type *t, const char **cell,
                       ps_arena *a)
{
    char f[FIGURE_CHARS], how[64];
    cell[0] = t->name;
    cell[1] = ps_arena_strdup(a, how_text(t->how, how));
    cell[2] = ps_arena_strdup(a, figure(f, ps_heap_per(r, t->v.inuse_objects)));
    cell[3] = t->how & (PS_HOW_OBJECT | PS_HOW_ARRAY)
                  ? ps_arena_strdup(a, figure(f, ps_heap_per(r, t->v.inuse_values))) : "-";
    cell[4] = ps_arena_strdup(a, figure(f, ps_heap_per(r, t->v.inuse_bytes)));
    cell[5] = ps_arena_strdup(a, share(f, t->v.inuse_bytes, r->total.inuse_bytes));
    cell[6] = ps_arena_printf(a, "%llu", (unsigned long long)t->size);
    bool rec = t->record != PS_NONE;
    cell[7] = rec ? ps_arena_printf(a, "%llu", (unsigned long long)t->waste) : "-";
    cell[8] = rec ? ps_arena_printf(a, "%llu", (unsigned long long)t->optimal_size) : "-";
    cell[9] = t->priced ? ps_arena_strdup(a, figure(f, per_d(r, t->v.gives_back)))
                        : rec ? "not modeled" : "-";
    cell[10] = r->has_alloc ? ps_arena_strdup(a, figure(f, ps_heap_per(r, t->v.alloc_bytes))) : "-";
}

static double gives_back_total(const ps_heap_report *r)
{
    double sum = 0;
    for (size_t i = 0; i < r->ntypes; i++)
        sum += r->types[i].priced ? r->types[i].v.gives_back : 0;
    return per_d(r, sum);
}

static void unattributed_lines(const ps_heap_report *r, ps_strbuf *out, bool md, size_t top)
{
    char a[FIGURE_CHARS], b[FIGURE_CHARS];
    if (!r->nunattributed)
        return;
    ps_sb_printf(out, md ? "\n**Unattributed** (%s of the in-use bytes):\n\n"
                         : "\nunattributed (%s of the in-use bytes):\n",
                 share(a, r->total.inuse_bytes - r->attributed_bytes, r->total.inuse_bytes));
    for (size_t i = 0; i < r->nunattributed && (!top || i < top); i++) {
        const ps_heap_unattributed *u = &r->unattributed[i];
        ps_sb_printf(out, md ? "- %s bytes (%s) at %s: %s\n" : "  %12s bytes  %7s  %s: %s\n",
                     figure(a, ps_heap_per(r, u->v.inuse_bytes)),
                     share(b, u->v.inuse_bytes, r->total.inuse_bytes),
                     u->where ? u->where : "?", u->why);
    }
    if (top && r->nunattributed > top)
        ps_sb_printf(out, md ? "- and %zu more\n" : "  ... and %zu more\n", r->nunattributed - top);
}

void ps_heap_text(const ps_heap_report *r, size_t top, ps_strbuf *out)
{
    ps_arena a = {0};
    heading(r, out, false);
    size_t n = top && top < r->ntypes ? top : r->ntypes;
    const char **cells = ps_arena_alloc(&a, (n + 1) * COLS * sizeof(char *));
    memcpy(cells, headers, sizeof(headers));
    for (size_t i = 0; i < n; i++)
        type_cells(r, &r->types[i], cells + (i + 1) * COLS, &a);
    size_t width[COLS] = {0};
    for (size_t i = 0; i <= n; i++)
        for (int c = 0; c < COLS; c++)
            if (strlen(cells[i * COLS + c]) > width[c])
                width[c] = strlen(cells[i * COLS + c]);
    for (size_t i = 0; i <= n; i++) {
        ps_sb_puts(out, "  ");
        for (int c = 0; c < COLS; c++)
            ps_sb_printf(out, c < 2 ? "%-*s  " : "%*s  ", (int)width[c], cells[i * COLS + c]);
        while (out->len && out->buf[out->len - 1] == ' ')
            out->buf[--out->len] = '\0';
        ps_sb_putc(out, '\n');
    }
    if (n < r->ntypes)
        ps_sb_printf(out, "  ... and %zu more types\n", r->ntypes - n);
    char f[FIGURE_CHARS];
    ps_sb_printf(out, "\nreordering the structs above gives back %s allocator bytes of the heap "
                      "in use (Go size classes)\n", figure(f, gives_back_total(r)));
    unattributed_lines(r, out, false, top);
    ps_arena_free(&a);
}

void ps_heap_markdown(const ps_heap_report *r, size_t top, ps_strbuf *out)
{
    ps_arena a = {0};
    heading(r, out, true);
    ps_sb_putc(out, '|');
    for (int c = 0; c < COLS; c++)
        ps_sb_printf(out, " %s |", headers[c]);
    ps_sb_puts(out, "\n|");
    for (int c = 0; c < COLS; c++)
        ps_sb_puts(out, c < 2 ? " --- |" : " ---: |");
    ps_sb_putc(out, '\n');
    size_t n = top && top < r->ntypes ? top : r->ntypes;
    const char *cells[COLS];
    for (size_t i = 0; i < n; i++) {
        type_cells(r, &r->types[i], cells, &a);
        ps_sb_putc(out, '|');
        for (int c = 0; c < COLS; c++)
            ps_sb_printf(out, c ? " %s |" : " `%s` |", cells[c]);
        ps_sb_putc(out, '\n');
    }
    char f[FIGURE_CHARS];
    ps_sb_printf(out, "\nReordering these structs gives back **%s** allocator bytes of the heap "
                      "in use (Go size classes).\n", figure(f, gives_back_total(r)));
    unattributed_lines(r, out, true, top);
    ps_arena_free(&a);
}

static void values_json(cJSON *o, const ps_heap_report *r, const ps_heap_values *v)
{
    cJSON_AddNumberToObject(o, "inuse_objects", ps_heap_per(r, v->inuse_objects));
    cJSON_AddNumberToObject(o, "inuse_bytes", ps_heap_per(r, v->inuse_bytes));
    if (r->has_alloc) {
        cJSON_AddNumberToObject(o, "alloc_objects", ps_heap_per(r, v->alloc_objects));
        cJSON_AddNumberToObject(o, "alloc_bytes", ps_heap_per(r, v->alloc_bytes));
    } else {
        cJSON_AddNullToObject(o, "alloc_objects");
        cJSON_AddNullToObject(o, "alloc_bytes");
    }
}

static cJSON *type_json(const ps_heap_report *r, const ps_heap_type *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", t->name);
    cJSON_AddBoolToObject(o, "struct", t->record != PS_NONE);
    cJSON *how = cJSON_AddArrayToObject(o, "how");
    for (unsigned bit = PS_HOW_OBJECT; bit <= PS_HOW_CHAN; bit <<= 1)
        if (t->how & bit)
            cJSON_AddItemToArray(how, cJSON_CreateString(ps_heap_how_name(bit)));
    cJSON_AddNumberToObject(o, "sites", t->sites);
    cJSON_AddNumberToObject(o, "size", (double)t->size);
    values_json(o, r, &t->v);
    if (t->how & (PS_HOW_OBJECT | PS_HOW_ARRAY))
        cJSON_AddNumberToObject(o, "inuse_values", ps_heap_per(r, t->v.inuse_values));
    else
        cJSON_AddNullToObject(o, "inuse_values");
    cJSON_AddNumberToObject(o, "share", r->total.inuse_bytes
                                            ? (double)t->v.inuse_bytes / (double)r->total.inuse_bytes : 0);
    if (t->record != PS_NONE) {
        cJSON_AddNumberToObject(o, "waste", (double)t->waste);
        cJSON_AddNumberToObject(o, "optimal_size", (double)t->optimal_size);
        if (t->keep_reason)
            cJSON_AddStringToObject(o, "kept", t->keep_reason);
    }
    if (t->priced)
        cJSON_AddNumberToObject(o, "gives_back", per_d(r, t->v.gives_back));
    else
        cJSON_AddNullToObject(o, "gives_back");
    return o;
}

void ps_heap_json(const ps_heap_report *r, ps_strbuf *out)
{
    cJSON *root = json_document("heap", 0);
    cJSON_AddStringToObject(root, "binary", r->binary);
    r->build_id ? cJSON_AddStringToObject(root, "build_id", r->build_id)
                : cJSON_AddNullToObject(root, "build_id");
    r->go_version ? cJSON_AddStringToObject(root, "go_version", r->go_version)
                  : cJSON_AddNullToObject(root, "go_version");
    cJSON_AddStringToObject(root, "arch", ps_arch_name(r->arch));
    cJSON *profiles = cJSON_AddArrayToObject(root, "profiles");
    for (size_t i = 0; i < r->nprofiles; i++)
        cJSON_AddItemToArray(profiles, cJSON_CreateString(r->profiles[i]));
    cJSON_AddStringToObject(root, "combine", r->combine == PS_COMBINE_MEAN ? "mean" : "sum");
    r->period ? cJSON_AddNumberToObject(root, "sampling_period", (double)r->period)
              : cJSON_AddNullToObject(root, "sampling_period");
    cJSON *total = cJSON_AddObjectToObject(root, "total");
    values_json(total, r, &r->total);
    cJSON_AddNumberToObject(total, "attributed_bytes", ps_heap_per(r, r->attributed_bytes));
    cJSON_AddNumberToObject(total, "coverage", r->total.inuse_bytes
                                ? (double)r->attributed_bytes / (double)r->total.inuse_bytes : 1);
    cJSON_AddNumberToObject(total, "gives_back", gives_back_total(r));
    cJSON *types = cJSON_AddArrayToObject(root, "types");
    for (size_t i = 0; i < r->ntypes; i++)
        cJSON_AddItemToArray(types, type_json(r, &r->types[i]));
    cJSON *un = cJSON_AddArrayToObject(root, "unattributed");
    for (size_t i = 0; i < r->nunattributed; i++) {
        const ps_heap_unattributed *u = &r->unattributed[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "reason", u->why);
        u->where ? cJSON_AddStringToObject(o, "where", u->where) : cJSON_AddNullToObject(o, "where");
        cJSON_AddNumberToObject(o, "sites", u->sites);
        values_json(o, r, &u->v);
        cJSON_AddNumberToObject(o, "share", r->total.inuse_bytes
                                    ? (double)u->v.inuse_bytes / (double)r->total.inuse_bytes : 0);
        cJSON_AddItemToArray(un, o);
    }
    json_finish(root, out);
}
