/*
 * The budget file of `padscan check`:
 *
 *   { "rules": [ { "types": ["main.*"], "max_waste": 32,
 *                  "max_waste_percent": 25, "max_size": 256, "max_cachelines": 4,
 *                  "must_be_optimal": true, "max_pointer_bytes": 128 } ],
 *     "fleet": { "max_waste": 104857600 },
 *     "ignore": [ { "type": "wire_*", "reason": "wire formats" } ] }
 *
 * A rule glob or an ignore entry that matches no record is an error (with
 * a did-you-mean) unless its rule or entry says "optional": true.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/config.h"

typedef struct bctx {
    const char *file;
    char *err;
    size_t errlen;
} bctx;

static int bad(bctx *c, const char *path, const char *what)
{
    snprintf(c->err, c->errlen, "%s: %s: %s", c->file, path, what);
    return -1;
}

static int read_types(bctx *c, const cJSON *v, const char *path, ps_budget_rule *r)
{
    char at[1024];
    if (cJSON_IsString(v) && v->valuestring[0]) {
        const char **one = ps_xcalloc(1, sizeof(char *));
        one[0] = v->valuestring;
        r->types = one;
        r->ntypes = 1;
        r->one_type = true;
        return 0;
    }
    if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
        return bad(c, path, v ? "expected a type glob or a non-empty array of them"
                              : "missing (expected a type glob or an array of them)");
    const char **list = ps_xcalloc((size_t)cJSON_GetArraySize(v), sizeof(char *));
    r->types = list;
    for (const cJSON *e = v->child; e; e = e->next) {
        snprintf(at, sizeof(at), "%s[%zu]", path, r->ntypes);
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return bad(c, at, "expected a type glob (a non-empty string)");
        list[r->ntypes++] = e->valuestring;
    }
    return 0;
}

static int read_limit(bctx *c, const cJSON *v, const char *path, ps_rule_kind k, ps_budget_rule *r)
{
    if (k == PS_RULE_MUST_BE_OPTIMAL) {
        if (!cJSON_IsBool(v))
            return bad(c, path, "expected true or false");
        r->has[k] = cJSON_IsTrue(v);
        return 0;
    }
    bool whole = k != PS_RULE_MAX_WASTE_PERCENT;
    uint64_t n;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || (whole && !ps_json_whole(v, PS_JSON_MAX_COUNT, &n)) ||
        (k == PS_RULE_MAX_WASTE_PERCENT && v->valuedouble > 100))
        return bad(c, path, k == PS_RULE_MAX_WASTE_PERCENT ? "expected a percentage from 0 to 100"
                                                            : "expected a whole number of bytes (0 or more, at most 2^53)");
    r->has[k] = true;
    r->limit[k] = v->valuedouble;
    return 0;
}

static int read_rule(bctx *c, const cJSON *o, const char *path, ps_budget_rule *r)
{
    char at[768];
    if (!cJSON_IsObject(o))
        return bad(c, path, "expected an object with \"types\" and limits");
    snprintf(at, sizeof(at), "%s.types", path);
    if (read_types(c, cJSON_GetObjectItemCaseSensitive(o, "types"), at, r))
        return -1;
    bool any = false;
    for (const cJSON *f = o->child; f; f = f->next) {
        snprintf(at, sizeof(at), "%s.%s", path, f->string);
        if (!strcmp(f->string, "types") || !strcmp(f->string, "reason"))
            continue;
        if (!strcmp(f->string, "optional")) {
            if (!cJSON_IsBool(f))
                return bad(c, at, "expected true or false");
            r->optional = cJSON_IsTrue(f);
            continue;
        }
        int k = 0;
        while (k < PS_RULE_KINDS && strcmp(f->string, ps_rule_name((ps_rule_kind)k)))
            k++;
        if (k == PS_RULE_KINDS)
            return bad(c, at, "unknown rule (expected max_waste, max_waste_percent, max_size, "
                              "max_cachelines, must_be_optimal, max_pointer_bytes or "
                              "max_shared_sync_lines)");
        if (read_limit(c, f, at, (ps_rule_kind)k, r))
            return -1;
        any |= r->has[k]; /* "must_be_optimal": false limits nothing */
    }
    return any ? 0 : bad(c, path, "a rule needs at least one limit (\"must_be_optimal\": false "
                                  "is none)");
}

