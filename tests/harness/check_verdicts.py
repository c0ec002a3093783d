#!/usr/bin/env python3
"""check_verdicts.py - no vacuous passes, no false failures (issue 11).

Every fixture is compiled at test time; every expected size comes from the
compiler (sizeof of generated structs), every expected name from padscan's
own analyze report of the same binary.

Parts (--part, repeatable; default all; ctest runs one part per test):
  roundtrip  a baseline written from a saved report, checked against the
             binary and against the report: exit 0 (the fixture has a record
             whose waste percentage the report rounds down, so a rounded
             reader fails); `fix:` texts of a check of the binary and of its
             report are identical; a fix whose optimum needs a nested record
             reordered states the size the listed order reaches alone (the
             compiler's sizeof of that order with the nested record as it is),
             names the nested record, and gives the optimum (sizeof with the
             nested record in its own best order).
  typos      a budget rule glob, an ignore entry, a padscan.json "types" entry,
             a "fixed" entry, a hot field and a manifest hot type that match
             nothing: exit 2, one line naming the pattern and the JSON path,
             with "did you mean" the existing name; with "optional": true the
             same entries pass.
  empty      a split-DWARF binary (gcc -gsplit-dwarf) without its .dwo file and
             a clang -gline-tables-only binary: check, diff and fleet exit 2
             with one line saying why (split DWARF / line tables); a report
             saved from such a binary: check exits 2.
  subset     reports saved with --top 1 (of several records) and with --type:
             check and diff exit 2 naming the options; a complete report: 0.
  manifest   misspelled keys (top level, service, hot type): exit 2 with the
             JSON path and a did-you-mean; instances x replicas beyond 2^64 and
             instances x replicas x bytes beyond 2^64: exit 2, nothing on
             stdout; a source without a Go version priced with the Go
             allocator: exit 2 unless the service gives "go_version".
  crossarch  gcc -m64 and -m32 builds of one program (binaries and reports):
             diff exits 2 naming both architectures; with --cross-arch 0.
  vacuous    check, diff and fleet runs that check, compare or price nothing:
             a fleet limit without --fleet (unless "optional"), a limit that
             measures none of its records (max_pointer_bytes on C records,
             every record ignored), must_be_optimal false as the only limit,
             a selection (--type, --exclude, --lang) or optional rules that
             leave no check, diff of two unrelated programs, a fleet whose
             optional entries priced nothing: exit 2 with the reason.
  fleetdup   a manifest listing a hot type twice for a service (by name or
             by a glob matching the same record) and two services of one
             name: exit 2 naming the JSON path of the repeat.
  sync       padscan.json "sync_types" globs that name no member's type
             (analyze, suggest, check): exit 2 with the JSON path and a
             did-you-mean; {"type": ..., "optional": true} allows it.
  inputs     a saved report whose waste contradicts its holes and tail
             padding or exceeds its size (check, diff, fleet) and a baseline
             whose waste exceeds its size: exit 2 naming the JSON path;
             --cacheline and padscan.json "cacheline" other than a power of
             two from 16 to 4096: exit 2; analyze --top's summary says it
             shows the top N of M records.
  rulefix    fix: texts per failed rule: max_cachelines and max_size that no
             order meets say so and what the best order reaches (the
             compiler's sizeof of the reported optimal order); a
             max_shared_sync_lines fix lists an order whose locks the
             compiler places in different cache lines (offsetof), or says no
             order does (16 bytes of locks); binary and report agree.

--self-check: runs the parts against padscan behind a wrapper that plants
one defect at a time (exit 2 turned into 0, the did-you-mean dropped, the
fix: text dropped from checks of reports, a wrong size in fix: texts); exit
0 iff every planted defect is caught.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 gcc missing.
"""

import argparse
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import SKIP_RC, log, run  # noqa: E402

# Members of the fixture's records: (declaration, name).  The harness
# writes the C source from these, so it can also write any reordering.
INNER = [("char a", "a"), ("int64_t b", "b"), ("char c", "c")]
OUTER = [("char x", "x"), ("struct inner in", "in"), ("char y", "y"), ("int32_t z", "z")]
OUTER2 = [("struct inner in", "in"), ("int32_t z", "z"), ("char x", "x")]
# 8 bytes of waste in 24: 33.333...%, which two decimals round down
PCT = [("int32_t p", "p"), ("int64_t q", "q"), ("int32_t r", "r")]
# outer3's order is optimal while inner4 is 12 bytes; with inner4 at 8, only
# another order reaches 24, and that order alone stays at 32: "reorder
# inner4 first: then this order gets to 24 bytes (alone, 32 bytes): ..."
INNER4 = [("char a", "a"), ("int32_t b", "b"), ("char c", "c")]
OUTER3 = [("struct inner4 in", "in"), ("int32_t z", "z"), ("int64_t q", "q"), ("char w", "w")]
RECORDS = [("inner", INNER), ("outer", OUTER), ("outer2", OUTER2), ("pct", PCT),
           ("inner4", INNER4), ("outer3", OUTER3)]


def struct_src(tag, members):
    return "struct %s {\n%s\n};\n" % (tag, "\n".join("    %s;" % d for d, _ in members))


def fixture_src():
    src = "#include <stdint.h>\n"
    for tag, members in RECORDS:
        src += struct_src(tag, members)
    src += "".join("struct %s g_%s;\n" % (t, t) for t, _ in RECORDS)
    return src + "int main(void) { return 0; }\n"


class Ctx:
    def __init__(self, padscan, workdir):
        self.padscan = padscan
        self.dir = workdir
        self.bad = 0
        self.checked = 0

    def true(self, part, ok, msg):
        self.checked += 1
        if not ok:
            self.bad += 1
            log("MISMATCH [%s] %s" % (part, msg))
        return ok

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text if isinstance(text, str) else json.dumps(text, indent=1))
        return self.path(name)

    def ps(self, *args):
        return run([self.padscan] + [str(a) for a in args], cwd=self.dir)

    def compile(self, out, src_name, flags, cc="gcc"):
        r = run([cc] + flags + ["-o", self.path(out), self.path(src_name)], cwd=self.dir)
        if r.returncode:
            raise RuntimeError("%s failed: %s" % (cc, r.stderr))
        return self.path(out)

    def refused(self, part, what, r, *must):
        """exit 2, nothing on stdout, one 'padscan: ' line containing every must."""
        lines = r.stderr.strip().splitlines()
        ok = self.true(part, r.returncode == 2,
                       "%s: exit %d, expected 2 (stderr %r)" % (what, r.returncode, r.stderr[-300:]))
        ok &= self.true(part, r.stdout == "", "%s: refused but printed %r" % (what, r.stdout[:200]))
        ok &= self.true(part, len(lines) == 1 and lines[0].startswith("padscan: "),
                        "%s: expected one 'padscan: ' line, got %r" % (what, r.stderr[-400:]))
        for m in must:
            ok &= self.true(part, m in r.stderr, "%s: %r not in %r" % (what, m, r.stderr.strip()))
        return ok

    def accepted(self, part, what, r, codes=(0,)):
        return self.true(part, r.returncode in codes, "%s: exit %d, expected %s (stderr %r)"
                         % (what, r.returncode, codes, r.stderr[-400:]))


