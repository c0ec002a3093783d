/*
 * Model lifetime and naming helpers shared by every stage.
 */
#include "padscan/model.h"
#include "padscan/select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_binary_init(ps_binary *b, const char *path)
{
    memset(b, 0, sizeof(*b));
    ps_vec_init(&b->structs, sizeof(ps_struct));
    ps_vec_init(&b->members, sizeof(ps_member));
    ps_vec_init(&b->go_sources, sizeof(ps_go_source));
    b->path = ps_arena_strdup(&b->arena, path);
}

void ps_binary_free(ps_binary *b)
{
    ps_vec_free(&b->structs);
    ps_vec_free(&b->members);
    ps_vec_free(&b->go_sources);
    ps_arena_free(&b->arena);
}

const char *ps_arch_name(ps_arch arch)
{
    static const char *const names[] = {
        [PS_ARCH_UNKNOWN] = "unknown", [PS_ARCH_X86_64] = "x86_64",
        [PS_ARCH_I386] = "i386",       [PS_ARCH_AARCH64] = "aarch64",
        [PS_ARCH_ARM] = "arm",         [PS_ARCH_RISCV64] = "riscv64",
        [PS_ARCH_PPC64] = "ppc64",     [PS_ARCH_S390X] = "s390x",
        [PS_ARCH_MIPS] = "mips",
    };
    return names[arch];
}

const char *ps_lang_name(ps_lang lang)
{
    return lang == PS_LANG_GO ? "go" : "c";
}

static const char *const class_names[] = {
    [PS_CLASS_OWN] = "own", [PS_CLASS_DEPENDENCY] = "dependency", [PS_CLASS_STD] = "std",
};

const char *ps_class_name(ps_class c)
{
    return class_names[c];
}

bool ps_class_parse(const char *name, ps_class *out)
{
    for (size_t i = 0; name && i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (!strcmp(name, class_names[i])) {
            *out = (ps_class)i;
            return true;
        }
    return false;
}

size_t ps_go_package_len(const char *name)
{
    if (!strncmp(name, "struct {", 8) || !strncmp(name, "struct{", 7))
        return 0;
    size_t head = strcspn(name, "[ ");
    const char *slash = memrchr(name, '/', head);
    const char *from = slash ? slash : name;
    const char *dot = memchr(from, '.', head - (size_t)(from - name));
    return dot ? (size_t)(dot - name) : 0;
}

bool ps_is_cgo_mirror(const ps_struct *s)
{
    size_t pkg = s->lang == PS_LANG_GO ? ps_go_package_len(s->name) : 0;
    return pkg && !strncmp(s->name + pkg + 1, "_Ctype_", 7);
}

void ps_member_type(const ps_member *m, ps_strbuf *out)
{
    size_t start = out->len;
    ps_sb_puts(out, m->type_head);
    ps_sb_puts(out, m->type_tail);
    while (out->len > start && out->buf[out->len - 1] == ' ')
        out->buf[--out->len] = '\0';
}

void ps_member_decl(const ps_member *m, ps_lang lang, ps_strbuf *out)
{
    if (lang == PS_LANG_GO) {
        if (!(m->flags & PS_MF_EMBEDDED))
            ps_sb_printf(out, "%s ", m->name);
        ps_member_type(m, out);
        return;
    }
    ps_sb_puts(out, m->type_head);
    ps_sb_puts(out, m->name);
    ps_sb_puts(out, m->type_tail);
    if (m->flags & PS_MF_BASE) /* C++: "struct Base (base)" */
        ps_sb_puts(out, m->flags & PS_MF_VBASE ? "(virtual base)" : "(base)");
    if (m->bit_size)
        ps_sb_printf(out, ":%u", m->bit_size);
}

const char *ps_member_label(const ps_member *m)
{
    if (m->flags & PS_MF_BASE)
        return m->flags & PS_MF_VBASE ? "(virtual base)" : "(base)";
    return m->name && m->name[0] ? m->name : "(anonymous)";
}

bool ps_type_matches(const char *pattern, const ps_struct *s)
{
    ps_type_ref t = ps_type_ref_of(s);
    return ps_type_ref_matches(pattern, &t);
}

const char *ps_binary_why_empty(const ps_binary *b)
{
    if (b->structs.len)
        return NULL;
    if (b->units)
        return "no struct or union types in its DWARF";
    return "no DWARF units with type information";
}

bool ps_member_is_fence(const ps_member *m, ps_lang lang, bool last, unsigned cacheline)
{
    if (m->bit_size)
        return false;
    if ((m->flags & PS_MF_PAD) && m->size > 0)
        return true;
    if (cacheline && m->align >= cacheline)
        return true;
    return lang == PS_LANG_C && m->size == 0 && !last;
}

int ps_go_version_minor(const char *v)
{
    int major = 0, minor = 0;
    if (!v || sscanf(v, "go%d.%d", &major, &minor) != 2 || major != 1)
        return 0;
    return minor;
}

typedef struct window_event {
    uint64_t window;
    int delta;
} window_event;

static int by_window(const void *a, const void *b)
{
    const window_event *x = a, *y = b;
    return x->window != y->window ? (x->window > y->window) - (x->window < y->window)
                                  : x->delta - y->delta;
}

/* A sweep over the windows where spans start (+1) and end (-1): linear
 * after sorting, whatever the record's size. */
uint32_t ps_sync_shared_lines(const ps_member *m, uint32_t n, const uint64_t *bit_pos,
                              const uint64_t *size, unsigned line)
{
    window_event *ev = ps_xcalloc(2 * (size_t)n + 1, sizeof(window_event));
    size_t k = 0;
    for (uint32_t i = 0; line && i < n; i++) {
        uint64_t at = (bit_pos ? bit_pos[i] : m[i].bit_pos) / 8, bytes = size ? size[i] : m[i].size;
        if (!(m[i].flags & PS_MF_SYNC) || !bytes)
            continue;
        ev[k++] = (window_event){at / line, +1};
        ev[k++] = (window_event){(at + bytes - 1) / line + 1, -1};
    }
    qsort(ev, k, sizeof(window_event), by_window);
    uint64_t shared = 0;
    int depth = 0;
    for (size_t e = 0; e < k; e++) {
        if (depth >= 2 && e > 0)
            shared += ev[e].window - ev[e - 1].window;
        depth += ev[e].delta;
    }
    free(ev);
    return shared > UINT32_MAX ? UINT32_MAX : (uint32_t)shared;
}
