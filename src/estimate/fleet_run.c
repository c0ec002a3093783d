/*
 * A fleet run: each service's source (its binaries, read by the pool, or a
 * saved report), its hot types matched against the source's records, and
 * the savings of each, as allocator bytes across every replica.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"
#include "padscan/select.h"

struct ps_fleet_run {
    const ps_fleet_plan *plan;
    const char *dir; /* the manifest's folder */
    ps_fleet_pool pool;
    ps_fleet fleet;
    ps_arena arena;
    char *err;
    size_t errlen;
};

static int fail(ps_fleet_run *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ps_fleet_run *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static void facts_of(ps_fleet_run *c, ps_fleet_job *j, uint32_t idx, ps_type_facts *f)
{
    const ps_struct *s = ps_struct_at(&j->bin, idx);
    const ps_suggestion *g = ps_suggest(j->reorder, idx);
    const ps_member *m = ps_members_of(&j->bin, s);
    f->name = s->name;
    f->ctype = s->ctype;
    f->size = s->size;
    f->optimal_size = g->optimal_size;
    f->ptr_bytes = s->ptr_bytes;
    f->optimal_ptr_bytes = g->optimal_ptr_bytes;
    f->cachelines = g->cachelines;
    f->optimal_cachelines = g->optimal_cachelines;
    const char **holds = ps_arena_zalloc(&c->arena, (s->nmembers + 1) * sizeof(char *));
    for (uint32_t i = 0; i < s->nmembers; i++)
        if (m[i].record != PS_NONE)
            holds[f->nholds++] = ps_struct_at(&j->bin, m[i].record)->name;
    f->holds = holds;
}

static bool hot_wanted(const ps_service *svc, const ps_fleet_profiled *prof, const ps_struct *s)
{
    for (size_t h = 0; h < svc->nhot; h++)
        if (s->reported && ps_type_matches(svc->hot[h].type, s))
            return true;
    for (size_t i = 0; i < prof->n; i++)
        if (prof->types[i].top && !strcmp(prof->types[i].name, s->name))
            return true;
    return false;
}

/* Where a record is declared, as an absolute path when its binary knows
 * its source root: the same header reached from two binaries of one
 * service is one file even when the binaries' roots differ. */
static const char *decl_path(ps_fleet_run *c, const ps_binary *b, const ps_struct *s)
{
    if (!s->decl_file || s->decl_file[0] == '/' || !b->source_root)
        return s->decl_file;
    return ps_arena_printf(&c->arena, "%s/%s", b->source_root, s->decl_file);
}

typedef struct seen_type {
    const char *name, *file;
    uint64_t size;
    size_t binary;
} seen_type;

/* A service whose binaries share a type (an executable and its shared
 * library, several programs built from one tree) has one set of
 * instances of it: the type counts once.  Same type: same name, size and
 * declaring file (not line, which a comment above it moves). */
static bool seen_before(ps_vec *seen, size_t binary, const char *name, uint64_t size,
                        const char *file)
{
    for (size_t i = 0; i < seen->len; i++) {
        const seen_type *x = &PS_VEC_AT(seen, seen_type, i);
        if (x->binary != binary && x->size == size && !strcmp(x->name, name) &&
            (x->file == file || (x->file && file && !strcmp(x->file, file))))
            return true;
    }
    *(seen_type *)ps_vec_push(seen) = (seen_type){name, file, size, binary};
    return false;
}

/* Turns one service's binaries into a source of type facts matching the
 * service's hot types (only those are solved), each type once. */
static void binary_source(ps_fleet_run *c, const ps_service *svc, const ps_fleet_profiled *prof,
                          ps_fleet_source *src)
{
    ps_vec types, names;
    ps_vec_init(&types, sizeof(ps_type_facts));
    ps_vec_init(&names, sizeof(char *));
    ps_vec seen;
    ps_vec_init(&seen, sizeof(seen_type));
    memset(src, 0, sizeof(*src));
    src->path = svc->binaries[0];
    for (size_t b = 0; b < svc->nbinaries; b++) {
        ps_fleet_job *j = &c->pool.jobs[ps_fleet_job_of(&c->pool, svc->binaries[b])];
        if (!j->ok) {
            src->error = ps_arena_strdup(&c->arena, j->err);
            continue;
        }
        const char *empty = ps_binary_why_empty(&j->bin);
        if (empty && !src->empty)
            src->empty = ps_arena_printf(&c->arena, "%s: %s", j->path, empty);
        for (uint32_t i = 0; i < j->bin.structs.len; i++)
            if (ps_struct_at(&j->bin, i)->reported)
                *(const char **)ps_vec_push(&names) = ps_struct_at(&j->bin, i)->name;
        src->ptr_size = j->bin.ptr_size;
        src->is_go |= j->bin.has_go;
        src->go_version = src->go_version ? src->go_version : j->bin.go_version;
        src->build_id = j->bin.build_id;
        for (uint32_t i = 0; i < j->bin.structs.len; i++) {
            const ps_struct *s = ps_struct_at(&j->bin, i);
            if (hot_wanted(svc, prof, s) &&
                !seen_before(&seen, b, s->name, s->size, decl_path(c, &j->bin, s)))
                facts_of(c, j, i, ps_vec_push(&types));
        }
    }
    src->ntypes = types.len;
    src->types = ps_vec_to_arena(&types, &c->arena);
    src->nnames = names.len;
    src->names = ps_vec_to_arena(&names, &c->arena);
    ps_vec_free(&types);
    ps_vec_free(&names);
    ps_vec_free(&seen);
}

/* Is the report about the binary the manifest names?  By build id when
 * the binary is at hand (or the manifest gives one), else by file name. */
static const char *report_warning(ps_fleet_run *c, const ps_service *svc, const ps_fleet_source *src)
{
    char id[256];
    const char *want = svc->expect_build_id;
    const char *bin = svc->expect_path ? ps_arena_printf(&c->arena, "%s%s%s", c->dir,
                                                         c->dir[0] ? "/" : "", svc->expect_path)
                                       : NULL;
    if (svc->expect_path && svc->expect_path[0] == '/')
        bin = svc->expect_path;
    if (!want && bin && ps_read_build_id(bin, id, sizeof(id)))
        want = id;
    if (want && (!src->build_id || strcmp(want, src->build_id)))
        return ps_arena_printf(&c->arena, "report %s describes build id %s, but %s has %s "
                               "(the report is stale)", svc->report,
                               src->build_id ? src->build_id : "(none)",
                               bin ? bin : "the manifest", want);
    const char *a = bin ? strrchr(bin, '/') : NULL, *b = src->path ? strrchr(src->path, '/') : NULL;
    a = a ? a + 1 : bin;
    b = b ? b + 1 : src->path;
    if (!want && a && (!b || strcmp(a, b)))
        return ps_arena_printf(&c->arena, "report %s was made from %s, the manifest expects %s",
                               svc->report, src->path ? src->path : "(unknown)", bin);
    return NULL;
}

/* The one matching rule (select.h): the qualified name or the C spelling. */
static bool name_matches(const char *pattern, const ps_type_facts *f)
{
    ps_type_ref t = {.name = f->name, .ctype = f->ctype};
    return ps_type_ref_matches(pattern, &t);
}

static bool holds(const ps_type_facts *container, const char *name)
{
    for (size_t i = 0; i < container->nholds; i++) {
        const char *h = container->holds[i];
        if (!strncmp(h, "struct ", 7) || !strncmp(h, "union ", 6))
            h = strchr(h, ' ') + 1;
        if (!strcmp(h, name))
            return true;
    }
    return false;
}

/* A hot type entry that matches nothing: the nearest record name, and
 * whether the source is a report of some records only. */
static int unmatched(ps_fleet_run *c, size_t si, size_t h, const ps_fleet_source *src)
{
    const ps_hot_type *ht = &c->plan->services[si].hot[h];
    const char *near = ps_nearest_name(ht->type, src->names, src->nnames);
    return fail(c, "%s: $.services[%zu].hot_types[%zu].type: no struct matches '%s' in %s%s%s%s%s%s; "
                "say \"optional\": true if it may match nothing",
                c->plan->manifest, si, h, ht->type, src->path, near ? " (did you mean '" : "",
                near ? near : "", near ? "'?)" : "",
                src->subset ? "; the report holds only some records, written with " : "",
                src->subset ? src->subset : "");
}

/* Go's size classes and malloc headers changed with its versions: a
 * source that does not say its version is not priced as the newest. */
static int go_target(ps_fleet_run *c, size_t si, const ps_fleet_source *src,
                     ps_allocator allocator, ps_alloc_target *target)
{
    const ps_service *svc = &c->plan->services[si];
    const char *v = src->go_version ? src->go_version : svc->go_version;
    target->ptr_size = src->ptr_size ? src->ptr_size : 8;
    target->go_minor = ps_go_version_minor(v);
    if (allocator != PS_ALLOC_GO || target->go_minor)
        return 0;
    return fail(c, "%s: $.services[%zu]: %s does not say which Go version built it, and Go's size "
                "classes depend on it: give the service \"go_version\" (e.g. \"go1.22\")",
                c->plan->manifest, si, svc->report ? svc->report : src->path);
}

/* The profiles' count of a type held this way, marked used; NULL if none. */
static ps_profiled_type *profiled(ps_fleet_profiled *prof, const char *name, ps_holding held)
{
    for (size_t i = 0; i < prof->n; i++)
        if (prof->types[i].held == held && !strcmp(prof->types[i].name, name)) {
            prof->types[i].used = true;
            return &prof->types[i];
        }
    return NULL;
}

/* Per replica: the manifest's count when it gives one (the profiles' is
 * shown beside it), else the profiles'. */
static uint64_t count_of(const ps_hot_type *ht, ps_fleet_profiled *prof, ps_type_saving *x)
{
    ps_profiled_type *p = x->held == PS_HELD_EMBEDDED ? NULL : profiled(prof, x->facts.name, x->held);
    x->manifest_instances = ht->has_instances ? ht->instances : 0;
    x->profile_instances = p ? p->per_replica : 0;
    x->count_from = !ht->has_instances ? PS_COUNT_PROFILE : p ? PS_COUNT_BOTH : PS_COUNT_MANIFEST;
    return ht->has_instances ? ht->instances : (uint64_t)(x->profile_instances + 0.5);
}

/* The profiles' top structs no manifest entry named: hot types of their own. */
static int profile_rows(ps_fleet_run *c, size_t si, const ps_fleet_source *src,
                        ps_fleet_profiled *prof, ps_fleet_service *out,
                        const ps_alloc_target *target, ps_vec *rows)
{
    const ps_service *svc = &c->plan->services[si];
    for (size_t i = 0; i < prof->n; i++) {
        ps_profiled_type *p = &prof->types[i];
        const ps_type_facts *f = NULL;
        for (size_t t = 0; t < src->ntypes && !f; t++)
            f = !strcmp(src->types[t].name, p->name) ? &src->types[t] : NULL;
        if (!p->top || p->used || !f)
            continue;
        ps_type_saving *x = ps_vec_push(rows);
        *x = (ps_type_saving){.facts = *f, .held = p->held, .count_from = PS_COUNT_PROFILE,
                              .profile_instances = p->per_replica};
        if (!ps_estimate_type(x, out->allocator, target, (uint64_t)(p->per_replica + 0.5),
                              svc->replicas))
            return fail(c, "%s: $.services[%zu].heap_profiles: %s: instances x replicas x %llu "
                        "bytes does not fit in 64 bits", c->plan->manifest, si, f->name,
                        (unsigned long long)f->size);
    }
    return 0;
}

/* A record that an earlier hot type entry of the service counts already,
 * held the same way ('rec' and 'r*c'): -1 with the entries named. */
static int counted_twice(ps_fleet_run *c, size_t si, size_t h, const ps_vec *rows,
                         const size_t *entry, const ps_type_saving *x)
{
    for (size_t k = 0; k < rows->len; k++) {
        const ps_type_saving *y = (const ps_type_saving *)rows->data + k;
        if (y == x || strcmp(y->facts.name, x->facts.name) || y->facts.size != x->facts.size ||
            y->held != x->held || strcmp(y->container ? y->container : "",
                                         x->container ? x->container : ""))
            continue;
        return fail(c, "%s: $.services[%zu].hot_types[%zu].type: '%s' matches %s, which "
                    "hot_types[%zu] counts already: it would be counted twice",
                    c->plan->manifest, si, h, c->plan->services[si].hot[h].type, x->facts.name,
                    entry[k]);
    }
    return 0;
}

/* The hot type entries of one service against its source. */
static int estimate_service(ps_fleet_run *c, size_t si, const ps_fleet_source *src,
                            ps_fleet_profiled *prof, ps_fleet_service *out)
{
    const ps_service *svc = &c->plan->services[si];
    const char *mpath = c->plan->manifest;
    ps_alloc_target target;
    out->allocator = svc->has_allocator ? svc->allocator : src->is_go ? PS_ALLOC_GO : PS_ALLOC_GLIBC;
    if (go_target(c, si, src, out->allocator, &target))
        return -1;
    ps_vec rows, entries; /* entries: the hot type entry of each row */
    ps_vec_init(&rows, sizeof(ps_type_saving));
    ps_vec_init(&entries, sizeof(size_t));
    int rc = 0;
    for (size_t h = 0; h < svc->nhot && !rc; h++) {
        const ps_hot_type *ht = &svc->hot[h];
        size_t matched = 0;
        for (size_t t = 0; t < src->ntypes; t++) {
            if (!name_matches(ht->type, &src->types[t]))
                continue;
            const ps_type_facts *in = NULL;
            for (size_t k = 0; ht->in && k < src->ntypes && !in; k++)
                in = name_matches(ht->in, &src->types[k]) ? &src->types[k] : NULL;
            if (ht->in && (!in || !holds(in, src->types[t].name))) {
                rc = fail(c, "%s: $.services[%zu].hot_types[%zu].in: %s %s", mpath, si, h,
                          in ? in->name : ht->in,
                          in ? "does not hold it by value" : "is not a type of this service");
                break;
            }
            ps_type_saving *x = ps_vec_push(&rows);
            memset(x, 0, sizeof(*x));
            x->facts = src->types[t];
            x->held = ht->held;
            x->container = in ? in->name : NULL;
            *(size_t *)ps_vec_push(&entries) = h;
            if (counted_twice(c, si, h, &rows, entries.data, x)) {
                rc = -1;
                break;
            }
            uint64_t per_replica = count_of(ht, prof, x);
            if (!ps_estimate_type(x, out->allocator, &target, per_replica, svc->replicas)) {
                rc = fail(c, "%s: $.services[%zu].hot_types[%zu]: %s: instances x replicas x "
                          "%llu bytes does not fit in 64 bits", mpath, si, h, x->facts.name,
                          (unsigned long long)x->facts.size);
                break;
            }
            matched++;
        }
        if (!matched && !rc && !ht->optional)
            rc = unmatched(c, si, h, src);
    }
    if (!rc)
        rc = profile_rows(c, si, src, prof, out, &target, &rows);
    out->ntypes = rows.len;
    out->types = ps_vec_to_arena(&rows, &c->arena);
    ps_vec_free(&rows);
    ps_vec_free(&entries);
    return rc;
}

/* A service's heap profiles against its binary (when it could be read). */
static int service_profiles(ps_fleet_run *c, size_t si, ps_fleet_profiled *prof)
{
    const ps_service *svc = &c->plan->services[si];
    ps_fleet_job *j = &c->pool.jobs[ps_fleet_job_of(&c->pool, svc->binaries[0])];
    char why[1200];
    if (!j->ok)
        return 0; /* the service is listed as not read */
    if (ps_fleet_profiles(svc, &j->bin, j->reorder, c->plan->cacheline, &c->arena, prof, why,
                          sizeof(why)))
        return fail(c, "%s: $.services[%zu].heap_profiles: %s", c->plan->manifest, si, why);
    return 0;
}

/* A fleet whose every service was read but priced no type compared
 * nothing: "0 B" would pass for a result. */
static int priced_something(ps_fleet_run *c, const ps_fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->services[i].error || f->services[i].ntypes)
            return 0;
    return fail(c, "%s: nothing was priced: no hot type of any service matched a record (every "
                "entry that matches nothing is optional)", c->plan->manifest);
}

