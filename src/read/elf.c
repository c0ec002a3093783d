/*
 * ELF probing with libelf.  Validation happens here, before libdwarf sees
 * the file, so that a truncated or foreign file gets one precise sentence
 * instead of a libdwarf error code.
 */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static ps_arch arch_of(unsigned machine, unsigned elfclass)
{
    switch (machine) {
    case EM_X86_64: return elfclass == ELFCLASS64 ? PS_ARCH_X86_64 : PS_ARCH_UNKNOWN;
    case EM_386: return PS_ARCH_I386;
    case EM_AARCH64: return PS_ARCH_AARCH64;
    case EM_ARM: return PS_ARCH_ARM;
    case EM_RISCV: return elfclass == ELFCLASS64 ? PS_ARCH_RISCV64 : PS_ARCH_UNKNOWN;
    case EM_PPC64: return PS_ARCH_PPC64;
    case EM_S390: return PS_ARCH_S390X;
    case EM_MIPS: return PS_ARCH_MIPS;
    default: return PS_ARCH_UNKNOWN;
    }
}

static const char *section_name(ps_elf *e, GElf_Shdr *sh)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(e->elf, &shstrndx) != 0)
        return NULL;
    return elf_strptr(e->elf, shstrndx, sh->sh_name);
}

/* Every section with file contents must lie inside the file: the cheapest
 * reliable test for truncation. */
static int check_sections(ps_elf *e, char *err, size_t errlen)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e->elf, scn))) {
        if (!gelf_getshdr(scn, &sh)) {
            snprintf(err, errlen, "malformed ELF section header");
            return -1;
        }
        const char *name = section_name(e, &sh);
        if (sh.sh_type != SHT_NOBITS && sh.sh_offset + sh.sh_size > e->file_size) {
            snprintf(err, errlen, "truncated file: section %s extends past the end (%llu > %llu bytes)",
                     name ? name : "?", (unsigned long long)(sh.sh_offset + sh.sh_size),
                     (unsigned long long)e->file_size);
            return -1;
        }
        if (name && (!strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info")))
            e->has_dwarf = sh.sh_type != SHT_NOBITS && sh.sh_size > 0;
        if (name && !strncmp(name, ".gnu.lto_", 9))
            e->lto_ir = true;
    }
    return 0;
}

static int read_header(ps_elf *e, char *err, size_t errlen)
{
    GElf_Ehdr eh;
    if (elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &eh)) {
        snprintf(err, errlen, "not an ELF file");
        return -1;
    }
    unsigned elfclass = eh.e_ident[EI_CLASS];
    e->ptr_size = elfclass == ELFCLASS64 ? 8 : 4;
    e->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
    e->arch = arch_of(eh.e_machine, elfclass);
    if (eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize > e->file_size) {
        snprintf(err, errlen, "truncated file: section headers extend past the end");
        return -1;
    }
    return 0;
}

static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO"
         : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
         : S_ISSOCK(mode) ? "a socket" : "not a file";
}

/* What a file that is not ELF is, when padscan can tell: one sentence. */
static const char *foreign_format(const unsigned char *m, uint64_t size)
{
    uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    if (be == 0xfeedface || be == 0xfeedfacf || be == 0xcefaedfe || be == 0xcffaedfe ||
        be == 0xcafebabe)
        return "a Mach-O (macOS) file: padscan reads only ELF binaries (Linux and other "
               "ELF systems)";
    if (m[0] == 'M' && m[1] == 'Z')
        return "a PE/COFF (Windows) file: padscan reads only ELF binaries (Linux and other "
               "ELF systems)";
    if (size >= 8 && !memcmp(m, "!<arch>\n", 8))
        return "an ar archive (.a): padscan reads executables, shared objects and single .o "
               "files; extract the members (ar x) or give the linked binary";
    return "not an ELF file";
}

