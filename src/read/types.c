/*
 * Type resolution: for a DIE, its C spelling (head/tail around a declarator)
 * and, when a member needs it, its layout (size, alignment, pointer bytes,
 * the record it holds by value).  Memoized per unit by DIE offset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static typeinfo void_type = {.head = "void ", .tail = "", .size = 0, .ptr_bytes = 0, .count = 1,
                             .align = 1, .record = PS_NONE, .flags = TI_LAYOUT, .kind = PS_K_OTHER};

static bool is_go(reader *r) { return r->cu_lang == PS_LANG_GO; }

static uint32_t word_align(reader *r)
{
    return ps_abi_scalar_align(r->bin->arch, r->bin->ptr_size, r->bin->ptr_size, false);
}

/* Go's compiler writes its own numbers into each runtime type descriptor:
 * size and ptrdata words, then hash, tflag, align, fieldAlign, kind.  A
 * descriptor is used only when its size and kind agree with the DWARF
 * and its numbers are possible (pointer bytes within the size). */
void rd_go_descriptor(reader *r, const die_attrs *a, uint64_t size, uint32_t *align,
                      uint64_t *ptr_bytes)
{
    if (!a->go_runtime_type || r->opts->go_rules_only)
        return;
    unsigned ps = r->bin->ptr_size;
    unsigned char buf[2 * 8 + 8];
    uint64_t base = ps_elf_go_types_base(&r->elf);
    if (!base || !ps_elf_read_vaddr(&r->elf, base + a->go_runtime_type, buf, 2 * ps + 8))
        return;
    if (ps_elf_word(&r->elf, buf, ps) != size || (a->go_kind && (buf[2 * ps + 7] & 0x1f) != a->go_kind))
        return;
    unsigned desc_align = buf[2 * ps + 5];
    uint64_t desc_ptr_bytes = ps_elf_word(&r->elf, buf + ps, ps);
    if (!ps_is_pow2(desc_align) || desc_ptr_bytes > size)
        return; /* not a descriptor of this type */
    *align = desc_align;
    *ptr_bytes = desc_ptr_bytes;
    /* counted once each: how often one is met depends on the units */
    if (!ps_map_get(&r->go_desc_seen, a->go_runtime_type + 1)) {
        ps_map_put(&r->go_desc_seen, a->go_runtime_type + 1, (void *)1);
        r->bin->go_descriptors++;
    }
}

static void copy_layout(typeinfo *t, const typeinfo *from)
{
    t->size = from->size;
    t->align = from->align;
    t->ptr_bytes = from->ptr_bytes;
    t->count = from->count;
    t->record = from->record;
    t->kind = from->kind;
    t->go_kind = t->go_kind ? t->go_kind : from->go_kind;
    t->flags |= from->flags & (TI_FLEXIBLE | TI_ALIGN64 | TI_HOSTLAYOUT | TI_LAYOUT | TI_SYNC);
}

/* Through qualifiers and arrays a member still declares the enum. */
static void copy_enum(typeinfo *t, const typeinfo *from)
{
    t->enum_body = from->enum_body;
    t->enum_file = from->enum_file;
    t->enum_line = from->enum_line;
    t->enum_anon = from->enum_anon;
}

static typeinfo *target(reader *r, const die_attrs *a, bool need_layout, const char *parent)
{
    return a->has_type ? rd_type(r, rd_type_key(a), need_layout, parent)
                       : &void_type;
}

static void scalar(reader *r, const die_attrs *a, typeinfo *t)
{
    t->size = a->byte_size;
    t->kind = PS_K_SCALAR;
    if (is_go(r) && a->go_kind) {
        t->align = ps_go_kind_align(r->bin->ptr_size, a->go_kind);
        t->ptr_bytes = ps_go_kind_ptr_bytes(r->bin->ptr_size, a->go_kind);
        t->kind = ps_go_kind_class(a->go_kind);
    } else {
        t->align = ps_abi_scalar_align(r->bin->arch, r->bin->ptr_size, a->byte_size,
                                       a->encoding == DW_ATE_complex_float);
    }
    t->flags |= TI_LAYOUT;
}

/* C spells complex types _Complex T; DWARF says "complex double" (gcc)
 * or just "complex" (clang), so the spelling comes from the size. */