static int read_ignores(bctx *c, const cJSON *v, ps_budget *b)
{
    char at[128];
    if (!cJSON_IsArray(v))
        return bad(c, "$.ignore", "expected an array of {\"type\", \"reason\"}");
    b->ignores = ps_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(ps_budget_ignore));
    for (const cJSON *e = v->child; e; e = e->next, b->nignores++) {
        snprintf(at, sizeof(at), "$.ignore[%zu]", b->nignores);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
        const cJSON *why = cJSON_GetObjectItemCaseSensitive(e, "reason");
        if (!cJSON_IsObject(e) || !cJSON_IsString(t) || !t->valuestring[0])
            return bad(c, at, "expected {\"type\": GLOB, \"reason\": TEXT}");
        if (!cJSON_IsString(why) || !why->valuestring[0])
            return bad(c, at, "every ignored type needs a \"reason\"");
        const cJSON *opt = cJSON_GetObjectItemCaseSensitive(e, "optional");
        for (const cJSON *f = e->child; f; f = f->next)
            if (strcmp(f->string, "type") && strcmp(f->string, "reason") &&
                strcmp(f->string, "optional"))
                return bad(c, at, "unknown key (expected \"type\", \"reason\" or \"optional\")");
        if (opt && !cJSON_IsBool(opt))
            return bad(c, at, "optional: expected true or false");
        b->ignores[b->nignores] = (ps_budget_ignore){t->valuestring, why->valuestring,
                                                     cJSON_IsTrue(opt)};
    }
    return 0;
}

/* {"max_waste": BYTES, "optional": true}: optional lets a check without
 * --fleet skip the limit (with a note); otherwise that is an error. */
static int read_fleet(bctx *c, const cJSON *v, ps_budget *b)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(v, "max_waste");
    if (!cJSON_IsObject(v) || !w)
        return bad(c, "$.fleet", "expected {\"max_waste\": BYTES}");
    char at[600];
    for (const cJSON *f = v->child; f; f = f->next)
        if (strcmp(f->string, "max_waste") && strcmp(f->string, "optional") &&
            strcmp(f->string, "reason") && snprintf(at, sizeof(at), "$.fleet.%s", f->string))
            return bad(c, at, "unknown key (expected \"max_waste\", \"optional\" or "
                                     "\"reason\")");
    const cJSON *opt = cJSON_GetObjectItemCaseSensitive(v, "optional");
    if (opt && !cJSON_IsBool(opt))
        return bad(c, "$.fleet.optional", "expected true or false");
    if (!ps_json_whole(w, PS_JSON_MAX_COUNT, &b->fleet_max_waste))
        return bad(c, "$.fleet.max_waste", "expected a whole number of bytes (0 or more)");
    b->has_fleet_max_waste = true;
    b->fleet_optional = cJSON_IsTrue(opt);
    return 0;
}

static int read_budget(bctx *c, const cJSON *doc, ps_budget *b)
{
    if (!cJSON_IsObject(doc))
        return bad(c, "$", "expected an object with \"rules\"");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
    for (const cJSON *f = doc->child; f; f = f->next)
        if (strcmp(f->string, "rules") && strcmp(f->string, "fleet") && strcmp(f->string, "ignore") &&
            strcmp(f->string, "$schema"))
            return bad(c, "$", "unknown key (expected \"rules\", \"fleet\" or \"ignore\")");
    if (rules && !cJSON_IsArray(rules))
        return bad(c, "$.rules", "expected an array of rules");
    b->rules = ps_xcalloc((size_t)cJSON_GetArraySize(rules) + 1, sizeof(ps_budget_rule));
    for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next, b->nrules++) {
        char at[64];
        snprintf(at, sizeof(at), "$.rules[%zu]", b->nrules);
        if (read_rule(c, r, at, &b->rules[b->nrules]))
            return -1;
    }
    const cJSON *ign = cJSON_GetObjectItemCaseSensitive(doc, "ignore");
    const cJSON *fleet = cJSON_GetObjectItemCaseSensitive(doc, "fleet");
    if ((ign && read_ignores(c, ign, b)) || (fleet && read_fleet(c, fleet, b)))
        return -1;
    if (!b->nrules && !b->has_fleet_max_waste)
        return bad(c, "$", "no \"rules\" and no \"fleet\" limit: nothing to check");
    return 0;
}

int ps_budget_load(const char *path, ps_budget *b, cJSON **doc, char *err, size_t errlen)
{
    memset(b, 0, sizeof(*b));
    *doc = ps_json_load(path, err, errlen);
    if (!*doc)
        return -1;
    bctx c = {path, err, errlen};
    return read_budget(&c, *doc, b);
}

void ps_budget_free(ps_budget *b, cJSON *doc)
{
    for (size_t i = 0; b->rules && i <= b->nrules; i++)
        free((void *)b->rules[i].types);
    free(b->rules);
    free(b->ignores);
    cJSON_Delete(doc);
    memset(b, 0, sizeof(*b));
}
