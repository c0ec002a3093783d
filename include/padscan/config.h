/*
 * config: the user's JSON inputs (padscan.json today; fleet manifests and
 * budgets use the same loader), validated with errors that name the file
 * and the JSON path of the problem.
 */
#ifndef PADSCAN_CONFIG_H
#define PADSCAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "padscan/check.h"
#include "padscan/estimate.h"
#include "padscan/fleet.h"
#include "padscan/reorder.h"

struct cJSON;

/* Loads and parses a JSON file; on failure err holds "file: problem".
 * Refuses non-regular files, files over PS_JSON_MAX_BYTES, strings or keys
 * that are not UTF-8, duplicate keys and numbers out of double range. */
#define PS_JSON_MAX_BYTES (256u << 20)
/* Makes cJSON allocate through ps_xmalloc (out of memory: exit 2, one
 * line); main calls it once before any thread starts. */
void ps_json_init(void);
struct cJSON *ps_json_load(const char *path, char *err, size_t errlen);

/* A whole number from 0 to max, checked before any cast.  Counts and sizes
 * in JSON inputs stop at 2^53, where doubles stop counting exactly. */
#define PS_JSON_MAX_COUNT 9007199254740992ull
bool ps_json_whole(const struct cJSON *v, uint64_t max, uint64_t *out);

/* padscan.json: per-type rules, matched by glob on the qualified name. */
typedef struct ps_config_entry {
    const char *pattern;
    ps_type_rules rules;
    bool optional;     /* may match no record */
    long fixed_index;  /* from "fixed": [...] (its index), or -1 from "types" */
} ps_config_entry;

typedef struct ps_config {
    unsigned cacheline; /* 0: the command line's */
    ps_config_entry *entries;
    size_t n;
    const char **sync_types; /* globs: more synchronization types (the reader's) */
    size_t nsync_types;
    bool *sync_optional;     /* per sync_types glob: it may name no type */
    struct cJSON *doc; /* owns the strings above */
} ps_config;

int ps_config_load(const char *path, ps_config *cfg, char *err, size_t errlen);

/* Every entry (not "optional") must match a record of the binaries, and
 * the hot fields of an entry must be members of the records it matches;
 * else -1 and one line naming the entry, with a did-you-mean, in err. */
int ps_config_check_used(const ps_config *cfg, const char *path, const ps_binary *const *bins,
                         size_t n, char *err, size_t errlen);
void ps_config_free(ps_config *cfg);

/* The rules for a record: the first entry whose pattern matches its name
 * (or C spelling), or NULL.  Usable as a ps_rules_fn with ctx = config. */
const ps_type_rules *ps_config_rules(const ps_struct *s, void *cfg);

/* Fleet manifest (docs/fleet.md); services as include/padscan/fleet.h has them. */
typedef struct ps_manifest {
    const char *path;
    ps_service *services;
    size_t n;
    struct cJSON *doc;
    ps_arena arena;
} ps_manifest;

int ps_manifest_load(const char *path, ps_manifest *m, char *err, size_t errlen);
void ps_manifest_free(ps_manifest *m);

/* Budget file (docs/ci.md); strings live in *doc, freed by ps_budget_free. */
int ps_budget_load(const char *path, ps_budget *b, struct cJSON **doc, char *err, size_t errlen);
void ps_budget_free(ps_budget *b, struct cJSON *doc);

/* A saved analyze report or a baseline file as a snapshot. */
int ps_snapshot_load(const char *path, ps_snapshot *snap, ps_arena *arena, char *err, size_t errlen);

/* A saved analyze report as a fleet source; on failure src->error says why. */
void ps_report_source_load(const char *path, ps_fleet_source *src, ps_arena *arena);

#endif
