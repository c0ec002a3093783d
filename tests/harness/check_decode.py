#!/usr/bin/env python3
"""The reader decodes most DIEs' attributes from the section bytes itself
(src/read/rawattrs.c) and leaves the rest to libdwarf; PADSCAN_DECODE=libdwarf
makes libdwarf decode all of them.  The two must mean the same: analyze's
and suggest's JSON (every record, member, offset, bit position, name, file
and line) must be byte-identical both ways, on binaries made here by every
compiler and DWARF version the reader supports, and on glibc's debug file.

Damaged copies (bytes flipped in the sections the reader decodes) must get
the same verdict from both: the same exit status and, when it is 0, the
same report.

The comparison must not pass vacuously: `--verbose` counts the DIEs each
decoder read, and on each binary the reader's own decoder must have read
some (for plain gcc builds: all of them), while PADSCAN_DECODE=libdwarf
must leave it none.  Exit 0 pass, 1 fail.
"""

import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from pscommon import go_env, libc_debug_files, log, padscan_and_workdir, run  # noqa: E402

failures = []

FIXTURE = r"""
#include <stdint.h>
#include <stddef.h>
#include <stdatomic.h>
enum color { RED = -3, GREEN = 7, BLUE = 0x7fffffff };
enum big { HUGE = 0xffffffffffffffffULL };
typedef struct { int count; union { unsigned wch; char wchb[4]; } value; } mbstate;
typedef unsigned long word_t;
typedef word_t word2_t;
struct flags { unsigned a : 3; unsigned : 0; unsigned b : 5; int c : 7; uint8_t d; unsigned e : 1; };
struct arrays { char grid[3][5]; const volatile int cv[2]; void (*fn[2])(int, char *); };
struct tail { short n; long items[]; };
struct aligned { char c; _Alignas(32) int x; double d; };
struct __attribute__((packed)) packed { char c; int i; short s; };
struct atoms { char c; _Atomic long a; atomic_int ai; };
struct nest { char tag; struct { char a; double b; } inner; union { int i; float f; } u;
              enum color col; enum big bg; word2_t w; mbstate m; struct flags fl; };
struct conn { char state; uint64_t bytes; short port; void *peer; struct conn *next; };
struct conn c0; struct flags f0; struct arrays a0; struct tail *t0; struct aligned al0;
struct packed p0; struct atoms at0; struct nest n0; mbstate m0;
int main(void) { return c0.port + f0.b + n0.tag + (int)sizeof(struct tail); }
"""

CXX_FIXTURE = r"""
#include <cstdint>
namespace game { struct Base { virtual ~Base() {} char kind; };
struct Unit : Base { int64_t hp; char team; double x; };
class Weapon { public: char slot; private: double dmg; protected: short ammo; };
template <typename T> struct Box { char tag; T value; }; }
game::Unit u; game::Weapon w; game::Box<double> b; game::Box<char> bc;
int main() { return u.team + bc.tag; }
"""


