#!/usr/bin/env python3
"""check_concurrency.py - padscan never makes concurrent code slower (issue 13).

Parts (--part, repeatable; default all):
  go        Go fixtures compiled here: the issue's Counters and Stats, blank
            [N]byte and CacheLinePad fences, atomics next to locks, a struct
            whose size optimum would put two atomics in one line.
  c         C fixtures compiled here: char pad[N] / __pad / _pad fences, the
            kernel's CACHELINE_PADDING (zero-size, aligned(64)), a
            ____cacheline_aligned member, __cacheline_group_begin/end markers,
            _Atomic, pthread_mutex_t, pthread_spinlock_t, C11 atomic_*, kernel
            atomic_t / spinlock_t / refcount_t and a padscan.json sync_types.
            For both: padscan's suggested order (suggest --all --pointer-bytes)
            is compiled from its own --format go / c output and measured with
            unsafe.Offsetof / offsetof.  Every fence keeps its index in the
            order, every field stays in its group, the compiled offsets equal
            the JSON's, and two synchronization fields in different 64-byte
            windows of the object (declared order, compiled) are never in one
            window of the new order (compiled).  analyze's shared_sync_lines
            equals the count from the compiled offsets, and check's
            max_shared_sync_lines rule fails exactly where it is exceeded.
  apart     the size optimum would co-locate two atomics: padscan's order
            keeps them apart, its size is the minimum over all orders that
            keep them apart, and the reason names the smaller size, which is
            the minimum over all orders (both by brute force over the
            compiler's own sizes and alignments).
  groups    padscan.json cache-line groups on a Go struct: the suggested
            order (compiled) keeps each group contiguous, in the config's
            order; check fails exactly the groups that are not contiguous or
            span more lines than their budget (truth: compiled offsets) on the
            declared layout, passes on the suggested one, and fails when a
            field is added inside one group but listed in another.
  classes   random Go structs whose sizes straddle Go size classes (the
            toolchain's runtime/sizeclasses.go): suggest lists a record as a
            finding iff its compiled suggested order falls into a smaller
            class, as "same class" iff it shrinks inside its class; and on
            the sample services (scripts/build-samples.sh) every finding
            changes its allocator class (Go: sizeclasses.go; C: glibc's chunk
            size, measured by a malloc probe).

--fetch-go VERSION [--go-dest DIR]: build the Go fixtures with a toolchain
from Debian's archive (tests/harness/fetch_go.sh), e.g. 1.25+ for the
newest: with Go 1.26 or later the pointer-bytes reason must name the Green
Tea GC and promise no scanned bytes.

--self-check plants one wrong expectation per part; exit 0 iff each is caught.
Exit status: 0 all good, 1 mismatches, 2 harness error.
"""

import argparse
import itertools
import json
import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
import check_fleet as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LINE = 64
PARTS = ("go", "c", "apart", "groups", "classes")


class Errors:
    def __init__(self):
        self.items, self.notes = [], []

    def add(self, msg):
        self.items.append(msg)

    def note(self, msg):
        self.notes.append(msg)
        C.log("note: " + msg)


