/*
 * The JSON envelope: one place that says which tool and which schema.
 */
#include <stdlib.h>

#include "json_doc.h"

cJSON *json_document(const char *command, unsigned cacheline)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "tool", "padscan");
    cJSON_AddStringToObject(root, "version", PS_VERSION);
    cJSON_AddNumberToObject(root, "schema_version", PS_SCHEMA_VERSION);
    if (command)
        cJSON_AddStringToObject(root, "command", command);
    if (cacheline)
        cJSON_AddNumberToObject(root, "cacheline", cacheline);
    return root;
}

void json_finish(cJSON *root, ps_strbuf *out)
{
    char *text = cJSON_Print(root);
    if (!text)
        ps_xmalloc((size_t)-1);
    ps_sb_puts(out, text);
    ps_sb_putc(out, '\n');
    free(text);
    cJSON_Delete(root);
}

cJSON *json_member_slot(const ps_member *m, uint64_t bit_pos, uint64_t size)
{
    cJSON *o = cJSON_CreateObject();
    ps_strbuf type = {0};
    ps_member_type(m, &type);
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "type", type.buf ? type.buf : "");
    ps_sb_free(&type);
    cJSON_AddNumberToObject(o, "offset", (double)(bit_pos / 8));
    cJSON_AddNumberToObject(o, "size", (double)size);
    cJSON_AddNumberToObject(o, "bit_offset", m->bit_size ? (double)(bit_pos % 8) : 0);
    cJSON_AddNumberToObject(o, "bit_size", m->bit_size);
    return o;
}
