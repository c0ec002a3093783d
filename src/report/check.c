/*
 * padscan check output: where CI users look.  Text and Markdown for
 * people, JSON for scripts, SARIF 2.1.0 for code scanning (sarif.c), JUnit
 * XML for test dashboards (one test case per rule and struct), GitHub
 * Actions workflow commands for annotations, GitLab Code Quality for merge
 * requests (codequality.c).  One table maps --format names to writers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../patch/edits.h"
#include "figures.h"
#include "findings.h"
#include "json_doc.h"

void check_message(const ps_check_result *x, ps_strbuf *out)
{
    const char *name = x->s ? x->s->name : "fleet";
    char v[FIGURE_CHARS], lim[FIGURE_CHARS];
    if (!strcmp(x->rule, "must_be_optimal"))
        ps_sb_printf(out, "%s: %.0f bytes larger than its best field order (%llu -> %llu)", name,
                     x->value, (unsigned long long)x->s->size, (unsigned long long)x->s->optimal_size);
    else if (!strncmp(x->rule, "groups.", 7) && strstr(x->rule, ".contiguous"))
        ps_sb_printf(out, "%s: cache-line group %.*s is not contiguous: %.0f field%s of another "
                     "group (or of none) between its fields", name,
                     (int)(strlen(x->rule) - 7 - 11), x->rule + 7, x->value, x->value == 1 ? "" : "s");
    else if (!strcmp(x->rule, "grew") || !strcmp(x->rule, "more_waste"))
        ps_sb_printf(out, "%s: %s from %.0f to %.0f bytes since the baseline", name,
                     x->rule[0] == 'g' ? "grew" : "padding grew", x->limit, x->value);
    else
        ps_sb_printf(out, "%s: %s is %s, the budget allows %s", name, x->rule, figure(v, x->value),
                     figure(lim, x->limit));
    if (x->grandfathered)
        ps_sb_puts(out, " (no worse than the baseline)");
    if (x->fix)
        ps_sb_printf(out, "; fix: %s", x->fix);
}

const char *finding_path(const ps_snap_struct *s, const char *binary, ps_repo_paths *c,
                         const char **repo)
{
    if (s && s->decl_file)
        return ps_repo_paths_get(c, s->decl_root, s->decl_file, repo);
    char cwd[4096];
    if (binary && binary[0] != '/' && getcwd(cwd, sizeof(cwd)))
        return ps_repo_paths_get(c, cwd, binary, repo);
    return ps_repo_paths_get(c, NULL, binary, repo);
}

/* FNV-1a over the parts, each followed by a NUL (so ("ab","c") != ("a","bc")). */
uint64_t finding_fingerprint(const char *kind, const char *type, const char *member,
                             char out[PS_FINGERPRINT_LEN])
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[] = {"padscan", kind, type, member ? member : ""};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
            h = (h ^ *p) * 1099511628211ULL;
            if (!*p)
                break;
        }
    snprintf(out, PS_FINGERPRINT_LEN, "%016llx", (unsigned long long)h);
    return h;
}

static void text_format(const ps_check *c, ps_strbuf *out)
{
    size_t old = 0;
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        old += x->grandfathered;
        if (!x->failed)
            continue;
        ps_sb_printf(out, "%s %s: ", x->grandfathered ? "known" : "FAIL", x->binary ? x->binary : "fleet");
        check_message(x, out);
        if (x->s && x->s->decl_file)
            ps_sb_printf(out, x->s->decl_line ? " [%s:%u]" : " [%s]",
                         finding_path(x->s, NULL, paths, NULL), x->s->decl_line);
        ps_sb_putc(out, '\n');
    }
    ps_repo_paths_free(paths);
    ps_sb_printf(out, "padscan check: %zu checks, %zu failed%s", c->n, c->failures,
                 c->failures ? "" : " - within budget");
    if (old)
        ps_sb_printf(out, " (%zu known from the baseline)", old);
    ps_sb_putc(out, '\n');
}