def sizeof_order(ctx, tag, members, inner_members, name, inner_tag="inner"):
    """The compiler's sizeof of struct `tag` with `members` in order, the
    nested struct inner_tag declared with `inner_members`."""
    src = "#include <stdint.h>\n#include <stdio.h>\n"
    src += struct_src(inner_tag, inner_members) if inner_members else ""
    src += struct_src(tag, members)
    src += 'int main(void) { printf("%%zu\\n", sizeof(struct %s)); return 0; }\n' % tag
    ctx.write(name + ".c", src)
    exe = ctx.compile(name, name + ".c", ["-O0"])
    return int(run([exe], check=True).stdout)


def by_names(members, names):
    index = {n: (d, n) for d, n in members}
    return [index[n] for n in names]


def fixture(ctx):
    ctx.write("verdicts.c", fixture_src())
    return ctx.compile("verdicts", "verdicts.c", ["-g", "-O0"])


def budget_all(ctx, name, **limits):
    rule = {"types": ["*"]}
    rule.update(limits)
    return ctx.write(name, {"rules": [rule]})


# --------------------------------------------------------------------------

def check_results(ctx, budget, target, extra=()):
    r = ctx.ps("check", "--budget", budget, "--format", "json", *extra, target)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        raise RuntimeError("check --format json of %s: not JSON (rc %d): %s"
                           % (target, r.returncode, r.stderr))
    return r, doc


def failed_fixes(doc):
    out = {}
    for res in doc.get("results", []):
        if res.get("failed") or res.get("status") == "fail":
            name = res.get("struct") or res.get("name") or res.get("type")
            out[name] = res.get("fix")
    return out


def part_roundtrip(ctx):
    part = "roundtrip"
    binary = fixture(ctx)
    report = ctx.path("verdicts.json")
    r = ctx.ps("analyze", "--format", "json", "-o", report, binary)
    if r.returncode:
        raise RuntimeError("analyze: %s" % r.stderr)
    doc = json.load(open(report))
    recs = {s["name"]: s for s in doc["binaries"][0]["structs"]}
    for tag, _ in RECORDS:
        if tag not in recs:
            raise RuntimeError("fixture: %s not in the report" % tag)
    pct = recs["pct"]
    exact = 100.0 * pct["waste"] / pct["size"]
    if not ctx.true(part, pct["waste_percent"] < exact,
                    "fixture: pct's waste_percent %r does not round %r down"
                    % (pct["waste_percent"], exact)):
        return
    budget = budget_all(ctx, "budget_pct.json", max_waste_percent=1)
    base = ctx.path("baseline.json")
    r = ctx.ps("check", "--budget", budget, "--write-baseline", base, report)
    ctx.accepted(part, "check --write-baseline from the report", r, (0, 1))
    ctx.true(part, os.path.exists(base), "no baseline written from the report")
    for target, what in ((binary, "binary"), (report, "report")):
        r = ctx.ps("check", "--budget", budget, "--baseline", base, target)
        ctx.accepted(part, "check of the %s against the report-made baseline" % what, r)
    # the same fix: text from the binary and from its report
    budget = budget_all(ctx, "budget_opt.json", must_be_optimal=True)
    _, from_bin = check_results(ctx, budget, binary)
    _, from_rep = check_results(ctx, budget, report)
    fb, fr = failed_fixes(from_bin), failed_fixes(from_rep)
    ctx.true(part, set(fb) >= {"inner", "outer", "outer2", "pct", "outer3"},
             "must_be_optimal did not fail the fixture's records: %r" % sorted(fb))
    ctx.true(part, fb == fr, "fix texts differ:\n  binary: %r\n  report: %r" % (fb, fr))
    rt = sorted(ctx.ps("check", "--budget", budget, binary).stdout.replace(
        "FAIL %s: " % binary, "FAIL X: ").splitlines())
    rr = sorted(ctx.ps("check", "--budget", budget, report).stdout.replace(
        "FAIL %s: " % report, "FAIL X: ").splitlines())
    ctx.true(part, rt == rr, "text output differs:\n%s\n---\n%s" % ("\n".join(rt), "\n".join(rr)))
    nested_fix(ctx, part, fb, recs)


