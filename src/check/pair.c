/*
 * Which struct of an earlier snapshot is this one?  diff and baselines
 * pair structs by name, but a name can stand for several records (the
 * same tag in two files, a source compiled twice with other macros): the
 * k-th record of a name then pairs with the one declared in the same file
 * with the same size, else with the first one left of that name, never
 * with one already taken.  Lines are not compared (a comment above a type
 * moves it); linear in the structs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/check.h"
#include "padscan/util.h"

static char *place_key(const ps_snap_struct *s)
{
    const char *file = s->decl_file ? s->decl_file : "";
    size_t n = strlen(s->name) + strlen(file) + 32;
    char *key = ps_xmalloc(n);
    snprintf(key, n, "%s\x1f%s\x1f%llu", s->name, file, (unsigned long long)s->size);
    return key;
}

/* Appends struct i to the chain of group g (head/tail per group). */
static void chain(uint32_t *head, uint32_t *tail, uint32_t *next, uint32_t g, uint32_t i)
{
    if (head[g] == PS_STRINDEX_NONE)
        head[g] = i;
    else
        next[tail[g]] = i;
    tail[g] = i;
}

void ps_snap_pairing_init(ps_snap_pairing *p, const ps_snapshot *before)
{
    memset(p, 0, sizeof(*p));
    p->snap = before;
    size_t n = before ? before->n : 0;
    p->keys = ps_xcalloc(n + 1, sizeof(char *));
    p->used = ps_xcalloc(n + 1, sizeof(bool));
    p->next_name = ps_xmalloc((n + 1) * sizeof(uint32_t));
    p->next_place = ps_xmalloc((n + 1) * sizeof(uint32_t));
    p->head_name = ps_xmalloc((n + 1) * sizeof(uint32_t));
    p->head_place = ps_xmalloc((n + 1) * sizeof(uint32_t));
    uint32_t *tail_name = ps_xmalloc((n + 1) * sizeof(uint32_t));
    uint32_t *tail_place = ps_xmalloc((n + 1) * sizeof(uint32_t));
    memset(p->next_name, 0xff, (n + 1) * sizeof(uint32_t));
    memset(p->next_place, 0xff, (n + 1) * sizeof(uint32_t));
    memset(p->head_name, 0xff, (n + 1) * sizeof(uint32_t));
    memset(p->head_place, 0xff, (n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        const ps_snap_struct *s = &before->structs[i];
        p->keys[i] = place_key(s);
        uint32_t g = ps_strindex_add(&p->names, s->name, (uint32_t)p->names.len);
        chain(p->head_name, tail_name, p->next_name, g, (uint32_t)i);
        g = ps_strindex_add(&p->places, p->keys[i], (uint32_t)p->places.len);
        chain(p->head_place, tail_place, p->next_place, g, (uint32_t)i);
    }
    free(tail_name);
    free(tail_place);
}

/* The first struct of group g not taken yet, now taken; or NONE. */
static uint32_t take(ps_snap_pairing *p, uint32_t *head, const uint32_t *next, uint32_t g)
{
    if (g == PS_STRINDEX_NONE)
        return PS_STRINDEX_NONE;
    while (head[g] != PS_STRINDEX_NONE && p->used[head[g]])
        head[g] = next[head[g]];
    uint32_t i = head[g];
    if (i != PS_STRINDEX_NONE) {
        p->used[i] = true;
        head[g] = next[i];
    }
    return i;
}

/* Same name, file and size first, for every struct, so that a changed
 * record cannot take the partner of an unchanged one; then by name. */
void ps_snap_pair_all(ps_snap_pairing *p, const ps_snapshot *after, const ps_snap_struct **match)
{
    for (size_t k = 0; k < after->n; k++) {
        char *key = place_key(&after->structs[k]);
        uint32_t i = p->snap ? take(p, p->head_place, p->next_place, ps_strindex_get(&p->places, key))
                             : PS_STRINDEX_NONE;
        free(key);
        match[k] = i == PS_STRINDEX_NONE ? NULL : &p->snap->structs[i];
    }
    for (size_t k = 0; k < after->n && p->snap; k++) {
        if (match[k])
            continue;
        uint32_t i = take(p, p->head_name, p->next_name,
                          ps_strindex_get(&p->names, after->structs[k].name));
        match[k] = i == PS_STRINDEX_NONE ? NULL : &p->snap->structs[i];
    }
}

bool ps_snap_paired(const ps_snap_pairing *p, size_t i)
{
    return p->used[i];
}

void ps_snap_pairing_free(ps_snap_pairing *p)
{
    size_t n = p->snap ? p->snap->n : 0;
    for (size_t i = 0; i < n; i++)
        free(p->keys[i]);
    free(p->keys);
    free(p->used);
    free(p->next_name);
    free(p->next_place);
    free(p->head_name);
    free(p->head_place);
    ps_strindex_free(&p->names);
    ps_strindex_free(&p->places);
    memset(p, 0, sizeof(*p));
}
