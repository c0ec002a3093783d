/*
 * dwz's alternate file.  `dwz -m FILE` moves DIEs that several binaries
 * share into one supplementary file, which each binary names in
 * .gnu_debugaltlink (file name, then build id) or, with DWARF 5,
 * .debug_sup (version, flag, file name, checksum); their DIEs are reached
 * through DW_FORM_GNU_ref_alt/DW_FORM_ref_sup and their strings through
 * DW_FORM_GNU_strp_alt/DW_FORM_strp_sup.  The file is looked for as named
 * (relative to the debug file's directory), then by build id under the
 * debug directories.  Its strings come through libdwarf's tied file; its
 * DIEs carry RD_KEY_ALT in their keys.  All its units are read: a binary
 * reaches them through DW_TAG_imported_unit and also through direct
 * references from its variables, and a file shared by several binaries may
 * so add records that only a sibling binary uses.  Its line tables have no
 * compile directory: relative paths are taken against the binary's own.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"

typedef struct alt_link {
    char name[PATH_MAX];
    char id[2 * 64 + 1]; /* hex build id, or "" */
} alt_link;

static void hex_id(const unsigned char *p, size_t n, alt_link *l)
{
    n = n > 64 ? 64 : n;
    for (size_t i = 0; i < n; i++)
        snprintf(l->id + 2 * i, 3, "%02x", p[i]);
}

static bool read_link(ps_elf *e, alt_link *l)
{
    memset(l, 0, sizeof(*l));
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(e, ".gnu_debugaltlink", &sh);
    size_t len;
    if (d) {
        const char *p = d->d_buf;
        len = strnlen(p, d->d_size);
        if (!len || len >= d->d_size || len >= sizeof(l->name))
            return false;
        memcpy(l->name, p, len);
        hex_id((const unsigned char *)p + len + 1, d->d_size - len - 1, l);
        return true;
    }
    d = ps_elf_section(e, ".debug_sup", &sh);
    if (!d || d->d_size < 4)
        return false;
    const unsigned char *p = d->d_buf;
    if (p[2] != 0) /* this is the supplementary file itself */
        return false;
    len = strnlen((const char *)p + 3, d->d_size - 3);
    if (!len || 3 + len >= d->d_size || len >= sizeof(l->name))
        return false;
    memcpy(l->name, p + 3, len);
    const unsigned char *q = p + 3 + len + 1, *end = p + d->d_size;
    if (q < end && !(*q & 0x80) && (size_t)(end - q - 1) >= *q)
        hex_id(q + 1, *q, l);
    return true;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool find_alt(reader *r, const char *dwarf_path, const alt_link *l, char *out, size_t len)
{
    const char *slash = strrchr(dwarf_path, '/');
    int dir_len = l->name[0] == '/' || !slash ? 0 : (int)(slash - dwarf_path + 1);
    int w = snprintf(out, len, "%.*s%s", dir_len, dwarf_path, l->name);
    if (w > 0 && (size_t)w < len && is_regular(out))
        return true;
    static const char *const fallback[] = {"/usr/lib/debug"};
    size_t n = r->opts->ndebug_dirs;
    for (size_t i = 0; l->id[0] && l->id[1] && i < n + 1; i++) {
        const char *dir = i < n ? r->opts->debug_dirs[i] : fallback[0];
        int n = snprintf(out, len, "%s/.build-id/%.2s/%s.debug", dir, l->id, l->id + 2);
        if (n > 0 && (size_t)n < len && is_regular(out))
            return true;
    }
    return false;
}

void rd_open_alt(reader *r, const char *dwarf_path)
{
    alt_link l;
    char path[PATH_MAX];
    if (!read_link(r->dwarf_elf, &l))
        return;
    if (!find_alt(r, dwarf_path, &l, path, sizeof(path)))
        rd_fail(r, "dwz alternate file %s%s%s not found (looked next to the debug information "
                   "and by build id; --debug-dir DIR adds a place)",
                l.name, l.id[0] ? ", build id " : "", l.id);
    char why[512];
    if (ps_elf_open(&r->alt_elf, path, why, sizeof(why)) != 0)
        rd_fail(r, "dwz alternate file %s: %s", path, why);
    ps_elf *outer_elf = r->dwarf_elf;
    Dwarf_Debug outer = r->dbg;
    void *outer_object = r->object;
    r->dwarf_elf = &r->alt_elf;
    r->dbg = NULL;
    r->object = NULL;
    int rc = rd_open_dwarf(r);
    r->alt_dbg = r->dbg;
    r->alt_object = r->object;
    r->dwarf_elf = outer_elf;
    r->dbg = outer;
    r->object = outer_object;
    if (rc != DW_DLV_OK)
        rd_fail(r, "dwz alternate file %s: cannot open its debug sections", path);
    if (dwarf_set_tied_dbg(r->dbg, r->alt_dbg, &r->err) != DW_DLV_OK)
        rd_dwarf_fail(r, "dwz alternate file");
}

void rd_read_alt_units(reader *r, rd_walk_fn walk, void *ctx)
{
    if (!r->alt_dbg)
        return;
    r->walking_alt = r->cur_alt = true;
    walk(r, ctx);
    r->walking_alt = r->cur_alt = false;
}

void rd_close_alt(reader *r)
{
    if (!r->alt_dbg && !r->alt_object)
        return;
    Dwarf_Debug outer = r->dbg;
    void *outer_object = r->object;
    r->dbg = r->alt_dbg;
    r->object = r->alt_object;
    rd_close_dwarf(r);
    r->dbg = outer;
    r->object = outer_object;
    r->alt_dbg = NULL;
    r->alt_object = NULL;
}

/* The target of a DW_AT_* in the alternate file.  libdwarf 20210528 reads
 * DW_FORM_GNU_ref_alt but not DWARF 5's DW_FORM_ref_sup4/8, whose value is
 * read here from the section bytes at the attribute's offset. */
bool rd_alt_ref(reader *r, Dwarf_Die die, Dwarf_Attribute at, Dwarf_Half form, Dwarf_Off *off)
{
    if (form == DW_FORM_GNU_ref_alt)
        return dwarf_global_formref(at, off, &r->err) == DW_DLV_OK;
    if (form != DW_FORM_ref_sup4 && form != DW_FORM_ref_sup8)
        return false;
    Dwarf_Off pos = 0;
    unsigned n = form == DW_FORM_ref_sup4 ? 4 : 8;
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(r->cur_alt ? &r->alt_elf : r->dwarf_elf, ".debug_info", &sh);
    if (dwarf_attr_offset(die, at, &pos, &r->err) != DW_DLV_OK || !d || pos > d->d_size ||
        d->d_size - pos < n)
        return false;
    *off = ps_elf_word(r->dwarf_elf, (const unsigned char *)d->d_buf + pos, n);
    return true;
}