def padscan(a, *args, want=(0,)):
    p = C.run([a.padscan] + list(args), timeout=900)
    if p.returncode not in want:
        raise RuntimeError("padscan %s: rc=%d %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def windows(off, size):
    return set(range(off // LINE, (off + max(size, 1) - 1) // LINE + 1))


def shared_windows(fields):
    """fields: {name: (offset, size)} of sync fields -> windows with >= 2."""
    count = {}
    for off, size in fields.values():
        for w in windows(off, size):
            count[w] = count.get(w, 0) + 1
    return sum(1 for c in count.values() if c >= 2)


# --------------------------------------------------------------------------
# fixtures: (name, [(decl, role)]), role: "fence", "sync" or ""

GO_TYPES = [
    ("Counters", [("hits atomic.Int64", "sync"), ("_ [56]byte", "fence"),
                  ("misses atomic.Int64", "sync"), ("_ [56]byte", "fence"),
                  ("mu sync.Mutex", "sync"), ("name string", ""), ("flag bool", ""),
                  ("n int64", "")]),
    ("Stats", [("reads atomic.Uint64", "sync"), ("closed bool", ""),
               ("writes atomic.Uint64", "sync"), ("mu sync.Mutex", "sync"),
               ("label string", "")]),
    # CacheLinePad fences with fields that would otherwise move across them
    ("Padded", [("a bool", ""), ("b int64", ""), ("c bool", ""), ("_ CacheLinePad", "fence"),
                ("d bool", ""), ("p *int", ""), ("e bool", ""), ("_ [8]byte", "fence"),
                ("f int32", ""), ("g int64", ""), ("h int16", "")]),
    # atomics next to locks, in several lines, with padding to squeeze out
    ("Locks", [("mu sync.Mutex", "sync"), ("a bool", ""), ("big [40]byte", ""), ("b bool", ""),
               ("x int64", ""), ("c bool", ""), ("n atomic.Int64", "sync"), ("d bool", ""),
               ("rw sync.RWMutex", "sync"), ("e bool", ""), ("wg sync.WaitGroup", "sync"),
               ("f bool", ""), ("once sync.Once", "sync"), ("ok atomic.Bool", "sync"),
               ("v atomic.Value", "sync"), ("ptr atomic.Pointer[int]", "sync"),
               ("g bool", "")]),
    # Go's zero-size markers keep their meaning (not fences): fields move
    # around `_ [0]func()`, which goes first; the blank [8]byte is a fence
    ("Marked", [("a bool", ""), ("b int64", ""), ("_ [0]func()", ""), ("c bool", ""),
                ("d int64", ""), ("_ [8]byte", "fence"), ("e bool", ""), ("f int64", "")]),
    # a hot field may not join a synchronization field's window
    ("HotSync", [("mu sync.Mutex", "sync"), ("blob [56]byte", ""), ("a int64", ""),
                 ("b int64", "")]),
    # the apart part: every minimum-size order (56 bytes) puts a and b in one
    # window; today they are in two
    ("Costly", [("a atomic.Int64", "sync"), ("c bool", ""), ("x [3]int64", ""), ("d bool", ""),
                ("y int64", ""), ("e bool", ""), ("b atomic.Int64", "sync")]),
]

C_PRE = r"""
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#define ____cacheline_aligned __attribute__((__aligned__(64)))
struct cacheline_padding { char x[0]; } ____cacheline_aligned;
#define CACHELINE_PADDING(name) struct cacheline_padding name
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic64_t;
typedef atomic64_t atomic_long_t;
typedef struct { unsigned int val; } spinlock_t;
typedef struct { atomic_t refs; } refcount_t;
typedef struct { unsigned long word; } my_lock_t; /* sync via padscan.json sync_types */
"""

C_TYPES = [
    # the kernel's struct page_counter, with holes that tempt a reorder
    ("page_counter", [("atomic_long_t usage", "sync"), ("bool flag0", ""),
                      ("unsigned long failcnt", ""), ("CACHELINE_PADDING(_pad1_)", "fence"),
                      ("unsigned long emin", ""), ("bool flag1", ""),
                      ("atomic_long_t min_usage", "sync"),
                      ("atomic_long_t children_min_usage", "sync"),
                      ("unsigned long elow", ""), ("char flag2", ""),
                      ("atomic_long_t low_usage", "sync"), ("CACHELINE_PADDING(_pad2_)", "fence"),
                      ("bool protection_support", ""), ("unsigned long min", ""),
                      ("bool track_failcnt", ""), ("unsigned long max", ""),
                      ("struct page_counter *parent", "")]),
    ("padded", [("char a", ""), ("long b", ""), ("char c", ""), ("char pad[48]", "fence"),
                ("short d", ""), ("void *e", ""), ("char f", ""), ("int __pad1", "fence"),
                ("char g", ""), ("double h", ""), ("char _pad2[3]", "fence"), ("int i", ""),
                ("char j", ""), ("long k", "")]),
    ("aligned_member", [("char a", ""), ("long b", ""), ("char c", ""),
                        ("long d ____cacheline_aligned", "fence"), ("char e", ""),
                        ("long f", ""), ("char g", "")]),
    # kernel-style groups: zero-size markers delimit them
    ("grouped", [("unsigned char __cacheline_group_begin__hot[0]", "fence"), ("char a", ""),
                 ("long b", ""), ("char c", ""),
                 ("unsigned char __cacheline_group_end__hot[0]", "fence"), ("char d", ""),
                 ("long e", ""), ("char f", "")]),
    ("locks", [("pthread_mutex_t mu", "sync"), ("char a", ""), ("_Atomic long hits", "sync"),
               ("char b", ""), ("long pad_not[2]", ""), ("char c", ""),
               ("atomic_int misses", "sync"), ("char d", ""), ("double x[3]", ""),
               ("pthread_spinlock_t spin", "sync"), ("char e", ""), ("long y[4]", ""),
               ("spinlock_t klock", "sync"), ("char f", ""), ("refcount_t ref", "sync"),
               ("char g", ""), ("atomic_t cnt", "sync"), ("long z[5]", ""),
               ("pthread_rwlock_t rw", "sync"), ("char h", ""), ("my_lock_t mine", "sync"),
               ("char i", ""), ("atomic64_t big", "sync")]),
]
C_SYNC_TYPES = ["my_lock_t"]


def field_name(decl, lang):
    if lang == "go":
        return decl.split()[0]
    m = re.match(r"CACHELINE_PADDING\((\w+)\)", decl)
    if m:
        return m.group(1)
    return re.findall(r"(\w+)\s*(?:\[[^\]]*\])?\s*(?:____cacheline_aligned)?$", decl)[0]


def groups_of(fields):
    """Group index per field position (fences are their own group)."""
    g, out = 0, []
    for _, role in fields:
        if role == "fence":
            g += 1
            out.append(g)
            g += 1
        else:
            out.append(g)
    return out


# --------------------------------------------------------------------------
# Go

GO_MAIN = r"""
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
)

var _ sync.Mutex
var _ atomic.Int64

type CacheLinePad struct{ _ [64]byte }

// keep: the types must reach the binary's DWARF
func keep(x ...interface{}) {
	if os.Getenv("PADSCAN_NEVER") == "set" {
		fmt.Println(x...)
	}
}

%(types)s

func main() {
	out := map[string]interface{}{}
	keep(%(keep)s)
%(probes)s
	b, _ := json.Marshal(out)
	fmt.Fprintln(os.Stdout, string(b))
}
"""


def go_probe(var, tname, names):
    lines = ["\t{", "\t\tvar v %s" % tname, "\t\tm := map[string][2]uintptr{}"]
    for n in names:
        if n != "_":
            lines.append('\t\tm["%s"] = [2]uintptr{unsafe.Offsetof(v.%s), unsafe.Sizeof(v.%s)}'
                         % (n, n, n))
    lines.append('\t\tout[%s] = map[string]interface{}{"size": unsafe.Sizeof(v), "fields": m}'
                 % json.dumps(var))
    lines.append("\t}")
    return "\n".join(lines)


def go_program(types, extra_types="", prefix=""):
    decls, probes = [], []
    for name, fields in types:
        decls.append("type %s struct {\n%s\n}\n" % (name, "\n".join("\t" + d for d, _ in fields)))
        decls.append("var g%s %s\n" % (name, name))
        probes.append(go_probe(name, name, [field_name(d, "go") for d, _ in fields]))
    for name, fields in types:
        if prefix:
            probes.append(go_probe(prefix + name, prefix + name,
                                   [field_name(d, "go") for d, _ in fields]))
    kept = ["&g%s" % name for name, _ in types]
    if prefix:
        kept += ["&%s%s{}" % (prefix, name) for name, _ in types]
    return GO_MAIN % {"types": "".join(decls) + extra_types, "probes": "\n".join(probes),
                      "keep": ", ".join(kept)}


def go_build_run(a, wd, name, source):
    src = os.path.join(wd, "src_" + name)
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module %s\n\ngo 1.19\n" % name)
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(source)
    out = os.path.join(wd, name)
    env = C.go_env(wd)
    if a.goroot:
        env["GOROOT"] = a.goroot
    p = C.run([a.go, "build", "-o", out, "."], cwd=src, env=env)
    if p.returncode != 0:
        raise RuntimeError("go build %s failed: %s" % (name, p.stderr[-3000:]))
    r = C.run([out])
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (out, r.stderr))
    return out, json.loads(r.stdout)


def export_types(text):
    """The type declarations of padscan's --format go output."""
    body = text.split(")\n", 1)[1] if "import (" in text else text.split("\n", 3)[-1]
    return "\n".join(ln for ln in body.splitlines() if not ln.startswith("package "))


def suggest_json(a, binary, *extra):
    p = padscan(a, "suggest", "--all", "--pointer-bytes", "--format", "json", *extra, binary)
    return {s["name"]: s for s in json.loads(p.stdout)["binaries"][0]["suggestions"]}


def check_order(err, label, fields, lang, sug, old, new, self_check):
    """fences, groups, compiled offsets and sync windows of one suggestion."""
    names = [field_name(d, lang) for d, _ in fields]
    roles = [r for _, r in fields]
    groups = groups_of(fields)
    order = [m["name"] for m in sug["new_order"]]
    # map new-order entries back to declaration positions: by name, and for
    # blank fields by type (padscan spells byte as uint8)
    types = [d.split(None, 1)[1].replace("byte", "uint8") if lang == "go" else "" for d, _ in fields]
    pos, used = [], set()
    for m in sug["new_order"]:
        n, t = m["name"], m["type"].replace("byte", "uint8")
        k = next((i for i, x in enumerate(names) if x == n and i not in used
                  and (n != "_" or types[i] == t)), None)
        if k is None:
            k = next(i for i, x in enumerate(names) if x == n and i not in used)
        used.add(k)
        pos.append(k)
    if self_check and label.endswith("Counters"):
        pos = pos[2:] + pos[:2]   # planted: fences moved
    for k, i in enumerate(pos):
        if roles[i] == "fence" and i != k:
            err.add("%s: fence %s (declared #%d) is #%d in %s" % (label, names[i], i, k, order))
        if groups[i] != groups_of(fields)[k] and roles[i] != "fence":
            err.add("%s: %s moved across a fence: %s" % (label, names[i], order))
    # compiled offsets of the new order == the JSON's
    js = {m["name"]: m["offset"] for m in sug["new_order"] if m["name"] != "_"}
    for n, (off, _) in new["fields"].items():
        if js.get(n) != off:
            err.add("%s: %s compiled at %d, padscan says %s" % (label, n, off, js.get(n)))
    if new["size"] != sug["optimal_size"]:
        err.add("%s: compiled size %d, padscan optimal_size %d" % (label, new["size"], sug["optimal_size"]))
    # sync fields apart today stay apart
    sync = [n for n, r in zip(names, roles) if r == "sync"]
    for x, y in itertools.combinations(sync, 2):
        if windows(*old["fields"][x]) & windows(*old["fields"][y]):
            continue
        if windows(*new["fields"][x]) & windows(*new["fields"][y]):
            err.add("%s: %s and %s were in different 64-byte windows, the suggestion puts them in "
                    "one: %s" % (label, x, y, new["fields"]))
    return sync


def check_analyze(err, a, binary, label, types, lang, truth, self_check):
    doc = json.loads(padscan(a, "analyze", "--format", "json", binary).stdout)
    by = {s["name"]: s for s in doc["binaries"][0]["structs"]}
    counts = {}
    for name, fields in types:
        full = ("main." + name) if lang == "go" else name
        sync = [field_name(d, lang) for d, r in fields if r == "sync"]
        want = shared_windows({n: truth[name]["fields"][n] for n in sync})
        if self_check and name in ("Stats", "locks"):
            want += 1
        got = by[full].get("shared_sync_lines")
        if got != want:
            err.add("%s %s: analyze shared_sync_lines %s, compiled offsets say %d"
                    % (label, full, got, want))
        flagged = sorted(m["name"] for m in by[full]["members"] if m.get("sync"))
        if flagged != sorted(sync):
            err.add("%s %s: sync members %s, the fixture's %s" % (label, full, flagged, sorted(sync)))
        counts[full] = want
    return counts


def check_budget(err, a, binary, wd, counts, extra=()):
    """max_shared_sync_lines fails exactly the structs above the limit."""
    for full, n in counts.items():
        for limit, fail in ((n, False), (n - 1, True)):
            if limit < 0:
                continue
            path = os.path.join(wd, "budget.json")
            with open(path, "w") as f:
                json.dump({"rules": [{"types": [full], "max_shared_sync_lines": limit}]}, f)
            p = padscan(a, "check", "--budget", path, "--format", "json", *extra, binary, want=(0, 1))
            if (p.returncode == 1) != fail:
                err.add("check max_shared_sync_lines %d on %s (%d shared): exit %d"
                        % (limit, full, n, p.returncode))
    # off by default: a budget without the rule never fails on it
    path = os.path.join(wd, "budget_off.json")
    with open(path, "w") as f:
        json.dump({"rules": [{"types": ["*"], "max_size": 1 << 30}]}, f)
    p = padscan(a, "check", "--budget", path, "--format", "json", *extra, binary, want=(0, 1))
    if p.returncode != 0 or "shared_sync" in p.stdout:
        err.add("check without max_shared_sync_lines: exit %d" % p.returncode)


def part_go(a, wd, err):
    binary, truth = go_build_run(a, wd, "gofix", go_program(GO_TYPES))
    sugg = suggest_json(a, binary, "--type", "main.*")
    text = padscan(a, "suggest", "--all", "--pointer-bytes", "--format", "go", "--rename-prefix",
                   "New", "--type", "main.*", binary).stdout
    types = export_types(text)
    _, new = go_build_run(a, wd, "gonew", go_program(GO_TYPES, types, "New"))
    for name, fields in GO_TYPES:
        sug = sugg["main." + name]
        check_order(err, "go main." + name, fields, "go", sug, truth[name],
                    new["New" + name], a.self_check)
    # the examples
    c_new = new["NewCounters"]["fields"]
    if windows(*c_new["hits"]) & windows(*c_new["misses"]):
        err.add("Counters: hits and misses share a window: %s" % c_new)
    stats = suggest_json(a, binary, "--type", "main.Stats")["main.Stats"]
    if not any("false sharing" in w and "reads" in w and "writes" in w for w in stats["warnings"]):
        err.add("Stats: no false-sharing warning naming reads and writes: %s" % stats["warnings"])
    # pointer bytes: under Go < 1.26 the GC scans a prefix, from 1.26 it does not
    ver = json.loads(padscan(a, "analyze", "--format", "json", binary).stdout)["binaries"][0].get("go_version", "")
    minor = int(re.match(r"go1\.(\d+)", ver).group(1)) if re.match(r"go1\.(\d+)", ver) else 0
    why = " ".join(stats["reasons"])
    C.log("pointer-bytes reason for %s: %s" % (ver, [r for r in stats["reasons"] if "pointer" in r]))
    if not minor:
        err.add("Stats: no Go version in the analyze report (%r)" % ver)
    if 0 < minor < 26 and "scans" not in why:
        err.add("Stats (%s): the pointer reason does not say what the GC scans: %s" % (ver, why))
    if minor >= 26 and ("Green Tea" not in why or "scans" in why):
        err.add("Stats (%s): Green Tea GC not named or scan bytes promised: %s" % (ver, why))
    # Marked: `_ [0]func()` is not a fence; Go places zero-size fields first
    marked = [m["name"] + " " + m["type"] for m in sugg["main.Marked"]["new_order"]]
    if marked[0] != "_ [0]func()":
        err.add("Marked: _ [0]func() is not placed first (its existing meaning): %s" % marked)
    # HotSync with b hot: b may not join mu's window, although hot-first would put it there
    cfg = os.path.join(wd, "hot.json")
    with open(cfg, "w") as f:
        json.dump({"types": {"main.HotSync": {"hot": ["b"]}}}, f)
    hs = suggest_json(a, binary, "--config", cfg, "--type", "main.HotSync")["main.HotSync"]
    hpos = {m["name"]: (m["offset"], m["size"]) for m in hs["new_order"]}
    hot_joins = windows(*hpos["b"]) & windows(*hpos["mu"])
    if bool(hot_joins) != bool(a.self_check):
        err.add("HotSync: hot field b joins mu's window: %s" % hpos)
    if not any("hot field b" in r for r in hs["reasons"]):
        err.add("HotSync: no reason says b was kept out of mu's window: %s" % hs["reasons"])
    # default suggest: Stats only lowers pointer bytes -> not listed
    plain = json.loads(padscan(a, "suggest", "--format", "json", "--type", "main.Stats", binary).stdout)
    if plain["binaries"][0]["suggestions"]:
        err.add("Stats: a pointer-byte-only reorder is listed without --pointer-bytes")
    counts = check_analyze(err, a, binary, "go", GO_TYPES, "go", truth, a.self_check)
    check_budget(err, a, binary, wd, counts)
    if minor >= 23:
        check_host_layout(err, a, wd)
    else:
        C.log("structs.HostLayout: needs Go 1.23 (this is %s); the go_new run checks it" % ver)
    return len(GO_TYPES)


HOST_SRC = """package main

import (
	"encoding/json"
	"os"
	"structs"
	"unsafe"
)

// Host follows the C ABI: its order is the contract, whatever it wastes.
type Host struct {
	_ structs.HostLayout
	A bool
	B int64
	C bool
}

var g Host

func main() {
	json.NewEncoder(os.Stderr).Encode(&g) // keeps the type in the binary
	json.NewEncoder(os.Stdout).Encode(map[string]uintptr{"size": unsafe.Sizeof(g)})
}
"""


def check_host_layout(err, a, wd):
    """A struct marked structs.HostLayout keeps its order, read from DWARF
    and from the runtime's type descriptors (-ldflags=-s -w) alike."""
    binary, truth = go_build_run(a, wd, "hostlayout", HOST_SRC)
    stripped = binary + "-stripped"
    env = C.go_env(wd)
    if a.goroot:
        env["GOROOT"] = a.goroot
    p = C.run([a.go, "build", "-ldflags=-s -w", "-o", stripped, "."],
              cwd=os.path.join(wd, "src_hostlayout"), env=env)
    if p.returncode != 0:
        raise RuntimeError("go build -ldflags=-s -w hostlayout failed: %s" % p.stderr[-3000:])
    for what, target in (("DWARF", binary), ("no DWARF", stripped)):
        doc = json.loads(padscan(a, "suggest", "--all", "--format", "json", "--type", "main.Host",
                                 target).stdout)["binaries"][0]
        rec = [s for s in doc["suggestions"] if s["name"] == "main.Host"]
        if not rec:
            err.add("HostLayout (%s): main.Host not listed by suggest --all" % what)
            continue
        h = rec[0]
        if h["size"] != truth["size"]:
            err.add("HostLayout (%s): size %s, unsafe.Sizeof %s" % (what, h["size"], truth["size"]))
        if "HostLayout" not in (h.get("kept") or "") or h["optimal_size"] != h["size"]:
            err.add("HostLayout (%s): order not kept: kept %r, %s -> %s"
                    % (what, h.get("kept"), h["size"], h["optimal_size"]))
    C.log("structs.HostLayout: order kept from DWARF and from type descriptors")


# --------------------------------------------------------------------------
# C

def c_program(types, exported="", prefix=""):
    out = [C_PRE, exported]
    for name, fields in types:
        out.append("struct %s {\n%s\n};\nstruct %s g_%s;\n" % (
            name, "\n".join("\t%s;" % d for d, _ in fields), name, name))
    out.append("#include <stdio.h>\nint main(void) {\n\tprintf(\"{\");")
    first = True
    for name, fields in types:
        for tag in [name] + ([prefix + name] if prefix else []):
            out.append('\tprintf("%s\\"%s\\": {\\"size\\": %%zu, \\"fields\\": {", sizeof(struct %s));'
                       % ("" if first else ",", tag, tag))
            first = False
            for k, (d, _) in enumerate(fields):
                n = field_name(d, "c")
                out.append('\tprintf("%s\\"%s\\": [%%zu, %%zu]", offsetof(struct %s, %s), '
                           'sizeof(((struct %s *)0)->%s));' % ("," if k else "", n, tag, n, tag, n))
            out.append('\tprintf("}}");')
    out.append('\tprintf("}\\n");\n\treturn 0;\n}\n')
    return "\n".join(out)


def c_build_run(wd, name, source):
    src = os.path.join(wd, name + ".c")
    with open(src, "w") as f:
        f.write(source)
    out = os.path.join(wd, name)
    p = C.run(["gcc", "-std=gnu11", "-g", "-O0", "-pthread", "-o", out, src])
    if p.returncode != 0:
        raise RuntimeError("gcc %s failed: %s" % (name, p.stderr[-3000:]))
    return out, json.loads(C.run([out], check=True).stdout)


def part_c(a, wd, err):
    binary, truth = c_build_run(wd, "cfix", c_program(C_TYPES))
    cfg = os.path.join(wd, "padscan.json")
    with open(cfg, "w") as f:
        json.dump({"sync_types": C_SYNC_TYPES}, f)
    sugg = suggest_json(a, binary, "--config", cfg, "--lang", "c")
    text = padscan(a, "suggest", "--all", "--pointer-bytes", "--format", "c", "--rename-prefix",
                   "new_", "--config", cfg, "--lang", "c", binary).stdout
    # padscan's C output re-declares the helper types; keep only new_* records
    _, new = c_build_run(wd, "cnew", c_program(C_TYPES, text.replace("#include", "// #include"),
                                                "new_"))
    for name, fields in C_TYPES:
        check_order(err, "c " + name, fields, "c", sugg[name], truth[name], new["new_" + name],
                    a.self_check)
    # without sync_types, my_lock_t is not a synchronization type
    doc = json.loads(padscan(a, "analyze", "--format", "json", "--type", "locks", binary).stdout)
    mine = [m for m in doc["binaries"][0]["structs"][0]["members"] if m["name"] == "mine"]
    if mine and mine[0].get("sync"):
        err.add("c locks.mine is sync without padscan.json sync_types")
    counts = check_analyze_cfg(err, a, binary, cfg, truth)
    check_budget(err, a, binary, wd, counts, ("--config", cfg))
    return len(C_TYPES)


def check_analyze_cfg(err, a, binary, cfg, truth):
    real = a.padscan
    wrapper = os.path.join(os.path.dirname(binary), "padscan_cfg.sh")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\ncmd=$1; shift\nexec "%s" "$cmd" --config "%s" "$@"\n' % (real, cfg))
    os.chmod(wrapper, 0o755)
    b = argparse.Namespace(**vars(a))
    b.padscan = wrapper
    return check_analyze(err, b, binary, "c", C_TYPES, "c", truth, a.self_check)


# --------------------------------------------------------------------------
# apart: brute force over the compiler's sizes

def best_orders(fields, sync, constrained):
    """Minimum Go size over all orders (those keeping sync apart if asked)."""
    best = None
    for perm in itertools.permutations(range(len(fields))):
        off, offs, maxa = 0, {}, 1
        for i in perm:
            n, size, align = fields[i]
            off = (off + align - 1) // align * align
            offs[n] = (off, size)
            off += size
            maxa = max(maxa, align)
        total = (off + maxa - 1) // maxa * maxa
        if constrained and any(windows(*offs[x]) & windows(*offs[y])
                               for x, y in itertools.combinations(sync, 2)):
            continue
        best = total if best is None or total < best else best
    return best


def part_apart(a, wd, err):
    name, fields = next(t for t in GO_TYPES if t[0] == "Costly")
    extra = "\n".join('\t\tout["align_%s"] = unsafe.Alignof(v.%s)' % (field_name(d, "go"), field_name(d, "go"))
                      for d, _ in fields)
    src = go_program([(name, fields)]).replace('\t\tout["Costly"]', extra + '\n\t\tout["Costly"]')
    binary, truth = go_build_run(a, wd, "apart", src)
    names = [field_name(d, "go") for d, _ in fields]
    spec = [(n, truth[name]["fields"][n][1], truth["align_" + n]) for n in names]
    sync = [field_name(d, "go") for d, r in fields if r == "sync"]
    apart, smallest = best_orders(spec, sync, True), best_orders(spec, [], False)
    if a.self_check:
        apart -= 8
    sug = suggest_json(a, binary, "--type", "main.Costly")["main.Costly"]
    if smallest >= apart:
        err.add("fixture premise: keeping a and b apart costs nothing (%d vs %d)" % (apart, smallest))
    if sug["optimal_size"] != apart:
        err.add("Costly: padscan %d bytes, the best order keeping a and b apart is %d"
                % (sug["optimal_size"], apart))
    why = [r for r in sug["reasons"] if "synchronization field" in r]
    m = re.search(r"smallest order \((\d+) bytes\).*is (\d+) bytes \(\+(\d+)\)", " ".join(why))
    if not m or (int(m.group(1)), int(m.group(2)), int(m.group(3))) != (smallest, apart, apart - smallest):
        err.add("Costly: the reason should say %d bytes would co-locate them and keeping them apart "
                "costs %d: %s" % (smallest, apart - smallest, sug["reasons"]))
    if sug["proven_optimal"]:
        err.add("Costly: claims proven_optimal while a smaller order exists")
    return 1


# --------------------------------------------------------------------------
# groups

CONN = [("id int64", ""), ("flagA bool", ""), ("name string", ""), ("cnt int64", ""),
        ("flagB bool", ""), ("buf [20]byte", ""), ("hits int32", ""), ("cfg *int", ""),
        ("x bool", ""), ("y int64", "")]
CONN_GROUPS = {"read_mostly": ["id", "name", "cfg"],
               "read_write": {"fields": ["flagA", "cnt", "hits"], "max_lines": 1},
               "cold": ["flagB", "buf"]}


def group_fields(spec):
    return spec["fields"] if isinstance(spec, dict) else spec


def group_verdicts(groups, fields):
    """{rule: failed} from compiled offsets: {name: (offset, size)}."""
    out = {}
    for g, spec in groups.items():
        mine = [n for n in group_fields(spec) if n in fields]
        lo = min(fields[n][0] for n in mine)
        hi = max(fields[n][0] + fields[n][1] for n in mine)
        inside = [n for n, (o, z) in fields.items() if n not in mine and o < hi and o + z > lo]
        out["groups.%s.contiguous" % g] = bool(inside)
        if isinstance(spec, dict) and spec.get("max_lines"):
            out["groups.%s.max_lines" % g] = (hi - 1) // LINE - lo // LINE + 1 > spec["max_lines"]
    return out


def check_groups_verdicts(err, a, wd, label, binary, groups, fields, self_check=False):
    cfg = os.path.join(wd, label + ".json")
    with open(cfg, "w") as f:
        json.dump({"types": {"main.Conn": {"groups": groups}}}, f)
    budget = os.path.join(wd, "groups_budget.json")
    with open(budget, "w") as f:
        json.dump({"rules": [{"types": "main.Conn", "max_size": 1 << 20}]}, f)
    p = padscan(a, "check", "--budget", budget, "--config", cfg, "--type", "main.Conn", "--format",
                "json", binary, want=(0, 1))
    got = {x["rule"]: x["failed"] for x in json.loads(p.stdout)["results"] if x["rule"].startswith("groups.")}
    want = group_verdicts(groups, fields)
    if self_check:
        want = {k: not v for k, v in want.items()}
    if got != want:
        err.add("%s: check's group verdicts %s, compiled offsets say %s (%s)" % (label, got, want, fields))
    if (p.returncode == 1) != any(want.values()):
        err.add("%s: check exit %d with group verdicts %s" % (label, p.returncode, want))
    return want


def part_groups(a, wd, err):
    binary, truth = go_build_run(a, wd, "conn", go_program([("Conn", CONN)]))
    cfg = os.path.join(wd, "groups.json")
    with open(cfg, "w") as f:
        json.dump({"types": {"main.Conn": {"groups": CONN_GROUPS}}}, f)
    sug = suggest_json(a, binary, "--config", cfg, "--type", "main.Conn")["main.Conn"]
    text = padscan(a, "suggest", "--all", "--pointer-bytes", "--format", "go", "--rename-prefix", "New",
                   "--config", cfg, "--type", "main.Conn", binary).stdout
    _, new = go_build_run(a, wd, "conn_new", go_program([("Conn", CONN)], export_types(text), "New"))
    fields = new["NewConn"]["fields"]
    if new["NewConn"]["size"] != sug["optimal_size"]:
        err.add("groups: compiled size %d, padscan %d" % (new["NewConn"]["size"], sug["optimal_size"]))
    # contiguous, and in the config's order, ungrouped fields after them
    order = [m["name"] for m in sug["new_order"]]
    rank = {n: k for k, g in enumerate(CONN_GROUPS.values()) for n in group_fields(g)}
    ranks = [rank.get(n, len(CONN_GROUPS)) for n in order]
    if ranks != sorted(ranks):
        err.add("groups: order %s does not keep the groups contiguous in the config's order" % order)
    for rule, bad in group_verdicts(CONN_GROUPS, fields).items():
        if bad and rule.endswith("contiguous"):
            err.add("groups: suggested layout (compiled) breaks %s: %s" % (rule, fields))
    # check on the declared layout, then on the suggested one (as Conn)
    declared = check_groups_verdicts(err, a, wd, "declared", binary, CONN_GROUPS,
                                     truth["Conn"]["fields"], a.self_check)
    if not any(declared.values()):
        err.add("fixture premise: the declared layout breaks no group")
    new_conn = [next((d, r) for d, r in CONN if d.split()[0] == n) for n in order]
    sbin, strut = go_build_run(a, wd, "conn_sugg", go_program([("Conn", new_conn)]))
    check_groups_verdicts(err, a, wd, "suggested", sbin, CONN_GROUPS, strut["Conn"]["fields"])
    # a field added inside read_write but listed in cold fails CI
    rw = group_fields(CONN_GROUPS["read_write"])
    k = max(i for i, (d, _) in enumerate(new_conn) if d.split()[0] in rw)
    late = new_conn[:k] + [("late int64", "")] + new_conn[k:]
    groups = dict(CONN_GROUPS, cold=CONN_GROUPS["cold"] + ["late"])
    lbin, ltruth = go_build_run(a, wd, "conn_late", go_program([("Conn", late)]))
    verdict = check_groups_verdicts(err, a, wd, "late", lbin, groups, ltruth["Conn"]["fields"])
    if not verdict.get("groups.read_write.contiguous"):
        err.add("late: a field inside read_write listed in cold does not fail read_write")
    # group_lines: each group starts a line of its own (padding in the Go output)
    lines_cfg = os.path.join(wd, "group_lines.json")
    with open(lines_cfg, "w") as f:
        json.dump({"types": {"main.Conn": {"groups": CONN_GROUPS, "group_lines": True}}}, f)
    plain = json.loads(padscan(a, "suggest", "--format", "json", "--config", lines_cfg, "--type",
                               "main.Conn", binary).stdout)["binaries"][0]["suggestions"]
    text = padscan(a, "suggest", "--format", "go", "--rename-prefix", "New", "--config", lines_cfg,
                   "--type", "main.Conn", binary).stdout
    _, lnew = go_build_run(a, wd, "conn_lines", go_program([("Conn", CONN)], export_types(text), "New"))
    lf = lnew["NewConn"]["fields"]
    if not plain or not plain[0]["fixes_groups"]:
        err.add("group_lines: the declared layout breaks the groups, yet suggest lists nothing: %s" % plain)
    elif lnew["NewConn"]["size"] != plain[0]["optimal_size"]:
        err.add("group_lines: compiled size %d, padscan %d" % (lnew["NewConn"]["size"], plain[0]["optimal_size"]))
    for gname, spec in CONN_GROUPS.items():
        start = min(lf[n][0] for n in group_fields(spec))
        if start % LINE != (1 if a.self_check else 0):
            err.add("group_lines: group %s starts at %d (compiled), not on a line" % (gname, start))
    for rule, bad in group_verdicts(CONN_GROUPS, lf).items():
        if bad and rule.endswith("contiguous"):
            err.add("group_lines: compiled layout breaks %s: %s" % (rule, lf))
    # bad groups: one stderr line naming the file and the JSON path, exit 2
    for groups, path in (({"a": ["nope"]}, '$.types["main.Conn"].groups.a[0]'),
                         ({"a": ["id"], "b": ["id"]}, '$.types["main.Conn"].groups.b'),
                         ({"a": {"fields": ["id"], "max_lines": 0}}, '$.types["main.Conn"].groups.a.max_lines'),
                         ({"a": []}, '$.types["main.Conn"].groups.a')):
        bad = os.path.join(wd, "bad_groups.json")
        with open(bad, "w") as f:
            json.dump({"types": {"main.Conn": {"groups": groups}}}, f)
        p = C.run([a.padscan, "suggest", "--config", bad, binary])
        lines = p.stderr.strip().splitlines()
        if p.returncode != 2 or len(lines) != 1 or path not in lines[0] or bad not in lines[0] or p.stdout:
            err.add("bad groups %s: want exit 2 and one line naming %s; got %d %r"
                    % (groups, path, p.returncode, p.stderr))
    return 8


# --------------------------------------------------------------------------
# classes

GO_KINDS = [("bool", 1), ("int16", 2), ("int32", 4), ("int64", 8), ("[3]byte", 3), ("[5]int32", 20),
            ("[7]int64", 56)]


def random_struct(rng):
    fields = []
    for k in range(rng.randint(3, 9)):
        t = rng.choice(GO_KINDS)[0]
        fields.append("F%d %s" % (k, t))
    return fields


def part_classes(a, wd, err):
    rng = random.Random(13)
    env = C.go_env(wd)
    rt = F.GoRuntime(a.go, env)
    types = []
    for i in range(160):
        types.append(("R%d" % i, [(d, "") for d in random_struct(rng)]))
    binary, truth = go_build_run(a, wd, "classes", go_program(types))
    # keep those that shrink; the truth of the new size comes from compiling
    full = suggest_json(a, binary, "--type", "main.R*")
    text = padscan(a, "suggest", "--all", "--format", "go", "--rename-prefix", "New", "--type",
                   "main.R*", binary).stdout
    _, new = go_build_run(a, wd, "classes_new", go_program(types, export_types(text), "New"))
    plain = json.loads(padscan(a, "suggest", "--format", "json", "--type", "main.R*", binary).stdout)
    listed = {s["name"] for s in plain["binaries"][0]["suggestions"]}
    same = {s["name"] for s in plain["binaries"][0]["same_class"]}
    crossed = same_n = 0
    for name, _ in types:
        old_size, new_size = truth[name]["size"], new["New" + name]["size"]
        if not full["main." + name]["improves"]:
            new_size = old_size
        oc, nc = rt.bytes(old_size, False, 8), rt.bytes(new_size, False, 8)
        want_listed = nc < oc
        want_same = new_size < old_size and nc >= oc
        if a.self_check and name == "R0":
            want_listed = not want_listed
        crossed += want_listed
        same_n += want_same
        if ("main." + name in listed) != want_listed:
            err.add("classes main.%s: %d -> %d bytes, Go classes %s -> %s: listed=%s"
                    % (name, old_size, new_size, oc, nc, "main." + name in listed))
        if ("main." + name in same) != want_same:
            err.add("classes main.%s: %d -> %d bytes, Go classes %s -> %s: same_class=%s"
                    % (name, old_size, new_size, oc, nc, "main." + name in same))
    # --allocator exact: no classes, every byte saved counts
    exact = json.loads(padscan(a, "suggest", "--allocator", "exact", "--format", "json", "--type",
                               "main.R*", binary).stdout)["binaries"][0]
    want = {"main." + n for n, _ in types
            if full["main." + n]["improves"] and new["New" + n]["size"] < truth[n]["size"]}
    got = {s["name"] for s in exact["suggestions"]}
    if got != want or exact["same_class"]:
        err.add("--allocator exact: listed %d, %d shrink; same_class %d"
                % (len(got), len(want), len(exact["same_class"])))
    if not crossed or not same_n:
        err.add("fixture premise: %d structs cross a class, %d stay in theirs" % (crossed, same_n))
    C.log("classes: %d random structs, %d cross a Go size class, %d shrink within one"
          % (len(types), crossed, same_n))
    return len(types) + part_samples(a, wd, err, rt)


def part_samples(a, wd, err, rt):
    """Every finding on the sample services changes its allocator class."""
    out = F.build_samples(wd, err)
    ct = F.CTruth(wd, err, "m64")
    n = 0
    for path in sorted(os.listdir(out)):
        binary = os.path.join(out, path)
        if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
            continue
        doc = json.loads(padscan(a, "suggest", "--format", "json", binary).stdout)["binaries"][0]
        for s in doc["suggestions"] + doc["same_class"]:
            go = s["lang"] == "go"
            has_ptr = bool(s.get("pointer_bytes"))
            old = rt.bytes(s["size"], has_ptr, 8) if go else ct.bytes("glibc", s["size"])
            new = rt.bytes(s["optimal_size"], bool(s.get("optimal_pointer_bytes")), 8) if go \
                else ct.bytes("glibc", s["optimal_size"])
            hot = s["optimal_hot_cachelines"] < s["hot_cachelines"]
            finding = s in doc["suggestions"]
            if finding and not (new < old or hot):
                err.add("sample %s %s: listed, but %d -> %d bytes stays in the %s-byte class"
                        % (path, s["name"], s["size"], s["optimal_size"], old))
            if not finding and new < old:
                err.add("sample %s %s: 'same class', but %s -> %s allocator bytes"
                        % (path, s["name"], old, new))
            n += 1
    if not n:
        err.add("samples: no suggestion at all")
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--go", default=shutil.which("go") or "go")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", action="append", choices=PARTS)
    ap.add_argument("--self-check", action="store_true")
    ap.add_argument("--fetch-go", metavar="VERSION", help="fetch_go.sh VERSION and use that Go")
    ap.add_argument("--go-dest", metavar="DIR", help="fetch_go.sh --dest DIR")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    a.goroot = None
    if a.fetch_go:
        rc, root = C.fetch_go(a.fetch_go, a.go_dest)
        if rc == C.SKIP_RC:
            C.log("SKIP: Go %s is not available (fetch_go.sh exit 77)" % a.fetch_go)
            return rc
        if root is None:
            C.log("ERROR: fetch_go.sh %s failed (rc=%d)" % (a.fetch_go, rc))
            return 2
        a.goroot = os.path.realpath(root)
        a.go = os.path.join(a.goroot, "bin", "go")
    failed = False
    for part in a.part or PARTS:
        err = Errors()
        wd = os.path.join(a.workdir, part)
        os.makedirs(wd, exist_ok=True)
        try:
            n = {"go": part_go, "c": part_c, "apart": part_apart, "groups": part_groups,
                 "classes": part_classes}[part](a, wd, err)
        except (RuntimeError, F.HarnessError) as e:
            C.log("ERROR [%s]: %s" % (part, e))
            return 2
        for e in err.items:
            C.log("MISMATCH [%s] %s" % (part, e))
        if a.self_check:
            caught = bool(err.items)
            C.log("check_concurrency %s self-check: planted error %s" % (part, "caught" if caught else "MISSED"))
            failed |= not caught
        else:
            C.log("check_concurrency %s: %d structs, %d mismatches" % (part, n, len(err.items)))
            failed |= bool(err.items)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
