#!/usr/bin/env python3
"""check_fleet.py - prove `padscan fleet MANIFEST` (docs/fleet.md).

Every expected number comes from a real source at test time:
  * glibc: a C probe mallocs each size and reads the chunk's size word (the
    word right before the user pointer, low 3 bits are flags, bit 1 =
    IS_MMAPPED -- glibc's documented chunk layout); cross-checked against
    malloc_usable_size (+SIZE_SZ, +2*SIZE_SZ when mmapped) and the distance
    between two consecutive allocations.  Built -m64 and (if possible) -m32.
  * jemalloc / tcmalloc: the same probe under LD_PRELOAD=libjemalloc.so.2
    (Debian libjemalloc2) / libtcmalloc_minimal.so.4 (libtcmalloc-minimal4);
    bytes = malloc_usable_size.  The probe proves the preload took effect
    (dlsym of mallctl / tc_malloc).
  * go: class_to_size / SizeClassToSize, MaxSmallSize, TinySize, PageShift
    parsed from the toolchain's runtime/sizeclasses.go (or
    internal/runtime/gc/sizeclasses.go), mallocHeaderSize and
    minSizeForMallocHeader from its runtime sources (absent before Go 1.22),
    and mallocgc's rule: size <= maxSmallSize-mallocHeaderSize is small;
    pointer-free and < TinySize -> tiny allocator (simulated: n identical
    objects packed into 16-byte blocks with the runtime's alignment rule,
    bytes per object = 16 / objects per block); pointerful > minSizeFor
    MallocHeader -> +8 header; round up to the size class; large -> whole
    pages.  The binary's Go version is padscan analyze's "go_version".
  * sizes, optimal sizes, pointer bytes: padscan analyze / suggest JSON of
    the same binaries (proven elsewhere against the compilers).

Parts (--part, repeatable; default all):
  allocators   generated C program (struct sizes 1..300 and class boundaries,
               already-optimal and reorderable) under glibc/jemalloc/tcmalloc/
               exact, generated Go program (pointer-free and pointerful, 1 ..
               40000 bytes) for each Go toolchain (--go, --fetch-go ...) and
               GOARCH amd64 + 386: "allocated" / "optimal_allocated" of every
               hot type (heap, 1 instance, 1 replica) == the truth.
  estimates    samples/fleet.json (samples built into the work dir) and a
               generated fleet: every row recomputed (size, optimal_size,
               allocated, class_change, cachelines, saved_paper, saved_real,
               instances x replicas), totals; same-class and crossing cases;
               embedded rows (saved 0, container's optimal_size ==
               suggest optimal_size < size_if_nested_unchanged); two services on
               one binary; a "report" service == the "binary" service; a stale
               report (another binary's) -> a stderr warning.
  bad_manifest exit 2, empty stdout, ONE "padscan: " stderr line naming the
               manifest and the JSON path; with -o no file (an existing one
               untouched).
  partial      a truncated binary -> exit 3, its service listed with the
               reason, the others estimated; csv (csv module) and markdown
               (header + one row per hot type) agree with the JSON.

--self-check: plant one wrong expectation per part; exit 0 iff every planted
value is caught.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import copy
import csv
import glob
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_c import Mismatches  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE_MANIFEST = os.path.join(ROOT, "samples", "fleet.json")
BUILD_SAMPLES = os.path.join(ROOT, "scripts", "build-samples.sh")
PARTS = ("allocators", "estimates", "bad_manifest", "partial")
PRELOAD = {"jemalloc": ("libjemalloc.so.2", "libjemalloc2"),
           "tcmalloc": ("libtcmalloc_minimal.so.4", "libtcmalloc-minimal4")}
PLANTED = {}   # part -> caught?


class HarnessError(Exception):
    pass


# --------------------------------------------------------------------------
# padscan

def padscan_fleet(padscan, manifest, fmt="json", extra=(), cwd=None):
    p = C.run([padscan, "fleet", "--format", fmt] + list(extra) + [manifest], cwd=cwd)
    return p


def fleet_json(padscan, manifest, mm, label, want_rc=0):
    p = padscan_fleet(padscan, manifest)
    if p.returncode != want_rc:
        mm.add(label, None, "padscan fleet exit status", want_rc,
               "%d (stderr: %s)" % (p.returncode, p.stderr.strip()[:800]))
        if p.returncode not in (0, 3):
            return None, p
    try:
        return json.loads(p.stdout), p
    except ValueError as e:
        mm.add(label, None, "fleet --format json parses", "JSON", "%s: %r" % (e, p.stdout[:300]))
        return None, p


_cache = {}


def binary_info(padscan, binary):
    """-> (analyze binaries[0], {struct name: entry}, {name: suggestion})."""
    key = os.path.realpath(binary)
    if key not in _cache:
        doc = C.load_padscan_json(padscan, [binary])
        b = C.pick_binary(doc, binary)
        p = C.run([padscan, "suggest", "--all", "--format", "json", binary])
        if p.returncode != 0:
            raise HarnessError("padscan suggest failed on %s: %s" % (binary, p.stderr[-800:]))
        sb = C.pick_binary(json.loads(p.stdout), binary)
        structs = {}
        for s in b.get("structs") or []:
            structs.setdefault(s.get("name"), s)
        sugg = {s.get("name"): s for s in sb.get("suggestions") or []}
        _cache[key] = (b, structs, sugg)
    return _cache[key]


# --------------------------------------------------------------------------
# allocator truth: C probe

PROBE_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *who = dlsym(RTLD_DEFAULT, "mallctl") ? "jemalloc"
                    : dlsym(RTLD_DEFAULT, "tc_malloc") ? "tcmalloc" : "glibc";
    printf("allocator %s %u\n", who, (unsigned)sizeof(size_t));
    for (int i = 1; i < argc; i++) {
        size_t n = strtoul(argv[i], 0, 10);
        /* steady state: the 8th and 9th of a run of identical requests
           (glibc serves the first large ones from the top chunk, the rest
           are mmapped once the top chunk is too small) */
        char *a = 0, *b = 0;
        for (int k = 0; k < 9; k++) {
            a = b;
            b = malloc(n);
            if (!b) return 1;
        }
        /* only glibc keeps its chunk size in the word before the block;
           elsewhere that word may be on an unmapped page */
        size_t word = who[0] == 'g' ? ((size_t *)a)[-1] : 0;
        /* a mmap'd chunk's prev_size is its offset into the mapping
           (munmap_chunk unmaps prev_size + chunksize bytes from p - prev_size) */
        size_t prev = who[0] == 'g' && (word & 2) ? ((size_t *)a)[-2] : 0;
        printf("%zu %zu %zu %lld %zu\n", n, malloc_usable_size(a), word,
               (long long)((uintptr_t)b - (uintptr_t)a), prev);
    }
    return 0;
}
"""


