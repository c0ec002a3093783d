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
