/*
 * C++ records.  Classes live in namespaces and in other classes, so a C++
 * unit's records are found by walking those scopes, and named as C++ names
 * them ("game::Player", "Outer::Inner", "Pair<int, char>" as DWARF spells
 * templates).  Their layout has subobjects DWARF describes only in part:
 * a base class occupies its data size when the compiler reuses its tail
 * padding (Itanium ABI: dsize versus sizeof), an empty base or a
 * [[no_unique_address]] member occupies nothing, and virtual bases have no
 * constant offset in DWARF, so they are placed as the Itanium ABI places
 * them: after the non-virtual part, in inheritance graph order.  Last, a
 * class that is not standard-layout keeps its order: the ABI, not the
 * programmer, decides where its vtable pointer and bases go.
 */
#include <stdio.h>
#include <string.h>

#include "reader.h"

void rd_cxx_scan_scope(reader *r, Dwarf_Die scope, const char *prefix, int depth,
                       void (*found)(reader *r, Dwarf_Die die, void *ctx), void *ctx)
{
    if (depth > 64)
        rd_fail(r, "malformed DWARF: C++ scopes nested more than 64 deep");
    Dwarf_Die child = NULL;
    int rc = rd_child(r, scope, &child);
    while (rc == DW_DLV_OK) {
        die_attrs a;
        rd_attrs(r, child, &a);
        bool record = rd_is_record_tag(a.tag) && a.name && (!a.declaration || a.has_signature);
        if (record || a.tag == DW_TAG_namespace) {
            const char *name = a.name ? a.name : "(anonymous namespace)";
            const char *qualified = ps_arena_printf(&r->cu_arena, "%s::%s", prefix, name);
            if (record) {
                ps_map_put(&r->cxx_names, rd_key_of(r, child), (void *)rd_intern(r, qualified));
                found(r, child, ctx);
            }
            rd_cxx_scan_scope(r, child, qualified, depth + 1, found, ctx);
        }
        Dwarf_Die next = NULL;
        rc = rd_next_sibling(r, child, &next);
        rd_let_go(r, child);
        child = next;
    }
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, "C++ scope");
}

const char *rd_cxx_name(reader *r, uint64_t key, const char *name)
{
    const char *q = ps_map_get(&r->cxx_names, key);
    return q ? q : rd_intern(r, name);
}

/* --- layout --------------------------------------------------------------- */

static uint64_t member_end(const ps_member *m)
{
    if (m->bit_size)
        return (m->bit_pos + m->bit_size + 7) / 8;
    return m->bit_pos / 8 + m->size;
}

/* The non-virtual data size of a record already in the model: where its
 * last byte of data (virtual bases left out) ends. */
static uint64_t nv_data_size(const ps_binary *b, uint32_t rec, uint32_t *align)
{
    const ps_struct *s = ps_struct_at(b, rec);
    const ps_member *m = ps_members_of(b, s);
    uint64_t end = 0;
    bool vbases = false;
    *align = 1;
    for (uint32_t i = 0; i < s->nmembers; i++) {
        if (m[i].flags & PS_MF_VBASE) {
            vbases = true;
            continue;
        }
        uint64_t e = member_end(&m[i]);
        end = e > end ? e : end;
        *align = m[i].align > *align ? m[i].align : *align;
    }
    if (!vbases && s->nmembers == 0)
        *align = s->align ? s->align : 1;
    return end;
}

static uint64_t align_up(uint64_t v, uint32_t a) { return a > 1 ? (v + a - 1) / a * a : v; }

/* The non-virtual size: sizeof for a class without virtual bases. */
static uint64_t nv_size(const ps_binary *b, uint32_t rec)
{
    const ps_struct *s = ps_struct_at(b, rec);
    const ps_member *m = ps_members_of(b, s);
    bool vbases = false;
    for (uint32_t i = 0; i < s->nmembers; i++)
        vbases |= (m[i].flags & PS_MF_VBASE) != 0;
    if (!vbases)
        return s->size;
    uint32_t al;
    uint64_t d = nv_data_size(b, rec, &al);
    return align_up(d, al);
}

static bool overlapped(const ps_member *m, uint32_t n, uint32_t i)
{
    uint64_t lo = m[i].bit_pos, hi = lo + m[i].size * 8;
    for (uint32_t j = 0; j < n; j++)
        if (j != i && !(m[j].flags & PS_MF_VBASE) && m[j].bit_pos >= lo && m[j].bit_pos < hi &&
            (m[j].bit_pos > lo || j > i))
            return true;
    return false;
}

/* Base subobjects and potentially-overlapping members take the bytes the
 * compiler gave them: their data size where a later member reuses their
 * tail padding (or they are empty), else their non-virtual size. */
static void trim_subobjects(reader *r, ps_member *m, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (m[i].record == PS_NONE || m[i].count != 1 || m[i].kind != PS_K_STRUCT ||
            (m[i].flags & PS_MF_VBASE))
            continue;
        bool base = (m[i].flags & PS_MF_BASE) != 0;
        if (!base && !overlapped(m, n, i))
            continue;
        uint32_t al;
        uint64_t dsize = nv_data_size(r->bin, m[i].record, &al);
        m[i].size = overlapped(m, n, i) ? dsize : nv_size(r->bin, m[i].record);
    }
}

