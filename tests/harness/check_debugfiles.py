#!/usr/bin/env python3
"""The artifacts teams ship: padscan must read every way debug information
travels apart from the code, and give the same records as the same program
built plainly.

Each case builds a small multi-file C program (or a Go program) with the real
tools -- objcopy, strip, dwz, gcc/clang -gsplit-dwarf, dwp/llvm-dwp, a local
debuginfod server -- and compares padscan's records with those of the plain
build (same compiler, same directory, same flags but the one under test).
Bad cases (missing .dwo, wrong CRC, unknown build id, unreachable debuginfod,
line tables only, LTO IR, Mach-O, PE, ar) must give exit 2 and exactly one
`padscan:` line.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import go_env, log, run  # noqa: E402

HEADER = """\
#include <stdint.h>
struct conn {            /* holes on purpose */
    char state;
    uint64_t bytes;
    short port;
    void *peer;
    char flags[3];
    uint32_t mask : 5, ttl : 11;
};
union u { int i; double d; char c[12]; };
typedef struct { char a; long b; char c; } vec_t;
"""
UNIT_A = '#include "../include/conn.h"\nstruct conn ca; union u ua; vec_t va;\n' \
         'struct only_a { char x; int y; } oa;\nint fa(void) { return ca.port; }\n'
UNIT_B = '#include "../include/conn.h"\nstruct conn cb; vec_t vb;\n' \
         'int main(void) { return cb.port + (int)sizeof(vb); }\n'

failures = []


def check(cond, what):
    log(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Padscan:
    def __init__(self, exe):
        self.exe = exe

    def records(self, path, *extra, env=None, cwd=None):
        p = run([self.exe, "analyze", "--format", "json", *extra, path], env=env, cwd=cwd)
        if p.returncode != 0:
            return None, p
        doc = json.loads(p.stdout)
        b = doc["binaries"][0]
        return b, p

    def fails(self, path, *extra, env=None, expect=None, cwd=None):
        p = run([self.exe, "analyze", *extra, path], env=env, cwd=cwd, timeout=120)
        lines = [l for l in p.stderr.splitlines() if l.startswith("padscan:")]
        ok = p.returncode == 2 and len(lines) == 1 and not p.stdout and \
            (expect is None or expect in lines[0])
        return ok, (p.returncode, p.stderr.strip())


def struct_set(binary):
    """The records, comparable across builds (paths and all)."""
    return sorted(json.dumps(s, sort_keys=True) for s in binary["structs"])


def same_records(ps, plain, other, what, *extra, env=None):
    a, pa = ps.records(plain, *extra)
    b, pb = ps.records(other, *extra, env=env)
    if a is None or b is None:
        check(False, "%s: padscan failed: %s" % (what, (pa if a is None else pb).stderr.strip()))
        return None
    check(len(a["structs"]) >= 4, "%s: the plain build has records (%d)" % (what, len(a["structs"])))
    check(struct_set(a) == struct_set(b), "%s: records equal the plain build's" % what)
    return b


def project(wd, name):
    """A Makefile-style tree: sources in src/, the header in include/."""
    root = os.path.join(wd, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "include"))
    os.makedirs(os.path.join(root, "src"))
    with open(os.path.join(root, "include", "conn.h"), "w") as f:
        f.write(HEADER)
    with open(os.path.join(root, "src", "a.c"), "w") as f:
        f.write(UNIT_A)
    with open(os.path.join(root, "src", "b.c"), "w") as f:
        f.write(UNIT_B)
    return root


def build(root, cc, flags, out):
    src = os.path.join(root, "src")
    run([cc, *flags, "a.c", "b.c", "-o", out], cwd=src, check=True)
    return os.path.join(src, out)


def separate_debug(ps, wd, cc):
    root = project(wd, "sep-" + cc)
    plain = build(root, cc, ["-g", "-O0", "-Wl,--build-id"], "app.plain")
    app = build(root, cc, ["-g", "-O0", "-Wl,--build-id"], "app")
    src = os.path.dirname(app)
    run(["objcopy", "--only-keep-debug", app, app + ".debug"], check=True)
    run(["strip", "--strip-all", app], check=True)
    run(["objcopy", "--add-gnu-debuglink=" + app + ".debug", app], cwd=src, check=True)
    b = same_records(ps, plain, app, cc + ": stripped + .gnu_debuglink next to it")
    check(b is not None and b.get("debug_file", "").endswith("app.debug"),
          cc + ": JSON names the debug_file")
    p = run([ps.exe, "analyze", "--verbose", "--type", "struct conn", app])
    check("app.debug" in p.stderr and p.returncode == 0, cc + ": --verbose says which debug file")
    # .debug/ subdirectory
    os.makedirs(os.path.join(src, ".debug"), exist_ok=True)
    shutil.move(app + ".debug", os.path.join(src, ".debug", "app.debug"))
    same_records(ps, plain, app, cc + ": .gnu_debuglink in .debug/")
    # build id under --debug-dir
    bid = build_id(app)
    ddir = os.path.join(wd, "debugdir-" + cc)
    os.makedirs(os.path.join(ddir, ".build-id", bid[:2]), exist_ok=True)
    shutil.copy(os.path.join(src, ".debug", "app.debug"),
                os.path.join(ddir, ".build-id", bid[:2], bid[2:] + ".debug"))
    nolink = app + ".nolink"
    run(["objcopy", "--remove-section=.gnu_debuglink", app, nolink], check=True)
    same_records(ps, plain, nolink, cc + ": build id under --debug-dir", "--debug-dir", ddir)
    ok, why = ps.fails(nolink, expect=bid)
    check(ok, cc + ": build id not found: exit 2, one line naming the build id %s" % (why,))
    # wrong CRC
    with open(os.path.join(src, ".debug", "app.debug"), "ab") as f:
        f.write(b"tampered")
    ok, why = ps.fails(app, expect="CRC")
    check(ok, cc + ": debug file with the wrong CRC: exit 2, one line %s" % (why,))
    return plain, app, ddir, bid


def build_id(path):
    p = run(["readelf", "-n", path], check=True)
    for line in p.stdout.splitlines():
        if "Build ID:" in line:
            return line.split()[-1]
    raise RuntimeError("no build id in " + path)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def debuginfod_case(ps, wd, plain, app, ddir, bid):
    if not shutil.which("debuginfod"):
        check(False, "debuginfod is installed (scripts/install-deps.sh)")
        return
    served = os.path.join(wd, "served")
    shutil.rmtree(served, ignore_errors=True)
    os.makedirs(served)
    shutil.copy(os.path.join(ddir, ".build-id", bid[:2], bid[2:] + ".debug"),
                os.path.join(served, "app.debug"))
    stripped = os.path.join(wd, "app.for-debuginfod")
    run(["objcopy", "--remove-section=.gnu_debuglink", app, stripped], check=True)
    port = free_port()
    db = os.path.join(wd, "debuginfod.sqlite")
    if os.path.exists(db):
        os.remove(db)
    server = subprocess.Popen(["debuginfod", "-p", str(port), "-d", db, "-F", "-t", "1", served],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = os.path.join(wd, "debuginfod-cache")
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, DEBUGINFOD_URLS="http://127.0.0.1:%d" % port,
               DEBUGINFOD_CACHE_PATH=cache, DEBUGINFOD_TIMEOUT="10")
    try:
        url = "http://127.0.0.1:%d/buildid/%s/debuginfo" % (port, bid)
        deadline = time.time() + 60
        while time.time() < deadline:  # until the server has indexed the file
            try:  # asked directly: the client would cache the miss
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.5)
        b, p = ps.records(stripped, env=env)
        check(b is not None, "debuginfod: the stripped binary is read through the server (%s)"
              % (p.stderr.strip(),))
        if b is not None:
            same_records(ps, plain, stripped, "debuginfod", env=env)
            check(b.get("debug_file", "").startswith(cache), "debuginfod: debug_file is in its cache")
    finally:
        server.terminate()
        server.wait(timeout=30)
    env["DEBUGINFOD_URLS"] = "http://127.0.0.1:%d" % free_port()
    env["DEBUGINFOD_CACHE_PATH"] = cache + "-empty"
    ok, why = ps.fails(stripped, env=env, expect="debuginfod")
    check(ok, "unreachable debuginfod: exit 2, one line %s" % (why,))


def dwz_cases(ps, wd):
    if not shutil.which("dwz"):
        check(False, "dwz is installed (scripts/install-deps.sh)")
        return
    for dwarf in ("4", "5"):
        root = project(wd, "dwz" + dwarf)
        flags = ["-g", "-gdwarf-" + dwarf, "-O0"]
        plain = build(root, "gcc", flags, "plain")
        one = build(root, "gcc", flags, "one")
        run(["dwz", one], check=True)
        same_records(ps, plain, one, "dwz (DWARF %s, partial units)" % dwarf)
        x = build(root, "gcc", flags, "x")
        y = build(root, "gcc", flags + ["-DUNUSED"], "y")
        src = os.path.dirname(x)
        mflags = ["--dwarf-5"] if dwarf == "5" else []
        run(["dwz", *mflags, "-m", "common.dwz", x, y], cwd=src, check=True)
        has_link = ".gnu_debugaltlink" in run(["readelf", "-S", x]).stdout or \
            ".debug_sup" in run(["readelf", "-S", x]).stdout
        check(has_link, "dwz -m (DWARF %s) made a multifile" % dwarf)
        same_records(ps, plain, x, "dwz -m (DWARF %s, alternate file)" % dwarf)
        os.rename(os.path.join(src, "common.dwz"), os.path.join(src, "moved.dwz"))
        ok, why = ps.fails(x, expect="common.dwz")
        check(ok, "dwz -m without its alternate file: exit 2, one line %s" % (why,))


def split_cases(ps, wd):
    llvm_dwp = shutil.which("llvm-dwp") or shutil.which("llvm-dwp-14")
    check(llvm_dwp is not None and shutil.which("dwp") is not None,
          "dwp (binutils) and llvm-dwp (llvm) are installed (scripts/install-deps.sh)")
    # binutils' dwp does not read DWARF 5 split units: gcc's DWARF 5 .dwo
    # files are checked unpacked only.
    configs = [("gcc", "4", "dwp"), ("gcc", "5", None), ("clang", "5", llvm_dwp),
               ("clang", "4", llvm_dwp)]
    for cc, dwarf, packer in configs:
        what = "split DWARF %s DWARF %s" % (cc, dwarf)
        root = project(wd, "split-%s-%s" % (cc, dwarf))
        flags = ["-g", "-gdwarf-" + dwarf, "-O0"]
        plain = build(root, cc, flags, "plain")
        app = build(root, cc, flags + ["-gsplit-dwarf"], "app")
        src = os.path.dirname(app)
        dwos = [f for f in os.listdir(src) if f.endswith(".dwo")]
        check(len(dwos) == 2, "%s: the compiler wrote two .dwo files (%s)" % (what, dwos))
        same_records(ps, plain, app, what + " (.dwo files)")
        if packer and shutil.which(packer):
            run([packer, "-e", app, "-o", app + ".dwp"], cwd=src, check=True)
            hidden = os.path.join(src, "hidden")
            os.makedirs(hidden, exist_ok=True)
            for d in dwos:
                os.rename(os.path.join(src, d), os.path.join(hidden, d))
            same_records(ps, plain, app, what + " (%s package)" % os.path.basename(packer))
            os.remove(app + ".dwp")
        else:
            hidden = src
            os.remove(os.path.join(src, dwos[0]))
        ok, why = ps.fails(app, expect=".dwo")
        check(ok, "%s: .dwo missing: exit 2, one line %s" % (what, why))


def compressed_cases(ps, wd):
    root = project(wd, "zdebug")
    plain = build(root, "gcc", ["-g", "-O0"], "plain")
    for mode in ("zlib-gnu", "zlib"):
        app = build(root, "gcc", ["-g", "-O0", "-gz=" + mode], "app-" + mode)
        names = run(["readelf", "-S", app]).stdout
        if mode == "zlib-gnu":
            check(".zdebug_info" in names, "gcc -gz=zlib-gnu wrote .zdebug_ sections")
        same_records(ps, plain, app, "compressed debug sections (-gz=%s)" % mode)


def refusals(ps, wd):
    d = os.path.join(wd, "refuse")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    c = os.path.join(d, "t.c")
    with open(c, "w") as f:
        f.write("struct s { char a; long b; } g;\nint main(void) { return g.a; }\n")
    cases = []
    run(["clang", "-gline-tables-only", c, "-o", os.path.join(d, "lt")], check=True)
    cases.append(("lt", "no types", "clang -gline-tables-only"))
    run(["gcc", "-g1", c, "-o", os.path.join(d, "g1")], check=True)
    cases.append(("g1", "no types", "gcc -g1"))
    run(["gcc", "-g", "-flto", "-c", c, "-o", os.path.join(d, "lto.o")], check=True)
    cases.append(("lto.o", "LTO", "gcc -flto -c (IR only)"))
    run(["gcc", "-g", "-c", c, "-o", os.path.join(d, "t.o")], check=True)
    run(["ar", "rc", os.path.join(d, "lib.a"), os.path.join(d, "t.o")], check=True)
    cases.append(("lib.a", "ar archive", "ar archive"))
    with open(os.path.join(d, "w.exe"), "wb") as f:
        f.write(b"MZ\x90\x00" + b"\x00" * 124)
    cases.append(("w.exe", "PE/COFF", "PE file"))
    with open(os.path.join(d, "m.o"), "wb") as f:
        f.write(b"\xcf\xfa\xed\xfe" + b"\x00" * 60)
    cases.append(("m.o", "Mach-O", "Mach-O file"))
    for name, expect, what in cases:
        ok, why = ps.fails(os.path.join(d, name), expect=expect)
        check(ok, "%s: exit 2, one line saying %r %s" % (what, expect, why))


GO_MAIN = """package main

