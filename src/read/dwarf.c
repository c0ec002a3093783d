/*
 * The reader's entry point: open the ELF, walk every unit once, and hand
 * each top-level record to records.c.  Subtrees that cannot define a
 * reportable type (function bodies, variables) are never entered.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "debugfile.h"
#include "reader.h"

static ps_lang unit_lang(reader *r, Dwarf_Die cu)
{
    Dwarf_Unsigned lang = 0;
    if (dwarf_srclang(cu, &lang, &r->err) == DW_DLV_ERROR)
        rd_dwarf_fail(r, "unit language");
    r->cu_cxx = lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03 ||
                lang == DW_LANG_C_plus_plus_11 || lang == DW_LANG_C_plus_plus_14 ||
                lang == 0x2a /* DW_LANG_C_plus_plus_17 */ || lang == 0x2b /* _20 */;
    return lang == DW_LANG_Go ? PS_LANG_GO : PS_LANG_C;
}

/* Old Go binaries without .go.buildinfo still say their version in every
 * unit's producer: "Go cmd/compile go1.19.8; regabi". */
static void go_version_from_producer(reader *r, Dwarf_Die cu)
{
    Dwarf_Attribute at = NULL;
    char *producer = NULL;
    if (r->bin->go_version || dwarf_attr(cu, DW_AT_producer, &at, &r->err) != DW_DLV_OK)
        return;
    if (dwarf_formstring(at, &producer, &r->err) == DW_DLV_OK) {
        const char *v = strstr(producer, " go1");
        if (v)
            r->bin->go_version = ps_arena_strndup(&r->bin->arena, v + 1, strcspn(v + 1, " ;"));
    }
    dwarf_dealloc_attribute(at);
}

/* Go records no location for types, but its functions have one: a method
 * "pkg.(*T).M" or "pkg.T.M" tells where T's code lives. */
typedef struct method_site {
    const char *type, *file;
    uint32_t line;
} method_site;

/* Which package a function's file belongs to (model.h, ps_go_source). */
static void note_go_source(reader *r, rd_node *n, const die_attrs *a)
{
    size_t pkg = a->name && a->has_decl_file ? ps_go_package_len(a->name) : 0;
    const char *file = pkg ? rd_decl_file(r, n, a->decl_file) : NULL;
    uint64_t h = file ? ps_hash_str(file, 91) | 1 : 0;
    if (!file || ps_map_get(&r->go_sources, h) == file)
        return;
    ps_map_put(&r->go_sources, h, (void *)file);
    ps_go_source *g = ps_vec_push(&r->bin->go_sources);
    g->package = ps_arena_strndup(&r->bin->arena, a->name, pkg);
    g->file = file;
}

/* A parallel read's merge: the worker's package files not yet known. */
void rd_merge_go_sources(reader *r, const reader *from)
{
    for (size_t i = 0; i < from->bin->go_sources.len; i++) {
        const ps_go_source *w = &PS_VEC_AT(&from->bin->go_sources, ps_go_source, i);
        const char *file = rd_intern(r, w->file);
        uint64_t h = ps_hash_str(file, 91) | 1;
        if (ps_map_get(&r->go_sources, h) == file)
            continue;
        ps_map_put(&r->go_sources, h, (void *)file);
        ps_go_source *g = ps_vec_push(&r->bin->go_sources);
        g->package = ps_arena_strdup(&r->bin->arena, w->package);
        g->file = file;
    }
}

static void note_method(reader *r, rd_node *die, const die_attrs *a)
{
    note_go_source(r, die, a);
    const char *n = a->name, *slash = n ? strrchr(n, '/') : NULL;
    const char *dot = n ? strchr(slash ? slash : n, '.') : NULL;
    if (!dot || !a->has_decl_file)
        return;
    const char *t = dot + 1, *end;
    bool ptr = !strncmp(t, "(*", 2);
    end = ptr ? strchr(t, ')') : strchr(t, '.');
    if (!end || (!ptr && !strchr(end + 1, '.') && 0))
        return;
    if (!ptr && !strchr(t, '.'))
        return; /* a plain function, not a method */
    char type[512];
    int len = snprintf(type, sizeof(type), "%.*s%.*s", (int)(t - n), n,
                       (int)(end - t - (ptr ? 2 : 0)), t + (ptr ? 2 : 0));
    if (len <= 0 || (size_t)len >= sizeof(type))
        return;
    uint64_t h = ps_hash_str(type, 77) | 1;
    if (ps_map_get(&r->methods, h))
        return;
    method_site *m = ps_arena_alloc(&r->bin->arena, sizeof(*m));
    m->type = rd_intern(r, type);
    m->file = rd_decl_file(r, die, a->decl_file);
    m->line = (uint32_t)a->decl_line;
    if (m->file)
        ps_map_put(&r->methods, h, m);
}