static void json_format(const ps_check *c, ps_strbuf *out)
{
    cJSON *root = json_document("check", 0);
    cJSON_AddNumberToObject(root, "checks", (double)c->n);
    cJSON_AddNumberToObject(root, "failures", (double)c->failures);
    cJSON *list = cJSON_AddArrayToObject(root, "results");
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        cJSON *o = cJSON_CreateObject();
        ps_strbuf msg = {0};
        check_message(x, &msg);
        cJSON_AddStringToObject(o, "binary", x->binary ? x->binary : "");
        cJSON_AddStringToObject(o, "type", x->s ? x->s->name : "");
        cJSON_AddStringToObject(o, "rule", x->rule);
        cJSON_AddNumberToObject(o, "value", x->value);
        cJSON_AddNumberToObject(o, "limit", x->limit);
        cJSON_AddBoolToObject(o, "failed", x->failed && !x->grandfathered);
        cJSON_AddBoolToObject(o, "baseline", x->grandfathered);
        cJSON_AddStringToObject(o, "message", msg.buf);
        if (x->s && x->s->decl_file) {
            cJSON_AddStringToObject(o, "decl_file", finding_path(x->s, NULL, paths, NULL));
            if (x->s->decl_line)
                cJSON_AddNumberToObject(o, "decl_line", x->s->decl_line);
        }
        if (x->fix)
            cJSON_AddStringToObject(o, "fix", x->fix);
        cJSON_AddItemToArray(list, o);
        ps_sb_free(&msg);
    }
    ps_repo_paths_free(paths);
    json_finish(root, out);
}

/* XML 1.0 allows neither control characters (not even as &#1;) nor
 * invalid UTF-8: both become U+FFFD. */
static void xml_text(ps_strbuf *out, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0, k; i < n; i += k) {
        unsigned char c = (unsigned char)s[i];
        k = ps_utf8_seq(s + i, n - i);
        if (!k || (c < 0x20 && c != '\t') || c == 0x7f) {
            ps_sb_puts(out, "\xEF\xBF\xBD");
            k = k ? k : 1;
            continue;
        }
        switch (c) {
        case '<': ps_sb_puts(out, "&lt;"); break;
        case '>': ps_sb_puts(out, "&gt;"); break;
        case '&': ps_sb_puts(out, "&amp;"); break;
        case '"': ps_sb_puts(out, "&quot;"); break;
        default: ps_sb_add(out, s + i, k);
        }
    }
}

static void junit_format(const ps_check *c, ps_strbuf *out)
{
    ps_sb_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites name=\"padscan\" tests=\"%zu\" failures=\"%zu\">\n"
                      "  <testsuite name=\"padscan check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
                 c->n, c->failures, c->n, c->failures);
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        ps_strbuf msg = {0};
        check_message(x, &msg);
        ps_sb_puts(out, "    <testcase classname=\"");
        xml_text(out, x->rule);
        ps_sb_puts(out, "\" name=\"");
        xml_text(out, x->s ? x->s->name : "fleet");
        if (x->failed && !x->grandfathered) {
            ps_sb_puts(out, "\">\n      <failure message=\"");
            xml_text(out, msg.buf);
            ps_sb_puts(out, "\" type=\"");
            xml_text(out, x->rule);
            ps_sb_puts(out, "\">");
            xml_text(out, msg.buf);
            ps_sb_puts(out, "</failure>\n    </testcase>\n");
        } else {
            ps_sb_puts(out, "\"/>\n");
        }
        ps_sb_free(&msg);
    }
    ps_sb_puts(out, "  </testsuite>\n</testsuites>\n");
}

/* Workflow command values escape %, CR and LF; properties also , and :. */
static void gh_escape(ps_strbuf *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        if (*s == '%') ps_sb_puts(out, "%25");
        else if (*s == '\r') ps_sb_puts(out, "%0D");
        else if (*s == '\n') ps_sb_puts(out, "%0A");
        else if (property && *s == ':') ps_sb_puts(out, "%3A");
        else if (property && *s == ',') ps_sb_puts(out, "%2C");
        else ps_sb_putc(out, *s);
    }
}

/* "file=PATH,line=N," of a record's declaration (the repository's path). */
void gh_location(ps_strbuf *out, const ps_snap_struct *s, ps_repo_paths *c)
{
    if (!s || !s->decl_file)
        return;
    ps_sb_puts(out, "file=");
    gh_escape(out, finding_path(s, NULL, c, NULL), true);
    if (s->decl_line)
        ps_sb_printf(out, ",line=%u", s->decl_line);
    ps_sb_putc(out, ',');
}

static void github_format(const ps_check *c, ps_strbuf *out)
{
    ps_repo_paths *paths = ps_repo_paths_new();
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (!x->failed)
            continue;
        ps_sb_puts(out, x->grandfathered ? "::notice " : "::error ");
        gh_location(out, x->s, paths);
        ps_sb_puts(out, "title=padscan ");
        gh_escape(out, x->rule, true);
        ps_sb_puts(out, "::");
        ps_strbuf msg = {0};
        check_message(x, &msg);
        gh_escape(out, msg.buf, false);
        ps_sb_free(&msg);
        ps_sb_putc(out, '\n');
    }
    ps_repo_paths_free(paths);
}

