#!/usr/bin/env python3
"""check_suggest_c.py - prove `padscan suggest` C output: the compiler must lay
out padscan's proposed definitions exactly as padscan's JSON says.

For one configuration (compiler x DWARF version x -O x -m64/-m32):
  1. compile tests/fixtures/c/fixture.c, the export corpus
     tests/fixtures/c_exports/exports.c (and, with --samples, every C sample
     service samples/c/<svc>/<svc>.c) with that configuration;
  2. run `padscan suggest --all --format json BIN` and
     `padscan suggest --all --format c --rename-prefix ps_opt_ BIN`;
  3. write a checker TU: the fixture (sample) headers, then padscan's C
     output, then `_Static_assert(sizeof(struct ps_opt_X) == optimal_size)`,
     `offsetof` == new_order offset and member sizeof == new_order size for
     every named non-bitfield member (members of C11 anonymous members are
     named through the outer type, members of anonymous-typed named members
     as `outer.inner`); bitfields: `T g = {.f = -1}` images read from the .o
     and a runtime probe (set all ones, find the bits; run natively or under
     qemu-user) against the new_order bit positions;
  4. compile with the SAME compiler and target flags: the compiler is the
     oracle.  Every suggestion that has a C name must be defined by the C
     output; new_order must be a permutation of old_order.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402
from check_c import (Check, Mismatches, anon_key, compile_checker,  # noqa: E402
                     generate_checker, ERR_RE)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "c")
DEFAULT_SAMPLES = os.path.join(ROOT, "samples", "c")
# the export corpus: every field kind the C reader supports (issue 9)
DEFAULT_EXPORTS = os.path.join(ROOT, "tests", "fixtures", "c_exports")
SAMPLES = ("weapons", "analytics", "backups")
PREFIX = "ps_opt_"
PLANTED = {}   # --self-check: id of the perturbed check, caught?
SYS_INCLUDES = ["stdint.h", "stddef.h", "stdio.h", "stdlib.h", "string.h", "stdbool.h"]


def run_suggest(padscan, binary, extra):
    cmd = [padscan, "suggest", "--all"] + extra + [binary]
    p = C.run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (rc=%d): %s\n%s" % (
            p.returncode, " ".join(cmd), p.stderr[-3000:]))
    return p.stdout


def renamed(ctype):
    """'struct X' -> 'struct ps_opt_X'; typedef 'X' -> 'ps_opt_X'."""
    m = re.match(r"^(struct|union)\s+(\w+)$", ctype)
    if m:
        return "%s %s%s" % (m.group(1), PREFIX, m.group(2))
    if re.match(r"^\w+$", ctype):
        return PREFIX + ctype
    return None


def defined_in(text, rname):
    m = re.match(r"^(struct|union) (\w+)$", rname)
    if m:
        return re.search(r"\b%s\s+%s\s*(__attribute__\s*\(\(.*?\)\)\s*)*\{" % (
            m.group(1), re.escape(m.group(2))), text) is not None
    return re.search(r"\}\s*(__attribute__\s*\(\(.*?\)\)\s*)*%s\s*;"
                     % re.escape(rname), text) is not None


def is_bitfield(m):
    return (m.get("bit_size") or 0) > 0


def anon_type(t):
    return re.match(r"^(struct|union)\s*\{", t or "") is not None


class SuggestPlanner:
    """Turns padscan's suggest JSON into compile-time checks."""

    def __init__(self, sugg, mm, ctext):
        self.sugg = sugg
        self.mm = mm
        self.ctext = ctext
        self.checks = []
        self.nstructs = self.nmembers = 0

    def new(self, *a, **k):
        c = Check(len(self.checks) + 1, *a, **k)
        self.checks.append(c)
        return c

    def children(self, s):
        # anonymous records are named by their place: "outer.u",
        # "outer.(anonymous union 1)"
        pre = (s.get("name") or "") + "."
        kids = [k for k in self.sugg if (k.get("name") or "").startswith(pre)
                and "." not in k["name"][len(pre):]]

        def line(k):
            return k.get("decl_line") or 0
        return sorted(kids, key=line)

    def link(self, s):
        """new_order index -> child suggestion, for anonymous-typed members."""
        old = s.get("old_order") or []
        new = s.get("new_order") or []
        kids = self.children(s)
        olds = [i for i, m in enumerate(old) if anon_type(m.get("type")) or not m.get("name")]
        by_old = {}
        free = list(kids)
        for i in olds:   # declaration order <-> children sorted by line
            kind = (re.match(r"^(struct|union)", old[i].get("type") or "") or [None, None])[1]
            for k in free:
                if kind is None or k.get("kind") == kind:
                    by_old[i] = k
                    free.remove(k)
                    break
        for k in free:
            self.mm.add(s["name"], None, "anonymous child suggestion linked to a member",
                        "a member", "none (%s)" % k["name"])
        # old index -> new index: named members by name, anonymous ones in
        # order of (type) occurrence
        links = {}
        used = set()
        for oi, k in by_old.items():
            om = old[oi]
            for ni, nm in enumerate(new):
                if ni in used:
                    continue
                if om.get("name"):
                    if nm.get("name") == om.get("name"):
                        break
                elif not nm.get("name") and nm.get("type") == om.get("type"):
                    break
            else:
                self.mm.add(s["name"], om.get("name") or "<anonymous #%d>" % oi,
                            "member present in new_order", "present", "missing")
                continue
            used.add(ni)
            links[ni] = k
        return links

    def suffixed(self):
        """(name, decl_file) -> the tag the output gives a type whose tag
        another type took ("struct ps_opt_ctx_2", its comment says so)."""
        out = {}
        for m in re.finditer(r"/\* padscan: (\S+) \(([^)]*)\), [^\n]*?another type is named "
                             r"[^\n]*\*/\n(?:#pragma[^\n]*\n)?(struct|union) (\w+) ",
                             self.ctext):
            out[(m.group(1), m.group(2))] = "%s %s" % (m.group(3), m.group(4))
        return out

    def plan(self):
        suffixed = self.suffixed()
        for s in self.sugg:
            ct = s.get("ctype")
            if not ct:
                continue
            # the comment names the file as the repository does (repo_file),
            # which is decl_file when the build is inside the repository
            rname = (suffixed.get((s.get("name"), s.get("repo_file"))) or
                     suffixed.get((s.get("name"), s.get("decl_file"))) or renamed(ct))
            if rname is None:
                self.mm.note("no C name for %r (ctype %r): skipped" % (s.get("name"), ct))
                continue
            if not defined_in(self.ctext, rname):
                self.mm.add(s["name"], None, "defined in --format c output", rname, "missing")
                continue
            self.nstructs += 1
            self.new(s["name"], None, "sizeof == optimal_size", s.get("optimal_size"),
                     "sizeof(%s)" % rname)
            self.visit(s, rname, 0, "", s["name"])
        self.permutation_checks()

    def visit(self, s, root, base, prefix, label):
        links = self.link(s)
        for i, m in enumerate(s.get("new_order") or []):
            name = m.get("name") or ""
            off = base + (m.get("offset") or 0)
            if not name:
                if i in links:
                    self.visit(links[i], root, off, prefix, label)
                else:
                    self.mm.add(label, "<anonymous #%d>" % i, "suggestion for anonymous member",
                                "present", "missing")
                continue
            desig = prefix + name
            self.nmembers += 1
            if is_bitfield(m):
                self.new(label, desig, "bitfield", (off * 8 + (m.get("bit_offset") or 0),
                                                    m.get("bit_size")),
                         None, kind="bitfield", bit=(root, desig))
                continue
            self.new(label, desig, "offsetof", off, "__builtin_offsetof(%s, %s)" % (root, desig))
            if (m.get("size") or 0) > 0:
                self.new(label, desig, "sizeof(member)", m.get("size"),
                         "sizeof(((%s *)0)->%s)" % (root, desig))
            if i in links:
                self.visit(links[i], root, off, desig + ".", label)

    def permutation_checks(self):
        for s in self.sugg:
            key = lambda m: (m.get("name") or "", m.get("type") or "", m.get("bit_size") or 0)  # noqa: E731
            o = sorted(map(key, s.get("old_order") or []))
            n = sorted(map(key, s.get("new_order") or []))
            if o != n:
                self.mm.add(s.get("name"), None, "new_order is a permutation of old_order",
                            o, n)


