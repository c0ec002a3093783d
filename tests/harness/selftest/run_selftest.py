#!/usr/bin/env python3
"""Harness self-test: prove check_c.py / check_go.py can fail.

Needs no padscan.  C: a padscan-shaped JSON for a subset of the fixture
(gcc, x86-64) must produce no layout mismatch, and a copy with planted
errors must produce exactly those mismatches.  Go: the fixture's own dump is
converted to padscan-shaped JSON (must pass) and then corrupted (must fail).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.dirname(HERE)
PY = sys.executable


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, **kw)
    return p.returncode, p.stdout


def mismatches(out):
    return [l for l in out.splitlines() if l.startswith("MISMATCH")
            and "present in padscan output" not in l]


def expect(cond, msg, out=""):
    if not cond:
        print("SELFTEST FAILED: " + msg)
        print(out[-4000:])
        sys.exit(1)
    print("ok: " + msg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", default="selftest_work")
    a = ap.parse_args()
    wd = os.path.abspath(a.workdir)
    os.makedirs(wd, exist_ok=True)

    # ---- C
    base = [PY, os.path.join(HARNESS, "check_c.py"), "--compiler", "gcc", "--dwarf", "5",
            "--opt", "O0", "--arch", "m64"]
    rc, out = run(base + ["--json", os.path.join(HERE, "c_gcc_m64_subset.json"),
                          "--workdir", os.path.join(wd, "c_good")])
    expect(rc == 1 and not mismatches(out),
           "C: correct subset JSON -> only 'missing struct' mismatches", out)
    rc, out = run(base + ["--json", os.path.join(HERE, "c_gcc_m64_subset_WRONG.json"),
                          "--workdir", os.path.join(wd, "c_bad")])
    want = [
        r"basic_padded\.d: offsetof expected 16, padscan says 12",
        r"basic_padded: _Alignof expected 8, padscan says 4",
        r"vec3: sizeof expected 12, padscan says 16",
        r"vec3: size \(pahole\) expected 12, padscan says 16",
        r"with_anon\.hi: offsetof expected 16, padscan says 12",
        r"holder\.inner\)\.count: offsetof expected 8, padscan says 4",
        r"holder\.inner\)\.flagz: offsetof \(checker does not compile\)",
        r"bf_mixed\.f: bitfield position/width \(static initializer image\) expected bit 32 "
        r"width 11, padscan says bit 34 width 11",
    ]
    for w in want:
        expect(rc == 1 and re.search(w, out), "C: planted error detected: " + w, out)

    # ---- Go
    go = shutil.which("go")
    if not go:
        print("SKIP Go self-test: go not found")
        return 0
    env = dict(os.environ, GOCACHE=os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"),
               GOPATH=os.path.join(wd, "gopath"), CGO_ENABLED="0", GOFLAGS="-mod=mod",
               GOARCH="amd64")
    src = os.path.join(HARNESS, "..", "fixtures", "go")
    exe = os.path.join(wd, "gofixture")
    rc, out = run([go, "build", "-o", exe, "."], cwd=src, env=env)
    expect(rc == 0, "Go: fixture builds", out)
    dump = os.path.join(wd, "dump.json")
    with open(dump, "w") as f:
        subprocess.check_call([exe, "dump"], stdout=f)
    fake = os.path.join(HERE, "fake_go_json.py")
    good, bad = os.path.join(wd, "good_{arch}.json"), os.path.join(wd, "bad_{arch}.json")
    subprocess.check_call([PY, fake, dump, good.replace("{arch}", "amd64")])
    subprocess.check_call([PY, fake, dump, bad.replace("{arch}", "amd64"), "main.Padded.D=12",
                           "main.Locked.pointer_bytes=48", "main.Node.Tag=9"])
    gbase = [PY, os.path.join(HARNESS, "check_go.py"), "--goarch", "amd64",
             "--workdir", os.path.join(wd, "go")]
    rc, out = run(gbase + ["--json", good])
    expect(rc == 0 and not mismatches(out), "Go: faithful JSON passes", out)
    rc, out = run(gbase + ["--json", bad])
    for w in [r"main\.Padded\.D: offset expected 20, padscan says 12",
              r"main\.Padded\.D: offset \(compile-time assertion\) expected 20, padscan says 12",
              r"main\.Locked: pointer_bytes \(runtime ptrdata\) expected 40, padscan says 48",
              r"main\.Node\.Tag: offset \(compile-time assertion\) expected 16, padscan says 9"]:
        expect(rc == 1 and re.search(w, out), "Go: planted error detected: " + w, out)
    print("harness selftest: all planted errors detected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
