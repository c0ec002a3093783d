/*
 * The JSON envelope: one place that says which tool and which schema.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc.h"

cJSON *json_document(const char *command, unsigned cacheline)
{
    cJSON *root = cJSON_CreateObject();
    json_add(root, "tool", cJSON_CreateString("padscan"));
    json_add(root, "version", cJSON_CreateString(PS_VERSION));
    json_add(root, "schema_version", cJSON_CreateNumber(PS_SCHEMA_VERSION));
    if (command)
        json_add(root, "command", cJSON_CreateString(command));
    if (cacheline)
        json_add(root, "cacheline", cJSON_CreateNumber(cacheline));
    return root;
}

/* Invalid UTF-8 (from a path or a name in a binary) becomes U+FFFD, so the
 * document is always valid JSON; returns how many strings changed. */
static char *valid_utf8(const char *s)
{
    ps_strbuf sb = {0};
    size_t n = strlen(s);
    for (size_t i = 0, k; i < n; i += k) {
        k = ps_utf8_seq(s + i, n - i);
        if (k)
            ps_sb_add(&sb, s + i, k);
        else {
            ps_sb_puts(&sb, "\xEF\xBF\xBD");
            k = 1;
        }
    }
    char *copy = ps_xmalloc(sb.len + 1);
    memcpy(copy, sb.buf ? sb.buf : "", sb.len + 1);
    ps_sb_free(&sb);
    return copy;
}

static size_t repair_utf8(cJSON *v)
{
    size_t fixed = 0;
    for (; v; v = v->next) {
        if (v->valuestring && !ps_utf8_valid_str(v->valuestring)) {
            char *s = valid_utf8(v->valuestring);
            free(v->valuestring);
            v->valuestring = s;
            fixed++;
        }
        if (v->string && !(v->type & cJSON_StringIsConst) && !ps_utf8_valid_str(v->string)) {
            char *s = valid_utf8(v->string);
            free(v->string);
            v->string = s;
            fixed++;
        }
        fixed += repair_utf8(v->child);
    }
    return fixed;
}

/* cJSON prints 1e15 as "1e+15" and 0.00001 as "1e-05": valid JSON, but
 * not a figure a person or a spreadsheet should read.  Such numbers are
 * spelled out here, digit by digit, as the shortest text that reads back
 * as the same double. */
static bool exponent_form(double v)
{
    double a = fabs(v);
    return isfinite(v) && v != 0 && (a >= 1e15 || a < 1e-4);
}

static void plain_number(double v, char *buf, size_t len)
{
    if (v == floor(v)) {
        snprintf(buf, len, "%.0f", v);
        return;
    }
    for (int prec = 1; prec < 340; prec++) {
        snprintf(buf, len, "%.*f", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static void plain_numbers(cJSON *v)
{
    for (; v; v = v->next) {
        if (cJSON_IsNumber(v) && exponent_form(v->valuedouble)) {
            char buf[400];
            plain_number(v->valuedouble, buf, sizeof(buf));
            char *raw = ps_xmalloc(strlen(buf) + 1);
            strcpy(raw, buf);
            v->type = cJSON_Raw;
            v->valuestring = raw;
        }
        plain_numbers(v->child);
    }
}

void json_repo_file(cJSON *o, ps_repo_paths *c, const char *root, const char *file,
                    const char *bin_repo)
{
    const char *repo = NULL, *path = ps_repo_paths_get(c, root, file, &repo);
    json_add(o, "repo_file", cJSON_CreateString(path));
    if (repo && (!bin_repo || strcmp(repo, bin_repo)))
        json_add(o, "repo_root", cJSON_CreateString(repo));
}

const char *json_repo_root(cJSON *o, ps_repo_paths *c, const char *root)
{
    const char *repo = ps_repo_paths_root(c, root);
    if (repo)
        json_add(o, "repo_root", cJSON_CreateString(repo));
    else
        cJSON_AddNullToObject(o, "repo_root");
    return repo;
}

void json_finish(cJSON *root, ps_strbuf *out)
{
    plain_numbers(root);
    size_t fixed = repair_utf8(root);
    if (fixed)
        fprintf(stderr, "padscan: warning: %zu name%s or path%s not valid UTF-8; the JSON shows "
                        "each invalid byte as U+FFFD\n", fixed, fixed == 1 ? "" : "s",
                fixed == 1 ? " was" : "s were");
    json_print(root, out);
    ps_sb_putc(out, '\n');
    cJSON_Delete(root);
}

cJSON *json_member_slot(const ps_member *m, uint64_t bit_pos, uint64_t size)
{
    cJSON *o = cJSON_CreateObject();
    ps_strbuf type = {0};
    ps_member_type(m, &type);
    json_add(o, "name", cJSON_CreateString(m->name));
    json_add(o, "type", cJSON_CreateString(type.buf ? type.buf : ""));
    ps_sb_free(&type);
    json_add(o, "offset", cJSON_CreateNumber((double)(bit_pos / 8)));
    json_add(o, "size", cJSON_CreateNumber((double)size));
    json_add(o, "bit_offset", cJSON_CreateNumber(m->bit_size ? (double)(bit_pos % 8) : 0));
    json_add(o, "bit_size", cJSON_CreateNumber(m->bit_size));
    return o;
}
