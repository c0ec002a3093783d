/*
 * padscan check as SARIF 2.1.0, written to pass GitHub code scanning's
 * ingestion rules and not only the schema: every rule carries a full
 * description and help (text and Markdown), every result a fingerprint
 * made of the rule and the type (so an alert survives a moved line),
 * locations are repository-relative paths or file: URIs, and no URL is
 * made up.
 * With the source patches of the binaries checked (src/patch), a result
 * whose record has one carries it as `fixes`: whole lines replaced, each
 * deletedRegion running from column 1 of its first line to column 1 of
 * the line after its last (so the newlines go too, SARIF 2.1.0 3.30.2).
 * Every artifact URI is relative to the repository's top (ps_repo_path,
 * docs/ci.md "Paths") with uriBaseId SRCROOT, which originalUriBaseIds
 * resolves to a file: URI; code scanning reads it as repository-relative.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../patch/edits.h"
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

/* RFC 3986: everything but unreserved characters and '/' percent-encoded. */
static void uri_path(const char *p, ps_strbuf *out)
{
    for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
            || strchr("-._~/", *s))
            ps_sb_putc(out, (char)*s);
        else
            ps_sb_printf(out, "%%%02X", *s);
    }
}

#define MAX_RULES 64

/* Repository roots (docs/ci.md, "Paths"), each a uriBaseId: SRCROOT,
 * SRCROOT2, ... (several when binaries of several repositories are checked). */
typedef struct base_ids {
    ps_vec roots; /* char *, owned */
    ps_repo_paths *paths; /* the document's (findings.h) */
} base_ids;

static const char *base_id(base_ids *b, const char *root, char *buf, size_t len)
{
    size_t i = 0;
    while (i < b->roots.len && strcmp(PS_VEC_AT(&b->roots, char *, i), root))
        i++;
    if (i == b->roots.len) {
        char *copy = ps_xmalloc(strlen(root) + 1);
        *(char **)ps_vec_push(&b->roots) = strcpy(copy, root);
    }
    if (i == 0)
        return "SRCROOT";
    snprintf(buf, len, "SRCROOT%zu", i + 1);
    return buf;
}

/* artifactLocation of path (ps_repo_path's, relative to repo): a relative
 * reference with the uriBaseId of its repository root, else a file: URI
 * (a relative path whose root is unknown stays a bare relative reference,
 * which code scanning reads as relative to the repository). */
static void artifact_location(cJSON *parent, const char *path, const char *repo, base_ids *b)
{
    cJSON *loc = cJSON_AddObjectToObject(parent, "artifactLocation");
    ps_strbuf uri = {0};
    if (path[0] == '/')
        ps_sb_puts(&uri, "file://");
    uri_path(path, &uri);
    cJSON_AddStringToObject(loc, "uri", uri.buf);
    ps_sb_free(&uri);
    char buf[32];
    if (repo && path[0] != '/')
        cJSON_AddStringToObject(loc, "uriBaseId", base_id(b, repo, buf, sizeof(buf)));
}

static cJSON *sarif_location(const ps_check_result *x, base_ids *b)
{
    const char *repo = NULL, *file = finding_path(x->s, x->binary, b->paths, &repo);
    cJSON *loc = cJSON_CreateObject(), *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    artifact_location(phys, file ? file : "padscan", repo, b);
    if (x->s && x->s->decl_line)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(phys, "region"), "startLine", x->s->decl_line);
    if (x->s && x->s->decl_note)
        add_text(loc, "message", x->s->decl_note);
    return loc;
}

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

static cJSON *sarif_result(const ps_check_result *x, int idx, base_ids *b)
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
    cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), sarif_location(x, b));
    char fp[PS_FINGERPRINT_LEN];
    finding_fingerprint(x->rule, x->s ? x->s->name : "fleet", NULL, fp);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "partialFingerprints"), "padscanFinding/v1", fp);
    return res;
}

/* UTF-16 code units of a UTF-8 line (SARIF's default column unit). */
static size_t utf16_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80 ? 1 + (*p >= 0xF0) : 0;
    return n;
}