def find_lib(soname):
    p = C.run(["/sbin/ldconfig", "-p"]) if os.path.exists("/sbin/ldconfig") else None
    if p and p.returncode == 0:
        for ln in p.stdout.splitlines():
            m = re.match(r"\s*(\S+) \((.*?)\) => (\S+)", ln)
            if m and m.group(1) == soname and "x86-64" in m.group(2):
                return m.group(3)
    for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        if os.path.exists(os.path.join(d, soname)):
            return os.path.join(d, soname)
    return None


class CTruth:
    """Bytes the C allocators hand out for a request of n bytes."""

    def __init__(self, wd, mm, arch):
        self.wd, self.mm, self.arch = wd, mm, arch
        self.tables = {}     # allocator -> {n: bytes}
        self.available = {}  # allocator -> None or reason it is missing
        src = os.path.join(wd, "probe.c")
        with open(src, "w") as f:
            f.write(PROBE_C)
        self.exe = os.path.join(wd, "probe_" + arch)
        p = C.run(["gcc", "-std=gnu11", "-O0", "-" + arch, src, "-o", self.exe, "-ldl"])
        if p.returncode != 0:
            raise HarnessError("cannot build the malloc probe (-%s): %s" % (arch, p.stderr[-500:]))
        self.available["glibc"] = None
        for al, (so, pkg) in PRELOAD.items():
            lib = find_lib(so) if arch == "m64" else None   # -m32: glibc only
            self.available[al] = lib
            if not lib and arch == "m64":
                mm.note("%s: %s not found (Debian package %s): skipped" % (al, so, pkg))
        self.sizes = set()
        self.measure([1])   # can it run here?

    def allocators(self):
        out = ["glibc"] + [a for a in PRELOAD if self.available.get(a)] + ["exact"]
        return out

    def measure(self, sizes):
        sizes = sorted(set(int(s) for s in sizes if s > 0) - self.sizes)
        if not sizes:
            return
        self.sizes.update(sizes)
        for al in ["glibc"] + [a for a in PRELOAD if self.available.get(a)]:
            env = dict(os.environ)
            env.pop("LD_PRELOAD", None)
            if al != "glibc":
                env["LD_PRELOAD"] = self.available[al]
            try:
                p = C.run([self.exe] + [str(s) for s in sizes], env=env)
            except OSError as e:
                raise HarnessError("cannot run the malloc probe -%s: %s" % (self.arch, e))
            if p.returncode != 0:
                raise HarnessError("malloc probe (%s) failed: %s" % (al, p.stderr[-500:]))
            lines = p.stdout.splitlines()
            hdr = lines[0].split()
            if hdr[1] != al:
                raise HarnessError("malloc probe: expected %s to be active, found %s" % (al, hdr[1]))
            sz = int(hdr[2])
            tab = self.tables.setdefault(al, {})
            for ln in lines[1:]:
                n, usable, word, dist, prev = (int(x) for x in ln.split())
                if al != "glibc":
                    tab[n] = usable
                    continue
                chunk = word & ~7
                mmapped = bool(word & 2)
                want = usable + (2 * sz if mmapped else sz)
                if chunk != want:
                    raise HarnessError("glibc chunk layout: size word %d for malloc(%d), usable %d "
                                       "(mmapped=%s)" % (chunk, n, usable, mmapped))
                if not mmapped and dist != chunk:
                    self.mm.note("glibc malloc(%d): consecutive chunks %d apart, size word %d"
                                 % (n, dist, chunk))
                # a mmap'd chunk costs its whole mapping: the chunk plus its
                # offset into it (8 bytes on i386, where MALLOC_ALIGNMENT 16
                # is not 2 * SIZE_SZ)
                tab[n] = chunk + prev if mmapped else chunk

    def bytes(self, al, n):
        if al == "exact" or n == 0:
            return n
        self.measure([n])
        return self.tables[al][n]


# --------------------------------------------------------------------------
# allocator truth: Go runtime sources

class GoRuntime:
    """Size-class rules of one Go toolchain, read from its sources."""

    def __init__(self, go, env):
        p = C.run([go, "env", "GOROOT", "GOVERSION"], env=env)
        if p.returncode != 0:
            raise HarnessError("%s env GOROOT: %s" % (go, p.stderr.strip()))
        self.goroot, self.version = p.stdout.split()[:2]
        src = os.path.join(self.goroot, "src")
        cands = [os.path.join(src, "internal", "runtime", "gc", "sizeclasses.go"),
                 os.path.join(src, "runtime", "sizeclasses.go")]
        path = next((c for c in cands if os.path.exists(c)), None)
        if not path:
            raise HarnessError("no sizeclasses.go under %s" % src)
        self.sizeclasses = path
        text = open(path).read()
        m = re.search(r"var (?:class_to_size|SizeClassToSize) = \[\w+\]uint16\{([^}]*)\}", text)
        if not m:
            raise HarnessError("%s: no class_to_size table" % path)
        self.classes = [int(x) for x in m.group(1).replace(" ", "").split(",") if x]

        malloc_go = os.path.join(src, "runtime", "malloc.go")
        consts_text = text + "\n" + open(malloc_go).read()

        def const(names):
            for n in names:
                cm = re.search(r"^\s*%s\s*=\s*(\d+)" % n, consts_text, re.M)
                if cm:
                    return int(cm.group(1))
            raise HarnessError("%s / runtime/malloc.go: constant %s not found" % (path, names[0]))
        self.max_small = const(["_MaxSmallSize", "MaxSmallSize"])
        self.tiny = const(["_TinySize", "TinySize"])
        self.page = 1 << const(["_PageShift", "PageShift"])
        # malloc header (Go 1.22+): runtime/mbitmap_allocheaders.go or
        # internal/runtime/gc/malloc.go
        self.header, self.min_header_expr = 0, None
        files = glob.glob(os.path.join(src, "runtime", "mbitmap*.go")) + \
            glob.glob(os.path.join(src, "internal", "runtime", "gc", "*.go"))
        for fn in sorted(files):
            if "noallocheaders" in fn:
                continue   # GOEXPERIMENT=noallocheaders variant (0 / ^uintptr(0))
            t = open(fn).read()
            hm = re.search(r"^\s*(?:mallocHeaderSize|MallocHeaderSize)\s*=\s*(\d+)", t, re.M)
            mm_ = re.search(r"^\s*(?:minSizeForMallocHeader|MinSizeForMallocHeader)\s*=\s*(.+)$",
                            t, re.M)
            if hm and int(hm.group(1)) > 0:
                self.header = int(hm.group(1))
            if mm_:
                self.min_header_expr = mm_.group(1).split("//")[0].strip()
        if self.header and not re.fullmatch(r"goarch\.PtrSize\s*\*\s*(?:goarch\.)?[pP]trBits",
                                            self.min_header_expr or ""):
            raise HarnessError("minSizeForMallocHeader = %r: expression not understood"
                               % self.min_header_expr)
        # the tiny allocator's alignment rule, as read from malloc.go
        mal = open(os.path.join(src, "runtime", "malloc.go")).read()
        if "goarch.PtrSize == 4 && size == 12" not in mal or "size&7 == 0" not in mal:
            raise HarnessError("runtime/malloc.go: tiny allocator alignment rule changed")

    def describe(self):
        return "%s (%s: %d classes, max small %d, tiny %d, page %d, malloc header %d)" % (
            self.version, os.path.relpath(self.sizeclasses, self.goroot), len(self.classes),
            self.max_small, self.tiny, self.page, self.header)

    def tiny_align(self, size, ptr):
        if size & 7 == 0:
            return 8
        if ptr == 4 and size == 12:
            return 8
        if size & 3 == 0:
            return 4
        if size & 1 == 0:
            return 2
        return 1

    def bytes(self, size, pointerful, ptr):
        """Bytes per object of mallocgc(size) for many identical objects."""
        if size == 0:
            return 0
        if size <= self.max_small - self.header:
            if not pointerful and size < self.tiny:
                a = self.tiny_align(size, ptr)
                off, k = 0, 0
                while True:   # objects of this size per tiny block
                    off = (off + a - 1) // a * a
                    if off + size > self.tiny:
                        break
                    off += size
                    k += 1
                v = self.tiny / k
                return int(v) if v == int(v) else v
            s = size
            if pointerful and self.header and size > ptr * ptr * 8:
                s += self.header
            for c in self.classes[1:]:
                if c >= s:
                    return c
            raise HarnessError("no size class for %d" % s)
        return (size + self.page - 1) // self.page * self.page