def check_target(args, label, src_c, headers, cflags, gflags, wd, perturb, standalone=False):
    mm = Mismatches("%s %s" % (args.cfg, label))
    os.makedirs(wd, exist_ok=True)
    binary = os.path.join(wd, label)
    srcs = src_c if isinstance(src_c, list) else [src_c]
    cmd = [args.compiler, "-std=gnu11"] + cflags + gflags + srcs + ["-o", binary]
    p = C.run(cmd)
    if p.returncode != 0:
        C.log("ERROR: compile failed: %s\n%s" % (" ".join(cmd), p.stderr[-3000:]))
        return 2, mm
    try:
        doc = json.loads(run_suggest(args.padscan, binary, ["--format", "json"]))
        ctext = run_suggest(args.padscan, binary, ["--format", "c", "--rename-prefix", PREFIX])
    except RuntimeError as e:
        mm.add("<padscan>", None, "run", "success", str(e)[:1500])
        return 1, mm
    b = C.pick_binary(doc, binary)
    sugg = b.get("suggestions") or []
    exp_ptr = 4 if args.arch == "m32" else 8
    if b.get("ptr_size") != exp_ptr:
        mm.add("<binary>", None, "ptr_size", exp_ptr, b.get("ptr_size"))
    for s in sugg:
        if s.get("proven_optimal") is not True:
            mm.note("%s: proven_optimal is %r" % (s.get("name"), s.get("proven_optimal")))
        if s.get("optimal_size", 0) > s.get("size", 0):
            mm.add(s.get("name"), None, "optimal_size <= size", "<= %s" % s.get("size"),
                   s.get("optimal_size"))
    sugg_h = os.path.join(wd, "ps_suggest_%s.h" % label)
    with open(sugg_h, "w") as f:
        f.write("/* padscan suggest --all --format c --rename-prefix %s %s */\n" % (PREFIX, label))
        f.write(ctext)
    # --rename-prefix renames every reference to a type the output defines,
    # self-pointers (struct connection *next) and function pointers too
    code = re.sub(r"/\*.*?\*/", "", ctext, flags=re.S)
    for s in sugg:
        m = re.match(r"^(struct|union) (\w+)$", s.get("ctype") or "")
        if m and defined_in(code, "%s %s%s" % (m.group(1), PREFIX, m.group(2))):
            for hit in re.finditer(r"\b%s\s+%s\b" % (m.group(1), m.group(2)), code):
                line = code[:hit.start()].count("\n") + 1
                mm.add(s.get("name"), None, "--rename-prefix renames references",
                       "%s %s%s" % (m.group(1), PREFIX, m.group(2)),
                       "%s (output line %d)" % (hit.group(0), line))
    if standalone:
        # the corpus's records refer only to each other: without a prefix the
        # output replaces the header, so it must compile on its own (an enum
        # declared in a record keeps its definition; no struct twice)
        plain = run_suggest(args.padscan, binary, ["--format", "c"])
        alone = os.path.join(wd, "ps_alone_%s.c" % label)
        with open(alone, "w") as f:
            f.write("".join("#include <%s>\n" % h for h in SYS_INCLUDES) + plain)
        r = C.run([args.compiler] + cflags + ["-std=gnu11", "-w", "-c", alone, "-o",
                                              os.path.join(wd, "ps_alone.o")])
        for ln in [ln for ln in r.stderr.splitlines() if "error" in ln][:20]:
            mm.add(label, None, "--format c output compiles in place of the header",
                   "no error", ln.strip())
    # the C output alone (after the original headers) must compile
    pre = os.path.join(wd, "ps_pre_%s.c" % label)
    def pre_compile(extra_inc):
        with open(pre, "w") as f:
            for h in SYS_INCLUDES + extra_inc:
                f.write("#include <%s>\n" % h)
            for h in headers + [sugg_h]:
                f.write('#include "%s"\n' % h)
        return C.run([args.compiler] + cflags + ["-std=gnu11", "-w", "-c", pre, "-o",
                                                 os.path.join(wd, "ps_pre.o")])
    r = pre_compile([])
    extra_inc = []
    if r.returncode != 0:
        errs = [ln for ln in r.stderr.splitlines() if "error" in ln]
        for ln in errs[:20]:
            mm.add(label, None, "--format c output compiles after the original headers",
                   "no error", ln.strip())
        if any("complex" in ln for ln in errs) and pre_compile(["complex.h"]).returncode == 0:
            # DWARF spells _Complex as "complex": go on with <complex.h> so the
            # layouts are still checked (the failure above is already counted)
            extra_inc = ["complex.h"]
            mm.note("continuing with #include <complex.h> (the `complex` macro)")
        else:
            C.log("(C output kept in %s)" % sugg_h)
            return 1, mm

    planner = SuggestPlanner(sugg, mm, ctext)
    planner.plan()
    checks = planner.checks
    if perturb and checks:
        c = next(c for c in checks if c.kind == "assert")
        C.log("SELF-CHECK: perturbing expected value of %s %s %s: %s -> %s" % (
            c.struct, c.member or "", c.what, c.expected, c.expected + 1))
        c.expected += 1
        PLANTED["id"] = c.id
    byid = {c.id: c for c in checks}
    src = os.path.join(wd, "checker_%s.c" % label)
    obj = os.path.join(wd, "checker_%s.o" % label)
    hdrs = ["<%s>" % h for h in SYS_INCLUDES + extra_inc] + headers + [sugg_h]
    excluded, failed, hard = set(), set(), set()

    def gen(excl, vals=()):
        lm = generate_checker(src, [], checks, excl, vals, runtime=True)
        with open(src) as f:
            body = f.read()
        inc = "".join("#include %s\n" % (h if h.startswith("<") else '"%s"' % h) for h in hdrs)
        body = body.replace("#include <stddef.h>\n", "#include <stddef.h>\n" + inc, 1)
        with open(src, "w") as f:
            f.write(body)
        shift = len(hdrs)
        return {k + shift: v for k, v in lm.items()}

    for _round in range(8):
        linemap = gen(excluded)
        r, ccmd = compile_checker(args.compiler, cflags, src, obj, [])
        if r.returncode == 0:
            break
        progress = False
        for line in (r.stderr or "").splitlines():
            m = ERR_RE.match(line)
            if not m or os.path.basename(m.group("file")) != os.path.basename(src):
                continue
            cid = linemap.get(int(m.group("line")))
            sa = re.search(r"PSCHK (\d+)", m.group("msg"))
            if sa:
                cid = int(sa.group(1))
            if cid is None or cid in excluded:
                continue
            excluded.add(cid)
            progress = True
            c = byid[cid]
            if sa:
                failed.add(cid)
            else:
                hard.add(cid)
                mm.add(c.struct, c.member, c.what + " (checker does not compile)",
                       "valid C", "%s -> %s" % (c.code or c.bit, m.group("msg")))
        if not progress:
            C.log("ERROR: checker compile failed, errors not attributable:\n%s\n%s"
                  % (" ".join(ccmd), r.stderr[-3000:]))
            return 2, mm
    else:
        C.log("ERROR: checker did not converge")
        return 2, mm
    gen(excluded - failed, sorted(failed))
    r, ccmd = compile_checker(args.compiler, cflags, src, obj, ["-DPS_NO_ASSERTS"])
    if r.returncode != 0:
        C.log("ERROR: checker (no asserts) does not compile:\n" + r.stderr[-3000:])
        return 2, mm
    elf = C.Elf(obj)
    if PLANTED.get("id") in failed:
        PLANTED["caught"] = True
    for cid in sorted(failed):
        c = byid[cid]
        raw = elf.symbol_bytes("ps_val_%d" % cid)
        truth = int.from_bytes(raw, "little") if raw else "?"
        mm.add(c.struct, c.member, c.what + " (expected = compiler on padscan's C output, "
               "padscan = its JSON)", truth, c.expected)
    bfs = [c for c in checks if c.kind == "bitfield" and c.id not in excluded]
    for c in bfs:
        first, count, contig = C.bits_summary(C.set_bits(elf.symbol_bytes("ps_bf_%d" % c.id)))
        if (first, count) != tuple(c.expected) or not contig:
            mm.add(c.struct, c.member, "bitfield position/width (initializer image of the C "
                   "output vs JSON new_order)",
                   "bit %s width %s" % (first, count), "bit %s width %s" % c.expected)
    exe = os.path.join(wd, "checker_%s" % label)
    lr = C.run([args.compiler] + cflags + [obj, "-o", exe])
    ran = "not run"
    if lr.returncode != 0:
        mm.note("could not link checker: %s" % lr.stderr.strip()[:300])
    else:
        pr, how = C.try_execute(exe, [])
        if pr is None:
            mm.note("runtime bitfield probe skipped: %s" % how)
        elif pr.returncode != 0:
            mm.add("<checker>", None, "exit status", 0, pr.returncode)
        else:
            ran = how
            seen = {}
            for ln in pr.stdout.splitlines():
                f = ln.split()
                if len(f) == 5 and f[0] == "BF":
                    seen[int(f[1])] = (int(f[2]), int(f[3]), int(f[4]))
            for c in bfs:
                if c.id not in seen:
                    mm.add(c.struct, c.member, "runtime bitfield probe", "reported", "missing")
                    continue
                first, last, count = seen[c.id]
                if (first, count) != tuple(c.expected) or last - first + 1 != count:
                    mm.add(c.struct, c.member, "bitfield position/width (runtime probe of the "
                           "C output vs JSON new_order)",
                           "bit %d width %d" % (first, count), "bit %d width %d" % c.expected)
    n_as = sum(1 for c in checks if c.kind == "assert")
    C.log("[%s %s] %d suggestions, %d C-named checked, %d members, %d assertions, "
          "%d bitfield probes (runtime: %s), %d mismatches" % (
              args.cfg, label, len(sugg), planner.nstructs, planner.nmembers, n_as,
              len(bfs), ran, len(mm.items)))
    return (1 if mm.items else 0), mm


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan")
    ap.add_argument("--compiler", default="gcc")
    ap.add_argument("--dwarf", default="5", choices=["4", "5"])
    ap.add_argument("--opt", default="O0")
    ap.add_argument("--arch", default="m64", choices=["m64", "m32"])
    ap.add_argument("--fixtures", default=DEFAULT_FIXTURES)
    ap.add_argument("--samples", action="store_true",
                    help="also the C samples (samples/c/<svc>/<svc>.c)")
    ap.add_argument("--samples-src", default=DEFAULT_SAMPLES)
    ap.add_argument("--no-fixture", action="store_true")
    ap.add_argument("--exports", default=DEFAULT_EXPORTS,
                    help="the export corpus folder (exports.c and its headers)")
    ap.add_argument("--workdir")
    ap.add_argument("--self-check", action="store_true",
                    help="perturb one expected value: the run must then FAIL (exit 0 iff it does)")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % args.padscan)
        return C.SKIP_RC
    args.cfg = "%s dwarf%s %s %s" % (os.path.basename(args.compiler), args.dwarf, args.opt, args.arch)
    wd = os.path.abspath(args.workdir or os.path.join(
        os.getcwd(), "check_suggest_c_" + re.sub(r"\W+", "_", args.cfg)))
    os.makedirs(wd, exist_ok=True)
    cflags = ["-" + args.arch, "-" + args.opt]
    gflags = ["-g", "-gdwarf-" + args.dwarf]
    targets = []
    if not args.no_fixture:
        targets.append(("fixture", os.path.join(args.fixtures, "fixture.c"),
                        sorted(glob.glob(os.path.join(args.fixtures, "*.h")))))
        targets.append(("exports", sorted(glob.glob(os.path.join(args.exports, "*.c"))),
                        sorted(glob.glob(os.path.join(args.exports, "*.h")))))
    if args.samples:
        for svc in SAMPLES:
            d = os.path.join(args.samples_src, svc)
            if not os.path.isdir(d):
                C.log("ERROR: sample source %s missing" % d)
                return 2
            targets.append((svc, os.path.join(d, svc + ".c"),
                            sorted(glob.glob(os.path.join(d, "*.h")))))
    rc_all = 0
    total = 0
    for i, (label, src, headers) in enumerate(targets):
        rc, mm = check_target(args, label, src, headers, cflags, gflags,
                              os.path.join(wd, label), args.self_check and i == 0,
                              standalone=label == "exports")
        total += len(mm.items)
        rc_all = max(rc_all, rc)
    C.log("check_suggest_c %s: %d targets, %d mismatches" % (args.cfg, len(targets), total))
    if args.self_check:
        if rc_all == 1 and PLANTED.get("caught"):
            C.log("SELF-CHECK OK: the planted wrong value was detected")
            return 0
        C.log("SELF-CHECK FAILED: planted wrong value not detected (rc=%d)" % rc_all)
        return 1
    return rc_all


if __name__ == "__main__":
    sys.exit(main())
