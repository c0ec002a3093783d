#!/usr/bin/env python3
"""check_bad_input.py - padscan must reject bad input cleanly and never crash.

Inputs are produced at test time: tests/fixtures/c/fixture.c compiled with
gcc -gdwarf-5, gcc -gdwarf-4 and clang, and a tiny Go program built normally
(zlib-compressed DWARF) and with -ldflags=-w (no DWARF).

Part 1 - bad input.  Every case must give exit status 2, nothing on stdout,
exactly ONE line on stderr that starts with "padscan: ", names the file (when
there is one) and names the problem; run again with `-o OUT.json` no OUT.json
and no temporary file may be left in the output directory, and a pre-existing
OUT.json must be left untouched.  Cases: missing file, a directory, a text
file, an empty file, an ELF truncated at several lengths, a
`strip --strip-debug`ped C binary ("no DWARF"), Go built with -ldflags=-w,
an unknown option, `--format xml`, `--type 'nomatch*'` on a good binary.

Part 2 - `-o OUT.json` success: the file exists, is complete JSON equal to
what stdout would have printed, its mode honours the umask (022 -> 0644,
077 -> 0600), stdout is empty and no temporary file is left behind.

Part 3 - malformed DWARF, a seeded corruption campaign: for every binary with
DWARF, --count mutations (default 150, --seed fixed) each flipping 1-8 random
bytes inside one random .debug_* section; `padscan analyze --format json`
must exit 0 or 2 (never a signal or another code) within --timeout seconds;
on 2 exactly one stderr line starting with "padscan: " and containing the
path; on 0 stdout must be UTF-8 JSON.  Failing inputs are kept in
WORKDIR/failures/ and their names printed.

The harness runs whatever --padscan it is given (also the ASan+UBSan build).

Exit status: 0 all good, 1 failures, 2 harness error, 77 padscan missing.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import stat
import threading
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_C = os.path.normpath(os.path.join(HERE, "..", "fixtures", "c", "fixture.c"))

GO_PROGRAM = """package main

import "fmt"

type Tiny struct {
	A bool
	B int64
	C *int
	D string
	E bool
}

var sink Tiny

