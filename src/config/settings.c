/*
 * padscan.json: hot fields, fixed types and cache-line sizes per type.
 *
 *   { "cacheline": 64,
 *     "types": { "main.Player": { "hot": ["ID", "Pos"], "cacheline": 128 },
 *                "wire_hit": { "fixed": true } },
 *     "fixed": ["net.Packet"] }
 *
 * An entry that matches no record is an error (config_used.c) unless it
 * says "optional": true.
 */
#include <cjson/cJSON.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/config.h"

typedef struct cfg_ctx {
    const char *file;
    char *err;
    size_t errlen;
} cfg_ctx;

static int bad(cfg_ctx *c, const char *path, const char *what)
{
    snprintf(c->err, c->errlen, "%s: %s: %s", c->file, path, what);
    return -1;
}

static int read_cacheline(cfg_ctx *c, const cJSON *v, const char *path, unsigned *out)
{
    uint64_t n = 0;
    if (!ps_json_whole(v, 65536, &n) || !ps_cacheline_ok(n))
        return bad(c, path, "expected a cache-line size in bytes (a power of two from 16 to 4096)");
    *out = (unsigned)n;
    return 0;
}

static int read_hot(cfg_ctx *c, const cJSON *v, const char *path, ps_type_rules *r)
{
    char at[1024];
    if (!cJSON_IsArray(v))
        return bad(c, path, "expected an array of field names");
    r->nhot = (size_t)cJSON_GetArraySize(v);
    const char **names = ps_xcalloc(r->nhot + 1, sizeof(char *));
    r->hot = names;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        snprintf(at, sizeof(at), "%s[%zu]", path, i);
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return bad(c, at, "expected a field name (a non-empty string)");
        names[i] = e->valuestring;
    }
    return 0;
}

/* "groups": {"read_mostly": ["a", "b"], "cold": {"fields": ["c"], "max_lines": 1}} */
static int read_group(cfg_ctx *c, const cJSON *v, const char *path, ps_field_group *g)
{
    char at[1200];
    g->name = v->string;
    const cJSON *fields = v;
    if (cJSON_IsObject(v)) {
        fields = cJSON_GetObjectItemCaseSensitive(v, "fields");
        for (const cJSON *f = v->child; f; f = f->next) {
            snprintf(at, sizeof(at), "%s.%s", path, f->string);
            if (!strcmp(f->string, "max_lines") &&
                (!cJSON_IsNumber(f) || f->valuedouble < 1 || f->valuedouble > 65536 ||
                 f->valuedouble != (double)(int)f->valuedouble))
                return bad(c, at, "expected a number of cache lines (a whole number from 1 to 65536)");
            if (!strcmp(f->string, "max_lines"))
                g->max_lines = (unsigned)f->valueint;
            else if (strcmp(f->string, "fields") != 0)
                return bad(c, at, "unknown key (expected \"fields\" or \"max_lines\")");
        }
    }
    if (!cJSON_IsArray(fields) || !cJSON_GetArraySize(fields))
        return bad(c, path, "expected a non-empty array of field names, or {\"fields\": [...], "
                            "\"max_lines\": N}");
    const char **names = calloc((size_t)cJSON_GetArraySize(fields) + 1, sizeof(char *));
    g->fields = names;
    for (const cJSON *e = fields->child; e; e = e->next, g->nfields++) {
        snprintf(at, sizeof(at), "%s[%zu]", path, g->nfields);
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return bad(c, at, "expected a field name (a non-empty string)");
        names[g->nfields] = e->valuestring;
    }
    return 0;
}

