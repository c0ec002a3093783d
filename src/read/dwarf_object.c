/*
 * libdwarf's object-access interface over libelf's mapping of the file.
 * For linked binaries this hands libdwarf the debug sections in place —
 * no read() into copies, no pass over relocation sections that the linker
 * has already applied (the kernel's vmlinux keeps .rela.debug_*) — which
 * halves the time to read a large binary.  Compressed sections (zlib,
 * SHF_COMPRESSED or .zdebug_) are inflated once by libelf, when libdwarf
 * first loads them.  Debug sections
 * of relocatable objects are handed over as relocated copies.  With -j,
 * several compressed sections are inflated at once (inflate_all).  The same
 * sections serve every Dwarf_Debug of a parallel read (parallel.c): what
 * is inflated or relocated is done once, under a lock, and shared.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

typedef struct object_sections {
    ps_elf *elf;
    size_t count;
    bool relocatable;
    char **names;          /* .zdebug_x is presented as .debug_x */
    unsigned char **copies; /* relocated sections of a .o */
    unsigned char *state;   /* SEC_*: a compressed section is inflated when loaded */
    uint64_t *size;         /* its size once inflated */
    pthread_mutex_t lock;   /* libelf and the caches above, for worker handles */
} object_sections;

enum { SEC_UNSEEN, SEC_READY, SEC_PENDING };

static Elf_Scn *section_at(object_sections *o, ps_dwarf_secindex index, GElf_Shdr *sh)
{
    Elf_Scn *scn = index < o->count ? elf_getscn(o->elf->elf, index) : NULL;
    return scn && gelf_getshdr(scn, sh) ? scn : NULL;
}

static bool is_debug_name(const char *name)
{
    return !strncmp(name, ".debug_", 7) || !strncmp(name, ".zdebug_", 8);
}


static const char *section_name(object_sections *o, Elf_Scn *scn, const GElf_Shdr *sh)
{
    size_t shstrndx;
    return scn && elf_getshdrstrndx(o->elf->elf, &shstrndx) == 0
               ? elf_strptr(o->elf->elf, shstrndx, sh->sh_name) : NULL;
}

/* A compressed section's size once inflated, from its header; 0 if it
 * is not compressed, -1 if the header is unreadable. */
static int inflated_size(Elf_Scn *scn, const GElf_Shdr *sh, const char *name, uint64_t *size)
{
    if (sh->sh_flags & SHF_COMPRESSED) {
        GElf_Chdr ch;
        if (!gelf_getchdr(scn, &ch))
            return -1;
        *size = ch.ch_size;
        return 1;
    }
    if (strncmp(name, ".zdebug_", 8))
        return 0;
    Elf_Data *raw = elf_rawdata(scn, NULL);
    const unsigned char *p = raw ? raw->d_buf : NULL;
    if (!p || raw->d_size < 12 || memcmp(p, "ZLIB", 4))
        return -1;
    *size = 0;
    for (int i = 4; i < 12; i++)
        *size = *size << 8 | p[i];
    return 1;
}

/* Compressed debug sections are inflated when libdwarf loads them (most
 * never are: .debug_loc, .debug_frame, ...); their size is the header's. */
static int section_info_locked(object_sections *o, ps_dwarf_secindex index,
                               ps_dwarf_section *out, int *error)
{
    GElf_Shdr sh;
    Elf_Scn *scn = section_at(o, index, &sh);
    const char *name = section_name(o, scn, &sh);
    if (!scn || !name) {
        *error = DW_DLE_ELF_GETSHDR_ERROR;
        return DW_DLV_ERROR;
    }
    if (o->state[index] == SEC_UNSEEN) {
        int c = is_debug_name(name) ? inflated_size(scn, &sh, name, &o->size[index]) : 0;
        if (c < 0) {
            *error = DW_DLE_MDE;
            return DW_DLV_ERROR;
        }
        o->state[index] = c ? SEC_PENDING : SEC_READY;
        if (!strncmp(name, ".zdebug_", 8) && !o->names[index]) {
            o->names[index] = ps_xmalloc(strlen(name));
            strcpy(o->names[index], ".");
            strcat(o->names[index], name + 2);
        }
    }
    uint64_t size = o->state[index] == SEC_PENDING ? o->size[index] : sh.sh_size;
    if (o->state[index] == SEC_PENDING) /* libdwarf 0.x would inflate it again */
        sh.sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
    memset(out, 0, sizeof(*out));
    ps_dwarf_set_section(out, o->names[index] ? o->names[index] : name, &sh,
                         sh.sh_type == SHT_NOBITS ? 0 : size);
    return DW_DLV_OK;
}

static int section_info(void *obj, ps_dwarf_secindex index, ps_dwarf_section *out, int *error)
{
    object_sections *o = obj;
    pthread_mutex_lock(&o->lock);
    int rc = section_info_locked(o, index, out, error);
    pthread_mutex_unlock(&o->lock);
    return rc;
}

