/*
 * Risks of applying a suggestion, from what the binary shows: field order
 * that code may depend on (Go positional literals, cgo, encoding/binary,
 * public C headers) and 64-bit fields that would lose the 8-byte alignment
 * 64-bit atomics need on 32-bit targets.
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

void warnings_collect(const ps_binary *b, const ps_struct *s, const ps_member *m,
                      ps_suggestion *g, void (*add)(ps_suggestion *, void *, const char *, ...),
                      void *ctx)
{
    if (!g->improves)
        return;
    bool go = s->lang == PS_LANG_GO;
    if (go)
        add(g, ctx, "unkeyed composite literals (%s{a, b, ...}) and code that relies on field "
                    "order must be updated; 'go vet' reports unkeyed literals", s->name);
    if (go && b->uses_cgo)
        add(g, ctx, "the binary uses cgo: if this type is shared with C, its layout must match "
                    "the C declaration");
    if (go && b->uses_encoding_binary)
        add(g, ctx, "the binary links encoding/binary: if this type is read or written with "
                    "binary.Read/Write, its field order is a wire format");
    if (!go && in_header(s->decl_file))
        add(g, ctx, "declared in a header (%s): if it is part of a public API or ABI, or "
                    "written to disk or the network, reordering breaks compatibility",
            s->decl_file);
    for (uint32_t i = 0; b->ptr_size == 4 && i < s->nmembers; i++)
        if (is_64bit_int(&m[i]) && m[i].bit_pos % 64 == 0 && g->bit_pos[i] % 64 != 0)
            add(g, ctx, "%s moves from an 8-byte-aligned offset to %llu: 64-bit atomic "
                        "operations on it fail on this 32-bit target (use atomic.Int64 or "
                        "keep it first)", m[i].name, (unsigned long long)(g->bit_pos[i] / 8));
}
