#!/usr/bin/env python3
"""check_patch_go.py - prove `padscan suggest --format patch` on Go sources.

  fixture  tests/fixtures/go_fix (a module written the way people write Go:
           doc and trailing comments, json/db tags, blank-line groups,
           multi-name fields split and kept, a `type (...)` group, embedded
           fields, a nested type of another package of the module, a
           multi-line field, generics, a type defined in two files behind
           build tags) with a third-party module served by a file GOPROXY:
    1. copy into a git repository, build, `go vet`, `go test`;
    2. `suggest --format json` is the prediction; `--format patch` the diff;
    3. `git apply --check` / `git apply` accept it; `gofmt -l` is empty;
    4. go/parser (tests/harness/gofields) before and after: every comment
       of every file is still there (multisets), every field keeps its type
       and tag, its doc and trailing comment (a split `A, B T` keeps them
       on one of its names), refused records are untouched, and each
       patched struct's fields are in the predicted order;
    5. rebuild, `go vet`, `go test`; the program's own reflect/unsafe
       report (gofix -layout) gives each patched record the predicted
       optimal_size, optimal_pointer_bytes and member offsets, and
       `padscan analyze` of the new binary agrees with reflect; each
       verdict line's old size and pointer bytes are reflect's before the
       patch, its go bytes per object padscan fleet's (the estimate
       stage's size classes) for the same binary;
    6. each refusal has its own line and reason: unkeyed composite literals
       (`T{..}` in a test file, `&T{..}`, `[]T{{..}}`, `map[K]T{k: {..}}`,
       `pkg.T{..}` from another package), a generated file, a *.pb.go file,
       a blank `_` field, a fixed (padscan.json) record, a stale binary (the
       source renamed after the build), a third-party dependency, vendored
       code (`go mod vendor`, built with -mod=vendor);
    7. `--write` on a second copy leaves the files exactly as git apply did,
       and `check --format sarif` carries the same edits as fixes;
  samples  every Go sample service (samples/go) is patched, applied,
           gofmt-checked, vetted, rebuilt and compared with the prediction;
  hostlayout  with --fetch-go (Go >= 1.23): a record with a
           structs.HostLayout field is refused.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import collections
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "go_fix")
DEP = os.path.join(ROOT, "tests", "fixtures", "go_fix_dep")
GOFIELDS = os.path.join(HERE, "gofields")
PATCHED = ["main.Session", "main.Grid", "main.Span", "main.Endpoint", "main.Route",
           "main.Handler", "main.Box[int64]", "main.Box[uint64]", "main.osStats", "main.feature",
           "example.com/gofix/model.Meta"]
REFUSED = {
    "main.litValue": r"unkeyed composite literal at main_test\.go:\d+",
    "main.litPtr": r"unkeyed composite literal at literals\.go:\d+",
    "main.litSlice": r"unkeyed composite literal at literals\.go:\d+",
    "main.litMap": r"unkeyed composite literal at literals\.go:\d+",
    "example.com/gofix/model.Unkeyed": r"unkeyed composite literal at main\.go:\d+",
    "main.marker": r"blank \(_\) field",
    "main.Wire": r"fixed in the config",
    "main.Stale": r"stale binary",
    "main.genMsg": r"generated file \(Code generated",
    "main.PbMsg": r"generated file \(protobuf\)",
    "example.com/dep.Conf": r"third-party dependency",
    "main.flavor": r"defined in 2 files of the package \(build constraints\?\)",
}
# vet's composites check flags the unkeyed model.Unkeyed{...} the fixture
# keeps on purpose (a refusal case); every other check runs
VET = ["vet", "-composites=false", "./..."]
SAMPLES = ("combat", "abilities", "inventory", "guilds", "auctions", "notifications", "auth")


def run(cmd, cwd, env=None):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


class Go:
    def __init__(self, go, wd):
        self.go = go
        self.env = C.go_env(wd)
        proxy = os.path.join(wd, "proxy")
        self.env.update({"GOPROXY": "file://" + proxy, "GOSUMDB": "off",
                         "GOFLAGS": "-mod=mod"})
        goroot = os.path.dirname(os.path.dirname(os.path.realpath(go)))
        if os.path.exists(os.path.join(goroot, "src", "runtime")):
            self.env["GOROOT"] = goroot
        self.env["PATH"] = os.path.dirname(go) + os.pathsep + self.env.get("PATH", "")
        make_proxy(proxy)

    def __call__(self, args, cwd, flags=None):
        env = dict(self.env)
        if flags is not None:
            env["GOFLAGS"] = flags
        return run([self.go] + args, cwd, env)


def make_proxy(proxy):
    """example.com/dep v0.0.0 as a module proxy serves it."""
    d = os.path.join(proxy, "example.com", "dep", "@v")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(DEP, "go.mod")) as f:
        gomod = f.read()
    with open(os.path.join(d, "list"), "w") as f:
        f.write("v0.0.0\n")
    with open(os.path.join(d, "v0.0.0.info"), "w") as f:
        f.write('{"Version":"v0.0.0","Time":"2024-01-01T00:00:00Z"}\n')
    with open(os.path.join(d, "v0.0.0.mod"), "w") as f:
        f.write(gomod)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for fn in sorted(os.listdir(DEP)):
            z.write(os.path.join(DEP, fn), "example.com/dep@v0.0.0/" + fn)
    with open(os.path.join(d, "v0.0.0.zip"), "wb") as f:
        f.write(buf.getvalue())


def fields_of(tool, src):
    r = run([tool, src], src)
    if r.returncode:
        raise RuntimeError("gofields %s: %s" % (src, r.stderr))
    return json.loads(r.stdout)


def gofmt_l(go, src):
    gofmt = os.path.join(os.path.dirname(go.go), "gofmt")
    r = run([gofmt if os.path.exists(gofmt) else "gofmt", "-l", "."], src)
    return (r.stdout + r.stderr).strip()


def check_sources(label, before, after, errors, refused_types=()):
    """go/parser's view before and after: comments, fields, refusals."""
    for fn, b in before.items():
        a = after.get(fn)
        if a is None:
            errors.append("%s/%s: gone after the patch" % (label, fn))
            continue
        if collections.Counter(b["comments"] or []) != collections.Counter(a["comments"] or []):
            errors.append("%s/%s: comments differ after the patch" % (label, fn))
        for name, bf in b["structs"].items():
            af = a["structs"].get(name)
            if af is None:
                errors.append("%s/%s: struct %s gone" % (label, fn, name))
                continue
            if name in refused_types and af != bf:
                errors.append("%s/%s: %s changed although refused" % (label, fn, name))
            per_b, per_a = per_name(bf), per_name(af)
            if set(per_b) != set(per_a):
                errors.append("%s/%s: %s fields %s -> %s" % (label, fn, name, sorted(per_b),
                                                               sorted(per_a)))
                continue
            for n, (t, tag, doc, com, multi) in per_b.items():
                t2, tag2, doc2, com2, _ = per_a[n]
                if (t, tag) != (t2, tag2):
                    errors.append("%s/%s: %s.%s: type/tag %r -> %r" % (
                        label, fn, name, n, (t, tag), (t2, tag2)))
                if (doc, com) != (doc2, com2) and not (multi and not doc2 and not com2):
                    errors.append("%s/%s: %s.%s: comments %r -> %r" % (
                        label, fn, name, n, (doc, com), (doc2, com2)))