func main() {
	sink.D = "x"
	fmt.Println(sink)
}
"""


class Failures:
    def __init__(self):
        self.items = []

    def add(self, case, msg):
        self.items.append((case, msg))
        C.log("FAIL [%s]: %s" % (case, msg))


def run_ps(padscan, args, timeout, cwd=None, umask=None):
    """-> (rc, stdout bytes, stderr text) ; rc None on timeout."""
    pre = None
    if umask is not None:
        def pre():
            os.umask(umask)
    try:
        p = subprocess.run([padscan] + list(args), cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, preexec_fn=pre)
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", (e.stderr or b"").decode("utf-8", "replace")
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def describe_rc(rc):
    if rc is None:
        return "timeout (hang)"
    if rc < 0:
        try:
            return "killed by signal %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit status %d" % rc


# --------------------------------------------------------------------------
# inputs


go_env = C.go_env


def build_inputs(args, wd):
    """-> (dict name -> path of good binaries with DWARF, dict of special files)."""
    good = {}
    notes = []
    cfgs = [("gcc_dwarf5", "gcc", ["-gdwarf-5"]), ("gcc_dwarf4", "gcc", ["-gdwarf-4"]),
            ("clang", "clang", ["-g"])]
    for name, cc, flags in cfgs:
        if not shutil.which(cc):
            notes.append("%s not installed: %s inputs skipped" % (cc, name))
            continue
        out = os.path.join(wd, "c_" + name)
        C.run([cc, "-std=gnu11", "-O0", "-g"] + flags + [FIXTURE_C, "-o", out], check=True)
        good[name] = out
    special = {}
    if "gcc_dwarf5" in good or good:
        src = good.get("gcc_dwarf5") or next(iter(good.values()))
        stripped = os.path.join(wd, "c_stripped")
        shutil.copyfile(src, stripped)
        C.run(["strip", "--strip-debug", stripped], check=True)
        special["stripped"] = stripped
    gobin = args.go or shutil.which("go")
    if gobin:
        src = os.path.join(wd, "gosrc")
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(src, "go.mod"), "w") as f:
            f.write("module tiny\n\ngo 1.19\n")
        with open(os.path.join(src, "main.go"), "w") as f:
            f.write(GO_PROGRAM)
        env = go_env(wd)
        out = os.path.join(wd, "go_tiny")
        C.run([gobin, "build", "-o", out, "."], cwd=src, env=env, check=True)
        good["go"] = out
        outw = os.path.join(wd, "go_tiny_w")
        C.run([gobin, "build", "-ldflags=-w", "-o", outw, "."], cwd=src, env=env, check=True)
        # without DWARF padscan reads the runtime type data; without .typelink
        # too, nothing is left to read
        C.run(["objcopy", "--remove-section=.typelink", outw], check=True)
        special["go_w"] = outw
    else:
        notes.append("go not installed: Go inputs skipped")
    return good, special, notes


def elf_sections(path):
    """[(name, offset, size)] of sections with file contents."""
    elf = C.Elf(path)
    return [(elf.section_name(s), s["offset"], s["size"]) for s in elf.sections
            if s["type"] != 8 and s["size"] > 0]   # not NOBITS


# --------------------------------------------------------------------------
# part 1 + 2

def check_one_error_line(fails, case, rc, out, err, path, problem_re):
    if rc != 2:
        fails.add(case, "expected exit status 2, got %s; stderr: %r" % (describe_rc(rc), err[:300]))
    if out:
        fails.add(case, "expected nothing on stdout, got %d bytes: %r" % (len(out), out[:200]))
    lines = err.splitlines()
    if len(lines) != 1:
        fails.add(case, "expected exactly one line on stderr, got %d: %r" % (len(lines), err[:500]))
        return
    line = lines[0]
    if not line.startswith("padscan: "):
        fails.add(case, "stderr line does not start with 'padscan: ': %r" % line)
    if path is not None and path not in line:
        fails.add(case, "stderr line does not name the file %r: %r" % (path, line))
    if problem_re and not re.search(problem_re, line, re.I):
        fails.add(case, "stderr line does not name the problem (/%s/): %r" % (problem_re, line))


def dir_listing(d):
    return sorted(os.listdir(d))


def bad_input_cases(args, wd, good, special, notes):
    cases = []   # (name, argv, path-in-message, problem regex)
    bad = os.path.join(wd, "bad")
    if os.path.exists(bad):
        shutil.rmtree(bad)
    os.makedirs(bad)
    missing = os.path.join(bad, "does_not_exist")
    cases.append(("missing file", [missing], missing, r"no such file|not exist|cannot open|not found"))
    adir = os.path.join(bad, "a_directory")
    os.makedirs(adir)
    cases.append(("directory", [adir], adir, r"director|not a regular file"))
    text = os.path.join(bad, "text_file.txt")
    with open(text, "w") as f:
        f.write("this is not an ELF file\nsecond line\n")
    cases.append(("text file", [text], text, r"not an ELF|ELF"))
    empty = os.path.join(bad, "empty_file")
    open(empty, "w").close()
    cases.append(("empty file", [empty], empty, r"empty|not an ELF|truncat|0 bytes"))
    for name, src in sorted(good.items()):
        with open(src, "rb") as f:
            data = f.read()
        for n in sorted(set([16, 64, len(data) // 2, len(data) - 1])):
            p = os.path.join(bad, "%s_trunc_%d" % (name, n))
            with open(p, "wb") as f:
                f.write(data[:n])
            cases.append(("%s truncated to %d bytes" % (name, n), [p], p, r"truncat"))
    if "stripped" in special:
        p = special["stripped"]
        cases.append(("strip --strip-debug C binary", [p], p, r"no DWARF"))
    if "go_w" in special:
        p = special["go_w"]
        cases.append(("Go -ldflags=-w without .typelink", [p], p, r"no DWARF"))
    any_good = good.get("gcc_dwarf5") or (next(iter(good.values())) if good else None)
    if any_good:
        cases.append(("unknown option", ["--no-such-option", any_good], None,
                      r"--no-such-option"))
        cases.append(("--format xml", ["--format", "xml", any_good], None, r"xml"))
        cases.append(("--type pattern matching nothing", ["--type", "nomatch*", any_good],
                      any_good, r"nomatch\*.*match|match.*nomatch\*"))
        cases.append(("good file then missing file", [any_good, missing], missing,
                      r"no such file|not exist|cannot open|not found"))
    else:
        notes.append("no compiler: option cases skipped")
    return cases


def run_bad_inputs(args, wd, cases, fails):
    outdir = os.path.join(wd, "outdir")
    n = 0
    for case, argv, path, problem in cases:
        n += 1
        rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json"] + argv, args.timeout)
        check_one_error_line(fails, case, rc, out, err, path, problem)
        # with -o: nothing left behind
        if os.path.exists(outdir):
            shutil.rmtree(outdir)
        os.makedirs(outdir)
        target = os.path.join(outdir, "OUT.json")
        rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", "-o", target] + argv,
                              args.timeout)
        check_one_error_line(fails, case + " (-o)", rc, out, err, path, problem)
        left = dir_listing(outdir)
        if left:
            fails.add(case + " (-o)", "files left in the output directory after failure: %s" % left)
        # pre-existing OUT.json untouched
        for f in os.listdir(outdir):
            os.unlink(os.path.join(outdir, f))
        old = b"PRE-EXISTING CONTENT - must survive a failed run\n"
        with open(target, "wb") as f:
            f.write(old)
        os.chmod(target, 0o640)
        st0 = os.stat(target)
        rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", "-o", target] + argv,
                              args.timeout)
        check_one_error_line(fails, case + " (-o over existing)", rc, out, err, path, problem)
        with open(target, "rb") as f:
            now = f.read()
        st1 = os.stat(target)
        if now != old or st1.st_ino != st0.st_ino or stat.S_IMODE(st1.st_mode) != 0o640:
            fails.add(case + " (-o over existing)", "pre-existing OUT.json was modified/replaced")
        left = dir_listing(outdir)
        if left != ["OUT.json"]:
            fails.add(case + " (-o over existing)", "output directory now holds %s" % left)
    return n


def run_output_success(args, wd, good, fails):
    outdir = os.path.join(wd, "outdir_ok")
    n = 0
    for name, path in sorted(good.items()):
        rc, ref, err = run_ps(args.padscan, ["analyze", "--format", "json", path], args.timeout)
        if rc != 0:
            fails.add("%s stdout" % name, "good binary: %s; stderr: %r" % (describe_rc(rc), err[:400]))
            continue
        try:
            refdoc = json.loads(ref.decode("utf-8"))
        except ValueError as e:
            fails.add("%s stdout" % name, "stdout is not JSON: %s" % e)
            continue
        for umask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
            case = "%s -o OUT.json umask %03o" % (name, umask)
            n += 1
            if os.path.exists(outdir):
                shutil.rmtree(outdir)
            os.makedirs(outdir)
            target = os.path.join(outdir, "OUT.json")
            pre_existing = umask == 0o002   # also: replace an existing file
            if pre_existing:
                with open(target, "w") as f:
                    f.write("old")
                os.chmod(target, 0o600)
            rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", "-o", target, path],
                                  args.timeout, umask=umask)
            if rc != 0:
                fails.add(case, "%s; stderr: %r" % (describe_rc(rc), err[:400]))
                continue
            if out:
                fails.add(case, "stdout not empty with -o (%d bytes)" % len(out))
            if err.strip():
                fails.add(case, "stderr not empty on success: %r" % err[:300])
            left = dir_listing(outdir)
            if left != ["OUT.json"]:
                fails.add(case, "output directory holds %s (expected only OUT.json)" % left)
            if not os.path.exists(target):
                continue
            got_mode = stat.S_IMODE(os.stat(target).st_mode)
            if not pre_existing and got_mode != mode:
                fails.add(case, "file mode %04o, expected %04o (0666 & ~umask)" % (got_mode, mode))
            with open(target, "rb") as f:
                data = f.read()
            try:
                doc = json.loads(data.decode("utf-8"))
            except ValueError as e:
                fails.add(case, "OUT.json is not complete JSON: %s (%d bytes)" % (e, len(data)))
                continue
            if doc != refdoc:
                fails.add(case, "OUT.json differs from the stdout report")
    return n


def run_output_special(args, wd, good, fails):
    """-o naming a device, a FIFO or a symbolic link: the device node and
    the link stay what they are (renaming a temporary file over /dev/null
    would replace the device with a file), the data reaches the reader."""
    path = next(iter(sorted(good.values())), None)
    if not path:
        return 0
    d = os.path.join(wd, "outdir_special")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    n = 0
    if os.geteuid() == 0:  # a null device of our own, never the system's
        dev = os.path.join(d, "null")
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        rc, out, err = run_ps(args.padscan, ["analyze", "-o", dev, path], args.timeout)
        n += 1
        if rc != 0 or not stat.S_ISCHR(os.stat(dev).st_mode):
            fails.add("-o a character device", "%s; still a device: %s; stderr %r" % (
                describe_rc(rc), stat.S_ISCHR(os.stat(dev).st_mode), err[:300]))
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", "-o", fifo, path], args.timeout)
    reader.join(timeout=args.timeout)
    n += 1
    if rc != 0 or not stat.S_ISFIFO(os.stat(fifo).st_mode) or not got or not got[0].startswith(b"{"):
        fails.add("-o a FIFO", "%s; still a FIFO: %s; read %d bytes" % (
            describe_rc(rc), stat.S_ISFIFO(os.stat(fifo).st_mode), len(got[0]) if got else 0))
    real, link = os.path.join(d, "real.json"), os.path.join(d, "link.json")
    with open(real, "w") as f:
        f.write("old")
    os.symlink(real, link)
    rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", "-o", link, path], args.timeout)
    n += 1
    if rc != 0 or not os.path.islink(link) or open(real).read() == "old":
        fails.add("-o a symbolic link", "%s; still a link: %s" % (describe_rc(rc), os.path.islink(link)))
    return n


# --------------------------------------------------------------------------
# part 3: corruption campaign

def mutate(data, sections, rng):
    name, off, size = rng.choice(sections)
    buf = bytearray(data)
    nflip = rng.randint(1, 8)
    where = []
    for _ in range(nflip):
        pos = off + rng.randrange(size)
        x = rng.randint(1, 255)
        buf[pos] ^= x
        where.append("0x%x^0x%02x" % (pos, x))
    return bytes(buf), "%s %s" % (name, " ".join(where))


def judge_mutation(rc, out, err, path):
    """-> None if fine, else a reason."""
    if rc not in (0, 2):
        return describe_rc(rc)
    if rc == 2:
        lines = err.splitlines()
        if out:
            return "exit 2 with %d bytes on stdout" % len(out)
        if len(lines) != 1:
            return "exit 2 with %d stderr lines: %r" % (len(lines), err[:300])
        if not lines[0].startswith("padscan: ") or path not in lines[0]:
            return "exit 2, stderr line lacks 'padscan: ' prefix or the path: %r" % lines[0]
        return None
    try:
        json.loads(out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return "exit 0 but stdout is not UTF-8 JSON: %s" % e
    return None


def campaign(args, wd, good, fails):
    mdir = os.path.join(wd, "mutants")
    fdir = os.path.join(wd, "failures")
    for d in (mdir, fdir):
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
    jobs = []
    for name, path in sorted(good.items()):
        with open(path, "rb") as f:
            data = f.read()
        secs = [s for s in elf_sections(path) if s[0].startswith(".debug_")]
        if not secs:
            C.log("note: %s has no .debug_* sections, not mutated" % name)
            continue
        # one RNG per binary: adding a binary does not change the others' mutants
        rng = random.Random("%s/%s" % (args.seed, name))
        for i in range(args.count):
            buf, how = mutate(data, secs, rng)
            jobs.append((name, i, buf, how))

    def one(job):
        name, i, buf, how = job
        p = os.path.join(mdir, "%s_mut%04d" % (name, i))
        with open(p, "wb") as f:
            f.write(buf)
        rc, out, err = run_ps(args.padscan, ["analyze", "--format", "json", p], args.timeout)
        reason = judge_mutation(rc, out, err, p)
        if reason is None:
            os.unlink(p)
        else:
            keep = os.path.join(fdir, os.path.basename(p))
            os.replace(p, keep)
            with open(keep + ".txt", "w") as f:
                f.write("mutation: %s\nreason: %s\nstderr:\n%s\n" % (how, reason, err[-6000:]))
            reason = "%s [%s] saved as %s" % (reason, how, keep)
        return name, rc, reason

    counts = {}
    workers = max(1, min(args.jobs, 16))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for name, rc, reason in ex.map(one, jobs):
            c = counts.setdefault(name, {"runs": 0, "ok0": 0, "err2": 0, "bad": 0})
            c["runs"] += 1
            if reason:
                c["bad"] += 1
                fails.add("malformed DWARF %s" % name, reason)
            elif rc == 0:
                c["ok0"] += 1
            else:
                c["err2"] += 1
    for name in sorted(counts):
        c = counts[name]
        C.log("[campaign] %-11s %d mutants: %d exit 0 (valid JSON), %d exit 2 (one-line error), "
              "%d FAILED" % (name, c["runs"], c["ok0"], c["err2"], c["bad"]))
    if not os.listdir(mdir):
        os.rmdir(mdir)
    return sum(c["runs"] for c in counts.values()), sum(c["bad"] for c in counts.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--padscan", help="path to padscan executable")
    ap.add_argument("--go", default=None)
    ap.add_argument("--workdir")
    ap.add_argument("--seed", default="20240611", help="campaign seed (any string)")
    ap.add_argument("--count", type=int, default=150, help="mutants per binary")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per padscan run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-campaign", action="store_true")
    args = ap.parse_args()
    if not args.padscan or not os.path.exists(args.padscan):
        C.log("SKIP: padscan binary not found: %r" % (args.padscan,))
        return C.SKIP_RC
    args.padscan = os.path.abspath(args.padscan)
    wd = os.path.abspath(args.workdir or os.path.join(os.getcwd(), "check_bad_input"))
    os.makedirs(wd, exist_ok=True)
    try:
        good, special, notes = build_inputs(args, wd)
    except (RuntimeError, OSError) as e:
        C.log("ERROR: building inputs failed: %s" % e)
        return 2
    for n in notes:
        C.log("note: %s" % n)
    if not good:
        C.log("ERROR: no input binaries could be built")
        return 2
    fails = Failures()
    cases = bad_input_cases(args, wd, good, special, notes)
    nbad = run_bad_inputs(args, wd, cases, fails)
    nfail1 = len(fails.items)
    C.log("[bad input] %d cases (each plain, with -o, and -o over an existing file): %d failures"
          % (nbad, nfail1))
    nok = run_output_success(args, wd, good, fails)
    nok += run_output_special(args, wd, good, fails)
    nfail2 = len(fails.items) - nfail1
    C.log("[-o success] %d runs: %d failures" % (nok, nfail2))
    nmut = nbad_mut = 0
    if not args.no_campaign and args.count > 0:
        nmut, nbad_mut = campaign(args, wd, good, fails)
        C.log("[campaign] seed %s: %d mutants, %d failures (failing inputs in %s)" % (
            args.seed, nmut, nbad_mut, os.path.join(wd, "failures")))
    C.log("check_bad_input: %d bad-input cases, %d -o runs, %d mutants; %d failures" % (
        nbad, nok, nmut, len(fails.items)))
    return 1 if fails.items else 0


if __name__ == "__main__":
    sys.exit(main())
