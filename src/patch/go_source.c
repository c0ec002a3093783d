/*
 * Go source, read as far as the Go patch needs (go_source.h): a line's
 * code without its comments (strings kept, and a "shape" of it with the
 * strings' contents blanked, for counting brackets), where `type T struct
 * {` is, and the field declarations of its body.  A gofmt-formatted file
 * is assumed only where gofmt leaves no choice (a field per line, `T[int]`
 * for an embedded instance); anything else is a reason to skip the
 * record, never a guess.
 */
#include <ctype.h>
#include <string.h>

#include "go_source.h"

typedef struct scan {
    bool block, raw; /* inside a block comment / raw string at line start */
    bool saw_block;  /* a block comment on this line */
    ps_strbuf code, shape;
    const char *comment; /* the line's // comment, or NULL */
} scan;

static void put(scan *s, char c, char shape)
{
    ps_sb_putc(&s->code, c);
    ps_sb_putc(&s->shape, shape);
}

/* Fills s->code and s->shape (same length as the line up to a // comment;
 * block comments become spaces). */
static void code_of(const char *line, scan *s)
{
    s->code.len = s->shape.len = 0;
    ps_sb_puts(&s->code, "");
    ps_sb_puts(&s->shape, "");
    s->code.buf[0] = s->shape.buf[0] = '\0'; /* ps_sb_puts(, "") keeps old text */
    s->comment = NULL;
    s->saw_block = s->block;
    for (const char *p = line; *p; p++) {
        if (s->block) {
            if (p[0] == '*' && p[1] == '/') {
                s->block = false;
                put(s, ' ', ' ');
                p++;
            }
            put(s, ' ', ' ');
            continue;
        }
        if (s->raw) {
            s->raw = *p != '`';
            put(s, *p, s->raw ? '_' : '`');
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            s->block = s->saw_block = true;
            put(s, ' ', ' ');
            put(s, ' ', ' ');
            p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            s->comment = p;
            break;
        }
        if (*p == '`') {
            s->raw = true;
            put(s, '`', '`');
            continue;
        }
        if (*p == '"' || *p == '\'') {
            char q = *p;
            put(s, *p, *p);
            for (p++; *p && *p != q; p++) {
                if (*p == '\\' && p[1]) {
                    put(s, *p, '_');
                    p++;
                }
                put(s, *p, '_');
            }
            if (!*p)
                break;
            put(s, *p, *p);
            continue;
        }
        put(s, *p, *p);
    }
}

static void scan_free(scan *s)
{
    ps_sb_free(&s->code);
    ps_sb_free(&s->shape);
}

static bool ident(char c) { return isalnum((unsigned char)c) || c == '_' || (c & 0x80); }

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool rest_blank(const char *p) { return !*skip_ws(p); }

static int depth_of(const char *shape)
{
    int d = 0;
    for (const char *p = shape; *p; p++)
        d += (*p == '{' || *p == '(' || *p == '[') - (*p == '}' || *p == ')' || *p == ']');
    return d;
}

const char *gs_matching(const char *p)
{
    int d = 0;
    for (; *p; p++) {
        d += (*p == '[' || *p == '(' || *p == '{') - (*p == ']' || *p == ')' || *p == '}');
        if (d == 0)
            return p + 1;
    }
    return NULL;
}

/* "name[...] struct {" at p (shape)?  1 yes, 0 no, -1 a one-line one. */
static int decl_at(const char *p, const char *name, const char **tparams, size_t *tlen)
{
    size_t n = strlen(name);
    if (strncmp(p, name, n) || ident(p[n]))
        return 0;
    const char *q = p + n;
    *tparams = NULL;
    if (*q == '[') {
        const char *e = gs_matching(q);
        if (!e)
            return 0;
        *tparams = q;
        *tlen = (size_t)(e - q);
        q = e;
    }
    q = skip_ws(q);
    if (strncmp(q, "struct", 6) || ident(q[6]))
        return 0;
    q = skip_ws(q + 6);
    if (*q != '{')
        return 0;
    return rest_blank(q + 1) ? 1 : -1;
}

