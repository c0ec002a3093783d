/*
 * The trust boundary of the reader: every number a later stage computes
 * with is checked here, where it leaves the DWARF, so that analyze, reorder
 * and report never see an alignment of 0, a size near 2^64 or a member
 * outside its record.  A value that fails is an input error ("padscan:
 * FILE: malformed DWARF: ..."), never a clamp: a layout padscan cannot
 * believe is one it must not report.
 */
#include <stdio.h>

#include "reader.h"

uint64_t rd_add(reader *r, uint64_t a, uint64_t b, const char *what)
{
    uint64_t out;
    if (!ps_add_ok(a, b, &out) || out > RD_MAX_BITS)
        rd_fail(r, "malformed DWARF: %s overflows", what);
    return out;
}

uint64_t rd_mul(reader *r, uint64_t a, uint64_t b, const char *what)
{
    uint64_t out;
    if (!ps_mul_ok(a, b, &out) || out > RD_MAX_BITS)
        rd_fail(r, "malformed DWARF: %s overflows", what);
    return out;
}

uint64_t rd_bytes(reader *r, uint64_t bytes, const char *what)
{
    if (bytes > RD_MAX_BYTES)
        rd_fail(r, "malformed DWARF: %s of %llu bytes is impossible (more than 2^56)", what,
                (unsigned long long)bytes);
    return bytes;
}

uint32_t rd_align(reader *r, uint64_t align, const char *what)
{
    if (!ps_is_pow2(align) || align > RD_MAX_ALIGN)
        rd_fail(r, "malformed DWARF: %s alignment %llu is not a power of two up to 2^28", what,
                (unsigned long long)align);
    return (uint32_t)align;
}

/* DW_AT_sibling may point anywhere; only a link that moves forward makes
 * a walk over children finish. */
int rd_next_sibling(reader *r, Dwarf_Die die, Dwarf_Die *next)
{
    Dwarf_Off here = 0, there = 0;
    int rc = dwarf_siblingof_b(r->dbg, die, dwarf_get_die_infotypes_flag(die), next, &r->err);
    if (rc != DW_DLV_OK)
        return rc;
    if (dwarf_dieoffset(die, &here, &r->err) != DW_DLV_OK ||
        dwarf_dieoffset(*next, &there, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "DIE offset");
    if (there <= here) {
        dwarf_dealloc_die(*next);
        *next = NULL;
        rd_fail(r, "malformed DWARF: sibling of the DIE at 0x%llx points back to 0x%llx",
                (unsigned long long)here, (unsigned long long)there);
    }
    return rc;
}

/* Every member lies inside its record: a union's members each from offset
 * 0, a struct's in order of declaration or not, but all ending by the
 * record's last byte.  A flexible array member (no bytes of its own) may
 * start at the end. */
void rd_check_record(reader *r, const ps_struct *s, const ps_member *m, uint32_t n)
{
    uint64_t limit = s->size * 8; /* s->size <= RD_MAX_BYTES: no overflow */
    for (uint32_t i = 0; i < n; i++) {
        uint64_t bits = ps_member_bits(&m[i]);
        uint64_t end = rd_add(r, m[i].bit_pos, bits, "member offset");
        if (end > limit)
            rd_fail(r, "malformed DWARF: member %s of %s ends at bit %llu, past the end of the "
                       "record (%llu bytes)", ps_member_label(&m[i]), s->name,
                    (unsigned long long)end, (unsigned long long)s->size);
    }
}
