/*
 * Allocator models: the bytes an allocator really hands out for a request.
 * Each model is the allocator's own rule, and the tests check them against
 * the allocators themselves (malloc_usable_size under glibc, jemalloc and
 * tcmalloc; Go's runtime/sizeclasses.go of the toolchain).
 */
#include <string.h>

#include "padscan/estimate.h"

static uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

/* runtime/sizeclasses.go (class_to_size), unchanged from Go 1.12 to 1.27. */
static const uint16_t go_classes[] = {
    8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
    9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
    28672, 32768,
};

enum { GO_MAX_SMALL = 32768, GO_PAGE = 8192, GO_TINY = 16, GO_MALLOC_HEADER = 8 };

static uint64_t go_class(uint64_t size)
{
    for (size_t i = 0; i < sizeof(go_classes) / sizeof(go_classes[0]); i++)
        if (size <= go_classes[i])
            return go_classes[i];
    return round_up(size, GO_PAGE);
}

/* mallocgc: pointer-free objects under 16 bytes share 16-byte tiny blocks,
 * each aligned by its size (8, 4 or 2) inside the block: that many fit in
 * one block. */
static uint64_t go_tiny_per_block(uint64_t size)
{
    uint64_t align = size % 8 == 0 ? 8 : size % 4 == 0 ? 4 : size % 2 == 0 ? 2 : 1;
    return (GO_TINY - size) / round_up(size, align) + 1;
}

/* Since Go 1.22, pointerful objects larger than ptr_size * 8 * ptr_size
 * bytes carry an 8-byte type header. */
static uint64_t go_bytes(const ps_alloc_target *t, uint64_t size, bool has_pointers)
{
    if (size == 0)
        return 0;
    uint64_t header_from = (uint64_t)t->ptr_size * 8 * t->ptr_size;
    bool headers = t->go_minor == 0 || t->go_minor >= 22;
    if (headers && has_pointers && size > header_from && size <= GO_MAX_SMALL - GO_MALLOC_HEADER)
        size += GO_MALLOC_HEADER;
    return size > GO_MAX_SMALL ? round_up(size, GO_PAGE) : go_class(size);
}

/* glibc 2.36 malloc.c on x86-64 and i386 (MALLOC_ALIGNMENT 16, SIZE_SZ the
 * pointer size).  request2size: the request plus one size word, rounded to
 * 16, at least MINSIZE.  A chunk of DEFAULT_MMAP_THRESHOLD (128 KiB) or more
 * is mmap'd once the heap's top chunk cannot serve it (the steady state of
 * many such objects): sysmalloc_mmap maps ALIGN_UP(nb + SIZE_SZ, page) when
 * MALLOC_ALIGNMENT == 2 * SIZE_SZ (x86-64), else ALIGN_UP(nb + SIZE_SZ +
 * MALLOC_ALIGN_MASK, page) and starts the chunk 8 bytes in (i386).  The
 * whole mapping is what the object costs.  (glibc raises the threshold when
 * a mmap'd chunk is freed; docs/fleet.md says what that means.) */
static uint64_t glibc_bytes(const ps_alloc_target *t, uint64_t size)
{
    const uint64_t align = 16, page = 4096, threshold = 128 * 1024;
    uint64_t word = t->ptr_size, min = t->ptr_size == 8 ? 32 : 16;
    uint64_t nb = round_up(size + word, align);
    nb = nb < min ? min : nb;
    if (nb < threshold)
        return nb;
    return round_up(nb + word + (align == 2 * word ? 0 : align - 1), page);
}

/* jemalloc 5 (16-byte quantum): 8, then multiples of 16 to 128, then four
 * classes per doubling, for small and large sizes alike. */
static uint64_t jemalloc_bytes(uint64_t size)
{
    if (size <= 8)
        return 8;
    if (size <= 128)
        return round_up(size, 16);
    unsigned lg = 63 - (unsigned)__builtin_clzll(size - 1); /* 2^lg < size <= 2^(lg+1) */
    return round_up(size, 1ULL << (lg - 2));
}

/* gperftools 2.10 tcmalloc (Debian 12's libtcmalloc-minimal4) on x86-64, as
 * malloc_usable_size reports them up to 256 KiB; tests re-probe it. */
static const uint32_t tc_classes[] = {
    8, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352,
    384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
    2304, 2560, 2816, 3072, 3328, 4096, 4608, 5120, 6144, 6656, 8192, 9216, 10240, 12288, 13312,
    16384, 20480, 24576, 26624, 32768, 40960, 49152, 57344, 65536, 73728, 81920, 90112, 98304,
    106496, 114688, 122880, 131072, 139264, 147456, 155648, 163840, 172032, 180224, 188416,
    196608, 204800, 212992, 221184, 229376, 237568, 245760, 253952, 262144,
};

static uint64_t tcmalloc_bytes(uint64_t size)
{
    for (size_t i = 0; i < sizeof(tc_classes) / sizeof(tc_classes[0]); i++)
        if (size <= tc_classes[i])
            return tc_classes[i];
    return round_up(size, 8192);
}

static uint64_t one(ps_allocator a, const ps_alloc_target *t, uint64_t size, bool has_pointers)
{
    switch (a) {
    case PS_ALLOC_GO: return go_bytes(t, size, has_pointers);
    case PS_ALLOC_GLIBC: return glibc_bytes(t, size);
    case PS_ALLOC_JEMALLOC: return jemalloc_bytes(size);
    case PS_ALLOC_TCMALLOC: return tcmalloc_bytes(size);
    default: return size;
    }
}

double ps_alloc_bytes(ps_allocator a, const ps_alloc_target *t, uint64_t size, bool has_pointers)
{
    if (a == PS_ALLOC_GO && !has_pointers && size > 0 && size < GO_TINY)
        return (double)GO_TINY / (double)go_tiny_per_block(size);
    return (double)one(a, t, size, has_pointers);
}

static const char *const names[] = {"go", "glibc", "jemalloc", "tcmalloc", "exact"};

const char *ps_allocator_name(ps_allocator a) { return names[a]; }

bool ps_allocator_parse(const char *name, ps_allocator *out)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(name, names[i])) {
            *out = (ps_allocator)i;
            return true;
        }
    return false;
}
