/*
 * Go build constraints, as far as they tell which of two definitions of a
 * type the binary was built from (stats_linux.go and stats_other.go with
 * `//go:build !linux`): the file name's _GOOS/_GOARCH suffixes and the
 * `//go:build` line, evaluated for the binary's target (ELF: linux, the
 * ELF machine's GOARCH, cgo when the binary uses it, go1.N up to its Go).
 * A tag padscan cannot know (a custom -tags) is unknown, and so is a
 * file that depends on one: only a file known to be left out is dropped.
 */
#include <string.h>

#include "go_source.h"

static const char *const goos[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
    "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos", NULL};
static const char *const goarch[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
    "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
    "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm", NULL};

static bool listed(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && !strncmp(*list, s, n))
            return true;
    return false;
}

static const char *arch_of(const ps_binary *b)
{
    switch (b->arch) {
    case PS_ARCH_X86_64: return "amd64";
    case PS_ARCH_I386: return "386";
    case PS_ARCH_AARCH64: return "arm64";
    case PS_ARCH_ARM: return "arm";
    case PS_ARCH_RISCV64: return "riscv64";
    case PS_ARCH_PPC64: return b->big_endian ? "ppc64" : "ppc64le";
    case PS_ARCH_S390X: return "s390x";
    default: return NULL;
    }
}

static bool is(const char *s, size_t n, const char *want)
{
    return want && strlen(want) == n && !strncmp(s, want, n);
}

/* 1 true, 0 false, -1 unknown: one tag. */
static int tag(const ps_binary *b, const char *s, size_t n)
{
    if (listed(goos, s, n))
        return is(s, n, "linux");
    if (is(s, n, "unix"))
        return 1;
    if (listed(goarch, s, n))
        return arch_of(b) ? is(s, n, arch_of(b)) : -1;
    if (is(s, n, "cgo"))
        return b->uses_cgo;
    if (is(s, n, "gc"))
        return 1;
    if (is(s, n, "gccgo") || is(s, n, "ignore"))
        return 0;
    int minor = ps_go_version_minor(b->go_version);
    if (n > 4 && !strncmp(s, "go1.", 4) && minor) {
        int v = 0;
        for (size_t i = 4; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v <= minor;
    }
    return -1;
}

typedef struct parser {
    const char *p;
    const ps_binary *b;
    bool bad;
    unsigned depth; /* of '!' and '(': bounded, a hostile line cannot exhaust the stack */
} parser;

static void space(parser *x)
{
    while (*x->p == ' ' || *x->p == '\t')
        x->p++;
}

static int or_expr(parser *x);

static int unary(parser *x)
{
    space(x);
    if (++x->depth > 64) {
        x->bad = true;
        return -1;
    }
    if (*x->p == '!') {
        x->p++;
        int v = unary(x);
        x->depth--;
        return v < 0 ? v : !v;
    }
    if (*x->p == '(') {
        x->p++;
        int v = or_expr(x);
        space(x);
        if (*x->p != ')')
            x->bad = true;
        else
            x->p++;
        x->depth--;
        return v;
    }
    x->depth--;
    const char *s = x->p;
    while ((*x->p >= 'a' && *x->p <= 'z') || (*x->p >= 'A' && *x->p <= 'Z') ||
           (*x->p >= '0' && *x->p <= '9') || *x->p == '_' || *x->p == '.')
        x->p++;
    if (x->p == s)
        x->bad = true;
    return tag(x->b, s, (size_t)(x->p - s));
}

static int and_expr(parser *x)
{
    int v = unary(x);
    for (space(x); !x->bad && x->p[0] == '&' && x->p[1] == '&'; space(x)) {
        x->p += 2;
        int w = unary(x);
        v = v == 0 || w == 0 ? 0 : v == 1 && w == 1 ? 1 : -1;
    }
    return v;
}

static int or_expr(parser *x)
{
    int v = and_expr(x);
    for (space(x); !x->bad && x->p[0] == '|' && x->p[1] == '|'; space(x)) {
        x->p += 2;
        int w = and_expr(x);
        v = v == 1 || w == 1 ? 1 : v == 0 && w == 0 ? 0 : -1;
    }
    return v;
}

/* The name's _GOOS, _GOARCH, _GOOS_GOARCH suffix (go/build's rule). */
static int name_rule(const ps_binary *b, const char *base)
{
    size_t n = strlen(base) - 3; /* ".go" */
    if (n > 5 && !strncmp(base + n - 5, "_test", 5))
        n -= 5;
    const char *first = memchr(base, '_', n);
    if (!first)
        return 1;
    const char *last = base + n, *cut = last;
    while (cut > first && cut[-1] != '_')
        cut--;
    size_t ln = (size_t)(last - cut);
    const char *prev = cut - 1, *pcut = prev;
    while (pcut > first && pcut[-1] != '_')
        pcut--;
    size_t pn = (size_t)(prev - pcut);
    if (prev > first && listed(goos, pcut, pn) && listed(goarch, cut, ln)) {
        int os = tag(b, pcut, pn), arch = tag(b, cut, ln);
        return os == 0 || arch == 0 ? 0 : os == 1 && arch == 1 ? 1 : -1;
    }
    if (listed(goos, cut, ln) || listed(goarch, cut, ln))
        return tag(b, cut, ln);
    return 1;
}

bool gs_excluded(const ps_source *f, const ps_binary *b)
{
    const char *base = strrchr(f->rel, '/');
    base = base ? base + 1 : f->rel;
    if (name_rule(b, base) == 0)
        return true;
    for (size_t i = 0; i < f->nlines; i++) {
        const char *t = f->lines[i];
        if (!strncmp(t, "package", 7))
            break;
        if (!strncmp(t, "//go:build ", 11)) {
            parser x = {t + 11, b, false, 0};
            int v = or_expr(&x);
            space(&x);
            return !x.bad && !*x.p && v == 0;
        }
    }
    return false;
}
