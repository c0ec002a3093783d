/*
 * gofmt's layout of a struct's field list, so that a reordered struct is
 * what gofmt would print.  gofmt puts a field's names, type, tag and
 * trailing comment in cells of a text/tabwriter (go/printer, fieldList):
 * a column is aligned over consecutive lines that all have a cell in it,
 * each cell padded with spaces to the widest cell + 1 (counting runes); a
 * column of only empty "soft" cells is dropped.  Blank lines and comment
 * lines end the alignment, and so does the end of a field that spans
 * several lines (its first line still aligns with the fields above).
 */
#include <stdlib.h>
#include <string.h>

#include "go_source.h"

void gf_field_line(const go_field *fd, const char *names, bool with_comment, go_line *out)
{
    memset(out, 0, sizeof(*out));
    out->text = fd->indent;
    out->field = true;
    const char *comment = with_comment ? fd->comment : NULL;
    uint32_t n = 0;
    if (fd->multiline) {
        out->cells[n++] = names;
        out->trailing = fd->rest;
        out->ends_section = true;
        out->ncells = n;
        return;
    }
    if (names) {
        out->cells[n++] = names;
        if (!fd->tag && !comment) {
            out->trailing = fd->type;
        } else {
            out->cells[n++] = fd->type;
            if (fd->tag && comment)
                out->cells[n++] = fd->tag;
            out->trailing = comment ? comment : fd->tag;
        }
    } else if (!fd->tag && !comment) {
        out->trailing = fd->type;
    } else {
        out->cells[n++] = fd->type;
        if (comment) {
            out->cells[n] = fd->tag ? fd->tag : "";
            out->vtab[n++] = !fd->tag;
        }
        out->trailing = comment ? comment : fd->tag;
    }
    out->ncells = n;
}

static size_t runes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* text/tabwriter's format(): column col over lines from..to. */
static void columns(const go_line *l, size_t from, size_t to, uint32_t col, size_t *w)
{
    if (col >= PS_ARRAY_LEN(l->cells))
        return; /* names, type, tag: no fourth column */
    for (size_t i = from; i < to;) {
        if (col >= l[i].ncells) {
            i++;
            continue;
        }
        size_t b = i, width = 0;
        bool discard = true;
        for (; i < to && col < l[i].ncells; i++) {
            size_t cw = runes(l[i].cells[col]);
            if (cw + 1 > width)
                width = cw + 1;
            if (cw > 0 || !l[i].vtab[col])
                discard = false;
        }
        for (size_t k = b; k < i; k++)
            w[k * 3 + col] = discard ? 0 : width;
        columns(l, b, i, col + 1, w);
    }
}

void gf_render(const go_line *lines, size_t n, ps_arena *a, const char **out)
{
    size_t *w = ps_xmalloc((n ? n : 1) * 3 * sizeof(size_t));
    memset(w, 0, (n ? n : 1) * 3 * sizeof(size_t));
    for (size_t i = 0; i < n;) {
        if (!lines[i].field) {
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && lines[i].field && !(i > b && lines[i - 1].ends_section))
            i++;
        columns(lines, b, i, 0, w);
    }
    ps_strbuf sb = {0};
    for (size_t i = 0; i < n; i++) {
        const go_line *l = &lines[i];
        if (!l->field) {
            out[i] = l->text;
            continue;
        }
        sb.len = 0;
        ps_sb_puts(&sb, l->text);
        for (uint32_t c = 0; c < l->ncells; c++) {
            ps_sb_puts(&sb, l->cells[c]);
            for (size_t k = runes(l->cells[c]); k < w[i * 3 + c]; k++)
                ps_sb_putc(&sb, ' ');
        }
        ps_sb_puts(&sb, l->trailing);
        out[i] = ps_arena_strdup(a, sb.buf);
    }
    ps_sb_free(&sb);
    free(w);
}
