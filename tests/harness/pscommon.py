"""Shared helpers for the padscan test harnesses (standard library only).

Works with /usr/bin/python3 (3.11) and newer.
"""

import json
import os
import shutil
import struct
import subprocess
import sys

SKIP_RC = 77  # ctest SKIP_RETURN_CODE

# A CI job's checkout ($GITHUB_WORKSPACE, $CI_PROJECT_DIR) would be the
# repository root of every path padscan prints (docs/ci.md "Paths"); the
# fixtures are repositories of their own, and tests that want those
# variables set them explicitly.
for _var in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
    os.environ.pop(_var, None)


def log(msg):
    print(msg, flush=True)


def run(cmd, cwd=None, env=None, check=False, timeout=600):
    """Run a command, return CompletedProcess with text output."""
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (rc=%d): %s\n%s%s" % (
            p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return p


def load_padscan_json(padscan, binaries, json_override=None):
    """Run `padscan analyze --format json BIN...` (or load a file) -> dict."""
    if json_override:
        with open(json_override) as f:
            return json.load(f)
    if not padscan or not os.path.exists(padscan):
        raise FileNotFoundError("padscan binary not found: %r" % (padscan,))
    cmd = [padscan, "analyze", "--format", "json", "--all-types"] + list(binaries)
    p = run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (rc=%d): %s\nstderr:\n%s" % (
            p.returncode, " ".join(cmd), p.stderr[-4000:]))
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        raise RuntimeError("padscan output is not valid JSON (%s); first 500 chars:\n%s"
                           % (e, p.stdout[:500]))


def pick_binary(doc, path):
    """Return the binaries[] entry for `path` (falls back to the only one)."""
    bins = doc.get("binaries") or []
    if not bins:
        raise RuntimeError("padscan JSON has no binaries[]")
    want = os.path.realpath(path)
    for b in bins:
        p = b.get("path")
        if p and (p == path or os.path.realpath(p) == want
                  or os.path.basename(p) == os.path.basename(path)):
            return b
    if len(bins) == 1:
        return bins[0]
    raise RuntimeError("no binaries[] entry for %s" % path)


# --------------------------------------------------------------------------
# Executing target binaries (native, else qemu-user if installed)

ELF_MACHINES = {3: "i386", 62: "x86_64", 183: "aarch64", 40: "arm", 243: "riscv64"}
QEMU_FOR = {"i386": ["qemu-i386", "qemu-i386-static"],
            "x86_64": ["qemu-x86_64", "qemu-x86_64-static"],
            "aarch64": ["qemu-aarch64", "qemu-aarch64-static"],
            "arm": ["qemu-arm", "qemu-arm-static"]}


def elf_machine(path):
    with open(path, "rb") as f:
        hdr = f.read(20)
    if hdr[:4] != b"\x7fELF":
        return None
    end = "<" if hdr[5] == 1 else ">"
    (mach,) = struct.unpack(end + "H", hdr[18:20])
    return ELF_MACHINES.get(mach, "machine-%d" % mach)


def exec_prefixes(path):
    """Candidate command prefixes able to execute `path`, best first."""
    cands = [[]]
    arch = elf_machine(path)
    for q in QEMU_FOR.get(arch, []):
        exe = shutil.which(q)
        if exe:
            cands.append([exe])
    return cands


def try_execute(path, args, cwd=None, env=None, timeout=120):
    """Run a target binary natively or under qemu-user.

    Returns (CompletedProcess, how) or (None, reason) when it cannot run."""
    last = "no way to execute"
    for pre in exec_prefixes(path):
        try:
            p = run(pre + [path] + list(args), cwd=cwd, env=env, timeout=timeout)
        except OSError as e:   # ENOEXEC: Exec format error
            last = "native exec failed: %s" % e
            continue
        except subprocess.TimeoutExpired:
            last = "timeout under %s" % (pre or "native")
            continue
        # under qemu-user any failure is treated as "cannot run here"
        # (Go 386 binaries crash in qemu-i386 7.2: "bad g in signal handler")
        if p.returncode == 126 or (pre and p.returncode != 0):
            last = "%s: rc=%d %s" % (pre[0] if pre else "native", p.returncode,
                                     p.stderr.strip().splitlines()[:1])
            continue
        return p, ("native" if not pre else os.path.basename(pre[0]))
    return None, last


