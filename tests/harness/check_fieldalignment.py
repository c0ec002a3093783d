#!/usr/bin/env python3
"""check_fieldalignment.py - padscan suggest vs Go's fieldalignment analyzer.

Builds golang.org/x/tools/go/analysis/passes/fieldalignment/cmd/fieldalignment
from Debian's golang-golang-x-tools-dev sources (GOPATH mode,
GOPATH=/usr/share/gocode, private GOCACHE) and runs `fieldalignment -json ./...`
(GOARCH=amd64) on the Go fixture (tests/fixtures/go) and the Go samples
(samples/go).  For every struct it reports, padscan's `suggest` (on the
binary built from the same sources) must be at least as good:
  * "struct of size X could be Y":  padscan optimal_size <= Y;
  * "struct with P pointer bytes could be Q" (size already minimal for
    fieldalignment): padscan optimal_size <= size and, when equal,
    optimal_pointer_bytes <= Q.
Every struct where the two differ is printed with an explanation category.
The fixture's C64Mix / C64Trio (complex64: gc aligns it to 4, go/types'
StdSizes that fieldalignment uses to 8) must show fieldalignment's wrong
numbers, and padscan's suggestion for them is proven with the compiler
(unsafe.Sizeof/Offsetof of the --format go output, check_suggest_go.py).

Exit status: 0 all good, 1 padscan worse / wrong, 2 harness error, 77 skipped
(padscan or golang-golang-x-tools-dev missing).
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
import check_suggest_go as SG  # noqa: E402

GOPATH_SYS = "/usr/share/gocode"
FA_PKG = "golang.org/x/tools/go/analysis/passes/fieldalignment"
SIZE_RE = re.compile(r"struct of size (\d+) could be (\d+)")
PTR_RE = re.compile(r"struct with (\d+) pointer bytes could be (\d+)")
C64_TYPES = ("main.C64Mix", "main.C64Trio")


def build_fa(args, wd):
    src = os.path.join(GOPATH_SYS, "src", FA_PKG)
    if not os.path.isdir(src):
        C.log("SKIP: %s missing (install golang-golang-x-tools-dev)" % src)
        return None
    out = os.path.join(wd, "fieldalignment")
    env = dict(os.environ, GO111MODULE="off", GOPATH=GOPATH_SYS, GOFLAGS="", GOPROXY="off",
               GOTOOLCHAIN="local", CGO_ENABLED="0", GOARCH="amd64", GOOS="linux",
               GOCACHE=os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"))
    env.pop("GOROOT", None)
    r = C.run([args.go, "build", "-o", out, FA_PKG + "/cmd/fieldalignment"], env=env)
    if r.returncode != 0:
        miss = re.findall(r'cannot find package "([^"]+)"', r.stderr)
        C.log("ERROR: building fieldalignment failed%s:\n%s" % (
            " (missing: %s)" % ", ".join(sorted(set(miss))) if miss else "", r.stderr[-2000:]))
        return False
    return out


def run_fa(fa, srcdir, wd):
    env = SG.go_env(wd, "amd64")
    r = C.run([fa, "-json", "./..."], cwd=srcdir, env=env, timeout=900)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        raise RuntimeError("fieldalignment -json failed (rc=%d): %s" % (r.returncode,
                                                                       r.stderr[-2000:]))
    out = []
    for pkg, an in doc.items():
        for d in (an or {}).get("fieldalignment", []) or []:
            if isinstance(d, dict) and d.get("posn"):
                out.append((pkg, d["posn"], d.get("message", "")))
    return out


def type_at(posn):
    """'file.go:23:14' -> type name declared there (None for literals)."""
    m = re.match(r"^(.*):(\d+):(\d+)$", posn)
    if not m:
        return None
    with open(m.group(1)) as f:
        lines = f.read().splitlines()
    ln = lines[int(m.group(2)) - 1]
    col = int(m.group(3)) - 1
    tm = re.search(r"^\s*type\s+(\w+)(\[[^\]]*\])?\s+$", ln[:col])
    if tm and ln[col:].startswith("struct"):
        return tm.group(1), bool(tm.group(2))
    return None


def has_complex64(s, by_name, seen=None):
    seen = seen or set()
    for m in s.get("old_order") or []:
        t = m.get("type") or ""
        if "complex64" in t:
            return True
        base = re.sub(r"^(\*|\[\d*\])+", "", t)
        if base in by_name and base not in seen and not t.startswith("*"):
            seen.add(base)
            if has_complex64(by_name[base], by_name, seen):
                return True
    return False


# suggest keeps synchronization fields apart (docs/suggest.md) and says so
KEPT_APART_RE = re.compile(r"the smallest order \((\d+) bytes\) would put synchronization field")


def compare(label, diags, pkgmap, sugg_for, mm, stats, fa_seen):
    for pkg, posn, msg in diags:
        tn = type_at(posn)
        if tn is None:
            mm.note("%s %s: struct literal (%s), not compared" % (label, posn, msg))
            continue
        name, generic = tn
        dpkg, binary = pkgmap(pkg)
        by_name = sugg_for(binary)
        full = "%s.%s" % (dpkg, name)
        if generic:
            mm.note("%s: generic type %s (%s): instances not compared" % (label, full, msg))
            continue
        s = by_name.get(full)
        if s is None:
            mm.add(full, None, "present in padscan suggest --all (fieldalignment: %s)" % msg,
                   "present", "missing")
            continue
        stats["compared"] += 1
        fa_seen[full] = msg
        opt, size = s.get("optimal_size"), s.get("size")
        popt = s.get("optimal_pointer_bytes")
        c64 = has_complex64(s, by_name)
        m1, m2 = SIZE_RE.search(msg), PTR_RE.search(msg)
        if m1:
            cur, fa_size, fa_ptr = int(m1.group(1)), int(m1.group(2)), None
        elif m2:
            cur, fa_size, fa_ptr = size, size, int(m2.group(2))
        else:
            mm.note("%s: unknown fieldalignment message %r" % (full, msg))
            continue
        why = []
        if cur != size:
            why.append("fieldalignment's current size %d != compiler's %d (%s)" % (
                cur, size, "go/types StdSizes aligns complex64 to 8, gc to 4" if c64
                else "go/types size model differs from gc"))
        apart = [int(m.group(1)) for m in map(KEPT_APART_RE.search, s.get("reasons") or []) if m]
        if opt > fa_size and apart and apart[0] <= fa_size:
            stats["sync_apart"] = stats.get("sync_apart", 0) + 1
            C.log("DIFF %s (%s): padscan %d > %d: the smaller order would put synchronization "
                  "fields into one cache line (%s)" % (full, msg, opt, fa_size, s["reasons"]))
            continue
        if opt > fa_size:
            mm.add(full, None, "padscan optimal_size <= fieldalignment's (%s)" % msg,
                   "<= %d" % fa_size, opt)
            continue
        sin = s.get("size_if_nested_unchanged")
        if opt < fa_size:
            stats["smaller"] += 1
            if c64:
                cat = "complex64 alignment (fieldalignment's size model is wrong)"
            elif sin is not None and sin >= fa_size:
                cat = ("nested types reordered too (own fields only, nested unchanged: "
                       "%d vs fieldalignment %d)" % (sin, fa_size))
            else:
                cat = ("fieldalignment sorts by alignment then pointer-ness, not always "
                       "optimal (nested unchanged: %s)" % sin)
            why.append("padscan %d < fieldalignment %d bytes: %s" % (opt, fa_size, cat))
        elif fa_ptr is not None:
            if popt is None or popt > fa_ptr:
                mm.add(full, None, "padscan optimal_pointer_bytes <= fieldalignment's (%s)" % msg,
                       "<= %d" % fa_ptr, popt)
                continue
            if popt < fa_ptr:
                stats["fewer_ptr"] += 1
                why.append("same size, padscan %d < fieldalignment %d pointer bytes" % (
                    popt, fa_ptr))
        else:
            stats["equal"] += 1
        if why:
            C.log("DIFF %s (%s): %s" % (full, msg, "; ".join(why)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--fixture", default=SG.DEFAULT_FIXTURE)
    ap.add_argument("--samples-src", default=SG.DEFAULT_SAMPLES)
    ap.add_argument("--no-samples", action="store_true")
    ap.add_argument("--workdir")
    ap.add_argument("--self-check", action="store_true",
                    help="plant a too-small fieldalignment suggestion: exit 0 iff it is caught")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_fieldalignment"))
    os.makedirs(wd, exist_ok=True)
    fa = build_fa(args, wd)
    if fa is None:
        return C.SKIP_RC
    if fa is False:
        return 2
    mm = Mismatches("fieldalignment amd64")
    stats = {"compared": 0, "smaller": 0, "fewer_ptr": 0, "equal": 0}
    cache = {}

    def sugg_for(binary):
        if binary not in cache:
            doc = json.loads(SG.suggest(args.padscan, binary, ["--format", "json", "--pointer-bytes"]))
            cache[binary] = {s.get("name"): s for s in
                             C.pick_binary(doc, binary).get("suggestions") or []}
        return cache[binary]

    fa_seen = {}
    # fixture
    fsrc = os.path.join(wd, "fixture_src")
    SG.copy_tree(args.fixture, fsrc)
    fbin = os.path.join(wd, "fixture_amd64")
    if not SG.build(args, "amd64", wd, fsrc, ".", fbin):
        return 2
    diags = run_fa(fa, fsrc, wd)
    planted = []
    if args.self_check and diags:
        tn = type_at(diags[0][1])
        planted.append("main.%s" % tn[0] if tn else None)
        # plant: claim a struct that padscan cannot beat could be 1 byte
        diags = [(p, q, SIZE_RE.sub(lambda m: "struct of size %s could be 1" % m.group(1), msg))
                 if i == 0 else (p, q, msg) for i, (p, q, msg) in enumerate(diags)]
    compare("fixture", diags,
            lambda pkg: ("main" if pkg in ("fixture", "main") else pkg, fbin),
            sugg_for, mm, stats, fa_seen)
    # samples
    if not args.no_samples:
        ssrc = os.path.join(wd, "samples_src")
        SG.copy_tree(args.samples_src, ssrc)
        bins = {}
        for svc in SG.SAMPLE_SERVICES:
            b = os.path.join(wd, "%s_amd64" % svc)
            if not SG.build(args, "amd64", wd, ssrc, "./" + svc, b):
                return 2
            bins[svc] = b
        # package -> a binary that contains it
        owner = {}
        for svc, b in bins.items():
            for n in sugg_for(b):
                sp = SG.split_name(n)
                if sp and sp[0].startswith(SG.SAMPLE_MODULE + "/"):
                    owner.setdefault(sp[0], b)

        def pkgmap(pkg):
            rel = pkg[len(SG.SAMPLE_MODULE) + 1:] if pkg.startswith(SG.SAMPLE_MODULE + "/") else pkg
            if rel in bins:
                return "main", bins[rel]
            return pkg, owner.get(pkg) or next(iter(bins.values()))
        compare("samples", run_fa(fa, ssrc, wd), pkgmap, sugg_for, mm, stats, fa_seen)

    # complex64 fixture types: fieldalignment's model is wrong there ...
    fsug = sugg_for(fbin)
    for t in C64_TYPES:
        s = fsug.get(t)
        if s is None:
            mm.add(t, None, "present in padscan suggest (fixture type)", "present", "missing")
            continue
        C.log("%s: padscan size %s -> %s; fieldalignment: %s" % (
            t, s.get("size"), s.get("optimal_size"), fa_seen.get(t, "(no report)")))
    # ... and padscan's is proven by the compiler (Sizeof/Offsetof of its Go output)
    args.gofmt = shutil.which("gofmt") or "gofmt"
    pm = Mismatches("suggest_go main amd64, only C64* counted here")
    res = SG.check_package(args, "amd64", wd, "main", ".", args.fixture, fbin, pm,
                           list(fsug.values()), False)
    if res is None:
        return 2
    c64_bad = [it for it in pm.items if (it[0] or "").startswith(C64_TYPES)]
    for it in c64_bad:
        mm.add(*it)
    C.log("complex64 types checked with the compiler: %d mismatches (other main.* mismatches "
          "belong to suggest_go_*: %d)" % (len(c64_bad), len(pm.items) - len(c64_bad)))
    C.log("check_fieldalignment: %d structs compared, padscan smaller %d, fewer pointer bytes %d, "
          "equal %d, %d failures" % (stats["compared"], stats["smaller"], stats["fewer_ptr"],
                                     stats["equal"], len(mm.items)))
    if args.self_check:
        ok = bool(planted) and any(it[0] == planted[0] for it in mm.items)
        C.log("SELF-CHECK %s" % ("OK: planted error detected" if ok else "FAILED: not detected"))
        return 0 if ok else 1
    return 1 if mm.items else 0


if __name__ == "__main__":
    sys.exit(main())