# --------------------------------------------------------------------------
# generated programs

def c_sizes():
    s = set(range(1, 301))
    for b in (384, 448, 512, 640, 1024, 2048, 4096, 8192, 14336, 16384, 32768, 65536,
              131072, 262144):
        s.update((b - 8, b - 1, b, b + 1, b + 8))
    # glibc's mmap threshold is on the chunk (request + size word, rounded
    # to 16), its mapping rounds the chunk + a word (+ 15 on i386) to pages
    s.update(range(131040, 131073, 4))
    for pages in (33, 34, 49, 64, 65):
        s.update(pages * 4096 + d for d in (-32, -28, -24, -20, -17, -16, -12, -8, 0))
    s.update((320, 336, 352, 368, 400, 416, 432, 464, 480, 496, 3584, 5120, 7168, 10240, 12288,
              200000))
    return sorted(x for x in s if x > 0)


def c_program(sizes):
    """struct s_N { char a[N]; } (size N) and, for some N, a reorderable
    struct r_N { char c; double d; char a[N]; } -> (source, type names)."""
    out = ["/* generated by check_fleet.py */", "#include <stdio.h>", ""]
    names = []
    for n in sizes:
        out.append("struct s_%d { char a[%d]; };" % (n, n))
        out.append("struct s_%d g_s_%d;" % (n, n))
        names.append("s_%d" % n)
    for n in range(1, 120, 3):
        out.append("struct r_%d { char c; double d; char a[%d]; };" % (n, n))
        out.append("struct r_%d g_r_%d;" % (n, n))
        names.append("r_%d" % n)
    out += ["", "int main(void) {", "    printf(\"%%d\\n\", (int)sizeof(g_s_1));", "    return 0;",
            "}", ""]
    return "\n".join(out), names


def go_sizes(ptr):
    free = set(range(1, 41)) | {47, 48, 49, 63, 64, 65, 127, 128, 129, 255, 256, 257, 500, 511,
                                512, 513, 520, 1023, 1024, 1025, 4096, 4097, 32752, 32760,
                                32761, 32767, 32768, 32769, 40000}
    pf = {n for n in range(ptr, 161, ptr)}
    pf |= {n // ptr * ptr for n in (248, 256, 264, 504, 512, 520, 568, 576, 584, 1016, 1024,
                                    1032, 4096, 32744, 32752, 32760, 32768, 32776, 40000)}
    return sorted(free), sorted(pf)


def go_program(ptr):
    free, pf = go_sizes(ptr)
    out = ["// generated by check_fleet.py", "package main", "", 'import "fmt"', ""]
    names = {}
    for n in free:
        out.append("type F%d struct{ A [%d]byte }" % (n, n))
        names["main.F%d" % n] = False
    for n in pf:
        out.append("type P%d struct {\n\tP *byte\n\tA [%d]byte\n}" % (n, n - ptr))
        names["main.P%d" % n] = True
    for n in range(1, 60, 5):   # reorderable: bool, int64, bool, [n]byte / pointer
        out.append("type R%d struct {\n\tA bool\n\tB int64\n\tC bool\n\tD [%d]byte\n}" % (n, n))
        names["main.R%d" % n] = False
        out.append("type Q%d struct {\n\tA bool\n\tP *int\n\tC bool\n\tD [%d]byte\n}" % (n, n * 40))
        names["main.Q%d" % n] = True
    out += ["", "var sink []interface{}", "", "func main() {"]
    for nm in names:
        out.append("\tsink = append(sink, new(%s))" % nm[5:])
    out += ["\tfmt.Println(len(sink))", "}", ""]
    return "\n".join(out), names


def go_env(wd, goarch, goroot=None):
    env = dict(os.environ)
    env.update({"GOARCH": goarch, "GOOS": "linux", "CGO_ENABLED": "0", "GO111MODULE": "on",
                "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOPROXY": "off",
                "GOCACHE": os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"),
                "GOPATH": os.path.join(wd, "gopath")})
    if goroot:
        env["GOROOT"] = goroot
    return env


def go_build(go, goroot, wd, name, source, goarch, out):
    src = os.path.join(wd, name)
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module %s\n\ngo 1.19\n" % name)
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(source)
    env = go_env(wd, goarch, goroot)
    if goroot:   # a fetched toolchain keeps its own cache
        env["GOCACHE"] = os.path.join(wd, "gocache-" + os.path.basename(goroot.rstrip("/")))
    p = C.run([go, "build", "-o", out, "."], cwd=src, env=env)
    if p.returncode != 0:
        raise HarnessError("go build %s (%s): %s" % (name, goarch, p.stderr[-1500:]))
    return out


def write_manifest(path, services):
    with open(path, "w") as f:
        json.dump({"services": services}, f, indent=1)
    return path


def hot(t, n=1, **kw):
    d = {"type": t, "instances": n}
    d.update(kw)
    return d


