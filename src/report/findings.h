/*
 * Private to report: what the CI formats of check and diff share — a
 * finding's message, its path as CI systems want it (relative to the
 * repository's top), and a fingerprint that stays the same across
 * builds so code scanning and merge-request widgets track one finding
 * instead of re-opening it whenever a line moves.
 */
#ifndef PADSCAN_REPORT_FINDINGS_H
#define PADSCAN_REPORT_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "padscan/report.h"

/* "name: rule is V, the budget allows L; fix: ..." */
void check_message(const ps_check_result *x, ps_strbuf *out);

/* Where a finding is, as the repository names it (ps_repo_paths, the one
 * rule of docs/ci.md "Paths"): the record's declaration, else the binary
 * (a path relative to the current folder); NULL when neither is known.
 * *repo: the root it is relative to, or NULL.  Strings live in c, the
 * writer's context (one per document). */
const char *finding_path(const ps_snap_struct *s, const char *binary, ps_repo_paths *c,
                         const char **repo);

/* GitHub workflow command properties "file=PATH,line=N," of s's
 * declaration (nothing when it has none). */
void gh_location(ps_strbuf *out, const ps_snap_struct *s, ps_repo_paths *c);

/* 16 hex digits over (kind, type, member): never a line number or a path,
 * so a finding keeps its fingerprint when its declaration moves. */
#define PS_FINGERPRINT_LEN 17
uint64_t finding_fingerprint(const char *kind, const char *type, const char *member,
                             char out[PS_FINGERPRINT_LEN]);

/* "added", "size", "member_moved", ... (diff.c) */
const char *diff_kind_name(ps_change_kind k);

/* The SARIF writer of check (sarif.c); with fixes from source patches. */
void check_sarif(const ps_check *c, ps_strbuf *out);
void check_sarif_fixes(const ps_check *c, const ps_check_fixes *f, ps_strbuf *out);
/* check's Markdown with suggested changes (check.c) */
void check_markdown_fixes(const ps_check *c, const ps_check_fixes *f, ps_strbuf *out);

/* GitLab Code Quality writers (codequality.c). */
void check_codequality(const ps_check *c, ps_strbuf *out);
void diff_codequality(const ps_diff *d, const ps_snapshot *before, const ps_snapshot *after,
                      ps_strbuf *out);

#endif
