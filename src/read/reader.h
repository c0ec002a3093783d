/*
 * Private state of the DWARF reader, shared by its files: dwarf.c walks
 * units, attrs.c decodes one DIE, types.c resolves and spells types,
 * records.c builds structs and unions into the model.
 */
#ifndef PADSCAN_READER_H
#define PADSCAN_READER_H

#include <setjmp.h>

#include "dwarf_compat.h"
#include "elf.h"
#include "padscan/read.h"

/* Everything padscan needs from one DIE, decoded in a single attribute
 * pass so that each DIE is visited once. */
typedef struct die_attrs {
    Dwarf_Half tag;
    const char *name;
    Dwarf_Off type;      /* global offset of DW_AT_type target */
    Dwarf_Bool type_is_info;
    bool has_type;
    bool type_external;  /* DW_AT_type points outside this unit */
    bool type_alt;       /* ... into the dwz alternate file (altfile.c) */
    bool has_signature;  /* a skeleton: the definition is in a type unit */
    Dwarf_Off sig_target;
    Dwarf_Bool sig_is_info;
    bool has_byte_size, has_member_loc, has_data_bit_offset, has_bit_offset;
    bool has_count, has_upper_bound, has_decl_file, declaration, embedded, vector;
    bool artificial, virtual_base, has_const;
    int64_t const_value; /* DW_AT_const_value (enumerators) */
    bool const_signed;   /* ... read from a signed form; else it is a uint64_t */
    int access; /* DW_AT_accessibility, 0 if absent */
    uint64_t byte_size, bit_size, data_bit_offset;
    int64_t bit_offset; /* DWARF 2/3: negative when a bitfield passes its unit's end */
    int64_t member_loc;
    uint64_t alignment, decl_file, decl_line, count;
    int64_t upper_bound;
    uint64_t go_runtime_type;
    int go_kind, encoding;
} die_attrs;

enum typeinfo_flags {
    TI_FLEXIBLE = 1 << 0,   /* array without bounds, or bound 0 */
    TI_ALIGN64 = 1 << 1,    /* Go's atomic align64 marker type */
    TI_HOSTLAYOUT = 1 << 2, /* Go's structs.HostLayout */
    TI_BUSY = 1 << 3,       /* layout being computed: a cycle is malformed DWARF */
    TI_LAYOUT = 1 << 4,     /* size/align/record are known */
    TI_SYNC = 1 << 5,       /* an atomic or a lock (sync_types.c) */
};

typedef struct typeinfo {
    const char *head, *tail; /* C spelling around a declarator name */
    uint64_t size, ptr_bytes, count;
    uint32_t align, record, flags;
    ps_kind kind;
    int go_kind;
    /* C enums: the enumerators, "{ A = 0, B = 7 }" (enums.c), where the
     * enum is declared (file index + 1, 0 if unknown; line) and whether it
     * is anonymous: the C export prints a definition declared in place */
    const char *enum_body;
    uint64_t enum_file, enum_line;
    bool enum_anon;
} typeinfo;

typedef struct cu_files {
    char **names;
    const char **paths; /* names[i] normalized and interned, lazily */
    const char *comp_dir;
    Dwarf_Signed count;
    int version;
} cu_files;

typedef struct unit_scan {
    ps_vec named, anonymous; /* uint64_t DIE keys */
} unit_scan;

/* A compile unit for a parallel read: its offset, DIE key and bytes. */
typedef struct rd_unit_job {
    uint64_t off, key, size;
} rd_unit_job;

struct rd_progress;

