/*
 * The fleet manifest: services, their binaries (or saved reports),
 * replicas, allocators and hot types.  Every problem is reported with the
 * JSON path that has it.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "padscan/config.h"

typedef struct mctx {
    ps_manifest *m;
    const char *dir; /* the manifest's folder, for relative paths */
    char *err;
    size_t errlen;
} mctx;

/* JSON path of a key below path ("$.services[0]" + "name"). */
static void at_key(char *at, size_t n, const char *path, const char *key)
{
    if (snprintf(at, n, "%s.%s", path, key) >= (int)n)
        at[n - 1] = '\0';
}

static int bad(mctx *c, const char *path, const char *fmt, const char *arg)
{
    int n = snprintf(c->err, c->errlen, "%s: %s: ", c->m->path, path);
    if (n >= 0 && (size_t)n < c->errlen)
        snprintf(c->err + n, c->errlen - (size_t)n, fmt, arg ? arg : "");
    return -1;
}

/* Keys a manifest object may have: anything else is a typo that would
 * otherwise be ignored silently (a misspelled "replicas" is no default). */
static int known_keys(mctx *c, const cJSON *o, const char *path, const char *const *keys)
{
    char at[400], expected[300] = "";
    for (const cJSON *f = o->child; f; f = f->next) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], f->string))
            k++;
        if (keys[k])
            continue;
        for (size_t i = 0; keys[i]; i++)
            snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%s\"%s\"",
                     i ? ", " : "", keys[i]);
        const char *near = ps_nearest_name(f->string, keys, k);
        at_key(at, sizeof(at), path, f->string);
        int n = snprintf(c->err, c->errlen, "%s: %s: unknown key%s%s%s (expected %s)", c->m->path,
                         at, near ? ", did you mean \"" : "", near ? near : "", near ? "\"?" : "",
                         expected);
        (void)n;
        return -1;
    }
    return 0;
}

static int need_string(mctx *c, const cJSON *o, const char *key, const char *path, const char **out)
{
    char at[400];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    at_key(at, sizeof(at), path, key);
    if (!v)
        return bad(c, at, "missing (expected a string)%s", NULL);
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad(c, at, "expected a non-empty string%s", NULL);
    *out = v->valuestring;
    return 0;
}

static int need_count(mctx *c, const cJSON *o, const char *key, const char *path, uint64_t *out)
{
    char at[400];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    at_key(at, sizeof(at), path, key);
    if (!v)
        return bad(c, at, "missing (expected a whole number)%s", NULL);
    if (cJSON_IsNumber(v) && v->valuedouble < 0)
        return bad(c, at, "must not be negative%s", NULL);
    if (cJSON_IsNumber(v) && v->valuedouble > PS_JSON_MAX_COUNT)
        return bad(c, at, "too large%s", NULL);
    if (!ps_json_whole(v, PS_JSON_MAX_COUNT, out))
        return bad(c, at, "expected a whole number%s", NULL);
    return 0;
}

static const char *resolve(mctx *c, const char *file)
{
    if (file[0] == '/' || !c->dir[0])
        return file;
    return ps_arena_printf(&c->m->arena, "%s/%s", c->dir, file);
}

static int need_file(mctx *c, const char *at, const char *file, const char **out)
{
    *out = resolve(c, file);
    if (access(*out, F_OK) != 0)
        return bad(c, at, "no such file: %s", *out);
    return 0;
}

