#!/usr/bin/env python3
"""check_schema.py - every `padscan analyze --format json` report must validate
against docs/schema/analyze.schema.json (JSON Schema draft 2020-12).

Reports produced at test time:
  * tests/fixtures/c/fixture.c: gcc -gdwarf-5 -m64, gcc -gdwarf-5 -m32,
    gcc -gdwarf-4 -c (object), clang -m64, clang --target=aarch64 -c
    (freestanding object), and all the C binaries in ONE report;
  * tests/fixtures/go built for amd64 and 386 (and amd64 with --go-rules-only).
Go-only fields must be present for Go binaries (go_version, go_runtime_types,
struct/member pointer_bytes) and every report must also be internally
consistent in the ways the schema cannot say (summary.structs == len(structs);
every binary states repo_root, every record with a decl_file has a repo_file,
and repo_file under its repo_root names the file decl_file names under
source_root).

Proof that validation can fail: a deep copy of the first report is broken in
several planted ways (a struct without "waste", "size": -1, an unknown
property, "schema_version": 2); each broken copy must give validation errors
that point at the planted location.

Needs the `jsonschema` module (Debian: python3-jsonschema, which /usr/bin/python3
can import).  Exit status: 0 valid, 1 invalid, 2 harness error, 77 padscan missing.
"""

import argparse
import copy
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_go import go_env, copy_fixture  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURE_C = os.path.join(ROOT, "tests", "fixtures", "c", "fixture.c")
FIXTURE_GO = os.path.join(ROOT, "tests", "fixtures", "go")
SCHEMA = os.path.join(ROOT, "docs", "schema", "analyze.schema.json")


def build_inputs(args, wd):
    """-> list of (label, [paths], extra padscan args, lang)."""
    out = []
    c_bins = []
    cfgs = [("gcc dwarf5 m64", "gcc", ["-m64", "-gdwarf-5"], "fx_gcc5_m64"),
            ("gcc dwarf5 m32", "gcc", ["-m32", "-gdwarf-5"], "fx_gcc5_m32"),
            ("gcc dwarf4 object", "gcc", ["-m64", "-gdwarf-4", "-c"], "fx_gcc4.o"),
            ("clang m64", "clang", ["-m64", "-g"], "fx_clang_m64"),
            ("clang aarch64 object", "clang",
             ["--target=aarch64-linux-gnu", "-ffreestanding", "-gdwarf-5", "-c"],
             "fx_clang_aarch64.o")]
    for label, cc, flags, name in cfgs:
        if not shutil.which(cc):
            C.log("note: %s not installed, %s skipped" % (cc, label))
            continue
        path = os.path.join(wd, name)
        cmd = [cc, "-std=gnu11", "-O2", "-g"] + flags + [FIXTURE_C, "-o", path]
        r = C.run(cmd)
        if r.returncode != 0:
            raise RuntimeError("fixture compile failed: %s\n%s" % (" ".join(cmd), r.stderr))
        out.append((label, [path], [], "c"))
        c_bins.append(path)
    if len(c_bins) > 1:
        out.append(("all C binaries in one report", c_bins, [], "c"))
    go = args.go or shutil.which("go")
    if go:
        for goarch in ("amd64", "386"):
            src = os.path.join(wd, "src_" + goarch)
            copy_fixture(FIXTURE_GO, src)
            path = os.path.join(wd, "fixture_go_" + goarch)
            r = C.run([go, "build", "-o", path, "."], cwd=src, env=go_env(wd, goarch))
            if r.returncode != 0:
                raise RuntimeError("go build failed for %s:\n%s" % (goarch, r.stderr))
            out.append(("go " + goarch, [path], [], "go"))
            if goarch == "amd64":
                out.append(("go amd64 --go-rules-only", [path], ["--go-rules-only"], "go"))
    else:
        C.log("note: go not installed, Go reports skipped")
    return out


