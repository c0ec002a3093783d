#!/usr/bin/env python3
"""check_hostile.py - a structured hostile corpus for the binary reader.

Every input is made at test time, in three ways:
  * synthetic DWARF (dwarfgen.py -> assembler -> .o): values no compiler
    writes -- DW_AT_alignment 2^32, a const and a pointer type that refer to
    each other, a DW_AT_sibling that points at its own DIE, DW_AT_upper_bound
    INT64_MAX, sizes near 2^64, members beyond their record, a bitfield
    2^64-1 bits away, nesting and type chains deeper than any program, a
    struct of 100,000 irregular members, a Go struct named without a package;
  * targeted edits of real compiler output: `gcc -S -g -dA` annotates every
    attribute, the harness changes one value (a struct's byte size, a member
    offset, an alignment, a sibling link) and assembles the result, and an
    unknown relocation type is written into a real object's .rela.debug_info;
  * inputs that are not files: a FIFO, /dev/full, /dev/zero, and an ELF file
    truncated while padscan has it mapped (SIGBUS).

Each case states the exit status it must give (0, 1, 2 or 3) and, for 2, the
problem its one `padscan: FILE: ...` line must name.  Every run must end by
itself within --timeout seconds (a hang is a failure, not a slow test), with
no signal and no sanitizer report on stderr; on exit 2 stdout is empty and
stderr is exactly one line starting with "padscan: ".  A control case per
generator (the same construction without the defect, exit 0) proves that the
generator writes DWARF padscan reads, so that each exit 2 is the defect's.

The harness runs whatever --padscan it is given; ctest runs it for the plain
and the ASan+UBSan build (scripts/test.sh --sanitize).

Exit status: 0 all good, 1 failures, 2 harness error, 77 padscan missing.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dwarfgen as G  # noqa: E402
from dwarfgen import Die  # noqa: E402

SANITIZER = re.compile(r"AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:")
INT64_MAX = (1 << 63) - 1


class Runner:
    def __init__(self, padscan, timeout):
        self.padscan, self.timeout = padscan, timeout
        self.failures, self.passed = [], 0

    def fail(self, case, msg):
        self.failures.append((case, msg))
        print("FAIL [%s]: %s" % (case, msg), flush=True)

    def run(self, case, args, want_rc, problem=None, stdout_check=None):
        """Runs padscan ARGS; checks status, signal, sanitizers, the one line."""
        cmd = [self.padscan] + args
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.fail(case, "no exit within %d s (hang): %s" % (self.timeout, " ".join(cmd)))
            return None
        took = time.monotonic() - start
        err = p.stderr.decode("utf-8", "replace")
        out = p.stdout.decode("utf-8", "replace")
        ok = True
        if p.returncode < 0:
            ok = False
            self.fail(case, "killed by signal %d: %s\n%s" % (-p.returncode, " ".join(cmd), err[-2000:]))
        elif SANITIZER.search(err):
            ok = False
            self.fail(case, "sanitizer report:\n%s" % err[-3000:])
        elif p.returncode not in (want_rc if isinstance(want_rc, tuple) else (want_rc,)):
            ok = False
            self.fail(case, "exit %d, expected %d: %s\n%s" % (p.returncode, want_rc, " ".join(cmd),
                                                              err[-1000:]))
        elif p.returncode == 2:
            lines = err.splitlines()
            if p.stdout:
                ok = False
                self.fail(case, "exit 2 with output on stdout (%d bytes)" % len(p.stdout))
            if len(lines) != 1 or not lines[0].startswith("padscan: "):
                ok = False
                self.fail(case, "exit 2 must print exactly one 'padscan: ' line, got:\n%s" % err)
            elif problem and not re.search(problem, lines[0]):
                ok = False
                self.fail(case, "message does not name the problem /%s/: %s" % (problem, lines[0]))
        if ok and stdout_check:
            why = stdout_check(out)
            if why:
                ok = False
                self.fail(case, why)
        if ok:
            self.passed += 1
            print("ok   [%s] exit %d in %.2f s%s" % (case, p.returncode, took,
                                                   (": " + err.strip()) if err.strip() else ""),
                  flush=True)
        return p


# --- synthetic DWARF -----------------------------------------------------------

def unit_with_ints():
    cu = G.c_unit()
    return cu, G.base(cu, "int", 4), G.base(cu, "char", 1, G.ENC_SIGNED_CHAR)


def case_control():
    cu, i, c = unit_with_ints()
    s = G.struct(cu, "fine", 8)
    G.member(s, "c", c, 0)
    G.member(s, "i", i, 4)
    return cu


def case_member_alignment(value, form):
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "aligned", 16)
        G.member(s, "c", c, 0)
        G.member(s, "x", i, 8, extra=[("alignment", form, value)])
        return cu
    return build


def case_cv_pointer_cycle():
    cu, i, c = unit_with_ints()
    const = Die("const_type", [])
    ptr = Die("pointer_type", [("byte_size", "data1", 8)])
    const.attrs.append(("type", "ref4", ptr))
    ptr.attrs.append(("type", "ref4", const))
    cu.add(const)
    cu.add(ptr)
    s = G.struct(cu, "cyclic", 8)
    G.member(s, "p", const, 0)
    return cu


def case_pointer_to_itself():
    cu, i, c = unit_with_ints()
    ptr = cu.add(Die("pointer_type", [("byte_size", "data1", 8)]))
    ptr.attrs.append(("type", "ref4", ptr))
    s = G.struct(cu, "selfptr", 8)
    G.member(s, "p", ptr, 0)
    return cu


def case_typedef_cycle():
    cu, i, c = unit_with_ints()
    a = cu.add(Die("typedef", [("name", "string", "A")]))
    b = cu.add(Die("typedef", [("name", "string", "B"), ("type", "ref4", a)]))
    a.attrs.append(("type", "ref4", b))
    s = G.struct(cu, "holds_a", 8)
    G.member(s, "a", a, 0)
    return cu


def case_struct_contains_itself():
    cu, i, c = unit_with_ints()
    s = G.struct(cu, "ouroboros", 8)
    G.member(s, "self", s, 0)
    return cu


def case_sibling(where):
    """A member (or a top-level struct) whose DW_AT_sibling points at
    itself or back at an earlier DIE."""
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "linked", 8)
        G.member(s, "c", c, 0)
        m = G.member(s, "i", i, 4)
        if where == "self":
            m.attrs.append(("sibling", "ref4", m))
        elif where == "back":
            m.attrs.append(("sibling", "ref4", i))
        elif where == "top":
            s.attrs.append(("sibling", "ref4", s))
        return cu
    return build


def array_of(cu, elem, bounds, attr="upper_bound"):
    arr = cu.add(Die("array_type", [("type", "ref4", elem)]))
    for b in bounds:
        arr.add(Die("subrange_type", [(attr, "data8" if b >= 0 else "sdata", b)]))
    return arr


def case_array(bounds, attr, holder):
    """holder: 'member' holds the array by value, 'pointer' only points to it."""
    def build():
        cu, i, c = unit_with_ints()
        arr = array_of(cu, i, bounds, attr)
        s = G.struct(cu, "holds_array", 8)
        if holder == "member":
            G.member(s, "a", arr, 0)
        else:
            ptr = cu.add(Die("pointer_type", [("byte_size", "data1", 8), ("type", "ref4", arr)]))
            G.member(s, "p", ptr, 0)
        return cu
    return build


def case_struct_size(size):
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "huge", size, form="data8")
        G.member(s, "i", i, 0)
        return cu
    return build


def case_member_offset(offset, form="data8"):
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "short_record", 8)
        G.member(s, "c", c, 0)
        G.member(s, "i", i, offset, form=form)
        return cu
    return build


def case_far_bitfield():
    cu, i, c = unit_with_ints()
    s = G.struct(cu, "far_bits", 8)
    G.member(s, "c", c, 0)
    s.add(Die("member", [("name", "string", "b"), ("type", "ref4", i), ("bit_size", "data1", 3),
                         ("data_bit_offset", "data8", (1 << 64) - 1)]))
    return cu


def case_far_member(bitfield):
    """A valid but absurd layout: the second member 2^39 bytes on, in a
    record of 2^40 bytes (a byte member, or a bitfield)."""
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "far_apart", 1 << 40, form="data8")
        G.member(s, "c", c, 0)
        if bitfield:
            s.add(Die("member", [("name", "string", "b"), ("type", "ref4", i),
                                 ("bit_size", "data1", 3),
                                 ("data_bit_offset", "data8", (1 << 42) + 5)]))
        else:
            G.member(s, "i", i, 1 << 39, form="data8")
        return cu
    return build


def c_export_check(work, name):
    """--format c output: a handful of lines, and gcc accepts it."""
    def check(out):
        if out.count("\n") > 200:
            return "--format c printed %d lines for a 2-member struct" % out.count("\n")
        src = os.path.join(work, name + ".out.c")
        with open(src, "w") as f:
            f.write(out)
        p = subprocess.run(["gcc", "-fsyntax-only", "-x", "c", src], capture_output=True, text=True)
        if p.returncode:
            return "gcc rejects the --format c output:\n%s\n%s" % (out, p.stderr[-1500:])
        return None
    return check


def case_bit_size(bits):
    def build():
        cu, i, c = unit_with_ints()
        s = G.struct(cu, "wide_bits", 8)
        s.add(Die("member", [("name", "string", "b"), ("type", "ref4", i),
                             ("bit_size", "data8", bits), ("data_bit_offset", "data1", 0)]))
        return cu
    return build


def case_nesting(depth):
    """Struct n holds struct n+1 by value, depth deep."""
    def build():
        cu, i, c = unit_with_ints()
        levels = [G.struct(cu, "level%d" % d, 4) for d in range(depth + 1)]  # outer first
        for outer, inner in zip(levels, levels[1:]):
            G.member(outer, "in", inner, 0)
        G.member(levels[-1], "leaf", i, 0)
        return cu
    return build


def case_die_nesting(depth, linked_elsewhere=False):
    """Struct definitions nested inside each other as DIEs (not members),
    depth deep, after a struct the reader reads: walking past them must
    neither recurse nor run away.  linked_elsewhere: another struct has a
    (valid) DW_AT_sibling, so the DWARF has sibling links and every subtree
    libdwarf skips is checked first (validate.c), up to 1024 deep; without
    any link, libdwarf's own walk past them is a loop over the bytes."""
    def build():
        cu, i, c = unit_with_ints()
        if linked_elsewhere:
            other = G.struct(cu, "other", 4)
            G.member(other, "y", i, 0)
        outer = G.struct(cu, "outer", 4)
        G.member(outer, "x", i, 0)
        parent = outer
        for d in range(depth):
            parent = parent.add(Die("structure_type", [("name", "string", "n%d" % d),
                                                       ("byte_size", "data1", 0)]))
        after = G.struct(cu, "after", 4)
        if linked_elsewhere:
            other.attrs.append(("sibling", "ref4", outer))
        G.member(after, "z", i, 0)
        return cu
    return build


