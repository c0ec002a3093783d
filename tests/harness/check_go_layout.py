#!/usr/bin/env python3
"""check_go_layout.py - the Go patch's gofmt alignment against gofmt itself.

Go's standard library (GOROOT/src, no testdata/ or vendor/) is gofmt's own
output except for the files `gofmt -l` lists.  For every other file,
tests/unit/go_layout_identity reads each top-level struct type the way the
Go patch does and renders it in its own order: every one must come back
byte for byte.  It also writes each file with every struct's fields
reordered (odd positions first, then even: doc comments, trailing comments,
tags and blank lines move with their fields, multi-name fields split), and
`gofmt -l` must accept every such file.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 tool missing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tool", required=True, help="go_layout_identity")
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    if not os.path.exists(args.tool):
        C.log("SKIP: %s not built" % args.tool)
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir)
    shutil.rmtree(wd, ignore_errors=True)
    out = os.path.join(wd, "reordered")
    os.makedirs(out)
    goroot = subprocess.run([args.go, "env", "GOROOT"], capture_output=True,
                            text=True).stdout.strip()
    gofmt = os.path.join(goroot, "bin", "gofmt")
    src = os.path.join(goroot, "src")
    files = []
    for dp, dns, fns in os.walk(src):
        dns[:] = sorted(d for d in dns if d not in ("testdata", "vendor") and d[0] != ".")
        files += [os.path.join(dp, f) for f in sorted(fns) if f.endswith(".go")]
    unclean = set()
    for i in range(0, len(files), 400):
        r = subprocess.run([gofmt, "-l"] + files[i:i + 400], capture_output=True, text=True)
        unclean |= set(r.stdout.split())
        # a file gofmt cannot parse is said on stderr: not gofmt's output either
        unclean |= {ln.split(":")[0] for ln in r.stderr.splitlines() if ":" in ln}
    clean = [f for f in files if f not in unclean]
    listing = os.path.join(wd, "files.txt")
    with open(listing, "w") as f:
        f.write("\n".join(clean) + "\n")
    r = subprocess.run([args.tool, "--reorder", out, "@" + listing], capture_output=True,
                       text=True)
    C.log(r.stdout.strip()[-3000:])
    errors = []
    m = re.search(r"(\d+) structs rendered, (\d+) differ", r.stdout)
    if r.returncode or not m or int(m.group(2)):
        errors.append("structs rendered in their own order differ from gofmt's (exit %d)"
                      % r.returncode)
    g = subprocess.run([gofmt, "-l", out], capture_output=True, text=True)
    bad = g.stdout.split()
    for path in bad[:10]:
        with open(path) as f:
            first = f.readline().strip()
        d = subprocess.run([gofmt, "-d", path], capture_output=True, text=True).stdout
        errors.append("gofmt -l lists the reordered %s:\n%s" % (first, d[:1500]))
    if len(bad) > 10:
        errors.append("... and %d more reordered files gofmt rejects" % (len(bad) - 10))
    if g.returncode or g.stderr:
        errors.append("gofmt: %s" % g.stderr[:500])
    for e in errors:
        C.log("MISMATCH [go layout] %s" % e)
    C.log("check_go_layout: %d gofmt-clean files of %s (%d not clean, left out); %d mismatches"
          % (len(clean), src, len(unclean), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