# --------------------------------------------------------------------------
# part 1: allocator truth

def plant(part, value):
    """--self-check: the first expectation of `part` is made wrong."""
    if ARGS.self_check and part not in PLANTED:
        PLANTED[part] = False
        C.log("SELF-CHECK: planting a wrong expected value in %s: %r -> %r"
              % (part, value, value + 16))
        return value + 16
    return value


def compare_rows(mm, label, doc, service, exp_fn, part):
    """exp_fn(row) -> {field: expected}; every field compared."""
    svc = next((s for s in doc.get("services") or [] if s.get("name") == service), None)
    if svc is None:
        mm.add(label, service, "service in fleet JSON", "present", "missing")
        return 0
    if svc.get("error"):
        mm.add(label, service, "service read", "error null", svc.get("error"))
        return 0
    n = 0
    for row in svc.get("hot_types") or []:
        exp = exp_fn(row)
        if exp is None:
            continue
        for k, v in exp.items():
            planted = False
            if k == "allocated" and ARGS.self_check and part not in PLANTED:
                v, planted = plant(part, v), True
            got = row.get(k)
            same = (isinstance(v, (int, float)) and isinstance(got, (int, float))
                    and not isinstance(got, bool) and math.isclose(v, got, rel_tol=0,
                                                                   abs_tol=1e-6)) or v == got
            if not same:
                if planted:
                    PLANTED[part] = True
                mm.add("%s/%s" % (label, service), row.get("type"), k, v, got)
            n += 1
    return n


def part_allocators(args, wd, mm, ctruth):
    total = 0
    # ---- C: one service per allocator on one binary
    for arch, ct in ctruth.items():
        src, names = c_program(c_sizes())
        cfile = os.path.join(wd, "alloc_%s.c" % arch)
        with open(cfile, "w") as f:
            f.write(src)
        cbin = os.path.join(wd, "alloc_c_" + arch)
        p = C.run(["gcc", "-std=c11", "-g", "-O0", "-" + arch, cfile, "-o", cbin])
        if p.returncode != 0:
            raise HarnessError("gcc -%s: %s" % (arch, p.stderr[-800:]))
        b, structs, sugg = binary_info(args.padscan, cbin)
        sizes = {}
        for nm in names:
            st = structs.get(nm) or structs.get("struct " + nm)
            if st is None:
                mm.add("c " + arch, nm, "struct in padscan analyze", "present", "missing")
                continue
            su = sugg.get(st.get("name"), {})
            sizes[nm] = (st["size"], su.get("optimal_size", st["size"]))
        ct.measure([v for s in sizes.values() for v in s])
        services = [{"name": "c-" + al, "binary": cbin, "replicas": 1, "allocator": al,
                     "hot_types": [hot(nm) for nm in sizes]} for al in ct.allocators()]
        man = write_manifest(os.path.join(wd, "alloc_c_%s.json" % arch), services)
        doc, _ = fleet_json(args.padscan, man, mm, "allocators c " + arch)
        if doc is None:
            continue
        for al in ct.allocators():
            def exp(row, _al=al):
                nm = row.get("type")
                if nm not in sizes:
                    return None
                s, o = sizes[nm]
                return {"size": s, "optimal_size": o, "allocated": ct.bytes(_al, s),
                        "optimal_allocated": ct.bytes(_al, o)}
            n = compare_rows(mm, "allocators c -%s" % arch, doc, "c-" + al, exp, "allocators")
            C.log("[fleet allocators] C -%s %s: %d types, %d values" % (arch, al, len(sizes), n))
            total += n
    # ---- Go: each toolchain x GOARCH
    for go, goroot in args.toolchains:
        for goarch, ptr in (("amd64", 8), ("386", 4)):
            rt = GoRuntime(go, go_env(wd, goarch, goroot))
            src, names = go_program(ptr)
            tag = re.sub(r"\W+", "_", rt.version)
            gbin = go_build(go, goroot, wd, "allocgo_%s_%s" % (tag, goarch), src, goarch,
                            os.path.join(wd, "alloc_go_%s_%s" % (tag, goarch)))
            b, structs, sugg = binary_info(args.padscan, gbin)
            if b.get("go_version") != rt.version:
                mm.add("go " + goarch, None, "go_version (go env GOVERSION)", rt.version,
                       b.get("go_version"))
            man = write_manifest(os.path.join(wd, "alloc_go_%s_%s.json" % (tag, goarch)), [
                {"name": "go", "binary": gbin, "replicas": 1,
                 "hot_types": [hot(nm) for nm in names]}])
            doc, _ = fleet_json(args.padscan, man, mm, "allocators go %s %s" % (rt.version, goarch))
            if doc is None:
                continue

            def exp(row):
                nm = row.get("type")
                st = structs.get(nm)
                if nm not in names or st is None:
                    return None
                if bool(st.get("pointer_bytes")) != names[nm]:
                    mm.add(nm, None, "pointer_bytes > 0 (by construction)", names[nm],
                           st.get("pointer_bytes"))
                s = st["size"]
                o = sugg.get(nm, {}).get("optimal_size", s)
                return {"size": s, "optimal_size": o, "allocated": rt.bytes(s, names[nm], ptr),
                        "optimal_allocated": rt.bytes(o, names[nm], ptr)}
            n = compare_rows(mm, "allocators go %s %s" % (rt.version, goarch), doc, "go", exp,
                             "allocators")
            C.log("[fleet allocators] %s %s: %d types, %d values; %s" % (
                rt.version, goarch, len(names), n, rt.describe()))
            total += n
    return total


# --------------------------------------------------------------------------
# part 2: estimates

class Expect:
    """Recomputes fleet rows from analyze/suggest JSON + allocator truth."""

    def __init__(self, args, ct, rts):
        self.args, self.ct, self.rts = args, ct, rts   # rts: go_version -> GoRuntime

    def alloc(self, allocator, size, pointerful, binfo):
        if allocator == "go":
            rt = self.rts.get(binfo.get("go_version"))
            if rt is None:
                raise HarnessError("no Go runtime sources for %s" % binfo.get("go_version"))
            return rt.bytes(size, pointerful, binfo.get("ptr_size") or 8)
        return self.ct.bytes(allocator, size)

    def rows(self, svc, binary):
        """-> ({type: expected row}, default allocator)."""
        b, structs, sugg = binary_info(self.args.padscan, binary)
        al = svc.get("allocator") or ("go" if b.get("lang") == "go" else "glibc")
        reps = svc["replicas"]
        out = {}
        for h in svc["hot_types"]:
            t = h["type"]
            st = structs.get(t)
            if st is None:
                raise HarnessError("%s: %s not in padscan analyze" % (binary, t))
            su = sugg.get(t, {})
            s = st["size"]
            o = su.get("optimal_size", s)
            ptr = bool(st.get("pointer_bytes"))
            held = h.get("held", "heap")
            heap = held == "heap"
            a = self.alloc(al, s, ptr, b) if heap else s
            oa = self.alloc(al, o, ptr, b) if heap else o
            n = h["instances"] * reps
            if not heap or al == "exact":
                cc = "exact"
            else:
                cc = "same_class" if a == oa else "smaller_class"
            e = {"held": "array" if held == "slice" else held, "instances": n, "size": s,
                 "optimal_size": o, "allocated": a, "optimal_allocated": oa,
                 "class_change": cc, "saved_paper": 0 if held == "embedded" else (s - o) * n,
                 "saved_real": 0 if held == "embedded" else (a - oa) * n}
            if "cachelines" in su:
                e["cachelines"] = su["cachelines"]
                e["optimal_cachelines"] = su["optimal_cachelines"]
            if held == "embedded":
                e["in"] = h["in"]
            out[t] = e
        return out, al