# --------------------------------------------------------------------------
# Minimal ELF reader: bytes of a defined data symbol in an ET_REL / ET_EXEC

class Elf:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF":
            raise ValueError("%s: not ELF" % path)
        self.is64 = d[4] == 2
        self.end = "<" if d[5] == 1 else ">"
        e = self.end
        if self.is64:
            (self.e_type,) = struct.unpack_from(e + "H", d, 16)
            shoff, = struct.unpack_from(e + "Q", d, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", d, 0x3A)
        else:
            (self.e_type,) = struct.unpack_from(e + "H", d, 16)
            shoff, = struct.unpack_from(e + "I", d, 0x20)
            shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", d, 0x2E)
        self.shstrndx = shstrndx
        self.sections = []
        for i in range(shnum):
            off = shoff + i * shentsize
            if self.is64:
                (name, typ, flags, addr, offset, size, link, info, align,
                 entsize) = struct.unpack_from(e + "IIQQQQIIQQ", d, off)
            else:
                (name, typ, flags, addr, offset, size, link, info, align,
                 entsize) = struct.unpack_from(e + "IIIIIIIIII", d, off)
            self.sections.append(dict(name=name, type=typ, addr=addr, offset=offset,
                                      size=size, link=link, entsize=entsize))
        self.symbols = {}
        for s in self.sections:
            if s["type"] not in (2, 11):  # SYMTAB, DYNSYM
                continue
            strtab = self.sections[s["link"]]
            n = s["size"] // s["entsize"]
            for i in range(n):
                off = s["offset"] + i * s["entsize"]
                if self.is64:
                    st_name, st_info, st_other, st_shndx, st_value, st_size = \
                        struct.unpack_from(e + "IBBHQQ", d, off)
                else:
                    st_name, st_value, st_size, st_info, st_other, st_shndx = \
                        struct.unpack_from(e + "IIIBBH", d, off)
                nm = self._cstr(strtab["offset"] + st_name)
                if nm and st_shndx not in (0, 0xFFF1, 0xFFF2) and nm not in self.symbols:
                    self.symbols[nm] = (st_shndx, st_value, st_size)

    def section_name(self, sec):
        if not self.shstrndx or self.shstrndx >= len(self.sections):
            return ""
        return self._cstr(self.sections[self.shstrndx]["offset"] + sec["name"])

    def _cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("utf-8", "replace")

    def symbol_bytes(self, name):
        shndx, value, size = self.symbols[name]
        sec = self.sections[shndx]
        rel = value if self.e_type == 1 else value - sec["addr"]
        if sec["type"] == 8:  # NOBITS (.bss)
            return bytes(size)
        start = sec["offset"] + rel
        return self.data[start:start + size]


def set_bits(buf):
    """Absolute little-endian bit numbers set in buf (bit 0 = LSB of byte 0)."""
    out = []
    for i, b in enumerate(buf):
        if b:
            for j in range(8):
                if b >> j & 1:
                    out.append(i * 8 + j)
    return out


def bits_summary(bits):
    """(first, count, contiguous) for a list of set bit numbers."""
    if not bits:
        return (None, 0, True)
    return (bits[0], len(bits), bits[-1] - bits[0] + 1 == len(bits))


def go_env(wd, goarch="amd64"):
    """Environment for building Go fixtures offline, caches under wd."""
    env = dict(os.environ)
    env.update({"GOOS": "linux", "GOARCH": goarch, "CGO_ENABLED": "0",
                "GO111MODULE": "on", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local",
                "GOPROXY": "off",
                "GOCACHE": os.environ.get("PADSCAN_GOCACHE") or os.path.join(wd, "gocache"),
                "GOPATH": os.path.join(wd, "gopath")})
    return env


def fetch_go(version, dest):
    """Run fetch_go.sh VERSION [--dest DEST] -> (rc, GOROOT or None)."""
    cmd = ["bash", os.path.join(os.path.dirname(os.path.abspath(__file__)), "fetch_go.sh"), version]
    if dest:
        cmd += ["--dest", dest]
    log("fetching Go %s: %s" % (version, " ".join(cmd)))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, universal_newlines=True)
    roots = [ln.split(None, 1)[1].strip() for ln in p.stdout.splitlines()
             if ln.split(None, 1)[:1] == [version] and len(ln.split(None, 1)) == 2]
    if p.returncode != 0 or not roots:
        return (p.returncode or 2), None
    return 0, roots[-1]


