/*
 * padscan fleet output.  One table model (a row per hot type, then the
 * totals) rendered as aligned text, Markdown (a CI job summary) or CSV;
 * JSON carries the same numbers unrounded.
 */
#include <string.h>

#include "figures.h"
#include "json_doc.h"

enum { COLS = 11, FIRST_NUM = 3, LAST_NUM = 9 };

static const char *const headers[COLS] = {
    "service", "type", "held", "instances", "bytes now", "bytes best", "saved/inst paper",
    "saved/inst real", "saved total", "cache lines", "note",
};

typedef struct table {
    ps_vec cells; /* char* per cell, COLS per row */
    ps_arena arena;
} table;

static void cell(table *t, const char *s) { *(const char **)ps_vec_push(&t->cells) = s; }

static const char *human(table *t, uint64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    return u ? ps_arena_printf(&t->arena, "%.1f %s", v, units[u])
             : ps_arena_printf(&t->arena, "%llu B", (unsigned long long)bytes);
}

static const char *note(table *t, const ps_type_saving *s, ps_allocator a)
{
    char v[FIGURE_CHARS], w[FIGURE_CHARS];
    if (s->held == PS_HELD_EMBEDDED)
        return ps_arena_printf(&t->arena, "counted in %s (embedded)", s->container);
    if (s->facts.optimal_size >= s->facts.size)
        return "already optimal";
    switch (s->change) {
    case PS_CLASS_SAME:
        return ps_arena_printf(&t->arena, "same %s class (%s B): nothing comes back",
                               ps_allocator_name(a), figure(v, s->bytes));
    case PS_CLASS_CROSSED:
        return ps_arena_printf(&t->arena, "drops from the %s B to the %s B class",
                               figure(v, s->bytes), figure(w, s->optimal_bytes));
    default:
        return s->held == PS_HELD_ARRAY ? "array elements: every byte counts" : "exact";
    }
}

/* Where the instance count came from, when heap profiles are involved. */
static const char *with_count(table *t, const ps_type_saving *x, const char *note)
{
    char v[FIGURE_CHARS];
    if (x->count_from == PS_COUNT_PROFILE)
        return ps_arena_printf(&t->arena, "%s; instances from the heap profiles", note);
    if (x->count_from == PS_COUNT_BOTH)
        return ps_arena_printf(&t->arena, "%s; instances from the manifest (heap profiles: %s)",
                               note, figure(v, x->profile_instances));
    return note;
}

static const char *num(table *t, uint64_t v)
{
    return ps_arena_printf(&t->arena, "%llu", (unsigned long long)v);
}

static void fill(table *t, const ps_fleet *f, bool raw)
{
    char v[FIGURE_CHARS];
    static const char *const held[] = {"heap", "array", "embedded"};
    for (size_t i = 0; i < f->n; i++) {
        const ps_fleet_service *s = &f->services[i];
        if (s->error) {
            const char *row[COLS] = {s->name, "", "", "", "", "", "", "", "", "", s->error};
            for (int c = 0; c < COLS; c++)
                cell(t, ps_arena_printf(&t->arena, "%s%s", c == COLS - 1 ? "error: " : "", row[c]));
            continue;
        }
        uint64_t service_total = 0;
        for (size_t k = 0; k < s->ntypes; k++) {
            const ps_type_saving *x = &s->types[k];
            uint64_t paper = x->facts.size > x->facts.optimal_size ? x->facts.size - x->facts.optimal_size : 0;
            double real = x->bytes > x->optimal_bytes ? x->bytes - x->optimal_bytes : 0;
            cell(t, s->name);
            cell(t, x->facts.name);
            cell(t, held[x->held]);
            cell(t, num(t, x->instances));
            cell(t, ps_arena_strdup(&t->arena, figure(v, x->bytes)));
            cell(t, ps_arena_strdup(&t->arena, figure(v, x->optimal_bytes)));
            cell(t, num(t, paper));
            cell(t, ps_arena_strdup(&t->arena, figure(v, real)));
            cell(t, raw ? num(t, x->real_total) : human(t, x->real_total));
            cell(t, ps_arena_printf(&t->arena, "%llu -> %llu",
                                    (unsigned long long)x->facts.cachelines,
                                    (unsigned long long)x->facts.optimal_cachelines));
            cell(t, with_count(t, x, note(t, x, s->allocator)));
            service_total += x->real_total;
        }
        if (raw)
            continue;
        const char *row[COLS] = {s->name, "(service total)", "", "", "", "", "", "",
                                 human(t, service_total), "", ""};
        for (int c = 0; c < COLS; c++)
            cell(t, row[c]);
    }
}

