/*
 * Private to report: the envelope every JSON document shares.
 */
#ifndef PADSCAN_REPORT_JSON_DOC_H
#define PADSCAN_REPORT_JSON_DOC_H

#include <cjson/cJSON.h>

#include "padscan/report.h"

/* Adds v under key, a string literal: cJSON keeps the pointer instead of
 * a copy per value (a kernel's report has 700,000 of them). */
static inline void json_add(cJSON *o, const char *key, cJSON *v)
{
    cJSON_AddItemToObjectCS(o, key, v);
}

/* {"tool","version","schema_version"[,"command"],"cacheline"} */
cJSON *json_document(const char *command, unsigned cacheline);
/* {"name","type","offset","size","bit_offset","bit_size"} of a member
 * placed at bit_pos with the given size (a layout, current or suggested). */
cJSON *json_member_slot(const ps_member *m, uint64_t bit_pos, uint64_t size);

/* "repo_file": file (a record's decl_file, relative to root, the source
 * root) as the repository names it (ps_repo_paths); "repo_root" too when
 * the root it is relative to is not bin_repo, the binary's "repo_root". */
void json_repo_file(cJSON *o, ps_repo_paths *c, const char *root, const char *file,
                    const char *bin_repo);
/* "repo_root" of a binary whose source root is root (null: none). */
const char *json_repo_root(cJSON *o, ps_repo_paths *c, const char *root);

/* json_print.c: the document's text as cJSON_Print's, into out. */
void json_print(const cJSON *root, ps_strbuf *out);
/* Prints the document into out and frees it. */
void json_finish(cJSON *root, ps_strbuf *out);

#endif
