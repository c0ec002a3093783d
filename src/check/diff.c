/*
 * Differences between two snapshots of the same program: structs added
 * and removed, and for the others size, waste, cache lines, pointer bytes
 * and members added, removed or moved.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"

static void add(ps_diff *d, ps_change_kind kind, const char *type, const char *member,
                uint64_t before, uint64_t after, bool regression)
{
    d->changes = realloc(d->changes, (d->n + 1) * sizeof(*d->changes));
    if (!d->changes)
        abort();
    d->changes[d->n++] = (ps_change){kind, type, member, before, after, regression};
    d->regressions += regression;
}

/* Members pair by name and, for repeated names (Go's blank _ fields), by
 * their rank among the members of that name. */
static size_t rank_of(const ps_snap_struct *s, size_t i)
{
    size_t r = 0;
    for (size_t k = 0; k < i; k++)
        r += !strcmp(s->members[k].name, s->members[i].name);
    return r;
}

static const ps_snap_member *member_named(const ps_snap_struct *s, const char *name, size_t rank)
{
    for (size_t i = 0; i < s->nmembers; i++)
        if (!strcmp(s->members[i].name, name) && rank-- == 0)
            return &s->members[i];
    return NULL;
}

static void members(ps_diff *d, const ps_snap_struct *a, const ps_snap_struct *b)
{
    for (size_t i = 0; i < a->nmembers; i++) {
        const ps_snap_member *now = member_named(b, a->members[i].name, rank_of(a, i));
        if (!now)
            add(d, PS_CHANGE_MEMBER_REMOVED, b->name, a->members[i].name, a->members[i].offset, 0, false);
        else if (now->offset != a->members[i].offset)
            add(d, PS_CHANGE_MEMBER_MOVED, b->name, now->name, a->members[i].offset, now->offset, false);
    }
    for (size_t i = 0; i < b->nmembers; i++)
        if (!member_named(a, b->members[i].name, rank_of(b, i)))
            add(d, PS_CHANGE_MEMBER_ADDED, b->name, b->members[i].name, 0, b->members[i].offset, false);
}

static void measures(ps_diff *d, const ps_snap_struct *a, const ps_snap_struct *b)
{
    const struct { ps_change_kind kind; uint64_t before, after; } m[] = {
        {PS_CHANGE_SIZE, a->size, b->size},
        {PS_CHANGE_WASTE, a->waste, b->waste},
        {PS_CHANGE_CACHELINES, a->cachelines, b->cachelines},
        {PS_CHANGE_POINTER_BYTES, a->ptr_bytes, b->ptr_bytes},
    };
    for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++)
        if (m[k].before != m[k].after)
            add(d, m[k].kind, b->name, NULL, m[k].before, m[k].after, m[k].after > m[k].before);
}

void ps_diff_snapshots(ps_diff *d, const ps_snapshot *before, const ps_snapshot *after)
{
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < before->n; i++)
        if (!ps_snap_find(after, before->structs[i].name))
            add(d, PS_CHANGE_REMOVED, before->structs[i].name, NULL, before->structs[i].size, 0, false);
    for (size_t i = 0; i < after->n; i++) {
        const ps_snap_struct *b = &after->structs[i], *a = ps_snap_find(before, b->name);
        if (!a) {
            add(d, PS_CHANGE_ADDED, b->name, NULL, 0, b->size, false);
            continue;
        }
        measures(d, a, b);
        members(d, a, b);
    }
}

void ps_diff_free(ps_diff *d)
{
    free(d->changes);
    memset(d, 0, sizeof(*d));
}
