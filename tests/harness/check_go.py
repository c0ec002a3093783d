#!/usr/bin/env python3
"""check_go.py - prove padscan's Go struct layouts equal the Go compiler's own.

For each GOARCH (default amd64, 386, arm64):
  1. `go build` tests/fixtures/go (default flags: compressed DWARF);
  2. run `padscan analyze --format json` on the binary;
  3. if the binary can run here (natively, or under qemu-user when installed)
     run it with `dump`: the compiler/runtime truth (reflect size, align,
     field offsets, and ptrdata read from the runtime type descriptor) for
     every struct reachable from the fixture's registry; each must be present
     in padscan's output with equal size, align, member offsets/sizes and
     pointer_bytes;
  4. for EVERY arch: generate a Go file inside a temp copy of the fixture
     with compile-time assertions built from padscan's numbers for every
     main.* struct (`var _ [unsafe.Sizeof(x) - N]byte` and `[N - ...]`, same
     for Alignof / Offsetof) and `go build` it for that GOARCH: a compile
     error is a mismatch.  The compiler's real values are then read back
     from a generated array in the binary to make the message precise;
  5. holes / tail_padding / waste must be consistent with padscan's members.

Toolchain: `--go` (default: `go` on PATH), or `--goroot DIR` (DIR/bin/go with
GOROOT=DIR), or `--fetch-go VERSION` (run fetch_go.sh VERSION [--dest
--go-dest] first and use the GOROOT it prints; its exit 77 -> skipped).  The
go command always runs with GOTOOLCHAIN=local, GOPROXY=off, GOFLAGS=-mod=mod
and GOCACHE/GOPATH in the work dir (GOCACHE: $PADSCAN_GOCACHE if set).  The
binary's go_version reported by padscan must equal `go env GOVERSION`.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing
(or the requested toolchain not available).
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_c import Mismatches, self_consistency  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = os.path.normpath(os.path.join(HERE, "..", "fixtures", "go"))
ARCH = {"amd64": ("x86_64", 8), "386": ("i386", 4), "arm64": ("aarch64", 8)}
GOROOT = None  # set by --goroot / --fetch-go


def norm(name):
    return re.sub(r"\s+", "", name or "")


def go_env(wd, goarch):
    env = dict(os.environ)
    env.update({
        "GOARCH": goarch, "GOOS": "linux", "CGO_ENABLED": "0", "GO111MODULE": "on",
        "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOPROXY": "off",
        "GOCACHE": os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"),
        "GOPATH": os.path.join(wd, "gopath"),
    })
    if GOROOT:
        env["GOROOT"] = GOROOT
    return env



fetch_go = C.fetch_go


def copy_fixture(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("zz_padscan_check.go"))


# --------------------------------------------------------------------------
def compare_dump(truth, structs, mm):
    """Compare the runtime dump with padscan's entries. -> (#structs, #fields)."""
    by = {}
    for s in structs:
        by.setdefault(s.get("name"), s)
        by.setdefault(norm(s.get("name")), s)
    ns = nf = 0
    for t in truth["structs"]:
        name = t["name"]
        e = by.get(name) or by.get(norm(name))
        if e is None:
            mm.add(name, None, "present in padscan output", "present", "missing")
            continue
        ns += 1
        for key, what in (("size", "size"), ("align", "align"),
                          ("pointer_bytes", "pointer_bytes (runtime ptrdata)")):
            if t[key] != e.get(key):
                mm.add(name, None, what, t[key], e.get(key))
        mem = e.get("members") or []
        if len(mem) != len(t["fields"]):
            mm.add(name, None, "number of members", len(t["fields"]), len(mem))
        for i, f in enumerate(t["fields"]):
            nf += 1
            m = mem[i] if i < len(mem) else None
            if m is None or m.get("name") != f["name"]:
                # fall back to lookup by name
                m2 = [x for x in mem if x.get("name") == f["name"] and f["name"] != "_"]
                if m is None or not m2:
                    mm.add(name, f["name"], "member #%d name" % i, f["name"],
                           m.get("name") if m else "missing")
                    if not m2:
                        continue
                m = m2[0]
            if m.get("offset") != f["offset"]:
                mm.add(name, f["name"], "offset", f["offset"], m.get("offset"))
            if m.get("size") != f["size"]:
                mm.add(name, f["name"], "size", f["size"], m.get("size"))
            if bool(m.get("embedded")) != bool(f["embedded"]):
                mm.add(name, f["name"], "embedded", f["embedded"], m.get("embedded"))
    return ns, nf


