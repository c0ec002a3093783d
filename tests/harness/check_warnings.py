#!/usr/bin/env python3
"""padscan suggest's warnings, where the binary shows the risk: 64-bit
fields that lose their 8-byte alignment on 32-bit Go targets (atomics),
Go's unkeyed literals, and C structs declared in headers.  Layouts come
from the compilers; only the presence of each warning is checked, and each
check can fail (the self-check expects a warning where none may be).
"""

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GO_FIXTURE = os.path.join(HERE, "..", "fixtures", "go")
C_FIXTURE = os.path.join(HERE, "..", "fixtures", "c")


def suggest(padscan, binary, *args):
    p = C.run([padscan, "suggest", "--all", "--format", "json"] + list(args) + [binary])
    if p.returncode != 0:
        raise RuntimeError("padscan failed (%d): %s" % (p.returncode, p.stderr))
    return {s["name"]: s for s in json.loads(p.stdout)["binaries"][0]["suggestions"]}


def go_build(workdir, goarch):
    src = os.path.join(workdir, "src_" + goarch)
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(GO_FIXTURE, src)
    env = dict(os.environ, GOARCH=goarch, GOOS="linux", CGO_ENABLED="0", GOFLAGS="-mod=mod",
               GOPROXY="off", GOCACHE=os.environ.get("PADSCAN_GOCACHE", os.path.join(workdir, "gocache")),
               GOPATH=os.path.join(workdir, "gopath"))
    out = os.path.join(workdir, "fixture_" + goarch)
    p = C.run(["go", "build", "-o", out, "."], cwd=src, env=env)
    if p.returncode != 0:
        raise RuntimeError("go build failed: " + p.stderr)
    return out


def has(warnings, text):
    return any(text in w for w in warnings)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--self-check", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    errors = []
    for goarch, want_atomic in (("386", True), ("amd64", False)):
        g = suggest(a.padscan, go_build(a.workdir, goarch), "--type", "main.*")["main.AtomicMove"]
        new = {m["name"]: m["offset"] for m in g["new_order"]}
        old = {m["name"]: m["offset"] for m in g["old_order"]}
        moved_off_8 = old["N"] % 8 == 0 and new["N"] % 8 != 0
        if want_atomic != moved_off_8 and not a.self_check:
            errors.append("%s: fixture premise broken: N %d -> %d" % (goarch, old["N"], new["N"]))
        expect = want_atomic != a.self_check
        if has(g["warnings"], "64-bit atomic") != expect:
            errors.append("%s main.AtomicMove: atomic warning %s expected; warnings: %s"
                          % (goarch, "a" if expect else "no", g["warnings"]))
        if g["improves"] and not has(g["warnings"], "unkeyed composite literals"):
            errors.append("%s main.AtomicMove: no unkeyed-literal warning: %s" % (goarch, g["warnings"]))
    binary = os.path.join(a.workdir, "c_fixture")
    p = C.run(["gcc", "-g", "-std=gnu11", "-I", C_FIXTURE, "-o", binary, os.path.join(C_FIXTURE, "fixture.c")])
    if p.returncode != 0:
        raise RuntimeError("gcc failed: " + p.stderr)
    c_checked = 0
    for name, s in suggest(a.padscan, binary).items():
        if s["improves"] and s.get("decl_file", "").endswith(".h"):
            c_checked += 1
            if not has(s["warnings"], "declared in a header"):
                errors.append("C %s: no header warning: %s" % (name, s["warnings"]))
    if not c_checked:
        errors.append("C fixture: no improvable struct declared in a header")
    for e in errors:
        print("MISMATCH [warnings] " + e)
    if a.self_check:
        ok = any("atomic warning" in e for e in errors)
        print("check_warnings self-check: planted error %s" % ("caught" if ok else "MISSED"))
        return 0 if ok else 1
    print("check_warnings: 2 Go targets, %d C structs, %d mismatches" % (c_checked, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
