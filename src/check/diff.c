/*
 * Differences between two snapshots of the same program: structs added
 * and removed, and for the others size, waste, cache lines, pointer bytes
 * and members added, removed or moved.
 */
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"
#include "padscan/util.h"

static void add(ps_diff *d, ps_change_kind kind, const char *type, const char *member,
                uint64_t before, uint64_t after, bool regression)
{
    d->changes = ps_xgrow(d->changes, &d->cap, d->n + 1, sizeof(*d->changes));
    d->changes[d->n++] = (ps_change){kind, type, member, before, after, regression};
    d->regressions += regression;
}

/* Members pair by name and, for repeated names (Go's blank _ fields), by
 * their rank among the members of that name: group g's members are
 * at[start[g]] .. at[start[g + 1] - 1], in order; rank[i] is member i's
 * place in its group.  Linear in the members. */
typedef struct member_groups {
    ps_strindex names; /* name -> group */
    uint32_t *group, *rank, *start, *at;
} member_groups;

static void group_members(const ps_snap_struct *s, member_groups *g)
{
    memset(g, 0, sizeof(*g));
    size_t n = s->nmembers;
    g->group = ps_xcalloc(n + 1, sizeof(uint32_t));
    g->rank = ps_xcalloc(n + 1, sizeof(uint32_t));
    g->start = ps_xcalloc(n + 2, sizeof(uint32_t));
    g->at = ps_xcalloc(n + 1, sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        g->group[i] = ps_strindex_add(&g->names, s->members[i].name, (uint32_t)g->names.len);
        g->rank[i] = g->start[g->group[i] + 1]++; /* counts for now */
    }
    for (size_t k = 1; k <= g->names.len; k++)
        g->start[k] += g->start[k - 1];
    for (size_t i = 0; i < n; i++)
        g->at[g->start[g->group[i]] + g->rank[i]] = (uint32_t)i;
}

static void free_groups(member_groups *g)
{
    ps_strindex_free(&g->names);
    free(g->group);
    free(g->rank);
    free(g->start);
    free(g->at);
}

/* The member of s with that name and rank, or NULL. */
static const ps_snap_member *member_named(const ps_snap_struct *s, const member_groups *g,
                                         const char *name, uint32_t rank)
{
    uint32_t k = ps_strindex_get(&g->names, name);
    if (k == PS_STRINDEX_NONE || g->start[k] + rank >= g->start[k + 1])
        return NULL;
    return &s->members[g->at[g->start[k] + rank]];
}

static void members(ps_diff *d, const ps_snap_struct *a, const ps_snap_struct *b)
{
    member_groups ga, gb;
    group_members(a, &ga);
    group_members(b, &gb);
    for (size_t i = 0; i < a->nmembers; i++) {
        const ps_snap_member *now = member_named(b, &gb, a->members[i].name, ga.rank[i]);
        if (!now)
            add(d, PS_CHANGE_MEMBER_REMOVED, b->name, a->members[i].name, a->members[i].offset, 0, false);
        else if (now->offset != a->members[i].offset)
            add(d, PS_CHANGE_MEMBER_MOVED, b->name, now->name, a->members[i].offset, now->offset, false);
    }
    for (size_t i = 0; i < b->nmembers; i++)
        if (!member_named(a, &ga, b->members[i].name, gb.rank[i]))
            add(d, PS_CHANGE_MEMBER_ADDED, b->name, b->members[i].name, 0, b->members[i].offset, false);
    free_groups(&ga);
    free_groups(&gb);
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
    ps_snap_pairing pairs;
    ps_snap_pairing_init(&pairs, before);
    const ps_snap_struct **was = ps_xcalloc(after->n + 1, sizeof(*was));
    ps_snap_pair_all(&pairs, after, was);
    for (size_t i = 0; i < before->n; i++)
        if (!ps_snap_paired(&pairs, i))
            add(d, PS_CHANGE_REMOVED, before->structs[i].name, NULL, before->structs[i].size, 0, false);
    for (size_t i = 0; i < after->n; i++) {
        const ps_snap_struct *b = &after->structs[i], *a = was[i];
        if (!a) {
            add(d, PS_CHANGE_ADDED, b->name, NULL, 0, b->size, false);
            continue;
        }
        d->compared++;
        measures(d, a, b);
        members(d, a, b);
    }
    free(was);
    ps_snap_pairing_free(&pairs);
}

void ps_diff_free(ps_diff *d)
{
    free(d->changes);
    memset(d, 0, sizeof(*d));
}