import "fmt"

type Player struct {
	Alive bool
	HP    int64
	Crit  bool
	Name  string
	Inv   []uint32
	Pos   [3]float32
}

var sink *Player

func main() { sink = &Player{Name: "x"}; fmt.Println(sink) }
"""


def go_case(ps, wd, go):
    d = os.path.join(wd, "go")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write(GO_MAIN)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write("module example.com/debugfiles\n\ngo 1.19\n")
    env = go_env(wd)
    run([go, "build", "-o", "plain", "."], cwd=d, env=env, check=True)
    run([go, "build", "-o", "app", "."], cwd=d, env=env, check=True)
    app = os.path.join(d, "app")
    run(["objcopy", "--only-keep-debug", app, app + ".debug"], check=True)
    run(["objcopy", "--strip-debug", app], check=True)
    run(["objcopy", "--add-gnu-debuglink=app.debug", app], cwd=d, check=True)
    a, _ = ps.records(os.path.join(d, "plain"), "--type", "main.*")
    b, p = ps.records(app, "--type", "main.*")
    check(b is not None, "Go: stripped binary + debug file read (%s)" % (p.stderr.strip(),))
    if a is not None and b is not None:
        check(struct_set(a) == struct_set(b), "Go: records equal the plain build's")
        check(b.get("go_runtime_types", 0) > 0 and
              b.get("go_runtime_types") == a.get("go_runtime_types"),
              "Go: runtime type descriptors still read from the binary (%s vs %s)" %
              (b.get("go_runtime_types"), a.get("go_runtime_types")))
    only, p = ps.records(app + ".debug", "--type", "main.*")
    check(only is not None, "Go debug-only file alone is read, no crash (%s)" % (p.stderr.strip(),))
    if a is not None and only is not None:
        sizes = lambda x: sorted((s["name"], s["size"], s["align"]) for s in x["structs"])
        check(sizes(a) == sizes(only), "Go debug-only file: the DWARF rules give the same sizes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    wd = os.path.abspath(args.workdir)
    ps = Padscan(os.path.abspath(args.padscan))
    for cc in ("gcc", "clang"):
        plain, app, ddir, bid = separate_debug(ps, wd, cc)
        if cc == "gcc":
            debuginfod_case(ps, wd, plain, app, ddir, bid)
    dwz_cases(ps, wd)
    split_cases(ps, wd)
    compressed_cases(ps, wd)
    refusals(ps, wd)
    go_case(ps, wd, args.go)
    log("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
