/*
 * A DIE's attributes decoded from the bytes of .debug_info, for speed.
 * libdwarf's dwarf_attrlist allocates an attribute object per attribute and
 * a list per DIE, and each value is a further call; on a kernel that is
 * most of a read.  Here the unit header and its abbreviation table are
 * parsed once per unit, and a DIE's values are read straight from the
 * section into the same rd_attr_value that libdwarf's values fill
 * (attrs.c), so both decoders mean the same through rd_apply_attr.
 *
 * Only the binary's own .debug_info of a linked file is decoded here; a
 * relocatable object (whose sections need relocating), .debug_types, the
 * dwz alternate file, split units, and any DIE whose abbreviation uses a
 * form this file leaves to libdwarf (type signatures, dwz references,
 * indexed strings and addresses, DW_FORM_indirect), or whose bytes do not
 * decode inside its unit and section, are libdwarf's: rd_raw_attrs returns
 * false, and nothing it decoded is kept.  So a malformed file fails with
 * libdwarf's message, as before.  PADSCAN_DECODE=libdwarf in the
 * environment leaves every DIE to libdwarf: the test decode_identical
 * compares the two decoders' reports, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "reader.h"

enum { RAW_MAX_ATTRS = 64, RAW_MAX_CODE = 1 << 16 };

typedef struct raw_spec {
    Dwarf_Half at, form;
    int64_t implicit; /* DW_FORM_implicit_const's value */
} raw_spec;

typedef struct raw_abbrev {
    Dwarf_Half tag;     /* 0: no abbreviation of this code */
    bool usable;        /* every attribute decodes here */
    bool children;      /* its DIEs own children */
    uint32_t first, n;  /* its specs in rd_raw.specs */
    /* For the walk: the bytes of its attributes when every form has a
     * fixed size (-1 otherwise), and where its DW_AT_sibling is in them
     * (-1: none), for units of the table's sizes. */
    int32_t fixed, sibling_at;
    uint8_t sibling_size;
    bool sibling_addr; /* DW_FORM_ref_addr: a section offset */
} raw_abbrev;

typedef struct raw_table {
    raw_abbrev *by_code; /* [code], NULL when the table did not parse */
    uint64_t ncodes;
    unsigned version, offset_size, addr_size; /* the sizes `fixed` holds for */
} raw_table;

typedef struct raw_unit {
    uint64_t off, end; /* the unit's header and end in .debug_info */
    uint64_t first_die;
    uint64_t str_base; /* DW_AT_str_offsets_base of its unit DIE */
    bool has_str_base;
    unsigned version, offset_size, addr_size;
    raw_table *table;
} raw_unit;

typedef struct raw_bytes {
    const unsigned char *p;
    uint64_t size;
    bool terminated; /* its last byte is a NUL: every offset in it starts a string */
} raw_bytes;

struct rd_raw {
    const void *object; /* the sections these are (r->object) */
    bool off;           /* PADSCAN_DECODE=libdwarf */
    raw_bytes info, abbrev, str, line_str, str_offsets;
    bool big_endian;
    ps_vec specs;  /* raw_spec */
    ps_map tables; /* abbreviation offset + 1 -> raw_table* */
    ps_map units;  /* unit offset + 1 -> raw_unit* */
    raw_unit *last;
};

/* --- abbreviations --------------------------------------------------------- */

static bool is_ref(Dwarf_Half form)
{
    return form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 ||
           form == DW_FORM_ref8 || form == DW_FORM_ref_udata || form == DW_FORM_ref_addr;
}

static bool is_strx(Dwarf_Half form)
{
    return form == DW_FORM_strx || form == DW_FORM_strx1 || form == DW_FORM_strx2 ||
           form == DW_FORM_strx3 || form == DW_FORM_strx4;
}

static bool is_const(Dwarf_Half form)
{
    return form == DW_FORM_data1 || form == DW_FORM_data2 || form == DW_FORM_data4 ||
           form == DW_FORM_data8 || form == DW_FORM_udata || form == DW_FORM_sdata ||
           form == DW_FORM_implicit_const;
}

