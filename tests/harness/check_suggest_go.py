#!/usr/bin/env python3
"""check_suggest_go.py - prove `padscan suggest --format go`: the Go compiler
must lay out padscan's proposed types exactly as padscan's JSON says.

For each GOARCH (default amd64, 386, arm64) and each Go package of the
fixture (tests/fixtures/go: main, fixture/sub) and, with --samples, of the Go
samples (samples/go, module github.com/acme/game, every service built):
  1. run `padscan suggest --all --lang go --format go --rename-prefix PsOpt
     --type '<pkg>.*' BIN` (and the same with --format json);
  2. split the output into sections at each `// padscan suggest for <import
     path> (...)` header (the package asked for, plus every other package of
     the module whose reordered types it holds by value, e.g. fixture/sub for
     main.*; never a standard-library package); each section goes into a
     temp copy of its own package's directory (import path -> directory via
     go.mod's module path) as an extra file; `gofmt -l` must not list it;
     generic instances must not be declared, only named in a
     `// padscan: <name> is an instance of a generic type` comment;
  3. add a file of compile-time assertions: unsafe.Sizeof of every PsOpt type
     == optimal_size, unsafe.Offsetof / Sizeof of every named field ==
     new_order offset / size (embedded fields by their renamed name; fields
     of inline struct literal types through the outer field);
     `var _ [expr - N]byte` and `var _ [N - expr]byte` -> any difference is a
     compile error; one assertion file per section's package (numbers of the
     other packages' types from `suggest --all --format json`); `go build`
     of all those packages with that GOARCH (compile-time asserts work for
     every arch, nothing is run);
  4. a type declaration of the section that does not compile is reported and
     dropped so the rest is still checked;
  5. the same output through `--output-dir DIR` must be one file per section,
     DIR/<import path>/padscan_suggest.go, equal to the section (those files
     are what is compiled), `-o FILE` must refuse several packages naming
     them all (and write the one package otherwise), and `go vet` must
     report nothing in the generated files.
The export corpus tests/fixtures/go_exports (module goexports: func fields
of every shape, maps, chans of every direction, arrays of structs, embedded,
generic, interface and cross-package pointer fields) is checked like the
fixture.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_c import Mismatches  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_FIXTURE = os.path.join(ROOT, "tests", "fixtures", "go")
DEFAULT_SAMPLES = os.path.join(ROOT, "samples", "go")
# the export corpus: every field kind the Go reader supports (issue 9)
DEFAULT_EXPORTS = os.path.join(ROOT, "tests", "fixtures", "go_exports")
OUT_FILE = "padscan_suggest.go"   # suggest --output-dir DIR: DIR/<import path>/OUT_FILE
SAMPLE_MODULE = "github.com/acme/game"
SAMPLE_SERVICES = ("combat", "abilities", "inventory", "guilds", "auctions", "notifications",
                   "auth")
ARCH = {"amd64": 8, "386": 4, "arm64": 8}
PREFIX = "PsOpt"
GEN = "zz_padscan_suggest.go"
ASSERT = "zz_padscan_assert.go"
PLANTED = {}   # --self-check: id of the perturbed assertion, caught?
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def go_env(wd, goarch):
    env = dict(os.environ)
    env.update({
        "GOARCH": goarch, "GOOS": "linux", "CGO_ENABLED": "0", "GO111MODULE": "on",
        "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOPROXY": "off",
        "GOCACHE": os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"),
        "GOPATH": os.path.join(wd, "gopath"),
    })
    return env


def suggest(padscan, binary, extra):
    # --pointer-bytes: orders that only lower pointer bytes are proven too
    cmd = [padscan, "suggest", "--all", "--pointer-bytes", "--lang", "go"] + extra + [binary]
    p = C.run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (rc=%d): %s\n%s" % (
            p.returncode, " ".join(cmd), p.stderr[-3000:]))
    return p.stdout


def split_name(name):
    """'github.com/x/y.T[int]' -> ('github.com/x/y', 'T[int]'); literals -> None."""
    if not name or name.startswith("struct") or " " in name.split("[")[0]:
        return None
    head = name.split("[")[0]
    i = head.rfind(".")
    if i <= 0:
        return None
    return head[:i], name[i + 1:]


def copy_tree(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("zz_padscan_*.go"))


def decl_blocks(lines):
    """-> list of (start, end) 0-based inclusive line ranges of top-level
    `type` declarations (with the comment lines right above them)."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("type "):
            s = i
            while s > 0 and lines[s - 1].startswith("//") and not \
                    lines[s - 1].startswith("// padscan suggest for"):
                s -= 1
            e = i
            if lines[i].rstrip().endswith("{"):
                while e < len(lines) and lines[e].rstrip() != "}":
                    e += 1
            out.append((s, e, lines[i]))
            i = e + 1
        else:
            i += 1
    return out


