#!/usr/bin/env python3
"""One record per type (issue 11): the same C type is one record however its
header path is spelled, every consumer sees that one record, and anonymous
records keep their names when lines move.

Parts (each builds its own fixtures at test time; nothing is typed by hand):

  makefile  a Makefile project that compiles in its subdirectories (net/,
            core/, lib/ each include ../include/conn.h) with --compiler:
            analyze lists each header type once, at the normalized path
            "include/conn.h" relative to the reported source_root (sizes
            from the compiler's sizeof); suggest lists it once, its summary
            counts it once, `suggest --format c` compiles; check prints one
            FAIL line per type; text, JSON, SARIF, GitHub and Markdown
            outputs carry "include/conn.h" and no "../"; a fleet service
            listing the executable and its shared library counts a hot
            type once (the same total as the executable alone, equal to
            the compiler's sizeof minus the optimum times instances).
  anon      anonymous records are named by their place in the enclosing
            type ("request.u", "request.u.small",
            "request.(anonymous union 1)") with the compiler's sizes.
  comments  the project built twice, the second time with comment lines
            added above every type: decl_line moves (checked), yet
            `padscan diff` reports no change and `check --baseline` with
            the first build's baseline passes.
  repo      the project inside a git repository, in a subfolder, compiled
            in src/net, src/game and src/lib with its header in include/:
            the guessed source_root holds include/ too; run from outside
            the repository, every path of check's text, GitHub, Code
            Quality, SARIF (results and fixes, through uriBaseId) and
            Markdown suggestions, of suggest --format patch and of diff
            --format github names an existing file relative to the
            repository's top ("sub/proj/include/conn.h"); git apply at the
            top applies the patch and changes the header; --repo-root,
            $GITHUB_WORKSPACE and $CI_PROJECT_DIR choose the top (one not
            holding the file is passed over); a saved report and -j 3 give
            the same paths; padscan's weapons sample built in samples/c
            gives file=samples/c/weapons/weapons.h (in a git checkout);
            outside any repository paths are relative to the source root.
  repofile  analyze's and suggest's own output in that repository: their
            text names each record's file as check does
            ("sub/proj/src/x.h:LINE", the line from the header itself);
            their JSON keeps decl_file relative to source_root and adds
            repo_file and repo_root; --repo-root, $GITHUB_WORKSPACE and
            $CI_PROJECT_DIR move it, --source-root does not; a system
            header (--all-types) stays absolute; a saved report still
            feeds check (a baseline written from it passes on the binary),
            diff (no change against the binary) and fleet.
  goplace   a Go record padscan cannot place (no methods, sources removed
            after the build): suggest --format patch's note for it names no
            place, never "(?:0)".
  glibc     glibc's own debug file (libc6-dbg): _IO_FILE once (size from
            the compiler's sizeof(FILE)), no two records with the same
            name, normalized file, line and size, and suggest's summary
            counts each shrinkable record once.

Exit 0 pass, 1 fail, 77 skip (a compiler or libc6-dbg missing).
"""

import argparse
import collections
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

CONN_H = """\
#ifndef CONN_H
#define CONN_H
{c1}struct conn {{
    char flag;
    long id;
    char state;
    int fd;
    short port;
    void *peer;
}};
{c2}struct request {{
    int kind;
{c3}    union {{
        struct {{
            char a;
            long b;
            char c;
        }} small;
        long big;
    }} u;
    union {{
        char tag;
        double weight;
    }};
    struct {{
        char x;
        int y;
    }};
    char tail;
}};
{c4}typedef struct {{
    char on;
    long long when;
    char off;
}} timer_t_;
#endif
"""

NET_C = """\
{pad}#include "../include/conn.h"
struct ctx {{ char a; long b; char c; }};
struct ctx net_ctx;
struct {{ char k; long v; }} net_table[2];
struct {{ char k; long v; }} net_other;
struct conn net_conns[4];
struct request net_req;
timer_t_ net_timer;
int net_count(void) {{ return (int)sizeof(net_conns) + (int)sizeof(net_req); }}
"""

CORE_C = """\
{pad}#include "../include/conn.h"
struct ctx {{ char x; double y[5]; char z; int w; }};
struct ctx core_ctx;
struct {{ char k; int v; char w; }} core_table[2];
struct conn core_conn;
struct request core_req;
timer_t_ core_timer;
int net_count(void);
int lib_count(void);
int main(void) {{ return net_count() + lib_count() + (int)sizeof(core_conn) > 0 ? 0 : 1; }}
"""

LIB_C = """\
#include "../include/conn.h"
struct conn lib_conn;
struct request lib_req;
int lib_count(void) { return (int)sizeof(lib_conn) + (int)sizeof(lib_req); }
"""

MAKEFILE = """\
CC ?= cc
CFLAGS = -g -O0
all: app lib/libconn.so
net/net.o: net/net.c include/conn.h
\tcd net && $(CC) $(CFLAGS) -c net.c -o net.o
core/core.o: core/core.c include/conn.h
\tcd core && $(CC) $(CFLAGS) -c core.c -o core.o
lib/libconn.so: lib/lib.c include/conn.h
\tcd lib && $(CC) $(CFLAGS) -fPIC -shared lib.c -o libconn.so
app: net/net.o core/core.o lib/libconn.so
\t$(CC) -o app net/net.o core/core.o -Llib -lconn -Wl,-rpath,'$$ORIGIN/lib'
"""

PROBE_C = """\
#include <stddef.h>
#include <stdio.h>
#include "include/conn.h"
int main(void) {
    struct request r;
    printf("conn %zu\\n", sizeof(struct conn));
    printf("request %zu\\n", sizeof(struct request));
    printf("request.u %zu\\n", sizeof(r.u));
    printf("request.u.small %zu\\n", sizeof(r.u.small));
    printf("timer_t_ %zu\\n", sizeof(timer_t_));
    return 0;
}
"""

BAD_PATH = re.compile(r"(^|/)\.\.?(/|$)|//")


