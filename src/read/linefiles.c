/*
 * The file table of a split unit's line table header.  A unit in a .dwo
 * or .dwp has no DW_AT_stmt_list, so libdwarf's dwarf_srcfiles cannot find
 * its files: its table is at the start of .debug_line.dwo (or, in a .dwp,
 * at the unit's contribution named by .debug_cu_index).  Only the header is
 * read (no line program), every read bounded by the section, and names are
 * joined with their directories as dwarf_srcfiles joins them, so that a
 * record has the same decl_file whether the build was split or not.
 */
#include <string.h>

#include "bytes.h"
#include "reader.h"

/* A section of the binary's or the dwz file's DWARF, looked up once per
 * reader (a lookup walks the section headers; every unit needs these).
 * A split file's are not kept: one ps_elf holds each .dwo in turn. */
static Elf_Data *section_of(reader *r, ps_elf *e, const char *name)
{
    GElf_Shdr sh;
    if (e == &r->split_elf)
        return ps_elf_section(e, name, &sh);
    for (size_t i = 0; i < PS_ARRAY_LEN(r->sections); i++) {
        if (r->sections[i].elf == e && !strcmp(r->sections[i].name, name))
            return r->sections[i].data;
        if (!r->sections[i].elf) {
            r->sections[i].elf = e;
            r->sections[i].name = name;
            return r->sections[i].data = ps_elf_section(e, name, &sh);
        }
    }
    return ps_elf_section(e, name, &sh);
}

/* A string of a DWARF 5 entry: inline, or an offset into a string section. */
static const char *form_string(reader *r, rd_cursor *c, uint64_t form, unsigned offset_size,
                               ps_elf *e)
{
    if (form == DW_FORM_string)
        return rd_cstr(c);
    if (form != DW_FORM_strp && form != DW_FORM_line_strp) {
        c->bad = true;
        return "";
    }
    uint64_t off = rd_word(c, offset_size);
    Elf_Data *d = section_of(r, e, form == DW_FORM_strp ? ".debug_str.dwo" : ".debug_line_str");
    if (!d || off >= d->d_size || !memchr((char *)d->d_buf + off, 0, d->d_size - off))
        return "";
    return (const char *)d->d_buf + off;
}

static void skip_form(rd_cursor *c, uint64_t form, unsigned offset_size)
{
    switch (form) {
    case DW_FORM_data1: case DW_FORM_strx1: rd_take(c, 1); break;
    case DW_FORM_data2: case DW_FORM_strx2: rd_take(c, 2); break;
    case DW_FORM_strx3: rd_take(c, 3); break;
    case DW_FORM_data4: case DW_FORM_strx4: rd_take(c, 4); break;
    case DW_FORM_data8: rd_take(c, 8); break;
    case DW_FORM_data16: rd_take(c, 16); break;
    case DW_FORM_udata: case DW_FORM_strx: rd_leb(c, false); break;
    case DW_FORM_block: rd_take(c, rd_leb(c, false)); break;
    case DW_FORM_strp: case DW_FORM_line_strp: rd_take(c, offset_size); break;
    case DW_FORM_string: rd_cstr(c); break;
    default: c->bad = true;
    }
}

typedef struct entry {
    const char *path;
    uint64_t dir;
} entry;

/* DWARF 5: a format (content type, form pairs), a count, the entries. */
static entry *v5_entries(reader *r, rd_cursor *c, unsigned offset_size, uint64_t *count)
{
    unsigned nformat = (unsigned)rd_word(c, 1);
    uint64_t fmt[2 * 255];
    for (unsigned i = 0; i < nformat && !c->bad; i++) {
        fmt[2 * i] = rd_leb(c, false);
        fmt[2 * i + 1] = rd_leb(c, false);
    }
    *count = rd_leb(c, false);
    if (c->bad || *count > (uint64_t)(c->end - c->p))
        return c->bad = true, NULL;
    entry *out = ps_arena_zalloc(&r->bin->arena, (*count + 1) * sizeof(entry));
    for (uint64_t k = 0; k < *count && !c->bad; k++)
        for (unsigned i = 0; i < nformat && !c->bad; i++) {
            if (fmt[2 * i] == DW_LNCT_path)
                out[k].path = form_string(r, c, fmt[2 * i + 1], offset_size, r->dwarf_elf);
            else if (fmt[2 * i] == DW_LNCT_directory_index && fmt[2 * i + 1] == DW_FORM_udata)
                out[k].dir = rd_leb(c, false);
            else if (fmt[2 * i] == DW_LNCT_directory_index)
                out[k].dir = rd_word(c, fmt[2 * i + 1] == DW_FORM_data1 ? 1 : 2);
            else
                skip_form(c, fmt[2 * i + 1], offset_size);
        }
    return out;
}

/* Up to DWARF 4: NUL-terminated lists; directory 0 is the unit's own. */
static entry *v4_entries(reader *r, rd_cursor *c, bool files, uint64_t *count)
{
    ps_vec v;
    ps_vec_init(&v, sizeof(entry));
    if (!files)
        ((entry *)ps_vec_push(&v))->path = NULL; /* index 0: comp_dir */
    while (!c->bad && c->p < c->end && *c->p) {
        entry *x = ps_vec_push(&v);
        x->path = rd_cstr(c);
        if (files) {
            x->dir = rd_leb(c, false);
            rd_leb(c, false);
            rd_leb(c, false);
        }
    }
    rd_word(c, 1);
    *count = v.len;
    entry *out = ps_vec_to_arena(&v, &r->bin->arena);
    ps_vec_free(&v);
    return out;
}

