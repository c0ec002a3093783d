#!/usr/bin/env python3
"""check_ci.py - prove `padscan check` (budgets, baselines, CI formats) and `padscan diff`.

Every expected number comes from the compilers and from `padscan analyze /
suggest / fleet --format json` of the same binaries at test time; budgets
are generated so that each limit sits exactly at the measured value (must
pass) or just below it (must fail).

Parts (--part, repeatable; default all; ctest runs one part per test):
  rules       C fixture (gcc) + Go fixture: for every rule kind (max_waste,
              max_waste_percent, max_size, max_cachelines, must_be_optimal,
              max_pointer_bytes for Go) a budget at the measured value (exit 0,
              nothing failed) and one just below (exit 1, exactly the expected
              violations, each naming struct, rule, value and limit, with a fix
              == suggest's new_order / optimal_size when the struct can
              shrink and none otherwise); standard-library / system-header
              structs skipped unless --type names them; ignore entries (with a
              reason) suppress; the fleet rule with --fleet on a generated
              manifest (limit = `padscan fleet` total.saved_real, and one below).
  baseline    --write-baseline: one stderr line naming the file, the structs and
              inputs it wrote; exit 0 although v1 fails (1 with
              --fail-on-violation). The ratchet: v1 + --write-baseline, check with it -> 0 (violations
              "known"); v2 adds a bool between two int64 -> 1 with "grew" and
              "more_waste" for that struct only; v3 removes a padded field -> 0
              and --write-baseline records the smaller size; baseline files are
              JSON, replaced atomically (new inode, no temp files left).
  formats     SARIF 2.1.0 against the official JSON schema with ajv (schema from
              the npm package @datadog/datadog-ci, which ships
              sarif-schema-2.1.0.json); locations: artifactLocation.uri ==
              decl_file relative to the repository's top (docs/ci.md "Paths",
              an existing file there; uriBaseId resolved through
              originalUriBaseIds to that top; likewise GitHub's file=, the
              JSON decl_file and diff --format github/codequality),
              region.startLine == decl_line (C), a Go struct with a
              method gets the method's file and a location message saying so.
              Fixes: on tests/fixtures/c_fix and the Go fixture, every SARIF
              result's `fixes`
              applied by an independent applier (SARIF 2.1.0 regions, UTF-16
              columns, uriBaseId resolved through originalUriBaseIds) and
              every `--format markdown --suggestions` block applied to its
              line range give exactly the files `git apply` makes of
              `padscan suggest --all --pointer-bytes --format patch`, and so does `padscan
              diff --format markdown --suggestions PATCHED NEW` (the structs
              the patch shrinks regressed in NEW); that SARIF file is
              validated with the others below.
              GitHub's ingestion rules: Microsoft's SARIF Multitool (npm
              @microsoft/sarif-multitool, `validate --rule-kind "Gh;Sarif"`; no
              error and no GH rule hit; a planted rule without fullDescription/
              help must be reported as GH2012); every rule has fullDescription
              and help text+markdown; no informationUri/helpUri (nothing real
              to point at); partialFingerprints on every result, distinct per
              (rule, type), unchanged when the declarations move down 3 lines.
              GitLab Code Quality: valid against docs/schema/codequality.
              schema.json (jsonschema; planted defects rejected), one issue per
              failed/known (rule, type), severity major/info, path/line ==
              analyze's decl_file/decl_line (the path relative to the
              repository's top: docs/ci.md "Paths"), fingerprint == SARIF's, a binary
              and its copy give the same report.
              JUnit: `xmllint --noout` and `xmllint --schema jenkins-junit.xsd`
              (XSD from the npm package junit-processor); one testcase per rule
              and struct, failures count == JSON failures. GitHub workflow
              commands (::error / ::notice for baseline-known), Markdown table
              (one row per failure, naming binary, type and rule).  Tools go to --npm-dir (npm install
              --prefix / npm pack); a validator that cannot be had -> that
              sub-check is skipped and the reason printed (exit 77 if nothing
              else failed).
  bad_budget  not JSON, unknown rule key, negative max_waste, max_waste_percent
              > 100, types missing, ignore without reason, must_be_optimal not
              boolean, missing budget file: exit 2, nothing on stdout, ONE
              "padscan: " stderr line naming the file and the JSON path; with
              -o no file (and an existing one untouched).
  diff        two builds of a C and of a Go program (v2: a field added to one
              struct, a field moved in another, a struct removed, one added):
              `padscan diff --format json` == the changes computed from the two
              analyze reports (added/removed, size/waste/cachelines/
              pointer_bytes before/after, member added/removed/moved by
              offset, regression = grew); --fail-on-regression -> 1, without
              it 0; diff of saved reports == diff of binaries; --format
              codequality: schema-valid, one major issue per regression at the
              type's declaration, [] for a build with itself.

--self-check: plant one wrong expectation per selected part; exit 0 iff every
planted value is caught.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing
(or a validator unobtainable and nothing failed).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep tests/harness free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

PARTS = ("rules", "baseline", "formats", "bad_budget", "diff")

# npm packages (pinned) for the format validators
NPM_AJV = ["ajv@8", "ajv-formats@3"]
NPM_SARIF_SCHEMA = ("@datadog/datadog-ci@2.48.0",
                    "package/dist/commands/sarif/json-schema/sarif-schema-2.1.0.json")
NPM_JUNIT_XSD = ("junit-processor@0.0.6", "package/schemas/jenkins-junit.xsd")
# GitHub code scanning's ingestion rules (GH1001...GH2012) + SARIF's own (SARIF1xxx/2xxx):
# Microsoft's SARIF Multitool (a self-contained .NET program packaged for npm)
NPM_SARIF_MULTITOOL = "@microsoft/sarif-multitool@5.7.0"
SARIF_MULTITOOL_EXE = ("@microsoft", "sarif-multitool-linux", "Sarif.Multitool")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CODEQUALITY_SCHEMA = os.path.join(REPO, "docs", "schema", "codequality.schema.json")

# --------------------------------------------------------------------------
# fixtures (v1 / v2 / v3 of one C program and one Go program)

C_HEAD = "#include <stdint.h>\n#include <stdbool.h>\n#include <stdio.h>\n\n"

C_STRUCTS = {
    # shrinkable: a hole after a, after c, tail padding
    "ci_padded": "struct ci_padded { char a; int64_t b; char c; int32_t d; char e; };",
    # optimal, no waste
    "ci_tight": "struct ci_tight { int64_t a; int32_t b; int16_t c; char d; char e; };",
    # three cache lines, shrinkable
    "ci_big": "struct ci_big { char a; double b[20]; char c; };",
    # only tail padding: waste but already optimal (no fix)
    "ci_tail": "struct ci_tail { int64_t a; char b; };",
    # ratchet target: v2 puts a bool between the two int64
    "ci_ratchet": "struct ci_ratchet { int64_t a; int64_t b; int32_t c; int32_t d; };",
    # diff: v2 moves a field
    "ci_moved": "struct ci_moved { int32_t a; int64_t b; int32_t c; char d; };",
    # ignored in the ignore test, removed in the diff's v2
    "ci_ignored": "struct ci_ignored { char a; int64_t b; char c; };",
}
C_V2 = {
    "ci_ratchet": "struct ci_ratchet { int64_t a; bool flag; int64_t b; int32_t c; int32_t d; };",
    "ci_moved": "struct ci_moved { int64_t b; int32_t a; int32_t c; char d; };",
    "ci_ignored": None,
    "ci_fresh": "struct ci_fresh { char a; double b; short c; };",
}
C_V3 = {  # from v1: ci_padded loses its padded char c
    "ci_padded": "struct ci_padded { char a; int64_t b; int32_t d; char e; };",
}

GO_STRUCTS = {
    "Padded": "type Padded struct {\n\tA bool\n\tB int64\n\tC *int\n\tD bool\n\tE string\n}\n\n"
              "//go:noinline\nfunc (p *Padded) Touch() int { return int(p.B) + 1 }\n",
    "Plain": "type Plain struct {\n\tX int64\n\tY int64\n}\n",
    "Ptrs": "type Ptrs struct {\n\tN int32\n\tP *int\n\tM int32\n\tQ []byte\n\tF bool\n}\n",
    "Ratchet": "type Ratchet struct {\n\tA int64\n\tB int64\n\tC *int\n}\n",
    "Gone": "type Gone struct {\n\tA bool\n\tB int64\n}\n",
}
GO_V2 = {
    "Ratchet": "type Ratchet struct {\n\tA int64\n\tFlag bool\n\tB int64\n\tC *int\n}\n",
    "Ptrs": "type Ptrs struct {\n\tP *int\n\tN int32\n\tM int32\n\tQ []byte\n\tF bool\n}\n",
    "Gone": None,
    "Fresh": "type Fresh struct {\n\tA bool\n\tS string\n\tB bool\n}\n",
}


def c_source(structs, preamble=""):
    names = sorted(structs)
    out = [C_HEAD, preamble]
    for n in names:
        out.append(structs[n] + "\n")
    out.append("\n")
    for i, n in enumerate(names):
        out.append("struct %s g_%d;\n" % (n, i))
    out.append("FILE *g_fp;\n\nint main(void)\n{\n    g_fp = stdout;\n"
               "    fprintf(g_fp, \"%d\\n\", (int)sizeof(g_0));\n    return 0;\n}\n")
    return "".join(out)


def go_source(structs):
    names = sorted(structs)
    out = ["package main\n\nimport \"fmt\"\n\n"]
    for n in names:
        out.append(structs[n] + "\n")
    for n in names:
        out.append("var v%s %s\n" % (n, n))
    out.append("\nfunc main() {\n")
    if "Padded" in structs:
        out.append("\tfmt.Println(vPadded.Touch())\n")
    for n in names:
        out.append("\tfmt.Println(v%s)\n" % n)
    out.append("}\n")
    return "".join(out)


def merged(base, delta):
    d = dict(base)
    for k, v in delta.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d



go_env = C.go_env


class Ctx:
    def __init__(self, args, wd):
        self.args = args
        self.padscan = args.padscan
        self.wd = wd
        self.cc = args.compiler
        self.go = args.go or shutil.which("go")
        self.fails = []
        self.notes = []
        self.skips = []
        self.plant = None      # key of the planted expectation
        self.caught = False
        self.checks = 0

    # -- checking
    def fail(self, part, msg):
        self.fails.append((part, msg))
        C.log("FAIL [%s]: %s" % (part, msg))

    def eq(self, part, key, got, want, what):
        """got must equal want; `key` names the expectation (for --self-check)."""
        self.checks += 1
        if self.plant is not None and key == self.plant:
            want = plant_value(want)
            C.log("[self-check] planted wrong expectation %r: %r" % (key, want))
        if got != want:
            if self.plant is not None and key == self.plant:
                self.caught = True
            self.fail(part, "%s: got %r, expected %r" % (what, got, want))
            return False
        return True

    def eq_list(self, part, key, got, want, what):
        """Like eq for lists, but the message shows only missing/unexpected items (<= 8 each)."""
        self.checks += 1
        if self.plant is not None and key == self.plant:
            want = plant_value(want)
            C.log("[self-check] planted wrong expectation %r" % (key,))
        if got == want:
            return True
        if self.plant is not None and key == self.plant:
            self.caught = True
        missing = [x for x in want if x not in got]
        extra = [x for x in got if x not in want]

        def short(xs):
            return "%s%s" % (xs[:8], " ... (%d in all)" % len(xs) if len(xs) > 8 else "")
        self.fail(part, "%s: %d items, expected %d; missing %s; unexpected %s"
                  % (what, len(got), len(want), short(missing), short(extra)))
        return False

    def true(self, part, cond, what):
        self.checks += 1
        if not cond:
            self.fail(part, what)
        return bool(cond)

    # -- running padscan
    def ps(self, argv, cwd=None):
        p = C.run([self.padscan] + list(argv), cwd=cwd, timeout=300)
        return p.returncode, p.stdout, p.stderr

    def ps_json(self, part, argv, cwd=None, rcs=(0,)):
        rc, out, err = self.ps(argv, cwd)
        if rc not in rcs:
            self.fail(part, "padscan %s: exit %d (expected %s); stderr: %s"
                      % (" ".join(argv), rc, rcs, err.strip()[:600]))
            return rc, None
        try:
            return rc, json.loads(out)
        except ValueError as e:
            self.fail(part, "padscan %s: stdout is not JSON (%s): %r" % (" ".join(argv), e, out[:300]))
            return rc, None

    def analyze(self, binary, pattern):
        p = C.run([self.padscan, "analyze", "--format", "json", "--type", pattern, binary])
        if p.returncode != 0:
            raise RuntimeError("padscan analyze %s failed (rc=%d): %s"
                               % (binary, p.returncode, p.stderr.strip()))
        doc = json.loads(p.stdout)
        b = C.pick_binary(doc, binary)
        out = {s["name"]: s for s in b["structs"]}
        for s in out.values():  # where CI formats must point (docs/ci.md, "Paths")
            s["_repo"], s["_repo_root"] = C.repo_path(s.get("decl_file"), b.get("source_root"))
        return out

    def suggest(self, binary, pattern):
        p = C.run([self.padscan, "suggest", "--format", "json", "--type", pattern, binary])
        if p.returncode != 0:
            raise RuntimeError("padscan suggest %s failed (rc=%d): %s"
                               % (binary, p.returncode, p.stderr.strip()))
        doc = json.loads(p.stdout)
        out = {}
        for b in doc.get("binaries", []):
            for s in b.get("suggestions", []):
                out[s["name"]] = s
        return out

    # -- building fixtures
    def build_c(self, name, structs, preamble=""):
        d = os.path.join(self.wd, "src")
        os.makedirs(d, exist_ok=True)
        src = os.path.join(d, name + ".c")
        with open(src, "w") as f:
            f.write(c_source(structs, preamble))
        out = os.path.join(self.wd, name)
        C.run([self.cc, "-std=gnu11", "-g", "-O0", src, "-o", out], check=True)
        return out

    def build_go(self, name, structs):
        d = os.path.join(self.wd, "gosrc_" + name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "go.mod"), "w") as f:
            f.write("module cifixture\n\ngo 1.19\n")
        with open(os.path.join(d, "main.go"), "w") as f:
            f.write(go_source(structs))
        out = os.path.join(self.wd, name)
        C.run([self.go, "build", "-o", out, "."], cwd=d, env=go_env(self.wd), check=True)
        return out


def plant_value(v):
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float)):
        return v + 1
    if isinstance(v, str):
        return v + "-planted"
    if isinstance(v, list):
        return v + ["planted"]
    if isinstance(v, set):
        return v | {("planted",)}
    if isinstance(v, dict):
        d = dict(v)
        d["planted"] = 1
        return d
    return ("planted", v)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


def exact_percent(s):
    return s["waste"] * 100.0 / s["size"] if s["size"] else 0.0


# --------------------------------------------------------------------------
# part: rules

RULES = ("max_waste", "max_waste_percent", "max_size", "max_cachelines", "max_pointer_bytes")


def measured(s, rule):
    if rule == "max_waste":
        return s["waste"]
    if rule == "max_waste_percent":
        return exact_percent(s)
    if rule == "max_size":
        return s["size"]
    if rule == "max_cachelines":
        return s["cachelines"]
    if rule == "max_pointer_bytes":
        return s.get("pointer_bytes", 0)
    raise KeyError(rule)


def best_measure(s, rule, line=64):
    """What the suggested (optimal) order measures for a rule, from the
    report's integers: data bytes stay, padding is what the size adds."""
    opt = s["optimal_size"]
    waste = opt - (s["size"] - s["waste"])
    if rule == "max_size":
        return opt
    if rule == "max_cachelines":
        return (opt + line - 1) // line
    if rule == "max_waste":
        return waste
    if rule == "max_waste_percent":
        return 100.0 * waste / opt if opt else 0.0
    if rule == "max_pointer_bytes":
        return s.get("optimal_pointer_bytes", s.get("pointer_bytes", 0))
    return None


