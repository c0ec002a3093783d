#!/usr/bin/env python3
"""check_heap.py - prove `padscan heap BINARY PROFILE...` (docs/heap.md).

The truth comes from the program, never from this file: tests/fixtures/
go_heap/main.go allocates known numbers of known types in every way the
compiler allocates (new, &T{}, make, append growth, map[int]*T, map[int]T,
values escaping through interfaces, an inlined helper, goroutines, a
generic type), sets runtime.MemProfileRate = 1, writes a heap profile and
prints, per type, how it holds it: live allocations, values, sizeof.  The
program is built at test time with the given Go (system Go 1.19, or a
toolchain fetch_go.sh unpacks) for the given GOARCH and run natively or
under qemu-user.

Parts (--part, repeatable; default all):
  attribute  per type of the program: padscan's in-use objects == the
             program's live allocations (every allocation is sampled at rate
             1, so a missed site shows as a missing object); in-use bytes >=
             the program's bytes (values x sizeof); values (objects, or array
             elements: floor(allocation / sizeof)) >= the program's and <=
             bytes / sizeof; struct size == sizeof; waste / optimal size ==
             padscan analyze / suggest of the same binary; per-object
             "gives back" == padscan fleet's saved_real for that many heap
             instances (the fleet's Go size classes are proven against the
             toolchain's sizeclasses.go in check_fleet.py); map storage
             attributed to the map type; the attributed bytes of the
             program's types >= 99% of those plus every unattributed byte
             at a main.* site.  Two profiles: --combine sum doubles the
             objects, mean keeps them; text and markdown list the same types.
  refuse     a profile of another build of the program (built with
             -gcflags=all=-N -l: same name, other code) is refused (exit 2,
             one line).
  fleet      a manifest with heap_profiles: hot types without "instances"
             get the program's objects per replica (mean of two profiles) x
             replicas; one with "instances" keeps it and shows the profiles'
             count too; "profile_top" N takes the N structs with the most
             in-use values x (size - optimal size) of padscan heap's report;
             a damaged profile in a manifest is one line naming the key.
  stripped   the attribute checks on a -ldflags="-s -w" build (records from
             the runtime type descriptors, functions from .gopclntab).
  pie        the attribute checks on a -buildmode=pie build (addresses
             through the profile's mapping).
  hostile    damaged profiles (truncated gzip, not gzip, raw protobuf, empty,
             garbage protobuf, a gzip bomb, and hand-encoded protobufs with
             a missing location, a missing function, a missing mapping, a
             string index out of range, a sample with too few values, no
             inuse values, id 0, a duplicate id, a negative value): exit 2,
             empty stdout, exactly one "padscan: FILE: ..." line, no signal,
             within 20 s.

--self-check: plant wrong expectations; exit 0 iff every one is caught.
Exit status: 0 all good, 1 mismatches, 2 harness error.
"""

import argparse
import gzip
import json
import os
import shutil
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pscommon import go_fixture_setup, log, run, try_execute  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "go_heap")


class Checker:
    def __init__(self, tag, plant=False):
        self.tag, self.plant, self.bad, self.planted = tag, plant, 0, 0

    def expect(self, ok, what):
        if not ok:
            self.bad += 1
            log("FAIL [%s] %s" % (self.tag, what))
        return ok


def padscan_json(padscan, args):
    p = run([padscan, "heap", "--format", "json"] + args)
    if p.returncode != 0:
        raise RuntimeError("padscan heap %s: rc=%d %s" % (" ".join(args), p.returncode, p.stderr))
    return json.loads(p.stdout)


def build_and_run(go, src, out, env, flags=()):
    run([go, "build"] + list(flags) + ["-o", out, "."], cwd=src, env=env, check=True)


def profile_of(binary, path):
    p, how = try_execute(binary, [path])
    if p is None or p.returncode != 0:
        raise RuntimeError("%s cannot run here: %s" % (binary, how if p is None else p.stderr))
    return json.loads(p.stdout), how