# --------------------------------------------------------------------------
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def go_type_expr(name):
    """'main.Foo' -> 'Foo'; 'main.Pair[int,string]' -> same w/o 'main.'."""
    if not name or not name.startswith("main."):
        return None
    rest = name[len("main."):]
    if "shape" in rest or " " in rest or "\u00b7" in rest or "." in rest.split("[")[0]:
        return None
    if not re.match(r"^%s(\[[^\]]*\])?$" % IDENT, rest):
        return None
    if "[" in rest:
        args = rest[rest.index("[") + 1:-1]
        # type arguments must be spelled in Go syntax: main.X inside -> X
        args = re.sub(r"\bmain\.", "", args)
        if "/" in args or "." in args:
            return None  # would need imports; skip
        rest = rest[:rest.index("[")] + "[" + args + "]"
    return rest


class GoCheck:
    def __init__(self, cid, struct, member, what, expected, expr):
        self.id, self.struct, self.member, self.what = cid, struct, member, what
        self.expected, self.expr = expected, expr


def plan_go(structs, mm):
    checks = []
    decls = []
    nstruct = nmem = 0
    skipped = []
    for s in structs:
        texpr = go_type_expr(s.get("name"))
        if texpr is None:
            if (s.get("name") or "").startswith("main."):
                skipped.append(s.get("name"))
            continue
        nstruct += 1
        v = "psx%d" % len(decls)
        decls.append("var %s %s" % (v, texpr))

        def add(member, what, exp, expr):
            checks.append(GoCheck(len(checks) + 1, s.get("name"), member, what, exp, expr))
        add(None, "size", s.get("size"), "unsafe.Sizeof(%s)" % v)
        add(None, "align", s.get("align"), "unsafe.Alignof(%s)" % v)
        for m in s.get("members") or []:
            n = m.get("name") or ""
            if not n or n == "_" or not re.match("^%s$" % IDENT, n):
                continue
            nmem += 1
            add(n, "offset", m.get("offset"), "unsafe.Offsetof(%s.%s)" % (v, n))
            add(n, "size", m.get("size"), "unsafe.Sizeof(%s.%s)" % (v, n))
    if skipped:
        mm.note("main.* entries not expressible in Go source (skipped): %s" % ", ".join(skipped))
    return decls, checks, nstruct, nmem


