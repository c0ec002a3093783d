/*
 * model: the language-neutral picture of a binary's record types.  The
 * reader fills it from DWARF; every later stage (analyze, reorder, estimate,
 * report) reads only this, so none of them knows DWARF exists.
 */
#ifndef PADSCAN_MODEL_H
#define PADSCAN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "padscan/util.h"

#define PS_NONE UINT32_MAX

typedef enum ps_lang { PS_LANG_C, PS_LANG_GO } ps_lang;

/* Whose a record is, decided once by the reader from the binary (Go build
 * info and DWARF file paths; C header paths), never from the name's look. */
typedef enum ps_class {
    PS_CLASS_OWN,        /* the user's: main module, local replace, own sources */
    PS_CLASS_DEPENDENCY, /* third-party: module cache, vendor/, third_party/ */
    PS_CLASS_STD,        /* Go's standard library, system and compiler headers */
} ps_class;

typedef enum ps_arch {
    PS_ARCH_UNKNOWN,
    PS_ARCH_X86_64,
    PS_ARCH_I386,
    PS_ARCH_AARCH64,
    PS_ARCH_ARM,
    PS_ARCH_RISCV64,
    PS_ARCH_PPC64,
    PS_ARCH_S390X,
    PS_ARCH_MIPS,
} ps_arch;

/* What a member's type is, as far as layout and reordering care. */
typedef enum ps_kind {
    PS_K_SCALAR,  /* integers, floats, bools, enums, C complex */
    PS_K_POINTER, /* data and function pointers, Go map/chan/func */
    PS_K_STRUCT,
    PS_K_UNION,
    PS_K_ARRAY,
    PS_K_STRING, /* Go string */
    PS_K_SLICE,  /* Go slice */
    PS_K_IFACE,  /* Go interface */
    PS_K_OTHER,
} ps_kind;

enum ps_member_flags {
    PS_MF_EMBEDDED = 1 << 0,   /* Go embedded field */
    PS_MF_ANONYMOUS = 1 << 1,  /* unnamed struct/union member */
    PS_MF_ALIGNED = 1 << 2,    /* explicit alignment (alignas) */
    PS_MF_FLEXIBLE = 1 << 3,   /* flexible or zero-length trailing array */
    PS_MF_ALIGN64 = 1 << 4,    /* Go atomic align64 marker */
    PS_MF_HOSTLAYOUT = 1 << 5, /* Go structs.HostLayout marker */
    PS_MF_PACKED = 1 << 6,     /* C: this member alone is packed */
    PS_MF_PAD = 1 << 7,        /* explicit padding: blank (_) or pad-named, or a
                                * CacheLinePad (docs/suggest.md, "Fences") */
    PS_MF_SYNC = 1 << 8,       /* a synchronization field: an atomic or a lock
                                * (docs/config.md, "sync_types") */
    PS_MF_BASE = 1 << 9,       /* C++: a base class subobject */
    PS_MF_VBASE = 1 << 10,     /* C++: a virtual base (placed as the Itanium ABI
                                * places it: DWARF gives no constant offset) */
};

typedef struct ps_member {
    const char *name;      /* "" for anonymous members */
    const char *type_head; /* declaration text before the name ... */
    const char *type_tail; /* ... and after it: "char " + name + "[16]" */
    uint64_t bit_pos;      /* absolute bit position of the first bit */
    uint64_t size;         /* bytes of the member's type */
    uint32_t align;        /* alignment of the member (incl. alignas) */
    uint32_t bit_size;     /* 0 unless a bitfield */
    uint64_t ptr_bytes;    /* Go: pointer-holding prefix of the type */
    uint32_t record;       /* struct index of a by-value struct/union ... */
    uint64_t count;        /* ... times this many (arrays), else 1 */
    ps_kind kind;
    uint32_t flags;
    const char *enum_body; /* C: "{ A = 0, B = 7 }" of an enum this member
                            * declares (anonymous, or declared inside the
                            * record), or NULL */
} ps_member;

typedef struct ps_struct {
    const char *name;  /* qualified, stable, human-readable */
    const char *ctype; /* C spelling ("struct tag", typedef name) or NULL */
    const char *decl_file;
    uint32_t decl_line;
    bool decl_from_method; /* Go: DWARF has no type location; this is a method's */
    ps_lang lang;
    bool is_union;
    bool packed;       /* layout contradicts natural alignment */
    uint32_t pack;     /* packed: #pragma pack(N) (N > 1) or packed (1); 0 if
                        * only members marked PS_MF_PACKED are */
    bool reported;     /* a top-level type the user asked about */
    ps_class cls;      /* own, dependency or standard library / system */
    bool cxx;          /* from a C++ unit: name and ctype are C++'s ("ns::T") */
    const char *fixed_reason; /* C++: why the ABI fixes this order (not
                               * standard-layout), or NULL */
    uint64_t size;
    uint32_t align;
    uint64_t ptr_bytes; /* Go: GC scan prefix */
    uint64_t go_type;   /* Go: address of its runtime type descriptor, or 0
                         * (heap profiles name types by it) */
    uint32_t first_member, nmembers;
} ps_struct;

/* A source file of a Go package, from its functions' decl_file (Go gives
 * types no location: the patch finds `type T struct` in these files). */
typedef struct ps_go_source {
    const char *package; /* import path ("main" for the main package) */
    const char *file;    /* as DWARF spells it: absolute, or -trimpath's */
} ps_go_source;

