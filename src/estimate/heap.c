/*
 * padscan heap's estimate: each sample of each profile attributed to the
 * type its allocation site allocates, summed per type with checked
 * arithmetic, and each struct priced with Go's size classes (what a
 * reorder gives back per object, or per backing array of n elements).
 * Samples whose site cannot be decoded stay visible as unattributed, by
 * reason, so that the coverage is always stated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/analyze.h"
#include "padscan/heap.h"

typedef struct heap_ctx {
    const ps_binary *b;
    ps_reorder *reorder;
    ps_code *code;
    ps_alloc_target target;
    unsigned cacheline;
    ps_arena *arena;
    ps_map records;   /* descriptor address -> record index + 1 */
    ps_map types;     /* descriptor address -> type index + 1 */
    ps_map pcs;       /* sites seen */
    ps_vec type_vec;  /* ps_heap_type */
    ps_strindex un_index;
    ps_vec un_vec;    /* ps_heap_unattributed */
    ps_heap_report *r;
    bool overflow;
} heap_ctx;

const char *ps_heap_how_name(unsigned how_bit)
{
    switch (how_bit) {
    case PS_HOW_OBJECT: return "object";
    case PS_HOW_ARRAY: return "array";
    case PS_HOW_MAP: return "map";
    case PS_HOW_CHAN: return "chan";
    default: return "?";
    }
}

double ps_heap_per(const ps_heap_report *r, uint64_t v)
{
    return r->combine == PS_COMBINE_MEAN && r->nprofiles ? (double)v / (double)r->nprofiles
                                                         : (double)v;
}

