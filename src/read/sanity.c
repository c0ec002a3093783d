/*
 * Pre-flight checks of DWARF sections that libdwarf 20210528 loads eagerly
 * and whose damage trips bugs in its error paths (a double free on a
 * .debug_rnglists unit longer than its section).  padscan reads nothing
 * from these sections; it only refuses files where they are malformed.
 */
#include <stdio.h>
#include <string.h>

#include "elf.h"

/* DWARF 5 range and location list tables share one header layout:
 * unit_length, version 5, address_size, segment_selector_size and
 * offset_entry_count, with the offsets inside the unit. */
static int check_list_tables(ps_elf *e, const char *section, char *err, size_t errlen)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(e, section, &sh);
    if (!d || !d->d_buf)
        return 0;
    const unsigned char *p = d->d_buf;
    uint64_t size = d->d_size, off = 0;
    while (off < size) {
        uint64_t len = size - off >= 4 ? ps_elf_word(e, p + off, 4) : 0, hdr = 4;
        unsigned offset_size = 4;
        if (len == 0xffffffffu && size - off >= 12) {
            len = ps_elf_word(e, p + off + 4, 8);
            hdr = 12;
            offset_size = 8;
        }
        const unsigned char *u = p + off + hdr;
        bool ok = len >= 8 && len <= size - off - hdr && ps_elf_word(e, u, 2) == 5 &&
                  (u[2] == 4 || u[2] == 8) && u[3] == 0 &&
                  ps_elf_word(e, u + 4, 4) <= (len - 8) / offset_size;
        if (!ok) {
            snprintf(err, errlen, "malformed DWARF: %s table at offset 0x%llx", section,
                     (unsigned long long)off);
            return -1;
        }
        off += hdr + len;
    }
    return 0;
}

int ps_elf_check_dwarf_sections(ps_elf *e, char *err, size_t errlen)
{
    if (check_list_tables(e, ".debug_rnglists", err, errlen) != 0)
        return -1;
    return check_list_tables(e, ".debug_loclists", err, errlen);
}