def parse_fields(lines):
    """{type name: {field name: embedded?}} of the top-level struct types
    (first-level fields only)."""
    out = {}
    cur = None
    depth = 0
    for ln in lines:
        m = re.match(r"^type (\w+)\b.*\bstruct \{\s*$", ln)
        if cur is None:
            if m:
                cur, depth = m.group(1), 1
                out[cur] = {}
            elif re.match(r"^type (\w+)", ln):
                out[re.match(r"^type (\w+)", ln).group(1)] = {}
            continue
        body = ln.split("//")[0].strip()
        if depth == 1 and body and body != "}":
            toks = body.split()
            if len(toks) == 1 or toks[1].startswith("`"):   # embedded field
                out[cur][toks[0].lstrip("*").split(".")[-1].split("[")[0]] = True
            else:
                for nm in body.split(" ")[0].split(","):
                    out[cur][nm.strip()] = False
        depth += body.count("{") - body.count("}")
        if depth <= 0:
            cur = None
    return out


class GoAssert:
    def __init__(self, cid, struct, member, what, expected, expr):
        self.id, self.struct, self.member, self.what = cid, struct, member, what
        self.expected, self.expr = expected, expr


def plan(pkg, sugg, literals, defined, mm):
    """Assertions for the PsOpt types that the section defines."""
    decls, checks = [], []
    names = {}
    for s in sugg:
        sp = split_name(s.get("name"))
        if sp and sp[0] == pkg:
            names[sp[1]] = s
    nst = nmem = 0
    for tname, s in names.items():
        if "[" in tname:
            continue   # generic instance: only the compile result counts
        rn = PREFIX + tname
        if rn not in defined:
            continue
        nst += 1
        v = "psv%d" % len(decls)
        decls.append("var %s %s" % (v, rn))

        def add(member, what, exp, expr, _s=s):
            checks.append(GoAssert(len(checks) + 1, _s["name"], member, what, exp, expr))
        add(None, "size == optimal_size", s.get("optimal_size"), "unsafe.Sizeof(%s)" % v)
        for m in s.get("new_order") or []:
            n = m.get("name") or ""
            if not IDENT.match(n) or n == "_":
                continue
            emb = defined[rn]
            if n not in emb and emb.get(PREFIX + n) is True:
                n = PREFIX + n   # embedded field of a renamed type
            nmem += 1
            add(n, "offset", m.get("offset"), "unsafe.Offsetof(%s.%s)" % (v, n))
            add(n, "size", m.get("size"), "unsafe.Sizeof(%s.%s)" % (v, n))
            lit = literals.get(m.get("type"))
            if lit is not None:
                for lm in lit.get("new_order") or []:
                    ln = lm.get("name") or ""
                    if not IDENT.match(ln) or ln == "_":
                        continue
                    nmem += 1
                    add("%s.%s" % (n, ln), "offset (inline struct literal)", lm.get("offset"),
                        "unsafe.Offsetof(%s.%s.%s)" % (v, n, ln))
    return decls, checks, nst, nmem