static int read_groups(cfg_ctx *c, const cJSON *v, const char *path, ps_type_rules *r)
{
    char at[1100];
    if (!cJSON_IsObject(v))
        return bad(c, path, "expected an object mapping group names to field names");
    ps_field_group *groups = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(ps_field_group));
    r->groups = groups;
    for (const cJSON *g = v->child; g; g = g->next) {
        snprintf(at, sizeof(at), "%s.%s", path, g->string);
        int rc = read_group(c, g, at, &groups[r->ngroups++]);
        if (rc)
            return rc;
        for (size_t k = 0; k + 1 < r->ngroups; k++)
            for (size_t i = 0; i < groups[k].nfields; i++)
                for (size_t j = 0; j < groups[r->ngroups - 1].nfields; j++)
                    if (!strcmp(groups[k].fields[i], groups[r->ngroups - 1].fields[j]))
                        return bad(c, at, "a field may be in one group only");
    }
    return 0;
}

static int read_type(cfg_ctx *c, const cJSON *t, ps_config_entry *e)
{
    char path[600], at[700];
    snprintf(path, sizeof(path), "$.types[\"%s\"]", t->string);
    e->pattern = t->string;
    e->fixed_index = -1;
    if (!cJSON_IsObject(t))
        return bad(c, path, "expected an object with \"hot\", \"fixed\" or \"cacheline\"");
    for (const cJSON *f = t->child; f; f = f->next) {
        snprintf(at, sizeof(at), "%s.%s", path, f->string);
        int rc = 0;
        if (!strcmp(f->string, "hot"))
            rc = read_hot(c, f, at, &e->rules);
        else if (!strcmp(f->string, "fixed") && cJSON_IsBool(f))
            e->rules.fixed = cJSON_IsTrue(f);
        else if (!strcmp(f->string, "fixed"))
            rc = bad(c, at, "expected true or false");
        else if (!strcmp(f->string, "cacheline"))
            rc = read_cacheline(c, f, at, &e->rules.cacheline);
        else if (!strcmp(f->string, "optional") && cJSON_IsBool(f))
            e->optional = cJSON_IsTrue(f);
        else if (!strcmp(f->string, "optional"))
            rc = bad(c, at, "expected true or false");
        else if (!strcmp(f->string, "groups"))
            rc = read_groups(c, f, at, &e->rules);
        else if (!strcmp(f->string, "group_lines") && cJSON_IsBool(f))
            e->rules.group_lines = cJSON_IsTrue(f);
        else if (!strcmp(f->string, "group_lines"))
            rc = bad(c, at, "expected true or false");
        else if (strcmp(f->string, "reason") != 0)
            rc = bad(c, at, "unknown key (expected \"hot\", \"fixed\", \"cacheline\", "
                            "\"groups\", \"group_lines\", \"optional\" or \"reason\")");
        if (rc)
            return rc;
    }
    return 0;
}

static int read_fixed_list(cfg_ctx *c, const cJSON *v, ps_config *cfg)
{
    char at[64];
    if (!cJSON_IsArray(v))
        return bad(c, "$.fixed", "expected an array of type names or patterns");
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        snprintf(at, sizeof(at), "$.fixed[%zu]", i);
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return bad(c, at, "expected a type name or pattern (a non-empty string)");
        ps_config_entry *x = &cfg->entries[cfg->n++];
        x->pattern = e->valuestring;
        x->fixed_index = (long)i;
        x->rules.fixed = true;
    }
    return 0;
}