def below(rule, v):
    if rule == "max_waste_percent":
        return max(0.0, round(v - 0.01, 4)) if v >= 0.01 else None
    return v - 1 if v >= 1 else None


def check_violation(ctx, part, tag, r, s, sug, rule, limit):
    """One failed result: struct, rule, value, limit named; fix iff it can shrink."""
    name = s["name"]
    val = measured(s, rule) if rule != "must_be_optimal" else s["size"] - s["optimal_size"]
    key = "%s/%s/%s" % (tag, name, rule)
    ctx.eq(part, key + "/value", r.get("value"), val if rule != "max_waste_percent" else r.get("value"),
           "%s %s: value" % (name, rule))
    if rule == "max_waste_percent":
        ctx.true(part, isinstance(r.get("value"), (int, float))
                 and abs(r["value"] - val) < 1e-6,
                 "%s %s: value %r, expected %r (waste*100/size)" % (name, rule, r.get("value"), val))
    if rule != "must_be_optimal":
        ctx.eq(part, key + "/limit", r.get("limit"), limit, "%s %s: limit" % (name, rule))
    msg = r.get("message") or ""
    ctx.true(part, name in msg, "%s %s: message does not name the struct: %r" % (name, rule, msg))
    if rule != "must_be_optimal":
        ctx.true(part, rule in msg, "%s %s: message does not name the rule: %r" % (name, rule, msg))
        ctx.true(part, any(abs(float(x) - limit) <= 5e-5 for x in re.findall(r"-?\d+(?:\.\d+)?", msg)),
                 "%s %s: message does not name the limit %g: %r" % (name, rule, limit, msg))
        if rule == "max_waste_percent":
            ok = any(("%.*f" % (k, val)).rstrip("0").rstrip(".") in msg for k in range(1, 6))
        else:
            ok = str(val) in msg
        ctx.true(part, ok, "%s %s: message does not name the value %r: %r" % (name, rule, val, msg))
    else:
        ctx.true(part, str(s["size"]) in msg and str(s["optimal_size"]) in msg,
                 "%s must_be_optimal: message lacks size %d / optimal %d: %r"
                 % (name, s["size"], s["optimal_size"], msg))
    shrinks = s["optimal_size"] < s["size"] or (
        s.get("optimal_pointer_bytes", 0) < s.get("pointer_bytes", 0))
    fix = r.get("fix")
    best = best_measure(s, rule)
    if best is not None and best > limit + 1e-9:
        # no order meets the limit: the fix says so, with what the best reaches
        ctx.true(part, isinstance(fix, str) and fix.startswith("no order of the members meets %s"
                                                               % rule),
                 "%s %s: the best order reaches %r > %g, but the fix is %r"
                 % (name, rule, best, limit, fix))
        shown = ("%.2f" % best) if rule == "max_waste_percent" else str(best)
        ctx.true(part, isinstance(fix, str) and shown in fix,
                 "%s %s: the fix does not say the best order's %s: %r" % (name, rule, shown, fix))
    elif shrinks:
        order = ", ".join(m["name"] for m in sug["new_order"]) if sug else None
        if ctx.true(part, isinstance(fix, str) and fix,
                    "%s %s: struct can shrink (%d -> %d) but the result has no fix"
                    % (name, rule, s["size"], s["optimal_size"])):
            ctx.true(part, ("to %d bytes" % s["optimal_size"]) in fix,
                     "%s %s: fix does not give the optimal size %d: %r"
                     % (name, rule, s["optimal_size"], fix))
            if order:
                ctx.true(part, fix.endswith(order) or (order + " ") in fix or order in fix,
                         "%s %s: fix %r does not give suggest's new order %r" % (name, rule, fix, order))
    else:
        ctx.true(part, not fix, "%s %s: already optimal but fix=%r" % (name, rule, fix))
    for k in ("binary", "type", "rule", "value", "limit", "failed", "baseline", "message"):
        ctx.true(part, k in r, "%s %s: result lacks %r" % (name, rule, k))


def run_budget(ctx, part, tag, budget, binaries, extra=(), want_rc=None):
    path = write_json(os.path.join(ctx.wd, "budget_%s.json" % tag), budget)
    rc, doc = ctx.ps_json(part, ["check", "--budget", path, "--format", "json"] + list(extra)
                          + list(binaries), rcs=(0, 1))
    if want_rc is not None:
        ctx.eq(part, tag + "/rc", rc, want_rc, "%s: exit status" % tag)
    if doc is not None:
        nf = sum(1 for r in doc.get("results", []) if r.get("failed"))
        ctx.eq(part, tag + "/failures", doc.get("failures"), nf,
               "%s: \"failures\" vs failed results" % tag)
    return rc, doc


