/*
 * padscan suggest --format c: compilable C definitions in the suggested
 * order.  Nested records that change are defined first; anonymous members
 * are written inline; with a rename prefix, every defined type and every
 * reference to it carries the prefix (so tests can compile the suggestion
 * next to the original).
 */
#include <ctype.h>
#include <string.h>

#include "padscan/report.h"

enum { EMIT_NO, EMIT_YES, EMIT_DONE };

/* What the output (one translation unit, all binaries) has defined:
 * ctype -> the definition's text, so that a type seen again (the same
 * header in two binaries) is not defined twice, and another type with the
 * same tag (struct ctx in two files) gets a name of its own. */
typedef struct c_defined {
    ps_strindex names; /* ctype -> index into texts */
    ps_vec texts;      /* char *, arena copies */
    ps_arena arena;
} c_defined;

typedef struct c_out {
    const ps_binary *b;
    ps_reorder *reorder;
    const char *prefix;
    ps_strbuf *out;
    uint8_t *state;   /* per record */
    uint32_t *suffix; /* per record: 0, or n for "name_n" */
    c_defined *defined;
    ps_strindex emitted; /* ctype -> record, of the records the output defines */
} c_out;

static bool anonymous(const ps_struct *s) { return !s->ctype; }

static bool changes(c_out *c, uint32_t idx)
{
    const ps_suggestion *g = ps_suggest(c->reorder, idx);
    return g && (g->improves || g->optimal_size != g->size);
}

static void renamed(c_out *c, const ps_struct *s, ps_strbuf *out)
{
    const char *space = strchr(s->ctype, ' ');
    bool tagged = space && (!strncmp(s->ctype, "struct ", 7) || !strncmp(s->ctype, "union ", 6));
    if (tagged)
        ps_sb_add(out, s->ctype, (size_t)(space - s->ctype + 1));
    ps_sb_printf(out, "%s%s", c->prefix, tagged ? space + 1 : s->ctype);
    uint32_t n = c->suffix[s - ps_struct_at(c->b, 0)];
    if (n)
        ps_sb_printf(out, "_%u", n);
}

/* Which named records the output must define: those that change and are
 * held by value, directly or through anonymous members. */
static void mark(c_out *c, uint32_t idx)
{
    const ps_struct *s = ps_struct_at(c->b, idx);
    const ps_member *m = ps_members_of(c->b, s);
    for (uint32_t i = 0; i < s->nmembers; i++) {
        uint32_t r = m[i].record;
        if (r == PS_NONE || c->state[r] != EMIT_NO)
            continue;
        if (anonymous(ps_struct_at(c->b, r)))
            mark(c, r);
        else if (changes(c, r)) {
            c->state[r] = EMIT_YES;
            mark(c, r);
        }
    }
}

static void indent(ps_strbuf *out, int depth)
{
    for (int i = 0; i < depth; i++)
        ps_sb_puts(out, "    ");
}

static void body(c_out *c, uint32_t idx, int depth);
static void attributes(c_out *c, const ps_struct *s);

