/*
 * Source file names as one spelling per file.  Compilers record a header
 * as the preprocessor reached it ("net/../include/conn.h",
 * "./csu/../libio/bits/types/struct_FILE.h"), so the same type declared in
 * the same header would otherwise be many records.  Paths are normalized
 * lexically here (".", "..", duplicate slashes; libdwarf has already joined
 * relative names to DW_AT_comp_dir), records are deduplicated on that
 * spelling, and once the whole binary is read every path below the
 * binary's source root is made relative to it (docs/json.md, "source_root").
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

/* Lexical normalization into a heap string: "a/./b//../c" -> "a/c",
 * "/.." -> "/", leading ".." of a relative path kept, "" -> ".". */
char *rd_normalize_path(const char *in)
{
    size_t n = strlen(in);
    char *out = ps_xmalloc(n + 2);
    bool abs = in[0] == '/';
    size_t len = 0, keep = 0; /* keep: bytes of leading "../" that cannot pop */
    if (abs)
        out[len++] = '/';
    size_t root = len;
    for (const char *p = in; *p;) {
        while (*p == '/')
            p++;
        size_t c = strcspn(p, "/");
        if (!c)
            break;
        if (c == 1 && p[0] == '.') {
            /* nothing */
        } else if (c == 2 && p[0] == '.' && p[1] == '.') {
            if (len > root + keep) {
                while (len > root && out[len - 1] != '/')
                    len--;
                len -= len > root; /* the slash before the component */
            } else if (!abs) {
                if (len > root)
                    out[len++] = '/';
                memcpy(out + len, "..", 2);
                len += 2;
                keep = len - root;
            }
        } else {
            if (len > root)
                out[len++] = '/';
            memcpy(out + len, p, c);
            len += c;
        }
        p += c;
    }
    if (len == 0)
        out[len++] = '.';
    out[len] = '\0';
    return out;
}

/* The spelling a record's decl_file is deduplicated on, interned.
 * libdwarf 20210528 joins a DWARF 5 file of directory entry 0 (which is
 * the unit's DW_AT_comp_dir itself) to the comp_dir once more: with a
 * relative comp_dir ("./intl") that reads "./intl/./intl/gettextP.h". */
const char *rd_file_path(reader *r, const char *raw, const char *comp_dir, int version)
{
    size_t n = comp_dir ? strlen(comp_dir) : 0;
    if (version >= 5 && n && comp_dir[0] != '/' && !strncmp(raw, comp_dir, n) &&
        raw[n] == '/' && !strncmp(raw + n + 1, comp_dir, n) && raw[2 * n + 1] == '/')
        raw += n + 1;
    const char *base = strrchr(raw, '/');
    if (base && base[1] == '<' && base[strlen(base) - 1] == '>')
        raw = base + 1; /* "<built-in>", "<command-line>": no folder */
    char *norm = rd_normalize_path(raw);
    const char *s = rd_intern(r, norm);
    free(norm);
    return s;
}

char *rd_unit_string(reader *r, Dwarf_Die cu, Dwarf_Half attr)
{
    Dwarf_Attribute at = NULL;
    char *s = NULL;
    if (dwarf_attr(cu, attr, &at, &r->err) != DW_DLV_OK) {
        if (r->err) {
            dwarf_dealloc_error(r->dbg, r->err);
            r->err = NULL;
        }
        return NULL;
    }
    if (dwarf_formstring(at, &s, &r->err) != DW_DLV_OK) {
        s = NULL;
        if (r->err) {
            dwarf_dealloc_error(r->dbg, r->err);
            r->err = NULL;
        }
    }
    dwarf_dealloc_attribute(at);
    return s;
}

/* The length of the longest directory prefix root shares with dir
 * (1 when that is "/"). */
static size_t shared_dir(const char *root, const char *dir)
{
    size_t i = 0, last = 0;
    while (root[i] && root[i] == dir[i]) {
        if (root[i] == '/')
            last = i;
        i++;
    }
    if (!root[i] && (!dir[i] || dir[i] == '/'))
        return i; /* dir is root or below it */
    if (!dir[i] && root[i] == '/')
        last = i;
    return last ? last : 1;
}

