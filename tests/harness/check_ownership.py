#!/usr/bin/env python3
"""check_ownership.py - whose type is it: own, dependency or std.

Builds Go programs with the system's go (offline) and checks the class
padscan gives every record, and that every command's default looks at the
user's own types only:

  module   a main module `app` that uses
             - `shared`, a dotless monorepo module pulled in by
               `replace shared => ../shared`                       -> own
             - `example.com/localdep`, replaced by a local directory  -> own
             - `example.com/cachedep` v1.0.0, a real module-cache
               dependency served by a file:// GOPROXY made here     -> dependency
  vendor   the same program built with -mod=vendor (go mod vendor): all
           three are compiled from vendor/; cachedep is still a dependency,
           the modules replaced by the user's directories still own
  gopath   a GOPATH-mode program (GO111MODULE=off): invsvc/model     -> own
  paths    where a Go record's methods are (its decl_file) is printed
           relative to the main module's folder (GOPATH mode: GOPATH/src),
           whatever the binary's build: internal/store/store.go, main.go;
           files outside it (the replaced ../shared) stay absolute, and
           -trimpath's module-qualified names are kept as they are
  cgo      a cgo program: main._Ctype_struct_* mirrors are never offered
           for reordering, and a Go struct holding one never counts on it
  c        gcc and clang: records from the compiler's system include
           directories (`cc -E -v`) are std, from a third_party/ folder
           dependency, the rest own

The expected class of a qualified Go type comes from the go command itself:
`go list std` names the standard library's packages; the fixture's own
layout names the rest.  Expected sizes come from the compiler (reflect).

--self-check plants wrong expectations (shared/model a dependency, the
module-cache one own) and exits 0 only if the checks catch them.

Exit status: 0 good, 1 mismatches, 2 harness error, 77 go or padscan missing.
"""

import argparse
import io
import json
import os
import shutil
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

PADDED = """
type %s struct {
	A bool
	B int64
	C bool
	D *int
}
"""

# A method tells where a Go type lives (DWARF gives types no location).
METHOD = """
//go:noinline
func (x *%s) Touch() { x.A = !x.A }
"""

FAILS = []
SELF_CHECK = False


def fail(msg):
    FAILS.append(msg)
    C.log("FAIL: " + msg)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def env_for(wd, **extra):
    env = C.go_env(wd)
    env.update({"GOSUMDB": "off", "GONOSUMDB": "*", "GOFLAGS": "-mod=mod",
                "GOPROXY": "file://" + os.path.join(wd, "proxy")})
    env.update(extra)
    return env


def make_proxy(wd):
    """A file:// module proxy serving example.com/cachedep v1.0.0."""
    mod = "module example.com/cachedep\n\ngo 1.19\n"
    src = "package cachedep\n" + PADDED % "Conf" + """
func New() *Conf { return &Conf{} }
"""
    d = os.path.join(wd, "proxy", "example.com", "cachedep", "@v")
    write(os.path.join(d, "list"), "v1.0.0\n")
    write(os.path.join(d, "v1.0.0.info"), '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}\n')
    write(os.path.join(d, "v1.0.0.mod"), mod)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("example.com/cachedep@v1.0.0/go.mod", mod)
        z.writestr("example.com/cachedep@v1.0.0/cachedep.go", src)
    with open(os.path.join(d, "v1.0.0.zip"), "wb") as f:
        f.write(buf.getvalue())


MAIN = """package main

import (
	"fmt"
	"os"

	"example.com/cachedep"
	"example.com/localdep"
	"shared/model"

	"app/internal/store"
)
""" + PADDED % "Local" + METHOD % "Local" + """
// Holder keeps a dependency's struct by value: its saving must not count on
// reordering it.
type Holder struct {
	X bool
	D cachedep.Conf
	Y bool
}

var sink []interface{}

func main() {
	sink = append(sink, &model.User{}, &Local{}, &Holder{}, cachedep.New(), &localdep.Opt{},
		&store.Cache{})
	(&Local{}).Touch()
	(&store.Cache{}).Touch()
	(&model.User{}).Touch()
	fmt.Fprintln(os.Stderr, len(sink))
}
"""


