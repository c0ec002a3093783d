#!/usr/bin/env python3
"""Progress on stderr: shown on a terminal, never in a pipe or in CI.

padscan analyze reads a binary of many compile units (glibc's debug file,
else padscan itself) with stderr on a pseudo-terminal (python's pty) and
with stderr on a pipe:
  tty            "N of M units" lines rewritten with \\r, cleared at the end
                 (\\r ESC[K), and the same stdout as without progress
  pipe           no progress text at all
  tty, CI=true   none
  tty --no-progress  none
  pipe --progress    shown
A machine without pseudo-terminals (a chroot whose /dev has no devpts, as
../shared/tools/fresh-debian.sh makes) cannot run the terminal cases: they
are said to be left out, and the pipe, CI and flag cases still run.
Exit 0 pass, 1 fail.
"""

import argparse
import os
import pty
import select
import subprocess
import threading
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import log  # noqa: E402

failures = []


def check(cond, what):
    log(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run_tty(argv, env):
    """stdout through a pipe, stderr on a pseudo-terminal: (rc, stdout, stderr)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    err = b""
    out_chunks = []
    t = threading.Thread(target=lambda: out_chunks.append(p.stdout.read()))
    t.start()
    while True:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            err += data
        elif p.poll() is not None:
            # drain what is left
            try:
                while select.select([master], [], [], 0.1)[0]:
                    data = os.read(master, 65536)
                    if not data:
                        break
                    err += data
            except OSError:
                pass
            break
    p.wait(timeout=600)
    t.join()
    os.close(master)
    return p.returncode, b"".join(out_chunks), err


def run_pipe(argv, env):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=600)
    return p.returncode, p.stdout, p.stderr


def biggest_debug_file():
    found = []
    for root, _, files in os.walk("/usr/lib/debug/.build-id"):
        found += [os.path.join(root, f) for f in files if f.endswith(".debug")]
    return max(found, key=os.path.getsize) if found else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    args = ap.parse_args()
    padscan = os.path.abspath(args.padscan)
    binary = biggest_debug_file() or padscan
    log("binary: " + binary)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    argv = [padscan, "analyze", "--format", "json", "-j", "2", binary]

    rc, quiet_out, quiet_err = run_pipe(argv + ["--no-progress"], env)
    check(rc in (0, 1) and quiet_out, "analyze --no-progress succeeds (exit %d)" % rc)

    try:
        master, slave = pty.openpty()
        os.close(master)
        os.close(slave)
    except OSError as e:
        log("no pseudo-terminal on this machine (%s): the terminal cases are left out" % e)
        return pipe_cases(argv, env, quiet_out)
    rc, out, err = run_tty(argv, env)
    text = err.decode(errors="replace")
    check(rc in (0, 1), "tty: exit %d" % rc)
    check(" units" in text and " of " in text, "tty: progress shows units read of the total (%r)"
          % text[:200])
    check("\r" in text, "tty: the progress line is rewritten with \\r")
    check(text.endswith("\r\x1b[K"), "tty: the line is cleared at the end (%r)" % text[-40:])
    check(out == quiet_out, "tty: stdout is the same as without progress")

    rc, out, err = run_tty(argv, dict(env, CI="true"))
    check(rc in (0, 1) and b"units" not in err, "tty with CI=true: no progress (%r)" % err[:200])

    rc, out, err = run_tty(argv + ["--no-progress"], env)
    check(rc in (0, 1) and b"units" not in err, "tty --no-progress: no progress (%r)" % err[:200])
    return pipe_cases(argv, env, quiet_out)


def pipe_cases(argv, env, quiet_out):
    rc, out, err = run_pipe(argv, env)
    check(rc in (0, 1) and b"units" not in err and b"\r" not in err,
          "pipe: no progress on stderr (%r)" % err[:200])
    check(out == quiet_out, "pipe: same stdout")

    rc, out, err = run_pipe(argv + ["--progress"], env)
    check(rc in (0, 1) and b"units" in err, "pipe --progress: progress shown (%r)" % err[:200])
    check(out == quiet_out, "pipe --progress: same stdout")

    log("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