static bool is_block(Dwarf_Half form)
{
    return form == DW_FORM_exprloc || form == DW_FORM_block || form == DW_FORM_block1 ||
           form == DW_FORM_block2 || form == DW_FORM_block4;
}

/* Whether the attribute, in this form, decodes here as libdwarf's does. */
static bool spec_usable(const raw_spec *s)
{
    switch (s->at) {
    case DW_AT_signature: return false;
    case DW_AT_type: case DW_AT_sibling: return is_ref(s->form);
    case DW_AT_name:
        return s->form == DW_FORM_string || s->form == DW_FORM_strp || s->form == DW_FORM_line_strp ||
               is_strx(s->form);
    case DW_AT_data_member_location: return is_const(s->form) || is_block(s->form);
    case PS_DW_AT_go_runtime_type: return s->form == DW_FORM_addr || is_const(s->form);
    default: return true; /* read as its form says; rd_apply_attr takes what it uses */
    }
}

static raw_table *parse_table(struct rd_raw *x, uint64_t off)
{
    raw_table *t = ps_xcalloc(1, sizeof(*t));
    rd_cursor c = {x->abbrev.p + off, x->abbrev.p + x->abbrev.size, off > x->abbrev.size, x->big_endian};
    ps_vec codes = {.elem = sizeof(raw_abbrev)};
    for (uint64_t code; !c.bad && (code = rd_leb(&c, false)) != 0;) {
        if (code >= RAW_MAX_CODE)
            c.bad = true;
        while (!c.bad && codes.len <= code)
            memset(ps_vec_push(&codes), 0, sizeof(raw_abbrev));
        raw_abbrev *ab = c.bad ? NULL : &PS_VEC_AT(&codes, raw_abbrev, code);
        uint64_t tag = rd_leb(&c, false);
        const unsigned char *children = rd_take(&c, 1);
        if (c.bad || ab->tag || !tag || tag > 0xffff) {
            c.bad = true;
            break;
        }
        *ab = (raw_abbrev){.tag = (Dwarf_Half)tag, .usable = true, .children = *children != 0,
                           .first = (uint32_t)x->specs.len};
        for (;;) {
            uint64_t at = rd_leb(&c, false), form = rd_leb(&c, false);
            if (c.bad || (!at && !form))
                break;
            raw_spec *s = ps_vec_push(&x->specs);
            *s = (raw_spec){.at = (Dwarf_Half)at, .form = (Dwarf_Half)form};
            if (form == DW_FORM_implicit_const)
                s->implicit = (int64_t)rd_leb(&c, true);
            ab->usable &= at <= 0xffff && form <= 0xffff && spec_usable(s);
            ab->n++;
        }
        ab->usable &= ab->n <= RAW_MAX_ATTRS;
    }
    if (c.bad)
        ps_vec_free(&codes);
    t->by_code = codes.data;
    t->ncodes = codes.len;
    return t;
}

/* --- units ------------------------------------------------------------------ */

static bool read_value(struct rd_raw *x, const raw_unit *u, const raw_spec *s, rd_cursor *c,
                       rd_attr_value *v, uint64_t *ref);

/* The unit DIE's DW_AT_str_offsets_base, which DWARF 5's indexed strings
 * (clang's names) are read through. */
static void find_str_base(struct rd_raw *x, raw_unit *u)
{
    rd_cursor c = {x->info.p + u->first_die, x->info.p + u->end, false, x->big_endian};
    uint64_t code = rd_leb(&c, false);
    const raw_abbrev *ab = u->table->by_code && !c.bad && code < u->table->ncodes
                               ? &u->table->by_code[code] : NULL;
    for (uint32_t i = 0; ab && ab->tag && i < ab->n; i++) {
        raw_spec s = PS_VEC_AT(&x->specs, raw_spec, ab->first + i);
        bool base = s.at == DW_AT_str_offsets_base && s.form == DW_FORM_sec_offset;
        rd_attr_value v = {0};
        uint64_t ref;
        s.at = 0; /* read, not interpreted */
        if (!read_value(x, u, &s, &c, &v, &ref))
            return;
        if (base) {
            u->str_base = v.addr; /* the word read */
            u->has_str_base = true;
        }
    }
}

/* Header bytes after the abbreviation offset and address size, by DWARF 5
 * unit type; -1 for a type this file does not know. */