def part_rules(ctx):
    part = "rules"
    sets = []
    cbin = ctx.build_c("c_v1", C_STRUCTS)
    sets.append(("c", cbin, "ci_*", ctx.analyze(cbin, "ci_*"), ctx.suggest(cbin, "ci_*")))
    if ctx.go:
        gbin = ctx.build_go("go_v1", GO_STRUCTS)
        sets.append(("go", gbin, "main.*", ctx.analyze(gbin, "main.*"),
                     ctx.suggest(gbin, "main.*")))
    else:
        ctx.notes.append("go not installed: Go rules skipped")
    for lang, binary, pat, structs, sugs in sets:
        names = sorted(structs)
        if lang == "c":
            ctx.true(part, set(names) == set(C_STRUCTS),
                     "C structs found %s, expected %s" % (names, sorted(C_STRUCTS)))
        rules = list(RULES) if lang == "go" else list(RULES[:4])
        for rule in rules:
            # at the measured value: every struct passes
            budget = {"rules": [{"types": n, rule: measured(structs[n], rule)} for n in names]}
            tag = "%s_%s_at" % (lang, rule)
            rc, doc = run_budget(ctx, part, tag, budget, [binary], want_rc=0)
            if doc:
                got = sorted((r["type"], r["rule"]) for r in doc["results"])
                ctx.eq(part, tag + "/results", got, sorted((n, rule) for n in names),
                       "%s: one result per struct" % tag)
                for r in doc["results"]:
                    ctx.true(part, not r["failed"], "%s: %s failed at its own measured value: %s"
                             % (tag, r["type"], r.get("message")))
            # just below: every struct with a value > 0 fails
            lims = {n: below(rule, measured(structs[n], rule)) for n in names}
            budget = {"rules": [{"types": n, rule: lims[n]} for n in names if lims[n] is not None]}
            tag = "%s_%s_below" % (lang, rule)
            expect = sorted(n for n in names if lims[n] is not None)
            rc, doc = run_budget(ctx, part, tag, budget, [binary], want_rc=1 if expect else 0)
            if doc:
                failed = sorted(r["type"] for r in doc["results"] if r["failed"])
                ctx.eq(part, tag + "/failed", failed, expect, "%s: failing structs" % tag)
                for r in doc["results"]:
                    if r["failed"] and r["type"] in structs:
                        check_violation(ctx, part, tag, r, structs[r["type"]],
                                        sugs.get(r["type"]), rule, lims[r["type"]])
        # must_be_optimal
        tag = "%s_must_be_optimal" % lang
        expect = sorted(n for n in names if structs[n]["optimal_size"] < structs[n]["size"])
        rc, doc = run_budget(ctx, part, tag, {"rules": [{"types": pat, "must_be_optimal": True}]},
                             [binary], want_rc=1 if expect else 0)
        if doc:
            failed = sorted(r["type"] for r in doc["results"] if r["failed"])
            ctx.eq(part, tag + "/failed", failed, expect, "%s: structs larger than optimal" % tag)
            for r in doc["results"]:
                if r["failed"] and r["type"] in structs:
                    check_violation(ctx, part, tag, r, structs[r["type"]], sugs.get(r["type"]),
                                    "must_be_optimal", 0)
        # must_be_optimal false limits nothing: beside another limit it is
        # no check, alone the rule has no limit (an input error)
        tag = "%s_must_be_optimal_false" % lang
        rc, doc = run_budget(ctx, part, tag, {"rules": [{"types": pat, "must_be_optimal": False,
                                                         "max_size": 1 << 40}]},
                             [binary], want_rc=0)
        if doc:
            ctx.true(part, not [r for r in doc["results"] if r["rule"] == "must_be_optimal"],
                     "%s: must_be_optimal false was checked" % tag)
        rc, _, err = ctx.ps(["check", "--budget", write_json(
            os.path.join(ctx.wd, "budget_%s_alone.json" % tag),
            {"rules": [{"types": pat, "must_be_optimal": False}]}), binary])
        ctx.eq(part, tag + "_alone/rc", rc, 2, "%s: a rule whose only limit is false" % tag)
        ctx.true(part, "at least one limit" in err, "%s alone: %r" % (tag, err))
        # ignore entries suppress (the rest still fails)
        tag = "%s_ignore" % lang
        ign = "ci_padded" if lang == "c" else "main.Padded"
        wasteful = sorted(n for n in names if structs[n]["waste"] > 0)
        budget = {"rules": [{"types": pat, "max_waste": 0}],
                  "ignore": [{"type": ign, "reason": "generated test: on purpose"}]}
        rc, doc = run_budget(ctx, part, tag, budget, [binary], want_rc=1)
        if doc:
            failed = sorted(r["type"] for r in doc["results"] if r["failed"])
            ctx.eq(part, tag + "/failed", failed, [n for n in wasteful if n != ign],
                   "%s: failing structs with %s ignored" % (tag, ign))
        budget["ignore"] = [{"type": n, "reason": "all ignored"} for n in wasteful]
        run_budget(ctx, part, tag + "_all", budget, [binary], want_rc=0)
        # standard-library / system-header structs: skipped unless --type names them
        tag = "%s_stdlib" % lang
        rc, doc = run_budget(ctx, part, tag, {"rules": [{"types": "*", "max_waste": 0}]}, [binary],
                             want_rc=1)
        if doc:
            got = sorted(set(r["type"] for r in doc["results"]))
            ctx.eq(part, tag + "/types", got, names,
                   "%s: types checked with types \"*\" (system structs must be skipped)" % tag)
        sysname = "_IO_FILE" if lang == "c" else "runtime.g"
        sysstructs = ctx.analyze(binary, sysname)
        if sysname in sysstructs:
            tag = "%s_stdlib_named" % lang
            rc, doc = run_budget(ctx, part, tag, {"rules": [{"types": "*", "max_size": 0}]},
                                 [binary], extra=["--type", sysname], want_rc=1)
            if doc:
                got = sorted(set(r["type"] for r in doc["results"] if r["failed"]))
                ctx.eq(part, tag + "/types", got, [sysname], "%s: --type %s" % (tag, sysname))
    # fleet rule
    manifest = {"services": [{"name": "svc-c", "binary": os.path.basename(cbin), "replicas": 3,
                              "allocator": "exact",
                              "hot_types": [{"type": "ci_padded", "instances": 1000},
                                            {"type": "ci_big", "instances": 10, "held": "array"}]}]}
    mpath = write_json(os.path.join(ctx.wd, "fleet_manifest.json"), manifest)
    rc, fdoc = ctx.ps_json(part, ["fleet", "--format", "json", mpath])
    if fdoc:
        total = fdoc["total"]["saved_real"]
        ctx.true(part, total > 0, "fleet total.saved_real is %r, expected > 0" % total)
        for tag, lim, want in (("fleet_at", total, 0), ("fleet_below", total - 1, 1)):
            budget = {"fleet": {"max_waste": lim}}
            rc, doc = run_budget(ctx, part, tag, budget, [], extra=["--fleet", mpath],
                                 want_rc=want)
            if doc:
                fl = [r for r in doc["results"] if "fleet" in r["rule"]]
                if ctx.eq(part, tag + "/n", len(fl), 1, "%s: fleet results" % tag):
                    r = fl[0]
                    ctx.eq(part, tag + "/value", r["value"], total, "%s: fleet value" % tag)
                    ctx.eq(part, tag + "/limit", r["limit"], lim, "%s: fleet limit" % tag)
                    ctx.eq(part, tag + "/failed", r["failed"], bool(want), "%s: failed" % tag)
        # without --fleet the fleet limit cannot be checked: an input error,
        # unless the budget says the limit is optional (then a note)
        for optional, want in ((False, 2), (True, 0)):
            fleet = {"max_waste": 1}
            if optional:
                fleet["optional"] = True
            rc, out, err = ctx.ps(["check", "--budget",
                                   write_json(os.path.join(ctx.wd, "budget_fleet_only.json"),
                                              {"fleet": fleet,
                                               "rules": [{"types": "ci_tight", "max_waste": 0}]}),
                                   cbin])
            tag = "fleet_nomanifest%s" % ("_optional" if optional else "")
            ctx.eq(part, tag + "/rc", rc, want, "fleet limit without --fleet: exit status")
            ctx.true(part, "--fleet" in err, "fleet limit without --fleet: no stderr note: %r" % err)


# --------------------------------------------------------------------------
# part: baseline

def listing(d):
    return sorted(os.listdir(d))


def part_baseline(ctx):
    part = "baseline"
    v1 = ctx.build_c("c_v1", C_STRUCTS)
    v2 = ctx.build_c("c_v2r", merged(C_STRUCTS, {"ci_ratchet": C_V2["ci_ratchet"]}))
    v3 = ctx.build_c("c_v3", merged(C_STRUCTS, C_V3))
    a1, a2, a3 = (ctx.analyze(b, "ci_*") for b in (v1, v2, v3))
    bdir = os.path.join(ctx.wd, "baseline_dir")
    if os.path.exists(bdir):
        shutil.rmtree(bdir)
    os.makedirs(bdir)
    base = os.path.join(bdir, "baseline.json")
    budget = write_json(os.path.join(ctx.wd, "budget_ratchet.json"),
                        {"rules": [{"types": "ci_*", "max_waste": 0}]})
    wasteful1 = sorted(n for n in a1 if a1[n]["waste"] > 0)

    def check(binary, tag, want_rc, write=None, with_base=True):
        argv = ["check", "--budget", budget, "--format", "json"]
        if with_base:
            argv += ["--baseline", base]
        if write:
            argv += ["--write-baseline", write]
        rc, doc = ctx.ps_json(part, argv + [binary], rcs=(0, 1))
        ctx.eq(part, tag + "/rc", rc, want_rc, "%s: exit status" % tag)
        return doc

    def check_baseline_file(path, truth, tag):
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            ctx.fail(part, "%s: baseline %s is not readable JSON: %s" % (tag, path, e))
            return
        ctx.eq(part, tag + "/dir", listing(os.path.dirname(path)), [os.path.basename(path)],
               "%s: files in the baseline's folder (temp files left?)" % tag)
        got = {}
        for s in doc.get("structs", []):
            got[s.get("name")] = s
        for n, s in sorted(truth.items()):
            b = got.get(n)
            if not ctx.true(part, b is not None, "%s: baseline lacks %s" % (tag, n)):
                continue
            for k in ("size", "waste", "optimal_size"):
                ctx.eq(part, "%s/%s/%s" % (tag, n, k), b.get(k), s[k], "%s: baseline %s.%s" % (tag, n, k))

    # --write-baseline says what it wrote (one stderr line) and exits 0 although v1
    # fails; --fail-on-violation makes it exit 1; stdout still reports the failures
    wb = os.path.join(bdir, "written.json")
    for extra, want in (([], 0), (["--fail-on-violation"], 1)):
        tag = "write" + "".join(extra)
        rc, out, err = ctx.ps(["check", "--budget", budget, "--write-baseline", wb] + extra + [v1])
        ctx.eq(part, tag + "/rc", rc, want, "--write-baseline %s: exit status" % " ".join(extra))
        lines = err.splitlines()
        ctx.eq(part, tag + "/stderr_lines", len(lines), 1, "--write-baseline: stderr lines %r" % lines)
        try:
            nwritten = len(json.load(open(wb))["structs"])
        except (OSError, ValueError, KeyError) as e:
            ctx.fail(part, "%s: no readable baseline at %s: %s" % (tag, wb, e))
            continue
        m = re.search(r"wrote baseline (\S+) \((\d+) structs? from (\d+) inputs?\)", lines[0] if lines else "")
        ctx.true(part, m, "--write-baseline: stderr does not say what it wrote: %r" % lines)
        if m:
            ctx.eq(part, tag + "/said", (m.group(1), int(m.group(2)), int(m.group(3))), (wb, nwritten, 1),
                   "--write-baseline: (file, structs, inputs) on stderr vs the file written")
        ctx.true(part, "FAIL " in out, "--write-baseline: stdout does not report v1's failures: %r" % out[:300])
        os.unlink(wb)
    # without a baseline v1 fails; write the baseline (the run still reports, exits 0)
    doc = check(v1, "v1_no_baseline", 0, write=base, with_base=False)
    check_baseline_file(base, a1, "v1_write")
    ino1 = os.stat(base).st_ino if os.path.exists(base) else None
    # v1 against its own baseline: violations are known, not failures
    doc = check(v1, "v1_with_baseline", 0)
    if doc:
        known = sorted(r["type"] for r in doc["results"] if r.get("baseline"))
        ctx.eq(part, "v1/known", known, wasteful1, "v1 with baseline: known violations")
        ctx.eq(part, "v1/failures", doc.get("failures"), 0, "v1 with baseline: failures")
    # v2: ci_ratchet gained a bool between two int64 -> grew + more_waste
    doc = check(v2, "v2_with_baseline", 1)
    if doc:
        failed = sorted((r["type"], r["rule"]) for r in doc["results"] if r["failed"])
        exp = []
        if a2["ci_ratchet"]["size"] > a1["ci_ratchet"]["size"]:
            exp.append(("ci_ratchet", "grew"))
        if a2["ci_ratchet"]["waste"] > a1["ci_ratchet"]["waste"]:
            exp.append(("ci_ratchet", "more_waste"))
        if a2["ci_ratchet"]["waste"] > 0 and a1["ci_ratchet"]["waste"] == 0:
            exp.append(("ci_ratchet", "max_waste"))   # a new violation, not in the baseline
        ctx.eq(part, "v2/failed", failed, sorted(exp), "v2 with baseline: failing (type, rule)")
        for r in doc["results"]:
            if r["failed"] and r["rule"] in ("grew", "more_waste"):
                k = "size" if r["rule"] == "grew" else "waste"
                ctx.eq(part, "v2/%s/value" % r["rule"], r["value"], a2["ci_ratchet"][k],
                       "v2 %s: value" % r["rule"])
                ctx.eq(part, "v2/%s/limit" % r["rule"], r["limit"], a1["ci_ratchet"][k],
                       "v2 %s: limit (the baseline's)" % r["rule"])
    # v3: ci_padded lost a padded field -> better, passes; --write-baseline ratchets down
    doc = check(v3, "v3_with_baseline", 0, write=base)
    ctx.true(part, a3["ci_padded"]["size"] < a1["ci_padded"]["size"],
             "fixture: v3 ci_padded is not smaller")
    check_baseline_file(base, a3, "v3_write")
    if ino1 is not None and os.path.exists(base):
        ctx.true(part, os.stat(base).st_ino != ino1,
                 "--write-baseline rewrote the file in place (same inode): not atomic")
    # v2 against the v3 baseline: still grew
    doc = check(v2, "v2_vs_v3_baseline", 1)
    # ... and a baseline written by that run does not absorb the regressions:
    # each struct v2 made worse than the v3 baseline (ci_ratchet grew,
    # ci_padded is back to v1's) keeps the baseline's numbers, the rest are
    # v2's; checking v2 against the new file still fails
    rdir = os.path.join(ctx.wd, "ratchet_dir")
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    ratcheted = os.path.join(rdir, "ratcheted.json")
    rc, out, err = ctx.ps(["check", "--budget", budget, "--baseline", base, "--write-baseline",
                           ratcheted, v2])
    ctx.eq(part, "ratchet/rc", rc, 0, "--write-baseline over a regression: exit status")
    worse = sorted(n for n in a2 if n in a3 and (a2[n]["size"] > a3[n]["size"] or a2[n]["waste"] > a3[n]["waste"]))
    ctx.true(part, "ci_ratchet" in worse, "fixture: v2 ci_ratchet is not worse than v3's")
    m = re.search(r"keeps the earlier numbers of (\d+) structs? that got worse", err)
    ctx.true(part, m and int(m.group(1)) == len(worse),
             "--write-baseline over regressions of %s: stderr %r" % (worse, err))
    want = {n: (a3[n] if n in worse else a2[n]) for n in a2}
    check_baseline_file(ratcheted, want, "ratchet_write")
    doc = ctx.ps_json(part, ["check", "--budget", budget, "--format", "json", "--baseline", ratcheted, v2],
                      rcs=(0, 1))
    ctx.eq(part, "ratchet/recheck", doc[0], 1, "v2 against the baseline its own run wrote: exit status")
    # the baseline written is also a valid --baseline for the same build: exit 0
    doc = check(v3, "v3_with_v3_baseline", 0)
    # a report or baseline counting 128-byte lines is not compared with a
    # 64-byte run (false regressions, hidden ones): exit 2 naming the file;
    # with the same --cacheline it is the same build: nothing changed
    r128 = os.path.join(ctx.wd, "v1-128.json")
    b128 = os.path.join(ctx.wd, "v1-128-baseline.json")
    ctx.ps(["analyze", "--format", "json", "--cacheline", "128", "-o", r128, v1])
    ctx.ps(["check", "--budget", budget, "--cacheline", "128", "--write-baseline", b128, v1])
    direct = ctx.ps(["check", "--budget", budget, "--cacheline", "128", v1])[0]
    for tag, argv, same in (("diff", ["diff", "--fail-on-regression", r128, v1], 0),
                            ("check_report", ["check", "--budget", budget, r128], direct),
                            ("check_baseline", ["check", "--budget", budget, "--baseline", b128, v1], 0)):
        rc, out, err = ctx.ps(argv)
        ctx.eq(part, "cacheline/%s/rc" % tag, rc, 2, "%s: a 128-byte-line file in a 64-byte run" % tag)
        ctx.true(part, "--cacheline 128" in err and (r128 in err or b128 in err),
                 "%s: the refusal does not name the file and its line size: %r" % (tag, err))
        rc, out, err = ctx.ps(argv[:1] + ["--cacheline", "128"] + argv[1:])
        ctx.eq(part, "cacheline/%s/same" % tag, rc, same, "%s --cacheline 128: %s" % (tag, err))
    # a failing --write-baseline target (missing folder) must not leave temp files
    rc, out, err = ctx.ps(["check", "--budget", budget, "--write-baseline",
                           os.path.join(bdir, "no_such_dir", "b.json"), v1])
    ctx.eq(part, "write_missing_dir/rc", rc, 2, "--write-baseline into a missing folder: exit")
    ctx.eq(part, "write_missing_dir/dir", listing(bdir), ["baseline.json"],
           "--write-baseline into a missing folder: files left")