static int load_section_locked(object_sections *o, ps_dwarf_secindex index, Dwarf_Small **data,
                               int *error)
{
    static Dwarf_Small empty[1];
    GElf_Shdr sh;
    Elf_Scn *scn = section_at(o, index, &sh);
    if (scn && o->state[index] == SEC_PENDING) {
        const char *name = section_name(o, scn, &sh);
        if (!name || ps_elf_inflate(o->elf, scn, &sh, name) != 0 || sh.sh_size != o->size[index]) {
            *error = DW_DLE_MDE;
            return DW_DLV_ERROR;
        }
        o->state[index] = SEC_READY;
    }
    if (scn && (sh.sh_size == 0 || sh.sh_type == SHT_NOBITS)) {
        *data = empty;
        return DW_DLV_OK;
    }
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    if (!d || !d->d_buf || d->d_size < sh.sh_size) {
        *error = DW_DLE_MDE;
        return DW_DLV_ERROR;
    }
    if (o->relocatable && !o->copies[index]) {
        o->copies[index] = ps_elf_relocated_copy(o->elf, index, d->d_buf, sh.sh_size);
        if (!o->copies[index]) {
            *error = DW_DLE_RELOCS_ERROR;
            return DW_DLV_ERROR;
        }
    }
    *data = o->relocatable ? o->copies[index] : d->d_buf;
    return DW_DLV_OK;
}

static int load_section(void *obj, ps_dwarf_secindex index, Dwarf_Small **data, int *error)
{
    object_sections *o = obj;
    pthread_mutex_lock(&o->lock);
    int rc = load_section_locked(o, index, data, error);
    pthread_mutex_unlock(&o->lock);
    return rc;
}

static ps_dwarf_byte_order byte_order(void *obj)
{
    return ((object_sections *)obj)->elf->big_endian ? PS_DWARF_BIG_ENDIAN : PS_DWARF_LITTLE_ENDIAN;
}

static Dwarf_Small word_size(void *obj) { return (Dwarf_Small)((object_sections *)obj)->elf->ptr_size; }

static Dwarf_Unsigned section_count(void *obj) { return ((object_sections *)obj)->count; }

/* Unused with libdwarf 20210528, which has no file-size method. */
__attribute__((unused)) static Dwarf_Unsigned file_size(void *obj)
{
    return ((object_sections *)obj)->elf->file_size;
}

static const ps_dwarf_methods methods =
    PS_DWARF_METHODS(section_info, byte_order, word_size, word_size, file_size, section_count, load_section);

/* -j: the compressed debug sections every read loads are inflated by
 * several threads at once (each section by one; libelf keeps its state per
 * section), the largest first, before libdwarf asks for any. */
typedef struct inflate_pool {
    object_sections *o;
    size_t *index, n;
    atomic_size_t next;
} inflate_pool;

static void *inflate_worker(void *arg)
{
    inflate_pool *p = arg;
    for (size_t k; (k = atomic_fetch_add(&p->next, 1)) < p->n;) {
        size_t i = p->index[k];
        GElf_Shdr sh;
        size_t shstrndx;
        Elf_Scn *scn = section_at(p->o, i, &sh);
        const char *name = scn && elf_getshdrstrndx(p->o->elf->elf, &shstrndx) == 0
                               ? elf_strptr(p->o->elf->elf, shstrndx, sh.sh_name) : NULL;
        if (name && ps_elf_inflate(p->o->elf, scn, &sh, name) == 0) {
            if (!strncmp(name, ".zdebug_", 8)) {
                p->o->names[i] = ps_xmalloc(strlen(name));
                strcpy(p->o->names[i], ".");
                strcat(p->o->names[i], name + 2);
            }
            p->o->state[i] = SEC_READY;
        } /* a failure is section_info's to report */
    }
    return NULL;
}

static void inflate_all(object_sections *o, unsigned jobs)
{
    inflate_pool p = {.o = o, .index = ps_xmalloc((o->count + 1) * sizeof(size_t))};
    size_t shstrndx;
    uint64_t *size = ps_xmalloc((o->count + 1) * sizeof(uint64_t));
    for (size_t i = 1; i < o->count && elf_getshdrstrndx(o->elf->elf, &shstrndx) == 0; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = section_at(o, i, &sh);
        const char *name = scn ? elf_strptr(o->elf->elf, shstrndx, sh.sh_name) : NULL;
        static const char *const wanted[] = {"info", "abbrev", "line", "str", "line_str",
                                             "str_offsets", "types"};
        const char *base = !name ? NULL : !strncmp(name, ".debug_", 7) ? name + 7
                           : !strncmp(name, ".zdebug_", 8) ? name + 8 : NULL;
        bool want = false;
        for (size_t w = 0; base && w < PS_ARRAY_LEN(wanted); w++)
            want |= !strcmp(base, wanted[w]);
        if (want && ((sh.sh_flags & SHF_COMPRESSED) || !strncmp(name, ".zdebug_", 8))) {
            size_t k = p.n++; /* insertion by size, largest first */
            while (k > 0 && size[k - 1] < sh.sh_size) {
                p.index[k] = p.index[k - 1];
                size[k] = size[k - 1];
                k--;
            }
            p.index[k] = i;
            size[k] = sh.sh_size;
        }
    }
    free(size);
    if (p.n >= 2) {
        size_t nt = jobs < p.n ? jobs : p.n;
        pthread_t *t = ps_xmalloc(nt * sizeof(pthread_t));
        size_t started = 0;
        for (; started + 1 < nt; started++)
            if (pthread_create(&t[started], NULL, inflate_worker, &p) != 0)
                break;
        inflate_worker(&p);
        for (size_t i = 0; i < started; i++)
            pthread_join(t[i], NULL);
        free(t);
    }
    free(p.index);
}

