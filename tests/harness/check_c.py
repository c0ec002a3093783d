#!/usr/bin/env python3
"""check_c.py - prove padscan's C struct layouts equal the compiler's own.

For one configuration (compiler x DWARF version x -O x -m32/-m64 [x extras]):
  1. compile tests/fixtures/c/fixture.c with that configuration;
  2. run `padscan analyze --format json` on the result;
  3. generate a C checker that includes the fixture headers and asserts with
     _Static_assert sizeof/_Alignof of every struct padscan reported that C
     can name, offsetof/sizeof/_Alignof of every named non-bitfield member
     (members of C11 anonymous struct/union members through the outer type);
     compile it with the SAME compiler and target flags -> the compiler is
     the oracle; any failing assertion is a mismatch;
  4. bitfields: the checker defines `T g = { .f = -1 }` objects (read back
     from the compiled .o -- works for every target without running it) and
     a main() that zeroes an object, assigns all-ones and reports the bits
     that changed (run natively, or under qemu-user if installed);
  5. every struct/union tag and typedef'd struct in the fixture headers must
     be present in padscan's output;
  6. padscan's holes / tail_padding / waste must be consistent with its own
     member list, and equal pahole's numbers for structs without bitfields.

Exit status: 0 all good, 1 mismatches, 2 harness error, 77 padscan missing.
"""

import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# cross targets: no sysroot here, so fixture and checker are compiled
# -ffreestanding into relocatable objects (clang's own stddef/stdint headers)
# -> (clang --target, ELF arch padscan must report, pointer size)
CROSS = {"aarch64": ("aarch64-linux-gnu", "aarch64", 8),
         "arm": ("armv7a-linux-gnueabihf", "arm", 4),
         # RISC-V objects carry ADD/SUB relocation pairs in their debug sections
         "riscv64": ("riscv64-linux-gnu", "riscv64", 8)}
DEFAULT_FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "c"))


# --------------------------------------------------------------------------
class Mismatches:
    def __init__(self, config):
        self.config = config
        self.items = []
        self.notes = []

    def add(self, struct, member, what, expected, got):
        self.items.append((struct, member, what, expected, got))
        C.log("MISMATCH [%s] %s%s: %s expected %s, padscan says %s" % (
            self.config, struct, ("." + member) if member else "", what, expected, got))

    def note(self, msg):
        self.notes.append(msg)
        C.log("note [%s]: %s" % (self.config, msg))


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------
# Fixture header scan: which aggregate names must padscan report?

TAG_RE = re.compile(
    r"\b(struct|union)\s+(?:__attribute__\s*\(\(.*?\)\)\s*)*([A-Za-z_]\w*)\s*"
    r"(?:__attribute__\s*\(\(.*?\)\)\s*)*\{")
TYPEDEF_ANON_RE = re.compile(
    r"\btypedef\s+(?:const\s+|volatile\s+)*(struct|union)\s*"
    r"(?:__attribute__\s*\(\(.*?\)\)\s*)*\{")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def scan_headers(headers, defines=()):
    """-> list of (kind, name, how) with how in {'tag', 'typedef'}; an
    `#ifndef X ... #endif` block is left out when X is among defines."""
    found = []
    for h in headers:
        with open(h) as f:
            text = strip_comments(f.read())
        for d in defines:   # blocks without nested conditionals (basic.h's atomics)
            text = re.sub(r"#ifndef %s\n.*?#endif\n" % re.escape(d), "", text, flags=re.S)
        for m in TAG_RE.finditer(text):
            found.append((m.group(1), m.group(2), "tag"))
        for m in TYPEDEF_ANON_RE.finditer(text):
            # brace-match to the closing brace, the typedef name follows
            i = m.end() - 1
            depth = 0
            while i < len(text):
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            tail = re.match(r"\s*(?:__attribute__\s*\(\(.*?\)\)\s*)*([A-Za-z_]\w*)\s*;",
                            text[i + 1:])
            if tail:
                found.append((m.group(1), tail.group(1), "typedef"))
    return found