# --------------------------------------------------------------------------
# part: formats

class Tools:
    """ajv + SARIF schema + JUnit XSD from npm into --npm-dir; xmllint from Debian."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.dir = os.path.abspath(ctx.args.npm_dir or os.path.join(ctx.wd, "npm"))
        self.npm = shutil.which("npm")
        self.node = shutil.which("node")
        self.xmllint = shutil.which("xmllint")

    def _npm(self, argv):
        env = dict(os.environ)
        env.setdefault("npm_config_cache", os.path.join(self.dir, ".npm-cache"))
        env["npm_config_update_notifier"] = "false"
        env["npm_config_fund"] = "false"
        env["npm_config_audit"] = "false"
        return C.run([self.npm] + argv, cwd=self.dir, env=env, timeout=600)

    def _packed(self, spec, member):
        """Extract one member of an npm package tarball (npm pack, no install)."""
        dest = os.path.join(self.dir, "files", spec.replace("/", "_").replace("@", ""),
                            os.path.basename(member))
        if os.path.exists(dest):
            return dest, None
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        p = self._npm(["pack", spec, "--json", "--pack-destination", self.dir])
        if p.returncode != 0:
            return None, "npm pack %s failed: %s" % (spec, p.stderr.strip()[-300:])
        try:
            fn = json.loads(p.stdout)[0]["filename"]
        except (ValueError, LookupError, TypeError):
            return None, "npm pack %s: unexpected output %r" % (spec, p.stdout[:200])
        tgz = os.path.join(self.dir, fn)
        try:
            with tarfile.open(tgz) as t:
                data = t.extractfile(member).read()
        except (KeyError, OSError, tarfile.TarError, AttributeError) as e:
            return None, "%s does not contain %s: %s" % (spec, member, e)
        with open(dest + ".tmp", "wb") as f:
            f.write(data)
        os.rename(dest + ".tmp", dest)
        os.unlink(tgz)
        return dest, None

    def sarif(self):
        """-> (validator script argv prefix, None) or (None, reason)."""
        if not self.node or not self.npm:
            return None, "node/npm not installed (Debian packages nodejs, npm)"
        os.makedirs(self.dir, exist_ok=True)
        ajv = os.path.join(self.dir, "node_modules", "ajv", "package.json")
        fmts = os.path.join(self.dir, "node_modules", "ajv-formats", "package.json")
        if not (os.path.exists(ajv) and os.path.exists(fmts)):
            p = self._npm(["install", "--prefix", self.dir, "--no-save"] + NPM_AJV)
            if p.returncode != 0 or not os.path.exists(ajv):
                return None, "npm install %s failed: %s" % (" ".join(NPM_AJV), p.stderr.strip()[-300:])
        schema, why = self._packed(*NPM_SARIF_SCHEMA)
        if not schema:
            return None, why
        script = os.path.join(self.dir, "validate_sarif.js")
        with open(script, "w") as f:
            f.write(VALIDATE_JS)
        return [self.node, script, schema], None

    def sarif_multitool(self):
        """-> (argv prefix of `Sarif.Multitool validate`, None) or (None, reason)."""
        if not self.npm:
            return None, "npm not installed (Debian package npm)"
        os.makedirs(self.dir, exist_ok=True)
        exe = os.path.join(self.dir, "node_modules", *SARIF_MULTITOOL_EXE)
        if not os.path.exists(exe):
            p = self._npm(["install", "--prefix", self.dir, "--no-save", NPM_SARIF_MULTITOOL])
            if p.returncode != 0 or not os.path.exists(exe):
                return None, "npm install %s failed (or no linux build): %s" % (
                    NPM_SARIF_MULTITOOL, p.stderr.strip()[-300:])
        os.chmod(exe, 0o755)   # its postinstall does this; npm may not run install scripts
        return [exe, "validate", "--rule-kind", "Gh;Sarif"], None

    def multitool_env(self):
        env = dict(os.environ)
        env.update({"DOTNET_CLI_TELEMETRY_OPTOUT": "1",
                    "DOTNET_BUNDLE_EXTRACT_BASE_DIR": os.path.join(self.dir, ".dotnet-bundle")})
        return env

    def junit_xsd(self):
        if not self.npm:
            return None, "npm not installed (Debian package npm)"
        os.makedirs(self.dir, exist_ok=True)
        return self._packed(*NPM_JUNIT_XSD)


VALIDATE_JS = r"""
// node validate_sarif.js SCHEMA FILE...  (ajv draft-07 + ajv-formats, strict off)
const path = require('path');
const fs = require('fs');
const Ajv = require(path.join(__dirname, 'node_modules', 'ajv'));
const addFormats = require(path.join(__dirname, 'node_modules', 'ajv-formats'));
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(schema);
let bad = 0;
for (const f of process.argv.slice(3)) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  if (validate(doc)) { console.log('VALID ' + f); }
  else { bad++; console.log('INVALID ' + f + ' ' + JSON.stringify(validate.errors.slice(0, 8))); }
}
process.exit(bad ? 1 : 0);
"""

GH_LINE = re.compile(r"^::(error|notice)( file=([^,:]+)(,line=(\d+))?,| )title=([^:]+)::(.+)$")

SCHEMA_PY = r"""
import json, sys, traceback
try:
    import jsonschema
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    bad = 0
    for f in sys.argv[2:]:
        errs = sorted(v.iter_errors(json.load(open(f))), key=lambda e: list(e.path))
        print(("VALID " if not errs else "INVALID ") + f)
        for e in errs[:8]:
            print("  %s: %s" % ("/".join(map(str, e.path)), e.message))
        bad += bool(errs)
except Exception:
    traceback.print_exc()
    sys.exit(3)
