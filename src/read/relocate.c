/*
 * Relocations of the debug sections of relocatable objects (.o).  In a
 * .o, references from .debug_info into .debug_str, .debug_abbrev and
 * friends are relocations against section symbols; they are applied here
 * to a private copy of each section, so that .o files go through the same
 * object-access path as linked binaries.  (Mixing in libdwarf 20210528's
 * own ELF reader leaves global state behind that breaks the next file.)
 *
 * A relocation type this file does not know makes the object an input
 * error: skipping one would leave a zero where a string offset belongs,
 * and every name in the report would be wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

/* Not in Debian 12's <elf.h>: RISC-V psABI 1.1 (binutils 2.41, LLVM 17). */
#define PS_R_RISCV_SET_ULEB128 60
#define PS_R_RISCV_SUB_ULEB128 61

typedef enum reloc_op {
    OP_UNKNOWN, /* not a relocation debug sections use: refuse the file */
    OP_NONE,    /* R_*_NONE, R_RISCV_RELAX: nothing to write */
    OP_SET,     /* S + A */
    OP_ADD,     /* V + S + A (RISC-V label differences) */
    OP_SUB,     /* V - (S + A) */
    OP_SET6,    /* low 6 bits of one byte */
    OP_SUB6,
    OP_SET_ULEB,
    OP_SUB_ULEB,
} reloc_op;

typedef struct reloc_kind {
    reloc_op op;
    unsigned width; /* bytes; 0 for the ULEB128 forms */
} reloc_kind;

static reloc_kind riscv_kind(unsigned type)
{
    switch (type) {
    case R_RISCV_NONE: case R_RISCV_RELAX: return (reloc_kind){OP_NONE, 0};
    case R_RISCV_32: case R_RISCV_TLS_DTPREL32: return (reloc_kind){OP_SET, 4};
    case R_RISCV_64: case R_RISCV_TLS_DTPREL64: return (reloc_kind){OP_SET, 8};
    case R_RISCV_ADD8: return (reloc_kind){OP_ADD, 1};
    case R_RISCV_ADD16: return (reloc_kind){OP_ADD, 2};
    case R_RISCV_ADD32: return (reloc_kind){OP_ADD, 4};
    case R_RISCV_ADD64: return (reloc_kind){OP_ADD, 8};
    case R_RISCV_SUB8: return (reloc_kind){OP_SUB, 1};
    case R_RISCV_SUB16: return (reloc_kind){OP_SUB, 2};
    case R_RISCV_SUB32: return (reloc_kind){OP_SUB, 4};
    case R_RISCV_SUB64: return (reloc_kind){OP_SUB, 8};
    case R_RISCV_SET8: return (reloc_kind){OP_SET, 1};
    case R_RISCV_SET16: return (reloc_kind){OP_SET, 2};
    case R_RISCV_SET32: return (reloc_kind){OP_SET, 4};
    case R_RISCV_SET6: return (reloc_kind){OP_SET6, 1};
    case R_RISCV_SUB6: return (reloc_kind){OP_SUB6, 1};
    case PS_R_RISCV_SET_ULEB128: return (reloc_kind){OP_SET_ULEB, 0};
    case PS_R_RISCV_SUB_ULEB128: return (reloc_kind){OP_SUB_ULEB, 0};
    default: return (reloc_kind){OP_UNKNOWN, 0};
    }
}

/* The data relocations compilers put into debug sections: absolute
 * addresses and offsets, and TLS offsets (DW_OP_const*u x@dtpoff). */
static reloc_kind reloc_kind_of(ps_arch arch, unsigned type)
{
    reloc_kind none = {OP_NONE, 0}, w4 = {OP_SET, 4}, w8 = {OP_SET, 8}, bad = {OP_UNKNOWN, 0};
    switch (arch) {
    case PS_ARCH_X86_64:
        return type == R_X86_64_NONE ? none
             : type == R_X86_64_64 || type == R_X86_64_DTPOFF64 ? w8
             : type == R_X86_64_32 || type == R_X86_64_32S || type == R_X86_64_DTPOFF32 ? w4 : bad;
    case PS_ARCH_I386:
        return type == R_386_NONE ? none : type == R_386_32 || type == R_386_TLS_LDO_32 ? w4 : bad;
    case PS_ARCH_AARCH64:
        return type == R_AARCH64_NONE ? none
             : type == R_AARCH64_ABS64 || type == R_AARCH64_TLS_DTPREL ? w8
             : type == R_AARCH64_ABS32 ? w4 : bad;
    case PS_ARCH_ARM:
        return type == R_ARM_NONE ? none : type == R_ARM_ABS32 || type == R_ARM_TLS_LDO32 ? w4 : bad;
    case PS_ARCH_RISCV64:
        return riscv_kind(type);
    default:
        return bad;
    }
}

static uint64_t get_word(const ps_elf *e, const unsigned char *p, unsigned width)
{
    return width == 1 ? p[0] : ps_elf_word(e, p, width);
}