/* Shortens r->root to the longest directory prefix it shares with dir. */
static void narrow_root(reader *r, const char *dir)
{
    if (!r->root)
        r->root = ps_arena_strdup(&r->bin->arena, dir);
    else
        r->root[shared_dir(r->root, dir)] = '\0';
}

/* The source root is the deepest directory holding every compile unit's
 * working directory and primary source file, and (chosen_root) the
 * headers of the user's own records.  A unit without an absolute
 * working directory (prefix-mapped builds such as Debian's glibc: "./csu")
 * means there is none: paths are then printed as recorded, normalized.
 * A Go binary's root is its main module's folder (ownership.c). */
void rd_note_unit_dirs(reader *r, Dwarf_Die cu)
{
    if (r->opts->source_root || r->no_root)
        return;
    const char *dir = rd_unit_string(r, cu, DW_AT_comp_dir);
    const char *name = rd_unit_string(r, cu, DW_AT_name);
    if (r->cu_lang == PS_LANG_GO || !dir || dir[0] != '/') {
        r->no_root = true;
        return;
    }
    char *d = rd_normalize_path(dir);
    narrow_root(r, d);
    if (name) {
        char *joined = name[0] == '/' ? ps_arena_strdup(&r->cu_arena, name)
                                      : ps_arena_printf(&r->cu_arena, "%s/%s", d, name);
        char *f = rd_normalize_path(joined);
        char *slash = strrchr(f, '/');
        if (slash && slash != f) {
            *slash = '\0';
            narrow_root(r, f);
        }
        free(f);
    }
    free(d);
}

/* The guessed root also holds the headers of the user's own records: a
 * project compiling in src/net and src/game with its headers in include/
 * has its root above all three.  A header that would take the root up to
 * "/" stays outside it (absolute). */
static void hold_own_headers(reader *r)
{
    for (uint32_t i = 0; r->root && i < r->bin->structs.len; i++) {
        const ps_struct *s = ps_struct_at(r->bin, i);
        const char *f = s->decl_file;
        const char *slash = f && f[0] == '/' && s->cls == PS_CLASS_OWN ? strrchr(f, '/') : NULL;
        if (!slash || slash == f || s->lang == PS_LANG_GO)
            continue;
        char *dir = ps_arena_strndup(&r->cu_arena, f, (size_t)(slash - f));
        size_t n = shared_dir(r->root, dir);
        if (n > 1)
            r->root[n] = '\0';
    }
}

static const char *chosen_root(reader *r)
{
    const char *want = r->opts->source_root;
    if (!want && r->bin->has_go)
        return r->go_root; /* cgo's C units are compiled in a temporary folder */
    if (!want && !r->no_root)
        hold_own_headers(r);
    if (!want)
        return r->no_root || !r->root || !strcmp(r->root, "/") ? NULL : r->root;
    char cwd[4096];
    char *joined = want[0] == '/' || !getcwd(cwd, sizeof(cwd))
                       ? ps_arena_strdup(&r->cu_arena, want)
                       : ps_arena_printf(&r->cu_arena, "%s/%s", cwd, want);
    char *norm = rd_normalize_path(joined);
    const char *root = rd_intern(r, norm);
    free(norm);
    return root;
}

/* Every decl_file below the source root becomes relative to it; files
 * outside it (system headers) stay absolute. */
void rd_relativize(reader *r)
{
    const char *root = chosen_root(r);
    if (!root)
        return;
    r->bin->source_root = root;
    size_t len = strlen(root);
    bool top = !strcmp(root, "/");
    for (size_t i = 0; i < r->bin->structs.len; i++) {
        ps_struct *s = ps_struct_at(r->bin, (uint32_t)i);
        const char *f = s->decl_file;
        if (f && top && f[0] == '/' && f[1])
            s->decl_file = rd_intern(r, f + 1);
        else if (f && !top && !strncmp(f, root, len) && f[len] == '/')
            s->decl_file = rd_intern(r, f + len + 1);
    }
}
