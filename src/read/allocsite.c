/*
 * Allocation call sites of a Go binary (padscan/sites.h).  Go's heap
 * profiler records, for each sample, the return address of the call into
 * the allocator minus one (runtime frames above it are hidden); gc loads
 * the allocated type's descriptor into the callee's type argument right
 * before that call:
 *
 *   amd64  LEAQ type:main.T(SB), AX   48 8d 05 <disp32>    (RIP-relative)
 *          CALL runtime.newobject     e8 <rel32>
 *   arm64  ADRP R0, page; ADD R0, R0, #lo12; BL runtime.newobject
 *   386    LEAL type:main.T, AX; MOVL AX, 0(SP); CALL runtime.newobject
 *
 * The callee (by symbol) says which argument holds the type and what is
 * allocated: one object (newobject, convT), a backing array (makeslice,
 * growslice), map storage (makemap, mapassign) or a channel.  Go 1.20
 * moved growslice's element type from the first argument to the fifth.
 * The type load is searched backwards from the call, never past an
 * earlier call, and its target must be a believable type descriptor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "padscan/sites.h"

enum { SCAN_BACK_AMD64 = 64, SCAN_BACK_ARM64 = 16 /* instructions */ };

typedef struct func_sym {
    uint64_t addr, size;
    const char *name;
} func_sym;

struct ps_code {
    ps_elf e;
    ps_arena arena;
    func_sym *funcs; /* sorted by address */
    size_t nfuncs;
    int go_minor;
    uint64_t types_base;
    const char *gnu_id, *go_id;
    bool pie;
};

typedef struct callee_rule {
    const char *name;
    int arg, arg_new; /* which argument holds the type (arg_new: Go 1.20 on) */
    ps_site_kind kind;
} callee_rule;

static const callee_rule callees[] = {
    {"runtime.newobject", 0, 0, PS_SITE_OBJECT},
    {"runtime.mallocgc", 1, 1, PS_SITE_OBJECT},
    /* Go 1.26 on: size-class specialized mallocgc(size, typ, needzero) */
    {"runtime.mallocgcSmallNoScanSC*", 1, 1, PS_SITE_OBJECT},
    {"runtime.mallocgcSmallScanNoHeaderSC*", 1, 1, PS_SITE_OBJECT},
    {"runtime.mallocgcTinySC*", 1, 1, PS_SITE_OBJECT},
    {"runtime.convT", 0, 0, PS_SITE_OBJECT},
    {"runtime.convTnoptr", 0, 0, PS_SITE_OBJECT},
    {"runtime.newarray", 0, 0, PS_SITE_ARRAY},
    {"runtime.makeslice", 0, 0, PS_SITE_ARRAY},
    {"runtime.makeslice64", 0, 0, PS_SITE_ARRAY},
    {"runtime.makeslicecopy", 0, 0, PS_SITE_ARRAY},
    {"runtime.growslice", 0, 4, PS_SITE_ARRAY},
    {"runtime.makemap", 0, 0, PS_SITE_MAP},
    {"runtime.makemap64", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign_fast32", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign_fast32ptr", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign_fast64", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign_fast64ptr", 0, 0, PS_SITE_MAP},
    {"runtime.mapassign_faststr", 0, 0, PS_SITE_MAP},
    {"runtime.makechan", 0, 0, PS_SITE_CHAN},
    {"runtime.makechan64", 0, 0, PS_SITE_CHAN},
};

static int by_addr(const void *a, const void *b)
{
    const func_sym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The symbol table's functions, sorted; none in a stripped binary. */
static void load_symbols(ps_code *c)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(&c->e, ".symtab", &sh);
    if (!d || !sh.sh_entsize)
        return;
    size_t n = sh.sh_size / sh.sh_entsize, k = 0;
    c->funcs = ps_xcalloc(n + 1, sizeof(func_sym));
    for (size_t i = 0; i < n; i++) {
        GElf_Sym sym;
        const char *name;
        if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
            !sym.st_value || !(name = elf_strptr(c->e.elf, sh.sh_link, sym.st_name)))
            continue;
        c->funcs[k++] = (func_sym){sym.st_value, sym.st_size, ps_arena_strdup(&c->arena, name)};
    }
    c->nfuncs = k;
    qsort(c->funcs, k, sizeof(func_sym), by_addr);
}

