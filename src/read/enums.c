/*
 * A C enum's enumerators, "{ A = 0, B = 7 }": the C export must print the
 * definition of an enum declared in a member's declaration (anonymous, or
 * declared inside the record), or the suggestion would not compile.
 * Enums narrower than int were declared packed, and an enum of 8 bytes
 * whose values would fit an int (C23's `enum : uint64_t`) gets gcc's and
 * clang's mode(DI); an unsigned value past INT64_MAX is written as such.
 * One line of text per enum, proportional to its enumerators.
 */
#include <inttypes.h>
#include <stddef.h>

#include "reader.h"

const char *rd_enum_body(reader *r, Dwarf_Die die, uint64_t byte_size)
{
    /* the reader's buffer, not a local one: a malformed enumerator longjmps
     * out of here, and reader_free releases it then */
    ps_strbuf *t = &r->enum_text;
    t->len = 0;
    if (t->buf)
        t->buf[0] = '\0';
    if (byte_size && byte_size < 4)
        ps_sb_puts(t, "__attribute__((packed)) ");
    ps_sb_puts(t, "{");
    Dwarf_Die child = NULL;
    int n = 0, rc = rd_child(r, die, &child);
    bool wide = false; /* a value that makes the enum 8 bytes by itself */
    while (rc == DW_DLV_OK) {
        die_attrs a;
        rd_attrs(r, child, &a);
        if (a.tag == DW_TAG_enumerator && a.has_const)
            wide |= a.const_signed ? a.const_value < INT32_MIN || a.const_value > INT32_MAX
                                   : (uint64_t)a.const_value > UINT32_MAX;
        if (a.tag == DW_TAG_enumerator && a.name && a.has_const && !a.const_signed &&
            a.const_value < 0)
            ps_sb_printf(t, "%s %s = %" PRIu64 "ULL", n++ ? "," : "", a.name,
                         (uint64_t)a.const_value);
        else if (a.tag == DW_TAG_enumerator && a.name && a.has_const)
            ps_sb_printf(t, "%s %s = %" PRId64, n++ ? "," : "", a.name, a.const_value);
        Dwarf_Die next = NULL;
        rc = rd_next_sibling(r, child, &next);
        rd_let_go(r, child);
        child = next;
    }
    if (rc == DW_DLV_ERROR)
        rd_dwarf_fail(r, "enumerators");
    if (!n)
        return NULL; /* enum {} is no C */
    ps_sb_puts(t, " }");
    if (byte_size == 8 && !wide)
        return rd_intern(r, ps_arena_printf(&r->cu_arena, "__attribute__((mode(DI))) %s", t->buf));
    return rd_intern(r, t->buf);
}