static int v5_extra(unsigned unit_type, unsigned offset_size)
{
    switch (unit_type) {
    case DW_UT_compile: case DW_UT_partial: return 0;
    case DW_UT_skeleton: case DW_UT_split_compile: return 8;
    case DW_UT_type: case DW_UT_split_type: return 8 + (int)offset_size;
    default: return -1;
    }
}

static void note_fixed_sizes(struct rd_raw *x, raw_table *t, const raw_unit *u);

static raw_table *table_at(struct rd_raw *x, uint64_t off)
{
    raw_table *t = ps_map_get(&x->tables, off + 1);
    if (!t) {
        t = parse_table(x, off);
        ps_map_put(&x->tables, off + 1, t);
    }
    return t;
}

/* The unit whose header is at off; without a table (libdwarf's to read)
 * if the header does not parse. */
static raw_unit *parse_unit(struct rd_raw *x, uint64_t off)
{
    raw_unit *u = ps_xcalloc(1, sizeof(*u));
    u->off = off;
    ps_map_put(&x->units, off + 1, u);
    rd_cursor c = {x->info.p + off, x->info.p + x->info.size, off > x->info.size, x->big_endian};
    uint64_t len = rd_word(&c, 4);
    u->offset_size = 4;
    if (len == 0xffffffff) {
        u->offset_size = 8;
        len = rd_word(&c, 8);
    } else if (len >= 0xfffffff0) {
        c.bad = true;
    }
    uint64_t start = c.bad ? 0 : (uint64_t)(c.p - x->info.p);
    if (c.bad || len > x->info.size - start)
        return u;
    u->end = start + len;
    c.end = x->info.p + u->end;
    u->version = (unsigned)rd_word(&c, 2);
    uint64_t abbrev_off;
    int extra = 0;
    if (u->version >= 5) {
        unsigned unit_type = (unsigned)rd_word(&c, 1);
        u->addr_size = (unsigned)rd_word(&c, 1);
        abbrev_off = rd_word(&c, u->offset_size);
        extra = v5_extra(unit_type, u->offset_size);
    } else {
        abbrev_off = rd_word(&c, u->offset_size);
        u->addr_size = (unsigned)rd_word(&c, 1);
    }
    rd_take(&c, extra > 0 ? (uint64_t)extra : 0);
    if (c.bad || extra < 0 || u->version < 2 || u->version > 5 || !u->addr_size || u->addr_size > 8)
        return u;
    u->first_die = (uint64_t)(c.p - x->info.p);
    u->table = table_at(x, abbrev_off);
    if (u->table->by_code && !u->table->version)
        note_fixed_sizes(x, u->table, u);
    find_str_base(x, u);
    return u;
}

static struct rd_raw *raw_state(reader *r)
{
    if (r->raw)
        return r->raw->object == r->object ? r->raw : NULL;
    struct rd_raw *x = r->raw = ps_xcalloc(1, sizeof(*x));
    x->object = r->object;
    x->big_endian = r->dwarf_elf->big_endian;
    const char *decode = getenv("PADSCAN_DECODE");
    x->off = decode && !strcmp(decode, "libdwarf");
    x->specs.elem = sizeof(raw_spec);
    x->info.p = rd_section_bytes(r, ".debug_info", &x->info.size);
    x->abbrev.p = rd_section_bytes(r, ".debug_abbrev", &x->abbrev.size);
    x->str.p = rd_section_bytes(r, ".debug_str", &x->str.size);
    x->line_str.p = rd_section_bytes(r, ".debug_line_str", &x->line_str.size);
    x->str_offsets.p = rd_section_bytes(r, ".debug_str_offsets", &x->str_offsets.size);
    x->str.terminated = x->str.p && x->str.size && !x->str.p[x->str.size - 1];
    x->line_str.terminated = x->line_str.p && x->line_str.size && !x->line_str.p[x->line_str.size - 1];
    return x;
}