/* A binary without a symbol table (-ldflags=-s) still has Go's own
 * function table, .gopclntab (Go 1.18 on: magic 0xfffffff0/0xfffffff1):
 * pcHeader (nfunc, funcnametab and pclntab offsets), then nfunc + 1
 * (entry offset from .text, _func offset) pairs; each _func starts with
 * its entry offset and its name's offset into funcnametab.  Every offset
 * is bounded by the section. */
static void load_pclntab(ps_code *c)
{
    GElf_Shdr sh, text;
    Elf_Data *d = ps_elf_section(&c->e, ".gopclntab", &sh);
    if (!d || !ps_elf_section(&c->e, ".text", &text) || d->d_size < 8)
        return;
    const unsigned char *b = d->d_buf;
    size_t size = d->d_size;
    uint32_t magic = (uint32_t)ps_elf_word(&c->e, b, 4);
    unsigned p = b[7];
    if ((magic != 0xfffffff0 && magic != 0xfffffff1) || (p != 4 && p != 8) || size < 8 + 8 * p)
        return;
    uint64_t nfunc = ps_elf_word(&c->e, b + 8, p), names = ps_elf_word(&c->e, b + 8 + 3 * p, p);
    uint64_t pcln = ps_elf_word(&c->e, b + 8 + 7 * p, p);
    if (pcln > size || names > size || nfunc > (size - pcln) / 8 - 1)
        return;
    c->funcs = ps_xcalloc(nfunc + 1, sizeof(func_sym));
    size_t k = 0;
    for (uint64_t i = 0; i < nfunc; i++) {
        const unsigned char *ft = b + pcln + 8 * i;
        uint64_t entry = ps_elf_word(&c->e, ft, 4), next = ps_elf_word(&c->e, ft + 8, 4);
        uint64_t f = pcln + ps_elf_word(&c->e, ft + 4, 4);
        if (f > size - 8 || next < entry)
            continue;
        uint64_t name = names + (uint64_t)(int64_t)(int32_t)ps_elf_word(&c->e, b + f + 4, 4);
        if (name >= size)
            continue;
        size_t len = strnlen((const char *)b + name, size - name);
        if (name + len >= size)
            continue;
        c->funcs[k++] = (func_sym){text.sh_addr + entry, next - entry,
                                   ps_arena_strndup(&c->arena, (const char *)b + name, len)};
    }
    c->nfuncs = k;
    qsort(c->funcs, k, sizeof(func_sym), by_addr);
}

static const func_sym *func_at(const ps_code *c, uint64_t pc)
{
    size_t lo = 0, hi = c->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->funcs[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const func_sym *f = &c->funcs[lo - 1];
    return pc < f->addr + (f->size ? f->size : 1) ? f : NULL;
}

const char *ps_code_function(ps_code *c, uint64_t pc)
{
    const func_sym *f = func_at(c, pc);
    return f ? f->name : NULL;
}

static const char *note_id(ps_code *c, const char *section, const char *owner, unsigned type,
                           bool text)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(&c->e, section, &sh);
    GElf_Nhdr nh;
    size_t off = 0, name_off, desc_off;
    while (d && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
        const unsigned char *desc = (const unsigned char *)d->d_buf + desc_off;
        if (nh.n_type != type || strncmp((const char *)d->d_buf + name_off, owner, nh.n_namesz))
            continue;
        if (text)
            return ps_arena_strndup(&c->arena, (const char *)desc, nh.n_descsz);
        char *s = ps_arena_alloc(&c->arena, 2 * (size_t)nh.n_descsz + 1);
        for (size_t i = 0; i < nh.n_descsz; i++)
            snprintf(s + 2 * i, 3, "%02x", desc[i]);
        s[2 * (size_t)nh.n_descsz] = '\0';
        return s;
    }
    return NULL;
}