def per_name(fields):
    out = {}
    for f in fields:
        for n in f["names"] or [f["type"].lstrip("*").split(".")[-1].split("[")[0]]:
            out[n] = (f["type"], f["tag"], f["doc"], f["comment"], len(f["names"] or []) > 1)
    return out


def order_of(files, short):
    for f in files.values():
        if short in f["structs"]:
            names = []
            for fd in f["structs"][short]:
                names += fd["names"] or [fd["type"].lstrip("*").split(".")[-1].split("[")[0]]
            return names
    return None


def patch_and_apply(label, padscan, src, app, extra, errors):
    p = run([padscan, "suggest", "--all", "--format", "patch"] + extra + [app], src)
    diff = os.path.join(os.path.dirname(src), label + ".diff")
    with open(diff, "w") as f:
        f.write(p.stdout)
    if p.returncode:
        errors.append("%s: padscan --format patch failed (%d): %s" % (label, p.returncode,
                                                                      p.stderr))
        return None
    for cmd in (["git", "apply", "--check", diff], ["git", "apply", diff]):
        r = run(cmd, src)
        if r.returncode:
            errors.append("%s: %s: %s" % (label, " ".join(cmd[:2]), r.stderr.strip()[:500]))
            return None
    return p.stdout


def sarif_fixed(padscan, src, cfg, errors):
    """check's SARIF fixes for the same binary, applied to the committed
    sources: {file: text} (the Go records' edits as SARIF carries them)."""
    budget = os.path.join(os.path.dirname(src), "budget.json")
    with open(budget, "w") as f:
        json.dump({"rules": [{"types": ["main.*", "example.com/gofix/*"],
                              "must_be_optimal": True}]}, f)
    r = run([padscan, "check", "--budget", budget, "--format", "sarif"] + cfg + ["app"], src)
    if r.returncode != 1:
        errors.append("check --format sarif: exit %d, expected 1: %s" % (r.returncode, r.stderr))
        return {}
    reps = collections.defaultdict(list)  # every fix is against the original file
    for res in json.loads(r.stdout)["runs"][0]["results"]:
        for fix in res.get("fixes", []):
            for ch in fix["artifactChanges"]:
                reps[ch["artifactLocation"]["uri"]] += ch["replacements"]
    texts = {}
    for uri, rs in reps.items():
        t = run(["git", "show", "HEAD:" + uri], src).stdout
        starts = [0]
        for ln in t.splitlines(True):
            starts.append(starts[-1] + len(ln))
        for rep in sorted(rs, key=lambda x: -x["deletedRegion"]["startLine"]):
            d = rep["deletedRegion"]
            a = starts[d["startLine"] - 1] + d.get("startColumn", 1) - 1
            b = starts[d["endLine"] - 1] + d.get("endColumn", 1) - 1
            t = t[:a] + rep["insertedContent"]["text"] + t[b:]
        texts[uri] = t
    return texts


