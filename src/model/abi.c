/*
 * Target ABI rules.  DWARF records sizes and offsets but not alignment, and
 * reordering needs alignment, so it comes from the psABI of the ELF target
 * (C) or from Go's own rules per kind and word size (Go).
 */
#include "padscan/model.h"

static uint32_t largest_pow2_dividing(uint64_t n, uint32_t cap)
{
    uint32_t a = 1;
    while (a < cap && n % (a * 2) == 0)
        a *= 2;
    return a;
}

/* No psABI padscan reads aligns a scalar beyond 16 bytes. */
enum { MAX_SCALAR_ALIGN = 16 };

/* i386 SysV is the odd one out: 8- and 12-byte scalars (double, long long,
 * long double) align to 4 inside structs; ARM EABI, AArch64 and x86-64
 * align them naturally. */
uint32_t ps_abi_scalar_align(ps_arch arch, unsigned ptr_size, uint64_t size,
                             bool is_complex)
{
    (void)ptr_size;
    if (is_complex)
        size /= 2;
    if (size == 0)
        return 1;
    if (arch == PS_ARCH_I386 && (size == 8 || size == 12))
        return 4;
    return largest_pow2_dividing(size, MAX_SCALAR_ALIGN);
}

/* Go: 64-bit scalars are word-aligned on 32-bit targets; complex64 is two
 * float32s and aligns to 4 everywhere (fieldalignment gets this wrong). */
uint32_t ps_go_kind_align(unsigned ptr_size, int go_kind)
{
    switch (go_kind) {
    case PS_GO_BOOL: case PS_GO_INT8: case PS_GO_UINT8:
        return 1;
    case PS_GO_INT16: case PS_GO_UINT16:
        return 2;
    case PS_GO_INT32: case PS_GO_UINT32: case PS_GO_FLOAT32:
    case PS_GO_COMPLEX64:
        return 4;
    case PS_GO_INT64: case PS_GO_UINT64: case PS_GO_FLOAT64:
    case PS_GO_COMPLEX128:
        return ptr_size < 8 ? ptr_size : 8;
    default:
        return ptr_size;
    }
}

uint64_t ps_go_kind_ptr_bytes(unsigned ptr_size, int go_kind)
{
    switch (go_kind) {
    case PS_GO_CHAN: case PS_GO_FUNC: case PS_GO_MAP: case PS_GO_POINTER:
    case PS_GO_UNSAFE_POINTER: case PS_GO_SLICE: case PS_GO_STRING:
        return ptr_size;
    case PS_GO_INTERFACE:
        return 2 * (uint64_t)ptr_size;
    default:
        return 0;
    }
}

ps_kind ps_go_kind_class(int go_kind)
{
    switch (go_kind) {
    case PS_GO_CHAN: case PS_GO_FUNC: case PS_GO_MAP: case PS_GO_POINTER:
    case PS_GO_UNSAFE_POINTER:
        return PS_K_POINTER;
    case PS_GO_SLICE: return PS_K_SLICE;
    case PS_GO_STRING: return PS_K_STRING;
    case PS_GO_INTERFACE: return PS_K_IFACE;
    case PS_GO_STRUCT: return PS_K_STRUCT;
    case PS_GO_ARRAY: return PS_K_ARRAY;
    default: return PS_K_SCALAR;
    }
}
