/*
 * A pprof heap profile, decoded with protobuf-c (the code protoc-c
 * generates from profile.proto at build time) after zlib inflates it.
 * Profiles come from other machines, so everything is bounded and
 * checked: the gzip'd and the inflated size, what the decoder may
 * allocate, every string table index, and every location, function and
 * mapping id a sample or a location refers to.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "padscan/profile.h"
#include "profile.pb-c.h"

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__Location pb_location;

/* protobuf-c's allocations, counted against PS_PROFILE_MAX_DECODED. */
typedef struct budget {
    size_t used;
    bool refused;
} budget;

static void *budget_alloc(void *ctx, size_t n)
{
    budget *b = ctx;
    if (n > PS_PROFILE_MAX_DECODED - b->used) {
        b->refused = true;
        return NULL;
    }
    size_t *p = malloc(n + sizeof(size_t));
    if (!p)
        return NULL;
    *p = n;
    b->used += n;
    return p + 1;
}

static void budget_free(void *ctx, void *ptr)
{
    if (!ptr)
        return;
    size_t *p = (size_t *)ptr - 1;
    ((budget *)ctx)->used -= *p;
    free(p);
}

typedef struct decoder {
    const char *name;
    char *err;
    size_t errlen;
    const pb_profile *pb;
    ps_map locations, functions, mappings; /* id -> message */
} decoder;

static int fail(decoder *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(decoder *d, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(d->err, d->errlen, "%s: %s", d->name, msg);
    return -1;
}

/* gzip in, protobuf out (malloc'd), at most PS_PROFILE_MAX_PROTO bytes. */
static int inflate_all(decoder *d, const unsigned char *in, size_t len, unsigned char **out,
                       size_t *outlen)
{
    if (len < 2 || in[0] != 0x1f || in[1] != 0x8b)
        return fail(d, "not a pprof profile (not gzip-compressed)");
    z_stream z = {0};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return fail(d, "cannot start gzip decompression");
    size_t cap = len * 4 + 4096, have = 0;
    unsigned char *buf = NULL;
    int rc = Z_OK;
    z.next_in = (unsigned char *)in;
    z.avail_in = 0;
    size_t left = len;
    while (rc != Z_STREAM_END) {
        if (have == cap || !buf) {
            if (buf)
                cap *= 2;
            if (cap > PS_PROFILE_MAX_PROTO + 1)
                cap = PS_PROFILE_MAX_PROTO + 1;
            if (have == cap) {
                inflateEnd(&z);
                free(buf);
                return fail(d, "the profile inflates to more than %llu MiB",
                            (unsigned long long)(PS_PROFILE_MAX_PROTO >> 20));
            }
            buf = ps_xrealloc(buf, cap);
        }
        if (!z.avail_in && left) {
            z.avail_in = left > (1u << 30) ? 1u << 30 : (uInt)left;
            left -= z.avail_in;
        }
        z.next_out = buf + have;
        z.avail_out = (uInt)(cap - have);
        rc = inflate(&z, Z_NO_FLUSH);
        have = cap - z.avail_out;
        if (rc == Z_BUF_ERROR && !z.avail_in && !left)
            break;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            break;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return fail(d, rc == Z_DATA_ERROR ? "corrupt gzip data" : "truncated gzip data");
    }
    *out = buf;
    *outlen = have;
    return 0;
}

static const char *string_at(decoder *d, int64_t i, const char *what, int *bad)
{
    if (i < 0 || (uint64_t)i >= d->pb->n_string_table) {
        if (!*bad)
            fail(d, "%s: string index %lld is outside the string table (%zu strings)", what,
                 (long long)i, d->pb->n_string_table);
        *bad = 1;
        return "";
    }
    return d->pb->string_table[i];
}

/* id -> message, refusing id 0 and duplicates. */
static int index_ids(decoder *d, ps_map *m, void **msgs, size_t n, size_t id_off,
                     const char *what)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t id = *(const uint64_t *)((const char *)msgs[i] + id_off);
        if (!id)
            return fail(d, "the %s at index %zu has id 0", what, i);
        if (ps_map_get(m, id))
            return fail(d, "two %ss have id %llu", what, (unsigned long long)id);
        ps_map_put(m, id, msgs[i]);
    }
    return 0;
}

