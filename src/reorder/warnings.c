/*
 * Risks of applying a suggestion, from what the binary shows: field order
 * that code may depend on (Go positional literals, cgo, encoding/binary,
 * public C headers) and 64-bit fields that would lose the 8-byte alignment
 * 64-bit atomics need on 32-bit targets.
 *
 * cgo: a Go struct is taken as shared with C when a member's type is one of
 * cgo's C types by value (a C.int, a [4]C.long, a C.struct_x): built from
 * C types, it mirrors a C declaration.  Pointers to C data do not count
 * (the pointee's layout is C's own), nor do Go structs that hold such a
 * struct (reordering them leaves its layout alone; it is warned about
 * itself).  That a binary links cgo says nothing about a struct made of Go
 * types alone.
 */
#include <string.h>

#include "items.h"

static bool is_64bit_int(const ps_member *m)
{
    return !strcmp(m->type_head, "int64") || !strcmp(m->type_head, "uint64") ||
           !strncmp(m->type_head, "long long", 9) || !strncmp(m->type_head, "int64_t", 7) ||
           !strncmp(m->type_head, "uint64_t", 8);
}

static bool in_header(const char *file)
{
    size_t n = file ? strlen(file) : 0;
    return n > 2 && (!strcmp(file + n - 2, ".h") || strstr(file, "/include/"));
}

/* A by-value type spelling ("[2]main._Ctype_long", not "*main._Ctype_x"
 * or "[]main._Ctype_x") names a cgo type. */
static bool c_type_text(const char *t)
{
    while (*t == '[') { /* arrays hold their elements by value, slices do not */
        size_t digits = strspn(t + 1, "0123456789");
        if (!digits || t[1 + digits] != ']')
            return false;
        t += digits + 2;
    }
    if (!(*t == '_' || (*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')) ||
        strpbrk(t, "( "))
        return false; /* pointers, channels, functions, maps' values */
    size_t pkg = ps_go_package_len(t);
    return pkg && !strncmp(t + pkg + 1, "_Ctype_", 7);
}

/* The first member whose type is a cgo C type by value, or NULL. */
static const ps_member *c_member(const ps_binary *b, const ps_struct *s, const ps_member *m)
{
    for (uint32_t i = 0; i < s->nmembers; i++) {
        const ps_struct *r = m[i].record != PS_NONE ? ps_struct_at(b, m[i].record) : NULL;
        if (c_type_text(m[i].type_head) || (r && ps_is_cgo_mirror(r)))
            return &m[i];
    }
    return NULL;
}

void warnings_collect(const ps_binary *b, const ps_struct *s, const ps_member *m,
                      ps_suggestion *g, void (*add)(ps_suggestion *, void *, const char *, ...),
                      void *ctx)
{
    if (!g->improves)
        return;
    bool go = s->lang == PS_LANG_GO;
    size_t pkg = go ? ps_go_package_len(s->name) : 0;
    if (go)
        add(g, ctx, "unkeyed composite literals (%s{a, b, ...}) and code that relies on field "
                    "order must be updated; 'go vet' reports unkeyed literals only in packages "
                    "that import %.*s, never inside %.*s itself", s->name, (int)pkg, s->name,
            (int)pkg, s->name);
    const ps_member *cm = go && b->uses_cgo ? c_member(b, s, m) : NULL;
    if (cm)
        add(g, ctx, "shared with C: member %s is a C type (%s), so this struct likely mirrors "
                    "a C declaration; its order must match that declaration", cm->name,
            cm->type_head);
    if (go && b->uses_encoding_binary)
        add(g, ctx, "the binary links encoding/binary: if this type is read or written with "
                    "binary.Read/Write, its field order is a wire format");
    if (!go && in_header(s->decl_file))
        add(g, ctx, "declared in a header: if it is part of a public API or ABI, or "
                    "written to disk or the network, reordering breaks compatibility");
    for (uint32_t i = 0; b->ptr_size == 4 && i < s->nmembers; i++)
        if (is_64bit_int(&m[i]) && m[i].bit_pos % 64 == 0 && g->bit_pos[i] % 64 != 0)
            add(g, ctx, "%s moves from an 8-byte-aligned offset to %llu: 64-bit atomic "
                        "operations on it fail on this 32-bit target (use atomic.Int64 or "
                        "keep it first)", m[i].name, (unsigned long long)(g->bit_pos[i] / 8));
}