def struct_facts(padscan, binary, names):
    """waste (analyze) and optimal size (suggest) of the named structs."""
    args = []
    for n in names:
        args += ["--type", n.replace("[", "[[]")]
    a = json.loads(run([padscan, "analyze", "--format", "json", "--all-types"] + args + [binary],
                       check=True).stdout)
    s = json.loads(run([padscan, "suggest", "--format", "json", "--all", "--all-types"] + args +
                       [binary], check=True).stdout)
    facts = {}
    for b in a["binaries"]:
        for r in b["structs"]:
            facts.setdefault(r["name"], {})["waste"] = r["waste"]
    for b in s["binaries"]:
        for r in b["suggestions"]:
            if r["name"] in facts:
                facts[r["name"]]["optimal_size"] = r["optimal_size"]
    return facts


def fleet_saved(padscan, binary, workdir, name, instances):
    m = os.path.join(workdir, "fleet_%d.json" % abs(hash(name)))
    with open(m, "w") as f:
        json.dump({"services": [{"name": "s", "binary": os.path.abspath(binary), "replicas": 1,
                                 "allocator": "go", "hot_types": [
                                     {"type": name.replace("[", "[[]"),
                                      "instances": instances}]}]}, f)
    doc = json.loads(run([padscan, "fleet", "--format", "json", "--include-deps", m],
                         check=True).stdout)
    return doc["services"][0]["hot_types"][0]["saved_real"]


SCHEMA = os.path.join(HERE, "..", "..", "docs", "schema", "heap.schema.json")


def schema_errors(doc):
    import jsonschema
    with open(SCHEMA) as f:
        schema = json.load(f)
    v = jsonschema.Draft202012Validator(schema)
    return ["%s: %s" % ("/".join(map(str, e.path)), e.message) for e in v.iter_errors(doc)]


def check_generic(c, doc, t):
    """A non-inlined generic function (the profile names it main.build[...]):
    the profile is accepted, and the objects are where docs/heap.md says:
    the type itself (amd64, arm64: through the caller's dictionary), its
    shape (Go 1.19: go.shape.*, same layout), or (386) unattributed because
    the type comes from the dictionary.  Returns the bytes found."""
    # (a freed Gadget of the program's own fmt.Sprintf may be listed with 0 in use)
    exact = [x for x in doc["types"] if x["type"] == t["type"] and x["inuse_objects"]]
    if exact:  # through the caller's dictionary
        c.expect(exact[0]["inuse_objects"] == t["objects"] and exact[0]["size"] == t["size"],
                 "%s (generic function): %s objects of %s bytes, the program holds %d of %d" %
                 (t["type"], exact[0]["inuse_objects"], exact[0]["size"], t["objects"], t["size"]))
        log("[%s] %s (generic function, not inlined): attributed through the caller's "
            "dictionary" % (c.tag, t["type"]))
        return exact[0]["inuse_bytes"]
    got = [x for x in doc["types"] if x["type"].startswith("go.shape.") and x["size"] == t["size"]]
    if got:
        n = sum(x["inuse_objects"] for x in got)
        c.expect(n >= t["objects"], "%s (generic function): %d objects on %s, the program "
                 "holds %d" % (t["type"], n, [x["type"] for x in got], t["objects"]))
        return sum(x["inuse_bytes"] for x in got)
    dict_ = [u for u in doc["unattributed"] if "not loaded as a constant" in u["reason"]]
    n = sum(u["inuse_objects"] for u in dict_)
    c.expect(n >= t["objects"], "%s (generic function): neither attributed nor unattributed as "
             "generic code (%d objects there)" % (t["type"], n))
    log("[%s] %s (generic function, not inlined): unattributed, the type comes from the "
        "dictionary" % (c.tag, t["type"]))
    return 0


