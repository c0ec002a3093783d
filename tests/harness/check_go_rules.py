#!/usr/bin/env python3
"""check_go_rules.py - Go's alignment/pointer rules vs the runtime type descriptors.

padscan takes a Go struct's alignment and pointer bytes (ptrdata) from the
compiler's runtime type descriptors (DW_AT_go_runtime_type) and falls back to
numbers computed from Go's rules (`padscan analyze --go-rules-only` uses only
the rules).  For tests/fixtures/go built for amd64, 386 and arm64 (plus the Go
sample services in --samples DIR, default build/samples, when present) this
harness runs padscan both ways and requires:

  * "go_runtime_types" > 0 in the normal mode (the descriptors were used) and
    equal sets of struct names in both modes;
  * equal size, align and pointer_bytes for every struct, and equal member
    align / pointer_bytes for every member.

The one expected difference: structs of package runtime (and internal/*) that
hold pointers to `go:notinheap` types -- those are not GC pointers, which only
the descriptors know, so the rules-only pointer_bytes is LARGER.  A difference
is allowed only if the struct name starts with "runtime." or "internal/" AND
rules pointer_bytes > descriptor pointer_bytes; anything else fails.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_c import Mismatches  # noqa: E402
from check_go import go_env, copy_fixture, ARCH  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = os.path.normpath(os.path.join(HERE, "..", "fixtures", "go"))
DEFAULT_SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "build", "samples"))
NOTINHEAP_PREFIXES = ("runtime.", "internal/")


def analyze(padscan, path, extra):
    cmd = [padscan, "analyze", "--format", "json", "--all-types", "--sort", "none"] + extra + [path]
    p = C.run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (rc=%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                               p.stderr[-2000:]))
    doc = json.loads(p.stdout)
    return C.pick_binary(doc, path)


def keyed(structs):
    """name -> list of entries (same-named records kept apart by order)."""
    out = {}
    for s in structs:
        out.setdefault(s.get("name"), []).append(s)
    return out


def in_runtime_package(name):
    """runtime.* / internal/* types, and literal struct types declared in package
    runtime (every field name qualified: 'struct { runtime.lock runtime.mutex; ... }')."""
    name = name or ""
    if name.startswith(NOTINHEAP_PREFIXES):
        return True
    if name.startswith("struct {") and name.endswith("}"):
        fields = [f.strip() for f in name[len("struct {"):-1].split(";") if f.strip()]
        return bool(fields) and all(f.split()[0].startswith(NOTINHEAP_PREFIXES) for f in fields)
    return False


def allowed_ptr_diff(name, rules, desc):
    return in_runtime_package(name) and isinstance(rules, int) \
        and isinstance(desc, int) and rules > desc


def compare(label, padscan, path, mm):
    """-> (#structs compared, #allowed notinheap differences)."""
    desc = analyze(padscan, path, [])
    rules = analyze(padscan, path, ["--go-rules-only"])
    if desc.get("lang") != "go":
        mm.note("%s is not a Go binary (lang %r), skipped" % (path, desc.get("lang")))
        return 0, 0, None
    n, allowed = compare_entries(label, desc, rules, mm)
    return n, allowed, (desc, rules)


def compare_entries(label, desc, rules, mm, quiet=False):
    nrt = desc.get("go_runtime_types")
    if not isinstance(nrt, int) or nrt <= 0:
        mm.add("<binary %s>" % label, None, "go_runtime_types (descriptors used)", "> 0", nrt)
    d_by, r_by = keyed(desc.get("structs") or []), keyed(rules.get("structs") or [])
    for n in sorted(set(d_by) - set(r_by), key=str):
        mm.add(n, None, "present with --go-rules-only", "present", "missing")
    for n in sorted(set(r_by) - set(d_by), key=str):
        mm.add(n, None, "present without --go-rules-only", "present", "missing")
    ncmp = nallowed = 0
    what = "(descriptors vs --go-rules-only)"
    for name in sorted(set(d_by) & set(r_by), key=str):
        dl, rl = d_by[name], r_by[name]
        if len(dl) != len(rl):
            mm.add(name, None, "number of records with this name", len(dl), len(rl))
        for d, r in zip(dl, rl):
            ncmp += 1
            if d.get("size") != r.get("size"):
                mm.add(name, None, "size " + what, d.get("size"), r.get("size"))
            if d.get("align") != r.get("align"):
                mm.add(name, None, "align " + what, d.get("align"), r.get("align"))
            dp, rp = d.get("pointer_bytes"), r.get("pointer_bytes")
            if dp != rp:
                if allowed_ptr_diff(name, rp, dp):
                    nallowed += 1
                    if not quiet:
                        C.log("  allowed [%s] %s: pointer_bytes descriptors %s < rules %s "
                              "(go:notinheap pointers)" % (label, name, dp, rp))
                else:
                    mm.add(name, None, "pointer_bytes " + what, dp, rp)
            dm, rm = d.get("members") or [], r.get("members") or []
            if len(dm) != len(rm):
                mm.add(name, None, "number of members " + what, len(dm), len(rm))
                continue
            for a, b in zip(dm, rm):
                mn = a.get("name")
                for k in ("offset", "size", "align"):
                    if a.get(k) != b.get(k):
                        mm.add(name, mn, "member %s %s" % (k, what), a.get(k), b.get(k))
                ap_, bp_ = a.get("pointer_bytes"), b.get("pointer_bytes")
                if ap_ != bp_ and not allowed_ptr_diff(name, bp_, ap_):
                    mm.add(name, mn, "member pointer_bytes " + what, ap_, bp_)
    return ncmp, nallowed


def self_test(desc, rules):
    """Plant differences in copies of real results; each must be reported."""
    import copy
    bad = 0
    base_mm = Mismatches("self-test baseline")
    compare_entries("self-test", desc, rules, base_mm, quiet=True)
    base = len(base_mm.items)

    def first(pred):
        for i, s in enumerate(rules.get("structs") or []):
            if pred(s):
                return i
        return None
    plants = []
    i = first(lambda s: (s.get("name") or "").startswith("main.") and s.get("align", 0) > 1)
    if i is not None:
        plants.append(("main.* align", i, lambda s: s.__setitem__("align", s["align"] // 2)))
    i = first(lambda s: (s.get("name") or "").startswith("main.") and s.get("pointer_bytes"))
    if i is not None:
        plants.append(("main.* pointer_bytes larger in rules", i,
                       lambda s: s.__setitem__("pointer_bytes", s["pointer_bytes"] + 4)))
    i = first(lambda s: (s.get("name") or "").startswith("runtime.") and s.get("pointer_bytes"))
    if i is not None:
        plants.append(("runtime.* pointer_bytes SMALLER in rules", i,
                       lambda s: s.__setitem__("pointer_bytes", 0)))
    plants.append(("go_runtime_types == 0", None, None))
    for desc_txt, idx, fn in plants:
        d2, r2 = copy.deepcopy(desc), copy.deepcopy(rules)
        if idx is None:
            d2["go_runtime_types"] = 0
        else:
            fn(r2["structs"][idx])
        mm = Mismatches("self-test")
        saved = C.log
        C.log = lambda msg: None   # keep the planted mismatches out of the log
        try:
            compare_entries("self-test", d2, r2, mm, quiet=True)
        finally:
            C.log = saved
        if len(mm.items) <= base:
            C.log("FAIL [self-test] planted '%s' was NOT reported" % desc_txt)
            bad += 1
        else:
            C.log("[self-test] planted '%s' reported: %s" % (desc_txt, mm.items[-1][:3]))
    return bad


def build_fixture(args, wd, goarch):
    src = os.path.join(wd, "src_" + goarch)
    copy_fixture(args.fixture, src)
    out = os.path.join(wd, "fixture_" + goarch)
    r = C.run([args.go, "build", "-o", out, "."], cwd=src, env=go_env(wd, goarch))
    if r.returncode != 0:
        raise RuntimeError("go build failed for %s:\n%s" % (goarch, r.stderr))
    return out


def sample_binaries(d):
    out = []
    for sub in ("", "386"):
        dd = os.path.join(d, sub) if sub else d
        if not os.path.isdir(dd):
            continue
        for f in sorted(os.listdir(dd)):
            p = os.path.join(dd, f)
            if os.path.isfile(p) and C.elf_machine(p):   # C samples are skipped later
                out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--goarch", action="append", help="amd64, 386, arm64 (repeatable)")
    ap.add_argument("--fixture", default=DEFAULT_FIXTURE)
    ap.add_argument("--samples", default=DEFAULT_SAMPLES,
                    help="directory of built sample services (optional; used if present)")
    ap.add_argument("--workdir")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % (args.padscan,))
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_go_rules"))
    os.makedirs(wd, exist_ok=True)
    targets = []
    try:
        for goarch in args.goarch or ["amd64", "386", "arm64"]:
            if goarch not in ARCH:
                C.log("ERROR: unsupported GOARCH %s" % goarch)
                return 2
            targets.append(("fixture " + goarch, build_fixture(args, wd, goarch)))
    except RuntimeError as e:
        C.log("ERROR: %s" % e)
        return 2
    if args.samples and os.path.isdir(args.samples):
        for p in sample_binaries(args.samples):
            targets.append(("sample " + os.path.relpath(p, args.samples), p))
    else:
        C.log("note: no sample services at %s (optional; scripts/build-samples.sh)" % args.samples)
    total = 0
    rc = 0
    tested_self = False
    for label, path in targets:
        mm = Mismatches("go rules " + label)
        try:
            n, allowed, pair = compare(label, args.padscan, path, mm)
        except (RuntimeError, ValueError) as e:
            mm.add("<padscan>", None, "run on %s" % path, "success", str(e)[:800])
            n, allowed, pair = 0, 0, None
        if pair and not tested_self:
            tested_self = True
            if self_test(*pair):
                total += 1
                rc = 1
        C.log("check_go_rules %s: %d structs compared, %d allowed go:notinheap differences, "
              "%d mismatches" % (label, n, allowed, len(mm.items)))
        total += len(mm.items)
        if mm.items:
            rc = 1
    C.log("check_go_rules: %d binaries, %d mismatches" % (len(targets), total))
    return rc


if __name__ == "__main__":
    sys.exit(main())