def make_module(wd):
    write(os.path.join(wd, "shared", "go.mod"), "module shared\n\ngo 1.19\n")
    write(os.path.join(wd, "shared", "model", "model.go"),
          "package model\n" + PADDED % "User" + METHOD % "User")
    write(os.path.join(wd, "app", "internal", "store", "store.go"),
          "package store\n" + PADDED % "Cache" + METHOD % "Cache")
    write(os.path.join(wd, "localdep", "go.mod"), "module example.com/localdep\n\ngo 1.19\n")
    write(os.path.join(wd, "localdep", "opt.go"), "package localdep\n" + PADDED % "Opt")
    write(os.path.join(wd, "app", "go.mod"), """module app

go 1.19

require (
	example.com/cachedep v1.0.0
	example.com/localdep v0.0.0
	shared v0.0.0
)

replace shared => ../shared

replace example.com/localdep => ../localdep
""")
    write(os.path.join(wd, "app", "main.go"), MAIN)


def build(cmd, cwd, env):
    p = C.run(cmd, cwd=cwd, env=env)
    if p.returncode != 0:
        raise RuntimeError("%s failed in %s:\n%s%s" % (" ".join(cmd), cwd, p.stdout, p.stderr))
    return p


def padscan(ps, args, ok=(0, 1)):
    p = C.run([ps] + args)
    if p.returncode not in ok:
        raise RuntimeError("padscan %s: rc=%d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def records(ps, binary, *flags):
    doc = json.loads(padscan(ps, ["analyze", "--format", "json"] + list(flags) + [binary]).stdout)
    return {s["name"]: s for b in doc["binaries"] for s in b["structs"]}


def offered(doc):
    """Records suggest lists: shrinking ones, and those whose saving stays
    inside the allocator's size class (listed apart as same_class)."""
    return {x["name"]: x for b in doc["binaries"]
            for key in ("suggestions", "same_class") for x in b.get(key) or []}


def package_of(name):
    """Package path of a qualified Go type name, None for literal types."""
    if name.startswith("struct"):
        return None
    head = name.split("[", 1)[0]
    cut = head.rfind("/")
    dot = head.find(".", cut + 1)
    return head[:dot] if dot > 0 else None


def check_classes(what, recs, std_pkgs, expect_own, expect_dep):
    """Every qualified record's class against go list std and the fixture."""
    seen = set()
    for name, s in recs.items():
        pkg = package_of(name)
        if pkg is None:
            continue
        if pkg in expect_own or pkg == "main":
            want = "own"
        elif pkg in expect_dep:
            want = "dependency"
        elif pkg in std_pkgs:
            want = "std"
        else:
            fail("%s: %s: package %s is neither the fixture's nor `go list std`'s" % (what, name, pkg))
            continue
        seen.add(pkg)
        if s.get("class") != want:
            fail("%s: %s is %s, expected %s" % (what, name, s.get("class"), want))
    if "struct {}" in recs and recs["struct {}"].get("class") != "std":
        fail("%s: struct {} (the language's, in every binary) is %s, expected std"
             % (what, recs["struct {}"].get("class")))
    for pkg in list(expect_own) + list(expect_dep):
        if pkg not in seen:
            fail("%s: no record of package %s in --all-types" % (what, pkg))
    C.log("%s: classes of %d records checked" % (what, len(recs)))


def check_defaults(ps, what, binary, own, deps, wd):
    """analyze/suggest/check default to own types; switches add the rest."""
    default = records(ps, binary)
    with_deps = records(ps, binary, "--include-deps")
    every = records(ps, binary, "--all-types")
    for name, s in default.items():
        if s["class"] != "own":
            fail("%s: analyze's default shows %s (%s)" % (what, name, s["class"]))
    for name in own:
        if name not in default:
            fail("%s: analyze's default lacks own type %s" % (what, name))
    for name in deps:
        if name in default or name not in with_deps:
            fail("%s: dependency %s: in default %s, with --include-deps %s" % (
                what, name, name in default, name in with_deps))
    if not any(s["class"] == "std" for s in every.values()) or \
            any(s["class"] == "std" for s in with_deps.values()):
        fail("%s: --all-types must add the standard library, --include-deps must not" % what)
    text = padscan(ps, ["analyze", binary]).stdout
    if "class: dependency" in text or "class: std" in text or "class: own" not in text:
        fail("%s: analyze text default shows non-own records or no class" % what)
    if "your own types only" not in text.splitlines()[-1]:
        fail("%s: analyze's closing line does not say it shows own types only" % what)
    text = padscan(ps, ["analyze", "--all-types", binary]).stdout
    if "your own" in text.splitlines()[-1]:
        fail("%s: analyze --all-types says it shows own types only" % what)
    if "class: std" not in text:
        fail("%s: analyze --all-types text says no `class: std`" % what)
    # --type naming a standard-library type includes it.
    std_name = sorted(n for n, s in every.items() if s["class"] == "std")[0]
    named = records(ps, binary, "--type", std_name)
    if std_name not in named or named[std_name]["class"] != "std":
        fail("%s: --type %s does not include it" % (what, std_name))
    # suggest: own types are suggested, dependencies only with --include-deps.
    sug = json.loads(padscan(ps, ["suggest", "--format", "json", binary]).stdout)
    names = set(offered(sug))
    for name in own:
        if name not in names:
            fail("%s: suggest does not offer own type %s (has %s)" % (what, name, sorted(names)))
    for name in deps:
        if name in names:
            fail("%s: suggest offers dependency %s by default" % (what, name))
    sug = json.loads(padscan(ps, ["suggest", "--format", "json", "--include-deps", binary]).stdout)
    names_deps = set(offered(sug))
    for name in deps:
        if name not in names_deps:
            fail("%s: suggest --include-deps does not offer %s" % (what, name))
    # check: a budget every padded record fails; own types are checked.
    budget = os.path.join(wd, "budget.json")
    write(budget, json.dumps({"rules": [{"types": ["*"], "max_waste": 0}]}))
    p = padscan(ps, ["check", "--budget", budget, "--format", "json", binary])
    doc = json.loads(p.stdout)
    checked = {r.get("type") for r in doc.get("results", [])}
    if p.returncode != 1:
        fail("%s: check on padded own types exits %d, expected 1\n%s" % (what, p.returncode, p.stdout[-800:]))
    for name in own:
        if name not in checked:
            fail("%s: check does not check own type %s (checked %s)" % (what, name, sorted(checked)[:10]))
    for name in deps:
        if name in checked:
            fail("%s: check checks dependency %s by default" % (what, name))
    p = padscan(ps, ["check", "--budget", budget, "--format", "json", "--type", deps[0], binary]) \
        if deps else None
    if p is not None and deps[0] not in {r.get("type") for r in json.loads(p.stdout).get("results", [])}:
        fail("%s: --type %s does not include the dependency" % (what, deps[0]))
    # a rule naming only a dependency's types says why it matches nothing.
    if deps:
        dep_budget = os.path.join(wd, what + ".dep-budget.json")
        write(dep_budget, json.dumps({"rules": [{"types": [deps[0]], "max_waste": 0}]}))
        p = padscan(ps, ["check", "--budget", dep_budget, binary], ok=(0, 1, 2))
        if p.returncode != 2 or "--include-deps" not in p.stderr:
            fail("%s: a rule for dependency %s: rc=%d %s" % (what, deps[0], p.returncode, p.stderr))
        p = padscan(ps, ["check", "--budget", dep_budget, "--include-deps", binary])
        if p.returncode != 1:
            fail("%s: check --include-deps on %s: rc=%d" % (what, deps[0], p.returncode))
    # a saved report gives the same classes and the same selection.
    report = os.path.join(wd, what + ".report.json")
    padscan(ps, ["analyze", "--format", "json", "--all-types", "-o", report, binary])
    p = padscan(ps, ["check", "--budget", budget, "--format", "json", report])
    from_report = {r.get("type") for r in json.loads(p.stdout).get("results", [])}
    if from_report != checked:
        fail("%s: check on the saved report checks %s, on the binary %s" % (
            what, sorted(from_report)[:8], sorted(checked)[:8]))
    # a report written before classes ("foreign": true on the standard
    # library's records, nothing on the others) still reads: its std
    # records stay out by default; it knows no dependencies, so those are
    # taken for own.
    with open(report) as f:
        doc = json.load(f)
    doc["selection"].pop("classes", None)
    for b in doc["binaries"]:
        for s in b["structs"]:
            if s.pop("class") == "std":
                s["foreign"] = True
    old_report = os.path.join(wd, what + ".old.json")
    write(old_report, json.dumps(doc))
    p = padscan(ps, ["check", "--budget", budget, "--format", "json", old_report])
    from_old = {r.get("type") for r in json.loads(p.stdout).get("results", [])}
    if from_old != checked | set(deps):
        fail("%s: check on a pre-class report checks %s, expected %s" % (
            what, sorted(from_old)[:8], sorted(checked | set(deps))[:8]))
    p = padscan(ps, ["check", "--budget", budget, "--format", "json", "--all-types", old_report])
    if len({r.get("type") for r in json.loads(p.stdout).get("results", [])}) <= len(from_old):
        fail("%s: check --all-types on a pre-class report adds no std records" % what)
    # diff: the report and the binary are the same records, whatever the
    # classes asked for.
    for flags in ([], ["--include-deps"], ["--all-types"]):
        p = padscan(ps, ["diff", "--format", "json"] + flags + [report, binary])
        changes = json.loads(p.stdout).get("changes")
        if changes:
            fail("%s: diff %s report binary: %s" % (what, flags, changes[:3]))
    # a default report holds own types only: asking it for more is refused.
    own_report = os.path.join(wd, what + ".own.json")
    padscan(ps, ["analyze", "--format", "json", "-o", own_report, binary])
    with open(own_report) as f:
        doc = json.load(f)
    if doc["selection"].get("classes") != ["own"] or \
            any(s["class"] != "own" for b in doc["binaries"] for s in b["structs"]):
        fail("%s: default report: selection %s" % (what, doc["selection"]))
    p = padscan(ps, ["check", "--budget", budget, "--all-types", own_report], ok=(0, 1, 2))
    if p.returncode != 2 or "--all-types" not in p.stderr:
        fail("%s: check --all-types on an own-only report: rc=%d %s" % (what, p.returncode, p.stderr))
    C.log("%s: defaults checked (%d own, %d with deps, %d in all)" % (
        what, len(default), len(with_deps), len(every)))


def module_case(ps, wd, std_pkgs):
    make_proxy(wd)
    make_module(wd)
    app = os.path.join(wd, "app")
    env = env_for(wd)
    build(["go", "build", "-o", "app", "."], app, env)
    own = ["main.Local", "shared/model.User", "example.com/localdep.Opt", "app/internal/store.Cache"]
    deps = ["example.com/cachedep.Conf"]
    recs = records(ps, os.path.join(app, "app"), "--all-types")
    own_pkgs = {"shared/model", "example.com/localdep", "app/internal/store"}
    dep_pkgs = {"example.com/cachedep"}
    if SELF_CHECK:  # a planted wrong expectation the checks must catch
        own_pkgs, dep_pkgs = {"example.com/cachedep", "example.com/localdep"}, {"shared/model"}
        own, deps = ["main.Local", "example.com/cachedep.Conf"], ["shared/model.User"]
        check_classes("module", recs, std_pkgs, own_pkgs, dep_pkgs)
        check_defaults(ps, "module", os.path.join(app, "app"), own, deps, wd)
        return
    check_classes("module", recs, std_pkgs, own_pkgs, dep_pkgs)
    check_defaults(ps, "module", os.path.join(app, "app"), own, deps, wd)
    check_paths("module", ps, os.path.join(app, "app"), app, {
        "main.Local": "main.go", "app/internal/store.Cache": "internal/store/store.go",
        "shared/model.User": os.path.join(os.path.realpath(wd), "shared", "model", "model.go")})
    trim = os.path.join(wd, "app-trim")
    build(["go", "build", "-trimpath", "-o", trim, "."], app, env)
    check_paths("trimpath", ps, trim, None, {
        "main.Local": "app/main.go", "app/internal/store.Cache": "app/internal/store/store.go",
        # go's own spelling of a replaced module ("shared@v0.0.0/..."), kept
        "shared/model.User": lambda f: f and not f.startswith("/") and f.endswith("/model/model.go")})
    check_cascade(ps, os.path.join(app, "app"), "main.Holder", "example.com/cachedep.Conf")
    check_fleet(ps, wd, os.path.join(app, "app"), "shared/model.User", "example.com/cachedep.Conf")
    # vendored (go mod vendor, -mod=vendor): every module is compiled from
    # vendor/, but the modules replaced by the user's directories are still
    # the user's; the module-cache one is a dependency.
    vapp = os.path.join(wd, "vapp")
    shutil.copytree(app, vapp)
    build(["go", "mod", "vendor"], vapp, env)
    build(["go", "build", "-o", "app", "."], vapp, env_for(wd, GOFLAGS="-mod=vendor"))
    recs = records(ps, os.path.join(vapp, "app"), "--all-types")
    if not os.path.isdir(os.path.join(vapp, "vendor", "example.com", "cachedep")):
        raise RuntimeError("go mod vendor did not vendor example.com/cachedep")
    check_classes("vendor", recs, std_pkgs, {"shared/model", "example.com/localdep", "app/internal/store"},
                  {"example.com/cachedep"})
    check_defaults(ps, "vendor", os.path.join(vapp, "app"), own, deps, wd)


def check_paths(what, ps, binary, root, want):
    """decl_file of each named record, and the binary's source_root (the
    main module's folder as the test made it; None: no root)."""
    doc = json.loads(padscan(ps, ["analyze", "--all-types", "--format", "json", binary]).stdout)
    b = doc["binaries"][0]
    have_root = b.get("source_root")
    if (have_root and os.path.realpath(have_root)) != (root and os.path.realpath(root)):
        fail("%s: source_root %r, expected %r" % (what, have_root, root))
    recs = {s["name"]: s for s in b["structs"]}
    for name, path in want.items():
        got = recs.get(name, {}).get("decl_file")
        if (not path(got)) if callable(path) else got != path:
            fail("%s: %s decl_file %r, expected %r" % (what, name, got, path))
    C.log("%s: decl_file of %d records, source_root %r" % (what, len(want), have_root))


def check_cascade(ps, binary, holder, dep):
    """The holder's optimum never counts on the dependency shrinking."""
    sug = json.loads(padscan(ps, ["suggest", "--all", "--format", "json", "--type", holder,
                                  "--type", dep, binary]).stdout)
    by = offered(sug)
    d, h = by.get(dep), by.get(holder)
    if not d or not h:
        fail("cascade: suggest --all lacks %s or %s" % (holder, dep))
        return
    if d["optimal_size"] != d["size"]:
        fail("cascade: %s is reordered without --include-deps" % dep)
    if any(dep in r for r in h.get("reasons", [])):
        fail("cascade: %s's saving counts on reordering %s: %s" % (holder, dep, h["reasons"]))


def check_fleet(ps, wd, binary, own, dep):
    """fleet prices the user's dotless-module type as reorderable (it said
    "already optimal"), a dependency's only with --include-deps."""
    manifest = os.path.join(wd, "fleet.json")
    write(manifest, json.dumps({"services": [{"name": "app", "binary": binary, "replicas": 2,
                                              "hot_types": [{"type": own, "instances": 1000},
                                                            {"type": dep, "instances": 1000}]}]}))
    sug = json.loads(padscan(ps, ["suggest", "--all", "--format", "json", "--include-deps",
                                  "--type", own, "--type", dep, binary]).stdout)
    best = {n: x["optimal_size"] for n, x in offered(sug).items()}
    for flags, dep_editable in (([], False), (["--include-deps"], True)):
        doc = json.loads(padscan(ps, ["fleet", "--format", "json"] + flags + [manifest]).stdout)
        hot = {h["type"]: h for h in doc["services"][0]["hot_types"]}
        if hot[own]["optimal_size"] != best[own] or hot[own]["optimal_size"] >= hot[own]["size"]:
            fail("fleet %s: %s priced at %s, suggest's optimum is %s" % (
                flags, own, hot[own]["optimal_size"], best[own]))
        want = best[dep] if dep_editable else hot[dep]["size"]
        if hot[dep]["optimal_size"] != want:
            fail("fleet %s: dependency %s priced at %s, expected %s" % (
                flags, dep, hot[dep]["optimal_size"], want))
    # from a report written by analyze's default (own types only), a
    # dependency's hot type is missing, and the error says why.
    report = os.path.join(wd, "fleet-own.json")
    padscan(ps, ["analyze", "--format", "json", "-o", report, binary])
    write(manifest, json.dumps({"services": [{"name": "app", "report": report, "go_version": "go1.19",
                                              "hot_types": [{"type": dep, "instances": 1},
                                                            {"type": own, "instances": 1}],
                                              "replicas": 1}]}))
    p = padscan(ps, ["fleet", manifest], ok=(0, 1, 2, 3))
    if p.returncode != 2 or "--all-types" not in p.stderr:
        fail("fleet: a dependency's hot type missing from an own-only report: rc=%d %s" % (
            p.returncode, p.stderr))
    C.log("fleet: own and dependency hot types priced by class")


def gopath_case(ps, wd, std_pkgs):
    gp = os.path.join(wd, "gopath-mode")
    write(os.path.join(gp, "src", "invsvc", "model", "model.go"),
          "package model\n" + PADDED % "Item" + METHOD % "Item")
    write(os.path.join(gp, "src", "invsvc", "cmd", "server", "main.go"), """package main

import (
	"fmt"
	"os"

	"invsvc/model"
)

var sink []interface{}

func main() {
	sink = append(sink, &model.Item{})
	(&model.Item{}).Touch()
	fmt.Fprintln(os.Stderr, len(sink))
}
""")
    env = C.go_env(wd)
    env.update({"GO111MODULE": "off", "GOPATH": gp, "GOFLAGS": ""})
    out = os.path.join(gp, "server")
    build(["go", "build", "-o", out, "invsvc/cmd/server"], gp, env)
    recs = records(ps, out, "--all-types")
    check_classes("gopath", recs, std_pkgs, {"invsvc/model"}, set())
    check_defaults(ps, "gopath", out, ["invsvc/model.Item"], [], wd)
    check_paths("gopath", ps, out, os.path.join(gp, "src"), {"invsvc/model.Item": "invsvc/model/model.go"})


def cgo_case(ps, wd):
    d = os.path.join(wd, "cgo")
    write(os.path.join(d, "go.mod"), "module cgoapp\n\ngo 1.19\n")
    write(os.path.join(d, "main.go"), """package main

/*
struct pt { char a; long b; char c; long d; int e; };
static long sum(struct pt *p) { return p->a + p->b + p->c + p->d + p->e; }
*/
import "C"

import (
	"fmt"
	"os"
)

// Wrap holds cgo's mirror of struct pt by value.
type Wrap struct {
	Flag bool
	P    C.struct_pt
	N    int64
	More bool
}

var sink []interface{}

func main() {
	w := &Wrap{}
	sink = append(sink, w)
	fmt.Fprintln(os.Stderr, C.sum(&w.P))
}
""")
    env = C.go_env(wd)
    env.update({"CGO_ENABLED": "1"})
    build(["go", "build", "-o", "cgoapp", "."], d, env)
    binary = os.path.join(d, "cgoapp")
    sug = json.loads(padscan(ps, ["suggest", "--all", "--format", "json", "--all-types",
                                  binary]).stdout)
    mirrors = 0
    for s in offered(sug).values():
        if "_Ctype_" in s["name"]:
            mirrors += 1
            if s["optimal_size"] != s["size"] or s.get("improves"):
                fail("cgo: mirror %s is offered for reordering" % s["name"])
        elif any("_Ctype_" in r for r in s.get("reasons", [])):
            fail("cgo: %s counts on reordering a cgo mirror: %s" % (s["name"], s["reasons"]))
    if not mirrors:
        fail("cgo: no _Ctype_ record found in suggest --all --all-types")
    # The mirror has holes a Go-side reorder would close (cgo makes only
    # the tail padding an explicit field): it must say why it is kept.
    rec = records(ps, binary, "--all-types").get("main._Ctype_struct_pt")
    if not rec or not rec.get("holes"):
        fail("cgo: main._Ctype_struct_pt missing or without holes: the fixture tests nothing")
    sug = json.loads(padscan(ps, ["suggest", "--format", "json", binary]).stdout)
    names = set(offered(sug))
    if any("_Ctype_" in n for n in names):
        fail("cgo: suggest offers a cgo mirror: %s" % sorted(names))
    if "main.Wrap" not in names:
        fail("cgo: suggest does not offer main.Wrap (has %s)" % sorted(names))
    C.log("cgo: %d mirrors kept" % mirrors)


def system_include_dirs(cc):
    """The compiler's own system include directories (gcc -E -v)."""
    p = C.run([cc, "-xc", "-E", "-v", "/dev/null"], check=True)
    dirs, on = [], False
    for line in p.stderr.splitlines():
        if line.startswith("#include <...> search starts here"):
            on = True
        elif line.startswith("End of search list"):
            on = False
        elif on:
            dirs.append(os.path.realpath(line.strip()))
    if not dirs:
        raise RuntimeError("%s -E -v printed no system include directories" % cc)
    return dirs


def c_case(ps, wd):
    """C: system headers std, a third_party/ folder dependency, the rest own."""
    d = os.path.join(wd, "cproj")
    write(os.path.join(d, "include", "own.h"), "struct own_rec { char a; long b; char c; };\n")
    write(os.path.join(d, "third_party", "lib", "lib.h"),
          "struct lib_conf { char a; long b; char c; };\n")
    write(os.path.join(d, "main.c"), """#include <stdio.h>
#include <time.h>
#include "own.h"
#include "lib.h"
struct own_rec r; struct lib_conf l; struct timespec ts;
int main(void) { FILE *f = stdout; return fprintf(f, "%d", (int)(sizeof r + sizeof l + sizeof ts)) < 0; }
""")
    for cc in ("gcc", "clang"):
        if not shutil.which(cc):
            continue
        sysdirs = system_include_dirs(cc)
        out = os.path.join(d, "prog-" + cc)
        build([cc, "-g", "-O0", "-Iinclude", "-Ithird_party/lib", "-o", out, "main.c"], d, None)
        recs = records(ps, out, "--all-types")
        n = 0
        for name, s in recs.items():
            f = s.get("decl_file") or ""
            full = os.path.realpath(os.path.join(d, f))
            if any(full.startswith(x + "/") for x in sysdirs):
                want = "std"
            elif "/third_party/" in full:
                want = "dependency"
            else:
                want = "own"
            n += 1
            if s.get("class") != want:
                fail("c/%s: %s (%s) is %s, expected %s" % (cc, name, f, s.get("class"), want))
        for name, want in (("own_rec", "own"), ("lib_conf", "dependency"), ("timespec", "std")):
            if (recs.get(name) or {}).get("class") != want:
                fail("c/%s: %s missing or not %s" % (cc, name, want))
        check_defaults(ps, "c-" + cc, out, ["own_rec"], ["lib_conf"], wd)
        C.log("c/%s: classes of %d records checked" % (cc, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--case", action="append", choices=["module", "gopath", "cgo", "c"])
    ap.add_argument("--self-check", action="store_true",
                    help="plant wrong expected classes (module case): must be caught")
    args = ap.parse_args()
    global SELF_CHECK
    SELF_CHECK = args.self_check
    cases = args.case or ["module", "gopath", "cgo", "c"]
    if (not shutil.which("go") and cases != ["c"]) or not os.path.exists(args.padscan):
        C.log("go or padscan missing")
        return C.SKIP_RC
    wd = os.path.abspath(args.workdir)
    if os.path.exists(wd):
        shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    std_pkgs = set()
    if cases != ["c"]:
        std_pkgs = set(C.run(["go", "list", "std"], env=C.go_env(wd), check=True).stdout.split())
    try:
        if "module" in cases:
            module_case(args.padscan, wd, std_pkgs)
        if "gopath" in cases:
            gopath_case(args.padscan, wd, std_pkgs)
        if "cgo" in cases:
            cgo_case(args.padscan, wd)
        if "c" in cases:
            c_case(args.padscan, wd)
    except (RuntimeError, ValueError, KeyError) as e:
        C.log("harness error: %s" % e)
        return 2
    C.log("%d failure(s)" % len(FAILS))
    if SELF_CHECK:
        caught = any("shared/model.User" in f for f in FAILS) and \
            any("cachedep.Conf" in f for f in FAILS)
        C.log("self-check: the planted expectations were %s" % ("caught" if caught else "MISSED"))
        return 0 if caught else 1
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