int ps_elf_open(ps_elf *e, const char *path, char *err, size_t errlen)
{
    memset(e, 0, sizeof(*e));
    e->fd = -1;
    e->guard = -1;
    struct stat st;
    /* A FIFO or device is refused before it is opened (opening a FIFO
     * blocks until a writer comes); O_NONBLOCK covers a swap in between. */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file (%s)", file_kind(st.st_mode));
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    e->fd = fd;
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file (%s)", file_kind(st.st_mode));
        return -1;
    }
    e->file_size = (uint64_t)st.st_size;
    unsigned char ident[EI_NIDENT] = {0};
    if (pread(fd, ident, EI_NIDENT, 0) < 4 || memcmp(ident, ELFMAG, SELFMAG) != 0) {
        snprintf(err, errlen, "%s", e->file_size < 4 ? "not an ELF file (shorter than 4 bytes)"
                                                     : foreign_format(ident, e->file_size));
        return -1;
    }
    uint64_t header = pread(fd, ident, EI_NIDENT, 0) == EI_NIDENT && ident[EI_CLASS] == ELFCLASS32
                          ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    if (e->file_size < header) {
        snprintf(err, errlen, "truncated file: %llu bytes, shorter than an ELF header",
                 (unsigned long long)e->file_size);
        return -1;
    }
    elf_version(EV_CURRENT);
    e->elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (!e->elf) {
        snprintf(err, errlen, "unreadable ELF file: %s", elf_errmsg(-1));
        return -1;
    }
    size_t mapped = 0;
    const char *image = elf_rawfile(e->elf, &mapped);
    e->guard = ps_mapguard_add(image, mapped);
    if (read_header(e, err, errlen) != 0 || check_sections(e, err, errlen) != 0)
        return -1;
    return 0;
}

bool ps_elf_truncated(const ps_elf *e) { return ps_mapguard_hit(e->guard); }

void ps_elf_close(ps_elf *e)
{
    ps_mapguard_remove(e->guard);
    e->guard = -1;
    if (e->elf)
        elf_end(e->elf);
    if (e->fd >= 0)
        close(e->fd);
    e->elf = NULL;
    e->fd = -1;
}

static Elf_Scn *find_section(ps_elf *e, const char *want, GElf_Shdr *sh)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e->elf, scn))) {
        const char *name;
        /* In a debug-only file (objcopy --only-keep-debug) the loaded
         * sections are SHT_NOBITS: their names remain, their bytes do not. */
        if (gelf_getshdr(scn, sh) && sh->sh_type != SHT_NOBITS &&
            (name = section_name(e, sh)) && !strcmp(name, want))
            return scn;
    }
    return NULL;
}

/* The compressed bytes of an inflated section are not read again: their
 * pages of libelf's read-only mapping leave the process's memory (a later
 * read would fault them in from the file again), so that a Go binary's
 * compressed DWARF is not held twice. */
static void drop_file_pages(ps_elf *e, uint64_t off, uint64_t size)
{
    size_t mapped = 0;
    char *image = elf_rawfile(e->elf, &mapped);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (!image || !page || off > mapped || size > mapped - off)
        return;
    uintptr_t from = ((uintptr_t)image + off + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)image + off + size) & ~(page - 1);
    if (to > from)
        madvise((void *)from, to - from, MADV_DONTNEED);
}

void ps_elf_drop_read(ps_elf *e, const void *p, uint64_t size)
{
    size_t mapped = 0;
    const char *image = e && e->elf ? elf_rawfile(e->elf, &mapped) : NULL;
    if (image && (const char *)p >= image && (const char *)p < image + mapped)
        drop_file_pages(e, (uint64_t)((const char *)p - image), size);
}

int ps_elf_inflate(ps_elf *e, Elf_Scn *scn, GElf_Shdr *sh, const char *name)
{
    GElf_Shdr before = *sh;
    if (sh->sh_flags & SHF_COMPRESSED) {
        if (elf_compress(scn, 0, 0) < 0)
            return -1;
    } else if (name && !strncmp(name, ".zdebug_", 8)) {
        if (elf_compress_gnu(scn, 0, 0) < 0)
            return -1;
    } else {
        return 0;
    }
    if (!gelf_getshdr(scn, sh))
        return -1;
    drop_file_pages(e, before.sh_offset, before.sh_size);
    return 0;
}

