/*
 * Go binaries without DWARF (-ldflags="-s -w").  Every type the program
 * allocates, converts to an interface or reflects on keeps its runtime type
 * descriptor, and the linker lists them.  Up to Go 1.26 .typelink holds
 * 32-bit offsets of descriptors from the start of the types region
 * (runtime.types, the start of .rodata), .itablink the itabs whose second
 * word is a concrete type.  From Go 1.27 both are gone: the types region is
 * .go.type, and the moduledata (alone in .go.module) says how many bytes of
 * descriptors at its start are typelinks and where its itabs are.
 * From those roots every struct is reached through field, element, key and
 * pointer types.  A descriptor (internal/abi.Type, the same words from Go
 * 1.19 on) gives size, ptrdata, align and kind; a struct's fields give name,
 * type and offset; the uncommon part gives a named type's package path, so
 * that names are spelled as DWARF spells them ("github.com/x/y.T").
 * Records read this way have no declaration line and no bitfields; the
 * binary says so (ps_binary.layout_source).  Every read is bounded by the
 * section it falls in, and counts and depths are limited.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

enum { TF_UNCOMMON = 1, TF_EXTRA_STAR = 2, TF_NAMED = 4 };
enum { MAX_FIELDS = 1 << 16, MAX_DEPTH = 128, MAX_TYPES = 1 << 20 };

typedef struct gtype {
    uint64_t size, ptrdata, count;
    uint32_t align, record;
    int kind;
    const char *spell;
    uint32_t flags; /* TI_* */
    bool busy, laid_out;
} gtype;

typedef struct gort {
    reader *r;
    ps_elf *e;
    unsigned ps;   /* pointer size */
    unsigned hdr;  /* bytes of the common descriptor */
    uint64_t base; /* start of the types region */
    int minor;     /* Go 1.minor, from the build info */
    ps_map seen;   /* descriptor address -> gtype* */
    ps_vec pending; /* descriptor addresses whose element types are still to visit */
    ps_arena arena;
    size_t ntypes;
} gort;

static uint64_t word(gort *g, uint64_t addr, unsigned n, const char *what)
{
    unsigned char buf[8];
    if (n > 8 || !ps_elf_read_vaddr(g->e, addr, buf, n))
        rd_fail(g->r, "Go runtime type data: %s at 0x%llx is outside the binary", what,
                (unsigned long long)addr);
    return ps_elf_word(g->e, buf, n);
}

static uint64_t ptr(gort *g, uint64_t addr, const char *what) { return word(g, addr, g->ps, what); }

/* A name: flag byte, varint length, bytes (Go 1.17 on). */
static const char *name_at(gort *g, uint64_t addr, uint8_t *flags)
{
    uint64_t len = 0, at = addr + 1;
    *flags = (uint8_t)word(g, addr, 1, "name");
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = (uint8_t)word(g, at++, 1, "name length");
        len |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        if (shift > 28)
            rd_fail(g->r, "Go runtime type data: name length at 0x%llx overflows",
                    (unsigned long long)addr);
    }
    if (len > 1 << 20)
        rd_fail(g->r, "Go runtime type data: a name of %llu bytes", (unsigned long long)len);
    char *s = ps_arena_alloc(&g->arena, len + 1);
    if (len && !ps_elf_read_vaddr(g->e, at, s, len))
        rd_fail(g->r, "Go runtime type data: name at 0x%llx is outside the binary",
                (unsigned long long)addr);
    s[len] = '\0';
    return s;
}

static const char *name_off(gort *g, uint64_t off)
{
    uint8_t flags;
    return name_at(g, g->base + (uint32_t)off, &flags);
}

/* The kind-specific part's size: the uncommon part follows it. */
static uint64_t extra_size(const gort *g, int kind)
{
    unsigned p = g->ps;
    switch (kind) {
    case PS_GO_POINTER: case PS_GO_SLICE: return p;
    case PS_GO_ARRAY: return 3 * p;
    case PS_GO_CHAN: return 2 * p;
    case PS_GO_MAP: /* 1.27: KeysOff..ElemOff; 1.24-1.26: swiss; before: buckets */
        return g->minor >= 27 ? 11 * p : g->minor >= 24 ? 8 * p : 4 * p + 8;
    case PS_GO_STRUCT: case PS_GO_INTERFACE: return 4 * p;
    case PS_GO_FUNC: return p == 8 ? 8 : 4;
    default: return 0;
    }
}