static int build_fleet(ps_fleet_run *c, ps_fleet *f)
{
    f->n = c->plan->n;
    f->services = ps_arena_zalloc(&c->arena, f->n * sizeof(ps_fleet_service));
    for (size_t i = 0; i < f->n; i++) {
        const ps_service *svc = &c->plan->services[i];
        ps_fleet_service *out = &f->services[i];
        ps_fleet_source src;
        ps_fleet_profiled prof = {0};
        out->name = svc->name;
        out->replicas = svc->replicas;
        if (svc->nprofiles && service_profiles(c, i, &prof))
            return -1;
        if (svc->report)
            c->plan->load_report(svc->report, &src, &c->arena);
        else
            binary_source(c, svc, &prof, &src);
        out->source = svc->report ? svc->report : src.path;
        if (src.error) {
            out->error = src.error;
            continue;
        }
        if (src.empty)
            return fail(c, "%s: $.services[%zu]: %s", c->plan->manifest, i, src.empty);
        if (svc->report)
            out->warning = report_warning(c, svc, &src);
        if (estimate_service(c, i, &src, &prof, out))
            return -1;
    }
    if (!ps_fleet_totals(f))
        return fail(c, "%s: the fleet's total does not fit in 64 bits", c->plan->manifest);
    return priced_something(c, f);
}