static const char *complex_name(reader *r, uint64_t size)
{
    uint64_t part = size / 2;
    if (part == 4)
        return "_Complex float";
    if (part == 8)
        return "_Complex double";
    (void)r;
    return "_Complex long double";
}

static void pointer(reader *r, const die_attrs *a, typeinfo *t)
{
    typeinfo *to = target(r, a, false, NULL);
    bool wrap = to->tail[0] == '[' || to->tail[0] == '(';
    t->head = rd_intern_cat(r, to->head, wrap ? "(*" : "*");
    t->tail = wrap ? rd_intern_cat(r, ")", to->tail) : to->tail;
    t->size = a->has_byte_size ? a->byte_size : r->bin->ptr_size;
    t->align = word_align(r);
    t->kind = PS_K_POINTER;
    t->ptr_bytes = is_go(r) ? r->bin->ptr_size : 0;
    t->flags |= TI_LAYOUT;
}

static void qualified(reader *r, const die_attrs *a, typeinfo *t, bool need_layout,
                      const char *parent)
{
    static const struct { Dwarf_Half tag; const char *word; } quals[] = {
        {DW_TAG_const_type, "const "}, {DW_TAG_volatile_type, "volatile "},
        {DW_TAG_restrict_type, "restrict "}, {DW_TAG_atomic_type, "_Atomic "},
    };
    typeinfo *to = target(r, a, need_layout, parent);
    const char *word = "";
    for (size_t i = 0; i < PS_ARRAY_LEN(quals); i++)
        if (quals[i].tag == a->tag)
            word = quals[i].word;
    size_t n = strlen(to->head);
    bool after = n && to->head[n - 1] == '*';
    t->head = after ? rd_intern_cat(r, to->head, word) : rd_intern_cat(r, word, to->head);
    t->tail = to->tail;
    copy_layout(t, to);
    copy_enum(t, to);
    /* gcc (11+) and clang align an _Atomic object of 2, 4 or 8 bytes (16 on
     * 64-bit targets) to its size: i386's _Atomic long long is 8-aligned
     * where long long is 4.  They disagree past that (clang -m32 keeps
     * 4 for 16 bytes); the layout check keeps such a record's order. */
    uint64_t s = t->size;
    if (a->tag == DW_TAG_atomic_type && s >= 2 && (s & (s - 1)) == 0 &&
        s <= (r->bin->ptr_size == 8 ? 16u : 8u) && t->align < s)
        t->align = (uint32_t)s;
}

static void typedef_type(reader *r, const die_attrs *a, typeinfo *t, bool need_layout,
                         const char *parent)
{
    typeinfo *to = target(r, a, need_layout, a->name ? a->name : parent);
    copy_layout(t, to);
    if (a->alignment) /* typedef int aligned_int __attribute__((aligned(8))) */
        t->align = (uint32_t)a->alignment;
    if (is_go(r) && a->go_kind) {
        t->go_kind = a->go_kind;
        if (a->go_kind != PS_GO_STRUCT && a->go_kind != PS_GO_ARRAY)
            t->kind = ps_go_kind_class(a->go_kind);
    }
}

/* Text built while DWARF is read lives in fixed buffers: a malformed file
 * aborts the read with longjmp, which must not leak. */
typedef struct fixed_text {
    char buf[1024];
    size_t len;
} fixed_text;

