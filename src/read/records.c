/*
 * Records (structs and unions) into the model: naming, deduplication across
 * compile units, members, and the alignment DWARF leaves out.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

static const char *basename_of(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

/* "{a, b, c}": the first member names of a record, for an anonymous one
 * that nothing else names. */
static const char *member_signature(reader *r, rd_node *die)
{
    ps_strbuf *sb = &r->enum_text; /* the reader's: a failure below longjmps */
    sb->len = 0;
    int n = 0;
    ps_sb_putc(sb, '{');
    rd_kids k;
    for (rd_kids_open(r, die, "members", &k); rd_kids_next(r, &k);) {
        if (k.tag != DW_TAG_member)
            continue;
        die_attrs a;
        rd_kids_attrs(r, &k, &a);
        if (n < 4)
            ps_sb_printf(sb, "%s%s", n ? ", " : "", a.name ? a.name : "(anonymous)");
        n++;
    }
    ps_sb_puts(sb, n > 4 ? ", ...}" : "}");
    return ps_arena_strdup(&r->cu_arena, sb->buf);
}

/* Anonymous records are named by their place, which a comment line above
 * them does not move: in the enclosing type ("request.u",
 * "request.u.small", "request.(anonymous union 1)" for an unnamed member,
 * see add_member); else by the variable of that type ("(anonymous struct
 * of table in t.c)"); else by their first members ("(anonymous struct
 * {a, b} in net.h)"). */
static void name_record(reader *r, rd_node *die, const die_attrs *a, uint64_t key,
                        const char *parent, const char *file, ps_struct *s)
{
    const char *word = a->tag == DW_TAG_union_type ? "union" : "struct";
    const char *tdef = rd_typedef_name(r, key);
    if (a->name && r->cu_cxx) {
        s->name = s->ctype = rd_cxx_name(r, key, a->name);
        return;
    }
    if (a->name) {
        s->name = rd_intern(r, a->name);
        if (s->lang == PS_LANG_C)
            s->ctype = rd_intern_cat(r, a->tag == DW_TAG_union_type ? "union " : "struct ", a->name);
        return;
    }
    if (tdef) {
        s->name = s->ctype = tdef;
        return;
    }
    if (parent) {
        s->name = rd_intern(r, parent);
        return;
    }
    const char *var = ps_map_get(&r->variable_names, key);
    const char *what = var ? ps_arena_printf(&r->cu_arena, "of %s", var) : member_signature(r, die);
    s->name = rd_intern(r, ps_arena_printf(&r->cu_arena, "(anonymous %s %s%s%s)", word, what,
                                           file ? " in " : "", file ? basename_of(file) : ""));
}

static uint64_t record_hash(const ps_struct *s)
{
    uint64_t h = ps_hash_str(s->name, s->size * 31 + s->decl_line);
    h = ps_hash_str(s->decl_file, h ^ (uint64_t)s->lang ^ ((uint64_t)s->is_union << 8));
    return h | 1;
}

static bool same_record(const ps_struct *a, const ps_struct *b)
{
    return a->name == b->name && a->size == b->size && a->decl_line == b->decl_line &&
           a->decl_file == b->decl_file && a->lang == b->lang && a->is_union == b->is_union;
}

/* Returns the index of an identical record already read, or PS_NONE and
 * the free hash slot in *slot. */
static uint32_t find_record(reader *r, const ps_struct *want, uint64_t *slot)
{
    for (uint64_t h = record_hash(want);; h += 2) {
        void *v = ps_map_get(&r->dedup, h);
        if (!v) {
            *slot = h;
            return PS_NONE;
        }
        uint32_t idx = (uint32_t)((uintptr_t)v - 1);
        /* (an index past the end is a record a parallel merge took back) */
        if (idx < r->bin->structs.len && same_record(ps_struct_at(r->bin, idx), want))
            return idx;
    }
}

/* What anonymous_record_of looks through to the type inside. */
static bool wraps_type(Dwarf_Half tag)
{
    return tag == DW_TAG_const_type || tag == DW_TAG_volatile_type || tag == DW_TAG_atomic_type ||
           tag == DW_TAG_array_type;
}

/* The anonymous record a member's type is, through qualifiers and
 * arrays ("const struct {...} x[4]"), as a DIE key; 0 if it is none. */