def flexible_members(headers):
    """Names of flexible array members (`T name[];`) in the fixture headers."""
    names = set()
    for h in headers:
        with open(h) as f:
            names.update(re.findall(r"(\w+)\s*\[\s*\]\s*;", strip_comments(f.read())))
    return names


# --------------------------------------------------------------------------
# padscan JSON -> list of checks

class Check:
    __slots__ = ("id", "struct", "member", "what", "expected", "code", "kind", "bit")

    def __init__(self, cid, struct, member, what, expected, code, kind="assert", bit=None):
        self.id, self.struct, self.member, self.what = cid, struct, member, what
        self.expected, self.code, self.kind, self.bit = expected, code, kind, bit


def is_bitfield(m):
    return (m.get("bit_size") or 0) > 0


def anon_key(s):
    """'(anonymous union at f.h:12)' -> ('f.h', '12') if present."""
    m = re.search(r"at\s+([^\s:()]+):(\d+)", s or "")
    return (os.path.basename(m.group(1)), m.group(2)) if m else None


class Planner:
    def __init__(self, structs, mm, opts):
        self.structs = structs
        self.mm = mm
        self.opts = opts
        self.checks = []
        self.members_checked = 0
        self.structs_checked = 0
        self.visited = set()
        self.by_name = {}
        for s in structs:
            self.by_name.setdefault(s.get("name"), []).append(s)

    def new(self, *a, **k):
        c = Check(len(self.checks) + 1, *a, **k)
        self.checks.append(c)
        return c

    # children of an entry = anonymous types named by their place in it:
    # "<outer>.member", "<outer>.(anonymous union 1)"
    def children(self, entry):
        pre = (entry.get("name") or "") + "."
        out = []
        for s in self.structs:
            n = s.get("name") or ""
            if n.startswith(pre) and "." not in n[len(pre):]:
                out.append(s)
        return out

    def link_children(self, entry):
        """Map member index -> child entry for anonymous-typed members."""
        kids = self.children(entry)
        members = entry.get("members") or []
        links = {}
        free = list(kids)
        # (a) exact type-string match or same "(anonymous ... at file:line)"
        for i, m in enumerate(members):
            t = m.get("type") or ""
            for k in free:
                kn = k.get("name") or ""
                kshort = kn[len(entry.get("name")) + 1:]
                if t == kn or t == kshort or (anon_key(t) and anon_key(t) == anon_key(kshort)):
                    links[i] = k
                    free.remove(k)
                    break
        # (b) fallback: pair remaining children (sorted by declaration line)
        # with anonymous-looking members in declaration order, same kind/size
        def kline(k):
            ak = anon_key(k.get("name", "")[len(entry.get("name")) + 1:])
            return int(ak[1]) if ak else (k.get("decl_line") or 0)

        def mkind(m):
            mt = re.match(r"^(struct|union)\b", m.get("type") or "")
            return mt.group(1) if mt else None
        if free:
            free.sort(key=kline)
            cands = [i for i, m in enumerate(members) if i not in links and (
                m.get("anonymous") or "anonymous" in (m.get("type") or "").lower()
                or "{" in (m.get("type") or "") or "<" in (m.get("type") or "")
                or not m.get("type"))]
            for k in list(free):
                for i in cands:
                    mk = mkind(members[i])
                    if i not in links and members[i].get("size") == k.get("size") and \
                            (mk is None or mk == k.get("kind")):
                        links[i] = k
                        free.remove(k)
                        break
        for k in free:
            self.mm.add(entry.get("name"), None, "anonymous child entry not linked to any member",
                        "a member of type %s" % k.get("name"), "none")
        for i, m in enumerate(members):
            if m.get("anonymous") and i not in links:
                self.mm.add(entry.get("name"), "<anonymous member #%d>" % i,
                            "struct entry for anonymous member", "present",
                            "missing (type %r)" % m.get("type"))
        return links

    def plan(self):
        for s in self.structs:
            if s.get("ctype"):
                self.visit(s, s["ctype"], 0, True, s.get("name"))
        unchecked = [s.get("name") for s in self.structs if id(s) not in self.visited]
        if unchecked:
            self.mm.note("%d struct entries could not be reached from a C-nameable type "
                         "(not checked): %s" % (len(unchecked), ", ".join(map(str, unchecked))[:600]))

    def visit(self, e, root, base, is_root, label):
        """Emit checks for entry e laid out at byte `base` inside C type `root`."""
        if id(e) in self.visited and not is_root:
            return
        self.visited.add(id(e))
        name = e.get("name")
        if is_root:
            self.structs_checked += 1
            self.new(label, None, "sizeof", e.get("size"), "sizeof(%s)" % root)
            self.new(label, None, "_Alignof", e.get("align"), "_Alignof(%s)" % root)
        links = self.link_children(e)
        for i, m in enumerate(e.get("members") or []):
            mname = m.get("name") or ""
            off = base + (m.get("offset") or 0)
            if i in links:
                kid = links[i]
                if m.get("anonymous") or not mname:
                    if kid.get("size") != m.get("size"):
                        self.mm.add(name, "<anonymous member #%d>" % i,
                                    "member size vs its struct entry size",
                                    kid.get("size"), m.get("size"))
                    self.visit(kid, root, off, False, label)
                    if not mname:
                        continue
                else:
                    texpr = "__typeof__(((%s *)0)->%s)" % (root, mname)
                    self.visit(kid, texpr, 0, True, "%s(via %s.%s)" % (
                        kid.get("name"), label, mname))
            if not mname:
                continue
            self.members_checked += 1
            acc = "((%s *)0)->%s" % (root, mname)
            if is_bitfield(m):
                absbit = off * 8 + (m.get("bit_offset") or 0)
                self.new(label, mname, "bitfield", (absbit, m.get("bit_size")), None,
                         kind="bitfield", bit=(root, mname))
                continue
            if (m.get("bit_offset") or 0) != 0:
                self.mm.add(label, mname, "bit_offset of non-bitfield", 0, m.get("bit_offset"))
            self.new(label, mname, "offsetof", off,
                     "__builtin_offsetof(%s, %s)" % (root, mname))
            if (m.get("size") or 0) > 0 or mname not in self.opts.flex_members:
                # (sizeof of a flexible array member is not valid C: skip those)
                self.new(label, mname, "sizeof(member)", m.get("size"), "sizeof(%s)" % acc)
            if not self.opts.no_member_align and m.get("align") is not None \
                    and (m.get("size") or 0) > 0:
                if m.get("explicit_align"):
                    # _Alignas / aligned(N) on the member: the declared alignment
                    self.new(label, mname, "__alignof__(member) [explicit_align]",
                             m.get("align"), "__alignof__(%s)" % acc)
                else:
                    self.new(label, mname, "_Alignof(member type)", m.get("align"),
                             "_Alignof(__typeof__(%s))" % acc)


