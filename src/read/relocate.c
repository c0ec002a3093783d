/*
 * Relocations of the debug sections of relocatable objects (.o).  In a
 * .o, references from .debug_info into .debug_str, .debug_abbrev and
 * friends are relocations against section symbols; they are applied here
 * to a private copy of each section, so that .o files go through the same
 * object-access path as linked binaries.  (Mixing in libdwarf 20210528's
 * own ELF reader leaves global state behind that breaks the next file.)
 */
#include <stdlib.h>
#include <string.h>

#include "elf.h"

/* Bytes written by a data relocation of this type, or 0 if it is not one
 * a debug section uses. */
static unsigned reloc_width(ps_arch arch, unsigned type)
{
    switch (arch) {
    case PS_ARCH_X86_64: return type == R_X86_64_64 ? 8 : type == R_X86_64_32 ? 4 : 0;
    case PS_ARCH_I386: return type == R_386_32 ? 4 : 0;
    case PS_ARCH_AARCH64: return type == R_AARCH64_ABS64 ? 8 : type == R_AARCH64_ABS32 ? 4 : 0;
    case PS_ARCH_ARM: return type == R_ARM_ABS32 ? 4 : 0;
    default: return 0;
    }
}

static void put_word(const ps_elf *e, unsigned char *p, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++) {
        unsigned shift = e->big_endian ? (width - 1 - i) * 8 : i * 8;
        p[i] = (unsigned char)(v >> shift);
    }
}

static bool apply_one(ps_elf *e, Elf_Data *syms, unsigned char *data, uint64_t size,
                      const GElf_Rela *r, bool has_addend)
{
    /* gelf hands 32-bit relocations over in the 64-bit encoding */
    unsigned type = (unsigned)GELF_R_TYPE(r->r_info);
    size_t sym_index = GELF_R_SYM(r->r_info);
    unsigned width = reloc_width(e->arch, type);
    GElf_Sym sym;
    if (!width || r->r_offset > size || size - r->r_offset < width ||
        !gelf_getsym(syms, (int)sym_index, &sym))
        return width == 0; /* other relocation types do not touch type data */
    uint64_t addend = has_addend ? (uint64_t)r->r_addend : ps_elf_word(e, data + r->r_offset, width);
    put_word(e, data + r->r_offset, width, sym.st_value + addend);
    return true;
}

static bool apply_section(ps_elf *e, Elf_Scn *rel, const GElf_Shdr *rsh, unsigned char *data,
                          uint64_t size)
{
    Elf_Scn *symscn = elf_getscn(e->elf, rsh->sh_link);
    Elf_Data *syms = symscn ? elf_getdata(symscn, NULL) : NULL;
    Elf_Data *rd = elf_getdata(rel, NULL);
    if (!syms || !rd || !rsh->sh_entsize)
        return false;
    bool rela = rsh->sh_type == SHT_RELA;
    for (size_t i = 0; i < rsh->sh_size / rsh->sh_entsize; i++) {
        GElf_Rela r;
        GElf_Rel plain;
        if (rela ? !gelf_getrela(rd, (int)i, &r) : !gelf_getrel(rd, (int)i, &plain))
            return false;
        if (!rela) {
            r.r_offset = plain.r_offset;
            r.r_info = plain.r_info;
            r.r_addend = 0;
        }
        if (!apply_one(e, syms, data, size, &r, rela))
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
    while ((scn = elf_nextscn(e->elf, scn))) {
        if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL) ||
            sh.sh_info != index)
            continue;
        if (!apply_section(e, scn, &sh, copy, size)) {
            free(copy);
            return NULL;
        }
    }
    return copy;
}