static uint64_t anonymous_record_of(reader *r, const die_attrs *member)
{
    if (!member->has_type)
        return 0;
    uint64_t key = rd_type_key(member);
    bool outer = r->cur_alt;
    for (int depth = 0; depth < 8; depth++) {
        Dwarf_Half tag = rd_raw_tag(r, key); /* 0: not known without reading it */
        if (tag && !rd_is_record_tag(tag) && !wraps_type(tag))
            return 0; /* most members: a scalar, a pointer, a typedef */
        die_attrs a;
        r->cur_alt = (key & RD_KEY_ALT) != 0; /* its references are its file's */
        Dwarf_Die die = rd_attrs_at(r, key, &a);
        r->cur_alt = outer;
        if (die)
            rd_let_go(r, die);
        if (rd_is_record_tag(a.tag))
            return a.name || a.has_signature ? 0 : key;
        if (!wraps_type(a.tag) || !a.has_type)
            return 0;
        key = rd_type_key(&a);
    }
    return 0;
}

static const char *member_place(reader *r, const die_attrs *a, const char *parent,
                                uint32_t *unnamed);

/* A top-level variable of an anonymous record type names the record when
 * nothing else does ("static const struct { ... } table[] = ..."). */
void rd_note_variable(reader *r, const die_attrs *a)
{
    if (!a->name)
        return;
    uint64_t key = anonymous_record_of(r, a);
    if (key && !ps_map_get(&r->variable_names, key))
        ps_map_put(&r->variable_names, key, (void *)rd_intern(r, a->name));
}

/* A record this unit repeats was read from an earlier unit; its
 * anonymous members' types are repeated too, and C compilers put them at
 * the unit's top level.  Reaching them from their parent now gives them
 * their place names (and finds the records already read), so the
 * top-level pass does not take them for records of their own. */
static void reach_anonymous_members(reader *r, rd_node *die, const char *name)
{
    uint32_t unnamed[2] = {0, 0};
    rd_kids k;
    for (rd_kids_open(r, die, "members", &k); rd_kids_next(r, &k);) {
        if (k.tag != DW_TAG_member)
            continue;
        die_attrs a;
        rd_kids_attrs(r, &k, &a);
        if (anonymous_record_of(r, &a))
            rd_type(r, rd_type_key(&a), true, member_place(r, &a, name, unnamed));
    }
}

/* Does the record (read already) hold an anonymous record by value? */
static bool holds_anonymous(const ps_binary *b, uint32_t idx)
{
    const ps_struct *s = ps_struct_at(b, idx);
    const ps_member *m = ps_members_of(b, s);
    for (uint32_t i = 0; i < s->nmembers; i++)
        if (m[i].record != PS_NONE && !ps_struct_at(b, m[i].record)->ctype)
            return true;
    return false;
}

static uint64_t member_bit_pos(reader *r, const die_attrs *a, const typeinfo *t)
{
    if (a->has_data_bit_offset)
        return a->data_bit_offset;
    uint64_t pos = a->has_member_loc ? rd_mul(r, (uint64_t)a->member_loc, 8, "member offset") : 0;
    if (a->bit_size && a->has_bit_offset) {
        /* DWARF 2/3 style: bit_offset counts from the most significant bit
         * of a storage unit of byte_size bytes (negative past its end).
         * All terms are below 2^60 in magnitude: no signed overflow. */
        int64_t unit = (int64_t)rd_mul(r, a->has_byte_size ? a->byte_size : t->size, 8,
                                       "bitfield unit");
        int64_t rel = r->bin->big_endian ? a->bit_offset
                                         : unit - a->bit_offset - (int64_t)a->bit_size;
        if (rel < 0 && (uint64_t)-rel > pos)
            rd_fail(r, "malformed DWARF: bitfield %s starts before its record",
                    a->name ? a->name : "(anonymous)");
        pos = rel < 0 ? pos - (uint64_t)-rel : rd_add(r, pos, (uint64_t)rel, "member offset");
    }
    return pos;
}

/* Explicit padding, by the naming rule of docs/suggest.md ("Fences"): Go's
 * blank field, a name of the form [_]*pad[ding][digits or _], or a type
 * named ...CacheLinePad (Go's internal/cpu and x/sys/cpu). */
bool rd_is_padding(const char *name, const char *type)
{
    size_t tl = strlen(type);
    while (tl && type[tl - 1] == ' ')
        tl--;
    if (tl >= 12 && !strncmp(type + tl - 12, "CacheLinePad", 12))
        return true;
    if (!strcmp(name, "_"))
        return true;
    while (*name == '_')
        name++;
    if (strncasecmp(name, "pad", 3))
        return false;
    name += 3;
    if (!strncasecmp(name, "ding", 4))
        name += 4;
    return strspn(name, "0123456789_") == strlen(name);
}

