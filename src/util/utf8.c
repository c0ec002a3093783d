/*
 * UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF).  JSON inputs must be UTF-8, and names and paths copied into
 * JSON or XML output are checked byte by byte, since a binary may carry
 * any bytes at all.
 */
#include "padscan/util.h"

#include <string.h>

size_t ps_utf8_seq(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    if (!n)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!len || s[0] > 0xF4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, surrogate, or beyond U+10FFFF */
    return len;
}

bool ps_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if (!(k = ps_utf8_seq(s + i, n - i)))
            return false;
    return true;
}

bool ps_utf8_valid_str(const char *s)
{
    return !s || ps_utf8_valid(s, strlen(s));
}

/* C escapes for the bytes that would break a line or a terminal. */
static void put_control(ps_strbuf *sb, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char esc[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], 0};
    if (c == '\n' || c == '\t' || c == '\r') {
        esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        esc[2] = 0;
    }
    ps_sb_puts(sb, esc);
}

void ps_sb_add_oneline(ps_strbuf *sb, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7f)
            continue;
        ps_sb_add(sb, s + from, i - from);
        put_control(sb, c);
        from = i + 1;
    }
    ps_sb_add(sb, s + from, n - from);
}

const char *ps_oneline(const char *s, ps_arena *a)
{
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
        i++;
    if (i == n)
        return s;
    ps_strbuf sb = {0};
    ps_sb_add_oneline(&sb, s, n);
    const char *copy = ps_arena_strdup(a, sb.buf);
    ps_sb_free(&sb);
    return copy;
}

void ps_sb_escape_from(ps_strbuf *sb, size_t from)
{
    if (from >= sb->len)
        return;
    size_t i = from;
    while (i < sb->len && (unsigned char)sb->buf[i] >= 0x20 && sb->buf[i] != 0x7f)
        i++;
    if (i == sb->len)
        return;
    ps_strbuf tail = {0};
    ps_sb_add_oneline(&tail, sb->buf + from, sb->len - from);
    sb->len = from;
    ps_sb_add(sb, tail.buf, tail.len);
    ps_sb_free(&tail);
}
