/*
 * One DIE's attributes, decoded in one pass over its attribute list, plus
 * the reader's small services: failure, DIE lookup, string interning and
 * declaration file names.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "reader.h"

void rd_fail(reader *r, const char *fmt, ...)
{
    int n = snprintf(r->errbuf, r->errlen, "%s: ", r->bin->path);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < r->errlen)
        vsnprintf(r->errbuf + n, r->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(r->fail, 1);
}

void rd_dwarf_fail(reader *r, const char *what)
{
    if (r->dwarf_elf && r->dwarf_elf->reloc_error[0]) /* libdwarf only knows "DW_DLE_RELOCS_ERROR" */
        rd_fail(r, "%s", r->dwarf_elf->reloc_error);
    rd_fail(r, "malformed DWARF: %s: %s", what, r->err ? dwarf_errmsg(r->err) : "no entry");
}

/* Constants arrive in many forms; DW_FORM_implicit_const (gcc 12) is only
 * readable through dwarf_formsdata in libdwarf 20210528.  *is_signed says
 * whether the form was a signed one (sdata, implicit_const): an enumerator
 * of 0xffffffffffffffff in data8 or udata is 2^64 - 1, not -1. */
static bool const_value_signed(reader *r, Dwarf_Attribute at, int64_t *out, bool *is_signed)
{
    Dwarf_Half form = 0;
    Dwarf_Unsigned u;
    Dwarf_Signed s;
    if (dwarf_whatform(at, &form, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "attribute form");
    switch (form) {
    case DW_FORM_data1: case DW_FORM_data2: case DW_FORM_data4:
    case DW_FORM_data8: case DW_FORM_udata:
        if (dwarf_formudata(at, &u, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "constant");
        *out = (int64_t)u;
        *is_signed = false;
        return true;
    case DW_FORM_sdata: case DW_FORM_implicit_const:
        if (dwarf_formsdata(at, &s, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "constant");
        *out = s;
        *is_signed = true;
        return true;
    default:
        return false;
    }
}

/* DWARF 2/3 producers spell member offsets as DW_OP_plus_uconst N. */
static bool plus_uconst(const unsigned char *p, uint64_t len, int64_t *out)
{
    rd_cursor c = {p, p + len, !p, false};
    const unsigned char *op = rd_take(&c, 1);
    if (!op || (*op != DW_OP_plus_uconst && *op != DW_OP_constu))
        return false;
    *out = (int64_t)rd_leb(&c, false);
    return !c.bad;
}

/* A member location's block (exprloc, or block in DWARF 2/3), in *blk
 * when libdwarf allocated one for it. */
static void location_block(reader *r, Dwarf_Attribute at, rd_attr_value *v, Dwarf_Block **blk)
{
    Dwarf_Unsigned len = 0;
    Dwarf_Ptr ptr = NULL;
    if (dwarf_formexprloc(at, &len, &ptr, &r->err) != DW_DLV_OK) {
        if (r->err) {
            dwarf_dealloc_error(r->dbg, r->err);
            r->err = NULL;
        }
        if (dwarf_formblock(at, blk, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "member location");
        len = (*blk)->bl_len;
        ptr = (*blk)->bl_data;
    }
    v->block = ptr;
    v->block_len = len;
}

static void follow_signature(reader *r, Dwarf_Attribute at, Dwarf_Off *off, Dwarf_Bool *is_info)
{
    Dwarf_Sig8 sig;
    Dwarf_Die target = NULL;
    if (dwarf_formsig8(at, &sig, &r->err) != DW_DLV_OK ||
        dwarf_find_die_given_sig8(r->dbg, &sig, &target, is_info, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "type signature");
    rd_hold(r, target);
    if (dwarf_dieoffset(target, off, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "type signature");
    rd_let_go(r, target);
}

static void type_ref(reader *r, Dwarf_Die die, Dwarf_Attribute at, die_attrs *a)
{
    Dwarf_Half form = 0;
    if (dwarf_whatform(at, &form, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "type reference");
    bool alt = form == DW_FORM_GNU_ref_alt || form == DW_FORM_ref_sup4 || form == DW_FORM_ref_sup8;
    a->type_external = form == DW_FORM_ref_sig8 || form == DW_FORM_ref_addr || alt;
    a->type_alt = alt || r->cur_alt;
    if (form == DW_FORM_ref_sig8) {
        follow_signature(r, at, &a->type, &a->type_is_info);
    } else if (alt) {
        if (!rd_alt_ref(r, die, at, form, &a->type))
            rd_dwarf_fail(r, "type reference into the dwz alternate file");
        a->type_is_info = true;
    } else {
        if (dwarf_global_formref(at, &a->type, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "type reference");
        a->type_is_info = dwarf_get_die_infotypes_flag(die);
    }
    a->has_type = true;
}

/* A constant that must lie in [0, max]: offsets and sizes are never
 * negative, and a larger one is no layout a compiler produced. */
static uint64_t bounded(reader *r, int64_t v, uint64_t max, const char *what)
{
    if (v < 0 || (uint64_t)v > max)
        rd_fail(r, "malformed DWARF: %s %lld out of range", what, (long long)v);
    return (uint64_t)v;
}

static void apply_sizes(reader *r, die_attrs *a, const rd_attr_value *v)
{
    int64_t c = v->value;
    switch (v->at) {
    case DW_AT_byte_size:
        if ((a->has_byte_size = v->has_const))
            a->byte_size = bounded(r, c, INT64_MAX, "byte size"); /* PTRDIFF_MAX */
        break;
    case DW_AT_bit_size:
        if (v->has_const)
            a->bit_size = bounded(r, c, UINT32_MAX, "bit size");
        break;
    case DW_AT_data_bit_offset:
        if ((a->has_data_bit_offset = v->has_const))
            a->data_bit_offset = bounded(r, c, RD_MAX_BITS, "data bit offset");
        break;
    case DW_AT_bit_offset:
        if ((a->has_bit_offset = v->has_const)) {
            if (c < -(int64_t)RD_MAX_BITS || c > (int64_t)RD_MAX_BITS)
                rd_fail(r, "malformed DWARF: bit offset %lld out of range", (long long)c);
            a->bit_offset = c;
        }
        break;
    case DW_AT_data_member_location:
        if (v->has_const)
            a->member_loc = c;
        if ((a->has_member_loc = v->has_const || plus_uconst(v->block, v->block_len, &a->member_loc)))
            bounded(r, a->member_loc, RD_MAX_BYTES, "member offset");
        break;
    case DW_AT_alignment:
        if (v->has_const)
            a->alignment = rd_align(r, (uint64_t)c, "DW_AT_alignment");
        break;
    case DW_AT_count: a->has_count = v->has_const; a->count = (uint64_t)c; break;
    case DW_AT_upper_bound:
        /* -1: no elements (gcc's [0]); lower bounds are 0 in C and Go */
        if ((a->has_upper_bound = v->has_const) && (a->upper_bound = c) < -1)
            rd_fail(r, "malformed DWARF: array upper bound %lld", (long long)a->upper_bound);
        break;
    default: break;
    }
}

void rd_apply_attr(reader *r, die_attrs *a, const rd_attr_value *v)
{
    int64_t c = v->value;
    switch (v->at) {
    case DW_AT_name: a->name = v->str; break;
    case DW_AT_decl_file: a->has_decl_file = v->has_const; a->decl_file = (uint64_t)c; break;
    case DW_AT_const_value:
        if ((a->has_const = v->has_const)) {
            a->const_value = c;
            a->const_signed = v->is_signed;
        }
        break;
    case DW_AT_decl_line: if (v->has_const) a->decl_line = (uint64_t)c; break;
    case DW_AT_encoding: if (v->has_const) a->encoding = (int)c; break;
    case DW_AT_declaration: a->declaration = v->flag; break;
    case DW_AT_artificial: a->artificial = v->flag; break;
    case DW_AT_accessibility: if (v->has_const) a->access = (int)c; break;
    case DW_AT_virtuality: if (v->has_const) a->virtual_base = c != 0; break;
    case DW_AT_GNU_vector: a->vector = v->flag; break;
    case PS_DW_AT_go_kind: if (v->has_const) a->go_kind = (int)c; break;
    case PS_DW_AT_go_embedded_field: a->embedded = v->flag; break;
    case PS_DW_AT_go_runtime_type: if (v->has_addr) a->go_runtime_type = v->addr; break;
    default: apply_sizes(r, a, v); break;
    }
}

/* One attribute's value through libdwarf, as rd_apply_attr reads it. */
static void libdwarf_value(reader *r, Dwarf_Attribute at, rd_attr_value *v, Dwarf_Block **blk)
{
    switch (v->at) {
    case DW_AT_name: {
        char *s = NULL;
        if (dwarf_formstring(at, &s, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "name");
        v->str = s;
        break;
    }
    case DW_AT_declaration: case DW_AT_artificial: case DW_AT_GNU_vector:
    case PS_DW_AT_go_embedded_field: {
        Dwarf_Bool f = 0;
        if (dwarf_formflag(at, &f, &r->err) != DW_DLV_OK)
            rd_forget_error(r); /* not a flag form: false */
        v->flag = f;
        break;
    }
    case PS_DW_AT_go_runtime_type: {
        Dwarf_Addr addr = 0;
        if (!(v->has_addr = dwarf_formaddr(at, &addr, &r->err) == DW_DLV_OK))
            rd_forget_error(r);
        v->addr = addr;
        break;
    }
    case DW_AT_byte_size: case DW_AT_bit_size: case DW_AT_data_bit_offset: case DW_AT_bit_offset:
    case DW_AT_data_member_location: case DW_AT_alignment: case DW_AT_decl_file:
    case DW_AT_const_value: case DW_AT_decl_line: case DW_AT_count: case DW_AT_upper_bound:
    case DW_AT_encoding: case DW_AT_accessibility: case DW_AT_virtuality: case PS_DW_AT_go_kind:
        v->has_const = const_value_signed(r, at, &v->value, &v->is_signed);
        if (!v->has_const && v->at == DW_AT_data_member_location)
            location_block(r, at, v, blk);
        break;
    default: break; /* not one the reader uses */
    }
}

static void one_attr(reader *r, Dwarf_Die die, Dwarf_Attribute at, die_attrs *a)
{
    rd_attr_value v = {0};
    if (dwarf_whatattr(at, &v.at, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "attribute");
    if (v.at == DW_AT_type) {
        type_ref(r, die, at, a);
        return;
    }
    if (v.at == DW_AT_signature) {
        follow_signature(r, at, &a->sig_target, &a->sig_is_info);
        a->has_signature = true;
        return;
    }
    Dwarf_Block *blk = NULL;
    libdwarf_value(r, at, &v, &blk);
    if (blk) { /* the value is read from it first; rd_apply_attr may fail */
        int64_t loc = 0;
        v.has_const = plus_uconst(v.block, v.block_len, &loc);
        v.value = loc;
        dwarf_dealloc(rd_dbg(r), blk, DW_DLA_BLOCK);
        v.block = NULL;
    }
    rd_apply_attr(r, a, &v);
}

/* The attribute list being decoded is the reader's until it is freed, so
 * that a read failing on one of its attributes frees it too. */
static void let_go_attrs(reader *r)
{
    for (Dwarf_Signed i = 0; i < r->held_nattrs; i++)
        dwarf_dealloc_attribute(r->held_attrs[i]);
    if (r->held_attrs)
        dwarf_dealloc(rd_dbg(r), r->held_attrs, DW_DLA_LIST);
    r->held_attrs = NULL;
    r->held_nattrs = 0;
}

void rd_attrs(reader *r, Dwarf_Die die, die_attrs *a)
{
    if (rd_raw_attrs(r, die, a)) {
        r->raw_dies++;
        return;
    }
    r->libdwarf_dies++;
    memset(a, 0, sizeof(*a));
    if (dwarf_tag(die, &a->tag, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "tag");
    int rc = dwarf_attrlist(die, &r->held_attrs, &r->held_nattrs, &r->err);
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, "attribute list");
    if (rc == DW_DLV_NO_ENTRY)
        return;
    for (Dwarf_Signed i = 0; i < r->held_nattrs; i++)
        one_attr(r, die, r->held_attrs[i], a);
    let_go_attrs(r);
}

void rd_hold(reader *r, Dwarf_Die die)
{
    if (!r->live.elem)
        ps_vec_init(&r->live, sizeof(Dwarf_Die));
    *(Dwarf_Die *)ps_vec_push(&r->live) = die;
}

void rd_let_go(reader *r, Dwarf_Die die)
{
    Dwarf_Die *held = r->live.data;
    for (size_t i = r->live.len; i-- > 0;)
        if (held[i] == die) {
            held[i] = held[--r->live.len];
            break;
        }
    dwarf_dealloc_die(die);
}

void rd_let_go_all(reader *r)
{
    let_go_attrs(r);
    for (size_t i = 0; i < r->live.len; i++)
        dwarf_dealloc_die(PS_VEC_AT(&r->live, Dwarf_Die, i));
    ps_vec_free(&r->live);
}

int rd_child(reader *r, Dwarf_Die die, Dwarf_Die *child)
{
    int rc = dwarf_child(die, child, &r->err);
    if (rc == DW_DLV_OK)
        rd_hold(r, *child);
    return rc;
}

void rd_forget_error(reader *r)
{
    if (r->err)
        dwarf_dealloc_error(rd_dbg(r), r->err);
    r->err = NULL;
}

Dwarf_Die rd_offdie(reader *r, uint64_t key)
{
    Dwarf_Die die = NULL;
    Dwarf_Bool is_info = !(key >> 63);
    Dwarf_Off off = (key & ~RD_KEY_FLAGS) - 1;
    Dwarf_Debug dbg = key & RD_KEY_ALT ? r->alt_dbg : r->dbg;
    if (!dbg || dwarf_offdie_b(dbg, off, is_info, &die, &r->err) != DW_DLV_OK)
        rd_fail(r, "malformed DWARF: no DIE at offset 0x%llx", (unsigned long long)off);
    rd_hold(r, die);
    return die;
}

Dwarf_Die rd_attrs_at(reader *r, uint64_t key, die_attrs *a)
{
    if (rd_raw_attrs_at(r, key, a)) {
        r->raw_dies++;
        return NULL;
    }
    Dwarf_Die die = rd_offdie(r, key);
    rd_attrs(r, die, a);
    return die;
}

uint64_t rd_key_of(reader *r, Dwarf_Die die)
{
    Dwarf_Off off = 0;
    if (dwarf_dieoffset(die, &off, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "DIE offset");
    return die_key(off, dwarf_get_die_infotypes_flag(die)) | (r->cur_alt ? RD_KEY_ALT : 0);
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
             : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Names from a damaged file may hold anything; reports must stay valid
 * UTF-8 on one line, so bad bytes and control characters become '?'.
 * *len: the name's length. */
static const char *clean_name(reader *r, const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (size_t n; p[i]; i += n) {
        n = p[i] >= 0x20 && p[i] < 0x80 ? 1 : p[i] >= 0x80 ? utf8_len(p + i) : 0;
        if (!n)
            break;
    }
    if (!p[i]) {
        *len = i;
        return s;
    }
    char *copy = ps_arena_strdup(&r->cu_arena, s);
    for (i = 0; copy[i];) {
        size_t n = utf8_len((const unsigned char *)copy + i);
        if (!n || (unsigned char)copy[i] < 0x20) {
            copy[i] = '?';
            n = 1;
        }
        i += n;
    }
    *len = i;
    return copy;
}

const char *rd_intern(reader *r, const char *s)
{
    if (!s)
        return NULL;
    size_t len = 0;
    s = clean_name(r, s, &len);
    uint64_t h = ps_hash_bytes(s, len, 0) | 1;
    for (;; h += 2) {
        const char *have = ps_map_get(&r->strings, h);
        if (!have) {
            const char *copy = ps_arena_strndup(&r->bin->arena, s, len);
            ps_map_put(&r->strings, h, (void *)copy);
            return copy;
        }
        if (!strcmp(have, s))
            return have;
    }
}

/* a and b joined, interned: without printf, as every unit names its
 * records and member types so. */
const char *rd_intern_cat(reader *r, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char small[512];
    char *buf = la + lb < sizeof(small) ? small : ps_arena_alloc(&r->cu_arena, la + lb + 1);
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb + 1);
    return rd_intern(r, buf);
}

const char *rd_typedef_name(reader *r, uint64_t key)
{
    const char *name = ps_map_get(&r->typedef_names, key);
    return name ? name : ps_map_get(&r->extern_names, key);
}

/* dwz's alternate units name files relative to no directory of theirs.
 * A DWARF 5 .dwz names its directory 0 "<dwz>": libdwarf 0.x prefixes the
 * relative directories with it ("<dwz>/../include/x.h"), 20210528 does not
 * ("../include/x.h"); both mean the binary's compilation directory. */
static const char *without_placeholder_dir(const char *name)
{
    const char *slash = name[0] == '<' ? strchr(name, '/') : NULL;
    return slash && slash > name + 1 && slash[-1] == '>' ? slash + 1 : name;
}

static void absolute_names(reader *r, cu_files *f)
{
    char **names = ps_arena_alloc(&r->bin->arena, (size_t)(f->count + 1) * sizeof(char *));
    for (Dwarf_Signed i = 0; i < f->count; i++) {
        const char *n = without_placeholder_dir(f->names[i]);
        names[i] = n[0] == '/' ? (char *)n : ps_arena_printf(&r->bin->arena, "%s/%s", r->main_comp_dir, n);
    }
    f->names = names;
}

void rd_own_srcfiles(reader *r, Dwarf_Debug dbg, char ***names, Dwarf_Signed count)
{
    char **copy = ps_arena_alloc(&r->bin->arena, (size_t)(count + 1) * sizeof(char *));
    for (Dwarf_Signed i = 0; i < count; i++) {
        copy[i] = ps_arena_strdup(&r->bin->arena, (*names)[i]);
        dwarf_dealloc(dbg, (*names)[i], DW_DLA_STRING);
    }
    dwarf_dealloc(dbg, *names, DW_DLA_LIST);
    *names = copy;
}

/* The key of the unit DIE that the node's DIE belongs to. */
static uint64_t unit_key_of(reader *r, rd_node *n)
{
    uint64_t key = n->die ? 0 : rd_raw_unit_key(r, n->key);
    if (key)
        return key;
    Dwarf_Die die = rd_node_die(r, n);
    Dwarf_Off cu_off = 0;
    if (dwarf_CU_dieoffset_given_die(die, &cu_off, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "unit of DIE");
    return die_key(cu_off, dwarf_get_die_infotypes_flag(die)) | (r->cur_alt ? RD_KEY_ALT : 0);
}

cu_files *rd_unit_files(reader *r, rd_node *n)
{
    uint64_t key = unit_key_of(r, n);
    cu_files *f = ps_map_get(&r->files, key);
    if (f)
        return f;
    f = ps_arena_zalloc(&r->bin->arena, sizeof(*f));
    ps_map_put(&r->files, key, f);
    Dwarf_Die cu = rd_offdie(r, key);
    Dwarf_Half version = 0, offset_size = 0;
    dwarf_get_version_of_die(cu, &version, &offset_size);
    f->version = version;
    const char *dir = rd_unit_string(r, cu, DW_AT_comp_dir);
    f->comp_dir = dir ? rd_intern(r, dir) : NULL;
    /* libdwarf 20210528's dwarf_srcfiles shares state between handles:
     * readers on other threads must wait. */
    static pthread_mutex_t srcfiles_lock = PTHREAD_MUTEX_INITIALIZER;
    if (!r->main_dbg)
        rd_check_line_table(r, cu);
    pthread_mutex_lock(&srcfiles_lock);
    int rc = dwarf_srcfiles(cu, &f->names, &f->count, &r->err);
    if (rc == DW_DLV_OK)
        rd_own_srcfiles(r, rd_dbg(r), &f->names, f->count);
    pthread_mutex_unlock(&srcfiles_lock);
    if (rc == DW_DLV_OK && r->cur_alt && r->main_comp_dir)
        absolute_names(r, f);
    if (rc != DW_DLV_OK) {
        f->names = NULL;
        f->count = 0;
        if (r->err) {
            dwarf_dealloc_error(r->dbg, r->err);
            r->err = NULL;
        }
        if (r->main_dbg &&
            rd_skeleton_files(r, r->unit_dwo_id, &f->names, &f->count) != 0 &&
            rd_split_unit_files(r, cu, rd_unit_string(r, cu, DW_AT_comp_dir), &f->names,
                                &f->count) != 0) {
            f->names = NULL;
            f->count = 0;
        }
    }
    rd_let_go(r, cu);
    return f;
}

/* DWARF 5 numbers files from 0, earlier versions from 1. */
const char *rd_decl_file(reader *r, rd_node *n, uint64_t index)
{
    cu_files *f = rd_unit_files(r, n);
    uint64_t i = f->version >= 5 ? index : index - 1;
    if (f->version < 5 && index == 0)
        return NULL;
    if (i >= (uint64_t)f->count)
        return NULL;
    if (!f->paths)
        f->paths = ps_arena_zalloc(&r->bin->arena, (size_t)f->count * sizeof(*f->paths));
    if (!f->paths[i])
        f->paths[i] = rd_file_path(r, f->names[i], f->comp_dir, f->version);
    return f->paths[i];
}