def nested_fix(ctx, part, fixes, recs):
    inner_best = by_names(INNER, recs["inner"]["optimal_order"])
    one = re.match(r"reorder to (\d+) bytes: (.*); with (.*) reordered too, it gets to (\d+) bytes$",
                   fixes.get("outer") or "")
    if ctx.true(part, one, "outer: fix does not say what its order reaches alone and which "
                "nested record it needs: %r" % fixes.get("outer")):
        alone, order, nested, best = one.groups()
        order = by_names(OUTER, order.split(", "))
        ctx.true(part, nested == "inner", "outer: nested record %r, expected inner" % nested)
        want = sizeof_order(ctx, "outer", order, INNER, "outer_alone")
        ctx.true(part, int(alone) == want, "outer: listed order alone is %s bytes by the fix, "
                 "sizeof says %d" % (alone, want))
        want = sizeof_order(ctx, "outer", order, inner_best, "outer_best")
        ctx.true(part, int(best) == want == recs["outer"]["optimal_size"],
                 "outer: optimum %s by the fix, sizeof %d, report %d"
                 % (best, want, recs["outer"]["optimal_size"]))
    two = re.match(r"keep this order and reorder (.*): then it gets to (\d+) bytes$",
                   fixes.get("outer2") or "")
    if ctx.true(part, two, "outer2: fix does not say that only inner needs reordering: %r"
                % fixes.get("outer2")):
        nested, best = two.groups()
        ctx.true(part, nested == "inner", "outer2: nested record %r, expected inner" % nested)
        want = sizeof_order(ctx, "outer2", OUTER2, inner_best, "outer2_best")
        ctx.true(part, int(best) == want, "outer2: optimum %s by the fix, sizeof %d" % (best, want))
        ctx.true(part, recs["outer2"]["size"] > want, "fixture: outer2 does not shrink with inner")
    three = re.match(r"reorder (.*) first: then this order gets to (\d+) bytes \(alone, (\d+) bytes\): "
                     r"(.*)$", fixes.get("outer3") or "")
    if ctx.true(part, three, "outer3: fix does not say that inner4 must be reordered first: %r"
                % fixes.get("outer3")):
        nested, best, alone, order = three.groups()
        order = by_names(OUTER3, order.split(", "))
        inner4_best = by_names(INNER4, recs["inner4"]["optimal_order"])
        ctx.true(part, nested == "inner4", "outer3: nested record %r, expected inner4" % nested)
        want = sizeof_order(ctx, "outer3", order, INNER4, "outer3_alone", "inner4")
        ctx.true(part, int(alone) == want and want >= recs["outer3"]["size"],
                 "outer3: listed order alone is %s bytes by the fix, sizeof says %d (now %d)"
                 % (alone, want, recs["outer3"]["size"]))
        want = sizeof_order(ctx, "outer3", order, inner4_best, "outer3_best", "inner4")
        ctx.true(part, int(best) == want == recs["outer3"]["optimal_size"] < recs["outer3"]["size"],
                 "outer3: optimum %s by the fix, sizeof %d, report %d"
                 % (best, want, recs["outer3"]["optimal_size"]))
    plain = re.match(r"reorder to (\d+) bytes: (.*)$", fixes.get("inner") or "")
    if ctx.true(part, plain, "inner: fix %r" % fixes.get("inner")):
        order = by_names(INNER, plain.group(2).split(", "))
        want = sizeof_order(ctx, "inner", order, None, "inner_alone")
        ctx.true(part, int(plain.group(1)) == want, "inner: %s by the fix, sizeof %d"
                 % (plain.group(1), want))


# --------------------------------------------------------------------------

def manifest(ctx, name, services):
    return ctx.write(name, {"services": services})


def service(binary, hot, **extra):
    s = {"name": "svc", "binary": os.path.basename(binary), "replicas": 3, "hot_types": hot}
    s.update(extra)
    return s


def part_typos(ctx):
    part = "typos"
    binary = fixture(ctx)
    rule = {"types": ["outer"], "max_size": 1 << 20}
    cases = [
        ("budget rule", {"rules": [{"types": ["outer", "outr"], "max_size": 1 << 20}]},
         "$.rules[0].types[1]", "outr", "outer", lambda b: {"rules": [dict(b["rules"][0], optional=True)]}),
        ("budget rule of one glob", {"rules": [{"types": "outr", "max_size": 1 << 20}]},
         "$.rules[0].types:", "outr", "outer",  # (a budget of optional rules only checks nothing)
         lambda b: {"rules": [dict(b["rules"][0], optional=True), rule]}),
        ("ignore entry", {"rules": [rule], "ignore": [{"type": "innr", "reason": "wire format"}]},
         "$.ignore[0]", "innr", "inner",
         lambda b: dict(b, ignore=[dict(b["ignore"][0], optional=True)])),
    ]
    for what, budget, at, pattern, near, optional in cases:
        path = ctx.write("budget_typo.json", budget)
        ctx.refused(part, what, ctx.ps("check", "--budget", path, binary), path, at,
                    "'%s'" % pattern, "did you mean '%s'" % near)
        path = ctx.write("budget_optional.json", optional(budget))
        ctx.accepted(part, what + " marked optional", ctx.ps("check", "--budget", path, binary))
    budget = ctx.write("budget_ok.json", {"rules": [rule]})
    configs = [
        ("config types entry", {"types": {"outr": {"fixed": True}}}, '$.types["outr"]', "outr",
         "outer", {"types": {"outr": {"fixed": True, "optional": True}}}),
        ("config fixed entry", {"fixed": ["innerr"]}, "$.fixed[0]", "innerr", "inner",
         {"types": {"innerr": {"fixed": True, "optional": True}}}),
        ("config hot field", {"types": {"outer": {"hot": ["zz"]}}}, '$.types["outer"].hot[0]',
         "zz", "z", None),
    ]
    for what, cfg, at, pattern, near, optional in configs:
        path = ctx.write("config_typo.json", cfg)
        for cmd in (["suggest", "--config", path, binary],
                    ["check", "--budget", budget, "--config", path, binary]):
            ctx.refused(part, "%s (%s)" % (what, cmd[0]), ctx.ps(*cmd), path, at,
                        "'%s'" % pattern, "did you mean '%s'" % near)
        if optional:
            path = ctx.write("config_optional.json", optional)
            ctx.accepted(part, what + " marked optional",
                         ctx.ps("check", "--budget", budget, "--config", path, binary))
    m = manifest(ctx, "fleet_typo.json", [service(binary, [{"type": "outr", "instances": 10}])])
    ctx.refused(part, "manifest hot type", ctx.ps("fleet", m), m,
                "$.services[0].hot_types[0].type", "'outr'", "did you mean 'outer'")
    m = manifest(ctx, "fleet_optional.json", [service(binary, [
        {"type": "outer", "instances": 10}, {"type": "outr", "instances": 10, "optional": True}])])
    ctx.accepted(part, "manifest hot type marked optional", ctx.ps("fleet", m))


# --------------------------------------------------------------------------

