/*
 * The placement engine: where a compiler puts each member, given an order.
 * C (System V and AAPCS): an ordinary member goes to the next multiple of
 * its alignment; a bitfield goes to the next bit where it does not cross a
 * storage unit of its type (units start at multiples of the type's
 * alignment).  Go: ordinary members only, plus one byte of padding after a
 * trailing zero-size field.  The size is rounded to the record alignment.
 */
#include "items.h"

static uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

uint64_t place_item(const item_set *s, const item *it, uint64_t at, uint64_t *pos)
{
    for (uint32_t i = it->first; i < it->first + it->count; i++) {
        const ps_member *m = &s->m[i];
        if (m->bit_size) {
            uint64_t step = (uint64_t)m->align * 8, unit = m->size * 8;
            if (at + m->bit_size > at / step * step + unit)
                at = round_up(at, step);
            if (pos)
                pos[i] = at;
            at += m->bit_size;
        } else {
            at = round_up(round_up(at, 8), (uint64_t)m->align * 8);
            if (pos)
                pos[i] = at;
            at += s->msize[i] * 8;
        }
    }
    return at;
}

uint64_t item_bits(const item_set *s, const item *it)
{
    uint64_t bits = 0;
    for (uint32_t i = it->first; i < it->first + it->count; i++)
        bits += s->m[i].bit_size ? s->m[i].bit_size : s->msize[i] * 8;
    return bits;
}

uint64_t layout_size(const item_set *s, const uint32_t *order, uint64_t *pos)
{
    uint64_t at = 0;
    bool last_zero = false;
    uint32_t group = UINT32_MAX;
    for (uint32_t k = 0; k < s->n; k++) {
        const item *it = &s->items[order[k]];
        if (s->group_line && it->group != UINT32_MAX && it->group != group)
            at = round_up(at, (uint64_t)s->group_line * 8); /* a config group's own line */
        group = it->group;
        at = place_item(s, it, at, pos);
        last_zero = !it->bitfields && it->count == 1 && s->msize[it->first] == 0;
    }
    uint64_t bytes = round_up(at, 8) / 8;
    if (s->go && last_zero && bytes > 0)
        bytes++;
    return round_up(bytes, s->align);
}
