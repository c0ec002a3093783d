#!/usr/bin/env python3
"""padscan suggest's advice must be true for the binary it is printed on.

Parts (--part):
  summary   the text summary counts only records that shrink; orders that
            only lower pointer bytes are counted apart (truth: the Go
            compiler's sizes of the suggested order, via unsafe.Sizeof).
  hot       hot fields from padscan.json land in the first cache line(s) when
            a minimum-size order allows it (offsets from unsafe.Offsetof of
            the suggested order, compiled).
  warnings  "uses cgo" only on types shared with C; the unkeyed-literal
            warning does not claim go vet sees same-package literals (go vet
            is run to show it does not); a zero-width bitfield is not packed.
  figures   no %g / scientific notation, no `file:0`, no percent over a
            runtime arena.
  cascade   random Go structs (nested), generated and compiled here: the
            suggested orders are built and measured with unsafe/reflect.

Every part can fail; --self-check plants a wrong expectation and requires
the part to notice (the script then exits 0).
"""

import argparse
import json
import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402


def go_build(wd, name, source, cgo=False, goarch="amd64", extra=None):
    """Builds package main from `source` (plus extra files) -> binary path."""
    src = os.path.join(wd, "src_" + name)
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module " + name + "\n\ngo 1.18\n")
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(source)
    for fn, text in (extra or {}).items():
        with open(os.path.join(src, fn), "w") as f:
            f.write(text)
    env = C.go_env(wd, goarch)
    if cgo:
        env["CGO_ENABLED"] = "1"
    out = os.path.join(wd, name)
    p = C.run(["go", "build", "-o", out, "."], cwd=src, env=env)
    if p.returncode != 0:
        raise RuntimeError("go build failed: " + p.stderr)
    return out


def go_run(wd, name, source, goarch="amd64"):
    binary = go_build(wd, name, source, goarch=goarch)
    p = C.run([binary])
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (name, p.stderr))
    return p.stdout


