#!/usr/bin/env python3
"""Self-test helper: turn a fixture `dump` into padscan-shaped JSON.

Only for exercising check_go.py before padscan exists (and for proving it
fails on wrong numbers via --corrupt).  Not a source of expected values.
usage: fake_go_json.py DUMP.json OUT.json [--corrupt STRUCT.FIELD=OFFSET]
"""
import json
import sys

dump = json.load(open(sys.argv[1]))
arch = {"amd64": "x86_64", "386": "i386", "arm64": "aarch64"}[dump["goarch"]]
structs = []
for t in dump["structs"]:
    members = []
    for f in t["fields"]:
        members.append({"name": f["name"], "type": f["type"], "offset": f["offset"],
                        "size": f["size"], "align": 1, "bit_offset": 0, "bit_size": 0,
                        "embedded": f["embedded"], "anonymous": False})
    holes, cur, after = [], 0, None
    for m in members:
        if m["offset"] > cur:
            holes.append({"offset": cur, "size": m["offset"] - cur, "after": after})
        cur = max(cur, m["offset"] + m["size"])
        after = m["name"]
    tail = t["size"] - cur
    structs.append({"name": t["name"], "ctype": None, "lang": "go", "kind": "struct",
                    "size": t["size"], "align": t["align"], "packed": False,
                    "members": members, "holes": holes, "bit_holes": [],
                    "tail_padding": tail, "waste": tail + sum(h["size"] for h in holes),
                    "pointer_bytes": t["pointer_bytes"]})
for a in sys.argv[3:]:
    if a.startswith("--corrupt"):
        continue
    sf, val = a.split("=")
    sname, fname = sf.rsplit(".", 1)
    for s in structs:
        if s["name"] == sname:
            if fname in ("size", "align", "pointer_bytes"):
                s[fname] = int(val)
            for m in s["members"]:
                if m["name"] == fname:
                    m["offset"] = int(val)
json.dump({"tool": "padscan", "schema_version": 1, "binaries": [
    {"path": "fixture", "arch": arch, "ptr_size": dump["ptr_size"], "lang": "go",
     "structs": structs}]}, open(sys.argv[2], "w"), indent=1)
