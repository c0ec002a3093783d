/*
 * Private to report: the envelope every JSON document shares.
 */
#ifndef PADSCAN_REPORT_JSON_DOC_H
#define PADSCAN_REPORT_JSON_DOC_H

#include <cjson/cJSON.h>

#include "padscan/report.h"

/* {"tool","version","schema_version"[,"command"],"cacheline"} */
cJSON *json_document(const char *command, unsigned cacheline);
/* {"name","type","offset","size","bit_offset","bit_size"} of a member
 * placed at bit_pos with the given size (a layout, current or suggested). */
cJSON *json_member_slot(const ps_member *m, uint64_t bit_pos, uint64_t size);

/* Prints the document into out and frees it. */
void json_finish(cJSON *root, ps_strbuf *out);

#endif