static cJSON *replacement(const ps_patch *p, const ps_edit *e)
{
    const ps_source *f = &PS_VEC_AT(&p->sources, ps_source, e->source);
    cJSON *r = cJSON_CreateObject(), *reg = cJSON_AddObjectToObject(r, "deletedRegion");
    cJSON_AddNumberToObject(reg, "startLine", e->first);
    cJSON_AddNumberToObject(reg, "startColumn", 1);
    ps_strbuf text = {0};
    for (size_t i = 0; i < e->nlines; i++)
        ps_sb_printf(&text, "%s\n", e->lines[i]);
    if (e->last < f->nlines) { /* up to the start of the next line */
        cJSON_AddNumberToObject(reg, "endLine", e->last + 1);
        cJSON_AddNumberToObject(reg, "endColumn", 1);
    } else { /* the file's last line, with its newline if it has one */
        cJSON_AddNumberToObject(reg, "endLine", e->last);
        cJSON_AddNumberToObject(reg, "endColumn",
                                (double)(utf16_len(f->lines[e->last - 1]) + 1 + f->final_newline));
        if (!f->final_newline && text.len)
            text.buf[--text.len] = '\0';
    }
    add_text(r, "insertedContent", text.buf ? text.buf : "");
    ps_sb_free(&text);
    return r;
}

/* The fix of x's record, from the patch of x's binary, or NULL. */
static cJSON *sarif_fix(const ps_check_fixes *f, const ps_check_result *x, base_ids *bases)
{
    for (size_t k = 0; f && x->s && x->binary && k < f->n; k++) {
        const ps_patch *p = f->patches[k];
        const ps_patch_note *n = p && !strcmp(f->binaries[k], x->binary)
                                     ? ps_patch_note_of(p, x->s->name, x->s->decl_line) : NULL;
        if (!n)
            continue;
        cJSON *fix = cJSON_CreateObject();
        ps_strbuf d = {0};
        ps_sb_printf(&d, "Reorder the members of %s: %s", n->record, n->verdict);
        add_text(fix, "description", d.buf);
        ps_sb_free(&d);
        cJSON *changes = cJSON_AddArrayToObject(fix, "artifactChanges");
        const char **files = ps_xmalloc(n->nedits * sizeof(char *));
        cJSON **lists = ps_xmalloc(n->nedits * sizeof(cJSON *));
        size_t nfiles = 0;
        for (size_t i = n->first_edit; i < n->first_edit + n->nedits; i++) {
            const ps_edit *e = &PS_VEC_AT(&p->edits, ps_edit, i);
            size_t j = 0;
            while (j < nfiles && strcmp(files[j], e->file))
                j++;
            if (j == nfiles) { /* the file's artifactChange */
                cJSON *change = cJSON_CreateObject();
                const char *repo = NULL, *path = ps_repo_paths_get(bases->paths, p->root, e->file, &repo);
                artifact_location(change, path, repo, bases);
                files[nfiles] = e->file;
                lists[nfiles++] = cJSON_AddArrayToObject(change, "replacements");
                cJSON_AddItemToArray(changes, change);
            }
            cJSON_AddItemToArray(lists[j], replacement(p, e));
        }
        free(files);
        free(lists);
        return fix;
    }
    return NULL;
}

/* run.originalUriBaseIds: each repository root as a file: URI ending in
 * '/' (SARIF 2.1.0 3.14.14); the roots are freed. */
static void add_base_ids(cJSON *run, base_ids *b)
{
    cJSON *ids = b->roots.len ? cJSON_AddObjectToObject(run, "originalUriBaseIds") : NULL;
    for (size_t i = 0; i < b->roots.len; i++) {
        char buf[32], *root = PS_VEC_AT(&b->roots, char *, i);
        ps_strbuf uri = {0};
        ps_sb_puts(&uri, "file://");
        uri_path(root, &uri);
        if (uri.buf[uri.len - 1] != '/')
            ps_sb_putc(&uri, '/');
        cJSON_AddStringToObject(cJSON_AddObjectToObject(ids, base_id(b, root, buf, sizeof(buf))),
                                "uri", uri.buf);
        ps_sb_free(&uri);
    }
    for (size_t i = 0; i < b->roots.len; i++)
        free(PS_VEC_AT(&b->roots, char *, i));
    ps_vec_free(&b->roots);
    ps_repo_paths_free(b->paths);
}

void check_sarif_fixes(const ps_check *c, const ps_check_fixes *f, ps_strbuf *out)
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
    base_ids bases;
    ps_vec_init(&bases.roots, sizeof(char *));
    bases.paths = ps_repo_paths_new();
    bool fixes = false;
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (!x->failed)
            continue;
        cJSON *res = sarif_result(x, rule_index(ids, &nids, x->rule, rules), &bases);
        cJSON *fix = sarif_fix(f, x, &bases);
        if (fix)
            cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "fixes"), fix);
        fixes |= fix != NULL;
        cJSON_AddItemToArray(results, res);
    }
    if (fixes)
        cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
    add_base_ids(run, &bases);
    json_finish(root, out);
}

void check_sarif(const ps_check *c, ps_strbuf *out)
{
    check_sarif_fixes(c, NULL, out);
}