def patched_names(out):
    return set(re.findall(r"^padscan: (\S+) \(.*\): \d+ -> \d+ bytes", out, re.M))


def compare_layouts(label, truth, analyzed, pred, names, errors):
    """reflect after the patch vs the prediction, and padscan vs reflect."""
    t = {x["name"]: x for x in truth}
    a = {s["name"]: s for s in analyzed}
    for n in names:
        s, g = pred.get(n), t.get(n)
        if s is None or g is None:
            errors.append("%s: %s: no prediction or no reflect layout" % (label, n))
            continue
        if g["size"] != s["optimal_size"]:
            errors.append("%s: %s: size %d after the patch, predicted %d" % (
                label, n, g["size"], s["optimal_size"]))
        if g["pointer_bytes"] != s["optimal_pointer_bytes"]:
            errors.append("%s: %s: pointer bytes %d after the patch, predicted %d" % (
                label, n, g["pointer_bytes"], s["optimal_pointer_bytes"]))
        offs = {f["name"]: f["offset"] for f in g["fields"]}
        for m in s["new_order"]:
            if offs.get(m["name"]) != m["offset"]:
                errors.append("%s: %s.%s: offset %r after the patch, predicted %r" % (
                    label, n, m["name"], offs.get(m["name"]), m["offset"]))
        if [f["name"] for f in g["fields"]] != [m["name"] for m in s["new_order"]]:
            errors.append("%s: %s: field order %s, predicted %s" % (
                label, n, [f["name"] for f in g["fields"]], [m["name"] for m in s["new_order"]]))
        an = a.get(n)
        if an is None or an["size"] != g["size"] or an.get("pointer_bytes") != g["pointer_bytes"]:
            errors.append("%s: %s: padscan analyze %r, reflect %r" % (
                label, n, an and (an["size"], an.get("pointer_bytes")),
                (g["size"], g["pointer_bytes"])))


