/*
 * The JSON report (schema_version 1, docs/schema/analyze.schema.json).
 * Field names are a contract with users' scripts: add, never rename.
 */
#include <stdlib.h>

#include "json_doc.h"

/* k: a string literal (json_add) */
static void num(cJSON *o, const char *k, double v) { json_add(o, k, cJSON_CreateNumber(v)); }

static void str_or_null(cJSON *o, const char *k, const char *v)
{
    json_add(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static const char *member_name(const ps_struct *s, uint32_t i, const ps_binary *b)
{
    return i == PS_NONE ? NULL : ps_members_of(b, s)[i].name;
}

static cJSON *member_json(const ps_binary *b, const ps_member *m, ps_lang lang)
{
    cJSON *o = json_member_slot(m, m->bit_pos, m->size);
    if (m->record != PS_NONE)
        json_add(o, "record", cJSON_CreateString(ps_struct_at(b, m->record)->name));
    num(o, "align", m->align);
    json_add(o, "anonymous", cJSON_CreateBool((m->flags & PS_MF_ANONYMOUS) != 0));
    if (lang == PS_LANG_GO) {
        json_add(o, "embedded", cJSON_CreateBool((m->flags & PS_MF_EMBEDDED) != 0));
        num(o, "pointer_bytes", (double)m->ptr_bytes);
    }
    if (m->flags & PS_MF_ALIGNED)
        json_add(o, "explicit_align", cJSON_CreateBool(true));
    if (m->flags & PS_MF_FLEXIBLE)
        json_add(o, "flexible", cJSON_CreateBool(true));
    if (m->flags & PS_MF_SYNC)
        json_add(o, "sync", cJSON_CreateBool(true));
    if (m->flags & PS_MF_BASE)
        json_add(o, "base", cJSON_CreateString(m->flags & PS_MF_VBASE ? "virtual" : "direct"));
    if (m->flags & PS_MF_PAD)
        json_add(o, "padding", cJSON_CreateBool(true));
    return o;
}

static cJSON *holes_json(const ps_binary *b, const ps_struct *s, const ps_layout *l)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < l->nholes; i++) {
        cJSON *h = cJSON_CreateObject();
        num(h, "offset", (double)l->holes[i].offset);
        num(h, "size", (double)l->holes[i].size);
        str_or_null(h, "after", member_name(s, l->holes[i].after, b));
        cJSON_AddItemToArray(a, h);
    }
    return a;
}

static cJSON *bit_holes_json(const ps_binary *b, const ps_struct *s, const ps_layout *l)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < l->nbit_holes; i++) {
        cJSON *h = cJSON_CreateObject();
        num(h, "offset", (double)(l->bit_holes[i].bit_pos / 8));
        num(h, "bit_offset", (double)(l->bit_holes[i].bit_pos % 8));
        num(h, "bits", l->bit_holes[i].bits);
        str_or_null(h, "after", member_name(s, l->bit_holes[i].after, b));
        cJSON_AddItemToArray(a, h);
    }
    return a;
}

/* What check needs for its fix: text when it reads this report instead
 * of the binary: the order, what it reaches alone, the nested records the
 * optimum reorders too. */
/* The order that separates the record's synchronization fields (check's
 * max_shared_sync_lines fix), when it has two or more. */
static void sync_order_json(cJSON *o, const ps_binary *b, const ps_struct *s,
                            const ps_suggestion *g, unsigned line)
{
    ps_arena a = {0};
    ps_sync_spread_order sp;
    if (ps_sync_spread(b, s, g, line, &a, &sp)) {
        const ps_member *m = ps_members_of(b, s);
        cJSON *x = cJSON_AddObjectToObject(o, "sync_order");
        cJSON *order = cJSON_AddArrayToObject(x, "order");
        for (uint32_t k = 0; k < sp.n; k++)
            cJSON_AddItemToArray(order, cJSON_CreateString(ps_member_label(&m[sp.order[k]])));
        num(x, "size", (double)sp.size);
        num(x, "shared_sync_lines", sp.shared_lines);
    }
    ps_arena_free(&a);
}

static void suggestion_json(cJSON *o, const ps_binary *b, const ps_struct *s,
                            const ps_suggestion *g)
{
    num(o, "optimal_size", (double)g->optimal_size);
    if (s->lang == PS_LANG_GO)
        num(o, "optimal_pointer_bytes", (double)g->optimal_ptr_bytes);
    const ps_member *m = ps_members_of(b, s);
    if (g->improves) {
        cJSON *order = cJSON_AddArrayToObject(o, "optimal_order");
        for (uint32_t k = 0; k < g->n; k++)
            cJSON_AddItemToArray(order, cJSON_CreateString(ps_member_label(&m[g->order[k]])));
    }
    const char **nested = ps_xmalloc((g->n + 1) * sizeof(char *));
    size_t nn = ps_suggest_nested(b, g, nested);
    if (nn) {
        num(o, "optimal_order_size_alone", (double)g->order_size_alone);
        cJSON *list = cJSON_AddArrayToObject(o, "optimal_needs_nested");
        for (size_t k = 0; k < nn; k++)
            cJSON_AddItemToArray(list, cJSON_CreateString(nested[k]));
    }
    free(nested);
}

/* Where the record is declared: decl_file as the binary's source root
 * names it (what saved-report readers key on), repo_file as the
 * repository does. */