static raw_unit *unit_of(reader *r, struct rd_raw *x, Dwarf_Die die)
{
    Dwarf_Off off = 0, len = 0;
    if (dwarf_die_CU_offset_range(die, &off, &len, &r->err) != DW_DLV_OK) {
        rd_forget_error(r); /* libdwarf's decoding reports it */
        return NULL;
    }
    if (x->last && x->last->off == off)
        return x->last;
    raw_unit *u = ps_map_get(&x->units, off + 1);
    return x->last = u ? u : parse_unit(x, off);
}

/* --- values ------------------------------------------------------------------- */

static const char *string_at(const raw_bytes *sec, uint64_t off)
{
    if (!sec->p || off >= sec->size || (!sec->terminated && !memchr(sec->p + off, 0, sec->size - off)))
        return NULL;
    return (const char *)sec->p + off;
}

/* DWARF 5's indexed string: entry index of the unit's string offsets. */
static const char *indexed_string(struct rd_raw *x, const raw_unit *u, uint64_t index)
{
    uint64_t size = x->str_offsets.size;
    if (!u->has_str_base || !x->str_offsets.p || u->str_base > size ||
        index >= (size - u->str_base) / u->offset_size)
        return NULL;
    rd_cursor c = {x->str_offsets.p + u->str_base + index * u->offset_size, x->str_offsets.p + size,
                 false, x->big_endian};
    uint64_t off = rd_word(&c, u->offset_size);
    return c.bad ? NULL : string_at(&x->str, off);
}

static uint64_t block_len(rd_cursor *c, Dwarf_Half form)
{
    switch (form) {
    case DW_FORM_block1: return rd_word(c, 1);
    case DW_FORM_block2: return rd_word(c, 2);
    case DW_FORM_block4: return rd_word(c, 4);
    default: return rd_leb(c, false); /* block, exprloc */
    }
}

/* Bytes of a fixed-size form, 0 for none, -1 for a LEB128, -2 otherwise. */
static int fixed_size(const raw_unit *u, Dwarf_Half form)
{
    switch (form) {
    case DW_FORM_flag_present: case DW_FORM_implicit_const: return 0;
    case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
    case DW_FORM_addrx1: return 1;
    case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2: return 2;
    case DW_FORM_strx3: case DW_FORM_addrx3: return 3;
    case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4: case DW_FORM_addrx4:
    case DW_FORM_ref_sup4: return 4;
    case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8: return 8;
    case DW_FORM_data16: return 16;
    case DW_FORM_addr: return (int)u->addr_size;
    case DW_FORM_ref_addr: return (int)(u->version == 2 ? u->addr_size : u->offset_size);
    case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset: case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt: case DW_FORM_strp_sup: return (int)u->offset_size;
    case DW_FORM_udata: case DW_FORM_sdata: case DW_FORM_ref_udata: case DW_FORM_strx:
    case DW_FORM_addrx: case DW_FORM_loclistx: case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
    case DW_FORM_GNU_str_index: return -1;
    default: return -2;
    }
}

/* Each abbreviation's fixed extent, for units of u's sizes (the walk's
 * fast step, die_extent). */
static void note_fixed_sizes(struct rd_raw *x, raw_table *t, const raw_unit *u)
{
    t->version = u->version;
    t->offset_size = u->offset_size;
    t->addr_size = u->addr_size;
    for (uint64_t code = 0; code < t->ncodes; code++) {
        raw_abbrev *ab = &t->by_code[code];
        const raw_spec *specs = &PS_VEC_AT(&x->specs, raw_spec, ab->first);
        int32_t at = 0;
        ab->sibling_at = -1;
        for (uint32_t i = 0; i < ab->n && at >= 0; i++) {
            int size = fixed_size(u, specs[i].form);
            if (size < 0) {
                at = -1;
                break;
            }
            if (specs[i].at == DW_AT_sibling) {
                ab->sibling_at = at;
                ab->sibling_size = (uint8_t)size;
                ab->sibling_addr = specs[i].form == DW_FORM_ref_addr;
            }
            at += size;
        }
        ab->fixed = ab->n <= RAW_MAX_ATTRS ? at : -1;
    }
}

/* A reference that stays inside its unit, or a section offset
 * (DW_FORM_ref_addr) inside the section. */
static bool ref_inside(const struct rd_raw *x, const raw_unit *u, bool ref_addr, uint64_t ref)
{
    return ref_addr ? ref < x->info.size : ref >= u->first_die && ref < u->end;
}