static gtype *type_at(gort *g, uint64_t addr, int depth, bool layout);

/* "pkg/path.Name" for a named type, as DWARF spells it. */
static const char *named_spelling(gort *g, uint64_t addr, int kind, const char *str)
{
    uint64_t uncommon = addr + g->hdr + extra_size(g, kind);
    const char *pkg = name_off(g, word(g, uncommon, 4, "package path"));
    const char *dot = strchr(str, '.');
    size_t plen = strlen(pkg);
    /* Go 1.27 gives shape types the path "go.shape", their string "go.shape.T" */
    if (!*pkg || !dot || (!strncmp(str, pkg, plen) && str[plen] == '.'))
        return ps_arena_strdup(&g->r->bin->arena, str);
    return ps_arena_printf(&g->r->bin->arena, "%s.%s", pkg, dot + 1);
}

/* The pieces, one string in the binary's arena. */
static const char *join(gort *g, const char *const *part, size_t np)
{
    size_t len = 0;
    for (size_t i = 0; i < np; i++)
        len += strlen(part[i]);
    char *out = ps_arena_alloc(&g->r->bin->arena, len + 1), *at = out;
    for (size_t i = 0; i < np; i++) {
        size_t k = strlen(part[i]);
        memcpy(at, part[i], k);
        at += k;
    }
    *at = '\0';
    return out;
}

/* "struct { pkg.unexported int; Exported string; pkg.Embedded }": how the
 * Go compiler's DWARF names a struct literal type. */
static const char *literal_struct_spelling(gort *g, uint64_t x, int depth)
{
    unsigned p = g->ps;
    uint8_t flags;
    uint64_t pkgname = ptr(g, x, "package path");
    const char *pkg = pkgname ? name_at(g, pkgname, &flags) : "";
    uint64_t fields = ptr(g, x + p, "fields"), n = ptr(g, x + 2 * p, "field count");
    if (n > MAX_FIELDS)
        rd_fail(g->r, "Go runtime type data: a struct of %llu fields", (unsigned long long)n);
    /* pieces in the walk's arena, joined at the end: nothing to free when
     * a bad field type fails the walk */
    const char **part = ps_arena_alloc(&g->arena, (6 * n + 2) * sizeof(char *));
    size_t np = 0;
    part[np++] = "struct {";
    for (uint64_t i = 0; i < n; i++) {
        uint64_t f = fields + i * 3 * p;
        const char *name = name_at(g, ptr(g, f, "field name"), &flags);
        const char *type = type_at(g, ptr(g, f + p, "field type"), depth + 1, false)->spell;
        part[np++] = i ? "; " : " ";
        if (!(flags & 8) && !(flags & 1) && *pkg) {
            part[np++] = pkg;
            part[np++] = ".";
        }
        if (!(flags & 8)) {
            part[np++] = name;
            part[np++] = " ";
        }
        part[np++] = type;
    }
    part[np++] = n ? " }" : "}";
    return join(g, part, np);
}

/* "func(*pkg/path.T, ...int) (int, error)": parameter and result types
 * follow the func type's own words (and its uncommon part, if any). */
static const char *func_spelling(gort *g, uint64_t addr, int depth)
{
    unsigned p = g->ps;
    uint64_t x = addr + g->hdr;
    unsigned in = (unsigned)word(g, x, 2, "parameter count");
    unsigned out = (unsigned)word(g, x + 2, 2, "result count");
    bool variadic = (out & 0x8000) != 0;
    out &= 0x7fff;
    uint8_t tflag = (uint8_t)word(g, addr + 2 * p + 4, 1, "tflag");
    uint64_t params = x + extra_size(g, PS_GO_FUNC) + (tflag & TF_UNCOMMON ? 16 : 0);
    if (in + out > MAX_FIELDS)
        rd_fail(g->r, "Go runtime type data: a func of %u parameters", in + out);
    const char **part = ps_arena_alloc(&g->arena, (3 * (in + out) + 3) * sizeof(char *));
    size_t np = 0;
    part[np++] = "func(";
    for (unsigned i = 0; i < in + out; i++) {
        uint64_t at = ptr(g, params + (uint64_t)i * p, "parameter type");
        const char *type = type_at(g, at, depth + 1, false)->spell;
        if (i == in)
            part[np++] = out == 1 ? ") " : ") (";
        else if (i)
            part[np++] = ", ";
        bool dots = variadic && i == in - 1 && !strncmp(type, "[]", 2);
        if (dots)
            part[np++] = "...";
        part[np++] = dots ? type + 2 : type;
    }
    part[np++] = !out ? ")" : out > 1 ? ")" : "";
    return join(g, part, np);
}