def write_asserts(path, pkgname, decls, checks, skip):
    out = ["// Code generated by check_suggest_go.py. DO NOT EDIT.", "", "package " + pkgname,
           "", 'import "unsafe"', ""] + decls + [""]
    linemap = {}
    for c in checks:
        if c.id in skip:
            continue
        exp = c.expected if isinstance(c.expected, int) and c.expected >= 0 else 1 << 40
        linemap[len(out) + 1] = (c.id, "a")
        out.append("var _ [%s - %d]byte // PSCHK %d" % (c.expr, exp, c.id))
        linemap[len(out) + 1] = (c.id, "b")
        out.append("var _ [%d - %s]byte // PSCHK %d" % (exp, c.expr, c.id))
    if not checks:
        out.append("var _ = unsafe.Sizeof(0)")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return linemap


ERR = re.compile(r"^((?:\S*/)?zz_padscan_\w+\.go):(\d+):(?:\d+:)?\s*(.*)$")
HEADER = "// padscan suggest for "


def module_path(modroot):
    with open(os.path.join(modroot, "go.mod")) as f:
        for ln in f:
            m = re.match(r"^module\s+(\S+)", ln)
            if m:
                return m.group(1).strip('"')
    raise RuntimeError("%s/go.mod has no module line" % modroot)


def split_sections(text):
    """--format go output -> [(import path, section text)], one per
    `// padscan suggest for <import path> (...)` header."""
    lines = text.splitlines()
    starts = [i for i, ln in enumerate(lines) if ln.startswith(HEADER)]
    out = []
    if starts and any(ln.strip() for ln in lines[:starts[0]]):
        out.append((None, "\n".join(lines[:starts[0]]) + "\n"))
    for k, i in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(lines)
        path = lines[i][len(HEADER):].split(" (")[0].strip()
        out.append((path, "\n".join(lines[i:e]).rstrip("\n") + "\n"))
    return out


def pkg_dir(path, job_pkg, job_rel, modpath):
    """import path -> directory relative to the module root (None: not in
    the module, e.g. a standard-library package)."""
    if path == "main":
        return job_rel if job_pkg == "main" else None
    if path == modpath:
        return "."
    if path.startswith(modpath + "/"):
        return path[len(modpath) + 1:]
    return None


def output_files(args, binary, pkg, text, mm, outdir):
    """suggest --output-dir and -o: -> {import path: file text}."""
    shutil.rmtree(outdir, ignore_errors=True)
    base = [args.padscan, "suggest", "--all", "--pointer-bytes", "--lang", "go", "--format", "go",
            "--rename-prefix", PREFIX, "--type", pkg + ".*", binary]
    p = C.run(base[:2] + ["--output-dir", outdir] + base[2:])
    paths = [path for path, _ in split_sections(text) if path]
    if p.returncode != 0:
        mm.add(pkg, None, "suggest --output-dir", "exit 0", "%d: %s" % (p.returncode, p.stderr[-500:]))
    files = {}
    for dp, _, fns in os.walk(outdir):
        for fn in fns:
            rel = os.path.relpath(os.path.join(dp, fn), outdir)
            if fn != OUT_FILE:
                mm.add(pkg, None, "--output-dir writes only %s files" % OUT_FILE, "", rel)
                continue
            with open(os.path.join(dp, fn)) as f:
                files[os.path.dirname(rel)] = f.read()
    if p.returncode == 0 and sorted(files) != sorted(paths):
        mm.add(pkg, None, "--output-dir: one file per package section", sorted(paths), sorted(files))
    for path, body in files.items():
        if len(re.findall(r"^package \w+$", body, re.M)) != 1:
            mm.add(path, None, "one package clause per --output-dir file", 1,
                   len(re.findall(r"^package \w+$", body, re.M)))
    # -o naming an existing folder is --output-dir; -o FILE takes one package
    odir = outdir + "_o"
    shutil.rmtree(odir, ignore_errors=True)
    os.makedirs(odir)
    p = C.run(base[:2] + ["-o", odir] + base[2:])
    got = sorted(os.path.relpath(dp, odir) for dp, _, fns in os.walk(odir) if OUT_FILE in fns)
    if p.returncode != 0 or got != sorted(paths):
        mm.add(pkg, None, "-o DIR (an existing folder) = --output-dir", sorted(paths),
               "rc %d, %s" % (p.returncode, got))
    ofile = outdir + ".go"
    if os.path.exists(ofile):
        os.remove(ofile)
    p = C.run(base[:2] + ["-o", ofile] + base[2:])
    if len(paths) > 1:
        missing = [x for x in paths if x not in p.stderr]
        if p.returncode != 2 or os.path.exists(ofile) or missing:
            mm.add(pkg, None, "-o FILE with %d packages: exit 2 naming them, no file" % len(paths),
                   "rc 2 naming %s" % paths, "rc %d, file %s, stderr %r" % (
                       p.returncode, os.path.exists(ofile), p.stderr[-300:]))
    elif paths:
        body = open(ofile).read() if os.path.exists(ofile) else None
        if p.returncode != 0 or body != files.get(paths[0]):
            mm.add(pkg, None, "-o FILE with one package writes it", "the section",
                   "rc %d: %r" % (p.returncode, (body or "")[:200]))
    return files