/* Reads one value into v (its form decides the field); false when the
 * bytes do not decode or the value is not one to trust here. */
static bool read_value(struct rd_raw *x, const raw_unit *u, const raw_spec *s, rd_cursor *c,
                       rd_attr_value *v, uint64_t *ref)
{
    int size = fixed_size(u, s->form);
    if (is_block(s->form)) {
        v->block_len = block_len(c, s->form);
        v->block = rd_take(c, v->block_len);
    } else if (s->form == DW_FORM_string) {
        v->str = rd_cstr(c);
    } else if (size == -2) {
        return false;
    } else if (s->form == DW_FORM_sdata || s->form == DW_FORM_implicit_const) {
        v->value = s->form == DW_FORM_sdata ? (int64_t)rd_leb(c, true) : s->implicit;
        v->has_const = v->is_signed = true;
    } else {
        uint64_t w = size < 0 ? rd_leb(c, false) : size == 16 ? (rd_take(c, 16), 0) : rd_word(c, (unsigned)size);
        v->has_const = is_const(s->form);
        v->value = (int64_t)w;
        v->flag = s->form == DW_FORM_flag_present || (s->form == DW_FORM_flag && w);
        v->has_addr = s->form == DW_FORM_addr;
        v->addr = w;
        *ref = s->form == DW_FORM_ref_addr ? w : u->off + w;
        if (s->form == DW_FORM_strp || s->form == DW_FORM_line_strp)
            v->str = string_at(s->form == DW_FORM_strp ? &x->str : &x->line_str, w);
        else if (is_strx(s->form) && s->at == DW_AT_name)
            v->str = indexed_string(x, u, w);
    }
    if (c->bad)
        return false;
    if (s->at == DW_AT_name)
        return v->str != NULL;
    if (s->at == DW_AT_type || s->at == DW_AT_sibling)
        return ref_inside(x, u, s->form == DW_FORM_ref_addr, *ref);
    return true;
}

/* --- a DIE -------------------------------------------------------------------- */

/* The abbreviation of the DIE at off in unit u, with a rd_cursor on its first
 * attribute, when this file decodes it; NULL otherwise. */
static const raw_abbrev *abbrev_at(const struct rd_raw *x, const raw_unit *u, uint64_t off,
                                   rd_cursor *c)
{
    if (!u || !u->table || !u->table->by_code || off < u->first_die || off >= u->end)
        return NULL;
    *c = (rd_cursor){x->info.p + off, x->info.p + u->end, false, x->big_endian};
    uint64_t code = rd_leb(c, false);
    const raw_abbrev *ab = !c->bad && code < u->table->ncodes ? &u->table->by_code[code] : NULL;
    return ab && ab->tag && ab->usable ? ab : NULL;
}

static struct rd_raw *usable_state(reader *r)
{
    if (r->cur_alt || r->main_dbg || !r->object)
        return NULL;
    struct rd_raw *x = raw_state(r);
    return x && !x->off && x->info.p && x->abbrev.p ? x : NULL;
}

/* The DIE's unit, abbreviation and a rd_cursor on its first attribute, when
 * this file decodes it; NULL otherwise. */
static const raw_abbrev *locate(reader *r, Dwarf_Die die, const raw_unit **unit, rd_cursor *c,
                                Dwarf_Off *off)
{
    struct rd_raw *x = dwarf_get_die_infotypes_flag(die) ? usable_state(r) : NULL;
    *unit = x ? unit_of(r, x, die) : NULL;
    if (!*unit || dwarf_dieoffset(die, off, &r->err) != DW_DLV_OK)
        return NULL;
    return abbrev_at(x, *unit, *off, c);
}

