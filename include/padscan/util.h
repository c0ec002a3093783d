/*
 * util: the small shared libraries every stage leans on — an arena so the
 * reader never mallocs per DIE, a growable string buffer for reports, an
 * integer hash map for DIE offsets, and atomic file output so a failed run
 * never leaves a partial file behind.
 */
#ifndef PADSCAN_UTIL_H
#define PADSCAN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Chunked bump allocator; everything is freed at once. */
typedef struct ps_arena_chunk ps_arena_chunk;
typedef struct ps_arena {
    ps_arena_chunk *head;
    size_t used, cap;
} ps_arena;

void *ps_arena_alloc(ps_arena *a, size_t n);
void *ps_arena_zalloc(ps_arena *a, size_t n);
char *ps_arena_strdup(ps_arena *a, const char *s);
char *ps_arena_strndup(ps_arena *a, const char *s, size_t n);
char *ps_arena_printf(ps_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ps_arena_free(ps_arena *a);

/* Growable, always NUL-terminated byte string. */
typedef struct ps_strbuf {
    char *buf;
    size_t len, cap;
} ps_strbuf;

void ps_sb_add(ps_strbuf *sb, const char *s, size_t n);
void ps_sb_puts(ps_strbuf *sb, const char *s);
void ps_sb_putc(ps_strbuf *sb, char c);
void ps_sb_printf(ps_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ps_sb_vprintf(ps_strbuf *sb, const char *fmt, va_list ap);
void ps_sb_pad(ps_strbuf *sb, size_t column);
void ps_sb_free(ps_strbuf *sb);

/* Growable array of fixed-size elements. */
typedef struct ps_vec {
    void *data;
    size_t len, cap, elem;
} ps_vec;

void ps_vec_init(ps_vec *v, size_t elem);
void *ps_vec_push(ps_vec *v);
void ps_vec_reserve(ps_vec *v, size_t n);
void ps_vec_free(ps_vec *v);
/* A copy of the elements in the arena (NULL when empty). */
void *ps_vec_to_arena(const ps_vec *v, ps_arena *a);
#define PS_VEC_AT(v, type, i) (((type *)(v)->data)[i])

/* Open-addressing map from a non-zero 64-bit key to a pointer. */
typedef struct ps_map {
    uint64_t *keys;
    void **vals;
    size_t len, cap;
} ps_map;

void *ps_map_get(const ps_map *m, uint64_t key);
void ps_map_put(ps_map *m, uint64_t key, void *val);
void ps_map_free(ps_map *m);

uint64_t ps_hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t ps_hash_str(const char *s, uint64_t seed);

/* Checked arithmetic for numbers that come from input (git's st_add and
 * st_mult): false when the exact result does not fit, *out unspecified
 * then.  Callers turn false into an input error ("... overflows"). */
static inline bool ps_add_ok(uint64_t a, uint64_t b, uint64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

static inline bool ps_mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

static inline bool ps_is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

/* nearest.c: edit distance (case-insensitive), and the name of names
 * closest to word within a third of its length (at least 2 edits), or
 * NULL: the "did you mean" of an entry that matches nothing. */
size_t ps_edit_distance(const char *a, const char *b);
const char *ps_nearest_name(const char *word, const char *const *names, size_t n);

/* Allocation that exits with status 2 on failure: out of memory is not a
 * condition any caller can recover from. */
void *ps_xmalloc(size_t n);
void *ps_xrealloc(void *p, size_t n);

/* Writes data to path through a temporary file and rename(2).
 * Returns 0, or -1 with a message in err. */
int ps_write_file_atomic(const char *path, const char *data, size_t len,
                         char *err, size_t errlen);

#endif
