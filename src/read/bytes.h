/*
 * Reading DWARF's own encodings from section bytes, for the places the
 * reader decodes them without libdwarf: attributes (rawattrs.c), line
 * table headers (linefiles.c), abbreviation tables (validate.c) and
 * location expressions (attrs.c).  A cursor never reads past its end: a
 * value that does not fit sets bad and reads as 0, and later reads stay
 * bad, so a caller checks once, after a run of reads.
 */
#ifndef PADSCAN_READ_BYTES_H
#define PADSCAN_READ_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct rd_cursor {
    const unsigned char *p, *end;
    bool bad;
    bool big_endian;
} rd_cursor;

/* n bytes, or NULL (and bad) if fewer are left. */
static inline const unsigned char *rd_take(rd_cursor *c, uint64_t n)
{
    if (c->bad || n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        return NULL;
    }
    const unsigned char *at = c->p;
    c->p += n;
    return at;
}

/* An n-byte unsigned number (n <= 8) in the cursor's byte order. */
static inline uint64_t rd_word(rd_cursor *c, unsigned n)
{
    const unsigned char *p = rd_take(c, n);
    uint64_t v = 0;
    for (unsigned i = 0; p && i < n; i++)
        v |= (uint64_t)p[i] << (c->big_endian ? (n - 1 - i) * 8 : i * 8);
    return v;
}

/* LEB128 of at most 10 bytes whose value fits 64 bits, else bad. */
static inline uint64_t rd_leb(rd_cursor *c, bool is_signed)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        const unsigned char *b = rd_take(c, 1);
        if (!b)
            return 0;
        unsigned bits = *b & 0x7f;
        if (shift == 63 && bits && bits != (is_signed ? 0x7fu : 1u))
            break;
        v |= (uint64_t)bits << shift;
        if (!(*b & 0x80)) {
            if (is_signed && shift + 7 < 64 && (bits & 0x40))
                v |= ~0ULL << (shift + 7);
            return v;
        }
    }
    c->bad = true;
    return 0;
}

/* A NUL-terminated string in place, or "" (and bad) without its NUL. */
static inline const char *rd_cstr(rd_cursor *c)
{
    const unsigned char *nul = c->bad ? NULL : memchr(c->p, 0, (size_t)(c->end - c->p));
    if (!nul) {
        c->bad = true;
        return "";
    }
    const char *s = (const char *)c->p;
    c->p = nul + 1;
    return s;
}

#endif