typedef struct vbase_list {
    uint32_t recs[64];
    uint32_t n;
} vbase_list;

/* Virtual bases in inheritance graph order (depth first, left to right,
 * each once); bases within a base are found through the model. */
static void collect_vbases(const ps_binary *b, const ps_member *m, uint32_t n, vbase_list *out,
                           int depth)
{
    for (uint32_t i = 0; i < n && depth < 16; i++) {
        if (!(m[i].flags & PS_MF_BASE) || m[i].record == PS_NONE)
            continue;
        if (m[i].flags & PS_MF_VBASE) {
            bool seen = false;
            for (uint32_t k = 0; k < out->n; k++)
                seen |= out->recs[k] == m[i].record;
            if (!seen && out->n < PS_ARRAY_LEN(out->recs))
                out->recs[out->n++] = m[i].record;
        }
        const ps_struct *s = ps_struct_at(b, m[i].record);
        collect_vbases(b, ps_members_of(b, s), s->nmembers, out, depth + 1);
    }
}

/* Virtual bases go last: after the non-virtual part, in inheritance graph
 * order, each at its alignment.  A direct one is a member already (DWARF
 * lists it, with no constant offset); an indirect one is added as a member
 * of its own, so that its bytes are not taken for padding. */
static void place_vbases(reader *r, ps_struct *s, size_t base)
{
    ps_member *m = &PS_VEC_AT(&r->scratch, ps_member, base);
    uint32_t n = (uint32_t)(r->scratch.len - base);
    vbase_list all = {{0}, 0};
    collect_vbases(r->bin, m, n, &all, 0);
    if (!all.n)
        return;
    uint64_t cur = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!(m[i].flags & PS_MF_VBASE)) {
            uint64_t e = member_end(&m[i]);
            cur = e > cur ? e : cur;
        }
    ps_vec kept; /* the non-virtual members, then the virtual bases */
    ps_vec_init(&kept, sizeof(ps_member));
    for (uint32_t i = 0; i < n; i++)
        if (!(m[i].flags & PS_MF_VBASE))
            *(ps_member *)ps_vec_push(&kept) = m[i];
    for (uint32_t k = 0; k < all.n; k++) {
        uint32_t al;
        nv_data_size(r->bin, all.recs[k], &al);
        const ps_struct *v = ps_struct_at(r->bin, all.recs[k]);
        ps_member *x = ps_vec_push(&kept);
        *x = (ps_member){.name = "", .type_head = ps_arena_printf(&r->bin->arena, "struct %s ", v->name),
                         .type_tail = "", .size = nv_size(r->bin, all.recs[k]), .align = al,
                         .record = all.recs[k], .count = 1, .kind = PS_K_STRUCT,
                         .flags = PS_MF_BASE | PS_MF_VBASE};
        for (uint32_t i = 0; i < n; i++) /* the direct one's own spelling */
            if ((m[i].flags & PS_MF_VBASE) && m[i].record == all.recs[k])
                x->type_head = m[i].type_head;
        uint64_t at = align_up(cur, al);
        x->bit_pos = rd_mul(r, at, 8, "virtual base offset");
        cur = at + x->size;
    }
    if (cur > s->size)
        rd_fail(r, "malformed DWARF: the virtual bases of %s do not fit in its %llu bytes",
                s->name, (unsigned long long)s->size);
    r->scratch.len = base;
    ps_vec_reserve(&r->scratch, base + kept.len);
    memcpy(&PS_VEC_AT(&r->scratch, ps_member, base), kept.data, kept.len * sizeof(ps_member));
    r->scratch.len = base + kept.len;
    ps_vec_free(&kept);
}

static const char *why_fixed(const ps_member *m, uint32_t n, bool mixed_access)
{
    for (uint32_t i = 0; i < n; i++)
        if (m[i].flags & PS_MF_VBASE)
            return "C++: has virtual bases: the ABI places them";
    for (uint32_t i = 0; i < n; i++) {
        if (!strncmp(m[i].name, "_vptr", 5))
            return "C++: has virtual functions: the vtable pointer comes first by the ABI";
        if ((m[i].flags & PS_MF_BASE) && m[i].size)
            return "C++: derives from a class with data members: not standard-layout, the "
                   "base subobject comes first by the ABI";
    }
    return mixed_access ? "C++: members of mixed access control: not standard-layout" : NULL;
}

uint32_t rd_cxx_layout(reader *r, ps_struct *s, size_t base, bool mixed_access)
{
    s->cxx = true;
    uint32_t n = (uint32_t)(r->scratch.len - base);
    if (!n)
        return 0;
    trim_subobjects(r, &PS_VEC_AT(&r->scratch, ps_member, base), n);
    place_vbases(r, s, base);
    n = (uint32_t)(r->scratch.len - base);
    s->fixed_reason = why_fixed(&PS_VEC_AT(&r->scratch, ps_member, base), n, mixed_access);
    return n;
}