typedef struct ps_binary {
    const char *path;
    ps_arch arch;
    unsigned ptr_size;
    bool big_endian;
    bool has_go, has_c;
    const char *build_id;   /* hex, or NULL */
    const char *debug_file; /* the separate file the DWARF came from, or NULL */
    const char *layout_source; /* NULL: DWARF; "go_runtime_types": a Go binary
                                * without DWARF, read from its type descriptors */
    const char *go_version; /* "go1.19.8", or NULL */
    const char *source_root; /* absolute folder decl_files are relative to, or NULL */
    uint64_t go_descriptors; /* Go runtime type descriptors whose numbers were used */
    bool uses_cgo;             /* the symbol table shows cgo ... */
    bool uses_encoding_binary; /* ... or encoding/binary.Read/Write */
    uint32_t units;         /* DWARF units read */
    bool *sync_types_used;  /* per read option sync_types glob: did it name the
                             * type of a member (padscan.json checks it) */
    ps_vec structs;         /* ps_struct */
    ps_vec members;         /* ps_member, referenced by index ranges */
    ps_vec go_sources;      /* ps_go_source, one per file */
    ps_arena arena;         /* every string above */
} ps_binary;

void ps_binary_init(ps_binary *b, const char *path);
void ps_binary_free(ps_binary *b);

static inline ps_struct *ps_struct_at(const ps_binary *b, uint32_t i)
{
    return &PS_VEC_AT(&b->structs, ps_struct, i);
}

static inline ps_member *ps_members_of(const ps_binary *b, const ps_struct *s)
{
    return &PS_VEC_AT(&b->members, ps_member, s->first_member);
}

static inline uint64_t ps_member_bits(const ps_member *m)
{
    return m->bit_size ? m->bit_size : m->size * 8;
}

/* "unsigned int", "char [16]", "void (*)(int)", "[]string" */
void ps_member_type(const ps_member *m, ps_strbuf *out);
/* A declaration as the language writes it: "char name[16]" or
 * "Name [16]byte"; embedded Go fields are just their type. */
void ps_member_decl(const ps_member *m, ps_lang lang, ps_strbuf *out);
const char *ps_member_label(const ps_member *m); /* name, or "(anonymous)" */

/* Why a binary yielded no records, or NULL when it has some: a verdict
 * over nothing is no verdict.  (DWARF without types, and split DWARF whose
 * .dwo files are missing, are read errors already.) */
const char *ps_binary_why_empty(const ps_binary *b);

/* Does a glob (a budget rule, --type, a hot type) name this record, by
 * its qualified name or its C spelling? */
bool ps_type_matches(const char *pattern, const ps_struct *s);

/* A fence: explicit padding, a member aligned to a cache line or more, or
 * (C) a zero-size marker other than a trailing flexible array.  Fields
 * never move across a fence; the fence keeps its place in the order. */
bool ps_member_is_fence(const ps_member *m, ps_lang lang, bool last, unsigned cacheline);

/* Windows of `line` bytes of the object (offset / line) that hold two or
 * more synchronization fields, at the given bit positions and sizes (by
 * member index; NULL: as the record is laid out now). */
uint32_t ps_sync_shared_lines(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                              const uint64_t *size, unsigned line);

/* Go 1.N from a build-info version ("go1.26.1" -> 26); 0 when unknown. */
int ps_go_version_minor(const char *go_version);

const char *ps_arch_name(ps_arch arch);
const char *ps_lang_name(ps_lang lang);
const char *ps_class_name(ps_class c); /* "own", "dependency", "std" */
bool ps_class_parse(const char *name, ps_class *out);
/* cgo's Go mirror of a C type (_Ctype_struct_x, _Ctype_x): its layout is
 * the C declaration's, never the Go side's to reorder. */
bool ps_is_cgo_mirror(const ps_struct *s);
/* Length of the package path that qualifies a Go type name
 * ("example.com/dep.Conf[int]" -> 15), 0 for unqualified or literal
 * struct types. */
size_t ps_go_package_len(const char *name);

/* Target ABI rules (abi.c): alignment DWARF does not record. */
uint32_t ps_abi_scalar_align(ps_arch arch, unsigned ptr_size, uint64_t size,
                             bool is_complex);

/* infer_align.c: a C record's alignment from its layout (natural,
 * #pragma pack(N), packed members, over-aligned); sets s->align,
 * s->packed and s->pack, and PS_MF_PACKED on individually packed members. */
void ps_infer_c_align(ps_struct *s, ps_member *m, uint32_t explicit_align);

/* Go's reflect.Kind numbering, as DW_AT_go_kind carries it. */
enum ps_go_kind {
    PS_GO_BOOL = 1, PS_GO_INT, PS_GO_INT8, PS_GO_INT16, PS_GO_INT32,
    PS_GO_INT64, PS_GO_UINT, PS_GO_UINT8, PS_GO_UINT16, PS_GO_UINT32,
    PS_GO_UINT64, PS_GO_UINTPTR, PS_GO_FLOAT32, PS_GO_FLOAT64,
    PS_GO_COMPLEX64, PS_GO_COMPLEX128, PS_GO_ARRAY, PS_GO_CHAN, PS_GO_FUNC,
    PS_GO_INTERFACE, PS_GO_MAP, PS_GO_POINTER, PS_GO_SLICE, PS_GO_STRING,
    PS_GO_STRUCT, PS_GO_UNSAFE_POINTER,
};

uint32_t ps_go_kind_align(unsigned ptr_size, int go_kind);
uint64_t ps_go_kind_ptr_bytes(unsigned ptr_size, int go_kind);
ps_kind ps_go_kind_class(int go_kind);

#endif
