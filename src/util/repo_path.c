/*
 * Source paths as the repository names them.  DWARF gives a record's
 * declaring file relative to the binary's source root (or absolute);
 * GitHub annotations, SARIF, GitLab Code Quality, GitHub suggested changes
 * and `git apply` all want the path from the top of the repository.  The
 * rule lives here once, for every report format and for the patch
 * (docs/ci.md, "Paths"):
 *
 *   the repository root is --repo-root DIR when given; else
 *   $GITHUB_WORKSPACE, else $CI_PROJECT_DIR, when set and holding the
 *   file; else the top of the git work tree (a folder with .git, a
 *   folder or a file) holding the source root (without one: holding the
 *   file); else the source root.
 *
 * A file below the chosen root is printed relative to it; any other file
 * keeps its absolute path.  A relative path without a known source root
 * (e.g. -fdebug-prefix-map builds, Go's -trimpath) is printed as recorded.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "padscan/util.h"

static char *opt_root; /* --repo-root, resolved */

bool ps_set_repo_root(const char *dir)
{
    struct stat st;
    char *real = dir && *dir ? realpath(dir, NULL) : NULL;
    if (!real || stat(real, &st) || !S_ISDIR(st.st_mode)) {
        free(real);
        return false;
    }
    free(opt_root);
    opt_root = real;
    return true;
}

/* The folder resolved through symbolic links when it exists, else as is. */
static char *resolved(const char *dir, ps_arena *a)
{
    char *real = realpath(dir, NULL);
    char *out = ps_arena_strdup(a, real ? real : dir);
    free(real);
    return out;
}

/* path relative to dir when below it, else NULL. */
static const char *below(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 1 && dir[0] == '/')
        return path[0] == '/' && path[1] ? path + 1 : NULL;
    return !strncmp(path, dir, n) && path[n] == '/' && path[n + 1] ? path + n + 1 : NULL;
}

/* The top of the git work tree holding dir, or NULL. */
static const char *git_top(const char *dir, ps_arena *a)
{
    char *d = ps_arena_strdup(a, dir);
    for (size_t n = strlen(d); n > 1;) {
        struct stat st;
        if (!lstat(ps_arena_printf(a, "%.*s/.git", (int)n, d), &st))
            return ps_arena_strndup(a, d, n);
        while (n > 1 && d[n - 1] != '/')
            n--;
        n -= n > 1; /* the slash */
    }
    return NULL;
}

const char *ps_repo_path(const char *root, const char *file, ps_arena *a, const char **repo)
{
    const char *got = NULL, *rel = NULL;
    if (repo)
        *repo = NULL;
    if (!file || (file[0] != '/' && !root))
        return file;
    const char *base = root ? resolved(root, a) : NULL;
    const char *abs = ps_arena_printf(a, "%s/%s", base, file);
    if (file[0] == '/') { /* its folder resolved, as the roots it is compared with are */
        const char *slash = strrchr(file, '/');
        const char *dir = ps_arena_strndup(a, file, (size_t)(slash - file));
        abs = slash == file ? file : ps_arena_printf(a, "%s%s", resolved(dir, a), slash);
    }
    if (opt_root) {
        got = opt_root;
        rel = below(got, abs);
    } else {
        static const char *const vars[] = {"GITHUB_WORKSPACE", "CI_PROJECT_DIR"};
        for (size_t i = 0; i < PS_ARRAY_LEN(vars) && !rel; i++) {
            const char *v = getenv(vars[i]);
            if (v && v[0] == '/')
                rel = below(got = resolved(v, a), abs);
        }
        /* without a source root, the work tree holding the file itself */
        const char *from = base ? base : ps_arena_strndup(a, abs, (size_t)(strrchr(abs, '/') - abs));
        if (!rel && (got = git_top(from, a)) != NULL)
            rel = below(got, abs);
        if (!rel && base)
            rel = below(got = base, abs);
    }
    if (!rel)
        return abs;
    if (repo)
        *repo = ps_arena_strdup(a, got);
    return ps_arena_strdup(a, rel);
}