/* What an anonymous record reached through this member is called:
 * "parent.member", or "parent.(anonymous union 2)" for the second unnamed
 * union member of the parent (unnamed[1] counts unions, [0] structs). */
static const char *member_place(reader *r, const die_attrs *a, const char *parent,
                                uint32_t *unnamed)
{
    if (a->name)
        return ps_arena_printf(&r->cu_arena, "%s.%s", parent, a->name);
    uint64_t key = anonymous_record_of(r, a);
    if (!key)
        return parent; /* an unnamed bitfield: no record to name */
    Dwarf_Half tag = rd_raw_tag(r, key);
    if (!tag) {
        Dwarf_Die die = rd_offdie(r, key);
        if (dwarf_tag(die, &tag, &r->err) != DW_DLV_OK)
            rd_dwarf_fail(r, "tag");
        rd_let_go(r, die);
    }
    bool is_union = tag == DW_TAG_union_type;
    return ps_arena_printf(&r->cu_arena, "%s.(anonymous %s %u)", parent,
                           is_union ? "union" : "struct", ++unnamed[is_union]);
}

/* An enum the member declares: anonymous, or declared between the
 * record's first line and the member's (in C, only inside the record). */
static bool declares_enum(const die_attrs *rec, const die_attrs *a, const typeinfo *t)
{
    if (!t->enum_body)
        return false;
    if (t->enum_anon)
        return true;
    return t->enum_file && rec->has_decl_file && a->has_decl_file &&
           t->enum_file == rec->decl_file + 1 && a->decl_file == rec->decl_file &&
           rec->decl_line <= t->enum_line && t->enum_line <= a->decl_line;
}

static void add_member(reader *r, const die_attrs *a, const die_attrs *rec, const char *parent,
                       uint32_t *unnamed)
{
    if (!a->has_type)
        rd_fail(r, "malformed DWARF: member %s has no type", a->name ? a->name : "(anonymous)");
    typeinfo *t = rd_type(r, rd_type_key(a), true,
                          member_place(r, a, parent, unnamed));
    ps_member *m = ps_vec_push(&r->scratch);
    m->name = a->name ? rd_intern(r, a->name) : "";
    m->type_head = t->head;
    m->type_tail = t->tail;
    m->bit_pos = member_bit_pos(r, a, t);
    m->size = rd_bytes(r, t->size, "member size");
    m->align = t->align ? t->align : 1;
    m->bit_size = (uint32_t)a->bit_size;
    m->ptr_bytes = t->ptr_bytes;
    m->record = t->record;
    m->count = t->count;
    m->kind = t->kind;
    m->enum_body = declares_enum(rec, a, t) ? t->enum_body : NULL;
    if (a->alignment > m->align) {
        m->align = (uint32_t)a->alignment;
        m->flags |= PS_MF_ALIGNED;
    }
    if (!a->name && (t->kind == PS_K_STRUCT || t->kind == PS_K_UNION) &&
        a->tag != DW_TAG_inheritance)
        m->flags |= PS_MF_ANONYMOUS;
    if (a->tag == DW_TAG_inheritance)
        m->flags |= PS_MF_BASE | (a->virtual_base ? PS_MF_VBASE : 0);
    if (a->tag == DW_TAG_inheritance && !a->has_member_loc && !a->virtual_base)
        rd_fail(r, "malformed DWARF: a base class of %s has no offset", parent);
    m->flags |= (a->embedded ? PS_MF_EMBEDDED : 0) | (t->flags & TI_FLEXIBLE ? PS_MF_FLEXIBLE : 0) |
                (t->flags & TI_ALIGN64 ? PS_MF_ALIGN64 : 0) |
                (t->flags & TI_HOSTLAYOUT ? PS_MF_HOSTLAYOUT : 0) |
                (t->flags & TI_SYNC ? PS_MF_SYNC : 0) |
                (!a->bit_size && rd_is_padding(m->name, t->head) ? PS_MF_PAD : 0);
}

/* Reads the data members and base classes; returns whether C++ access
 * control differs between members (default_access: the record's). */