def check_attribute(c, padscan, binary, profile, profile2, truth, workdir):
    doc = padscan_json(padscan, [binary, profile])
    errs = schema_errors(doc)
    c.expect(not errs, "JSON does not follow docs/schema/heap.schema.json: %s" % errs[:3])
    bad_doc = json.loads(json.dumps(doc))
    bad_doc["types"][0]["how"] = ["heap"]
    c.expect(schema_errors(bad_doc), "the schema accepts a type held as 'heap'")
    types = {t["type"]: t for t in doc["types"]}
    records = [t["type"] for t in truth if t["how"] not in ("map", "generic")]
    facts = struct_facts(padscan, binary, records)
    ours = 0
    for t in truth:
        name = t["type"]
        if t["how"] == "generic":
            ours += check_generic(c, doc, t)
            continue
        got = types.get(name)
        if not c.expect(got is not None, "%s: not among padscan's types" % name):
            continue
        objects = got["inuse_objects"] - (1 if c.plant and name == "main.Player" else 0)
        if t["how"] == "map":
            c.expect("map" in got["how"], "%s: how %s, not map" % (name, got["how"]))
            c.expect(got["inuse_bytes"] >= t["min_bytes"],
                     "%s: %s in-use bytes < %d (len x (key + value))" %
                     (name, got["inuse_bytes"], t["min_bytes"]))
            ours += got["inuse_bytes"]
            continue
        c.expect(objects == t["objects"], "%s (%s): %s in-use objects, the program holds %d" %
                 (name, t["how"], objects, t["objects"]))
        c.expect(got["size"] == t["size"], "%s: size %s, sizeof %d" % (name, got["size"], t["size"]))
        c.expect(got["inuse_bytes"] >= t["min_bytes"], "%s: %s in-use bytes < the program's %d" %
                 (name, got["inuse_bytes"], t["min_bytes"]))
        vals = got["inuse_values"]
        c.expect(t["values"] <= vals <= got["inuse_bytes"] // t["size"],
                 "%s: %s values, the program holds %d (at most %d fit)" %
                 (name, vals, t["values"], got["inuse_bytes"] // t["size"]))
        if t["how"] == "object":
            c.expect(vals == t["values"], "%s: %s values for %d objects" % (name, vals, t["values"]))
        ours += got["inuse_bytes"]
        f = facts.get(name, {})
        c.expect(got.get("struct") and got.get("waste") == f.get("waste") and
                 got.get("optimal_size") == f.get("optimal_size"),
                 "%s: waste/optimal %s/%s, analyze/suggest say %s/%s" %
                 (name, got.get("waste"), got.get("optimal_size"), f.get("waste"),
                  f.get("optimal_size")))
        if t["how"] == "object":
            want = fleet_saved(padscan, binary, workdir, name, t["objects"])
            c.expect(abs(got["gives_back"] - want) < 0.5,
                     "%s: gives back %s, fleet prices %d heap objects at %s" %
                     (name, got["gives_back"], t["objects"], want))
    missed = sum(u["inuse_bytes"] for u in doc["unattributed"]
                 if (u.get("where") or "").startswith("main."))
    share = ours / float(ours + missed) if ours + missed else 0
    c.expect(share >= 0.99, "attributed %.4f of the program's in-use bytes (< 0.99)" % share)
    log("[%s] attributed %.2f%% of the program's in-use bytes; coverage of the whole heap %.2f%%"
        % (c.tag, 100 * share, 100 * doc["total"]["coverage"]))
    # two profiles: sum and mean
    both = [binary, profile, profile2]
    s = {t["type"]: t for t in padscan_json(padscan, ["--combine", "sum"] + both)["types"]}
    mean_doc = padscan_json(padscan, both)
    m = {t["type"]: t for t in mean_doc["types"]}
    errs = schema_errors(mean_doc)
    c.expect(not errs, "JSON of two profiles does not follow the schema: %s" % errs[:3])
    for t in truth:
        if t["how"] == "object":
            name = t["type"]
            c.expect(s.get(name, {}).get("inuse_objects") == 2 * t["objects"],
                     "--combine sum: %s has %s objects, not 2 x %d" %
                     (name, s.get(name, {}).get("inuse_objects"), t["objects"]))
            c.expect(m.get(name, {}).get("inuse_objects") == t["objects"],
                     "--combine mean: %s has %s objects, not %d" %
                     (name, m.get(name, {}).get("inuse_objects"), t["objects"]))
    text = run([padscan, "heap", binary, profile], check=True).stdout
    md = run([padscan, "heap", "--format", "markdown", binary, profile], check=True).stdout
    for t in truth:
        if t["how"] == "generic":
            continue
        c.expect(("  %s " % t["type"]) in text, "text output lacks %s" % t["type"])
        c.expect(("`%s`" % t["type"]) in md, "markdown output lacks %s" % t["type"])
    c.expect("estimates" in text and "unattributed" in text.lower() or not doc["unattributed"],
             "text output does not state the estimate and the unattributed share")


def check_fleet(c, padscan, binary, profile, profile2, truth, workdir):
    """fleet heap_profiles: counts per replica from the profiles (the mean),
    the manifest's count kept when given (both shown), the top structs by
    wasted heap bytes taken as hot types."""
    objects = {t["type"]: t["objects"] for t in truth if t["how"] == "object"}
    names = sorted(objects)
    manifest = {"services": [
        {"name": "counted", "binary": binary, "replicas": 7,
         "heap_profiles": [profile, profile2], "profile_top": 1,
         "hot_types": [{"type": n.replace("[", "[[]")} for n in names[:3]] +
                      [{"type": names[3].replace("[", "[[]"), "instances": 11}]},
        {"name": "top", "binary": binary, "replicas": 3, "heap_profiles": [profile],
         "profile_top": 4}]}
    path = os.path.join(workdir, "fleet_profiles.json")
    with open(path, "w") as f:
        json.dump(manifest, f)
    p = run([padscan, "fleet", "--format", "json", "--include-deps", path])
    if not c.expect(p.returncode == 0, "fleet with heap_profiles: rc=%d %s" % (p.returncode, p.stderr)):
        return
    svc = {s["name"]: s for s in json.loads(p.stdout)["services"]}
    rows = {t["type"]: t for t in svc["counted"]["hot_types"]}
    for n in names[:3]:
        r = rows.get(n, {})
        c.expect(r.get("instances_from") == "profile" and r.get("held") == "heap" and
                 r.get("instances") == 7 * objects[n] and r.get("profile_instances") == objects[n],
                 "fleet: %s from the profiles: %s, want %d per replica x 7" % (n, r, objects[n]))
    r = rows.get(names[3], {})
    c.expect(r.get("instances_from") == "both" and r.get("instances") == 77 and
             r.get("manifest_instances") == 11 and r.get("profile_instances") == objects[names[3]],
             "fleet: %s in both: %s, want 11 x 7 used and %d from the profiles" %
             (names[3], r, objects[names[3]]))
    heap = padscan_json(padscan, [binary, profile])
    wasted = sorted(((t["inuse_values"] * (t["size"] - t["optimal_size"]), t["type"])
                     for t in heap["types"] if t.get("struct") and t["optimal_size"] < t["size"]),
                    reverse=True)
    want = set(n for _, n in wasted[:4])
    got = set(t["type"] for t in svc["top"]["hot_types"])
    c.expect(got == want, "fleet profile_top 4: %s, the heap report's top wasters are %s" %
             (sorted(got), sorted(want)))
    for t in svc["top"]["hot_types"]:
        if t["type"] in objects and t["held"] == "heap":
            c.expect(t["instances"] == 3 * objects[t["type"]],
                     "fleet top: %s has %s instances, want %d x 3" %
                     (t["type"], t["instances"], objects[t["type"]]))
    text = run([padscan, "fleet", "--include-deps", path], check=True).stdout
    c.expect("instances from the heap profiles" in text and "instances from the manifest (heap "
             "profiles: " in text, "fleet text does not say where the counts come from")
    for svc_edit, key in (({"report": path}, "heap_profiles"),
                          ({"heap_profiles": None, "profile_top": 2}, "profile_top")):
        s2 = dict(manifest["services"][1], **svc_edit)
        s2 = {k: v for k, v in s2.items() if v is not None and not (k == "binary" and "report" in s2)}
        mpath = os.path.join(workdir, "fleet_bad_%s.json" % key)
        with open(mpath, "w") as f:
            json.dump({"services": [s2]}, f)
        one_line_error(c, padscan, [mpath], "$.services[0]", "fleet manifest: %s misused" % key,
                       command="fleet")
    bad = dict(manifest)
    bad["services"] = [dict(manifest["services"][1], heap_profiles=[
        os.path.join(workdir, "hostile", "truncated_gzip.pb.gz")])]
    if os.path.exists(bad["services"][0]["heap_profiles"][0]):
        bpath = os.path.join(workdir, "fleet_bad_profile.json")
        with open(bpath, "w") as f:
            json.dump(bad, f)
        one_line_error(c, padscan, [bpath], "$.services[0].heap_profiles", "fleet: a damaged profile",
                       command="fleet")


def one_line_error(c, padscan, args, path, what, command="heap"):
    p = run([padscan, command] + args, timeout=20)
    lines = p.stderr.splitlines()
    ok = (p.returncode == 2 and not p.stdout and len(lines) == 1 and
          lines[0].startswith("padscan: ") and path in lines[0])
    c.expect(ok, "%s: rc=%d stdout=%r stderr=%r" % (what, p.returncode, p.stdout[:80], p.stderr))
    if ok:
        log("ok [%s] %s: %s" % (c.tag, what, lines[0]))
    return ok


def check_refuse(c, padscan, go, src, env, workdir, profile):
    other_dir = os.path.join(workdir, "other")
    os.makedirs(other_dir, exist_ok=True)
    other = os.path.join(other_dir, "heapprog")  # the same file name, another build
    build_and_run(go, src, other, env, flags=["-gcflags=all=-N -l"])
    one_line_error(c, padscan, [other, profile], profile, "a profile of another build")
    one_line_error(c, padscan, ["--ignore-name", other, profile], profile,
                   "a profile of another build, --ignore-name (the functions differ)")


# --- hand-encoded protobufs ------------------------------------------------

def varint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def field(num, value):
    if isinstance(value, (bytes, bytearray)):
        return varint(num << 3 | 2) + varint(len(value)) + bytes(value)
    return varint(num << 3) + varint(value)


def message(*fields):
    return b"".join(field(n, v) for n, v in fields)


def profile_proto(strings=None, sample_types=None, samples=None, locations=None,
                  functions=None, mappings=None):
    strings = strings if strings is not None else [
        "", "inuse_objects", "count", "inuse_space", "bytes", "main.f", "/x/otherprog"]
    out = b""
    for t, u in (sample_types if sample_types is not None else [(1, 2), (3, 4)]):
        out += field(1, message((1, t), (2, u)))
    for s in (samples if samples is not None else [([1], [1, 64])]):
        locs, vals = s[0], s[1]
        labels = [(3, message((1, k), (2, st), (3, n), (4, u))) for k, st, n, u in
                  (s[2] if len(s) > 2 else [])]
        out += field(2, message(*([(1, l) for l in locs] + [(2, v) for v in vals] + labels)))
    for m in (mappings if mappings is not None else [(1, 6)]):
        out += field(3, message((1, m[0]), (2, 0x400000), (3, 0x500000), (5, m[1])))
    for l in (locations if locations is not None else [(1, 1, 0x401000, 1)]):
        lid, mid, addr, fid = l
        out += field(4, message((1, lid), (2, mid), (3, addr), (4, message((1, fid), (2, 7)))))
    for fn in (functions if functions is not None else [(1, 5)]):
        out += field(5, message((1, fn[0]), (2, fn[1])))
    for s in strings:
        out += field(6, s.encode())
    return out


def hostile_cases(workdir, profile):
    with open(profile, "rb") as f:
        good = f.read()
    raw = gzip.decompress(good)
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    bomb_data = b"".join(bomb.compress(chunk) for _ in range(300)) + bomb.flush()
    cases = {
        "truncated_gzip": good[:len(good) // 2],
        "gzip_header_only": good[:10],
        "not_gzip": b"this is not a profile\n" * 10,
        "raw_protobuf": raw,
        "empty": b"",
        "garbage_protobuf": gzip.compress(b"\xff\xfe\xfd\x07" * 1000),
        "truncated_protobuf": gzip.compress(raw[:len(raw) // 2]),
        "bomb": bomb_data,
        "missing_location": gzip.compress(profile_proto(samples=[([9], [1, 64])])),
        "missing_function": gzip.compress(profile_proto(functions=[(2, 5)])),
        "missing_mapping": gzip.compress(profile_proto(mappings=[(3, 6)])),
        "string_index": gzip.compress(profile_proto(sample_types=[(1, 2), (99, 4)])),
        "string_index_unit": gzip.compress(profile_proto(sample_types=[(1, 2), (3, 99)])),
        "string_index_negative": gzip.compress(profile_proto(functions=[(1, -1)])),
        "too_few_values": gzip.compress(profile_proto(samples=[([1], [1])])),
        "label_key_index": gzip.compress(profile_proto(samples=[([1], [1, 64], [(77, 0, 64, 4)])])),
        "label_unit_index": gzip.compress(profile_proto(samples=[([1], [1, 64], [(4, 0, 64, 55)])])),
        "no_inuse_values": gzip.compress(profile_proto(sample_types=[(2, 2), (4, 4)])),
        "id_zero": gzip.compress(profile_proto(locations=[(0, 1, 0x401000, 1)],
                                               samples=[([], [1, 64])])),
        "duplicate_id": gzip.compress(profile_proto(functions=[(1, 5), (1, 5)])),
        "negative_value": gzip.compress(profile_proto(samples=[([1], [1, -64])])),
        "no_string_table": gzip.compress(profile_proto(strings=[])),
    }
    paths = {}
    d = os.path.join(workdir, "hostile")
    os.makedirs(d, exist_ok=True)
    for name, data in cases.items():
        paths[name] = os.path.join(d, name + ".pb.gz")
        with open(paths[name], "wb") as f:
            f.write(data)
    return paths


def check_hostile(c, padscan, binary, workdir, profile):
    for name, path in sorted(hostile_cases(workdir, profile).items()):
        one_line_error(c, padscan, [binary, path], path, "hostile profile %s" % name)
    # a well-formed hand-made profile of another program's file name is refused too
    ok_path = os.path.join(workdir, "hostile", "other_name.pb.gz")
    with open(ok_path, "wb") as f:
        f.write(gzip.compress(profile_proto()))
    one_line_error(c, padscan, [binary, ok_path], ok_path, "a profile of another file name")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padscan", required=True)
    ap.add_argument("--go", default=shutil.which("go"))
    ap.add_argument("--fetch-go")
    ap.add_argument("--go-dest")
    ap.add_argument("--goarch", default="amd64")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", action="append",
                    choices=["attribute", "refuse", "hostile", "fleet", "stripped", "pie"])
    ap.add_argument("--self-check", action="store_true")
    args = ap.parse_args()
    parts = args.part or ["attribute", "refuse", "hostile", "fleet", "stripped", "pie"]
    os.makedirs(args.workdir, exist_ok=True)
    setup = go_fixture_setup(args.go, args.fetch_go, args.go_dest, args.workdir, args.goarch, FIXTURE)
    if setup is None:
        return 1
    go, env, tag, src = setup
    binary = os.path.join(args.workdir, "heapprog")
    build_and_run(go, src, binary, env)
    profile = os.path.join(args.workdir, "heap.pb.gz")
    profile2 = os.path.join(args.workdir, "heap2.pb.gz")
    truth, how = profile_of(binary, [profile][0])
    profile_of(binary, profile2)
    log("[%s] program ran (%s): %s" % (tag, how, ", ".join(
        "%s %s x%d" % (t["type"], t["how"], t["objects"] or t["values"]) for t in truth)))
    c = Checker(tag, plant=args.self_check)
    if "attribute" in parts:
        check_attribute(c, args.padscan, binary, profile, profile2, truth, args.workdir)
    if "refuse" in parts:
        check_refuse(c, args.padscan, go, src, env, args.workdir, profile)
    if "hostile" in parts:
        check_hostile(c, args.padscan, binary, args.workdir, profile)
    if "fleet" in parts:
        check_fleet(c, args.padscan, binary, profile, profile2, truth, args.workdir)
    for part, flags in (("stripped", ["-ldflags=-s -w"]), ("pie", ["-buildmode=pie"])):
        if part not in parts:
            continue
        d = os.path.join(args.workdir, part)
        os.makedirs(d, exist_ok=True)
        vbin = os.path.join(d, "heapprog")
        build_and_run(go, src, vbin, env, flags=flags)
        vp, vp2 = os.path.join(d, "heap.pb.gz"), os.path.join(d, "heap2.pb.gz")
        vtruth, _ = profile_of(vbin, vp)
        profile_of(vbin, vp2)
        vc = Checker("%s %s" % (tag, part))
        check_attribute(vc, args.padscan, vbin, vp, vp2, vtruth, d)
        c.bad += vc.bad
    if args.self_check:
        ok = c.bad > 0
        log("%s [%s] self-check: the planted wrong count was %s" %
            ("ok" if ok else "FAIL", tag, "caught" if ok else "NOT caught"))
        return 0 if ok else 1
    log("%s [%s] %s" % ("FAIL" if c.bad else "ok", tag,
                        "%d mismatches" % c.bad if c.bad else "padscan heap agrees with the program"))
    return 1 if c.bad else 0


if __name__ == "__main__":
    sys.exit(main())