/* The line where the body that opens on line `open` closes. */
static const char *closing(const ps_source *f, go_struct *out, scan *s)
{
    int depth = 1;
    for (size_t i = out->open + 1; i < f->nlines; i++) {
        code_of(f->lines[i], s);
        depth += depth_of(s->shape.buf);
        if (depth <= 0) {
            const char *t = skip_ws(s->shape.buf);
            if (depth < 0 || t[0] != '}' || !rest_blank(t + 1))
                return "code after the closing brace of the definition";
            out->close = i;
            return NULL;
        }
    }
    return "the definition does not end";
}

int gs_find(const ps_source *f, const char *name, go_struct *out, ps_arena *a, const char **why)
{
    scan s = {0};
    int depth = 0, group = -1, found = 0;
    for (size_t i = 0; i < f->nlines && !found; i++) {
        code_of(f->lines[i], &s);
        const char *t = skip_ws(s.shape.buf), *tp = NULL;
        size_t tlen = 0;
        int hit = 0;
        if (depth == 0 && !strncmp(t, "type", 4) && !ident(t[4])) {
            const char *q = skip_ws(t + 4);
            if (*q == '(' && rest_blank(q + 1))
                group = 1;
            else
                hit = decl_at(q, name, &tp, &tlen);
        } else if (group > 0 && depth == group) {
            hit = decl_at(t, name, &tp, &tlen);
        }
        depth += depth_of(s.shape.buf);
        if (group > 0 && depth < group)
            group = -1;
        if (hit < 0) {
            *why = "a one-line definition";
            found = -1;
        } else if (hit > 0) {
            memset(out, 0, sizeof(*out));
            out->open = i;
            if (tp)
                out->tparams = ps_arena_strndup(a, s.code.buf + (tp - s.shape.buf), tlen);
            *why = closing(f, out, &s);
            found = *why ? -1 : 1;
        }
    }
    scan_free(&s);
    return found;
}

/* The tag at the end of code (shape), or NULL; *end: where the type ends. */
static const char *tag_of(const char *code, const char *shape, size_t len, size_t *end,
                          ps_arena *a)
{
    while (len && (shape[len - 1] == ' ' || shape[len - 1] == '\t'))
        len--;
    *end = len;
    if (!len || (shape[len - 1] != '`' && shape[len - 1] != '"'))
        return NULL;
    size_t b = len - 1;
    while (b && shape[b - 1] != shape[len - 1])
        b--;
    if (!b)
        return NULL;
    b--;
    if (b && !(shape[b - 1] == ' ' || shape[b - 1] == '\t'))
        return NULL;
    *end = b;
    while (*end && (shape[*end - 1] == ' ' || shape[*end - 1] == '\t'))
        --*end;
    return ps_arena_strndup(a, code + b, len - b);
}

/* Names, type and tag of a declaration's code (one line: the lines
 * joined with spaces). */
static const char *parse(go_field *fd, const char *code, const char *shape, ps_arena *a,
                         size_t *names_end)
{
    size_t lead = (size_t)(skip_ws(shape) - shape);
    const char *p = shape + lead;
    size_t end = 0;
    fd->tag = tag_of(code, shape, strlen(shape), &end, a);
    const char *e = p;
    while (ident(*e))
        e++;
    fd->embedded = *p == '*' || e == p || *e == '.' || *e == '[' || (size_t)(e - shape) >= end;
    ps_vec names;
    ps_vec_init(&names, sizeof(char *));
    const char *type = p;
    if (!fd->embedded) {
        for (const char *q = p;;) {
            const char *qe = q;
            while (ident(*qe))
                qe++;
            if (qe == q) {
                ps_vec_free(&names);
                return "a field declaration padscan cannot read";
            }
            *(char **)ps_vec_push(&names) = ps_arena_strndup(a, code + (q - shape),
                                                             (size_t)(qe - q));
            q = skip_ws(qe);
            if (*q != ',') {
                type = q;
                *names_end = (size_t)(qe - shape);
                break;
            }
            q = skip_ws(q + 1);
        }
    }
    fd->nnames = (uint32_t)names.len;
    fd->names = ps_arena_alloc(a, names.len * sizeof(char *) + 1);
    if (names.len)
        memcpy(fd->names, names.data, names.len * sizeof(char *));
    ps_vec_free(&names);
    size_t from = (size_t)(type - shape);
    if (from >= end)
        return "a field declaration padscan cannot read";
    fd->type = ps_arena_strndup(a, code + from, end - from);
    return NULL;
}

