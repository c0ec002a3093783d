/*
 * A C enum's enumerators, "{ A = 0, B = 7 }": the C export must print the
 * definition of an enum declared in a member's declaration (anonymous, or
 * declared inside the record), or the suggestion would not compile.
 * Enums narrower than int were declared packed; one line of text per
 * enum, proportional to its enumerators.
 */
#include <inttypes.h>
#include <stddef.h>

#include "reader.h"

const char *rd_enum_body(reader *r, Dwarf_Die die, uint64_t byte_size)
{
    ps_strbuf text = {0};
    if (byte_size && byte_size < 4)
        ps_sb_puts(&text, "__attribute__((packed)) ");
    ps_sb_puts(&text, "{");
    Dwarf_Die child = NULL;
    int n = 0, rc = dwarf_child(die, &child, &r->err);
    while (rc == DW_DLV_OK) {
        die_attrs a;
        rd_attrs(r, child, &a);
        if (a.tag == DW_TAG_enumerator && a.name && a.has_const)
            ps_sb_printf(&text, "%s %s = %" PRId64, n++ ? "," : "", a.name, a.const_value);
        Dwarf_Die next = NULL;
        rc = rd_next_sibling(r, child, &next);
        dwarf_dealloc_die(child);
        child = next;
    }
    if (rc == DW_DLV_ERROR || !n) {
        ps_sb_free(&text);
        if (!n)
            return NULL; /* enum {} is no C */
        rd_dwarf_fail(r, "enumerators");
    }
    ps_sb_puts(&text, " }");
    const char *body = rd_intern(r, text.buf);
    ps_sb_free(&text);
    return body;
}