# --------------------------------------------------------------------------
CHECKER_PRELUDE = r"""/* generated by check_c.py -- do not edit */
#include <stddef.h>
%(includes)s
#ifndef PS_FREESTANDING
#include <stdio.h>
#include <string.h>

static void ps_report(int id, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    long first = -1, last = -1, count = 0;
    size_t i; int j;
    for (i = 0; i < n; i++)
        for (j = 0; j < 8; j++)
            if (b[i] >> j & 1) {
                long bit = (long)(i * 8 + j);
                if (first < 0) first = bit;
                last = bit;
                count++;
            }
    printf("BF %%d %%ld %%ld %%ld\n", id, first, last, count);
}
#endif
"""


def generate_checker(path, headers, checks, excluded, values_for=(), runtime=True):
    """Write the checker; returns {line number: check id} for error mapping."""
    prelude = CHECKER_PRELUDE % {"includes": "\n".join(
        '#include "%s"' % os.path.basename(h) for h in headers)}
    body = []
    for c in checks:
        if c.kind == "assert" and c.id not in excluded:
            exp = c.expected if isinstance(c.expected, int) else -1
            body.append(("#ifndef PS_NO_ASSERTS\n_Static_assert((%s) == %d, \"PSCHK %d\");\n#endif"
                         % (c.code, exp, c.id), c.id))
        elif c.kind == "bitfield" and c.id not in excluded:
            root, mname = c.bit
            body.append(("%s ps_bf_%d = { .%s = -1 };" % (root, c.id, mname), c.id))
    for cid in values_for:   # compiler's own value of a failed assertion
        body.append(("unsigned long long ps_val_%d = (unsigned long long)(%s);"
                     % (cid, checks[cid - 1].code), cid))
    if runtime:   # cross targets (-ffreestanding, no libc): no runtime probe
        body.append(("int main(void)\n{", None))
        for c in checks:
            if c.id in excluded or c.kind != "bitfield":
                continue
            root, mname = c.bit
            body.append(("    { %s x; memset(&x, 0, sizeof x); x.%s = -1; "
                         "ps_report(%d, &x, sizeof x); }" % (root, mname, c.id), c.id))
        body.append(("    return 0;\n}", None))
    lineno = prelude.count("\n") + 1
    out = [prelude]
    linemap = {}
    for t, cid in body:
        for sub in t.split("\n"):
            out.append(sub + "\n")
            linemap[lineno] = cid
            lineno += 1
    with open(path, "w") as f:
        f.write("".join(out))
    return linemap


