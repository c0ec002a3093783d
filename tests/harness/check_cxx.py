#!/usr/bin/env python3
"""C++ records: padscan's layouts must equal the C++ compiler's.

Compiles tests/fixtures/cxx/classes.cc with g++ or clang++ (DWARF 4 or 5),
reads it with padscan, then generates a checker program from padscan's own
record list: for every record of the fixture it prints sizeof and alignof,
the offset of every named data member and of every base class subobject
(static_cast from a real object, so that virtual bases are where the running
program finds them).  Every number padscan gives must equal the checker's.
Beyond the compiler's numbers: no record of the fixture is dropped (classes
in namespaces, nested and template classes), none is flagged packed, member
bytes never overlap (tail-padding reuse, empty bases), and the records the
ABI orders (bases with data, virtual functions, virtual bases, mixed access)
are kept by suggest with the reason while standard-layout ones are offered.
"""

import argparse
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import log, run  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "cxx")

# Records the fixture defines (as padscan names them) and whether suggest
# may reorder them (None: kept, with a reason naming this word).
EXPECTED = {
    "game::Vec3": "offered", "game::Player": "offered",
    "game::Account": "mixed access", "game::inner::Item": "offered",
    "game::Outer": "offered", "game::Outer::Inner": "offered",
    "game::Pair<int, char>": "offered", "game::Pair<char, double>": "offered",
    "(anonymous namespace)::Hidden": "offered", "Base": "offered",
    "Derived": "derives", "WithEmptyBase": "offered", "NoUnique": "offered",
    "Poly": "virtual functions", "PolyDerived": "derives",
    "VBase": "offered", "Left": "virtual bases", "Right": "virtual bases",
    "Diamond": "virtual bases", "MultiA": "fewer than two", "MultiB": "fewer than two",
    "Multi": "derives", "WithStatic": "offered",
}

failures = []


def check(cond, what):
    if not cond:
        log("MISMATCH " + what)
        failures.append(what)


def cxx_spelling(name):
    return name.replace("(anonymous namespace)::", "")


def checker_source(records):
    lines = ['#include <cstdio>', '#include <cstddef>', '#define private public',
             '#define protected public', '#include "classes.h"', '#undef private',
             '#undef protected', 'int main() {']
    for k, s in enumerate(records):
        t = cxx_spelling(s["name"])
        lines.append("  { static %s o%d;" % (t, k))
        lines.append('    std::printf("%%s\\tsize\\t%%zu\\n", "%s", sizeof(%s));' % (s["name"], t))
        lines.append('    std::printf("%%s\\talign\\t%%zu\\n", "%s", alignof(%s));' % (s["name"], t))
        for m in s["members"]:
            if m.get("base"):
                b = cxx_spelling(m["record"])
                expr = "(char *)static_cast<%s *>(&o%d) - (char *)&o%d" % (b, k, k)
                key = "base " + m["record"]
            elif m["name"] and not m["name"].startswith("_vptr") and not m["bit_size"]:
                expr = "(char *)&o%d.%s - (char *)&o%d" % (k, m["name"], k)
                key = m["name"]
            else:
                continue
            lines.append('    std::printf("%%s\\t%s\\t%%td\\n", "%s", %s);' % (key, s["name"], expr))
        lines.append("  }")
    lines.append("  return 0;\n}")
    return "\n".join(lines) + "\n"


def compiler_truth(cxx, workdir, records):
    src = os.path.join(workdir, "checker.cc")
    with open(src, "w") as f:
        f.write(checker_source(records))
    exe = os.path.join(workdir, "checker")
    p = run([cxx, "-std=c++20", "-w", "-I", FIXTURE, src, "-o", exe])
    if p.returncode:
        raise RuntimeError("checker does not compile:\n" + p.stderr[-3000:])
    out = run([exe], check=True).stdout
    truth = {}
    for line in out.splitlines():
        name, key, value = line.split("\t")
        truth[(name, key)] = int(value)
    return truth


