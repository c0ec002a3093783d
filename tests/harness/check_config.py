#!/usr/bin/env python3
"""padscan.json (--config) for suggest: hot fields go first without giving
up the minimum size, fixed types are kept, and a bad config is one stderr
line naming the file and the JSON path, exit 2.

Expected values come from padscan's own suggest output without a config and
from the compiler-built fixture; nothing about the layout is typed here.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pscommon as C  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "c")


def suggest(padscan, binary, config=None, extra=()):
    cmd = [padscan, "suggest", "--all", "--format", "json"] + list(extra) + [binary]
    if config:
        cmd[2:2] = ["--config", config]
    p = C.run(cmd)
    if p.returncode != 0:
        raise RuntimeError("padscan failed (%d): %s" % (p.returncode, p.stderr))
    return {s["name"]: s for s in json.loads(p.stdout)["binaries"][0]["suggestions"]}


def pick(plain):
    """Structs padscan would reorder, with at least four ordinary members."""
    out = []
    for name, s in sorted(plain.items()):
        members = [m for m in s["old_order"] if m["name"] and not m["bit_size"]]
        if s["improves"] and not s["kept"] and len(members) >= 4 and s.get("ctype"):
            out.append((name, s))
    return out


def check_hot(padscan, binary, workdir, plain, errors, planted):
    candidates = pick(plain)
    if not candidates:
        errors.append("no reorderable struct with four members in the fixture")
        return 0
    checked = 0
    for name, s in candidates:
        names = [m["name"] for m in s["old_order"] if m["name"] and not m["bit_size"]]
        hot = [names[-1], names[-2]]  # the last declared: the furthest from the front
        cfg = os.path.join(workdir, "hot.json")
        with open(cfg, "w") as f:
            json.dump({"types": {s["ctype"]: {"hot": hot}}}, f)
        got = suggest(padscan, binary, cfg)[name]
        want_size = s["optimal_size"] + (1 if planted else 0)
        if got["optimal_size"] != want_size:
            errors.append("%s: with hot fields %s the size is %d, without %d (hot fields may not "
                          "cost size)" % (name, hot, got["optimal_size"], want_size))
        # the cache lines the hot fields span in the order chosen without a
        # config: the config's order may not be worse
        line = 64
        spans = [(m["offset"], max(1, m["size"])) for m in s["new_order"] if m["name"] in hot]
        before = max(o + n - 1 for o, n in spans) // line - min(o for o, _ in spans) // line + 1
        if got["optimal_hot_cachelines"] > before:
            errors.append("%s: hot fields %s span %d cache lines, %d without the config"
                          % (name, hot, got["optimal_hot_cachelines"], before))
        if not any(hot[0] in r or "hot" in r for r in got["reasons"]):
            errors.append("%s: no reason mentions the hot fields: %s" % (name, got["reasons"]))
        checked += 1
    return checked


def check_fixed(padscan, binary, workdir, plain, errors):
    name, s = pick(plain)[0]
    cfg = os.path.join(workdir, "fixed.json")
    with open(cfg, "w") as f:
        json.dump({"fixed": [s["ctype"]]}, f)
    got = suggest(padscan, binary, cfg)[name]
    if not got["kept"] or "fixed" not in got["kept"] or got["improves"]:
        errors.append("%s: listed as fixed but padscan suggests %s" % (name, got["new_order"]))
    if [m["offset"] for m in got["new_order"]] != [m["offset"] for m in got["old_order"]]:
        errors.append("%s: fixed, yet its offsets change" % name)


BAD = [
    ("not json", "{\"types\": [1", "invalid JSON"),
    ("top level", "[]", "$: expected an object"),
    ("unknown key", "{\"colour\": 1}", "$.colour"),
    ("cacheline type", "{\"cacheline\": \"64\"}", "$.cacheline"),
    ("cacheline zero", "{\"cacheline\": 0}", "$.cacheline"),
    ("types type", "{\"types\": [1]}", "$.types"),
    ("hot type", "{\"types\": {\"x\": {\"hot\": [1]}}}", "$.types[\"x\"].hot[0]"),
    ("fixed type", "{\"types\": {\"x\": {\"fixed\": 1}}}", "$.types[\"x\"].fixed"),
    ("unknown rule", "{\"types\": {\"x\": {\"hott\": []}}}", "$.types[\"x\"].hott"),
    ("fixed list", "{\"fixed\": [\"\"]}", "$.fixed[0]"),
]


def check_bad(padscan, binary, workdir, plain, errors):
    name, s = pick(plain)[0]
    cases = list(BAD) + [
        ("no such type", json.dumps({"types": {"struct no_such_type": {"hot": ["a"]}}}),
         "$.types[\"struct no_such_type\"]"),
        ("no such member", json.dumps({"types": {s["ctype"]: {"hot": ["no_such_member"]}}}),
         "$.types[\"%s\"].hot[0]" % s["ctype"]),
    ]
    out = os.path.join(workdir, "out.json")
    for label, text, path in cases:
        cfg = os.path.join(workdir, "bad.json")
        with open(cfg, "w") as f:
            f.write(text)
        if os.path.exists(out):
            os.unlink(out)
        p = C.run([padscan, "suggest", "--config", cfg, "-o", out, binary])
        lines = p.stderr.strip().splitlines()
        if p.returncode != 2 or len(lines) != 1 or cfg not in lines[0] or path not in lines[0]:
            errors.append("bad config (%s): want exit 2 and one line naming %s and %s; got %d: %r"
                          % (label, cfg, path, p.returncode, p.stderr))
        if os.path.exists(out):
            errors.append("bad config (%s): %s was written" % (label, out))
    p = C.run([padscan, "suggest", "--config", os.path.join(workdir, "missing.json"), binary])
    if p.returncode != 2 or "missing.json" not in p.stderr:
        errors.append("missing config: want exit 2 naming the file, got %d %r" % (p.returncode, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--self-check", action="store_true", help="plant a wrong size; must fail")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    binary = os.path.join(a.workdir, "fixture")
    p = C.run(["gcc", "-g", "-O0", "-std=gnu11", "-I", FIXTURE, "-o", binary,
               os.path.join(FIXTURE, "fixture.c")])
    if p.returncode != 0:
        print("cannot build the fixture: " + p.stderr)
        return 1
    plain = suggest(a.padscan, binary)
    errors = []
    n = check_hot(a.padscan, binary, a.workdir, plain, errors, a.self_check)
    check_fixed(a.padscan, binary, a.workdir, plain, errors)
    check_bad(a.padscan, binary, a.workdir, plain, errors)
    for e in errors:
        print("MISMATCH [config] " + e)
    if a.self_check:
        ok = any("hot fields may not cost size" in e for e in errors)
        print("check_config self-check: planted error %s" % ("caught" if ok else "MISSED"))
        return 0 if ok else 1
    print("check_config: %d structs with hot fields, %d bad configs, %d mismatches"
          % (n, len(BAD) + 3, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
