/*
 * Cache-line groups (padscan.json "groups"), asserted on a snapshot as the
 * kernel asserts its __cacheline_group_begin/end groups at build time:
 * each group's fields are contiguous (no field of another group, or of no
 * group, lies between them) and span no more cache lines than its budget.
 * A field added to the wrong group fails CI.
 */
#include <fnmatch.h>
#include <string.h>

#include "padscan/check.h"

static bool in_group(const ps_group_rule *g, const char *name)
{
    for (size_t i = 0; i < g->nfields; i++)
        if (!strcmp(g->fields[i], name))
            return true;
    return false;
}

static ps_check_result *add(ps_check *c)
{
    c->results = ps_xgrow(c->results, &c->cap, c->n + 1, sizeof(*c->results));
    memset(&c->results[c->n], 0, sizeof(*c->results));
    return &c->results[c->n++];
}

static void result(ps_check *c, const ps_snap_struct *s, const ps_snapshot *snap, const char *rule,
                   double value, double limit)
{
    ps_check_result *x = add(c);
    x->s = s;
    x->binary = snap->source;
    x->rule = rule;
    x->rule_index = (size_t)-1;
    x->value = value;
    x->limit = limit;
    x->failed = value > limit;
    x->fix = s->fix;
    c->failures += x->failed;
}

static void one_group(ps_check *c, const ps_group_rule *g, const ps_snap_struct *s,
                      const ps_snapshot *snap, unsigned line)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < s->nmembers; i++) {
        const ps_snap_member *m = &s->members[i];
        if (!in_group(g, m->name))
            continue;
        lo = m->offset < lo ? m->offset : lo;
        hi = m->offset + (m->size ? m->size : 0) > hi ? m->offset + m->size : hi;
    }
    if (lo == UINT64_MAX)
        return; /* none of its fields in this record */
    hi = hi > lo ? hi : lo + 1;
    uint32_t intruders = 0;
    for (size_t i = 0; i < s->nmembers; i++) {
        const ps_snap_member *m = &s->members[i];
        bool inside = m->size ? m->offset < hi && m->offset + m->size > lo
                              : m->offset > lo && m->offset < hi;
        intruders += inside && !in_group(g, m->name);
    }
    result(c, s, snap, g->contiguous_rule, intruders, 0);
    if (g->max_lines && line)
        result(c, s, snap, g->lines_rule, (double)((hi - 1) / line - lo / line + 1), g->max_lines);
}

void ps_check_groups(ps_check *c, const ps_group_rule *g, size_t n, const ps_snapshot *snap,
                     unsigned line)
{
    for (size_t i = 0; i < snap->n; i++) {
        const ps_snap_struct *s = &snap->structs[i];
        for (size_t k = 0; k < n; k++)
            if (!fnmatch(g[k].type, s->name, 0) || (s->ctype && !fnmatch(g[k].type, s->ctype, 0)))
                one_group(c, &g[k], s, snap, line);
    }
}