static bool read_members(reader *r, rd_node *die, const die_attrs *rec, const char *name,
                         int default_access)
{
    uint32_t unnamed[2] = {0, 0};
    int access = 0;
    bool mixed = false;
    rd_kids k;
    for (rd_kids_open(r, die, "members", &k); rd_kids_next(r, &k);) {
        if (k.tag != DW_TAG_member && k.tag != DW_TAG_inheritance)
            continue;
        die_attrs a;
        rd_kids_attrs(r, &k, &a);
        /* DWARF 4 writes static data members as declared members */
        bool data = a.tag == DW_TAG_member && !(a.declaration && !a.has_member_loc);
        if (data || a.tag == DW_TAG_inheritance)
            add_member(r, &a, rec, name, unnamed);
        if (data && !a.artificial) {
            int acc = a.access ? a.access : default_access;
            mixed |= access && acc != access;
            access = acc;
        }
    }
    return mixed;
}

/* Go: the largest field alignment, 8 with an atomic align64 marker; the
 * runtime type descriptor, when present, has the compiler's own word. */
static void go_alignment(reader *r, const die_attrs *a, ps_struct *s, const ps_member *m,
                         uint32_t n)
{
    size_t len = strlen(s->name);
    s->align = len >= 14 && !strcmp(s->name + len - 14, "atomic.align64") ? 8 : 1;
    s->ptr_bytes = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t al = m[i].flags & PS_MF_ALIGN64 ? 8 : m[i].align;
        s->align = al > s->align ? al : s->align;
        if (m[i].ptr_bytes && m[i].bit_pos / 8 + m[i].ptr_bytes > s->ptr_bytes)
            s->ptr_bytes = m[i].bit_pos / 8 + m[i].ptr_bytes;
    }
    uint64_t before = r->bin->go_descriptors;
    rd_go_descriptor(r, a, s->size, &s->align, &s->ptr_bytes);
    if (r->bin->go_descriptors != before) /* the descriptor is this type's */
        s->go_type = ps_elf_go_types_base(&r->elf) + a->go_runtime_type;
}

uint32_t rd_commit_record(reader *r, ps_struct *proto, size_t base)
{
    ps_binary *b = r->bin;
    uint32_t n = (uint32_t)(r->scratch.len - base);
    proto->first_member = (uint32_t)b->members.len;
    proto->nmembers = n;
    ps_vec_reserve(&b->members, b->members.len + n + 1);
    if (n)
        memcpy(&PS_VEC_AT(&b->members, ps_member, b->members.len),
           &PS_VEC_AT(&r->scratch, ps_member, base), n * sizeof(ps_member));
    b->members.len += n;
    r->scratch.len = base;
    *(ps_struct *)ps_vec_push(&b->structs) = *proto;
    return (uint32_t)(b->structs.len - 1);
}

/* A parallel read's worker logs each record it reaches (parallel.c). */
static size_t log_event(reader *r, uint32_t kind, uint32_t record)
{
    if (!r->worker)
        return 0;
    rd_event *e = ps_vec_push(&r->events);
    e->kind = kind;
    e->record = record;
    return r->events.len - 1;
}

static void end_event(reader *r, size_t event, uint32_t record)
{
    if (!r->worker)
        return;
    rd_event *e = &PS_VEC_AT(&r->events, rd_event, event);
    e->record = record;
    e->end = (uint32_t)r->events.len;
}

