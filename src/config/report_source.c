/*
 * A saved `padscan analyze --format json` report as input to the fleet
 * estimate: each service's own CI job reads its binary, the fleet job only
 * aggregates these small files.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "padscan/config.h"

static const char *text(const cJSON *o, const char *key, ps_arena *a)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? ps_arena_strdup(a, v->valuestring) : NULL;
}

static bool count(const cJSON *o, const char *key, uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0)
        return false;
    *out = (uint64_t)v->valuedouble;
    return true;
}

/* Member types held by value: the type text without array dimensions. */
static void holds(const cJSON *members, ps_type_facts *f, ps_arena *a)
{
    size_t n = (size_t)cJSON_GetArraySize(members), k = 0;
    const char **list = ps_arena_zalloc(a, (n + 1) * sizeof(char *));
    for (const cJSON *m = members ? members->child : NULL; m; m = m->next) {
        const char *t = text(m, "type", a);
        if (!t)
            continue;
        char *copy = (char *)t;
        while (copy[0] == '[') { /* Go: [4]main.Item */
            char *close = strchr(copy, ']');
            if (!close)
                break;
            copy = close + 1;
        }
        char *dims = strstr(copy, " [");
        if (dims) /* C: struct item [4] */
            *dims = '\0';
        list[k++] = copy;
    }
    f->holds = list;
    f->nholds = k;
}

static bool one_type(const cJSON *s, ps_type_facts *f, ps_arena *a, unsigned line)
{
    uint64_t lines = 0;
    f->name = text(s, "name", a);
    if (!f->name || !count(s, "size", &f->size) || !count(s, "optimal_size", &f->optimal_size))
        return false;
    count(s, "pointer_bytes", &f->ptr_bytes);
    if (!count(s, "optimal_pointer_bytes", &f->optimal_ptr_bytes))
        f->optimal_ptr_bytes = f->ptr_bytes;
    count(s, "cachelines", &lines);
    f->cachelines = (uint32_t)lines;
    f->optimal_cachelines = (uint32_t)((f->optimal_size + line - 1) / line);
    holds(cJSON_GetObjectItemCaseSensitive(s, "members"), f, a);
    return true;
}

static const char *fill(const cJSON *doc, ps_fleet_source *src, ps_arena *a)
{
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(doc, "tool");
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(doc, "binaries");
    if (!cJSON_IsString(tool) || strcmp(tool->valuestring, "padscan") || !cJSON_IsArray(bins) ||
        cJSON_GetArraySize(bins) != 1)
        return "not a padscan analyze report of one binary";
    const cJSON *b = bins->child, *structs = cJSON_GetObjectItemCaseSensitive(b, "structs");
    uint64_t ptr = 8, line = 64;
    count(b, "ptr_size", &ptr);
    count(doc, "cacheline", &line);
    src->path = text(b, "path", a);
    src->build_id = text(b, "build_id", a);
    src->go_version = text(b, "go_version", a);
    src->ptr_size = (unsigned)ptr;
    const char *lang = text(b, "lang", a);
    src->is_go = lang && strcmp(lang, "c") != 0;
    src->ntypes = (size_t)cJSON_GetArraySize(structs);
    src->types = ps_arena_zalloc(a, (src->ntypes + 1) * sizeof(ps_type_facts));
    size_t i = 0;
    for (const cJSON *s = structs ? structs->child : NULL; s; s = s->next, i++)
        if (!one_type(s, &src->types[i], a, line ? (unsigned)line : 64))
            return "a struct lacks name, size or optimal_size (write it with padscan analyze "
                   "--format json of this version)";
    return NULL;
}

void ps_report_source_load(const char *path, ps_fleet_source *src, ps_arena *arena)
{
    char err[1024];
    memset(src, 0, sizeof(*src));
    src->path = path;
    cJSON *doc = ps_json_load(path, err, sizeof(err));
    if (!doc) {
        src->error = ps_arena_strdup(arena, err);
        return;
    }
    const char *why = fill(doc, src, arena);
    if (why)
        src->error = ps_arena_printf(arena, "%s: %s", path, why);
    cJSON_Delete(doc);
}