static const char *composite_spelling(gort *g, uint64_t addr, gtype *t, const char *str, int depth)
{
    uint64_t x = addr + g->hdr;
    ps_arena *a = &g->r->bin->arena;
    switch (t->kind) {
    case PS_GO_POINTER:
        return ps_arena_printf(a, "*%s", type_at(g, ptr(g, x, "element"), depth + 1, false)->spell);
    case PS_GO_SLICE:
        return ps_arena_printf(a, "[]%s", type_at(g, ptr(g, x, "element"), depth + 1, false)->spell);
    case PS_GO_ARRAY:
        return ps_arena_printf(a, "[%llu]%s", (unsigned long long)ptr(g, x + 2 * g->ps, "length"),
                               type_at(g, ptr(g, x, "element"), depth + 1, false)->spell);
    case PS_GO_MAP:
        return ps_arena_printf(a, "map[%s]%s", type_at(g, ptr(g, x, "key"), depth + 1, false)->spell,
                               type_at(g, ptr(g, x + g->ps, "element"), depth + 1, false)->spell);
    case PS_GO_CHAN: {
        uint64_t dir = ptr(g, x + g->ps, "channel direction");
        return ps_arena_printf(a, "%s%s", dir == 1 ? "<-chan " : dir == 2 ? "chan<- " : "chan ",
                               type_at(g, ptr(g, x, "element"), depth + 1, false)->spell);
    }
    case PS_GO_STRUCT:
        return literal_struct_spelling(g, x, depth);
    case PS_GO_FUNC:
        return func_spelling(g, addr, depth);
    default:
        return ps_arena_strdup(a, str);
    }
}

static void read_struct(gort *g, uint64_t addr, gtype *t, int depth);
static gtype *new_type(gort *g, uint64_t addr, int depth);

/* A descriptor: its numbers and spelling; with layout, a struct's fields
 * (and an array's element record) too.  Every new type is queued so that
 * the types it leads to are visited (walk_pending). */
static gtype *type_at(gort *g, uint64_t addr, int depth, bool layout)
{
    if (!addr || depth > MAX_DEPTH)
        rd_fail(g->r, "Go runtime type data: %s at 0x%llx", addr ? "types nested too deep"
                                                                 : "a nil type", (unsigned long long)addr);
    gtype *t = ps_map_get(&g->seen, addr);
    if (!t) {
        t = new_type(g, addr, depth);
        *(uint64_t *)ps_vec_push(&g->pending) = addr;
    }
    if (layout && t->kind == PS_GO_STRUCT && t->record == PS_NONE) {
        if (t->busy)
            rd_fail(g->r, "Go runtime type data: struct at 0x%llx contains itself",
                    (unsigned long long)addr);
        t->busy = true;
        read_struct(g, addr, t, depth);
        t->busy = false;
    }
    if (layout && t->kind == PS_GO_ARRAY && !t->laid_out) {
        gtype *elem = type_at(g, ptr(g, addr + g->hdr, "element"), depth + 1, true);
        uint64_t n = ptr(g, addr + g->hdr + 2 * g->ps, "length");
        t->record = elem->record;
        t->flags |= elem->flags & TI_SYNC;
        if (elem->record != PS_NONE && !ps_mul_ok(n, elem->count, &t->count))
            rd_fail(g->r, "Go runtime type data: array length overflows");
    }
    t->laid_out |= layout;
    return t;
}