/* profiled: the service has heap profiles, which may give the instances */
static int read_hot(mctx *c, const cJSON *h, const char *path, ps_hot_type *t, bool profiled)
{
    static const char *const helds[] = {"heap", "array", "slice", "embedded"};
    static const ps_holding held_kinds[] = {PS_HELD_HEAP, PS_HELD_ARRAY, PS_HELD_ARRAY,
                                            PS_HELD_EMBEDDED};
    static const char *const keys[] = {"type", "instances", "held", "in", "optional", NULL};
    char at[400];
    if (!cJSON_IsObject(h))
        return bad(c, path, "expected an object with \"type\" and \"instances\"%s", NULL);
    if (known_keys(c, h, path, keys) || need_string(c, h, "type", path, &t->type))
        return -1;
    t->has_instances = !profiled || cJSON_GetObjectItemCaseSensitive(h, "instances");
    if (t->has_instances && need_count(c, h, "instances", path, &t->instances))
        return -1;
    const cJSON *opt = cJSON_GetObjectItemCaseSensitive(h, "optional");
    at_key(at, sizeof(at), path, "optional");
    if (opt && !cJSON_IsBool(opt))
        return bad(c, at, "expected true or false%s", NULL);
    t->optional = cJSON_IsTrue(opt);
    const cJSON *held = cJSON_GetObjectItemCaseSensitive(h, "held");
    at_key(at, sizeof(at), path, "held");
    t->held = PS_HELD_HEAP;
    if (held) {
        size_t k = 0;
        while (k < 4 && !(cJSON_IsString(held) && !strcmp(held->valuestring, helds[k])))
            k++;
        if (cJSON_IsString(held) && !strcmp(held->valuestring, "map"))
            return bad(c, at, "Go map values are not modeled (bucket layout and fill decide "
                              "their bytes); leave the type out, or use \"heap\" when the map "
                              "holds pointers to it%s", NULL);
        if (k == 4)
            return bad(c, at, "expected \"heap\", \"array\", \"slice\" or \"embedded\"%s", NULL);
        t->held = held_kinds[k];
    }
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(h, "in");
    at_key(at, sizeof(at), path, "in");
    if (t->held == PS_HELD_EMBEDDED)
        return need_string(c, h, "in", path, &t->in);
    if (in)
        return bad(c, at, "only an embedded type has \"in\"%s", NULL);
    return 0;
}

/* A report may say which binary it should describe: "binary" (path) and
 * "build_id" are then expectations, checked against the report. */
static int read_report(mctx *c, const cJSON *s, const char *path, ps_service *svc)
{
    char at[400];
    const char *file;
    at_key(at, sizeof(at), path, "report");
    if (need_string(c, s, "report", path, &file) || need_file(c, at, file, &svc->report))
        return -1;
    const cJSON *bin = cJSON_GetObjectItemCaseSensitive(s, "binary");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "build_id");
    if (bin && need_string(c, s, "binary", path, &svc->expect_path))
        return -1;
    if (id && need_string(c, s, "build_id", path, &svc->expect_build_id))
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(s, "binaries"))
        return bad(c, path, "a service with a \"report\" takes no \"binaries\"%s", NULL);
    return 0;
}

static int read_sources(mctx *c, const cJSON *s, const char *path, ps_service *svc)
{
    char at[400];
    const cJSON *bin = cJSON_GetObjectItemCaseSensitive(s, "binary");
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(s, "binaries");
    if (cJSON_GetObjectItemCaseSensitive(s, "report"))
        return read_report(c, s, path, svc);
    if (!!bin + !!bins != 1)
        return bad(c, path, "needs exactly one of \"binary\", \"binaries\" or \"report\"%s", NULL);
    if (bin) {
        svc->nbinaries = 1;
        svc->binaries = ps_arena_zalloc(&c->m->arena, sizeof(char *));
        at_key(at, sizeof(at), path, "binary");
        const char *file;
        return need_string(c, s, "binary", path, &file) || need_file(c, at, file, &svc->binaries[0]);
    }
    at_key(at, sizeof(at), path, "binaries");
    if (!cJSON_IsArray(bins) || !cJSON_GetArraySize(bins))
        return bad(c, at, "expected a non-empty array of paths%s", NULL);
    svc->nbinaries = (size_t)cJSON_GetArraySize(bins);
    svc->binaries = ps_arena_zalloc(&c->m->arena, svc->nbinaries * sizeof(char *));
    size_t i = 0;
    for (const cJSON *b = bins->child; b; b = b->next, i++) {
        snprintf(at, sizeof(at), "%s.binaries[%zu]", path, i);
        if (!cJSON_IsString(b) || !b->valuestring[0])
            return bad(c, at, "expected a path%s", NULL);
        if (need_file(c, at, b->valuestring, &svc->binaries[i]))
            return -1;
    }
    return 0;
}

