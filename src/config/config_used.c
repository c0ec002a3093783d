/*
 * padscan.json against the binaries it is used with: an entry whose
 * pattern matches no record, or a hot or grouped field the record does not
 * have, would silently do nothing (a type not kept fixed, hot fields not placed
 * first), so it is an error naming the entry, with the nearest name.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/config.h"

static void entry_path(const ps_config_entry *x, char *at, size_t n)
{
    if (x->fixed_index >= 0)
        snprintf(at, n, "$.fixed[%ld]", x->fixed_index);
    else
        snprintf(at, n, "$.types[\"%s\"]", x->pattern);
}

static const char *nearest_type(const char *pattern, const ps_binary *const *bins, size_t n)
{
    ps_vec names;
    ps_vec_init(&names, sizeof(char *));
    for (size_t b = 0; b < n; b++)
        for (uint32_t i = 0; i < bins[b]->structs.len; i++) {
            const ps_struct *s = ps_struct_at(bins[b], i);
            if (!s->reported)
                continue;
            *(const char **)ps_vec_push(&names) = s->name;
            if (s->ctype)
                *(const char **)ps_vec_push(&names) = s->ctype;
        }
    const char *near = ps_nearest_name(pattern, names.data, names.len);
    ps_vec_free(&names);
    return near;
}

/* Does some record matching x have member `field`?  The first record
 * matched (for the did-you-mean) goes to *first. */
static bool has_field(const ps_config_entry *x, const char *field, const ps_binary *const *bins,
                      size_t n, const ps_binary **fb, const ps_struct **first)
{
    for (size_t b = 0; b < n; b++)
        for (uint32_t i = 0; i < bins[b]->structs.len; i++) {
            const ps_struct *s = ps_struct_at(bins[b], i);
            if (!s->reported || !ps_type_matches(x->pattern, s))
                continue;
            if (!*first) {
                *first = s;
                *fb = bins[b];
            }
            for (uint32_t k = 0; k < s->nmembers; k++)
                if (!strcmp(ps_members_of(bins[b], s)[k].name, field))
                    return true;
        }
    return false;
}

/* Every listed field (hot fields, a cache-line group's fields: `what`)
 * must be a member of the records the entry matches. */
static int check_fields(const ps_config_entry *x, const char *const *fields, size_t nfields,
                        const char *what, const char *path, const char *at,
                        const ps_binary *const *bins, size_t n, char *err, size_t errlen)
{
    for (size_t h = 0; h < nfields; h++) {
        const ps_binary *fb = NULL;
        const ps_struct *s = NULL;
        if (has_field(x, fields[h], bins, n, &fb, &s))
            continue;
        const char **names = ps_xmalloc((s->nmembers + 1) * sizeof(char *));
        for (uint32_t k = 0; k < s->nmembers; k++)
            names[k] = ps_members_of(fb, s)[k].name;
        const char *near = ps_nearest_name(fields[h], names, s->nmembers);
        snprintf(err, errlen, "%s: %s.%s[%zu]: %s has no member '%s'%s%s%s", path, at, what, h,
                 s->name, fields[h], near ? " (did you mean '" : "", near ? near : "",
                 near ? "'?)" : "");
        free(names);
        return -1;
    }
    return 0;
}

static int check_hot(const ps_config_entry *x, const char *path, const char *at,
                     const ps_binary *const *bins, size_t n, char *err, size_t errlen)
{
    if (check_fields(x, x->rules.hot, x->rules.nhot, "hot", path, at, bins, n, err, errlen))
        return -1;
    for (size_t g = 0; g < x->rules.ngroups; g++) {
        char what[512];
        snprintf(what, sizeof(what), "groups.%s", x->rules.groups[g].name);
        if (check_fields(x, x->rules.groups[g].fields, x->rules.groups[g].nfields, what, path, at,
                         bins, n, err, errlen))
            return -1;
    }
    return 0;
}

/* The type names of the records' members ("my_lock_t", "struct q",
 * "sync.Mutex"), for the did-you-mean of a sync_types glob. */
static const char *nearest_member_type(const char *glob, const ps_binary *const *bins, size_t n,
                                       char *out, size_t outlen)
{
    ps_vec names;
    ps_vec_init(&names, sizeof(char *));
    ps_arena a = {0};
    for (size_t b = 0; b < n; b++)
        for (size_t i = 0; i < bins[b]->members.len; i++) {
            const char *head = ((const ps_member *)bins[b]->members.data)[i].type_head;
            size_t len = head ? strlen(head) : 0;
            while (len && (head[len - 1] == ' ' || head[len - 1] == '*'))
                len--;
            if (len)
                *(const char **)ps_vec_push(&names) = ps_arena_strndup(&a, head, len);
        }
    const char *near = ps_nearest_name(glob, names.data, names.len);
    if (near)
        snprintf(out, outlen, "%s", near);
    ps_vec_free(&names);
    ps_arena_free(&a);
    return near ? out : NULL;
}

/* A sync_types glob that named no member's type marks nothing: the
 * false-sharing rule would be off for the type it meant. */
static int check_sync_types(const ps_config *cfg, const char *path, const ps_binary *const *bins,
                            size_t n, char *err, size_t errlen)
{
    for (size_t g = 0; g < cfg->nsync_types; g++) {
        bool hit = cfg->sync_optional && cfg->sync_optional[g];
        for (size_t b = 0; b < n && !hit; b++)
            hit = bins[b]->sync_types_used && bins[b]->sync_types_used[g];
        if (hit)
            continue;
        char buf[256];
        const char *near = nearest_member_type(cfg->sync_types[g], bins, n, buf, sizeof(buf));
        snprintf(err, errlen, "%s: $.sync_types[%zu]: '%s' names the type of no member of %s%s%s%s%s; "
                 "say {\"type\": \"%s\", \"optional\": true} if it may name nothing", path, g,
                 cfg->sync_types[g], bins[0]->path, n > 1 ? " or the other binaries" : "",
                 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
                 cfg->sync_types[g]);
        return -1;
    }
    return 0;
}

int ps_config_check_used(const ps_config *cfg, const char *path, const ps_binary *const *bins,
                         size_t n, char *err, size_t errlen)
{
    if (cfg && n && check_sync_types(cfg, path, bins, n, err, errlen))
        return -1;
    for (size_t e = 0; cfg && e < cfg->n; e++) {
        const ps_config_entry *x = &cfg->entries[e];
        char at[600];
        entry_path(x, at, sizeof(at));
        bool hit = false;
        for (size_t b = 0; b < n && !hit; b++)
            for (uint32_t i = 0; i < bins[b]->structs.len && !hit; i++)
                hit = ps_struct_at(bins[b], i)->reported &&
                      ps_type_matches(x->pattern, ps_struct_at(bins[b], i));
        if (!hit && x->optional)
            continue;
        if (!hit) {
            const char *near = nearest_type(x->pattern, bins, n);
            snprintf(err, errlen, "%s: %s: '%s' matches no struct or union of %s%s%s%s%s; say "
                     "\"optional\": true (in \"types\") if it may match nothing", path, at,
                     x->pattern, bins[0]->path, n > 1 ? " or the other binaries" : "",
                     near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
            return -1;
        }
        if (check_hot(x, path, at, bins, n, err, errlen))
            return -1;
    }
    return 0;
}