def check(cond, what):
    log(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def counts(padscan, binary, env):
    p = subprocess.run([padscan, "analyze", "--verbose", "--format", "json", "-j", "1", binary],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=1200)
    raw = lib = 0
    for m in re.finditer(r"attributes of (\d+) DIEs decoded from the section bytes, (\d+) "
                         r"through libdwarf", p.stderr.decode(errors="replace")):
        raw += int(m.group(1))
        lib += int(m.group(2))
    return raw, lib


def outputs(padscan, binary, env):
    out = []
    for argv in (["analyze", "--format", "json", "--sort", "none", "--all-types"],
                 ["suggest", "--format", "json", "--all-types"]):
        p = subprocess.run([padscan, *argv, binary], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=1200)
        out.append((p.returncode, p.stdout, p.stderr[-300:]))
    return out


def compare(padscan, label, binary, all_raw, own_some=True):
    own = dict(os.environ)
    own.pop("PADSCAN_DECODE", None)
    lib = dict(own, PADSCAN_DECODE="libdwarf")
    raw_n, lib_n = counts(padscan, binary, own)
    check(raw_n > 0 or not own_some, "%s: the reader decoded DIEs itself (%d, %d by libdwarf)" % (label, raw_n, lib_n))
    if all_raw:
        check(lib_n == 0, "%s: every DIE decoded by the reader (%d by libdwarf)" % (label, lib_n))
    r2, l2 = counts(padscan, binary, lib)
    check(r2 == 0 and l2 > 0, "%s: PADSCAN_DECODE=libdwarf decodes every DIE through libdwarf "
                              "(%d, %d)" % (label, r2, l2))
    a, b = outputs(padscan, binary, own), outputs(padscan, binary, lib)
    for (rc1, o1, e1), (rc2, o2, e2), name in zip(a, b, ("analyze", "suggest")):
        check(rc1 == 0 and len(o1) > (500 if name == "analyze" else 20), "%s: %s succeeds (%d: %r)" % (label, name, rc1, e1))
        n = next((i for i in range(min(len(o1), len(o2))) if o1[i] != o2[i]), None)
        check(o1 == o2 and rc1 == rc2, "%s: %s identical with either decoder%s" % (
            label, name, "" if o1 == o2 else " (first difference at byte %s: %r vs %r)"
            % (n, o1[max(0, (n or 0) - 60):(n or 0) + 60], o2[max(0, (n or 0) - 60):(n or 0) + 60])))


GO_FIXTURE = """package main

type Player struct {
	Alive bool
	ID    uint64
	Team  byte
	Name  string
	HP    int32
	Pos   [3]float32
	Tags  map[string]int
	Next  *Player
}

var P Player

func main() { P.ID++; println(P.Name, len(P.Tags)) }
"""


def go_big_endian(wd, goarch):
    """A Go program for a big-endian target (s390x: 64-bit, mips: 32-bit):
    the reader's decoding reads words in the file's byte order."""
    d = os.path.join(wd, "go-" + goarch)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write(GO_FIXTURE)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write("module be\n\ngo 1.19\n")
    p = run(["go", "build", "-o", "be", "."], cwd=d, env=go_env(wd, goarch), timeout=1200)
    check(p.returncode == 0, "go build GOARCH=%s (%s)" % (goarch, p.stderr[-300:]))
    return os.path.join(d, "be") if p.returncode == 0 else None


DAMAGED = (".debug_info", ".debug_abbrev", ".debug_str", ".debug_str_offsets", ".debug_line_str")


def damaged_copies(padscan, label, binary, wd, count, seed):
    """Seeded copies with 1-6 bytes flipped in the sections the reader's
    decoder reads: both decoders must agree on every one, the exit status
    and, when it is 0, the report (a damaged DIE is libdwarf's to judge)."""
    rng = random.Random(seed)
    data = open(binary, "rb").read()
    elf = C.Elf(binary)
    sections = [(s["offset"], s["size"]) for s in elf.sections
                if s["type"] != 8 and s["size"] > 0 and elf.section_name(s) in DAMAGED]
    path = os.path.join(wd, "damaged")
    disagree, status = [], {}
    for i in range(count):
        off, size = rng.choice(sections)
        buf = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            buf[off + rng.randrange(size)] ^= rng.randint(1, 255)
        with open(path, "wb") as f:
            f.write(buf)
        got = []
        for env in ({}, {"PADSCAN_DECODE": "libdwarf"}):
            p = subprocess.run([padscan, "analyze", "--format", "json", "--sort", "none",
                                "--all-types", "-j", "1", path], env=dict(os.environ, **env),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            got.append((p.returncode, p.stdout if p.returncode == 0 else b""))
        status[got[0][0]] = status.get(got[0][0], 0) + 1
        if got[0] != got[1] or got[0][0] not in (0, 2):
            disagree.append(i)
            shutil.copy(path, os.path.join(wd, "disagree-%d" % i))
    check(not disagree, "%s, %d damaged copies: both decoders agree (exit status %s; disagree: %s)"
          % (label, count, status, disagree))
    check(status.get(2, 0) > 0 and status.get(0, 0) > 0,
          "%s: the damage is read (some copies refused, some read): %s" % (label, status))


def build(wd, compiler, flags, name, source, suffix=".c"):
    d = os.path.join(wd, name)
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, "fixture" + suffix)
    with open(src, "w") as f:
        f.write(source)
    out = os.path.join(d, name)
    p = run([compiler, *flags, src, "-o", out], cwd=d)
    check(p.returncode == 0, "%s %s builds (%s)" % (compiler, " ".join(flags), p.stderr[-300:]))
    return out if p.returncode == 0 else None


def main():
    padscan, wd = padscan_and_workdir()
    # name, compiler, flags, every DIE the reader's own (gcc writes no form it leaves
    # to libdwarf, clang's DWARF 5 indexed strings are read here too); a split
    # build's types are in its .dwo files, which libdwarf reads
    builds = [
        ("gcc-dwarf2", "gcc", ["-gdwarf-2", "-O0"], True),
        ("gcc-dwarf3", "gcc", ["-gdwarf-3", "-O0"], True),
        ("gcc-dwarf4", "gcc", ["-gdwarf-4", "-O2"], True),
        ("gcc-dwarf5", "gcc", ["-gdwarf-5", "-O0"], True),
        ("gcc-m32", "gcc", ["-m32", "-g", "-O0"], True),
        ("clang-dwarf4", "clang", ["-gdwarf-4", "-O0"], True),
        ("clang-dwarf5", "clang", ["-gdwarf-5", "-O2"], True),
        ("gcc-split", "gcc", ["-g", "-gsplit-dwarf", "-O0"], None),
    ]
    for name, cc, flags, all_raw in builds:
        path = build(wd, cc, flags, name, FIXTURE)
        if path:
            compare(padscan, name, path, bool(all_raw), all_raw is not None)
    for name in ("gcc-dwarf5", "clang-dwarf5"):
        path = os.path.join(wd, name, name)
        if os.path.exists(path):
            damaged_copies(padscan, name, path, os.path.join(wd, name), 40, 14)
    for name, cxx, flags in (("g++", "g++", ["-g", "-O0"]), ("clang++", "clang++", ["-gdwarf-5"])):
        path = build(wd, cxx, flags, name, CXX_FIXTURE, ".cc")
        if path:
            compare(padscan, name, path, True)
    one, two = (build(wd, "gcc", ["-g", "-O0"], n, FIXTURE) for n in ("dwz1", "dwz2"))
    if one and two and shutil.which("dwz"):
        shutil.copy(two, os.path.join(os.path.dirname(one), "dwz2"))
        p = run(["dwz", "-m", "common.dwz", "dwz1", "dwz2"], cwd=os.path.dirname(one))
        check(p.returncode == 0, "dwz -m (%s)" % p.stderr[-300:])
        compare(padscan, "dwz -m (the alternate file's DIEs are libdwarf's)", one, False)
    else:
        check(False, "dwz is installed (scripts/install-deps.sh)")
    obj = os.path.join(wd, "gcc-dwarf4", "fixture.o")
    p = run(["gcc", "-g", "-c", os.path.join(wd, "gcc-dwarf4", "fixture.c"), "-o", obj])
    check(p.returncode == 0, "gcc -c builds an object")
    if p.returncode == 0:
        compare(padscan, "relocatable object (libdwarf's)", obj, False, False)
    compare(padscan, "padscan itself", padscan, False)
    libc = libc_debug_files()
    check(bool(libc), "libc6-dbg's debug files are installed (scripts/install-deps.sh)")
    if libc:
        compare(padscan, "glibc " + os.path.basename(libc[0]), libc[0], False)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    samples = os.path.join(wd, "samples")
    p = run([os.path.join(root, "scripts", "build-samples.sh"), samples])
    combat = os.path.join(samples, "combat")
    check(p.returncode == 0 and os.path.exists(combat), "the Go sample services build")
    if os.path.exists(combat):
        compare(padscan, "go combat", combat, True)
    for goarch in ("s390x", "mips"):
        path = go_big_endian(wd, goarch)
        if path:
            compare(padscan, "go %s (big-endian)" % goarch, path, True)
    log("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