static gtype *new_type(gort *g, uint64_t addr, int depth)
{
    if (++g->ntypes > MAX_TYPES)
        rd_fail(g->r, "Go runtime type data: more than %d types", MAX_TYPES);
    gtype *t = ps_arena_zalloc(&g->arena, sizeof(*t));
    ps_map_put(&g->seen, addr, t);
    unsigned p = g->ps;
    t->size = ptr(g, addr, "size");
    t->ptrdata = ptr(g, addr + p, "ptrdata");
    uint8_t tflag = (uint8_t)word(g, addr + 2 * p + 4, 1, "tflag");
    t->align = (uint32_t)word(g, addr + 2 * p + 5, 1, "align");
    t->kind = (int)(word(g, addr + 2 * p + 7, 1, "kind") & 0x1f);
    t->record = PS_NONE;
    t->count = 1;
    if (!t->align || (t->align & (t->align - 1)) || t->size > RD_MAX_BYTES ||
        t->ptrdata > t->size || !t->kind || t->kind > PS_GO_UNSAFE_POINTER)
        rd_fail(g->r, "Go runtime type data: impossible descriptor at 0x%llx",
                (unsigned long long)addr);
    const char *str = name_off(g, word(g, addr + 4 * p + 8, 4, "type string"));
    if ((tflag & TF_EXTRA_STAR) && *str == '*')
        str++;
    t->spell = "?"; /* while an unnamed composite spells its elements */
    t->spell = (tflag & TF_NAMED) && (tflag & TF_UNCOMMON) ? named_spelling(g, addr, t->kind, str)
               : (tflag & TF_NAMED) ? ps_arena_strdup(&g->r->bin->arena, str)
                                    : composite_spelling(g, addr, t, str, depth);
    if (!strcmp(t->spell, "structs.HostLayout"))
        t->flags |= TI_HOSTLAYOUT;
    size_t len = strlen(t->spell);
    if (len >= 14 && !strcmp(t->spell + len - 14, "atomic.align64"))
        t->flags |= TI_ALIGN64;
    if (rd_is_sync_type(g->r, t->spell))
        t->flags |= TI_SYNC;
    return t;
}

/* The types a queued type leads to: elements, keys, fields (by layout). */
static void walk_pending(gort *g)
{
    for (size_t i = 0; i < g->pending.len; i++) {
        uint64_t addr = PS_VEC_AT(&g->pending, uint64_t, i), x = addr + g->hdr;
        gtype *t = ps_map_get(&g->seen, addr);
        switch (t->kind) {
        case PS_GO_STRUCT: case PS_GO_ARRAY: type_at(g, addr, 0, true); break;
        case PS_GO_POINTER: case PS_GO_SLICE: case PS_GO_CHAN:
            type_at(g, ptr(g, x, "element"), 0, true);
            break;
        case PS_GO_MAP:
            type_at(g, ptr(g, x, "key"), 0, true);
            type_at(g, ptr(g, x + g->ps, "element"), 0, true);
            break;
        default: break;
        }
    }
}

static void add_field(gort *g, uint64_t f, int depth)
{
    unsigned p = g->ps;
    uint8_t flags;
    const char *name = name_at(g, ptr(g, f, "field name"), &flags);
    gtype *ft = type_at(g, ptr(g, f + p, "field type"), depth + 1, true);
    uint64_t off = ptr(g, f + 2 * p, "field offset");
    ps_member *m = ps_vec_push(&g->r->scratch);
    *m = (ps_member){.name = rd_intern(g->r, name), .type_head = ft->spell, .type_tail = "",
                     .bit_pos = rd_mul(g->r, off, 8, "field offset"), .size = ft->size,
                     .align = ft->align, .ptr_bytes = ft->ptrdata, .record = ft->record,
                     .count = ft->count, .kind = ps_go_kind_class(ft->kind)};
    m->flags = (flags & 8 ? PS_MF_EMBEDDED : 0) | (ft->flags & TI_ALIGN64 ? PS_MF_ALIGN64 : 0) |
               (ft->flags & TI_HOSTLAYOUT ? PS_MF_HOSTLAYOUT : 0) |
               (ft->flags & TI_SYNC ? PS_MF_SYNC : 0) | (rd_is_padding(m->name, ft->spell) ? PS_MF_PAD : 0);
}

static void read_struct(gort *g, uint64_t addr, gtype *t, int depth)
{
    unsigned p = g->ps;
    uint64_t fields = ptr(g, addr + g->hdr + p, "fields"), n = ptr(g, addr + g->hdr + 2 * p, "field count");
    if (n > MAX_FIELDS)
        rd_fail(g->r, "Go runtime type data: a struct of %llu fields", (unsigned long long)n);
    size_t base = g->r->scratch.len;
    for (uint64_t i = 0; i < n; i++)
        add_field(g, fields + i * 3 * p, depth);
    ps_struct s = {.name = rd_intern(g->r, t->spell), .lang = PS_LANG_GO, .size = t->size,
                   .align = t->align, .ptr_bytes = t->ptrdata, .nmembers = (uint32_t)n};
    s.reported = strncmp(s.name, "noalg.", 6) != 0;
    s.go_type = addr;
    ps_member *m = n ? &PS_VEC_AT(&g->r->scratch, ps_member, base) : NULL;
    rd_check_record(g->r, &s, m, (uint32_t)n);
    t->record = rd_commit_record(g->r, &s, base);
}

