#!/usr/bin/env python3
"""-j N reads one binary's compile units on N threads; the output must not
change: `analyze --format json --sort none`, `suggest --format json` and
`check` (JSON and text) must be byte-identical for -j 1, -j 2 and -j 7.

Binaries, all made or found at test time:
  glibc     the largest debug file of libc6-dbg (about 2000 C units, the
            anonymous unions and typedefs that make a worker name records
            otherwise: the merge must name them as one thread does, or
            read those units again)
  padscan   padscan's own executable (gcc, DWARF 5, one unit per file)
  go        the Go sample services' combat binary and the Go toolchain's
            cmd/gofmt, built here (one unit per package, runtime types)
  split     a C program built with -gsplit-dwarf (read on one thread)
  dwz       the same program after `dwz -m` (alternate file, one thread)

For the large binaries `--verbose` must say the units were read on N
threads: a parallel path silently turned off would pass the comparison.
And some read must have split a range further (the thread done first
takes half of another's rest): the work stealing's merge is compared too.
Self-check: the comparison must catch two records swapped in the output.
Exit 0 pass, 1 fail.
"""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import go_env, libc_debug_files, log, padscan_and_workdir, run  # noqa: E402

JOBS = (1, 2, 7)
failures = []
steals = []  # reads with more ranges than threads