VERDICT = re.compile(r"^padscan: (\S+) \([^)]*\): (\d+) -> (\d+) bytes, pointer bytes (\d+) -> "
                     r"(\d+); go (\S+) -> (\S+) bytes per object( \(same size class\))?$", re.M)


def verdicts(padscan, out, src, before, errors):
    """Each Go verdict line: sizes and pointer bytes == reflect before the patch (the
    after side is compare_layouts' prediction check); the go allocator's bytes per
    object == padscan fleet's for the same binary (the estimate stage's tested size
    classes).  Call while app is still the unpatched build."""
    lines = {m.group(1): m for m in VERDICT.finditer(out)}
    names = sorted(n for n in lines if "[" not in n)  # no globs in a manifest
    manifest = os.path.join(src, "verdict_fleet.json")
    with open(manifest, "w") as f:
        json.dump({"services": [{"name": "v", "binary": "app", "replicas": 1,
                                 "hot_types": [{"type": n, "instances": 1} for n in names]}]}, f)
    r = run([padscan, "fleet", "--format", "json", manifest], src)
    fleet = {}
    if r.returncode == 0:
        fleet = {t["type"]: t for t in json.loads(r.stdout)["services"][0]["hot_types"]}
    else:
        errors.append("verdicts: padscan fleet failed: %s" % r.stderr[-300:])
    for n in PATCHED:
        if n in lines:
            continue
        errors.append("verdicts: %s has no verdict line in the documented format" % n)
    for n, m in lines.items():
        t = before.get(n)
        if t is not None and (int(m.group(2)), int(m.group(4))) != (t["size"], t["pointer_bytes"]):
            errors.append("verdict %s: %s bytes, %s pointer bytes; reflect before: %d, %d" % (
                n, m.group(2), m.group(4), t["size"], t["pointer_bytes"]))
        ft = fleet.get(n)
        if n in names and (ft is None or (float(m.group(6)), float(m.group(7))) !=
                           (ft["allocated"], ft["optimal_allocated"])):
            errors.append("verdict %s: go %s -> %s bytes per object, fleet says %r" % (
                n, m.group(6), m.group(7), ft and (ft["allocated"], ft["optimal_allocated"])))
        if bool(m.group(8)) != (m.group(6) == m.group(7)):
            errors.append("verdict %s: '(same size class)' is %s" % (n, bool(m.group(8))))
    n_reflect = sum(1 for n in lines if n in before)
    C.log("verdicts: %d lines checked against reflect, %d against the fleet's size classes" % (
        n_reflect, len(names)))
    if n_reflect < 5:
        errors.append("verdicts: only %d verdict lines had a reflect layout" % n_reflect)


def analyze(padscan, app, cwd):
    r = run([padscan, "analyze", "--format", "json", "--all-types", app], cwd)
    return json.loads(r.stdout)["binaries"][0]["structs"]