/* Go 1.19-1.26 roots: .typelink offsets, and the concrete type of every
 * itab listed in .itablink. */
static void walk_link_sections(gort *g)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(g->e, ".typelink", &sh);
    for (size_t i = 0; d && i + 4 <= d->d_size; i += 4)
        type_at(g, g->base + (uint32_t)ps_elf_word(g->e, (unsigned char *)d->d_buf + i, 4), 0, true);
    d = ps_elf_section(g->e, ".itablink", &sh);
    for (size_t i = 0; d && i + g->ps <= d->d_size; i += g->ps) {
        uint64_t itab = ps_elf_word(g->e, (unsigned char *)d->d_buf + i, g->ps);
        type_at(g, ptr(g, itab + g->ps, "itab type"), 0, true);
    }
}

/* A whole descriptor's bytes (internal/abi.Type.DescriptorSize): the common
 * and kind-specific words, the uncommon part, a func's parameter types, an
 * interface's methods or a struct's fields, then the named type's methods. */
static uint64_t descriptor_size(gort *g, uint64_t addr, const gtype *t)
{
    unsigned p = g->ps;
    uint64_t x = addr + g->hdr, size = g->hdr + extra_size(g, t->kind);
    uint8_t tflag = (uint8_t)word(g, addr + 2 * p + 4, 1, "tflag");
    if (t->kind == PS_GO_FUNC)
        size += (word(g, x, 2, "parameter count") + (word(g, x + 2, 2, "result count") & 0x7fff)) * p;
    if (t->kind == PS_GO_INTERFACE) {
        uint64_t n = ptr(g, x + 2 * p, "method count");
        if (n > MAX_FIELDS)
            rd_fail(g->r, "Go runtime type data: an interface of %llu methods", (unsigned long long)n);
        size += n * 8; /* abi.Imethod: two 32-bit offsets */
    }
    if (t->kind == PS_GO_STRUCT) {
        uint64_t n = ptr(g, x + 2 * p, "field count");
        if (n > MAX_FIELDS)
            rd_fail(g->r, "Go runtime type data: a struct of %llu fields", (unsigned long long)n);
        size += n * 3 * p; /* abi.StructField: name, type, offset */
    }
    if (tflag & TF_UNCOMMON) /* abi.UncommonType, then mcount abi.Methods of 16 bytes */
        size += 16 + 16 * word(g, x + extra_size(g, t->kind) + 4, 2, "method count");
    return size;
}

/* Go 1.27 on: no .typelink or .itablink.  The moduledata is alone in
 * .go.module (its first word points at .gopclntab); its types word is the
 * start of .go.type, typedesclen the bytes of the descriptors listed first
 * (the typelinks, one after another from types + one word), and itaboffset
 * and itabsize the itabs (each two words, a hash word, then one function
 * word per interface method, a single one if the type does not implement
 * the interface). */
enum { MD_TYPES = 37, MD_TYPEDESCLEN, MD_ETYPES, MD_ITABOFFSET, MD_ITABSIZE };