def check(cond, what):
    log(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def outputs(padscan, binary, jobs, budget):
    """Every output compared, by name: bytes of stdout (and the exit code)."""
    runs = {
        "analyze json": ["analyze", "--format", "json", "--sort", "none", "--all-types"],
        "analyze text": ["analyze", "--all-types"],
        "suggest json": ["suggest", "--format", "json", "--all-types"],
        "check json": ["check", "--format", "json", "--budget", budget],
        "check text": ["check", "--budget", budget],
    }
    out = {}
    for name, argv in runs.items():
        p = subprocess.run([padscan, *argv, "-j", str(jobs), binary], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=1200)
        out[name] = (p.returncode, p.stdout)
        if p.returncode not in (0, 1):
            log("  %s -j%d %s: exit %d: %s" % (name, jobs, binary, p.returncode,
                                                p.stderr.decode(errors="replace")[:400]))
    return out


def first_difference(a, b):
    """None when equal, else where the two outputs first differ."""
    if a == b:
        return None
    n = next((i for i in range(min(len(a[1]), len(b[1]))) if a[1][i] != b[1][i]),
             min(len(a[1]), len(b[1])))
    return "exit %d vs %d, bytes differ from %d: %r vs %r" % (
        a[0], b[0], n, a[1][max(0, n - 40):n + 80], b[1][max(0, n - 40):n + 80])


def compare(padscan, label, binary, budget, want_threads):
    base = outputs(padscan, binary, 1, budget)
    check(all(rc in (0, 1) for rc, _ in base.values()),
          "%s: every command succeeds with -j 1" % label)
    check(len(base["analyze json"][1]) > 1000, "%s: analyze -j 1 reports records" % label)
    for jobs in JOBS[1:]:
        other = outputs(padscan, binary, jobs, budget)
        for name in base:
            diff = first_difference(base[name], other[name])
            check(diff is None, "%s: %s -j %d == -j 1%s" % (label, name, jobs,
                                                           "" if diff is None else ": " + diff))
        if want_threads:
            p = run([padscan, "analyze", "--verbose", "--format", "json", "-j", str(jobs), binary])
            m = re.search(r"(\d+) compile units read on (\d+) threads, in (\d+) ranges",
                          p.stderr)
            check(m is not None and int(m.group(2)) == min(jobs, int(m.group(1))),
                  "%s: -j %d read the units on %d threads (%s)"
                  % (label, jobs, jobs, p.stderr.strip()[-300:]))
            if m and int(m.group(3)) > int(m.group(2)):
                steals.append("%s -j %d" % (label, jobs))
    return base


def selfcheck(base):
    """The comparison sees an order difference: two records swapped."""
    doc = json.loads(base["analyze json"][1])
    structs = doc["binaries"][0]["structs"]
    if len(structs) < 2:
        check(False, "selfcheck: a report with two records to swap")
        return
    structs[0], structs[1] = structs[1], structs[0]
    swapped = json.dumps(doc, indent="\t").encode()
    again = json.dumps(json.loads(base["analyze json"][1]), indent="\t").encode()
    check(first_difference((0, again), (0, swapped)) is not None,
          "selfcheck: two records swapped are a difference")
    check(first_difference((0, again), (0, again)) is None, "selfcheck: equal bytes are equal")


C_HEADER = """#include <stdint.h>
struct conn { char state; uint64_t bytes; short port; void *peer; };
typedef struct { int count; union { unsigned wch; char wchb[4]; } value; } mbstate;
struct holder { struct conn c; mbstate m; struct { char a; long b; } inner; };
"""


def c_program(wd, flags, name):
    src = os.path.join(wd, "c-" + name)
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "h.h"), "w") as f:
        f.write(C_HEADER)
    for i in range(6):
        with open(os.path.join(src, "u%d.c" % i), "w") as f:
            f.write('#include "h.h"\nstruct holder h%d; mbstate m%d;\n'
                    'struct only%d { char x; int y; struct { short s; } in; } o%d;\n'
                    'int f%d(void) { return h%d.c.port + o%d.y; }\n' % ((i,) * 7))
    with open(os.path.join(src, "main.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    srcs = ["u%d.c" % i for i in range(6)] + ["main.c"]
    run(["gcc", *flags, *srcs, "-o", name], cwd=src, check=True)
    return os.path.join(src, name)


def go_binaries(wd, root):
    out = []
    samples = os.path.join(wd, "samples")
    p = run([os.path.join(root, "scripts", "build-samples.sh"), samples])
    combat = os.path.join(samples, "combat")
    check(p.returncode == 0 and os.path.exists(combat), "the Go sample services build")
    if os.path.exists(combat):
        out.append(("go combat", combat))
    env = go_env(wd)
    gofmt = os.path.join(wd, "gofmt")
    p = run(["go", "build", "-o", gofmt, "cmd/gofmt"], env=env, timeout=1200)
    check(p.returncode == 0, "go build cmd/gofmt (%s)" % p.stderr[-300:])
    if p.returncode == 0:
        out.append(("go cmd/gofmt", gofmt))
    return out


def main():
    padscan, wd = padscan_and_workdir()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    budget = os.path.join(wd, "budget.json")
    with open(budget, "w") as f:
        json.dump({"rules": [{"types": ["*"], "max_waste": 0}]}, f)

    libc = libc_debug_files()
    check(bool(libc), "libc6-dbg's debug files are installed (scripts/install-deps.sh)")
    base = None
    for path in libc:
        base = compare(padscan, "glibc " + os.path.basename(path), path, budget, True)
    compare(padscan, "padscan itself", padscan, budget, True)
    for label, path in go_binaries(wd, root):
        b = compare(padscan, label, path, budget, True)
        base = base or b
    plain = c_program(wd, ["-g", "-O0"], "plain")
    compare(padscan, "C program", plain, budget, True)
    split = c_program(wd, ["-g", "-O0", "-gsplit-dwarf"], "split")
    compare(padscan, "C program, -gsplit-dwarf", split, budget, False)
    if shutil.which("dwz"):
        one = c_program(wd, ["-g", "-O0"], "dwz1")
        two = c_program(wd, ["-g", "-O0"], "dwz2")
        src = os.path.dirname(one)
        shutil.copy(two, os.path.join(src, "dwz2"))
        run(["dwz", "-m", "common.dwz", "dwz1", "dwz2"], cwd=src, check=True)
        compare(padscan, "C program, dwz -m", one, budget, False)
    else:
        check(False, "dwz is installed (scripts/install-deps.sh)")
    if base:
        selfcheck(base)
    check(len(steals) > 0, "some read took a range's tail on the thread done first (%s)"
          % ", ".join(steals))
    log("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