def fixture(args, padscan, go, tool, wd, errors):
    src = os.path.join(wd, "src")
    shutil.copytree(FIXTURE, src)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture"]):
        if run(cmd, src).returncode:
            raise RuntimeError("%s failed" % " ".join(cmd))
    for step in (["build", "-o", "app", "."], VET, ["test", "./..."]):
        r = go(step, src)
        if r.returncode:
            raise RuntimeError("go %s: %s" % (" ".join(step), r.stderr[-2000:]))
    truth = json.loads(run(["./app", "-layout"], src).stdout)
    before_truth = {x["name"]: x for x in truth}
    before_analyze = {s["name"]: s for s in analyze(padscan, "app", src)}
    for x in truth:  # the reader agrees with reflect before anything moves
        s = before_analyze.get(x["name"])
        if not s or s["size"] != x["size"] or s.get("pointer_bytes") != x["pointer_bytes"]:
            errors.append("before: %s: padscan %r, reflect %r" % (
                x["name"], s and (s["size"], s.get("pointer_bytes")),
                (x["size"], x["pointer_bytes"])))
    # a stale binary: the source renames Stale.C after the build
    path = os.path.join(src, "refused.go")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("\tC bool\n}", "\tD bool\n}"))
    run(["git", "commit", "-qam", "stale"], src)
    before = fields_of(tool, src)
    cfg = ["--config", "padscan.json"]
    pred = {s["name"]: s for s in json.loads(run(
        [padscan, "suggest", "--all", "--include-deps", "--format", "json"] + cfg + ["app"],
        src).stdout)["binaries"][0]["suggestions"]}
    sarif = sarif_fixed(padscan, src, cfg, errors)
    # the files of each package come from the units, read on one or more threads
    outs = [run([padscan, "suggest", "-j", j, "--all", "--include-deps", "--format", "patch"] +
                cfg + ["app"], src).stdout for j in ("1", "3")]
    if outs[0] != outs[1] or "diff --git" not in outs[0]:
        errors.append("suggest --format patch -j 1 and -j 3 differ (or make no diff)")
    # run elsewhere, the same patch against --source-root
    other = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch",
                 "--config", os.path.join(src, "padscan.json"), "--source-root", src,
                 os.path.join(src, "app")], wd).stdout
    if other != outs[0]:
        errors.append("suggest --format patch --source-root SRC from another folder differs")
    out = patch_and_apply("fixture", padscan, src, "app", ["--include-deps"] + cfg, errors)
    if out is None:
        return None
    if len(sarif) < 4:
        errors.append("check --format sarif: fixes for %d Go files, expected 4 or more" % len(sarif))
    for uri, fixed in sarif.items():
        with open(os.path.join(src, uri)) as f:
            if f.read() != fixed:
                with open(os.path.join(wd, "sarif-" + uri.replace("/", "_")), "w") as o:
                    o.write(fixed)
                errors.append("check --format sarif: the fixes of %s differ from git apply" % uri)
    got = patched_names(out)
    verdicts(padscan, out, src, before_truth, errors)
    for n in PATCHED:
        if n not in got:
            errors.append("%s: not patched (%s)" % (n, (re.findall(
                r"^padscan: skipped %s .*$" % re.escape(n), out, re.M) or ["no line"])[0]))
    for n, why in REFUSED.items():
        if not re.search(r"^padscan: skipped %s( \(.*\))?: .*%s" % (re.escape(n), why), out, re.M):
            errors.append("%s: no 'padscan: skipped' line saying %r" % (n, why))
    split = re.search(r"^\+\tY +int64 +`db:\"pos\"` // position$", out, re.M) and \
        re.search(r"^\+\tX +int64 +`db:\"pos\"`$", out, re.M)
    if not split:
        errors.append("main.Grid: X, Y int64 not split into two fields, the tag on each and "
                      "the comment on the first")
    if not re.search(r"^[ +]\tLo, Hi +uint32 +// bounds$", out, re.M):
        errors.append("main.Span: Lo, Hi uint32 not kept together with its comment")
    fmt = gofmt_l(go, src)
    if fmt:
        errors.append("gofmt -l after the patch: %s" % fmt)
    after = fields_of(tool, src)
    short = {n: n.split(".")[-1] for n in REFUSED}
    check_sources("fixture", before, after, errors, set(short.values()) - {"Conf"})
    got = {n for n in got if "[go.shape." not in n}  # the compiler's shape instances
    for n in got:
        s = pred[n]
        want = [m["name"] for m in s["new_order"]]
        have = order_of(after, n.rsplit(".", 1)[-1].split("[")[0])
        if have != want:
            errors.append("%s: source order %s, predicted %s" % (n, have, want))
    # rebuild, vet, test, run; reflect is the truth
    for step in (["build", "-o", "app", "."], VET, ["test", "./..."]):
        r = go(step, src)
        if r.returncode:
            errors.append("after the patch: go %s: %s" % (" ".join(step), r.stderr[-1500:]))
            return None
    if run(["./app"], src).returncode:
        errors.append("the patched program fails")
    truth = json.loads(run(["./app", "-layout"], src).stdout)
    compare_layouts("fixture", truth, analyze(padscan, "app", src), pred, sorted(got), errors)
    # --write on a fresh copy = git apply
    wsrc = os.path.join(wd, "write")
    shutil.copytree(FIXTURE, wsrc)
    shutil.copy(path, os.path.join(wsrc, "refused.go"))
    with open(os.path.join(wsrc, "refused.go"), "w") as f:
        f.write(text)
    if go(["build", "-o", "app", "."], wsrc).returncode == 0:
        with open(os.path.join(wsrc, "refused.go"), "w") as f:
            f.write(text.replace("\tC bool\n}", "\tD bool\n}"))
        w = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "--write"] +
                cfg + ["app"], wsrc)
        mine = fields_of(tool, wsrc)
        if w.returncode:
            errors.append("--write failed (%d): %s" % (w.returncode, w.stderr[-300:]))
        elif any(open(os.path.join(wsrc, fn)).read() != open(os.path.join(src, fn)).read()
                 for fn in after):
            errors.append("--write left the files unlike git apply")
        elif "padscan: wrote types.go" not in w.stdout or not mine:
            errors.append("--write does not say what it wrote")
    else:
        errors.append("build of the --write copy failed")
    return len(got)


