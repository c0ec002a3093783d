/*
 * Integer-keyed hash map.  The reader keys type information by DWARF DIE
 * offset; linear probing over two flat arrays keeps that lookup cheap and
 * allocation-free after growth.
 */
#include "padscan/util.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

void *ps_map_get(const ps_map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == key)
            return m->slots[i].val;
        if (m->slots[i].key == 0)
            return NULL;
    }
}

static void map_grow(ps_map *m)
{
    ps_map bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 256;
    bigger.slots = ps_xcalloc(bigger.cap, sizeof(ps_map_slot));
    if (!bigger.slots)
        ps_out_of_memory();
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            ps_map_put(&bigger, m->slots[i].key, m->slots[i].val);
    ps_map_free(m);
    *m = bigger;
}

void ps_map_put(ps_map *m, uint64_t key, void *val)
{
    if ((m->len + 1) * 4 >= m->cap * 3)
        map_grow(m);
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == key) {
            m->slots[i].val = val;
            return;
        }
        if (m->slots[i].key == 0) {
            m->slots[i] = (ps_map_slot){key, val};
            m->len++;
            return;
        }
    }
}

void ps_map_free(ps_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof(*m));
}

void ps_map_clear(ps_map *m)
{
    if (m->cap > (1u << 13)) { /* a big unit's: not kept for every later one */
        ps_map_free(m);
        return;
    }
    if (m->len)
        memset(m->slots, 0, m->cap * sizeof(ps_map_slot));
    m->len = 0;
}

/* Eight bytes a step (the reader hashes every name of every unit); only
 * ever compared within one run, so the host's byte order may show. */
uint64_t ps_hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    h = (h ^ 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, s, n);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

uint64_t ps_hash_str(const char *s, uint64_t seed)
{
    return s ? ps_hash_bytes(s, strlen(s), seed) : seed * 31 + 7;
}

uint32_t ps_strindex_get(const ps_strindex *m, const char *key)
{
    if (!m->cap)
        return PS_STRINDEX_NONE;
    for (size_t i = slot_of(ps_hash_str(key, 0), m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return PS_STRINDEX_NONE;
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
    }
}

static void strindex_grow(ps_strindex *m)
{
    ps_strindex bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.keys = ps_xcalloc(bigger.cap, sizeof(char *));
    bigger.vals = ps_xcalloc(bigger.cap, sizeof(uint32_t));
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            ps_strindex_add(&bigger, m->keys[i], m->vals[i]);
    ps_strindex_free(m);
    *m = bigger;
}

uint32_t ps_strindex_add(ps_strindex *m, const char *key, uint32_t val)
{
    if ((m->len + 1) * 4 >= m->cap * 3)
        strindex_grow(m);
    for (size_t i = slot_of(ps_hash_str(key, 0), m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) {
            m->keys[i] = key;
            m->vals[i] = val;
            m->len++;
            return val;
        }
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
    }
}

void ps_strindex_free(ps_strindex *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}
