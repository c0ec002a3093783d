/*
 * Model lifetime and naming helpers shared by every stage.
 */
#include "padscan/model.h"

#include <fnmatch.h>
#include <string.h>

void ps_binary_init(ps_binary *b, const char *path)
{
    memset(b, 0, sizeof(*b));
    ps_vec_init(&b->structs, sizeof(ps_struct));
    ps_vec_init(&b->members, sizeof(ps_member));
    b->path = ps_arena_strdup(&b->arena, path);
}

void ps_binary_free(ps_binary *b)
{
    ps_vec_free(&b->structs);
    ps_vec_free(&b->members);
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
    if (m->bit_size)
        ps_sb_printf(out, ":%u", m->bit_size);
}

const char *ps_member_label(const ps_member *m)
{
    return m->name && m->name[0] ? m->name : "(anonymous)";
}

bool ps_type_matches(const char *pattern, const ps_struct *s)
{
    return fnmatch(pattern, s->name, 0) == 0 || (s->ctype && fnmatch(pattern, s->ctype, 0) == 0);
}
