#!/usr/bin/env python3
"""check_patch_c.py - prove `padscan suggest --format patch` on C sources.

For one compiler (gcc or clang):
  1. copy tests/fixtures/c_fix into a fresh git repository and build it with
     -g from inside it (so decl_file is relative to the compile directory);
  2. `padscan suggest --all --format json app` is the prediction;
     `padscan suggest --all --format patch app > fix.diff`;
  3. `git apply --check` and `git apply` must accept the diff;
  4. every comment of every file is still there (the multisets are equal)
     and only lines inside patched definitions moved (each file's sorted
     lines are unchanged);
  5. the program is rebuilt and `padscan analyze --format json` of the new
     binary must give every patched record the predicted optimal size and
     each member the predicted new offset (bitfields: bit offset);
  6. the C export corpus tests/fixtures/c_exports (anonymous members,
     enums, bitfields, _Alignas, function pointers, two units) and the C
     sample services (samples/c, each in samples/c/SVC of a repository of
     its own, the patch applied at that repository's top: its file names
     are the repository's) are patched, applied, checked (comments,
     only moves), rebuilt and compared the same way;
  7. `--write` on a second copy must leave the files exactly as git apply
     did (two files: conn.h and stats.h; a file's mode is kept); on a third copy, a file-size
     limit (RLIMIT_FSIZE, which binds root too) below the size of a file
     written after another must make --write exit 2 with one line naming
     that file, change no file and leave no temporary file (all or none);
     two binaries that edit a file differently (-m64 and -m32) are refused
     the same way, the same binary twice writes each file once;
  8. each verdict line's numbers are the truth: OLD and NEW bytes are
     sizeof before and after the patch (a program compiled with the
     fixture's headers), the glibc bytes per object are the chunk sizes
     glibc's malloc gives those sizes (its size word), and with
     --manifest the fleet's bytes are instances x replicas x those chunks;
  9. the refusal cases (several declarators, #ifdef inside, packed, a
     generated file, vendored code, a positional initializer, and a
     header whose member types changed after the build: a type, a macro)
     are
     named on a `padscan: skipped` line with their reason and their
     definitions are unchanged; the rebuilt program still runs.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import collections
import json
import os
import re
import resource
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "c_fix")
CORPUS = os.path.join(ROOT, "tests", "fixtures", "c_exports")
SAMPLES = ("weapons", "analytics", "backups")
REFUSED = {"pair_decl": "several declarators", "with_ifdef": "preprocessor line",
           "wire": "packed", "gen_msg": "generated", "vendored": "vendored",
           "point3": "positional initializer at main.c:"}
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def sources(d):
    out = {}
    for dp, dns, fns in os.walk(d):
        dns[:] = [x for x in dns if x != ".git"]
        for fn in sorted(fns):
            if fn.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(dp, fn), d)
                with open(os.path.join(dp, fn)) as f:
                    out[rel] = f.read()
    return out


def build(cc, src):
    return run([cc, "-g", "-O0", "-std=gnu11", "main.c", "-o", "app"], src)


def compare(padscan, src, pred, errors, only=None):
    """analyze of the rebuilt app vs the predicted new orders."""
    doc = json.loads(run([padscan, "analyze", "--format", "json", "--all-types", "app"],
                         src).stdout)
    got = {(s["name"], s.get("decl_file")): s for s in doc["binaries"][0]["structs"]}
    n = 0
    for s in pred:
        if not s.get("ctype") or not s.get("improves") or (only and s["name"] not in only):
            continue
        g = got.get((s["name"], s.get("decl_file")))
        if g is None:
            errors.append("%s: missing after the rebuild" % s["name"])
            continue
        n += 1
        if g["size"] != s["optimal_size"]:
            errors.append("%s: size %d after the patch, predicted %d" % (
                s["name"], g["size"], s["optimal_size"]))
        offs = {m.get("name"): (m.get("offset"), m.get("bit_offset"))
                for m in g.get("members", [])}
        for m in s["new_order"]:
            if m.get("name") and offs.get(m["name"]) != (m.get("offset"), m.get("bit_offset")):
                errors.append("%s.%s: offset %r after the patch, predicted %r" % (
                    s["name"], m["name"], offs.get(m["name"]),
                    (m.get("offset"), m.get("bit_offset"))))
    return n


def roundtrip(label, src, cmd, padscan, errors, least, top=None):
    """Patch, git apply, check comments and lines, rebuild, compare.  top:
    the repository holding src in a subfolder (git apply runs there)."""
    if run(["git", "init", "-q"], top or src).returncode or run(cmd, src).returncode:
        errors.append("%s: git init or build failed" % label)
        return 0
    before = sources(src)
    pred = json.loads(run([padscan, "suggest", "--all", "--format", "json", "app"], src).stdout)
    p = run([padscan, "suggest", "--all", "--format", "patch", "app"], src)
    diff = os.path.join(os.path.dirname(src), label + ".diff")
    with open(diff, "w") as f:
        f.write(p.stdout)
    r = run(["git", "apply", diff], top or src)
    if p.returncode or r.returncode:
        errors.append("%s: patch or git apply failed: %s%s" % (label, p.stderr, r.stderr))
        return 0
    after = sources(src)
    for fn in before:
        if collections.Counter(COMMENT.findall(before[fn])) != \
                collections.Counter(COMMENT.findall(after[fn])):
            errors.append("%s/%s: comments differ after the patch" % (label, fn))
        if sorted(before[fn].splitlines()) != sorted(after[fn].splitlines()):
            errors.append("%s/%s: lines other than moves changed" % (label, fn))
    r = run(cmd, src)
    if r.returncode:
        errors.append("%s: rebuild failed: %s" % (label, r.stderr[-500:]))
        return 0
    n = compare(padscan, src, pred["binaries"][0]["suggestions"], errors)
    if n < least:
        errors.append("%s: only %d records patched and compared" % (label, n))
    return n


def write_all_or_none(args, padscan, wd, wrote, errors):
    """--write fails on a later file: no file may change, no temp may stay."""
    src = os.path.join(wd, "write_fail")
    shutil.copytree(FIXTURE, src)
    if build(args.compiler, src).returncode != 0:
        errors.append("build of the --write failure copy failed")
        return
    before = sources(src)
    sizes = [len(before[f].encode()) for f in wrote]
    late = [k for k in range(1, len(wrote)) if sizes[k] > max(sizes[:k])]
    if not late:
        errors.append("--write: no written file is larger than those before it: %r" % wrote)
        return
    k = late[0]
    limit = sizes[k] - 1

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    w = subprocess.run([padscan, "suggest", "--all", "--include-deps", "--format", "patch",
                        "--write", "app"], cwd=src, capture_output=True, text=True,
                       preexec_fn=small_files)
    err = w.stderr.strip().splitlines()
    if w.returncode != 2 or len(err) != 1 or not err[0].startswith("padscan: ") or \
            wrote[k] not in err[0]:
        errors.append("--write over the size limit: exit %d, stderr %r (want 2 and one line "
                      "naming %s)" % (w.returncode, w.stderr, wrote[k]))
    if sources(src) != before:
        errors.append("--write changed files although writing %s failed" % wrote[k])
    left = [f for dp, _, fns in os.walk(src) for f in fns if f.startswith(".padscan-")]
    if left:
        errors.append("--write left temporary files: %r" % left)


TRUTH = r"""#include <stdio.h>
#include <stdlib.h>
#include "conn.h"
#include "stats.h"
/* glibc's chunk for n bytes: the size word before the pointer, flags off */
static size_t chunk(size_t n)
{
    void *p = malloc(n);
    size_t c = ((size_t *)p)[-1] & ~(size_t)7;
    free(p);
    return c;
}
#define SHOW(t) printf("%s %zu %zu\n", #t, sizeof(struct t), chunk(sizeof(struct t)));
int main(void) { SHOW(connection) SHOW(request) SHOW(endpoint_stats) return 0; }
"""
VERDICT = re.compile(r"^padscan: (\w+) \([^)]*\): (\d+) -> (\d+) bytes; glibc (\d+) -> (\d+) "
                     r"bytes per object( \(same size class\))?(?:; fleet (\d+) -> (\d+) bytes "
                     r"in (\d+) services?)?$", re.M)
FLEET = {"services": [
    {"name": "api", "binary": "app", "replicas": 3, "allocator": "glibc",
     "hot_types": [{"type": "connection", "instances": 1000},
                   {"type": "endpoint_stats", "instances": 40}]},
    {"name": "edge", "binary": "app", "replicas": 2, "allocator": "glibc",
     "hot_types": [{"type": "connection", "instances": 10}]}]}


def truth(cc, src):
    """name -> (sizeof, glibc chunk) compiled and run in src."""
    with open(os.path.join(src, "truth.c"), "w") as f:
        f.write(TRUTH)
    r = run([cc, "-std=gnu11", "truth.c", "-o", "truth"], src)
    r = r if r.returncode else run(["./truth"], src)
    if r.returncode:
        return None
    return {n: (int(a), int(b)) for n, a, b in (l.split() for l in r.stdout.splitlines())}


def verdicts(args, padscan, wd, src, errors):
    """The verdict lines against the compiler and glibc (src is patched)."""
    before = os.path.join(wd, "truth_before")
    shutil.copytree(FIXTURE, before)
    if build(args.compiler, before).returncode:
        errors.append("verdicts: build failed")
        return
    with open(os.path.join(before, "fleet.json"), "w") as f:
        json.dump(FLEET, f)
    p = run([padscan, "suggest", "--all", "--format", "patch", "--manifest", "fleet.json",
             "app"], before)
    old, new = truth(args.compiler, before), truth(args.compiler, src)
    if p.returncode or not old or not new:
        errors.append("verdicts: padscan or the truth program failed: %s" % p.stderr)
        return
    instances = {}
    for svc in FLEET["services"]:
        for t in svc["hot_types"]:
            instances[t["type"]] = instances.get(t["type"], 0) + t["instances"] * svc["replicas"]
    seen = set()
    for m in VERDICT.finditer(p.stdout):
        name = m.group(1)
        if name not in old:
            continue
        seen.add(name)
        got = tuple(int(m.group(k)) for k in (2, 3, 4, 5))
        want = (old[name][0], new[name][0], old[name][1], new[name][1])
        if got != want:
            errors.append("verdict %s: bytes, glibc bytes %r; sizeof and malloc say %r" % (
                name, got, want))
        if bool(m.group(6)) != (want[2] == want[3]):
            errors.append("verdict %s: 'same size class' is %s" % (name, bool(m.group(6))))
        fleet = (int(m.group(7)), int(m.group(8))) if m.group(7) else None
        want_fleet = (instances[name] * want[2], instances[name] * want[3]) \
            if name in instances else None
        if fleet != want_fleet:
            errors.append("verdict %s: fleet bytes %r, want %r" % (name, fleet, want_fleet))
    if seen != set(old):
        errors.append("verdicts: no verdict line in the documented format for %s" %
                      sorted(set(old) - seen))
    # --allocator: exact bytes are the sizes themselves
    p = run([padscan, "suggest", "--all", "--format", "patch", "--allocator", "exact", "app"], before)
    got = dict((m.group(1), tuple(map(int, m.group(2, 3, 4, 5)))) for m in re.finditer(
        r"^padscan: (\w+) \([^)]*\): (\d+) -> (\d+) bytes; exact (\d+) -> (\d+) bytes per object",
        p.stdout, re.M))
    want = {n: (old[n][0], new[n][0], old[n][0], new[n][0]) for n in old}
    if got != want:
        errors.append("verdicts with --allocator exact: %r, want %r" % (got, want))


def write_two_binaries(args, padscan, wd, after, errors):
    """--write with two binaries: the same edits once; different ones (-m32 lays the
    records out otherwise) an error that changes nothing."""
    src = os.path.join(wd, "write_two")
    shutil.copytree(FIXTURE, src)
    b64 = build(args.compiler, src)
    b32 = run([args.compiler, "-m32", "-g", "-O0", "-std=gnu11", "main.c", "-o", "app32"], src)
    if b64.returncode or b32.returncode:
        errors.append("--write two binaries: build failed: %s" % (b64.stderr + b32.stderr)[-300:])
        return
    before = sources(src)
    d = run([padscan, "suggest", "--all", "--format", "patch", "app", "app32"], src).stdout
    first = d.find("\ndiff --git ")
    if first < 0 or "\npadscan: " in d[first:] or \
            re.findall(r"^padscan: binary (\S+)$", d, re.M) != ["app", "app32"]:
        errors.append("patch of app and app32: not every verdict before the first diff, each "
                      "binary's after a 'padscan: binary' line")
    w = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "--write", "app",
             "app32"], src)
    err = w.stderr.strip().splitlines()
    if w.returncode != 2 or len(err) != 1 or "two binaries edit it differently" not in err[0] \
            or w.stdout:
        errors.append("--write app app32: exit %d, stdout %d bytes, stderr %r (want 2, nothing, "
                      "one line)" % (w.returncode, len(w.stdout), w.stderr))
    if sources(src) != before:
        errors.append("--write app app32 changed files although it failed")
    w = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "--write", "app",
             "app"], src)
    if w.returncode or sources(src) != after or w.stdout.count("padscan: wrote conn.h") != 1:
        errors.append("--write app app: exit %d, files %s git apply's, %d 'wrote conn.h' lines" % (
            w.returncode, "==" if sources(src) == after else "!=",
            w.stdout.count("padscan: wrote conn.h")))


def corpus(args, padscan, wd, errors):
    """The export corpus and the C sample services."""
    src = os.path.join(wd, "c_exports")  # exports_dup.c includes ../c_exports/exports.h
    shutil.copytree(CORPUS, src)
    cfiles = sorted(f for f in os.listdir(src) if f.endswith(".c"))
    n = roundtrip("c_exports", src, [args.compiler, "-g", "-O0", "-std=gnu11"] + cfiles +
                  ["-o", "app"], padscan, errors, 8)
    for svc in SAMPLES:
        # in a subfolder of a repository, as in padscan's: the patch names
        # samples/c/SVC/SVC.h and applies at the repository's top
        top = os.path.join(wd, "repo_" + svc)
        src = os.path.join(top, "samples", "c", svc)
        shutil.copytree(os.path.join(ROOT, "samples", "c", svc), src)
        n += roundtrip(svc, src, [args.compiler, "-std=c11", "-g", "-O2", svc + ".c", "-o", "app",
                                  "-lm"], padscan, errors, 4, top)
    return n


def stale_types(cc, padscan, wd):
    """A header edited after the build (endpoint_stats.retries: short ->
    int, and requests spelled by a macro) is not the binary's definition:
    skipped with the reason, no hunk for it; the unedited records of the
    same build are still patched."""
    errors = []
    macro = "/* Per-endpoint counters, reset when the endpoint is reloaded. */\n"
    for label, edits in (("type", [("    short retries;", "    int retries;")]),
                         ("macro", [("    uint64_t requests;", "    COUNTER requests;"),
                                    (macro, "#define COUNTER uint64_t\n")])):
        src = os.path.join(wd, "stale_" + label)
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(FIXTURE, src)
        if build(cc, src).returncode != 0:
            return ["stale %s: the fixture does not build" % label]
        path = os.path.join(src, "stats.h")
        with open(path) as f:
            text = f.read()
        for old, new in edits:   # line for line: decl_line still finds the definition
            if old not in text:
                return ["stale %s: stats.h has no %r any more" % (label, old)]
            text = text.replace(old, new)
        with open(path, "w") as f:
            f.write(text)
        p = run([padscan, "suggest", "--all", "--format", "patch", "app"], src)
        if not re.search(r"^padscan: skipped endpoint_stats \(.*\): a member's type in the source "
                         r"is not the binary's", p.stdout, re.M):
            errors.append("stale %s: endpoint_stats not skipped for its type: %s"
                          % (label, p.stdout[:600]))
        if "stats.h" in "".join(ln for ln in p.stdout.splitlines() if ln.startswith("diff --git")):
            errors.append("stale %s: a hunk for the edited stats.h" % label)
        if not re.search(r"^padscan: connection \(", p.stdout, re.M):
            errors.append("stale %s: connection (unedited) not patched any more" % label)
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--compiler", default="gcc")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    padscan = os.path.abspath(args.padscan)
    wd = os.path.abspath(args.workdir)
    src = os.path.join(wd, "src")
    shutil.rmtree(wd, ignore_errors=True)
    shutil.copytree(FIXTURE, src)
    errors = []
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture"]):
        if run(cmd, src).returncode != 0:
            C.log("ERROR: %s failed" % " ".join(cmd))
            return 2
    r = build(args.compiler, src)
    if r.returncode != 0:
        C.log("ERROR: build failed: %s" % r.stderr[-2000:])
        return 2
    before = sources(src)
    pred = json.loads(run([padscan, "suggest", "--all", "--format", "json", "app"], src).stdout)
    sugg = {s["name"]: s for s in pred["binaries"][0]["suggestions"]}
    # --include-deps: vendored types are suggested, and must be refused
    p = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "app"], src)
    if p.returncode != 0:
        C.log("ERROR: padscan --format patch failed (%d): %s" % (p.returncode, p.stderr))
        return 1
    diff = os.path.join(wd, "fix.diff")
    with open(diff, "w") as f:
        f.write(p.stdout)
    patched = [n for n in sugg if re.search(r"^padscan: %s \(" % re.escape(n), p.stdout, re.M)]
    for name, why in REFUSED.items():
        if not re.search(r"^padscan: skipped %s \(.*\): .*%s" % (name, why), p.stdout, re.M):
            errors.append("%s: no 'padscan: skipped' line saying %r" % (name, why))
    for name in ("connection", "request", "endpoint_stats"):
        if name not in patched:
            errors.append("%s: not patched" % name)
    for cmd in (["git", "apply", "--check", diff], ["git", "apply", diff]):
        r = run(cmd, src)
        if r.returncode != 0:
            errors.append("%s: %s" % (" ".join(cmd[:2]), r.stderr.strip()[:500]))
    after = sources(src)
    for fn in before:
        if collections.Counter(COMMENT.findall(before[fn])) != \
                collections.Counter(COMMENT.findall(after[fn])):
            errors.append("%s: comments differ after the patch" % fn)
        if sorted(before[fn].splitlines()) != sorted(after[fn].splitlines()):
            errors.append("%s: lines other than moves changed" % fn)
    for fn in before:
        for name in REFUSED:
            m = re.search(r"struct (__attribute__\(\(packed\)\) )?%s \{.*?\n\};" % name,
                          before[fn], re.S)
            if m and m.group(0) not in after[fn]:
                errors.append("%s: definition changed although refused" % name)
    errors += stale_types(args.compiler, padscan, wd)
    # --write on a fresh copy = git apply
    wsrc = os.path.join(wd, "write")
    shutil.copytree(FIXTURE, wsrc)
    if build(args.compiler, wsrc).returncode == 0:
        os.chmod(os.path.join(wsrc, "conn.h"), 0o640)  # edited in place: the mode stays
        w = run([padscan, "suggest", "--all", "--include-deps", "--format", "patch", "--write",
                 "app"], wsrc)
        mode = os.stat(os.path.join(wsrc, "conn.h")).st_mode & 0o7777
        if mode != 0o640:
            errors.append("--write changed conn.h's mode from 0640 to %04o" % mode)
        if w.returncode != 0:
            errors.append("--write failed (%d): %s" % (w.returncode, w.stderr[-300:]))
        elif sources(wsrc) != after:
            errors.append("--write left the files unlike git apply")
        elif "padscan: wrote conn.h" not in w.stdout:
            errors.append("--write does not say what it wrote")
        wrote = re.findall(r"^padscan: wrote (\S+)$", w.stdout, re.M)
        if len(wrote) < 2:
            errors.append("--write wrote %r: the fixture patches two files" % wrote)
        else:
            write_all_or_none(args, padscan, wd, wrote, errors)
        write_two_binaries(args, padscan, wd, after, errors)
    else:
        errors.append("build of the --write copy failed")
    r = build(args.compiler, src)
    if r.returncode != 0:
        errors.append("rebuild failed: %s" % r.stderr[-1000:])
    else:
        if run(["./app"], src).returncode != 0:
            errors.append("the rebuilt program fails")
        compare(padscan, src, list(sugg.values()), errors, only=set(patched))
        verdicts(args, padscan, wd, src, errors)
    ncorpus = corpus(args, padscan, wd, errors)
    for e in errors:
        C.log("MISMATCH [patch %s] %s" % (args.compiler, e))
    C.log("check_patch_c %s: %d records patched, %d refused; corpus and C samples: %d records; %d mismatches" % (
        args.compiler, len(patched), len(REFUSED), ncorpus, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