/* A sample's address as the binary links it (a PIE's through the mapping). */
static bool link_address(ps_code *code, const ps_profile *p, uint64_t pc, uint64_t *out)
{
    *out = pc;
    if (!ps_code_is_pie(code) || p->map_limit <= p->map_start)
        return true;
    if (pc < p->map_start || pc >= p->map_limit)
        return false;
    return ps_code_offset_vaddr(code, pc - p->map_start + p->map_offset, out);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Go's profiles name a generic function as the runtime prints it: the
 * text from the first '[' to the last ']' becomes "[...]"
 * (runtime.funcNamePiecesForPrint); the symbol table has the shapes. */
static bool same_function(const char *profile, const char *symbol)
{
    if (!strcmp(profile, symbol))
        return true;
    const char *open = strchr(symbol, '['), *close = strrchr(symbol, ']');
    if (!open || !close || close <= open)
        return false;
    size_t head = (size_t)(open - symbol);
    return !strncmp(profile, symbol, head) && !strncmp(profile + head, "[...]", 5) &&
           !strcmp(profile + head + 5, close + 1);
}

bool ps_heap_profile_matches(ps_code *code, const char *binary, const ps_profile *p,
                             bool trust_name, char *err, size_t errlen)
{
    const char *gnu = ps_code_gnu_build_id(code), *go = ps_code_go_build_id(code);
    if (!trust_name && p->build_id && !(gnu && !strcmp(gnu, p->build_id)) &&
        !(go && !strcmp(go, p->build_id))) {
        snprintf(err, errlen, "%s: the profile is of build id %s, but %s has %s: a profile of "
                              "another build", p->path, p->build_id, binary,
                 gnu ? gnu : go ? go : "none");
        return false;
    }
    if (!trust_name && !p->build_id && p->file && strcmp(base_name(p->file), base_name(binary))) {
        snprintf(err, errlen, "%s: the profile is of %s, not %s (--ignore-name if the binary was "
                              "renamed)", p->path, p->file, binary);
        return false;
    }
    for (size_t i = 0; i < p->n; i++) {
        const ps_profile_sample *s = &p->samples[i];
        uint64_t pc;
        if (!s->in_main || !s->func || !s->pc || !link_address(code, p, s->pc, &pc))
            continue;
        const char *f = ps_code_function(code, pc);
        if (ps_code_has_symbols(code) && (!f || !same_function(s->func, f))) {
            snprintf(err, errlen, "%s: at 0x%llx the profile has %s, but %s has %s there: a "
                                  "profile of another build", p->path, (unsigned long long)s->pc,
                     s->func, binary, f ? f : "no function");
            return false;
        }
    }
    return true;
}

static void add(heap_ctx *c, uint64_t *to, uint64_t v)
{
    if (!ps_add_ok(*to, v, to))
        c->overflow = true;
}

static uint64_t mul(heap_ctx *c, uint64_t a, uint64_t b)
{
    uint64_t out;
    if (!ps_mul_ok(a, b, &out))
        c->overflow = true;
    return out;
}

static void add_values(heap_ctx *c, ps_heap_values *v, const ps_profile_sample *s)
{
    add(c, &v->inuse_objects, s->inuse_objects);
    add(c, &v->inuse_bytes, s->inuse_bytes);
    add(c, &v->alloc_objects, s->alloc_objects);
    add(c, &v->alloc_bytes, s->alloc_bytes);
}

static void unattributed(heap_ctx *c, const char *why, const char *where,
                         const ps_profile_sample *s, uint64_t pc)
{
    const char *key = ps_arena_printf(c->arena, "%s\n%s", why, where ? where : "");
    uint32_t i = ps_strindex_add(&c->un_index, key, (uint32_t)c->un_vec.len);
    if (i == c->un_vec.len)
        *(ps_heap_unattributed *)ps_vec_push(&c->un_vec) = (ps_heap_unattributed){
            .why = why, .where = where ? ps_arena_strdup(c->arena, where) : NULL};
    ps_heap_unattributed *u = &PS_VEC_AT(&c->un_vec, ps_heap_unattributed, i);
    add_values(c, &u->v, s);
    if (pc && !ps_map_get(&c->pcs, pc)) {
        ps_map_put(&c->pcs, pc, u);
        u->sites++;
    }
}

/* The struct's layout and optimum, once per record. */
static void price_record(heap_ctx *c, ps_heap_type *t)
{
    const ps_struct *st = ps_struct_at(c->b, t->record);
    ps_layout l;
    ps_analyze_record(c->b, t->record, c->cacheline, c->arena, &l);
    const ps_suggestion *g = ps_suggest(c->reorder, t->record);
    t->waste = l.waste;
    t->optimal_size = g ? g->optimal_size : st->size;
    t->keep_reason = g ? g->keep_reason : NULL;
}

static ps_heap_type *type_of(heap_ctx *c, uint64_t desc, const ps_go_type *gt)
{
    uintptr_t k = (uintptr_t)ps_map_get(&c->types, desc);
    if (k)
        return &PS_VEC_AT(&c->type_vec, ps_heap_type, k - 1);
    uintptr_t rec = (uintptr_t)ps_map_get(&c->records, desc);
    ps_heap_type *t = ps_vec_push(&c->type_vec);
    *t = (ps_heap_type){.name = gt->name, .record = rec ? (uint32_t)(rec - 1) : PS_NONE,
                        .go_kind = gt->kind, .size = gt->size};
    if (rec) {
        t->name = ps_struct_at(c->b, t->record)->name;
        price_record(c, t);
    }
    ps_map_put(&c->types, desc, (void *)(uintptr_t)c->type_vec.len);
    return t;
}

/* Allocator bytes a reorder frees for `objects` allocations of n values. */
static double gives_back(heap_ctx *c, const ps_heap_type *t, uint64_t objects, uint64_t n)
{
    const ps_struct *st = ps_struct_at(c->b, t->record);
    const ps_suggestion *g = ps_suggest(c->reorder, t->record);
    uint64_t now = mul(c, n, st->size), then = mul(c, n, t->optimal_size);
    double before = ps_alloc_bytes(PS_ALLOC_GO, &c->target, now, st->ptr_bytes > 0);
    double after = ps_alloc_bytes(PS_ALLOC_GO, &c->target, then,
                                  (g ? g->optimal_ptr_bytes : st->ptr_bytes) > 0);
    return before > after ? (before - after) * (double)objects : 0;
}

static void attribute(heap_ctx *c, const ps_profile_sample *s, uint64_t pc,
                      const ps_alloc_site *site)
{
    ps_go_type gt;
    if (!ps_code_go_type(c->code, site->type, &gt)) {
        unattributed(c, "the type descriptor cannot be read", site->callee, s, pc);
        return;
    }
    ps_heap_type *t = type_of(c, site->type, &gt);
    t->how |= 1u << site->kind;
    if (!ps_map_get(&c->pcs, pc)) {
        ps_map_put(&c->pcs, pc, t);
        t->sites++;
    }
    add_values(c, &t->v, s);
    add(c, &c->r->attributed_bytes, s->inuse_bytes);
    uint64_t n = 1; /* values per allocation */
    if (site->kind == PS_SITE_ARRAY) {
        uint64_t block = s->block ? s->block
                       : s->inuse_objects ? s->inuse_bytes / s->inuse_objects
                       : s->alloc_objects ? s->alloc_bytes / s->alloc_objects : 0;
        n = t->size ? block / t->size : 0;
    }
    bool values = site->kind == PS_SITE_OBJECT || site->kind == PS_SITE_ARRAY;
    if (values) {
        uint64_t held = mul(c, s->inuse_objects, n);
        add(c, &t->v.inuse_values, held);
        add(c, site->kind == PS_SITE_OBJECT ? &t->object_values : &t->array_values, held);
    }
    t->priced = t->record != PS_NONE && values;
    if (t->priced && n)
        t->v.gives_back += gives_back(c, t, s->inuse_objects, n);
}

static void one_sample(heap_ctx *c, const ps_profile *p, const ps_profile_sample *s)
{
    add_values(c, &c->r->total, s);
    uint64_t pc = 0;
    if (!s->pc || !s->in_main || !link_address(c->code, p, s->pc, &pc)) {
        unattributed(c, s->pc ? "outside the binary (another mapping)" : "a sample without a location",
                     s->func, s, 0);
        return;
    }
    ps_alloc_site site;
    ps_code_site(c->code, pc, &site);
    uint64_t caller;
    if (site.kind == PS_SITE_NONE && site.from_dict && s->caller_pc &&
        link_address(c->code, p, s->caller_pc, &caller) &&
        (site.type = ps_code_dict_type(c->code, caller, site.dict_off)))
        site.kind = site.dict_kind; /* a generic function: the caller's dictionary */
    if (site.kind == PS_SITE_NONE)
        unattributed(c, site.why, site.callee ? site.callee : s->func, s, pc);
    else
        attribute(c, s, pc, &site);
}

static int type_order(const void *a, const void *b)
{
    const ps_heap_type *x = a, *y = b;
    if (x->v.inuse_bytes != y->v.inuse_bytes)
        return x->v.inuse_bytes > y->v.inuse_bytes ? -1 : 1;
    if (x->v.alloc_bytes != y->v.alloc_bytes)
        return x->v.alloc_bytes > y->v.alloc_bytes ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int un_order(const void *a, const void *b)
{
    const ps_heap_unattributed *x = a, *y = b;
    if (x->v.inuse_bytes != y->v.inuse_bytes)
        return x->v.inuse_bytes > y->v.inuse_bytes ? -1 : 1;
    if (x->v.alloc_bytes != y->v.alloc_bytes)
        return x->v.alloc_bytes > y->v.alloc_bytes ? -1 : 1;
    int k = strcmp(x->why, y->why);
    return k ? k : strcmp(x->where ? x->where : "", y->where ? y->where : "");
}

static void finish(heap_ctx *c, const ps_profile *profiles, size_t n)
{
    ps_heap_report *r = c->r;
    const char **paths = ps_arena_alloc(c->arena, (n + 1) * sizeof(char *));
    r->period = n ? profiles[0].period : 0;
    r->has_alloc = n > 0;
    for (size_t i = 0; i < n; i++) {
        paths[i] = profiles[i].path;
        r->period = profiles[i].period == r->period ? r->period : 0;
        r->has_alloc &= profiles[i].has_alloc;
    }
    r->profiles = paths;
    r->nprofiles = n;
    r->ntypes = c->type_vec.len;
    r->types = ps_vec_to_arena(&c->type_vec, c->arena);
    r->nunattributed = c->un_vec.len;
    r->unattributed = ps_vec_to_arena(&c->un_vec, c->arena);
    if (r->ntypes)
        qsort(r->types, r->ntypes, sizeof(*r->types), type_order);
    if (r->nunattributed)
        qsort(r->unattributed, r->nunattributed, sizeof(*r->unattributed), un_order);
}

int ps_heap_attribute(const ps_binary *b, ps_reorder *reorder, ps_code *code,
                      const ps_profile *profiles, size_t n, ps_combine combine, unsigned cacheline,
                      ps_arena *arena, ps_heap_report *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    *out = (ps_heap_report){.binary = b->path, .build_id = b->build_id, .go_version = b->go_version,
                            .arch = b->arch, .combine = combine};
    heap_ctx c = {.b = b, .reorder = reorder, .code = code, .cacheline = cacheline,
                  .arena = arena, .r = out,
                  .target = {.ptr_size = b->ptr_size, .go_minor = ps_go_version_minor(b->go_version)}};
    ps_vec_init(&c.type_vec, sizeof(ps_heap_type));
    ps_vec_init(&c.un_vec, sizeof(ps_heap_unattributed));
    for (uint32_t i = 0; i < b->structs.len; i++)
        if (ps_struct_at(b, i)->go_type && !ps_map_get(&c.records, ps_struct_at(b, i)->go_type))
            ps_map_put(&c.records, ps_struct_at(b, i)->go_type, (void *)(uintptr_t)(i + 1));
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < profiles[i].n; k++)
            one_sample(&c, &profiles[i], &profiles[i].samples[k]);
    finish(&c, profiles, n);
    ps_map_free(&c.records);
    ps_map_free(&c.types);
    ps_map_free(&c.pcs);
    ps_vec_free(&c.type_vec);
    ps_vec_free(&c.un_vec);
    ps_strindex_free(&c.un_index);
    if (c.overflow) {
        snprintf(err, errlen, "%s: the profiles' values add up to more than 2^64", b->path);
        return -1;
    }
    return 0;
}