def check_doc(mm, label, doc, manifest_services, binaries, ex, part="estimates"):
    """Compare every row and the totals. -> #values."""
    n = 0
    tp = tr = 0
    by = {s.get("name"): s for s in doc.get("services") or []}
    for svc in manifest_services:
        got = by.get(svc["name"])
        if got is None:
            mm.add(label, svc["name"], "service in fleet JSON", "present", "missing")
            continue
        if got.get("error"):
            mm.add(label, svc["name"], "service estimated", "error null", got.get("error"))
            continue
        exp_rows, al = ex.rows(svc, binaries[svc["name"]])
        if got.get("allocator") != al:
            mm.add(label, svc["name"], "allocator", al, got.get("allocator"))
        if got.get("replicas") != svc["replicas"]:
            mm.add(label, svc["name"], "replicas", svc["replicas"], got.get("replicas"))
        grow = {r.get("type"): r for r in got.get("hot_types") or []}
        if sorted(grow) != sorted(exp_rows):
            mm.add(label, svc["name"], "hot types listed", sorted(exp_rows), sorted(grow))

        def exp(row):
            return dict(exp_rows[row["type"]]) if row.get("type") in exp_rows else None
        n += compare_rows(mm, label, doc, svc["name"], exp, part)
        for e in exp_rows.values():
            tp += e["saved_paper"]
            tr += e["saved_real"]
    tot = doc.get("total") or {}
    for k, v in (("saved_paper", tp), ("saved_real", tr)):
        if tot.get(k) != v:
            mm.add(label, "total", k, v, tot.get(k))
        n += 1
    return n


def build_samples(wd, mm):
    out = os.path.join(wd, "samples")
    p = C.run(["bash", BUILD_SAMPLES, out], timeout=900,
              env=dict(os.environ, GOCACHE=os.environ.get("PADSCAN_GOCACHE")
                       or os.path.join(wd, "gocache"), GOPATH=os.path.join(wd, "gopath")))
    if p.returncode != 0:
        raise HarnessError("scripts/build-samples.sh failed: %s" % (p.stdout + p.stderr)[-1500:])
    return out