uint32_t rd_record(reader *r, rd_node *die, const die_attrs *a, uint64_t key, const char *parent)
{
    ps_struct s = {0};
    s.lang = r->cu_lang;
    s.is_union = a->tag == DW_TAG_union_type;
    s.size = rd_bytes(r, a->byte_size, "record size");
    s.decl_line = (uint32_t)a->decl_line;
    s.decl_file = a->has_decl_file ? rd_decl_file(r, die, a->decl_file) : NULL;
    name_record(r, die, a, key, parent, s.decl_file, &s);
    /* Go: struct types, but not the compiler's "noalg." helpers (map
     * buckets and the like, which no source declares). */
    s.reported = s.lang == PS_LANG_C ||
                 (a->go_kind == PS_GO_STRUCT && strncmp(s.name, "noalg.", 6) != 0);
    if (r->in_type_unit && !a->name)
        ps_map_put(&r->anon_built, key, (void *)1);
    uint64_t slot = 0;
    uint32_t found = find_record(r, &s, &slot);
    size_t event = log_event(r, found == PS_NONE ? RD_EV_NEW : RD_EV_FOUND, found);
    if (found != PS_NONE) {
        if (s.lang == PS_LANG_C && holds_anonymous(r->bin, found))
            reach_anonymous_members(r, die, s.name);
        end_event(r, event, found);
        return found;
    }
    size_t base = r->scratch.len;
    bool mixed_access = read_members(r, die, a, s.name, a->tag == DW_TAG_class_type
                                                         ? DW_ACCESS_private : DW_ACCESS_public);
    uint32_t n = r->cu_cxx ? rd_cxx_layout(r, &s, base, mixed_access)
                           : (uint32_t)(r->scratch.len - base);
    /* no members yet anywhere: scratch has no buffer, and NULL + 0 is
     * undefined (found by fuzz_read; tests/fuzz/regress/read) */
    ps_member *m = r->scratch.data ? &PS_VEC_AT(&r->scratch, ps_member, base) : NULL;
    s.nmembers = n;
    rd_check_record(r, &s, m, n);
    if (s.lang == PS_LANG_GO)
        go_alignment(r, a, &s, m, n);
    else
        ps_infer_c_align(&s, m, (uint32_t)a->alignment);
    uint32_t idx = rd_commit_record(r, &s, base);
    find_record(r, &s, &slot); /* nested records may have taken the slot */
    ps_map_put(&r->dedup, slot, (void *)(uintptr_t)(idx + 1));
    end_event(r, event, idx);
    return idx;
}

/* --- a parallel read's merge (parallel.c) -------------------------------- */

/* The merge of a worker's units (parallel.c): its events replayed in
 * order, each record met as the one-thread read meets it.  A record read
 * (NEW) that r has already is found, and only its anonymous members are
 * followed, as rd_record reaches them; one r lacks is committed after the
 * records its reading reached.  A record the worker had found (FOUND) is
 * r's too; its anonymous members follow when r's holds anonymous ones.
 *
 * What the worker reached inside a record that r had already is
 * "skipped": one thread never read it there.  A unit may name an
 * anonymous record by the first place it meets it, so if a skipped
 * anonymous record is met later other than through its own event (a
 * top-level type, or a member whose type the unit had resolved already),
 * one thread could have named it otherwise: mc->diverged, and the unit is
 * read again on r (parallel.c). */

static bool anonymous(const ps_struct *s) { return s->lang == PS_LANG_C && !s->ctype; }

static const char *adopt(reader *r, const char *s)
{
    return s && *s ? rd_intern(r, s) : s; /* "" and NULL stay the constants they are */
}

static ps_struct adopted(reader *r, const ps_struct *src)
{
    ps_struct s = *src;
    s.name = adopt(r, src->name);
    s.ctype = adopt(r, src->ctype);
    s.decl_file = adopt(r, src->decl_file);
    s.fixed_reason = adopt(r, src->fixed_reason);
    return s;
}

static void set_map(rd_merge *mc, uint32_t idx, uint32_t to)
{
    mc->map[idx] = to;
    *(uint32_t *)ps_vec_push(&mc->mapped) = idx;
}

static uint32_t resolve(reader *r, rd_merge *mc, uint32_t idx, bool checked);
static void reach_anonymous(reader *r, rd_merge *mc, uint32_t idx);

/* Commits the worker's record idx (members' records merged first). */
static uint32_t commit(reader *r, rd_merge *mc, uint32_t idx, ps_struct *s)
{
    const ps_member *sm = ps_members_of(mc->from, ps_struct_at(mc->from, idx));
    for (uint32_t i = 0; i < s->nmembers && !mc->diverged; i++)
        if (sm[i].record != PS_NONE && mc->map[sm[i].record] == PS_NONE)
            resolve(r, mc, sm[i].record, true);
    if (mc->diverged)
        return PS_NONE;
    size_t base = r->scratch.len;
    for (uint32_t i = 0; i < s->nmembers; i++) {
        ps_member *m = ps_vec_push(&r->scratch);
        *m = sm[i];
        m->name = adopt(r, sm[i].name);
        m->type_head = adopt(r, sm[i].type_head);
        m->type_tail = adopt(r, sm[i].type_tail);
        m->enum_body = adopt(r, sm[i].enum_body);
        m->record = sm[i].record == PS_NONE ? PS_NONE : mc->map[sm[i].record];
    }
    uint64_t slot = 0;
    uint32_t out = rd_commit_record(r, s, base);
    find_record(r, s, &slot); /* nested records may have taken the slot */
    ps_map_put(&r->dedup, slot, (void *)(uintptr_t)(out + 1));
    set_map(mc, idx, out);
    return out;
}