def vendored(padscan, go, wd, errors):
    """A vendored dependency's type: refused as vendored code."""
    src = os.path.join(wd, "vendored")
    shutil.copytree(FIXTURE, src)
    run(["git", "init", "-q"], src)
    for step, flags in ((["mod", "tidy"], "-mod=mod"), (["mod", "vendor"], "-mod=mod"),
                        (["build", "-o", "app", "."], "-mod=vendor")):
        r = go(step, src, flags)
        if r.returncode:
            errors.append("vendored: go %s: %s" % (" ".join(step), r.stderr[-800:]))
            return
    if not os.path.isdir(os.path.join(src, "vendor", "example.com", "dep")):
        errors.append("vendored: go mod vendor made no vendor/example.com/dep")
    p = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "--type",
             "example.com/dep.*", "app"], src)
    if not re.search(r"^padscan: skipped example.com/dep.Conf( \(.*\))?: vendored code", p.stdout,
                     re.M):
        errors.append("vendored: no 'skipped example.com/dep.Conf ...: vendored code' line: %s"
                      % p.stdout.strip()[:300])
    if "diff --git" in p.stdout:
        errors.append("vendored: a diff although the only record was refused")


def samples(padscan, go, tool, wd, errors):
    """Every Go sample service: patch, apply, gofmt, vet, rebuild, compare."""
    total = 0
    base = os.path.join(wd, "samples")
    for svc in SAMPLES:
        src = os.path.join(base, svc)
        shutil.copytree(os.path.join(ROOT, "samples", "go"), src)
        run(["git", "init", "-q"], src)
        r = go(["build", "-o", "app", "./" + svc], src)
        if r.returncode:
            errors.append("%s: build: %s" % (svc, r.stderr[-500:]))
            continue
        pred = {s["name"]: s for s in json.loads(run(
            [padscan, "suggest", "--all", "--format", "json", "app"], src).stdout
        )["binaries"][0]["suggestions"]}
        before = fields_of(tool, src)
        out = patch_and_apply(svc, padscan, src, "app", [], errors)
        if out is None:
            continue
        got = patched_names(out)
        fmt = gofmt_l(go, src)
        if fmt:
            errors.append("%s: gofmt -l after the patch: %s" % (svc, fmt))
        check_sources(svc, before, fields_of(tool, src), errors)
        for step in (["build", "-o", "app", "./" + svc], ["vet", "./" + svc + "/..."]):
            r = go(step, src)
            if r.returncode:
                errors.append("%s: after the patch: go %s: %s" % (svc, step[0], r.stderr[-800:]))
                break
        else:
            a = {s["name"]: s for s in analyze(padscan, "app", src)}
            for n in got:
                s, g = pred[n], a.get(n)
                if not g or (g["size"], g.get("pointer_bytes")) != (
                        s["optimal_size"], s["optimal_pointer_bytes"]):
                    errors.append("%s: %s: %r after the patch, predicted %r" % (
                        svc, n, g and (g["size"], g.get("pointer_bytes")),
                        (s["optimal_size"], s["optimal_pointer_bytes"])))
                offs = {m["name"]: m["offset"] for m in (g or {}).get("members", [])}
                for m in s["new_order"]:
                    if offs.get(m["name"]) != m["offset"]:
                        errors.append("%s: %s.%s: offset %r, predicted %r" % (
                            svc, n, m["name"], offs.get(m["name"]), m["offset"]))
            total += len(got)
    if total < 10:
        errors.append("samples: only %d records patched" % total)
    return total


