/*
 * padscan check as SARIF 2.1.0, written to pass GitHub code scanning's
 * ingestion rules and not only the schema: every rule carries a full
 * description and help (text and Markdown), every result a fingerprint
 * made of the rule and the type (so an alert survives a moved line),
 * locations are relative paths or file: URIs, and no URL is made up.
 */
#include <stdbool.h>
#include <string.h>

#include "findings.h"
#include "json_doc.h"

typedef struct rule_doc {
    const char *id, *name, *brief, *full, *help;
} rule_doc;

static const rule_doc rule_docs[] = {
    {"max_waste", "MaxWaste", "Padding above the budget",
     "The struct has more padding bytes (holes between members plus tail padding) than the "
     "budget's max_waste allows.",
     "Reorder the members as the finding's fix says (`padscan suggest` prints the order of "
     "minimum size), or raise `max_waste` for this type in the budget file."},
    {"max_waste_percent", "MaxWastePercent", "Padding share above the budget",
     "Padding is a larger share of the struct's size than the budget's max_waste_percent allows.",
     "Reorder the members as the finding's fix says, or raise `max_waste_percent` for this type "
     "in the budget file."},
    {"max_size", "MaxSize", "Size above the budget",
     "The struct is larger than the budget's max_size allows.",
     "Reorder the members (the finding's fix, when there is one, says what that alone reaches), "
     "shrink or move members out of the struct, or raise `max_size` in the budget file."},
    {"max_cachelines", "MaxCachelines", "More cache lines than the budget",
     "One instance of the struct spans more cache lines than the budget's max_cachelines allows "
     "(cache line size: --cacheline, default 64 bytes).",
     "Reorder or shrink the members so an instance fits, or raise `max_cachelines` in the "
     "budget file."},
    {"must_be_optimal", "MustBeOptimal", "Larger than its best field order",
     "The budget requires this struct to have the size of its best field order, and another "
     "order of the same members is smaller.",
     "Apply the member order of the finding's fix (`padscan suggest --type NAME` prints it as "
     "source), or drop `must_be_optimal` for this type."},
    {"max_pointer_bytes", "MaxPointerBytes", "More pointer bytes than the budget",
     "The Go garbage collector must scan more bytes of each object of this struct than the "
     "budget's max_pointer_bytes allows (the span up to its last pointer).",
     "Move pointer-holding members (pointers, strings, slices, maps, interfaces) to the front, "
     "or raise `max_pointer_bytes` in the budget file."},
    {"max_shared_sync_lines", "MaxSharedSyncLines", "False-sharing risks above the budget",
     "More cache-line windows of the object hold two or more synchronization fields (atomics, "
     "locks) than the budget's max_shared_sync_lines allows; threads updating them contend for "
     "the same line.",
     "Separate the synchronization fields (padscan suggest's fences and cache-line groups place "
     "them), or raise `max_shared_sync_lines` in the budget file."},
    {"grew", "Grew", "Larger than in the baseline",
     "The struct is larger than the baseline recorded; a baseline lets known violations pass "
     "but fails on any growth.",
     "Undo the growth (reorder the new member into an existing hole), or record the new size "
     "on purpose with `padscan check --write-baseline`."},
    {"more_waste", "MoreWaste", "More padding than in the baseline",
     "The struct has more padding bytes than the baseline recorded.",
     "Place the new or moved member into an existing hole, or record the new numbers on "
     "purpose with `padscan check --write-baseline`."},
    {"fleet.max_waste", "FleetMaxWaste", "Fleet padding above the budget",
     "Across the fleet manifest's services, the hot types waste more allocator bytes than the "
     "budget's fleet.max_waste allows.",
     "Reorder the hot types `padscan fleet` lists with the largest savings, or raise "
     "`fleet.max_waste` in the budget file."},
};

/* padscan.json's cache-line groups: one rule per group, groups.NAME.KIND */
static const rule_doc group_docs[] = {
    {".contiguous", "GroupContiguous", "Cache-line group not contiguous",
     "A cache-line group of the configuration (padscan.json, types[].groups) has fields of "
     "another group, or of none, between its fields.",
     "Apply padscan suggest's order with the same --config (it keeps each group contiguous), or "
     "change the group in padscan.json."},
    {".max_lines", "GroupMaxLines", "Cache-line group spans too many lines",
     "A cache-line group of the configuration spans more cache lines than its max_lines allows.",
     "Apply padscan suggest's order with the same --config, or raise the group's max_lines in "
     "padscan.json."},
};

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