static const char *at(const table *t, size_t row, int col)
{
    return PS_VEC_AT(&t->cells, const char *, row * COLS + (size_t)col);
}

static size_t rows(const table *t) { return t->cells.len / COLS; }

static void totals_line(const ps_fleet *f, ps_strbuf *out, const char *fmt)
{
    table t = {0};
    ps_vec_init(&t.cells, sizeof(char *));
    ps_sb_printf(out, fmt, human(&t, f->real_total), human(&t, f->paper_total), f->n - f->failed,
                 f->n);
    ps_vec_free(&t.cells);
    ps_arena_free(&t.arena);
}

void ps_fleet_text(const ps_fleet *f, ps_strbuf *out)
{
    table t = {0};
    ps_vec_init(&t.cells, sizeof(char *));
    for (int c = 0; c < COLS; c++)
        cell(&t, headers[c]);
    fill(&t, f, false);
    size_t width[COLS] = {0};
    for (size_t r = 0; r < rows(&t); r++)
        for (int c = 0; c < COLS; c++)
            width[c] = strlen(at(&t, r, c)) > width[c] ? strlen(at(&t, r, c)) : width[c];
    for (size_t r = 0; r < rows(&t); r++) {
        for (int c = 0; c < COLS; c++) {
            int w = c == COLS - 1 ? 0 : (int)width[c];
            ps_sb_printf(out, c >= FIRST_NUM && c <= LAST_NUM ? "%*s  " : "%-*s  ", w, at(&t, r, c));
        }
        while (out->len && out->buf[out->len - 1] == ' ')
            out->buf[--out->len] = '\0';
        ps_sb_putc(out, '\n');
    }
    totals_line(f, out, "\nfleet: %s given back by the allocators (%s on paper), %zu of %zu "
                        "services read\n");
    ps_vec_free(&t.cells);
    ps_arena_free(&t.arena);
}

void ps_fleet_markdown(const ps_fleet *f, ps_strbuf *out)
{
    table t = {0};
    ps_vec_init(&t.cells, sizeof(char *));
    fill(&t, f, false);
    ps_sb_puts(out, "## padscan fleet: memory the hot types would give back\n\n|");
    for (int c = 0; c < COLS; c++)
        ps_sb_printf(out, " %s |", headers[c]);
    ps_sb_puts(out, "\n|");
    for (int c = 0; c < COLS; c++)
        ps_sb_puts(out, c >= FIRST_NUM && c <= LAST_NUM ? " ---: |" : " --- |");
    ps_sb_putc(out, '\n');
    for (size_t r = 0; r < rows(&t); r++) {
        ps_sb_putc(out, '|');
        for (int c = 0; c < COLS; c++)
            ps_sb_printf(out, " %s%s%s |", c == 1 ? "`" : "", at(&t, r, c), c == 1 ? "`" : "");
        ps_sb_putc(out, '\n');
    }
    totals_line(f, out, "\n**Fleet total: %s** given back by the allocators (%s on paper); "
                        "%zu of %zu services read.\n");
    ps_vec_free(&t.cells);
    ps_arena_free(&t.arena);
}

