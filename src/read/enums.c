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

const char *rd_enum_body(reader *r, rd_node *die, uint64_t byte_size)
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
    int n = 0;
    bool wide = false; /* a value that makes the enum 8 bytes by itself */
    rd_kids k;
    for (rd_kids_open(r, die, "enumerators", &k); rd_kids_next(r, &k);) {
        die_attrs a;
        rd_kids_attrs(r, &k, &a);
        if (a.tag == DW_TAG_enumerator && a.has_const)
            wide |= a.const_signed ? a.const_value < INT32_MIN || a.const_value > INT32_MAX
                                   : (uint64_t)a.const_value > UINT32_MAX;
        if (a.tag == DW_TAG_enumerator && a.name && a.has_const && !a.const_signed &&
            a.const_value < 0)
            ps_sb_printf(t, "%s %s = %" PRIu64 "ULL", n++ ? "," : "", a.name,
                         (uint64_t)a.const_value);
        else if (a.tag == DW_TAG_enumerator && a.name && a.has_const)
            ps_sb_printf(t, "%s %s = %" PRId64, n++ ? "," : "", a.name, a.const_value);
    }
    if (!n)
        return NULL; /* enum {} is no C */
    ps_sb_puts(t, " }");
    if (byte_size == 8 && !wide)
        return rd_intern(r, ps_arena_printf(&r->cu_arena, "__attribute__((mode(DI))) %s", t->buf));
    return rd_intern(r, t->buf);
}
