/*
 * The one reader of saved reports: a `padscan analyze --format json`
 * report or a baseline written by `padscan check --write-baseline`, as a
 * snapshot.  check, diff and fleet (report_source.c) all read through
 * here, so a record read from a report has the numbers it had in the
 * binary: integers as written, percentages computed from them, the fix
 * text made by the same function.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "padscan/config.h"

typedef struct rd {
    ps_arena *a;
    const char *path;
    char *err;
    size_t errlen;
    unsigned cacheline;
    bool legacy; /* written before reports said "selection" and "record" */
    const char *root; /* the current binary's source_root */
} rd;

/* A whole number >= 0 that a double holds exactly; absent is 0. */
static bool whole(const cJSON *o, const char *key, uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = 0;
    if (!v)
        return true;
    return ps_json_whole(v, PS_JSON_MAX_COUNT, out);
}

/* Names and paths on one line (control characters escaped): check and
 * diff print them in line formats. */
static const char *text(const cJSON *o, const char *key, ps_arena *a)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? ps_arena_strdup(a, ps_oneline(v->valuestring, a)) : NULL;
}

static const char *const *strings(const cJSON *list, size_t *n, ps_arena *a)
{
    const char **out = ps_arena_zalloc(a, ((size_t)cJSON_GetArraySize(list) + 1) * sizeof(char *));
    *n = 0;
    for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next)
        if (cJSON_IsString(e))
            out[(*n)++] = ps_arena_strdup(a, e->valuestring);
    return out;
}

/* Reports written before members named their record: the type text
 * without array dimensions ("[4]main.Item", "struct item [4]"). */
static const char *record_of(rd *c, const cJSON *m)
{
    if (!c->legacy)
        return text(m, "record", c->a);
    char *t = (char *)text(m, "type", c->a);
    while (t && t[0] == '[') {
        char *close = strchr(t, ']');
        if (!close)
            break;
        t = close + 1;
    }
    char *dims = t ? strstr(t, " [") : NULL;
    if (dims)
        *dims = '\0';
    return t;
}

static bool members(rd *c, const cJSON *list, ps_snap_struct *s)
{
    s->nmembers = (size_t)cJSON_GetArraySize(list);
    s->members = ps_arena_zalloc(c->a, (s->nmembers + 1) * sizeof(ps_snap_member));
    size_t i = 0;
    for (const cJSON *m = cJSON_IsArray(list) ? list->child : NULL; m; m = m->next, i++) {
        ps_snap_member *x = &s->members[i];
        x->name = text(m, "name", c->a);
        x->name = x->name ? x->name : "";
        x->record = record_of(c, m);
        if (!whole(m, "offset", &x->offset) || !whole(m, "size", &x->size))
            return false;
    }
    return true;
}

static bool suggestion(rd *c, const cJSON *o, ps_snap_struct *s)
{
    const cJSON *opt = cJSON_GetObjectItemCaseSensitive(o, "optimal_size");
    const cJSON *optp = cJSON_GetObjectItemCaseSensitive(o, "optimal_pointer_bytes");
    const cJSON *alone = cJSON_GetObjectItemCaseSensitive(o, "optimal_order_size_alone");
    if (!whole(o, "optimal_size", &s->optimal_size) ||
        !whole(o, "optimal_pointer_bytes", &s->optimal_ptr_bytes) ||
        !whole(o, "optimal_order_size_alone", &s->order_size))
        return false;
    s->optimal_size = opt ? s->optimal_size : s->size;
    s->optimal_ptr_bytes = optp ? s->optimal_ptr_bytes : s->ptr_bytes;
    s->order_size = alone ? s->order_size : s->optimal_size;
    s->optimal_cachelines = (uint64_t)((s->optimal_size + c->cacheline - 1) / c->cacheline);
    s->order = strings(cJSON_GetObjectItemCaseSensitive(o, "optimal_order"), &s->norder, c->a);
    s->nested = strings(cJSON_GetObjectItemCaseSensitive(o, "optimal_needs_nested"), &s->nnested, c->a);
    s->fix = ps_fix_text(s, c->a);
    return true;
}