def empty_binaries(ctx):
    ctx.write("empty.c", fixture_src())
    out = []
    split = ctx.compile("split", "empty.c", ["-g", "-gsplit-dwarf", "-O0"])
    dwos = [f for f in os.listdir(ctx.dir) if f.endswith(".dwo")]
    if not dwos:
        raise RuntimeError("gcc -gsplit-dwarf wrote no .dwo file")
    r = ctx.ps("analyze", "--all-types", split)
    present = r.returncode
    for f in dwos:
        os.unlink(ctx.path(f))
    out.append((split, "split", "-gsplit-dwarf", present))
    # split units next to a unit with only system-header types (glibc's FILE):
    # the binary has records, none of them the user's
    ctx.write("stdio_only.c", "#include <stdio.h>\nFILE *stdio_only;\n")
    r1 = run(["gcc", "-g", "-c", "-o", ctx.path("stdio_only.o"), ctx.path("stdio_only.c")])
    r2 = run(["gcc", "-g", "-gsplit-dwarf", "-c", "-o", ctx.path("mixed_own.o"),
              ctx.path("empty.c")], cwd=ctx.dir)
    r3 = run(["gcc", "-o", ctx.path("mixed"), ctx.path("mixed_own.o"), ctx.path("stdio_only.o")])
    if r1.returncode or r2.returncode or r3.returncode:
        raise RuntimeError("mixed split build failed: %s%s%s" % (r1.stderr, r2.stderr, r3.stderr))
    for f in os.listdir(ctx.dir):
        if f.endswith(".dwo"):
            os.unlink(ctx.path(f))
    out.append((ctx.path("mixed"), "mixed", "-gsplit-dwarf", 0))
    clang = shutil.which("clang")
    if not clang:
        raise RuntimeError("clang not found (scripts/install-deps.sh installs it)")
    lines = ctx.compile("lines", "empty.c", ["-gline-tables-only", "-O0"], cc=clang)
    out.append((lines, "lines", "-gline-tables-only", 0))
    return out


def part_empty(ctx):
    part = "empty"
    full = fixture(ctx)
    budget = budget_all(ctx, "budget_empty.json", max_size=1 << 20)
    for binary, name, flag, _ in empty_binaries(ctx):
        ctx.refused(part, "check of %s" % name, ctx.ps("check", "--budget", budget, binary),
                    os.path.basename(binary), flag)
        ctx.refused(part, "diff against %s" % name, ctx.ps("diff", full, binary), flag)
        ctx.refused(part, "diff from %s" % name, ctx.ps("diff", binary, full), flag)
        m = manifest(ctx, "fleet_%s.json" % name, [service(binary, [{"type": "outer", "instances": 5}])])
        ctx.refused(part, "fleet of %s" % name, ctx.ps("fleet", m), flag)
        report = ctx.path("%s.json" % name)
        ctx.refused(part, "analyze of %s writes no report" % name,
                    ctx.ps("analyze", "--format", "json", "-o", report, binary), flag)
        ctx.true(part, not os.path.exists(report), "analyze of %s left %s" % (name, report))
    # A binary whose DWARF has types but no records gives a report of none.
    ctx.write("norecords.c", "int counter;\nint main(void) { return counter; }\n")
    bare = ctx.compile("norecords", "norecords.c", ["-g", "-O0"])
    report = ctx.path("norecords.json")
    ctx.accepted(part, "analyze of a binary without records",
                 ctx.ps("analyze", "--format", "json", "-o", report, bare))
    ctx.refused(part, "check of a report without records",
                ctx.ps("check", "--budget", budget, report), "no records")
    ctx.refused(part, "check of a binary without records",
                ctx.ps("check", "--budget", budget, bare), "no struct or union")
    both = ctx.path("norecords_and_full.json")
    ctx.ps("analyze", "--format", "json", "-o", both, full, bare)
    ctx.refused(part, "check of a report of the fixture and a binary without records",
                ctx.ps("check", "--budget", budget, both), "no records of", bare)


def part_subset(ctx):
    part = "subset"
    binary = fixture(ctx)
    budget = budget_all(ctx, "budget_subset.json", max_size=1 << 20)
    full = ctx.path("full.json")
    ctx.ps("analyze", "--format", "json", "-o", full, binary)
    ctx.accepted(part, "check of a complete report", ctx.ps("check", "--budget", budget, full))
    ctx.accepted(part, "diff of complete reports", ctx.ps("diff", full, full))
    for opts, name in ((["--top", "1"], "top"), (["--type", "outer"], "type"),
                       (["--exclude", "pct"], "exclude")):
        report = ctx.path("subset_%s.json" % name)
        ctx.ps("analyze", "--format", "json", "-o", report, *(opts + [binary]))
        doc = json.load(open(report))
        ctx.true(part, doc.get("selection", {}).get("complete") is False,
                 "%s: the report does not say it is a subset: %r" % (name, doc.get("selection")))
        must = " ".join(opts)
        ctx.refused(part, "check of a %s report" % name,
                    ctx.ps("check", "--budget", budget, report), must)
        ctx.refused(part, "diff with a %s report" % name, ctx.ps("diff", full, report), must)


# --------------------------------------------------------------------------

