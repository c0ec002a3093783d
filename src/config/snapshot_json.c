/*
 * Snapshots from JSON: a saved `padscan analyze --format json` report (for
 * diff, and for check on reports) or a baseline written by
 * `padscan check --write-baseline`.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "padscan/config.h"

static uint64_t whole(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static const char *text(const cJSON *o, const char *key, ps_arena *a)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? ps_arena_strdup(a, v->valuestring) : NULL;
}

static bool one_struct(const cJSON *o, ps_snap_struct *s, ps_arena *a)
{
    const cJSON *pct = cJSON_GetObjectItemCaseSensitive(o, "waste_percent");
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(o, "members");
    s->name = text(o, "name", a);
    s->lang = text(o, "lang", a);
    if (!s->name || !cJSON_GetObjectItemCaseSensitive(o, "size"))
        return false;
    s->lang = s->lang ? s->lang : "c";
    s->size = whole(o, "size");
    s->waste = whole(o, "waste");
    s->optimal_size = cJSON_GetObjectItemCaseSensitive(o, "optimal_size") ? whole(o, "optimal_size") : s->size;
    s->ptr_bytes = whole(o, "pointer_bytes");
    s->cachelines = (uint32_t)whole(o, "cachelines");
    s->waste_percent = cJSON_IsNumber(pct) ? pct->valuedouble : 0;
    s->decl_file = text(o, "decl_file", a);
    s->decl_line = (uint32_t)whole(o, "decl_line");
    s->ctype = text(o, "ctype", a);
    /* "class" since padscan 0.2; older reports said "foreign": true for
     * the standard library's and system headers' records. */
    const char *cls = text(o, "class", a);
    if (!cls || !ps_class_parse(cls, &s->cls))
        s->cls = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "foreign")) ? PS_CLASS_STD
                                                                                : PS_CLASS_OWN;
    s->nmembers = (size_t)cJSON_GetArraySize(members);
    s->members = ps_arena_zalloc(a, (s->nmembers + 1) * sizeof(ps_snap_member));
    size_t i = 0;
    for (const cJSON *m = members ? members->child : NULL; m; m = m->next, i++) {
        s->members[i].name = text(m, "name", a);
        s->members[i].name = s->members[i].name ? s->members[i].name : "";
        s->members[i].offset = whole(m, "offset");
        s->members[i].size = whole(m, "size");
    }
    return true;
}

static int add_structs(const cJSON *list, ps_snapshot *snap, ps_arena *a, const char *path,
                       char *err, size_t errlen)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    ps_snap_struct *all = ps_arena_zalloc(a, (snap->n + n + 1) * sizeof(ps_snap_struct));
    for (size_t i = 0; i < snap->n; i++)
        all[i] = snap->structs[i];
    size_t i = 0;
    for (const cJSON *o = list ? list->child : NULL; o; o = o->next, i++)
        if (!one_struct(o, &all[snap->n++], a)) {
            snprintf(err, errlen, "%s: struct %zu has no name or size", path, i);
            return -1;
        }
    snap->structs = all;
    return 0;
}

int ps_snapshot_load(const char *path, ps_snapshot *snap, ps_arena *arena, char *err, size_t errlen)
{
    memset(snap, 0, sizeof(*snap));
    snap->source = ps_arena_strdup(arena, path);
    cJSON *doc = ps_json_load(path, err, errlen);
    if (!doc)
        return -1;
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(doc, "tool");
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(doc, "binaries");
    const cJSON *structs = cJSON_GetObjectItemCaseSensitive(doc, "structs");
    int rc = 0;
    if (!cJSON_IsString(tool) || strcmp(tool->valuestring, "padscan") ||
        !(cJSON_IsArray(bins) || cJSON_IsArray(structs))) {
        snprintf(err, errlen, "%s: not a padscan analyze report or baseline", path);
        rc = -1;
    } else if (cJSON_IsArray(structs)) {
        rc = add_structs(structs, snap, arena, path, err, errlen);
    } else {
        for (const cJSON *b = bins->child; b && !rc; b = b->next)
            rc = add_structs(cJSON_GetObjectItemCaseSensitive(b, "structs"), snap, arena, path, err, errlen);
    }
    cJSON_Delete(doc);
    return rc;
}