class Ctx:
    def __init__(self, args):
        self.args = args
        self.padscan = args.padscan
        self.wd = args.workdir
        self.failures = 0
        self.checks = 0

    def true(self, ok, msg):
        self.checks += 1
        if not ok:
            self.failures += 1
            C.log("FAIL: " + msg)
        return ok

    def eq(self, got, want, msg):
        return self.true(got == want, "%s: got %r, expected %r" % (msg, got, want))

    def ps(self, argv, cwd=None, expect=(0,), env=None):
        p = C.run([self.padscan] + argv, cwd=cwd, env=env)
        self.true(p.returncode in expect, "padscan %s: exit %d (expected %s): %s"
                  % (" ".join(argv), p.returncode, expect, p.stderr.strip()[:800]))
        return p

    def json(self, argv, cwd=None, expect=(0,), env=None):
        p = self.ps(argv, cwd=cwd, expect=expect, env=env)
        try:
            return json.loads(p.stdout)
        except ValueError:
            self.true(False, "padscan %s: output is not JSON" % " ".join(argv))
            return None


def need(prog):
    if not shutil.which(prog):
        C.log("SKIP: %s not installed" % prog)
        sys.exit(C.SKIP_RC)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_project(root, cc, comments=False):
    """The Makefile project; comments=True adds comment lines above every
    type (and above the union member) and nothing else."""
    if os.path.exists(root):
        shutil.rmtree(root)
    pad = "/* a comment line\n   moves every line below */\n" if comments else ""
    write(os.path.join(root, "include/conn.h"),
          CONN_H.format(c1=pad, c2=pad + pad, c3=("    /* inner */\n" if comments else ""), c4=pad))
    write(os.path.join(root, "net/net.c"), NET_C.format(pad=pad))
    write(os.path.join(root, "core/core.c"), CORE_C.format(pad=pad))
    write(os.path.join(root, "lib/lib.c"), LIB_C)
    write(os.path.join(root, "Makefile"), MAKEFILE)
    C.run(["make", "-s", "CC=" + cc], cwd=root, check=True)
    return root


def compiler_sizes(root, cc):
    """sizeof of the fixture's types, from the compiler."""
    write(os.path.join(root, "probe.c"), PROBE_C)
    exe = os.path.join(root, "probe")
    C.run([cc, "-o", exe, "probe.c"], cwd=root, check=True)
    out = C.run([exe], check=True).stdout
    return {k: int(v) for k, v in (ln.split() for ln in out.splitlines())}


def structs_of(doc):
    return [s for b in doc["binaries"] for s in b["structs"]]


def check_paths(ctx, label, structs):
    for s in structs:
        f = s.get("decl_file")
        if f:
            ctx.true(not BAD_PATH.search(f), "%s: %s: decl_file %r is not normalized"
                     % (label, s["name"], f))