int ps_fleet_run_open(const ps_fleet_plan *plan, ps_fleet_run **out, char *err, size_t errlen)
{
    ps_fleet_run *c = ps_xmalloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    *out = c;
    c->plan = plan;
    c->err = err;
    c->errlen = errlen;
    const char *slash = strrchr(plan->manifest, '/');
    c->dir = slash ? ps_arena_strndup(&c->arena, plan->manifest, (size_t)(slash - plan->manifest))
                   : "";
    ps_fleet_pool_read(&c->pool, plan);
    c->fleet.cacheline = plan->cacheline;
    return build_fleet(c, &c->fleet);
}

const ps_fleet *ps_fleet_run_result(const ps_fleet_run *c) { return &c->fleet; }

size_t ps_fleet_run_binaries(ps_fleet_run *c, size_t i, const ps_binary **bin, ps_reorder **reorder)
{
    if (i < c->pool.n && c->pool.jobs[i].ok) {
        *bin = &c->pool.jobs[i].bin;
        *reorder = c->pool.jobs[i].reorder;
    } else {
        *bin = NULL;
    }
    return c->pool.n;
}

void ps_fleet_run_close(ps_fleet_run *c)
{
    if (!c)
        return;
    ps_fleet_pool_free(&c->pool);
    ps_arena_free(&c->arena);
    free(c);
}