static const char *join(reader *r, const char *comp_dir, const char *dir, const char *name)
{
    if (!name || name[0] == '/' || (!dir && !comp_dir))
        return name;
    if (!dir || dir[0] == '/')
        return ps_arena_printf(&r->bin->arena, "%s/%s", dir ? dir : comp_dir, name);
    if (!comp_dir)
        return ps_arena_printf(&r->bin->arena, "%s/%s", dir, name);
    return ps_arena_printf(&r->bin->arena, "%s/%s/%s", comp_dir, dir, name);
}

static uint64_t line_offset(reader *r, Dwarf_Die cu)
{
    Dwarf_Debug_Fission_Per_CU fission;
    memset(&fission, 0, sizeof(fission));
    if (dwarf_get_debugfission_for_die(cu, &fission, &r->err) == DW_DLV_OK)
        return fission.pcu_offset[DW_SECT_LINE];
    if (r->err) {
        dwarf_dealloc_error(r->dbg, r->err);
        r->err = NULL;
    }
    return 0;
}

typedef struct line_table {
    entry *dirs, *files;
    uint64_t ndirs, nfiles;
} line_table;

/* The directory and file tables of the line table header at off. */
static int read_table(reader *r, ps_elf *e, Elf_Data *d, uint64_t off, line_table *t)
{
    if (!d || off >= d->d_size)
        return -1;
    rd_cursor c = {(const unsigned char *)d->d_buf + off, (const unsigned char *)d->d_buf + d->d_size,
                   false, e->big_endian};
    unsigned offset_size = 4;
    uint64_t len = rd_word(&c, 4);
    if (len == 0xffffffffu) {
        len = rd_word(&c, 8);
        offset_size = 8;
    }
    if (c.bad || len > (uint64_t)(c.end - c.p))
        return -1;
    c.end = c.p + len;
    unsigned version = (unsigned)rd_word(&c, 2);
    if (version < 2 || version > 5)
        return -1;
    if (version == 5)
        rd_word(&c, 2); /* address and segment selector sizes */
    rd_word(&c, offset_size); /* header_length */
    rd_word(&c, version >= 4 ? 5 : 4);
    unsigned opcode_base = (unsigned)rd_word(&c, 1);
    for (unsigned i = 1; i < opcode_base && !c.bad; i++)
        rd_word(&c, 1);
    t->dirs = version == 5 ? v5_entries(r, &c, offset_size, &t->ndirs)
                           : v4_entries(r, &c, false, &t->ndirs);
    t->files = version == 5 ? v5_entries(r, &c, offset_size, &t->nfiles)
                            : v4_entries(r, &c, true, &t->nfiles);
    return c.bad || !t->files ? -1 : 0;
}

int rd_split_unit_files(reader *r, Dwarf_Die cu, const char *comp_dir, char ***names,
                        Dwarf_Signed *count)
{
    GElf_Shdr sh;
    Elf_Data *d = ps_elf_section(r->dwarf_elf, ".debug_line.dwo", &sh);
    line_table t = {0};
    if (!d || read_table(r, r->dwarf_elf, d, line_offset(r, cu), &t) != 0)
        return -1;
    *names = ps_arena_zalloc(&r->bin->arena, (t.nfiles + 1) * sizeof(char *));
    for (uint64_t k = 0; k < t.nfiles; k++) {
        const char *dir = t.files[k].dir < t.ndirs ? t.dirs[t.files[k].dir].path : NULL;
        (*names)[k] = (char *)join(r, comp_dir, dir, t.files[k].path);
    }
    *count = (Dwarf_Signed)t.nfiles;
    return 0;
}

/* libdwarf 20210528's dwarf_srcfiles reads past its directory array when a
 * file names a directory the table does not have (found by fuzz_read): the
 * unit's table is checked first.  A header this parser cannot read is left
 * to libdwarf. */
void rd_check_line_table(reader *r, Dwarf_Die cu)
{
    Dwarf_Attribute at = NULL;
    Dwarf_Off off = 0;
    if (dwarf_attr(cu, DW_AT_stmt_list, &at, &r->err) != DW_DLV_OK) {
        if (r->err) {
            dwarf_dealloc_error(rd_dbg(r), r->err);
            r->err = NULL;
        }
        return;
    }
    int rc = dwarf_global_formref(at, &off, &r->err);
    dwarf_dealloc_attribute(at);
    if (rc != DW_DLV_OK) {
        if (r->err) {
            dwarf_dealloc_error(rd_dbg(r), r->err);
            r->err = NULL;
        }
        return;
    }
    ps_elf *e = r->cur_alt ? &r->alt_elf : r->dwarf_elf;
    line_table t = {0};
    if (read_table(r, e, section_of(r, e, ".debug_line"), off, &t) != 0)
        return;
    for (uint64_t k = 0; k < t.nfiles; k++)
        if (t.files[k].dir >= t.ndirs)
            rd_fail(r, "malformed DWARF: the line table at 0x%llx names directory %llu for "
                       "file %llu, of %llu directories", (unsigned long long)off,
                    (unsigned long long)t.files[k].dir, (unsigned long long)k,
                    (unsigned long long)t.ndirs);
}