def go_vet(args, src, env, rels, gens, mm, pkg):
    """go vet must report nothing in the generated files."""
    r = C.run([args.go, "vet"] + ["./" + x if x != "." else "." for x in rels], cwd=src, env=env)
    for ln in (r.stdout + r.stderr).splitlines():
        if any(os.path.basename(g) in ln for g in gens):
            mm.add(pkg, None, "go vet clean (generated file)", "no report", ln.strip()[:300])


def go_build(args, src, env, rels):
    return C.run([args.go, "build", "-gcflags=-e", "-o", os.devnull] +
                 ["./" + r if r != "." else "." for r in rels], cwd=src, env=env)


def error_lines(src, r):
    """-> [(abs file, 0-based line, message)] of errors in zz_padscan_* files."""
    out = []
    for ln in (r.stdout + r.stderr).splitlines():
        em = ERR.match(ln.strip())
        if em:
            out.append((os.path.normpath(os.path.join(src, em.group(1))),
                        int(em.group(2)) - 1, em.group(3)))
    return out


def check_package(args, goarch, wd, pkg, pkgdir_rel, modroot, binary, mm, all_sugg, perturb):
    """-> (#types, #members, #asserts) or None on harness error.

    The --format go output holds one section per Go package (the package
    asked for plus every other package whose reordered types its types hold
    by value); each section goes into its own package directory and gets its
    own assertion file.  Numbers: `--type PKG.*` JSON for PKG, `--all` JSON
    (same binary) for the types of the other sections."""
    tag = re.sub(r"\W+", "_", pkg)
    try:
        jdoc = json.loads(suggest(args.padscan, binary, ["--format", "json", "--type", pkg + ".*"]))
        text = suggest(args.padscan, binary, ["--format", "go", "--rename-prefix", PREFIX,
                                               "--type", pkg + ".*"])
    except RuntimeError as e:
        mm.add(pkg, None, "padscan run", "success", str(e)[:1500])
        return 0, 0, 0
    sugg = C.pick_binary(jdoc, binary).get("suggestions") or []
    files = output_files(args, binary, pkg, text, mm, os.path.join(wd, "outdir_%s_%s" % (goarch, tag)))
    literals = {s["name"]: s for s in all_sugg + sugg if (s.get("name") or "").startswith("struct {")}
    modpath = module_path(modroot)
    src = os.path.join(wd, "src_%s_%s" % (goarch, tag))
    copy_tree(modroot, src)
    env = go_env(wd, goarch)

    # ---- split into sections, one directory per package
    secs = {}    # import path -> dict(rel, dir, gen, pkgname, lines)
    for path, body in split_sections(text):
        if path is None:
            mm.add(pkg, None, "--format go output starts with '%s<import path>'" % HEADER,
                   "header first", body.splitlines()[0][:200])
            continue
        if path in secs:
            mm.add(pkg, None, "one section per package", "once", "%s repeated" % path)
            continue
        rel = pkg_dir(path, pkg, pkgdir_rel, modpath)
        if rel is None:
            mm.add(pkg, None, "section only for packages of module %s (never the standard "
                   "library)" % modpath, "no section", "section for %s" % path)
            continue
        m = re.search(r"^package (\w+)$", body, re.M)
        if not m:
            mm.add(path, None, "package clause in --format go section", "present", "missing")
            continue
        pdir = os.path.normpath(os.path.join(src, rel))
        if not os.path.isdir(pdir):
            mm.add(path, None, "section's package directory exists in the module", rel, "missing")
            continue
        if files.get(path) is not None and files[path] != body:
            mm.add(path, None, "--output-dir file equals the section of the stream", body[:300],
                   files[path][:300])
        secs[path] = dict(rel=rel, dir=pdir, gen=os.path.join(pdir, GEN),
                          asrt=os.path.join(pdir, ASSERT), pkgname=m.group(1),
                          lines=(files.get(path) or body).splitlines())
    if pkg not in secs:
        mm.add(pkg, None, "section for the requested package", HEADER + pkg,
               "missing (headers: %s)" % sorted(p for p, _ in split_sections(text) if p))
        return 0, 0, 0
    for path, sc in secs.items():
        with open(sc["gen"], "w") as f:
            f.write("\n".join(sc["lines"]) + "\n")
        g = C.run([args.gofmt, "-l", sc["gen"]])
        if g.returncode != 0 or g.stdout.strip():
            d = C.run([args.gofmt, "-d", sc["gen"]]).stdout
            mm.add(path, None, "gofmt -l clean (section of the --type %s.* output)" % pkg, "clean",
                   "not clean: " + (g.stderr.strip() or d[:1500]))
    # generic instances are not declared; a comment in their package's section
    for s in sugg:
        sp = split_name(s.get("name"))
        if sp and "[" in sp[1] and sp[0] in secs:
            body = "\n".join(secs[sp[0]]["lines"])
            if "// padscan: %s is an instance of a generic type" % s["name"] not in body:
                mm.add(s["name"], None, "generic-instance comment in the %s section" % sp[0],
                       "present", "missing")
            if re.search(r"^type %s%s\b" % (PREFIX, re.escape(sp[1].split("[")[0])), body, re.M):
                mm.add(s["name"], None, "generic instance not declared", "absent", "declared")

    # ---- drop type declarations that do not compile, so the rest is checked
    rels = sorted({sc["rel"] for sc in secs.values()})
    by_file = {sc["gen"]: sc for sc in secs.values()}
    dropped = {}
    for _ in range(20):
        for sc in secs.values():
            with open(sc["gen"], "w") as f:
                f.write("\n".join(sc["lines"]) + "\n")
            with open(sc["asrt"], "w") as f:
                f.write("package %s\n" % sc["pkgname"])
        r = go_build(args, src, env, rels)
        if r.returncode == 0:
            break
        bad = {}
        for fn, no, msg in error_lines(src, r):
            sc = by_file.get(fn)
            if sc is None:
                continue
            for b in decl_blocks(sc["lines"]):
                if b[0] <= no <= b[1]:
                    bad.setdefault(fn, set()).add(b)
                    dropped.setdefault((sc["rel"], b[2]), msg)
        if not bad:
            mm.add(pkg, None, "--format go output compiles (GOARCH=%s)" % goarch, "ok",
                   (r.stdout + r.stderr)[-1500:])
            return 0, 0, 0
        for fn, bl in bad.items():
            for b in sorted(bl, reverse=True):
                del by_file[fn]["lines"][b[0]:b[1] + 1]
    else:
        mm.add(pkg, None, "--format go output compiles", "ok", "gave up dropping declarations")
        return 0, 0, 0
    for (rel, decl), msg in dropped.items():
        mm.add(pkg, None, "declaration compiles (%s): %s" % (rel, decl.strip()), "ok", msg)

    # ---- assertions per package, for the types that package's section defines
    numbers = all_sugg + sugg   # the --type PKG.* JSON wins for PKG's own types
    checks, ntot, nmtot = [], 0, 0
    for path, sc in secs.items():
        defined = parse_fields(sc["lines"])
        sc["decls"], sc["checks"], nst, nmem = plan(path, numbers, literals, defined, mm)
        for c in sc["checks"]:
            c.id = len(checks) + 1
            checks.append(c)
        ntot += nst
        nmtot += nmem
        known = {split_name(s.get("name"))[1] for s in numbers
                 if split_name(s.get("name")) and split_name(s.get("name"))[0] == path}
        for tname in defined:
            if tname.startswith(PREFIX) and tname[len(PREFIX):] not in known:
                mm.add("%s.%s" % (path, tname), None, "type of the go output has suggest JSON "
                       "numbers (--all)", "present", "missing")
        # every suggestion of the requested package (not a generic instance) is defined
        if path == pkg:
            for s in sugg:
                sp = split_name(s.get("name"))
                if sp and sp[0] == pkg and "[" not in sp[1] and PREFIX + sp[1] not in defined \
                        and not any(PREFIX + sp[1] in d for (_, d) in dropped):
                    mm.add(s["name"], None, "defined as %s%s in --format go output" % (
                        PREFIX, sp[1]), "defined", "missing")
    if perturb and checks:
        PLANTED["id"] = checks[0].id
        checks[0].expected += 1
        C.log("SELF-CHECK: perturbing %s %s: %s -> %s" % (checks[0].struct, checks[0].what,
                                                          checks[0].expected - 1,
                                                          checks[0].expected))
    linemaps = {}
    for sc in secs.values():
        linemaps[sc["asrt"]] = write_asserts(sc["asrt"], sc["pkgname"], sc["decls"],
                                             sc["checks"], set())
    r = go_build(args, src, env, rels)
    if r.returncode == 0:
        go_vet(args, src, env, rels, [sc["gen"] for sc in secs.values()], mm, pkg)
    if r.returncode != 0:
        failed = {}
        for fn, no, msg in error_lines(src, r):
            if fn not in linemaps:
                continue
            hit = linemaps[fn].get(no + 1)
            if hit is None:
                C.log("ERROR: assertion file does not compile: %s:%d: %s" % (fn, no + 1, msg))
                return None
            cid, form = hit
            cm = re.search(r"\(constant (-?\d+)", msg)
            c = checks[cid - 1]
            if cm:
                k = int(cm.group(1))
                truth = c.expected + k if form == "a" else c.expected - k
            else:
                truth = "? (%s)" % msg
            failed.setdefault(cid, truth)
        if not failed:
            C.log("ERROR: go build failed for other reasons:\n" + (r.stdout + r.stderr)[-3000:])
            return None
        if perturb and PLANTED.get("id") in failed:
            PLANTED["caught"] = True
        for cid, truth in sorted(failed.items()):
            c = checks[cid - 1]
            mm.add(c.struct, c.member, "%s (expected = Go compiler on padscan's Go output, "
                   "padscan = its JSON)" % c.what, truth, c.expected)
    return ntot, nmtot, len(checks)