def reads_struct(name):
    return lambda out: None if re.search(r'"name":\s*"%s"' % name, out) else "struct %s not in the output" % name


def case_typedef_chain(length):
    def build():
        cu, i, c = unit_with_ints()
        t = i
        for k in range(length):
            t = cu.add(Die("typedef", [("name", "string", "t%d" % k), ("type", "ref4", t)]))
        s = G.struct(cu, "chained", 4)
        G.member(s, "x", t, 0)
        return cu
    return build


def case_many_members(n_chars, n_ints):
    """Irregular members: chars aligned to 8 (size 1 % align 8 != 0), as
    _Alignas(8) char gives, and ints, each in an 8-byte slot."""
    def build():
        cu, i, c = unit_with_ints()
        pairs = min(n_chars, n_ints)
        kinds = "ai" * pairs + "a" * (n_chars - pairs) + "i" * (n_ints - pairs)
        s = G.struct(cu, "many", 0, form="data8")
        end = 0
        for k, kind in enumerate(kinds):  # where a C compiler would put them
            size, align = (1, 8) if kind == "a" else (4, 4)
            at = (end + align - 1) // align * align
            extra = [("alignment", "data1", 8)] if kind == "a" else []
            G.member(s, "%s%d" % (kind, k), c if kind == "a" else i, at, form="data8", extra=extra)
            end = at + size
        s.attrs[1] = ("byte_size", "data8", (end + 7) // 8 * 8)
        return cu
    return build


def go_unit(struct_name):
    cu = Die("compile_unit", [("language", "data1", G.LANG_GO), ("name", "string", "main")])
    b = cu.add(Die("base_type", [("name", "string", "bool"), ("byte_size", "data1", 1),
                                 ("encoding", "data1", G.ENC_BOOLEAN), ("go_kind", "data1", 1)]))
    i64 = cu.add(Die("base_type", [("name", "string", "int64"), ("byte_size", "data1", 8),
                                   ("encoding", "data1", G.ENC_SIGNED), ("go_kind", "data1", 6)]))
    s = cu.add(Die("structure_type", [("name", "string", struct_name), ("byte_size", "data1", 24),
                                      ("go_kind", "data1", 25)]))
    G.member(s, "A", b, 0, form="data1")
    G.member(s, "B", i64, 8, form="data1")
    G.member(s, "C", b, 16, form="data1")
    return cu


def go_output_check(local_name):
    def check(out):
        decls = re.findall(r"^type (\S+) struct \{$", out, re.M)
        if decls != [local_name]:
            return "Go export declares %r, expected exactly [%r]:\n%s" % (decls, local_name, out)
        if any(ord(ch) < 0x20 and ch not in "\n\t" for ch in out):
            return "Go export holds control bytes:\n%r" % out
        return None
    return check


# --- edits of real compiler output -------------------------------------------

EDIT_SOURCE = """struct edit_me { char a; _Alignas(16) char b; int c; double d; };
struct edit_me g;
"""


def gcc_annotated(work):
    src = os.path.join(work, "edit.c")
    with open(src, "w") as f:
        f.write(EDIT_SOURCE)
    asm = subprocess.run(["gcc", "-S", "-g", "-gdwarf-4", "-dA", "-o", "-", src], check=True,
                         capture_output=True, text=True).stdout
    return asm


def edit_attr(asm, die_tag, nth, attr, new_value):
    """Replaces the value of ATTR in the nth DIE with tag DIE_TAG."""
    lines = asm.splitlines(keepends=True)
    seen, inside = -1, False
    for k, line in enumerate(lines):
        m = re.search(r"# \(DIE \((0x[0-9a-f]+)\) (DW_TAG_\w+)\)", line)
        if m:
            inside = m.group(2) == die_tag and (seen := seen + (m.group(2) == die_tag)) == nth
            continue
        if inside and re.search(r"#\s*%s$" % attr, line.rstrip()):
            lines[k] = re.sub(r"(\.\w+\s+)\S+", lambda mm: mm.group(1) + new_value, line, count=1)
            return "".join(lines)
    raise RuntimeError("no %s in DIE %s #%d" % (attr, die_tag, nth))


def die_offset(asm, die_tag, nth):
    found = re.findall(r"# \(DIE \((0x[0-9a-f]+)\) %s\)" % die_tag, asm)
    return found[nth]


def assemble_text(asm, path):
    with open(path + ".s", "w") as f:
        f.write(asm)
    subprocess.run(["gcc", "-c", path + ".s", "-o", path], check=True)
    return path


def set_first_reloc_type(obj, section, new_type):
    """Rewrites the type of the first relocation of SECTION (ELF64 LE)."""
    data = bytearray(open(obj, "rb").read())
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sh = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + k * shentsize) for k in range(shnum)]
    strtab = sh[shstrndx][4]
    for name, _typ, _fl, _addr, off, size, _link, _info, _al, entsize in sh:
        end = data.index(b"\0", strtab + name)
        if data[strtab + name:end].decode() == section and size:
            info, = struct.unpack_from("<Q", data, off + 8)
            struct.pack_into("<Q", data, off + 8, (info & ~0xffffffff) | new_type)
            open(obj, "wb").write(data)
            return
    raise RuntimeError("no section %s in %s" % (section, obj))