/* A parallel read's merge: the worker's methods, unless an earlier unit
 * (an earlier worker's, or this reader's) named the type's place. */
void rd_merge_methods(reader *r, const reader *from)
{
    for (size_t i = 0; i < from->methods.cap; i++) {
        uint64_t h = from->methods.slots[i].key;
        const method_site *w = h ? from->methods.slots[i].val : NULL;
        if (!w || ps_map_get(&r->methods, h))
            continue;
        method_site *m = ps_arena_alloc(&r->bin->arena, sizeof(*m));
        m->type = rd_intern(r, w->type);
        m->file = rd_intern(r, w->file);
        m->line = w->line;
        ps_map_put(&r->methods, h, m);
    }
}

static void locate_go_types(reader *r)
{
    for (size_t i = 0; i < r->bin->structs.len; i++) {
        ps_struct *s = ps_struct_at(r->bin, (uint32_t)i);
        method_site *m = s->lang == PS_LANG_GO && !s->decl_file
                             ? ps_map_get(&r->methods, ps_hash_str(s->name, 77) | 1) : NULL;
        if (m && !strcmp(m->type, s->name)) {
            s->decl_file = m->file;
            s->decl_line = m->line;
            s->decl_from_method = true;
        }
    }
}

/* First pass over a unit's top level: which records it defines, and which
 * typedefs name an anonymous record ("typedef struct { ... } vec3"). */
static void push_named(reader *r, Dwarf_Die die, void *scan)
{
    *(uint64_t *)ps_vec_push(&((unit_scan *)scan)->named) = rd_key_of(r, die);
}

static void scan_top_level(reader *r, Dwarf_Die cu, unit_scan *scan)
{
    rd_node unit = {0, cu};
    rd_kids k;
    for (rd_kids_open(r, &unit, "unit children", &k); rd_kids_next(r, &k);) {
        Dwarf_Half tag = k.tag;
        bool record = rd_is_record_tag(tag);
        if (tag == DW_TAG_base_type || tag == DW_TAG_typedef || tag == DW_TAG_pointer_type ||
            tag == DW_TAG_enumeration_type || record)
            r->type_dies++;
        if (tag == DW_TAG_subprogram && r->cu_lang == PS_LANG_GO) {
            die_attrs a;
            rd_kids_attrs(r, &k, &a);
            note_method(r, &k.cur, &a);
        }
        if (tag == DW_TAG_namespace && r->cu_cxx) {
            die_attrs a;
            rd_kids_attrs(r, &k, &a);
            rd_cxx_scan_scope(r, rd_node_die(r, &k.cur), a.name ? a.name : "(anonymous namespace)",
                              1, push_named, scan);
        }
        if (tag == DW_TAG_variable && r->cu_lang == PS_LANG_C) {
            die_attrs a;
            rd_kids_attrs(r, &k, &a);
            rd_note_variable(r, &a);
        }
        if (record || (tag == DW_TAG_typedef && r->cu_lang == PS_LANG_C)) {
            die_attrs a;
            rd_kids_attrs(r, &k, &a);
            if (record && (!a.declaration || a.has_signature))
                *(uint64_t *)ps_vec_push(a.name ? &scan->named : &scan->anonymous) =
                    rd_node_key(r, &k.cur);
            if (record && r->cu_cxx && a.name) /* classes nested in it */
                rd_cxx_scan_scope(r, rd_node_die(r, &k.cur), a.name, 1, push_named, scan);
            if (!record && a.has_type && a.name) {
                uint64_t key = rd_type_key(&a);
                ps_map *names = a.type_external || r->walking_alt ? &r->extern_names : &r->typedef_names;
                if (!rd_typedef_name(r, key))
                    ps_map_put(names, key, (void *)rd_intern(r, a.name));
            }
        }
    }
}