/* "sync_types": ["my_lock_t", {"type": "legacy_lock_t", "optional": true}] */
static int read_sync_types(cfg_ctx *c, const cJSON *v, ps_config *cfg)
{
    char at[600];
    if (!cJSON_IsArray(v))
        return bad(c, "$.sync_types", "expected an array of type names or globs");
    cfg->sync_types = ps_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(char *));
    cfg->sync_optional = ps_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(bool));
    for (const cJSON *e = v->child; e; e = e->next, cfg->nsync_types++) {
        snprintf(at, sizeof(at), "$.sync_types[%zu]", cfg->nsync_types);
        const cJSON *t = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "type") : e;
        const cJSON *opt = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "optional") : NULL;
        for (const cJSON *f = cJSON_IsObject(e) ? e->child : NULL; f; f = f->next)
            if (strcmp(f->string, "type") && strcmp(f->string, "optional") &&
                strcmp(f->string, "reason") &&
                snprintf(at, sizeof(at), "$.sync_types[%zu].%s", cfg->nsync_types, f->string))
                return bad(c, at, "unknown key (expected \"type\", \"optional\" or \"reason\")");
        if (!cJSON_IsString(t) || !t->valuestring[0])
            return bad(c, at, "expected a type name or glob (a non-empty string), or {\"type\": "
                              "GLOB, \"optional\": true}");
        if (opt && !cJSON_IsBool(opt))
            return bad(c, at, "optional: expected true or false");
        cfg->sync_types[cfg->nsync_types] = t->valuestring;
        cfg->sync_optional[cfg->nsync_types] = cJSON_IsTrue(opt);
    }
    return 0;
}

static int read_top(cfg_ctx *c, const cJSON *doc, ps_config *cfg)
{
    if (!cJSON_IsObject(doc))
        return bad(c, "$", "expected an object");
    size_t cap = 1; /* every "types" and "fixed" key, should one repeat */
    for (const cJSON *f = doc->child; f; f = f->next)
        if (!strcmp(f->string, "types") || !strcmp(f->string, "fixed"))
            cap += (size_t)cJSON_GetArraySize(f);
    cfg->entries = ps_xmalloc(cap * sizeof(ps_config_entry));
    memset(cfg->entries, 0, cap * sizeof(ps_config_entry));
    for (const cJSON *f = doc->child; f; f = f->next) {
        char at[600];
        snprintf(at, sizeof(at), "$.%s", f->string);
        int rc = 0;
        if (!strcmp(f->string, "cacheline"))
            rc = read_cacheline(c, f, at, &cfg->cacheline);
        else if (!strcmp(f->string, "fixed"))
            rc = read_fixed_list(c, f, cfg);
        else if (!strcmp(f->string, "sync_types"))
            rc = read_sync_types(c, f, cfg);
        else if (!strcmp(f->string, "types") && !cJSON_IsObject(f))
            rc = bad(c, at, "expected an object mapping type patterns to rules");
        else if (!strcmp(f->string, "types"))
            for (const cJSON *t = f->child; t && !rc; t = t->next)
                rc = read_type(c, t, &cfg->entries[cfg->n++]);
        else if (strcmp(f->string, "$schema") != 0)
            rc = bad(c, at, "unknown key (expected \"cacheline\", \"types\", \"fixed\" or \"sync_types\")");
        if (rc)
            return rc;
    }
    return 0;
}

int ps_config_load(const char *path, ps_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->doc = ps_json_load(path, err, errlen);
    if (!cfg->doc)
        return -1;
    cfg_ctx c = {path, err, errlen};
    if (read_top(&c, cfg->doc, cfg) != 0) {
        ps_config_free(cfg);
        return -1;
    }
    return 0;
}

void ps_config_free(ps_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++) {
        free((void *)cfg->entries[i].rules.hot);
        for (size_t g = 0; g < cfg->entries[i].rules.ngroups; g++)
            free((void *)cfg->entries[i].rules.groups[g].fields);
        free((void *)cfg->entries[i].rules.groups);
    }
    free(cfg->entries);
    free(cfg->sync_types);
    free(cfg->sync_optional);
    cJSON_Delete(cfg->doc);
    memset(cfg, 0, sizeof(*cfg));
}

const ps_type_rules *ps_config_rules(const ps_struct *s, void *ctx)
{
    const ps_config *cfg = ctx;
    for (size_t i = 0; cfg && i < cfg->n; i++) {
        const char *p = cfg->entries[i].pattern;
        if (!fnmatch(p, s->name, 0) || (s->ctype && !fnmatch(p, s->ctype, 0)))
            return &cfg->entries[i].rules;
    }
    return NULL;
}
