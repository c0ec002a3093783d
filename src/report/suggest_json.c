/*
 * padscan suggest --format json: per record, the old and the new order
 * with offsets, the sizes, the reasons and the warnings.
 */
#include "json_doc.h"

static void num(cJSON *o, const char *k, double v) { cJSON_AddNumberToObject(o, k, v); }

static cJSON *strings(const char *const *v, uint32_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static void class_json(cJSON *o, const ps_suggest_class *c)
{
    cJSON_AddStringToObject(o, "allocator", c->allocator ? c->allocator : "exact");
    num(o, "allocated", c->before);
    num(o, "optimal_allocated", c->after);
    cJSON_AddBoolToObject(o, "same_class", c->same);
}

/* Where the record is declared: decl_file relative to the source root,
 * repo_file as the repository names it (json_repo_file). */
typedef struct place {
    ps_repo_paths *paths;
    const char *repo; /* the binary's repo_root */
} place;

static cJSON *suggestion_json(const ps_binary *b, const ps_suggestion *g, const ps_suggest_class *c,
                              const place *at)
{
    const ps_struct *s = ps_struct_at(b, g->record);
    const ps_member *m = ps_members_of(b, s);
    bool go = s->lang == PS_LANG_GO;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", s->name);
    if (!go)
        s->ctype ? cJSON_AddStringToObject(o, "ctype", s->ctype) : cJSON_AddNullToObject(o, "ctype");
    cJSON_AddStringToObject(o, "lang", ps_lang_name(s->lang));
    cJSON_AddStringToObject(o, "kind", s->is_union ? "union" : "struct");
    cJSON_AddStringToObject(o, "class", ps_class_name(s->cls));
    num(o, "size", (double)g->size);
    num(o, "optimal_size", (double)g->optimal_size);
    num(o, "saved", g->size > g->optimal_size ? (double)(g->size - g->optimal_size) : 0);
    num(o, "size_if_nested_unchanged", (double)g->size_alone);
    if (go) {
        num(o, "pointer_bytes", (double)g->ptr_bytes);
        num(o, "optimal_pointer_bytes", (double)g->optimal_ptr_bytes);
    }
    num(o, "cachelines", g->cachelines);
    num(o, "optimal_cachelines", g->optimal_cachelines);
    num(o, "hot_cachelines", g->hot_lines);
    num(o, "optimal_hot_cachelines", g->optimal_hot_lines);
    num(o, "hot_first_cacheline", g->hot_first_line);
    num(o, "optimal_hot_first_cacheline", g->optimal_hot_first_line);
    cJSON_AddBoolToObject(o, "proven_optimal", g->proven);
    cJSON_AddBoolToObject(o, "improves", g->improves);
    cJSON_AddBoolToObject(o, "fixes_groups", g->fixes_groups);
    class_json(o, c);
    g->keep_reason ? cJSON_AddStringToObject(o, "kept", g->keep_reason) : cJSON_AddNullToObject(o, "kept");
    num(o, "moves", g->moves);
    cJSON *old = cJSON_AddArrayToObject(o, "old_order");
    for (uint32_t i = 0; i < g->n; i++)
        cJSON_AddItemToArray(old, json_member_slot(&m[i], m[i].bit_pos, m[i].size));
    cJSON *now = cJSON_AddArrayToObject(o, "new_order");
    for (uint32_t k = 0; k < g->n; k++) {
        uint32_t i = g->order[k];
        cJSON_AddItemToArray(now, json_member_slot(&m[i], g->bit_pos[i], g->member_size[i]));
    }
    cJSON_AddItemToObject(o, "reasons", strings(g->reasons, g->nreasons));
    cJSON_AddItemToObject(o, "warnings", strings(g->warnings, g->nwarnings));
    if (s->decl_file) {
        cJSON_AddStringToObject(o, "decl_file", s->decl_file);
        json_repo_file(o, at->paths, b->source_root, s->decl_file, at->repo);
        if (s->decl_line)
            num(o, "decl_line", s->decl_line);
    }
    return o;
}

void ps_suggest_json(const ps_suggest_report *r, ps_strbuf *out)
{
    cJSON *root = json_document("suggest", r->cacheline);
    cJSON *bins = cJSON_AddArrayToObject(root, "binaries");
    place at = {ps_repo_paths_new(), NULL};
    for (size_t b = 0; b < r->n; b++) {
        const ps_suggest_binary *sb = &r->bins[b];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", sb->bin->path);
        cJSON_AddStringToObject(o, "arch", ps_arch_name(sb->bin->arch));
        num(o, "ptr_size", sb->bin->ptr_size);
        if (sb->bin->source_root) /* what decl_file is relative to, as in analyze's */
            cJSON_AddStringToObject(o, "source_root", sb->bin->source_root);
        at.repo = json_repo_root(o, at.paths, sb->bin->source_root);
        cJSON *list = cJSON_AddArrayToObject(o, "suggestions");
        for (size_t i = 0; i < sb->n; i++)
            cJSON_AddItemToArray(list, suggestion_json(sb->bin, sb->suggestions[i], &sb->classes[i], &at));
        cJSON *same = cJSON_AddArrayToObject(o, "same_class");
        for (size_t i = 0; i < sb->nsame; i++)
            cJSON_AddItemToArray(same, suggestion_json(sb->bin, sb->same[i], &sb->same_classes[i], &at));
        cJSON_AddItemToArray(bins, o);
    }
    ps_repo_paths_free(at.paths);
    json_finish(root, out);
}