Elf_Data *ps_elf_section(ps_elf *e, const char *name, GElf_Shdr *sh)
{
    Elf_Scn *scn = find_section(e, name, sh);
    if (scn && (sh->sh_flags & SHF_COMPRESSED) && /* inflated once, in libelf's memory */
        ps_elf_inflate(e, scn, sh, NULL) != 0)
        return NULL;
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    return d && d->d_buf ? d : NULL;
}

static char *hex(ps_arena *a, const unsigned char *p, size_t n)
{
    char *s = ps_arena_alloc(a, n * 2 + 1);
    for (size_t i = 0; i < n; i++)
        sprintf(s + 2 * i, "%02x", p[i]);
    s[2 * n] = '\0';
    return s;
}

/* GNU build id (hex), or else the Go build id string. */
const char *ps_elf_build_id(ps_elf *e, ps_arena *a)
{
    static const struct { const char *section, *owner; unsigned type; bool text; } kinds[] = {
        {".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID, false},
        {".note.go.buildid", "Go", 4, true},
    };
    for (size_t k = 0; k < PS_ARRAY_LEN(kinds); k++) {
        GElf_Shdr sh;
        Elf_Scn *scn = find_section(e, kinds[k].section, &sh);
        Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
        if (!d)
            continue;
        GElf_Nhdr nh;
        size_t off = 0, name_off, desc_off;
        while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
            const char *owner = (const char *)d->d_buf + name_off;
            const unsigned char *desc = (const unsigned char *)d->d_buf + desc_off;
            if (nh.n_type != kinds[k].type || strncmp(owner, kinds[k].owner, nh.n_namesz))
                continue;
            return kinds[k].text ? ps_arena_strndup(a, (const char *)desc, nh.n_descsz)
                                 : hex(a, desc, nh.n_descsz);
        }
    }
    return NULL;
}

uint64_t ps_elf_word(const ps_elf *e, const unsigned char *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = e->big_endian ? (size - 1 - i) * 8 : i * 8;
        v |= (uint64_t)p[i] << shift;
    }
    return v;
}

bool ps_elf_read_vaddr(ps_elf *e, uint64_t addr, void *buf, size_t n)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e->elf, scn))) {
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS)
            continue;
        if (addr < sh.sh_addr || addr + n > sh.sh_addr + sh.sh_size)
            continue;
        uint64_t off = sh.sh_offset + (addr - sh.sh_addr);
        return pread(e->fd, buf, n, (off_t)off) == (ssize_t)n;
    }
    return false;
}

static uint64_t uvarint(const unsigned char **p, const unsigned char *end)
{
    uint64_t v = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* The build info's module text ("path", "mod", "dep", "=>" and "build"
 * lines): Go 1.18+ stores it after the version as a varint-prefixed
 * string, older releases through a pointer to a string header.  Both wrap
 * it in 16 sentinel bytes at either end. */
