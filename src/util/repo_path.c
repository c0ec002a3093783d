/*
 * Source paths as the repository names them.  DWARF gives a record's
 * declaring file relative to the binary's source root (or absolute);
 * GitHub annotations, SARIF, GitLab Code Quality, GitHub suggested changes,
 * `git apply` and analyze's and suggest's own output all want the path
 * from the top of the repository.  The rule lives here once, for every
 * report format and for the patch (docs/ci.md, "Paths"):
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
 *
 * The rule asks the file system (realpath, a walk up to .git), and analyze
 * prints a hundred thousand records of a kernel: a ps_repo_paths context
 * remembers every folder it resolved, every work tree it found and every
 * answer it gave, for as long as one report is written.  No global cache:
 * each writer owns its context.
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

/* What the context remembers: a path and the root it is relative to. */
typedef struct answer {
    const char *path, *repo;
} answer;

struct ps_repo_paths {
    ps_arena a;       /* keys and answers */
    ps_strindex memo; /* key -> index in answers */
    ps_vec answers;   /* of answer */
    ps_strbuf key;
};

ps_repo_paths *ps_repo_paths_new(void)
{
    ps_repo_paths *c = ps_xcalloc(1, sizeof(*c));
    ps_vec_init(&c->answers, sizeof(answer));
    return c;
}

void ps_repo_paths_free(ps_repo_paths *c)
{
    if (!c)
        return;
    ps_strindex_free(&c->memo);
    ps_vec_free(&c->answers);
    ps_sb_free(&c->key);
    ps_arena_free(&c->a);
    free(c);
}

/* The memo's key: the kind of question, the root's length and the root
 * (so no two (root, s) pairs share a key), then s. */
static const char *key_of(ps_repo_paths *c, char kind, const char *root, const char *s)
{
    c->key.len = 0;
    if (root)
        ps_sb_printf(&c->key, "%c%zu:%s%s", kind, strlen(root), root, s);
    else
        ps_sb_printf(&c->key, "%c-:%s", kind, s);
    return c->key.buf;
}

static const answer *recall(ps_repo_paths *c, char kind, const char *root, const char *s)
{
    uint32_t i = ps_strindex_get(&c->memo, key_of(c, kind, root, s));
    return i == PS_STRINDEX_NONE ? NULL : &PS_VEC_AT(&c->answers, answer, i);
}

static answer remember(ps_repo_paths *c, char kind, const char *root, const char *s, answer v)
{
    *(answer *)ps_vec_push(&c->answers) = v;
    const char *key = ps_arena_strdup(&c->a, key_of(c, kind, root, s));
    ps_strindex_add(&c->memo, key, (uint32_t)(c->answers.len - 1));
    return v;
}

/* The folder resolved through symbolic links when it exists, else as is. */
static const char *resolved(ps_repo_paths *c, const char *dir)
{
    const answer *got = recall(c, 'R', NULL, dir);
    if (got)
        return got->path;
    char *real = realpath(dir, NULL);
    answer v = {ps_arena_strdup(&c->a, real ? real : dir), NULL};
    free(real);
    return remember(c, 'R', NULL, dir, v).path;
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
static const char *git_top(ps_repo_paths *c, const char *dir)
{
    const answer *got = recall(c, 'G', NULL, dir);
    if (got)
        return got->path;
    answer v = {NULL, NULL};
    ps_strbuf probe = {0};
    for (size_t n = strlen(dir); n > 1 && !v.path;) {
        struct stat st;
        probe.len = 0;
        ps_sb_printf(&probe, "%.*s/.git", (int)n, dir);
        if (!lstat(probe.buf, &st))
            v.path = ps_arena_strndup(&c->a, dir, n);
        while (n > 1 && dir[n - 1] != '/')
            n--;
        n -= n > 1; /* the slash */
    }
    ps_sb_free(&probe);
    return remember(c, 'G', NULL, dir, v).path;
}

/* file as an absolute path, its folder resolved as the roots it is
 * compared with are. */
static const char *absolute(ps_repo_paths *c, const char *base, const char *file)
{
    if (file[0] != '/')
        return ps_arena_printf(&c->a, "%s/%s", base, file);
    const char *slash = strrchr(file, '/');
    if (slash == file)
        return ps_arena_strdup(&c->a, file);
    const char *dir = ps_arena_strndup(&c->a, file, (size_t)(slash - file));
    return ps_arena_printf(&c->a, "%s%s", resolved(c, dir), slash);
}

/* The rule of the file's header, for an absolute abs. */
static answer choose(ps_repo_paths *c, const char *base, const char *abs)
{
    const char *got = NULL, *rel = NULL;
    if (opt_root) {
        got = opt_root;
        rel = below(got, abs);
    } else {
        static const char *const vars[] = {"GITHUB_WORKSPACE", "CI_PROJECT_DIR"};
        for (size_t i = 0; i < PS_ARRAY_LEN(vars) && !rel; i++) {
            const char *v = getenv(vars[i]);
            if (v && v[0] == '/')
                rel = below(got = resolved(c, v), abs);
        }
        /* without a source root, the work tree holding the file itself */
        const char *from = base ? base : ps_arena_strndup(&c->a, abs, (size_t)(strrchr(abs, '/') - abs));
        if (!rel && (got = git_top(c, from)) != NULL)
            rel = below(got, abs);
        if (!rel && base)
            rel = below(got = base, abs);
    }
    if (!rel)
        return (answer){abs, NULL};
    return (answer){ps_arena_strdup(&c->a, rel), ps_arena_strdup(&c->a, got)};
}

const char *ps_repo_paths_get(ps_repo_paths *c, const char *root, const char *file,
                              const char **repo)
{
    if (repo)
        *repo = NULL;
    if (!file || (file[0] != '/' && !root))
        return file;
    const answer *got = recall(c, 'P', root, file);
    answer v;
    if (got)
        v = *got;
    else {
        const char *base = root ? resolved(c, root) : NULL;
        v = remember(c, 'P', root, file, choose(c, base, absolute(c, base, file)));
    }
    if (repo)
        *repo = v.repo;
    return v.path;
}

const char *ps_repo_paths_root(ps_repo_paths *c, const char *root)
{
    const char *repo = NULL;
    if (root)
        ps_repo_paths_get(c, root, ".", &repo);
    return repo;
}

const char *ps_repo_path(const char *root, const char *file, ps_arena *a, const char **repo)
{
    ps_repo_paths *c = ps_repo_paths_new();
    const char *path = ps_repo_paths_get(c, root, file, repo);
    if (path && path != file)
        path = ps_arena_strdup(a, path); /* the context's strings go with it */
    if (repo && *repo)
        *repo = ps_arena_strdup(a, *repo);
    ps_repo_paths_free(c);
    return path;
}