/* libdwarf keeps every allocation in a search tree, to free at
 * dwarf_finish whatever its caller did not; the reader frees each DIE,
 * attribute and list it is given, so the tree is only cost (a fifth of a
 * vmlinux read).  The flag is libdwarf's global: set once. */
static pthread_once_t alloc_tracking_once = PTHREAD_ONCE_INIT;
static void no_alloc_tracking(void) { dwarf_set_de_alloc_flag(0); }

static int object_init(ps_dwarf_object *iface, void *obj, Dwarf_Debug *dbg, Dwarf_Error *err)
{
    pthread_once(&alloc_tracking_once, no_alloc_tracking);
    return ps_dwarf_object_init(iface, obj, &methods, dbg, err);
}

typedef struct object_access {
    object_sections *sections;
    bool owner; /* frees the sections' copies (a worker's handle does not) */
    ps_dwarf_object iface;
} object_access;

int rd_open_dwarf(reader *r)
{
    GElf_Ehdr eh;
    size_t count = 0;
    ps_elf *e = r->dwarf_elf;
    if (!gelf_getehdr(e->elf, &eh) || elf_getshdrnum(e->elf, &count) != 0 || count > 65535)
        return DW_DLV_NO_ENTRY;
    object_access *a = ps_arena_zalloc(&r->bin->arena, sizeof(*a));
    object_sections *o = a->sections = ps_arena_zalloc(&r->bin->arena, sizeof(*o));
    a->owner = true;
    o->elf = e;
    o->count = count;
    o->relocatable = eh.e_type == ET_REL;
    o->names = ps_arena_zalloc(&r->bin->arena, count * sizeof(char *));
    o->copies = ps_arena_zalloc(&r->bin->arena, count * sizeof(unsigned char *));
    o->state = ps_arena_zalloc(&r->bin->arena, count);
    o->size = ps_arena_zalloc(&r->bin->arena, count * sizeof(uint64_t));
    pthread_mutex_init(&o->lock, NULL);
    r->object = a;
    if (r->opts->jobs > 1 && !o->relocatable)
        inflate_all(o, r->opts->jobs);
    return object_init(&a->iface, o, &r->dbg, &r->err);
}

int rd_open_dwarf_shared(reader *r, const reader *owner)
{
    const object_access *from = owner->object;
    object_access *a = ps_arena_zalloc(&r->bin->arena, sizeof(*a));
    a->sections = from->sections;
    r->object = a;
    return object_init(&a->iface, a->sections, &r->dbg, &r->err);
}

void rd_close_dwarf(reader *r)
{
    object_access *a = r->object;
    if (r->dbg)
        ps_dwarf_object_finish(r->dbg);
    for (size_t i = 0; a && a->owner && i < a->sections->count; i++) {
        free(a->sections->names[i]);
        free(a->sections->copies[i]);
    }
    if (a && a->owner)
        pthread_mutex_destroy(&a->sections->lock);
    r->dbg = NULL;
    r->object = NULL;
}

/* The bytes of a debug section as libdwarf is given them (loaded now if it
 * was not yet), for the reader's own decoding (rawattrs.c); NULL for a
 * relocatable object, a section it lacks, or one that cannot be loaded. */
const unsigned char *rd_section_bytes(reader *r, const char *name, uint64_t *size)
{
    object_access *a = r->object;
    object_sections *o = a ? a->sections : NULL;
    if (!o || o->relocatable)
        return NULL;
    const unsigned char *out = NULL;
    pthread_mutex_lock(&o->lock);
    for (size_t i = 1; i < o->count && !out; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = section_at(o, i, &sh);
        const char *n = scn ? section_name(o, scn, &sh) : NULL;
        ps_dwarf_section info;
        Dwarf_Small *data = NULL;
        int error = 0;
        if (!n || sh.sh_type == SHT_NOBITS || !is_debug_name(n) ||
            section_info_locked(o, i, &info, &error) != DW_DLV_OK ||
            strcmp(o->names[i] ? o->names[i] : n, name) ||
            load_section_locked(o, i, &data, &error) != DW_DLV_OK || !section_at(o, i, &sh))
            continue;
        out = data;
        *size = sh.sh_size;
    }
    pthread_mutex_unlock(&o->lock);
    return out;
}