def build(args, goarch, wd, srcdir, target, out):
    r = C.run([args.go, "build", "-o", out, target], cwd=srcdir, env=go_env(wd, goarch))
    if r.returncode != 0:
        C.log("ERROR: go build %s failed (%s):\n%s" % (target, goarch, r.stderr[-2000:]))
        return False
    return True


def packages_of(binary, args, module_prefixes):
    doc = json.loads(suggest(args.padscan, binary, ["--format", "json"]))
    sugg = C.pick_binary(doc, binary).get("suggestions") or []
    pk = []
    for s in sugg:
        sp = split_name(s.get("name"))
        if sp and (sp[0] == "main" or any(sp[0] == p or sp[0].startswith(p + "/")
                                         for p in module_prefixes)):
            if sp[0] not in pk:
                pk.append(sp[0])
    return pk, sugg


def check_arch(args, goarch, wd, perturb):
    mm = Mismatches("go suggest " + goarch)
    totals = [0, 0, 0]
    jobs = []   # (label, pkg, pkgdir_rel, modroot, binary, all_sugg)
    corpora = [] if args.no_fixture else [("fixture", args.fixture), ("goexports", args.exports)]
    for label, fdir in corpora:
        mod = module_path(fdir)
        binary = os.path.join(wd, "%s_%s" % (label, goarch))
        fsrc = os.path.join(wd, label + "_src")
        copy_tree(fdir, fsrc)
        if not build(args, goarch, wd, fsrc, ".", binary):
            return 2, mm, totals
        try:
            pk, allsug = packages_of(binary, args, [mod])
        except RuntimeError as e:
            mm.add("<padscan>", None, "run", "success", str(e)[:1500])
            return 1, mm, totals
        for p in pk:
            rel = "." if p == "main" else p[len(mod) + 1:]
            jobs.append((label, p, rel, fdir, binary, allsug))
    if args.samples:
        seen = set()
        for svc in SAMPLE_SERVICES:
            binary = os.path.join(wd, "%s_%s" % (svc, goarch))
            if not build(args, goarch, wd, args.samples_src, "./" + svc, binary):
                return 2, mm, totals
            try:
                pk, allsug = packages_of(binary, args, [SAMPLE_MODULE])
            except RuntimeError as e:
                mm.add("<padscan>", None, "run", "success", str(e)[:1500])
                continue
            for p in pk:
                key = "%s:%s" % (svc, p) if p == "main" else p
                if key in seen:
                    continue
                seen.add(key)
                rel = svc if p == "main" else p[len(SAMPLE_MODULE) + 1:]
                jobs.append((svc, p, rel, args.samples_src, binary, allsug))
    for i, (label, pkg, rel, modroot, binary, allsug) in enumerate(jobs):
        res = check_package(args, goarch, wd, pkg, rel, modroot, binary, mm, allsug,
                            perturb and i == 0)
        if res is None:
            return 2, mm, totals
        C.log("[go %s] %s %s: %d types, %d fields, %d assertions" % (
            goarch, label, pkg, res[0], res[1], res[2]))
        totals = [a + b for a, b in zip(totals, res)]
    return (1 if mm.items else 0), mm, totals


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--goarch", action="append")
    ap.add_argument("--fixture", default=DEFAULT_FIXTURE)
    ap.add_argument("--no-fixture", action="store_true")
    ap.add_argument("--exports", default=DEFAULT_EXPORTS,
                    help="the Go export corpus (a module; checked like the fixture)")
    ap.add_argument("--samples", action="store_true", help="also the Go samples (samples/go)")
    ap.add_argument("--samples-src", default=DEFAULT_SAMPLES)
    ap.add_argument("--workdir")
    ap.add_argument("--self-check", action="store_true",
                    help="perturb one expected value: exit 0 iff the run then FAILS")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    gofmt = os.path.join(os.path.dirname(os.path.realpath(shutil.which(args.go) or args.go)),
                         "gofmt")
    args.gofmt = gofmt if os.path.exists(gofmt) else (shutil.which("gofmt") or "gofmt")
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_suggest_go"))
    os.makedirs(wd, exist_ok=True)
    rc_all = 0
    nmm = 0
    for i, goarch in enumerate(args.goarch or ["amd64", "386", "arm64"]):
        if goarch not in ARCH:
            C.log("ERROR: unsupported GOARCH %s" % goarch)
            return 2
        rc, mm, t = check_arch(args, goarch, wd, args.self_check and i == 0)
        C.log("check_suggest_go %s: %d types, %d fields, %d assertions, %d mismatches" % (
            goarch, t[0], t[1], t[2], len(mm.items)))
        nmm += len(mm.items)
        rc_all = max(rc_all, rc)
    if args.self_check:
        ok = rc_all == 1 and bool(PLANTED.get("caught"))
        C.log("SELF-CHECK %s" % ("OK: planted wrong value detected" if ok else
                                 "FAILED: planted wrong value not detected (rc=%d)" % rc_all))
        return 0 if ok else 1
    return rc_all


if __name__ == "__main__":
    sys.exit(main())