/* Between units: the per-unit tables empty, their memory kept. */
static void reset_unit(reader *r)
{
    ps_map_clear(&r->types);
    ps_map_clear(&r->typedef_names);
    ps_map_clear(&r->variable_names);
    ps_map_clear(&r->cxx_names);
    ps_arena_reset(&r->cu_arena);
}

void rd_free_unit(reader *r)
{
    ps_map_free(&r->types);
    ps_map_free(&r->typedef_names);
    ps_map_free(&r->variable_names);
    ps_map_free(&r->cxx_names);
    ps_arena_free(&r->cu_arena);
}

/* A parallel read's worker logs the records its units reach (records.c);
 * a top-level type whose record the unit had met already is logged here,
 * so the merge meets every top-level record as one thread would. */
static void note_root(reader *r, size_t before, const typeinfo *t)
{
    if (r->worker && t->record != PS_NONE && r->events.len == before) {
        rd_event *e = ps_vec_push(&r->events);
        e->record = t->record;
        e->kind = RD_EV_MEMO;
        e->end = (uint32_t)r->events.len;
    }
}

static void read_unit(reader *r, Dwarf_Die cu, unit_scan *scan)
{
    r->bin->units++;
    r->cu_lang = unit_lang(r, cu);
    if (r->cu_lang == PS_LANG_GO) {
        r->bin->has_go = true;
        go_version_from_producer(r, cu);
        rd_note_go_unit(r, cu);
    } else {
        r->bin->has_c = true;
    }
    if (!r->in_type_unit && !r->main_dbg && !r->cur_alt && !r->worker) /* skeletons carry the dirs */
        rd_note_unit_dirs(r, cu);
    scan->named.len = scan->anonymous.len = 0;
    scan_top_level(r, cu, scan);
    /* Named records first, so that anonymous ones nested in them are named
     * after their parent rather than after their location alone. */
    for (size_t i = 0; i < scan->named.len; i++) {
        size_t before = r->events.len;
        note_root(r, before, rd_type(r, PS_VEC_AT(&scan->named, uint64_t, i), true, NULL));
    }
    for (size_t i = 0; i < scan->anonymous.len; i++) {
        uint64_t key = PS_VEC_AT(&scan->anonymous, uint64_t, i);
        if (r->in_type_unit || r->walking_alt) /* a typedef may name it in a later unit */
            *(uint64_t *)ps_vec_push(&r->deferred) = key;
        else {
            size_t before = r->events.len;
            note_root(r, before, rd_type(r, key, true, NULL));
        }
    }
    reset_unit(r);
    if (r->opts->progress)
        rd_progress_unit(r);
}

void rd_read_unit(reader *r, Dwarf_Die cu, unit_scan *scan)
{
    read_unit(r, cu, scan);
    rd_raw_unit_done(r);
}

/* A parallel read: this thread lists the compile units (and notes what
 * their order decides); parallel.c reads them. */
static void collect_unit(reader *r, Dwarf_Die cu, uint64_t off, uint64_t size, ps_vec *jobs)
{
    rd_unit_job *j = ps_vec_push(jobs);
    j->off = off;
    j->key = rd_key_of(r, cu);
    j->size = size;
    r->cu_lang = unit_lang(r, cu);
    rd_note_unit_dirs(r, cu);
}

/* Compile units first, type units (-fdebug-types-section) after them, so
 * that typedefs in compile units can name anonymous types defined in type
 * units. */
