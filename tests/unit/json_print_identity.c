/*
 * padscan's JSON printer (src/report/json_print.c) must write what
 * cJSON_Print writes, byte for byte: seeded trees of every kind of value
 * (nesting, empty containers, every byte in strings and keys, integers
 * at each magnitude, fractions, NaN and infinities, raw text), and any
 * JSON files named on the command line, are printed both ways and
 * compared.  Exit 0 when all agree; else the first difference, exit 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc.h"

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static const double special[] = {0, -0.0, 1, -1, 7, 10, 255, 65536, 2147483647.0, 2147483648.0,
                                 -2147483648.0, -2147483649.0, 4294967296.0, 9007199254740992.0,
                                 999999999999999.0, 1e15, -1e15, 1e16, 1e300, 0.5, 0.1, 12.5,
                                 1.0 / 3, 2.0 / 3, 99.99, 1e-5, 123456.789, -0.25, 33.333333333333336};

static cJSON *number(void)
{
    switch (next() % 5) {
    case 0: return cJSON_CreateNumber(special[next() % (sizeof(special) / sizeof(*special))]);
    case 1: return cJSON_CreateNumber((double)(int64_t)(next() >> (next() % 64)) * (next() % 2 ? 1 : -1));
    case 2: return cJSON_CreateNumber((double)(next() % 100000) / (double)(1 + next() % 1000));
    case 3: return cJSON_CreateNumber(next() % 7 ? (double)(next() % 4096) : NAN);
    default: return cJSON_CreateNumber(next() % 3 ? INFINITY : -INFINITY);
    }
}

static void text(char *buf, size_t cap)
{
    size_t n = next() % (cap - 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(next() % 4 ? 'a' + next() % 26 : 1 + next() % 255);
    buf[n] = '\0';
}

static cJSON *value(int depth)
{
    char buf[48];
    unsigned kind = depth > 4 ? next() % 6 : next() % 8;
    switch (kind) {
    case 0: return cJSON_CreateNull();
    case 1: return cJSON_CreateBool(next() % 2);
    case 2: case 3: return number();
    case 4: text(buf, sizeof(buf)); return cJSON_CreateString(buf);
    case 5: return cJSON_CreateRaw("123.50");
    case 6: {
        cJSON *a = cJSON_CreateArray();
        for (unsigned i = next() % 5; i; i--)
            cJSON_AddItemToArray(a, value(depth + 1));
        return a;
    }
    default: {
        cJSON *o = cJSON_CreateObject();
        for (unsigned i = next() % 6; i; i--) {
            text(buf, 12);
            cJSON_AddItemToObject(o, buf, value(depth + 1));
        }
        return o;
    }
    }
}

static int same(cJSON *root, const char *what)
{
    char *want = cJSON_Print(root);
    ps_strbuf got = {0};
    json_print(root, &got);
    int ok = want && got.buf && !strcmp(want, got.buf);
    if (!ok) {
        size_t i = 0;
        while (want && got.buf && want[i] && want[i] == got.buf[i])
            i++;
        fprintf(stderr, "json_print_identity: %s: differs at byte %zu\ncJSON: %.80s\nours:  %.80s\n",
                what, i, want ? want + i : "(null)", got.buf ? got.buf + i : "(null)");
    }
    free(want);
    ps_sb_free(&got);
    return ok;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ps_strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        ps_sb_add(&sb, buf, n);
    fclose(f);
    return sb.buf;
}

int main(int argc, char **argv)
{
    int trees = 0;
    for (int i = 0; i < 3000; i++, trees++) {
        cJSON *root = value(0);
        char what[32];
        snprintf(what, sizeof(what), "tree %d", i);
        if (!same(root, what))
            return 1;
        cJSON_Delete(root);
    }
    for (int i = 1; i < argc; i++) {
        char *s = slurp(argv[i]);
        cJSON *root = s ? cJSON_Parse(s) : NULL;
        if (!root) {
            fprintf(stderr, "json_print_identity: %s: cannot read JSON\n", argv[i]);
            return 1;
        }
        if (!same(root, argv[i]))
            return 1;
        cJSON_Delete(root);
        free(s);
    }
    printf("json_print_identity: %d trees and %d files printed as cJSON prints them\n", trees,
           argc - 1);
    return 0;
}
