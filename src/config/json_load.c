/*
 * Reading a JSON input file, with the line and column of a syntax error.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padscan/config.h"

static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    ps_strbuf sb = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ps_sb_add(&sb, chunk, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        ps_sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb.buf ? sb.buf : calloc(1, 1);
}

cJSON *ps_json_load(const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = read_all(path, &len, err, errlen);
    if (!text)
        return NULL;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, true);
    if (!doc) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0, line = 1, col = 1;
        for (size_t i = 0; i < at && i < len; i++, col++)
            if (text[i] == '\n') {
                line++;
                col = 0;
            }
        snprintf(err, errlen, "%s: invalid JSON at line %zu, column %zu", path, line, col);
    }
    free(text);
    return doc;
}