static void read_units(reader *r, Dwarf_Bool is_info, unit_scan *scan, ps_vec *collect)
{
    Dwarf_Unsigned here = 0;
    for (;;) {
        Dwarf_Unsigned header_len, abbrev_off, next_off, type_off;
        Dwarf_Half version, addr_size, off_size, ext_size, header_type;
        Dwarf_Sig8 sig;
        int rc = dwarf_next_cu_header_d(rd_dbg(r), is_info, &header_len, &version, &abbrev_off,
                                        &addr_size, &off_size, &ext_size, &sig, &type_off,
                                        &next_off, &header_type, &r->err);
        if (rc == DW_DLV_NO_ENTRY)
            return;
        if (rc != DW_DLV_OK)
            rd_dwarf_fail(r, "unit header");
        Dwarf_Die cu = NULL;
        if (dwarf_siblingof_b(rd_dbg(r), NULL, is_info, &cu, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "unit DIE");
        rd_hold(r, cu);
        if (!is_info || header_type == DW_UT_type || header_type == DW_UT_split_type) {
            *(uint64_t *)ps_vec_push(&r->type_units) = rd_key_of(r, cu);
        } else {
            uint64_t dwo_id = rd_dwo_id(r, cu, &sig);
            if (!r->main_dbg && !r->cur_alt)
                rd_note_skeleton(r, cu, dwo_id);
            if (!r->main_comp_dir && !r->cur_alt)
                r->main_comp_dir = rd_unit_string(r, cu, DW_AT_comp_dir);
            r->unit_dwo_id = r->main_dbg ? dwo_id : 0;
            if (collect)
                collect_unit(r, cu, here, next_off > here ? next_off - here : 1, collect);
            else
                rd_read_unit(r, cu, scan);
        }
        here = next_off;
        rd_let_go(r, cu);
    }
}

/* gcc gives anonymous types their own type units, so a parent's unit may
 * come after its anonymous members' units: anonymous records of type units
 * are read last, and only those no parent has reached. */
static void read_type_units(reader *r, unit_scan *scan)
{
    r->in_type_unit = true;
    for (size_t i = 0; i < r->type_units.len; i++) {
        Dwarf_Die unit = rd_offdie(r, PS_VEC_AT(&r->type_units, uint64_t, i));
        read_unit(r, unit, scan);
        rd_let_go(r, unit);
    }
    r->cu_lang = PS_LANG_C;
    for (size_t i = 0; i < r->deferred.len; i++) {
        uint64_t key = PS_VEC_AT(&r->deferred, uint64_t, i);
        if (!ps_map_get(&r->anon_built, key))
            rd_type(r, key, true, NULL);
        reset_unit(r);
    }
}

static void fill_binary_facts(reader *r)
{
    ps_binary *b = r->bin;
    b->arch = r->elf.arch;
    b->ptr_size = r->elf.ptr_size;
    b->big_endian = r->elf.big_endian;
    b->build_id = ps_elf_build_id(&r->elf, &b->arena);
    b->go_version = ps_elf_go_version(&r->elf, &b->arena);
    /* runtime always has a _cgo_init variable; x_cgo_init and the
     * runtime/cgo package come only with cgo. */
    static const char *const evidence[] = {"x_cgo_init", "runtime/cgo.*", "encoding/binary.Read*",
                                           "encoding/binary.Write*"};
    unsigned found = ps_elf_has_symbols(&r->elf, evidence, 4);
    if (r->dwarf_elf != &r->elf)
        found |= ps_elf_has_symbols(r->dwarf_elf, evidence, 4);
    b->uses_cgo = found & 3;
    b->uses_encoding_binary = found & 12;
}

/* Every unit of the file open in r->dbg. */
static void walk_file(reader *r, void *scan)
{
    read_units(r, true, scan, NULL);
    read_units(r, false, scan, NULL);
    read_type_units(r, scan);
}

/* The binary's own file: its compile units on opts->jobs threads when
 * that can be done (parallel.c), else as walk_file. */
static void walk_main_file(reader *r, unit_scan *scan)
{
    if (!rd_parallel_possible(r)) {
        walk_file(r, scan);
        return;
    }
    ps_vec *jobs = &r->unit_jobs; /* freed by reader_free if the read fails */
    ps_vec_init(jobs, sizeof(rd_unit_job));
    read_units(r, true, scan, jobs);
    rd_read_units_parallel(r, jobs->data, jobs->len, scan);
    ps_vec_free(jobs);
    read_units(r, false, scan, NULL);
    read_type_units(r, scan);
}

static void read_dwarf(reader *r, unit_scan *scan, const char *path)
{
    int rc = rd_open_dwarf(r);
    if (rc == DW_DLV_NO_ENTRY)
        rd_fail(r, "no DWARF debug information (stripped binary?)");
    if (rc != DW_DLV_OK)
        rd_dwarf_fail(r, "cannot open debug sections");
    rd_open_alt(r, r->bin->debug_file ? r->bin->debug_file : path);
    rd_note_sibling_attrs(r);
    if (r->opts->progress)
        rd_progress_start(r);
    walk_main_file(r, scan);
    rd_read_alt_units(r, walk_file, scan);
    rd_read_split_units(r, path, walk_file, scan);
    locate_go_types(r);
    if (!r->type_dies)
        rd_fail(r, "the DWARF describes no types (built with -gline-tables-only, -g1 or "
                   "-gmlt? then rebuild with -g)");
    /* libdwarf may have swallowed a failed section load (dwarf_srcfiles) */
    if (r->dwarf_elf->reloc_error[0])
        rd_fail(r, "%s", r->dwarf_elf->reloc_error);
    rd_classify(r);
    rd_relativize(r); /* after rd_classify, which reads absolute paths */
    if (r->opts->verbose)
        fprintf(stderr, "padscan: %s: attributes of %llu DIEs decoded from the section bytes, "
                        "%llu through libdwarf\n", path, (unsigned long long)r->raw_dies,
                (unsigned long long)r->libdwarf_dies);
}

/* The tables every reader has, the main one and each worker's. */
void rd_free_tables(reader *r)
{
    rd_raw_free(r);
    ps_map_free(&r->files);
    ps_map_free(&r->extern_names);
    ps_map_free(&r->methods);
    ps_map_free(&r->go_sources);
    ps_map_free(&r->go_dirs);
    ps_vec_free(&r->go_dir_list);
    ps_map_free(&r->dedup);
    ps_map_free(&r->strings);
    ps_vec_free(&r->scratch);
    ps_sb_free(&r->enum_text);
    ps_vec_free(&r->type_units);
    ps_vec_free(&r->deferred);
    ps_map_free(&r->anon_built);
    ps_map_free(&r->go_desc_seen);
    ps_vec_free(&r->events);
}

static void reader_free(reader *r)
{
    rd_let_go_all(r); /* while their handles are open */
    if (r->err)
        dwarf_dealloc_error(r->dbg, r->err);
    r->err = NULL;
    rd_free_unit(r);
    rd_free_tables(r);
    ps_vec_free(&r->unit_jobs);
    rd_progress_end(r);
    rd_merge_free(r);
    rd_parallel_free(r);
    rd_close_dwarf(r); /* a split file's, if the read failed inside one */
    if (r->main_dbg) {
        r->dbg = r->main_dbg;
        r->object = r->main_object;
        rd_close_dwarf(r);
    }
    rd_close_alt(r);
    ps_vec_free(&r->dwo_units);
    ps_elf_close(&r->split_elf);
    ps_elf_close(&r->alt_elf);
    ps_elf_close(&r->debug_elf);
    ps_elf_close(&r->elf);
}

/* The DWARF is in the binary, or in a separate debug file found by build
 * id, .gnu_debuglink or debuginfod (debugfile.c); the binary keeps the
 * build info and the Go runtime type descriptors either way. */
static int open_dwarf_file(reader *r, const char *path, char *why, size_t whylen)
{
    r->dwarf_elf = &r->elf;
    if (r->elf.has_dwarf)
        return 0;
    if (r->elf.lto_ir) {
        snprintf(why, whylen, "a GCC LTO object (-flto without -ffat-lto-objects): it holds "
                              "compiler IR, not the final layouts; give the linked binary");
        return -1;
    }
    char found[PATH_MAX];
    const char *id = ps_elf_build_id(&r->elf, &r->bin->arena);
    if (ps_find_debug_file(&r->elf, path, id, r->opts, found, sizeof(found), why, whylen) != 0)
        return -1;
    char err[512];
    r->dwarf_elf = &r->debug_elf;
    if (ps_elf_open(&r->debug_elf, found, err, sizeof(err)) != 0) {
        snprintf(why, whylen, "debug file %.900s: %s", found, err);
        return -1;
    }
    const char *debug_id = ps_elf_build_id(&r->debug_elf, &r->bin->arena);
    if (!r->debug_elf.has_dwarf || r->debug_elf.arch != r->elf.arch ||
        (id && debug_id && strcmp(id, debug_id))) {
        snprintf(why, whylen, "debug file %.900s: %s", found,
                 !r->debug_elf.has_dwarf ? "has no DWARF debug information either"
                 : r->debug_elf.arch != r->elf.arch ? "is for another architecture"
                                                    : "has another build id");
        return -1;
    }
    r->bin->debug_file = ps_arena_strdup(&r->bin->arena, found);
    if (r->opts->verbose)
        fprintf(stderr, "padscan: %s: DWARF from the separate debug file %s\n", path, found);
    r->elf.go_types = ps_elf_go_types_base(&r->debug_elf); /* its symbol table */
    r->elf.go_types_known = r->elf.go_types != 0;
    return 0;
}

/* A Go binary found without DWARF (-ldflags="-s -w") is read from its
 * runtime type descriptors (gort.c); anything else keeps the reason. */
static int read_go_without_dwarf(reader *r, const char *path, const char *why, char *err,
                                 size_t errlen)
{
    r->dwarf_elf = &r->elf;
    if (r->elf.has_dwarf || r->elf.lto_ir || !rd_is_go_binary(&r->elf)) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    if (setjmp(r->fail) != 0)
        return -1;
    fill_binary_facts(r);
    rd_read_go_runtime(r);
    rd_classify(r);
    return 0;
}

int ps_read_binary(const char *path, const ps_read_options *opts, ps_binary *out, char *err,
                   size_t errlen)
{
    static const ps_read_options defaults = {0};
    reader r;
    memset(&r, 0, sizeof(r));
    r.bin = out;
    r.debug_elf.fd = r.split_elf.fd = r.alt_elf.fd = -1;
    r.debug_elf.guard = r.split_elf.guard = r.alt_elf.guard = -1;
    r.opts = opts ? opts : &defaults;
    r.errbuf = err;
    r.errlen = errlen;
    ps_vec_init(&r.scratch, sizeof(ps_member));
    ps_vec_init(&r.type_units, sizeof(uint64_t));
    ps_vec_init(&r.deferred, sizeof(uint64_t));
    ps_vec_init(&r.go_dir_list, sizeof(const char *));
    ps_binary_init(out, path);
    out->sync_types_used = ps_arena_zalloc(&out->arena, r.opts->nsync_types + 1);
    unit_scan scan;
    ps_vec_init(&scan.named, sizeof(uint64_t));
    ps_vec_init(&scan.anonymous, sizeof(uint64_t));
    char why[1536];
    int status = 0;
    if (ps_elf_open(&r.elf, path, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        status = -1;
    } else if (open_dwarf_file(&r, path, why, sizeof(why)) != 0) {
        status = read_go_without_dwarf(&r, path, why, err, errlen);
    } else if (ps_elf_check_dwarf_sections(r.dwarf_elf, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        status = -1;
    } else if (setjmp(r.fail) == 0) {
        fill_binary_facts(&r);
        read_dwarf(&r, &scan, path);
    } else {
        status = -1;
    }
    if (r.elf.elf && ps_elf_truncated(&r.elf)) {
        snprintf(err, errlen, "%s: the file changed (shrank) while it was read", path);
        status = -1;
    }
    ps_vec_free(&scan.named);
    ps_vec_free(&scan.anonymous);
    reader_free(&r);
    return status;
}

bool ps_read_build_id(const char *path, char *out, size_t outlen)
{
    ps_elf e;
    ps_arena a = {0};
    char why[256];
    bool ok = false;
    if (ps_elf_open(&e, path, why, sizeof(why)) == 0) {
        const char *id = ps_elf_build_id(&e, &a);
        ok = id && (size_t)snprintf(out, outlen, "%s", id) < outlen && !ps_elf_truncated(&e);
    }
    ps_elf_close(&e);
    ps_arena_free(&a);
    return ok;
}
