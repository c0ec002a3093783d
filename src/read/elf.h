/*
 * ELF side of the reader (libelf): target, build id, Go build info, and
 * bytes at a virtual address (Go runtime type descriptors).
 */
#ifndef PADSCAN_READ_ELF_H
#define PADSCAN_READ_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "padscan/model.h"

typedef struct ps_elf {
    int fd;
    Elf *elf;
    uint64_t file_size;
    ps_arch arch;
    unsigned ptr_size;
    bool big_endian;
    bool has_dwarf;
    bool lto_ir; /* GCC LTO intermediate code (.gnu.lto_* sections) */
    bool go_types_known;
    uint64_t go_types; /* address of runtime.types, or 0 */
    char reloc_error[160]; /* why relocating a debug section of a .o failed */
    int guard;             /* mapguard.c slot of libelf's mapping, or -1 */
} ps_elf;

/* Opens and validates path; on failure fills err with the problem (without
 * the path) and returns -1. */
int ps_elf_open(ps_elf *e, const char *path, char *err, size_t errlen);
void ps_elf_close(ps_elf *e);
/* True if the file shrank while mapped (see mapguard.c): what was read
 * from it since is zeros, and the read must fail. */
bool ps_elf_truncated(const ps_elf *e);

/* Inflates a compressed debug section (SHF_COMPRESSED, or .zdebug_ by
 * name) in libelf's memory and updates *sh; 0, or -1 if it cannot be. */
int ps_elf_inflate(ps_elf *e, Elf_Scn *scn, GElf_Shdr *sh, const char *name);
/* Bytes read for good: when they are the file's own (not an inflated or
 * relocated copy), their whole pages leave the process's memory; a later
 * read faults them in from the file again. */
void ps_elf_drop_read(ps_elf *e, const void *p, uint64_t size);

/* mapguard.c: SIGBUS on a registered mapping becomes a flag. */
int ps_mapguard_add(const void *base, size_t len);
bool ps_mapguard_hit(int slot);
void ps_mapguard_remove(int slot);

/* relocate.c: a malloc'd copy of a .o section with its relocations
 * applied, or NULL if they cannot be. */
unsigned char *ps_elf_relocated_copy(ps_elf *e, size_t index, const void *data, uint64_t size);

/* sanity.c: refuse damage that libdwarf itself would crash on. */
int ps_elf_check_dwarf_sections(ps_elf *e, char *err, size_t errlen);

/* The contents of the named section (with file contents; a compressed one
 * inflated), or NULL. */
Elf_Data *ps_elf_section(ps_elf *e, const char *name, GElf_Shdr *sh);
const char *ps_elf_build_id(ps_elf *e, ps_arena *a);
const char *ps_elf_go_version(ps_elf *e, ps_arena *a);
/* The Go build info's module text ("mod", "dep", "=>" lines), or NULL. */
const char *ps_elf_go_modinfo(ps_elf *e, ps_arena *a);

/* Copies n bytes at virtual address addr; false if not in a loaded
 * section with file contents. */
bool ps_elf_read_vaddr(ps_elf *e, uint64_t addr, void *buf, size_t n);
/* Which of names[] the symbol table defines (bit i for names[i]); a name
 * ending in '*' matches as a prefix. */
unsigned ps_elf_has_symbols(ps_elf *e, const char *const *names, unsigned n);

/* Go's DW_AT_go_runtime_type is an offset from runtime.types. */
uint64_t ps_elf_go_types_base(ps_elf *e);
uint64_t ps_elf_word(const ps_elf *e, const unsigned char *p, unsigned size);

#endif