int ps_code_open(const char *path, ps_code **out, char *err, size_t errlen)
{
    ps_code *c = ps_xcalloc(1, sizeof(*c));
    *out = c;
    char why[256];
    if (ps_elf_open(&c->e, path, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    GElf_Ehdr eh;
    c->pie = gelf_getehdr(c->e.elf, &eh) && eh.e_type == ET_DYN;
    const char *version = ps_elf_go_version(&c->e, &c->arena);
    c->go_minor = ps_go_version_minor(version);
    if (!c->go_minor) {
        snprintf(err, errlen, "%s: not a Go binary (no Go build info): heap profiles are read for "
                              "Go programs", path);
        return -1;
    }
    if (c->e.arch != PS_ARCH_X86_64 && c->e.arch != PS_ARCH_AARCH64 && c->e.arch != PS_ARCH_I386) {
        snprintf(err, errlen, "%s: allocation sites are decoded for amd64, arm64 and 386, not %s", path,
                 ps_arch_name(c->e.arch));
        return -1;
    }
    c->types_base = ps_elf_go_types_base(&c->e);
    c->gnu_id = note_id(c, ".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID, false);
    c->go_id = note_id(c, ".note.go.buildid", "Go", 4, true);
    load_symbols(c);
    GElf_Shdr types;
    if (!c->nfuncs && ps_elf_section(&c->e, ".go.type", &types))
        c->types_base = types.sh_addr; /* Go 1.27 on, without runtime.types: .go.type */
    if (!c->nfuncs)
        load_pclntab(c);
    if (ps_elf_truncated(&c->e)) {
        snprintf(err, errlen, "%s: the file changed (shrank) while it was read", path);
        return -1;
    }
    return 0;
}

void ps_code_close(ps_code *c)
{
    if (!c)
        return;
    ps_elf_close(&c->e);
    free(c->funcs);
    ps_arena_free(&c->arena);
    free(c);
}

ps_arch ps_code_arch(const ps_code *c) { return c->e.arch; }
const char *ps_code_gnu_build_id(const ps_code *c) { return c->gnu_id; }
const char *ps_code_go_build_id(const ps_code *c) { return c->go_id; }
bool ps_code_is_pie(const ps_code *c) { return c->pie; }
bool ps_code_has_symbols(const ps_code *c) { return c->nfuncs > 0; }

bool ps_code_offset_vaddr(const ps_code *c, uint64_t off, uint64_t *vaddr)
{
    size_t n = 0;
    if (elf_getphdrnum(c->e.elf, &n) != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(c->e.elf, (int)i, &ph) && ph.p_type == PT_LOAD && off >= ph.p_offset &&
            off - ph.p_offset < ph.p_filesz) {
            *vaddr = ph.p_vaddr + (off - ph.p_offset);
            return true;
        }
    }
    return false;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A name: flag byte, varint length, bytes (Go 1.17 on). */
static const char *go_name(ps_code *c, uint64_t addr)
{
    unsigned char b[11];
    if (!ps_elf_read_vaddr(&c->e, addr, b, 1))
        return NULL;
    uint64_t len = 0;
    size_t i = 1;
    for (unsigned shift = 0; i < sizeof(b); shift += 7, i++) {
        if (!ps_elf_read_vaddr(&c->e, addr + i, b + i, 1))
            return NULL;
        len |= (uint64_t)(b[i] & 0x7f) << shift;
        if (!(b[i] & 0x80))
            break;
    }
    if (i == sizeof(b) || len > 1 << 16)
        return NULL;
    char *s = ps_arena_alloc(&c->arena, len + 1);
    if (len && !ps_elf_read_vaddr(&c->e, addr + i + 1, s, len))
        return NULL;
    s[len] = '\0';
    return s;
}

bool ps_code_go_type(ps_code *c, uint64_t addr, ps_go_type *out)
{
    unsigned p = c->e.ptr_size;
    unsigned char buf[4 * 8 + 16 + 16];
    size_t hdr = 4 * p + 16;
    if (!addr || addr < c->types_base || !ps_elf_read_vaddr(&c->e, addr, buf, hdr + 2 * p))
        return false;
    uint64_t size = ps_elf_word(&c->e, buf, p), ptrdata = ps_elf_word(&c->e, buf + p, p);
    unsigned tflag = buf[2 * p + 4], align = buf[2 * p + 5];
    int kind = buf[2 * p + 7] & 0x1f;
    if (!kind || kind > PS_GO_UNSAFE_POINTER || !ps_is_pow2(align) || align > 64 ||
        ptrdata > size || size > (1ULL << 48))
        return false;
    const char *name = go_name(c, c->types_base + le32(buf + 4 * p + 8));
    if (!name || !*name)
        return false;
    if ((tflag & 2) && *name == '*') /* tflagExtraStar */
        name++;
    uint64_t elem = 0;
    if (kind == PS_GO_POINTER || kind == PS_GO_SLICE || kind == PS_GO_ARRAY || kind == PS_GO_CHAN)
        elem = ps_elf_word(&c->e, buf + hdr, p);
    else if (kind == PS_GO_MAP)
        elem = ps_elf_word(&c->e, buf + hdr + p, p);
    *out = (ps_go_type){.size = size, .kind = kind, .name = name, .elem = elem};
    return true;
}

static const callee_rule *rule_for(const char *name)
{
    for (size_t i = 0; name && i < PS_ARRAY_LEN(callees); i++) {
        size_t len = strlen(callees[i].name);
        if (callees[i].name[len - 1] == '*' ? !strncmp(callees[i].name, name, len - 1)
                                            : !strcmp(callees[i].name, name))
            return &callees[i];
    }
    return NULL;
}

static bool is_function_start(const ps_code *c, uint64_t addr)
{
    const func_sym *f = func_at(c, addr);
    return f && f->addr == addr;
}

/* What a loaded address must be: a type descriptor itself (off ==
 * NO_DICT), or a dictionary holding one at off. */
#define NO_DICT UINT64_MAX
static uint64_t accept(ps_code *c, uint64_t target, uint64_t off)
{
    ps_go_type t;
    unsigned char w[8];
    if (off != NO_DICT) {
        if (!ps_elf_read_vaddr(&c->e, target + off, w, c->e.ptr_size))
            return 0;
        target = ps_elf_word(&c->e, w, c->e.ptr_size);
    }
    return ps_code_go_type(c, target, &t) ? target : 0;
}

/* amd64: the nearest LEAQ sym(IP), reg before the call, with no call to a
 * function between them. */
static uint64_t amd64_type_load(ps_code *c, uint64_t call, unsigned reg, uint64_t off)
{
    unsigned char code[SCAN_BACK_AMD64 + 8];
    uint64_t start = call - SCAN_BACK_AMD64;
    if (!ps_elf_read_vaddr(&c->e, start, code, SCAN_BACK_AMD64))
        return 0;
    unsigned char rex = 0x48 | (reg >= 8 ? 0x04 : 0), modrm = 0x05 | (reg & 7) << 3;
    for (int at = SCAN_BACK_AMD64 - 7; at >= 0; at--) {
        if (at + 5 <= SCAN_BACK_AMD64 && code[at] == 0xe8 &&
            is_function_start(c, start + at + 5 + (uint64_t)(int64_t)(int32_t)le32(code + at + 1)))
            return 0; /* an earlier call: the type is not loaded here */
        if (code[at] != rex || code[at + 1] != 0x8d || code[at + 2] != modrm)
            continue;
        uint64_t target = accept(c, start + at + 7 + (uint64_t)(int64_t)(int32_t)le32(code + at + 3),
                                 off);
        if (target)
            return target;
    }
    return 0;
}

/* amd64: MOVQ off(AX), reg -- the type from the dictionary in AX. */
static bool amd64_dict_load(ps_code *c, uint64_t call, unsigned reg, uint64_t *off)
{
    unsigned char code[SCAN_BACK_AMD64 + 8];
    uint64_t start = call - SCAN_BACK_AMD64;
    if (!ps_elf_read_vaddr(&c->e, start, code, SCAN_BACK_AMD64))
        return false;
    unsigned char rex = 0x48 | (reg >= 8 ? 0x04 : 0);
    for (int at = SCAN_BACK_AMD64 - 4; at >= 0; at--) {
        if (code[at] == 0xe8 && at + 5 <= SCAN_BACK_AMD64 &&
            is_function_start(c, start + at + 5 + (uint64_t)(int64_t)(int32_t)le32(code + at + 1)))
            return false;
        if (code[at] == rex && code[at + 1] == 0x8b && code[at + 2] == (0x40 | (reg & 7) << 3) &&
            at + 4 <= SCAN_BACK_AMD64 && code[at + 3] < 0x80) {
            *off = code[at + 3];
            return true;
        }
    }
    return false;
}

/* 386 (stack ABI): the argument's slot off(SP) is stored from a register
 * loaded by LEAL type, reg (8d /r, absolute disp32), or from an immediate
 * (MOVL $type, off(SP)); the nearest store before the call, then the
 * nearest load of its register before the store, no call between. */
static uint64_t i386_type_load(ps_code *c, uint64_t call, unsigned off)
{
    unsigned char code[SCAN_BACK_AMD64 + 8];
    uint64_t start = call - SCAN_BACK_AMD64;
    if (!ps_elf_read_vaddr(&c->e, start, code, SCAN_BACK_AMD64))
        return 0;
    int reg = -1;
    for (int at = SCAN_BACK_AMD64 - 3; at >= 0; at--) {
        const unsigned char *b = code + at;
        if (b[0] == 0xe8 && at + 5 <= SCAN_BACK_AMD64 &&
            is_function_start(c, start + at + 5 + (uint64_t)(int64_t)(int32_t)le32(b + 1)))
            return 0;
        bool slot = off ? (b[1] & 0xc7) == 0x44 && b[2] == 0x24 && at + 3 < SCAN_BACK_AMD64 &&
                              b[3] == off
                        : (b[1] & 0xc7) == 0x04 && b[2] == 0x24;
        if (reg < 0 && b[0] == 0xc7 && slot && (b[1] & 0x38) == 0 &&
            at + (off ? 8 : 7) <= SCAN_BACK_AMD64) {
            uint64_t target = le32(b + (off ? 4 : 3));
            ps_go_type t;
            return ps_code_go_type(c, target, &t) ? target : 0;
        }
        if (reg < 0 && b[0] == 0x89 && slot) {
            reg = (b[1] >> 3) & 7;
            continue;
        }
        if (reg >= 0 && b[0] == 0x8d && b[1] == (0x05 | reg << 3) && at + 6 <= SCAN_BACK_AMD64) {
            uint64_t target = le32(b + 2);
            ps_go_type t;
            if (ps_code_go_type(c, target, &t))
                return target;
        }
    }
    return 0;
}

static uint64_t arm64_adrp_page(uint64_t pc, uint32_t insn)
{
    uint64_t imm = (uint64_t)((insn >> 5) & 0x7ffff) << 2 | ((insn >> 29) & 3);
    int64_t pages = (int64_t)(imm << 43) >> 43; /* 21-bit signed */
    return (pc & ~0xfffULL) + (uint64_t)pages * 4096;
}

/* arm64: ADRP reg; ADD reg, reg, #lo12 before the BL, no BL between. */
static uint64_t arm64_type_load(ps_code *c, uint64_t call, unsigned reg, uint64_t off)
{
    unsigned char code[4 * SCAN_BACK_ARM64];
    uint64_t start = call - sizeof(code);
    if (!ps_elf_read_vaddr(&c->e, start, code, sizeof(code)))
        return 0;
    for (int i = SCAN_BACK_ARM64 - 1; i >= 1; i--) {
        uint32_t insn = le32(code + 4 * i), prev = le32(code + 4 * (i - 1));
        if ((insn & 0xfc000000) == 0x94000000 || (insn & 0xfffffc1f) == 0xd63f0000)
            return 0; /* BL or BLR */
        if ((insn & 0xffc00000) != 0x91000000 || (insn & 31) != reg || ((insn >> 5) & 31) != reg)
            continue;
        if ((prev & 0x9f000000) != 0x90000000 || (prev & 31) != reg)
            continue;
        uint64_t target = accept(c, arm64_adrp_page(start + 4 * (i - 1), prev) +
                                        ((insn >> 10) & 0xfff), off);
        if (target)
            return target;
    }
    return 0;
}

/* arm64: LDR Xreg, [X0, #off] -- the type from the dictionary in R0. */
static bool arm64_dict_load(ps_code *c, uint64_t call, unsigned reg, uint64_t *off)
{
    unsigned char code[4 * SCAN_BACK_ARM64];
    uint64_t start = call - sizeof(code);
    if (!ps_elf_read_vaddr(&c->e, start, code, sizeof(code)))
        return false;
    for (int i = SCAN_BACK_ARM64 - 1; i >= 0; i--) {
        uint32_t insn = le32(code + 4 * i);
        if ((insn & 0xfc000000) == 0x94000000 || (insn & 0xfffffc1f) == 0xd63f0000)
            return false;
        if ((insn & 0xffc00000) == 0xf9400000 && (insn & 31) == reg && ((insn >> 5) & 31) == 0) {
            *off = ((insn >> 10) & 0xfff) * 8;
            return true;
        }
    }
    return false;
}

static const char *site_callee(ps_code *c, uint64_t pc, uint64_t *call)
{
    unsigned char b[5];
    if (c->e.arch == PS_ARCH_X86_64 || c->e.arch == PS_ARCH_I386) {
        *call = pc - 4; /* CALL rel32 is 5 bytes; pc is its last */
        if (!ps_elf_read_vaddr(&c->e, *call, b, 5))
            return NULL;
        if (b[0] != 0xe8)
            return "";
        const func_sym *f = func_at(c, *call + 5 + (uint64_t)(int64_t)(int32_t)le32(b + 1));
        return f ? f->name : "";
    }
    *call = (pc - 3) & ~3ULL; /* BL is 4 bytes */
    if (!ps_elf_read_vaddr(&c->e, *call, b, 4))
        return NULL;
    uint32_t insn = le32(b);
    if ((insn & 0xfc000000) != 0x94000000)
        return "";
    int64_t imm = (int64_t)(int32_t)((insn & 0x3ffffff) << 6) >> 4; /* imm26 * 4, signed */
    const func_sym *f = func_at(c, *call + (uint64_t)imm);
    return f ? f->name : "";
}

void ps_code_site(ps_code *c, uint64_t pc, ps_alloc_site *out)
{
    static const unsigned amd64_args[] = {0 /* AX */, 3 /* BX */, 1 /* CX */, 7 /* DI */,
                                          6 /* SI */, 8, 9, 10, 11};
    *out = (ps_alloc_site){.kind = PS_SITE_NONE};
    if (!c->nfuncs) {
        out->why = "the binary has neither a symbol table nor a Go function table";
        return;
    }
    uint64_t call;
    const char *callee = site_callee(c, pc, &call);
    if (!callee) {
        out->why = "the address is not in the binary's code";
        return;
    }
    if (!*callee) {
        out->why = "not a direct call to a function";
        return;
    }
    out->callee = callee;
    const callee_rule *rule = rule_for(callee);
    if (!rule) {
        out->why = "a call that does not take the allocated type";
        return;
    }
    int arg = c->go_minor >= 20 ? rule->arg_new : rule->arg;
    out->type = c->e.arch == PS_ARCH_X86_64 ? amd64_type_load(c, call, amd64_args[arg], NO_DICT)
              : c->e.arch == PS_ARCH_I386  ? i386_type_load(c, call, 4 * (unsigned)arg)
                                           : arm64_type_load(c, call, (unsigned)arg, NO_DICT);
    out->kind = out->type ? rule->kind : PS_SITE_NONE;
    if (out->type)
        return;
    out->why = "the type is not loaded as a constant before the call (generic code, "
               "reflection, or a type passed in)";
    const func_sym *f = func_at(c, pc);
    if (!f || !strchr(f->name, '[')) /* only generic functions have dictionaries */
        return;
    out->from_dict = c->e.arch == PS_ARCH_X86_64 ? amd64_dict_load(c, call, amd64_args[arg], &out->dict_off)
                   : c->e.arch == PS_ARCH_AARCH64 && arm64_dict_load(c, call, (unsigned)arg, &out->dict_off);
    out->dict_kind = rule->kind;
}

uint64_t ps_code_dict_type(ps_code *c, uint64_t caller_pc, uint64_t dict_off)
{
    uint64_t call;
    const char *callee = site_callee(c, caller_pc, &call);
    if (!callee || !strchr(callee, '['))
        return 0;
    return c->e.arch == PS_ARCH_X86_64 ? amd64_type_load(c, call, 0 /* AX */, dict_off)
         : c->e.arch == PS_ARCH_AARCH64 ? arm64_type_load(c, call, 0 /* R0 */, dict_off) : 0;
}