static void place_json(cJSON *o, const ps_binary *b, const ps_struct *s, ps_repo_paths *c,
                       const char *bin_repo)
{
    if (!s->decl_file)
        return;
    json_add(o, "decl_file", cJSON_CreateString(s->decl_file));
    json_repo_file(o, c, b->source_root, s->decl_file, bin_repo);
    if (s->decl_line)
        num(o, "decl_line", s->decl_line);
    if (s->decl_from_method)
        json_add(o, "decl_from_method", cJSON_CreateBool(true));
}

static cJSON *record_json(const ps_binary *b, const ps_layout *l, const ps_suggestion *g,
                          unsigned line, ps_repo_paths *c, const char *bin_repo)
{
    const ps_struct *s = ps_struct_at(b, l->record);
    const ps_member *m = ps_members_of(b, s);
    cJSON *o = cJSON_CreateObject();
    json_add(o, "name", cJSON_CreateString(s->name));
    if (s->lang == PS_LANG_C)
        str_or_null(o, "ctype", s->ctype);
    json_add(o, "lang", cJSON_CreateString(ps_lang_name(s->lang)));
    json_add(o, "kind", cJSON_CreateString(s->is_union ? "union" : "struct"));
    num(o, "size", (double)s->size);
    num(o, "align", s->align);
    json_add(o, "packed", cJSON_CreateBool(s->packed));
    json_add(o, "class", cJSON_CreateString(ps_class_name(s->cls)));
    cJSON *members = cJSON_AddArrayToObject(o, "members");
    for (uint32_t i = 0; i < s->nmembers; i++)
        cJSON_AddItemToArray(members, member_json(b, &m[i], s->lang));
    cJSON_AddItemToObject(o, "holes", holes_json(b, s, l));
    cJSON_AddItemToObject(o, "bit_holes", bit_holes_json(b, s, l));
    num(o, "bit_padding", (double)l->bit_padding);
    num(o, "tail_padding", (double)l->tail_padding);
    num(o, "waste", (double)l->waste);
    num(o, "waste_percent", (double)(long long)(l->waste_percent * 100 + 0.5) / 100);
    num(o, "cachelines", l->cachelines);
    num(o, "sync_fields", l->nsync);
    num(o, "shared_sync_lines", l->shared_sync_lines);
    cJSON *st = cJSON_AddArrayToObject(o, "straddles");
    for (uint32_t i = 0; i < l->nstraddles; i++)
        cJSON_AddItemToArray(st, cJSON_CreateString(m[l->straddles[i]].name));
    if (s->lang == PS_LANG_GO)
        num(o, "pointer_bytes", (double)s->ptr_bytes);
    if (g)
        suggestion_json(o, b, s, g);
    sync_order_json(o, b, s, g, line);
    place_json(o, b, s, c, bin_repo);
    return o;
}

static cJSON *binary_json(const ps_report_binary *rb, unsigned line, ps_repo_paths *c)
{
    const ps_binary *b = rb->bin;
    cJSON *o = cJSON_CreateObject();
    json_add(o, "path", cJSON_CreateString(b->path));
    json_add(o, "arch", cJSON_CreateString(ps_arch_name(b->arch)));
    num(o, "ptr_size", b->ptr_size);
    json_add(o, "lang", cJSON_CreateString(b->has_go && b->has_c ? "mixed" : b->has_go ? "go" : "c"));
    str_or_null(o, "build_id", b->build_id);
    if (b->source_root)
        json_add(o, "source_root", cJSON_CreateString(b->source_root));
    const char *repo = json_repo_root(o, c, b->source_root);
    if (b->debug_file)
        json_add(o, "debug_file", cJSON_CreateString(b->debug_file));
    json_add(o, "layout_source", cJSON_CreateString(b->layout_source ? b->layout_source : "dwarf"));
    if (b->go_version)
        json_add(o, "go_version", cJSON_CreateString(b->go_version));
    if (b->has_go)
        num(o, "go_runtime_types", (double)b->go_descriptors);
    cJSON *structs = cJSON_AddArrayToObject(o, "structs");
    uint64_t size = 0, waste = 0;
    for (size_t i = 0; i < rb->n; i++) {
        cJSON_AddItemToArray(structs, record_json(b, &rb->layouts[i],
                                                  rb->suggestions ? rb->suggestions[i] : NULL, line,
                                                  c, repo));
        size += rb->layouts[i].size;
        waste += rb->layouts[i].waste;
    }
    cJSON *sum = cJSON_AddObjectToObject(o, "summary");
    num(sum, "structs", (double)rb->n);
    num(sum, "total_size", (double)size);
    num(sum, "total_waste", (double)waste);
    return o;
}

void ps_report_json(const ps_report *r, ps_strbuf *out)
{
    cJSON *root = json_document(NULL, r->cacheline);
    cJSON *sel = cJSON_AddObjectToObject(root, "selection");
    json_add(sel, "complete", cJSON_CreateBool(!r->subset));
    if (r->subset)
        json_add(sel, "options", cJSON_CreateString(r->subset));
    cJSON *classes = cJSON_AddArrayToObject(sel, "classes");
    for (int c = PS_CLASS_OWN; c <= PS_CLASS_STD; c++)
        if (r->classes & (1u << c))
            cJSON_AddItemToArray(classes, cJSON_CreateString(ps_class_name((ps_class)c)));
    cJSON *bins = cJSON_AddArrayToObject(root, "binaries");
    ps_repo_paths *c = ps_repo_paths_new();
    for (size_t i = 0; i < r->n; i++)
        cJSON_AddItemToArray(bins, binary_json(&r->bins[i], r->cacheline, c));
    ps_repo_paths_free(c);
    json_finish(root, out);
}
