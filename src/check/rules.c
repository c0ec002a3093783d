/*
 * Budgets: each rule of the budget file against each struct it covers.
 * With a baseline, the gate ratchets: a struct may not get worse than it
 * was, but old debt does not fail the build.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"
#include "padscan/util.h"

static const char *const rule_names[PS_RULE_KINDS] = {
    "max_waste", "max_waste_percent", "max_size", "max_cachelines", "must_be_optimal",
    "max_pointer_bytes", "max_shared_sync_lines",
};

const char *ps_rule_name(ps_rule_kind k) { return rule_names[k]; }

const ps_snap_struct *ps_snap_find(const ps_snapshot *s, const char *name)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (!strcmp(s->structs[i].name, name))
            return &s->structs[i];
    return NULL;
}

void ps_snap_index_init(ps_snap_index *x, const ps_snapshot *s)
{
    memset(x, 0, sizeof(*x));
    x->snap = s;
    for (size_t i = 0; s && i < s->n; i++) /* the first of a name wins, as in ps_snap_find */
        ps_strindex_add(&x->names, s->structs[i].name, (uint32_t)i);
}

const ps_snap_struct *ps_snap_index_find(const ps_snap_index *x, const char *name)
{
    uint32_t i = ps_strindex_get(&x->names, name);
    return i == PS_STRINDEX_NONE ? NULL : &x->snap->structs[i];
}

void ps_snap_index_free(ps_snap_index *x) { ps_strindex_free(&x->names); }

bool ps_rule_covers(const ps_budget_rule *r, const char *name)
{
    for (size_t i = 0; i < r->ntypes; i++)
        if (!fnmatch(r->types[i], name, 0))
            return true;
    return false;
}

bool ps_budget_ignores(const ps_budget *b, const char *name)
{
    for (size_t i = 0; i < b->nignores; i++)
        if (!fnmatch(b->ignores[i].type, name, 0))
            return true;
    return false;
}

/* The measured value a rule limits; must_be_optimal measures the bytes
 * above the optimum. */
static double measure(ps_rule_kind k, const ps_snap_struct *s)
{
    switch (k) {
    case PS_RULE_MAX_WASTE: return (double)s->waste;
    case PS_RULE_MAX_WASTE_PERCENT: return ps_snap_waste_percent(s);
    case PS_RULE_MAX_SIZE: return (double)s->size;
    case PS_RULE_MAX_CACHELINES: return s->cachelines;
    case PS_RULE_MUST_BE_OPTIMAL: return (double)(s->size - s->optimal_size);
    case PS_RULE_MAX_SHARED_SYNC_LINES: return s->shared_sync_lines;
    default: return (double)s->ptr_bytes;
    }
}

static ps_check_result *add(ps_check *c)
{
    c->results = ps_xgrow(c->results, &c->cap, c->n + 1, sizeof(*c->results));
    memset(&c->results[c->n], 0, sizeof(*c->results));
    return &c->results[c->n++];
}

static void apply_rule(ps_check *c, size_t ri, const ps_budget_rule *r, const ps_snap_struct *s,
                       const ps_snapshot *snap, const ps_snap_struct *was)
{
    for (int k = 0; k < PS_RULE_KINDS; k++) {
        if (!r->has[k] || (k == PS_RULE_MAX_POINTER_BYTES && strcmp(s->lang, "go")))
            continue;
        ps_check_result *x = add(c);
        x->s = s;
        x->binary = snap->source;
        x->rule = rule_names[k];
        x->rule_index = ri;
        x->value = measure((ps_rule_kind)k, s);
        x->limit = k == PS_RULE_MUST_BE_OPTIMAL ? 0 : r->limit[k];
        x->failed = x->value > x->limit;
        x->grandfathered = x->failed && was && x->value <= measure((ps_rule_kind)k, was);
        x->fix = ps_rule_fix((ps_rule_kind)k, x->limit, s, &c->arena);
        c->failures += x->failed && !x->grandfathered;
    }
}

/* Against a baseline, growth is a regression whatever the rules say. */
static void growth(ps_check *c, const ps_snap_struct *s, const ps_snapshot *snap,
                   const ps_snap_struct *was)
{
    static const char *const what[2] = {"grew", "more_waste"};
    double now[2] = {(double)s->size, (double)s->waste}, before[2] = {(double)was->size, (double)was->waste};
    for (int k = 0; k < 2; k++) {
        ps_check_result *x = add(c);
        x->s = s;
        x->binary = snap->source;
        x->rule = what[k];
        x->rule_index = (size_t)-1;
        x->value = now[k];
        x->limit = before[k];
        x->failed = now[k] > before[k];
        x->fix = s->fix;
        c->failures += x->failed;
    }
}

void ps_check_snapshot(ps_check *c, const ps_budget *b, const ps_snapshot *snap,
                       const ps_snapshot *baseline)
{
    ps_snap_pairing base;
    ps_snap_pairing_init(&base, baseline);
    const ps_snap_struct **known = ps_xcalloc(snap->n + 1, sizeof(*known));
    ps_snap_pair_all(&base, snap, known);
    for (size_t i = 0; i < snap->n; i++) {
        const ps_snap_struct *s = &snap->structs[i];
        if (ps_budget_ignores(b, s->name))
            continue;
        const ps_snap_struct *was = known[i];
        bool covered = false;
        for (size_t r = 0; r < b->nrules; r++)
            if (ps_rule_covers(&b->rules[r], s->name)) {
                apply_rule(c, r, &b->rules[r], s, snap, was);
                covered = true;
            }
        if (covered && was)
            growth(c, s, snap, was);
    }
    free(known);
    ps_snap_pairing_free(&base);
}

void ps_check_fleet(ps_check *c, const ps_budget *b, uint64_t fleet_waste)
{
    if (!b->has_fleet_max_waste)
        return;
    ps_check_result *x = add(c);
    x->rule = "fleet.max_waste";
    x->value = (double)fleet_waste;
    x->limit = (double)b->fleet_max_waste;
    x->failed = x->value > x->limit;
    c->failures += x->failed;
}

void ps_check_free(ps_check *c)
{
    ps_arena_free(&c->arena);
    free(c->results);
    memset(c, 0, sizeof(*c));
}