/* A worker record met without its event: r's identical one, or committed.
 * checked: a skipped anonymous record met so means divergence. */
static uint32_t resolve(reader *r, rd_merge *mc, uint32_t idx, bool checked)
{
    if (mc->map[idx] != PS_NONE || mc->diverged)
        return mc->map[idx];
    const ps_struct *src = ps_struct_at(mc->from, idx);
    if (checked && anonymous(src) && mc->skipped[idx]) {
        mc->diverged = true;
        return PS_NONE;
    }
    if (++r->depth > 512)
        rd_fail(r, "malformed DWARF: records nested more than 512 deep");
    ps_struct s = adopted(r, src);
    uint64_t slot = 0;
    uint32_t found = find_record(r, &s, &slot);
    uint32_t out = found;
    if (found != PS_NONE) {
        set_map(mc, idx, found);
        if (s.lang == PS_LANG_C && holds_anonymous(r->bin, found))
            reach_anonymous(r, mc, idx);
    } else {
        out = commit(r, mc, idx, &s);
    }
    r->depth--;
    return out;
}

/* rd_record's reach_anonymous_members, in the merge: one thread meeting a
 * record it has already reaches the anonymous records it holds from
 * there, naming them after their place in it. */
static void reach_anonymous(reader *r, rd_merge *mc, uint32_t idx)
{
    const ps_struct *src = ps_struct_at(mc->from, idx);
    const ps_member *sm = ps_members_of(mc->from, src);
    for (uint32_t i = 0; i < src->nmembers && !mc->diverged; i++)
        if (sm[i].record != PS_NONE && anonymous(ps_struct_at(mc->from, sm[i].record)))
            resolve(r, mc, sm[i].record, false);
}

/* The records the worker read in events [from, to), which one thread did
 * not read there. */
static void skip_events(rd_merge *mc, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (mc->events[k].kind == RD_EV_NEW)
            mc->skipped[mc->events[k].record] = 1;
}

static void replay(reader *r, rd_merge *mc, size_t i, bool top)
{
    const rd_event *e = &mc->events[i];
    if (mc->diverged)
        return;
    if (e->kind == RD_EV_MEMO) {
        resolve(r, mc, e->record, true);
        return;
    }
    if (++r->depth > 512)
        rd_fail(r, "malformed DWARF: records nested more than 512 deep");
    uint32_t found = mc->map[e->record];
    ps_struct s;
    if (found == PS_NONE) {
        const ps_struct *src = ps_struct_at(mc->from, e->record);
        if (top && anonymous(src) && mc->skipped[e->record]) {
            mc->diverged = true; /* named here as one thread may not have */
            r->depth--;
            return;
        }
        s = adopted(r, src);
        uint64_t slot = 0;
        found = find_record(r, &s, &slot);
        if (found != PS_NONE)
            set_map(mc, e->record, found);
    }
    if (found == PS_NONE && e->kind == RD_EV_NEW) { /* read, as one thread would */
        for (size_t k = i + 1; k < e->end && !mc->diverged; k = mc->events[k].end)
            replay(r, mc, k, false);
        if (!mc->diverged)
            commit(r, mc, e->record, &s);
    } else if (found == PS_NONE) { /* found by the worker only: its first reading's */
        resolve(r, mc, e->record, false);
        skip_events(mc, i + 1, e->end);
    } else { /* r has it: its anonymous members are reached, as in rd_record */
        bool reach = ps_struct_at(r->bin, found)->lang == PS_LANG_C &&
                     holds_anonymous(r->bin, found);
        for (size_t k = i + 1; k < e->end && !mc->diverged; k = mc->events[k].end) {
            const ps_struct *inner = ps_struct_at(mc->from, mc->events[k].record);
            if (reach && (e->kind == RD_EV_FOUND || anonymous(inner)))
                replay(r, mc, k, false);
            else
                skip_events(mc, k, mc->events[k].end);
        }
    }
    r->depth--;
}

void rd_merge_events(reader *r, rd_merge *mc, size_t from, size_t to)
{
    for (size_t i = from; i < to && !mc->diverged; i = mc->events[i].end)
        replay(r, mc, i, true);
    if (mc->diverged) /* read again by r: none of the unit's records is trusted */
        skip_events(mc, from, to);
}
