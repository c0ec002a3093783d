#!/usr/bin/env python3
"""check_hostile_json.py - hostile JSON inputs and output safety (issue 8).

Everything is generated at test time from tests/fixtures/c/hostile_names.c
compiled with gcc: a good binary, its saved report (`analyze --format
json`), a budget, a manifest, a config and a baseline.  Then:

Part 1 - every JSON loader (manifest, budget, padscan.json config, baseline,
saved report through diff, check and fleet) is fed hostile files: a FIFO,
/dev/zero, sparse files of 300 MiB and 4 GiB, duplicate keys, invalid UTF-8
in a string and in a key, overlong and surrogate encodings, a NUL byte,
1e999, NaN, and numbers out of range for the field (1e308, -1, 2^64,
"cacheline": 4294967296 in a saved report given to fleet).  Each must end
with exit 2 (fleet with a bad report: 2 or 3), nothing on stdout, exactly one
stderr line starting with "padscan: " that names the file and the problem,
within --timeout seconds; with -o OUT no file may be left in the folder.

Part 2 - output safety: names with a newline, a tab, ESC and invalid UTF-8
(patched into the binary's .debug_str) and a binary path with invalid UTF-8:
JSON output is valid UTF-8 and says it replaced bytes; JUnit XML parses;
text output is not split by names; an error about a path with a newline is
one line.  Also: a 250-character -o name works, --write-baseline failing
leaves no -o file, a file-size limit (SIGXFSZ) is one error line and no
temporary file, and SIGTERM / SIGINT while the output is written (fsync
held up by strace fault injection) leave no temporary file; out of memory
(RLIMIT_AS, plain build only) is one line "padscan: out of memory", exit 2.

Exit status: 0 all good, 1 failures, 2 harness error.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import xml.dom.minidom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.normpath(os.path.join(HERE, "..", "fixtures", "c", "hostile_names.c"))

fails = []


def fail(case, msg):
    fails.append(case)
    C.log("FAIL [%s]: %s" % (case, msg))


def run(padscan, argv, timeout, preexec=None):
    t0 = time.monotonic()
    try:
        p = subprocess.run([padscan] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        return None, b"", "", timeout
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"), time.monotonic() - t0


def describe(rc):
    if rc is None:
        return "timeout (hang)"
    if rc < 0:
        return "killed by signal %d" % -rc
    return "exit %d" % rc


def one_error_line(case, rc, out, err, name, problem, codes=(2,)):
    if rc not in codes:
        fail(case, "expected exit %s, got %s; stderr %r" % (codes, describe(rc), err[:300]))
        return
    if out:
        fail(case, "stdout not empty: %r" % out[:200])
    lines = err.splitlines()
    mine = [ln for ln in lines if ln.startswith("padscan: ") and "warning:" not in ln]
    if rc == 2 and (len(lines) != 1 or len(mine) != 1):
        fail(case, "expected exactly one 'padscan: ' line, got %r" % err[:500])
        return
    if not mine:
        fail(case, "no 'padscan: ' error line: %r" % err[:500])
        return
    if name is not None and name not in mine[0]:
        fail(case, "the line does not name %r: %r" % (name, mine[0]))
    if problem and not re.search(problem, mine[0], re.I):
        fail(case, "the line does not say /%s/: %r" % (problem, mine[0]))


# --------------------------------------------------------------------------
# inputs

def patch_debug_str(path, replacements):
    """Overwrites strings in the file (same length), e.g. in .debug_str."""
    data = bytearray(open(path, "rb").read())
    for old, new in replacements:
        assert len(old) == len(new)
        at = data.find(old + b"\0")
        if at < 0:
            raise RuntimeError("%r not found in %s" % (old, path))
        data[at:at + len(old)] = new
    open(path, "wb").write(bytes(data))


def build(args, wd):
    env = {}
    good = os.path.join(wd, "good_bin")
    C.run(["gcc", "-std=gnu11", "-O0", "-gdwarf-5", FIXTURE, "-o", good], check=True)
    # one name per hostile class, patched in place of fixed-length ASCII
    evil = os.path.join(wd, "evil_bin")
    shutil.copyfile(good, evil)
    patch_debug_str(evil, [(b"hostile_nl_xx", b"hostile\nnl\txx"),
                           (b"hostile_utf8_x", b"hostile\xff\xfeut\x1bxx"),
                           (b"member_nl_xx", b"member\nnl\rxx")])
    report = os.path.join(wd, "good_report.json")
    rc, out, err, _ = run(args.padscan, ["analyze", "--format", "json", "-o", report, good], 120)
    if rc != 0:
        raise RuntimeError("analyze failed: %s" % err)
    budget = os.path.join(wd, "good_budget.json")
    json.dump({"rules": [{"types": ["*"], "max_waste": 1000000}]}, open(budget, "w"))
    baseline = os.path.join(wd, "good_baseline.json")
    rc, out, err, _ = run(args.padscan, ["check", "--budget", budget, "--write-baseline",
                                         baseline, good], 120)
    if rc != 0:
        raise RuntimeError("check --write-baseline failed: %s" % err)
    del env
    return good, evil, report, budget, baseline


def docs(good, report, baseline):
    """loader -> (a good document, [argv builder], where to put numbers)."""
    rep = json.load(open(report))
    base = json.load(open(baseline))
    manifest = {"services": [{"name": "svc", "binary": good, "replicas": 2,
                              "hot_types": [{"type": "*", "instances": 10}]}]}
    config = {"cacheline": 64, "types": {"hostile_*": {"fixed": True}}}
    budget = {"rules": [{"types": ["*"], "max_waste": 100}]}
    return {"manifest": manifest, "budget": budget, "config": config, "baseline": base,
            "report": rep}


def commands(loader, path, good, report, budget):
    """The commands that read a file of this kind: [(label, argv, exit codes)]."""
    if loader == "manifest":
        return [("fleet", ["fleet", path], (2,))]
    if loader == "budget":
        return [("check --budget", ["check", "--budget", path, good], (2,))]
    if loader == "config":
        return [("analyze --config", ["analyze", "--config", path, good], (2,))]
    if loader == "baseline":
        return [("check --baseline", ["check", "--budget", budget, "--baseline", path, good], (2,))]
    return [("diff", ["diff", path, report], (2,)),
            ("check REPORT", ["check", "--budget", budget, path], (2,))]


def fleet_on_report(wd, path, n):
    """A manifest whose service is a saved report: fleet may end 2 or 3."""
    m = os.path.join(wd, "manifest_for_report_%d.json" % n)
    json.dump({"services": [{"name": "svc", "report": path, "replicas": 2,
                             "hot_types": [{"type": "*", "instances": 10}]}]}, open(m, "w"))
    return ["fleet", m]


def text_of(doc):
    return json.dumps(doc).encode()


def with_key(doc_bytes, raw_key_value):
    """Inserts raw bytes '"k": v, ' right after the first '{'."""
    i = doc_bytes.index(b"{") + 1
    return doc_bytes[:i] + raw_key_value + b", " + doc_bytes[i:]


def first_key(doc):
    return next(iter(doc))


def generic_cases(doc):
    """(label, bytes or special, problem regex) valid for any loader."""
    t = text_of(doc)
    k = first_key(doc)
    dup = with_key(t, json.dumps(k).encode() + b": " + json.dumps(doc[k]).encode())
    return [
        ("duplicate key", dup, r"duplicate key"),
        ("invalid UTF-8 in a string", with_key(t, b'"x": "a\xffb"'), r"UTF-8"),
        ("invalid UTF-8 in a key", with_key(t, b'"a\xc3": 1'), r"UTF-8|invalid JSON"),
        ("overlong encoding", with_key(t, b'"x": "\xc0\xaf"'), r"UTF-8"),
        ("surrogate encoding", with_key(t, b'"x": "\xed\xa0\x80"'), r"UTF-8"),
        ("NUL byte", t[:5] + b"\0" + t[5:], r"NUL|invalid JSON"),
        ("1e999", with_key(t, b'"x": 1e999'), r"out of range"),
        ("NaN", with_key(t, b'"x": NaN'), r"invalid JSON"),
        ("deep nesting", b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}", r"invalid JSON"),
        ("FIFO", "fifo", r"FIFO"),
        ("/dev/zero", "/dev/zero", r"device|not a regular file"),
        ("300 MiB", "sparse:%d" % (300 << 20), r"too large"),
        ("4 GiB", "sparse:%d" % (4 << 30), r"too large"),
    ]


def number_cases(loader, doc):
    """(label, document, problem regex): a number out of range for a field."""
    out = []

    def put(label, setter, problem):
        d = json.loads(json.dumps(doc))
        setter(d)
        out.append((label, d, problem))

    bad = [("1e308", 1e308), ("-1", -1), ("2^64", 18446744073709551616), ("0.5", 0.5)]
    for name, v in bad:
        if loader == "manifest":
            put("replicas " + name, lambda d, v=v: d["services"][0].__setitem__("replicas", v),
                r"replicas")
            put("instances " + name,
                lambda d, v=v: d["services"][0]["hot_types"][0].__setitem__("instances", v),
                r"instances")
        elif loader == "budget":
            put("max_waste " + name, lambda d, v=v: d["rules"][0].__setitem__("max_waste", v),
                r"max_waste")
            put("fleet max_waste " + name, lambda d, v=v: d.__setitem__("fleet", {"max_waste": v}),
                r"fleet")
        elif loader == "config":
            put("cacheline " + name, lambda d, v=v: d.__setitem__("cacheline", v), r"cacheline")
        elif loader == "baseline":
            put("size " + name, lambda d, v=v: d["structs"][0].__setitem__("size", v),
                r"range|size")
        elif loader == "report":
            put("size " + name,
                lambda d, v=v: d["binaries"][0]["structs"][0].__setitem__("size", v), r"range|size")
            put("cachelines " + name,
                lambda d, v=v: d["binaries"][0]["structs"][0].__setitem__("cachelines", v),
                r"range|size")
    if loader == "config":
        put("cacheline 4294967296", lambda d: d.__setitem__("cacheline", 4294967296), r"cacheline")
    if loader == "report":  # only fleet reads a report's cache-line size
        put("cacheline 4294967296 (fleet)", lambda d: d.__setitem__("cacheline", 4294967296),
            r"cacheline")
    return out


def materialize(wd, n, content):
    p = os.path.join(wd, "in", "case_%03d.json" % n)
    if os.path.lexists(p):
        os.unlink(p)
    if content == "fifo":
        os.mkfifo(p)
    elif content == "/dev/zero":
        return "/dev/zero"
    elif isinstance(content, str) and content.startswith("sparse:"):
        with open(p, "wb") as f:  # starts like JSON, so reports are taken as JSON
            f.write(b"{")
            f.truncate(int(content.split(":")[1]))
    elif isinstance(content, bytes):
        open(p, "wb").write(content)
    else:
        open(p, "w").write(json.dumps(content))
    return p


def run_case(args, wd, case, argv, name, problem, codes):
    rc, out, err, secs = run(args.padscan, argv, args.timeout)
    one_error_line(case, rc, out, err, name, problem, codes)
    outdir = os.path.join(wd, "outdir")
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    target = os.path.join(outdir, "OUT")
    rc, out, err, secs = run(args.padscan, argv[:1] + ["-o", target] + argv[1:], args.timeout)
    one_error_line(case + " (-o)", rc, out, err, name, problem, codes)
    if rc == 2 and os.listdir(outdir):
        fail(case + " (-o)", "files left behind on exit 2: %s" % os.listdir(outdir))


def part1(args, wd, good, report, budget, baseline):
    os.makedirs(os.path.join(wd, "in"), exist_ok=True)
    all_docs = docs(good, report, baseline)
    n = 0
    for loader, doc in all_docs.items():
        cases = generic_cases(doc) + [(lbl, d, p) for lbl, d, p in number_cases(loader, doc)]
        for label, content, problem in cases:
            n += 1
            path = materialize(wd, n, content)
            for cmd, argv, codes in commands(loader, path, good, report, budget):
                if "(fleet)" in label:
                    continue
                run_case(args, wd, "%s: %s: %s" % (loader, cmd, label), argv, path, problem, codes)
            if loader == "report":
                argv = fleet_on_report(wd, path, n)
                rc, out, err, _ = run(args.padscan, argv, args.timeout)
                case = "report: fleet: %s" % label
                said = out.decode("utf-8", "replace") + err  # the table names failed services
                if rc not in (2, 3):
                    fail(case, "expected exit 2 or 3, got %s: %r" % (describe(rc), err[:300]))
                elif path not in said or (problem and not re.search(problem, said, re.I)):
                    fail(case, "output does not name %s and /%s/: %r" % (path, problem, said[-400:]))
    return n


# --------------------------------------------------------------------------
# part 2

def part2(args, wd, good, evil, budget):
    pad, t = args.padscan, args.timeout
    # JSON from names with control characters and invalid UTF-8 (the reader
    # may already have replaced them): always valid UTF-8 JSON
    for argv in (["analyze", "--format", "json", evil], ["suggest", "--format", "json", evil],
                 ["check", "--budget", budget, "--format", "sarif", evil]):
        case = "json output: " + " ".join(argv[:3])
        rc, out, err, _ = run(pad, argv, t)
        if rc not in (0, 1):
            fail(case, "%s: %r" % (describe(rc), err[:300]))
            continue
        try:
            doc = json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            fail(case, "not valid UTF-8 JSON: %s" % e)
            continue
        if not any("hostile" in st.get("name", "") for b in doc.get("binaries", [doc])
                   for st in b.get("structs", b.get("suggestions", [])) if isinstance(st, dict)) \
                and argv[0] == "analyze":
            fail(case, "the hostile structs are missing")
    # a binary path with invalid UTF-8: U+FFFD, and a warning says so
    odd = os.path.join(wd, b"bin_\xff\xfe".decode("utf-8", "surrogateescape"))
    shutil.copyfile(good, odd)
    rc, out, err, _ = run(pad, ["analyze", "--format", "json", odd], t)
    try:
        doc = json.loads(out.decode("utf-8"))
        if "bin_\ufffd\ufffd" not in doc["binaries"][0]["path"]:
            fail("json output: non-UTF-8 path", "path not shown with U+FFFD: %r"
                 % doc["binaries"][0]["path"])
        if not re.search(r"^padscan: warning: .*UTF-8", err, re.M):
            fail("json output: non-UTF-8 path", "no warning that bytes were replaced: %r" % err)
    except (UnicodeDecodeError, ValueError, KeyError, IndexError) as e:
        fail("json output: non-UTF-8 path", "%s: %s" % (describe(rc), e))
    # a budget every struct fails, so messages name structs and binaries
    strict = os.path.join(wd, "strict_budget.json")
    json.dump({"rules": [{"types": ["*"], "max_waste": 0}]}, open(strict, "w"))
    # a binary path with a control character, a newline and invalid UTF-8
    ctl = os.path.join(wd, b"ctl_\x01\nnl_\xff".decode("utf-8", "surrogateescape"))
    shutil.copyfile(evil, ctl)
    # JUnit XML
    for b in (evil, ctl):
        rc, out, err, _ = run(pad, ["check", "--budget", strict, "--format", "junit", b], t)
        try:
            xml.dom.minidom.parseString(out)
        except Exception as e:  # noqa: BLE001 - any parser error is the finding
            fail("junit output", "%s: not well-formed XML: %s" % (describe(rc), e))
        if rc != 1:
            fail("junit output", "expected exit 1 (every struct fails), got %s" % describe(rc))
    for fmt, argv, want in [(f, ["check", "--budget", strict, "--format", f, ctl], 1)
                            for f in ("text", "github", "markdown")] + [
            ("analyze", ["analyze", ctl], 0), ("suggest", ["suggest", "--all", ctl], 0)]:
        rc, out, err, _ = run(pad, argv, t)
        text = out.decode("utf-8", "replace")
        if rc != want or re.search(r"^nl_", text, re.M) or "\x01" in text:
            fail("control characters in a path (%s)" % fmt,
                 "%s; a line starts with what follows the newline, or \\x01 is raw: %r"
                 % (describe(rc), text[:300]))
    # text outputs: no line may start with what follows a name's newline
    for argv in (["analyze", evil], ["suggest", evil], ["check", "--budget", budget, evil],
                 ["check", "--budget", budget, "--format", "github", evil],
                 ["check", "--budget", budget, "--format", "markdown", evil]):
        rc, out, err, _ = run(pad, argv, t)
        case = "text output: " + " ".join(argv[:4])
        if rc not in (0, 1):
            fail(case, "%s: %r" % (describe(rc), err[:300]))
            continue
        for ln in out.decode("utf-8", "replace").splitlines():
            if re.match(r"\s*(nl\t|nl\\t|nl\rx)", ln) or "\x1b" in ln:
                fail(case, "a name split the output or kept a control character: %r" % ln)
                break
        if b"hostile" not in out and argv[0] != "check":
            fail(case, "the hostile names are missing from the output")
    # a saved report with control characters in names, through diff (text)
    rep = os.path.join(wd, "evil_report.json")
    run(pad, ["analyze", "--format", "json", "-o", rep, evil], t)
    rep2 = os.path.join(wd, "good_report.json")
    rc, out, err, _ = run(pad, ["diff", rep2, rep], t)
    for ln in out.decode("utf-8", "replace").splitlines():
        if re.match(r"\s*nl", ln):
            fail("diff text", "a name split the output: %r" % ln)
    # an error about a path with a newline is one line
    nl = os.path.join(wd, "no\nsuch.json")
    rc, out, err, _ = run(pad, ["check", "--budget", nl, good], t)
    one_error_line("path with a newline", rc, out, err, None, r"no\\nsuch\.json")
    # a 250-character output name
    outdir = os.path.join(wd, "longname")
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    long = os.path.join(outdir, "a" * 245 + ".json")
    rc, out, err, _ = run(pad, ["analyze", "--format", "json", "-o", long, good], t)
    if rc != 0 or os.listdir(outdir) != [os.path.basename(long)]:
        fail("250-character -o", "%s, folder %s: %r" % (describe(rc), os.listdir(outdir), err))
    # --write-baseline that fails leaves no -o file (and no temporary file)
    shutil.rmtree(outdir)
    os.makedirs(outdir)
    rc, out, err, _ = run(pad, ["check", "--budget", budget, "-o", os.path.join(outdir, "OUT"),
                                "--write-baseline", os.path.join(wd, "missing", "b.json"), good], t)
    one_error_line("--write-baseline fails", rc, out, err, "b.json", r"cannot")
    if os.listdir(outdir):
        fail("--write-baseline fails", "files left: %s" % os.listdir(outdir))
    # a file-size limit: write fails with EFBIG, one line, no temporary file
    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
    rc, out, err, _ = run(pad, ["analyze", "--format", "json", "-o", os.path.join(outdir, "OUT"),
                                good], t, preexec=small_files)
    one_error_line("RLIMIT_FSIZE", rc, out, err, "OUT", r"cannot write")
    if os.listdir(outdir):
        fail("RLIMIT_FSIZE", "files left: %s" % os.listdir(outdir))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal_during_write(args, outdir, good, sig)
    out_of_memory(args, wd)


def asan_build(padscan):
    p = subprocess.run(["ldd", padscan], stdout=subprocess.PIPE, universal_newlines=True)
    return "libasan" in p.stdout


def out_of_memory(args, wd):
    """Out of memory (RLIMIT_AS) while a large report is read: one line, exit 2."""
    if asan_build(args.padscan):
        C.log("note: out-of-memory case not run: ASan needs more address space than any "
              "limit that makes padscan fail (the plain build runs it)")
        return
    big = os.path.join(wd, "big_report.json")
    structs = [{"name": "pkg.T%d" % i, "lang": "go", "size": 64, "waste": 8, "cachelines": 1,
                "members": [{"name": "f%d" % k, "offset": k * 8, "size": 8} for k in range(8)]}
               for i in range(40000)]
    json.dump({"tool": "padscan", "cacheline": 64,
               "binaries": [{"path": "x", "lang": "go", "ptr_size": 8, "structs": structs}]},
              open(big, "w"))

    def little_memory():
        resource.setrlimit(resource.RLIMIT_AS, (120 << 20, 120 << 20))
    rc, out, err, _ = run(args.padscan, ["diff", big, big], args.timeout, preexec=little_memory)
    one_error_line("out of memory", rc, out, err, None, r"out of memory")


def signal_during_write(args, outdir, good, sig):
    """fsync held up for 3 s by strace; the signal arrives meanwhile."""
    case = "%s during the write" % sig.name
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    pidfile = os.path.join(outdir, "..", "padscan.pid")
    strace = subprocess.Popen(
        ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync",
         "-e", "inject=fsync:delay_enter=3000000", "sh", "-c",
         'echo $$ > "$0"; exec "$@"', pidfile, args.padscan, "analyze", "--format", "json",
         "-o", os.path.join(outdir, "OUT"), good],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline and not os.listdir(outdir):
        time.sleep(0.05)
    seen = os.listdir(outdir)
    if not seen:
        strace.kill()
        strace.wait()
        fail(case, "no temporary file appeared (strace: %r)" % strace.stderr.read()[:300])
        return
    os.kill(int(open(pidfile).read()), sig)
    try:
        strace.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        strace.kill()
        strace.wait()
        fail(case, "padscan did not end after the signal")
    left = os.listdir(outdir)
    if left:
        fail(case, "left behind: %s (temporary was %s)" % (left, seen))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    wd = os.path.abspath(args.workdir)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    try:
        good, evil, report, budget, baseline = build(args, wd)
    except (RuntimeError, OSError) as e:
        C.log("harness error: %s" % e)
        return 2
    n = part1(args, wd, good, report, budget, baseline)
    part2(args, wd, good, evil, budget)
    C.log("hostile_json: %d JSON inputs, %d failures" % (n, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