static void walk_module_roots(gort *g, uint64_t md, const GElf_Shdr *types)
{
    unsigned p = g->ps;
    uint64_t start = ptr(g, md + MD_TYPES * p, "moduledata types");
    uint64_t desclen = ptr(g, md + MD_TYPEDESCLEN * p, "moduledata typedesclen");
    uint64_t end = ptr(g, md + MD_ETYPES * p, "moduledata etypes");
    uint64_t itaboff = ptr(g, md + MD_ITABOFFSET * p, "moduledata itaboffset");
    uint64_t itabsize = ptr(g, md + MD_ITABSIZE * p, "moduledata itabsize");
    if (start != types->sh_addr || end < start || end - start > types->sh_size ||
        desclen > end - start || itaboff > end - start || itabsize > end - start - itaboff)
        rd_fail(g->r, "no DWARF, and the Go module data in .go.module does not describe "
                      "the .go.type section");
    g->base = start;
    for (uint64_t td = start + p; td < start + desclen;) {
        td = (td + p - 1) / p * p;
        if (td >= start + desclen)
            break;
        uint64_t size = descriptor_size(g, td, type_at(g, td, 0, true));
        if (size > start + desclen - td)
            rd_fail(g->r, "Go runtime type data: descriptor at 0x%llx runs past the typelinks",
                    (unsigned long long)td);
        td += size;
    }
    for (uint64_t it = start + itaboff; it < start + itaboff + itabsize;) {
        type_at(g, ptr(g, it + p, "itab type"), 0, true);
        uint64_t methods = ptr(g, ptr(g, it, "itab interface") + g->hdr + 2 * p, "interface methods");
        if (methods > MAX_FIELDS)
            rd_fail(g->r, "Go runtime type data: an interface of %llu methods",
                    (unsigned long long)methods);
        uint64_t size = 4 * (uint64_t)p;
        if (ptr(g, it + 3 * p, "itab function") && methods > 1)
            size += (methods - 1) * p;
        if (size > start + itaboff + itabsize - it)
            rd_fail(g->r, "Go runtime type data: itab at 0x%llx runs past the itabs",
                    (unsigned long long)it);
        it += size;
    }
}

/* The roots, by the Go version's way of listing them, and all they lead to. */
static void walk_roots(gort *g)
{
    GElf_Shdr sh, types;
    if (ps_elf_section(g->e, ".typelink", &sh)) {
        walk_link_sections(g);
    } else {
        Elf_Data *md = ps_elf_section(g->e, ".go.module", &sh);
        GElf_Shdr pcln;
        if (!md || !ps_elf_section(g->e, ".go.type", &types) ||
            !ps_elf_section(g->e, ".gopclntab", &pcln) || md->d_size < (MD_ITABSIZE + 1) * g->ps ||
            !md->d_buf || ps_elf_word(g->e, md->d_buf, g->ps) != pcln.sh_addr)
            rd_fail(g->r, "no DWARF, and this Go binary has neither a .typelink section nor "
                          "the module data of Go 1.27 and later (.go.module pointing at "
                          ".gopclntab, and .go.type): build without -ldflags=-w to keep DWARF");
        walk_module_roots(g, sh.sh_addr, &types);
    }
    walk_pending(g);
}

bool rd_is_go_binary(ps_elf *e)
{
    GElf_Shdr sh;
    return ps_elf_section(e, ".gopclntab", &sh) != NULL || ps_elf_section(e, ".go.buildinfo", &sh);
}

static void gort_free(gort *g)
{
    ps_map_free(&g->seen);
    ps_vec_free(&g->pending);
    ps_arena_free(&g->arena);
}

/* The walk's own tables are freed on failure too: the reader's failure
 * jump is borrowed for the walk and handed back. */
static void walk_or_free(gort *g)
{
    jmp_buf outer;
    memcpy(outer, g->r->fail, sizeof(jmp_buf));
    if (setjmp(g->r->fail)) {
        gort_free(g);
        memcpy(g->r->fail, outer, sizeof(jmp_buf));
        longjmp(g->r->fail, 1);
    }
    walk_roots(g);
    memcpy(g->r->fail, outer, sizeof(jmp_buf));
    gort_free(g);
}

void rd_read_go_runtime(reader *r)
{
    GElf_Ehdr eh;
    if (!gelf_getehdr(r->elf.elf, &eh) || eh.e_type != ET_EXEC)
        rd_fail(r, "no DWARF, and the Go runtime type data of a position-independent or "
                   "relocatable Go binary is not read (build without -buildmode=pie, or keep "
                   "DWARF: without -ldflags=-w)");
    gort *g = ps_arena_zalloc(&r->bin->arena, sizeof(*g));
    *g = (gort){.r = r, .e = &r->elf, .ps = r->elf.ptr_size};
    g->hdr = 4 * g->ps + 16;
    g->base = ps_elf_go_types_base(&r->elf);
    g->minor = ps_go_version_minor(r->bin->go_version);
    if (!g->base || !g->minor)
        rd_fail(r, "no DWARF, and no Go build info or types region to read runtime type data from");
    ps_vec_init(&g->pending, sizeof(uint64_t));
    r->bin->has_go = true;
    r->bin->layout_source = "go_runtime_types";
    walk_or_free(g);
    if (!r->bin->structs.len)
        rd_fail(r, "no DWARF, and the Go runtime type data lists no struct types");
}