def write_go_checker(path, decls, checks, with_asserts):
    out = ["// Code generated by check_go.py. DO NOT EDIT.", "", "package main", "",
           "import (", '\t"os"', '\t"unsafe"', ")", ""]
    out += decls
    out.append("")
    linemap = {}
    if with_asserts:
        for c in checks:
            exp = c.expected if isinstance(c.expected, int) and c.expected >= 0 else 1 << 40
            linemap[len(out) + 1] = c.id
            out.append("var _ [%s - %d]byte // PSCHK %d" % (c.expr, exp, c.id))
            linemap[len(out) + 1] = c.id
            out.append("var _ [%d - %s]byte // PSCHK %d" % (exp, c.expr, c.id))
    out.append("")
    out.append("// the compiler's own values, read back from the binary's symbol table")
    out.append("var psVals = [...]uintptr{0x5053564c, %s}" % ", ".join(c.expr for c in checks))
    out.append("")
    out.append("func init() {\n\tif len(os.Args) > 1 && os.Args[1] == \"psvals\" {\n"
               "\t\tfor _, v := range psVals {\n\t\t\tprintln(v)\n\t\t}\n\t}\n}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return linemap


def read_psvals(binary, n, ptr):
    elf = C.Elf(binary)
    raw = elf.symbol_bytes("main.psVals")
    fmt = "<%d%s" % (n + 1, "Q" if ptr == 8 else "I")
    vals = struct.unpack(fmt, raw[:(n + 1) * ptr])
    if vals[0] != 0x5053564c:
        raise RuntimeError("main.psVals marker not found")
    return vals[1:]


GO_ERR = re.compile(r"^(?:\./)?zz_padscan_check\.go:(\d+):(?:\d+:)?\s*(.*)$")


def compile_time_checks(args, wd, goarch, structs, mm):
    ptr = ARCH[goarch][1]
    decls, checks, nstruct, nmem = plan_go(structs, mm)
    src = os.path.join(wd, "src_check_" + goarch)
    copy_fixture(args.fixture, src)
    gen = os.path.join(src, "zz_padscan_check.go")
    env = go_env(wd, goarch)
    out = os.path.join(wd, "checker_" + goarch)
    linemap = write_go_checker(gen, decls, checks, True)
    r = C.run([args.go, "build", "-gcflags=-e", "-o", out, "."], cwd=src, env=env)
    failed = {}
    if r.returncode != 0:
        for line in (r.stdout + r.stderr).splitlines():
            m = GO_ERR.match(line.strip())
            if not m:
                continue
            cid = linemap.get(int(m.group(1)))
            if cid is None:
                continue
            failed.setdefault(cid, m.group(2))
        if not failed:
            C.log("ERROR: generated Go checker does not compile for other reasons:\n"
                  + r.stderr[-3000:])
            return None
        write_go_checker(gen, decls, checks, False)
        r2 = C.run([args.go, "build", "-o", out, "."], cwd=src, env=env)
        if r2.returncode != 0:
            C.log("ERROR: Go checker without assertions does not compile:\n" + r2.stderr[-3000:])
            return None
    try:
        vals = read_psvals(out, len(checks), ptr)
    except Exception as e:  # noqa: BLE001
        vals = None
        mm.note("could not read compiler values back from the checker binary: %s" % e)
    for c in checks:
        truth = vals[c.id - 1] if vals else "?"
        if c.id in failed:
            mm.add(c.struct, c.member, "%s (compile-time assertion)" % c.what, truth, c.expected)
        elif vals and truth != c.expected:
            # assertion compiled yet value differs: should be impossible
            mm.add(c.struct, c.member, "%s (read back)" % c.what, truth, c.expected)
    return nstruct, nmem, len(checks)


# --------------------------------------------------------------------------
def check_arch(args, goarch, wd):
    cfg = "%s" % goarch
    mm = Mismatches("go " + cfg)
    arch_name, ptr = ARCH[goarch]
    src = os.path.join(wd, "src_" + goarch)
    copy_fixture(args.fixture, src)
    binary = os.path.join(wd, "fixture_" + goarch)
    r = C.run([args.go, "build", "-o", binary, "."], cwd=src, env=go_env(wd, goarch))
    if r.returncode != 0:
        C.log("ERROR: go build failed for %s:\n%s" % (goarch, r.stderr))
        return 2, mm, None
    try:
        jpath = args.json.replace("{arch}", goarch) if args.json else None
        doc = C.load_padscan_json(args.padscan, [binary], jpath)
    except FileNotFoundError as e:
        C.log("SKIP: %s" % e)
        return C.SKIP_RC, mm, None
    except RuntimeError as e:
        mm.add("<padscan>", None, "run", "success", str(e)[:800])
        return 1, mm, (0, 0)
    b = C.pick_binary(doc, binary)
    structs = b.get("structs") or []
    if b.get("arch") != arch_name:
        mm.add("<binary>", None, "arch", arch_name, b.get("arch"))
    if b.get("ptr_size") != ptr:
        mm.add("<binary>", None, "ptr_size", ptr, b.get("ptr_size"))
    if b.get("lang") not in (None, "go"):
        mm.add("<binary>", None, "lang", "go", b.get("lang"))
    if args.goversion and not args.json and b.get("go_version") != args.goversion:
        mm.add("<binary>", None, "go_version", args.goversion, b.get("go_version"))

    # runtime truth
    ns = nf = 0
    pr, how = C.try_execute(binary, ["dump"])
    if pr is None:
        mm.note("dump not run: cannot execute %s binary here (%s); compile-time "
                "checks only, pointer_bytes unchecked" % (goarch, how))
    elif pr.returncode != 0:
        mm.add("<fixture dump>", None, "exit status", 0, "%d: %s" % (pr.returncode, pr.stderr[:300]))
    else:
        truth = json.loads(pr.stdout)
        if truth.get("ptr_size") != ptr:
            mm.add("<fixture dump>", None, "ptr_size", ptr, truth.get("ptr_size"))
        ns, nf = compare_dump(truth, structs, mm)
        C.log("[go %s] dump via %s: %d structs, %d fields compared" % (goarch, how, ns, nf))

    ct = compile_time_checks(args, wd, goarch, structs, mm)
    if ct is None:
        return 2, mm, None
    cs, cm, nchecks = ct
    C.log("[go %s] compile-time: %d main.* structs, %d members, %d assertions" % (
        goarch, cs, cm, nchecks))
    self_consistency(structs, mm)
    return (1 if mm.items else 0), mm, (max(ns, cs), max(nf, cm))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--json", help="use this padscan JSON instead (may contain {arch})")
    ap.add_argument("--goarch", action="append", help="amd64, 386, arm64 (repeatable)")
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--goroot", help="use DIR/bin/go with GOROOT=DIR (e.g. from fetch_go.sh)")
    ap.add_argument("--fetch-go", metavar="VERSION",
                    help="run fetch_go.sh VERSION (1.NN or 1.NN+) and use that GOROOT; "
                         "exit 77 (skip) when it is not available")
    ap.add_argument("--go-dest", metavar="DIR", help="fetch_go.sh --dest DIR")
    ap.add_argument("--fixture", default=DEFAULT_FIXTURE)
    ap.add_argument("--workdir")
    ap.add_argument("--extra", action="append", default=[],
                    help="extra Go binary with a `dump` mode to compare (optional)")
    args = ap.parse_args()
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_go"))
    os.makedirs(wd, exist_ok=True)
    global GOROOT
    if args.fetch_go:
        rc, root = fetch_go(args.fetch_go, args.go_dest)
        if rc == C.SKIP_RC:
            C.log("SKIP: Go %s is not available (fetch_go.sh exit 77)" % args.fetch_go)
            return rc
        if root is None:
            C.log("ERROR: fetch_go.sh %s failed (rc=%d)" % (args.fetch_go, rc))
            return 2
        args.goroot = root
    if args.goroot:
        GOROOT = os.path.realpath(args.goroot)
        args.go = os.path.join(GOROOT, "bin", "go")
        if not os.access(args.go, os.X_OK):
            C.log("ERROR: --goroot %s: no executable bin/go" % args.goroot)
            return 2
    gv = C.run([args.go, "env", "GOVERSION"], env=go_env(wd, "amd64"))
    args.goversion = gv.stdout.strip() if gv.returncode == 0 else None
    if args.goversion:
        C.log("toolchain: %s (%s)" % (args.goversion, args.go))
    else:
        C.log("ERROR: `%s env GOVERSION` failed: %s" % (args.go, gv.stderr.strip()[:500]))
        return 2
    rc_all = 0
    for goarch in args.goarch or ["amd64", "386", "arm64"]:
        if goarch not in ARCH:
            C.log("ERROR: unsupported GOARCH %s" % goarch)
            return 2
        rc, mm, counts = check_arch(args, goarch, wd)
        if rc == C.SKIP_RC:
            return rc
        if counts is None:
            rc_all = max(rc_all, 2)
            C.log("check_go %s: harness error" % goarch)
            continue
        C.log("check_go %s: %d structs, %d members checked, %d mismatches" % (
            goarch, counts[0], counts[1], len(mm.items)))
        rc_all = max(rc_all, rc)
    for extra in args.extra:
        mm = Mismatches("go extra " + os.path.basename(extra))
        pr, how = C.try_execute(extra, ["dump"])
        if pr is None or pr.returncode != 0:
            mm.note("extra binary %s: dump failed (%s)" % (extra, how if pr is None else pr.stderr[:200]))
            continue
        doc = C.load_padscan_json(args.padscan, [extra])
        ns, nf = compare_dump(json.loads(pr.stdout), C.pick_binary(doc, extra).get("structs") or [], mm)
        C.log("check_go extra %s: %d structs, %d members checked, %d mismatches" % (
            os.path.basename(extra), ns, nf, len(mm.items)))
        rc_all = max(rc_all, 1 if mm.items else 0)
    return rc_all


if __name__ == "__main__":
    sys.exit(main())