/* One line "FILE: $.binaries[0].structs[3].waste: ..." in c->err; false. */
static bool bad(rd *c, const char *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool bad(rd *c, const char *at, const char *key, const char *fmt, ...)
{
    int n = snprintf(c->err, c->errlen, "%s: %s%s%s: ", c->path, at, key ? "." : "", key ? key : "");
    if (n < 0 || (size_t)n >= c->errlen)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* The integers a record's figures are made of, each a whole number. */
static bool numbers(rd *c, const cJSON *o, const char *at, ps_snap_struct *s)
{
    static const char *const keys[] = {"size", "waste", "pointer_bytes", "cachelines", "decl_line",
                                       "shared_sync_lines"};
    uint64_t v[6];
    for (size_t k = 0; k < 6; k++)
        if (!whole(o, keys[k], &v[k]))
            return bad(c, at, keys[k], "not a whole number in range (0 to 2^53)");
    for (size_t k = 3; k < 6; k++)
        if (v[k] > UINT32_MAX)
            return bad(c, at, keys[k], "%llu is out of range", (unsigned long long)v[k]);
    s->size = v[0];
    s->waste = v[1];
    s->ptr_bytes = v[2];
    s->cachelines = (uint32_t)v[3];
    s->decl_line = (uint32_t)v[4];
    s->shared_sync_lines = (uint32_t)v[5]; /* absent before padscan knew sync fields */
    return true;
}

/* A report's waste is its holes' bytes plus the tail padding, within the
 * size: a record whose figures contradict each other was edited, and a
 * gate fed from it would check invented numbers.  Baselines carry only
 * the measures (size and waste). */
static bool consistent(rd *c, const cJSON *o, const char *at, const ps_snap_struct *s)
{
    if (s->waste > s->size)
        return bad(c, at, "waste", "%llu bytes of waste exceed the record's size (%llu bytes)",
                   (unsigned long long)s->waste, (unsigned long long)s->size);
    const cJSON *holes = cJSON_GetObjectItemCaseSensitive(o, "holes");
    const cJSON *tail = cJSON_GetObjectItemCaseSensitive(o, "tail_padding");
    if (!holes && !tail)
        return true;
    uint64_t sum = 0, t = 0, off, len;
    if (!cJSON_IsArray(holes) || !whole(o, "tail_padding", &t) || t > s->size)
        return bad(c, at, cJSON_IsArray(holes) ? "tail_padding" : "holes",
                   cJSON_IsArray(holes) ? "expected bytes within the record's size"
                                        : "expected an array of holes");
    size_t i = 0;
    for (const cJSON *h = holes->child; h; h = h->next, i++) {
        char key[48];
        snprintf(key, sizeof(key), "holes[%zu]", i);
        if (!whole(h, "offset", &off) || !whole(h, "size", &len) || off > s->size ||
            len > s->size - off)
            return bad(c, at, key, "expected {offset, size} within the record's %llu bytes",
                       (unsigned long long)s->size);
        sum += len;
    }
    if (sum + t != s->waste)
        return bad(c, at, "waste", "%llu bytes, but its holes (%llu bytes) and tail padding "
                   "(%llu) make %llu: the report contradicts itself", (unsigned long long)s->waste,
                   (unsigned long long)sum, (unsigned long long)t, (unsigned long long)(sum + t));
    return true;
}

/* "sync_order": {"order": [...], "size": N, "shared_sync_lines": K} */
static bool sync_order(rd *c, const cJSON *v, const char *at, ps_snap_struct *s)
{
    uint64_t size = 0, lines = 0;
    if (!v)
        return true;
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(v, "order");
    if (!cJSON_IsObject(v) || !cJSON_IsArray(order) || !whole(v, "size", &size) ||
        !whole(v, "shared_sync_lines", &lines) || lines > UINT32_MAX)
        return bad(c, at, "sync_order", "expected {\"order\": [...], \"size\": BYTES, "
                   "\"shared_sync_lines\": N}");
    s->has_sync_order = true;
    s->sync_order = strings(order, &s->nsync_order, c->a);
    s->sync_order_size = size;
    s->sync_order_lines = (uint32_t)lines;
    return true;
}

static bool one_struct(rd *c, const cJSON *o, const char *at, ps_snap_struct *s)
{
    s->name = text(o, "name", c->a);
    s->lang = text(o, "lang", c->a);
    if (!cJSON_IsObject(o))
        return bad(c, at, NULL, "expected a record object");
    if (!s->name || !cJSON_GetObjectItemCaseSensitive(o, "size"))
        return bad(c, at, s->name ? "size" : "name", "missing (write the report with this "
                   "version of padscan)");
    s->lang = s->lang ? s->lang : "c";
    if (!numbers(c, o, at, s) || !consistent(c, o, at, s))
        return false;
    s->waste_percent = ps_snap_waste_percent(s);
    s->decl_file = text(o, "decl_file", c->a);
    s->decl_root = c->root;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "decl_from_method")))
        s->decl_note = ps_decl_note_method;
    s->ctype = text(o, "ctype", c->a);
    /* "class" since padscan 0.2; older reports said "foreign": true for
     * the standard library's and system headers' records. */
    const char *cls = text(o, "class", c->a);
    if (!cls || !ps_class_parse(cls, &s->cls))
        s->cls = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "foreign")) ? PS_CLASS_STD
                                                                                : PS_CLASS_OWN;
    if (!members(c, cJSON_GetObjectItemCaseSensitive(o, "members"), s))
        return bad(c, at, "members", "expected members with whole-number offsets and sizes");
    if (!sync_order(c, cJSON_GetObjectItemCaseSensitive(o, "sync_order"), at, s))
        return false;
    if (!suggestion(c, o, s))
        return bad(c, at, NULL, "optimal_size, optimal_pointer_bytes and "
                   "optimal_order_size_alone must be whole numbers");
    return true;
}