def part_makefile(ctx, cc):
    root = make_project(os.path.join(ctx.wd, "proj"), cc)
    app, lib = os.path.join(root, "app"), os.path.join(root, "lib/libconn.so")
    sizes = compiler_sizes(root, cc)
    doc = ctx.json(["analyze", "--format", "json", app])
    if not doc:
        return
    b = doc["binaries"][0]
    ctx.eq(b.get("source_root"), os.path.realpath(root), "analyze: source_root")
    structs = b["structs"]
    check_paths(ctx, "analyze", structs)
    names = collections.Counter(s["name"] for s in structs)
    for t in ("conn", "request", "timer_t_"):
        ctx.eq(names[t], 1, "analyze: records named %s (net/ and core/ include the same header)" % t)
    by = {s["name"]: s for s in structs}
    for t in ("conn", "request", "timer_t_"):
        if t in by:
            ctx.eq(by[t].get("decl_file"), "include/conn.h", "analyze: %s decl_file" % t)
            ctx.eq(by[t]["size"], sizes[t], "analyze: %s size vs the compiler's sizeof" % t)
    keys = collections.Counter((s["name"], s.get("decl_file"), s.get("decl_line")) for s in structs)
    ctx.eq([k for k, n in keys.items() if n > 1], [], "analyze: name+file+line listed twice")

    # suggest: the list, its summary, and compilable C
    sj = ctx.json(["suggest", "--format", "json", app])
    if sj:
        sugg = [g for bb in sj["binaries"] for g in bb["suggestions"]]
        cnt = collections.Counter(g["name"] for g in sugg)
        ctx.eq(cnt["conn"], 1, "suggest --format json: suggestions for conn")
        ctx.eq([n for n, k in cnt.items() if k > 1], [], "suggest: types suggested twice")
        shrink = sum(1 for g in sugg if g.get("optimal_size", g.get("size")) < g.get("size"))
        text = ctx.ps(["suggest", app]).stdout
        m = re.search(r"(\d+) records? can shrink", text)
        if ctx.true(m is not None, "suggest: no summary line in %r" % text[-300:]):
            ctx.eq(int(m.group(1)), shrink, "suggest summary: records that can shrink")
        ctx.true("include/conn.h" in text and "../" not in text,
                 "suggest text: paths not normalized/relative")
    cfile = os.path.join(ctx.wd, "suggested.c")
    ctx.ps(["suggest", "--format", "c", "-o", cfile, app])
    if os.path.exists(cfile):
        p = C.run([cc, "-fsyntax-only", "-Wall", "-Werror", "-x", "c", cfile])
        ctx.true(p.returncode == 0, "suggest --format c does not compile with %s: %s"
                 % (cc, p.stderr.strip()[:1200]))
        src = open(cfile).read()
        ctx.true(len(re.findall(r"^struct conn\b", src, re.M)) <= 1 and
                 len(re.findall(r"\bstruct [A-Za-z_]*conn \{", src)) == 1,
                 "suggest --format c: struct conn defined %d times"
                 % len(re.findall(r"\bstruct [A-Za-z_]*conn \{", src)))

    # one translation unit: a type of two binaries is defined once; two
    # types with one tag (struct ctx of net.c and of core.c) both, apart
    for n, (argv, what) in enumerate(((["--format", "c", app, lib], "app and libconn.so"),
                                      (["--all", "--format", "c", app], "--all, two struct ctx"))):
        out = os.path.join(ctx.wd, "suggested_%d.c" % n)
        ctx.ps(["suggest", "-o", out] + argv)
        if not os.path.exists(out):
            continue
        p = C.run([cc, "-fsyntax-only", "-Wall", "-Werror", "-x", "c", out])
        ctx.true(p.returncode == 0, "suggest --format c (%s) does not compile with %s: %s"
                 % (what, cc, p.stderr.strip()[:1200]))
        src = open(out).read()
        ctx.eq(len(re.findall(r"^struct conn \{", src, re.M)), 1,
               "suggest --format c (%s): definitions of struct conn" % what)
        if "--all" in argv:
            ctx.eq(sorted(re.findall(r"^struct (ctx\w*) \{", src, re.M)), ["ctx", "ctx_2"],
                   "suggest --all --format c: the two struct ctx, the second renamed")

    # check: one FAIL line per type, paths in every format
    budget = os.path.join(ctx.wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": ["conn", "request", "timer_t_"], "max_waste": 0}]}))
    p = ctx.ps(["check", "--budget", budget, app], expect=(1,))
    fails = collections.Counter(ln.split(":")[1].strip() for ln in p.stdout.splitlines()
                                if ln.startswith("FAIL"))
    for t in ("conn", "request", "timer_t_"):
        ctx.eq(fails[t], 1, "check: FAIL lines for %s" % t)
    for fmt in ("text", "json", "sarif", "github", "markdown"):
        p = ctx.ps(["check", "--budget", budget, "--format", fmt, app], cwd=root, expect=(1,))
        if fmt != "markdown":  # the Markdown table has no location column
            ctx.true("include/conn.h" in p.stdout, "check --format %s: no include/conn.h" % fmt)
        ctx.true("../" not in p.stdout and "/./" not in p.stdout,
                 "check --format %s: a path with ../ or /./" % fmt)
    p = ctx.ps(["analyze", app])
    ctx.true("include/conn.h:" in p.stdout and "../" not in p.stdout,
             "analyze text: paths not normalized/relative")

    # fleet: the executable and its shared library are one service
    def fleet(binaries):
        man = os.path.join(root, "fleet.json")
        write(man, json.dumps({"services": [{
            "name": "svc", "binaries": binaries, "replicas": 3, "allocator": "exact",
            "hot_types": [{"type": "conn", "instances": 1000}]}]}))
        return ctx.json(["fleet", "--format", "json", man])
    one, both = fleet(["app"]), fleet(["app", "lib/libconn.so"])
    if one and both and sj:
        opt = [g for g in sugg if g["name"] == "conn"]
        want = (sizes["conn"] - opt[0]["optimal_size"]) * 1000 * 3 if opt else None
        ctx.true(want and want > 0, "fixture: conn must be shrinkable")
        ctx.eq(one["total"]["saved_paper"], want, "fleet [app]: total vs (sizeof - optimal) x n")
        ctx.eq(both["total"]["saved_paper"], want,
               "fleet [app, libconn.so]: total (a type counts once per service)")
        ctx.eq(len(both["services"][0]["hot_types"]), 1, "fleet [app, libconn.so]: hot type rows")
    ldoc = ctx.json(["analyze", "--format", "json", lib])
    if ldoc:
        ls = {s["name"]: s for s in structs_of(ldoc)}
        ctx.eq(ls.get("conn", {}).get("decl_file"), "include/conn.h",
               "analyze libconn.so (all its units compile in lib/): the source root also "
               "holds the user's own header")
        ctx.eq(ldoc["binaries"][0].get("source_root"), os.path.realpath(root),
               "analyze libconn.so: source_root (lib/ and include/)")
        p = ctx.ps(["analyze", "--format", "json", "--source-root", root, lib])
        try:
            ls = {s["name"]: s for s in structs_of(json.loads(p.stdout))}
        except ValueError:
            ls = {}
        ctx.eq(ls.get("conn", {}).get("decl_file"), "include/conn.h",
               "analyze --source-root PROJECT libconn.so: conn decl_file")


def part_anon(ctx, cc):
    root = make_project(os.path.join(ctx.wd, "proj"), cc)
    sizes = compiler_sizes(root, cc)
    doc = ctx.json(["analyze", "--format", "json", os.path.join(root, "app")])
    if not doc:
        return
    by = collections.defaultdict(list)
    for s in structs_of(doc):
        by[s["name"]].append(s)
    for name in ("request.u", "request.u.small"):
        got = by.get(name, [])
        if ctx.eq(len(got), 1, "anonymous record named %s" % name):
            ctx.eq(got[0]["size"], sizes[name], "%s: size vs the compiler's sizeof" % name)
    # the C11 anonymous members: by kind and ordinal among unnamed members
    for name in ("request.(anonymous union 1)", "request.(anonymous struct 1)"):
        ctx.eq(len(by.get(name, [])), 1, "anonymous member record named %s" % name)
    for n in by:
        ctx.true(not re.search(r":\d+", n), "a record name carries a line number: %r" % n)
    # top-level anonymous records: by their variable, else by their members
    for name in ("(anonymous struct of net_table in net.c)", "(anonymous struct of core_table in core.c)",
                 "(anonymous struct of net_other in net.c)"):
        ctx.eq(len(by.get(name, [])), 1, "top-level anonymous record named %s" % name)
    ctx.eq(sorted(s["decl_file"] for s in by.get("ctx", [])), ["core/core.c", "net/net.c"],
           "two different struct ctx, one per file")


def part_comments(ctx, cc):
    builds = []
    for comments in (False, True):
        root = make_project(os.path.join(ctx.wd, "proj"), cc, comments)
        keep = os.path.join(ctx.wd, "app_%s" % ("v2" if comments else "v1"))
        shutil.copy(os.path.join(root, "app"), keep)
        builds.append(keep)
    v1, v2 = builds
    d1 = ctx.json(["analyze", "--format", "json", v1])
    d2 = ctx.json(["analyze", "--format", "json", v2])
    if not d1 or not d2:
        return
    l1 = {s["name"]: s.get("decl_line") for s in structs_of(d1)}
    l2 = {s["name"]: s.get("decl_line") for s in structs_of(d2)}
    ctx.true(l1.get("conn") is not None and l1.get("conn") != l2.get("conn"),
             "fixture: the comment lines must move conn's decl_line (%r vs %r)"
             % (l1.get("conn"), l2.get("conn")))
    ctx.eq(sorted(l1), sorted(l2), "record names of the two builds")
    ctx.eq(sum(1 for s in structs_of(d1) if s["name"] == "ctx"), 2,
           "fixture: two records named ctx (net.c and core.c)")
    dj = ctx.json(["diff", "--format", "json", v1, v2])
    if dj:
        ctx.eq(dj.get("changes"), [], "diff of builds that differ only in line numbers")
    p = ctx.ps(["diff", v1, v2])
    same = ctx.ps(["diff", v1, v1])
    ctx.eq(p.stdout.replace(v2, v1), same.stdout, "diff text: as for identical builds")
    budget = os.path.join(ctx.wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": "*", "max_waste": 0}]}))
    base = os.path.join(ctx.wd, "baseline.json")
    ctx.ps(["check", "--budget", budget, "--write-baseline", base, v1], expect=(0, 1))
    p = ctx.ps(["check", "--budget", budget, "--baseline", base, v2])
    ctx.true(p.returncode == 0, "check --baseline (v1's) on v2: exit %d: %s"
             % (p.returncode, p.stdout[-800:]))
    p = ctx.ps(["check", "--budget", budget, "--baseline", base, v1])
    ctx.true(p.returncode == 0, "check --baseline (v1's) on v1: exit %d" % p.returncode)


REPO_MAKEFILE = """\
CC ?= cc
CFLAGS = -g -O0
all: app
src/net/net.o: src/net/net.c include/conn.h
\tcd src/net && $(CC) $(CFLAGS) -c net.c -o net.o
src/game/game.o: src/game/game.c include/conn.h
\tcd src/game && $(CC) $(CFLAGS) -c game.c -o game.o
src/lib/lib.o: src/lib/lib.c include/conn.h
\tcd src/lib && $(CC) $(CFLAGS) -c lib.c -o lib.o
app: src/net/net.o src/game/game.o src/lib/lib.o
\t$(CC) -o app $^
"""


def make_repo_project(root, cc, grow=False):
    """The project of part_makefile as a user lays it out inside a
    repository: compiled in src/net, src/game and src/lib, its header in
    include/ (reached as ../../include/conn.h).  grow=True adds a member to
    struct conn (a regression for diff)."""
    if os.path.exists(root):
        shutil.rmtree(root)
    conn = CONN_H.format(c1="", c2="", c3="", c4="")
    if grow:
        conn = conn.replace("    void *peer;\n", "    void *peer;\n    long extra;\n", 1)
    up = lambda t: t.replace('"../include/', '"../../include/')
    write(os.path.join(root, "include/conn.h"), conn)
    write(os.path.join(root, "src/net/net.c"), up(NET_C.format(pad="")))
    write(os.path.join(root, "src/game/game.c"), up(CORE_C.format(pad="")))
    write(os.path.join(root, "src/lib/lib.c"), up(LIB_C))
    write(os.path.join(root, "Makefile"), REPO_MAKEFILE)
    C.run(["make", "-s", "CC=" + cc], cwd=root, check=True)
    return root


def ci_paths(ctx, label, out, fmt):
    """Every file name in a CI format's output."""
    if fmt == "github":
        return re.findall(r"^::\w+ file=([^,:]+)", out, re.M)
    if fmt == "codequality":
        return [i["location"]["path"] for i in json.loads(out)]
    if fmt == "markdown":
        return re.findall(r"^\*\*`([^`]+)` lines? ", out, re.M)
    if fmt == "text":
        return re.findall(r" \[([^\]:]+):\d+\]$", out, re.M)
    if fmt == "patch":
        return re.findall(r"^diff --git a/(\S+) b/", out, re.M) + re.findall(r"^padscan: .*? \(([^:)]+)", out, re.M)
    raise ValueError(fmt)


def sarif_paths(ctx, label, doc, repo):
    """Every artifactLocation of a SARIF log, resolved through uriBaseId."""
    from urllib.parse import unquote, urlparse
    run = doc["runs"][0]
    bases = {k: unquote(urlparse(v["uri"]).path) for k, v in run.get("originalUriBaseIds", {}).items()}
    ctx.eq(sorted(bases.values()), [repo + "/"], "%s: originalUriBaseIds (the repository's top)" % label)
    ctx.true(any(k == "fixes" for k, _ in walk(doc)), "%s: no result carries fixes" % label)
    out = []
    for k, v in walk(doc):
        if k == "artifactLocation":
            ctx.true(v.get("uriBaseId") in bases, "%s: artifactLocation %r: uriBaseId not in "
                     "originalUriBaseIds" % (label, v))
            out.append(unquote(v.get("uri", "")))
    return out


def walk(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def part_repo(ctx, cc):
    """Paths in CI formats and patches name files as the repository does."""
    need("git")
    repo = os.path.join(ctx.wd, "repo")
    os.makedirs(repo)
    C.run(["git", "init", "-q"], cwd=repo, check=True)
    proj = make_repo_project(os.path.join(repo, "sub/proj"), cc)
    C.run(["git", "add", "-A"], cwd=repo, check=True)
    app = os.path.join(proj, "app")
    elsewhere = os.path.join(ctx.wd, "elsewhere")
    os.makedirs(elsewhere)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")}
    # the guessed source root holds the user's own header, not only src/
    doc = ctx.json(["analyze", "--format", "json", app], cwd=elsewhere, env=env)
    if doc:
        ctx.eq(doc["binaries"][0].get("source_root"), os.path.realpath(proj),
               "analyze: source_root of a project compiling in src/*/ with include/")
        by = {s["name"]: s for s in structs_of(doc)}
        ctx.eq(by.get("conn", {}).get("decl_file"), "include/conn.h", "analyze: conn decl_file")
    want = "sub/proj/include/conn.h"
    budget = os.path.join(ctx.wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": ["conn", "request", "timer_t_"], "max_waste": 0}]}))
    check = ["check", "--budget", budget]
    for fmt in ("text", "github", "codequality", "sarif", "markdown"):
        extra = ["--suggestions"] if fmt == "markdown" else []
        p = ctx.ps(check + ["--format", fmt] + extra + [app], cwd=elsewhere, expect=(1,), env=env)
        label = "check --format %s (run outside the repository)" % fmt
        try:
            paths = sarif_paths(ctx, label, json.loads(p.stdout), repo) if fmt == "sarif" \
                else ci_paths(ctx, label, p.stdout, fmt)
        except (ValueError, KeyError) as e:
            ctx.true(False, "%s: unreadable output: %s" % (label, e))
            continue
        ctx.true(want in paths, "%s: %s not among its paths %r" % (label, want, paths[:6]))
        for f in paths:
            ctx.true(os.path.isfile(os.path.join(repo, f)), "%s: %r names no file of the "
                     "repository" % (label, f))
    # a saved report (its source_root) and a parallel read give the same paths
    report = os.path.join(ctx.wd, "report.json")
    ctx.ps(["analyze", "--format", "json", "-o", report, app], cwd=elsewhere, env=env)
    want_gh = ctx.ps(check + ["--format", "github", app], cwd=elsewhere, expect=(1,), env=env).stdout
    for argv, what in (([report], "a saved report"), (["-j", "3", app], "-j 3")):
        p = ctx.ps(check + ["--format", "github"] + argv, cwd=elsewhere, expect=(1,), env=env)
        ctx.eq(sorted(ci_paths(ctx, what, p.stdout, "github")),
               sorted(ci_paths(ctx, "binary", want_gh, "github")),
               "check --format github of %s: file= as for the binary" % what)
    # the patch: its file names are the repository's; git apply at the top
    p = ctx.ps(["suggest", "--format", "patch", app], cwd=elsewhere, env=env)
    paths = ci_paths(ctx, "patch", p.stdout, "patch")
    ctx.true(want in paths and "?:0" not in p.stdout, "suggest --format patch: file names %r" % paths)
    for f in paths:
        ctx.true(os.path.isfile(os.path.join(repo, f)), "patch: %r names no file of the repository" % f)
    patch = os.path.join(ctx.wd, "fix.diff")
    write(patch, p.stdout)
    a = C.run(["git", "apply", patch], cwd=repo)
    ctx.eq(a.returncode, 0, "git apply of the patch at the repository's top: %s" % a.stderr.strip()[:300])
    changed = C.run(["git", "diff", "--name-only"], cwd=repo).stdout.split()
    ctx.true(want in changed, "git apply changed %r, not %s" % (changed, want))
    C.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
    # diff --format github names the declaration in NEW
    proj2 = make_repo_project(os.path.join(repo, "sub/proj2"), cc, grow=True)
    p = ctx.ps(["diff", "--format", "github", app, os.path.join(proj2, "app")], cwd=elsewhere, env=env)
    files = re.findall(r"^::error file=([^,:]+),line=\d+,title=padscan diff::.*\bconn\b", p.stdout, re.M)
    ctx.true(files and all(f == "sub/proj2/include/conn.h" for f in files),
             "diff --format github: file= of conn's regressions: %r in %r" % (files, p.stdout[:400]))
    # --repo-root, $GITHUB_WORKSPACE, $CI_PROJECT_DIR choose the top; one
    # that does not hold the file is passed over
    sub = os.path.join(repo, "sub")
    link = os.path.join(ctx.wd, "link")  # the same folders spelled through a symbolic link
    os.symlink(repo, link)
    for argv, e, expect in (
            (["--repo-root", sub], env, "proj/include/conn.h"),
            ([], dict(env, GITHUB_WORKSPACE=os.path.join(link, "sub")), "proj/include/conn.h"),
            (["--source-root", os.path.join(link, "sub/proj")], env, want),
            ([], dict(env, GITHUB_WORKSPACE=sub), "proj/include/conn.h"),
            ([], dict(env, CI_PROJECT_DIR=proj), "include/conn.h"),
            ([], dict(env, GITHUB_WORKSPACE=elsewhere), want)):
        p = ctx.ps(check + ["--format", "github"] + argv + [app], cwd=elsewhere, expect=(1,), env=e)
        got = set(ci_paths(ctx, "github", p.stdout, "github"))
        what = " ".join(argv) or [k + "=" + e[k] for k in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR") if k in e][0]
        ctx.true(expect in got and want not in got or expect == want and want in got,
                 "check --format github with %s: file= %r, expected %s" % (what, sorted(got), expect))
    p = ctx.ps(check + ["--repo-root", os.path.join(ctx.wd, "nowhere"), app], expect=(2,), env=env)
    # padscan's own samples, built as scripts/build-samples.sh builds them
    # (in samples/c), name their headers from the checkout's top
    top = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    weapons = os.path.join(ctx.wd, "weapons")
    C.run([cc, "-g", "-O0", "-std=c11", "-o", weapons, "weapons/weapons.c"],
          cwd=os.path.join(top, "samples/c"), check=True)
    wbudget = os.path.join(ctx.wd, "weapons_budget.json")
    write(wbudget, json.dumps({"rules": [{"types": ["projectile"], "max_waste": 0}]}))
    p = ctx.ps(["check", "--budget", wbudget, "--format", "github", weapons], cwd=elsewhere,
               expect=(1,), env=env)
    expect = "samples/c/weapons/weapons.h" if C.git_top(top) == os.path.realpath(top) \
        else "weapons/weapons.h"
    ctx.eq(ci_paths(ctx, "samples", p.stdout, "github"), [expect],
           "check --format github of the weapons sample: file= (%s is %sa git work tree)"
           % (top, "" if expect.startswith("samples") else "not "))
    # outside any git work tree: relative to the source root
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        if C.git_top(tmp):
            C.log("note: %s is inside a git work tree; the no-repository case is not run" % tmp)
            return
        plain = make_repo_project(os.path.join(tmp, "proj"), cc)
        p = ctx.ps(check + ["--format", "github", os.path.join(plain, "app")], cwd=elsewhere,
                   expect=(1,), env=env)
        got = set(ci_paths(ctx, "github", p.stdout, "github"))
        ctx.true("include/conn.h" in got, "check --format github outside any repository: file= %r, "
                 "expected include/conn.h (relative to the source root)" % sorted(got))
        p = ctx.ps(["suggest", "--format", "patch", os.path.join(plain, "app")], cwd=elsewhere, env=env)
        write(patch, p.stdout)
        a = C.run(["git", "apply", "--check", patch], cwd=plain)
        ctx.eq(a.returncode, 0, "no repository: git apply --check in the source root: %s"
               % a.stderr.strip()[:300])


X_H = """\
#include <stdio.h>

struct conn {
    char a;
    long b;
    char c;
    FILE *f;
};
"""

X_MAIN_C = """\
#include <time.h>
#include "../include/x.h"

struct local {
    char a;
    int b;
    char c;
};

struct conn *volatile keep_conn;
struct local *volatile keep_local;
struct timespec *volatile keep_ts;

int main(void)
{
    static struct conn c;
    static struct local l;
    static struct timespec ts;
    keep_conn = &c;
    keep_local = &l;
    keep_ts = &ts;
    return 0;
}
"""


def make_x_project(repo, cc):
    """repo/sub/proj: src/main.c compiled in src/ (make -C src), its header
    reached as ../include/x.h, FILE and struct timespec from the system."""
    proj = os.path.join(repo, "sub/proj")
    write(os.path.join(proj, "include/x.h"), X_H)
    write(os.path.join(proj, "src/main.c"), X_MAIN_C)
    write(os.path.join(proj, "src/Makefile"), "app: main.c ../include/x.h\n"
          "\t$(CC) -g -O0 -o ../app main.c\n")
    C.run(["make", "-s", "-C", "src", "CC=" + cc], cwd=proj, check=True)
    return proj


def line_of(path, text):
    with open(path) as f:
        return next(i for i, ln in enumerate(f, 1) if ln.startswith(text))


def analyze_places(ctx, argv, env, cwd):
    """-> (text's "FILE:LINE" per record, the JSON's binary, its records by name)."""
    out = ctx.ps(["analyze", "--all-types"] + argv, cwd=cwd, env=env).stdout
    text = dict(re.findall(r"^(?:struct|typedef struct|union) (\w*) ?\{ +/\* (\S+) \*/$", out, re.M))
    doc = ctx.json(["analyze", "--all-types", "--format", "json"] + argv, cwd=cwd, env=env) or {}
    b = (doc.get("binaries") or [{}])[0]
    return text, b, {s["name"]: s for s in b.get("structs", [])}


def suggest_places(ctx, argv, env, cwd):
    """-> (text's "at:" per record, the JSON's binary, its suggestions by name)."""
    out = ctx.ps(["suggest", "--all"] + argv, cwd=cwd, env=env).stdout
    text = dict(re.findall(r"^(\S+): \d+ -> \d+ bytes.*\n  at: (\S+)$", out, re.M))
    doc = ctx.json(["suggest", "--all", "--format", "json"] + argv, cwd=cwd, env=env) or {}
    b = (doc.get("binaries") or [{}])[0]
    return text, b, {s["name"]: s for s in b.get("suggestions", []) + b.get("same_class", [])}


def part_repofile(ctx, cc):
    """analyze's and suggest's text and JSON name files as the repository does."""
    need("git")
    repo = os.path.realpath(os.path.join(ctx.wd, "repo"))
    os.makedirs(repo)
    C.run(["git", "init", "-q"], cwd=repo, check=True)
    proj = make_x_project(repo, cc)
    app = os.path.join(proj, "app")
    elsewhere = os.path.join(ctx.wd, "elsewhere")
    os.makedirs(elsewhere)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")}
    conn_line = line_of(os.path.join(proj, "include/x.h"), "struct conn {")
    local_line = line_of(os.path.join(proj, "src/main.c"), "struct local {")
    sub = os.path.join(repo, "sub")
    cases = (  # argv, env, repo_root, conn's repo_file, local's repo_file
        ([], env, repo, "sub/proj/include/x.h", "sub/proj/src/main.c"),
        (["--source-root", os.path.join(proj, "src")], env, repo, "sub/proj/include/x.h",
         "sub/proj/src/main.c"),
        (["--repo-root", sub], env, sub, "proj/include/x.h", "proj/src/main.c"),
        ([], dict(env, GITHUB_WORKSPACE=proj), proj, "include/x.h", "src/main.c"),
        ([], dict(env, CI_PROJECT_DIR=sub), sub, "proj/include/x.h", "proj/src/main.c"),
        ([], dict(env, GITHUB_WORKSPACE=elsewhere), repo, "sub/proj/include/x.h",
         "sub/proj/src/main.c"))
    for argv, e, top, conn, local in cases:
        what = " ".join(argv) or [k + "=" + e[k] for k in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
                                  if k in e][0] if argv or len(e) > len(env) else "default"
        want = {"conn": "%s:%d" % (conn, conn_line), "local": "%s:%d" % (local, local_line)}
        text, b, recs = analyze_places(ctx, argv + [app], e, elsewhere)
        stext, sb, srecs = suggest_places(ctx, argv + [app], e, elsewhere)
        for name in ("conn", "local"):
            ctx.eq(text.get(name), want[name], "analyze text (%s): %s's place" % (what, name))
            ctx.eq(stext.get(name), want[name], "suggest text (%s): %s's at:" % (what, name))
        ctx.eq(sb.get("source_root", "absent"), b.get("source_root", "absent"),
               "suggest --format json (%s): the source_root analyze gives" % what)
        for label, bb, rr in (("analyze", b, recs), ("suggest", sb, srecs)):
            ctx.eq(bb.get("repo_root", "absent"), top, "%s --format json (%s): repo_root" % (label, what))
            for name, rf in (("conn", conn), ("local", local)):
                ctx.eq(rr.get(name, {}).get("repo_file"), rf,
                       "%s --format json (%s): %s's repo_file" % (label, what, name))
            # decl_file keeps its meaning: relative to the default source root
            if not argv:
                ctx.eq(rr.get("conn", {}).get("decl_file"), "include/x.h",
                       "%s --format json (%s): conn's decl_file" % (label, what))
        if argv and argv[0] == "--source-root":
            ctx.eq(recs.get("conn", {}).get("decl_file"), os.path.join(proj, "include/x.h"),
                   "analyze --source-root src: conn's decl_file (absolute: outside the source root)")
    # a --repo-root that does not hold the source root: no repo_root; a file
    # below it relative to it (the record says to which root), others absolute
    inc = os.path.join(proj, "include")
    text, b, recs = analyze_places(ctx, ["--repo-root", inc, app], env, elsewhere)
    ctx.eq(b.get("repo_root", "absent"), None, "analyze --repo-root include/: repo_root")
    ctx.eq((recs.get("conn", {}).get("repo_file"), recs.get("conn", {}).get("repo_root")),
           ("x.h", inc), "analyze --repo-root include/: conn's repo_file and repo_root")
    ctx.eq(recs.get("local", {}).get("repo_file"), os.path.join(proj, "src/main.c"),
           "analyze --repo-root include/: local's repo_file (absolute)")
    # a system header: absolute, as decl_file
    text, b, recs = analyze_places(ctx, [app], env, elsewhere)
    sys_recs = [s for s in recs.values() if s.get("decl_file", "").startswith("/")]
    ctx.true(any(s["name"] == "timespec" for s in sys_recs),
             "analyze --all-types: struct timespec (a system header) among %r" % sorted(recs)[:12])
    for s in sys_recs:
        ctx.true(s.get("repo_file") == s["decl_file"] and os.path.isfile(s["repo_file"])
                 and not s["repo_file"].startswith(repo + "/"),
                 "analyze: %s from %s: repo_file %r (absolute, outside the repository)"
                 % (s["name"], s["decl_file"], s.get("repo_file")))
        ctx.eq(text.get(s["name"]), "%s:%d" % (s["decl_file"], s["decl_line"]),
               "analyze text: %s's place (absolute)" % s["name"])
    saved_report(ctx, app, env, elsewhere)


def saved_report(ctx, app, env, cwd):
    """The report with repo_file/repo_root still feeds the saved-report reader."""
    report = os.path.join(ctx.wd, "report.json")
    ctx.ps(["analyze", "--format", "json", "-o", report, app], cwd=cwd, env=env)
    with open(report) as f:
        ctx.true('"repo_file"' in f.read(), "saved report: no repo_file")
    budget = os.path.join(ctx.wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": "*", "max_waste": 0}]}))
    base = os.path.join(ctx.wd, "baseline.json")
    ctx.ps(["check", "--budget", budget, "--write-baseline", base, report], cwd=cwd, env=env,
           expect=(0, 1))
    p = ctx.ps(["check", "--budget", budget, "--baseline", base, app], cwd=cwd, env=env)
    ctx.true(p.returncode == 0, "check --baseline (the report's) on the binary: %s" % p.stdout[-600:])
    # a report written before repo_file and repo_root is read as before
    with open(report) as f:
        doc = json.load(f)
    for b in doc["binaries"]:
        b.pop("repo_root", None)
        for s in b["structs"]:
            s.pop("repo_file", None)
            s.pop("repo_root", None)
    older = os.path.join(ctx.wd, "report_older.json")
    write(older, json.dumps(doc))
    fails = [ctx.ps(["check", "--budget", budget, "--format", "github", x], cwd=cwd, env=env,
                    expect=(1,)).stdout for x in (report, older, app)]
    ctx.eq(fails[0], fails[2], "check --format github: the report as the binary")
    ctx.eq(fails[1], fails[2], "check --format github: a report without repo_file as the binary")
    dj = ctx.json(["diff", "--format", "json", report, app], cwd=cwd, env=env)
    ctx.eq((dj or {}).get("changes"), [], "diff of the report and its binary")
    man = os.path.join(ctx.wd, "fleet.json")
    write(man, json.dumps({"services": [{"name": "svc", "report": report, "replicas": 2,
                                         "allocator": "exact",
                                         "hot_types": [{"type": "conn", "instances": 10}]}]}))
    fj = ctx.json(["fleet", "--format", "json", man], cwd=cwd, env=env)
    ctx.true(((fj or {}).get("total") or {}).get("saved_paper", 0) > 0,
             "fleet of the report: conn's saving: %r" % (fj or {}).get("total"))


GO_NOPLACE = """\
package main

import "fmt"

type T struct {
\ta bool
\tb int64
\tc bool
\td int64
\te bool
\tf int64
}

var sink []*T

func main() {
\tfor i := 0; i < 3; i++ {
\t\tsink = append(sink, &T{a: true})
\t}
\tfmt.Println(len(sink))
}
"""


def part_goplace(ctx, go):
    """A Go record whose file padscan cannot know (no methods, the sources
    gone): the patch's note names no place rather than "?:0"."""
    src = os.path.join(ctx.wd, "gosrc")
    write(os.path.join(src, "main.go"), GO_NOPLACE)
    write(os.path.join(src, "go.mod"), "module example.com/noplace\n\ngo 1.19\n")
    exe = os.path.join(ctx.wd, "noplace")
    C.run([go, "build", "-o", exe, "."], cwd=src, env=C.go_env(ctx.wd), check=True)
    shutil.rmtree(src)
    p = ctx.ps(["suggest", "--format", "patch", exe], cwd=ctx.wd)
    notes = [ln for ln in p.stdout.splitlines() if ln.startswith("padscan:")]
    ctx.true(any(ln.startswith("padscan: skipped main.T: ") for ln in notes),
             "suggest --format patch: no place-less note for main.T: %r" % notes)
    ctx.true(not re.search(r"\?:|:0\)", p.stdout), "suggest --format patch printed an unknown "
             "place (?: or :0): %r" % notes)


def libc_debug_file():
    """glibc's separate debug file, found by libc.so.6's build id."""
    for lib in ("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"):
        if not os.path.exists(lib):
            continue
        m = re.search(r"Build ID:\s*([0-9a-f]+)", C.run(["readelf", "-n", lib]).stdout)
        if m:
            h = m.group(1)
            path = "/usr/lib/debug/.build-id/%s/%s.debug" % (h[:2], h[2:])
            return path if os.path.exists(path) else None
    return None


def part_glibc(ctx):
    dbg = libc_debug_file()
    if not dbg:
        C.log("SKIP: glibc's debug file not found (Debian package libc6-dbg)")
        sys.exit(C.SKIP_RC)
    probe = os.path.join(ctx.wd, "file_size.c")
    write(probe, "#include <stdio.h>\nint main(void){printf(\"%zu\\n\", sizeof(FILE));return 0;}\n")
    C.run(["cc", "-o", probe[:-2], probe], check=True)
    file_size = int(C.run([probe[:-2]], check=True).stdout)
    doc = ctx.json(["analyze", "--all-types", "--format", "json", dbg])
    if not doc:
        return
    structs = structs_of(doc)
    check_paths(ctx, "glibc", structs)
    iof = [s for s in structs if s["name"] == "_IO_FILE"]
    if ctx.eq(len(iof), 1, "glibc: records named _IO_FILE"):
        ctx.eq(iof[0]["size"], file_size, "glibc: _IO_FILE size vs the compiler's sizeof(FILE)")
        ctx.eq(iof[0].get("decl_file"), "libio/bits/types/struct_FILE.h", "glibc: _IO_FILE decl_file")
    keys = collections.Counter((s["name"], s.get("decl_file"), s.get("decl_line"), s["size"])
                               for s in structs)
    ctx.eq([k for k, n in keys.items() if n > 1], [],
           "glibc: records listed twice (same name, normalized file, line and size)")
    # the same name at the same place with another size is a different type
    # (a source compiled twice with other macros, e.g. vfprintf-internal.c
    # for char and wchar_t): at most a handful
    places = collections.Counter((s["name"], s.get("decl_file"), s.get("decl_line")) for s in structs)
    multi = {k: n for k, n in places.items() if n > 1}
    ctx.true(len(multi) <= 5, "glibc: %d name+file+line places with several sizes: %r"
             % (len(multi), list(multi)[:10]))
    C.log("glibc: %d records, %d distinct names, %d places with several sizes"
          % (len(structs), len({s['name'] for s in structs}), len(multi)))
    # the same debug file against itself: nothing changed, the baseline holds
    dj = ctx.json(["diff", "--all-types", "--format", "json", dbg, dbg])
    if dj:
        ctx.eq(dj.get("changes"), [], "glibc: diff of the debug file with itself")
    budget = os.path.join(ctx.wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": "*", "max_waste": 0}]}))
    base = os.path.join(ctx.wd, "baseline.json")
    ctx.ps(["check", "--all-types", "--budget", budget, "--write-baseline", base, dbg], expect=(0, 1))
    p = ctx.ps(["check", "--all-types", "--budget", budget, "--baseline", base, dbg])
    ctx.true(p.returncode == 0, "glibc: check against its own baseline: exit %d: %s"
             % (p.returncode, p.stdout[-600:]))
    sj = ctx.json(["suggest", "--format", "json", dbg])
    text = ctx.ps(["suggest", dbg]).stdout
    if sj:
        sugg = [g for b in sj["binaries"] for g in b["suggestions"]]
        shrink = [g for g in sugg if g["optimal_size"] < g["size"]]
        sk = collections.Counter((g["name"], g.get("decl_file"), g.get("decl_line"), g["size"])
                                 for g in shrink)
        ctx.eq([k for k, n in sk.items() if n > 1], [], "glibc suggest: a record suggested twice")
        m = re.search(r"(\d+) records? can shrink", text)
        if ctx.true(m is not None, "glibc suggest: no summary line"):
            ctx.eq(int(m.group(1)), len(sk), "glibc suggest summary vs distinct shrinkable records")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--part", required=True,
                    choices=["makefile", "anon", "comments", "repo", "repofile", "goplace",
                             "glibc"])
    ap.add_argument("--compiler", default="gcc")
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    if os.path.exists(args.workdir):
        shutil.rmtree(args.workdir)
    os.makedirs(args.workdir)
    args.workdir = os.path.realpath(args.workdir)
    ctx = Ctx(args)
    if args.part == "glibc":
        part_glibc(ctx)
    elif args.part == "goplace":
        need(args.go or "go")
        part_goplace(ctx, args.go)
    else:
        need(args.compiler)
        need("make")
        {"makefile": part_makefile, "anon": part_anon, "comments": part_comments,
         "repo": part_repo, "repofile": part_repofile}[args.part](
            ctx, args.compiler)
    C.log("%s %s: %d checks, %d failures" % (args.part, args.compiler if args.part != "glibc" else "",
                                            ctx.checks, ctx.failures))
    return 1 if ctx.failures or not ctx.checks else 0


if __name__ == "__main__":
    sys.exit(main())