static int check_tables(decoder *d)
{
    const pb_profile *pb = d->pb;
    if (!pb->n_string_table || pb->string_table[0][0])
        return fail(d, "not a pprof profile (its string table does not start with \"\")");
    if (index_ids(d, &d->mappings, (void **)pb->mapping, pb->n_mapping,
                  offsetof(Perftools__Profiles__Mapping, id), "mapping") ||
        index_ids(d, &d->functions, (void **)pb->function, pb->n_function,
                  offsetof(Perftools__Profiles__Function, id), "function") ||
        index_ids(d, &d->locations, (void **)pb->location, pb->n_location,
                  offsetof(Perftools__Profiles__Location, id), "location"))
        return -1;
    int bad = 0;
    for (size_t i = 0; i < pb->n_function && !bad; i++) {
        string_at(d, pb->function[i]->name, "function name", &bad);
        string_at(d, pb->function[i]->system_name, "function system name", &bad);
        string_at(d, pb->function[i]->filename, "function file name", &bad);
    }
    if (pb->period_type) {
        string_at(d, pb->period_type->type, "period type", &bad);
        string_at(d, pb->period_type->unit, "period unit", &bad);
    }
    for (size_t i = 0; i < pb->n_comment && !bad; i++)
        string_at(d, pb->comment[i], "comment", &bad);
    for (size_t i = 0; i < pb->n_mapping && !bad; i++) {
        string_at(d, pb->mapping[i]->filename, "mapping file name", &bad);
        string_at(d, pb->mapping[i]->build_id, "mapping build id", &bad);
    }
    for (size_t i = 0; i < pb->n_location && !bad; i++) {
        const pb_location *l = pb->location[i];
        if (l->mapping_id && !ps_map_get(&d->mappings, l->mapping_id))
            return fail(d, "location %llu names mapping %llu, which the profile does not have",
                        (unsigned long long)l->id, (unsigned long long)l->mapping_id);
        for (size_t k = 0; k < l->n_line; k++)
            if (!ps_map_get(&d->functions, l->line[k]->function_id))
                return fail(d, "location %llu names function %llu, which the profile does not have",
                            (unsigned long long)l->id, (unsigned long long)l->line[k]->function_id);
    }
    return bad ? -1 : 0;
}

/* Which value is which: Go writes alloc_objects, alloc_space,
 * inuse_objects, inuse_space. */
static int value_indexes(decoder *d, int idx[4])
{
    static const char *const names[4] = {"alloc_objects", "alloc_space", "inuse_objects",
                                         "inuse_space"};
    int bad = 0;
    for (int k = 0; k < 4; k++)
        idx[k] = -1;
    for (size_t i = 0; i < d->pb->n_sample_type && !bad; i++) {
        const Perftools__Profiles__ValueType *vt = d->pb->sample_type[i];
        const char *t = string_at(d, vt->type, "sample type", &bad);
        string_at(d, vt->unit, "sample unit", &bad);
        for (int k = 0; k < 4; k++)
            if (!strcmp(t, names[k]) && idx[k] < 0)
                idx[k] = (int)i;
    }
    if (bad)
        return -1;
    if (idx[2] < 0 || idx[3] < 0)
        return fail(d, "not a Go heap profile (it has no inuse_objects and inuse_space values)");
    return 0;
}

static int fill_sample(decoder *d, const Perftools__Profiles__Sample *s, const int idx[4],
                       const Perftools__Profiles__Mapping *main_map, ps_profile_sample *out,
                       ps_arena *a)
{
    if (s->n_value != d->pb->n_sample_type)
        return fail(d, "a sample has %zu values for %zu sample types", s->n_value,
                    d->pb->n_sample_type);
    uint64_t *v[4] = {&out->alloc_objects, &out->alloc_bytes, &out->inuse_objects,
                      &out->inuse_bytes};
    for (int k = 0; k < 4; k++) {
        if (idx[k] < 0)
            continue;
        if (s->value[idx[k]] < 0)
            return fail(d, "a sample has a negative value (%lld)", (long long)s->value[idx[k]]);
        *v[k] = (uint64_t)s->value[idx[k]];
    }
    for (size_t i = 0; i < s->n_location_id; i++)
        if (!ps_map_get(&d->locations, s->location_id[i]))
            return fail(d, "a sample names location %llu, which the profile does not have",
                        (unsigned long long)s->location_id[i]);
    int bad = 0;
    for (size_t i = 0; i < s->n_label && !bad; i++) {
        const Perftools__Profiles__Label *l = s->label[i];
        string_at(d, l->str, "label string", &bad);
        string_at(d, l->num_unit, "label unit", &bad);
        if (!strcmp(string_at(d, l->key, "label key", &bad), "bytes") && l->num > 0)
            out->block = (uint64_t)l->num;
    }
    if (bad)
        return -1;
    if (!s->n_location_id)
        return 0;
    const pb_location *l = ps_map_get(&d->locations, s->location_id[0]);
    out->pc = l->address;
    out->in_main = main_map && (!l->mapping_id || l->mapping_id == main_map->id);
    if (s->n_location_id > 1) {
        const pb_location *up = ps_map_get(&d->locations, s->location_id[1]);
        if (main_map && (!up->mapping_id || up->mapping_id == main_map->id))
            out->caller_pc = up->address;
    }
    if (l->n_line) {
        const Perftools__Profiles__Function *f =
            ps_map_get(&d->functions, l->line[l->n_line - 1]->function_id);
        out->func = ps_arena_strdup(a, d->pb->string_table[f->name]);
    }
    return 0;
}