typedef struct reader {
    ps_binary *bin;
    ps_elf elf;        /* the binary: build info, symbols, Go descriptors */
    ps_elf debug_elf;  /* its separate debug file, when it has one */
    ps_elf *dwarf_elf; /* where the DWARF is read from: &elf or &debug_elf */
    ps_elf split_elf;  /* the .dwo or .dwp being read (split.c) */
    Dwarf_Debug main_dbg; /* the binary's, while a split file is read */
    void *main_object;
    ps_vec dwo_units;  /* split.c's dwo_ref: skeleton units' files */
    uint64_t unit_dwo_id; /* of the split unit being read, or 0 */
    uint64_t type_dies;   /* top-level types seen: 0 means line tables only */
    ps_elf alt_elf;    /* dwz's alternate file (.gnu_debugaltlink, .debug_sup) */
    Dwarf_Debug alt_dbg;
    void *alt_object;
    bool cur_alt;      /* the DIE being read is the alternate file's */
    bool walking_alt;  /* reading the alternate file's units */
    const char *main_comp_dir; /* the binary's first unit's: alternate units have none */
    Dwarf_Debug dbg;
    Dwarf_Error err;
    void *object; /* dwarf_object.c's access interface, or NULL */
    const ps_read_options *opts;
    jmp_buf fail;
    char *errbuf;
    size_t errlen;
    int depth;
    ps_lang cu_lang;
    bool cu_cxx;       /* the unit is C++ (its records: cxx.c) */
    ps_map cxx_names;  /* C++: DIE key -> qualified name ("ns::Outer::Inner"), per unit */
    ps_arena cu_arena; /* typeinfo of the current unit */
    ps_map types;      /* DIE key -> typeinfo*, per unit */
    ps_map typedef_names; /* DIE key -> name of a typedef naming it, per unit */
    ps_map variable_names; /* anonymous record DIE key -> a variable of it, per unit */
    ps_map extern_names;  /* the same for DIEs in other (type) units */
    ps_map files;      /* unit DIE key -> cu_files* */
    ps_map dedup;      /* record key hash -> struct index + 1 */
    ps_map strings;    /* interned strings */
    ps_vec scratch;    /* ps_member stack while records are built */
    ps_strbuf enum_text; /* text of one enum (enums.c) or member list (records.c),
                          * freed by reader_free also when a read fails */
    ps_vec type_units; /* unit DIE keys, read after the compile units */
    ps_vec deferred;   /* anonymous records at a type unit's top level */
    ps_map anon_built; /* anonymous records of type units already read */
    bool in_type_unit;
    ps_map methods;    /* Go: type name hash -> method_site*, where a method is */
    ps_map go_sources; /* Go: file hash -> file, the files in bin->go_sources */
    ps_map go_dirs;    /* Go: directories of the line tables' files (ownership.c) */
    ps_vec go_dir_list;
    const char *goroot_src; /* Go: GOROOT/src as the runtime's files name it */
    const char *go_root;    /* Go: the main module's folder (ownership.c), or NULL */
    char *root;        /* paths.c: common directory of the units so far */
    bool no_root;      /* ... or a unit said there is none */
    ps_map go_desc_seen; /* Go: runtime type descriptors used (offset + 1) */
    struct {
        ps_elf *elf;
        const char *name;
        Elf_Data *data;
    } sections[4];     /* linefiles.c: sections each unit's line table needs */
    bool worker;       /* a parallel read's worker (parallel.c) ... */
    ps_vec events;     /* ... logging rd_event: every record its units reach, as reached, */
    ps_vec unit_events; /* ... and where each unit's start in events (size_t) */
    ps_vec unit_jobs;  /* the compile units being listed for workers (the reader's:
                        * a failed read longjmps past the lister's frame) */
    struct rd_progress *progress; /* units read so far, for opts->progress */
    void *parallel;    /* parallel.c's workers while they are merged ... */
    struct rd_merge *merge;
    size_t nparallel;
    uint64_t reread_units; /* ... and how many units had to be read again */
    uint64_t walk;     /* parallel.c: where libdwarf's walk over the units is */
    bool no_sibling_attrs; /* validate.c: the binary's DWARF has no DW_AT_sibling */
    ps_vec live;           /* Dwarf_Die: the DIEs held (rd_hold) */
    Dwarf_Attribute *held_attrs; /* the attribute list rd_attrs is reading */
    Dwarf_Signed held_nattrs;
    struct rd_raw *raw;    /* rawattrs.c: its own decoding of .debug_info, or NULL */
    uint64_t raw_dies, libdwarf_dies; /* DIEs whose attributes each decoder read */
} reader;

/* dwarf.c: frees the tables of a reader (also a parallel worker's). */
void rd_free_tables(reader *r);
/* dwarf.c: frees the per-unit tables (kept between units). */
void rd_free_unit(reader *r);