sys.exit(1 if bad else 0)
"""


def schema_validate(schema, files):
    """jsonschema (Debian python3-jsonschema, /usr/bin/python3) -> (rc, output)."""
    py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    p = C.run([py, "-c", SCHEMA_PY, schema] + list(files), timeout=120)
    return p.returncode, (p.stdout + p.stderr).strip()


def check_codequality_schema(ctx, part, path, tag):
    """path must validate against docs/schema/codequality.schema.json, and planted
    defects of it must not (so the validation can fail)."""
    rc, out = schema_validate(CODEQUALITY_SCHEMA, [path])
    if rc not in (0, 1):
        ctx.fail(part, "%s: Code Quality schema validation did not run (python3-jsonschema): %s"
                 % (tag, out[-600:]))
        return
    ctx.true(part, rc == 0, "%s: Code Quality report invalid against %s: %s"
             % (tag, os.path.basename(CODEQUALITY_SCHEMA), out[-1500:]))
    with open(path) as f:
        doc = json.load(f)
    if not doc:
        return
    planted = []
    for key, how in (("fingerprint", "drop"), ("severity", "high"), ("location", "nolines"),
                     ("check_name", "drop"), ("description", "drop")):
        bad = json.loads(json.dumps(doc))
        if how == "drop":
            del bad[0][key]
        elif how == "nolines":
            bad[0]["location"].pop("lines", None)
        else:
            bad[0][key] = how
        bp = "%s.planted_%s.json" % (path, key)
        with open(bp, "w") as f:
            json.dump(bad, f)
        planted.append(bp)
    for bp in planted:
        rc, out = schema_validate(CODEQUALITY_SCHEMA, [bp])
        ctx.true(part, rc == 1, "%s: the Code Quality schema accepts a planted defect (%s)"
                 % (tag, os.path.basename(bp)))


def multitool_check(ctx, part, files):
    """Microsoft's SARIF Multitool with GitHub's ingestion rules: no error, no GH rule
    hit at all.  It exits 0 whatever it finds, so its SARIF log is read; a planted
    defect (a rule without fullDescription/help) must be reported as GH2012."""
    tools = Tools(ctx)
    argv, why = tools.sarif_multitool()
    if not argv:
        ctx.skips.append("SARIF Multitool (GitHub ingestion rules) skipped: %s" % why)
        return
    bad = json.loads(open(files[0]).read())
    for r in bad["runs"][0]["tool"]["driver"].get("rules", []):
        r.pop("fullDescription", None)
        r.pop("help", None)
    planted = files[0] + ".planted.sarif"
    with open(planted, "w") as f:
        json.dump(bad, f)

    # one run over all files (the tool takes seconds to start); findings by file
    log = files[0] + ".validation.sarif"
    if os.path.exists(log):
        os.unlink(log)
    p = C.run(argv + ["-o", log, planted] + list(files), env=tools.multitool_env(), timeout=600)
    if not os.path.exists(log):
        ctx.fail(part, "SARIF Multitool wrote no log (rc=%d): %s"
                 % (p.returncode, (p.stdout + p.stderr).strip()[-800:]))
        return
    run = json.load(open(log))["runs"][0]
    for inv in run.get("invocations", []):
        ctx.true(part, inv.get("executionSuccessful") is True,
                 "SARIF Multitool did not run successfully: %s" % inv.get("toolExecutionNotifications", [])[:3])
    found = {}
    for r in run.get("results", []):
        try:
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        except (KeyError, IndexError, TypeError):
            uri = "?"
        found.setdefault(os.path.basename(uri), []).append(
            (r.get("ruleId"), r.get("level", "warning"), (r.get("message") or {}).get("text", "")))
    known = {os.path.basename(f) for f in [planted] + list(files)}
    ctx.eq(part, "multitool/files", sorted(set(found) - known), [],
           "SARIF Multitool findings for files not given to it")
    got = found.get(os.path.basename(planted), [])
    ctx.true(part, any(rid == "GH2012" for rid, _, _ in got),
             "SARIF Multitool does not report GH2012 on a SARIF file whose rules lack "
             "fullDescription/help (validator not working?): %s" % got[:5])
    for path in files:
        got = found.get(os.path.basename(path), [])
        bad = [g for g in got if g[1] == "error" or (g[0] or "").startswith("GH")]
        ctx.true(part, not bad, "%s: GitHub ingestion / SARIF errors (SARIF Multitool): %s"
                 % (os.path.basename(path), bad[:6]))
        other = {}
        for rid, level, text in got:
            if (rid, level, text) not in bad:
                other["%s %s" % (level, rid)] = other.get("%s %s" % (level, rid), 0) + 1
        if other:
            ctx.notes.append("SARIF Multitool on %s, allowed (not GitHub's rules, not errors): %s"
                             % (os.path.basename(path), ", ".join("%s x%d" % kv for kv in sorted(other.items()))))
        if not bad:
            C.log("[formats] SARIF: %s passes GitHub's ingestion rules (SARIF Multitool, Gh;Sarif)"
                  % os.path.basename(path))


def names_file(path, s):
    """A path a CI format printed names the record's file: the repository
    path of docs/ci.md "Paths" (C.repo_path), an existing file there."""
    root = s.get("_repo_root")
    return path == s.get("_repo") and (root is None or os.path.isfile(os.path.join(root, path)))


def walk_keys(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from walk_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk_keys(v)


def sarif_fingerprints(ctx, part, sdoc, jfailed, tag):
    """(rule, type) -> fingerprint, checking every result has one."""
    out = {}
    results = sdoc["runs"][0].get("results", [])
    for res, jr in zip(results, jfailed):
        fps = res.get("partialFingerprints") or {}
        ok = ctx.true(part, fps and all(isinstance(v, str) and v for v in fps.values()),
                      "%s: SARIF result for %s has no partialFingerprints" % (tag, jr["type"]))
        if ok:
            key = (jr["rule"], jr["type"])
            if key in out:
                ctx.eq(part, "sarif/fp_same/%s/%s" % key, fps, out[key],
                       "%s: one (rule, type), two fingerprints" % tag)
            out[key] = fps
    return out


C_FIX = os.path.join(REPO, "tests", "fixtures", "c_fix")
SUGGESTION = re.compile(r"^\*\*`([^`]+)` lines? (\d+)(?:-(\d+))?\*\*[^\n]*\n\n(`{3,})suggestion\n"
                        r"(.*?)^\4$", re.M | re.S)


def src_tree(d):
    out = {}
    for dp, dns, fns in os.walk(d):
        dns[:] = [x for x in dns if x != ".git"]
        for fn in fns:
            if fn.endswith((".c", ".h", ".go")):
                with open(os.path.join(dp, fn), encoding="utf-8", newline="") as f:
                    out[os.path.relpath(os.path.join(dp, fn), d)] = f.read()
    return out


def sarif_offset(text, line, col):
    """SARIF 2.1.0 (line, column in UTF-16 code units, both from 1) -> str index."""
    lines = text.splitlines(keepends=True)
    if line < 1 or line > len(lines) + 1:
        raise ValueError("line %d outside the file" % line)
    pos = sum(len(x) for x in lines[:line - 1])
    rest = lines[line - 1] if line <= len(lines) else ""
    units, i = 1, 0
    while units < col:
        if i >= len(rest):
            raise ValueError("column %d past the end of line %d" % (col, line))
        units += 2 if ord(rest[i]) > 0xFFFF else 1
        i += 1
    return pos + i


def splice(text, spans):
    """spans: (start, end, new) in the original text, non-overlapping."""
    spans = sorted(set(spans))
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            raise ValueError("overlapping replacements %r and %r" % (a[:2], b[:2]))
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


def apply_sarif(doc, src, dest):
    """Applies every fix of a SARIF log (made in src) to the copy dest."""
    from urllib.parse import unquote, urlparse
    run = doc["runs"][0]
    bases = {k: unquote(urlparse(v["uri"]).path) for k, v in run.get("originalUriBaseIds", {}).items()}
    spans, n = {}, 0
    for res in run.get("results", []):
        for fix in res.get("fixes", []):
            n += 1
            for ch in fix["artifactChanges"]:
                loc = ch["artifactLocation"]
                path = os.path.join(bases[loc["uriBaseId"]], unquote(loc["uri"]))
                rel = os.path.relpath(path, src)
                with open(path, encoding="utf-8", newline="") as f:
                    text = f.read()
                for rep in ch["replacements"]:
                    r = rep["deletedRegion"]
                    spans.setdefault(rel, set()).add((
                        sarif_offset(text, r["startLine"], r.get("startColumn", 1)),
                        sarif_offset(text, r.get("endLine", r["startLine"]), r["endColumn"]),
                        rep.get("insertedContent", {}).get("text", "")))
    for rel, sp in spans.items():
        with open(os.path.join(dest, rel), encoding="utf-8", newline="") as f:
            text = f.read()
        with open(os.path.join(dest, rel), "w", encoding="utf-8", newline="") as f:
            f.write(splice(text, sp))
    return n


def apply_suggestions(md, dest):
    """Applies every ```suggestion block to the line range named above it."""
    edits = {}
    for m in SUGGESTION.finditer(md):
        first = int(m.group(2))
        last = int(m.group(3) or first)
        edits.setdefault(m.group(1), []).append((first, last, m.group(5)))
    for rel, es in edits.items():
        with open(os.path.join(dest, rel), encoding="utf-8", newline="") as f:
            lines = f.read().splitlines(keepends=True)
        for first, last, new in sorted(es, reverse=True):
            lines[first - 1:last] = [new]
        with open(os.path.join(dest, rel), "w", encoding="utf-8", newline="") as f:
            f.write("".join(lines))
    return sum(len(es) for es in edits.values())


def fixes_roundtrip(ctx, part, fdir, label, src, binary, budget, rebuild):
    """check's SARIF fixes, check's and diff's Markdown suggestions, each applied to a copy
    of src, == git apply of `suggest --all --pointer-bytes --format patch` -> the SARIF path.  rebuild(dir,
    out) builds the sources in dir to out (the OLD of the diff)."""
    # a repository of its own (copied along): the patch, the fixes and the
    # suggestions name files relative to its top (docs/ci.md "Paths")
    C.run(["git", "init", "-q"], cwd=src)
    sarif = os.path.join(fdir, "fixes_%s.sarif" % label)
    rc, _, se = ctx.ps(["check", "--budget", budget, "--format", "sarif", "-o", sarif, binary],
                       cwd=src)
    rc2, md, se2 = ctx.ps(["check", "--budget", budget, "--format", "markdown", "--suggestions",
                           binary], cwd=src)
    # check's fix counts an order that only lowers Go pointer bytes, as its fix text does;
    # suggest does with --pointer-bytes
    rc3, diff, se3 = ctx.ps(["suggest", "--all", "--pointer-bytes", "--format", "patch", binary],
                            cwd=src)
    ctx.eq(part, "fixes/%s/rc" % label, (rc, rc2, rc3), (1, 1, 0), "fixes %s: exit statuses (%s%s%s)"
           % (label, se[-200:], se2[-200:], se3[-200:]))
    # the reader's threads must not change the patch (each keeps the source files it saw)
    for jobs in ("1", "4"):
        rj, dj, _ = ctx.ps(["suggest", "-j", jobs, "--all", "--pointer-bytes", "--format", "patch",
                            binary], cwd=src)
        ctx.eq(part, "fixes/%s/j%s" % (label, jobs), dj == diff, True,
               "fixes %s: the patch with -j %s differs from the default's" % (label, jobs))
    if not os.path.exists(sarif):
        return None
    copies = {}
    for name in ("git_apply", "sarif", "markdown", "diff_markdown"):
        copies[name] = os.path.join(fdir, "fix_%s_%s" % (label, name))
        shutil.copytree(src, copies[name])
    with open(os.path.join(fdir, "fix_%s.diff" % label), "w") as f:
        f.write(diff)
    # a repository of its own: inside another, git apply takes paths from that one's top
    C.run(["git", "init", "-q"], cwd=copies["git_apply"])
    p = C.run(["git", "apply", os.path.join(fdir, "fix_%s.diff" % label)], cwd=copies["git_apply"])
    ctx.eq(part, "fixes/%s/git_apply" % label, p.returncode, 0, "fixes %s: git apply: %s"
           % (label, p.stderr[-300:]))
    want = src_tree(copies["git_apply"])
    ctx.true(part, want != src_tree(src), "fixes %s: the patch changes nothing (fixture?)" % label)
    # diff OLD NEW with OLD the patched build: the structs the patch shrinks
    # regressed in NEW, and --suggestions gives back the same edits
    old = os.path.join(fdir, "fix_%s_patched_bin" % label)
    why = rebuild(copies["git_apply"], old)
    rc5, dmd, se5 = ctx.ps(["diff", "--format", "markdown", "--suggestions", old, binary], cwd=src)
    ctx.eq(part, "fixes/%s/diff_rc" % label, (why, rc5), ("", 0),
           "fixes %s: rebuild, diff --suggestions: %s" % (label, se5[-300:]))
    with open(sarif) as f:
        doc = json.load(f)
    try:
        n = (apply_sarif(doc, src, copies["sarif"]), apply_suggestions(md, copies["markdown"]),
             apply_suggestions(dmd, copies["diff_markdown"]))
    except (ValueError, KeyError, OSError) as e:
        ctx.fail(part, "fixes %s: applying failed: %s" % (label, e))
        return sarif
    ctx.true(part, min(n) >= 2, "fixes %s: %d SARIF fixes, %d check and %d diff suggestions (want "
             ">= 2 each)" % ((label,) + n))
    ok = True
    for name in ("sarif", "markdown", "diff_markdown"):
        got = src_tree(copies[name])
        bad = sorted(f for f in set(got) | set(want) if got.get(f) != want.get(f))
        ctx.eq(part, "fixes/%s/%s" % (label, name), bad, [], "fixes %s: %s applied differs from "
               "git apply" % (label, name))
        ok = ok and not bad
    if ok:
        C.log("[formats] %s: SARIF fixes (%d), check and diff Markdown suggestions (%d, %d) == "
              "git apply of the patch" % ((label,) + n))
    return sarif


def sarif_fixes(ctx, part, fdir):
    """fixes_roundtrip on tests/fixtures/c_fix and (with Go) the Go fixture -> SARIF paths."""
    src = os.path.join(fdir, "fix_src")
    shutil.copytree(C_FIX, src)

    def gcc(d, out):
        p = C.run(["gcc", "-g", "-O0", "-std=gnu11", "main.c", "-o", out], cwd=d)
        return p.stderr[-500:] if p.returncode else ""
    why = gcc(src, os.path.join(src, "app"))
    if why:
        ctx.fail(part, "fixes: build of c_fix failed: %s" % why)
        return []
    budget = write_json(os.path.join(fdir, "budget_fixes.json"),
                        {"rules": [{"types": ["*"], "must_be_optimal": True, "max_waste": 0}]})
    rc4, so4, se4 = ctx.ps(["check", "--budget", budget, "--format", "text", "--suggestions", "app"],
                           cwd=src)
    ctx.true(part, rc4 == 2 and not so4 and len(se4.strip().splitlines()) == 1,
             "check --suggestions without --format markdown: exit %d, stderr %r" % (rc4, se4))
    out = [fixes_roundtrip(ctx, part, fdir, "c", src, "app", budget, gcc)]
    if ctx.go:
        gsrc = os.path.join(fdir, "fix_gosrc")
        shutil.copytree(os.path.join(ctx.wd, "gosrc_go_v1"), gsrc)

        def gobuild(d, out):
            p = C.run([ctx.go, "build", "-o", out, "."], cwd=d, env=go_env(ctx.wd))
            return p.stderr[-500:] if p.returncode else ""
        why = gobuild(gsrc, os.path.join(fdir, "fix_go_app"))
        gbudget = write_json(os.path.join(fdir, "budget_fixes_go.json"),
                             {"rules": [{"types": ["main.*"], "must_be_optimal": True,
                                         "max_waste": 0, "max_pointer_bytes": 0}]})
        if why:
            ctx.fail(part, "fixes: build of the Go fixture failed: %s" % why)
        else:
            out.append(fixes_roundtrip(ctx, part, fdir, "go", gsrc,
                                       os.path.join(fdir, "fix_go_app"), gbudget, gobuild))
    return [x for x in out if x]


def part_formats(ctx):
    part = "formats"
    fdir = os.path.join(ctx.wd, "formats")
    if os.path.exists(fdir):
        shutil.rmtree(fdir)
    os.makedirs(fdir)
    cbin = ctx.build_c("c_v1", C_STRUCTS)
    bins = [cbin]
    truth = {n: s for n, s in ctx.analyze(cbin, "ci_*").items()}
    lang = {n: "c" for n in truth}
    if ctx.go:
        gbin = ctx.build_go("go_v1", GO_STRUCTS)
        bins.append(gbin)
        g = ctx.analyze(gbin, "main.*")
        truth.update(g)
        lang.update({n: "go" for n in g})
    budget = write_json(os.path.join(ctx.wd, "budget_formats.json"),
                        {"rules": [{"types": ["ci_*", "main.*"], "max_waste": 0, "max_size": 40},
                                   {"types": "main.*", "max_pointer_bytes": 8}],
                         "ignore": [{"type": "ci_ignored", "reason": "test"}]})
    # a baseline that knows the v1 violations of ci_padded only -> ::notice lines
    base = os.path.join(fdir, "base.json")
    pbudget = write_json(os.path.join(ctx.wd, "budget_formats_base.json"),
                         {"rules": [{"types": ["ci_padded"], "max_waste": 0}]})
    ctx.ps(["check", "--budget", pbudget, "--write-baseline", base, cbin], cwd=fdir)
    outs = {}
    for with_base in (False, True):
        for fmt in ("json", "sarif", "junit", "github", "markdown", "text", "codequality"):
            argv = ["check", "--budget", budget, "--format", fmt]
            if with_base:
                argv += ["--baseline", base]
            out = os.path.join(fdir, "out_%s%s.%s" % (fmt, "_base" if with_base else "", fmt))
            rc, so, se = ctx.ps(argv + ["-o", out] + bins, cwd=fdir)
            ctx.eq(part, "rc/%s/%s" % (fmt, with_base), rc, 1, "--format %s%s: exit status"
                   % (fmt, " --baseline" if with_base else ""))
            ctx.true(part, so == "", "--format %s -o: stdout not empty" % fmt)
            if os.path.exists(out):
                with open(out) as f:
                    outs[(fmt, with_base)] = (out, f.read())
            else:
                ctx.fail(part, "--format %s -o %s: no file written" % (fmt, out))
    if ("json", False) not in outs:
        return
    jdoc = json.loads(outs[("json", False)][1])
    jdoc_b = json.loads(outs[("json", True)][1]) if ("json", True) in outs else None
    failed = [r for r in jdoc["results"] if r["failed"]]
    ctx.true(part, len(failed) > 3, "fixture: expected several failures, got %d" % len(failed))
    ctx.true(part, "ci_ignored" not in {r["type"] for r in jdoc["results"]},
             "ignored ci_ignored has results")
    # JSON: decl_file/decl_line == analyze's, the file as the repository names it
    for r in jdoc["results"]:
        s = truth.get(r["type"])
        if s:
            ctx.eq(part, "json/decl/%s" % r["type"], (r.get("decl_file"), r.get("decl_line")),
                   (s.get("_repo"), s.get("decl_line")), "json %s: decl_file/decl_line" % r["type"])

    # ---- SARIF
    sarif_fps_plain = None
    validator, why = Tools(ctx).sarif()
    sarif_files = [outs[k][0] for k in (("sarif", False), ("sarif", True)) if k in outs]
    sarif_files += sarif_fixes(ctx, part, fdir)
    # every rule kind failing at once: each gets its own documentation, never the fallback
    every = os.path.join(fdir, "every_rule.sarif")
    ebudget = write_json(os.path.join(ctx.wd, "budget_every_rule.json"),
                         {"rules": [{"types": ["ci_*", "main.*"], "max_waste": 0, "max_waste_percent": 0,
                                     "max_size": 8, "max_cachelines": 0, "must_be_optimal": True,
                                     "max_pointer_bytes": 0, "max_shared_sync_lines": 0}],
                          "ignore": [{"type": "ci_ignored", "reason": "test"}]})
    rc, so, se = ctx.ps(["check", "--budget", ebudget, "--format", "sarif", "-o", every] + bins, cwd=fdir)
    ctx.eq(part, "every/rc", rc, 1, "check with every rule kind: exit status (stderr %r)" % se[-300:])
    if os.path.exists(every):
        sarif_files.append(every)
        erules = json.load(open(every))["runs"][0]["tool"]["driver"].get("rules", [])
        want = {"max_waste", "max_waste_percent", "max_size", "max_cachelines", "must_be_optimal"}
        if ctx.go:
            want.add("max_pointer_bytes")
        ctx.eq(part, "every/ids", sorted(want - {r.get("id") for r in erules}), [],
               "SARIF rules missing from a run where every rule kind fails")
        for r in erules:
            ctx.true(part, r.get("name") != "Budget" and (r.get("fullDescription") or {}).get("text") != r.get("id"),
                     "SARIF rule %s has the fallback documentation" % r.get("id"))
    if validator:
        p = C.run(validator + sarif_files, timeout=300)
        ctx.true(part, p.returncode == 0, "SARIF invalid against sarif-schema-2.1.0.json: %s%s"
                 % (p.stdout.strip()[-2000:], p.stderr.strip()[-500:]))
        if p.returncode == 0:
            C.log("[formats] SARIF: %d files valid against the SARIF 2.1.0 schema (ajv)"
                  % len(sarif_files))
    else:
        ctx.skips.append("SARIF schema validation skipped: %s" % why)
    if sarif_files:
        multitool_check(ctx, part, sarif_files)
    for key, jd in (((("sarif", False)), jdoc), ((("sarif", True)), jdoc_b)):
        if key not in outs or jd is None:
            continue
        sdoc = json.loads(outs[key][1])
        ctx.eq(part, "sarif/version", sdoc.get("version"), "2.1.0", "SARIF version")
        results = sdoc["runs"][0].get("results", [])
        jfailed = [r for r in jd["results"] if r["failed"] or r.get("baseline")]
        ctx.eq(part, "sarif/n/%s" % key[1], len(results), len(jfailed),
               "SARIF results vs failed+known JSON results (%s)" % ("baseline" if key[1] else "plain"))
        levels = sorted(r.get("level") for r in results)
        ctx.eq(part, "sarif/levels/%s" % key[1], levels,
               sorted(["note" if r.get("baseline") else "error" for r in jfailed]),
               "SARIF levels (note = known from the baseline)")
        rules = [r["id"] for r in sdoc["runs"][0]["tool"]["driver"].get("rules", [])]
        for r in sdoc["runs"][0]["tool"]["driver"].get("rules", []):
            for k in ("shortDescription", "fullDescription"):
                ctx.true(part, (r.get(k) or {}).get("text"), "SARIF rule %s: no %s.text" % (r.get("id"), k))
            for k in ("text", "markdown"):
                ctx.true(part, (r.get("help") or {}).get(k), "SARIF rule %s: no help.%s" % (r.get("id"), k))
        # padscan has no public web page: no URL may be made up
        urls = [(k, v) for k, v in walk_keys(sdoc) if k in ("informationUri", "helpUri")]
        ctx.eq(part, "sarif/urls/%s" % key[1], urls, [], "SARIF: invented URLs (informationUri/helpUri)")
        fps = sarif_fingerprints(ctx, part, sdoc, jfailed, "SARIF (%s)" % ("baseline" if key[1] else "plain"))
        ctx.eq(part, "sarif/fp_distinct/%s" % key[1], len({json.dumps(v, sort_keys=True) for v in fps.values()}),
               len(fps), "SARIF: distinct (rule, type) pairs with distinct partialFingerprints")
        if not key[1]:
            sarif_fps_plain = fps
        for res, jr in zip(results, jfailed):
            tname = jr["type"]
            ctx.eq(part, "sarif/rule/%s" % tname, res.get("ruleId"), jr["rule"], "SARIF ruleId")
            idx = res.get("ruleIndex")
            ctx.true(part, isinstance(idx, int) and 0 <= idx < len(rules) and rules[idx] == res.get("ruleId"),
                     "SARIF ruleIndex %r does not point at rule %r" % (idx, res.get("ruleId")))
            locs = res.get("locations") or []
            if not ctx.true(part, len(locs) == 1, "SARIF result for %s has %d locations" % (tname, len(locs))):
                continue
            loc = locs[0]
            pl = loc.get("physicalLocation", {})
            uri = pl.get("artifactLocation", {}).get("uri")
            s = truth.get(tname)
            if not ctx.true(part, bool(uri), "SARIF %s: no artifactLocation.uri" % tname) or not s:
                continue
            if s.get("decl_file"):
                # relative to the repository's top, through uriBaseId and originalUriBaseIds
                art = pl.get("artifactLocation", {})
                bases = sdoc["runs"][0].get("originalUriBaseIds", {})
                got = uri[7:] if uri.startswith("file://") else uri
                ctx.true(part, names_file(got, s), "SARIF %s: artifactLocation.uri %r, expected %r "
                         "(relative to %s)" % (tname, uri, s["_repo"], s["_repo_root"]))
                if s.get("_repo_root"):
                    base = bases.get(art.get("uriBaseId"), {}).get("uri")
                    ctx.eq(part, "sarif/base/%s" % tname, base, "file://" + s["_repo_root"] + "/",
                           "SARIF %s: originalUriBaseIds[uriBaseId]" % tname)
            line = pl.get("region", {}).get("startLine")
            if lang[tname] == "c":
                ctx.eq(part, "sarif/line/%s" % tname, line, s.get("decl_line"),
                       "SARIF %s: region.startLine" % tname)
            elif s.get("decl_from_method"):
                text = (loc.get("message") or {}).get("text", "")
                ctx.true(part, "method" in text,
                         "SARIF %s: location from a method but its message does not say so: %r"
                         % (tname, text))
                if s.get("decl_line"):
                    ctx.eq(part, "sarif/line/%s" % tname, line, s.get("decl_line"),
                           "SARIF %s: region.startLine" % tname)
        gomethod = [n for n, s in truth.items() if lang[n] == "go" and s.get("decl_from_method")]
        if ctx.go:
            ctx.true(part, "main.Padded" in gomethod,
                     "analyze: main.Padded (has a method) has no decl_file from its method")

    # ---- fingerprints stay when only line numbers change
    moved = ctx.build_c("c_v1_moved", C_STRUCTS, preamble="/* three lines */\n/* added */\n/* above */\n")
    mtruth = ctx.analyze(moved, "ci_*")
    shift = [n for n in truth if lang[n] == "c" and n in mtruth
             and (mtruth[n].get("decl_line") or 0) != (truth[n].get("decl_line") or 0)]
    ctx.true(part, shift, "fixture: no C declaration moved in c_v1_moved")
    # the same C rules without the Go patterns (a pattern matching nothing is an error)
    cbudget = write_json(os.path.join(ctx.wd, "budget_formats_c.json"),
                         {"rules": [{"types": ["ci_*"], "max_waste": 0, "max_size": 40}],
                          "ignore": [{"type": "ci_ignored", "reason": "test"}]})
    mout = os.path.join(fdir, "moved.sarif")
    rc, so, se = ctx.ps(["check", "--budget", cbudget, "--format", "sarif", "-o", mout, moved], cwd=fdir)
    rc2, mjdoc = ctx.ps_json(part, ["check", "--budget", cbudget, "--format", "json", moved], cwd=fdir, rcs=(1,))
    if os.path.exists(mout) and mjdoc and sarif_fps_plain is not None:
        mfps = sarif_fingerprints(ctx, part, json.load(open(mout)),
                                  [r for r in mjdoc["results"] if r["failed"]], "SARIF (lines moved)")
        want = {k: v for k, v in sarif_fps_plain.items() if lang.get(k[1]) == "c"}
        ctx.eq(part, "sarif/fp_moved", mfps, want,
               "SARIF partialFingerprints after the declarations moved down 3 lines")

    # ---- GitLab Code Quality
    for key, jd in ((("codequality", False), jdoc), (("codequality", True), jdoc_b)):
        if key not in outs or jd is None:
            continue
        path, text = outs[key]
        tag = "codequality (%s)" % ("baseline" if key[1] else "plain")
        check_codequality_schema(ctx, part, path, tag)
        try:
            cq = json.loads(text)
        except ValueError as e:
            ctx.fail(part, "%s: not JSON: %s" % (tag, e))
            continue
        jlisted = [r for r in jd["results"] if r["failed"] or r.get("baseline")]
        ctx.eq(part, "cq/n/%s" % key[1], len(cq), len({(r["rule"], r["type"]) for r in jlisted}),
               "%s: one issue per failed or known (rule, type)" % tag)
        ctx.eq(part, "cq/fp_unique/%s" % key[1], len({i.get("fingerprint") for i in cq}), len(cq),
               "%s: fingerprints unique in the report" % tag)
        for issue, jr in zip(cq, jlisted):
            tname = jr["type"]
            ctx.eq(part, "cq/check/%s/%s" % (tname, key[1]), (issue.get("check_name"), issue.get("severity")),
                   (jr["rule"], "info" if jr.get("baseline") else "major"),
                   "%s %s: (check_name, severity)" % (tag, tname))
            ctx.eq(part, "cq/desc/%s/%s" % (tname, key[1]), issue.get("description"), jr["message"],
                   "%s %s: description" % (tag, tname))
            s = truth.get(tname) or {}
            loc = issue.get("location") or {}
            if s.get("decl_file"):
                ctx.true(part, names_file(loc.get("path"), s), "%s %s: location.path %r, expected %r"
                         % (tag, tname, loc.get("path"), s["_repo"]))
            ctx.eq(part, "cq/line/%s/%s" % (tname, key[1]), (loc.get("lines") or {}).get("begin"),
                   s.get("decl_line") or 1, "%s %s: location.lines.begin" % (tag, tname))
            if not key[1] and sarif_fps_plain is not None:
                sfp = list((sarif_fps_plain.get((jr["rule"], tname)) or {}).values())
                ctx.eq(part, "cq/fp_sarif/%s" % tname, [issue.get("fingerprint")], sfp,
                       "%s %s: fingerprint == SARIF partialFingerprint" % (tag, tname))
    # the same findings from two binaries (a header shared by both): listed once
    twin = os.path.join(fdir, "c_v1_twin")
    shutil.copyfile(cbin, twin)
    rc, cq1, se = ctx.ps(["check", "--budget", cbudget, "--format", "codequality", cbin], cwd=fdir)
    rc, cq2, se = ctx.ps(["check", "--budget", cbudget, "--format", "codequality", cbin, twin], cwd=fdir)
    try:
        ctx.true(part, len(json.loads(cq1)) > 3, "fixture: codequality of c_v1 has few issues: %s" % cq1[:200])
        ctx.eq(part, "cq/twin", json.loads(cq2), json.loads(cq1),
               "codequality of a binary and its copy == of the binary alone (unique fingerprints)")
    except ValueError as e:
        ctx.fail(part, "codequality (two binaries): not JSON: %s" % e)

    # ---- JUnit
    if ("junit", False) in outs:
        jpath, jtext = outs[("junit", False)]
        if ctx.xmllint_ok:
            p = C.run(["xmllint", "--noout", jpath])
            ctx.true(part, p.returncode == 0, "xmllint --noout: %s" % p.stderr.strip()[:800])
            xsd, why = Tools(ctx).junit_xsd()
            if xsd:
                p = C.run(["xmllint", "--noout", "--schema", xsd, jpath])
                ok = p.returncode == 0
                ctx.true(part, ok, "JUnit XML invalid against %s: %s"
                         % (os.path.basename(xsd), p.stderr.strip()[:1500]))
                if ok:
                    C.log("[formats] JUnit: valid against jenkins-junit.xsd (xmllint)")
            else:
                ctx.skips.append("JUnit XSD validation skipped: %s" % why)
        else:
            ctx.skips.append("xmllint not installed (Debian package libxml2-utils): "
                             "JUnit well-formedness/XSD checks skipped")
        for key, jd in ((("junit", False), jdoc), (("junit", True), jdoc_b)):
            if key not in outs or jd is None:
                continue
            try:
                root = ET.fromstring(outs[key][1].encode("utf-8"))
            except ET.ParseError as e:
                ctx.fail(part, "JUnit XML does not parse: %s" % e)
                continue
            cases = root.findall(".//testcase")
            got = sorted((c.get("classname"), c.get("name")) for c in cases)
            ctx.eq(part, "junit/cases/%s" % key[1], got,
                   sorted((r["rule"], r["type"]) for r in jd["results"]),
                   "JUnit testcases (classname=rule, name=struct)")
            nfail = len(root.findall(".//testcase/failure"))
            ctx.eq(part, "junit/failures/%s" % key[1], nfail, jd["failures"], "JUnit <failure> elements")
            for el in [root] + root.findall("testsuite"):
                if el.get("failures") is not None:
                    ctx.eq(part, "junit/attr/%s/%s" % (el.tag, key[1]), int(el.get("failures")),
                           jd["failures"], "JUnit %s failures=" % el.tag)
                if el.get("tests") is not None:
                    ctx.eq(part, "junit/tests/%s/%s" % (el.tag, key[1]), int(el.get("tests")),
                           len(cases), "JUnit %s tests=" % el.tag)

    # ---- GitHub workflow commands
    for key, jd in ((("github", False), jdoc), (("github", True), jdoc_b)):
        if key not in outs or jd is None:
            continue
        lines = outs[key][1].splitlines()
        n_err = n_note = 0
        for ln in lines:
            m = GH_LINE.match(ln)
            if not ctx.true(part, m is not None, "GitHub line does not match "
                            "::error|notice file=...,line=...,title=...::message : %r" % ln):
                continue
            if m.group(1) == "error":
                n_err += 1
            else:
                n_note += 1
        ctx.eq(part, "github/errors/%s" % key[1], n_err, jd["failures"], "GitHub ::error lines")
        ctx.eq(part, "github/notices/%s" % key[1], n_note,
               sum(1 for r in jd["results"] if r.get("baseline")), "GitHub ::notice lines (known)")
        for ln, jr in zip(lines, [r for r in jd["results"] if r["failed"] or r.get("baseline")]):
            m = GH_LINE.match(ln)
            s = truth.get(jr["type"])
            if not m or not s:
                continue
            if s.get("decl_file"):
                ctx.true(part, names_file(m.group(3), s), "GitHub %s: file=%r, expected %r"
                         % (jr["type"], m.group(3), s["_repo"]))
            if s.get("decl_line"):
                ctx.eq(part, "github/line/%s" % jr["type"], int(m.group(5) or 0), s["decl_line"],
                       "GitHub %s: line=" % jr["type"])
            else:
                ctx.true(part, m.group(5) is None, "GitHub %s: line=%s but analyze has no decl_line"
                         % (jr["type"], m.group(5)))
    # ---- Markdown
    for key, jd in ((("markdown", False), jdoc), (("markdown", True), jdoc_b)):
        if key not in outs or jd is None:
            continue
        rows = [ln for ln in outs[key][1].splitlines() if ln.startswith("|")]
        body = [r for r in rows[2:]] if len(rows) >= 2 else []
        if jd["failures"]:
            ctx.true(part, len(rows) >= 2 and re.match(r"^\|( *:?-+:? *\|)+$", rows[1]),
                     "Markdown: no table header/separator: %r" % rows[:2])
        ctx.eq(part, "markdown/rows/%s" % key[1], len(body), jd["failures"],
               "Markdown table rows (one per failure)")
        want = sorted((r["binary"], r["type"], r["rule"]) for r in jd["results"] if r["failed"])
        ctx.true(part, all(w[0] for w in want), "JSON results without a binary: %s" % want[:3])
        got = []
        for r in body:
            cells = [c.strip() for c in r.strip().strip("|").split("|")]
            if len(cells) >= 3:
                got.append((cells[0].strip("`"), cells[1].strip("`"), cells[2]))
        ctx.eq(part, "markdown/cells/%s" % key[1], sorted(got), want,
               "Markdown (binary, type, rule) cells: every row names its binary")
    # ---- text: one FAIL/known line per failed result
    if ("text", True) in outs and jdoc_b:
        lines = outs[("text", True)][1].splitlines()
        ctx.eq(part, "text/fail", sum(1 for ln in lines if ln.startswith("FAIL ")),
               jdoc_b["failures"], "text FAIL lines")
        for ln in lines:
            ctx.true(part, not re.search(r":0\]$", ln),
                     "text: location printed with line 0 (unknown line): %r" % ln)


# --------------------------------------------------------------------------
# part: bad_budget

def part_bad_budget(ctx):
    part = "bad_budget"
    cbin = ctx.build_c("c_v1", C_STRUCTS)
    bdir = os.path.join(ctx.wd, "bad_budgets")
    if os.path.exists(bdir):
        shutil.rmtree(bdir)
    os.makedirs(bdir)
    cases = [  # (name, content or None for missing, JSON path or None, problem regex)
        ("not JSON", "this is { not json\n", None, r"JSON"),
        ("unknown rule key", {"rules": [{"types": "*", "max_wast": 1}]}, "rules[0].max_wast",
         r"unknown"),
        ("negative max_waste", {"rules": [{"types": "*", "max_waste": -1}]}, "rules[0].max_waste",
         r"0 or more|negative|>= ?0"),
        ("max_waste_percent > 100", {"rules": [{"types": "*", "max_waste_percent": 100.5}]},
         "rules[0].max_waste_percent", r"100"),
        ("types missing", {"rules": [{"max_waste": 1}]}, "rules[0].types", r"missing|required"),
        ("types not a string", {"rules": [{"types": ["ci_*", 3], "max_waste": 1}]},
         "rules[0].types[1]", r"glob|string"),
        ("ignore without reason", {"rules": [{"types": "*", "max_waste": 1}],
                                   "ignore": [{"type": "ci_padded"}]}, "ignore[0]", r"reason"),
        ("must_be_optimal not boolean", {"rules": [{"types": "*", "must_be_optimal": "yes"}]},
         "rules[0].must_be_optimal", r"true|false|bool"),
        ("second rule bad", {"rules": [{"types": "*", "max_waste": 1},
                                       {"types": "*", "max_size": 1.5}]}, "rules[1].max_size",
         r"whole|integer"),
        ("fleet max_waste negative", {"fleet": {"max_waste": -5}}, "fleet.max_waste",
         r"0 or more|negative"),
        ("missing budget file", None, None, r"no such file|cannot open|not exist"),
    ]
    for i, (name, content, jpath, problem) in enumerate(cases):
        path = os.path.join(bdir, "budget_%02d.json" % i)
        if content is not None:
            with open(path, "w") as f:
                f.write(content if isinstance(content, str) else json.dumps(content))
        for variant in ("plain", "-o", "-o existing"):
            odir = os.path.join(bdir, "out_%02d" % i)
            if os.path.exists(odir):
                shutil.rmtree(odir)
            os.makedirs(odir)
            target = os.path.join(odir, "OUT.json")
            argv = ["check", "--budget", path, "--format", "json"]
            if variant != "plain":
                argv += ["-o", target]
            if variant == "-o existing":
                with open(target, "w") as f:
                    f.write("old\n")
            rc, out, err = ctx.ps(argv + [cbin])
            tag = "%s (%s)" % (name, variant)
            ctx.eq(part, "rc/" + name, rc, 2, "%s: exit status" % tag)
            ctx.true(part, out == "", "%s: stdout not empty: %r" % (tag, out[:200]))
            lines = err.splitlines()
            if ctx.true(part, len(lines) == 1, "%s: expected one stderr line, got %r" % (tag, err[:500])):
                ln = lines[0]
                ctx.true(part, ln.startswith("padscan: "), "%s: no 'padscan: ' prefix: %r" % (tag, ln))
                ctx.true(part, path in ln, "%s: stderr does not name the file: %r" % (tag, ln))
                if jpath:
                    ctx.true(part, jpath in ln, "%s: stderr does not name the JSON path %s: %r"
                             % (tag, jpath, ln))
                ctx.true(part, re.search(problem, ln, re.I),
                         "%s: stderr does not name the problem (/%s/): %r" % (tag, problem, ln))
            want = ["OUT.json"] if variant == "-o existing" else []
            ctx.eq(part, "files/" + name, listing(odir), want, "%s: files in the output folder" % tag)
            if variant == "-o existing" and os.path.exists(target):
                with open(target) as f:
                    ctx.true(part, f.read() == "old\n", "%s: existing OUT.json modified" % tag)
    # --write-baseline with a bad budget: no baseline written
    odir = os.path.join(bdir, "wb")
    os.makedirs(odir)
    rc, out, err = ctx.ps(["check", "--budget", os.path.join(bdir, "budget_00.json"),
                           "--write-baseline", os.path.join(odir, "b.json"), cbin])
    ctx.eq(part, "rc/write-baseline", rc, 2, "bad budget + --write-baseline: exit status")
    ctx.eq(part, "files/write-baseline", listing(odir), [], "bad budget + --write-baseline: files")
    # usage: no --budget
    rc, out, err = ctx.ps(["check", cbin])
    ctx.eq(part, "rc/no-budget", rc, 2, "check without --budget: exit status")
    ctx.true(part, len(err.splitlines()) >= 1 and "budget" in err,
             "check without --budget: stderr does not mention --budget: %r" % err[:300])


# --------------------------------------------------------------------------
# part: diff

def expected_changes(a1, a2):
    """Changes between two {name: struct} maps, in padscan diff's vocabulary."""
    ch = []
    for n in sorted(set(a1) - set(a2)):
        ch.append(("removed", n, None, a1[n]["size"], 0, False))
    for n in sorted(set(a2) - set(a1)):
        ch.append(("added", n, None, 0, a2[n]["size"], False))
    for n in sorted(set(a1) & set(a2)):
        s1, s2 = a1[n], a2[n]
        for k in ("size", "waste", "cachelines", "pointer_bytes"):
            if k in s1 and k in s2 and s1[k] != s2[k]:
                ch.append((k, n, None, s1[k], s2[k], s2[k] > s1[k]))
        m1 = {m["name"]: m for m in s1["members"]}
        m2 = {m["name"]: m for m in s2["members"]}
        for m in sorted(set(m2) - set(m1)):
            ch.append(("member_added", n, m, 0, m2[m]["offset"], False))
        for m in sorted(set(m1) - set(m2)):
            ch.append(("member_removed", n, m, m1[m]["offset"], 0, False))
        for m in sorted(set(m1) & set(m2)):
            if m1[m]["offset"] != m2[m]["offset"]:
                ch.append(("member_moved", n, m, m1[m]["offset"], m2[m]["offset"], False))
    return sorted(ch, key=lambda c: tuple("" if x is None else str(x) for x in c))


def got_changes(doc):
    out = []
    for c in doc.get("changes", []):
        out.append((c.get("kind"), c.get("type"), c.get("member"), c.get("before"), c.get("after"),
                    c.get("regression")))
    return sorted(out, key=lambda c: tuple("" if x is None else str(x) for x in c))


def part_diff(ctx):
    part = "diff"
    pairs = []
    c1 = ctx.build_c("c_v1", C_STRUCTS)
    c2 = ctx.build_c("c_v2", merged(C_STRUCTS, C_V2))
    pairs.append(("c", c1, c2, "ci_*"))
    if ctx.go:
        g1 = ctx.build_go("go_v1", GO_STRUCTS)
        g2 = ctx.build_go("go_v2", merged(GO_STRUCTS, GO_V2))
        pairs.append(("go", g1, g2, "main.*"))
    else:
        ctx.notes.append("go not installed: Go diff skipped")
    rdir = os.path.join(ctx.wd, "diff_reports")
    os.makedirs(rdir, exist_ok=True)
    for lang, b1, b2, pat in pairs:
        a1, a2 = ctx.analyze(b1, pat), ctx.analyze(b2, pat)
        exp = expected_changes(a1, a2)
        kinds = {c[0] for c in exp}
        for k in ("added", "removed", "member_added", "member_moved", "size"):
            ctx.true(part, k in kinds, "%s fixture: no %r change expected (fixture broken)" % (lang, k))
        nreg = sum(1 for c in exp if c[5])
        rc, doc = ctx.ps_json(part, ["diff", "--format", "json", "--type", pat, b1, b2])
        ctx.eq(part, "%s/rc" % lang, rc, 0, "%s diff: exit status without --fail-on-regression" % lang)
        if doc:
            ctx.eq_list(part, "%s/changes" % lang, got_changes(doc), exp, "%s diff changes" % lang)
            ctx.eq(part, "%s/regressions" % lang, doc.get("regressions"), nreg, "%s regressions" % lang)
        rc, out, err = ctx.ps(["diff", "--fail-on-regression", "--type", pat, b1, b2])
        ctx.eq(part, "%s/rc_fail" % lang, rc, 1 if nreg else 0,
               "%s diff --fail-on-regression: exit status" % lang)
        # reverse direction: no regression that was not a shrink before
        rc, doc_r = ctx.ps_json(part, ["diff", "--format", "json", "--type", pat, b2, b1])
        if doc_r:
            ctx.eq_list(part, "%s/reverse" % lang, got_changes(doc_r), expected_changes(a2, a1),
                   "%s diff NEW OLD changes" % lang)
        # same build twice: nothing
        rc, doc_s = ctx.ps_json(part, ["diff", "--format", "json", b1, b1])
        if doc_s:
            ctx.eq(part, "%s/same" % lang, doc_s.get("changes"), [], "%s diff of a build with itself" % lang)
        # saved reports give the same changes
        r1, r2 = os.path.join(rdir, lang + "_v1.json"), os.path.join(rdir, lang + "_v2.json")
        for b, r in ((b1, r1), (b2, r2)):
            rc, out, err = ctx.ps(["analyze", "--format", "json", "-o", r, b])
            ctx.eq(part, "%s/report_rc" % lang, rc, 0, "analyze -o %s" % r)
        rc, doc2 = ctx.ps_json(part, ["diff", "--format", "json", "--type", pat, r1, r2])
        if doc and doc2:
            ctx.eq_list(part, "%s/reports" % lang, got_changes(doc2), got_changes(doc),
                   "%s diff of saved reports vs of binaries" % lang)
        rc, doc_rs = ctx.ps_json(part, ["diff", "--format", "json", r1, r1])
        if doc_rs:
            ctx.eq_list(part, "%s/report_same" % lang, got_changes(doc_rs), [],
                   "%s diff of a saved report with itself" % lang)
        rc, doc3 = ctx.ps_json(part, ["diff", "--format", "json", "--type", pat, r1, b2])
        if doc and doc3:
            ctx.eq_list(part, "%s/mixed" % lang, got_changes(doc3), got_changes(doc),
                   "%s diff report vs binary" % lang)
        # other formats carry the same number of changes
        rc, md, err = ctx.ps(["diff", "--format", "markdown", "--type", pat, b1, b2])
        ctx.eq(part, "%s/md_rc" % lang, rc, 0, "diff --format markdown: exit status")
        rc, gh, err = ctx.ps(["diff", "--format", "github", "--type", pat, b1, b2])
        ctx.eq(part, "%s/gh_rc" % lang, rc, 0, "diff --format github: exit status")
        for ln in gh.splitlines():
            ctx.true(part, re.match(r"^::(error|warning|notice)( [^:]*)?::.+", ln),
                     "diff --format github: not a workflow command: %r" % ln)
        ctx.eq(part, "%s/gh_err" % lang, sum(1 for ln in gh.splitlines() if ln.startswith("::error")),
               nreg, "diff --format github: ::error lines == regressions")
        # each at the type's declaration in NEW (else OLD), as the repository names it
        regs = [c for c in (doc or {}).get("changes", []) if c.get("regression")]
        for ln, c in zip([ln for ln in gh.splitlines() if ln.startswith("::error")], regs):
            s = a2.get(c["type"]) or a1.get(c["type"]) or {}
            m = re.match(r"^::error (?:file=([^,:]*)(?:,line=(\d+))?,)?title=", ln)
            if s.get("decl_file"):
                ctx.true(part, m and m.group(1) and names_file(m.group(1), s),
                         "diff --format github %s: file= %r, expected %r"
                         % (c["type"], m and m.group(1), s["_repo"]))
            if s.get("decl_line"):
                ctx.eq(part, "%s/gh_line/%s" % (lang, c["type"]), int((m and m.group(2)) or 0),
                       s["decl_line"], "diff --format github %s: line=" % c["type"])
        # GitLab Code Quality: one issue per regression, at the type's declaration in NEW
        cqp = os.path.join(rdir, lang + "_diff.codequality.json")
        rc, out, err = ctx.ps(["diff", "--format", "codequality", "-o", cqp, "--type", pat, b1, b2])
        ctx.eq(part, "%s/cq_rc" % lang, rc, 0, "diff --format codequality: exit status")
        if os.path.exists(cqp):
            check_codequality_schema(ctx, part, cqp, "%s diff codequality" % lang)
            cq = json.load(open(cqp))
            regs = [c for c in (doc or {}).get("changes", []) if c.get("regression")]
            ctx.eq(part, "%s/cq_n" % lang, len(cq), len(regs), "diff codequality: issues == regressions")
            for issue, c in zip(cq, regs):
                ctx.eq(part, "%s/cq_check/%s" % (lang, c["type"]),
                       (issue.get("check_name"), issue.get("severity")),
                       ("diff." + c["kind"], "major"), "diff codequality %s: (check_name, severity)" % c["type"])
                s = a2.get(c["type"]) or a1.get(c["type"]) or {}
                loc = issue.get("location") or {}
                if s.get("decl_file"):
                    ctx.true(part, names_file(loc.get("path"), s), "diff codequality %s: location.path "
                             "%r, expected %r" % (c["type"], loc.get("path"), s["_repo"]))
                ctx.eq(part, "%s/cq_line/%s" % (lang, c["type"]), (loc.get("lines") or {}).get("begin"),
                       s.get("decl_line") or 1, "diff codequality %s: lines.begin" % c["type"])
        rc, out, err = ctx.ps(["diff", "--format", "codequality", b1, b1])
        ctx.eq(part, "%s/cq_same" % lang, out.strip(), "[]", "diff codequality of a build with itself")


# --------------------------------------------------------------------------

PART_FN = {"rules": part_rules, "baseline": part_baseline, "formats": part_formats,
           "bad_budget": part_bad_budget, "diff": part_diff}
PLANTS = {"rules": "c_max_size_below/ci_big/max_size/value",
          "baseline": "v2/failed",
          "formats": "junit/failures/False",
          "bad_budget": "rc/unknown rule key",
          "diff": "c/changes"}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=None)
    ap.add_argument("--compiler", default="gcc")
    ap.add_argument("--workdir")
    ap.add_argument("--npm-dir", help="where ajv and the schemas are installed (cache)")
    ap.add_argument("--part", action="append", choices=PARTS)
    ap.add_argument("--self-check", action="store_true")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % (args.padscan,))
        return C.SKIP_RC
    args.padscan = os.path.abspath(args.padscan)
    if not shutil.which(args.compiler):
        C.log("SKIP: C compiler %r not found" % args.compiler)
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_ci"))
    os.makedirs(wd, exist_ok=True)
    parts = args.part or list(PARTS)
    ctx = Ctx(args, wd)
    ctx.xmllint_ok = bool(shutil.which("xmllint"))
    if args.self_check:
        missed = []
        for p in parts:
            ctx.plant, ctx.caught = PLANTS[p], False
            nf = len(ctx.fails)
            try:
                PART_FN[p](ctx)
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                C.log("ERROR: part %s: %s" % (p, e))
                return 2
            C.log("[self-check] %s: planted %r %s (%d failures reported)"
                  % (p, PLANTS[p], "CAUGHT" if ctx.caught else "NOT caught", len(ctx.fails) - nf))
            if not ctx.caught:
                missed.append(p)
        C.log("check_ci --self-check: %d parts, %s" % (
            len(parts), "every planted value caught" if not missed else "NOT caught in %s" % missed))
        return 1 if missed else 0
    for p in parts:
        nf = len(ctx.fails)
        n0 = ctx.checks
        try:
            PART_FN[p](ctx)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            C.log("ERROR: part %s: %s" % (p, e))
            return 2
        C.log("[%s] %d checks, %d failures" % (p, ctx.checks - n0, len(ctx.fails) - nf))
    for n in ctx.notes:
        C.log("note: %s" % n)
    for s in ctx.skips:
        C.log("SKIPPED SUB-CHECK: %s" % s)
    C.log("check_ci %s: %d checks, %d failures%s" % (
        "+".join(parts), ctx.checks, len(ctx.fails),
        ", %d sub-checks skipped" % len(ctx.skips) if ctx.skips else ""))
    if ctx.fails:
        return 1
    return C.SKIP_RC if ctx.skips else 0


if __name__ == "__main__":
    sys.exit(main())