def overlapping(s):
    spans = sorted((m["offset"], m["offset"] + m["size"], m["name"] or m.get("record", ""))
                   for m in s["members"] if not m["bit_size"] and m["size"])
    return [(a, b) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--compiler", required=True)
    ap.add_argument("--dwarf", default="5")
    ap.add_argument("--opt", default="O0")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    cxx = shutil.which(args.compiler)
    if not cxx:
        log("FAIL: %s not found (scripts/install-deps.sh installs g++ and clang)" % args.compiler)
        return 1
    os.makedirs(args.workdir, exist_ok=True)
    tag = "%s dwarf%s %s" % (args.compiler, args.dwarf, args.opt)
    binary = os.path.join(args.workdir, "classes")
    run([cxx, "-std=c++20", "-g", "-gdwarf-" + args.dwarf, "-" + args.opt, "-I", FIXTURE,
         os.path.join(FIXTURE, "classes.cc"), "-o", binary], check=True)
    p = run([args.padscan, "analyze", "--format", "json", binary])
    if p.returncode:
        log("FAIL [%s] padscan analyze: %s" % (tag, p.stderr.strip()))
        return 1
    structs = [s for s in json.loads(p.stdout)["binaries"][0]["structs"]
               if s.get("decl_file", "").endswith("classes.h")]
    by_name = {s["name"]: s for s in structs}
    for name in EXPECTED:
        check(name in by_name, "[%s] %s is missing from padscan's records" % (tag, name))
    records = [s for s in structs if s["name"] in EXPECTED]
    truth = compiler_truth(cxx, args.workdir, records)
    checked = 0
    for s in records:
        n = s["name"]
        check(s["size"] == truth[(n, "size")], "[%s] %s: size %d, compiler %d" %
              (tag, n, s["size"], truth[(n, "size")]))
        check(s["align"] == truth[(n, "align")], "[%s] %s: align %d, compiler %d" %
              (tag, n, s["align"], truth[(n, "align")]))
        check(not s["packed"], "[%s] %s: flagged packed" % (tag, n))
        check(not overlapping(s), "[%s] %s: members overlap: %s" % (tag, n, overlapping(s)))
        for m in s["members"]:
            key = "base " + m["record"] if m.get("base") else m["name"]
            if (n, key) in truth:
                checked += 1
                check(m["offset"] == truth[(n, key)], "[%s] %s.%s: offset %d, compiler %d" %
                      (tag, n, key, m["offset"], truth[(n, key)]))
        bases = [m["record"] for m in s["members"] if m.get("base")]
        for (tn, key), _ in truth.items():
            if tn == n and key.startswith("base "):
                check(key[5:] in bases, "[%s] %s: base %s missing" % (tag, n, key[5:]))
    # suggest: standard-layout records offered, the others kept with a reason
    p = run([args.padscan, "suggest", "--all", "--format", "json", binary])
    doc = json.loads(p.stdout)
    suggestions = {g["name"]: g for b in doc["binaries"] for g in b["suggestions"]}
    for name, want in EXPECTED.items():
        g = suggestions.get(name)
        if g is None:
            check(False, "[%s] suggest --all does not list %s" % (tag, name))
            continue
        reason = g.get("kept") or ""
        if want == "offered":
            check(not reason, "[%s] %s kept: %s" % (tag, name, reason))
        else:
            check(want in reason, "[%s] %s: keep reason %r lacks %r" % (tag, name, reason, want))
    # --format c: C++ classes come as comments, so the output still compiles as C
    p = run([args.padscan, "suggest", "--all", "--format", "c", binary])
    out_c = os.path.join(args.workdir, "suggest.c")
    with open(out_c, "w") as f:
        f.write(p.stdout)
    cc = run(["gcc", "-std=c11", "-c", "-x", "c", out_c, "-o", out_c + ".o"])
    check(p.returncode == 0 and cc.returncode == 0,
          "[%s] suggest --format c does not compile as C: %s" % (tag, cc.stderr[-500:]))
    check("C++ game::Player" in p.stdout, "[%s] suggest --format c: no note for game::Player" % tag)
    log("check_cxx %s: %d records, %d offsets checked, %d mismatches" %
        (tag, len(records), checked, len(failures)))
    return 1 if failures or checked < 40 else 0


if __name__ == "__main__":
    sys.exit(main())