/* instances × replicas must fit in 64 bits (the estimate then checks
 * the bytes too): a wrapped count would be a plausible, wrong total. */
static int check_instances(mctx *c, const char *path, const ps_service *svc)
{
    char at[400];
    for (size_t i = 0; i < svc->nhot; i++) {
        uint64_t all;
        if (ps_mul_ok(svc->hot[i].instances, svc->replicas, &all))
            continue;
        snprintf(at, sizeof(at), "%s.hot_types[%zu].instances", path, i);
        return bad(c, at, "instances times replicas exceeds 2^64%s", NULL);
    }
    return 0;
}

static int read_go_version(mctx *c, const cJSON *s, const char *path, ps_service *svc)
{
    char at[400];
    if (!cJSON_GetObjectItemCaseSensitive(s, "go_version"))
        return 0;
    if (need_string(c, s, "go_version", path, &svc->go_version))
        return -1;
    at_key(at, sizeof(at), path, "go_version");
    if (strncmp(svc->go_version, "go1.", 4) || !ps_go_version_minor(svc->go_version))
        return bad(c, at, "expected a Go version such as \"go1.22\", not \"%s\"", svc->go_version);
    return 0;
}

/* "heap_profiles": Go heap profiles of the service's one binary, and
 * "profile_top": how many of their structs become hot types. */
static int read_profiles(mctx *c, const cJSON *s, const char *path, ps_service *svc)
{
    char at[400];
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "heap_profiles");
    const cJSON *top = cJSON_GetObjectItemCaseSensitive(s, "profile_top");
    at_key(at, sizeof(at), path, "profile_top");
    if (!p && top)
        return bad(c, at, "only a service with \"heap_profiles\" takes \"profile_top\"%s", NULL);
    if (!p)
        return 0;
    at_key(at, sizeof(at), path, "heap_profiles");
    if (!cJSON_IsArray(p) || !cJSON_GetArraySize(p))
        return bad(c, at, "expected a non-empty array of heap profile paths%s", NULL);
    if (svc->nbinaries != 1)
        return bad(c, at, "heap profiles need the service's one \"binary\" (not a report or "
                          "several binaries)%s", NULL);
    svc->nprofiles = (size_t)cJSON_GetArraySize(p);
    svc->heap_profiles = ps_arena_zalloc(&c->m->arena, svc->nprofiles * sizeof(char *));
    size_t i = 0;
    for (const cJSON *f = p->child; f; f = f->next, i++) {
        snprintf(at, sizeof(at), "%s.heap_profiles[%zu]", path, i);
        if (!cJSON_IsString(f) || !f->valuestring[0])
            return bad(c, at, "expected a path%s", NULL);
        if (need_file(c, at, f->valuestring, &svc->heap_profiles[i]))
            return -1;
    }
    svc->profile_top = 10;
    return top ? need_count(c, s, "profile_top", path, &svc->profile_top) : 0;
}

/* The same hot type listed twice for a service would count its savings
 * twice: the second listing is an error (the same type glob held the same
 * way; a type both on the heap and embedded is two populations). */
static int repeated_hot(mctx *c, const char *path, const ps_service *svc)
{
    char at[400];
    for (size_t i = 0; i < svc->nhot; i++)
        for (size_t k = 0; k < i; k++) {
            const ps_hot_type *a = &svc->hot[k], *b = &svc->hot[i];
            if (strcmp(a->type, b->type) || a->held != b->held ||
                strcmp(a->in ? a->in : "", b->in ? b->in : ""))
                continue;
            snprintf(at, sizeof(at), "%s.hot_types[%zu].type", path, i);
            int n = snprintf(c->err, c->errlen, "%s: %s: '%s' is listed already (hot_types[%zu]), "
                             "and would be counted twice: give its instances once",
                             c->m->path, at, b->type, k);
            (void)n;
            return -1;
        }
    return 0;
}

