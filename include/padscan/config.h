/*
 * config: the user's JSON inputs (padscan.json today; fleet manifests and
 * budgets use the same loader), validated with errors that name the file
 * and the JSON path of the problem.
 */
#ifndef PADSCAN_CONFIG_H
#define PADSCAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "padscan/reorder.h"

struct cJSON;

/* Loads and parses a JSON file; on failure err holds "file: problem". */
struct cJSON *ps_json_load(const char *path, char *err, size_t errlen);

/* padscan.json: per-type rules, matched by glob on the qualified name. */
typedef struct ps_config_entry {
    const char *pattern;
    ps_type_rules rules;
} ps_config_entry;

typedef struct ps_config {
    unsigned cacheline; /* 0: the command line's */
    ps_config_entry *entries;
    size_t n;
    struct cJSON *doc; /* owns the strings above */
} ps_config;

int ps_config_load(const char *path, ps_config *cfg, char *err, size_t errlen);
void ps_config_free(ps_config *cfg);

/* The rules for a record: the first entry whose pattern matches its name
 * (or C spelling), or NULL.  Usable as a ps_rules_fn with ctx = config. */
const ps_type_rules *ps_config_rules(const ps_struct *s, void *cfg);

#endif