static bool decode(reader *r, const raw_unit *u, const raw_abbrev *ab, rd_cursor *c, die_attrs *a)
{
    struct rd_raw *x = r->raw;
    rd_attr_value vals[RAW_MAX_ATTRS];
    uint64_t refs[RAW_MAX_ATTRS];
    const raw_spec *specs = &PS_VEC_AT(&x->specs, raw_spec, ab->first);
    for (uint32_t i = 0; i < ab->n; i++) {
        memset(&vals[i], 0, sizeof(vals[i]));
        vals[i].at = specs[i].at;
        if (!read_value(x, u, &specs[i], c, &vals[i], &refs[i]))
            return false;
    }
    memset(a, 0, sizeof(*a));
    a->tag = ab->tag;
    for (uint32_t i = 0; i < ab->n; i++) {
        if (vals[i].at != DW_AT_type) {
            rd_apply_attr(r, a, &vals[i]);
            continue;
        }
        a->type = refs[i];
        a->type_is_info = true;
        a->type_external = specs[i].form == DW_FORM_ref_addr;
        a->type_alt = false;
        a->has_type = true;
    }
    return true;
}

bool rd_raw_attrs(reader *r, Dwarf_Die die, die_attrs *a)
{
    const raw_unit *u;
    rd_cursor c;
    Dwarf_Off off = 0;
    const raw_abbrev *ab = locate(r, die, &u, &c, &off);
    return ab && decode(r, u, ab, &c, a);
}

bool rd_raw_attrs_at(reader *r, uint64_t key, die_attrs *a)
{
    struct rd_raw *x = (key & RD_KEY_FLAGS) ? NULL : usable_state(r);
    rd_cursor c;
    const raw_abbrev *ab = x ? abbrev_at(x, x->last, key - 1, &c) : NULL;
    return ab && decode(r, x->last, ab, &c, a);
}

/* --- the walk ----------------------------------------------------------------- */

enum { RAW_MAX_DEPTH = 1024 }; /* deeper: libdwarf's walk, and its checks */

/* The unit of the DIE of key: the one this file decodes now, or NULL. */
static const raw_unit *own_unit(reader *r, uint64_t key)
{
    struct rd_raw *x = (key & RD_KEY_FLAGS) ? NULL : usable_state(r);
    const raw_unit *u = x ? x->last : NULL;
    return u && u->table && key - 1 >= u->first_die && key - 1 < u->end ? u : NULL;
}

#define NO_LINK UINT64_MAX /* a DIE without DW_AT_sibling */

/* The DIE at off: its abbreviation, where its attributes end and its
 * DW_AT_sibling (NO_LINK: none); NULL when this file does not decode it. */
static const raw_abbrev *die_at(struct rd_raw *x, const raw_unit *u, uint64_t off, uint64_t *end,
                                uint64_t *link)
{
    rd_cursor c;
    const raw_abbrev *ab = abbrev_at(x, u, off, &c);
    if (!ab)
        return NULL;
    *link = NO_LINK;
    const raw_table *t = u->table;
    if (ab->fixed >= 0 && t->version == u->version && t->offset_size == u->offset_size &&
        t->addr_size == u->addr_size) { /* no value to read but the link */
        if ((uint64_t)(c.end - c.p) < (uint64_t)ab->fixed)
            return NULL;
        if (ab->sibling_at >= 0) {
            rd_cursor s = {c.p + ab->sibling_at, c.end, false, x->big_endian};
            uint64_t w = rd_word(&s, ab->sibling_size);
            *link = ab->sibling_addr ? w : u->off + w;
            if (!ref_inside(x, u, ab->sibling_addr, *link))
                return NULL;
        }
        *end = (uint64_t)(c.p - x->info.p) + (uint64_t)ab->fixed;
        return ab;
    }
    const raw_spec *specs = &PS_VEC_AT(&x->specs, raw_spec, ab->first);
    for (uint32_t i = 0; i < ab->n; i++) {
        rd_attr_value v = {.at = specs[i].at};
        uint64_t ref = 0;
        if (!read_value(x, u, &specs[i], &c, &v, &ref))
            return NULL;
        if (specs[i].at == DW_AT_sibling)
            *link = ref;
    }
    *end = (uint64_t)(c.p - x->info.p);
    return ab;
}

/* Where a DIE's next sibling starts, as libdwarf finds it: its sibling
 * link, else past its subtree.  Only links that point forward, inside the
 * unit, from DIEs that have children are followed here; any other (and
 * nesting past RAW_MAX_DEPTH) is left to libdwarf's walk, whose checks
 * (validate.c) report it. */