def go_fixture_setup(go, fetch, dest, workdir, goarch, fixture):
    """The Go a harness builds with (fetch_go.sh's when fetch names a
    version), its environment, "goVERSION GOARCH", and a fresh copy of the
    fixture folder in workdir/src -> (go, env, tag, src); None when the
    fetch failed (said)."""
    if fetch:
        rc, root = fetch_go(fetch, dest)
        if rc:
            log("FAIL: Go %s could not be fetched (fetch_go.sh exit %d)" % (fetch, rc))
            return None
        go = os.path.join(root, "bin", "go")
    env = go_env(workdir, goarch)
    version = run([go, "version"], env=env, check=True).stdout.split()[2]
    src = os.path.join(workdir, "src")
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(fixture, src)
    return go, env, "%s %s" % (version, goarch), src


def git_top(start):
    """The top of the git work tree holding start (a folder with .git, a
    folder or a file), or None; "/" itself is never one."""
    d = os.path.realpath(start)
    while d != "/":
        if os.path.lexists(os.path.join(d, ".git")):
            return d
        d = os.path.dirname(d)
    return None


def repo_path(decl_file, source_root, repo_root=None, env=None):
    """docs/ci.md "Paths", written independently of padscan: a declaring
    file (relative to source_root, or absolute) as the repository names it.
    Returns (path, root): path relative to root, or (absolute path, None)
    outside every candidate root, or (decl_file, None) when it is relative
    and no source root is known."""
    env = os.environ if env is None else env
    if not decl_file:
        return None, None
    if not os.path.isabs(decl_file) and not source_root:
        return decl_file, None
    base = os.path.realpath(source_root) if source_root else None
    path = decl_file if os.path.isabs(decl_file) else os.path.join(base, decl_file)

    def below(root):
        root = root.rstrip("/") or "/"
        pre = root if root == "/" else root + "/"
        return path[len(pre):] if path.startswith(pre) and len(path) > len(pre) else None

    if repo_root:
        root = os.path.realpath(repo_root)
        rel = below(root)
        return (rel, root) if rel else (path, None)
    for var in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        v = env.get(var)
        if v and v.startswith("/"):
            root = os.path.realpath(v)
            if below(root):
                return below(root), root
    top = git_top(base or os.path.dirname(path))
    if top and below(top):
        return below(top), top
    if base and below(base):
        return below(base), base
    return path, None


def padscan_and_workdir(description=None):
    """--padscan and --workdir, the arguments most harnesses take: the
    padscan path and a fresh (emptied) work directory, both absolute."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    wd = os.path.abspath(args.workdir)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    return os.path.abspath(args.padscan), wd


def libc_debug_files(most=1):
    """libc6-dbg's largest debug files, largest first."""
    found = []
    for root, _, files in os.walk("/usr/lib/debug/.build-id"):
        found += [os.path.join(root, f) for f in files if f.endswith(".debug")]
    found.sort(key=lambda p: -os.path.getsize(p))
    return found[:most]
