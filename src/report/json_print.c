/*
 * A JSON document's text, byte for byte as cJSON_Print writes it (tabs,
 * ": " as ":\t", ", " between array elements), in one pass into a strbuf.
 * cJSON's printer grows its buffer by doubling and prints every number
 * through sprintf and sscanf; a kernel's report is 19 MB of 700,000
 * values, and this is a fifth of its time there.  Integers, almost every
 * number padscan writes, are spelled here; any other number goes through
 * cJSON's own steps.  tests/unit/json_print_identity compares both
 * printers on every kind of value.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_doc.h"

static void put_integer(ps_strbuf *out, int64_t v)
{
    char buf[24], *p = buf + sizeof(buf);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    ps_sb_add(out, p, (size_t)(buf + sizeof(buf) - p));
}

/* cJSON's: 15 significant digits, 17 when 15 do not read back. */
static void put_number(ps_strbuf *out, double d)
{
    if (isnan(d) || isinf(d)) {
        ps_sb_puts(out, "null");
        return;
    }
    if (d == trunc(d) && fabs(d) < 1e15 && (d != 0 || !signbit(d))) {
        put_integer(out, (int64_t)d);
        return;
    }
    char buf[32];
    double back = 0;
    snprintf(buf, sizeof(buf), "%1.15g", d);
    if (sscanf(buf, "%lg", &back) != 1 || fabs(back - d) > fmax(fabs(back), fabs(d)) * DBL_EPSILON)
        snprintf(buf, sizeof(buf), "%1.17g", d);
    char point = localeconv()->decimal_point[0];
    for (char *c = buf; *c; c++)
        if (*c == point)
            *c = '.';
    ps_sb_puts(out, buf);
}

static void put_string(ps_strbuf *out, const char *s)
{
    ps_sb_putc(out, '"');
    const char *run = s ? s : "";
    for (const char *p = run; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c > 31 && c != '"' && c != '\\')
            continue;
        ps_sb_add(out, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': ps_sb_puts(out, "\\\""); break;
        case '\\': ps_sb_puts(out, "\\\\"); break;
        case '\b': ps_sb_puts(out, "\\b"); break;
        case '\f': ps_sb_puts(out, "\\f"); break;
        case '\n': ps_sb_puts(out, "\\n"); break;
        case '\r': ps_sb_puts(out, "\\r"); break;
        case '\t': ps_sb_puts(out, "\\t"); break;
        default: ps_sb_printf(out, "\\u%04x", c); break;
        }
    }
    ps_sb_puts(out, run);
    ps_sb_putc(out, '"');
}

static void put_tabs(ps_strbuf *out, size_t n)
{
    while (n--)
        ps_sb_putc(out, '\t');
}

static void put_value(ps_strbuf *out, const cJSON *v, size_t depth);

static void put_object(ps_strbuf *out, const cJSON *v, size_t depth)
{
    ps_sb_puts(out, "{\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        put_tabs(out, depth + 1);
        put_string(out, c->string);
        ps_sb_puts(out, ":\t");
        put_value(out, c, depth + 1);
        ps_sb_puts(out, c->next ? ",\n" : "\n");
    }
    put_tabs(out, depth);
    ps_sb_putc(out, '}');
}

static void put_array(ps_strbuf *out, const cJSON *v, size_t depth)
{
    ps_sb_putc(out, '[');
    for (const cJSON *c = v->child; c; c = c->next) {
        put_value(out, c, depth + 1);
        if (c->next)
            ps_sb_puts(out, ", ");
    }
    ps_sb_putc(out, ']');
}

static void put_value(ps_strbuf *out, const cJSON *v, size_t depth)
{
    switch (v->type & 0xff) {
    case cJSON_NULL: ps_sb_puts(out, "null"); break;
    case cJSON_False: ps_sb_puts(out, "false"); break;
    case cJSON_True: ps_sb_puts(out, "true"); break;
    case cJSON_Number: put_number(out, v->valuedouble); break;
    case cJSON_Raw: ps_sb_puts(out, v->valuestring ? v->valuestring : ""); break;
    case cJSON_String: put_string(out, v->valuestring); break;
    case cJSON_Array: put_array(out, v, depth); break;
    case cJSON_Object: put_object(out, v, depth); break;
    default: break;
    }
}

void json_print(const cJSON *root, ps_strbuf *out)
{
    put_value(out, root, 0);
}