ERR_RE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?:\d+:)?\s*error:\s*(?P<msg>.*)$")


def compile_checker(cc, cflags, src, out, extra):
    cmd = [cc] + cflags + ["-std=gnu11", "-w", "-I", os.path.dirname(src)] + extra + \
        ["-c", src, "-o", out]
    cmd.insert(1, "-fmax-errors=0" if "clang" not in os.path.basename(cc) else "-ferror-limit=0")
    return C.run(cmd), cmd


# --------------------------------------------------------------------------
# pahole

def parse_pahole(text):
    """-> {('struct'|'union'|'typedef', name):
           {'size','sum_holes','padding','sum_bit_holes','bit_padding'}}"""
    res = {}
    cur = None
    info = None
    for line in text.splitlines():
        if cur is None:
            m = re.match(r"^(struct|union)\s+(\S+)\s*\{", line)
            t = re.match(r"^typedef\s+(struct|union)\s*\{", line)
            if m:
                cur = (m.group(1), m.group(2))
                info = {}
            elif t:
                cur = ("typedef", None)
                info = {}
            continue
        if "<ERROR(" in line:
            info["error"] = line.strip()  # pahole 1.24 cannot print _Atomic members
        if line.startswith("}"):
            if cur[0] == "typedef":
                m = re.match(r"^\}\s*(?:__attribute__\S*\s*)?(\w+)\s*;", line)
                cur = ("typedef", m.group(1) if m else None)
            if cur[1] and cur not in res:
                res[cur] = info
            cur = None
            continue
        if line.startswith("\t/*") and not line.startswith("\t\t"):
            m = re.search(r"/\* size: (\d+)", line)
            if m:
                info["size"] = int(m.group(1))
            m = re.search(r"sum holes: (\d+)", line)
            if m:
                info["sum_holes"] = int(m.group(1))
            m = re.match(r"\t/\* padding: (\d+)", line)
            if m:
                info["padding"] = int(m.group(1))
            m = re.search(r"sum bit holes: (\d+) bits", line)
            if m:
                info["sum_bit_holes"] = int(m.group(1))
            m = re.match(r"\t/\* bit_padding: (\d+) bits", line)
            if m:
                info["bit_padding"] = int(m.group(1))
    return res