static const char *finish(const ps_source *f, go_field *fd, ps_strbuf *code, ps_strbuf *shape,
                          const char *comment, ps_arena *a)
{
    const char *line = f->lines[fd->first];
    fd->indent = ps_arena_strndup(a, line, (size_t)(skip_ws(line) - line));
    if (comment) {
        size_t n = strlen(comment);
        while (n && (comment[n - 1] == ' ' || comment[n - 1] == '\t'))
            n--;
        fd->comment = ps_arena_strndup(a, comment, n);
    }
    size_t names_end = 0;
    const char *why = parse(fd, code->buf, shape->buf, a, &names_end);
    if (!why && fd->multiline) {
        if (fd->embedded)
            return "an embedded field over several lines";
        fd->rest = ps_arena_strdup(a, skip_ws(line + names_end));
    }
    return why;
}

const char *gs_fields(const ps_source *f, go_struct *out, ps_arena *a)
{
    scan s = {0};
    ps_strbuf code = {0}, shape = {0};
    ps_vec fields;
    ps_vec_init(&fields, sizeof(go_field));
    const char *why = NULL;
    bool started = false;
    int depth = 0;
    go_field cur = {.lead = out->open + 1};
    for (size_t i = out->open + 1; i < out->close && !why; i++) {
        code_of(f->lines[i], &s);
        if (s.saw_block || s.block) {
            why = "a /* */ comment inside the definition";
            break;
        }
        if (rest_blank(s.shape.buf) && !started)
            continue;
        if (!started) {
            started = true;
            cur.first = i;
            code.len = shape.len = 0;
        }
        ps_sb_printf(&code, "%s%s", code.len ? " " : "", s.code.buf);
        ps_sb_printf(&shape, "%s%s", shape.len ? " " : "", s.shape.buf);
        depth += depth_of(s.shape.buf);
        for (const char *p = s.shape.buf; *p && !why; p++)
            if (*p == ';')
                why = "two fields on one line";
        if (depth == 0 && !why) {
            cur.last = i;
            cur.multiline = cur.last > cur.first;
            why = finish(f, &cur, &code, &shape, s.comment, a);
            *(go_field *)ps_vec_push(&fields) = cur;
            memset(&cur, 0, sizeof(cur));
            cur.lead = i + 1;
            started = false;
        }
    }
    if (!why && started)
        why = "a field that does not end inside the definition";
    out->tail = cur.lead;
    out->nfields = (uint32_t)fields.len;
    out->fields = ps_arena_alloc(a, fields.len * sizeof(go_field) + 1);
    if (fields.len)
        memcpy(out->fields, fields.data, fields.len * sizeof(go_field));
    ps_vec_free(&fields);
    ps_sb_free(&code);
    ps_sb_free(&shape);
    scan_free(&s);
    return why;
}

bool gs_generated(const ps_source *f)
{
    for (size_t i = 0; i < f->nlines; i++) {
        const char *t = skip_ws(f->lines[i]);
        if (!strncmp(t, "package", 7) && !ident(t[7]))
            return false;
        if (!strncmp(t, "// Code generated ", 18) && strstr(t, " DO NOT EDIT."))
            return true;
    }
    return false;
}

char *gs_shape(const ps_source *f)
{
    scan s = {0};
    ps_strbuf all = {0};
    for (size_t i = 0; i < f->nlines; i++) {
        code_of(f->lines[i], &s);
        ps_sb_printf(&all, "%s\n", s.shape.buf);
    }
    scan_free(&s);
    if (!all.buf)
        ps_sb_puts(&all, "");
    return all.buf;
}

const char *gs_package(const ps_source *f, ps_arena *a)
{
    scan s = {0};
    const char *name = NULL;
    for (size_t i = 0; i < f->nlines && !name; i++) {
        code_of(f->lines[i], &s);
        const char *t = skip_ws(s.shape.buf);
        if (!strncmp(t, "package", 7) && !ident(t[7])) {
            const char *b = skip_ws(t + 7), *e = b;
            while (ident(*e))
                e++;
            name = ps_arena_strndup(a, b, (size_t)(e - b));
        }
    }
    scan_free(&s);
    return name;
}