/* base: the JSON path of the list ("$.structs", "$.binaries[1].structs") */
static int add_structs(rd *c, const cJSON *list, const char *base, ps_snapshot *snap)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    ps_snap_struct *all = ps_arena_zalloc(c->a, (snap->n + n + 1) * sizeof(ps_snap_struct));
    for (size_t i = 0; i < snap->n; i++)
        all[i] = snap->structs[i];
    size_t i = 0;
    for (const cJSON *o = cJSON_IsArray(list) ? list->child : NULL; o; o = o->next, i++) {
        char at[96];
        snprintf(at, sizeof(at), "%s[%zu]", base, i);
        if (!one_struct(c, o, at, &all[snap->n++]))
            return -1;
    }
    snap->structs = all;
    return 0;
}

/* What the report says about its binary (the first; "mixed" when they
 * differ in architecture). */
static void binary_facts(rd *c, const cJSON *b, ps_snapshot *snap)
{
    uint64_t ptr = 0;
    const char *arch = text(b, "arch", c->a), *lang = text(b, "lang", c->a);
    whole(b, "ptr_size", &ptr);
    if (snap->nbinaries++) {
        if (arch && snap->arch && strcmp(arch, snap->arch))
            snap->arch = "mixed";
        return;
    }
    snap->binary = text(b, "path", c->a);
    snap->arch = arch;
    snap->build_id = text(b, "build_id", c->a);
    snap->go_version = text(b, "go_version", c->a);
    snap->ptr_size = ptr == 4 || ptr == 8 ? (unsigned)ptr : 0;
    snap->is_go = lang && strcmp(lang, "c") != 0;
}

static void selection(rd *c, const cJSON *doc, ps_snapshot *snap)
{
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(doc, "selection");
    const cJSON *complete = cJSON_GetObjectItemCaseSensitive(sel, "complete");
    if (cJSON_IsFalse(complete)) {
        snap->subset = text(sel, "options", c->a);
        snap->subset = snap->subset ? snap->subset : "options that left records out";
    }
    const cJSON *classes = cJSON_GetObjectItemCaseSensitive(sel, "classes");
    ps_class cls;
    for (const cJSON *x = cJSON_IsArray(classes) ? classes->child : NULL; x; x = x->next)
        if (cJSON_IsString(x) && ps_class_parse(x->valuestring, &cls))
            snap->classes |= 1u << cls;
}

static int fill(rd *c, const cJSON *doc, ps_snapshot *snap)
{
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(doc, "tool");
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(doc, "binaries");
    const cJSON *structs = cJSON_GetObjectItemCaseSensitive(doc, "structs");
    uint64_t line = 0;
    if (!cJSON_IsString(tool) || strcmp(tool->valuestring, "padscan") ||
        !(cJSON_IsArray(bins) || cJSON_IsArray(structs))) {
        snprintf(c->err, c->errlen, "%s: not a padscan analyze report or baseline", c->path);
        return -1;
    }
    if (!whole(doc, "cacheline", &line) || line > 65536) {
        snprintf(c->err, c->errlen, "%s: cacheline: expected a cache-line size in bytes", c->path);
        return -1;
    }
    c->cacheline = line ? (unsigned)line : 64;
    snap->cacheline = (unsigned)line;
    if (cJSON_IsArray(structs))
        return add_structs(c, structs, "$.structs", snap);
    c->legacy = !cJSON_GetObjectItemCaseSensitive(doc, "selection");
    selection(c, doc, snap);
    int rc = 0;
    size_t k = 0;
    for (const cJSON *b = bins->child; b && !rc; b = b->next, k++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(b, "structs");
        binary_facts(c, b, snap);
        c->root = text(b, "source_root", c->a);
        if (!cJSON_GetArraySize(list) && !snap->empty_binary) {
            const char *path = text(b, "path", c->a);
            snap->empty_binary = path ? path : "(unnamed)";
        }
        char base[64];
        snprintf(base, sizeof(base), "$.binaries[%zu].structs", k);
        rc = add_structs(c, list, base, snap);
    }
    return rc;
}

int ps_snapshot_load(const char *path, ps_snapshot *snap, ps_arena *arena, char *err, size_t errlen)
{
    memset(snap, 0, sizeof(*snap));
    snap->source = ps_arena_strdup(arena, ps_oneline(path, arena)); /* printed in line formats */
    cJSON *doc = ps_json_load(path, err, errlen);
    if (!doc)
        return -1;
    rd c = {arena, path, err, errlen, 64, false, NULL};
    int rc = fill(&c, doc, snap);
    cJSON_Delete(doc);
    return rc;
}
