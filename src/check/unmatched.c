/*
 * Budget entries that match nothing.  A rule whose glob names no record
 * (a typo, a renamed type, a type the selection left out) would pass
 * forever having checked nothing, so it is an error, with the record name
 * nearest to it, unless the rule says it may match nothing ("optional").
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>

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
