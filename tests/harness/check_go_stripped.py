#!/usr/bin/env python3
"""Go binaries without DWARF (-ldflags="-s -w"): padscan reads their layouts
from the runtime type descriptors, and every type it finds must agree
exactly with the DWARF-based record of the same program built with DWARF:
name, size, alignment, pointer bytes, and every field's name, offset, size
and type spelling.  The fixture is tests/fixtures/go (generics, embedded
fields, arrays of structs, maps, chans, funcs, atomics); GOARCH and the Go
toolchain are the test's parameters.  Go 1.19-1.26 list the types in
.typelink/.itablink; Go 1.27+ have neither and keep them in .go.type, listed
by the module data in .go.module: both must be read.  A binary with neither
(no type data padscan can find) must be refused with one clear line, never
read as an empty or wrong result.
"""

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import go_fixture_setup, log, run  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "go")


def records(padscan, binary):
    p = run([padscan, "analyze", "--format", "json", "--all-types", binary])
    if p.returncode:
        return None, p
    b = json.loads(p.stdout)["binaries"][0]
    return b, p


def shape(s):
    return (s["size"], s["align"], s.get("pointer_bytes"),
            [(m["name"], m["offset"], m["size"], m["type"], m.get("embedded", False))
             for m in s["members"]])


def refused(pb):
    """One padscan: line on stderr, exit 2, nothing on stdout."""
    lines = [l for l in pb.stderr.splitlines() if l.startswith("padscan:")]
    return pb.returncode == 2 and len(lines) == 1 and len(pb.stderr.splitlines()) == 1 and not pb.stdout


def section(binary, name):
    """(file offset, size) of a section, from readelf."""
    for line in run(["readelf", "-S", "-W", binary], check=True).stdout.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 5 and f[1] == name:
            return int(f[4], 16), int(f[5], 16)
    return None


def damaged_module(padscan, stripped, workdir, tag, wsize):
    """Go 1.27+: the module data is the one way to the types.  Without
    .go.module, or with its words pointing elsewhere, the binary is refused
    with one line, never read as an empty or partial result."""
    bad = 0
    off, size = section(stripped, ".go.module")
    data = open(stripped, "rb").read()
    stroff, strsize = section(stripped, ".shstrtab")
    at = data.index(b".go.module\0", stroff, stroff + strsize)
    cases = [("no .go.module (section renamed)", at, b".go.nomodu")]
    for what, word, value in (("pcHeader elsewhere", 0, 8), ("typedesclen past etypes", 38, 1 << 30),
                              ("typedesclen cut one word short", 38, -wsize),
                              ("itabsize past etypes", 41, 1 << 30), ("types elsewhere", 37, 16)):
        at = off + word * wsize
        old = int.from_bytes(data[at:at + wsize], "little")
        new = (old + value) % (1 << (8 * wsize)) if value < 0 or word in (0, 37) else value
        cases.append((what, at, new.to_bytes(wsize, "little")))
    for what, at, raw in cases:
        path = os.path.join(workdir, "damaged")
        open(path, "wb").write(data[:at] + raw + data[at + len(raw):])
        pb = run([padscan, "analyze", "--format", "json", "--all-types", path])
        ok = refused(pb)
        bad += not ok
        log("%s [%s] %s: %s" % ("ok" if ok else "FAIL", tag, what,
                                pb.stderr.strip() or "exit %d, %d bytes of output" %
                                (pb.returncode, len(pb.stdout))))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--fetch-go", help="a Go version spec for fetch_go.sh instead of --go")
    ap.add_argument("--go-dest")
    ap.add_argument("--goarch", default="amd64")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    setup = go_fixture_setup(args.go, args.fetch_go, args.go_dest, args.workdir, args.goarch, FIXTURE)
    if setup is None:
        return 1
    go, env, tag, src = setup
    full = os.path.join(args.workdir, "full")
    stripped = os.path.join(args.workdir, "stripped")
    run([go, "build", "-o", full, "."], cwd=src, env=env, check=True)
    run([go, "build", "-ldflags=-s -w", "-o", stripped, "."], cwd=src, env=env, check=True)
    names = run(["readelf", "-S", "-W", stripped], check=True).stdout
    check_debug = ".debug_info" not in names and ".zdebug_info" not in names
    if not check_debug:
        log("FAIL [%s] the -s -w build still has DWARF" % tag)
        return 1
    a, pa = records(args.padscan, full)
    b, pb = records(args.padscan, stripped)
    if ".typelink" not in names and (".go.module" not in names or ".go.type" not in names):
        ok = refused(pb) and ".typelink" in pb.stderr
        log("%s [%s] no .typelink or .go.module: refused with one line: %s" %
            ("ok" if ok else "FAIL", tag, pb.stderr.strip()))
        return 0 if ok else 1
    if a is None or b is None:
        log("FAIL [%s] padscan: %s" % (tag, (pa if a is None else pb).stderr.strip()))
        return 1
    bad = 0
    if b.get("layout_source") != "go_runtime_types" or a.get("layout_source") != "dwarf":
        log("FAIL [%s] layout_source %r / %r" % (tag, a.get("layout_source"), b.get("layout_source")))
        bad += 1
    da = {s["name"]: s for s in a["structs"]}
    db = {s["name"]: s for s in b["structs"]}
    common = sorted(set(da) & set(db))
    for n in common:
        if shape(da[n]) != shape(db[n]):
            bad += 1
            log("MISMATCH [%s] %s:\n  dwarf   %s\n  runtime %s" % (tag, n, shape(da[n]), shape(db[n])))
        if db[n].get("decl_line"):
            bad += 1
            log("MISMATCH [%s] %s: a declaration line without DWARF" % (tag, n))
    mains = [n for n in da if n.startswith("main.") and n in db]
    if len(common) < 100 or len(mains) < 3:
        bad += 1
        log("FAIL [%s] too little in common: %d types, %d of package main" %
            (tag, len(common), len(mains)))
    if ".typelink" not in names:
        bad += damaged_module(args.padscan, stripped, args.workdir, tag,
                              8 if args.goarch in ("amd64", "arm64") else 4)
    only = sorted(set(db) - set(da))
    log("check_go_stripped %s: %d types in both, all equal unless said; %d only in the runtime "
        "data (not in DWARF): %s; %d mismatches" % (tag, len(common), len(only), only[:5], bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