def run_padscan(padscan, paths, extra):
    cmd = [padscan, "analyze", "--format", "json"] + extra + paths
    p = C.run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (rc=%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                               p.stderr[-2000:]))
    return json.loads(p.stdout)


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def fmt_err(e):
    return "at /%s: %s" % ("/".join(str(x) for x in e.absolute_path), e.message[:300])


def extra_checks(doc, lang, label):
    """Things the schema cannot express. -> list of messages."""
    bad = []
    for b in doc.get("binaries") or []:
        structs = b.get("structs") or []
        summ = b.get("summary") or {}
        if summ.get("structs") != len(structs):
            bad.append("%s: summary.structs %s != len(structs) %d" % (
                b.get("path"), summ.get("structs"), len(structs)))
        if summ.get("total_size") != sum(s.get("size", 0) for s in structs):
            bad.append("%s: summary.total_size != sum of sizes" % b.get("path"))
        if summ.get("total_waste") != sum(s.get("waste", 0) for s in structs):
            bad.append("%s: summary.total_waste != sum of waste" % b.get("path"))
        if not structs:
            bad.append("%s: no structs reported" % b.get("path"))
        if lang == "go":
            for k in ("go_version", "go_runtime_types"):
                if k not in b:
                    bad.append("%s: Go binary without %r" % (b.get("path"), k))
            nop = [s.get("name") for s in structs if "pointer_bytes" not in s]
            if nop:
                bad.append("%s: %d Go structs without pointer_bytes, e.g. %s" % (
                    b.get("path"), len(nop), nop[:3]))
        else:
            goonly = [s.get("name") for s in structs if "pointer_bytes" in s]
            if goonly or "go_runtime_types" in b:
                bad.append("%s: Go-only fields in a C report (%s)" % (b.get("path"), goonly[:3]))
        bad += repo_paths_checks(b, structs)
    return bad


def repo_paths_checks(b, structs):
    """repo_root / repo_file (docs/json.md): present, and naming the same
    file as source_root / decl_file wherever that file exists."""
    bad = []
    if "repo_root" not in b:
        bad.append("%s: no repo_root" % b.get("path"))
    for s in structs:
        decl, repo = s.get("decl_file"), s.get("repo_file")
        if decl is None or repo is None:
            if (decl is None) != (repo is None):
                bad.append("%s: %s: decl_file %r with repo_file %r" % (b.get("path"), s.get("name"),
                                                                      decl, repo))
            continue
        src = os.path.join(b.get("source_root") or "", decl)
        top = s.get("repo_root", b.get("repo_root"))
        got = repo if os.path.isabs(repo) else os.path.join(top, repo) if top else None
        if os.path.isabs(src) and os.path.exists(src) and not (
                got and os.path.exists(got) and os.path.samefile(src, got)):
            bad.append("%s: %s: repo_file %r (root %r) is not decl_file %r" % (
                b.get("path"), s.get("name"), repo, top, src))
    return bad