# --- inputs that are not files --------------------------------------------------

def truncation_race(r, work, rounds):
    """An ELF file cut to a fraction of its size while padscan reads it:
    exit 0 (read before the cut) or 2, never SIGBUS."""
    src = os.path.join(work, "big.c")
    with open(src, "w") as f:
        for k in range(8000):
            f.write("struct big%d { char a; long b%d; short c; double d; char e[%d]; } g%d;\n"
                    % (k, k, k % 13 + 1, k))
    big = os.path.join(work, "big.o")
    subprocess.run(["gcc", "-g", "-c", src, "-o", big], check=True)
    size = os.path.getsize(big)
    hits = 0
    for k in range(rounds):
        victim = os.path.join(work, "victim.o")
        shutil.copyfile(big, victim)
        delay = 0.01 + 0.03 * k
        cut = threading.Timer(delay, lambda: os.truncate(victim, size // 3))
        cut.start()
        # the cut may land before, during or after the read: 0 and 2 are
        # both right, a signal never
        p = r.run("truncated while mapped (cut after %.2f s)" % delay,
                  ["analyze", "--format", "json", victim], (0, 2), r"victim\.o: ")
        cut.join()
        hits += p is not None and b"changed" in p.stderr
    print("note: %d of %d runs were cut while the file was mapped" % (hits, rounds), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--race-rounds", type=int, default=8)
    args = ap.parse_args()
    if not os.access(args.padscan, os.X_OK):
        print("SKIP: no padscan at %s" % args.padscan)
        return 77
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    r = Runner(os.path.abspath(args.padscan), args.timeout)

    def obj(name, build):
        return G.assemble(build(), os.path.join(work, name + ".o"))

    an = ["analyze", "--format", "json"]
    synthetic = [
        # name, builder, extra args, expected exit, problem in the message
        ("control: valid synthetic DWARF", case_control, an, 0, None),
        ("DW_AT_alignment 2^32", case_member_alignment(1 << 32, "data8"), an, 2, "alignment"),
        ("DW_AT_alignment 3", case_member_alignment(3, "data1"), an, 2, "alignment"),
        ("DW_AT_alignment 0", case_member_alignment(0, "data1"), an, 2, "alignment"),
        ("DW_AT_alignment 8 (control)", case_member_alignment(8, "data1"), an, 0, None),
        ("const <-> pointer cycle", case_cv_pointer_cycle, an, 2, "refers to itself"),
        ("pointer to itself", case_pointer_to_itself, an, 2, "refers to itself"),
        ("typedef cycle", case_typedef_cycle, an, 2, "contains itself"),
        ("struct holding itself", case_struct_contains_itself, an, 2, "contains itself"),
        ("DW_AT_sibling to its own DIE", case_sibling("self"), an, 2, "sibling"),
        ("DW_AT_sibling backwards", case_sibling("back"), an, 2, "sibling"),
        ("top-level DW_AT_sibling to itself", case_sibling("top"), an, 2, "sibling"),
        ("DW_AT_upper_bound INT64_MAX held", case_array([INT64_MAX], "upper_bound", "member"), an,
         2, "overflows"),
        ("DW_AT_upper_bound INT64_MAX pointed to", case_array([INT64_MAX], "upper_bound", "pointer"),
         an, 0, None),
        ("DW_AT_upper_bound -2", case_array([-2], "upper_bound", "member"), an, 2, "upper bound"),
        ("DW_AT_count 2^32 x 2^32", case_array([1 << 32, 1 << 32], "count", "member"), an, 2,
         "overflows"),
        ("array of 2 (control)", case_array([1], "upper_bound", "member"), an, 0, None),
        ("struct size 2^64-8", case_struct_size((1 << 64) - 8), an, 2, "byte size"),
        ("struct size 2^60", case_struct_size(1 << 60), an, 2, "impossible"),
        ("member beyond its record", case_member_offset(100), an, 2, "past the end"),
        ("member offset 2^62", case_member_offset(1 << 62), an, 2, "member offset"),
        ("member offset -8", case_member_offset(-8, "sdata"), an, 2, "member offset"),
        ("bitfield 2^64-1 bits away, --format c", case_far_bitfield,
         ["suggest", "--all", "--format", "c"], 2, "bit offset"),
        ("bit size 2^40", case_bit_size(1 << 40), an, 2, "bit size"),
        ("nesting 300 deep", case_nesting(300), an, 2, "nested more than"),
        ("nesting 100 deep (control)", case_nesting(100), an, 0, None),
        ("DIEs nested 2,000 deep, sibling links elsewhere", case_die_nesting(2000, True), an, 2,
         "nested more than"),
        ("DIEs nested 500 deep (control)", case_die_nesting(500), an, 0, None),
        ("typedef chain of 100,000", case_typedef_chain(100000), an, 2, "nested more than"),
        ("100,000 irregular members: analyze", case_many_members(50000, 50000), an, 0, None),
    ]
    paths = {}
    for name, build, extra, want, problem in synthetic:
        paths[name] = obj(re.sub(r"\W+", "_", name), build)
        r.run(name, extra + [paths[name]], want, problem)

    r.run("DIEs nested 2,000 deep, no sibling link", an + [obj("deep_unlinked", case_die_nesting(2000))],
          0, stdout_check=reads_struct("after"))
    many = paths["100,000 irregular members: analyze"]
    r.run("100,000 irregular members: suggest", ["suggest", "--all", "--format", "json", many], 0,
          stdout_check=lambda out: None if "not searched exhaustively" in out else
          "suggest does not say the struct was not searched exhaustively")
    mid = obj("members_4000", case_many_members(3998, 2))
    r.run("4,000 irregular members: exhaustive search", ["suggest", "--all", "--format", "json", mid],
          0, stdout_check=lambda out: None if "exhaustive search" in out else
          "4,000 members were not searched exhaustively")

    for bitfield in (False, True):
        name = "member 2^39 bytes on%s, --format c" % (" (bitfield)" if bitfield else "")
        path = obj("far_member%d" % bitfield, case_far_member(bitfield))
        r.run(name, ["suggest", "--all", "--format", "c", path], 0,
              stdout_check=c_export_check(work, "far_member%d" % bitfield))

    for k, (name, local) in enumerate((("T", "T"), ("main.T", "T"))):
        path = G.assemble(go_unit(name), os.path.join(work, "go%d.o" % k))
        r.run("Go struct named %r: --format go" % name, ["suggest", "--format", "go", path], 0,
              stdout_check=go_output_check(local))

    # edits of real gcc output
    asm = gcc_annotated(work)
    edits = [
        ("gcc: unedited (control)", asm, 0, None),
        ("gcc: struct byte size 8 < members", edit_attr(asm, "DW_TAG_structure_type", 0,
                                                        "DW_AT_byte_size", "0x8"), 2, "past the end"),
        ("gcc: member offset 0xf0", edit_attr(asm, "DW_TAG_member", 3,
                                              "DW_AT_data_member_location", "0xf0"), 2, "past the end"),
        ("gcc: member alignment 3", edit_attr(asm, "DW_TAG_member", 1, "DW_AT_alignment", "0x3"), 2,
         "alignment"),
        ("gcc: struct alignment 0", edit_attr(asm, "DW_TAG_structure_type", 0, "DW_AT_alignment",
                                              "0"), 2, "alignment"),
        ("gcc: sibling to its own DIE", edit_attr(asm, "DW_TAG_structure_type", 0, "DW_AT_sibling",
                                                  die_offset(asm, "DW_TAG_structure_type", 0)), 2,
         "sibling"),
        ("gcc: sibling back to the unit", edit_attr(asm, "DW_TAG_structure_type", 0, "DW_AT_sibling",
                                                    die_offset(asm, "DW_TAG_compile_unit", 0)), 2,
         "sibling"),
    ]
    for k, (name, text, want, problem) in enumerate(edits):
        r.run(name, an + [assemble_text(text, os.path.join(work, "edit%d.o" % k))], want, problem)

    reloc = assemble_text(asm, os.path.join(work, "reloc.o"))
    set_first_reloc_type(reloc, ".rela.debug_info", 2)  # R_X86_64_PC32: not in debug sections
    r.run("unknown relocation type in .rela.debug_info", an + [reloc], 2, "relocation type 2")

    # not regular files
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    r.run("FIFO", an + [fifo], 2, "FIFO")
    r.run("FIFO to suggest", ["suggest", fifo], 2, "FIFO")
    r.run("/dev/full", an + ["/dev/full"], 2, "character device")
    r.run("/dev/zero", an + ["/dev/zero"], 2, "character device")
    truncation_race(r, work, args.race_rounds)

    print("check_hostile: %d checks passed, %d failed" % (r.passed, len(r.failures)))
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