def padscan(a, *args, ok=(0,)):
    p = C.run([a.padscan] + list(args))
    if p.returncode not in ok:
        raise RuntimeError("padscan %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def suggestions(a, binary, *args):
    p = padscan(a, "suggest", "--all", "--format", "json", *args, binary)
    return {s["name"]: s for s in json.loads(p.stdout)["binaries"][0]["suggestions"]}


# --- summary -------------------------------------------------------------------
SUMMARY_SRC = '''package main

import (
	"fmt"
	"unsafe"
)

type Shrinks struct {
	A bool
	B int64
	C bool
}

type PtrOnly struct {
	N int64
	P *int
}

type PtrOnly2 struct {
	X [3]int64
	S string
}

type Fine struct {
	P *int
	N int64
}

var (
	g1 Shrinks
	g2 PtrOnly
	g3 PtrOnly2
	g4 Fine
)

func main() {
	fmt.Println(unsafe.Sizeof(Shrinks{}), &g1, &g2, &g3, &g4)
}
'''


def part_summary(a):
    errors = []
    binary = go_build(a.workdir, "summary", SUMMARY_SRC)
    # pointer-only orders are opt-in (--pointer-bytes, docs/suggest.md)
    sug = suggestions(a, binary, "--pointer-bytes", "--type", "main.*")
    text = padscan(a, "suggest", "--all", "--pointer-bytes", "--type", "main.*", binary).stdout
    # truth for "shrinks": the compiler's size of the proposed order
    decls = []
    for name, s in sug.items():
        short = name.split(".")[-1]
        fields = "\n".join("\t%s %s" % (m["name"], m["type"]) for m in s["new_order"])
        decls.append("type New%s struct {\n%s\n}\n" % (short, fields))
    prog = "package main\n\nimport (\n\t\"fmt\"\n\t\"unsafe\"\n)\n\n" + "".join(decls)
    prog += "func main() {\n" + "".join(
        '\tfmt.Println("%s", unsafe.Sizeof(New%s{}))\n' % (n, n.split(".")[-1]) for n in sug) + "}\n"
    new_size = {ln.split()[0]: int(ln.split()[1]) for ln in go_run(a.workdir, "summary_truth", prog).splitlines()}
    shrink = sum(1 for n, s in sug.items() if new_size[n] < s["size"])
    other = sum(1 for n, s in sug.items() if s["improves"] and new_size[n] >= s["size"])
    if a.self_check:
        shrink += 1
    if shrink < 1 or other < 1:
        errors.append("fixture premise: %d shrinking, %d pointer-only suggestions" % (shrink, other))
    m = re.search(r": (\d+) records? can shrink(?: from (\d+) to (\d+) bytes)?", text)
    if not m:
        return errors + ["no summary line in:\n" + text]
    if int(m.group(1)) != shrink:
        errors.append("summary says %s records shrink, the compiler says %d:\n%s"
                      % (m.group(1), shrink, text.splitlines()[-1]))
    before = sum(s["size"] for n, s in sug.items() if new_size[n] < s["size"])
    after = sum(new_size[n] for n, s in sug.items() if new_size[n] < s["size"])
    if m.group(2) and (int(m.group(2)), int(m.group(3))) != (before, after):
        errors.append("summary bytes %s -> %s, compiler %d -> %d" % (m.group(2), m.group(3), before, after))
    m2 = re.search(r"(\d+) more keep their size", text)
    if other and (not m2 or int(m2.group(1)) != other):
        errors.append("pointer-only improvements (%d) not counted apart: %s" % (other, text.splitlines()[-1]))
    return errors


# --- hot ----------------------------------------------------------------------
def random_hot_struct(rng, idx):
    """A struct of > 2 cache lines with pointerful and pointer-free fields;
    some pointer-free ones are hot."""
    kinds = ["int64", "int32", "uint16", "bool", "*int", "string", "[]byte", "[5]int64",
             "[3]uint32", "float64", "map[int]int", "[2]string"]
    fields = ["\tF%d %s" % (i, rng.choice(kinds)) for i in range(rng.randint(12, 20))]
    plain = [i for i, f in enumerate(fields) if not any(k in f for k in ("*", "string", "[]", "map"))]
    hot = rng.sample(plain, min(len(plain), rng.randint(2, 4)))
    return ("type H%d struct {\n%s\n}\n" % (idx, "\n".join(fields)), ["F%d" % i for i in hot])


def offsets_program(structs):
    """structs: {name: [(field, type), ...]} -> program printing
    name size and field offsets, as the compiler lays them out."""
    decls, prints = [], []
    for name, fields in structs.items():
        decls.append("type %s struct {\n%s\n}\n" % (name, "\n".join("\t%s %s" % f for f in fields)))
        prints.append('\tfmt.Println("%s", unsafe.Sizeof(%s{}))\n' % (name, name))
        for f, _ in fields:
            prints.append('\tfmt.Println("%s.%s", unsafe.Offsetof(%s{}.%s))\n' % (name, f, name, f))
    return ("package main\n\nimport (\n\t\"fmt\"\n\t\"unsafe\"\n)\n\n" + "".join(decls) +
            "func main() {\n" + "".join(prints) + "}\n")


def part_hot(a):
    errors = []
    rng = random.Random(11)
    decls, hot = [], {}
    for i in range(12):
        d, h = random_hot_struct(rng, i)
        decls.append(d)
        hot["main.H%d" % i] = h
    src = ("package main\n\nimport \"fmt\"\n\n" + "".join(decls) + "".join(
        "var G%d H%d\n" % (i, i) for i in range(12)) + "\nfunc main() {\n" + "".join(
        "\tfmt.Println(&G%d)\n" % i for i in range(12)) + "}\n")
    binary = go_build(a.workdir, "hot", src)
    cfg = os.path.join(a.workdir, "padscan.json")
    with open(cfg, "w") as f:
        json.dump({"types": {n: {"hot": h} for n, h in hot.items()}}, f)
    sug = suggestions(a, binary, "--type", "main.H*", "--config", cfg)
    text = padscan(a, "suggest", "--all", "--type", "main.H*", "--config", cfg, binary).stdout
    structs = {}
    for n, s in sug.items():
        short = n.split(".")[-1]
        structs["New" + short] = [(m["name"], m["type"]) for m in s["new_order"]]
        structs["Hot" + short] = [(m["name"], m["type"]) for m in
                                  sorted(s["new_order"], key=lambda m: (m["name"] not in hot[n],
                                                                         hot[n].index(m["name"]) if m["name"] in hot[n] else 0))]
    truth = {}
    for ln in go_run(a.workdir, "hot_truth", offsets_program(structs)).splitlines():
        k, v = ln.split()
        truth[k] = int(v)
    checked = 0
    for n, s in sug.items():
        short = n.split(".")[-1]
        if truth["New" + short] != s["optimal_size"]:
            errors.append("%s: suggested order is %d bytes, padscan says %d" % (n, truth["New" + short], s["optimal_size"]))
        # is there a minimum-size order with every hot field in the first line(s)?
        # witness: hot fields first, then padscan's order of the rest
        span = max(truth["Hot%s.%s" % (short, f)] + 1 for f in hot[n])
        if truth["Hot" + short] != s["optimal_size"]:
            continue
        checked += 1
        lines = (span + 63) // 64
        got_end = max(truth["New%s.%s" % (short, f)] for f in hot[n])
        if a.self_check and checked == 1:
            lines = 0
        if got_end >= lines * 64:
            errors.append("%s: hot fields %s end at offset %d in the suggested order, but a minimum-size "
                          "order keeps them in the first %d cache line(s)" % (n, hot[n], got_end, lines))
    if checked < 3:
        errors.append("fixture premise: only %d structs have a minimum-size hot-first order" % checked)
    if "hot fields first" in text:
        for block in text.split("\n\n"):
            if "hot fields first" in block:
                name = block.split(":")[0].strip()
                if name in sug:
                    short = name.split(".")[-1]
                    end = max(truth["New%s.%s" % (short, f)] for f in hot[name])
                    if end >= 64 * sug[name]["optimal_hot_cachelines"]:
                        errors.append("%s: says 'hot fields first' but they end at %d" % (name, end))
    return errors


# --- figures --------------------------------------------------------------------
FIGURES_SRC = '''package main

import (
	"fmt"
	"unsafe"
)

// Arena is almost 2 GiB, like a runtime arena: only ever used through a
// pointer.  (Go's linker writes member offsets of 2 GiB and more as negative
// numbers, so every offset stays below.)
type Arena struct {
	Used bool
	N    int64
	Data [1<<31 - 64]byte
	Last bool
}

type Small struct {
	A bool
	B int64
	C bool
}

func (s *Small) Get() int64 { return s.B }

var P *Arena
var S Small

func main() {
	fmt.Println("main.Arena", unsafe.Sizeof(Arena{}))
	fmt.Println("main.Small", unsafe.Sizeof(Small{}))
	fmt.Println(P != nil, S.Get())
}
'''

SCI = re.compile(r"\b\d+(?:\.\d+)?[eE][+-]?\d+\b")


def part_figures(a):
    errors = []
    binary = go_build(a.workdir, "figures", FIGURES_SRC)
    sizes = {}
    for ln in C.run([binary]).stdout.splitlines():
        if ln.startswith("main."):
            sizes[ln.split()[0]] = int(ln.split()[1])
    if sizes.get("main.Arena", 0) < 1 << 30:
        errors.append("fixture premise: Arena is %s bytes" % sizes.get("main.Arena"))
    texts = {
        "analyze": padscan(a, "analyze", "--type", "main.*", "--type", "runtime.m*", binary).stdout,
        "suggest": padscan(a, "suggest", "--all", "--type", "main.*", binary).stdout,
    }
    budget = os.path.join(a.workdir, "budget.json")
    with open(budget, "w") as f:
        json.dump({"rules": [{"types": ["main.Arena"], "max_size": 4096}]}, f)
    for fmt in ("text", "markdown"):
        texts["check " + fmt] = padscan(a, "check", "--budget", budget, "--format", fmt, binary, ok=(1,)).stdout
    # fleet totals of 10^15 bytes and more (cJSON would print "2e+15")
    manifest = os.path.join(a.workdir, "figures-fleet.json")
    with open(manifest, "w") as f:
        json.dump({"services": [{"name": "s", "binary": binary, "replicas": 1, "hot_types": [
            {"type": "main.Small", "instances": 250000000000000}]}]}, f)
    for fmt in ("json", "text", "markdown"):
        texts["fleet " + fmt] = padscan(a, "fleet", "--format", fmt, manifest).stdout
    hot = json.loads(texts["fleet json"])["services"][0]["hot_types"][0]
    if hot["saved_paper"] != (hot["size"] - hot["optimal_size"]) * 250000000000000 or \
            hot["saved_paper"] < 1e15:
        errors.append("fleet json: saved_paper %r is not (size - optimal) x instances >= 1e15: %s"
                      % (hot["saved_paper"], hot))
    if a.self_check:
        texts["planted"] = "x.go:0 1.5e+09"
    for what, text in texts.items():
        for bad in re.findall(r"\S+\.go:0\b", text):
            errors.append("%s prints %s (line unknown: omit it)" % (what, bad))
        for bad in SCI.findall(text):
            errors.append("%s prints a number in scientific notation: %s" % (what, bad))
    if str(sizes.get("main.Arena")) not in texts["check text"]:
        errors.append("check does not print Arena's size %s: %s" % (sizes.get("main.Arena"), texts["check text"]))
    # a percent of a 2 GiB record, or of a total it dominates, means nothing
    arena = texts["analyze"].split("type main.Arena struct")[1].split("}")[0]
    m = re.search(r"waste: \d+ bytes \(([^)]*)\)", arena)
    if not m or m.group(1) != "n/a":
        errors.append("analyze: main.Arena's waste percent is %r, want n/a" % (m.group(1) if m else None))
    js = json.loads(padscan(a, "analyze", "--format", "json", "--type", "main.*", "--type", "runtime.m*",
                            binary).stdout)["binaries"][0]["structs"]
    small = [s for s in js if s["size"] < 1 << 20]
    want = 100.0 * sum(s["waste"] for s in small) / sum(s["size"] for s in small)
    m = re.search(r"bytes of padding \(([\d.]+)%", texts["analyze"])
    if not m or abs(float(m.group(1)) - want) > 0.051:
        errors.append("analyze summary percent %s, want %.1f (records under 1 MiB): %s"
                      % (m.group(1) if m else None, want, texts["analyze"].splitlines()[-1]))
    head = [ln for ln in texts["suggest"].splitlines() if ln.startswith("main.Arena:")]
    if not head or "%" in head[0]:
        errors.append("suggest: main.Arena's headline has a percent: %s" % head)
    errors += huge_cachelines(a)
    errors += wrong_language(a, binary, os.path.join(a.workdir, "huge"))
    return errors


def wrong_language(a, go_binary, c_binary):
    """--format c of a Go binary (and go of a C one) is no empty success."""
    errors = []
    for fmt, binary in (("c", go_binary), ("go", c_binary)):
        p = C.run([a.padscan, "suggest", "--format", fmt, binary])
        if p.returncode != 2 or binary not in p.stderr or p.stdout:
            errors.append("suggest --format %s of %s: rc=%d stdout %r stderr %r"
                          % (fmt, binary, p.returncode, p.stdout[:200], p.stderr))
    return errors


HUGE_C = """#include <stdio.h>
struct huge { char c; char arr[1L << 40]; int x; };
struct huge *p;
int main(void) { printf("%zu\\n", sizeof(struct huge)); return p != 0; }
"""


def huge_cachelines(a):
    """A 1 TiB record spans 2^34 cache lines: counted in full (it was cut to
    32 bits, 1 line), so max_cachelines cannot pass it."""
    src = os.path.join(a.workdir, "huge.c")
    exe = os.path.join(a.workdir, "huge")
    with open(src, "w") as f:
        f.write(HUGE_C)
    C.run(["gcc", "-g", "-o", exe, src], check=True)
    lines = -(-int(C.run([exe]).stdout) // 64)
    doc = json.loads(padscan(a, "analyze", "--format", "json", "--type", "huge", exe).stdout)
    got = doc["binaries"][0]["structs"][0]["cachelines"]
    errors = [] if got == lines else ["huge: cachelines %s, sizeof / 64 says %d" % (got, lines)]
    budget = os.path.join(a.workdir, "huge-budget.json")
    with open(budget, "w") as f:
        json.dump({"rules": [{"types": ["huge"], "max_cachelines": 4}]}, f)
    p = C.run([a.padscan, "check", "--budget", budget, exe])
    if p.returncode != 1 or str(lines) not in p.stdout:
        errors.append("huge: max_cachelines 4 on %d lines: rc=%d %s" % (lines, p.returncode, p.stdout))
    return errors


# --- warnings -------------------------------------------------------------------
CGO_SRC = '''package main

/*
struct point { int x; char tag; long y; };
static long sum(struct point *p) { return p->x + p->y; }
*/
import "C"

import (
	"fmt"
	"reflect"
	"strings"
)

type WithC struct {
	Flag bool
	P    C.struct_point
	N    int64
	Ok   bool
}

type WithCInt struct {
	A bool
	X [2]C.long
	B bool
}

type Outer struct {
	A bool
	W WithC
	B bool
}

type PtrToC struct {
	A bool
	P *C.struct_point
	B bool
}

type Plain struct {
	A bool
	N int64
	B bool
}

var w WithC
var wi WithCInt
var o Outer
var pc PtrToC
var pl Plain

// the same package's unkeyed literal: go vet's composites check is silent
var lit = Plain{true, 1, false}

func holdsC(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		ft := t.Field(i).Type
		for ft.Kind() == reflect.Array {
			ft = ft.Elem()
		}
		if strings.HasPrefix(ft.Name(), "_Ctype_") {
			return true
		}
	}
	return false
}

func main() {
	for _, v := range []interface{}{w, wi, o, pc, pl} {
		t := reflect.TypeOf(v)
		fmt.Println("main."+t.Name(), holdsC(t))
	}
	fmt.Println(C.sum(&w.P) + C.long(lit.N), pc.P == nil)
}
'''

ZW_SRC = r'''
#include <stdio.h>
#include <stddef.h>
struct zw { char a; int :0; char b; int c; char d; };
struct zw_packed { char a; int c; char d; } __attribute__((packed));
struct zw g; struct zw_packed gp;
int main(void) {
    printf("zw %zu %zu\n", _Alignof(struct zw), offsetof(struct zw, b));
    printf("zw_packed %zu %zu\n", _Alignof(struct zw_packed), offsetof(struct zw_packed, c));
    return 0;
}
'''


def part_warnings(a):
    errors = []
    binary = go_build(a.workdir, "cgowarn", CGO_SRC, cgo=True)
    p = C.run([binary])
    if p.returncode != 0:
        raise RuntimeError("cgowarn failed: " + p.stderr)
    shared = {ln.split()[0]: ln.split()[1] == "true" for ln in p.stdout.splitlines()
              if ln.startswith("main.")}
    if a.self_check:
        shared["main.Plain"] = True
    if sum(shared.values()) < 2 or not all(k in shared for k in ("main.Plain", "main.PtrToC")):
        errors.append("fixture premise: reflect says %s" % shared)
    sug = suggestions(a, binary, "--type", "main.*")
    for name, is_shared in shared.items():
        g = sug.get(name)
        if not g or not g["improves"]:
            errors.append("fixture premise: %s does not improve" % name)
            continue
        cgo = [x for x in g["warnings"] if "cgo" in x or " C " in x or "with C" in x]
        if is_shared and not cgo:
            errors.append("%s holds C types (reflect) but has no warning about C: %s" % (name, g["warnings"]))
        if not is_shared and cgo:
            errors.append("%s holds no C type (reflect) but is warned about: %s" % (name, cgo))
        for x in g["warnings"]:
            if "go vet" in x and not re.search(r"(never|not) inside", x):
                errors.append("%s: the warning implies go vet reports same-package literals: %r" % (name, x))
    # premise: go vet is silent about main's own unkeyed literal
    env = C.go_env(a.workdir)
    env["CGO_ENABLED"] = "1"
    p = C.run(["go", "vet", "."], cwd=os.path.join(a.workdir, "src_cgowarn"), env=env)
    if "unkeyed" in p.stdout + p.stderr:
        errors.append("go vet does report same-package unkeyed literals here: %s" % (p.stdout + p.stderr))
    # a zero-width bitfield is not packing
    src = os.path.join(a.workdir, "zw.c")
    with open(src, "w") as f:
        f.write(ZW_SRC)
    zw = os.path.join(a.workdir, "zw")
    p = C.run(["gcc", "-g", "-o", zw, src])
    if p.returncode != 0:
        raise RuntimeError("gcc: " + p.stderr)
    truth = {ln.split()[0]: [int(x) for x in ln.split()[1:]] for ln in C.run([zw]).stdout.splitlines()}
    rep = json.loads(padscan(a, "analyze", "--format", "json", zw).stdout)["binaries"][0]["structs"]
    got = {s["name"]: s for s in rep}
    for name, want_packed in (("zw", False), ("zw_packed", True)):
        s = got.get(name)
        if not s:
            errors.append("%s missing from analyze" % name)
            continue
        if a.self_check and name == "zw":
            want_packed = True
        if s["align"] != truth[name][0]:
            errors.append("%s: align %d, the compiler says %d" % (name, s["align"], truth[name][0]))
        if s["packed"] != want_packed:
            errors.append("%s: packed=%s (compiler: _Alignof %d, member at %d)"
                          % (name, s["packed"], truth[name][0], truth[name][1]))
    for name, g in suggestions(a, zw).items():
        if any("packed" in r for r in g["reasons"]) and not got[name]["packed"]:
            errors.append("%s: a reason says packed: %s" % (name, g["reasons"]))
    return errors


# --- cascade ---------------------------------------------------------------------
LEAF_KINDS = ["bool", "int8", "int16", "int32", "int64", "float64", "*int", "string", "[]byte",
              "[3]byte", "[2]*int", "interface{}", "uint16", "[5]int32"]

PTRDATA_GO = '''
// ptrdata: bytes of a value the GC must scan (the runtime's ptrdata), from reflect
func ptrdata(t reflect.Type) uintptr {
	switch t.Kind() {
	case reflect.Ptr, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.String, reflect.Slice:
		return unsafe.Sizeof(uintptr(0))
	case reflect.Interface:
		return 2 * unsafe.Sizeof(uintptr(0))
	case reflect.Array:
		if t.Len() == 0 || ptrdata(t.Elem()) == 0 {
			return 0
		}
		return uintptr(t.Len()-1)*t.Elem().Size() + ptrdata(t.Elem())
	case reflect.Struct:
		var end uintptr
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if p := ptrdata(f.Type); p > 0 && f.Offset+p > end {
				end = f.Offset + p
			}
		}
		return end
	}
	return 0
}
'''


def random_cascade_source(rng, nleaf, nparent):
    """Leaf structs N*, parents P* holding them by value (also in arrays)."""
    decls, leaves = [], []
    for i in range(nleaf):
        fields = ["\tF%d %s" % (k, rng.choice(LEAF_KINDS)) for k in range(rng.randint(3, 7))]
        decls.append("type N%d struct {\n%s\n}\n" % (i, "\n".join(fields)))
        leaves.append("N%d" % i)
    for i in range(nparent):
        fields = []
        for k in range(rng.randint(3, 8)):
            r = rng.random()
            t = rng.choice(leaves) if r < 0.45 else ("[2]" + rng.choice(leaves)) if r < 0.55 else rng.choice(LEAF_KINDS)
            fields.append("\tG%d %s" % (k, t))
        decls.append("type P%d struct {\n%s\n}\n" % (i, "\n".join(fields)))
    names = leaves + ["P%d" % i for i in range(nparent)]
    return ("package main\n\nimport \"fmt\"\n\n" + "".join(decls) +
            "".join("var g%s %s\n" % (n, n) for n in names) +
            "\nfunc main() {\n" + "".join("\tfmt.Println(&g%s)\n" % n for n in names) + "}\n"), names


def go_type(t, prefix):
    """padscan's spelling of a member type -> Go source, main.X -> prefix+X."""
    return re.sub(r"\bmain\.(\w+)", lambda m: prefix + m.group(1), t).replace("interface {}", "interface{}")


def part_cascade(a):
    errors = []
    rng = random.Random(6)
    checked = ptr_only = kept = 0
    for round_ in range(4):
        src, names = random_cascade_source(rng, 6, 10)
        binary = go_build(a.workdir, "cascade%d" % round_, src)
        fixed = ["main.P%d" % i for i in range(0, 10, 3)]
        cfg = os.path.join(a.workdir, "cascade%d.json" % round_)
        with open(cfg, "w") as f:
            json.dump({"fixed": fixed}, f)
        # nested orders that only lower pointer bytes are opt-in (--pointer-bytes)
        sug = suggestions(a, binary, "--pointer-bytes", "--type", "main.*", "--config", cfg)
        # the suggested order of every struct, nested types in their suggested
        # order too (New*), and the current layouts (Old*)
        decls, prints = [], []
        for n in names:
            g = sug.get("main." + n)
            order = g["new_order"] if g else None
            if order is None:
                errors.append("main.%s: no suggestion" % n)
                continue
            decls.append("type New%s struct {\n%s\n}\n" % (n, "\n".join(
                "\t%s %s" % (m["name"], go_type(m["type"], "New")) for m in order)))
            prints.append('\tfmt.Println("main.%s", unsafe.Sizeof(New%s{}), ptrdata(reflect.TypeOf(New%s{})))\n'
                          % (n, n, n))
        prog = ("package main\n\nimport (\n\t\"fmt\"\n\t\"reflect\"\n\t\"unsafe\"\n)\n\n" +
                "".join(decls) + PTRDATA_GO + "\nfunc main() {\n" + "".join(prints) + "}\n")
        truth = {}
        for ln in go_run(a.workdir, "cascade_truth%d" % round_, prog).splitlines():
            k, size, ptr = ln.split()
            truth[k] = (int(size), int(ptr))
        for n in names:
            g = sug.get("main." + n)
            if not g or ("main." + n) not in truth:
                continue
            size, ptr = truth["main." + n]
            claim = (g["optimal_size"], g["optimal_pointer_bytes"])
            if a.self_check and checked == 0:
                claim = (claim[0], claim[1] + 8)
            checked += 1
            if claim != (size, ptr):
                errors.append("main.%s: padscan says %d bytes, %d pointer bytes; the compiler lays out "
                              "its suggested order (nested types reordered too) in %d bytes, %d pointer "
                              "bytes" % (n, claim[0], claim[1], size, ptr))
            if any("pointer bytes drop" in r for r in g["reasons"]):
                ptr_only += 1
            if g.get("kept"):
                kept += 1
                if g["size_if_nested_unchanged"] != g["size"]:
                    errors.append("main.%s: order kept (%s), yet size_if_nested_unchanged is %d, not its "
                                  "size %d" % (n, g["kept"], g["size_if_nested_unchanged"], g["size"]))
    # C: packed records and unions holding a record that shrinks keep their
    # order; their size with the nested record unchanged is their own (sizeof)
    src = os.path.join(a.workdir, "packed_nest.c")
    with open(src, "w") as f:
        f.write("#include <stdio.h>\n"
                "struct inner { char a; double d; char b; };\n"
                "struct __attribute__((packed)) outer { char t; struct inner in; short s; };\n"
                "#pragma pack(push, 2)\n"
                "struct outer2 { char t; struct inner in; short s; };\n"
                "#pragma pack(pop)\n"
                "union outer3 { struct inner in; long x; };\n"
                "struct outer g; struct outer2 g2; union outer3 g3;\n"
                "int main(void) { printf(\"%zu %zu %zu %zu\\n\", sizeof(struct inner), sizeof(struct outer), "
                "sizeof(struct outer2), sizeof(union outer3)); return 0; }\n")
    cbin = os.path.join(a.workdir, "packed_nest")
    p = C.run(["gcc", "-g", "-o", cbin, src])
    if p.returncode != 0:
        raise RuntimeError("gcc: " + p.stderr)
    inner_size, *outer_sizes = (int(x) for x in C.run([cbin]).stdout.split())
    csug = suggestions(a, cbin)
    i = csug.get("inner")
    if not i or i["optimal_size"] >= inner_size:
        errors.append("fixture premise: inner does not shrink: %s" % i)
    for name, size in zip(("outer", "outer2", "outer3"), outer_sizes):
        o = csug.get(name)
        if not o or o.get("kept") is None:
            errors.append("%s is reordered or missing: %s" % (name, o))
            continue
        got = o["size_if_nested_unchanged"] + (1 if a.self_check else 0)
        checked += 1
        if got != size:
            errors.append("%s (%s): size_if_nested_unchanged %d, sizeof %d" % (name, o["kept"], got, size))
    if checked < 40 or not ptr_only or not kept:
        errors.append("fixture premise: %d structs, %d with nested pointer-only changes, %d kept"
                      % (checked, ptr_only, kept))
    C.log("cascade: %d structs compared, %d with nested pointer-only changes, %d kept" % (checked, ptr_only, kept))
    return errors


PARTS = {"summary": part_summary, "hot": part_hot, "figures": part_figures,
         "warnings": part_warnings, "cascade": part_cascade}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", required=True, choices=sorted(PARTS))
    ap.add_argument("--self-check", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    if not shutil.which("go"):
        C.log("go not found")
        return C.SKIP_RC
    errors = PARTS[a.part](a)
    for e in errors:
        C.log("FAIL: " + e)
    if a.self_check:
        if not errors:
            C.log("self-check: the planted error was NOT detected")
            return 1
        C.log("self-check: planted error detected (%d messages)" % len(errors))
        return 0
    C.log("%s: %s" % (a.part, "FAIL" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
