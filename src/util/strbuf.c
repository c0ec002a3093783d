/*
 * Growable strings and arrays: every report is built in memory first, so it
 * can be written atomically or not at all.
 */
#include "padscan/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sb_grow(ps_strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->buf = ps_xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void ps_sb_add(ps_strbuf *sb, const char *s, size_t n)
{
    if (!n && sb->buf)
        return;
    sb_grow(sb, n);
    if (n)
        memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void ps_sb_puts(ps_strbuf *sb, const char *s) { ps_sb_add(sb, s, strlen(s)); }

void ps_sb_putc(ps_strbuf *sb, char c) { ps_sb_add(sb, &c, 1); }

void ps_sb_vprintf(ps_strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    sb_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void ps_sb_printf(ps_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

/* Pads the current line with spaces up to column (at least one space). */
void ps_sb_pad(ps_strbuf *sb, size_t column)
{
    const char *nl = sb->len ? memrchr(sb->buf, '\n', sb->len) : NULL;
    size_t line = nl ? (size_t)(sb->buf + sb->len - nl - 1) : sb->len;
    do {
        ps_sb_putc(sb, ' ');
    } while (++line < column);
}

void ps_sb_free(ps_strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void ps_vec_init(ps_vec *v, size_t elem)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

void ps_vec_reserve(ps_vec *v, size_t n)
{
    if (n <= v->cap)
        return;
    size_t cap = v->cap ? v->cap : 16;
    while (cap < n)
        cap *= 2;
    v->data = ps_xrealloc(v->data, cap * v->elem);
    v->cap = cap;
}

void *ps_vec_push(ps_vec *v)
{
    ps_vec_reserve(v, v->len + 1);
    void *slot = (char *)v->data + v->len * v->elem;
    v->len++;
    return memset(slot, 0, v->elem);
}

void *ps_vec_to_arena(const ps_vec *v, ps_arena *a)
{
    if (!v->len)
        return NULL;
    return memcpy(ps_arena_alloc(a, v->len * v->elem), v->data, v->len * v->elem);
}

void ps_vec_free(ps_vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}