static const rule_doc *rule_doc_of(const char *id)
{
    for (size_t i = 0; i < sizeof(rule_docs) / sizeof(rule_docs[0]); i++)
        if (!strcmp(rule_docs[i].id, id))
            return &rule_docs[i];
    if (!strncmp(id, "groups.", 7))
        for (size_t i = 0; i < sizeof(group_docs) / sizeof(group_docs[0]); i++)
            if (ends_with(id, group_docs[i].id))
                return &group_docs[i];
    return NULL;
}

static void add_text(cJSON *parent, const char *key, const char *text)
{
    cJSON_AddStringToObject(cJSON_AddObjectToObject(parent, key), "text", text);
}

static cJSON *rule_descriptor(const char *id)
{
    const rule_doc *d = rule_doc_of(id);
    rule_doc unknown = {id, "Budget", id, id, "See the budget file."};
    if (!d)
        d = &unknown;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", id);
    cJSON_AddStringToObject(r, "name", d->name);
    add_text(r, "shortDescription", d->brief);
    add_text(r, "fullDescription", d->full);
    ps_strbuf text = {0}, md = {0};
    ps_sb_printf(&text, "%s %s", d->full, d->help);
    ps_sb_printf(&md, "**%s**\n\n%s\n\n%s", d->brief, d->full, d->help);
    cJSON *help = cJSON_AddObjectToObject(r, "help");
    cJSON_AddStringToObject(help, "text", text.buf);
    cJSON_AddStringToObject(help, "markdown", md.buf);
    ps_sb_free(&text);
    ps_sb_free(&md);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "defaultConfiguration"), "level", "error");
    return r;
}

/* RFC 3986: a relative reference when below the current folder, else a
 * file: URI; everything but unreserved characters and '/' percent-encoded. */
static void sarif_uri(const char *file, ps_strbuf *out)
{
    char cwd[4096];
    const char *p = cwd_relative(file, cwd, sizeof(cwd));
    if (p[0] == '/')
        ps_sb_puts(out, "file://");
    for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
            || strchr("-._~/", *s))
            ps_sb_putc(out, (char)*s);
        else
            ps_sb_printf(out, "%%%02X", *s);
    }
}

static cJSON *sarif_location(const ps_check_result *x)
{
    const char *file = x->s && x->s->decl_file ? x->s->decl_file : x->binary ? x->binary : "padscan";
    cJSON *loc = cJSON_CreateObject(), *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    ps_strbuf uri = {0};
    sarif_uri(file, &uri);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri", uri.buf);
    ps_sb_free(&uri);
    if (x->s && x->s->decl_line)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(phys, "region"), "startLine", x->s->decl_line);
    if (x->s && x->s->decl_note)
        add_text(loc, "message", x->s->decl_note);
    return loc;
}

#define MAX_RULES 64

/* The rule's index in driver.rules, added on first use; -1 if full. */
static int rule_index(const char **ids, size_t *n, const char *rule, cJSON *rules)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(ids[i], rule))
            return (int)i;
    if (*n == MAX_RULES)
        return -1;
    ids[*n] = rule;
    cJSON_AddItemToArray(rules, rule_descriptor(rule));
    return (int)(*n)++;
}

static cJSON *sarif_result(const ps_check_result *x, int idx)
{
    ps_strbuf msg = {0};
    check_message(x, &msg);
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "ruleId", x->rule);
    if (idx >= 0)
        cJSON_AddNumberToObject(res, "ruleIndex", idx);
    cJSON_AddStringToObject(res, "level", x->grandfathered ? "note" : "error");
    add_text(res, "message", msg.buf);
    ps_sb_free(&msg);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), sarif_location(x));
    char fp[PS_FINGERPRINT_LEN];
    finding_fingerprint(x->rule, x->s ? x->s->name : "fleet", NULL, fp);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "partialFingerprints"), "padscanFinding/v1", fp);
    return res;
}

void check_sarif(const ps_check *c, ps_strbuf *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "padscan");
    cJSON_AddStringToObject(driver, "version", PS_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", PS_VERSION);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    const char *ids[MAX_RULES];
    size_t nids = 0;
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (!x->failed)
            continue;
        cJSON_AddItemToArray(results, sarif_result(x, rule_index(ids, &nids, x->rule, rules)));
    }
    json_finish(root, out);
}