static void put_word(const ps_elf *e, unsigned char *p, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++) {
        unsigned shift = e->big_endian ? (width - 1 - i) * 8 : i * 8;
        p[i] = (unsigned char)(v >> shift);
    }
}

/* A ULEB128 rewritten in place, in the bytes it already has (the
 * assembler reserves them); false if the value does not fit. */
static bool uleb_rewrite(unsigned char *p, uint64_t room, bool sub, uint64_t v)
{
    uint64_t old = 0, len = 0;
    unsigned shift = 0;
    for (;; len++) {
        if (len == room || len == 10)
            return false;
        old |= shift < 64 ? (uint64_t)(p[len] & 0x7f) << shift : 0;
        shift += 7;
        if (!(p[len] & 0x80))
            break;
    }
    uint64_t nv = sub ? old - v : v;
    for (uint64_t i = 0; i <= len; i++, nv >>= 7)
        p[i] = (unsigned char)((nv & 0x7f) | (i < len ? 0x80 : 0));
    return nv == 0;
}

static bool apply_one(ps_elf *e, Elf_Data *syms, unsigned char *data, uint64_t size,
                      const GElf_Rela *r, bool has_addend, char *err, size_t errlen)
{
    /* gelf hands 32-bit relocations over in the 64-bit encoding */
    unsigned type = (unsigned)GELF_R_TYPE(r->r_info);
    reloc_kind k = reloc_kind_of(e->arch, type);
    GElf_Sym sym;
    if (k.op == OP_UNKNOWN) {
        snprintf(err, errlen, "relocation type %u is not supported for %s objects", type,
                 ps_arch_name(e->arch));
        return false;
    }
    if (k.op == OP_NONE)
        return true;
    if (r->r_offset >= size || size - r->r_offset < (k.width ? k.width : 1) ||
        !gelf_getsym(syms, (int)GELF_R_SYM(r->r_info), &sym)) {
        snprintf(err, errlen, "relocation at 0x%llx outside its section or without a symbol",
                 (unsigned long long)r->r_offset);
        return false;
    }
    unsigned char *p = data + r->r_offset;
    uint64_t sa = sym.st_value + (has_addend ? (uint64_t)r->r_addend
                                   : k.width ? get_word(e, p, k.width) : 0);
    uint64_t v = k.width ? get_word(e, p, k.width) : 0;
    bool ok = true;
    switch (k.op) {
    case OP_SET: put_word(e, p, k.width, sa); break;
    case OP_ADD: put_word(e, p, k.width, v + sa); break;
    case OP_SUB: put_word(e, p, k.width, v - sa); break;
    case OP_SET6: *p = (unsigned char)((*p & 0xc0) | (sa & 0x3f)); break;
    case OP_SUB6: *p = (unsigned char)((*p & 0xc0) | ((*p - sa) & 0x3f)); break;
    case OP_SET_ULEB: case OP_SUB_ULEB:
        ok = uleb_rewrite(p, size - r->r_offset, k.op == OP_SUB_ULEB, sa);
        break;
    default: break;
    }
    if (!ok)
        snprintf(err, errlen, "ULEB128 relocation at 0x%llx does not fit its bytes",
                 (unsigned long long)r->r_offset);
    return ok;
}

static bool apply_section(ps_elf *e, Elf_Scn *rel, const GElf_Shdr *rsh, unsigned char *data,
                          uint64_t size, char *err, size_t errlen)
{
    Elf_Scn *symscn = elf_getscn(e->elf, rsh->sh_link);
    Elf_Data *syms = symscn ? elf_getdata(symscn, NULL) : NULL;
    Elf_Data *rd = elf_getdata(rel, NULL);
    if (!syms || !rd || !rsh->sh_entsize) {
        snprintf(err, errlen, "unreadable relocation section");
        return false;
    }
    bool rela = rsh->sh_type == SHT_RELA;
    for (size_t i = 0; i < rsh->sh_size / rsh->sh_entsize; i++) {
        GElf_Rela r;
        GElf_Rel plain;
        if (rela ? !gelf_getrela(rd, (int)i, &r) : !gelf_getrel(rd, (int)i, &plain)) {
            snprintf(err, errlen, "unreadable relocation %zu", i);
            return false;
        }
        if (!rela) {
            r.r_offset = plain.r_offset;
            r.r_info = plain.r_info;
            r.r_addend = 0;
        }
        if (!apply_one(e, syms, data, size, &r, rela, err, errlen))
            return false;
    }
    return true;
}

unsigned char *ps_elf_relocated_copy(ps_elf *e, size_t index, const void *data, uint64_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return NULL;
    if (size)
        memcpy(copy, data, size);
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    char why[160];
    while ((scn = elf_nextscn(e->elf, scn))) {
        if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL) ||
            sh.sh_info != index)
            continue;
        if (!apply_section(e, scn, &sh, copy, size, why, sizeof(why))) {
            if (!e->reloc_error[0])
                snprintf(e->reloc_error, sizeof(e->reloc_error), "%s", why);
            free(copy);
            return NULL;
        }
    }
    return copy;
}