def part_estimates(args, wd, mm, ex):
    total = 0
    # ---- the sample fleet, binaries built now
    sdir = build_samples(wd, mm)
    os.makedirs(os.path.join(sdir, "reports"), exist_ok=True)
    C.run([args.padscan, "analyze", "--format", "json", "-o",
           os.path.join(sdir, "reports", "auth.json"), os.path.join(sdir, "auth")], check=True)
    with open(SAMPLE_MANIFEST) as f:
        man = json.load(f)
    binaries = {}
    for svc in man["services"]:
        for k in ("binary", "report"):
            if k in svc:
                svc[k] = os.path.join(sdir, os.path.relpath(
                    os.path.normpath(os.path.join(os.path.dirname(SAMPLE_MANIFEST), svc[k])),
                    os.path.join(ROOT, "build", "samples")))
        binaries[svc["name"]] = svc["binary"]
    mpath = os.path.join(wd, "samples_fleet.json")
    with open(mpath, "w") as f:
        json.dump(man, f, indent=1)
    doc, p = fleet_json(args.padscan, mpath, mm, "estimates samples")
    if doc is not None:
        n = check_doc(mm, "estimates samples", doc, man["services"], binaries, ex)
        C.log("[fleet estimates] samples/fleet.json: %d services, %d values" % (
            len(man["services"]), n))
        total += n
        if p.stderr.strip():
            mm.add("estimates samples", None, "stderr (fresh report, no warning)", "empty",
                   p.stderr.strip()[:300])
    # ---- a generated fleet
    src = "\n".join([
        "// generated by check_fleet.py", "package main", "", 'import "fmt"', "",
        "// same class: 48 -> 40 bytes, both in the 48-byte class",
        "type Same struct {\n\tA bool\n\tB int64\n\tC [30]byte\n}",
        "// crossing: 24 -> 16 bytes",
        "type Cross struct {\n\tA bool\n\tB int64\n\tC bool\n}",
        "// container: holds Inner by value; Inner shrinks inside it",
        "type Inner struct {\n\tA bool\n\tB int64\n\tC bool\n}",
        "type Outer struct {\n\tX int32\n\tI Inner\n\tY int32\n\tP *int\n}",
        "type Elem struct {\n\tA bool\n\tP *int\n\tB bool\n}",
        "", "var sink []interface{}", "",
        "func main() {",
        "\tsink = append(sink, new(Same), new(Cross), new(Outer), make([]Elem, 3))",
        "\tfmt.Println(len(sink))", "}", ""])
    gbin = go_build(args.go, None, wd, "estgo", src, "amd64", os.path.join(wd, "est_go"))
    csrc = "\n".join([
        "/* generated by check_fleet.py */",
        "struct same { char a; long b; char c[14]; };      /* 32 -> 24 */",
        "struct cross { char a; double b; char c; };         /* 24 -> 16 */",
        "struct inner { char a; double b; char c; };",
        "struct outer { int x; struct inner in; int y; };",
        "struct same g1; struct cross g2; struct outer g3;",
        "int main(void) { return 0; }", ""])
    cfile = os.path.join(wd, "est_c.c")
    with open(cfile, "w") as f:
        f.write(csrc)
    cbin = os.path.join(wd, "est_c")
    C.run(["gcc", "-std=c11", "-g", "-O0", cfile, "-o", cbin], check=True)
    other = os.path.join(sdir, "combat")
    rep = os.path.join(wd, "est_go_report.json")
    C.run([args.padscan, "analyze", "--format", "json", "-o", rep, gbin], check=True)
    stale = os.path.join(wd, "other_report.json")
    C.run([args.padscan, "analyze", "--format", "json", "-o", stale, other], check=True)
    gt = [hot("main.Same", 1000), hot("main.Cross", 3000), hot("main.Outer", 500),
          hot("main.Inner", 500, held="embedded", **{"in": "main.Outer"}),
          hot("main.Elem", 7000, held="slice")]
    services = [
        {"name": "go-a", "binary": gbin, "replicas": 3, "hot_types": gt},
        {"name": "go-b", "binary": gbin, "replicas": 5, "allocator": "go", "hot_types": gt[:2]},
        {"name": "go-report", "report": rep, "binary": gbin, "replicas": 3, "hot_types": gt},
        {"name": "go-exact", "binary": gbin, "replicas": 2, "allocator": "exact",
         "hot_types": gt[:3]},
    ]
    ct_types = [hot("same", 100), hot("cross", 200), hot("outer", 50),
                hot("inner", 50, held="embedded", **{"in": "outer"}), hot("cross", 10)]
    ct_types = ct_types[:4]
    for al in ["glibc"] + [a for a in PRELOAD if ex.ct.available.get(a)]:
        services.append({"name": "c-" + al, "binary": cbin, "replicas": 4, "allocator": al,
                         "hot_types": ct_types})
    binaries = {s["name"]: s["binary"] for s in services}
    mpath = write_manifest(os.path.join(wd, "gen_fleet.json"), services)
    doc, p = fleet_json(args.padscan, mpath, mm, "estimates generated")
    if doc is not None:
        n = check_doc(mm, "estimates generated", doc, services, binaries, ex)
        total += n
        by = {s["name"]: s for s in doc.get("services") or []}
        # report == binary
        ra = [{k: v for k, v in r.items()} for r in by.get("go-a", {}).get("hot_types") or []]
        rb = [{k: v for k, v in r.items()} for r in by.get("go-report", {}).get("hot_types") or []]
        if ra != rb or not ra:
            mm.add("estimates generated", "go-report", "rows of the report service == rows "
                   "of the binary service", json.dumps(ra)[:400], json.dumps(rb)[:400])
        # both services on one binary estimated
        for nm in ("go-a", "go-b"):
            if not (by.get(nm) or {}).get("hot_types"):
                mm.add("estimates generated", nm, "service sharing a binary is estimated",
                       "rows", "none")
        # same class / crossing cases really are what the fixture intends
        _, structs, sugg = binary_info(args.padscan, gbin)
        rows = {r["type"]: r for r in by.get("go-a", {}).get("hot_types") or []}
        for t, want in (("main.Same", "same_class"), ("main.Cross", "smaller_class")):
            r = rows.get(t) or {}
            if r.get("class_change") != want:
                mm.add("estimates generated", t, "class_change (fixture intent)", want,
                       r.get("class_change"))
            if want == "same_class" and (r.get("saved_real") != 0 or not r.get("saved_paper")):
                mm.add("estimates generated", t, "same class: saved_real 0, saved_paper > 0",
                       "0 / > 0", "%s / %s" % (r.get("saved_real"), r.get("saved_paper")))
        # embedded: saved 0, shrinkage inside the container
        for svc, cont, inner, b in (("go-a", "main.Outer", "main.Inner", gbin),
                                    ("c-glibc", "outer", "inner", cbin)):
            _, _, sg = binary_info(args.padscan, b)
            rws = {r["type"]: r for r in by.get(svc, {}).get("hot_types") or []}
            ri, rc = rws.get(inner) or {}, rws.get(cont) or {}
            if ri.get("saved_paper") != 0 or ri.get("saved_real") != 0:
                mm.add(svc, inner, "embedded row saves 0", 0,
                       (ri.get("saved_paper"), ri.get("saved_real")))
            su = sg.get(cont) or {}
            if not (su.get("optimal_size", 0) < su.get("size_if_nested_unchanged", 0)):
                mm.add(svc, cont, "fixture: suggest optimal_size < size_if_nested_unchanged",
                       "<", (su.get("optimal_size"), su.get("size_if_nested_unchanged")))
            if rc.get("optimal_size") != su.get("optimal_size"):
                mm.add(svc, cont, "container optimal_size includes the embedded type's "
                       "shrinkage (suggest optimal_size)", su.get("optimal_size"),
                       rc.get("optimal_size"))
        if p.stderr.strip():
            mm.add("estimates generated", None, "stderr", "empty", p.stderr.strip()[:300])
        C.log("[fleet estimates] generated fleet: %d services, %d values" % (len(services), n))
    # ---- a stale report: another binary's report -> warning, still estimated
    sman = write_manifest(os.path.join(wd, "stale_fleet.json"), [
        {"name": "stale", "report": stale, "binary": gbin, "replicas": 1,
         "hot_types": [hot("github.com/acme/game/combat/state.Player", 10)]}])
    p = padscan_fleet(args.padscan, sman)
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    if p.returncode != 0 or not lines or not any(
            stale in ln or os.path.basename(stale) in ln for ln in lines):
        mm.add("estimates stale report", None, "exit 0 and a stderr warning naming the report",
               "rc 0 + warning", "rc %d, stderr %r" % (p.returncode, p.stderr[:300]))
    else:
        C.log("[fleet estimates] stale report warning: %s" % lines[0])
    return total


# --------------------------------------------------------------------------
# part 3: bad manifests