def pahole_key(entry):
    ct = entry.get("ctype") or ""
    m = re.match(r"^(struct|union)\s+(\w+)$", ct)
    if m:
        return (m.group(1), m.group(2))
    if ct:
        return ("typedef", ct)
    return None


# --------------------------------------------------------------------------
def self_consistency(structs, mm):
    """holes/tail_padding/waste must follow from padscan's own members."""
    for s in structs:
        name = s.get("name")
        members = s.get("members") or []
        holes = s.get("holes") or []
        tail = s.get("tail_padding")
        size = s.get("size") or 0
        sum_holes = sum(h.get("size") or 0 for h in holes)
        if s.get("waste") is not None and tail is not None and \
                s.get("waste") != sum_holes + tail:
            mm.add(name, None, "waste == sum(holes)+tail_padding", sum_holes + tail, s.get("waste"))
        spans = []
        for m in members:
            off = m.get("offset") or 0
            if is_bitfield(m):
                a = off * 8 + (m.get("bit_offset") or 0)
                spans.append((off, (a + m["bit_size"] + 7) // 8))
            else:
                spans.append((off, off + (m.get("size") or 0)))
        for lo, hi in spans:
            if hi > size and size:
                mm.add(name, None, "member extends past struct size", "<= %d" % size, hi)
        if s.get("kind") == "union":
            if holes:
                mm.add(name, None, "union has no holes", [], holes)
            end = max([hi for _, hi in spans] or [0])
            if tail is not None and tail != size - end:
                mm.add(name, None, "union tail_padding (size - largest member)", size - end, tail)
            continue
        # recompute byte holes
        exp_holes = []
        cur = 0
        after = None
        for (lo, hi), m in sorted(zip(spans, members), key=lambda x: (x[0][0], x[0][1])):
            if lo > cur:
                exp_holes.append((cur, lo - cur, after))
            if hi >= cur:
                cur = hi
                after = m.get("name")
        exp_tail = size - cur
        got = [(h.get("offset"), h.get("size")) for h in holes]
        exp = [(o, n) for o, n, _ in exp_holes]
        has_bf = any(is_bitfield(m) for m in members)
        if not has_bf:
            if got != exp:
                mm.add(name, None, "holes recomputed from members", exp, got)
            if tail is not None and tail != exp_tail:
                mm.add(name, None, "tail_padding recomputed from members", exp_tail, tail)
        else:
            # bitfield structs: padscan may count storage units; only require
            # that holes never overlap member bytes and are inside the struct
            for h in holes:
                ho, hs = h.get("offset") or 0, h.get("size") or 0
                for (lo, hi), m in zip(spans, members):
                    if ho < hi and lo < ho + hs and hi > lo:
                        mm.add(name, m.get("name"), "hole overlaps member bytes",
                               "no overlap", "hole %d+%d vs member %d..%d" % (ho, hs, lo, hi))
            if tail is not None and tail > exp_tail:
                mm.add(name, None, "tail_padding overlaps last member bytes",
                       "<= %d" % exp_tail, tail)


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan", help="path to padscan executable")
    ap.add_argument("--json", help="use this padscan JSON instead of running padscan")
    ap.add_argument("--compiler", default="gcc")
    ap.add_argument("--dwarf", default="5", choices=["4", "5"])
    ap.add_argument("--opt", default="O0")
    ap.add_argument("--arch", default="m64", choices=["m64", "m32"] + sorted(CROSS),
                    help="m64/m32: native x86; aarch64/arm: freestanding cross objects "
                         "(clang --target=..., or a cross gcc given as --compiler)")
    ap.add_argument("--types-section", action="store_true", help="add -fdebug-types-section")
    ap.add_argument("--object", action="store_true", help="analyze fixture.o (-c) instead")
    ap.add_argument("--fixtures", default=DEFAULT_FIXTURES)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--no-pahole", action="store_true")
    ap.add_argument("--no-member-align", action="store_true",
                    help="do not check members' 'align' (type alignment)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    cfg = "%s dwarf%s %s %s%s%s" % (args.compiler, args.dwarf, args.opt, args.arch,
                                    " types-section" if args.types_section else "",
                                    " object" if args.object else "")
    mm = Mismatches(cfg)
    wd = args.workdir or os.path.join(os.getcwd(), "check_c_" + re.sub(r"\W+", "_", cfg))
    os.makedirs(wd, exist_ok=True)

    cross = CROSS.get(args.arch)
    if cross:
        tflags = ["-ffreestanding", "-DPS_FREESTANDING"]
        if "clang" in os.path.basename(args.compiler):
            tflags.insert(0, "--target=" + cross[0])
        args.object = True   # nothing to link against
    else:
        tflags = ["-" + args.arch]
    cflags = tflags + ["-O" + args.opt.lstrip("O")]
    if args.dwarf == "4":   # no DW_TAG_atomic_type before DWARF 5 (basic.h)
        cflags.append("-DPADSCAN_FIXTURE_NO_ATOMIC_TAG")
    gflags = ["-g", "-gdwarf-" + args.dwarf]
    if args.types_section:
        gflags.append("-fdebug-types-section")
    fixture_c = os.path.join(args.fixtures, "fixture.c")
    headers = sorted(glob.glob(os.path.join(args.fixtures, "*.h")))
    out = os.path.join(wd, "fixture.o" if args.object else "fixture")
    cmd = [args.compiler, "-std=gnu11"] + cflags + gflags + \
        (["-c"] if args.object else []) + [fixture_c, "-o", out]
    p = C.run(cmd)
    if p.returncode != 0:
        C.log("ERROR: fixture compile failed: %s\n%s" % (" ".join(cmd), p.stderr))
        return 2
    C.log("[%s] compiled: %s" % (cfg, " ".join(cmd)))

    try:
        doc = C.load_padscan_json(args.padscan, [out], args.json)
    except FileNotFoundError as e:
        C.log("SKIP: %s" % e)
        return C.SKIP_RC
    except RuntimeError as e:
        C.log("FAIL [%s]: %s" % (cfg, e))
        C.log("check_c %s: 0 structs, 0 members checked, 1 mismatches" % cfg)
        return 1
    binent = C.pick_binary(doc, out)
    structs = binent.get("structs") or []
    exp_ptr = cross[2] if cross else (4 if args.arch == "m32" else 8)
    if binent.get("ptr_size") != exp_ptr:
        mm.add("<binary>", None, "ptr_size", exp_ptr, binent.get("ptr_size"))
    exp_arch = cross[1] if cross else ("i386" if args.arch == "m32" else "x86_64")
    if binent.get("arch") != exp_arch:
        mm.add("<binary>", None, "arch", exp_arch, binent.get("arch"))

    # 5. presence of every fixture aggregate
    names = set(s.get("name") for s in structs)
    ctypes = set(s.get("ctype") for s in structs)
    for kind, nm, how in scan_headers(headers, [f[2:] for f in cflags if f.startswith("-D")]):
        if how == "tag":
            ok = ("%s %s" % (kind, nm)) in ctypes or nm in names or \
                ("%s %s" % (kind, nm)) in names
        else:
            ok = nm in ctypes or nm in names
        if not ok:
            mm.add("%s %s" % (kind, nm) if how == "tag" else nm, None,
                   "present in padscan output", "present", "missing")

    # 3./4. generate and compile the checker
    args.flex_members = flexible_members(headers)
    planner = Planner(structs, mm, args)
    planner.plan()
    checks = planner.checks
    byid = {c.id: c for c in checks}
    src = os.path.join(wd, "checker.c")
    obj = os.path.join(wd, "checker.o")
    excluded = set()
    failed_ids = set()
    hard_errors = set()
    for _round in range(6):
        linemap = generate_checker(src, headers, checks, excluded, runtime=not cross)
        r, ccmd = compile_checker(args.compiler, cflags, src, obj,
                                  ["-I", args.fixtures])
        if r.returncode == 0:
            break
        progress = False
        for line in (r.stderr or "").splitlines():
            m = ERR_RE.match(line)
            if not m or os.path.basename(m.group("file")) != "checker.c":
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
                failed_ids.add(cid)
            else:
                hard_errors.add(cid)
                mm.add(c.struct, c.member, c.what + " (checker does not compile)",
                       "valid C", "%s -> %s" % (c.code or c.bit, m.group("msg")))
        if not progress:
            C.log("ERROR: checker compile failed and errors could not be attributed:\n"
                  + " ".join(ccmd) + "\n" + r.stderr[-3000:])
            return 2
    else:
        C.log("ERROR: checker did not converge")
        return 2
    # asserts that failed are reported; now compile without asserts for bitfields
    generate_checker(src, headers, checks, excluded - failed_ids, sorted(failed_ids),
                     runtime=not cross)
    r, ccmd = compile_checker(args.compiler, cflags, src, obj,
                              ["-I", args.fixtures, "-DPS_NO_ASSERTS"])
    if r.returncode != 0:
        C.log("ERROR: checker (no asserts) failed to compile:\n" + r.stderr[-3000:])
        return 2
    elf = C.Elf(obj)
    for cid in sorted(failed_ids):
        c = byid[cid]
        raw = elf.symbol_bytes("ps_val_%d" % cid)
        truth = int.from_bytes(raw, "little") if raw else "?"
        mm.add(c.struct, c.member, c.what, truth, c.expected)
    bf_checks = [c for c in checks if c.kind == "bitfield" and c.id not in excluded]
    for c in bf_checks:
        data = elf.symbol_bytes("ps_bf_%d" % c.id)
        first, count, contig = C.bits_summary(C.set_bits(data))
        exp_bit, exp_w = c.expected
        if (first, count) != (exp_bit, exp_w) or not contig:
            mm.add(c.struct, c.member, "bitfield position/width (static initializer image)",
                   "bit %s width %s%s" % (first, count, "" if contig else " (non-contiguous)"),
                   "bit %s width %s" % (exp_bit, exp_w))
    # runtime check
    exe = os.path.join(wd, "checker")
    ran = "not run"
    if cross:
        lr = None
        mm.note("runtime bitfield probe skipped: %s is a freestanding cross target (no libc, "
                "nothing to link); bitfield bit positions are still checked from the static "
                "initializer images `T g = { .f = -1 }` in the cross-compiled checker.o"
                % args.arch)
    else:
        lr = C.run([args.compiler] + cflags + [obj, "-o", exe])
    if lr is None:
        pass
    elif lr.returncode != 0:
        mm.note("could not link checker: %s" % lr.stderr.strip()[:300])
    else:
        pr, how = C.try_execute(exe, [])
        if pr is None:
            mm.note("runtime bitfield check skipped: cannot execute %s target here (%s); "
                    "static-initializer check still done" % (args.arch, how))
        elif pr.returncode != 0:
            mm.add("<checker>", None, "checker exit status", 0, pr.returncode)
        else:
            ran = how
            seen = {}
            for line in pr.stdout.splitlines():
                f = line.split()
                if len(f) == 5 and f[0] == "BF":
                    seen[int(f[1])] = (int(f[2]), int(f[3]), int(f[4]))
            for c in bf_checks:
                if c.id not in seen:
                    mm.add(c.struct, c.member, "runtime bitfield probe", "reported", "missing")
                    continue
                first, last, count = seen[c.id]
                exp_bit, exp_w = c.expected
                if first != exp_bit or count != exp_w or last - first + 1 != count:
                    mm.add(c.struct, c.member, "bitfield position/width (runtime)",
                           "bit %d width %d" % (first, count), "bit %d width %d" % (exp_bit, exp_w))

    # 6. holes
    self_consistency(structs, mm)
    pahole_cmp = 0
    if not args.no_pahole:
        pp = C.run(["pahole", out]) if C.shutil.which("pahole") else None
        ph = parse_pahole(pp.stdout) if pp is not None and pp.returncode == 0 else {}
        if not ph:
            mm.note("pahole could not read this binary (%s); pahole comparison skipped" % (
                "not installed" if pp is None else
                "rc=%d %s" % (pp.returncode, pp.stderr.strip()[:200])))
        else:
            for s in structs:
                key = pahole_key(s)
                if key is None:
                    continue
                info = ph.get(key)
                if info is None and key[0] == "typedef":
                    # full pahole output omits typedef'd anonymous structs
                    one = C.run(["pahole", "-C", key[1], out])
                    info = parse_pahole(one.stdout).get(key) if one.returncode == 0 else None
                if info is None:
                    mm.note("pahole has no %s %s" % key)
                    continue
                if info.get("error"):
                    mm.note("pahole cannot print %s %s (%s): not compared with it" % (
                        key + (info["error"],)))
                    continue
                pahole_cmp += 1
                nm = s.get("name")
                if info.get("size") is None:
                    pahole_cmp -= 1   # pahole prints no summary for unions
                    continue
                if info.get("size") != s.get("size"):
                    mm.add(nm, None, "size (pahole)", info.get("size"), s.get("size"))
                if s.get("kind") != "struct":
                    continue
                # every struct, bitfields included: the same total of unused
                # bits (holes, bit holes, bit padding after the last
                # bitfield, tail padding)
                ours = (8 * sum(h.get("size") or 0 for h in s.get("holes") or []) +
                        sum(h.get("bits") or 0 for h in s.get("bit_holes") or []) +
                        (s.get("bit_padding") or 0) + 8 * (s.get("tail_padding") or 0))
                theirs = (8 * info.get("sum_holes", 0) + info.get("sum_bit_holes", 0) +
                          info.get("bit_padding", 0) + 8 * info.get("padding", 0))
                if ours != theirs:
                    mm.add(nm, None, "unused bits in total (pahole)", theirs, ours)
                # pahole counts bit padding to the end of the last bitfield's
                # storage unit, padscan to the end of its byte (whole bytes
                # after that are tail padding): equal below 8 bits
                if info.get("bit_padding", 0) < 8 and info.get("bit_padding", 0) != s.get("bit_padding"):
                    mm.add(nm, None, "bit padding (pahole)", info.get("bit_padding", 0),
                           s.get("bit_padding"))
                if any(is_bitfield(m) for m in s.get("members") or []):
                    continue
                sh = sum(h.get("size") or 0 for h in s.get("holes") or [])
                if info.get("sum_holes", 0) != sh:
                    mm.add(nm, None, "sum of holes (pahole)", info.get("sum_holes", 0), sh)
                if info.get("padding", 0) != s.get("tail_padding"):
                    mm.add(nm, None, "tail padding (pahole)", info.get("padding", 0),
                           s.get("tail_padding"))

    n_asserts = sum(1 for c in checks if c.kind == "assert")
    C.log("[%s] %d compile-time assertions, %d bitfield probes (runtime: %s), "
          "%d structs compared with pahole" % (cfg, n_asserts, len(bf_checks), ran, pahole_cmp))
    C.log("check_c %s: %d structs, %d members checked, %d mismatches" % (
        cfg, planner.structs_checked, planner.members_checked, len(mm.items)))
    return 1 if mm.items else 0


if __name__ == "__main__":
    sys.exit(main())