static bool ident(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* Declaration text with every reference to a record the output defines
 * renamed: by-value members, self-pointers (struct connection *next),
 * pointers and function pointer parameters alike. */
static void spell(c_out *c, const char *t, ps_strbuf *out)
{
    char key[512];
    while (*t) {
        if (!ident(*t)) {
            ps_sb_putc(out, *t++);
            continue;
        }
        size_t len = 0;
        while (ident(t[len]))
            len++;
        bool tag = (len == 6 && !strncmp(t, "struct", 6)) || (len == 5 && !strncmp(t, "union", 5));
        size_t tlen = len;
        if (tag && t[len] == ' ' && ident(t[len + 1]))
            for (tlen = len + 1; ident(t[tlen]);)
                tlen++;
        uint32_t r = PS_STRINDEX_NONE;
        if (tlen < sizeof(key)) {
            memcpy(key, t, tlen);
            key[tlen] = '\0';
            r = ps_strindex_get(&c->emitted, key);
        }
        if (r != PS_STRINDEX_NONE)
            renamed(c, ps_struct_at(c->b, r), out);
        else
            ps_sb_add(out, t, tlen);
        t += tlen;
    }
}

/* An enum the member declares is defined where it was: "enum {...} " or
 * "enum tag " in the head becomes the definition; with a rename prefix
 * the tag and the enumerators carry it (they would clash with the
 * original's otherwise). */
static void enum_head(c_out *c, const ps_member *m, ps_strbuf *out)
{
    const char *at = strstr(m->type_head, "enum ");
    if (!at) {
        spell(c, m->type_head, out);
        return;
    }
    ps_sb_add(out, m->type_head, (size_t)(at - m->type_head + 5));
    const char *body = m->enum_body, *brace = strchr(body, '{');
    ps_sb_add(out, body, (size_t)(brace - body)); /* __attribute__((packed)) */
    const char *tag = at + 5, *end = tag;
    while (ident(*end))
        end++;
    if (end > tag)
        ps_sb_printf(out, "%s%.*s ", c->prefix, (int)(end - tag), tag);
    else
        end = strchr(tag, ' ') ? strchr(tag, ' ') : tag + strlen(tag); /* "{...}" */
    char prev = 0;
    for (const char *p = brace; *p; p++) {
        if (ident(*p) && !isdigit((unsigned char)*p) && (prev == '{' || prev == ','))
            ps_sb_puts(out, c->prefix);
        ps_sb_putc(out, *p);
        if (*p != ' ')
            prev = *p;
    }
    spell(c, end, out);
}

static void member(c_out *c, const ps_member *m, int depth)
{
    indent(c->out, depth);
    if (m->flags & PS_MF_ALIGNED)
        ps_sb_printf(c->out, "_Alignas(%u) ", m->align);
    const ps_struct *r = m->record != PS_NONE ? ps_struct_at(c->b, m->record) : NULL;
    if (r && anonymous(r)) {
        ps_sb_puts(c->out, r->is_union ? "union {\n" : "struct {\n");
        body(c, m->record, depth + 1);
        indent(c->out, depth);
        ps_sb_putc(c->out, '}');
        attributes(c, r);
        ps_sb_printf(c->out, "%s%s%s;\n", m->name[0] ? " " : "", m->name, m->type_tail);
        return;
    }
    if (m->enum_body)
        enum_head(c, m, c->out);
    else
        spell(c, m->type_head, c->out);
    ps_sb_puts(c->out, m->name);
    spell(c, m->type_tail, c->out);
    if (m->bit_size)
        ps_sb_printf(c->out, " : %u", m->bit_size);
    if (m->flags & PS_MF_PACKED)
        ps_sb_puts(c->out, " __attribute__((packed))");
    ps_sb_puts(c->out, ";\n");
}

/* Padding of more than this many lines is one named array instead: a
 * layout read from DWARF may put a member gigabytes further on, and the
 * output must stay proportional to the members. */
enum { PAD_LINES = 64 };

/* Whole bytes [from, to) as one "unsigned char padscan_gapN[bytes];" */
static void pad_array(c_out *c, uint64_t from, uint64_t to, int depth)
{
    indent(c->out, depth);
    ps_sb_printf(c->out, "unsigned char padscan_gap%llu[%llu];\n", (unsigned long long)from,
                 (unsigned long long)(to - from));
}

/* Unnamed bitfields and :0 leave no trace in DWARF but a gap before the
 * next bitfield; unnamed padding bitfields (never crossing a storage unit)
 * put it back. */
static void bit_padding(c_out *c, const ps_member *next, uint64_t at, uint64_t to, int depth)
{
    uint64_t unit = next->size * 8, step = (uint64_t)next->align * 8;
    if (unit && step && (to - at) / unit > PAD_LINES) {
        /* up to a byte, whole bytes up to the start of to's unit, the rest */
        uint64_t first = (at + 7) / 8 * 8, last = to / step * step;
        if (first > at) {
            indent(c->out, depth);
            ps_sb_printf(c->out, "unsigned char : %llu;\n", (unsigned long long)(first - at));
        }
        pad_array(c, first / 8, last / 8, depth);
        at = last;
    }
    while (unit && step && at < to) {
        uint64_t room = at / step * step + unit - at, piece = to - at < room ? to - at : room;
        indent(c->out, depth);
        ps_sb_printf(c->out, "%s: %llu;\n", next->type_head, (unsigned long long)piece);
        at += piece;
    }
}

/* A member further on than its alignment puts it (a zero-width bitfield
 * in the source, which DWARF does not record): unnamed char bitfields fill
 * the gap (unnamed bitfields leave the record's alignment alone). */
static void gap_padding(c_out *c, uint64_t at, uint64_t to, int depth)
{
    while (at < to) {
        if (at % 8 == 0 && (to - at) / 8 > PAD_LINES) {
            pad_array(c, at / 8, to / 8, depth);
            at = to / 8 * 8;
            continue;
        }
        uint64_t piece = 8 - at % 8;
        indent(c->out, depth);
        ps_sb_printf(c->out, "unsigned char : %llu;\n", (unsigned long long)piece);
        at += piece;
    }
}

static void body(c_out *c, uint32_t idx, int depth)
{
    const ps_suggestion *g = ps_suggest(c->reorder, idx);
    const ps_struct *s = ps_struct_at(c->b, idx);
    const ps_member *m = ps_members_of(c->b, s);
    uint64_t at = 0;
    for (uint32_t k = 0; k < s->nmembers; k++) {
        uint32_t i = g ? g->order[k] : k;
        uint64_t pos = g ? g->bit_pos[i] : m[i].bit_pos;
        if (!s->is_union && m[i].bit_size && pos > at)
            bit_padding(c, &m[i], at, pos, depth);
        uint64_t step = (uint64_t)m[i].align * 8;
        if (!s->is_union && !m[i].bit_size && step && pos > (at + step - 1) / step * step)
            gap_padding(c, at, pos, depth);
        member(c, &m[i], depth);
        uint64_t bits = m[i].bit_size ? m[i].bit_size : (g ? g->member_size[i] : m[i].size) * 8;
        at = pos + bits > at ? pos + bits : at;
    }
}

static uint32_t members_align(const ps_binary *b, const ps_struct *s)
{
    uint32_t a = 1;
    const ps_member *m = ps_members_of(b, s);
    for (uint32_t i = 0; i < s->nmembers; i++)
        a = m[i].align > a ? m[i].align : a;
    return a;
}

/* packed (pack 1) and over-alignment are attributes; #pragma pack(N)
 * wraps the definition (see define). */
static void attributes(c_out *c, const ps_struct *s)
{
    if (s->packed && s->pack == 1)
        ps_sb_puts(c->out, " __attribute__((packed))");
    if ((!s->packed || s->pack == 1) && s->align > (s->packed ? 1 : members_align(c->b, s)))
        ps_sb_printf(c->out, " __attribute__((aligned(%u)))", s->align);
}

static void define(c_out *c, uint32_t idx);

/* Named records this one holds by value (also through anonymous members)
 * are defined before it. */
static void dependencies(c_out *c, uint32_t idx)
{
    const ps_struct *s = ps_struct_at(c->b, idx);
    const ps_member *m = ps_members_of(c->b, s);
    for (uint32_t i = 0; i < s->nmembers; i++) {
        uint32_t r = m[i].record;
        if (r != PS_NONE && anonymous(ps_struct_at(c->b, r)))
            dependencies(c, r);
        else if (r != PS_NONE && c->state[r] == EMIT_YES)
            define(c, r);
    }
}

static void definition(c_out *c, uint32_t idx, const ps_suggestion *g);

/* Defines record idx after what it holds, once per type in the output. */
static void define(c_out *c, uint32_t idx)
{
    const ps_struct *s = ps_struct_at(c->b, idx);
    const ps_suggestion *g = ps_suggest(c->reorder, idx);
    if (c->state[idx] == EMIT_DONE || !g)
        return;
    c->state[idx] = EMIT_DONE;
    dependencies(c, idx);
    ps_strbuf text = {0}, name = {0}, *out = c->out;
    for (uint32_t n = 1;; n++) {
        c->suffix[idx] = n == 1 ? 0 : n;
        text.len = name.len = 0;
        c->out = &text;
        definition(c, idx, g);
        c->out = out;
        renamed(c, s, &name);
        uint32_t k = ps_strindex_get(&c->defined->names, name.buf);
        if (k == PS_STRINDEX_NONE) {
            *(char **)ps_vec_push(&c->defined->texts) = ps_arena_strdup(&c->defined->arena, text.buf);
            ps_strindex_add(&c->defined->names, ps_arena_strdup(&c->defined->arena, name.buf),
                            (uint32_t)(c->defined->texts.len - 1));
            ps_sb_puts(out, text.buf);
            break;
        }
        if (!strcmp(PS_VEC_AT(&c->defined->texts, char *, k), text.buf))
            break; /* the same type (one header, two binaries): defined already */
    }
    ps_sb_free(&text);
    ps_sb_free(&name);
}

static void definition(c_out *c, uint32_t idx, const ps_suggestion *g)
{
    const ps_struct *s = ps_struct_at(c->b, idx);
    if (c->suffix[idx]) { /* rare: a one-off answer of the rule (docs/ci.md, "Paths") */
        ps_arena a = {0};
        const char *file = ps_repo_path(c->b->source_root, s->decl_file, &a, NULL);
        ps_sb_printf(c->out, "/* padscan: %s (%s), %llu -> %llu bytes; another type is named %s"
                             " above */\n", s->name, file ? file : "?",
                     (unsigned long long)g->size, (unsigned long long)g->optimal_size, s->ctype);
        ps_arena_free(&a);
    } else
        ps_sb_printf(c->out, "/* padscan: %s, %llu -> %llu bytes */\n", s->name,
                     (unsigned long long)g->size, (unsigned long long)g->optimal_size);
    bool tdef = strchr(s->ctype, ' ') == NULL;
    if (s->packed && s->pack > 1)
        ps_sb_printf(c->out, "#pragma pack(push, %u)\n", s->pack);
    if (tdef)
        ps_sb_printf(c->out, "typedef %s {\n", s->is_union ? "union" : "struct");
    else {
        renamed(c, s, c->out);
        ps_sb_puts(c->out, " {\n");
    }
    body(c, idx, 1);
    ps_sb_putc(c->out, '}');
    attributes(c, s);
    if (tdef) {
        ps_sb_putc(c->out, ' ');
        renamed(c, s, c->out);
    }
    ps_sb_puts(c->out, ";\n");
    if (s->packed && s->pack > 1)
        ps_sb_puts(c->out, "#pragma pack(pop)\n");
    ps_sb_putc(c->out, '\n');
}

/* A C++ class gets its new order as a comment: apply it in the class. */
static void cxx_note(ps_strbuf *out, const ps_binary *b, const ps_struct *s,
                     const ps_suggestion *g)
{
    const ps_member *m = ps_members_of(b, s);
    size_t from = out->len;
    ps_sb_printf(out, "/* padscan: C++ %s, %llu -> %llu bytes: reorder its data members in its "
                      "own definition to: ", s->name, (unsigned long long)s->size,
                 (unsigned long long)g->optimal_size);
    for (uint32_t k = 0; k < g->n; k++)
        ps_sb_printf(out, "%s%s", k ? ", " : "", ps_member_label(&m[g->order[k]]));
    ps_sb_escape_from(out, from);
    ps_sb_puts(out, " */\n\n");
}

void ps_export_c(const ps_suggest_report *r, ps_strbuf *out)
{
    c_defined defined = {0};
    ps_vec_init(&defined.texts, sizeof(char *));
    for (size_t b = 0; b < r->n; b++) {
        const ps_suggest_binary *sb = &r->bins[b];
        ps_arena scratch = {0};
        c_out c = {sb->bin, sb->reorder, r->rename_prefix ? r->rename_prefix : "", out, NULL,
                   NULL, &defined, {0}};
        c.state = ps_arena_zalloc(&scratch, sb->bin->structs.len + 1);
        c.suffix = ps_arena_zalloc(&scratch, (sb->bin->structs.len + 1) * sizeof(uint32_t));
        for (size_t i = 0; i < sb->n; i++) {
            const ps_struct *s = ps_struct_at(sb->bin, sb->suggestions[i]->record);
            if (s->cxx && sb->suggestions[i]->improves) /* C++ names are no C */
                cxx_note(out, sb->bin, s, sb->suggestions[i]);
            else if (s->lang == PS_LANG_C && !s->cxx && !anonymous(s))
                c.state[sb->suggestions[i]->record] = EMIT_YES;
        }
        for (size_t i = 0; i < sb->n; i++)
            if (c.state[sb->suggestions[i]->record] == EMIT_YES)
                mark(&c, sb->suggestions[i]->record);
        for (uint32_t i = 0; i < sb->bin->structs.len; i++)
            if (c.state[i] == EMIT_YES && ps_strindex_get(&c.emitted, ps_struct_at(sb->bin, i)->ctype)
                                              == PS_STRINDEX_NONE)
                ps_strindex_add(&c.emitted, ps_struct_at(sb->bin, i)->ctype, i);
        for (size_t i = 0; i < sb->n; i++)
            if (c.state[sb->suggestions[i]->record] == EMIT_YES)
                define(&c, sb->suggestions[i]->record);
        ps_strindex_free(&c.emitted);
        ps_arena_free(&scratch);
    }
    ps_strindex_free(&defined.names);
    ps_vec_free(&defined.texts);
    ps_arena_free(&defined.arena);
}