def part_manifest(ctx):
    part = "manifest"
    binary = fixture(ctx)
    hot = [{"type": "outer", "instances": 10}]
    good = service(binary, hot)
    m = manifest(ctx, "good.json", [good])
    ctx.accepted(part, "a correct manifest", ctx.ps("fleet", m))
    typos = [
        ({"servics": [good]}, "$.servics", "services"),
        ({"services": [dict(good, replicsa=3)]}, "$.services[0].replicsa", "replicas"),
        ({"services": [dict(good, hot_types=[{"type": "outer", "instances": 10, "instance": 1}])]},
         "$.services[0].hot_types[0].instance", "instances"),
        ({"services": [dict(good, alocator="glibc")]}, "$.services[0].alocator", "allocator"),
    ]
    for doc, at, near in typos:
        m = ctx.write("typo.json", doc)
        ctx.refused(part, "misspelled %s" % at, ctx.ps("fleet", m), m, at,
                    'did you mean "%s"' % near)
    outer_size = next(s for s in json.loads(ctx.ps("analyze", "--format", "json", binary).stdout)
                      ["binaries"][0]["structs"] if s["name"] == "outer")["size"]
    over = [(10 ** 15, 10 ** 6, "$.services[0].hot_types[0].instances")]
    # fits as a count, not as bytes: choose instances so that count * size > 2^64
    count = (1 << 64) // outer_size + 1
    over.append((count // 1000 + 1, 1000, "64 bits"))
    for inst, reps, must in over:
        if inst * reps < (1 << 64):
            ctx.true(part, inst * reps * outer_size >= (1 << 64), "fixture: no overflow planned")
        m = manifest(ctx, "over.json", [dict(good, replicas=reps,
                                             hot_types=[{"type": "outer", "instances": inst}])])
        ctx.refused(part, "%d instances x %d replicas" % (inst, reps), ctx.ps("fleet", m), must)
    for src_kind in ("binary", "report"):
        svc = dict(good, allocator="go")
        if src_kind == "report":
            report = ctx.path("c_report.json")
            ctx.ps("analyze", "--format", "json", "-o", report, binary)
            svc = {k: v for k, v in svc.items() if k != "binary"}
            svc["report"] = "c_report.json"
        m = manifest(ctx, "nogo.json", [svc])
        ctx.refused(part, "Go allocator without a Go version (%s)" % src_kind, ctx.ps("fleet", m),
                    "go_version")
        m = manifest(ctx, "go122.json", [dict(svc, go_version="go1.22")])
        ctx.accepted(part, "Go allocator with go_version (%s)" % src_kind, ctx.ps("fleet", m))


def part_crossarch(ctx):
    part = "crossarch"
    ctx.write("arch.c", fixture_src())
    b64 = ctx.compile("arch64", "arch.c", ["-g", "-O0", "-m64"])
    b32 = ctx.compile("arch32", "arch.c", ["-g", "-O0", "-m32"])
    reports = []
    for b in (b64, b32):
        reports.append(b + ".json")
        ctx.ps("analyze", "--format", "json", "-o", b + ".json", b)
    for old, new, what in ((b64, b32, "binaries"), (reports[0], reports[1], "reports"),
                           (b64, reports[1], "binary and report")):
        ctx.refused(part, "diff of %s" % what, ctx.ps("diff", old, new), "x86_64", "i386",
                    "--cross-arch")
        ctx.accepted(part, "diff --cross-arch of %s" % what, ctx.ps("diff", "--cross-arch", old, new))
    ctx.accepted(part, "diff of one architecture", ctx.ps("diff", b64, reports[0]))


# --------------------------------------------------------------------------

UNRELATED = [("char u", "u"), ("int64_t v", "v")]


def part_vacuous(ctx):
    """Runs that check, compare or price nothing never pass."""
    part = "vacuous"
    binary = fixture(ctx)
    fleet_only = ctx.write("fleet_only.json", {"fleet": {"max_waste": 1 << 20}})
    ctx.refused(part, "fleet limit without --fleet", ctx.ps("check", "--budget", fleet_only, binary),
                fleet_only, "$.fleet", "--fleet MANIFEST")
    mixed = ctx.write("fleet_mixed.json", {"fleet": {"max_waste": 1 << 20},
                                           "rules": [{"types": "outer", "max_size": 1 << 20}]})
    ctx.refused(part, "rules and a fleet limit without --fleet",
                ctx.ps("check", "--budget", mixed, binary), mixed, "--fleet MANIFEST")
    m = manifest(ctx, "vac_fleet.json", [service(binary, [{"type": "outer", "instances": 10}])])
    ctx.accepted(part, "rules and a fleet limit with --fleet",
                 ctx.ps("check", "--budget", mixed, "--fleet", m))
    opt = ctx.write("fleet_opt.json", {"fleet": {"max_waste": 1 << 20, "optional": True},
                                       "rules": [{"types": "outer", "max_size": 1 << 20}]})
    r = ctx.ps("check", "--budget", opt, binary)
    ctx.accepted(part, "optional fleet limit without --fleet", r)
    ctx.true(part, "skipped" in r.stderr, "optional fleet limit: no note on stderr: %r" % r.stderr)
    r = ctx.ps("check", "--budget", ctx.write("fleet_optonly.json", {"fleet": {
        "max_waste": 1, "optional": True}}), binary)
    ctx.true(part, r.returncode == 2 and "nothing was checked" in r.stderr,
             "only an optional fleet limit, no --fleet: exit %d %r" % (r.returncode, r.stderr))
    typo = ctx.write("fleet_typo.json", {"fleet": {"max_waste": 1, "optinal": True}})
    ctx.refused(part, "misspelled key in $.fleet", ctx.ps("check", "--budget", typo, "--fleet", m),
                "$.fleet.optinal")
    # (b) a limit that measures nothing for the records it matches
    ptr = ctx.write("ptr_c.json", {"rules": [{"types": ["outer", "inner"], "max_pointer_bytes": 8}]})
    ctx.refused(part, "max_pointer_bytes on C records", ctx.ps("check", "--budget", ptr, binary),
                ptr, "$.rules[0].max_pointer_bytes", "Go records only")
    ptr2 = ctx.write("ptr_c2.json", {"rules": [{"types": "outer", "max_size": 1 << 20,
                                                "max_pointer_bytes": 8}]})
    ctx.refused(part, "max_pointer_bytes next to max_size on C records",
                ctx.ps("check", "--budget", ptr2, binary), "$.rules[0].max_pointer_bytes")
    ctx.accepted(part, "max_pointer_bytes on C records, optional", ctx.ps(
        "check", "--budget", ctx.write("ptr_opt.json", {"rules": [
            {"types": "outer", "max_size": 1 << 20, "max_pointer_bytes": 8, "optional": True}]}),
        binary))
    ign = ctx.write("ignored_all.json", {"rules": [{"types": "outer", "max_size": 1 << 20},
                                                   {"types": "inner", "max_size": 1 << 20}],
                                         "ignore": [{"type": "outer", "reason": "wire"}]})
    ctx.refused(part, "a rule whose records are all ignored", ctx.ps("check", "--budget", ign, binary),
                "$.rules[0].max_size", "ignore")
    # (c) must_be_optimal: false is no limit
    nolim = ctx.write("no_limit.json", {"rules": [{"types": "outer", "must_be_optimal": False}]})
    ctx.refused(part, "must_be_optimal false alone", ctx.ps("check", "--budget", nolim, binary),
                nolim, "$.rules[0]", "at least one limit")
    # (d) the selection leaves nothing to check, even with optional rules
    optional = ctx.write("all_optional.json", {"rules": [{"types": "outer", "max_size": 1 << 20,
                                                          "optional": True}]})
    for sel in (["--type", "zzz"], ["--exclude", "*"], ["--lang", "go"]):
        for budget in (optional, budget_all(ctx, "all.json", max_size=1 << 20)):
            ctx.refused(part, "check %s (%s)" % (" ".join(sel), os.path.basename(budget)),
                        ctx.ps("check", "--budget", budget, *(sel + [binary])),
                        "nothing was checked", sel[0])
    none = ctx.write("covers_none.json", {"rules": [{"types": "zzz", "max_size": 1,
                                                     "optional": True}]})
    ctx.refused(part, "every rule optional and matching nothing",
                ctx.ps("check", "--budget", none, binary), none, "nothing was checked")
    r = ctx.ps("check", "--budget", budget_all(ctx, "all.json", max_size=1 << 20), binary)
    ctx.accepted(part, "a budget that checks something", r)
    ctx.true(part, not re.search(r"\b0 checks", r.stdout), "a passing check says %r" % r.stdout)
    # diff of two programs with nothing in common
    ctx.write("unrelated.c", "#include <stdint.h>\n" + struct_src("unrelated", UNRELATED) +
              "struct unrelated g_u;\nint main(void) { return 0; }\n")
    other = ctx.compile("unrelated", "unrelated.c", ["-g", "-O0"])
    for old, new in ((binary, other), (other, binary)):
        ctx.refused(part, "diff of unrelated programs", ctx.ps("diff", old, new),
                    "nothing to compare", os.path.basename(old), os.path.basename(new))
    ctx.accepted(part, "diff of one program", ctx.ps("diff", binary, binary))
    # fleet: nothing priced
    m = manifest(ctx, "vac_none.json", [service(binary, [{"type": "zzz", "instances": 10,
                                                           "optional": True}])])
    ctx.refused(part, "fleet that priced nothing", ctx.ps("fleet", m), m, "nothing was priced")


def part_fleetdup(ctx):
    """A hot type twice in one service, two services of one name: exit 2
    with the JSON path of the repeat; the sum of a correct fleet is not
    doubled."""
    part = "fleetdup"
    binary = fixture(ctx)
    one = {"type": "outer", "instances": 10}
    cases = [
        ("the same hot type twice", [service(binary, [one, {"type": "inner", "instances": 3}, one])],
         "$.services[0].hot_types[2].type", "hot_types[0]"),
        ("the same record by a glob", [service(binary, [one, {"type": "o*er", "instances": 4}])],
         "$.services[0].hot_types[1].type", "hot_types[0]"),
        ("two services of one name", [service(binary, [one]), service(binary, [one])],
         "$.services[1].name", "$.services[0]"),
    ]
    for what, services, at, first in cases:
        m = manifest(ctx, "dup.json", services)
        for cmd in (["fleet", m], ["check", "--budget", ctx.write(
                "dup_budget.json", {"fleet": {"max_waste": 1 << 40}}), "--fleet", m]):
            ctx.refused(part, "%s (%s)" % (what, cmd[0]), ctx.ps(*cmd), m, at, first)
    # heap and embedded are two populations of one type: both count
    m = manifest(ctx, "two_ways.json", [service(binary, [
        {"type": "outer", "instances": 10},
        {"type": "inner", "instances": 10},
        {"type": "inner", "instances": 10, "held": "embedded", "in": "outer"}])])
    ctx.accepted(part, "one type held in two ways", ctx.ps("fleet", m))
    m = manifest(ctx, "two_names.json", [service(binary, [one]),
                                          dict(service(binary, [one]), name="svc2")])
    ctx.accepted(part, "two services, two names", ctx.ps("fleet", m))


# --------------------------------------------------------------------------

# Two locks of a user type side by side: one shared cache line, which only
# padscan.json's sync_types can tell padscan about.
SYNC_SRC = """typedef struct { volatile int v; } my_lock_t;
struct lockq { my_lock_t head_lock; my_lock_t tail_lock; char a[60]; char b[60]; };
struct lockq g_lockq;
int main(void) { return 0; }
"""


def sync_fixture(ctx):
    ctx.write("lockq.c", SYNC_SRC)
    return ctx.compile("lockq", "lockq.c", ["-g", "-O0"])


def part_sync(ctx):
    """A sync_types glob that names no type is an error with a
    did-you-mean (a typo would turn the false-sharing rule off)."""
    part = "sync"
    binary = sync_fixture(ctx)
    budget = ctx.write("sync_budget.json", {"rules": [{"types": "lockq", "max_shared_sync_lines": 0}]})
    good = ctx.write("sync_good.json", {"sync_types": ["my_lock_t"]})
    r = ctx.ps("check", "--budget", budget, "--config", good, binary)
    ctx.true(part, r.returncode == 1 and "max_shared_sync_lines" in r.stdout,
             "sync_types my_lock_t: the shared line of lockq does not fail (exit %d): %r"
             % (r.returncode, r.stdout + r.stderr))
    typo = ctx.write("sync_typo.json", {"sync_types": ["my_lok_t"]})
    for cmd in (["check", "--budget", budget, "--config", typo, binary],
                ["suggest", "--config", typo, binary], ["analyze", "--config", typo, binary]):
        ctx.refused(part, "sync_types typo (%s)" % cmd[0], ctx.ps(*cmd), typo, "$.sync_types[0]",
                    "'my_lok_t'", "did you mean 'my_lock_t'")
    typo2 = ctx.write("sync_typo2.json", {"sync_types": ["my_lock_t", "spin*_lok"]})
    ctx.refused(part, "second sync_types glob matching nothing",
                ctx.ps("check", "--budget", budget, "--config", typo2, binary), "$.sync_types[1]",
                "'spin*_lok'")
    opt = ctx.write("sync_opt.json", {"sync_types": ["my_lock_t", {"type": "my_lok_t",
                                                                    "optional": True}]})
    r = ctx.ps("check", "--budget", budget, "--config", opt, binary)
    ctx.accepted(part, "sync_types typo marked optional", r, (1,))
    bad = ctx.write("sync_bad.json", {"sync_types": [{"type": "my_lock_t", "optionl": True}]})
    ctx.refused(part, "misspelled key in a sync_types entry",
                ctx.ps("check", "--budget", budget, "--config", bad, binary),
                "$.sync_types[0].optionl")


# --------------------------------------------------------------------------

def part_inputs(ctx):
    """Saved files whose figures contradict each other, cache-line sizes
    that are no cache line, and a --top list that says it was cut."""
    part = "inputs"
    binary = fixture(ctx)
    budget = budget_all(ctx, "inputs_budget.json", max_size=1 << 20)
    report = ctx.path("inputs_report.json")
    ctx.ps("analyze", "--format", "json", "-o", report, binary)
    doc = json.load(open(report))
    recs = doc["binaries"][0]["structs"]
    k = next(i for i, s in enumerate(recs) if s["holes"])  # a record with a hole
    at = "$.binaries[0].structs[%d].waste" % k
    # waste beyond the holes and tail padding the same record lists
    bad = json.loads(json.dumps(doc))
    bad["binaries"][0]["structs"][k]["waste"] += 1
    path = ctx.write("inputs_contradicts.json", bad)
    ctx.refused(part, "check of a report whose waste contradicts its holes",
                ctx.ps("check", "--budget", budget, path), path, at, "holes")
    ctx.refused(part, "diff with a report whose waste contradicts its holes",
                ctx.ps("diff", report, path), path, at)
    m = manifest(ctx, "inputs_fleet.json", [{"name": "svc", "report": os.path.basename(path),
                                              "replicas": 2, "hot_types": [
                                                  {"type": recs[k]["name"], "instances": 5}]}])
    ctx.refused(part, "fleet of a report whose waste contradicts its holes", ctx.ps("fleet", m), at)
    # waste beyond the size, in a report and in a baseline
    bad = json.loads(json.dumps(doc))
    bad["binaries"][0]["structs"][k]["waste"] = recs[k]["size"] + 1
    path = ctx.write("inputs_oversize.json", bad)
    ctx.refused(part, "report whose waste exceeds the size", ctx.ps("check", "--budget", budget, path),
                at, "exceed")
    base = ctx.path("inputs_baseline.json")
    ctx.accepted(part, "write a baseline", ctx.ps("check", "--budget", budget, "--write-baseline",
                                                  base, binary))
    bdoc = json.load(open(base))
    bdoc["structs"][0]["waste"] = bdoc["structs"][0]["size"] + 1
    path = ctx.write("inputs_bad_baseline.json", bdoc)
    r = ctx.ps("check", "--budget", budget, "--baseline", path, binary)
    ctx.refused(part, "baseline whose waste exceeds the size", r, path, "$.structs[0].waste",
                "exceed")
    ctx.true(part, "whole number" not in r.stderr, "baseline waste > size: %r" % r.stderr)
    ctx.accepted(part, "the untouched report", ctx.ps("check", "--budget", budget, report))
    # cache-line sizes: powers of two from 16 to 4096
    for line in ("3", "0", "48", "8", "8192"):
        ctx.refused(part, "--cacheline %s" % line, ctx.ps("analyze", "--cacheline", line, binary),
                    "--cacheline", "power of two")
        cfg = ctx.write("inputs_cfg.json", {"cacheline": int(line)})
        ctx.refused(part, "padscan.json cacheline %s" % line,
                    ctx.ps("suggest", "--config", cfg, binary), "$.cacheline", "power of two")
    for line in ("16", "32", "128", "4096"):
        ctx.accepted(part, "--cacheline %s" % line, ctx.ps("analyze", "--cacheline", line, binary))
    # --top: the summary says the list was cut, and of how many
    total = len(recs)
    r = ctx.ps("analyze", "--top", "2", binary)
    summary = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    ctx.true(part, "top 2 of %d records" % total in summary,
             "analyze --top 2: summary does not say it shows 2 of %d: %r" % (total, summary))
    r = ctx.ps("analyze", "--top", str(total), binary)
    summary = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    ctx.true(part, "top" not in summary, "analyze --top %d cut nothing but says %r" % (total, summary))


# --------------------------------------------------------------------------

# big: no order fits 4 cache lines; lockq (SYNC_SRC): the locks side by side
# today, separable; tight: three locks in 16 bytes, never separable.
BIG = [("char a", "a"), ("int64_t b[300]", "b"), ("char c", "c")]
TIGHT = [("my_lock_t l1", "l1"), ("my_lock_t l2", "l2"), ("my_lock_t l3", "l3"), ("int x", "x")]
LOCKQ = [("my_lock_t head_lock", "head_lock"), ("my_lock_t tail_lock", "tail_lock"),
         ("char a[60]", "a"), ("char b[60]", "b")]
LOCK_T = "typedef struct { volatile int v; } my_lock_t;\n"


def layout_of(ctx, tag, members, name):
    """The compiler's sizeof and each member's offsetof, for struct tag
    with members in this order."""
    src = "#include <stdint.h>\n#include <stdio.h>\n#include <stddef.h>\n" + LOCK_T
    src += struct_src(tag, members)
    src += "int main(void) {\n    printf(\"%%zu\\n\", sizeof(struct %s));\n" % tag
    for _, n in members:
        src += '    printf("%%zu %%zu\\n", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));\n' \
            % (tag, n, tag, n)
    src += "    return 0;\n}\n"
    ctx.write(name + ".c", src)
    out = run([ctx.compile(name, name + ".c", ["-O0"])], check=True).stdout.split("\n")
    return int(out[0]), {n: tuple(int(v) for v in out[1 + i].split()) for i, (_, n) in
                         enumerate(members)}


def part_rulefix(ctx):
    """fix: texts that fix the rule that failed: when no order meets the
    limit, they say so and what the best order reaches (the compiler's
    sizeof of that order); max_shared_sync_lines gets an order that
    separates the locks (the compiler's offsets put them in different
    lines), or says that none does."""
    part = "rulefix"
    src = "#include <stdint.h>\n" + LOCK_T
    for tag, members in (("big", BIG), ("lockq", LOCKQ), ("tight", TIGHT)):
        src += struct_src(tag, members) + "struct %s g_%s;\n" % (tag, tag)
    ctx.write("rulefix.c", src + "int main(void) { return 0; }\n")
    binary = ctx.compile("rulefix", "rulefix.c", ["-g", "-O0"])
    cfg = ctx.write("rulefix_cfg.json", {"sync_types": ["my_lock_t"]})
    report = ctx.path("rulefix.json")
    ctx.ps("analyze", "--format", "json", "--config", cfg, "-o", report, binary)
    recs = {s["name"]: s for s in json.load(open(report))["binaries"][0]["structs"]}
    best_size, _ = layout_of(ctx, "big", by_names(BIG, recs["big"]["optimal_order"]), "big_best")
    lines = (best_size + 63) // 64
    budget = ctx.write("rulefix_budget.json", {"rules": [
        {"types": "big", "max_cachelines": 4, "max_size": best_size - 1},
        {"types": ["lockq", "tight"], "max_shared_sync_lines": 0}]})
    fixes = []
    for target, extra in ((binary, ["--config", cfg]), (report, [])):
        r, doc = check_results(ctx, budget, target, extra)
        ctx.true(part, r.returncode == 1, "check of %s: exit %d" % (target, r.returncode))
        fixes.append({(x.get("type"), x.get("rule")): x.get("fix") for x in doc.get("results", [])
                      if x.get("failed")})
    ctx.true(part, fixes[0] == fixes[1], "fix texts of the binary and its report differ:\n%r\n%r"
             % tuple(fixes))
    fx = fixes[0]
    m = re.match(r"no order of the members meets max_cachelines 4: the best order still takes "
                 r"(\d+) cache lines \((\d+) bytes\)$", fx.get(("big", "max_cachelines")) or "")
    if ctx.true(part, m, "big max_cachelines: %r" % fx.get(("big", "max_cachelines"))):
        ctx.true(part, (int(m.group(1)), int(m.group(2))) == (lines, best_size),
                 "big: the fix says %s lines, %s bytes; the compiler's best order: %d lines, %d "
                 "bytes" % (m.group(1), m.group(2), lines, best_size))
    m = re.match(r"no order of the members meets max_size \d+: the best order is (\d+) bytes$",
                 fx.get(("big", "max_size")) or "")
    if ctx.true(part, m, "big max_size: %r" % fx.get(("big", "max_size"))):
        ctx.true(part, int(m.group(1)) == best_size, "big: best %s, sizeof %d" % (m.group(1), best_size))
    text = fx.get(("lockq", "max_shared_sync_lines")) or ""
    m = re.match(r"reorder to (\d+) bytes with the synchronization fields in separate cache "
                 r"lines \(0 shared\): (.*)$", text)
    if ctx.true(part, m, "lockq max_shared_sync_lines: %r" % text):
        order = by_names(LOCKQ, m.group(2).split(", "))
        size, at = layout_of(ctx, "lockq", order, "lockq_fix")
        ctx.true(part, int(m.group(1)) == size, "lockq: fix says %s bytes, sizeof %d" % (m.group(1), size))
        h, t = at["head_lock"], at["tail_lock"]
        ctx.true(part, (h[0] + h[1] - 1) // 64 < t[0] // 64 or (t[0] + t[1] - 1) // 64 < h[0] // 64,
                 "lockq: the fix's order puts head_lock at %r and tail_lock at %r: one line" % (h, t))
    size, _ = layout_of(ctx, "tight", TIGHT, "tight_now")
    text = fx.get(("tight", "max_shared_sync_lines")) or ""
    ctx.true(part, size <= 64 and text.startswith("no order of the members meets "
                                                  "max_shared_sync_lines 0"),
             "tight (%d bytes, one line whatever the order): %r" % (size, text))


# --self-check: padscan behind a wrapper that plants one defect; the part
# must then report mismatches, or it could not fail.
WRAPPER = r'''#!/usr/bin/env python3
import json, re, subprocess, sys
mode, real = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
p = subprocess.run([real] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   universal_newlines=True)
out, err, rc = p.stdout, p.stderr, p.returncode
if mode == "exit0" and rc == 2:
    rc, err = 0, ""
if mode == "nomean":
    err = re.sub(r",? ?\(?did you mean [^)?]*\??\)?", "", err)
if mode == "fixdrop" and args[:1] == ["check"] and args[-1].endswith(".json"):
    if "json" in args:
        doc = json.loads(out)
        for r in doc.get("results", []):
            r.pop("fix", None)
        out = json.dumps(doc)
    else:
        out = re.sub(r"; fix: [^\[\n]*", "", out)
if mode == "fixsize":
    out = re.sub(r"reorder to (\d+) bytes", lambda m: "reorder to %d bytes" % (int(m.group(1)) + 8), out)
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(rc)
'''
PLANTS = {"exit0": ["typos", "empty", "subset", "manifest", "crossarch", "vacuous", "fleetdup",
                    "sync", "inputs"],
          "nomean": ["typos", "manifest", "sync"], "fixdrop": ["roundtrip", "rulefix"],
          "fixsize": ["roundtrip", "rulefix"]}


def self_check(padscan, workdir, parts):
    wrapper = os.path.join(workdir, "planted_padscan.py")
    os.makedirs(workdir, exist_ok=True)
    with open(wrapper, "w") as f:
        f.write(WRAPPER)
    missed = 0
    for mode, planted in sorted(PLANTS.items()):
        for p in planted:
            if p not in parts:
                continue
            wd = os.path.join(workdir, "%s_%s" % (mode, p))
            shutil.rmtree(wd, ignore_errors=True)
            os.makedirs(wd)
            script = os.path.join(wd, "padscan")
            with open(script, "w") as f:
                f.write("#!/bin/sh\nexec %s %s %s %s \"$@\"\n"
                        % (sys.executable, wrapper, mode, os.path.abspath(padscan)))
            os.chmod(script, 0o755)
            ctx = Ctx(script, wd)
            try:
                PARTS[p](ctx)
                caught = ctx.bad > 0
            except RuntimeError as e:
                caught = True
                log("[self-check %s/%s] harness error counts as caught: %s" % (mode, p, e))
            log("[self-check] planted %s in %s: %s" % (mode, p, "caught" if caught else "MISSED"))
            missed += not caught
    return 1 if missed else 0


PARTS = {"roundtrip": part_roundtrip, "typos": part_typos, "empty": part_empty,
         "subset": part_subset, "manifest": part_manifest, "crossarch": part_crossarch,
         "vacuous": part_vacuous, "fleetdup": part_fleetdup, "sync": part_sync,
         "inputs": part_inputs, "rulefix": part_rulefix}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--part", action="append", choices=sorted(PARTS))
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--self-check", action="store_true")
    a = ap.parse_args()
    if not shutil.which("gcc"):
        log("gcc not found")
        return SKIP_RC
    parts = a.part or sorted(PARTS)
    if a.self_check:
        return self_check(a.padscan, a.workdir, parts)
    bad = 0
    for p in parts:
        wd = os.path.join(a.workdir, p)
        shutil.rmtree(wd, ignore_errors=True)
        os.makedirs(wd)
        ctx = Ctx(os.path.abspath(a.padscan), wd)
        try:
            PARTS[p](ctx)
        except RuntimeError as e:
            log("ERROR [%s] %s" % (p, e))
            return 2
        log("check_verdicts %s: %d checks, %d mismatches" % (p, ctx.checked, ctx.bad))
        bad += ctx.bad
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