static int convert(decoder *d, ps_profile *p)
{
    int idx[4];
    if (check_tables(d) || value_indexes(d, idx))
        return -1;
    const pb_profile *pb = d->pb;
    const Perftools__Profiles__Mapping *main_map = pb->n_mapping ? pb->mapping[0] : NULL;
    if (main_map) {
        const char *id = pb->string_table[main_map->build_id];
        const char *file = pb->string_table[main_map->filename];
        p->build_id = *id ? ps_arena_strdup(&p->arena, id) : NULL;
        p->file = *file ? ps_arena_strdup(&p->arena, file) : NULL;
        p->map_start = main_map->memory_start;
        p->map_limit = main_map->memory_limit;
        p->map_offset = main_map->file_offset;
    }
    p->period = pb->period;
    p->has_alloc = idx[0] >= 0 && idx[1] >= 0;
    p->n = pb->n_sample;
    p->samples = pb->n_sample ? ps_arena_zalloc(&p->arena, pb->n_sample * sizeof(*p->samples)) : NULL;
    for (size_t i = 0; i < pb->n_sample; i++)
        if (fill_sample(d, pb->sample[i], idx, main_map, &p->samples[i], &p->arena))
            return -1;
    return 0;
}

int ps_profile_decode(const unsigned char *data, size_t len, const char *name, ps_profile *p,
                      char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    decoder d = {.name = name, .err = err, .errlen = errlen};
    p->path = ps_arena_strdup(&p->arena, name);
    unsigned char *proto = NULL;
    size_t plen = 0;
    if (inflate_all(&d, data, len, &proto, &plen))
        return -1;
    budget b = {0};
    ProtobufCAllocator alloc = {.alloc = budget_alloc, .free = budget_free, .allocator_data = &b};
    pb_profile *pb = perftools__profiles__profile__unpack(&alloc, plen, proto);
    free(proto);
    if (!pb)
        return b.refused ? fail(&d, "the profile decodes to more than %llu MiB",
                                (unsigned long long)(PS_PROFILE_MAX_DECODED >> 20))
                         : fail(&d, "not a pprof profile (the protobuf inside the gzip data "
                                    "does not decode)");
    d.pb = pb;
    int rc = convert(&d, p);
    perftools__profiles__profile__free_unpacked(pb, &alloc);
    ps_map_free(&d.locations);
    ps_map_free(&d.functions);
    ps_map_free(&d.mappings);
    return rc;
}

int ps_profile_load(const char *path, ps_profile *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    uint64_t size;
    if (ps_input_check(path, &size, err, errlen) != 0)
        return -1;
    if (size > PS_PROFILE_MAX_FILE) {
        snprintf(err, errlen, "%s: a profile of more than %llu MiB", path,
                 (unsigned long long)(PS_PROFILE_MAX_FILE >> 20));
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    unsigned char *buf = ps_xmalloc(size + 1);
    size_t got = fread(buf, 1, size + 1, f);
    bool ioerr = ferror(f);
    fclose(f);
    if (ioerr || got != size) {
        free(buf);
        snprintf(err, errlen, "%s: %s", path, ioerr ? "cannot read" : "the file changed while it was read");
        return -1;
    }
    int rc = ps_profile_decode(buf, got, path, p, err, errlen);
    free(buf);
    return rc;
}

void ps_profile_free(ps_profile *p)
{
    ps_arena_free(&p->arena);
    memset(p, 0, sizeof(*p));
}