static void text_add(fixed_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(fixed_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < sizeof(t->buf) ? t->len + (size_t)n : sizeof(t->buf) - 1;
}

/* Fills the dimensions' text and their product; false when the product
 * does not fit in 64 bits (possible only for an array no object has). */
static bool array_dims(reader *r, rd_node *die, fixed_text *dims, uint64_t *count,
                       bool *flexible)
{
    bool fits = true;
    *count = 1;
    rd_kids k;
    for (rd_kids_open(r, die, "array bounds", &k); rd_kids_next(r, &k);) {
        die_attrs s;
        rd_kids_attrs(r, &k, &s);
        if (s.tag == DW_TAG_subrange_type) {
            /* upper_bound is in [-1, INT64_MAX]: + 1 cannot overflow */
            uint64_t n = s.has_count ? s.count
                       : s.has_upper_bound ? (uint64_t)s.upper_bound + 1 : 0;
            if (!s.has_count && !s.has_upper_bound)
                text_add(dims, "[]");
            else
                text_add(dims, "[%llu]", (unsigned long long)n);
            *flexible |= n == 0;
            fits = fits && ps_mul_ok(*count, n, count);
        }
    }
    if (!dims->len)
        text_add(dims, "[]");
    return fits;
}

/* An array's bytes, element count and pointer prefix, all checked: false
 * if any of them overflows or passes RD_MAX_BYTES. */
static bool array_layout(const die_attrs *a, const typeinfo *elem, uint64_t n, typeinfo *t)
{
    uint64_t size = a->byte_size, count = n, prefix = 0;
    if (!a->has_byte_size && !ps_mul_ok(elem->size, n, &size))
        return false;
    if (elem->record != PS_NONE && !ps_mul_ok(n, elem->count, &count))
        return false;
    if (elem->ptr_bytes && n && (!ps_mul_ok(n - 1, elem->size, &prefix) ||
                                 !ps_add_ok(prefix, elem->ptr_bytes, &prefix)))
        return false;
    if (size > RD_MAX_BYTES || count > RD_MAX_BITS)
        return false;
    t->size = size;
    t->count = count;
    t->ptr_bytes = prefix;
    return true;
}

/* A GNU vector is aligned to its size, which gcc requires to be a power
 * of two. */
static uint32_t vector_align(reader *r, uint64_t size)
{
    return rd_align(r, size, "vector");
}

static void array(reader *r, rd_node *die, const die_attrs *a, typeinfo *t, bool need_layout,
                  const char *parent)
{
    typeinfo *elem = target(r, a, need_layout, parent);
    fixed_text dims = {.len = 0};
    uint64_t n = 1;
    bool flexible = false;
    bool fits = array_dims(r, die, &dims, &n, &flexible);
    t->head = elem->head;
    t->tail = rd_intern_cat(r, dims.buf, elem->tail);
    copy_enum(t, elem);
    t->kind = PS_K_ARRAY;
    t->record = elem->record;
    t->flags |= (flexible ? TI_FLEXIBLE : 0) | (elem->flags & TI_SYNC);
    /* Only an array something holds by value must have a possible size:
     * a pointer may point to char[1L << 62]. */
    if (!fits || !array_layout(a, elem, n, t)) {
        if (need_layout)
            rd_fail(r, "malformed DWARF: size of array %s%s overflows", t->head, t->tail);
        return;
    }
    t->align = a->vector ? vector_align(r, t->size) : elem->align;
    t->flags |= elem->flags & TI_LAYOUT;
    if (is_go(r))
        rd_go_descriptor(r, a, t->size, &t->align, &t->ptr_bytes);
}

static void function(reader *r, rd_node *die, const die_attrs *a, typeinfo *t)
{
    typeinfo *ret = target(r, a, false, NULL);
    fixed_text params = {.len = 0};
    text_add(&params, "(");
    int n = 0;
    rd_kids k;
    for (rd_kids_open(r, die, "parameters", &k); rd_kids_next(r, &k);) {
        die_attrs p;
        rd_kids_attrs(r, &k, &p);
        if (p.tag == DW_TAG_formal_parameter || p.tag == DW_TAG_unspecified_parameters) {
            typeinfo *pt = p.tag == DW_TAG_formal_parameter ? target(r, &p, false, NULL) : NULL;
            text_add(&params, "%s%s%s", n++ ? ", " : "", pt ? pt->head : "...", pt ? pt->tail : "");
            while (params.len && params.buf[params.len - 1] == ' ')
                params.buf[--params.len] = '\0';
        }
    }
    text_add(&params, n ? ")" : "void)");
    t->head = rd_intern_cat(r, ret->head, ret->tail);
    t->tail = rd_intern(r, params.buf);
    t->align = 1;
    t->kind = PS_K_OTHER;
    if (a->has_byte_size) { /* Go: a func value is a sized subroutine type */
        t->size = a->byte_size;
        t->align = word_align(r);
        t->kind = PS_K_POINTER;
        t->ptr_bytes = is_go(r) ? r->bin->ptr_size : 0;
    }
    t->flags |= TI_LAYOUT;
}

/* Go's string, slice and interface headers are DWARF structs but, to a
 * Go programmer, scalars of fixed shape. */
static bool go_builtin_struct(reader *r, const die_attrs *a, typeinfo *t)
{
    if (!is_go(r) || (a->go_kind != PS_GO_STRING && a->go_kind != PS_GO_SLICE &&
                      a->go_kind != PS_GO_INTERFACE))
        return false;
    t->size = a->byte_size;
    t->align = ps_go_kind_align(r->bin->ptr_size, a->go_kind);
    t->ptr_bytes = ps_go_kind_ptr_bytes(r->bin->ptr_size, a->go_kind);
    t->kind = ps_go_kind_class(a->go_kind);
    t->flags |= TI_LAYOUT;
    return true;
}

static void record(reader *r, rd_node *die, const die_attrs *a, uint64_t key, typeinfo *t,
                   bool need_layout, const char *parent)
{
    const char *word = a->tag == DW_TAG_union_type ? "union " : "struct ";
    const char *tname = a->name ? a->name : rd_typedef_name(r, key);
    t->head = is_go(r) || (tname && !a->name) ? rd_intern(r, tname ? tname : "struct {...}")
              : rd_intern_cat(r, word, tname ? rd_intern_cat(r, tname, " ") : "{...} ");
    if (go_builtin_struct(r, a, t) || !need_layout || a->declaration)
        return;
    ps_struct *s = ps_struct_at(r->bin, t->record = rd_record(r, die, a, key, parent));
    t->size = s->size;
    t->align = s->align;
    t->ptr_bytes = s->ptr_bytes;
    t->kind = s->is_union ? PS_K_UNION : PS_K_STRUCT;
    t->count = 1;
    t->flags |= TI_LAYOUT;
}

/* An atomic or a lock, by the name the type has in its language: Go's
 * qualified name, a C typedef name, "struct tag"; C's _Atomic always. */
static void sync_marker(reader *r, const die_attrs *a, typeinfo *t)
{
    if (a->tag == DW_TAG_atomic_type) {
        t->flags |= TI_SYNC;
        return;
    }
    if (!a->name)
        return;
    bool record = a->tag == DW_TAG_structure_type || a->tag == DW_TAG_union_type;
    if (!is_go(r) && record ? rd_is_sync_record(r, a->tag == DW_TAG_union_type, a->name)
                            : rd_is_sync_type(r, a->name))
        t->flags |= TI_SYNC;
}

static void go_markers(const die_attrs *a, typeinfo *t)
{
    const char *n = a->name;
    if (!n)
        return;
    size_t len = strlen(n);
    if (len >= 14 && !strcmp(n + len - 14, "atomic.align64"))
        t->flags |= TI_ALIGN64;
    if (!strcmp(n, "structs.HostLayout"))
        t->flags |= TI_HOSTLAYOUT;
}

/* A skeleton (-fdebug-types-section) stands for the definition in a type
 * unit; a typedef naming the skeleton names the definition. */
static void skeleton(reader *r, const die_attrs *a, uint64_t key, typeinfo *t, bool need_layout,
                     const char *parent)
{
    uint64_t def = die_key(a->sig_target, a->sig_is_info);
    const char *tdef = rd_typedef_name(r, key);
    if (tdef && !rd_typedef_name(r, def))
        ps_map_put(&r->extern_names, def, (void *)tdef);
    typeinfo *to = rd_type(r, def, need_layout, parent);
    copy_layout(t, to);
    t->head = to->head;
    t->tail = to->tail;
}

static void resolve(reader *r, rd_node *die, const die_attrs *a, uint64_t key, typeinfo *t,
                    bool need_layout, const char *parent)
{
    if (a->has_signature) {
        skeleton(r, a, key, t, need_layout, parent);
        return;
    }
    switch (a->tag) {
    case DW_TAG_base_type: case DW_TAG_enumeration_type: case DW_TAG_unspecified_type:
        scalar(r, a, t);
        if (a->tag == DW_TAG_enumeration_type && a->has_type)
            t->align = target(r, a, true, NULL)->align;
        t->head = rd_intern_cat(r, a->tag == DW_TAG_enumeration_type && !is_go(r)
                             ? "enum " : "", a->name ? a->name : "{...}");
        if (!is_go(r) && a->encoding == DW_ATE_complex_float)
            t->head = complex_name(r, a->byte_size);
        t->head = is_go(r) ? t->head : rd_intern_cat(r, t->head, " ");
        if (a->tag == DW_TAG_enumeration_type && !is_go(r)) {
            t->enum_body = rd_enum_body(r, die, a->byte_size);
            t->enum_file = a->has_decl_file ? a->decl_file + 1 : 0;
            t->enum_line = a->decl_line;
            t->enum_anon = !a->name;
        }
        break;
    case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
    case DW_TAG_ptr_to_member_type:
        pointer(r, a, t);
        break;
    case DW_TAG_const_type: case DW_TAG_volatile_type: case DW_TAG_restrict_type:
    case DW_TAG_atomic_type:
        qualified(r, a, t, need_layout, parent);
        break;
    case DW_TAG_typedef:
        typedef_type(r, a, t, need_layout, parent);
        t->head = rd_intern(r, a->name ? a->name : "?");
        t->tail = "";
        if (!is_go(r))
            t->head = rd_intern_cat(r, t->head, " ");
        break;
    case DW_TAG_array_type:
        array(r, die, a, t, need_layout, parent);
        break;
    case DW_TAG_subroutine_type:
        function(r, die, a, t);
        break;
    case DW_TAG_structure_type: case DW_TAG_union_type: case DW_TAG_class_type:
        record(r, die, a, key, t, need_layout, parent);
        break;
    default:
        t->size = a->byte_size;
        t->align = ps_abi_scalar_align(r->bin->arch, r->bin->ptr_size, a->byte_size, false);
        t->head = "? ";
        t->flags |= TI_LAYOUT;
        break;
    }
    sync_marker(r, a, t);
    if (is_go(r)) {
        go_markers(a, t);
        if (a->name && a->tag != DW_TAG_typedef && a->tag != DW_TAG_array_type) {
            t->head = rd_intern(r, a->name);
            t->tail = "";
        }
        if (a->tag == DW_TAG_array_type && a->name) {
            t->head = rd_intern(r, a->name);
            t->tail = "";
        }
        /* Also for pointers: a pointer to a go:notinheap type holds no GC
         * pointer, which only the descriptor knows. */
        if (t->flags & TI_LAYOUT)
            rd_go_descriptor(r, a, t->size, &t->align, &t->ptr_bytes);
    }
}

static typeinfo *read_type(reader *r, uint64_t key, bool need_layout, const char *parent);

/* A type of the dwz alternate file reads its own references as the
 * alternate file's. */
typeinfo *rd_type(reader *r, uint64_t key, bool need_layout, const char *parent)
{
    bool outer = r->cur_alt;
    r->cur_alt = (key & RD_KEY_ALT) != 0;
    typeinfo *t = read_type(r, key, need_layout, parent);
    r->cur_alt = outer;
    return t;
}

static typeinfo *read_type(reader *r, uint64_t key, bool need_layout, const char *parent)
{
    typeinfo *t = ps_map_get(&r->types, key);
    if (t && (t->flags & TI_BUSY) && !t->head)
        rd_fail(r, "malformed DWARF: type at 0x%llx refers to itself",
                (unsigned long long)((key & ~(1ULL << 63)) - 1));
    if (t && ((t->flags & TI_LAYOUT) || !need_layout))
        return t;
    if (t && (t->flags & TI_BUSY))
        rd_fail(r, "malformed DWARF: type at 0x%llx contains itself",
                (unsigned long long)((key & ~RD_KEY_FLAGS) - 1));
    if (r->depth > 256)
        rd_fail(r, "malformed DWARF: types nested more than 256 deep");
    if (!t) {
        t = ps_arena_zalloc(&r->cu_arena, sizeof(*t));
        t->record = PS_NONE;
        t->count = 1;
        t->align = 1;
        t->tail = "";
        ps_map_put(&r->types, key, t);
    }
    die_attrs a;
    rd_node die = {key, rd_attrs_at(r, key, &a)};
    r->depth++;
    t->flags |= TI_BUSY;
    /* Named types may be referred to from inside themselves (Go's
     * type F func(F)); their spelling is their name from the start. */
    if (a.tag == DW_TAG_typedef && a.name && !t->head)
        t->head = is_go(r) ? rd_intern(r, a.name) : rd_intern_cat(r, rd_intern(r, a.name), " ");
    resolve(r, &die, &a, key, t, need_layout, parent);
    t->flags &= ~TI_BUSY;
    r->depth--;
    if (!t->head)
        t->head = "? ";
    rd_node_let_go(r, &die);
    return t;
}