static bool skip_die(struct rd_raw *x, const raw_unit *u, uint64_t off, uint64_t *next)
{
    uint64_t depth = 0, at = off;
    do {
        if (at >= u->end)
            return false;
        if (depth && !x->info.p[at]) { /* the end of a list of children */
            at++;
            depth--;
            continue;
        }
        uint64_t end = 0, link = NO_LINK;
        const raw_abbrev *ab = die_at(x, u, at, &end, &link);
        if (!ab || (link != NO_LINK && (!ab->children || link <= at || link >= u->end)))
            return false;
        if (link != NO_LINK)
            at = link;
        else if (ab->children && ++depth > RAW_MAX_DEPTH)
            return false;
        else
            at = end;
    } while (depth);
    *next = at;
    return true;
}

/* A list of siblings goes on at `at` (1: the DIE's key and tag), ends
 * there (0: a null entry), or holds a DIE this file does not decode (-1). */
static int list_goes_on(const struct rd_raw *x, const raw_unit *u, uint64_t at, uint64_t *key,
                        Dwarf_Half *tag)
{
    if (at >= u->end)
        return -1;
    if (!x->info.p[at])
        return 0;
    rd_cursor c;
    const raw_abbrev *ab = abbrev_at(x, u, at, &c);
    if (!ab)
        return -1;
    *key = at + 1;
    *tag = ab->tag;
    return 1;
}

int rd_raw_first_child(reader *r, uint64_t key, uint64_t *child, Dwarf_Half *tag)
{
    const raw_unit *u = own_unit(r, key);
    uint64_t end = 0, link = NO_LINK;
    const raw_abbrev *ab = u ? die_at(r->raw, u, key - 1, &end, &link) : NULL;
    if (!ab)
        return -1;
    return ab->children ? list_goes_on(r->raw, u, end, child, tag) : 0;
}

int rd_raw_next_sibling(reader *r, uint64_t key, uint64_t *next, Dwarf_Half *tag)
{
    const raw_unit *u = own_unit(r, key);
    uint64_t at = 0;
    if (!u || !skip_die(r->raw, u, key - 1, &at))
        return -1;
    return list_goes_on(r->raw, u, at, next, tag);
}

int rd_raw_sibling(reader *r, Dwarf_Die die, uint64_t *here, uint64_t *there)
{
    const raw_unit *u;
    rd_cursor c;
    Dwarf_Off off = 0;
    uint64_t end = 0;
    if (!locate(r, die, &u, &c, &off) || !die_at(r->raw, u, off, &end, there))
        return -1;
    *here = off;
    return *there != NO_LINK;
}

Dwarf_Half rd_raw_tag(reader *r, uint64_t key)
{
    const raw_unit *u = own_unit(r, key);
    rd_cursor c;
    const raw_abbrev *ab = u ? abbrev_at(r->raw, u, key - 1, &c) : NULL;
    return ab ? ab->tag : 0;
}

uint64_t rd_raw_unit_key(reader *r, uint64_t key)
{
    const raw_unit *u = own_unit(r, key);
    return u ? die_key(u->first_die, true) : 0;
}

bool rd_raw_sync(reader *r, Dwarf_Die die)
{
    struct rd_raw *x = dwarf_get_die_infotypes_flag(die) ? usable_state(r) : NULL;
    return x && unit_of(r, x, die);
}

void rd_raw_unit_done(reader *r)
{
    struct rd_raw *x = usable_state(r);
    const raw_unit *u = x ? x->last : NULL;
    if (u && u->end > u->off)
        ps_elf_drop_read(r->dwarf_elf, x->info.p + u->off, u->end - u->off);
}

void rd_raw_free(reader *r)
{
    struct rd_raw *x = r->raw;
    if (!x)
        return;
    for (size_t i = 0; i < x->units.cap; i++)
        free(x->units.slots[i].val);
    for (size_t i = 0; i < x->tables.cap; i++) {
        raw_table *t = x->tables.slots[i].val;
        if (t)
            free(t->by_code);
        free(t);
    }
    ps_map_free(&x->units);
    ps_map_free(&x->tables);
    ps_vec_free(&x->specs);
    free(x);
    r->raw = NULL;
}