def planted_defects(doc):
    """-> list of (description, broken doc, expected error path prefix)."""
    out = []
    b0 = doc["binaries"][0]
    si = next(i for i, s in enumerate(b0["structs"]) if "waste" in s)
    d = copy.deepcopy(doc)
    del d["binaries"][0]["structs"][si]["waste"]
    out.append(("struct without 'waste'", d, ["binaries", 0, "structs", si]))
    d = copy.deepcopy(doc)
    d["binaries"][0]["structs"][si]["size"] = -1
    out.append(("struct 'size': -1", d, ["binaries", 0, "structs", si, "size"]))
    d = copy.deepcopy(doc)
    d["binaries"][0]["structs"][si]["members"].append(
        {"name": "x", "type": "int", "offset": 0, "size": 4, "align": 4, "bit_offset": 9,
         "bit_size": 0, "anonymous": False})
    mi = len(d["binaries"][0]["structs"][si]["members"]) - 1
    out.append(("member 'bit_offset': 9", d,
                ["binaries", 0, "structs", si, "members", mi, "bit_offset"]))
    d = copy.deepcopy(doc)
    d["binaries"][0]["no_such_field"] = 1
    out.append(("unknown binary property", d, ["binaries", 0]))
    d = copy.deepcopy(doc)
    sf = next(i for i, s in enumerate(b0["structs"]) if "repo_file" in s)
    d["binaries"][0]["structs"][sf]["repo_file"] = 5
    out.append(("struct 'repo_file': 5", d, ["binaries", 0, "structs", sf, "repo_file"]))
    d = copy.deepcopy(doc)
    d["binaries"][0]["repo_root"] = "relative/top"
    out.append(("binary 'repo_root' not absolute", d, ["binaries", 0, "repo_root"]))
    d = copy.deepcopy(doc)
    d["schema_version"] = 2
    out.append(("schema_version 2", d, ["schema_version"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=None)
    ap.add_argument("--schema", default=SCHEMA)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    try:
        import jsonschema
        from jsonschema import Draft202012Validator
    except ImportError as e:
        C.log("ERROR: the jsonschema module is not importable by %s (%s); install "
              "python3-jsonschema and run this with /usr/bin/python3" % (sys.executable, e))
        return 2
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % (args.padscan,))
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_schema"))
    os.makedirs(wd, exist_ok=True)
    with open(args.schema) as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        C.log("FAIL: %s is not a valid draft 2020-12 schema: %s" % (args.schema, e.message))
        return 1
    validator = Draft202012Validator(schema)
    try:
        inputs = build_inputs(args, wd)
    except RuntimeError as e:
        C.log("ERROR: %s" % e)
        return 2
    nfail = 0
    first = None
    for label, paths, extra, lang in inputs:
        try:
            doc = run_padscan(args.padscan, paths, extra)
        except (RuntimeError, ValueError) as e:
            C.log("FAIL [%s]: %s" % (label, e))
            nfail += 1
            continue
        with open(os.path.join(wd, "report_%s.json" % label.replace(" ", "_")), "w") as f:
            json.dump(doc, f, indent=1)
        errs = errors_of(validator, doc)
        for e in errs[:20]:
            C.log("FAIL [%s] schema violation %s" % (label, fmt_err(e)))
        if len(errs) > 20:
            C.log("FAIL [%s] ... %d more schema violations" % (label, len(errs) - 20))
        more = extra_checks(doc, lang, label)
        for m in more:
            C.log("FAIL [%s] %s" % (label, m))
        nstructs = sum(len(b.get("structs") or []) for b in doc.get("binaries") or [])
        C.log("[%s] %d binaries, %d structs: %d schema violations, %d other problems" % (
            label, len(doc.get("binaries") or []), nstructs, len(errs), len(more)))
        nfail += len(errs) + len(more)
        if first is None and not errs and doc.get("binaries") and doc["binaries"][0].get("structs"):
            first = doc
    # the validator must be able to fail
    if first is None:
        C.log("ERROR: no valid report to plant defects in")
        return 2
    for desc, broken, where in planted_defects(first):
        errs = errors_of(validator, broken)
        hit = [e for e in errs if list(e.absolute_path)[:len(where)] == where]
        if not errs or not hit:
            C.log("FAIL [self-test] planted defect '%s' not detected at /%s (errors: %s)" % (
                desc, "/".join(map(str, where)), [fmt_err(e) for e in errs][:3]))
            nfail += 1
        else:
            C.log("[self-test] planted defect '%s' detected: %s" % (desc, fmt_err(hit[0])))
    try:
        from importlib.metadata import version
        jver = version("jsonschema")
    except Exception:  # noqa: BLE001
        jver = "?"
    C.log("check_schema: %d reports validated with Draft202012Validator (jsonschema %s), "
          "%d failures" % (len(inputs), jver, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
