/*
 * The trust boundary of the reader: every number a later stage computes
 * with is checked here, where it leaves the DWARF, so that analyze, reorder
 * and report never see an alignment of 0, a size near 2^64 or a member
 * outside its record.  A value that fails is an input error ("padscan:
 * FILE: malformed DWARF: ..."), never a clamp: a layout padscan cannot
 * believe is one it must not report.
 */
#include <stdio.h>

#include "bytes.h"
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

static Dwarf_Off die_offset(reader *r, Dwarf_Die die)
{
    Dwarf_Off off = 0;
    if (dwarf_dieoffset(die, &off, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "DIE offset");
    return off;
}

/* A DIE's own DW_AT_sibling must point past it.  Returns whether it has
 * one (then libdwarf jumps over its children without reading them). */
static bool libdwarf_sibling(reader *r, Dwarf_Die die, uint64_t *here, uint64_t *there)
{
    Dwarf_Attribute at = NULL;
    int rc = dwarf_attr(die, DW_AT_sibling, &at, &r->err);
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, "sibling attribute");
    if (rc == DW_DLV_NO_ENTRY)
        return false;
    Dwarf_Off to = 0;
    *here = die_offset(r, die);
    rc = dwarf_global_formref(at, &to, &r->err);
    dwarf_dealloc_attribute(at);
    if (rc != DW_DLV_OK)
        rd_dwarf_fail(r, "sibling attribute");
    *there = to;
    return true;
}

static void forward(reader *r, uint64_t here, uint64_t there)
{
    if (there <= here)
        rd_fail(r, "malformed DWARF: sibling of the DIE at 0x%llx points back to 0x%llx",
                (unsigned long long)here, (unsigned long long)there);
}

static bool own_sibling_forward(reader *r, Dwarf_Die die)
{
    uint64_t here = 0, there = 0;
    int known = rd_raw_sibling(r, die, &here, &there);
    bool has = known >= 0 ? known == 1 : libdwarf_sibling(r, die, &here, &there);
    if (has)
        forward(r, here, there);
    return has;
}

static bool has_children(reader *r, Dwarf_Die die)
{
    Dwarf_Half flag = 0;
    if (dwarf_die_abbrev_children_flag(die, &flag) != DW_DLV_OK)
        rd_dwarf_fail(r, "abbreviation");
    return flag != 0;
}

enum { MAX_DIE_DEPTH = 1024 };

/* libdwarf 20210528 skips a DIE's children by reading each of them and
 * following every DW_AT_sibling it meets; one that points at its own DIE
 * makes that loop endless.  So before libdwarf skips a subtree, every
 * sibling link it could follow there is checked here, in the same order
 * and without recursion: descending only where libdwarf would (children
 * and no DW_AT_sibling of their own). */
static bool no_sibling_links(const reader *r)
{
    return r->no_sibling_attrs && !r->cur_alt && !r->main_dbg;
}

static bool sibling_forward(reader *r, Dwarf_Die die)
{
    return !no_sibling_links(r) && own_sibling_forward(r, die);
}

static void check_subtree(reader *r, Dwarf_Die root)
{
    Dwarf_Die stack[MAX_DIE_DEPTH];
    bool entered[MAX_DIE_DEPTH];
    int top = 0;
    if (rd_child(r, root, &stack[0]) != DW_DLV_OK) {
        rd_forget_error(r); /* no children, or an error the caller's walk reports */
        return;
    }
    entered[0] = false;
    while (top >= 0) {
        Dwarf_Die cur = stack[top];
        if (!entered[top]) {
            entered[top] = true;
            if (!sibling_forward(r, cur) && has_children(r, cur)) {
                Dwarf_Die child = NULL;
                int rc = rd_child(r, cur, &child);
                if (rc == DW_DLV_ERROR)
                    rd_dwarf_fail(r, "DIE children");
                if (rc == DW_DLV_OK) {
                    if (top + 1 >= MAX_DIE_DEPTH)
                        rd_fail(r, "malformed DWARF: DIEs nested more than %d deep", MAX_DIE_DEPTH);
                    stack[++top] = child;
                    entered[top] = false;
                    continue;
                }
            }
        }
        Dwarf_Die next = NULL;
        int rc = dwarf_siblingof_b(rd_dbg(r), cur, dwarf_get_die_infotypes_flag(cur), &next, &r->err);
        if (rc == DW_DLV_ERROR)
            rd_dwarf_fail(r, "DIE siblings");
        rd_let_go(r, cur);
        if (rc == DW_DLV_OK) {
            rd_hold(r, next);
            stack[top] = next;
            entered[top] = false;
        } else {
            top--;
        }
    }
}

/* Can any DIE of the binary's DWARF have a DW_AT_sibling?  Not when no
 * abbreviation has one (Go's compiler writes none): then no DIE needs
 * asking for one (a libdwarf attribute search per DIE walked).  A table
 * that cannot be parsed counts as having one. */
void rd_note_sibling_attrs(reader *r)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(r->dwarf_elf, ".debug_abbrev", &sh);
    r->no_sibling_attrs = false;
    if (!d || !d->d_buf)
        return;
    rd_cursor c = {d->d_buf, (const unsigned char *)d->d_buf + d->d_size, false, false};
    while (c.p < c.end && !c.bad) {
        if (!rd_leb(&c, false))
            continue; /* the end of one unit's table */
        rd_leb(&c, false); /* tag */
        rd_take(&c, 1);    /* children flag */
        for (;;) {
            uint64_t attr = rd_leb(&c, false), form = rd_leb(&c, false);
            if (c.bad || attr == DW_AT_sibling)
                return;
            if (!attr && !form)
                break;
            if (form == DW_FORM_implicit_const)
                rd_leb(&c, true); /* its value */
        }
    }
    r->no_sibling_attrs = !c.bad;
}

/* The next sibling of a DIE, never backwards and never through a loop in
 * libdwarf (see check_subtree; DWARF without any DW_AT_sibling, as Go's
 * compiler writes it, has no link to loop through). */
int rd_next_sibling(reader *r, Dwarf_Die die, Dwarf_Die *next)
{
    if (!no_sibling_links(r) && !own_sibling_forward(r, die) && has_children(r, die))
        check_subtree(r, die);
    int rc = dwarf_siblingof_b(rd_dbg(r), die, dwarf_get_die_infotypes_flag(die), next, &r->err);
    if (rc == DW_DLV_ERROR && dwarf_errno(r->err) == DW_DLE_NEXT_DIE_LOW_ERROR)
        rd_fail(r, "malformed DWARF: a sibling link after the DIE at 0x%llx points backwards",
                (unsigned long long)die_offset(r, die));
    if (rc != DW_DLV_OK)
        return rc;
    rd_hold(r, *next); /* a failure below frees it with the rest */
    forward(r, die_offset(r, die), die_offset(r, *next));
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