static int read_service(mctx *c, const cJSON *s, const char *path, ps_service *svc)
{
    static const char *const keys[] = {"name", "binary", "binaries", "report", "build_id",
                                       "replicas", "allocator", "go_version", "hot_types",
                                       "heap_profiles", "profile_top", NULL};
    char at[400];
    if (!cJSON_IsObject(s))
        return bad(c, path, "expected an object describing a service%s", NULL);
    if (known_keys(c, s, path, keys) || need_string(c, s, "name", path, &svc->name) ||
        read_sources(c, s, path, svc) || need_count(c, s, "replicas", path, &svc->replicas) ||
        read_go_version(c, s, path, svc) || read_profiles(c, s, path, svc))
        return -1;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "allocator");
    at_key(at, sizeof(at), path, "allocator");
    if (a && (!cJSON_IsString(a) || !ps_allocator_parse(a->valuestring, &svc->allocator)))
        return bad(c, at, "unknown allocator %s (expected go, glibc, jemalloc, tcmalloc or exact)",
                   cJSON_IsString(a) ? a->valuestring : "");
    svc->has_allocator = a != NULL;
    const cJSON *hot = cJSON_GetObjectItemCaseSensitive(s, "hot_types");
    at_key(at, sizeof(at), path, "hot_types");
    if (svc->nprofiles && !hot)
        return check_instances(c, path, svc); /* the hot types come from the profiles */
    if (!cJSON_IsArray(hot) || (!cJSON_GetArraySize(hot) && !svc->nprofiles))
        return bad(c, at, hot ? "expected a non-empty array%s" : "missing (expected an array)%s", NULL);
    svc->nhot = (size_t)cJSON_GetArraySize(hot);
    svc->hot = ps_arena_zalloc(&c->m->arena, svc->nhot * sizeof(ps_hot_type));
    size_t i = 0;
    for (const cJSON *h = hot->child; h; h = h->next, i++) {
        snprintf(at, sizeof(at), "%s.hot_types[%zu]", path, i);
        if (read_hot(c, h, at, &svc->hot[i], svc->nprofiles > 0))
            return -1;
    }
    return repeated_hot(c, path, svc) || check_instances(c, path, svc) ? -1 : 0;
}

/* Two services of one name would be one line of the report twice. */
static int repeated_name(mctx *c, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (!strcmp(c->m->services[k].name, c->m->services[i].name)) {
            int n = snprintf(c->err, c->errlen, "%s: $.services[%zu].name: service '%s' is "
                             "named already ($.services[%zu]): give each service its own name",
                             c->m->path, i, c->m->services[i].name, k);
            (void)n;
            return -1;
        }
    return 0;
}

int ps_manifest_load(const char *path, ps_manifest *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    m->path = path;
    m->doc = ps_json_load(path, err, errlen);
    if (!m->doc)
        return -1;
    const char *slash = strrchr(path, '/');
    mctx c = {m, slash ? ps_arena_strndup(&m->arena, path, (size_t)(slash - path)) : "", err, errlen};
    const cJSON *services = cJSON_GetObjectItemCaseSensitive(m->doc, "services");
    int rc = 0;
    static const char *const keys[] = {"services", "about", "$schema", NULL};
    if (!cJSON_IsObject(m->doc))
        rc = bad(&c, "$", "expected an object with \"services\"%s", NULL);
    else if (known_keys(&c, m->doc, "$", keys))
        rc = -1;
    else if (!cJSON_IsArray(services) || !cJSON_GetArraySize(services))
        rc = bad(&c, "$.services", services ? "expected a non-empty array%s"
                                            : "missing (expected an array of services)%s", NULL);
    if (rc)
        return rc;
    m->n = (size_t)cJSON_GetArraySize(services);
    m->services = ps_arena_zalloc(&m->arena, m->n * sizeof(ps_service));
    size_t i = 0;
    for (const cJSON *s = services->child; s && !rc; s = s->next, i++) {
        char at[64];
        snprintf(at, sizeof(at), "$.services[%zu]", i);
        rc = read_service(&c, s, at, &m->services[i]) || repeated_name(&c, i) ? -1 : 0;
    }
    return rc;
}

void ps_manifest_free(ps_manifest *m)
{
    cJSON_Delete(m->doc);
    ps_arena_free(&m->arena);
    memset(m, 0, sizeof(*m));
}
