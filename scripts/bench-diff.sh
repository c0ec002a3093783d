#!/usr/bin/env bash
# diff and check on large saved reports: both must stay linear in the number
# of structs (and of members per struct).  Generates two reports with N
# structs (default 20000 and 40000; every tenth struct changes between the
# two, one has 2000 members of which many share the name "_"), then times
# `padscan diff` and `padscan check --baseline` on each size.  Not a test:
# times depend on the machine; compare the ratio between the sizes (about 2
# when linear, about 4 when quadratic).
#
# Usage: scripts/bench-diff.sh [PADSCAN] [N...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pad="${1:-$root/build/padscan}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 40000)
work="$root/build/bench-diff"
mkdir -p "$work"
gen() { # N CHANGED OUT
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
n, changed, out = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3]
structs = []
for i in range(n):
    k = 2000 if i == 0 else 6
    grow = 8 if changed and i % 10 == 0 else 0
    members = [{"name": "_" if m % 3 == 0 else "f%d" % m, "offset": m * 8 + grow, "size": 8}
               for m in range(k)]
    size = k * 8 + grow
    structs.append({"name": "pkg%d.Type%d" % (i % 97, i), "lang": "go", "size": size,
                    "waste": grow, "optimal_size": k * 8, "pointer_bytes": 0, "cachelines": 1,
                    "waste_percent": 100.0 * grow / size, "members": members})
doc = {"tool": "padscan", "cacheline": 64,
       "binaries": [{"path": "bench", "lang": "go", "ptr_size": 8, "structs": structs}]}
json.dump(doc, open(out, "w"))
PY
}
printf '{"rules": [{"types": ["*"], "max_waste": 1000000}]}\n' >"$work/budget.json"
for n in "${sizes[@]}"; do
    gen "$n" 0 "$work/before_$n.json"
    gen "$n" 1 "$work/after_$n.json"
    start=$(date +%s.%N)
    rc=0
    "$pad" diff "$work/before_$n.json" "$work/after_$n.json" >/dev/null || rc=$?
    mid=$(date +%s.%N)
    "$pad" check --budget "$work/budget.json" --baseline "$work/before_$n.json" \
        "$work/after_$n.json" >/dev/null || true
    end=$(date +%s.%N)
    [ "$rc" -le 1 ] || { echo "bench-diff: diff failed with $rc" >&2; exit 2; }
    printf '%6d structs: diff %6.2f s, check --baseline %6.2f s\n' "$n" \
        "$(echo "$mid - $start" | bc)" "$(echo "$end - $mid" | bc)"
done
