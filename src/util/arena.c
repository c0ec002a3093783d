/*
 * Arena allocation: the model lives exactly as long as one run, so its
 * strings, structs and members are carved from large chunks and released
 * together instead of paying malloc/free per DWARF entry.
 */
#include "padscan/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_arena_chunk {
    ps_arena_chunk *next;
    max_align_t data[];
};

enum { ARENA_CHUNK = 1 << 20 };

void ps_out_of_memory(void)
{
    ps_fatal("out of memory");
}

void ps_fatal(const char *msg)
{
    fprintf(stderr, "padscan: %s\n", msg);
    exit(2); /* atexit handlers remove temporary output files */
}

void *ps_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ps_out_of_memory();
    return p;
}

void *ps_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ps_out_of_memory();
    return p;
}

void *ps_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ps_out_of_memory();
    return q;
}

void *ps_xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            ps_out_of_memory();
        c *= 2;
    }
    *cap = c;
    return ps_xrealloc(p, c * elem);
}

void *ps_arena_alloc(ps_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!a->head || a->used + n > a->cap) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        ps_arena_chunk *c = ps_xmalloc(sizeof(*c) + cap);
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = cap;
    }
    void *p = (char *)a->head->data + a->used;
    a->used += n;
    return p;
}

void *ps_arena_zalloc(ps_arena *a, size_t n)
{
    return memset(ps_arena_alloc(a, n), 0, n);
}

char *ps_arena_strndup(ps_arena *a, const char *s, size_t n)
{
    char *d = ps_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ps_arena_strdup(ps_arena *a, const char *s)
{
    return s ? ps_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ps_arena_printf(ps_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = ps_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void ps_arena_reset(ps_arena *a)
{
    ps_arena_chunk *keep = a->head && a->cap == ARENA_CHUNK ? a->head : NULL;
    if (keep) {
        a->head = keep->next;
        keep->next = NULL;
    }
    ps_arena_free(a);
    if (keep) {
        a->head = keep;
        a->cap = ARENA_CHUNK;
    }
}

void ps_arena_free(ps_arena *a)
{
    ps_arena_chunk *c = a->head;
    while (c) {
        ps_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}
