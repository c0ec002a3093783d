/*
 * Budget entries that match nothing.  A rule whose glob names no record
 * (a typo, a renamed type, a type the selection left out) would pass
 * forever having checked nothing, so it is an error, with the record name
 * nearest to it, unless the rule says it may match nothing ("optional").
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"

static bool any_record(const char *glob, const ps_snapshot *const *snaps, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < snaps[k]->n; i++)
            if (!fnmatch(glob, snaps[k]->structs[i].name, 0))
                return true;
    return false;
}

static int unmatched(const char *file, const char *at, const char *glob,
                     const ps_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += snaps[k]->n;
    const char **names = ps_xmalloc((total + 1) * sizeof(char *));
    total = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < snaps[k]->n; i++)
            names[total++] = snaps[k]->structs[i].name;
    const char *near = ps_nearest_name(glob, names, total);
    snprintf(err, errlen, "%s: %s: '%s' matches no record of the checked %s%s%s%s; "
             "say \"optional\": true if it may match nothing",
             file, at, glob, n == 1 ? "input" : "inputs", near ? " (did you mean '" : "",
             near ? near : "", near ? "'?)" : "");
    free(names);
    return -1;
}

int ps_check_unmatched(const char *file, const ps_budget *b, const ps_snapshot *const *snaps,
                       size_t n, char *err, size_t errlen)
{
    char at[96];
    for (size_t r = 0; r < b->nrules; r++)
        for (size_t t = 0; !b->rules[r].optional && t < b->rules[r].ntypes; t++)
            if (!any_record(b->rules[r].types[t], snaps, n)) {
                if (b->rules[r].one_type)
                    snprintf(at, sizeof(at), "$.rules[%zu].types", r);
                else
                    snprintf(at, sizeof(at), "$.rules[%zu].types[%zu]", r, t);
                return unmatched(file, at, b->rules[r].types[t], snaps, n, err, errlen);
            }
    for (size_t i = 0; i < b->nignores; i++)
        if (!b->ignores[i].optional && !any_record(b->ignores[i].type, snaps, n)) {
            snprintf(at, sizeof(at), "$.ignore[%zu].type", i);
            return unmatched(file, at, b->ignores[i].type, snaps, n, err, errlen);
        }
    return 0;
}

/* Did limit k of rule r measure any record? */
static bool measured(const ps_check *c, size_t r, ps_rule_kind k)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->results[i].rule_index == r && !strcmp(c->results[i].rule, ps_rule_name(k)))
            return true;
    return false;
}

/* Why limit k of rule r measured nothing: the records its globs match. */
static void unmeasured_reason(const ps_budget *b, size_t r, ps_rule_kind k,
                              const ps_snapshot *const *snaps, size_t n, char *why, size_t len)
{
    size_t matched = 0, ignored = 0;
    const char *example = NULL;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < snaps[j]->n; i++) {
            const ps_snap_struct *s = &snaps[j]->structs[i];
            if (!ps_rule_covers(&b->rules[r], s->name))
                continue;
            matched++;
            ignored += ps_budget_ignores(b, s->name);
            example = example ? example : s->name;
        }
    if (matched && ignored == matched)
        snprintf(why, len, "every record its types match (%zu) is in \"ignore\"", matched);
    else if (k == PS_RULE_MAX_POINTER_BYTES)
        snprintf(why, len, "pointer bytes are measured on Go records only, and its types match "
                 "only C records (%zu, e.g. '%s')", matched, example ? example : "");
    else
        snprintf(why, len, "no record its types match (%zu) was measured", matched);
}

int ps_check_unmeasured(const char *file, const ps_budget *b, const ps_check *c,
                        const ps_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
    for (size_t r = 0; r < b->nrules; r++)
        for (int k = 0; !b->rules[r].optional && k < PS_RULE_KINDS; k++) {
            if (!b->rules[r].has[k] || measured(c, r, (ps_rule_kind)k))
                continue;
            char why[600];
            unmeasured_reason(b, r, (ps_rule_kind)k, snaps, n, why, sizeof(why));
            snprintf(err, errlen, "%s: $.rules[%zu].%s: the limit checks nothing: %s; drop it, "
                     "or say \"optional\": true in the rule if that is meant", file, r,
                     ps_rule_name((ps_rule_kind)k), why);
            return -1;
        }
    return 0;
}
