#!/usr/bin/env bash
# ThreadSanitizer over padscan's threads: fleet reads its binaries on a
# worker pool (-j), and one binary's compile units are read by several
# workers (analyze -j).  Builds build-tsan/ with -fsanitize=thread, builds
# the sample services, runs fleet -j4 over samples/fleet.json's services
# three times over (C and Go binaries, each read by several workers at
# once), then analyze -j2 and -j4 over a Go and a C sample, padscan itself
# and glibc's debug file (libc6-dbg, compressed sections) with progress on.
# Any ThreadSanitizer report fails the run (exit 66), and so does a run
# that priced nothing.  libdwarf and libelf are not instrumented by TSan:
# the same analyze -j runs (Go and C samples, padscan, glibc) then go
# through valgrind's helgrind, which sees their memory accesses too (and
# any lock-order problem); a report fails the run (exit 66).  libdwarf and libelf are not instrumented: races
# inside them are not seen, only padscan's own.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-tsan"
BUILD_DIR="$build" BUILD_TYPE=RelWithDebInfo "$root/scripts/build.sh" -DPADSCAN_TSAN=ON \
    -DPADSCAN_TESTS=OFF >/dev/null
samples="$build/samples"
"$root/scripts/build-samples.sh" "$samples" >/dev/null
work="$build/tsan-work"
rm -rf "$work"
mkdir -p "$work"
python3 - "$root/samples/fleet.json" "$samples" "$work/fleet.json" <<'PY'
import json, os, sys
manifest, samples, out = sys.argv[1:4]
doc = json.load(open(manifest))
services = []
for rep in range(3):  # every binary read by several workers at once
    for svc in doc["services"]:
        if "binary" not in svc or "report" in svc:
            continue
        s = dict(svc, name="%s-%d" % (svc["name"], rep),
                 binary=os.path.join(samples, os.path.basename(svc["binary"])))
        services.append(s)
json.dump({"services": services}, open(out, "w"), indent=1)
print("tsan.sh: %d services from samples/fleet.json" % len(services))
PY
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1"
rc=0
"$build/padscan" fleet -j4 --format json -o "$work/fleet.out.json" "$work/fleet.json" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "tsan.sh: fleet -j4 exited $rc" >&2
    exit 1
fi
priced=$(python3 -c 'import json,sys; print(sum(len(s.get("hot_types") or []) for s in json.load(open(sys.argv[1]))["services"]))' "$work/fleet.out.json")
[ "$priced" -gt 0 ] || { echo "tsan.sh: fleet priced no hot type: nothing was checked" >&2; exit 1; }
echo "tsan.sh: fleet -j4 priced $priced hot types: no ThreadSanitizer report"
libc_debug="$(ls -S /usr/lib/debug/.build-id/*/*.debug 2>/dev/null | head -n 1 || true)"
for bin in "$samples/combat" "$samples/weapons" "$build/padscan" $libc_debug; do
    for j in 2 4; do
        rc=0
        "$build/padscan" analyze -j "$j" --progress --format json "$bin" >/dev/null 2>"$work/analyze.err" || rc=$?
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            cat "$work/analyze.err" >&2
            echo "tsan.sh: analyze -j$j $bin exited $rc" >&2
            exit 1
        fi
    done
done
echo "tsan.sh: analyze -j2/-j4 over $(basename "$samples/combat"), weapons, padscan${libc_debug:+, glibc}: no ThreadSanitizer report"
if command -v valgrind >/dev/null; then
    [ -x "$root/build/padscan" ] || BUILD_DIR="$root/build" "$root/scripts/build.sh" >/dev/null
    for bin in "$samples/combat" "$samples/weapons" "$build/padscan" $libc_debug; do
        valgrind --tool=helgrind --error-exitcode=66 -q "$root/build/padscan" analyze -j 2 \
            --format json "$bin" >/dev/null 2>"$work/helgrind.err" || {
            rc=$?
            cat "$work/helgrind.err" >&2
            echo "tsan.sh: helgrind on analyze -j2 $bin exited $rc" >&2
            exit "$rc"
        }
    done
    echo "tsan.sh: helgrind on analyze -j2 (libdwarf, libelf included): no report"
else
    echo "tsan.sh: valgrind not installed: helgrind step not run" >&2
    exit 1
fi