/* Aborts the read with "path: malformed DWARF: ..." (or the given text). */
_Noreturn void rd_fail(reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void rd_dwarf_fail(reader *r, const char *what);

/* A DIE's key: its offset + 1, bit 63 for .debug_types, bit 62 for a DIE
 * of the dwz alternate file. */
#define RD_KEY_ALT (1ULL << 62)
#define RD_KEY_FLAGS (3ULL << 62)

static inline uint64_t die_key(Dwarf_Off off, Dwarf_Bool is_info)
{
    return (off + 1) | (is_info ? 0 : (1ULL << 63));
}

struct reader;
/* The handle the DIE being read belongs to. */
#define rd_dbg(r) ((r)->cur_alt && (r)->alt_dbg ? (r)->alt_dbg : (r)->dbg)

/* struct, union, class */
static inline bool rd_is_record_tag(Dwarf_Half tag)
{
    return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

static inline uint64_t rd_type_key(const die_attrs *a)
{
    return die_key(a->type, a->type_is_info) | (a->type_alt ? RD_KEY_ALT : 0);
}

void rd_attrs(reader *r, Dwarf_Die die, die_attrs *a);

/* One attribute's value, as libdwarf (attrs.c) or the reader's own decoding
 * (rawattrs.c) gives it; rd_apply_attr reads it into die_attrs, so both
 * mean the same.  DW_AT_type and DW_AT_signature are each decoder's own. */
typedef struct rd_attr_value {
    Dwarf_Half at;
    bool has_const, is_signed; /* a constant form: data1-8, udata (unsigned), sdata, implicit_const */
    int64_t value;
    const char *str;           /* a string form */
    const unsigned char *block; /* exprloc or block: its bytes */
    uint64_t block_len;
    bool flag;                 /* flag, flag_present */
    bool has_addr;             /* DW_FORM_addr */
    uint64_t addr;
} rd_attr_value;
void rd_apply_attr(reader *r, die_attrs *a, const rd_attr_value *v);
/* rawattrs.c: the attributes of a DIE of the binary's own .debug_info,
 * decoded from its bytes; false: libdwarf must (another section or file, a
 * form it leaves to libdwarf, bytes it cannot trust). */
bool rd_raw_attrs(reader *r, Dwarf_Die die, die_attrs *a);
/* The same for the DIE of key, without a Dwarf_Die: only in the unit the
 * reader's decoding was last in (where a unit's references mostly lead). */
bool rd_raw_attrs_at(reader *r, uint64_t key, die_attrs *a);
/* The DIE's offset, and its DW_AT_sibling's target: 1, 0 if it has none,
 * -1 if libdwarf must say. */
int rd_raw_sibling(reader *r, Dwarf_Die die, uint64_t *here, uint64_t *there);
/* The reader's own walk over the same DIEs (keys): 1 and the first child's
 * or the next sibling's key and tag, 0 when there is none, -1 when libdwarf must
 * walk (see walk.c). */
int rd_raw_first_child(reader *r, uint64_t key, uint64_t *child, Dwarf_Half *tag);
int rd_raw_next_sibling(reader *r, uint64_t key, uint64_t *next, Dwarf_Half *tag);
Dwarf_Half rd_raw_tag(reader *r, uint64_t key);          /* 0: libdwarf's to say */
uint64_t rd_raw_unit_key(reader *r, uint64_t key);       /* its unit DIE's key, or 0 */
bool rd_raw_sync(reader *r, Dwarf_Die die); /* the own walk goes on in die's unit */
/* The unit the own decoding was in is read: its bytes' pages of the file
 * leave memory (a kernel's .debug_info is 170 MB). */
void rd_raw_unit_done(reader *r);
void rd_raw_free(reader *r);

/* walk.c: a DIE as the reader walks it, by key; libdwarf's handle for it
 * only once a libdwarf call needs one (rd_node_die), which the node holds
 * until rd_node_let_go. */
typedef struct rd_node {
    uint64_t key; /* 0 until asked for, on libdwarf's walk */
    Dwarf_Die die;
} rd_node;
Dwarf_Die rd_node_die(reader *r, rd_node *n);
uint64_t rd_node_key(reader *r, rd_node *n);
void rd_node_let_go(reader *r, rd_node *n);
/* The children of a DIE, in order: the reader's own walk where it decodes
 * the unit, libdwarf's from the first child it cannot.
 *   for (rd_kids_open(r, parent, "members", &k); rd_kids_next(r, &k);) { k.tag ... }
 * A walk left before its end leaves its DIE held (freed with the rest,
 * rd_let_go_all); the walks here all run to the end. */
typedef struct rd_kids {
    rd_node *parent;
    const char *what; /* for libdwarf's errors: "members" */
    rd_node cur;
    Dwarf_Half tag;
    bool started, own;
} rd_kids;
void rd_kids_open(reader *r, rd_node *parent, const char *what, rd_kids *k);
bool rd_kids_next(reader *r, rd_kids *k);
void rd_kids_attrs(reader *r, rd_kids *k, die_attrs *a);
/* Every Dwarf_Die the reader holds is in r->live until it lets it go, so
 * that a failed read (rd_fail's longjmp past the frames holding them)
 * still frees them: libdwarf's own record of its allocations, which would,
 * is off for speed (dwarf_object.c).  rd_offdie, rd_child and
 * rd_next_sibling hold what they return. */
void rd_hold(reader *r, Dwarf_Die die);
void rd_let_go(reader *r, Dwarf_Die die);
void rd_let_go_all(reader *r);
int rd_child(reader *r, Dwarf_Die die, Dwarf_Die *child);
/* Frees the error a tolerated libdwarf failure left in r->err. */
void rd_forget_error(reader *r);
Dwarf_Die rd_offdie(reader *r, uint64_t key);
/* The attributes of the DIE of key; returns the DIE (held) when libdwarf had
 * to be asked for it, else NULL. */
Dwarf_Die rd_attrs_at(reader *r, uint64_t key, die_attrs *a);
uint64_t rd_key_of(reader *r, Dwarf_Die die);
const char *rd_intern(reader *r, const char *s);
const char *rd_intern_cat(reader *r, const char *a, const char *b);
const char *rd_typedef_name(reader *r, uint64_t key);
const char *rd_decl_file(reader *r, rd_node *n, uint64_t index);
cu_files *rd_unit_files(reader *r, rd_node *n);
/* dwarf_srcfiles' names copied into the model's arena and libdwarf's
 * freed: its own record of them is off (dwarf_object.c). */
void rd_own_srcfiles(reader *r, Dwarf_Debug dbg, char ***names, Dwarf_Signed count);

/* paths.c: one spelling per source file, relative to the source root. */
char *rd_normalize_path(const char *in); /* heap string */
const char *rd_file_path(reader *r, const char *raw, const char *comp_dir, int version);
char *rd_unit_string(reader *r, Dwarf_Die cu, Dwarf_Half attr); /* libdwarf's, or NULL */
void rd_note_unit_dirs(reader *r, Dwarf_Die cu);
void rd_relativize(reader *r);

/* dwarf_object.c: open the debug sections in place (or through libdwarf's
 * own reader for relocatable objects); DW_DLV_* like dwarf_init_b. */
int rd_open_dwarf(reader *r);
/* Another handle over the sections owner opened (each thread its own). */
int rd_open_dwarf_shared(reader *r, const reader *owner);
void rd_close_dwarf(reader *r);
const unsigned char *rd_section_bytes(reader *r, const char *name, uint64_t *size);

/* parallel.c: a binary's compile units read by opts->jobs threads, each
 * with its own Dwarf_Debug and model, merged in unit order. */
bool rd_parallel_possible(const reader *r);
void rd_read_units_parallel(reader *r, const rd_unit_job *jobs, size_t n, unit_scan *scan);
void rd_parallel_free(reader *r);
void rd_read_unit(reader *r, Dwarf_Die cu, unit_scan *scan); /* dwarf.c */
void rd_merge_methods(reader *r, const reader *from);        /* dwarf.c */
void rd_merge_go_sources(reader *r, const reader *from);     /* dwarf.c */
void rd_merge_go_dirs(reader *r, const reader *from);        /* ownership.c */
void rd_merge_free(reader *r);
/* A worker's log of how its units reached records (records.c): read (NEW:
 * its members' records are the events inside it), found already (FOUND:
 * inside it, the anonymous members reached as rd_record reaches them), or
 * a top-level type whose record the unit had reached before (MEMO). */
enum { RD_EV_NEW, RD_EV_FOUND, RD_EV_MEMO };
typedef struct rd_event {
    uint32_t record; /* the worker's record index */
    uint32_t end;    /* the event after this one's inside */
    uint32_t kind;
} rd_event;
typedef struct rd_merge {
    const ps_binary *from;        /* a worker's model */
    const rd_event *events;
    uint32_t *map;                /* its record -> r's, PS_NONE until merged */
    unsigned char *skipped;       /* read inside a record r had already */
    ps_vec mapped;                /* uint32_t: what map[] got in this unit */
    bool diverged;                /* names from here on are not one thread's */
} rd_merge;
/* records.c: replays the events [from, to) of one unit into r's model. */
void rd_merge_events(reader *r, rd_merge *mc, size_t from, size_t to);
/* Progress (opts->progress): the units of the binary, one more read. */
void rd_progress_start(reader *r);
void rd_progress_unit(reader *r);
void rd_progress_end(reader *r);

/* split.c: skeleton units name .dwo files; after the binary's own units,
 * each split file (or the BINARY.dwp package) is walked with walk(r, ctx). */
typedef void (*rd_walk_fn)(reader *r, void *ctx);
void rd_note_skeleton(reader *r, Dwarf_Die cu, uint64_t dwo_id);
uint64_t rd_dwo_id(reader *r, Dwarf_Die cu, const Dwarf_Sig8 *header_sig);
int rd_skeleton_files(reader *r, uint64_t dwo_id, char ***names, Dwarf_Signed *count);
/* linefiles.c: the file names of a split unit, joined with their
 * directories as dwarf_srcfiles joins them; 0, or -1 if unreadable. */
int rd_split_unit_files(reader *r, Dwarf_Die cu, const char *comp_dir, char ***names,
                        Dwarf_Signed *count);
/* Refuses a unit whose line table names directories it does not have. */
void rd_check_line_table(reader *r, Dwarf_Die cu);
void rd_read_split_units(reader *r, const char *binary, rd_walk_fn walk, void *ctx);

/* altfile.c: opens the dwz alternate file the DWARF file names (if any)
 * and ties it for strings; reads its units. */
void rd_open_alt(reader *r, const char *dwarf_path);
void rd_read_alt_units(reader *r, rd_walk_fn walk, void *ctx);
void rd_close_alt(reader *r);
bool rd_alt_ref(reader *r, Dwarf_Die die, Dwarf_Attribute at, Dwarf_Half form, Dwarf_Off *off);

/* cxx.c: C++ scopes, base subobjects, and what makes a class's order the
 * ABI's rather than the programmer's. */
void rd_cxx_scan_scope(reader *r, Dwarf_Die scope, const char *prefix, int depth,
                       void (*found)(reader *r, Dwarf_Die die, void *ctx), void *ctx);
const char *rd_cxx_name(reader *r, uint64_t key, const char *name);
/* Returns the member count (indirect virtual bases are added). */
uint32_t rd_cxx_layout(reader *r, ps_struct *s, size_t base, bool mixed_access);

/* records.c: appends the record and the members scratch holds from base;
 * its index.  Explicit padding by the naming rule of docs/suggest.md. */
uint32_t rd_commit_record(reader *r, ps_struct *proto, size_t base);
bool rd_is_padding(const char *name, const char *type);

/* gort.c: Go binaries without DWARF, read from their runtime type data. */
bool rd_is_go_binary(ps_elf *e);
void rd_read_go_runtime(reader *r);

/* types.c */
typeinfo *rd_type(reader *r, uint64_t key, bool need_layout, const char *parent);
void rd_go_descriptor(reader *r, const die_attrs *a, uint64_t size, uint32_t *align,
                      uint64_t *ptr_bytes);

/* ownership.c: whose each record is (ps_class) */
void rd_note_go_unit(reader *r, Dwarf_Die cu);
void rd_classify(reader *r);
/* sync_types.c: is a type of this name an atomic or a lock? */
bool rd_is_sync_type(const reader *r, const char *name);
bool rd_is_sync_record(reader *r, bool is_union, const char *tag);

/* validate.c: the bounds of a believable layout.  2^28 is the largest
 * alignment gcc accepts for ELF targets; 2^56 bytes is more than any
 * target's address space, and keeps bit positions (times 8) and sums of
 * two of them inside 64 bits.  Every function fails the read (exit 2)
 * instead of returning an impossible value. */
#define RD_MAX_ALIGN (1ULL << 28)
#define RD_MAX_BYTES (1ULL << 56)
#define RD_MAX_BITS (RD_MAX_BYTES * 8)
uint64_t rd_add(reader *r, uint64_t a, uint64_t b, const char *what);
uint64_t rd_mul(reader *r, uint64_t a, uint64_t b, const char *what);
uint64_t rd_bytes(reader *r, uint64_t bytes, const char *what);
uint32_t rd_align(reader *r, uint64_t align, const char *what);
int rd_next_sibling(reader *r, Dwarf_Die die, Dwarf_Die *next);
void rd_note_sibling_attrs(reader *r);

/* A C enum's enumerators as a C enumerator list (enums.c). */
const char *rd_enum_body(reader *r, rd_node *die, uint64_t byte_size);
void rd_check_record(reader *r, const ps_struct *s, const ps_member *m, uint32_t n);

/* records.c */
uint32_t rd_record(reader *r, rd_node *die, const die_attrs *a, uint64_t key,
                   const char *parent);
void rd_note_variable(reader *r, const die_attrs *a);

#endif