static void markdown_format(const ps_check *c, ps_strbuf *out)
{
    char v[FIGURE_CHARS], lim[FIGURE_CHARS];
    ps_sb_printf(out, "## padscan check: %s\n\n%zu checks, %zu failed.\n\n",
                 c->failures ? "memory-waste budget exceeded" : "within budget", c->n, c->failures);
    if (!c->failures)
        return;
    ps_sb_puts(out, "| binary | type | rule | value | limit | fix |\n"
                    "| --- | --- | --- | ---: | ---: | --- |\n");
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        if (!x->failed || x->grandfathered)
            continue;
        size_t from = out->len;
        ps_sb_printf(out, "| `%s` | `%s` | %s | %s | %s | %s |", x->binary ? x->binary : "fleet",
                     x->s ? x->s->name : "fleet", x->rule, figure(v, x->value), figure(lim, x->limit),
                     x->fix ? x->fix : "");
        ps_sb_escape_from(out, from); /* a binary's path never splits the row */
        ps_sb_putc(out, '\n');
    }
}

/* The Markdown report, then each failing record's suggested changes
 * (once per record, however many rules it fails). */
void check_markdown_fixes(const ps_check *c, const ps_check_fixes *f, ps_strbuf *out)
{
    markdown_format(c, out);
    const void **done = ps_xmalloc((c->n + 1) * sizeof(void *));
    size_t ndone = 0;
    for (size_t i = 0; i < c->n; i++) {
        const ps_check_result *x = &c->results[i];
        for (size_t k = 0; x->failed && x->s && x->binary && k < f->n; k++) {
            const ps_patch_note *n = strcmp(f->binaries[k], x->binary) ? NULL
                                     : ps_patch_note_of(f->patches[k], x->s->name, x->s->decl_line);
            size_t j = 0;
            while (n && j < ndone && done[j] != n)
                j++;
            if (!n || j < ndone)
                continue;
            if (!ndone)
                ps_patch_suggestions_heading(out);
            done[ndone++] = n;
            ps_patch_suggestions(f->patches[k], n, out);
        }
    }
    free(done);
}

ps_check_fix_writer ps_check_format_fixes(const char *name)
{
    return !strcmp(name, "sarif") ? check_sarif_fixes
           : !strcmp(name, "markdown") ? check_markdown_fixes : NULL;
}

/* The one list of check's formats: --format accepts exactly these names. */
static const struct { const char *name; ps_check_writer fn; } formats[] = {
    {"text", text_format}, {"json", json_format}, {"sarif", check_sarif},
    {"junit", junit_format}, {"github", github_format}, {"markdown", markdown_format},
    {"codequality", check_codequality},
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

ps_check_writer ps_check_format(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcmp(name, formats[i].name))
            return formats[i].fn;
    return NULL;
}

const char *const *ps_check_format_names(void)
{
    static const char *names[NFORMATS + 1];
    for (size_t i = 0; i < NFORMATS; i++)
        names[i] = formats[i].name;
    return names;
}

void ps_baseline_json(const ps_snapshot *const *snaps, size_t n, ps_strbuf *out)
{
    cJSON *root = json_document("baseline", n ? snaps[0]->cacheline : 0);
    cJSON *list = cJSON_AddArrayToObject(root, "structs");
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < snaps[k]->n; i++) {
            const ps_snap_struct *s = &snaps[k]->structs[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", s->name);
            cJSON_AddStringToObject(o, "lang", s->lang);
            cJSON_AddStringToObject(o, "class", ps_class_name(s->cls));
            cJSON_AddNumberToObject(o, "size", (double)s->size);
            cJSON_AddNumberToObject(o, "waste", (double)s->waste);
            cJSON_AddNumberToObject(o, "waste_percent", s->waste_percent);
            cJSON_AddNumberToObject(o, "optimal_size", (double)s->optimal_size);
            cJSON_AddNumberToObject(o, "cachelines", s->cachelines);
            cJSON_AddNumberToObject(o, "pointer_bytes", (double)s->ptr_bytes);
            cJSON_AddNumberToObject(o, "shared_sync_lines", s->shared_sync_lines);
            cJSON_AddItemToArray(list, o);
        }
    json_finish(root, out);
}