static void csv_field(ps_strbuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        ps_sb_puts(out, s);
        return;
    }
    ps_sb_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            ps_sb_putc(out, '"');
        ps_sb_putc(out, *s);
    }
    ps_sb_putc(out, '"');
}

void ps_fleet_csv(const ps_fleet *f, ps_strbuf *out)
{
    table t = {0};
    ps_vec_init(&t.cells, sizeof(char *));
    for (int c = 0; c < COLS; c++)
        cell(&t, headers[c]);
    fill(&t, f, true);
    for (size_t r = 0; r < rows(&t); r++)
        for (int c = 0; c < COLS; c++) {
            csv_field(out, at(&t, r, c));
            ps_sb_putc(out, c == COLS - 1 ? '\n' : ',');
        }
    ps_vec_free(&t.cells);
    ps_arena_free(&t.arena);
}

static cJSON *saving_json(const ps_type_saving *x)
{
    static const char *const held[] = {"heap", "array", "embedded"};
    static const char *const change[] = {"same_class", "smaller_class", "exact"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", x->facts.name);
    cJSON_AddStringToObject(o, "held", held[x->held]);
    if (x->container)
        cJSON_AddStringToObject(o, "in", x->container);
    cJSON_AddNumberToObject(o, "instances", (double)x->instances);
    cJSON_AddNumberToObject(o, "size", (double)x->facts.size);
    cJSON_AddNumberToObject(o, "optimal_size", (double)x->facts.optimal_size);
    cJSON_AddNumberToObject(o, "allocated", x->bytes);
    cJSON_AddNumberToObject(o, "optimal_allocated", x->optimal_bytes);
    cJSON_AddStringToObject(o, "class_change", change[x->change]);
    cJSON_AddNumberToObject(o, "cachelines", x->facts.cachelines);
    cJSON_AddNumberToObject(o, "optimal_cachelines", x->facts.optimal_cachelines);
    cJSON_AddNumberToObject(o, "saved_paper", (double)x->paper_total);
    cJSON_AddNumberToObject(o, "saved_real", (double)x->real_total);
    static const char *const from[] = {"manifest", "profile", "both"};
    cJSON_AddStringToObject(o, "instances_from", from[x->count_from]);
    if (x->count_from != PS_COUNT_PROFILE)
        cJSON_AddNumberToObject(o, "manifest_instances", (double)x->manifest_instances);
    else
        cJSON_AddNullToObject(o, "manifest_instances");
    if (x->count_from != PS_COUNT_MANIFEST)
        cJSON_AddNumberToObject(o, "profile_instances", x->profile_instances);
    else
        cJSON_AddNullToObject(o, "profile_instances");
    return o;
}

void ps_fleet_json(const ps_fleet *f, ps_strbuf *out)
{
    cJSON *root = json_document("fleet", f->cacheline);
    cJSON *list = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; i < f->n; i++) {
        const ps_fleet_service *s = &f->services[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "source", s->source);
        s->error ? cJSON_AddStringToObject(o, "error", s->error) : cJSON_AddNullToObject(o, "error");
        if (s->warning)
            cJSON_AddStringToObject(o, "warning", s->warning);
        cJSON_AddStringToObject(o, "allocator", ps_allocator_name(s->allocator));
        cJSON_AddNumberToObject(o, "replicas", (double)s->replicas);
        cJSON *types = cJSON_AddArrayToObject(o, "hot_types");
        for (size_t k = 0; k < s->ntypes; k++)
            cJSON_AddItemToArray(types, saving_json(&s->types[k]));
        cJSON_AddItemToArray(list, o);
    }
    cJSON *tot = cJSON_AddObjectToObject(root, "total");
    cJSON_AddNumberToObject(tot, "saved_paper", (double)f->paper_total);
    cJSON_AddNumberToObject(tot, "saved_real", (double)f->real_total);
    cJSON_AddNumberToObject(tot, "services_failed", (double)f->failed);
    json_finish(root, out);
}