def hostlayout(padscan, goroot, wd, errors):
    """Go >= 1.23: a structs.HostLayout record is refused."""
    src = os.path.join(wd, "hostlayout")
    os.makedirs(src)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module example.com/hl\n\ngo 1.23\n")
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write('package main\n\nimport (\n\t"fmt"\n\t"structs"\n)\n\n'
                "// Host is laid out as the platform's C would.\n"
                "type Host struct {\n\t_ structs.HostLayout\n\tA bool\n\tB int64\n\tC bool\n}\n\n"
                "// Plain is an ordinary record.\n"
                "type Plain struct {\n\tA bool\n\tB int64\n\tC bool\n}\n\n"
                "//go:noinline\nfunc use(h *Host, p *Plain) int64 { return h.B + p.B }\n\n"
                "func main() { fmt.Println(use(&Host{A: true}, &Plain{B: 1})) }\n")
    go = Go(os.path.join(goroot, "bin", "go"), os.path.join(wd, "hlgo"))
    r = go(["build", "-o", "app", "."], src)
    if r.returncode:
        errors.append("hostlayout: build: %s" % r.stderr[-500:])
        return
    run(["git", "init", "-q"], src)
    p = run([padscan, "suggest", "--all", "--format", "patch", "app"], src)
    if not re.search(r"^padscan: skipped main.Host \(main.go:9\): .*HostLayout", p.stdout, re.M):
        errors.append("hostlayout: no 'skipped main.Host ... HostLayout' line: %s" % p.stdout[:300])
    if not re.search(r"^padscan: main.Plain \(main.go:\d+\): 24 -> 16 bytes", p.stdout, re.M):
        errors.append("hostlayout: main.Plain not patched: %s" % p.stdout[:300])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", choices=("fixture", "samples", "hostlayout"), default="fixture")
    ap.add_argument("--fetch-go", metavar="VERSION", help="hostlayout: Go >= 1.23 to fetch")
    ap.add_argument("--go-dest", metavar="DIR", help="fetch_go.sh --dest DIR")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    padscan = os.path.abspath(args.padscan)
    wd = os.path.abspath(args.workdir)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    errors = []
    if args.part == "hostlayout":
        rc, goroot = C.fetch_go(args.fetch_go or "1.25+", args.go_dest)
        if rc == C.SKIP_RC:
            C.log("SKIP: Go %s is not available" % args.fetch_go)
            return C.SKIP_RC
        if rc or not goroot:
            C.log("ERROR: fetch_go.sh failed (%d)" % rc)
            return 2
        hostlayout(padscan, goroot, wd, errors)
        n = 1
    else:
        go = Go(os.path.abspath(args.go), wd)
        tool = os.path.join(wd, "gofields")
        r = go(["build", "-o", tool, "."], GOFIELDS)
        if r.returncode:
            C.log("ERROR: building gofields: %s" % r.stderr)
            return 2
        try:
            if args.part == "fixture":
                n = fixture(args, padscan, go, tool, wd, errors) or 0
                vendored(padscan, go, wd, errors)
            else:
                n = samples(padscan, go, tool, wd, errors)
        except RuntimeError as e:
            C.log("ERROR: %s" % e)
            return 2
    for e in errors:
        C.log("MISMATCH [patch go %s] %s" % (args.part, e))
    C.log("check_patch_go %s: %d records patched; %d mismatches" % (args.part, n, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