def part_bad_manifest(args, wd, mm):
    bdir = os.path.join(wd, "bad")
    if os.path.exists(bdir):
        shutil.rmtree(bdir)
    os.makedirs(bdir)
    src = "package main\n\nimport \"fmt\"\n\ntype T struct {\n\tA bool\n\tB int64\n}\n\n" \
          "type U struct {\n\tX int32\n}\n\nvar sink []interface{}\n\n" \
          "func main() {\n\tsink = append(sink, new(T), new(U))\n\tfmt.Println(len(sink))\n}\n"
    gbin = go_build(args.go, None, wd, "badgo", src, "amd64", os.path.join(bdir, "prog"))
    good = {"services": [{"name": "s", "binary": "prog", "replicas": 2,
                          "hot_types": [{"type": "main.T", "instances": 5},
                                        {"type": "main.U", "instances": 5}]}]}

    def mut(fn):
        d = copy.deepcopy(good)
        fn(d)
        return d
    S = "services"
    cases = [  # (name, content (str or dict), JSON path regex or None)
        ("not JSON", "{ this is not json", r"JSON|line|column"),
        ("missing services", {"svc": []}, r"services"),
        ("services not an array", {"services": {}}, r"services"),
        ("service without name", mut(lambda d: d[S][0].pop("name")), r"services\[0\]\.name"),
        ("service without replicas", mut(lambda d: d[S][0].pop("replicas")),
         r"services\[0\]\.replicas"),
        ("service without hot_types", mut(lambda d: d[S][0].pop("hot_types")),
         r"services\[0\]\.hot_types"),
        ("replicas \"3\"", mut(lambda d: d[S][0].update(replicas="3")),
         r"services\[0\]\.replicas"),
        ("replicas 2.5", mut(lambda d: d[S][0].update(replicas=2.5)), r"services\[0\]\.replicas"),
        ("negative replicas", mut(lambda d: d[S][0].update(replicas=-1)),
         r"services\[0\]\.replicas"),
        ("negative instances", mut(lambda d: d[S][0]["hot_types"][1].update(instances=-4)),
         r"services\[0\]\.hot_types\[1\]\.instances"),
        ("instances \"5\"", mut(lambda d: d[S][0]["hot_types"][0].update(instances="5")),
         r"services\[0\]\.hot_types\[0\]\.instances"),
        ("name not a string", mut(lambda d: d[S][0].update(name=7)), r"services\[0\]\.name"),
        ("unknown allocator", mut(lambda d: d[S][0].update(allocator="mimalloc")),
         r"services\[0\]\.allocator"),
        ("unknown held", mut(lambda d: d[S][0]["hot_types"][0].update(held="stack")),
         r"services\[0\]\.hot_types\[0\]\.held"),
        # map values are not modeled: refused, saying so (never priced as heap)
        ("held: map", mut(lambda d: d[S][0]["hot_types"][0].update(held="map")),
         r"services\[0\]\.hot_types\[0\]\.held.*map values are not modeled"),
        ("type not in the binary", mut(lambda d: d[S][0]["hot_types"][1].update(
            type="main.NoSuchType")), r"services\[0\]\.hot_types\[1\]\.type"),
        ("missing binary file", mut(lambda d: d[S][0].update(binary="no_such_binary")),
         r"services\[0\]\.binary"),
        ("missing report file", mut(lambda d: d[S][0].update(report="no_such_report.json")),
         r"services\[0\]\.report"),
        ("in: a hot type that does not hold it", mut(lambda d: d[S][0]["hot_types"][1].update(
            held="embedded", **{"in": "main.T"})), r"services\[0\]\.hot_types\[1\]\.in"),
        ("embedded without in", mut(lambda d: d[S][0]["hot_types"][1].update(held="embedded")),
         r"services\[0\]\.hot_types\[1\]"),
    ]
    if ARGS.self_check:
        cases.insert(0, ("PLANTED: a good manifest", good, r"services"))
        PLANTED["bad_manifest"] = False
        C.log("SELF-CHECK: planting a good manifest as a bad one")
    n = 0
    for i, (name, content, pathre) in enumerate(cases):
        man = os.path.join(bdir, "m%02d.json" % i)
        with open(man, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        fails = []
        for with_o in (False, True):
            out = os.path.join(bdir, "out%02d.json" % i)
            pre = None
            if with_o and i % 2:
                with open(out, "w") as f:
                    f.write("KEEP")
                pre = "KEEP"
            extra = ["-o", out] if with_o else []
            p = padscan_fleet(args.padscan, man, "json", extra)
            lines = p.stderr.splitlines()
            if p.returncode != 2:
                fails.append("exit status %d (want 2)" % p.returncode)
            if p.stdout:
                fails.append("stdout not empty: %r" % p.stdout[:100])
            if len(lines) != 1:
                fails.append("%d stderr lines: %r" % (len(lines), p.stderr[:300]))
            elif not lines[0].startswith("padscan: ") or man not in lines[0] and \
                    os.path.basename(man) not in lines[0]:
                fails.append("stderr line does not start with 'padscan: ' + the manifest: %r"
                             % lines[0])
            elif not re.search(pathre, lines[0]):
                fails.append("stderr line lacks the JSON path /%s/: %r" % (pathre, lines[0]))
            if with_o:
                if pre is None and os.path.exists(out):
                    fails.append("-o file written")
                elif pre is not None and open(out).read() != pre:
                    fails.append("existing -o file modified")
                left = [x for x in os.listdir(bdir) if x.startswith("out%02d" % i)
                        and x != "out%02d.json" % i]
                if left:
                    fails.append("temporary files left: %s" % left)
            if not with_o and not fails:
                C.log("[fleet bad_manifest] %-40s %s" % (name, lines[0]))
            n += 1
        if name.startswith("PLANTED"):
            PLANTED["bad_manifest"] = bool(fails)
        for fmsg in fails:
            mm.add("bad manifest", name, "rejected cleanly", "exit 2 + one line", fmsg)
    return n


# --------------------------------------------------------------------------
# part 4: partial failure, csv, markdown

def part_partial(args, wd, mm):
    pdir = os.path.join(wd, "partial")
    os.makedirs(pdir, exist_ok=True)
    src = "package main\n\nimport \"fmt\"\n\ntype T struct {\n\tA bool\n\tB int64\n\tC bool\n}\n\n" \
          "var sink []interface{}\n\nfunc main() {\n\tsink = append(sink, new(T))\n" \
          "\tfmt.Println(len(sink))\n}\n"
    gbin = go_build(args.go, None, wd, "partgo", src, "amd64", os.path.join(pdir, "prog"))
    trunc = os.path.join(pdir, "prog_truncated")
    with open(gbin, "rb") as f:
        data = f.read()
    with open(trunc, "wb") as f:
        f.write(data[:len(data) // 3])
    services = [
        {"name": "ok-1", "binary": gbin, "replicas": 2, "hot_types": [hot("main.T", 10)]},
        {"name": "broken", "binary": trunc, "replicas": 2, "hot_types": [hot("main.T", 10)]},
        {"name": "ok-2", "binary": gbin, "replicas": 3, "allocator": "exact",
         "hot_types": [hot("main.T", 4), hot("main.T", 6, held="array")]},
    ]
    man = write_manifest(os.path.join(pdir, "fleet.json"), services)
    doc, p = fleet_json(args.padscan, man, mm, "partial", want_rc=3)
    n = 0
    if doc is None:
        return 0
    by = {s.get("name"): s for s in doc.get("services") or []}
    err = (by.get("broken") or {}).get("error")
    if not err or "prog_truncated" not in err:
        mm.add("partial", "broken", "service listed with its reason (naming the file)",
               "error naming prog_truncated", err)
    for nm in ("ok-1", "ok-2"):
        s = by.get(nm) or {}
        if s.get("error") or not s.get("hot_types"):
            mm.add("partial", nm, "other services estimated", "rows", s.get("error"))
    if (doc.get("total") or {}).get("services_failed") != 1:
        mm.add("partial", None, "total.services_failed", 1,
               (doc.get("total") or {}).get("services_failed"))
    want_rows = [(s["name"], r["type"]) for s in doc["services"] for r in s.get("hot_types") or []]
    if ARGS.self_check:
        PLANTED["partial"] = False
        want_rows = want_rows + [("ok-1", "main.Planted")]
        C.log("SELF-CHECK: planting an extra expected row in partial")
    # csv
    pc = padscan_fleet(args.padscan, man, "csv")
    if pc.returncode != 3:
        mm.add("partial csv", None, "exit status", 3, pc.returncode)
    rows = list(csv.reader(io.StringIO(pc.stdout)))
    if not rows or "service" not in rows[0] or "type" not in rows[0]:
        mm.add("partial csv", None, "header row", "service,type,...", rows[:1])
    else:
        hdr = rows[0]
        if any(len(r) != len(hdr) for r in rows[1:]):
            mm.add("partial csv", None, "every row has %d fields" % len(hdr), "same",
                   [len(r) for r in rows[1:]])
        si, ti = hdr.index("service"), hdr.index("type")
        got = [(r[si], r[ti]) for r in rows[1:] if r[ti] and not r[ti].startswith("(")]
        if got != want_rows:
            mm.add("partial csv", None, "one row per hot type (as in the JSON)", want_rows, got)
            if ("ok-1", "main.Planted") in want_rows:
                PLANTED["partial"] = True
        if not any(r[si] == "broken" and any("prog_truncated" in c for c in r) for r in rows):
            mm.add("partial csv", "broken", "failed service listed with its reason", "row", "none")
        n += len(rows)
    # markdown
    pm = padscan_fleet(args.padscan, man, "markdown")
    if pm.returncode != 3:
        mm.add("partial markdown", None, "exit status", 3, pm.returncode)
    tlines = [ln for ln in pm.stdout.splitlines() if ln.startswith("|")]
    if len(tlines) < 2 or not re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", tlines[1].replace(" ", "")
                                           .replace("|", "| ").replace("| ", "|")):
        mm.add("partial markdown", None, "table header + separator row", "present", tlines[:2])
    else:
        cells = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in tlines]
        hdr = cells[0]
        if any(len(c) != len(hdr) for c in cells[2:]):
            mm.add("partial markdown", None, "every row has %d cells" % len(hdr), "same",
                   [len(c) for c in cells[2:]])
        si, ti = hdr.index("service"), hdr.index("type")
        got = [(c[si], c[ti].strip("`")) for c in cells[2:]
               if c[ti].strip("`") and not c[ti].strip("`").startswith("(")]
        if got != want_rows:
            mm.add("partial markdown", None, "one row per hot type (as in the JSON)", want_rows,
                   got)
            if ("ok-1", "main.Planted") in want_rows:
                PLANTED["partial"] = True
        n += len(cells)
    for fmt, out in (("csv", pc.stdout), ("markdown", pm.stdout)):
        if out and not out.endswith("\n"):
            mm.add("partial " + fmt, None, "output ends with a newline", "\\n", repr(out[-30:]))
    # -o with exit 3: the file is written and equals stdout
    of = os.path.join(pdir, "out.json")
    po = padscan_fleet(args.padscan, man, "json", ["-o", of])
    if po.returncode != 3 or not os.path.exists(of) or open(of).read() != p.stdout:
        mm.add("partial -o", None, "exit 3, file == stdout", "equal",
               "rc %d, exists %s" % (po.returncode, os.path.exists(of)))
    C.log("[fleet partial] exit 3, error: %s; csv %d rows, markdown %d table lines" % (
        err, len(rows), len(tlines)))
    return n


# --------------------------------------------------------------------------


fetch_go = C.fetch_go


ARGS = None


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--fetch-go", action="append", default=[], metavar="VERSION",
                    help="also check the allocator model with this Go (fetch_go.sh; 77 -> "
                         "that toolchain is skipped)")
    ap.add_argument("--go-dest", metavar="DIR", help="fetch_go.sh --dest DIR")
    ap.add_argument("--part", action="append", choices=PARTS)
    ap.add_argument("--no-m32", action="store_true", help="skip the -m32 glibc part")
    ap.add_argument("--workdir")
    ap.add_argument("--self-check", action="store_true",
                    help="plant one wrong expectation per part: exit 0 iff all are caught")
    args = ap.parse_args()
    ARGS = args
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    args.padscan = os.path.abspath(args.padscan)
    if not shutil.which(args.go) or not shutil.which("gcc"):
        C.log("SKIP: go and gcc are needed")
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_fleet"))
    os.makedirs(wd, exist_ok=True)
    parts = args.part or list(PARTS)
    mm = Mismatches("fleet")
    rc = 0
    try:
        ctruth = {"m64": CTruth(wd, mm, "m64")}
        if not args.no_m32:
            try:
                ctruth["m32"] = CTruth(wd, mm, "m32")
            except HarnessError as e:
                # install-deps.sh installs gcc-multilib: on x86-64 a missing
                # -m32 probe is a broken setup, not a reason to check less
                if os.uname().machine == "x86_64":
                    raise HarnessError("-m32 malloc probe not available (gcc-multilib, "
                                       "scripts/install-deps.sh): %s" % str(e)[:300])
                mm.note("-m32 probe not available (%s): 32-bit glibc skipped" % str(e)[:200])
        args.toolchains = [(args.go, None)]
        for v in args.fetch_go:
            frc, root = fetch_go(v, args.go_dest)
            if frc == C.SKIP_RC or root is None:
                mm.note("Go %s not available (fetch_go.sh rc=%d): skipped" % (v, frc))
                continue
            root = os.path.realpath(root)
            args.toolchains.append((os.path.join(root, "bin", "go"), root))
        rts = {}
        for go, root in args.toolchains[:1]:
            rt = GoRuntime(go, go_env(wd, "amd64", root))
            rts[rt.version] = rt
        counts = {}
        if "allocators" in parts:
            counts["allocators"] = part_allocators(args, wd, mm, ctruth)
        if "estimates" in parts:
            counts["estimates"] = part_estimates(args, wd, mm, Expect(args, ctruth["m64"], rts))
        if "bad_manifest" in parts:
            counts["bad_manifest"] = part_bad_manifest(args, wd, mm)
        if "partial" in parts:
            counts["partial"] = part_partial(args, wd, mm)
    except (HarnessError, RuntimeError, subprocess.CalledProcessError) as e:
        C.log("ERROR: %s" % e)
        rc = 2
    for p, n in sorted(locals().get("counts", {}).items()):
        C.log("check_fleet %s: %d values checked" % (p, n))
    C.log("check_fleet: %d mismatches" % len(mm.items))
    if rc == 0 and mm.items:
        rc = 1
    if args.self_check:
        ok = rc == 1 and PLANTED and all(PLANTED.values())
        C.log("SELF-CHECK %s: %s" % ("OK" if ok else "FAILED", PLANTED))
        return 0 if ok else 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
