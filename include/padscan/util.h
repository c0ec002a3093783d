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
/* Frees all but one chunk, which the next allocations reuse: an arena
 * that lives for one compile unit at a time. */
void ps_arena_reset(ps_arena *a);

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

/* Open-addressing map from a non-zero 64-bit key to a pointer; a key and
 * its value share a slot, so a probe reads one cache line.  Iterate over
 * slots[0..cap), skipping keys of 0. */
typedef struct ps_map_slot {
    uint64_t key;
    void *val;
} ps_map_slot;
typedef struct ps_map {
    ps_map_slot *slots;
    size_t len, cap;
} ps_map;

void *ps_map_get(const ps_map *m, uint64_t key);
void ps_map_put(ps_map *m, uint64_t key, void *val);
void ps_map_free(ps_map *m);
/* Empties the map; its memory stays for the next use (per-unit maps). */
void ps_map_clear(ps_map *m);

/* Map from a string (not copied: it must outlive the map) to a uint32_t;
 * diff and check pair structs and members by name in linear time. */
typedef struct ps_strindex {
    const char **keys;
    uint32_t *vals;
    size_t len, cap;
} ps_strindex;

#define PS_STRINDEX_NONE UINT32_MAX
uint32_t ps_strindex_get(const ps_strindex *m, const char *key); /* or PS_STRINDEX_NONE */
/* Adds key -> val unless key is there; returns the value key now has. */
uint32_t ps_strindex_add(ps_strindex *m, const char *key, uint32_t val);
void ps_strindex_free(ps_strindex *m);

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

/* A cache-line size padscan accepts (--cacheline, padscan.json): a power
 * of two from 16 to 4096 bytes; 3 or 100000 would make every line count
 * and every "fits in one line" meaningless. */
#define PS_CACHELINE_MIN 16
#define PS_CACHELINE_MAX 4096
static inline bool ps_cacheline_ok(uint64_t x)
{
    return ps_is_pow2(x) && x >= PS_CACHELINE_MIN && x <= PS_CACHELINE_MAX;
}

/* nearest.c: edit distance (case-insensitive), and the name of names
 * closest to word within a third of its length (at least 2 edits), or
 * NULL: the "did you mean" of an entry that matches nothing. */
size_t ps_edit_distance(const char *a, const char *b);
const char *ps_nearest_name(const char *word, const char *const *names, size_t n);

/* The one fatal-error policy: "padscan: <msg>" on stderr and exit status 2
 * (temporary output files are removed by an atexit handler).  Out of memory
 * is such an error: no caller can recover from it. */
void ps_fatal(const char *msg) __attribute__((noreturn));
void ps_out_of_memory(void) __attribute__((noreturn));

/* Allocation that exits through ps_out_of_memory on failure (calloc also
 * when n * size overflows). */
void *ps_xmalloc(size_t n);
void *ps_xcalloc(size_t n, size_t size);
void *ps_xrealloc(void *p, size_t n);
/* Grows an array of elem-sized elements to hold need, doubling *cap. */
void *ps_xgrow(void *p, size_t *cap, size_t need, size_t elem);

/* UTF-8: the length of the valid sequence at s (1-4), or 0 if invalid. */
size_t ps_utf8_seq(const char *s, size_t n);
bool ps_utf8_valid(const char *s, size_t n);
bool ps_utf8_valid_str(const char *s); /* NULL is valid */

/* Control characters (newline, tab, ESC, ...) as C escapes, so a name or a
 * path can never split a line of output or an error message. */
void ps_sb_add_oneline(ps_strbuf *sb, const char *s, size_t n);
/* Escapes the control characters written to sb since length from. */
void ps_sb_escape_from(ps_strbuf *sb, size_t from);
/* s itself when it has no control characters, else an escaped copy in a. */
const char *ps_oneline(const char *s, ps_arena *a);

/* Refuses anything but a regular file (FIFOs block, devices never end)
 * before it is opened; *size (if given) is its size.  Returns 0, or -1
 * with "path: problem" in err. */
int ps_input_check(const char *path, uint64_t *size, char *err, size_t errlen);

/* Writes data to path through a temporary file and rename(2).
 * Returns 0, or -1 with a message in err. */
int ps_write_file_atomic(const char *path, const char *data, size_t len,
                         char *err, size_t errlen);
/* Several files at once: every temporary file is written before any is
 * renamed, so a failure leaves none of them changed. */
int ps_write_files_atomic(const char *const *paths, const char *const *data, const size_t *lens,
                          size_t n, char *err, size_t errlen);

/* repo_path.c: file (relative to the source root, or absolute) as the
 * repository names it: relative to --repo-root, $GITHUB_WORKSPACE,
 * $CI_PROJECT_DIR, the git work tree or the source root (docs/ci.md,
 * "Paths"), else absolute.  *repo (if given) gets the absolute root it is
 * relative to, NULL when none is known.  Strings live in a. */
const char *ps_repo_path(const char *root, const char *file, ps_arena *a, const char **repo);
/* The same rule with memory: a writer that names many files makes one
 * context per report; answers live until ps_repo_paths_free. */
typedef struct ps_repo_paths ps_repo_paths;
ps_repo_paths *ps_repo_paths_new(void);
void ps_repo_paths_free(ps_repo_paths *c);
const char *ps_repo_paths_get(ps_repo_paths *c, const char *root, const char *file,
                              const char **repo);
/* The root the source root's own files are named from (the repository
 * holding root), or NULL: no source root, or none holds it. */
const char *ps_repo_paths_root(ps_repo_paths *c, const char *root);
/* --repo-root DIR; false when DIR is no directory. */
bool ps_set_repo_root(const char *dir);

#endif
