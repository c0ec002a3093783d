/*
 * A C record's alignment, inferred from its layout.  DWARF gives offsets
 * and sizes but not alignment, and packing (attribute or pragma) changes
 * it, so the layout is tested against each way a compiler could have
 * produced it: natural, #pragma pack(N), or individually packed members.
 */
#include "padscan/model.h"

static uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

/* Would every ordinary member sit where it does if each aligned to
 * min(its alignment, cap)?  Bitfields are taken as observed.  Without a
 * cap, a member further on than that, at an offset its alignment allows,
 * is not packing (which only ever moves members back): a zero-width
 * bitfield (`int :0;`, which DWARF does not record) or an alignment
 * attribute put it there. */
static bool placed_as_if(const ps_member *m, uint32_t n, uint32_t cap)
{
    uint64_t end = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!m[i].bit_size) {
            uint32_t e = m[i].align < cap ? m[i].align : cap;
            uint64_t at = m[i].bit_pos / 8;
            bool later_ok = cap == UINT32_MAX && at % e == 0 && at > round_up(end, e);
            if (m[i].bit_pos % 8 || (round_up(end, e) != at && !later_ok))
                return false;
        }
        uint64_t stop = (m[i].bit_pos + ps_member_bits(&m[i]) + 7) / 8;
        end = stop > end ? stop : end;
    }
    return true;
}

/* Outside packed records a bitfield stays inside one storage unit of its
 * type, starting at a multiple of the type's alignment. */
static bool bitfield_straddles(const ps_member *x)
{
    uint64_t unit = x->size * 8, step = (uint64_t)x->align * 8;
    if (!x->bit_size || !unit || x->bit_size > unit)
        return false;
    return x->bit_pos + x->bit_size > x->bit_pos / step * step + unit;
}

/* Each member keeps its alignment where its offset proves it; the others
 * were packed one by one (int x __attribute__((packed))). */
static uint32_t per_member_align(ps_member *m, uint32_t n, uint64_t size)
{
    uint32_t a = 1;
    uint64_t end = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool natural = round_up(end, m[i].align) == m[i].bit_pos / 8;
        if (!m[i].bit_size && !natural)
            m[i].flags |= PS_MF_PACKED;
        if (!m[i].bit_size && natural && m[i].align > a)
            a = m[i].align;
        uint64_t stop = (m[i].bit_pos + ps_member_bits(&m[i]) + 7) / 8;
        end = stop > end ? stop : end;
    }
    while (size % a)
        a /= 2;
    return a;
}

/* More tail padding than the natural alignment explains means the record
 * was over-aligned: __attribute__((aligned(N))) without DW_AT_alignment. */
static uint32_t over_aligned(const ps_member *m, uint32_t n, uint64_t size, uint64_t align)
{
    uint64_t end = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t stop = (m[i].bit_pos + ps_member_bits(&m[i]) + 7) / 8;
        end = stop > end ? stop : end;
    }
    uint64_t a = align;
    while (round_up(end, a) < size && a < 4096)
        a *= 2;
    return (uint32_t)(round_up(end, a) == size ? a : align);
}

static uint32_t infer(ps_struct *s, ps_member *m, uint32_t explicit_align)
{
    uint32_t n = s->nmembers, natural = 1;
    uint64_t size = s->size;
    bool straddle = false;
    for (uint32_t i = 0; i < n; i++) {
        natural = m[i].align > natural ? m[i].align : natural;
        straddle |= bitfield_straddles(&m[i]);
    }
    if (!straddle && size % natural == 0 && (s->is_union || placed_as_if(m, n, UINT32_MAX)))
        return over_aligned(m, n, size, explicit_align > natural ? explicit_align : natural);
    s->packed = true;
    s->pack = 1;
    if (explicit_align)
        return explicit_align;
    if (straddle)
        return 1;
    for (uint32_t cap = natural / 2; cap >= 1; cap /= 2)
        if (size % cap == 0 && (s->is_union || placed_as_if(m, n, cap)))
            return s->pack = cap;
    s->pack = 0;
    return per_member_align(m, n, size);
}

void ps_infer_c_align(ps_struct *s, ps_member *m, uint32_t explicit_align)
{
    s->packed = false;
    s->pack = 0;
    s->align = infer(s, m, explicit_align);
}