const char *ps_elf_go_modinfo(ps_elf *e, ps_arena *a)
{
    static const char magic[] = "\xff Go buildinf:";
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(e, ".go.buildinfo", &sh);
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    if (!d || d->d_size < 32 || memcmp(d->d_buf, magic, 14) != 0)
        return NULL;
    const unsigned char *p = (const unsigned char *)d->d_buf + 32, *end = (const unsigned char *)d->d_buf + d->d_size;
    const char *text = NULL;
    uint64_t len = 0;
    unsigned ptr_size = ((const unsigned char *)d->d_buf)[14];
    if (((const unsigned char *)d->d_buf)[15] & 2) {
        len = uvarint(&p, end);
        if (len > (uint64_t)(end - p))
            return NULL;
        p += len;
        len = uvarint(&p, end);
        if (len > (uint64_t)(end - p))
            return NULL;
        text = (const char *)p;
    } else if (ptr_size == 4 || ptr_size == 8) {
        unsigned char hdr[16];
        uint64_t at = ps_elf_word(e, (const unsigned char *)d->d_buf + 16 + ptr_size, ptr_size);
        if (!ps_elf_read_vaddr(e, at, hdr, 2 * ptr_size))
            return NULL;
        uint64_t data = ps_elf_word(e, hdr, ptr_size);
        len = ps_elf_word(e, hdr + ptr_size, ptr_size);
        if (len > (1u << 24))
            return NULL;
        char *buf = ps_arena_alloc(a, len + 1);
        if (!ps_elf_read_vaddr(e, data, buf, len))
            return NULL;
        text = buf;
    }
    if (!text || len < 33 || text[len - 17] != '\n')
        return NULL;
    return ps_arena_strndup(a, text + 16, len - 32);
}

/* .go.buildinfo: a 32-byte header, then (Go 1.18+) the version as a
 * varint-prefixed string, or (older) a pointer to a string header. */
const char *ps_elf_go_version(ps_elf *e, ps_arena *a)
{
    static const char magic[] = "\xff Go buildinf:";
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(e, ".go.buildinfo", &sh);
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    if (!d || d->d_size < 32 || memcmp(d->d_buf, magic, 14) != 0)
        return NULL;
    const unsigned char *p = d->d_buf, *end = p + d->d_size;
    unsigned ptr_size = p[14];
    if (p[15] & 2) {
        const unsigned char *q = p + 32;
        uint64_t len = uvarint(&q, end);
        return len <= (uint64_t)(end - q) ? ps_arena_strndup(a, (const char *)q, len) : NULL;
    }
    if (ptr_size != 4 && ptr_size != 8)
        return NULL;
    unsigned char hdr[16];
    uint64_t str_addr = ps_elf_word(e, p + 16, ptr_size);
    if (!ps_elf_read_vaddr(e, str_addr, hdr, 2 * ptr_size))
        return NULL;
    uint64_t data = ps_elf_word(e, hdr, ptr_size), len = ps_elf_word(e, hdr + ptr_size, ptr_size);
    char buf[64];
    if (len >= sizeof(buf) || !ps_elf_read_vaddr(e, data, buf, len))
        return NULL;
    return ps_arena_strndup(a, buf, len);
}

unsigned ps_elf_has_symbols(ps_elf *e, const char *const *names, unsigned n)
{
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(e, ".symtab", &sh);
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    unsigned found = 0;
    for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
        GElf_Sym sym;
        const char *name;
        if (!gelf_getsym(d, (int)i, &sym) || !(name = elf_strptr(e->elf, sh.sh_link, sym.st_name)))
            continue;
        for (unsigned k = 0; k < n; k++) {
            size_t len = strlen(names[k]);
            bool prefix = len && names[k][len - 1] == '*';
            if (prefix ? !strncmp(name, names[k], len - 1) : !strcmp(name, names[k]))
                found |= 1u << k;
        }
    }
    return found;
}

static uint64_t symbol_value(ps_elf *e, const char *want)
{
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(e, ".symtab", &sh);
    Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
    if (!d || !sh.sh_entsize)
        return 0;
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        GElf_Sym sym;
        const char *name;
        if (gelf_getsym(d, (int)i, &sym) && (name = elf_strptr(e->elf, sh.sh_link, sym.st_name)) &&
            !strcmp(name, want))
            return sym.st_value;
    }
    return 0;
}

/* The linker puts runtime.types at the start of .rodata; the symbol table,
 * when kept, says so exactly. */
uint64_t ps_elf_go_types_base(ps_elf *e)
{
    if (!e->go_types_known) {
        GElf_Shdr sh;
        e->go_types = symbol_value(e, "runtime.types");
        if (!e->go_types && find_section(e, ".rodata", &sh))
            e->go_types = sh.sh_addr;
        e->go_types_known = true;
    }
    return e->go_types;
}
