/*
 * Reading a JSON input file.  Every JSON input (config, manifest, budget,
 * baseline, saved report) comes through here, so the checks that do not
 * depend on the schema are made once: a regular file (never a FIFO or a
 * device), a size limit, valid syntax (with line and column), valid UTF-8
 * in every string and key, no duplicate keys, and finite numbers.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "padscan/config.h"

static void *json_malloc(size_t n) { return ps_xmalloc(n); }

void ps_json_init(void)
{
    cJSON_Hooks hooks = {json_malloc, free};
    cJSON_InitHooks(&hooks);
}

static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    uint64_t size = 0;
    if (ps_input_check(path, &size, err, errlen) != 0)
        return NULL;
    if (size > PS_JSON_MAX_BYTES) {
        snprintf(err, errlen, "%s: too large for a JSON input (%llu bytes; the limit is %u MiB)",
                 path, (unsigned long long)size, PS_JSON_MAX_BYTES >> 20);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = ps_xmalloc((size_t)size + 1);
    size_t got = 0;
    ssize_t n;
    do { /* one byte more than stat said: a file that grew is caught */
        n = read(fd, buf + got, (size_t)size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        got += n > 0 ? (size_t)n : 0;
    } while (n != 0 && (n > 0 || errno == EINTR) && got <= size);
    if (n < 0 || got > size)
        snprintf(err, errlen, n < 0 ? "%s: cannot read: %s" : "%s: changed while it was read%s",
                 path, n < 0 ? strerror(errno) : "");
    close(fd);
    if (n < 0 || got > size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

typedef struct walk {
    const char *file;
    char *err;
    size_t errlen;
} walk;

static int key_order(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* "$.services[3].binaries" for messages. */
static void child_path(char *out, size_t n, const char *path, const cJSON *parent, const cJSON *c,
                       size_t i)
{
    int w = cJSON_IsObject(parent) ? snprintf(out, n, "%s.%s", path, c->string)
                                   : snprintf(out, n, "%s[%zu]", path, i);
    if (w < 0 || (size_t)w >= n)
        snprintf(out + n - 4, 4, "...");
}

static int fail(walk *w, const char *path, const char *what)
{
    snprintf(w->err, w->errlen, "%s: %s: %s", w->file, path, what);
    return -1;
}

static int no_duplicates(walk *w, const cJSON *o, const char *path)
{
    size_t n = 0;
    for (const cJSON *c = o->child; c; c = c->next)
        n++;
    if (n < 2)
        return 0;
    const cJSON **keys = ps_xmalloc(n * sizeof(*keys));
    n = 0;
    for (const cJSON *c = o->child; c; c = c->next)
        keys[n++] = c;
    qsort(keys, n, sizeof(*keys), key_order);
    const char *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (!strcmp(keys[i - 1]->string, keys[i]->string))
            dup = keys[i]->string;
    char at[512];
    if (dup)
        snprintf(at, sizeof(at), "%s.%s", path, dup);
    free(keys);
    return dup ? fail(w, at, "duplicate key") : 0;
}

/* Depth is bounded by cJSON's nesting limit (CJSON_NESTING_LIMIT). */
static int check_tree(walk *w, const cJSON *v, const char *path)
{
    if (cJSON_IsString(v) && !ps_utf8_valid_str(v->valuestring))
        return fail(w, path, "string is not valid UTF-8");
    if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
        return fail(w, path, "number out of range");
    if (cJSON_IsObject(v) && no_duplicates(w, v, path))
        return -1;
    size_t i = 0;
    char at[512];
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        if (c->string && !ps_utf8_valid_str(c->string))
            return fail(w, path, "key is not valid UTF-8");
        child_path(at, sizeof(at), path, v, c, i);
        if (check_tree(w, c, at))
            return -1;
    }
    return 0;
}

static void syntax_error(const char *path, const char *text, size_t len, const char *end,
                         char *err, size_t errlen)
{
    size_t at = end && end >= text ? (size_t)(end - text) : 0, line = 1, col = 1;
    for (size_t i = 0; i < at && i < len; i++, col++)
        if (text[i] == '\n') {
            line++;
            col = 0;
        }
    snprintf(err, errlen, "%s: invalid JSON at line %zu, column %zu", path, line, col);
}

cJSON *ps_json_load(const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = read_all(path, &len, err, errlen);
    if (!text)
        return NULL;
    const char *end = NULL;
    cJSON *doc = NULL;
    if (memchr(text, '\0', len))
        snprintf(err, errlen, "%s: invalid JSON (contains a NUL byte)", path);
    else if (!(doc = cJSON_ParseWithOpts(text, &end, true)))
        syntax_error(path, text, len, end, err, errlen);
    walk w = {path, err, errlen};
    if (doc && check_tree(&w, doc, "$")) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    free(text);
    return doc;
}

bool ps_json_whole(const cJSON *v, uint64_t max, uint64_t *out)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble >= 18446744073709551616.0)
        return false;
    uint64_t x = (uint64_t)v->valuedouble; /* in range: the cast is defined */
    if ((double)x != v->valuedouble || x > max)
        return false;
    *out = x;
    return true;
}
