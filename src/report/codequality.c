/*
 * GitLab Code Quality reports (artifacts:reports:codequality), so merge
 * requests show padscan's findings: a JSON array of {description,
 * check_name, fingerprint, severity, location{path, lines{begin}}}
 * (docs/schema/codequality.schema.json).  GitLab tells new from fixed
 * findings by fingerprint, so it is the rule and the type, never a line;
 * a finding seen in several binaries (a shared header) is listed once.
 */
#include <string.h>

#include "findings.h"
#include "json_doc.h"

typedef struct cq_finding {
    const char *description, *check_name, *severity;
    const ps_snap_struct *s; /* declared where, or NULL */
    const char *binary;      /* else the binary */
    uint32_t line;
    const char *kind, *type, *member; /* what the fingerprint is made of */
} cq_finding;

/* Appends f unless its fingerprint is already in the report. */
static void cq_add(cJSON *list, ps_map *seen, ps_repo_paths *paths, const cq_finding *f)
{
    char fp[PS_FINGERPRINT_LEN];
    uint64_t key = finding_fingerprint(f->kind, f->type, f->member, fp);
    key = key ? key : 1;
    if (ps_map_get(seen, key))
        return;
    ps_map_put(seen, key, (void *)f->type);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "description", f->description);
    cJSON_AddStringToObject(o, "check_name", f->check_name);
    cJSON_AddStringToObject(o, "fingerprint", fp);
    cJSON_AddStringToObject(o, "severity", f->severity);
    cJSON *loc = cJSON_AddObjectToObject(o, "location");
    const char *path = finding_path(f->s, f->binary, paths, NULL);
    cJSON_AddStringToObject(loc, "path", path ? path : "padscan");
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(loc, "lines"), "begin", f->line ? f->line : 1);
    cJSON_AddItemToArray(list, o);
}

static void cq_finish(cJSON *list, ps_map *seen, ps_repo_paths *paths, ps_strbuf *out)
{
    ps_repo_paths_free(paths);
    ps_map_free(seen);
    json_finish(list, out);
}

/* Failed checks are "major"; those known from the baseline "info". */
void check_codequality(const ps_check *c, ps_strbuf *out)
{
    cJSON *list = cJSON_CreateArray();
    ps_map seen = {0};
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (!x->failed)
            continue;
        ps_strbuf msg = {0};
        check_message(x, &msg);
        const char *type = x->s ? x->s->name : "fleet";
        cq_finding f = {
            .description = msg.buf, .check_name = x->rule,
            .severity = x->grandfathered ? "info" : "major",
            .s = x->s, .binary = x->binary,
            .line = x->s ? x->s->decl_line : 0, .kind = x->rule, .type = type,
        };
        cq_add(list, &seen, paths, &f);
        ps_sb_free(&msg);
    }
    cq_finish(list, &seen, paths, out);
}

/* diff: one finding per regression, at the type's declaration in NEW. */
void diff_codequality(const ps_diff *d, const ps_snapshot *before, const ps_snapshot *after,
                      ps_strbuf *out)
{
    cJSON *list = cJSON_CreateArray();
    ps_map seen = {0};
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < d->n; i++) {
        const ps_change *ch = &d->changes[i];
        if (!ch->regression)
            continue;
        const ps_snap_struct *s = ps_snap_find(after, ch->type);
        if (!s)
            s = ps_snap_find(before, ch->type);
        ps_strbuf msg = {0}, name = {0};
        ps_sb_printf(&msg, "%s: %s grew from %llu to %llu", ch->type, diff_kind_name(ch->kind),
                     (unsigned long long)ch->before, (unsigned long long)ch->after);
        ps_sb_printf(&name, "diff.%s", diff_kind_name(ch->kind));
        cq_finding f = {
            .description = msg.buf, .check_name = name.buf, .severity = "major",
            .s = s, .binary = after->source,
            .line = s ? s->decl_line : 0, .kind = name.buf, .type = ch->type, .member = ch->member,
        };
        cq_add(list, &seen, paths, &f);
        ps_sb_free(&msg);
        ps_sb_free(&name);
    }
    cq_finish(list, &seen, paths, out);
}
