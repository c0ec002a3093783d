/*
 * Split DWARF (-gsplit-dwarf): a skeleton unit in the binary names the
 * .dwo file that holds the unit's types (DW_AT_dwo_name, or DWARF 4's GNU
 * extension DW_AT_GNU_dwo_name), relative to DW_AT_comp_dir.  A .dwp
 * package next to the binary (BINARY.dwp, made by dwp or llvm-dwp) holds
 * them all and is preferred.  Each file is read with the same walk as the
 * binary itself; only the per-file state is reset between them.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"

typedef struct dwo_ref {
    const char *name, *comp_dir;
    uint64_t dwo_id;   /* joins a split unit to its skeleton */
    uint64_t skeleton; /* the skeleton unit's DIE key in the binary */
} dwo_ref;

static uint64_t sig_value(const Dwarf_Sig8 *sig)
{
    uint64_t v = 0;
    memcpy(&v, sig->signature, sizeof(v));
    return v;
}

/* DWARF 5 puts the id in the unit header, DWARF 4's extension in an
 * attribute. */
uint64_t rd_dwo_id(reader *r, Dwarf_Die cu, const Dwarf_Sig8 *header_sig)
{
    uint64_t id = sig_value(header_sig);
    Dwarf_Attribute at = NULL;
    Dwarf_Unsigned v = 0;
    if (!id && dwarf_attr(cu, DW_AT_GNU_dwo_id, &at, &r->err) == DW_DLV_OK) {
        Dwarf_Sig8 s8;
        if (dwarf_formudata(at, &v, &r->err) == DW_DLV_OK)
            id = v;
        else if (dwarf_formsig8(at, &s8, &r->err) == DW_DLV_OK)
            id = sig_value(&s8);
        dwarf_dealloc_attribute(at);
    }
    if (r->err) {
        dwarf_dealloc_error(r->dbg, r->err);
        r->err = NULL;
    }
    return id;
}

void rd_note_skeleton(reader *r, Dwarf_Die cu, uint64_t dwo_id)
{
    const char *name = rd_unit_string(r, cu, DW_AT_dwo_name);
    if (!name)
        name = rd_unit_string(r, cu, DW_AT_GNU_dwo_name);
    if (!name)
        return;
    if (!r->dwo_units.elem)
        ps_vec_init(&r->dwo_units, sizeof(dwo_ref));
    dwo_ref *d = ps_vec_push(&r->dwo_units);
    d->name = name;
    d->comp_dir = rd_unit_string(r, cu, DW_AT_comp_dir);
    d->dwo_id = dwo_id;
    d->skeleton = rd_key_of(r, cu);
}

/* A split unit's decl_file numbers index its skeleton's line table (DWARF 5
 * 3.1.3; clang writes no .debug_line.dwo at all). */
int rd_skeleton_files(reader *r, uint64_t dwo_id, char ***names, Dwarf_Signed *count)
{
    for (size_t i = 0; dwo_id && r->main_dbg && i < r->dwo_units.len; i++) {
        const dwo_ref *d = &PS_VEC_AT(&r->dwo_units, dwo_ref, i);
        if (d->dwo_id != dwo_id)
            continue;
        Dwarf_Die skel = NULL;
        Dwarf_Error err = NULL;
        int rc = dwarf_offdie_b(r->main_dbg, d->skeleton - 1, true, &skel, &err);
        if (rc == DW_DLV_OK)
            rc = dwarf_srcfiles(skel, names, count, &err);
        if (rc == DW_DLV_OK)
            rd_own_srcfiles(r, r->main_dbg, names, *count);
        if (skel)
            dwarf_dealloc_die(skel);
        if (err)
            dwarf_dealloc_error(r->main_dbg, err);
        return rc == DW_DLV_OK ? 0 : -1;
    }
    return -1;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The per-file maps hold DIE offsets and libdwarf's own strings. */
static void reset_file_state(reader *r)
{
    ps_map_free(&r->files);
    ps_map_free(&r->extern_names);
    ps_map_free(&r->anon_built);
    r->type_units.len = r->deferred.len = 0;
    r->in_type_unit = false;
}

static void read_one(reader *r, const char *path, rd_walk_fn walk, void *ctx)
{
    char why[512];
    if (ps_elf_open(&r->split_elf, path, why, sizeof(why)) != 0)
        rd_fail(r, "split DWARF file %s: %s", path, why);
    reset_file_state(r);
    r->dwarf_elf = &r->split_elf;
    r->main_dbg = r->dbg;
    r->main_object = r->object;
    r->dbg = NULL;
    r->object = NULL;
    int rc = rd_open_dwarf(r);
    if (rc != DW_DLV_OK)
        rd_fail(r, "split DWARF file %s: %s", path,
                rc == DW_DLV_NO_ENTRY ? "no debug sections" : "cannot open its debug sections");
    walk(r, ctx);
    rd_close_dwarf(r);
    ps_elf_close(&r->split_elf);
    r->dbg = r->main_dbg;
    r->object = r->main_object;
    r->main_dbg = NULL;
    r->dwarf_elf = r->debug_elf.elf ? &r->debug_elf : &r->elf;
    reset_file_state(r);
}

static void dwo_path(const dwo_ref *d, const char *binary, char *out, size_t len)
{
    if (d->name[0] == '/' || !d->comp_dir)
        snprintf(out, len, "%s", d->name);
    else
        snprintf(out, len, "%s/%s", d->comp_dir, d->name);
    if (is_regular(out))
        return;
    /* A build tree that moved: look next to the binary too. */
    const char *slash = strrchr(binary, '/'), *base = strrchr(d->name, '/');
    char alt[PATH_MAX];
    snprintf(alt, sizeof(alt), "%.*s%s", slash ? (int)(slash - binary + 1) : 0, binary,
             base ? base + 1 : d->name);
    if (is_regular(alt))
        snprintf(out, len, "%s", alt);
}

void rd_read_split_units(reader *r, const char *binary, rd_walk_fn walk, void *ctx)
{
    if (!r->dwo_units.len)
        return;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s.dwp", binary);
    if (is_regular(path)) {
        read_one(r, path, walk, ctx);
        return;
    }
    for (size_t i = 0; i < r->dwo_units.len; i++) {
        const dwo_ref *d = &PS_VEC_AT(&r->dwo_units, dwo_ref, i);
        dwo_path(d, binary, path, sizeof(path));
        if (!is_regular(path))
            rd_fail(r, "split DWARF (-gsplit-dwarf): %s not found (unit built in %s; also looked next to the "
                       "binary and for %s.dwp)", d->name, d->comp_dir ? d->comp_dir : "?", binary);
        read_one(r, path, walk, ctx);
    }
}
